"""Validate stage: load every catalogue file, check it, then check what the files say of each other.

With the cache (validate(cache=True), which the command line asks for), each file's own results are kept between
runs: a file whose bytes are unchanged is neither parsed nor checked again; what it gave last time is taken
from the cache instead — its problems with their lines and columns, and its data for the cross-file checks and
the build. The key of a file's entry is its bytes (SHA-256) and name, and everything its checks read besides:
servicedir's code, schemas and translations, Python and the installed packages (cache.environment_key), and
the settings of directory.yml they use (languages, phone region, required fields, SMS signature). What can
change without the file changing is made again on every run: directory.yml's own checks, the date checks
(against today) and every cross-file check.
"""
from __future__ import annotations

import gc
import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator
import multiprocessing

from . import cache as caching, checks, i18n, schemas
from .loader import Document, LoadError, load, read_bytes, shown_path
from .problems import Problem, sort_problems

TAXONOMIES = {"audiences": "audiences.yml", "life-events": "life-events.yml",
              "providers": "providers.yml", "offices": "offices.yml"}
OPTIONAL = frozenset({"offices", "life-events"})  # absent or empty: the directory has none
PARALLEL_FROM = 300  # below this many services, starting worker processes costs more than it saves


@dataclass
class Loaded:
    """The catalogue's documents after validation, keyed by kind."""

    directory: Document | None = None
    lists: dict[str, Document] = field(default_factory=dict)
    services: list[Document] = field(default_factory=list)
    service_files: int = 0
    catalog: str = "catalog"
    checked: list[str] = field(default_factory=list)  # the files parsed and checked in this run (not from the cache)


def validate(catalog: Path, *, jobs: int | None = None, today: Any = None, full: bool = True,
             cache: bool = False) -> tuple[list[Problem], Loaded]:
    """Every problem in the catalogue, sorted, and the documents that loaded.

    With full=False, service documents may carry only the fields cross-checks read (REFERENCE_FIELDS):
    enough to validate, and much less to send back from worker processes or to read from the cache.
    With cache=True, a file unchanged since a previous run is taken from the cache (see above; off when
    SERVICEDIR_NO_CACHE is set): the problems and documents are exactly those of a run without it.
    """
    collecting = gc.isenabled()
    gc.disable()  # tens of thousands of small, long-lived objects: the collector would rescan them all
    try:
        return _validate(catalog, jobs, today, full, cache)
    finally:
        if collecting:
            gc.enable()


def _validate(catalog: Path, jobs: int | None, today: Any, full: bool, cache: bool) -> tuple[list[Problem], Loaded]:
    problems: list[Problem] = []
    loaded = Loaded(catalog=shown_path(catalog))
    if not catalog.is_dir():
        what = "is not a folder" if catalog.exists() else "does not exist"
        return [Problem(shown_path(catalog), 1, 1, "error", f"the catalogue folder {what}")], loaded

    # directory.yml is checked on every run: its checks read other files (the logo, the translations).
    loaded.directory, found = _check_file(catalog / "directory.yml", "directory", None)
    loaded.checked.append(shown_path(catalog / "directory.yml"))
    problems += found
    ctx = None
    if loaded.directory is not None:
        settings = checks.check_directory(loaded.directory)
        problems += settings
        if not errors_in(settings):
            ctx = _context(loaded.directory, today)
            problems += checks.check_document(loaded.directory, "directory", ctx)
    results = _Results(catalog, ctx, full) if cache and caching.folder() is not None else None

    service_dir = catalog / "services"
    names: list[str] = []
    strays: list[str] = []
    for entry in os.scandir(service_dir) if service_dir.is_dir() else ():
        if not entry.name.startswith("."):  # an editor's backup or the system's: not the catalogue's
            (names if entry.name.endswith(".yml") else strays).append(entry.name)
    names.sort()
    paths = [service_dir / name for name in names]
    loaded.service_files = len(paths)
    services = _check_services(paths, ctx, jobs, full, results, loaded.checked)  # workers start here

    for kind, name in TAXONOMIES.items():
        doc, found = _check_one(catalog / name, name, kind, ctx, results, loaded.checked)
        problems += found
        if doc is not None:
            loaded.lists[kind] = doc

    if not service_dir.is_dir():
        what = "is not a folder" if service_dir.exists() else "is missing"
        problems.append(Problem(shown_path(service_dir), 1, 1, "error", f"the services folder {what}"))
    elif not paths:
        problems.append(Problem(shown_path(service_dir), 1, 1, "error",
                                "the catalogue has no services: add one file per service, named <id>.yml"))
    for stray in sorted(strays):
        problems.append(Problem(shown_path(service_dir / stray), 1, 1, "warning",
                                "ignored: a service file's name must end in .yml"))
    for doc, found in services:
        problems += found
        if doc is not None:
            loaded.services.append(doc)

    # References are checked among the files that loaded; a service that failed still counts as existing.
    problems += cross_check(loaded, service_ids={path.stem for path in paths})
    if results is not None:
        results.save()
    return sort_problems(problems), loaded


