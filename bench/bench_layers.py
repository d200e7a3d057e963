"""layers.py end to end at tiny sizes (--quick), and layer_similarity timed.

The numbers of a quick run mean nothing; this checks that the benchmark runs and that
layer_mi agrees with fastmi.mi on its data.
"""

import layers
import numpy as np
import pytest

import fastmi


def test_layers_quick(capsys):
    results = layers.main(["--quick"])
    printed = capsys.readouterr().out
    assert "4 layers of 16 units, N = 600" in printed
    assert "layer_similarity(score='cka_debiased')" in printed
    assert results["agree"]


@pytest.mark.parametrize("score", ["mi_corr", "cka"])
def test_layer_similarity(benchmark, score):
    data = layers.make_layers(2_000, 32, 4)
    layers.timed(fastmi.layer_similarity, data, score=score)  # compile outside the timer
    benchmark.group = f"layer_similarity 4 x 32 units n=2000 {score}"
    matrix = benchmark.pedantic(
        layers.timed,
        args=(fastmi.layer_similarity, data),
        kwargs={"score": score},
        rounds=1,
        iterations=1,
    )[1]
    assert np.all(np.diag(np.asarray(matrix)) > 0.999)
