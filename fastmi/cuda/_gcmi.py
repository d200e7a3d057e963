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
from ._device import cuda_module, quiet_launches

#: CUDA's limit on grid axis y, which numbers the blocks of rows of a launch.
MAX_GRID_Y = 65535


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
        #: Device buffers of the tiles (row and column indices, the block of
        #: correlations), kept from tile to tile
        self.buffers = {}

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
        """(len(rows), len(cols)) correlations of unit rows, computed on the device:
        the rows in chunks of at most MAX_GRID_Y blocks (grid axis y), the columns
        along axis x (up to 2**31 - 1 blocks)."""
        k = self.kernels
        n_rows, n_cols = rows.size, cols.size
        rows_d = self._buffer("rows", n_rows, np.int64)
        cols_d = self._buffer("cols", n_cols, np.int64)
        rows_d.copy_to_device(rows.astype(np.int64))
        cols_d.copy_to_device(cols.astype(np.int64))
        out = self._buffer("out", n_rows * n_cols, np.float64).reshape(n_rows, n_cols)
        step = MAX_GRID_Y * k.TILE
        with quiet_launches():
            for start in range(0, n_rows, step):
                stop = min(start + step, n_rows)
                grid = (-(-n_cols // k.TILE), -(-(stop - start) // k.TILE))
                k._correlation_block[grid, (k.TILE, k.TILE)](
                    self.units, rows_d[start:stop], cols_d, np.float64(-0.0),
                    out[start:stop],
                )  # fmt: skip
        return out.copy_to_host()

    def _buffer(self, name: str, size: int, dtype):
        """The first ``size`` elements of the part's device buffer ``name``, made on
        first use and remade only when a tile needs more (tiles of a job are alike)."""
        held = self.buffers.get(name)
        if held is None or held.shape[0] < size:
            self.buffers.pop(name, None)  # the old one goes before the new one is made
            held = self.buffers[name] = self.cuda.device_array(max(size, 1), dtype=dtype)
        return held[:size]
