"""Leaflets and booklets read as an older reader and an outreach worker read them (docs/print.md): the number to
call on the front, beside the code; the description's key facts; bold Chinese headings; Chinese lines broken
between words only; '24 hours' said as such; the help line on booklet covers; no page left nearly blank; and a
demo build that warns of nothing.

The demo county (both languages) and Riverside (English and Spanish, incomplete entries) are each built once,
leaflets and booklets, with the command line a publisher runs."""
from __future__ import annotations

import logging
import re
import subprocess
from functools import lru_cache
from pathlib import Path

import pytest

from generator.build import load_catalogue
from generator.model import Catalogue
from generator.present import Words, contact_phone
from generator.render.leaflets import service_view

from .conftest import ROOT, servicedir

CATALOGUES = {"demo": ROOT / "catalog", "riverside": ROOT / "tests" / "examples" / "catalogues" / "riverside"}
# A page after the first holding fewer lines of text than this is nearly blank: a quarter of the 31 lines an A5 page
# holds at 14 pt. Page numbers are not counted; a booklet's or leaflet's first page (its cover, its front) is
# never nearly blank.
FEW_LINES = 8


class Built:
    """One catalogue built with `servicedir build --only leaflets,booklets --verbose`, and what the build printed
    (--verbose: its notices too)."""

    def __init__(self, name: str, tmp_path_factory: pytest.TempPathFactory):
        out = tmp_path_factory.mktemp(name)
        made = servicedir("build", "--catalog", str(CATALOGUES[name]), "--only", "leaflets,booklets", "--verbose",
                          "--output", str(out), cwd=out, timeout=900)
        assert made.returncode == 0, made.stdout + made.stderr
        self.catalogue: Catalogue = load_catalogue(CATALOGUES[name])[0]
        self.print = out / "print"
        self.printed = made.stdout + made.stderr

    def lang(self, pdf: Path) -> str:
        return next(lang for lang in self.catalogue.directory.languages if lang.lower() == pdf.parent.name)

    def leaflets(self) -> list[Path]:
        return sorted((self.print / "leaflets").glob("*/*.pdf"))

    def booklets(self) -> list[Path]:
        return sorted((self.print / "booklets").glob("*/*.pdf"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return Built("demo", tmp_path_factory)


@pytest.fixture(scope="module")
def riverside(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return Built("riverside", tmp_path_factory)


@pytest.fixture(params=sorted(CATALOGUES))
def built(request: pytest.FixtureRequest) -> Built:
    """Each catalogue in turn (each built once for the module)."""
    return request.getfixturevalue(request.param)  # type: ignore[no-any-return]


def pages_of(pdf: Path, first: int | None = None, last: int | None = None) -> list[str]:
    """Each page's text as pdftotext lays it out (-layout), or pages first to last."""
    span = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-layout", *span, str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return text.split("\f")[:-1]


def squeezed(text: str) -> str:
    """Text without spaces (also no-break ones) and soft hyphens: lines wrap anywhere."""
    return re.sub(r"[\s\u00a0\u00ad]+", "", text)


def labelled(w: Words, label: str, value: str) -> str:
    return squeezed(str(w._(label)) + str(w.pgettext("after a label", ": ")) + value)


# the number to act on ----------------------------------------------------------------------------------------

def test_the_front_of_every_leaflet_gives_the_services_phone_labelled(built: Built) -> None:
    """Page 1 of every leaflet (every language) says "Phone for this service: <number>", the number people call
    about it (present.contact_phone: its phone line, else a channel's or office's number, else its provider's);
    and how to report a problem with the leaflet (not "this page": it is paper)."""
    checked = 0
    for pdf in built.leaflets():
        w = Words(built.catalogue, built.lang(pdf))
        service = built.catalogue.by_id["services"][pdf.stem]
        front = squeezed(pages_of(pdf, 1, 1)[0])
        number = contact_phone(built.catalogue, service)
        assert number, pdf
        assert labelled(w, "Phone for this service", w.phone(number).shown) in front, f"{pdf}: no labelled phone on the front"
        feedback = built.catalogue.directory.feedback["phone"]
        assert labelled(w, "Report a problem with this leaflet", w.phone(feedback).shown) in front, pdf
        checked += 1
    assert checked == 2 * len([s for s in built.catalogue.services if s.status != "withdrawn"])


def test_the_qr_code_caption_stays_beside_the_code(built: Built) -> None:
    """The caption ("Scan the code…, or type") and the web address lie in the column beside the code: no word of
    them wraps under it (it did: "escriba" and the address under the code, the rest beside it)."""
    for pdf in built.leaflets():
        w = Words(built.catalogue, built.lang(pdf))
        boxes = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True,
                               text=True, check=True).stdout
        words = [(float(x), word) for x, word in re.findall(r'<word xMin="([\d.]+)"[^>]*>([^<]*)</word>', boxes)]
        first = str(w._("Scan the code with a phone camera, or type")).split()[0][:4]  # a Chinese caption is one "word"
        at = next(i for i, (_, word) in enumerate(words) if word.startswith(first))
        url = next(i for i, (_, word) in enumerate(words) if word.startswith(built.catalogue.directory.base_url[:12]))
        column = words[at][0]
        assert column > 60, f"{pdf}: the caption starts at {column:.0f} pt, under the code"  # the code is 27 mm wide
        assert all(x >= column - 1 for x, _ in words[at:url + 1]), f"{pdf}: {words[at:url + 1]}"


# the key facts -----------------------------------------------------------------------------------------------

def left_out(built: Built, pdf: Path) -> set[int]:
    """The description's paragraphs the build says the leaflet leaves out (to fit one sheet), numbered from 1."""
    found = re.search(rf"leaflet print/leaflets/{pdf.parent.name}/{pdf.name}: leaves out paragraphs? ([\d, ]+) of",
                      built.printed)
    return {int(n) for n in found.group(1).split(", ")} if found else set()


def test_the_key_facts_of_the_description_are_on_the_leaflet(demo: Built) -> None:
    """The old-age allowance's amounts (50, 200 and 600 yuan) and "you do not need to apply" for the farmland
    subsidy, in both languages; and every leaflet prints its description, but for paragraphs the build names as
    left out to fit one sheet at 12 pt, and then says the web page has more."""
    text = {(pdf.parent.name, pdf.stem): "".join(pages_of(pdf)) for pdf in demo.leaflets()}
    for lang in ("zh-hans", "en"):
        assert [n for n in ("50", "200", "600") if not re.search(rf"(?<![\d,]){n}(?!\d)", text[lang, "elderly-allowance"])] == []
    assert "不用自己到县里申请" in squeezed(text["zh-hans", "farmland-protection-subsidy"])
    assert squeezed("You do not need to apply to the county.") in squeezed(text["en", "farmland-protection-subsidy"])
    for pdf in demo.leaflets():
        w = Words(demo.catalogue, demo.lang(pdf))
        paragraphs = [p for p in str(w.text(demo.catalogue.by_id["services"][pdf.stem].description)).split("\n\n") if p.strip()]
        flat = squeezed(text[pdf.parent.name, pdf.stem])
        gone = left_out(demo, pdf)
        for number, paragraph in enumerate(paragraphs, 1):
            assert (squeezed(paragraph) in flat) != (number in gone), f"{pdf}: paragraph {number}"
        more = squeezed(str(w._("More about this service on the web page: scan the code.")))
        assert (more in flat) == bool(gone), pdf


def test_how_long_it_takes_is_labelled_as_such(demo: Built) -> None:
    """Not "办理时间" (opening hours?) but "How long it takes", followed by the time (20 working days)."""
    for pdf in demo.leaflets():
        w = Words(demo.catalogue, demo.lang(pdf))
        service = demo.catalogue.by_id["services"][pdf.stem]
        assert labelled(w, "How long it takes", w.time(service)) in squeezed("".join(pages_of(pdf))), pdf


# type --------------------------------------------------------------------------------------------------------

def faces(pdf: Path) -> list[tuple[str, str]]:
    """(face, embedded) for each font pdffonts lists, without the subset tag."""
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [(row.split()[0].split("+", 1)[-1], row.split()[-5]) for row in out.splitlines()[2:]]


def test_chinese_headings_are_set_in_an_embedded_bold_cjk_face(demo: Built) -> None:
    """A bold weight of Noto Sans CJK SC is embedded in every Chinese leaflet and booklet (headings, labels, the
    summary and the phone number are bold, as in English), next to the regular one."""
    chinese = [pdf for pdf in [*demo.leaflets(), *demo.booklets()] if pdf.parent.name == "zh-hans"]
    assert len(chinese) == 47 + 24
    for pdf in chinese:
        assert {("Noto-Sans-CJK-SC", "yes"), ("Noto-Sans-CJK-SC-Bold", "yes")} <= set(faces(pdf)), f"{pdf}: {faces(pdf)}"


def test_a_day_open_all_day_reads_24_hours(demo: Built) -> None:
    """The funeral home's line open day and night reads "Open 24 hours, every day" (全天24小时开放), never
    "Monday to Sunday, 00:00–24:00"; no printed page shows 24:00."""
    for pdf in [*demo.leaflets(), *demo.booklets()]:
        text = "".join(pages_of(pdf))
        assert not re.search(r"\b24:00|00:00\s*[–-]", text), pdf
    for lang in ("zh-Hans", "en"):
        funeral = squeezed("".join(pages_of(demo.print / "leaflets" / lang.lower() / "funeral-subsidy.pdf")))
        assert squeezed(str(Words(demo.catalogue, lang)._("Open 24 hours, every day"))) in funeral, lang


# words -----------------------------------------------------------------------------------------------------

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
MARKER = re.compile(r"^\s*(?:•|\d+\.(?=\s))\s*")  # a list item's bullet or number


@lru_cache(maxsize=None)
def jieba_words(text: str) -> tuple[str, ...]:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return tuple(jieba.cut(text))


def word_ends(text: str) -> frozenset[int]:
    """Where jieba ends a word of the text (segmented as it is written, spaces and all), as offsets in
    squeezed(text)."""
    ends, at = set(), 0
    for word in jieba_words(text):
        at += len(squeezed(word))
        ends.add(at)
    return frozenset(ends)


def printed_texts(catalogue: Catalogue, w: Words, services: list[str]) -> list[str]:
    """The texts a leaflet or a booklet prints for these services, each printed as a block of its own (a heading,
    a paragraph, a list item, a place's address or hours), and the booklets' titles, descriptions and steps."""
    texts: list[str] = [str(w._("More about this service on the web page: scan the code."))]
    for sid in services:
        view = service_view(catalogue, catalogue.by_id["services"][sid], w)
        texts += [view["name"], view["summary"], *view["description"], *view["eligibility"], *view["documents"],
                  *view["steps"], view["cost"], view["time"], view["deadline"]]
        texts += [text for way in view["ways"] for text in (way["label"], way["text"], *way["lines"])]
    for entry in [*catalogue.audiences, *catalogue.life_events]:
        texts += [w.text(entry.name), w.text(entry.description)]
        texts += [w.text(step.title) for step in getattr(entry, "steps", ())]
    return [str(text) for text in texts if text]


def split_words(pdf: Path, texts: list[str]) -> list[str]:
    """Every line break inside one of `texts` (found in the PDF's lines joined up, the longest text first, each
    place claimed once) that falls inside a Chinese word, by jieba's segmentation of the whole text, or between a
    number and the word after it (100|周岁, 15|年)."""
    flat, breaks = "", set()
    for page in pages_of(pdf):
        for line in page.splitlines():
            if line.strip():
                flat += squeezed(MARKER.sub("", line))
                breaks.add(len(flat))
    found, claimed = [], set()
    written = {squeezed(text): text for text in sorted(texts, key=len)}
    for text in sorted(written, key=len, reverse=True):
        start = flat.find(text)
        while len(text) > 1 and start >= 0:
            inside = set(range(start + 1, start + len(text)))
            if not inside & claimed:
                claimed |= inside
                for at in sorted(inside & breaks):
                    cut = at - start
                    before, after = text[cut - 1], text[cut]
                    if HAN.match(before) and HAN.match(after) and cut not in word_ends(written[text]):
                        found.append(f"{pdf.parent.name}/{pdf.name}: {text[:cut]}|{text[cut:]} (jieba: "
                                     f"{'/'.join(jieba_words(written[text]))})")
                    elif before.isdigit() and HAN.match(after):
                        found.append(f"{pdf.parent.name}/{pdf.name}: {text[:cut]}|{text[cut:]} (a number and its unit)")
            start = flat.find(text, start + 1)
    return found


def test_the_word_check_can_fail() -> None:
    assert 3 not in word_ends("每月可以领高龄津贴")  # 每月可|以领
    assert 4 in word_ends("每月可以领高龄津贴")  # 每月可以|领
    assert {4, 5, 8, 10} <= word_ends("社会保障 卡 100周岁") and 9 not in word_ends("社会保障 卡 100周岁")  # no spaces


def test_chinese_lines_break_between_words(demo: Built) -> None:
    """Pango breaks Chinese between any two characters ("100周|岁以上", "可|以补交", "镇政|府"); a leaflet or booklet
    breaks a line of a paragraph, list item or heading only where jieba ends a word, and keeps a number with its
    unit (100周岁, 1180元, 15年)."""
    checked, found = 0, []
    for lang in demo.catalogue.directory.languages:
        if not lang.startswith("zh"):
            continue
        w = Words(demo.catalogue, lang)
        everything = printed_texts(demo.catalogue, w, [s.id for s in demo.catalogue.services if s.status != "withdrawn"])
        for pdf in demo.leaflets():
            if demo.lang(pdf) == lang:
                found += split_words(pdf, printed_texts(demo.catalogue, w, [pdf.stem]))
                checked += 1
        for pdf in demo.booklets():
            if demo.lang(pdf) == lang:
                found += split_words(pdf, everything)
                checked += 1
    assert checked == 47 + 24
    assert found == []


# booklets ----------------------------------------------------------------------------------------------------

def test_every_booklet_cover_gives_the_number_to_call_for_help(built: Built) -> None:
    """Page 1 of every booklet says whom to call for help with any of its services (the directory's help and
    feedback line) and how to report a problem with the booklet."""
    books = built.booklets()
    assert books
    number = built.catalogue.directory.feedback["phone"]
    for pdf in books:
        w = Words(built.catalogue, built.lang(pdf))
        shown = w.phone(number).shown
        cover = squeezed(pages_of(pdf, 1, 1)[0])
        assert squeezed(str(w._("For help with any of these, call {phone}.").format(phone=shown))) in cover, pdf
        assert labelled(w, "Report a problem with this booklet", shown) in cover, pdf


# pages -------------------------------------------------------------------------------------------------------

def lines_per_page(pdf: Path) -> list[int]:
    """Lines of text on each page, a page number on a line of its own not counted."""
    return [sum(1 for line in page.splitlines() if line.strip() and not re.fullmatch(r"\s*\d+\s*", line))
            for page in pages_of(pdf)]


def test_no_page_holds_only_a_few_lines(built: Built) -> None:
    """A leaflet's back or a booklet's page is never nearly blank (fewer than FEW_LINES lines): a booklet does not
    start each service on a page of its own, and a leaflet prints larger, or smaller, instead of leaving one or
    two lines alone on its back. And a leaflet is one sheet: two pages at most."""
    nearly_blank = {}
    for pdf in [*built.leaflets(), *built.booklets()]:
        lines = lines_per_page(pdf)
        short = [number for number, count in enumerate(lines, 1) if number > 1 and count < FEW_LINES]
        if short:
            nearly_blank[f"{pdf.parent.parent.name}/{pdf.parent.name}/{pdf.name}"] = lines
        if pdf.parent.parent.name == "leaflets":
            assert len(lines) <= 2, f"{pdf}: {len(lines)} pages"
    assert nearly_blank == {}


# the build ---------------------------------------------------------------------------------------------------

def test_the_demo_build_warns_of_nothing(demo: Built) -> None:
    """`servicedir build --only leaflets,booklets` on the demo prints no warning: no leaflet runs past one sheet,
    WeasyPrint reports nothing. Notices (a description shortened to fit, by rule) may remain."""
    assert [line for line in demo.printed.splitlines() if ": warning: " in line] == []
    assert re.search(r"; no problems( \(\d+ notices?\))?", demo.printed), demo.printed[-500:]
    notices = [line for line in demo.printed.splitlines() if ": notice: " in line]
    assert all(" leaves out paragraph" in line for line in notices), notices  # no page left nearly blank either
