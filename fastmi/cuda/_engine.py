"""The CUDA backend's run: the job's parts on the device once, then its tiles.

The job was prepared on the host exactly as for the thread backend; each CPU part
becomes a device part (fastmi.cuda._parts), and the tiles run through the engine's
own ``compute_tile``, which calls a part per estimator and finishes the block, so
the output (memory or disk), the flags and the progress bar work as for threads.
"""

from __future__ import annotations

from dataclasses import replace

from ..pairwise._job import compute_tile, merge_flags
from ._device import require
from ._parts import to_device


def run_cuda(job, pending: list[int], output, bar, flags: dict, work: dict) -> None:
    """Compute the pending tiles on the GPU; write each as soon as it is done, merge
    the pairs its estimators flagged into ``flags``, advance the bar."""
    require()
    parts = {name: to_device(name, part) for name, part in job.parts.items()}
    device_job = replace(job, parts=parts)
    for tile in pending:  # each part's launches are quiet (_device.quiet_launches)
        block, tile_flags = compute_tile(device_job, tile)
        output.write(job.tiling, tile, block)
        merge_flags(flags, tile_flags)
        if bar is not None:
            bar.update(work[tile])
