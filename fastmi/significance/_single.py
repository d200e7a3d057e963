"""Tests of one MI or conditional MI estimate: ``mi_test`` and ``cmi_test``."""

from __future__ import annotations

import math
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from .._api import _by_class, _cmi_by_class, cmi_of_columns, mi_of_columns, variables_of
from .._options import check_choice, check_int, estimation_options, run_options, with_parameters
from .._validation import InvalidParameterError
from .._warnings import CalibrationWarning, user_stacklevel
from ..estimators import check_fits, resolve_variables
from ..pairwise._engine import matrix_of_columns, numba_threads
from . import _nulls

NULLS = ("auto", "permutation", "analytic")
#: Relative tolerance of "a permuted estimate at least the observed one": equal
#: tables can sum in another order (scipy.stats.permutation_test does the same).
TIES_TOLERANCE = 1e-12
#: Permuted variables per matrix job (bounds the memory of prepared columns).
PERMUTATIONS_PER_JOB = 128


@dataclass(frozen=True)
class MITestResult:
    """The result of :func:`fastmi.mi_test` or :func:`fastmi.cmi_test`.

    Attributes
    ----------
    statistic : float
        The estimate, in the units asked for (``base``).
    pvalue : float
        The probability of an estimate at least this large under independence
        (conditional independence for ``cmi_test``).
    null : str
        How the p-value was obtained: ``"g-test"`` or ``"gaussian"`` (analytic
        chi-square nulls), ``"permutation"``, ``"stratified permutation"`` or
        ``"local permutation"``.
    method : str
        The estimator used; ``"stratified"`` for the class-by-class estimate of
        :func:`fastmi.cmi` (``method="auto"``, a discrete z with a continuous x or y).
    null_distribution : ndarray or None
        The permuted estimates (same units as ``statistic``); None for an analytic
        null.
    df : int or None
        The chi-square degrees of freedom of an analytic null.
    """

    statistic: float
    pvalue: float
    null: str
    method: str
    null_distribution: np.ndarray | None = field(default=None, repr=False)
    df: int | None = None


def permutation_pvalue(statistic: float, null: np.ndarray) -> float:
    """(1 + #{null >= statistic}) / (1 + B): never 0, exact under exchangeability
    (Phipson and Smyth 2010)."""
    tolerance = TIES_TOLERANCE * max(1.0, abs(statistic))
    return float((1 + np.count_nonzero(null >= statistic - tolerance)) / (1 + null.size))


@contextmanager
def quiet_null():
    """Warnings about permuted data repeat the observed data's ones: silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        yield


def permutation_null(x_columns, y_columns, opt, n_permutations, rng, n_jobs) -> np.ndarray:
    """MI of x against rows of y permuted B times: 1-D pairs as cross-matrix jobs of
    many permuted copies (in parallel, x prepared once per job); joint variables call
    by call."""
    permutations = [rng.permutation(len(y_columns[0][1])) for _ in range(n_permutations)]
    null = np.empty(n_permutations)
    with quiet_null():
        if len(x_columns) == 1 and len(y_columns) == 1:
            run = run_options(n_jobs=n_jobs, progress=False)
            ((label, column),) = y_columns
            column = np.asarray(column)
            for start in range(0, n_permutations, PERMUTATIONS_PER_JOB):
                chunk = permutations[start : start + PERMUTATIONS_PER_JOB]
                copies = [(f"{label}[permutation {start + b}]", column[p]) for b, p in
                          enumerate(chunk)]  # fmt: skip
                null[start : start + len(chunk)] = matrix_of_columns(x_columns, copies, opt, run)[0]
        else:
            with numba_threads(n_jobs):
                for b, permutation in enumerate(permutations):
                    null[b] = mi_of_columns(x_columns, _nulls.permuted(y_columns, permutation), opt)
    return null


def _choose_null(null: str, analytic: str | None, holds: bool, method: str, what: str):
    """Whether to use the analytic null; errors and warnings for null='analytic'."""
    if null == "permutation":
        return False
    if analytic is None:
        if null == "analytic":
            raise InvalidParameterError(
                f"null='analytic': there is no analytic null for method={method!r} {what} "
                f"(the G-test needs an uncorrected table estimator, the chi-square of "
                f"Gaussian MI needs gcmi without correction). Use null='permutation'."
            )
        return False
    if not holds:
        if null == "auto":
            return False
        warnings.warn(
            "more than 20% of the cells of the table expect fewer than 5 counts under "
            "independence, where the chi-square null of the G-test is badly calibrated; "
            "null='permutation' gives a p-value that holds at any sample size.",
            CalibrationWarning,
            stacklevel=user_stacklevel(),
        )
    return True


def _analytic_test(null, estimator, opt, n, statistic, variables, table_null, what):
    """The result from the analytic null (chi-square on 2 n I, I in nats) when it is
    the one to use, else None. ``table_null()`` gives the G-test's (df, whether
    Cochran's rule holds)."""
    analytic = _nulls.analytic_kind(estimator, opt.correction)
    df, holds = None, True
    if analytic == "g-test":
        df, holds = table_null()
    elif analytic == "gaussian":
        df = _nulls.gaussian_df(variables["x"], variables["y"])
    if not _choose_null(null, analytic, holds, estimator.method, what):
        return None
    g = 2.0 * n * statistic * opt.log_base
    return MITestResult(statistic, _nulls.chi2_sf(g, df), analytic, estimator.name, df=df)


