"""Unit tests of generator/write.py: the staging folder and the atomic swap (written against mutation testing)."""
from __future__ import annotations

import errno
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from generator import write
from generator.write import STAGING_PREFIX, Staging


NO_SUCH_PID = 4_194_305  # above Linux's PID_MAX_LIMIT: never a running process, so never signalled


def test_text_is_written_as_utf8_and_bytes_as_they_are(tmp_path: Path) -> None:
    root = tmp_path / "out" / "deeper"  # --output may name a folder that does not exist yet
    with Staging(root) as stage:
        stage.write("site/a.txt", "é")
        stage.write("print/b.bin", b"\xff\x00")
    assert (root / "site" / "a.txt").read_bytes() == "é".encode("utf-8")
    assert (root / "print" / "b.bin").read_bytes() == b"\xff\x00"


def test_path_gives_a_folder_in_staging_that_is_swapped_in(tmp_path: Path) -> None:
    with Staging(tmp_path) as stage:
        folder = stage.path("site/en")
        assert folder.is_dir() and stage.dir in folder.parents and not (tmp_path / "site").exists()
        (folder / "index.html").write_text("x", encoding="utf-8")
        assert stage.path("site/en") == folder  # asking again is fine
        assert stage.path("site/a/b").is_dir()
        with pytest.raises(ValueError, match="refusing to write"):
            stage.path("../elsewhere")
    assert (tmp_path / "site" / "en" / "index.html").read_text(encoding="utf-8") == "x"


def test_existing_looks_in_this_build_then_the_previous_one(tmp_path: Path) -> None:
    with Staging(tmp_path) as stage:
        stage.write("site/old.html", "old")
        stage.write("site/both.html", "old")
    with Staging(tmp_path) as stage:
        stage.write("site/both.html", "new")
        assert stage.existing("site/both.html") == stage.dir / "site" / "both.html"
        assert stage.existing("site/old.html") == tmp_path / "site" / "old.html"
        assert stage.existing("site/none.html") is None
        with pytest.raises(ValueError, match="refusing to write"):
            stage.existing("/etc/passwd")


def test_reuse_carries_a_file_over_as_a_hard_link_once(tmp_path: Path) -> None:
    with Staging(tmp_path) as stage:
        stage.write("print/leaflets/en/a.pdf", b"%PDF old")
        stage.write("print/leaflets/en/b.pdf", b"%PDF b")
    inode = (tmp_path / "print" / "leaflets" / "en" / "a.pdf").stat().st_ino
    with Staging(tmp_path) as stage:
        stage.reuse("print/leaflets/en/a.pdf")
        stage.reuse("print/leaflets/en/b.pdf")  # a second file into the same folder
        with pytest.raises(ValueError, match="written twice"):
            stage.write("print/leaflets/en/a.pdf", b"%PDF new")
    carried = tmp_path / "print" / "leaflets" / "en" / "a.pdf"
    assert carried.read_bytes() == b"%PDF old" and carried.stat().st_ino == inode
    assert (tmp_path / "print" / "leaflets" / "en" / "b.pdf").read_bytes() == b"%PDF b"


def test_partial_build_carries_the_kept_parts_as_hard_links(tmp_path: Path) -> None:
    with Staging(tmp_path) as stage:
        stage.write("print/sms/en/a.txt", "sms")
    inode = (tmp_path / "print" / "sms" / "en" / "a.txt").stat().st_ino
    with Staging(tmp_path, keep={"print": ("sms", "radio")}) as stage:  # no radio yet: nothing to keep
        stage.write("print/leaflets/en/x.pdf", b"x")
    assert (tmp_path / "print" / "sms" / "en" / "a.txt").stat().st_ino == inode
    assert not (tmp_path / "print" / "radio").exists()


def test_link_or_copy_copies_where_hard_links_fail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "a"
    source.write_text("x", encoding="utf-8")
    os.utime(source, (1_000_000_000, 1_000_000_000))

    def no_hard_links(src: Any, dst: Any) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(write.os, "link", no_hard_links)
    write._link_or_copy(str(source), str(tmp_path / "b"))
    copy = (tmp_path / "b").stat()
    assert (tmp_path / "b").read_text(encoding="utf-8") == "x"
    assert copy.st_ino != source.stat().st_ino and copy.st_mtime == 1_000_000_000  # a copy, with its date


