"""Bad input gets a clear error naming the argument (or column) and the fix."""

import numpy as np
import pandas as pd
import pytest

import fastmi
from fastmi import InvalidParameterError

GOOD = np.array([0, 1, 0, 1, 1, 0])
FLOAT = np.array([0.1, 0.5, 0.2, 0.9, 0.3, 0.7])


def call_each(x=GOOD, **kwargs):
    """Feed ``x`` in the first position of every public estimator."""
    return [
        lambda: fastmi.entropy(x, **kwargs),
        lambda: fastmi.mi(x, GOOD, **kwargs),
        lambda: fastmi.cmi(x, GOOD, GOOD, **kwargs),
    ]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (
            {"method": "kde"},
            r"method must be one of 'auto', 'discrete', 'hist', 'ksg', 'ksg2', 'lnc', 'mixed', "
            r"'gcmi'; got 'kde'\.",
        ),
        ({"k": 0}, r"k must be >= 1; got 0\."),
        ({"k": 2.0}, r"k must be an int; got 2\.0 \(float\)\."),
        ({"jitter": -1e-10}, r"jitter must be a finite real >= 0 \(0 turns it off\); got -1e-10\."),
        ({"jitter": float("nan")}, r"jitter must be a finite real >= 0"),
        ({"random_state": -1}, r"random_state must be an int >= 0 or None; got -1\."),
        ({"method": None}, r"method must be one of .*; got None\."),
        (
            {"bins": 0},
            r"bins must be an int from 1 to 2147483648 or one of 'auto', 'sqrt', 'sturges', "
            r"'fd';"
            r" got 0\.",
        ),
        ({"bins": 2.5}, r"bins must be an int from 1 to 2147483648 .*; got 2\.5\."),
        ({"bins": 2**63 - 1}, r"bins must be an int from 1 to 2147483648 .*; got 92233"),
        (
            {"bins": "scott"},
            r"bins must be an int from 1 to 2147483648 or one of .*; got 'scott'\.",
        ),
        ({"binning": "kmeans"}, r"binning must be one of 'uniform', 'quantile'; got 'kmeans'\."),
        (
            {"correction": "jackknife"},
            r"correction must be one of None, 'miller-madow', 'grassberger', 'chao-shen', "
            r"'shrinkage', 'gaussian'; got 'jackknife'\.",
        ),
        ({"base": 0}, r"base must be a real number > 0 and != 1 \(e\.g\. 2 for bits\); got 0"),
        ({"base": 1}, r"base must be a real number > 0 and != 1"),
        ({"base": -2.0}, r"base must be a real number > 0 and != 1"),
    ],
)
def test_bad_parameters(kwargs, message):
    for call in call_each(**kwargs):
        with pytest.raises(InvalidParameterError, match=message):
            call()


@pytest.mark.parametrize(
    "x, method, message",
    [
        ([], "auto", r"x is empty; pass at least one sample\."),
        (np.zeros((0, 2), int), "auto", r"x is empty"),
        (np.zeros((6, 0), int), "auto", r"x has shape \(6, 0\): no columns"),
        (3, "auto", r"x must be a 1-D or 2-D array of samples; got a scalar"),
        (
            np.zeros((6, 2, 2), int),
            "auto",
            r"x must be 1-D \(n_samples,\) or 2-D \(n_samples, "
            r"n_dims\); got an array of shape \(6, 2, 2\)",
        ),
        ([[1, 2], [3]], "auto", r"x must be a 1-D or 2-D array of samples; it could not"),
        (
            np.array([1, "a", 2.5, 1, 1, 1], dtype=object),
            "auto",
            r"x holds values of mixed or unsupported types \(float, int, str\); convert",
        ),
        (
            np.array(["a", None, "b", "a", "a", "a"], dtype=object),
            "auto",
            r"x contains missing values \(NaN, None or NaT\); drop or impute them first\.",
        ),
        (pd.Categorical(["a", None, "b", "a", "a", "a"]), "auto", r"x contains missing values"),
        (np.array(["a", np.nan, "b", "a", "a", "a"], dtype=object), "auto", r"x contains missing"),
        (pd.Series(["a", None, "b", "a", "a", "a"]), "auto", r"x contains missing values"),
        (pd.Series([1, None, 2, 1, 1, 1], dtype="Int64"), "auto", r"x contains missing values"),
        (np.array([1.0, np.nan, 2, 3, 4, 5]), "discrete", r"x contains missing values"),
        (np.array([1.0, np.inf, 2, 3, 4, 5]), "discrete", r"x contains inf"),
        (np.array([1.0, np.nan, 2, 3, 4, 5]), "hist", r"x contains NaN or inf; drop or impute"),
        (np.array([1.0, -np.inf, 2, 3, 4, 5]), "hist", r"x contains NaN or inf"),
        (
            np.array(["a", "b", "a", "b", "a", "b"]),
            "ksg",
            r"x has dtype <U1, but method='ksg' needs numeric data; use method='discrete'",
        ),
        (pd.Categorical(list("ababab")), "ksg", r"x is categorical, but method='ksg' needs"),
        (np.array([1j] * 6), "discrete", r"x has dtype complex128, which is not a discrete"),
    ],
)
def test_bad_samples(x, method, message):
    for call in call_each(x, method=method):
        with pytest.raises(InvalidParameterError, match=message):
            call()


