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
    """Free bytes on the current device, or None when unknown (the simulator).

    Numba frees device arrays lazily: a dropped array (the previous permutation's
    matrix of a ``pairwise_test``, say) waits in the context's pending deallocations
    and still counts as used. They are freed first, so the figure is what a job can
    really get."""
    context = cuda_module().current_context()
    pending = getattr(context, "deallocations", None)  # absent in the simulator
    if pending is not None and hasattr(pending, "clear"):
        pending.clear()
    free, _ = context.get_memory_info()
    return int(free) if math.isfinite(free) else None


@contextmanager
def quiet_launches():
    """numba-cuda warns at every launch of fewer than 128 blocks (low occupancy): a
    small tile, the last batch of a job or a launch of few pairs is such a launch by
    design, and the warning would say nothing a user can act on (with -W error, as
    in the test suite, it would even stop the run). Every part's launch code runs
    inside this, so the parts are quiet when called directly, too."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Grid size \d+ will likely result in GPU")
        yield
