"""Print builds are incremental (a PDF is rendered again only when its page or the templates change),
show their progress, and warn when a leaflet runs past one sheet."""
from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

from generator.progress import Progress

from .conftest import MINIMAL, servicedir


def pdfs(out: Path) -> dict[str, int]:
    """Every PDF under print/, by path, with its inode: a carried-over PDF keeps its inode."""
    return {p.relative_to(out / "print").as_posix(): p.stat().st_ino for p in sorted((out / "print").rglob("*.pdf"))}


def build(tmp_path: Path) -> str:
    result = servicedir("build", "--only", "leaflets,booklets", "--output", "out", "--jobs", "2", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_unchanged_catalogue_renders_no_pdf_and_an_edit_renders_only_what_shows_it(tmp_path: Path) -> None:
    shutil.copytree(MINIMAL, tmp_path / "catalog")
    first = build(tmp_path)
    before = pdfs(tmp_path / "out")
    leaflets = sum(p.startswith("leaflets/") for p in before)
    booklets = len(before) - leaflets
    assert f"leaflets: {leaflets}/{leaflets} PDFs, {leaflets} rendered, 0 unchanged" in first
    assert f"booklets: {booklets}/{booklets} PDFs, {booklets} rendered, 0 unchanged" in first

    again = build(tmp_path)
    assert f"leaflets: {leaflets}/{leaflets} PDFs, 0 rendered, {leaflets} unchanged" in again
    assert f"booklets: {booklets}/{booklets} PDFs, 0 rendered, {booklets} unchanged" in again
    assert pdfs(tmp_path / "out") == before

    service = tmp_path / "catalog" / "services" / "farm-subsidy.yml"
    service.write_text(service.read_text(encoding="utf-8").replace("A yearly grant for grain farmers.",
                                                                   "A grant each year for grain farmers."), encoding="utf-8")
    build(tmp_path)
    after = pdfs(tmp_path / "out")
    changed = {path for path in after if after[path] != before.get(path)}
    # the English summary shows on its English leaflet and in the English booklets that list the service
    assert changed == {"leaflets/en/farm-subsidy.pdf", "booklets/en/audience-farmers.pdf"}
    assert after.keys() == before.keys()


def test_a_damaged_cache_means_rendering_everything_again(tmp_path: Path) -> None:
    shutil.copytree(MINIMAL, tmp_path / "catalog")
    build(tmp_path)
    cache = tmp_path / "out" / "print" / "leaflets" / ".servicedir-cache.json"
    entries = json.loads(cache.read_text(encoding="utf-8"))
    assert set(entries) == {p for p in pdfs(tmp_path / "out") if p.startswith("leaflets/")}
    cache.write_text("{not json", encoding="utf-8")
    stderr = build(tmp_path)
    assert "leaflets: 4/4 PDFs, 4 rendered, 0 unchanged" in stderr and "Traceback" not in stderr


def test_a_changed_option_renders_again(tmp_path: Path) -> None:
    shutil.copytree(MINIMAL, tmp_path / "catalog")
    build(tmp_path)
    result = servicedir("build", "--only", "leaflets", "--output", "out", "--paper", "a4", cwd=tmp_path)
    assert "leaflets: 4/4 PDFs, 4 rendered, 0 unchanged" in result.stderr


def test_a_leaflet_longer_than_one_sheet_is_named_in_a_warning(tmp_path: Path) -> None:
    shutil.copytree(MINIMAL, tmp_path / "catalog")
    service = tmp_path / "catalog" / "services" / "farm-subsidy.yml"
    steps = ", ".join(f"Step number {i} asks you to read a long sentence about what to do next" for i in range(40))
    service.write_text(service.read_text(encoding="utf-8").replace(
        "en: [Tell the village agent, Wait for the public notice]", f"en: [{steps}]"), encoding="utf-8")
    result = servicedir("build", "--only", "leaflets", "--output", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert ("catalog/services/farm-subsidy.yml:1:1: warning: leaflet print/leaflets/en/farm-subsidy.pdf: runs to "
            in result.stdout)
    assert "print it with --paper a4" in result.stdout
    assert "zh-hans/farm-subsidy.pdf" not in result.stdout


def test_every_demo_leaflet_is_one_sheet(demo_build: Path) -> None:
    import pypdfium2

    assert not list((demo_build / "site" / "leaflets").rglob(".*"))  # the site publishes PDFs, not the cache

    for pdf in sorted((demo_build / "print" / "leaflets").glob("*/*.pdf")):
        document = pypdfium2.PdfDocument(str(pdf))
        try:
            assert len(document) <= 2, f"{pdf}: {len(document)} pages"
        finally:
            document.close()


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_a_bar_on_a_terminal_and_count_lines_in_logs() -> None:
    terminal = Terminal()
    with Progress("leaflets", 10, stream=terminal) as progress:
        for _ in range(10):
            progress.advance()
    assert "\r" in terminal.getvalue() and "10/10" in terminal.getvalue()  # tqdm redraws one line

    log = io.StringIO()
    with Progress("leaflets", 10, stream=log, every=0) as progress:
        for _ in range(10):
            progress.advance()
        progress.note = " PDFs"
    lines = log.getvalue().splitlines()
    assert lines[0] == "leaflets: 1/10" and lines[-1] == "leaflets: 10/10 PDFs" and "\r" not in log.getvalue()
