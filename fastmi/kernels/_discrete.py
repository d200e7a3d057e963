"""Plug-in (maximum-likelihood) entropy, MI and conditional MI from integer codes.

Every kernel takes int64 codes: a variable with ``n_levels`` levels has codes in
[0, n_levels); a level may be empty (fastmi._encode offsets small-range integers
instead of compacting them, which saves a pass). ``logs`` is fastmi._logs.log_table(n):
logs[c] = log(c) for every count c <= n. Results are in nats. Kernels also return how
many levels or cells are non-empty, which the Miller-Madow correction needs.
"""

import numba as nb
import numpy as np
from numba import types
from numba.extending import intrinsic

from .._config import NUMBA_CACHE
from ._corrections import _corrected_mi
from ._sort import _count_nonzero, _counting_sort, _level_counts


@intrinsic
def _popcount(typingctx, word):
    """Set bits of a uint64: LLVM's ctpop, which vectorises to vpopcntq where the CPU
    has it."""
    signature = types.uint64(types.uint64)

    def codegen(context, builder, sig, args):
        return builder.ctpop(args[0])

    return signature, codegen


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _discrete_entropy(codes, n_levels, logs):
    """Plug-in entropy in nats, sum over levels of (c/n) log(n/c).

    Returns (entropy, number of non-empty levels).
    """
    counts = _level_counts(codes, n_levels)
    n = codes.shape[0]
    h = 0.0
    for c in counts:
        if c > 0:
            h += c * (logs[n] - logs[c])
    return h / n, _count_nonzero(counts)


