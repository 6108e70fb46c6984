"""Render stage, noticeboards: a notice per service and per area, 40 columns wide, for a clerk to print and pin
as it is: every way to get the service, who issued it and when it was checked, one page or honestly paged."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from babel.lists import format_list

from ..model import Catalogue, Channel, Hours, Office, Service
from ..plaintext import full_width, width, wrap
from ..present import ASK_INSTEAD, DAYS, OFFLINE_CHANNELS, OPEN_ALL_DAY, Words, contact_phone, day_groups, online_only
from ..problems import Problem
from ..write import Staging
from . import Options, environment, lang_path

COLUMNS = 40  # display columns, a Chinese character counting two
LINES = 30  # one A4 page at large size, its "Page 1 of 2" line included
PAGE_BREAK = "\f"  # form feed, on a line of its own between pages: printers and `lp` start a new sheet

# Chinese boards say the part of the day and the clock time in twelve hours, as people say it: 上午8:30, 下午2:00
_DAY_PARTS = ((0, "凌晨"), (6, "早上"), (8, "上午"), (12, "中午"), (13, "下午"), (18, "晚上"))
_ZH_TIME = "(?:凌晨|早上|上午|中午|下午|晚上)\\d{1,2}:\\d\\d"
# What a line never breaks inside: a time range (08:30–12:00, 上午8:30-12:00, 上午8:30-下午5:00)
_KEPT = re.compile(rf"{_ZH_TIME}(?:-(?:{_ZH_TIME}|\d{{1,2}}:\d\d))?|\d\d:\d\d–\d\d:\d\d")
# Where a long text can be cut to its first part: after a sentence, or at a semicolon between two clauses
_FIRST_PART = re.compile(r"(?<=[。！？])|[；;](?=\s*\S)|(?<=[.!?])\s+(?=[A-Z¿¡ÁÉÍÓÚÑ])")


@dataclass(frozen=True)
class Layout:
    """How much room a notice gives itself: each step is tried in turn until the notice fits one page."""

    blank: bool = True  # blank lines between the parts
    short_days: bool = False  # "Mon to Fri" for "Monday to Friday", times "08:30–12:00, 14:00–17:30"
    running: bool = False  # who can apply and what to bring as one running list after the heading (Chinese only)
    addresses: bool = True  # each place's address (the area notices give them too), the phone line's hours
    shorten: bool = False  # long list items and notes cut to their first sentence or clause (never the cost)


# In order: the first that fits one page is printed. Every place and every way stays in each of them.
LAYOUTS = (Layout(), Layout(short_days=True), Layout(blank=False, short_days=True),
           Layout(blank=False, short_days=True, running=True),
           Layout(blank=False, short_days=True, running=True, addresses=False),
           Layout(blank=False, short_days=True, running=True, addresses=False, shorten=True))


def clock(hhmm: str, lang: str, after: str = "") -> str:
    """A time as a board shows it: 14:00 in most languages; 下午2:00 in Chinese, the part of the day left out
    when it is the same as the start's (`after`): 下午2:00-5:30, and 上午8:30-12:00 (noon ends the morning)."""
    if not lang.startswith("zh"):
        return hhmm
    hours, minutes = int(hhmm[:2]), hhmm[3:]
    part = [name for start, name in _DAY_PARTS if hours % 24 >= start][-1] if hours < 24 else "晚上"
    shown = f"{hours - 12 if hours > 12 else hours}:{minutes}"
    if after and (part == after or (after == "上午" and hhmm == "12:00")):
        return shown
    return part + shown


def time_range(opens: str, closes: str, lang: str) -> str:
    if not lang.startswith("zh"):
        return f"{opens}–{closes}"
    start = clock(opens, lang)
    return f"{start}-{clock(closes, lang, after=start.rstrip('0123456789:'))}"


