"""The theme's own words ("Skip to content", "Search", "Table of contents", the search messages, the 404 page)
on a page whose language the theme (Material) has no translation for, such as Uyghur or Tibetan: they are the
words of the site's fallback language (the catalogue's default), not English, and where they are an element's
whole content that element says which language they are in. The 404 page says "not found" in the site's own
words instead of the theme's hard-coded English."""
from __future__ import annotations

import dataclasses
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape

from generator import i18n
from generator.render import mkdocs_engine
from generator.render.mkdocs_engine import NavItem, SiteSpec

from .conftest import ROOT

CATALOGUE = ROOT / "tests" / "examples" / "catalogues" / "ug-bo"  # Uyghur and Tibetan, default language zh-Hans
TODAY = "2026-12-01"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
NOT_WORDS = {"language", "direction"}  # keys of a translation file that are settings, not words
NOT_FOUND = ("Page not found",
             "There is no page at this address. Use the menu or the search to find what you are looking for.")
# Where the fallback words stay unmarked (an attribute of an element that also holds the page's own text, or
# the text a reader types): element, attribute -> the theme's key.
UNMARKED = {("nav.md-header__inner.md-grid", "aria-label"): "header", ("div.md-search", "aria-label"): "search",
            ("input.md-search__input", "aria-label"): "search.placeholder",
            ("input.md-search__input", "placeholder"): "search.placeholder",
            ("nav.md-nav.md-nav--primary", "aria-label"): "nav", ("nav.md-nav.md-nav--secondary", "aria-label"): "toc"}


def theme_words(code: str) -> dict[str, str]:
    """One of the theme's translation files (partials/languages/<code>.html): key -> words."""
    text = (Path(mkdocs_engine._material_templates()) / "partials" / "languages" / f"{code}.html").read_text(encoding="utf-8")
    found = {key: json.loads(f'"{value}"') for key, value in re.findall(r'^\s*"([^"]+)": "((?:[^"\\]|\\.)*)",?$', text, re.M)}
    return {key: value for key, value in found.items() if key not in NOT_WORDS and not key.startswith("search.config.")}


