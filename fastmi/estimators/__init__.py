"""The estimators: one module each, and the registry that resolves ``method=``.

Every module owns its column preparation, its size strategy, its tile part for the
matrix engine and its metadata row (an ``Estimator``). The registry below maps
``method=`` and the kinds of two variables to a row, once; everything else (the
public functions, the matrix engine, option checks, progress estimates) reads the
rows instead of lists of names.

Adding an estimator: its module here (preparation, pair function, tile part, row), its
kernel in fastmi/kernels/, its row in ``REGISTRY`` (and ``AUTO`` if ``method="auto"``
should pick it), its tests, and its section of docs/estimators.md.
"""

from __future__ import annotations

from .._validation import InvalidParameterError, variable_kind
from ._base import Estimator
from .discrete import DISCRETE
from .gcmi import GCMI
from .hist import HIST
from .ksg import KSG, KSG2
from .lnc import LNC
from .mixed import GAO, ROSS

REGISTRY: dict[str, Estimator] = {
    e.name: e for e in (DISCRETE, HIST, KSG, KSG2, LNC, ROSS, GAO, GCMI)
}

#: Names accepted by ``method=``.
METHODS = ("auto", *dict.fromkeys(e.method for e in REGISTRY.values()))

#: What ``method="auto"`` picks, by the kinds of the two variables (dtypes alone).
AUTO = {
    ("discrete", "discrete"): "discrete",
    ("continuous", "continuous"): "ksg",
    ("discrete", "continuous"): "mixed",
    ("continuous", "discrete"): "mixed",
}

#: correction= values, and the methods each applies to.
CORRECTIONS = {None: METHODS[1:]} | {
    c: tuple(dict.fromkeys(e.method for e in REGISTRY.values() if c in e.corrections))
    for e in REGISTRY.values()
    for c in e.corrections
}

KINDS = ("discrete", "continuous")


def _methods_where(has) -> tuple[str, ...]:
    return tuple(dict.fromkeys(e.method for e in REGISTRY.values() if has(e)))


#: The methods of the table estimators, and those that estimate entropy, and CMI.
TABLE_METHODS = _methods_where(lambda e: e.table)
ENTROPY_METHODS = _methods_where(lambda e: e.entropy is not None)
CMI_METHODS = _methods_where(lambda e: e.cmi is not None)


def _listed(methods) -> str:
    return ", ".join(repr(m) for m in methods)


#: The kinds of a pair of variables, the keys of a method mapping.
PAIR_KINDS = ("discrete", "continuous", "mixed")


def pair_kind(kind_a: str, kind_b: str) -> str:
    return kind_a if kind_a == kind_b else "mixed"


def resolve(method, kind_a: str, kind_b: str) -> Estimator:
    """The estimator of a pair of variables of these kinds: ``method``, a mapping of
    pair kinds to methods (as a tuple of pairs; the kinds not named follow auto), or
    the auto table; ``"mixed"`` is Ross for one discrete and one continuous variable,
    Gao otherwise."""
    if isinstance(method, tuple):
        method = dict(method).get(pair_kind(kind_a, kind_b), "auto")
    if method == "auto":
        method = AUTO[(kind_a, kind_b)]
    if method == "mixed":
        return ROSS if kind_a != kind_b else GAO
    return REGISTRY[method]


def resolve_variables(method: str, variables: dict[str, list]) -> Estimator:
    """The estimator of one, two or three variables (entropy, MI, conditional MI)."""
    kinds = {name: variable_kind(columns) for name, columns in variables.items()}
    distinct = set(kinds.values())
    if isinstance(method, tuple) and len(kinds) > 2:  # three variables: one kind
        method = dict(method).get(distinct.pop() if len(distinct) == 1 else "mixed", "auto")
        distinct = set(kinds.values())
    if method == "auto" and len(distinct) > 1 and len(kinds) > 2:
        described = ", ".join(f"{name} is {kind}" for name, kind in kinds.items())
        raise InvalidParameterError(
            f"method='auto' has no estimator of conditional MI for a mix of discrete and "
            f"continuous variables ({described}). Pass method='hist' to bin the continuous "
            f"ones, method='ksg' to treat all as continuous, or method='gcmi'."
        )
    first, *rest = kinds.values()
    return resolve(method, first, rest[0] if rest else first)


def check_fits(estimators, correction, normalize, *, matrix: bool = False) -> None:
    """``correction`` and ``normalize`` fit every estimator in use (``matrix``: the
    estimators of the pairs of a matrix job)."""
    for estimator in estimators:
        used = (
            f"some pairs here use {estimator.method!r}"
            if matrix
            else f"the estimator here is {estimator.method!r}"
        )
        if correction is not None and correction not in estimator.corrections:
            fits = " or ".join(repr(m) for m in CORRECTIONS[correction])
            raise InvalidParameterError(
                f"correction={correction!r} applies to method={fits}; {used}. Pass "
                f"correction=None" + (", or pick a method." if matrix else ".")
            )
        if normalize not in (None, "corr") and not estimator.table:
            raise InvalidParameterError(
                f"normalize={normalize!r} divides by entropies, which only the table "
                f"estimators ({_listed(TABLE_METHODS)}) provide; {used}. Use "
                f"normalize='corr', which works for every method."
            )


__all__ = [
    "AUTO",
    "CMI_METHODS",
    "CORRECTIONS",
    "ENTROPY_METHODS",
    "KINDS",
    "METHODS",
    "PAIR_KINDS",
    "REGISTRY",
    "TABLE_METHODS",
    "Estimator",
    "check_fits",
    "resolve",
    "resolve_variables",
]
