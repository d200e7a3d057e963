"""Fixtures the bench files share."""

import numba
import pytest


@pytest.fixture
def numba_threads():
    """Set Numba's thread count for one benchmark, ``numba_threads(2)``; the count it had
    before is restored afterwards. Asks for no more threads than Numba started with
    (NUMBA_NUM_THREADS), so two threads on a one-core machine run on one."""
    previous = numba.get_num_threads()

    def set_threads(n: int) -> None:
        numba.set_num_threads(min(n, numba.config.NUMBA_NUM_THREADS))

    yield set_threads
    numba.set_num_threads(previous)
