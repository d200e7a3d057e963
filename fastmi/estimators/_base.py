"""The metadata row that every estimator module defines, and that the rest reads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Estimator:
    """One estimator: what it is, and the functions that compute it.

    ``mi`` is what ``fastmi.mi`` runs; ``part`` prepares the variables of a matrix job
    once and returns the tile part, ``part(a, b, out)``, which runs the same pair
    function over many pairs in parallel. Both prepare a variable with the same recipe
    and call the same Numba pair function, so a matrix equals the loop of ``mi`` calls
    bit for bit.
    """

    name: str  # "ross": the registry key
    method: str  # "mixed": the method= value that selects it
    table: bool  # a contingency-table estimator: H(X) diagonal, NMI normalisations
    corrections: tuple[str, ...]  # correction= values it accepts, besides None
    cost_per_sample: float  # seconds per pair and sample on one thread (bench/), for ETAs
    mi: Callable  # (x columns, y columns, options) -> MI in nats
    part: Callable  # (variables, columns, kinds, options, partners) -> tile part
    entropy: Callable | None = None  # (columns, options) -> H in nats, if it has one
    cmi: Callable | None = None  # (x, y, z columns, options) -> CMI in nats, if any
