"""The device part of the Gaussian-copula estimator (``gcmi``).

Made once per job from the CPU's ``GcmiPart`` (fastmi.estimators.gcmi): its unit rows
of normal scores copied to the device once. A call computes the correlations of the
tile's distinct rows and columns as one matrix product on the device
(fastmi.kernels._cuda_gcmi, the CPU's summation order), picks its pairs from it, and
finishes them on the host with the CPU part's own ``mi_of_correlation``, so the
values equal the CPU part's bit for bit.
"""

from __future__ import annotations

import numpy as np

from ..estimators.gcmi import mi_of_correlation
from ._device import cuda_module


class DeviceGcmiPart:
    """A GcmiPart's unit rows on the device; ``part(a, b, out)`` as the CPU part."""

    def __init__(self, part):
        from ..kernels import _cuda_gcmi as kernels

        self.cuda = cuda_module()
        self.kernels = kernels
        self.row, self.n, self.correct = part.row, part.n, part.correct
        units = np.ascontiguousarray(part.units, dtype=np.float64)
        self.units = self.cuda.to_device(units)
        self.nbytes = int(units.nbytes)

    def __call__(self, a, b, out) -> np.ndarray:
        """MI of the pairs (a, b) into ``out``; returns which are infinite."""
        ra, rb = self.row[a], self.row[b]
        both = (ra >= 0) & (rb >= 0)  # -1: a constant variable, MI 0
        out[:] = 0.0
        if both.any():
            rows, at_row = np.unique(ra[both], return_inverse=True)
            cols, at_col = np.unique(rb[both], return_inverse=True)
            block = self.correlations(rows, cols)
            out[both] = mi_of_correlation(block[at_row, at_col], self.n, self.correct)
        return np.isinf(out)

    def correlations(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """(len(rows), len(cols)) correlations of unit rows, computed on the device."""
        cuda, k = self.cuda, self.kernels
        out = cuda.device_array((rows.size, cols.size), dtype=np.float64)
        grid = (-(-cols.size // k.TILE), -(-rows.size // k.TILE))
        k._correlation_block[grid, (k.TILE, k.TILE)](
            self.units, cuda.to_device(rows.astype(np.int64)),
            cuda.to_device(cols.astype(np.int64)), np.float64(-0.0), out,
        )  # fmt: skip
        return out.copy_to_host()
