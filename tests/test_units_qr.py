"""Unit tests of generator/qr.py: short codes and QR codes (written against mutation testing)."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

import pytest

from generator import qr


BASE = "https://services.example.org/"


def test_short_codes_are_seven_lower_case_base32_letters_and_pinned() -> None:
    """Codes printed on leaflets never change; these were published with the first demo build."""
    assert qr.short_code("en", "birth-registration") == "64sskfg"
    assert qr.short_code("zh-Hans", "birth-registration") == "ql3nui2"
    assert qr.short_code("zh-hans", "birth-registration") == "ql3nui2"  # the language tag's case does not count
    assert qr.short_code("en", "Birth-registration") != "64sskfg"  # the id's case does
    assert re.fullmatch(r"[a-z2-7]{7}", qr.short_code("en", "vocational-training-subsidy"))
    assert qr.short_path("en", "birth-registration") == "q/64sskfg/"


def test_qr_svg_is_a_standalone_svg_with_title_and_a_four_module_quiet_zone() -> None:
    data = BASE + qr.short_path("zh-Hans", "employee-social-insurance-registration")
    code = qr.make(data, title="Scan & go")
    assert code.data == data
    assert code.error in ("Q", "H") and 1 <= code.version <= qr.MAX_VERSION
    assert code.svg.startswith("<svg ") and not code.svg.endswith("\n")  # inline: no XML declaration
    root = ElementTree.fromstring(code.svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "width" not in root.attrib and "height" not in root.attrib  # sized by the stylesheet
    side = 17 + 4 * code.version + 2 * 4  # the symbol's modules and a quiet zone of 4 on each side
    assert root.attrib["viewBox"] == f"0 0 {side} {side}"
    assert root.find("{http://www.w3.org/2000/svg}title").text == "Scan & go"


def test_qr_version_5_is_the_largest_allowed() -> None:
    assert qr.make(BASE + "a" * 31, title="t").version == 5  # 60 bytes: the most that version 5-Q holds
    with pytest.raises(ValueError, match=r"version 6; at most 5 is allowed: use a shorter base_url"):
        qr.make(BASE + "a" * 32, title="t")
