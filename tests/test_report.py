"""The planners' coverage report: its numbers recounted here from the YAML files, its Markdown page read back
(charts, their tables, escaping) and the stale-entry list for the reminder job."""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from typing import Any, Iterator

import markdown
import pytest
import yaml

from generator.build import load_catalogue
from generator.model import Catalogue
from generator.present import Words
from generator.report import coverage, coverage_markdown, stale, stale_text, year_before
from generator.report import texts as report_texts

from .conftest import MINIMAL, ROOT, TODAY

DAY = dt.date.fromisoformat(TODAY)
ONLINE = {"online", "mobile-app", "email"}
TEMPLATE = ROOT / "templates" / "report" / "coverage.md"
# MkDocs always adds toc, tables and fenced_code; the site adds attr_list and md_in_html.
EXTENSIONS = ["toc", "tables", "fenced_code", "attr_list", "md_in_html"]


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def raw_services(folder: Path) -> list[dict[str, Any]]:
    """The offered services as plain YAML, read independently of the generator."""
    return [s for s in (load(p) for p in sorted((folder / "services").glob("*.yml"))) if s["status"] != "withdrawn"]


def texts(value: Any, languages: list[str], path: str = "") -> Iterator[tuple[str, set[str]]]:
    """Every text in a YAML value with its field path: a mapping whose keys are all language codes."""
    if isinstance(value, dict):
        if value and set(value) <= set(languages):
            yield path, set(value)
            return
        for key, item in value.items():
            yield from texts(item, languages, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from texts(item, languages, f"{path}[{i}]")


def with_today(folder: Path) -> Catalogue:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SERVICEDIR_TODAY", TODAY)
        catalogue, _ = load_catalogue(folder)
    return catalogue


@pytest.fixture(scope="module")
def demo() -> tuple[Catalogue, dict[str, Any]]:
    catalogue = with_today(ROOT / "catalog")
    return catalogue, coverage(catalogue, DAY)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def edited(tmp_path: Path) -> tuple[Catalogue, dict[str, Any]]:
    """The minimal catalogue with one stale entry (and one exactly a year old), two missing English texts,
    an online-only service with Markdown and HTML in its name, a withdrawn service and an unused service point."""
    folder = tmp_path / "catalog"
    shutil.copytree(MINIMAL, folder)
    services = folder / "services"
    edit(services / "register-birth.yml", "last_reviewed: 2026-06-01", "last_reviewed: 2025-11-27")
    edit(services / "register-birth.yml", '    phone: "0579-8120-0001"\n', '    phone: "0579-8120-0001"\n    note: {zh-Hans: 工作日}\n')
    farm = services / "farm-subsidy.yml"
    edit(farm, "last_reviewed: 2026-10-01", "last_reviewed: 2025-11-28")
    edit(farm, "en: A yearly grant for grain farmers.}", "}")
    edit(farm, "summary: {zh-Hans: 种粮农民每年领取补贴。, }", "summary: {zh-Hans: 种粮农民每年领取补贴。}")
    edit(farm, "en: Farming subsidy}", "en: \"<b>x</b> *y*\"}")
    edit(farm, "  - type: village-agent\n    office: village-point\n", "")
    with (folder / "offices.yml").open("a", encoding="utf-8") as offices:  # a service point no service uses yet
        offices.write("- id: hill-service-point\n  provider: county-office\n  name: {zh-Hans: 山村服务点, en: Hill Service Point}\n"
                      "  address: {zh-Hans: 山村, en: Hill village}\n  area: hill\n"
                      "  hours: [{days: [sun], opens: \"09:00\", closes: \"10:00\"}]\n")
    edit(folder / "audiences.yml", "name: {zh-Hans: 农民, en: Farmers}", "name: {zh-Hans: 农民, en: \"Farmers & <i>co</i>\"}")
    old = (services / "register-birth.yml").read_text(encoding="utf-8")
    (services / "old-service.yml").write_text(
        old.replace("id: register-birth", "id: old-service").replace("status: active", "status: withdrawn")
        .replace("last_reviewed: 2025-11-27", "last_reviewed: 2020-01-01").replace("life_events: [having-a-child]\n", ""),
        encoding="utf-8")
    catalogue = with_today(folder)
    assert [s.id for s in catalogue.services] == ["farm-subsidy", "old-service", "register-birth"]
    return catalogue, coverage(catalogue, DAY)


# the demo county, recounted ------------------------------------------------------------------------
def test_online_only_services_are_those_with_only_online_channel_types(demo: tuple[Catalogue, dict[str, Any]]) -> None:
    _, data = demo
    expected = {s["id"]: s["name"] for s in raw_services(ROOT / "catalog") if {c["type"] for c in s["channels"]} <= ONLINE}
    assert expected, "the demo county has a few online-only services"
    assert {s["id"]: s["name"] for s in data["offline"]["services"]} == expected
    assert data["totals"]["online_only"] == len(expected)


def test_stage_counts_match_the_files(demo: tuple[Catalogue, dict[str, Any]]) -> None:
    _, data = demo
    services = raw_services(ROOT / "catalog")
    overall = data["stages"]["overall"]
    assert sum(overall.values()) == len(services) == data["totals"]["services"]
    assert overall == {str(n): sum(s["online_stage"] == n for s in services) for n in range(1, 6)}
    for audience in load(ROOT / "catalog" / "audiences.yml"):
        mine = [s for s in services if audience["id"] in s["audiences"]]
        counts = data["stages"]["by_audience"][audience["id"]]
        assert counts == {str(n): sum(s["online_stage"] == n for s in mine) for n in range(1, 6)}
        assert sum(counts.values()) == len(mine) == data["channels"][audience["id"]]["services"]


def test_services_per_audience_and_channel_type_match_the_files(demo: tuple[Catalogue, dict[str, Any]]) -> None:
    _, data = demo
    services = raw_services(ROOT / "catalog")
    kinds = load(ROOT / "generator" / "schemas" / "service.schema.json")["$defs"]["channel"]["properties"]["type"]["enum"]
    audiences = load(ROOT / "catalog" / "audiences.yml")
    assert list(data["channels"]) == [a["id"] for a in audiences]
    for audience in audiences:
        row = data["channels"][audience["id"]]
        assert row["name"] == audience["name"]
        assert set(row["channels"]) == set(kinds)
        for kind in kinds:
            assert row["channels"][kind] == sum(audience["id"] in s["audiences"] and any(c["type"] == kind for c in s["channels"])
                                                for s in services), (audience["id"], kind)
    assert data["channels"]["farmers"]["channels"]["village-agent"] > 0


def test_online_only_share_per_audience(demo: tuple[Catalogue, dict[str, Any]]) -> None:
    _, data = demo
    services = raw_services(ROOT / "catalog")
    for row in data["offline"]["by_audience"]:
        mine = [s for s in services if row["audience"] in s["audiences"]]
        only = sum({c["type"] for c in s["channels"]} <= ONLINE for s in mine)
        assert (row["services"], row["online_only"], row["with_offline"]) == (len(mine), only, len(mine) - only)
        assert row["share"] == pytest.approx(only / len(mine))
    assert data["offline"]["mostly_online_only"] == [
        {"audience": r["audience"], "name": r["name"], "share": r["share"]} for r in data["offline"]["by_audience"] if r["share"] > 0.5]


def test_areas_without_village_service_point(demo: tuple[Catalogue, dict[str, Any]]) -> None:
    _, data = demo
    offices = load(ROOT / "catalog" / "offices.yml")
    agents = {c.get("office") for s in raw_services(ROOT / "catalog") for c in s["channels"] if c["type"] == "village-agent"}
    points = {o["id"] for o in offices if o["id"] in agents or o["id"].endswith("-service-point")}
    assert data["areas"]["all"] == sorted({o["area"] for o in offices})
    assert set(data["areas"]["service_points"]) == points
    without = sorted({o["area"] for o in offices} - {o["area"] for o in offices if o["id"] in points})
    assert [row["area"] for row in data["areas"]["without_service_point"]] == without == ["chengguan", "qingshan"]
    assert data["totals"]["areas_without_service_point"] == 2


def test_missing_translations_and_stale_match_the_files(demo: tuple[Catalogue, dict[str, Any]]) -> None:
    catalogue, data = demo
    languages = load(ROOT / "catalog" / "directory.yml")["languages"]
    expected = [{"service": s["id"], "field": path, "language": lang} for s in raw_services(ROOT / "catalog")
                for path, have in texts(s, languages) for lang in languages if lang not in have]
    key = lambda m: (m["service"], m["field"], m["language"])  # noqa: E731
    assert sorted(data["missing_translations"], key=key) == sorted(expected, key=key)
    old = [s["id"] for s in raw_services(ROOT / "catalog") if s["last_reviewed"] < dt.date(2025, 11, 28)]
    assert [r["id"] for r in stale(catalogue, DAY)] == old
    assert data["totals"]["stale"] == len(old)


def test_every_text_field_is_looked_at(demo: tuple[Catalogue, dict[str, Any]]) -> None:
    """The report's field paths are those a walk through the YAML finds: no text of a service is forgotten."""
    catalogue, _ = demo
    languages = list(catalogue.directory.languages)
    for raw in raw_services(ROOT / "catalog"):
        service = catalogue.by_id["services"][raw["id"]]
        assert {path for path, value in report_texts(service) if value} == {path for path, _ in texts(raw, languages)}


def test_data_is_json(demo: tuple[Catalogue, dict[str, Any]], edited: tuple[Catalogue, dict[str, Any]]) -> None:
    for _, data in (demo, edited):
        assert json.loads(json.dumps(data)) == data
        assert data["generated"] == TODAY


# a catalogue edited to show each finding ---------------------------------------------------------
def test_stale_entries_oldest_first_with_days(edited: tuple[Catalogue, dict[str, Any]]) -> None:
    catalogue, data = edited
    row = {"id": "register-birth", "name": "出生登记", "provider": "county-office", "last_reviewed": "2025-11-27", "days": 366}
    assert stale(catalogue, DAY) == [row]  # farm-subsidy, reviewed exactly a year ago, is not stale yet
    assert data["stale"] == [{"provider": "county-office", "name": {"zh-Hans": "县政府", "en": "County Office"},
                              "entries": [{"id": "register-birth", "name": {"zh-Hans": "出生登记", "en": "Register a birth"},
                                           "last_reviewed": "2025-11-27", "days": 366}]}]
    assert data["stale_since"] == "2025-11-28"
    assert [r["id"] for r in stale(catalogue, dt.date(2026, 11, 29))] == ["register-birth", "farm-subsidy"]


def test_year_before() -> None:
    assert year_before(dt.date(2026, 11, 28)) == dt.date(2025, 11, 28)
    assert year_before(dt.date(2028, 2, 29)) == dt.date(2027, 2, 28)


def test_stale_text_lines(edited: tuple[Catalogue, dict[str, Any]]) -> None:
    catalogue, _ = edited
    rows = stale(catalogue, dt.date(2026, 11, 29))
    assert stale_text(rows, "en") == ("county-office\tregister-birth\t2025-11-27\t367 days\n"
                                      "county-office\tfarm-subsidy\t2025-11-28\t366 days\n")
    assert stale_text(rows, "zh-Hans").splitlines()[0] == "county-office\tregister-birth\t2025-11-27\t367天"
    assert stale_text([], "en") == ""


def test_missing_translations_found(edited: tuple[Catalogue, dict[str, Any]]) -> None:
    _, data = edited
    assert data["missing_translations"] == [{"service": "farm-subsidy", "field": "summary", "language": "en"},
                                            {"service": "register-birth", "field": "channels[1].note", "language": "en"}]
    assert data["totals"]["missing_translations"] == 2


def test_withdrawn_left_out_and_mostly_online_only(edited: tuple[Catalogue, dict[str, Any]]) -> None:
    _, data = edited
    assert (data["totals"]["services"], data["totals"]["withdrawn"]) == (2, 1)
    assert sum(data["stages"]["overall"].values()) == 2
    assert data["offline"]["services"] == [{"id": "farm-subsidy", "name": {"zh-Hans": "种粮补贴", "en": "<b>x</b> *y*"}}]
    assert data["offline"]["mostly_online_only"] == [{"audience": "farmers", "name": {"zh-Hans": "农民", "en": "Farmers & <i>co</i>"},
                                                      "share": 1.0}]
    # the village point's only agent channel was removed, and its id does not say service point
    assert [row["area"] for row in data["areas"]["without_service_point"]] == ["town", "village"]
    assert data["areas"]["with_service_point"] == {"hill": ["hill-service-point"]}  # by its id alone


def test_minimal_village_point_counts_through_its_agent(tmp_path: Path) -> None:
    shutil.copytree(MINIMAL, tmp_path / "catalog")
    data = coverage(with_today(tmp_path / "catalog"), DAY)
    assert data["areas"]["service_points"] == ["village-point"]
    assert data["areas"]["without_service_point"] == [{"area": "town", "offices": ["town-hall"]}]


# the Markdown page ---------------------------------------------------------------------------------
def svgs(page: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", page, flags=re.S)


def table_after(page: str, svg: str) -> list[list[str]]:
    """The Markdown table that follows a chart: its body rows as cells."""
    rest = page[page.index(svg) + len(svg):]
    rest = rest[rest.index("</figure>") + len("</figure>"):].lstrip("\n")
    lines = rest.split("\n\n")[0].splitlines()
    assert lines and all(line.startswith("|") and line.endswith("|") for line in lines), rest[:200]
    assert re.fullmatch(r"\|( -{3}:? \|)+", lines[1])
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines[2:]]


@pytest.mark.parametrize("lang", ["zh-Hans", "en"])
def test_page_charts_each_with_title_desc_and_table(demo: tuple[Catalogue, dict[str, Any]], lang: str) -> None:
    catalogue, data = demo
    page = coverage_markdown(data, catalogue, lang)
    charts = svgs(page)
    assert len(charts) == page.count("<svg") == page.count("<figure") == 2
    assert "<script" not in page.lower() and "javascript:" not in page.lower()
    for chart in charts:
        head = chart[:chart.index(">")]
        assert 'role="img"' in head and re.search(r'viewBox="0 0 \d+ \d+"', head)
        assert not re.search(r'(width|height)="\d+(px)?"', head), "the chart scales with its viewBox"
        label = re.search(r'aria-labelledby="([^"]+)"', head).group(1)
        described = re.search(r'aria-describedby="([^"]+)"', head).group(1)
        assert re.search(rf'<title id="{label}">[^<]+</title>', chart) and re.search(rf'<desc id="{described}">[^<]+</desc>', chart)
        assert not re.search(r"\son\w+=", chart)
        fills = set(re.findall(r'(?:fill|stroke)="([^"]+)"', chart))
        assert fills <= {"#111111", "#ffffff"} | {f for f in fills if f.startswith("url(#")}
    stages = table_after(page, charts[0])
    assert [row[1] for row in stages] == [str(data["stages"]["overall"][str(n)]) for n in range(1, 6)]
    offline = table_after(page, charts[1])
    assert [row[1:4] for row in offline] == [[str(r["services"]), str(r["with_offline"]), str(r["online_only"])]
                                             for r in data["offline"]["by_audience"]]


def test_stage_bars_are_proportional(demo: tuple[Catalogue, dict[str, Any]]) -> None:
    catalogue, data = demo
    chart = svgs(coverage_markdown(data, catalogue, "en"))[0]
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="\d+" width="([\d.]+)" height="18"', chart)]
    counts = [data["stages"]["overall"][str(n)] for n in range(1, 6)]
    assert len(widths) == sum(1 for c in counts if c)
    assert [w / max(widths) for w in widths] == pytest.approx([c / max(counts) for c in counts if c], abs=0.01)
    view = float(re.search(r'viewBox="0 0 (\d+) \d+"', chart).group(1))
    assert view / 2 < max(widths) and all(float(x) < view for x in re.findall(r'<text x="([\d.]+)"', chart))


@pytest.mark.parametrize("lang", ["zh-Hans", "en"])
def test_page_renders_as_markdown_with_charts_intact(demo: tuple[Catalogue, dict[str, Any]], lang: str) -> None:
    catalogue, data = demo
    page = coverage_markdown(data, catalogue, lang)
    html = markdown.markdown(page, extensions=EXTENSIONS)
    assert html.count("<svg") == 2 and "<p><svg" not in html and html.count("<table>") >= 5
    for svg in svgs(page):
        assert svg in html  # passed through untouched, no Markdown inside
    assert "<h1 id=" in html and Words(catalogue, lang)._("Coverage report") in html


def test_page_words_come_from_the_catalogs(demo: tuple[Catalogue, dict[str, Any]]) -> None:
    catalogue, data = demo
    for lang in ("zh-Hans", "en"):  # every word in the page's own language: none fell back (<span lang=…>)
        page = coverage_markdown(data, catalogue, lang)
        assert "lang=" not in page, lang
    template = TEMPLATE.read_text(encoding="utf-8")
    assert "_(" in template and not re.search(r"\bt\.\w+", template)  # no word written into the template
    zh = Words(catalogue, "zh-Hans")
    assert zh._("Coverage report") == "服务覆盖情况报告" and zh.pgettext("nothing to list", "None.") == "无。"


def test_chinese_page_has_no_english_words(demo: tuple[Catalogue, dict[str, Any]]) -> None:
    catalogue, data = demo
    page = coverage_markdown(data, catalogue, "zh-Hans")
    prose = re.sub(r"<svg\b.*?</svg>|<figure[^>]*>|</figure>", "", page, flags=re.S)
    words = set(re.findall(r"[A-Za-z]{3,}", prose))
    ids = {s.id for s in catalogue.services} | {o.area for o in catalogue.offices} | {"last_reviewed", "service", "point"}
    assert {w for w in words if not any(w in i for i in ids)} == set()


@pytest.mark.parametrize("lang", ["zh-Hans", "en"])
def test_catalogue_text_is_escaped(edited: tuple[Catalogue, dict[str, Any]], lang: str) -> None:
    catalogue, data = edited
    page = coverage_markdown(data, catalogue, lang)
    html = markdown.markdown(page, extensions=EXTENSIONS)
    for output in (page, html):
        assert "<b>" not in output and "<i>" not in output and "<em>" not in output and "<strong>" not in output
    if lang == "en":
        assert r"&lt;b&gt;x&lt;/b&gt; \*y\*" in page  # in the online-only list and the missing translations
        assert "&lt;b&gt;x&lt;/b&gt; *y*" in html
        chart = svgs(page)[1]
        assert "Farmers &amp; &lt;i&gt;co&lt;/i&gt;" in chart and "\\" not in chart  # HTML-escaped only, inside SVG
    assert "register\\-birth" in page and "farm\\-subsidy" in page and "old\\-service" not in page


def test_edited_page_lists_findings(edited: tuple[Catalogue, dict[str, Any]]) -> None:
    catalogue, data = edited
    page = coverage_markdown(data, catalogue, "en")
    stale_part = page[page.index("## Entries not reviewed for 12 months"):]
    assert "register\\-birth" in stale_part and "366 days" in stale_part and "farm\\-subsidy" not in stale_part
    missing_part = page[page.index("## Missing translations"):page.index("## Entries not reviewed for 12 months")]
    assert "channels\\[1\\]\\.note" in missing_part and "| summary | en |" in missing_part


def test_report_commands_write_the_page_json_and_stale_lines(tmp_path: Path) -> None:
    from .conftest import servicedir

    shutil.copytree(MINIMAL, tmp_path / "catalog")
    service = tmp_path / "catalog" / "services" / "farm-subsidy.yml"
    service.write_text(service.read_text(encoding="utf-8").replace("last_reviewed: 2026-10-01", "last_reviewed: 2025-01-02"),
                       encoding="utf-8")
    made = servicedir("report", "coverage", "--output", "out", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["coverage.en.md", "coverage.json", "coverage.zh-hans.md"]
    data = json.loads((tmp_path / "out" / "coverage.json").read_text(encoding="utf-8"))
    assert [row["id"] for group in data["stale"] for row in group["entries"]] == ["farm-subsidy"]
    assert (tmp_path / "out" / "coverage.en.md").read_text(encoding="utf-8").count("<svg") == 2
    lines = servicedir("report", "stale", cwd=tmp_path)
    assert lines.returncode == 0 and lines.stdout == "county-office\tfarm-subsidy\t2025-01-02\t695天\n"
    as_json = json.loads(servicedir("report", "stale", "--format", "json", cwd=tmp_path).stdout)
    assert [(r["id"], r["days"]) for r in as_json] == [("farm-subsidy", 695)]
    service.write_text("id: [", encoding="utf-8")
    broken = servicedir("report", "coverage", "--output", "out2", cwd=tmp_path)
    assert broken.returncode == 1 and "no report was written" in broken.stderr and not (tmp_path / "out2").exists()
