"""Catalogues other than the demo: an incomplete one from another publisher in another language builds every
output, says something useful where a field is missing, and shows nothing of the demo county."""
from __future__ import annotations

import re
from html.parser import HTMLParser
import subprocess
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

from generator.build import build

from .conftest import ROOT, TODAY, servicedir

RIVERSIDE = ROOT / "tests" / "examples" / "catalogues" / "riverside"


def texts(value: Any) -> Iterator[str]:
    """Every string inside a YAML value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from texts(item)


def demo_words() -> set[str]:
    """What belongs to the demo county: its publisher's names, signature, contacts, offices, providers and
    the names of its services and help point (short words that any catalogue may use are left out)."""
    catalog = ROOT / "catalog"
    directory = yaml.safe_load((catalog / "directory.yml").read_text(encoding="utf-8"))
    words = set(texts({k: directory[k] for k in ("name", "sms_signature", "publisher", "help_point")}))
    words |= {"services.example.org", "example-county", "示例县", "Example County", "12345"}
    for name in ("providers.yml", "offices.yml"):
        for entry in yaml.safe_load((catalog / name).read_text(encoding="utf-8")):
            words |= set(texts(entry["name"]))
    for path in (catalog / "services").glob("*.yml"):
        words |= set(texts(yaml.safe_load(path.read_text(encoding="utf-8"))["name"]))
    return {w for w in words if len(w) >= 4 or re.search(r"[\u4e00-\u9fff]{2}", w)}


def output_texts(root: Path) -> Iterator[tuple[Path, str]]:
    for path in sorted(p for output in ("site", "print") for p in (root / output).rglob("*") if p.is_file()):
        if path.suffix == ".pdf":
            yield path, subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                                       text=True, check=True).stdout
        elif path.suffix in (".html", ".txt", ".xml", ".json", ".js", ".css", ".svg"):
            yield path, path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def riverside(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    out = tmp_path_factory.mktemp("riverside")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SERVICEDIR_TODAY", TODAY)
        result = build(RIVERSIDE, out)
    return out, [str(p) for p in result.problems]


def test_an_incomplete_catalogue_validates_with_exit_0(tmp_path: Path) -> None:
    result = servicedir("validate", "--catalog", str(RIVERSIDE), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout
    notices = [line for line in result.stdout.splitlines() if ": notice: incomplete: no " in line]
    assert len(notices) == 3  # one per incomplete service, naming every missing field at once


def test_a_second_catalogue_shows_nothing_of_the_demo_county(riverside: tuple[Path, list[str]]) -> None:
    out, _ = riverside
    words = demo_words()
    assert len(words) > 60
    found = {f"{path.relative_to(out)}: {word}" for path, text in output_texts(out) for word in words if word in text}
    assert sorted(found) == []
    footer = (out / "site" / "en" / "index.html").read_text(encoding="utf-8")
    assert "Riverside Human Services Agency" in footer and "#00695c" in (out / "site" / "en" / "assets" / "servicedir" / "colors.css").read_text()


# A value left out of a sentence: "None", a placeholder, "Call .", ": ,", "()", a word before a lone comma or
# colon, an empty bullet. (A lone "." is a contents page's dot leader, not a hole.)
HOLES = re.compile(r"\bNone\b|\{[a-z_]*\}|\b(?:call|Call|phone|Phone):?\s*[.。]|[:：]\s*[.。,，]|\(\s*\)|（\s*）|\w\s[,;:]\s|^\s*[-•]\s*$", re.M)


def visible(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    html = re.sub(r"</?(?:span|a|strong|em|b|i|abbr|bdi)\b[^>]*>", "", html)  # inline: the text runs on
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "\n", html))


def test_no_output_has_a_sentence_with_a_hole(riverside: tuple[Path, list[str]]) -> None:
    """Where a field is missing nothing reads 'Call .', 'None', '{phone}' or an empty bullet."""
    out, _ = riverside
    checked = 0
    for path, text in output_texts(out):
        if path.suffix in (".txt", ".pdf") or (path.suffix == ".html" and "/services/" in str(path)):
            shown = visible(text) if path.suffix == ".html" else text
            holes = [m.group(0) for m in HOLES.finditer(shown)]
            assert holes == [], f"{path.relative_to(out)}: {holes}"
            checked += 1
    assert checked > 20


class Sections(HTMLParser):
    """The article's h2 sections, each with the text under it."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[list[str]] = []
        self.depth = 0
        self.heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.depth += tag == "article"
        if self.depth and tag == "h2":
            self.sections.append([])
            self.heading = True

    def handle_endtag(self, tag: str) -> None:
        self.depth -= tag == "article"
        self.heading = self.heading and tag != "h2"

    def handle_data(self, data: str) -> None:
        if self.depth and self.sections and not self.heading and data.strip():
            self.sections[-1].append(data.strip())


