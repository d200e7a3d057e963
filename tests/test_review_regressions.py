"""Regression tests for defects found in review (each named by what broke)."""

import math

import numpy as np
import pandas as pd
import pytest

import fastmi
from fastmi import InvalidParameterError, info
from fastmi.cli import main


def test_knn_estimators_survive_extreme_scales(rng):
    x = rng.normal(size=1000)
    y = x + rng.normal(size=1000)
    z = rng.normal(size=1000)
    plain = fastmi.mi(x, y, jitter=0)
    for scale in [1e160, 1e-170]:
        assert fastmi.mi(x * scale, y * scale, jitter=0) == pytest.approx(plain, rel=1e-9)
        assert fastmi.cmi(x * scale, y * scale, z, jitter=0) == pytest.approx(
            fastmi.cmi(x, y, z, jitter=0), rel=1e-9
        )
        # Entropy is of the data as given: it shifts by log(scale).
        assert fastmi.entropy(x * scale, method="ksg", jitter=0) == pytest.approx(
            fastmi.entropy(x, method="ksg", jitter=0) + math.log(scale), rel=1e-9
        )


def test_categorical_target_keeps_its_kind(rng):
    labels = rng.integers(0, 3, 300)
    X = rng.normal(size=(300, 3))
    X[:, 0] += labels
    target = pd.Series(pd.Categorical(labels * 1.5), name="t")
    expected = [fastmi.mi(X[:, j], target) for j in range(3)]
    np.testing.assert_allclose(fastmi.mi_with_target(X, target), expected, rtol=1e-12)
    series = fastmi.mi_with_target(pd.DataFrame(X), target)
    np.testing.assert_allclose(series.to_numpy(), expected, rtol=1e-12)
    assert series.name == "t"


@pytest.mark.filterwarnings("ignore::fastmi.SaturationWarning")  # 4 labels, 4 samples
def test_huge_integer_labels_stay_distinct():
    labels = np.array([2**63, 2**63 + 1, -1, 5], dtype=object)
    assert fastmi.entropy(labels) == pytest.approx(math.log(4))
    assert fastmi.entropy([2**63, 2**63 + 1, -1, 5]) == pytest.approx(math.log(4))
    assert fastmi.entropy(np.array([np.float64(1), np.float64(2)], dtype=object)) == (
        pytest.approx(math.log(2))
    )


def test_exact_quantities_of_tiny_masses_are_finite():
    assert info.mutual_info([[1e-200, 0], [0, 1 - 1e-200]]) == pytest.approx(4.6e-198, rel=1e-2)
    assert math.isfinite(info.kl_divergence([0.5, 0.5], [1 - 1e-320, 1e-320]))


def test_gcmi_refuses_what_it_cannot_compute(rng):
    a = rng.normal(size=100)
    b = a + rng.normal(size=100)
    with pytest.raises(InvalidParameterError, match=r"needs more samples than dimensions"):
        fastmi.mi([0.0, 1.0], [1.0, 0.5], method="gcmi")
    with pytest.raises(InvalidParameterError, match=r"normal scores are linearly dependent"):
        fastmi.mi(np.column_stack([a, a]), b, method="gcmi")
    with pytest.raises(InvalidParameterError, match=r"normal scores are linearly dependent"):
        fastmi.cmi(a, b, a, method="gcmi")


def test_cross_matrix_with_a_dataframe_y_keeps_its_labels(rng):
    X = rng.normal(size=(200, 2))
    Y = pd.DataFrame({"u": X[:, 0] + rng.normal(size=200), "v": rng.normal(size=200)})
    result = fastmi.pairwise_mi(X, Y)
    assert list(result.columns) == ["u", "v"] and list(result.index) == [0, 1]


def test_bad_dtype_is_a_clear_error(rng):
    with pytest.raises(InvalidParameterError, match=r"dtype must be a float dtype"):
        fastmi.pairwise_mi(rng.normal(size=(50, 2)), dtype="foo")


def test_unwritable_output_is_one_line(tmp_path, capsys):
    path = tmp_path / "t.csv"
    pd.DataFrame({"a": [1, 2, 1, 2], "b": [0, 1, 0, 1]}).to_csv(path, index=False)
    assert main(["matrix", str(path), "-o", str(tmp_path / "missing" / "out.csv")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("fastmi: error: cannot write") and len(err.splitlines()) == 1


def test_pairwise_ross_with_unique_labels_and_only_constant_partners():
    """A label column with no repeats next to constant floats: MI 0, as mi() says,
    not the 'no label that occurs twice' error (which needs a varying partner)."""
    n = 50
    frame = pd.DataFrame({"id": np.arange(n), "const": np.ones(n)})
    matrix = fastmi.pairwise_mi(frame).to_numpy()
    assert matrix[0, 1] == matrix[1, 0] == fastmi.mi(frame["id"], frame["const"]) == 0.0
    frame["x"] = np.linspace(0, 1, n)
    with pytest.raises(InvalidParameterError, match="no label that occurs twice"):
        fastmi.pairwise_mi(frame)
