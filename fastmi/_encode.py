"""Per-variable preparation for the discrete estimators: labels -> compact int64 codes.

Done once per variable, whatever its labels are (negative, huge, sparse, strings,
categories): the kernels then only ever see codes in [0, n_levels) with every level
present.
"""

from __future__ import annotations

import math

import numpy as np

from . import _config
from ._validation import InvalidParameterError, is_categorical
from .kernels._discrete import _compact_codes


def compact(values: np.ndarray, low: int, high: int) -> tuple[np.ndarray, int]:
    """Compact int64 codes of integer values in [low, high], ordered by value."""
    n_range = high - low + 1  # a Python int: no overflow for any int64 bounds
    limit = max(_config.SMALL_RANGE_MIN, _config.SMALL_RANGE_FACTOR * values.shape[0])
    if n_range <= limit:
        return _compact_codes(values, np.int64(low), np.int64(n_range))
    return _unique_codes(values)


def _unique_codes(values: np.ndarray) -> tuple[np.ndarray, int]:
    levels, codes = np.unique(values, return_inverse=True)
    return np.ascontiguousarray(codes.reshape(-1), dtype=np.int64), len(levels)


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


def _object_codes(array: np.ndarray, label: str) -> tuple[np.ndarray, int]:
    values = array.tolist()
    if any(_is_missing(v) for v in values):
        raise _missing(label)
    kinds = {type(v) for v in values}
    if kinds <= {str}:
        return _unique_codes(array.astype(str))
    if kinds <= {bytes}:
        return _unique_codes(array.astype(bytes))
    if kinds <= {bool, int}:
        return _unique_codes(np.array(array.tolist()))  # int64, or object for huge ints
    if kinds <= {float, int, bool}:
        return column_codes(np.asarray(array, dtype=np.float64), label)
    names = ", ".join(sorted(k.__name__ for k in kinds))
    raise InvalidParameterError(
        f"{label} holds values of mixed or unsupported types ({names}); convert the column "
        f"to one type first, e.g. with .astype(str)."
    )


def column_codes(column, label: str) -> tuple[np.ndarray, int]:
    """Compact codes of one 1-D column of labels. Returns (codes, n_levels)."""
    if is_categorical(column):
        codes = np.asarray(getattr(column, "cat", column).codes, dtype=np.int64)
        if (codes < 0).any():
            raise _missing(label)
        return compact(codes, 0, int(codes.max()))
    array = np.asarray(column)
    kind = array.dtype.kind
    if kind == "b":
        return compact(array.astype(np.int64), 0, 1)
    if kind == "i" or (kind == "u" and array.dtype.itemsize < 8):
        values = array.astype(np.int64)
        return compact(values, int(values.min()), int(values.max()))
    if kind == "u":  # uint64 may exceed int64: sort the values themselves
        return _unique_codes(array)
    if kind == "f":
        if not np.isfinite(array).all():
            if np.isnan(array).any():
                raise _missing(label)
            raise InvalidParameterError(f"{label} contains inf; drop or replace it first.")
        return _unique_codes(array)
    if kind in "mM":
        if np.isnat(array).any():
            raise _missing(label)
        values = array.view(np.int64)
        return compact(values, int(values.min()), int(values.max()))
    if kind in "US":
        return _unique_codes(array)
    if kind == "O":
        return _object_codes(array, label)
    raise InvalidParameterError(
        f"{label} has dtype {array.dtype}, which is not a discrete type; use integer, "
        f"bool, string or categorical labels."
    )


def combine_codes(codes_a, n_a, codes_b, n_b) -> tuple[np.ndarray, int]:
    """Compact codes of the pair (a, b): one joint variable."""
    return compact(codes_a * n_b + codes_b, 0, n_a * n_b - 1)


def joint_codes(columns: list[tuple[str, object]]) -> tuple[np.ndarray, int]:
    """Compact codes of the joint variable formed by the given columns."""
    codes, n_levels = column_codes(columns[0][1], columns[0][0])
    for label, column in columns[1:]:
        more, n_more = column_codes(column, label)
        codes, n_levels = combine_codes(codes, n_levels, more, n_more)
    return codes, n_levels
