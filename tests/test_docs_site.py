"""The documentation site's structure, checked without Sphinx: every page is in the
toctree of docs/index.md and every relative link between pages points to a page that
exists. (CI also builds the site with warnings as errors; this catches the same
mistakes in a plain pytest run.)"""

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"


def toctree_entries():
    text = (DOCS / "index.md").read_text(encoding="utf-8")
    block = re.search(r"```\{toctree\}\n(.*?)```", text, flags=re.S)
    assert block, "docs/index.md has no toctree"
    return [
        line.strip()
        for line in block.group(1).splitlines()
        if line.strip() and not line.strip().startswith(":")
    ]


def pages():
    return sorted(p for p in DOCS.iterdir() if p.suffix in (".md", ".rst") and p.name != "index.md")


def test_every_page_is_in_the_toctree():
    entries = toctree_entries()
    assert sorted(entries) == sorted(p.stem for p in pages())
    assert len(set(entries)) == len(entries)


@pytest.mark.parametrize("page", [DOCS / "index.md", *pages()], ids=lambda p: p.name)
def test_relative_links_point_to_pages_that_exist(page):
    text = page.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if "://" in target or target.startswith("mailto:"):
            continue
        assert (page.parent / target).exists(), f"{page.name} links to missing {target}"


# --- The site's own pages: install, speed claims, the CLI example, cross-references.

ROOT = DOCS.parent
SITE_PAGES = [
    "index.md",
    "getting-started.md",
    "pairwise.md",
    "recipes.md",
    "cli.md",
    "contributing.md",
    "changelog.md",
]


def prose(text):
    """The Markdown outside fenced code blocks."""
    return re.sub(r"```.*?```", "", text, flags=re.S)


@pytest.mark.parametrize("name", SITE_PAGES)
def test_public_names_in_prose_are_cross_references(name):
    """A public name written as code (`fastmi.mi`) instead of a role ({func}`fastmi.mi`)
    would not link to its API page. (fastmi.cli is the command, not an API.)"""
    text = prose((DOCS / name).read_text(encoding="utf-8"))
    plain = re.findall(r"(?<![}\w])`(fastmi\.(?!cli\b)[A-Za-z_][\w.]*)(?:\(|`)", text)
    assert not plain, f"{name}: write these as MyST roles: {sorted(set(plain))}"


@pytest.mark.parametrize("name", SITE_PAGES)
def test_no_empty_table_headers(name):
    for line in (DOCS / name).read_text(encoding="utf-8").splitlines():
        if line.startswith("|") and not set(line) <= set("|-: "):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            assert all(cells), f"{name}: a table row with an empty cell: {line}"


def test_extras_named_in_the_docs_exist():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    block = re.search(r"\[project\.optional-dependencies\]\n(.*?)\n\[", pyproject, re.S)
    extras = set(re.findall(r"^([\w-]+) = \[", block.group(1), flags=re.M))
    for name in ("index.md", "getting-started.md"):
        text = (DOCS / name).read_text(encoding="utf-8")
        for group in re.findall(r"fastmi\[([\w,-]+)\]", text):
            for extra in group.split(","):
                assert extra in extras, f"{name} names the extra {extra!r}; pyproject has {extras}"


def test_python_version_on_the_install_pages_is_pyprojects():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    version = re.search(r'requires-python = ">=([\d.]+)"', pyproject).group(1)
    for name in ("index.md", "getting-started.md"):
        assert f"Python {version} or newer" in re.sub(
            r"\s+", " ", (DOCS / name).read_text(encoding="utf-8")
        ), name


def benchmark_ratios():
    """{(workload, peer): ratio} of the measured rows of docs/benchmarks.md."""
    rows = {}
    for line in (DOCS / "benchmarks.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 6 and re.fullmatch(r"[\d.]+x", cells[5]):
            if "projected" not in cells[0]:
                rows[cells[0], cells[3]] = float(cells[5][:-1])
    return rows


def ratio_range(rows, workload, peer=None, exclude=()):
    values = [
        ratio
        for (w, p), ratio in rows.items()
        if w.startswith(workload)
        and (peer is None or p.startswith(peer))
        and not p.startswith("fastmi")
        and not any(word in w for word in exclude)
    ]
    assert values, (workload, peer)
    return f"{min(values):.1f} to {max(values):.1f} times faster"


def test_the_landing_pages_speed_claims_are_the_benchmarks():
    """The ratios on the landing page are the smallest and largest of the benchmarks
    page's measured rows, so they change when the benchmarks are regenerated."""
    rows = benchmark_ratios()
    text = re.sub(r"\s+", " ", (DOCS / "index.md").read_text(encoding="utf-8"))
    claims = [
        ratio_range(rows, "KSG MI, one pair, N =", exclude=("threads",)),
        ratio_range(rows, "all-pairs KSG", "ennemi"),
        ratio_range(rows, "all-pairs KSG", "scikit-learn"),
        ratio_range(rows, "discrete MI, one pair", "scikit-learn"),
    ]
    for claim in claims:
        assert claim in text, f"docs/index.md should say {claim!r} (docs/benchmarks.md)"


def cli_example():
    """The commands and the output of the example block of docs/cli.md."""
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- cli-example.*?-->\n```console\n(.*?)```", text, flags=re.S)
    assert block, "docs/cli.md has no cli-example block"
    commands, output = [], []
    for line in block.group(1).splitlines():
        if line.startswith("$ "):
            commands.append(line[2:])
        else:
            output.append(line)
    return commands, output


def same_text_and_numbers(shown, got):
    """Lines equal, numbers to 1e-12 (the last digit of a float's repr may differ
    between machines), other text exactly."""
    assert len(shown) == len(got), (shown, got)
    for a, b in zip(shown, got):
        cells_a, cells_b = a.split(","), b.split(",")
        assert len(cells_a) == len(cells_b), (a, b)
        for x, y in zip(cells_a, cells_b):
            try:
                assert float(x) == pytest.approx(float(y), rel=1e-12, abs=1e-15), (a, b)
            except ValueError:
                assert x == y, (a, b)


def test_the_cli_example_shows_its_real_output(tmp_path):
    pytest.importorskip("pandas")
    import shlex
    import subprocess
    import sys

    commands, shown = cli_example()
    got = ""
    for command in commands:
        words = shlex.split(command)
        program = {"python": [sys.executable], "fastmi": [sys.executable, "-m", "fastmi.cli"]}
        run = subprocess.run(
            program[words[0]] + words[1:],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert run.returncode == 0, run.stderr
        got += run.stdout
    same_text_and_numbers(shown, got.splitlines())


def test_the_shipped_inventories_are_up_to_date():
    import importlib.util

    path = DOCS / "scripts" / "inventories.py"
    spec = importlib.util.spec_from_file_location("inventories", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--check"]) == 0
    conf = (DOCS / "conf.py").read_text(encoding="utf-8")
    for name in module.OBJECTS:
        assert f'"{name}":' in conf, f"conf.py's intersphinx_mapping lacks {name}"


def test_getting_started_lists_every_user_extra():
    """Every extra a user installs (not test, bench or docs) has its entry."""
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    block = re.search(r"\[project\.optional-dependencies\]\n(.*?)\n\[", pyproject, re.S)
    extras = set(re.findall(r"^([\w-]+) = \[", block.group(1), flags=re.M))
    text = (DOCS / "getting-started.md").read_text(encoding="utf-8")
    for extra in sorted(extras - {"test", "bench", "docs"}):
        assert f"`fastmi[{extra}]`\n:" in text, f"getting-started.md has no entry for {extra}"
