"""Model stage: frozen dataclasses built from validated data; the only contract templates rely on."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

Text = dict[str, str]
TextList = dict[str, list[str]]


@dataclass(frozen=True)
class Hours:
    """One opening period on some days, e.g. mon–fri 08:30–12:00."""

    days: tuple[str, ...]
    opens: str
    closes: str
    note: Text | None = None


@dataclass(frozen=True)
class Channel:
    """One way to use a service; which fields are set depends on `type`."""

    type: str
    note: Text | None = None
    hours: tuple[Hours, ...] = ()
    url: str | None = None
    phone: str | None = None
    office: str | None = None
    address: Text | None = None
    email: str | None = None
    number: str | None = None
    keyword: str | None = None
    name: Text | None = None
    fax: str | None = None


@dataclass(frozen=True)
class Link:
    title: Text
    url: str


@dataclass(frozen=True)
class Cost:
    """Free, or an amount in a currency."""

    free: bool = False
    amount: float | None = None
    currency: str | None = None
    note: Text | None = None


@dataclass(frozen=True)
class Audience:
    id: str
    name: Text
    description: Text | None = None


@dataclass(frozen=True)
class JourneyStep:
    title: Text
    services: tuple[str, ...]


@dataclass(frozen=True)
class LifeEvent:
    id: str
    kind: str
    name: Text
    description: Text | None
    steps: tuple[JourneyStep, ...] = ()


@dataclass(frozen=True)
class Provider:
    id: str
    name: Text
    url: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Office:
    id: str
    provider: str
    name: Text
    address: Text
    area: str | None  # recommended: None for an office on no area noticeboard
    hours: tuple[Hours, ...]  # recommended: () when the catalogue does not say (outputs say whom to ask)
    geo: tuple[float, float] | None = None
    phone: str | None = None
    accessibility: Text | None = None


@dataclass(frozen=True)
class Service:
    """One public service, in the order every page and leaflet presents it."""

    id: str
    source: str
    status: str
    provider: str
    audiences: tuple[str, ...]
    life_events: tuple[str, ...]
    name: Text
    summary: Text
    channels: tuple[Channel, ...]
    last_reviewed: dt.date
    # recommended: None when the catalogue does not say (every output then says something useful instead)
    description: Text | None = None
    eligibility: TextList | None = None
    documents: TextList | None = None
    steps: TextList | None = None
    cost: Cost | None = None
    processing_time: str | None = None
    processing_days: str | None = None  # "working" or "calendar" (the default)
    online_stage: int | None = None
    deadline: Text | None = None
    links: tuple[Link, ...] = ()
    related: tuple[str, ...] = ()
    radio: Text | None = None  # optional texts written for one medium, in place of the rules' choices
    sms: Text | None = None


@dataclass(frozen=True)
class Publisher:
    """Who publishes the directory, as the site shows it: footer, logo and colours."""

    name: Text
    copyright: Text | None = None
    logo: str | None = None  # a file in the catalogue folder, relative to it
    colors: dict[str, str] | None = None  # "primary", "accent": "#rrggbb"


@dataclass(frozen=True)
class Directory:
    name: Text
    base_url: str
    languages: tuple[str, ...]
    timezone: str
    phone_region: str
    feedback: dict[str, str]
    sms_signature: Text | None = None
    repository: dict[str, str] | None = None
    publisher: "Publisher | None" = None
    help_point: Text | None = None  # the local place people go for help: 便民服务站, community centre…

    @property
    def default_language(self) -> str:
        return self.languages[0]


@dataclass(frozen=True)
class Catalogue:
    """Everything the renderers get: the whole catalogue, gathered before anything is written."""

    directory: Directory
    audiences: tuple[Audience, ...]
    life_events: tuple[LifeEvent, ...]
    providers: tuple[Provider, ...]
    offices: tuple[Office, ...]
    services: tuple[Service, ...]
    root: str = "catalog"  # the catalogue folder as the user named it, for messages about its files
    by_id: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        """Index every entry by id, kind by kind (derived: also right after dataclasses.replace)."""
        for kind in ("audiences", "life_events", "providers", "offices", "services"):
            self.by_id[kind] = {item.id: item for item in getattr(self, kind)}

    def hours_of(self, channel: Channel) -> tuple[Hours, ...]:
        """A way's opening hours: its own, else its office's (a village agent keeps the point's hours)."""
        return channel.hours or (self.by_id["offices"][channel.office].hours if channel.office else ())


def _hours(items: list[dict[str, Any]] | None) -> tuple[Hours, ...]:
    return tuple(Hours(tuple(h["days"]), h["opens"], h["closes"], h.get("note")) for h in items or ())


def build(directory: dict[str, Any], lists: dict[str, list[dict[str, Any]]],
          services: list[tuple[str, dict[str, Any]]], root: str = "catalog") -> Catalogue:
    """Turn validated plain data into the model. `services` pairs each service with its source path."""
    return Catalogue(
        directory=Directory(
            name=directory["name"], base_url=directory["base_url"].rstrip("/") + "/",
            languages=tuple(directory["languages"]), timezone=directory["timezone"],
            phone_region=directory["phone_region"], feedback=dict(directory["feedback"]),
            sms_signature=directory.get("sms_signature"), repository=directory.get("repository"),
            publisher=Publisher(directory["publisher"]["name"], directory["publisher"].get("copyright"),
                                directory["publisher"].get("logo"), directory["publisher"].get("colors"))
            if directory.get("publisher") else None,
            help_point=directory.get("help_point")),
        audiences=tuple(Audience(a["id"], a["name"], a.get("description")) for a in lists["audiences"]),
        life_events=tuple(
            LifeEvent(e["id"], e["kind"], e["name"], e.get("description"),
                      tuple(JourneyStep(s["title"], tuple(s["services"])) for s in e.get("steps", ())))
            for e in lists["life-events"]),
        providers=tuple(Provider(p["id"], p["name"], p.get("url"), p.get("phone"), p.get("email"))
                        for p in lists["providers"]),
        offices=tuple(
            Office(o["id"], o["provider"], o["name"], o["address"], o.get("area"), _hours(o.get("hours", [])),
                   (o["geo"]["lat"], o["geo"]["lon"]) if "geo" in o else None, o.get("phone"), o.get("accessibility"))
            for o in lists.get("offices", ())),
        services=tuple(sorted((_service(source, s) for source, s in services), key=lambda s: s.id)),
        root=root,
    )


def _service(source: str, s: dict[str, Any]) -> Service:
    cost = s.get("cost")
    return Service(
        id=s["id"], source=source, status=s["status"], provider=s["provider"],
        audiences=tuple(s["audiences"]), life_events=tuple(s.get("life_events", ())),
        name=s["name"], summary=s["summary"], description=s.get("description"),
        eligibility=s.get("eligibility"), documents=s.get("documents"), steps=s.get("steps"),
        cost=Cost(bool(cost.get("free")), cost.get("amount"), cost.get("currency"), cost.get("note")) if cost else None,
        processing_time=s.get("processing_time"), processing_days=s.get("processing_days"),
        online_stage=s.get("online_stage"), radio=s.get("radio"), sms=s.get("sms"),
        channels=tuple(Channel(**{**c, "hours": _hours(c.get("hours"))}) for c in s["channels"]),
        last_reviewed=dt.date.fromisoformat(s["last_reviewed"]),
        deadline=s.get("deadline"),
        links=tuple(Link(link["title"], link["url"]) for link in s.get("links", ())),
        related=tuple(s.get("related", ())),
    )
