"""Render stage, website: the catalogue as plain Markdown pages per language, built by the site engine."""
from __future__ import annotations

import html
import json
import multiprocessing
import os
import posixpath
import re
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote

import yaml
from markupsafe import Markup, escape

from .. import qr
from ..i18n import Phrase
from ..model import Catalogue, Service
from ..present import Words, online_only
from ..problems import Problem
from ..write import Staging
from . import TEMPLATES, Options, direction, environment, lang_path, md, mkdocs_engine, search

PUBLISHER_CONFIG = TEMPLATES.parent / "mkdocs.yml"
# Python-Markdown removes a backslash before these; HTML's own specials become entities.


def safe_url(url: str) -> Markup:
    """A link target for Markdown: only web, mail and phone schemes, with no character that ends a link."""
    if not re.match(r"(https?:|mailto:|tel:)", url):
        raise ValueError(f"refusing a link to {url!r}")
    return Markup(quote(url, safe=":/?#@!$&'*+,;=%~[]-._"))


def link(text: str, url: str) -> Markup:
    """A Markdown link; its text on one line (a blank line in it would end the link and show the Markdown)."""
    shown = md(text) if isinstance(text, Phrase) else md(' '.join(text.split()))  # interface words: one line, maybe marked
    return Markup(f"[{shown}]({safe_url(url) if '://' in url or url.startswith(('mailto:', 'tel:')) else url})")


@dataclass(frozen=True)
class PageLink:
    """A link from one Markdown page to another, relative, so the site works under any path."""

    title: str
    target: str

    def from_(self, page: str) -> Markup:
        return link(self.title, posixpath.relpath(self.target, posixpath.dirname(page) or "."))


