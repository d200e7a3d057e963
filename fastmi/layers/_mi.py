"""layer_mi: the MI between two whole layers, and the warnings that say when the
number cannot be trusted."""

from __future__ import annotations

import math
import warnings

import numpy as np

from .._api import mi
from .._options import check_choice, estimation_options
from .._validation import InvalidParameterError
from .._warnings import PerfectDependenceWarning, UnreliableEstimateWarning, user_stacklevel
from ..estimators import METHODS
from ._copula import ScoreBasis, layer_mi_nats, score_basis
from ._inputs import as_layer, check_reduction, check_samples, reduced

#: Joint dimensions past which kNN estimates are warned about: their downward bias
#: grows with the dimension and swamps the value well before 20 (Gao et al. 2015 show
#: KSG losing most of the MI of strongly dependent variables already at d = 10).
KNN_MAX_DIMS = 20
KNN_METHODS = ("auto", "ksg", "ksg2", "lnc", "mixed")
#: Warn about the small-sample bias of a Gaussian estimate when it exceeds this many
#: nats and this share of the estimate.
BIAS_NATS, BIAS_SHARE = 0.05, 0.1


def check_gaussian_samples(n: int, ranks: tuple[int, int], correct: bool, what: str) -> None:
    """A joint sample covariance of r_a + r_b dimensions needs more samples."""
    needed = sum(ranks) + 1 + correct
    if n < needed:
        raise InvalidParameterError(
            f"{what} needs more samples than the two layers' units together; got {n} "
            f"samples for {ranks[0]} + {ranks[1]} units (linearly independent, non-constant)"
            f". Reduce the layers first (n_components=...) or pass more samples."
        )


def large_bias(bias: float, value: float) -> bool:
    """A small-sample bias (nats) worth a warning against an estimate of ``value``."""
    return bias > max(BIAS_NATS, BIAS_SHARE * value)


def warn_gaussian(value: float, rho: np.ndarray, ranks, n: int, correct: bool, subject: str):
    """The warnings of a Gaussian-copula layer MI (in nats) of ``subject``."""
    if math.isinf(value):
        count = int(np.count_nonzero(rho == 1.0))
        warnings.warn(
            f"method='gcmi': {subject}: {count} canonical direction(s) of their normal "
            f"scores are exact linear functions of each other (identical or monotone-"
            f"related units), so the Gaussian-copula MI is infinite (inf).",
            PerfectDependenceWarning,
            stacklevel=user_stacklevel(),
        )
        return
    if value > math.log(n):
        warnings.warn(
            f"method='gcmi': {subject}: {value:.1f} nats is more than log n = "
            f"{math.log(n):.1f} nats, more than {n} samples can vouch for (McAllester "
            f"and Stratos 2020). Their top canonical correlation is 1 - {1 - rho[0]:.1e}, "
            f"as for a deterministic map (one layer a function of the other), whose MI "
            f"between continuous activations is infinite: the value reflects the "
            f"estimator's resolution. Compare such layers with fastmi.layer_similarity "
            f"(bounded scores), or add noise to the activations to make the MI finite "
            f"(Saxe et al. 2018).",
            UnreliableEstimateWarning,
            stacklevel=user_stacklevel(),
        )
    bias = ranks[0] * ranks[1] / (2 * n)
    if not correct and large_bias(bias, value):
        warnings.warn(
            f"method='gcmi': {subject}: a Gaussian estimate of {ranks[0]} x {ranks[1]} "
            f"dimensions from {n} samples is biased upward by about d_a d_b / (2 n) = "
            f"{bias:.2g} nats (its value for independent layers), against an estimate of "
            f"{value:.2g}. Pass correction='gaussian', reduce the layers "
            f"(n_components=...), or use more samples.",
            UnreliableEstimateWarning,
            stacklevel=user_stacklevel(),
        )


def gaussian_layer_mi(a: ScoreBasis, b: ScoreBasis, n: int, correct: bool, subject: str):
    """Gaussian-copula MI in nats of two prepared layers, checked and warned about."""
    check_gaussian_samples(n, (a.rank, b.rank), correct, "method='gcmi'")
    value, rho = layer_mi_nats(a, b, n, correct)
    warn_gaussian(value, rho, (a.rank, b.rank), n, correct, subject)
    return value


def warn_knn(method: str, dims: int, subject: str) -> None:
    if method in KNN_METHODS and dims > KNN_MAX_DIMS:
        warnings.warn(
            f"method={method!r}: {subject}: a kNN estimate in {dims} joint dimensions. "
            f"Past about {KNN_MAX_DIMS} dimensions every neighbour is far and kNN "
            f"estimates lose most of the information (Gao et al. 2015). Use "
            f"method='gcmi', or reduce each layer first (n_components=...).",
            UnreliableEstimateWarning,
            stacklevel=user_stacklevel(),
        )


