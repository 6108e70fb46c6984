"""Catalogue text is plain text: markup in it shows literally on the site, and nothing runs."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.build import build
from generator.checks import TEXTS, find

from .browser import chromium, serve
from .conftest import MINIMAL, TODAY

HOSTILE = [
    "<script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
    'Name {: onclick="alert(1)" } "><svg onload=alert(1)>',
    "**bold** _em_ `code` # heading | table | &amp;",
]
FILES = {"directory.yml": "directory", "audiences.yml": "audiences", "life-events.yml": "life-events",
         "providers.yml": "providers", "offices.yml": "offices"}


def poison(data: Any, kind: str, counter: list[int]) -> None:
    for spec in TEXTS[kind]:
        for _, text in find(data, spec):
            for lang, value in text.items():
                counter[0] += 1
                hostile = HOSTILE[counter[0] % len(HOSTILE)]
                text[lang] = [hostile for _ in value] if isinstance(value, list) else hostile


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    catalog = root / "catalog"
    shutil.copytree(MINIMAL, catalog)
    counter = [0]
    paths = [(catalog / name, kind) for name, kind in FILES.items()]
    paths += [(p, "service") for p in sorted((catalog / "services").glob("*.yml"))]
    for path, kind in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if kind == "service":
            data["last_reviewed"] = str(data["last_reviewed"])
        poison(data, kind, counter)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert counter[0] > 40
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SERVICEDIR_TODAY", TODAY)
        result = build(catalog, root, parts=("site",))
    assert all(p.level == "warning" and "looks like HTML or Markdown" in p.message for p in result.problems)
    return root / "site"


def test_markup_in_text_never_becomes_markup(hostile_site: Path) -> None:
    pages = list(hostile_site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for bad in ("<script>alert", "<img src=x", "<svg onload", "href=\"javascript", 'onclick="alert'):
            assert bad not in html, f"{page}: {bad}"
    service = (hostile_site / "en" / "services" / "register-birth" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in service or "&lt;img src=x onerror=alert(1)&gt;" in service


def test_in_the_browser_nothing_runs_and_text_shows_literally(hostile_site: Path) -> None:
    dialogs: list[str] = []
    with serve(hostile_site) as base, chromium() as browser:
        page = browser.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for path in ("", "en/", "zh-hans/", "en/services/register-birth/", "en/services/farm-subsidy/",
                     "en/audiences/residents/", "en/life-events/having-a-child/", "en/offices/town-hall/", "en/a-z/"):
            page.goto(base + path, wait_until="networkidle")
            injected = page.evaluate("""() => [...document.querySelectorAll('img[src=x], svg[onload], [onclick], a[href^="javascript"]')].length
                + [...document.scripts].filter(s => s.textContent.includes('alert(1)') && s.type !== 'application/ld+json').length""")
            assert injected == 0, path
        page.goto(base + "en/services/register-birth/")
        heading = page.locator("article h1").inner_text()
        assert heading in HOSTILE
    assert dialogs == []
