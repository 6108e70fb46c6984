"""The published site's search (issue 13, "search that stays small"): an index split in small files
(generator/render/search.py) shown in the theme's own search box (templates/site/assets/search/search.js).
Checked in real Chromium with every request outside the local server refused: it finds the demo's services in
both languages (and in a language written right to left), works from the keyboard, shows its results with no
axe violation, and one query downloads at most LIMIT bytes however large the catalogue, where the whole index of
a few hundred services is already larger."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from bench.synthetic import generate
from generator.render import search

from .browser import AXE, WCAG_TAGS, chromium, serve, serve_counted
from .conftest import ROOT, TODAY

LIMIT = 300_000  # bytes one query may download, in each language, whatever the catalogue's size (issue 13)
SYNTHETIC = 200  # services: enough for the whole index to outweigh LIMIT, so downloading it would fail here
FOUND = {"zh-hans": ("保护", "耕地地力保护补贴", "farmland-protection-subsidy"),  # a word from the middle of a name
         "en": ("protection", "Farmland protection subsidy", "farmland-protection-subsidy")}
WIDTHS = (1280, 360)


@pytest.fixture(scope="module")
def site(demo_build: Path) -> Path:
    return demo_build / "site"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


def local_only(context: BrowserContext, base: str, refused: list[str]) -> None:
    """Every request outside the local server (and data: or blob: addresses) is refused and noted."""
    def guard(route: object) -> None:
        url = route.request.url
        if url.startswith((base, "data:", "blob:")):
            route.continue_()
        else:
            refused.append(url)
            route.abort()
    context.route("**/*", guard)


def open_search(page: Page, width: int) -> None:
    """Open the search as a reader does: the magnifier in the header on a phone, the search box on a desktop."""
    if width < 960:
        page.locator("label.md-header__button[for=__search]").click()
    else:
        page.locator("input.md-search__input").click()
    prompt = page.evaluate("JSON.parse(document.getElementById('__config').textContent).translations")
    page.wait_for_function("text => document.querySelector('.md-search-result__meta').innerText.trim() === text",
                           arg=prompt["search.result.placeholder"])  # the index's loader is ready


def ask(page: Page, query: str) -> list[str]:
    """Type a query into the search box; the titles of the results shown."""
    page.locator("input.md-search__input").press_sequentially(query, delay=30)
    page.wait_for_selector(".md-search-result__item")
    return page.locator(".md-search-result__item h1").all_inner_texts()


@pytest.mark.parametrize("lang", sorted(FOUND))
def test_search_finds_a_service_with_the_network_limited_to_the_local_server(site: Path, browser: Browser,
                                                                             lang: str) -> None:
    query, expected, sid = FOUND[lang]
    refused: list[str] = []
    with serve(site) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        local_only(context, base, refused)
        page = context.new_page()
        page.goto(f"{base}{lang}/life-events/having-a-child/")
        open_search(page, 1280)
        titles = ask(page, query)
        assert titles[0] == expected, titles
        # the words found are marked, in the title and in the words under it
        assert query in page.locator(".md-search-result__item h1 mark").first.inner_text()
        assert page.locator(".md-search-result__item p mark").count() > 0
        page.locator(".md-search-result__item a").first.click()
        page.wait_for_url(re.compile(rf"/{lang}/services/{sid}/"))
        assert page.locator("h1").inner_text() == expected
        context.close()
    assert refused == []


@pytest.mark.parametrize("lang", sorted(FOUND))
def test_search_works_from_the_keyboard(site: Path, browser: Browser, lang: str) -> None:
    """"/" opens the search, the results come as one types, Enter opens the best one; Escape closes the search."""
    query, expected, sid = FOUND[lang]
    with serve(site) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(f"{base}{lang}/a-z/")
        page.keyboard.press("/")
        field = page.locator("input.md-search__input")
        assert page.evaluate("document.activeElement === document.querySelector('input.md-search__input')")
        page.keyboard.press("Escape")
        page.wait_for_function("!document.getElementById('__search').checked")
        page.keyboard.press("/")
        page.wait_for_function("document.getElementById('__search').checked")
        field.press_sequentially(query, delay=30)
        page.wait_for_selector(".md-search-result__item")
        page.keyboard.press("ArrowDown")  # into the results: each is a link
        assert page.evaluate("document.activeElement.classList.contains('md-search-result__link')")
        page.keyboard.press("ArrowUp")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(rf"/{lang}/services/{sid}/"))
        assert page.locator("h1").inner_text() == expected
        context.close()


def test_search_says_when_nothing_matches_and_clears(site: Path, browser: Browser) -> None:
    with serve(site) as base:
        page = browser.new_page()
        page.goto(f"{base}en/")
        open_search(page, 1280)
        words = page.evaluate("JSON.parse(document.getElementById('__config').textContent).translations")
        page.locator("input.md-search__input").press_sequentially("qwqwqw", delay=30)
        page.wait_for_function("text => document.querySelector('.md-search-result__meta').innerText.trim() === text",
                               arg=words["search.result.none"])
        assert page.locator(".md-search-result__item").count() == 0
        page.locator("input.md-search__input").fill("")
        page.wait_for_function("text => document.querySelector('.md-search-result__meta').innerText.trim() === text",
                               arg=words["search.result.placeholder"])
        page.close()


def test_a_result_shows_the_pages_text_as_text(tmp_path: Path, browser: Browser) -> None:
    """The index holds the pages' plain text: a service named with markup shows that markup as characters."""
    catalogue = tmp_path / "catalog"
    shutil.copytree(ROOT / "tests" / "examples" / "valid" / "minimal", catalogue)
    service = catalogue / "services" / "farm-subsidy.yml"
    text = service.read_text(encoding="utf-8")
    name = re.search(r"^name:.*$", text, re.M)
    assert name
    text = text.replace(name.group(0), "name: {zh-Hans: '<img src=x onerror=alert(1)>补贴', en: '<b>Hostile</b> & grant'}")
    service.write_text(text, encoding="utf-8")
    site = built(catalogue, tmp_path / "out")
    with serve(site) as base:
        page = browser.new_page()
        alerts: list[str] = []
        page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
        page.goto(f"{base}en/")
        open_search(page, 1280)
        titles = ask(page, "Hostile")
        assert titles[0] == "<b>Hostile</b> & grant"
        assert page.locator(".md-search-result__item b, .md-search-result__item img").count() == 0
        page.goto(f"{base}zh-hans/")
        open_search(page, 1280)
        assert ask(page, "补贴")[0] == "<img src=x onerror=alert(1)>补贴"
        assert page.locator(".md-search-result__item img").count() == 0 and alerts == []
        page.close()


