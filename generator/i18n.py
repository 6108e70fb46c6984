"""Interface words: gettext catalogs (generator/locale/<lang>/LC_MESSAGES/servicedir.po), read at run time, with a marked fallback."""
from __future__ import annotations

import gettext as _gettext
import html
import os
import re
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable

SOURCE = "en"  # the language of the msgids: English needs no catalog
DOMAIN = "servicedir"
# Where catalogs are looked for, first match wins; SERVICEDIR_LOCALE_DIRS (os.pathsep-separated) comes first.
LOCALE_DIRS: list[Path] = [Path(__file__).resolve().parent / "locale"]
LOCALE_DIRS_ENV = "SERVICEDIR_LOCALE_DIRS"

Run = tuple[str, "str | None", bool]  # text, the language it is in (None: the page's), already markup for the medium


def N_(message: str) -> str:
    """Marks a message for `pybabel extract` where it is defined; it is translated where it is used."""
    return message


# locating catalogs ---------------------------------------------------------------------------------
def babel_name(lang: str) -> str:
    """BCP 47 as in the catalogue -> Babel's locale name of the catalog folder: zh-Hans -> zh_Hans, pt-BR -> pt_BR."""
    return lang.replace("-", "_")


def locale_dirs() -> list[Path]:
    extra = [Path(p) for p in os.environ.get(LOCALE_DIRS_ENV, "").split(os.pathsep) if p]
    return extra + LOCALE_DIRS


def catalog_path(lang: str) -> Path:
    """The .po file a translator creates for `lang` (`pybabel init -l <name>` writes it)."""
    return locale_dirs()[0] / babel_name(lang) / "LC_MESSAGES" / f"{DOMAIN}.po"


def is_source(lang: str) -> bool:
    """English in any region: the msgids themselves."""
    return babel_name(lang).split("_")[0].lower() == SOURCE


def _find(lang: str) -> Path | None:
    """The catalog for `lang`, or for a shorter form of it (pt_BR, then pt), in the first folder that has one."""
    parts = babel_name(lang).split("_")
    for n in range(len(parts), 0, -1):
        for folder in locale_dirs():
            path = folder / "_".join(parts[:n]) / "LC_MESSAGES" / f"{DOMAIN}.po"
            if path.is_file():
                return path
    return None


def has_catalog(lang: str) -> bool:
    """True when the interface has its own words in `lang`: English, or a .po file (else words fall back)."""
    return is_source(lang) or _find(lang) is not None


# reading catalogs ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Messages:
    """One .po file: (context, msgid) -> msgstr (a tuple of plural forms for a plural message)."""

    table: dict[tuple[str | None, str], str | tuple[str, ...]]
    plural: Callable[[int], int]


def _read(path: Path) -> Messages:
    return _compile(path, _stamp(path))


@lru_cache(maxsize=None)
def _compile(path: Path, stamp: tuple[int, int]) -> Messages:
    """A .po file compiled in memory, once per process; untranslated and fuzzy entries are left out."""
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        catalog = read_po(f, ignore_obsolete=True)
    table: dict[tuple[str | None, str], str | tuple[str, ...]] = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, (list, tuple)):
            forms = tuple(message.string)
            if forms and all(forms):
                table[(message.context, message.id[0])] = forms
        elif message.string:
            table[(message.context, message.id)] = message.string
    return Messages(table, _gettext.c2py(catalog.plural_expr))


# words that know their language --------------------------------------------------------------------
_FORMATTER = string.Formatter()


def runs_of(value: Any) -> tuple[Run, ...]:
    """A value's runs: a Phrase's own; Markup stays markup; anything else is text in the page's language."""
    if isinstance(value, Phrase):
        return value.runs
    if hasattr(value, "__html__"):
        return ((str(value), None, True),)
    return ((value if type(value) is str else str(value), None, False),)


