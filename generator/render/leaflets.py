"""Render stage, print: one leaflet per service and language (A5, clear print, QR code) as tagged PDF."""
from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any, Callable, NamedTuple

from .. import qr
from ..model import Catalogue, Service
from ..i18n import Phrase
from ..present import OFFLINE_CHANNELS, Words, contact_phone
from ..problems import Problem
from ..write import Staging
from . import Options, direction, environment, lang_path, pdfs
from .noticeboard import key_fact as _board_fact  # cheap: the noticeboards' module does not import WeasyPrint

SIDES = 2  # a leaflet is one sheet of paper, printed on both sides
# Body text sizes (pt). A leaflet is printed at 14 pt, or larger (up to 16) while it still fits one sheet, to
# use the room its back has; or smaller (down to 12, clear print's least) when it needs to. Large print: the
# same, a third larger (18.5 pt, from 16 to 21.5).
SIZES = (12.0, 13.0, 14.0, 15.0, 16.0)
LARGE_SIZES = (16.0, 17.5, 18.5, 20.0, 21.5)
BASE = 2  # SIZES[BASE]: 14 pt
# A page after the first that holds fewer lines of text than this is nearly blank: about a quarter of what an A5
# page holds at 14 pt (31 lines). Better to print larger and fill it, or smaller and do without it.
FEW_LINES = 8


def leaflet_path(lang: str, service_id: str) -> str:
    return f"leaflets/{lang_path(lang)}/{service_id}.pdf"


def qr_url(catalogue: Catalogue, lang: str, service_id: str) -> str:
    return catalogue.directory.base_url + qr.short_path(lang, service_id)


def _unbroken(phone: str, lang: str) -> str:
    """A phone number never breaks across lines on paper; in a right-to-left language it is a left-to-right
    isolate (U+2066…U+2069), or the bidi algorithm would print its groups in reverse (0001 8120 0579)."""
    phone = phone.replace(" ", "\u00a0")
    return f"\u2066{phone}\u2069" if direction(lang) == "rtl" else phone


def _bracketed(lang: str, note: str) -> str:
    """A note in brackets after a number: in Chinese full-width brackets with no space before them (GB/T 15834),
    "0579 8230 1000（卧床或行动不便的老人…）", not "0579 8230 1000 (卧床…)"."""
    return "（" + note + "）" if lang.startswith("zh") else " (" + note + ")"  # a Phrase keeps its language


def ways(catalogue: Catalogue, service: Service, w: Words) -> list[dict[str, Any]]:
    """Every offline way to use the service, in the catalogue's order; online ones are the QR code's job.
    Channels at one office share one entry (its name and address once, then each way with its hours)."""
    if not service.channels:  # the catalogue says none yet: whom to ask instead
        return [{"label": "", "text": w.ask(service, "channels"), "lines": []}]
    out: list[dict[str, Any]] = []
    at_office: dict[str, dict[str, Any]] = {}
    said: set[str] = set()  # a note shared by several ways (three village agents, say) is printed once
    for c in service.channels:
        if c.type not in OFFLINE_CHANNELS:
            continue
        note = [w.text(c.note)] if c.note and w.text(c.note) not in said else []
        said.update(note)
        if c.office:
            if c.office not in at_office:
                office = catalogue.by_id["offices"][c.office]
                at_office[c.office] = {"label": w.text(office.name), "text": w.text(office.address), "lines": []}
                out.append(at_office[c.office])
            hours = w.pgettext("list separator", "; ").join(w.hours_at(c))
            at_office[c.office]["lines"] += [w.channel(c.type) + w.pgettext("after a label", ": ") + hours if hours
                                             else w.channel(c.type)] + note
            continue
        text, lines = "", w.hours(c.hours)
        if c.phone or c.fax:
            text = _unbroken(w.phone(c.phone or c.fax).shown, w.lang) + (_bracketed(w.lang, note.pop()) if note else "")
        elif c.address:
            text = w.text(c.address)
        elif c.type == "sms":
            text = w._("Text {keyword} to {number}").format(keyword=c.keyword, number=c.number) if c.keyword else c.number or ""
        if not text and note:
            text = note.pop()
        out.append({"label": w.channel(c.type), "text": text,
                    "lines": ([w.pgettext("list separator", "; ").join(lines)] if lines else []) + note})
    if not out:  # online only: where to go online (the QR code leads there too), and help for those who are not
        out = [{"label": w.channel(c.type), "text": c.url or w.text(c.note), "lines": []} for c in service.channels
               if c.url or c.note]
        out.append({"label": "", "text": w.online_only_notice(service), "lines": []})
    return out


