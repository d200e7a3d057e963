"""docs/scripts/estimate_vs_truth.py, the figure of the page "Choosing an estimator",
run at a tiny size so that the script cannot rot (the full run takes seconds to a
minute and is made by hand)."""

import importlib.util
import math
import re
from pathlib import Path

import numpy as np
import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "docs" / "scripts" / "estimate_vs_truth.py"


@pytest.fixture(scope="module")
def figure_script():
    spec = importlib.util.spec_from_file_location("estimate_vs_truth", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_true_mi_of_a_gaussian(figure_script):
    assert figure_script.true_mi(0.0) == 0.0
    assert figure_script.true_mi(0.6) == pytest.approx(-0.5 * math.log(0.64), rel=1e-15)


def test_estimates_are_near_the_truth_and_the_png_is_written(figure_script, tmp_path):
    pytest.importorskip("matplotlib")
    results = figure_script.estimate(ns=(300, 600), rhos=(0.0, 0.6), reps=2)
    assert results["truth"] == pytest.approx([0.0, 0.22314355131420976])
    for method in figure_script.METHODS:
        assert results[method].shape == (2, 2, 2)
        error = results[method].mean(axis=2) - results["truth"]
        # hist with "auto" bins carries the plug-in bias of (m - 1)^2 / (2n) nats,
        # about 0.06 here; the kNN and copula estimators are nearly unbiased.
        assert np.abs(error).max() < (0.15 if method == "hist" else 0.1), method
    # "mixed" on tie-free floats is Gao et al., which is KSG algorithm 1 there.
    np.testing.assert_allclose(results["mixed"], results["ksg"], rtol=1e-12)
    path = tmp_path / "figure.png"
    figure_script.plot(results, path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_committed_figure_exists():
    png = SCRIPT.parents[1] / "_static" / "estimate_vs_truth.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# --- The site's pictures: every image a page or a docstring shows is checked in, and
# the scripts that make them still run (the quick ones, at a small size).

DOCS = SCRIPT.parents[1]
PNG = b"\x89PNG\r\n\x1a\n"


def load_script(name):
    spec = importlib.util.spec_from_file_location(name, DOCS / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def referenced_images():
    """(where, path) of every image in docs/*.md (Markdown images and MyST figures)
    and the docstrings of fastmi/."""
    found = []
    for page in sorted(DOCS.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", text):
            found.append((page.name, DOCS / target))
        for target in re.findall(r"^```\{figure\} (\S+)", text, flags=re.M):
            found.append((page.name, DOCS / target))
    for module in sorted((DOCS.parent / "fastmi").rglob("*.py")):
        for target in re.findall(r"\.\. image:: /(\S+)", module.read_text(encoding="utf-8")):
            found.append((module.name, DOCS / target))
    return found


def test_every_referenced_image_is_checked_in():
    images = referenced_images()
    assert {
        "landing_heatmap.png",
        "pairwise_heatmap.png",
        "recipe_information_plane.png",
        "significance.png",
        "feature_selection.png",
        "gpu_layout.png",
    } <= {path.name for _, path in images}
    for where, path in images:
        assert path.is_file(), f"{where} shows {path.name}, which is not in docs/_static"
        assert path.read_bytes()[:8] == PNG, path


def test_the_landing_heatmap_script_runs(tmp_path):
    pytest.importorskip("matplotlib")
    pytest.importorskip("sklearn")
    script = load_script("landing_heatmap")
    mi = script.matrix()
    assert mi.shape == (14, 14) and "cultivar" in mi.columns
    script.plot(mi, tmp_path / "wine.png")
    assert (tmp_path / "wine.png").read_bytes()[:8] == PNG


def test_the_pairwise_heatmap_script_runs(tmp_path):
    pytest.importorskip("matplotlib")
    pytest.importorskip("sklearn")
    script = load_script("pairwise_heatmap")
    mi = script.matrix(n_columns=4)
    assert list(mi.columns)[-1] == "diagnosis" and mi.shape == (5, 5)
    script.plot(mi, tmp_path / "cancer.png")
    assert (tmp_path / "cancer.png").read_bytes()[:8] == PNG


def test_the_significance_figure_script_runs(tmp_path):
    pytest.importorskip("matplotlib")
    path = load_script("significance_figure").main(tmp_path / "significance.png", quick=True)
    assert path.read_bytes()[:8] == PNG


def test_the_feature_selection_figure_script_runs(tmp_path):
    """No quick mode: the whole figure, a few seconds (the breast cancer data)."""
    pytest.importorskip("matplotlib")
    pytest.importorskip("sklearn")
    script = load_script("feature_selection_figure")
    path = script.main(tmp_path / "feature_selection.png")
    assert path.read_bytes()[:8] == PNG


def test_the_gpu_layout_diagram_script_runs(tmp_path):
    pytest.importorskip("matplotlib")
    path = load_script("gpu_layout").main(tmp_path / "gpu_layout.png")
    assert path.read_bytes()[:8] == PNG


def test_the_information_plane_recipe_script_runs(tmp_path):
    pytest.importorskip("matplotlib")
    script = load_script("recipe_information_plane")
    rows = script.plane(n_bits=6, widths=(4, 3))
    assert rows["layer"] == ["4 units", "3 units"]
    assert all(0 <= i_ty <= 1 + 1e-12 for i_ty in rows["I_TY"])
    assert all(0 <= i_xt <= 6 + 1e-12 for i_xt in rows["I_XT"])
    script.plot(rows, tmp_path / "plane.png", n_bits=6)
    assert (tmp_path / "plane.png").read_bytes()[:8] == PNG


def test_the_information_plane_figure_has_the_recipes_numbers():
    """The script draws the points the recipe prints (docs/recipes.md), so the figure
    and the text cannot drift apart."""
    text = (DOCS / "recipes.md").read_text(encoding="utf-8")
    printed = re.findall(
        r"^ ?(\d+) units: I\(X;T\) = ([\d.]+) bits, I\(T;Y\) = ([\d.]+) bits$", text, flags=re.M
    )
    assert len(printed) == 5
    rows = load_script("recipe_information_plane").plane()
    assert [f"{int(w)} units" for w, _, _ in printed] == rows["layer"]
    assert [x for _, x, _ in printed] == [f"{v:.2f}" for v in rows["I_XT"]]
    assert [y for _, _, y in printed] == [f"{v:.2f}" for v in rows["I_TY"]]
