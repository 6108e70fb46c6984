"""Unit tests of the promises of qr, write, spoken, md/unbroken and validate, written against mutation testing."""
from __future__ import annotations

import errno
import gc
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import markdown
import pytest
from markupsafe import Markup

from generator import qr, validate as validate_module, write
from generator.i18n import Phrase
from generator.problems import Problem
from generator.render import md, unbroken
from generator.spoken import Speech
from generator.validate import validate
from generator.write import STAGING_PREFIX, Staging


BASE = "https://services.example.org/"
NO_SUCH_PID = 4_194_305  # above Linux's PID_MAX_LIMIT: never a running process, so never signalled


# qr: short codes and QR codes ------------------------------------------------------------------

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


# render: md() and unbroken() ---------------------------------------------------------------------

def test_md_makes_markup_inert_for_markdown_and_html() -> None:
    text = "<b>x</b> *y* _z_ [a](javascript:alert(1)) `c` {d} \\ + - . ! | & \" '"
    out = md(text)
    assert "<" not in out and "&lt;b&gt;" in out and "&amp;" in out
    assert r"\*y\*" in out and r"\_z\_" in out and r"\[a\]\(javascript:alert\(1\)\)" in out
    html = markdown.markdown(out)
    assert "<b>" not in html and "<em>" not in html and "<a " not in html and "<code>" not in html
    assert "*y*" in html and "[a](javascript:alert(1))" in html  # shown literally
    assert md("    four spaces make code") == "four spaces make code"  # an indent would start a code block
    assert "=" not in md("Title ===") and html_text(md("a = b")) == "a = b"  # a line of "=" would make a heading


def html_text(markdown_text: str) -> str:
    """What a reader sees of one Markdown paragraph."""
    rendered = markdown.markdown(markdown_text)
    assert rendered.startswith("<p>") and rendered.endswith("</p>"), rendered
    return html.unescape(rendered[3:-4])


def test_md_marks_fallback_words_and_keeps_markup_runs() -> None:
    fallback = Phrase.of([("Opening hours: ", None, False), ("营业时间", "zh-Hans", False), (" *x*", None, False)])
    assert md(fallback) == 'Opening hours: <span lang="zh-Hans">营业时间</span> \\*x\\*'
    built = Phrase.of([("See ", None, False), ("<b>kept</b>", None, True), (" a_b", None, False)])
    assert md(built) == "See <b>kept</b> a\\_b"
    assert md(Phrase("plain *x*")) == "plain \\*x\\*"


def test_md_of_nothing_is_nothing_and_markup_passes_through() -> None:
    assert md(None) == ""
    assert md(Markup("<i>built in code</i>")) == "<i>built in code</i>"
    assert md(12) == "12"


def test_unbroken_keeps_time_ranges_on_one_line_and_escapes_the_rest() -> None:
    out = unbroken("Mon 08:30–12:00 and 14:30 - 17:30 <b>&")
    assert isinstance(out, Markup)
    assert str(out) == ('Mon <span class="nobr">08:30–12:00</span> and <span class="nobr">14:30 - 17:30</span> '
                        "&lt;b&gt;&amp;")
    assert str(unbroken("8:30-9:00")) == '<span class="nobr">8:30-9:00</span>'


# write: the staging folder and the swap ----------------------------------------------------------

def test_text_is_written_as_utf8_and_bytes_as_they_are(tmp_path: Path) -> None:
    root = tmp_path / "out" / "deeper"  # --output may name a folder that does not exist yet
    with Staging(root) as stage:
        stage.write("site/a.txt", "é")
        stage.write("print/b.bin", b"\xff\x00")
    assert (root / "site" / "a.txt").read_bytes() == "é".encode("utf-8")
    assert (root / "print" / "b.bin").read_bytes() == b"\xff\x00"


def test_path_gives_a_folder_in_staging_that_is_swapped_in(tmp_path: Path) -> None:
    with Staging(tmp_path) as stage:
        folder = stage.path("site/en")
        assert folder.is_dir() and stage.dir in folder.parents and not (tmp_path / "site").exists()
        (folder / "index.html").write_text("x", encoding="utf-8")
        assert stage.path("site/en") == folder  # asking again is fine
        assert stage.path("site/a/b").is_dir()
        with pytest.raises(ValueError, match="refusing to write"):
            stage.path("../elsewhere")
    assert (tmp_path / "site" / "en" / "index.html").read_text(encoding="utf-8") == "x"


