"""Limits of the CUDA backend's kernels that the host checks before any work.

Imports no numba.cuda, so that ``fastmi.plan(..., backend="cuda")`` and the checks
of a job (fastmi.cuda._parts.check_job) stay cheap and work without a GPU; the
kernels (fastmi.kernels._cuda_knn) size their arrays from the same constants.
"""

from __future__ import annotations

from .._validation import InvalidParameterError

#: The largest k the device's kNN search takes: its k best neighbours sit in
#: fixed-size per-thread arrays (2 x 8 bytes x MAX_K of local memory per thread).
MAX_K = 32


def check_k(k: int) -> None:
    """Refuse a k that the device search cannot hold (MAX_K)."""
    if k > MAX_K:
        raise InvalidParameterError(
            f"k={k} is above {MAX_K}, the most neighbours the CUDA backend's kNN "
            f"search keeps per sample; use k <= {MAX_K} or backend='threads'."
        )
