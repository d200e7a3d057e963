"""pairwise_mi and mi_with_target: MI matrices over many variables."""

from __future__ import annotations

import math

import numpy as np

from .._api import mi_of_columns
from .._options import MATRIX_BACKENDS, estimation_options, run_options, with_parameters
from .._validation import InvalidParameterError, as_columns
from ._engine import matrix_of_columns, numba_threads, plan_of_columns
from ._summary import Plan


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


@with_parameters("method", "k", "bins", "binning", "jitter", "random_state", "clip", "base")
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
    options, bit for bit; with ``Y``, ``pairwise_mi(X, Y)[i, j]`` equals
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
    correction : {None, "miller-madow", "grassberger", "chao-shen", "shrinkage", "gaussian"}
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
    backend : {"threads", "dask", "cuda"}, default "threads"
        ``"threads"``: this process, tiles one after another, the pairs of a tile in
        parallel over ``n_jobs`` Numba threads. ``"dask"``: the tiles as tasks on a
        ``dask.distributed`` cluster (``pip install "fastmi[dask]"``); each worker
        runs one tile at a time with as many Numba threads as it has Dask threads.
        ``"cuda"``: the tiles on an NVIDIA GPU (``pip install "fastmi[cuda]"``), the
        prepared columns copied to the device once; for the ``discrete``, ``hist``
        (correction None or ``"miller-madow"``), ``gcmi`` and kNN (``ksg``, ``ksg2``,
        ``mixed``) estimators; others are refused before any work. ``"threads"`` and
        ``"dask"`` give the same matrix bit for bit; ``"cuda"`` is meant to, and has
        so far been checked on Numba's CUDA simulator only (:doc:`/gpu`).
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
        zarr; the message names the extra to install. ``backend="cuda"`` without
        numba-cuda or a GPU raises an InvalidParameterError that names the extra.

    See Also
    --------
    fastmi.mi : one pair.
    fastmi.mi_with_target : every column against one target.
    fastmi.pairwise_cmi : the same matrix given a third variable.
    fastmi.pairwise_test : the matrix with p-values.

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
    opt = estimation_options(
        method=method, k=k, bins=bins, binning=binning, correction=correction,
        jitter=jitter, random_state=random_state, clip=clip, normalize=normalize, base=base,
    )  # fmt: skip
    run = run_options(
        n_jobs=n_jobs, progress=progress, dtype=dtype, backend=backend, client=client,
        out=out, resume=resume, tile_size=tile_size, backends=MATRIX_BACKENDS,
    )  # fmt: skip
    X, Y = _computed(X, client), _computed(Y, client)
    x_columns = _matrix_columns(X, "X")
    y_columns = _matrix_columns(Y, "Y") if Y is not None else None
    labels_x = _labels(X)
    labels_y = _labels(Y) if Y is not None else labels_x
    labels = None if labels_x is None and labels_y is None else (labels_x, labels_y)
    result = matrix_of_columns(x_columns, y_columns, opt, run, labels)
    if labels is None or out is not None:
        return result
    import pandas as pd

    return pd.DataFrame(result, index=labels_x, columns=labels_y)


