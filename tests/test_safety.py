"""Catalogue text is plain text in every output: markup, templates and entities in it show literally, and nothing runs."""
from __future__ import annotations

import html.parser
import json
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.build import build
from generator.checks import TEXTS, find
from generator.present import OFFLINE_CHANNELS
from generator.problems import Problem
from generator.render import DEFAULT_PARTS

from .browser import chromium, serve
from .conftest import ROOT, TODAY

FIXTURE = ROOT / "tests" / "examples" / "hostile"  # every optional field and channel type present
SCHEMAS = ROOT / "generator" / "schemas"
FILES = {"directory": "directory.yml", "audiences": "audiences.yml", "life-events": "life-events.yml",
         "providers": "providers.yml", "offices": "offices.yml"}
KINDS = (*FILES, "service")
LANGUAGES = ("zh-Hans", "en")
# Values of these schema definitions are shown to people; phones, ids, dates and times are checked
# against strict patterns and cannot carry markup.
SHOWN_DEFINITIONS = ("text", "textList", "url", "email")
# Places no output shows as text, and why; test_what_no_output_shows_appears_nowhere holds them to it.
NOT_SHOWN = {
    ("providers", "*.email"): "not used by any output",
    ("providers", "*.url"): "the site links the provider by its name",
    ("service", "links.*.url"): "a link shows its title",
    ("directory", "repository.url"): "the repository only makes 'edit this page' links",
}
KEPT = {("directory", "base_url")}
SAID_ONLY = {("service", "radio")}  # shown nowhere as written: read on air, symbols dropped  # the publishing address, not a text: every link and QR code hangs on it

# Every hostile value: an opening that is markup only at the start of a line, a unique marker of letters
# (it survives radio's numbers-to-words), the core, and one of the endings (an attribute list must end it).
OPENINGS = ("# mdheading ", "- mditem ", "1. mdnum ", "> mdquote ", "| mdcell | b | ", "<img src=x onerror=alert(1)> ",
            "</title><svg onload=alert(1)> ", "\"'><i>mdital</i> ", "<!-- mdcomment --> ", "+ mdplus ")
CORE = "<b>tagbold</b> <script>alert(1)</script> **mdstrong** [mdlink](javascript:alert(1)) {{ 7*7 }} &amp;"
ATTRS = '{: #zqxid .zqxcls zqxattr="1" onclick="alert(1)" }'
ENDINGS = ("_mdem_ `mdcode` {% raw %} {name}", "&copy; \\. \\\\ \"'>", ATTRS)
# One service's SMS keeps its summary (at most 70 UCS-2 characters with the signature and the way to apply):
# its name and summary, and the SMS signature, are short, with tags all the same.
SMS_SERVICE = "farm-subsidy"
SHORT = {("directory", "sms_signature"), ("service", "name"), ("service", "summary"), ("service", "sms"), ("service", "radio")}
# Every fourth text has more paragraphs: a setext heading, an indented code block, a list.
TAIL = "\n\nmdsetext {marker}\n===\n\n    mdindent\n\n* mdstar {marker}"
# The whole written form each marked word must keep wherever it shows (never bold, a link, a heading...).
LITERAL = {"tagbold": "<b>tagbold</b>", "mdstrong": "**mdstrong**", "mdem": "_mdem_", "mdcode": "`mdcode`",
           "mdlink": "[mdlink](javascript:alert(1))", "mdheading": "# mdheading", "mditem": "- mditem",
           "mdnum": "1. mdnum", "mdquote": "> mdquote", "mdcell": "| mdcell | b |", "mdital": "<i>mdital</i>",
           "mdcomment": "<!-- mdcomment -->", "mdplus": "+ mdplus", "mdsetext": "===", "mdstar": "* mdstar"}
# In raw HTML these only appear when catalogue text became markup.
RAW_INJECTIONS = ("<script>alert", "<img src=x", "<svg onload", "<b>tagbold", "<i>mdital", "<strong>mdstrong",
                  "<em>mdem", "<code>mdcode", "<!-- mdcomment", 'zqxattr="1"', 'id="zqxid"', "zqxcls\"",
                  'onclick="alert', "href=\"javascript", "mdsetext</h", "<code>mdindent")
