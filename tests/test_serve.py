"""`servicedir serve`: a live preview that rebuilds when a catalogue file changes and reloads open pages."""
from __future__ import annotations

import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

from .browser import chromium
from .conftest import MINIMAL, ROOT, TODAY

SERVICE = "en/services/farm-subsidy/"


class Server:
    def __init__(self, folder: Path):
        env = {**os.environ, "SERVICEDIR_TODAY": TODAY, "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", "0"], cwd=folder,
                                        env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.base = ""
        deadline = time.monotonic() + 180
        while not self.base and time.monotonic() < deadline:
            line = self.next_line(deadline - time.monotonic())
            found = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
            self.base = found.group(1) if found else ""
        assert self.base, self.log

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put(line)

    def next_line(self, timeout: float) -> str:
        line = self.lines.get(timeout=max(timeout, 0.1))
        self.log.append(line)
        return line

    def wait_for(self, pattern: str, timeout: float = 120) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.next_line(deadline - time.monotonic())
            except queue.Empty:
                break
            if re.search(pattern, line):
                return line
        raise AssertionError(f"no line matching {pattern!r} in {self.log}")

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.base + path, timeout=10) as response:
            return response.read().decode("utf-8")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    shutil.copytree(MINIMAL, tmp_path / "catalog")
    running = Server(tmp_path)
    try:
        yield running
    finally:
        running.process.terminate()
        running.process.wait(timeout=30)
        assert running.process.stderr is not None
        running.process.stderr.close()


def edit(folder: Path, old: str, new: str) -> None:
    path = folder / "catalog" / "services" / "farm-subsidy.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_a_saved_change_is_rebuilt_and_a_broken_file_keeps_the_last_good_site(server: Server, tmp_path: Path) -> None:
    page = server.get(SERVICE)
    assert "Farming subsidy" in page and "/__servicedir__/version" in page  # the reload script, added when served
    assert "/__servicedir__/" not in (tmp_path / "site" / SERVICE / "index.html").read_text(encoding="utf-8")
    assert server.get("__servicedir__/version") == "1"

    edit(tmp_path, "en: Farming subsidy", "en: Grain growing subsidy")
    server.wait_for(r"rebuilt the site")
    assert server.get("__servicedir__/version") == "2"
    assert "Grain growing subsidy" in server.get(SERVICE)

    edit(tmp_path, "status: active", "status: actve")
    line = server.wait_for(r"farm-subsidy\.yml:\d+:\d+: error")
    assert "catalog/services/farm-subsidy.yml:3:9: error:" in line
    server.wait_for(r"still showing the previous build")
    assert server.get("__servicedir__/version") == "2" and "Grain growing subsidy" in server.get(SERVICE)
    assert server.process.poll() is None


def test_an_open_page_reloads_itself_after_a_change(server: Server, tmp_path: Path) -> None:
    with chromium() as browser:
        page = browser.new_page()
        page.goto(server.base + SERVICE)
        assert page.locator("h1").inner_text() == "Farming subsidy"
        edit(tmp_path, "en: Farming subsidy", "en: Grain growing subsidy")
        page.wait_for_function("document.querySelector('h1') && document.querySelector('h1').innerText === "
                               "'Grain growing subsidy'", timeout=120_000)
