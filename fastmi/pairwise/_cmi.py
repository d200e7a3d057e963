"""pairwise_cmi: conditional MI I(X_i; X_j | z) of every pair given the same z.

Every estimator of conditional MI splits it into a preparation and a pair function
(``Estimator.cmi_prepare``/``cmi_pair``: the table estimators, gcmi and KSG's
Frenzel-Pompe estimator), so each variable, and z, is prepared once per estimator and
an entry is what ``fastmi.cmi`` computes for that pair, bit for bit. The pairs run in
chunks on the shared thread pool (fastmi._threads), one serial pair function each, so
the matrix does not depend on the number of threads; or, with ``backend="dask"``, in
blocks as Dask tasks, from the job prepared here and scattered to every worker once.

Where ``fastmi.cmi`` has no estimator, for a discrete z and variables of which one is
continuous under ``method="auto"``, the entry is the weighted sum of the MI within
each class of z, I(X;Y|Z) = sum_z p(z) I(X;Y|Z=z), each term by the MI estimator of
x and y's kinds (KSG, or Ross for one discrete and one continuous variable): each
variable is prepared once per class, as the tile part of that estimator (the same
values as ``fastmi.mi`` on the class's samples, bit for bit).
"""

from __future__ import annotations

import copy
import math
import warnings
from dataclasses import dataclass

import numpy as np

from .._api import _refuse
from .._encode import joint_codes
from .._normalize import finish
from .._options import estimation_options, run_options, with_parameters
from .._threads import over_chunks
from .._validation import InvalidParameterError, as_columns, column_kind, variable_kind
from .._warnings import pairs_text, user_stacklevel
from ..estimators import CMI_METHODS, REGISTRY, check_fits, resolve, resolve_variables
from ._api import _computed, _labels, _matrix_columns
from ._engine import numba_threads, progress_bar, show_progress
from ._job import merge_flags

#: Pairs per progress update (and per dispatch to the thread pool).
PAIRS_PER_BLOCK = 4096


def kind_code(continuous: np.ndarray, a, b):
    """The kind pair of the variables (a, b) as a code 0..3 (discrete-discrete,
    discrete-continuous, continuous-discrete, continuous-continuous): the index of
    ``[resolve(m, ka, kb) for ka in KINDS for kb in KINDS]``."""
    return continuous[a] * 2 + continuous[b]


class Flags:
    """The pairs that tile parts flagged, per estimator: {name: (count, the first
    pairs of labels)}, and one warning per estimator about them."""

    def __init__(self):
        self.found: dict[str, tuple[int, list]] = {}

    def add(self, name: str, labels, a, b, flagged) -> None:
        """The flagged pairs (a[t], b[t]) of a tile part, named by ``labels``."""
        if flagged is None or not flagged.any():
            return
        hits = np.flatnonzero(flagged)
        named = [(labels[a[t]], labels[b[t]]) for t in hits[:3]]
        merge_flags(self.found, {name: (int(hits.size), named)})

    def warn(self, n: int) -> None:
        for name, (count, pairs) in self.found.items():
            REGISTRY[name].flag_warning(pairs_text(pairs, count), count, n)
        self.found = {}


@dataclass(frozen=True)
class Stratified:
    """I(X;Y|Z) for a discrete z as sum_z p(z) I(X;Y|Z=z), by the MI estimator ``mi``
    of variables of the ``kinds``."""

    mi: object  # an Estimator
    kinds: frozenset  # the kinds of the variables it is used for
    classes: tuple  # one index array of the samples of each class of z

    name = method = "stratified"
    table = False

    @property
    def cost_per_sample(self) -> float:
        return self.mi.cost_per_sample


def _take(column, members: np.ndarray):
    return column.iloc[members] if hasattr(column, "iloc") else np.asarray(column)[members]


def _summarised(z_name: str, n_classes: int, labels, caught) -> None:
    """The warnings ``caught`` while the variables were prepared class by class, as
    one warning per category naming the columns (and in how many classes), with the
    first message as an example."""
    by_category: dict = {}
    for record in caught:
        message = str(record.message)
        label = next((lab for lab in labels if message.startswith(f"{lab} ")), None)
        columns, first = by_category.setdefault(record.category, ({}, message))
        columns[label] = columns.get(label, 0) + 1
    for category, (columns, first) in by_category.items():
        named = ", ".join(
            f"{label} (in {count} of {n_classes} classes)"
            for label, count in columns.items()
            if label is not None
        )
        warnings.warn(
            f"Estimated class by class of {z_name}: {named or 'some columns'}. For "
            f"example, within one class: {first}",
            category,
            stacklevel=user_stacklevel(),
        )


