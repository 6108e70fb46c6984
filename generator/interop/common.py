"""Interchange, shared: what every importer returns, how it is written into a catalogue folder, stable ids."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
import unicodedata
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import phonenumbers
import yaml

from ..problems import Problem

# The catalogue's files, in the order they are written, with the schema each one names on its first line.
LIST_FILES = {"providers": "providers.yml", "offices": "offices.yml", "audiences": "audiences.yml",
              "life_events": "life-events.yml"}
SCHEMAS = {"directory.yml": "directory", "providers.yml": "providers", "offices.yml": "offices",
           "audiences.yml": "audiences", "life-events.yml": "life-events"}
OPTIONAL_LISTS = frozenset({"offices", "life_events"})  # absent means none (generator/validate.py OPTIONAL)
REPORT_MD, REPORT_JSON = "import-report.md", "import-report.json"
_ID_NAMESPACE = uuid.UUID("5b1f2d4e-9c0a-5e7b-8f31-2a6c0d9e4b17")  # servicedir's own: ids stable across exports


class InterchangeError(Exception):
    """A source that cannot be read or a catalogue that cannot be written: one sentence, with file:line:col
    when the place is known."""


@dataclass(frozen=True)
class ImportOptions:
    """What the source may not say, given on the command line; None means "take it from the source"."""

    language: str | None = None  # the language of texts without a language tag
    phone_region: str | None = None  # ISO 3166 region of numbers written without a country code
    base_url: str | None = None
    timezone: str | None = None
    name: str | None = None  # the directory's name


@dataclass
class Note:
    """One entry of the import report: where it came from, what was mapped and what was dropped, and why."""

    entry: str  # "service birth-registration", "office town-hall"
    source: str  # the record's id or IRI, or the cell ("services.xlsx:Sheet1!A14")
    mapped: list[str] = field(default_factory=list)  # the catalogue fields filled
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (what in the source, why it was not mapped)
    warnings: list[str] = field(default_factory=list)  # what an editor should look at (also shown by validate)


@dataclass
class Imported:
    """A catalogue as plain data, shaped as its YAML files, ready to write; with the report of the import."""

    directory: dict[str, Any] = field(default_factory=dict)
    providers: list[dict[str, Any]] = field(default_factory=list)
    offices: list[dict[str, Any]] = field(default_factory=list)
    audiences: list[dict[str, Any]] = field(default_factory=list)
    life_events: list[dict[str, Any]] = field(default_factory=list)
    services: list[dict[str, Any]] = field(default_factory=list)
    report: list[Note] = field(default_factory=list)
    source: str = ""  # what was imported, as named in the report


# ids ------------------------------------------------------------------------------------------------
def stable_uuid(kind: str, ident: str, scope: str = "") -> str:
    """The same UUID for the same entry in every export: derived from the kind, the catalogue id and the
    directory's base URL (two directories' "register-birth" differ)."""
    return str(uuid.uuid5(_ID_NAMESPACE, f"{scope}|{kind}|{ident}"))


def slug(text: str, taken: set[str] | None = None, fallback: str = "entry") -> str:
    """A catalogue id from a name: lower-case ASCII words joined by hyphens (Chinese by its pinyin), unique
    among `taken` (which it extends): "Register a Birth" -> register-a-birth, 出生登记 -> chu-sheng-deng-ji."""
    if re.search(r"[\u3400-\u9fff]", text):
        from pypinyin import lazy_pinyin

        text = " ".join(lazy_pinyin(text))
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    base = "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))[:60].strip("-") or fallback
    ident, n = base, 2
    while taken is not None and ident in taken:
        ident, n = f"{base}-{n}", n + 1
    if taken is not None:
        taken.add(ident)
    return ident


# values ---------------------------------------------------------------------------------------------
def _valid(number: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return None
    return parsed if phonenumbers.is_valid_number(parsed) else None


def e164(number: str, region: str | None) -> str | None:
    """+CC… for a number as printed in `region` (neither standard records a region); None for an invalid
    number, and for a short number such as 12345, which is dialled only inside its country."""
    parsed = _valid(number, region)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) if parsed else None


def printed_phone(number: str, region: str | None) -> str | None:
    """A number as the catalogue writes it: national form in the directory's region, else international."""
    parsed = _valid(number, region)
    if parsed is None:
        return None
    same = region and phonenumbers.region_code_for_number(parsed) == region.upper()
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL if same
                                      else phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def iri(url: str) -> str:
    """A web address as RDF and URI checkers accept it: characters outside RFC 3986 (quotes, <, >, spaces,
    braces) percent-encoded, what is already encoded kept. The catalogue's schema allows any https:// text."""
    from urllib.parse import quote

    return quote(url, safe=":/?#[]@!$&'()*+,;=%~-._")


