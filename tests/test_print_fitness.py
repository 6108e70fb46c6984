"""Leaflets and booklets read as an older reader and an outreach worker read them (docs/print.md): the number to
call on the front, beside the code; the description's key facts, its key fact whatever a leaflet leaves out; bold
Chinese headings; Chinese lines broken between words only, and a number never parted from the word after it;
'24 hours' said as such; the help line on booklet covers; a page turn that keeps a heading with its list and
leaves no list item alone; no page left nearly blank; and a demo build that warns of nothing.

The demo county (both languages) and Riverside (English and Spanish, incomplete entries) are each built once,
leaflets and booklets, with the command line a publisher runs."""
from __future__ import annotations

import json
import re
import subprocess
from functools import lru_cache
from pathlib import Path

import pytest

from generator.build import load_catalogue
from generator.model import Catalogue
from generator.present import Words, contact_phone
from generator.render import Options, noticeboard
from generator.render.leaflets import described, layouts, service_view

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

def left_out(built: Built, pdf: Path) -> tuple[set[int], int]:
    """The description's paragraphs the build says the leaflet leaves out whole (to fit one sheet), numbered from 1,
    and the one it leaves out but for its key fact (0: none)."""
    found = re.search(rf"leaflet print/leaflets/{pdf.parent.name}/{pdf.name}: leaves out (.*?) to fit one sheet",
                      built.printed)
    if not found:
        return set(), 0
    cut = re.search(r"paragraph (\d+)(?: of the description's \d+)? but for its key fact", found.group(1))
    whole = re.search(r"paragraphs? ([\d, ]+) of the description's", found.group(1)[:cut.start()] if cut else found.group(1))
    return ({int(n) for n in whole.group(1).split(", ")} if whole else set()), (int(cut.group(1)) if cut else 0)


def test_the_key_facts_of_the_description_are_on_the_leaflet(demo: Built) -> None:
    """The old-age allowance's amounts (50, 200 and 600 yuan) and "you do not need to apply" for the farmland
    subsidy, in both languages; and every leaflet prints its description, but for paragraphs the build names as
    left out to fit one sheet at 12 pt (one of them, the key fact's, but for its key fact), and then says the web
    page has more."""
    text = {(pdf.parent.name, pdf.stem): "".join(pages_of(pdf)) for pdf in demo.leaflets()}
    for lang in ("zh-hans", "en"):
        assert [n for n in ("50", "200", "600") if not re.search(rf"(?<![\d,]){n}(?!\d)", text[lang, "elderly-allowance"])] == []
    assert "不用自己到县里申请" in squeezed(text["zh-hans", "farmland-protection-subsidy"])
    assert squeezed("You do not need to apply to the county.") in squeezed(text["en", "farmland-protection-subsidy"])
    for pdf in demo.leaflets():
        w = Words(demo.catalogue, demo.lang(pdf))
        paragraphs, fact = described(w, demo.catalogue.by_id["services"][pdf.stem])
        flat = squeezed(text[pdf.parent.name, pdf.stem])
        gone, cut = left_out(demo, pdf)
        for number, paragraph in enumerate(paragraphs, 1):
            assert (squeezed(paragraph) in flat) != (number in gone or number == cut), f"{pdf}: paragraph {number}"
        if cut:
            assert fact and fact.paragraph == cut and squeezed(fact.text) in flat, pdf
        more = squeezed(str(w._("More about this service on the web page: scan the code.")))
        assert (more in flat) == bool(gone or cut), pdf


def key_fact(built: Built, pdf: Path) -> str:
    """The leaflet's key fact, as the noticeboards pick one (noticeboard.key_fact): the description's first
    sentence with a figure that the headline (the service's name and summary) does not give, with the sentence
    before it when it points back; maybe without its clauses that only say a figure of the headline again. None
    is longer than three lines of a notice: a leaflet always has room for it."""
    w = Words(built.catalogue, built.lang(pdf))
    service = built.catalogue.by_id["services"][pdf.stem]
    return noticeboard.key_fact(w, service, f"{w.text(service.name)} {w.text(service.summary)}")


def missing_key_facts(built: Built, leaflets: list[Path]) -> list[str]:
    """Leaflets without their key fact: one of its clauses (between commas or semicolons: a notice may leave some
    out; the leaflet prints the sentence whole) is not on the leaflet."""
    found = []
    for pdf in leaflets:
        fact, flat = key_fact(built, pdf), squeezed("".join(pages_of(pdf)))
        clauses = [clause for clause in re.split(r"[，,；;]", fact.rstrip("。！？.!?")) if clause.strip()]
        if [clause for clause in clauses if squeezed(clause) not in flat]:
            found.append(f"{pdf.parent.name}/{pdf.name}: {fact}")
    return found


def test_every_leaflet_keeps_its_key_fact(built: Built) -> None:
    """However much of its description a leaflet leaves out to fit one sheet, its key fact stays."""
    assert missing_key_facts(built, built.leaflets()) == []


