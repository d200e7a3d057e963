"""Per-variable preparation for the pairwise engine, once per variable.

Every column becomes exactly what a single ``fastmi.mi`` call would make of it (the
same codes, bins, scaling, jitter and sort order), stacked into one array per kind so
that the drivers can index variables by row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._continuous import prepare_continuous
from .._estimators import Options, discrete_codes
from .._gaussian import copula_scores
from .._logs import log_table
from .._ties import is_constant, warn_heavy_ties
from .._validation import as_float_column
from ..kernels._discrete import _discrete_entropy, _level_bitsets


@dataclass
class CodesBank:
    """int64 codes (n_vars, n) and level counts of the variables that need them."""

    rows: dict[int, int] = field(default_factory=dict)  # variable -> row
    codes: list[np.ndarray] = field(default_factory=list)
    n_levels: list[int] = field(default_factory=list)

    def add(self, variable: int, codes: np.ndarray, n_levels: int) -> None:
        if variable not in self.rows:
            self.rows[variable] = len(self.codes)
            self.codes.append(codes)
            self.n_levels.append(n_levels)

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        if not self.codes:
            return np.zeros((0, 0), dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.vstack(self.codes), np.asarray(self.n_levels, dtype=np.int64)

    def bitsets(self, max_levels: int) -> tuple[np.ndarray, np.ndarray]:
        """Level bitsets (rows, levels, words) of the variables with at most
        max_levels levels, and each variable's row among them (-1: none)."""
        small = [r for r, levels in enumerate(self.n_levels) if levels <= max_levels]
        n = self.codes[0].shape[0] if self.codes else 0
        width = max([self.n_levels[r] for r in small], default=1)
        bits = np.zeros((len(small), width, (n + 63) // 64), dtype=np.uint64)
        row = np.full(len(self.codes), -1, dtype=np.int64)
        for position, r in enumerate(small):
            bits[position, : self.n_levels[r]] = _level_bitsets(self.codes[r], self.n_levels[r])
            row[r] = position
        return bits, row


@dataclass
class KnnBank:
    """Prepared 1-D continuous variables (values, sorted, order, rank), by row."""

    rows: dict[int, int] = field(default_factory=dict)
    parts: list[tuple] = field(default_factory=list)
    constant: list[bool] = field(default_factory=list)

    def add(
        self, variable: int, column, label: str, method: str, opt: Options, jitter: float
    ) -> None:
        if variable in self.rows:
            return
        raw = as_float_column(column, label, method)
        if method != "mixed" or jitter > 0:  # Gao (no jitter) takes ties as information
            warn_heavy_ties(label, raw, opt.k, method)
        prepared = prepare_continuous([(label, raw)], method, jitter=jitter, seed=opt.seed)
        self.rows[variable] = len(self.parts)
        self.parts.append((prepared.values[0], prepared.sorted0, prepared.order0, prepared.rank0))
        self.constant.append(is_constant(raw))

    def arrays(self):
        if not self.parts:
            empty_f, empty_i = np.zeros((0, 0)), np.zeros((0, 0), dtype=np.int64)
            return empty_f, empty_f, empty_i, empty_i
        return tuple(np.vstack([part[j] for part in self.parts]) for j in range(4))


def add_codes(
    bank: CodesBank,
    variable: int,
    label: str,
    column,
    estimator: str,
    opt: Options,
    memo: dict | None = None,
) -> None:
    """Add a variable's codes to the bank; ``memo`` keeps them across banks of one job
    (the diagonal reuses the codes of the pairs)."""
    if variable in bank.rows:
        return
    key = (variable, estimator)
    if memo is not None and key in memo:
        codes, n_levels = memo[key]
    else:
        codes, n_levels = discrete_codes([(label, column)], estimator, opt.bins, opt.binning)
        if memo is not None:
            memo[key] = codes, n_levels
    bank.add(variable, codes, n_levels)


def discrete_entropy(codes: np.ndarray, n_levels: int, miller_madow: bool) -> float:
    value, m = _discrete_entropy(codes, n_levels, log_table(codes.shape[0]))
    if miller_madow:
        value += (m - 1) / (2 * codes.shape[0])
    return float(value)


def scores(label: str, column) -> np.ndarray:
    """Normal scores (n,) of one column, or None for a constant column."""
    block = copula_scores([(label, column)], "gcmi")
    return block[0] if block.shape[0] else None
