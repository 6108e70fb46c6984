"""Languages beyond Chinese and English: a county that also publishes in Uyghur (Arabic script, right to
left) and Tibetan (tests/examples/catalogues/ug-bo, built once with every part). Direction on the site and
on paper, a face for every printed character, noticeboard line breaks, and radio only where numbers can be
read aloud."""
from __future__ import annotations

import functools
import io
import re
import subprocess
import unicodedata
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from fontTools.ttLib import TTFont
from wcwidth import wcswidth

from generator import pdf as weasy
from generator.build import Result, build
from generator.plaintext import wrap
from generator.render import TEMPLATES, Options
from generator.spoken import Speech, speaks

from .browser import chromium
from .conftest import ROOT, TODAY
from .test_leaflets import fonts, pdf_lang, text_of
from .test_site import axe_violations, pages

CATALOGUE = ROOT / "tests" / "examples" / "catalogues" / "ug-bo"
LANGS = {"zh-hans": "zh-Hans", "ug": "ug", "bo": "bo"}  # output folder -> language
DIRECTION = {"zh-Hans": "ltr", "ug": "rtl", "bo": "ltr"}
RADIO_WARNING = "no radio scripts in {lang!r}: numbers cannot be read aloud in that language yet (num2words does not know it)"
TSHEG = "\u0f0b"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    out = tmp_path_factory.mktemp("ug-bo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SERVICEDIR_TODAY", TODAY)
        result = build(CATALOGUE, out)
    return out, result


def test_the_build_warns_once_per_language_it_cannot_read_aloud_and_of_nothing_else(built: tuple[Path, Result]) -> None:
    warnings = [p for p in built[1].problems if p.level != "notice"]
    assert [p.message for p in warnings if p.message.startswith("no radio")] == [
        RADIO_WARNING.format(lang="ug"), RADIO_WARNING.format(lang="bo")]
    # Besides: the interface has no Uyghur or Tibetan translation yet (its words are shown in Chinese, marked).
    # Nothing from WeasyPrint (such as ".notdef glyph rendered"), the site engine, noticeboards or SMS.
    others = [str(p) for p in warnings if not p.message.startswith("no radio") and "translation yet" not in p.message]
    assert others == []


# the site ----------------------------------------------------------------------------------------------

class Tags(HTMLParser):
    """The attributes of <html>, <body>, and of every link that names a language (hreflang)."""

    def __init__(self) -> None:
        super().__init__()
        self.html: dict[str, str | None] = {}
        self.body: dict[str, str | None] = {}
        self.languages: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.html = a
        elif tag == "body":
            self.body = a
        elif tag == "a" and a.get("hreflang"):
            self.languages.append(a)

    @classmethod
    def of(cls, page: Path) -> "Tags":
        parser = cls()
        parser.feed(page.read_text(encoding="utf-8"))
        return parser


def test_every_page_says_its_language_and_direction(built: tuple[Path, Result]) -> None:
    site = built[0] / "site"
    checked = 0
    for folder, lang in LANGS.items():
        for page in sorted((site / folder).rglob("*.html")):
            tags = Tags.of(page)
            assert (tags.html.get("lang"), tags.html.get("dir")) == (lang, DIRECTION[lang]), page
            assert tags.body.get("dir") == DIRECTION[lang], page  # the theme mirrors its own layout from <body>
            others = {a["hreflang"]: a.get("dir") for a in tags.languages}
            assert others == {other: DIRECTION[other] for other in DIRECTION if other != lang} or page.name == "404.html", page
            checked += 1
    assert checked >= 3 * 12
    chooser = Tags.of(site / "index.html")
    assert [(a["href"], a["lang"], a["dir"]) for a in chooser.languages] == [
        ("zh-hans/", "zh-Hans", "ltr"), ("ug/", "ug", "rtl"), ("bo/", "bo", "ltr")]


def test_every_page_of_the_three_languages_has_no_axe_violation(built: tuple[Path, Result]) -> None:
    site = built[0] / "site"
    every = pages(site)
    assert {p.split("/")[0] for p in every} == {"index.html", *LANGS} and len(every) >= 1 + 3 * 12
    outside: list[str] = []
    assert list(axe_violations(site, every, outside)) == []
    assert outside == []


