"""Heatmaps of MI matrices, layer similarity matrices and information planes (extra
``plot``: matplotlib and scipy).

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import numpy as np
>>> import fastmi
>>> from fastmi.plot import heatmap
>>> rng = np.random.default_rng(0)
>>> X = rng.normal(size=(500, 4))
>>> X[:, 2] += X[:, 0]
>>> ax = heatmap(fastmi.pairwise_mi(X, method="gcmi"), labels=list("abcd"))
>>> order = [tick.get_text() for tick in ax.get_xticklabels()]
>>> abs(order.index("a") - order.index("c"))  # the dependent pair sits together
1
"""

from __future__ import annotations

import numpy as np

from ._validation import InvalidParameterError

__all__ = ["cluster_order", "heatmap", "ib_curve", "information_plane", "similarity_heatmap"]


def _imports():
    try:
        import matplotlib.pyplot as plt
        from scipy.cluster import hierarchy
        from scipy.spatial.distance import squareform
    except ImportError:
        raise ImportError(
            "fastmi.plot needs matplotlib and scipy: pip install 'fastmi[plot]'"
        ) from None
    return plt, hierarchy, squareform


def cluster_order(matrix) -> np.ndarray:
    """An order of the variables that puts strongly dependent ones side by side.

    The leaves of an average-linkage clustering on the distance max(M) - M (off the
    diagonal), in SciPy's optimal leaf order; :func:`heatmap` uses it for
    ``order="cluster"``.

    Parameters
    ----------
    matrix : array-like or DataFrame of shape (n_vars, n_vars)
        A square dependence matrix, such as :func:`fastmi.pairwise_mi` returns (larger
        means more dependent). It is symmetrised as (M + M.T) / 2, the diagonal is
        ignored; +inf (perfect dependence, as gcmi gives) counts as the strongest
        dependence in the matrix, NaN and -inf as none.

    Returns
    -------
    ndarray of int of shape (n_vars,)
        A permutation of ``range(n_vars)``: ``matrix[np.ix_(order, order)]`` is the
        reordered matrix. Fewer than 3 variables keep their order.

    Examples
    --------
    >>> import numpy as np
    >>> from fastmi.plot import cluster_order
    >>> M = np.array([[0, .1, .9, .1], [.1, 0, .1, .8], [.9, .1, 0, .1], [.1, .8, .1, 0]])
    >>> cluster_order(M).tolist()
    [0, 2, 3, 1]
    """
    _, hierarchy, squareform = _imports()
    m = np.array(matrix, dtype=np.float64)
    p = m.shape[0]
    if p < 3:
        return np.arange(p)
    off = ~np.eye(p, dtype=bool)
    finite = m[np.isfinite(m)]
    m[np.isposinf(m)] = finite.max() if finite.size else 0.0
    m[~np.isfinite(m)] = 0.0
    similarity = (m + m.T) / 2
    distance = np.where(off, similarity[off].max() - similarity, 0.0)
    np.maximum(distance, 0.0, out=distance)
    linkage = hierarchy.linkage(squareform(distance, checks=False), method="average")
    return hierarchy.leaves_list(
        hierarchy.optimal_leaf_ordering(linkage, squareform(distance, checks=False))
    )


#: Past this many rows or columns, tick labels are thinned so that they never overlap.
MAX_LABELS = 60


def _labelled(matrix, labels):
    """(values, row labels, column labels) of a 2-D matrix: ``labels`` (naming the
    rows, and the columns of a square matrix), else a DataFrame's index and columns,
    else positions."""
    row_labels = list(matrix.index) if hasattr(matrix, "index") else None
    col_labels = list(matrix.columns) if hasattr(matrix, "columns") else None
    values = np.asarray(matrix, dtype=np.float64)
    if values.ndim != 2:
        raise InvalidParameterError(f"matrix must be 2-D; got shape {values.shape}.")
    if labels is not None:
        if len(labels) != values.shape[0]:
            raise InvalidParameterError(
                f"labels must name the {values.shape[0]} rows; got {len(labels)} labels."
            )
        row_labels = list(labels)
        col_labels = list(labels) if values.shape[0] == values.shape[1] else col_labels
    row_labels = row_labels or [str(i) for i in range(values.shape[0])]
    col_labels = col_labels or [str(j) for j in range(values.shape[1])]
    return values, row_labels, col_labels