def paragraphs(w: Words, service: Service) -> list[str]:
    """The description's paragraphs (the key facts: amounts, who pays, what is not needed), each still marked
    with its language when the text falls back to the default language."""
    text = w.text(service.description)
    lang = text.lang if isinstance(text, Phrase) else None
    return [Phrase(p.strip(), lang) if lang else p.strip() for p in str(text).split("\n\n") if p.strip()]


class Fact(NamedTuple):
    """The description's key fact, in the paragraph that holds it (numbered from 1): the text before it in that
    paragraph, the fact as written, the text after it. A leaflet that must shorten its description keeps it."""

    paragraph: int
    before: str
    text: str
    after: str


def key_fact(w: Words, service: Service) -> str:
    """The description's key fact, picked as the noticeboards pick theirs (noticeboard.key_fact): its first
    sentence with a figure (an amount, an age, a period) that the leaflet's headline, the service's name and
    summary, does not give: "In 2026 the county's allowance level is 1,180 yuan per person per month." A sentence
    that points back ("In 2026 it is …") comes with the sentence before it. None ("") when that sentence is longer
    than three lines of a notice or has a phone number, or the description is not translated."""
    return _board_fact(w, service, " ".join([w.text(service.name), w.text(service.summary)]))


# Sentences and clauses, as the noticeboards split them (noticeboard.key_fact)
_SENTENCE = re.compile(r"(?<=[。！？])|(?<=[.!?])\s+(?=\S)")
_CLAUSE = re.compile(r"[，,；;]\s*")


def fact_in(description: list[str], fact: str) -> Fact | None:
    """Where the key fact is in the description's paragraphs: as written (spaces between its sentences aside), or,
    when the noticeboards shortened it to its clauses with a figure the notice did not give, the whole sentence
    holding those clauses (a leaflet gives the sentence as written)."""
    if not fact:
        return None
    pattern = re.compile(r"\s+".join(re.escape(part) for part in fact.split()))
    for number, paragraph in enumerate(description, 1):
        found = pattern.search(paragraph)
        if found:
            return Fact(number, paragraph[:found.start()], found.group(0), paragraph[found.end():])
    clauses = [clause for clause in _CLAUSE.split(fact.strip().rstrip("。！？.!?")) if clause]
    for number, paragraph in enumerate(description, 1):
        starts = [0, *(m.end() for m in _SENTENCE.finditer(paragraph))]
        ends = [*(m.start() for m in _SENTENCE.finditer(paragraph)), len(paragraph)]
        for start, end in zip(starts, ends):
            if clauses and all(clause in paragraph[start:end] for clause in clauses):
                return Fact(number, paragraph[:start], paragraph[start:end], paragraph[end:])
    return None


def described(w: Words, service: Service) -> tuple[list[str], Fact | None]:
    """The description's paragraphs and where its key fact is."""
    description = paragraphs(w, service)
    return description, fact_in(description, key_fact(w, service))


def short(items: list[str]) -> bool:
    """Whether a list is short enough to be kept on one page of a booklet: about 8 lines or fewer at 14 pt on A5
    (44 columns: a Chinese character counts two)."""
    lines = sum(-(-sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in part) // 44)
                for item in items for part in str(item).split("\n"))
    return lines <= 8


