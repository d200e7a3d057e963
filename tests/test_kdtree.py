"""The KD-tree neighbour search: the same neighbours and counts as brute force, in any
dimension and under ties, and the estimators that use it."""

import warnings

import numba
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

import fastmi
from fastmi import _config
from fastmi._continuous import grid_cells, prepare_points
from fastmi.kernels._kdtree import LEAF_SIZE, _build_tree, _tree_count, _tree_knn
from fastmi.kernels._ksg import _ksg_mi_brute, _ksg_mi_strips, _ksg_mi_tree
from fastmi.kernels._neighbours import _k_nearest, _prefer_tree

from .reference import naive_gao_mi, naive_ksg_mi, scaled


def brute_knn(values, i, k):
    """(distances, indices) of the k nearest of sample i, by (distance, index)."""
    d = np.max(np.abs(values - values[:, [i]]), axis=0)
    d[i] = np.inf
    order = np.lexsort((np.arange(d.size), d))[:k]
    return d[order], order


def brute_count(values, q, eps, inclusive):
    d = np.max(np.abs(values - q[:, None]), axis=0)
    return int(np.sum(d <= eps) if inclusive else np.sum(d < eps))


def tied(rng, n, d, levels):
    """Values on a coarse lattice: many exact ties and zero distances."""
    return rng.integers(0, levels, size=(d, n)).astype(np.float64) / levels


@pytest.mark.parametrize("n", [1, 5, LEAF_SIZE, LEAF_SIZE + 1, 100, 2049])
@pytest.mark.parametrize("d", [1, 3])
def test_tree_structure(rng, n, d):
    values = rng.normal(size=(d, n))
    tree = _build_tree(values)
    assert sorted(tree.index) == list(range(n))
    assert_allclose(tree.points, values[:, tree.index].T, rtol=0, atol=0)
    for node in range(tree.start.size):
        lo, hi = tree.start[node], tree.stop[node]
        if node >= tree.first_leaf:
            assert hi - lo <= LEAF_SIZE
        else:  # children split the node's range in two halves
            assert (tree.start[2 * node + 1], tree.stop[2 * node + 2]) == (lo, hi)
            assert tree.stop[2 * node + 1] == tree.start[2 * node + 2] == (lo + hi) // 2
        if hi > lo:
            box = tree.points[lo:hi]
            assert np.array_equal(tree.lower[node], box.min(axis=0))
            assert np.array_equal(tree.upper[node], box.max(axis=0))


@pytest.mark.parametrize("d", [1, 2, 5])
@pytest.mark.parametrize("k", [1, 4, 20])
@pytest.mark.parametrize("levels", [3, 50, 0])  # 0: continuous
def test_knn_is_brute_force(rng, d, k, levels):
    n = 400
    values = rng.normal(size=(d, n)) if levels == 0 else tied(rng, n, d, levels)
    tree = _build_tree(values)
    best_d, best_j = np.empty(k), np.empty(k, dtype=np.int64)
    for i in range(n):
        _tree_knn(tree, values[:, i].copy(), i, best_d, best_j)
        expected_d, expected_j = brute_knn(values, i, k)
        assert np.array_equal(best_d, expected_d)
        if expected_d[-1] > 0:  # else any k of the exact duplicates (_tree_knn)
            assert np.array_equal(best_j, expected_j)
        else:
            assert np.all(values[:, best_j] == values[:, [i]]) and i not in best_j


@pytest.mark.parametrize("d", [1, 2, 4])
@pytest.mark.parametrize("levels", [4, 0])
def test_range_count_is_brute_force(rng, d, levels):
    """Radii at exact pairwise distances: the strict and inclusive boundaries."""
    n = 300
    values = rng.normal(size=(d, n)) if levels == 0 else tied(rng, n, d, levels)
    tree = _build_tree(values)
    for i in rng.integers(0, n, 40):
        q = values[:, i].copy()
        distances = np.max(np.abs(values - q[:, None]), axis=0)
        for eps in [0.0, *rng.choice(distances, 5), np.inf]:
            for inclusive in (False, True):
                assert _tree_count(tree, q, eps, inclusive) == brute_count(
                    values, q, eps, inclusive
                )


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(2, 60),
    d=st.integers(1, 4),
    k=st.integers(1, 6),
    levels=st.integers(1, 6),
    seed=st.integers(0, 2**32 - 1),
)
def test_knn_and_counts_property(n, d, k, levels, seed):
    k = min(k, n - 1)
    values = tied(np.random.default_rng(seed), n, d, levels)
    tree = _build_tree(values)
    best_d, best_j = np.empty(k), np.empty(k, dtype=np.int64)
    for i in range(n):
        q = values[:, i].copy()
        _tree_knn(tree, q, i, best_d, best_j)
        expected_d, expected_j = brute_knn(values, i, k)
        assert np.array_equal(best_d, expected_d)
        if expected_d[-1] > 0:
            assert np.array_equal(best_j, expected_j)
        assert _tree_count(tree, q, best_d[-1], False) == brute_count(values, q, best_d[-1], False)
        assert _tree_count(tree, q, best_d[-1], True) == brute_count(values, q, best_d[-1], True)


