"""Public estimators of one variable, one pair, or a pair given a third variable.

Each function validates its parameters and samples, picks the estimator from the
dtypes (fastmi._dispatch), prepares each variable once, and hands over to
fastmi._estimators, which picks the kernel strategy from the size.
"""

from __future__ import annotations

import math

import numpy as np

from ._binning import BINNINGS, check_bins
from ._continuous import check_jitter, check_random_state
from ._dispatch import CORRECTIONS, METHODS, resolve_method
from ._estimators import Options, estimate_cmi, estimate_entropy, estimate_mi
from ._normalize import check_normalize, normalized
from ._validation import (
    InvalidParameterError,
    as_columns,
    check_base,
    check_choice,
    check_int,
    check_same_length,
)

_PARAMETERS = {
    "method": """method : {"auto", "discrete", "hist", "ksg", "ksg2", "mixed", "gcmi"}
        The estimator, "auto" by default, which picks it from the dtypes alone: all
        discrete (int, bool, str, categorical) -> ``"discrete"``; all continuous
        (float) -> ``"ksg"``; one discrete and one continuous -> ``"mixed"``.
        ``"discrete"``: plug-in estimate from the contingency table of the labels
        (float data is accepted, its distinct values used as labels). ``"hist"``: bin
        each continuous column, then ``"discrete"``. ``"ksg"``, ``"ksg2"``:
        Kraskov-Stoegbauer-Grassberger k-nearest-neighbour algorithms 1 and 2
        (max-norm); integer input is cast to float. ``"mixed"``: Ross (2014) for one
        discrete and one continuous variable, Gao et al. (2017) for data with atoms or
        ties. ``"gcmi"``: Gaussian-copula MI (Ince et al. 2017), rank-based, a lower
        bound that works in high dimensions. docs/estimators.md details each.""",
    "k": """k : int, default 3
        Neighbours for the kNN estimators; must be less than the number of samples.
        Smaller k: less bias, more variance. Ignored by the table estimators.""",
    "bins": """bins : int or {"auto", "sqrt", "sturges", "fd"}, default "auto"
        Bins per column for ``method="hist"``. ``"auto"`` is floor(sqrt(n/5)), about
        5 samples per cell of a two-variable table (Cellucci et al. 2005); ``"sqrt"``,
        ``"sturges"`` and ``"fd"`` are numpy's rules of those names. Rules give at
        most n bins. Ignored by other methods.""",
    "binning": """binning : {"uniform", "quantile"}, default "uniform"
        ``"uniform"``: equal-width bins over [min, max], as np.histogram.
        ``"quantile"``: equal-frequency bins; ties may merge bins.""",
    "jitter": """jitter : float, default 1e-10
        kNN estimators: after scaling each column to unit variance, add Gaussian
        noise of standard deviation ``jitter * max(1, mean |x|)`` to break ties, as
        Kraskov et al. advise and scikit-learn does. 0 turns it off.""",
    "random_state": """random_state : int or None, default 0
        Seeds the jitter. A column's noise depends only on random_state and the
        column's own values, so results are reproducible and a column is jittered the
        same way in every call. None draws a fresh seed.""",
    "clip": """clip : bool, default False
        kNN estimators can return slightly negative values for independent data;
        ``clip=True`` clips them at 0, as scikit-learn does.""",
    "base": """base : float, default math.e
        Base of the logarithm: e for nats, 2 for bits.""",
    "normalize": """normalize : {None, "corr", "arithmetic", "geometric", "min", "max", "joint"}
        ``"corr"``: sqrt(1 - exp(-2 I)) with I in nats, the correlation scale (``|rho|``
        for a bivariate Gaussian; 0 for negative estimates), for every method. The
        others, for the table estimators only, divide I by the arithmetic or geometric
        mean, the minimum or the maximum of H(X) and H(Y), or by H(X, Y); 0 when that
        is 0. Normalised values are unitless (``base`` is ignored).""",
}


def _with_parameters(*names):
    """Fill the ``{parameters}`` slot of a docstring with the shared entries."""

    def decorate(function):
        entries = "\n    ".join(_PARAMETERS[name] for name in names)
        function.__doc__ = function.__doc__.replace("{parameters}", entries)
        return function

    return decorate


def _options(method, k, bins, binning, correction, jitter, random_state, clip, base):
    """Validate every option; return (Options, log(base))."""
    check_choice(method, "method", METHODS)
    k = check_int(k, "k", min_value=1)
    bins = check_bins(bins)
    check_choice(binning, "binning", BINNINGS)
    if correction not in CORRECTIONS:
        listed = ", ".join(repr(c) for c in CORRECTIONS)
        raise InvalidParameterError(f"correction must be one of {listed}; got {correction!r}.")
    jitter = check_jitter(jitter)
    if not isinstance(clip, (bool, np.bool_)):
        raise InvalidParameterError(f"clip must be True or False; got {clip!r}.")
    log_base = check_base(base)
    seed = check_random_state(random_state)
    return Options(k, bins, binning, correction, jitter, seed), log_base


