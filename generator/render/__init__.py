"""Render stage: one module per output family; each reads the model and writes through the staging folder."""
from __future__ import annotations

import functools
import importlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

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


def lang_path(lang: str) -> str:
    """The language segment of output paths: the code in lower case (zh-Hans -> zh-hans)."""
    return lang.lower()


@functools.lru_cache(maxsize=None)
def environment(family: str, *, html: bool, finalize: Callable[[Any], Any] | None = None) -> "jinja2.Environment":
    """Templates of one family, one environment per process (a template is parsed once, not per PDF).
    A missing variable is an error, never a blank; `finalize` escapes for media that are not HTML."""
    import jinja2  # only when rendering: `servicedir validate` starts faster without it

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES / family),
        undefined=jinja2.StrictUndefined,
        autoescape=html,
        finalize=finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["unbroken"] = unbroken
    return env


# Python-Markdown removes a backslash before these; HTML's own specials become entities.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def md(value: Any) -> str:
    """Catalogue text made inert for Markdown and HTML: it shows literally, never as markup (the `finalize`
    of every template that writes Markdown)."""
    from markupsafe import Markup, escape

    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(escape(str(value))))


_TIME_RANGE = re.compile(r"\d{1,2}:\d{2}\s*[–-]\s*\d{1,2}:\d{2}")


def unbroken(text: str) -> "markupsafe.Markup":
    """HTML filter: opening times such as 08:30–12:00 never break across lines (class "nobr")."""
    from markupsafe import Markup, escape

    escaped = str(escape(text))
    return Markup(_TIME_RANGE.sub(lambda m: f'<span class="nobr">{m.group(0)}</span>', escaped))


def _lazy(family: str) -> Callable[[Catalogue, Staging, Options], list[Problem]]:
    """A family's render function, its module imported only when that family is built (WeasyPrint and the
    site engine are heavy; `servicedir validate` never loads them)."""
    def render(catalogue: Catalogue, stage: Staging, options: Options) -> list[Problem]:
        return importlib.import_module(f"{__name__}.{family}").render(catalogue, stage, options)  # type: ignore[no-any-return]
    return render


# In build order: the site and the offline bundle publish the leaflets built before them.
PARTS: dict[str, Part] = {
    "leaflets": Part("print", "leaflets", _lazy("leaflets")),
    "booklets": Part("print", "booklets", _lazy("booklets")),
    "radio": Part("print", "radio", _lazy("radio")),
    "noticeboard": Part("print", "noticeboard", _lazy("noticeboard")),
    "sms": Part("print", "sms", _lazy("sms")),
    "site": Part("site", "", _lazy("site")),
    "offline": Part("print", "offline", _lazy("offline")),
}
DEFAULT_PARTS = tuple(name for name in PARTS if name != "offline")  # the bundle only with --offline