def service_view(catalogue: Catalogue, service: Service, w: Words) -> dict[str, Any]:
    """What a printed service shows, in one language (the templates' contract)."""
    url = qr_url(catalogue, w.lang, service.id)
    name = w.text(service.name)
    code = qr.make(url, title=str(w._("QR code linking to the web page")) + ": " + name)
    feedback = catalogue.directory.feedback.get("phone")
    phone = contact_phone(catalogue, service)  # the number to act on, on the front beside the code
    listed = {field: w.listed(service, field) for field in ("eligibility", "documents", "steps")}
    found = ways(catalogue, service, w)
    description, fact = described(w, service)
    return {
        "id": service.id, "name": name, "summary": w.text(service.summary), "description": description,
        "fact": fact,  # the paragraph holding the key fact is printed in parts: a shortened leaflet keeps the fact
        "phone": _unbroken(w.phone(phone).shown, w.lang) if phone else "",
        **listed, "cost": w.cost(service), "time": w.time(service), "deadline": w.text(service.deadline),
        "ways": found, "short": {**{field: short(items) for field, items in listed.items()},
                                 "ways": short(["\n".join([way["label"] + way["text"], *way["lines"]]) for way in found])},
        "qr_svg": code.svg, "qr_url": url,  # printed in two parts, a line break allowed between (a long address)
        "qr_site": catalogue.directory.base_url, "qr_path": url.removeprefix(catalogue.directory.base_url),
        "feedback_phone": _unbroken(w.phone(feedback).shown, w.lang) if feedback else "",
        "reviewed": w.date(service.last_reviewed), "reviewed_iso": service.last_reviewed.isoformat(),
    }


def context(catalogue: Catalogue, service: Service, lang: str, large: bool) -> dict[str, Any]:
    w = Words(catalogue, lang)
    return {**w.jinja(), "lang": lang, "dir": direction(lang), "large": large,
            "directory_name": w.text(catalogue.directory.name),
            "s": service_view(catalogue, service, w)}


def compose(catalogue: Catalogue, item: tuple[str, str], options: Options) -> pdfs.Page:
    lang, sid = item
    view = context(catalogue, catalogue.by_id["services"][sid], lang, options.large_print)
    html = environment("print", html=True).get_template("leaflet.html").render(**view)
    ways_to_lay = layouts(options, view["s"]["description"], view["s"]["fact"])
    return pdfs.Page(leaflet_path(lang, sid), html, paper_css(options),
                     tuple(layout.css for layout in ways_to_lay), functools.partial(choose, len(ways_to_lay)))


class Layout(NamedTuple):
    """One way to lay a leaflet out: its body text size, and the description's paragraphs it leaves out
    (numbered from 1; the web page has them, and the leaflet says so). The paragraph holding the key fact
    (`kept`) is never left out whole: leaving it out leaves out the rest of it, and its key fact stays."""

    size: float
    left_out: tuple[int, ...] = ()
    kept: int = 0
    loose: bool = False  # a page may end with a list's heading and its first item (leaflet.css keeps two)

    @property
    def css(self) -> str:
        css = f"body, body.large {{ font-size: {self.size:g}pt; }}"
        if self.loose:
            css += " li:first-child { break-after: auto; }"
        if self.left_out:
            css += "".join(f" .about > .p{n} > .rest {{ display: none; }}" if n == self.kept
                           else f" .about > .p{n} {{ display: none; }}" for n in self.left_out)
            css += " .about > .more { display: block; }"
        return css

    def notice(self, paragraphs: int) -> str:
        """What the build says of a layout that leaves part of the description out ("" for one that does not)."""
        whole = [n for n in self.left_out if n != self.kept]
        of_all = f" of the description's {paragraphs}"
        parts = [f"paragraph{'s' if len(whole) > 1 else ''} {', '.join(map(str, whole))}{of_all}"] if whole else []
        if self.kept in self.left_out:
            parts.append(f"paragraph {self.kept}{'' if whole else of_all} but for its key fact,")
        return (f"leaves out {', and '.join(parts)} to fit one sheet at {self.size:g} pt (the web page has them, and the "
                f"leaflet says so)") if parts else ""


def layouts(options: Options, description: list[str], fact: Fact | None = None) -> list[Layout]:
    """Every layout a leaflet may have: each size with everything (SIZES in order), then, at the smallest size,
    the description one paragraph shorter at a time. Its figures (amounts, ages, dates, counts: what a reader
    acts on) stay longest: paragraphs without a digit go first, the last of them first, then those with one.
    The key fact stays whatever is left out: the paragraph holding it goes in its turn (by what the rest of it
    says), but for the fact. Text is never left out to keep a list's first two items with its heading: at the
    smallest size, each length of the description is tried with them kept together, then without."""
    sizes = LARGE_SIZES if options.large_print else SIZES
    kept = fact.paragraph if fact else 0
    numbered = [(n, fact.before + fact.after if n == kept and fact else text) for n, text in enumerate(description, 1)]
    numbered = [(n, text) for n, text in numbered if text.strip()]  # a paragraph that is all key fact stays whole
    order = ([n for n, text in reversed(numbered) if not any(ch.isdigit() for ch in text)]
             + [n for n, text in reversed(numbered) if any(ch.isdigit() for ch in text)])
    shorter = [Layout(sizes[0], tuple(sorted(order[:count])), kept) for count in range(1, len(order) + 1)]
    return ([Layout(size) for size in sizes] + [Layout(sizes[0], loose=True)]
            + [layout._replace(loose=loose) for layout in shorter for loose in (False, True)])


