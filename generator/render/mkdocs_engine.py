"""Render stage, site engine: the only module that knows the site is built with MkDocs and Material.

It takes plain Markdown pages and a neutral description of the site and returns a built folder;
replacing the engine means replacing this module alone.
"""
from __future__ import annotations

import html
import logging
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup, escape

from ..problems import Problem, logged_warnings
from . import search

THEME = Path(__file__).resolve().parent.parent.parent / "templates" / "site"
# Material's own translations of its interface (partials/languages/<code>.html); a language it lacks shows
# the words of the site's fallback language (SiteSpec.fallback_language), else English, marked with that lang.
SHIM = "iframe-worker-shim.js"  # iframe-worker 1.0.4 (MIT, npm): search in a Web Worker on file://
SEARCH_ASSETS = "search"  # assets/search/: the theme's script for an external search index (SiteSpec.search_bundle)
MATERIAL_LANGUAGES = {"zh-Hans": "zh", "zh-Hant": "zh-Hant", "zh-TW": "zh-TW"}


@dataclass(frozen=True)
class NavItem:
    title: str
    page: str | None = None  # a Markdown path such as "audiences/farmers.md"
    children: tuple["NavItem", ...] = ()
    title_html: str | None = None  # the title as escaped HTML, e.g. words in another language marked with lang


@dataclass
class SiteSpec:
    """What one language's site is, in the engine's terms: no catalogue concepts here."""

    lang: str
    title: str
    base_url: str
    nav: list[NavItem]
    pages: dict[str, str]  # Markdown path -> Markdown text
    search_language: str
    not_in_nav: list[str] = field(default_factory=list)
    repository_url: str | None = None
    copyright: str | None = None  # the footer line, plain text
    logo: Path | None = None  # an SVG or PNG shown in the header
    colors: dict[str, str] = field(default_factory=dict)  # "primary", "accent": "#rrggbb"
    offline: bool = False  # for file:// with no network: page.html links, search index as a script, local shim
    direction: str = "ltr"  # "rtl" for languages written right to left
    # The language whose words the theme shows for its own interface ("Skip to content", "Search", "Table of
    # contents"...) when it has no translation for `lang`: the catalogue's default language. Element content
    # in it is marked with this lang. None, or a language the theme lacks as well: English, marked "en".
    fallback_language: str | None = None
    # The not-found page (404.html): its heading and one sentence. Plain text; a str with __html__ (such as
    # interface words of which some fall back to another language) is printed as that HTML, keeping its marks.
    not_found_title: str = "Page not found"
    not_found_text: str = "There is no page at this address. Use the menu or the search to find what you are looking for."
    # Search from an index that search.py writes into the built folder afterwards (in this folder of it), whose
    # small files a query loads as it needs them; None: the engine's own index, downloaded whole (lunr), which
    # is what works from file:// (offline bundles).
    search_bundle: str | None = None


class EngineError(Exception):
    """The site engine refused the pages (strict mode): a generator bug, not an editor's mistake."""


