"""Planners' coverage report: who is reached by which channels, how far online, and what needs an editor."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any, Iterator

from babel.numbers import format_percent
from markupsafe import Markup

from .checks import RECOMMENDED
from .model import Catalogue, Channel, Office, Service
from . import i18n
from .present import Words, online_only
from .render import environment, md

# The channel types of a service, in the order of the schema (generator/schemas/service.schema.json).
CHANNEL_TYPES = ("online", "phone", "office", "post", "email", "sms", "village-agent", "kiosk", "mobile-app",
                 "tv", "radio", "fax", "home-visit")
STAGES = (1, 2, 3, 4, 5)
MOSTLY = 0.5  # an audience is "mostly online only" above this share
SERVICE_POINT_SUFFIX = "-service-point"
CHART_WIDTH = 720


# data ----------------------------------------------------------------------------------------------
def offered(catalogue: Catalogue) -> list[Service]:
    """The services people can use: every figure of the report leaves withdrawn services out."""
    return [s for s in catalogue.services if s.status != "withdrawn"]


def year_before(today: dt.date) -> dt.date:
    """The same day a year earlier (29 February -> 28 February)."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:
        return today.replace(year=today.year - 1, day=28)


def channel_matrix(catalogue: Catalogue) -> dict[str, dict[str, Any]]:
    """Per audience: how many of its services there are, and how many offer each channel type."""
    out: dict[str, dict[str, Any]] = {}
    for audience in catalogue.audiences:
        mine = [s for s in offered(catalogue) if audience.id in s.audiences]
        out[audience.id] = {"name": audience.name, "services": len(mine),
                            "channels": {kind: sum(any(c.type == kind for c in s.channels) for s in mine)
                                         for kind in CHANNEL_TYPES}}
    return out


def stage_counts(services: list[Service]) -> dict[str, int]:
    """How many services are at each UN e-government stage; keys "1" to "5" (JSON object keys)."""
    return {str(stage): sum(s.online_stage == stage for s in services) for stage in STAGES}


def stages(catalogue: Catalogue) -> dict[str, Any]:
    return {"overall": stage_counts(offered(catalogue)),
            "by_audience": {a.id: stage_counts([s for s in offered(catalogue) if a.id in s.audiences])
                            for a in catalogue.audiences}}


def offline(catalogue: Catalogue) -> dict[str, Any]:
    """Services with no offline channel (present.online_only), and the online-only share of each audience."""
    lonely = [s for s in offered(catalogue) if online_only(s.channels)]
    by_audience = []
    for audience in catalogue.audiences:
        mine = [s for s in offered(catalogue) if audience.id in s.audiences]
        count = sum(online_only(s.channels) for s in mine)
        by_audience.append({"audience": audience.id, "name": audience.name, "services": len(mine),
                            "with_offline": len(mine) - count, "online_only": count,
                            "share": count / len(mine) if mine else 0.0})
    return {"services": [{"id": s.id, "name": s.name} for s in lonely],
            "by_audience": by_audience,
            "mostly_online_only": [{"audience": row["audience"], "name": row["name"], "share": row["share"]}
                                   for row in by_audience if row["share"] > MOSTLY]}


def service_points(catalogue: Catalogue) -> list[Office]:
    """Village service points: offices that a village-agent channel of an offered service names, or whose id
    ends in "-service-point" (a point no service uses yet still counts)."""
    agents = {c.office for s in offered(catalogue) for c in s.channels if c.type == "village-agent" and c.office}
    return [o for o in catalogue.offices if o.id in agents or o.id.endswith(SERVICE_POINT_SUFFIX)]


def areas(catalogue: Catalogue) -> dict[str, Any]:
    """Every office area, and those with no village service point (see service_points for the rule)."""
    points = service_points(catalogue)
    every = sorted({o.area for o in catalogue.offices if o.area})
    served = {area: [o.id for o in points if o.area == area] for area in every}
    return {"all": every,
            "service_points": [o.id for o in points],
            "with_service_point": {area: ids for area, ids in served.items() if ids},
            "without_service_point": [{"area": area, "offices": [o.id for o in catalogue.offices if o.area == area]}
                                      for area, ids in served.items() if not ids]}


