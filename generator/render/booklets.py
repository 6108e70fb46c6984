"""Render stage, print: one booklet per audience and per life event, in each language, as tagged PDF."""
from __future__ import annotations

import functools
from typing import Any, Callable

from markupsafe import Markup

from ..model import Catalogue, Service
from ..present import Words
from ..problems import Problem
from ..write import Staging
from . import TEMPLATES, Options, direction, environment, lang_path, pdfs
from .leaflets import _unbroken, paper_css, service_view, short_pages

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
    help_line = catalogue.directory.feedback.get("phone")  # the cover's number for help with any of the services
    help_phone = Markup('<strong class="phone">{}</strong>').format(_unbroken(w.phone(help_line).shown, lang)) if help_line else ""
    html = environment("print", html=True).get_template("booklet.html").render(
        **w.jinja(), lang=lang, dir=direction(lang), large=options.large_print, title=w.text(subject.name),
        description=w.text(subject.description), directory_name=w.text(catalogue.directory.name),
        help_phone=help_phone, groups=groups, reviewed_iso=reviewed)
    possible = layouts(options)
    return pdfs.Page(f"booklets/{lang_path(lang)}/{kind}-{ident}.pdf", html, BOOKLET_CSS + paper_css(options),
                     possible, functools.partial(choose, len(possible)))


# A booklet's pages run on; where they still leave a nearly blank page (the last service's last lines alone on the
# last page, the contents spilling a few lines onto a page of their own), other layouts are tried, in this order:
# the last service kept whole (when it fits one page); body text a half point larger, then smaller, which moves
# every break; services following the contents on the contents' last page; and these together.
SIZES = (14.0, 14.5, 13.5)  # body text, pt; large print a third larger, as for leaflets
FLOWING_CONTENTS = ".toc { break-after: auto; }"
LAST_WHOLE = "body > .group:last-of-type > .service:last-of-type { break-inside: avoid; }"


def layouts(options: Options) -> tuple[str, ...]:
    """A booklet's layouts in order of preference, as CSS added to its stylesheets."""
    base, larger, smaller = (f"body, body.large {{ font-size: {size * (4 / 3 if options.large_print else 1):.4g}pt; }}"
                             if size != SIZES[0] else "" for size in SIZES)
    tried = [(base, "", ""), (base, "", LAST_WHOLE), (larger, "", ""), (smaller, "", ""),
             (base, FLOWING_CONTENTS, ""), (base, FLOWING_CONTENTS, LAST_WHOLE)]
    tried += [(size, toc, last) for size in (larger, smaller) for toc in ("", FLOWING_CONTENTS)
              for last in ("", LAST_WHOLE) if (size, toc, last) not in tried]
    return tuple(" ".join(css for css in layout if css) for layout in tried)


def choose(count: int, measure: Callable[[int], list[int]]) -> int:
    """The first layout without a nearly blank page, else the one with the fewest (the first of those)."""
    nearly_blank: list[int] = []
    for number in range(count):
        nearly_blank.append(len(short_pages(measure(number))))
        if not nearly_blank[-1]:
            return number
    return nearly_blank.index(min(nearly_blank))


def render(catalogue: Catalogue, stage: Staging, options: Options) -> list[Problem]:
    """print/booklets/<lang>/audience-<id>.pdf and life-event-<id>.pdf."""
    items = [(lang, kind, ident) for lang in catalogue.directory.languages
             for kind, idents in (("audience", [a.id for a in catalogue.audiences]),
                                  ("life-event", [e.id for e in catalogue.life_events])) for ident in idents]
    problems = []
    for made in pdfs.render("booklets", compose, catalogue, items, stage, options, "leaflet.css"):
        source = f"{catalogue.root}/{'audiences.yml' if '/audience-' in made.path else 'life-events.yml'}"
        problems += [Problem(source, 1, 1, "warning", f"booklet print/{made.path}: {m}") for m in made.warnings]
        problems += [Problem(source, 1, 1, "notice", f"booklet print/{made.path}: page {number} holds only "
                             f"{made.lines[number - 1]} lines of text") for number in short_pages(made.lines)]
    return problems
