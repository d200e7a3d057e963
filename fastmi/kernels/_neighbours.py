"""Nearest neighbours in max-norm spaces: the search that the kNN estimators share.

A prepared continuous variable is one record, ``Points`` (fastmi._continuous makes
it, once per variable): its values, float64 (d, n), scaled and jittered; its first
row sorted (``sorted``), the sorting permutation (``order``: sorted position ->
sample) and its inverse (``rank``: sample -> sorted position); and whether the raw
variable was constant (``constant``, which the estimators turn into MI 0).

Four searches for the k nearest neighbours of every sample in a joint space (A, B),
the concatenation of the rows of two variables, return the same neighbours:

- brute force, O(n) per query point (small n);
- for two 1-D variables, a grid over A and B with equal-count columns and rows (cut by
  rank), searched ring by ring outwards from the query's cell; a cell is visited only
  if its value range can hold a point as close as the current k-th neighbour. About 9
  cells of ``KSG_GRID_OCCUPANCY`` points each per query. The entropy, Gao and LNC
  estimators use it (``_k_nearest``);
- for two 1-D variables, strips (KSG MI): equal-count strips by rank of A, each listed
  in B's order, searched outwards in B from the query and strip by strip outwards in
  A. Unlike the product grid this adapts to the joint distribution: for strongly
  dependent data the grid's diagonal cells hold ~sqrt(2n) points each, a strip search
  still ~k (``_build_strips``, ``_knn_strips``);
- a KD-tree over the joint space (``fastmi.kernels._kdtree``) in more than two
  dimensions, and in two where ``_prefer_tree`` finds that the strips or grid would
  scan many samples per query (a heavily tied block); multivariate marginal counts
  are range counts on a KD-tree of the marginal (``_count_near``).

Neighbours are ordered by (distance, index), so the k nearest are unique even under
exact ties and every strategy finds the same ones. Marginal counts use the same
comparisons in every strategy (``|v_j - v_i| < eps`` in floating point, which is
monotone along a sorted array), so counts, and hence estimates, agree bit for bit.
"""

from typing import NamedTuple

import numba as nb
import numpy as np

from .._config import NUMBA_CACHE
from ._kdtree import _build_tree, _tree_count, _tree_knn
from ._sort import _counting_sort


class Points(NamedTuple):
    """A prepared continuous variable (module docstring); Numba takes it as a record."""

    values: np.ndarray  # float64 (d, n)
    sorted: np.ndarray  # float64 (n,): values[0] sorted
    order: np.ndarray  # int64 (n,): sorted position -> sample
    rank: np.ndarray  # int64 (n,): sample -> sorted position
    constant: bool  # every raw column was constant: the variable carries no information


@nb.njit(cache=NUMBA_CACHE, nogil=True, inline="always")
def _row_points(values, sorted_, order, rank, constant, a):
    """Points of 1-D variable a of a tile part's stacked fields (its row of each)."""
    return Points(values[a : a + 1], sorted_[a], order[a], rank[a], constant[a])


@nb.njit(cache=NUMBA_CACHE, nogil=True, inline="always")
def _within(diff, eps, inclusive):
    return diff <= eps if inclusive else diff < eps


@nb.njit(cache=NUMBA_CACHE, nogil=True, inline="always")
def _dist(v, i, j):
    """Max-norm distance between samples i and j of v (d, n)."""
    d = 0.0
    for row in range(v.shape[0]):
        t = abs(v[row, i] - v[row, j])
        if t > d:
            d = t
    return d


@nb.njit(cache=NUMBA_CACHE, nogil=True, inline="always")
def _offer(d, j, best_d, best_j):
    """Insert neighbour (d, j) into the sorted k-best lists if it belongs there."""
    k = best_d.shape[0]
    last = k - 1
    if d > best_d[last] or (d == best_d[last] and j >= best_j[last]):
        return
    pos = last
    while pos > 0 and (d < best_d[pos - 1] or (d == best_d[pos - 1] and j < best_j[pos - 1])):
        best_d[pos] = best_d[pos - 1]
        best_j[pos] = best_j[pos - 1]
        pos -= 1
    best_d[pos] = d
    best_j[pos] = j


@nb.njit(cache=NUMBA_CACHE, nogil=True, inline="always")
def _reset(best_d, best_j):
    for t in range(best_d.shape[0]):
        best_d[t] = np.inf
        best_j[t] = np.iinfo(np.int64).max