class Page(HTMLParser):
    """Every text of a page and every attribute value, each with the language it is in (the nearest lang on
    the element or around it), and the theme's settings (<script id="__config">)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []  # open elements: tag, its lang if any
        self.texts: list[tuple[str, str | None, str]] = []  # text, lang, the element holding it ("a.md-skip", with classes)
        self.attributes: list[tuple[str, str, str, str | None]] = []  # element, attribute, value, lang
        self.config: dict[str, Any] = {}
        self._in_config = False

    def lang(self) -> str | None:
        return next((lang for _, lang in reversed(self.stack) if lang), None)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        name = tag + "".join("." + c for c in (found.get("class") or "").split())
        if tag not in VOID:
            self.stack.append((name, found.get("lang")))
        lang = self.lang() if tag not in VOID else (found.get("lang") or self.lang())
        self.attributes += [(name, attr, value, lang) for attr, value in attrs if value and attr not in ("lang", "class")]
        self._in_config = tag == "script" and found.get("id") == "__config"

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or all(open_tag.split(".")[0] != tag for open_tag, _ in self.stack):
            return
        while self.stack.pop()[0].split(".")[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self._in_config:
            self.config, self._in_config = json.loads(data), False
        elif data.strip() and self.stack and self.stack[-1][0].split(".")[0] not in ("script", "style"):
            self.texts.append((" ".join(data.split()), self.lang(), self.stack[-1][0]))

    @classmethod
    def of(cls, path: Path) -> "Page":
        page = cls()
        page.feed(path.read_text(encoding="utf-8"))
        page.close()
        return page

    def text(self, words: str) -> list[tuple[str | None, str]]:
        """Where a text reads `words`: its language and element."""
        return [(lang, element) for text, lang, element in self.texts if text == words]


def engine_site(out: Path, **fields: Any) -> Path:
    """A one-page site built by the site engine alone, from a spec made here (as site.py will make it)."""
    spec = SiteSpec(**{
        "lang": "ug", "title": "سىناق", "base_url": "https://example.org/", "direction": "rtl",
        "nav": [NavItem("باش بەت", "index.md")], "search_language": "en",
        "pages": {"index.md": "# باش بەت\n\n## ئىلتىماس\n\nسىناق\n\n## خىزمەت\n\nسىناق\n"}, **fields})
    from generator.render.site import PUBLISHER_CONFIG

    assert mkdocs_engine.build(spec, PUBLISHER_CONFIG, out) == []
    return out


@pytest.fixture(scope="module")
def uyghur(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return engine_site(tmp_path_factory.mktemp("ug") / "site", fallback_language="zh-Hans")


# a page language the theme lacks -------------------------------------------------------------------------

def test_the_theme_words_of_a_language_it_lacks_are_the_fallback_languages(uyghur: Path) -> None:
    chinese, english = theme_words("zh"), theme_words("en")
    page = Page.of(uyghur / "index.html")
    assert page.text(chinese["action.skip"]) == [("zh-Hans", "a.md-skip")]
    assert page.text(chinese["toc"]) == [("zh-Hans", "label.md-nav__title")] * 2  # in the menu and the sidebar
    assert page.text(chinese["search.result.initializer"]) == [("zh-Hans", "div.md-search-result__meta")]
    # the messages the theme's script writes into that same element, and its other words
    assert page.config["translations"] == {key: chinese[key] for key in page.config["translations"]}
    # no English word of the theme anywhere: text or attribute
    shown = {text for text, _, _ in page.texts} | {value for _, _, value, _ in page.attributes}
    assert not shown & {english[key] for key in english if english[key] != chinese.get(key)}


def test_every_theme_word_is_marked_unless_it_is_an_attribute_of_the_pages_own_content(uyghur: Path) -> None:
    chinese = theme_words("zh")
    keys = {words: key for key, words in chinese.items()}
    page = Page.of(uyghur / "index.html")
    texts = [(text, lang) for text, lang, _ in page.texts if text in keys]
    assert len(texts) == 4 and all(lang == "zh-Hans" for _, lang in texts)
    marked = [(element, attr) for element, attr, value, lang in page.attributes if value in keys and lang == "zh-Hans"]
    assert sorted(set(marked)) == [("button.md-search__icon.md-icon", "aria-label"),
                                   ("button.md-search__icon.md-icon", "title"), ("nav.md-search__options", "aria-label")]
    unmarked = {(element, attr): keys[value] for element, attr, value, lang in page.attributes if value in keys and lang != "zh-Hans"}
    assert unmarked == UNMARKED
    assert all(lang == "ug" for element, _, value, lang in page.attributes if value in keys and lang != "zh-Hans")


def test_a_language_that_borrows_words_keeps_its_search_settings(uyghur: Path, tmp_path: Path) -> None:
    """The theme's search settings (word separator, pipeline) belong to a language, not to its words: Uyghur
    borrowing Chinese words does not get Chinese word splitting, as before."""
    english = engine_site(tmp_path / "site")
    index = json.loads((uyghur / "search" / "search_index.json").read_text(encoding="utf-8"))["config"]
    assert index == json.loads((english / "search" / "search_index.json").read_text(encoding="utf-8"))["config"]
    assert (index["separator"], index["pipeline"]) == ("[\\s\\-]+", ["stopWordFilter"])


def test_with_no_fallback_language_the_words_are_english_and_say_so(tmp_path: Path) -> None:
    english = theme_words("en")
    page = Page.of(engine_site(tmp_path / "site") / "index.html")
    assert page.text(english["action.skip"]) == [("en", "a.md-skip")]
    assert page.text(english["toc"]) == [("en", "label.md-nav__title")] * 2
    assert page.text(english["search.result.initializer"]) == [("en", "div.md-search-result__meta")]


def test_a_fallback_the_theme_lacks_too_gives_english(tmp_path: Path) -> None:
    page = Page.of(engine_site(tmp_path / "site", fallback_language="bo") / "index.html")
    assert page.text(theme_words("en")["action.skip"]) == [("en", "a.md-skip")]


def test_a_language_the_theme_knows_keeps_its_own_words_unmarked(tmp_path: Path) -> None:
    chinese = theme_words("zh")
    site = engine_site(tmp_path / "site", lang="zh-Hans", direction="ltr", fallback_language="en",
                       nav=[NavItem("首页", "index.md")], pages={"index.md": "# 首页\n\n## 申请\n\n文字\n\n## 办理\n\n文字\n"})
    page = Page.of(site / "index.html")
    assert page.text(chinese["action.skip"]) == [("zh-Hans", "a.md-skip")]  # from <html lang>, nothing added
    assert 'lang="en"' not in (site / "index.html").read_text(encoding="utf-8")
    assert all(lang == "zh-Hans" for _, _, _, lang in page.attributes) and all(lang == "zh-Hans" for _, lang, _ in page.texts)


# the 404 page -------------------------------------------------------------------------------------------

def test_the_404_page_says_the_sites_own_words(tmp_path: Path) -> None:
    site = engine_site(tmp_path / "site", lang="zh-Hans", direction="ltr", title="示例县", nav=[NavItem("首页", "index.md")],
                       pages={"index.md": "# 首页\n"}, not_found_title="找不到该页面 <1>", not_found_text="请使用菜单或搜索。")
    text = (site / "404.html").read_text(encoding="utf-8")
    assert "Not found" not in text and "not found" not in text
    assert "<h1>找不到该页面 &lt;1&gt;</h1>" in text and "<p>请使用菜单或搜索。</p>" in text  # as text, never as HTML
    assert "<title>找不到该页面 &lt;1&gt; - 示例县</title>" in text


def test_404_words_in_a_fallback_language_keep_their_lang(tmp_path: Path) -> None:
    title = i18n.Phrase("Page not found", "en")
    sentence = i18n.Phrase.of([("Nothing at ", "en", False), ("<此地址>", None, False)])
    site = engine_site(tmp_path / "site", fallback_language="zh-Hans", not_found_title=title, not_found_text=sentence)
    text = (site / "404.html").read_text(encoding="utf-8")
    assert '<h1><span lang="en">Page not found</span></h1>' in text
    assert '<p><span lang="en">Nothing at </span>&lt;此地址&gt;</p>' in text
    assert re.search(r"<title>Page not found - سىناق</title>", text)  # a title holds no marks


def test_the_404_page_says_not_found_in_english_by_default(tmp_path: Path) -> None:
    text = (engine_site(tmp_path / "site", lang="en", direction="ltr") / "404.html").read_text(encoding="utf-8")
    assert f"<h1>{NOT_FOUND[0]}</h1>" in text and f"<p>{NOT_FOUND[1]}</p>" in text
    assert (SiteSpec.not_found_title, SiteSpec.not_found_text) == NOT_FOUND  # the msgids site.py translates


# the whole build ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ug_bo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Uyghur and Tibetan county's site, built as a user builds it (site.py fills the fallback language,
    the directory's default, and the 404 words, the interface's)."""
    from generator.build import build

    out = tmp_path_factory.mktemp("theme-words")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SERVICEDIR_TODAY", TODAY)
        result = build(CATALOGUE, out, parts=("site",))
    assert not [p for p in result.problems if p.level == "error"]
    return out / "site"


