"""The command line's promises: exit codes, exact output in every format, nothing written on error."""
from __future__ import annotations

import json
from pathlib import Path

from .conftest import ROOT, servicedir

BROKEN_STATUS = ("status: active", "status: actve")
WHERE = "catalog/services/register-birth.yml:3:9"


def break_status(catalogue: Path) -> None:
    path = catalogue / "services" / "register-birth.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(*BROKEN_STATUS), encoding="utf-8")


def make_stale(catalogue: Path) -> None:
    path = catalogue / "services" / "farm-subsidy.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("2026-10-01", "2025-01-01"), encoding="utf-8")


def test_valid_catalogue_exits_0(catalogue: Path) -> None:
    result = servicedir("validate", cwd=catalogue.parent)
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == "catalog: 2 services checked, no problems\n"


def test_errors_exit_1_with_place_and_sentence(catalogue: Path) -> None:
    break_status(catalogue)
    result = servicedir("validate", cwd=catalogue.parent)
    assert result.returncode == 1
    assert result.stdout == (f"{WHERE}: error: the text 'actve' is not allowed here; "
                             "use one of: active, suspended, withdrawn (did you mean 'active'?)\n")
    assert result.stderr == "catalog: 2 services checked, 1 error\n"


def test_warnings_exit_0_or_2_under_strict(catalogue: Path) -> None:
    make_stale(catalogue)
    line = ("catalog/services/farm-subsidy.yml:28:16: warning: last reviewed on 2025-01-01, "
            "more than 12 months ago; check the entry and update the date\n")
    relaxed = servicedir("validate", cwd=catalogue.parent)
    strict = servicedir("validate", "--strict", cwd=catalogue.parent)
    assert (relaxed.returncode, relaxed.stdout) == (0, line)
    assert (strict.returncode, strict.stdout) == (2, line)


def test_github_format_is_chosen_in_actions(catalogue: Path) -> None:
    break_status(catalogue)
    expected = ("::error file=catalog/services/register-birth.yml,line=3,col=9::the text 'actve' is not allowed here; "
                "use one of%3A active, suspended, withdrawn (did you mean 'active'?)\n")
    explicit = servicedir("validate", "--format", "github", cwd=catalogue.parent)
    automatic = servicedir("validate", cwd=catalogue.parent, env={"GITHUB_ACTIONS": "true"})
    assert explicit.stdout == expected.replace("%3A", ":")
    assert automatic.stdout == explicit.stdout


def test_json_format(catalogue: Path) -> None:
    break_status(catalogue)
    make_stale(catalogue)
    result = servicedir("validate", "--format", "json", cwd=catalogue.parent)
    doc = json.loads(result.stdout)
    assert result.returncode == 1
    assert (doc["errors"], doc["warnings"]) == (1, 1)  # every problem is collected, in every file
    assert [(p["path"], p["line"], p["col"], p["level"]) for p in doc["problems"]] == [
        ("catalog/services/farm-subsidy.yml", 28, 16, "warning"),
        ("catalog/services/register-birth.yml", 3, 9, "error"),
    ]
    assert doc["problems"][1]["message"].startswith("the text 'actve' is not allowed here")


def test_build_writes_nothing_on_error(catalogue: Path) -> None:
    break_status(catalogue)
    result = servicedir("build", cwd=catalogue.parent)
    assert result.returncode == 1
    assert result.stderr.endswith("1 error; nothing was written\n")
    assert not (catalogue.parent / "site").exists() and not (catalogue.parent / "print").exists()
    assert [p.name for p in catalogue.parent.iterdir()] == ["catalog"]


def test_build_strict_refuses_warnings(catalogue: Path) -> None:
    make_stale(catalogue)
    result = servicedir("build", "--strict", cwd=catalogue.parent)
    assert result.returncode == 2
    assert not (catalogue.parent / "site").exists()


