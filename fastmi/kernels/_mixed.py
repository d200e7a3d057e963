"""Mixed discrete-continuous MI: Ross (2014), and Gao et al. (2017) for mixtures.

A discrete variable comes as int64 codes in [0, n_levels); a continuous one as a
``Points`` record (fastmi.kernels._neighbours), prepared once per variable. Results in
nats.
"""

import numba as nb
import numpy as np

from .._config import NUMBA_CACHE
from ._digamma import _digamma_int
from ._neighbours import (
    _count_brute,
    _count_near,
    _count_sorted,
    _dist,
    _kth_distances,
    _kth_nearest_sorted,
    _marginal_tree,
    _row_points,
    _within,
)
from ._sort import _counting_sort, _level_counts

# ---------------------------------------------------------------------------------------
# Ross (2014): one discrete and one continuous variable
# ---------------------------------------------------------------------------------------


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
    samples strictly within r_i, itself included. A sample on an atom (r_i = 0: at
    least k_i exact copies in its label) counts exact copies instead, as Gao et al.
    (2017) do: k_i its copies in its label and m_i its copies in all labels, itself
    included; on tie-free data this never happens, and the estimate is Ross's.
    O(n k + n log n). Returns nan when fewer than 2 samples are kept.
    """
    n = s.shape[0]
    size = _level_counts(labels, n_levels)
    # The kept samples in sorted order (positions q), then grouped by label, still
    # sorted within a label.
    kept_sorted = np.empty(n, dtype=np.float64)
    kept_label = np.empty(n, dtype=np.int64)
    sample_of = np.empty(n, dtype=np.int64)
    n_kept = 0
    for p in range(n):
        if size[labels[o[p]]] > 1:
            kept_sorted[n_kept] = s[p]
            kept_label[n_kept] = labels[o[p]]
            sample_of[n_kept] = o[p]
            n_kept += 1
    if n_kept < 2:
        return np.nan
    start, position = _counting_sort(kept_label[:n_kept], n_levels)
    by_label = np.empty(n_kept, dtype=np.float64)
    for t in range(n_kept):
        by_label[t] = kept_sorted[position[t]]
    terms = np.zeros(n, dtype=np.float64)
    for a in range(n_levels):
        lo, hi = start[a], start[a + 1]
        k_a = min(k, hi - lo - 1)
        for t in range(lo, hi):
            radius = _kth_nearest_sorted(by_label, t, lo, hi, k_a)
            k_i = k_a
            if radius > 0.0:
                m = _count_sorted(kept_sorted[:n_kept], position[t], radius, False) + 1
            else:  # on an atom: count its exact copies (Gao et al. 2017)
                k_i = _count_sorted(by_label[lo:hi], t - lo, 0.0, True) + 1
                m = _count_sorted(kept_sorted[:n_kept], position[t], 0.0, True) + 1
            terms[sample_of[position[t]]] = (
                _digamma_int(k_i) - _digamma_int(hi - lo) - _digamma_int(m)
            )
    kept = np.empty(n, dtype=np.bool_)
    for i in range(n):
        kept[i] = size[labels[i]] > 1
    return _ross_total(terms, kept, n_kept)


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _ross_mi_brute(c, labels, n_levels, k):
    """``_ross_mi_sorted`` for a continuous variable c (d, n) of any dimension, with
    max-norm distances, by brute force: O(n^2)."""
    n = c.shape[1]
    size = _level_counts(labels, n_levels)
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
        atom = radius == 0.0  # then count exact copies, within 0 inclusive
        k_i = 1 if atom else k_a
        m = 1
        for j in range(n):
            if j != i and kept[j] and _within(_dist(c, i, j), radius, atom):
                m += 1
                if atom and labels[j] == labels[i]:
                    k_i += 1
        terms[i] = _digamma_int(k_i) - _digamma_int(size[labels[i]]) - _digamma_int(m)
    return _ross_total(terms, kept, n_kept)


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _one_label(labels):
    for i in range(labels.shape[0]):
        if labels[i] != labels[0]:
            return False
    return True


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _ross_mi_pair(labels, n_levels, c, k):
    """The Ross pair function that ``fastmi.mi`` and every tile run: labels (int64
    codes) against c (Points). 0 when c is constant or there is one label only (no
    information either way); the sorted search for 1-D c, brute force otherwise; nan
    when no label occurs twice (the caller raises)."""
    if c.constant or _one_label(labels):
        return 0.0
    if c.values.shape[0] == 1:
        return _ross_mi_sorted(c.sorted, c.order, labels, n_levels, k)
    return _ross_mi_brute(c.values, labels, n_levels, k)


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _ross_mi_pairs(labels, n_levels, values, sorted_, order, rank, constant, pairs, k, out):
    """out[t] = ``_ross_mi_pair`` of discrete variable pairs[t, 0] (a row of labels) and
    1-D continuous variable pairs[t, 1] (rows of the Points fields)."""
    for t in range(pairs.shape[0]):
        a, c = pairs[t, 0], pairs[t, 1]
        if constant[c] or _one_label(labels[a]):
            out[t] = 0.0
        else:  # 1-D columns: the sorted search only (no brute force compiled)
            out[t] = _ross_mi_sorted(sorted_[c], order[c], labels[a], n_levels[a], k)


# ---------------------------------------------------------------------------------------
# Gao, Kannan, Oh & Viswanath (2017): mixtures, atoms, ties
# ---------------------------------------------------------------------------------------


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _multiplicity(cx, cy, n_x, n_y):
    """How many samples share each sample's (x, y) codes, itself included: grouped by
    x (a counting sort), then one scratch array of y counts per x group.
    O(n + n_x + n_y)."""
    n = cx.shape[0]
    start, members = _counting_sort(cx, n_x)
    scratch = np.zeros(n_y, dtype=np.int64)
    out = np.empty(n, dtype=np.int64)
    for a in range(n_x):
        for t in range(start[a], start[a + 1]):
            scratch[cy[members[t]]] += 1
        for t in range(start[a], start[a + 1]):
            out[members[t]] = scratch[cy[members[t]]]
        for t in range(start[a], start[a + 1]):
            scratch[cy[members[t]]] = 0
    return out


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _gao_mi(x, y, duplicates, k, n_cells):
    """Gao, Kannan, Oh & Viswanath (2017) MI in nats of a discrete-continuous mixture,
    in the digamma form of KSG algorithm 1.

    For each sample, rho is its k-th neighbour distance in the joint (x, y) space
    (max-norm). If rho > 0, k_i = k and n_x, n_y count the other samples strictly
    within rho in each marginal space, exactly as KSG. If rho = 0 (the sample sits on
    an atom), k_i = ``duplicates[i]``, the samples equal to it in (x, y) itself
    included, and n_x, n_y count the other samples equal to it in x, in y. Then
    I = psi(n) + < psi(k_i) - psi(n_x + 1) - psi(n_y + 1) >: KSG on continuous data,
    the plug-in estimate psi(n) + < psi(n_xy) - psi(n_x) - psi(n_y) > on discrete data.

    x, y: Points prepared without jitter (ties are information here); n_cells = 0 for
    brute force, else the side of the neighbour-search grid.
    """
    n = x.values.shape[1]
    rho = _kth_distances(x, y, k, n_cells)
    x_tree, y_tree = _marginal_tree(x), _marginal_tree(y)
    query_x = np.empty(x.values.shape[0], dtype=np.float64)
    query_y = np.empty(y.values.shape[0], dtype=np.float64)
    terms = np.empty(n, dtype=np.float64)
    for i in range(n):
        atom = rho[i] == 0.0  # then count exact ties: within 0, inclusive
        if n_cells > 0:
            n_x = _count_near(x, x_tree, i, rho[i], atom, query_x)
            n_y = _count_near(y, y_tree, i, rho[i], atom, query_y)
        else:
            n_x = _count_brute(x.values, i, rho[i], atom)
            n_y = _count_brute(y.values, i, rho[i], atom)
        k_i = duplicates[i] if atom else k
        # (psi(n_x + 1) + psi(n_y + 1)) as one sum: I(x; y) == I(y; x) bit for bit.
        terms[i] = _digamma_int(k_i) - (_digamma_int(n_x + 1) + _digamma_int(n_y + 1))
    total = 0.0
    for i in range(n):
        total += terms[i]
    return _digamma_int(n) + total / n


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _gao_mi_pair(x, x_codes, x_levels, y, y_codes, y_levels, k, n_cells):
    """The Gao pair function that ``fastmi.mi`` and every tile run: x, y Points (no
    jitter) with their exact-value codes (the joint codes of their columns), which give
    the multiplicities. 0 when either variable is constant."""
    if x.constant or y.constant:
        return 0.0
    duplicates = _multiplicity(x_codes, y_codes, x_levels, y_levels)
    return _gao_mi(x, y, duplicates, k, n_cells)


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _gao_mi_pairs(values, sorted_, order, rank, constant, codes, n_levels, pairs, k, n_cells, out):
    """out[t] = ``_gao_mi_pair`` of 1-D variables pairs[t, 0] and pairs[t, 1]."""
    for t in range(pairs.shape[0]):
        a, b = pairs[t, 0], pairs[t, 1]
        x = _row_points(values, sorted_, order, rank, constant, a)
        y = _row_points(values, sorted_, order, rank, constant, b)
        out[t] = _gao_mi_pair(x, codes[a], n_levels[a], y, codes[b], n_levels[b], k, n_cells)