def built(catalogue: Path, out: Path, parts: tuple[str, ...] = ("site",)) -> Path:
    from generator.build import build

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SERVICEDIR_TODAY", TODAY)
        result = build(catalogue, out, parts=parts)
    assert [str(p) for p in result.problems if p.level == "error"] == []
    return out / "site"


def test_search_works_in_a_language_written_right_to_left(tmp_path: Path, browser: Browser) -> None:
    site = built(ROOT / "tests" / "examples" / "catalogues" / "ug-bo", tmp_path)
    outside: list[str] = []
    with serve(site) as base:
        context = browser.new_context(viewport={"width": 360, "height": 800})
        local_only(context, base, outside)
        page = context.new_page()
        page.goto(f"{base}ug/")
        open_search(page, 360)
        assert ask(page, "ياردەم")[0] == "ئاشلىق تېرىش ياردەم پۇلى"
        assert page.evaluate("getComputedStyle(document.querySelector('.md-search-result__article')).direction") == "rtl"
        violations = axe(page)
        assert violations == []
        context.close()
    assert outside == []


def axe(page: Page) -> list[str]:
    # the theme fades the search in: colours are checked once its transitions have ended
    page.wait_for_function("document.getAnimations().every(animation => animation.playState !== 'running')")
    page.evaluate(AXE)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    assert result["passes"], "axe ran no rule"
    return [f"{v['id']} at {v['nodes'][0]['target']}: {v['nodes'][0].get('failureSummary', '')}" for v in result["violations"]]