def board_hours(w: Words, hours: tuple[Hours, ...], short_days: bool = False) -> list[str]:
    """Opening hours as lines: 'Monday to Friday, 08:30–12:00 and 14:00–17:30', '周一至周五，上午8:30-12:00，
    下午2:00-5:30' (short day names when `short_days`), then each period's note."""
    groups = day_groups(hours)
    lines = []
    if groups is None:
        lines.append(str(w._("Open 24 hours, every day")))
        groups = {}
    chinese = w.lang.startswith("zh")
    for periods, days in groups.items():
        times = [str(w._("24 hours")) if period == OPEN_ALL_DAY else time_range(*period, w.lang) for period in periods]
        joined = "，".join(times) if chinese else ", ".join(times) if short_days else format_list(times, locale=w.locale)
        lines.append(_days(w, days, short_days) + ("，" if chinese else ", ") + joined)
    return lines + [w.text(period.note) for period in hours if period.note]


def _days(w: Words, days: list[str], short: bool) -> str:
    """mon, tue, wed, thu, fri -> 'Monday to Friday' ('Mon to Fri', '周一至周五'); mon, wed -> 'Monday and Wednesday'."""
    form = "abbreviated" if short or w.lang.startswith("zh") else "wide"
    runs: list[list[str]] = []
    for day in days:
        if runs and DAYS.index(day) == DAYS.index(runs[-1][-1]) + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = [str(w._("{first} to {last}").format(first=w.day_name(run[0], form), last=w.day_name(run[-1], form)))
             if len(run) >= 3 else format_list([w.day_name(d, form) for d in run], locale=w.locale) for run in runs]
    return format_list(parts, locale=w.locale)


def first_part(text: str) -> str:
    """A long text cut to its first sentence or, within one sentence, before its first semicolon; the text
    itself when it has one part only. Never inside a clause."""
    for match in _FIRST_PART.finditer(text):
        head = text[:match.start()].rstrip()
        if head and head != text.strip():
            return head
    return text


def _number(w: Words, phone: str | None) -> str:
    return w.phone(phone).shown if phone else ""


def _ask(w: Words, field: str, provider: str, phone: str = "") -> str:
    """Whom to ask where the catalogue has no answer; the number only when it is not the notice's own (given
    once, at the end)."""
    name = w.name_of("providers", provider)
    if phone:
        return str(w._(ASK_INSTEAD[field][0]).format(provider=name, phone=phone))
    return str(w._(ASK_INSTEAD[field][1]).format(provider=name))


def places(catalogue: Catalogue, service: Service, w: Words, layout: Layout = Layout(),
           phone: str = "") -> list[dict[str, Any]]:
    """Where to go and when: each office or village service point once, with the hours of each way there
    (labelled with the way when there are several, such as a counter and a self-service machine, or when the
    one way there is a self-service machine)."""
    out: dict[str, dict[str, Any]] = {}
    offices = catalogue.by_id["offices"]
    for c in service.channels:
        if not c.office or c.type not in OFFLINE_CHANNELS:
            continue
        office: Office = offices[c.office]
        name = w.text(office.name)
        place = out.setdefault(c.office, {"name": w._("Village agent at {place}").format(place=name) if c.type == "village-agent" else name,
                                          "address": w.text(office.address) if layout.addresses else "", "ways": []})
        place["ways"].append((c.type, _hours_at(catalogue, c, w, layout, phone)))
    for place in out.values():  # a self-service machine says so, and so does each of several ways
        labelled = len(place["ways"]) > 1 or place["ways"][0][0] not in ("office", "village-agent")
        place["hours"] = []
        for kind, lines in place["ways"]:
            if labelled:
                label = w.channel(kind)
                lines = [label + w.pgettext("after a label", ": ") + lines[0], *lines[1:]] if lines else [label]
            place["hours"] += lines
    return list(out.values())


