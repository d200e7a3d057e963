"""Dispatch tables: estimator from dtypes (never from size), kernel strategy from size."""

from __future__ import annotations

from . import _config
from ._validation import column_kind
from .kernels._discrete import _discrete_mi_dense, _discrete_mi_sparse

#: Names accepted by ``method=``.
METHODS = ("auto", "discrete", "hist")

#: Estimators that ``method="auto"`` picks, by the kinds of the two variables.
AUTO_ESTIMATOR = {
    ("discrete", "discrete"): "discrete",
}

CORRECTIONS = (None, "miller-madow")


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
    if all(kind == "discrete" for kind in kinds.values()):
        return "discrete"
    name = next(name for name, kind in kinds.items() if kind == "continuous")
    label = next(lab for lab, col in variables[name] if column_kind(col) == "continuous")
    raise NotImplementedError(
        f"method='auto' would pick the KSG estimator because {label} is continuous "
        f"(float), and KSG is not in this version of fastmi yet. Pass method='hist' to "
        f"bin continuous data, or method='discrete' to treat its values as labels."
    )


def discrete_mi_kernel(n_x: int, n_y: int, n_samples: int):
    """Dense contingency table when it is small, the grouped sparse count otherwise."""
    dense_limit = max(
        _config.DENSE_TABLE_MIN_CELLS, _config.DENSE_TABLE_CELLS_PER_SAMPLE * n_samples
    )
    if n_x * n_y <= min(_config.DENSE_TABLE_MAX_CELLS, dense_limit):
        return _discrete_mi_dense
    return _discrete_mi_sparse
