"""``method="discrete"``: the plug-in (maximum-likelihood) estimator of entropy, MI and
conditional MI from the contingency table of integer codes.

A variable's labels (ints of any values, bools, strings, categories, or a row of
several such columns) become int64 codes once (fastmi._encode); in a matrix job,
variables with at most ``BITSET_MAX_LEVELS`` levels also get level bitsets, which pay
off over many pairs. A pair's table is counted by bitset popcounts, densely or by a
sparse grouped count, by size (fastmi._config); all give the same table, and the same
value to rounding (bitsets and dense bit for bit; a single call and a tile always pick
the same way for a pair of variables with the same tables). The plug-in estimate is
biased upward by about (m_x - 1)(m_y - 1) / (2 n) nats for independent variables
(Paninski 2003), and entropies are biased downward. ``correction=`` corrects each
entropy of I = H(X) + H(Y) - H(X, Y): ``"miller-madow"`` adds Miller's (1955)
first-order term (m - 1) / (2 n); ``"grassberger"`` is Grassberger's (2003) digamma
estimator; ``"chao-shen"`` weights the coverage-adjusted probabilities of Chao and
Shen (2003) by their chance of being seen (best with many unseen levels);
``"shrinkage"`` shrinks each table toward uniform over its observed cells with the
James-Stein weight of Hausser and Strimmer (2009). Every corrected MI is
H(X) + H(Y) - H(X, Y) of corrected entropies, so I(X;X) = H(X) and a constant
variable has entropy 0. NSB (Nemenman, Shafee and Bialek 2002) is not offered: it
needs the number of possible levels, which samples do not tell.

References: T. M. Cover and J. A. Thomas, Elements of Information Theory (2006), ch. 2;
G. A. Miller, "Note on the bias of information estimates" (1955); L. Paninski,
"Estimation of entropy and mutual information", Neural Computation 15 (2003); P.
Grassberger, "Entropy estimates from insufficient samplings", arXiv:physics/0307138
(2003); A. Chao and T.-J. Shen, "Nonparametric estimation of Shannon's index of
diversity when there are unseen species in sample", Environmental and Ecological
Statistics 10, 429-443 (2003); J. Hausser and K. Strimmer, "Entropy inference and the
James-Stein estimator", Journal of Machine Learning Research 10, 1469-1484 (2009).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import _config
from .._encode import combine_codes, joint_codes
from .._logs import log_table
from .._threads import pairs_on_threads
from .._validation import variable_label
from .._warnings import warn_saturated
from ..kernels._corrections import CORRECTION_CODES, _entropy_of_codes
from ..kernels._discrete import (
    _corrected_mi_pair,
    _corrected_mi_pairs,
    _discrete_cmi,
    _discrete_entropy,
    _level_bitsets,
    _table_mi_pair,
    _table_mi_pairs,
)
from ._base import Estimator, lookup


@dataclass(frozen=True)
class Codes:
    """A prepared variable of a table estimator: int64 codes in [0, n_levels), and its
    level bitsets (n_levels, words), or none (0 rows): a single pair is counted faster
    without them (building them costs more than they save once)."""

    codes: np.ndarray
    n_levels: int
    bits: np.ndarray

    @classmethod
    def of(cls, codes: np.ndarray, n_levels: int) -> Codes:
        # Writable, as the kernels are compiled for: a read-only array (pandas'
        # copy-on-write hands them out) is another Numba type, compiled again.
        return cls(np.require(codes, np.int64, ["C", "W"]), n_levels, _NO_BITS)


_NO_BITS = np.zeros((0, 1), dtype=np.uint64)  # shared: no rows, nothing to write


def prepare(columns, opt) -> Codes:
    """Codes of one (joint) variable of labels."""
    return Codes.of(*joint_codes(columns))


def dense_table_cells(n_samples: int) -> int:
    """The size strategy: the largest table counted densely for n samples."""
    return min(
        _config.DENSE_TABLE_MAX_CELLS,
        max(_config.DENSE_TABLE_MIN_CELLS, _config.DENSE_TABLE_CELLS_PER_SAMPLE * n_samples),
    )


def pair(x: Codes, y: Codes, opt) -> tuple[float, bool]:
    """Plug-in MI of two prepared variables in nats, and whether it is saturated: the
    tile's pair function."""
    n = x.codes.shape[0]
    code = CORRECTION_CODES[opt.correction]
    if code >= 2:
        value, saturated = _corrected_mi_pair(x.codes, x.n_levels, y.codes, y.n_levels, code)
    else:
        value, saturated = _table_mi_pair(
            x.codes, x.n_levels, x.bits, y.codes, y.n_levels, y.bits, log_table(n),
            dense_table_cells(n), _config.BITSET_MAX_CELLS, code,
        )  # fmt: skip
    return float(value), bool(saturated)


