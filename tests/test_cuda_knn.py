"""The kNN device parts of the CUDA backend (fastmi.cuda._knn): KSG, KSG2 and Ross on
the device give the CPU tile parts' values bit for bit, run to run.

Run on Numba's CUDA simulator (kernels in Python, a thread per GPU thread), so the
inputs are tiny; with NUMBA_ENABLE_CUDASIM=0 on a GPU machine they run on the device.
"""

import os

os.environ.setdefault("NUMBA_ENABLE_CUDASIM", "1")  # before numba.cuda is imported

import warnings  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from fastmi._options import Options  # noqa: E402
from fastmi._validation import InvalidParameterError  # noqa: E402
from fastmi.cuda import _knn  # noqa: E402
from fastmi.estimators import REGISTRY  # noqa: E402
from fastmi.kernels._cuda_knn import MAX_K  # noqa: E402


def cpu_part(name, columns, kinds, **options):
    """The CPU tile part of estimator ``name`` over all the columns, as
    fastmi.pairwise._job.prepare_parts makes it."""
    opt = Options(method=REGISTRY[name].method, **options)
    with warnings.catch_warnings():  # tied columns are the point here
        warnings.simplefilter("ignore")
        return REGISTRY[name].part(
            list(range(len(columns))), columns, kinds, opt, lambda v, w: True
        )


def both(name, part, a, b):
    """(CPU values, device values) of pairs a[t], b[t]."""
    expected = np.full(len(a), -1.0)
    assert part(a, b, expected) is None
    found = np.full(len(a), -2.0)
    assert _knn.KNN_PARTS[name](part)(a, b, found) is None
    return expected, found


def all_pairs(p):
    a, b = np.triu_indices(p, 1)
    return a, b


def continuous_columns(rng, n):
    """Independent, dependent, few distinct values, duplicates, constant."""
    x = rng.normal(size=n)
    return [
        ("x", x),
        ("y", x + 0.3 * rng.normal(size=n)),
        ("few", rng.integers(0, 3, n).astype(float)),
        ("rounded", np.round(rng.normal(size=n), 1)),
        ("constant", np.full(n, 2.5)),
    ]


@pytest.mark.parametrize("name", ["ksg", "ksg2"])
@pytest.mark.parametrize("k", [1, 3, 5])
def test_ksg_device_equals_cpu_with_exact_ties(rng, name, k):
    """jitter=0 keeps the ties exact: the k nearest are then chosen by sample index
    among equal distances, which KSG2's radii depend on. On the CPU, n = 44 takes the
    strips, and the KD-tree for the pairs with the tied columns."""
    columns = continuous_columns(rng, 44)
    part = cpu_part(name, columns, ["continuous"] * 5, k=k, jitter=0.0)
    expected, found = both(name, part, *all_pairs(5))
    np.testing.assert_array_equal(found, expected)
    assert np.all(found[[3, 6, 8, 9]] == 0.0)  # pairs with the constant column


@pytest.mark.parametrize("name", ["ksg", "ksg2"])
def test_ksg_device_equals_cpu_jittered_small_n(rng, name):
    """Default jitter, and n below the CPU's brute-force threshold; pairs in both
    orders (the device scans the variable with more distinct values)."""
    columns = continuous_columns(rng, 24)[:4]
    part = cpu_part(name, columns, ["continuous"] * 4, k=3)
    a, b = all_pairs(4)
    expected, found = both(name, part, np.r_[a, b], np.r_[b, a])
    np.testing.assert_array_equal(found, expected)


def labelled_columns(rng, n):
    """Labels (one of them seen once), labels that are all alike, and continuous
    columns: label-dependent, with an atom of exact zeros, constant."""
    labels = rng.integers(0, 3, n)
    labels[5] = 7  # a label with a single sample: left out
    c = labels + rng.normal(size=n)
    atom = np.where(rng.random(n) < 0.4, 0.0, rng.normal(size=n))
    return [
        ("labels", labels),
        ("one label", np.zeros(n, dtype=np.int64)),
        ("c", c),
        ("atom", atom),
        ("constant", np.full(n, -1.0)),
    ]


@pytest.mark.parametrize("k", [1, 3, 5])
def test_ross_device_equals_cpu(rng, k):
    columns = labelled_columns(rng, 40)
    kinds = ["discrete", "discrete", "continuous", "continuous", "continuous"]
    part = cpu_part("ross", columns, kinds, k=k)
    a = np.array([0, 0, 0, 1, 1, 3, 2])
    b = np.array([2, 3, 4, 2, 3, 0, 1])
    expected, found = both("ross", part, a, b)
    np.testing.assert_array_equal(found, expected)
    assert np.all(found[[2, 3, 4, 6]] == 0.0)  # constant, or one label
    assert expected[0] > 0.1  # the labels shift c


