"""CUDA kernels of the plug-in table estimators (``discrete``, ``hist``): a pair's
contingency table counted on the device, then its MI summed in the CPU kernel's order.

The CPU pair function (``_discrete._table_mi_pair``) orients a pair canonically, counts
its table densely (or by bitsets: the same table) while it has at most ``dense_limit``
cells, sparsely otherwise, and sums ``_mi_term`` over the cells: row-major for a
dense table, group by group of x in order of first appearance for a sparse one. These
kernels count the same integer table (atomics on integers are exact, so their order
does not matter) and sum the same terms in the same order, one thread per sum, so
each value equals the CPU's bit for bit. The marginal counts are the variables'
level counts, prepared once on the host (``fastmi.cuda._tables``).

Three kernels, one per table size, each a grid-stride loop over a batch of pairs:

- ``_table_mi_shared``: one block per pair, the table in shared memory
  (``SHARED_TABLE_CELLS`` int32 cells), counted by the block's threads;
- ``_table_mi_global``: the same with the table in a row of global scratch per block,
  for tables up to ``dense_limit`` cells;
- ``_table_mi_sparse``: one thread per pair with a scratch row of n_y counts, the
  CPU's grouped count, for tables beyond ``dense_limit`` cells.

Products that are summed go through ``cuda.fma(p, q, negative_zero)``: a fused
multiply-add with -0.0 rounds the product once, as the CPU does, and since
``negative_zero`` is a kernel argument the compiler can neither fold it back into a
multiplication nor fuse the product into the following addition (CUDA contracts
``s + p * q`` into one fma by default, which rounds differently).

Imported only by fastmi.cuda, never by ``import fastmi``; nothing compiles at import.
"""

import numpy as np
from numba import config, cuda, int32

from .._config import NUMBA_CACHE

#: Threads per block: a warp multiple on a GPU; few under the simulator, which runs
#: every thread as a Python thread.
THREADS_PER_BLOCK = 8 if config.ENABLE_CUDASIM else 128
#: Cells of a table counted in shared memory (16 KiB of int32 counts).
SHARED_TABLE_CELLS = 4096
#: Threads that share one copy of a small table (a warp on a GPU): a table of few
#: cells is counted in as many copies as fit in SHARED_TABLE_CELLS, one per group of
#: threads, so that fewer atomics collide on a cell; the copies are added when the
#: table is read (integers: exact, in any order).
THREADS_PER_COPY = 4 if config.ENABLE_CUDASIM else 32


@cuda.jit(device=True)
def _in_order(codes, n_levels, x, y):
    """Whether variable x comes first in its pair with y: ``_discrete._in_order``."""
    if n_levels[x] != n_levels[y]:
        return n_levels[x] < n_levels[y]
    for i in range(codes.shape[1]):
        if codes[x, i] != codes[y, i]:
            return codes[x, i] < codes[y, i]
    return True


@cuda.jit(device=True)
def _mi_term(n_ab, n, n_a, n_b, logs, negative_zero):
    """``_discrete._mi_term``: n_ab (log p(b|a) - log p(b)), the product rounded once."""
    if n_ab * n == n_a * n_b:
        return 0.0
    return cuda.fma(float(n_ab), (logs[n_ab] - logs[n_a]) - (logs[n_b] - logs[n]), negative_zero)


@cuda.jit(device=True)
def _store(total, m_x, m_y, m_xy, n, correction, t, out, saturated):
    """The end of ``_discrete._table_mi_pair``: mean, Miller-Madow, saturation."""
    mi = total / n
    if correction == 1:
        mi += (m_x + m_y - m_xy - 1) / (2.0 * n)
    out[t] = mi
    saturated[t] = m_xy == n and m_x > 1 and m_y > 1


