"""Unit tests of generator/validate.py: folders, workers and cross-checks (written against mutation testing)."""
from __future__ import annotations

import gc
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from generator import validate as validate_module
from generator.problems import Problem
from generator.validate import validate


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