def test_the_minimum_living_allowance_leaflet_says_what_it_pays(demo: Built) -> None:
    """It left out all four paragraphs of its description, and what the allowance pays with them; the pension
    check's leaflet left out that the check comes every 12 months. Most demo leaflets have a key fact to keep."""
    assert len([pdf for pdf in demo.leaflets() if key_fact(demo, pdf)]) > 40
    text = squeezed("".join(pages_of(demo.print / "leaflets" / "en" / "minimum-living-allowance.pdf")))
    assert squeezed("In 2026 the county's allowance level is 1,180 yuan per person per month.") in text
    text = squeezed("".join(pages_of(demo.print / "leaflets" / "en" / "pension-eligibility-certification.pdf")))
    assert squeezed("If you get a pension, you must confirm every 12 months that you are still alive") in text


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
    """jieba's words, with the public-service words the generator adds to its dictionary (plaintext.ZH_WORDS:
    村代办员, 社会保障卡)."""
    from generator.plaintext import _jieba

    return tuple(_jieba().cut(text))


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


def spaced(text: str) -> str:
    """Text with each run of spaces (no-break ones too) one space, and none at its ends."""
    return re.sub(r"[\s\u00a0]+", " ", text).strip()


def numbers_parted(pdf: Path, texts: list[str]) -> list[str]:
    """Every line break inside one of `texts` (found in the PDF's lines joined up with a space) between a number and
    the word after it ("Service Centre: 88 | Renmin Road", "300,000 | yuan")."""
    flat, breaks = "", set()
    for page in pages_of(pdf):
        for line in page.splitlines():
            if line.strip():
                flat += spaced(MARKER.sub("", line)) + " "
                breaks.add(len(flat) - 1)
    found = []
    for text in {spaced(text) for text in texts}:
        start = flat.find(text)
        while start >= 0:
            for at in sorted(breaks & set(range(start + 1, start + len(text) - 1))):
                if re.search(r"\d$", flat[:at]) and re.match(r"[^\W\d_]", flat[at + 1:]):
                    found.append(f"{pdf.parent.name}/{pdf.name}: {flat[max(start, at - 30):at]}|{flat[at + 1:at + 20]}")
            start = flat.find(text, start + 1)
    return found


def test_a_number_stays_on_the_line_of_the_word_after_it(built: Built) -> None:
    """"88 Renmin Road", "300,000 yuan", "20 working days", "31 December": a line of a paragraph, list item or
    address never ends with the number and starts the next with its word (pdfs.words_kept: a word joiner after the
    space). Every leaflet in a language written with spaces; Chinese is test_chinese_lines_break_between_words's."""
    found, checked = [], 0
    for pdf in built.leaflets():
        lang = built.lang(pdf)
        if not lang.startswith("zh"):
            found += numbers_parted(pdf, printed_texts(built.catalogue, Words(built.catalogue, lang), [pdf.stem]))
            checked += 1
    assert checked >= len([s for s in built.catalogue.services if s.status != "withdrawn"])
    assert found == []


def test_the_number_check_can_fail(tmp_path: Path) -> None:
    """A page of text that breaks after "88" finds the break; the same text unbroken finds none."""
    pdf = tmp_path / "page.pdf"
    from weasyprint import HTML

    HTML(string='<p style="width: 106mm; font: 12pt DejaVu Sans">Example County Government Service Centre: 88 Renmin '
                'Road</p>').write_pdf(pdf)
    text = "Example County Government Service Centre: 88 Renmin Road"
    assert "Centre: 88" in pages_of(pdf)[0] and numbers_parted(pdf, [text])
    from generator.render.pdfs import words_kept

    HTML(string=words_kept(f'<body><p style="width: 106mm; font: 12pt DejaVu Sans">{text}</p></body>')).write_pdf(pdf)
    assert numbers_parted(pdf, [text]) == [] and text in " ".join(pages_of(pdf)[0].split())


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


LIST_ITEM = re.compile(r"^\s*(?:•|\d+\.(?=\s))")  # a list item's first line; the lines after it are indented


def headings(catalogue: Catalogue, w: Words) -> set[str]:
    """Every heading a leaflet or booklet prints, squeezed: services' names, a booklet's sections, a service's parts."""
    found = {w._(label) for label in ("Who can apply", "What you need", "What to do", "Ways to do it")}
    found |= {w.text(s.name) for s in catalogue.services} | {w._("Other related services")}
    found |= {w.text(event.name) for event in catalogue.life_events}
    found |= {w._("Step {number}").format(number=number) + f": {w.text(step.title)}"
              for event in catalogue.life_events for number, step in enumerate(event.steps, 1)}
    return {squeezed(str(heading)) for heading in found}


