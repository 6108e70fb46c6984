"""Render stage, radio: 30- and 60-second spots per service and a segment per life event, to read on air."""
from __future__ import annotations

from typing import Any, Callable

from ..model import Catalogue, LifeEvent, Service
from ..present import Words, contact_phone
from ..problems import Problem
from ..spoken import Speech
from ..write import Staging
from . import Options, environment, lang_path

SPOTS = (30, 60)  # seconds
SEGMENT = 180  # seconds: "about three minutes"
SEGMENT_MOST = 210  # longer than this is no longer "about three minutes"
SEGMENT_PARTS = ("part_summaries", "part_first", "part_bring", "part_who", "part_agent")  # added in this order


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


def _timing(t: dict[str, Any], key: str, speech: Speech, seconds: int, lines: list[str]) -> dict[str, Any]:
    text = " ".join(lines)
    estimate = speech.seconds(text)
    return {"header": t[key].format(seconds=seconds, capacity=speech.capacity(seconds), estimate=round(estimate),
                                    length=speech.length(text)),
            "estimate": estimate, "lines": lines}


def _phone_lines(t: dict[str, Any], speech: Speech, said: Callable[[str], list[str]], phone: str | None,
                 call: str = "call") -> list[str]:
    """The call to action, and the number again at the very end."""
    if not phone:
        return []
    return said(t[call].format(phone=speech.phone(phone))) + said(t["again"].format(phone=speech.phone(phone)))


def _saying(speech: Speech) -> tuple[Callable[[str], list[str]], Callable[[str], list[str]]]:
    """Two ways to put a text on air: `said` keeps every sentence; `said_if_short` gives nothing when a
    sentence stays too long to follow (for optional parts, which are then left out and named)."""
    said = lambda text: speech.sentences(speech.clean(text))

    def said_if_short(text: str) -> list[str]:
        lines = said(text)
        return [] if any(speech.too_long(line) for line in lines) else lines
    return said, said_if_short


def spots(service: Service, w: Words, speech: Speech, phone: str | None) -> list[dict[str, Any]]:
    """One message per spot: the service and what it gives, optional parts while they fit, the phone twice."""
    t = w.s["radio"]
    said, said_if_short = _saying(speech)
    core = said(t["this_is"].format(name=w.text(service.name))) + said(w.text(service.summary))
    optional: list[tuple[str, list[str]]] = []
    if service.eligibility:
        optional.append((t["part_who"], said_if_short(t["who"].format(text=w.items(service.eligibility)[0]))))
    if service.documents:
        optional.append((t["part_bring"], said_if_short(t["bring"].format(
            text=w.list([speech.lower_first(d) for d in w.items(service.documents)])))))
    if any(c.type == "village-agent" for c in service.channels):
        optional.append((t["part_agent"], said(t["agent"])))
    closing = _phone_lines(t, speech, said, phone)
    out = []
    for seconds in SPOTS:
        lines, left_out = _fit(speech, seconds, core, optional, closing)
        piece = _timing(t, "spot", speech, seconds, lines)
        piece["notes"] = [t["left_out"].format(parts=w.list(left_out))] if left_out else []
        if piece["estimate"] > seconds:
            piece["notes"].append(t["too_long"].format(estimate=round(piece["estimate"])))
        piece["seconds"] = seconds
        out.append(piece)
    return out


def segment(catalogue: Catalogue, event: LifeEvent, w: Words, speech: Speech) -> dict[str, Any]:
    """A walk through a life event's journey, step by step (or its services in turn), then the help line."""
    t = w.s["radio"]
    said, said_if_short = _saying(speech)
    services = catalogue.by_id["services"]
    intro = said(t["segment_intro"].format(directory=w.text(catalogue.directory.name), name=w.text(event.name)))
    intro += said(w.text(event.description))
    if event.steps:
        groups = [(said(t["step"].format(number=speech.number(n), title=w.text(step.title))), list(step.services))
                  for n, step in enumerate(event.steps, 1)]
    else:
        groups = [([], [s.id for s in catalogue.services if event.id in s.life_events and s.status != "withdrawn"])]
    def about(sid: str, level: int) -> list[str]:
        """What the segment says of one service, from its name alone (0) to who can apply (4) and that the
        village agent can help (5)."""
        service = services[sid]
        lines = said(t["this_is"].format(name=w.text(service.name)))
        if level >= 1:
            lines += said(w.text(service.summary))
        if level >= 2 and service.steps:
            lines += said_if_short(t["first"].format(text=speech.lower_first(w.items(service.steps)[0])))
        if level >= 3 and service.documents:
            lines += said_if_short(t["bring"].format(
                text=w.list([speech.lower_first(d) for d in w.items(service.documents)])))
        if level >= 4 and service.eligibility:
            lines += said_if_short(t["who"].format(text=w.items(service.eligibility)[0]))
        if level >= 5 and any(c.type == "village-agent" for c in service.channels):
            lines += said(t["agent"])
        return lines

    closing = _phone_lines(t, speech, said, catalogue.directory.feedback.get("phone"), "call_any")
    bodies = [[line for head, ids in groups for line in head + [x for sid in ids for x in about(sid, level)]]
              for level in range(len(SEGMENT_PARTS) + 1)]
    fitting = [level for level, body in enumerate(bodies)
               if speech.seconds(" ".join(intro + body + closing)) <= SEGMENT_MOST] or [0]
    level = max(fitting)
    body = bodies[level]
    piece = _timing(t, "segment", speech, SEGMENT, intro + body + closing)
    missing = [t[key] for key in SEGMENT_PARTS[level:]]
    piece["notes"] = [t["left_out"].format(parts=w.list(missing))] if missing else []
    return piece


def render(catalogue: Catalogue, stage: Staging, options: Options) -> list[Problem]:
    """print/radio/<lang>/<id>.txt (two spots) and print/radio/<lang>/life-event-<id>.txt (a segment)."""
    env = environment("scripts", html=False)
    spot_template, segment_template = env.get_template("radio-spot.txt"), env.get_template("radio-segment.txt")
    problems: list[Problem] = []
    for lang in catalogue.directory.languages:
        w, speech = Words(catalogue, lang), Speech(lang)
        folder = f"print/radio/{lang_path(lang)}"
        for service in catalogue.services:
            if service.status == "withdrawn":
                continue
            phone = contact_phone(catalogue, service)
            pieces = spots(service, w, speech, phone)
            path = f"{folder}/{service.id}.txt"
            stage.write(path, spot_template.render(t=w.s, name=w.text(service.name), spots=pieces,
                                                   phone=w.phone(phone).shown if phone else ""))
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
            piece = segment(catalogue, event, w, speech)
            path = f"{folder}/life-event-{event.id}.txt"
            stage.write(path, segment_template.render(t=w.s, name=w.text(event.name), segment=piece,
                                                      phone=w.phone(catalogue.directory.feedback["phone"]).shown
                                                      if catalogue.directory.feedback.get("phone") else ""))
            if piece["estimate"] > SEGMENT_MOST:
                problems.append(Problem(f"{catalogue.root}/life-events.yml", 1, 1, "warning",
                                        f"radio {path}: the segment needs about {round(piece['estimate'])} s, "
                                        f"more than about three minutes"))
    return problems