def text_of(value: Any, language: str | None) -> dict[str, str] | None:
    """A catalogue text ({lang: text}) from a string in `language`, or from a {lang: text} mapping."""
    if isinstance(value, dict):
        out = {str(k): " ".join(str(v).split()) if "\n" not in str(v) else str(v).strip() for k, v in value.items()
               if isinstance(v, (str, int, float)) and str(v).strip()}
        return out or None
    if isinstance(value, str) and value.strip() and language:
        return {language: value.strip()}
    return None


# writing --------------------------------------------------------------------------------------------
class _Dumper(yaml.SafeDumper):
    """Block style for entries, {en: …} on one line for short texts, `|-` for texts of several lines, clock
    times always quoted ("08:30"), lists of short ids on one line ([mon, tue]); never an alias (&id001)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else '"' if re.fullmatch(r"\d{1,2}:\d{2}", value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    ids = bool(value) and all(isinstance(v, str) and re.fullmatch(r"[a-z0-9-]{1,40}", v) for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=ids or not value)


def _represent_dict(dumper: yaml.SafeDumper, value: dict[str, Any]) -> yaml.MappingNode:
    short_text = all(isinstance(v, str) and "\n" not in v for v in value.values()) and \
        sum(len(k) + len(v) for k, v in value.items()) <= 80 and all(re.fullmatch(r"[a-zA-Z]{2,3}(-[A-Za-z0-9]+)*", k)
                                                                   for k in value)
    return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=short_text)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(dt.date, lambda d, v: d.represent_scalar("tag:yaml.org,2002:timestamp", v.isoformat()))


def dump(data: Any, schema: str, depth: int = 0) -> str:
    """YAML for a catalogue file, its first line naming its schema (editors' IDEs then check it)."""
    header = f"# yaml-language-server: $schema={'../' * depth}../generator/schemas/{schema}.schema.json\n"
    return header + yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110,
                              default_flow_style=False)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temporary, 0o666 & ~_umask())  # as any file the editor saves, not mkstemp's 0600
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _existing(path: Path) -> dict[str, Any]:
    """The entries of a list file by id ({} when there is no file)."""
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise InterchangeError(f"{path}: cannot add to this file, it is not valid YAML ({error.problem}); "
                               f"run `servicedir validate` and fix it first") from None
    return {str(e["id"]): e for e in data or [] if isinstance(e, dict) and "id" in e} if isinstance(data, list) else {}


def _same(existing: Any, imported: Any) -> bool:
    """The same data, whatever YAML made of dates and numbers (a date read back is a date, written it was text)."""
    return json.dumps(existing, sort_keys=True, default=str) == json.dumps(imported, sort_keys=True, default=str)