def two_folders(root: Path) -> None:
    for name in ("a", "b"):
        (root / name).mkdir()
        (root / name / f"{name}.txt").write_text(name, encoding="utf-8")


def test_exchange_swaps_two_folders_in_one_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Relative names, as `--output` gives them by default: the directory descriptor must be the working folder."""
    monkeypatch.chdir(tmp_path)
    two_folders(Path("."))
    assert write._exchange(Path("a"), Path("b")) is True
    assert sorted(os.listdir("a")) == ["b.txt"] and sorted(os.listdir("b")) == ["a.txt"]


def test_exchange_reports_false_where_the_system_cannot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    two_folders(tmp_path)
    with monkeypatch.context() as patch:
        patch.setattr(write.ctypes.util, "find_library", lambda name: None)
        assert write._exchange(tmp_path / "a", tmp_path / "b") is False
    with monkeypatch.context() as patch:
        patch.setattr(write.ctypes, "CDLL", lambda name, use_errno: SimpleNamespace())  # a libc without renameat2
        assert write._exchange(tmp_path / "a", tmp_path / "b") is False
    assert sorted(os.listdir(tmp_path / "a")) == ["a.txt"] and sorted(os.listdir(tmp_path / "b")) == ["b.txt"]


def test_a_link_to_something_that_is_not_a_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    root = tmp_path / "project"
    root.mkdir()
    (root / "site").symlink_to(tmp_path / "file")
    with pytest.raises(NotADirectoryError) as refused:
        with Staging(root) as stage:
            stage.write("site/index.html", "new")
    assert (refused.value.errno, refused.value.strerror, refused.value.filename) == (
        errno.ENOTDIR, "links to something that is not a folder", str(root / "site"))  # the CLI prints strerror
    assert (tmp_path / "file").read_text(encoding="utf-8") == "x"
    assert not list(root.glob(f"{STAGING_PREFIX}*"))


def test_a_linked_output_is_swapped_beside_its_target_not_in_the_system_temp(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The new build must land on the target's own disk: renames are atomic only within one file system."""
    www = tmp_path / "www"
    www.mkdir()
    (www / "old.html").write_text("old", encoding="utf-8")
    root = tmp_path / "project"
    root.mkdir()
    (root / "site").symlink_to(www)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-system-temp"))  # any use of it fails
    with Staging(root) as stage:
        stage.write("site/index.html", "new")
    assert sorted(p.name for p in www.iterdir()) == ["index.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "www"]


def test_stale_staging_folders_go_and_those_of_running_builds_stay(tmp_path: Path) -> None:
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        live = [tmp_path / f"{STAGING_PREFIX}{running.pid}-live{i}" for i in range(5)]
        dead = [tmp_path / f"{STAGING_PREFIX}{NO_SUCH_PID}-dead{i}" for i in range(5)]
        dead += [tmp_path / f"{STAGING_PREFIX}{os.getpid()}-mine", tmp_path / f"{STAGING_PREFIX}junk-x"]
        for folder in live + dead:
            (folder / "site").mkdir(parents=True)
        other = tmp_path / "site"
        other.mkdir()
        write.remove_stale(tmp_path)
        assert [f.name for f in live if not f.exists()] == []
        assert [f.name for f in dead if f.exists()] == []
        assert other.is_dir()
        with pytest.raises(subprocess.TimeoutExpired):  # only asked whether it runs: never signalled
            running.wait(timeout=0.3)
    finally:
        running.kill()
        running.wait()


def test_a_leftover_that_cannot_be_removed_does_not_stop_the_build(tmp_path: Path) -> None:
    (tmp_path / f"{STAGING_PREFIX}{NO_SUCH_PID}-file").write_text("not a folder", encoding="utf-8")
    with Staging(tmp_path) as stage:
        stage.write("site/index.html", "new")
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "new"


def test_alive_asks_without_signalling(monkeypatch: pytest.MonkeyPatch) -> None:
    assert write._alive(NO_SUCH_PID) is False  # (a running process: in the test above)

    def not_yours(pid: int, signal: int) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(write.os, "kill", not_yours)
    assert write._alive(1) is True  # another user's build is running: its folder stays