class ConditionalJob:
    """The variables ``columns`` (a list of (label, 1-D column)) and z, prepared once
    for conditional MI: ``values(a, b)`` is I(columns[a[t]]; columns[b[t]] | z) in
    nats, each pair as ``fastmi.cmi`` computes it. ``z_name`` names z in errors and
    warnings (``"y"`` for the target of a feature selection)."""

    def __init__(self, columns, z_columns, opt, z_name: str = "z"):
        self.columns, self.z_columns, self.opt = columns, z_columns, opt
        self.z_name = z_name
        self.labels = [label for label, _ in columns]
        self.kinds = [column_kind(column) for _, column in columns]
        self.z_kind = variable_kind(z_columns)
        self.continuous = np.array([kind == "continuous" for kind in self.kinds])
        self._estimators: dict[int, object] = {}
        self._prepared: dict[tuple, object] = {}
        self.flags = Flags()

    def estimator(self, a: int, b: int):
        """The estimator of the pair (a, b), from the kinds alone (cached per kind pair)."""
        code = int(kind_code(self.continuous, a, b))
        if code not in self._estimators:
            self._estimators[code] = self._resolve(a, b)
        return self._estimators[code]

    def resolve_all(self, a: np.ndarray, b: np.ndarray) -> list:
        """The estimators of the pairs (a[t], b[t]), one per kind pair present: every
        error an estimator would raise, raised before any work."""
        codes = kind_code(self.continuous, a, b)
        firsts = [int(np.argmax(codes == code)) for code in np.unique(codes)]
        return [self.estimator(a[t], b[t]) for t in firsts]

    def _resolve(self, a: int, b: int):
        kind_a, kind_b = self.kinds[a], self.kinds[b]
        method = self.opt.method
        if isinstance(method, tuple):  # a mapping: as fastmi.cmi reads it
            kinds = {kind_a, kind_b, self.z_kind}
            method = dict(method).get(kinds.pop() if len(kinds) == 1 else "mixed", "auto")
        mixed = len({kind_a, kind_b, self.z_kind}) > 1
        if method == "auto" and mixed and self.z_kind == "discrete":
            mi = resolve(self.opt.method, kind_a, kind_b)
            return Stratified(mi, frozenset((kind_a, kind_b)), self._classes())
        z = self.z_name
        if method == "auto" and mixed:
            raise InvalidParameterError(
                f"method='auto' has no estimator of conditional MI for "
                f"{self.columns[a][0]} ({kind_a}) and {self.columns[b][0]} ({kind_b}) "
                f"given a continuous {z}. If {z} holds class labels, pass them as int, "
                f"str or categorical (given class labels, continuous variables are "
                f"estimated class by class); otherwise pass method='hist' to bin the "
                f"continuous variables, method='ksg' to treat all as continuous, or "
                f"method='gcmi'."
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
                f"{self.z_name} has a class of {small.size} samples (at sample "
                f"{small[0]}); I(X;Y|Z) given a discrete {self.z_name} is estimated "
                f"class by class here, and the kNN estimators need more than k={k} "
                f"samples in every class. Merge rare classes, pass a smaller k, or "
                f"method='hist'."
            )
        return classes

    def _ready(self, estimator, v: int | None):
        """Variable v (None: z) prepared once for ``estimator``."""
        key = (estimator.name, v)
        if key not in self._prepared:
            columns = self.z_columns if v is None else [self.columns[v]]
            self._prepared[key] = estimator.cmi_prepare(columns, self.opt)
        return self._prepared[key]

    def _class_parts(self, stratified: Stratified) -> list:
        """The tile part of ``stratified.mi`` on each class of z, every variable of its
        kinds prepared once per class (in this thread); the warnings of the
        preparations summed up, one per category."""
        key = ("stratified", stratified.mi.name)
        if key not in self._prepared:
            variables = [v for v, kind in enumerate(self.kinds) if kind in stratified.kinds]
            parts = []
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                for members in stratified.classes:
                    columns = [(label, _take(column, members)) for label, column in self.columns]
                    part = stratified.mi.part(
                        variables, columns, self.kinds, self.opt, lambda v, w: True
                    )
                    parts.append(part)
            self._prepared[key] = parts
            _summarised(self.z_name, len(stratified.classes), self.labels, caught)
        return self._prepared[key]

    def _stratified(self, stratified: Stratified, a: np.ndarray, b: np.ndarray):
        """sum_c p(c) I(X_a; X_b | z = c) of the pairs (a[t], b[t]), the classes in the
        order of their codes (as ``fastmi.mi`` class by class would add them)."""
        n = len(self.z_columns[0][1])
        total = np.zeros(len(a))
        for members, part in zip(stratified.classes, self._class_parts(stratified)):
            within = np.empty(len(a))
            self.flags.add(stratified.mi.name, self.labels, a, b, part(a, b, within))
            total += members.size / n * within
        return total

    def prepare(self, a: np.ndarray, b: np.ndarray) -> None:
        """Prepare, in this thread, every variable that the pairs (a[t], b[t]) need (and
        warn about them here): a copy of the job then computes them without preparing
        (the Dask backend's workers)."""
        for i, j in zip(a.tolist(), b.tolist()):
            estimator = self.estimator(i, j)
            if isinstance(estimator, Stratified):
                self._class_parts(estimator)
            else:
                for v in (i, j, None):
                    self._ready(estimator, v)

    def values(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """I(X_a; X_b | z) in nats for the pairs (a[t], b[t]), on the thread pool."""
        estimators = [self.estimator(i, j) for i, j in zip(a.tolist(), b.tolist())]
        out = np.empty(len(a))
        stratified = {e.mi.name: e for e in estimators if isinstance(e, Stratified)}
        for name, estimator in stratified.items():
            members = np.array(
                [isinstance(e, Stratified) and e.mi.name == name for e in estimators]
            )
            out[members] = self._stratified(estimator, a[members], b[members])
        direct = np.array([not isinstance(e, Stratified) for e in estimators], dtype=bool)
        for t in np.flatnonzero(direct):  # prepared in this thread, once
            for v in (a[t], b[t], None):
                self._ready(estimators[t], v)
        direct = np.flatnonzero(direct)
        flagged = np.zeros(len(a), dtype=bool)

        def run(start: int, stop: int) -> None:
            for t in direct[start:stop]:
                estimator = estimators[t]
                prepared = (self._ready(estimator, v) for v in (a[t], b[t], None))
                out[t], flagged[t] = estimator.cmi_pair(*prepared, self.opt)

        over_chunks(len(direct), run)
        for name in {estimators[t].name for t in np.flatnonzero(flagged)}:
            mask = flagged & np.array([e.name == name for e in estimators])
            self.flags.add(name, self.labels, a, b, mask)
        return out

    def warn(self) -> None:
        """One warning per estimator about the pairs it flagged (saturated tables)."""
        self.flags.warn(len(self.z_columns[0][1]))


def _values_of_block(job: ConditionalJob, a: np.ndarray, b: np.ndarray) -> tuple:
    """One block of pairs on a Dask worker, from a shared, fully prepared job: the
    values and the pairs that the estimators flagged (returned, to warn about here)."""
    local = copy.copy(job)  # shares the prepared variables; flags of its own
    local.flags = Flags()
    return local.values(a, b), local.flags.found


def _values_on_dask(job: ConditionalJob, a, b, values, client, bar) -> None:
    """values[t] = I(X_a[t]; X_b[t] | z) computed block by block as Dask tasks: the job
    is prepared here (its warnings raised here), scattered to every worker once, and
    each block's values come back as the task finishes."""
    from ._dask import distributed, get_client

    client = get_client(client)
    job.prepare(a, b)
    shared = client.scatter(job, broadcast=True)
    blocks = {}
    for start in range(0, len(a), PAIRS_PER_BLOCK):
        stop = min(start + PAIRS_PER_BLOCK, len(a))
        future = client.submit(_values_of_block, shared, a[start:stop], b[start:stop], pure=False)
        blocks[future] = (start, stop)
    for future in distributed().as_completed(list(blocks), loop=client.loop):
        start, stop = blocks[future]
        values[start:stop], found = future.result()
        merge_flags(job.flags.found, found)
        if bar is not None:
            bar.update(stop - start)


def _pairs(p: int, q: int | None) -> tuple[np.ndarray, np.ndarray]:
    """(a, b) of a square job's pairs i < j, or of every cell of a p x q cross job
    (whose column j is variable p + j)."""
    if q is None:
        a, b = np.triu_indices(p, 1)
        return a.astype(np.int64), b.astype(np.int64)
    a, b = np.meshgrid(np.arange(p), np.arange(p, p + q), indexing="ij")
    return a.ravel(), b.ravel()


def _same_variable(columns, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Whether the float columns a[t] and b[t] hold the same values (other columns
    go to table estimators, whose I(X;X|Z) is H(X|Z)): a hash of each column, then
    the values of the pairs whose hashes agree."""
    arrays = [np.asarray(column) for _, column in columns]
    prints = np.array(
        [hash(x.tobytes()) if x.dtype.kind == "f" else i for i, x in enumerate(arrays)],
        dtype=object,
    )
    floating = np.array([x.dtype.kind == "f" for x in arrays])
    same = floating[a] & floating[b] & (prints[a] == prints[b])
    for t in np.flatnonzero(same):
        same[t] = np.array_equal(arrays[a[t]], arrays[b[t]])
    return same


@with_parameters("k", "bins", "binning", "jitter", "random_state", "clip", "base")
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
    backend="threads",
    client=None,
):
    """Conditional mutual information I(X_i; X_j | z) of every pair of columns given
    the same z, in nats.

    ``pairwise_cmi(X, z)[i, j]`` equals ``fastmi.cmi(X[:, i], X[:, j], z)`` with the
    same options, bit for bit, for i < j (entry [j, i] mirrors it); with ``Y``,
    ``pairwise_cmi(X, z, Y)[i, j]`` equals ``fastmi.cmi(X[:, i], Y[:, j], z)``, except
    where the two columns hold the same values (below). Each column and z are
    prepared once per estimator, and the pairs run in parallel on ``n_jobs`` threads.
    Uses: an MI
    network conditional on a confounder, or the conditional redundancy terms of
    feature selection (:class:`fastmi.feature_selection.JMI`, :doc:`/feature_selection`).

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_samples, n_variables)
        One variable per column; kinds may differ from column to column.
    z : array-like, Series or DataFrame of shape (n_samples,) or (n_samples, n_dims)
        The conditioning variable, the same for every pair; 2-D for one joint variable.
    Y : array-like or DataFrame of shape (n_samples, n_other), optional
        A second set of variables: the result is the n_variables x n_other cross
        matrix.
    method : {"auto", "discrete", "hist", "ksg", "gcmi"}, default "auto"
        The estimator, as in :func:`fastmi.cmi` (which details each): those of
        :func:`fastmi.mi` that estimate conditional MI, or a mapping from kind to
        method. ``"ksg2"``, ``"lnc"`` and ``"mixed"`` estimate MI only and raise.
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
    backend : {"threads", "dask"}, default "threads"
        Where the pairs run: this process's threads, or blocks of pairs as tasks on a
        dask.distributed cluster (the variables prepared here once and sent to every
        worker once). The result is identical.
    client : dask.distributed.Client, optional
        The cluster for ``backend="dask"``; by default the current client.

    Returns
    -------
    ndarray or DataFrame of shape (n_variables, n_variables) or (n_variables, n_other)
        Symmetric without ``Y``. Diagonal: H(X_i | z) for table estimators
        (I(X;X|Z) = H(X|Z)), NaN for continuous estimators (infinite). With ``Y``, a
        column of Y that holds the same values as a column of X (``pairwise_cmi(X, z,
        X)``) is the same variable: its entry is NaN for continuous estimators, as on
        the diagonal, where ``fastmi.cmi(x, x, z)`` would return a finite kNN
        estimate of an infinite quantity. A DataFrame, labelled by the columns, when X
        or Y is one.

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
    ``k`` samples. The progress estimate reads each estimator's measured cost per
    pair and sample.

    See Also
    --------
    fastmi.cmi : one pair.
    fastmi.pairwise_mi : unconditional MI of every pair.

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
    run = run_options(n_jobs=n_jobs, progress=progress, dtype=dtype, backend=backend, client=client)
    X, Y, z = _computed(X, client), _computed(Y, client), _computed(z, client)
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
        used = job.resolve_all(a, b)  # every estimator resolved before any work
        if q is not None:  # a column of Y that is one of X: NaN as on the diagonal
            same = np.flatnonzero(_same_variable(columns, a, b))
            drop = [t for t in same if not job.estimator(a[t], b[t]).table]
            a, b = np.delete(a, drop), np.delete(b, drop)
        diagonal = [v for v in range(p) if q is None and job.estimator(v, v).table]
        a = np.concatenate([np.array(diagonal, dtype=np.int64), a])
        b = np.concatenate([np.array(diagonal, dtype=np.int64), b])
        values = np.empty(len(a))
        cost = max((e.cost_per_sample for e in used), default=0.0)
        seconds = len(a) * n * cost / threads
        bar = progress_bar(show_progress(run.progress, seconds), float(len(a)))
        try:
            if run.backend == "dask":
                _values_on_dask(job, a, b, values, run.client, bar)
            else:
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
