"""Render stage: one module per output family; each reads the model and writes through the staging folder."""
from __future__ import annotations

import functools
import importlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ..i18n import Phrase, plain
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
def direction(lang: str) -> str:
    """The writing direction of a language for HTML's `dir`, from Unicode CLDR (Babel): "rtl" for Uyghur,
    Arabic, Persian…; "ltr" otherwise (also for scripts CLDR writes top to bottom, as browsers lay them out)."""
    import babel

    try:
        order = babel.Locale.parse(lang, sep="-").character_order
    except (ValueError, babel.UnknownLocaleError):
        return "ltr"
    return "rtl" if order == "right-to-left" else "ltr"


@functools.lru_cache(maxsize=None)
def environment(family: str, *, html: bool, finalize: Callable[[Any], Any] | None = None) -> "jinja2.Environment":
    """Templates of one family, one environment per process (a template is parsed once, not per PDF).
    A missing variable is an error, never a blank; `finalize` escapes for media that are not HTML.
    Interface words: templates call _(), ngettext(), pgettext() (jinja2.ext.i18n), rendered with a language's
    `Words.jinja()`; `plain` gives unmarked text for attribute values, `marked("tspan")` marks SVG text."""
    import jinja2  # only when rendering: `servicedir validate` starts faster without it

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES / family),
        undefined=jinja2.StrictUndefined,
        autoescape=html,
        finalize=finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(_no_words, _no_words, newstyle=True, pgettext=_no_words, npgettext=_no_words)
    env.filters["unbroken"] = unbroken
    env.filters["plain"] = plain
    env.filters["marked"] = marked
    return env


def _no_words(*args: Any, **kwargs: Any) -> str:
    raise RuntimeError("a template that calls _() is rendered with a language's words: render(**words.jinja(), ...)")


def marked(value: Any, tag: str = "span") -> "markupsafe.Markup":
    """HTML filter: interface words from a fallback language in <tag lang="…"> (tspan inside SVG text)."""
    from markupsafe import Markup, escape

    if isinstance(value, Phrase):
        return Markup(value.render(lambda text: str(escape(text)), tag))
    return escape(value)


# Python-Markdown removes a backslash before these; HTML's own specials become entities. A "#" that
# begins an entity (&#34;) stays as it is: escaped, the entity shows as "&#34;" in page titles.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()+\-.!|]|(?<!&)#)")
# Spaces at either end of a line mean nothing in HTML but start a code block (indented) or a line break (trailing)
_EDGE_SPACE = re.compile(r"^[ \t]+|[ \t]+$", re.MULTILINE)


def md(value: Any) -> str:
    """Catalogue text made inert for Markdown and HTML: it shows literally, never as markup (the `finalize`
    of every template that writes Markdown)."""
    from markupsafe import Markup, escape

    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    if isinstance(value, Phrase) and any(lang or markup for _, lang, markup in value.runs):
        return _md_runs(value)
    # "=" has no backslash escape: under a line, "===" would make that line a heading
    text = _EDGE_SPACE.sub("", str(escape(str(value)))).replace("=", "&#61;")
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def _md_runs(value: Phrase) -> str:
    """md() of interface words with fallback runs (each in <span lang="…">) or markup runs (kept as they are)."""
    from markupsafe import escape

    full = str(value)
    drop = {i for m in _EDGE_SPACE.finditer(full) for i in range(m.start(), m.end())}
    runs, at = [], 0
    for text, lang, markup in value.runs:
        runs.append((text if markup else "".join(ch for i, ch in enumerate(text, at) if i not in drop), lang, markup))
        at += len(text)
    return Phrase.of(runs).render(lambda text: _MARKDOWN_SPECIALS.sub(r"\\\1", str(escape(text)).replace("=", "&#61;")))


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
