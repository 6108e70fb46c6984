"""The write stage's promise: outputs are replaced whole or not at all, even when a build is killed."""
from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import write
from generator.write import STAGING_PREFIX, Staging

from .conftest import ROOT


def snapshot(root: Path) -> dict[str, str]:
    """Every file under site/ and print/ with the hash of its bytes."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for output in ("site", "print") for p in sorted((root / output).rglob("*")) if p.is_file()}


def previous_build(root: Path) -> dict[str, str]:
    with Staging(root) as stage:
        stage.write("site/index.html", "old home")
        stage.write("site/en/index.html", "old english")
        stage.write("print/sms/en/a.txt", "old sms")
    return snapshot(root)


def test_success_replaces_outputs_whole(tmp_path: Path) -> None:
    previous_build(tmp_path)
    with Staging(tmp_path) as stage:
        stage.write("site/index.html", "new home")
        stage.write("print/sms/en/b.txt", "new sms")
    assert snapshot(tmp_path) == {
        "site/index.html": hashlib.sha256(b"new home").hexdigest(),
        "print/sms/en/b.txt": hashlib.sha256(b"new sms").hexdigest(),
    }
    assert not list(tmp_path.glob(f"{STAGING_PREFIX}*"))


def test_failure_leaves_outputs_byte_for_byte(tmp_path: Path) -> None:
    before = previous_build(tmp_path)
    with pytest.raises(RuntimeError):
        with Staging(tmp_path) as stage:
            stage.write("site/index.html", "half")
            raise RuntimeError("a renderer failed")
    assert snapshot(tmp_path) == before
    assert not list(tmp_path.glob(f"{STAGING_PREFIX}*"))


def test_without_atomic_exchange_the_fallback_still_swaps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    previous_build(tmp_path)
    monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    with Staging(tmp_path) as stage:
        stage.write("site/index.html", "new")
    assert (tmp_path / "site" / "index.html").read_text() == "new"
    assert (tmp_path / "print" / "sms" / "en" / "a.txt").read_text() == "old sms"  # not rebuilt: untouched


def test_partial_build_keeps_the_other_parts(tmp_path: Path) -> None:
    previous_build(tmp_path)
    with Staging(tmp_path, keep={"print": ("sms",)}) as stage:
        stage.write("print/radio/en/a.txt", "radio")
    assert (tmp_path / "print" / "sms" / "en" / "a.txt").read_text() == "old sms"
    assert (tmp_path / "print" / "radio" / "en" / "a.txt").read_text() == "radio"


def test_same_path_twice_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="written twice"):
        with Staging(tmp_path) as stage:
            stage.write("site/a.html", "1")
            stage.write("site/a.html", "2")
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("bad", ["../evil.txt", "/etc/passwd", "site/../../x", "other/x"])
def test_paths_outside_the_outputs_are_refused(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ValueError, match="refusing to write"):
        with Staging(tmp_path) as stage:
            stage.write(bad, "x")


KILLED_BUILD = """
import os, signal, sys
from pathlib import Path
from generator.write import Staging
with Staging(Path(sys.argv[1])) as stage:
    for i in range(200):
        stage.write(f"site/page-{i}.html", "new " * 1000)
    print("rendering", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_killed_build_leaves_outputs_byte_for_byte_and_is_cleaned_next_time(tmp_path: Path) -> None:
    before = previous_build(tmp_path)
    result = subprocess.run([sys.executable, "-c", KILLED_BUILD, str(tmp_path)], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == -signal.SIGKILL and result.stdout == "rendering\n"
    assert snapshot(tmp_path) == before
    assert len(list(tmp_path.glob(f"{STAGING_PREFIX}*"))) == 1  # what the killed build left
    with Staging(tmp_path) as stage:
        stage.write("site/index.html", "next")
    assert not list(tmp_path.glob(f"{STAGING_PREFIX}*"))


def test_real_build_killed_midway_changes_nothing(catalogue: Path) -> None:
    """Kill `servicedir build` as soon as its staging folder appears."""
    root = catalogue.parent
    subprocess.run([sys.executable, "-m", "generator", "build"], cwd=root, check=True, capture_output=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    before = snapshot(root)
    (catalogue / "services" / "farm-subsidy.yml").write_text(
        (catalogue / "services" / "farm-subsidy.yml").read_text(encoding="utf-8").replace("Farming subsidy", "Changed"),
        encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "generator", "build"], cwd=root,
                               env={**os.environ, "PYTHONPATH": str(ROOT)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while process.poll() is None and time.monotonic() < deadline and not list(root.glob(f"{STAGING_PREFIX}*")):
        time.sleep(0.001)
    process.kill()
    process.wait()
    after = snapshot(root)
    assert after == before or "Changed" in (root / "site" / "en" / "index.html").read_text(encoding="utf-8")
    assert sorted(after) == sorted(before)  # never a half-written site


def test_a_symlinked_output_is_replaced_behind_its_link(tmp_path: Path) -> None:
    """A publisher's site -> /srv/www link stays a link; the folder it points to gets the new build."""
    www = tmp_path / "www"
    www.mkdir()
    (www / "old.html").write_text("old")
    root = tmp_path / "project"
    root.mkdir()
    (root / "site").symlink_to(www)
    with Staging(root) as stage:
        stage.write("site/index.html", "new")
    assert (root / "site").is_symlink()
    assert sorted(p.name for p in www.iterdir()) == ["index.html"]
    assert not list(tmp_path.glob(f"{STAGING_PREFIX}*")) and not list(root.glob(f"{STAGING_PREFIX}*"))
