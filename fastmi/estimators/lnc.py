"""``method="lnc"``: KSG with the local non-uniformity correction of Gao, Ver Steeg and
Galstyan (2015), for strongly dependent variables.

KSG assumes the density is uniform in the box its k nearest neighbours span; for
strongly dependent variables they lie along a thin tilted set instead, and KSG
underestimates MI badly (it cannot exceed about log n). LNC compares that box with the
box along the neighbours' principal axes: where the ratio of their volumes is below a
threshold alpha, far below what uniform neighbours give, the log ratio is added. The
estimate is KSG algorithm 1 (the same neighbours, counts and value as
``method="ksg"``) plus that correction, which is never negative: on independent or
weakly dependent data, a few neighbourhoods look elongated by chance and add about
0.01 nats at k = 5 (0.04 at k = 3).

alpha depends on k and the joint dimension d (it needs k > d): where Gao et al.
published it (d = 2, 3, 5, 10; k up to 20) their value is used; elsewhere it is the
0.5 % quantile of the volume ratio of uniform neighbourhoods, simulated once with a
fixed seed and capped at 1, which is of the same order as the published values where
both exist (0.48 against 0.49 at d = 3, k = 10; 0.10 against 0.18 at d = 2, k = 3).
Neighbourhoods that lie exactly on a line or plane (one variable an exact function of
the other) make the estimate infinite, with a PerfectDependenceWarning.

References: S. Gao, G. Ver Steeg and A. Galstyan, "Efficient estimation of mutual
information for strongly dependent variables", AISTATS (2015); A. Kraskov, H.
Stoegbauer and P. Grassberger, "Estimating mutual information", Physical Review E 69,
066138 (2004).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from .._continuous import grid_cells
from .._threads import pairs_on_threads
from .._validation import InvalidParameterError, variable_label
from .._warnings import warn_perfect
from ..kernels._lnc import _lnc_mi_pair, _lnc_mi_pairs, _log_volume_ratios
from ..kernels._neighbours import Points
from ._base import Estimator, lookup, stacked
from .ksg import prepare

#: alpha(d, k) as published by Gao et al. (2015), from their table of thresholds for
#: the joint dimension d and k; (d, k) -> alpha.
PUBLISHED_ALPHA = {
    **dict(zip([(2, k) for k in range(3, 21)], [
        0.182224, 0.284370, 0.372004, 0.442894, 0.503244, 0.554523, 0.594569, 0.630903,
        0.660295, 0.689290, 0.711052, 0.735075, 0.751908, 0.767809, 0.782448, 0.795362,
        0.806728, 0.817252])),
    **dict(zip([(3, k) for k in range(4, 21)], [
        0.077830, 0.167277, 0.250141, 0.320280, 0.384474, 0.441996, 0.489972, 0.532178,
        0.568561, 0.603990, 0.636593, 0.660156, 0.683954, 0.706157, 0.724844, 0.743606,
        0.757283])),
    **dict(zip([(5, k) for k in range(6, 21)], [
        0.023953, 0.067077, 0.123341, 0.180215, 0.239442, 0.297637, 0.351355, 0.404194,
        0.451739, 0.498458, 0.538889, 0.578158, 0.614937, 0.651598, 0.679500])),
    **dict(zip([(10, k) for k in range(11, 21)], [
        0.003734, 0.014748, 0.034749, 0.063109, 0.100471, 0.147694, 0.200196, 0.261374,
        0.325363, 0.398082])),
}  # fmt: skip
#: Elsewhere: this quantile of the simulated log volume ratio of uniform neighbourhoods.
ALPHA_QUANTILE = 0.005
ALPHA_DRAWS = 10_000


@functools.lru_cache(maxsize=64)
def log_alpha(d: int, k: int) -> float:
    """log of the threshold alpha for joint dimension d and k neighbours (k > d), at
    most 0 (alpha <= 1), so that the correction is never negative."""
    if (d, k) in PUBLISHED_ALPHA:
        return math.log(PUBLISHED_ALPHA[(d, k)])
    # k neighbours uniform in the max-norm ball of the k-th, which lies on its surface
    rng = np.random.default_rng(20150509)
    neighbourhoods = rng.uniform(-1.0, 1.0, size=(ALPHA_DRAWS, k, d))
    surface = rng.integers(0, d, ALPHA_DRAWS)
    neighbourhoods[np.arange(ALPHA_DRAWS), k - 1, surface] = rng.choice([-1.0, 1.0], ALPHA_DRAWS)
    ratios = _log_volume_ratios(neighbourhoods)
    return min(0.0, float(np.quantile(ratios[np.isfinite(ratios)], ALPHA_QUANTILE)))


def _check_k(k: int, d: int) -> None:
    if k <= d:
        raise InvalidParameterError(
            f"method='lnc' needs more neighbours than joint dimensions (its principal "
            f"axes come from k + 1 points); got k={k} for d={d}. Pass k >= {d + 1}."
        )


def pair(x: Points, y: Points, opt) -> float:
    """LNC MI in nats of two prepared variables: the tile's pair function."""
    d = x.values.shape[0] + y.values.shape[0]
    _check_k(opt.k, d)
    n_cells = grid_cells(x.values.shape[1])
    return float(_lnc_mi_pair(x, y, opt.k, n_cells, log_alpha(d, opt.k)))


def mi(x, y, opt) -> float:
    value = pair(prepare(x, opt, "lnc"), prepare(y, opt, "lnc"), opt)
    if math.isinf(value):
        warn_perfect(f"{variable_label(x)} and {variable_label(y)}", "lnc")
    return value


@dataclass
class LncPart:
    """The 1-D variables of a matrix job, prepared as for ``mi``."""

    points: tuple  # stacked Points fields (_base.stacked)
    row: np.ndarray
    k: int
    n_cells: int
    log_alpha: float

    def __call__(self, a, b, out) -> np.ndarray:
        """MI of the pairs (a, b) into ``out``; returns which are infinite."""
        pairs = np.column_stack([self.row[a], self.row[b]])
        tail = (self.k, self.n_cells, self.log_alpha)
        pairs_on_threads(_lnc_mi_pairs, tuple(self.points), pairs, tail, (out,))
        return np.isinf(out)


def part(variables, columns, kinds, opt, partners) -> LncPart:
    _check_k(opt.k, 2)
    n = len(columns[0][1])
    points = [prepare([columns[v]], opt, "lnc") for v in variables]
    rows = lookup({v: i for i, v in enumerate(variables)}, len(columns))
    return LncPart(stacked(points, n), rows, opt.k, grid_cells(n), log_alpha(2, opt.k))


LNC = Estimator(
    name="lnc",
    method="lnc",
    table=False,
    corrections=(),
    cost_per_sample=2e-6,  # KSG's search and counts, plus a PCA per sample
    mi=mi,
    part=part,
    flag_warning=lambda subject, count, n: warn_perfect(subject, "lnc"),
)
