"""Render stage, radio: 30- and 60-second spots per service and a segment per life event, to read on air."""
from __future__ import annotations

from typing import Any, Callable

from ..i18n import N_, Phrase, catalog_path
from ..model import Catalogue, LifeEvent, Service
from ..present import Words, contact_phone
from ..problems import Problem
from ..spoken import Speech, why_silent
from ..write import Staging
from . import Options, environment, lang_path

SPOTS = (30, 60)  # seconds
SEGMENT = 180  # seconds: "about three minutes"
SEGMENT_MOST = 210  # longer than this is no longer "about three minutes"
# What a segment adds while it fits, in this order (named in the presenter's note when left out).
SEGMENT_PARTS = (N_("what each service gives"), N_("the first step of each"), N_("what to bring"), N_("who can apply"),
                 N_("the village agent"))


class Untranslated(Exception):
    """Interface words for the air found only in another language (a fallback): no script rather than a mixed one."""


def _fit(speech: Speech, seconds: int, core: list[str], optional: list[tuple[str, list[str]]],
         closing: list[str]) -> tuple[list[str], list[str]]:
    """The core, then each optional part in order if it still fits, then the closing; and what was left out."""
    lines, left_out = list(core), []
    for name, part in optional:
        if part and speech.seconds(" ".join(lines + part + closing)) <= seconds:
            lines += part
        else:
            left_out.append(name)
    return lines + closing, left_out


def _timing(w: Words, segment: bool, speech: Speech, seconds: int, lines: list[str]) -> dict[str, Any]:
    """The presenter's note on length: the target and the estimate, in seconds and in words (characters in Chinese)."""
    text = " ".join(lines)
    estimate, capacity, length = speech.seconds(text), speech.capacity(seconds), speech.length(text)
    # Translators: {count} is what the reading speed counts in your language: words (characters in Chinese).
    said = w.ngettext("{seconds} s ({count} word)", "{seconds} s ({count} words)", length).format(
        seconds=round(estimate), count=length)
    if segment:
        target = w.ngettext("{seconds} s (about {count} word)", "{seconds} s (about {count} words)", capacity)
        header = w._("Segment, about three minutes: target {target}; estimated {estimate}")
    else:
        target = w.ngettext("{seconds} s (at most {count} word)", "{seconds} s (at most {count} words)", capacity)
        header = w._("{seconds}-second spot: target {target}; estimated {estimate}")
    return {"header": header.format(seconds=seconds, target=target.format(seconds=seconds, count=capacity), estimate=said),
            "estimate": estimate, "lines": lines}


def _phone_lines(w: Words, speech: Speech, said: Callable[[str], list[str]], phone: str | None,
                 call: str) -> list[str]:
    """The call to action, and the number again at the very end."""
    if not phone:
        return []
    return said(call.format(phone=speech.phone(phone))) + said(w._("That number again: {phone}.").format(phone=speech.phone(phone)))


def _saying(speech: Speech) -> tuple[Callable[[str], list[str]], Callable[[str], list[str]]]:
    """Two ways to put a text on air: `said` keeps every sentence; `said_if_short` gives nothing when a
    sentence stays too long to follow (for optional parts, which are then left out and named)."""
    def said(text: str) -> list[str]:
        if isinstance(text, Phrase) and text.marked:
            raise Untranslated(str(text))
        return speech.sentences(speech.clean(text))

    def said_if_short(text: str) -> list[str]:
        lines = said(text)
        return [] if any(speech.too_long(line) for line in lines) else lines
    return said, said_if_short


def on_air(w: Words, service: Service) -> bool:
    """A service said in this language: its name and summary are in it (other texts are left out when not)."""
    return service.status != "withdrawn" and w.translated(service.name) and w.translated(service.summary)


def on_air_event(w: Words, event: LifeEvent) -> bool:
    return w.translated(event.name) and all(w.translated(step.title) for step in event.steps)