class SiteBuilder:
    """All pages of one language, as Markdown, plus the engine-neutral site description."""

    def __init__(self, catalogue: Catalogue, lang: str, leaflets: bool = False, offline: bool = False):
        self.cat = catalogue
        self.lang = lang
        self.leaflets = leaflets
        self.offline = offline  # one language in a bundle opened from file://: no other languages to link
        self.w = Words(catalogue, lang)
        self.env = environment("site/pages", html=False, finalize=md)

    # paths ------------------------------------------------------------------------------------
    @staticmethod
    def url_of(page: str) -> str:
        """Markdown path -> its folder URL inside the language: services/x.md -> services/x/."""
        stem = page[:-3]
        if stem == "index":
            return ""
        if stem.endswith("/index"):
            return stem[:-5]
        return stem + "/"

    def alternates(self, page: str) -> list[dict[str, str]]:
        if self.offline:
            return []
        url = self.url_of(page)
        up = "../" * (url.count("/") + 1)
        return [{"lang": other, "name": Words(self.cat, other).language_name(), "dir": direction(other),
                 "href": f"{up}{lang_path(other)}/{url}"}
                for other in self.cat.directory.languages if other != self.lang]

    def leaflet_href(self, sid: str) -> str:
        """From a service page to its leaflet: site/<lang>/services/<id>/ -> site/leaflets/<lang>/<id>.pdf;
        in an offline bundle, services/<id>.html -> leaflets/<id>.pdf."""
        return f"../leaflets/{sid}.pdf" if self.offline else f"../../../leaflets/{lang_path(self.lang)}/{sid}.pdf"

    def phone(self, number: str | None) -> Markup | None:
        if not number:
            return None
        phone = self.w.phone(number)
        return link(phone.shown, phone.tel)

    def service_link(self, sid: str) -> PageLink:
        return PageLink(self.w.name_of("services", sid), f"services/{sid}.md")

    # pages ------------------------------------------------------------------------------------
    def render(self, template: str, page: str, **context: Any) -> str:
        meta = {"alternates": self.alternates(page), "other_languages": str(self.w._("This page in other languages"))}
        description = context.pop("description", None)
        if description:
            meta["description"] = html.escape(description, quote=True)  # the theme prints it as it is
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
        body = self.env.get_template(template).render(**self.w.jinja(), w=self.w, page=page, **context)
        return f"---\n{front}---\n\n{body}"

    def pages(self) -> dict[str, str]:
        out = {"index.md": self.home(), "a-z.md": self.a_to_z(), "life-events/index.md": self.life_event_list()}
        if self.cat.audiences:  # none yet (an import): no empty page, no link to one
            out["audiences/index.md"] = self.audience_list()
        if self.cat.offices:  # an online-only directory has none: no empty page, no link to one
            out["offices/index.md"] = self.office_list()
        for audience in self.cat.audiences:
            out[f"audiences/{audience.id}.md"] = self.audience(audience)
        for event in self.cat.life_events:
            out[f"life-events/{event.id}.md"] = self.life_event(event)
        for office in self.cat.offices:
            out[f"offices/{office.id}.md"] = self.office(office)
        for service in self.cat.services:
            out[f"services/{service.id}.md"] = self.service(service)
        out["about/coverage.md"] = self.coverage()
        if not self.offline:  # the bundle opened from file:// carries no data files
            out["about/data.md"] = self.open_data()
        return out

    def open_data(self) -> str:
        """Where harvesters find the catalogue as open data (site/data/, written by interop.formats.publish)."""
        from ..interop.formats import PUBLISHED

        return self.render("data.md", "about/data.md", title=self.w._("Open data"),
                           # raw HTML: the files lie outside the engine's pages, so its link checker cannot see them
                           files=[Markup(f'<a href="../../../data/{path}">') + escape(name) + Markup("</a>")
                                  for name, path in PUBLISHED],
                           base=self.cat.directory.base_url)

    def coverage(self) -> str:
        """The planners' coverage report, published under "about"."""
        from .. import report
        from ..checks import today_in

        data = report.coverage(self.cat, today_in(self.cat.directory.timezone))
        return self.render("coverage.md", "about/coverage.md", title=self.w._("Coverage report"),
                           body=Markup(report.coverage_markdown(data, self.cat, self.lang)))

    def visible(self) -> list[Service]:
        return [s for s in self.cat.services if s.status != "withdrawn"]

    def home(self) -> str:
        w = self.w
        directory = self.cat.directory
        events = {kind: [PageLink(w.text(e.name), f"life-events/{e.id}.md") for e in self.cat.life_events if e.kind == kind]
                  for kind in ("life", "business")}
        return self.render(
            "home.md", "index.md", title=w.text(directory.name),
            audiences=[(PageLink(w.text(a.name), f"audiences/{a.id}.md"), w.text(a.description)) for a in self.cat.audiences],
            life_events=events["life"], business_events=events["business"],
            a_to_z=PageLink(w._("All services A to Z"), "a-z.md"),
            offices=PageLink(w._("Offices and service points"), "offices/index.md") if self.cat.offices else None,
            feedback=self.feedback("index.md"), count=len(self.visible()))

    def audience_list(self) -> str:
        return self.render("hub.md", "audiences/index.md", title=self.w._("Find services by who you are"), groups=[("", [
            (PageLink(self.w.text(a.name), f"audiences/{a.id}.md"), self.w.text(a.description)) for a in self.cat.audiences])])

    def life_event_list(self) -> str:
        groups = [(self.w._("Find services by what is happening in your life") if kind == "life"
                   else self.w._("Services for businesses, by business event"),
                   [(PageLink(self.w.text(e.name), f"life-events/{e.id}.md"), self.w.text(e.description))
                    for e in self.cat.life_events if e.kind == kind]) for kind in ("life", "business")]
        groups = [(heading, entries) for heading, entries in groups if entries]  # no heading over nothing
        return self.render("hub.md", "life-events/index.md", title=self.w._("Find services by what is happening in your life"),
                           groups=groups)

    def audience(self, audience: Any) -> str:
        services = [s for s in self.visible() if audience.id in s.audiences]
        groups = []
        for event in self.cat.life_events:
            members = [s for s in services if event.id in s.life_events]
            if members:
                groups.append((PageLink(self.w.text(event.name), f"life-events/{event.id}.md"),
                               [(self.service_link(s.id), self.w.text(s.summary)) for s in members]))
        others = [(self.service_link(s.id), self.w.text(s.summary)) for s in services if not s.life_events]
        return self.render("audience.md", f"audiences/{audience.id}.md", name=self.w.text(audience.name),
                           intro=self.w.text(audience.description), description=self.w.text(audience.description),
                           groups=groups, others=others)

    def life_event(self, event: Any) -> str:
        in_steps = {sid for step in event.steps for sid in step.services}
        steps = [(self.w.text(step.title),
                  [(self.service_link(sid), self.w.text(self.cat.by_id["services"][sid].summary)) for sid in step.services])
                 for step in event.steps]
        others = [(self.service_link(s.id), self.w.text(s.summary)) for s in self.visible()
                  if event.id in s.life_events and s.id not in in_steps]
        return self.render("life_event.md", f"life-events/{event.id}.md", name=self.w.text(event.name),
                           intro=self.w.text(event.description), description=self.w.text(event.description),
                           steps=steps, others=others)

    def office_list(self) -> str:
        return self.render("offices.md", "offices/index.md", title=self.w._("Offices and service points"),
                           offices=[(PageLink(self.w.text(o.name), f"offices/{o.id}.md"), self.w.text(o.address),
                                     self.w.opening(o)) for o in self.cat.offices])

    def office(self, office: Any) -> str:
        here = [s for s in self.visible() if any(c.office == office.id for c in s.channels)]
        return self.render("office.md", f"offices/{office.id}.md", name=self.w.text(office.name),
                           description=self.w.text(office.address), address=self.w.text(office.address),
                           hours=self.w.opening(office), accessibility=self.w.text(office.accessibility),
                           phone=self.phone(office.phone),
                           provider=self.w.name_of("providers", office.provider),
                           services=[(self.service_link(s.id), self.w.text(s.summary)) for s in here])

    def a_to_z(self) -> str:
        entries = sorted(((self.w.text(s.name), s) for s in self.visible()), key=lambda e: sort_key(e[0], self.lang))
        groups: dict[str, list[tuple[PageLink, str]]] = {}
        for name, s in entries:
            groups.setdefault(initial(name, self.lang), []).append((self.service_link(s.id), self.w.text(s.summary)))
        return self.render("a_z.md", "a-z.md", title=self.w._("All services A to Z"), groups=groups)

    def feedback(self, page: str) -> dict[str, Any]:
        fb = self.cat.directory.feedback
        page_url = f"{self.cat.directory.base_url}{lang_path(self.lang)}/{self.url_of(page)}"
        mail = None
        if "email" in fb:
            subject = str(self.w._("Report a problem with this page")) + ": " + page_url
            mail = link(fb["email"], f"mailto:{fb['email']}?subject={quote(subject)}")
        return {"page": page_url, "email": mail, "phone": self.phone(fb.get("phone")),
                "url": link(fb["url"], fb["url"]) if "url" in fb else None}

    def service(self, s: Service) -> str:
        w = self.w
        page = f"services/{s.id}.md"
        journeys = [PageLink(w.text(e.name), f"life-events/{e.id}.md") for e in self.cat.life_events
                    if any(s.id in step.services for step in e.steps)]
        channels = [self.channel(c, page) for c in s.channels]
        repository = self.cat.directory.repository
        edit = repository["edit_url"].replace("{path}", s.source) if repository else None
        return self.render(
            "service.md", page, s=s, name=w.text(s.name), summary=w.text(s.summary), description=w.text(s.summary),
            paragraphs=w.paragraphs(s.description), translated=all(w.translated(v) for v in (s.name, s.summary, s.description)),
            journeys=journeys, audiences=[PageLink(w.text(self.cat.by_id["audiences"][a].name), f"audiences/{a}.md") for a in s.audiences],
            eligibility=w.listed(s, "eligibility"), documents=w.listed(s, "documents"), steps=w.listed(s, "steps"),
            cost=w.cost(s), time=w.time(s), deadline=w.text(s.deadline),
            stage=w.stage(s.online_stage) if s.online_stage else "", online_only=w.online_only_notice(s) if online_only(s.channels) else "", channels=channels,
            no_channel=w.ask(s, "channels") if not s.channels else "",
            links=[link(w.text(l.title), l.url) for l in s.links],
            related=[self.service_link(r) for r in s.related],
            provider=self.provider(s.provider), reviewed=w.date(s.last_reviewed),
            feedback=self.feedback(page), edit=link(w._("Edit this page"), edit) if edit else None, help_point=w.help_point(),
            # raw HTML: the PDF lies outside the engine's pages, so its link checker cannot see it
            leaflet=Markup(f'<a href="{self.leaflet_href(s.id)}" type="application/pdf">')
            + escape(w._("Printable leaflet (PDF)")) + Markup("</a>")
            if self.leaflets and s.status != "withdrawn" else None,
            jsonld=Markup(json_ld(self.cat, s, self.lang, w)))

    def provider(self, pid: str) -> dict[str, Any]:
        p = self.cat.by_id["providers"][pid]
        return {"name": self.w.text(p.name), "url": link(self.w.text(p.name), p.url) if p.url else None,
                "phone": self.phone(p.phone)}

    def channel(self, c: Any, page: str) -> dict[str, Any]:
        w = self.w
        office = self.cat.by_id["offices"][c.office] if c.office else None
        return {
            "type": c.type, "label": w.channel(c.type), "note": w.text(c.note), "hours": w.hours(c.hours),
            "url": link(w.text(c.name) or c.url, c.url) if c.url else None,
            "phone": self.phone(c.phone), "fax": w.phone(c.fax).shown if c.fax else None,
            "office": PageLink(w.text(office.name), f"offices/{office.id}.md").from_(page) if office else None,
            "office_address": w.text(office.address) if office else "",
            "office_hours": w.opening(office) if office else [],
            "office_access": w.text(office.accessibility) if office else "",
            "address": w.text(c.address), "email": link(c.email, f"mailto:{c.email}") if c.email else None,
            "sms": w._("Text {keyword} to {number}").format(keyword=c.keyword, number=c.number) if c.keyword else c.number,
            "app": w.text(c.name) if c.type == "mobile-app" else "",
        }


