"""pairwise_cmi: conditional MI I(X_i; X_j | z) of every pair given the same z.

Each variable, and z, is prepared once per estimator that splits its conditional MI
into a preparation and a pair function (``Estimator.cmi_prepare``/``cmi_pair``: the
table estimators and gcmi); the others run their ``cmi`` per pair (KSG: the
Frenzel-Pompe estimator). Either way an entry is what ``fastmi.cmi`` computes for that
pair, bit for bit. The pairs run in chunks on the shared thread pool
(fastmi._threads), one serial pair function each, so the matrix does not depend on
the number of threads.

Where ``fastmi.cmi`` has no estimator, for a discrete z and variables of which one is
continuous under ``method="auto"``, the entry is the weighted sum of the MI within
each class of z, I(X;Y|Z) = sum_z p(z) I(X;Y|Z=z), each term by the MI estimator of
x and y's kinds (KSG, or Ross for one discrete and one continuous variable).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._api import _refuse
from .._encode import joint_codes
from .._normalize import finish
from .._options import estimation_options, run_options, with_parameters
from .._threads import over_chunks
from .._validation import InvalidParameterError, as_columns, column_kind, variable_kind
from .._warnings import pairs_text
from ..estimators import CMI_METHODS, check_fits, resolve, resolve_variables
from ._api import _computed, _labels, _matrix_columns
from ._engine import numba_threads, progress_bar, show_progress

#: Pairs per progress update (and per dispatch to the thread pool).
PAIRS_PER_BLOCK = 4096


@dataclass(frozen=True)
class Stratified:
    """I(X;Y|Z) for a discrete z as sum_z p(z) I(X;Y|Z=z), by the MI estimator ``mi``."""

    mi: object  # an Estimator
    classes: tuple  # one index array of the samples of each class of z

    name = method = "stratified"
    table = False

    def pair(self, x_columns, y_columns, opt) -> tuple[float, bool]:
        n = len(x_columns[0][1])
        total = 0.0
        for members in self.classes:
            x_c = [(label, _take(column, members)) for label, column in x_columns]
            y_c = [(label, _take(column, members)) for label, column in y_columns]
            total += members.size / n * self.mi.mi(x_c, y_c, opt)
        return total, False


def _take(column, members: np.ndarray):
    return column.iloc[members] if hasattr(column, "iloc") else np.asarray(column)[members]


class ConditionalJob:
    """The variables ``columns`` (a list of (label, 1-D column)) and z, prepared once
    for conditional MI: ``values(a, b)`` is I(columns[a[t]]; columns[b[t]] | z) in
    nats, each pair as ``fastmi.cmi`` computes it."""

    def __init__(self, columns, z_columns, opt):
        self.columns, self.z_columns, self.opt = columns, z_columns, opt
        self.kinds = [column_kind(column) for _, column in columns]
        self.z_kind = variable_kind(z_columns)
        self.continuous = np.array([kind == "continuous" for kind in self.kinds])
        self._estimators: dict[int, object] = {}
        self._prepared: dict[tuple[str, int], object] = {}
        self.flags: dict[str, list] = {}

    def estimator(self, a: int, b: int):
        """The estimator of the pair (a, b), from the kinds alone (cached per kind pair)."""
        code = int(self.continuous[a]) * 2 + int(self.continuous[b])
        if code not in self._estimators:
            self._estimators[code] = self._resolve(a, b)
        return self._estimators[code]

    def _resolve(self, a: int, b: int):
        kind_a, kind_b = self.kinds[a], self.kinds[b]
        method = self.opt.method
        if isinstance(method, tuple):  # a mapping: as fastmi.cmi reads it
            kinds = {kind_a, kind_b, self.z_kind}
            method = dict(method).get(kinds.pop() if len(kinds) == 1 else "mixed", "auto")
        mixed = len({kind_a, kind_b, self.z_kind}) > 1
        if method == "auto" and mixed and self.z_kind == "discrete":
            return Stratified(resolve(self.opt.method, kind_a, kind_b), self._classes())
        if method == "auto" and mixed:
            raise InvalidParameterError(
                f"method='auto' has no estimator of conditional MI for "
                f"{self.columns[a][0]} ({kind_a}) and {self.columns[b][0]} ({kind_b}) "
                f"given a continuous z. Pass method='hist' to bin the continuous "
                f"variables, method='ksg' to treat all as continuous, or method='gcmi'."
            )
        variables = {"x": [self.columns[a]], "y": [self.columns[b]], "z": self.z_columns}
        estimator = resolve_variables(self.opt.method, variables)
        check_fits([estimator], self.opt.correction, None)
        if estimator.cmi is None:
            _refuse(estimator, "does not estimate conditional MI; use", CMI_METHODS)
        return estimator

    def _classes(self) -> tuple:
        codes, n_levels = joint_codes(self.z_columns)
        members = (np.flatnonzero(codes == c) for c in range(n_levels))
        classes = tuple(m for m in members if m.size)  # codes may skip a level
        k = self.opt.k
        small = min(classes, key=len)
        if small.size <= k:
            raise InvalidParameterError(
                f"z has a class of {small.size} samples (at sample {small[0]}); "
                f"I(X;Y|Z) given a discrete z is estimated class by class here, and the "
                f"kNN estimators need more than k={k} samples in every class. Merge rare "
                f"classes, pass a smaller k, or method='hist'."
            )
        return classes

    def _ready(self, estimator, v: int | None):
        """Variable v (None: z) prepared once for ``estimator``."""
        key = (estimator.name, v)
        if key not in self._prepared:
            columns = self.z_columns if v is None else [self.columns[v]]
            self._prepared[key] = estimator.cmi_prepare(columns, self.opt)
        return self._prepared[key]

    def _pair(self, estimator, a: int, b: int) -> tuple[float, bool]:
        x, y = [self.columns[a]], [self.columns[b]]
        if isinstance(estimator, Stratified):
            return estimator.pair(x, y, self.opt)
        if estimator.cmi_prepare is None:
            return float(estimator.cmi(x, y, self.z_columns, self.opt)), False
        prepared = (self._ready(estimator, v) for v in (a, b, None))
        return estimator.cmi_pair(*prepared, self.opt)

    def values(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """I(X_a; X_b | z) in nats for the pairs (a[t], b[t]), on the thread pool."""
        estimators = [self.estimator(i, j) for i, j in zip(a.tolist(), b.tolist())]
        for estimator, i, j in zip(estimators, a.tolist(), b.tolist()):  # in this thread
            if getattr(estimator, "cmi_prepare", None) is not None:
                for v in (i, j, None):
                    self._ready(estimator, v)
        out = np.empty(len(a))
        flagged = np.zeros(len(a), dtype=bool)

        def run(start: int, stop: int) -> None:
            for t in range(start, stop):
                out[t], flagged[t] = self._pair(estimators[t], a[t], b[t])

        over_chunks(len(a), run)
        for t in np.flatnonzero(flagged):
            pair = (self.columns[a[t]][0], self.columns[b[t]][0])
            self.flags.setdefault(estimators[t].name, []).append(pair)
        return out

    def warn(self) -> None:
        """One warning per estimator about the pairs it flagged (saturated tables)."""
        from ..estimators import REGISTRY

        n = len(self.z_columns[0][1])
        for name, pairs in self.flags.items():
            REGISTRY[name].flag_warning(pairs_text(pairs, len(pairs)), len(pairs), n)
        self.flags = {}


def _pairs(p: int, q: int | None) -> tuple[np.ndarray, np.ndarray]:
    """(a, b) of a square job's pairs i < j, or of every cell of a p x q cross job
    (whose column j is variable p + j)."""
    if q is None:
        a, b = np.triu_indices(p, 1)
        return a.astype(np.int64), b.astype(np.int64)
    a, b = np.meshgrid(np.arange(p), np.arange(p, p + q), indexing="ij")
    return a.ravel(), b.ravel()


@with_parameters("method", "k", "bins", "binning", "jitter", "random_state", "clip", "base")
def pairwise_cmi(
    X,
    z,
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
    base=math.e,
    n_jobs=None,
    progress=None,
    dtype=None,
):
    """Conditional mutual information I(X_i; X_j | z) of every pair of columns given
    the same z, in nats.

    ``pairwise_cmi(X, z)[i, j]`` equals ``fastmi.cmi(X[:, i], X[:, j], z)`` with the
    same options, bit for bit, for i <= j (entry [j, i] mirrors it); with ``Y``,
    ``pairwise_cmi(X, z, Y)[i, j]`` equals ``fastmi.cmi(X[:, i], Y[:, j], z)``. Each
    column and z are prepared once (for the table estimators and gcmi; KSG prepares
    per pair), and the pairs run in parallel on ``n_jobs`` threads. Uses: an MI
    network conditional on a confounder, or the conditional redundancy terms of
    feature selection (:mod:`fastmi.feature_selection`).

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_samples, n_variables)
        One variable per column; kinds may differ from column to column.
    z : array-like, Series or DataFrame of shape (n_samples,) or (n_samples, n_dims)
        The conditioning variable, the same for every pair; 2-D for one joint variable.
    Y : array-like or DataFrame of shape (n_samples, n_other), optional
        A second set of variables: the result is the n_variables x n_other cross
        matrix.
    {parameters}
    correction : {None, "miller-madow", "grassberger", "chao-shen", "shrinkage", "gaussian"}
        As in :func:`fastmi.cmi`; must fit the estimators in use.
    n_jobs : int or None, default None
        Threads: None or -1 for all cores. The result is identical for any value.
    progress : bool or None, default None
        A tqdm progress bar over the pairs on stderr; None shows it when the job is
        estimated to take more than 10 s and stderr is a terminal.
    dtype : numpy dtype, default float64
        dtype of the result.

    Returns
    -------
    ndarray or DataFrame of shape (n_variables, n_variables) or (n_variables, n_other)
        Symmetric without ``Y``. Diagonal: H(X_i | z) for table estimators
        (I(X;X|Z) = H(X|Z)), NaN for continuous estimators (infinite). A DataFrame,
        labelled by the columns, when X or Y is one.

    Raises
    ------
    InvalidParameterError
        As :func:`fastmi.cmi`, naming the offending column or pair; also a class of a
        discrete z with no more than ``k`` samples where the classes are estimated
        one by one.

    Notes
    -----
    The estimator of each pair is the one :func:`fastmi.cmi` picks for x, y and z:
    plug-in for discrete data (the per-class tables of I(X;Y|Z) =
    sum_z p(z) I(X;Y|Z=z)), Frenzel-Pompe [1]_ for continuous data. Where ``cmi``
    has none, ``method="auto"`` with a discrete z and a continuous x or y, the entry
    is sum_z p(z) I(X;Y|Z=z) with each class's MI by the estimator ``fastmi.mi``
    picks for x and y (KSG [2]_, or Ross for one discrete and one continuous
    variable), which is ``sum(n_c / n * fastmi.mi(x[z == c], y[z == c]))`` over the
    classes c of z in the order of their codes; every class then needs more than
    ``k`` samples.

    See Also
    --------
    fastmi.cmi : one pair. fastmi.pairwise_mi : unconditional MI of every pair.

    References
    ----------
    .. [1] S. Frenzel and B. Pompe, "Partial mutual information for coupling analysis
       of multivariate time series", Physical Review Letters 99, 204101 (2007).
    .. [2] A. Kraskov, H. Stoegbauer and P. Grassberger, "Estimating mutual
       information", Physical Review E 69, 066138 (2004).

    Examples
    --------
    >>> import numpy as np
    >>> import fastmi
    >>> rng = np.random.default_rng(0)
    >>> z = rng.integers(0, 2, 4000)
    >>> a = z ^ rng.integers(0, 2, 4000)  # a and b share only what z explains
    >>> X = np.column_stack([a, a ^ z, rng.integers(0, 2, 4000)])
    >>> np.round(fastmi.pairwise_mi(X, base=2), 2)
    array([[1., 0., 0.],
           [0., 1., 0.],
           [0., 0., 1.]])
    >>> np.round(fastmi.pairwise_cmi(X, z, base=2), 2)
    array([[1., 1., 0.],
           [1., 1., 0.],
           [0., 0., 1.]])
    """
    opt = estimation_options(
        method=method, k=k, bins=bins, binning=binning, correction=correction,
        jitter=jitter, random_state=random_state, clip=clip, base=base,
    )  # fmt: skip
    run = run_options(n_jobs=n_jobs, progress=progress, dtype=dtype)
    X, Y, z = _computed(X), _computed(Y), _computed(z)
    x_columns = _matrix_columns(X, "X")
    y_columns = _matrix_columns(Y, "Y") if Y is not None else []
    z_columns = as_columns(z, "z")
    columns = x_columns + y_columns
    n = len(z_columns[0][1])
    for label, column in columns:
        if len(column) != n:
            raise InvalidParameterError(
                f"all variables must have the same number of samples; got {n} for z and "
                f"{len(column)} for {label}."
            )
    p, q = len(x_columns), (len(y_columns) if Y is not None else None)
    matrix = np.full((p, p if q is None else q), np.nan)
    a, b = _pairs(p, q)
    with numba_threads(run.n_jobs) as threads:
        job = ConditionalJob(columns, z_columns, opt)
        kind_pairs = job.continuous[a] * 2 + job.continuous[b]
        for code in np.unique(kind_pairs):  # every estimator resolved before any work
            first = int(np.argmax(kind_pairs == code))
            job.estimator(a[first], b[first])
        diagonal = [v for v in range(p) if q is None and job.estimator(v, v).table]
        a = np.concatenate([np.array(diagonal, dtype=np.int64), a])
        b = np.concatenate([np.array(diagonal, dtype=np.int64), b])
        values = np.empty(len(a))
        seconds = len(a) * n * 1e-6 / threads
        bar = progress_bar(show_progress(run.progress, seconds), float(len(a)))
        try:
            for start in range(0, len(a), PAIRS_PER_BLOCK):
                stop = min(start + PAIRS_PER_BLOCK, len(a))
                values[start:stop] = job.values(a[start:stop], b[start:stop])
                if bar is not None:
                    bar.update(stop - start)
        finally:
            if bar is not None:
                bar.close()
    job.warn()
    matrix[a, b - (0 if q is None else p)] = values
    if q is None:
        matrix[b, a] = values
    result = finish(matrix, opt).astype(run.dtype, copy=False)
    labels_x = _labels(X)
    labels_y = _labels(Y) if Y is not None else labels_x
    if labels_x is None and labels_y is None:
        return result
    import pandas as pd

    return pd.DataFrame(result, index=labels_x, columns=labels_y)