def page_turns(pages: list[str], heads: set[str], loose: bool = False) -> list[str]:
    """The page turns (pages as pdftotext lays them out) that end a page with a heading, or split a list so that a
    side holds a single item: the foot of a page a heading and one item (allowed when `loose`: the leaflet's
    layout lets it, rather than leave text out), or the head of the next the list's last item (or the end of an
    item) alone."""
    lines = [[line for line in page.splitlines() if line.strip() and not re.fullmatch(r"\s*\d+\s*", line)]
             for page in pages]
    found = []
    for number, (page, following) in enumerate(zip(lines, lines[1:]), 1):
        if squeezed(page[-1]) in heads or squeezed("".join(page[-2:])) in heads:
            found.append(f"page {number} ends with a heading: {page[-1].strip()}")
        if not (LIST_ITEM.match(following[0]) or following[0].startswith(" ")):
            continue  # the next page does not go on with a list
        foot = 0  # the list's items at the foot of the page, after its heading
        for line in reversed(page):
            if squeezed(line) in heads:
                break
            if LIST_ITEM.match(line):
                foot += 1
            elif not line.startswith(" "):
                foot = -1  # not a list
                break
        if foot < 0:
            continue
        head = 0 if LIST_ITEM.match(following[0]) else 1  # the end of an item, then each item
        for line in following:
            if LIST_ITEM.match(line):
                head += 1
            elif not line.startswith(" "):
                break
        if foot == 1 and not loose:  # none: the page ends with the heading, found above
            found.append(f"page {number} ends with a list's heading and one item: {page[-1].strip()}")
        if head < 2:
            found.append(f"page {number + 1} starts with a list's last item alone: {following[0].strip()}")
    return found


def test_a_page_turn_keeps_a_heading_with_its_list_and_leaves_no_item_alone(built: Built) -> None:
    """A reader who turns the sheet in the middle of a list finds at least two of its items on each side: no page
    ends with a heading, or with a heading and one item under it, and no page starts with a list's last item alone
    (leaflet.css). A leaflet may end a page with a heading and one item only when that lets it keep more of its
    description (its layout is "loose", at 12 pt): text is never left out for it."""
    cache = json.loads((built.print / "leaflets" / ".servicedir-cache.json").read_text(encoding="utf-8"))
    found, loose = [], []
    for pdf in [*built.leaflets(), *built.booklets()]:
        w = Words(built.catalogue, built.lang(pdf))
        layout = None
        if pdf.parent.parent.name == "leaflets":
            description, fact = described(w, built.catalogue.by_id["services"][pdf.stem])
            layout = layouts(Options(), description, fact)[cache[f"leaflets/{pdf.parent.name}/{pdf.name}"]["variant"]]
            loose += [f"{pdf.parent.name}/{pdf.stem}"] if layout.loose else []
        found += [f"{pdf.parent.parent.name}/{pdf.parent.name}/{pdf.name}: {turn}"
                  for turn in page_turns(pages_of(pdf), headings(built.catalogue, w), bool(layout and layout.loose))]
    assert found == []
    assert len(loose) <= 5, loose  # the demo's: five English leaflets (at 12 pt: more would not keep their text)


def test_the_page_turn_check_can_fail() -> None:
    """What the demo's leaflets did: a heading and one item at the foot of page 1, the rest on page 2; a list's
    last item alone at the head of page 2; a heading at the foot of a booklet's page."""
    heads = {"Whatyouneed", "Whattodo"}
    front = "Who can apply\n• You are 80\n• You live here\nWhat you need\n• Your ID card, or\n  your passport\n"
    back = "• Your social security card\n• A bank card\nWhat to do\n1. Ask\n"
    assert page_turns([front, back], heads) == ["page 1 ends with a list's heading and one item: your passport"]
    assert page_turns([front, back], heads, loose=True) == []
    front = "What you need\n• Your ID card\n• Your passport\n• Your photo\n"
    assert page_turns([front, "• A bank card\n  (any bank)\nCost: Free\n"], heads) == [
        "page 2 starts with a list's last item alone: • A bank card"]
    assert page_turns([front, "• A bank card\n• A pen\nCost: Free\n"], heads) == []
    assert page_turns(["Cost: Free\nWhat to do\n      1\n", "1. Ask\n2. Wait\n"], heads) == [
        "page 1 ends with a heading: What to do"]


# the build ---------------------------------------------------------------------------------------------------

def test_the_demo_build_warns_of_nothing(demo: Built) -> None:
    """`servicedir build --only leaflets,booklets` on the demo prints no warning: no leaflet runs past one sheet,
    WeasyPrint reports nothing. Notices (a description shortened to fit, by rule) may remain."""
    assert [line for line in demo.printed.splitlines() if ": warning: " in line] == []
    assert re.search(r"; no problems( \(\d+ notices?\))?", demo.printed), demo.printed[-500:]
    notices = [line for line in demo.printed.splitlines() if ": notice: " in line]
    assert all(" leaves out paragraph" in line for line in notices), notices  # no page left nearly blank either