MARKED_ELEMENT = re.compile(r"<[a-zA-Z][^<>]*>\s*(?:" + "|".join(w for w in LITERAL if w != "mdsetext") + ")")
ALLOWED_PROBLEMS = (r"looks like HTML or Markdown", r"leaflet print/.* runs to \d+ pages", r"radio .* needs about",
                    r"radio .* a sentence too long", r"noticeboard .* lines, more than", r"noticeboard .* pages of \d+ lines", r"sms .* even with only",
                    r"sms .* shortened to fit", r"booklet print/.* page \d+ holds only \d+ lines")


def squash(text: str) -> str:
    """Without any whitespace: line wrapping (PDF, boards) and HTML's spacing do not count."""
    return "".join(text.split())


def letters(n: int) -> str:
    return "".join("abcdefghijklmnopqrstuvwxyz"[n // 26 ** i % 26] for i in (2, 1, 0))


# The fields: from the JSON Schemas -----------------------------------------------------------------------
def schema_fields(kind: str) -> dict[str, str]:
    """Every place in one kind of file whose value people are shown, as a `find` path ('channels.*.note'),
    with its definition (text, textList, url, email, or string for a free string such as an SMS keyword)."""
    docs = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in SCHEMAS.glob("*.schema.json")}
    out: dict[str, str] = {}

    def walk(node: dict[str, Any], doc: str, path: tuple[str, ...]) -> None:
        if "$ref" in node:
            name, _, pointer = node["$ref"].partition("#")
            doc = name or doc
            target: Any = docs[doc]
            for step in pointer.strip("/").split("/"):
                target = target[step]
            definition = pointer.rsplit("/", 1)[-1]
            if definition in SHOWN_DEFINITIONS:
                out[".".join(path)] = definition
            elif definition != "phone":  # a free string in the schema, but it must parse as a number
                walk(target, doc, path)
        elif node.get("type") == "object" or "properties" in node:
            for key, sub in node.get("properties", {}).items():
                walk(sub, doc, (*path, key))
        elif node.get("type") == "array":
            walk(node["items"], doc, (*path, "*"))
        elif node.get("type") == "string" and not {"pattern", "enum", "const", "format"} & node.keys():
            out[".".join(path)] = "string"

    walk(docs[f"{kind}.schema.json"], f"{kind}.schema.json", ())
    return out


# The hostile catalogue ----------------------------------------------------------------------------------
@dataclass
class Hostile:
    """The built hostile catalogue: where it is, its poisoned data, and what the build reported."""

    root: Path
    data: dict[str, Any]  # kind -> the poisoned file's data; "service" -> {id: data}
    poisoned: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (kind, spec) -> values
    problems: list[Problem] = field(default_factory=list)

    @property
    def services(self) -> list[dict[str, Any]]:
        return [s for s in self.data["service"].values() if s["status"] != "withdrawn"]

    def by_id(self, kind: str) -> dict[str, dict[str, Any]]:
        return {item["id"]: item for item in self.data[kind]}


class Poisoner:
    """Hostile values, each with its own marker, put in every shown field the schemas declare."""

    def __init__(self) -> None:
        self.count = 0

    def text(self, lang: str, short: bool = False) -> str:
        self.count += 1
        marker = "Vq" + letters(self.count)
        if short:
            return f"<b>{marker}</b>" if lang == "zh-Hans" else f"<b>{marker}</b>&amp;{{{{7*7}}}}"
        value = (f"{OPENINGS[self.count % len(OPENINGS)]}{marker}{' 测试' if lang == 'zh-Hans' else ''} {CORE} "
                 f"{ENDINGS[self.count % len(ENDINGS)]}")
        return value + TAIL.format(marker=marker) if self.count % 4 == 0 else value

    def other(self, definition: str) -> str:
        self.count += 1
        marker = "Vq" + letters(self.count)
        if definition == "url":  # a valid address (no space), full of markup
            return f"https://test.example.org/{marker}?q=\"'><script>alert(1)</script><b>tagbold</b>&amp;{{{{7*7}}}}"
        if definition == "email":
            return f"{marker}\"'><b>tagbold</b>{{{{7*7}}}}&amp;@test.example.org"
        return f"{marker} {CORE}"  # a free string: the SMS keyword

    def poison(self, data: Any, kind: str, found: dict[tuple[str, str], list[str]]) -> None:
        for spec, definition in schema_fields(kind).items():
            values = found.setdefault((kind, spec), [])
            short = (kind, spec) in SHORT and (kind != "service" or data["id"] == SMS_SERVICE)
            if definition in ("text", "textList"):
                for _, text in find(data, spec):
                    for lang in LANGUAGES:
                        if definition == "text":
                            text[lang] = self.text(lang, short)
                            values.append(text[lang])
                        else:
                            text[lang] = [self.text(lang) for _ in text[lang]]
                            values += text[lang]
            else:
                parent, _, key = spec.rpartition(".")
                for _, holder in find(data, parent) if parent else [((), data)]:
                    if isinstance(holder, dict) and key in holder and (kind, spec) not in KEPT:
                        holder[key] = self.other(definition)
                        values.append(holder[key])


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    """The fixture catalogue with every shown text, address and keyword hostile, every part built once."""
    root = tmp_path_factory.mktemp("hostile")
    catalog = root / "catalog"
    shutil.copytree(FIXTURE, catalog, ignore=shutil.ignore_patterns("*.md"))
    poisoner = Poisoner()
    out = Hostile(root, {"service": {}})
    for kind in KINDS:
        paths = sorted((catalog / "services").glob("*.yml")) if kind == "service" else [catalog / FILES[kind]]
        for path in paths:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            if kind == "service":
                data["last_reviewed"] = str(data["last_reviewed"])
                out.data["service"][data["id"]] = data
            else:
                out.data[kind] = data
            poisoner.poison(data, kind, out.poisoned)
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SERVICEDIR_TODAY", TODAY)
        result = build(catalog, root, parts=(*DEFAULT_PARTS, "offline"))
    out.problems = result.problems
    return out


# What each output must show -----------------------------------------------------------------------------
def shown(value: Any, lang: str) -> list[str]:
    """The strings of a text, list of texts or plain value, in one language (all are translated here)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    item = value[lang]
    return list(item) if isinstance(item, list) else [item]


def hours_notes(hours: list[dict[str, Any]] | None, lang: str) -> list[str]:
    return [x for h in hours or [] for x in shown(h.get("note"), lang)]


def listing(services: list[dict[str, Any]], lang: str) -> list[str]:
    return [x for s in services for x in shown(s["name"], lang) + shown(s["summary"], lang)]


def site_expected(h: Hostile, lang: str) -> dict[str, list[str]]:
    """site/<path> -> the texts it must show as written."""
    d, offices, providers = h.data["directory"], h.by_id("offices"), h.by_id("providers")
    events, services = h.data["life-events"], h.services
    names = {s["id"]: s for s in h.data["service"].values()}
    t = lambda value: shown(value, lang)  # noqa: E731
    pages: dict[str, list[str]] = {
        "index.html": [x for a in h.data["audiences"] for x in t(a["name"]) + t(a["description"])]
        + [x for e in events for x in t(e["name"])],
        "a-z/index.html": listing(services, lang),
        "audiences/index.html": [x for a in h.data["audiences"] for x in t(a["name"]) + t(a["description"])],
        "life-events/index.html": [x for e in events for x in t(e["name"]) + t(e["description"])],
        "offices/index.html": [x for o in offices.values() for x in t(o["name"]) + t(o["address"]) + hours_notes(o["hours"], lang)],
        "about/coverage/index.html": [x for a in h.data["audiences"] for x in t(a["name"])] + t(d.get("help_point")),
        "404.html": [],
    }
    for a in h.data["audiences"]:
        mine = [s for s in services if a["id"] in s["audiences"]]
        pages[f"audiences/{a['id']}/index.html"] = t(a["name"]) + t(a["description"]) + listing(mine, lang) + [
            x for e in events if any(e["id"] in s.get("life_events", []) for s in mine) for x in t(e["name"])]
    for e in events:
        stepped = [names[sid] for step in e.get("steps", []) for sid in step["services"]]
        others = [s for s in services if e["id"] in s.get("life_events", []) and s not in stepped]
        pages[f"life-events/{e['id']}/index.html"] = t(e["name"]) + t(e["description"]) + listing(stepped + others, lang) + [
            x for step in e.get("steps", []) for x in t(step["title"])]
    for o in offices.values():
        here = [s for s in services if any(c.get("office") == o["id"] for c in s["channels"])]
        pages[f"offices/{o['id']}/index.html"] = (t(o["name"]) + t(o["address"]) + hours_notes(o["hours"], lang)
                                                  + t(o.get("accessibility")) + t(providers[o["provider"]]["name"])
                                                  + listing(here, lang))
    for s in services:
        expected = [x for key in ("name", "summary", "description", "eligibility", "documents", "steps", "deadline")
                    for x in t(s.get(key))] + t(s["cost"].get("note")) + t(providers[s["provider"]]["name"])
        expected += [x for a in s["audiences"] for x in t(h.by_id("audiences")[a]["name"])]
        expected += [x for e in events if any(s["id"] in step["services"] for step in e.get("steps", [])) for x in t(e["name"])]
        expected += [x for link in s.get("links", []) for x in t(link["title"])]
        expected += [x for r in s.get("related", []) for x in t(names[r]["name"])]
        expected += t(d["feedback"].get("email")) + t(d["feedback"].get("url"))
        if all(c["type"] not in OFFLINE_CHANNELS for c in s["channels"]):  # where to get help instead
            expected += t(d.get("help_point"))
        for c in s["channels"]:
            expected += t(c.get("note")) + t(c.get("address")) + t(c.get("name")) + hours_notes(c.get("hours"), lang)
            expected += t(c.get("keyword")) + t(c.get("email"))
            if c.get("url") and not c.get("name"):
                expected += t(c["url"])
            if c.get("office"):
                o = offices[c["office"]]
                expected += t(o["name"]) + t(o["address"]) + hours_notes(o["hours"], lang) + t(o.get("accessibility"))
        pages[f"services/{s['id']}/index.html"] = expected
    # the header names the directory, and the footer its publisher, on every page
    footer = t(d["publisher"].get("copyright") or d["publisher"]["name"]) if d.get("publisher") else t(d["name"])
    out = {f"{lang.lower()}/{path}": [*t(d["name"]), *footer, *texts] for path, texts in pages.items()}
    out["index.html"] = [x for other in LANGUAGES for x in shown(d["name"], other)]  # the language chooser
    return out


def service_on_paper(h: Hostile, s: dict[str, Any], lang: str) -> list[str]:
    """What a leaflet (and each service of a booklet) prints: no description, links or online ways."""
    offices = h.by_id("offices")
    t = lambda value: shown(value, lang)  # noqa: E731
    out = [x for key in ("name", "summary", "eligibility", "documents", "steps", "deadline") for x in t(s.get(key))]
    out += t(s["cost"].get("note"))
    for c in s["channels"]:
        if c["type"] not in OFFLINE_CHANNELS:
            continue
        out += t(c.get("note")) + t(c.get("address")) + t(c.get("keyword"))
        if c.get("office"):
            o = offices[c["office"]]
            out += t(o["name"]) + t(o["address"]) + hours_notes(c.get("hours") or o["hours"], lang)
        else:
            out += hours_notes(c.get("hours"), lang)
    return out


def print_expected(h: Hostile, lang: str) -> dict[str, list[str]]:
    """print/<path of a PDF> -> the texts it must show as written."""
    lp, t = lang.lower(), (lambda value: shown(value, lang))
    directory = t(h.data["directory"]["name"])
    out = {f"leaflets/{lp}/{s['id']}.pdf": directory + service_on_paper(h, s, lang) for s in h.services}
    names = {s["id"]: s for s in h.data["service"].values()}
    for a in h.data["audiences"]:
        mine = [s for s in h.services if a["id"] in s["audiences"]]
        groups = [x for e in h.data["life-events"] if any(e["id"] in s.get("life_events", []) for s in mine) for x in t(e["name"])]
        out[f"booklets/{lp}/audience-{a['id']}.pdf"] = (directory + t(a["name"]) + t(a["description"]) + groups
                                                        + [x for s in mine for x in service_on_paper(h, s, lang)])
    for e in h.data["life-events"]:
        stepped = [names[sid] for step in e.get("steps", []) for sid in step["services"]]
        members = stepped + [s for s in h.services if e["id"] in s.get("life_events", []) and s not in stepped]
        out[f"booklets/{lp}/life-event-{e['id']}.pdf"] = (directory + t(e["name"]) + t(e["description"])
                                                          + [x for step in e.get("steps", []) for x in t(step["title"])]
                                                          + [x for s in members for x in service_on_paper(h, s, lang)])
    return out


def scripts_expected(h: Hostile, lang: str) -> dict[str, list[str]]:
    """print/<path of a noticeboard or SMS text> -> the texts it must show as written."""
    lp, t = lang.lower(), (lambda value: shown(value, lang))
    out: dict[str, list[str]] = {}
    for s in h.services:
        out[f"noticeboard/{lp}/{s['id']}.txt"] = [x for key in ("name", "summary", "eligibility", "documents")
                                                   for x in t(s[key])] + t(s["cost"].get("note")) + \
            t(h.data["directory"]["publisher"]["name"])  # "Issued by …"
        out[f"sms/{lp}/{s['id']}.txt"] = t(h.data["directory"].get("sms_signature")) + (
            t(s["sms"]) if s.get("sms") else t(s["name"]) + (t(s["summary"]) if s["id"] == SMS_SERVICE else []))
    for area in sorted({o["area"] for o in h.data["offices"]}):
        expected = []
        for o in (o for o in h.data["offices"] if o["area"] == area):
            expected += t(o["name"]) + t(o["address"]) + hours_notes(o["hours"], lang) + t(o.get("accessibility"))
            expected += [x for s in h.services if any(c.get("office") == o["id"] for c in s["channels"]) for x in t(s["name"])]
        out[f"noticeboard/{lp}/area-{area}.txt"] = expected
    return out


def missing(expected: list[str], text: str) -> list[str]:
    """The paragraphs of the expected texts that `text` does not show as written."""
    have = squash(text)
    return [p for value in expected for p in value.split("\n\n") if squash(p) not in have]


# The site in a real browser ------------------------------------------------------------------------------
INJECTED_JS = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const name of el.getAttributeNames()) {
      const value = el.getAttribute(name);
      if (name.startsWith('on') || name.includes('zqx')) found.push(`${el.tagName} attribute ${name}`);
      if ((name === 'id' && value === 'zqxid') || (name === 'class' && el.classList.contains('zqxcls')))
        found.push(`${el.tagName} ${name}=${value}`);  // an attribute list applied (a heading's own id may hold "zqxid")
      if (/^(href|src|action|formaction|xlink:href)$/.test(name) && /^\\s*javascript:/i.test(value))
        found.push(`${el.tagName} ${name}=${value}`);
    }
  }
  for (const s of document.scripts)
    if (s.type !== 'application/ld+json' && s.textContent.includes('alert(')) found.push('script ' + s.textContent.slice(0, 80));
  for (const el of document.querySelectorAll('img[src="x"], svg[onload]')) found.push(el.outerHTML.slice(0, 80));
  // escaped twice: the reader sees "&lt;" or "&#34;" instead of the character
  const twice = /&lt;b&gt;tagbold|&amp;amp;|&(?:#34|#39|#x27|quot);/;
  for (const el of document.querySelectorAll('*'))
    if (!['SCRIPT', 'STYLE'].includes(el.tagName))
      for (const name of el.getAttributeNames())
        if (twice.test(el.getAttribute(name))) found.push(`${el.tagName} ${name} escaped twice: ${el.getAttribute(name).slice(0, 80)}`);
  const literal = LITERAL;
  const squash = s => s.replace(/\\s+/g, '');
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || ['SCRIPT', 'STYLE'].includes(parent.tagName)) continue;
    if (twice.test(node.textContent)) found.push(`${parent.tagName} text escaped twice: ${node.textContent.slice(0, 80)}`);
    // catalogue text (each value has a marker) is never code, a quotation, bold or italic markup of its own
    if (/Vq[a-z]{3}/.test(node.textContent) && parent.closest('pre, code, blockquote, b, i, em'))
      found.push(`${parent.closest('pre, code, blockquote, b, i, em').tagName} holds ${node.textContent.slice(0, 60)}`);
    for (const [word, form] of Object.entries(literal))
      if (node.textContent.includes(word) && !squash(parent.textContent).includes(squash(form)))
        found.push(`${parent.tagName} shows ${JSON.stringify(parent.textContent.slice(0, 60))} without ${form}`);
  }
  return found;
}""".replace("LITERAL", json.dumps(LITERAL))


@dataclass
class Seen:
    """What Chromium saw of the site."""

    text: dict[str, str]  # site path -> the page's visible text (innerText)
    injected: dict[str, list[str]]
    dialogs: list[str]
    search: str = ""  # the results of a search for a hostile name
    search_injected: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser_view(hostile: Hostile) -> Seen:
    """Every page of the site (not the QR redirects) opened once in headless Chromium, and one search."""
    site = hostile.root / "site"
    paths = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.parts[-3:-2] != ("q",))
    seen = Seen({}, {}, [])
    with serve(site) as base, chromium() as browser:
        page = browser.new_page()
        page.on("dialog", lambda d: (seen.dialogs.append(d.message), d.dismiss()))
        for path in paths:
            page.goto(base + path.removesuffix("index.html"), wait_until="load")
            seen.injected[path] = page.evaluate(INJECTED_JS)
            seen.text[path] = page.evaluate("document.body.innerText")
        name = next(shown(s["name"], "en")[0] for s in hostile.services if s["id"] != SMS_SERVICE)  # words to find
        page.goto(base + "en/", wait_until="networkidle")
        page.locator("input.md-search__input").click()
        page.keyboard.type(re.search(r"Vq[a-z]{3}", name).group(0))  # type: ignore[union-attr]
        page.locator(".md-search-result__item").first.wait_for()
        seen.search = page.locator(".md-search-result").inner_text()
        seen.search_injected = page.evaluate(INJECTED_JS)
        page.wait_for_timeout(300)  # an injected handler would have fired by now
    return seen


