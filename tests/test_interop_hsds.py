"""HSDS 3.0 export and import: the official schema with formats checked, facts kept, the official examples and
messy data imported into catalogues that validate, and the demo county's round trip."""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Iterator

import phonenumbers
import pytest
from jsonschema import Draft202012Validator

from generator import model
from generator.build import build, load_catalogue
from generator.interop import hsds
from generator.interop.common import ImportOptions, Imported, InterchangeError, write
from generator.validate import validate

from .conftest import ROOT

TODAY = "2026-12-01"
STANDARD = ROOT / "tests" / "standards" / "hsds-3.0"
FIXTURES = ROOT / "tests" / "examples" / "interop" / "hsds"
RIVERSIDE = ROOT / "tests" / "examples" / "catalogues" / "riverside"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SERVICEDIR_TODAY", TODAY)


def _load(catalog: Path) -> model.Catalogue:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SERVICEDIR_TODAY", TODAY)
        catalogue, _ = load_catalogue(catalog)
    return catalogue


@pytest.fixture(scope="module")
def demo() -> model.Catalogue:
    return _load(ROOT / "catalog")


@pytest.fixture(scope="module")
def exported(demo: model.Catalogue, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hsds")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SERVICEDIR_TODAY", TODAY)
        hsds.export(demo, out)
    return out


