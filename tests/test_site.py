"""The website's promises, checked on the built demo county in real Chromium."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urljoin, urlparse

import pytest

from .browser import AXE, WCAG_TAGS, chromium, serve
from .test_short_codes import PUBLISHED


@pytest.fixture(scope="module")
def site(demo_build: Path) -> Path:
    return demo_build / "site"


def pages(site: Path) -> list[str]:
    """Every page, but the QR codes' redirect pages (site/q/): they forward at once (checked on their own)."""
    return sorted(str(p.relative_to(site)) for p in site.rglob("index.html") if p.relative_to(site).parts[0] != "q")


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.lang: str | None = None
        self.alternates: dict[str, str] = {}
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if a.get("id"):
            self.ids.add(a["id"] or "")
        if tag == "link" and a.get("rel") == "alternate" and a.get("hreflang"):
            self.alternates[a["hreflang"] or ""] = a.get("href") or ""
        for attr in ("href", "src"):
            if a.get(attr) and tag != "link" or (tag == "link" and attr == "href" and a.get("rel") == "stylesheet"):
                self.links.append(a[attr] or "")


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_page_of_the_contract_exists(site: Path) -> None:
    assert (site / "index.html").is_file()
    for lang in ("zh-hans", "en"):
        for page in ("index.html", "a-z/index.html", "services/birth-registration/index.html",
                     "audiences/farmers/index.html", "life-events/having-a-child/index.html",
                     "offices/baishui-village-service-point/index.html"):
            assert (site / lang / page).is_file(), f"{lang}/{page}"
    assert len(list((site / "en" / "services").glob("*/index.html"))) == 47


def test_no_broken_internal_link(site: Path) -> None:
    broken = []
    for page in site.rglob("*.html"):
        if page.name == "404.html":  # served at any address, so it links from base_url's path by design
            continue
        base = "file://" + str(page)
        for href in parse(page).links:
            url = urlparse(urljoin(base, href))
            if url.scheme != "file":
                continue
            target = Path(unquote(url.path))
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)} -> {href}")
    assert broken == []


def test_every_internal_link_is_relative_so_the_site_works_under_a_sub_path(site: Path) -> None:
    rooted = []
    for page in site.rglob("*.html"):
        if page.name == "404.html":
            continue
        text = page.read_text(encoding="utf-8")
        rooted += [f"{page.relative_to(site)}: {m}" for m in re.findall(r'(?:href|src|action)="(/(?!/)[^"]*)"', text)]
    assert rooted == []


def test_lang_and_language_links_point_to_the_same_page(site: Path) -> None:
    for lang, code, other in (("zh-hans", "zh-Hans", "en"), ("en", "en", "zh-Hans")):
        page = parse(site / lang / "services" / "birth-registration" / "index.html")
        assert page.lang == code
        switch = [h for h in page.links if h.endswith(f"{other.lower()}/services/birth-registration/")]
        assert switch == [f"../../../{other.lower()}/services/birth-registration/"]
        html = (site / lang / "services" / "birth-registration" / "index.html").read_text(encoding="utf-8")
        assert f'hreflang="{other}" lang="{other}"' in html


def test_every_qr_redirect_leads_to_its_service_page(site: Path) -> None:
    for lang in ("zh-Hans", "en"):
        services = sorted((site / lang.lower() / "services").iterdir())
        assert len(services) == len(PUBLISHED[lang])
        for service in services:
            page = site / "q" / PUBLISHED[lang][service.name] / "index.html"
            html = page.read_text(encoding="utf-8")
            target = f"../../{lang.lower()}/services/{service.name}/"
            assert f'content="0; url={target}"' in html and f'href="{target}"' in html
            assert (page.parent / target / "index.html").resolve().is_file()


def test_sitemap_gives_hreflang_alternates_for_every_page(site: Path) -> None:
    import xml.etree.ElementTree as ET
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = ET.parse(site / "sitemap.xml").getroot().findall("s:url", ns)
    assert len(urls) == len(pages(site)) - 1  # every page but the language chooser
    entry = next(u for u in urls if u.find("s:loc", ns).text == "https://services.example.org/en/services/birth-registration/")
    assert {l.get("hreflang"): l.get("href") for l in entry.findall("x:link", ns)} == {
        "zh-Hans": "https://services.example.org/zh-hans/services/birth-registration/",
        "en": "https://services.example.org/en/services/birth-registration/"}


class Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.levels: list[int] = []
        self.skip_link = False
        self.in_article = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.in_article = True
        if self.in_article and re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))
        if tag == "a" and "md-skip" in (dict(attrs).get("class") or ""):
            self.skip_link = True


