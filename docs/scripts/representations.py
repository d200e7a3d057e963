"""The figure of the page "Comparing representations" (docs/representations.md):
a small tanh network trained on scikit-learn's digits with partial_fit, its layer
similarity matrix (mean informational correlation and linear CKA) and its information
plane over the epochs.

    python docs/scripts/representations.py    # writes docs/_static/representations.png

Runs offline in a few seconds (the digits ship with scikit-learn).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

import fastmi

OUT = Path(__file__).resolve().parents[1] / "_static" / "representations.png"


def hidden_layers(net, X) -> dict[str, np.ndarray]:
    """The activations of the hidden layers of a fitted MLPClassifier, from its
    weights: T_l = tanh(T_{l-1} W_l + b_l)."""
    layers, activations = {}, X
    for i, (weights, bias) in enumerate(zip(net.coefs_[:-1], net.intercepts_[:-1])):
        activations = np.tanh(activations @ weights + bias)
        layers[f"h{i + 1}"] = activations
    return layers


def train(epochs: int = 12, sizes=(32, 16, 8)):
    """(X, y, [hidden layers after each epoch])."""
    from sklearn.datasets import load_digits
    from sklearn.neural_network import MLPClassifier

    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    net = MLPClassifier(sizes, activation="tanh", learning_rate_init=0.01, random_state=0)
    snapshots = []
    for _ in range(epochs):
        net.partial_fit(X, y, classes=np.arange(10))
        snapshots.append(hidden_layers(net, X))
    return X, y, snapshots


def plot(X, y, snapshots, path=OUT):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from fastmi.plot import information_plane, similarity_heatmap

    layers = {"input": X, **snapshots[-1]}
    with warnings.catch_warnings():  # the floor and log n warnings: see the page
        warnings.simplefilter("ignore", fastmi.UnreliableEstimateWarning)
        similarity = fastmi.layer_similarity(layers, n_permutations=20)
        plane = fastmi.information_plane(X, snapshots, y, n_components=3, base=2)
    figure, axes = plt.subplots(1, 3, figsize=(16, 4.6))
    similarity_heatmap(similarity.score, ax=axes[0], label="mi_corr", title="mi_corr")
    similarity_heatmap(
        fastmi.layer_similarity(layers, score="cka"), ax=axes[1], label="linear CKA",
        title="linear CKA",
    )  # fmt: skip
    information_plane(plane, ax=axes[2], units="bits", title="information plane (gcmi, 3 PCs)")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return plane


if __name__ == "__main__":
    print(plot(*train()))  # noqa: T201