def test_ross_device_no_repeated_label_is_nan(rng):
    """Labels that are all distinct leave no sample: nan, as the CPU part gives (the
    caller raises)."""
    n = 36
    columns = [("ids", np.arange(n)), ("c", rng.normal(size=n))]
    opt = Options(method="mixed", k=3)
    part = REGISTRY["ross"].part([0, 1], columns, ["discrete", "continuous"], opt,
                                 lambda v, w: False)  # fmt: skip
    expected, found = both("ross", part, np.array([0]), np.array([1]))
    assert np.isnan(expected[0]) and np.isnan(found[0])


@pytest.mark.parametrize("name", ["ksg2", "ross"])
def test_device_parts_are_deterministic(rng, name):
    columns = labelled_columns(rng, 36)[::2] if name == "ross" else continuous_columns(rng, 36)
    kinds = ["discrete", "continuous", "continuous"] if name == "ross" else ["continuous"] * 5
    part = cpu_part(name, columns, kinds, k=3, jitter=0.0)
    a, b = (np.array([0, 0]), np.array([1, 2])) if name == "ross" else all_pairs(4)
    device = _knn.KNN_PARTS[name](part)
    runs = []
    for _ in range(2):
        out = np.empty(len(a))
        device(a, b, out)
        runs.append(out.tobytes())
    assert runs[0] == runs[1]


@pytest.mark.parametrize("name", ["ksg", "ross"])
def test_tiny_batches_give_the_same_values(rng, monkeypatch, name):
    """A scratch budget of one pair per batch: more launches, the same values."""
    columns = labelled_columns(rng, 36)[::2] if name == "ross" else continuous_columns(rng, 36)
    kinds = ["discrete", "continuous", "continuous"] if name == "ross" else ["continuous"] * 5
    part = cpu_part(name, columns, kinds, k=2, jitter=0.0)
    a, b = (np.array([0, 0]), np.array([1, 2])) if name == "ross" else all_pairs(4)
    monkeypatch.setattr(_knn, "BATCH_BYTES", 1)
    device = _knn.KNN_PARTS[name](part)
    assert device.capacity == 1
    assert device.nbytes > 0
    expected, found = both(name, part, a, b)
    np.testing.assert_array_equal(found, expected)


@pytest.mark.parametrize("name", ["ksg", "ksg2", "ross"])
def test_too_large_k_is_refused_when_the_part_is_built(rng, name):
    n = MAX_K + 4
    if name == "ross":
        columns = [("labels", np.arange(n) % 2), ("c", rng.normal(size=n))]
        kinds = ["discrete", "continuous"]
    else:
        columns = [("x", rng.normal(size=n)), ("y", rng.normal(size=n))]
        kinds = ["continuous"] * 2
    part = cpu_part(name, columns, kinds, k=MAX_K + 1)
    with pytest.raises(InvalidParameterError, match=f"k={MAX_K + 1} is above {MAX_K}"):
        _knn.KNN_PARTS[name](part)


def test_psi_table_is_the_cpu_digamma():
    from fastmi.kernels._digamma import _digamma_int

    table = _knn.psi_table(40)
    assert np.isnan(table[0])
    assert all(table[m] == _digamma_int(m) for m in range(1, 41))


@settings(max_examples=6, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    levels=st.integers(1, 6),
    k=st.integers(1, 4),
    algorithm=st.sampled_from(["ksg", "ksg2"]),
)
def test_ksg_device_equals_cpu_on_random_ties(seed, levels, k, algorithm):
    """Columns of 1..6 distinct values (exact ties, jitter=0) against a continuous
    one: the hardest case for tie-breaking."""
    rng = np.random.default_rng(seed)
    n = 34
    columns = [
        ("tied", rng.integers(0, levels, n).astype(float)),
        ("c", rng.normal(size=n)),
        ("tied2", rng.integers(0, levels + 1, n).astype(float)),
    ]
    part = cpu_part(algorithm, columns, ["continuous"] * 3, k=k, jitter=0.0)
    expected, found = both(algorithm, part, *all_pairs(3))
    np.testing.assert_array_equal(found, expected)


