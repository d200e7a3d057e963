"""The CUDA backend (``backend="cuda"``): the tiles of a matrix job on an NVIDIA GPU.

Nothing here is imported by ``import fastmi``: the pairwise engine imports this
package only when ``backend="cuda"`` is asked for, and numba.cuda only when the job
runs (``_device``). The job is prepared exactly as for the CPU (one tile part per
estimator, fastmi.pairwise._job); ``_parts.to_device`` turns each CPU part into a
device part, which copies its arrays to the GPU once and answers the same call,
``part(a, b, out) -> flagged mask or None``, with the same values.
"""
