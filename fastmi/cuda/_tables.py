"""The device part of the table estimators (``discrete``, ``hist``).

Made once per job from the CPU's ``TablePart`` (fastmi.estimators.discrete): the
codes as int32, each variable's level counts and non-empty levels (the marginals of
every table it is in), and, for variables with many levels, their samples grouped by
level (the sparse count's order), all copied to the device once. A call splits its
pairs by table size and runs the kernel of each size (fastmi.kernels._cuda_tables);
the values equal the CPU part's bit for bit.
"""

from __future__ import annotations

import numpy as np

from .._validation import InvalidParameterError
from ..kernels._corrections import CORRECTION_CODES
from ._device import cuda_module, quiet_launches

#: Device-supported correction codes: the plug-in estimate and Miller-Madow.
TABLE_CORRECTIONS = (None, "miller-madow")
#: Blocks of the dense kernels: enough to fill a GPU.
MAX_BLOCKS = 4096
#: Tables of at most this many cells (and at most the shared kernel's array,
#: kernels.SHARED_TABLE_CELLS, fixed when it compiles) are counted in shared memory;
#: tests lower it to send small tables through global scratch.
SHARED_LIMIT = 2**62
#: Device scratch of a part, at most: one int32 buffer, held for the job and grown
#: as launches need, that holds a table per block of the global-scratch kernel or
#: n_y counts per thread of the sparse one; the budget sets how many blocks or
#: threads run when tables are large (the plan counts this much, _parts).
SCRATCH_BYTES = 64 * 2**20