# The tests ------------------------------------------------------------------------------------------------
def test_the_validator_checks_every_text_of_the_schemas() -> None:
    """Each text the schemas declare is checked for its languages and for markup (checks.TEXTS)."""
    texts = {kind: {spec for spec, d in schema_fields(kind).items() if d in ("text", "textList")} for kind in KINDS}
    unchecked = {kind: sorted(specs - set(TEXTS.get(kind, ()))) for kind, specs in texts.items()}
    assert {kind: specs for kind, specs in unchecked.items() if specs} == {}, "texts the validator never checks"
    assert texts == {kind: set(specs) for kind, specs in TEXTS.items()}


def test_every_shown_field_of_the_schemas_is_hostile(hostile: Hostile) -> None:
    """The field list comes from the schemas; every field, in every language, is present and poisoned, and
    each output's expectations name every text (an address or keyword is checked where it shows as text)."""
    derived = {kind: schema_fields(kind) for kind in KINDS}
    assert {("service", "channels.*.note"), ("service", "links.*.url"), ("service", "channels.*.keyword"),
            ("offices", "*.hours.*.note"), ("directory", "feedback.email")} <= {(k, s) for k, f in derived.items() for s in f}
    for kind, fields in derived.items():
        for spec, definition in fields.items():
            if (kind, spec) not in KEPT:
                count = len(hostile.poisoned[(kind, spec)])
                assert count >= (len(LANGUAGES) if definition in ("text", "textList") else 1), f"{kind} {spec} is in no file"
    assert sum(map(len, hostile.poisoned.values())) > 120
    promised = {squash(x) for lang in LANGUAGES for table in (site_expected(hostile, lang), print_expected(hostile, lang),
                                                               scripts_expected(hostile, lang)) for xs in table.values() for x in xs}
    for (kind, spec), values in hostile.poisoned.items():
        checked = [v for v in values if squash(v) in promised]
        if (kind, spec) in KEPT:
            assert values == []
        elif (kind, spec) in SAID_ONLY:  # radio says words, not markup: test_radio_scripts_… checks its markers
            assert values, f"{kind} {spec} is in no file"
        elif (kind, spec) in NOT_SHOWN:
            assert checked == [], f"{kind} {spec} is in the expectations: take it out of NOT_SHOWN"
        elif derived[kind][spec] in ("text", "textList"):
            assert checked == values, f"{kind} {spec}: no output is checked for some of its texts"
        else:
            assert checked, f"{kind} {spec}: no output is checked for it"


