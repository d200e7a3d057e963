"""``method="ksg"`` and ``"ksg2"``: the Kraskov-Stoegbauer-Grassberger k-nearest-neighbour
estimators of MI (algorithms 1 and 2, max-norm), with the Kozachenko-Leonenko entropy
and the Frenzel-Pompe conditional MI of the same family.

Each variable is prepared once (fastmi._continuous.prepare_points): scaled to unit
variance, jittered by ``jitter`` (1e-10, as Kraskov et al. advise and scikit-learn
does), its first row sorted. Algorithm 1: eps_i is the k-th neighbour distance in the
joint space, n_x and n_y count samples strictly within it in each marginal, and
I = psi(k) + psi(n) - < psi(n_x + 1) + psi(n_y + 1) >. Algorithm 2 counts within the
largest marginal distances to the k neighbours, inclusively, and subtracts 1/k.
Neighbours are searched by brute force for small n, by rank strips for two 1-D
variables (fastmi.kernels._neighbours), and by KD-trees (fastmi.kernels._kdtree) in
more dimensions or where one variable is nearly constant on most samples: every
search finds the same neighbours and counts, so the same estimate. A single large pair
is split over threads: x and y are prepared at once, then the queries run in chunks
(each term lands in its own slot, so the value is the serial one on any number of
threads).

References: A. Kraskov, H. Stoegbauer and P. Grassberger, "Estimating mutual
information", Physical Review E 69, 066138 (2004); L. F. Kozachenko and N. N.
Leonenko, "Sample estimate of the entropy of a random vector", Problems of
Information Transmission 23, 95-101 (1987); J. L. Bentley, "Multidimensional binary
search trees used for associative searching", Communications of the ACM 18, 509-517
(1975); S. Frenzel and B. Pompe, "Partial mutual information for coupling analysis of
multivariate time series", Physical Review Letters 99, 204101 (2007).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .. import _config
from .._continuous import grid_cells, prepare_points, prepare_together, rest_points
from .._threads import over_chunks, pairs_on_threads
from .._ties import is_constant
from .._validation import InvalidParameterError, as_float_column
from ..kernels._ksg import (
    _fp_cmi,
    _kl_entropy,
    _ksg_mi_pair,
    _ksg_mi_pairs,
    _ksg_mi_total,
    _ksg_mi_tree_pair,
    _ksg_mi_tree_pairs,
    _ksg_terms,
    _ksg_tree_terms,
    _ksg_trees,
    _prefer_tree_pairs,
)
from ..kernels._neighbours import Points, _build_strips, _prefer_tree
from ._base import Estimator, lookup, stacked

#: The remedy of a TiesWarning for entropy and CMI, where 'mixed' does not apply.
TABLE_TIE_FIX = "treat it as discrete (method='discrete') or bin it (method='hist')"


def prepare(columns, opt, method: str = "ksg", scale=None, tie_fix=None) -> Points:
    scale = opt.scale if scale is None else scale
    return prepare_points(
        columns, method, opt.k, jitter=opt.jitter, seed=opt.seed, scale=scale,
        tie_fix=tie_fix,
    )  # fmt: skip


def pair(x: Points, y: Points, opt, algorithm: int) -> float:
    """KSG MI in nats of two prepared variables; the strategy follows from n alone.
    One large pair runs over all threads (the same terms, summed in the same order,
    so the same value as the tile's serial pair function)."""
    n = x.values.shape[1]
    n_strips = grid_cells(n)
    tree = bool(_prefer_tree(x, y, opt.k, n_strips))  # always in more than 2 dimensions
    if n_strips and not (x.constant or y.constant):
        if n >= (_config.KSG_TREE_PARALLEL_MIN_N if tree else _config.KSG_PARALLEL_MIN_N):
            return _ksg_mi_on_threads(x, y, opt.k, algorithm, n_strips, tree)
    if tree:
        return float(_ksg_mi_tree_pair(x, y, opt.k, algorithm))
    return float(_ksg_mi_pair(x, y, opt.k, algorithm, n_strips))


def _ksg_mi_on_threads(
    x: Points, y: Points, k: int, algorithm: int, n_strips: int, tree: bool
) -> float:
    """One large pair, its query samples split over threads (by strip, or by KD-tree
    position): each sample's term lands in its own slot and the terms are summed in
    index order, so the value is the serial one."""
    n = x.values.shape[1]
    terms = np.empty(n)
    if tree:
        trees = _ksg_trees(x, y)
        over_chunks(
            n, lambda first, stop: _ksg_tree_terms(x, y, k, algorithm, trees, first, stop, terms)
        )
    else:
        n_strips = min(n_strips, n)
        strips = _build_strips(x, y, n_strips)
        over_chunks(
            n_strips,
            lambda first, stop: _ksg_terms(x, y, k, algorithm, strips, first, stop, terms),
        )
    return float(_ksg_mi_total(terms, k, algorithm))


#: Values are kept below 2**ENTROPY_MAX_EXPONENT in magnitude for the entropy, so that
#: jitter and the distances between samples cannot overflow float64 (max ~2**1024).
ENTROPY_MAX_EXPONENT = 1000


def entropy(columns, opt) -> float:
    """Kozachenko-Leonenko entropy in nats, of the data as given (not rescaled).

    Data beyond 2**1000 in magnitude is divided by a power of two s first (exact, and
    the same for every column, so the max-norm neighbours do not change), and
    d log s is added back: H(X) = H(X / s) + d log s. A constant column makes the
    variable a point mass along it: -inf."""
    floats = [(label, as_float_column(column, label, "ksg")) for label, column in columns]
    if any(is_constant(values) for _, values in floats):
        return -math.inf
    largest = max(float(np.max(np.abs(values))) for _, values in floats)
    shift = max(0, math.frexp(largest)[1] - ENTROPY_MAX_EXPONENT)
    if shift:
        floats = [(label, np.ldexp(values, -shift)) for label, values in floats]
    x = prepare(floats, opt, scale=False, tie_fix=TABLE_TIE_FIX)
    value = float(_kl_entropy(x, rest_points(x), opt.k, grid_cells(x.values.shape[1])))
    if not math.isfinite(value):
        raise InvalidParameterError(
            f"x has more than k={opt.k} identical samples and jitter={opt.jitter}, so the "
            f"Kozachenko-Leonenko estimate diverges; pass jitter > 0 (the default is "
            f"1e-10), or use method='discrete'."
        )
    return value + len(floats) * shift * math.log(2.0)


def cmi_prepare(columns, opt) -> Points:
    """One variable of a conditional MI, prepared as ``cmi`` prepares it."""
    return prepare(columns, opt, tie_fix=TABLE_TIE_FIX)


def cmi_pair(x: Points, y: Points, z: Points, opt) -> tuple[float, bool]:
    """Frenzel-Pompe I(X;Y|Z) in nats of three prepared variables (0 when x or y is
    constant), and no warning flag: what ``cmi`` and each entry of
    fastmi.pairwise_cmi run."""
    if x.constant or y.constant:
        return 0.0, False
    return float(_fp_cmi(x, y, z, opt.k)), False


def cmi(x_columns, y_columns, z_columns, opt) -> float:
    """Frenzel-Pompe conditional MI in nats; 0 when x or y is constant."""
    x, y, z = (cmi_prepare(columns, opt) for columns in (x_columns, y_columns, z_columns))
    return cmi_pair(x, y, z, opt)[0]


@dataclass
class KsgPart:
    """The 1-D variables of a matrix job, prepared as for ``mi``: the Points fields
    stacked by row; ``row``: variable -> row (-1: not here)."""

    values: np.ndarray
    sorted_: np.ndarray
    order: np.ndarray
    rank: np.ndarray
    constant: np.ndarray
    row: np.ndarray
    k: int
    algorithm: int
    n_strips: int

    def __call__(self, a, b, out):
        pairs = np.column_stack([self.row[a], self.row[b]])
        head = (self.values, self.sorted_, self.order, self.rank, self.constant)
        tree = np.zeros(len(pairs), dtype=bool)
        pairs_on_threads(_prefer_tree_pairs, head, pairs, (self.k, self.n_strips), (tree,))
        if not tree.any():
            pairs_on_threads(
                _ksg_mi_pairs, head, pairs, (self.k, self.algorithm, self.n_strips), (out,)
            )
            return
        # Pairs with a heavily tied column take the tree search (the same values).
        for kernel, chosen, tail in [
            (_ksg_mi_pairs, ~tree, (self.k, self.algorithm, self.n_strips)),
            (_ksg_mi_tree_pairs, tree, (self.k, self.algorithm)),
        ]:
            found = np.empty(int(chosen.sum()))
            pairs_on_threads(kernel, head, pairs[chosen], tail, (found,))
            out[chosen] = found


def _estimator(name: str, algorithm: int) -> Estimator:
    def mi(x, y, opt):
        # x and y at once on threads when large (the same Points as ``prepare``)
        px, py = prepare_together(
            [x, y], name, opt.k, jitter=opt.jitter, seed=opt.seed, scale=opt.scale
        )
        return pair(px, py, opt, algorithm)

    def part(variables, columns, kinds, opt, partners) -> KsgPart:
        n = len(columns[0][1])
        points = [prepare([columns[v]], opt, name) for v in variables]
        rows = lookup({v: i for i, v in enumerate(variables)}, len(columns))
        return KsgPart(*stacked(points, n), rows, opt.k, algorithm, grid_cells(n))

    return Estimator(
        name=name,
        method=name,
        table=False,
        corrections=(),
        cost_per_sample=1e-6,  # bench/bench_pairwise.py, rounded up
        mi=mi,
        part=part,
        entropy=entropy if algorithm == 1 else None,
        cmi=cmi if algorithm == 1 else None,
        cmi_prepare=cmi_prepare if algorithm == 1 else None,
        cmi_pair=cmi_pair if algorithm == 1 else None,
    )


KSG = _estimator("ksg", 1)
KSG2 = _estimator("ksg2", 2)
