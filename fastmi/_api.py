"""Public estimators of one variable, one pair, or a pair given a third variable.

Each function checks its options (fastmi._options) and samples, resolves the estimator
from the dtypes in the registry (fastmi.estimators), and runs that estimator's
function; ``mi`` runs the same preparation and pair function as a tile of
``pairwise_mi``, so a matrix equals the loop of ``mi`` calls.
"""

from __future__ import annotations

import math

import numpy as np

from ._normalize import finish
from ._options import estimation_options, with_parameters
from ._validation import (
    InvalidParameterError,
    as_columns,
    check_same_length,
    variable_kind,
    variable_label,
)
from .estimators import CMI_METHODS, ENTROPY_METHODS, check_fits, resolve_variables


def mi_of_columns(x_columns, y_columns, opt) -> float:
    """MI of two variables given as lists of (label, column), finished as ``opt``
    says: what ``mi`` runs once its options are checked. Checks that both have the
    same number of samples (the kernels never do)."""
    names = variable_label(x_columns), variable_label(y_columns)
    check_same_length(
        dict(zip(names if names[0] != names[1] else ("x", "y"), (x_columns, y_columns)))
    )
    estimator = resolve_variables(opt.method, {"x": x_columns, "y": y_columns})
    check_fits([estimator], opt.correction, opt.normalize)
    value = estimator.mi(x_columns, y_columns, opt)
    h_x = h_y = None
    if opt.normalize not in (None, "corr"):  # a table estimator (check_fits)
        h_x, h_y = (estimator.entropy(columns, opt) for columns in (x_columns, y_columns))
    return float(finish(value, opt, h_x, h_y))


def _refuse(estimator, what: str, methods) -> None:
    listed = ", ".join(repr(m) for m in methods)
    raise InvalidParameterError(f"method={estimator.method!r} {what} one of {listed}.")


def variables_of(**arrays) -> tuple[dict[str, list], int]:
    variables = {name: as_columns(array, name) for name, array in arrays.items()}
    return variables, check_same_length(variables)


@with_parameters("method", "k", "bins", "binning", "jitter", "random_state", "base")
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
    correction : {None, "miller-madow", "grassberger", "chao-shen", "shrinkage"}
        Table estimators' bias corrections (fastmi.estimators.discrete): Miller-Madow
        adds (m - 1) / (2 n) nats, m the number of non-empty levels; Grassberger (2003)
        is the digamma estimator; Chao-Shen (2003) adjusts for unseen levels; shrinkage
        is the James-Stein estimator of Hausser and Strimmer (2009). A correction that
        does not fit the estimator raises an error.

    Returns
    -------
    float
        ``"discrete"``: the plug-in entropy, between 0 and log(levels). ``"hist"``:
        the entropy of the binned variable (not a differential entropy). ``"ksg"``:
        the Kozachenko-Leonenko estimate of the differential entropy (max-norm, the
        k-th neighbour) of the data as given (not rescaled), which can be negative;
        -inf when a column is constant (a point mass has no density).

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
    opt = estimation_options(
        method=method, k=k, bins=bins, binning=binning, correction=correction,
        jitter=jitter, random_state=random_state, base=base,
    )  # fmt: skip
    variables, _ = variables_of(x=x)
    estimator = resolve_variables(opt.method, variables)
    check_fits([estimator], opt.correction, None)
    if estimator.entropy is None:
        _refuse(estimator, "estimates mutual information only; for entropy use", ENTROPY_METHODS)
    return float(finish(estimator.entropy(variables["x"], opt), opt))


