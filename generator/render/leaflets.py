"""Render stage, print: one leaflet per service and language (A5, clear print, QR code) as tagged PDF."""
from __future__ import annotations

from typing import Any

from .. import qr
from ..model import Catalogue, Service
from ..present import OFFLINE_CHANNELS, Words
from ..problems import Problem
from ..write import Staging
from . import Options, direction, environment, lang_path, pdfs

SIDES = 2  # a leaflet is one sheet of paper, printed on both sides


def leaflet_path(lang: str, service_id: str) -> str:
    return f"leaflets/{lang_path(lang)}/{service_id}.pdf"


def qr_url(catalogue: Catalogue, lang: str, service_id: str) -> str:
    return catalogue.directory.base_url + qr.short_path(lang, service_id)


def _unbroken(phone: str, lang: str) -> str:
    """A phone number never breaks across lines on paper; in a right-to-left language it is a left-to-right
    isolate (U+2066…U+2069), or the bidi algorithm would print its groups in reverse (0001 8120 0579)."""
    phone = phone.replace(" ", "\u00a0")
    return f"\u2066{phone}\u2069" if direction(lang) == "rtl" else phone


def ways(catalogue: Catalogue, service: Service, w: Words) -> list[dict[str, Any]]:
    """Every offline way to use the service, in the catalogue's order; online ones are the QR code's job.
    Channels at one office share one entry (its name and address once, then each way with its hours)."""
    if not service.channels:  # the catalogue says none yet: whom to ask instead
        return [{"label": "", "text": w.ask(service, "channels"), "lines": []}]
    out: list[dict[str, Any]] = []
    at_office: dict[str, dict[str, Any]] = {}
    said: set[str] = set()  # a note shared by several ways (three village agents, say) is printed once
    for c in service.channels:
        if c.type not in OFFLINE_CHANNELS:
            continue
        note = [w.text(c.note)] if c.note and w.text(c.note) not in said else []
        said.update(note)
        if c.office:
            if c.office not in at_office:
                office = catalogue.by_id["offices"][c.office]
                at_office[c.office] = {"label": w.text(office.name), "text": w.text(office.address), "lines": []}
                out.append(at_office[c.office])
            hours = w.pgettext("list separator", "; ").join(w.hours_at(c))
            at_office[c.office]["lines"] += [w.channel(c.type) + w.pgettext("after a label", ": ") + hours if hours
                                             else w.channel(c.type)] + note
            continue
        text, lines = "", w.hours(c.hours)
        if c.phone or c.fax:
            text = _unbroken(w.phone(c.phone or c.fax).shown, w.lang) + (f" ({note.pop()})" if note else "")
        elif c.address:
            text = w.text(c.address)
        elif c.type == "sms":
            text = w._("Text {keyword} to {number}").format(keyword=c.keyword, number=c.number) if c.keyword else c.number or ""
        if not text and note:
            text = note.pop()
        out.append({"label": w.channel(c.type), "text": text,
                    "lines": ([w.pgettext("list separator", "; ").join(lines)] if lines else []) + note})
    if not out:  # online only: where to go online (the QR code leads there too), and help for those who are not
        out = [{"label": w.channel(c.type), "text": c.url or w.text(c.note), "lines": []} for c in service.channels
               if c.url or c.note]
        out.append({"label": "", "text": w.online_only_notice(service), "lines": []})
    return out


def service_view(catalogue: Catalogue, service: Service, w: Words) -> dict[str, Any]:
    """What a printed service shows, in one language (the templates' contract)."""
    url = qr_url(catalogue, w.lang, service.id)
    name = w.text(service.name)
    code = qr.make(url, title=str(w._("QR code linking to the web page")) + ": " + name)
    feedback = catalogue.directory.feedback.get("phone")
    return {
        "id": service.id, "name": name, "summary": w.text(service.summary),
        "eligibility": w.listed(service, "eligibility"), "documents": w.listed(service, "documents"),
        "steps": w.listed(service, "steps"), "cost": w.cost(service), "time": w.time(service),
        "deadline": w.text(service.deadline), "ways": ways(catalogue, service, w),
        "qr_svg": code.svg, "qr_url": url,
        "feedback_phone": _unbroken(w.phone(feedback).shown, w.lang) if feedback else "",
        "reviewed": w.date(service.last_reviewed), "reviewed_iso": service.last_reviewed.isoformat(),
    }


def context(catalogue: Catalogue, service: Service, lang: str, large: bool) -> dict[str, Any]:
    w = Words(catalogue, lang)
    return {**w.jinja(), "lang": lang, "dir": direction(lang), "large": large,
            "directory_name": w.text(catalogue.directory.name),
            "s": service_view(catalogue, service, w)}


def compose(catalogue: Catalogue, item: tuple[str, str], options: Options) -> pdfs.Page:
    lang, sid = item
    html = environment("print", html=True).get_template("leaflet.html").render(
        **context(catalogue, catalogue.by_id["services"][sid], lang, options.large_print))
    return pdfs.Page(leaflet_path(lang, sid), html, paper_css(options))


def paper_css(options: Options) -> str:
    return f"@page {{ size: {options.paper.upper()}; }}" if options.paper != "a5" else ""


def render(catalogue: Catalogue, stage: Staging, options: Options) -> list[Problem]:
    """print/leaflets/<lang>/<id>.pdf (the site publishes them too when it is built)."""
    items = [(lang, s.id) for s in catalogue.services if s.status != "withdrawn" for lang in catalogue.directory.languages]
    problems: list[Problem] = []
    for made in pdfs.render("leaflets", compose, catalogue, items, stage, options, "leaflet.css"):
        where = f"{catalogue.root}/{catalogue.by_id['services'][made.path.rsplit('/', 1)[1][:-4]].source}"
        messages = list(made.warnings)
        if made.pages > SIDES:
            messages.append(f"runs to {made.pages} pages, more than one sheet printed on both sides; shorten "
                            f"its texts (steps, notes, hours) or print it with --paper a4")
        problems += [Problem(where, 1, 1, "warning", f"leaflet print/{made.path}: {m}") for m in messages]
    return problems
