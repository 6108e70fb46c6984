"""The site's table of contents ("On this page") says which language each entry is in: a heading whose words
fall back to another language (marked <span lang="en"> in the article) keeps that lang in the contents too,
so a screen reader does not read English words with a French voice. Headings in the page's own language, or
in more than one language, are not marked."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator import i18n

from .conftest import TODAY
from .test_i18n import french_catalogue

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Contents(HTMLParser):
    """A page's table-of-contents links (in <nav class="md-nav--secondary">): href, text, and the lang of each
    of the link's texts as given on the link or an element inside it (None: the page's own language); and the
    article's headings: id -> the lang of each of its texts, the same way."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.links: list[tuple[str, str, set[str | None]]] = []
        self.headings: dict[str, set[str | None]] = {}

    def _inside(self, tag: str, test: object = None) -> int | None:
        """The depth of the innermost open <tag> (that passes `test`), if any."""
        for depth in range(len(self.stack) - 1, -1, -1):
            name, attrs = self.stack[depth]
            if name == tag and (test is None or test(attrs)):  # type: ignore[operator]
                return depth
        return None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        found = dict(attrs)
        self.stack.append((tag, found))
        in_toc = self._inside("nav", lambda a: "md-nav--secondary" in (a.get("class") or "").split())
        if tag == "a" and in_toc is not None:
            self.links.append((found.get("href") or "", "", set()))
        if re.fullmatch(r"h[1-6]", tag) and found.get("id") and self._inside("article") is not None:
            self.headings[found["id"] or ""] = set()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or all(name != tag for name, _ in self.stack):
            return
        while self.stack.pop()[0] != tag:
            pass

    def _lang_from(self, depth: int) -> str | None:
        return next((attrs["lang"] for _, attrs in reversed(self.stack[depth:]) if attrs.get("lang")), None)

    def handle_data(self, data: str) -> None:
        if not data.strip():
            return
        link = self._inside("a")
        if link is not None and self.links and self._inside(
                "nav", lambda a: "md-nav--secondary" in (a.get("class") or "").split()) is not None:
            href, text, langs = self.links[-1]
            self.links[-1] = (href, " ".join(f"{text} {data}".split()), langs | {self._lang_from(link)})
        heading = next((depth for depth in range(len(self.stack) - 1, -1, -1)
                        if re.fullmatch(r"h[1-6]", self.stack[depth][0])), None)
        if heading is not None and self.stack[heading][1].get("id") in self.headings:
            self.headings[self.stack[heading][1]["id"] or ""].add(self._lang_from(heading))

    @classmethod
    def of(cls, path: Path) -> "Contents":
        contents = cls()
        contents.feed(path.read_text(encoding="utf-8"))
        contents.close()
        return contents

    def langs(self, text: str) -> list[set[str | None]]:
        """The langs of each table-of-contents link that reads `text`."""
        return [langs for _, t, langs in self.links if t == text]


@pytest.fixture(scope="module")
def french_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small French test catalogue, built with no French interface catalog: its headings fall back to English."""
    from generator.build import build

    folder = tmp_path_factory.mktemp("toc-lang")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SERVICEDIR_TODAY", TODAY)
        patch.delenv(i18n.LOCALE_DIRS_ENV, raising=False)
        assert not i18n.has_catalog("fr")
        catalog = french_catalogue(folder / "catalog")
        result = build(catalog, folder / "out", parts=("site",))
    assert not [p for p in result.problems if p.level == "error"]
    return folder / "out" / "site"


def test_contents_entries_of_fallback_headings_carry_their_lang(french_site: Path) -> None:
    page = Contents.of(french_site / "fr" / "services" / "register-birth" / "index.html")
    for word in ("Who can apply", "What you need", "Cost", "Ways to do it", "Report a problem with this page"):
        assert page.langs(word) == [{"en"}], word  # listed once, and said to be English
    assert page.links and all(href.startswith("#") for href, _, _ in page.links)
    for href, text, langs in page.links:  # each entry is in its heading's language
        assert page.headings[href[1:]] == {"en"} and langs == {"en"}, text


def test_contents_entries_in_the_page_language_are_not_marked(french_site: Path) -> None:
    offices = Contents.of(french_site / "fr" / "offices" / "index.html")
    assert offices.langs("fr Town Hall") and all(langs == {None} for langs in offices.langs("fr Town Hall"))
    residents = Contents.of(french_site / "fr" / "audiences" / "residents" / "index.html")
    assert residents.langs("fr Having a child") == [{None}]
    for page in sorted((french_site / "en").glob("**/*.html")):  # English words on an English page: no lang
        assert all(langs == {None} for _, _, langs in Contents.of(page).links), page


def test_every_contents_entry_follows_its_heading(french_site: Path) -> None:
    """On every French page: an entry has a lang exactly when its whole heading is in that other language;
    never HTML inside an attribute."""
    pages = sorted((french_site / "fr").glob("**/*.html"))
    marked = 0
    for path in pages:
        page = Contents.of(path)
        for href, text, langs in page.links:
            heading = page.headings.get(href.lstrip("#"), {None})
            expected = heading if len(heading) == 1 and None not in heading else {None}
            assert langs == expected, (path, text)
            marked += langs == {"en"}
        assert not re.search(r'="[^"]*<span', path.read_text(encoding="utf-8")), path
    assert marked > 20


def test_a_heading_in_more_than_one_language_is_not_marked() -> None:
    from generator.render.mkdocs_engine import _heading_languages

    found = _heading_languages(
        '<h2 id="a"><span lang="en">Cost</span></h2>'
        '<h2 id="b">fr Coût <span lang="en">per day</span></h2>'
        '<h2 id="c">fr Bureau</h2>'
        '<div lang="en"><h2 id="d">Opening <em>hours</em><br></h2></div>'
        '<h2 id="e" lang="de"><a href="#x">Kosten</a> <span lang="de">pro Tag</span></h2>'
        '<h3 id="f"><span lang="en">In</span> <span lang="es">persona</span></h3>')
    assert found == {"a": "en", "b": None, "c": None, "d": "en", "e": "de", "f": None}
