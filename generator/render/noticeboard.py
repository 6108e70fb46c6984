"""Render stage, noticeboards: a notice per service and per area, 40 columns wide, for a clerk to print and pin
as it is: every way to get the service, who issued it and when it was checked, one page or honestly paged."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from babel.lists import format_list

from ..model import Catalogue, Channel, Hours, Office, Service
from ..plaintext import full_width, width, wrap
from ..present import ASK_INSTEAD, DAYS, OFFLINE_CHANNELS, OPEN_ALL_DAY, Words, contact_phone, day_groups, online_only
from ..problems import Problem
from ..spoken import GRAMMAR, SPOKEN, Speech, why_silent
from ..write import Staging
from . import Options, environment, lang_path
from .sms import after_colon

COLUMNS = 40  # display columns, a Chinese character counting two
LINES = 30  # one A4 page at large size, its "Page 1 of 2" line included
PAGE_BREAK = "\f"  # form feed, on a line of its own between pages: printers and `lp` start a new sheet

# Chinese boards say the part of the day and the clock time in twelve hours, as people say it: 上午8:30, 下午2:00
_DAY_PARTS = ((0, "凌晨"), (6, "早上"), (8, "上午"), (12, "中午"), (13, "下午"), (18, "晚上"))
_ZH_TIME = "(?:凌晨|早上|上午|中午|下午|晚上)\\d{1,2}:\\d\\d"
# What a line never breaks inside: a time range (08:30–12:00, 上午8:30-12:00, 上午8:30-下午5:00), a figure and its word
_KEPT = re.compile(rf"{_ZH_TIME}(?:-(?:{_ZH_TIME}|\d{{1,2}}:\d\d))?|\d\d:\d\d–\d\d:\d\d"
                   # and a figure with the word after it: "50 yuan", "1 Qingshan Road" never break after the figure
                   r"|(?<![\w.,:–-])\d+(?:[.,]\d+)*\s[^\W\d_]+")
# Where a long text can be cut to its first part: after a sentence, or at a semicolon between two clauses
_FIRST_PART = re.compile(r"(?<=[。！？])|[；;](?=\s*\S)|(?<=[.!?])\s+(?=[A-Z¿¡ÁÉÍÓÚÑ])")


@dataclass(frozen=True)
class Layout:
    """How much room a notice gives itself: each step is tried in turn until the notice fits one page."""

    blank: bool = True  # blank lines between the parts
    short_days: bool = False  # "Mon to Fri" for "Monday to Friday", times "08:30–12:00, 14:00–17:30"
    running: bool = False  # who can apply and what to bring as one running list after the heading (Chinese only)
    brief: bool = False  # each address without what the issuer's and the place's names say, after the name where
    # it is written with commas; no phone-line hours
    grouped: bool = False  # several village service points with their village agent under one heading
    shorten: bool = False  # long list items and notes cut to their first sentence or clause (never the cost)


# In order: the first that fits one page is printed. Every place with its address, every way and the key fact
# stay in each of them.
_TIGHT = Layout(blank=False, short_days=True, running=True, brief=True)
LAYOUTS = (Layout(), Layout(short_days=True), Layout(blank=False, short_days=True),
           Layout(blank=False, short_days=True, running=True), _TIGHT, replace(_TIGHT, grouped=True),
           replace(_TIGHT, shorten=True), replace(_TIGHT, grouped=True, shorten=True))
# A notice's last page holds at least this many lines besides its headline and page line, or its pages are
# balanced: a sheet with one line on it ("Phone: 12345" alone) is a sheet a clerk pins for nothing.
FEW_LINES = 8
# A key fact longer than three lines is the leaflet's and the web page's to give, not a board's
FACT_COLUMNS = 3 * COLUMNS

# The key fact: a figure (an amount, an age, a period, a count), not a year and not a phone number
_SENTENCE = re.compile(r"(?<=[。！？])|(?<=[.!?])\s+(?=\S)")
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")
_YEAR = re.compile(r"(?:19|20)\d\d")
_PHONE_LIKE = re.compile(r"\d{5,}|\d[\d -]{6,}\d")
_WORD = re.compile(r"[^\W\d_]+")
_CJK_CHAR = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_HAN_RUN = re.compile(r"\d[\d.,]*[\u3400-\u4dbf\u4e00-\u9fff][\d.,\u3400-\u4dbf\u4e00-\u9fff]*")
_COUNTERS = frozenset("个多余")  # "3个月", "10多天": the measure word and the word after it go with the figure


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


def board_hours(w: Words, hours: tuple[Hours, ...], short_days: bool = False, label: str = "") -> list[str]:
    """Opening hours as lines: 'Monday to Friday, 08:30–12:00 and 14:00–17:30', '周一至周五，上午8:30-12:00，
    下午2:00-5:30' (short day names when `short_days`), then each period's note; under a place's `label`, not a
    note that says only what the label and the hours say ("Saturday afternoon: the village agent is on duty"
    under "Village agent at …", "Sat, 14:00–17:00")."""
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
    notes = [w.text(period.note) for period in hours if period.note
             and not (label and says_only_when(w, w.text(period.note), label, period))]
    return lines + list(dict.fromkeys(notes))


def _words(w: Words, text: str) -> list[str]:
    """A text's words, lower case: by jieba in Chinese, else the runs of letters; none in a script whose words
    are not runs of letters (Tibetan, its vowels being marks): no note is judged there."""
    if w.lang.startswith("zh"):
        from ..plaintext import _jieba

        return [word for word in _jieba().cut(text) if _WORD.fullmatch(word)]
    if any(unicodedata.category(ch).startswith("M") for ch in text):
        return []
    return [word.lower() for word in _WORD.findall(text)]


@lru_cache(maxsize=None)
def _grammar(lang: str) -> frozenset[str]:
    """The language's little words (articles, auxiliary verbs, prepositions…: the catalog's "spoken" lists),
    which say nothing of their own; none for a language without them."""
    if why_silent(lang) is not None:
        return frozenset()
    speech = Speech(lang)
    return frozenset().union(*(speech.grammar(key) for key in GRAMMAR))


def says_only_when(w: Words, note: str, label: str, period: Hours) -> bool:
    """Whether an opening period's note says only when (its days, the part of the day) and what `label` says:
    fewer than a third of its words (the language's little words aside) are words of its own."""
    days = w.locale.days
    known = {word.lower() for context in ("format", "stand-alone") for form in ("wide", "abbreviated", "short")
             for name in days[context][form].values() for word in _words(w, name)}
    periods = w.locale.day_periods
    known |= {word.lower() for context in ("format", "stand-alone") if context in periods
              for name in dict(periods[context]).get("wide", {}).values() for word in _words(w, name)}
    known |= set(_words(w, " ".join(clock(t, w.lang) for t in (period.opens, period.closes))))  # 上午, 下午
    known |= set(_words(w, label))
    words = [word for word in _words(w, note) if word not in _grammar(w.lang)]
    own = [word for word in words if word not in known and word.rstrip("s") not in known]
    return bool(words) and 3 * len(own) < len(words)


def _days(w: Words, days: list[str], short: bool) -> str:
    """Days as a board says them: 'Monday to Friday'; 'Mon to Fri' when short; '周一至周五' always in Chinese."""
    return str(w.days(days, "abbreviated" if short or w.lang.startswith("zh") else "wide"))


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


def figures(text: str) -> set[str]:
    """The figures of a text ("50", "1,180", "90"), years aside: 2026 dates a rule, it is no fact to act on."""
    return {figure for figure in _FIGURE.findall(text) if not _YEAR.fullmatch(figure)}


def key_fact(w: Words, service: Service, said: str) -> str:
    """The fact a reader acts on that the notice would otherwise not give: the description's first sentence with
    a figure (an amount, an age, a period; the figures that a leaflet keeps longest) that `said` (the rest of
    the notice) lacks, as written: "The monthly amounts are 50 yuan for ages 80 to 89, …". None when that
    sentence is longer than three lines, or has a phone number (the notice gives the number to call once, at its
    end); none from an untranslated description."""
    if not w.translated(service.description):
        return ""
    known = figures(said)
    back = _back_words(w)
    for paragraph in w.paragraphs(service.description):
        before = ""
        for sentence in (s.strip() for s in _SENTENCE.split(paragraph) if s.strip()):
            if not _PHONE_LIKE.search(sentence) and figures(sentence) - known:
                if {word.strip(",.;:").lower() for word in sentence.split()[:4]} & back:  # "In 2026 it is …":
                    pair = f"{before} {sentence}"  # only with the sentence it points to, if both fit
                    if before and width(pair) <= FACT_COLUMNS:
                        return pair
                    before = sentence
                    continue
                sentence = new_part(sentence, known)
                return sentence if width(sentence) <= FACT_COLUMNS else ""
            before = sentence
    return ""


_CLAUSES = re.compile(r"(?<=[；;])\s*")
_CHINESE_CLAUSES = re.compile(r"(?<=，)")


def new_part(sentence: str, known: set[str]) -> str:
    """A key fact without its clauses that only say again a figure the notice gives: "个人创业最多可以贷30万元；…；
    小微企业最多可以贷400万元。" under "…个人最高30万元。" is "小微企业最多可以贷400万元。". Clauses are what lies between
    semicolons; in a Chinese sentence without one, between commas ("每年6月统一网上报名，7月中旬公布结果。" under "每年6月在网上
    报名" is "7月中旬公布结果。"). A clause without a figure stays with the clauses around it; the sentence as it is when
    no clause goes."""
    body = sentence.rstrip()
    stop = body[-1] if body[-1:] in "。！？.!?" else ""
    body = body[:len(body) - len(stop)]
    splitter = _CLAUSES if re.search(r"[；;]", body) else _CHINESE_CLAUSES if _CJK_CHAR.search(body) else None
    if splitter is None:
        return sentence
    clauses = [c for c in splitter.split(body) if c]
    kept = [c for c in clauses if not figures(c) or figures(c) - known]
    if len(kept) == len(clauses) or not any(figures(c) for c in kept):
        return sentence
    while kept and not figures(kept[-1]) and kept[-1] is not clauses[-1]:  # nothing left for it to lead into
        kept.pop()
    while kept and not figures(kept[0]) and clauses.index(kept[0]) + 1 < len(clauses) \
            and clauses[clauses.index(kept[0]) + 1] not in kept:  # "几个人合伙创业的，" led into a clause that went
        kept.pop(0)
    text = "".join(kept).rstrip("，；;, ")
    return text + (stop or ("。" if _CJK_CHAR.search(text) else "."))


def _back_words(w: Words) -> frozenset[str]:
    """The words that point back to the sentence before ("it", "this"), as the radio scripts read them (gettext
    context "spoken"); none for a language whose catalog lacks them, or written without spaces."""
    said = w.pgettext(SPOKEN, GRAMMAR["back"])
    return frozenset(str(said).lower().split()) if said.lang is None else frozenset()


def address(catalogue: Catalogue, w: Words, office: Office, brief: bool) -> str:
    """A place's address; `brief`, without its parts (between commas) that the issuer's name or the place's name
    already says: "88 Renmin Road, Chengguan Town" (the notice is issued by Example County Government),
    "3 Weisheng Road" (of Qingshan Town Health Centre), "1 Qingshan Road (ground floor of the town hall)" (of
    Qingshan Town Service Centre: what a part says in brackets stays). An address written without commas stays
    whole."""
    full = w.text(office.address)
    if not brief or ", " not in full:
        return full
    directory = catalogue.directory
    said = (w.text(directory.publisher.name if directory.publisher else directory.name) + " " + w.text(office.name)).lower()
    parts: list[str] = []
    for part in full.split(", "):
        head, bracket, rest = part.partition(" (")  # "Qingshan Town (ground floor of the town hall)"
        if re.search(rf"(?<!\w){re.escape(head.lower())}(?!\w)", said):
            if bracket and parts:
                parts[-1] += bracket + rest  # "1 Qingshan Road (ground floor of the town hall)"
            elif bracket:
                parts.append(part)
            continue
        parts.append(part)
    return ", ".join(parts) if parts else full


def places(catalogue: Catalogue, service: Service, w: Words, layout: Layout = Layout(),
           phone: str = "") -> list[dict[str, Any]]:
    """Where to go and when: each office or village service point once, with its address and the hours of each
    way there; ways with the same hours share them ("At a self-service kiosk or in person: …"). A way is
    labelled when there are several with different hours, or when it is a self-service machine. `grouped`:
    the village service points where only the village agent helps, under one "Through your village agent:"
    (in place of "Village agent at …" each). `brief`: the name and the address on one line where the address
    is written with commas between its parts ("Qingshan Town Health Centre, 3 Weisheng Road")."""
    out: dict[str, dict[str, Any]] = {}
    offices = catalogue.by_id["offices"]
    agents_only = [office for office in dict.fromkeys(c.office for c in service.channels if c.office and c.type in OFFLINE_CHANNELS)
                   if all(c.type == "village-agent" for c in service.channels if c.office == office and c.type in OFFLINE_CHANNELS)]
    grouped = layout.grouped and len(agents_only) > 1
    for c in service.channels:
        if not c.office or c.type not in OFFLINE_CHANNELS:
            continue
        office: Office = offices[c.office]
        name = w.text(office.name)
        label = name if grouped and c.office in agents_only or c.type != "village-agent" else w._("Village agent at {place}").format(place=name)
        place = out.setdefault(c.office, {"name": label, "address": address(catalogue, w, office, layout.brief),
                                          "commas": ", " in w.text(office.address), "ways": {}})
        kinds = place["ways"].setdefault(tuple(_hours_at(catalogue, c, w, layout, phone, label=place["name"])), [])
        if c.type not in kinds:
            kinds.append(c.type)
    for place in out.values():  # a self-service machine says so, and so do ways with hours of their own
        ways = list(place["ways"].items())
        labelled = len(ways) > 1 or len(ways[0][1]) > 1 or ways[0][1][0] not in ("office", "village-agent")
        place["hours"], place["points"] = [], []
        for lines, kinds in ways:
            lines = list(lines)
            if labelled:
                names = [w.channel(kind) for kind in kinds]
                label = format_list([names[0], *(after_colon(name, w.lang) for name in names[1:])], style="or", locale=w.locale)
                lines = [label + w.pgettext("after a label", ": ") + lines[0], *lines[1:]] if lines else [label]
            place["hours"] += lines
        del place["ways"]
        if place.pop("commas") and layout.brief:  # "Qingshan Town Health Centre, 3 Weisheng Road"
            place["name"] += ", " + after_colon(place["address"], w.lang)
            place["address"] = ""
    if not grouped:
        return list(out.values())
    listed: list[dict[str, Any]] = []
    for office, place in out.items():
        if office not in agents_only:
            listed.append(place)
        elif office == agents_only[0]:
            listed.append({"name": w.channel("village-agent") + w.pgettext("after a label", ": ").rstrip(),
                           "address": "", "hours": [], "points": [out[o] for o in agents_only]})
    return listed


def _hours_at(catalogue: Catalogue, channel: Channel, w: Words, layout: Layout, phone: str,
              label: str = "") -> list[str]:
    """A way's hours, or whom to ask when its office's are not known (with the office's or provider's number
    when it is not the notice's own); under `label`, without the notes that only repeat it."""
    hours = catalogue.hours_of(channel)
    if hours or not channel.office:
        return board_hours(w, hours, layout.short_days, label=label + " " + w.channel(channel.type))
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
        out.append({"label": way_label(service, w, c.type), "text": first,
                    "lines": lines + board_hours(w, c.hours, layout.short_days)})
    return out


def way_label(service: Service, w: Words, kind: str) -> str:
    """What a way that is not a place is called on a notice. A phone line is "Phone for help" (咨询电话): the
    catalogue cannot say whether a call does the service or only answers questions about it, and a clerk's reader
    who takes "By phone: 12333" (电话办理) for "it can be done by phone" makes a wasted call; only a service whose
    every way is a phone line is done "By phone". Post is said as "Post" (邮寄): a post channel is as often how
    the result comes back (a passport sent to your home) as how the application goes in, and 邮寄办理 says the
    latter. Each falls back to the channel's own name where the language has no word for it yet."""
    if kind == "phone" and not all(c.type == "phone" for c in service.channels):
        # Translators: a notice's label for a phone line that answers questions; it may not do the service (咨询电话).
        return _own(w._("Phone for help"), str(w._("Phone: ")).rstrip(": ：\u00a0"))
    if kind == "post":
        # Translators: a notice's label for post, which may be how the result comes back, not how one applies (邮寄).
        return _own(w.pgettext("noticeboard: a way", "Post"), w.channel(kind))
    return w.channel(kind)


def _own(phrase: Any, fallback: str) -> str:
    """Interface words in the notice's own language, else `fallback` (never English words on a Chinese board)."""
    return str(phrase) if getattr(phrase, "lang", None) is None else fallback


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
        cost = w.price(service.cost)  # what it costs is never cut
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
    deadline = w.text(service.deadline) if service.deadline else ""
    said = " ".join([w.text(service.name), w.text(service.summary), *w.items(service.eligibility),
                     *w.items(service.documents), cost, deadline])
    summary, fact = w.text(service.summary), key_fact(w, service, said)
    if fact:  # one paragraph: the key fact goes on from the summary (no space after a Chinese full stop)
        summary = f"{summary}{'' if re.search(r'[。！？]$', summary) else ' '}{fact}"
    return {"name": w.text(service.name), "summary": summary,
            "shortened": layout.shorten and any(first_part(text) != text for text in long_texts),
            "eligibility": [cut(item) for item in w.items(service.eligibility)],
            "documents": [cut(item) for item in w.items(service.documents)],
            "places": places(catalogue, service, w, layout, phone), "ways": ways, "cost": cost, "phone": phone,
            "deadline": deadline,
            # Translators: heading of what a service offered only online needs, with nowhere to bring it (需要准备：).
            "documents_label": _own(w._("What you need:"), str(w._("What to bring:")))
            if online_only(service.channels) else str(w._("What to bring:")),
            "phone_hours": next((board_hours(w, c.hours, layout.short_days) for c in service.channels
                                 if c.type == "phone" and _number(w, c.phone) == phone), []) if not layout.brief else [],
            "blank": layout.blank, "running": layout.running, "checked": w.date(service.last_reviewed, "long"),
            "publisher": w.text(publisher.name if publisher else catalogue.directory.name)}


Block = list[str]  # wrapped lines that stay together on a page where they can


def number_words(text: str) -> set[str]:
    """Each figure of a Chinese text with the word after it, as jieba reads it ("30万元", "90天到", "16周岁",
    "3个月"): a line never ends with "每人最多30" and goes on with "万元". None in a text without Chinese."""
    from ..plaintext import _jieba

    out: set[str] = set()
    for run in _HAN_RUN.findall(text):
        words = list(_jieba().cut(run))
        for i, word in enumerate(words[:-1]):
            if not re.fullmatch(r"\d[\d.,]*", word) or not re.match(r"[\u3400-\u4dbf\u4e00-\u9fff]", words[i + 1]):
                continue
            end = i + 2 + (words[i + 1] in _COUNTERS and i + 2 < len(words))
            out.add("".join(words[i:end]))
    return out


def lay_out(text: str, keep: tuple[str, ...]) -> list[Block]:
    """The template's logical lines wrapped to COLUMNS, in blocks a page break does not split: a line with the
    indented lines under it (a place and its hours), a heading with what follows it. A wrapped item keeps its
    indent ('- ' or spaces). Full-width punctuation next to Chinese; times, dates and numbers kept whole."""
    text = full_width(text)
    keep = tuple(sorted(set(keep) | set(_KEPT.findall(text)) | number_words(text), key=len, reverse=True))
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


def paged(blocks: list[Block], w: Words, header: Block | list[Block], lines: int = LINES) -> list[str]:
    """The notice as it is printed: its lines when they fit one page; else pages of at most `lines` lines, each
    ending with 'Page 1 of 2', a form feed between them, every page after the first starting with `header` (the
    headline), or with the header of the block it starts in (`header` a list of blocks, one for each).

    A page breaks between blocks; a block taller than a page is split. The pages are as few as can be: only
    where that saves a sheet, a block is split between the items of a list inside it (the village service
    points under "Through your village agent:"), and a headline of several lines is repeated as its first line
    (a running head, "Free job skills training and training…"). The last page holds at least FEW_LINES lines of
    its own, or as many as balanced pages give it: the pages before it then break earlier."""
    if sum(len(block) for block in blocks) <= lines:
        return [line for block in blocks for line in block]
    per_block = bool(header) and isinstance(header[0], list)
    full: list[Block] = header if per_block else [list(header)] * len(blocks)  # type: ignore[assignment]
    tries = [(full, False), (full, True)]
    if not per_block and len(header) > 1:
        head: list[Block] = [[running_head(header)]] * len(blocks)  # type: ignore[arg-type]
        tries += [(head, False), (head, True)]
    room = lines - 1  # the page line
    headers, split = min(tries, key=lambda t: len(_fill(blocks, t[0], room, t[1])[0]))
    pages, tops = _fill(blocks, headers, room, split)
    own = len(pages[-1]) - tops[-1]
    for shorter in range(room - 1, 0, -1):  # a nearly empty last page: break the pages before it earlier
        if own >= FEW_LINES:
            break
        trial, trial_tops = _fill(blocks, headers, shorter, split)
        if len(trial) != len(pages):
            break
        if len(trial[-1]) - trial_tops[-1] > own:
            pages, tops, own = trial, trial_tops, len(trial[-1]) - trial_tops[-1]
    out: list[str] = []
    for number, page in enumerate(pages, 1):
        # Translators: at the foot of each sheet of a notice printed on several (第{page}页/共{pages}页).
        out += page + [str(w._("Page {page} of {pages}").format(page=number, pages=len(pages)))]
        if number < len(pages):
            out.append(PAGE_BREAK)
    return out


def running_head(headline: Block) -> str:
    """A headline of several lines as one: its first line and "…" (the last word giving way if need be)."""
    first = headline[0]
    while first and width(first + "…") > COLUMNS:
        first = first.rsplit(" ", 1)[0] if " " in first else first[:-1]
    return first.rstrip(" ,;:") + "…"


def _item_starts(block: Block) -> list[int]:
    """Where a block may be split: before an item of a list inside it that follows another of the same list."""
    starts = [i for i, line in enumerate(block) if line.lstrip().startswith("- ")]
    indent = {i: len(block[i]) - len(block[i].lstrip()) for i in starts}
    return [i for i in starts if any(j < i and indent[j] == indent[i] for j in starts)]


def _fill(blocks: list[Block], headers: list[Block], room: int, split: bool) -> tuple[list[list[str]], list[int]]:
    """Pages of at most `room` lines, block after block, and how many header lines each starts with."""
    pages: list[list[str]] = [[]]
    tops = [0]

    def turn(head: Block) -> None:
        pages.append(list(head))
        tops.append(len(head))

    for block, head in zip(blocks, headers):
        page = pages[-1]
        if block == [""]:
            if tops[-1] < len(page) < room:
                page.append("")
            continue
        fresh = len(page) <= tops[-1]
        if len(page) + len(block) > room and not fresh:
            # `split`: the items of a list inside the block that fit go on this page, the others on the next
            cut = max((i for i in _item_starts(block) if len(page) + i <= room), default=0) if split else 0
            if cut:
                page += block[:cut]
                block = block[cut:]
            if len(head) + len(block) <= room:
                turn(head)  # the whole block on the next page
        for line in block:
            if len(pages[-1]) >= room:
                turn(head)
            pages[-1].append(line)
    for page in pages:
        while page and not page[-1]:
            page.pop()
    return pages, tops


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


def _terms(w: Words) -> tuple[str, ...]:
    """The Chinese words of the notices' own labels, never broken where the catalogue's texts use them too: jieba
    reads 村代办员 as 村|代办|员, and "村代办" at a line's end with "员帮您办" on the next reads as a word cut."""
    if not w.lang.startswith("zh"):
        return ()
    label = str(w._("Village agent at {place}")).replace("{place}", " ")
    return tuple(run for run in re.findall(r"[\u3400-\u9fff]{3,}", label))


def service_notice(catalogue: Catalogue, service: Service, w: Words, template: Any) -> tuple[list[str], int]:
    """The notice's lines and how many pages they take: the first layout that fits one page; when none does,
    the fullest layout in the fewest pages, each page saying 'Page 1 of 2'. Never a place or a way left out."""
    keep = _phones(catalogue, service, w) + (w.date(service.last_reviewed, "long"),) + _terms(w)
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


AREA_LAYOUTS = (Layout(), Layout(short_days=True), Layout(blank=False, short_days=True))


def area_notice(catalogue: Catalogue, area: str, w: Words, template: Any) -> list[str]:
    """What can be done at an area's service points, and when each is open: the first of AREA_LAYOUTS that fits
    one page; else the fullest in the fewest pages, each page after the first starting with the name of the
    service point it goes on with."""
    publisher = catalogue.directory.publisher
    feedback = catalogue.directory.feedback.get("phone")
    candidates: list[list[str]] = []
    for layout in AREA_LAYOUTS:
        points = []
        for office in (o for o in catalogue.offices if o.area == area):
            here = [s for s in catalogue.services if s.status != "withdrawn" and any(c.office == office.id for c in s.channels)]
            own = board_hours(w, office.hours, layout.short_days)
            agent = []
            for s in here:
                for c in s.channels:
                    if c.office == office.id and c.type == "village-agent":
                        agent += [h for h in board_hours(w, catalogue.hours_of(c), layout.short_days)
                                  if h not in own and h not in agent]
            provider_phone = "" if office.phone else _number(w, catalogue.by_id["providers"][office.provider].phone)
            points.append({"title": w._("Services at {place}").format(place=w.text(office.name)),
                           "address": w.text(office.address),
                           "hours": own or [_ask(w, "hours", office.provider, provider_phone)], "agent_hours": agent,
                           "access": w.text(office.accessibility) if office.accessibility else "",
                           "services": [w.text(s.name) for s in here],
                           "phone": w.phone(office.phone).shown if office.phone else "",
                           "reviewed": max((s.last_reviewed for s in here), default=None)})
        phones = tuple(p["phone"] for p in points if p["phone"]) + ((w.phone(feedback).shown,) if feedback else ())
        reviewed = max((p["reviewed"] for p in points if p["reviewed"]), default=None)
        checked = w.date(reviewed, "long") if reviewed else ""
        text = template.render(**w.jinja(), points=points, phone=w.phone(feedback).shown if feedback else "",
                               checked=checked, blank=layout.blank,
                               publisher=w.text(publisher.name if publisher else catalogue.directory.name))
        blocks = lay_out(text, phones + ((checked,) if checked else ()) + _terms(w))
        if sum(len(block) for block in blocks) <= LINES:
            return [line for block in blocks for line in block]
        blocks, headers = _by_point(blocks, [str(p["title"]) for p in points])
        candidates.append(paged(blocks, w, headers))
    return min(candidates, key=pages_of)


def _by_point(blocks: list[Block], titles: list[str]) -> tuple[list[Block], list[Block]]:
    """An area notice's blocks, each service point's title kept with what follows it (its opening hours), and
    for each block the lines a page that goes on inside it starts with: the title of the service point it
    belongs to (none for the block that starts a service point: it says its name itself)."""
    squeeze = lambda text: re.sub(r"\s+", "", full_width(text))  # noqa: E731
    pending = [squeeze(title) for title in titles]
    out: list[Block] = []
    headers: list[Block] = []
    current: Block = []
    glued = False
    for block in blocks:
        if glued and block != [""]:
            out[-1] = out[-1] + block
            glued = False
            continue
        if pending and squeeze("".join(block)).startswith(pending[0]):
            pending.pop(0)
            current = [line for line in block if not line.startswith(" ")]
            out.append(list(block))
            headers.append([])
            glued = True
            continue
        out.append(block)
        headers.append(current)
    return out, headers


def one_line(value: Any) -> Any:
    """A catalogue text as one logical line of a notice (the templates' `finalize`): a line break inside a name or a
    note is a space (none between two Chinese characters), so that a page never breaks inside a text and no
    line of it loses its bullet or indent."""
    if not isinstance(value, str) or "\n" not in value:
        return value
    return re.sub(r"(?<=(.))[^\S\n]*\n\s*(?=(.))",
                  lambda m: "" if _CJK_CHAR.match(m.group(1)) and _CJK_CHAR.match(m.group(2)) else " ", value.strip())


def render(catalogue: Catalogue, stage: Staging, options: Options) -> list[Problem]:
    """print/noticeboard/<lang>/<id>.txt per service and print/noticeboard/<lang>/area-<area>.txt per area."""
    env = environment("scripts", html=False, finalize=one_line)
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
