"""Null distributions of MI estimates: analytic ones where theory gives them, and the
permutation schemes (plain, within strata, local) for the rest."""

from __future__ import annotations

import numpy as np

from .._continuous import grid_cells, prepare_points
from .._encode import joint_codes
from .._validation import variable_kind
from ..estimators.gcmi import copula_scores
from ..kernels._chi2 import _chi2_sf
from ..kernels._neighbours import _k_nearest

#: Cochran's rule for the chi-square approximation of the G-test: at most this share
#: of the cells may expect fewer than COCHRAN_MIN_EXPECTED counts.
COCHRAN_SHARE = 0.2
COCHRAN_MIN_EXPECTED = 5.0

#: Neighbours in z among which the local permutation of cmi_test draws (Runge 2018
#: found 5 to 10 to work across settings).
LOCAL_NEIGHBOURS = 5


def analytic_kind(estimator, correction) -> str | None:
    """The analytic null of an estimator's MI: "g-test" for the plug-in estimate of a
    table, "gaussian" for Gaussian-copula MI, None where there is none (kNN, corrected
    estimates, whose statistic is not the likelihood ratio)."""
    if correction is not None:
        return None
    if estimator.table:
        return "g-test"
    if estimator.name == "gcmi":
        return "gaussian"
    return None


def level_counts(codes) -> np.ndarray:
    """Counts of the observed levels of prepared codes (empty bins dropped)."""
    counts = np.bincount(codes.codes, minlength=codes.n_levels)
    return counts[counts > 0]


def g_test_df(counts_x: np.ndarray, counts_y: np.ndarray) -> int:
    """(r - 1)(c - 1) over the observed levels: the degrees of freedom of
    G = 2 n I (I in nats) under independence (Wilks 1938)."""
    return (counts_x.size - 1) * (counts_y.size - 1)


def cochran_holds(counts_x: np.ndarray, counts_y: np.ndarray) -> bool:
    """Whether at most 20 % of the cells expect fewer than 5 counts under
    independence (expected n_i n_j / n): where the chi-square null is trusted."""
    n = counts_x.sum()
    if counts_x.size < 2 or counts_y.size < 2:
        return True  # df 0: the statistic is 0 exactly, p = 1
    small_x = np.sort(counts_x)
    # cells (i, j) with n_i n_j < 5 n: for each level of y, the levels of x below 5n/n_j
    small = np.searchsorted(small_x, COCHRAN_MIN_EXPECTED * n / counts_y, side="left").sum()
    return small <= COCHRAN_SHARE * counts_x.size * counts_y.size


def gaussian_df(x_columns, y_columns) -> int:
    """dx dy over the non-constant columns: the degrees of freedom of 2 n I for
    Gaussian(-copula) MI under independence."""
    return copula_scores(x_columns).shape[0] * copula_scores(y_columns).shape[0]


def chi2_sf(statistic: float, df: int) -> float:
    """P(chi2(df) >= statistic); 1 for df 0 (the statistic is then 0)."""
    return float(_chi2_sf(float(statistic), int(df)))


def table_null(estimator, x_columns, y_columns, opt):
    """(df, whether Cochran's rule holds) of the G-test of a table estimator's pair."""
    counts_x = level_counts(estimator.codes(x_columns, opt))
    counts_y = level_counts(estimator.codes(y_columns, opt))
    return g_test_df(counts_x, counts_y), cochran_holds(counts_x, counts_y)


def permuted(columns, permutation):
    """The columns of a variable with their rows permuted (labels kept)."""
    return [(label, np.asarray(column)[permutation]) for label, column in columns]


def strata_of(z_columns) -> tuple[np.ndarray, int] | None:
    """Codes of z when every column of it is discrete (permute within them), else
    None."""
    if any(variable_kind([column]) != "discrete" for column in z_columns):
        return None
    return joint_codes(z_columns)


def within_strata(codes: np.ndarray, rng) -> np.ndarray:
    """A permutation that moves each sample only within its stratum of z: exactly
    the permutations that keep z and the dependence of x on z."""
    n = codes.size
    order = np.lexsort((rng.random(n), codes))  # by stratum, randomly within
    by_stratum = np.argsort(codes, kind="stable")
    permutation = np.empty(n, dtype=np.int64)
    permutation[by_stratum] = order
    return permutation


def z_neighbours(z_columns, k: int) -> np.ndarray:
    """(n, k + 1) indices of each sample and its k nearest neighbours in z
    (max-norm, columns scaled to unit variance, ties broken by a tiny jitter)."""
    points = prepare_points(z_columns, "ksg", k, jitter=1e-10, seed=0)
    n = points.values.shape[1]
    _, nearest = _k_nearest(points, points, min(k, n - 1), grid_cells(n))
    return np.column_stack([np.arange(n), nearest])


def local_permutation(neighbours: np.ndarray, rng) -> np.ndarray:
    """Runge's (2018) local permutation: samples in random order, each takes the x of
    a random one of its neighbours in z not yet taken, or of a random neighbour when
    all are. x then varies only among samples of similar z, so the dependence of x
    on z survives while that of x on y given z is broken."""
    n, width = neighbours.shape
    taken = np.zeros(n, dtype=bool)
    permutation = np.empty(n, dtype=np.int64)
    shuffled = rng.permuted(neighbours, axis=1)
    for i in rng.permutation(n):
        row = shuffled[i]
        free = row[~taken[row]]
        j = free[0] if free.size else row[rng.integers(width)]
        taken[j] = True
        permutation[i] = j
    return permutation


def conditional_table_null(estimator, x_columns, y_columns, z_columns, opt):
    """(df, whether Cochran's rule holds) of the G-test of conditional independence:
    the sum over the levels of z of (r_z - 1)(c_z - 1), r_z and c_z the levels of x
    and y seen with z; Cochran's rule over all the cells of all the strata."""
    cx = estimator.codes(x_columns, opt).codes
    cy = estimator.codes(y_columns, opt).codes
    cz = estimator.codes(z_columns, opt).codes
    df = small = cells = 0
    order = np.argsort(cz, kind="stable")
    bounds = np.flatnonzero(np.diff(cz[order])) + 1
    for members in np.split(order, bounds):
        counts_x = np.unique(cx[members], return_counts=True)[1]
        counts_y = np.unique(cy[members], return_counts=True)[1]
        df += (counts_x.size - 1) * (counts_y.size - 1)
        expected = np.outer(counts_x, counts_y) / members.size
        small += np.count_nonzero(expected < COCHRAN_MIN_EXPECTED)
        cells += expected.size
    return df, small <= COCHRAN_SHARE * max(cells, 1)
