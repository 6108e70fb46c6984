"""`servicedir diff REF`: a change described in catalogue terms, in a git repository made for the test."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import MINIMAL, servicedir


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args], cwd=repo, check=True,
                   capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    shutil.copytree(MINIMAL, tmp_path / "catalog")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "catalogue")
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_diff_names_services_fields_languages_and_outputs(repo: Path) -> None:
    services = repo / "catalog" / "services"
    edit(services / "farm-subsidy.yml", "en: A yearly grant for grain farmers.", "en: A grant every year for grain farmers.")
    new = (services / "farm-subsidy.yml").read_text(encoding="utf-8").replace("id: farm-subsidy", "id: seed-subsidy")
    (services / "seed-subsidy.yml").write_text(new, encoding="utf-8")
    (services / "register-birth.yml").unlink()
    edit(repo / "catalog" / "audiences.yml", "zh-Hans: 农民", "zh-Hans: 种地的农民")

    result = servicedir("diff", "main", "--format", "text", cwd=repo)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Catalogue changes against main: services: 1 added, 1 changed, 1 removed; 1 other entry changed\n")
    assert "  added    service seed-subsidy\n" in out
    assert "  removed  service register-birth\n" in out
    assert "service farm-subsidy    summary (en)" in out
    assert "audience farmers        name (zh-Hans)" in out
    # an English-only text change touches English outputs only
    assert "print/leaflets/en/farm-subsidy.pdf" in out and "print/leaflets/zh-hans/farm-subsidy.pdf" not in out
    assert "print/booklets/zh-hans/audience-farmers.pdf" in out  # the audience's Chinese name changed
    for family in ("leaflets", "radio", "noticeboard", "sms"):
        assert f"print/{family}/zh-hans/seed-subsidy." in out and f"print/{family}/en/register-birth." in out

    markdown = servicedir("diff", "main", cwd=repo).stdout  # not a terminal: Markdown for a job summary
    assert markdown.startswith("## Catalogue changes against `main`\n")
    assert "| changed | service `farm-subsidy` | summary (en) |" in markdown
    assert "- **Leaflets** (" in markdown


def test_diff_with_no_change_and_after_a_commit(repo: Path) -> None:
    assert servicedir("diff", "--format", "text", cwd=repo).stdout == "No change to the catalogue against HEAD.\n"
    edit(repo / "catalog" / "services" / "farm-subsidy.yml", "processing_time: P1M", "processing_time: P2M")
    git(repo, "commit", "-q", "-am", "longer")
    assert "No change" in servicedir("diff", "--format", "text", cwd=repo).stdout
    result = servicedir("diff", "HEAD~1", "--format", "text", cwd=repo)
    assert "service farm-subsidy  processing_time" in result.stdout
    assert "print/leaflets/zh-hans/farm-subsidy.pdf" in result.stdout  # not a text: every language


def test_diff_explains_a_bad_ref_or_a_folder_outside_git(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    bad = servicedir("diff", "no-such-branch", cwd=repo)
    assert bad.returncode == 1 and bad.stderr == "servicedir: 'no-such-branch' is not a commit, branch or tag in this repository\n"
    outside = tmp_path_factory.mktemp("plain")
    shutil.copytree(MINIMAL, outside / "catalog")
    result = servicedir("diff", cwd=outside)
    assert result.returncode == 1 and result.stderr == "servicedir: catalog is not in a git repository; `servicedir diff` compares with a git commit\n"


def test_no_radio_file_is_listed_for_a_language_that_gets_no_radio() -> None:
    from generator.diff import Change, _outputs

    tree = {"directory": {"languages": ["zh-Hans", "ug"]}, "services": {"farm-subsidy": {"life_events": ["harvest"]}},
            "offices.yml": {}}
    touched = _outputs([Change("service", "farm-subsidy", "added")], tree, tree)
    assert touched["radio"] == ["print/radio/zh-hans/farm-subsidy.txt", "print/radio/zh-hans/life-event-harvest.txt"]
    assert "print/sms/ug/farm-subsidy.txt" in touched["sms"]
