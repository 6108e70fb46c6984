"""Validate stage, part two: checks no schema can make (languages, phones, hours, dates, references)."""
from __future__ import annotations

import datetime as dt
import os
import re
import zoneinfo
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator

import babel
import babel.numbers
import isodate
import phonenumbers
from phonenumbers import shortnumberinfo

from . import i18n
from .loader import Document
from .problems import Problem

Location = tuple[str | int, ...]
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
STALE_AFTER = dt.timedelta(days=365)
ID_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*\Z")
_MARKUP = re.compile(r"<[A-Za-z/!][^>]*>|\[[^\]\n]+\]\([^)\n]*\)|\*\*[^*\n]+\*\*|^#{1,6} ", re.MULTILINE)

# Where the texts, phone numbers and opening hours are in each kind of file; "*" is every list item.
TEXTS: dict[str, tuple[str, ...]] = {
    "directory": ("name", "sms_signature", "help_point", "publisher.name", "publisher.copyright"),
    "audiences": ("*.name", "*.description"),
    "life-events": ("*.name", "*.description", "*.steps.*.title"),
    "providers": ("*.name",),
    "offices": ("*.name", "*.address", "*.accessibility", "*.hours.*.note"),
    "service": ("name", "summary", "radio", "sms", "description", "eligibility", "documents", "steps", "deadline", "cost.note",
                "channels.*.note", "channels.*.address", "channels.*.name", "channels.*.hours.*.note",
                "links.*.title"),
}
PHONES: dict[str, tuple[str, ...]] = {
    "directory": ("feedback.phone",),
    "providers": ("*.phone",),
    "offices": ("*.phone",),
    "service": ("channels.*.phone", "channels.*.fax"),
}
HOURS: dict[str, tuple[str, ...]] = {
    "offices": ("*.hours",),
    "service": ("channels.*.hours",),
}
# The dates checked against today: the only checks that read Context.today. They are made again on every run;
# the validation cache keeps every other result of a file (generator/validate.py), which today cannot change.
DATES: dict[str, tuple[str, ...]] = {
    "service": ("last_reviewed",),
}


@dataclass(frozen=True)
class Context:
    """What every file is checked against: the directory's settings and today's date."""

    languages: tuple[str, ...]
    phone_region: str
    today: dt.date  # read only by check_date, for the values in DATES
    require: frozenset[str] = frozenset()  # recommended service fields the publisher requires
    sms_signature: dict[str, str] | None = None  # directory.yml's, for the length of an `sms` text

    @property
    def default(self) -> str:
        return self.languages[0]


@lru_cache(maxsize=None)
def _steps(spec: str) -> tuple[str, ...]:
    return tuple(spec.split("."))


def find(data: Any, spec: str) -> list[tuple[Location, Any]]:
    """Every value at a dotted path such as 'channels.*.note', with its location."""
    found: list[tuple[Location, Any]] = [((), data)]
    for step in _steps(spec):
        if step == "*":
            found = [((*where, i), item) for where, value in found if isinstance(value, list)
                     for i, item in enumerate(value)]
        else:
            found = [((*where, step), value[step]) for where, value in found
                     if isinstance(value, dict) and step in value]
        if not found:
            break
    return found


# A service needs only what identifies it and lets someone act; these make it complete. A publisher may
# require them (directory.yml `require`); otherwise a missing one is a notice, one per service.
OFFICE_RECOMMENDED = ("area", "hours")
RECOMMENDED = ("description", "eligibility", "documents", "steps", "cost", "processing_time", "online_stage")

PLACEHOLDER = "TODO"  # what `servicedir new` writes where an editor must write a text


def check_document(doc: Document, kind: str, ctx: Context, *, dates: bool = True) -> list[Problem]:
    """Checks of one file on its own (the schema has passed); with dates=False, all but those of the dates
    (check_dates), the only ones that depend on the day they are made."""
    problems: list[Problem] = []
    for spec in TEXTS.get(kind, ()):
        for where, text in find(doc.data, spec):
            problems.extend(_check_text(doc, where, text, ctx))
    for spec in PHONES.get(kind, ()):
        for where, number in find(doc.data, spec):
            if not phone_ok(number, ctx.phone_region):
                problems.append(doc.problem(where, "error",
                                            f"'{number}' is not a valid phone number in region {ctx.phone_region}"))
    for spec in HOURS.get(kind, ()):
        for where, hours in find(doc.data, spec):
            problems.extend(_check_hours(doc, where, hours))
    if kind == "service":
        problems.extend(_check_service(doc, ctx))
    if kind == "audiences" and not doc.data:
        problems.append(doc.problem((), "warning", "no audiences: people who look for help by who they are find "
                                                   "nothing; add the groups your services are for"))
    if kind == "offices":
        for i, office in enumerate(doc.data):
            missing = [field for field in OFFICE_RECOMMENDED if field not in office]
            if missing:
                problems.append(doc.problem((i, "id"), "notice", f"incomplete: no {_fields(missing, 'or')} (recommended; "
                                            + ("the outputs tell people to ask when it is open" if "hours" in missing
                                               else "the office is on no area noticeboard") + ")"))
    if dates:
        problems.extend(check_dates(doc, kind, ctx))
    return problems


