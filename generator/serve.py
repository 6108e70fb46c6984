"""Live preview: serve site/ on localhost, rebuild when a catalogue file changes, and reload open pages."""
from __future__ import annotations

import functools
import http.server
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable

VERSION_PATH = "/__servicedir__/version"  # answered by the server, never a file of the site
# Added to HTML pages as they are served (the built files are not touched): ask for the build number every
# second and reload when it changes. Pages opened from the published site never see it.
RELOAD_SCRIPT = (b'<script>(function(){var v=null;setInterval(function(){fetch("' + VERSION_PATH.encode() +
                 b'",{cache:"no-store"}).then(function(r){return r.text()}).then(function(t){if(v===null){v=t}'
                 b'else if(t!==v){location.reload()}}).catch(function(){})},1000)})();</script>')


class Preview:
    """The build number and the catalogue's state, shared by the watcher and the request handler."""

    def __init__(self, catalog: Path, rebuild: Callable[[], bool], interval: float = 0.5):
        self.catalog, self.rebuild, self.interval = catalog, rebuild, interval
        self.version = 1
        self.stopped = threading.Event()
        self.seen = self.state()

    def state(self) -> dict[str, tuple[int, int]]:
        """Every catalogue file with its modification time and size (cheap: a few hundred stat calls)."""
        out: dict[str, tuple[int, int]] = {}
        for path in sorted(self.catalog.rglob("*.yml")):
            try:
                stat = path.stat()
            except OSError:
                continue
            out[str(path)] = (stat.st_mtime_ns, stat.st_size)
        return out

    def watch(self) -> None:
        """Rebuild after a change has settled (editors save several files at once); a failed build keeps
        the previous site and its number."""
        while not self.stopped.wait(self.interval):
            now = self.state()
            if now == self.seen:
                continue
            time.sleep(self.interval)  # let a burst of saves finish
            self.seen = self.state()
            if self.rebuild():
                self.version += 1


def handler(site: Path, preview: Preview) -> Callable[..., http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802  (the standard library's name)
            if self.path == VERSION_PATH:
                body = str(preview.version).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Cache-Control", "no-store")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            super().do_GET()

        def send_head(self) -> Any:
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                if not self.path.split("?")[0].endswith("/"):
                    return super().send_head()  # the standard redirect to the folder's address with a slash
                path = path / "index.html"
            if path.suffix != ".html" or not path.is_file():
                return super().send_head()
            body = path.read_bytes()
            body = body.replace(b"</body>", RELOAD_SCRIPT + b"</body>", 1) if b"</body>" in body else body + RELOAD_SCRIPT
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return _Body(body)

        def log_message(self, *args: object) -> None:
            pass

    return functools.partial(Handler, directory=str(site))


class _Body:
    """A response body for SimpleHTTPRequestHandler's copyfile()."""

    def __init__(self, data: bytes):
        self.data = data

    def read(self, size: int = -1) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


def run(site: Path, preview: Preview, port: int) -> None:
    """Serve until Ctrl-C, rebuilding in the background."""
    watcher = threading.Thread(target=preview.watch, daemon=True)
    watcher.start()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler(site, preview))
    print(f"servicedir: serving {site}/ at http://127.0.0.1:{server.server_address[1]}/ ; watching "
          f"{preview.catalog}/ for changes (Ctrl-C to stop)", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    finally:
        preview.stopped.set()
        server.server_close()
