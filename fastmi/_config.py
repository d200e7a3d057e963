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

#: Contingency tables of up to this many cells are counted densely; larger ones are
#: counted by the grouped sparse kernel, whose memory is O(n + levels).
#: Source: bench/bench_discrete.py::test_count_strategy.
DENSE_TABLE_MAX_CELLS = 1 << 16

#: Integer labels spanning at most ``max(SMALL_RANGE_MIN, SMALL_RANGE_FACTOR * n)`` values
#: are coded with a lookup table in O(n + range); wider ones are sorted (np.unique).
SMALL_RANGE_MIN = 1 << 16
SMALL_RANGE_FACTOR = 4