def dated(doc: Document, kind: str) -> list[tuple[Location, Any]]:
    """The values of one file checked against today (DATES), with their locations."""
    return [found for spec in DATES.get(kind, ()) for found in find(doc.data, spec)]


def check_dates(doc: Document, kind: str, ctx: Context) -> list[Problem]:
    return [problem for where, value in dated(doc, kind) for problem in check_date(doc, where, value, ctx)]


def _check_text(doc: Document, where: Location, text: Any, ctx: Context) -> Iterator[Problem]:
    if not isinstance(text, dict):
        return
    for lang in text:
        if lang not in ctx.languages:
            yield doc.problem((*where, lang), "error",
                              f"language '{lang}' is not one of the directory's languages ({', '.join(ctx.languages)})", key=True)
    default_language = ctx.languages[0]
    joined = "\n".join(v if isinstance(v, str) else "\n".join(map(str, v)) for v in text.values())
    if PLACEHOLDER in joined:  # left by `servicedir new`: nothing half-written can be published
        for lang, value in text.items():
            for item in ([value] if isinstance(value, str) else value):
                if isinstance(item, str) and item.lstrip().startswith(PLACEHOLDER):
                    yield doc.problem((*where, lang), "error", f"'{place_name(doc, where)}' in '{lang}' is still "
                                      f"the placeholder {item.strip()!r}: write the real text")
                    break
    if _MARKUP.search(joined):
        for lang, value in text.items():  # rare: find which language it is in
            if _MARKUP.search(value if isinstance(value, str) else "\n".join(map(str, value))):
                yield doc.problem((*where, lang), "warning", "this looks like HTML or Markdown; texts are plain "
                                  "text and will be shown exactly as written", key=True)
    if len(text) == len(ctx.languages) and all(lang in text for lang in ctx.languages) \
            and not isinstance(text[default_language], list):
        return  # the common case: every language given
    name = place_name(doc, where)
    if ctx.default not in text:
        yield doc.problem(where, "error", f"'{name}' has no text in the default language '{ctx.default}'")
        return
    for lang in ctx.languages[1:]:
        if lang not in text:
            yield doc.problem(where, "warning", f"'{name}' has no '{lang}' translation; the '{ctx.default}' text will be shown")
    default = text[ctx.default]
    if isinstance(default, list):
        for lang, items in text.items():
            if lang != ctx.default and isinstance(items, list) and len(items) != len(default):
                yield doc.problem((*where, lang), "warning",
                                  f"'{name}' has {len(default)} items in '{ctx.default}' but {len(items)} in '{lang}'")


def place_name(doc: Document, where: Location) -> str:
    """'channels 2 note' or, in a list file, 'farmers: name': how an editor would name the place."""
    parts: list[str] = []
    for i, step in enumerate(where):
        if isinstance(step, int):
            entry = doc.data[step] if i == 0 and isinstance(doc.data, list) else None
            parts.append(f"{entry['id']}:" if isinstance(entry, dict) and "id" in entry else f"item {step + 1}")
        else:
            parts.append(step)
    return " ".join(parts)


@lru_cache(maxsize=4096)
def phone_ok(number: str, region: str) -> bool:
    """A full number valid in the region, or a short number such as 12345."""
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(parsed) or shortnumberinfo.is_valid_short_number_for_region(parsed, region)


def minutes(clock: str) -> int:
    hours, mins = clock.split(":")
    return int(hours) * 60 + int(mins)


def _check_hours(doc: Document, where: Location, hours: list[dict[str, Any]]) -> Iterator[Problem]:
    for i, period in enumerate(hours):
        opens, closes = minutes(period["opens"]), minutes(period["closes"])
        if opens >= closes:
            yield doc.problem((*where, i, "closes"), "error",
                              f"closes at {period['closes']}, which is not after it opens ({period['opens']})")
            continue
        for j, earlier in enumerate(hours[:i]):
            if minutes(earlier["opens"]) < closes and opens < minutes(earlier["closes"]):
                days = [day for day in DAYS if day in period["days"] and day in earlier["days"]]
                if days:
                    yield doc.problem((*where, i), "error",
                                      f"{period['opens']}–{period['closes']} on {', '.join(days)} overlaps "
                                      f"the hours in item {j + 1} of this list")
                    break  # one report per period: enough to fix it


