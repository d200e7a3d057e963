"""The warnings fastmi gives when an estimate is computed but deserves a second look.
Each names the variables (or pairs) concerned, what happened and what to do."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

_PACKAGE = str(Path(__file__).resolve().parent)


class TiesWarning(UserWarning):
    """Continuous data with heavy ties, where a kNN estimate can be badly biased.

    **When.** A kNN estimator (``"ksg"``, ``"ksg2"``, ``"lnc"``, and the
    scikit-learn drop-ins of :mod:`fastmi.sklearn`) reads a float column in which at
    least 5 % of the samples share their value with more than ``k`` others: a
    variable with atoms (the zeros of a zero-inflated measurement), rounded values,
    or labels stored as floats. Also ``method="mixed"`` (Ross) when a column has so
    many atoms, counted exactly, that their plug-in bias could exceed 0.01 nats.

    **What it means.** The kNN estimators assume a density. Among tied samples the
    k-th neighbour distance is 0, so the neighbour counts reflect the ties rather
    than the dependence, and the estimate can be far off in either direction. The
    1e-10 ``jitter`` only orders the ties; it does not make the data continuous.

    **What to do.** The message names the column and a remedy that fits:
    ``method="mixed"`` (Gao et al. 2017), which counts atoms exactly; labels with
    ``method="discrete"`` when the values are categories; ``method="hist"`` to bin a
    rounded measurement. :doc:`/potential-issues` explains ties further. Once
    understood, ``warnings.simplefilter("ignore", fastmi.TiesWarning)`` silences it.

    Examples
    --------
    >>> import warnings
    >>> import numpy as np
    >>> import fastmi
    >>> rng = np.random.default_rng(0)
    >>> x = np.where(rng.random(1000) < 0.3, 0.0, rng.normal(size=1000))  # 30 % zeros
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = fastmi.mi(x, x + rng.normal(size=1000), method="ksg")
    >>> [w.category.__name__ for w in caught]
    ['TiesWarning']
    """


class SaturationWarning(UserWarning):
    """A contingency-table estimate at its ceiling: every sample has a cell of its own
    (labels or bins about as many as the samples), so the value says nothing about the
    dependence."""


class PerfectDependenceWarning(UserWarning):
    """Variables with identical or exactly reversed ranks: one is a monotone function
    of the other, and the Gaussian-copula MI is infinite."""


class CalibrationWarning(UserWarning):
    """An analytic null used where it is known to be badly calibrated (a G-test on a
    table whose cells expect few counts): prefer a permutation null."""


class UnreliableEstimateWarning(UserWarning):
    """An estimate computed where its estimator is known to mislead: kNN MI in many
    dimensions, a Gaussian estimate with about as many dimensions as samples, or a
    value beyond log n, more than n samples can vouch for (a near-deterministic map,
    whose true MI may be infinite). The message says what to do instead."""


def user_stacklevel() -> int:
    """The stacklevel of the first frame outside fastmi, for warnings.warn called
    from the caller of this function: warnings point at the user's line."""
    level, frame = 1, sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1
    return level


def pairs_text(pairs, count: int) -> str:
    """'a and b; c and d; e and f and 4 more pairs' from the first pairs of labels."""
    shown = "; ".join(f"{a} and {b}" for a, b in pairs[:3])
    return shown + (f" and {count - 3} more pairs" if count > 3 else "")


def warn_saturated(subject: str, n: int, table: str, many: bool = False) -> None:
    """``subject`` names the variables or pairs; ``table``: the table concerned."""
    estimate = "the plug-in estimates are" if many else "the plug-in estimate is"
    warnings.warn(
        f"{subject}: {estimate} at the ceiling. Every one of the {n} samples has a cell "
        f"of its own in the {table}, so the value is fixed by n whatever the dependence "
        f"(for the plug-in estimate: log n for an entropy, H(X) + H(Y) - log n for MI). "
        f"Labels or bins are about as many as the samples: use fewer bins (bins='auto'), "
        f"method='ksg' or 'gcmi' for continuous data, or more samples.",
        SaturationWarning,
        stacklevel=user_stacklevel(),
    )


def warn_perfect(subject: str, method: str = "gcmi") -> None:
    """``subject`` names the pair or pairs concerned."""
    why = {
        "gcmi": "identical or exactly reversed ranks (one variable is a monotone "
        "function of the other), so the Gaussian-copula MI",
        "lnc": "neighbourhoods that lie exactly on a line or plane (one variable is an "
        "exact function of the other), so the corrected KSG estimate",
    }[method]
    warnings.warn(
        f"method={method!r}: {subject}: {why} is infinite (inf).",
        PerfectDependenceWarning,
        stacklevel=user_stacklevel(),
    )
