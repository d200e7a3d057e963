"""Hash-based factorisation: distinct rows of a uint64 matrix -> compact codes."""

import numba as nb
import numpy as np

from .._config import NUMBA_CACHE

_FNV_OFFSET = np.uint64(14695981039346656037)
_FNV_PRIME = np.uint64(1099511628211)
_MIX = np.uint64(0xFF51AFD7ED558CCD)
_SHIFT = np.uint64(33)


@nb.njit(cache=NUMBA_CACHE, nogil=True, inline="always")
def _row_hash(rows, i):
    # FNV-1a over the row's words, then a murmur3-style finaliser so that the low bits
    # used as the table index depend on every bit of the key.
    h = _FNV_OFFSET
    for j in range(rows.shape[1]):
        h = (h ^ rows[i, j]) * _FNV_PRIME
    h ^= h >> _SHIFT
    h *= _MIX
    h ^= h >> _SHIFT
    return h


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _factorize_rows(rows):
    """Codes of the distinct rows of ``rows`` (uint64[n, w], C-contiguous).

    Codes are in [0, n_levels), numbered in order of first appearance, every level
    present. Open addressing with linear probing in a table of >= 2n slots; rows that
    share a slot are compared word by word, so collisions never merge labels.
    Returns (codes int64[n], n_levels). O(n w) expected time.
    """
    n = rows.shape[0]
    size = 1
    while size < 2 * n:
        size *= 2
    mask = np.uint64(size - 1)
    slot_row = np.full(size, -1, dtype=np.int64)  # first row seen in each slot
    slot_code = np.zeros(size, dtype=np.int64)
    codes = np.empty(n, dtype=np.int64)
    n_levels = 0
    for i in range(n):
        s = np.int64(_row_hash(rows, i) & mask)
        while True:
            r = slot_row[s]
            if r < 0:
                slot_row[s] = i
                slot_code[s] = n_levels
                codes[i] = n_levels
                n_levels += 1
                break
            same = True
            for j in range(rows.shape[1]):
                if rows[r, j] != rows[i, j]:
                    same = False
                    break
            if same:
                codes[i] = slot_code[s]
                break
            s = (s + 1) & (size - 1)
    return codes, n_levels
