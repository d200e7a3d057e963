"""Checks of the samples at the public boundary (parameters: fastmi._options); kernels
never re-check."""

from __future__ import annotations

import numbers
import sys

import numpy as np


class InvalidParameterError(ValueError, TypeError):
    """A parameter or input has the wrong type or value.

    Subclasses both ValueError and TypeError (as scikit-learn does), so either
    ``except`` clause catches it.
    """


def check_enough_samples(n: int, k: int) -> None:
    """kNN estimators need more samples than neighbours."""
    if n <= k:
        raise InvalidParameterError(
            f"k must be less than the number of samples; got k={k} with {n} samples. "
            f"Pass a smaller k or more samples."
        )


def _pandas():
    """pandas if the caller already imported it; fastmi never imports it itself."""
    return sys.modules.get("pandas")


def is_categorical(column) -> bool:
    pd = _pandas()
    if pd is None:
        return False
    return isinstance(column, pd.Categorical) or isinstance(
        getattr(column, "dtype", None), pd.CategoricalDtype
    )


def as_columns(x, name: str) -> list[tuple[str, object]]:
    """Split a sample array into its columns.

    ``x`` is 1-D (one variable) or 2-D of shape (n_samples, d) (one joint variable of
    d columns); a pandas Series, Categorical or DataFrame is kept column by column so
    that categorical dtypes survive. Returns ``[(label, column), ...]`` where each
    label names the column in error messages (``"x"``, ``"x[:, 2]"``, ``"x['age']"``).
    """
    pd = _pandas()
    if pd is not None and isinstance(x, pd.DataFrame):
        if x.shape[1] == 0:
            raise InvalidParameterError(f"{name} has no columns; pass at least one.")
        columns = [(f"{name}[{label!r}]", x.iloc[:, j]) for j, label in enumerate(x.columns)]
    elif pd is not None and isinstance(x, (pd.Series, pd.Categorical, pd.Index)):
        columns = [(name, x)]
    else:
        try:
            array = np.asarray(x)
        except ValueError as exc:  # ragged nested sequences
            raise InvalidParameterError(
                f"{name} must be a 1-D or 2-D array of samples; it could not be converted "
                f"to an array ({exc})."
            ) from None
        if (
            isinstance(x, (list, tuple))
            and array.dtype.kind in "fO"
            and array.size
            and all(isinstance(v, numbers.Integral) for v in np.ravel(np.array(x, dtype=object)))
        ):
            array = np.array(x, dtype=object)  # ints beyond int64 stay labels, exactly
        if array.ndim == 0:
            raise InvalidParameterError(
                f"{name} must be a 1-D or 2-D array of samples; got a scalar ({array!r})."
            )
        if array.ndim > 2:
            raise InvalidParameterError(
                f"{name} must be 1-D (n_samples,) or 2-D (n_samples, n_dims); got an array "
                f"of shape {array.shape}. Reshape it, e.g. {name}.reshape(len({name}), -1)."
            )
        if array.ndim == 2 and array.shape[1] == 0:
            raise InvalidParameterError(
                f"{name} has shape {array.shape}: no columns; pass at least one."
            )
        if array.ndim == 1:
            columns = [(name, array)]
        else:
            columns = [(f"{name}[:, {j}]", array[:, j]) for j in range(array.shape[1])]
    if len(columns[0][1]) == 0:
        raise InvalidParameterError(f"{name} is empty; pass at least one sample.")
    return columns


def check_same_length(named_columns: dict[str, list]) -> int:
    """All variables have the same number of samples; return it."""
    lengths = {name: len(cols[0][1]) for name, cols in named_columns.items()}
    if len(set(lengths.values())) > 1:
        described = ", ".join(f"{name}: {n}" for name, n in lengths.items())
        raise InvalidParameterError(
            f"all variables must have the same number of samples; got {described}."
        )
    return next(iter(lengths.values()))


def column_kind(column) -> str:
    """'discrete' or 'continuous', from the dtype alone (DESIGN.md, method='auto'):
    floats, datetimes and timedeltas (measurements on a time axis) are continuous."""
    if is_categorical(column):
        return "discrete"
    kind = np.asarray(column).dtype.kind if not hasattr(column, "dtype") else column.dtype.kind
    return "continuous" if kind in "fmM" else "discrete"


def time_as_int64(column, label: str) -> np.ndarray:
    """A datetime or timedelta column (NumPy, or pandas with or without a time zone) as
    its integer time: ticks of its unit since the epoch, or of duration. Estimates
    do not depend on the unit (kNN and gcmi are scale-free, bins span the range)."""
    if getattr(column, "dtype", None) is not None and not isinstance(column, np.ndarray):
        missing = np.asarray(column.isna()) if hasattr(column, "isna") else None
        if missing is not None and missing.any():
            raise InvalidParameterError(
                f"{label} contains missing values (NaT); drop or impute them first."
            )
        if hasattr(column, "astype") and not isinstance(column.dtype, np.dtype):
            return np.asarray(column.astype("int64"))  # pandas time-zone-aware times
    array = np.asarray(column)
    if np.isnat(array).any():
        raise InvalidParameterError(
            f"{label} contains missing values (NaT); drop or impute them first."
        )
    return array.view(np.int64)


def as_float_column(column, label: str, method: str) -> np.ndarray:
    """A finite float64 copy-free view of a numeric column, or a clear error.
    Datetimes and timedeltas become their integer time."""
    if is_categorical(column):
        raise InvalidParameterError(
            f"{label} is categorical, but method={method!r} needs numeric data; "
            f"use method='discrete' for categorical variables."
        )
    kind = getattr(getattr(column, "dtype", None), "kind", None)
    array = time_as_int64(column, label) if kind in ("m", "M") else np.asarray(column)
    if array.dtype.kind not in "biuf":
        raise InvalidParameterError(
            f"{label} has dtype {array.dtype}, but method={method!r} needs numeric data; "
            f"use method='discrete' for labels."
        )
    with np.errstate(over="ignore"):
        values = np.ascontiguousarray(array, dtype=np.float64)
    if not np.isfinite(values).all():
        if np.isfinite(array).all():  # a long double beyond float64's range
            raise InvalidParameterError(
                f"{label} has values beyond float64's range (|x| > 1.8e308); rescale it first."
            )
        raise InvalidParameterError(f"{label} contains NaN or inf; drop or impute them first.")
    return values


def variable_kind(columns) -> str:
    """'discrete' when every column of a (joint) variable is discrete (int, bool, str,
    categorical), else 'continuous' (any float column makes it continuous)."""
    kinds = {column_kind(column) for _, column in columns}
    return "discrete" if kinds == {"discrete"} else "continuous"


def variable_label(columns) -> str:
    """The name of a (joint) variable in messages: its column's label, or for several
    columns the argument name they share ('x' for 'x[:, 0]', 'x[:, 1]')."""
    if len(columns) == 1:
        return columns[0][0]
    return columns[0][0].split("[", 1)[0]