def dataset(out: Path, language: str, name: str = "services") -> list[dict[str, Any]]:
    data = json.loads((out / language / f"{name}.json").read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


@pytest.fixture(scope="module")
def validators() -> dict[str, Draft202012Validator]:
    """The official compiled schemas (they name no $schema: Draft 2020-12), with every format checked."""
    out = {}
    for kind in ("service", "organization", "service_at_location"):
        schema = json.loads((STANDARD / "schema" / f"{kind}.json").read_text(encoding="utf-8"))
        out[kind] = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return out


def errors(validator: Draft202012Validator, record: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(record)]


def attributes(record: dict[str, Any], taxonomy: str, code: str | None = None) -> list[dict[str, Any]]:
    return [a for a in record.get("attributes", []) if a["taxonomy_term"]["taxonomy"] == taxonomy
            and (code is None or a["taxonomy_term"]["code"] == code)]


def by_catalogue_id(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {attributes(r, "servicedir fields", "id")[0]["value"]: r for r in records}


def hsds_number(raw: str, region: str) -> str:
    """What the export must write: E.164 for a full number, the digits for a short one (12345)."""
    parsed = phonenumbers.parse(raw, region)
    if phonenumbers.is_valid_number(parsed):
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return "".join(ch for ch in raw if ch.isdigit() or ch == "+")


def numbers_in(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "number" and isinstance(value, str):
                yield value
            else:
                yield from numbers_in(value)
    elif isinstance(data, list):
        for value in data:
            yield from numbers_in(value)


def schedule_rows(schedules: list[dict[str, Any]]) -> list[tuple[str, str, str, str | None]]:
    return [(s["byday"], s["opens_at"], s["closes_at"], s.get("notes")) for s in schedules]


def hours_rows(hours: tuple[model.Hours, ...], language: str, offset: str) -> list[tuple[str, str, str, str | None]]:
    order = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    return [(",".join(d[:2].upper() for d in order if d in h.days), h.opens + offset, h.closes + offset,
             h.note[language] if h.note else None) for h in hours]


# 1. the demo county's export --------------------------------------------------------------------------
def test_every_record_validates_against_the_official_schema(exported: Path, validators: dict[str, Any]) -> None:
    index = json.loads((exported / "index.json").read_text(encoding="utf-8"))
    assert [d["language"] for d in index["datasets"]] == ["zh-Hans", "en"]
    checked = 0
    for entry in index["datasets"]:
        for record in json.loads((exported / entry["services"]).read_text(encoding="utf-8")):
            assert errors(validators["service"], record) == [], record["name"]
            for place in record.get("service_at_locations", []):  # each place is a service_at_location record too
                assert errors(validators["service_at_location"], place) == []
            checked += 1
        for record in json.loads((exported / entry["organizations"]).read_text(encoding="utf-8")):
            assert errors(validators["organization"], record) == [], record["name"]
    assert checked == 2 * 47


def test_format_checking_is_really_on(exported: Path, validators: dict[str, Any]) -> None:
    """jsonschema skips a format whose checker library is missing: uri needs rfc3986-validator, date-time
    rfc3339-validator. Every format the HSDS schemas use must be checked, and a broken value must fail."""
    used = {"uri", "uuid", "email", "date-time"}
    missing = used - set(Draft202012Validator.FORMAT_CHECKER.checkers)
    assert not missing, f"formats not checked: {missing} (install rfc3986-validator and rfc3339-validator)"
    record = next(r for r in dataset(exported, "en") if r.get("url") and r.get("email"))
    assert errors(validators["service"], record) == []
    breakages: list[tuple[list[Any], Any]] = [
        (["id"], "birth-registration"),  # not a uuid
        (["url"], "zwfw.example.org/no scheme here"),  # not a uri
        (["email"], "nobody-at-example.org"),
        (["organization", "website"], "https://exa mple.org/"),
        (["attributes", 0, "taxonomy_term_id"], "3f7b145d-84af-42d7-8fae"),
        (["last_modified"], "2026-12-01"),  # a date, not a date-time
    ]
    for path, value in breakages:
        broken = copy.deepcopy(record)
        target = broken
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
        found = list(validators["service"].iter_errors(broken))
        assert [e.validator for e in found] == ["format"], (path, value)


@pytest.mark.parametrize("language", ["zh-Hans", "en"])
def test_the_demo_facts_survive(demo: model.Catalogue, exported: Path, language: str) -> None:
    records = by_catalogue_id(dataset(exported, language))
    region = demo.directory.phone_region
    assert sorted(records) == sorted(s.id for s in demo.services) and len(records) == 47
    for service in demo.services:
        record = records[service.id]
        assert record["name"] == service.name[language]
        assert attributes(record, "servicedir fields", "summary")[0]["value"] == service.summary[language]
        assert record["status"] == {"active": "active", "suspended": "temporarily closed",
                                    "withdrawn": "defunct"}[service.status]
        assert record["assured_date"] == service.last_reviewed.isoformat()
        # channels: every number, address and office is somewhere HSDS consumers look for it
        numbers = set(numbers_in({k: v for k, v in record.items() if k != "organization"}))
        as_json = [json.loads(a["value"]) for a in attributes(record, "servicedir channel types")]
        places = record.get("service_at_locations", [])
        online = [c.url for c in service.channels if c.type == "online"]
        if online:
            assert record["url"] == online[0]
            assert online == [p["location"]["url"] for p in places if p["location"]["location_type"] == "virtual"]
        emails = [c.email for c in service.channels if c.type == "email"]
        assert [record.get("email")] + [c["email"] for c in record.get("contacts", [])] == (emails[:1] or [None]) + emails[1:]
        for channel in service.channels:
            for raw in (channel.phone, channel.fax, channel.number):
                if raw:
                    number = hsds_number(raw, region)
                    assert number in numbers or any(j.get("phone") == number for j in as_json), (service.id, raw)
                    if phonenumbers.is_valid_number(phonenumbers.parse(raw, region)):
                        assert number.startswith("+") and number[1:].isdigit()
            if channel.office:
                assert any(p["location"].get("external_identifier") == channel.office for p in places) or \
                    any(j.get("office") == channel.office for j in as_json), (service.id, channel)
            if channel.type in ("tv", "radio", "mobile-app"):
                assert any(j["type"] == channel.type for j in as_json)
            if channel.type == "phone" and channel.hours:  # a phone's hours: the service's, "attending" by it
                attending = f"phone {hsds_number(channel.phone or '', region)}"
                assert schedule_rows([s for s in record["schedules"] if s["attending_type"] == attending]) \
                    == hours_rows(channel.hours, language, "+08:00")
        # audiences and life events: terms of servicedir's taxonomies, named in this language
        audiences = attributes(record, "servicedir audiences")
        assert [a["taxonomy_term"]["code"] for a in audiences] == list(service.audiences)
        assert [a["taxonomy_term"]["name"] for a in audiences] == \
            [demo.by_id["audiences"][a].name[language] for a in service.audiences]
        events = attributes(record, "servicedir life events")
        assert [(e["taxonomy_term"]["code"], e["value"]) for e in events] == \
            [(e, demo.by_id["life_events"][e].kind) for e in service.life_events]
        # cost, documents, processing time
        assert service.cost is not None
        option = record["cost_options"][0]
        if service.cost.free:
            assert option["amount"] == 0 and "currency" not in option
        else:
            assert (option["amount"], option["currency"]) == (service.cost.amount, service.cost.currency)
        assert [d["document"] for d in record["required_documents"]] == (service.documents or {})[language]
        assert [a["value"] for a in attributes(record, "servicedir fields", "processing_time")] == [service.processing_time]
        assert [a["value"] for a in attributes(record, "servicedir fields", "online_stage")] == [str(service.online_stage)]


@pytest.mark.parametrize("language", ["zh-Hans", "en"])
def test_each_opening_period_of_each_office(demo: model.Catalogue, exported: Path, language: str) -> None:
    locations = {loc["external_identifier"]: loc for org in dataset(exported, language, "organizations")
                 for loc in org.get("locations", [])}
    assert sorted(locations) == sorted(o.id for o in demo.offices)
    in_services = {p["location"]["external_identifier"]: p["location"] for r in dataset(exported, language)
                   for p in r.get("service_at_locations", []) if p["location"]["location_type"] == "physical"}
    for office in demo.offices:
        for location in (locations[office.id], in_services.get(office.id, locations[office.id])):
            assert schedule_rows(location["schedules"]) == hours_rows(office.hours, language, "+08:00")
            assert all(s["freq"] == "WEEKLY" for s in location["schedules"])
            assert location["name"] == office.name[language]
            assert location["addresses"][0]["address_1"] == office.address[language]
            assert location["addresses"][0]["country"] == "CN"
            assert [p["number"] for p in location["phones"]] == [hsds_number(office.phone or "", "CN")]
            if office.geo:
                assert (location["latitude"], location["longitude"]) == office.geo


def test_export_is_deterministic(demo: model.Catalogue, exported: Path, tmp_path: Path) -> None:
    files = hsds.export(demo, tmp_path / "again")
    assert sorted(p.relative_to(tmp_path / "again").as_posix() for p in files) == \
        ["en/organizations.json", "en/services.json", "index.json", "zh-Hans/organizations.json",
         "zh-Hans/services.json"]
    for path in files:
        assert path.read_bytes() == (exported / path.relative_to(tmp_path / "again")).read_bytes(), path


def test_short_numbers_are_listed_not_made_international(exported: Path) -> None:
    index = json.loads((exported / "index.json").read_text(encoding="utf-8"))
    assert "12345" in index["local_numbers"]
    assert "+8612345" not in set(numbers_in(dataset(exported, "en")))


def test_riverside_partly_translated_and_on_summer_time(tmp_path: Path, validators: dict[str, Any]) -> None:
    catalogue = _load(RIVERSIDE)
    hsds.export(catalogue, tmp_path)
    index = json.loads((tmp_path / "index.json").read_text(encoding="utf-8"))
    spanish = next(d for d in index["datasets"] if d["language"] == "es")
    assert "service veterans-pension: name" in spanish["untranslated"]
    assert "carry none" in index["notes"][1]  # Los Angeles changes its offset: times without one
    records = by_catalogue_id(dataset(tmp_path, "es"))
    assert records["veterans-pension"]["name"] == catalogue.by_id["services"]["veterans-pension"].name["en"]
    assert records["child-nutrition"]["name"] == "Ayuda alimentaria para madres y niños pequeños"
    for language in ("en", "es"):
        for record in dataset(tmp_path, language):
            assert errors(validators["service"], record) == []
        for record in dataset(tmp_path, language, "organizations"):
            assert errors(validators["organization"], record) == []


def test_fixed_offsets() -> None:
    assert hsds.fixed_offset("Asia/Shanghai", 2026) == "+08:00"
    assert hsds.fixed_offset("Asia/Kolkata", 2026) == "+05:30"
    assert hsds.fixed_offset("America/Los_Angeles", 2026) == ""
    assert hsds.fixed_offset("UTC", 2026) == "Z"
    assert hsds.fixed_offset("Not/AZone", 2026) == ""


# 2. the official examples -----------------------------------------------------------------------------
def imported_catalogue(source: Path, folder: Path, options: ImportOptions | None = None) -> Imported:
    imported = hsds.read(source, options or ImportOptions())
    write(imported, folder)
    return imported


@pytest.mark.parametrize("example", ["service_full", "organization_full", "service_at_location_full"])
def test_official_example_imports_into_a_valid_catalogue(example: str, tmp_path: Path) -> None:
    folder = tmp_path / "catalog"
    imported = imported_catalogue(STANDARD / "examples" / f"{example}.json", folder)
    problems, _ = validate(folder)
    assert [str(p) for p in problems if p.level == "error"] == []
    [service] = imported.services
    assert service["id"] == "community-counselling" and service["status"] == "active"
    assert service["summary"] == {"en": "Counselling Services provided by trained professionals."}
    assert service["cost"]["amount"] == 35 and service["cost"]["currency"] == "GBP"
    assert str(service["last_reviewed"]) == "2005-01-01"  # assured_date
    channels = {c["type"]: c for c in service["channels"]}
    assert channels["phone"]["phone"] == "01234 234567"  # "\"+44 1234 234567\"", quotes and all, in region GB
    assert channels["email"]["email"] == "email@example.com"
    assert channels["online"]["url"] == "http://example.com/counselling"
    assert channels["office"]["office"] == "mycity-civic-center"
    [office] = imported.offices
    assert office["hours"] == [{"days": ["thu", "fri"], "opens": "10:00", "closes": "18:00",
                                "note": {"en": "Some of our staff will be unavailable during their lunch break which "
                                               "may be any 30 minute period between 1200 and 1400"}}]
    assert "geo" not in office  # latitude 100 is not on Earth
    assert imported.directory["phone_region"] == "GB"
    report = {n.entry: n for n in imported.report}
    dropped = " ".join(what for what, _ in report["service community-counselling"].dropped)
    for field in ("minimum_age", "alert", "funding", "program", "service_areas", "taxonomy term 'name'"):
        assert field in dropped
    assert any("latitude 100" in what for what, _ in report["office mycity-civic-center"].dropped)


def test_official_example_builds(tmp_path: Path) -> None:
    folder = tmp_path / "catalog"
    imported_catalogue(STANDARD / "examples" / "service_full.json", folder)
    result = build(folder, tmp_path / "out", parts=("site",))
    assert [str(p) for p in result.problems if p.level == "error"] == []
    assert list((tmp_path / "out" / "site").rglob("community-counselling*"))


def test_a_location_alone_is_not_a_catalogue() -> None:
    with pytest.raises(InterchangeError, match="a location alone cannot become an office"):
        hsds.read(STANDARD / "examples" / "location.json", ImportOptions())


# 3. messy data ----------------------------------------------------------------------------------------
@pytest.fixture
def messy(tmp_path: Path) -> tuple[Imported, Path]:
    folder = tmp_path / "catalog"
    return imported_catalogue(FIXTURES / "messy-page.json", folder), folder


def test_messy_page_imports_into_a_valid_catalogue(messy: tuple[Imported, Path]) -> None:
    imported, folder = messy
    problems, _ = validate(folder)
    assert [str(p) for p in problems if p.level == "error"] == []
    services = {s["id"]: s for s in imported.services}
    assert sorted(services) == ["food-bank", "legal-advice-clinic", "tax-filing-help"]  # the nameless one left out
    food = services["food-bank"]
    assert food["summary"] == {"en": "Free groceries for families who are short of food."}
    assert food["audiences"] == ["families"]  # link_type audience
    phones = [c for c in food["channels"] if c["type"] == "phone"]
    assert phones == [{"type": "phone", "phone": "(951) 555-0142", "note": {"en": "Helpline for food parcels"},
                       "hours": [{"days": ["mon"], "opens": "09:00", "closes": "16:00"}]}]  # "Mon 9:00-16:00"
    offices = {o["id"]: o for o in imported.offices}
    assert offices["community-hall"]["hours"] == [{"days": ["mon", "tue", "wed", "thu", "fri"], "opens": "09:00",
                                                   "closes": "17:00"}]  # "Mon-Fri 9am-5pm"
    assert offices["community-hall"]["area"] == "riverside"
    assert offices["legal-aid-office"]["address"] == {"en": "3 Court Street, Riverside, CA, 50100"}  # "50100.0"
    assert "hours" not in offices["legal-aid-office"] and "geo" not in offices["legal-aid-office"]
    legal = services["legal-advice-clinic"]
    assert legal["status"] == "suspended" and legal["audiences"] == [] and "cost" not in legal
    assert legal["channels"] == [{"type": "office", "office": "legal-aid-office", "note": {
        "en": "Ask at the front desk.\n\nBy appointment, usually Tuesday afternoons"}}]
    tax = services["tax-filing-help"]
    assert tax["channels"] == [] and tax["summary"] == {"en": "Tax filing help"}
    assert tax["links"] == [{"title": {"en": "Tax filing help"}, "url": "https://taxhelp.riverside.example/"}]
    assert "description" not in tax
    assert tax["provider"] == "unknown-provider"
    assert imported.directory["languages"] == ["en"] and imported.directory["phone_region"] == "US"


def test_messy_page_report_lists_what_to_check(messy: tuple[Imported, Path]) -> None:
    _, folder = messy
    report = {e["entry"]: e for e in json.loads((folder / "import-report.json").read_text(encoding="utf-8"))["entries"]}
    warnings = {entry: " | ".join(e["warnings"]) for entry, e in report.items()}
    assert "taken as English (en)" in warnings["directory"]  # untagged texts
    assert "base_url is a placeholder" in warnings["directory"]
    assert "(951) 555-01" in warnings["service food-bank"]  # the invalid phone, dropped
    assert "'50100.0' was read as '50100'" in warnings["office legal-aid-office"]
    assert "By appointment" in warnings["office legal-aid-office"]
    assert "kept as the office channel's note" in warnings["service legal-advice-clinic"]
    assert "cost is given only in words" in warnings["service legal-advice-clinic"]
    assert "last_modified" in warnings["service legal-advice-clinic"]
    assert "no way to use the service" in warnings["service tax-filing-help"]
    assert "only a web address" in warnings["service tax-filing-help"]
    assert "the summary is the service's name" in warnings["service tax-filing-help"]
    assert "a service record without a name" in warnings["record $.contents[3]"]
    dropped = {entry: " | ".join(d["what"] for d in e["dropped"]) for entry, e in report.items()}
    assert "Food Pantries" in dropped["service food-bank"]
    assert "latitude 0" in dropped["office legal-aid-office"]
    markdown = (folder / "import-report.md").read_text(encoding="utf-8")
    assert "## service tax-filing-help" in markdown and "- Check: the source gives no way" in markdown


def test_language_and_region_from_the_options(tmp_path: Path) -> None:
    imported = hsds.read(FIXTURES / "messy-page.json", ImportOptions(language="es", phone_region="US",
                                                                     timezone="America/Los_Angeles",
                                                                     base_url="https://x.example/", name="Ayuda"))
    assert imported.directory == {"name": {"es": "Ayuda"}, "base_url": "https://x.example/", "languages": ["es"],
                                  "timezone": "America/Los_Angeles", "phone_region": "US",
                                  "feedback": {"phone": "(951) 555-0199", "url": "https://food.riverside.example/"}}
    assert imported.services[0]["name"] == {"es": "Food bank"}
    directory_note = next(n for n in imported.report if n.entry == "directory")
    assert directory_note.warnings == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Mon 9:00-16:00", [(["mon"], "09:00", "16:00")]),
    ("Mon-Fri 9am-5pm", [(["mon", "tue", "wed", "thu", "fri"], "09:00", "17:00")]),
    ("Mo-Fr 08:30-12:00, 14:00-17:30; Sa 09:00-12:00",
     [(["mon", "tue", "wed", "thu", "fri"], "08:30", "12:00"), (["mon", "tue", "wed", "thu", "fri"], "14:00", "17:30"),
      (["sat"], "09:00", "12:00")]),
    ("Tue & Thu 10am to 2pm", [(["tue", "thu"], "10:00", "14:00")]),
    ("Monday: 9-5pm", [(["mon"], "09:00", "17:00")]),
    ("weekdays 9:00-17:00, Sat closed", [(["mon", "tue", "wed", "thu", "fri"], "09:00", "17:00")]),
    ("Sat-Mon 10.30am-noon", [(["mon", "sat", "sun"], "10:30", "12:00")]),
    ("Fri 6pm-12am", [(["fri"], "18:00", "24:00")]),
    ("24/7", [(["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "00:00", "24:00")]),
    ("Mon 9-5", None),  # 9 to 5: a guess, not read
    ("By appointment", None),
    ("Mon 9:00-16:00 except holidays", None),
    ("Mon 25:00-26:00", None),
    ("Mon 17:00-09:00", None),
    ("9am-5pm", None),  # no days
    ("", None),
])
def test_free_text_hours(text: str, expected: list[tuple[list[str], str, str]] | None) -> None:
    found = hsds.parse_hours(text)
    assert (None if found is None else [(p["days"], p["opens"], p["closes"]) for p in found]) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Counselling for adults, e.g. after a loss. Call first.", "Counselling for adults, e.g. after a loss."),
    ("孩子出生后一个月内办理。带上证件。", "孩子出生后一个月内办理。"),
    ("No full stop at all", "No full stop at all"),
    ("First paragraph without a stop\n\nSecond one.", "First paragraph without a stop"),
])
def test_first_sentence(text: str, expected: str) -> None:
    assert hsds.first_sentence(text) == expected


# bad input --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("content", "message"), [
    (b'[\n  {"name": "a",\n   "status": }\n]', r"bad\.json:3:14: not valid JSON: Expecting value"),
    (b"\xff\xfe{}", r"bad\.json: not UTF-8 text"),
    (b"42", r"bad\.json: \$: expected an HSDS record .* not a number"),
    (b'{"contents": {"name": "a"}}', r"bad\.json: \$\.contents: an API page's contents must be a list"),
    (b'{"contents": [{"name": "a"}, "b"]}', r"bad\.json: \$\.contents\[1\]: expected an HSDS record .* not a string"),
    (b"[]", r"bad\.json: \$: no records"),
    (b'[{"code": "x"}]', r"bad\.json: no HSDS service or organization record found"),
])
def test_bad_input_is_one_sentence(tmp_path: Path, content: bytes, message: str) -> None:
    source = tmp_path / "bad.json"
    source.write_bytes(content)
    with pytest.raises(InterchangeError, match=message) as raised:
        hsds.read(source, ImportOptions())
    assert "\n" not in str(raised.value)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InterchangeError, match=r"missing\.json: no such file"):
        hsds.read(tmp_path / "missing.json", ImportOptions())
    with pytest.raises(InterchangeError, match="is a folder"):
        hsds.read(tmp_path, ImportOptions())


