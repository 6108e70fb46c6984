"""Open Referral HSDS 3.0: the catalogue out as one dataset of HSDS service records per language, and HSDS JSON in."""
from __future__ import annotations

import copy
import datetime as dt
import json
import math
import re
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import babel.numbers
import isodate
import phonenumbers

from .. import model
from ..checks import minutes, phone_ok, today_in
from .common import (Imported, ImportOptions, InterchangeError, Note, e164, iri, printed_phone, slug, stable_uuid,
                     text_of)

STANDARD = "Open Referral Human Services Data Specification (HSDS) 3.0"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ICAL_DAYS = dict(zip(DAYS, ("MO", "TU", "WE", "TH", "FR", "SA", "SU")))
STATUS_OUT = {"active": "active", "suspended": "temporarily closed", "withdrawn": "defunct"}
STATUS_IN = {"active": "active", "inactive": "withdrawn", "defunct": "withdrawn", "temporarily closed": "suspended"}
OFFICE_ID_SCHEME = "servicedir office id"  # a location's external_identifier_type when the identifier is an office id
PLACEHOLDER_URL = "https://example.org/"
UNKNOWN_PROVIDER = "Unknown provider"  # the name of a provider the source does not give (with a warning)
_URL = re.compile(r"^https?://[^\s/]+\S*$")  # the catalogue's web address (common.schema.json)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_DURATION = re.compile(r"^P(?!$)([0-9]+Y)?([0-9]+M)?([0-9]+W)?([0-9]+D)?(T(?=[0-9])([0-9]+H)?([0-9]+M)?([0-9]+S)?)?$")


@dataclass(frozen=True)
class Taxonomy:
    """One of servicedir's own taxonomies, whose terms carry what HSDS has no field for."""

    key: str  # also each attribute's link_type
    name: str
    description: str
    per_directory: bool  # terms are the directory's own (ids scoped by its base URL), else the same everywhere


AUDIENCES = Taxonomy("audience", "servicedir audiences", "Who a service is for: the directory's audiences "
                     "(audiences.yml). A term's code is the audience's id.", True)
LIFE_EVENTS = Taxonomy("life_event", "servicedir life events", "Life and business events (life-events.yml). A term's "
                       "code is the event's id; an attribute's value is the event's kind, life or business.", True)
FIELDS = Taxonomy("field", "servicedir fields", "Facts of a servicedir entry that HSDS 3.0 has no field for. A term's "
                  "code is the catalogue's field; an attribute's value is the field's value.", False)
CHANNELS = Taxonomy("channel", "servicedir channel types", "Ways to use a service that HSDS 3.0 has no record for, or "
                    "holds in a record of another kind. A term's code is the channel type. On a service, the "
                    "attribute's value is the channel as a JSON object with the catalogue's field names; on a phone or "
                    "a service_at_location, the attribute says which kind of channel that record is.", False)
TAXONOMIES = (AUDIENCES, LIFE_EVENTS, FIELDS, CHANNELS)
FIELD_TERMS = {
    "id": "The entry's id in the servicedir catalogue.",
    "summary": "One sentence on the service, as lists, SMS and radio give it.",
    "processing_time": "How long until the person has the result: an ISO 8601 duration such as P20D.",
    "online_stage": "How far a person can get online: 1 (information only) to 5 (joined up), the UN e-government stages.",
    "deadline": "When the service must be used by.",
    "link": "A form, legal basis or other document: a JSON object {\"title\": ..., \"url\": ...}.",
    "related": "A related service: the value is its HSDS id.",
    "area": "The id of the town or village an office serves.",
    "keyword": "What to write in a text message (SMS) to this number.",
}
CHANNEL_TERMS = {
    "online": "Used online, at a web address.",
    "email": "By e-mail.",
    "sms": "By text message (SMS).",
    "village-agent": "A village agent helps people apply, at a village service point or by phone.",
    "kiosk": "A self-service machine, at an office.",
    "mobile-app": "A mobile app, by its name in the app stores.",
    "tv": "A television programme.",
    "radio": "A radio programme.",
    "home-visit": "Someone visits the person at home; the phone books the visit.",
    "post": "By post, to an address.",
    "fax": "By fax.",
}


# export ---------------------------------------------------------------------------------------------
def export(catalogue: model.Catalogue, out: Path) -> list[Path]:
    """Write out/<language>/services.json and organizations.json for each of the catalogue's languages, and
    out/index.json describing them. The same catalogue gives the same bytes: no clock is read but the year
    that decides a time zone's UTC offset."""
    directory = catalogue.directory
    offset = fixed_offset(directory.timezone, today_in(directory.timezone).year)
    written: list[Path] = []
    datasets: list[dict[str, Any]] = []
    local_numbers: set[str] = set()
    for language in directory.languages:
        exporter = _Exporter(catalogue, language, offset)
        services = [exporter.service(service) for service in catalogue.services]
        organizations = [exporter.organization(provider, with_locations=True) for provider in catalogue.providers]
        written.append(_write_json(out / language / "services.json", services))
        written.append(_write_json(out / language / "organizations.json", organizations))
        datasets.append({"language": language, "services": f"{language}/services.json",
                         "organizations": f"{language}/organizations.json", "service_count": len(services),
                         "organization_count": len(organizations), "location_count": len(catalogue.offices),
                         "untranslated": sorted(exporter.untranslated)})
        local_numbers |= exporter.local_numbers
    index = {
        "standard": STANDARD,
        "generator": "servicedir",
        "directory": {"name": directory.name, "base_url": directory.base_url, "timezone": directory.timezone,
                      "phone_region": directory.phone_region},
        "notes": [
            "One dataset per language: HSDS gives each record one name. A record has the same id in every "
            "language's dataset; a text missing in a language is given in the default language "
            f"({directory.default_language}) and listed under 'untranslated'.",
            f"Opening times are local times in {directory.timezone}"
            + (f", written with their UTC offset ({offset})." if offset else
               "; its UTC offset changes during the year, so times carry none."),
            "Phone numbers are in E.164 form, except the short numbers listed under 'local_numbers', which "
            "can be dialled only inside the country and are written as dialled there.",
            "What HSDS has no field for is in attributes whose taxonomy terms come from the taxonomies below.",
        ],
        "datasets": datasets,
        "local_numbers": sorted(local_numbers),
        "taxonomies": [_taxonomy_detail(taxonomy, directory.base_url) for taxonomy in TAXONOMIES],
    }
    written.append(_write_json(out / "index.json", index))
    return written


