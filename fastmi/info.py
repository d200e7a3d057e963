"""Exact information quantities of probability (or count) tables.

These are the textbook definitions (Cover and Thomas [1]_, ch. 2) evaluated on a known
distribution, not estimates from samples (for those see :func:`fastmi.entropy`,
:func:`fastmi.mi`). Every function takes probabilities or counts:

- a table of integer values (any integer dtype, or floats that are all whole numbers)
  is taken as counts and normalised;
- any other table must sum to 1 (within 1e-9) and is used as given.

Negative entries, NaN or inf, and empty tables raise ``InvalidParameterError``, as do
non-integer tables that do not sum to 1. Terms with p = 0 contribute 0 (0 log 0 = 0).
Results are in nats, or in the unit of ``base`` (2 for bits).

References
----------
.. [1] T. M. Cover and J. A. Thomas, "Elements of Information Theory", 2nd ed.,
   Wiley (2006).

Examples
--------
A fair bit sent through a binary symmetric channel that flips it with probability 0.1:

>>> from fastmi import info
>>> round(info.mutual_info([[0.45, 0.05], [0.05, 0.45]], base=2), 4)
0.531
"""

from __future__ import annotations

import math

import numpy as np

from ._ib import IBResult, ib_curve, information_bottleneck
from ._options import check_base
from ._validation import InvalidParameterError

__all__ = [
    "entropy", "joint_entropy", "conditional_entropy", "mutual_info", "kl_divergence",
    "information_bottleneck", "ib_curve", "IBResult",
]  # fmt: skip

_SUM_TOLERANCE = 1e-9