# ---------------------------------------------------------------------------------------
# Counting neighbours within eps in one marginal space
# ---------------------------------------------------------------------------------------


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _count_sorted(s, p, eps, inclusive):
    """Number of positions q != p of the sorted array s with |s[q] - s[p]| < eps
    (<= if inclusive). Gallops out from p, then bisects: O(log count)."""
    n = s.shape[0]
    value = s[p]
    # Left: the positions that qualify form a block ending at p - 1.
    left = 0
    if p > 0 and _within(value - s[p - 1], eps, inclusive):
        good, step, bad = p - 1, 1, -1
        while good - step >= 0:
            if _within(value - s[good - step], eps, inclusive):
                good -= step
                step *= 2
            else:
                bad = good - step
                break
        while good - bad > 1:
            mid = (good + bad) // 2
            if _within(value - s[mid], eps, inclusive):
                good = mid
            else:
                bad = mid
        left = p - good
    right = 0
    if p < n - 1 and _within(s[p + 1] - value, eps, inclusive):
        good, step, bad = p + 1, 1, n
        while good + step < n:
            if _within(s[good + step] - value, eps, inclusive):
                good += step
                step *= 2
            else:
                bad = good + step
                break
        while bad - good > 1:
            mid = (good + bad) // 2
            if _within(s[mid] - value, eps, inclusive):
                good = mid
            else:
                bad = mid
        right = good - p
    return left + right


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _count_brute(v, i, eps, inclusive):
    count = 0
    for j in range(v.shape[1]):
        if j != i and _within(_dist(v, i, j), eps, inclusive):
            count += 1
    return count


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _count_in_tree(tree, values, i, eps, inclusive, query):
    """Samples j != i within eps (strictly, or inclusive) of sample i of ``values``
    (d, n), by range count on their KD-tree; ``query``: scratch of d floats."""
    for r in range(query.shape[0]):
        query[r] = values[r, i]
    own = eps > 0.0 or inclusive  # sample i itself is in the tree, at distance 0
    return _tree_count(tree, query, eps, inclusive) - (1 if own else 0)


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _count_near(v, tree, i, eps, inclusive, query):
    """Samples j != i within eps of sample i in v's space (Points): by the sorted first
    row when v is 1-D, else on v's KD-tree (``_marginal_tree``); ``query``: scratch
    of v's dimension. The same count as ``_count_brute``."""
    if v.values.shape[0] == 1:
        return _count_sorted(v.sorted, v.rank[i], eps, inclusive)
    return _count_in_tree(tree, v.values, i, eps, inclusive, query)


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _marginal_tree(v):
    """v's KD-tree when it has several rows; an empty one (unused) when 1-D."""
    if v.values.shape[0] == 1:
        return _build_tree(v.values[:, :0])
    return _build_tree(v.values)


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _joint_values(x, y):
    """The rows of x and y (Points) stacked: the joint space."""
    dx = x.values.shape[0]
    joint = np.empty((dx + y.values.shape[0], x.values.shape[1]), dtype=np.float64)
    joint[:dx] = x.values
    joint[dx:] = y.values
    return joint


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _kth_nearest_sorted(s, p, lo, hi, k):
    """Distance from s[p] to its k-th nearest neighbour among s[lo:hi] (p excluded), s
    sorted: the k closest lie in s[p - k .. p + k], merged outwards from p (ties go
    left). O(k). k <= hi - lo - 1; k = 0 gives 0."""
    left = p - 1
    right = p + 1
    radius = 0.0
    for _ in range(k):
        d_left = s[p] - s[left] if left >= lo else np.inf
        d_right = s[right] - s[p] if right < hi else np.inf
        if d_left <= d_right:
            radius = d_left
            left -= 1
        else:
            radius = d_right
            right += 1
    return radius


