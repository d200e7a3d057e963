"""Whether a CUDA device can run the backend, and how much memory it has.

numba.cuda is imported inside these functions, never at module import: importing it
costs time and, without a GPU, only says that there is none. Under
``NUMBA_ENABLE_CUDASIM=1`` numba.cuda is Numba's simulator, which runs kernels in
Python (the tests use it; it reports infinite memory, which reads as unknown here).
"""

from __future__ import annotations

import math
import warnings
from contextlib import contextmanager

from .._validation import InvalidParameterError

INSTALL_HINT = "backend='cuda' needs an NVIDIA GPU and numba-cuda: pip install 'fastmi[cuda]'."


def cuda_module():
    """numba.cuda, or an ImportError that says how to get it."""
    try:
        from numba import cuda
    except ImportError as error:  # a Numba without its CUDA target
        raise ImportError(f"{INSTALL_HINT} ({error})") from None
    return cuda


def available() -> bool:
    """Whether numba.cuda imports and finds a usable device (or the simulator)."""
    try:
        return bool(cuda_module().is_available())
    except Exception:  # no driver, no toolkit: no device for us
        return False


def require() -> None:
    """Raise a clear error unless a device is available."""
    if not available():
        raise InvalidParameterError(
            f"{INSTALL_HINT} No usable CUDA device was found (numba.cuda.is_available() "
            f"is False); use backend='threads' on this machine."
        )


def simulated() -> bool:
    """Whether numba.cuda is the simulator (NUMBA_ENABLE_CUDASIM=1)."""
    from numba import config

    return bool(config.ENABLE_CUDASIM)


def free_memory() -> int | None:
    """Free bytes on the current device, or None when unknown (the simulator)."""
    free, _ = cuda_module().current_context().get_memory_info()
    return int(free) if math.isfinite(free) else None


@contextmanager
def quiet_launches():
    """numba-cuda warns at every launch of fewer than 128 blocks (low occupancy): a
    small tile, or the last one of a job, is such a launch by design, and the warning
    would say nothing a user can act on (with -W error it would even stop the run)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Grid size \d+ will likely result in GPU")
        yield