#: Compiles every CUDA kernel (kNN, tables, gcmi) to PTX for compute capability 9.0
#: with the argument types the parts launch them with, outside the simulator, and
#: prints per kernel its fused multiply-adds and how many of them add a value loaded
#: from a float64 kernel argument (the -0.0 of ``cuda.fma(p, q, negative_zero)``).
_PTX_SCRIPT = """
import re

import numba.cuda.dispatcher as dispatcher
from numba import cuda, types as T
from numba.cuda.cudadrv import nvvm

if not nvvm.is_available():
    print("no NVVM")
    raise SystemExit(0)


class Device:  # device functions compile for the current device's compute capability
    compute_capability = (9, 0)


dispatcher.get_current_device = Device
from fastmi.kernels import _cuda_gcmi as G, _cuda_knn as K, _cuda_tables as D

f2, i2, l2 = T.float64[:, ::1], T.int32[:, ::1], T.int64[:, ::1]
f1, i1, l1, b1 = T.float64[::1], T.int32[::1], T.int64[::1], T.boolean[::1]
n, f = T.int64, T.float64
tables = (i2, l1, l1, l1, l1, f1)
signatures = [
    (K._gather_along, (f2, n, i2, n, i2, f2)),
    (K._gather_along, (i2, n, i2, n, i2, i2)),
    (K._ksg_terms, (f2, f2, i2, i2, i2, f2, n, n, f1, f2)),
    (K._ksg_totals, (f2, i2, n, n, f1, f1)),
    (K._ross_blocks, (f2, i2, i2, i2, i2, i2, i2, i2)),
    (K._ross_terms, (f2, i2, i2, i2, i2, i2, i2, n, f1, f2)),
    (K._ross_totals, (f2, i2, i2, l1, f1, f1)),
    (D._table_mi_shared, tables + (l2, n, f, f1, b1)),
    (D._table_mi_global, tables + (l2, n, f, i2, f1, b1)),
    (D._table_mi_sparse, tables + (i2, l1, l2, n, f, i2, f1, b1)),
    (D._zero, (i1,)),
    (G._correlation_block, (f2, l1, l1, f, f2)),
]
for kernel, signature in signatures:
    ptx, _ = cuda.compile_ptx(kernel.py_func, signature, cc=(9, 0))
    arguments = set(re.findall(r"ld\\.param\\.f64\\s+(%fd\\d+)", ptx))
    fused = [line.split() for line in ptx.splitlines() if line.split()[:1] == ["fma.rn.f64"]]
    contracted = sum("fma" in line for line in ptx.splitlines()) - len(fused)
    rounded = sum(words[-1].rstrip(";") in arguments for words in fused)
    print(kernel.py_func.__name__, len(fused) + contracted, rounded)
"""

#: Kernels whose products go through cuda.fma(p, q, -0.0), and so must show fused
#: multiply-adds, each adding the kernel argument: the product rounded on its own.
_ROUNDED_PRODUCTS = {"_table_mi_shared", "_table_mi_global", "_table_mi_sparse",
                     "_correlation_block"}  # fmt: skip


def test_kernels_compile_for_a_gpu_with_products_rounded_on_their_own():
    """The simulator runs the kernels as Python, so it cannot catch what only the CUDA
    compiler rejects (numba 0.68 fails on min() or max() of two integers in device
    code), nor show a contraction into fused multiply-adds, which would change bits:
    the kNN kernels must have none, the table and gcmi kernels only the fma(p, q,
    -0.0) of each product, whose addend is the -0.0 argument. Needs NVVM (the CUDA
    toolkit), not a GPU."""
    import subprocess
    import sys

    environment = {**os.environ, "NUMBA_ENABLE_CUDASIM": "0"}
    result = subprocess.run(
        [sys.executable, "-c", _PTX_SCRIPT], env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
    if result.stdout.strip() == "no NVVM":
        pytest.skip("NVVM (the CUDA toolkit) is not installed")
    counts = [line.split() for line in result.stdout.splitlines()]
    assert len(counts) == 12, result.stdout
    for name, fused, rounded in counts:
        if name in _ROUNDED_PRODUCTS:
            assert int(fused) > 0 and rounded == fused, result.stdout
        else:
            assert fused == "0", result.stdout


@settings(max_examples=6, deadline=None)
@given(seed=st.integers(0, 2**16), levels=st.integers(2, 8), k=st.integers(1, 4))
def test_ross_device_equals_cpu_on_random_labels_and_ties(seed, levels, k):
    """Random labels (rare and single-sample ones included) against a continuous
    column with repeated values and one with an atom, exact (jitter=0)."""
    rng = np.random.default_rng(seed)
    n = 34
    labels = rng.integers(0, levels, n)
    labels[0] = levels  # seen once
    columns = [
        ("labels", labels),
        ("repeats", rng.integers(0, 12, n) / 4),
        ("atom", np.where(rng.random(n) < 0.5, 1.0, rng.normal(size=n))),
    ]
    kinds = ["discrete", "continuous", "continuous"]
    part = cpu_part("ross", columns, kinds, k=k, jitter=0.0)
    expected, found = both("ross", part, np.array([0, 2]), np.array([1, 0]))
    np.testing.assert_array_equal(found, expected)
