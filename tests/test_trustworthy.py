"""Trustworthy numbers on awkward inputs: atoms under auto, degenerate gcmi, saturated
tables, time columns, and the scikit-learn drop-ins on tied data."""

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy.special import digamma
from sklearn import feature_selection as skfs

import fastmi
import fastmi.sklearn as fs
from fastmi import PerfectDependenceWarning, SaturationWarning, TiesWarning

from .reference import naive_ross_mi


def caught(function, *args, **kwargs):
    """(result, warnings raised) of a call."""
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        result = function(*args, **kwargs)
    return result, record


def of(record, category):
    return [w for w in record if issubclass(w.category, category)]


# --- atoms under method="auto" (scikit-learn #30772) -------------------------------------


def near_constant(rng, n):
    """99.9 % of the samples at 5.0, the rest normal; an independent 1 % label."""
    x = np.full(n, 5.0)
    spread = rng.random(n) < 0.001
    x[spread] = rng.normal(size=spread.sum())
    return x, (rng.random(n) < 0.01).astype(int)


@pytest.mark.parametrize("n", [30_000, 300_000])
def test_near_constant_feature_is_independent_of_a_rare_label(rng, n):
    x, y = near_constant(rng, n)
    value, record = caught(fastmi.mi, x, y)  # auto: Ross, with the atom counted exactly
    assert abs(value) < 0.005  # truth 0; H(Y) is about 0.056
    assert not of(record, TiesWarning)  # the estimator in use handles atoms
    if n == 300_000:  # jittered Ross (scikit-learn's, reproduced) is far off here
        biased, record = caught(fs.mutual_info_classif, x[:, None], y, random_state=0)
        assert biased[0] > 0.02
        assert of(record, TiesWarning)


def plug_in_digamma_mi(a, b):
    """psi(n) + < psi(n_ab) - psi(n_a) - psi(n_b) >: the digamma form of the plug-in MI,
    what Ross gives when every sample sits on an atom of its label."""
    a, b = np.asarray(a), np.asarray(b)
    pairs = a * (b.max() + 1) + b
    count = {name: np.unique(v, return_inverse=True, return_counts=True) for name, v in
             (("a", a), ("b", b), ("ab", pairs))}  # fmt: skip
    n_of = {name: counts[inverse] for name, (_, inverse, counts) in count.items()}
    return digamma(len(a)) + np.mean(digamma(n_of["ab"]) - digamma(n_of["a"]) - digamma(n_of["b"]))


def test_ross_on_atoms_counts_exact_copies(rng):
    labels = rng.integers(0, 3, 3000)
    values = (labels + rng.integers(0, 4, 3000)).astype(float)  # 6 atoms, each > k copies
    expected = plug_in_digamma_mi(labels, values.astype(int))
    assert fastmi.mi(labels, values) == pytest.approx(expected, rel=1e-10)
    assert fastmi.mi(labels, values) == pytest.approx(
        fastmi.mi(labels, values.astype(int)), abs=5e-3
    )