def heatmap(
    matrix,
    labels=None,
    *,
    order="cluster",
    units="nats",
    ax=None,
    cmap="viridis",
    title=None,
    diagonal=False,
):
    """Draw an MI matrix as a heatmap with a colour bar in the matrix's units.

    Parameters
    ----------
    matrix : array-like or DataFrame of shape (p, p) or (p, q)
        Typically ``fastmi.pairwise_mi(X)``; a DataFrame brings its labels. NaN
        (the diagonal of continuous estimators) is left blank.
    labels : sequence of str, optional
        Variable names (rows; also columns for a square matrix).
    order : {"cluster", None}, default "cluster"
        "cluster" reorders a square matrix by hierarchical clustering so that
        dependent variables sit together; None keeps the given order.
    units : str, default "nats"
        Label of the colour bar: "nats", "bits", or e.g. "normalised MI".
    ax : matplotlib Axes, optional
        Where to draw; a new figure otherwise.
    cmap, title
        Matplotlib colour map and an optional title.
    diagonal : bool, default False
        Draw the diagonal of a square matrix in the colour scale. By default it is
        masked (drawn blank) and left out of the scale: entropies H(X_i) there are
        often several times the off-diagonal MI and would make every dependence look
        faint.

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    Past ``MAX_LABELS`` rows or columns, every k-th label is shown, so that labels
    never print on top of each other; the cells are all drawn.

    Examples
    --------
    The MI matrix of scikit-learn's breast cancer table, 30 measurements and the
    diagnosis, ``heatmap(fastmi.pairwise_mi(frame, method={"continuous": "mixed"}))``
    (the code is in :doc:`/pairwise`): the clustering puts the measurements of size in
    blocks, and those of shape in another.

    .. image:: /_static/pairwise_heatmap.png
       :alt: The MI matrix of the breast cancer table as a clustered heatmap
       :width: 600px
    """
    plt, _, _ = _imports()
    values, row_labels, col_labels = _labelled(matrix, labels)
    if order not in ("cluster", None):
        raise InvalidParameterError(f"order must be 'cluster' or None; got {order!r}.")
    if order == "cluster" and values.shape[0] == values.shape[1]:
        permutation = cluster_order(values)
        values = values[np.ix_(permutation, permutation)]
        row_labels = [row_labels[i] for i in permutation]
        col_labels = [col_labels[i] for i in permutation]
    if ax is None:
        size = min(14, 2 + 0.35 * max(values.shape))
        _, ax = plt.subplots(figsize=(size + 1.5, size))
    shown = np.ma.masked_invalid(values)
    if not diagonal and values.shape[0] == values.shape[1]:
        shown[np.diag_indices(values.shape[0])] = np.ma.masked
    image = ax.imshow(shown, cmap=cmap, interpolation="nearest")
    ax.figure.colorbar(image, ax=ax, label=f"mutual information ({units})")
    for set_ticks, names, rotation in (
        (ax.set_xticks, col_labels, 90),
        (ax.set_yticks, row_labels, 0),
    ):
        step = max(1, -(-len(names) // MAX_LABELS))  # ceil: at most MAX_LABELS shown
        ticks = range(0, len(names), step)
        set_ticks(ticks, [names[i] for i in ticks], rotation=rotation)
    if title:
        ax.set_title(title)
    return ax


def similarity_heatmap(
    matrix,
    labels=None,
    *,
    ax=None,
    cmap="magma",
    vmin=0.0,
    vmax=1.0,
    annotate=True,
    label="similarity",
    title=None,
):
    """Draw a layer x layer similarity matrix (:func:`fastmi.layer_similarity`) in the
    layers' own order, on a fixed [0, 1] scale so that pictures compare.

    Parameters
    ----------
    matrix : array-like or DataFrame of shape (n_layers, n_layers)
        A DataFrame brings its labels; a ``LayerSimilarity`` draws its ``score``.
    labels : sequence of str, optional
        Layer names.
    ax : matplotlib Axes, optional
        Where to draw; a new figure otherwise.
    cmap, vmin, vmax
        Colour map and its range (None: the data's range, e.g. for ``score="mi"``).
    annotate : bool, default True
        Write each value in its cell (for up to 20 layers).
    label, title
        Label of the colour bar (e.g. "linear CKA") and an optional title.

    Returns
    -------
    matplotlib.axes.Axes
    """
    from .layers import LayerSimilarity

    plt, _, _ = _imports()
    if isinstance(matrix, LayerSimilarity):  # not getattr: a DataFrame column "score"
        matrix = matrix.score
    values, names, _ = _labelled(matrix, labels)
    names = [str(name) for name in names]
    if ax is None:
        size = min(12, 2.5 + 0.5 * values.shape[0])
        _, ax = plt.subplots(figsize=(size + 1.2, size))
    image = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, vmin=vmin, vmax=vmax)
    ax.figure.colorbar(image, ax=ax, label=label)
    ax.set_xticks(range(len(names)), names, rotation=90)
    ax.set_yticks(range(values.shape[0]), names)
    if annotate and values.shape[0] <= 20:
        middle = np.nanmean(image.get_clim())
        for (i, j), value in np.ndenumerate(values):
            colour = "black" if value > middle else "white"
            ax.text(j, i, f"{value:.2f}", ha="center", va="center", color=colour, fontsize=8)
    if title:
        ax.set_title(title)
    return ax


def information_plane(frame, *, ax=None, cmap="viridis", units="nats", title=None):
    """Draw an information plane (:func:`fastmi.information_plane`): each layer's
    trajectory over the epochs in the plane (I(X;T), I(T;Y)), points coloured by
    epoch, layers told apart by marker, the last epoch joined across layers.

    Parameters
    ----------
    frame : DataFrame or structured array
        With columns ``epoch``, ``layer``, ``I_XT`` and ``I_TY``.
    ax : matplotlib Axes, optional
        Where to draw; a new figure otherwise.
    cmap : str, default "viridis"
        Colour map of the epochs.
    units, title
        Units of the axes ("nats" or "bits") and an optional title.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    The five layers of the information-plane recipe (:doc:`/recipes`), at one epoch,
    ``information_plane(rows, units="bits")`` with the ceilings H(X) and I(X;Y) added
    as dashed lines:

    .. image:: /_static/recipe_information_plane.png
       :alt: Five layers in the information plane, the widest at the corner
       :width: 450px
    """
    plt, _, _ = _imports()
    try:
        columns = {name: np.asarray(frame[name]) for name in ("epoch", "layer", "I_XT", "I_TY")}
    except (KeyError, ValueError, IndexError, TypeError):
        raise InvalidParameterError(
            "frame must have columns 'epoch', 'layer', 'I_XT' and 'I_TY', as "
            "fastmi.information_plane returns."
        ) from None
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 5))
    epochs = list(dict.fromkeys(columns["epoch"].tolist()))
    rank = {epoch: i for i, epoch in enumerate(epochs)}
    colour = np.array([rank[e] for e in columns["epoch"].tolist()], dtype=float)
    markers = "osD^v<>ph*"
    scatter = None
    for i, layer in enumerate(dict.fromkeys(columns["layer"].tolist())):
        rows = columns["layer"] == layer
        ax.plot(columns["I_XT"][rows], columns["I_TY"][rows], color="0.7", lw=0.8, zorder=1)
        scatter = ax.scatter(
            columns["I_XT"][rows], columns["I_TY"][rows], c=colour[rows], cmap=cmap,
            vmin=0, vmax=max(len(epochs) - 1, 1), marker=markers[i % len(markers)],
            edgecolors="black", linewidths=0.4, label=str(layer), zorder=2,
        )  # fmt: skip
    last = columns["epoch"] == np.asarray(epochs[-1], dtype=columns["epoch"].dtype)
    ax.plot(columns["I_XT"][last], columns["I_TY"][last], color="black", lw=1, ls=":", zorder=1)
    if len(epochs) > 1 and scatter is not None:
        bar = ax.figure.colorbar(scatter, ax=ax, label="epoch")
        ticks = np.unique(np.linspace(0, len(epochs) - 1, min(len(epochs), 6)).round())
        bar.set_ticks(ticks, labels=[str(epochs[int(t)]) for t in ticks])
    ax.set_xlabel(f"I(X;T) ({units})")
    ax.set_ylabel(f"I(T;Y) ({units})")
    ax.legend(title="layer", fontsize=8)
    if title:
        ax.set_title(title)
    return ax


