"""pytest collects docs/*.md as doctests (``--doctest-glob='*.md'``); nothing else here
is a test. conf.py is Sphinx's configuration, scripts/ holds the figure scripts (run by
hand; tests/test_docs_figure.py runs them at a tiny size), and _build/ and generated/
are Sphinx output."""

collect_ignore = ["conf.py"]
collect_ignore_glob = ["scripts/*", "_build/*", "generated/*"]
