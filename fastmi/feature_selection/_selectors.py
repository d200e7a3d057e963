"""MRMR, JMI and CMIM: greedy forward selection on mutual information.

Brown et al. (2012) write the family as one criterion of a candidate feature f given
the selected set S and the target y,

    J(f) = I(f;y) - beta * sum_{j in S} I(f;f_j) + gamma * sum_{j in S} I(f;f_j|y),

mRMR being beta = 1/|S|, gamma = 0, JMI beta = gamma = 1/|S|; CMIM takes the minimum
over S of I(f;y|f_j) = I(f;y) - I(f;f_j) + I(f;f_j|y) instead of the means. The first
feature is the most relevant one; each later step adds the feature of highest J. With
the relevance vector and the running sums, a step needs one column of the MI matrix
(the feature just selected against the remaining ones) and, for JMI and CMIM, one
column of the conditional MI matrix given y: K columns of p, never the p x p matrix.
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.feature_selection import SelectorMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from .._options import check_choice, estimation_options, run_options
from .._validation import InvalidParameterError, as_columns
from ..estimators import REGISTRY
from ..pairwise._api import _matrix_columns
from ..pairwise._engine import numba_threads, progress_bar, show_progress
from ._columns import SelectionColumns


def miq_floor_auto(n: int) -> float:
    """MIQ's default smallest denominator in nats, ``MRMR(miq_floor="auto")``:
    1/sqrt(n), about 1.4 standard deviations of KSG estimates (k=3) of independent
    pairs (measured: 0.044, 0.023, 0.012 nats at n = 250, 1000, 4000) and above the
    plug-in bias of small tables. A mean redundancy below it is not distinguishable
    from 0, so it counts as this (test_miq_on_continuous_data_ranks_relevance)."""
    return 1.0 / np.sqrt(n)


_PARAMETERS = """n_features_to_select : int, float or None, default None
        How many features to select: an int from 1 to the number of features, a
        float in (0, 1] for that fraction of them (at least one), or None for half
        of them (at least one).
    {method}
    k : int, default 3
        Neighbours of the kNN estimators.
    n_jobs : int or None, default None
        Threads (None or -1: all cores). The selection is the same for any value.
    random_state : int, RandomState, Generator or None, default 0
        Seeds the 1e-10 tie-breaking noise of the kNN estimators (see
        :func:`fastmi.mi`); None draws a fresh seed, and a NumPy ``RandomState`` or
        ``Generator`` gives one seed drawn from it at each ``fit``.
    progress : bool or None, default None
        A tqdm progress bar over the steps on stderr; None shows it when the
        selection is estimated to take more than 10 s and stderr is a terminal."""

_ATTRIBUTES = """ranking_ : ndarray of int of shape (n_selected,)
        The selection order: the indices of the selected features in the order the
        greedy pass chose them, ``ranking_[0]`` the most relevant feature and
        ``n_selected`` equal to ``n_features_to_select_``. Unlike the ``ranking_``
        of scikit-learn's ``RFE``, a rank per feature of shape (n_features,), it
        has no entry for the features not selected.
    scores_ : ndarray of shape (n_features,)
        The criterion J of each selected feature at the step that chose it (for the
        first, its relevance), in nats (for ``MRMR(scheme="miq")`` a ratio, without
        unit); NaN for the features not selected.
    relevance_ : ndarray of shape (n_features,)
        I(X_i; y) of every feature in nats, as :func:`fastmi.mi_with_target` gives it.
    support_ : ndarray of bool of shape (n_features,)
        The mask of the selected features (``get_support()``).
    n_features_to_select_ : int
        The number of features selected.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of str of shape (n_features,)
        Names of the features seen during fit, when X is a DataFrame with string
        column names."""


_METHOD = """method : {choices} or dict, default "auto"
        The estimator of every {terms}, as in :func:`{function}`: "auto" picks it from
        the dtypes, pair by pair, so a DataFrame may mix int, float, str and
        categorical features; a class label target (int, bool, str, categorical)
        makes relevance a discrete or mixed estimate, a float target a continuous
        one. A dict from pair kind to method picks per kind, as in
        :func:`fastmi.pairwise_mi`.{refused}"""

#: The method entry of MRMR (MI terms only) and of JMI and CMIM (conditional MI too).
_METHODS_MI = _METHOD.format(
    choices='{"auto", "discrete", "hist", "ksg", "ksg2", "lnc", "mixed", "gcmi"}',
    terms="MI term",
    function="fastmi.pairwise_mi",
    refused="",
)
_METHODS_CMI = _METHOD.format(
    choices='{"auto", "discrete", "hist", "ksg", "gcmi"}',
    terms="MI and conditional MI term",
    function="fastmi.pairwise_cmi",
    refused=(
        '\n        ``"ksg2"``, ``"lnc"`` and ``"mixed"`` do not estimate conditional MI and'
        "\n        raise."
    ),
)


def _fill(doc: str, conditional: bool) -> str:
    method = _METHODS_CMI if conditional else _METHODS_MI
    parameters = _PARAMETERS.replace("{method}", method)
    return doc.replace("{parameters}", parameters).replace("{attributes}", _ATTRIBUTES)


class _GreedySelector(SelectorMixin, BaseEstimator):
    """The greedy forward pass that MRMR, JMI and CMIM share; subclasses give the
    criterion (``_step``, on the running state ``_start`` makes)."""

    _conditional = False  # whether the criterion needs I(f; f_j | y)

    def __init__(
        self,
        n_features_to_select=None,
        *,
        method="auto",
        k=3,
        n_jobs=None,
        random_state=0,
        progress=None,
    ):
        self.n_features_to_select = n_features_to_select
        self.method = method
        self.k = k
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.progress = progress

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        tags.input_tags.allow_nan = False
        return tags

    def fit(self, X, y):
        """Select features of X by the criterion, greedily.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            The features. A DataFrame keeps each column's dtype, whose kind picks the
            estimator (int, bool, str, categorical: labels; float: continuous); a
            NumPy array of objects is made numeric, as in scikit-learn.
        y : array-like of shape (n_samples,)
            The target: class labels (int, bool, str, categorical) or a float
            measurement.

        Returns
        -------
        self
        """
        self._check_parameters()
        opt = estimation_options(
            method=self.method, k=self.k, random_state=_seed(self.random_state)
        )
        run = run_options(n_jobs=self.n_jobs, progress=self.progress)
        frame = hasattr(X, "columns") and hasattr(X, "iloc")
        try:
            data, target = validate_data(
                self, X, y, dtype=None if frame or _is_text(X) else "numeric",
                ensure_min_samples=2, y_numeric=False, multi_output=False,
            )  # fmt: skip
        except ValueError as error:
            if "could not convert string to float" not in str(error):
                raise
            raise InvalidParameterError(
                f"X holds strings in a NumPy array of objects, which scikit-learn makes "
                f"numeric ({error}). Pass a pandas DataFrame with named columns: each "
                f"column keeps its dtype, and string or categorical columns are labels."
            ) from None
        count = self._count(data.shape[1])
        x_columns = as_columns(X, "X") if frame else _matrix_columns(data, "X")
        y_columns = as_columns(np.asarray(target), "y")
        with numba_threads(run.n_jobs) as threads:
            columns = SelectionColumns(x_columns, y_columns, opt, self._conditional)
            self.relevance_ = columns.relevance()
            selected, scores = self._greedy(columns, count, run, threads)
        columns.warn()
        self.ranking_ = np.array(selected, dtype=np.int64)
        self.scores_ = scores
        self.support_ = np.zeros(data.shape[1], dtype=bool)
        self.support_[self.ranking_] = True
        self.n_features_to_select_ = count
        return self

    def _greedy(self, columns: SelectionColumns, count: int, run, threads: int):
        relevance = self.relevance_
        p = relevance.size
        scores = np.full(p, np.nan)
        first = _best(relevance)
        selected, chosen = [first], np.zeros(p, dtype=bool)
        chosen[first] = True
        scores[first] = relevance[first]
        state = self._start(relevance)
        cost = max(REGISTRY[name].cost_per_sample for name in columns.parts)
        seconds = cost * columns.n * p * count * (3 if self._conditional else 1) / threads
        bar = progress_bar(show_progress(run.progress, seconds), float(count - 1))
        try:
            for _ in range(count - 1):
                rows = np.flatnonzero(~chosen)
                score = self._step(state, columns, selected[-1], rows, len(selected))
                best = _best(score)
                pick = int(rows[best])
                selected.append(pick)
                chosen[pick] = True
                scores[pick] = score[best]
                if bar is not None:
                    bar.update(1)
        finally:
            if bar is not None:
                bar.close()
        return selected, scores

    def _count(self, p: int) -> int:
        wanted = self.n_features_to_select
        if wanted is None:
            return max(1, p // 2)
        message = (
            f"n_features_to_select must be None, an int from 1 to the number of features "
            f"({p}), or a float in (0, 1]; got {wanted!r}."
        )
        if isinstance(wanted, (bool, np.bool_)):
            raise InvalidParameterError(message)
        if isinstance(wanted, numbers.Integral):
            if not 1 <= wanted <= p:
                raise InvalidParameterError(message)
            return int(wanted)
        if isinstance(wanted, numbers.Real) and 0 < wanted <= 1:
            return max(1, int(wanted * p))
        raise InvalidParameterError(message)

    def _check_parameters(self) -> None:
        """Checks of the parameters a subclass adds, besides ``_choices``."""

    def _start(self, relevance: np.ndarray) -> dict:
        """The running state of the pass: the relevance, and a per-feature sum of
        the terms of the features selected so far."""
        return {"relevance": relevance, "redundancy": np.zeros(relevance.size)}

    def _get_support_mask(self):
        check_is_fitted(self)
        return self.support_


def _seed(random_state):
    """An int seed for the estimators' options: a ``RandomState`` or ``Generator``
    gives one draw (as scikit-learn's estimators derive seeds from them)."""
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(np.iinfo(np.int32).max))
    if isinstance(random_state, np.random.Generator):
        return int(random_state.integers(np.iinfo(np.int32).max))
    return random_state


