"""Render stage, noticeboards: a notice per service and per village or area, 40 columns wide, to copy or print large."""
from __future__ import annotations

from typing import Any

from ..model import Catalogue, Office, Service
from ..plaintext import width, wrap
from ..present import Words, contact_phone
from ..problems import Problem
from ..write import Staging
from . import Options, environment, lang_path

COLUMNS = 40  # display columns, a Chinese character counting two
LINES = 30  # one A4 page at large size


def lay_out(text: str, phones: tuple[str, ...]) -> list[str]:
    """The template's logical lines wrapped to COLUMNS; a wrapped item keeps its indent ('- ' or spaces)."""
    out: list[str] = []
    for line in text.rstrip("\n").split("\n"):
        body = line.lstrip(" ")
        lead = line[:len(line) - len(body)]
        if body.startswith("- "):
            lead, body = lead + "- ", body[2:]
        indent = " " * width(lead)
        wrapped = wrap(body, COLUMNS - width(lead), keep=phones) or [""]
        out += [lead + wrapped[0]] + [indent + more for more in wrapped[1:]]
    return out


def places(catalogue: Catalogue, service: Service, w: Words) -> list[dict[str, Any]]:
    """Where to go and when: each office or village service point once, with the hours of each way there
    (labelled with the way when there are several, such as a counter and a self-service machine)."""
    out: dict[str, dict[str, Any]] = {}
    offices = catalogue.by_id["offices"]
    for c in service.channels:
        if not c.office:
            continue
        office: Office = offices[c.office]
        name = w.text(office.name)
        place = out.setdefault(c.office, {"name": w._("Village agent at {place}").format(place=name) if c.type == "village-agent" else name,
                                          "address": w.text(office.address), "ways": []})
        place["ways"].append((w.channel(c.type), w.hours_at(c)))
    for place in out.values():
        labelled = len(place["ways"]) > 1
        place["hours"] = [label + w.pgettext("after a label", ": ") + line if labelled and i == 0 else line
                          for label, lines in place["ways"] for i, line in enumerate(lines)]
    return list(out.values())


def service_notice(catalogue: Catalogue, service: Service, w: Words, template: Any) -> tuple[list[str], bool]:
    """The notice's lines, at most LINES if the rules can make it so. Every place is worth more than the
    layout: first what to bring as one running list, then who can apply too, then places without their
    addresses; only then fewer places (with a line saying so)."""
    phone = contact_phone(catalogue, service)
    shown = w.phone(phone).shown if phone else ""
    where = places(catalogue, service, w)
    view = {**w.jinja(), "name": w.text(service.name), "summary": w.text(service.summary),
            "eligibility": w.items(service.eligibility), "documents": w.items(service.documents),
            "cost": w.cost(service), "phone": shown, "valid": w.date(service.last_reviewed, "full")}
    lines: list[str] = []
    layouts = ((False, False, True), (True, False, True), (True, True, True), (True, True, False))
    for count in range(len(where), 0 if where else -1, -1):
        for running, running_who, addresses in layouts:
            lines = lay_out(template.render(**view, running=running, running_who=running_who, addresses=addresses,
                                            places=where[:count], more=count < len(where)), (shown,))
            if len(lines) > LINES and running_who and not addresses:  # last resort: no blank lines
                lines = [line for line in lines if line.strip()]
            if len(lines) <= LINES:
                return lines, True
    return lines, False


def area_notice(catalogue: Catalogue, area: str, w: Words, template: Any) -> list[str]:
    """What can be done at an area's service points, and when each is open."""
    points = []
    for office in (o for o in catalogue.offices if o.area == area):
        here = [s for s in catalogue.services if s.status != "withdrawn" and any(c.office == office.id for c in s.channels)]
        agent = sorted({h for s in here for c in s.channels if c.office == office.id and c.type == "village-agent"
                        for h in w.hours(catalogue.hours_of(c))})
        points.append({"name": w.text(office.name), "address": w.text(office.address), "hours": w.opening(office),
                       "agent_hours": [h for h in agent if h not in w.hours(office.hours)],
                       "access": w.text(office.accessibility) if office.accessibility else "",
                       "services": [w.text(s.name) for s in here],
                       "phone": w.phone(office.phone).shown if office.phone else "",
                       "reviewed": max((s.last_reviewed for s in here), default=None)})
    feedback = catalogue.directory.feedback.get("phone")
    phones = tuple(p["phone"] for p in points if p["phone"]) + ((w.phone(feedback).shown,) if feedback else ())
    reviewed = max((p["reviewed"] for p in points if p["reviewed"]), default=None)
    text = template.render(**w.jinja(), points=points, phone=w.phone(feedback).shown if feedback else "",
                           valid=w.date(reviewed, "full") if reviewed else "")
    return lay_out(text, phones)


def render(catalogue: Catalogue, stage: Staging, options: Options) -> list[Problem]:
    """print/noticeboard/<lang>/<id>.txt per service and print/noticeboard/<lang>/area-<area>.txt per area."""
    env = environment("scripts", html=False)
    notice, area_template = env.get_template("notice.txt"), env.get_template("notice-area.txt")
    problems: list[Problem] = []
    for lang in catalogue.directory.languages:
        w = Words(catalogue, lang)
        folder = f"print/noticeboard/{lang_path(lang)}"
        for service in catalogue.services:
            if service.status == "withdrawn":
                continue
            lines, fits = service_notice(catalogue, service, w, notice)
            path = f"{folder}/{service.id}.txt"
            stage.write(path, "\n".join(lines) + "\n")
            if not fits:
                problems.append(Problem(f"{catalogue.root}/{service.source}", 1, 1, "warning",
                                        f"noticeboard {path}: {len(lines)} lines, more than the {LINES} of one page "
                                        f"at large size; shorten who can apply or what to bring"))
        for area in sorted({o.area for o in catalogue.offices if o.area}):
            stage.write(f"{folder}/area-{area}.txt", "\n".join(area_notice(catalogue, area, w, area_template)) + "\n")
    return problems