_INITIAL_LATIN = re.compile(r"[A-Za-z]")


def sort_key(name: str, lang: str) -> tuple[str, str]:
    if lang.startswith("zh"):
        from pypinyin import lazy_pinyin
        return ("".join(lazy_pinyin(name)).lower(), name)
    return (name.casefold(), name)


def initial(name: str, lang: str) -> str:
    if lang.startswith("zh"):
        from pypinyin import lazy_pinyin
        first = "".join(lazy_pinyin(name[:1]))[:1]
    else:
        first = name[:1]
    return first.upper() if _INITIAL_LATIN.match(first) else "#"


def json_ld(cat: Catalogue, s: Service, lang: str, w: Words) -> str:
    """schema.org GovernmentService for search engines, as a script element safe inside HTML."""
    provider = cat.by_id["providers"][s.provider]
    channels = []
    for c in s.channels:
        channel: dict[str, Any] = {"@type": "ServiceChannel", "name": w.channel(c.type)}
        if c.url:
            channel["serviceUrl"] = c.url
        if c.phone:
            channel["servicePhone"] = {"@type": "ContactPoint", "telephone": w.phone(c.phone).shown}
        if c.office:
            office = cat.by_id["offices"][c.office]
            channel["serviceLocation"] = {"@type": "Place", "name": w.text(office.name), "address": w.text(office.address)}
        hours = cat.hours_of(c)
        if hours:
            channel["hoursAvailable"] = [
                {"@type": "OpeningHoursSpecification", "dayOfWeek": [f"https://schema.org/{DAY_NAMES[d]}" for d in h.days],
                 "opens": h.opens, "closes": h.closes} for h in hours]
        channels.append(channel)
    doc = {
        "@context": "https://schema.org", "@type": "GovernmentService", "inLanguage": lang,
        "name": w.text(s.name), "description": w.text(s.summary),
        "url": f"{cat.directory.base_url}{lang_path(lang)}/services/{s.id}/",
        "provider": {"@type": "GovernmentOrganization", "name": w.text(provider.name), **({"url": provider.url} if provider.url else {})},
        "audience": [{"@type": "Audience", "audienceType": w.name_of("audiences", a)} for a in s.audiences],
        "areaServed": {"@type": "AdministrativeArea", "name": w.text(cat.directory.name)},
        "availableChannel": channels,
    }
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">\n{text}\n</script>'


