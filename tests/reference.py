"""Slow, obvious reference implementations (oracles). Never imports fastmi."""

import math
from collections import Counter

import numpy as np


def labels(x):
    """Samples as a list of hashable labels: values for 1-D input, row tuples for 2-D."""
    array = np.asarray(x, dtype=object)
    if array.ndim == 1:
        return list(array)
    return [tuple(row) for row in array]


def naive_entropy(x):
    counts = Counter(labels(x))
    n = sum(counts.values())
    return -sum(c / n * math.log(c / n) for c in counts.values())


def naive_mi(x, y):
    lx, ly = labels(x), labels(y)
    n = len(lx)
    px, py, pxy = Counter(lx), Counter(ly), Counter(zip(lx, ly))
    return sum(c / n * math.log(c * n / (px[a] * py[b])) for (a, b), c in pxy.items())


def naive_cmi(x, y, z):
    lx, ly, lz = labels(x), labels(y), labels(z)
    n = len(lx)
    pz, pxz, pyz = Counter(lz), Counter(zip(lx, lz)), Counter(zip(ly, lz))
    pxyz = Counter(zip(lx, ly, lz))
    return sum(
        c / n * math.log(c * pz[s] / (pxz[a, s] * pyz[b, s])) for (a, b, s), c in pxyz.items()
    )


def n_levels(x):
    return len(set(labels(x)))


def naive_miller_madow_entropy(x):
    return naive_entropy(x) + (n_levels(x) - 1) / (2 * len(labels(x)))


def naive_entropy_of_table(p):
    p = np.asarray(p, dtype=float).ravel()
    p = p / p.sum()
    return -sum(v * math.log(v) for v in p if v > 0)
