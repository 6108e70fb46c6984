"""The pipeline, start to end: load -> validate -> model -> render -> write."""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from . import model
from .problems import CatalogueError, Problem
from .render import DEFAULT_PARTS, PARTS, Options
from .validate import errors_in, validate
from .write import Staging


@dataclass(frozen=True)
class Result:
    catalogue: model.Catalogue
    problems: list[Problem]
    parts: tuple[str, ...]


def load_catalogue(catalog: Path, *, strict: bool = False, jobs: int | None = None, cache: bool = False) -> tuple[model.Catalogue, list[Problem]]:
    """Validate and model the catalogue; raise CatalogueError when it cannot be built."""
    problems, loaded = validate(catalog, jobs=jobs, cache=cache)
    if errors_in(problems) or (strict and problems):
        raise CatalogueError(problems)
    assert loaded.directory is not None
    catalogue = model.build(
        loaded.directory.data,
        {kind: doc.data for kind, doc in loaded.lists.items()},
        [(doc.path.relative_to(catalog).as_posix(), doc.data) for doc in loaded.services],
        root=catalog.as_posix(),
    )
    return catalogue, problems


def build(catalog: Path, output: Path, *, parts: tuple[str, ...] = DEFAULT_PARTS, base_url: str | None = None,
          strict: bool = False, jobs: int | None = None, options: Options | None = None,
          cache: bool = False) -> Result:
    """Build the chosen parts into output/site and output/print; nothing changes there on failure."""
    catalogue, problems = load_catalogue(catalog, strict=strict, jobs=jobs, cache=cache)
    if base_url:
        catalogue = replace(catalogue, directory=replace(catalogue.directory, base_url=base_url.rstrip("/") + "/"))
    options = replace(options or Options(), jobs=jobs)
    keep: dict[str, tuple[str, ...]] = {}
    for name, part in PARTS.items():  # parts not rebuilt are carried over as they are
        if name not in parts and part.output != "site":
            keep.setdefault(part.output, ())
            keep[part.output] += (part.folder,)
    with Staging(output, keep) as stage:
        for name in (name for name in PARTS if name in parts):  # in build order, whatever order was asked
            problems += PARTS[name].render(catalogue, stage, options)
        if strict and any(p.level != "notice" for p in problems):
            raise CatalogueError(problems)
    return Result(catalogue, problems, parts)
