"""Dispatch tables: estimator from dtypes (never from size), kernel strategy from size."""

from __future__ import annotations

import math

from . import _config
from ._validation import InvalidParameterError, column_kind
from .kernels._discrete import _discrete_mi_dense, _discrete_mi_sparse

#: Names accepted by ``method=``.
METHODS = ("auto", "discrete", "hist", "ksg", "ksg2", "mixed", "gcmi")

#: Estimators that work on samples of continuous variables by k nearest neighbours.
KNN_METHODS = ("ksg", "ksg2")

#: Estimators that ``method="auto"`` picks, by the kinds of the two variables.
AUTO_ESTIMATOR = {
    ("discrete", "discrete"): "discrete",
    ("continuous", "continuous"): "ksg",
    ("discrete", "continuous"): "mixed",
    ("continuous", "discrete"): "mixed",
}

#: Bias corrections, and the estimators each applies to.
CORRECTIONS = {
    None: METHODS,
    "miller-madow": ("discrete", "hist"),
    "gaussian": ("gcmi",),
}


def variable_kind(columns) -> str:
    """'discrete' when every column is discrete (int, bool, str, categorical), else
    'continuous' (any float column makes the joint variable continuous)."""
    kinds = {column_kind(column) for _, column in columns}
    return "discrete" if kinds == {"discrete"} else "continuous"


def resolve_method(method: str, variables: dict[str, list]) -> str:
    """The estimator for ``method`` given the variables' dtypes (DESIGN.md table)."""
    if method != "auto":
        return method
    kinds = {name: variable_kind(columns) for name, columns in variables.items()}
    distinct = set(kinds.values())
    if len(distinct) == 1:
        return AUTO_ESTIMATOR[(next(iter(distinct)),) * 2]
    if len(kinds) == 2:
        return AUTO_ESTIMATOR[tuple(kinds.values())]
    described = ", ".join(f"{name} is {kind}" for name, kind in kinds.items())
    raise InvalidParameterError(
        f"method='auto' has no estimator of conditional MI for a mix of discrete and "
        f"continuous variables ({described}). Pass method='hist' to bin the continuous "
        f"ones, method='ksg' to treat all as continuous, or method='gcmi'."
    )


def ksg_grid_cells(n_samples: int) -> int:
    """Side of the neighbour-search grid (entropy, CMI), which is also the number of
    strips of the KSG MI search (strips of sqrt(2 n) samples); 0 for brute force."""
    if n_samples <= _config.KSG_BRUTE_FORCE_MAX_N:
        return 0
    return max(1, math.isqrt(n_samples // _config.KSG_GRID_OCCUPANCY))


def ksg_parallel(n_samples: int) -> bool:
    """One large pair: parallel over query points (all Numba threads)."""
    return n_samples >= _config.KSG_PARALLEL_MIN_N


def dense_table_cells(n_samples: int) -> int:
    """The largest contingency table counted densely for n samples (fastmi._config)."""
    return min(
        _config.DENSE_TABLE_MAX_CELLS,
        max(_config.DENSE_TABLE_MIN_CELLS, _config.DENSE_TABLE_CELLS_PER_SAMPLE * n_samples),
    )


def discrete_mi_kernel(n_x: int, n_y: int, n_samples: int):
    """Dense contingency table when it is small, the grouped sparse count otherwise."""
    if n_x * n_y <= dense_table_cells(n_samples):
        return _discrete_mi_dense
    return _discrete_mi_sparse