def test_every_page_has_one_h1_headings_in_order_and_a_skip_link(site: Path) -> None:
    for path in pages(site):
        if path == "index.html":
            continue  # the language chooser: one h1 per language, no navigation to skip
        parser = Headings()
        parser.feed((site / path).read_text(encoding="utf-8"))
        levels = parser.levels
        assert levels and levels[0] == 1 and levels.count(1) == 1, path
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), f"{path}: {levels}"
        assert parser.skip_link, path


def test_service_page_shows_office_address_hours_and_access(site: Path) -> None:
    html = (site / "en" / "services" / "birth-registration" / "index.html").read_text(encoding="utf-8")
    assert "12 Jiefang Street, Chengguan Town, Example County" in html
    assert "Monday to Friday, 08:30–12:00 and 14:30–17:30" in html
    assert "two steps at the door" in html


def test_service_pages_are_light(site: Path) -> None:
    sizes = {p: p.stat().st_size for p in site.glob("*/services/*/index.html")}
    heaviest = max(sizes, key=sizes.__getitem__)
    assert sizes[heaviest] <= 25_000, f"{heaviest} is {sizes[heaviest]} bytes"


def test_service_pages_carry_government_service_json_ld(site: Path) -> None:
    html = (site / "en" / "services" / "birth-registration" / "index.html").read_text(encoding="utf-8")
    blocks = re.findall(r'<script type="application/ld\+json">\s*(.*?)\s*</script>', html, re.S)
    assert len(blocks) == 1
    doc = json.loads(blocks[0])
    assert doc["@type"] == "GovernmentService" and doc["name"] == "Register a birth"
    assert doc["provider"]["name"] == "Example County Public Security Bureau"
    assert {c["@type"] for c in doc["availableChannel"]} == {"ServiceChannel"}
    assert any("hoursAvailable" in c for c in doc["availableChannel"])
    assert doc["areaServed"]["name"] == "Example County Public Services Guide"


# What a browser fetches by itself: src/srcset/poster/data of media, stylesheets, icons, preloads, manifests;
# in CSS url() and @import. A plain <a href> to another site is a link a reader chooses, not a load.
_LOADING_ATTR = re.compile(r"""<(?:img|script|iframe|frame|embed|source|audio|video|track|input|object|image|use)\b[^>]*?\s(?:src|srcset|poster|data|href|xlink:href)\s*=\s*["']?([^"'\s>]+)""", re.I)
_LINK_TAG = re.compile(r"<link\b[^>]*>", re.I)
_CSS_URL = re.compile(r"""(?:url\(\s*["']?|@import\s+["'])([^"')\s]+)""", re.I)
_STYLE_ATTR = re.compile(r"""\sstyle\s*=\s*("[^"]*"|'[^']*')""", re.I)
_LOCAL = re.compile(r"^(?!//)(?![a-z][a-z0-9+.-]*:)|^(?:data|blob|about):", re.I)


def non_local_loads(text: str, css: bool) -> list[str]:
    """Addresses in one HTML or CSS file that a browser would fetch from another host."""
    found = _CSS_URL.findall(text) if css else []
    if not css:
        found += _LOADING_ATTR.findall(text)
        for tag in _LINK_TAG.findall(text):
            if not re.search(r"""rel\s*=\s*["']?(?:[^"'>]*\s)?(?:alternate|canonical|next|prev|author|license|search)\b""", tag, re.I):
                found += re.findall(r"""\shref\s*=\s*["']?([^"'\s>]+)""", tag, re.I)
        for style in _STYLE_ATTR.findall(text) + re.findall(r"<style\b[^>]*>(.*?)</style>", text, re.I | re.S):
            found += _CSS_URL.findall(style)
    return [url for url in found if not _LOCAL.match(url.strip())]


def test_the_static_check_for_non_local_loads_can_fail() -> None:
    """The check below would notice each way a file can pull something from another host."""
    bad = ['<img alt="" src="https://tile.openstreetmap.org/1/1/1.png">', '<script src="//cdn.example.com/x.js"></script>',
           '<link rel="stylesheet" href="https://fonts.googleapis.com/css">', '<link rel="icon" href="http://x.org/i.ico">',
           '<div style="background:url(https://x.org/a.png)"></div>', '<iframe src="https://maps.example.com/"></iframe>',
           '<img alt="" srcset="https://x.org/a.png 2x">']
    for html in bad:
        assert non_local_loads(html, css=False), html
    assert non_local_loads("@import 'https://fonts.googleapis.com/css';", css=True)
    assert non_local_loads("a{background:url( 'https://x.org/a.png')}", css=True)
    fine = ['<a href="https://example.org/">a link a reader follows</a>', '<link rel="canonical" href="https://services.example.org/en/">',
            '<img alt="" src="../assets/logo.png">', '<img alt="" src="data:image/png;base64,AAAA">']
    for html in fine:
        assert non_local_loads(html, css=False) == [], html


