"""Drop-in replacements for scikit-learn's mutual information scores.

``mutual_info_regression`` and ``mutual_info_classif`` take scikit-learn's arguments and
return its values: the continuous columns are scaled and jittered with scikit-learn's
own arithmetic and RandomState stream, so the values match to rounding, on tied data
too (where both warn: kNN estimators are biased by ties). They are computed
by the fastmi engine: KSG for continuous pairs, Ross (2014) for a discrete and a
continuous variable, the plug-in estimate for two discrete ones, every estimate
clipped at 0. They work as ``SelectKBest(score_func=...)``. scikit-learn itself is not
needed.

Examples
--------
>>> import numpy as np
>>> from fastmi.sklearn import mutual_info_regression
>>> rng = np.random.default_rng(0)
>>> X = rng.normal(size=(1000, 3))
>>> y = X[:, 0] + 0.5 * X[:, 1] ** 2
>>> np.round(mutual_info_regression(X, y, random_state=0), 1)
array([1.3, 0.1, 0. ])
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from ._encode import column_codes
from ._options import estimation_options, run_options
from ._ties import heavy_tie_share
from ._validation import InvalidParameterError
from ._warnings import TiesWarning, user_stacklevel
from .pairwise._engine import matrix_of_columns

__all__ = ["mutual_info_classif", "mutual_info_regression"]


def _dense(X) -> np.ndarray:
    if hasattr(X, "toarray"):  # scipy.sparse
        X = X.toarray()
    X = np.asarray(X)
    if X.ndim != 2:
        raise InvalidParameterError(f"X must be 2-D (n_samples, n_features); got shape {X.shape}.")
    if X.dtype.kind not in "biuf":
        raise InvalidParameterError(
            f"X must be numeric, as in scikit-learn; got dtype {X.dtype}. Use "
            f"fastmi.mi_with_target for string or categorical columns."
        )
    return X


def _discrete_mask(discrete_features, n_features: int, sparse: bool) -> np.ndarray:
    """scikit-learn's discrete_features: 'auto', a bool, a boolean mask or indices."""
    if isinstance(discrete_features, str):
        if discrete_features != "auto":
            raise InvalidParameterError(
                f"discrete_features must be 'auto', a bool, a boolean mask or an array of "
                f"indices; got {discrete_features!r}."
            )
        return np.full(n_features, sparse)
    if isinstance(discrete_features, (bool, np.bool_)):
        return np.full(n_features, bool(discrete_features))
    given = np.asarray(discrete_features)
    if given.dtype == bool:
        if given.shape != (n_features,):
            raise InvalidParameterError(
                f"a boolean discrete_features must have one entry per feature "
                f"({n_features}); got shape {given.shape}."
            )
        return given.copy()
    mask = np.zeros(n_features, dtype=bool)
    try:
        mask[given] = True
    except IndexError:
        raise InvalidParameterError(
            f"discrete_features holds an index out of range for {n_features} features: "
            f"{given.tolist()}."
        ) from None
    return mask


def _as_variable(values: np.ndarray, discrete: bool, label: str):
    """A column whose dtype tells the engine its kind: codes if discrete, else floats."""
    if discrete:
        return column_codes(values, label)[0]
    return np.asarray(values, dtype=np.float64)


def _random_state(random_state) -> np.random.RandomState:
    """scikit-learn's check_random_state: None is NumPy's global RandomState."""
    if random_state is None:
        return np.random.mtrand._rand
    if isinstance(random_state, np.random.RandomState):
        return random_state
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        return np.random.RandomState(random_state)
    raise InvalidParameterError(
        f"random_state must be None, an int or a RandomState; got {random_state!r}."
    )


def _scale(values: np.ndarray) -> np.ndarray:
    """scikit-learn's scale(values, with_mean=False): divide by the std (axis 0), a
    std below 10 eps counting as 1."""
    std = np.nanstd(values, axis=0)
    std = np.where(std < 10 * np.finfo(std.dtype).eps, 1.0, std)
    return values / std


def _scaled_and_jittered(X, y, mask, discrete_target, rng):
    """The continuous features and target as scikit-learn makes them before its
    estimators: scaled to unit variance, then 1e-10 * max(1, mean |x|) times draws of
    its RandomState, features first (one (n, features) draw), then the target; the
    same arithmetic, so the same values bit for bit."""
    n = X.shape[0]
    continuous = ~mask
    if continuous.any():
        X = X.copy()
        block = _scale(X[:, continuous])
        means = np.maximum(1, np.mean(np.abs(block), axis=0))
        block += 1e-10 * means * rng.standard_normal(size=(n, int(continuous.sum())))
        X[:, continuous] = block
    if not discrete_target:
        y = _scale(np.asarray(y, dtype=np.float64))
        y = y + 1e-10 * np.maximum(1, np.mean(np.abs(y))) * rng.standard_normal(size=n)
    return X, y


