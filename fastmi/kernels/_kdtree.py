"""A KD-tree under the max-norm: k nearest neighbours and range counts in O(log n)
per query for any dimension, and for data that the rank strips and grids of
``_neighbours`` handle badly (heavy ties, elongated clusters).

The tree is implicit and balanced: node t has children 2t + 1 and 2t + 2, the root
covers the samples 0..n-1 in tree order, and every node splits its range in two halves
at the median of its widest coordinate; the nodes of depth ``depth`` are leaves of at
most ``LEAF_SIZE`` samples. Each node keeps the tight bounding box of its samples.

Distances are computed as ``abs(p[r] - q[r])``, maximised over coordinates, exactly as
the brute-force search does, and a box is pruned only when no sample inside can be
within reach; since rounding is monotone, a box's computed gap never exceeds the
computed distance of a sample inside it. The k nearest (by (distance, index)) and the
counts are therefore exactly those of brute force.

Reference: J. L. Bentley, "Multidimensional binary search trees used for associative
searching", Communications of the ACM 18, 509-517 (1975).
"""

from typing import NamedTuple

import numba as nb
import numpy as np

from .._config import NUMBA_CACHE

#: Samples per leaf: small enough to prune, large enough that scanning beats descending.
LEAF_SIZE = 12
#: Deepest possible stack of a query: one entry per level and side (n < 2**62).
_STACK = 128


class KDTree(NamedTuple):
    points: np.ndarray  # float64 (n, d): the samples in tree order
    index: np.ndarray  # int64 (n,): tree position -> sample
    lower: np.ndarray  # float64 (n_nodes, d): bounding boxes
    upper: np.ndarray
    start: np.ndarray  # int64 (n_nodes,): each node's range of tree positions
    stop: np.ndarray
    first_leaf: int  # nodes first_leaf .. n_nodes - 1 are the leaves


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _select(keys, index, lo, hi, nth):
    """Reorder index[lo:hi] so that index[nth] holds the sample of the nth smallest
    key, smaller-or-equal keys before it and larger-or-equal after (Hoare's
    quickselect, median-of-three pivots; equal keys split evenly)."""
    while hi - lo > 1:
        mid = (lo + hi) // 2
        a, b, c = keys[index[lo]], keys[index[mid]], keys[index[hi - 1]]
        pivot = max(min(a, b), min(max(a, b), c))
        i, j = lo, hi - 1
        while i <= j:
            while keys[index[i]] < pivot:
                i += 1
            while keys[index[j]] > pivot:
                j -= 1
            if i <= j:
                index[i], index[j] = index[j], index[i]
                i += 1
                j -= 1
        if nth <= j:
            hi = j + 1
        elif nth >= i:
            lo = i
        else:
            return


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _build_tree(values):
    """The KD-tree of the samples ``values`` (d, n), d >= 1 (n = 0 gives an empty
    tree, which 1-D variables pass where a tree is not needed)."""
    d, n = values.shape
    depth = 0
    while (n + (1 << depth) - 1) >> depth > LEAF_SIZE:
        depth += 1
    n_nodes = (1 << (depth + 1)) - 1
    first_leaf = (1 << depth) - 1
    start = np.zeros(n_nodes, dtype=np.int64)
    stop = np.zeros(n_nodes, dtype=np.int64)
    stop[0] = n
    index = np.arange(n)
    for t in range(first_leaf):  # top-down: parents before children
        lo, hi = start[t], stop[t]
        widest, axis = -1.0, 0
        for r in range(d):
            low, high = np.inf, -np.inf
            for pos in range(lo, hi):
                v = values[r, index[pos]]
                low = min(low, v)
                high = max(high, v)
            if high - low > widest:
                widest, axis = high - low, r
        mid = (lo + hi) // 2
        _select(values[axis], index, lo, hi, mid)
        start[2 * t + 1], stop[2 * t + 1] = lo, mid
        start[2 * t + 2], stop[2 * t + 2] = mid, hi
    points = np.empty((n, d), dtype=np.float64)
    for pos in range(n):
        for r in range(d):
            points[pos, r] = values[r, index[pos]]
    lower = np.full((n_nodes, d), np.inf)
    upper = np.full((n_nodes, d), -np.inf)
    for t in range(n_nodes - 1, -1, -1):  # bottom-up: children before parents
        if t >= first_leaf:
            for pos in range(start[t], stop[t]):
                for r in range(d):
                    lower[t, r] = min(lower[t, r], points[pos, r])
                    upper[t, r] = max(upper[t, r], points[pos, r])
        else:
            for r in range(d):
                lower[t, r] = min(lower[2 * t + 1, r], lower[2 * t + 2, r])
                upper[t, r] = max(upper[2 * t + 1, r], upper[2 * t + 2, r])
    return KDTree(points, index, lower, upper, start, stop, first_leaf)


