"""pairwise_mi and mi_with_target: MI matrices over many variables."""

from __future__ import annotations

import math

import numpy as np

from .. import _config
from .._api import _options, _with_parameters
from .._dispatch import AUTO_ESTIMATOR, CORRECTIONS, dense_table_cells, ksg_grid_cells
from .._gaussian import check_samples, mi_of_correlation, unit_rows
from .._logs import log_table
from .._normalize import check_normalize, normalized
from .._validation import InvalidParameterError, as_columns, check_enough_samples, column_kind
from . import _drivers
from ._engine import (
    COST_PER_SAMPLE,
    check_memory,
    check_n_jobs,
    numba_threads,
    progress_bar,
    run_tiles,
    show_progress,
)
from ._prepare import CodesBank, KnnBank, add_codes, discrete_entropy, scores

_TABLE = ("discrete", "hist")


def _matrix_columns(data, name: str) -> list[tuple[str, object]]:
    """The variables of a 2-D table: one per column, each 1-D."""
    array_like = data if hasattr(data, "columns") else np.asarray(data)
    if not hasattr(data, "columns") and array_like.ndim != 2:
        raise InvalidParameterError(
            f"{name} must be 2-D (n_samples, n_variables), one variable per column; got "
            f"shape {array_like.shape}. For a single variable use fastmi.mi, or pass "
            f"{name}.reshape(-1, 1)."
        )
    if not hasattr(data, "columns"):
        array_like = np.asfortranarray(array_like)  # each column contiguous
    return as_columns(array_like if not hasattr(data, "columns") else data, name)


def _labels(data):
    return list(data.columns) if hasattr(data, "columns") else None


def _pair_estimator(method: str, kind_a: str, kind_b: str) -> str:
    """The estimator of one pair: ``method``, or the auto table on the column kinds;
    'mixed' splits into Ross (one discrete, one continuous column) and Gao."""
    estimator = AUTO_ESTIMATOR[(kind_a, kind_b)] if method == "auto" else method
    if estimator == "mixed":
        return "ross" if kind_a != kind_b else "gao"
    return estimator