def _estimator(method: str, variables: dict, correction) -> str:
    estimator = resolve_method(method, variables)
    if estimator not in CORRECTIONS[correction]:
        fits = " or ".join(repr(m) for m in CORRECTIONS[correction])
        raise InvalidParameterError(
            f"correction={correction!r} applies to method={fits}; the estimator here is "
            f"{estimator!r}. Pass correction=None."
        )
    return estimator


def _variables(**arrays) -> tuple[dict[str, list], int]:
    variables = {name: as_columns(array, name) for name, array in arrays.items()}
    return variables, check_same_length(variables)


@_with_parameters("method", "k", "bins", "binning", "jitter", "random_state", "base")
def entropy(
    x,
    *,
    method="auto",
    k=3,
    bins="auto",
    binning="uniform",
    correction=None,
    jitter=1e-10,
    random_state=0,
    base=math.e,
) -> float:
    """Entropy of a variable from its samples, in nats (``base=2`` for bits).

    Parameters
    ----------
    x : array-like of shape (n_samples,) or (n_samples, n_dims)
        Samples of one variable; a 2-D array (or DataFrame) is one joint variable
        whose value is the row. Integer, bool, string and pandas categorical columns
        are labels; any label values work (negative, huge, sparse).
    {parameters}
    correction : {None, "miller-madow"}, default None
        Table estimators: ``"miller-madow"`` adds (m - 1) / (2 n) nats, m the number
        of non-empty levels, to offset the plug-in estimator's downward bias. A
        correction that does not fit the estimator raises an error.

    Returns
    -------
    float
        ``"discrete"``: the plug-in entropy, between 0 and log(levels). ``"hist"``:
        the entropy of the binned variable (not a differential entropy). ``"ksg"``:
        the Kozachenko-Leonenko estimate of the differential entropy (max-norm, the
        k-th neighbour) of the data as given (not rescaled), which can be negative.

    Raises
    ------
    InvalidParameterError
        Empty input, NaN/inf, more than 2 dimensions, mixed-type object columns,
        k >= n, duplicate samples with ``jitter=0`` under ``"ksg"``, or a bad
        parameter. The message names the offending argument or column.

    See Also
    --------
    fastmi.mi, fastmi.cmi, fastmi.info.entropy : entropy of a probability table.

    References
    ----------
    .. [1] C. E. Shannon, "A mathematical theory of communication", Bell System
       Technical Journal 27, 379-423 (1948).
    .. [2] G. A. Miller, "Note on the bias of information estimates", in Information
       Theory in Psychology, H. Quastler (ed.), 95-100 (1955).
    .. [3] L. F. Kozachenko and N. N. Leonenko, "Sample estimate of the entropy of a
       random vector", Problems of Information Transmission 23, 95-101 (1987).
    .. [4] A. Kraskov, H. Stoegbauer and P. Grassberger, "Estimating mutual
       information", Physical Review E 69, 066138 (2004), eq. (20).

    Examples
    --------
    >>> import numpy as np
    >>> import fastmi
    >>> fastmi.entropy(["a", "b", "a", "b"], base=2)
    1.0
    >>> x = np.random.default_rng(1).normal(size=20_000)
    >>> round(fastmi.entropy(x), 2)  # exact: 0.5 log(2 pi e) = 1.42
    1.42
    """
    opt, log_base = _options(
        method, k, bins, binning, correction, jitter, random_state, False, base
    )
    variables, n = _variables(x=x)
    estimator = _estimator(method, variables, correction)
    return estimate_entropy(variables, n, estimator, opt) / log_base