def test_no_section_is_empty_and_missing_fields_say_whom_to_ask(riverside: tuple[Path, list[str]]) -> None:
    out, _ = riverside
    pages = sorted((out / "site").glob("*/**/index.html"))
    assert len(pages) > 20 and len([p for p in pages if "/services/" in str(p)]) == 8
    for page in pages:  # every page: no heading over nothing (business events, offices, "other" services)
        parser = Sections()
        parser.feed(page.read_text(encoding="utf-8"))
        assert all(parser.sections), f"{page}: an empty section"
        assert "/services/" not in str(page) or len(parser.sections) >= 6
        dangling = [line for line in visible(page.read_text(encoding="utf-8")).splitlines() if line.rstrip().endswith("—")]
        assert dangling == [], f"{page}: {dangling}"  # "Families with children —" with no description after it
    assert not (out / "site" / "en" / "offices").exists()  # no offices: no page that lists none
    page = visible((out / "site" / "en" / "services" / "retirement-benefits" / "index.html").read_text(encoding="utf-8"))
    # whom to ask in place of each missing field; the number once, with the first of them, not five times
    assert "Ask Social Security Administration who can apply: call (800) 772-1213." in page
    for asked in ("what to bring", "what to do", "whether there is a fee", "how long it takes"):
        assert f"Ask Social Security Administration {asked}." in page
    assert page.count("(800) 772-1213") == 3  # that answer, the phone channel, the provider
    leaflets = {f"{p.parent.name}/{p.name}": " ".join(t.split()) for p, t in output_texts(out) if p.suffix == ".pdf"
                and p.parent.parent.name == "leaflets"}
    assert "Ask Riverside County Health Department who can apply: call (951) 555-0100." in leaflets["en/child-nutrition.pdf"]
    assert "Ask Riverside County Health Department what to bring." in leaflets["en/child-nutrition.pdf"]
    for name, text in leaflets.items():  # an online-only service's leaflet still says how to use it
        for heading in ("Ways to do it", "Cómo hacerlo"):
            assert not text.endswith(heading), name
    said = ("Online: https://benefits.riverside.example/va/pension/ • This service is only offered online. If you "
            "cannot go online, ask at a community centre or call (800) 772-1213.")
    assert "".join(said.split()) in "".join(leaflets["en/veterans-pension.pdf"].split())  # an address may wrap


def test_untranslated_catalogue_texts_on_a_spanish_page_are_marked_english(riverside: tuple[Path, list[str]]) -> None:
    from .test_i18n import Tree

    out, _ = riverside
    page = Tree.of((out / "site" / "es" / "services" / "veterans-pension" / "index.html").read_text(encoding="utf-8"))
    assert page.root_lang == "es"
    assert page.langs("Veterans pension") == {"en"}
    assert page.langs("A monthly payment for wartime veterans with limited income.") == {"en"}
    assert page.langs("Beneficios por jubilación") <= {None}  # its own Spanish: never marked
    audiences = Tree.of((out / "site" / "es" / "audiences" / "index.html").read_text(encoding="utf-8"))
    assert audiences.langs("Veterans") == {"en"} and audiences.langs("Familias con hijos") <= {None, "es"}
    leaflet = subprocess.run(["pdfinfo", str(out / "print" / "leaflets" / "es" / "veterans-pension.pdf")],
                             capture_output=True, text=True, check=True).stdout
    assert "Title:           Veterans pension\n" in leaflet and "<" not in leaflet  # no markup in the PDF's metadata