def test_existing_looks_in_this_build_then_the_previous_one(tmp_path: Path) -> None:
    with Staging(tmp_path) as stage:
        stage.write("site/old.html", "old")
        stage.write("site/both.html", "old")
    with Staging(tmp_path) as stage:
        stage.write("site/both.html", "new")
        assert stage.existing("site/both.html") == stage.dir / "site" / "both.html"
        assert stage.existing("site/old.html") == tmp_path / "site" / "old.html"
        assert stage.existing("site/none.html") is None
        with pytest.raises(ValueError, match="refusing to write"):
            stage.existing("/etc/passwd")


def test_reuse_carries_a_file_over_as_a_hard_link_once(tmp_path: Path) -> None:
    with Staging(tmp_path) as stage:
        stage.write("print/leaflets/en/a.pdf", b"%PDF old")
        stage.write("print/leaflets/en/b.pdf", b"%PDF b")
    inode = (tmp_path / "print" / "leaflets" / "en" / "a.pdf").stat().st_ino
    with Staging(tmp_path) as stage:
        stage.reuse("print/leaflets/en/a.pdf")
        stage.reuse("print/leaflets/en/b.pdf")  # a second file into the same folder
        with pytest.raises(ValueError, match="written twice"):
            stage.write("print/leaflets/en/a.pdf", b"%PDF new")
    carried = tmp_path / "print" / "leaflets" / "en" / "a.pdf"
    assert carried.read_bytes() == b"%PDF old" and carried.stat().st_ino == inode
    assert (tmp_path / "print" / "leaflets" / "en" / "b.pdf").read_bytes() == b"%PDF b"


def test_partial_build_carries_the_kept_parts_as_hard_links(tmp_path: Path) -> None:
    with Staging(tmp_path) as stage:
        stage.write("print/sms/en/a.txt", "sms")
    inode = (tmp_path / "print" / "sms" / "en" / "a.txt").stat().st_ino
    with Staging(tmp_path, keep={"print": ("sms", "radio")}) as stage:  # no radio yet: nothing to keep
        stage.write("print/leaflets/en/x.pdf", b"x")
    assert (tmp_path / "print" / "sms" / "en" / "a.txt").stat().st_ino == inode
    assert not (tmp_path / "print" / "radio").exists()


def test_link_or_copy_copies_where_hard_links_fail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "a"
    source.write_text("x", encoding="utf-8")
    os.utime(source, (1_000_000_000, 1_000_000_000))

    def no_hard_links(src: Any, dst: Any) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(write.os, "link", no_hard_links)
    write._link_or_copy(str(source), str(tmp_path / "b"))
    copy = (tmp_path / "b").stat()
    assert (tmp_path / "b").read_text(encoding="utf-8") == "x"
    assert copy.st_ino != source.stat().st_ino and copy.st_mtime == 1_000_000_000  # a copy, with its date


def two_folders(root: Path) -> None:
    for name in ("a", "b"):
        (root / name).mkdir()
        (root / name / f"{name}.txt").write_text(name, encoding="utf-8")


