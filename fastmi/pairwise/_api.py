"""pairwise_mi and mi_with_target: MI matrices over many variables."""

from __future__ import annotations

import math

import numba as nb
import numpy as np

from .._api import _options, _with_parameters
from .._dispatch import CORRECTIONS
from .._normalize import check_normalize
from .._validation import InvalidParameterError, as_columns, check_choice, column_kind
from ._dask import get_client, run_dask
from ._engine import (
    COST_PER_SAMPLE,
    check_memory,
    check_n_jobs,
    check_progress,
    numba_threads,
    progress_bar,
    run_threads,
    show_progress,
)
from ._job import TABLE, Finish, estimator_pairs, pair_estimator, prepare_job
from ._output import MemoryOutput, check_out, fingerprint, open_disk_output, resumed_tile_size
from ._prepare import CodesBank, add_codes, discrete_entropy
from ._tiles import check_tile_size, make_tiling


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


def _computed(data, client=None):
    """A Dask array or DataFrame computed into memory (every tile needs every
    column), on ``client`` if one is given; anything else as it is."""
    if data is None or not hasattr(data, "__dask_graph__") or not hasattr(data, "compute"):
        return data
    return data.compute() if client is None else client.compute(data).result()


def _estimate_seconds(counts: dict, n: int, threads: int) -> float:
    return sum(COST_PER_SAMPLE[e] * pairs * n for e, pairs in counts.items()) / threads


def _required_bytes(n_vars: int, n: int, cells: int, tile_size: int, dtype) -> int:
    """The matrix (``cells``, 0 when it goes to disk), the prepared data, one tile in
    float64 and its pair lists, and per-thread scratch of the kernels."""
    prepared = n_vars * n * (4 * 8 + 8)  # kNN rows (values, sorted, order, rank) + codes
    tile = tile_size**2 * (2 * 8 + 6 * 8)
    scratch = nb.config.NUMBA_NUM_THREADS * n * 64  # per-thread grid and count arrays
    return cells * np.dtype(dtype).itemsize + prepared + tile + scratch


def _check_correction(correction, counts) -> None:
    for estimator in counts:
        public = "mixed" if estimator in ("ross", "gao") else estimator
        if public not in CORRECTIONS[correction]:
            fits = " or ".join(repr(m) for m in CORRECTIONS[correction])
            raise InvalidParameterError(
                f"correction={correction!r} applies to method={fits}; some pairs here use "
                f"{public!r}. Pass correction=None, or pick a method."
            )


def _diagonal(columns, kinds, method, opt, memo=None):
    """H(X_i) for table estimators (what mi(x, x) gives), NaN for continuous ones.
    ``memo`` (codes by variable index) only for the columns of X, indexed from 0."""
    diagonal = np.full(len(columns), np.nan)
    for v, (label, column) in enumerate(columns):
        estimator = pair_estimator(method, kinds[v], kinds[v])
        if estimator in TABLE:
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
    backend="threads",
    client=None,
    out=None,
    resume=False,
    tile_size=None,
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
        With ``backend="dask"`` it sets only the threads that prepare the columns in
        this process; each worker uses as many as it has Dask threads.
    progress : bool or None, default None
        A tqdm progress bar over the pairs on stderr; None shows it when the job is
        estimated to take more than 10 s and stderr is a terminal.
    dtype : numpy dtype, default float64
        dtype of the result; ``np.float32`` halves its memory.
    backend : {"threads", "dask"}, default "threads"
        ``"threads"``: this process, tiles one after another, the pairs of a tile in
        parallel over ``n_jobs`` Numba threads. ``"dask"``: the tiles as tasks on a
        ``dask.distributed`` cluster (``pip install "fastmi[dask]"``); each worker
        runs one tile at a time with as many Numba threads as it has Dask threads.
        Both give the same matrix, bit for bit.
    client : dask.distributed.Client, optional
        The cluster for ``backend="dask"``; by default the current client.
    out : str or path-like, optional
        Write the matrix to disk instead of memory, tile by tile as tiles finish: a
        path ending in ``.zarr`` (a Zarr store, chunked by tile; needs ``zarr``) or
        ``.npy`` (a memory-mapped NumPy file). A log of the finished tiles is kept
        beside it, in ``out + ".tiles"``. The matrix never has to fit in memory.
    resume : bool, default False
        With ``out``: finish an interrupted run, computing only the tiles missing
        from its log (the data and options must be the same; this is checked). If
        ``out`` does not exist yet, the run starts from scratch. Without ``resume``,
        an existing ``out`` is an error rather than being overwritten.
    tile_size : int, optional
        Side of the square blocks of the matrix that are the unit of work, of
        progress and of resumption. Default: the largest power of two (at most 1024)
        that cuts the job into at least 64 tiles, but no smaller than a tile of 256
        pairs (so a small job is one or a few tiles).

    Returns
    -------
    ndarray or DataFrame of shape (n_variables, n_variables) or (n_variables, n_other)
        Symmetric without ``Y``. Diagonal: H(X_i) for table estimators (I(X;X) = H(X)),
        NaN for continuous estimators (I(X;X) is infinite). Normalised, the diagonal
        is what ``mi(x, x, normalize=...)`` gives for table estimators and 1 for
        continuous ones. A DataFrame when X or Y is one, labelled by the columns.
        With ``out``: the array on disk, a ``numpy.memmap`` or a ``zarr.Array``; a
        Zarr array's attributes ``rows`` and ``columns`` hold the labels of DataFrame
        inputs (a ``.npy`` file has no place for them).

    Raises
    ------
    InvalidParameterError
        As :func:`fastmi.mi`, naming the offending column; also bad ``n_jobs``,
        ``progress``, ``normalize`` or ``dtype``.
    MemoryError
        Before starting, when the matrix and the prepared data would not fit in the
        available memory; the message names the size and the ways out.
    FileExistsError
        ``out`` exists and ``resume`` is False.
    ImportError
        ``backend="dask"`` without dask.distributed, or ``out="....zarr"`` without
        zarr; the message names the extra to install.

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
    X, Y = _computed(X, client), _computed(Y, client)
    x_columns = _matrix_columns(X, "X")
    y_columns = _matrix_columns(Y, "Y") if Y is not None else None
    labels_x = _labels(X)
    labels_y = _labels(Y) if Y is not None else labels_x
    labels = None if labels_x is None and labels_y is None else (labels_x, labels_y)
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
        backend=backend,
        client=client,
        out=out,
        resume=resume,
        tile_size=tile_size,
        labels=labels,
    )
    if labels is None or out is not None:
        return result
    import pandas as pd

    return pd.DataFrame(result, index=labels_x, columns=labels_y)