def build(spec: SiteSpec, publisher_config: Path, out: Path) -> list[Problem]:
    """Build one language's pages into `out` with MkDocs, in strict mode."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    external = _external_search(spec)
    if not external:
        import jieba  # Chinese word segmentation for the engine's search index; quiet about loading its dictionary
        jieba.setLogLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="servicedir-mkdocs-") as work:
        root = Path(work)
        docs = root / "docs"
        for path, text in spec.pages.items():
            target = docs / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        shutil.copytree(THEME / "assets", docs / "assets" / "servicedir",
                        ignore=None if external else shutil.ignore_patterns(SEARCH_ASSETS))
        if spec.logo:
            shutil.copy(spec.logo, docs / "assets" / "servicedir" / f"logo{spec.logo.suffix}")
        if spec.colors:
            (docs / "assets" / "servicedir" / "colors.css").write_text(_colors_css(spec.colors), encoding="utf-8")
        if spec.offline:  # Material loads this shim from a CDN unless a polyfill named "iframe-worker" is given
            shutil.copy(THEME / "offline" / SHIM, docs / "assets" / "servicedir" / SHIM)
        theme_dir = root / "theme"
        shutil.copytree(THEME / "theme", theme_dir)
        (theme_dir / "partials" / "languages").mkdir(parents=True, exist_ok=True)
        words = _theme_words(spec.lang, spec.fallback_language)
        (theme_dir / "partials" / "languages" / "custom.html").write_text(_language_partial(spec.lang, words),
                                                                          encoding="utf-8")
        config_file = root / "mkdocs.yml"
        config_file.write_text(yaml.safe_dump(_config(spec, publisher_config, docs, theme_dir, out),
                                              allow_unicode=True, sort_keys=False), encoding="utf-8")
        with logged_warnings("mkdocs") as warnings:
            try:
                config = load_config(str(config_file))
                # Escaped once in _config; Material also prints it in `title="{{ config.site_name | e }}"`,
                # which as Markup it leaves alone instead of escaping twice ("&lt;" shown as text).
                config["site_name"] = Markup(config["site_name"])
                config["plugins"]["servicedir-direction"] = _Direction(spec.direction)  # type: ignore[assignment]
                config["plugins"]["servicedir-toc-lang"] = _TocLanguages(spec.lang)  # type: ignore[assignment]
                if words.mark:
                    config["plugins"]["servicedir-skip-lang"] = _SkipLanguage(words.mark)  # type: ignore[assignment]
                if external:
                    _use_external_search(config)
                mkdocs_build(config)
            except Exception as e:  # MkDocs raises its own Abort types on strict warnings
                raise EngineError(f"the site engine failed: {e}; {'; '.join(warnings)}") from e
    return []


class _Direction:
    """The theme writes the direction on <body> only (`theme.direction`); this hook puts it on <html> too,
    the document's own, which browsers and assistive technology read first."""

    def __init__(self, direction: str) -> None:
        self.direction = direction

    def _mark(self, output: str) -> str:
        return re.sub(r"<html\b(?![^>]*\sdir=)", f'<html dir="{self.direction}"', output, count=1)

    def on_post_page(self, output: str, **kwargs: Any) -> str:
        return self._mark(output)

    def on_post_template(self, output: str, **kwargs: Any) -> str:  # 404.html
        return self._mark(output)


def _external_search(spec: SiteSpec) -> bool:
    return bool(spec.search_bundle) and not spec.offline


def _use_external_search(config: Any) -> None:
    """The theme keeps its search box, but its index is not built: the theme's search plugin only writes its
    settings (`search/search_index.json` with no documents, which its highlighting of the words searched for on
    the page opened reads), and the theme's script talks to a stand-in worker (assets/servicedir/search/)."""
    plugins = config["plugins"]
    theme_search = plugins["material/search"]
    plugins.events["page_context"].remove(theme_search.on_page_context)  # indexing every page: a fifth of the build
    plugins["servicedir-search"] = _ExternalSearch()  # type: ignore[assignment]


class _ExternalSearch:
    """Pages for a search index built after the engine (search.py): it indexes what the theme marks with
    search.BODY, less what is marked search.IGNORE here: lists whose every item is a link to another page of the
    site (A to Z, a life event's services, related services). Those pages are in the index themselves, and such
    lists would make every hub page match every service's words (and, at 10,000 services, a result's fragment
    weigh megabytes). The theme's worker is replaced by a stand-in, and the engine's own search files go."""

    WORKER = re.compile(r'("search":\s*"[^"]*?)assets/javascripts/workers/search\.[0-9a-f]+\.min\.js"')
    LIST = re.compile(r"<(ul|ol)>(.*?)</\1>", re.S)
    ITEM = re.compile(r"<li>(.*?)</li>", re.S)
    LINKED = re.compile(r'\s*(?:<(?:strong|em)>)?<a href="(?![a-z][a-z0-9+.-]*:|#|/)[^"]*"[^>]*>')

    def on_page_content(self, html: str, **kwargs: Any) -> str:
        return self.LIST.sub(self._mark, html)

    def _mark(self, found: re.Match[str]) -> str:
        items = self.ITEM.findall(found.group(2))
        if items and all(self.LINKED.match(item) for item in items):
            return f"<{found.group(1)} {search.IGNORE}>{found.group(2)}</{found.group(1)}>"
        return found.group(0)

    def _worker(self, output: str) -> str:
        return self.WORKER.sub(lambda m: m.group(1) + 'assets/servicedir/search/search-worker.js"', output, count=1)

    def on_post_page(self, output: str, **kwargs: Any) -> str:
        return self._worker(output)

    def on_post_template(self, output: str, **kwargs: Any) -> str:  # 404.html
        return self._worker(output)

    def on_post_build(self, config: Any, **kwargs: Any) -> None:
        for folder in ("lunr", "workers"):  # 1.2 MB the pages no longer load
            shutil.rmtree(Path(config["site_dir"]) / "assets" / "javascripts" / folder, ignore_errors=True)