def test_what_no_output_shows_appears_nowhere(hostile: Hostile, browser_view: Seen) -> None:
    """A field named in NOT_SHOWN that an output starts to show must be checked there: this says when."""
    printed = hostile.root / "print"
    everything = "\n".join([*browser_view.text.values(), *(pdf_text(p) for p in sorted(printed.rglob("*.pdf"))),
                            *(p.read_text(encoding="utf-8") for p in sorted(printed.rglob("*.txt")))]).lower()
    for (kind, spec), why in NOT_SHOWN.items():
        for value in hostile.poisoned[(kind, spec)]:
            marker = re.search(r"Vq[a-z]{3}", value).group(0)  # type: ignore[union-attr]
            assert marker.lower() not in everything, f"{kind} {spec} ({why}) is shown now: check it where it shows"


def test_the_build_saw_the_markup_and_nothing_else_went_wrong(hostile: Hostile) -> None:
    assert any("looks like HTML or Markdown" in p.message for p in hostile.problems)
    unexpected = [f"{p.level}: {p.message}" for p in hostile.problems
                  if p.level not in ("warning", "notice") or not any(re.search(a, p.message) for a in ALLOWED_PROBLEMS)]
    assert unexpected == []


def no_markup_from_the_catalogue(html: str) -> list[str]:
    """Tags, attributes and elements that only the catalogue's hostile texts could have made."""
    return [bad for bad in RAW_INJECTIONS if bad in html] + MARKED_ELEMENT.findall(html)