def _check_service(doc: Document, ctx: Context) -> Iterator[Problem]:
    data = doc.data
    stem = doc.path.stem
    if file_name_problem(doc) is None and data["id"] != stem:
        yield doc.problem(("id",), "error", f"id '{data['id']}' differs from the file name; the file must be named {data['id']}.yml")
    missing = [field for field in RECOMMENDED if field not in data]
    required = [field for field in missing if field in ctx.require]
    if required:
        yield doc.problem(("id",), "error", f"missing {_fields(required, 'and')}, which directory.yml requires of every service")
    if len(required) < len(missing):
        optional = [field for field in missing if field not in ctx.require]
        yield doc.problem(("id",), "notice", f"incomplete: no {_fields(optional, 'or')} (recommended; the outputs tell people "
                                              "to ask the provider instead)")
    if not data["channels"]:
        yield doc.problem(("channels",), "warning", "no channel: say at least one way to use this service (the outputs "
                                                    "tell people to ask the provider meanwhile)")
    if not data["audiences"]:
        yield doc.problem(("audiences",), "warning", "no audience: people who look for help by who they are will not "
                                                     "find this service; add at least one audience id")
    if "processing_time" in data:
        yield from _check_duration(doc, data["processing_time"])
    if "processing_days" in data and not re.fullmatch(r"P\d+D", data.get("processing_time", "")):
        yield doc.problem(("processing_days",), "error", "processing_days counts days: give processing_time in days, "
                                                         "such as P20D (20 working days), or leave processing_days out")
    yield from _check_medium_texts(doc, ctx)
    currency = data.get("cost", {}).get("currency")
    if currency and currency not in _currencies():
        yield doc.problem(("cost", "currency"), "error", f"'{currency}' is not an ISO 4217 currency code such as CNY")


RADIO_TEXT_SECONDS = 25  # what a 30-second spot can give a service's own text, its name and the phone taking the rest


def _check_medium_texts(doc: Document, ctx: Context) -> Iterator[Problem]:
    """A text written for radio is fit to be read aloud; one written for SMS fits one message with the signature."""
    from . import spoken
    from .i18n import interface
    from .plaintext import segment, sms_text

    for lang, text in (doc.data.get("radio") or {}).items():
        if spoken.URL_OR_EMAIL.search(text):
            yield doc.problem(("radio", lang), "error", "a web or e-mail address cannot be read on air; give the phone "
                                                        "number or say where to go instead")
            continue
        if not spoken.speaks(lang):
            continue
        speech = spoken.Speech(lang)
        lines = speech.sentences(speech.clean(text))
        too_long = [line for line in lines if speech.too_long(line)]
        if too_long:
            yield doc.problem(("radio", lang), "warning", f"a sentence too long to follow on air: {too_long[0]!r}; split it")
        elif speech.seconds(" ".join(lines)) > RADIO_TEXT_SECONDS:
            yield doc.problem(("radio", lang), "warning", f"about {round(speech.seconds(' '.join(lines)))} s read "
                                                          f"aloud, more than the {RADIO_TEXT_SECONDS} s a spot has for it; shorten it")
    signature = ctx.sms_signature or {}
    for lang, text in (doc.data.get("sms") or {}).items():
        mark = signature.get(lang) or signature.get(ctx.languages[0], "")
        signed = interface(lang, ctx.languages[0]).pgettext("SMS: the signature, then the message", "{signature} {message}")
        sent = sms_text(str(signed).format(signature=mark, message=text).strip() if mark else text)
        fit = segment(sent)
        if not fit.fits:
            yield doc.problem(("sms", lang), "error", f"{fit.units} {'characters' if fit.encoding == 'UCS-2' else 'GSM characters'} "
                                                      f"with the signature, more than the {fit.limit} of one text message "
                                                      f"({fit.encoding}); shorten it")