def test_build_runs_end_to_end(catalogue: Path) -> None:
    result = servicedir("build", cwd=catalogue.parent)
    assert result.returncode == 0, result.stderr
    assert "built leaflets, booklets, radio, noticeboard, sms, site for 2 services in 2 languages" in result.stderr
    for leaflet in ("print/leaflets/en/register-birth.pdf", "site/leaflets/zh-hans/farm-subsidy.pdf"):
        assert (catalogue.parent / leaflet).read_bytes().startswith(b"%PDF-")
    for page in ("site/index.html", "site/zh-hans/index.html", "site/en/index.html"):
        assert (catalogue.parent / page).is_file()


def test_unknown_part_is_a_usage_error(catalogue: Path) -> None:
    result = servicedir("build", "--only", "posters", cwd=catalogue.parent)
    assert result.returncode == 2
    assert "unknown part 'posters'" in result.stderr and "Traceback" not in result.stderr


def test_missing_catalogue_folder(tmp_path: Path) -> None:
    result = servicedir("validate", "--catalog", "nowhere", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == "nowhere:1:1: error: the catalogue folder does not exist\n"


def test_console_script_and_module_are_the_same_program() -> None:
    script = ROOT / ".venv" / "bin" / "servicedir"
    assert script.exists(), "make build installs the servicedir command into .venv/bin"
    import subprocess
    via_script = subprocess.run([str(script), "--version"], capture_output=True, text=True)
    via_module = servicedir("--version", cwd=ROOT)
    assert via_script.stdout == via_module.stdout and via_script.stdout.startswith("servicedir ")


def test_bad_settings_are_usage_errors_not_tracebacks(catalogue: Path) -> None:
    cases = [
        (("validate",), {"SERVICEDIR_TODAY": "tomorrow"}, "SERVICEDIR_TODAY must be a date written YYYY-MM-DD"),
        (("build", "--base-url", "ftp://x.example.org/"), {}, "must be a web address starting with https://"),
        (("build", "--jobs", "0"), {}, "must be a whole number of 1 or more"),
    ]
    for args, env, message in cases:
        result = servicedir(*args, cwd=catalogue.parent, env=env)
        assert result.returncode == 2, args
        assert message in result.stderr and "Traceback" not in result.stderr


def test_output_that_cannot_be_written(catalogue: Path) -> None:
    (catalogue.parent / "out").write_text("a file, not a folder")
    result = servicedir("build", "--output", "out", cwd=catalogue.parent)
    assert result.returncode == 1
    assert result.stderr.startswith("servicedir: cannot write the outputs in out:") and "Traceback" not in result.stderr


def make_leaflet_long(catalogue: Path) -> None:
    """Sixty steps: valid, but a leaflet that runs past one sheet (a warning raised while rendering)."""
    path = catalogue / "services" / "register-birth.yml"
    zh = ", ".join(f"'到镇政府领取第{i}号表格并填写'" for i in range(60))
    en = ", ".join(f"'Step {i}: go to the town hall and ask for form {i}'" for i in range(60))
    path.write_text(path.read_text(encoding="utf-8").replace("steps: {zh-Hans: [到镇政府办理], en: [Go to the town hall]}",
                                                             f"steps: {{zh-Hans: [{zh}], en: [{en}]}}"), encoding="utf-8")


def test_build_strict_refuses_warnings_raised_while_rendering(catalogue: Path) -> None:
    root = catalogue.parent
    assert servicedir("build", "--only", "leaflets", cwd=root).returncode == 0
    before = {p: p.read_bytes() for p in sorted((root / "print").rglob("*")) if p.is_file()}
    make_leaflet_long(catalogue)
    assert servicedir("validate", "--strict", "--catalog", "catalog", cwd=root).returncode == 0  # only rendering tells
    relaxed = servicedir("build", "--only", "leaflets", "--output", "relaxed", cwd=root)
    assert relaxed.returncode == 0 and "leaflet print/leaflets/en/register-birth.pdf: runs to" in relaxed.stdout
    result = servicedir("build", "--only", "leaflets", "--strict", cwd=root)
    assert result.returncode == 2, result.stderr
    assert "catalog/services/register-birth.yml:1:1: warning: leaflet print/leaflets/en/register-birth.pdf: runs to" in result.stdout
    assert {p: p.read_bytes() for p in sorted((root / "print").rglob("*")) if p.is_file()} == before