class _SkipLanguage:
    """The theme prints its "Skip to content" link from base.html itself, outside any block or partial an
    override could replace; this hook gives the link the language of its words when they are a fallback."""

    def __init__(self, lang: str) -> None:
        self.attribute = f' lang="{html.escape(lang)}"'

    def on_post_page(self, output: str, **kwargs: Any) -> str:
        return re.sub(r'(<a href="[^"<>]*" class="md-skip")>', lambda m: m.group(1) + self.attribute + ">", output,
                      count=1)


class _TocLanguages:
    """The theme prints the table of contents ("On this page") from the headings' plain text, so words that
    fall back to another language lose their lang there. This hook gives each entry whose heading is wholly
    in one other language that language (`lang` on the entry, printed by the theme override
    partials/toc-item.html); mixed or unmarked headings get none."""

    def __init__(self, lang: str) -> None:
        self.lang = lang.lower()

    def on_page_content(self, html: str, page: Any, **kwargs: Any) -> str:
        langs = _heading_languages(html)
        stack = list(page.toc or [])
        while stack:
            anchor = stack.pop()
            lang = langs.get(anchor.id)
            anchor.lang = lang if lang and lang.lower() != self.lang else None
            stack.extend(anchor.children)
        return html


class _HeadingParser(HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []  # open elements: tag, its lang attribute if any
        self.heading: tuple[str, int] | None = None  # the open heading's id and depth in the stack
        self.texts: set[str | None] = set()  # the langs of the open heading's texts
        self.langs: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        found = dict(attrs)
        self.stack.append((tag, found.get("lang")))
        if tag in self.HEADINGS and found.get("id") and self.heading is None:
            self.heading, self.texts = (found["id"] or "", len(self.stack)), set()

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID or all(open_tag != tag for open_tag, _ in self.stack):
            return
        while self.stack.pop()[0] != tag:
            pass
        if self.heading and len(self.stack) < self.heading[1]:
            ident, self.heading = self.heading[0], None
            self.langs[ident] = next(iter(self.texts)) if len(self.texts) == 1 else None

    def handle_data(self, data: str) -> None:
        if self.heading and data.strip():
            self.texts.add(next((lang for _, lang in reversed(self.stack) if lang is not None), None))


def _heading_languages(html: str) -> dict[str, str | None]:
    """Each heading's id -> the one language all its text is marked in (by the heading, an element inside it
    or one around it), or None: unmarked, or words in more than one language."""
    parser = _HeadingParser()
    parser.feed(html)
    parser.close()
    return parser.langs


def _nav(items: list[NavItem]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        title = item.title_html or html.escape(item.title, quote=False)  # the theme prints nav titles as they are
        out.append({title: item.page} if item.page else {title: _nav(list(item.children))})
    return out


def _config(spec: SiteSpec, publisher_config: Path, docs: Path, theme_dir: Path, out: Path) -> dict[str, Any]:
    publisher = yaml.safe_load(publisher_config.read_text(encoding="utf-8")) if publisher_config.is_file() else {}
    theme = dict(publisher.get("theme") or {})
    theme.update({"name": "material", "custom_dir": str(theme_dir), "language": "custom", "font": False,
                  "direction": spec.direction})
    extra = dict(publisher.get("extra") or {})
    extra["generator"] = False
    if _external_search(spec):  # read by the theme overrides main.html and partials/search.html
        extra["servicedir_search"] = {"bundle": spec.search_bundle.rstrip("/") + "/", "body": search.BODY}  # type: ignore[union-attr]
    extra["servicedir_not_found"] = {  # read by the theme override 404.html
        "title": str(escape(spec.not_found_title)), "text": str(escape(spec.not_found_text)),
        "title_plain": html.escape(escape(spec.not_found_title).striptags(), quote=False)}
    config: dict[str, Any] = {
        "extra_javascript": [*publisher.get("extra_javascript", []),
                             *([f"assets/servicedir/{SEARCH_ASSETS}/search.js"] if _external_search(spec) else [])],
        "site_name": html.escape(spec.title),  # quotes too: the theme prints it inside attributes (aria-label)
        "site_url": spec.base_url + spec.lang.lower() + "/",
        "docs_dir": str(docs),
        "site_dir": str(out.resolve()),
        "use_directory_urls": True,
        "strict": True,
        "theme": theme,
        "extra": extra,
        "extra_css": ["assets/servicedir/servicedir.css", *(["assets/servicedir/colors.css"] if spec.colors else []),
                      *publisher.get("extra_css", [])],
        "nav": _nav(spec.nav),
        "not_in_nav": "\n".join(spec.not_in_nav),
        "plugins": [{"search": {"lang": spec.search_language}}, *(["offline"] if spec.offline else [])],
        "markdown_extensions": ["attr_list", "md_in_html", {"toc": {"permalink": False, "toc_depth": 2}}],
        "validation": {"nav": {"omitted_files": "ignore", "not_found": "warn"},
                       "links": {"not_found": "warn", "absolute_links": "warn", "unrecognized_links": "warn",
                                 "anchors": "warn"}},
    }
    if spec.copyright:
        config["copyright"] = html.escape(spec.copyright)  # the theme prints it as it is
    if spec.logo:
        theme["logo"] = f"assets/servicedir/logo{spec.logo.suffix}"
    if spec.colors:
        theme["palette"] = {"primary": "custom", "accent": "custom"}
    if spec.repository_url and not spec.offline:
        config["repo_url"] = spec.repository_url
    if spec.offline:
        config["use_directory_urls"] = False
        extra["polyfills"] = [f"assets/servicedir/{SHIM}"]
    return config


def _colors_css(colors: dict[str, str]) -> str:
    """The publisher's colours as the theme's custom properties (its own palette knows only named colours)."""
    lines = [":root, [data-md-color-scheme] {"]
    if "primary" in colors:
        lines += [f"  --md-primary-fg-color: {colors['primary']};", f"  --md-primary-fg-color--light: {colors['primary']};",
                  f"  --md-primary-fg-color--dark: {colors['primary']};", "  --md-primary-bg-color: #ffffff;",
                  f"  --md-typeset-a-color: {colors['primary']};"]
    if "accent" in colors:
        lines += [f"  --md-accent-fg-color: {colors['accent']};"]
    return "\n".join(lines + ["}", ""])


@dataclass(frozen=True)
class _ThemeWords:
    """Which of the theme's translation files a page language uses, and the lang to mark its words with when
    they are not in the page's language (None: they are)."""

    file: str  # a name in Material's partials/languages/, without ".html"
    mark: str | None


def _material_language(lang: str) -> str | None:
    """The theme's translation file for a language, if it has one."""
    base = MATERIAL_LANGUAGES.get(lang, lang.split("-")[0].lower())
    return base if (Path(_material_templates()) / "partials" / "languages" / f"{base}.html").is_file() else None


def _theme_words(lang: str, fallback: str | None = None) -> _ThemeWords:
    """The page language's own words; else the fallback language's (the catalogue's default); else English."""
    own = _material_language(lang)
    if own:
        return _ThemeWords(own, None)
    chosen = _material_language(fallback) if fallback else None
    return _ThemeWords(chosen, fallback) if chosen and fallback else _ThemeWords("en", "en")


def _language_partial(lang: str, words: _ThemeWords | None = None) -> str:
    """partials/languages/custom.html: the theme's words for `lang` (`t`), and `mark()`, the lang attribute
    (` lang="…"`, or nothing) that the theme overrides put on elements holding only such words.

    The search settings among the keys (search.config.*: word separator, pipeline) describe the page's
    language, not words: a language that borrows another's words keeps English's settings, as before."""
    words = words or _theme_words(lang)
    lookup = "language.t(key)"
    imports = '{% import "partials/languages/' + words.file + '.html" as language %}\n'
    if words.file != "en" and words.mark:
        imports += '{% import "partials/languages/en.html" as english %}\n'
        lookup = '(english.t(key) if key.startswith("search.config.") else language.t(key))'
    mark = f' lang="{html.escape(words.mark)}"' if words.mark else ""
    return (imports + '{% macro t(key) %}{{ {"language": "' + lang + '"}[key] or ' + lookup + ' }}{% endmacro %}\n'
            '{% macro mark() %}' + mark + '{% endmacro %}\n')


def _material_templates() -> str:
    import material
    return str(Path(material.__file__).parent / "templates")
