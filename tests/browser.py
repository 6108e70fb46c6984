"""Real headless Chromium (Debian's package) driven by Playwright, and a local server for a built site."""
from __future__ import annotations

import functools
import http.server
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import axe_playwright_python
from playwright.sync_api import Browser, sync_playwright

CHROMIUM = "/usr/bin/chromium"  # never a browser download: the machine's own Chromium
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]
AXE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve a folder on a free loopback port; yields the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class _Counted(_Quiet):
    """Counts the bytes of every response it sends (status line, headers and body), per path."""

    sent: list[tuple[str, int]]

    def __init__(self, *args: object, sent: list[tuple[str, int]], **kwargs: object) -> None:
        self.sent = sent
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def handle_one_request(self) -> None:
        meter = _Meter(self.wfile)
        self.wfile, stream = meter, self.wfile  # type: ignore[assignment]
        try:
            super().handle_one_request()
        finally:
            self.wfile = stream
        if meter.count:
            self.sent.append((getattr(self, "path", ""), meter.count))


class _Meter:
    def __init__(self, stream: object) -> None:
        self.stream, self.count = stream, 0

    def write(self, data: bytes) -> int:
        self.count += len(data)
        return self.stream.write(data)  # type: ignore[attr-defined, no-any-return]

    def __getattr__(self, name: str) -> object:
        return getattr(self.stream, name)


@contextmanager
def serve_counted(folder: Path) -> Iterator[tuple[str, list[tuple[str, int]]]]:
    """Like serve(), and yields the list the server appends (path, bytes sent) to for every response: what a
    browser really downloaded from it, whichever page, worker or script asked."""
    sent: list[tuple[str, int]] = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(_Counted, directory=str(folder), sent=sent))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", sent
    finally:
        server.shutdown()
        server.server_close()