def ib_curve(frame, points=None, *, ixy=None, ax=None, units="nats", label="IB curve", title=None):
    """Draw an information bottleneck curve (:func:`fastmi.info.ib_curve`): the most
    I(Z;Y) any compression Z of X keeps at each I(X;Z), with I(X;Y) dashed as the
    ceiling when ``ixy`` is given; optionally with the points of an information plane
    on top, so that a network's layers are seen against the bound.

    Parameters
    ----------
    frame : DataFrame or structured array
        With columns ``ixz`` and ``izy``, as ``fastmi.info.ib_curve`` returns.
    points : DataFrame or structured array, optional
        An information plane (:func:`fastmi.information_plane`): columns ``I_XT`` and
        ``I_TY``, with ``layer`` and ``epoch`` when present (drawn by
        :func:`information_plane`). Its units must be those of ``frame``.
    ixy : float, optional
        I(X;Y) in the units of ``frame`` (e.g. ``fastmi.info.mutual_info(pxy)``),
        drawn as a dashed ceiling; none is drawn without it (the curve's own top may
        lie below I(X;Y), with too few clusters or betas).
    ax : matplotlib Axes, optional
        Where to draw; a new figure otherwise.
    units, label, title
        Units of the axes ("nats" or "bits"), the curve's legend entry and an optional
        title.

    Returns
    -------
    matplotlib.axes.Axes
    """
    plt, _, _ = _imports()
    try:
        ixz = np.asarray(frame["ixz"], dtype=np.float64)
        izy = np.asarray(frame["izy"], dtype=np.float64)
    except (KeyError, ValueError, IndexError, TypeError):
        raise InvalidParameterError(
            "frame must have columns 'ixz' and 'izy', as fastmi.info.ib_curve returns."
        ) from None
    if ixy is not None:
        try:
            ceiling = float(ixy)
        except (TypeError, ValueError):
            ceiling = np.nan
        if isinstance(ixy, bool) or not np.isfinite(ceiling) or ceiling < 0:
            raise InvalidParameterError(f"ixy must be a finite real >= 0 (I(X;Y)); got {ixy!r}.")
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 5))
    order = np.argsort(ixz, kind="stable")
    ax.plot(ixz[order], izy[order], color="black", lw=1.8, label=label, zorder=3)
    if ixy is not None:
        ax.axhline(ceiling, color="0.5", lw=0.8, ls="--", zorder=0, label="I(X;Y)")
    if points is not None:
        try:
            names = points.dtype.names if hasattr(points, "dtype") else None
            names = names or list(points.columns)
        except AttributeError:
            names = []
        if {"epoch", "layer"} <= set(names):
            information_plane(points, ax=ax, units=units)
        else:
            try:
                xs, ys = np.asarray(points["I_XT"]), np.asarray(points["I_TY"])
            except (KeyError, ValueError, IndexError, TypeError):
                raise InvalidParameterError(
                    "points must have columns 'I_XT' and 'I_TY', as "
                    "fastmi.information_plane returns."
                ) from None
            ax.scatter(xs, ys, color="tab:red", edgecolors="black", zorder=4, label="measured")
    both = points is not None  # the bound's Z and the measured layers' T
    ax.set_xlabel(f"I(X;Z){', I(X;T)' if both else ''} ({units})")
    ax.set_ylabel(f"I(Z;Y){', I(T;Y)' if both else ''} ({units})")
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title)
    return ax
