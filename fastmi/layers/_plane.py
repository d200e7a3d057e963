"""information_plane: I(X;T) and I(T;Y) of every layer T, per epoch, as a tidy table."""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence

import numpy as np

from .._api import mi
from .._options import check_base, check_choice, check_int, check_random_state
from .._validation import InvalidParameterError, as_columns, variable_kind
from .._warnings import SaturationWarning, UnreliableEstimateWarning, user_stacklevel
from ._copula import ScoreBasis, layer_mi_nats, score_basis
from ._inputs import as_layer, check_reduction, reduced
from ._mi import KNN_MAX_DIMS, check_gaussian_samples

PLANE_METHODS = ("gcmi", "hist", "ksg")
COLUMNS = ("epoch", "layer", "I_XT", "I_TY")


def _snapshots(layers, epochs) -> list[tuple[object, list[tuple[object, object]]]]:
    """[(epoch, [(layer name, activations), ...]), ...] of one snapshot (a dict or a
    list of layers) or of a sequence of snapshots (a list of dicts)."""

    def one(snapshot, where):
        if isinstance(snapshot, Mapping):
            return list(snapshot.items())
        if isinstance(snapshot, Sequence) and not isinstance(snapshot, (str, bytes)):
            return list(enumerate(snapshot))
        raise InvalidParameterError(
            f"{where} must be a dict of named layers or a list of layers; got "
            f"{type(snapshot).__name__}."
        )

    many = (
        isinstance(layers, Sequence)
        and not isinstance(layers, (str, bytes))
        and len(layers) > 0
        and all(isinstance(s, Mapping) for s in layers)
    )
    snapshots = (
        [one(s, f"layers[{e}]") for e, s in enumerate(layers)] if many else [one(layers, "layers")]
    )
    if epochs is None:
        epochs = list(range(len(snapshots)))
    elif len(epochs) != len(snapshots):
        raise InvalidParameterError(
            f"epochs must label the {len(snapshots)} snapshots of layers; got {len(epochs)} labels."
        )
    if not all(snapshots):
        raise InvalidParameterError("layers is empty; pass at least one layer.")
    return list(zip(epochs, snapshots))


def _target(y, n: int):
    """(codes, True) of a discrete target, or (float array (n, d), False)."""
    columns = as_columns(y, "y")
    if len(columns[0][1]) != n:
        raise InvalidParameterError(
            f"y must have one value per sample of X; got {len(columns[0][1])} for {n}."
        )
    if variable_kind(columns) == "discrete":
        rows = np.column_stack([np.unique(np.asarray(c), return_inverse=True)[1].ravel()
                                for _, c in columns])  # fmt: skip
        return np.unique(rows, axis=0, return_inverse=True)[1].ravel(), True
    return as_layer(np.asarray(y).reshape(n, -1), "y"), False


def _class_gaussian_mi(t: ScoreBasis, classes: np.ndarray, name: str) -> float:
    """I(T;Y) in nats of a Gaussian-copula T and discrete labels: T's normal scores
    modelled as a mixture of one Gaussian per class, N(mu_c, S_c) with weight p_c. Two
    upper bounds on the MI of such a mixture with its component label, the smaller
    returned:

    - the Gaussian bound 1/2 [log det S - sum_c p_c log det S_c] (S the covariance of
      the mixture: a Gaussian has the largest entropy of its covariance; Ince et al.
      2017), tight when the classes overlap but unbounded as they separate;
    - the pairwise-KL bound -sum_c p_c log sum_c' p_c' exp(-KL(c || c')) of Kolchinsky
      and Tracey (2017), never above H(Y) and tight as the classes separate (the bound
      Saxe et al. 2018 used for the information plane).

    test_information_plane_class_mi_is_bounded_by_h_y pins both ends."""
    d, n = t.rank, len(classes)
    if d == 0:
        return 0.0
    labels, counts = np.unique(classes, return_counts=True)
    if counts.min() <= d + 1:
        raise InvalidParameterError(
            f"method='gcmi': the class-conditional covariance of {name} ({d} units) "
            f"needs more samples per class; the smallest class of y has {counts.min()}. "
            f"Reduce the layers (n_components=...) or drop rare classes."
        )
    weights = counts / n
    means, covariances = [], []
    for c in labels:
        rows = t.basis[classes == c]
        means.append(rows.mean(axis=0))
        covariances.append(np.atleast_2d(np.cov(rows, rowvar=False)))
    inverses = [np.linalg.inv(c) for c in covariances]
    log_dets = [np.linalg.slogdet(c)[1] for c in covariances]
    kl = np.empty((len(labels), len(labels)))
    for i in range(len(labels)):
        for j in range(len(labels)):
            delta = means[j] - means[i]
            kl[i, j] = 0.5 * (
                np.einsum("ij,ji->", inverses[j], covariances[i])
                + delta @ inverses[j] @ delta
                - d
                + log_dets[j]
                - log_dets[i]
            )
    np.fill_diagonal(kl, 0.0)
    pairwise = -(weights * np.log(np.exp(-kl) @ weights)).sum()
    total = np.linalg.slogdet(np.atleast_2d(np.cov(t.basis, rowvar=False)))[1]
    gaussian = 0.5 * (total - weights @ np.array(log_dets))
    return float(min(pairwise, gaussian))


