"""The matrix columns a greedy selection needs, with every variable prepared once.

The features and the target are prepared once, as one square job of the pairwise
engine (fastmi.pairwise._job); a step of the greedy pass then asks for one column of
the MI matrix (the feature just selected against the remaining ones) and, for JMI and
CMIM, one column of the conditional MI matrix given the target
(fastmi.pairwise._cmi). Each value is what ``fastmi.mi`` or ``fastmi.cmi`` gives for
that pair, bit for bit: the tile parts and pair functions are the same.
"""

from __future__ import annotations

import numpy as np

from .._validation import column_kind
from ..estimators import KINDS, REGISTRY, check_fits, resolve
from ..pairwise._cmi import ConditionalJob, Flags, kind_code
from ..pairwise._job import estimator_pairs, prepare_parts
from ..pairwise._tiles import make_tiling


class SelectionColumns:
    """Features ``x_columns`` and a 1-D target ``y_columns`` (lists of (label,
    column)), prepared once: ``relevance()``, ``mi(j, rows)`` and
    ``conditional(j, rows)``, all in nats. With ``conditional``, the estimators of
    I(f; f_j | y) are resolved here, so that a method without a conditional form
    fails before any work."""

    def __init__(self, x_columns, y_columns, opt, conditional: bool):
        self.columns = x_columns + y_columns
        self.labels = [label for label, _ in self.columns]
        self.p = len(x_columns)
        self.n = len(y_columns[0][1])
        kinds = [column_kind(column) for _, column in self.columns]
        counts = estimator_pairs(opt.method, kinds, self.p + 1, True)
        check_fits([REGISTRY[name] for name in counts], opt.correction, None, matrix=True)
        self.continuous = np.array([kind == "continuous" for kind in kinds])
        self.given_target = None
        if conditional:
            self.given_target = ConditionalJob(x_columns, y_columns, opt, "y")
            # two features of each kind stand for every pair of features
            sample = np.concatenate(
                [np.flatnonzero(self.continuous[: self.p] == c)[:2] for c in (False, True)]
            )
            a, b = np.triu_indices(sample.size, 1)
            self.given_target.resolve_all(sample[a], sample[b])
        tiling = make_tiling(self.p + 1, self.p + 1, True, None)
        self.parts = prepare_parts(self.columns, kinds, opt, tiling, counts)
        self.estimator_of = tuple(resolve(opt.method, a, b).name for a in KINDS for b in KINDS)
        self.flags = Flags()

    def _mi(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """MI of the pairs (a[t], b[t]) of variables of the job, grouped by estimator as
        a tile is (fastmi.pairwise._job.compute_tile)."""
        values = np.empty(len(a))
        kind_pair = kind_code(self.continuous, a, b)
        for code in np.unique(kind_pair):
            members = np.flatnonzero(kind_pair == code)
            out = np.empty(members.size)
            name = self.estimator_of[code]
            flagged = self.parts[name](a[members], b[members], out)
            values[members] = out
            self.flags.add(name, self.labels, a[members], b[members], flagged)
        return values

    def relevance(self) -> np.ndarray:
        """I(X_i; y) of every feature."""
        rows = np.arange(self.p, dtype=np.int64)
        return self._mi(rows, np.full(self.p, self.p, dtype=np.int64))

    def mi(self, j: int, rows: np.ndarray) -> np.ndarray:
        """I(X_rows; X_j): one column of the features' MI matrix."""
        return self._mi(rows, np.full(rows.size, j, dtype=np.int64))

    def conditional(self, j: int, rows: np.ndarray) -> np.ndarray:
        """I(X_rows; X_j | y): one column of the conditional MI matrix given the target."""
        return self.given_target.values(rows, np.full(rows.size, j, dtype=np.int64))

    def warn(self) -> None:
        """The warnings of the flagged pairs, one per estimator, once the pass is done."""
        self.flags.warn(self.n)
        if self.given_target is not None:
            self.given_target.warn()
