"""Caches kept between runs: where they live, what makes them stale, and files written whole or not at all.

A cache only saves time: whatever it holds (nothing, another version's results, a damaged or forged file), a
run gives what it would give without it. Each cache is one file per thing cached (such as one catalogue's
validation), found by name in the cache folder, and holding a key: a file whose key is not the one asked for
is read as empty. The key of a result is everything it depends on; environment_key() is the part every
cache has (the code and data that make the result, Python, the installed packages).

The cache folder is $SERVICEDIR_CACHE_DIR, else $XDG_CACHE_HOME/servicedir, else ~/.cache/servicedir: never
in the catalogue, the working folder or the outputs (a build that fails leaves them as they were).
SERVICEDIR_NO_CACHE=1 turns every cache off. A cache file unused for KEEP_DAYS days is removed when another one
is written. Files are written to a temporary name and renamed (atomic): runs at the same time, in processes
or on machines sharing the folder, each read a whole file, and the last to write wins.
"""
from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Iterable

from . import __version__

DIR_ENV = "SERVICEDIR_CACHE_DIR"
OFF_ENV = "SERVICEDIR_NO_CACHE"
FORMAT = 1  # of the files and of what environment_key() covers: a change here makes every cache stale
MAGIC = b"servicedir cache %d\n" % FORMAT
KEEP_DAYS = 30
PACKAGE = Path(__file__).resolve().parent
# https://bford.info/cachedir/: backup tools skip a folder holding this file.
CACHEDIR_TAG = b"Signature: 8a477f597d28d172789f06886806bc55\n# servicedir's cache: removing it only costs time.\n"


def folder() -> Path | None:
    """Where caches live; None when caching is turned off (SERVICEDIR_NO_CACHE) or no folder can be named."""
    if os.environ.get(OFF_ENV, "").strip().lower() not in ("", "0", "false", "no"):
        return None
    chosen = os.environ.get(DIR_ENV)
    if chosen:
        return Path(os.path.expanduser(chosen))
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG rule: a relative path is ignored
        home = os.path.expanduser("~")
        if not os.path.isabs(home):  # pragma: no cover - no home folder at all
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "servicedir"


def environment_key(sources: Iterable[Path] = (PACKAGE,)) -> str:
    """What every cached result depends on beyond its own input: the code and data it is made with (`sources`:
    files, and folders taken whole; by default all of servicedir), the Python that runs it and the distributions
    installed for it (their names and versions). A few milliseconds."""
    digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0{sys.version}\0{sys.implementation.cache_tag}\0"
                            f"{sys.platform}".encode())
    for number, source in enumerate(sources):  # by content and order, not by where the code is installed
        digest.update(b"\0source %d\0" % number + os.fsencode(source.name))
        files = sorted(source.rglob("*")) if source.is_dir() else [source]
        for path in files:
            if "__pycache__" in path.parts or path.suffix in (".pyc", ".mo") or path.is_dir():
                continue
            try:
                content = path.read_bytes()
            except OSError:
                content = b"\0unreadable"
            name = path.relative_to(source).as_posix() if path != source else ""
            digest.update(b"\0" + os.fsencode(name) + b"\0%d\0" % len(content) + content)
    for entry in _site_folders():
        try:
            names = sorted(n for n in os.listdir(entry) if n.endswith((".dist-info", ".egg-info", ".egg-link")))
        except OSError:
            continue
        digest.update(b"\0dists\0" + "\0".join(names).encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _site_folders() -> list[str]:
    """Where distributions are installed for this Python (not the working folder: the key must not depend on it)."""
    import site

    found = list(getattr(site, "getsitepackages", lambda: [])())
    if site.ENABLE_USER_SITE:
        found.append(site.getusersitepackages())
    return found


class _PlainData(pickle.Unpickler):
    """Unpickles plain data only (dicts, lists, tuples, text, bytes, numbers, booleans, None): anything that
    would name a class or a function, and so could run code, is refused."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"not plain data: {module}.{name}")


def plain_loads(data: bytes) -> Any:
    """pickle.loads for plain data, safe on bytes from anywhere (UnpicklingError and the like otherwise)."""
    return _PlainData(io.BytesIO(data)).load()


def plain_dumps(value: Any) -> bytes:
    """Pickle plain data without a memo (five times faster for many small objects; a tree of data has no
    cycles, and a value met twice is written twice)."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=5)
    pickler.fast = True
    pickler.dump(value)
    return out.getvalue()


class Store:
    """One cache file: a dict of entries under a key, read whole and written whole (atomically)."""

    def __init__(self, kind: str, name: str, where: Path | None = None):
        base = folder() if where is None else where
        self.name = name
        self.path = None if base is None else \
            base / kind / (hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:32] + ".cache")

    def read(self, key: str) -> dict[str, Any]:
        """The entries stored under `key`; empty when there are none, or the file is damaged or not ours."""
        if self.path is None:
            return {}
        try:
            with open(self.path, "rb") as handle:
                blob = handle.read()
        except OSError:
            return {}
        head = len(MAGIC) + 32
        payload = blob[head:]
        if not blob.startswith(MAGIC) or len(blob) < head or hashlib.sha256(payload).digest() != blob[len(MAGIC):head]:
            return {}
        try:
            stored = plain_loads(payload)
        except Exception:  # a checksum that matches damaged data: forged; never trusted
            return {}
        if not (isinstance(stored, dict) and stored.get("key") == key and stored.get("name") == self.name
                and isinstance(stored.get("entries"), dict)):
            return {}
        return stored["entries"]

    def touch(self) -> None:
        """Mark the file as used (files unused for KEEP_DAYS days are removed)."""
        if self.path is not None:
            try:
                os.utime(self.path)
            except OSError:
                pass

    def write(self, key: str, entries: dict[str, Any]) -> bool:
        """Replace the file with these entries, atomically: a reader sees the old file or the new one, never
        a part (concurrent runs: the last one to finish wins). False when it cannot be written."""
        if self.path is None:
            return False
        payload = plain_dumps({"key": key, "name": self.name, "entries": entries})
        temporary = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            _tag(self.path.parent.parent)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".", suffix=".tmp")
            with os.fdopen(handle, "wb") as out:
                out.write(MAGIC + hashlib.sha256(payload).digest())
                out.write(payload)
            os.replace(temporary, self.path)
            temporary = None
        except OSError:
            return False
        finally:
            if temporary is not None:
                try:
                    os.unlink(temporary)
                except OSError:
                    pass
        _prune(self.path.parent)
        return True


def _tag(root: Path) -> None:
    tag = root / "CACHEDIR.TAG"
    if not tag.exists():
        try:
            tag.write_bytes(CACHEDIR_TAG)
        except OSError:
            pass


def _prune(where: Path) -> None:
    """Remove the cache files unused for KEEP_DAYS days, and temporary files left by killed runs."""
    now = time.time()
    try:
        found = list(os.scandir(where))
    except OSError:
        return
    for item in found:
        try:
            age = now - item.stat(follow_symlinks=False).st_mtime
            if (item.name.endswith(".cache") and age > KEEP_DAYS * 86400) or (item.name.endswith(".tmp") and age > 3600):
                os.unlink(item.path)
        except OSError:
            pass
