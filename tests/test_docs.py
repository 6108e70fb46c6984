"""Docs cannot drift: every command, option and schema field a user meets is documented."""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from generator import cli

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_two_commands() -> None:
    first_block = re.search(r"```\w*\n(.*?)```", README, re.S)
    assert first_block and first_block.group(1) == "make build\nmake test\n"
    assert README.index("```") < README.index("\n## ")


def test_ci_runs_what_the_readme_says() -> None:
    commands = [line for line in (ROOT / ".ci" / "run").read_text().splitlines()
                if line.strip() and not line.startswith("#") and not line.startswith(("set ", "cd "))]
    assert commands == ["make test"]


def test_every_command_and_option_is_in_the_readme() -> None:
    parser = cli._parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in subparsers.choices.items():
        assert f"servicedir {name}" in README, name
        for action in sub._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert option in README, f"servicedir {name} {option}"


def test_every_make_target_is_in_the_readme() -> None:
    targets = re.findall(r"^([a-z-]+):", (ROOT / "Makefile").read_text(), re.M)
    public = [t for t in targets if not t.startswith(("system-packages", "test-system-packages"))]
    assert public and all(f"make {t}" in README for t in public), public


def schema_fields() -> set[str]:
    fields: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            fields.update(node.get("properties", {}))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    for path in (ROOT / "generator" / "schemas").glob("*.schema.json"):
        walk(json.loads(path.read_text(encoding="utf-8")))
    return fields


def test_every_schema_field_is_documented() -> None:
    doc = (ROOT / "docs" / "catalogue.md").read_text(encoding="utf-8")
    missing = sorted(f for f in schema_fields() if not re.search(rf"`[\w.]*\b{re.escape(f)}`", doc))
    assert missing == []


def test_every_channel_type_is_documented() -> None:
    doc = (ROOT / "docs" / "catalogue.md").read_text(encoding="utf-8")
    schema = json.loads((ROOT / "generator" / "schemas" / "service.schema.json").read_text(encoding="utf-8"))
    types = schema["$defs"]["channel"]["properties"]["type"]["enum"]
    assert [t for t in types if f"`{t}`" not in doc] == []


def test_benchmarks_doc_gives_the_command() -> None:
    doc = (ROOT / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    assert "bench/validate_speed.py" in doc or "make bench" in doc


def test_readme_examples_are_a_real_build(tmp_path: Path) -> None:
    """The radio, noticeboard and SMS examples in the README are what a build writes today."""
    import sys

    import pytest

    from generator.build import build

    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import readme_examples
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SERVICEDIR_TODAY", "2026-11-28")
        build(ROOT / "catalog", tmp_path, parts=("radio", "noticeboard", "sms"))
    expected = readme_examples.block(tmp_path / "print")
    assert expected in README, "README examples are out of date: run `make examples`"
    assert expected.count("```text") == 6


def test_contributing_is_in_both_languages_and_its_example_is_real(tmp_path: Path) -> None:
    import shutil
    import shlex

    from .conftest import servicedir

    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "## English" in text and "## 简体中文" in text
    english, chinese = text.split("## 简体中文")
    for heading in ("Change a service in the GitHub web editor", "How to read an annotation"):
        assert heading in english
    assert "怎么看批注" in chinese and "在 GitHub 网页上修改一项服务" in chinese
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):  # every command shown exists
        for line in block.splitlines():
            words = shlex.split(line.split("#", 1)[0])
            if words[:1] == [".venv/bin/servicedir"]:
                cli._parser().parse_args(words[1:])
    shutil.copytree(ROOT / "catalog", tmp_path / "catalog")
    service = tmp_path / "catalog" / "services" / "birth-registration.yml"
    service.write_text(service.read_text(encoding="utf-8").replace("status: active", "status: actve", 1), encoding="utf-8")
    shown = servicedir("validate", cwd=tmp_path).stdout.strip()
    assert f"```\n{shown}\n```" in english and f"```\n{shown}\n```" in chinese