@with_parameters("method", "k", "bins", "binning", "jitter", "random_state", "base")
def mi_test(
    x,
    y,
    *,
    method="auto",
    null="auto",
    n_permutations=1000,
    k=3,
    bins="auto",
    binning="uniform",
    correction=None,
    jitter=1e-10,
    random_state=0,
    base=math.e,
    n_jobs=None,
) -> MITestResult:
    """Test of independence: the MI estimate of x and y with its p-value.

    Under independence an estimate is not 0 but spreads around a small value that
    depends on the estimator and the sample size; the p-value says how often an
    estimate at least this large arises then. Permutations of y's rows give that
    null distribution for every estimator; the plug-in estimate of a table and
    Gaussian-copula MI also have analytic ones, 2 n I ~ chi2 (I in nats).

    :doc:`/significance` compares the nulls, with a figure and worked examples.

    Parameters
    ----------
    x, y : array-like of shape (n_samples,) or (n_samples, n_dims)
        Paired samples, as in :func:`fastmi.mi`.
    null : {"auto", "permutation", "analytic"}, default "auto"
        ``"analytic"``: the G-test, 2 n I ~ chi2((r - 1)(c - 1)) over the observed
        levels, for ``"discrete"`` and ``"hist"`` (Wilks 1938), with a
        ``CalibrationWarning`` when more than 20 % of the cells expect fewer than 5
        counts; 2 n I ~ chi2(d_x d_y) for ``"gcmi"``. Both need ``correction=None``.
        ``"permutation"``: ``n_permutations`` random permutations of y's rows.
        ``"auto"``: analytic where it exists and is trusted, else permutations;
        the result's ``null`` says which.
    n_permutations : int, default 1000
        Permutations for a permutation null; the smallest p-value possible is
        1 / (n_permutations + 1).
    {parameters}
    correction : str, optional
        A bias correction, as in :func:`fastmi.mi` (permutation nulls only).
    n_jobs : int, optional
        Threads for the permutations (default: all cores).

    Returns
    -------
    MITestResult
        ``statistic`` (the estimate, as :func:`fastmi.mi` gives it), ``pvalue``,
        ``null``, ``method``, ``null_distribution`` (the permuted estimates) and
        ``df`` (analytic nulls).

    See Also
    --------
    fastmi.cmi_test : conditional independence.
    fastmi.pairwise_test : every pair of a table, with multiple-comparison corrections.

    Notes
    -----
    The permutation p-value is (1 + #{permuted >= observed}) / (1 + B), exact at any
    sample size when the samples are exchangeable (independent rows, not a time
    series); the permutations are drawn from ``random_state``, so the p-value is
    reproducible and does not depend on the number of threads. Each permuted copy of
    y is estimated as a tile of a matrix job, in parallel.

    References
    ----------
    .. [1] S. S. Wilks, "The large-sample distribution of the likelihood ratio for
       testing composite hypotheses", Annals of Mathematical Statistics 9, 60-62 (1938).
    .. [2] B. Phipson and G. K. Smyth, "Permutation p-values should never be zero",
       Statistical Applications in Genetics and Molecular Biology 9, 39 (2010).
    .. [3] R. A. A. Ince et al., "A statistical framework for neuroimaging data
       analysis based on mutual information estimated via a Gaussian copula", Human
       Brain Mapping 38, 1541-1573 (2017).

    Examples
    --------
    >>> import numpy as np
    >>> import fastmi
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=500)
    >>> result = fastmi.mi_test(x, x + rng.normal(size=500), n_permutations=200)
    >>> result.null, result.pvalue
    ('permutation', 0.004975124378109453)
    >>> labels = rng.integers(0, 3, 500)
    >>> fastmi.mi_test(labels, rng.integers(0, 3, 500)).null
    'g-test'
    """
    opt = estimation_options(
        method=method, k=k, bins=bins, binning=binning, correction=correction,
        jitter=jitter, random_state=random_state, base=base,
    )  # fmt: skip
    null = check_choice(null, "null", NULLS)
    n_permutations = check_int(n_permutations, "n_permutations", min_value=1)
    run = run_options(n_jobs=n_jobs)
    variables, n = variables_of(x=x, y=y)
    x_columns, y_columns = variables["x"], variables["y"]
    estimator = resolve_variables(opt.method, variables)
    check_fits([estimator], opt.correction, None)
    statistic = mi_of_columns(x_columns, y_columns, opt)
    table_null = lambda: _nulls.table_null(estimator, x_columns, y_columns, opt)  # noqa: E731
    result = _analytic_test(null, estimator, opt, n, statistic, variables, table_null, "here")
    if result is not None:
        return result
    rng = np.random.default_rng(opt.seed)
    values = permutation_null(x_columns, y_columns, opt, n_permutations, rng, run.n_jobs)
    pvalue = permutation_pvalue(statistic, values)
    return MITestResult(statistic, pvalue, "permutation", estimator.name, values)


