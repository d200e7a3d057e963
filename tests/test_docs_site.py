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
