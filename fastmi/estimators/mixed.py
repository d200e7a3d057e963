"""``method="mixed"``: MI between a discrete and a continuous variable (Ross 2014), and
of mixtures with atoms or ties (Gao et al. 2017).

Ross: for each sample, the k-th neighbour distance among samples of its own label
(k_i = min(k, N_label - 1)), m_i the samples of any label strictly within it, and
I = psi(N) + < psi(k_i) - psi(N_label) - psi(m_i) >; samples whose label occurs once
are left out, as scikit-learn does, whose ``mutual_info_classif`` this reproduces on
tie-free data. The samples of a continuous variable that sit on an atom (a value
held by at least sqrt(n) samples, such as the zeros of a zero-inflated feature) are
not jittered, and a sample on an atom counts its exact copies, as Gao et al. (2017) do,
which keeps the estimate consistent where jittered Ross is badly biased (scikit-learn
issue #30772). Smaller repeats, as rounding makes, stay continuous; at most sqrt(n)
atoms bound the plug-in bias of counting them, and a TiesWarning gives its size when
it could exceed 0.01 nats.
Gao: the KSG algorithm 1 on the unjittered data, where a sample with k or more exact
copies counts them instead (the plug-in estimate on an atom). The registry picks Ross
for one discrete and one continuous variable (by dtype), Gao for any other pair.

References: B. C. Ross, "Mutual information between discrete and continuous data
sets", PLoS ONE 9(2), e87357 (2014); W. Gao, S. Kannan, S. Oh and P. Viswanath,
"Estimating mutual information for discrete-continuous mixtures", NeurIPS (2017).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np

from .._continuous import grid_cells, prepare_points
from .._encode import joint_codes
from .._threads import pairs_on_threads
from .._ties import tied_share
from .._validation import InvalidParameterError, as_float_column, variable_kind, variable_label
from .._warnings import TiesWarning, user_stacklevel
from ..kernels._mixed import _gao_mi_pair, _gao_mi_pairs, _ross_mi_pair, _ross_mi_pairs
from ..kernels._neighbours import Points
from ._base import Estimator, lookup, stacked


def _no_repeated_label(label: str) -> InvalidParameterError:
    return InvalidParameterError(
        f"{label} has no label that occurs twice, so the mixed estimator has no "
        f"neighbours to compare; it needs repeated labels."
    )


def _points(columns, opt, gao: bool) -> tuple[Points, int]:
    """The continuous side and its number of atoms. Gao: no jitter at all, since ties
    are information there. Ross: the samples on an atom (``atom_samples``) are left
    exact, which the kernel counts, and the others are jittered as for KSG, so Ross
    on data without atoms equals scikit-learn's mutual_info_classif."""
    if gao:
        points = prepare_points(
            columns, "mixed", opt.k, jitter=0.0, seed=opt.seed, scale=opt.scale, warn=False
        )
        return points, 0
    on_atom, n_atoms = atom_samples(columns, opt.k)
    points = prepare_points(
        columns, "mixed", opt.k, jitter=opt.jitter, seed=opt.seed, scale=opt.scale,
        warn=False, exact=on_atom,
    )  # fmt: skip
    return points, n_atoms


def atom_samples(columns, k: int) -> tuple[np.ndarray | None, int]:
    """The samples on an atom, and how many atoms there are; (None, 0) when none.

    An atom is a value (a row, for several columns) that holds at least sqrt(n)
    samples, and more than k: then there are at most sqrt(n) atoms, and counting them
    exactly adds a plug-in bias of order (labels - 1) / (2 sqrt(n)), which vanishes
    as n grows. Smaller repeats, as rounding a continuous measurement makes, stay
    continuous and are jittered."""
    values = [(label, as_float_column(c, label, "mixed")) for label, c in columns]
    n = len(values[0][1])
    least = max(k + 1, math.isqrt(n))
    if len(values) == 1 and tied_share(values[0][1], k) == 0:
        return None, 0  # the screen: no heavy repeats (fastmi._ties)
    codes, n_levels = joint_codes(values)
    counts = np.bincount(codes, minlength=n_levels)
    if counts.max() < least:
        return None, 0
    return counts[codes] >= least, int((counts >= least).sum())


def warn_many_atoms(label: str, n_atoms: int, n_labels: int, n: int) -> None:
    """Atoms counted exactly carry the plug-in bias, (atoms - 1)(labels - 1) / (2n)
    nats at most: warn when it could exceed 0.01 nats (many small atoms, as rounding
    makes), naming the column and what to do."""
    bias = (n_atoms - 1) * (n_labels - 1) / (2 * n)
    if bias > 0.01:
        warnings.warn(
            f"{label} has {n_atoms} atoms (values held by at least sqrt(n) samples); "
            f"method='mixed' (Ross) counts them exactly, which adds a plug-in bias of up to "
            f"{bias:.2f} nats with {n_labels} labels. If the repeats come from rounding "
            f"a continuous measurement, bin it (method='hist') or add noise of the "
            f"rounding's size.",
            TiesWarning,
            stacklevel=user_stacklevel(),
        )


# --- Ross (2014) -------------------------------------------------------------------------


