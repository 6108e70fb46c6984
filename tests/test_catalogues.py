"""Catalogues other than the demo: an incomplete one from another publisher in another language builds every
output, says something useful where a field is missing, and shows nothing of the demo county."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

from generator.build import build

from .conftest import ROOT, TODAY, servicedir

RIVERSIDE = ROOT / "tests" / "examples" / "catalogues" / "riverside"


def texts(value: Any) -> Iterator[str]:
    """Every string inside a YAML value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from texts(item)


def demo_words() -> set[str]:
    """What belongs to the demo county: its publisher's names, signature, contacts, offices, providers and
    the names of its services and help point (short words that any catalogue may use are left out)."""
    catalog = ROOT / "catalog"
    directory = yaml.safe_load((catalog / "directory.yml").read_text(encoding="utf-8"))
    words = set(texts({k: directory[k] for k in ("name", "sms_signature", "publisher", "help_point")}))
    words |= {"services.example.org", "example-county", "示例县", "Example County", "12345"}
    for name in ("providers.yml", "offices.yml"):
        for entry in yaml.safe_load((catalog / name).read_text(encoding="utf-8")):
            words |= set(texts(entry["name"]))
    for path in (catalog / "services").glob("*.yml"):
        words |= set(texts(yaml.safe_load(path.read_text(encoding="utf-8"))["name"]))
    return {w for w in words if len(w) >= 4 or re.search(r"[\u4e00-\u9fff]{2}", w)}


def output_texts(root: Path) -> Iterator[tuple[Path, str]]:
    for path in sorted(p for output in ("site", "print") for p in (root / output).rglob("*") if p.is_file()):
        if path.suffix == ".pdf":
            yield path, subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                                       text=True, check=True).stdout
        elif path.suffix in (".html", ".txt", ".xml", ".json", ".js", ".css", ".svg"):
            yield path, path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def riverside(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    out = tmp_path_factory.mktemp("riverside")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SERVICEDIR_TODAY", TODAY)
        result = build(RIVERSIDE, out)
    return out, [str(p) for p in result.problems]


def test_an_incomplete_catalogue_validates_with_exit_0(tmp_path: Path) -> None:
    result = servicedir("validate", "--catalog", str(RIVERSIDE), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout
    notices = [line for line in result.stdout.splitlines() if ": notice: incomplete: no " in line]
    assert len(notices) == 3  # one per incomplete service, naming every missing field at once


def test_a_second_catalogue_shows_nothing_of_the_demo_county(riverside: tuple[Path, list[str]]) -> None:
    out, _ = riverside
    words = demo_words()
    assert len(words) > 60
    found = {f"{path.relative_to(out)}: {word}" for path, text in output_texts(out) for word in words if word in text}
    assert sorted(found) == []
    footer = (out / "site" / "en" / "index.html").read_text(encoding="utf-8")
    assert "Riverside Human Services Agency" in footer and "#00695c" in (out / "site" / "en" / "assets" / "servicedir" / "colors.css").read_text()
