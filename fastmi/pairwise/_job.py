"""A prepared job: every variable prepared once, and how to compute any tile of it.

``prepare_job`` does the per-variable work (codes, bins, scaling, jitter, sort order,
normal scores) on the caller's machine. The ``Job`` it returns holds only NumPy arrays
and small values, so it pickles: the thread backend calls ``compute_tile`` in-process,
the Dask backend ships the job to every worker once and calls the same function there.
Each pair's value comes from the same serial kernel either way, so the backends agree
bit for bit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import _config
from .._dispatch import AUTO_ESTIMATOR, dense_table_cells, ksg_grid_cells
from .._gaussian import check_samples, mi_of_correlation, unit_rows
from .._logs import log_table
from .._normalize import normalized
from .._validation import InvalidParameterError, check_enough_samples
from . import _drivers
from ._prepare import CodesBank, KnnBank, add_codes, scores
from ._tiles import Tiling

KINDS = ("discrete", "continuous")
TABLE = ("discrete", "hist")


def pair_estimator(method: str, kind_a: str, kind_b: str) -> str:
    """The estimator of one pair: ``method``, or the auto table on the column kinds;
    'mixed' splits into Ross (one discrete, one continuous column) and Gao."""
    estimator = AUTO_ESTIMATOR[(kind_a, kind_b)] if method == "auto" else method
    if estimator == "mixed":
        return "ross" if kind_a != kind_b else "gao"
    return estimator


def estimator_pairs(method: str, kinds: list[str], n_x: int, square: bool) -> dict:
    """{estimator: number of pairs} of a job, from the column kinds alone (a job can
    have billions of pairs; they are never listed)."""
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
                estimator = pair_estimator(method, kind_a, kind_b)
                counts[estimator] = counts.get(estimator, 0) + pairs
    return counts


def _variables_of(estimator, method, kinds, n_x, square):
    """The variables that take part in some pair of ``estimator``, as one or two
    lists: (discrete side, continuous side) for Ross, else all in the first."""
    sides = (range(n_x), range(n_x) if square else range(n_x, len(kinds)))
    needed = (set(), set())
    for kind_a in KINDS:
        for kind_b in KINDS:
            if pair_estimator(method, kind_a, kind_b) != estimator:
                continue
            a = [v for v in sides[0] if kinds[v] == kind_a]
            b = [v for v in sides[1] if kinds[v] == kind_b]
            if not a or not b or (square and kind_a == kind_b and len(a) < 2):
                continue
            if estimator == "ross":  # oriented: the discrete one first
                needed[0].update(a if kind_a == "discrete" else b)
                needed[1].update(b if kind_a == "discrete" else a)
            else:
                needed[0].update(a + b)
    return sorted(needed[0]), sorted(needed[1])


def _lookup(rows: dict[int, int], size: int) -> np.ndarray:
    """variable index -> bank row (-1: not in the bank)."""
    lookup = np.full(size, -1, dtype=np.int64)
    lookup[list(rows)] = list(rows.values())
    return lookup


@dataclass
class TablePart:
    """discrete / hist: codes and level bitsets of the variables."""

    codes: np.ndarray
    n_levels: np.ndarray
    bits: np.ndarray
    bit_row: np.ndarray
    logs: np.ndarray
    row: np.ndarray
    miller_madow: bool
    dense_limit: int  # thresholds fixed here, not read on a worker with its own config
    bitset_cells: int

    def __call__(self, a, b, out):
        pairs = np.column_stack([self.row[a], self.row[b]])
        _drivers._discrete_mi_pairs(
            self.codes, self.n_levels, self.bits, self.bit_row, self.logs, pairs,
            self.dense_limit, self.bitset_cells, self.miller_madow, out,
        )  # fmt: skip


@dataclass
class KsgPart:
    """ksg / ksg2: scaled, jittered and sorted values of the variables."""

    arrays: tuple
    constant: np.ndarray
    row: np.ndarray
    k: int
    algorithm: int
    n_cells: int

    def __call__(self, a, b, out):
        pairs = np.column_stack([self.row[a], self.row[b]])
        _drivers._ksg_mi_pairs(*self.arrays, pairs, self.k, self.algorithm, self.n_cells, out)
        out[self.constant[pairs[:, 0]] | self.constant[pairs[:, 1]]] = 0.0


@dataclass
class RossPart:
    """Ross (2014): labels of the discrete side, sorted values of the continuous one."""

    labels: np.ndarray
    n_levels: np.ndarray
    sorted_: np.ndarray
    order: np.ndarray
    trivial_label: np.ndarray  # one label only: MI 0
    constant: np.ndarray
    label_row: np.ndarray
    knn_row: np.ndarray
    k: int

    def __call__(self, a, b, out):
        discrete_first = self.label_row[a] >= 0
        d = np.where(discrete_first, a, b)
        c = np.where(discrete_first, b, a)
        pairs = np.column_stack([self.label_row[d], self.knn_row[c]])
        _drivers._ross_mi_pairs(
            self.labels, self.n_levels, self.sorted_, self.order, pairs, self.k, out
        )
        out[self.trivial_label[pairs[:, 0]] | self.constant[pairs[:, 1]]] = 0.0


@dataclass
class GaoPart:
    """Gao et al. (2017): unjittered values and exact-value codes of the variables."""

    arrays: tuple
    codes: np.ndarray
    n_levels: np.ndarray
    constant: np.ndarray
    row: np.ndarray
    k: int
    n_cells: int

    def __call__(self, a, b, out):
        pairs = np.column_stack([self.row[a], self.row[b]])
        _drivers._gao_mi_pairs(
            *self.arrays, self.codes, self.n_levels, pairs, self.k, self.n_cells, out
        )
        out[self.constant[pairs[:, 0]] | self.constant[pairs[:, 1]]] = 0.0


@dataclass
class GcmiPart:
    """Gaussian copula: unit-norm centred normal scores; a pair's correlation is the
    dot product of its two rows, summed in a fixed order by a Numba kernel."""

    units: np.ndarray
    row: np.ndarray  # -1: a constant variable, MI 0
    n: int
    correct: bool

    def __call__(self, a, b, out):
        ra, rb = self.row[a], self.row[b]
        both = (ra >= 0) & (rb >= 0)
        out[:] = 0.0
        if both.any():
            r = np.empty(int(both.sum()))
            _drivers._dot_pairs(self.units, np.column_stack([ra[both], rb[both]]), r)
            out[both] = mi_of_correlation(r, self.n, self.correct)


def _table_part(variables, columns, estimator, opt, memo):
    bank = CodesBank()
    for v in variables:
        add_codes(bank, v, *columns[v], estimator, opt, memo)
    codes, n_levels = bank.arrays()
    bits, bit_row = bank.bitsets(_config.BITSET_MAX_LEVELS)
    n = codes.shape[1]
    return TablePart(
        codes, n_levels, bits, bit_row, log_table(n), _lookup(bank.rows, len(columns)),
        opt.correction == "miller-madow", dense_table_cells(n), _config.BITSET_MAX_CELLS,
    )  # fmt: skip


def _ksg_part(variables, columns, estimator, opt):
    check_enough_samples(len(columns[0][1]), opt.k)
    bank = KnnBank()
    for v in variables:
        bank.add(v, columns[v][1], columns[v][0], estimator, opt, opt.jitter)
    algorithm = 1 if estimator == "ksg" else 2
    constant = np.asarray(bank.constant, dtype=bool)
    n = len(columns[0][1])
    return KsgPart(
        bank.arrays(), constant, _lookup(bank.rows, len(columns)), opt.k, algorithm,
        ksg_grid_cells(n),
    )  # fmt: skip


def _ross_part(discrete_side, continuous_side, columns, opt, n_x, square):
    check_enough_samples(len(columns[0][1]), opt.k)
    labels, knn = CodesBank(), KnnBank()
    for v in discrete_side:
        add_codes(labels, v, *columns[v], "discrete", opt)
    for v in continuous_side:
        knn.add(v, columns[v][1], columns[v][0], "mixed", opt, opt.jitter)
    codes, n_levels = labels.arrays()
    varying = [c for c, r in knn.rows.items() if not knn.constant[r]]
    for v, r in labels.rows.items():  # Ross needs a label that occurs twice ...
        partners = [c for c in varying if square or (c < n_x) != (v < n_x)]
        if partners and np.bincount(codes[r]).max() < 2:  # ... unless MI is 0 anyway
            raise InvalidParameterError(
                f"{columns[v][0]} has no label that occurs twice, so the mixed estimator "
                f"has no neighbours to compare; it needs repeated labels."
            )
    _, sorted_, order, _ = knn.arrays()
    return RossPart(
        codes, n_levels, sorted_, order, (codes == codes[:, :1]).all(axis=1),
        np.asarray(knn.constant, dtype=bool),
        _lookup(labels.rows, len(columns)), _lookup(knn.rows, len(columns)), opt.k,
    )  # fmt: skip


def _gao_part(variables, columns, opt):
    check_enough_samples(len(columns[0][1]), opt.k)
    knn, exact = KnnBank(), CodesBank()
    for v in variables:
        knn.add(v, columns[v][1], columns[v][0], "mixed", opt, 0.0)
        add_codes(exact, v, *columns[v], "discrete", opt)
    codes, n_levels = exact.arrays()  # same rows as knn: same order of adding
    constant = np.asarray(knn.constant, dtype=bool)
    return GaoPart(
        knn.arrays(), codes, n_levels, constant, _lookup(knn.rows, len(columns)), opt.k,
        ksg_grid_cells(codes.shape[1]),
    )  # fmt: skip


def _gcmi_part(variables, columns, opt):
    n = len(columns[0][1])
    rows, kept = {}, []
    for v in variables:
        block = scores(*columns[v])
        if block is not None:  # a constant column: MI 0
            rows[v] = len(kept)
            kept.append(block)
    correct = opt.correction == "gaussian"
    if kept:
        check_samples(n, 2, correct)
    units = unit_rows(np.vstack(kept)) if kept else np.zeros((0, n))
    return GcmiPart(units, _lookup(rows, len(columns)), n, correct)


@dataclass
class Finish:
    """From a tile of MI in nats to the output: clip, normalise or change the base,
    cast. ``h_x``, ``h_y``: entropies for the NMI variants; ``diagonal``: the square
    matrix's diagonal in nats (H(X_i), or NaN for continuous estimators)."""

    clip: bool
    normalize: str | None
    log_base: float
    dtype: np.dtype
    diagonal: np.ndarray | None
    h_x: np.ndarray | None
    h_y: np.ndarray | None

    def __call__(self, block, r0, c0, on_diagonal):
        if on_diagonal:
            block[np.diag_indices(block.shape[0])] = self.diagonal[r0 : r0 + block.shape[0]]
        if self.clip:
            np.maximum(block, 0.0, where=~np.isnan(block), out=block)
        if self.normalize is None:
            block /= self.log_base
        elif self.normalize == "corr":
            block = normalized(block, "corr")
            if on_diagonal:  # I(X;X) of a continuous variable is infinite: 1
                cells = np.diag_indices(block.shape[0])
                block[cells] = np.where(np.isnan(block[cells]), 1.0, block[cells])
        else:
            rows, cols = slice(r0, r0 + block.shape[0]), slice(c0, c0 + block.shape[1])
            block = normalized(block, self.normalize, self.h_x[rows, None], self.h_y[None, cols])
        return block.astype(self.dtype, copy=False)


