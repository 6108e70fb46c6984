"""Write stage: the only module that touches site/ and print/; outputs are swapped in whole, or not at all."""
from __future__ import annotations

import ctypes
import errno
import ctypes.util
import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath
from types import TracebackType

STAGING_PREFIX = ".servicedir-staging-"
OUTPUTS = ("site", "print")
_RENAME_EXCHANGE = 2


class Staging:
    """A folder beside the outputs where a build writes; on success each output is exchanged atomically.

    Use as a context manager: an exception inside (a failed render, Ctrl-C) removes the staging folder
    and leaves site/ and print/ exactly as they were. A build killed outright leaves only the staging
    folder, which the next build removes.
    """

    def __init__(self, root: Path, keep: dict[str, tuple[str, ...]] | None = None):
        self.root = root
        self.keep = keep or {}
        self.written: set[str] = set()
        self.dir: Path | None = None

    def __enter__(self) -> "Staging":
        self.root.mkdir(parents=True, exist_ok=True)
        remove_stale(self.root)
        self.dir = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=self.root))
        for output, parts in self.keep.items():  # a partial build carries the other parts over unchanged
            for part in parts:
                old = self.root / output / part
                if old.exists():
                    shutil.copytree(old, self.dir / output / part, copy_function=_link_or_copy)
        return self

    def path(self, relative: str) -> Path:
        """A place in the staging folder for an engine that writes whole folders itself."""
        assert self.dir is not None
        target = self.dir / _safe(relative)
        target.mkdir(parents=True, exist_ok=True)
        return target

    def existing(self, relative: str) -> Path | None:
        """Where `relative` is now: written in this build, or kept from the previous one; None if nowhere."""
        assert self.dir is not None
        rel = _safe(relative)
        for base in (self.dir, self.root):
            if (base / rel).exists():
                return base / rel
        return None

    def reuse(self, relative: str) -> None:
        """Carry one file over unchanged from the previous build (a hard link where the disk allows)."""
        assert self.dir is not None
        rel = self._claim(relative)
        (self.dir / rel).parent.mkdir(parents=True, exist_ok=True)
        _link_or_copy(str(self.root / rel), str(self.dir / rel))

    def _claim(self, relative: str) -> PurePosixPath:
        rel = _safe(relative)
        if str(rel) in self.written:
            raise ValueError(f"{rel} would be written twice")
        self.written.add(str(rel))
        return rel

    def write(self, relative: str, content: bytes | str) -> None:
        """Write one output file; writing the same path twice is a bug (two entries with one id)."""
        assert self.dir is not None
        target = self.dir / self._claim(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        assert self.dir is not None
        try:
            if kind is None:
                for output in OUTPUTS:
                    if (self.dir / output).exists():
                        _swap(self.dir / output, self.root / output)
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def _safe(relative: str) -> PurePosixPath:
    rel = PurePosixPath(relative)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts or rel.parts[0] not in OUTPUTS:
        raise ValueError(f"refusing to write outside site/ and print/: {relative}")
    return rel


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _swap(new: Path, current: Path) -> None:
    """Put `new` in place of `current`; afterwards the old contents are at `new` (to be removed)."""
    if current.is_symlink():  # e.g. site -> /srv/www/county: replace what the link points to, keep the link
        target = current.resolve()
        if not target.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "links to something that is not a folder", str(current))
        near = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=target.parent))
        try:
            shutil.move(str(new), str(near / "new"))
            _swap(near / "new", target)
        finally:
            shutil.rmtree(near, ignore_errors=True)
        return
    if not current.exists():
        os.rename(new, current)
        return
    if _exchange(new, current):
        return
    aside = new.with_name(new.name + ".old")  # no atomic exchange here: two renames, microseconds apart
    os.rename(current, aside)
    os.rename(new, current)
    os.rename(aside, new)


def _exchange(a: Path, b: Path) -> bool:
    """Linux renameat2(RENAME_EXCHANGE): both names swap in one step. False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def remove_stale(root: Path) -> None:
    """Remove staging folders left by builds that were killed (their process is gone)."""
    for stale in root.glob(f"{STAGING_PREFIX}*"):
        pid = stale.name[len(STAGING_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
            continue
        shutil.rmtree(stale, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
