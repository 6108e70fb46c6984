"""Interchange, CPSV-AP 3.2.0: the catalogue as EU Core Public Service Vocabulary data (Turtle, JSON-LD), and back."""
from __future__ import annotations

import datetime as dt
import functools
import json
import re
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator
from urllib.parse import parse_qs, quote, unquote, urlsplit

import phonenumbers
from babel.core import get_global
from babel.numbers import is_currency
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS as DCT
from rdflib.namespace import FOAF, ORG, RDF, RDFS, SKOS, TIME, XSD
from rdflib.term import Node

from .. import model
from ..checks import phone_ok, today_in
from ..problems import logged_warnings
from .common import ImportOptions, Imported, InterchangeError, Note, e164, iri, printed_phone, slug, text_of
from .hsds import PLACEHOLDER_URL, UNKNOWN_PROVIDER, first_sentence

CPSV = Namespace("http://purl.org/vocab/cpsv#")
CV = Namespace("http://data.europa.eu/m8g/")
ADMS = Namespace("http://www.w3.org/ns/adms#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
# EU Publications Office authority tables: real code lists, so these codes need no definition of ours.
FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
CURRENCY = Namespace("http://publications.europa.eu/resource/authority/currency/")
COUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")
AUTHORITY = "http://publications.europa.eu/resource/authority/"

PREFIXES: dict[str, Namespace] = {
    "adms": ADMS, "cpsv": CPSV, "cv": CV, "dct": Namespace(str(DCT)), "foaf": Namespace(str(FOAF)), "geo": GEO,
    "locn": LOCN, "org": Namespace(str(ORG)), "rdf": Namespace(str(RDF)), "skos": Namespace(str(SKOS)),
    "time": Namespace(str(TIME)), "xsd": Namespace(str(XSD))}
# The official JSON-LD context's names for the classes (context/cpsv-ap.jsonld); JSON-LD @type uses them.
CLASS_TERMS: dict[URIRef, str] = {
    CPSV.PublicService: "PublicService", CV.PublicOrganisation: "PublicOrganization", CV.Channel: "Channel",
    CV.ContactPoint: "ContactPoint", CV.Cost: "Cost", CV.Evidence: "Evidence", CV.Requirement: "Requirement",
    CV.LifeEvent: "LifeEvent", CV.BusinessEvent: "BusinessEvent", SKOS.Concept: "Concept",
    TIME.TemporalEntity: "TemporalEntity", LOCN.Address: "Address", DCT.Location: "Location",
    FOAF.Document: "Document"}

# The catalogue's fixed choices, as concepts of this directory's own schemes (no EU list has them).
CHANNEL_TYPES = {"online": "Online", "phone": "Phone", "office": "In person at an office", "post": "Post",
                 "email": "E-mail", "sms": "Text message (SMS)", "village-agent": "Village agent",
                 "kiosk": "Self-service kiosk", "mobile-app": "Mobile app", "tv": "Television", "radio": "Radio",
                 "fax": "Fax", "home-visit": "Home visit"}
STATUSES = {"active": "Active", "suspended": "Suspended", "withdrawn": "Withdrawn"}
ONLINE_STAGES = {1: "Information only", 2: "Forms to download", 3: "Submit online",
                 4: "Complete online, including payment", 5: "Joined up across agencies"}
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAYS = dict(zip(DAYS, (TIME.Monday, TIME.Tuesday, TIME.Wednesday, TIME.Thursday, TIME.Friday, TIME.Saturday,
                           TIME.Sunday)))
DAY_OF = {v: k for k, v in WEEKDAYS.items()}

_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")  # a Turtle local name needing no escapes
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?")
_URL = re.compile(r"https?://[^\s/]+\S*")
_DURATION = re.compile(r"P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?")
NEUTRAL = "*"  # key of a text in no language (a web address, an id): it becomes the default language's text
NAME_PREDICATES = (DCT.title, SKOS.prefLabel, RDFS.label)  # a service's name, in this order


# values ---------------------------------------------------------------------------------------------
def xsd_duration(value: str) -> str:
    """A catalogue duration as a valid xsd:duration: weeks (ISO 8601 allows P1W, XML Schema does not) as days."""
    match = _DURATION.fullmatch(value)
    if not match:
        raise ValueError(f"'{value}' is not an ISO 8601 duration")
    years, months, weeks, days, _, hours, minutes, seconds = (int(g[:-1]) if g and not g.startswith("T") else None
                                                               for g in match.groups())
    if weeks is not None:
        days = weeks * 7 + (days or 0)
    date = "".join(f"{n}{unit}" for n, unit in ((years, "Y"), (months, "M"), (days, "D")) if n is not None)
    time = "".join(f"{n}{unit}" for n, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if n is not None)
    return "P" + (date or ("" if time else "0D")) + (f"T{time}" if time else "")


def catalogue_duration(value: str) -> str | None:
    """An xsd:duration as the catalogue writes it, or None when the catalogue has no way to say it
    (negative, fractions of a second)."""
    value = value.strip()
    return value if _DURATION.fullmatch(value) else None


def _alpha3(region: str) -> str | None:
    """ISO 3166 alpha-3 (the EU country table's code) for an alpha-2 region, from CLDR's aliases; of old and
    current codes (DDR, DEU) the one sharing most letters with the region."""
    found = [k for k, v in get_global("territory_aliases").items() if len(k) == 3 and k.isalpha() and v == [region]]
    return max(sorted(found), key=lambda code: (code[0] == region[0]) + (code[:2] == region)) if found else None


def _alpha2(code: str) -> str | None:
    if len(code) == 2 and code.isalpha():
        return code.upper()
    target = get_global("territory_aliases").get(code.upper())
    return target[0] if target and len(target) == 1 and len(target[0]) == 2 else None


def _natural(node: Node) -> tuple[Any, ...]:
    """Sort key: channel/2 before channel/10."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", str(node)))


def _clock(hour: int, minute: int) -> str:
    return f"{hour:02d}:{minute:02d}"


# export -----------------------------------------------------------------------------------------------
def export(catalogue: model.Catalogue, out: Path) -> list[Path]:
    """Write out/cpsv-ap.ttl and out/cpsv-ap.jsonld: the same graph, byte-identical from run to run."""
    graph = to_graph(catalogue)
    out.mkdir(parents=True, exist_ok=True)
    files = [out / "cpsv-ap.ttl", out / "cpsv-ap.jsonld"]
    files[0].write_text(turtle(graph), encoding="utf-8")
    files[1].write_text(json_ld(graph), encoding="utf-8")
    return files


def to_graph(catalogue: model.Catalogue) -> Graph:
    """The catalogue as a CPSV-AP 3.2.0 graph: no blank nodes, every class a property points to asserted."""
    return _Exporter(catalogue).graph


def turtle(graph: Graph) -> str:
    """Turtle: the prefixes, then each subject (sorted) with its predicates and objects (sorted), in prefixed
    names where the local part is a plain name. rdflib's own serializer looks up every term's prefix again
    (about 0.2 ms a triple: minutes for a national catalogue); terms are still written by rdflib (n3())."""
    name = _prefixed_names()

    def term(node: Node) -> str:
        if isinstance(node, URIRef):
            return name(str(node))
        assert isinstance(node, Literal), f"blank node {node} in the export"
        if node.datatype is None or node.datatype == XSD.string:
            return Literal(str(node), lang=node.language).n3()
        return Literal(str(node)).n3() + "^^" + name(str(node.datatype))

    lines = [f"@prefix {prefix}: <{namespace}> ." for prefix, namespace in sorted(PREFIXES.items())]
    for subject, pairs in sorted(_by_subject(graph).items(), key=lambda item: _natural(item[0])):
        objects: dict[str, list[str]] = {}
        for predicate, obj in pairs:
            key = "a" if predicate == RDF.type else name(str(predicate))
            objects.setdefault(key, []).append(term(obj))
        said = [f"{key} {', '.join(sorted(objects[key]))}" for key in sorted(objects, key=lambda k: (k != "a", k))]
        lines += ["", name(str(subject)) + "\n    " + " ;\n    ".join(said) + " ."]
    return "\n".join(lines) + "\n"


def _by_subject(graph: Graph) -> dict[URIRef, list[tuple[Node, Node]]]:
    """Each subject's predicates and objects, in one pass over the graph (asking per subject costs more)."""
    out: dict[URIRef, list[tuple[Node, Node]]] = {}
    for subject, predicate, obj in graph:
        assert isinstance(subject, URIRef), f"blank node {subject} in the export"
        out.setdefault(subject, []).append((predicate, obj))
    return out


def _prefixed_names() -> Callable[[str], str]:
    """An IRI -> its prefixed name (dct:title) when one of PREFIXES covers it and the rest is a plain local
    name, else <iri>; remembered, as the same few hundred IRIs come back thousands of times."""
    namespaces = sorted(((str(ns), prefix) for prefix, ns in PREFIXES.items()), key=lambda item: -len(item[0]))

    @functools.lru_cache(maxsize=None)
    def name(iri: str) -> str:
        for namespace, prefix in namespaces:
            if iri.startswith(namespace) and _LOCAL.fullmatch(iri[len(namespace):]):
                return f"{prefix}:{iri[len(namespace):]}"
        return URIRef(iri).n3()

    return name


def json_ld(graph: Graph) -> str:
    """JSON-LD with an inline context (nothing to fetch): the official context's class names for @type,
    prefixed names for properties; one node object per subject, everything sorted."""
    names = {str(ns): prefix for prefix, ns in PREFIXES.items()}
    longest_first = sorted(names, key=len, reverse=True)

    @functools.lru_cache(maxsize=None)
    def curie(iri: str) -> str:
        for namespace in longest_first:
            local = iri[len(namespace):]
            if iri.startswith(namespace) and re.fullmatch(r"[A-Za-z_][\w.-]*", local):
                return f"{names[namespace]}:{local}"
        return iri

    def value(obj: Node) -> Any:
        if isinstance(obj, URIRef):
            return {"@id": curie(str(obj))}
        assert isinstance(obj, Literal), f"blank node {obj} in the export"
        if obj.language:
            return {"@value": str(obj), "@language": obj.language}
        if obj.datatype in (None, XSD.string):
            return str(obj)
        return {"@value": str(obj), "@type": curie(str(obj.datatype))}

    def order(v: Any) -> tuple[str, ...]:
        return (v, "", "", "") if isinstance(v, str) else (v.get("@id", ""), v.get("@value", ""),
                                                          v.get("@language", ""), v.get("@type", ""))

    classes: set[str] = set()
    nodes = []
    for subject, pairs in sorted(_by_subject(graph).items(), key=lambda item: str(item[0])):
        node: dict[str, Any] = {"@id": str(subject)}
        types = sorted(CLASS_TERMS.get(o, curie(str(o))) for p, o in pairs if p == RDF.type)  # type: ignore[call-overload]
        classes.update(t for t in types if ":" not in t)
        if types:
            node["@type"] = types[0] if len(types) == 1 else types
        values: dict[str, list[Any]] = {}
        for predicate, obj in pairs:
            if predicate != RDF.type:
                values.setdefault(curie(str(predicate)), []).append(value(obj))
        for key in sorted(values):
            items = sorted(values[key], key=order)
            node[key] = items[0] if len(items) == 1 else items
        nodes.append(node)
    context: dict[str, str] = {prefix: str(ns) for prefix, ns in sorted(PREFIXES.items())}
    context.update({term: str(iri) for iri, term in sorted(CLASS_TERMS.items(), key=lambda kv: kv[1])
                    if term in classes})
    # One node object a line: diffs stay readable, and the encoder is the C one (an indent makes it pure Python).
    head = json.dumps({"@context": context}, ensure_ascii=False, indent=1)[:-2]
    return head + ',\n "@graph": [\n' + ",\n".join(json.dumps(node, ensure_ascii=False) for node in nodes) + "\n ]\n}\n"


class _Exporter:
    """Builds the graph entry by entry; IRIs under <base_url>data/cpsv-ap/, so they are the same every run."""

    def __init__(self, catalogue: model.Catalogue):
        self.catalogue = catalogue
        self.root = iri(catalogue.directory.base_url) + "data/cpsv-ap/"
        self.region = catalogue.directory.phone_region
        self.graph = Graph(store="SimpleMemory", bind_namespaces="none")  # no named graphs: adds cost less
        for prefix, namespace in PREFIXES.items():
            self.graph.bind(prefix, namespace)
        self.office_hours: dict[str, list[URIRef]] = {}
        self.office_contact: dict[str, URIRef] = {}
        self.area = self._country()
        for audience in catalogue.audiences:
            self._audience(audience)
        for provider in catalogue.providers:
            self._provider(provider)
        for office in catalogue.offices:
            self._office(office)
        for event in catalogue.life_events:
            self._event(event)
        for service in catalogue.services:
            self._service(service)

    # building blocks
    def iri(self, *parts: str) -> URIRef:
        return URIRef(self.root + "/".join(quote(part, safe="") for part in parts))

    def add(self, node: URIRef, predicate: URIRef, obj: Node) -> None:
        self.graph.add((node, predicate, obj))

    def texts(self, node: URIRef, predicate: URIRef, text: dict[str, str] | None) -> None:
        for language, value in (text or {}).items():
            self.add(node, predicate, Literal(value, lang=language))

    def code(self, node: URIRef, kind: URIRef = SKOS.Concept) -> URIRef:
        """An IRI used as a code: the shapes want its class asserted in the data itself."""
        self.add(node, RDF.type, kind)
        return node

    def concept(self, scheme: str, code: str, labels: dict[str, str] | None) -> URIRef:
        node, scheme_node = self.iri("concept", scheme, code), self.iri("concept", scheme)
        self.code(node)
        self.add(node, SKOS.inScheme, scheme_node)
        self.add(node, SKOS.notation, Literal(code))
        self.texts(node, SKOS.prefLabel, labels)
        self.add(scheme_node, RDF.type, SKOS.ConceptScheme)
        return node

    def phone(self, number: str) -> Literal:
        """E.164 (+8657981200111); a short number (12345) has none and stays as dialled."""
        full = e164(number, self.region) if phone_ok(number, self.region) else None
        return Literal(full or number)

    def address(self, node: URIRef, text: dict[str, str]) -> URIRef:
        address = URIRef(f"{node}/address")
        self.add(address, RDF.type, LOCN.Address)
        self.texts(address, LOCN.fullAddress, text)
        self.add(node, LOCN.address, address)
        return address

    def hours(self, owner: URIRef, hours: Iterable[model.Hours]) -> list[URIRef]:
        """OWL-Time, as the official example: one weekly time:TemporalEntity per period and day (a date-time
        description holds one day of the week), beginning and end with hour and minute."""
        nodes = []
        for k, period in enumerate(hours, 1):
            for day in period.days:
                entity = URIRef(f"{owner}/hours/{k}/{day}")
                self.add(entity, RDF.type, TIME.TemporalEntity)
                self.add(entity, CV.frequency, self.code(FREQUENCY.WEEKLY))
                self.texts(entity, DCT.description, period.note)
                for edge, predicate, clock in (("opens", TIME.hasBeginning, period.opens),
                                               ("closes", TIME.hasEnd, period.closes)):
                    instant, when = URIRef(f"{entity}/{edge}"), URIRef(f"{entity}/{edge}/time")
                    hour, minute = (int(part) for part in clock.split(":"))
                    self.add(entity, predicate, instant)
                    self.add(instant, RDF.type, TIME.Instant)
                    self.add(instant, TIME.inDateTime, when)
                    self.add(when, RDF.type, TIME.DateTimeDescription)
                    self.add(when, TIME.dayOfWeek, WEEKDAYS[day])
                    self.add(when, TIME.hour, Literal(hour))
                    self.add(when, TIME.minute, Literal(minute))
                    self.add(when, TIME.unitType, TIME.unitMinute)
                nodes.append(entity)
        return nodes

    # entries
    def _country(self) -> URIRef:
        """Where the providers work, as far as the catalogue says: its phone region's country (EU table)."""
        alpha3 = _alpha3(self.region)
        return self.code(COUNTRY[alpha3] if alpha3 else self.iri("area"), DCT.Location)

    def _audience(self, audience: model.Audience) -> None:
        node = self.iri("concept", "audience", audience.id)
        self.code(node)
        self.add(node, SKOS.inScheme, self.iri("concept", "audience"))
        self.add(self.iri("concept", "audience"), RDF.type, SKOS.ConceptScheme)
        self.add(node, SKOS.notation, Literal(audience.id))
        self.texts(node, SKOS.prefLabel, audience.name)
        self.texts(node, SKOS.definition, audience.description)

    def _provider(self, provider: model.Provider) -> None:
        node = self.iri("organisation", provider.id)
        self.add(node, RDF.type, CV.PublicOrganisation)
        self.add(node, RDF.type, ORG.Organization)  # cv:ownedBy wants it asserted; it is only implied otherwise
        self.add(node, DCT.identifier, Literal(provider.id))
        self.texts(node, SKOS.prefLabel, provider.name)
        self.texts(node, DCT.title, provider.name)  # foaf:Agent's name: the shapes want it once inference runs
        self.add(node, DCT.spatial, self.area)
        if provider.url:
            self.add(node, FOAF.homepage, self.code(URIRef(iri(provider.url)), FOAF.Document))
        if provider.phone or provider.email:
            contact = URIRef(f"{node}/contact-point")
            self.add(contact, RDF.type, CV.ContactPoint)
            if provider.phone:
                self.add(contact, CV.telephone, self.phone(provider.phone))
            if provider.email:
                self.add(contact, CV.email, Literal(provider.email))
            self.add(node, CV.contactPoint, contact)

    def _office(self, office: model.Office) -> None:
        node = self.iri("office", office.id)
        self.add(node, RDF.type, ORG.Site)
        self.add(node, RDF.type, DCT.Location)
        self.add(node, DCT.identifier, Literal(office.id))
        self.texts(node, SKOS.prefLabel, office.name)
        self.address(node, office.address)
        self.texts(node, DCT.description, office.accessibility)
        self.add(self.iri("organisation", office.provider), ORG.hasSite, node)
        if office.area:
            area = self.code(self.iri("area", office.area), DCT.Location)
            self.add(area, DCT.identifier, Literal(office.area))
            self.add(node, DCT.spatial, area)
        if office.geo:
            lat, lon = office.geo
            self.add(node, LOCN.geometry, Literal(f"POINT({lon} {lat})", datatype=GEO.wktLiteral))
        hours = self.office_hours[office.id] = self.hours(node, office.hours)
        for entity in hours:
            self.add(node, CV.openingHours, entity)
        if office.phone or hours:
            contact = self.office_contact[office.id] = URIRef(f"{node}/contact-point")
            self.add(contact, RDF.type, CV.ContactPoint)
            if office.phone:
                self.add(contact, CV.telephone, self.phone(office.phone))
            for entity in hours:
                self.add(contact, CV.openingHours, entity)
            self.add(node, CV.contactPoint, contact)

    def _event(self, event: model.LifeEvent) -> None:
        node = self.iri("life-event", event.id)
        self.add(node, RDF.type, CV.BusinessEvent if event.kind == "business" else CV.LifeEvent)
        self.add(node, RDF.type, CV.Event)  # cv:isGroupedBy wants it asserted; it is only implied otherwise
        self.add(node, DCT.identifier, Literal(event.id))
        self.texts(node, DCT.title, event.name)
        self.texts(node, DCT.description, event.description)
        services = {s.id for s in self.catalogue.services if event.id in s.life_events}
        services |= {ident for step in event.steps for ident in step.services}
        for ident in sorted(services):
            self.add(node, CV.hasRelatedService, self.iri("service", ident))

    def _service(self, service: model.Service) -> None:
        node = self.iri("service", service.id)
        self.add(node, RDF.type, CPSV.PublicService)
        self.add(node, DCT.identifier, Literal(service.id))
        self.texts(node, DCT.title, service.name)
        self.texts(node, DCT.abstract, service.summary)
        self.texts(node, DCT.description, service.description or service.summary)  # required by the shapes
        self.add(node, ADMS.status, self.concept("status", service.status, {"en": STATUSES[service.status]}))
        self.add(node, CV.hasCompetentAuthority, self.iri("organisation", service.provider))
        for audience in service.audiences:
            self.add(node, DCT.audience, self.iri("concept", "audience", audience))
        for event in service.life_events:
            self.add(node, CV.isGroupedBy, self.iri("life-event", event))
        self.add(node, DCT.modified, Literal(service.last_reviewed))
        for kind, predicate, cls, items in (("requirement", CV.holdsRequirement, CV.Requirement, service.eligibility),
                                            ("document", CPSV.hasInput, CV.Evidence, service.documents)):
            for k, item in enumerate(_items(items), 1):
                entry = URIRef(f"{node}/{kind}/{k}")
                self.add(entry, RDF.type, cls)
                self.add(entry, DCT.identifier, Literal(f"{service.id}/{kind}/{k}"))
                self.texts(entry, DCT.title, item)
                self.add(node, predicate, entry)
        if service.cost:
            self._cost(node, service)
        if service.processing_time:
            self.add(node, CV.processingTime, Literal(xsd_duration(service.processing_time), datatype=XSD.duration))
        if service.online_stage:
            stage = service.online_stage
            self.add(node, CV.isClassifiedBy, self.concept("online-stage", str(stage), {"en": ONLINE_STAGES[stage]}))
        for link in service.links:
            page = self.code(URIRef(iri(link.url)), FOAF.Document)
            self.texts(page, DCT.title, link.title)
            self.add(node, FOAF.page, page)
        for related in service.related:
            self.add(node, CV.relatedService, self.iri("service", related))
        for n, channel in enumerate(service.channels, 1):
            self._channel(node, service, n, channel)

    def _cost(self, node: URIRef, service: model.Service) -> None:
        cost, data = URIRef(f"{node}/cost"), service.cost
        assert data is not None
        self.add(cost, RDF.type, CV.Cost)
        self.add(cost, DCT.identifier, Literal(f"{service.id}/cost"))
        self.add(cost, CV.hasValue, Literal(float(data.amount or 0), datatype=XSD.double))
        if data.currency:
            currency = self.code(CURRENCY[data.currency])
            self.add(currency, SKOS.notation, Literal(data.currency))
            self.add(cost, CV.currency, currency)
        self.texts(cost, DCT.description, data.note)
        self.add(node, CV.hasCost, cost)

    def _channel(self, node: URIRef, service: model.Service, n: int, data: model.Channel) -> None:
        """A cv:Channel (type, owner, hours, note), and the contact point with its number, address or page."""
        channel = URIRef(f"{node}/channel/{n}")
        self.add(channel, RDF.type, CV.Channel)
        self.add(channel, DCT.identifier, Literal(f"{service.id}/channel/{n}"))
        self.add(channel, DCT.type, self.concept("channel-type", data.type, {"en": CHANNEL_TYPES[data.type]}))
        self.texts(channel, DCT.description, data.note)
        self.texts(channel, DCT.title, data.name)
        office = self.catalogue.by_id["offices"].get(data.office) if data.office else None
        self.add(channel, CV.ownedBy, self.iri("organisation", office.provider if office else service.provider))
        if office:
            self.add(channel, DCT.spatial, self.iri("office", office.id))
            if office.id in self.office_contact:
                self.add(node, CV.contactPoint, self.office_contact[office.id])
        hours = self.hours(channel, data.hours) if data.hours else self.office_hours.get(data.office or "", [])
        for entity in hours:
            self.add(channel, CV.openingHours, entity)
        contact = URIRef(f"{channel}/contact-point")
        facts: list[tuple[URIRef, Node]] = []
        if data.url:
            facts.append((CV.contactPage, self.code(URIRef(iri(data.url)), FOAF.Document)))
        for number in (data.phone, data.fax, data.number):
            if number:
                facts.append((CV.telephone, self.phone(number)))
        if data.number:  # RFC 5724: the number to text and what to write, in one address phones open
            facts.append((CV.contactPage, self.code(URIRef(self._sms(data.number, data.keyword)), FOAF.Document)))
        if data.email:
            facts.append((CV.email, Literal(data.email)))
        if data.address:
            facts.append((LOCN.address, self.address(contact, data.address)))
        if facts:
            self.add(contact, RDF.type, CV.ContactPoint)
            for predicate, obj in facts:
                self.add(contact, predicate, obj)
            for entity in hours:
                self.add(contact, CV.openingHours, entity)
            self.add(channel, CV.contactPoint, contact)
            self.add(node, CV.contactPoint, contact)
        self.add(node, CV.hasChannel, channel)

    def _sms(self, number: str, keyword: str | None) -> str:
        digits = re.sub(r"[\s-]", "", number)
        if not digits.startswith("+"):
            digits += f";phone-context=+{phonenumbers.country_code_for_region(self.region)}"
        return f"sms:{digits}" + (f"?body={quote(keyword, safe='')}" if keyword else "")


def _items(texts: dict[str, list[str]] | None) -> list[dict[str, str]]:
    """A list of texts per language as one text per item: item k in every language that has it."""
    if not texts:
        return []
    count = max(len(items) for items in texts.values())
    return [{lang: items[k] for lang, items in texts.items() if k < len(items)} for k in range(count)]


# import -----------------------------------------------------------------------------------------------
FORMATS = {".ttl": "turtle", ".turtle": "turtle", ".nt": "turtle", ".rdf": "xml", ".xml": "xml", ".owl": "xml",
           ".jsonld": "json-ld", ".json": "json-ld"}
FORMAT_NAMES = {"turtle": "Turtle", "xml": "RDF/XML", "json-ld": "JSON-LD"}


def read(source: Path, options: ImportOptions) -> Imported:
    """Read a CPSV-AP file (Turtle, RDF/XML or JSON-LD) into a catalogue: every entry with a note of what
    was mapped, what was dropped and why, and what an editor should check. Nothing is invented and no TODO is
    written: what the source does not say is left out; where the catalogue requires it, the import takes what
    it can stand on (an id as a name, a service's name as its summary, a placeholder address, UTC) with a
    warning, so the catalogue validates and builds; an entry that cannot stand without a fact (a service with
    no name) is not written, and the report says why."""
    graph, notes = parse(source)
    return _Reader(graph, source, options, notes).imported


def parse(source: Path) -> tuple[Graph, list[str]]:
    """The source's graph, and what rdflib warned about while reading it; InterchangeError if unreadable."""
    try:
        raw = source.read_bytes()
    except OSError as error:
        raise InterchangeError(f"{source}: cannot read it ({error.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InterchangeError(f"{source}: not UTF-8 text (byte {error.start + 1} is not UTF-8)") from None
    fmt = FORMATS.get(source.suffix.lower()) or _sniff(text)
    if fmt is None:
        raise InterchangeError(f"{source}: unknown format: expected Turtle (.ttl), RDF/XML (.rdf) or JSON-LD "
                               f"(.jsonld)")
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    with logged_warnings("rdflib") as logged:
        try:
            if fmt == "json-ld":
                _read_json_ld(graph, text, source)
            else:
                graph.parse(data=text, format=fmt, publicID=source.resolve().as_uri())
        except InterchangeError:
            raise
        except Exception as error:  # the parsers' own errors: one sentence with the place, never a traceback
            raise InterchangeError(_syntax_error(source, fmt, error)) from None
    return graph, logged


def _sniff(text: str) -> str | None:
    start = re.sub(r"\A(\s*#[^\n]*\n)*", "", text).lstrip()[:200]  # Turtle may start with comments
    if start.startswith(("{", "[")):
        return "json-ld"
    if start.startswith("<?xml") or re.match(r"<rdf:RDF\b", start):
        return "xml"
    if re.match(r"(@prefix|@base|PREFIX|BASE|<[^>\s]*>\s*<)", start, re.I):
        return "turtle"
    return None


def _syntax_error(source: Path, fmt: str, error: Exception) -> str:
    from xml.sax import SAXParseException

    from rdflib.plugins.parsers.notation3 import BadSyntax

    if isinstance(error, BadSyntax):
        data, at = error._str, error._i  # noqa: SLF001 — rdflib keeps the place only there
        line = error.lines + 1
        col = len(data[data.rfind(b"\n", 0, at) + 1:at].decode("utf-8", "replace")) + 1 if isinstance(data, bytes) else 1
        return f"{source}:{line}:{col}: Turtle syntax error: {error._why}"  # noqa: SLF001
    if isinstance(error, SAXParseException):
        return f"{source}:{error.getLineNumber()}:{error.getColumnNumber() + 1}: RDF/XML error: {error.getMessage()}"
    message = " ".join(str(error).split()) or type(error).__name__
    return f"{source}: cannot read it as {FORMAT_NAMES[fmt]}: {message}"


def _read_json_ld(graph: Graph, text: str, source: Path) -> None:
    from rdflib.plugins.parsers.jsonld import to_rdf

    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InterchangeError(f"{source}:{error.lineno}:{error.colno}: not valid JSON ({error.msg})") from None
    # rdflib's JSON-LD plugin parses into a deprecated ConjunctiveGraph; its to_rdf fills a plain graph.
    to_rdf(_local_contexts(data, source), graph, base=source.resolve().as_uri())


def _local_contexts(data: Any, source: Path, seen: frozenset[str] = frozenset()) -> Any:
    """The document with every context named by address (@context, @import) replaced by the copy beside the
    source, so that nothing is fetched from the network."""
    if isinstance(data, list):
        return [_local_contexts(item, source, seen) for item in data]
    if not isinstance(data, dict):
        return data
    return {key: _context(value, source, seen) if key == "@context" else _local_contexts(value, source, seen)
            for key, value in data.items()}


def _context(value: Any, source: Path, seen: frozenset[str]) -> Any:
    """A context value: an address (the copy, resolved in turn), a list of them, or a definition whose
    @import and scoped contexts are resolved."""
    if isinstance(value, str):
        return _context(_context_copy(value, source, seen), source, seen | {value})
    if isinstance(value, list):
        return [_context(item, source, seen) for item in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    if isinstance(value.get("@import"), str):
        imported = _context(value["@import"], source, seen)
        if not isinstance(imported, dict):
            raise InterchangeError(f"{source}: the JSON-LD context {value['@import']} is not a single context")
        out.update(imported)
    for key, definition in value.items():
        if key != "@import":
            out[key] = {k: _context(v, source, seen) if k == "@context" else v for k, v in definition.items()} \
                if isinstance(definition, dict) else definition
    return out


def _context_copy(address: str, source: Path, seen: frozenset[str]) -> Any:
    name = Path(unquote(urlsplit(address).path.rstrip("/")).replace("\\", "/")).name
    copy = source.parent / (name if name and not name.startswith(".") else "context.jsonld")
    if address in seen:
        raise InterchangeError(f"{copy}: the JSON-LD context {address} includes itself")
    if not copy.is_file():
        raise InterchangeError(f"{source}: the JSON-LD context {address} is not read from the network; save a "
                               f"copy as {copy} and import again")
    try:
        return json.loads(copy.read_text(encoding="utf-8"))["@context"]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as error:
        raise InterchangeError(f"{copy}: not a JSON-LD context ({type(error).__name__}: {error})") from None


def _canonical_language(tag: str) -> str:
    """BCP 47 case as the catalogue writes it: zh-hans -> zh-Hans, EN-gb -> en-GB."""
    parts = tag.split("-")
    return "-".join([parts[0].lower()] + [part.title() if len(part) == 4 and part.isalpha() else
                                          part.upper() if len(part) == 2 and part.isalpha() else part
                                          for part in parts[1:]])


class _Reader:
    """The catalogue in a graph: providers, offices, audiences and life events first, then services; then one
    default language for all texts, then the directory."""

    SERVICE_PROPERTIES = {RDF.type, DCT.identifier, DCT.title, DCT.description, DCT.abstract, ADMS.status,
                          CV.hasCompetentAuthority, DCT.audience, CV.isGroupedBy, CV.hasChannel, CV.contactPoint,
                          CV.hasCost, CV.processingTime, CPSV.hasInput, CV.holdsRequirement, CV.relatedService,
                          FOAF.page, CV.isClassifiedBy, DCT.modified, CV.hasLegalResource}

    def __init__(self, graph: Graph, source: Path, options: ImportOptions, logged: list[str]):
        self.g, self.options, self.source = graph, options, str(source)
        self.untagged = options.language or "en"
        self.imported = Imported(source=str(source))
        self.entries: list[tuple[str, dict[str, Any], Note]] = []
        self.fallback_names: dict[int, str] = {}  # id() of an entry -> the name it takes when it has none
        self.unknown_provider: str | None = None
        services = sorted(set(graph.subjects(RDF.type, CPSV.PublicService)), key=_natural)
        if not services:
            raise InterchangeError(f"{source}: no public service in it (nothing of class cpsv:PublicService)")
        named = [node for node in services if self._text(node, NAME_PREDICATES, None)]
        for node in services:
            if node not in named:  # nothing to list it by: not written
                self.imported.report.append(Note(f"service {self.short(node)}", str(node), dropped=[
                    ("the whole entry", "it has no name (dct:title), and a service without a name cannot be listed")],
                    warnings=["a public service without a name was not imported"]))
        if not named:
            raise InterchangeError(f"{source}: none of its {len(services)} public services has a name (dct:title), "
                                   f"so there is nothing to list")
        source_note = Note("source " + source.name, self.source)
        source_note.warnings += [f"while reading: {re.sub(r', Converter=.*', '', message)}" for message in logged]
        self.directory_note = Note("directory", self.source)
        self.region = self._region(self.directory_note, source)
        self.base_url = self._base_url(services)
        self.timezone = self._timezone(self.directory_note)
        self.provider_ids: set[str] = set()
        self.providers = self._providers()
        self.audiences: dict[Node, dict[str, Any]] = {}
        self.events = self._events()
        self.offices: dict[Node, dict[str, Any] | str] = {}
        self.office_contacts: set[Node] = set()
        taken: set[str] = set()
        self.service_ids = {node: self._ident(node, self._text(node, NAME_PREDICATES, None), taken) for node in named}
        for node in named:
            self._service(node)
        self._settle_languages()
        for field, kind in (("providers", "provider"), ("offices", "office"), ("audiences", "audience"),
                            ("life_events", "life event"), ("services", "service")):  # RDF has no order: by id
            setattr(self.imported, field, sorted((e for k, e, _ in self.entries if k == kind), key=lambda e: e["id"]))
        self.imported.report += [note for _, _, note in self.entries]
        if source_note.warnings or source_note.dropped:
            self.imported.report.append(source_note)

    # reading values
    def first(self, node: Node, predicate: URIRef) -> Node | None:
        values = sorted(self.g.objects(node, predicate), key=_natural)  # type: ignore[arg-type]
        return values[0] if values else None

    def literal(self, node: Node, predicate: URIRef) -> str | None:
        values = sorted(str(v) for v in self.g.objects(node, predicate) if isinstance(v, Literal))  # type: ignore[arg-type]
        return values[0].strip() if values and values[0].strip() else None

    def short(self, node: Node) -> str:
        text = node.n3(self.g.namespace_manager) if not isinstance(node, Literal) else repr(str(node))
        return text if len(text) <= 80 else text[:77] + "..."

    def _text(self, node: Node, predicates: tuple[URIRef, ...], note: Note | None, field: str = "text",
              skip: re.Pattern[str] | None = None) -> dict[str, str] | None:
        """A catalogue text from the first predicate that has literals: one per language; an untagged
        literal is in options.language (default en), and the note says so."""
        for predicate in predicates:
            found: dict[str, list[str]] = {}
            for obj in sorted(self.g.objects(node, predicate), key=str):  # type: ignore[arg-type]
                if not isinstance(obj, Literal) or not str(obj).strip() or (skip and skip.fullmatch(str(obj).strip())):
                    continue
                if obj.language:
                    language = _canonical_language(obj.language)
                    if not _LANGUAGE.fullmatch(language):
                        if note:
                            note.dropped.append((f"{field} in '{obj.language}'",
                                                 "not a language tag the catalogue accepts (such as en, zh-Hans, es-MX)"))
                        continue
                else:
                    language = self.untagged
                    if note and not any(w.startswith(f"{field}:") and "no language tag" in w for w in note.warnings):
                        note.warnings.append(f"{field}: a text with no language tag, taken as '{language}'")
                found.setdefault(language, [])
                if str(obj).strip() not in found[language]:
                    found[language].append(str(obj).replace("\r\n", "\n").strip())
            if found:
                for language, values in found.items():
                    if len(values) > 1 and note:
                        note.dropped += [(f"{field} in {language}: '{v[:60]}'", "a second text in the same language; the "
                                                                                 "first was kept") for v in values[1:]]
                return text_of({language: values[0] for language, values in found.items()}, None)
        return None

    def _ident(self, node: Node, name: dict[str, str] | None, taken: set[str], note: Note | None = None) -> str:
        """The catalogue id: dct:identifier when it is one, else made from it, the name or the IRI."""
        identifier = self.literal(node, DCT.identifier)
        if identifier and _ID.fullmatch(identifier) and len(identifier) <= 64 and identifier not in taken:
            taken.add(identifier)
            return identifier
        basis = identifier or (sorted(name.items(), key=lambda kv: (kv[0] != self.untagged, kv[0]))[0][1] if name
                               else unquote(re.split(r"[/#]", str(node).rstrip("/#"))[-1]))
        ident = slug(basis, taken)
        if note:
            note.warnings.append(f"id '{ident}' made from '{basis}'")
        return ident

    # the directory's settings that entries need first
    def _region(self, note: Note, source: Path) -> str:
        """--phone-region; else the one country the organisations' dct:spatial names, or the international
        numbers' one country, or --timezone's country. Without any, the import stops, as HSDS's does: a
        phone_region the source does not support would be invented, and every national number depends on it."""
        if self.options.phone_region:
            return self.options.phone_region.upper()
        regions = set()
        for place in self.g.objects(None, DCT.spatial):
            text = str(place)
            if text.startswith(AUTHORITY) and re.search(r"/(country|atu)/[A-Z]{2,3}$", text):
                region = _alpha2(text.rsplit("/", 1)[-1])
                if region:
                    regions.add(region)
        how = "the organisations' dct:spatial"
        if len(regions) != 1:
            regions, how = set(), "the international phone numbers"
            for number in self.g.objects(None, CV.telephone):
                value = str(number).removeprefix("tel:")
                if value.startswith("+"):
                    try:
                        region = phonenumbers.region_code_for_number(phonenumbers.parse(value, None))
                    except phonenumbers.NumberParseException:
                        continue
                    if region and region != "001":
                        regions.add(region)
        if len(regions) != 1 and self.options.timezone:
            territory = get_global("zone_territories").get(self.options.timezone)
            regions = {territory} if territory in phonenumbers.SUPPORTED_REGIONS else set()
            how = f"the country of --timezone {self.options.timezone}"
        if len(regions) == 1:
            region = regions.pop()
            note.warnings.append(f"phone_region {region}, from {how}; check it (--phone-region)")
            return region
        raise InterchangeError(f"{source}: cannot tell which country the phone numbers belong to (no organisation's "
                               f"dct:spatial names one country, the numbers written with +country code do not "
                               f"either): give the phone region, e.g. --phone-region BE")

    def _base_url(self, services: list[Node]) -> str | None:
        if self.options.base_url:
            return self.options.base_url.rstrip("/") + "/"
        found = {str(s).split("data/cpsv-ap/service/")[0] for s in services if "data/cpsv-ap/service/" in str(s)}
        base = found.pop() if len(found) == 1 else ""
        return base if _URL.fullmatch(base) else None  # this tool's own export: <base_url>data/cpsv-ap/...

    def _timezone(self, note: Note) -> str:
        if self.options.timezone:
            return self.options.timezone
        zones = get_global("territory_zones").get(self.region, [])
        if len(zones) == 1:
            note.warnings.append(f"timezone {zones[0]}, the only one of region {self.region}")
            return str(zones[0])
        how = f" ({self.region} has {len(zones)} time zones)" if zones else ""
        note.warnings.append(f"timezone is UTC, CPSV-AP does not say{how}: set the directory's time zone (--timezone)")
        return "UTC"

    # entries
    def _entry(self, kind: str, data: dict[str, Any], note: Note, node: Node | None = None) -> dict[str, Any]:
        self.entries.append((kind, data, note))
        if node is not None:
            self.fallback_names[id(data)] = self._fallback_name(node, data["id"])
        return data

    def _fallback_name(self, node: Node, ident: str) -> str:
        """What names an entry the source gives no name: its identifier, else its IRI's last segment."""
        for predicate in (DCT.identifier, SKOS.notation):
            found = self.literal(node, predicate)
            if found:
                return " ".join(found.split())
        segment = unquote(re.split(r"[/#]", str(node).rstrip("/#"))[-1]).strip() if isinstance(node, URIRef) else ""
        return segment or ident

    def _named_by_id(self, node: Node, ident: str, note: Note) -> dict[str, str]:
        name = self._fallback_name(node, ident)
        note.warnings.append(f"the source gives no name: it is named by its id, '{name}'; write its name")
        return {NEUTRAL: name}

    def _providers(self) -> dict[Node, dict[str, Any]]:
        nodes: set[Node] = set()
        for cls in (CV.PublicOrganisation, ORG.Organization, FOAF.Agent):
            nodes.update(self.g.subjects(RDF.type, cls))
        for predicate in (CV.hasCompetentAuthority, CV.ownedBy):
            nodes.update(self.g.objects(None, predicate))
        providers, taken = {}, self.provider_ids
        for node in sorted(nodes, key=_natural):
            note = Note("provider", str(node))
            name = self._text(node, (SKOS.prefLabel, DCT.title, FOAF.name, RDFS.label), note, "name")
            ident = self._ident(node, name, taken, note)
            note.entry = f"provider {ident}"
            data: dict[str, Any] = {"id": ident, "name": name or self._named_by_id(node, ident, note)}
            note.mapped += ["id", "name"]
            homepage = self.first(node, FOAF.homepage)
            if homepage is not None and _URL.fullmatch(str(homepage)):
                data["url"] = str(homepage)
                note.mapped.append("url")
            for contact in sorted(self.g.objects(node, CV.contactPoint), key=_natural):
                self._contact_fields(contact, data, note, ("phone", "email"))
            providers[node] = self._entry("provider", data, note, node)
        return providers

    def _contact_fields(self, contact: Node, data: dict[str, Any], note: Note, fields: tuple[str, ...]) -> None:
        if "phone" in fields and "phone" not in data:
            for number in sorted(self.g.objects(contact, CV.telephone), key=str):  # type: ignore[arg-type]
                printed = self._phone(str(number), note, "phone")
                if printed:
                    data["phone"] = printed
                    note.mapped.append("phone")
                    break
        if "email" in fields and "email" not in data:
            email = self.literal(contact, CV.email) or (str(self.first(contact, CV.email) or "") or None)
            if email:
                data["email"] = email.removeprefix("mailto:")
                note.mapped.append("email")

    def _phone(self, number: str, note: Note, field: str) -> str | None:
        value = number.strip().removeprefix("tel:")
        region = self.region
        if region and (printed := printed_phone(value, region)) and phone_ok(printed, region):
            return printed
        if region and phone_ok(value, region):
            return value
        if not region and value.startswith("+") and (printed := printed_phone(value, None)):
            return printed
        note.dropped.append((f"{field} '{number}'", f"not a valid phone number in region {region or '(unknown)'}"))
        return None

    def _audience(self, node: Node, note: Note) -> str | None:
        if node in self.audiences:
            return self.audiences[node]["id"] if self.audiences[node] else None
        audience_note = Note("audience", str(node))
        name = self._text(node, (SKOS.prefLabel, RDFS.label, DCT.title), audience_note, "name")
        notation = self.literal(node, SKOS.notation)
        taken = {a["id"] for a in self.audiences.values() if a}
        ident = notation if notation and _ID.fullmatch(notation) and notation not in taken else slug(
            sorted(name.items(), key=lambda kv: kv[0] != self.untagged)[0][1] if name
            else self._fallback_name(node, "audience"), taken, fallback="audience")
        audience_note.entry = f"audience {ident}"
        data: dict[str, Any] = {"id": ident, "name": name or self._named_by_id(node, ident, audience_note)}
        audience_note.mapped += ["id", "name"]
        description = self._text(node, (SKOS.definition, DCT.description), audience_note, "description")
        if description:
            data["description"] = description
            audience_note.mapped.append("description")
        self.audiences[node] = self._entry("audience", data, audience_note, node)
        return ident

    def _events(self) -> dict[Node, dict[str, Any]]:
        events, taken = {}, set()
        kinds = {CV.LifeEvent: "life", CV.BusinessEvent: "business"}
        nodes = set(self.g.subjects(RDF.type, CV.LifeEvent)) | set(self.g.subjects(RDF.type, CV.BusinessEvent))
        for node in sorted(nodes, key=_natural):
            note = Note("life event", str(node))
            found = {kinds[t] for t in self.g.objects(node, RDF.type) if t in kinds}
            name = self._text(node, (DCT.title, SKOS.prefLabel, RDFS.label), note, "name")
            ident = self._ident(node, name, taken, note)
            note.entry = f"life event {ident}"
            kind = "business" if found == {"business"} else "life"
            if len(found) > 1:
                note.warnings.append("both a life and a business event: kept as a life event")
            data: dict[str, Any] = {"id": ident, "kind": kind, "name": name or self._named_by_id(node, ident, note)}
            note.mapped += ["id", "kind", "name"]
            description = self._text(node, (DCT.description,), note, "description")
            if description:
                data["description"] = description
                note.mapped.append("description")
            events[node] = self._entry("life event", data, note, node)
        return events

    def _office(self, node: Node, service_provider: str | None, note: Note) -> str | None:
        """An office only when the place is real: a name, an address and a provider that runs it."""
        if node in self.offices:
            found = self.offices[node]
            return found["id"] if isinstance(found, dict) else None
        office_note = Note("office", str(node))
        name = self._text(node, (SKOS.prefLabel, DCT.title, RDFS.label, LOCN.geographicName), office_note, "name")
        address = self._address(node, office_note)
        runners = [self.providers[o]["id"] for o in self.g.subjects(ORG.hasSite, node) if o in self.providers]
        runners += [self.providers[o]["id"] for c in self.g.subjects(DCT.spatial, node)
                    for o in self.g.objects(c, CV.ownedBy) if o in self.providers]
        provider = sorted(runners)[0] if runners else service_provider
        missing = [what for what, value in (("name", name), ("address", address), ("provider", provider)) if not value]
        if missing:
            self.offices[node] = f"the place has no {' or '.join(missing)}, which an office needs"
            note.dropped.append((f"place {self.short(node)}", self.offices[node]))  # type: ignore[arg-type]
            return None
        taken = {o["id"] for o in self.offices.values() if isinstance(o, dict)}
        ident = self._ident(node, name, taken, office_note)
        office_note.entry = f"office {ident}"
        data: dict[str, Any] = {"id": ident, "provider": provider, "name": name, "address": address}
        office_note.mapped += ["id", "provider", "name", "address"]
        areas = [self.literal(a, DCT.identifier) or "" for a in sorted(self.g.objects(node, DCT.spatial), key=_natural)]
        area = next((a for a in areas if _ID.fullmatch(a)), None)
        if area:
            data["area"] = area
            office_note.mapped.append("area")
        geometry = self.literal(node, LOCN.geometry)
        point = re.fullmatch(r"(?:<[^>]*>\s*)?POINT\s*\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)", geometry or "", re.I)
        if point and -90 <= float(point[2]) <= 90 and -180 <= float(point[1]) <= 180:
            data["geo"] = {"lat": float(point[2]), "lon": float(point[1])}
            office_note.mapped.append("geo")
        contacts = sorted(self.g.objects(node, CV.contactPoint), key=_natural)
        self.office_contacts.update(contacts)
        for contact in contacts:
            self._contact_fields(contact, data, office_note, ("phone",))
        hours = self._periods(node, office_note, "hours")
        if not hours:
            for contact in contacts:
                hours = hours or self._periods(contact, office_note, "hours")
        if hours:
            data["hours"] = hours
            office_note.mapped.append("hours")
        else:
            office_note.warnings.append("no opening hours in the source")
        accessibility = self._text(node, (DCT.description,), office_note, "accessibility")
        if accessibility:
            data["accessibility"] = accessibility
            office_note.mapped.append("accessibility")
        self.offices[node] = self._entry("office", data, office_note, node)
        return ident

    def _address(self, node: Node, note: Note) -> dict[str, str] | None:
        for address in sorted(self.g.objects(node, LOCN.address), key=_natural):
            full = self._text(address, (LOCN.fullAddress,), note, "address")
            if full:
                return full
            parts = [" ".join(filter(None, (self.literal(address, LOCN.locatorDesignator),
                                             self.literal(address, LOCN.thoroughfare)))),
                     " ".join(filter(None, (self.literal(address, LOCN.postCode), self.literal(address, LOCN.postName)))),
                     self.literal(address, LOCN.adminUnitL2) or "", self.literal(address, LOCN.adminUnitL1) or ""]
            if parts[0]:
                note.warnings.append("address put together from its parts (street, post code, place)")
                return {NEUTRAL: ", ".join(p for p in parts if p)}
        return self._text(node, (LOCN.fullAddress,), note, "address")

    # opening hours
    def _periods(self, node: Node, note: Note, field: str) -> list[dict[str, Any]]:
        """cv:openingHours as catalogue periods, less the whole days cv:specialOpeningHoursSpecification closes."""
        slots: list[tuple[str, str, str, dict[str, str] | None]] = []
        for entity in sorted(self.g.objects(node, CV.openingHours), key=_natural):
            found = self._slots(entity)
            if isinstance(found, str):
                note.dropped.append((f"{field}: {self.short(entity)}", found))
                continue
            days, opens, closes, guessed = found
            if guessed:
                note.warnings.append(f"{field}: {self.short(entity)} runs from one day to another: read as every day "
                                     f"from {days[0]} to {days[-1]}, {opens}–{closes}")
            text = self._text(entity, (DCT.description,), note, f"{field} note")
            slots += [(day, opens, closes, text) for day in days]
        closed: set[str] = set()
        for entity in sorted(self.g.objects(node, CV.specialOpeningHoursSpecification), key=_natural):
            days = self._closed_days(entity)
            if isinstance(days, str):
                note.dropped.append((f"{field}: availability restriction {self.short(entity)}", days))
            else:
                closed.update(days)
        if closed and slots:
            notes = {json.dumps(s[3], sort_keys=True) for s in slots if s[3]}
            slots = [(d, o, c, None if notes else t) for d, o, c, t in slots if d not in closed]
            if notes:
                note.dropped.append((f"{field}: the descriptions of the opening hours",
                                     f"closed on {', '.join(sorted(closed, key=DAYS.index))} by an availability "
                                     f"restriction, so they may no longer be true"))
        periods: list[dict[str, Any]] = []
        index: dict[tuple[str, str, str], dict[str, Any]] = {}
        taken: dict[str, list[tuple[str, str]]] = {}
        for day, opens, closes, text in slots:
            if any(o < closes and opens < c for o, c in taken.get(day, [])):
                if (opens, closes) not in taken.get(day, []):
                    note.dropped.append((f"{field}: {day} {opens}–{closes}", "overlaps another period that day"))
                continue
            taken.setdefault(day, []).append((opens, closes))
            key = (opens, closes, json.dumps(text, sort_keys=True))
            if key not in index:
                index[key] = {"days": [], "opens": opens, "closes": closes} | ({"note": text} if text else {})
                periods.append(index[key])
            index[key]["days"].append(day)
        for period in periods:
            period["days"] = sorted(period["days"], key=DAYS.index)
        return periods

    def _when(self, entity: Node, edge: URIRef) -> tuple[str | None, tuple[int, int] | None]:
        instant = self.first(entity, edge)
        description = self.first(instant, TIME.inDateTime) if instant is not None else None
        if description is None:
            return None, None
        day = DAY_OF.get(self.first(description, TIME.dayOfWeek))  # type: ignore[arg-type]
        hour, minute = self.first(description, TIME.hour), self.first(description, TIME.minute)
        try:
            clock = (int(str(hour)), int(str(minute)) if minute is not None else 0) if hour is not None else None
        except ValueError:
            clock = None
        return day, clock

    def _slots(self, entity: Node) -> tuple[list[str], str, str, bool] | str:
        begin_day, begin = self._when(entity, TIME.hasBeginning)
        end_day, end = self._when(entity, TIME.hasEnd)
        if begin is None or end is None:
            return "no opening and closing time (time:hasBeginning and time:hasEnd with time:hour)"
        if not (0 <= begin[0] <= 23 and 0 <= begin[1] <= 59 and (0 <= end[0] <= 23 and 0 <= end[1] <= 59
                                                                 or end == (24, 0))):
            return "a time that is not on a 24-hour clock"
        opens, closes = _clock(*begin), _clock(*end)
        if closes <= opens:
            return f"closes ({closes}) before it opens ({opens})"
        if begin_day and end_day and begin_day != end_day:
            return self._day_range(begin_day, end_day), opens, closes, True
        if begin_day or end_day:
            return [begin_day or end_day], opens, closes, False  # type: ignore[list-item]
        if self.first(entity, CV.frequency) == FREQUENCY.DAILY:
            return list(DAYS), opens, closes, False
        return "no day of the week, and not daily"

    @staticmethod
    def _day_range(first: str, last: str) -> list[str]:
        start, end = DAYS.index(first), DAYS.index(last)
        return [DAYS[(start + k) % 7] for k in range((end - start) % 7 + 1)]

    def _closed_days(self, entity: Node) -> set[str] | str:
        begin_day, begin = self._when(entity, TIME.hasBeginning)
        end_day, end = self._when(entity, TIME.hasEnd)
        if begin is not None or end is not None or not begin_day:
            return "only restrictions of whole days of the week can be applied"
        return set(self._day_range(begin_day, end_day or begin_day))

    # services
    def _service(self, node: Node) -> None:
        ident = self.service_ids[node]
        note = Note(f"service {ident}", str(node))
        data: dict[str, Any] = {"id": ident}
        name = self._text(node, NAME_PREDICATES, note, "name")
        identifier = self.literal(node, DCT.identifier)
        if identifier != ident:
            note.warnings.append(f"id '{ident}' made from " + (f"dct:identifier '{identifier}'" if identifier
                                                                else "the name" if name else "the IRI"))
        data["status"] = self._status(node, note)
        data["provider"] = self._provider_of(node, note)
        audiences = [a for a in (self._audience(o, note) for o in sorted(self.g.objects(node, DCT.audience), key=_natural)) if a]
        data["audiences"] = list(dict.fromkeys(audiences))
        if not audiences:
            note.warnings.append("no audience (dct:audience): add the audiences it is for")
        events = set(self.g.objects(node, CV.isGroupedBy)) | set(self.g.subjects(CV.hasRelatedService, node))
        for event in sorted(events, key=_natural):
            if event not in self.events:
                note.dropped.append((f"event {self.short(event)}", "not a cv:LifeEvent or cv:BusinessEvent, so its kind "
                                                                  "is not known"))
        life_events = [self.events[e]["id"] for e in sorted(events, key=_natural) if e in self.events]
        if life_events:
            data["life_events"] = life_events
        assert name, "a service without a name is not read"
        data["name"] = name
        description, links = self._description(node, note)
        data["summary"] = self._summary(node, name, description, note)
        if description:
            data["description"] = description
        for field, predicate in (("eligibility", CV.holdsRequirement), ("documents", CPSV.hasInput)):
            items = self._item_list(node, predicate, note, field)
            if items:
                data[field] = items
        cost = self._cost(node, note)
        if cost:
            data["cost"] = cost
        duration = self._processing_time(node, note)
        if duration:
            data["processing_time"] = duration
        stage = self._online_stage(node, note)
        if stage:
            data["online_stage"] = stage
        data["channels"] = self._channels(node, data["provider"], note)
        links += self._links(node, note)
        if links:
            data["links"] = list({link["url"]: link for link in links}.values())
        related = [self.service_ids[r] for r in sorted(self.g.objects(node, CV.relatedService), key=_natural)
                   if r in self.service_ids and r != node]
        if related:
            data["related"] = list(dict.fromkeys(related))
        data["last_reviewed"] = self._last_reviewed(node, note)
        note.mapped += list(data)
        for predicate, obj in sorted(self.g.predicate_objects(node), key=lambda po: (str(po[0]), str(po[1]))):
            if predicate not in self.SERVICE_PROPERTIES:
                note.dropped.append((f"{self.short(predicate)} {self.short(obj)}", "no field for it in the catalogue"))
        self._entry("service", data, note)

    def _status(self, node: Node, note: Note) -> str:
        status = self.first(node, ADMS.status)
        if status is None:
            return "active"
        words = [str(status).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]]
        words += [str(v) for v in self.g.objects(status, SKOS.notation)] + [str(v) for v in self.g.objects(status, SKOS.prefLabel)]
        for word in (w.strip().lower() for w in words):
            if word in STATUSES:
                return word
            if word in ("deprecated", "inactive", "retired", "withdrawn", "discontinued"):
                note.warnings.append(f"status {self.short(status)} read as withdrawn")
                return "withdrawn"
        note.warnings.append(f"status {self.short(status)} not understood: active")
        return "active"

    def _provider_of(self, node: Node, note: Note) -> str:
        authorities = sorted((o for o in self.g.objects(node, CV.hasCompetentAuthority) if o in self.providers), key=_natural)
        owners = sorted({o for c in self.g.objects(node, CV.hasChannel) for o in self.g.objects(c, CV.ownedBy)
                         if o in self.providers}, key=_natural)
        if not authorities and len(owners) == 1:
            note.warnings.append("provider: the owner of its channels (it names no competent authority)")
            authorities = owners
        if not authorities:
            return self._unknown_provider(note)
        note.dropped += [(f"competent authority {self.short(a)}", "the catalogue has one provider per service")
                         for a in authorities[1:]]
        return str(self.providers[authorities[0]]["id"])

    def _unknown_provider(self, note: Note) -> str:
        """One provider named "Unknown provider" for every service that names no competent authority, as the
        HSDS import does: the services stay listed, and the warnings say to set the real one."""
        if self.unknown_provider is None:
            self.unknown_provider = slug("unknown provider", self.provider_ids)
            self._entry("provider", {"id": self.unknown_provider, "name": {NEUTRAL: UNKNOWN_PROVIDER}},
                        Note(f"provider {self.unknown_provider}", self.source, mapped=["id"], warnings=[
                            "made for the services whose competent authority the source does not give: set each "
                            "one's real provider, then delete this one"]))
        note.warnings.append(f"the source names no competent authority (cv:hasCompetentAuthority): the provider is "
                             f"'{self.unknown_provider}' ({UNKNOWN_PROVIDER}); set the real one")
        return self.unknown_provider

    def _description(self, node: Node, note: Note) -> tuple[dict[str, str] | None, list[dict[str, Any]]]:
        """The description; a description that is only a web address becomes a link."""
        links = []
        for obj in sorted(self.g.objects(node, DCT.description), key=str):  # type: ignore[arg-type]
            url = str(obj).strip()
            if (isinstance(obj, URIRef) or isinstance(obj, Literal)) and _URL.fullmatch(url):
                links.append({"title": {NEUTRAL: url}, "url": url})
                note.warnings.append(f"the description is only a web address: it became a link ({url})")
        if not any(isinstance(o, Literal) and not _URL.fullmatch(str(o).strip())
                   for o in self.g.objects(node, DCT.description)):
            return None, links
        return self._text(node, (DCT.description,), note, "description", skip=_URL), links

    def _summary(self, node: Node, name: dict[str, str], description: dict[str, str] | None,
                 note: Note) -> dict[str, str]:
        """Per language: dct:abstract; else the description's first sentence; else the name (as HSDS's import)."""
        abstract = self._text(node, (DCT.abstract,), note, "summary") or {}
        summary, made = {}, []
        for language in sorted(set(abstract) | set(description or {}) | set(name)):
            if language in abstract:
                summary[language] = abstract[language]
            elif description and language in description:
                summary[language] = first_sentence(description[language])
                made.append(f"{language} from the description's first sentence")
            else:
                summary[language] = name[language]
                made.append(f"{language} from the name")
        if made:
            note.warnings.append("summary: " + "; ".join(made))
        return summary

    def _item_list(self, node: Node, predicate: URIRef, note: Note, field: str) -> dict[str, list[str]] | None:
        items: dict[str, list[str]] = {}
        for item in sorted(self.g.objects(node, predicate), key=_natural):
            title = self._text(item, (DCT.title, SKOS.prefLabel, RDFS.label), note, field)
            if not title:
                note.dropped.append((f"{field}: {self.short(item)}", "it has no name (dct:title)"))
                continue
            for language, text in title.items():
                items.setdefault(language, []).append(text)
            if self.literal(item, DCT.description):
                note.dropped.append((f"{field}: the description of {self.short(item)}", "the catalogue lists names only"))
        return items or None

    def _cost(self, node: Node, note: Note) -> dict[str, Any] | None:
        costs = sorted(self.g.objects(node, CV.hasCost), key=_natural)
        if not costs:
            return None
        note.dropped += [(f"cost {self.short(c)}", "the catalogue has one cost per service") for c in costs[1:]]
        cost = costs[0]
        value = self.first(cost, CV.hasValue)
        text = self._text(cost, (DCT.description,), note, "cost note")
        try:
            amount = float(str(value)) if value is not None else None
        except ValueError:
            amount = None
        currency = self.first(cost, CV.currency)
        code = (self.literal(currency, SKOS.notation) or str(currency).rstrip("/").rsplit("/", 1)[-1]).upper() \
            if currency is not None else None
        result: dict[str, Any]
        if amount == 0:
            result = {"free": True}
        elif amount is not None and amount > 0 and code and is_currency(code):
            result = {"amount": int(amount) if amount.is_integer() else amount, "currency": code}
        else:
            why = ("no value (cv:hasValue)" if amount is None else "no known currency (cv:currency)" if amount > 0
                   else "a negative value")
            note.dropped.append((f"cost {self.short(cost)}" + (f" ({next(iter(text.values()))})" if text else ""), why))
            return None
        if text:
            result["note"] = text
        return result

    def _processing_time(self, node: Node, note: Note) -> str | None:
        value = self.first(node, CV.processingTime)
        if value is None:
            return None
        duration = catalogue_duration(str(value))
        if isinstance(value, Literal) and value.ill_typed:
            duration = None
        if not duration:
            note.dropped.append((f"processing time {self.short(value)}", "not an ISO 8601 duration the catalogue can "
                                                                          "hold (whole units, not negative)"))
        return duration

    def _online_stage(self, node: Node, note: Note) -> int | None:
        stage = None
        for concept in sorted(self.g.objects(node, CV.isClassifiedBy), key=_natural):
            match = re.search(r"/online-stage/([1-5])$", str(concept))
            if match and stage is None:
                stage = int(match[1])
            else:
                note.dropped.append((f"cv:isClassifiedBy {self.short(concept)}", "no field for it in the catalogue"))
        return stage

    def _links(self, node: Node, note: Note) -> list[dict[str, Any]]:
        links = []
        for predicate in (FOAF.page, CV.hasLegalResource):
            for page in sorted(self.g.objects(node, predicate), key=_natural):
                if not _URL.fullmatch(str(page)):
                    note.dropped.append((f"{self.short(predicate)} {self.short(page)}", "not a web address"))
                    continue
                title = self._text(page, (DCT.title, RDFS.label), note, "link title")
                if not title:
                    note.warnings.append(f"link {page}: no title in the source, its address is shown")
                links.append({"title": title or {NEUTRAL: str(page)}, "url": str(page)})
        return links

    def _last_reviewed(self, node: Node, note: Note) -> dt.date:
        today = today_in(self.timezone)
        value = self.first(node, DCT.modified)
        date = None
        if isinstance(value, Literal):
            python = value.toPython()
            if isinstance(python, dt.datetime):
                date = python.date()
            elif isinstance(python, dt.date):
                date = python
            else:
                try:
                    date = dt.date.fromisoformat(str(value)[:10])
                except ValueError:
                    date = None
        if date is None:
            note.warnings.append(f"last_reviewed: today ({today}); the source has no date (dct:modified)")
            return today
        if date > today:
            note.warnings.append(f"last_reviewed: dct:modified {date} is in the future; today ({today}) instead")
            return today
        return date

    # channels
    def _channels(self, node: Node, provider: str, note: Note) -> list[dict[str, Any]]:
        channels: list[dict[str, Any]] = []
        used: set[Node] = set()
        for k, channel in enumerate(sorted(self.g.objects(node, CV.hasChannel), key=_natural), 1):
            contacts = sorted(self.g.objects(channel, CV.contactPoint), key=_natural)
            used.update(contacts)
            data = self._channel(channel, contacts, provider, note)
            if data:
                channels.append(data)
        pool = [c for c in sorted(self.g.objects(node, CV.contactPoint), key=_natural)
                if c not in used and c not in self.office_contacts]
        for contact in pool:
            channels += self._contact_channels(contact, note)
        if not channels:
            note.warnings.append("no channel: the source gives no way to use the service (no cv:Channel or "
                                 "cv:ContactPoint with a phone, e-mail or web page); add one")
        return channels

    def _channel_type(self, channel: Node) -> str | None:
        code = self.first(channel, DCT.type)
        if code is None:
            return None
        words = [str(v) for v in self.g.objects(code, SKOS.notation)]
        words.append(str(code).rstrip("/").rsplit("/", 1)[-1])
        for word in words:
            if word in CHANNEL_TYPES:
                return word
        labels = " ".join(str(v).lower() for v in self.g.objects(code, SKOS.prefLabel))
        for pattern, kind in ((r"\be-?mail\b", "email"), (r"\bsms\b|text message", "sms"), (r"\bfax", "fax"),
                              (r"phone|telephone|call cent", "phone"), (r"\bapp\b", "mobile-app"),
                              (r"online|web|internet|portal", "online"), (r"office|counter|desk|in person|face",
                                                                         "office"), (r"\bpost|letter|mail", "post")):
            if re.search(pattern, labels):
                return kind
        return None

    def _channel(self, channel: Node, contacts: list[Node], provider: str, note: Note) -> dict[str, Any] | None:
        kind = self._channel_type(channel)
        where = f"channel {self.short(channel)}"
        facts = self._contact_facts(contacts, note, where)
        place = next((p for p in sorted(self.g.objects(channel, DCT.spatial), key=_natural)), None)
        office = self._office(place, self._owner(channel) or provider, note) if place is not None else None
        if kind is None:
            kind = next((k for k, field in (("online", "url"), ("phone", "phone"), ("email", "email"),
                                            ("sms", "number"), ("post", "address")) if field in facts), None)
            if kind is None and office:
                kind = "office"
            if kind is None:
                code = self.first(channel, DCT.type)
                note.dropped.append((where, f"its type {self.short(code) if code is not None else '(none)'} is not one "
                                            f"the catalogue knows, and it has no contact data to tell"))
                return None
            note.warnings.append(f"{where}: type '{kind}' read from its contact data")
        data: dict[str, Any] = {"type": kind}
        allowed = {"online": ("url",), "phone": ("phone",), "office": ("office",), "post": ("address",),
                   "email": ("email",), "sms": ("number", "keyword"), "village-agent": ("office", "phone"),
                   "kiosk": ("office",), "mobile-app": ("name", "url"), "tv": (), "radio": (), "fax": ("fax",),
                   "home-visit": ("phone",)}[kind]
        required = {"online": "url", "phone": "phone", "office": "office", "post": "address", "email": "email",
                    "sms": "number", "mobile-app": "name", "fax": "fax"}.get(kind)
        if kind == "fax" and "phone" in facts:
            facts["fax"] = facts.pop("phone")
        if office:
            facts["office"] = office
        name = self._text(channel, (DCT.title,), note, f"{where} name")
        if name:
            facts["name"] = name
        for field in allowed:
            if field in facts:
                data[field] = facts.pop(field)
        if required and required not in data:
            note.dropped.append((where, f"a '{kind}' channel needs {required}, which the source does not give"))
            return None
        for field, value in facts.items():
            note.dropped.append((f"{where}: {field} {value}", f"a '{kind}' channel has no {field}"))
        text = self._text(channel, (DCT.description,), note, f"{where} note")
        if text:
            data["note"] = text
        hours = self._periods(channel, note, f"{where} hours")
        for contact in contacts:
            hours = hours or self._periods(contact, note, f"{where} hours")
        office_entry = next((o for o in self.offices.values() if isinstance(o, dict) and o["id"] == office), None)
        if hours and not (office_entry and office_entry.get("hours") == hours):
            data["hours"] = hours
        return data

    def _owner(self, channel: Node) -> str | None:
        owner = self.first(channel, CV.ownedBy)
        return str(self.providers[owner]["id"]) if owner in self.providers else None

    def _contact_facts(self, contacts: list[Node], note: Note, where: str) -> dict[str, Any]:
        facts: dict[str, Any] = {}
        for contact in contacts:
            for page in sorted(self.g.objects(contact, CV.contactPage), key=str):  # type: ignore[arg-type]
                text = str(page)
                if text.startswith("sms:"):
                    number, _, query = text[4:].partition("?")
                    facts.setdefault("number", unquote(number.split(";")[0]))
                    body = parse_qs(query).get("body")
                    if body:
                        facts.setdefault("keyword", body[0])
                elif _URL.fullmatch(text):
                    facts.setdefault("url", text)
            if "number" not in facts:
                for number in sorted(self.g.objects(contact, CV.telephone), key=str):  # type: ignore[arg-type]
                    printed = self._phone(str(number), note, f"{where} phone")
                    if printed:
                        facts.setdefault("phone", printed)
            email = self.literal(contact, CV.email) or (str(self.first(contact, CV.email) or "") or None)
            if email:
                facts.setdefault("email", email.removeprefix("mailto:"))
            address = self._address(contact, note)
            if address:
                facts.setdefault("address", address)
        return facts

    def _contact_channels(self, contact: Node, note: Note) -> list[dict[str, Any]]:
        """Channels from a contact point with no cv:Channel: one per phone, e-mail, web page and SMS address."""
        where = f"contact point {self.short(contact)}"
        hours = self._periods(contact, note, f"{where} hours")
        channels = []
        for page in sorted(self.g.objects(contact, CV.contactPage), key=str):  # type: ignore[arg-type]
            text = str(page)
            if text.startswith("sms:"):
                number, _, query = text[4:].partition("?")
                facts = {"type": "sms", "number": unquote(number.split(";")[0])}
                if parse_qs(query).get("body"):
                    facts["keyword"] = parse_qs(query)["body"][0]
                channels.append(facts)
            elif _URL.fullmatch(text):
                channels.append({"type": "online", "url": text})
        if not any(c["type"] == "sms" for c in channels):
            for number in sorted(self.g.objects(contact, CV.telephone), key=str):  # type: ignore[arg-type]
                printed = self._phone(str(number), note, f"{where} phone")
                if printed:
                    channels.append({"type": "phone", "phone": printed})
        email = self.literal(contact, CV.email) or (str(self.first(contact, CV.email) or "") or None)
        if email:
            channels.append({"type": "email", "email": email.removeprefix("mailto:")})
        if self.first(contact, LOCN.address) is not None:
            note.dropped.append((f"{where}: its address", "a contact address is neither an office (no name) nor "
                                                          "surely where to post an application"))
        for channel in channels:
            if hours and channel["type"] != "online":
                channel["hours"] = hours
            note.warnings.append(f"channel '{channel['type']}' made from {where}")
        return channels

    # languages and the directory
    def _settle_languages(self) -> None:
        """One default language: the one in which the most services can be written whole (they need their name
        in it), then the most offices (their address), then the one most required texts have, then the one most
        texts have, then --language. Nothing is translated and no TODO is written: a service or an office
        without its required text in that language is not imported, a channel without its address or name is
        left out, a link is titled by its address, a provider, audience, life event or office without its name
        in it is named by its id; any other text without it is dropped. All reported."""
        required: dict[str, int] = {}
        every: dict[str, int] = {}
        whole: dict[tuple[str, str], int] = {}  # (kind, language): how many services, offices have what they need
        for kind, entry, _ in self.entries:
            for container, key, needed, _, _ in _text_slots(kind, entry):
                for language in container[key]:
                    if language != NEUTRAL:
                        every[language] = every.get(language, 0) + 1
                        if needed:
                            required[language] = required.get(language, 0) + 1
            key = {"service": "name", "office": "address"}.get(kind)
            for language in (entry[key] if key else ()):
                whole[kind, language] = whole.get((kind, language), 0) + 1
        preferred = self.options.language or "en"

        def rank(lang: str) -> tuple[int, int, int, int]:
            return (whole.get(("service", lang), 0), whole.get(("office", lang), 0), required.get(lang, 0),
                    every[lang])

        ranked = sorted(every, key=lambda lang: (tuple(-n for n in rank(lang)), lang != preferred, lang))
        default = ranked[0] if ranked else preferred
        reasons = ("the language the most services are named in", "the language the most offices' addresses are in",
                   "the language most required texts have", "the language most texts have")
        decided = next((k for k in range(4) if len(ranked) > 1 and rank(default)[k] != rank(ranked[1])[k]), None)
        if len(ranked) < 2:
            why = "the only language of the texts"
        elif decided is not None:
            why = reasons[decided]
        elif default == preferred:
            why = f"as --language says (the texts have {ranked[1]} as often)"
        else:
            why = f"first in the alphabet of the languages the texts have as often ({ranked[1]})"
        dropped: set[int] = set()  # id() of the services and offices not imported
        for kind, entry, note in self.entries:
            channels_out: list[dict[str, Any]] = []
            for container, key, needed, is_list, label in list(_text_slots(kind, entry)):
                text = container[key]
                if NEUTRAL in text:
                    neutral = text.pop(NEUTRAL)
                    text.setdefault(default, neutral)
                if default in text:
                    continue
                others = ", ".join(f"{lang}: {value if not is_list else '; '.join(value)}"[:120]
                                   for lang, value in text.items())
                missing = f"no {key} in {default}, the catalogue's default language (the source has {others})"
                if not needed:
                    del container[key]
                    if container is entry and key in note.mapped:
                        note.mapped.remove(key)
                    note.dropped.append((f"{label} ({others})", f"no text in {default}, the directory's default "
                                                                f"language, which every text needs"))
                elif container is entry and (kind, key) in (("service", "name"), ("service", "summary"),
                                                            ("office", "address")):
                    dropped.add(id(entry))  # what else it lacks no longer matters
                    note.mapped, note.dropped = [], [("the whole entry", missing)]
                    note.warnings = [f"not imported: {missing}"]
                    break
                elif container is entry and key == "name":  # provider, audience, life event, office
                    name = self.fallback_names.get(id(entry), entry["id"])
                    container[key] = {default: name, **text}
                    note.warnings.append(f"name: none in {default}, the default language (the source has {others}): "
                                         f"named by its id, '{name}'; write its name in {default}")
                elif label.startswith("link"):
                    container[key] = {default: container["url"], **text}
                    note.warnings.append(f"{label}: none in {default}, the default language (the source has "
                                         f"{others}): its address is shown")
                else:  # a channel's address or name
                    channels_out.append(container)
                    note.dropped.append((label.split(" (")[0] + f" ({container['type']})", missing))
            if channels_out:
                entry["channels"] = [c for c in entry["channels"] if all(c is not out for out in channels_out)]
                if not entry["channels"]:
                    note.warnings.append("no channel: none of its channels could be imported; add one")
        self._drop(dropped)
        languages = [default] + sorted({lang for kind, entry, _ in self.entries
                                        for container, key, _, _, _ in _text_slots(kind, entry)
                                        for lang in container[key] if lang != default},
                                       key=lambda lang: (-every.get(lang, 0), lang))
        for kind, entry, _ in self.entries:  # every text in the directory's order of languages, as editors write
            for container, key, _, _, _ in list(_text_slots(kind, entry)):
                container[key] = {lang: container[key][lang] for lang in languages if lang in container[key]}
        self._directory(default, languages, why)

    def _drop(self, dropped: set[int]) -> None:
        """Take out the services and offices not imported, and what points to them: a service's related
        services, a channel's office (an office channel goes with it, another keeps the office's hours)."""
        if not dropped:
            return
        gone = {(kind, entry["id"]) for kind, entry, _ in self.entries if id(entry) in dropped}
        offices = {entry["id"]: entry for kind, entry, _ in self.entries if kind == "office"}
        for kind, entry, note in self.entries:
            if id(entry) in dropped:
                self.imported.report.append(note)
                continue
            if kind != "service":
                continue
            if "related" in entry:
                entry["related"] = [r for r in entry["related"] if ("service", r) not in gone]
                if not entry["related"]:
                    del entry["related"]
            kept = []
            for k, channel in enumerate(entry["channels"], 1):
                office = channel.get("office")
                if office is None or ("office", office) not in gone:
                    kept.append(channel)
                elif channel["type"] == "office":
                    note.dropped.append((f"channel {k} (office)", f"its office '{office}' is not imported"))
                else:
                    del channel["office"]
                    if "hours" not in channel and offices[office].get("hours"):
                        channel["hours"] = offices[office]["hours"]
                    note.warnings.append(f"channel {k} ({channel['type']}): its office '{office}' is not imported")
            entry["channels"] = kept
            if not kept and "no channel" not in " ".join(note.warnings):
                note.warnings.append("no channel: none of its channels could be imported; add one")
        self.entries = [e for e in self.entries if id(e[1]) not in dropped]
        in_use = {entry["provider"] for kind, entry, _ in self.entries if kind == "service"}
        if self.unknown_provider and self.unknown_provider not in in_use:  # its services are not imported
            self.entries = [e for e in self.entries if not (e[0] == "provider" and e[1]["id"] == self.unknown_provider)]

    def _directory(self, default: str, languages: list[str], why: str) -> None:
        """directory.yml from the options, else from the source, else a value that builds, with a warning: the
        competent authority's name (else the file's), the export's own base URL (else a placeholder), UTC."""
        note = self.directory_note
        if self.options.name:
            name = {default: self.options.name}
        else:
            name = self._directory_name(default, note)
        if self.options.base_url or self.base_url:
            base_url = self.base_url
            if not self.options.base_url:
                note.warnings.append(f"base_url {base_url}, from the IRIs of the source (an export of servicedir); "
                                     f"check it (--base-url)")
        else:
            base_url = PLACEHOLDER_URL
            note.warnings.append(f"base_url is a placeholder, {PLACEHOLDER_URL}: set where the site is published "
                                 f"(--base-url)")
        directory: dict[str, Any] = {"name": name, "base_url": base_url, "languages": languages,
                                     "timezone": self.timezone, "phone_region": self.region,
                                     "feedback": {"url": base_url}}
        note.warnings.append("feedback: the directory's own address, as the source has none: give your feedback "
                             "form, e-mail or phone")
        note.mapped += list(directory)
        if len(languages) > 1:
            note.warnings.append(f"languages: {', '.join(languages)}; {default} is the default, {why}")
        self.imported.directory = directory
        self.imported.report.append(note)

    def _directory_name(self, default: str, note: Note) -> dict[str, str]:
        """The name of the competent authority of the most services (its own name, not one made from its id),
        else the source file's name."""
        count: dict[str, int] = {}
        for kind, entry, _ in self.entries:
            if kind == "service" and entry["provider"] != self.unknown_provider:
                count[entry["provider"]] = count.get(entry["provider"], 0) + 1
        providers = {entry["id"]: entry for kind, entry, note_ in self.entries if kind == "provider"
                     and not any(w.startswith(("the source gives no name", "name: none in")) for w in note_.warnings)}
        named = sorted((p for p in count if p in providers), key=lambda p: (-count[p], p))
        if named:
            provider = providers[named[0]]
            if len(count) > 1:
                note.warnings.append(f"name: the directory is named after '{provider['name'][default]}', the "
                                     f"competent authority of {count[named[0]]} of its {sum(count.values())} "
                                     f"services: give its name (--name)")
            else:
                note.warnings.append(f"name: the directory is named after its services' competent authority, "
                                     f"'{provider['name'][default]}': give its name (--name)")
            return dict(provider["name"])
        stem = Path(self.source).stem
        note.warnings.append(f"name: the source gives no competent authority's name in {default}: the directory is "
                             f"named after the file, '{stem}'; give its name (--name)")
        return {default: stem}


def _text_slots(kind: str, entry: dict[str, Any]) -> Iterator[tuple[dict[str, Any], str, bool, bool, str]]:
    """Every text of an entry: (the mapping holding it, its key, required?, a list of texts?, a label)."""
    def slot(container: dict[str, Any], key: str, required: bool, label: str,
             is_list: bool = False) -> Iterator[tuple[dict[str, Any], str, bool, bool, str]]:
        if isinstance(container.get(key), dict):
            yield container, key, required, is_list, label

    def hours(container: dict[str, Any], label: str) -> Iterator[tuple[dict[str, Any], str, bool, bool, str]]:
        for k, period in enumerate(container.get("hours", []), 1):
            yield from slot(period, "note", False, f"{label} hours {k} note")

    yield from slot(entry, "name", True, "name")
    if kind == "service":
        yield from slot(entry, "summary", True, "summary")
        yield from slot(entry, "description", False, "description")
        yield from slot(entry, "eligibility", False, "eligibility", True)
        yield from slot(entry, "documents", False, "documents", True)
        if isinstance(entry.get("cost"), dict):
            yield from slot(entry["cost"], "note", False, "cost note")
        for k, channel in enumerate(entry.get("channels", []), 1):
            label = f"channel {k} ({channel['type']})"
            yield from slot(channel, "note", False, f"{label} note")
            yield from slot(channel, "address", True, f"{label} address")
            yield from slot(channel, "name", True, f"{label} name")
            yield from hours(channel, label)
        for k, link in enumerate(entry.get("links", []), 1):
            yield from slot(link, "title", True, f"link {k} title")
    elif kind == "office":
        yield from slot(entry, "address", True, "address")
        yield from slot(entry, "accessibility", False, "accessibility")
        yield from hours(entry, "office")
    elif kind in ("audience", "life event"):
        yield from slot(entry, "description", False, "description")
