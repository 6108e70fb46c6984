"""Render stage, print: one leaflet per service and language (A5, clear print, QR code) as tagged PDF."""
from __future__ import annotations

from typing import Any

from .. import pdf, qr
from ..model import Catalogue, Service
from ..present import OFFLINE_CHANNELS, Words
from ..problems import Problem
from ..write import Staging
from . import TEMPLATES, Options, environment, in_workers, lang_path

STYLESHEET = TEMPLATES / "print" / "leaflet.css"


def leaflet_path(lang: str, service_id: str) -> str:
    return f"leaflets/{lang_path(lang)}/{service_id}.pdf"


def qr_url(catalogue: Catalogue, lang: str, service_id: str) -> str:
    return catalogue.directory.base_url + qr.short_path(lang, service_id)


def ways(catalogue: Catalogue, service: Service, w: Words) -> list[dict[str, Any]]:
    """Every offline way to use the service, in the catalogue's order; online ones are the QR code's job."""
    out = []
    for c in service.channels:
        if c.type not in OFFLINE_CHANNELS:
            continue
        lines: list[str] = []
        text = w.text(c.note)
        if c.office:
            office = catalogue.by_id["offices"][c.office]
            text = f"{w.text(office.name)}, {w.text(office.address)}"
            lines = w.hours(c.hours or office.hours)
            if c.note:
                lines.append(w.text(c.note))
        elif c.phone or c.fax:
            text = w.phone(c.phone or c.fax).shown + (f" ({w.text(c.note)})" if c.note else "")
            lines = w.hours(c.hours)
        elif c.address:
            text = w.text(c.address)
        elif c.type == "sms":
            text = w.s["sms_keyword"].format(keyword=c.keyword, number=c.number) if c.keyword else c.number or ""
        else:
            lines = w.hours(c.hours)
        out.append({"label": w.channel(c.type), "text": text, "lines": lines})
    return out


def service_view(catalogue: Catalogue, service: Service, w: Words) -> dict[str, Any]:
    """What a printed service shows, in one language (the templates' contract)."""
    url = qr_url(catalogue, w.lang, service.id)
    name = w.text(service.name)
    code = qr.make(url, title=f"{w.s['qr_title']}: {name}")
    feedback = catalogue.directory.feedback.get("phone")
    return {
        "id": service.id, "name": name, "summary": w.text(service.summary),
        "eligibility": w.items(service.eligibility), "documents": w.items(service.documents),
        "steps": w.items(service.steps), "cost": w.cost(service), "time": w.duration(service.processing_time),
        "deadline": w.text(service.deadline), "ways": ways(catalogue, service, w),
        "qr_svg": code.svg, "qr_url": url, "feedback_phone": w.phone(feedback).shown if feedback else "",
        "reviewed": w.date(service.last_reviewed), "reviewed_iso": service.last_reviewed.isoformat(),
    }


def context(catalogue: Catalogue, service: Service, lang: str, large: bool) -> dict[str, Any]:
    w = Words(catalogue, lang)
    return {"lang": lang, "t": w.s, "large": large, "directory_name": w.text(catalogue.directory.name),
            "s": service_view(catalogue, service, w)}


def _render_chunk(catalogue: Catalogue, items: list[tuple[str, str]], options: Options) -> list[tuple[str, bytes, list[str]]]:
    template = environment("print", html=True).get_template("leaflet.html")
    paper = f"@page {{ size: {options.paper.upper()}; }}" if options.paper != "a5" else ""
    out = []
    for lang, sid in items:
        html = template.render(**context(catalogue, catalogue.by_id["services"][sid], lang, options.large_print))
        document, warnings = pdf.render(html, STYLESHEET, TEMPLATES / "print", paper)
        out.append((leaflet_path(lang, sid), document, warnings))
    return out


def render(catalogue: Catalogue, stage: Staging, options: Options) -> list[Problem]:
    """print/leaflets/<lang>/<id>.pdf (the site publishes them too when it is built)."""
    problems: list[Problem] = []
    items = [(lang, s.id) for s in catalogue.services if s.status != "withdrawn" for lang in catalogue.directory.languages]
    for path, document, warnings in sorted(in_workers(_render_chunk, catalogue, items, options)):
        stage.write(f"print/{path}", document)
        for message in warnings:
            sid = path.rsplit("/", 1)[1][:-4]
            source = catalogue.by_id["services"][sid].source
            problems.append(Problem(f"catalog/{source}", 1, 1, "warning", f"leaflet {path}: {message}"))
    return problems