def test_site_html_carries_no_markup_from_the_catalogue(hostile: Hostile) -> None:
    pages = sorted((hostile.root / "site").rglob("*.html"))
    assert len(pages) >= 30
    for path in pages:
        assert no_markup_from_the_catalogue(path.read_text(encoding="utf-8")) == [], path


def test_offline_bundle_carries_no_markup_from_the_catalogue(hostile: Hostile) -> None:
    bundles = sorted((hostile.root / "print" / "offline").glob("site-*.zip"))
    assert len(bundles) == len(LANGUAGES)
    for bundle in bundles:
        with zipfile.ZipFile(bundle) as z:
            pages = [name for name in z.namelist() if name.endswith(".html")]
            assert len(pages) >= 14
            for name in pages:
                assert no_markup_from_the_catalogue(z.read(name).decode("utf-8")) == [], f"{bundle.name}: {name}"


def test_site_in_the_browser_runs_nothing_and_injects_nothing(browser_view: Seen) -> None:
    assert len(browser_view.injected) >= 28
    assert {path: found for path, found in browser_view.injected.items() if found} == {}
    assert browser_view.dialogs == []
    assert browser_view.search_injected == []
    assert "<b>tagbold</b>" in browser_view.search and "{{ 7*7 }}" in browser_view.search  # found, shown as written


