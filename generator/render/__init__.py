"""Render stage: one module per output family; each reads the model and writes through the staging folder."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..model import Catalogue
from ..problems import Problem
from ..write import Staging

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"


@dataclass(frozen=True)
class Options:
    """Build options the renderers share."""

    jobs: int | None = None
    paper: str = "a5"  # leaflets: "a5", or "a4" for printers without A5 paper
    large_print: bool = False  # leaflets: body text 16 pt for older readers


@dataclass(frozen=True)
class Part:
    """One output family: where it goes and the function that renders it."""

    output: str  # "site" or "print"
    folder: str  # folder inside the output ("" for the whole output)
    render: Callable[[Catalogue, Staging, Options], list[Problem]]


def environment(family: str, *, html: bool) -> "jinja2.Environment":
    """Templates of one family; a missing variable is an error, never a blank."""
    import jinja2  # only when rendering: `servicedir validate` starts faster without it

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES / family),
        undefined=jinja2.StrictUndefined,
        autoescape=html,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _site(catalogue: Catalogue, stage: Staging, options: Options) -> list[Problem]:
    from . import site  # the site engine is heavy: imported only when the site is built
    return site.render(catalogue, stage, options)


def _leaflets(catalogue: Catalogue, stage: Staging, options: Options) -> list[Problem]:
    from . import leaflets  # WeasyPrint is heavy: imported only when leaflets are built
    return leaflets.render(catalogue, stage, options)


def _booklets(catalogue: Catalogue, stage: Staging, options: Options) -> list[Problem]:
    from . import booklets
    return booklets.render(catalogue, stage, options)


# In build order: the site publishes the leaflets built before it.
PARTS: dict[str, Part] = {
    "leaflets": Part("print", "leaflets", _leaflets),
    "booklets": Part("print", "booklets", _booklets),
    "site": Part("site", "", _site),
}
