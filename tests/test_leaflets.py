"""Leaflets checked as PDFs: QR codes decoded from a rendering, fonts, text, tags, reproducibility."""
from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from pathlib import Path

import phonenumbers
import pypdfium2
import pytest
import zxingcpp

from generator.build import build, load_catalogue
from generator.model import Catalogue

from .conftest import MINIMAL, ROOT, TODAY, servicedir
from .test_short_codes import published_url

BASE = "https://services.example.org/"


@pytest.fixture(scope="module")
def leaflets(demo_build: Path) -> Path:
    return demo_build / "print" / "leaflets"


def every(leaflets: Path) -> list[Path]:
    return sorted(leaflets.glob("*/*.pdf"))


def test_one_leaflet_per_service_and_language(leaflets: Path) -> None:
    assert len(list((leaflets / "zh-hans").glob("*.pdf"))) == 47
    assert len(list((leaflets / "en").glob("*.pdf"))) == 47


def decode_qr(pdf: Path) -> tuple[str, float, str]:
    """Every page at 150 dpi: the one QR code's text, its printed width in mm, and its symbology."""
    document = pypdfium2.PdfDocument(str(pdf))
    found = []
    try:
        for page in document:
            found += zxingcpp.read_barcodes(page.render(scale=150 / 72).to_pil())
    finally:
        document.close()
    assert len(found) == 1, f"{pdf}: {len(found)} codes"
    code = found[0]
    left = min(p.x for p in (code.position.top_left, code.position.bottom_left))
    right = max(p.x for p in (code.position.top_right, code.position.bottom_right))
    return code.text, (right - left) / 150 * 25.4, str(code.format)


def test_every_qr_code_scans_to_its_page(leaflets: Path) -> None:
    for pdf in every(leaflets):
        lang = {"zh-hans": "zh-Hans", "en": "en"}[pdf.parent.name]
        text, width_mm, symbology = decode_qr(pdf)
        assert text == published_url(BASE, lang, pdf.stem), pdf
        assert "MicroQR" not in symbology and "QR" in symbology
        assert width_mm >= 20, f"{pdf}: {width_mm:.1f} mm"


def test_qr_codes_are_small_versions_with_strong_error_correction() -> None:
    from generator import qr
    code = qr.make(published_url(BASE, "zh-Hans", "employee-social-insurance-registration"), title="t")
    assert code.version <= 5 and code.error in ("Q", "H")
    assert "<title>t</title>" in code.svg


def fonts(pdf: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:]]


def test_chinese_leaflets_embed_a_simplified_chinese_face_subset(leaflets: Path) -> None:
    for pdf in every(leaflets):
        rows = fonts(pdf)
        assert rows, pdf
        for row in rows:
            name, emb, sub = row[0], row[-5], row[-4]
            assert (emb, sub) == ("yes", "yes"), f"{pdf}: {row}"
            if pdf.parent.name == "zh-hans":
                assert "CJK-SC" in name or "CJKsc" in name, f"{pdf}: {name}"
            assert "JP" not in name