def _context(directory: Document, today: Any) -> checks.Context:
    data = directory.data
    return checks.Context(languages=tuple(data["languages"]), phone_region=data["phone_region"],
                          today=today or checks.today_in(data["timezone"]), require=frozenset(data.get("require", ())),
                          sms_signature=data.get("sms_signature"))


Dates = tuple[tuple[checks.Location, Any, int, int], ...]  # what the date checks read: where, the value, line, col


def _check(path: Path, kind: str, ctx: checks.Context | None, raw: bytes | None = None,
           shown: str | None = None) -> tuple[Document | None, list[Problem], Dates]:
    """A file's own checks but the date checks, and what those read (made apart: they depend on the day)."""
    doc, problems = load(path, optional=kind in OPTIONAL, raw=raw, shown=shown)
    if doc is None:
        return None, problems, ()
    if kind == "service":
        bad_name = checks.file_name_problem(doc)
        problems += [bad_name] if bad_name else []
    schema_problems = schemas.check(doc, kind)
    problems += schema_problems
    if schema_problems:
        return None, problems, ()
    dates: Dates = ()
    if ctx is not None:
        problems += checks.check_document(doc, kind, ctx, dates=False)
        dates = tuple((where, value, *doc.where(where)) for where, value in checks.dated(doc, kind))
    doc.forget_nodes()
    return doc, problems, dates


def _dated(doc: Document, dates: Dates, ctx: checks.Context | None) -> list[Problem]:
    """The date checks, made from the values and places kept (on a fresh file and a cached one alike)."""
    if ctx is None or not dates:
        return []
    doc.places = {**(doc.places or {}), **{where: (line, col) for where, _, line, col in dates}}
    return [problem for where, value, _, _ in dates for problem in checks.check_date(doc, where, value, ctx)]


def _check_file(path: Path, kind: str, ctx: checks.Context | None, raw: bytes | None = None,
                shown: str | None = None) -> tuple[Document | None, list[Problem]]:
    doc, problems, dates = _check(path, kind, ctx, raw, shown)
    if doc is not None:
        problems += _dated(doc, dates, ctx)
    return doc, problems


# What cross_check reads of a service: all a worker sends back when the full data is not wanted.
REFERENCE_FIELDS = ("id", "provider", "audiences", "life_events", "channels", "related")


def _check_service_chunk(paths: list[Path], ctx: checks.Context | None, full: bool,
                         record: bool = False) -> list[tuple[Any, ...]]:
    """Worker side: plain data and problems only (a Document with its Path costs twice as much to send);
    with `record`, also each file's cache entry (then a full document's data comes only in the entry)."""
    results: list[tuple[Any, ...]] = []
    folder = shown_path(paths[0].parent) if paths else ""
    for path in paths:
        shown = _shown_in(folder, path.name)
        if record:
            results.append(_check_recorded(path, "service", ctx, full, shown))
            continue
        doc, problems = _check_file(path, "service", ctx, shown=shown)
        data = None if doc is None else doc.data if full else _references(doc.data)
        results.append((data, problems))
    return results


