"""Interchange stage, entry points: which module reads and writes each format, and the steps around them."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from ..problems import Problem
from .common import ImportOptions, InterchangeError, problems_of, write

if TYPE_CHECKING:
    from ..model import Catalogue

EXPORTS = ("hsds", "cpsv-ap", "csv", "xlsx")
IMPORTS = ("hsds", "cpsv-ap", "csv", "xlsx")


def _module(fmt: str) -> ModuleType:
    if fmt == "hsds":
        from . import hsds
        return hsds
    if fmt == "cpsv-ap":
        from . import cpsv
        return cpsv
    from . import sheet
    return sheet


def export(fmt: str, catalog: Path, out: Path) -> list[Path]:
    """Write the catalogue in `fmt` into `out`: everything is written into a folder beside it first, then
    moved in, so a failed export leaves `out` as it was. Raises CatalogueError for an invalid catalogue."""
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.export-"))
    try:
        module = _module(fmt)
        if fmt in ("csv", "xlsx"):
            module.export(catalog, staging, fmt)
        else:
            from ..build import load_catalogue

            catalogue, _ = load_catalogue(catalog)
            module.export(catalogue, staging)
        files = sorted(p for p in staging.rglob("*") if p.is_file())
        moved = []
        for path in files:
            target = out / path.relative_to(staging)
            target.parent.mkdir(parents=True, exist_ok=True)
            path.replace(target)
            moved.append(target)
        return moved
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _with_directory(options: ImportOptions, directory: Path) -> ImportOptions:
    """Adding to a catalogue: what the options leave open comes from its directory.yml (its default language,
    phone region, time zone and address), not from guesses."""
    import dataclasses

    import yaml

    if not directory.is_file():
        return options
    try:
        data = yaml.safe_load(directory.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError):
        raise InterchangeError(f"{directory}: cannot read it; run `servicedir validate` and fix it first") from None
    if not isinstance(data, dict):
        return options
    languages = data.get("languages") if isinstance(data.get("languages"), list) else [None]
    return dataclasses.replace(
        options, language=options.language or languages[0], phone_region=options.phone_region or data.get("phone_region"),
        timezone=options.timezone or data.get("timezone"), base_url=options.base_url or data.get("base_url"))


def import_(fmt: str, source: Path, catalog: Path, options: ImportOptions) -> tuple[list[str], list[Problem]]:
    """Read `source`, write (or add to) the catalogue in `catalog`, then validate it: the summary lines, and
    the import's warnings followed by the catalogue's problems."""
    from ..validate import validate

    if not source.exists():
        raise InterchangeError(f"{source}: no such file")
    module = _module(fmt)
    options = _with_directory(options, catalog / "directory.yml")
    if fmt in ("csv", "xlsx"):
        imported = module.read(source, options, base=catalog if (catalog / "directory.yml").is_file() else None)
    else:
        imported = module.read(source, options)
    summary = write(imported, catalog)
    problems, _ = validate(catalog)
    return summary, problems_of(imported) + problems


def publish(catalogue: "Catalogue", folder: Path) -> list[Path]:
    """The open data published with the site: folder/hsds/ (index.json, one dataset per language),
    folder/cpsv-ap.ttl and folder/cpsv-ap.jsonld."""
    from . import cpsv, hsds

    return hsds.export(catalogue, folder / "hsds") + cpsv.export(catalogue, folder)


# What site/data/ holds, for the pages that link it: (format name, path under data/).
PUBLISHED = (("HSDS 3.0", "hsds/index.json"), ("CPSV-AP 3.2.0, Turtle", "cpsv-ap.ttl"),
             ("CPSV-AP 3.2.0, JSON-LD", "cpsv-ap.jsonld"))
