"""Render stage, shared: HTML to PDF (the only module that imports WeasyPrint)."""
from __future__ import annotations

import logging
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

_FONTS: FontConfiguration | None = None


class PrintWarnings(logging.Handler):
    """WeasyPrint's warnings (a missing font, an unknown CSS property) collected, so a build can report them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def fonts() -> FontConfiguration:
    """One font configuration per process: WeasyPrint is not thread-safe, and fonts load once."""
    global _FONTS
    if _FONTS is None:
        _FONTS = FontConfiguration()
    return _FONTS


def render(html: str, stylesheet: Path, base: Path) -> tuple[bytes, list[str]]:
    """A tagged PDF/UA-1 document; its dates come from the HTML's dcterms meta, so builds are reproducible."""
    handler = PrintWarnings()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        document = HTML(string=html, base_url=str(base))
        pdf = document.write_pdf(stylesheets=[CSS(filename=str(stylesheet), font_config=fonts())],
                                 font_config=fonts(), pdf_variant="pdf/ua-1")
    finally:
        logger.removeHandler(handler)
    return pdf, handler.messages