def _check_dtype(dtype) -> np.dtype:
    try:
        dtype = np.dtype(np.float64 if dtype is None else dtype)
    except TypeError:
        dtype = None
    if dtype is None or dtype.kind != "f":
        raise InvalidParameterError("dtype must be a float dtype such as np.float64 or np.float32.")
    return dtype


def _check_backend(backend, client):
    """The backend and, for Dask, the client: resolved before any work is done."""
    backend = check_choice(backend, "backend", ("threads", "dask"))
    if backend == "dask":
        return backend, get_client(client)
    if client is not None:
        raise InvalidParameterError("client= is for backend='dask'; pass backend='dask' too.")
    return backend, None


def matrix_of_columns(
    x_columns,
    y_columns,
    *,
    method,
    opt,
    clip,
    normalize,
    log_base,
    n_jobs,
    progress,
    dtype,
    backend="threads",
    client=None,
    out=None,
    resume=False,
    tile_size=None,
    labels=None,
):
    """The MI matrix of lists of (label, 1-D column): square without y_columns.
    Returns the in-memory matrix, or the array at ``out`` (a memory map or Zarr array)."""
    n_jobs = check_n_jobs(n_jobs)
    dtype = _check_dtype(dtype)
    check_progress(progress)
    tile_size = check_tile_size(tile_size)
    path = check_out(out, resume)
    backend, client = _check_backend(backend, client)
    columns = x_columns + (y_columns or [])
    n = len(columns[0][1])
    for label, column in columns:
        if len(column) != n:
            raise InvalidParameterError(
                f"all variables must have the same number of samples; got {n} for "
                f"{columns[0][0]} and {len(column)} for {label}."
            )
    kinds = [column_kind(column) for _, column in columns]
    p, square = len(x_columns), y_columns is None
    shape = (p, p) if square else (p, len(y_columns))
    counts = estimator_pairs(method, kinds, p, square)
    _check_correction(opt.correction, counts)
    in_use = ["mixed" if e in ("ross", "gao") else e for e in counts]
    check_normalize(normalize, in_use or [pair_estimator(method, kinds[0], kinds[0])])
    tiling = make_tiling(*shape, square, resumed_tile_size(path, resume, tile_size))
    memo: dict = {}  # codes prepared once, shared by pairs and diagonal
    with numba_threads(n_jobs) as threads:
        cells = shape[0] * shape[1] if path is None else 0
        check_memory(_required_bytes(len(columns), n, cells, tiling.size, dtype), shape, dtype)
        finish = _finish(x_columns, y_columns, kinds, method, opt, memo, clip, normalize,
                         log_base, dtype)  # fmt: skip
        job = prepare_job(columns, kinds, method, opt, tiling, counts, finish, memo)
        if backend == "dask":
            threads = max(1, sum(client.nthreads().values()))
        if path is None:
            output = MemoryOutput(shape, dtype)
        else:
            output = open_disk_output(path, resume, tiling, dtype, fingerprint(job), labels)
        pending = [tile for tile in tiling.tiles() if tile not in output.done]
        total = sum(counts.values())
        left = sum(tiling.n_pairs(tile) for tile in pending)
        bar = progress_bar(
            show_progress(progress, _estimate_seconds(counts, n, threads) * left / max(total, 1)),
            total,
            initial=total - left,
        )
        try:
            if backend == "threads":
                run_threads(job, pending, output, bar)
            else:
                run_dask(job, pending, output, bar, client)
        finally:
            if bar is not None:
                bar.close()
            output.close()
    return output.array


def _finish(x_columns, y_columns, kinds, method, opt, memo, clip, normalize, log_base, dtype):
    """How tiles are finished: the diagonal H(X_i) (or NaN) of a square matrix, and the
    entropies the NMI variants divide by."""
    p = len(x_columns)
    diagonal = h_x = h_y = None
    if y_columns is None:
        diagonal = _diagonal(x_columns, kinds[:p], method, opt, memo)
    if normalize is not None and normalize != "corr":
        h_x = diagonal if diagonal is not None else _diagonal(x_columns, kinds[:p], method, opt)
        h_y = h_x if y_columns is None else _diagonal(y_columns, kinds[p:], method, opt)
    return Finish(clip, normalize, log_base, dtype, diagonal, h_x, h_y)


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
    X, y = _computed(X), _computed(y)
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
