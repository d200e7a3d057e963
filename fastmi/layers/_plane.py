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
from ..estimators.gcmi import _bias
from ._copula import ScoreBasis, layer_mi_nats, score_basis
from ._inputs import _to_numpy, as_layer, check_reduction, reduced
from ._mi import KNN_MAX_DIMS, check_gaussian_samples, large_bias

PLANE_METHODS = ("gcmi", "hist", "ksg")
COLUMNS = ("epoch", "layer", "I_XT", "I_TY")
#: A class covariance of T's normal scores whose smallest eigenvalue is below this
#: share of its largest (or of the mixture's) is singular: units constant (or
#: linearly dependent) within the class; rounding leaves 1e-35, not 0, for one unit
#: (test_information_plane_singular_class_covariance_raises).
SINGULAR = 1e-10
LAYOUTS = (
    "layers must be one snapshot (a dict of named layers, or a list of layers) or one "
    "snapshot per epoch (a list of such dicts or lists, or a dict {epoch: snapshot}), "
    "each layer an array (n_samples, n_units)"
)


def _ndim(value) -> int:
    """The number of dimensions of an array-like (0 when it is not one)."""
    if hasattr(value, "ndim"):
        return int(value.ndim)
    if isinstance(value, (Mapping, str, bytes)):
        return 0
    try:
        return _to_numpy(value, "layer").ndim
    except (InvalidParameterError, ValueError):
        return 0


def _is_snapshot(value) -> bool:
    """A dict of layers, or a non-empty list of 2-D layers (not a layer given as a
    list of rows, whose items are 1-D)."""
    if isinstance(value, Mapping):
        return True
    return (
        isinstance(value, (list, tuple))
        and len(value) > 0
        and all(_ndim(item) == 2 for item in value)
    )


def _snapshot_items(snapshot) -> list[tuple[object, object]]:
    if isinstance(snapshot, Mapping):
        return list(snapshot.items())
    return list(enumerate(snapshot))


def _snapshots(layers, epochs) -> list[tuple[object, list[tuple[object, object]]]]:
    """[(epoch, [(layer name, activations), ...]), ...] of one snapshot (a dict or a
    list of layers) or of one snapshot per epoch (a list of dicts or of lists of
    layers, or a dict {epoch: snapshot})."""
    if isinstance(layers, Mapping):
        values = list(layers.values())
        many = len(values) > 0 and all(_is_snapshot(v) for v in values)
        if not many and any(isinstance(v, Mapping) for v in values):
            raise InvalidParameterError(f"{LAYOUTS}; got a dict mixing layers and dicts.")
        labels = list(layers) if many else None
    elif isinstance(layers, Sequence) and not isinstance(layers, (str, bytes)):
        values = list(layers)
        many = len(values) > 0 and all(_is_snapshot(v) for v in values)
        if not many and any(isinstance(v, Mapping) for v in values):
            raise InvalidParameterError(f"{LAYOUTS}; got a list mixing layers and dicts.")
        labels = None
    else:
        raise InvalidParameterError(f"{LAYOUTS}; got {type(layers).__name__}.")
    snapshots = [_snapshot_items(v) for v in values] if many else [_snapshot_items(layers)]
    if epochs is None:
        epochs = labels if labels is not None else list(range(len(snapshots)))
    elif len(epochs) != len(snapshots):
        raise InvalidParameterError(
            f"epochs must label the {len(snapshots)} snapshots of layers; got {len(epochs)} labels."
        )
    if not all(snapshots):
        raise InvalidParameterError("layers is empty; pass at least one layer.")
    return list(zip(epochs, snapshots))


def _row_codes(values: np.ndarray) -> np.ndarray:
    """One int64 code per sample (row) of ``values``: equal rows, equal codes."""
    axis = None if values.ndim == 1 else 0
    return np.unique(values, axis=axis, return_inverse=True)[1].ravel().astype(np.int64)


def _target(y, n: int):
    """(codes, class labels, True) of a discrete target, or (float array (n, d), None,
    False)."""
    if not isinstance(y, (list, tuple)) and type(y).__module__.split(".")[0] != "pandas":
        y = _to_numpy(y, "y")  # tensors, DLPack included; pandas keeps its dtypes
    columns = as_columns(y, "y")
    if len(columns[0][1]) != n:
        raise InvalidParameterError(
            f"y must have one value per sample of X; got {len(columns[0][1])} for {n}."
        )
    if variable_kind(columns) == "discrete":
        values = [np.asarray(c) for _, c in columns]
        codes = _row_codes(np.column_stack([_row_codes(v) for v in values]))
        first = np.unique(codes, return_index=True)[1]
        names = [v[first].tolist() for v in values]
        names = names[0] if len(names) == 1 else list(zip(*names))
        return codes, names, True
    return as_layer(np.asarray(y).reshape(n, -1), "y"), None, False


