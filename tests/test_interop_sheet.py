"""Spreadsheets in and out: round trips, errors at the cell, the shipped templates, other encodings."""
from __future__ import annotations

import csv
import io
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import Workbook, load_workbook

from generator.interop.common import LIST_FILES, ImportOptions, InterchangeError, write
from generator.interop.sheet import SHEETS, export, read
from generator.validate import validate

from .conftest import ROOT, TODAY

CATALOGUES = {"demo": ROOT / "catalog", "riverside": ROOT / "tests" / "examples" / "catalogues" / "riverside",
              "ug-bo": ROOT / "tests" / "examples" / "catalogues" / "ug-bo"}
FIXTURES = ROOT / "tests" / "examples" / "interop" / "sheet"
TEMPLATES = ROOT / "templates" / "import"
RIVERSIDE = CATALOGUES["riverside"]


def catalogue_data(folder: Path) -> dict[str, Any]:
    """Every file of a catalogue as YAML data; an absent list file is an empty list."""
    data: dict[str, Any] = {"directory.yml": yaml.safe_load((folder / "directory.yml").read_text(encoding="utf-8"))}
    for name in LIST_FILES.values():
        path = folder / name
        data[name] = (yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None) or []
    for path in sorted((folder / "services").glob("*.yml")):
        data[f"services/{path.name}"] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def import_into(source: Path, target: Path, base: Path | None = None) -> None:
    write(read(source, ImportOptions(), base=base), target)


def error_of(source: Path, base: Path | None = RIVERSIDE) -> list[str]:
    with pytest.raises(InterchangeError) as caught:
        read(source, ImportOptions(), base=base)
    return str(caught.value).splitlines()