def test_exchange_swaps_two_folders_in_one_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Relative names, as `--output` gives them by default: the directory descriptor must be the working folder."""
    monkeypatch.chdir(tmp_path)
    two_folders(Path("."))
    assert write._exchange(Path("a"), Path("b")) is True
    assert sorted(os.listdir("a")) == ["b.txt"] and sorted(os.listdir("b")) == ["a.txt"]


def test_exchange_reports_false_where_the_system_cannot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    two_folders(tmp_path)
    with monkeypatch.context() as patch:
        patch.setattr(write.ctypes.util, "find_library", lambda name: None)
        assert write._exchange(tmp_path / "a", tmp_path / "b") is False
    with monkeypatch.context() as patch:
        patch.setattr(write.ctypes, "CDLL", lambda name, use_errno: SimpleNamespace())  # a libc without renameat2
        assert write._exchange(tmp_path / "a", tmp_path / "b") is False
    assert sorted(os.listdir(tmp_path / "a")) == ["a.txt"] and sorted(os.listdir(tmp_path / "b")) == ["b.txt"]


def test_a_link_to_something_that_is_not_a_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    root = tmp_path / "project"
    root.mkdir()
    (root / "site").symlink_to(tmp_path / "file")
    with pytest.raises(NotADirectoryError) as refused:
        with Staging(root) as stage:
            stage.write("site/index.html", "new")
    assert (refused.value.errno, refused.value.strerror, refused.value.filename) == (
        errno.ENOTDIR, "links to something that is not a folder", str(root / "site"))  # the CLI prints strerror
    assert (tmp_path / "file").read_text(encoding="utf-8") == "x"
    assert not list(root.glob(f"{STAGING_PREFIX}*"))


def test_a_linked_output_is_swapped_beside_its_target_not_in_the_system_temp(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The new build must land on the target's own disk: renames are atomic only within one file system."""
    www = tmp_path / "www"
    www.mkdir()
    (www / "old.html").write_text("old", encoding="utf-8")
    root = tmp_path / "project"
    root.mkdir()
    (root / "site").symlink_to(www)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-system-temp"))  # any use of it fails
    with Staging(root) as stage:
        stage.write("site/index.html", "new")
    assert sorted(p.name for p in www.iterdir()) == ["index.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "www"]


def test_stale_staging_folders_go_and_those_of_running_builds_stay(tmp_path: Path) -> None:
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        live = [tmp_path / f"{STAGING_PREFIX}{running.pid}-live{i}" for i in range(5)]
        dead = [tmp_path / f"{STAGING_PREFIX}{NO_SUCH_PID}-dead{i}" for i in range(5)]
        dead += [tmp_path / f"{STAGING_PREFIX}{os.getpid()}-mine", tmp_path / f"{STAGING_PREFIX}junk-x"]
        for folder in live + dead:
            (folder / "site").mkdir(parents=True)
        other = tmp_path / "site"
        other.mkdir()
        write.remove_stale(tmp_path)
        assert [f.name for f in live if not f.exists()] == []
        assert [f.name for f in dead if f.exists()] == []
        assert other.is_dir()
        with pytest.raises(subprocess.TimeoutExpired):  # only asked whether it runs: never signalled
            running.wait(timeout=0.3)
    finally:
        running.kill()
        running.wait()


def test_a_leftover_that_cannot_be_removed_does_not_stop_the_build(tmp_path: Path) -> None:
    (tmp_path / f"{STAGING_PREFIX}{NO_SUCH_PID}-file").write_text("not a folder", encoding="utf-8")
    with Staging(tmp_path) as stage:
        stage.write("site/index.html", "new")
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "new"


def test_alive_asks_without_signalling(monkeypatch: pytest.MonkeyPatch) -> None:
    assert write._alive(NO_SUCH_PID) is False  # (a running process: in the test above)

    def not_yours(pid: int, signal: int) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(write.os, "kill", not_yours)
    assert write._alive(1) is True  # another user's build is running: its folder stays


# validate ------------------------------------------------------------------------------------

def messages(problems: list[Problem]) -> list[str]:
    return [str(p) for p in problems]


def test_a_missing_or_wrong_catalogue_folder_is_one_clear_error(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    problems, loaded = validate(Path("nowhere"))
    assert messages(problems) == ["nowhere:1:1: error: the catalogue folder does not exist"]
    assert loaded.services == [] and loaded.directory is None
    Path("file").write_text("x", encoding="utf-8")
    assert messages(validate(Path("file"))[0]) == ["file:1:1: error: the catalogue folder is not a folder"]


def test_a_missing_or_wrong_services_folder_is_an_error(catalogue: Path) -> None:
    shutil.rmtree(catalogue / "services")
    missing = messages(validate(Path("catalog"))[0])
    assert "catalog/services:1:1: error: the services folder is missing" in missing
    (catalogue / "services").write_text("x", encoding="utf-8")
    assert "catalog/services:1:1: error: the services folder is not a folder" in messages(validate(Path("catalog"))[0])


def test_only_yml_files_are_services_and_other_files_are_named(catalogue: Path) -> None:
    services = catalogue / "services"
    (services / "notes.txt").write_text("x", encoding="utf-8")
    (services / ".hidden.yml").write_text("not: [valid", encoding="utf-8")  # an editor's backup: ignored
    (services / ".DS_Store").write_bytes(b"\x00")
    problems, loaded = validate(Path("catalog"))
    assert messages(problems) == [
        "catalog/services/notes.txt:1:1: warning: ignored: a service file's name must end in .yml"]
    assert loaded.service_files == 2 and sorted(d.data["id"] for d in loaded.services) == ["farm-subsidy", "register-birth"]


def test_problems_of_the_directory_file_are_all_kept(catalogue: Path) -> None:
    directory = catalogue / "directory.yml"
    text = directory.read_text(encoding="utf-8").replace("en: Test County", "en: <b>Test</b> County")
    directory.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert messages(validate(Path("catalog"))[0]) == [
        "catalog/directory.yml:1:1: warning: the file starts with a byte-order mark (BOM); save it as UTF-8 without BOM",
        "catalog/directory.yml:4:3: warning: this looks like HTML or Markdown; texts are plain text and will be "
        "shown exactly as written",
    ]


def test_a_journey_step_whose_service_does_not_list_the_event_is_a_warning(catalogue: Path) -> None:
    events = catalogue / "life-events.yml"
    events.write_text(events.read_text(encoding="utf-8").replace("services: [register-birth]",
                                                                 "services: [register-birth, farm-subsidy]"),
                      encoding="utf-8")
    assert messages(validate(Path("catalog"))[0]) == [
        "catalog/services/farm-subsidy.yml:2:5: warning: this service is a step of the 'having-a-child' journey "
        "but does not list that life event"]
    birth = catalogue / "services" / "register-birth.yml"
    birth.write_text(birth.read_text(encoding="utf-8").replace("life_events: [having-a-child]",
                                                               "life_events: [starting-a-business]"), encoding="utf-8")
    assert "catalog/services/register-birth.yml:6:14: warning: this service is a step of the 'having-a-child' " \
           "journey but does not list that life event" in messages(validate(Path("catalog"))[0])


def test_cross_check_counts_loaded_services_when_no_ids_are_given(catalogue: Path) -> None:
    _, loaded = validate(Path("catalog"))
    assert validate_module.cross_check(loaded) == []
    loaded.services = [d for d in loaded.services if d.data["id"] != "farm-subsidy"]
    assert [p.message for p in validate_module.cross_check(loaded)] == [
        "unknown related service 'farm-subsidy': no such id in catalog/services/"]


def test_today_is_the_given_date_or_today_in_the_directory_time_zone(
        catalogue: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stale = ("catalog/services/farm-subsidy.yml:28:16: warning: last reviewed on 2026-10-01, more than 12 months ago; "
             "check the entry and update the date")
    assert stale in messages(validate(Path("catalog"), today=date(2027, 10, 2))[0])
    asked: list[str] = []

    def today_in(timezone: str) -> date:
        asked.append(timezone)
        return date(2027, 10, 2)

    monkeypatch.delenv("SERVICEDIR_TODAY")
    monkeypatch.setattr(validate_module.checks, "today_in", today_in)
    assert stale in messages(validate(Path("catalog"))[0]) and asked == ["Asia/Shanghai"]


def test_a_life_events_file_that_fails_its_schema_does_not_stop_the_cross_checks(catalogue: Path) -> None:
    (catalogue / "life-events.yml").write_text("- id: having-a-child\n  kind: life\n", encoding="utf-8")
    assert messages(validate(Path("catalog"))[0]) == ["catalog/life-events.yml:1:3: error: missing required field 'name'"]


def test_validate_leaves_the_garbage_collector_as_it_found_it(catalogue: Path) -> None:
    assert gc.isenabled()
    validate(Path("catalog"))
    assert gc.isenabled()
    gc.disable()
    try:
        validate(Path("catalog"))
        assert not gc.isenabled()
    finally:
        gc.enable()


def many_services(catalogue: Path, count: int) -> None:
    """`count` more valid services (copies of farm-subsidy), one broken file and one with a wrong phone number."""
    source = (catalogue / "services" / "farm-subsidy.yml").read_text(encoding="utf-8")
    for i in range(count):
        (catalogue / "services" / f"farm-subsidy-{i}.yml").write_text(
            source.replace("id: farm-subsidy", f"id: farm-subsidy-{i}"), encoding="utf-8")
    (catalogue / "services" / "broken.yml").write_text("id: broken\nstatus: [", encoding="utf-8")
    birth = (catalogue / "services" / "register-birth.yml").read_text(encoding="utf-8")
    (catalogue / "services" / "wrong-phone.yml").write_text(
        birth.replace("id: register-birth", "id: wrong-phone").replace('"0579-8120-0001"', '"0579-8120"'),
        encoding="utf-8")


def summary(problems: list[Problem], loaded: validate_module.Loaded) -> tuple[list[str], list[tuple[str, str, str]]]:
    return messages(problems), [(str(d.path), d.shown, d.data["id"]) for d in loaded.services]


def test_worker_processes_give_what_one_process_gives(catalogue: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    many_services(catalogue, 9)  # 13 files: several chunks for two workers
    serial = summary(*validate(Path("catalog"), jobs=1))
    assert "catalog/services/wrong-phone.yml:21:12: error: '0579-8120' is not a valid phone number in region CN" \
        in serial[0]  # a check that needs the directory's settings, made in the workers too
    pools: list[tuple[Any, Any]] = []

    class Pool(validate_module.ProcessPoolExecutor):  # type: ignore[misc]
        def __init__(self, workers: Any, mp_context: Any = None) -> None:
            pools.append((workers, mp_context.get_start_method() if mp_context else None))
            super().__init__(workers, mp_context=mp_context)

    monkeypatch.setattr(validate_module, "ProcessPoolExecutor", Pool)
    monkeypatch.setattr(validate_module.os, "cpu_count", lambda: 4)  # --jobs wins over the number of cores
    monkeypatch.setattr(validate_module, "PARALLEL_FROM", 13)  # from exactly this many files
    problems, loaded = validate(Path("catalog"), jobs=2, full=False)
    assert pools == [(2, "fork")]  # --jobs workers, forked after the schemas are compiled
    assert summary(problems, loaded) == serial and len(loaded.services) == 12
    assert all(set(d.data) <= set(validate_module.REFERENCE_FIELDS) for d in loaded.services)  # lean, from workers
    assert loaded.services[0].data["channels"] == [{"office": "village-point"}]
    full = validate(Path("catalog"), jobs=2)[1]  # full data by default, from workers too
    assert [d.data for d in full.services] == [d.data for d in validate(Path("catalog"), jobs=1)[1].services]


def test_jobs_default_to_the_cores(catalogue: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    many_services(catalogue, 2)
    monkeypatch.setattr(validate_module, "PARALLEL_FROM", 2)
    monkeypatch.setattr(validate_module.os, "cpu_count", lambda: 2)
    assert all(set(d.data) <= set(validate_module.REFERENCE_FIELDS) for d in validate(Path("catalog"), full=False)[1].services)
    monkeypatch.setattr(validate_module.os, "cpu_count", lambda: None)  # unknown: one process
    assert all("summary" in d.data for d in validate(Path("catalog"), full=False)[1].services)


def test_a_worker_chunk_sends_only_what_cross_checks_read(catalogue: Path) -> None:
    (catalogue / "services" / "broken.yml").write_text("id: broken\nstatus: [", encoding="utf-8")
    paths = sorted((catalogue / "services").glob("*.yml"))
    ctx = validate_module.checks.Context(languages=("zh-Hans", "en"), phone_region="CN", today=date(2027, 10, 2))
    lean = validate_module._check_service_chunk(paths, ctx, False)
    assert lean[0][0] is None and [p.level for p in lean[0][1]] == ["error"]  # broken.yml: problems only
    assert lean[1][0] == {"id": "farm-subsidy", "provider": "county-office", "audiences": ["farmers"],
                          "channels": [{"office": "village-point"}]}
    assert [p.message for p in lean[1][1]] == [
        "last reviewed on 2026-10-01, more than 12 months ago; check the entry and update the date"]  # ctx used
    assert lean[2][0]["life_events"] == ["having-a-child"] and lean[2][0]["related"] == ["farm-subsidy"]
    full = validate_module._check_service_chunk(paths, ctx, True)
    assert full[1][0]["summary"]["en"] == "A yearly grant for grain farmers."


def test_without_a_life_events_file_references_to_events_say_so(catalogue: Path) -> None:
    (catalogue / "life-events.yml").unlink()
    assert messages(validate(Path("catalog"))[0]) == [
        "catalog/services/register-birth.yml:6:15: error: unknown life event 'having-a-child': "
        "there is no catalog/life-events.yml"]


# spoken: text for the ear --------------------------------------------------------------------

ZH, EN = Speech("zh-Hans"), Speech("en")


def test_only_languages_whose_numbers_can_be_said_get_spoken_rules() -> None:
    from generator.spoken import speaks

    assert speaks("zh-Hans") and speaks("EN") and not speaks("ug")
    with pytest.raises(ValueError, match=r"^no spoken rules for 'ug': numbers cannot be read aloud in that language"):
        Speech("ug")


@pytest.mark.parametrize(("hours", "minutes", "zh", "en"), [
    (0, 0, "上午零点", "midnight"),
    (0, 30, "上午零点半", "half past twelve in the morning"),
    (2, 0, "上午两点", "two o'clock in the morning"),  # 两, not 二, before 点
    (3, 0, "上午三点", "three o'clock in the morning"),
    (8, 5, "上午八点五分", "eight oh five in the morning"),
    (8, 30, "上午八点半", "half past eight in the morning"),
    (9, 1, "上午九点一分", "nine oh one in the morning"),
    (10, 10, "上午十点十分", "ten ten in the morning"),
    (11, 59, "上午十一点五十九分", "eleven fifty-nine in the morning"),
    (12, 0, "中午十二点", "midday"),
    (12, 30, "中午十二点半", "half past twelve in the afternoon"),
    (12, 45, "中午十二点四十五分", "twelve forty-five in the afternoon"),
    (13, 0, "下午一点", "one o'clock in the afternoon"),
    (13, 5, "下午一点五分", "one oh five in the afternoon"),
    (14, 30, "下午两点半", "half past two in the afternoon"),
    (17, 59, "下午五点五十九分", "five fifty-nine in the afternoon"),
    (18, 0, "晚上六点", "six o'clock in the evening"),
    (22, 15, "晚上十点十五分", "ten fifteen in the evening"),
    (24, 0, "晚上十二点", "midnight"),  # a closing time
])
def test_clock_times_as_said(hours: int, minutes: int, zh: str, en: str) -> None:
    assert (ZH.time(hours, minutes), EN.time(hours, minutes)) == (zh, en)


def test_numbers_in_words_and_long_ones_digit_by_digit() -> None:
    assert ZH.number("1180") == "一千一百八十" and EN.number(21) == "twenty-one"
    assert ZH.number("2.05") == "二点零五" and EN.number("2.05") == "two point zero five"
    assert ZH.number("12345678901234567") == "幺二三四五六七八九零幺二三四五六七"  # no amount has 17 digits
    assert ZH.number("1234567890123456") == "一千二百三十四万五千六百七十八亿九千零一十二万三千四百五十六"  # 16 has
    assert EN.number("12345678901234567").startswith("one two three four five six seven eight nine zero one")
    assert EN.digits("a1b2") == "one two" and ZH.digits("0571") == "零五七幺"
    assert ZH.phone("0579\u00a08120-0111") == "零五七九，八幺二零，零幺幺幺"
    assert EN.phone("(0579) 8120") == "zero five seven nine, eight one two zero"


def test_years_are_read_as_years_only_between_1900_and_2099() -> None:
    assert EN.clean("In 1899, 1950 and 2100.") == (
        "In one thousand, eight hundred and ninety-nine, nineteen fifty and two thousand, one hundred.")
    assert EN.clean("Pay 12.5 yuan or ¥100 (5.5 %).") == (
        "Pay twelve point five yuan or one hundred yuan, five point five per cent.")


@pytest.mark.parametrize(("text", "said"), [
    ("甲（乙）丙", "甲，乙，丙"), ("甲(乙)丙", "甲，乙，丙"), ("甲/乙", "甲或乙"), ("甲、乙", "甲、乙"),
    ("甲%乙", "甲乙"), ("50%", "百分之五十"), ("￥100", "一百元"), ("¥100", "一百元"), ("甲¥乙￥丙", "甲乙丙"),
    ("“甲”《乙》【丙】[丁]", "甲乙丙丁"), ("甲&乙", "甲和乙"), ("甲+乙", "甲加乙"), ("费用3.5元", "费用三点五元"),
    ("甲 乙，，丙。", "甲乙，丙。"), ("，甲，。", "甲。"), ("甲；，乙", "甲；乙"),
    ("甲#乙*丙", "甲乙丙"), ("a=b", "a等于b"), ("甲<乙>丙", "甲乙丙"), ("$5", "五美元"), ("€5", "五欧元"),
    ("甲$乙€丙", "甲乙丙"), ("共３天", "共三天"), ("共٣天", "共三天"), ("08:00-24:00", "上午八点至晚上十二点"),
    ("圆周率3.14159265358979323846", "圆周率三点一四一五九二六五三五八九七九三二三八四六"),
])
def test_chinese_symbols_become_words_or_go(text: str, said: str) -> None:
    assert ZH.clean(text) == said


@pytest.mark.parametrize(("text", "said"), [
    ("a (b) c", "a, b, c"), ("a [b] c", "a, b, c"), ("a/b", "a or b"), ("a & b", "a and b"), ("a+b", "a plus b"),
    ("50%", "fifty per cent"), ("a % b", "a per cent b"), ("¥100", "one hundred yuan"), ("￥ 20", "twenty yuan"),
    ("a¥b￥c", "abc"), ("“a” \"b\"", "a b"), ("a – b", "a to b"), ("a — b", "a, b"), ("*a* #b", "a b"),
    ("a=b", "a is b"), ("<a>", "a"), ("wait…", "wait."), ("3–5 days", "three to five days"),
    ("A  b ,c .", "A b,c."), ("x , , y", "x, y"), (", a ,", "a"), ("a , .", "a."),
    ("a（b）c", "a, b, c"), ("a【b】c", "a, b, c"), ("《a》", "a"), ("$5 or €20", "five dollars or twenty euros"),
    ("a$b€c", "abc"), ("３ days", "three days"), ("Open 08:00-24:00.", "Open eight o'clock in the morning to midnight."),
])
def test_english_symbols_become_words_or_go(text: str, said: str) -> None:
    assert EN.clean(text) == said


def test_the_clause_with_a_web_or_mail_address_is_dropped() -> None:
    assert EN.clean("Call us, or e-mail help@test.example.org.") == "Call us."
    assert EN.clean("Call us, or see www.example.org") == "Call us"  # nothing to carry over
    assert EN.clean("See www.example.org. Call us.") == "Call us."
    assert EN.clean("Call us, see www.example.org.  ") == "Call us."
    assert EN.clean("Hello. Call us, see www.example.org.") == "Hello. Call us."
    assert EN.clean("Call MAX, see www.example.org.") == "Call MAX."
    assert EN.clean("Call us, or visit www.example.org!") == "Call us!"
    assert EN.clean("Call us, or visit www.example.org?") == "Call us?"
    assert ZH.clean("请来窗口，或访问www.example.org！") == "请来窗口！"
    assert ZH.clean("请来窗口，或访问www.example.org？") == "请来窗口？"
    assert EN.clean("Ask at the desk; see https://x.example.org/a?b=1.") == "Ask at the desk."
    assert ZH.clean("请到窗口办理，或登录www.example.org。带上身份证。") == "请到窗口办理。带上身份证。"


def test_long_sentences_split_at_the_clause_break_nearest_the_middle() -> None:
    english = ("Bring your identity card and your household book, the form is at the counter of the town hall, "
               "the staff there will check every paper for you today, and then you wait.")
    assert EN.sentences(english) == [
        "Bring your identity card and your household book, the form is at the counter of the town hall.",
        "The staff there will check every paper for you today, and then you wait."]
    chinese = "请带上身份证和户口本，到镇政府一楼的窗口填写申请表，工作人员会当场审核你的材料，审核通过后十天内发证。"
    assert ZH.sentences(chinese) == ["请带上身份证和户口本，到镇政府一楼的窗口填写申请表。",
                                     "工作人员会当场审核你的材料，审核通过后十天内发证。"]
    twenty = "One two three four five six seven eight nine ten, eleven twelve thirteen fourteen fifteen sixteen " \
             "seventeen eighteen nineteen twenty!"
    assert EN.sentences(twenty) == [twenty]  # 20 words is not too long
    assert EN.sentences("no break here at all " * 5) == ["No break here at all no break here at all no break here "
                                                        "at all no break here at all no break here at all."]
    assert ZH.sentences("你好！谢谢") == ["你好！", "谢谢。"]
    assert ZH.sentences("app里可以办理") == ["app里可以办理。"] and EN.sentences("Call MAX") == ["Call MAX."]


def test_the_break_nearest_the_middle_counts_every_clause_before_it() -> None:
    tie = ("Fill in the form today, the clerk ticks the BOX, the office stamps the form, "
           "you collect the new card at the counter next week.")  # clauses of 5, 5, 5 and 10 words
    assert EN.sentences(tie) == ["Fill in the form today, the clerk ticks the BOX.",  # the first of two equal breaks
                                 "The office stamps the form, you collect the new card at the counter next week."]
    nearer = ("Bring your card and household book to the town hall, the clerk checks them, "
              "you get the new card at the counter two weeks later.")  # 10, 4 and 11 words: 14 is nearer 12.5
    assert EN.sentences(nearer) == ["Bring your card and household book to the town hall, the clerk checks them.",
                                    "You get the new card at the counter two weeks later."]


def test_lower_first_keeps_acronyms_and_chinese() -> None:
    assert [EN.lower_first(x) for x in ("Your ID card", "ID card", "A", "Ab", "ab", "Éclair x")] == [
        "your ID card", "ID card", "A", "ab", "ab", "éclair x"]
    assert ZH.lower_first("Your ID") == "Your ID"


def test_length_timing_and_capacity_at_listeners_speed() -> None:
    assert ZH.length("你好world 世界 it's") == 8  # four characters, two Latin words counting two each
    assert EN.length("a b  c") == 3
    assert ZH.seconds("字" * 200) == 60 and EN.seconds(" ".join(["word"] * 160)) == 60
    assert ZH.seconds("字" * 10 + " word") == 3.6 and EN.seconds("a b") == 0.75
    assert (ZH.capacity(30), EN.capacity(30), ZH.capacity(60), EN.capacity(90)) == (100, 80, 200, 240)
    assert not ZH.too_long("字" * 25) and ZH.too_long("字" * 26)
    assert not EN.too_long(" ".join(["w"] * 20)) and EN.too_long(" ".join(["w"] * 21))


@pytest.mark.parametrize("word", ["and", "or", "but", "nor", "so", "then", "which", "who", "Or", "AND"])
def test_a_tail_clause_cannot_stand_as_a_sentence(word: str) -> None:
    assert not EN._starts_sentence(f"{word} the business closed")
    assert EN._starts_sentence("the business closed today")
    assert not EN._starts_sentence("the business closed")  # three words: too short to stand alone
    assert ZH._starts_sentence("五个字的话") and not ZH._starts_sentence("四个字啊")


def test_a_sentence_dropped_for_its_web_address_leaves_one_end_mark() -> None:
    """Found by mutation testing: the end mark of a dropped sentence was added to one that had its own."""
    from generator.spoken import Speech

    assert Speech("en").clean("Apply online. See www.example.org for forms. Bring your ID.") == "Apply online. Bring your ID."
    assert Speech("zh-Hans").clean("网上申请。详见www.example.org。带上身份证。") == "网上申请。带上身份证。"
    assert Speech("en").clean("Apply online, see www.example.org. Bring your ID.") == "Apply online. Bring your ID."