@with_parameters(
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
    correction : {None, "miller-madow", "grassberger", "chao-shen", "shrinkage", "gaussian"}
        Table estimators: a bias correction of each entropy in
        I = H(X) + H(Y) - H(X,Y): ``"miller-madow"`` adds (m_x + m_y - m_xy - 1) / (2 n)
        nats, m the numbers of non-empty cells; ``"grassberger"`` (Grassberger 2003)
        and ``"chao-shen"`` (Chao and Shen 2003) correct each entropy from the counts;
        ``"shrinkage"`` (Hausser and Strimmer 2009) takes MI from the joint table
        shrunk toward uniform. Corrected values can be negative. ``"gaussian"``
        (``gcmi``): the analytic bias correction of the log-determinants of sample
        covariances. A correction that does not fit the estimator raises.

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
    opt = estimation_options(
        method=method, k=k, bins=bins, binning=binning, correction=correction,
        jitter=jitter, random_state=random_state, clip=clip, normalize=normalize, base=base,
    )  # fmt: skip
    variables, _ = variables_of(x=x, y=y)
    return mi_of_columns(variables["x"], variables["y"], opt)


@with_parameters("method", "k", "bins", "binning", "jitter", "random_state", "clip", "base")
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
    correction : {None, "miller-madow", "grassberger", "chao-shen", "shrinkage", "gaussian"}
        Table estimators: the correction of each of the four entropies in
        I(X;Y|Z) = H(X,Z) + H(Y,Z) - H(X,Y,Z) - H(Z) (Miller-Madow adds
        (m_xz + m_yz - m_xyz - m_z) / (2 n)); ``"gaussian"`` (``gcmi``): the analytic
        log-determinant bias correction.

    Returns
    -------
    float
        ``"discrete"``/``"hist"``: the plug-in estimate, >= 0 without correction.
        ``"ksg"``: the Frenzel-Pompe estimate
        psi(k) + <psi(n_z + 1) - psi(n_xz + 1) - psi(n_yz + 1)>, with eps_i the k-th
        neighbour distance in the joint (x, y, z) space and counts strictly within it.
        ``method="auto"`` with a discrete z and a continuous x or y (1-D each): the
        class-by-class estimate sum_c p(c) I(X;Y|Z=c), each term by the MI estimator
        that ``fastmi.mi`` picks for x and y (KSG, or Ross for a discrete partner),
        every class needing more than k samples; the same value as the entry of
        :func:`fastmi.pairwise_cmi`.

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
    opt = estimation_options(
        method=method, k=k, bins=bins, binning=binning, correction=correction,
        jitter=jitter, random_state=random_state, clip=clip, base=base,
    )  # fmt: skip
    variables, _ = variables_of(x=x, y=y, z=z)
    if _by_class(opt.method, variables):
        return _cmi_by_class(variables, opt)
    return cmi_of_columns(resolve_variables(opt.method, variables), variables, opt)


def _by_class(method, variables: dict[str, list]) -> bool:
    """Whether ``method="auto"`` estimates I(X;Y|Z) class by class of z: a discrete z
    with a continuous x or y (1-D each), as fastmi.pairwise_cmi does."""
    kinds = {name: variable_kind(columns) for name, columns in variables.items()}
    return (
        method == "auto"
        and kinds["z"] == "discrete"
        and "continuous" in (kinds["x"], kinds["y"])
        and len(variables["x"]) == len(variables["y"]) == 1
    )


def _cmi_by_class(variables: dict[str, list], opt) -> float:
    """sum_c p(c) I(X;Y|Z=c) by the MI estimator of x's and y's kinds: the entry of
    fastmi.pairwise_cmi for these two columns, bit for bit (the same code)."""
    from .pairwise._cmi import ConditionalJob  # the engine imports this module

    job = ConditionalJob(variables["x"] + variables["y"], variables["z"], opt)
    value = job.values(np.array([0]), np.array([1]))[0]
    job.warn()
    return float(finish(value, opt))


def cmi_of_columns(estimator, variables: dict[str, list], opt) -> float:
    """I(X;Y|Z) of variables {"x", "y", "z"} (lists of (label, column)) by the
    estimator resolved for them, finished as ``opt`` says: what ``cmi`` runs."""
    check_fits([estimator], opt.correction, None)
    if estimator.cmi is None:
        _refuse(estimator, "does not estimate conditional MI; use", CMI_METHODS)
    return float(finish(estimator.cmi(variables["x"], variables["y"], variables["z"], opt), opt))