@with_parameters("method", "k", "bins", "binning", "jitter", "random_state", "clip", "base")
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
    backend="threads",
):
    """Mutual information of every column of X with one target y, in nats.

    The relevance scores of feature selection: ``mi_with_target(X, y)[i]`` equals
    ``fastmi.mi(X[:, i], y)`` with the same options. A 1-D target is prepared once and
    the columns run in parallel tiles; a 2-D target is one joint variable (say, the
    units of a layer), and each column is estimated against it by ``fastmi.mi``.

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_samples, n_variables)
        One variable per column; kinds may differ from column to column.
    y : array-like, Series or DataFrame of shape (n_samples,) or (n_samples, n_dims)
        The target; 2-D for one joint variable.
    {parameters}
    correction, normalize, n_jobs, progress, dtype
        As in :func:`fastmi.pairwise_mi`. The target keeps its dtype: a categorical
        or integer target makes ``auto`` pick the discrete or mixed estimators.
    backend : {"threads", "cuda"}, default "threads"
        As in :func:`fastmi.pairwise_mi`; ``"cuda"`` runs the tiles on the GPU and
        takes a 1-D target only (a 2-D target raises InvalidParameterError: it is
        estimated on the CPU, with ``backend="threads"``).

    Returns
    -------
    ndarray or Series of shape (n_variables,)
        A Series indexed by X's columns when X is a DataFrame.

    See Also
    --------
    fastmi.pairwise_mi : every pair of columns.
    fastmi.sklearn.mutual_info_regression : the scikit-learn drop-in, with its conventions.

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
    opt = estimation_options(
        method=method, k=k, bins=bins, binning=binning, correction=correction,
        jitter=jitter, random_state=random_state, clip=clip, normalize=normalize, base=base,
    )  # fmt: skip
    run = run_options(
        n_jobs=n_jobs, progress=progress, dtype=dtype, backend=backend,
        backends=("threads", "cuda"),
    )  # fmt: skip
    X, y = _computed(X), _computed(y)
    target = as_columns(y, "y")
    if len(target) == 1:
        result = matrix_of_columns(_matrix_columns(X, "X"), target, opt, run)[:, 0]
    elif run.backend == "cuda":  # the device parts take 1-D variables only
        raise InvalidParameterError(
            f"backend='cuda' takes a 1-D target; y has {len(target)} columns, one joint "
            f"variable, which is estimated on the CPU: use backend='threads' for it."
        )
    else:  # one joint target: the single-call path, which takes any dimensions
        with numba_threads(run.n_jobs):
            result = np.array(
                [mi_of_columns([column], target, opt) for column in _matrix_columns(X, "X")],
                dtype=run.dtype,
            )
    labels = _labels(X)
    if labels is None:
        return result
    import pandas as pd

    return pd.Series(result, index=labels, name=getattr(y, "name", None))


@with_parameters("method", "k", "bins", "binning", "jitter", "random_state")
def plan(
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
    n_jobs=None,
    dtype=None,
    out=None,
    tile_size=None,
    backend="threads",
) -> Plan:
    """What :func:`fastmi.pairwise_mi` would cost with these arguments, before running it.

    Nothing is prepared or computed: the plan comes from the columns' kinds and the
    estimators' costs per pair and sample (measured in bench/ on a 2-core machine
    and rounded up, so the time is an upper estimate on a similar machine), the same
    cost model that sizes the progress bar and the memory guard.

    Parameters
    ----------
    X, Y
        As in :func:`fastmi.pairwise_mi`.
    {parameters}
    correction, n_jobs, dtype, out, tile_size
        As in :func:`fastmi.pairwise_mi` (``out`` only changes the memory: the matrix
        goes to disk).
    backend : {"threads", "dask", "cuda"}, default "threads"
        ``"cuda"`` adds ``device_memory``, the GPU memory the job needs, and refuses
        an estimator or correction the GPU does not run, as the run would; it needs
        no GPU. (The time stays that of the CPU threads.)

    Returns
    -------
    Plan
        ``pairs`` (pairs per estimator), ``seconds``, ``memory`` (bytes), ``threads``,
        ``tiles``, ``tile_size``, ``shape``, ``n_samples`` and ``device_memory``
        (bytes of GPU memory with ``backend="cuda"``, else None); ``str(plan)`` sums
        it up in a line.

    See Also
    --------
    fastmi.pairwise_mi : the run itself.

    Examples
    --------
    >>> import numpy as np
    >>> import fastmi
    >>> X = np.random.default_rng(0).normal(size=(1000, 40))
    >>> job = fastmi.plan(X, n_jobs=2)
    >>> job.pairs, job.threads
    ({'ksg': 780}, 2)
    """
    opt = estimation_options(
        method=method, k=k, bins=bins, binning=binning, correction=correction,
        jitter=jitter, random_state=random_state,
    )  # fmt: skip
    run = run_options(
        n_jobs=n_jobs, dtype=dtype, tile_size=tile_size, backend=backend,
        backends=MATRIX_BACKENDS,
    )  # fmt: skip
    x_columns = _matrix_columns(X, "X")
    y_columns = _matrix_columns(Y, "Y") if Y is not None else None
    return plan_of_columns(x_columns, y_columns, opt, run, to_disk=out is not None)[0]
