"""Tiles: square blocks of the output matrix, the unit of work of every backend.

A tile is identified by its block row and column, so the same job cut with the same
tile size gives the same tiles on any backend and any thread count: that is what lets
a resumed run skip the tiles an earlier run finished, and what makes the Dask backend
equal the thread backend bit for bit. A symmetric matrix has tiles on and above the
block diagonal only; each also fills its mirror image.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

#: A job is cut into at least this many tiles when it is big enough: enough for a
#: smooth progress bar, fine-grained resumption and load balance across workers.
TILES_PER_JOB = 64
#: ... but a full tile holds at least this many pairs, so that a tile keeps the
#: threads of its parallel driver busy.
MIN_PAIRS_PER_TILE = 256
#: Tile sides are powers of two up to this (a 1024 x 1024 float64 tile is 8 MiB).
MAX_TILE_SIZE = 1024


@dataclass(frozen=True)
class Tiling:
    """The tiles of a (rows x cols) matrix of pairs: blocks of side ``size``.

    ``square``: the symmetric matrix of one set of variables; only tiles with
    block row <= block column are computed. Otherwise a cross matrix whose column j
    is variable ``rows + j`` of the job.
    """

    rows: int
    cols: int
    square: bool
    size: int

    @property
    def blocks(self) -> tuple[int, int]:
        return math.ceil(self.rows / self.size), math.ceil(self.cols / self.size)

    def tiles(self) -> list[int]:
        """Tile ids in computing order: block row by block row."""
        block_rows, block_cols = self.blocks
        return [
            i * block_cols + j
            for i in range(block_rows)
            for j in range(i if self.square else 0, block_cols)
        ]

    def bounds(self, tile: int) -> tuple[int, int, int, int]:
        """(row start, row stop, column start, column stop) of a tile."""
        i, j = divmod(tile, self.blocks[1])
        return (
            i * self.size,
            min((i + 1) * self.size, self.rows),
            j * self.size,
            min((j + 1) * self.size, self.cols),
        )

    def pairs(self, tile: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The pairs a tile computes: variable indices (a, b) and their cells
        (row, column) within the tile. On the diagonal of a square matrix only the
        cells above the diagonal: the rest are mirror images or H(X_i)."""
        r0, r1, c0, c1 = self.bounds(tile)
        row, col = np.meshgrid(
            np.arange(r1 - r0, dtype=np.int64), np.arange(c1 - c0, dtype=np.int64), indexing="ij"
        )
        if self.square and r0 == c0:
            keep = row < col
            row, col = row[keep], col[keep]
        row, col = row.ravel(), col.ravel()
        offset = 0 if self.square else self.rows
        return row + r0, col + c0 + offset, row, col

    def n_pairs(self, tile: int) -> int:
        r0, r1, c0, c1 = self.bounds(tile)
        side = r1 - r0
        if self.square and r0 == c0:
            return side * (side - 1) // 2
        return side * (c1 - c0)


def n_tiles(rows: int, cols: int, square: bool, size: int) -> int:
    block_rows, block_cols = math.ceil(rows / size), math.ceil(cols / size)
    if square:
        return block_rows * (block_rows + 1) // 2
    return block_rows * block_cols


def auto_tile_size(rows: int, cols: int, square: bool) -> int:
    """The largest power of two that cuts the job into at least TILES_PER_JOB tiles,
    but no smaller than a tile of MIN_PAIRS_PER_TILE pairs."""
    size = MAX_TILE_SIZE
    while size > 1:
        smaller = size // 2
        full_tile_pairs = min(smaller, rows) * min(smaller, cols)
        if n_tiles(rows, cols, square, size) >= TILES_PER_JOB:
            break
        if full_tile_pairs < MIN_PAIRS_PER_TILE:
            break
        size = smaller
    return size


def make_tiling(rows: int, cols: int, square: bool, tile_size: int | None) -> Tiling:
    size = auto_tile_size(rows, cols, square) if tile_size is None else tile_size
    return Tiling(rows, cols, square, size)