def _hours_at(catalogue: Catalogue, channel: Channel, w: Words, layout: Layout, phone: str) -> list[str]:
    """A way's hours, or whom to ask when its office's are not known (with the office's or provider's number
    when it is not the notice's own)."""
    hours = catalogue.hours_of(channel)
    if hours or not channel.office:
        return board_hours(w, hours, layout.short_days)
    office = catalogue.by_id["offices"][channel.office]
    number = _number(w, office.phone or catalogue.by_id["providers"][office.provider].phone)
    return [_ask(w, "hours", office.provider, number if number != phone else "")]


def other_ways(service: Service, w: Words, layout: Layout, phone: str) -> list[dict[str, Any]]:
    """Every offline way that is not a place, in the catalogue's order: a visit to your home, another phone
    line, post, text message, radio, TV, fax. A number is given where it is not the notice's own (printed once,
    at the end); a note shared by several ways is printed once."""
    out: list[dict[str, Any]] = []
    said: set[str] = set()
    for c in service.channels:
        if c.office or c.type not in OFFLINE_CHANNELS:
            continue
        number = _number(w, c.phone or c.fax)
        if c.type == "phone" and number == phone:
            continue  # the notice's own number, at its end
        note = w.text(c.note) if c.note and w.text(c.note) not in said else ""
        said.add(note)
        note = first_part(note) if layout.shorten else note
        number = number if number != phone else ""
        if c.type in ("phone", "fax"):
            first, lines = number, [note] if note else []
        elif c.type == "sms" and c.number:
            first = str(w._("Text {keyword} to {number}").format(keyword=c.keyword, number=c.number)) if c.keyword else c.number
            lines = [note] if note else []
        else:  # what the way is; a number to book it when it is not the notice's own
            first = note or (w.text(c.address) if c.address else "")
            lines = [w._("Phone: ") + number] if number else []
        out.append({"label": w.channel(c.type), "text": first,
                    "lines": lines + board_hours(w, c.hours, layout.short_days)})
    return out


def online_ways(service: Service, w: Words, layout: Layout) -> list[dict[str, Any]]:
    """A service offered only online: where, each way with its address when it fits a line of its own (without
    "https://" if need be; a web address is never broken), the app's name, the note."""
    out = []
    for c in service.channels:
        if not c.url:
            continue
        address = next((a for a in (c.url, re.sub(r"^https?://", "", c.url).rstrip("/"))
                        if width(a) <= COLUMNS - 2), "")
        note = w.text(c.note)
        note = first_part(note) if layout.shorten else note
        name = w.text(c.name) if c.type == "mobile-app" else ""
        out.append({"label": w.channel(c.type), "text": f"{name} ({note})" if name and note else name or note,
                    "lines": [address] if address else []})
    return out


def service_view(catalogue: Catalogue, service: Service, w: Words, layout: Layout) -> dict[str, Any]:
    """What a service's notice says, in one language, laid out as `layout` says."""
    phone = _number(w, contact_phone(catalogue, service))
    cut = first_part if layout.shorten else (lambda text: text)
    if service.cost is None:
        cost = _ask(w, "cost", service.provider)
    else:
        cost = w.pgettext("cost", "Free") if service.cost.free else w.money(service.cost.amount, service.cost.currency)
        cost += f" ({w.text(service.cost.note)})" if service.cost.note else ""  # what it costs is never cut
    if not service.channels:
        ways = [{"label": "", "text": _ask(w, "channels", service.provider), "lines": []}]
    elif online_only(service.channels):
        help_point = w.help_point()
        text = (w._("This service is only offered online. If you cannot go online, ask at a {help_point} or call "
                    "for help.").format(help_point=help_point) if help_point
                else w._("This service is only offered online. If you cannot go online, call for help."))
        ways = [*online_ways(service, w, layout), {"label": "", "text": text, "lines": []}]
    else:
        ways = other_ways(service, w, layout, phone)
    publisher = catalogue.directory.publisher
    long_texts = [*w.items(service.eligibility), *w.items(service.documents),
                  *(w.text(c.note) for c in service.channels if c.note and not c.office
                    and (c.type in OFFLINE_CHANNELS or online_only(service.channels)))]
    return {"name": w.text(service.name), "summary": w.text(service.summary),
            "shortened": layout.shorten and any(first_part(text) != text for text in long_texts),
            "eligibility": [cut(item) for item in w.items(service.eligibility)],
            "documents": [cut(item) for item in w.items(service.documents)],
            "places": places(catalogue, service, w, layout, phone), "ways": ways, "cost": cost, "phone": phone,
            "phone_hours": next((board_hours(w, c.hours, layout.short_days) for c in service.channels
                                 if c.type == "phone" and _number(w, c.phone) == phone), []) if layout.addresses else [],
            "blank": layout.blank, "running": layout.running, "checked": w.date(service.last_reviewed, "long"),
            "publisher": w.text(publisher.name if publisher else catalogue.directory.name)}


