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


@with_parameters("k", "bins", "binning", "jitter", "random_state", "base")
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
    r"""Entropy of a variable from its samples, in nats (``base=2`` for bits).

    Parameters
    ----------
    x : array-like of shape (n_samples,) or (n_samples, n_dims)
        Samples of one variable; a 2-D array (or DataFrame) is one joint variable
        whose value is the row. Integer, bool, string and pandas categorical columns
        are labels; any label values work (negative, huge, sparse).
    method : {"auto", "discrete", "hist", "ksg"}, default "auto"
        The estimator: those of :func:`fastmi.mi` that estimate entropy. ``"auto"``
        picks ``"discrete"`` for labels (int, bool, str, categorical) and ``"ksg"``
        for floats. ``"discrete"``: the plug-in entropy of the observed levels.
        ``"hist"``: bin each continuous column (``bins``, ``binning``), then
        ``"discrete"``. ``"ksg"``: the Kozachenko-Leonenko kNN estimate of the
        differential entropy. The other methods of :func:`fastmi.mi` (``"ksg2"``,
        ``"lnc"``, ``"mixed"``, ``"gcmi"``) estimate MI only and raise here. A
        mapping from kind (``"discrete"``, ``"continuous"``) to method picks by the
        variable's kind, as in :func:`fastmi.mi`. :doc:`/estimators` details each.
    {parameters}
    correction : {None, "miller-madow", "grassberger", "chao-shen", "shrinkage"}
        Table estimators' bias corrections (``"discrete"``, ``"hist"``): Miller-Madow
        adds :math:`(m - 1) / (2 n)` nats, m the number of non-empty levels;
        Grassberger (2003) is the digamma estimator; Chao-Shen (2003) adjusts for
        unseen levels; shrinkage is the James-Stein estimator of Hausser and Strimmer
        (2009). A correction that does not fit the estimator raises an error.

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
        k >= n, duplicate samples with ``jitter=0`` under ``"ksg"``, a method that
        does not estimate entropy, or a bad parameter. The message names the
        offending argument or column.

    See Also
    --------
    fastmi.mi : mutual information of two variables from samples.
    fastmi.cmi : conditional mutual information from samples.
    fastmi.info.entropy : the exact entropy of a probability table.

    Notes
    -----
    With :math:`\hat p_i = n_i / n` the observed frequencies of the m non-empty
    levels, the plug-in estimate [1]_ and its Miller-Madow correction [2]_ are

    .. math::

        \hat H = -\sum_{i=1}^{m} \hat p_i \log \hat p_i, \qquad
        \hat H_{\mathrm{MM}} = \hat H + \frac{m - 1}{2 n}.

    The Kozachenko-Leonenko estimate [3]_, in the max-norm form of Kraskov et al.
    [4]_, with :math:`\epsilon_i` the distance from sample i to its k-th neighbour
    in the d-dimensional space of x and :math:`\psi` the digamma function, is

    .. math::

        \hat H = \psi(n) - \psi(k) + d \log 2
        + \frac{d}{n} \sum_{i=1}^{n} \log \epsilon_i .

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
    r"""Mutual information I(X;Y) between two variables from paired samples, in nats.

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
        :math:`I = H(X) + H(Y) - H(X,Y)`: ``"miller-madow"`` adds
        :math:`(m_x + m_y - m_{xy} - 1) / (2 n)` nats, m the numbers of non-empty
        cells; ``"grassberger"`` (Grassberger 2003) and ``"chao-shen"`` (Chao and Shen
        2003) correct each entropy from the counts;
        ``"shrinkage"`` (Hausser and Strimmer 2009) takes MI from the joint table
        shrunk toward uniform. Corrected values can be negative. ``"gaussian"``
        (``gcmi``): the analytic bias correction of the log-determinants of sample
        covariances. A correction that does not fit the estimator raises.

    Returns
    -------
    float
        The estimate. Table estimators: :math:`0 \le I \le \min(H(X), H(Y))` without
        correction.
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
    otherwise. KSG searches neighbours by brute force for tiny n, by rank strips for
    two 1-D variables, and by max-norm KD-trees in more dimensions or on a heavily
    tied column, in parallel over query points for one large pair. Every strategy
    finds the same neighbours, so gives the same value bit for bit; the size of the
    data never changes the estimator.

    The plug-in estimate [1]_ of the table of counts :math:`n_{ab}` (margins
    :math:`n_a`, :math:`n_b`), and its upward bias for independent variables with
    :math:`m_x` and :math:`m_y` levels [3]_, are

    .. math::

        \hat I = \sum_{a, b} \frac{n_{ab}}{n} \log \frac{n\, n_{ab}}{n_a n_b},
        \qquad
        \mathrm{E}\,\hat I \approx \frac{(m_x - 1)(m_y - 1)}{2 n}.

    KSG algorithm 1 [5]_ takes :math:`\epsilon_i`, the distance (max-norm) from
    sample i to its k-th neighbour in the joint space, and counts :math:`n_{x,i}`,
    :math:`n_{y,i}`, the samples strictly within :math:`\epsilon_i` in each
    marginal space; algorithm 2 counts within the largest marginal distances to the
    same k neighbours, bounds included. With :math:`\psi` the digamma function and
    :math:`\langle \cdot \rangle` the mean over samples,

    .. math::

        \hat I_1 = \psi(k) + \psi(n)
        - \langle \psi(n_{x,i} + 1) + \psi(n_{y,i} + 1) \rangle,
        \qquad
        \hat I_2 = \psi(k) - \frac{1}{k} + \psi(n)
        - \langle \psi(n_{x,i}) + \psi(n_{y,i}) \rangle.

    Ross's estimator [6]_ for a discrete x: :math:`d_i` is the distance to the
    :math:`k_i`-th neighbour of sample i among the :math:`N_{x_i}` samples of its
    label, :math:`k_i = \min(k, N_{x_i} - 1)`, and :math:`m_i` counts the samples
    of any label strictly within :math:`d_i`:

    .. math::

        \hat I = \psi(n) + \langle \psi(k_i) - \psi(N_{x_i}) - \psi(m_i) \rangle.

    Gaussian-copula MI [7]_ replaces each column by the normal scores of its ranks,
    :math:`c = \Phi^{-1}(r / (n + 1))`, and returns the MI of Gaussian variables
    with the scores' sample covariances:

    .. math::

        \hat I = \frac{1}{2} \log
        \frac{\det \hat\Sigma_x \, \det \hat\Sigma_y}{\det \hat\Sigma_{xy}} .

    :doc:`/estimators` compares them.

    See Also
    --------
    fastmi.entropy : entropy of one variable from samples.
    fastmi.cmi : conditional mutual information from samples.
    fastmi.pairwise_mi : the MI of every pair of columns of a table.
    fastmi.mi_test : the estimate with a p-value of independence.
    fastmi.info.mutual_info : the exact MI of a probability table.

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
    .. [6] B. C. Ross, "Mutual information between discrete and continuous data
       sets", PLoS ONE 9, e87357 (2014).
    .. [7] R. A. A. Ince et al., "A statistical framework for neuroimaging data
       analysis based on mutual information estimated via a Gaussian copula", Human
       Brain Mapping 38, 1541-1573 (2017).

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


