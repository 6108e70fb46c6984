"""The offline bundle: unzipped and opened from file:// in Chromium with every network request refused,
its pages link to each other, its leaflets open, and search finds services in both languages."""
from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest

from .browser import chromium
from .conftest import MINIMAL, servicedir

QUERIES = {"en": ("subsidy", "Farming subsidy"), "zh-hans": ("补贴", "种粮补贴")}


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("offline")
    shutil.copytree(MINIMAL, folder / "catalog")
    result = servicedir("build", "--offline", "--only", "leaflets,site", cwd=folder, timeout=300)
    assert result.returncode == 0, result.stderr
    return folder / "print" / "offline"


def test_one_reproducible_zip_per_language_with_the_shim_inside(bundles: Path, tmp_path: Path) -> None:
    assert sorted(p.name for p in bundles.iterdir()) == ["site-en.zip", "site-zh-hans.zip"]
    for lang in QUERIES:
        with zipfile.ZipFile(bundles / f"site-{lang}.zip") as bundle:
            names = bundle.namelist()
            assert "index.html" in names and "search/search_index.js" in names
            assert "services/farm-subsidy.html" in names and "leaflets/farm-subsidy.pdf" in names
            assert [n for n in names if "iframe-worker" in n] == ["assets/servicedir/iframe-worker-shim.js"]
            for name in (n for n in names if n.endswith(".html")):
                page = bundle.read(name).decode("utf-8")
                assert "unpkg.com" not in page and not re.search(r'<script[^>]+src="https?://', page), name
    shutil.copytree(MINIMAL, tmp_path / "catalog")
    again = servicedir("build", "--offline", "--only", "leaflets,site", cwd=tmp_path, timeout=300)
    assert again.returncode == 0
    for lang in QUERIES:  # the same catalogue gives the same bytes (no build time inside)
        assert (tmp_path / "print" / "offline" / f"site-{lang}.zip").read_bytes() == (bundles / f"site-{lang}.zip").read_bytes()


@pytest.mark.parametrize("lang", sorted(QUERIES))
def test_search_works_from_file_with_the_network_blocked(bundles: Path, tmp_path: Path, lang: str) -> None:
    with zipfile.ZipFile(bundles / f"site-{lang}.zip") as bundle:
        bundle.extractall(tmp_path / "kiosk")
    root = tmp_path / "kiosk"
    query, expected = QUERIES[lang]
    refused: list[str] = []
    with chromium() as browser:
        context = browser.new_context()

        def guard(route: object) -> None:
            url = route.request.url  # type: ignore[attr-defined]
            if url.startswith("file://"):
                route.continue_()  # type: ignore[attr-defined]
            else:
                refused.append(url)
                route.abort()  # type: ignore[attr-defined]
        context.route("**/*", guard)  # the context's routes also cover the search iframe
        page = context.new_page()
        page.goto((root / "index.html").as_uri())
        page.locator("a[href$='a-z.html']").first.click()  # links between pages work as files
        assert page.url.endswith("/a-z.html")
        field = page.locator("input[data-md-component=search-query]")
        field.click()
        page.wait_for_timeout(500)
        field.press_sequentially(query, delay=30)
        field.press("End")  # Material reads the query on keyup; Chinese text arrives without one
        page.wait_for_selector(".md-search-result__item", timeout=20_000)
        titles = page.locator(".md-search-result__item h1, .md-search-result__item h2").all_inner_texts()
        assert any(expected in title.replace("\u200b", "") for title in titles), titles
        page.locator(".md-search-result__item a").first.click()
        page.wait_for_load_state("load")
        here = page.url.split("?")[0]
        assert here.endswith("/services/farm-subsidy.html") and expected in page.locator("h1").inner_text()
        leaflet = page.locator("a[type='application/pdf']")
        assert leaflet.count() == 1
        assert (Path(here.removeprefix("file://")).parent / str(leaflet.get_attribute("href"))).resolve().is_file()
        context.close()
    assert refused == [], refused
