"""Broken catalogues and exactly what `servicedir validate` says of each.

Each folder in tests/examples/invalid/ is one case: files laid out like a catalogue, copied over a copy of
tests/examples/valid/minimal; an optional `_remove` listing catalogue paths to delete (one per line); and
`expected.txt`, the exact lines the validator prints, `catalog/<path>:<line>:<col>: <level>: <message>`.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.validate import validate

from .conftest import MINIMAL, ROOT, TODAY

INVALID = ROOT / "tests" / "examples" / "invalid"
CONTROL_FILES = {"expected.txt", "_remove"}
CASES = sorted(p for p in INVALID.iterdir() if p.is_dir()) if INVALID.is_dir() else []


def build(case: Path, tmp_path: Path) -> Path:
    """tmp_path/catalog: the minimal catalogue with the case's files copied over it and its _remove paths deleted."""
    target = tmp_path / "catalog"
    shutil.copytree(MINIMAL, target)
    for source in sorted(case.rglob("*")):
        relative = source.relative_to(case)
        if source.is_file() and str(relative) not in CONTROL_FILES:
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target / relative)
    removals = case / "_remove"
    if removals.is_file():
        for line in removals.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                path = target / line.strip()
                assert path.is_file(), f"{case.name}/_remove names {line.strip()}, which the catalogue does not have"
                path.unlink()
    return target


def expected(case: Path) -> str:
    return (case / "expected.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_validate_reports_exactly(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SERVICEDIR_TODAY", TODAY)
    problems, _ = validate(Path("catalog"))
    assert "".join(str(p) + "\n" for p in problems) == expected(case)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_command_line_prints_exactly(case: Path, tmp_path: Path) -> None:
    build(case, tmp_path)
    env = {**os.environ, "SERVICEDIR_TODAY": TODAY, "PYTHONPATH": str(ROOT)}
    env.pop("GITHUB_ACTIONS", None)  # the text format, not annotations
    result = subprocess.run([sys.executable, "-m", "generator", "validate"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    want = expected(case)
    has_errors = any(": error: " in line for line in want.splitlines())
    assert (result.returncode, result.stdout) == (1 if has_errors else 0, want), result.stderr


def test_valid_minimal_has_no_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(MINIMAL, tmp_path / "catalog")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SERVICEDIR_TODAY", TODAY)
    problems, loaded = validate(Path("catalog"))
    assert problems == []
    assert loaded.service_files == 2


def test_enough_cases_each_complete() -> None:
    assert len(CASES) >= 25
    for case in CASES:
        assert (case / "expected.txt").is_file(), f"{case.name} has no expected.txt"
        assert expected(case).strip(), f"{case.name}: expected.txt is empty, but a broken catalogue must report something"
        overlay = [p for p in case.rglob("*") if p.is_file() and p.name not in CONTROL_FILES]
        assert overlay or (case / "_remove").is_file(), f"{case.name} changes nothing"