def test_no_region_to_read_numbers_by(tmp_path: Path) -> None:
    source = tmp_path / "national.json"
    source.write_text(json.dumps([{"name": "Helpline", "status": "active", "phones": [{"number": "0579 8120 0111"}]}]))
    with pytest.raises(InterchangeError, match="give the phone region"):
        hsds.read(source, ImportOptions())
    imported = hsds.read(source, ImportOptions(phone_region="CN"))
    assert imported.services[0]["channels"] == [{"type": "phone", "phone": "0579 8120 0111"}]


# 4. the round trip ------------------------------------------------------------------------------------
def channel_facts(channel: dict[str, Any]) -> dict[str, Any]:
    """A channel's contact data and hours, numbers in E.164, as comparable plain data."""
    out: dict[str, Any] = {"type": channel["type"]}
    for name in ("url", "office", "email", "keyword"):
        if channel.get(name):
            out[name] = channel[name]
    for name in ("phone", "fax", "number"):
        if channel.get(name):
            out[name] = hsds_number(channel[name], "CN")
    for name in ("address", "name", "note"):
        if channel.get(name):
            out[name] = channel[name]["en"]
    if channel.get("hours"):
        out["hours"] = [(sorted(h["days"]), h["opens"], h["closes"], (h.get("note") or {}).get("en"))
                        for h in channel["hours"]]
    return out


