"""Render stage, shared: HTML to PDF (the only module that imports WeasyPrint)."""
from __future__ import annotations

from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from .problems import logged_warnings

_FONTS: FontConfiguration | None = None


def fonts() -> FontConfiguration:
    """One font configuration per process: WeasyPrint is not thread-safe, and fonts load once."""
    global _FONTS
    if _FONTS is None:
        _FONTS = FontConfiguration()
    return _FONTS


def render(html: str, stylesheet: Path, base: Path, extra_css: str = "") -> tuple[bytes, list[str]]:
    """A tagged PDF/UA-1 document; its dates come from the HTML's dcterms meta, so builds are reproducible."""
    with logged_warnings("weasyprint") as warnings:
        document = HTML(string=html, base_url=str(base))
        sheets = [CSS(filename=str(stylesheet), font_config=fonts())]
        if extra_css:
            sheets.append(CSS(string=extra_css, font_config=fonts()))
        pdf = document.write_pdf(stylesheets=sheets, font_config=fonts(), pdf_variant="pdf/ua-1")
    return pdf, warnings