@pytest.fixture
def fixtures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixtures copied to the working folder, so that messages name them as bad-status/services.csv."""
    shutil.copytree(FIXTURES, tmp_path, dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SERVICEDIR_TODAY", TODAY)
    return tmp_path


# Round trips ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("name", list(CATALOGUES))
def test_round_trip_gives_back_the_same_catalogue(name: str, fmt: str, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SERVICEDIR_TODAY", TODAY)
    catalogue = CATALOGUES[name]
    files = export(catalogue, tmp_path / "sheet", fmt)
    assert [f.name for f in files] == (["services.xlsx"] if fmt == "xlsx" else [f"{s.name}.csv" for s in SHEETS])
    target = tmp_path / "imported"
    if (catalogue / "assets").is_dir():  # files the directory names (publisher.logo) are not in a spreadsheet:
        shutil.copytree(catalogue / "assets", target / "assets")  # copied first, as docs/interop.md says
    import_into(files[0] if fmt == "xlsx" else tmp_path / "sheet", target)
    original, imported = catalogue_data(catalogue), catalogue_data(target)
    assert list(imported) == list(original)
    for key in original:
        assert imported[key] == original[key], key
    problems, _ = validate(target)
    assert [str(p) for p in problems if p.level == "error"] == []


def test_the_round_trip_keeps_paragraphs_lists_and_texts_that_look_like_formulas(tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue"
    shutil.copytree(RIVERSIDE, catalogue)
    path = catalogue / "services" / "energy-bill-help.yml"
    service = yaml.safe_load(path.read_text(encoding="utf-8"))
    service["summary"]["en"] = "=HYPERLINK(\"https://example.org\") is not a formula here"
    service["summary"]["es"] = "@home: 'quoted', \"double\", comma, and a tab\tinside"
    service["description"]["en"] = "First paragraph.\n\nSecond paragraph,\nwith a line break."
    service["related"] = []
    path.write_text(yaml.safe_dump(service, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for fmt in ("xlsx", "csv"):
        files = export(catalogue, tmp_path / fmt, fmt)
        imported = read(files[0] if fmt == "xlsx" else tmp_path / fmt, ImportOptions())
        again = next(s for s in imported.services if s["id"] == "energy-bill-help")
        assert {k: again[k] for k in service} == service and again.keys() == service.keys(), fmt
    row = next(r for r in csv.reader(io.StringIO((tmp_path / "csv" / "services.csv").read_text(encoding="utf-8-sig")))
               if r[0] == "energy-bill-help")
    assert "'=HYPERLINK(\"https://example.org\") is not a formula here" in row  # a spreadsheet shows it as text
    assert "[]" in row  # related: [] is kept, not left out


def test_export_is_deterministic(tmp_path: Path) -> None:
    for fmt in ("xlsx", "csv"):
        first = export(RIVERSIDE, tmp_path / "one", fmt)
        second = export(RIVERSIDE, tmp_path / "two", fmt)
        assert [f.read_bytes() for f in first] == [f.read_bytes() for f in second]


def test_the_workbook_is_what_an_editor_expects(tmp_path: Path) -> None:
    path, = export(CATALOGUES["demo"], tmp_path / "demo.xlsx", "xlsx")
    workbook = load_workbook(path)
    assert workbook.sheetnames == [s.name for s in SHEETS]
    services, offices = workbook["services"], workbook["offices"]
    header = [c.value for c in services[1]]
    assert header[:8] == ["id", "status", "provider", "audiences", "life_events", "name.zh-Hans", "name.en",
                          "summary.zh-Hans"]
    row = next(r for r in services.iter_rows(min_row=2) if r[0].value == "birth-registration")
    cell = dict(zip(header, row))
    assert cell["audiences"].value == "parents\nresidents"
    assert cell["online_stage"].value == 3 and cell["last_reviewed"].number_format == "yyyy-mm-dd"
    assert cell["description.en"].value.count("\n\n") == 1 and cell["description.en"].alignment.wrap_text
    assert services.freeze_panes == "B2"
    assert any(v.formula1 == '"active,suspended,withdrawn"' for v in services.data_validations.dataValidation)
    hours = dict(zip([c.value for c in offices[1]], offices[2]))["hours"].value
    assert hours == ("mon-fri 08:30-12:00; mon-fri 14:00-17:30; sat 09:00-12:00 [zh-Hans: 周六只办理户籍、社保和医保业务 | "
                     "en: Saturday: household registration, social and health insurance only]")
    workbook.close()


# The shipped templates ------------------------------------------------------------------------------
def test_the_shipped_templates_are_what_the_tool_writes(tmp_path: Path) -> None:
    """Header rows only, a column per language of the directory; regenerate them with export (see
    docs/interop.md, spreadsheets) when the format changes."""
    workbook, = export(FIXTURES / "template", tmp_path / "services-template.xlsx", "xlsx")
    with zipfile.ZipFile(workbook) as made, zipfile.ZipFile(TEMPLATES / "services-template.xlsx") as shipped:
        assert made.namelist() == shipped.namelist()
        for name in made.namelist():  # the contents, not the compressed bytes, which depend on zlib
            assert made.read(name) == shipped.read(name), name
    export(FIXTURES / "template", tmp_path / "csv", "csv")
    assert (tmp_path / "csv" / "services.csv").read_bytes() == (TEMPLATES / "services-template.csv").read_bytes()
    sheets = load_workbook(workbook)
    assert [(ws.title, ws.max_row) for ws in sheets] == [(s.name, 1) for s in SHEETS]
    assert "name.zh-Hans" in [c.value for c in sheets["services"][1]]
    sheets.close()


def test_the_template_filled_in_imports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An editor's first service, typed into the shipped CSV template, into the demo catalogue."""
    monkeypatch.setenv("SERVICEDIR_TODAY", TODAY)
    catalogue = tmp_path / "catalog"
    shutil.copytree(CATALOGUES["demo"], catalogue)
    header = next(csv.reader(io.StringIO((TEMPLATES / "services-template.csv").read_text(encoding="utf-8-sig"))))
    values = {"id": "library-card", "status": "Active", "provider": "civil-affairs", "audiences": "residents",
              "name.zh-Hans": "办理图书证", "name.en": "Get a library card",
              "summary.zh-Hans": "带上身份证，当场办理免费图书证。", "summary.en": "Bring your ID card and get a free card.",
              "description.zh-Hans": "图书证可以在县图书馆借书。", "description.en": "Borrow books at the county library.",
              "eligibility.zh-Hans": "在本县居住的人", "eligibility.en": "Anyone who lives in the county",
              "documents.zh-Hans": "居民身份证", "documents.en": "Your resident ID card",
              "steps.zh-Hans": "出示身份证\n当场领取", "steps.en": "Show your ID card\nTake your card away",
              "cost.free": "yes", "processing_time": "P0D", "online_stage": "1", "last_reviewed": "2026-11-01"}
    folder = tmp_path / "sheet"
    folder.mkdir()
    with open(folder / "services.csv", "w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([header, [values.get(h, "") for h in header]])
    (folder / "channels.csv").write_text("service,type,office\nlibrary-card,office,county-service-centre\n",
                                         encoding="utf-8")
    import_into(folder / "services.csv", catalogue, base=catalogue)
    service = yaml.safe_load((catalogue / "services" / "library-card.yml").read_text(encoding="utf-8"))
    assert service["status"] == "active" and service["cost"] == {"free": True}
    assert service["steps"]["en"] == ["Show your ID card", "Take your card away"]
    problems, _ = validate(catalogue)
    assert [str(p) for p in problems if p.level == "error"] == []


# Errors at the cell ---------------------------------------------------------------------------------
def test_a_bad_status_is_reported_at_its_cell(fixtures: Path) -> None:
    assert error_of(Path("bad-status")) == [
        "bad-status/services.csv:B3: status 'actve' is not allowed; use one of: active, suspended, withdrawn "
        "(did you mean 'active'?)"]
    rows = list(csv.reader(io.StringIO((fixtures / "bad-status" / "services.csv").read_text(encoding="utf-8"))))
    workbook = Workbook()  # as an editor makes it in Excel: one sheet, named Sheet1
    workbook.active.title = "Sheet1"
    for row in rows:
        workbook.active.append(row)
    workbook.save(fixtures / "services.xlsx")
    assert error_of(Path("services.xlsx"))[0] == (
        "services.xlsx:Sheet1!B3: status 'actve' is not allowed; use one of: active, suspended, withdrawn "
        "(did you mean 'active'?)")


def test_every_bad_cell_is_reported_at_once(fixtures: Path) -> None:
    assert error_of(Path("bad-cells")) == [
        "bad-cells/services.csv:J3: last_reviewed '2026-02-30' is not a date; write it YYYY-MM-DD, for example "
        "2026-09-15",
        "bad-cells/services.csv:G4: cost.amount 'twenty' is not a number; write digits only, for example 20 or "
        "12.50 (the currency goes in cost.currency)",
        "bad-cells/services.csv:I5: online_stage '7' is not an online stage; write a whole number from 1 to 5",
        "bad-cells/channels.csv:E3: hours: 'mon-fri 8:30 to 12' is not a period of opening hours; write days and "
        "times such as mon-fri 08:30-12:00; sat 09:00-11:00",
        "bad-cells/channels.csv:D4: a channel of type phone takes no office; it takes: phone, note, hours",
        "bad-cells/channels.csv:A5: there is no service 'bad-stag' in the services sheet (did you mean 'bad-stage'?)",
        "bad-cells/services.csv:A5: the service 'bad-stage' has no channel; give it at least one row in the "
        "channels sheet",
    ]


def test_an_unknown_column_gets_a_suggestion(fixtures: Path) -> None:
    assert error_of(Path("unknown-column"))[0] == \
        "unknown-column/services.csv:F1: unknown column 'sumary.en' (did you mean 'summary.en'?)"


def test_a_column_in_another_language_and_an_unknown_sheet_are_named(fixtures: Path) -> None:
    folder = fixtures / "bad-status"
    text = (folder / "services.csv").read_text(encoding="utf-8").replace("name.es", "name.fr")
    (folder / "services.csv").write_text(text, encoding="utf-8")
    assert error_of(Path("bad-status"))[0] == (
        "bad-status/services.csv:F1: the column 'name.fr' is in fr, which is not one of the directory's languages "
        "(en, es); add it to languages in directory.yml first, or delete the column")
    workbook = Workbook()
    workbook.active.title = "services"
    workbook.create_sheet("chanels")
    workbook.save(fixtures / "two.xlsx")
    assert error_of(Path("two.xlsx")) == [
        "two.xlsx: the sheet 'chanels' is none of services, channels, links, providers, offices, audiences, "
        "life-events, life-event-steps, directory (did you mean 'channels'?); rename or delete it"]


def test_required_fields_are_named_at_their_cell_or_row(fixtures: Path) -> None:
    folder = fixtures / "required"
    folder.mkdir()
    (folder / "services.csv").write_text("id,status,provider,audiences,name,last_reviewed\n"
                                         "food-bank,active,county-health,families,Food bank,2026-10-01\n"
                                         "rent-help,,county-health,families,,2026-10-01\n", encoding="utf-8")
    (folder / "channels.csv").write_text("service,type\nfood-bank,online\nrent-help,phone\n", encoding="utf-8")
    assert error_of(Path("required"), base=None) == [
        "required/services.csv:E1: the column 'name' has no language; name it name.en (the language code after a "
        "dot), or give the language of such columns",
        "required: no column names a language (name.en, summary.en…) and no directory gives one; name the text "
        "columns with their language, or give the language"]
    assert error_of(Path("required")) == [  # untagged columns are in the directory's first language
        "required/services.csv:1:1: the sheet has no column summary.en; every service needs its summary in en, "
        "the default language",
        "required/services.csv:B3: status is empty; it is required for every service",
        "required/services.csv:E3: name.en is empty; every service needs its name in en, the default language",
        "required/channels.csv:B2: a channel of type online needs its url: fill in the url cell",
        "required/channels.csv:B3: a channel of type phone needs its phone: fill in the phone cell"]
    with pytest.raises(InterchangeError) as caught:
        read(Path("required"), ImportOptions(language="es"), base=RIVERSIDE)
    assert "required/services.csv:1:1: the sheet has no column name.en;" in str(caught.value)  # name is name.es


# Into an existing catalogue -------------------------------------------------------------------------
def test_a_services_only_sheet_imports_into_an_existing_catalogue(fixtures: Path) -> None:
    catalogue = fixtures / "riverside"
    shutil.copytree(RIVERSIDE, catalogue)
    imported = read(Path("services-only"), ImportOptions(), base=catalogue)
    assert [p["id"] for p in imported.providers] == ["social-security", "county-health"]  # from the base
    write(imported, catalogue)
    service = yaml.safe_load((catalogue / "services" / "home-repair-grant.yml").read_text(encoding="utf-8"))
    assert service["audiences"] == ["families", "seniors"] and service["cost"] == {"amount": 2500, "currency": "USD"}
    assert service["processing_time"] == "P6W"
    assert service["description"]["en"].count("\n\n") == 1
    assert service["channels"][0]["hours"] == [
        {"days": ["mon", "tue", "wed", "thu", "fri"], "opens": "08:30", "closes": "12:00"},
        {"days": ["mon", "tue", "wed", "thu", "fri"], "opens": "13:00", "closes": "16:30"}]
    assert service["links"][0]["title"] == {"en": "Application form", "es": "Formulario de solicitud"}
    problems, _ = validate(catalogue)
    assert [str(p) for p in problems if p.level == "error"] == []
    assert catalogue_data(catalogue)["providers.yml"] == catalogue_data(RIVERSIDE)["providers.yml"]


def test_without_a_directory_the_languages_come_from_the_columns(fixtures: Path) -> None:
    imported = read(Path("services-only"), ImportOptions(base_url="https://x.example/", timezone="UTC"))
    assert imported.directory == {"base_url": "https://x.example/", "languages": ["en", "es"], "timezone": "UTC"}
    assert any("fill in name, phone_region, feedback" in w for n in imported.report for w in n.warnings)


# Files ----------------------------------------------------------------------------------------------
def test_csv_encodings(fixtures: Path) -> None:
    folder = fixtures / "bad-status"
    text = (folder / "services.csv").read_text(encoding="utf-8").replace("actve", "active").replace(
        "Banco de alimentos", "Banco de alimentos para niños")
    for encoding in ("utf-8", "utf-8-sig"):
        (folder / "services.csv").write_bytes(text.encode(encoding))
        assert read(folder, ImportOptions(), base=RIVERSIDE).services[0]["name"]["es"].endswith("niños")
    (folder / "services.csv").write_bytes(text.encode("utf-16"))
    assert error_of(Path("bad-status")) == [
        "bad-status/services.csv: the file is saved as UTF-16 (\"Unicode text\"); save it as CSV UTF-8"]
    (folder / "services.csv").write_bytes(text.encode("cp1252"))
    assert error_of(Path("bad-status")) == [
        "bad-status/services.csv:2:77: byte 0xf1 is not UTF-8: the file is saved in another encoding (Excel's plain "
        "\"CSV\" uses the computer's own, such as Windows-1252 or GBK); save it as \"CSV UTF-8\" and import it again"]
    (folder / "services.csv").write_bytes(text.replace(",", ";").encode("utf-8"))  # Excel in a comma-decimal locale
    assert read(folder, ImportOptions(), base=RIVERSIDE).services[0]["id"] == "food-bank"


# The compact forms ----------------------------------------------------------------------------------
@pytest.mark.parametrize("typed, periods", [
    ("mon-fri 08:30-12:00; sat 09:00-11:00",
     [{"days": ["mon", "tue", "wed", "thu", "fri"], "opens": "08:30", "closes": "12:00"},
      {"days": ["sat"], "opens": "09:00", "closes": "11:00"}]),
    ("Monday - Wednesday 8:30 – 12:00\nsat,sun 9.00-24:00",
     [{"days": ["mon", "tue", "wed"], "opens": "08:30", "closes": "12:00"},
      {"days": ["sat", "sun"], "opens": "09:00", "closes": "24:00"}]),
    ("fri-mon 22:00-23:00 [Ask at the gate; bring ID]",
     [{"days": ["fri", "sat", "sun", "mon"], "opens": "22:00", "closes": "23:00",
       "note": {"en": "Ask at the gate; bring ID"}}]),
    ("sat 09:00-12:00 [es: Solo sábados | en: Saturdays: only]",
     [{"days": ["sat"], "opens": "09:00", "closes": "12:00",
       "note": {"en": "Saturdays: only", "es": "Solo sábados"}}]),
])
def test_opening_hours_as_editors_type_them(typed: str, periods: list[dict[str, Any]], fixtures: Path) -> None:
    folder = fixtures / "bad-status"
    text = (folder / "services.csv").read_text(encoding="utf-8")
    (folder / "services.csv").write_text(text.replace("actve", "active"), encoding="utf-8")
    with open(folder / "channels.csv", "w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([["service", "type", "phone", "hours"], ["food-bank", "phone", "211", typed],
                                   ["rent-help", "phone", "211", ""]])
    assert read(folder, ImportOptions(), base=RIVERSIDE).services[0]["channels"][0]["hours"] == periods


@pytest.mark.parametrize("typed, message", [
    ("mon-fri", "'mon-fri' is not a period of opening hours"),
    ("mo-fr 25:00-26:00", "'25:00' is not a time"),
    ("weekdays 08:00-12:00", "'weekdays' is not a day"),
    ("mon,mon 08:00-12:00", "mon is named twice in 'mon,mon 08:00-12:00'"),
    ("sat 09:00-12:00 [en: a | Saturdays]", "the note 'Saturdays' has no language"),
])
def test_opening_hours_that_cannot_be_read(typed: str, message: str, fixtures: Path) -> None:
    with open(fixtures / "bad-status" / "channels.csv", "w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([["service", "type", "phone", "hours"], ["food-bank", "phone", "211", typed]])
    assert f"bad-status/channels.csv:D2: hours: {message}" in error_of(Path("bad-status"))[1]
