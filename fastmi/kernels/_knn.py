"""k-nearest-neighbour kernels for the KSG family (max-norm).

Data comes variable-major and prepared once per variable (fastmi._continuous): a
variable of d dimensions is a float64 array of shape (d, n), scaled and jittered; its
first row also comes sorted (``s``) with the permutation (``o``, sorted position ->
sample) and its inverse (``r``, sample -> sorted position).

Neighbour search in a joint space (A, B) -- the concatenation of the rows of two
arrays -- has two strategies that return the same neighbours:

- brute force, O(n) per query point;
- a grid over the first row of A and the first row of B, with equal-count columns and
  rows (cut by rank), searched ring by ring outwards from the query's cell; a cell is
  visited only if its value range can hold a point as close as the current k-th
  neighbour. About 9 cells of ``GRID_OCCUPANCY`` points each per query. Used by the
  entropy and CMI kernels;
- strips (KSG MI): equal-count strips by rank of A[0], each listed in B[0] order,
  searched outwards in B from the query and strip by strip outwards in A. Unlike the
  product grid this adapts to the joint distribution: for strongly dependent data the
  grid's diagonal cells hold ~sqrt(2n) points each, a strip search still ~k.

Neighbours are ordered by (distance, index), so the k nearest are unique even under
exact ties and every strategy finds the same ones. Marginal counts use the same
comparisons in every strategy (``|v_j - v_i| < eps`` in floating point, which is
monotone along a sorted array), so counts, and hence estimates, agree bit for bit.
"""

import numba as nb
import numpy as np

from .._config import NUMBA_CACHE
from ._digamma import _digamma_int


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
def _count_strip(v, s, o, p, i, eps, inclusive):
    """Number of samples j != i with max-norm ||v_j - v_i|| < eps (<= if inclusive),
    scanning outwards along the sorted first row while it stays within eps; p is
    sample i's sorted position (its rank in v's first row)."""
    if v.shape[0] == 1:
        return _count_sorted(s, p, eps, inclusive)
    value = s[p]
    count = 0
    q = p - 1
    while q >= 0 and _within(value - s[q], eps, inclusive):
        if _within(_dist(v, i, o[q]), eps, inclusive):
            count += 1
        q -= 1
    q = p + 1
    while q < s.shape[0] and _within(s[q] - value, eps, inclusive):
        if _within(_dist(v, i, o[q]), eps, inclusive):
            count += 1
        q += 1
    return count


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _count_brute(v, i, eps, inclusive):
    count = 0
    for j in range(v.shape[1]):
        if j != i and _within(_dist(v, i, j), eps, inclusive):
            count += 1
    return count


