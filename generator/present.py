"""Render stage, shared: catalogue values put into words for one language (dates, hours, money, phones)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import babel
import isodate
import phonenumbers
from babel.dates import format_date, get_day_names
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal
from babel.units import format_unit
from phonenumbers import shortnumberinfo

from . import i18n
from .i18n import N_, Phrase
from .model import Catalogue, Channel, Hours, Text, TextList

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
OPEN_ALL_DAY = ("00:00", "24:00")
_DURATION_UNITS = (("years", "duration-year"), ("months", "duration-month"), ("weeks", "duration-week"),
                   ("days", "duration-day"), ("hours", "duration-hour"), ("minutes", "duration-minute"))

# Words chosen by a value of the catalogue: marked here for `pybabel extract`, translated where used.
# Said in place of a recommended field the catalogue leaves out: (with a number to call, without one).
ASK_INSTEAD = {  # in the order outputs show them
    "eligibility": (N_("Ask {provider} who can apply: call {phone}."), N_("Ask {provider} who can apply.")),
    "documents": (N_("Ask {provider} what to bring: call {phone}."), N_("Ask {provider} what to bring.")),
    "steps": (N_("Ask {provider} what to do: call {phone}."), N_("Ask {provider} what to do.")),
    "cost": (N_("Ask {provider} whether there is a fee: call {phone}."), N_("Ask {provider} whether there is a fee.")),
    "processing_time": (N_("Ask {provider} how long it takes: call {phone}."), N_("Ask {provider} how long it takes.")),
    "channels": (N_("Ask {provider} how to use this service: call {phone}."), N_("Ask {provider} how to use this service.")),
    "hours": (N_("Ask {provider} when it is open: call {phone}."), N_("Ask {provider} when it is open.")),
}
CHANNEL_NAMES = {
    "online": N_("Online"), "phone": N_("By phone"), "office": N_("In person"), "post": N_("By post"),
    "email": N_("By e-mail"), "sms": N_("By text message (SMS)"), "village-agent": N_("Through your village agent"),
    "kiosk": N_("At a self-service kiosk"), "mobile-app": N_("In a mobile app"), "tv": N_("On TV"),
    "radio": N_("On the radio"), "fax": N_("By fax"), "home-visit": N_("A visit to your home"),
}
STAGE_NAMES = {  # the UN e-government stages of a service's online offer
    1: N_("Information only"), 2: N_("Forms to download"), 3: N_("Apply online"),
    4: N_("Complete online, including payment"), 5: N_("Complete online, joined up across offices"),
}


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

    @property
    def default(self) -> str:
        return self.catalogue.directory.languages[0]

    # the interface's own words (generator/locale) -----------------------------------------------
    @cached_property
    def interface(self) -> i18n.Interface:
        return i18n.interface(self.lang, self.default if self.catalogue else self.lang)

    def gettext(self, message: str) -> Phrase:
        """A message in this language, or from the fallback language, marked as such (generator/i18n.py)."""
        return self.interface.gettext(message)

    _ = gettext

    def ngettext(self, singular: str, plural: str, n: int) -> Phrase:
        """The plural form for n; the caller fills its placeholders (`.format(count=…)`)."""
        return self.interface.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> Phrase:
        return self.interface.pgettext(context, message)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> Phrase:
        return self.interface.npgettext(context, singular, plural, n)

    def jinja(self) -> dict[str, Any]:
        """What a template needs to call _(), gettext(), ngettext(), pgettext() and npgettext() (jinja2.ext.i18n)."""
        return {"gettext": self.gettext, "ngettext": self.ngettext, "pgettext": self.pgettext,
                "npgettext": self.npgettext}

    def language_name(self) -> str:
        """The language's name in itself: its catalog's, else Babel's (français)."""
        # Translators: the name of the language you translate into, in that language (français, 简体中文).
        name = self.pgettext("language name", "English")
        return str(name) if name.lang is None else self.locale.get_display_name(self.locale) or self.lang

    def not_translated(self) -> Phrase:
        """The notice on a page whose texts are shown in the default language."""
        # Translators: {language} is the name of the language you translate into, as you wrote it for "English".
        message = self._("This text is not yet available in {language}.")
        if message.lang is None:
            return message.format(language=self.language_name())
        named_in = babel.Locale.parse(message.lang, sep="-")
        return message.format(language=Phrase(self.locale.get_display_name(named_in) or self.lang, message.lang))

    def help_point(self) -> str:
        """The local place where someone helps people use a service (directory.yml `help_point`), or ""."""
        return self.text(self.catalogue.directory.help_point)

    # texts -----------------------------------------------------------------------------------
    def text(self, value: Text | None) -> str:
        """The text in this language, or in the default language when it is not translated (a Phrase that
        remembers its language, so pages and leaflets mark it with lang; plain text outputs see a str)."""
        if not value:
            return ""
        if value.get(self.lang):
            return value[self.lang]
        return Phrase(value[self.default], self.default)  # marked: HTML shows it in <span lang="…">

    def translated(self, value: Text | TextList | None) -> bool:
        return not value or self.lang in value

    def list(self, items: list[str]) -> str:
        """'a, b and c' / 'a、b和c'; words from a fallback language keep their mark."""
        return i18n.keep_runs(items, lambda texts: format_list(texts, locale=self.locale)) if items else ""

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
        """A duration in words ("20 days", "20天"). A language whose CLDR data has no units of its own (Tibetan
        inherits the root's "1 m", read as minute or metre) says it in the default language, marked."""
        if self.lang != self.default and _units_inherited(self.locale):
            words = Words(self.catalogue, self.default).duration(iso)
            return words if isinstance(words, Phrase) else Phrase(words, self.default)
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
        return format_list(words, locale=self.locale) if words else self._("On the spot")

    def money(self, amount: float, currency: str) -> str:
        """An amount in the language's currency format; a whole amount without decimals (¥20, not ¥20.00)."""
        if amount != int(amount):
            return format_currency(amount, currency, locale=self.locale, format_type="standard")
        pattern = re.sub(r"\.0+", "", babel.Locale.parse(self.locale).currency_formats["standard"].pattern)
        return format_currency(amount, currency, pattern, locale=self.locale, currency_digits=False)

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

    def days(self, days: tuple[str, ...] | list[str], width: str = "wide") -> str:
        """mon, tue, wed, thu, fri -> 'Monday to Friday'; mon, wed -> 'Monday and Wednesday'; all seven -> 'Every
        day'. `width` "abbreviated": 'Mon to Fri', '周一至周五'."""
        ordered = sorted(set(days), key=DAYS.index)
        if len(ordered) == len(DAYS):
            # Translators: opening hours of the whole week, said before the times: "Every day, 06:30–07:00".
            return self._("Every day")
        runs: list[list[str]] = []
        for day in ordered:
            if runs and DAYS.index(day) == DAYS.index(runs[-1][-1]) + 1:
                runs[-1].append(day)
            else:
                runs.append([day])
        # Translators: {first} and {last} are weekday names: "Monday to Friday".
        parts = [self._("{first} to {last}").format(first=self.day_name(run[0], width), last=self.day_name(run[-1], width))
                 if len(run) >= 3 else format_list([self.day_name(d, width) for d in run], locale=self.locale)
                 for run in runs]
        return self.list(parts)

    def hours(self, hours: tuple[Hours, ...]) -> list[str]:
        """Opening hours as lines such as 'Monday to Friday, 08:30–12:00 and 14:00–17:30'."""
        groups = day_groups(hours)
        lines = []
        if groups is None:
            lines.append(self._("Open 24 hours, every day"))
            groups = {}
        for periods, days in groups.items():
            # Translators: a day that is open from 00:00 to 24:00, after the day's name ("Saturday, 24 hours").
            times = format_list([self._("24 hours") if (opens, closes) == OPEN_ALL_DAY else f"{opens}–{closes}"
                                 for opens, closes in periods], locale=self.locale)
            separator = "，" if self.lang.startswith("zh") else ", "
            lines.append(self.days(days) + separator + times)
        notes = [self.text(period.note) for period in hours if period.note]
        return lines + notes

    def time(self, service: Any) -> str:
        """How long until the result ("20 working days"), or whom to ask when the catalogue does not say."""
        if not service.processing_time:
            return self.ask(service, "processing_time")
        if service.processing_days == "working":
            days = int(service.processing_time[1:-1])  # P20D: the schema allows working days only in days
            return self.ngettext("{count} working day", "{count} working days", days).format(count=days)
        return self.duration(service.processing_time)

    def listed(self, service: Any, field: str) -> list[str]:
        """A list field of a service (eligibility, documents, steps), or one item saying whom to ask."""
        return self.items(getattr(service, field)) or [self.ask(service, field)]

    def ask(self, service: Any, field: str) -> str:
        """What an output says where the catalogue has no answer: ask the provider. The number to call is given
        with the first such answer of the service (in the order outputs show them), not in every one: an entry
        with six gaps would otherwise say the same number six times."""
        first = next((f for f in ASK_INSTEAD if f != "hours" and not getattr(service, f)), field)
        return self._ask(field, service.provider, contact_phone(self.catalogue, service) if field == first else None)

    def opening(self, office: Any) -> list[str]:
        """An office's opening hours as lines, or one line saying whom to ask when the catalogue does not say."""
        if office.hours:
            return self.hours(office.hours)
        provider = self.catalogue.by_id["providers"][office.provider]
        return [self._ask("hours", office.provider, office.phone or provider.phone)]  # their own number, or none

    def hours_at(self, channel: Any) -> list[str]:
        """A channel's hours (its own, else its office's), or whom to ask when an office's hours are not known."""
        hours = self.catalogue.hours_of(channel)
        if hours or not channel.office:
            return self.hours(hours)
        return self.opening(self.catalogue.by_id["offices"][channel.office])

    def _ask(self, field: str, provider_id: str, number: str | None) -> str:
        with_phone, without = ASK_INSTEAD[field]
        provider = self.name_of("providers", provider_id)
        if number:
            return self._(with_phone).format(provider=provider, phone=self.phone(number).shown.replace(" ", "\u00a0"))
        return self._(without).format(provider=provider)

    def online_only_notice(self, service: Any) -> str:
        """What a service offered only online tells people who are not online: where to ask, which number."""
        number = contact_phone(self.catalogue, service)
        phone = self.phone(number).shown.replace(" ", "\u00a0") if number else ""
        help_point = self.help_point()
        if help_point and phone:
            # Translators: {help_point} is what the directory calls its local help point (community centre).
            message = self._("This service is only offered online. If you cannot go online, ask at a {help_point} "
                             "or call {phone}.")
        elif help_point:
            message = self._("This service is only offered online. If you cannot go online, ask at a {help_point} "
                             "or call for help.")
        elif phone:
            message = self._("This service is only offered online. If you cannot go online, call {phone}.")
        else:
            message = self._("This service is only offered online. If you cannot go online, call for help.")
        return message.format(help_point=help_point, phone=phone)

    def stage(self, stage: int) -> str:
        return self._(STAGE_NAMES[stage])

    def channel(self, kind: str) -> str:
        return self._(CHANNEL_NAMES[kind])

    def cost(self, service: Any) -> str:
        cost = service.cost
        if cost is None:
            return self.ask(service, "cost")
        return self.price(cost)

    def price(self, cost: Any) -> str:
        """What a service costs, with its note: "Free", "CN¥20 (20 yuan for a first card …)", "¥20（首次…）"."""
        main = self.pgettext("cost", "Free") if cost.free else self.money(cost.amount, cost.currency)
        # Translators: a price and a note about it: "CN¥20 (for a first card)"; Chinese "{price}（{note}）".
        return self._("{price} ({note})").format(price=main, note=self.text(cost.note)) if cost.note else main

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