def _is_text(X) -> bool:
    """A NumPy array of strings: labels, kept as they are (an object array is made
    numeric, as scikit-learn does; string features of other dtypes come in a
    DataFrame)."""
    return getattr(X, "dtype", None) is not None and X.dtype.kind in "US"


def _best(score: np.ndarray) -> int:
    """The index of the highest score, the first one on ties; NaN never wins."""
    return int(np.argmax(np.where(np.isnan(score), -np.inf, score)))


class MRMR(_GreedySelector):
    """Minimum-redundancy maximum-relevance feature selection (Peng, Long and Ding 2005).

    Adds, one at a time, the feature f that best trades relevance I(f;y) against its
    mean redundancy with the features S already selected, the mean over j in S of
    I(f;f_j): their difference (``scheme="mid"``, mutual information difference) or
    quotient (``scheme="miq"``, mutual information quotient).

    :doc:`/feature_selection` compares the selectors on a real data set.

    Parameters
    ----------
    {parameters}
    scheme : {"mid", "miq"}, default "mid"
        ``"mid"``: J = relevance - redundancy, in nats. ``"miq"``: the ratio
        J = max(I(f;y), 0) / max(mean_j max(I(f;f_j), 0), miq_floor), without unit:
        MIQ scores are not comparable with MID, JMI or CMIM scores, nor with MI
        values.
    miq_floor : "auto" or float, default "auto"
        The smallest denominator of ``"miq"``, in nats (ignored by ``"mid"``): the
        noise level of the MI estimates. Estimates of independent variables scatter
        around 0 (kNN estimates by about 0.7/sqrt(n) nats, and they can be
        negative), so a mean redundancy below the noise level is not
        distinguishable from 0. It counts as ``miq_floor``, so that the features
        with no measurable redundancy are ordered by their relevance, instead of a
        near-zero denominator making a noise feature's ratio huge. ``"auto"`` is
        1/sqrt(n_samples) nats (0.032 at 1,000 samples); the MI terms are clipped
        at 0 for the quotient.

    Attributes
    ----------
    {attributes}

    See Also
    --------
    JMI : joint mutual information, which credits what a feature adds given y.
    CMIM : conditional mutual information maximisation, the weakest term decides.
    fastmi.mi_with_target : the relevance of every feature, without redundancy.
    sklearn.feature_selection.SelectKBest : the k most relevant features, one by one.

    Notes
    -----
    Relevance is :func:`fastmi.mi_with_target` and each step computes one column of
    :func:`fastmi.pairwise_mi` (the feature just selected against the remaining
    ones): ``n_features_to_select - 1`` columns in all, with every feature prepared
    once. Values are raw estimates in nats (kNN estimates can be slightly negative;
    MID does not clip them). In Brown et al.'s family [2]_ MID is beta = ``1/|S|``,
    gamma = 0.

    References
    ----------
    .. [1] H. Peng, F. Long and C. Ding, "Feature selection based on mutual
       information: criteria of max-dependency, max-relevance, and min-redundancy",
       IEEE Transactions on Pattern Analysis and Machine Intelligence 27(8),
       1226-1238 (2005).
    .. [2] G. Brown, A. Pocock, M.-J. Zhao and M. Lujan, "Conditional likelihood
       maximisation: a unifying framework for information theoretic feature
       selection", Journal of Machine Learning Research 13, 27-66 (2012).

    Examples
    --------
    >>> import numpy as np
    >>> from fastmi.feature_selection import MRMR
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(1000, 4))
    >>> X[:, 1] = X[:, 0] + 0.05 * rng.normal(size=1000)  # a near copy of feature 0
    >>> y = (X[:, 0] + X[:, 2] > 0).astype(int)
    >>> MRMR(n_features_to_select=2).fit(X, y).ranking_  # one of 0 and 1, then 2
    array([1, 2])
    """

    def __init__(
        self,
        n_features_to_select=None,
        *,
        scheme="mid",
        miq_floor="auto",
        method="auto",
        k=3,
        n_jobs=None,
        random_state=0,
        progress=None,
    ):
        super().__init__(
            n_features_to_select, method=method, k=k, n_jobs=n_jobs,
            random_state=random_state, progress=progress,
        )  # fmt: skip
        self.scheme = scheme
        self.miq_floor = miq_floor

    def _check_parameters(self) -> None:
        check_choice(self.scheme, "scheme", ("mid", "miq"))
        floor = self.miq_floor
        if floor == "auto" and isinstance(floor, str):
            return
        if (
            isinstance(floor, (bool, np.bool_, str))
            or not isinstance(floor, numbers.Real)
            or not 0 < floor < np.inf
        ):
            raise InvalidParameterError(
                f"miq_floor must be 'auto' (1/sqrt(n_samples) nats, the noise level of "
                f"MI estimates) or a real number > 0 in nats; got {floor!r}."
            )

    def _step(self, state, columns, j, rows, size):
        terms = columns.mi(j, rows)
        if self.scheme == "mid":
            state["redundancy"][rows] += terms
            return state["relevance"][rows] - state["redundancy"][rows] / size
        state["redundancy"][rows] += np.maximum(terms, 0.0)  # MIQ: clipped at 0
        mean = state["redundancy"][rows] / size
        floor = miq_floor_auto(columns.n) if self.miq_floor == "auto" else self.miq_floor
        return np.maximum(state["relevance"][rows], 0.0) / np.maximum(mean, floor)


