"""Per-variable preparation for method='hist': bin counts by rule, then bin codes."""

from __future__ import annotations

import math
import numbers

import numpy as np

from ._validation import InvalidParameterError
from .kernels._binning import _uniform_bin_codes

BIN_RULES = ("auto", "sqrt", "sturges", "fd")
BINNINGS = ("uniform", "quantile")
MAX_BINS = 2**31  # bin indices stay exact in float64 arithmetic, far beyond any use


def check_bins(bins):
    """``bins`` is an int >= 1 or one of BIN_RULES."""
    if isinstance(bins, str):
        if bins not in BIN_RULES:
            listed = ", ".join(repr(r) for r in BIN_RULES)
            raise InvalidParameterError(
                f"bins must be an int from 1 to {MAX_BINS} or one of {listed}; got {bins!r}."
            )
        return bins
    if (
        isinstance(bins, bool)
        or not isinstance(bins, numbers.Integral)
        or bins < 1
        or bins > MAX_BINS
    ):
        raise InvalidParameterError(
            f"bins must be an int from 1 to {MAX_BINS} or one of 'auto', 'sqrt', "
            f"'sturges', 'fd'; got {bins!r}."
        )
    return int(bins)


def n_bins_for(x: np.ndarray, bins) -> int:
    """The number of bins for one variable: ``bins`` itself, or a rule's count.

    - "auto": floor(sqrt(n / 5)), at least 1: about 5 samples per cell of the joint
      table of two such variables (Cellucci, Albano & Rapp 2005).
    - "sqrt", "sturges", "fd": numpy's rules of the same name (np.histogram_bin_edges),
      computed without building the edges.
    Rules give at most n bins: more bins than samples only adds empty cells.
    """
    if not isinstance(bins, str):
        return bins
    n = x.shape[0]
    if bins == "auto":
        count = math.floor(math.sqrt(n / 5))
    elif bins == "sqrt":
        count = math.ceil(math.sqrt(n))
    elif bins == "sturges":
        count = math.ceil(math.log2(n) + 1)
    else:  # Freedman-Diaconis: width 2 IQR n^(-1/3); one bin when the IQR is 0
        q25, q75 = np.percentile(x, [25, 75])
        width = 2.0 * (q75 - q25) * n ** (-1.0 / 3.0)
        span = float(x.max() - x.min())
        count = math.ceil(span / width) if width > 0 else 1
    return int(min(max(count, 1), n))


def bin_codes(x: np.ndarray, n_bins: int, binning: str, label: str) -> np.ndarray:
    """int64 bin index in [0, n_bins) of each value of a finite float64 array.

    "uniform": equal-width bins over [min, max], exactly np.histogram's bins.
    "quantile": equal-frequency bins, edges at the k / n_bins quantiles (np.quantile,
    linear); tied edges merge, so heavily tied data may get fewer bins.
    A constant variable falls in one bin.
    """
    low, high = float(x.min()), float(x.max())
    if low == high or n_bins == 1:
        return np.zeros(x.shape[0], dtype=np.int64)
    if binning == "uniform":
        if not math.isfinite(high - low):
            raise InvalidParameterError(
                f"{label} spans [{low:g}, {high:g}], a range too wide for float64; "
                f"rescale it first."
            )
        return _uniform_bin_codes(x, low, high, np.int64(n_bins))
    inner = np.unique(np.quantile(x, np.linspace(0.0, 1.0, n_bins + 1)[1:-1]))
    return np.searchsorted(inner, x, side="right").astype(np.int64)
