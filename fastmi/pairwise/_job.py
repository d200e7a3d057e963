"""A prepared job: every variable prepared once, and how to compute any tile of it.

``prepare_parts`` asks each estimator in use (fastmi.estimators) for its tile part,
which prepares the variables that estimator needs, once each, on the caller's machine;
``make_job`` adds the tiling and how to finish a tile. The ``Job`` holds only NumPy
arrays and small values, so it pickles: the thread backend calls ``compute_tile``
in-process, the Dask backend ships the job to every worker once and calls the same
function there. Each pair's value comes from the same serial pair function either way,
the one ``fastmi.mi`` runs, so the backends and the single call agree bit for bit.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace

import numpy as np

from .._normalize import finish
from .._options import Options
from .._warnings import SaturationWarning
from ..estimators import KINDS, REGISTRY, resolve
from ._tiles import Tiling


def estimator_pairs(method: str, kinds: list[str], n_x: int, square: bool) -> dict[str, int]:
    """{estimator name: number of pairs} of a job, from the column kinds alone (a job
    can have billions of pairs; they are never listed)."""
    count_x = [kinds[:n_x].count(kind) for kind in KINDS]
    count_y = [kinds[n_x:].count(kind) for kind in KINDS]
    counts: dict[str, int] = {}
    for i, kind_a in enumerate(KINDS):
        for j, kind_b in enumerate(KINDS):
            if square:
                if j < i:
                    continue
                same = count_x[i] * (count_x[i] - 1) // 2
                pairs = same if i == j else count_x[i] * count_x[j]
            else:
                pairs = count_x[i] * count_y[j]
            if pairs:
                name = resolve(method, kind_a, kind_b).name
                counts[name] = counts.get(name, 0) + pairs
    return counts


def _variables_of(name: str, method: str, kinds, n_x: int, square: bool) -> list[int]:
    """The variables that take part in some pair of estimator ``name``."""
    sides = (range(n_x), range(n_x) if square else range(n_x, len(kinds)))
    needed: set[int] = set()
    for kind_a in KINDS:
        for kind_b in KINDS:
            if resolve(method, kind_a, kind_b).name != name:
                continue
            a = [v for v in sides[0] if kinds[v] == kind_a]
            b = [v for v in sides[1] if kinds[v] == kind_b]
            if a and b and not (square and kind_a == kind_b and len(a) < 2):
                needed.update(a + b)
    return sorted(needed)


def entropies(variables, columns, kinds, opt: Options, parts: dict) -> np.ndarray:
    """H(X_v) in nats for table estimators (what mi(x, x) gives), NaN for continuous
    ones; from the job's prepared codes where it has them."""
    values = np.full(len(variables), np.nan)
    for position, v in enumerate(variables):
        estimator = resolve(opt.method, kinds[v], kinds[v])
        if not estimator.table:
            continue
        part = parts.get(estimator.name)
        if part is not None and part.row[v] >= 0:
            values[position] = part.entropy(v)
        else:
            with warnings.catch_warnings():  # H(X_i) of an id column is log n, rightly
                warnings.simplefilter("ignore", SaturationWarning)
                values[position] = estimator.entropy([columns[v]], opt)
    return values


@dataclass
class Finish:
    """From a tile of MI in nats to the output: ``finish`` (clip, then base or
    normalisation, as ``fastmi.mi`` does), then the dtype. ``opt`` holds only the
    output settings (``output_options``), so that the fingerprint of a job does not
    depend on options its estimators ignore. ``diagonal``: the square matrix's
    diagonal in nats (H(X_i), or NaN for continuous estimators); ``h_x``, ``h_y``:
    entropies for the NMI variants."""

    opt: Options
    dtype: np.dtype
    diagonal: np.ndarray | None
    h_x: np.ndarray | None
    h_y: np.ndarray | None

    def __call__(self, block, r0, c0, on_diagonal):
        cells = np.diag_indices(block.shape[0])
        if on_diagonal:
            block[cells] = self.diagonal[r0 : r0 + block.shape[0]]
        h_x = h_y = None
        if self.h_x is not None:
            h_x = self.h_x[r0 : r0 + block.shape[0], None]
            h_y = self.h_y[None, c0 : c0 + block.shape[1]]
        block = finish(block, self.opt, h_x, h_y)
        if on_diagonal and self.opt.normalize == "corr":  # I(X;X) infinite: 1
            block[cells] = np.where(np.isnan(block[cells]), 1.0, block[cells])
        return block.astype(self.dtype, copy=False)


@dataclass
class Job:
    """Everything a tile needs: the tiling, the estimator of each kind pair, one
    prepared part per estimator in use, and how to finish a tile."""

    tiling: Tiling
    continuous: np.ndarray  # per variable: bool
    estimator_of: tuple  # (kind a, kind b) code 0..3 -> estimator name
    parts: dict
    finish: Finish


def output_options(opt: Options) -> Options:
    """The settings that finish a value (clip, normalize, base), the rest default."""
    return replace(Options(), clip=opt.clip, normalize=opt.normalize, log_base=opt.log_base)


def prepare_parts(columns, kinds, opt: Options, tiling: Tiling, counts: dict) -> dict:
    """One tile part per estimator in ``counts`` (from estimator_pairs)."""
    n_x, square = tiling.rows, tiling.square

    def partners(v: int, w: int) -> bool:  # can variables v and w form a pair?
        return square or (v < n_x) != (w < n_x)

    return {
        name: REGISTRY[name].part(
            _variables_of(name, opt.method, kinds, n_x, square), columns, kinds, opt, partners
        )
        for name in counts
    }


def make_job(method: str, kinds, tiling: Tiling, parts: dict, finish: Finish) -> Job:
    estimator_of = tuple(
        resolve(method, kind_a, kind_b).name for kind_a in KINDS for kind_b in KINDS
    )
    continuous = np.array([kind == "continuous" for kind in kinds])
    return Job(tiling, continuous, estimator_of, parts, finish)


#: Flagged pairs kept per estimator and tile, to name in a warning.
FLAG_EXAMPLES = 3


def compute_tile(job: Job, tile: int) -> tuple[np.ndarray, dict]:
    """The finished output block of one tile (a symmetric tile also fills its mirror
    image, block.T, which the caller writes), and the pairs its estimators flagged:
    {estimator name: (count, the first FLAG_EXAMPLES pairs (a, b))}."""
    tiling = job.tiling
    r0, r1, c0, c1 = tiling.bounds(tile)
    a, b, row, col = tiling.pairs(tile)
    block = np.full((r1 - r0, c1 - c0), np.nan)
    flags = {}
    kind_pair = job.continuous[a] * 2 + job.continuous[b]
    for code in np.unique(kind_pair):
        members = np.flatnonzero(kind_pair == code)
        values = np.empty(members.size)
        name = job.estimator_of[code]
        flagged = job.parts[name](a[members], b[members], values)
        block[row[members], col[members]] = values
        if flagged is not None and flagged.any():
            hits = members[flagged][:FLAG_EXAMPLES]
            flags[name] = (int(flagged.sum()), list(zip(a[hits].tolist(), b[hits].tolist())))
    on_diagonal = tiling.square and r0 == c0
    if on_diagonal:
        upper = np.triu_indices(r1 - r0, 1)
        block.T[upper] = block[upper]
    return job.finish(block, r0, c0, on_diagonal), flags


def merge_flags(total: dict, flags: dict) -> None:
    """Add a tile's flags to the run's."""
    for name, (count, pairs) in flags.items():
        old_count, old_pairs = total.get(name, (0, []))
        total[name] = (old_count + count, (old_pairs + pairs)[:FLAG_EXAMPLES])