def _channel_texts(i: int, channel: Channel) -> Iterator[tuple[str, Any]]:
    yield f"channels[{i}].name", channel.name
    yield f"channels[{i}].address", channel.address
    yield f"channels[{i}].note", channel.note
    for j, period in enumerate(channel.hours):
        yield f"channels[{i}].hours[{j}].note", period.note


def texts(service: Service) -> Iterator[tuple[str, Any]]:
    """Every text of a service with its field path; list indexes count from 0, as in JSON."""
    for name in ("name", "summary", "radio", "sms", "description", "eligibility", "documents", "steps", "deadline"):
        yield name, getattr(service, name)
    yield "cost.note", service.cost.note if service.cost else None
    for i, link in enumerate(service.links):
        yield f"links[{i}].title", link.title
    for i, channel in enumerate(service.channels):
        yield from _channel_texts(i, channel)


def missing_translations(catalogue: Catalogue) -> list[dict[str, str]]:
    """(service, field, language) for every text of an offered service that lacks a directory language."""
    return [{"service": s.id, "field": field, "language": lang}
            for s in offered(catalogue) for field, value in texts(s) if value
            for lang in catalogue.directory.languages if lang not in value]


def incomplete(catalogue: Catalogue) -> list[dict[str, Any]]:
    """Offered services that lack recommended fields: id, provider id and the missing fields, by provider."""
    return [{"service": s.id, "provider": s.provider, "missing": missing}
            for s in sorted(offered(catalogue), key=lambda s: (s.provider, s.id))
            if (missing := [name for name in RECOMMENDED if getattr(s, name) is None])]


def _stale_services(catalogue: Catalogue, today: dt.date) -> list[Service]:
    """Offered services last reviewed before the same day a year ago, oldest first."""
    cutoff = year_before(today)
    return sorted((s for s in offered(catalogue) if s.last_reviewed < cutoff), key=lambda s: (s.last_reviewed, s.id))


def stale_by_provider(catalogue: Catalogue, today: dt.date) -> list[dict[str, Any]]:
    """Stale entries grouped per provider (catalogue order), each group oldest first."""
    rows = _stale_services(catalogue, today)
    return [{"provider": p.id, "name": p.name,
             "entries": [{"id": s.id, "name": s.name, "last_reviewed": s.last_reviewed.isoformat(),
                          "days": (today - s.last_reviewed).days} for s in rows if s.provider == p.id]}
            for p in catalogue.providers if any(s.provider == p.id for s in rows)]


def coverage(catalogue: Catalogue, today: dt.date) -> dict[str, Any]:
    """The whole report as JSON-serialisable data: texts stay per language ({"zh-Hans": …, "en": …}).
    Withdrawn services are left out of every figure; village service points as in service_points."""
    data = {"generated": today.isoformat(), "languages": list(catalogue.directory.languages),
            "channels": channel_matrix(catalogue), "stages": stages(catalogue), "offline": offline(catalogue),
            "areas": areas(catalogue), "missing_translations": missing_translations(catalogue),
            "incomplete": incomplete(catalogue),
            "stale_since": year_before(today).isoformat(), "stale": stale_by_provider(catalogue, today)}
    data["totals"] = {"services": len(offered(catalogue)),
                      "withdrawn": len(catalogue.services) - len(offered(catalogue)),
                      "audiences": len(catalogue.audiences), "offices": len(catalogue.offices),
                      "areas": len(data["areas"]["all"]),
                      "areas_without_service_point": len(data["areas"]["without_service_point"]),
                      "online_only": len(data["offline"]["services"]),
                      "missing_translations": len(data["missing_translations"]),
                      "incomplete": len(data["incomplete"]),
                      "stale": sum(len(group["entries"]) for group in data["stale"])}
    return data


def stale(catalogue: Catalogue, today: dt.date) -> list[dict[str, Any]]:
    """The entries not reviewed for 12 months alone, oldest first: id, name (default language), provider id,
    last_reviewed (ISO date) and days since."""
    default = catalogue.directory.default_language
    return [{"id": s.id, "name": s.name[default], "provider": s.provider,
             "last_reviewed": s.last_reviewed.isoformat(), "days": (today - s.last_reviewed).days}
            for s in _stale_services(catalogue, today)]