def _warn_ties(label: str, values: np.ndarray, k: int, fix: str) -> None:
    """The ties warning of fastmi.mi, worded for the drop-ins; ``fix`` applies to the
    column concerned."""
    share = heavy_tie_share(values, k) if np.isfinite(values).all() else None
    if share is not None:
        warnings.warn(
            f"{label} has heavy ties: {share:.0%} of its samples share their value with "
            f"more than k={k} others. scikit-learn's kNN estimators, which this drop-in "
            f"reproduces, assume continuous data and can be badly biased by ties "
            f"(scikit-learn issue #30772); {fix}.",
            TiesWarning,
            stacklevel=user_stacklevel(),
        )


def _estimate(X, y, discrete_features, n_neighbors, random_state, n_jobs, discrete_target):
    sparse = hasattr(X, "toarray")
    X = _dense(X)
    y = np.asarray(y)
    if y.ndim != 1 or y.shape[0] != X.shape[0]:
        raise InvalidParameterError(
            f"y must be 1-D with one entry per sample of X ({X.shape[0]}); got shape {y.shape}."
        )
    rng = _random_state(random_state)
    opt = estimation_options(k=n_neighbors, jitter=0.0, clip=True, scale=False)
    run = run_options(n_jobs=n_jobs, progress=False)
    mask = _discrete_mask(discrete_features, X.shape[1], sparse)
    X = X.astype(np.float64) if (~mask).any() else X
    feature_fix = (
        "mark the feature as discrete (discrete_features), or use "
        "fastmi.mi_with_target(X, y, method='mixed'), which counts atoms exactly"
    )
    for j in np.flatnonzero(~mask):
        _warn_ties(f"X[:, {j}]", X[:, j], n_neighbors, feature_fix)
    if not discrete_target:
        target_fix = "if y holds classes, use mutual_info_classif"
        _warn_ties("y", np.asarray(y, dtype=np.float64), n_neighbors, target_fix)
    X, y = _scaled_and_jittered(X, y, mask, discrete_target, rng)
    columns = [
        (f"X[:, {j}]", _as_variable(X[:, j], mask[j], f"X[:, {j}]")) for j in range(X.shape[1])
    ]
    target = [("y", _as_variable(y, discrete_target, "y"))]
    result = matrix_of_columns(columns, target, opt, run)
    return result[:, 0]


def mutual_info_regression(
    X, y, *, discrete_features="auto", n_neighbors=3, copy=True, random_state=None, n_jobs=None
):
    """Mutual information between each feature and a continuous target, in nats.

    Same signature and values as ``sklearn.feature_selection.mutual_info_regression``.

    Parameters
    ----------
    X : array-like or sparse matrix of shape (n_samples, n_features)
        Numeric features.
    y : array-like of shape (n_samples,)
        Continuous target.
    discrete_features : {"auto", bool} or array-like, default "auto"
        Which features are discrete: "auto" means none for dense X and all for sparse
        X; a bool for all; a boolean mask or an array of indices.
    n_neighbors : int, default 3
        k of the kNN estimators (Kraskov et al. 2004; Ross 2014).
    copy : bool, default True
        Accepted for compatibility; fastmi never modifies its input.
    random_state : int, RandomState or None, default None
        Seeds the 1e-10 tie-breaking noise; None draws a fresh seed.
    n_jobs : int or None, default None
        Numba threads (None: all cores). The result does not depend on it.

    Returns
    -------
    ndarray of shape (n_features,)
        MI of each feature with y, in nats, clipped at 0.

    References
    ----------
    .. [1] A. Kraskov, H. Stoegbauer and P. Grassberger, "Estimating mutual
       information", Physical Review E 69, 066138 (2004).
    .. [2] B. C. Ross, "Mutual information between discrete and continuous data sets",
       PLoS ONE 9(2), e87357 (2014).
    """
    del copy
    return _estimate(X, y, discrete_features, n_neighbors, random_state, n_jobs, False)


def mutual_info_classif(
    X, y, *, discrete_features="auto", n_neighbors=3, copy=True, random_state=None, n_jobs=None
):
    """Mutual information between each feature and a discrete target, in nats.

    Same signature and values as ``sklearn.feature_selection.mutual_info_classif``;
    parameters as :func:`mutual_info_regression`, with ``y`` class labels.

    Parameters
    ----------
    X : array-like or sparse matrix of shape (n_samples, n_features)
        Numeric features.
    y : array-like of shape (n_samples,)
        Class labels (any values).
    discrete_features : {"auto", bool} or array-like, default "auto"
        As in :func:`mutual_info_regression`.
    n_neighbors : int, default 3
        k of the kNN estimators.
    copy : bool, default True
        Accepted for compatibility.
    random_state : int, RandomState or None, default None
        Seeds the tie-breaking noise.
    n_jobs : int or None, default None
        Numba threads.

    Returns
    -------
    ndarray of shape (n_features,)
        MI of each feature with y, in nats, clipped at 0.

    References
    ----------
    .. [1] B. C. Ross, "Mutual information between discrete and continuous data sets",
       PLoS ONE 9(2), e87357 (2014).
    """
    del copy
    return _estimate(X, y, discrete_features, n_neighbors, random_state, n_jobs, True)
