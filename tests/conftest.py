"""Shared test helpers: a copy of the minimal catalogue, and the real command line in a subprocess."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

# The validate cache of command-line runs goes to a test folder, never the developer's ~/.cache.
os.environ.setdefault("SERVICEDIR_CACHE_DIR", os.path.join(tempfile.gettempdir(), f"servicedir-test-cache-{os.getuid()}"))

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "examples" / "valid" / "minimal"
TODAY = "2026-11-28"


@pytest.fixture
def catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tmp_path/catalog holding the minimal valid catalogue; the working folder is tmp_path."""
    target = tmp_path / "catalog"
    shutil.copytree(MINIMAL, target)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SERVICEDIR_TODAY", TODAY)
    return target


def servicedir(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run `python -m generator ARGS` as a user would."""
    full_env = {**os.environ, "SERVICEDIR_TODAY": TODAY, "PYTHONPATH": str(ROOT), **(env or {})}
    full_env.pop("GITHUB_ACTIONS", None) if "GITHUB_ACTIONS" not in (env or {}) else None
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo county built once (leaflets, booklets, site) for every test that reads the outputs."""
    from generator.build import build

    out = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SERVICEDIR_TODAY", TODAY)
        result = build(ROOT / "catalog", out, parts=("leaflets", "booklets", "site"))
    # Neither the site engine nor WeasyPrint warned about anything. Notices may remain: an English leaflet whose
    # description is shortened to fit its sheet, by rule (docs/print.md).
    assert [p for p in result.problems if p.level != "notice"] == []
    return out



class Built:
    """Some parts of a catalogue built once: where its print/ went, the catalogue, the build's problems."""

    def __init__(self, root: Path, target: Path, parts: tuple[str, ...], folder: str = "print") -> None:
        from generator.build import build, load_catalogue

        result = build(root, target, parts=parts)
        self.print_dir = target / folder
        self.catalogue = load_catalogue(root)[0]
        self.problems = [str(p) for p in result.problems]
