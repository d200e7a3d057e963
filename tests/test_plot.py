"""fastmi.plot: heatmaps of MI matrices."""

import matplotlib
import numpy as np
import pandas as pd
import pytest

import fastmi
from fastmi import InvalidParameterError
from fastmi.cli import main
from fastmi.plot import cluster_order, heatmap

matplotlib.use("Agg")


def block_matrix(rng):
    """Two blocks of mutually dependent variables, interleaved: 0, 2, 4 and 1, 3, 5."""
    n = 2000
    a, b = rng.normal(size=(2, n))
    columns = []
    for j in range(6):
        base = a if j % 2 == 0 else b
        columns.append(base + 0.5 * rng.normal(size=n))
    return fastmi.pairwise_mi(np.column_stack(columns), method="gcmi")


def test_cluster_order_puts_each_block_together(rng):
    order = list(cluster_order(block_matrix(rng)))
    first_block = {order.index(j) for j in (0, 2, 4)}
    assert first_block in ({0, 1, 2}, {3, 4, 5})



def test_cluster_order_takes_infinite_mi_as_the_strongest_dependence():
    # Variables 0 and 3 are copies (gcmi: inf); 1, 2 and 4 weakly related. The copies
    # must sit side by side, which they would not if inf counted as independence.
    m = np.full((5, 5), 0.1)
    m[1, 2] = m[2, 1] = m[2, 4] = m[4, 2] = 0.3
    m[0, 3] = m[3, 0] = np.inf
    np.fill_diagonal(m, np.nan)
    order = list(cluster_order(m))
    assert abs(order.index(0) - order.index(3)) == 1

def test_heatmap_labels_units_and_blank_diagonal(rng):
    matrix = pd.DataFrame(block_matrix(rng), index=list("uvwxyz"), columns=list("uvwxyz"))
    ax = heatmap(matrix, units="bits", order=None)
    assert [t.get_text() for t in ax.get_xticklabels()] == list("uvwxyz")
    colorbar = ax.figure.axes[-1]
    assert colorbar.get_ylabel() == "mutual information (bits)"
    image = ax.get_images()[0].get_array()
    assert image.mask[np.diag_indices(6)].all()  # NaN diagonal left blank


def test_heatmap_of_a_cross_matrix_keeps_its_shape(rng):
    X, Y = rng.normal(size=(2, 300, 3))
    ax = heatmap(fastmi.pairwise_mi(X, Y[:, :2], method="gcmi"))
    assert ax.get_images()[0].get_array().shape == (3, 2)


def test_heatmap_rejects_bad_arguments(rng):
    matrix = block_matrix(rng)
    with pytest.raises(InvalidParameterError, match=r"labels must name the 6 rows; got 2"):
        heatmap(matrix, labels=["a", "b"])
    with pytest.raises(InvalidParameterError, match=r"order must be 'cluster' or None"):
        heatmap(matrix, order="alphabetical")


def test_matrix_command_draws_a_png(tmp_path):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=300), "b": rng.integers(0, 3, 300)})
    frame["c"] = frame["a"] + frame["b"]
    path = tmp_path / "t.csv"
    frame.to_csv(path, index=False)
    png = tmp_path / "mi.png"
    assert main(["matrix", str(path), "--plot", str(png), "-q", "-o", str(tmp_path / "m.csv")]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_heatmap_keeps_the_entropy_diagonal_out_of_the_scale(rng):
    labels = rng.integers(0, 8, (1000, 4))
    labels[:, 1] = (labels[:, 0] + rng.integers(0, 2, 1000)) % 8
    matrix = fastmi.pairwise_mi(labels)  # H(X_i) of about 2 nats on the diagonal
    ax = heatmap(matrix, order=None)
    image = ax.get_images()[0]
    assert image.get_array().mask[np.diag_indices(4)].all()
    assert image.get_clim()[1] == pytest.approx(np.max(matrix[~np.eye(4, dtype=bool)]))
    ax = heatmap(matrix, order=None, diagonal=True)
    assert ax.get_images()[0].get_clim()[1] == pytest.approx(np.max(matrix))


def test_heatmap_thins_labels_of_a_large_matrix(rng):
    matrix = fastmi.pairwise_mi(rng.normal(size=(200, 300)), method="gcmi")
    ax = heatmap(matrix, order=None)
    shown = [t.get_text() for t in ax.get_xticklabels()]
    assert len(shown) <= 60 and shown[:2] == ["0", "5"]
    assert ax.get_images()[0].get_array().shape == (300, 300)