def write(imported: Imported, catalog: Path) -> list[str]:
    """Write the import into `catalog`: a new catalogue, or new entries added to an existing one. An entry
    whose id exists is never replaced (the editor may have changed it): it is kept and reported. Returns the
    summary lines; writes import-report.md and import-report.json beside the catalogue's files."""
    catalog.mkdir(parents=True, exist_ok=True)
    summary: list[str] = []
    directory = catalog / "directory.yml"
    if directory.exists():
        summary.append(f"{directory}: kept as it is (the catalogue exists; its settings are the editor's)")
    else:
        logo = (imported.directory.get("publisher") or {}).get("logo")
        if logo and not (catalog / logo).is_file():  # a file no spreadsheet or registry carries
            del imported.directory["publisher"]["logo"]
            imported.report.append(Note("directory", imported.source, dropped=[(
                f"publisher logo {logo}", f"no such file in {catalog}: copy the logo there and add "
                                          f"`logo: {logo}` under `publisher` in directory.yml")]))
        _write_atomically(directory, dump(imported.directory, SCHEMAS["directory.yml"]))
        summary.append(f"{directory}: written")
    for kind, name in LIST_FILES.items():
        entries: list[dict[str, Any]] = getattr(imported, kind)
        path = catalog / name
        taken = _existing(path)
        new = [e for e in entries if e["id"] not in taken]
        for entry in entries:
            if entry["id"] in taken and _same(taken[entry["id"]], entry):
                continue  # the catalogue already says exactly this: nothing to report
            if entry["id"] in taken:
                imported.report.append(Note(f"{kind.rstrip('s').replace('_', ' ')} {entry['id']}", imported.source,
                                            dropped=[("the whole entry", f"{name} already has id '{entry['id']}'; "
                                                      f"the catalogue's entry is kept, not replaced")]))
        if not new and (path.exists() or kind in OPTIONAL_LISTS):
            continue  # no file holding only [] for what the directory does not have
        if path.exists():
            existing = path.read_text(encoding="utf-8")
            body = yaml.dump(new, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110)
            _write_atomically(path, existing + ("" if existing.endswith("\n") else "\n") + body)
        else:
            _write_atomically(path, dump(new, SCHEMAS[name]))
        summary.append(f"{path}: {len(new)} {'entry' if len(new) == 1 else 'entries'} added")
    written = kept = 0
    for service in imported.services:
        path = catalog / "services" / f"{service['id']}.yml"
        if path.exists():
            try:
                if _same(yaml.safe_load(path.read_text(encoding="utf-8")), service):
                    continue  # the same entry imported again: nothing to report
            except yaml.YAMLError:
                pass
            kept += 1
            imported.report.append(Note(f"service {service['id']}", imported.source, dropped=[
                ("the whole entry", f"{path} exists; the catalogue's entry is kept, not replaced (delete the file "
                                    f"and import again to take the source's)")]))
            continue
        _write_atomically(path, dump(service, "service", depth=1))
        written += 1
    summary.append(f"{catalog / 'services'}: {written} services written" + (f", {kept} kept as they were" if kept else ""))
    _write_report(imported, catalog)
    summary.append(f"{catalog / REPORT_MD}: what was mapped and dropped, entry by entry")
    return summary


def _write_report(imported: Imported, catalog: Path) -> None:
    notes = sorted(imported.report, key=lambda n: (n.entry.split(" ")[0], n.entry))
    _write_atomically(catalog / REPORT_JSON, json.dumps(
        {"source": imported.source, "entries": [{"entry": n.entry, "source": n.source, "mapped": n.mapped,
                                                 "dropped": [{"what": w, "why": y} for w, y in n.dropped],
                                                 "warnings": n.warnings} for n in notes]},
        ensure_ascii=False, indent=2) + "\n")
    lines = [f"# Import report", "", f"Source: {imported.source}", "",
             f"{len(notes)} entries; {sum(bool(n.dropped) for n in notes)} with something not imported; "
             f"{sum(bool(n.warnings) for n in notes)} with something to check.", ""]
    for note in notes:
        lines += [f"## {note.entry}", "", f"- From: {note.source}"]
        if note.mapped:
            lines.append(f"- Mapped: {', '.join(note.mapped)}")
        lines += [f"- Not imported: {what} — {why}" for what, why in note.dropped]
        lines += [f"- Check: {warning}" for warning in note.warnings]
        lines.append("")
    _write_atomically(catalog / REPORT_MD, "\n".join(lines))


def problems_of(imported: Imported) -> list[Problem]:
    """The report's warnings as problems of the source, for the command's output."""
    return [Problem(imported.source, 1, 1, "warning", f"{note.entry}: {warning}")
            for note in imported.report for warning in note.warnings]
