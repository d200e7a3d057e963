"""layer_similarity: a layer x layer matrix of bounded similarity scores (or MI), each
layer prepared once, with an optional permutation baseline."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np

from .._options import (
    check_base,
    check_choice,
    check_int,
    check_random_state,
)
from .._validation import InvalidParameterError
from .._warnings import UnreliableEstimateWarning, pairs_text, user_stacklevel
from ._cka import centred_layer, cka, constant_layer_error, debiased_cka
from ._copula import (
    canonical_correlations,
    mean_informational_correlation,
    mi_of_correlations,
    score_basis,
)
from ._inputs import as_layer, check_reduction, check_samples, named_layers, reduced
from ._mi import check_gaussian_samples
from ._null import pvalue as permutation_pvalue

SCORES = ("mi_corr", "mi", "cka", "cka_debiased")
#: Warn when the expected mean canonical correlation of independent layers,
#: sqrt(max(d_a, d_b) / (n - 1)), is above this and no baseline was asked for.
MI_CORR_BASELINE = 0.1


@dataclass(frozen=True)
class _Score:
    """How one score prepares a layer and compares two prepared layers."""

    prepare: object  # (layer (n, d), name) -> prepared; prepared.permuted(perm)
    pair: object  # (prepared a, prepared b) -> float


def _mi_corr(a, b) -> float:
    return mean_informational_correlation(canonical_correlations(a, b))


def _mi(a, b) -> float:
    return float(mi_of_correlations(canonical_correlations(a, b)).sum())


_SCORES = {
    "mi_corr": _Score(score_basis, _mi_corr),
    "mi": _Score(score_basis, _mi),
    "cka": _Score(centred_layer, cka),
    "cka_debiased": _Score(centred_layer, debiased_cka),
}


@dataclass(frozen=True)
class LayerSimilarity:
    """The result of :func:`fastmi.layer_similarity` with ``n_permutations > 0``.

    Attributes
    ----------
    score : ndarray or DataFrame of shape (n_layers, n_layers)
        The similarity matrix, as returned without permutations.
    baseline : ndarray or DataFrame of shape (n_layers, n_layers)
        The mean score over the permutations: what the score gives for layers that
        share nothing, at this sample size and these widths. Compare ``score`` with
        it rather than with 0.
    pvalue : ndarray or DataFrame of shape (n_layers, n_layers)
        (1 + #{permuted score >= score}) / (1 + n_permutations) per pair: the
        probability of a score at least this large for independent layers.
    null_distribution : ndarray of shape (n_permutations, n_layers, n_layers)
        The permuted scores.
    """

    score: object
    baseline: object
    pvalue: object
    null_distribution: np.ndarray = field(repr=False)


def _labelled(matrix: np.ndarray, names: list[str], named: bool):
    if not named:
        return matrix
    try:
        import pandas as pd
    except ImportError:
        return matrix
    return pd.DataFrame(matrix, index=names, columns=names)


def _matrix(prepared, pair, second=None) -> np.ndarray:
    """score(prepared[i], second[j]) for i <= j, mirrored: a score is symmetric, and
    its permutation null is symmetric in distribution."""
    second = prepared if second is None else second
    count = len(prepared)
    out = np.empty((count, count))
    for i in range(count):
        for j in range(i, count):
            out[i, j] = out[j, i] = pair(prepared[i], second[j])
    return out


def _check_mi_corr(n: int, prepared, names, score: str, baseline: bool):
    """Enough samples for the widest pair of layers; the warning of a high floor."""
    ranks = [p.rank for p in prepared]
    if len(ranks) > 1:
        widest = sorted(ranks)[-2:]
        check_gaussian_samples(n, (widest[1], widest[0]), False, f"score={score!r}")
    expected = math.sqrt(max(ranks) / (n - 1))
    if score == "mi_corr" and not baseline and expected > MI_CORR_BASELINE:
        widest = names[int(np.argmax(ranks))]
        warnings.warn(
            f"score='mi_corr': with {n} samples and up to {max(ranks)} units ({widest}), "
            f"the canonical correlations of independent layers average about "
            f"sqrt(d / (n - 1)) = {expected:.2f}, not 0. Pass n_permutations=... for "
            f"that baseline, reduce the layers (n_components=...), or use more samples.",
            UnreliableEstimateWarning,
            stacklevel=user_stacklevel(),
        )


def _warn_beyond_log_n(matrix: np.ndarray, names: list[str], n: int) -> None:
    """score="mi": one warning for the pairs of layers whose MI (nats) exceeds log n."""
    rows, columns = np.nonzero(np.triu(matrix > math.log(n), k=1))
    if rows.size:
        pairs = [(names[i], names[j]) for i, j in zip(rows, columns)]
        warnings.warn(
            f"score='mi': {pairs_text(pairs, len(pairs))}: Gaussian-copula MI above log n "
            f"= {math.log(n):.1f} nats (or inf), more than {n} samples can vouch for "
            f"(McAllester and Stratos 2020); typically one layer is a deterministic "
            f"function of the other, whose MI between continuous activations is infinite. "
            f"Use a bounded score (score='mi_corr' or 'cka') to compare such layers.",
            UnreliableEstimateWarning,
            stacklevel=user_stacklevel(),
        )


def layer_similarity(
    layers,
    *,
    score="mi_corr",
    n_components=None,
    reduce="pca",
    n_permutations=0,
    random_state=0,
    base=math.e,
):
    """Similarity of every pair of layers: a layer x layer matrix.

    Parameters
    ----------
    layers : dict of str to array-like, or list of array-like
        Activations (n_samples, n_units) of each layer for the same inputs in the same
        order; widths may differ. NumPy arrays, DataFrames, or tensors with
        ``__array__`` or ``__dlpack__`` in host memory.
    score : {"mi_corr", "mi", "cka", "cka_debiased"}, default "mi_corr"
        ``"mi_corr"``: the mean informational correlation of the canonical directions,
        a bounded MI-based score (Notes). ``"mi"``: the Gaussian-copula MI of the two
        layers (unbounded; inf on the diagonal), in units of ``base``. ``"cka"``:
        linear centred kernel alignment [3]_. ``"cka_debiased"``: linear CKA with the
        unbiased HSIC estimator [4]_ [5]_, near 0 for independent layers.
    n_components : int, optional
        Reduce each layer with more units to this many directions first.
    reduce : {"pca", "random"}, default "pca"
        As in :func:`fastmi.layer_mi`.
    n_permutations : int, default 0
        With B > 0, each score is also computed B times with the samples (rows) of the
        second layer permuted, which breaks any dependence while keeping each layer as
        it is, and a :class:`LayerSimilarity` with the baseline and p-values is
        returned.
    random_state : int or None, default 0
        Seeds the permutations and the random projection.
    base : float, default math.e
        Base of the logarithm for ``score="mi"``.

    Returns
    -------
    ndarray, DataFrame or LayerSimilarity
        The symmetric matrix; a DataFrame labelled by the layer names when ``layers``
        is a dict and pandas is installed. With ``n_permutations > 0`` a
        :class:`LayerSimilarity` holding ``score``, ``baseline``, ``pvalue`` (each
        such a matrix) and ``null_distribution``.

    Warns
    -----
    UnreliableEstimateWarning
        ``"mi_corr"`` without permutations when the sample is small for the widths:
        independent layers then average canonical correlations near
        sqrt(d / (n - 1)) (Notes).

    Raises
    ------
    InvalidParameterError
        Layers that are not 2-D, with different numbers of samples, NaN or inf; a
        constant layer (every unit constant), whatever the score: CKA is 0 / 0 for it
        and it has no canonical direction, so it is named, to be dropped;
        ``"mi_corr"`` or ``"mi"`` with no more samples than the units of two layers
        together. Constant units of other layers are ignored.

    Notes
    -----
    ``"mi_corr"``: each unit is replaced by the normal scores of its ranks, as
    gcmi does [1]_; the m = min(rank_A, rank_B) canonical correlations rho_i of the two
    layers' scores split their Gaussian-copula MI into independent directions,
    I = sum_i I_i with I_i = -1/2 log(1 - rho_i^2). The score is the mean over the
    directions of the informational correlation sqrt(1 - exp(-2 I_i)) of Linfoot
    [2]_, which for these Gaussian directions is rho_i itself:

        mi_corr(A, B) = (1 / m) sum_i sqrt(1 - exp(-2 I_i)) = (1 / m) sum_i rho_i.

    It lies in [0, 1]; it is 1 when every direction of the narrower layer is a linear
    function of the other's scores (identical layers: 1 to rounding), and one strong
    direction among m moves it by at most 1 / m, where the informational correlation
    of the whole MI, sqrt(1 - exp(-2 I)), saturates at 1. It depends on the data only
    through ranks, so it is invariant to strictly increasing maps of each unit, and to
    invertible linear maps of the scores. It is the mean canonical correlation of
    SVCCA [6]_ taken on copula scores. From n samples, independent layers of widths
    d_a <= d_b give mean squared canonical correlations of d_b / (n - 1): the score's
    floor is near sqrt(d_b / (n - 1)) rather than 0, which ``n_permutations`` measures.

    CKA(X, Y) = ||X'Y||_F^2 / (||X'X||_F ||Y'Y||_F) for centred activations: invariant
    to orthogonal maps and isotropic scaling of either layer, not to other invertible
    maps. Both CKA variants are computed from unit x unit products (or n x n Gram
    matrices for layers wider than the sample).

    See Also
    --------
    fastmi.layer_mi : the MI of one pair of layers, with other estimators.
    fastmi.plot.similarity_heatmap : draws the matrix.

    References
    ----------
    .. [1] R. A. A. Ince et al., "A statistical framework for neuroimaging data
       analysis based on mutual information estimated via a Gaussian copula", Human
       Brain Mapping 38, 1541-1573 (2017).
    .. [2] E. H. Linfoot, "An informational measure of correlation", Information and
       Control 1, 85-89 (1957).
    .. [3] S. Kornblith, M. Norouzi, H. Lee and G. Hinton, "Similarity of neural
       network representations revisited", ICML (2019).
    .. [4] L. Song, A. Smola, A. Gretton, J. Bedo and K. Borgwardt, "Feature selection
       via dependence maximization", JMLR 13, 1393-1434 (2012).
    .. [5] T. Nguyen, M. Raghu and S. Kornblith, "Do wide and deep networks learn the
       same things?", ICLR (2021).
    .. [6] M. Raghu, J. Gilmer, J. Yosinski and J. Sohl-Dickstein, "SVCCA: singular
       vector canonical correlation analysis for deep learning dynamics and
       interpretability", NeurIPS (2017).

    Examples
    --------
    >>> import numpy as np
    >>> import fastmi
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=(4000, 4))
    >>> layers = {"x": x, "tanh": np.tanh(x @ rng.normal(size=(4, 4))),
    ...           "noise": rng.normal(size=(4000, 4))}
    >>> S = fastmi.layer_similarity(list(layers.values()))
    >>> np.round(S, 2)
    array([[1.  , 0.95, 0.02],
           [0.95, 1.  , 0.02],
           [0.02, 0.02, 1.  ]])
    """
    check_choice(score, "score", SCORES)
    n_components = check_reduction(n_components, reduce)
    n_permutations = check_int(n_permutations, "n_permutations", min_value=0)
    seed = check_random_state(random_state)
    log_base = check_base(base)
    names, arrays, named = named_layers(layers)
    values = {name: as_layer(array, name) for name, array in zip(names, arrays)}
    n = check_samples(values)
    for name, layer in values.items():
        if np.all(layer.max(axis=0) == layer.min(axis=0)):
            raise constant_layer_error(name)  # every score: test_constant_layer_raises
    kind = _SCORES[score]
    prepared = [
        kind.prepare(reduced(layer, n_components, reduce, seed + i), name)
        for i, (name, layer) in enumerate(values.items())
    ]
    if score in ("mi_corr", "mi"):
        _check_mi_corr(n, prepared, names, score, n_permutations > 0)
    if score == "cka_debiased" and n < 4:
        raise InvalidParameterError(
            f"score='cka_debiased' needs at least 4 samples (the unbiased HSIC divides "
            f"by n - 3); got {n}."
        )
    matrix = _matrix(prepared, kind.pair)
    if score == "mi":
        _warn_beyond_log_n(matrix, names, n)
        matrix = matrix / log_base
    if n_permutations == 0:
        return _labelled(matrix, names, named)
    rng = np.random.default_rng(seed)
    null = np.empty((n_permutations, len(prepared), len(prepared)))
    for b in range(n_permutations):
        permutation = rng.permutation(n)
        null[b] = _matrix(prepared, kind.pair, [p.permuted(permutation) for p in prepared])
    if score == "mi":
        null /= log_base
    pvalue = np.array(
        [[permutation_pvalue(matrix[i, j], null[:, i, j]) for j in range(len(prepared))]
         for i in range(len(prepared))]
    )  # fmt: skip
    return LayerSimilarity(
        score=_labelled(matrix, names, named),
        baseline=_labelled(null.mean(axis=0), names, named),
        pvalue=_labelled(pvalue, names, named),
        null_distribution=null,
    )