def test_no_file_of_the_site_loads_anything_from_another_host(site: Path) -> None:
    files = sorted(p for p in site.rglob("*") if p.suffix in (".html", ".css"))
    assert len(files) > 250
    outside = {f"{f.relative_to(site)}: {url}" for f in files
               for url in non_local_loads(f.read_text(encoding="utf-8"), css=f.suffix == ".css")}
    assert sorted(outside) == []


@pytest.mark.parametrize("lang,query,expected", [
    ("zh-hans", "保护", "耕地地力保护补贴"),
    ("en", "protection", "Farmland protection subsidy"),
])
def test_search_finds_a_word_from_the_middle_of_a_name(site: Path, lang: str, query: str, expected: str) -> None:
    with serve(site) as base, chromium() as browser:
        page = browser.new_page()
        page.goto(base + f"{lang}/", wait_until="networkidle")
        search = page.locator("input.md-search__input")
        search.click()
        page.wait_for_function("""() => {  // the index has loaded: the prompt has replaced "Initializing search"
            const ready = JSON.parse(document.getElementById('__config').textContent).translations['search.result.placeholder'];
            return document.querySelector('.md-search-result__meta').innerText.trim() === ready;
        }""")
        search.press_sequentially(query)
        search.press("End")  # a key release, as when an input method commits: the theme searches on keyup
        page.wait_for_selector(".md-search-result__item")
        titles = [t.replace("\u200b", "") for t in page.locator(".md-search-result__item h1").all_inner_texts()]
        assert expected in titles[:3]


def axe_violations(site: Path, paths: list[str], outside: list[str]) -> Iterator[str]:
    """Every page at two widths with the network refused: only the local server answers; other requests
    are counted in `outside`."""
    with serve(site) as base, chromium() as browser:
        page = browser.new_page()
        page.route("**/*", lambda route: (outside.append(route.request.url), route.abort())
                   if not route.request.url.startswith(base) else route.continue_())
        for width in (1280, 360):
            page.set_viewport_size({"width": width, "height": 900})
            for path in paths:
                page.goto(base + path.removesuffix("index.html"))
                page.evaluate(AXE)
                result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
                assert result["passes"], "axe ran no rule"
                for v in result["violations"]:
                    yield f"{width}px {path}: {v['id']} at {v['nodes'][0]['target']}"


def test_every_page_has_no_axe_violation_and_no_request_to_another_host(site: Path) -> None:
    every = pages(site)
    assert len(every) > 150
    outside: list[str] = []
    assert list(axe_violations(site, every, outside)) == []
    assert outside == []


def test_pages_work_without_javascript(site: Path) -> None:
    with serve(site) as base, chromium() as browser:
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(base)
        page.get_by_role("link", name="English").click()
        page.get_by_role("link", name="All services A to Z").first.click()
        page.get_by_role("link", name="Register a birth").click()
        assert page.locator("h1").inner_text() == "Register a birth"
        page.get_by_role("link", name="简体中文").click()
        assert page.locator("h1").inner_text() == "新生儿出生登记（上户口）"


class VisibleText(HTMLParser):
    """The text a reader sees: everything outside script, style and template elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hidden += tag in ("script", "style", "template")

    def handle_endtag(self, tag: str) -> None:
        self.hidden -= tag in ("script", "style", "template") and self.hidden > 0

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


MARKDOWN_ESCAPE = re.compile(r"\\[\\`*_{}\[\]()#+\-.!|<>&]")


def markdown_escapes_shown(html: str) -> list[str]:
    reader = VisibleText()
    reader.feed(html)
    text = "".join(reader.parts)
    return [text[max(0, m.start() - 30):m.end() + 10] for m in MARKDOWN_ESCAPE.finditer(text)]


def test_the_escape_check_can_fail() -> None:
    assert markdown_escapes_shown('<p class="sd-notice">only offered online\\. If you</p>')
    assert markdown_escapes_shown("<h2>Cost \\(yearly\\)</h2>")
    assert markdown_escapes_shown('<script>var a = "\\.";</script><p>fine.</p>') == []


def test_no_page_shows_a_markdown_escape(site: Path) -> None:
    """Escaping for the site engine never shows: no literal `\\.`, `\\-` or `\\(` in any page's text."""
    files = sorted(site.rglob("*.html"))
    assert len(files) > 200
    shown = {f"{f.relative_to(site)}: {found}" for f in files for found in markdown_escapes_shown(f.read_text(encoding="utf-8"))}
    assert sorted(shown) == []