class DeviceTablePart:
    """A TablePart's variables on the device; ``part(a, b, out)`` as the CPU part."""

    def __init__(self, part):
        from ..kernels import _cuda_tables as kernels

        if part.correction not in (CORRECTION_CODES[c] for c in TABLE_CORRECTIONS):
            raise InvalidParameterError(_correction_message(part.correction))
        cuda = cuda_module()
        self.kernels = kernels
        self.row = part.row
        self.n_levels = part.n_levels
        self.correction = int(part.correction)
        self.dense_limit = int(part.dense_limit)
        counts = [np.bincount(codes, minlength=m) for codes, m in zip(part.codes, part.n_levels)]
        offset = np.zeros(len(counts) + 1, dtype=np.int64)
        offset[1:] = np.cumsum(part.n_levels)
        level_counts = np.concatenate(counts) if counts else np.zeros(0, dtype=np.int64)
        nonzero = np.array([np.count_nonzero(c) for c in counts], dtype=np.int64)
        # Variables that can be in a table beyond the dense limit: their samples
        # grouped by level, in increasing order within a level (a stable sort, as
        # _counting_sort), which is the order the sparse count visits cells in.
        widest = int(part.n_levels.max(initial=1))
        self.member_row = np.full(len(counts), -1, dtype=np.int64)
        grouped = np.flatnonzero(part.n_levels * widest > self.dense_limit)
        self.member_row[grouped] = np.arange(grouped.size)
        members = np.zeros((max(grouped.size, 1), part.codes.shape[1]), dtype=np.int32)
        for position, v in enumerate(grouped):
            members[position] = np.argsort(part.codes[v], kind="stable")
        arrays = {
            "codes": part.codes.astype(np.int32),
            "n_levels": part.n_levels.astype(np.int64),
            "level_counts": level_counts.astype(np.int64),
            "level_offset": offset,
            "nonzero": nonzero,
            "logs": np.array(part.logs, dtype=np.float64),
            "members": members,
            "member_row": self.member_row,
        }
        self.device = {name: cuda.to_device(np.ascontiguousarray(a)) for name, a in arrays.items()}
        self.nbytes = sum(int(a.nbytes) for a in arrays.values())
        self.cuda = cuda
        #: The scratch buffer (int32, flat; None until a launch needs one) and how
        #: many of its first cells may be nonzero (the global kernel leaves its
        #: tables counted; the sparse one needs zeros and leaves zeros).
        self.scratch = None
        self.dirty = 0

    def __call__(self, a, b, out) -> np.ndarray:
        """MI of the pairs (a, b) into ``out``; returns which are saturated."""
        ra, rb = self.row[a], self.row[b]
        cells = self.n_levels[ra] * self.n_levels[rb]
        saturated = np.zeros(len(out), dtype=bool)
        shared = cells <= min(SHARED_LIMIT, self.kernels.SHARED_TABLE_CELLS)
        dense = ~shared & (cells <= self.dense_limit)
        sparse = cells > self.dense_limit
        for strategy, members in (("shared", shared), ("global", dense), ("sparse", sparse)):
            if members.any():
                pairs = np.column_stack([ra[members], rb[members]])
                values, flags = self._launch(strategy, pairs, int(cells[members].max()))
                out[members], saturated[members] = values, flags
        return saturated

    def _launch(self, strategy: str, pairs: np.ndarray, max_cells: int):
        """Values and saturation flags of ``pairs`` (rows of this part) by one kernel."""
        cuda, d, k = self.cuda, self.device, self.kernels
        n_pairs = pairs.shape[0]
        pairs_d = cuda.to_device(np.ascontiguousarray(pairs, dtype=np.int64))
        out_d = cuda.device_array(n_pairs, dtype=np.float64)
        flags_d = cuda.device_array(n_pairs, dtype=np.bool_)
        tables = (d["codes"], d["n_levels"], d["level_counts"], d["level_offset"], d["nonzero"])
        tables += (d["logs"],)
        # -0.0 as an argument: see fastmi.kernels._cuda_tables on cuda.fma
        options = (np.int64(self.correction), np.float64(-0.0))
        threads = k.THREADS_PER_BLOCK
        with quiet_launches():
            if strategy == "shared":
                blocks = min(n_pairs, MAX_BLOCKS)
                k._table_mi_shared[blocks, threads](*tables, pairs_d, *options, out_d, flags_d)
            elif strategy == "global":  # a table per block, counted from zero by it
                blocks = max(1, min(n_pairs, MAX_BLOCKS, SCRATCH_BYTES // (4 * max_cells)))
                scratch = self._scratch(blocks * max_cells, zero=False)
                scratch = scratch.reshape(blocks, max_cells)
                k._table_mi_global[blocks, threads](
                    *tables, pairs_d, *options, scratch, out_d, flags_d
                )
                self.dirty = max(self.dirty, blocks * max_cells)
            else:  # a thread per scratch row of n_y counts, zero on entry and exit
                widest = int(self.n_levels[pairs].max())
                rows = max(1, min(n_pairs, SCRATCH_BYTES // (4 * widest)))
                scratch = self._scratch(rows * widest, zero=True).reshape(rows, widest)
                k._table_mi_sparse[-(-rows // threads), threads](
                    *tables, d["members"], d["member_row"], pairs_d, *options, scratch,
                    out_d, flags_d,
                )  # fmt: skip
        return out_d.copy_to_host(), flags_d.copy_to_host()

    def _scratch(self, cells: int, zero: bool):
        """The first ``cells`` cells of the part's scratch buffer (allocated once,
        reallocated only when a launch needs more), zeroed on the device first if
        ``zero`` and a global-scratch launch left counts in them."""
        if self.scratch is None or self.scratch.shape[0] < cells:
            self.scratch = None  # the old buffer goes before the new one is made
            self.scratch = self.cuda.device_array(cells, dtype=np.int32)
            self.dirty = cells
        if zero and self.dirty:
            threads = self.kernels.THREADS_PER_BLOCK
            blocks = min(-(-self.dirty // threads), MAX_BLOCKS)
            self.kernels._zero[blocks, threads](self.scratch[: self.dirty])
            self.dirty = 0
        return self.scratch[:cells]


def _correction_message(code: int) -> str:
    name = next(c for c, value in CORRECTION_CODES.items() if value == code)
    return (
        f"backend='cuda' computes the table estimators with correction=None or "
        f"'miller-madow'; got correction={name!r}. Use backend='threads' for it."
    )


def check_correction(correction) -> None:
    """Refuse, before any work, a correction the device kernels do not compute."""
    if correction not in TABLE_CORRECTIONS:
        raise InvalidParameterError(_correction_message(CORRECTION_CODES[correction]))