@nb.njit(cache=NUMBA_CACHE, nogil=True, inline="always")
def _mi_term(n_ab, n, n_a, n_b, logs):
    # One cell's term n_ab log(n_ab n / (n_a n_b)) = n_ab (log p(b|a) - log p(b)),
    # written once so that every strategy adds identical terms and they differ only in
    # summation order (test_dense_and_sparse_counts_agree). Its rounding error is a few
    # ulps of log n per cell: about 1e-14 nats on the sum. A cell at exactly its
    # independence count adds exactly 0 (integer test; products stay below 2^62).
    if n_ab * n == n_a * n_b:
        return 0.0
    return n_ab * ((logs[n_ab] - logs[n_a]) - (logs[n_b] - logs[n]))


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _mi_from_table(joint, n_x, n_y, n, logs):
    """(mi, m_x, m_y, m_xy) from a dense joint table (n_x * n_y, row-major) of n
    samples: the one finalisation shared by every dense strategy."""
    n_xa = np.zeros(n_x, dtype=np.int64)
    n_yb = np.zeros(n_y, dtype=np.int64)
    for a in range(n_x):
        for b in range(n_y):
            n_xa[a] += joint[a * n_y + b]
            n_yb[b] += joint[a * n_y + b]
    mi = 0.0
    m_xy = 0
    for a in range(n_x):
        for b in range(n_y):
            n_ab = joint[a * n_y + b]
            if n_ab > 0:
                m_xy += 1
                mi += _mi_term(n_ab, n, n_xa[a], n_yb[b], logs)
    return mi / n, _count_nonzero(n_xa), _count_nonzero(n_yb), m_xy


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _discrete_mi_dense(x, y, n_x, n_y, logs):
    """Plug-in MI in nats from a dense n_x-by-n_y contingency table.

    x, y: int64 codes in [0, n_x), [0, n_y). Memory O(n_x n_y): for few level
    combinations (fastmi._config.DENSE_TABLE_MAX_CELLS).
    Returns (mi, m_x, m_y, m_xy): the non-empty levels of x, of y, and joint cells.
    """
    n = x.shape[0]
    joint = np.zeros(n_x * n_y, dtype=np.int64)
    for i in range(n):
        joint[x[i] * n_y + y[i]] += 1
    return _mi_from_table(joint, n_x, n_y, n, logs)


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _level_bitsets(codes, n_levels):
    """bits[a, w] has bit i % 64 of word w set where codes[i] == a: one bitset per
    level, (n_levels, ceil(n / 64)) uint64."""
    n = codes.shape[0]
    bits = np.zeros((n_levels, (n + 63) // 64), dtype=np.uint64)
    for i in range(n):
        bits[codes[i], i >> 6] |= np.uint64(1) << np.uint64(i & 63)
    return bits


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _discrete_mi_bitsets(bits_x, bits_y, n, logs):
    """``_discrete_mi_dense`` from level bitsets: each cell's count is the popcount of
    an AND of two bitsets, 64 samples per instruction (more where the CPU vectorises
    popcounts), instead of one increment per sample. The same table, so the same
    result bit for bit; worth it while n_x n_y is small (fastmi._config)."""
    n_x, n_y, n_words = bits_x.shape[0], bits_y.shape[0], bits_x.shape[1]
    joint = np.zeros(n_x * n_y, dtype=np.int64)
    for a in range(n_x):
        for b in range(n_y):
            count = np.uint64(0)
            for w in range(n_words):
                count += _popcount(bits_x[a, w] & bits_y[b, w])
            joint[a * n_y + b] = count
    return _mi_from_table(joint, n_x, n_y, n, logs)


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _discrete_mi_sparse(x, y, n_x, n_y, logs):
    """Plug-in MI in nats, counting only the joint cells that occur.

    Samples are grouped by x with a counting sort; within a group the y counts live in
    one scratch array of n_y cells, cleared after the group. O(n + n_x + n_y) time and
    memory whatever n_x n_y is. Same contract and result as ``_discrete_mi_dense``.
    """
    n = x.shape[0]
    n_xa = _level_counts(x, n_x)
    n_yb = _level_counts(y, n_y)
    start, members = _counting_sort(x, n_x)
    y_by_x = y[members]
    scratch = np.zeros(n_y, dtype=np.int64)
    mi = 0.0
    m_xy = 0
    for a in range(n_x):
        for t in range(start[a], start[a + 1]):
            scratch[y_by_x[t]] += 1
        for t in range(start[a], start[a + 1]):
            b = y_by_x[t]
            n_ab = scratch[b]
            if n_ab > 0:  # first visit of cell (a, b): add it, then clear it
                m_xy += 1
                mi += _mi_term(n_ab, n, n_xa[a], n_yb[b], logs)
                scratch[b] = 0
    return mi / n, _count_nonzero(n_xa), _count_nonzero(n_yb), m_xy


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _in_order(x, n_x, y, n_y):
    """Whether (n_x, x) sorts before (n_y, y), or equals it: the canonical orientation
    of a pair. O(1) unless the codes agree on a long prefix."""
    if n_x != n_y:
        return n_x < n_y
    for i in range(x.shape[0]):
        if x[i] != y[i]:
            return x[i] < y[i]
    return True


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _table_mi_pair(x, n_x, bits_x, y, n_y, bits_y, logs, dense_limit, bitset_cells, correction):
    """The plug-in pair function that ``fastmi.mi`` and every tile run, in nats.

    x, y: int64 codes in [0, n_x), [0, n_y); bits_x, bits_y: their level bitsets
    (``_level_bitsets``), or arrays of no rows where none were made. Counts with
    bitsets when both have them and n_x n_y <= bitset_cells, densely when
    n_x n_y <= dense_limit, sparsely otherwise: the same table either way, and the
    same value to rounding (dense and bitsets bit for bit). ``correction``: 0 none,
    1 Miller-Madow, which adds (m_x + m_y - m_xy - 1) / (2 n), m the non-empty levels
    and cells (the other corrections are ``_corrected_mi_pair``, a kernel of its own
    so that a plain call never compiles them). The pair is
    counted in its canonical orientation, so MI(x, y) and MI(y, x) sum the same table
    in the same order: a matrix is symmetric bit for bit. Returns (mi, saturated):
    saturated when every sample has a joint cell of its own (m_xy = n) and both vary,
    where the estimate is H(X) + H(Y) - log n whatever the dependence.
    """
    if not _in_order(x, n_x, y, n_y):
        x, n_x, bits_x, y, n_y, bits_y = y, n_y, bits_y, x, n_x, bits_x
    n = x.shape[0]
    cells = n_x * n_y
    if bits_x.shape[0] > 0 and bits_y.shape[0] > 0 and cells <= bitset_cells:
        mi, m_x, m_y, m_xy = _discrete_mi_bitsets(bits_x, bits_y, n, logs)
    elif cells <= dense_limit:
        mi, m_x, m_y, m_xy = _discrete_mi_dense(x, y, n_x, n_y, logs)
    else:
        mi, m_x, m_y, m_xy = _discrete_mi_sparse(x, y, n_x, n_y, logs)
    if correction == 1:
        mi += (m_x + m_y - m_xy - 1) / (2.0 * n)
    return mi, m_xy == n and m_x > 1 and m_y > 1


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _table_mi_pairs(
    codes, n_levels, bits, bit_row, logs, pairs, dense_limit, bitset_cells, correction,
    out, saturated,
):  # fmt: skip
    """out[t], saturated[t] = ``_table_mi_pair`` of variables pairs[t, 0], pairs[t, 1].

    codes: int64 (n_vars, n); n_levels: int64 (n_vars,); bits: uint64 level bitsets
    (rows, max_levels, words) of the variables with bit_row >= 0.
    """
    no_bits = np.zeros((0, bits.shape[2]), dtype=np.uint64)
    for t in range(pairs.shape[0]):
        a, b = pairs[t, 0], pairs[t, 1]
        bits_a = bits[bit_row[a], : n_levels[a]] if bit_row[a] >= 0 else no_bits
        bits_b = bits[bit_row[b], : n_levels[b]] if bit_row[b] >= 0 else no_bits
        out[t], saturated[t] = _table_mi_pair(
            codes[a], n_levels[a], bits_a, codes[b], n_levels[b], bits_b, logs,
            dense_limit, bitset_cells, correction,
        )  # fmt: skip


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _corrected_mi_pair(x, n_x, y, n_y, correction):
    """(MI in nats, saturated) with a correction code >= 2 of
    ``_corrections.CORRECTION_CODES`` (``_corrected_mi``), counted in the pair's
    canonical orientation like ``_table_mi_pair``."""
    if not _in_order(x, n_x, y, n_y):
        x, n_x, y, n_y = y, n_y, x, n_x
    return _corrected_mi(x, n_x, y, n_y, correction)


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _corrected_mi_pairs(codes, n_levels, pairs, correction, out, saturated):
    """out[t], saturated[t] = ``_corrected_mi_pair`` of pairs[t, 0], pairs[t, 1]."""
    for t in range(pairs.shape[0]):
        a, b = pairs[t, 0], pairs[t, 1]
        out[t], saturated[t] = _corrected_mi_pair(
            codes[a], n_levels[a], codes[b], n_levels[b], correction
        )


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _discrete_cmi(x, y, xy, z, n_x, n_y, n_xy, n_z, logs):
    """Plug-in conditional MI I(X;Y|Z) in nats.

    x, y, z: int64 codes in [0, n_x), [0, n_y), [0, n_z); xy: codes of the pair (x, y)
    in [0, n_xy). Sums n_xyz log(n_xyz n_z / (n_xz n_yz)) / n group by group of z, with
    scratch counts cleared after each group: O(n + n_x + n_y + n_xy + n_z).
    Returns (cmi, m_xz, m_yz, m_xyz, m_z), the non-empty cells of each marginal table.
    """
    n = x.shape[0]
    start, by_z = _counting_sort(z, n_z)
    count_x = np.zeros(n_x, dtype=np.int64)
    count_y = np.zeros(n_y, dtype=np.int64)
    count_xy = np.zeros(n_xy, dtype=np.int64)
    cmi = 0.0
    m_xz = 0
    m_yz = 0
    m_xyz = 0
    m_z = 0
    for c in range(n_z):
        n_c = start[c + 1] - start[c]
        if n_c > 0:
            m_z += 1
        for t in range(start[c], start[c + 1]):
            i = by_z[t]
            count_x[x[i]] += 1
            count_y[y[i]] += 1
            count_xy[xy[i]] += 1
        for t in range(start[c], start[c + 1]):
            i = by_z[t]
            n_abc = count_xy[xy[i]]
            if n_abc > 0:  # first visit of cell (a, b, c)
                m_xyz += 1
                cmi += _mi_term(n_abc, n_c, count_x[x[i]], count_y[y[i]], logs)
                count_xy[xy[i]] = 0
        for t in range(start[c], start[c + 1]):
            i = by_z[t]
            if count_x[x[i]] > 0:
                m_xz += 1
                count_x[x[i]] = 0
            if count_y[y[i]] > 0:
                m_yz += 1
                count_y[y[i]] = 0
    return cmi / n, m_xz, m_yz, m_xyz, m_z
