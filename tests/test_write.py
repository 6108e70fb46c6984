"""The write stage's promise: outputs are replaced whole or not at all, even when a build is killed."""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
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


KILLED_IN_RENDER = """
import dataclasses, os, signal, sys
from pathlib import Path
from generator import render
from generator.build import build
part = render.PARTS[sys.argv[3]]
def render_then_die(catalogue, stage, options):
    part.render(catalogue, stage, options)  # the part is in the staging folder, not yet swapped in
    print("rendered", sys.argv[3], flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
render.PARTS[sys.argv[3]] = dataclasses.replace(part, render=render_then_die)
build(Path(sys.argv[1]), Path(sys.argv[2]))
"""


@pytest.mark.parametrize("part", ["leaflets", "site"])
def test_real_build_killed_inside_the_render_stage_changes_nothing(catalogue: Path, part: str) -> None:
    """A real build of a changed catalogue, killed at a fixed point inside rendering: the previous outputs stay
    byte for byte, and the next build clears what the killed one left."""
    root = catalogue.parent
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "generator", "build"], cwd=root, check=True, capture_output=True, env=env)
    before = snapshot(root)
    assert len(before) > 50
    farm = catalogue / "services" / "farm-subsidy.yml"
    farm.write_text(farm.read_text(encoding="utf-8").replace("Farming subsidy", "Changed"), encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", KILLED_IN_RENDER, str(catalogue), str(root), part], cwd=root,
                            env=env, capture_output=True, text=True)
    assert result.returncode == -signal.SIGKILL and result.stdout == f"rendered {part}\n", result.stderr
    assert len(list(root.glob(f"{STAGING_PREFIX}*"))) == 1  # the killed build got as far as staging
    assert snapshot(root) == before
    subprocess.run([sys.executable, "-m", "generator", "build"], cwd=root, check=True, capture_output=True, env=env)
    assert not list(root.glob(f"{STAGING_PREFIX}*"))
    assert "Changed" in (root / "site" / "en" / "services" / "farm-subsidy" / "index.html").read_text(encoding="utf-8")


KILLED_IN_SWAP = """
import os, shutil, signal, sys
from pathlib import Path
from generator import write
stop_after, calls = int(sys.argv[2]), [0]
def then_die(step):
    def wrapped(*args, **kwargs):
        result = step(*args, **kwargs)
        calls[0] += 1
        if calls[0] == stop_after:
            os.kill(os.getpid(), signal.SIGKILL)
        return result
    return wrapped
with write.Staging(Path(sys.argv[1])) as stage:
    for i in range(100):
        stage.write(f"site/page-{i}.html", "new")
    stage.write("print/sms/en/a.txt", "new sms")
    # from here on, the swap: die after the first, second, ... step that changes the file system
    os.rename, os.replace, os.unlink, os.remove, os.rmdir = map(then_die, (os.rename, os.replace, os.unlink, os.remove, os.rmdir))
    shutil.rmtree, shutil.move, shutil.copytree = map(then_die, (shutil.rmtree, shutil.move, shutil.copytree))
    write._exchange = then_die(write._exchange)
print("finished", calls[0], flush=True)
"""


def test_outputs_are_exchanged_in_one_step_wherever_the_build_dies(tmp_path: Path) -> None:
    """Killed after any single step of the swap, each output is wholly the old one or wholly the new one:
    never missing, never a mix (what delete-then-rename, or two renames, would leave)."""
    old = previous_build(tmp_path)
    new_site = {f"site/page-{i}.html" for i in range(100)}
    step = 0
    while True:
        step += 1
        root = tmp_path / f"after-{step}"
        shutil.copytree(tmp_path / "site", root / "site")
        shutil.copytree(tmp_path / "print", root / "print")
        result = subprocess.run([sys.executable, "-c", KILLED_IN_SWAP, str(root), str(step)], cwd=ROOT,
                                capture_output=True, text=True)
        now = snapshot(root)
        site = {k: v for k, v in now.items() if k.startswith("site")}
        printed = {k: v for k, v in now.items() if k.startswith("print")}
        assert site in ({k: v for k, v in old.items() if k.startswith("site")}, {k: hashlib.sha256(b"new").hexdigest() for k in new_site}), \
            f"killed after step {step}: site/ is {sorted(site)[:5]}"
        assert sorted(printed) == ["print/sms/en/a.txt"], f"killed after step {step}: print/ is {sorted(printed)}"
        if result.returncode == 0:
            assert result.stdout.startswith("finished")
            break
        assert result.returncode == -signal.SIGKILL, result.stderr
        assert step < 20
    assert step > 2  # both outputs were swapped, each in its own step


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
