"""Estimates from prepared variables: the step between dispatch and the kernels.

The public functions (fastmi._api) validate and prepare each variable once, then call
these; the pairwise engine calls them (or their kernels) the same way.
"""

from __future__ import annotations

import numpy as np

from ._binning import bin_codes, n_bins_for
from ._continuous import Continuous, sort_and_rank
from ._dispatch import ksg_grid_cells, ksg_parallel
from ._encode import combine_codes, integer_codes, joint_codes
from ._validation import as_float_column
from .kernels._knn import (
    _fp_cmi,
    _kl_entropy_brute,
    _kl_entropy_grid,
    _kl_entropy_sorted,
    _ksg_mi_brute,
    _ksg_mi_grid,
    _ksg_mi_grid_parallel,
)


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
    """KSG MI in nats; the strategy (brute, grid, parallel) follows from n alone."""
    n = x.values.shape[1]
    n_cells = ksg_grid_cells(n)
    if n_cells == 0:
        return float(_ksg_mi_brute(x.values, y.values, k, algorithm))
    kernel = _ksg_mi_grid_parallel if ksg_parallel(n) else _ksg_mi_grid
    return float(
        kernel(
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
    )


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