def entropy_of(x: Codes, opt, label: str = "x") -> float:
    n = x.codes.shape[0]
    value, m = _discrete_entropy(x.codes, x.n_levels, log_table(n))
    if m == n > 1:
        warn_saturated(label, n, "table of its levels")
    code = CORRECTION_CODES[opt.correction]
    if code >= 2:
        return float(_entropy_of_codes(x.codes, x.n_levels, code))
    if code == 1:
        value += (m - 1) / (2 * n)
    return float(value)


def cmi_of(x: Codes, y: Codes, z: Codes, opt, labels: str = "x, y and z") -> float:
    value, saturated = cmi_pair(x, y, z, opt)
    if saturated:
        warn_saturated(labels, x.codes.shape[0], "joint table of the three")
    return value


def cmi_pair(x: Codes, y: Codes, z: Codes, opt) -> tuple[float, bool]:
    """Plug-in I(X;Y|Z) of three prepared variables in nats, and whether the joint
    table is saturated: what ``cmi_of`` and each entry of fastmi.pairwise_cmi run."""
    n = x.codes.shape[0]
    xy, n_xy = combine_codes(x.codes, x.n_levels, y.codes, y.n_levels)
    value, m_xz, m_yz, m_xyz, m_z = _discrete_cmi(
        x.codes, y.codes, xy, z.codes, x.n_levels, y.n_levels, n_xy, z.n_levels, log_table(n)
    )
    saturated = bool(m_xyz == n and m_xz > m_z and m_yz > m_z)  # x and y vary within z
    code = CORRECTION_CODES[opt.correction]
    if code >= 2:  # I(X;Y|Z) = H(X,Z) + H(Y,Z) - H(X,Y,Z) - H(Z), each corrected
        xz, n_xz = combine_codes(x.codes, x.n_levels, z.codes, z.n_levels)
        yz, n_yz = combine_codes(y.codes, y.n_levels, z.codes, z.n_levels)
        xyz, n_xyz = combine_codes(xy, n_xy, z.codes, z.n_levels)
        return float(
            _entropy_of_codes(xz, n_xz, code) + _entropy_of_codes(yz, n_yz, code)
            - _entropy_of_codes(xyz, n_xyz, code) - _entropy_of_codes(z.codes, z.n_levels, code)
        ), saturated  # fmt: skip
    if code == 1:
        value += (m_xz + m_yz - m_xyz - m_z) / (2 * n)
    return float(value), saturated