def test_no_page_of_the_uyghur_or_tibetan_site_shows_the_themes_english(ug_bo: Path) -> None:
    chinese, english = theme_words("zh"), theme_words("en")
    keys = {words: key for key, words in chinese.items()}
    english_only = {english[key] for key in english if english[key] != chinese.get(key)}
    checked = 0
    for folder in ("ug", "bo"):
        for path in sorted((ug_bo / folder).rglob("*.html")):
            page = Page.of(path)
            assert page.text(english["action.skip"]) == page.text(english["search.result.initializer"]) == [], path
            assert not {value for _, _, value, _ in page.attributes} & english_only, path
            assert all(lang == "zh-Hans" for text, lang, _ in page.texts if text in keys), path
            assert page.text(chinese["search.result.initializer"]) == [("zh-Hans", "div.md-search-result__meta")], path
            checked += 1
    assert checked >= 2 * 12


def test_the_chinese_404_page_has_no_unmarked_english(ug_bo: Path) -> None:
    words = i18n.interface("zh-Hans", "zh-Hans")
    text = (ug_bo / "zh-hans" / "404.html").read_text(encoding="utf-8")
    assert "404 - Not found" not in text
    assert f"<h1>{escape(words.gettext(NOT_FOUND[0]))}</h1>" in text
    page = Page.of(ug_bo / "zh-hans" / "404.html")
    title = [text for text, _, element in page.texts if element == "title"]
    assert title == [f"{words.gettext(NOT_FOUND[0])} - 测试县政务服务指南"]  # a title holds no marks
    english = [(text, element) for text, lang, element in page.texts
               if re.search("[A-Za-z]{2}", text) and lang != "en" and element != "title"]
    assert english == []  # Latin letters only where marked English (a word not yet translated)
