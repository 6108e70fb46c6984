"""The bundled demo county is complete enough to be a county office's template, and valid."""
from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from generator.build import load_catalogue
from generator.model import Catalogue

from .conftest import ROOT, TODAY

CATALOG = ROOT / "catalog"
SCHEMA_LINE = re.compile(r"# yaml-language-server: \$schema=(\S+)\n")
OFFLINE = {"phone", "office", "post", "sms", "village-agent", "kiosk", "tv", "radio", "fax", "home-visit"}


@pytest.fixture(scope="module")
def demo() -> Catalogue:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SERVICEDIR_TODAY", TODAY)
        catalogue, problems = load_catalogue(CATALOG)
    assert [str(p) for p in problems] == []
    return catalogue


def test_demo_has_the_promised_breadth(demo: Catalogue) -> None:
    assert len(demo.services) >= 40
    assert {"residents", "businesses", "foreigners", "farmers", "older-people", "people-with-disabilities",
            "parents", "students-and-job-seekers"} <= {a.id for a in demo.audiences}
    kinds = Counter(e.kind for e in demo.life_events)
    assert kinds["life"] >= 10 and kinds["business"] >= 4
    assert sum(1 for e in demo.life_events if e.steps) >= 4
    assert demo.directory.languages == ("zh-Hans", "en")


def test_demo_offices_include_village_service_points(demo: Catalogue) -> None:
    assert len(demo.offices) >= 6
    villages = [o for o in demo.offices if "village" in o.id]
    assert len(villages) >= 2
    assert all(o.hours and o.accessibility for o in villages)


def test_demo_uses_every_channel_type_and_stage(demo: Catalogue) -> None:
    schema = json.loads((ROOT / "generator/schemas/service.schema.json").read_text(encoding="utf-8"))
    every_type = set(schema["$defs"]["channel"]["properties"]["type"]["enum"])
    assert {c.type for s in demo.services for c in s.channels} == every_type
    assert {s.online_stage for s in demo.services} == {1, 2, 3, 4, 5}
    online_only = [s.id for s in demo.services if not {c.type for c in s.channels} & OFFLINE]
    assert len(online_only) >= 2, online_only


def test_every_service_is_complete_in_both_languages(demo: Catalogue) -> None:
    for s in demo.services:
        for field in ("name", "summary", "description", "eligibility", "documents", "steps"):
            text = getattr(s, field)
            assert set(text) == {"zh-Hans", "en"}, (s.id, field)
        assert s.channels and s.eligibility and s.documents and s.steps


def test_every_catalogue_file_names_its_schema() -> None:
    files = sorted(CATALOG.rglob("*.yml"))
    assert len(files) >= 45
    for path in files:
        match = SCHEMA_LINE.match(path.read_text(encoding="utf-8"))
        assert match, f"{path} does not start with the yaml-language-server line"
        schema = (path.parent / match.group(1)).resolve()
        kind = "service" if path.parent.name == "services" else path.stem
        assert schema == (ROOT / "generator" / "schemas" / f"{kind}.schema.json").resolve(), path


def test_only_reserved_example_domains() -> None:
    hosts = set()
    for path in CATALOG.rglob("*.yml"):
        text = path.read_text(encoding="utf-8")
        hosts |= set(re.findall(r"https?://([^/\s\"']+)", text))
        hosts |= set(re.findall(r"@([A-Za-z0-9.-]+)", text))
    assert hosts and all(h == "example.org" or h.endswith(".example.org") for h in hosts), sorted(hosts)
