"""Estimates from prepared variables: the step between dispatch and the kernels.

The public functions (fastmi._api) validate and prepare each variable once, then call
these; the pairwise engine calls them (or their kernels) the same way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numba
import numpy as np

from ._binning import bin_codes, n_bins_for
from ._continuous import Continuous, prepare_continuous, sort_and_rank
from ._dispatch import discrete_mi_kernel, ksg_grid_cells, ksg_parallel, variable_kind
from ._encode import combine_codes, integer_codes, joint_codes
from ._gaussian import copula_scores, gaussian_mi
from ._logs import log_table
from ._ties import is_constant, warn_heavy_ties
from ._validation import InvalidParameterError, as_float_column, check_enough_samples
from .kernels._discrete import _discrete_cmi, _discrete_entropy
from .kernels._knn import (
    _fp_cmi,
    _kl_entropy_brute,
    _kl_entropy_grid,
    _kl_entropy_sorted,
    _ksg_mi_brute,
    _ksg_mi_grid,
    _ksg_mi_grid_parallel,
)
from .kernels._mixed import _gao_mi, _ross_mi_brute, _ross_mi_sorted


def discrete_codes(columns, estimator: str, bins, binning: str) -> tuple[np.ndarray, int]:
    """Codes of one (joint) variable for a contingency-table estimator."""
    if estimator == "discrete":
        return joint_codes(columns)
    codes, n_levels = None, 1
    for label, column in columns:
        values = as_float_column(column, label, estimator)
        n_bins = n_bins_for(values, bins)
        binned, n_binned = integer_codes(bin_codes(values, n_bins, binning, label))
        if codes is None:
            codes, n_levels = binned, n_binned
        else:
            codes, n_levels = combine_codes(codes, n_levels, binned, n_binned)
    return codes, n_levels


def ksg_mi(x: Continuous, y: Continuous, k: int, algorithm: int) -> float:
    """KSG MI in nats; the strategy (brute, strips, parallel) follows from n alone."""
    n = x.values.shape[1]
    n_cells = ksg_grid_cells(n)
    if n_cells == 0:
        return float(_ksg_mi_brute(x.values, y.values, k, algorithm))
    args = (
        x.values,
        x.sorted0,
        x.order0,
        x.rank0,
        y.values,
        y.sorted0,
        y.order0,
        y.rank0,
        k,
        algorithm,
        n_cells,
    )
    if ksg_parallel(n):
        return float(_ksg_mi_grid_parallel(*args, 8 * numba.get_num_threads()))
    return float(_ksg_mi_grid(*args))


def kl_entropy(x: Continuous, k: int) -> float:
    """Kozachenko-Leonenko entropy in nats; x prepared with scale=False."""
    n = x.values.shape[1]
    n_cells = ksg_grid_cells(n)
    if n_cells == 0:
        value = _kl_entropy_brute(x.values, k)
    elif x.n_dims == 1:
        value = _kl_entropy_sorted(x.sorted0, x.order0, k)
    else:
        s1, _, r1 = sort_and_rank(x.values[1])
        value = _kl_entropy_grid(x.values, x.sorted0, x.order0, x.rank0, s1, r1, k, n_cells)
    return float(value)


def fp_cmi(x: Continuous, y: Continuous, z: Continuous, k: int) -> float:
    """Frenzel-Pompe conditional MI in nats."""
    n_cells = ksg_grid_cells(x.values.shape[1])
    return float(
        _fp_cmi(
            x.values,
            x.sorted0,
            x.order0,
            x.rank0,
            y.values,
            y.sorted0,
            y.rank0,
            z.values,
            z.sorted0,
            z.order0,
            z.rank0,
            k,
            n_cells,
        )
    )


def ross_mi(labels: np.ndarray, n_levels: int, c: Continuous, k: int) -> float:
    """Ross (2014) MI in nats between discrete codes and a continuous variable."""
    if c.n_dims == 1:
        return float(_ross_mi_sorted(c.sorted0, c.order0, labels, n_levels, k))
    return float(_ross_mi_brute(c.values, labels, n_levels, k))


# ---------------------------------------------------------------------------------------
# From validated samples to an estimate in nats, one function per quantity
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    """Validated options shared by the estimators (fastmi._api documents them)."""

    k: int = 3
    bins: object = "auto"
    binning: str = "uniform"
    correction: str | None = None
    jitter: float = 1e-10
    seed: int = 0


def _continuous_columns(columns, method: str) -> list[np.ndarray]:
    return [as_float_column(column, label, method) for label, column in columns]


def _prepare_knn(variables: dict, n: int, estimator: str, opt: Options, scale: bool = True):
    """Checked and prepared continuous variables for a kNN estimator, and whether any
    of them is constant (every column constant: it carries no information)."""
    check_enough_samples(n, opt.k)
    prepared, constant = [], False
    for columns in variables.values():
        raw = _continuous_columns(columns, estimator)
        for (label, _), values in zip(columns, raw):
            warn_heavy_ties(label, values, opt.k, estimator)
        constant |= all(is_constant(values) for values in raw)
        prepared.append(
            prepare_continuous(columns, estimator, jitter=opt.jitter, seed=opt.seed, scale=scale)
        )
    return prepared, constant


def estimate_entropy(variables: dict, n: int, estimator: str, opt: Options) -> float:
    if estimator in ("discrete", "hist"):
        codes, n_levels = discrete_codes(variables["x"], estimator, opt.bins, opt.binning)
        value, m = _discrete_entropy(codes, n_levels, log_table(n))
        if opt.correction == "miller-madow":
            value += (m - 1) / (2 * n)
        return float(value)
    if estimator != "ksg":
        raise InvalidParameterError(
            f"method={estimator!r} estimates mutual information only; for entropy use "
            f"'discrete', 'hist' or 'ksg'."
        )
    (px,), constant = _prepare_knn(variables, n, estimator, opt, scale=False)
    value = kl_entropy(px, opt.k) if not constant else -math.inf
    if not math.isfinite(value):
        raise InvalidParameterError(
            f"x has more than k={opt.k} identical samples, so its differential entropy "
            f"diverges; keep the default jitter, or use method='discrete'."
        )
    return value


def estimate_mi(variables: dict, n: int, estimator: str, opt: Options) -> float:
    x, y = variables["x"], variables["y"]
    if estimator in ("discrete", "hist"):
        cx, n_x = discrete_codes(x, estimator, opt.bins, opt.binning)
        cy, n_y = discrete_codes(y, estimator, opt.bins, opt.binning)
        value, m_x, m_y, m_xy = discrete_mi_kernel(n_x, n_y, n)(cx, cy, n_x, n_y, log_table(n))
        if opt.correction == "miller-madow":
            value += (m_x + m_y - m_xy - 1) / (2 * n)
        return float(value)
    if estimator == "gcmi":
        blocks = [copula_scores(columns, estimator) for columns in (x, y)]
        return gaussian_mi(blocks, correct=opt.correction == "gaussian")
    if estimator == "mixed":
        return _mixed_mi(variables, n, opt)
    (px, py), constant = _prepare_knn(variables, n, estimator, opt)
    return 0.0 if constant else ksg_mi(px, py, opt.k, 1 if estimator == "ksg" else 2)


def gao_mi(variables: dict, n: int, opt: Options) -> float:
    """Gao et al. (2017) MI in nats: both variables as numbers, ties kept."""
    check_enough_samples(n, opt.k)
    prepared = [
        prepare_continuous(columns, "mixed", jitter=0.0, seed=opt.seed)
        for columns in variables.values()
    ]
    if any(
        all(is_constant(v) for v in _continuous_columns(c, "mixed")) for c in variables.values()
    ):
        return 0.0
    joint, n_joint = joint_codes([*variables["x"], *variables["y"]])
    duplicates = np.bincount(joint, minlength=n_joint)[joint]  # itself included
    px, py = prepared
    return float(
        _gao_mi(
            px.values,
            px.sorted0,
            px.order0,
            px.rank0,
            py.values,
            py.sorted0,
            py.order0,
            py.rank0,
            duplicates,
            opt.k,
            ksg_grid_cells(n),
        )
    )


def _mixed_mi(variables: dict, n: int, opt: Options) -> float:
    """Ross (2014) when one variable is discrete and the other continuous by dtype;
    Gao et al. (2017) otherwise (mixtures with atoms, tied or discrete-valued data)."""
    kinds = {name: variable_kind(columns) for name, columns in variables.items()}
    if sorted(kinds.values()) != ["continuous", "discrete"]:
        return gao_mi(variables, n, opt)
    discrete = next(name for name, kind in kinds.items() if kind == "discrete")
    continuous = next(name for name, kind in kinds.items() if kind == "continuous")
    labels, n_levels = joint_codes(variables[discrete])
    (pc,), constant = _prepare_knn({continuous: variables[continuous]}, n, "mixed", opt)
    if constant or np.all(labels == labels[0]):  # one label: no information
        return 0.0
    value = ross_mi(labels, n_levels, pc, opt.k)
    if not math.isfinite(value):
        raise InvalidParameterError(
            f"{discrete} has no label that occurs twice, so the mixed estimator has no "
            f"neighbours to compare; it needs repeated labels."
        )
    return value


def estimate_cmi(variables: dict, n: int, estimator: str, opt: Options) -> float:
    x, y, z = variables["x"], variables["y"], variables["z"]
    if estimator in ("discrete", "hist"):
        cx, n_x = discrete_codes(x, estimator, opt.bins, opt.binning)
        cy, n_y = discrete_codes(y, estimator, opt.bins, opt.binning)
        cz, n_z = discrete_codes(z, estimator, opt.bins, opt.binning)
        cxy, n_xy = combine_codes(cx, n_x, cy, n_y)
        value, m_xz, m_yz, m_xyz, m_z = _discrete_cmi(
            cx, cy, cxy, cz, n_x, n_y, n_xy, n_z, log_table(n)
        )
        if opt.correction == "miller-madow":
            value += (m_xz + m_yz - m_xyz - m_z) / (2 * n)
        return float(value)
    if estimator == "gcmi":
        blocks = [copula_scores(columns, estimator) for columns in (x, y, z)]
        return gaussian_mi(blocks, correct=opt.correction == "gaussian")
    if estimator != "ksg":
        raise InvalidParameterError(
            f"method={estimator!r} does not estimate conditional MI; use 'discrete', "
            f"'hist', 'ksg' or 'gcmi'."
        )
    (px, py, pz), _ = _prepare_knn(variables, n, estimator, opt)
    if any(all(is_constant(v) for v in _continuous_columns(c, estimator)) for c in (x, y)):
        return 0.0
    return fp_cmi(px, py, pz, opt.k)
