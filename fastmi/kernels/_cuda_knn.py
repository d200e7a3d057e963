"""CUDA kernels of the kNN estimators on 1-D variables: KSG algorithms 1 and 2
(Kraskov, Stoegbauer & Grassberger 2004) and Ross (2014), for the GPU backend
(fastmi.cuda._knn launches them).

The prepared columns live on the device as (P, n) arrays, the stacked Points fields of
a tile part (values, sorted, order, rank). A launch covers a batch of pairs: grid axis
y is the pair, axis x the query, numbered by its position q along the sorted column
of the pair's first variable ("the scan axis"), so neighbouring threads read
neighbouring memory. Each query writes its per-sample term to ``terms[sample, pair]``;
a last kernel, one thread per pair, sums a pair's terms in sample order and forms
the estimate. Before the queries, ``_gather_along`` lists each pair's other variable
in that sorted order (a contiguous read per neighbour), and for Ross
``_ross_blocks`` counts exact copies and left-out samples in one pass per pair. No
atomics, one writer per cell, a fixed summation order: the result is bitwise the
same run to run.

Bitwise the CPU kernels' values (fastmi.kernels._ksg, _mixed): the same neighbours,
ordered by (distance, sample index); the same floating-point form of every distance
(a difference of two values, larger minus smaller, which equals ``abs(x_j - x_i)``
exactly); the same strict (algorithm 1, Ross) or inclusive (algorithm 2)
comparisons; digamma values from a table that the CPU's ``_digamma_int`` filled; and
only additions, subtractions and divisions in the estimate, so fused multiply-adds
cannot change a bit (tests/test_cuda_knn.py compiles the kernels to PTX and finds
none; its other tests compare every part with the CPU's, ties included).

References: A. Kraskov, H. Stoegbauer and P. Grassberger, "Estimating mutual
information", Physical Review E 69, 066138 (2004); B. C. Ross, "Mutual information
between discrete and continuous data sets", PLoS ONE 9(2), e87357 (2014); W. Gao,
S. Kannan, S. Oh and P. Viswanath, "Estimating mutual information for
discrete-continuous mixtures", NeurIPS (2017) (Ross's exact copies on an atom).
"""

import math

from numba import cuda, float64, int64

from ..cuda._limits import MAX_K  # k's largest value: the size of the k-best arrays

# ---------------------------------------------------------------------------------------
# Device functions
# ---------------------------------------------------------------------------------------


@cuda.jit(device=True)
def _within(diff, eps, inclusive):
    return diff <= eps if inclusive else diff < eps


@cuda.jit(device=True)
def _gap(s, p, q):
    """|s[q] - s[p]| along sorted s, in the CPU's form: larger minus smaller."""
    return s[q] - s[p] if q > p else s[p] - s[q]


@cuda.jit(device=True)
def _reach(s, p, eps, inclusive, step):
    """How many positions p + step, p + 2 step, ... (step = 1 or -1) of the sorted
    array s lie within eps of s[p]: the gap grows outwards, so they form one run;
    gallop out, then bisect (O(log count), as ``_count_sorted`` on the CPU)."""
    limit = s.shape[0] - 1 - p if step > 0 else p  # positions on that side
    good = 0  # distance that qualifies (0: none yet)
    span = 1
    while span <= limit and _within(_gap(s, p, p + step * span), eps, inclusive):
        good = span
        span *= 2
    # The first distance known not to qualify, or one past the end. (No min(): the
    # CUDA target of numba 0.68 fails to type min/max of two integers.)
    bad = span if span <= limit else limit + 1
    while bad - good > 1:
        mid = (good + bad) // 2
        if _within(_gap(s, p, p + step * mid), eps, inclusive):
            good = mid
        else:
            bad = mid
    return good


@cuda.jit(device=True)
def _count_within(s, p, eps, inclusive):
    """Positions q != p of sorted s with |s[q] - s[p]| < eps (<= if inclusive)."""
    return _reach(s, p, eps, inclusive, -1) + _reach(s, p, eps, inclusive, 1)


@cuda.jit(device=True)
def _offer(d, j, best_d, best_j, k):
    """Insert neighbour (d, j) into the k-best lists, ordered by (distance, index) as
    the CPU's ``_offer``, so ties pick the same neighbours."""
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


