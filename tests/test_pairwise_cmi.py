"""pairwise_cmi: every entry is the single fastmi.cmi call, bit for bit; the per-class
estimate of a discrete z against hand counts and class-by-class MI; errors."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import fastmi


def discrete_data(rng, n=400):
    z = rng.integers(0, 3, n)
    X = np.column_stack(
        [
            (z + rng.integers(0, 2, n)) % 3,
            z ^ rng.integers(0, 2, n),
            rng.integers(0, 4, n),
            np.zeros(n, dtype=int),  # constant: CMI 0, H(X|Z) 0
        ]
    )
    return X, z


def continuous_data(rng, n=250):
    X = rng.normal(size=(n, 4))
    X[:, 1] += X[:, 0]
    z = X[:, 0] + rng.normal(size=n)
    X[:, 2] += z
    return X, z


def cmi_loop(X, z, Y=None, diagonal=True, **options):
    Y = X if Y is None else Y
    return np.array(
        [
            [
                fastmi.cmi(X[:, i], Y[:, j], z, **options)
                if diagonal or i != j or Y is not X
                else np.nan
                for j in range(Y.shape[1])
            ]
            for i in range(X.shape[1])
        ]
    )


@pytest.mark.parametrize("options", [{}, {"base": 2}, {"correction": "miller-madow"}])
def test_discrete_equals_the_cmi_loop_bitwise(rng, options):
    X, z = discrete_data(rng)
    matrix = fastmi.pairwise_cmi(X, z, **options)
    assert_array_equal(matrix, cmi_loop(X, z, **options))  # diagonal H(X_i|Z) too
    assert_array_equal(matrix, matrix.T)


@pytest.mark.parametrize("method", ["auto", "gcmi", "hist"])
def test_continuous_equals_the_cmi_loop_bitwise(rng, method):
    X, z = continuous_data(rng)
    matrix = fastmi.pairwise_cmi(X, z, method=method, clip=True)
    expected = cmi_loop(X, z, diagonal=method == "hist", method=method, clip=True)
    upper = np.triu_indices(X.shape[1])
    assert_array_equal(matrix[upper], expected[upper])
    assert_array_equal(matrix, matrix.T)  # mirrored: cmi(x_j, x_i) may differ in the
    assert_allclose(matrix, expected, rtol=1e-12, atol=1e-15)  # last bit (gcmi)
    if method != "hist":
        assert np.isnan(np.diag(matrix)).all()  # I(X;X|Z) is infinite


def test_cross_matrix_and_dataframe_labels(rng):
    X, z = continuous_data(rng)
    frame = pd.DataFrame(X[:, :2], columns=["a", "b"])
    other = pd.DataFrame(X[:, 2:], columns=["c", "d"])
    result = fastmi.pairwise_cmi(frame, pd.Series(z, name="z"), other)
    assert list(result.index) == ["a", "b"] and list(result.columns) == ["c", "d"]
    assert_array_equal(result.to_numpy(), cmi_loop(X[:, :2], z, X[:, 2:]))


def test_threads_do_not_change_the_matrix(rng):
    X, z = continuous_data(rng, n=150)
    one = fastmi.pairwise_cmi(X, z, n_jobs=1)
    assert_array_equal(one, fastmi.pairwise_cmi(X, z, n_jobs=2), strict=True)
    Xd, zd = discrete_data(rng)
    assert_array_equal(fastmi.pairwise_cmi(Xd, zd, n_jobs=1), fastmi.pairwise_cmi(Xd, zd, n_jobs=2))


def plug_in_per_class(x, y, z):
    """sum_z p(z) I(X;Y|Z=z) in nats, each term from the counts of the class."""
    total = 0.0
    for c in np.unique(z):
        xs, ys = x[z == c], y[z == c]
        joint = np.zeros((xs.max() + 1, ys.max() + 1))
        np.add.at(joint, (xs, ys), 1)
        p = joint / joint.sum()
        px, py = p.sum(axis=1, keepdims=True), p.sum(axis=0, keepdims=True)
        cells = p > 0
        total += np.mean(z == c) * np.sum(p[cells] * np.log(p[cells] / (px @ py)[cells]))
    return total


def test_discrete_z_equals_hand_counted_per_class_tables(rng):
    X, z = discrete_data(rng)
    matrix = fastmi.pairwise_cmi(X, z)
    for i in range(X.shape[1]):
        for j in range(X.shape[1]):
            expected = plug_in_per_class(X[:, i], X[:, j], z)
            assert_allclose(matrix[i, j], expected, rtol=1e-12, atol=1e-15)
    # the XOR structure: a and a ^ z share nothing, but everything given z
    a = rng.integers(0, 2, 2000)
    zz = rng.integers(0, 2, 2000)
    pair = fastmi.pairwise_cmi(np.column_stack([a, a ^ zz]), zz, base=2)
    assert fastmi.mi(a, a ^ zz, base=2) < 0.01 and pair[0, 1] == pytest.approx(1.0, abs=0.01)


def test_continuous_variables_given_a_class_label_go_class_by_class(rng):
    X, _ = continuous_data(rng, n=300)
    labels = np.array(["lo", "mid", "hi"])[rng.integers(0, 3, 300)]
    frame = pd.DataFrame({"x0": X[:, 0], "x1": X[:, 1], "d": rng.integers(0, 3, 300)})
    matrix = fastmi.pairwise_cmi(frame, labels).to_numpy()
    for i, j in [(0, 1), (0, 2), (1, 2)]:  # KSG, and Ross for the int column
        a, b = frame.iloc[:, i].to_numpy(), frame.iloc[:, j].to_numpy()
        expected = sum(
            np.mean(labels == c) * fastmi.mi(a[labels == c], b[labels == c])
            for c in ["lo", "mid", "hi"]  # the order of the codes of z (first seen)
        )
        assert_allclose(matrix[i, j], expected, rtol=1e-12)
        assert matrix[j, i] == matrix[i, j]
    assert np.isnan(matrix[0, 0]) and not np.isnan(matrix[2, 2])  # d given z: H(d|z)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda X, z: fastmi.pairwise_cmi(X, z[:-1]), r"same number of samples; got 99 for z"),
        (lambda X, z: fastmi.pairwise_cmi(X[:, 0], z), r"X must be 2-D"),
        (lambda X, z: fastmi.pairwise_cmi(X, z, method="ksg2"), r"method='ksg2' does not"),
        (lambda X, z: fastmi.pairwise_cmi(X, z, method="kde"), r"method must be one of"),
        (lambda X, z: fastmi.pairwise_cmi(X, z, n_jobs=0), r"n_jobs must be a positive"),
        (
            lambda X, z: fastmi.pairwise_cmi(X.astype(int), z),
            r"no estimator of conditional MI for X\[:, 0\] \(discrete\) and X\[:, 1\] "
            r"\(discrete\) given a continuous z\. If z holds class labels, pass them as "
            r"int, str or categorical .*; otherwise pass method='hist'",
        ),
        (
            lambda X, z: fastmi.pairwise_cmi(X, (z > 2.3).astype(int)),
            r"z has a class of \d samples .* more than k=3 samples in every class",
        ),
    ],
)
def test_errors_name_the_problem(rng, call, message):
    X = rng.normal(size=(100, 3))
    z = rng.normal(size=100)
    with pytest.raises(fastmi.InvalidParameterError, match=message):
        call(X, z)


def test_a_variable_with_itself_is_nan_for_continuous_estimators_with_or_without_y(rng):
    X, z = continuous_data(rng, n=150)
    square = fastmi.pairwise_cmi(X, z)
    cross = fastmi.pairwise_cmi(X, z, X)  # I(X;X|Z) was a finite KSG value here
    assert np.isnan(np.diag(cross)).all() and np.isnan(np.diag(square)).all()
    assert_array_equal(cross, square)
    Xd, zd = discrete_data(rng)
    assert_array_equal(fastmi.pairwise_cmi(Xd, zd, Xd), fastmi.pairwise_cmi(Xd, zd))


def test_class_labels_with_y_and_a_categorical_z_with_an_unused_category(rng):
    X, _ = continuous_data(rng, n=240)
    codes = rng.integers(0, 2, 240)
    z = pd.Categorical.from_codes(codes, categories=["a", "b", "never"])
    cross = fastmi.pairwise_cmi(X[:, :2], z, X[:, 2:])  # Stratified, with Y
    for i in range(2):
        for j in range(2):
            a, b = X[:, i], X[:, 2 + j]
            expected = sum(np.mean(codes == c) * fastmi.mi(a[codes == c], b[codes == c])
                           for c in (0, 1))  # fmt: skip
            assert_allclose(cross[i, j], expected, rtol=1e-12)
    assert_array_equal(cross, fastmi.pairwise_cmi(X, z)[:2, 2:])


def test_class_by_class_warnings_come_once_per_category_naming_the_columns(rng):
    X = np.round(rng.normal(size=(200, 8)), 1)  # eight heavily tied columns
    z = rng.integers(0, 2, 200)
    with pytest.warns(fastmi.TiesWarning) as caught:
        fastmi.pairwise_cmi(X, z)
    ties = [w for w in caught if issubclass(w.category, fastmi.TiesWarning)]
    assert len(ties) == 1  # was 112, one per pair, class and column
    message = str(ties[0].message)
    assert "Estimated class by class of z: X[:, 0] (in 2 of 2 classes)" in message
    assert "X[:, 7] (in 2 of 2 classes)" in message and "heavy ties" in message


def test_cmi_given_class_labels_is_the_matrix_entry_and_the_class_loop(rng):
    """fastmi.cmi with a discrete z and a continuous x or y runs the same class-by-
    class estimate as pairwise_cmi: sum_c p(c) I(X;Y|Z=c) with fastmi.mi per class."""
    n = 600
    z = rng.integers(0, 3, n)
    x = rng.normal(size=n) + z
    y = x + rng.normal(size=n)
    label = (x + rng.normal(size=n) > 1).astype(int)
    for partner in (y, label):
        expected = sum((z == c).mean() * fastmi.mi(x[z == c], partner[z == c]) for c in range(3))
        frame = pd.DataFrame({"x": x, "partner": partner})
        entry = fastmi.pairwise_cmi(frame, z, progress=False).iloc[0, 1]
        assert fastmi.cmi(x, partner, z) == entry
        assert fastmi.cmi(x, partner, z) == pytest.approx(expected, rel=1e-12)
    assert fastmi.cmi(x, y, z, base=2) == pytest.approx(fastmi.cmi(x, y, z) / np.log(2))
