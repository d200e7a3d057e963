#!/usr/bin/env bash
# The one prepared GPU check of the CUDA backend (issue 19), for a machine with an
# NVIDIA GPU. From the repository root:
#
#     OUT=/some/dir bash bench/gpu_check.sh      # default OUT: ./gpu-results
#
# 1. Wheels carried in .whl/ (numba-cuda and what it needs, when the machine lacks
#    them) are installed into /tmp/site, which goes first on PYTHONPATH; the
#    repository itself is imported from the working tree (PYTHONPATH), not installed.
# 2. The CUDA tests run on the device, not the simulator (NUMBA_ENABLE_CUDASIM=0):
#    tests/test_cuda.py and tests/test_cuda_knn.py, log in $OUT/tests.txt.
# 3. bench/gpu.py times all-pairs KSG (P = 1,000, N = 10^4) and discrete
#    (P = 10,000, N = 10^4) on the GPU against the thread backend with 2 and 16
#    threads: $OUT/gpu.json, $OUT/gpu.md, log in $OUT/bench.txt.
# Everything it finds is written under $OUT, also when a step fails; it exits with
# the tests' status. A dry run without a GPU, on the simulator at a tiny size:
#     NUMBA_ENABLE_CUDASIM=1 BENCH_ARGS="--ksg-p 3 --ksg-n 20 --discrete-p 4 \
#         --discrete-n 24 --cpu-columns-ksg 3 --cpu-columns-discrete 3" bash bench/gpu_check.sh
# Sized for at most 5 minutes (2 for the tests, 3 for the benchmark) of a 16-core H200
# machine, so that a 15-minute device budget leaves room to start it and run it again.
# The tests run to the end (no -x): one failure does not hide the others. numba-cuda's
# low-occupancy warning is off (the parts silence it around their launches anyway).
set -u -o pipefail
OUT=${OUT:-gpu-results}
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1 NUMBA_ENABLE_CUDASIM=${NUMBA_ENABLE_CUDASIM:-0} FASTMI_COMPILE_NOTICE=0
export NUMBA_CUDA_LOW_OCCUPANCY_WARNINGS=0
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
PYTHON=${PYTHON:-python3}

if compgen -G ".whl/*.whl" >/dev/null; then
    "$PYTHON" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
        --target /tmp/site .whl/*.whl || exit 1
    export PYTHONPATH="/tmp/site:$PYTHONPATH"
fi

{
    nvidia-smi
    "$PYTHON" -c "import sys, numpy, numba; print(sys.version); print('numpy', numpy.__version__, 'numba', numba.__version__)"
    "$PYTHON" -m pip show numba-cuda cuda-bindings 2>/dev/null | grep -E '^(Name|Version)'
    "$PYTHON" -c "from numba import cuda; cuda.detect(); import fastmi.cuda._device as d; print('available', d.available(), 'free bytes', d.free_memory())"
} >"$OUT/env.txt" 2>&1

tests=(tests/test_cuda.py)
[ -f tests/test_cuda_knn.py ] && tests+=(tests/test_cuda_knn.py)
timeout 120 "$PYTHON" -m pytest "${tests[@]}" -q -p no:cacheprovider --durations=10 \
    --junitxml="$OUT/tests.xml" 2>&1 | tee "$OUT/tests.txt"
status=${PIPESTATUS[0]}

timeout 180 "$PYTHON" bench/gpu.py "$OUT" --cpu-threads 2 16 --cpu-columns-ksg 80 \
    --cpu-columns-discrete 600 --gpu-budget 90 ${BENCH_ARGS:-} 2>&1 | tee "$OUT/bench.txt"
exit "$status"
