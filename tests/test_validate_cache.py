"""The validation cache (generator/cache.py, validate(cache=True)): a file taken from it gives exactly what
checking it again gives, a changed file (or setting) is checked again, and a damaged or forged cache is ignored."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

from generator import cache, loader, validate as validate_module
from generator.problems import Problem
from generator.validate import Loaded, validate

from .conftest import MINIMAL, ROOT, TODAY

CATALOG = Path("catalog")


@pytest.fixture
def cached(catalogue: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The minimal catalogue (the working folder is its parent), with a cache folder of its own."""
    monkeypatch.setenv(cache.DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(cache.OFF_ENV, raising=False)
    return catalogue


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def with_problems(catalogue: Path) -> None:
    """Errors, warnings and notices in several files, from every stage: the loader, the schema, the checks of
    one file (its settings and its dates), and the cross-file checks."""
    services = catalogue / "services"
    farm, birth = services / "farm-subsidy.yml", services / "register-birth.yml"
    shutil.copy(birth, services / "broken-status.yml")
    edit(services / "broken-status.yml", "id: register-birth", "id: broken-status")
    edit(services / "broken-status.yml", "status: active", "status: actve")  # the schema: no data
    (services / "Bad_Name.yml").write_bytes(b"\xef\xbb\xbf" + farm.read_bytes())  # a BOM, a bad file name
    (services / "syntax-error.yml").write_text("id: syntax-error\nname: [unclosed\n", encoding="utf-8")
    (services / "notes.txt").write_text("not a service", encoding="utf-8")
    edit(farm, "2026-10-01", "2025-01-01")  # stale: a date check
    edit(farm, "en: A yearly grant", "en: A <b>yearly</b> grant")  # markup
    edit(farm, "processing_time: P1M", "processing_time: P1M\nprocessing_time: P2M")  # a key twice: the loader
    edit(birth, '"0579-8120-0001"', '"0579-8120"')  # the phone region's rule
    edit(birth, "audiences: [residents]", "audiences: [residents, nobody]")  # cross-file
    edit(birth, "related: [farm-subsidy]", "related: [farm-subsidy, register-birth]")
    edit(birth, "deadline:", "sms: {zh-Hans: 孩子出生后一个月内到镇政府办理出生登记，带上出生证明和户口簿，办理不收费。请提前电话预约，周六也可以到村服务站办理。, "
                             "en: Register your baby at the town hall within a month.}\ndeadline:")
    edit(farm, "online_stage: 1\n", "")  # a notice: incomplete
    edit(catalogue / "providers.yml", "name: {zh-Hans: 县政府, en: County Office}", "name: {zh-Hans: 县政府}")
    edit(catalogue / "offices.yml", 'opens: "14:00"', 'opens: "11:00"')  # overlapping hours


def fresh(**options: Any) -> tuple[list[Problem], Loaded]:
    return validate(CATALOG, cache=False, **options)


def warm(**options: Any) -> tuple[list[Problem], Loaded]:
    return validate(CATALOG, cache=True, **options)


def documents(loaded: Loaded) -> tuple[Any, ...]:
    return ([(d.path, d.shown, d.data) for d in loaded.services],
            {kind: (d.path, d.shown, d.data) for kind, d in loaded.lists.items()}, loaded.service_files)


class Composed:
    """Which files the YAML composer really parses (the real one runs; this only writes their names down)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.files: list[str] = []
        real = loader._compose

        def compose(text: str, shown: str) -> Any:
            self.files.append(shown)
            return real(text, shown)

        monkeypatch.setattr(loader, "_compose", compose)

    def take(self) -> list[str]:
        files, self.files = sorted(self.files), []
        return files


def entries(tmp_path: Path, kind: str = "validate") -> dict[str, Any]:
    """The cache file's entries, read as the cache reads them (whatever the key)."""
    [found] = (tmp_path / "cache" / kind).glob("*.cache")
    blob = found.read_bytes()
    stored = cache.plain_loads(blob[len(cache.MAGIC) + 32:])
    assert stored["name"] == os.path.abspath(CATALOG)
    return stored["entries"]


def cache_file(tmp_path: Path, kind: str = "validate") -> Path:
    [found] = (tmp_path / "cache" / kind).glob("*.cache")
    return found


def rewrite(path: Path, stored: Any) -> None:
    """Write a cache file as the cache writes one (a valid checksum): what a forger could do."""
    payload = pickle.dumps(stored, protocol=5) if not isinstance(stored, bytes) else stored
    path.write_bytes(cache.MAGIC + hashlib.sha256(payload).digest() + payload)


SERVICE_FILES = ["catalog/services/Bad_Name.yml", "catalog/services/broken-status.yml",
                 "catalog/services/farm-subsidy.yml", "catalog/services/register-birth.yml",
                 "catalog/services/syntax-error.yml"]
ALL_FILES = sorted(["catalog/directory.yml", "catalog/audiences.yml", "catalog/life-events.yml",
                    "catalog/providers.yml", "catalog/offices.yml", *SERVICE_FILES])


# 1. A hit gives exactly what a fresh run gives -------------------------------------------------------

def test_a_cache_hit_gives_exactly_the_problems_of_a_fresh_run(cached: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with_problems(cached)
    want, loaded = fresh()
    levels = {p.level for p in want}
    assert levels == {"error", "warning", "notice"}  # the catalogue has all three, in many files and stages
    assert len({p.path for p in want}) >= 6
    for expected in ("catalog/services/broken-status.yml:3:9: error: the text 'actve' is not allowed here",
                     "catalog/services/farm-subsidy.yml:28:16: warning: last reviewed on 2025-01-01",
                     "catalog/services/register-birth.yml:5:24: error: unknown audience 'nobody'",
                     "catalog/services/register-birth.yml:22:12: error: '0579-8120' is not a valid phone number",
                     "catalog/services/Bad_Name.yml:1:1: warning: the file starts with a byte-order mark",
                     "catalog/services/syntax-error.yml:3:1: error: YAML syntax error"):
        assert any(str(p).startswith(expected) for p in want), expected
    composed = Composed(monkeypatch)

    first, cold = warm()  # nothing cached yet: every file is checked, and kept
    assert (first, sorted(cold.checked)) == (want, ALL_FILES)
    assert composed.take() == sorted([*ALL_FILES, "catalog/services/register-birth.yml"])  # + placing a cross-check
    second, hit = warm()  # all from the cache; nothing is parsed but directory.yml
    assert second == want  # the same problems, in the same order, with the same text, line and column
    assert [(p.path, p.line, p.col, p.level, p.message) for p in second] == \
        [(p.path, p.line, p.col, p.level, p.message) for p in want]
    assert "".join(f"{p}\n" for p in second) == "".join(f"{p}\n" for p in want)
    assert hit.checked == ["catalog/directory.yml"]
    # cross-file problems are placed by composing the file again, only then: here the one service they are in
    assert composed.take() == ["catalog/directory.yml", "catalog/services/register-birth.yml"]
    assert documents(hit) == documents(loaded)  # the full documents, as `build` uses them
    assert warm(full=False)[0] == want  # and the lean ones `validate` uses
    assert all(set(d.data) <= set(validate_module.REFERENCE_FIELDS) for d in warm(full=False)[1].services)


def test_dates_are_checked_on_every_run_against_that_day(cached: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with_problems(cached)
    warm()
    composed = Composed(monkeypatch)
    for today in ("2026-06-01", "2025-12-31", "2027-07-01", TODAY):
        monkeypatch.setenv("SERVICEDIR_TODAY", today)
        got, loaded = warm()
        assert composed.take() == ["catalog/directory.yml", "catalog/services/register-birth.yml"]
        assert got == fresh()[0] and loaded.checked == ["catalog/directory.yml"]
        composed.take()
    day = dt.date(2026, 5, 31)  # a day given to validate
    in_future = [str(p) for p in warm(today=day)[0] if "in the future" in p.message]
    assert in_future == [str(p) for p in fresh(today=day)[0] if "in the future" in p.message] == [
        "catalog/services/Bad_Name.yml:28:16: error: last reviewed on 2026-10-01, which is in the future "
        "(today is 2026-05-31)",
        "catalog/services/register-birth.yml:28:16: error: last reviewed on 2026-06-01, which is in the future "
        "(today is 2026-05-31)"]


# 2. A change is checked again, and only it -----------------------------------------------------------

def test_a_changed_file_is_checked_again_and_no_other(cached: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with_problems(cached)
    warm()
    composed = Composed(monkeypatch)
    farm = cached / "services" / "farm-subsidy.yml"
    edit(farm, "en: Farming subsidy", "en: Farm subsidy, revised")
    edit(farm, "2025-01-01", "2026-11-01")  # no longer stale
    got, loaded = warm()
    assert loaded.checked == ["catalog/directory.yml", "catalog/services/farm-subsidy.yml"]
    assert composed.take() == ["catalog/directory.yml", "catalog/services/farm-subsidy.yml",
                               "catalog/services/register-birth.yml"]
    assert got == fresh()[0]
    assert not any("farm-subsidy.yml:28:16: warning" in str(p) for p in got)
    edit(farm, "en: Farm subsidy, revised", "en: Farming subsidy")  # back as it was: that entry was replaced
    assert warm()[1].checked == ["catalog/directory.yml", "catalog/services/farm-subsidy.yml"]
    assert warm()[1].checked == ["catalog/directory.yml"]


def test_added_removed_and_renamed_files(cached: Path) -> None:
    with_problems(cached)
    warm()
    services = cached / "services"
    shutil.copy(services / "farm-subsidy.yml", services / "farm-subsidy-2.yml")  # same bytes, another name
    (services / "syntax-error.yml").unlink()
    got, loaded = warm()
    assert loaded.checked == ["catalog/directory.yml", "catalog/services/farm-subsidy-2.yml"]
    assert got == fresh()[0]
    assert any(str(p).startswith("catalog/services/farm-subsidy-2.yml:2:5: error: id 'farm-subsidy' differs from the "
                                 "file name") for p in got)
    assert "services/syntax-error.yml" not in entries(cached.parent)  # a removed file leaves the cache


def test_files_that_cannot_be_read_are_reported_on_every_run(cached: Path) -> None:
    services = cached / "services"
    (services / "linked.yml").symlink_to(services / "farm-subsidy.yml")
    (services / "folder.yml").mkdir()
    want = fresh()[0]
    assert [str(p) for p in want] == [
        "catalog/services/folder.yml:1:1: error: this catalogue file is not a file",
        "catalog/services/linked.yml:1:1: error: the file is a symbolic link; catalogue files must be regular files "
        "in the catalogue"]
    assert warm()[0] == want
    for _ in range(2):  # never cached: read, and reported, every time
        got, loaded = warm()
        assert got == want
        assert loaded.checked == ["catalog/directory.yml", "catalog/services/folder.yml", "catalog/services/linked.yml"]
    assert sorted(entries(cached.parent)) == ["audiences.yml", "life-events.yml", "offices.yml", "providers.yml",
                                              "services/farm-subsidy.yml", "services/register-birth.yml"]


def test_directory_settings_the_checks_read_invalidate_the_files(cached: Path) -> None:
    with_problems(cached)
    warm()
    directory = cached / "directory.yml"
    edit(directory, "en: Test County", "en: Test County (renamed)")  # a setting no check of another file reads
    got, loaded = warm()
    assert got == fresh()[0] and loaded.checked == ["catalog/directory.yml"]
    for old, new, appears in (
            ("phone_region: CN", "phone_region: US", "is not a valid phone number in region US"),
            ("languages: [zh-Hans, en]", "languages: [zh-Hans, en, es]", "has no 'es' translation"),
            ("phone_region: US", "phone_region: CN\nrequire: [online_stage]", "which directory.yml requires of every service"),
            ("feedback:", "sms_signature: {zh-Hans: 【测试县政务服务中心办公室】, en: '[Test County]'}\nfeedback:",
             "more than the 70 of one text message")):
        edit(directory, old, new)
        got, loaded = warm()
        assert sorted(loaded.checked) == ALL_FILES  # every file is checked again
        assert got == fresh()[0]
        assert appears is None or any(appears in p.message for p in got)
        assert warm()[1].checked == ["catalog/directory.yml"]


def test_a_broken_directory_file_is_a_setting_too(cached: Path) -> None:
    with_problems(cached)
    warm()
    directory = cached / "directory.yml"
    good = directory.read_bytes()
    edit(directory, "phone_region: CN", "phone_region: XX")  # no settings: the files are checked without them
    got, loaded = warm()
    assert got == fresh()[0] and sorted(loaded.checked) == ALL_FILES
    assert not any("not a valid phone number" in p.message for p in got)
    directory.write_bytes(good)
    got, loaded = warm()
    assert got == fresh()[0] and sorted(loaded.checked) == ALL_FILES


# 3. Cross-file checks run on the whole, every time ---------------------------------------------------

def test_cross_file_errors_are_found_when_only_a_list_file_changed(cached: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    warm()
    edit(cached / "providers.yml", "- id: county-office", "- id: county-council")
    composed = Composed(monkeypatch)
    got, loaded = warm()
    assert loaded.checked == ["catalog/directory.yml", "catalog/providers.yml"]  # the services come from the cache
    assert got == fresh()[0]
    assert [str(p) for p in got] == [
        "catalog/offices.yml:3:13: error: unknown provider 'county-office': no such id in catalog/providers.yml",
        "catalog/offices.yml:15:13: error: unknown provider 'county-office': no such id in catalog/providers.yml",
        "catalog/services/farm-subsidy.yml:4:11: error: unknown provider 'county-office': no such id in catalog/providers.yml",
        "catalog/services/register-birth.yml:4:11: error: unknown provider 'county-office': no such id in catalog/providers.yml",
    ]
    assert "catalog/services/farm-subsidy.yml" in composed.take()  # composed again to place the problem
    (cached / "life-events.yml").unlink()  # an optional list file removed
    got, loaded = warm()
    assert got == fresh()[0] and any("there is no catalog/life-events.yml" in p.message for p in got)
    (cached / "services" / "farm-subsidy.yml").unlink()  # a related service removed: its referrers are cached
    got, loaded = warm()
    assert got == fresh()[0] and any("unknown related service 'farm-subsidy'" in p.message for p in got)


# 4. A damaged, foreign or forged cache is ignored ----------------------------------------------------

def test_a_damaged_cache_file_is_ignored_and_replaced(cached: Path) -> None:
    with_problems(cached)
    want = fresh()
    warm()
    path = cache_file(cached.parent)
    good = path.read_bytes()
    for damaged in (good[:len(good) // 2], good[:-1] + bytes([good[-1] ^ 1]), b"", b"\0" * 100,
                    good.replace(cache.MAGIC, b"servicedir cache 0\n")):
        path.write_bytes(damaged)
        got, loaded = warm()
        assert (got, documents(loaded)) == (want[0], documents(want[1]))
        assert sorted(loaded.checked) == ALL_FILES  # nothing was trusted
        assert warm()[1].checked == ["catalog/directory.yml"]  # and the cache was written again


def test_a_forged_or_foreign_entry_is_never_trusted(cached: Path) -> None:
    with_problems(cached)
    want = fresh()
    warm(full=True)
    path = cache_file(cached.parent)
    stored = cache.plain_loads(path.read_bytes()[len(cache.MAGIC) + 32:])
    farm = "services/farm-subsidy.yml"
    digest, kept, lean, dates = stored["entries"][farm]
    forgeries: list[Any] = [
        (digest, kept, lean),  # the wrong shape
        (hashlib.sha256(b"other bytes").digest(), (), lean, dates),  # another content
        (digest, ((0, 1, "error", "x"),), lean, dates),  # a position that cannot be
        (digest, ((1, 1, "fatal", "x"),), lean, dates),  # a level that does not exist
        (digest, ((1, 1, ["error"], "x"),), lean, dates),
        (digest, kept, {**lean, "provider": 1}, dates),  # data cross-checks would trip over
        (digest, kept, {k: v for k, v in lean.items() if k != "audiences"}, dates),
        (digest, kept, {**lean, "channels": [{"office": ["x"]}]}, dates),
        (digest, kept, lean, ((("last_reviewed",), 20260101, 29, 16),)),
        (digest, kept, None, dates),
        "not an entry",
    ]
    for forged in forgeries:
        rewrite(path, {**stored, "entries": {**stored["entries"], farm: forged}})
        got, loaded = warm()
        assert (got, documents(loaded)) == (want[0], documents(want[1])), forged
        assert loaded.checked == ["catalog/directory.yml", "catalog/services/farm-subsidy.yml"], forged
    # whole data that does not agree with the entry: checked again
    data_path = cache_file(cached.parent, "validate-data")
    data = cache.plain_loads(data_path.read_bytes()[len(cache.MAGIC) + 32:])
    rewrite(data_path, {**data, "entries": {**data["entries"], farm: (digest, pickle.dumps({"id": "x"}))}})
    got, loaded = warm(full=True)
    assert (got, documents(loaded)) == (want[0], documents(want[1]))
    assert loaded.checked == ["catalog/directory.yml", "catalog/services/farm-subsidy.yml"]
    # another key (another version of servicedir, other settings) or another catalogue: all ignored
    for foreign in ({**stored, "key": "0" * 64}, {**stored, "name": "/elsewhere/catalog"}, {"key": stored["key"]}):
        rewrite(path, foreign)
        got, loaded = warm()
        assert got == want[0] and sorted(loaded.checked) == ALL_FILES


def test_a_cache_file_that_would_run_code_is_refused(cached: Path, tmp_path: Path) -> None:
    warm()
    marker = tmp_path / "ran"
    # pickle protocol 0: call os.system('touch <marker>') when unpickled
    payload = b"cos\nsystem\n(S'touch " + str(marker).encode() + b"'\ntR."
    rewrite(cache_file(cached.parent), payload)
    got, loaded = warm()
    assert not marker.exists()
    assert got == fresh()[0] == [] and len(loaded.checked) == 7
    with pytest.raises(pickle.UnpicklingError):
        cache.plain_loads(payload)
    with pytest.raises(pickle.UnpicklingError):
        cache.plain_loads(pickle.dumps(Problem("a", 1, 1, "error", "b")))


# 5. Where the cache lives, turning it off, writing it -----------------------------------------------

def test_the_cache_lives_outside_the_catalogue_and_can_be_turned_off(cached: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    warm()
    added = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.relative_to(tmp_path) not in before)
    assert [p for p in added if not p.startswith("cache")] == []  # nothing in the catalogue or the working folder
    assert (tmp_path / "cache" / "CACHEDIR.TAG").read_bytes().startswith(b"Signature: 8a477f597d28d172789f06886806bc55")
    assert not [p for p in added if p.endswith(".tmp")]
    monkeypatch.setenv(cache.OFF_ENV, "1")
    shutil.rmtree(tmp_path / "cache")
    got, loaded = warm()
    assert got == [] and len(loaded.checked) == 7 and not (tmp_path / "cache").exists()
    monkeypatch.delenv(cache.OFF_ENV)
    monkeypatch.delenv(cache.DIR_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.folder() == tmp_path / "xdg" / "servicedir"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.folder() == tmp_path / "home" / ".cache" / "servicedir"


def test_a_cache_that_cannot_be_written_changes_nothing(cached: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    with_problems(cached)
    (tmp_path / "not-a-folder").write_text("x", encoding="utf-8")
    monkeypatch.setenv(cache.DIR_ENV, str(tmp_path / "not-a-folder" / "cache"))
    want = fresh()[0]
    for _ in range(2):
        got, loaded = warm()
        assert got == want and sorted(loaded.checked) == ALL_FILES


def test_old_cache_files_and_leftovers_are_removed(cached: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache" / "validate"
    folder.mkdir(parents=True)
    old, recent, left = folder / ("0" * 32 + ".cache"), folder / ("1" * 32 + ".cache"), folder / ".x.tmp"
    for path in (old, recent, left):
        path.write_bytes(b"x")
    long_ago = dt.datetime.now().timestamp() - (cache.KEEP_DAYS + 1) * 86400
    os.utime(old, (long_ago, long_ago))
    os.utime(left, (long_ago, long_ago))
    warm()
    written = cache.Store("validate", os.path.abspath(CATALOG)).path
    assert written is not None and written.parent == folder
    assert sorted(p.name for p in folder.iterdir()) == sorted([recent.name, written.name])


def test_worker_processes_make_the_same_entries(cached: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with_problems(cached)
    source = (cached / "services" / "register-birth.yml").read_text(encoding="utf-8")
    for i in range(8):
        (cached / "services" / f"birth-{i}.yml").write_text(source.replace("id: register-birth", f"id: birth-{i}"),
                                                            encoding="utf-8")
    want = fresh()
    warm(jobs=1)
    serial = entries(cached.parent)
    serial_data = entries(cached.parent, "validate-data")
    for kind in ("validate", "validate-data"):
        shutil.rmtree(cached.parent / "cache" / kind)
    monkeypatch.setattr(validate_module, "PARALLEL_FROM", 4)
    got, loaded = warm(jobs=2)  # nothing cached: the workers check every service and make the entries
    assert (got, documents(loaded)) == (want[0], documents(want[1])) and len(loaded.checked) == len(ALL_FILES) + 8
    assert entries(cached.parent) == serial and entries(cached.parent, "validate-data") == serial_data
    got, loaded = warm(jobs=2, full=False)
    assert got == want[0] and loaded.checked == ["catalog/directory.yml"]
    got, loaded = warm(jobs=2)
    assert (got, documents(loaded)) == (want[0], documents(want[1])) and loaded.checked == ["catalog/directory.yml"]
    edit(cached / "services" / "birth-3.yml", "en: Register a birth", "en: Register a birth (3)")
    monkeypatch.setattr(validate_module, "PARALLEL_FROM", 1)  # the one changed file, in a worker
    got, loaded = warm(jobs=2, full=False)
    assert got == fresh()[0] and loaded.checked == ["catalog/directory.yml", "catalog/services/birth-3.yml"]


def test_runs_at_the_same_time_share_the_cache_safely(cached: Path, tmp_path: Path) -> None:
    with_problems(cached)
    want = [str(p) for p in fresh()[0]]
    script = ("import sys; from pathlib import Path; from generator.validate import validate; "
              "problems, loaded = validate(Path('catalog'), cache=True, full=sys.argv[1] == 'full'); "
              "print(len(loaded.checked)); print(*problems, sep='\\n')")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SERVICEDIR_TODAY": TODAY}
    for _ in range(2):
        runs = [subprocess.Popen([sys.executable, "-c", script, "full" if i % 2 else "lean"], cwd=tmp_path, env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(4)]
        for run in runs:
            out, err = run.communicate(timeout=120)
            assert (run.returncode, err) == (0, "")
            assert out.splitlines()[1:] == want
    assert not list((tmp_path / "cache").rglob("*.tmp"))
    assert warm()[1].checked == ["catalog/directory.yml"]


def test_the_key_covers_all_the_code_and_data_a_validation_reads() -> None:
    """No module or file of servicedir that validating a catalogue imports or opens is left out of the key
    (NOT_VALIDATION); the demo catalogue has radio and SMS texts, whose checks import the most."""
    script = """if True:
        import os, sys
        from pathlib import Path
        package = os.path.abspath("generator")
        opened = set()

        def hook(event, args):
            if event == "open" and isinstance(args[0], str) and os.path.abspath(args[0]).startswith(package + os.sep):
                opened.add(os.path.abspath(args[0]))

        sys.addaudithook(hook)
        from generator.validate import validate
        validate(Path("catalog"), cache=False)
        opened |= {m.__file__ for n, m in sys.modules.items() if n.split(".")[0] == "generator"}
        print(*sorted(os.path.relpath(path, package) for path in opened), sep="\\n")
    """
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "SERVICEDIR_TODAY": TODAY})
    assert result.returncode == 0, result.stderr
    read = set(result.stdout.split())
    assert {"checks.py", "spoken.py", "plaintext.py", "schemas/service.schema.json"} <= read  # it saw them
    assert {Path(path).parts[0] for path in read} & validate_module.NOT_VALIDATION <= {"__pycache__"}  # .pyc of .py


def test_the_key_follows_the_code_translations_and_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.checks import Context

    ctx = Context(languages=("zh-Hans", "en"), phone_region="CN", today=dt.date(2026, 1, 1))
    key = validate_module.cache_key(ctx)
    assert validate_module.cache_key(Context(**{**vars(ctx), "today": dt.date(2030, 1, 1)})) == key  # not the day
    for other in ({"languages": ("zh-Hans",)}, {"phone_region": "US"}, {"require": frozenset({"cost"})},
                  {"sms_signature": {"en": "[County]"}}):
        assert validate_module.cache_key(Context(**{**vars(ctx), **other})) != key
    assert validate_module.cache_key(None) != key
    extra = tmp_path / "locale"
    (extra / "fr" / "LC_MESSAGES").mkdir(parents=True)
    monkeypatch.setenv("SERVICEDIR_LOCALE_DIRS", str(extra))
    with_folder = validate_module.cache_key(ctx)
    assert with_folder != key
    (extra / "fr" / "LC_MESSAGES" / "servicedir.po").write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    assert validate_module.cache_key(ctx) != with_folder
    code = tmp_path / "code.py"
    code.write_text("a = 1\n", encoding="utf-8")
    first = cache.environment_key([code])
    code.write_text("a = 2\n", encoding="utf-8")
    assert cache.environment_key([code]) != first


# 6. Any edit: a hit after it is what a fresh run gives -----------------------------------------------

FUZZ = settings(database=None, derandomize=True, deadline=None, print_blob=False, max_examples=40)
FARM = (MINIMAL / "services" / "farm-subsidy.yml").read_text(encoding="utf-8")


@FUZZ
@given(position=st.integers(0, len(FARM)), inserted=st.sampled_from(
    ["", "x", "\n", "  ", "\t", ": ", "- ", "'", "#", "{", "]", "zh-Hans: ", "en: <i>x</i>", "2025-01-01", "TODO",
     "\nrelated: [nowhere]", "\naudiences: []", "\nprovider: nobody", "\u2028", "\x85"]),
       removed=st.integers(0, 8))
def test_after_any_edit_the_cache_gives_what_a_fresh_run_gives(position: int, inserted: str, removed: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as patch:
        root = Path(tmp)
        shutil.copytree(MINIMAL, root / "catalog")
        patch.chdir(root)
        patch.setenv("SERVICEDIR_TODAY", TODAY)
        patch.setenv(cache.DIR_ENV, str(root / "cache"))
        patch.delenv(cache.OFF_ENV, raising=False)
        warm()
        farm = root / "catalog" / "services" / "farm-subsidy.yml"
        farm.write_text(FARM[:position] + inserted + FARM[position + removed:], encoding="utf-8")
        want = fresh()
        for _ in range(2):  # the run that checks the file again, then the one that takes it from the cache
            got, loaded = warm()
            assert (got, documents(loaded)) == (want[0], documents(want[1]))
        assert loaded.checked == ["catalog/directory.yml"]