def _plan(method, kinds, pairs):
    """Group the pairs by estimator: {estimator: pair indices}. Vectorised over the
    pairs: a job can have millions."""
    continuous = np.array([kind == "continuous" for kind in kinds])
    kind_pair = continuous[pairs[:, 0]] * 2 + continuous[pairs[:, 1]]  # 0 dd .. 3 cc
    names = ("discrete", "continuous")
    groups = {}
    for code in np.unique(kind_pair):
        estimator = _pair_estimator(method, names[code // 2], names[code % 2])
        members = np.flatnonzero(kind_pair == code)
        groups[estimator] = np.concatenate([groups.get(estimator, []), members]).astype(np.int64)
    return groups


def _rows(rows: dict[int, int], variables: np.ndarray) -> np.ndarray:
    """The bank rows of an array of variable indices."""
    lookup = np.full(max(rows) + 1, -1, dtype=np.int64)
    lookup[list(rows)] = list(rows.values())
    return lookup[variables]


def _check_correction(correction, groups) -> None:
    for estimator in groups:
        public = "mixed" if estimator in ("ross", "gao") else estimator
        if public not in CORRECTIONS[correction]:
            fits = " or ".join(repr(m) for m in CORRECTIONS[correction])
            raise InvalidParameterError(
                f"correction={correction!r} applies to method={fits}; some pairs here use "
                f"{public!r}. Pass correction=None, or pick a method."
            )


def _estimate_seconds(groups, n: int, threads: int) -> float:
    return sum(COST_PER_SAMPLE[e] * len(ts) * n for e, ts in groups.items()) / threads


def _required_bytes(n_vars: int, n: int, cells: int, dtype, threads: int) -> int:
    prepared = n_vars * n * (4 * 8 + 8)  # kNN rows (values, sorted, order, rank) + codes
    scratch = threads * n * 64  # per-thread grid and count arrays
    return cells * (np.dtype(dtype).itemsize + 8) + prepared + scratch


def _compute(columns, kinds, pairs, groups, opt, bar, memo):
    """MI in nats of every pair, estimator group by estimator."""
    n = len(columns[0][1])
    values = np.full(len(pairs), np.nan)
    for estimator, members in groups.items():
        chosen = pairs[members]
        if estimator in _TABLE:
            bank = CodesBank()
            for v in np.unique(chosen):
                add_codes(bank, v, *columns[v], estimator, opt, memo)
            codes, n_levels = bank.arrays()
            bits, bit_row = bank.bitsets(_config.BITSET_MAX_LEVELS)
            rows = _rows(bank.rows, chosen)
            result = run_tiles(
                _drivers._discrete_mi_pairs,
                (codes, n_levels, bits, bit_row, log_table(n)),
                rows,
                (dense_table_cells(n), _config.BITSET_MAX_CELLS, opt.correction == "miller-madow"),
                bar,
            )
        elif estimator in ("ksg", "ksg2"):
            result = _knn_pairs(columns, chosen, estimator, opt, bar, n)
        elif estimator == "ross":
            result = _ross_pairs(columns, kinds, chosen, opt, bar, n)
        elif estimator == "gao":
            result = _gao_pairs(columns, chosen, opt, bar, n)
        else:  # gcmi: the Gaussian MI of the normal scores, pair by pair
            result = _gcmi_pairs(columns, chosen, opt, bar)
        values[members] = result
    return values


def _knn_pairs(columns, chosen, estimator, opt, bar, n):
    check_enough_samples(n, opt.k)
    bank = KnnBank()
    for v in np.unique(chosen):
        bank.add(v, columns[v][1], columns[v][0], estimator, opt, opt.jitter)
    rows = _rows(bank.rows, chosen)
    result = run_tiles(
        _drivers._ksg_mi_pairs,
        bank.arrays(),
        rows,
        (opt.k, 1 if estimator == "ksg" else 2, ksg_grid_cells(n)),
        bar,
    )
    constant = np.asarray(bank.constant)
    result[constant[rows[:, 0]] | constant[rows[:, 1]]] = 0.0
    return result


def _ross_pairs(columns, kinds, chosen, opt, bar, n):
    check_enough_samples(n, opt.k)
    first_discrete = np.array([kind == "discrete" for kind in kinds])[chosen[:, 0]]
    oriented = np.where(first_discrete[:, None], chosen, chosen[:, ::-1])
    labels, knn = CodesBank(), KnnBank()
    for v in np.unique(oriented[:, 0]):
        add_codes(labels, v, *columns[v], "discrete", opt)
    for v in np.unique(oriented[:, 1]):
        knn.add(v, columns[v][1], columns[v][0], "mixed", opt, opt.jitter)
    codes, n_levels = labels.arrays()
    values, sorted_, order, _ = knn.arrays()
    rows = np.column_stack(
        [
            _rows(labels.rows, oriented[:, 0]),
            _rows(knn.rows, oriented[:, 1]),
        ]
    )
    result = run_tiles(
        _drivers._ross_mi_pairs, (codes, n_levels, sorted_, order), rows, (opt.k,), bar
    )
    one_label = (codes == codes[:, :1]).all(axis=1)  # a constant discrete variable
    trivial = np.asarray(knn.constant)[rows[:, 1]] | one_label[rows[:, 0]]
    result[trivial] = 0.0
    bad = np.flatnonzero(np.isnan(result))
    if bad.size:
        label = columns[oriented[bad[0], 0]][0]
        raise InvalidParameterError(
            f"{label} has no label that occurs twice, so the mixed estimator has no "
            f"neighbours to compare; it needs repeated labels."
        )
    return result


def _gao_pairs(columns, chosen, opt, bar, n):
    check_enough_samples(n, opt.k)
    knn, exact = KnnBank(), CodesBank()
    for v in np.unique(chosen):
        knn.add(v, columns[v][1], columns[v][0], "mixed", opt, 0.0)
        add_codes(exact, v, *columns[v], "discrete", opt)
    rows_knn = _rows(knn.rows, chosen)  # also the rows of ``exact``: same order of adding
    codes, n_levels = exact.arrays()
    values, sorted_, order, rank = knn.arrays()
    result = run_tiles(
        _drivers._gao_mi_pairs,
        (values, sorted_, order, rank, codes, n_levels),
        rows_knn,
        (opt.k, ksg_grid_cells(n)),
        bar,
    )
    constant = np.asarray(knn.constant)
    result[constant[rows_knn[:, 0]] | constant[rows_knn[:, 1]]] = 0.0
    return result


def _gcmi_pairs(columns, chosen, opt, bar):
    """Gaussian-copula MI of 1-D pairs at once: correlations of the unit-norm normal
    scores are one matrix product, then -1/2 log(1 - r^2), as mi() computes a pair."""
    n = len(columns[0][1])
    variables = np.unique(chosen)
    rows, kept = {}, []
    for v in variables:
        block = scores(*columns[v])
        if block is not None:  # a constant column: MI 0
            rows[v] = len(kept)
            kept.append(block)
    result = np.zeros(len(chosen))
    if kept:
        check_samples(n, 2, opt.correction == "gaussian")
        units = unit_rows(np.vstack(kept))
        correlations = units @ units.T
        lookup = np.full(int(variables.max()) + 1, -1, dtype=np.int64)
        lookup[list(rows)] = list(rows.values())
        a, b = lookup[chosen[:, 0]], lookup[chosen[:, 1]]
        both = (a >= 0) & (b >= 0)
        r = correlations[a[both], b[both]]
        result[both] = mi_of_correlation(r, n, opt.correction == "gaussian")
    if bar is not None:
        bar.update(len(chosen))
    return result


def _diagonal(columns, kinds, method, opt, memo=None):
    """H(X_i) for table estimators (what mi(x, x) gives), NaN for continuous ones.
    ``memo`` (codes by variable index) only for the columns of X, indexed from 0."""
    diagonal = np.full(len(columns), np.nan)
    for v, (label, column) in enumerate(columns):
        estimator = _pair_estimator(method, kinds[v], kinds[v])
        if estimator in _TABLE:
            bank = CodesBank()
            add_codes(bank, v, label, column, estimator, opt, memo)
            diagonal[v] = discrete_entropy(
                bank.codes[0], bank.n_levels[0], opt.correction == "miller-madow"
            )
    return diagonal


@_with_parameters("method", "k", "bins", "binning", "jitter", "random_state", "clip", "base")
def pairwise_mi(
    X,
    Y=None,
    *,
    method="auto",
    k=3,
    bins="auto",
    binning="uniform",
    correction=None,
    jitter=1e-10,
    random_state=0,
    clip=False,
    normalize=None,
    base=math.e,
    n_jobs=None,
    progress=None,
    dtype=None,
):
    """Mutual information between every pair of columns, in nats.

    ``pairwise_mi(X)[i, j]`` equals ``fastmi.mi(X[:, i], X[:, j])`` with the same
    options (to 1e-12); with ``Y``, ``pairwise_mi(X, Y)[i, j]`` equals
    ``fastmi.mi(X[:, i], Y[:, j])``. Each column is prepared once (codes, bins,
    scaling, jitter, sort order), then the pairs run in parallel over Numba threads,
    tile by tile.

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_samples, n_variables)
        One variable per column. A DataFrame may mix column kinds (int, categorical,
        str, float); ``method="auto"`` then picks the estimator pair by pair.
    Y : array-like or DataFrame of shape (n_samples, n_other), optional
        A second set of variables: the result is the n_variables x n_other cross
        matrix (for example the units of one network layer against another's).
    {parameters}
    correction : {None, "miller-madow", "gaussian"}, default None
        As in :func:`fastmi.mi`; must fit the estimators in use.
    normalize : {None, "corr", "arithmetic", "geometric", "min", "max", "joint"}
        ``"corr"``: sqrt(1 - exp(-2 I)), the correlation scale (``|rho|`` for Gaussians),
        for every method. The others divide by entropies (table estimators only):
        the arithmetic or geometric mean, minimum or maximum of H(X), H(Y), or H(X,Y).
    n_jobs : int or None, default None
        Numba threads: None or -1 for all cores, as in scikit-learn. The previous
        thread count is restored afterwards. The result is identical for any value.
    progress : bool or None, default None
        A tqdm progress bar over the pairs on stderr; None shows it when the job is
        estimated to take more than 10 s and stderr is a terminal.
    dtype : numpy dtype, default float64
        dtype of the result; ``np.float32`` halves its memory.

    Returns
    -------
    ndarray or DataFrame of shape (n_variables, n_variables) or (n_variables, n_other)
        Symmetric without ``Y``. Diagonal: H(X_i) for table estimators (I(X;X) = H(X)),
        NaN for continuous estimators (I(X;X) is infinite). Normalised, the diagonal
        is what ``mi(x, x, normalize=...)`` gives for table estimators and 1 for
        continuous ones. A DataFrame when X or Y is one, labelled by the columns.

    Raises
    ------
    InvalidParameterError
        As :func:`fastmi.mi`, naming the offending column; also bad ``n_jobs``,
        ``progress``, ``normalize`` or ``dtype``.
    MemoryError
        Before starting, when the matrix and the prepared data would not fit in the
        available memory; the message names the size and the ways out.

    See Also
    --------
    fastmi.mi : one pair. fastmi.mi_with_target : every column against one target.

    Examples
    --------
    >>> import numpy as np
    >>> import fastmi
    >>> rng = np.random.default_rng(0)
    >>> a = rng.integers(0, 4, 1000)
    >>> X = np.column_stack([a, a % 2, rng.integers(0, 4, 1000)])
    >>> np.round(fastmi.pairwise_mi(X, base=2), 2)
    array([[2., 1., 0.],
           [1., 1., 0.],
           [0., 0., 2.]])
    """
    opt, log_base = _options(method, k, bins, binning, correction, jitter, random_state, clip, base)
    x_columns = _matrix_columns(X, "X")
    y_columns = _matrix_columns(Y, "Y") if Y is not None else None
    result = matrix_of_columns(
        x_columns,
        y_columns,
        method=method,
        opt=opt,
        clip=clip,
        normalize=normalize,
        log_base=log_base,
        n_jobs=n_jobs,
        progress=progress,
        dtype=dtype,
    )
    labels_x = _labels(X)
    labels_y = _labels(Y) if Y is not None else labels_x
    if labels_x is None and labels_y is None:
        return result
    import pandas as pd

    return pd.DataFrame(result, index=labels_x, columns=labels_y)


def matrix_of_columns(
    x_columns, y_columns, *, method, opt, clip, normalize, log_base, n_jobs, progress, dtype
):
    """The MI matrix of lists of (label, 1-D column): square without y_columns."""
    n_jobs = check_n_jobs(n_jobs)
    try:
        dtype = np.dtype(np.float64 if dtype is None else dtype)
    except TypeError:
        dtype = None
    if dtype is None or dtype.kind != "f":
        raise InvalidParameterError("dtype must be a float dtype such as np.float64 or np.float32.")
    columns = x_columns + (y_columns or [])
    n = len(columns[0][1])
    for label, column in columns:
        if len(column) != n:
            raise InvalidParameterError(
                f"all variables must have the same number of samples; got {n} for "
                f"{columns[0][0]} and {len(column)} for {label}."
            )
    kinds = [column_kind(column) for _, column in columns]
    p = len(x_columns)
    if y_columns is None:
        pairs = np.column_stack(np.triu_indices(p, 1)).astype(np.int64)
        shape = (p, p)
    else:
        q = len(y_columns)
        pairs = np.column_stack([np.repeat(np.arange(p), q), p + np.tile(np.arange(q), p)])
        shape = (p, q)
    groups = _plan(method, kinds, pairs)
    _check_correction(opt.correction, groups)
    in_use = ["mixed" if e in ("ross", "gao") else e for e in groups]
    check_normalize(normalize, in_use or [_pair_estimator(method, kinds[0], kinds[0])])
    memo: dict = {}  # codes prepared once, shared by pairs and diagonal
    with numba_threads(n_jobs) as threads:
        check_memory(
            _required_bytes(len(columns), n, shape[0] * shape[1], dtype, threads), shape, dtype
        )
        bar = progress_bar(
            show_progress(progress, _estimate_seconds(groups, n, threads)), len(pairs)
        )
        try:
            values = _compute(columns, kinds, pairs, groups, opt, bar, memo)
        finally:
            if bar is not None:
                bar.close()
    result = np.empty(shape, dtype=np.float64)
    if y_columns is None:
        rows, cols = np.triu_indices(p, 1)
        result[rows, cols] = values
        result[cols, rows] = values
        result[np.diag_indices(p)] = _diagonal(x_columns, kinds, method, opt, memo)
    else:
        result[:] = values.reshape(shape)
    if clip:
        np.maximum(result, 0.0, where=~np.isnan(result), out=result)
    if normalize is not None:
        result = _normalize_matrix(
            result, normalize, x_columns, y_columns or [], kinds, method, opt, y_columns is None
        )
    else:
        result /= log_base
    return result.astype(dtype, copy=False)


def _normalize_matrix(result, normalize, x_columns, y_columns, kinds, method, opt, square):
    """Normalise a matrix in nats, the diagonal included: there I(X;X) is H(X) for the
    table estimators, as ``mi(x, x, normalize=...)`` gives, and infinite (NaN in the
    raw matrix) for continuous ones, which is 1 on the correlation scale."""
    if normalize == "corr":
        out = normalized(result, "corr")
        if square:
            diagonal = out[np.diag_indices(len(x_columns))]
            diagonal[np.isnan(diagonal)] = 1.0
            out[np.diag_indices(len(x_columns))] = diagonal
        return out
    h_x = _diagonal(x_columns, kinds[: len(x_columns)], method, opt)
    h_y = h_x if square else _diagonal(y_columns, kinds[len(x_columns) :], method, opt)
    return normalized(result, normalize, h_x[:, None], h_y[None, :])


@_with_parameters("method", "k", "bins", "binning", "jitter", "random_state", "clip", "base")
def mi_with_target(
    X,
    y,
    *,
    method="auto",
    k=3,
    bins="auto",
    binning="uniform",
    correction=None,
    jitter=1e-10,
    random_state=0,
    clip=False,
    normalize=None,
    base=math.e,
    n_jobs=None,
    progress=None,
    dtype=None,
):
    """Mutual information of every column of X with one target y, in nats.

    The relevance scores of feature selection: ``mi_with_target(X, y)[i]`` equals
    ``fastmi.mi(X[:, i], y)`` with the same options. The target is prepared once.

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_samples, n_variables)
        One variable per column; kinds may differ from column to column.
    y : array-like or Series of shape (n_samples,)
        The target.
    {parameters}
    correction, normalize, n_jobs, progress, dtype
        As in :func:`fastmi.pairwise_mi`. The target keeps its dtype: a categorical
        or integer target makes ``auto`` pick the discrete or mixed estimators.

    Returns
    -------
    ndarray or Series of shape (n_variables,)
        A Series indexed by X's columns when X is a DataFrame.

    See Also
    --------
    fastmi.pairwise_mi, fastmi.sklearn.mutual_info_regression

    Examples
    --------
    >>> import numpy as np
    >>> import fastmi
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(2000, 3))
    >>> y = X[:, 0] + 0.1 * rng.normal(size=2000)
    >>> np.round(fastmi.mi_with_target(X, y, clip=True), 1)
    array([2.3, 0. , 0. ])
    """
    opt, log_base = _options(method, k, bins, binning, correction, jitter, random_state, clip, base)
    target = as_columns(y, "y")
    if len(target) != 1:
        raise InvalidParameterError(
            f"y must be 1-D (n_samples,), one target; got shape {np.shape(y)}."
        )
    result = matrix_of_columns(
        _matrix_columns(X, "X"),
        target,
        method=method,
        opt=opt,
        clip=clip,
        normalize=normalize,
        log_base=log_base,
        n_jobs=n_jobs,
        progress=progress,
        dtype=dtype,
    )[:, 0]
    labels = _labels(X)
    if labels is None:
        return result
    import pandas as pd

    return pd.Series(result, index=labels, name=getattr(y, "name", None))