def _singular_class(label: str, raw: np.ndarray, name) -> InvalidParameterError:
    constant = np.flatnonzero(np.ptp(raw, axis=0) == 0)
    what = (
        f"unit(s) {constant[:8].tolist()}{' ...' if constant.size > 8 else ''} constant on "
        f"that class (e.g. ReLU units that are 0 for all of its samples)"
        if constant.size
        else "units linearly dependent on that class"
    )
    return InvalidParameterError(
        f"method='gcmi': {label}: the covariance of its normal scores within class "
        f"{name!r} of y is singular ({what}), so the per-class Gaussian model of I(T;Y) "
        f"is degenerate. Drop those units, add a little noise to the activations, or use "
        f"method='ksg' or 'hist'."
    )


def _class_gaussian_mi(
    t: ScoreBasis, raw: np.ndarray, classes: np.ndarray, names: list, label: str, correct: bool
) -> tuple[float, float]:
    """(I(T;Y) in nats, its floor) for a Gaussian-copula T and discrete labels: T's
    normal scores modelled as a mixture of one Gaussian per class, N(mu_c, S_c) with
    weight p_c. Two upper bounds on the MI of such a mixture with its component label,
    the smaller returned:

    - the Gaussian bound 1/2 [log det S - sum_c p_c log det S_c] (S the covariance of
      the mixture: a Gaussian has the largest entropy of its covariance; Ince et al.
      2017), tight when the classes overlap but unbounded as they separate;
    - the pairwise-KL bound -sum_c p_c log sum_c' p_c' exp(-KL(c || c')) of Kolchinsky
      and Tracey (2017), never above H(Y) and tight as the classes separate.

    The floor is the expected excess of the Gaussian bound for T independent of Y,
    1/2 [b(d, n) - sum_c p_c b(d, n_c)] with b the Wishart bias of a log-determinant
    (gcmi's ``_bias``): about d (d + 1) (K - 1) / (4 n) nats for K balanced classes.
    ``correct`` subtracts it from the Gaussian bound.

    test_information_plane_class_mi_is_bounded_by_h_y pins both ends,
    test_information_plane_class_bias_warns_and_is_corrected the floor."""
    d, n = t.rank, len(classes)
    if d == 0:
        return 0.0, 0.0
    codes, counts = np.unique(classes, return_counts=True)
    if counts.min() <= d + 1:
        raise InvalidParameterError(
            f"method='gcmi': the class-conditional covariance of {label} ({d} units) "
            f"needs more samples per class; the smallest class of y has {counts.min()}. "
            f"Reduce the layers (n_components=...) or drop rare classes."
        )
    weights = counts / n
    means, covariances, inverses, log_dets = [], [], [], []
    for c in codes:
        rows = t.basis[classes == c]
        covariance = np.atleast_2d(np.cov(rows, rowvar=False))
        values, vectors = np.linalg.eigh(covariance)
        # the basis is orthonormal: the mixture's covariance is I / (n - 1)
        if values[0] <= SINGULAR * max(values[-1], 1.0 / (n - 1)):
            raise _singular_class(label, raw[classes == c], names[c])
        means.append(rows.mean(axis=0))
        covariances.append(covariance)
        inverses.append((vectors / values) @ vectors.T)
        log_dets.append(float(np.log(values).sum()))
    kl = np.empty((len(codes), len(codes)))
    for i in range(len(codes)):
        for j in range(len(codes)):
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
    floor = 0.5 * (_bias(d, n) - sum(w * _bias(d, int(m)) for w, m in zip(weights, counts)))
    if correct:
        gaussian -= floor
    return float(min(pairwise, gaussian)), float(floor)