def test_a_phone_link_reads_left_to_right_on_a_uyghur_page(built: tuple[Path, Result]) -> None:
    """After a word in Arabic script, the bidi algorithm would show a number's groups in reverse (0001 8120
    0579); the site's stylesheet isolates phone links. (The fixture's own pages put a Chinese label, left to
    right, before each number, which hides the reversal: so a sentence in Uyghur here, with the built CSS.)"""
    css = (built[0] / "site" / "ug" / "assets" / "servicedir" / "servicedir.css").read_text(encoding="utf-8")
    html = (f'<html dir="rtl" lang="ug"><head><title>t</title><style>{css}</style></head><body><div class="md-typeset">'
            '<p>تېلېفون: <a href="tel:+86-579-8120-0001">0579 8120 0001</a></p></div></body></html>')
    with chromium() as browser:
        page = browser.new_page()
        page.set_content(html)
        groups = page.evaluate("""() => { const text = document.querySelector('a').firstChild, out = [];
            for (const start of [0, 5, 10]) { const range = document.createRange(); range.setStart(text, start);
              range.setEnd(text, start + 4); out.push([range.getBoundingClientRect().x, text.data.slice(start, start + 4)]); }
            return out; }""")
    assert [group for _, group in sorted(groups)] == ["0579", "8120", "0001"], groups


# print: direction --------------------------------------------------------------------------------------

def qr_centre(pdf: Path) -> tuple[str, float]:
    """Page 1 at 150 dpi: the QR code's text and the middle of the code, as a fraction of the page's width."""
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        image = document[0].render(scale=150 / 72).to_pil()
    finally:
        document.close()
    codes = zxingcpp.read_barcodes(image)
    assert len(codes) == 1, f"{pdf}: {len(codes)} codes"
    corners = codes[0].position
    xs = [corners.top_left.x, corners.top_right.x, corners.bottom_left.x, corners.bottom_right.x]
    return codes[0].text, (min(xs) + max(xs)) / 2 / image.width


def test_uyghur_print_is_marked_ug_and_laid_out_right_to_left(built: tuple[Path, Result]) -> None:
    """The QR code sits at the start of its line: on the left in Chinese and Tibetan, on the right in Uyghur."""
    leaflets = sorted((built[0] / "print" / "leaflets").glob("*/*.pdf"))
    assert len(leaflets) == 6
    for pdf in leaflets:
        text, centre = qr_centre(pdf)
        assert text.startswith("https://test.example.org/q/"), pdf
        assert (centre > 0.5) == (pdf.parent.name == "ug"), f"{pdf}: the QR code's middle at {centre:.0%} of the width"
    printed = sorted((built[0] / "print").glob("[lb]*/*/*.pdf"))
    assert len(printed) == 6 + 9
    for pdf in printed:
        assert pdf_lang(pdf) == LANGS[pdf.parent.name], pdf
    from generator.render.booklets import compose as booklet
    from generator.render.leaflets import compose as leaflet
    catalogue = built[1].catalogue
    for lang, direction in DIRECTION.items():
        for page in (leaflet(catalogue, (lang, "register-birth"), Options()), booklet(catalogue, (lang, "life-event", "having-a-child"), Options())):
            assert f'<html lang="{lang}" dir="{direction}">' in page.html, page.path


# print: fonts ------------------------------------------------------------------------------------------

def embedded_faces(pdf: Path) -> set[str]:
    """The PostScript name of each font program embedded in a PDF (FontFile2: TrueType, FontFile3: OpenType;
    read as pydyf writes them, with direct lengths)."""
    raw = pdf.read_bytes()
    names = set()
    for m in re.finditer(rb"\bobj\s*(<<(?:(?!endobj).)*?>>)\s*stream\r?\n", raw, re.S):
        head = m.group(1)
        if not re.search(rb"/Length1\s|/Subtype\s*/OpenType", head):
            continue
        length = re.search(rb"/Length\s+(\d+)", head)
        assert length, head
        data = raw[m.end():m.end() + int(length.group(1))]
        font = TTFont(io.BytesIO(zlib.decompress(data) if b"/FlateDecode" in head else data), lazy=True)
        names.add(font["name"].getDebugName(6) or "?")
    return names