def spots(service: Service, w: Words, speech: Speech, phone: str | None) -> list[dict[str, Any]]:
    """One message per spot: the service and what it gives, optional parts while they fit, the phone twice."""
    said, said_if_short = _saying(speech)
    core = said(w._("{name}.").format(name=w.text(service.name))) + said(w.text(service.summary))
    optional: list[tuple[str, list[str]]] = []
    if service.eligibility and w.translated(service.eligibility):
        optional.append((w._("who can apply"), said_if_short(w._("Who can apply? {text}").format(
            text=w.items(service.eligibility)[0]))))
    if service.documents and w.translated(service.documents):
        optional.append((w._("what to bring"), said_if_short(w._("What to bring: {text}").format(
            text=w.list([speech.lower_first(d) for d in w.items(service.documents)])))))
    if any(c.type == "village-agent" for c in service.channels):
        optional.append((w._("the village agent"), said(w._("Your village agent can help you."))))
    closing = _phone_lines(w, speech, said, phone, w._("To find out more, call {phone}."))
    out = []
    for seconds in SPOTS:
        lines, left_out = _fit(speech, seconds, core, optional, closing)
        piece = _timing(w, False, speech, seconds, lines)
        piece["notes"] = [w._("Left out to fit: {parts}").format(parts=w.list(left_out))] if left_out else []
        if piece["estimate"] > seconds:
            piece["notes"].append(w._("TOO LONG: this spot needs {estimate} s even with only the name, the summary "
                                      "and the phone number").format(estimate=round(piece["estimate"])))
        piece["seconds"] = seconds
        out.append(piece)
    return out


def segment(catalogue: Catalogue, event: LifeEvent, w: Words, speech: Speech) -> dict[str, Any]:
    """A walk through a life event's journey, step by step (or its services in turn), then the help line."""
    said, said_if_short = _saying(speech)
    services = catalogue.by_id["services"]
    intro = said(w._("This is {directory}. Today: {name}.").format(directory=w.text(catalogue.directory.name),
                                                                   name=w.text(event.name)))
    intro += said(w.text(event.description)) if w.translated(event.description) else []
    if event.steps:
        groups = [(said(w._("Step {number}: {title}.").format(number=speech.number(n), title=w.text(step.title))),
                   list(step.services))
                  for n, step in enumerate(event.steps, 1)]
    else:
        groups = [([], [s.id for s in catalogue.services if event.id in s.life_events and s.status != "withdrawn"])]
    groups = [(head, [sid for sid in ids if on_air(w, services[sid])]) for head, ids in groups]
    def about(sid: str, level: int) -> list[str]:
        """What the segment says of one service, from its name alone (0) to who can apply (4) and that the
        village agent can help (5)."""
        service = services[sid]
        lines = said(w._("{name}.").format(name=w.text(service.name)))
        if level >= 1:
            lines += said(w.text(service.summary))
        if level >= 2 and service.steps and w.translated(service.steps):
            lines += said_if_short(w._("First, {text}").format(text=speech.lower_first(w.items(service.steps)[0])))
        if level >= 3 and service.documents and w.translated(service.documents):
            lines += said_if_short(w._("What to bring: {text}").format(
                text=w.list([speech.lower_first(d) for d in w.items(service.documents)])))
        if level >= 4 and service.eligibility and w.translated(service.eligibility):
            lines += said_if_short(w._("Who can apply? {text}").format(text=w.items(service.eligibility)[0]))
        if level >= 5 and any(c.type == "village-agent" for c in service.channels):
            lines += said(w._("Your village agent can help you."))
        return lines

    closing = _phone_lines(w, speech, said, catalogue.directory.feedback.get("phone"),
                           w._("For help with any of these, call {phone}."))
    bodies = [[line for head, ids in groups for line in head + [x for sid in ids for x in about(sid, level)]]
              for level in range(len(SEGMENT_PARTS) + 1)]
    fitting = [level for level, body in enumerate(bodies)
               if speech.seconds(" ".join(intro + body + closing)) <= SEGMENT_MOST] or [0]
    level = max(fitting)
    body = bodies[level]
    piece = _timing(w, True, speech, SEGMENT, intro + body + closing)
    missing = [w._(part) for part in SEGMENT_PARTS[level:]]
    piece["notes"] = [w._("Left out to fit: {parts}").format(parts=w.list(missing))] if missing else []
    return piece