@with_parameters("k", "bins", "binning", "jitter", "random_state", "clip", "base")
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
    r"""Conditional mutual information I(X;Y|Z) from paired samples, in nats.

    :math:`I(X;Y|Z) = H(X,Z) + H(Y,Z) - H(X,Y,Z) - H(Z)`: what X and Y share beyond
    what Z explains.

    Parameters
    ----------
    x, y, z : array-like of shape (n_samples,) or (n_samples, n_dims)
        Paired samples of the three variables.
    method : {"auto", "discrete", "hist", "ksg", "gcmi"}, default "auto"
        The estimator: those of :func:`fastmi.mi` that estimate conditional MI.
        ``"auto"`` picks ``"discrete"`` when all three are labels (int, bool, str,
        categorical) and ``"ksg"`` when all are floats; with a discrete z and a
        continuous x or y (1-D each) it estimates class by class of z (see Returns);
        other mixes of kinds raise, naming the methods that fit. ``"discrete"``:
        plug-in estimate from the table of the labels. ``"hist"``: bin each
        continuous column, then ``"discrete"``. ``"ksg"``: the Frenzel-Pompe kNN
        estimator. ``"gcmi"``: Gaussian-copula conditional MI, a lower bound that
        works in high dimensions. ``"ksg2"``, ``"lnc"`` and ``"mixed"`` estimate
        MI only and raise here. A mapping from kind (``"discrete"``,
        ``"continuous"``, or ``"mixed"`` when the three are not all of one kind) to
        method picks by the kinds, as in :func:`fastmi.mi`. :doc:`/estimators`
        details each.
    {parameters}
    correction : {None, "miller-madow", "grassberger", "chao-shen", "shrinkage", "gaussian"}
        Table estimators: the correction of each of the four entropies in
        :math:`I(X;Y|Z) = H(X,Z) + H(Y,Z) - H(X,Y,Z) - H(Z)` (Miller-Madow adds
        :math:`(m_{xz} + m_{yz} - m_{xyz} - m_z) / (2 n)`); ``"gaussian"``
        (``"gcmi"``): the analytic log-determinant bias correction.

    Returns
    -------
    float
        ``"discrete"``/``"hist"``: the plug-in estimate, >= 0 without correction.
        ``"ksg"``: the Frenzel-Pompe estimate (Notes). ``method="auto"`` with a
        discrete z and a continuous x or y (1-D each): the class-by-class estimate
        :math:`\sum_c p(c)\, I(X;Y|Z=c)`, each term by the MI estimator that
        :func:`fastmi.mi` picks for x and y (KSG, or Ross for a discrete partner),
        every class needing more than k samples; the same value as the entry of
        :func:`fastmi.pairwise_cmi`.

    Raises
    ------
    InvalidParameterError
        As :func:`fastmi.mi`; also a method that does not estimate conditional MI
        (``"ksg2"``, ``"lnc"``, ``"mixed"``), and ``method="auto"`` for a mix of
        kinds it has no estimator for.

    See Also
    --------
    fastmi.mi : mutual information without conditioning.
    fastmi.entropy : entropy of one variable from samples.
    fastmi.pairwise_cmi : I(X_i;X_j|Z) of every pair of columns given the same z.
    fastmi.cmi_test : the estimate with a p-value of conditional independence.

    Notes
    -----
    The Frenzel-Pompe estimator [2]_ extends KSG algorithm 1: :math:`\epsilon_i` is
    the distance (max-norm) from sample i to its k-th neighbour in the joint
    (x, y, z) space, and :math:`n_{xz,i}`, :math:`n_{yz,i}`, :math:`n_{z,i}` count
    the samples strictly within :math:`\epsilon_i` in the (x, z), (y, z) and z
    spaces:

    .. math::

        \hat I(X;Y|Z) = \psi(k)
        - \langle \psi(n_{xz,i} + 1) + \psi(n_{yz,i} + 1) - \psi(n_{z,i} + 1) \rangle .

    Gaussian-copula conditional MI takes the normal scores of the ranks of every
    column and returns the conditional MI of Gaussian variables with their sample
    covariances,
    :math:`\frac{1}{2} \log \frac{\det \hat\Sigma_{xz} \det \hat\Sigma_{yz}}
    {\det \hat\Sigma_{xyz} \det \hat\Sigma_z}`.

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