class JMI(_GreedySelector):
    """Joint mutual information feature selection (Yang and Moody 1999).

    Adds, one at a time, the feature f with the highest
    J = I(f;y) - mean_j [I(f;f_j) - I(f;f_j|y)] over the features j in S already
    selected: redundancy with a selected feature counts only as far as it is not
    shared with the target. This is the mean over S of I(f,f_j;y), the information
    the pair carries about y, up to terms that do not depend on f; unlike mRMR it
    finds features that are useful only together (an XOR).

    :doc:`/feature_selection` compares the selectors on a real data set.

    Parameters
    ----------
    {parameters}

    Attributes
    ----------
    {attributes}

    See Also
    --------
    MRMR : relevance against mean redundancy, MI terms only.
    CMIM : the weakest conditional term decides instead of the mean.
    fastmi.pairwise_cmi : the conditional MI terms, as a matrix.

    Notes
    -----
    Each step computes one column of :func:`fastmi.pairwise_mi` and one of
    :func:`fastmi.pairwise_cmi` given the target, with every feature and the target
    prepared once. For a class-label target and continuous features,
    I(f;f_j|y) = sum_c p(c) I(f;f_j|y=c), each class's MI by KSG (or Ross for a
    discrete and a continuous feature), as :func:`fastmi.pairwise_cmi` documents,
    every feature prepared once per class; every class then needs more than ``k``
    samples. In Brown et al.'s family [2]_ this is beta = gamma = ``1/|S|``.

    References
    ----------
    .. [1] H. H. Yang and J. Moody, "Data visualization and feature selection: new
       algorithms for nongaussian data", Advances in Neural Information Processing
       Systems 12, 687-693 (1999).
    .. [2] G. Brown, A. Pocock, M.-J. Zhao and M. Lujan, "Conditional likelihood
       maximisation: a unifying framework for information theoretic feature
       selection", Journal of Machine Learning Research 13, 27-66 (2012).

    Examples
    --------
    >>> import numpy as np
    >>> from fastmi.feature_selection import JMI, MRMR
    >>> rng = np.random.default_rng(0)
    >>> a, b = rng.integers(0, 2, 2000), (rng.random(2000) < 0.8).astype(int)
    >>> y = a ^ b  # b alone says nothing about y, a and b together say all
    >>> decoy = y ^ (rng.random(2000) < 0.3)  # a noisy copy of y
    >>> X = np.column_stack([a, b, decoy, rng.integers(0, 2, (2000, 2))])
    >>> JMI(n_features_to_select=2).fit(X, y).ranking_
    array([0, 1])
    >>> MRMR(n_features_to_select=2).fit(X, y).ranking_
    array([0, 2])
    """

    _conditional = True

    def _step(self, state, columns, j, rows, size):
        state["redundancy"][rows] += columns.mi(j, rows) - columns.conditional(j, rows)
        return state["relevance"][rows] - state["redundancy"][rows] / size