def test_the_coverage_report_lists_incomplete_entries_and_what_each_lacks(tmp_path: Path) -> None:
    result = servicedir("report", "coverage", "--catalog", str(RIVERSIDE), "--output", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    import json
    data = json.loads((tmp_path / "out" / "coverage.json").read_text(encoding="utf-8"))
    every = ["description", "eligibility", "documents", "steps", "cost", "processing_time", "online_stage"]
    assert data["incomplete"] == [{"service": "child-nutrition", "provider": "county-health", "missing": every},
                                  {"service": "retirement-benefits", "provider": "social-security", "missing": every},
                                  {"service": "veterans-pension", "provider": "social-security", "missing": every}]
    assert data["totals"]["incomplete"] == 3
    page = (tmp_path / "out" / "coverage.en.md").read_text(encoding="utf-8")
    assert "| Retirement benefits \\(retirement\\-benefits\\) | Social Security Administration | description, eligibility" in page


def test_the_publishers_logo_and_footer_come_from_the_catalogue_and_no_page_shows_an_escape(
        riverside: tuple[Path, list[str]]) -> None:
    from .test_site import markdown_escapes_shown

    out, _ = riverside
    for lang in ("en", "es"):
        home = (out / "site" / lang / "index.html").read_text(encoding="utf-8")
        assert 'src="assets/servicedir/logo.svg"' in home
        assert (out / "site" / lang / "assets" / "servicedir" / "logo.svg").read_bytes() == (RIVERSIDE / "assets" / "logo.svg").read_bytes()
    pages = sorted((out / "site").rglob("*.html"))
    assert len(pages) > 20
    assert [f"{p}: {found}" for p in pages for found in markdown_escapes_shown(p.read_text(encoding="utf-8"))] == []


def spanish_vocabulary() -> set[str]:
    """Every word Spanish radio may say: the catalogue's Spanish texts, the interface's Spanish words (es.po)
    and Spanish numbers in words (num2words). An English word in a Spanish script comes from none of them."""
    from babel.messages.pofile import read_po
    from num2words import num2words

    words = lambda text: set(re.findall(r"[^\W\d_]+", re.sub(r"\{\w+\}", " ", text).lower()))
    vocabulary: set[str] = set()
    for path in RIVERSIDE.rglob("*.yml"):
        def spanish(value: Any) -> Iterator[str]:
            if isinstance(value, dict):
                yield from texts(value.get("es", "")) if "es" in value else (t for v in value.values() for t in spanish(v))
            elif isinstance(value, list):
                yield from (t for v in value for t in spanish(v))
        vocabulary |= {w for text in spanish(yaml.safe_load(path.read_text(encoding="utf-8"))) for w in words(text)}
    with (ROOT / "generator" / "locale" / "es" / "LC_MESSAGES" / "servicedir.po").open("rb") as f:
        for message in read_po(f):
            for text in (message.string if isinstance(message.string, tuple) else (message.string,)):
                vocabulary |= words(text or "")
    for n in range(1000):
        vocabulary |= words(num2words(n, lang="es"))
    return vocabulary


def spoken_lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]