def _write_json(path: Path, data: Any) -> Path:
    """A list of records one record a line (compact, and a change shows as the lines of the records changed);
    anything else indented."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, list):
        text = "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in data) + "\n]\n"
    else:
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    path.write_text(text, encoding="utf-8")
    return path


def fixed_offset(timezone: str, year: int) -> str:
    """The zone's UTC offset as HSDS writes it after a time ("+08:00", "Z"), or "" when it changes in `year`
    (summer time) or the zone is unknown."""
    try:
        zone = zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return ""
    offsets = {dt.datetime(year, month, 1, 12, tzinfo=zone).utcoffset() for month in (1, 7)}
    if len(offsets) != 1:
        return ""
    offset = offsets.pop()
    total = int(offset.total_seconds() // 60) if offset is not None else 0
    if total == 0:
        return "Z"
    return f"{'+' if total > 0 else '-'}{abs(total) // 60:02d}:{abs(total) % 60:02d}"


def _taxonomy_detail(taxonomy: Taxonomy, scope: str) -> dict[str, Any]:
    return {"id": stable_uuid("taxonomy", taxonomy.key, scope if taxonomy.per_directory else ""),
            "name": taxonomy.name, "description": taxonomy.description, "version": "1"}


class _Exporter:
    """HSDS records of one catalogue in one language."""

    def __init__(self, catalogue: model.Catalogue, language: str, offset: str):
        self.catalogue = catalogue
        self.language = language
        self.default = catalogue.directory.default_language
        self.scope = catalogue.directory.base_url
        self.region = catalogue.directory.phone_region
        self.offset = offset
        self.untranslated: set[str] = set()
        self.local_numbers: set[str] = set()
        self.terms: dict[tuple[str, str, str | None, str | None], dict[str, Any]] = {}
        self.locations: dict[str, dict[str, Any]] = {}

    def uid(self, kind: str, ident: str) -> str:
        return stable_uuid(kind, ident, self.scope)

    def text(self, value: model.Text, where: str) -> str:
        if self.language in value:
            return value[self.language]
        self.untranslated.add(where)
        return value[self.default]

    def texts(self, value: model.TextList, where: str) -> list[str]:
        if self.language in value:
            return list(value[self.language])
        self.untranslated.add(where)
        return list(value[self.default])

    def number(self, raw: str) -> str:
        """E.164 for a full number; a short number (12345) as dialled inside the country, since it has none."""
        try:
            valid = phonenumbers.is_valid_number(phonenumbers.parse(raw, self.region))
        except phonenumbers.NumberParseException:  # an SMS number is checked for its form only
            valid = False
        if valid:
            return e164(raw, self.region) or raw
        local = re.sub(r"[^0-9+]", "", raw)
        self.local_numbers.add(local)
        return local

    # taxonomy terms and attributes
    def term(self, taxonomy: Taxonomy, code: str, name: str | None = None, description: str | None = None) -> dict[str, Any]:
        """A term of one of servicedir's taxonomies; the taxonomies themselves are described in index.json."""
        key = (taxonomy.key, code, name, description)
        if key in self.terms:
            return self.terms[key]
        scope = self.scope if taxonomy.per_directory else ""
        described = description if description is not None else (FIELD_TERMS.get(code) if taxonomy is FIELDS
                                                                  else CHANNEL_TERMS.get(code, ""))
        term = {"id": stable_uuid(f"term:{taxonomy.key}", code, scope), "code": code, "name": name or code,
                "description": described or "", "taxonomy": taxonomy.name,
                "taxonomy_id": stable_uuid("taxonomy", taxonomy.key, scope)}
        if taxonomy.per_directory:  # the term's name is in the dataset's language (ISO 639: its primary subtag)
            term["language"] = self.language.split("-")[0]
        self.terms[key] = term
        return term

    def attribute(self, link_id: str, entity: str, taxonomy: Taxonomy, code: str, value: str | None = None,
                  n: int = 0, name: str | None = None, description: str | None = None) -> dict[str, Any]:
        term = self.term(taxonomy, code, name, description)
        record = {"id": self.uid("attribute", f"{link_id}|{term['id']}|{n}"), "link_id": link_id,
                  "link_type": taxonomy.key, "link_entity": entity, "taxonomy_term_id": term["id"],
                  "taxonomy_term": term}
        if value is not None:
            record["value"] = value
        return record

    # records
    def phone(self, owner: str, owner_field: str, owner_id: str, number: str, kind: str = "voice",
              note: model.Text | None = None, where: str = "", channel_type: str | None = None,
              keyword: str | None = None) -> dict[str, Any]:
        written = self.number(number)
        record: dict[str, Any] = {"id": self.uid("phone", f"{owner}|{written}|{kind}"), owner_field: owner_id,
                                  "number": written, "type": kind}
        if note:
            record["description"] = self.text(note, f"{where}: note")
        attributes = []
        if channel_type:
            attributes.append(self.attribute(record["id"], "phone", CHANNELS, channel_type))
        if keyword:
            attributes.append(self.attribute(record["id"], "phone", FIELDS, "keyword", keyword))
        if attributes:
            record["attributes"] = attributes
        return record

    def schedules(self, hours: tuple[model.Hours, ...], owner_field: str, owner_id: str, where: str,
                  attending: str | None = None) -> list[dict[str, Any]]:
        out = []
        for i, period in enumerate(hours):
            record: dict[str, Any] = {
                "id": self.uid("schedule", f"{owner_id}|{attending or ''}|{i}"), owner_field: owner_id,
                "freq": "WEEKLY", "wkst": "MO",
                "byday": ",".join(ICAL_DAYS[day] for day in DAYS if day in period.days),
                "opens_at": period.opens + self.offset, "closes_at": period.closes + self.offset}
            if attending:
                record["attending_type"] = attending
            if period.note:
                record["notes"] = self.text(period.note, f"{where}: hours note")
            out.append(record)
        return out

    def location(self, office: model.Office) -> dict[str, Any]:
        if office.id not in self.locations:
            self.locations[office.id] = self._location(office)
        return self.locations[office.id]

    def _location(self, office: model.Office) -> dict[str, Any]:
        where = f"office {office.id}"
        lid = self.uid("office", office.id)
        record: dict[str, Any] = {"id": lid, "location_type": "physical",
                                  "organization_id": self.uid("provider", office.provider),
                                  "name": self.text(office.name, f"{where}: name"),
                                  "external_identifier": office.id, "external_identifier_type": OFFICE_ID_SCHEME}
        if office.geo:
            record["latitude"], record["longitude"] = office.geo
        country = self.region
        if office.phone:  # a full number tells the country the office is in
            found = phonenumbers.region_code_for_number(phonenumbers.parse(office.phone, self.region))
            country = found if found and found != "001" else self.region
        record["addresses"] = [self.address(lid, self.text(office.address, f"{where}: address"), "physical", country)]
        if office.accessibility:
            record["accessibility"] = [{"id": self.uid("accessibility", office.id), "location_id": lid,
                                        "description": self.text(office.accessibility, f"{where}: accessibility")}]
        if office.phone:
            record["phones"] = [self.phone(f"office|{office.id}", "location_id", lid, office.phone)]
        if office.hours:
            record["schedules"] = self.schedules(office.hours, "location_id", lid, where)
        if office.area:
            record["attributes"] = [self.attribute(lid, "location", FIELDS, "area", office.area)]
        return record

    def address(self, location_id: str, line: str, kind: str, country: str) -> dict[str, Any]:
        """The catalogue writes an address as people do, one text: it all goes in address_1. HSDS requires city,
        state_province and postal_code too; they are empty rather than guessed from the line."""
        return {"id": self.uid("address", location_id), "location_id": location_id, "address_1": line, "city": "",
                "state_province": "", "postal_code": "", "country": country, "address_type": kind}

    def organization(self, provider: model.Provider, with_locations: bool) -> dict[str, Any]:
        oid = self.uid("provider", provider.id)
        record: dict[str, Any] = {"id": oid, "name": self.text(provider.name, f"provider {provider.id}: name"),
                                  "description": ""}  # required by HSDS; the catalogue has none
        if provider.email:
            record["email"] = provider.email
        if provider.url:
            record["website"] = iri(provider.url)
        if provider.phone:
            record["phones"] = [self.phone(f"provider|{provider.id}", "organization_id", oid, provider.phone)]
        if with_locations:
            offices = [office for office in self.catalogue.offices if office.provider == provider.id]
            if offices:
                record["locations"] = [self.location(office) for office in offices]
        record["attributes"] = [self.attribute(oid, "organization", FIELDS, "id", provider.id)]
        return record

    def channel_json(self, channel: model.Channel, where: str) -> str:
        """A channel HSDS has no record for, with the catalogue's field names, texts in this language."""
        data: dict[str, Any] = {"type": channel.type}
        for name in ("note", "address", "name"):
            value = getattr(channel, name)
            if value:
                data[name] = self.text(value, f"{where}: {name}")
        for name in ("url", "office", "email", "number", "keyword"):
            if getattr(channel, name):
                data[name] = getattr(channel, name)
        for name in ("phone", "fax"):
            if getattr(channel, name):
                data[name] = self.number(getattr(channel, name))
        if channel.hours:
            data["hours"] = [{"days": [d for d in DAYS if d in h.days], "opens": h.opens, "closes": h.closes,
                              **({"note": self.text(h.note, f"{where}: hours note")} if h.note else {})}
                             for h in channel.hours]
        return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    def service(self, service: model.Service) -> dict[str, Any]:
        where = f"service {service.id}"
        sid = self.uid("service", service.id)
        provider = self.catalogue.by_id["providers"][service.provider]
        record: dict[str, Any] = {"id": sid, "organization_id": self.uid("provider", service.provider),
                                  "name": self.text(service.name, f"{where}: name")}
        # HSDS has no summary: the description is the fullest text, the summary goes in an attribute too
        record["description"] = self.text(service.description, f"{where}: description") if service.description \
            else self.text(service.summary, f"{where}: summary")
        online = [c for c in service.channels if c.type == "online"]
        emails = [c for c in service.channels if c.type == "email"]
        if online:
            record["url"] = iri(online[0].url)
        if emails:
            record["email"] = emails[0].email
        record["status"] = STATUS_OUT[service.status]
        if service.steps:
            record["application_process"] = "\n".join(
                f"{i}. {step}" for i, step in enumerate(self.texts(service.steps, f"{where}: steps"), 1))
        if service.cost and service.cost.note:
            record["fees_description"] = self.text(service.cost.note, f"{where}: cost note")
        if service.eligibility:
            record["eligibility_description"] = "\n".join(self.texts(service.eligibility, f"{where}: eligibility"))
        record["assured_date"] = service.last_reviewed.isoformat()

        phones: list[dict[str, Any]] = []
        schedules: list[dict[str, Any]] = []
        places: list[dict[str, Any]] = []
        contacts: list[dict[str, Any]] = []
        attributes = [self.attribute(sid, "service", FIELDS, "id", service.id),
                      self.attribute(sid, "service", FIELDS, "summary", self.text(service.summary, f"{where}: summary"))]
        for i, channel in enumerate(service.channels):
            at = f"{where}: channel {i + 1} ({channel.type})"
            kind = channel.type
            if kind == "email":
                if channel is not emails[0]:
                    contacts.append({"id": self.uid("contact", f"{service.id}|{i}"), "service_id": sid,
                                     "email": channel.email})
            elif kind in ("phone", "fax", "sms") or (kind == "home-visit" and channel.phone) or \
                    (kind == "village-agent" and channel.phone and not channel.office):
                number = channel.fax or channel.number or channel.phone
                assert number is not None
                phone = self.phone(f"service|{service.id}|{i}", "service_id", sid, number,
                                   {"fax": "fax", "sms": "text"}.get(kind, "voice"), channel.note, at,
                                   kind if kind in ("home-visit", "village-agent") else None, channel.keyword)
                phones.append(phone)
                if channel.hours:
                    schedules += self.schedules(channel.hours, "service_id", sid, at,
                                                attending=f"{kind} {phone['number']}")
            elif kind == "online" or (kind in ("office", "village-agent", "kiosk") and channel.office) or kind == "post":
                places.append(self.service_at_location(service, sid, i, channel, at))
            else:  # no HSDS record holds it: an attribute with the channel itself
                attributes.append(self.attribute(sid, "service", CHANNELS, kind, self.channel_json(channel, at), n=i))
        if phones:
            record["phones"] = phones
        if schedules:
            record["schedules"] = schedules
        if places:
            record["service_at_locations"] = places
        record["organization"] = self.organization(provider, with_locations=False)
        if service.cost:
            option: dict[str, Any] = {"id": self.uid("cost", service.id), "service_id": sid}
            if service.cost.free:
                option["amount"] = 0  # HSDS has no "free": a cost of 0, in no currency
            else:
                option["currency"] = service.cost.currency
                option["amount"] = service.cost.amount
            if service.cost.note:
                option["amount_description"] = self.text(service.cost.note, f"{where}: cost note")
            record["cost_options"] = [option]
        if service.documents:
            record["required_documents"] = [
                {"id": self.uid("document", f"{service.id}|{i}"), "service_id": sid, "document": document}
                for i, document in enumerate(self.texts(service.documents, f"{where}: documents"))]
        if contacts:
            record["contacts"] = contacts
        for audience_id in service.audiences:
            audience = self.catalogue.by_id["audiences"][audience_id]
            attributes.append(self.attribute(
                sid, "service", AUDIENCES, audience.id, name=self.text(audience.name, f"audience {audience.id}: name"),
                description=self.text(audience.description, f"audience {audience.id}: description")
                if audience.description else ""))
        for event_id in service.life_events:
            event = self.catalogue.by_id["life_events"][event_id]
            attributes.append(self.attribute(
                sid, "service", LIFE_EVENTS, event.id, event.kind,
                name=self.text(event.name, f"life event {event.id}: name"),
                description=self.text(event.description, f"life event {event.id}: description")
                if event.description else ""))
        if service.processing_time:
            attributes.append(self.attribute(sid, "service", FIELDS, "processing_time", service.processing_time))
        if service.online_stage is not None:
            attributes.append(self.attribute(sid, "service", FIELDS, "online_stage", str(service.online_stage)))
        if service.deadline:
            attributes.append(self.attribute(sid, "service", FIELDS, "deadline",
                                             self.text(service.deadline, f"{where}: deadline")))
        for i, link in enumerate(service.links):
            value = json.dumps({"title": self.text(link.title, f"{where}: link {i + 1}"), "url": iri(link.url)},
                               ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            attributes.append(self.attribute(sid, "service", FIELDS, "link", value, n=i))
        for i, related in enumerate(service.related):
            attributes.append(self.attribute(sid, "service", FIELDS, "related", self.uid("service", related), n=i))
        record["attributes"] = attributes
        return record

    def service_at_location(self, service: model.Service, sid: str, i: int, channel: model.Channel,
                            where: str) -> dict[str, Any]:
        """An office channel (also a village agent's or kiosk's), a post address or an online address, with its
        own note and hours."""
        place_id = self.uid("service_at_location", f"{service.id}|{i}")
        record: dict[str, Any] = {"id": place_id, "service_id": sid}
        if channel.type == "post":
            assert channel.address is not None
            lid = self.uid("postal", f"{service.id}|{i}")
            location: dict[str, Any] = {"id": lid, "location_type": "postal", "addresses": [
                self.address(lid, self.text(channel.address, f"{where}: address"), "postal", self.region)]}
        elif channel.type == "online":
            lid = self.uid("virtual", f"{service.id}|{i}")
            location = {"id": lid, "location_type": "virtual", "url": iri(channel.url)}
        else:
            assert channel.office is not None
            location = self.location(self.catalogue.by_id["offices"][channel.office])
            lid = location["id"]
        record["location_id"] = lid
        if channel.note:
            record["description"] = self.text(channel.note, f"{where}: note")
        if channel.phone:  # a village agent's phone, at the village service point
            record["phones"] = [self.phone(f"place|{service.id}|{i}", "service_at_location_id", place_id, channel.phone)]
        if channel.hours:
            record["schedules"] = self.schedules(channel.hours, "service_at_location_id", place_id, where)
        record["location"] = location
        if channel.type in ("village-agent", "kiosk"):
            record["attributes"] = [self.attribute(place_id, "service_at_location", CHANNELS, channel.type)]
        return record


# free-text opening hours ----------------------------------------------------------------------------
_TOKEN = re.compile(r"""\s*(?:
    (?P<group>weekdays|weekends|daily|every\s+day|7\s+days(?:\s+a\s+week)?)(?![a-z])
   |(?P<day>(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?
      |sun(?:day)?|mo|tu|we|th|fr|sa|su)\.?)(?![a-z])
   |(?P<time>(?:\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]\.?m\.?)?)(?![\d])|noon|midnight)
   |(?P<closed>closed)(?![a-z])
   |(?P<dash>-|–|—|to(?![a-z])|through(?![a-z])|thru(?![a-z])|until(?![a-z])|till(?![a-z]))
   |(?P<sep>[,;/&\n]|and(?![a-z])|\.(?!\d))
   |(?P<colon>:)
   |(?P<skip>open(?![a-z])|from(?![a-z])|hours(?![a-z])|opening(?![a-z]))
)""", re.I | re.X)
_GROUPS = {"weekdays": DAYS[:5], "weekends": DAYS[5:], "daily": DAYS, "every day": DAYS, "7 days": DAYS,
           "7 days a week": DAYS}
_ROUND_THE_CLOCK = re.compile(r"(?:open\s+)?(?:24/7|24\s*hours?(?:\s+a\s+day)?(?:,?\s*7\s+days(?:\s+a\s+week)?)?)\.?",
                              re.I)


def _tokens(text: str) -> list[tuple[str, str]] | None:
    out, position, text = [], 0, text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            return None
        kind = match.lastgroup
        assert kind is not None
        if kind != "skip":
            out.append((kind, " ".join(match.group(kind).lower().split())))
        position = match.end()
    return out


def _day(word: str) -> str:
    return next(day for day in DAYS if word.startswith(day[:2]))


def _minutes(word: str, closing: bool, suffix: str | None = None) -> int | None:
    """Minutes after midnight of "9", "9:30", "9.30am", "noon"; None if it is no time of day."""
    if word in ("noon", "midnight"):
        return 720 if word == "noon" else (1440 if closing else 0)
    match = re.fullmatch(r"(\d{1,2})(?:[:.](\d{2}))?\s*(?:([ap])\.?m\.?)?", word)
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3) or suffix
    if minute > 59:
        return None
    if half:
        if hour > 12 or hour == 0:
            return None
        hour = hour % 12 + (12 if half == "p" else 0)
        if closing and hour == 0 and minute == 0:
            return 1440  # "to 12am": midnight, at the end of the day
    elif hour > 24 or (hour == 24 and minute):
        return None
    return hour * 60 + minute


