"""Render stage, shared: QR codes (the only module that imports segno) and the short paths they encode."""
from __future__ import annotations

import base64
import hashlib
import io
from dataclasses import dataclass

import segno

MAX_VERSION = 5  # larger codes have finer modules: harder to scan from a worn leaflet with a cheap phone


@dataclass(frozen=True)
class QRCode:
    svg: str
    version: int
    error: str
    data: str


def short_code(lang: str, service_id: str) -> str:
    """A stable 7-letter code for one service page in one language (the same in every build)."""
    digest = hashlib.sha256(f"{lang.lower()}/{service_id}".encode("utf-8")).digest()
    return base64.b32encode(digest).decode("ascii")[:7].lower()


def short_path(lang: str, service_id: str) -> str:
    """The path, under base_url, of the redirect page that a leaflet's QR code points to."""
    return f"q/{short_code(lang, service_id)}/"


def make(data: str, title: str) -> QRCode:
    """A real QR code (never Micro QR), error correction Q or better, 4-module quiet zone, as inline SVG."""
    code = segno.make_qr(data, error="q", boost_error=True)
    if code.version > MAX_VERSION:
        raise ValueError(f"{data!r} needs a QR code of version {code.version}; at most {MAX_VERSION} is allowed: "
                         "use a shorter base_url")
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", xmldecl=False, svgns=True, title=title, border=4, omitsize=True, nl=False)
    return QRCode(buffer.getvalue().decode("utf-8"), int(code.version), str(code.error), data)