def text_of(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_text_comes_back_from_the_pdf(leaflets: Path) -> None:
    zh = re.sub(r"\s+", "", text_of(leaflets / "zh-hans" / "birth-registration.pdf"))
    for expected in ("新生儿出生登记（上户口）", "出生医学证明", "城关派出所户籍窗口", "0579812001 11".replace(" ", ""), "12345"):
        assert expected in zh
    en = " ".join(text_of(leaflets / "en" / "birth-registration.pdf").split())
    for expected in ("Register a birth", "The birth medical certificate", "Monday to Friday, 08:30–12:00 and 14:30–17:30",
                     "0579 8120 0111", published_url(BASE, "en", "birth-registration")):
        assert expected in en


def test_chinese_words_are_kept_whole_without_a_trace_in_the_text(leaflets: Path) -> None:
    """The word joiners that keep a Chinese word on one line (generator/render/pdfs.py) are not in the PDF's text:
    pdftotext gives none, nor any other invisible character, and a search for a word finds it."""
    for pdf in every(leaflets):
        assert not re.search("[\u2060\u200b\u200d\ufeff]", text_of(pdf)), pdf
    document = pypdfium2.PdfDocument(str(leaflets / "zh-hans" / "elderly-allowance.pdf"))
    try:
        hits = 0
        for page in document:
            searcher = page.get_textpage().search("社会保障卡")
            while searcher.get_next():
                hits += 1
    finally:
        document.close()
    assert hits >= 2


def test_word_joiners_go_in_the_text_only() -> None:
    """Between the characters of a Chinese word and after a number, in the body's text: never in the head (the
    PDF's title), a tag, an attribute, an entity (escaping stays as it was) or the QR code's SVG title."""
    from generator.render.pdfs import WORD_JOINER, words_kept

    page = ('<html><head><title>社会保障卡</title></head><body class="b"><p title="社会保障卡">&lt;b&gt;社会保障卡'
            '&amp;100周岁&#34;解放街 12 号，20个工作日</p><svg><title>高龄津贴</title></svg><p>Aged 80</p></body></html>')
    kept = words_kept(page)
    assert kept.replace(WORD_JOINER, "") == page
    assert kept.startswith('<html><head><title>社会保障卡</title></head><body class="b"><p title="社会保障卡">&lt;b&gt;社')
    assert "社\u2060会\u2060保\u2060障\u2060卡&amp;1" in kept  # one word (jieba with plaintext.ZH_WORDS)
    assert "100\u2060周\u2060岁&#34;" in kept and "12 \u2060号" in kept and "20\u2060个\u2060工\u2060作\u2060日" in kept
    assert "<svg><title>高龄津贴</title></svg><p>Aged 80</p>" in kept


def test_a_number_is_joined_to_the_word_after_it_in_every_language() -> None:
    """A word joiner after the space that follows a number (88 Renmin Road, 50 yuan, 20 working days): the space
    stays an ordinary space; across an inline tag too (an opening time is a nobr span), not across a block."""
    from generator.render.pdfs import WORD_JOINER, words_kept

    assert words_kept("<body><p>Aged 80 or over, at 88 Renmin Road: 1,180 yuan.</p></body>") == (
        f"<body><p>Aged 80 {WORD_JOINER}or over, at 88 {WORD_JOINER}Renmin Road: 1,180 {WORD_JOINER}yuan.</p></body>")
    assert words_kept('<body><p>Friday, <span class="nobr">08:30–12:00</span> and</p></body>') == (
        f'<body><p>Friday, <span class="nobr">08:30–12:00</span> {WORD_JOINER}and</p></body>')
    assert words_kept('<body><li>Aged 80</li><li> and over</li></body>') == '<body><li>Aged 80</li><li> and over</li></body>'
    assert words_kept("<body><p>星期一，<span>08:30–11:30</span>和</p></body>").endswith(f"</span>{WORD_JOINER}和</p></body>")
    assert words_kept("<body><p>Tel. 12345 (free)</p></body>") == "<body><p>Tel. 12345 (free)</p></body>"


LANGS = {"zh-hans": "zh-Hans", "en": "en"}
OFFLINE = {"phone", "office", "post", "sms", "village-agent", "kiosk", "tv", "radio", "fax", "home-visit"}  # as docs/print.md says


@pytest.fixture(scope="module")
def demo() -> Catalogue:
    return load_catalogue(ROOT / "catalog")[0]


def squeezed(text: str) -> str:
    """Text without spaces and hyphens: pdftotext joins a word hyphenated across two lines."""
    return re.sub(r"[\s\u00ad-]+", "", text)


def dialled_digits(number: str, region: str) -> str:
    """A number's digits as a reader in the region dials them (national form), worked out here with phonenumbers."""
    parsed = phonenumbers.parse(number, region)
    return re.sub(r"\D", "", phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL))


def test_every_leaflet_gives_back_its_name_summary_and_every_offline_way_to_reach_it(leaflets: Path, demo: Catalogue) -> None:
    """Read as a PDF, every leaflet has its own texts and every number and place a reader without internet
    needs: each offline channel's phone or fax, each office's name and address, the feedback line."""
    region = demo.directory.phone_region
    offices = demo.by_id["offices"]
    checked = 0
    for pdf in every(leaflets):
        lang = LANGS[pdf.parent.name]
        service = demo.by_id["services"][pdf.stem]
        text = text_of(pdf)
        flat, digits = squeezed(text), re.sub(r"\D", "", text)
        for own in (service.name, service.summary):
            assert squeezed(own[lang]) in flat, f"{pdf}: {own[lang]}"
        for channel in service.channels:
            if channel.type not in OFFLINE:
                continue
            for number in (channel.phone, channel.fax):
                if number:
                    assert dialled_digits(number, region) in digits, f"{pdf}: {channel.type} {number} missing"
                    checked += 1
            if channel.office:
                for field in (offices[channel.office].name, offices[channel.office].address):
                    assert squeezed(field[lang]) in flat, f"{pdf}: {field[lang]}"
        assert dialled_digits(demo.directory.feedback["phone"], region) in digits, pdf
    assert checked > 40


def pdf_lang(pdf: Path) -> str:
    """The document language in the PDF's catalogue (/Lang), read from the raw or compressed objects."""
    raw = pdf.read_bytes()
    inflated = [raw]
    for chunk in re.findall(rb"stream\r?\n(.*?)endstream", raw, re.S):
        try:
            inflated.append(zlib.decompressobj().decompress(chunk))
        except zlib.error:
            continue
    found = {m.decode() for blob in inflated for m in re.findall(rb"/Type\s*/Catalog[^>]*?/Lang\s*\(([^)]*)\)", blob)}
    found |= {m.decode() for blob in inflated for m in re.findall(rb"/Lang\s*\(([^)]*)\)[^>]*?/Type\s*/Catalog", blob)}
    assert len(found) == 1, f"{pdf}: /Lang {found}"
    return found.pop()


def pdf_dates(pdf: Path) -> tuple[str, str]:
    info = subprocess.run(["pdfinfo", "-isodates", str(pdf)], capture_output=True, text=True, check=True).stdout
    created = re.search(r"^CreationDate:\s+(\S+)$", info, re.M)
    modified = re.search(r"^ModDate:\s+(\S+)$", info, re.M)
    assert created and modified, f"{pdf}: no dates"
    return created.group(1), modified.group(1)