def _fields(names: list[str], conjunction: str) -> str:
    quoted = [f"'{name}'" for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + f" {conjunction} " + quoted[-1]


def _check_duration(doc: Document, value: str) -> Iterator[Problem]:
    try:
        duration = isodate.parse_duration(value)
        if isinstance(duration, isodate.Duration) and (duration.years < 0 or duration.months < 0) or \
                not isinstance(duration, isodate.Duration) and duration.total_seconds() < 0:
            raise isodate.ISO8601Error("negative")
    except (isodate.ISO8601Error, ValueError, OverflowError):
        yield doc.problem(("processing_time",), "error",
                          f"'{value}' is not an ISO 8601 duration such as P20D (20 days), P1M (a month) or PT2H (2 hours)")


@lru_cache(maxsize=1)
def _currencies() -> frozenset[str]:
    return frozenset(babel.numbers.list_currencies())


def file_name_problem(doc: Document) -> Problem | None:
    """A service file must be named after a valid id (checked even when the file's contents are wrong)."""
    stem = doc.path.stem
    if ID_PATTERN.match(stem) and len(stem) <= 64:
        return None
    why = "is longer than 64 characters" if len(stem) > 64 else "is not a valid id"
    return doc.problem(("id",), "error",
                       f"the file name '{doc.path.name}' {why}; name the file <id>.yml, in lower-case words joined by hyphens")


def check_date(doc: Document, where: Location, value: str, ctx: Context) -> Iterator[Problem]:
    try:
        reviewed = dt.date.fromisoformat(value)
    except ValueError:
        yield doc.problem(where, "error", f"'{value}' is not a real date")
        return
    if reviewed > ctx.today:
        yield doc.problem(where, "error", f"last reviewed on {value}, which is in the future (today is {ctx.today})")
    elif ctx.today - reviewed > STALE_AFTER:
        yield doc.problem(where, "warning", f"last reviewed on {value}, more than 12 months ago; check the entry and update the date")


def check_directory(doc: Document) -> list[Problem]:
    """Settings of directory.yml that the rest of the checks rely on."""
    data = doc.data
    problems = []
    for i, lang in enumerate(data["languages"]):
        try:
            babel.Locale.parse(lang, sep="-")
        except (ValueError, babel.UnknownLocaleError):
            problems.append(doc.problem(("languages", i), "error", f"'{lang}' is not a language this tool knows"))
            continue
        if not i18n.has_catalog(lang):
            fallback = data["languages"][0] if i and i18n.has_catalog(data["languages"][0]) else i18n.SOURCE
            problems.append(doc.problem(("languages", i), "warning", (
                f"the interface has no '{lang}' translation yet: headings and labels will be in '{fallback}'; "
                f"a translator adds it by creating {_shown(i18n.catalog_path(lang))} (see CONTRIBUTING.md)")))
    if data["phone_region"] not in phonenumbers.SUPPORTED_REGIONS:
        problems.append(doc.problem(("phone_region",), "error", f"'{data['phone_region']}' is not a known country code for phone numbers"))
    try:
        zoneinfo.ZoneInfo(data["timezone"])
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        problems.append(doc.problem(("timezone",), "error", f"'{data['timezone']}' is not a known time zone such as Asia/Shanghai"))
    publisher = data.get("publisher", {})
    if "logo" in publisher:
        logo = doc.path.parent / publisher["logo"]
        if logo.is_symlink() or not logo.is_file():
            problems.append(doc.problem(("publisher", "logo"), "error",
                                        f"the logo '{publisher['logo']}' is not a file in the catalogue folder"))
        elif logo.stat().st_size > MAX_LOGO_BYTES:
            problems.append(doc.problem(("publisher", "logo"), "error", f"the logo is {logo.stat().st_size // 1024} KB; "
                                        f"it is on every page, so it may be at most {MAX_LOGO_BYTES // 1024} KB"))
    primary = publisher.get("colors", {}).get("primary")
    if primary and contrast(primary, "#ffffff") < 4.5:
        problems.append(doc.problem(("publisher", "colors", "primary"), "error",
                                    f"white text on {primary} has a contrast of {contrast(primary, '#ffffff'):.1f}:1; "
                                    "choose a darker colour (at least 4.5:1 is needed to read the header)"))
    return problems


MAX_LOGO_BYTES = 100 * 1024


def _shown(path: "os.PathLike[str]") -> str:
    """A project file as a contributor finds it: relative to the project, else as it is."""
    project = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    relative = os.path.relpath(os.fspath(path), project)
    return os.fspath(path) if relative.startswith("..") else relative


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def today_in(timezone: str) -> dt.date:
    """Today in the directory's time zone; SERVICEDIR_TODAY=YYYY-MM-DD fixes it for reproducible checks."""
    fixed = os.environ.get("SERVICEDIR_TODAY")
    if fixed:
        return dt.date.fromisoformat(fixed)
    try:
        return dt.datetime.now(zoneinfo.ZoneInfo(timezone)).date()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return dt.date.today()


