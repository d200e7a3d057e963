"""Mixed discrete-continuous MI: Ross (2014), and Gao et al. (2017) for mixtures.

A discrete variable comes as int64 codes in [0, n_levels); a continuous one prepared as
for KSG (fastmi._continuous): values (d, n), and for d = 1 its sorted values ``s`` and
sorting permutation ``o``. Results in nats.
"""

import numba as nb
import numpy as np

from .._config import NUMBA_CACHE
from ._digamma import _digamma_int
from ._knn import (
    _count_brute,
    _count_sorted,
    _count_strip,
    _dist,
    _kth_distances,
)


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _ross_total(terms, kept, n_kept):
    """psi(N) + < psi(k_i) - psi(N_label) - psi(m_i) > over the kept samples, summed in
    sample order."""
    total = 0.0
    for i in range(terms.shape[0]):
        if kept[i]:
            total += terms[i]
    return _digamma_int(n_kept) + total / n_kept


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _ross_mi_sorted(s, o, labels, n_levels, k):
    """Ross (2014) MI of labels and a 1-D continuous variable, from its sorted values.

    Samples whose label occurs only once carry no neighbour information and are left
    out, as scikit-learn does. For each kept sample: k_i = min(k, N_label - 1); r_i is
    its k_i-th neighbour distance among samples of its own label; m_i counts kept
    samples strictly within r_i, itself included. O(n k + n log n).
    Returns nan when fewer than 2 samples are kept.
    """
    n = s.shape[0]
    size = np.zeros(n_levels, dtype=np.int64)
    for i in range(n):
        size[labels[i]] += 1
    kept = np.empty(n, dtype=np.bool_)
    for i in range(n):
        kept[i] = size[labels[i]] > 1
    # The kept samples in sorted order, then the same grouped by label (still sorted).
    kept_sorted = np.empty(n, dtype=np.float64)
    kept_label = np.empty(n, dtype=np.int64)
    n_kept = 0
    for p in range(n):
        if kept[o[p]]:
            kept_sorted[n_kept] = s[p]
            kept_label[n_kept] = labels[o[p]]
            n_kept += 1
    if n_kept < 2:
        return np.nan
    start = np.zeros(n_levels + 1, dtype=np.int64)
    for q in range(n_kept):
        start[kept_label[q] + 1] += 1
    for a in range(n_levels):
        start[a + 1] += start[a]
    fill = start[:-1].copy()
    by_label = np.empty(n_kept, dtype=np.float64)
    position = np.empty(n_kept, dtype=np.int64)  # position in kept_sorted
    for q in range(n_kept):
        t = fill[kept_label[q]]
        by_label[t] = kept_sorted[q]
        position[t] = q
        fill[kept_label[q]] += 1
    terms = np.zeros(n, dtype=np.float64)
    q_kept = 0
    sample_of = np.empty(n_kept, dtype=np.int64)
    for p in range(n):
        if kept[o[p]]:
            sample_of[q_kept] = o[p]
            q_kept += 1
    for a in range(n_levels):
        lo, hi = start[a], start[a + 1]
        k_a = min(k, hi - lo - 1)
        for t in range(lo, hi):
            left, right = t - 1, t + 1  # merge outwards: the k_a nearest in the label
            radius = 0.0
            for _ in range(k_a):
                d_left = by_label[t] - by_label[left] if left >= lo else np.inf
                d_right = by_label[right] - by_label[t] if right < hi else np.inf
                if d_left <= d_right:
                    radius = d_left
                    left -= 1
                else:
                    radius = d_right
                    right += 1
            m = _count_sorted(kept_sorted[:n_kept], position[t], radius, False) + 1
            terms[sample_of[position[t]]] = (
                _digamma_int(k_a) - _digamma_int(hi - lo) - _digamma_int(m)
            )
    return _ross_total(terms, kept, n_kept)


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _ross_mi_brute(c, labels, n_levels, k):
    """``_ross_mi_sorted`` for a continuous variable c (d, n) of any dimension, with
    max-norm distances, by brute force: O(n^2)."""
    n = c.shape[1]
    size = np.zeros(n_levels, dtype=np.int64)
    for i in range(n):
        size[labels[i]] += 1
    kept = np.empty(n, dtype=np.bool_)
    n_kept = 0
    for i in range(n):
        kept[i] = size[labels[i]] > 1
        n_kept += kept[i]
    if n_kept < 2:
        return np.nan
    terms = np.zeros(n, dtype=np.float64)
    for i in range(n):
        if not kept[i]:
            continue
        k_a = min(k, size[labels[i]] - 1)
        best = np.full(k_a, np.inf)
        for j in range(n):
            if j != i and labels[j] == labels[i]:
                d = _dist(c, i, j)
                if d < best[k_a - 1]:
                    pos = k_a - 1
                    while pos > 0 and d < best[pos - 1]:
                        best[pos] = best[pos - 1]
                        pos -= 1
                    best[pos] = d
        radius = best[k_a - 1]
        m = 1
        for j in range(n):
            if j != i and kept[j] and _dist(c, i, j) < radius:
                m += 1
        terms[i] = _digamma_int(k_a) - _digamma_int(size[labels[i]]) - _digamma_int(m)
    return _ross_total(terms, kept, n_kept)


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _gao_mi(x, xs, xo, xr, y, ys, yo, yr, duplicates, k, n_cells):
    """Gao, Kannan, Oh & Viswanath (2017) MI in nats of a discrete-continuous mixture,
    in the digamma form of KSG algorithm 1.

    For each sample, rho is its k-th neighbour distance in the joint (x, y) space
    (max-norm). If rho > 0, k_i = k and n_x, n_y count the other samples strictly
    within rho in each marginal space, exactly as KSG. If rho = 0 (the sample sits on
    an atom), k_i = ``duplicates[i]``, the samples equal to it in (x, y) itself
    included, and n_x, n_y count the other samples equal to it in x, in y. Then
    I = psi(n) + < psi(k_i) - psi(n_x + 1) - psi(n_y + 1) >: KSG on continuous data,
    the plug-in estimate psi(n) + < psi(n_xy) - psi(n_x) - psi(n_y) > on discrete data.

    x (dx, n), y (dy, n) prepared without jitter (ties are information here);
    n_cells = 0 for brute force, else the side of the neighbour-search grid.
    """
    n = x.shape[1]
    rho = _kth_distances(x, xo, xr, xs, y, yr, ys, k, n_cells)
    terms = np.empty(n, dtype=np.float64)
    for i in range(n):
        atom = rho[i] == 0.0  # then count exact ties: within 0, inclusive
        if n_cells > 0:
            n_x = _count_strip(x, xs, xo, xr[i], i, rho[i], atom)
            n_y = _count_strip(y, ys, yo, yr[i], i, rho[i], atom)
        else:
            n_x = _count_brute(x, i, rho[i], atom)
            n_y = _count_brute(y, i, rho[i], atom)
        k_i = duplicates[i] if atom else k
        terms[i] = _digamma_int(k_i) - _digamma_int(n_x + 1) - _digamma_int(n_y + 1)
    total = 0.0
    for i in range(n):
        total += terms[i]
    return _digamma_int(n) + total / n
