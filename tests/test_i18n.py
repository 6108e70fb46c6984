"""The interface's words as gettext catalogs: the committed template matches the code, every catalog is complete
and keeps its placeholders, plural forms work, and a language without a catalog falls back visibly (marked
with the fallback's lang) until its .po file is added."""
from __future__ import annotations

import re
import string
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from generator import i18n
from generator.present import Words
from generator.render import environment, md

from .conftest import MINIMAL, ROOT, TODAY

LOCALE = ROOT / "generator" / "locale"
POT = LOCALE / "servicedir.pot"
CATALOGS = sorted(LOCALE.glob("*/LC_MESSAGES/servicedir.po"))


def read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f)


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


# (a) the template cannot drift from the code --------------------------------------------------------
def test_committed_template_is_a_fresh_extraction(tmp_path: Path) -> None:
    fresh = tmp_path / "servicedir.pot"
    made = subprocess.run([str(Path(sys.executable).parent / "pybabel"), "extract", "-o", str(fresh)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr

    def body(text: str) -> str:  # the header's dates and years change from run to run
        text = text[text.index('msgid ""'):]
        return re.sub(r'"POT-Creation-Date: [^"]*"\n', "", text)
    assert body(fresh.read_text(encoding="utf-8")) == body(POT.read_text(encoding="utf-8")), \
        "generator/locale/servicedir.pot is out of date: run `make messages`"
    assert len(read(POT)) > 150  # every interface word, not an empty extraction


# (b) every catalog is complete ------------------------------------------------------------------------
def test_there_is_a_chinese_catalog() -> None:
    assert LOCALE / "zh_Hans" / "LC_MESSAGES" / "servicedir.po" in CATALOGS


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.parts[-3])
def test_catalog_translates_every_message_with_its_placeholders(path: Path) -> None:
    template, catalog = read(POT), read(path)
    assert catalog.num_plurals >= 1 and catalog.plural_forms.startswith(f"nplurals={catalog.num_plurals};")
    assert not catalog.obsolete, "obsolete entries: run `make messages`"
    for message in template:
        if not message.id:
            continue
        mine = catalog.get(message.id, message.context)
        where = f"{path.parts[-3]}: {message.context or ''} {message.id!r}"
        assert mine is not None, f"{where} is missing: run `make messages`"
        assert not mine.fuzzy, f"{where} is marked fuzzy: check it and remove the mark"
        if isinstance(message.id, (list, tuple)):
            assert "%" not in message.id[0]
            expected = placeholders(message.id[0]) | placeholders(message.id[1])
            assert len(mine.string) == catalog.num_plurals and all(mine.string), f"{where}: every plural form"
            for form in mine.string:  # a form may leave the number out ("one day") but nothing else
                assert placeholders(form) <= expected and placeholders(form) >= expected - {"count", "days", "hour"}, where
        else:
            assert mine.string, f"{where} is not translated"
            # A message whose comment for translators offers other placeholders ("{number}, the day in words")
            # may use those instead; any other message keeps exactly its own.
            offered = placeholders(" ".join(message.auto_comments)) - placeholders(message.id)
            if offered:
                assert placeholders(mine.string) <= placeholders(message.id) | offered, f"{where}: unknown placeholders"
            else:
                assert placeholders(mine.string) == placeholders(message.id), f"{where}: placeholders differ"


def test_chinese_plural_forms_are_one_and_english_two() -> None:
    assert read(LOCALE / "zh_Hans" / "LC_MESSAGES" / "servicedir.po").num_plurals == 1


# (d) plural forms at work ---------------------------------------------------------------------------
def test_ngettext_gives_the_right_form(demo_catalogue: Any) -> None:
    en, zh = Words(demo_catalogue, "en"), Words(demo_catalogue, "zh-Hans")
    for n, form in ((1, "1 day"), (2, "2 days"), (366, "366 days")):
        assert en.ngettext("{days} day", "{days} days", n).format(days=n) == form
        assert zh.ngettext("{days} day", "{days} days", n).format(days=n) == f"{n}天"
    assert en.ngettext("{seconds} s ({count} word)", "{seconds} s ({count} words)", 1).format(seconds=1, count=1) == "1 s (1 word)"
    assert zh.ngettext("{seconds} s ({count} word)", "{seconds} s ({count} words)", 2).format(seconds=1, count=2) == "1秒（2字）"
    template = environment("report", html=False).from_string('{{ ngettext("{days} day", "{days} days", n).format(days=n) }}')
    assert [template.render(**en.jinja(), n=n) for n in (1, 2)] == ["1 day", "2 days"]
    assert [template.render(**zh.jinja(), n=n) for n in (1, 2)] == ["1天", "2天"]


def test_english_and_chinese_need_no_fallback(demo_catalogue: Any) -> None:
    for lang, word in (("en", "Who can apply"), ("zh-Hans", "谁可以办理")):
        phrase = Words(demo_catalogue, lang)._("Who can apply")
        assert phrase == word and phrase.lang is None and md(phrase) == word
        assert Words(demo_catalogue, lang).pgettext("cost", "Free") == {"en": "Free", "zh-Hans": "免费"}[lang]
    assert i18n.has_catalog("en") and i18n.has_catalog("zh-Hans") and i18n.has_catalog("en-GB")
    assert not i18n.has_catalog("fr")
    assert i18n.catalog_path("pt-BR") == LOCALE / "pt_BR" / "LC_MESSAGES" / "servicedir.po"


def test_a_missing_language_falls_back_to_the_default_catalog_marked() -> None:
    words = i18n.interface("fr", "zh-Hans")  # a French page in a Chinese-first directory, no French catalog
    phrase = words.gettext("Information checked on {date}").format(date="1 janvier 2027")
    assert phrase == "信息核对日期：1 janvier 2027"
    assert phrase.runs == (("信息核对日期：", "zh-Hans", False), ("1 janvier 2027", None, False))
    assert md(phrase) == '<span lang="zh-Hans">信息核对日期：</span>1 janvier 2027'
    around = words.gettext("Page {page} of {pages}").format(page=1, pages=2)  # words on both sides of a value
    assert around.runs == (("第", "zh-Hans", False), ("1", None, False), ("页/共", "zh-Hans", False), ("2", None, False),
                           ("页", "zh-Hans", False))
    english = i18n.interface("fr", "en").gettext("Step {number}").format(number=2)
    assert english.__html__() == '<span lang="en">Step </span>2' and str(english) == "Step 2"
    assert i18n.plain(english) == "Step 2" and "<" not in i18n.plain(english)
    assert md(i18n.interface("fr", "en").gettext("Some details are left out here: call the number above.")) == \
        '<span lang="en">Some details are left out here: call the number above\\.</span>'


# (c) a third language, first without a catalog, then with one -------------------------------------
@pytest.fixture(scope="module")
def demo_catalogue() -> Any:
    from generator.build import load_catalogue

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SERVICEDIR_TODAY", TODAY)
        return load_catalogue(ROOT / "catalog")[0]


def _french(value: Any) -> Any:
    """Every {zh-Hans, en} text becomes {en, fr}, the French marked so it is never mistaken for English."""
    if isinstance(value, dict):
        if set(value) == {"zh-Hans", "en"}:
            en = value["en"]
            return {"en": en, "fr": [f"fr {x}" for x in en] if isinstance(en, list) else f"fr {en}"}
        return {k: _french(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_french(v) for v in value]
    return value


def french_catalogue(folder: Path) -> Path:
    for path in MINIMAL.rglob("*.yml"):
        target = folder / path.relative_to(MINIMAL)
        target.parent.mkdir(parents=True, exist_ok=True)
        data = _french(yaml.safe_load(path.read_text(encoding="utf-8")))
        if path.name == "directory.yml":
            data["languages"] = ["en", "fr"]
        target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


class Tree(HTMLParser):
    """Each text of a page's content (<article>, or the whole document when it has none) with the lang of its
    nearest element that has one. (The site engine's own table of contents and menu, outside the article,
    show headings and page titles as plain text.)"""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.texts: list[tuple[str, str | None]] = []
        self.root_lang: str | None = None
        self.articles = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        lang = dict(attrs).get("lang")
        if tag == "html":
            self.root_lang = lang
        if tag == "article" and not self.articles:
            self.articles, self.texts = True, []
        if tag not in self.VOID:
            self.stack.append((tag, lang))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if data.strip() and (not self.articles or any(tag == "article" for tag, _ in self.stack)):
            self.texts.append((data.strip(), next((lang for _, lang in reversed(self.stack) if lang), None)))

    @classmethod
    def of(cls, html: str) -> "Tree":
        tree = cls()
        tree.feed(html)
        return tree

    def langs(self, text: str) -> set[str | None]:
        return {lang for t, lang in self.texts if t == text}


FRENCH_PO = r'''msgid ""
msgstr ""
"Language: fr\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\n"
"Content-Type: text/plain; charset=utf-8\n"

msgid "Who can apply"
msgstr "Qui peut faire la demande"

msgid "What you need"
msgstr "Ce qu'il faut"

msgctxt "after a label"
msgid ": "
msgstr " : "

msgid "Cost"
msgstr "Coût"

#, fuzzy
msgid "Deadline"
msgstr "Délai"

msgid "{days} day"
msgid_plural "{days} days"
msgstr[0] "{days} jour"
msgstr[1] "{days} jours"
'''
CHECKED = {"Who can apply": "Qui peut faire la demande", "What you need": "Ce qu'il faut", "Cost": "Coût"}


def _build(catalog: Path, out: Path) -> Path:
    from generator.build import build

    result = build(catalog, out, parts=("leaflets", "site"))
    assert not [p for p in result.problems if p.level == "error"]
    return out


def _leaflet_html(catalog: Path) -> str:
    from generator.build import load_catalogue
    from generator.render import Options
    from generator.render.leaflets import compose

    catalogue = load_catalogue(catalog)[0]
    return compose(catalogue, ("fr", "register-birth"), Options()).html


def test_a_language_without_a_catalog_is_marked_then_translated_by_one_po_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SERVICEDIR_TODAY", TODAY)
    monkeypatch.delenv(i18n.LOCALE_DIRS_ENV, raising=False)
    catalog = french_catalogue(tmp_path / "catalog")
    assert not i18n.has_catalog("fr") and i18n.catalog_path("fr") == LOCALE / "fr" / "LC_MESSAGES" / "servicedir.po"

    out = _build(catalog, tmp_path / "before")
    page = Tree.of((out / "site" / "fr" / "services" / "register-birth" / "index.html").read_text(encoding="utf-8"))
    english = Tree.of((out / "site" / "en" / "services" / "register-birth" / "index.html").read_text(encoding="utf-8"))
    assert page.root_lang == "fr" and english.root_lang == "en"
    for word in (*CHECKED, "Ways to do it", "Report a problem with this page", "Deadline"):
        assert page.langs(word) == {"en"}, word  # on a French page, each English word says it is English
    for word in (*CHECKED, "Ways to do it", "Report a problem with this page"):
        assert english.langs(word) == {"en"}, word  # the root's lang: no span on an English page
    assert page.langs("fr Register a birth") == {"fr"}  # the catalogue's own French text is not marked
    html = (out / "site" / "fr" / "services" / "register-birth" / "index.html").read_text(encoding="utf-8")
    assert '<span lang="en">' in html and not re.search(r'="[^"]*<span', html)  # never inside an attribute
    assert '<span lang="en">' not in (out / "site" / "en" / "services" / "register-birth" / "index.html").read_text(encoding="utf-8")
    leaflet = Tree.of(_leaflet_html(catalog))
    assert leaflet.root_lang == "fr" and leaflet.langs("Who can apply") == {"en"} and leaflet.langs("fr Parents") == {"fr"}
    assert (out / "print" / "leaflets" / "fr" / "register-birth.pdf").stat().st_size > 1000

    # A translator adds one file; nothing else changes.
    locale = tmp_path / "locale"
    (locale / "fr" / "LC_MESSAGES").mkdir(parents=True)
    (locale / "fr" / "LC_MESSAGES" / "servicedir.po").write_text(FRENCH_PO, encoding="utf-8")
    monkeypatch.setenv(i18n.LOCALE_DIRS_ENV, str(locale))
    assert i18n.has_catalog("fr") and i18n.catalog_path("fr") == locale / "fr" / "LC_MESSAGES" / "servicedir.po"
    out = _build(catalog, tmp_path / "after")
    page = Tree.of((out / "site" / "fr" / "services" / "register-birth" / "index.html").read_text(encoding="utf-8"))
    for english_word, french_word in CHECKED.items():
        assert page.langs(english_word) == set(), english_word
        assert page.langs(french_word) == {"fr"}, french_word  # no lang="en" any more: the page's own language
    assert page.langs("Ways to do it") == {"en"}  # a message the catalog lacks still falls back, marked
    assert page.langs("Deadline") == {"en"} and page.langs("Délai") == set()  # a fuzzy guess is never used
    leaflet = Tree.of(_leaflet_html(catalog))
    assert leaflet.langs("Qui peut faire la demande") == {"fr"} and leaflet.langs("Who can apply") == set()
    assert any(t.startswith("Coût") and lang == "fr" for t, lang in leaflet.texts)  # with the French colon " : "
    words = i18n.interface("fr", "en")
    assert [words.ngettext("{days} day", "{days} days", n).format(days=n) for n in (1, 2)] == ["1 jour", "2 jours"]


def test_the_demo_never_falls_back(demo_build: Path, demo_catalogue: Any) -> None:
    """Every interface word of the demo is in the page's language: a message the catalogs lack (or one that
    extraction cannot see, such as a call inside an f-string) would show as <span lang=…>."""
    from generator.render import Options
    from generator.render.booklets import compose as booklet
    from generator.render.leaflets import compose as leaflet

    pages = sorted((demo_build / "site").glob("[ez]*/**/*.html"))
    assert len(pages) > 150
    for page in pages:
        assert not re.search(r"<t?span lang=", page.read_text(encoding="utf-8")), page
    chooser = (demo_build / "site" / "index.html").read_text(encoding="utf-8")  # each prompt in its own language
    assert chooser.count('<span lang="') == 2 and "选择语言" in chooser and "Choose your language" in chooser
    assert not re.search(r'<span lang="[^"]*"[^>]*><span', chooser)
    for lang in demo_catalogue.directory.languages:
        for service in demo_catalogue.services:
            assert "<span lang=" not in leaflet(demo_catalogue, (lang, service.id), Options()).html, (lang, service.id)
        for kind, ident in (("audience", demo_catalogue.audiences[0].id), ("life-event", demo_catalogue.life_events[0].id)):
            assert "<span lang=" not in booklet(demo_catalogue, (lang, kind, ident), Options()).html, (lang, ident)


def test_radio_is_said_in_its_language_or_not_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """French has num2words; with no French words around the numbers, then with those words but not the
    sentences of a script, there is no French radio (and a warning naming the file), never a mixed script."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    from generator.build import build

    monkeypatch.setenv("SERVICEDIR_TODAY", TODAY)
    catalog = french_catalogue(tmp_path / "catalog")
    po = tmp_path / "locale" / "fr" / "LC_MESSAGES" / "servicedir.po"
    po.parent.mkdir(parents=True)
    po.write_text(FRENCH_PO, encoding="utf-8")
    monkeypatch.setenv(i18n.LOCALE_DIRS_ENV, str(tmp_path / "locale"))

    def radio(out: Path) -> tuple[list[str], list[str]]:
        result = build(catalog, out, parts=("radio",))
        return sorted(p.name for p in (out / "print" / "radio").iterdir()), [str(p) for p in result.problems]

    folders, problems = radio(tmp_path / "one")
    assert folders == ["en"]
    assert [p for p in problems if "no radio scripts in 'fr'" in p] == [
        f"{catalog}/directory.yml:1:1: warning: no radio scripts in 'fr': the words said around numbers are not "
        f"translated: add the 21 messages of context 'spoken' to {po}"]

    spanish = read(LOCALE / "es" / "LC_MESSAGES" / "servicedir.po")
    french = Catalog(locale="fr")
    for message in spanish:
        if message.context == "spoken":  # stand-ins: only whether they are translated matters here
            string = message.string  # French has three plural forms in CLDR: the last form again
            french.add(message.id, string + (string[-1],) * (french.num_plurals - len(string))
                       if isinstance(string, tuple) else string, context="spoken")
    with po.open("wb") as f:
        write_po(f, french)
    folders, problems = radio(tmp_path / "two")
    assert folders == ["en"]
    warning = next(p for p in problems if "no radio scripts in 'fr'" in p)
    assert re.fullmatch(rf"{re.escape(str(catalog))}/directory.yml:1:1: warning: no radio scripts in 'fr': words said on air "
                        rf"are not translated \(.+\); translate them in {re.escape(str(po))}", warning), warning