def test_error_names_the_column():
    x = np.column_stack([GOOD, FLOAT])
    x[2, 1] = np.nan
    with pytest.raises(InvalidParameterError, match=r"x\[:, 1\] contains NaN or inf"):
        fastmi.mi(x, GOOD, method="hist")
    with pytest.raises(InvalidParameterError, match=r"x\[:, 1\] contains NaN or inf"):
        fastmi.mi(x, FLOAT)
    frame = pd.DataFrame({"age": FLOAT, "city": ["a", None, "b", "a", "a", "a"]})
    with pytest.raises(InvalidParameterError, match=r"y\['city'\] contains missing values"):
        fastmi.mi(GOOD, frame, method="discrete")
    with pytest.raises(InvalidParameterError, match=r"z has no columns"):
        fastmi.cmi(GOOD, GOOD, pd.DataFrame(index=range(6)))


def test_length_mismatch():
    with pytest.raises(
        InvalidParameterError,
        match=r"all variables must have the same number "
        r"of samples; got x: 6, y: 5\.",
    ):
        fastmi.mi(GOOD, GOOD[:5])
    with pytest.raises(InvalidParameterError, match=r"got x: 6, y: 6, z: 4\."):
        fastmi.cmi(GOOD, GOOD, GOOD[:4])


def test_auto_has_no_cmi_for_mixed_kinds_and_says_what_to_do():
    message = (
        r"method='auto' has no estimator of conditional MI for a mix of discrete and "
        r"continuous variables \(x is discrete, y is discrete, z is continuous\)\. Pass "
        r"method='hist'"
    )
    with pytest.raises(InvalidParameterError, match=message):
        fastmi.cmi(GOOD, GOOD, FLOAT)


def test_corrections_must_fit_the_estimator():
    with pytest.raises(
        InvalidParameterError,
        match=r"correction='miller-madow' applies to "
        r"method='discrete' or 'hist'; the "
        r"estimator here is 'ksg'\.",
    ):
        fastmi.mi(FLOAT, FLOAT, correction="miller-madow")
    with pytest.raises(
        InvalidParameterError,
        match=r"correction='gaussian' applies to "
        r"method='gcmi'",
    ):
        fastmi.mi(GOOD, GOOD, correction="gaussian")


def test_knn_needs_more_samples_than_k():
    message = (
        r"k must be less than the number of samples; got k=6 with 6 samples\. "
        r"Pass a smaller k or more samples\."
    )
    for call in call_each(FLOAT, method="ksg", k=6):
        with pytest.raises(InvalidParameterError, match=message):
            call()


@pytest.mark.parametrize("method", ["ksg2", "mixed", "gcmi"])
def test_mi_only_methods_refuse_entropy(method):
    message = (
        rf"method='{method}' estimates mutual information only; for entropy use one of "
        r"'discrete', 'hist', 'ksg'\."
    )
    with pytest.raises(InvalidParameterError, match=message):
        fastmi.entropy(FLOAT, method=method)


@pytest.mark.parametrize("method", ["ksg2", "mixed"])
def test_mi_only_methods_refuse_cmi(method):
    message = (
        rf"method='{method}' does not estimate conditional MI; use one of 'discrete', "
        r"'hist', 'ksg', 'gcmi'\."
    )
    with pytest.raises(InvalidParameterError, match=message):
        fastmi.cmi(FLOAT, FLOAT, FLOAT, method=method)


@pytest.mark.parametrize("method", ["ksg", "ksg2"])
def test_knn_rejects_labels_and_missing_values(method):
    with pytest.raises(
        InvalidParameterError,
        match=rf"x has dtype <U1, but method='{method}' "
        r"needs numeric data",
    ):
        fastmi.mi(np.array(list("abcdef")), FLOAT, method=method)
    bad = FLOAT.copy()
    bad[3] = np.nan
    with pytest.raises(InvalidParameterError, match=r"y contains NaN or inf; drop or impute"):
        fastmi.mi(FLOAT, bad, method=method)


def test_entropy_of_duplicates_without_jitter_is_an_error():
    x = np.repeat([0.0, 1.0, 2.0], 10)
    with (
        pytest.warns(fastmi.TiesWarning),
        pytest.raises(
            InvalidParameterError, match=r"x has more than k=3 identical samples and jitter=0"
        ),
    ):
        fastmi.entropy(x, method="ksg", jitter=0)
    with pytest.warns(fastmi.TiesWarning):
        assert np.isfinite(fastmi.entropy(x, method="ksg"))


def test_range_too_wide_for_float64():
    x = np.array([-1e308, 1e308, 0, 0, 0, 0])
    with pytest.raises(
        InvalidParameterError,
        match=r"x spans \[-1e\+308, 1e\+308\], a range"
        r" too wide for float64; rescale it",
    ):
        fastmi.entropy(x, method="hist", bins=3)
    # Equal-frequency bins need no range arithmetic.
    assert fastmi.entropy(x, method="hist", bins=3, binning="quantile") >= 0


def test_error_is_both_value_and_type_error():
    with pytest.raises(ValueError):
        fastmi.mi(GOOD, GOOD, base=1)
    with pytest.raises(TypeError):
        fastmi.mi(GOOD, GOOD, base="2")
    with pytest.raises(InvalidParameterError, match=r"clip must be True or False; got 1\."):
        fastmi.mi(FLOAT, FLOAT, clip=1)
