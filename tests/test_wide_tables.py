"""Wide mixed tables: per-kind methods, hist on labels, the plan, progress by work,
and the strongest pairs."""

import numpy as np
import pandas as pd
import pytest

import fastmi
from fastmi import InvalidParameterError
from fastmi.pairwise import _engine


def mixed_table(rng, n=400):
    frame = pd.DataFrame(rng.normal(size=(n, 4)), columns=["f0", "f1", "f2", "f3"])
    frame["f1"] += frame["f0"]
    frame["i"] = rng.integers(0, 4, n)
    frame["s"] = np.array(["a", "b", "c"])[(frame["i"] + rng.integers(0, 2, n)) % 3]
    frame["flag"] = rng.random(n) < 0.3
    return frame


def test_a_method_per_pair_kind(rng):
    frame = mixed_table(rng)
    matrix = fastmi.pairwise_mi(frame, method={"continuous": "gcmi", "mixed": "hist"})
    assert matrix.loc["f0", "f1"] == fastmi.mi(frame["f0"], frame["f1"], method="gcmi")
    assert matrix.loc["f0", "s"] == fastmi.mi(frame["f0"], frame["s"], method="hist")
    assert matrix.loc["i", "s"] == fastmi.mi(frame["i"], frame["s"])  # not named: auto
    assert matrix.loc["i", "i"] == fastmi.entropy(frame["i"])
    single = fastmi.mi(frame["f0"], frame["f1"], method={"continuous": "gcmi"})
    assert single == fastmi.mi(frame["f0"], frame["f1"], method="gcmi")
    assert fastmi.mi(frame["f0"], frame["i"], method={"continuous": "gcmi"}) == fastmi.mi(
        frame["f0"], frame["i"]
    )


def test_a_method_mapping_is_checked():
    x = np.arange(10.0)
    with pytest.raises(InvalidParameterError, match=r"method's keys must be pair kinds"):
        fastmi.mi(x, x, method={"floats": "gcmi"})
    with pytest.raises(InvalidParameterError, match=r"method\['continuous'\] must be one of"):
        fastmi.mi(x, x, method={"continuous": "kde"})


def test_hist_keeps_labels_and_bins_the_rest(rng):
    frame = mixed_table(rng)
    matrix = fastmi.pairwise_mi(frame, method="hist")  # strings and bools: no error
    assert matrix.loc["i", "s"] == fastmi.mi(frame["i"], frame["s"], method="discrete")
    binned = np.digitize(frame["f0"], np.histogram_bin_edges(frame["f0"], 8)[1:-1])
    assert fastmi.mi(frame["f0"], frame["s"], method="hist", bins=8) == pytest.approx(
        fastmi.mi(binned, frame["s"]), rel=1e-12
    )


def test_plan_counts_pairs_and_matches_the_guard(rng):
    frame = mixed_table(rng)
    job = fastmi.plan(frame, n_jobs=1)
    # 4 floats: 6 ksg pairs; 3 labels: 3 discrete pairs; 12 float x label: Ross
    assert job.pairs == {"discrete": 3, "ross": 12, "ksg": 6}
    assert job.shape == (7, 7) and job.n_samples == 400 and job.threads == 1
    assert job.seconds == pytest.approx(
        sum(fastmi.estimators.REGISTRY[e].cost_per_sample * c * 400 for e, c in job.pairs.items())
    )
    assert fastmi.plan(frame, out="m.npy").memory < job.memory  # the matrix on disk
    assert "21 pairs" in str(job)
    cross = fastmi.plan(frame[["f0", "f1"]], frame[["i"]], method="gcmi")
    assert cross.pairs == {"gcmi": 2} and cross.shape == (2, 1)


def test_progress_advances_by_estimated_work(rng, monkeypatch):
    frame = mixed_table(rng)
    updates = []

    class Bar:
        def __init__(self, total, initial):
            self.total, self.n = total, initial

        def update(self, amount):
            updates.append(amount)
            self.n += amount

        def close(self):
            updates.append(("closed", self.n, self.total))

    monkeypatch.setattr(
        _engine, "progress_bar", lambda enabled, total, initial: Bar(total, initial)
    )
    fastmi.pairwise_mi(frame, tile_size=2, progress=True)
    *amounts, (_, reached, total) = updates
    assert reached == pytest.approx(total)  # the bar ends full
    assert max(amounts) > 3 * min(amounts)  # float tiles weigh more than label tiles


def test_top_pairs_of_square_and_cross_matrices(rng):
    frame = mixed_table(rng)
    matrix = fastmi.pairwise_mi(frame)
    top = fastmi.top_pairs(matrix, n=3)
    assert list(top.columns) == ["x", "y", "mi"]
    rows, cols = np.triu_indices(7, 1)
    best = np.nanargmax(matrix.to_numpy()[rows, cols])
    assert (top.iloc[0]["x"], top.iloc[0]["y"]) == (
        frame.columns[rows[best]],
        frame.columns[cols[best]],
    )
    assert top["mi"].is_monotonic_decreasing and len(top) == 3
    everything = fastmi.top_pairs(matrix, n=None)
    assert len(everything) == 21  # each pair once, no diagonal
    upper = matrix.to_numpy()[np.triu_indices(7, 1)]
    assert sorted(everything["mi"]) == sorted(upper)
    strong = fastmi.top_pairs(matrix, n=None, threshold=0.1)
    assert (strong["mi"] >= 0.1).all() and len(strong) == int((upper >= 0.1).sum())
    cross = fastmi.pairwise_mi(frame[["f0", "f1"]], frame[["f0", "i"]])
    assert len(fastmi.top_pairs(cross, n=None)) == 4  # every cell of a cross matrix
    with pytest.raises(InvalidParameterError, match=r"n must be a positive int or None"):
        fastmi.top_pairs(matrix, n=0)


def test_mi_with_a_joint_target(rng):
    X = rng.normal(size=(500, 3))
    Y = np.column_stack([X[:, 0] + rng.normal(size=500), rng.normal(size=500)])
    scores = fastmi.mi_with_target(pd.DataFrame(X, columns=list("abc")), Y)
    assert scores.index.tolist() == ["a", "b", "c"]
    assert scores.tolist() == [fastmi.mi(X[:, j], Y) for j in range(3)]
    assert scores["a"] > 0.2 > scores["b"]


def test_a_joint_target_of_another_length_is_refused(rng):
    X = rng.normal(size=(50, 3))
    with pytest.raises(InvalidParameterError, match=r"got X\[:, 0\]: 50, y: 10\."):
        fastmi.mi_with_target(X, X[:10, :2])