def test_site_shows_every_text_literally_on_its_page(hostile: Hostile, browser_view: Seen) -> None:
    for lang in LANGUAGES:
        for path, expected in site_expected(hostile, lang).items():
            assert path in browser_view.text, path
            assert expected or path.endswith("404.html") or path == "index.html"
            assert missing(expected, browser_view.text[path]) == [], path


class TextOf(html.parser.HTMLParser):
    """The text of a page's <h1>, entities decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.inside = self.inside or tag == "h1"

    def handle_endtag(self, tag: str) -> None:
        self.inside = self.inside and tag != "h1"

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.text += data


def test_qr_redirect_pages_show_the_service_name_literally(hostile: Hostile) -> None:
    pages = sorted((hostile.root / "site" / "q").glob("*/index.html"))
    names = [x for s in hostile.services for lang in LANGUAGES for x in shown(s["name"], lang)]
    assert len(pages) == len(names)
    headings = []
    for path in pages:
        parser = TextOf()
        parser.feed(path.read_text(encoding="utf-8"))
        headings.append(parser.text)
    assert sorted(squash(n) for n in names) == sorted(squash(h) for h in headings)


def pdf_text(path: Path) -> str:
    """The PDF's text, without the booklet's page numbers (at the foot of each page, before the form feed)."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True, timeout=60).stdout
    return re.sub(r"\n\d+\n*\f", "\n", text)