@functools.lru_cache(maxsize=None)
def characters_of(postscript_name: str) -> frozenset[int]:
    """Every character of an installed face, from the whole font file fontconfig has for it (an embedded
    subset maps only the characters drawn in their plain form: not an Arabic letter printed joined)."""
    listing = subprocess.run(["fc-list", "--format", "%{postscriptname}\t%{index}\t%{file}\n"],
                             capture_output=True, text=True, check=True).stdout
    for line in listing.splitlines():
        name, index, file = line.split("\t")
        if name == postscript_name:
            with TTFont(file, fontNumber=int(index), lazy=True) as font:
                return frozenset(font.getBestCmap())
    raise AssertionError(f"{postscript_name} is embedded but not installed")


def without_a_face(pdf: Path) -> set[str]:
    """The characters pdftotext gets back from a PDF that no face embedded in it has: each printed as an
    empty box. Spaces and format controls (the bidi marks pdftotext adds around right-to-left text) print
    nothing."""
    covered = set().union(*(characters_of(name) for name in embedded_faces(pdf)))
    return {f"U+{ord(ch):04X} {ch}" for ch in text_of(pdf)
            if not ch.isspace() and unicodedata.category(ch) != "Cf" and ord(ch) not in covered}


def test_every_printed_character_has_a_glyph_in_a_face_embedded_in_its_pdf(built: tuple[Path, Result]) -> None:
    printed = sorted((built[0] / "print").glob("[lb]*/*/*.pdf"))
    assert len(printed) == 15
    for pdf in printed:
        assert len(embedded_faces(pdf)) == len(fonts(pdf)), pdf  # every embedded font read
        assert without_a_face(pdf) == set(), pdf


# The faces each language's leaflets and booklets use, as pdffonts names them (and DejaVu Sans for Latin letters
# and digits, such as a web address); never the Japanese CJK face, nor a face picked for a few punctuation marks.
FACES = {"zh-hans": {"Noto-Sans-CJK-SC"}, "ug": {"Noto-Sans-Arabic", "Noto-Sans-CJK-SC"},
         "bo": {"Noto-Serif-Tibetan", "Noto-Sans-CJK-SC"}}


def test_each_script_is_printed_in_its_own_face_and_pdfs_stay_small(built: tuple[Path, Result]) -> None:
    """Uyghur in Noto Sans Arabic (not DejaVu's plainer Arabic), Tibetan in Noto Serif Tibetan, and Chinese,
    also the interface's Chinese words in a Uyghur or Tibetan leaflet, in the Simplified Chinese face only."""
    for pdf in sorted((built[0] / "print").glob("[lb]*/*/*.pdf")):
        rows = fonts(pdf)
        assert all((row[-5], row[-4]) == ("yes", "yes") for row in rows), f"{pdf}: {rows}"  # embedded, subset
        names = {row[0].split("+", 1)[1] for row in rows}
        families = {re.sub(r"-Bold$", "", name) for name in names}
        assert FACES[pdf.parent.name] <= families <= FACES[pdf.parent.name] | {"DejaVu-Sans"}, f"{pdf}: {names}"
        assert not any("JP" in name for name in names), f"{pdf}: {names}"
        if pdf.parent.parent.name == "leaflets":
            if pdf.parent.name == "zh-hans":
                assert names == {"Noto-Sans-CJK-SC", "Noto-Sans-CJK-SC-Bold"}, pdf
            assert pdf.stat().st_size < 400_000, f"{pdf}: {pdf.stat().st_size} bytes"


