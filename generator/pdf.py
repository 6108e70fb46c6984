"""Render stage, shared: HTML to PDF (the only module that imports WeasyPrint)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, NamedTuple, Sequence

from weasyprint import CSS, HTML, __version__ as _engine_version
from weasyprint.text.fonts import FontConfiguration

from .problems import logged_warnings

_FONTS: FontConfiguration | None = None
KEEP_PAGES = 40  # layouts kept in memory while one is chosen (a leaflet's all; a long booklet's latest only)


def engine_version() -> str:
    return _engine_version


def fonts() -> FontConfiguration:
    """One font configuration per process: WeasyPrint is not thread-safe, and fonts load once."""
    global _FONTS
    if _FONTS is None:
        _FONTS = FontConfiguration()
    return _FONTS


class Rendered(NamedTuple):
    document: bytes
    pages: int
    warnings: list[str]
    lines: list[int]  # lines of text on each page (page numbers and other margin boxes not counted)
    variant: int  # which of the layouts offered was kept


# Picks one of a page's layouts: given `measure` (a layout's number -> its lines of text on each page, laying it out
# the first time it is asked for), returns the number of the layout to keep.
Choose = Callable[[Callable[[int], list[int]]], int]


def render(html: str, stylesheet: Path, base: Path, extra_css: str = "", *, variants: Sequence[str] = ("",),
           choose: Choose | None = None) -> Rendered:
    """A tagged PDF/UA-1 document; its dates come from the HTML's dcterms meta, so builds are reproducible.

    `variants` are CSS added in turn after `extra_css` (such as body text sizes): `choose` lays out those it
    wants to see and picks one (by default the first). Only the one kept is written, and only its warnings
    are reported."""
    laid_out: dict[int, tuple[Any, list[str]]] = {}  # the latest layouts, up to KEEP_PAGES pages in all
    lines: dict[int, list[int]] = {}

    def layout(number: int) -> tuple[Any, list[str]]:
        if number not in laid_out:
            with logged_warnings("weasyprint") as warnings:
                source = HTML(string=html, base_url=str(base))
                sheets = [CSS(filename=str(stylesheet), font_config=fonts())]
                sheets += [CSS(string=css, font_config=fonts()) for css in (extra_css, variants[number]) if css]
                laid_out[number] = source.render(stylesheets=sheets, font_config=fonts(), pdf_variant="pdf/ua-1"), warnings
            while sum(len(kept.pages) for kept, _ in laid_out.values()) > KEEP_PAGES and len(laid_out) > 1:
                del laid_out[next(iter(laid_out))]  # the oldest: laid out again if it is the one kept
        return laid_out[number]

    def measure(number: int) -> list[int]:
        if number not in lines:
            lines[number] = [text_lines(page) for page in layout(number)[0].pages]
        return lines[number]

    kept = choose(measure) if choose else 0
    document, warnings = layout(kept)
    with logged_warnings("weasyprint") as written:
        pdf = document.write_pdf(pdf_variant="pdf/ua-1")
    return Rendered(pdf, len(document.pages), warnings + written, measure(kept), kept)


def text_lines(page: Any) -> int:
    """The lines of text on a laid-out page, as a reader counts them: boxes side by side on one line (a label
    and its value, two columns) are one line; the page's margin boxes (page number) are not counted."""
    from weasyprint.formatting_structure import boxes

    tops: list[float] = []

    def walk(box: Any) -> None:
        if isinstance(box, boxes.MarginBox):
            return
        if isinstance(box, boxes.LineBox):
            if any(isinstance(leaf, boxes.TextBox) and leaf.text.strip() for leaf in box.descendants()):
                tops.append(box.position_y)
            return
        for child in getattr(box, "children", ()):
            walk(child)

    walk(page._page_box)
    distinct: list[float] = []
    for top in sorted(tops):
        if not distinct or top - distinct[-1] > 2:  # points: the same line, whatever its boxes' fonts
            distinct.append(top)
    return len(distinct)
