"""The interchange commands as a user runs them: export, import (new and into an existing catalogue), bad
sources, and the open data the build publishes under site/data/ with the "Open data" page that links it."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT, TODAY, servicedir

RIVERSIDE = ROOT / "tests" / "examples" / "catalogues" / "riverside"


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_every_export_of_the_demo_is_written_whole_and_twice_the_same(tmp_path: Path) -> None:
    for fmt, expected in (("hsds", {"index.json", "en/services.json", "zh-Hans/services.json"}),
                          ("cpsv-ap", {"cpsv-ap.ttl", "cpsv-ap.jsonld"}), ("csv", {"services.csv", "channels.csv"}),
                          ("xlsx", {"services.xlsx"})):
        runs = []
        for n in (1, 2):
            result = servicedir("export", fmt, "--catalog", str(ROOT / "catalog"), "--output", f"{fmt}-{n}", cwd=tmp_path)
            assert result.returncode == 0, result.stderr
            assert re.fullmatch(rf"servicedir: wrote \d+ files? of {fmt} into {fmt}-{n}\n", result.stdout), result.stdout
            runs.append(tree(tmp_path / f"{fmt}-{n}"))
        assert expected <= set(runs[0]), (fmt, sorted(runs[0]))
        assert runs[0] == runs[1], fmt  # deterministic, byte for byte
        assert not list(tmp_path.glob(".*export-*")), fmt  # the staging folder is gone


def test_an_invalid_catalogue_exports_nothing(tmp_path: Path) -> None:
    import shutil

    catalog = tmp_path / "catalog"
    shutil.copytree(RIVERSIDE, catalog)
    service = catalog / "services" / "retirement-benefits.yml"
    service.write_text(service.read_text(encoding="utf-8").replace("status: active", "status: actve"), encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("an earlier export", encoding="utf-8")
    result = servicedir("export", "cpsv-ap", "--catalog", "catalog", "--output", "out", cwd=tmp_path)
    assert result.returncode == 1
    assert "catalog/services/retirement-benefits.yml:3:9: error: " in result.stdout
    assert result.stderr == "servicedir: 1 error, 4 warnings (2 notices); nothing was exported\n"
    assert tree(tmp_path / "out") == {"keep.txt": b"an earlier export"}


def test_a_source_that_cannot_be_read_changes_nothing_and_says_where(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text('{"id": "x",\n  "name": "A service"\n  "status": "active"}\n', encoding="utf-8")
    result = servicedir("import", "hsds", "broken.json", "--catalog", "new", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("servicedir: broken.json:3:3: ") and result.stderr.endswith(
        "; the catalogue was not changed\n"), result.stderr
    assert not (tmp_path / "new").exists()
    result = servicedir("import", "cpsv-ap", "missing.ttl", "--catalog", "new", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (1, "servicedir: missing.ttl: no such file; the catalogue was not changed\n")


def test_import_writes_a_catalogue_that_builds_and_a_second_import_replaces_nothing(tmp_path: Path) -> None:
    exported = servicedir("export", "cpsv-ap", "--catalog", str(RIVERSIDE), "--output", "data", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    first = servicedir("import", "cpsv-ap", "data/cpsv-ap.ttl", "--catalog", "imported", "--language", "en", cwd=tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "imported/directory.yml: written\n" in first.stdout and "4 services written" in first.stdout
    assert first.stdout.splitlines()[-1].startswith("imported: ") and " error" not in first.stdout.splitlines()[-1]
    report = json.loads((tmp_path / "imported" / "import-report.json").read_text(encoding="utf-8"))
    assert {entry["entry"] for entry in report["entries"]} >= {"service energy-bill-help", "service veterans-pension"}
    assert (tmp_path / "imported" / "import-report.md").read_text(encoding="utf-8").startswith("# Import report\n")
    built = servicedir("build", "--catalog", "imported", "--only", "site,sms", "--output", "out", cwd=tmp_path)
    assert built.returncode == 0, built.stdout + built.stderr

    # An editor changes an entry; the same source imported again keeps the change and says so.
    service = tmp_path / "imported" / "services" / "energy-bill-help.yml"
    edited = service.read_text(encoding="utf-8").replace("Help with energy bills", "Help paying energy bills")
    service.write_text(edited, encoding="utf-8")
    second = servicedir("import", "cpsv-ap", "data/cpsv-ap.ttl", "--catalog", "imported", cwd=tmp_path)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "imported/directory.yml: kept as it is" in second.stdout
    assert "0 services written, 1 kept as they were" in second.stdout  # the three unchanged ones: nothing to say
    assert service.read_text(encoding="utf-8") == edited
    notes = json.loads((tmp_path / "imported" / "import-report.json").read_text(encoding="utf-8"))["entries"]
    kept = [n for n in notes if n["dropped"]]
    assert [n["entry"] for n in kept] == ["service energy-bill-help"]
    assert "exists; the catalogue's entry is kept, not replaced" in kept[0]["dropped"][0]["why"]


def test_the_build_publishes_open_data_and_each_language_links_it(tmp_path: Path) -> None:
    result = servicedir("build", "--catalog", str(RIVERSIDE), "--only", "site", "--output", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    site = tmp_path / "out" / "site"
    index = json.loads((site / "data" / "hsds" / "index.json").read_text(encoding="utf-8"))
    assert index  # one dataset per language, described
    assert (site / "data" / "cpsv-ap.ttl").read_text(encoding="utf-8").count("cpsv:PublicService") >= 4
    for lang, title in (("en", "Open data"), ("es", "Datos abiertos")):
        page = (site / lang / "about" / "data" / "index.html").read_text(encoding="utf-8")
        assert f"<h1 id=\"{title.lower().replace(' ', '-')}\">{title}</h1>" in page
        links = re.findall(r'<a href="(\.\./\.\./\.\./data/[^"]+)"', page)
        assert len(links) == 3
        for href in links:  # each link leads to a published file
            assert (site / lang / "about" / "data" / href).resolve().is_file(), href
        home = (site / lang / "index.html").read_text(encoding="utf-8")
        assert 'href="about/data/"' in home  # in the menu of every page


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_spreadsheet_round_trip_through_the_commands(tmp_path: Path, fmt: str) -> None:
    assert servicedir("export", fmt, "--catalog", str(RIVERSIDE), "--output", "sheet", cwd=tmp_path).returncode == 0
    source = "sheet" if fmt == "csv" else "sheet/services.xlsx"
    # The logo is a file, which no spreadsheet carries: without it the import leaves it out and says so ...
    result = servicedir("import", fmt, source, "--catalog", "no-logo", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    report = (tmp_path / "no-logo" / "import-report.md").read_text(encoding="utf-8")
    assert "- Not imported: publisher logo assets/logo.svg — no such file in no-logo: copy the logo there" in report
    # ... and with the logo copied first, the round trip gives back the same catalogue.
    (tmp_path / "back" / "assets").mkdir(parents=True)
    (tmp_path / "back" / "assets" / "logo.svg").write_bytes((RIVERSIDE / "assets" / "logo.svg").read_bytes())
    result = servicedir("import", fmt, source, "--catalog", "back", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    for path in sorted(RIVERSIDE.rglob("*.yml")):
        relative = path.relative_to(RIVERSIDE)
        assert yaml.safe_load((tmp_path / "back" / relative).read_text(encoding="utf-8")) == \
            yaml.safe_load(path.read_text(encoding="utf-8")), relative