def render(catalogue: Catalogue, stage: Staging, options: Options) -> list[Problem]:
    """print/radio/<lang>/<id>.txt (two spots) and print/radio/<lang>/life-event-<id>.txt (a segment)."""
    env = environment("scripts", html=False)
    spot_template, segment_template = env.get_template("radio-spot.txt"), env.get_template("radio-segment.txt")
    problems: list[Problem] = []
    for lang in catalogue.directory.languages:
        silent = why_silent(lang)
        if silent:  # a script in another language's numbers would be worse than none
            problems.append(Problem(f"{catalogue.root}/directory.yml", 1, 1, "warning",
                                    f"no radio scripts in {lang!r}: {silent}"))
            continue
        try:
            files, found = _language(catalogue, lang, spot_template, segment_template)
        except Untranslated as words:
            problems.append(Problem(f"{catalogue.root}/directory.yml", 1, 1, "warning", f"no radio scripts in "
                                    f"{lang!r}: words said on air are not translated ({words}); translate them in "
                                    f"{catalog_path(lang)}"))
            continue
        for path, text in files.items():
            stage.write(path, text)
        problems += found
    return problems


def _language(catalogue: Catalogue, lang: str, spot_template: Any, segment_template: Any
              ) -> tuple[dict[str, str], list[Problem]]:
    """One language's scripts (path -> text) and problems; raises Untranslated before anything is written."""
    w, speech = Words(catalogue, lang), Speech(lang)
    folder = f"print/radio/{lang_path(lang)}"
    files: dict[str, str] = {}
    problems: list[Problem] = []
    silent = [s.id for s in catalogue.services if s.status != "withdrawn" and not on_air(w, s)]
    if silent:
        problems.append(Problem(f"{catalogue.root}/directory.yml", 1, 1, "notice", f"no radio script in {lang!r} "
                                f"for {len(silent)} services whose name or summary is not in that language: "
                                f"{', '.join(silent[:5])}{' …' if len(silent) > 5 else ''}"))
    for service in catalogue.services:
        if not on_air(w, service):
            continue
        phone = contact_phone(catalogue, service)
        pieces = spots(service, w, speech, phone)
        path = f"{folder}/{service.id}.txt"
        files[path] = spot_template.render(**w.jinja(), name=w.text(service.name), spots=pieces,
                                           phone=w.phone(phone).shown if phone else "")
        where = f"{catalogue.root}/{service.source}"
        problems += [Problem(where, 1, 1, "warning", f"radio {path}: the {p['seconds']}-second spot needs about "
                             f"{round(p['estimate'])} s; shorten the service's name or summary")
                     for p in pieces if p["estimate"] > p["seconds"]]
        if not phone:
            problems.append(Problem(where, 1, 1, "warning", f"radio {path}: no phone number to give on air"))
        problems += [Problem(where, 1, 1, "warning", f"radio {path}: a sentence too long to follow on air, "
                             f"with no clause break to split it at: {line!r}; shorten the name or summary")
                     for line in dict.fromkeys(l for p in pieces for l in p["lines"]) if speech.too_long(line)]
    for event in catalogue.life_events:
        if not on_air_event(w, event):
            problems.append(Problem(f"{catalogue.root}/life-events.yml", 1, 1, "notice", f"no radio segment in "
                                    f"{lang!r} for life event {event.id!r}: its name or steps are not in that language"))
            continue
        piece = segment(catalogue, event, w, speech)
        path = f"{folder}/life-event-{event.id}.txt"
        files[path] = segment_template.render(**w.jinja(), name=w.text(event.name), segment=piece,
                                              phone=w.phone(catalogue.directory.feedback["phone"]).shown
                                              if catalogue.directory.feedback.get("phone") else "")
        if piece["estimate"] > SEGMENT_MOST:
            problems.append(Problem(f"{catalogue.root}/life-events.yml", 1, 1, "warning",
                                    f"radio {path}: the segment needs about {round(piece['estimate'])} s, "
                                    f"more than about three minutes"))
    return files, problems
