"""Per-variable preparation for the discrete estimators: labels -> int64 codes.

Done once per variable, whatever its labels are (negative, huge, sparse, strings,
categories). The kernels then only see codes in [0, n_levels). Integers that span a
small range are used as they are when non-negative, or offset (code = value - min);
levels in the gaps stay empty, which the kernels skip. Anything else gets compact codes
by hashing (kernels._factorize). Both give the same estimates
(test_offset_and_hashed_coding_agree).
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from . import _config
from ._validation import InvalidParameterError, is_categorical, time_as_int64
from .kernels._factorize import _factorize_rows

_MAX_JOINT_RANGE = 2**62  # a product of two ranges beyond this could overflow int64


def _is_small(n_range: int, n_samples: int) -> bool:
    return n_range <= max(_config.SMALL_RANGE_MIN, _config.SMALL_RANGE_FACTOR * n_samples)


def hashed_codes(values: np.ndarray) -> tuple[np.ndarray, int]:
    """Compact codes of a 1-D array of numbers, bytes or fixed-width strings, numbered in
    order of first appearance: each value's bytes become one row of a uint64 matrix,
    which the hash kernel factorises. Object arrays (huge Python ints) are sorted."""
    if values.dtype.kind == "O" or (values.dtype.kind == "f" and values.dtype.itemsize > 8):
        # Huge Python ints, long doubles: compared exactly (a cast to float64 or a hash
        # of padded bytes could merge or split values).
        levels, codes = np.unique(values, return_inverse=True)
        return np.ascontiguousarray(codes.reshape(-1), dtype=np.int64), len(levels)
    if values.dtype.kind == "f":
        values = values.astype(np.float64) + 0.0  # -0.0 -> 0.0: equal values, equal bytes
    elif values.dtype.kind in "iumMb":
        values = values.astype(np.int64)
    n, width = values.shape[0], values.dtype.itemsize
    words = -(-width // 8)
    rows = np.zeros((n, words * 8), dtype=np.uint8)
    rows[:, :width] = np.ascontiguousarray(values).view(np.uint8).reshape(n, width)
    return _factorize_rows(rows.view(np.uint64))


def integer_codes(values: np.ndarray) -> tuple[np.ndarray, int]:
    """Codes of an integer array (any int/uint dtype): offset if its range is small."""
    if values.shape[0] == 0:
        return np.zeros(0, dtype=np.int64), 1
    low, high = int(values.min()), int(values.max())  # Python ints: no overflow
    if low >= 0 and _is_small(high + 1, values.shape[0]):
        # Already codes: no pass, and no copy at all for int64 input.
        return np.ascontiguousarray(values, dtype=np.int64), high + 1
    n_range = high - low + 1
    if _is_small(n_range, values.shape[0]):
        if values.dtype == np.uint64:
            return (values - np.uint64(low)).astype(np.int64), n_range
        return np.subtract(values, np.int64(low), dtype=np.int64), n_range
    return hashed_codes(values)


def _missing(label: str) -> InvalidParameterError:
    return InvalidParameterError(
        f"{label} contains missing values (NaN, None or NaT); drop or impute them first."
    )


def _is_missing(value) -> bool:
    # None, float NaN, and pandas' NA/NaT scalars (which are not equal to themselves).
    return (
        value is None
        or (isinstance(value, float) and math.isnan(value))
        or (type(value).__name__ in {"NAType", "NaTType"})
    )


def _exact_object_codes(values: list) -> tuple[np.ndarray, int]:
    """Codes of Python numbers by exact value (huge ints stay distinct)."""
    _, codes = np.unique(np.array(values, dtype=object), return_inverse=True)
    codes = np.ascontiguousarray(codes.reshape(-1), dtype=np.int64)
    return codes, int(codes.max()) + 1


def _first_appearance_codes(values: list) -> tuple[np.ndarray, int]:
    """Codes of hashable Python values by equality, in order of first appearance: a
    string keeps every character (a fixed-width NumPy copy would drop trailing NULs
    and take n times the longest label in memory)."""
    index: dict = {}
    codes = np.fromiter((index.setdefault(v, len(index)) for v in values), np.int64, len(values))
    return codes, max(len(index), 1)


def _object_codes(array: np.ndarray, label: str) -> tuple[np.ndarray, int]:
    """Codes of an object column: strings, bytes or numbers (numpy scalars included);
    anything mixed is refused rather than guessed."""
    values = array.tolist()  # numpy scalars become Python ones
    if any(_is_missing(v) for v in values):
        raise _missing(label)
    if all(isinstance(v, str) for v in values) or all(isinstance(v, bytes) for v in values):
        return _first_appearance_codes(values)
    if all(isinstance(v, numbers.Real) for v in values):
        integral = all(isinstance(v, numbers.Integral) for v in values)
        # float64 holds ints up to 2**53 and floats exactly; Fractions and Decimals not
        exact = all(
            isinstance(v, float) or (isinstance(v, numbers.Integral) and abs(v) <= 2**53)
            for v in values
        )
        if integral and all(-(2**63) <= v < 2**63 for v in values):
            return hashed_codes(np.array(values, dtype=np.int64))
        if exact:  # every value converts to float64 exactly
            return column_codes(np.asarray(values, dtype=np.float64), label)
        return _exact_object_codes(values)
    names = ", ".join(sorted({type(v).__name__ for v in values}))
    raise InvalidParameterError(
        f"{label} holds values of mixed or unsupported types ({names}); convert the column "
        f"to one type first, e.g. with .astype(str)."
    )


def column_codes(column, label: str) -> tuple[np.ndarray, int]:
    """Codes of one 1-D column of labels. Returns (codes, n_levels)."""
    if is_categorical(column):
        codes = np.asarray(getattr(column, "cat", column).codes)
        if (codes < 0).any():
            raise _missing(label)
        return integer_codes(codes)
    if getattr(getattr(column, "dtype", None), "kind", None) in ("m", "M"):
        return integer_codes(time_as_int64(column, label))
    array = np.asarray(column)
    kind = array.dtype.kind
    if kind == "b":
        return array.astype(np.int64), 2
    if kind in "iu":
        return integer_codes(array)
    if kind == "f":
        if not np.isfinite(array).all():
            if np.isnan(array).any():
                raise _missing(label)
            raise InvalidParameterError(f"{label} contains inf; drop or replace it first.")
        return hashed_codes(array)
    if kind in "US":
        return hashed_codes(array)
    if kind == "O":
        return _object_codes(array, label)
    raise InvalidParameterError(
        f"{label} has dtype {array.dtype}, which is not a discrete type; use integer, "
        f"bool, string or categorical labels."
    )


def combine_codes(codes_a, n_a, codes_b, n_b) -> tuple[np.ndarray, int]:
    """Codes of the pair (a, b), one joint variable: a * n_b + b, compacted if wide."""
    if n_a * n_b > _MAX_JOINT_RANGE:
        (codes_a, n_a), (codes_b, n_b) = hashed_codes(codes_a), hashed_codes(codes_b)
    joint = codes_a * n_b + codes_b
    if _is_small(n_a * n_b, joint.shape[0]):
        return joint, n_a * n_b
    return hashed_codes(joint)


def joint_codes(columns: list[tuple[str, object]]) -> tuple[np.ndarray, int]:
    """Codes of the joint variable formed by the given columns."""
    codes, n_levels = column_codes(columns[0][1], columns[0][0])
    for label, column in columns[1:]:
        more, n_more = column_codes(column, label)
        codes, n_levels = combine_codes(codes, n_levels, more, n_more)
    return codes, n_levels