@dataclass
class Job:
    """Everything a tile needs: the tiling, the estimator of each kind pair, one
    prepared part per estimator in use, and how to finish a tile."""

    tiling: Tiling
    continuous: np.ndarray  # per variable: bool
    estimator_of: tuple  # (kind a, kind b) code 0..3 -> estimator name or None
    parts: dict
    finish: Finish


def prepare_job(columns, kinds, method, opt, tiling, counts, finish, memo) -> Job:
    """Prepare every variable for the estimators in ``counts`` (from estimator_pairs)."""
    n_x, square = tiling.rows, tiling.square
    parts = {}
    for estimator in counts:
        first, second = _variables_of(estimator, method, kinds, n_x, square)
        if estimator in TABLE:
            parts[estimator] = _table_part(first, columns, estimator, opt, memo)
        elif estimator in ("ksg", "ksg2"):
            parts[estimator] = _ksg_part(first, columns, estimator, opt)
        elif estimator == "ross":
            parts[estimator] = _ross_part(first, second, columns, opt, n_x, square)
        elif estimator == "gao":
            parts[estimator] = _gao_part(first, columns, opt)
        else:
            parts[estimator] = _gcmi_part(first, columns, opt)
    estimator_of = tuple(
        pair_estimator(method, kind_a, kind_b) for kind_a in KINDS for kind_b in KINDS
    )
    continuous = np.array([kind == "continuous" for kind in kinds])
    return Job(tiling, continuous, estimator_of, parts, finish)


def compute_tile(job: Job, tile: int) -> np.ndarray:
    """The finished output block of one tile (a symmetric tile also fills its mirror
    image, block.T, which the caller writes)."""
    tiling = job.tiling
    r0, r1, c0, c1 = tiling.bounds(tile)
    a, b, row, col = tiling.pairs(tile)
    block = np.full((r1 - r0, c1 - c0), np.nan)
    kind_pair = job.continuous[a] * 2 + job.continuous[b]
    for code in np.unique(kind_pair):
        members = np.flatnonzero(kind_pair == code)
        values = np.empty(members.size)
        job.parts[job.estimator_of[code]](a[members], b[members], values)
        block[row[members], col[members]] = values
    on_diagonal = tiling.square and r0 == c0
    if on_diagonal:
        upper = np.triu_indices(r1 - r0, 1)
        block.T[upper] = block[upper]
    return job.finish(block, r0, c0, on_diagonal)
