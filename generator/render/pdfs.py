"""Render stage, print: HTML pages to PDFs in worker processes, re-rendering only the ones that changed."""
from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any, Callable, NamedTuple

from .. import __version__, i18n, pdf
from ..model import Catalogue
from ..plaintext import _inside_chinese_words, _jieba
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


# A number stays on one line with the word after it, in every language: "88 Renmin Road", "50 yuan", "20 working
# days", "31 August" (a line broke between "Service Centre: 88" and "Renmin Road"). A WORD JOINER (U+2060) after
# the space forbids the break the space allows (Unicode line breaking: no break before or after a joiner); the space
# itself stays an ordinary space, so the PDF's text is as written (a NO-BREAK SPACE would stay U+00A0 in it: pdfium
# copies the phone numbers' so, though pdftotext prints a space).
#
# Chinese is printed with line breaks between words only. Pango breaks a line between any two Chinese characters
# (100周|岁, 社|会保障卡); a word joiner between two characters forbids that break. Pango honours it and draws nothing
# for it: the PDF's text has no trace of it (pdftotext, copy and paste, search find 社会保障卡), and a leaflet costs
# about 200 bytes more and no time (a <span> with white-space: nowrap around each word, each then a marked-content
# sequence of its own, costs about 3 % more bytes and nearly doubles the rendering time, measured on the demo's
# Chinese leaflets). The words are jieba's, as on the noticeboards (generator/plaintext.py); a number stays with the
# word after it (100周岁, 1180元, 15年, 6个月, 20个工作日), "第" with its number, a date (2026年5月18日) and a range of
# numbers (08:30–11:30, 80–89) whole; an address's number with the word after it (解放街 12 号).
WORD_JOINER = "\u2060"
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_NUMBER_WORD = re.compile(r"(?<=\d )(?=[^\W\d_])")  # any script's letters, Chinese characters too
_NUMBER_JOINS = re.compile(rf"(?<=\d)(?=[{_HAN}])|(?<=\d[个多余])(?=[{_HAN}])"
                           r"|(?<=第)(?=\d)|(?<=\d[年月])(?=\d)|(?<=\d)(?=[–-]\d)|(?<=\d[–-])(?=\d)")
# In the body, outside an inline <svg> (its title is the QR code's text alternative): tags, entities and text.
_BODY = re.compile(r"<body\b", re.IGNORECASE)
_PARTS = re.compile(r"(<svg\b.*?</svg>|<!--.*?-->|<[^>]*>|&#?\w+;)", re.DOTALL | re.IGNORECASE)
_INLINE = re.compile(r"</?(?:span|strong|b|em|a)\b", re.IGNORECASE)


def words_kept(html: str) -> str:
    """The page's HTML with a word joiner after each number's space (88 Renmin Road) and inside each Chinese word
    of its text (not its head, tags, attributes or entities: the joiner is never markup, and what the text says
    is unchanged)."""
    found = _BODY.search(html)
    if not found:
        return html
    parts = _PARTS.split(html[found.start():])
    out, before = [], ""  # the text before, across inline tags: "08:30–12:00</span> and" keeps "12:00 and"
    for i, part in enumerate(parts):
        if i % 2:
            before = before if _INLINE.match(part) else ""
            out.append(part)
        elif part:
            out.append(_joined(part, before[-2:]))
            before = part
    return html[:found.start()] + "".join(out)


def _joined(text: str, before: str = "") -> str:
    """A run of text with a word joiner at each place a line must not break: after a number's space, inside a
    Chinese word, after a number in Chinese. `before`: the end of the text before it, across an inline tag."""
    rules = (_NUMBER_WORD, _NUMBER_JOINS) if re.search(f"[{_HAN}]", before + text) else (_NUMBER_WORD,)
    joins = {m.start() - len(before) for rule in rules for m in rule.finditer(before + text) if m.start() >= len(before)}
    if re.search(f"[{_HAN}]", text):
        joins |= _inside_chinese_words(text)
    return "".join(WORD_JOINER + ch if i in joins else ch for i, ch in enumerate(text)) if joins else text


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
        page = page._replace(html=words_kept(page.html))
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
    if forking and any(lang.startswith("zh") for lang in catalogue.directory.languages):
        _jieba().initialize()  # its dictionary loaded once, before the workers fork, not once in each (words_kept)
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
