"""``pairwise_test``: a matrix of MI estimates with a p-value per pair, adjusted for
the number of pairs."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np

from .._options import (
    MATRIX_BACKENDS,
    check_choice,
    check_int,
    estimation_options,
    run_options,
    with_parameters,
)
from .._validation import InvalidParameterError, as_float_column, column_kind
from .._warnings import CalibrationWarning, user_stacklevel
from ..estimators import KINDS, REGISTRY, resolve
from ..kernels._chi2 import _chi2_sf_array, _small_expected_cells
from ..pairwise._api import _computed, _labels, _matrix_columns
from ..pairwise._engine import matrix_of_columns, plan_of_columns, progress_bar, show_progress
from . import _adjust, _nulls
from ._single import NULLS, TIES_TOLERANCE, quiet_null


@dataclass(frozen=True)
class PairwiseTestResult:
    """The result of :func:`fastmi.pairwise_test`.

    Attributes
    ----------
    mi : ndarray or DataFrame
        The MI matrix, as :func:`fastmi.pairwise_mi` gives it.
    pvalue : ndarray or DataFrame
        The p-value of each pair (NaN on the diagonal of a square matrix).
    adjusted : ndarray or DataFrame
        The p-values adjusted for the number of pairs by ``correction`` (equal to
        ``pvalue`` without one): compare these with the level, e.g. 0.05.
    correction : str or None
        ``"fdr_bh"``, ``"bonferroni"``, ``"maxstat"`` or None.
    nulls : dict
        Pairs per null distribution: ``"g-test"``, ``"gaussian"``, ``"permutation"``.
    n_permutations : int
        Permuted matrices computed (0 when every pair had an analytic null).
    """

    mi: object
    pvalue: object
    adjusted: object
    correction: str | None
    nulls: dict
    n_permutations: int


def _tested_pairs(p: int, q: int, square: bool):
    """(rows, columns) of the pairs a matrix tests: each pair once."""
    if square:
        return np.triu_indices(p, 1)
    rows, columns = np.indices((p, q))
    return rows.ravel(), columns.ravel()


def _pairs_by_estimator(method, kinds, rows, cols) -> dict[str, np.ndarray]:
    """{estimator name: indices of the tested pairs it estimates}, resolved once per
    pair of kinds."""
    kind_index = {kind: i for i, kind in enumerate(KINDS)}
    codes = np.array([kind_index[kind] for kind in kinds], dtype=np.int64)
    pair_kind = codes[rows] * len(KINDS) + codes[cols]
    groups: dict[str, list] = {}
    for a, kind_a in enumerate(KINDS):
        for b, kind_b in enumerate(KINDS):
            here = np.flatnonzero(pair_kind == a * len(KINDS) + b)
            if here.size:
                groups.setdefault(resolve(method, kind_a, kind_b).name, []).append(here)
    return {name: np.sort(np.concatenate(parts)) for name, parts in groups.items()}


def _level_counts(estimator, columns, variables, opt):
    """(counts (variables, width), levels) of the table estimator's codes of each
    variable."""
    counts = [_nulls.level_counts(estimator.codes([columns[v]], opt)) for v in variables]
    width = max((c.size for c in counts), default=1)
    table = np.zeros((len(counts), width))
    for row, c in enumerate(counts):
        table[row, : c.size] = c
    return table, np.array([c.size for c in counts], dtype=np.int64)


def _varies(column) -> bool:
    """Whether a column is not constant (gcmi's d counts those only)."""
    label, values = column
    values = as_float_column(values, label, "gcmi")
    return bool(values.min() != values.max())


def _analytic_pvalues(by_estimator, rows, cols, values_nats, columns, opt, n):
    """(p-values, null kind per pair, pairs where Cochran's rule fails), for the
    pairs whose estimator has an analytic null; NaN elsewhere."""
    pvalues = np.full(rows.size, np.nan)
    kinds = np.full(rows.size, "", dtype=object)
    untrusted = np.zeros(rows.size, dtype=bool)
    for name, here in by_estimator.items():
        estimator = REGISTRY[name]
        analytic = _nulls.analytic_kind(estimator, None)
        if analytic is None:
            continue
        used = np.zeros(len(columns), dtype=bool)
        used[rows[here]] = used[cols[here]] = True
        variables = np.flatnonzero(used)
        index = np.full(len(columns), -1, dtype=np.int64)
        index[variables] = np.arange(variables.size)
        a, b = index[rows[here]], index[cols[here]]
        if analytic == "g-test":
            counts, levels = _level_counts(estimator, columns, variables, opt)
            df = (levels[a] - 1) * (levels[b] - 1)
            small = np.empty(here.size, dtype=np.int64)
            pairs = np.column_stack([a, b])
            _small_expected_cells(counts, levels, pairs, n, _nulls.COCHRAN_MIN_EXPECTED, small)
            cells = levels[a] * levels[b]
            untrusted[here] = (df > 0) & (small > _nulls.COCHRAN_SHARE * cells)
        else:
            varies = np.array([_varies(columns[v]) for v in variables], dtype=np.int64)
            df = varies[a] * varies[b]
        out = np.empty(here.size)
        _chi2_sf_array(2.0 * n * values_nats[here], df.astype(np.int64), out)
        pvalues[here], kinds[here] = out, analytic
    return pvalues, kinds, untrusted


def _permutation_pvalues(columns, p, square, observed, rows, cols, opt, run, n_permutations):
    """(p-value per tested pair, the maximum of each permuted matrix over the tested
    pairs): every column permuted independently, B matrices."""
    rng = np.random.default_rng(opt.seed)
    n = len(columns[0][1])
    arrays = [(label, np.asarray(column)) for label, column in columns]
    statistic = observed[rows, cols]
    tolerance = TIES_TOLERANCE * np.maximum(1.0, np.abs(statistic))
    exceed = np.zeros(rows.size, dtype=np.int64)
    maxima = np.empty(n_permutations)
    quiet = run_options(
        n_jobs=run.n_jobs, progress=False, backend=run.backend, client=run.client,
        backends=MATRIX_BACKENDS,
    )  # fmt: skip
    x_columns = [(label, column) for label, column in arrays[:p]]
    seconds = plan_of_columns(x_columns, None if square else arrays[p:], opt, quiet)[0].seconds
    bar = progress_bar(show_progress(run.progress, seconds * n_permutations), n_permutations)
    try:
        with quiet_null():
            for b in range(n_permutations):
                moved = [(label, column[rng.permutation(n)]) for label, column in arrays]
                null = matrix_of_columns(moved[:p], None if square else moved[p:], opt, quiet)[
                    rows, cols
                ]
                exceed += null >= statistic - tolerance
                maxima[b] = np.nanmax(null) if null.size else -np.inf
                if bar is not None:
                    bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    return (1.0 + exceed) / (1.0 + n_permutations), maxima


@with_parameters("method", "k", "bins", "binning", "jitter", "random_state", "base")
def pairwise_test(
    X,
    Y=None,
    *,
    method="auto",
    null="auto",
    n_permutations=100,
    correction="fdr_bh",
    k=3,
    bins="auto",
    binning="uniform",
    jitter=1e-10,
    random_state=0,
    base=math.e,
    n_jobs=None,
    progress=None,
    backend="threads",
    client=None,
) -> PairwiseTestResult:
    """The MI matrix of a table with a p-value for every pair, adjusted for the number
    of pairs.

    In a matrix of P variables, P (P - 1) / 2 estimates are compared at once: at the
    5 % level, 1 in 20 independent pairs looks dependent by chance. Each pair gets a
    p-value from its null distribution (analytic or by permutation, as in
    :func:`fastmi.mi_test`), then ``correction`` adjusts them for the number of
    pairs.

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_samples, p)
        One variable per column, as in :func:`fastmi.pairwise_mi`.
    Y : array-like or DataFrame of shape (n_samples, q), optional
        Test every column of X against every column of Y instead.
    null : {"auto", "permutation", "analytic"}, default "auto"
        As in :func:`fastmi.mi_test`, pair by pair: with ``"auto"``, pairs of table
        estimators (whose cells expect enough counts) and gcmi pairs get the analytic
        chi-square null, the others a permutation null; no permutation runs when every
        pair has an analytic null. ``"analytic"`` needs one for every pair.
    n_permutations : int, default 100
        Permuted matrices (every column permuted on its own) for the permutation
        null; the smallest p-value possible is 1 / (n_permutations + 1), which must
        be small enough to survive the correction (with Bonferroni, below
        alpha / pairs).
    correction : {"fdr_bh", "bonferroni", "maxstat", None}, default "fdr_bh"
        ``"fdr_bh"``: Benjamini-Hochberg, the expected share of false discoveries
        among the pairs with adjusted p <= alpha is at most alpha. ``"bonferroni"``:
        the probability of any false discovery is at most alpha. ``"maxstat"``: the
        same family-wise control from the maximum of each permuted matrix (Westfall
        and Young 1993), less conservative than Bonferroni for dependent pairs;
        permutations only, and best with one estimator for all pairs (the maximum
        compares raw MI values). None: no adjustment.
    {parameters}
    n_jobs : int, optional
        Threads (default: all cores).
    progress : bool, optional
        A progress bar over the permutations (default: when they take over 10 s).
    backend, client
        As in :func:`fastmi.pairwise_mi`: ``backend="dask"`` runs the tiles of the
        matrix and of every permuted matrix on a Dask cluster, ``backend="cuda"`` on
        a GPU (its columns prepared and copied to the device once per matrix; checked
        on Numba's CUDA simulator only, :doc:`/gpu`), with the same result.

    Returns
    -------
    PairwiseTestResult
        ``mi``, ``pvalue`` and ``adjusted`` matrices (DataFrames for DataFrame input;
        the diagonal of a square matrix holds entropies in ``mi`` and NaN p-values),
        ``correction``, ``nulls`` (pairs per null) and ``n_permutations``.
        :func:`fastmi.top_pairs` lists the strongest pairs with their p-values.

    See Also
    --------
    fastmi.mi_test : one pair.
    fastmi.pairwise_mi : the matrix alone.

    References
    ----------
    .. [1] Y. Benjamini and Y. Hochberg, "Controlling the false discovery rate: a
       practical and powerful approach to multiple testing", Journal of the Royal
       Statistical Society B 57, 289-300 (1995).
    .. [2] P. H. Westfall and S. S. Young, "Resampling-Based Multiple Testing", Wiley
       (1993).

    Examples
    --------
    >>> import numpy as np
    >>> import fastmi
    >>> rng = np.random.default_rng(0)
    >>> X = rng.integers(0, 3, size=(1000, 6))
    >>> X[:, 1] = (X[:, 0] + (rng.random(1000) < 0.3)) % 3  # 0 and 1 dependent
    >>> result = fastmi.pairwise_test(X)
    >>> result.nulls
    {'g-test': 15}
    >>> bool(result.adjusted[0, 1] < 0.05), bool((result.adjusted[2:, 2:] < 0.05).any())
    (True, False)
    """
    opt = estimation_options(
        method=method, k=k, bins=bins, binning=binning, jitter=jitter,
        random_state=random_state, base=base,
    )  # fmt: skip
    null = check_choice(null, "null", NULLS)
    if correction is not None:
        check_choice(correction, "correction", _adjust.ADJUSTMENTS[:-1], none=True)
    n_permutations = check_int(n_permutations, "n_permutations", min_value=1)
    run = run_options(
        n_jobs=n_jobs, progress=progress, backend=backend, client=client,
        backends=MATRIX_BACKENDS,
    )  # fmt: skip
    if correction == "maxstat" and null == "analytic":
        raise InvalidParameterError(
            "correction='maxstat' takes the maximum of permuted matrices; it needs "
            "null='permutation' (or 'auto'), not null='analytic'."
        )
    X, Y = _computed(X, client), _computed(Y, client)
    x_columns = _matrix_columns(X, "X")
    y_columns = _matrix_columns(Y, "Y") if Y is not None else None
    columns = x_columns + (y_columns or [])
    p, square = len(x_columns), y_columns is None
    q = p if square else len(y_columns)
    observed = np.asarray(matrix_of_columns(x_columns, y_columns, opt, run), dtype=np.float64)
    n = len(columns[0][1])
    rows, cols = _tested_pairs(p, q, square)
    cols_all = cols if square else cols + p  # index into columns
    kinds = [column_kind(column) for _, column in columns]
    by_estimator = _pairs_by_estimator(opt.method, kinds, rows, cols_all)
    statistic = observed[rows, cols]
    pvalues, null_kinds, untrusted = _analytic_pvalues(
        by_estimator, rows, cols_all, statistic * opt.log_base, columns, opt, n
    )
    analytic = null_kinds != ""
    if null == "analytic":
        missing = sorted(name for name, here in by_estimator.items() if not analytic[here[0]])
        if missing:
            raise InvalidParameterError(
                f"null='analytic': pairs on {', '.join(map(repr, missing))} have no "
                f"analytic null (kNN estimators). Use null='auto', which permutes those."
            )
        if untrusted.any():
            warnings.warn(
                f"{np.count_nonzero(untrusted)} pairs have tables whose cells expect fewer "
                f"than 5 counts, where the G-test's chi-square null is badly calibrated; "
                f"null='auto' permutes those pairs.",
                CalibrationWarning,
                stacklevel=user_stacklevel(),
            )
    permute = np.ones(rows.size, dtype=bool) if null == "permutation" else ~analytic
    if null == "auto":
        permute |= untrusted
    if correction == "maxstat":
        permute[:] = True
    ran = 0
    maxima = None
    if permute.any():
        permuted, maxima = _permutation_pvalues(
            columns, p, square, observed, rows, cols, opt, run, n_permutations
        )
        pvalues[permute] = permuted[permute]
        null_kinds[permute] = "permutation"
        ran = n_permutations
    if correction == "fdr_bh":
        adjusted = _adjust.fdr_bh(pvalues)
    elif correction == "bonferroni":
        adjusted = _adjust.bonferroni(pvalues)
    elif correction == "maxstat":
        adjusted = _adjust.maxstat(statistic, maxima)
    else:
        adjusted = pvalues.copy()
    nulls = {kind: int(np.count_nonzero(null_kinds == kind)) for kind in
             ("g-test", "gaussian", "permutation") if np.any(null_kinds == kind)}  # fmt: skip
    return PairwiseTestResult(
        _labelled(observed, X, Y),
        _labelled(_fill(pvalues, rows, cols, (p, q), square), X, Y),
        _labelled(_fill(adjusted, rows, cols, (p, q), square), X, Y),
        correction,
        nulls,
        ran,
    )


def _fill(values, rows, cols, shape, square) -> np.ndarray:
    matrix = np.full(shape, np.nan)
    matrix[rows, cols] = values
    if square:
        matrix[cols, rows] = values
    return matrix


def _labelled(matrix, X, Y):
    labels_x = _labels(X)
    labels_y = _labels(Y) if Y is not None else labels_x
    if labels_x is None and labels_y is None:
        return matrix
    import pandas as pd

    values = matrix.to_numpy() if hasattr(matrix, "to_numpy") else matrix
    return pd.DataFrame(values, index=labels_x, columns=labels_y)