def stale_text(rows: list[dict[str, Any]], lang: str) -> str:
    """Plain text for a reminder job: `provider<TAB>id<TAB>last_reviewed<TAB>N days`, one line per entry."""
    words = i18n.interface(lang, lang)
    return "".join(f"{r['provider']}\t{r['id']}\t{r['last_reviewed']}\t{_days(words, r['days'], str(r['days']))}\n"
                   for r in rows)


def _days(words: Words | i18n.Interface, n: int, shown: str) -> str:
    return words.ngettext("{days} day", "{days} days", n).format(days=shown)


# Markdown ------------------------------------------------------------------------------------------
def _rows(entries: list[tuple[str, list[tuple[int, str]]]], top: int) -> tuple[list[dict[str, Any]], int]:
    """Bar rows laid out top to bottom: a label line, then the bar's segments (value, style) side by side."""
    biggest = max((sum(v for v, _ in segments) for _, segments in entries), default=0) or 1
    room = CHART_WIDTH - 60  # space after the longest bar for its value
    rows, y = [], top
    for label, segments in entries:
        x, bars = 0.0, []
        for value, style in segments:
            width = round(value * room / biggest, 1)
            if width:
                bars.append({"x": x, "width": width, "style": style})
            x += width
        rows.append({"label": label, "label_y": y + 15, "bar_y": y + 22, "bars": bars, "end": round(x, 1)})
        y += 52
    return rows, y


def stage_chart(data: dict[str, Any], w: Words) -> dict[str, Any]:
    """Bars of the number of services at each UN e-government stage, each labelled with its count."""
    counts = data["stages"]["overall"]
    labels = [w._("Stage {stage} ({name})").format(stage=stage, name=w.stage(stage)) for stage in STAGES]
    rows, height = _rows([(label, [(counts[str(stage)], "solid")]) for label, stage in zip(labels, STAGES)], 4)
    for row, stage in zip(rows, STAGES):
        row["value"] = w.number(counts[str(stage)])
    values = w.pgettext("list separator", "; ").join(w._("{label}: {value}").format(label=label, value=w.number(counts[str(s)]))
                                                     for label, s in zip(labels, STAGES))
    return {"id": "coverage-stages", "title": w._("Services by online stage"),
            "desc": w._("Bar chart of the number of services at each UN e-government stage. {values}.").format(values=values),
            "width": CHART_WIDTH, "height": height,
            "legend": [], "rows": rows}