@cuda.jit(device=True)
def _knn_along(xs, ys, order, q, k, best_d, best_j):
    """The k nearest neighbours (max-norm, by (distance, index)) of the sample at
    sorted position q of the scan axis: xs its sorted values, ys the other variable's
    values in the same order, order the samples. Outwards from q, the side with the
    smaller x gap first, until that gap exceeds the k-th distance: every sample
    beyond is farther (ties at the k-th distance are still offered), or until the
    k-th distance is 0."""
    n = xs.shape[0]
    for u in range(k):
        best_d[u] = math.inf
        best_j[u] = n  # above every sample index
    x = xs[q]
    y = ys[q]
    left = q - 1
    right = q + 1
    while left >= 0 or right < n:
        gap_left = x - xs[left] if left >= 0 else math.inf
        gap_right = xs[right] - x if right < n else math.inf
        if gap_left <= gap_right:
            gap = gap_left
            r = left
            left -= 1
        else:
            gap = gap_right
            r = right
            right += 1
        if gap > best_d[k - 1]:
            return
        dy = abs(ys[r] - y)
        d = gap if gap > dy else dy
        if d <= best_d[k - 1]:
            _offer(d, order[r], best_d, best_j, k)
            if best_d[k - 1] == 0.0:
                # Only exact copies remain possible; which of them are kept changes no
                # distance (joint or marginal), so no estimate: stop, as the CPU's grid
                # does, rather than scan a block of ties.
                return


@cuda.jit(device=True)
def _extent(v, i, best_j, k):
    """Largest |v[j] - v[i]| over the k neighbours j: KSG algorithm 2's radius."""
    eps = 0.0
    for u in range(k):
        t = abs(v[i] - v[best_j[u]])
        if t > eps:
            eps = t
    return eps


@cuda.jit(device=True)
def _kth_same_label(xs, labels, q, k):
    """Distance from xs[q] to its k-th nearest neighbour among the positions of the
    same label (labels: by sorted position), merged outwards, ties to the left, as the
    CPU's ``_kth_nearest_sorted`` on the label's own sorted values."""
    n = xs.shape[0]
    own = labels[q]
    left = q - 1
    right = q + 1
    radius = 0.0
    for _ in range(k):
        while left >= 0 and labels[left] != own:
            left -= 1
        while right < n and labels[right] != own:
            right += 1
        d_left = xs[q] - xs[left] if left >= 0 else math.inf
        d_right = xs[right] - xs[q] if right < n else math.inf
        if d_left <= d_right:
            radius = d_left
            left -= 1
        else:
            radius = d_right
            right += 1
    return radius


# ---------------------------------------------------------------------------------------
# Kernels
# ---------------------------------------------------------------------------------------


@cuda.jit
def _gather_along(source, source_side, order, order_side, pairs, along):
    """along[t, q] = source[pairs[t, source_side], order[pairs[t, order_side], q]]:
    one variable of pair t (values or labels) listed in the sorted order of another,
    so that the search reads it contiguously."""
    q, t = cuda.grid(2)
    if t < pairs.shape[0] and q < along.shape[1]:
        along[t, q] = source[pairs[t, source_side], order[pairs[t, order_side], q]]


@cuda.jit
def _ksg_terms(values, sorted_, order, rank, pairs, along, k, algorithm, psi, terms):
    """terms[i, t] = psi(n_a + 1) + psi(n_b + 1) (algorithm 1) or psi(n_a) + psi(n_b)
    (algorithm 2) of sample i of pair t = (a, b), a the scan axis; Kraskov et al.
    (2004) eqs. (8), (9). One thread per (sorted position of a, pair)."""
    q, t = cuda.grid(2)
    n = sorted_.shape[1]
    if t >= pairs.shape[0] or q >= n:
        return
    a = pairs[t, 0]
    b = pairs[t, 1]
    best_d = cuda.local.array(MAX_K, float64)
    best_j = cuda.local.array(MAX_K, int64)
    _knn_along(sorted_[a], along[t], order[a], q, k, best_d, best_j)
    i = order[a, q]
    eps_a = best_d[k - 1]
    eps_b = eps_a
    if algorithm != 1:
        eps_a = _extent(values[a], i, best_j, k)
        eps_b = _extent(values[b], i, best_j, k)
    inclusive = algorithm != 1
    n_a = _count_within(sorted_[a], q, eps_a, inclusive)
    n_b = _count_within(sorted_[b], rank[b, i], eps_b, inclusive)
    if algorithm == 1:
        terms[i, t] = psi[n_a + 1] + psi[n_b + 1]
    else:
        terms[i, t] = psi[n_a] + psi[n_b]