def points(columns, jitter=1e-10):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fastmi.TiesWarning)
        return prepare_points(
            [(f"c{j}", c) for j, c in enumerate(np.atleast_2d(columns))],
            "ksg", 3, jitter=jitter, seed=0,
        )  # fmt: skip


def tied_block(rng, n, share=0.95):
    """The scikit-learn #30772 shape: most samples equal to 5.0, the rest normal."""
    x = np.full(n, 5.0)
    rest = rng.random(n) > share
    x[rest] = rng.normal(size=rest.sum())
    return x


@pytest.mark.parametrize("algorithm", [1, 2])
@pytest.mark.parametrize("dims", [(1, 1), (1, 2), (3, 2)])
def test_ksg_tree_equals_brute_force(rng, algorithm, dims):
    n = 600
    x = rng.normal(size=(dims[0], n))
    y = x[: dims[1]].sum(axis=0) + rng.normal(size=(dims[1], n))
    px, py = points(x), points(y)
    assert _ksg_mi_tree(px, py, 3, algorithm) == _ksg_mi_brute(px, py, 3, algorithm)


def test_heavy_ties_take_the_tree(rng):
    """A tied block against a continuous variable: the strips would scan ~sqrt(n)
    strips per query, so the tree is taken, with the value of every other search."""
    n = 3000
    x, y = points(tied_block(rng, n)), points(rng.normal(size=n))
    cells = grid_cells(n)
    assert _prefer_tree(x, y, 3, cells) and _prefer_tree(y, x, 3, cells)
    gaussian = points(rng.normal(size=n))
    assert not _prefer_tree(gaussian, y, 3, cells)
    expected = _ksg_mi_strips(x, y, 3, 1, cells)
    assert _ksg_mi_tree(x, y, 3, 1) == expected == _ksg_mi_brute(x, y, 3, 1)
    assert _k_nearest(x, y, 3, cells)[0].tolist() == _k_nearest(x, y, 3, 0)[0].tolist()


def test_exact_atoms_on_the_tree_match_the_reference(rng):
    """Gao's estimator keeps exact ties: a tied block against a 0/1 float is two heavy
    atoms, which take the tree. It stops at k duplicates (distance 0, so that an atom
    is not visited whole by every query) with the value of the reference."""
    n = 3000
    x, label = tied_block(rng, n), (rng.random(n) < 0.3).astype(float)
    assert _prefer_tree(points(x, jitter=0), points(label, jitter=0), 3, grid_cells(n))
    ours = fastmi.mi(x, label, method="mixed")  # two float variables: Gao
    assert_allclose(ours, naive_gao_mi(scaled(x), scaled(label), 3), rtol=1e-10)


def test_tied_block_matches_the_reference(rng):
    n = 1200
    x, y = tied_block(rng, n), rng.normal(size=n)
    y += 0.3 * (x - 5.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fastmi.TiesWarning)
        ours = fastmi.mi(x, y, method="ksg", jitter=0)
    assert_allclose(ours, naive_ksg_mi(scaled(x), scaled(y), 3), rtol=1e-10)


@pytest.mark.parametrize("dims", [(2, 1), (2, 2)])
def test_gao_multivariate_matches_the_reference(rng, dims):
    n = 500
    x = rng.normal(size=(n, dims[0]))
    x[rng.random(n) < 0.3] = 0.0  # an atom
    y = x[:, : dims[1]] + 0.2 * rng.normal(size=(n, dims[1]))
    expected = naive_gao_mi(scaled(x), scaled(y), 3)
    assert_allclose(fastmi.mi(x, y, method="mixed"), expected, rtol=1e-10)


def test_one_large_multivariate_pair_on_threads(rng, monkeypatch):
    """The tree search split over threads gives the serial value."""
    n = 3000
    x = rng.normal(size=(n, 3))
    y = x[:, :2] + rng.normal(size=(n, 2))
    monkeypatch.setattr(_config, "KSG_TREE_PARALLEL_MIN_N", 10**9)
    serial = fastmi.mi(x, y)
    monkeypatch.setattr(_config, "KSG_TREE_PARALLEL_MIN_N", 100)
    previous = numba.get_num_threads()
    try:
        for threads in range(1, numba.config.NUMBA_NUM_THREADS + 1):
            numba.set_num_threads(threads)
            assert fastmi.mi(x, y) == serial
    finally:
        numba.set_num_threads(previous)
    assert serial > 0.1


def test_matrix_with_a_tied_column_equals_the_mi_loop(rng):
    """A tile sends the pairs of the tied column to the tree kernel and the rest to
    the strips: the matrix is still the loop of mi calls, bit for bit."""
    n = 2000
    X = rng.normal(size=(n, 4))
    X[:, 1] = tied_block(rng, n)
    X[:, 2] += X[:, 0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fastmi.TiesWarning)
        matrix = fastmi.pairwise_mi(X, method="ksg", progress=False)
        for i in range(4):
            for j in range(4):
                if i != j:
                    assert matrix[i, j] == fastmi.mi(X[:, i], X[:, j], method="ksg")
    tied, free = points(X[:, 1]), points(X[:, 3])
    assert _prefer_tree(tied, free, 3, grid_cells(n))
    assert not _prefer_tree(points(X[:, 0]), free, 3, grid_cells(n))