def render(html: str, tmp_path: Path) -> Path:
    """A snippet through the leaflet stylesheet, as a PDF file."""
    head = ('<head><title>t</title><meta name="dcterms.created" content="2026-01-01">'
            '<meta name="dcterms.modified" content="2026-01-01"></head>')
    made = weasy.render(html.replace("<body", head + "<body", 1), TEMPLATES / "print" / "leaflet.css", TEMPLATES / "print")
    path = tmp_path / "snippet.pdf"
    path.write_bytes(made.document)
    return path


def test_the_glyph_check_finds_a_character_no_face_has_and_mongolian_has_its_face(tmp_path: Path) -> None:
    unassigned = render('<html lang="ug" dir="rtl"><body><p>ئاتا \u0378 ئانا</p></body></html>', tmp_path)
    assert without_a_face(unassigned) == {"U+0378 \u0378"}
    mongolian = render('<html lang="mn-Mong"><body><p>ᠮᠣᠩᠭᠣᠯ ᠬᠡᠯᠡ 12345</p></body></html>', tmp_path)
    assert without_a_face(mongolian) == set()
    assert any(row[0].endswith("+Noto-Sans-Mongolian") for row in fonts(mongolian))


def test_a_phone_number_reads_left_to_right_in_uyghur_text(tmp_path: Path) -> None:
    """In right-to-left text the bidi algorithm would print "(951) 555-0100" as "0100-555 )951(" and
    "+86 579 8120 0001" as "86 579 8120 0001+": a phone number is a left-to-right isolate there."""
    from generator.render.leaflets import _unbroken

    assert _unbroken("0579 8120 0001", "zh-Hans") == "0579\u00a08120\u00a00001"  # left-to-right text: as it was
    for number in ("(951) 555-0100", "+86 579 8120 0001"):
        made = render(f'<html lang="ug" dir="rtl"><body><p>تېلېفون: {_unbroken(number, "ug")}</p></body></html>', tmp_path)
        boxes = subprocess.run(["pdftotext", "-bbox", str(made), "-"], capture_output=True, text=True, check=True).stdout
        words = sorted((float(x), word) for x, word in re.findall(r'<word xMin="([\d.]+)"[^>]*>([^<]*\d[^<]*)</word>', boxes))
        assert [word for _, word in words] == number.split(), words  # left to right on the page


# noticeboards ------------------------------------------------------------------------------------------

def whole(text: str) -> re.Pattern[str]:
    """The text as it may be wrapped on a board: a line break (with what starts the next line: indent, list
    marker) only at a space, after a Tibetan tsheg or between Chinese characters; never inside a word."""
    pieces = []
    for word in text.split():
        units = re.findall(rf"[^{TSHEG}]+{TSHEG}*|{TSHEG}+", word)  # Tibetan syllables; other words stay whole
        if re.search(r"[\u4e00-\u9fff]", word):
            units = list(word)
        pieces.append(r"(?:\n[ -]*)?".join(re.escape(u) for u in units))
    return re.compile(r"(?: |\n[ -]*)".join(pieces))


def test_the_word_check_can_fail() -> None:
    assert whole("ཞིང་པར་ལོ་རེར་").search("ཞིང་པར་\n  ལོ་རེར་")
    assert not whole("ཞིང་པར་ལོ་རེར་").search("ཞིང་པར་ལོ་རེ\n  ར་")
    assert whole("ياردەم پۇلى").search("ياردەم\n- پۇلى")
    assert not whole("ياردەم پۇلى").search("يارد\nەم پۇلى")


def test_noticeboards_fit_40_columns_and_keep_every_word_whole(built: tuple[Path, Result]) -> None:
    catalogue = built[1].catalogue
    offices = catalogue.by_id["offices"]
    checked = 0
    for folder, lang in LANGS.items():
        for notice in sorted((built[0] / "print" / "noticeboard" / folder).glob("*.txt")):
            text = notice.read_text(encoding="utf-8")
            assert [line for line in text.splitlines() if wcswidth(line) > 40] == [], notice
            if notice.stem.startswith("area-"):
                continue
            service = catalogue.by_id["services"][notice.stem]
            said = [service.name[lang], service.summary[lang], *service.eligibility[lang], *service.documents[lang]]
            said += [field[lang] for c in service.channels if c.office for field in (offices[c.office].name, offices[c.office].address)]
            for item in said:
                assert whole(item).search(text), f"{notice}: {item!r} is split or missing"
                checked += 1
    assert checked > 20