@pytest.mark.filterwarnings("ignore::fastmi.TiesWarning")  # a few atoms, few samples
@pytest.mark.parametrize("dims", [1, 2])
def test_ross_with_atoms_matches_the_reference(rng, dims):
    n = 300
    labels = rng.integers(0, 3, n)
    c = rng.normal(size=(n, dims)) + labels[:, None]
    c[: n // 2] = np.round(c[: n // 2])  # half the samples on a few atoms
    c = c[:, 0] if dims == 1 else c
    expected = naive_ross_mi(labels, c / np.std(c, axis=0), 3)
    assert fastmi.mi(labels, c, jitter=0) == pytest.approx(expected, rel=1e-10)


def test_rounding_is_not_an_atom(rng):
    """30 % zeros, the rest normal rounded to 2 or 3 decimals, independent labels
    (truth 0): the zeros are an atom, the rounded values stay continuous."""
    for decimals, n in [(2, 3000), (3, 20000)]:
        values = []
        for _ in range(4):
            x = rng.normal(size=n)
            x[rng.random(n) < 0.3] = 0.0
            labels = rng.integers(0, 3, n)
            value, record = caught(fastmi.mi, labels, np.round(x, decimals))
            assert not of(record, TiesWarning)
            values.append(value)
        assert abs(np.mean(values)) < 0.02


def test_many_atoms_warn_with_the_size_of_their_bias(rng):
    labels = rng.integers(0, 10, 400)
    x = rng.integers(0, 10, 400).astype(float)  # 10 values of about 40 samples each
    x[x == 9] = rng.normal(size=int((x == 9).sum())) + 30  # one value made continuous
    counts = np.unique(x, return_counts=True)[1]
    atoms = int((counts >= 20).sum())  # at least sqrt(400) = 20 samples
    _, record = caught(fastmi.mi, x, labels)
    [warning] = of(record, TiesWarning)
    assert f"x has {atoms} atoms" in str(warning.message) and "(Ross)" in str(warning.message)
    assert warning.filename == __file__  # points at the caller's line


def test_ross_on_tie_free_data_still_equals_scikit_learn(rng):
    c = rng.normal(size=(2000, 2))
    labels = (c[:, 0] + rng.normal(size=2000) > 0).astype(int)
    theirs = skfs.mutual_info_classif(c, labels, random_state=0)
    assert_allclose(fastmi.mi_with_target(c, labels, clip=True), theirs, atol=1e-9)


def test_ties_warning_names_the_estimator_and_a_fix_that_applies(rng):
    x = np.round(rng.normal(size=2000))
    for method in ("ksg", "ksg2"):
        _, record = caught(fastmi.mi, x, x + rng.normal(size=2000), method=method)
        [warning] = of(record, TiesWarning)
        assert f"method={method!r} (KSG)" in str(warning.message)
        assert "use method='mixed'" in str(warning.message)
    for method in ("mixed", "gcmi", "hist"):  # atoms counted, or ranks and bins: no warning
        _, record = caught(fastmi.mi, x, x + rng.normal(size=2000), method=method)
        assert not of(record, TiesWarning)


# --- gcmi on degenerate data -----------------------------------------------------------


def degenerate_pairs(rng, n=3000):
    u = rng.uniform(size=n)
    a = rng.integers(0, 50, n)
    return {
        "complement": (u, 1 - u),
        "monotone copy": (u, np.exp(u)),
        "integer copy": (a, a),
        "float copy": (a.astype(float), a.astype(float)),
        "affine copy": (a, 2 * a + 1),
    }


@pytest.mark.parametrize("case", list(degenerate_pairs(np.random.default_rng(0))))
def test_gcmi_of_a_perfect_monotone_relation_is_infinite_with_a_warning(rng, case):
    x, y = degenerate_pairs(rng)[case]
    single, record = caught(fastmi.mi, x, y, method="gcmi")
    [warning] = of(record, PerfectDependenceWarning)
    assert "x and y" in str(warning.message)
    matrix, record = caught(fastmi.pairwise_mi, pd.DataFrame({"a": x, "b": y}), method="gcmi")
    [warning] = of(record, PerfectDependenceWarning)
    assert "X['a'] and X['b']" in str(warning.message)
    assert single == matrix.loc["a", "b"] == math.inf


def test_gcmi_of_a_strong_but_imperfect_relation_stays_finite(rng):
    x = rng.normal(size=3000)
    value, record = caught(fastmi.mi, x, x + 1e-3 * rng.normal(size=3000), method="gcmi")
    assert math.isfinite(value) and value > 5
    assert not of(record, PerfectDependenceWarning)


# --- saturated table estimates ---------------------------------------------------------


def test_all_distinct_labels_saturate_with_a_warning(rng):
    x, y = rng.normal(size=3000), rng.integers(0, 4, 3000)
    value, record = caught(fastmi.mi, x, y, method="discrete")
    [warning] = of(record, SaturationWarning)
    assert "x and y" in str(warning.message) and "3000 samples" in str(warning.message)
    assert value == pytest.approx(fastmi.entropy(y), rel=1e-12)  # I = H(Y): the ceiling
    _, record = caught(fastmi.entropy, x, method="discrete")
    assert of(record, SaturationWarning)
    _, record = caught(fastmi.cmi, x, y, rng.integers(0, 2, 3000), method="discrete")
    assert of(record, SaturationWarning)
    _, record = caught(fastmi.cmi, x, y, y, method="discrete")  # y constant given y: 0
    assert not of(record, SaturationWarning)


def test_too_many_bins_saturate_with_a_warning(rng):
    x, y = rng.normal(size=(2, 100))
    _, record = caught(fastmi.mi, x, y, method="hist", bins=1000)
    assert of(record, SaturationWarning)
    _, record = caught(fastmi.mi, x, y, method="hist")  # bins="auto": fine
    assert not of(record, SaturationWarning)


def test_a_matrix_names_its_saturated_pairs_once(rng):
    X = pd.DataFrame(rng.normal(size=(200, 4)), columns=list("abcd"))
    X["label"] = rng.integers(0, 3, 200)
    _, record = caught(fastmi.pairwise_mi, X, method="discrete", tile_size=2)
    [warning] = of(record, SaturationWarning)
    message = str(warning.message)
    assert "X['a'] and X['b']" in message and "more pairs" in message
    _, record = caught(fastmi.pairwise_mi, X[["label"]].assign(other=X["label"] % 2))
    assert not of(record, SaturationWarning)


# --- datetime and timedelta columns ----------------------------------------------------


def test_time_columns_are_continuous_on_their_integer_time(rng):
    seconds = np.sort(rng.integers(0, 10**9, 800))
    times = pd.Series(pd.to_datetime(seconds, unit="s"))
    value = seconds + 1e7 * rng.normal(size=800)
    as_float = seconds.astype(float)
    assert fastmi.mi(times, value) == fastmi.mi(as_float * 1e9, value)  # ns, scale-free
    zoned = times.dt.tz_localize("UTC").dt.tz_convert("Europe/Paris")  # the same instants
    assert fastmi.mi(zoned, value) == fastmi.mi(times, value)
    durations = times - times.iloc[0]
    assert fastmi.mi(durations.to_numpy(), value) == pytest.approx(
        fastmi.mi(times, value), abs=1e-9
    )
    labels = (seconds > np.median(seconds)).astype(int)
    assert fastmi.mi(times, labels) == fastmi.mi(as_float, labels)  # Ross, not an error
    frame = pd.DataFrame({"t": times, "v": value})
    assert fastmi.pairwise_mi(frame).loc["t", "v"] == fastmi.mi(times, value)


def test_missing_times_are_named(rng):
    times = pd.Series(pd.to_datetime(np.arange(100), unit="D"))
    times[3] = pd.NaT
    with pytest.raises(fastmi.InvalidParameterError, match=r"x contains missing values"):
        fastmi.mi(times, rng.normal(size=100))
    with pytest.raises(fastmi.InvalidParameterError, match=r"contains missing values"):
        fastmi.mi(times.to_numpy(), rng.normal(size=100))


# --- the scikit-learn drop-ins on tied data --------------------------------------------


def tied_data(rng, n=1500):
    X = np.round(rng.normal(size=(n, 3)), 1)  # about 60 distinct values per column
    y = X[:, 0] + X[:, 1] + 0.5 * rng.normal(size=n)
    return X, y


@pytest.mark.parametrize("seed", [0, 7])
def test_drop_ins_reproduce_scikit_learn_noise_on_tied_data(rng, seed):
    X, y = tied_data(rng)
    labels = np.digitize(y, [-1.0, 0.0, 1.0])
    ours, record = caught(fs.mutual_info_regression, X, np.round(y, 1), random_state=seed)
    assert_allclose(ours, skfs.mutual_info_regression(X, np.round(y, 1), random_state=seed),
                    atol=1e-9)  # fmt: skip
    assert {str(w.message).split(" has")[0] for w in of(record, TiesWarning)} >= {"X[:, 0]", "y"}
    ours, _ = caught(fs.mutual_info_classif, X, labels, random_state=seed)
    assert_allclose(ours, skfs.mutual_info_classif(X, labels, random_state=seed), atol=1e-9)


def test_drop_ins_use_the_random_state_stream_as_scikit_learn(rng):
    X, y = tied_data(rng, 600)
    ours, _ = caught(fs.mutual_info_regression, X, y, random_state=np.random.RandomState(3))
    theirs = skfs.mutual_info_regression(X, y, random_state=np.random.RandomState(3))
    assert_allclose(ours, theirs, atol=1e-9)
    np.random.seed(11)  # noqa: NPY002 - None means NumPy's global RandomState, as there
    ours, _ = caught(fs.mutual_info_regression, X, y)
    np.random.seed(11)  # noqa: NPY002
    assert_allclose(ours, skfs.mutual_info_regression(X, y), atol=1e-9)