def _range(first: str, second: str) -> tuple[str, str] | None:
    closes = _minutes(second, closing=True)
    half = re.search(r"([ap])\.?m\.?$", second)
    opens = None
    if half and not re.search(r"[ap]\.?m\.?$|noon|midnight", first):  # "9-5pm": try 9pm, else 9 (am)
        opens = _minutes(first, closing=False, suffix=half.group(1))
        if opens is None or closes is None or opens >= closes:
            opens = None
    if opens is None:
        opens = _minutes(first, closing=False)
    if opens is None or closes is None or opens >= closes:
        return None
    return f"{opens // 60:02d}:{opens % 60:02d}", f"{closes // 60:02d}:{closes % 60:02d}"


def parse_hours(text: str) -> list[dict[str, Any]] | None:
    """Opening hours written as people write them in English, or None when any part is not understood (nothing
    is guessed): "Mon 9:00-16:00", "Mon-Fri 9am-5pm", "Mo-Fr 08:30-12:00, 14:00-17:30; Sa 9-12",
    "Tue & Thu 10am to 2pm", "weekdays 9-17, Sat closed", "24/7". "9-5" without am/pm is not understood."""
    if _ROUND_THE_CLOCK.fullmatch(text.strip()):
        return [{"days": list(DAYS), "opens": "00:00", "closes": "24:00"}]
    tokens = _tokens(text)
    if not tokens:
        return None
    periods: list[dict[str, Any]] = []
    i, n = 0, len(tokens)

    def kind(at: int) -> str:
        return tokens[at][0] if at < n else ""

    while i < n:
        while kind(i) == "sep":
            i += 1
        if i == n:
            break
        days: list[str] = []
        while True:  # the days: "Mon", "Mon-Fri", "Sat-Mon", "weekdays", joined by , & and
            if kind(i) == "group":
                days += _GROUPS[tokens[i][1]]
                i += 1
            elif kind(i) == "day":
                first = DAYS.index(_day(tokens[i][1]))
                i += 1
                if kind(i) == "dash" and kind(i + 1) == "day":
                    last = DAYS.index(_day(tokens[i + 1][1]))
                    span = (last - first) % 7
                    days += [DAYS[(first + k) % 7] for k in range(span + 1)]
                    i += 2
                else:
                    days.append(DAYS[first])
            else:
                return None
            if kind(i) == "sep" and kind(i + 1) in ("day", "group"):
                i += 1
                continue
            break
        if kind(i) == "colon":
            i += 1
        if kind(i) == "closed":
            i += 1
            continue
        ranges = 0
        while kind(i) == "time" and kind(i + 1) == "dash" and kind(i + 2) == "time":
            found = _range(tokens[i][1], tokens[i + 2][1])
            if found is None:
                return None
            periods.append({"days": [day for day in DAYS if day in days], "opens": found[0], "closes": found[1]})
            ranges += 1
            i += 3
            if kind(i) == "sep" and kind(i + 1) == "time":
                i += 1
        if not ranges:
            return None
    return periods or None


# import ---------------------------------------------------------------------------------------------
def read(source: Path, options: ImportOptions) -> Imported:
    """HSDS 3.0 JSON as a catalogue: a service record, a list of them, an API page ({"contents": [...]}),
    organization records with their services and locations, or service_at_location records. Every entry gets
    a note of what was mapped, what was dropped and why, and what an editor should check."""
    return _Reader(source, options).read(_records(source))


