"""`servicedir new`: a scaffold with every field and both languages, rejected by validation until every
placeholder is filled, and accepted once it is."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from .conftest import MINIMAL, servicedir

FILLED_IDS = {"TODO-provider-id": "county-office", "TODO-audience-id": "farmers", "TODO-office-id": "village-point",
              "TODO-service-id": "farm-subsidy", "TODO-area": "east", "TODO-phone-number": '"0579-8120-0111"'}


def fill(text: str) -> str:
    for placeholder, value in FILLED_IDS.items():
        text = text.replace(placeholder, value)
    text = re.sub(r'"TODO: [^"]*"', '"A real text"', text)
    return text.replace("TODO: a few short paragraphs in plain words.", "A real description.")


def test_a_new_service_is_rejected_until_every_placeholder_is_filled(tmp_path: Path) -> None:
    shutil.copytree(MINIMAL, tmp_path / "catalog")
    made = servicedir("new", "service", "register-marriage", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert made.stderr.startswith("catalog/services/register-marriage.yml:1: new service 'register-marriage'")
    path = tmp_path / "catalog" / "services" / "register-marriage.yml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../generator/schemas/service.schema.json\n")
    for field in ("id", "status", "provider", "audiences", "life_events", "name", "summary", "description", "eligibility",
                  "documents", "steps", "cost", "processing_time", "online_stage", "channels", "links", "related",
                  "last_reviewed"):
        assert re.search(rf"^{field}:", text, re.M), field
    assert text.count("  zh-Hans:") == text.count("  en:") == 6

    first = servicedir("validate", cwd=tmp_path)
    assert first.returncode == 1
    assert "catalog/services/register-marriage.yml:5:11: error: 'TODO-provider-id' is a placeholder" in first.stdout

    ids_only = text
    for placeholder, value in FILLED_IDS.items():
        ids_only = ids_only.replace(placeholder, value)
    path.write_text(ids_only, encoding="utf-8")
    second = servicedir("validate", cwd=tmp_path)
    assert second.returncode == 1
    texts = [line for line in second.stdout.splitlines() if "is still the placeholder" in line]
    assert len(texts) == 12 and all(line.startswith("catalog/services/register-marriage.yml:") for line in texts)
    assert "catalog/services/register-marriage.yml:9:12: error: 'name' in 'zh-Hans' is still the placeholder" in second.stdout

    path.write_text(fill(text), encoding="utf-8")
    done = servicedir("validate", cwd=tmp_path)
    assert done.returncode == 0, done.stdout


def test_new_list_entries_are_appended_and_rejected_until_filled(tmp_path: Path) -> None:
    shutil.copytree(MINIMAL, tmp_path / "catalog")
    before = {name: (tmp_path / "catalog" / name).read_text(encoding="utf-8")
              for name in ("audiences.yml", "life-events.yml", "offices.yml")}
    for kind, ident in (("audience", "older-people"), ("life-event", "retiring"), ("office", "east-point")):
        assert servicedir("new", kind, ident, cwd=tmp_path).returncode == 0
    for name, old in before.items():
        new = (tmp_path / "catalog" / name).read_text(encoding="utf-8")
        assert new.startswith(old)  # appended; comments and the entries above untouched
    result = servicedir("validate", cwd=tmp_path)
    assert result.returncode == 1 and "placeholder" in result.stdout
    for name in before:
        path = tmp_path / "catalog" / name
        path.write_text(fill(path.read_text(encoding="utf-8")), encoding="utf-8")
    assert servicedir("validate", cwd=tmp_path).returncode == 0


def test_new_refuses_a_taken_or_malformed_id_and_writes_nothing(tmp_path: Path) -> None:
    shutil.copytree(MINIMAL, tmp_path / "catalog")
    service = tmp_path / "catalog" / "services" / "farm-subsidy.yml"
    old = service.read_bytes()
    taken = servicedir("new", "service", "farm-subsidy", cwd=tmp_path)
    assert taken.returncode == 1 and "already exists" in taken.stderr and service.read_bytes() == old
    twice = servicedir("new", "audience", "farmers", cwd=tmp_path)
    assert twice.returncode == 1 and "already has an entry with id 'farmers'" in twice.stderr
    bad = servicedir("new", "service", "Register Marriage", cwd=tmp_path)
    assert bad.returncode == 1 and "is not a valid id" in bad.stderr and "Traceback" not in bad.stderr
    assert sorted(p.name for p in (tmp_path / "catalog" / "services").iterdir()) == ["farm-subsidy.yml", "register-birth.yml"]
