"""``method="gcmi"``: Gaussian-copula MI (Ince et al. 2017): ranks -> normal scores ->
Gaussian MI.

Each column is replaced by the standard-normal quantiles of its ranks,
Phi^{-1}(r / (n + 1)) with average ranks for ties, so the estimate depends on the
data only through its ranks: it is exactly invariant to strictly increasing
transforms of each variable. The MI of the scores is then that of a Gaussian with
their sample covariance, a lower bound on the MI of the data that is exact when the
copula is Gaussian, and that stays well behaved in hundreds of dimensions.
``correction="gaussian"`` removes the expected bias of the log-determinants of sample
covariances.

References: R. A. A. Ince, B. L. Giordano, C. Kayser, G. A. Rousselet, J. Gross and
P. G. Schyns, "A statistical framework for neuroimaging data analysis based on mutual
information estimated via a Gaussian copula", Human Brain Mapping 38, 1541-1573
(2017).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from .._threads import pairs_on_threads
from .._validation import InvalidParameterError, as_float_column, variable_label
from .._warnings import warn_perfect
from ..kernels._digamma import _digamma
from ..kernels._gaussian import _correlation, _correlation_pairs, _normal_scores_table
from ._base import Estimator, lookup


@functools.lru_cache(maxsize=8)
def _scores_table(n: int) -> np.ndarray:
    table = _normal_scores_table(n)
    table.flags.writeable = False
    return table


def average_ranks(values: np.ndarray) -> np.ndarray:
    """1-based ranks, ties sharing their average rank, times 2 (integers)."""
    order = np.argsort(values, kind="stable")
    sorted_values = values[order]
    starts = np.flatnonzero(np.r_[True, sorted_values[1:] != sorted_values[:-1]])
    ends = np.r_[starts[1:], len(values)]  # exclusive
    doubled = np.empty(len(values), dtype=np.int64)
    doubled[order] = np.repeat(starts + 1 + ends, ends - starts)  # (first + last) ranks
    return doubled


def copula_scores(columns) -> np.ndarray:
    """Normal scores (d', n) of the non-constant columns of one variable; d' may be 0."""
    rows = []
    for label, column in columns:
        values = as_float_column(column, label, "gcmi")
        if values.min() == values.max():
            continue  # a constant column carries no information
        rows.append(_scores_table(len(values))[average_ranks(values)])
    n = len(columns[0][1])
    return np.vstack(rows) if rows else np.empty((0, n))


def _log_det(cov: np.ndarray, n: int, correct: bool) -> float:
    """log det of a sample covariance; with ``correct``, minus its expected excess for
    Gaussian data: (n - 1) S is Wishart, so E[log det S] = log det Sigma +
    d log(2 / (n - 1)) + sum_{i=1..d} psi((n - i) / 2)."""
    d = cov.shape[0]
    if d == 0:
        return 0.0
    sign, value = np.linalg.slogdet(cov)
    if sign <= 0 or not math.isfinite(value):
        raise InvalidParameterError(
            "method='gcmi': the normal scores are linearly dependent (a column repeats "
            "another, or z repeats a column of x or y), so their Gaussian MI is not "
            "defined; drop the repeated columns."
        )
    if correct:
        value -= _bias(d, n)
    return float(value)


def _bias(d: int, n: int) -> float:
    """Expected excess of log det S over log det Sigma for d Gaussian dimensions."""
    return d * math.log(2.0 / (n - 1)) + sum(float(_digamma((n - i) / 2)) for i in range(1, d + 1))


def unit_row(scores: np.ndarray) -> np.ndarray:
    """A row of scores centred and scaled to unit norm: the ``_correlation`` of two is
    their correlation. Made per variable, so a matrix and ``fastmi.mi`` use the same rows."""
    centred = scores - scores.mean()
    return centred / np.linalg.norm(centred)


def mi_of_correlation(r, n: int, correct: bool):
    """-1/2 log(1 - r^2): the Gaussian MI of two 1-D variables with correlation r
    (scalars or arrays), +inf at |r| = 1; log1p keeps small MI accurate to the last
    digits, which the log-determinant form loses to cancellation. ``correct``
    subtracts the log-det bias, a constant per n."""
    r2 = np.minimum(np.square(r), 1.0)
    with np.errstate(divide="ignore"):
        mi = -0.5 * np.log1p(-r2)
    if correct:
        mi = mi - 0.5 * (2 * _bias(1, n) - _bias(2, n))
    return mi


def check_samples(n: int, dims: int, correct: bool) -> None:
    """A sample covariance of dims dimensions needs more samples than dimensions."""
    if n <= dims + correct:
        extra = " (one more with the correction)" if correct else ""
        raise InvalidParameterError(
            f"method='gcmi' needs more samples than dimensions; got {n} samples for "
            f"{dims} non-constant columns{extra}."
        )


def gaussian_mi(blocks: list[np.ndarray], correct: bool) -> float:
    """MI in nats between Gaussian blocks (each (d_b, n)) with the scores' sample
    covariance: sum of block log-dets minus the joint one, halved. With three blocks
    (x, y, z) it is the conditional MI I(x; y | z)."""
    n = blocks[0].shape[1]
    check_samples(n, sum(block.shape[0] for block in blocks), correct)
    if len(blocks) == 2:
        x, y = blocks
        if x.shape[0] == 0 or y.shape[0] == 0:
            return 0.0
        if x.shape[0] == 1 and y.shape[0] == 1:  # the tile's pair function
            return pair(unit_row(x[0]), unit_row(y[0]), n, correct)
        cov = np.atleast_2d(np.cov(np.vstack([x, y])))
        dx = x.shape[0]
        return 0.5 * (
            _log_det(cov[:dx, :dx], n, correct)
            + _log_det(cov[dx:, dx:], n, correct)
            - _log_det(cov, n, correct)
        )
    x, y, z = blocks
    if x.shape[0] == 0 or y.shape[0] == 0:
        return 0.0
    xz, yz, xyz = np.vstack([x, z]), np.vstack([y, z]), np.vstack([x, y, z])
    return 0.5 * (
        _log_det(np.atleast_2d(np.cov(xz)), n, correct)
        + _log_det(np.atleast_2d(np.cov(yz)), n, correct)
        - _log_det(np.atleast_2d(np.cov(xyz)), n, correct)
        - (_log_det(np.atleast_2d(np.cov(z)), n, correct) if z.shape[0] else 0.0)
    )


def pair(x_unit: np.ndarray, y_unit: np.ndarray, n: int, correct: bool) -> float:
    """Gaussian MI in nats of two 1-D variables from their unit rows: the tile's pair
    function (a fixed-order correlation, then -1/2 log(1 - r^2); infinite for a
    perfect monotone relation)."""
    return float(mi_of_correlation(_correlation(x_unit, y_unit), n, correct))


def mi(x, y, opt) -> float:
    value = gaussian_mi([copula_scores(x), copula_scores(y)], opt.correction == "gaussian")
    if math.isinf(value):
        warn_perfect(f"{variable_label(x)} and {variable_label(y)}")
    return value


def cmi(x, y, z, opt) -> float:
    return cmi_pair(*(copula_scores(columns) for columns in (x, y, z)), opt)[0]


def cmi_pair(x: np.ndarray, y: np.ndarray, z: np.ndarray, opt) -> tuple[float, bool]:
    """Gaussian-copula I(X;Y|Z) in nats of the normal scores of three variables (what
    ``cmi`` and each entry of fastmi.pairwise_cmi run); never flagged."""
    return gaussian_mi([x, y, z], correct=opt.correction == "gaussian"), False


@dataclass
class GcmiPart:
    """Unit rows of the normal scores of the variables of a job; a pair's correlation
    is the fixed-order dot product of its two rows."""

    units: np.ndarray
    row: np.ndarray  # -1: a constant variable, MI 0
    n: int
    correct: bool

    def __call__(self, a, b, out) -> np.ndarray:
        """MI of the pairs (a, b) into ``out``; returns which are infinite."""
        ra, rb = self.row[a], self.row[b]
        both = (ra >= 0) & (rb >= 0)
        out[:] = 0.0
        if both.any():
            r = np.empty(int(both.sum()))
            pairs = np.column_stack([ra[both], rb[both]])
            pairs_on_threads(_correlation_pairs, (self.units,), pairs, (), (r,))
            out[both] = mi_of_correlation(r, self.n, self.correct)
        return np.isinf(out)


def part(variables, columns, kinds, opt, partners) -> GcmiPart:
    n = len(columns[0][1])
    rows, kept = {}, []
    for v in variables:
        scores = copula_scores([columns[v]])
        if scores.shape[0]:  # a constant column has none: MI 0
            rows[v] = len(kept)
            kept.append(unit_row(scores[0]))
    correct = opt.correction == "gaussian"
    if kept:  # as mi() checks a pair: 2 dimensions if both vary, else 1 (MI 0)
        varying = list(rows)
        pairs_varying = any(partners(v, w) for v in varying for w in varying if v < w)
        check_samples(n, 2 if pairs_varying else 1, correct)
    units = np.vstack(kept) if kept else np.zeros((0, n))
    return GcmiPart(units, lookup(rows, len(columns)), n, correct)


GCMI = Estimator(
    name="gcmi",
    method="gcmi",
    table=False,
    corrections=("gaussian",),
    cost_per_sample=1e-9,  # bench/bench_pairwise.py, rounded up
    mi=mi,
    part=part,
    cmi=cmi,
    flag_warning=lambda subject, count, n: warn_perfect(subject),
    cmi_prepare=lambda columns, opt: copula_scores(columns),
    cmi_pair=cmi_pair,
)