def _bin_codes(layer: np.ndarray, bins: int) -> np.ndarray:
    """One code per sample: the tuple of its units' bins, ``bins`` equal bins over the
    layer's whole range [min, max] (the recipe of Shwartz-Ziv and Tishby)."""
    low, high = layer.min(), layer.max()
    if high == low:
        return np.zeros(layer.shape[0], dtype=np.int64)
    binned = np.minimum(((layer - low) / (high - low) * bins).astype(np.int64), bins - 1)
    return np.unique(binned, axis=0, return_inverse=True)[1].ravel().astype(np.int64)


def _row_codes(values: np.ndarray) -> np.ndarray:
    return np.unique(values, axis=0, return_inverse=True)[1].ravel().astype(np.int64)


def _plug_in(x_codes: np.ndarray, y_codes: np.ndarray) -> float:
    with warnings.catch_warnings():  # the saturation is judged by the caller
        warnings.simplefilter("ignore", SaturationWarning)
        return mi(x_codes, y_codes, method="discrete")


def _frame(rows: list[tuple]):
    try:
        import pandas as pd
    except ImportError:
        width = max(len(str(r[1])) for r in rows)
        dtype = [("epoch", object), ("layer", f"U{max(width, 1)}"), ("I_XT", float),
                 ("I_TY", float)]  # fmt: skip
        return np.array([(e, str(la), a, b) for e, la, a, b in rows], dtype=dtype)
    return pd.DataFrame(rows, columns=list(COLUMNS))


