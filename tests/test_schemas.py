"""The JSON Schemas are valid Draft 2020-12, and the fast validator agrees with jsonschema on every example."""
from __future__ import annotations

import json
from pathlib import Path

import fastjsonschema
import jsonschema
import pytest

from generator import schemas
from generator.loader import load

from .conftest import ROOT

SCHEMA_FILES = sorted((ROOT / "generator" / "schemas").glob("*.schema.json"))


def kind_of(path: Path) -> str:
    return "service" if path.parent.name == "services" else path.stem


def example_files() -> list[Path]:
    """Every catalogue file in the demo and the examples that is readable YAML (so a schema applies)."""
    found = list((ROOT / "catalog").rglob("*.yml")) + list((ROOT / "tests" / "examples").rglob("*.yml"))
    return sorted(p for p in found if kind_of(p) in schemas.KINDS and load(p)[0] is not None)


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_schema_is_valid_draft_2020_12(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_there_are_enough_examples_to_compare() -> None:
    assert len(example_files()) >= 60


@pytest.mark.parametrize("path", example_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_fast_and_full_validators_agree(path: Path) -> None:
    doc, _ = load(path)
    assert doc is not None
    kind = kind_of(path)
    full = schemas.validator(kind).is_valid(doc.data)
    try:
        schemas._fast(kind)(doc.data)
        fast = kind != "service" or schemas._channels_ok(doc.data)
    except fastjsonschema.JsonSchemaValueException:
        fast = False
    assert fast == full
    assert (schemas.check(doc, kind) == []) == full


def test_every_field_of_every_schema_has_a_description_or_reference() -> None:
    """IDE hover text: every property says what it is (directly, or through its shared definition)."""
    def walk(node: object, where: str) -> list[str]:
        missing = []
        if isinstance(node, dict):
            for name, sub in node.get("properties", {}).items():
                if isinstance(sub, dict) and not ({"description", "$ref", "enum", "const"} & set(sub)) \
                        and name not in ("lat", "lon", "opens", "closes", "amount", "keyword", "number"):
                    missing.append(f"{where}.{name}")
            for key, sub in node.items():
                missing += walk(sub, f"{where}/{key}")
        elif isinstance(node, list):
            for i, sub in enumerate(node):
                missing += walk(sub, f"{where}[{i}]")
        return missing
    for path in SCHEMA_FILES:
        assert walk(json.loads(path.read_text(encoding="utf-8")), path.name) == []