def test_spanish_radio_says_only_spanish_words(riverside: tuple[Path, list[str]]) -> None:
    out, problems = riverside
    scripts = {path.stem: path for path in (out / "print" / "radio" / "es").glob("*.txt")}
    # veterans-pension has no Spanish name or summary: no Spanish script for it rather than an English one
    assert set(scripts) == {"child-nutrition", "retirement-benefits", "energy-bill-help", "life-event-retiring"}
    assert any("notice: no radio script in 'es' for 1 services whose name or summary is not in that language: "
               "veterans-pension" in p for p in problems)
    vocabulary = spanish_vocabulary()
    for name, path in scripts.items():
        for line in spoken_lines(path):
            assert not re.search(r"\d", line), f"{name}: a number not said in words: {line!r}"
            foreign = set(re.findall(r"[^\W\d_]+", line.lower())) - vocabulary
            assert not foreign, f"{name}: words in no Spanish source: {sorted(foreign)} in {line!r}"
    energy = " ".join(spoken_lines(scripts["energy-bill-help"]) + spoken_lines(scripts["life-event-retiring"]))
    for said in ("cuatrocientos cincuenta dólares con cincuenta", "sesenta por ciento", "treinta días",
                 "documento de identidad o pasaporte", "nueve cinco uno, cinco cinco cinco, cero uno cinco cero"):
        assert said in energy
    # The check can fail: the English scripts of the same services are full of words from no Spanish source.
    english = " ".join(spoken_lines(out / "print" / "radio" / "en" / "energy-bill-help.txt")).lower()
    assert {"call", "number", "again", "dollars"} <= set(re.findall(r"[^\W\d_]+", english)) - vocabulary


def test_an_entry_without_channels_audiences_or_office_hours_builds_and_says_whom_to_ask(tmp_path: Path) -> None:
    """What an import may leave empty (no channel, no audience; an office without hours or area) is a warning
    or a notice, not an error; every output then says whom to ask, never "only offered online"."""
    import shutil

    catalog = tmp_path / "catalog"
    shutil.copytree(RIVERSIDE, catalog)
    veterans = catalog / "services" / "veterans-pension.yml"
    text = re.sub(r"channels:\n(?:  .*\n)+", "channels: []\n", veterans.read_text(encoding="utf-8"))
    veterans.write_text(text.replace("audiences: [veterans, seniors]", "audiences: []"), encoding="utf-8")
    child = catalog / "services" / "child-nutrition.yml"
    child.write_text(child.read_text(encoding="utf-8").replace(
        "channels:\n", "channels:\n  - type: office\n    office: health-clinic\n"), encoding="utf-8")
    (catalog / "offices.yml").write_text(
        "- id: health-clinic\n  provider: county-health\n  name: {en: Riverside Health Clinic, es: Clínica de Salud}\n"
        "  address: {en: 4065 County Circle Drive, es: 4065 County Circle Drive}\n", encoding="utf-8")
    result = servicedir("validate", "--catalog", str(catalog), cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert "catalog/services/veterans-pension.yml:5:12: warning: no audience" in result.stdout
    assert "catalog/services/veterans-pension.yml:8:11: warning: no channel" in result.stdout
    assert "catalog/offices.yml:1:7: notice: incomplete: no 'area' or 'hours'" in result.stdout

    out = tmp_path / "out"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SERVICEDIR_TODAY", TODAY)
        build(catalog, out)
    page = visible((out / "site" / "en" / "services" / "veterans-pension" / "index.html").read_text(encoding="utf-8"))
    # the number goes with the first answer it lacks (who can apply); "how to use" comes last, without it
    assert "Ask Social Security Administration who can apply: call (800) 772-1213." in page
    assert "Ask Social Security Administration how to use this service." in page
    assert "only offered online" not in page
    texts_of = dict((str(p.relative_to(out)), " ".join(t.split())) for p, t in output_texts(out))
    assert "Ask Social Security Administration how to use this service." in texts_of["print/leaflets/en/veterans-pension.pdf"]
    # the office's hours are not known: whom to ask, with the provider's own number or none (never the help line)
    assert "Ask Riverside County Health Department when it is open." in texts_of["print/noticeboard/en/child-nutrition.txt"]
    assert "Ask Riverside County Health Department when it is open." in texts_of["site/en/offices/index.html"]
    assert not list((out / "print" / "noticeboard" / "en").glob("area-*.txt"))  # no area: on no area notice
