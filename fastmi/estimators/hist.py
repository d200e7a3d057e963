"""``method="hist"``: bin each continuous column, then the plug-in estimator of
``method="discrete"`` on the bin codes.

``bins`` is a count or a rule ("auto": floor(sqrt(n / 5)), about 5 samples per cell of
a two-variable table, Cellucci, Albano & Rapp 2005; numpy's "sqrt", "sturges", "fd");
``binning="uniform"`` cuts [min, max] into equal widths, exactly as np.histogram does,
``"quantile"`` into equal counts. Discrete columns (int, bool, str, categorical) are
labels already and are kept as they are, so a mixed table needs no recoding. A joint
variable of several columns is the product of their bins and labels.

References: C. J. Cellucci, A. M. Albano and P. E. Rapp, "Statistical validation of
mutual information calculations", Physical Review E 71, 066208 (2005).
"""

from __future__ import annotations

import math

import numpy as np

from .._encode import column_codes, combine_codes, integer_codes
from .._validation import InvalidParameterError, as_float_column, column_kind
from ..kernels._binning import _uniform_bin_codes
from .discrete import Codes, table_estimator


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
        # in units of the largest |x|, so that neither the span nor the IQR overflows
        scale = float(np.max(np.abs(x))) or 1.0
        q25, q75 = np.percentile(x / scale, [25, 75])
        width = 2.0 * (q75 - q25) * n ** (-1.0 / 3.0)
        span = float(x.max() / scale - x.min() / scale)
        if width <= 0:
            count = 1
        else:  # a tiny IQR gives a huge (even inf) ratio: at most n bins anyway
            with np.errstate(over="ignore"):
                ratio = span / width
            count = n if ratio >= n else math.ceil(ratio)
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
    if n_bins >= x.shape[0]:
        # Quantile edges closer than one sample apart put an edge between every two
        # distinct values: each value its own bin, without an n_bins-long grid.
        return np.unique(x, return_inverse=True)[1].reshape(-1).astype(np.int64)
    inner = np.unique(np.quantile(x, np.linspace(0.0, 1.0, n_bins + 1)[1:-1]))
    return np.searchsorted(inner, x, side="right").astype(np.int64)


def prepare(columns, opt) -> Codes:
    """Codes of one (joint) variable: each continuous column (float, datetime)
    binned, each discrete one (int, bool, str, categorical) kept as labels, then
    combined."""
    codes, n_levels = None, 1
    for label, column in columns:
        if column_kind(column) == "discrete":
            binned, n_binned = column_codes(column, label)
        else:
            values = as_float_column(column, label, "hist")
            binned, n_binned = integer_codes(
                bin_codes(values, n_bins_for(values, opt.bins), opt.binning, label)
            )
        if codes is None:
            codes, n_levels = binned, n_binned
        else:
            codes, n_levels = combine_codes(codes, n_levels, binned, n_binned)
    return Codes.of(codes, n_levels)


#: As discrete, plus the binning (bench/bench_pairwise.py, rounded up).
HIST = table_estimator("hist", prepare, 3e-9)