def ross_pair(labels: np.ndarray, n_levels: int, c: Points, opt, label: str) -> float:
    """Ross MI in nats of labels and a prepared continuous variable: the tile's pair
    function; ``label`` names the discrete variable in the error it may raise."""
    value = float(_ross_mi_pair(labels, n_levels, c, opt.k))
    if not math.isfinite(value):
        raise _no_repeated_label(label)
    return value


def ross_mi(x, y, opt) -> float:
    discrete, continuous = (x, y) if variable_kind(x) == "discrete" else (y, x)
    labels, n_levels = joint_codes(discrete)
    points, n_atoms = _points(continuous, opt, gao=False)
    if n_atoms:
        n_labels = int(np.count_nonzero(np.bincount(labels, minlength=n_levels)))
        warn_many_atoms(variable_label(continuous), n_atoms, n_labels, len(labels))
    return ross_pair(labels, n_levels, points, opt, variable_label(discrete))


@dataclass
class RossPart:
    """Labels of the discrete variables and Points of the continuous ones of a job."""

    labels: np.ndarray
    n_levels: np.ndarray
    points: tuple  # stacked Points fields (_base.stacked)
    label_row: np.ndarray
    points_row: np.ndarray
    k: int

    def __call__(self, a, b, out):
        discrete_first = self.label_row[a] >= 0
        d = np.where(discrete_first, a, b)
        c = np.where(discrete_first, b, a)
        pairs = np.column_stack([self.label_row[d], self.points_row[c]])
        head = (self.labels, self.n_levels, *self.points)
        pairs_on_threads(_ross_mi_pairs, head, pairs, (self.k,), (out,))


def ross_part(variables, columns, kinds, opt, partners) -> RossPart:
    n = len(columns[0][1])
    discrete = [v for v in variables if kinds[v] == "discrete"]
    continuous = [v for v in variables if kinds[v] == "continuous"]
    coded = [joint_codes([columns[v]]) for v in discrete]
    prepared = [_points([columns[v]], opt, gao=False) for v in continuous]
    points = [p for p, _ in prepared]
    most_labels = max((int(np.count_nonzero(np.bincount(c))) for c, _ in coded), default=1)
    for v, (_, n_atoms) in zip(continuous, prepared):
        if n_atoms:
            warn_many_atoms(columns[v][0], n_atoms, most_labels, n)
    for v, (codes, _) in zip(discrete, coded):  # the error mi() raises, raised up front
        varying = any(not p.constant and partners(v, c) for c, p in zip(continuous, points))
        if varying and len(codes) and np.bincount(codes).max() < 2:
            raise _no_repeated_label(columns[v][0])
    labels = np.vstack([c for c, _ in coded]) if coded else np.zeros((0, n), np.int64)
    return RossPart(
        labels, np.array([m for _, m in coded], dtype=np.int64), stacked(points, n),
        lookup({v: i for i, v in enumerate(discrete)}, len(columns)),
        lookup({v: i for i, v in enumerate(continuous)}, len(columns)), opt.k,
    )  # fmt: skip


# --- Gao et al. (2017) -------------------------------------------------------------------


def gao_pair(x: Points, x_codes, y: Points, y_codes, opt) -> float:
    """Gao MI in nats of two variables prepared without jitter, with their exact-value
    codes (codes, n_levels): the tile's pair function."""
    n_cells = grid_cells(x.values.shape[1])
    return float(_gao_mi_pair(x, *x_codes, y, *y_codes, opt.k, n_cells))


def gao_mi(x, y, opt) -> float:
    (px, _), (py, _) = _points(x, opt, gao=True), _points(y, opt, gao=True)
    return gao_pair(px, joint_codes(x), py, joint_codes(y), opt)


@dataclass
class GaoPart:
    """Unjittered Points and exact-value codes of the variables of a job."""

    points: tuple
    codes: np.ndarray
    n_levels: np.ndarray
    row: np.ndarray
    k: int
    n_cells: int

    def __call__(self, a, b, out):
        pairs = np.column_stack([self.row[a], self.row[b]])
        head = (*self.points, self.codes, self.n_levels)
        pairs_on_threads(_gao_mi_pairs, head, pairs, (self.k, self.n_cells), (out,))


def gao_part(variables, columns, kinds, opt, partners) -> GaoPart:
    n = len(columns[0][1])
    points = [_points([columns[v]], opt, gao=True)[0] for v in variables]
    coded = [joint_codes([columns[v]]) for v in variables]
    codes = np.vstack([c for c, _ in coded]) if coded else np.zeros((0, n), np.int64)
    return GaoPart(
        stacked(points, n), codes, np.array([m for _, m in coded], dtype=np.int64),
        lookup({v: i for i, v in enumerate(variables)}, len(columns)), opt.k, grid_cells(n),
    )  # fmt: skip


ROSS = Estimator(
    name="ross",
    method="mixed",
    table=False,
    corrections=(),
    cost_per_sample=2e-7,  # bench/bench_mixed.py, rounded up
    mi=ross_mi,
    part=ross_part,
)
GAO = Estimator(
    name="gao",
    method="mixed",
    table=False,
    corrections=(),
    cost_per_sample=1.5e-6,  # as KSG, plus the multiplicities
    mi=gao_mi,
    part=gao_part,
)