def _distribution(table, name: str, *, ndim: int | None = None) -> np.ndarray:
    """A validated float64 probability table from probabilities or counts."""
    try:
        p = np.asarray(table, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidParameterError(
            f"{name} must be an array of probabilities or counts; got {table!r}."
        ) from None
    if ndim is not None and p.ndim != ndim:
        shape = "1-D (a distribution)" if ndim == 1 else f"{ndim}-D (a joint table)"
        raise InvalidParameterError(f"{name} must be {shape}; got shape {p.shape}.")
    if p.size == 0:
        raise InvalidParameterError(f"{name} is empty; pass at least one probability.")
    if not np.isfinite(p).all():
        raise InvalidParameterError(f"{name} contains NaN or inf.")
    if (p < 0).any():
        raise InvalidParameterError(
            f"{name} contains negative entries ({p.min():g}); probabilities and counts "
            f"must be >= 0."
        )
    largest = p.max()
    if largest == 0:
        raise InvalidParameterError(f"{name} sums to 0; it holds no probability mass.")
    if np.array_equal(p, np.round(p)):  # counts: scaled by the largest first, so that
        p = p / largest  # counts near the float64 limit cannot sum to inf
        return p / p.sum()
    total = p.sum()
    if abs(total - 1.0) > _SUM_TOLERANCE:
        raise InvalidParameterError(
            f"{name} sums to {total:.10g}, not 1. Pass probabilities that sum to 1, or "
            f"counts (whole numbers), which are normalised."
        )
    return p / total


def _plogp_sum(p: np.ndarray) -> float:
    """-sum p log p over the non-zero entries, in nats."""
    nz = p[p > 0]
    return float((nz * -np.log(nz)).sum()) + 0.0  # + 0.0: never -0.0


def entropy(p, *, base=math.e) -> float:
    """Shannon entropy H(X) = -sum_x p(x) log p(x) of a distribution.

    Parameters
    ----------
    p : array-like of shape (n_levels,)
        Probabilities, or counts (normalised). For a joint table use
        :func:`joint_entropy`.
    base : float, default math.e
        Base of the logarithm: e for nats, 2 for bits.

    Returns
    -------
    float
        H(X), between 0 and log(n_levels).

    See Also
    --------
    fastmi.entropy : the entropy estimated from samples.

    References
    ----------
    .. [1] C. E. Shannon, "A mathematical theory of communication", Bell System
       Technical Journal 27, 379-423 (1948).

    Examples
    --------
    >>> from fastmi import info
    >>> info.entropy([0.5, 0.5], base=2)
    1.0
    >>> round(info.entropy([9, 5], base=2), 4)  # counts: 9 days of play, 5 without
    0.9403
    """
    log_base = check_base(base)
    return _plogp_sum(_distribution(p, "p", ndim=1)) / log_base


def joint_entropy(pxy, *, base=math.e) -> float:
    """Joint entropy H(X, Y) = -sum_{x,y} p(x,y) log p(x,y).

    Parameters
    ----------
    pxy : array-like of shape (n_x, n_y, ...)
        Joint probabilities or counts of two (or more) variables, one axis each.
    base : float, default math.e
        Base of the logarithm.

    Returns
    -------
    float
        H(X, Y).

    Examples
    --------
    >>> from fastmi import info
    >>> info.joint_entropy([[0.25, 0.25], [0.25, 0.25]], base=2)
    2.0
    """
    log_base = check_base(base)
    p = _distribution(pxy, "pxy")
    if p.ndim < 2:
        raise InvalidParameterError(
            f"pxy must be a joint table with one axis per variable (2-D or more); got "
            f"shape {p.shape}. For one variable use entropy."
        )
    return _plogp_sum(p) / log_base


def conditional_entropy(pxy, *, base=math.e) -> float:
    """Conditional entropy H(X | Y) = -sum_{x,y} p(x,y) log p(x|y) = H(X,Y) - H(Y).

    Parameters
    ----------
    pxy : array-like of shape (n_x, n_y)
        Joint probabilities or counts, X on the rows, Y on the columns.
    base : float, default math.e
        Base of the logarithm.

    Returns
    -------
    float
        H(X | Y): what remains uncertain about X once Y is known.

    Examples
    --------
    >>> from fastmi import info
    >>> round(info.conditional_entropy([[0.45, 0.05], [0.05, 0.45]], base=2), 4)
    0.469
    """
    log_base = check_base(base)
    p = _distribution(pxy, "pxy", ndim=2)
    py = np.broadcast_to(p.sum(axis=0, keepdims=True), p.shape)
    nz = p > 0
    return (float((p[nz] * (np.log(py[nz]) - np.log(p[nz]))).sum()) + 0.0) / log_base


def mutual_info(pxy, *, base=math.e) -> float:
    """Mutual information I(X;Y) = sum_{x,y} p(x,y) log(p(x,y) / (p(x) p(y))).

    Equal to H(X) - H(X|Y), to H(X) + H(Y) - H(X,Y), and to the KL divergence of the
    joint from the product of its marginals; computed term by term, which stays
    accurate when I(X;Y) is much smaller than the entropies.

    Parameters
    ----------
    pxy : array-like of shape (n_x, n_y)
        Joint probabilities or counts, X on the rows, Y on the columns.
    base : float, default math.e
        Base of the logarithm.

    Returns
    -------
    float
        I(X;Y) >= 0.

    See Also
    --------
    fastmi.mi : mutual information estimated from samples.

    Examples
    --------
    >>> from fastmi import info
    >>> info.mutual_info([[0.5, 0.0], [0.0, 0.5]], base=2)  # a noiseless channel
    1.0
    >>> round(info.mutual_info([[0.35, 0.15], [0.40, 0.10]]), 7)
    0.0067018
    """
    log_base = check_base(base)
    p = _distribution(pxy, "pxy", ndim=2)
    px = np.broadcast_to(p.sum(axis=1, keepdims=True), p.shape)
    py = np.broadcast_to(p.sum(axis=0, keepdims=True), p.shape)
    nz = p > 0
    # Differences of logs, not the log of a ratio: px * py underflows for tiny masses.
    value = float((p[nz] * (np.log(p[nz]) - np.log(px[nz]) - np.log(py[nz]))).sum())
    return max(value, 0.0) / log_base  # >= 0 exactly; the sum can round to -1e-17


def kl_divergence(p, q, *, base=math.e) -> float:
    """Kullback-Leibler divergence D(p || q) = sum p log(p / q).

    Parameters
    ----------
    p, q : array-like of the same shape
        Two distributions over the same outcomes, as probabilities or counts (each is
        normalised on its own).
    base : float, default math.e
        Base of the logarithm.

    Returns
    -------
    float
        D(p || q) >= 0; ``inf`` when q = 0 somewhere p > 0.

    References
    ----------
    .. [1] S. Kullback and R. A. Leibler, "On information and sufficiency", Annals of
       Mathematical Statistics 22, 79-86 (1951).

    Examples
    --------
    >>> from fastmi import info
    >>> round(info.kl_divergence([0.5, 0.5], [0.9, 0.1], base=2), 4)
    0.737
    >>> info.kl_divergence([0.5, 0.5], [1.0, 0.0])
    inf
    """
    log_base = check_base(base)
    p_ = _distribution(p, "p")
    q_ = _distribution(q, "q")
    if p_.shape != q_.shape:
        raise InvalidParameterError(
            f"p and q must have the same shape; got {p_.shape} and {q_.shape}."
        )
    nz = p_ > 0
    if (q_[nz] == 0).any():
        return math.inf
    value = float((p_[nz] * (np.log(p_[nz]) - np.log(q_[nz]))).sum())
    return max(value, 0.0) / log_base
