"""Booklets checked as PDFs: one per audience and life event, contents with true page numbers, journey order."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from .conftest import ROOT


@pytest.fixture(scope="module")
def booklets(demo_build: Path) -> Path:
    return demo_build / "print" / "booklets"


def pages_of(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return text.split("\f")[:-1]


def test_one_booklet_per_audience_and_life_event(booklets: Path) -> None:
    import yaml
    audiences = [a["id"] for a in yaml.safe_load((ROOT / "catalog" / "audiences.yml").read_text(encoding="utf-8"))]
    events = [e["id"] for e in yaml.safe_load((ROOT / "catalog" / "life-events.yml").read_text(encoding="utf-8"))]
    for lang in ("zh-hans", "en"):
        names = sorted(p.name for p in (booklets / lang).glob("*.pdf"))
        assert names == sorted([f"audience-{a}.pdf" for a in audiences] + [f"life-event-{e}.pdf" for e in events])


def test_contents_give_the_page_each_service_starts_on(booklets: Path) -> None:
    pages = pages_of(booklets / "en" / "life-event-having-a-child.pdf")
    assert "Having a child" in pages[0]  # the cover, with the contents
    entries = re.findall(r"^\s*\d+\.\s+(.+?)\s*(?:\. )+\s*(\d+)\s*$", pages[0], re.M)
    assert [name for name, _ in entries] == [
        "Get a birth medical certificate", "Register a birth", "Get health insurance for your baby",
        "Vaccinations for your child", "Claim maternity pay (maternity allowance)"]  # the journey's order
    for name, number in entries:
        page = pages[int(number) - 1]
        assert name in " ".join(page.split()), f"{name} is not on page {number}"
        assert re.search(rf"^\s*{number}\s*$", page, re.M), f"page {number} has no page number"


def test_journey_steps_are_headed_in_order(booklets: Path) -> None:
    text = " ".join("".join(pages_of(booklets / "zh-hans" / "life-event-having-a-child.pdf")).split())
    steps = [text.index(f"第{n}步") for n in range(1, 5)]
    assert steps == sorted(steps)


def test_booklets_are_tagged_with_embedded_subset_fonts(booklets: Path) -> None:
    for pdf in (booklets / "zh-hans" / "audience-farmers.pdf", booklets / "en" / "audience-farmers.pdf"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert re.search(r"^Tagged:\s+yes$", info, re.M)
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        rows = [line.split() for line in fonts.splitlines()[2:]]
        assert rows and all(row[-5:-3] == ["yes", "yes"] for row in rows), fonts