def _bin_codes(layer: np.ndarray, bins: int) -> np.ndarray:
    """One code per sample: the tuple of its units' bins, ``bins`` equal bins over the
    layer's whole range [min, max] (the recipe of Shwartz-Ziv and Tishby)."""
    low, high = layer.min(), layer.max()
    if high == low:
        return np.zeros(layer.shape[0], dtype=np.int64)
    binned = np.minimum(((layer - low) / (high - low) * bins).astype(np.int64), bins - 1)
    return _row_codes(binned)


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

    :doc:`/representations` works through an example, with its pitfalls.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_inputs)
        The inputs.
    layers : dict or list of array-like, or one of those per epoch
        One snapshot: a dict of named layers (or a list of layers, named by
        position), each of shape (n_samples, n_units), the activations for X. One
        snapshot per epoch (or checkpoint): a list of such dicts or lists, or a dict
        {epoch: snapshot}, whose keys label the epochs. Tensors with ``__array__`` or
        ``__dlpack__`` are accepted.
    y : array-like of shape (n_samples,) or (n_samples, n_targets)
        The labels (int, bool, str, categorical: discrete) or continuous targets;
        tensors as for ``layers``.
    method : {"gcmi", "hist", "ksg"}, default "gcmi"
        ``"gcmi"``: Gaussian-copula MI [3]_ for I(X;T) (and I(T;Y) for continuous
        y). For discrete y, I(T;Y) is not a gcmi estimate but an upper bound under a
        per-class Gaussian model: T's normal scores are modelled as one Gaussian per
        class, and I(T;Y) is the smaller of two upper bounds on the MI of that mixture
        with its class: the Gaussian one, 1/2 [log det S - sum_c p_c log det S_c]
        [3]_, tight for overlapping classes, and the pairwise-KL one,
        -sum_c p_c log sum_c' p_c' exp(-KL(c || c')) [4]_, at most H(Y) and tight
        for separated classes. This is in the spirit of Saxe et al. [2]_, who applied
        the bound of [4]_ to Gaussian noise around each sample rather than to one
        Gaussian per class. A singular class covariance (units constant within a
        class, such as ReLU units silent for all of its samples) raises.
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
        Labels of the snapshots (default: the keys of a dict {epoch: snapshot}, else
        0, 1, ...).
    correction : {None, "gaussian"}
        gcmi: remove the log-determinant bias of sample covariances: from the
        Gaussian MI of two blocks (I(X;T), and I(T;Y) for continuous y), and for
        discrete y from the Gaussian bound, whose per-class covariances are biased
        by about d (d + 1) (K - 1) / (4 n) nats for d units and K balanced classes
        (its expected value for T independent of y). The values can then fall
        slightly below 0.
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
        infinite); without ``correction``, an estimate within reach of its
        small-sample floor (its expected value for independent variables, as
        :func:`fastmi.layer_mi` warns). ``"ksg"``: more than 20 joint dimensions.

    Raises
    ------
    InvalidParameterError
        Arrays that are not 2-D, lengths that differ, NaN or inf, a bad option, an
        unrecognised layout of ``layers``; gcmi with too few samples (per class) for
        the units, or with a singular class covariance (naming the layer, the class
        and the units constant on it).

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
    target, class_names, discrete = _target(y, n)
    x = reduced(x, n_components, reduce, seed)
    correct = correction == "gaussian"
    if method == "gcmi":
        x_basis = score_basis(x, "X")
        y_basis = None if discrete else score_basis(target, "y")
    elif method == "hist":
        x_codes = _row_codes(x)
        y_codes = target if discrete else _bin_codes(target, bins)
    rows, flagged, biased = [], [], []
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
                ranks = (x_basis.rank, t_basis.rank)
                check_gaussian_samples(n, ranks, correct, f"method='gcmi' (I(X;T) of {label})")
                i_xt = layer_mi_nats(x_basis, t_basis, n, correct)[0]
                floors = {"I(X;T)": (ranks[0] * ranks[1] / (2 * n), i_xt)}
                if discrete:
                    i_ty, floor = _class_gaussian_mi(
                        t_basis, t, target, class_names, label, correct
                    )
                else:
                    ranks = (t_basis.rank, y_basis.rank)
                    check_gaussian_samples(n, ranks, correct, f"method='gcmi' (I(T;Y) of {label})")
                    i_ty = layer_mi_nats(t_basis, y_basis, n, correct)[0]
                    floor = ranks[0] * ranks[1] / (2 * n)
                floors["I(T;Y)"] = (floor, i_ty)
                if i_xt > math.log(n):
                    flagged.append((epoch, name))
                if not correct:
                    biased += [(epoch, name, what, floor, value)
                               for what, (floor, value) in floors.items()
                               if large_bias(floor, value)]  # fmt: skip
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
    if biased:
        _warn_bias(biased, n)
    return _frame(rows)


def _warn_bias(biased: list, n: int) -> None:
    """gcmi without correction: the estimates within reach of their small-sample floor
    (their expected value for independent variables), as layer_mi warns."""
    shown = ", ".join(
        f"{what} of {name!r} (epoch {epoch!r}): {value:.2g} nats, floor {floor:.2g}"
        for epoch, name, what, floor, value in biased[:4]
    )
    shown += f" and {len(biased) - 4} more" if len(biased) > 4 else ""
    warnings.warn(
        f"information_plane: {shown}: a Gaussian estimate from {n} samples is biased "
        f"upward by about its floor, its expected value when the two are independent "
        f"(d_X d_T / (2 n) for I(X;T); for class labels, the log-determinant bias of the "
        f"per-class covariances, about d_T (d_T + 1) (K - 1) / (4 n) for K classes), "
        f"which is large against the estimate. Pass correction='gaussian', reduce X "
        f"and the layers (n_components=...), or use more samples.",
        UnreliableEstimateWarning,
        stacklevel=user_stacklevel(),
    )


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