def day_groups(hours: tuple[Hours, ...]) -> dict[tuple[tuple[str, str], ...], list[str]] | None:
    """The days that share the same opening periods, in week order ({((opens, closes), …): [day, …]}), or
    None when every day is open 00:00–24:00 (said "Open 24 hours, every day")."""
    by_day: dict[str, list[tuple[str, str]]] = {}
    for period in hours:
        for day in period.days:
            by_day.setdefault(day, []).append((period.opens, period.closes))
    groups: dict[tuple[tuple[str, str], ...], list[str]] = {}
    for day in DAYS:
        if day in by_day:
            groups.setdefault(tuple(sorted(by_day[day])), []).append(day)
    return None if list(groups.items()) == [((OPEN_ALL_DAY,), list(DAYS))] else groups


def _units_inherited(locale: babel.Locale) -> bool:
    """True when the locale's duration units are the CLDR root's abbreviations, not words of its own."""
    root = babel.Locale.parse("root")._data["unit_patterns"]["duration-day"]["long"]
    return dict(locale._data["unit_patterns"]["duration-day"]["long"]) == dict(root)


def online_only(channels: tuple[Channel, ...]) -> bool:
    """True when no channel reaches people who are not online."""
    return bool(channels) and not any(channel.type in OFFLINE_CHANNELS for channel in channels)