def information_plane(
    X,
    layers,
    y,
    *,
    method="gcmi",
    bins=30,
    n_components=None,
    reduce="pca",
    epochs=None,
    correction=None,
    k=3,
    random_state=0,
    base=math.e,
):
    """The information plane: I(X;T) and I(T;Y) for every layer T, per epoch.

    Shwartz-Ziv and Tishby [1]_ place each layer T of a network at (I(X;T), I(T;Y)):
    what the layer keeps about the input X and about the label Y, and follow the
    points over training. For a deterministic network with continuous activations,
    I(X;T) is infinite (or log n for distinct inputs, once binned): the finite values
    measure the estimator, the binning or the noise added, as Saxe et al. [2]_ showed
    by changing them, and only comparisons made with one fixed estimator are
    meaningful. fastmi says when the numbers hit these ceilings.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_inputs)
        The inputs.
    layers : dict or list of array-like, or a list of dicts
        One snapshot: a dict of named layers (or a list of layers, named by
        position), each of shape (n_samples, n_units), the activations for X. A list
        of dicts: one snapshot per epoch (or checkpoint). Tensors with ``__array__``
        or ``__dlpack__`` are accepted.
    y : array-like of shape (n_samples,) or (n_samples, n_targets)
        The labels (int, bool, str, categorical: discrete) or continuous targets.
    method : {"gcmi", "hist", "ksg"}, default "gcmi"
        ``"gcmi"``: Gaussian-copula MI [3]_. For discrete y, T's normal scores are
        modelled as one Gaussian per class and I(T;Y) is the smaller of two upper
        bounds on the MI of that mixture with its class: the Gaussian one,
        1/2 [log det S - sum_c p_c log det S_c] [3]_, tight for overlapping classes,
        and the pairwise-KL one, -sum_c p_c log sum_c' p_c' exp(-KL(c || c')) [4]_,
        at most H(Y) and tight for separated classes (used by Saxe et al. [2]_).
        ``"hist"``: the binning recipe of [1]_: each layer's
        activations in ``bins`` equal bins over the layer's range, a sample's code the
        tuple of its units' bins, X's code its distinct row, plug-in MI.
        ``"ksg"``: KSG for I(X;T) and for continuous y, Ross's kNN estimator
        (``"mixed"``) for discrete y; warned about past 20 joint dimensions.
    bins : int, default 30
        Bins per layer for ``"hist"`` (30 as in [1]_).
    n_components : int, optional
        Reduce X and each layer with more units to this many principal components
        (``reduce="pca"``) or random directions (``"random"``) first.
    reduce : {"pca", "random"}, default "pca"
    epochs : sequence, optional
        Labels of the snapshots (default 0, 1, ...).
    correction : {None, "gaussian"}
        gcmi: remove the log-determinant bias of sample covariances from the
        Gaussian MI of two blocks (I(X;T), and I(T;Y) for continuous y).
    k : int, default 3
        Neighbours for ``"ksg"``.
    random_state : int or None, default 0
        Seeds the random projection and the kNN jitter.
    base : float, default math.e
        Base of the logarithm: e for nats, 2 for bits.

    Returns
    -------
    DataFrame
        Tidy: one row per epoch and layer, columns ``epoch``, ``layer``, ``I_XT``,
        ``I_TY``, in units of ``base``. Without pandas, a NumPy structured array with
        those fields.

    Warns
    -----
    SaturationWarning
        ``"hist"``: a layer whose bins give fewer than 2 samples per occupied cell,
        where I(X;T) sits near H(X) (log n for distinct inputs) and I(T;Y) near H(Y)
        whatever the network does. Use fewer bins or another method.
    UnreliableEstimateWarning
        ``"gcmi"``: I(X;T) above log n (a deterministic map: the true MI is
        infinite). ``"ksg"``: more than 20 joint dimensions.

    Raises
    ------
    InvalidParameterError
        Arrays that are not 2-D, lengths that differ, NaN or inf, a bad option; gcmi
        with too few samples (per class) for the units.

    See Also
    --------
    fastmi.plot.information_plane : draws the table.
    fastmi.layer_mi : the MI of two layers.

    References
    ----------
    .. [1] R. Shwartz-Ziv and N. Tishby, "Opening the black box of deep neural
       networks via information", arXiv:1703.00810 (2017).
    .. [2] A. M. Saxe, Y. Bansal, J. Dapello, M. Advani, A. Kolchinsky, B. D. Tracey
       and D. D. Cox, "On the information bottleneck theory of deep learning", ICLR
       (2018).
    .. [3] R. A. A. Ince et al., "A statistical framework for neuroimaging data
       analysis based on mutual information estimated via a Gaussian copula", Human
       Brain Mapping 38, 1541-1573 (2017).
    .. [4] A. Kolchinsky and B. D. Tracey, "Estimating mixture entropy with pairwise
       distances", Entropy 19, 361 (2017).

    Examples
    --------
    >>> import numpy as np
    >>> import fastmi
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(2000, 4))
    >>> y = (X[:, 0] > 0).astype(int)
    >>> T = {"first": X[:, :2] + rng.normal(size=(2000, 2)),  # I(X;T) = log 2 = 0.69
    ...      "second": X[:, 2:] + rng.normal(size=(2000, 2))}  # I(T;Y) = 0
    >>> fastmi.information_plane(X, T, y).round(2)
       epoch   layer  I_XT  I_TY
    0      0   first  0.70   0.2
    1      0  second  0.71   0.0
    """
    check_choice(method, "method", PLANE_METHODS)
    bins = check_int(bins, "bins", min_value=1)
    n_components = check_reduction(n_components, reduce)
    if correction not in (None, "gaussian"):
        raise InvalidParameterError(
            f"correction must be None or 'gaussian' (gcmi); got {correction!r}."
        )
    seed = check_random_state(random_state)
    log_base = check_base(base)
    x = as_layer(X, "X")
    n = x.shape[0]
    snapshots = _snapshots(layers, epochs)
    target, discrete = _target(y, n)
    x = reduced(x, n_components, reduce, seed)
    correct = correction == "gaussian"
    if method == "gcmi":
        x_basis = score_basis(x, "X")
        y_basis = None if discrete else score_basis(target, "y")
    elif method == "hist":
        x_codes = _row_codes(x)
        y_codes = target if discrete else _bin_codes(target, bins)
    rows, flagged = [], []
    for epoch, snapshot in snapshots:
        for name, activations in snapshot:
            label = (
                f"layers[{name!r}]"
                if epoch == 0 and len(snapshots) == 1
                else (f"layer {name!r} of epoch {epoch!r}")
            )
            t = as_layer(activations, label)
            if t.shape[0] != n:
                raise InvalidParameterError(
                    f"{label} has {t.shape[0]} samples; X has {n}. Every layer must hold "
                    f"the activations of the samples of X, in the same order."
                )
            t = reduced(t, n_components, reduce, seed + 1)
            if method == "gcmi":
                t_basis = score_basis(t, label)
                check_gaussian_samples(n, (x_basis.rank, t_basis.rank), correct, "method='gcmi'")
                i_xt = layer_mi_nats(x_basis, t_basis, n, correct)[0]
                if discrete:
                    i_ty = _class_gaussian_mi(t_basis, target, label)
                else:
                    i_ty = layer_mi_nats(t_basis, y_basis, n, correct)[0]
                if i_xt > math.log(n):
                    flagged.append((epoch, name))
            elif method == "hist":
                t_codes = _bin_codes(t, bins)
                i_xt, i_ty = _plug_in(x_codes, t_codes), _plug_in(t_codes, y_codes)
                if 2 * (t_codes.max() + 1) > n:
                    flagged.append((epoch, name))
            else:
                with warnings.catch_warnings():  # the dimensions are warned about below
                    warnings.simplefilter("ignore", UnreliableEstimateWarning)
                    i_xt = mi(x, t, method="ksg", k=k, random_state=seed)
                    i_ty = mi(t, target, method="mixed" if discrete else "ksg", k=k,
                              random_state=seed)  # fmt: skip
                if x.shape[1] + t.shape[1] > KNN_MAX_DIMS:
                    flagged.append((epoch, name))
            rows.append((epoch, name, i_xt / log_base, i_ty / log_base))
    if flagged:
        _warn_plane(method, flagged, n, x.shape[1], bins)
    return _frame(rows)