def on_paper(text: str) -> str:
    """pdftotext joins a word broken after a hyphen at the end of a line and drops that hyphen: so do we."""
    return text.replace("-", "")


def test_leaflets_and_booklets_print_every_text_literally(hostile: Hostile) -> None:
    printed = hostile.root / "print"
    checked = 0
    for lang in LANGUAGES:
        for path, expected in print_expected(hostile, lang).items():
            text = pdf_text(printed / path)
            assert missing([on_paper(x) for x in expected], on_paper(text)) == [], path
            flat = squash(text)  # tags are characters on paper; nothing is evaluated or decoded
            assert "<b>tagbold</b>" in flat and "<script>alert(1)</script>" in flat, path
            assert "{{7*7}}" in flat and "&amp;" in flat and not re.search(r"(?<!\d)49(?!\d)", text), path
            checked += 1
    pdfs = len(list(printed.glob("leaflets/*/*.pdf"))) + len(list(printed.glob("booklets/*/*.pdf")))
    assert checked == pdfs == len(LANGUAGES) * (len(hostile.services) + len(hostile.data["audiences"]) + len(hostile.data["life-events"]))


ENTITY = re.compile(r"&(?:lt|gt|quot|#\d+|#x[0-9a-fA-F]+);|&amp;(?:amp|lt|gt|copy);")


