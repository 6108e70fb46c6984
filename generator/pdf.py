"""Render stage, shared: HTML to PDF (the only module that imports WeasyPrint)."""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from weasyprint import CSS, HTML, __version__ as _engine_version
from weasyprint.text.fonts import FontConfiguration

from .problems import logged_warnings

_FONTS: FontConfiguration | None = None


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


def render(html: str, stylesheet: Path, base: Path, extra_css: str = "") -> Rendered:
    """A tagged PDF/UA-1 document; its dates come from the HTML's dcterms meta, so builds are reproducible."""
    with logged_warnings("weasyprint") as warnings:
        document = HTML(string=html, base_url=str(base))
        sheets = [CSS(filename=str(stylesheet), font_config=fonts())]
        if extra_css:
            sheets.append(CSS(string=extra_css, font_config=fonts()))
        laid_out = document.render(stylesheets=sheets, font_config=fonts(), pdf_variant="pdf/ua-1")
        pdf = laid_out.write_pdf(pdf_variant="pdf/ua-1")
    return Rendered(pdf, len(laid_out.pages), warnings)