@_with_parameters(
    "method", "k", "bins", "binning", "jitter", "random_state", "clip", "normalize", "base"
)
def mi(
    x,
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
) -> float:
    """Mutual information I(X;Y) between two variables from paired samples, in nats.

    Parameters
    ----------
    x, y : array-like of shape (n_samples,) or (n_samples, n_dims)
        Paired samples: row i of x goes with row i of y (pandas inputs are paired by
        position, not by index). A 2-D array or DataFrame is one joint variable whose
        value is the row. Integer, bool, string and pandas categorical columns are
        labels, mapped to codes once whatever their values.
    {parameters}
    correction : {None, "miller-madow", "gaussian"}, default None
        ``"miller-madow"`` (table estimators): Miller's bias correction of each
        entropy in I = H(X) + H(Y) - H(X,Y), adding (m_x + m_y - m_xy - 1) / (2 n)
        nats, m the numbers of non-empty cells; the corrected value can be negative.
        ``"gaussian"`` (``gcmi``): the analytic bias correction of the log-determinants
        of sample covariances. A correction that does not fit the estimator raises.

    Returns
    -------
    float
        The estimate. Table estimators: 0 <= I <= min(H(X), H(Y)) without correction.
        KSG: raw, slightly negative values are possible for independent data (see
        ``clip``).

    Raises
    ------
    InvalidParameterError
        Mismatched lengths, empty input, NaN/inf, more than 2 dimensions, mixed-type
        object columns, k >= n, or a bad parameter; the message names the argument or
        column.

    Notes
    -----
    Table estimators count the contingency table densely when the number of level
    combinations is small and by a grouped sparse count (memory O(n + levels))
    otherwise. KSG searches neighbours by brute force for small n and with a grid over
    the ranks of the first column of x and of y otherwise, in parallel over query
    points for one large pair. Every strategy gives the same value to rounding; the
    size of the data never changes the estimator.

    The plug-in estimator is biased upward by about (m_x - 1)(m_y - 1) / (2 n) nats
    for independent variables [3]_. KSG algorithm 1 uses the k-th neighbour distance
    eps_i in the joint space and counts n_x, n_y of samples strictly within eps_i in
    each marginal: I = psi(k) + psi(n) - <psi(n_x + 1) + psi(n_y + 1)> [5]_.

    See Also
    --------
    fastmi.entropy, fastmi.cmi, fastmi.info.mutual_info : MI of a probability table.

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, "Elements of Information Theory", 2nd ed.,
       Wiley (2006), ch. 2.
    .. [2] G. A. Miller, "Note on the bias of information estimates", in Information
       Theory in Psychology, H. Quastler (ed.), 95-100 (1955).
    .. [3] L. Paninski, "Estimation of entropy and mutual information", Neural
       Computation 15, 1191-1253 (2003).
    .. [4] C. J. Cellucci, A. M. Albano and P. E. Rapp, "Statistical validation of
       mutual information calculations: comparison of alternative numerical
       algorithms", Physical Review E 71, 066208 (2005).
    .. [5] A. Kraskov, H. Stoegbauer and P. Grassberger, "Estimating mutual
       information", Physical Review E 69, 066138 (2004).

    Examples
    --------
    >>> import numpy as np
    >>> import fastmi
    >>> outlook = ["sun", "sun", "rain", "rain", "cloud", "cloud"]
    >>> play = ["no", "no", "yes", "yes", "yes", "yes"]
    >>> round(fastmi.mi(outlook, play, base=2), 4)
    0.9183
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=5000)
    >>> y = x + rng.normal(size=5000)  # correlation 1/sqrt(2): exact MI 0.347 nats
    >>> round(fastmi.mi(x, y), 2)
    0.35
    """
    opt, log_base = _options(method, k, bins, binning, correction, jitter, random_state, clip, base)
    variables, n = _variables(x=x, y=y)
    estimator = _estimator(method, variables, correction)
    check_normalize(normalize, [estimator])
    value = estimate_mi(variables, n, estimator, opt)
    if clip:
        value = max(value, 0.0)
    if normalize is None:
        return value / log_base
    h_x, h_y = (
        (estimate_entropy({"x": variables[name]}, n, estimator, opt) for name in ("x", "y"))
        if normalize != "corr"
        else (None, None)
    )
    return float(normalized(value, normalize, h_x, h_y))


@_with_parameters("method", "k", "bins", "binning", "jitter", "random_state", "clip", "base")
def cmi(
    x,
    y,
    z,
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
) -> float:
    """Conditional mutual information I(X;Y|Z) from paired samples, in nats.

    I(X;Y|Z) = H(X,Z) + H(Y,Z) - H(X,Y,Z) - H(Z): what X and Y share beyond what Z
    explains.

    Parameters
    ----------
    x, y, z : array-like of shape (n_samples,) or (n_samples, n_dims)
        Paired samples of the three variables.
    {parameters}
    correction : {None, "miller-madow", "gaussian"}, default None
        ``"miller-madow"`` (table estimators): Miller's correction of each of the four
        entropies, adding (m_xz + m_yz - m_xyz - m_z) / (2 n) nats. ``"gaussian"``
        (``gcmi``): the analytic log-determinant bias correction.

    Returns
    -------
    float
        ``"discrete"``/``"hist"``: the plug-in estimate, >= 0 without correction.
        ``"ksg"``: the Frenzel-Pompe estimate
        psi(k) + <psi(n_z + 1) - psi(n_xz + 1) - psi(n_yz + 1)>, with eps_i the k-th
        neighbour distance in the joint (x, y, z) space and counts strictly within it.

    Raises
    ------
    InvalidParameterError
        As :func:`fastmi.mi`; also ``method="ksg2"``, which is for MI only.

    See Also
    --------
    fastmi.mi, fastmi.entropy

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, "Elements of Information Theory", 2nd ed.,
       Wiley (2006), sec. 2.5.
    .. [2] S. Frenzel and B. Pompe, "Partial mutual information for coupling analysis
       of multivariate time series", Physical Review Letters 99, 204101 (2007).

    Examples
    --------
    >>> import fastmi
    >>> z = [0, 0, 0, 0, 1, 1, 1, 1]
    >>> x = [0, 1, 0, 1, 0, 1, 0, 1]
    >>> y = [0, 1, 0, 1, 1, 0, 1, 0]  # y = x XOR z
    >>> fastmi.mi(x, y), fastmi.cmi(x, y, z, base=2)
    (0.0, 1.0)
    """
    opt, log_base = _options(method, k, bins, binning, correction, jitter, random_state, clip, base)
    variables, n = _variables(x=x, y=y, z=z)
    value = estimate_cmi(variables, n, _estimator(method, variables, correction), opt)
    return (max(value, 0.0) if clip else value) / log_base
