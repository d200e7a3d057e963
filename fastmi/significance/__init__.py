"""Significance of MI estimates: tests of independence with permutation or analytic
null distributions, conditional independence, and matrices with multiple-comparison
corrections."""

from ._interval import MIInterval, mi_ci
from ._matrix import PairwiseTestResult, pairwise_test
from ._single import MITestResult, cmi_test, mi_test

__all__ = [
    "MIInterval",
    "MITestResult",
    "PairwiseTestResult",
    "cmi_test",
    "mi_ci",
    "mi_test",
    "pairwise_test",
]