@cuda.jit(device=True)
def _dense_pair(
    table, codes, n_levels, level_counts, level_offset, nonzero, logs, x, y, t,
    correction, negative_zero, out, saturated,
):  # fmt: skip
    """One pair by one block: zero the table (in as many copies as fit, one per group
    of THREADS_PER_COPY threads), count it with integer atomics, then thread 0 sums
    it row-major (``_discrete._mi_from_table``)."""
    if not _in_order(codes, n_levels, x, y):
        x, y = y, x
    n = codes.shape[1]
    n_x, n_y = n_levels[x], n_levels[y]
    cells = n_x * n_y
    tid, step = cuda.threadIdx.x, cuda.blockDim.x
    # copies = max(1, min(groups, table cells // cells)), without min() and max():
    # the CUDA target of numba 0.68 fails to type them on two integers.
    copies = (step + THREADS_PER_COPY - 1) // THREADS_PER_COPY
    if table.shape[0] // cells < copies:
        copies = table.shape[0] // cells
    if copies < 1:
        copies = 1
    mine = (tid // THREADS_PER_COPY) % copies * cells
    for c in range(tid, copies * cells, step):
        table[c] = 0
    cuda.syncthreads()
    for i in range(tid, n, step):
        cuda.atomic.add(table, mine + codes[x, i] * n_y + codes[y, i], 1)
    cuda.syncthreads()
    if tid == 0:
        ox, oy = level_offset[x], level_offset[y]
        total = 0.0
        m_xy = 0
        for a in range(n_x):
            n_a = level_counts[ox + a]
            for b in range(n_y):
                n_ab = np.int64(0)
                for copy in range(copies):
                    n_ab += table[copy * cells + a * n_y + b]
                if n_ab > 0:
                    m_xy += 1
                    total += _mi_term(n_ab, n, n_a, level_counts[oy + b], logs, negative_zero)
        _store(total, nonzero[x], nonzero[y], m_xy, n, correction, t, out, saturated)
    cuda.syncthreads()  # the table is free for the block's next pair


@cuda.jit(cache=NUMBA_CACHE)
def _table_mi_shared(
    codes, n_levels, level_counts, level_offset, nonzero, logs, pairs, correction,
    negative_zero, out, saturated,
):  # fmt: skip
    """out[t], saturated[t]: the plug-in MI of variables pairs[t, 0], pairs[t, 1]
    (rows of codes, int32 (n_vars, n)), tables of at most SHARED_TABLE_CELLS cells.
    level_counts[level_offset[v] + a]: samples of v at level a (int64); nonzero[v]:
    its non-empty levels; logs: fastmi._logs.log_table(n)."""
    table = cuda.shared.array(SHARED_TABLE_CELLS, int32)
    for t in range(cuda.blockIdx.x, pairs.shape[0], cuda.gridDim.x):
        _dense_pair(
            table, codes, n_levels, level_counts, level_offset, nonzero, logs,
            pairs[t, 0], pairs[t, 1], t, correction, negative_zero, out, saturated,
        )  # fmt: skip


@cuda.jit(cache=NUMBA_CACHE)
def _table_mi_global(
    codes, n_levels, level_counts, level_offset, nonzero, logs, pairs, correction,
    negative_zero, scratch, out, saturated,
):  # fmt: skip
    """``_table_mi_shared`` for larger tables, each block counting in its own row of
    scratch (int32 (blocks, at least the largest table's cells))."""
    table = scratch[cuda.blockIdx.x]
    for t in range(cuda.blockIdx.x, pairs.shape[0], cuda.gridDim.x):
        _dense_pair(
            table, codes, n_levels, level_counts, level_offset, nonzero, logs,
            pairs[t, 0], pairs[t, 1], t, correction, negative_zero, out, saturated,
        )  # fmt: skip


@cuda.jit(cache=NUMBA_CACHE)
def _table_mi_sparse(
    codes, n_levels, level_counts, level_offset, nonzero, logs, members, member_row,
    pairs, correction, negative_zero, scratch, out, saturated,
):  # fmt: skip
    """``_discrete._discrete_mi_sparse`` for tables beyond the dense limit, one thread
    per pair: the samples of x grouped by level (members[member_row[x]]: a stable
    argsort of its codes, int32), each group's y counts in the thread's scratch row.
    scratch: int32 (rows, at least the largest n_y), zero on entry and zero on exit
    (every count a group raises is cleared when the group's cells are summed), so
    that it serves launch after launch. A thread per scratch row, striding over the
    pairs by rows; threads beyond the rows (the last block's) do nothing."""
    thread = cuda.grid(1)
    rows = scratch.shape[0]
    if thread >= rows:
        return
    counts = scratch[thread]
    n = codes.shape[1]
    for t in range(thread, pairs.shape[0], rows):
        x, y = pairs[t, 0], pairs[t, 1]
        if not _in_order(codes, n_levels, x, y):
            x, y = y, x
        order = members[member_row[x]]
        ox, oy = level_offset[x], level_offset[y]
        total = 0.0
        m_xy = 0
        start = 0
        for a in range(n_levels[x]):
            n_a = level_counts[ox + a]
            for q in range(start, start + n_a):
                counts[codes[y, order[q]]] += 1
            for q in range(start, start + n_a):
                b = codes[y, order[q]]
                n_ab = np.int64(counts[b])
                if n_ab > 0:  # first visit of cell (a, b): add it, then clear it
                    m_xy += 1
                    total += _mi_term(n_ab, n, n_a, level_counts[oy + b], logs, negative_zero)
                    counts[b] = 0
            start += n_a
        _store(total, nonzero[x], nonzero[y], m_xy, n, correction, t, out, saturated)


@cuda.jit(cache=NUMBA_CACHE)
def _zero(scratch):
    """scratch[:] = 0 (int32, 1-D) on the device, a grid-stride loop."""
    for c in range(cuda.grid(1), scratch.shape[0], cuda.gridsize(1)):
        scratch[c] = 0
