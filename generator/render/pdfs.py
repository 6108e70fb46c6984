"""Render stage, print: HTML pages to PDFs in worker processes, re-rendering only the ones that changed."""
from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any, Callable, NamedTuple

from .. import __version__, i18n, pdf
from ..model import Catalogue
from ..progress import Progress
from ..write import Staging
from . import TEMPLATES, Options

CACHE = ".servicedir-cache.json"  # in each PDF folder: what each PDF was made from


class Page(NamedTuple):
    """One PDF to make: where it goes in print/, its HTML, and CSS added to the family's stylesheet; and,
    for a page fitted to its paper, its possible layouts (CSS added in turn, such as body text sizes) and the
    rule that picks one from their lines of text on each page (generator/pdf.py)."""

    path: str
    html: str
    extra_css: str = ""
    variants: tuple[str, ...] = ("",)
    choose: pdf.Choose | None = None


class Made(NamedTuple):
    path: str
    key: str
    document: bytes | None  # None: the previous build's file is still right
    pages: int
    warnings: list[str]
    lines: list[int]  # lines of text on each page
    variant: int  # which of the page's layouts was kept


Compose = Callable[[Catalogue, Any, Options], Page]


# The code that decides how a page is laid out beyond its HTML (the layouts tried, the rule that picks one).
LAYOUT_CODE = (Path(__file__).parent / "leaflets.py", Path(__file__).parent / "booklets.py", Path(pdf.__file__))


def _templates_hash() -> str:
    """The print templates and stylesheets, the interface's translations, the layout code and the engine's
    version: a change re-renders all."""
    digest = hashlib.sha256(f"{__version__} weasyprint {pdf.engine_version()}".encode())
    for folder in (TEMPLATES / "print", *i18n.locale_dirs()):
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                digest.update(file.relative_to(folder).as_posix().encode() + b"\0" + file.read_bytes())
    for file in LAYOUT_CODE:
        digest.update(file.name.encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def _make(compose: Compose, catalogue: Catalogue, items: list[Any], options: Options, stylesheet: str,
          previous: dict[str, dict[str, Any]], templates: str) -> list[Made]:
    out = []
    for item in items:
        page = compose(catalogue, item, options)
        variants = "\0".join(page.variants)
        key = hashlib.sha256(f"{templates}\0{page.extra_css}\0{variants}\0{page.html}".encode()).hexdigest()
        known = previous.get(page.path)
        if known and known.get("key") == key:
            out.append(Made(page.path, key, None, known["pages"], known["warnings"], known["lines"],
                            known["variant"]))
            continue
        rendered = pdf.render(page.html, TEMPLATES / "print" / stylesheet, TEMPLATES / "print", page.extra_css,
                              variants=page.variants, choose=page.choose)
        out.append(Made(page.path, key, rendered.document, rendered.pages, rendered.warnings, rendered.lines,
                        rendered.variant))
    return out


def render(family: str, compose: Compose, catalogue: Catalogue, items: list[Any], stage: Staging,
           options: Options, stylesheet: str) -> list[Made]:
    """Make print/<family>/…: `compose` turns each item into a Page inside the workers (one WeasyPrint
    per process, as it is not thread-safe); a PDF whose page and templates are unchanged since the
    previous build is carried over from it instead of rendered again."""
    folder = f"print/{family}"
    previous = _previous(stage, folder)
    templates = _templates_hash()
    jobs = min(options.jobs or os.cpu_count() or 1, max(1, len(items) // 2))
    forking = jobs > 1 and "fork" in multiprocessing.get_all_start_methods()
    chunks = [items[i::jobs * 4] for i in range(jobs * 4)] if forking else [items[i:i + 8] for i in range(0, len(items), 8)]
    made: list[Made] = []
    with Progress(family, len(items)) as progress:
        if forking:
            with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
                futures = [pool.submit(_make, compose, catalogue, chunk, options, stylesheet, previous, templates)
                           for chunk in chunks if chunk]
                for future in as_completed(futures):
                    made += future.result()
                    progress.advance(len(made) - progress.done)
        else:
            for chunk in chunks:
                made += _make(compose, catalogue, chunk, options, stylesheet, previous, templates)
                progress.advance(len(made) - progress.done)
        unchanged = sum(m.document is None for m in made)
        progress.note = f" PDFs, {len(made) - unchanged} rendered, {unchanged} unchanged"
    made.sort()
    for m in made:
        if m.document is None:
            stage.reuse(f"print/{m.path}")
        else:
            stage.write(f"print/{m.path}", m.document)
    cache = {m.path: {"key": m.key, "pages": m.pages, "warnings": m.warnings, "lines": m.lines,
                      "variant": m.variant} for m in made}
    stage.write(f"{folder}/{CACHE}", json.dumps(cache, indent=1, sort_keys=True) + "\n")
    return made


def _previous(stage: Staging, folder: str) -> dict[str, dict[str, Any]]:
    """The previous build's cache entries whose PDF is still there (a damaged cache means: render all)."""
    where = stage.existing(f"{folder}/{CACHE}")
    try:
        entries = json.loads(where.read_text(encoding="utf-8")) if where else {}
    except (OSError, ValueError):
        return {}
    if not isinstance(entries, dict):
        return {}
    return {path: entry for path, entry in entries.items()
            if isinstance(entry, dict) and {"key", "pages", "warnings", "lines", "variant"} <= entry.keys()
            and stage.existing(f"print/{path}") is not None}