class CMIM(_GreedySelector):
    """Conditional mutual information maximisation (Fleuret 2004).

    Adds, one at a time, the feature f whose weakest information about y given any
    one selected feature, J = min_j I(f;y|f_j) over the features j in S already
    selected, is highest: a feature is worth only what it adds to the selected
    feature that best replaces it.

    :doc:`/feature_selection` compares the selectors on a real data set.

    Parameters
    ----------
    {parameters}

    Attributes
    ----------
    {attributes}

    See Also
    --------
    MRMR : relevance against mean redundancy, MI terms only.
    JMI : the mean of the conditional terms instead of the weakest.
    fastmi.pairwise_cmi : the conditional MI terms, as a matrix.

    Notes
    -----
    The criterion is Brown et al.'s form of CMIM [2]_, min_j I(f;y|f_j), without
    the I(f;y) that Fleuret's fast implementation starts the minimum from [1]_, so
    that a feature useful only together with a selected one (an XOR) can be found.
    I(f;y|f_j) is computed as I(f;y) - I(f;f_j) + I(f;f_j|y), an identity of
    Shannon's quantities (Brown et al. write CMIM as
    I(f;y) - max_j [I(f;f_j) - I(f;f_j|y)]): every conditional term is conditioned
    on the target, prepared once, and a class-label target lets continuous features
    be estimated class by class (see :class:`JMI`). For the plug-in estimator the
    two forms agree to rounding; for kNN estimators they are different estimates of
    the same quantity. Each step computes one column of :func:`fastmi.pairwise_mi`
    and one of :func:`fastmi.pairwise_cmi` given the target.

    References
    ----------
    .. [1] F. Fleuret, "Fast binary feature selection with conditional mutual
       information", Journal of Machine Learning Research 5, 1531-1555 (2004).
    .. [2] G. Brown, A. Pocock, M.-J. Zhao and M. Lujan, "Conditional likelihood
       maximisation: a unifying framework for information theoretic feature
       selection", Journal of Machine Learning Research 13, 27-66 (2012).

    Examples
    --------
    >>> import numpy as np
    >>> from fastmi.feature_selection import CMIM
    >>> rng = np.random.default_rng(0)
    >>> a, b = rng.integers(0, 2, size=(2, 2000))
    >>> X = np.column_stack([a, a, b, rng.integers(0, 2, 2000)])  # feature 1 copies 0
    >>> y = a + b
    >>> CMIM(n_features_to_select=2).fit(X, y).ranking_  # b, then a (not both copies)
    array([2, 0])
    """

    _conditional = True

    def _start(self, relevance):
        return {"relevance": relevance, "worst": np.full(relevance.size, np.inf)}

    def _step(self, state, columns, j, rows, size):
        given = state["relevance"][rows] - columns.mi(j, rows) + columns.conditional(j, rows)
        state["worst"][rows] = np.minimum(state["worst"][rows], given)
        return state["worst"][rows]


for _cls in (MRMR, JMI, CMIM):
    _cls.__doc__ = _fill(_cls.__doc__, _cls._conditional)
