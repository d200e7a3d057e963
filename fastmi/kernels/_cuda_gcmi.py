"""CUDA kernel of the Gaussian-copula estimator (``gcmi``, Ince et al. 2017): the
correlations of a tile's rows and columns as one tiled matrix product of unit rows.

The CPU pair function (``_gaussian._correlation``) is a fixed-order dot product:
eight interleaved partial sums over the samples up to n - n % 8, those eight added in
order, then the last n % 8 products one by one, and exactly +-1 for identical or
negated rows. ``_correlation_block`` keeps that order: each thread owns one output
cell and its eight partial sums, and the block walks the samples in chunks of
``CHUNK`` (a multiple of 8, so a sample's lane is its index mod 8) staged in shared
memory; the products go through ``cuda.fma(p, q, negative_zero)`` so that each is
rounded once and never fused into the sum (fastmi.kernels._cuda_tables says why).
The result equals the CPU's bit for bit.

Imported only by fastmi.cuda, never by ``import fastmi``; nothing compiles at import.
"""

from numba import config, cuda, float64

from .._config import NUMBA_CACHE

#: Side of a block's output tile (TILE x TILE threads); small under the simulator.
TILE = 4 if config.ENABLE_CUDASIM else 16
#: Samples staged in shared memory per step: a multiple of the CPU's 8 lanes.
CHUNK = 8 if config.ENABLE_CUDASIM else 32
LANES = 8
#: Row length of the staged column tile: CHUNK plus one pad (no bank conflicts).
PADDED_CHUNK = CHUNK + 1


@cuda.jit(cache=NUMBA_CACHE)
def _correlation_block(units, rows, cols, negative_zero, out):
    """out[i, j] = ``_gaussian._correlation`` of units[rows[i]] and units[cols[j]].

    units: float64 (n_vars, n), rows centred to unit norm; rows, cols: int64 indices.
    Launch with blocks of (TILE, TILE) threads over a grid of
    (ceil(len(cols) / TILE), ceil(len(rows) / TILE)); the caller splits the rows into
    launches of at most 65,535 blocks along y, CUDA's limit.

    The staged column tile is padded to CHUNK + 1 samples a row: threads of a warp
    read it at one sample of different columns, which a row stride of CHUNK doubles
    would put in one shared-memory bank. The eight partial sums are indexed by
    constants only (an unrolled loop of LANES), so they stay in registers; the n % 8
    tail products are added to the total as they come, after the partial sums are
    folded into it, the CPU's order.
    """
    row_tile = cuda.shared.array((TILE, CHUNK), float64)
    col_tile = cuda.shared.array((TILE, PADDED_CHUNK), float64)
    lanes = cuda.local.array(LANES, float64)
    tx, ty = cuda.threadIdx.x, cuda.threadIdx.y
    i = cuda.blockIdx.y * TILE + ty
    j = cuda.blockIdx.x * TILE + tx
    load_row = cuda.blockIdx.y * TILE + ty  # the rows and columns this thread stages
    load_col = cuda.blockIdx.x * TILE + ty
    n = units.shape[1]
    stop = n - n % LANES
    for lane in range(LANES):
        lanes[lane] = 0.0
    total = 0.0
    for k0 in range(0, n, CHUNK):
        for kk in range(tx, CHUNK, TILE):
            k = k0 + kk
            inside = k < n
            row_tile[ty, kk] = (
                units[rows[load_row], k] if inside and load_row < rows.shape[0] else 0.0
            )
            col_tile[ty, kk] = (
                units[cols[load_col], k] if inside and load_col < cols.shape[0] else 0.0
            )
        cuda.syncthreads()
        if i < rows.shape[0] and j < cols.shape[0]:
            for kk0 in range(0, CHUNK, LANES):
                for lane in range(LANES):  # unrolled: lanes[lane] is a register
                    kk = kk0 + lane
                    k = k0 + kk
                    product = cuda.fma(row_tile[ty, kk], col_tile[tx, kk], negative_zero)
                    if k < stop:
                        lanes[lane] += product
                    elif k < n:
                        if k == stop:  # the first tail product: fold the lanes first
                            total = _folded(lanes)
                        total += product
        cuda.syncthreads()
    if i < rows.shape[0] and j < cols.shape[0]:
        if stop == n:  # no tail
            total = _folded(lanes)
        out[i, j] = _exact_unit(units, rows[i], cols[j], total)


@cuda.jit(device=True)
def _folded(lanes):
    """The partial sums added in order, from 0.0, as ``_gaussian._dot``."""
    total = 0.0
    for lane in range(LANES):
        total += lanes[lane]
    return total


@cuda.jit(device=True)
def _exact_unit(units, x, y, r):
    """``_gaussian._correlation``'s last step: exactly +-1 for equal or negated rows."""
    if abs(r) < 1.0 - 1e-6:
        return r
    same = True
    negated = True
    for q in range(units.shape[1]):
        same = same and units[x, q] == units[y, q]
        negated = negated and units[x, q] == -units[y, q]
        if not (same or negated):
            return r
    return 1.0 if same else -1.0