@with_parameters("k", "bins", "binning", "jitter", "random_state", "base")
def cmi_test(
    x,
    y,
    z,
    *,
    method="auto",
    null="auto",
    n_permutations=200,
    k=3,
    bins="auto",
    binning="uniform",
    correction=None,
    jitter=1e-10,
    random_state=0,
    base=math.e,
    n_jobs=None,
) -> MITestResult:
    """Test of conditional independence: I(X;Y|Z) with its p-value.

    A plain permutation of x would break its dependence on z as well and test the
    wrong hypothesis; the permutations here move x only among samples of the same z
    (discrete z) or of similar z (the local permutation of Runge 2018, continuous z),
    so that X - Z and Y - Z dependence survive and only X - Y given Z is broken.

    :doc:`/significance` explains the conditional permutations, with examples.

    Parameters
    ----------
    x, y, z : array-like of shape (n_samples,) or (n_samples, n_dims)
        Paired samples, as in :func:`fastmi.cmi`.
    null : {"auto", "permutation", "analytic"}, default "auto"
        ``"analytic"``: 2 n I ~ chi2 with sum over the levels of z of (r_z - 1)(c_z - 1)
        degrees of freedom (the G-test of conditional independence) for the table
        estimators, chi2(d_x d_y) for ``"gcmi"``. ``"permutation"``: within the
        levels of z when z is discrete (``"stratified permutation"``), else the local
        permutation among each sample's 5 nearest neighbours in z (max-norm).
        ``"auto"``: analytic where it exists and is trusted, else permutations.
    n_permutations : int, default 200
        Permutations for a permutation null (each is a full CMI estimate).
    method : {"auto", "discrete", "hist", "ksg", "gcmi"}, default "auto"
        The estimator, as in :func:`fastmi.cmi` (which details each): those of
        :func:`fastmi.mi` that estimate conditional MI, or a mapping from kind to
        method. ``"ksg2"``, ``"lnc"`` and ``"mixed"`` estimate MI only and raise.
        ``"auto"`` with a discrete z and a continuous x or y (1-D each) tests the
        class-by-class estimate of :func:`fastmi.cmi` by permutations within the
        classes of z (the result's ``method`` is ``"stratified"``).
    {parameters}
    correction : str, optional
        A bias correction, as in :func:`fastmi.cmi` (permutation nulls only).
    n_jobs : int, optional
        Threads of each estimate (default: all cores).

    Returns
    -------
    MITestResult
        As :func:`fastmi.mi_test`, for the CMI estimate.

    See Also
    --------
    fastmi.mi_test : the test of unconditional independence.
    fastmi.cmi : the estimate alone.

    References
    ----------
    .. [1] J. Runge, "Conditional independence testing based on a nearest-neighbor
       estimator of conditional mutual information", Proceedings of AISTATS, PMLR 84,
       938-947 (2018).
    .. [2] S. Frenzel and B. Pompe, "Partial mutual information for coupling analysis
       of multivariate time series", Physical Review Letters 99, 204101 (2007).

    Examples
    --------
    >>> import numpy as np
    >>> import fastmi
    >>> rng = np.random.default_rng(0)
    >>> z = rng.normal(size=400)
    >>> x, y = z + rng.normal(size=400), z + rng.normal(size=400)  # dependent via z only
    >>> fastmi.mi_test(x, y, n_permutations=100).pvalue < 0.05
    True
    >>> result = fastmi.cmi_test(x, y, z, n_permutations=100)
    >>> result.null, result.pvalue > 0.05
    ('local permutation', True)
    """
    opt = estimation_options(
        method=method, k=k, bins=bins, binning=binning, correction=correction,
        jitter=jitter, random_state=random_state, base=base,
    )  # fmt: skip
    null = check_choice(null, "null", NULLS)
    n_permutations = check_int(n_permutations, "n_permutations", min_value=1)
    run = run_options(n_jobs=n_jobs)
    variables, n = variables_of(x=x, y=y, z=z)
    if _by_class(opt.method, variables):
        return _class_by_class_test(variables, opt, null, n_permutations, run.n_jobs)
    estimator = resolve_variables(opt.method, variables)
    statistic = cmi_of_columns(estimator, variables, opt)
    x_columns, y_columns, z_columns = variables["x"], variables["y"], variables["z"]

    def table_null():
        return _nulls.conditional_table_null(estimator, x_columns, y_columns, z_columns, opt)

    result = _analytic_test(
        null, estimator, opt, n, statistic, variables, table_null, "of conditional MI"
    )
    if result is not None:
        return result
    rng = np.random.default_rng(opt.seed)
    strata = _nulls.strata_of(z_columns)
    if strata is not None:
        scheme = "stratified permutation"
        draw = lambda: _nulls.within_strata(strata[0], rng)  # noqa: E731
    else:
        scheme = "local permutation"
        neighbours = _nulls.z_neighbours(z_columns, _nulls.LOCAL_NEIGHBOURS)
        draw = lambda: _nulls.local_permutation(neighbours, rng)  # noqa: E731
    values = np.empty(n_permutations)
    with quiet_null(), numba_threads(run.n_jobs):
        for b in range(n_permutations):
            moved = dict(variables, x=_nulls.permuted(x_columns, draw()))
            values[b] = cmi_of_columns(estimator, moved, opt)
    return MITestResult(
        statistic, permutation_pvalue(statistic, values), scheme, estimator.name, values
    )


def _class_by_class_test(variables, opt, null: str, n_permutations: int, n_jobs):
    """cmi_test where fastmi.cmi estimates class by class (``method="auto"``, a discrete
    z, a continuous x or y): the same statistic, sum_c p(c) I(X;Y|Z=c), against
    permutations of x within the classes of z. It has no analytic null."""
    if null == "analytic":
        raise InvalidParameterError(
            "null='analytic': there is no analytic null for the class-by-class estimate "
            "of method='auto' (a discrete z with a continuous x or y). Use "
            "null='permutation', or method='hist' or 'gcmi' for an analytic null."
        )
    statistic = _cmi_by_class(variables, opt)
    codes, _ = _nulls.strata_of(variables["z"])
    rng = np.random.default_rng(opt.seed)
    values = np.empty(n_permutations)
    with quiet_null(), numba_threads(n_jobs):
        for b in range(n_permutations):
            moved = _nulls.permuted(variables["x"], _nulls.within_strata(codes, rng))
            values[b] = _cmi_by_class(dict(variables, x=moved), opt)
    pvalue = permutation_pvalue(statistic, values)
    return MITestResult(statistic, pvalue, "stratified permutation", "stratified", values)