def choose(count: int, measure: Callable[[int], list[int]]) -> int:
    """Which of a leaflet's `count` layouts (numbered as layouts() lists them) to print. Everything at the largest
    size from 16 pt down to 14 pt that fits one sheet with a back worth printing; if it does not fit at 14 pt, at
    13 or 12 pt; if not even at 12 pt, with the longest description that fits (its key fact always), a page
    allowed to end with a list's heading and first item where that keeps more of it. A back that would be nearly
    blank is avoided by a larger or a smaller size, never by leaving text out (the build notes a back that stays
    nearly blank); a leaflet that does not fit one sheet even without its description is printed so, and the build
    warns. Layouts are measured only as needed: each costs a rendering."""
    def within(number: int) -> bool:
        return len(measure(number)) <= SIDES

    def good(number: int) -> bool:
        return fits(measure(number))

    sizes = len(SIZES)
    # Text runs about (size / 14)² times as long as at 14 pt: a size that cannot fit one sheet by that estimate is
    # not laid out.
    at_base = measure(BASE)
    pages = sum(at_base) / max(*at_base, 1)
    plausible = [number for number in range(sizes) if pages * (SIZES[number] / SIZES[BASE]) ** 2 <= SIDES * 1.1]
    if within(BASE):
        larger = [number for number in range(sizes - 1, BASE, -1) if number in plausible]
        return next((number for number in [*larger, BASE] if good(number)),
                    next((number for number in range(BASE - 1, -1, -1) if good(number)), BASE))
    smaller = [number for number in range(BASE - 1, -1, -1) if number in plausible or number == 0]
    first = next((number for number in smaller if within(number)), None)
    if first is not None:
        return next((number for number in range(first, -1, -1) if good(number)), first)
    return next((number for number in range(sizes, count) if within(number)), count - 1)


def fits(lines: list[int]) -> bool:
    """One sheet printed on both sides, and no nearly blank page."""
    return len(lines) <= SIDES and not short_pages(lines)


def short_pages(lines: list[int]) -> list[int]:
    """The pages (numbered from 1) after the first that hold only a few lines of text."""
    return [number for number, count in enumerate(lines, 1) if number > 1 and count < FEW_LINES]


def paper_css(options: Options) -> str:
    return f"@page {{ size: {options.paper.upper()}; }}" if options.paper != "a5" else ""


def render(catalogue: Catalogue, stage: Staging, options: Options) -> list[Problem]:
    """print/leaflets/<lang>/<id>.pdf (the site publishes them too when it is built)."""
    items = [(lang, s.id) for s in catalogue.services if s.status != "withdrawn" for lang in catalogue.directory.languages]
    problems: list[Problem] = []
    for made in pdfs.render("leaflets", compose, catalogue, items, stage, options, "leaflet.css"):
        lang = next(lang for lang in catalogue.directory.languages if lang_path(lang) == made.path.split("/")[1])
        service = catalogue.by_id["services"][made.path.rsplit("/", 1)[1][:-4]]
        where = f"{catalogue.root}/{service.source}"
        messages = list(made.warnings)
        if made.pages > SIDES:
            messages.append(f"runs to {made.pages} pages, more than one sheet printed on both sides; shorten "
                            f"its texts (description, steps, notes, hours) or print it with --paper a4")
        problems += [Problem(where, 1, 1, "warning", f"leaflet print/{made.path}: {m}") for m in messages]
        if made.pages > SIDES:
            continue
        notices = [f"page {number} holds only {made.lines[number - 1]} lines of text"
                   for number in short_pages(made.lines)]
        description, fact = described(Words(catalogue, lang), service)
        left_out = layouts(options, description, fact)[made.variant].notice(len(description))
        notices += [left_out] if left_out else []
        problems += [Problem(where, 1, 1, "notice", f"leaflet print/{made.path}: {m}") for m in notices]
    return problems
