"""Render stage, site search: an index split in small files, written into one language's built site.

Pagefind (PyPI `pagefind[extended]`, pinned; the extended build segments Chinese and Japanese words) reads the
built pages and writes `<site>/pagefind/`: a small loader, its WebAssembly search code, and the index in chunks
by word and one fragment per page. A query downloads the loader, the chunks holding its words and the fragments
of the results shown, not the whole index: at most 300 KB per query on a 10,000-service site
(`tests/test_search.py`, docs/benchmarks.md). The theme's script (`templates/site/assets/search/search.js`)
puts the results in the theme's own search box.

This is the only module that knows Pagefind. Pages say what it indexes: the element with BODY (the page's
content, marked by the theme) less the elements with IGNORE (marked by the site engine). A site read from
file:// cannot fetch index chunks, so the offline bundle keeps the engine's own search instead.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from ..problems import Problem

BUNDLE = "pagefind"  # the folder inside each language's site
BODY = "data-pagefind-body"
IGNORE = "data-pagefind-ignore"
# Pagefind also writes its own user interfaces (pagefind-ui.js, -component-ui, -modular-ui, -highlight) and a
# Web Worker the site's script does not use (it searches in the page: one download less): not published.
_UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
           "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js", "pagefind-worker.js")


class SearchIndexError(Exception):
    """Pagefind failed on pages the site engine wrote: a generator bug, not an editor's mistake."""


def executable() -> Path:
    """Pagefind's extended binary, as shipped in its PyPI package (never downloaded at run time)."""
    from pagefind_bin_extended import get_executable  # type: ignore[import-untyped]

    return Path(get_executable())


def index(site: Path, lang: str) -> list[Problem]:
    """Index the pages of one language's built site (`site`, holding its index.html) into `site/pagefind/`.

    Every page is indexed as `lang` whatever its markup says (one index per language; Chinese words are
    segmented for any `zh-*`). The same pages give the same bytes."""
    target = site / BUNDLE
    if target.exists():
        shutil.rmtree(target)
    result = subprocess.run(
        [str(executable()), "--site", str(site), "--output-subdir", BUNDLE, "--force-language", lang.lower(),
         "--silent"], capture_output=True, text=True, check=False)
    if result.returncode != 0 or not (target / "pagefind-entry.json").is_file():
        raise SearchIndexError(f"the search index of {site} failed: {(result.stderr or result.stdout).strip()}")
    entry = json.loads((target / "pagefind-entry.json").read_text(encoding="utf-8"))
    if not any(language.get("page_count") for language in entry.get("languages", {}).values()):
        raise SearchIndexError(f"the search index of {site} holds no page")
    for name in _UNUSED:
        (target / name).unlink(missing_ok=True)
    return []