def _references(data: dict[str, Any]) -> dict[str, Any]:
    lean = {key: data[key] for key in REFERENCE_FIELDS if key in data}
    lean["channels"] = [{"office": c["office"]} for c in data["channels"] if "office" in c]
    return lean


def _check_services(paths: list[Path], ctx: checks.Context | None, jobs: int | None, full: bool,
                    results: "_Results | None" = None,
                    checked: list[str] | None = None) -> Iterator[tuple[Document | None, list[Problem]]]:
    """Check every service file; for many files, worker processes start now and results come as they finish.
    With a cache, the files found in it are taken from it, and only the others are checked."""
    jobs = jobs or os.cpu_count() or 1
    folder = shown_path(paths[0].parent) if paths else ""
    shown = [_shown_in(folder, path.name) for path in paths]
    reused: dict[int, tuple[Document | None, list[Problem]]] = {}
    sources: dict[int, bytes] = {}
    if results is not None and results.before:  # nothing cached: no file need be read twice
        for i, path in enumerate(paths):
            found = results.lookup(path, shown[i], f"services/{path.name}", "service", ctx)
            if isinstance(found, bytes):
                sources[i] = found
            elif found is not None:
                reused[i] = found
    todo = [i for i in range(len(paths)) if i not in reused]
    if checked is not None:
        checked += [shown[i] for i in todo]
    if jobs < 2 or len(todo) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        def serial() -> Iterator[tuple[Document | None, list[Problem]]]:
            for i, path in enumerate(paths):
                if i in reused:
                    yield reused[i]
                elif results is None:
                    yield _check_file(path, "service", ctx, shown=shown[i])
                else:
                    yield results.check(path, shown[i], f"services/{path.name}", "service", ctx, sources.get(i))
        return serial()
    schemas.prepare("service")  # compile once, before the workers are forked
    size = -(-len(todo) // (jobs * 4))
    chunks = [[paths[i] for i in todo[start:start + size]] for start in range(0, len(todo), size)]
    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"))
    futures = [pool.submit(_check_service_chunk, chunk, ctx, full, results is not None) for chunk in chunks]

    def parallel() -> Iterator[tuple[Document | None, list[Problem]]]:
        done: Iterator[tuple[Any, ...]] = (result for future in futures for result in future.result())
        try:
            for i, path in enumerate(paths):
                if i in reused:
                    yield reused[i]
                    continue
                data, problems, *recorded = next(done)
                if recorded and results is not None:
                    data = results.keep(f"services/{path.name}", recorded[0], recorded[1], data)
                yield (None if data is None else Document(path, shown[i], data)), problems
        finally:
            pool.shutdown(cancel_futures=True)
    return parallel()


def _shown_in(folder: str, name: str) -> str:
    """shown_path(folder / name), given the folder's (one relpath per folder, not per file)."""
    return name if folder == os.curdir else os.path.join(folder, name)


def _check_one(path: Path, name: str, kind: str, ctx: checks.Context | None,
               results: "_Results | None", checked: list[str]) -> tuple[Document | None, list[Problem]]:
    """One file, in this process: from the cache when it is there, else checked."""
    shown = shown_path(path)
    if results is None:
        checked.append(shown)
        return _check_file(path, kind, ctx, shown=shown)
    found = results.lookup(path, shown, name, kind, ctx)
    if found is None or isinstance(found, bytes):
        checked.append(shown)
        return results.check(path, shown, name, kind, ctx, found)
    return found


def _check_recorded(path: Path, kind: str, ctx: checks.Context | None, full: bool,
                    shown: str) -> tuple[Any, list[Problem], "Entry | None", bytes | None]:
    """Check a file and make its cache entry (in a worker): (data, problems, entry, the whole data pickled
    when `full`); data is None when the file did not load, or when it is in the entry or pickled (sent once)."""
    try:
        raw: bytes | None = read_bytes(path, shown)
    except LoadError:  # unreadable, too large, a link: reported by _check_file, never cached
        raw = None
    doc, problems, dates = _check(path, kind, ctx, raw, shown)
    entry = None if raw is None else _entry(hashlib.sha256(raw).digest(), shown, kind, doc, problems, dates)
    blob = None if entry is None or doc is None or not full else caching.plain_dumps(doc.data)
    if doc is not None:
        problems = problems + _dated(doc, dates, ctx)
    data = None if doc is None or entry is not None else doc.data if full or kind != "service" else _references(doc.data)
    return data, problems, entry, blob


# A file's cache entry: the SHA-256 of its bytes; its problems but those of the dates (line, col, level,
# message); its data if it loaded (of a service, only what cross-checks read: REFERENCE_FIELDS); what the date
# checks read. A service's whole data is kept apart (the "validate-data" store), for `build` only.
Entry = tuple[bytes, tuple[tuple[int, int, str, str], ...], Any, Dates]
_LEVELS = frozenset(("error", "warning", "notice"))


def _entry(digest: bytes, shown: str, kind: str, doc: Document | None, problems: list[Problem],
           dates: Dates) -> Entry | None:
    if any(p.path != shown for p in problems):  # a problem of another file: not the file's own result
        return None
    kept = tuple((p.line, p.col, p.level, p.message) for p in problems)
    if doc is None:
        return digest, kept, None, ()
    return digest, kept, _references(doc.data) if kind == "service" else doc.data, dates


def _usable(entry: Any, digest: bytes, kind: str) -> bool:
    """Whether a cached entry is for these bytes and has the shape _entry gives it (else it is not trusted)."""
    if type(entry) is not tuple or len(entry) != 4 or entry[0] != digest:
        return False
    _, kept, data, dates = entry
    if type(kept) is not tuple or type(dates) is not tuple:
        return False
    for p in kept:
        if not (type(p) is tuple and len(p) == 4 and type(p[0]) is int and type(p[1]) is int and p[0] > 0
                and p[1] > 0 and type(p[2]) is str and p[2] in _LEVELS and type(p[3]) is str):
            return False
    for d in dates:
        if not (type(d) is tuple and len(d) == 4 and type(d[0]) is tuple and type(d[1]) is str
                and type(d[2]) is int and type(d[3]) is int and all(type(step) in (str, int) for step in d[0])):
            return False
    if data is None:
        return not dates
    return _lean_ok(data) if kind == "service" else _list_ok(data, kind)


def _lean_ok(lean: Any) -> bool:
    """What cross_check reads of a service has the shape the schema gives it."""
    if type(lean) is not dict or type(lean.get("id")) is not str or type(lean.get("provider")) is not str \
            or type(lean.get("audiences")) is not list:
        return False
    for field_name in ("audiences", "life_events", "related"):
        ids = lean.get(field_name, [])
        if type(ids) is not list:
            return False
        for value in ids:
            if type(value) is not str:
                return False
    channels = lean.get("channels")
    if type(channels) is not list:
        return False
    for channel in channels:
        if type(channel) is not dict or type(channel.get("office", "")) is not str:
            return False
    return True


def _list_ok(data: Any, kind: str) -> bool:
    """What cross_check reads of a list file has the shape the schema gives it."""
    if type(data) is not list:
        return False
    for item in data:
        if type(item) is not dict or type(item.get("id")) is not str:
            return False
        if kind == "offices" and type(item.get("provider")) is not str:
            return False
        steps = item.get("steps", []) if kind == "life-events" else []
        if type(steps) is not list:
            return False
        for step in steps:
            if type(step) is not dict or type(step.get("services")) is not list \
                    or any(type(sid) is not str for sid in step["services"]):
                return False
    return True


def _same(data: Any, lean: Any) -> bool:
    """A service's whole data agrees with what the entry says cross-checks read of it."""
    try:
        return type(data) is dict and _references(data) == lean
    except (KeyError, TypeError, AttributeError):
        return False


# The parts of servicedir a validation never runs (tests/test_validate_cache.py checks it): a change to them keeps
# the cache; a change to anything else in the package (its code, schemas, translations, data) makes it stale.
NOT_VALIDATION = frozenset({"__main__.py", "build.py", "cli.py", "diff.py", "model.py", "pdf.py", "present.py",
                            "progress.py", "qr.py", "report.py", "scaffold.py", "serve.py", "write.py", "render",
                            "interop", "__pycache__"})


def cache_key(ctx: checks.Context | None) -> str:
    """What every file's own results depend on besides its bytes and name: the code that checks it and its
    data (the schemas, the interface's translations, which the SMS signature's joining words come from), Python
    and the installed packages, and the settings of directory.yml the checks read (all of Context but today:
    only the date checks read it)."""
    settings = None if ctx is None else {name: value for name, value in vars(ctx).items() if name != "today"}
    text = json.dumps(settings, sort_keys=True, ensure_ascii=False, default=lambda v: sorted(v) if isinstance(
        v, (set, frozenset)) else repr(v))
    package = caching.PACKAGE
    sources = [path for path in sorted(package.iterdir()) if path.name not in NOT_VALIDATION]
    sources += [folder for folder in i18n.locale_dirs() if package not in folder.resolve().parents]
    return hashlib.sha256(f"{caching.environment_key(sources)}\0{text}".encode()).hexdigest()


class _Results:
    """The validation cache of one catalogue in one run: the entries of the previous run, and this run's
    (those of the files it met: a file removed from the catalogue leaves the cache with it). With `full`,
    also the services' whole data, kept apart: `validate` alone neither reads nor writes it."""

    def __init__(self, catalog: Path, ctx: checks.Context | None, full: bool):
        name = os.path.abspath(catalog)
        self.key = cache_key(ctx)
        self.store = caching.Store("validate", name)
        self.before: dict[str, Any] = self.store.read(self.key)
        self.after: dict[str, Any] = {}
        self.full = full
        self.data_store = caching.Store("validate-data", name)
        self.data_before: dict[str, Any] = self.data_store.read(self.key) if full and self.before else {}
        self.data_after: dict[str, Any] = {}

    def lookup(self, path: Path, shown: str, name: str, kind: str,
               ctx: checks.Context | None) -> tuple[Document | None, list[Problem]] | bytes | None:
        """The file's results from the cache; else its bytes to check (None when it cannot be read)."""
        try:
            raw = read_bytes(path, shown)
        except LoadError:
            return None
        digest = hashlib.sha256(raw).digest()
        entry = self.before.get(name)
        if entry is None or not _usable(entry, digest, kind):
            return raw
        _, kept, data, dates = entry
        problems = [Problem(shown, line, col, level, message) for line, col, level, message in kept]
        doc = None
        if data is not None:
            whole = None
            if kind == "service" and self.full:
                whole = self.data_before.get(name)
                if type(whole) is not tuple or len(whole) != 2 or whole[0] != digest or type(whole[1]) is not bytes:
                    return raw
                try:
                    data = caching.plain_loads(whole[1])
                except Exception:  # damaged: checked again
                    return raw
                if not _same(data, entry[2]):
                    return raw
            doc = Document(path, shown, data)
            problems += _dated(doc, dates, ctx)
            if whole is not None:
                self.data_after[name] = whole
        self.after[name] = entry
        return doc, problems

    def check(self, path: Path, shown: str, name: str, kind: str, ctx: checks.Context | None,
              raw: bytes | None) -> tuple[Document | None, list[Problem]]:
        """Check a file in this process, and keep its entry. `raw`: its bytes if lookup read them (what is
        checked is then exactly what was hashed)."""
        if raw is None:
            try:
                raw = read_bytes(path, shown)
            except LoadError:  # unreadable, too large, a link: reported by _check_file, never cached
                return _check_file(path, kind, ctx, shown=shown)
        doc, problems, dates = _check(path, kind, ctx, raw, shown)
        entry = _entry(hashlib.sha256(raw).digest(), shown, kind, doc, problems, dates)
        blob = caching.plain_dumps(doc.data) if entry is not None and doc is not None and self.full else None
        self.keep(name, entry, blob, None if doc is None else doc.data)
        if doc is not None:
            problems += _dated(doc, dates, ctx)
        return doc, problems

    def keep(self, name: str, entry: Entry | None, blob: bytes | None, data: Any) -> Any:
        """A file's new entry (and whole data, pickled); returns the data to use: `data`, else the data kept in
        the entry or in `blob` (None when the file did not load)."""
        if entry is None:
            self.after.pop(name, None)
            return data
        self.after[name] = entry
        if blob is not None:
            self.data_after[name] = (entry[0], blob)
        if data is None and entry[2] is not None:
            return caching.plain_loads(blob) if blob is not None else entry[2]
        return data

    def save(self) -> None:
        """Write what changed (atomically); else only mark the files as used."""
        for store, before, after, used in ((self.store, self.before, self.after, True),
                                           (self.data_store, self.data_before, self.data_after, self.full)):
            if not used:
                continue
            if after.keys() == before.keys() and all(after[k] is before[k] for k in after):
                store.touch()
            else:
                store.write(self.key, after)


def cross_check(loaded: Loaded, service_ids: set[str] | None = None) -> list[Problem]:
    """Ids are unique and every reference names something that exists."""
    problems: list[Problem] = []
    ids: dict[str, set[str]] = {}
    for kind, doc in loaded.lists.items():
        ids[kind] = set()
        for i, entry in enumerate(doc.data):
            if entry["id"] in ids[kind]:
                problems.append(doc.problem((i, "id"), "error", f"the id '{entry['id']}' is used twice in {doc.path.name}"))
            ids[kind].add(entry["id"])
    ids["services"] = service_ids if service_ids is not None else {doc.data["id"] for doc in loaded.services}

    def refer(doc: Document, where: tuple[Any, ...], value: str, kind: str, what: str) -> None:
        if kind in ids and value not in ids[kind]:
            source = os.path.join(loaded.catalog, "services", "") if kind == "services" \
                else os.path.join(loaded.catalog, TAXONOMIES[kind])
            absent = kind in loaded.lists and not os.path.lexists(loaded.lists[kind].path)
            where_not = f"there is no {source}" if absent else f"no such id in {source}"
            problems.append(doc.problem(where, "error", f"unknown {what} '{value}': {where_not}"))

    if "offices" in loaded.lists:
        doc = loaded.lists["offices"]
        for i, office in enumerate(doc.data):
            refer(doc, (i, "provider"), office["provider"], "providers", "provider")
    events = {}
    if "life-events" in loaded.lists:
        doc = loaded.lists["life-events"]
        events = {e["id"]: e for e in doc.data}
        for i, event in enumerate(doc.data):
            for s, step in enumerate(event.get("steps", [])):
                for k, sid in enumerate(step["services"]):
                    refer(doc, (i, "steps", s, "services", k), sid, "services", "service")
    services = {doc.data["id"]: doc for doc in loaded.services}
    for doc in loaded.services:
        data = doc.data
        refer(doc, ("provider",), data["provider"], "providers", "provider")
        for i, audience in enumerate(data["audiences"]):
            refer(doc, ("audiences", i), audience, "audiences", "audience")
        for i, event in enumerate(data.get("life_events", [])):
            refer(doc, ("life_events", i), event, "life-events", "life event")
        for i, channel in enumerate(data["channels"]):
            if "office" in channel:
                refer(doc, ("channels", i, "office"), channel["office"], "offices", "office")
        for i, other in enumerate(data.get("related", [])):
            if other == data["id"]:
                problems.append(doc.problem(("related", i), "error", "a service cannot be related to itself"))
            else:
                refer(doc, ("related", i), other, "services", "related service")
    for event_id, event in events.items():
        for step in event.get("steps", []):
            for sid in step["services"]:
                if sid in services and event_id not in services[sid].data.get("life_events", []):
                    doc = services[sid]
                    problems.append(doc.problem(("life_events",) if "life_events" in doc.data else ("id",), "warning",
                                                f"this service is a step of the '{event_id}' journey but does not list that life event"))
    return problems


def errors_in(problems: Iterable[Problem]) -> bool:
    return any(p.level == "error" for p in problems)
