"""Render stage, print: one booklet per audience and per life event, in each language, as tagged PDF."""
from __future__ import annotations

from typing import Any

from ..model import Catalogue, Service
from ..present import Words
from ..problems import Problem
from ..write import Staging
from . import TEMPLATES, Options, direction, environment, lang_path, pdfs
from .leaflets import paper_css, service_view

BOOKLET_CSS = (TEMPLATES / "print" / "booklet.css").read_text(encoding="utf-8")


def groups_for(catalogue: Catalogue, kind: str, ident: str, w: Words) -> list[dict[str, Any]]:
    """The booklet's sections in reading order: journey steps, or life events, then the rest."""
    services = [s for s in catalogue.services if s.status != "withdrawn"]
    groups: list[tuple[str, list[Service]]] = []
    if kind == "life-event":
        event = catalogue.by_id["life_events"][ident]
        in_steps: set[str] = set()
        for number, step in enumerate(event.steps, 1):
            members = [catalogue.by_id["services"][sid] for sid in step.services]
            in_steps |= set(step.services)
            groups.append((w._("Step {number}").format(number=number) + f": {w.text(step.title)}", members))
        rest = [s for s in services if ident in s.life_events and s.id not in in_steps]
        groups.append((w._("Other related services") if event.steps else "", rest))
    else:
        mine = [s for s in services if ident in s.audiences]
        for event in catalogue.life_events:
            groups.append((w.text(event.name), [s for s in mine if event.id in s.life_events]))
        groups.append((w._("Other related services"), [s for s in mine if not s.life_events]))
    return [{"key": f"g{i}", "title": title, "services": [service_view(catalogue, s, w) for s in members]}
            for i, (title, members) in enumerate(groups) if members]


def compose(catalogue: Catalogue, item: tuple[str, str, str], options: Options) -> pdfs.Page:
    lang, kind, ident = item
    w = Words(catalogue, lang)
    subject = catalogue.by_id["audiences" if kind == "audience" else "life_events"][ident]
    groups = groups_for(catalogue, kind, ident, w)
    reviewed = max((s["reviewed_iso"] for g in groups for s in g["services"]), default="2000-01-01")
    html = environment("print", html=True).get_template("booklet.html").render(
        **w.jinja(), lang=lang, dir=direction(lang), large=options.large_print, title=w.text(subject.name),
        description=w.text(subject.description), directory_name=w.text(catalogue.directory.name),
        groups=groups, reviewed_iso=reviewed)
    return pdfs.Page(f"booklets/{lang_path(lang)}/{kind}-{ident}.pdf", html, BOOKLET_CSS + paper_css(options))


def render(catalogue: Catalogue, stage: Staging, options: Options) -> list[Problem]:
    """print/booklets/<lang>/audience-<id>.pdf and life-event-<id>.pdf."""
    items = [(lang, kind, ident) for lang in catalogue.directory.languages
             for kind, idents in (("audience", [a.id for a in catalogue.audiences]),
                                  ("life-event", [e.id for e in catalogue.life_events])) for ident in idents]
    problems = []
    for made in pdfs.render("booklets", compose, catalogue, items, stage, options, "leaflet.css"):
        source = "audiences.yml" if "/audience-" in made.path else "life-events.yml"
        problems += [Problem(f"{catalogue.root}/{source}", 1, 1, "warning", f"booklet print/{made.path}: {m}")
                     for m in made.warnings]
    return problems
