"""p-values of scores against their permutation nulls."""

from __future__ import annotations

import math

import numpy as np

from ..significance._single import permutation_pvalue


def pvalue(statistic: float, null: np.ndarray) -> float:
    """(1 + #{null >= statistic}) / (1 + B) as fastmi.mi_test computes it, with an
    infinite statistic (a perfect relation) beaten only by infinite null values."""
    if math.isinf(statistic) and statistic > 0:
        return float((1 + np.count_nonzero(np.isposinf(null))) / (1 + null.size))
    return permutation_pvalue(statistic, null)
