"""The warnings fastmi gives when an estimate is computed but deserves a second look.
Each names the variables (or pairs) concerned, what happened and what to do."""

from __future__ import annotations

import warnings


class TiesWarning(UserWarning):
    """Continuous data with heavy ties, where a KSG estimate can be badly biased."""


class SaturationWarning(UserWarning):
    """A contingency-table estimate at its ceiling: every sample has a cell of its own
    (labels or bins about as many as the samples), so the value says nothing about the
    dependence."""


class PerfectDependenceWarning(UserWarning):
    """Variables with identical or exactly reversed ranks: one is a monotone function
    of the other, and the Gaussian-copula MI is infinite."""


def pairs_text(pairs, count: int) -> str:
    """'a and b; c and d; e and f and 4 more pairs' from the first pairs of labels."""
    shown = "; ".join(f"{a} and {b}" for a, b in pairs[:3])
    return shown + (f" and {count - 3} more pairs" if count > 3 else "")


def warn_saturated(subject: str, n: int, table: str, many: bool = False) -> None:
    """``subject`` names the variables or pairs; ``table``: the table concerned."""
    estimate = "the plug-in estimates are" if many else "the plug-in estimate is"
    warnings.warn(
        f"{subject}: {estimate} at the ceiling. Every one of the {n} samples has a cell "
        f"of its own in the {table}, so the value is fixed by n (log n for an entropy, "
        f"H(X) + H(Y) - log n for MI) whatever the dependence. Labels or bins are about "
        f"as many as the samples: use fewer bins (bins='auto'), method='ksg' or 'gcmi' "
        f"for continuous data, or more samples.",
        SaturationWarning,
        stacklevel=4,
    )


def warn_perfect(subject: str) -> None:
    """``subject`` names the pair or pairs concerned."""
    warnings.warn(
        f"method='gcmi': {subject}: identical or exactly reversed ranks (one variable is "
        f"a monotone function of the other), so the Gaussian-copula MI is infinite (inf).",
        PerfectDependenceWarning,
        stacklevel=4,
    )
