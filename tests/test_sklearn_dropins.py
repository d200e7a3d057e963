"""fastmi.sklearn: scikit-learn's signatures and values."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn import feature_selection as skfs
from sklearn.feature_selection import SelectKBest
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline

import fastmi.sklearn as fs
from fastmi import InvalidParameterError


def data(rng, n=800):
    X = rng.normal(size=(n, 5))
    X[:, 3] = rng.integers(0, 4, n)  # a discrete feature
    y = X[:, 0] + 0.5 * X[:, 1] ** 2 + X[:, 3] + 0.3 * rng.normal(size=n)
    return X, y


@pytest.mark.parametrize("discrete_features", [[3], np.arange(5) == 3, False])
@pytest.mark.parametrize("n_neighbors", [3, 6])
def test_regression_matches_sklearn(rng, discrete_features, n_neighbors):
    X, y = data(rng)
    if discrete_features is False:
        X = X[:, [0, 1, 2, 4]]  # tie-free: values agree to the 1e-10 noise
    ours = fs.mutual_info_regression(
        X, y, discrete_features=discrete_features, n_neighbors=n_neighbors, random_state=0
    )
    theirs = skfs.mutual_info_regression(
        X, y, discrete_features=discrete_features, n_neighbors=n_neighbors, random_state=0
    )
    assert_allclose(ours, theirs, atol=1e-9)
    assert (ours >= 0).all()


@pytest.mark.parametrize("discrete_features", ["auto", [3], True])
def test_classif_matches_sklearn(rng, discrete_features):
    X, y = data(rng)
    labels = np.digitize(y, [0.0, 1.5, 3.0])
    if discrete_features == "auto":
        X = X[:, [0, 1, 2, 4]]
    if discrete_features is True:
        X = np.round(X)
    ours = fs.mutual_info_classif(X, labels, discrete_features=discrete_features, random_state=0)
    theirs = skfs.mutual_info_classif(
        X, labels, discrete_features=discrete_features, random_state=0
    )
    assert_allclose(ours, theirs, atol=1e-9)


@pytest.mark.filterwarnings("ignore::fastmi.TiesWarning")  # X[:, 3] is integer-valued
def test_works_as_score_func_in_a_pipeline(rng):
    X, y = data(rng)
    ours = make_pipeline(
        SelectKBest(score_func=fs.mutual_info_regression, k=2), LinearRegression()
    ).fit(X, y)
    theirs = make_pipeline(
        SelectKBest(score_func=skfs.mutual_info_regression, k=2), LinearRegression()
    ).fit(X, y)
    chosen = ours.named_steps["selectkbest"].get_support()
    assert chosen.tolist() == theirs.named_steps["selectkbest"].get_support().tolist()
    assert chosen[[0, 3]].all()


@pytest.mark.filterwarnings("ignore::fastmi.TiesWarning")  # X[:, 3] is integer-valued
def test_random_state_and_sparse_input(rng):
    scipy_sparse = pytest.importorskip("scipy.sparse")
    X, y = data(rng, 300)
    seeded = fs.mutual_info_regression(X, y, random_state=np.random.RandomState(1))
    assert seeded.shape == (5,)
    Xd = np.round(np.abs(X)).astype(int)
    sparse = scipy_sparse.csr_matrix(Xd)
    assert_allclose(
        fs.mutual_info_classif(sparse, y > 1, random_state=0),
        skfs.mutual_info_classif(sparse, y > 1, random_state=0),
        atol=1e-9,
    )


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"discrete_features": "some"}, r"discrete_features must be 'auto', a bool"),
        ({"discrete_features": [9]}, r"discrete_features holds an index out of range"),
        ({"discrete_features": np.array([True])}, r"a boolean discrete_features must have one"),
        ({"random_state": "x"}, r"random_state must be None, an int or a RandomState"),
        ({"n_neighbors": 0}, r"k must be >= 1; got 0\."),
    ],
)
def test_bad_arguments(rng, kwargs, message):
    X, y = data(rng, 50)
    with pytest.raises(InvalidParameterError, match=message):
        fs.mutual_info_regression(X, y, **kwargs)
