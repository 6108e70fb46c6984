"""Leaflets checked as PDFs: QR codes decoded from a rendering, fonts, text, tags, reproducibility."""
from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp

from generator.build import build
from generator.qr import short_path

from .conftest import MINIMAL, ROOT, TODAY, servicedir

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
        assert text == BASE + short_path(lang, pdf.stem), pdf
        assert "MicroQR" not in symbology and "QR" in symbology
        assert width_mm >= 20, f"{pdf}: {width_mm:.1f} mm"


def test_qr_codes_are_small_versions_with_strong_error_correction() -> None:
    from generator import qr
    code = qr.make(BASE + short_path("zh-Hans", "employee-social-insurance-registration"), title="t")
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
                     "0579 8120 0111", BASE + short_path("en", "birth-registration")):
        assert expected in en


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
    assert b"/Lang (zh-Hans)" in raw + inflated
    assert b"pdfuaid" in raw + inflated  # the PDF/UA identification in the XMP metadata
    assert re.search(r"^CreationDate:.*2026", info, re.M)  # from last_reviewed, not the clock


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


def test_chinese_leaflets_stay_under_300_kb(leaflets: Path) -> None:
    heaviest = max((leaflets / "zh-hans").glob("*.pdf"), key=lambda p: p.stat().st_size)
    assert heaviest.stat().st_size < 300_000, heaviest


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