#: The rank strips and grid are used while a query is expected to scan at most this
#: many strips or cells' worth of samples (``_prefer_tree``); the KD-tree otherwise.
TREE_WORK_LIMIT = 8.0
#: Query samples of that estimate (fewer below 1,024 samples).
_PROBES = 64


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _prefer_tree(a, b, k, n_cells):
    """Whether the joint space (A, B) (Points) is searched with KD-trees: always unless
    A and B are both 1-D (the strips and grid search two coordinates); for two 1-D
    variables, when the rank strips or grid of side n_cells would scan many
    samples per query, as when one variable is nearly constant on most samples (heavy
    ties, tight clusters).

    The estimate: for up to 64 evenly spaced probe samples, r = the larger of the k-th
    neighbour distances in A and in B alone (a lower bound of the joint one); the
    c_a, c_b samples within r in each marginal span 1 + c / n_cells strips or cells
    along each axis, and (1 + c_a / n_cells)(1 + c_b / n_cells), averaged, estimates
    the cells visited. About 1 for continuous data; of order sqrt(n) when one variable
    has a tied block that covers most samples.
    """
    if a.values.shape[0] != 1 or b.values.shape[0] != 1:  # the strips and grid are 2-D
        return True
    n = a.values.shape[1]
    if n_cells <= 1 or n <= k + 1:
        return False
    work = 0.0
    probes = min(_PROBES, max(16, n // 16), n)  # a small share of a small pair's cost
    for t in range(probes):
        i = t * n // probes
        pa, pb = a.rank[i], b.rank[i]
        r = max(
            _kth_nearest_sorted(a.sorted, pa, 0, n, k), _kth_nearest_sorted(b.sorted, pb, 0, n, k)
        )
        c_a = _count_sorted(a.sorted, pa, r, True)
        c_b = _count_sorted(b.sorted, pb, r, True)
        work += (1.0 + c_a / n_cells) * (1.0 + c_b / n_cells)
    return work / probes > TREE_WORK_LIMIT


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _k_nearest_tree(a, b, k):
    """``_k_nearest`` with a KD-tree over the joint space (A, B)."""
    tree = _build_tree(_joint_values(a, b))
    n = tree.index.shape[0]
    eps = np.empty(n, dtype=np.float64)
    idx = np.empty((n, k), dtype=np.int64)
    best_d = np.empty(k, dtype=np.float64)
    best_j = np.empty(k, dtype=np.int64)
    for pos in range(n):
        i = tree.index[pos]
        _tree_knn(tree, tree.points[pos], i, best_d, best_j)
        eps[i] = best_d[k - 1]
        idx[i] = best_j
    return eps, idx


# ---------------------------------------------------------------------------------------
# k nearest neighbours in the joint space (A, B): brute force and the rank grid
# ---------------------------------------------------------------------------------------


@nb.njit(cache=NUMBA_CACHE, nogil=True, inline="always")
def _joint_dist(a, b, i, j):
    da = _dist(a, i, j)
    db = _dist(b, i, j)
    return da if da > db else db


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _knn_brute(a, b, i, best_d, best_j):
    _reset(best_d, best_j)
    for j in range(a.shape[1]):
        if j != i:
            _offer(_joint_dist(a, b, i, j), j, best_d, best_j)


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _build_grid(a, b, n_cells):
    """Bucket the samples into an n_cells x n_cells grid cut at ranks of the first rows
    of A and B (Points).

    Cell c = col * n_cells + row holds ``members[start[c]:start[c + 1]]``, listed by A
    value, with their A[0] and B[0] values copied alongside (``cell_a``, ``cell_b``) so
    that a scan reads memory in order. The three cells (col, row - 1 .. row + 1) are
    one contiguous run. edges[0], edges[1]: lowest and highest A[0] value of each
    column; edges[2], edges[3]: the same for B[0] and each row.
    """
    n = a.values.shape[1]
    g = n_cells
    cell_of = np.empty(n, dtype=np.int64)  # by A rank q, so each cell lists by A value
    for q in range(n):
        cell_of[q] = (q * g // n) * g + b.rank[a.order[q]] * g // n
    start, by_cell = _counting_sort(cell_of, g * g)
    members = np.empty(n, dtype=np.int64)
    cell_a = np.empty(n, dtype=np.float64)
    cell_b = np.empty(n, dtype=np.float64)
    for t in range(n):
        i = a.order[by_cell[t]]
        members[t] = i
        cell_a[t] = a.values[0, i]
        cell_b[t] = b.values[0, i]
    edges = np.empty((4, g), dtype=np.float64)
    for c in range(g):
        first = (c * n + g - 1) // g  # smallest rank q with q * g // n == c
        last = ((c + 1) * n + g - 1) // g - 1
        edges[0, c] = a.sorted[first]
        edges[1, c] = a.sorted[last]
        edges[2, c] = b.sorted[first]
        edges[3, c] = b.sorted[last]
    return start, members, cell_a, cell_b, edges


@nb.njit(cache=NUMBA_CACHE, nogil=True, inline="always")
def _scan_run(i, xa, xb, lo, hi, members, cell_a, cell_b, best_d, best_j):
    """Offer the grid entries lo..hi-1 as neighbours of sample i at (xa, xb)."""
    last = best_d.shape[0] - 1
    for t in range(lo, hi):
        d = max(abs(cell_a[t] - xa), abs(cell_b[t] - xb))
        if d <= best_d[last]:
            j = members[t]
            if j != i:
                _offer(d, j, best_d, best_j)


@nb.njit(cache=NUMBA_CACHE, nogil=True, inline="always")
def _gap(edges, lo_row, hi_row, band, value, side):
    """Distance from value to band (column or row) ``band`` on one side; inf if the
    band lies outside the grid."""
    g = edges.shape[1]
    if band < 0 or band >= g:
        return np.inf
    return value - edges[hi_row, band] if side < 0 else edges[lo_row, band] - value


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _knn_ring_search(a, b, i, c0, r0, grid, first_ring, best_d, best_j):
    """Exact k nearest neighbours of sample i, visiting rings of cells outwards from
    its cell (c0, r0), from ``first_ring`` on (the best lists hold what the rings before
    it gave), while a ring can still hold a point as close as the k-th."""
    start, members, cell_a, cell_b, edges = grid
    g = edges.shape[1]
    xa = a[0, i]
    xb = b[0, i]
    last = best_d.shape[0] - 1
    ring = first_ring
    while True:
        for c in range(max(c0 - ring, 0), min(c0 + ring, g - 1) + 1):
            if c != c0 and _gap(edges, 0, 1, c, xa, c - c0) > best_d[last]:
                continue
            step = 1 if (c == c0 - ring or c == c0 + ring) else 2 * ring
            for rr in range(r0 - ring, r0 + ring + 1, max(step, 1)):
                if rr < 0 or rr >= g:
                    continue
                if rr != r0 and _gap(edges, 2, 3, rr, xb, rr - r0) > best_d[last]:
                    continue
                cell = c * g + rr
                _scan_run(
                    i, xa, xb, start[cell], start[cell + 1], members, cell_a, cell_b, best_d, best_j
                )
        ring += 1
        eps = best_d[last]
        if eps == 0.0:
            # Only exact duplicates remain possible; which of them count as neighbours
            # changes no distance (joint or marginal), so no estimate.
            return
        if (
            _gap(edges, 0, 1, c0 - ring, xa, -1) > eps
            and _gap(edges, 0, 1, c0 + ring, xa, 1) > eps
            and _gap(edges, 2, 3, r0 - ring, xb, -1) > eps
            and _gap(edges, 2, 3, r0 + ring, xb, 1) > eps
        ):
            return


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _knn_cell(a, b, c0, r0, grid, best_d, best_j, found_d, found_j):
    """k nearest neighbours of every sample in cell (c0, r0): a scan of the 3 x 3 block
    of cells around it, which is exact whenever the k-th distance is below the gap to
    the cells outside the block; otherwise a ring search. Writes row t of found_d,
    found_j for the t-th member of the cell."""
    start, members, cell_a, cell_b, edges = grid
    g = edges.shape[1]
    k = best_d.shape[0]
    cell = c0 * g + r0
    for t in range(start[cell], start[cell + 1]):
        i = members[t]
        xa = a[0, i]
        xb = b[0, i]
        _reset(best_d, best_j)
        for c in range(max(c0 - 1, 0), min(c0 + 1, g - 1) + 1):
            lo = start[c * g + max(r0 - 1, 0)]
            hi = start[c * g + min(r0 + 1, g - 1) + 1]
            _scan_run(i, xa, xb, lo, hi, members, cell_a, cell_b, best_d, best_j)
        safe = min(
            _gap(edges, 0, 1, c0 - 2, xa, -1),
            _gap(edges, 0, 1, c0 + 2, xa, 1),
            _gap(edges, 2, 3, r0 - 2, xb, -1),
            _gap(edges, 2, 3, r0 + 2, xb, 1),
        )
        if best_d[k - 1] > 0.0 and not best_d[k - 1] < safe:  # outside may qualify
            _knn_ring_search(a, b, i, c0, r0, grid, 2, best_d, best_j)
        row = t - start[cell]
        for u in range(k):
            found_d[row, u] = best_d[u]
            found_j[row, u] = best_j[u]


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _k_nearest(a, b, k, n_cells):
    """The k nearest neighbours of every sample in the joint space (A, B) (Points;
    max-norm, ordered by (distance, index)): (eps, idx), eps[i] the distance to the
    k-th, idx[i] the k neighbours, nearest first. By brute force when n_cells == 0 (only
    the values are read), by KD-tree where ``_prefer_tree``, else cell by cell of the
    rank grid over A[0], B[0] (``_knn_cell``). All give the same neighbours. B may
    have no rows."""
    av, bv = a.values, b.values
    n = av.shape[1]
    if n_cells > 0 and _prefer_tree(a, b, k, n_cells):
        return _k_nearest_tree(a, b, k)
    eps = np.empty(n, dtype=np.float64)
    idx = np.empty((n, k), dtype=np.int64)
    best_d = np.empty(k, dtype=np.float64)
    best_j = np.empty(k, dtype=np.int64)
    if n_cells == 0:
        for i in range(n):
            _knn_brute(av, bv, i, best_d, best_j)
            eps[i] = best_d[k - 1]
            idx[i] = best_j
        return eps, idx
    grid = _build_grid(a, b, n_cells)
    start, members = grid[0], grid[1]
    most = 1
    for cell in range(n_cells * n_cells):
        most = max(most, start[cell + 1] - start[cell])
    found_d = np.empty((most, k), dtype=np.float64)
    found_j = np.empty((most, k), dtype=np.int64)
    for cell in range(n_cells * n_cells):
        _knn_cell(av, bv, cell // n_cells, cell % n_cells, grid, best_d, best_j, found_d, found_j)
        for t in range(start[cell], start[cell + 1]):
            eps[members[t]] = found_d[t - start[cell], k - 1]
            idx[members[t]] = found_j[t - start[cell]]
    return eps, idx


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _kth_distances(a, b, k, n_cells):
    """eps[i]: distance of sample i to its k-th neighbour in the joint space (A, B)
    (``_k_nearest``)."""
    return _k_nearest(a, b, k, n_cells)[0]


# ---------------------------------------------------------------------------------------
# k nearest neighbours by strips: the KSG MI search
# ---------------------------------------------------------------------------------------


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _build_strips(a, b, n_strips):
    """Cut the samples into n_strips equal-count strips by rank of A[0]; within a strip,
    list them by B[0] (A, B: Points).

    Strip t holds layout positions ``first[t]:first[t + 1]``, which are also the A
    ranks of its members. Per position: A[0], B[0] (``lay_a``, ``lay_b``), the sample
    (``lay_i``) and its ranks in A[0] and B[0] (``rank_a``, ``rank_b``), so that a
    query reads memory in order. 1 <= n_strips <= n.
    """
    n = a.values.shape[1]
    strip_of = np.empty(n, dtype=np.int64)  # by B rank q, so each strip lists by B value
    for q in range(n):
        strip_of[q] = a.rank[b.order[q]] * n_strips // n
    first, by_strip = _counting_sort(strip_of, n_strips)
    lay_a = np.empty(n, dtype=np.float64)
    lay_b = np.empty(n, dtype=np.float64)
    lay_i = np.empty(n, dtype=np.int64)
    rank_a = np.empty(n, dtype=np.int64)
    rank_b = np.empty(n, dtype=np.int64)
    for pos in range(n):
        q = by_strip[pos]
        i = b.order[q]
        lay_a[pos] = a.values[0, i]
        lay_b[pos] = b.values[0, i]
        lay_i[pos] = i
        rank_a[pos] = a.rank[i]
        rank_b[pos] = q
    return first, lay_a, lay_b, lay_i, rank_a, rank_b


@nb.njit(cache=NUMBA_CACHE, nogil=True, inline="always")
def _scan_strip(xa, xb, up, down, lo, hi, lay_a, lay_b, lay_i, best_d, best_j):
    """Offer the entries of one strip (layout positions lo..hi-1, increasing B) as
    neighbours of the query at (xa, xb): upwards from ``up``, then downwards from
    ``down``, each until the B gap alone exceeds the k-th distance (no entry beyond can
    qualify). One loop for both directions: four inlined copies ran ~25 % slower."""
    last = best_d.shape[0] - 1
    for direction in (1, -1):
        u = up if direction == 1 else down
        while lo <= u < hi:
            gap_b = (lay_b[u] - xb) * direction
            if not gap_b <= best_d[last]:
                break
            d = max(abs(lay_a[u] - xa), gap_b)
            if d <= best_d[last]:
                _offer(d, lay_i[u], best_d, best_j)
            u += direction


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _neighbour_extent(x, y, i, neighbours):
    """Largest x and largest y distance from sample i to its neighbours: the radii of
    the marginal counts of KSG algorithm 2 (algorithm 1 uses the k-th distance for
    both). Not inlined: in the neighbour search loop it would slow algorithm 1 too."""
    eps_x = 0.0
    eps_y = 0.0
    for j in neighbours:
        eps_x = max(eps_x, _dist(x, i, j))
        eps_y = max(eps_y, _dist(y, i, j))
    return eps_x, eps_y


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _knn_strips(a, a_sorted, b, strips, first_strip, stop, algorithm, k, radius):
    """Exact k nearest neighbours (by (distance, index)) of every sample in strips
    first_strip .. stop - 1; writes the radii of its marginal counts to
    ``radius[:, row - first[first_strip]]`` for layout position row: the k-th distance
    twice (algorithm 1), or the largest A and B distances to the k neighbours
    (algorithm 2).

    Per query: its own strip outwards in B, then the strips to either side, nearest
    first, while the A gap to them is within the k-th distance. Queries of a strip come
    in increasing B, so each other strip keeps a cursor (its first entry with B >= the
    query's) that only moves up: reset lazily, when first visited for a new strip.

    One function with the scans inlined: the earlier split into small helpers, each
    taking the layout arrays, ran the search ~1.7x slower.
    """
    first, lay_a, lay_b, lay_i = strips[0], strips[1], strips[2], strips[3]
    n_strips = first.shape[0] - 1
    best_d = np.empty(k, dtype=np.float64)  # local scratch: no aliasing with radius
    best_j = np.empty(k, dtype=np.int64)
    last = k - 1
    cursor = np.empty(n_strips, dtype=np.int64)
    stamp = np.full(n_strips, -1, dtype=np.int64)  # the strip s cursor[t] serves
    base = first[first_strip]
    for s in range(first_strip, stop):
        lo = first[s]
        hi = first[s + 1]
        for row in range(lo, hi):
            i = lay_i[row]
            xa = lay_a[row]
            xb = lay_b[row]
            _reset(best_d, best_j)
            _scan_strip(xa, xb, row + 1, row - 1, lo, hi, lay_a, lay_b, lay_i, best_d, best_j)
            left = s - 1
            right = s + 1
            while True:
                # A gaps to the next strips out (edge values of the sorted first row
                # of A); farther strips have larger gaps. A side stops for good once
                # its gap exceeds the k-th distance, which only shrinks.
                go_left = left >= 0 and xa - a_sorted[first[left + 1] - 1] <= best_d[last]
                go_right = right < n_strips and a_sorted[first[right]] - xa <= best_d[last]
                if not (go_left or go_right):
                    break
                for t in (left, right):  # one copy of the scans for both sides
                    if not ((t == left and go_left) or (t == right and go_right)):
                        continue
                    if stamp[t] != s:
                        stamp[t] = s
                        cursor[t] = first[t]
                    c = cursor[t]
                    end = first[t + 1]
                    while c < end and lay_b[c] < xb:
                        c += 1
                    cursor[t] = c
                    _scan_strip(
                        xa, xb, c, c - 1, first[t], end, lay_a, lay_b, lay_i, best_d, best_j
                    )
                left = left - 1 if go_left else -1
                right = right + 1 if go_right else n_strips
            if algorithm == 1:
                radius[0, row - base] = best_d[last]
                radius[1, row - base] = best_d[last]
            else:
                eps_a, eps_b = _neighbour_extent(a, b, i, best_j)
                radius[0, row - base] = eps_a
                radius[1, row - base] = eps_b