def _warn_plane(method: str, flagged: list, n: int, x_dims: int, bins: int) -> None:
    shown = ", ".join(f"{name!r} (epoch {epoch!r})" for epoch, name in flagged[:4])
    shown += f" and {len(flagged) - 4} more" if len(flagged) > 4 else ""
    if method == "hist":
        warnings.warn(
            f"information_plane: {shown}: the {bins} bins give fewer than 2 of the {n} "
            f"samples per occupied cell of the layer, so I(X;T) sits near H(X) (log n = "
            f"{math.log(n):.2f} nats for distinct inputs) and I(T;Y) near H(Y) whatever "
            f"the network does (Saxe et al. 2018). Use fewer bins, n_components=..., or "
            f"method='gcmi'.",
            SaturationWarning,
            stacklevel=user_stacklevel(),
        )
    elif method == "gcmi":
        warnings.warn(
            f"information_plane: {shown}: I(X;T) above log n = {math.log(n):.2f} nats (or "
            f"inf), "
            f"more than {n} samples can vouch for: T is a (near-)deterministic function "
            f"of X, whose MI between continuous variables is infinite, and the value "
            f"measures the estimator's resolution (Saxe et al. 2018). Compare such values "
            f"only with each other, or add noise to the activations.",
            UnreliableEstimateWarning,
            stacklevel=user_stacklevel(),
        )
    else:
        warnings.warn(
            f"information_plane: {shown}: kNN estimates of I(X;T) in more than "
            f"{KNN_MAX_DIMS} joint dimensions (X has {x_dims}) lose most of the "
            f"information (Gao et al. 2015). Use method='gcmi' or n_components=....",
            UnreliableEstimateWarning,
            stacklevel=user_stacklevel(),
        )
