"""Fuzz tests of the public API (hypothesis).

The contract under test: every call of ``mi``, ``entropy``, ``cmi``, ``pairwise_mi`` and
``mi_with_target`` either returns an estimate or raises ``fastmi.InvalidParameterError``,
whatever the input (any dtype, 0 to 50 samples, NaN, inf, extremes, ties, constant
columns, any k, mismatched lengths), and never another exception. A returned estimate
is a float (an ndarray for the matrix functions) that is finite, except +inf MI for
``gcmi`` and ``lnc`` (perfect dependence), -inf entropy of a constant variable under
KSG, and NaN on the diagonal of ``pairwise_mi`` for the continuous estimators (I(X;X)
is infinite), all three documented.

Each test runs once per method. Numba compiles every kernel on its first call (the
suite runs with the on-disk cache off), which takes nearly all of this module's time,
so the methods whose kernels take longest to compile run only with --run-slow (see
SLOW_COMPILING). ``FASTMI_FUZZ_SCALE=20`` multiplies the number of examples.

Bugs found by fuzzing are pinned as minimal reproducers at the end of the file.
"""

import math
import os
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fastmi

SCALE = int(os.environ.get("FASTMI_FUZZ_SCALE", "1"))


def fuzz(examples: int) -> settings:
    """Hypothesis settings of one fuzz test: ``examples`` examples (times SCALE), no
    deadline (the first call of a kernel compiles it), no example database."""
    return settings(
        max_examples=examples * SCALE,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


#: The estimators that may return +inf MI (perfect dependence, with a warning).
INFINITE_MI = ("gcmi", "lnc")
#: The table estimators: non-negative MI, entropies on the diagonal of a matrix.
TABLE = ("discrete", "hist")
MI_METHODS = ("auto", "discrete", "hist", "ksg", "ksg2", "mixed", "gcmi")
ENTROPY_METHODS = ("auto", "discrete", "hist", "ksg", "ksg2", "gcmi")


def methods(names, slow) -> list:
    """``method`` parameters: ``names``, those in ``slow`` marked slow."""
    return [pytest.param(m, marks=pytest.mark.slow) if m in slow else m for m in names]


#: Methods fuzzed only with --run-slow, by function: their kernels take about 40 s to
#: compile on two cores, twice all the others together. Gao ("mixed" for two variables
#: of one kind), the Kozachenko-Leonenko entropy and the Frenzel-Pompe CMI ("ksg", and
#: "auto" on continuous data) search neighbours on a grid; lnc has kernels of its own.
#: By default "auto" still covers Ross (one discrete, one continuous variable).
SLOW_COMPILING = {"mi": ("mixed", "lnc"), "entropy": ("auto", "ksg"), "cmi": ("auto", "ksg")}
MI_PARAMS = methods((*MI_METHODS, "lnc"), SLOW_COMPILING["mi"])
ENTROPY_PARAMS = methods(ENTROPY_METHODS, SLOW_COMPILING["entropy"])
CMI_PARAMS = methods(MI_METHODS, SLOW_COMPILING["cmi"])
#: The estimators whose MI is exactly symmetric, I(x; y) == I(y; x) bit for bit: the
#: table estimators count the pair in a canonical orientation, KSG, Gao and gcmi sum
#: commutative per-sample terms, Ross always takes the discrete side first.
SYMMETRIC_PARAMS = methods(MI_METHODS, SLOW_COMPILING["mi"])

MAX = float(np.finfo(np.float64).max)
EXTREMES = (1e300, -1e300, MAX, -MAX, 1e-300, -1e-300, 5e-324, 1e-310, -0.0)
NOT_FINITE = (math.nan, math.inf, -math.inf)
LABELS = ("a", "b", "c", "", "é", "a b", "0", "nan")
DTYPES = ("float64", "float32", "int64", "int8", "uint8", "bool", "str", "object")
#: float64 twice: the continuous estimators refuse labels, so more numbers get through.
DRAWN_DTYPES = ("float64", *DTYPES)
INT_RANGES = {"int64": (-(2**63), 2**63 - 1), "int8": (-128, 127), "uint8": (0, 255)}

# ---------------------------------------------------------------------------------------
# Strategies
# ---------------------------------------------------------------------------------------

sizes = st.one_of(st.integers(0, 3), st.integers(4, 50), st.integers(4, 50))
ks = st.one_of(st.integers(1, 3), st.integers(0, 10))
dtypes = st.sampled_from(DRAWN_DTYPES)
bins = st.sampled_from(["auto", "sqrt", "sturges", "fd", 1, 2, 7])
binnings = st.sampled_from(["uniform", "quantile"])
normalizations = st.sampled_from([None, None, "corr", "arithmetic", "joint"])


def elements(dtype: str, wild: bool) -> st.SearchStrategy:
    """Single values of a column of ``dtype``: with ``wild``, any value of the type,
    its extremes included; else small repeated values and moderate spread ones."""
    if dtype in ("float64", "float32"):
        tame = st.one_of(st.sampled_from([0.0, 1.0, 2.0, -1.0]), st.floats(-1e3, 1e3))
        if not wild:
            return tame
        extreme = st.one_of(st.sampled_from(EXTREMES), st.floats(allow_nan=False))
        return st.one_of(tame, extreme.filter(math.isfinite))
    if dtype in INT_RANGES:
        low, high = INT_RANGES[dtype]
        small = st.integers(max(low, -3), 3)
        return st.one_of(small, st.integers(low, high)) if wild else small
    if dtype == "bool":
        return st.booleans()
    return st.sampled_from(LABELS)


def as_array(values: list, dtype: str) -> np.ndarray:
    """The values as a 1-D array of ``dtype`` (float32 overflows to inf, silently)."""
    if dtype == "str":
        return np.array(values, dtype=str)
    with np.errstate(over="ignore"):
        return np.array(values, dtype=object if dtype == "object" else dtype)


@st.composite
def columns(draw, n: int, dtype: str, clean: bool = False) -> np.ndarray:
    """A 1-D column of n values of ``dtype``: drawn from a small alphabet (ties, often a
    constant column) or freely, tame or wild values; unless ``clean``, sometimes with
    one missing or infinite value."""
    element = elements(dtype, wild=draw(st.booleans()))
    if draw(st.booleans()):
        element = st.sampled_from(draw(st.lists(element, min_size=1, max_size=4)))
    values = draw(st.lists(element, min_size=n, max_size=n))
    if n and not clean and dtype in ("float64", "float32", "object") and draw(st.booleans()):
        values[draw(st.integers(0, n - 1))] = draw(
            st.sampled_from(NOT_FINITE + ((None,) if dtype == "object" else ()))
        )
    return as_array(values, dtype)


@st.composite
def variables(draw, n: int, dtype=None, one_d=False, clean=False) -> np.ndarray:
    """Samples of one variable: a 1-D array of n values, or (unless ``one_d``) 2-D of 1
    to 3 columns (a joint variable), all of one dtype (``dtype``, or drawn)."""
    dtype = dtype or draw(dtypes)
    d = None if one_d else draw(st.sampled_from([None, None, 1, 2, 3]))  # None: 1-D
    drawn = [draw(columns(n, dtype, clean)) for _ in range(d or 1)]
    return drawn[0] if d is None else np.column_stack(drawn)


@st.composite
def lengths(draw, n: int) -> int:
    """The length of another variable: n, or once in ten draws any length."""
    return draw(sizes) if draw(st.integers(0, 9)) == 0 else n


@st.composite
def variable_lists(draw, count: int, dtype=None, one_d=False) -> list:
    """``count`` variables, each of its own dtype unless ``dtype`` is given. Half the
    time clean (one length, at least 4 samples, no NaN or inf; often one dtype for
    all), else anything (1-D ones of one length with ``one_d``)."""
    clean = draw(st.booleans())
    n = draw(st.integers(4, 50) if clean else sizes)
    if clean and dtype is None and draw(st.booleans()):
        dtype = draw(dtypes)
    return [
        draw(variables(n if one_d or clean else draw(lengths(n)), dtype, one_d, clean))
        for _ in range(count)
    ]


@st.composite
def tables(draw, min_columns: int = 1):
    """A 2-D table of 1 to 4 variables: an ndarray of one dtype, or a DataFrame whose
    columns have dtypes of their own (so that ``auto`` mixes estimators). Half the
    time clean (at least 4 samples, no NaN or inf)."""
    clean = draw(st.booleans())
    n, p = draw(st.integers(4, 50) if clean else sizes), draw(st.integers(min_columns, 4))
    if draw(st.booleans()):
        dtype = draw(dtypes)
        return np.column_stack([draw(columns(n, dtype, clean)) for _ in range(p)])
    return pd.DataFrame({f"c{j}": draw(columns(n, draw(dtypes), clean)) for j in range(p)})


# ---------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------

FASTMI_WARNINGS = (
    fastmi.TiesWarning,
    fastmi.SaturationWarning,
    fastmi.PerfectDependenceWarning,
    fastmi.CalibrationWarning,
)
#: Other warnings seen during the run (numpy RuntimeWarnings, say): not failures, but
#: worth a look; listed at the end of the module's run.
OTHER_WARNINGS: dict[tuple, int] = {}


def outcome(function, *args, **kwargs):
    """``function(*args, **kwargs)``, or None when it raises InvalidParameterError; any
    other exception propagates, failing the test. Warnings are swallowed, and those not
    fastmi's own are counted in OTHER_WARNINGS."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = function(*args, **kwargs)
        except fastmi.InvalidParameterError:
            value = None
    for w in caught:
        if not issubclass(w.category, FASTMI_WARNINGS):
            key = (function.__name__, kwargs.get("method"), w.category.__name__, str(w.message))
            OTHER_WARNINGS[key] = OTHER_WARNINGS.get(key, 0) + 1
    return value


@pytest.fixture(scope="module", autouse=True)
def report_other_warnings(request):
    """At the end of the module, list on the terminal (past output capture) the
    non-fastmi warnings the calls gave."""
    yield
    plugins = request.config.pluginmanager
    reporter, capture = plugins.get_plugin("terminalreporter"), plugins.get_plugin("capturemanager")
    if not OTHER_WARNINGS or reporter is None or capture is None:
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line(f"\ntest_fuzz: {len(OTHER_WARNINGS)} kinds of non-fastmi warnings:")
        for (name, method, category, message), count in sorted(OTHER_WARNINGS.items()):
            reporter.write_line(f"  {name}(method={method!r}): {category}: {message} (x{count})")


def assert_estimate(value, *, pos_inf=False, neg_inf=False) -> None:
    """A scalar estimate: a float, never NaN, infinite only where allowed."""
    assert type(value) is float, type(value)
    assert not math.isnan(value)
    assert value != math.inf or pos_inf, "+inf"
    assert value != -math.inf or neg_inf, "-inf"


def is_constant(x) -> bool:
    """Whether some column of the samples x holds one value only."""
    array = np.asarray(x)
    array = array.reshape(len(array), -1)
    return any(len(set(array[:, j].tolist())) == 1 for j in range(array.shape[1]))


def is_float(column) -> bool:
    return np.asarray(column).dtype.kind == "f"


def diagonal_is_entropy(method: str, column) -> bool:
    """Whether the diagonal cell of a column is H(X) (a table estimator) rather than NaN."""
    return method in TABLE or (method == "auto" and not is_float(column))


def table_columns(X) -> list:
    """The columns of a table, as 1-D arrays or Series."""
    if isinstance(X, pd.DataFrame):
        return [X.iloc[:, j] for j in range(X.shape[1])]
    return [X[:, j] for j in range(X.shape[1])]


# ---------------------------------------------------------------------------------------
# Fuzz tests of the contract
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", MI_PARAMS)
@fuzz(15)
@given(variable_lists(2), ks, bins, binnings, normalizations)
def test_mi_returns_an_estimate_or_raises_invalid_parameter(
    method, xy, k, n_bins, binning, normalize
):
    x, y = xy
    value = outcome(
        fastmi.mi, x, y, method=method, k=k, bins=n_bins, binning=binning, normalize=normalize
    )
    if value is not None:
        assert_estimate(value, pos_inf=method in INFINITE_MI and normalize is None)


@pytest.mark.parametrize("method", SYMMETRIC_PARAMS)
@fuzz(10)
@given(variable_lists(2, one_d=True), ks)
def test_mi_is_symmetric(method, xy, k):
    x, y = xy
    forward = outcome(fastmi.mi, x, y, method=method, k=k)
    backward = outcome(fastmi.mi, y, x, method=method, k=k)
    assert (forward is None) == (backward is None), (forward, backward)
    assert forward == backward


@pytest.mark.parametrize("method", TABLE)
@fuzz(20)
@given(variable_lists(2), bins, binnings)
def test_table_mi_is_non_negative(method, xy, n_bins, binning):
    x, y = xy
    value = outcome(fastmi.mi, x, y, method=method, bins=n_bins, binning=binning)
    assert value is None or value >= -1e-12


@pytest.mark.parametrize("method", ENTROPY_PARAMS)
@fuzz(15)
@given(variable_lists(1), ks, bins, binnings)
def test_entropy_returns_an_estimate_or_raises_invalid_parameter(method, x, k, n_bins, binning):
    (x,) = x
    value = outcome(fastmi.entropy, x, method=method, k=k, bins=n_bins, binning=binning)
    if value is None:
        return
    ksg = method == "ksg" or (method == "auto" and is_float(x))
    assert_estimate(value, neg_inf=ksg and is_constant(x))  # a point mass: -inf
    if not ksg:
        assert value >= -1e-12


@pytest.mark.parametrize("method", CMI_PARAMS)
@fuzz(12)
@given(variable_lists(3), ks, bins, binnings)
def test_cmi_returns_an_estimate_or_raises_invalid_parameter(method, xyz, k, n_bins, binning):
    x, y, z = xyz
    value = outcome(fastmi.cmi, x, y, z, method=method, k=k, bins=n_bins, binning=binning)
    if value is None:
        return
    assert_estimate(value, pos_inf=method in INFINITE_MI)
    if method in TABLE:
        assert value >= -1e-12


@pytest.mark.parametrize("method", MI_PARAMS)
@fuzz(8)
@given(tables(), ks)
def test_pairwise_mi_is_a_symmetric_matrix_of_estimates(method, X, k):
    result = outcome(fastmi.pairwise_mi, X, method=method, k=k)
    if result is None:
        return
    p = X.shape[1]
    matrix = np.asarray(result)
    assert matrix.shape == (p, p) and matrix.dtype == np.float64
    assert np.array_equal(matrix, matrix.T, equal_nan=True)
    off = ~np.eye(p, dtype=bool)
    assert not np.isnan(matrix[off]).any()
    assert not (matrix[off] == -np.inf).any()
    assert method in INFINITE_MI or np.isfinite(matrix[off]).all()
    for j, column in enumerate(table_columns(X)):  # H(X_j), or NaN: I(X;X) is infinite
        if diagonal_is_entropy(method, column):
            assert np.isfinite(matrix[j, j]) and matrix[j, j] >= -1e-12
        else:
            assert np.isnan(matrix[j, j])


@pytest.mark.parametrize("method", MI_PARAMS)
@fuzz(6)
@given(tables(min_columns=2), ks)
def test_pairwise_mi_equals_mi_of_each_pair(method, X, k):
    matrix = outcome(fastmi.pairwise_mi, X, method=method, k=k)
    if matrix is None:
        return
    matrix = np.asarray(matrix)
    columns = table_columns(X)
    for i in range(len(columns)):
        for j in range(i + 1, len(columns)):
            value = outcome(fastmi.mi, columns[i], columns[j], method=method, k=k)
            assert value is not None, (i, j)
            assert matrix[i, j] == value, (i, j)


@pytest.mark.parametrize("method", MI_PARAMS)
@fuzz(8)
@given(tables(), st.data(), ks)
def test_mi_with_target_returns_estimates_or_raises_invalid_parameter(method, X, data, k):
    y = data.draw(variables(data.draw(lengths(len(X)))))
    result = outcome(fastmi.mi_with_target, X, y, method=method, k=k)
    if result is None:
        return
    values = np.asarray(result)
    assert values.shape == (X.shape[1],) and values.dtype == np.float64
    assert not np.isnan(values).any()
    assert not (values == -np.inf).any()
    assert method in INFINITE_MI or np.isfinite(values).all()


# ---------------------------------------------------------------------------------------
# Bugs found by fuzzing: minimal reproducers, fixed
# ---------------------------------------------------------------------------------------


def test_fd_rule_on_a_range_beyond_float64_raises_invalid_parameter():
    """Found by fuzzing: the span and IQR of the 'fd' rule overflowed float64."""
    x = np.array([-MAX, 0.0, MAX])
    with pytest.raises(fastmi.InvalidParameterError):
        fastmi.entropy(x, method="hist", bins="fd")


@pytest.mark.parametrize("function", methods(["mi", "cmi"], slow=["cmi"]))  # as ksg CMI
def test_a_large_constant_column_adds_no_information_to_ksg(function):
    """Found by fuzzing: a constant column's jitter was jitter * |value| (1e2 for 1e12),
    swamping the unit-variance columns beside it."""
    x = np.arange(5.0)
    constant = np.full(5, 1e12)
    if function == "mi":  # I([x, c]; x) = I(x; x), 2.08 nats here; gets 0.0
        value, expected = fastmi.mi(np.column_stack([x, constant]), x, k=1), fastmi.mi(x, x, k=1)
    else:  # I(x; x | c) = I(x; x); gets 0.0
        value, expected = fastmi.cmi(x, x, constant, k=1), fastmi.mi(x, x, k=1)
    assert value == pytest.approx(expected, abs=1e-6)


def test_fd_rule_with_a_tiny_iqr_in_a_wide_span_raises_no_overflow():
    """Found checking the fix of the overflowing span above: IQR 1e-10 in a span of
    1e300 made span / width inf, and ceil(inf) raised OverflowError."""
    x = np.array([0.0, 0.0, 1e-10, 1e-10, 1e300])
    assert math.isfinite(fastmi.entropy(x, method="hist", bins="fd"))
