"""Reading a matrix and planning one: the strongest pairs, and a job's cost up front."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import InvalidParameterError


def top_pairs(matrix, n: int | None = 20, threshold: float | None = None):
    """The strongest pairs of an MI matrix, as a tidy table.

    Parameters
    ----------
    matrix : ndarray, DataFrame of shape (p, q), or PairwiseTestResult
        A result of :func:`fastmi.pairwise_mi` (or any matrix of scores). A symmetric
        square matrix contributes each pair once and never its diagonal; a cross
        matrix (``Y=``) contributes every cell. NaN cells are skipped. A result of
        :func:`fastmi.pairwise_test` adds each pair's ``pvalue`` and ``adjusted``
        p-value.
    n : int or None, default 20
        How many pairs, strongest first; None for all that pass ``threshold``.
    threshold : float, optional
        Keep only pairs with a value at least this.

    Returns
    -------
    DataFrame or structured ndarray
        Columns ``x``, ``y`` (the labels of a DataFrame, else the row and column
        indices) and ``mi`` (then ``pvalue`` and ``adjusted`` for a test), sorted by
        ``mi`` descending; a DataFrame when pandas is
        installed, a NumPy structured array otherwise.

    Examples
    --------
    >>> import numpy as np
    >>> import fastmi
    >>> rng = np.random.default_rng(0)
    >>> a = rng.integers(0, 4, 500)
    >>> X = np.column_stack([a, a % 2, rng.integers(0, 4, 500), a // 2])
    >>> print(fastmi.top_pairs(fastmi.pairwise_mi(X, base=2), n=3).round(3))
       x  y     mi
    0  0  1  1.000
    1  0  3  0.993
    2  0  2  0.005
    """
    if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 1):
        raise InvalidParameterError(f"n must be a positive int or None; got {n!r}.")
    tests = {}
    if hasattr(matrix, "pvalue") and hasattr(matrix, "adjusted"):  # a PairwiseTestResult
        tests = {"pvalue": np.asarray(matrix.pvalue), "adjusted": np.asarray(matrix.adjusted)}
        matrix = matrix.mi
    rows = getattr(matrix, "index", None)
    columns = getattr(matrix, "columns", None)
    values = np.asarray(matrix, dtype=np.float64)
    if values.ndim != 2:
        raise InvalidParameterError(f"matrix must be 2-D; got shape {values.shape}.")
    symmetric = values.shape[0] == values.shape[1] and np.array_equal(
        values, values.T, equal_nan=True
    )
    if symmetric:
        i, j = np.triu_indices(values.shape[0], 1)
    else:
        i, j = (index.ravel() for index in np.indices(values.shape))
    scores = values[i, j]
    keep = ~np.isnan(scores)
    if threshold is not None:
        keep &= scores >= threshold
    i, j, scores = i[keep], j[keep], scores[keep]
    if n is not None and n < scores.size:
        best = np.argpartition(-scores, n - 1)[:n]
        i, j, scores = i[best], j[best], scores[best]
    order = np.lexsort((j, i, -scores))  # strongest first; ties in index order
    i, j, scores = i[order], j[order], scores[order]
    x = np.asarray(rows)[i] if rows is not None else i
    y = np.asarray(columns)[j] if columns is not None else j
    fields = {"x": x, "y": y, "mi": scores, **{name: m[i, j] for name, m in tests.items()}}
    try:
        import pandas as pd
    except ImportError:
        table = np.empty(scores.size, dtype=[(name, v.dtype) for name, v in fields.items()])
        for name, values in fields.items():
            table[name] = values
        return table
    return pd.DataFrame(fields)


@dataclass(frozen=True)
class Plan:
    """What a matrix job will cost, before it runs (:func:`fastmi.plan`).

    ``pairs``: pairs per estimator; ``seconds``: estimated time on ``threads``
    threads of this machine, from the estimators' costs per pair and sample
    (measured in bench/ and rounded up, so an upper estimate); ``memory``: bytes the
    job needs at its peak (the matrix, unless it goes to disk, the prepared columns
    and the kernels' scratch), the figure the memory guard checks;
    ``device_memory``: with ``backend="cuda"``, the GPU memory it needs. The time is
    that of the CPU threads even with ``backend="cuda"``: there is no estimate of the
    GPU's time (none has been measured yet).
    """

    shape: tuple
    n_samples: int
    pairs: dict
    seconds: float
    memory: int
    threads: int
    tiles: int
    tile_size: int
    #: backend='cuda': bytes of GPU memory the job needs (prepared columns, a tile),
    #: which the memory guard checks against the device's free memory; else None
    device_memory: int | None = None

    def __str__(self) -> str:
        per = ", ".join(f"{name} {count:,}" for name, count in self.pairs.items())
        return (
            f"{self.shape[0]:,} x {self.shape[1]:,} matrix of {self.n_samples:,} samples: "
            f"{sum(self.pairs.values()):,} pairs ({per}); about {_duration(self.seconds)} "
            f"on {self.threads} threads, {self.memory / 2**30:.2f} GiB of memory, "
            f"{self.tiles:,} tile{'s' if self.tiles > 1 else ''} of side {self.tile_size}"
            + (
                f", {self.device_memory / 2**30:.2f} GiB of GPU memory."
                if self.device_memory is not None
                else "."
            )
        )


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{max(seconds, 0.1):.1f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