def layer_mi(
    A,
    B,
    *,
    method="gcmi",
    n_components=None,
    reduce="pca",
    k=3,
    bins="auto",
    correction=None,
    random_state=0,
    base=math.e,
) -> float:
    """Mutual information I(A;B) between two whole layers (in nats; ``base`` sets the unit).

    Each layer is one joint variable whose value is its row of activations. With
    ``method="gcmi"`` (the default) each unit is replaced by the normal scores of its
    ranks and the MI is that of Gaussian vectors with the scores' covariance:
    -1/2 sum_i log(1 - rho_i^2) over the canonical correlations rho_i of the two
    layers' scores [1]_ [2]_, the same value as ``fastmi.mi(A, B, method="gcmi")``
    (to rounding), computed from an orthonormal basis of each layer.

    :doc:`/representations` shows it on a trained network, and when not to trust it.

    Parameters
    ----------
    A, B : array-like of shape (n_samples, n_units_a), (n_samples, n_units_b)
        Activations of two layers for the same inputs in the same order: NumPy arrays,
        DataFrames, or tensors with ``__array__`` or ``__dlpack__`` (torch, JAX,
        CuPy) in host memory; their libraries are never imported.
    method : {"gcmi", "auto", "discrete", "hist", "ksg", "ksg2", "lnc", "mixed"}, default "gcmi"
        ``"gcmi"``: the Gaussian-copula MI of the two layers (above). Any other
        method of :func:`fastmi.mi` estimates the MI of the two layers as joint
        variables, as ``fastmi.mi(A, B, method=method)`` does (``"auto"`` is
        ``"ksg"`` for float activations); kNN methods in more than 20 joint
        dimensions warn, and ``"lnc"`` needs k above the joint dimension.
    n_components : int, optional
        Reduce each layer with more units to this many directions first.
    reduce : {"pca", "random"}, default "pca"
        ``"pca"``: the leading principal components of each layer; ``"random"``: a
        Gaussian random projection seeded by ``random_state``. A reduced layer is no
        longer invariant to monotone maps of its units.
    k, bins
        As in :func:`fastmi.mi`, for the kNN and binned methods.
    correction : {None, "gaussian"} or a table correction
        ``"gaussian"`` with gcmi removes the log-determinant bias of sample
        covariances (about d_a d_b / (2 n) nats for independent layers).
    random_state : int or None, default 0
        Seeds the random projection and the kNN jitter.
    base : float, default math.e
        Base of the logarithm: e for nats, 2 for bits.

    Returns
    -------
    float
        The estimate in units of ``base``; ``inf`` (with a
        ``PerfectDependenceWarning``) when a direction of one layer's normal scores
        is an exact linear function of the other's.

    Warns
    -----
    UnreliableEstimateWarning
        gcmi: an estimate above log n nats, more than n samples can vouch for [3]_
        (typically a deterministic map between the layers, whose true MI between
        continuous activations is infinite), or a small-sample bias d_a d_b / (2 n)
        that is large against the estimate. kNN methods in more than 20 joint
        dimensions.

    Raises
    ------
    InvalidParameterError
        Layers that are not 2-D, of different numbers of samples, with NaN or inf;
        gcmi with no more samples than units in the two layers together.

    Notes
    -----
    Constant units carry no information and are dropped (a constant layer has MI 0
    with any layer, unlike :func:`fastmi.layer_similarity`, which raises for one);
    units that exactly repeat a linear combination of others (after the rank
    transform) add no direction and are collapsed, where ``fastmi.mi`` raises.

    See Also
    --------
    fastmi.layer_similarity : bounded scores for many layers.
    fastmi.mi : the MI of any two variables.

    References
    ----------
    .. [1] R. A. A. Ince et al., "A statistical framework for neuroimaging data
       analysis based on mutual information estimated via a Gaussian copula", Human
       Brain Mapping 38, 1541-1573 (2017).
    .. [2] S. Kullback, "Information Theory and Statistics", Wiley (1959), ch. 9.
    .. [3] D. McAllester and K. Stratos, "Formal limitations on the measurement of
       mutual information", AISTATS (2020).

    Examples
    --------
    >>> import numpy as np
    >>> import fastmi
    >>> rng = np.random.default_rng(0)
    >>> A = rng.normal(size=(20_000, 3))
    >>> B = 0.6 * A[:, :2] + 0.8 * rng.normal(size=(20_000, 2))  # rho = 0.6, 0.6
    >>> round(fastmi.layer_mi(A, B), 2)  # exact: -log(1 - 0.36) = 0.45
    0.45
    """
    check_choice(method, "method", METHODS)
    opt = estimation_options(
        method=method, k=k, bins=bins, correction=correction, random_state=random_state,
        base=base,
    )  # fmt: skip
    n_components = check_reduction(n_components, reduce)
    a, b = as_layer(A, "A"), as_layer(B, "B")
    n = check_samples({"A": a, "B": b})
    a = reduced(a, n_components, reduce, opt.seed)
    b = reduced(b, n_components, reduce, opt.seed + 1)
    if method == "gcmi":
        if correction not in (None, "gaussian"):
            raise InvalidParameterError(
                f"correction={correction!r} is for the table estimators; with "
                f"method='gcmi' pass None or 'gaussian'."
            )
        basis_a, basis_b = score_basis(a, "A"), score_basis(b, "B")
        value = gaussian_layer_mi(basis_a, basis_b, n, correction == "gaussian", "A and B")
        return value / opt.log_base
    warn_knn(method, a.shape[1] + b.shape[1], "A and B")
    return mi(a, b, method=method, k=k, bins=bins, correction=correction,
              random_state=opt.seed, base=base)  # fmt: skip