DAY_NAMES = {"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday", "fri": "Friday",
             "sat": "Saturday", "sun": "Sunday"}


def nav_item(title: Any, page: str) -> mkdocs_engine.NavItem:
    """A menu entry; a title in the fallback language keeps its lang mark (as escaped HTML)."""
    from markupsafe import escape

    return mkdocs_engine.NavItem(str(title), page, title_html=str(escape(title)))


def site_spec(builder: SiteBuilder, pages: dict[str, str]) -> mkdocs_engine.SiteSpec:
    """One language's site in the engine's terms."""
    w, catalogue = builder.w, builder.cat
    nav = [  # hub pages only: every page carries the menu, so it stays short (page weight)
        nav_item(w.pgettext("home page", "Home"), "index.md"),
        *([nav_item(w._("Find services by who you are"), "audiences/index.md")] if catalogue.audiences else []),
        nav_item(w._("Find services by what is happening in your life"), "life-events/index.md"),
        nav_item(w._("All services A to Z"), "a-z.md"),
        *([nav_item(w._("Offices and service points"), "offices/index.md")] if catalogue.offices else []),
        nav_item(w._("Coverage report"), "about/coverage.md"),
        *([] if builder.offline else [nav_item(w._("Open data"), "about/data.md")]),
    ]
    return mkdocs_engine.SiteSpec(
        lang=builder.lang, title=w.text(catalogue.directory.name), base_url=catalogue.directory.base_url, nav=nav,
        pages=pages, search_language=mkdocs_engine.MATERIAL_LANGUAGES.get(builder.lang, builder.lang.split("-")[0]),
        not_in_nav=["/services/*.md", "/offices/*.md", "/audiences/*.md", "/life-events/*.md"], offline=builder.offline,
        search_bundle=None if builder.offline else search.BUNDLE,
        direction=direction(builder.lang), fallback_language=catalogue.directory.languages[0],
        not_found_title=w._("Page not found"),
        not_found_text=w._("There is no page at this address. Use the menu or the search to find what you are looking for."),
        **publisher_settings(catalogue, w))