LONG_TIBETAN = ("ཕྲུ་གུ་སྐྱེས་རྗེས་ཟླ་བ་གཅིག་གི་ནང་དུ་ཐོ་འགོད་བྱེད་དགོས་པ་དང་། ཞིང་པར་ལོ་རེར་རོགས་དངུལ་སྤྲོད་རྒྱུ་ཡིན། "
                "གྲོང་རྡལ་སྲིད་གཞུང་ལ་ཕེབས་ནས་སྐྱེས་པའི་ར་སྤྲོད་ལག་ཁྱེར་དང་ཐེམ་ཐོ་ཁྱེར་ཤོག")
LONG_UYGHUR = "بالا تۇغۇلۇپ بىر ئاي ئىچىدە تىزىملىتىڭ، ئاشلىق تېرىغۇچى دېھقانلار ھەر يىلى ياردەم پۇلى ئالىدۇ."


def test_tibetan_wraps_after_a_tsheg_and_uyghur_at_spaces() -> None:
    lines = wrap(LONG_TIBETAN, 40)
    assert len(lines) >= 3 and all(wcswidth(line) <= 40 for line in lines), lines
    assert all(line.endswith((TSHEG, "།")) for line in lines[:-1]), lines  # after a syllable, never inside one
    assert not any(line.startswith("།") for line in lines)  # a shad never starts a line
    assert "".join(lines).replace(" ", "") == LONG_TIBETAN.replace(" ", "")
    lines = wrap(LONG_UYGHUR, 40)
    assert len(lines) >= 2 and all(wcswidth(line) <= 40 for line in lines), lines
    assert [word for line in lines for word in line.split()] == LONG_UYGHUR.split()


# radio -------------------------------------------------------------------------------------------------

def test_radio_only_in_languages_whose_numbers_can_be_said(built: tuple[Path, Result]) -> None:
    radio = built[0] / "print" / "radio"
    assert sorted(p.name for p in radio.iterdir()) == ["zh-hans"]
    scripts = sorted((radio / "zh-hans").glob("*.txt"))
    assert [p.name for p in scripts] == ["farm-subsidy.txt", "life-event-having-a-child.txt", "register-birth.txt"]
    for script in scripts:
        said = [line for line in script.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
        assert said and not [line for line in said if re.search(r"[A-Za-z0-9]", line)], script  # no digit, no English
    assert "零五七九，八幺二零，零零零幺" in (radio / "zh-hans" / "register-birth.txt").read_text(encoding="utf-8")


def test_spoken_rules_exist_only_where_a_numeral_library_knows_the_language() -> None:
    from num2words import CONVERTER_CLASSES

    assert speaks("zh-Hans") and speaks("en") and not speaks("ug") and not speaks("bo") and not speaks("mn")
    assert not {"ug", "bo", "mn"} & set(CONVERTER_CLASSES)  # nothing to say their numbers with yet
    for lang in ("ug", "bo"):
        with pytest.raises(ValueError, match=f"'{lang}'"):
            Speech(lang)


def test_a_language_without_units_of_its_own_says_durations_in_the_default_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """CLDR has no Tibetan units: Babel gives the root's "1 m" (minute? metre?). Said in Chinese instead,
    marked as Chinese; Uyghur, which has its own, keeps them."""
    from generator.build import load_catalogue
    from generator.present import Words

    monkeypatch.setenv("SERVICEDIR_TODAY", TODAY)
    catalogue = load_catalogue(CATALOGUE)[0]
    tibetan = Words(catalogue, "bo").duration("P1M")
    assert (str(tibetan), tibetan.lang) == ("1个月", "zh-Hans")  # type: ignore[attr-defined]
    assert str(Words(catalogue, "ug").duration("P1M")) == "1 ئاي"
    assert Words(catalogue, "zh-Hans").duration("P20D") == "20天"
