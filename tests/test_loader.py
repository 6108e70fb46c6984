"""Bad bytes and hostile YAML get one clear sentence with a place, never a traceback."""
from __future__ import annotations

import resource
import time
from pathlib import Path

import pytest

from generator.loader import MAX_BYTES, load
from generator.validate import validate

from .conftest import servicedir

SERVICE = "catalog/services/register-birth.yml"


def problems_for(catalogue: Path, content: bytes) -> list[str]:
    (catalogue / "services" / "register-birth.yml").write_bytes(content)
    problems, _ = validate(Path("catalog"))
    return [str(p) for p in problems]


def test_empty_file(catalogue: Path) -> None:
    assert problems_for(catalogue, b"") == [
        f"{SERVICE}:1:1: error: the file is empty; it should hold the catalogue entry as YAML"]


def test_only_comments_is_empty(catalogue: Path) -> None:
    assert problems_for(catalogue, b"# nothing here\n") == [
        f"{SERVICE}:1:1: error: the file is empty; it should hold the catalogue entry as YAML"]


def test_list_instead_of_mapping(catalogue: Path) -> None:
    assert problems_for(catalogue, b"- id: register-birth\n- status: active\n") == [
        f"{SERVICE}:1:1: error: the file holds a list, but it must hold the fields of one entry (id: ..., name: ...) "
        "without '- ' in front"]


def test_binary_junk(catalogue: Path) -> None:
    assert problems_for(catalogue, b"id: x\n\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR") == [
        f"{SERVICE}:4:1: error: the file contains binary data (a NUL byte), not text"]


def test_not_utf8(catalogue: Path) -> None:
    text = "id: register-birth\nname: {zh-Hans: 出生登记}\n".encode("gb18030")
    assert problems_for(catalogue, text) == [
        f"{SERVICE}:2:17: error: byte 0xb3 is not UTF-8; save the file as UTF-8"]


def test_utf16_is_refused(catalogue: Path) -> None:
    assert problems_for(catalogue, "id: x\n".encode("utf-16")) == [
        f"{SERVICE}:1:1: error: the file is saved as UTF-16; save it as UTF-8"]


def test_bom_is_a_warning_and_the_file_still_loads(catalogue: Path) -> None:
    path = catalogue / "services" / "register-birth.yml"
    assert problems_for(catalogue, b"\xef\xbb\xbf" + path.read_bytes()) == [
        f"{SERVICE}:1:1: warning: the file starts with a byte-order mark (BOM); save it as UTF-8 without BOM"]


def test_twenty_megabytes_is_refused_without_reading(catalogue: Path) -> None:
    content = b"id: register-birth\ndescription: {en: '" + b"a" * (20 * 1024 * 1024) + b"'}\n"
    started = time.perf_counter()
    assert problems_for(catalogue, content) == [
        f"{SERVICE}:1:1: error: the file is 21.0 MB; a catalogue file may be at most {MAX_BYTES // 1024} KB"]
    assert time.perf_counter() - started < 5


def test_tab_indentation(catalogue: Path) -> None:
    assert problems_for(catalogue, b"id: register-birth\nname:\n\ten: Register\n") == [
        f"{SERVICE}:3:1: error: a tab is used for indentation; indent with spaces"]


BILLION_LAUGHS = b"""\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_alias_bomb_is_refused_fast_and_small(catalogue: Path) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    found = problems_for(catalogue, BILLION_LAUGHS)
    assert time.perf_counter() - started < 1.0
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50 * 1024  # KiB: under 50 MB more
    assert found == [f"{SERVICE}:2:8: error: YAML aliases ('*a') are not allowed in the catalogue; write the value out"]


def test_explicit_python_tag_is_refused(catalogue: Path) -> None:
    assert problems_for(catalogue, b"id: !!python/object:os.system register-birth\n") == [
        f"{SERVICE}:1:5: error: YAML tags such as '!!python/object:os.system' are not allowed in the catalogue"]


def test_deep_nesting(catalogue: Path) -> None:
    found = problems_for(catalogue, b"id: " + b"[" * 5000 + b"]" * 5000 + b"\n")
    assert len(found) == 1 and found[0].startswith(f"{SERVICE}:1:") and ": error: " in found[0]


def test_plain_scalars_keep_yaml_1_1_surprises_out(tmp_path: Path) -> None:
    """`no`, `12:00` and dates stay text: no Norway problem, no sexagesimal numbers."""
    path = tmp_path / "x.yml"
    path.write_text("a: no\nb: 12:00\nc: 2026-01-02\nd: 3\ne: true\nf: ~\ng: '3'\nh: 1.5\n", encoding="utf-8")
    doc, problems = load(path)
    assert problems == [] and doc is not None
    assert doc.data == {"a": "no", "b": "12:00", "c": "2026-01-02", "d": 3, "e": True, "f": None, "g": "3", "h": 1.5}


@pytest.mark.parametrize("content", [b"", b"\x00\x01", BILLION_LAUGHS, b"\xff\xfe\x00x"])
def test_cli_never_shows_a_traceback(catalogue: Path, content: bytes) -> None:
    (catalogue / "services" / "register-birth.yml").write_bytes(content)
    result = servicedir("validate", cwd=catalogue.parent)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.startswith(SERVICE + ":")


def test_symbolic_links_are_not_followed(catalogue: Path, tmp_path: Path) -> None:
    """A pull request must not make CI read (and echo) a file outside the catalogue."""
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    link = catalogue / "services" / "register-birth.yml"
    link.unlink()
    link.symlink_to(secret)
    problems, _ = validate(Path("catalog"))
    assert [str(p) for p in problems if p.path == SERVICE] == [
        f"{SERVICE}:1:1: error: the file is a symbolic link; catalogue files must be regular files in the catalogue"]
    assert all("root:x" not in p.message for p in problems)


def test_a_folder_where_a_file_belongs(catalogue: Path) -> None:
    (catalogue / "offices.yml").unlink()
    (catalogue / "offices.yml").mkdir()
    problems, _ = validate(Path("catalog"))
    assert "catalog/offices.yml:1:1: error: this catalogue file is not a file" in [str(p) for p in problems]


def test_tab_inside_block_text_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "x.yml"
    path.write_text("id: x\ndescription: |\n  a\n  \tb\n", encoding="utf-8")
    doc, problems = load(path)
    assert problems == [] and doc is not None and doc.data["description"] == "a\n\tb\n"


def test_explicit_str_tag_keeps_text(tmp_path: Path) -> None:
    path = tmp_path / "x.yml"
    path.write_text("a: !!str 12345\nb: 12345\n", encoding="utf-8")
    doc, _ = load(path)
    assert doc is not None and doc.data == {"a": "12345", "b": 12345}
