"""unit_matching: each unit's best partner in another layer, from the unit cross
matrix of fastmi.pairwise_mi, and the share of units that some unit explains."""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field

import numpy as np

from .._api import entropy
from .._normalize import normalized
from .._options import check_choice, check_int, check_random_state, estimation_options
from .._validation import InvalidParameterError
from ..estimators import METHODS, REGISTRY, resolve
from ..pairwise._api import pairwise_mi
from ..significance._single import quiet_null
from ._inputs import as_layer, check_samples
from ._null import pvalue as permutation_pvalue


@dataclass(frozen=True)
class UnitMatching:
    """The result of :func:`fastmi.unit_matching`.

    Attributes
    ----------
    partner : ndarray of shape (n_units_a,)
        For each unit of A, the label (a column name of a DataFrame B, else the column
        index) of the unit of B that shares the most information with it. A constant
        unit of A shares nothing with any unit and has no partner: -1 (None when B's
        units are labelled by DataFrame columns).
    mi : ndarray of shape (n_units_a,)
        That MI, in nats (0 for a constant unit of A).
    strength : ndarray of shape (n_units_a,)
        The MI on a [0, 1] scale: the informational correlation sqrt(1 - exp(-2 I))
        (``|rho|`` for Gaussians) for continuous estimators, I / H(A_i), the share of
        the unit's entropy explained, for table estimators (``"discrete"``,
        ``"hist"``). NaN for a constant unit of A.
    pvalue : ndarray of shape (n_units_a,) or None
        With permutations: the probability, with the samples of B permuted, that the
        best partner of the unit shares at least this much (the maximum over B's units
        is taken in each permutation, so the p-value accounts for the choice of the
        partner); NaN for a constant unit of A. None without permutations.
    explained : ndarray of bool, shape (n_units_a,)
        strength >= threshold, and pvalue <= alpha with permutations; False for a
        constant unit of A.
    share : float
        The fraction of A's units explained by some unit of B.
    matrix : ndarray or DataFrame of shape (n_units_a, n_units_b)
        The unit cross matrix, ``fastmi.pairwise_mi(A, B)``.
    units : list
        A's unit labels.
    """

    partner: np.ndarray
    mi: np.ndarray
    strength: np.ndarray
    pvalue: np.ndarray | None
    explained: np.ndarray
    share: float
    matrix: object = field(repr=False)
    units: list = field(repr=False)

    def to_frame(self):
        """The per-unit table as a pandas DataFrame indexed by A's units: partner, mi,
        strength, pvalue (with permutations) and explained."""
        import pandas as pd

        columns = {"partner": self.partner, "mi": self.mi, "strength": self.strength}
        if self.pvalue is not None:
            columns["pvalue"] = self.pvalue
        columns["explained"] = self.explained
        return pd.DataFrame(columns, index=pd.Index(self.units, name="unit"))


def _is_real(value) -> bool:
    """A real number (NumPy scalars included), not a bool."""
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _labels(data, count: int) -> list:
    return list(data.columns) if hasattr(data, "columns") else list(range(count))


def _strength(mi: np.ndarray, table: bool, entropies: np.ndarray | None) -> np.ndarray:
    if not table:
        return normalized(mi, "corr")
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(entropies > 0, mi / np.where(entropies > 0, entropies, 1.0), 0.0)