def as_plain(entry: Any) -> Any:
    """A model entry as the dicts a catalogue file holds."""
    from dataclasses import asdict

    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items() if v not in (None, (), [])}
        if isinstance(value, (list, tuple)):
            return [clean(v) for v in value]
        return value
    return clean(asdict(entry))


def test_round_trip_keeps_names_contact_data_and_hours(demo: model.Catalogue, exported: Path, tmp_path: Path) -> None:
    folder = tmp_path / "catalog"
    imported_catalogue(exported / "en" / "services.json", folder, ImportOptions(
        language="en", timezone="Asia/Shanghai", base_url="https://services.example.org/"))
    problems, _ = validate(folder)
    assert [str(p) for p in problems if p.level != "notice"] == []
    back = _load(folder)
    assert sorted(s.id for s in back.services) == sorted(s.id for s in demo.services)
    for service in demo.services:
        again = back.by_id["services"][service.id]
        assert again.name == {"en": service.name["en"]}
        assert again.summary == {"en": service.summary["en"]}
        assert again.provider == service.provider and again.audiences == service.audiences
        assert again.life_events == service.life_events and again.related == service.related
        assert (again.cost, again.processing_time, again.online_stage) == \
            (service.cost and model.Cost(service.cost.free, service.cost.amount, service.cost.currency,
                                         service.cost.note and {"en": service.cost.note["en"]}),
             service.processing_time, service.online_stage)
        original = sorted((channel_facts(as_plain(c)) for c in service.channels), key=json.dumps)
        returned = sorted((channel_facts(as_plain(c)) for c in again.channels), key=json.dumps)
        without_email_notes = [{k: v for k, v in c.items() if not (c["type"] == "email" and k == "note")}
                               for c in original]
        assert returned == without_email_notes, service.id  # an e-mail channel's note has no place in HSDS
    for office in demo.offices:
        again = back.by_id["offices"][office.id]
        assert (again.name, again.address, again.area, again.geo, again.accessibility) == \
            ({"en": office.name["en"]}, {"en": office.address["en"]}, office.area, office.geo,
             office.accessibility and {"en": office.accessibility["en"]})
        assert hsds_number(again.phone or "", "CN") == hsds_number(office.phone or "", "CN")
        assert [(h.days, h.opens, h.closes, h.note) for h in again.hours] == \
            [(tuple(d for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun") if d in h.days), h.opens, h.closes,
              h.note and {"en": h.note["en"]}) for h in office.hours]
    for provider in demo.providers:
        again = back.by_id["providers"][provider.id]
        assert (again.name, again.url, again.email) == ({"en": provider.name["en"]}, provider.url, provider.email)
        assert hsds_number(again.phone or "", "CN") == hsds_number(provider.phone or "", "CN")
    assert {a.id: a.name for a in back.audiences} == {a.id: {"en": a.name["en"]} for a in demo.audiences}
    used = {e for s in demo.services for e in s.life_events}
    assert {(e.id, e.kind) for e in back.life_events} == {(e.id, e.kind) for e in demo.life_events if e.id in used}


def test_an_imported_catalogue_exports_valid_hsds(messy: tuple[Imported, Path], tmp_path: Path,
                                                  validators: dict[str, Any]) -> None:
    """What import leaves for editors (no channel, no audience, an office without hours) still exports: the site
    build publishes HSDS for every catalogue that validates."""
    _, folder = messy
    hsds.export(_load(folder), tmp_path / "out")
    records = by_catalogue_id(dataset(tmp_path / "out", "en"))
    assert sorted(records) == ["food-bank", "legal-advice-clinic", "tax-filing-help"]
    assert records["tax-filing-help"]["status"] == "active" and "service_at_locations" not in records["tax-filing-help"]
    for record in records.values():
        assert errors(validators["service"], record) == []
    for record in dataset(tmp_path / "out", "en", "organizations"):
        assert errors(validators["organization"], record) == []


def test_statuses_both_ways(demo: model.Catalogue, tmp_path: Path) -> None:
    from dataclasses import replace

    first, second, *rest = demo.services
    changed = replace(demo, services=(replace(first, status="suspended"), replace(second, status="withdrawn"), *rest))
    hsds.export(changed, tmp_path / "out")
    records = by_catalogue_id(dataset(tmp_path / "out", "en"))
    assert (records[first.id]["status"], records[second.id]["status"]) == ("temporarily closed", "defunct")
    source = tmp_path / "statuses.json"
    source.write_text(json.dumps([{"name": f"Service {status}", "status": status, "url": "https://x.example/"}
                                  for status in ("active", "inactive", "defunct", "temporarily closed", "closed")]))
    imported = hsds.read(source, ImportOptions(phone_region="US"))
    assert [s["status"] for s in imported.services] == ["active", "withdrawn", "withdrawn", "suspended", "active"]
    notes = {n.entry: n.warnings for n in imported.report}
    assert any("'inactive' was taken as withdrawn" in w for w in notes["service service-inactive"])
    assert any("'closed' is not an HSDS status" in w for w in notes["service service-closed"])
