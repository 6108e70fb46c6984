"""Validate stage: load every catalogue file, check it, then check what the files say of each other."""
from __future__ import annotations

import gc
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator
import multiprocessing

from . import checks, schemas
from .loader import Document, load, shown_path
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


def validate(catalog: Path, *, jobs: int | None = None, today: Any = None,
             full: bool = True) -> tuple[list[Problem], Loaded]:
    """Every problem in the catalogue, sorted, and the documents that loaded.

    With full=False, service documents may carry only the fields cross-checks read (REFERENCE_FIELDS):
    enough to validate, and much less to send back from worker processes.
    """
    collecting = gc.isenabled()
    gc.disable()  # tens of thousands of small, long-lived objects: the collector would rescan them all
    try:
        return _validate(catalog, jobs, today, full)
    finally:
        if collecting:
            gc.enable()


def _validate(catalog: Path, jobs: int | None, today: Any, full: bool) -> tuple[list[Problem], Loaded]:
    problems: list[Problem] = []
    loaded = Loaded(catalog=shown_path(catalog))
    if not catalog.is_dir():
        what = "is not a folder" if catalog.exists() else "does not exist"
        return [Problem(shown_path(catalog), 1, 1, "error", f"the catalogue folder {what}")], loaded

    loaded.directory, found = _check_file(catalog / "directory.yml", "directory", None)
    problems += found
    ctx = None
    if loaded.directory is not None:
        settings = checks.check_directory(loaded.directory)
        problems += settings
        if not errors_in(settings):
            ctx = _context(loaded.directory, today)
            problems += checks.check_document(loaded.directory, "directory", ctx)

    service_dir = catalog / "services"
    names = sorted(e.name for e in os.scandir(service_dir)
                   if e.name.endswith(".yml") and not e.name.startswith(".")) if service_dir.is_dir() else []
    paths = [service_dir / name for name in names]
    loaded.service_files = len(paths)
    services = _check_services(paths, ctx, jobs, full)  # workers start here, while the taxonomies load

    for kind, name in TAXONOMIES.items():
        doc, found = _check_file(catalog / name, kind, ctx)
        problems += found
        if doc is not None:
            loaded.lists[kind] = doc

    if not service_dir.is_dir():
        what = "is not a folder" if service_dir.exists() else "is missing"
        problems.append(Problem(shown_path(service_dir), 1, 1, "error", f"the services folder {what}"))
    elif not paths:
        problems.append(Problem(shown_path(service_dir), 1, 1, "error",
                                "the catalogue has no services: add one file per service, named <id>.yml"))
    for stray in sorted(service_dir.glob("*")) if service_dir.is_dir() else []:
        if stray.suffix != ".yml" and not stray.name.startswith("."):
            problems.append(Problem(shown_path(stray), 1, 1, "warning", "ignored: a service file's name must end in .yml"))
    for doc, found in services:
        problems += found
        if doc is not None:
            loaded.services.append(doc)

    # References are checked among the files that loaded; a service that failed still counts as existing.
    problems += cross_check(loaded, service_ids={path.stem for path in paths})
    return sort_problems(problems), loaded


def _context(directory: Document, today: Any) -> checks.Context:
    data = directory.data
    return checks.Context(languages=tuple(data["languages"]), phone_region=data["phone_region"],
                          today=today or checks.today_in(data["timezone"]), require=frozenset(data.get("require", ())),
                          sms_signature=data.get("sms_signature"))


def _check_file(path: Path, kind: str, ctx: checks.Context | None) -> tuple[Document | None, list[Problem]]:
    doc, problems = load(path, optional=kind in OPTIONAL)
    if doc is None:
        return None, problems
    if kind == "service":
        bad_name = checks.file_name_problem(doc)
        problems += [bad_name] if bad_name else []
    schema_problems = schemas.check(doc, kind)
    problems += schema_problems
    if schema_problems:
        return None, problems
    if ctx is not None:
        problems += checks.check_document(doc, kind, ctx)
    doc.forget_nodes()
    return doc, problems


# What cross_check reads of a service: all a worker sends back when the full data is not wanted.
REFERENCE_FIELDS = ("id", "provider", "audiences", "life_events", "channels", "related")


def _check_service_chunk(paths: list[Path], ctx: checks.Context | None,
                         full: bool) -> list[tuple[Any, list[Problem]]]:
    """Worker side: plain data and problems only (a Document with its Path costs twice as much to send)."""
    results = []
    for path in paths:
        doc, problems = _check_file(path, "service", ctx)
        data = None if doc is None else doc.data if full else _references(doc.data)
        results.append((data, problems))
    return results


def _references(data: dict[str, Any]) -> dict[str, Any]:
    lean = {key: data[key] for key in REFERENCE_FIELDS if key in data}
    lean["channels"] = [{"office": c["office"]} for c in data["channels"] if "office" in c]
    return lean


def _check_services(paths: list[Path], ctx: checks.Context | None, jobs: int | None,
                    full: bool) -> Iterator[tuple[Document | None, list[Problem]]]:
    """Check every service file; for many files, worker processes start now and results come as they finish."""
    jobs = jobs or os.cpu_count() or 1
    if jobs < 2 or len(paths) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return (_check_file(path, "service", ctx) for path in paths)
    schemas.prepare("service")  # compile once, before the workers are forked
    size = -(-len(paths) // (jobs * 4))
    chunks = [paths[i:i + size] for i in range(0, len(paths), size)]
    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"))
    futures = [pool.submit(_check_service_chunk, chunk, ctx, full) for chunk in chunks]

    def results() -> Iterator[tuple[Document | None, list[Problem]]]:
        folder = shown_path(paths[0].parent)
        try:
            for chunk, future in zip(chunks, futures):
                for path, (data, problems) in zip(chunk, future.result()):
                    yield (None if data is None else Document(path, os.path.join(folder, path.name), data)), problems
        finally:
            pool.shutdown(cancel_futures=True)
    return results()


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