@cuda.jit
def _ksg_totals(terms, pairs, k, algorithm, psi, out):
    """out[t] = psi(k) + psi(n) - <terms[:, t]> (- 1/k for algorithm 2), the terms
    summed in sample order as ``_ksg_mi_total``. One thread per pair."""
    t = cuda.grid(1)
    if t >= pairs.shape[0]:
        return
    n = terms.shape[0]
    total = 0.0
    for i in range(n):
        total += terms[i, t]
    mi = psi[k] + psi[n] - total / n
    if algorithm == 2:
        mi -= 1.0 / k
    out[t] = mi


@cuda.jit
def _ross_blocks(sorted_, order, label_size, pairs, along, tally, copies, singles_before):
    """One thread per pair t = (discrete d, continuous c), one pass along c's sorted
    values, block of equal values by block: copies[t, q], the samples with the value
    and label of sorted position q, itself included (its exact copies, when it sits
    on an atom); singles_before[t, q], the positions before q whose label occurs once
    (which Ross leaves out), for q = 0 .. n. tally[t]: a count per label, zero before
    and after. O(n), so that no query scans a block or the left-out samples."""
    t = cuda.grid(1)
    if t >= pairs.shape[0]:
        return
    d = pairs[t, 0]
    c = pairs[t, 1]
    xs = sorted_[c]
    labels = along[t]
    counts = tally[t]
    n = xs.shape[0]
    singles = 0
    lo = 0
    while lo < n:
        hi = lo + 1
        while hi < n and xs[hi] == xs[lo]:
            hi += 1
        for q in range(lo, hi):
            counts[labels[q]] += 1
        for q in range(lo, hi):
            copies[t, q] = counts[labels[q]]
            singles_before[t, q] = singles
            if label_size[d, order[c, q]] == 1:
                singles += 1
        for q in range(lo, hi):
            counts[labels[q]] = 0
        lo = hi
    singles_before[t, n] = singles


@cuda.jit
def _ross_terms(sorted_, order, label_size, pairs, along, copies, singles_before, k, psi,
                terms):  # fmt: skip
    """terms[i, t] = psi(k_i) - psi(N_label) - psi(m_i) of sample i of pair t =
    (discrete d, continuous c), as ``_ross_mi_sorted``: k_i = min(k, N_label - 1),
    r_i its k_i-th neighbour distance in its label, m_i the kept samples strictly
    within r_i, itself included; on an atom (r_i = 0) the exact copies in its label
    and in all kept samples instead (Gao et al. 2017). 0 for a sample whose label
    occurs once (left out). along[t]: d's labels in c's sorted order; copies,
    singles_before: from ``_ross_blocks``."""
    q, t = cuda.grid(2)
    n = sorted_.shape[1]
    if t >= pairs.shape[0] or q >= n:
        return
    d = pairs[t, 0]
    c = pairs[t, 1]
    i = order[c, q]
    size = label_size[d, i]
    if size < 2:
        terms[i, t] = 0.0
        return
    xs = sorted_[c]
    k_i = k if k < size else size - 1
    radius = _kth_same_label(xs, along[t], q, k_i)
    atom = radius == 0.0  # then count exact copies: within 0, inclusive
    if atom:
        k_i = copies[t, q]
    # The samples within the radius are the run of positions q - before .. q + after.
    before = _reach(xs, q, radius, atom, -1)
    after = _reach(xs, q, radius, atom, 1)
    left_out = singles_before[t, q + after + 1] - singles_before[t, q - before]
    m = before + after + 1 - left_out
    terms[i, t] = psi[k_i] - psi[size] - psi[m]


@cuda.jit
def _ross_totals(terms, pairs, label_size, kept_count, psi, out):
    """out[t] = psi(N) + <terms> over the kept samples (labels that occur more than
    once), summed in sample order as ``_ross_total``. One thread per pair."""
    t = cuda.grid(1)
    if t >= pairs.shape[0]:
        return
    d = pairs[t, 0]
    total = 0.0
    for i in range(terms.shape[0]):
        if label_size[d, i] > 1:
            total += terms[i, t]
    n_kept = kept_count[d]
    out[t] = psi[n_kept] + total / n_kept