def test_every_pdf_is_marked_with_its_own_language(demo_build: Path) -> None:
    pdfs = sorted((demo_build / "print").glob("*/*/*.pdf"))
    assert len(pdfs) > 100
    for pdf in pdfs:
        assert pdf_lang(pdf) == LANGS[pdf.parent.name], pdf


def test_every_pdf_is_dated_by_the_review_of_what_it_says_not_by_the_clock(demo_build: Path, demo: Catalogue) -> None:
    """A leaflet's dates are its service's last_reviewed; a booklet's, the latest review among its services."""
    services = demo.by_id["services"]
    for pdf in sorted((demo_build / "print" / "leaflets").glob("*/*.pdf")):
        day = services[pdf.stem].last_reviewed.isoformat()
        assert pdf_dates(pdf) == (f"{day}T00:00:00Z", f"{day}T00:00:00Z"), pdf
    for pdf in sorted((demo_build / "print" / "booklets").glob("*/*.pdf")):
        if pdf.stem.startswith("audience-"):
            ident = pdf.stem.removeprefix("audience-")
            members = [s for s in demo.services if ident in s.audiences]
        else:
            event = demo.by_id["life_events"][pdf.stem.removeprefix("life-event-")]
            in_steps = {sid for step in event.steps for sid in step.services}
            members = [s for s in demo.services if event.id in s.life_events or s.id in in_steps]
        members = [s for s in members if s.status != "withdrawn"]
        assert members, pdf
        day = max(s.last_reviewed for s in members).isoformat()
        assert pdf_dates(pdf) == (f"{day}T00:00:00Z", f"{day}T00:00:00Z"), pdf
    assert len({pdf_dates(p) for p in (demo_build / "print" / "leaflets").glob("*/*.pdf")}) > 3  # not one date for all


def test_tagged_pdf_ua_with_language_and_title(leaflets: Path) -> None:
    raw = (leaflets / "zh-hans" / "birth-registration.pdf").read_bytes()
    info = subprocess.run(["pdfinfo", str(leaflets / "zh-hans" / "birth-registration.pdf")],
                          capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert re.search(r"^Title:\s+新生儿出生登记（上户口）$", info, re.M)
    inflated = b""  # the catalogue sits in a compressed object stream
    for chunk in re.findall(rb"stream\r?\n(.*?)endstream", raw, re.S):
        try:
            inflated += zlib.decompressobj().decompress(chunk)
        except zlib.error:
            continue
    assert b"pdfuaid" in raw + inflated  # the PDF/UA identification in the XMP metadata


def test_two_builds_give_byte_identical_leaflets(leaflets: Path, tmp_path: Path) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SERVICEDIR_TODAY", TODAY)
        build(ROOT / "catalog", tmp_path, parts=("leaflets",))
    again = tmp_path / "print" / "leaflets"
    for pdf in every(leaflets):
        assert (again / pdf.parent.name / pdf.name).read_bytes() == pdf.read_bytes(), pdf


def test_latin_leaflets_stay_small(leaflets: Path) -> None:
    heaviest = max((leaflets / "en").glob("*.pdf"), key=lambda p: p.stat().st_size)
    assert heaviest.stat().st_size < 60_000, heaviest


def test_chinese_leaflets_stay_under_400_kb(leaflets: Path) -> None:
    """Two weights of the CJK face (regular, bold), about 150 KB each (docs/print.md)."""
    heaviest = max((leaflets / "zh-hans").glob("*.pdf"), key=lambda p: p.stat().st_size)
    assert heaviest.stat().st_size < 400_000, heaviest


def body_text_height(pdf: Path, word: str) -> float:
    """The height, in points, of a word's box as pdftotext lays it out (a proxy for the font size)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    boxes = re.findall(rf'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">{word}</word>', out)
    assert boxes, word
    return float(boxes[0][1]) - float(boxes[0][0])


def test_a4_and_large_print_options(tmp_path: Path) -> None:
    shutil.copytree(MINIMAL, tmp_path / "catalog")
    normal = servicedir("build", "--only", "leaflets", "--output", "normal", cwd=tmp_path)
    large = servicedir("build", "--only", "leaflets", "--output", "large", "--paper", "a4", "--large-print", cwd=tmp_path)
    assert normal.returncode == 0 and large.returncode == 0, large.stderr
    info = lambda p: subprocess.run(["pdfinfo", str(p)], capture_output=True, text=True, check=True).stdout
    a5 = tmp_path / "normal" / "print" / "leaflets" / "en" / "farm-subsidy.pdf"
    a4 = tmp_path / "large" / "print" / "leaflets" / "en" / "farm-subsidy.pdf"
    assert "419.528 x 595.276 pts" in info(a5) and "595.276 x 841.89 pts (A4)" in info(a4)
    normal_height, large_height = body_text_height(a5, "Grain"), body_text_height(a4, "Grain")
    assert normal_height >= 12 and large_height >= 16 and large_height / normal_height >= 16 / 12 * 0.95