Block = list[str]  # wrapped lines that stay together on a page where they can


def lay_out(text: str, keep: tuple[str, ...]) -> list[Block]:
    """The template's logical lines wrapped to COLUMNS, in blocks a page break does not split: a line with the
    indented lines under it (a place and its hours), a heading with what follows it. A wrapped item keeps its
    indent ('- ' or spaces). Full-width punctuation next to Chinese; times, dates and numbers kept whole."""
    text = full_width(text)
    keep = tuple(sorted(set(keep) | set(_KEPT.findall(text)), key=len, reverse=True))
    blocks: list[Block] = []
    heading = False
    for line in text.rstrip("\n").split("\n"):
        body = line.lstrip(" ")
        lead = line[:len(line) - len(body)]
        if body.startswith("- "):
            lead, body = lead + "- ", body[2:]
        indent = " " * width(lead)
        wrapped = wrap(body, COLUMNS - width(lead), keep=keep) or [""]
        lines = [lead + wrapped[0]] + [indent + more for more in wrapped[1:]]
        if not body:
            blocks.append([""])
        elif (heading or lead.startswith(" ")) and blocks and blocks[-1] != [""]:
            blocks[-1] += lines
        else:
            blocks.append(lines)
        heading = body.endswith((":", "："))
    return blocks


def paged(blocks: list[Block], w: Words, header: Block, lines: int = LINES) -> list[str]:
    """The notice as it is printed: its lines when they fit one page; else pages of at most `lines` lines, each
    ending with 'Page 1 of 2', a form feed between them, every page after the first starting with `header` (the
    headline). A page breaks between blocks; a block taller than a page is split."""
    if sum(len(block) for block in blocks) <= lines:
        return [line for block in blocks for line in block]
    room = lines - 1  # the page line
    pages: list[list[str]] = [[]]
    for block in blocks:
        page = pages[-1]
        if block == [""]:
            if len(page) > len(header) and len(page) < room:
                page.append("")
            continue
        fresh = len(page) <= len(header)
        if len(page) + len(block) > room and not fresh and len(header) + len(block) <= room:
            pages.append(list(header))  # the whole block on the next page
        for line in block:
            if len(pages[-1]) >= room:
                pages.append(list(header))
            pages[-1].append(line)
    out: list[str] = []
    for number, page in enumerate(pages, 1):
        while page and not page[-1]:
            page.pop()
        # Translators: at the foot of each sheet of a notice printed on several (第{page}页/共{pages}页).
        out += page + [str(w._("Page {page} of {pages}").format(page=number, pages=len(pages)))]
        if number < len(pages):
            out.append(PAGE_BREAK)
    return out


def pages_of(lines: list[str]) -> int:
    return lines.count(PAGE_BREAK) + 1


