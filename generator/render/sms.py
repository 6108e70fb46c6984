"""Render stage, SMS: one message per service that fits one segment, shortened by rule when it does not."""
from __future__ import annotations

from ..model import Catalogue, Service
from ..plaintext import Segment, segment, sms_text
from ..present import Words, contact_phone
from ..problems import Problem
from ..write import Staging
from . import Options, environment, lang_path


def message(catalogue: Catalogue, service: Service, w: Words, template: object) -> tuple[str, Segment, int]:
    """The longest form that fits one segment: name, summary, action and phone; then without the summary;
    then name and phone alone. Returns the text, its segment, and how many steps it was shortened."""
    phone = contact_phone(catalogue, service)
    shown = w.phone(phone).shown if phone else ""
    if any(c.type == "village-agent" for c in service.channels):
        action = w._("Ask your village agent or call {phone}.").format(phone=shown)
    elif office := next((c.office for c in service.channels if c.type == "office" and c.office), None):
        action = w._("Apply at {place} or call {phone}.").format(place=w.text(catalogue.by_id["offices"][office].name), phone=shown)
    else:
        action = w._("Call {phone}.").format(phone=shown)
    signature = w.text(catalogue.directory.sms_signature) if catalogue.directory.sms_signature else ""
    forms = [(w.text(service.summary), action), ("", action), ("", w._("Call {phone}.").format(phone=shown))]
    for shortened, (summary, act) in enumerate(forms):
        text = sms_text(template.render(**w.jinja(), signature=signature, name=w.text(service.name),  # type: ignore[attr-defined]
                                        summary=summary, action=act).strip())
        fit = segment(text)
        if fit.fits:
            break
    return text, fit, shortened


def render(catalogue: Catalogue, stage: Staging, options: Options) -> list[Problem]:
    """print/sms/<lang>/<id>.txt: the message alone, ready to paste into a bulk-SMS tool."""
    template = environment("scripts", html=False).get_template("sms.txt")
    problems: list[Problem] = []
    for lang in catalogue.directory.languages:
        w = Words(catalogue, lang)
        for service in catalogue.services:
            if service.status == "withdrawn":
                continue
            text, fit, shortened = message(catalogue, service, w, template)
            path = f"print/sms/{lang_path(lang)}/{service.id}.txt"
            stage.write(path, text + "\n")
            where = f"{catalogue.root}/{service.source}"
            if not fit.fits:
                problems.append(Problem(where, 1, 1, "warning", f"sms {path}: {fit.units} of {fit.limit} {fit.encoding} "
                                        f"characters even with only the name and phone; shorten the service's name"))
            elif shortened:
                left = "the summary" if shortened == 1 else "the summary and where to go"
                problems.append(Problem(where, 1, 1, "notice", f"sms {path}: shortened to fit one {fit.encoding} "
                                        f"message of {fit.limit} characters: {left} left out"))
    return problems
