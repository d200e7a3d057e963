"""Heatmaps of MI matrices (extra ``plot``: matplotlib and scipy).

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

__all__ = ["cluster_order", "heatmap"]


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
    """An order of the variables that puts strongly dependent ones side by side: the
    leaves of an average-linkage clustering on distance = max(M) - M (off the
    diagonal; NaN counts as no dependence)."""
    _, hierarchy, squareform = _imports()
    m = np.array(matrix, dtype=np.float64)
    p = m.shape[0]
    if p < 3:
        return np.arange(p)
    off = ~np.eye(p, dtype=bool)
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

    Notes
    -----
    Past ``MAX_LABELS`` rows or columns, every k-th label is shown, so that labels
    never print on top of each other; the cells are all drawn.

    Returns
    -------
    matplotlib.axes.Axes
    """
    plt, _, _ = _imports()
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