def test_noticeboards_and_sms_are_plain_text_as_written(hostile: Hostile) -> None:
    printed = hostile.root / "print"
    for lang in LANGUAGES:
        expected = scripts_expected(hostile, lang)
        assert len(expected) == len(list(printed.glob(f"noticeboard/{lang.lower()}/*.txt"))) \
            + len(list(printed.glob(f"sms/{lang.lower()}/*.txt")))
        for path, texts in expected.items():
            text = (printed / path).read_text(encoding="utf-8")
            assert missing(texts, text) == [], path
            assert ENTITY.findall(text) == [], path  # nothing escaped for HTML
            assert not re.search(r"(?<!\d)49(?!\d)", text), path  # {{ 7*7 }} not evaluated
            assert "{{7*7}}" in squash(text) or path.startswith("sms/zh"), path


def test_radio_scripts_are_words_for_the_ear_never_markup(hostile: Hostile) -> None:
    """Radio drops symbols and addresses on purpose: it promises no entity, nothing evaluated, and the words."""
    radio = hostile.root / "print" / "radio"
    files = sorted(radio.rglob("*.txt"))
    assert len(files) == len(LANGUAGES) * (len(hostile.services) + len(hostile.data["life-events"]))
    for lang in LANGUAGES:
        said_49 = ("四十九",) if lang == "zh-Hans" else ("forty-nine", "forty nine")
        scripts = {f"{s['id']}.txt": s for s in hostile.services}
        scripts.update({f"life-event-{e['id']}.txt": e for e in hostile.data["life-events"]})
        for file, subject in scripts.items():
            text = (radio / lang.lower() / file).read_text(encoding="utf-8")
            name = shown(subject["name"], lang)[0]
            heading = text.splitlines()[0]  # the presenter's note names the service or event as written
            assert squash(name.split("\n")[0]) in squash(heading), file
            spoken = "\n".join(line for line in text.splitlines() if not line.startswith("#"))  # not the timings
            marker = re.search(r"Vq[a-z]{3}", name).group(0)  # type: ignore[union-attr]
            assert marker.lower() in spoken.lower(), file  # the name is said
            if subject.get("radio"):  # the editor's text for radio is said in place of the summary
                said = re.search(r"Vq[a-z]{3}", shown(subject["radio"], lang)[0]).group(0)  # type: ignore[union-attr]
                assert said.lower() in spoken.lower(), file
            assert re.findall(r"(?:\blt|\bgt|quot|#\d+|#x[0-9a-fA-F]+);|amp;amp", text) == [], file
            assert not re.search(r"(?<!\d)49(?!\d)", spoken) and not any(n in spoken.lower() for n in said_49), file
