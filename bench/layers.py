"""The layer x layer similarity matrix at the scale of the representations issue, on 2
threads: 10 layers of 512 units, N = 10^4 samples.

    python bench/layers.py            # full size (the issue's target: under 60 s)
    python bench/layers.py --quick    # tiny sizes: checks the path in seconds

Times ``fastmi.layer_similarity`` with the Gaussian-copula scores (``"mi_corr"`` and
``"mi"``: ranks, normal scores and an orthonormal basis once per layer, then one
512 x 512 product per pair and the eigenvalues, by eigvalsh, of the smaller of its
two Gram products, the squared canonical correlations) and with linear CKA and debiased
CKA (unit x unit products per pair), and the single ``fastmi.layer_mi`` of one pair
against ``fastmi.mi(A, B, method="gcmi")`` (the log-determinant form, which prepares
both layers again for every pair).

Measured on the shared 2-core development machine: the "mi_corr" matrix in 11.5 s
at best, 18-20 s with one BLAS thread (OPENBLAS_NUM_THREADS=1), linear CKA in 4-7 s,
one pair by layer_mi 1.8 s against 1.5 s for fastmi.mi. When other processes keep the
cores busy, OpenBLAS's threads make the 512 x 512 LAPACK calls (Cholesky,
eigenvalues) up to 10x slower (runs of 50-100 s were seen); on a busy machine run with
OPENBLAS_NUM_THREADS=1.

The layers: a random tanh network on Gaussian inputs, each layer a noisy tanh of a
random linear map of the previous one, so that neighbouring layers are similar and
the similarity decays with depth.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numba
import numpy as np

import fastmi


def make_layers(n: int, width: int, depth: int, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    layer = rng.normal(size=(n, width))
    layers = {}
    for i in range(depth):
        weights = rng.normal(size=(width, width)) / np.sqrt(width)
        layer = np.tanh(layer @ weights * 1.5 + 0.3 * rng.normal(size=(n, width)))
        layers[f"layer{i + 1}"] = layer
    return layers


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    with warnings.catch_warnings():  # the floor and bias warnings are expected here
        warnings.simplefilter("ignore", fastmi.UnreliableEstimateWarning)
        result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    n, width, depth = (600, 16, 4) if args.quick else (10_000, 512, 10)
    numba.set_num_threads(min(args.threads, numba.config.NUMBA_NUM_THREADS))
    layers = make_layers(n, width, depth)
    timed(fastmi.layer_similarity, make_layers(50, 3, 2))  # compile the kernels outside
    print(f"{depth} layers of {width} units, N = {n:,}, {args.threads} threads")
    results = {}
    for score in ("mi_corr", "mi", "cka", "cka_debiased"):
        seconds, matrix = timed(fastmi.layer_similarity, layers, score=score)
        results[score] = seconds
        values = np.asarray(matrix)
        print(
            f"  layer_similarity(score={score!r}): {seconds:7.2f} s   "
            f"layer1-layer2 {values[0, 1]:.3f}, layer1-layer{depth} {values[0, -1]:.3f}"
        )
    a, b = layers["layer1"], layers["layer2"]
    results["layer_mi"], value = timed(fastmi.layer_mi, a, b)
    results["mi"], reference = timed(fastmi.mi, a, b, method="gcmi")
    print(f"  one pair: layer_mi {results['layer_mi']:.2f} s, mi(method='gcmi') "
          f"{results['mi']:.2f} s, values {value:.4f} and {reference:.4f} nats")  # fmt: skip
    results["agree"] = bool(np.isclose(value, reference, rtol=1e-8))
    return results


if __name__ == "__main__":
    main()