# ---------------------------------------------------------------------------------------
# k nearest neighbours in the joint space (A, B)
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
def _build_grid(a, a_order, a_rank, a_sorted, b, b_rank, b_sorted, n_cells):
    """Bucket the samples into an n_cells x n_cells grid cut at ranks of A[0] and B[0].

    Cell c = col * n_cells + row holds ``members[start[c]:start[c + 1]]``, with their
    A[0] and B[0] values copied alongside (``cell_a``, ``cell_b``) so that a scan reads
    memory in order. The three cells (col, row - 1 .. row + 1) are one contiguous run.
    edges[0], edges[1]: lowest and highest A[0] value of each column; edges[2],
    edges[3]: the same for B[0] and each row.
    """
    n = a.shape[1]
    g = n_cells
    start = np.zeros(g * g + 1, dtype=np.int64)
    for i in range(n):
        start[(a_rank[i] * g // n) * g + b_rank[i] * g // n + 1] += 1
    for c in range(g * g):
        start[c + 1] += start[c]
    fill = start[:-1].copy()
    members = np.empty(n, dtype=np.int64)
    cell_a = np.empty(n, dtype=np.float64)
    cell_b = np.empty(n, dtype=np.float64)
    for q in range(n):  # in A order, so each cell lists its members by A value
        i = a_order[q]
        c = (q * g // n) * g + b_rank[i] * g // n
        t = fill[c]
        members[t] = i
        cell_a[t] = a[0, i]
        cell_b[t] = b[0, i]
        fill[c] += 1
    edges = np.empty((4, g), dtype=np.float64)
    for c in range(g):
        first = (c * n + g - 1) // g  # smallest rank q with q * g // n == c
        last = ((c + 1) * n + g - 1) // g - 1
        edges[0, c] = a_sorted[first]
        edges[1, c] = a_sorted[last]
        edges[2, c] = b_sorted[first]
        edges[3, c] = b_sorted[last]
    return start, members, cell_a, cell_b, edges


@nb.njit(cache=NUMBA_CACHE, nogil=True, inline="always")
def _scan_run(a, b, i, xa, xb, lo, hi, members, cell_a, cell_b, best_d, best_j):
    """Offer the grid entries lo..hi-1 as neighbours of sample i."""
    last = best_d.shape[0] - 1
    exact = a.shape[0] == 1 and b.shape[0] == 1  # first rows are the whole space
    for t in range(lo, hi):
        d = max(abs(cell_a[t] - xa), abs(cell_b[t] - xb))  # a lower bound in general
        if d <= best_d[last]:
            j = members[t]
            if j != i:
                if not exact:
                    d = _joint_dist(a, b, i, j)
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
                    a,
                    b,
                    i,
                    xa,
                    xb,
                    start[cell],
                    start[cell + 1],
                    members,
                    cell_a,
                    cell_b,
                    best_d,
                    best_j,
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
            _scan_run(a, b, i, xa, xb, lo, hi, members, cell_a, cell_b, best_d, best_j)
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


# ---------------------------------------------------------------------------------------
# k nearest neighbours by strips: the KSG MI strategy
# ---------------------------------------------------------------------------------------


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _kth_distances(a, a_order, a_rank, a_sorted, b, b_rank, b_sorted, k, n_cells):
    """eps[i]: distance of sample i to its k-th neighbour in the joint space (A, B)
    (max-norm), for every sample; by brute force when n_cells == 0 (the sorted
    arguments are then unused), else cell by cell of the rank grid over A[0], B[0]
    (``_knn_cell``). Both give the same distances. B may have no rows."""
    n = a.shape[1]
    eps = np.empty(n, dtype=np.float64)
    best_d = np.empty(k, dtype=np.float64)
    best_j = np.empty(k, dtype=np.int64)
    if n_cells == 0:
        for i in range(n):
            _knn_brute(a, b, i, best_d, best_j)
            eps[i] = best_d[k - 1]
        return eps
    grid = _build_grid(a, a_order, a_rank, a_sorted, b, b_rank, b_sorted, n_cells)
    start, members = grid[0], grid[1]
    most = 1
    for cell in range(n_cells * n_cells):
        most = max(most, start[cell + 1] - start[cell])
    found_d = np.empty((most, k), dtype=np.float64)
    found_j = np.empty((most, k), dtype=np.int64)
    for cell in range(n_cells * n_cells):
        _knn_cell(a, b, cell // n_cells, cell % n_cells, grid, best_d, best_j, found_d, found_j)
        for t in range(start[cell], start[cell + 1]):
            eps[members[t]] = found_d[t - start[cell], k - 1]
    return eps


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _build_strips(a, a_rank, b, b_rank, b_order, n_strips):
    """Cut the samples into n_strips equal-count strips by rank of A[0]; within a strip,
    list them by B[0] (a counting sort: visit samples in B order).

    Strip t holds layout positions ``first[t]:first[t + 1]``, which are also the A
    ranks of its members. Per position: A[0], B[0] (``lay_a``, ``lay_b``), the sample
    (``lay_i``) and its ranks in A[0] and B[0] (``rank_a``, ``rank_b``), so that a
    query reads memory in order. 1 <= n_strips <= n.
    """
    n = a.shape[1]
    first = np.empty(n_strips + 1, dtype=np.int64)
    for t in range(n_strips + 1):
        first[t] = (t * n + n_strips - 1) // n_strips  # smallest rank q in strip t
    fill = first[:-1].copy()
    lay_a = np.empty(n, dtype=np.float64)
    lay_b = np.empty(n, dtype=np.float64)
    lay_i = np.empty(n, dtype=np.int64)
    rank_a = np.empty(n, dtype=np.int64)
    rank_b = np.empty(n, dtype=np.int64)
    for q in range(n):
        i = b_order[q]
        pos = fill[a_rank[i] * n_strips // n]
        fill[a_rank[i] * n_strips // n] = pos + 1
        lay_a[pos] = a[0, i]
        lay_b[pos] = b[0, i]
        lay_i[pos] = i
        rank_a[pos] = a_rank[i]
        rank_b[pos] = q
    return first, lay_a, lay_b, lay_i, rank_a, rank_b


@nb.njit(cache=NUMBA_CACHE, nogil=True, inline="always")
def _scan_up(a, b, i, xa, xb, u, stop, lay_a, lay_b, lay_i, exact, best_d, best_j):
    """Offer the strip entries u, u + 1, ... < stop (increasing B) as neighbours of
    sample i until the B gap alone exceeds the k-th distance: no later one can qualify.
    exact: A and B are 1-D, so the first-row distance is the distance."""
    last = best_d.shape[0] - 1
    while u < stop:
        gap_b = lay_b[u] - xb
        if not gap_b <= best_d[last]:
            break
        d = max(abs(lay_a[u] - xa), gap_b)  # a lower bound in general
        if d <= best_d[last]:
            j = lay_i[u]
            if not exact:
                d = _joint_dist(a, b, i, j)
            _offer(d, j, best_d, best_j)
        u += 1


@nb.njit(cache=NUMBA_CACHE, nogil=True, inline="always")
def _scan_down(a, b, i, xa, xb, u, stop, lay_a, lay_b, lay_i, exact, best_d, best_j):
    """``_scan_up`` downwards: entries u, u - 1, ... >= stop (decreasing B)."""
    last = best_d.shape[0] - 1
    while u >= stop:
        gap_b = xb - lay_b[u]
        if not gap_b <= best_d[last]:
            break
        d = max(abs(lay_a[u] - xa), gap_b)
        if d <= best_d[last]:
            j = lay_i[u]
            if not exact:
                d = _joint_dist(a, b, i, j)
            _offer(d, j, best_d, best_j)
        u -= 1


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
def _knn_strips(a, a_sorted, b, strips, first_strip, stop, algorithm, best_d, best_j, radius):
    """Exact k nearest neighbours (by (distance, index)) of every sample in strips
    first_strip .. stop - 1; writes the radii of its marginal counts to
    ``radius[:, row - first[first_strip]]`` for layout position row: the k-th distance
    twice (algorithm 1), or the largest A and B distances to the k neighbours
    (algorithm 2). k = best_d.shape[0].

    Per query: its own strip outwards in B, then the strips to either side, nearest
    first, while the A gap to them is within the k-th distance. Queries of a strip come
    in increasing B, so each other strip keeps a cursor (its first entry with B >= the
    query's) that only moves up: reset lazily, when first visited for a new strip.

    One function with the scans inlined: the earlier split into small helpers, each
    taking the layout arrays, ran the search ~1.7x slower.
    """
    first, lay_a, lay_b, lay_i = strips[0], strips[1], strips[2], strips[3]
    n_strips = first.shape[0] - 1
    last = best_d.shape[0] - 1
    exact = a.shape[0] == 1 and b.shape[0] == 1  # first rows are the whole space
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
            _scan_up(a, b, i, xa, xb, row + 1, hi, lay_a, lay_b, lay_i, exact, best_d, best_j)
            _scan_down(a, b, i, xa, xb, row - 1, lo, lay_a, lay_b, lay_i, exact, best_d, best_j)
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
                    _scan_up(a, b, i, xa, xb, c, end, lay_a, lay_b, lay_i, exact, best_d, best_j)
                    _scan_down(
                        a, b, i, xa, xb, c - 1, first[t], lay_a, lay_b, lay_i, exact, best_d, best_j
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


# ---------------------------------------------------------------------------------------
# Estimators
# ---------------------------------------------------------------------------------------


@nb.njit(cache=NUMBA_CACHE, nogil=True, inline="always")
def _count_marginal(v, s, o, p, i, eps, inclusive, use_sorted):
    """Samples j != i within eps of sample i in v's space, by the sorted search from
    i's sorted position p or by brute force (p unused); the same count either way."""
    if not use_sorted:
        return _count_brute(v, i, eps, inclusive)
    if v.shape[0] == 1:  # saves a call level in the hot 1-D case
        return _count_sorted(s, p, eps, inclusive)
    return _count_strip(v, s, o, p, i, eps, inclusive)


@nb.njit(cache=NUMBA_CACHE, nogil=True, inline="always")
def _ksg_mi_term(x, xs, xo, px, y, ys, yo, py, i, eps_x, eps_y, algorithm, use_sorted):
    """psi(n_x + 1) + psi(n_y + 1) (algorithm 1) or psi(n_x) + psi(n_y) (algorithm 2),
    the per-sample term of Kraskov et al. (2004) eqs. (8) and (9), with the counts'
    radii (``_knn_strips``). px, py: sample i's ranks in x's and y's first rows
    (used only if use_sorted)."""
    inclusive = algorithm != 1
    n_x = _count_marginal(x, xs, xo, px, i, eps_x, inclusive, use_sorted)
    n_y = _count_marginal(y, ys, yo, py, i, eps_y, inclusive, use_sorted)
    if algorithm == 1:
        return _digamma_int(n_x + 1) + _digamma_int(n_y + 1)
    return _digamma_int(n_x) + _digamma_int(n_y)


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _ksg_mi_strips(x, xs, xo, y, ys, yo, k, algorithm, strips, first_strip, stop, terms):
    """terms[i] for every sample i in strips first_strip .. stop - 1: all neighbour
    searches first, then all counts (each loop keeps its own data in cache)."""
    first, lay_i, rank_x, rank_y = strips[0], strips[3], strips[4], strips[5]
    base = first[first_strip]
    radius = np.empty((2, first[stop] - base), dtype=np.float64)
    best_d = np.empty(k, dtype=np.float64)
    best_j = np.empty(k, dtype=np.int64)
    _knn_strips(x, xs, y, strips, first_strip, stop, algorithm, best_d, best_j, radius)
    for row in range(base, first[stop]):
        terms[lay_i[row]] = _ksg_mi_term(
            x,
            xs,
            xo,
            rank_x[row],
            y,
            ys,
            yo,
            rank_y[row],
            lay_i[row],
            radius[0, row - base],
            radius[1, row - base],
            algorithm,
            True,
        )


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _ksg_mi_total(terms, k, algorithm):
    n = terms.shape[0]
    total = 0.0
    for i in range(n):  # index order: the same sum for any thread count
        total += terms[i]
    mi = _digamma_int(k) + _digamma_int(n) - total / n
    if algorithm == 2:
        mi -= 1.0 / k
    return mi


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _ksg_mi_brute(x, y, k, algorithm):
    """KSG estimate of I(X;Y) in nats by brute force: O(n^2), for small n.
    Same contract and result as ``_ksg_mi_grid``."""
    n = x.shape[1]
    best_d = np.empty(k, dtype=np.float64)
    best_j = np.empty(k, dtype=np.int64)
    terms = np.empty(n, dtype=np.float64)
    for i in range(n):
        _knn_brute(x, y, i, best_d, best_j)
        eps_x = eps_y = best_d[k - 1]
        if algorithm != 1:
            eps_x, eps_y = _neighbour_extent(x, y, i, best_j)
        terms[i] = _ksg_mi_term(
            x, x[0], best_j, 0, y, y[0], best_j, 0, i, eps_x, eps_y, algorithm, False
        )
    return _ksg_mi_total(terms, k, algorithm)


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _ksg_mi_grid(x, xs, xo, xr, y, ys, yo, yr, k, algorithm, n_strips):
    """KSG estimate of I(X;Y) in nats, Kraskov, Stoegbauer & Grassberger (2004).

    x: float64[dx, n], y: float64[dy, n], prepared (module docstring); k >= 1, n > k;
    algorithm 1 or 2; n_strips >= 1, the number of strips of the neighbour search
    (clipped to n).
    """
    n = x.shape[1]
    n_strips = min(max(n_strips, 1), n)
    strips = _build_strips(x, xr, y, yr, yo, n_strips)
    terms = np.empty(n, dtype=np.float64)
    _ksg_mi_strips(x, xs, xo, y, ys, yo, k, algorithm, strips, 0, n_strips, terms)
    return _ksg_mi_total(terms, k, algorithm)


@nb.njit(cache=NUMBA_CACHE, parallel=True)
def _ksg_mi_grid_parallel(x, xs, xo, xr, y, ys, yo, yr, k, algorithm, n_strips, n_chunks):
    """``_ksg_mi_grid`` for one large pair, parallel over n_chunks chunks of strips (the
    caller passes a multiple of the thread count: calling get_num_threads here would
    keep Numba from caching the function); the terms are summed in index order
    afterwards, so threads never change the result."""
    n = x.shape[1]
    n_strips = min(max(n_strips, 1), n)
    strips = _build_strips(x, xr, y, yr, yo, n_strips)
    terms = np.empty(n, dtype=np.float64)
    n_chunks = max(1, min(n_chunks, n_strips))
    for c in nb.prange(n_chunks):
        _ksg_mi_strips(
            x,
            xs,
            xo,
            y,
            ys,
            yo,
            k,
            algorithm,
            strips,
            c * n_strips // n_chunks,
            (c + 1) * n_strips // n_chunks,
            terms,
        )
    return _ksg_mi_total(terms, k, algorithm)


# ---------------------------------------------------------------------------------------
# Kozachenko-Leonenko entropy
# ---------------------------------------------------------------------------------------


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _kl_entropy_total(log_eps, k, d):
    """psi(n) - psi(k) + d log 2 + (d / n) sum_i log eps_i, in nats (max-norm balls of
    radius eps have volume (2 eps)^d). log_eps is summed in index order."""
    n = log_eps.shape[0]
    total = 0.0
    for i in range(n):
        total += log_eps[i]
    return _digamma_int(n) - _digamma_int(k) + d * np.log(2.0) + d * total / n


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _kl_entropy_brute(x, k):
    """Kozachenko-Leonenko entropy of x (d, n) in nats, brute force; n > k."""
    unused = np.empty(0, dtype=np.int64)
    eps = _kth_distances(x, unused, unused, x[0], x[:0], unused, x[0], k, 0)
    return _kl_entropy_total(np.log(eps), k, x.shape[0])


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _kl_entropy_sorted(s, o, k):
    """Kozachenko-Leonenko entropy of a 1-D variable from its sorted values s and
    sorting permutation o: the k nearest neighbours of s[p] are the k closest of
    s[p - k .. p + k], merged outwards from p. O(n k)."""
    n = s.shape[0]
    log_eps = np.empty(n, dtype=np.float64)
    for p in range(n):
        left = p - 1
        right = p + 1
        eps = 0.0
        for _ in range(k):
            d_left = s[p] - s[left] if left >= 0 else np.inf
            d_right = s[right] - s[p] if right < n else np.inf
            if d_left <= d_right:
                eps = d_left
                left -= 1
            else:
                eps = d_right
                right += 1
        log_eps[o[p]] = np.log(eps)
    return _kl_entropy_total(log_eps, k, 1)


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _kl_entropy_grid(x, s0, o0, r0, s1, r1, k, n_cells):
    """Kozachenko-Leonenko entropy of x (d >= 2, n) with the grid over its first two
    rows; s0, o0, r0 and s1, r1 prepare rows 0 and 1. Same result as brute force."""
    eps = _kth_distances(x[0:1], o0, r0, s0, x[1:], r1, s1, k, n_cells)
    return _kl_entropy_total(np.log(eps), k, x.shape[0])


# ---------------------------------------------------------------------------------------
# Frenzel-Pompe conditional mutual information
# ---------------------------------------------------------------------------------------


@nb.njit(cache=NUMBA_CACHE, nogil=True, inline="always")
def _fp_term(x, y, z, i, j, eps, counts):
    dz = _dist(z, i, j)
    if dz < eps:
        counts[2] += 1
        if _dist(x, i, j) < eps:
            counts[0] += 1
        if _dist(y, i, j) < eps:
            counts[1] += 1


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _fp_counts(x, y, z, zs, zo, zr, i, eps, use_grid, counts):
    """counts = (n_xz, n_yz, n_z): samples j != i within eps of sample i in the spaces
    (x, z), (y, z) and z, strictly; along z's sorted first row, or by brute force."""
    counts[0] = 0
    counts[1] = 0
    counts[2] = 0
    if not use_grid:
        for j in range(x.shape[1]):
            if j != i:
                _fp_term(x, y, z, i, j, eps, counts)
        return
    p = zr[i]
    value = zs[p]
    q = p - 1
    while q >= 0 and value - zs[q] < eps:
        _fp_term(x, y, z, i, zo[q], eps, counts)
        q -= 1
    q = p + 1
    while q < zs.shape[0] and zs[q] - value < eps:
        _fp_term(x, y, z, i, zo[q], eps, counts)
        q += 1


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _fp_cmi(x, xs, xo, xr, y, ys, yr, z, zs, zo, zr, k, n_cells):
    """Frenzel-Pompe estimate of I(X;Y|Z) in nats:
    psi(k) + mean_i [psi(n_z + 1) - psi(n_xz + 1) - psi(n_yz + 1)], with eps_i the k-th
    neighbour distance in the joint (x, y, z) space (max-norm), counts strict.

    x (dx, n), y (dy, n), z (dz, n) prepared; n_cells = 0 for brute force, else the side
    of a grid over x[0] and y[0].
    """
    n = x.shape[1]
    yz = np.empty((y.shape[0] + z.shape[0], n), dtype=np.float64)
    yz[: y.shape[0]] = y
    yz[y.shape[0] :] = z
    eps = _kth_distances(x, xo, xr, xs, yz, yr, ys, k, n_cells)
    counts = np.zeros(3, dtype=np.int64)
    terms = np.empty(n, dtype=np.float64)
    for i in range(n):
        _fp_counts(x, y, z, zs, zo, zr, i, eps[i], n_cells > 0, counts)
        terms[i] = (
            _digamma_int(counts[2] + 1) - _digamma_int(counts[0] + 1) - _digamma_int(counts[1] + 1)
        )
    total = 0.0
    for i in range(n):
        total += terms[i]
    return _digamma_int(k) + total / n
