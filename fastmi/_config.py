"""Environment-driven defaults and benchmarked size thresholds.

Thresholds choose a kernel *strategy*, never an estimator: every strategy gives the
same answer to rounding (DESIGN.md, semantics 1), which the tests check for each one.
"""

import os


def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() not in {"0", "false", "no", "off"}


#: Numba on-disk caching of compiled kernels (``FASTMI_NUMBA_CACHE=0`` turns it off).
NUMBA_CACHE = _env_flag("FASTMI_NUMBA_CACHE", True)

#: A contingency table is counted densely when it has at most
#: ``min(DENSE_TABLE_MAX_CELLS, max(DENSE_TABLE_MIN_CELLS, DENSE_TABLE_CELLS_PER_SAMPLE * n))``
#: cells, and by the grouped sparse kernel (memory O(n + levels)) otherwise. Dense wins
#: while cells <~ n: zeroing and scanning the table then costs less than the sparse
#: kernel's counting sort (bench/bench_discrete.py::test_count_strategy).
DENSE_TABLE_MIN_CELLS = 4096
DENSE_TABLE_CELLS_PER_SAMPLE = 2
DENSE_TABLE_MAX_CELLS = 1 << 22  # 32 MiB of int64 counts

#: The pairwise engine counts a pair of variables with level bitsets (popcounts of ANDs,
#: n_x n_y / 64 operations per sample) instead of increments (one per sample) while
#: both have at most this many levels and their table at most BITSET_MAX_CELLS cells
#: (bench/bench_pairwise.py::test_pairwise_discrete: bitsets against the bare counting
#: loop at 2, 8 and 16 levels).
BITSET_MAX_LEVELS = 16
BITSET_MAX_CELLS = 256

#: Integer labels spanning at most ``max(SMALL_RANGE_MIN, SMALL_RANGE_FACTOR * n)`` values
#: are coded with a lookup table in O(n + range); wider ones are sorted (np.unique).
SMALL_RANGE_MIN = 1 << 16
SMALL_RANGE_FACTOR = 4

#: KSG neighbour search: brute force up to this many samples, a grid above
#: (bench/bench_ksg.py::test_ksg_strategy).
KSG_BRUTE_FORCE_MAX_N = 32
#: Mean samples per grid cell (bench/bench_ksg.py::test_ksg_strategy).
KSG_GRID_OCCUPANCY = 2
#: One pair with at least this many samples is split over threads by query point.
KSG_PARALLEL_MIN_N = 100_000
#: ... and from this many when searched with KD-trees (several dimensions, heavy ties),
#: whose queries cost ~10x more.
KSG_TREE_PARALLEL_MIN_N = 10_000