@nb.njit(cache=NUMBA_CACHE, nogil=True, inline="always")
def _gap(tree, node, q):
    """Max-norm distance from q to the box of ``node`` (0 inside), never more than the
    computed distance from q to a sample in the box."""
    gap = 0.0
    for r in range(q.shape[0]):
        below = tree.lower[node, r] - q[r]
        above = q[r] - tree.upper[node, r]
        gap = max(gap, below, above)
    return gap


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _tree_knn(tree, q, i, best_d, best_j):
    """The k nearest neighbours (k = best_d.shape[0]) of point q, sample i (excluded),
    by (distance, index), into best_d, best_j (ascending). n > k. When k samples lie at
    distance 0 (exact duplicates of q) the search stops: the neighbours are then k of
    those duplicates, not necessarily the lowest indices, and the distances exact."""
    k = best_d.shape[0]
    last = k - 1
    for t in range(k):
        best_d[t] = np.inf
        best_j[t] = np.iinfo(np.int64).max
    d = q.shape[0]
    nodes = np.empty(_STACK, dtype=np.int64)
    gaps = np.empty(_STACK, dtype=np.float64)
    nodes[0] = 0
    gaps[0] = 0.0
    top = 1
    while top > 0 and best_d[last] > 0.0:
        # (Once k samples sit at distance 0, only exact duplicates remain: which of them
        # are kept changes no distance, and visiting all of a heavy atom is O(n).)
        top -= 1
        node = nodes[top]
        if gaps[top] > best_d[last]:
            continue
        if node >= tree.first_leaf:
            for pos in range(tree.start[node], tree.stop[node]):
                dist = 0.0
                for r in range(d):
                    dist = max(dist, abs(tree.points[pos, r] - q[r]))
                if dist > best_d[last]:
                    continue
                j = tree.index[pos]
                if j == i or (dist == best_d[last] and j >= best_j[last]):
                    continue
                p = last  # insertion into the sorted k best
                while p > 0 and (
                    dist < best_d[p - 1] or (dist == best_d[p - 1] and j < best_j[p - 1])
                ):
                    best_d[p] = best_d[p - 1]
                    best_j[p] = best_j[p - 1]
                    p -= 1
                best_d[p] = dist
                best_j[p] = j
            continue
        left, right = 2 * node + 1, 2 * node + 2
        gap_left, gap_right = _gap(tree, left, q), _gap(tree, right, q)
        if gap_left <= gap_right:  # push the farther first: the nearer pops first
            nodes[top], gaps[top] = right, gap_right
            nodes[top + 1], gaps[top + 1] = left, gap_left
        else:
            nodes[top], gaps[top] = left, gap_left
            nodes[top + 1], gaps[top + 1] = right, gap_right
        top += 2


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _tree_count(tree, q, eps, inclusive):
    """Number of samples p of the tree with max-norm ||p - q|| < eps (<= if
    inclusive), q's own sample included if it is in the tree. Boxes wholly within
    reach count at once, boxes out of reach are skipped."""
    d = q.shape[0]
    nodes = np.empty(_STACK, dtype=np.int64)
    nodes[0] = 0
    top = 1
    count = 0
    while top > 0:
        top -= 1
        node = nodes[top]
        gap = 0.0
        far = 0.0
        for r in range(d):
            below = tree.lower[node, r] - q[r]
            above = q[r] - tree.upper[node, r]
            gap = max(gap, below, above)
            far = max(far, abs(below), abs(above))
        if gap > eps or (gap == eps and not inclusive):
            continue
        if far < eps or (far == eps and inclusive):
            count += tree.stop[node] - tree.start[node]
        elif node >= tree.first_leaf:
            for pos in range(tree.start[node], tree.stop[node]):
                dist = 0.0
                for r in range(d):
                    dist = max(dist, abs(tree.points[pos, r] - q[r]))
                if dist < eps or (dist == eps and inclusive):
                    count += 1
        else:
            nodes[top] = 2 * node + 1
            nodes[top + 1] = 2 * node + 2
            top += 2
    return count