def _phones(catalogue: Catalogue, service: Service, w: Words) -> tuple[str, ...]:
    """Every number a service's notice may print, to keep each on one line."""
    offices, providers = catalogue.by_id["offices"], catalogue.by_id["providers"]
    numbers = [contact_phone(catalogue, service), providers[service.provider].phone]
    for c in service.channels:
        numbers += [c.phone, c.fax] + ([offices[c.office].phone, providers[offices[c.office].provider].phone]
                                       if c.office else [])
    return tuple({_number(w, n) for n in numbers if n})


def service_notice(catalogue: Catalogue, service: Service, w: Words, template: Any) -> tuple[list[str], int]:
    """The notice's lines and how many pages they take: the first layout that fits one page; when none does,
    the fullest layout in the fewest pages, each page saying 'Page 1 of 2'. Never a place or a way left out."""
    keep = _phones(catalogue, service, w) + (w.date(service.last_reviewed, "long"),)
    candidates: list[list[str]] = []
    tried: set[Layout] = set()
    for layout in LAYOUTS:
        layout = replace(layout, running=layout.running and w.lang.startswith("zh"))  # lists run in Chinese only
        if layout in tried:
            continue
        tried.add(layout)
        blocks = lay_out(template.render(**w.jinja(), **service_view(catalogue, service, w, layout)), keep)
        lines = [line for block in blocks for line in block]
        if len(lines) <= LINES:
            return lines, 1
        if not layout.shorten:  # more pages rather than shorter texts
            candidates.append(paged(blocks, w, blocks[0]))
    best = min(candidates, key=pages_of)
    return best, pages_of(best)


def area_notice(catalogue: Catalogue, area: str, w: Words, template: Any) -> list[str]:
    """What can be done at an area's service points, and when each is open; paged when it runs long."""
    points = []
    for office in (o for o in catalogue.offices if o.area == area):
        here = [s for s in catalogue.services if s.status != "withdrawn" and any(c.office == office.id for c in s.channels)]
        own = board_hours(w, office.hours)
        agent = []
        for s in here:
            for c in s.channels:
                if c.office == office.id and c.type == "village-agent":
                    agent += [h for h in board_hours(w, catalogue.hours_of(c)) if h not in own and h not in agent]
        provider_phone = "" if office.phone else _number(w, catalogue.by_id["providers"][office.provider].phone)
        points.append({"name": w.text(office.name), "address": w.text(office.address),
                       "hours": own or [_ask(w, "hours", office.provider, provider_phone)], "agent_hours": agent,
                       "access": w.text(office.accessibility) if office.accessibility else "",
                       "services": [w.text(s.name) for s in here],
                       "phone": w.phone(office.phone).shown if office.phone else "",
                       "reviewed": max((s.last_reviewed for s in here), default=None)})
    feedback = catalogue.directory.feedback.get("phone")
    phones = tuple(p["phone"] for p in points if p["phone"]) + ((w.phone(feedback).shown,) if feedback else ())
    reviewed = max((p["reviewed"] for p in points if p["reviewed"]), default=None)
    publisher = catalogue.directory.publisher
    checked = w.date(reviewed, "long") if reviewed else ""
    text = template.render(**w.jinja(), points=points, phone=w.phone(feedback).shown if feedback else "",
                           checked=checked, publisher=w.text(publisher.name if publisher else catalogue.directory.name))
    return paged(lay_out(text, phones + ((checked,) if checked else ())), w, [])


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
            lines, pages = service_notice(catalogue, service, w, notice)
            path = f"{folder}/{service.id}.txt"
            stage.write(path, "\n".join(lines) + "\n")
            if pages > 1:
                problems.append(Problem(f"{catalogue.root}/{service.source}", 1, 1, "notice",
                                        f"noticeboard {path}: {pages} pages of {LINES} lines at large size, each "
                                        f"marked; shorter lists of who can apply and what to bring make it one"))
        for area in sorted({o.area for o in catalogue.offices if o.area}):
            stage.write(f"{folder}/area-{area}.txt", "\n".join(area_notice(catalogue, area, w, area_template)) + "\n")
    return problems