@dataclass
class TablePart:
    """The variables of a matrix job for a table estimator: stacked codes, and level
    bitsets of those with few levels; ``row``: variable -> row (-1: not here)."""

    codes: np.ndarray
    n_levels: np.ndarray
    bits: np.ndarray
    bit_row: np.ndarray
    logs: np.ndarray
    row: np.ndarray
    correction: int  # a code of CORRECTION_CODES
    dense_limit: int  # thresholds fixed here, not read on a worker with its own config
    bitset_cells: int

    def __call__(self, a, b, out) -> np.ndarray:
        """MI of the pairs (a, b) into ``out``; returns which are saturated."""
        pairs = np.column_stack([self.row[a], self.row[b]])
        saturated = np.zeros(len(out), dtype=bool)
        if self.correction >= 2:
            head, tail = (self.codes, self.n_levels), (self.correction,)
            pairs_on_threads(_corrected_mi_pairs, head, pairs, tail, (out, saturated))
            return saturated
        pairs_on_threads(
            _table_mi_pairs, (self.codes, self.n_levels, self.bits, self.bit_row, self.logs),
            pairs, (self.dense_limit, self.bitset_cells, self.correction), (out, saturated),
        )  # fmt: skip
        return saturated

    def entropy(self, variable: int) -> float:
        """H of one of the variables in nats, as ``entropy_of`` gives it."""
        r = self.row[variable]
        if self.correction >= 2:
            return float(_entropy_of_codes(self.codes[r], self.n_levels[r], self.correction))
        value, m = _discrete_entropy(self.codes[r], self.n_levels[r], self.logs)
        if self.correction == 1:
            value += (m - 1) / (2 * self.codes.shape[1])
        return float(value)


def table_part(prepare_one):
    """The tile-part builder of a table estimator whose variables ``prepare_one``
    prepares (codes for discrete, bin codes for hist)."""

    def part(variables, columns, kinds, opt, partners) -> TablePart:
        prepared = [prepare_one([columns[v]], opt) for v in variables]
        n = len(columns[0][1])
        small = [i for i, p in enumerate(prepared) if p.n_levels <= _config.BITSET_MAX_LEVELS]
        width = max([prepared[i].n_levels for i in small], default=1)
        bits = np.zeros((len(small), width, (n + 63) // 64), dtype=np.uint64)
        bit_row = np.full(len(prepared), -1, dtype=np.int64)
        for position, i in enumerate(small):
            bits[position, : prepared[i].n_levels] = _level_bitsets(
                prepared[i].codes, prepared[i].n_levels
            )
            bit_row[i] = position
        codes = np.vstack([p.codes for p in prepared]) if prepared else np.zeros((0, n), np.int64)
        return TablePart(
            codes, np.array([p.n_levels for p in prepared], dtype=np.int64), bits, bit_row,
            log_table(n), lookup({v: i for i, v in enumerate(variables)}, len(columns)),
            CORRECTION_CODES[opt.correction], dense_table_cells(n), _config.BITSET_MAX_CELLS,
        )  # fmt: skip

    return part


def table_estimator(name: str, prepare_one, cost_per_sample: float) -> Estimator:
    """The row of a table estimator: everything but the preparation is shared."""

    def mi(x, y, opt):
        px, py = prepare_one(x, opt), prepare_one(y, opt)
        value, saturated = pair(px, py, opt)
        if saturated:
            subject = f"{variable_label(x)} and {variable_label(y)}"
            warn_saturated(subject, len(px.codes), "joint table")
        return value

    def entropy(x, opt):
        return entropy_of(prepare_one(x, opt), opt, variable_label(x))

    def cmi(x, y, z, opt):
        labels = f"{variable_label(x)}, {variable_label(y)} and {variable_label(z)}"
        prepared = (prepare_one(v, opt) for v in (x, y, z))
        return cmi_of(*prepared, opt, labels)

    def flag_warning(subject: str, count: int, n: int) -> None:
        warn_saturated(subject, n, "joint table", many=count > 1)

    return Estimator(
        name=name,
        method=name,
        table=True,
        corrections=tuple(name for name in CORRECTION_CODES if name is not None),
        cost_per_sample=cost_per_sample,
        mi=mi,
        part=table_part(prepare_one),
        entropy=entropy,
        cmi=cmi,
        flag_warning=flag_warning,
        codes=prepare_one,
        cmi_prepare=prepare_one,
        cmi_pair=cmi_pair,
    )


#: 3e-9 s per pair and sample (bench/bench_pairwise.py, rounded up).
DISCRETE = table_estimator("discrete", prepare, 3e-9)