@pytest.mark.parametrize("width", WIDTHS)
def test_search_with_its_results_shown_has_no_axe_violation(site: Path, browser: Browser, width: int) -> None:
    found = []
    with serve(site) as base:
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        for lang, (query, _, _) in sorted(FOUND.items()):
            page.goto(f"{base}{lang}/services/birth-registration/")
            open_search(page, width)
            found += [f"{lang} {width}px, open: {v}" for v in axe(page)]
            ask(page, query)
            page.locator(".md-search-result__more summary").first.click()  # a page's other matching sections
            found += [f"{lang} {width}px, results: {v}" for v in axe(page)]
        context.close()
    assert found == []


def test_the_index_is_the_same_for_the_same_pages(site: Path, tmp_path: Path) -> None:
    """Indexing the same built pages again gives the same bytes (no time, no random order inside)."""
    copy = tmp_path / "en"
    shutil.copytree(site / "en", copy)
    assert search.index(copy, "en") == []
    assert digest(copy / search.BUNDLE) == digest(site / "en" / search.BUNDLE)


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_the_index_leaves_out_lists_of_links_to_other_pages(site: Path) -> None:
    """A hub page (A to Z, an audience, an office) is found by its own words, not by every service it lists:
    such lists are left out of the index, and the services are found on their own pages."""
    html = (site / "en" / "a-z" / "index.html").read_text(encoding="utf-8")
    assert html.count(f"<ul {search.IGNORE}>") >= 10 and search.BODY in html
    service = (site / "en" / "services" / "birth-registration" / "index.html").read_text(encoding="utf-8")
    assert service.count(f"<ul {search.IGNORE}>") == 1  # related services; not the documents or the steps
    entry = json.loads((site / "en" / search.BUNDLE / "pagefind-entry.json").read_text(encoding="utf-8"))
    pages = len([p for p in (site / "en").rglob("index.html")])
    assert entry["languages"]["en"]["page_count"] == pages  # every page but 404.html


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic")
    return built(generate(folder / "catalog", SYNTHETIC), folder)


QUERIES = {"en": "example", "zh-hans": "示例"}  # a word on every service page: the largest index chunk, 10 results


def search_files(path: str) -> bool:
    """A file the site's search needs: its script and stand-in worker, the theme's search settings, the index."""
    return bool(re.search(r"/(?:assets/servicedir/search|search|pagefind)/", path))


@pytest.mark.parametrize("lang", sorted(QUERIES))
def test_one_query_downloads_a_small_share_of_a_large_index(synthetic: Path, browser: Browser, lang: str) -> None:
    whole = sum(p.stat().st_size for p in (synthetic / lang / search.BUNDLE).rglob("*") if p.is_file())
    data = sum(p.stat().st_size for p in (synthetic / lang / search.BUNDLE).rglob("*")
               if p.suffix in (".pf_index", ".pf_fragment", ".pf_meta"))
    assert whole > LIMIT  # what downloading the whole index, as the theme's own search does, would exceed
    refused: list[str] = []
    with serve_counted(synthetic) as (base, sent):
        context = browser.new_context(viewport={"width": 1280, "height": 900})  # a cold cache
        local_only(context, base, refused)
        page = context.new_page()
        page.goto(f"{base}{lang}/", wait_until="networkidle")
        loaded = len(sent)
        open_search(page, 1280)
        ask(page, QUERIES[lang])
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)
        assert page.locator(".md-search-result__item").count() == 10
        context.close()
    assert refused == []
    used = [(path, size) for path, size in sent[loaded:]] + [(p, n) for p, n in sent[:loaded] if search_files(p)]
    total = sum(size for _, size in used)
    from_index = sum(size for path, size in used if re.search(r"\.pf_(?:index|fragment|meta)\b", path))
    assert any(".pf_index" in path for path, _ in used) and any(".pf_fragment" in path for path, _ in used)
    assert total <= LIMIT, f"{total} bytes for one query: {used}"
    assert from_index <= data / 5, f"{from_index} of {data} bytes of the index for one query"