def _records(source: Path) -> list[tuple[str, dict[str, Any]]]:
    if not source.exists():
        raise InterchangeError(f"{source}: no such file")
    if source.is_dir():
        raise InterchangeError(f"{source}: is a folder, not an HSDS JSON file (from a servicedir export, give "
                               f"<language>/services.json)")
    try:
        text = source.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InterchangeError(f"{source}: not UTF-8 text (byte {error.start + 1} is not UTF-8); HSDS JSON is UTF-8") from None
    except OSError as error:
        raise InterchangeError(f"{source}: cannot be read ({error.strerror})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InterchangeError(f"{source}:{error.lineno}:{error.colno}: not valid JSON: {error.msg}") from None
    except RecursionError:
        raise InterchangeError(f"{source}: JSON nested too deeply to be HSDS") from None
    if isinstance(data, dict) and "contents" in data:
        items, base = data["contents"], "$.contents"
        if not isinstance(items, list):
            raise InterchangeError(f"{source}: {base}: an API page's contents must be a list of records, "
                                   f"not {_described(items)}")
    elif isinstance(data, list):
        items, base = data, "$"
    elif isinstance(data, dict):
        return [("$", data)]
    else:
        raise InterchangeError(f"{source}: $: expected an HSDS record (a JSON object), a list of records or an API "
                               f"page with 'contents', not {_described(data)}")
    if not items:
        raise InterchangeError(f"{source}: {base}: no records (the list is empty)")
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise InterchangeError(f"{source}: {base}[{i}]: expected an HSDS record (a JSON object), not {_described(item)}")
    return [(f"{base}[{i}]", item) for i, item in enumerate(items)]


def _described(value: Any) -> str:
    names = {bool: "true or false", int: "a number", float: "a number", str: "a string", list: "a list",
             dict: "an object", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _plain(value: Any) -> str | None:
    """A text as the catalogue holds it: lines without runs of spaces, at most one blank line between
    paragraphs, no control characters; None when empty or not a text."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        value = str(value)
    if not isinstance(value, str):
        return None
    value = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", value.replace("\r\n", "\n").replace("\r", "\n"))
    text = "\n".join(" ".join(line.split()) for line in value.split("\n")).strip()
    return re.sub(r"\n{3,}", "\n\n", text) or None


def _line(value: Any) -> str | None:
    text = _plain(value)
    return " ".join(text.split()) if text else None


def _short(value: Any, limit: int = 60) -> str:
    text = " ".join(str(value).split()) if not isinstance(value, (dict, list)) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _drop_known(record: dict[str, Any], fields: dict[str, str], note: Note) -> None:
    """Report each HSDS field of `fields` the record fills, with why the catalogue has no place for it."""
    for name, why in fields.items():
        if _present(record.get(name)):
            note.dropped.append((f"{name}: {_short(record[name])}", why))


def _present(value: Any) -> bool:
    return value not in (None, "", [], {})


_ABBREVIATIONS = {"e.g", "i.e", "etc", "dr", "mr", "mrs", "ms", "st", "no", "vs", "approx", "incl"}


def first_sentence(text: str) -> str:
    """The first sentence of a text's first paragraph (not cut after "e.g." or an initial)."""
    flat = " ".join(text.split("\n\n")[0].split())
    for match in re.finditer(r"[.!?](?=\s|$)|[。！？]", flat):
        word = flat[:match.start()].split(" ")[-1].lower()
        if flat[match.start()] == "." and (word in _ABBREVIATIONS or len(word) <= 1):
            continue
        return flat[:match.end()].strip()
    return flat


def _date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _clock(value: Any) -> tuple[str, str] | None:
    """("HH:MM", UTC offset or "") of an HSDS time such as "09:00", "09:00:00", "09:00-05:00", "09:00Z"."""
    match = re.fullmatch(r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?", str(value).strip())
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if minute > 59 or hour > 24 or (hour == 24 and minute):
        return None
    return f"{hour:02d}:{minute:02d}", match.group(4) or ""


def _number_text(value: Any) -> str:
    if isinstance(value, bool):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value or "").strip().strip("\"'").strip()


def _postcode(value: Any) -> str | None:
    """A postcode, without the ".0" a spreadsheet adds to numbers (50100.0 -> 50100)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = _line(value)
    if text and re.fullmatch(r"\d+\.0+", text):
        return text.split(".")[0]
    return text


def _taxonomy_of(term: dict[str, Any]) -> str:
    detail = term.get("taxonomy_detail")
    name = detail.get("name") if isinstance(detail, dict) else None
    return str(name or term.get("taxonomy") or "")


def _kind(record: dict[str, Any]) -> str:
    if isinstance(record.get("service"), dict):
        return "service_at_location"
    if any(k in record for k in ("services", "locations", "website", "legal_status", "tax_status", "tax_id", "year_incorporated",
                                 "organization_identifiers", "funding_source", "parent_organization_id")) \
            and "status" not in record:
        return "organization"
    if any(k in record for k in ("location_type", "addresses", "latitude", "longitude", "transportation")) \
            and "status" not in record:
        return "location"
    if "name" in record or "status" in record:
        return "service"
    return "unknown"


AUDIENCE_LINK_TYPES = {"audience", "intended_audience", "target_audience", "target_group"}
_SERVICE_DROPPED = {
    "alternate_name": "the catalogue has no second name",
    "interpretation_services": "the catalogue has no field for it; say it in the description",
    "accreditations": "the catalogue has no field for it",
    "licenses": "the catalogue has no field for it",
    "wait_time": "a waiting time is not the catalogue's processing_time (how long until the result)",
    "minimum_age": "the catalogue has no age field; say it in eligibility",
    "maximum_age": "the catalogue has no age field; say it in eligibility",
    "alert": "the catalogue has no alerts; put a current one in the description if it still holds",
    "funding": "the catalogue does not say who funds a service",
    "program": "the catalogue has no programmes",
    "service_areas": "the catalogue has no service areas; say where the service is offered in eligibility",
    "languages": "the catalogue does not list the languages a service is given in",
    "assurer_email": "the catalogue does not record who checked an entry",
    "metadata": "the change history is not kept",
}
_WARN_DROPPED = {"minimum_age", "maximum_age", "alert", "service_areas"}  # facts an editor should carry over by hand
_ORGANIZATION_DROPPED = {
    "description": "providers have no description in the catalogue",
    "alternate_name": "the catalogue has no second name", "legal_status": "not kept", "tax_status": "not kept",
    "tax_id": "not kept", "year_incorporated": "not kept", "logo": "not kept", "uri": "not kept",
    "funding": "not kept", "programs": "the catalogue has no programmes",
    "organization_identifiers": "not kept", "contacts": "the catalogue names no people; the provider's phone, "
                                                         "e-mail and website are kept",
    "parent_organization_id": "providers have no parent in the catalogue", "metadata": "the change history is not kept",
}
_LOCATION_DROPPED = {
    "alternate_name": "the catalogue has no second name",
    "description": "offices have no description in the catalogue",
    "transportation": "the catalogue has no field for it; add it to accessibility if it helps people get there",
    "languages": "the catalogue does not list an office's languages",
    "contacts": "the catalogue names no people",
    "metadata": "the change history is not kept",
}


@dataclass
class _Channel:
    """A channel being imported, with where it came from (to find it for a schedule)."""

    data: dict[str, Any]
    number: str | None = None  # E.164, for matching "phone +44…" in a schedule's attending_type
    unparsed: list[str] = field(default_factory=list)


class _Reader:
    def __init__(self, source: Path, options: ImportOptions):
        self.source = source
        self.options = options
        self.lang = options.language or "en"
        self.timezone = options.timezone or "UTC"
        self.today = today_in(self.timezone)
        self.imported = Imported(source=str(source))
        self.region: str | None = options.phone_region
        self.taken: dict[str, set[str]] = {k: set() for k in ("providers", "offices", "audiences", "life_events",
                                                                "services")}
        self.providers: dict[str, str] = {}  # HSDS organization key -> provider id
        self.offices: dict[str, str | None] = {}  # HSDS location key -> office id (None: could not be an office)
        self.office_hours_text: dict[str, list[str]] = {}  # office id -> opening hours not understood
        self.office_hours: dict[str, list[dict[str, Any]]] = {}  # office id -> its hours
        self.terms: dict[tuple[str, str], str] = {}  # (kind, term key) -> audience or life event id
        self.services_by_hsds: dict[str, str] = {}
        self.related: list[tuple[dict[str, Any], Note, list[str]]] = []
        self.offsets: set[str] = set()
        self.unknown_provider: str | None = None
        self.region_guess = ""
        self.locations: dict[str, tuple[str, dict[str, Any], str | None]] = {}

    def _text(self, value: Any) -> str | None:
        """A text in the import's language: HSDS texts are plain strings; a {language: text} map is read too."""
        if isinstance(value, dict):
            value = (text_of(value, self.lang) or {}).get(self.lang)
        return _plain(value)

    def _name(self, value: Any) -> str | None:
        text = self._text(value)
        return " ".join(text.split()) if text else None

    # the whole source
    def read(self, records: list[tuple[str, dict[str, Any]]]) -> Imported:
        organizations: dict[str, tuple[str, dict[str, Any]]] = {}
        services: dict[str, tuple[str, dict[str, Any], str | None]] = {}
        locations: dict[str, tuple[str, dict[str, Any], str | None]] = {}
        unknown: list[str] = []

        def add_service(path: str, record: dict[str, Any], organization: str | None) -> None:
            key = str(record.get("id") or path)
            if key in services:  # the same service again (from another service_at_location): add its places
                known = services[key][1]
                seen = {p.get("id") for p in known.get("service_at_locations") or [] if isinstance(p, dict)}
                extra = [p for p in record.get("service_at_locations") or [] if isinstance(p, dict)
                         and (not p.get("id") or p.get("id") not in seen)]
                if extra:
                    known["service_at_locations"] = list(known.get("service_at_locations") or []) + extra
                return
            services[key] = (path, dict(record), organization)
            if isinstance(record.get("organization"), dict):
                add_organization(f"{path}.organization", record["organization"])

        def add_organization(path: str, record: dict[str, Any]) -> str:
            key = str(record.get("id") or path)
            organizations.setdefault(key, (path, record))
            for i, location in enumerate(record.get("locations") or []):
                if isinstance(location, dict):
                    locations.setdefault(str(location.get("id") or f"{path}.locations[{i}]"),
                                         (f"{path}.locations[{i}]", location, key))
            for i, service in enumerate(record.get("services") or []):
                if isinstance(service, dict):
                    add_service(f"{path}.services[{i}]", service, key)
            return key

        for path, record in records:
            kind = _kind(record)
            if kind == "service_at_location":
                place = {k: v for k, v in record.items() if k != "service"}
                service = dict(record["service"])
                service["service_at_locations"] = [place] + [p for p in service.get("service_at_locations") or []
                                                             if isinstance(p, dict) and p.get("id") != place.get("id")]
                add_service(f"{path}.service", service, None)
            elif kind == "organization":
                add_organization(path, record)
            elif kind == "location":
                locations.setdefault(str(record.get("id") or path), (path, record, None))
            elif kind == "service":
                add_service(path, record, None)
            else:
                unknown.append(path)
        if not services and not any(org for _, _, org in locations.values()) and not organizations:
            raise InterchangeError(f"{self.source}: no HSDS service or organization record found"
                                   + (" (a location alone cannot become an office: an office needs the organization "
                                      "that runs it)" if locations else ""))
        self.locations = locations
        self.region = self.region or self._guess_region([r for _, r in records])
        for key, (path, record) in organizations.items():
            self._provider(key, path, record)
        for key, (path, record, organization) in locations.items():
            if organization is not None and record.get("location_type") in (None, "", "physical"):
                self._office(key, path, record, self.providers[organization])
        for path, record, organization in services.values():
            self._service(path, record, organization, organizations)
        for key, (path, record, organization) in locations.items():
            if key not in self.offices and record.get("location_type") in (None, "", "physical"):
                owner = record.get("organization_id")
                if owner in self.providers:
                    self._office(key, path, record, self.providers[str(owner)])
                else:
                    self.imported.report.append(Note(f"location {_line(record.get('name')) or key}", self._src(record, path),
                                                     dropped=[("the whole location", "no service uses it and its "
                                                               "organization is not in the source: an office needs "
                                                               "the provider that runs it")]))
        self._resolve_related()
        for path in unknown:
            self.imported.report.append(Note(f"record {path}", path, dropped=[
                ("the whole record", "not an HSDS service, organization, location or service_at_location")]))
        self._directory([r for _, r in organizations.values()])
        return self.imported

    def _src(self, record: dict[str, Any], path: str) -> str:
        return f"{record['id']} ({path})" if record.get("id") else f"{self.source.name} {path}"

    def _guess_region(self, records: list[dict[str, Any]]) -> str:
        for number in _walk(records, "number"):
            raw = _number_text(number)
            if raw.startswith("+"):
                try:
                    region = phonenumbers.region_code_for_number(phonenumbers.parse(raw, None))
                except phonenumbers.NumberParseException:
                    continue
                if region and region != "001":
                    self.region_guess = f"from the phone number {raw}"
                    return region
        for country in _walk(records, "country"):
            code = str(country).strip().upper()
            if code in phonenumbers.SUPPORTED_REGIONS:
                self.region_guess = f"from an address's country ({code})"
                return code
        raise InterchangeError(f"{self.source}: cannot tell which country the phone numbers belong to (none is "
                               f"written with +country code, no address gives a country): give the phone region, "
                               f"e.g. --phone-region US")

    def _ident(self, record: dict[str, Any], kind: str, name: str | None, fallback: str) -> str:
        """servicedir's own id when the source has it (an export of ours), else one made from the name."""
        for attribute in record.get("attributes") or []:
            if not isinstance(attribute, dict) or not isinstance(attribute.get("taxonomy_term"), dict):
                continue
            term = attribute["taxonomy_term"]
            value = attribute.get("value")
            if _taxonomy_of(term) == FIELDS.name and term.get("code") == "id" and isinstance(value, str) \
                    and _ID.match(value) and len(value) <= 64 and value not in self.taken[kind]:
                self.taken[kind].add(value)
                return value
        return slug(name or fallback, self.taken[kind], fallback=fallback)

    # phones
    def _printed(self, raw: str) -> str | None:
        """The number as the catalogue writes it, or None when validate would refuse it."""
        if not raw or not self.region or not phone_ok(raw, self.region):
            return None
        printed = printed_phone(raw, self.region) or raw
        return printed if phone_ok(printed, self.region) else raw

    def _phone_channel(self, phone: dict[str, Any], note: Note, where: str) -> _Channel | None:
        raw = _number_text(phone.get("number"))
        printed = self._printed(raw)
        if printed is None:
            note.dropped.append((f"{where}: number '{raw}'", f"not a valid phone number for {self.region}"))
            note.warnings.append(f"the phone number '{raw}' ({where}) is not valid for {self.region} and was left "
                                 f"out: correct it and add it as a channel")
            return None
        if _present(phone.get("extension")):
            note.dropped.append((f"{where}: extension {phone['extension']}", "the catalogue has no extension field"))
            note.warnings.append(f"{printed} has extension {phone['extension']}, which was left out: say it in the "
                                 f"channel's note")
        if _present(phone.get("languages")):
            note.dropped.append((f"{where}: languages", "the catalogue does not list a phone's languages"))
        kind = str(phone.get("type") or "voice").strip().lower()
        channel_type = None
        keyword = None
        for attribute in phone.get("attributes") or []:
            term = attribute.get("taxonomy_term") if isinstance(attribute, dict) else None
            if isinstance(term, dict) and _taxonomy_of(term) == CHANNELS.name and term.get("code") in ("home-visit",
                                                                                                       "village-agent"):
                channel_type = str(term["code"])
            elif isinstance(term, dict) and _taxonomy_of(term) == FIELDS.name and term.get("code") == "keyword":
                keyword = _line(attribute.get("value"))
        if kind == "fax":
            data: dict[str, Any] = {"type": "fax", "fax": printed}
        elif kind in ("text", "sms"):
            data = {"type": "sms", "number": re.sub(r"[^0-9+ -]", "", printed).strip()}
            if keyword:
                data["keyword"] = keyword
        else:
            data = {"type": channel_type or "phone", "phone": printed}
            if kind not in ("voice", "cell", "mobile", "main", "work"):
                note.warnings.append(f"{printed} is a '{kind}' line in the source and was imported as a phone channel: "
                                     f"say what it is in the channel's note")
        description = _plain(phone.get("description"))
        if description:
            data["note"] = {self.lang: description}
        return _Channel(data, e164(raw, self.region))

    # organizations and locations
    def _provider(self, key: str, path: str, record: dict[str, Any]) -> str:
        name = self._name(record.get("name"))
        ident = self._ident(record, "providers", name, "provider")
        note = Note(f"provider {ident}", self._src(record, path), mapped=["id", "name"])
        entry: dict[str, Any] = {"id": ident, "name": {self.lang: name or UNKNOWN_PROVIDER}}
        if not name:
            note.warnings.append(f"the organization has no name: it is called '{UNKNOWN_PROVIDER}'; write its name")
        website = _line(record.get("website"))
        if website and _URL.match(website):
            entry["url"] = website
            note.mapped.append("url (website)")
        elif website:
            note.dropped.append((f"website '{_short(website)}'", "not an http(s) web address"))
        numbers = [p for p in record.get("phones") or [] if isinstance(p, dict)]
        for i, phone in enumerate(numbers):
            printed = self._printed(_number_text(phone.get("number")))
            if printed and "phone" not in entry:
                entry["phone"] = printed
                note.mapped.append("phone")
            else:
                note.dropped.append((f"phones[{i}] '{_number_text(phone.get('number'))}'",
                                     "a provider has one phone in the catalogue" if printed
                                     else f"not a valid phone number for {self.region}"))
        email = _line(record.get("email"))
        if email and _EMAIL.match(email):
            entry["email"] = email
            note.mapped.append("email")
        elif email:
            note.dropped.append((f"email '{_short(email)}'", "not an e-mail address"))
        _drop_known(record, _ORGANIZATION_DROPPED, note)
        self._drop_foreign_attributes(record, note, keep=("id",))
        self.imported.providers.append(entry)
        self.imported.report.append(note)
        self.providers[key] = ident
        return ident

    def _address(self, location: dict[str, Any], note: Note) -> str | None:
        addresses = [a for a in location.get("addresses") or [] if isinstance(a, dict)]
        wanted = "postal" if location.get("location_type") == "postal" else "physical"
        chosen = [a for a in addresses if a.get("address_type") in (None, "", wanted)] or addresses
        if not chosen:
            return None
        address = chosen[0]
        for other in addresses:
            if other is not address:
                note.dropped.append((f"address '{_short(other.get('address_1'))}'",
                                     "an office has one address in the catalogue"))
        if _present(address.get("attention")):
            note.dropped.append((f"attention: {_short(address['attention'])}", "the catalogue names no people"))
        postcode = _postcode(address.get("postal_code"))
        raw_postcode = address.get("postal_code")
        if postcode and str(raw_postcode).strip() != postcode:
            note.warnings.append(f"the postcode '{raw_postcode}' was read as '{postcode}' (a spreadsheet number): "
                                 f"check it, a leading zero may be lost")
        country = _line(address.get("country"))
        parts = [_line(address.get("address_1")), _line(address.get("address_2")), _line(address.get("city")),
                 _line(address.get("region")), _line(address.get("state_province")), postcode,
                 country if country and country.upper() != (self.region or "") else None]
        line: list[str] = []
        for part in parts:
            if part and part.lower() not in (p.lower() for p in line):
                line.append(part)
        return ", ".join(line) or None

    def _office(self, key: str, path: str, location: dict[str, Any], provider: str) -> str | None:
        if key in self.offices:
            return self.offices[key]
        name = self._name(location.get("name"))
        note = Note("", self._src(location, path))
        address = self._address(location, note)
        if not address:
            note.entry = f"location {name or key}"
            note.dropped.append(("the whole location", "it has no address, which every office needs"))
            note.warnings.append(f"the location '{name or key}' has no address and was not imported: add the office "
                                 f"by hand if people can go there")
            self.imported.report.append(note)
            self.offices[key] = None
            return None
        external = _line(location.get("external_identifier"))
        if external and location.get("external_identifier_type") == OFFICE_ID_SCHEME and _ID.match(external) \
                and len(external) <= 64 and external not in self.taken["offices"]:
            ident = external
            self.taken["offices"].add(ident)
        else:
            ident = slug(name or address, self.taken["offices"], fallback="office")
            if external:
                note.dropped.append((f"external_identifier {external} ({location.get('external_identifier_type')})",
                                     "the catalogue keeps no outside identifiers"))
        note.entry = f"office {ident}"
        note.mapped += ["id", "provider", "name", "address"]
        entry: dict[str, Any] = {"id": ident, "provider": provider, "name": {self.lang: name or address},
                                 "address": {self.lang: address}}
        if not name:
            note.warnings.append("the location has no name: it is named by its address; give it the name people use")
        area = self._field_values(location).get("area")
        city = None
        for candidate in [a for a in location.get("addresses") or [] if isinstance(a, dict)]:
            city = city or _line(candidate.get("city"))
        if area and _ID.match(area[0]):
            entry["area"] = area[0]
            note.mapped.append("area")
        elif city:
            entry["area"] = slug(city, fallback="area")
            note.mapped.append(f"area (from the city, {city})")
        latitude, longitude = location.get("latitude"), location.get("longitude")
        if _present(latitude) or _present(longitude):
            if isinstance(latitude, (int, float)) and isinstance(longitude, (int, float)) and \
                    not isinstance(latitude, bool) and -90 <= latitude <= 90 and -180 <= longitude <= 180 \
                    and (latitude, longitude) != (0, 0):
                entry["geo"] = {"lat": latitude, "lon": longitude}
                note.mapped.append("geo")
            else:
                note.dropped.append((f"latitude {latitude}, longitude {longitude}",
                                     "not a place on Earth (or 0, 0, which usually means none was given)"))
        for i, phone in enumerate(p for p in location.get("phones") or [] if isinstance(p, dict)):
            printed = self._printed(_number_text(phone.get("number")))
            if printed and "phone" not in entry:
                entry["phone"] = printed
                note.mapped.append("phone")
            else:
                note.dropped.append((f"phones[{i}] '{_number_text(phone.get('number'))}'",
                                     "an office has one phone in the catalogue" if printed
                                     else f"not a valid phone number for {self.region}"))
        hours, unparsed = self._hours(location.get("schedules"), note, "opening hours")
        if hours:
            entry["hours"] = hours
            self.office_hours[ident] = copy.deepcopy(hours)
            if not any(m.startswith("hours") for m in note.mapped):
                note.mapped.append("hours")
        if unparsed:
            self.office_hours_text[ident] = unparsed
            note.warnings.append(f"opening hours not understood: {'; '.join(unparsed)!r}; they are kept as a note on "
                                 f"the services' office channels: write them as hours")
        accessibility = [" ".join(filter(None, (_plain(a.get("description")), _plain(a.get("details")))))
                         for a in location.get("accessibility") or [] if isinstance(a, dict)]
        if any(accessibility):
            entry["accessibility"] = {self.lang: "\n\n".join(a for a in accessibility if a)}
            note.mapped.append("accessibility")
        if location.get("url"):
            note.dropped.append((f"url {_short(location['url'])}", "offices have no web address in the catalogue"))
        _drop_known(location, _LOCATION_DROPPED, note)
        self._drop_foreign_attributes(location, note, keep=("area",))
        self.imported.offices.append(entry)
        self.imported.report.append(note)
        self.offices[key] = ident
        return ident

    # schedules
    def _hours(self, schedules: Any, note: Note, what: str) -> tuple[list[dict[str, Any]], list[str]]:
        """Weekly periods from HSDS schedules, and the texts of those that could not be read as such."""
        periods: list[dict[str, Any]] = []
        unparsed: list[str] = []
        for i, schedule in enumerate(s for s in schedules or [] if isinstance(s, dict)):
            found = self._schedule(schedule, note, f"{what}, schedule {i + 1}")
            if isinstance(found, str):
                if found:
                    unparsed.append(found)
            else:
                periods += found
        return self._without_overlaps(periods, note, what), unparsed

    def _schedule(self, schedule: dict[str, Any], note: Note, what: str) -> list[dict[str, Any]] | str:
        freq = str(schedule.get("freq") or "").upper()
        description = _line(schedule.get("description"))
        remark = _line(schedule.get("notes"))
        opens, closes = _clock(schedule.get("opens_at") or ""), _clock(schedule.get("closes_at") or "")
        byday = str(schedule.get("byday") or "")
        days = [p.strip().upper() for p in byday.split(",") if p.strip()]
        if opens and closes and days and freq in ("", "WEEKLY") and all(d in ICAL_DAYS.values() for d in days) \
                and minutes(opens[0]) < minutes(closes[0]):
            self.offsets.update(o for o in (opens[1], closes[1]) if o)
            period: dict[str, Any] = {"days": [d for d in DAYS if ICAL_DAYS[d] in days], "opens": opens[0],
                                      "closes": closes[0]}
            if remark:
                period["note"] = {self.lang: remark}
            limits = [f"{k} {schedule[k]}" for k in ("valid_from", "valid_to", "dtstart", "until", "count", "bymonthday",
                                                      "byweekno", "byyearday") if _present(schedule.get(k))]
            if schedule.get("interval") not in (None, "", 1, "1"):
                limits.append(f"interval {schedule['interval']}")
            if limits:
                note.dropped.append((f"{what}: {', '.join(limits)}", "the catalogue's hours repeat every week, all year"))
                note.warnings.append(f"{what} is limited in the source ({', '.join(limits)}), the catalogue's hours "
                                     f"are not: check them")
            if description:
                note.dropped.append((f"{what}: description '{_short(description)}'",
                                     "the structured hours (byday, opens_at, closes_at) were used"))
            return [period]
        for text in (description, remark):
            if text:
                parsed = parse_hours(text)
                if parsed:
                    note.mapped.append(f"hours (read from the text '{_short(text)}')")
                    return parsed
        if description or remark:
            return " ".join(filter(None, (description, remark)))
        if opens or closes or byday:
            return " ".join(filter(None, (freq.lower() or None, byday or None, f"{(opens or ('?',))[0]}–"
                                          f"{(closes or ('?',))[0]}")))
        return ""

    def _without_overlaps(self, periods: list[dict[str, Any]], note: Note, what: str) -> list[dict[str, Any]]:
        kept: list[dict[str, Any]] = []
        for period in periods:
            if any(p["days"] == period["days"] and p["opens"] == period["opens"] and p["closes"] == period["closes"]
                   for p in kept):
                continue  # the same period given twice (a phone's and its contact's)
            clash = next((p for p in kept if set(p["days"]) & set(period["days"]) and
                          minutes(p["opens"]) < minutes(period["closes"]) and
                          minutes(period["opens"]) < minutes(p["closes"])), None)
            if clash:
                shown = f"{','.join(period['days'])} {period['opens']}–{period['closes']}"
                note.dropped.append((f"{what}: {shown}", f"it overlaps {','.join(clash['days'])} "
                                                         f"{clash['opens']}–{clash['closes']}"))
                note.warnings.append(f"{what}: {shown} overlaps other hours and was left out: check the hours")
                continue
            kept.append(period)
        return kept

    # attributes
    def _field_values(self, record: dict[str, Any]) -> dict[str, list[str]]:
        values: dict[str, list[str]] = {}
        for attribute in record.get("attributes") or []:
            term = attribute.get("taxonomy_term") if isinstance(attribute, dict) else None
            if isinstance(term, dict) and _taxonomy_of(term) == FIELDS.name and isinstance(attribute.get("value"), str):
                values.setdefault(str(term.get("code")), []).append(attribute["value"])
        return values

    def _drop_foreign_attributes(self, record: dict[str, Any], note: Note, keep: tuple[str, ...]) -> None:
        for attribute in record.get("attributes") or []:
            term = attribute.get("taxonomy_term") if isinstance(attribute, dict) else None
            if isinstance(term, dict) and _taxonomy_of(term) == FIELDS.name and term.get("code") in keep:
                continue
            name = _line(term.get("name")) if isinstance(term, dict) else None
            note.dropped.append((f"attribute '{name or _short(attribute)}'",
                                 "the catalogue keeps no taxonomy terms here"))

    def _term_entry(self, kind: str, term: dict[str, Any], value: Any, note: Note) -> str | None:
        """The audience or life event a taxonomy term stands for, added the first time it is met."""
        key = (kind, str(term.get("id") or f"{_taxonomy_of(term)}|{term.get('code')}|{term.get('name')}"))
        if key in self.terms:
            return self.terms[key]
        name = _line(term.get("name"))
        if not name:
            note.dropped.append((f"taxonomy term {term.get('id')}", "it has no name"))
            return None
        code = str(term.get("code") or "")
        taken = self.taken[kind]
        if _ID.match(code) and len(code) <= 64 and code not in taken:
            ident = code
            taken.add(code)
        else:
            ident = slug(name, taken, fallback=kind.rstrip("s").replace("_", "-"))
        entry: dict[str, Any] = {"id": ident}
        term_note = Note(f"{'audience' if kind == 'audiences' else 'life event'} {ident}",
                         str(term.get("id") or _taxonomy_of(term)), mapped=["id", "name"])
        if kind == "life_events":
            entry["kind"] = value if value in ("life", "business") else "life"
            term_note.mapped.append("kind")
            if value not in ("life", "business"):
                term_note.warnings.append("the source does not say whether this is a life or a business event; "
                                          "it was taken as a life event")
        entry["name"] = {self.lang: name}
        description = _plain(term.get("description"))
        if description and description != name:
            entry["description"] = {self.lang: description}
            term_note.mapped.append("description")
        getattr(self.imported, kind).append(entry)
        self.imported.report.append(term_note)
        self.terms[key] = ident
        return ident

    # services
    def _provider_of(self, record: dict[str, Any], organization: str | None,
                     organizations: dict[str, tuple[str, dict[str, Any]]], note: Note) -> str:
        """The provider of a service: its nested organization, its organization_id, the organization it is nested
        in; else one provider named "Unknown provider" for all such services, with a warning on each."""
        nested = record.get("organization")
        key = None
        if isinstance(nested, dict):
            key = str(nested.get("id") or "")
            key = key if key in self.providers else next(
                (k for k, (_, r) in organizations.items() if r is nested), None)
        if key is None and record.get("organization_id") and str(record["organization_id"]) in self.providers:
            key = str(record["organization_id"])
        if key is None and organization:
            key = organization
        if key is not None and key in self.providers:
            return self.providers[key]
        if record.get("organization_id"):
            note.dropped.append((f"organization_id {record['organization_id']}",
                                 "no organization with this id is in the source"))
        if self.unknown_provider is None:
            self.unknown_provider = slug("unknown provider", self.taken["providers"])
            self.imported.providers.append({"id": self.unknown_provider, "name": {self.lang: UNKNOWN_PROVIDER}})
            self.imported.report.append(Note(f"provider {self.unknown_provider}", str(self.source), mapped=["id"],
                                             warnings=["made for the services whose organization the source does not "
                                                       "give: set each one's real provider, then delete this one"]))
        note.warnings.append(f"the source gives no organization: the provider is '{self.unknown_provider}' "
                             f"({UNKNOWN_PROVIDER}); set the real one")
        return self.unknown_provider

    def _service(self, path: str, record: dict[str, Any], organization: str | None,
                 organizations: dict[str, tuple[str, dict[str, Any]]]) -> None:
        name = self._name(record.get("name"))
        if not name:
            self.imported.report.append(Note(f"record {path}", self._src(record, path),
                                             dropped=[("the whole record", "a service without a name cannot be listed")],
                                             warnings=["a service record without a name was not imported"]))
            return
        ident = self._ident(record, "services", name, "service")
        if record.get("id"):
            self.services_by_hsds[str(record["id"])] = ident
        note = Note(f"service {ident}", self._src(record, path), mapped=["id", "name"])
        lang = self.lang

        status = str(record.get("status") or "").strip().lower()
        if status in STATUS_IN:
            mapped_status = STATUS_IN[status]
            note.mapped.append(f"status ({status})" if status != mapped_status else "status")
            if status == "inactive":
                note.warnings.append("HSDS status 'inactive' was taken as withdrawn; if it is only for a time, "
                                     "make it suspended")
        else:
            mapped_status = "active"
            note.warnings.append(f"the status {status!r} is not an HSDS status: taken as active; check it" if status
                                 else "the source gives no status: taken as active; check it")
        provider = self._provider_of(record, organization, organizations, note)
        note.mapped.append("provider")

        audiences: list[str] = []
        events: list[str] = []
        fields: dict[str, list[str]] = {}
        json_channels: list[tuple[str, Any]] = []
        for attribute in record.get("attributes") or []:
            if not isinstance(attribute, dict):
                continue
            term = attribute.get("taxonomy_term")
            if not isinstance(term, dict):
                note.dropped.append((f"attribute {attribute.get('id')} (taxonomy_term_id "
                                     f"{attribute.get('taxonomy_term_id')})", "the term itself is not in the source"))
                continue
            taxonomy = _taxonomy_of(term)
            link_type = str(attribute.get("link_type") or "").strip().lower()
            if taxonomy == AUDIENCES.name or (link_type in AUDIENCE_LINK_TYPES and taxonomy != LIFE_EVENTS.name):
                found = self._term_entry("audiences", term, attribute.get("value"), note)
                if found and found not in audiences:
                    audiences.append(found)
            elif taxonomy == LIFE_EVENTS.name:
                found = self._term_entry("life_events", term, attribute.get("value"), note)
                if found and found not in events:
                    events.append(found)
            elif taxonomy == FIELDS.name and isinstance(attribute.get("value"), str):
                fields.setdefault(str(term.get("code")), []).append(attribute["value"])
            elif taxonomy == CHANNELS.name:
                json_channels.append((str(term.get("code")), attribute.get("value")))
            else:
                note.dropped.append((f"taxonomy term '{_line(term.get('name')) or term.get('id')}'"
                                     + (f" ({taxonomy})" if taxonomy else ""),
                                     f"not one of servicedir's taxonomies and not marked as an audience "
                                     f"(link_type '{attribute.get('link_type')}')"))
        if audiences:
            note.mapped.append("audiences")
        else:
            note.warnings.append("no audience: add at least one, so people who look by who they are find it")
        if events:
            note.mapped.append("life_events")

        links: list[dict[str, Any]] = []
        description = self._text(record.get("description"))
        if description and _URL.match(description) and " " not in description:
            links.append({"title": {lang: name}, "url": description})
            note.mapped.append("links (the description is only a web address)")
            note.warnings.append("the description is only a web address: it is kept as a link; write a summary "
                                 "and a description")
            description = None
        summary = _line(fields.get("summary", [None])[0])
        if summary:
            note.mapped.append("summary")
        elif description:
            summary = first_sentence(description)
            note.mapped.append("summary (the first sentence of the description)")
        else:
            summary = name
            note.warnings.append("no description to take a summary from: the summary is the service's name; write "
                                 "a one-sentence summary")
        entry: dict[str, Any] = {"id": ident, "status": mapped_status, "provider": provider, "audiences": audiences}
        if events:
            entry["life_events"] = events
        entry["name"] = {lang: name}
        entry["summary"] = {lang: summary}
        if description and " ".join(description.split()) != summary:
            entry["description"] = {lang: description}
            note.mapped.append("description")
        eligibility = _items(record.get("eligibility_description"), numbered=False)
        if eligibility:
            entry["eligibility"] = {lang: eligibility}
            note.mapped.append("eligibility (eligibility_description)")
        documents = []
        for i, document in enumerate(d for d in record.get("required_documents") or [] if isinstance(d, dict)):
            text = _line(document.get("document"))
            if text:
                documents.append(text)
            uri = _line(document.get("uri"))
            if uri and _URL.match(uri):
                links.append({"title": {lang: text or name}, "url": uri})
            elif uri:
                note.dropped.append((f"required_documents[{i}].uri '{_short(uri)}'", "not an http(s) web address"))
        if documents:
            entry["documents"] = {lang: documents}
            note.mapped.append("documents (required_documents)")
        steps = _items(record.get("application_process"), numbered=True)
        if steps:
            entry["steps"] = {lang: steps}
            note.mapped.append("steps (application_process)")
        cost = self._cost(record, note)
        if cost:
            entry["cost"] = cost
        duration = fields.get("processing_time", [None])[0]
        if duration:
            if _DURATION.match(duration) and _is_duration(duration):
                entry["processing_time"] = duration
                note.mapped.append("processing_time")
            else:
                note.dropped.append((f"processing_time '{duration}'", "not an ISO 8601 duration"))
        deadline = _line(fields.get("deadline", [None])[0])
        if deadline:
            entry["deadline"] = {lang: deadline}
            note.mapped.append("deadline")
        stage = fields.get("online_stage", [None])[0]
        if stage:
            if stage.strip() in ("1", "2", "3", "4", "5"):
                entry["online_stage"] = int(stage)
                note.mapped.append("online_stage")
            else:
                note.dropped.append((f"online_stage '{stage}'", "not a stage from 1 to 5"))
        channels = self._channels(record, note, json_channels, provider)
        entry["channels"] = channels
        if channels:
            note.mapped.append("channels")
        else:
            note.warnings.append("the source gives no way to use the service (no url, e-mail, phone or location): "
                                 "add a channel")
        for value in fields.get("link", []):
            try:
                link = json.loads(value)
                title, url = _line(link.get("title")), _line(link.get("url"))
            except (ValueError, AttributeError):
                title = url = None
            if title and url and _URL.match(url):
                links.append({"title": {lang: title}, "url": url})
            else:
                note.dropped.append((f"link attribute '{_short(value)}'", "not a JSON object with a title and a web address"))
        if links:
            entry["links"] = links
            note.mapped.append("links")
        entry["last_reviewed"] = self._reviewed(record, note)
        _drop_known(record, _SERVICE_DROPPED, note)
        for name_, why in _SERVICE_DROPPED.items():
            if name_ in _WARN_DROPPED and _present(record.get(name_)):
                note.warnings.append(f"{name_} ({_short(record[name_])}) was not imported: {why}")
        for contact in (c for c in record.get("contacts") or [] if isinstance(c, dict)):
            who = ", ".join(filter(None, (_line(contact.get(k)) for k in ("name", "title", "department"))))
            if who:
                note.dropped.append((f"contact {who}", "the catalogue names no people; the contact's phone and "
                                                       "e-mail are channels"))
        for code in fields:
            if code not in ("id", "summary", "processing_time", "deadline", "online_stage", "link", "related"):
                note.dropped.append((f"servicedir field '{code}'", "not a field of a service"))
        if fields.get("related"):
            self.related.append((entry, note, fields["related"]))
        self.imported.services.append(entry)
        self.imported.report.append(note)

    def _cost(self, record: dict[str, Any], note: Note) -> dict[str, Any] | None:
        options = [o for o in record.get("cost_options") or [] if isinstance(o, dict)]
        fees = _plain(record.get("fees_description")) or _plain(record.get("fees"))
        amounts: list[float] = [o["amount"] for o in options if isinstance(o.get("amount"), (int, float))
                                and not isinstance(o["amount"], bool) and math.isfinite(o["amount"])]
        numeric = len(amounts) == len(options)
        cost: dict[str, Any] | None = None
        if options and numeric and all(a == 0 for a in amounts):
            cost = {"free": True}
        elif len(options) == 1 and not (numeric and 0 < amounts[0] <= 1e9):
            note.dropped.append((f"cost_options[0]: amount {options[0].get('amount')}", "not a price"))
            note.warnings.append(f"the cost's amount ({options[0].get('amount')}) is not a price: set cost by hand")
        elif len(options) == 1:
            currency = str(options[0].get("currency") or "").strip().upper()
            if currency in babel.numbers.list_currencies():
                cost = {"amount": amounts[0], "currency": currency}
            else:
                note.dropped.append((f"cost_options[0]: {amounts[0]} {currency or '(no currency)'}",
                                     "the currency is not an ISO 4217 code"))
                note.warnings.append(f"the cost {amounts[0]} has no known currency: set cost by hand")
        elif options:
            shown = "; ".join(f"{o.get('amount')} {o.get('currency') or ''} {o.get('option') or ''}".strip() for o in options)
            note.dropped.append((f"cost_options: {_short(shown, 100)}", "the catalogue holds one cost, free or an "
                                                                         "amount, for everyone"))
            note.warnings.append(f"several costs in the source ({_short(shown, 100)}): set cost and its note by hand")
        elif fees:
            note.dropped.append((f"fees_description '{_short(fees)}'", "a cost in words: the catalogue needs free or "
                                                                        "an amount and a currency"))
            note.warnings.append(f"the cost is given only in words ({_short(fees)!r}): set cost by hand")
            return None
        if cost is None:
            return None
        parts: list[str] = []
        if len(options) == 1:
            for key in ("option", "amount_description"):
                text = _plain(options[0].get(key))
                if text and text not in parts:
                    parts.append(text)
            limits = [f"{k} {options[0][k]}" for k in ("valid_from", "valid_to") if _present(options[0].get(k))]
            if limits:
                note.dropped.append((f"cost_options[0]: {', '.join(limits)}", "the catalogue's cost has no dates"))
        if fees and fees not in parts:
            parts.append(fees)
        if parts:
            cost["note"] = {self.lang: "; ".join(parts)}
        note.mapped.append("cost (cost_options)")
        return cost

    def _reviewed(self, record: dict[str, Any], note: Note) -> dt.date:
        assured, modified = _date(record.get("assured_date")), _date(record.get("last_modified"))
        if assured:
            value, why = assured, "assured_date"
        elif modified:
            value, why = modified, "last_modified"
            note.warnings.append("last_reviewed is when the record last changed (last_modified); the source does not "
                                 "say when it was checked: check the entry")
        else:
            value, why = self.today, "the day of the import"
            note.warnings.append("last_reviewed is the day of the import: the source does not say when the entry was "
                                 "checked; check it")
        if value > self.today:
            note.warnings.append(f"the source's date {value} is in the future: last_reviewed is today")
            value = self.today
        note.mapped.append(f"last_reviewed ({why})")
        return value

    def _channels(self, record: dict[str, Any], note: Note, json_channels: list[tuple[str, Any]],
                  provider: str) -> list[dict[str, Any]]:
        channels: list[_Channel] = []

        def add(channel: _Channel | None) -> _Channel | None:
            if channel is None:
                return None
            key = _channel_key(channel.data)
            for known in channels:
                if _channel_key(known.data) == key:
                    for name in ("note", "hours"):
                        if name in channel.data and name not in known.data:
                            known.data[name] = channel.data[name]
                    known.unparsed += channel.unparsed
                    return known
            channels.append(channel)
            return channel

        url = _line(record.get("url"))
        if url and _URL.match(url):
            add(_Channel({"type": "online", "url": url}))
        elif url:
            note.dropped.append((f"url '{_short(url)}'", "not an http(s) web address"))
        email = _line(record.get("email"))
        if email and _EMAIL.match(email):
            add(_Channel({"type": "email", "email": email}))
        elif email:
            note.dropped.append((f"email '{_short(email)}'", "not an e-mail address"))
        for i, phone in enumerate(p for p in record.get("phones") or [] if isinstance(p, dict)):
            add(self._phone_channel(phone, note, f"phones[{i}]"))
        for i, contact in enumerate(c for c in record.get("contacts") or [] if isinstance(c, dict)):
            self._contact_channels(contact, note, f"contacts[{i}]", add)
        for i, place in enumerate(p for p in record.get("service_at_locations") or [] if isinstance(p, dict)):
            self._place_channels(place, provider, note, f"service_at_locations[{i}]", add)
        self._service_schedules(record, channels, note)
        for code, value in json_channels:
            add(self._json_channel(code, value, note))
        out = []
        for channel in channels:
            if channel.unparsed:
                text = " ".join(channel.unparsed)
                current = channel.data.get("note", {}).get(self.lang)
                channel.data["note"] = {self.lang: f"{current}\n\n{text}" if current else text}
                note.warnings.append(f"hours not understood ({_short(text)!r}) are kept as the {channel.data['type']} "
                                     f"channel's note: write them as hours")
            out.append(_ordered_channel(channel.data))
        return out

    def _contact_channels(self, contact: dict[str, Any], note: Note, where: str, add: Any) -> None:
        email = _line(contact.get("email"))
        if email and _EMAIL.match(email):
            add(_Channel({"type": "email", "email": email}))
        elif email:
            note.dropped.append((f"{where}.email '{_short(email)}'", "not an e-mail address"))
        for j, phone in enumerate(p for p in contact.get("phones") or [] if isinstance(p, dict)):
            add(self._phone_channel(phone, note, f"{where}.phones[{j}]"))

    def _place_channels(self, place: dict[str, Any], provider: str, note: Note, where: str, add: Any) -> None:
        location = place.get("location")
        key = None
        if isinstance(location, dict):
            key = str(location.get("id") or f"{where}.location")
        elif place.get("location_id") and str(place["location_id"]) in self.locations:
            key = str(place["location_id"])
            location = self.locations[key][1]
        if not isinstance(location, dict):
            note.dropped.append((f"{where} (location {place.get('location_id')})", "its location is not in the source"))
            return
        kind = str(location.get("location_type") or "physical").lower()
        channel_type = "office"
        for attribute in place.get("attributes") or []:
            term = attribute.get("taxonomy_term") if isinstance(attribute, dict) else None
            if isinstance(term, dict) and _taxonomy_of(term) == CHANNELS.name and term.get("code") in ("village-agent",
                                                                                                       "kiosk"):
                channel_type = str(term["code"])
        data: dict[str, Any]
        if kind == "virtual":
            url = _line(location.get("url"))
            if not (url and _URL.match(url)):
                note.dropped.append((f"{where}: virtual location {_short(url)}", "not an http(s) web address"))
                return
            data = {"type": "online", "url": url}
        elif kind == "postal":
            address = self._address(location, note)
            if not address:
                note.dropped.append((f"{where}: postal location", "it has no address"))
                return
            data = {"type": "post", "address": {self.lang: address}}
        else:
            runs = self.providers.get(str(location.get("organization_id") or ""))  # else the service's provider
            office = self._office(key or where, where, location, runs or provider)
            if office is None:
                return
            data = {"type": channel_type, "office": office}
        channel = _Channel(data)
        description = _plain(place.get("description"))
        if description:
            data["note"] = {self.lang: description}
        if data.get("office") in self.office_hours_text:
            channel.unparsed += self.office_hours_text[data["office"]]
        hours, unparsed = self._hours(place.get("schedules"), note, f"{where} hours")
        if hours:
            data["hours"] = hours
        channel.unparsed += unparsed
        phones = [p for p in place.get("phones") or [] if isinstance(p, dict)]
        if channel_type == "village-agent" and phones:
            agent = self._phone_channel(phones.pop(0), note, f"{where}.phones[0]")
            if agent and "phone" in agent.data:
                data["phone"] = agent.data["phone"]
        add(channel)
        for j, phone in enumerate(phones):
            add(self._phone_channel(phone, note, f"{where}.phones[{j}]"))
        for j, contact in enumerate(c for c in place.get("contacts") or [] if isinstance(c, dict)):
            self._contact_channels(contact, note, f"{where}.contacts[{j}]", add)

    def _service_schedules(self, record: dict[str, Any], channels: list[_Channel], note: Note) -> None:
        """HSDS gives hours for the service; the catalogue for each way to use it. attending_type says which."""
        groups: dict[str, list[dict[str, Any]]] = {}
        for schedule in (s for s in record.get("schedules") or [] if isinstance(s, dict)):
            groups.setdefault(str(schedule.get("attending_type") or "").strip(), []).append(schedule)
        for attending, schedules in groups.items():
            targets = _targets(attending, channels, self.region)
            what = f"the service's hours{f' ({attending})' if attending else ''}"
            hours, unparsed = self._hours(schedules, note, what)
            if not targets:
                if hours or unparsed:
                    shown = "; ".join([f"{','.join(h['days'])} {h['opens']}–{h['closes']}" for h in hours] + unparsed)
                    note.dropped.append((f"{what}: {_short(shown, 100)}", "the catalogue gives hours for each way to "
                                                                           "use a service, and the source does not say "
                                                                           "which one these are for"))
                    note.warnings.append(f"{what} ({_short(shown, 100)}) were not imported: add them to the right "
                                         f"channel")
                continue
            for channel in targets:
                if hours and self.office_hours.get(channel.data.get("office", "")) == hours:
                    continue  # the office's own hours, said again for the service
                if hours:  # each channel its own copy: a shared one would be written as a YAML alias
                    channel.data["hours"] = self._without_overlaps(channel.data.get("hours", []) + copy.deepcopy(hours),
                                                                   note, what)
                channel.unparsed += unparsed

    def _json_channel(self, code: str, value: Any, note: Note) -> _Channel | None:
        from ..schemas import validator

        try:
            data = json.loads(value) if isinstance(value, str) else None
        except ValueError:
            data = None
        if not isinstance(data, dict) or data.get("type") != code:
            note.dropped.append((f"{code} channel attribute '{_short(value)}'", "not a servicedir channel as JSON"))
            return None
        channel: dict[str, Any] = {"type": code}
        for name, item in data.items():
            if name in ("note", "address", "name") and _plain(item):
                channel[name] = {self.lang: _plain(item)}
            elif name in ("phone", "fax"):
                printed = self._printed(_number_text(item))
                if printed is None:
                    note.dropped.append((f"{code} channel: {name} '{item}'", f"not a valid phone number for {self.region}"))
                    continue
                channel[name] = printed
            elif name == "office":
                if item in self.taken["offices"]:
                    channel[name] = item
                else:
                    note.dropped.append((f"{code} channel: office '{item}'", "no such office in the source"))
            elif name == "hours" and isinstance(item, list):
                hours = [{"days": h["days"], "opens": h["opens"], "closes": h["closes"],
                          **({"note": {self.lang: _plain(h["note"])}} if _plain(h.get("note")) else {})}
                         for h in item if isinstance(h, dict) and {"days", "opens", "closes"} <= set(h)]
                if hours:
                    channel[name] = hours
            elif name in ("url", "email", "number", "keyword") and isinstance(item, str):
                channel[name] = item
        probe = {"id": "probe", "status": "active", "provider": "probe", "audiences": [], "name": {"en": "probe"},
                 "summary": {"en": "probe"}, "channels": [channel], "last_reviewed": "2000-01-01"}
        if not validator("service").is_valid(probe):
            note.dropped.append((f"{code} channel attribute '{_short(value)}'",
                                 "its fields do not make a valid channel of this type"))
            return None
        return _Channel(channel)

    def _resolve_related(self) -> None:
        for entry, note, values in self.related:
            found = []
            for value in values:
                ident = self.services_by_hsds.get(value)
                if ident and ident != entry["id"] and ident not in found:
                    found.append(ident)
                elif not ident:
                    note.dropped.append((f"related service {value}", "not in the source"))
            if found:
                entry["related"] = found
                entry["last_reviewed"] = entry.pop("last_reviewed")  # keep the catalogue's order of fields
                note.mapped.append("related")

    # the directory
    def _directory(self, organizations: list[dict[str, Any]]) -> None:
        note = Note("directory", str(self.source), mapped=["languages", "timezone", "phone_region"])
        options = self.options
        if options.name:
            name = options.name
        else:
            names = [n for n in (_line(o.get("name")) for o in organizations) if n]
            name = names[0] if names else self.source.stem
            if len(names) > 1:
                note.warnings.append(f"the directory is named after the first of {len(names)} organizations, "
                                     f"{names[0]!r}: give its name (--name)")
            elif not names:
                note.warnings.append(f"the source names no organization: the directory is named after the file, "
                                     f"{name!r}; give its name (--name)")
        note.mapped.append("name")
        if not options.language:
            note.warnings.append("HSDS texts carry no language: they were taken as English (en); give the language "
                                 "(--language) if they are not")
        base_url = options.base_url or PLACEHOLDER_URL
        if not options.base_url:
            note.warnings.append(f"base_url is a placeholder, {PLACEHOLDER_URL}: set where the site is published "
                                 f"(--base-url)")
        note.mapped.append("base_url")
        if not options.timezone:
            note.warnings.append("timezone is UTC, HSDS does not say: set the directory's time zone (--timezone)")
        expected = fixed_offset(self.timezone, self.today.year)
        strange = sorted(o for o in self.offsets if o.replace("+00:00", "Z") != expected)
        if strange:
            note.warnings.append(f"the source's times carry UTC offsets ({', '.join(strange)}) that are not the time "
                                 f"zone's ({self.timezone}); they were read as local times: check the hours")
        if not options.phone_region:
            note.warnings.append(f"phone_region {self.region} was guessed {self.region_guess}: check it "
                                 f"(--phone-region)")
        feedback: dict[str, str] = {}
        for organization in organizations:
            for phone in (p for p in organization.get("phones") or [] if isinstance(p, dict)):
                printed = self._printed(_number_text(phone.get("number")))
                if printed:
                    feedback.setdefault("phone", printed)
            email, website = _line(organization.get("email")), _line(organization.get("website"))
            if email and _EMAIL.match(email):
                feedback.setdefault("email", email)
            if website and _URL.match(website):
                feedback.setdefault("url", website)
            if feedback:
                break
        if feedback:
            note.mapped.append("feedback (the organization's contacts)")
        else:
            feedback = {"url": base_url}
            note.warnings.append("feedback is the base URL: the source gives no organization phone, e-mail or website; "
                                 "say how people report a problem")
        assert self.region is not None
        self.imported.directory = {"name": {self.lang: name}, "base_url": base_url, "languages": [self.lang],
                                   "timezone": self.timezone, "phone_region": self.region, "feedback": feedback}
        self.imported.report.append(note)


def _walk(data: Any, key: str) -> Iterator[Any]:
    """Every value of `key` in nested JSON, depth first, in order."""
    if isinstance(data, dict):
        for name, value in data.items():
            if name == key and not isinstance(value, (dict, list)):
                yield value
            else:
                yield from _walk(value, key)
    elif isinstance(data, list):
        for value in data:
            yield from _walk(value, key)


def _items(value: Any, numbered: bool) -> list[str]:
    """List items from a text: one per line, without bullets (and numbers, for steps)."""
    text = _plain(value)
    if not text:
        return []
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    marker = r"^(?:[-*•·]\s+|\d+[.)]\s+)" if numbered else r"^[-*•·]\s+"
    if len(lines) > 1:
        return [re.sub(marker, "", line) or line for line in lines]
    return [re.sub(marker, "", lines[0]) or lines[0]]


def _is_duration(value: str) -> bool:
    try:
        isodate.parse_duration(value)
    except (isodate.ISO8601Error, ValueError):
        return False
    return True


def _channel_key(data: dict[str, Any]) -> tuple[str, ...]:
    """Two channels are the same when they are the same kind of way to the same number, address or office."""
    kind = data["type"]
    if kind in ("phone", "village-agent", "home-visit"):
        return ("phone", kind, str(data.get("phone")), str(data.get("office")))
    value = data.get("url") or data.get("email") or data.get("fax") or data.get("number") or data.get("office") \
        or json.dumps(data.get("address") or data.get("name") or data.get("note"), sort_keys=True, ensure_ascii=False)
    return (kind, str(value))


def _targets(attending: str, channels: list[_Channel], region: str | None) -> list[_Channel]:
    """The channels a service's schedule is for: servicedir's "phone +86…", else words such as phone, online,
    in person; with no such word, the only channel there is."""
    words = attending.lower()
    match = re.fullmatch(r"(phone|fax|sms|home-visit|village-agent) (\+?[0-9]+)", words)
    if match:
        number = e164(match.group(2), region) or match.group(2)
        found = [c for c in channels if c.data["type"] == match.group(1) and c.number == number]
        if found:
            return found
    kinds: set[str] = set()
    if re.search(r"phone|telephone|\bcall", words):
        kinds.add("phone")
    if re.search(r"online|virtual|remote|video|web", words):
        kinds.add("online")
    if re.search(r"in[- ]person|walk[- ]in|visit|office|on site|on-site", words):
        kinds |= {"office", "village-agent", "kiosk"}
    if kinds:
        return [c for c in channels if c.data["type"] in kinds]
    return channels if len(channels) == 1 else []


_CHANNEL_ORDER = ("type", "url", "phone", "office", "address", "email", "number", "keyword", "name", "fax", "note", "hours")


def _ordered_channel(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in _CHANNEL_ORDER if name in data}
