"""Render stage, shared: catalogue values put into words for one language (dates, hours, money, phones)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import babel
import isodate
import phonenumbers
import yaml
from babel.dates import format_date, get_day_names
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal
from babel.units import format_unit
from phonenumbers import shortnumberinfo

from .model import Catalogue, Channel, Hours, Text, TextList

STRINGS = Path(__file__).resolve().parent.parent / "templates" / "strings"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DURATION_UNITS = (("years", "duration-year"), ("months", "duration-month"), ("weeks", "duration-week"),
                   ("days", "duration-day"), ("hours", "duration-hour"), ("minutes", "duration-minute"))


@lru_cache(maxsize=None)
def strings(lang: str) -> dict[str, Any]:
    """The output's own words for a language, falling back to English key by key."""
    english = yaml.safe_load((STRINGS / "en.yml").read_text(encoding="utf-8"))
    path = STRINGS / f"{lang}.yml"
    own = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    merged = {**english, **own}
    for key, value in english.items():  # sections (channel names, radio, notice, sms) merge key by key
        if isinstance(value, dict):
            merged[key] = {**value, **own.get(key, {})}
    return merged


@dataclass(frozen=True)
class Phone:
    """A phone number as printed and as dialled."""

    shown: str
    tel: str
    digits: str


@dataclass(frozen=True)
class Words:
    """Everything one language needs to put the catalogue into words."""

    catalogue: Catalogue
    lang: str

    @cached_property
    def locale(self) -> babel.Locale:
        return babel.Locale.parse(self.lang, sep="-")

    @cached_property
    def s(self) -> dict[str, Any]:
        return strings(self.lang)

    @property
    def default(self) -> str:
        return self.catalogue.directory.languages[0]

    # texts -----------------------------------------------------------------------------------
    def text(self, value: Text | None) -> str:
        """The text in this language, or in the default language when it is not translated."""
        if not value:
            return ""
        return value.get(self.lang) or value[self.default]

    def translated(self, value: Text | TextList | None) -> bool:
        return not value or self.lang in value

    def list(self, items: list[str]) -> str:
        """'a, b and c' / 'a、b和c'."""
        return format_list(items, locale=self.locale) if items else ""

    def items(self, value: TextList | None) -> list[str]:
        if not value:
            return []
        return list(value.get(self.lang) or value[self.default])

    def paragraphs(self, value: Text | None) -> list[str]:
        return [p.strip() for p in self.text(value).split("\n\n") if p.strip()]

    # values ----------------------------------------------------------------------------------
    def date(self, value: dt.date, form: str = "long") -> str:
        """'September 15, 2026'; form 'full' adds the weekday."""
        return format_date(value, form, locale=self.locale)

    def duration(self, iso: str) -> str:
        parsed = isodate.parse_duration(iso)
        parts: dict[str, float] = {}
        if isinstance(parsed, isodate.Duration):
            parts["years"], parts["months"] = float(parsed.years), float(parsed.months)
            parsed = parsed.tdelta
        seconds = parsed.total_seconds()
        parts["days"], seconds = divmod(seconds, 86400)
        parts["hours"], seconds = divmod(seconds, 3600)
        parts["minutes"] = seconds // 60
        if parts["days"] and parts["days"] % 7 == 0 and not any(parts.get(k) for k in ("hours", "minutes")):
            parts["weeks"], parts["days"] = parts["days"] // 7, 0
        words = [format_unit(int(parts[key]) if parts[key] == int(parts[key]) else parts[key], unit,
                             length="long", locale=self.locale)
                 for key, unit in _DURATION_UNITS if parts.get(key)]
        return format_list(words, locale=self.locale) if words else self.s["on_the_spot"]

    def money(self, amount: float, currency: str) -> str:
        return format_currency(amount, currency, locale=self.locale, format_type="standard",
                               currency_digits=amount != int(amount))

    def number(self, value: float) -> str:
        return format_decimal(value, locale=self.locale)

    def phone(self, number: str) -> Phone:
        region = self.catalogue.directory.phone_region
        parsed = phonenumbers.parse(number, region)
        if phonenumbers.is_valid_number(parsed):
            local = phonenumbers.region_code_for_number(parsed) == region
            shown = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL if local
                                               else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
            tel = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.RFC3966)
        else:  # a short number such as 12345: dialled as it is
            assert shortnumberinfo.is_valid_short_number_for_region(parsed, region)
            shown = str(parsed.national_number)
            tel = f"tel:{shown}"
        return Phone(shown, tel, "".join(ch for ch in shown if ch.isdigit()))

    def day_name(self, day: str, width: str = "wide") -> str:
        return get_day_names(width, locale=self.locale)[DAYS.index(day)]

    def days(self, days: tuple[str, ...] | list[str]) -> str:
        """mon, tue, wed, thu, fri -> 'Monday to Friday'; mon, wed -> 'Monday and Wednesday'."""
        ordered = sorted(set(days), key=DAYS.index)
        runs: list[list[str]] = []
        for day in ordered:
            if runs and DAYS.index(day) == DAYS.index(runs[-1][-1]) + 1:
                runs[-1].append(day)
            else:
                runs.append([day])
        parts = [self.s["range_of_days"].format(first=self.day_name(run[0]), last=self.day_name(run[-1]))
                 if len(run) >= 3 else format_list([self.day_name(d) for d in run], locale=self.locale)
                 for run in runs]
        return format_list(parts, locale=self.locale)

    def hours(self, hours: tuple[Hours, ...]) -> list[str]:
        """Opening hours as lines such as 'Monday to Friday, 08:30–12:00 and 14:00–17:30'."""
        by_day: dict[str, list[tuple[str, str]]] = {}
        for period in hours:
            for day in period.days:
                by_day.setdefault(day, []).append((period.opens, period.closes))
        groups: dict[tuple[tuple[str, str], ...], list[str]] = {}
        for day in DAYS:
            if day in by_day:
                groups.setdefault(tuple(sorted(by_day[day])), []).append(day)
        lines = []
        for periods, days in groups.items():
            times = format_list([f"{opens}–{closes}" for opens, closes in periods], locale=self.locale)
            separator = "，" if self.lang.startswith("zh") else ", "
            lines.append(f"{self.days(days)}{separator}{times}")
        notes = [self.text(period.note) for period in hours if period.note]
        return lines + notes

    def stage(self, stage: int) -> str:
        return self.s[f"stage_{stage}"]

    def channel(self, kind: str) -> str:
        return self.s["channel"][kind]

    def cost(self, service: Any) -> str:
        cost = service.cost
        main = self.s["free"] if cost.free else self.money(cost.amount, cost.currency)
        return f"{main} ({self.text(cost.note)})" if cost.note else main

    # the catalogue ---------------------------------------------------------------------------
    def name_of(self, kind: str, ident: str) -> str:
        return self.text(self.catalogue.by_id[kind][ident].name)


OFFLINE_CHANNELS = frozenset({"phone", "office", "post", "sms", "village-agent", "kiosk", "tv", "radio", "fax", "home-visit"})


def contact_phone(catalogue: Catalogue, service: Any) -> str | None:
    """The number to give on air, on a board or by SMS: the service's phone line, else any number of one
    of its channels or offices, else its provider's, else the directory's feedback line."""
    channels = service.channels
    offices = catalogue.by_id["offices"]
    for number in ([c.phone for c in channels if c.type == "phone"] + [c.phone for c in channels]
                   + [offices[c.office].phone for c in channels if c.office]
                   + [catalogue.by_id["providers"][service.provider].phone, catalogue.directory.feedback.get("phone")]):
        if number:
            return number
    return None


def online_only(channels: tuple[Channel, ...]) -> bool:
    """True when no channel reaches people who are not online."""
    return not any(channel.type in OFFLINE_CHANNELS for channel in channels)