def publisher_settings(catalogue: Catalogue, w: Words) -> dict[str, Any]:
    """The footer, logo and colours, from the catalogue's directory.yml (nothing of one publisher lives in the
    project's own files)."""
    publisher = catalogue.directory.publisher
    if publisher is None:
        return {"copyright": w.text(catalogue.directory.name)}
    return {"copyright": w.text(publisher.copyright) or w.text(publisher.name),
            "logo": Path(catalogue.root) / publisher.logo if publisher.logo else None,
            "colors": dict(publisher.colors or {})}


def render(catalogue: Catalogue, stage: Staging, options: Options) -> list[Problem]:
    """site/index.html (language chooser) and one engine build per language into site/<lang>/."""
    languages = catalogue.directory.languages
    chooser = environment("site", html=True)
    stage.write("site/index.html", chooser.get_template("chooser.html").render(
        default=languages[0],
        languages=[{"lang": lang, "path": lang_path(lang), "name": Words(catalogue, lang).language_name(),
                    "title": Words(catalogue, lang).text(catalogue.directory.name), "dir": direction(lang),
                    "prompt": Words(catalogue, lang)._("Choose your language")} for lang in languages]))
    problems: list[Problem] = []
    page_urls: list[str] = []
    leaflets = stage.existing("print/leaflets")
    if leaflets is not None:  # published with the site, so the QR codes' pages can link them
        shutil.copytree(leaflets, stage.path("site/leaflets"), dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns(".*"))  # the PDFs, not the build's cache
    for service in catalogue.services:
        for lang in languages:
            stage.write(f"site/{qr.short_path(lang, service.id)}index.html", chooser.get_template("redirect.html").render(
                lang=lang, target=f"../../{lang_path(lang)}/services/{service.id}/",
                title=Words(catalogue, lang).text(service.name)))
    tasks: list[tuple[Callable[..., Any], tuple[Any, ...]]] = [
        (_language, (lang, stage.path(f"site/{lang_path(lang)}"), leaflets is not None)) for lang in languages]
    tasks.append((_open_data, (stage.path("site/data"),)))  # the open data the "Open data" page links
    for found, urls in _run_all(catalogue, tasks, options.jobs):
        problems += found
        page_urls = page_urls or urls
    stage.write("site/sitemap.xml", chooser.get_template("sitemap.xml").render(
        base=catalogue.directory.base_url, urls=page_urls, languages=[(lang, lang_path(lang)) for lang in languages]))
    return problems


_FORKED: dict[str, Catalogue] = {}  # the catalogue, for worker processes forked from the build (not pickled)


def _language(lang: str, out: Path, leaflets: bool) -> tuple[list[Problem], list[str]]:
    """One language's site, built by the engine into `out`; its problems and its pages' addresses."""
    builder = SiteBuilder(_FORKED["catalogue"], lang, leaflets=leaflets)
    pages = builder.pages()
    problems = mkdocs_engine.build(site_spec(builder, pages), PUBLISHER_CONFIG, out)
    problems += search.index(out, lang)
    return problems, sorted(builder.url_of(page) for page in pages)


def _open_data(out: Path) -> tuple[list[Problem], list[str]]:
    from ..interop.formats import publish

    publish(_FORKED["catalogue"], out)
    return [], []


def _run_all(catalogue: Catalogue, tasks: list[tuple[Callable[..., Any], tuple[Any, ...]]],
             jobs: int | None) -> list[tuple[list[Problem], list[str]]]:
    """Run the site's independent tasks (each language, the open data) in parallel worker processes, forked
    so they share the catalogue already in memory; in this process with one job or where fork is missing.
    Results come back in the tasks' order."""
    workers = min(jobs or os.cpu_count() or 1, len(tasks))
    _FORKED["catalogue"] = catalogue
    try:
        if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return [task(*args) for task, args in tasks]
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            futures = [pool.submit(task, *args) for task, args in tasks]
            return [future.result() for future in futures]
    finally:
        _FORKED.clear()