def offline_chart(data: dict[str, Any], w: Words) -> dict[str, Any]:
    """One stacked bar per audience: services with an offline way (solid), then online-only ones (hatched)."""
    entries, labels = [], []
    for row in data["offline"]["by_audience"]:
        # Translators: {offline} and {online} are the two messages below ("3 with an offline way", "1 online only").
        label = w._("{name}: {offline}, {online}").format(
            name=w.text(row["name"]),
            offline=w.ngettext("{count} with an offline way", "{count} with an offline way",
                               row["with_offline"]).format(count=w.number(row["with_offline"])),
            online=w.ngettext("{count} online only", "{count} online only",
                              row["online_only"]).format(count=w.number(row["online_only"])))
        labels.append(label)
        entries.append((label, [(row["with_offline"], "solid"), (row["online_only"], "hatched")]))
    rows, height = _rows(entries, 40)
    for row in rows:
        row["value"] = ""
    legend = [{"x": 0, "style": "solid", "label": w._("With an offline way")},
              {"x": CHART_WIDTH // 2, "style": "hatched", "label": w._("Online only")}]
    return {"id": "coverage-offline", "title": w._("Services with an offline way and online-only services, by audience"),
            "desc": w._("Stacked bar chart, one bar per audience: the solid part counts services with an offline way, "
                        "the hatched part services that are online only. {values}.").format(
                values=w.pgettext("list separator", "; ").join(labels)),
            "width": CHART_WIDTH, "height": height, "legend": legend, "rows": rows}


def svg(chart: dict[str, Any]) -> Markup:
    """An accessible inline SVG bar chart (HTML-escaped, no script), passed through the Markdown as it is."""
    return Markup(environment("report", html=True).get_template("bars.svg").render(chart=chart).strip())


def _percent(share: float, w: Words) -> str:
    return format_percent(share, locale=w.locale)


def _offices(ids: list[str], w: Words) -> str:
    return w.list([w.name_of("offices", ident) for ident in ids])


def _stage_view(data: dict[str, Any], catalogue: Catalogue, w: Words) -> dict[str, Any]:
    overall = data["stages"]["overall"]
    total = sum(overall.values())
    return {"stage_chart": svg(stage_chart(data, w)),
            "stage_rows": [(stage, w.stage(stage), w.number(overall[str(stage)]),
                            _percent(overall[str(stage)] / total if total else 0, w)) for stage in STAGES],
            "stage_audiences": [(w.text(a.name), [w.number(data["stages"]["by_audience"][a.id][str(s)]) for s in STAGES])
                                for a in catalogue.audiences]}


def _offline_view(data: dict[str, Any], catalogue: Catalogue, w: Words) -> dict[str, Any]:
    return {"offline_chart": svg(offline_chart(data, w)),
            "offline_rows": [(w.text(r["name"]), w.number(r["services"]), w.number(r["with_offline"]),
                              w.number(r["online_only"]), _percent(r["share"], w)) for r in data["offline"]["by_audience"]],
            "online_only": [(w.text(s["name"]), s["id"]) for s in data["offline"]["services"]],
            "mostly": [(w.text(r["name"]), _percent(r["share"], w)) for r in data["offline"]["mostly_online_only"]],
            # one row per audience, its channels as a sentence: 13 columns would scroll sideways on a phone
            "channel_rows": [(w.text(a.name), w.number(data["channels"][a.id]["services"]),
                              # Translators: {count} is a number of services ("By phone 12"; 电话办理12项).
                              w.list([w.ngettext("{channel} {count}", "{channel} {count}", n).format(
                                      channel=w.channel(kind), count=w.number(n))
                                      for kind, n in sorted(data["channels"][a.id]["channels"].items(),
                                                            key=lambda item: (-item[1], CHANNEL_TYPES.index(item[0])))
                                      if n]))
                             for a in catalogue.audiences]}


def _findings_view(data: dict[str, Any], catalogue: Catalogue, w: Words) -> dict[str, Any]:
    names = {s.id: w.text(s.name) for s in catalogue.services}
    return {"areas_without": [(row["area"], _offices(row["offices"], w)) for row in data["areas"]["without_service_point"]],
            "areas_with": [(area, _offices(ids, w)) for area, ids in data["areas"]["with_service_point"].items()],
            "missing": [(names.get(m["service"], m["service"]), m["service"], m["field"], m["language"])
                        for m in data["missing_translations"]],
            "incomplete": [(names[row["service"]], row["service"], w.name_of("providers", row["provider"]),
                            ", ".join(row["missing"])) for row in data["incomplete"]],
            "stale": [(w.text(group["name"]), group["provider"],
                       [(w.text(e["name"]), e["id"], w.date(dt.date.fromisoformat(e["last_reviewed"])),
                         _days(w, e["days"], w.number(e["days"]))) for e in group["entries"]])
                      for group in data["stale"]]}


def page_view(data: dict[str, Any], catalogue: Catalogue, w: Words) -> dict[str, Any]:
    """What the template shows: the data put into words of one language (still unescaped; the template's
    finalize makes every value inert)."""
    return {**w.jinja(), "w": w, "help_point": w.help_point(), "totals": data["totals"],
            "date": w.date(dt.date.fromisoformat(data["generated"])),
            "stale_since": w.date(dt.date.fromisoformat(data["stale_since"])),
            "directory": w.text(catalogue.directory.name),
            **_stage_view(data, catalogue, w), **_offline_view(data, catalogue, w), **_findings_view(data, catalogue, w)}


def coverage_markdown(data: dict[str, Any], catalogue: Catalogue, lang: str) -> str:
    """The report as one plain Markdown page (inline SVG charts, each followed by a table of its numbers)."""
    w = Words(catalogue, lang)
    template = environment("report", html=False, finalize=md).get_template("coverage.md")
    return template.render(**page_view(data, catalogue, w)).rstrip("\n") + "\n"


def write(path: Path, text: str) -> Path:
    """Write one report file whole or not at all (a reader never sees half of it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
    return path