def unit_matching(
    A,
    B,
    *,
    method="gcmi",
    threshold=0.5,
    n_permutations=0,
    alpha=0.05,
    k=3,
    bins="auto",
    random_state=0,
    n_jobs=None,
) -> UnitMatching:
    """Match each unit of layer A with the unit of layer B that tells most about it.

    From the unit cross matrix M = ``fastmi.pairwise_mi(A, B)``, each unit i of A gets
    its best partner argmax_j M[i, j]; a unit counts as explained by B when that
    partner's MI, on a [0, 1] scale, reaches ``threshold`` (and, with permutations,
    when it beats what the best of B's units reaches with B's samples shuffled).
    Swap A and B for the other direction: the matching is not symmetric.

    :doc:`/representations` shows it on a trained network.

    Parameters
    ----------
    A, B : array-like of shape (n_samples, n_units_a), (n_samples, n_units_b)
        Activations of two layers for the same inputs (NumPy, DataFrame, or tensors
        with ``__array__`` or ``__dlpack__``); DataFrame columns label the units.
    method : {"gcmi", "auto", "discrete", "hist", "ksg", "ksg2", "lnc", "mixed"}, default "gcmi"
        The estimator of the unit pairs, any method of :func:`fastmi.pairwise_mi`:
        ``"gcmi"`` is fast and rank-based; ``"ksg"`` captures non-monotone relations
        at a higher cost. With a table estimator (``"discrete"``, ``"hist"``) the
        strength divides by the entropy of A's unit.
    threshold : float in [0, 1] or None, default 0.5
        The strength (see ``UnitMatching.strength``) from which a unit counts as
        explained; None to decide by the permutation p-values alone.
    n_permutations : int, default 0
        Permutations of B's samples for the p-values of the best partners.
    alpha : float, default 0.05
        The p-value from which a unit counts as explained, with permutations.
    k, bins, random_state, n_jobs
        As in :func:`fastmi.pairwise_mi`; ``random_state`` also seeds the
        permutations.

    Returns
    -------
    UnitMatching
        ``partner``, ``mi``, ``strength``, ``pvalue``, ``explained`` per unit of A,
        the ``share`` of A's units explained, the cross ``matrix``; ``to_frame()``
        gives the per-unit table.

    Raises
    ------
    InvalidParameterError
        Layers that are not 2-D, of different lengths, with NaN or inf; a bad
        threshold or alpha; ``threshold=None`` without permutations.

    See Also
    --------
    fastmi.pairwise_mi : the cross matrix itself.
    fastmi.layer_similarity : one number per pair of layers.

    Examples
    --------
    >>> import numpy as np
    >>> import fastmi
    >>> rng = np.random.default_rng(0)
    >>> A = rng.normal(size=(2000, 3))
    >>> noise = 0.3 * rng.normal(size=(2000, 3))
    >>> B = np.column_stack([np.exp(A[:, 2]), np.zeros(2000), A[:, 0] ** 3]) + noise
    >>> match = fastmi.unit_matching(A, B)
    >>> match.partner[[0, 2]], match.explained, match.share  # unit 1 of A: no partner
    (array([2, 0]), array([ True, False,  True]), 0.6666666666666666)
    """
    check_choice(method, "method", METHODS)  # a name: a mapping of kinds does not apply
    opt = estimation_options(method=method, k=k, bins=bins, random_state=random_state)
    if threshold is not None and not (_is_real(threshold) and 0 <= threshold <= 1):
        raise InvalidParameterError(
            f"threshold must be a number in [0, 1] or None; got {threshold!r}."
        )
    n_permutations = check_int(n_permutations, "n_permutations", min_value=0)
    if not (_is_real(alpha) and 0 < alpha < 1):
        raise InvalidParameterError(f"alpha must be a number in (0, 1); got {alpha!r}.")
    if threshold is None and n_permutations == 0:
        raise InvalidParameterError(
            "threshold=None decides by permutation p-values alone; pass n_permutations "
            "(e.g. 200) or a threshold."
        )
    a, b = as_layer(A, "A"), as_layer(B, "B")
    n = check_samples({"A": a, "B": b})
    options = dict(method=method, k=k, bins=bins, random_state=opt.seed, n_jobs=n_jobs)
    matrix = pairwise_mi(a, b, **options)
    best = matrix.argmax(axis=1)
    values = matrix[np.arange(len(best)), best]
    table = REGISTRY.get(method, resolve(method, "continuous", "continuous")).table
    entropies = None
    if table:
        entropies = np.array(
            [entropy(a[:, i], method=method, bins=bins) for i in range(a.shape[1])]
        )
    strength = _strength(values, table, entropies)
    constant = a.max(axis=0) == a.min(axis=0)  # no partner: test_unit_matching_constant_unit
    strength[constant] = np.nan
    explained = strength >= threshold if threshold is not None else ~constant
    pvalue = None
    if n_permutations:
        rng = np.random.default_rng(check_random_state(opt.seed))
        null = np.empty((n_permutations, a.shape[1]))
        with quiet_null():
            for r in range(n_permutations):
                null[r] = pairwise_mi(a, b[rng.permutation(n)], **options).max(axis=1)
        pvalue = np.array([permutation_pvalue(values[i], null[:, i]) for i in range(len(best))])
        pvalue[constant] = np.nan
        explained &= pvalue <= alpha
    units_a, units_b = _labels(A, a.shape[1]), _labels(B, b.shape[1])
    labelled = hasattr(A, "columns") or hasattr(B, "columns")
    if labelled:
        import pandas as pd

        frame = pd.DataFrame(matrix, index=units_a, columns=units_b)
    partner = np.array(units_b, dtype=object if hasattr(B, "columns") else None)[best]
    partner[constant] = None if hasattr(B, "columns") else -1
    return UnitMatching(
        partner=partner,
        mi=values,
        strength=strength,
        pvalue=pvalue,
        explained=explained,
        share=float(explained.mean()),
        matrix=frame if labelled else matrix,
        units=units_a,
    )