class Phrase(str):
    """Interface words as a str, remembering which runs of it are in another language than the page's (a
    fallback): HTML and Markdown mark those runs with lang, plain text is just the text."""

    runs: tuple[Run, ...]

    def __new__(cls, text: str = "", lang: str | None = None) -> "Phrase":
        self = super().__new__(cls, text)
        self.runs = ((str(text), lang, False),)
        return self

    @classmethod
    def of(cls, runs: Iterable[Run]) -> "Phrase":
        merged: list[Run] = []
        for text, lang, markup in runs:
            if not text:
                continue
            if merged and merged[-1][1:] == (lang, markup):
                merged[-1] = (merged[-1][0] + text, lang, markup)
            else:
                merged.append((text, lang, markup))
        self = super().__new__(cls, "".join(text for text, _, _ in merged))
        self.runs = tuple(merged)
        return self

    @property
    def lang(self) -> str | None:
        """The language of its first words when they are not the page's (a fallback), else None."""
        return next((lang for text, lang, markup in self.runs if not markup), None)

    @property
    def marked(self) -> bool:
        return any(lang for _, lang, _ in self.runs)

    def format(self, *args: Any, **kwargs: Any) -> "Phrase":  # type: ignore[override]
        """str.format, the words keeping their language and each value its own."""
        runs: list[Run] = []
        auto = 0
        for text, lang, markup in self.runs:
            if markup:
                runs.append((text, lang, markup))
                continue
            for literal, field, spec, conversion in _FORMATTER.parse(text):
                runs.append((literal, lang, False))
                if field is None:
                    continue
                if field == "":
                    field, auto = str(auto), auto + 1
                value = _FORMATTER.convert_field(_FORMATTER.get_field(field, args, kwargs)[0], conversion)
                runs += runs_of(format(value, spec) if spec else value)
        return Phrase.of(runs)

    def __add__(self, other: str) -> "Phrase":  # type: ignore[override]
        if not isinstance(other, str):
            return NotImplemented
        return Phrase.of(self.runs + runs_of(other))

    def __radd__(self, other: str) -> "Phrase":
        if not isinstance(other, str):
            return NotImplemented
        return Phrase.of(runs_of(other) + self.runs)

    def join(self, items: Iterable[str]) -> "Phrase":  # type: ignore[override]
        runs: list[Run] = []
        for i, item in enumerate(items):
            runs += (self.runs if i else ()) + runs_of(item)
        return Phrase.of(runs)

    def render(self, escape: Callable[[str], str], tag: str = "span") -> str:
        """The runs escaped for a medium, each fallback run in <tag lang="…">."""
        return "".join(text if markup else f'<{tag} lang="{html.escape(lang)}">{escape(text)}</{tag}>' if lang
                       else escape(text) for text, lang, markup in self.runs)

    def __html__(self) -> str:
        from markupsafe import escape

        return self.render(lambda text: str(escape(text)))


def plain(value: Any) -> str:
    """Text with no marks, for an HTML attribute value (title, alt, aria-label) or an SVG title."""
    if isinstance(value, Phrase):
        return str(value)
    if hasattr(value, "striptags"):  # Markup
        return str(value.striptags())
    return "" if value is None else str(value)


_SENTINEL = re.compile("\ue000(\\d+)\ue001")


def keep_runs(items: list[Any], combine: Callable[[list[str]], str]) -> str:
    """`combine` (such as Babel's format_list) over items, the runs of each item kept in the result."""
    if not any(isinstance(item, Phrase) and any(lang or markup for _, lang, markup in item.runs) for item in items):
        return combine([str(item) for item in items])
    pieces = _SENTINEL.split(combine([f"\ue000{i}\ue001" for i in range(len(items))]))
    runs: list[Run] = []
    for i, piece in enumerate(pieces):
        runs += runs_of(items[int(piece)]) if i % 2 else ((piece, None, False),)
    return Phrase.of(runs)


# one page language and its fallback ----------------------------------------------------------------
class Interface:
    """The interface words of one page language: its own catalog, then the directory's default language's
    catalog, then the English msgids; a word taken from a fallback carries that language."""

    def __init__(self, lang: str, default: str):
        own = _find(lang)
        self.lang = lang
        self.chain: list[tuple[str | None, Messages | None]] = [(None, _read(own))] if own else []
        if is_source(lang):
            self.chain.append((None, None))
            return
        fallback = _find(default) if default != lang and not is_source(default) else None
        if fallback:
            self.chain.append((default, _read(fallback)))
        self.chain.append((default if is_source(default) else SOURCE, None))

    def pgettext(self, context: str | None, message: str) -> Phrase:
        for mark, messages in self.chain:
            found = message if messages is None else messages.table.get((context, message))
            if isinstance(found, str):
                return Phrase(found, mark)
        raise AssertionError("the English source ends every chain")

    def npgettext(self, context: str | None, singular: str, plural: str, n: int) -> Phrase:
        for mark, messages in self.chain:
            if messages is None:
                return Phrase(singular if n == 1 else plural, mark)
            forms = messages.table.get((context, singular))
            if isinstance(forms, tuple):
                index = messages.plural(n)
                if index < len(forms):
                    return Phrase(forms[index], mark)
        raise AssertionError("the English source ends every chain")

    def gettext(self, message: str) -> Phrase:
        return self.pgettext(None, message)

    def ngettext(self, singular: str, plural: str, n: int) -> Phrase:
        return self.npgettext(None, singular, plural, n)


@lru_cache(maxsize=None)
def _interface(lang: str, default: str, dirs: tuple[Path, ...], stamps: tuple[tuple[int, int], ...]) -> Interface:
    return Interface(lang, default)


def _stamp(path: Path | None) -> tuple[int, int]:
    """When a catalog last changed: a translator saving a .po file during `serve` is seen on the next build."""
    if path is None:
        return (0, 0)
    status = path.stat()
    return (status.st_mtime_ns, status.st_size)


def interface(lang: str, default: str) -> Interface:
    """The words of `lang` in a catalogue whose default language is `default`, read again only when a catalog changes."""
    return _interface(lang, default, tuple(locale_dirs()), (_stamp(_find(lang)), _stamp(_find(default))))
