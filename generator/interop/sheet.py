"""Interchange, spreadsheets: the catalogue as one XLSX workbook or a folder of CSV files, and back again."""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import difflib
import io
import json
import os
import re
import tempfile
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..loader import Document, load, shown_path
from .common import LIST_FILES, Imported, ImportOptions, InterchangeError, Note

# What the schemas allow, read from them so that the columns and the checks follow the catalogue format.
_SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"


def _schema(kind: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((_SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
    return schema


_SERVICE, _COMMON = _schema("service"), _schema("common")["$defs"]
STATUSES: tuple[str, ...] = tuple(_SERVICE["properties"]["status"]["enum"])
CHANNEL_TYPES: tuple[str, ...] = tuple(_SERVICE["$defs"]["channel"]["properties"]["type"]["enum"])
# channel type -> (the fields it requires, the fields it allows)
CHANNEL_FIELDS: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {
    branch["if"]["properties"]["type"]["const"]: (tuple(branch["then"].get("required", ())),
                                                  frozenset(branch["then"]["propertyNames"]["enum"]))
    for branch in _SERVICE["$defs"]["channel"]["allOf"]}
EVENT_KINDS: tuple[str, ...] = tuple(_schema("life-events")["items"]["properties"]["kind"]["enum"])
REQUIRABLE: tuple[str, ...] = tuple(_schema("directory")["properties"]["require"]["items"]["enum"])
DAYS: tuple[str, ...] = tuple(_COMMON["hours"]["items"]["properties"]["days"]["items"]["enum"])
_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DURATION = re.compile(_SERVICE["properties"]["processing_time"]["pattern"])
_LANGUAGE = re.compile(_COMMON["language"]["pattern"])
_ID = re.compile(_COMMON["id"]["pattern"])
_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\Z")
_TIME = re.compile(r"([0-9]{1,2})[:.]([0-9]{2})\Z")
_PERIOD = re.compile(r"(?P<days>.*?)\s*(?P<opens>[0-9]{1,2}[:.][0-9]{2})\s*[-–—]\s*"
                     r"(?P<closes>[0-9]{1,2}[:.][0-9]{2})\s*(?:\[(?P<note>.*)\])?", re.S)
_TAGGED = re.compile(r"([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*)\s*:\s*(.+)", re.S)
_SPLIT = re.compile(r"[\s,;]+")  # between ids, language codes and choices in one cell
_CSV_FORMULA = re.compile(r"'*[=@\t\r]")  # what a spreadsheet program would run as a formula, escaped with '
_FIXED_TIME = dt.datetime(2000, 1, 1)  # the workbook's created/modified: two exports give the same bytes
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
EMPTY_LIST = "[]"  # a list cell holding only this is an empty list
MAX_ERRORS = 50  # listed in one import error; the rest are counted
XLSX_CELL_MAX = 32767  # characters in one cell


# The format: sheets and their columns --------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """One field of an entry. `text` and `texts` (a list of texts) have one column per language: name.en."""

    path: str  # "name", "cost.amount": the field in the YAML, dotted
    # text texts str id ids phone choice choices languages date number stage true duration currency hours
    kind: str = "str"
    required: bool = False
    choices: tuple[str, ...] = ()

    @property
    def per_language(self) -> bool:
        return self.kind in ("text", "texts")


@dataclass(frozen=True)
class Sheet:
    """One sheet of the workbook (one CSV file): one entry per row. A sheet with a `parent` holds parts of
    the entries of another sheet (channels of services), one per row, the parent's id in the first column."""

    name: str
    entry: str  # "service": as messages and the import report name one row
    columns: tuple[Column, ...]
    parent: str | None = None

    def headers(self, languages: list[str]) -> list[tuple[str, Column, str | None]]:
        """(header, column, language) of each column, texts once per language: name.zh-Hans, name.en."""
        return [item for c in self.columns for item in
                ([(f"{c.path}.{lang}", c, lang) for lang in languages] if c.per_language else [(c.path, c, None)])]


C = Column
SERVICES = Sheet("services", "service", (
    C("id", "id", True), C("status", "choice", True, STATUSES), C("provider", "id", True), C("audiences", "ids", True),
    C("life_events", "ids"), C("name", "text", True), C("summary", "text", True), C("radio", "text"), C("sms", "text"),
    C("description", "text"),
    C("eligibility", "texts"), C("documents", "texts"), C("steps", "texts"), C("cost.free", "true"),
    C("cost.amount", "number"), C("cost.currency", "currency"), C("cost.note", "text"),
    C("processing_time", "duration"), C("processing_days", "choice", False, ("calendar", "working")), C("deadline", "text"), C("online_stage", "stage"), C("related", "ids"),
    C("last_reviewed", "date", True)))
CHANNELS = Sheet("channels", "channel", (
    C("service", "id", True), C("type", "choice", True, CHANNEL_TYPES), C("url"), C("phone", "phone"),
    C("office", "id"), C("email"), C("number", "phone"), C("keyword"), C("fax", "phone"), C("address", "text"),
    C("name", "text"), C("note", "text"), C("hours", "hours")), parent="service")
LINKS = Sheet("links", "link", (C("service", "id", True), C("title", "text", True), C("url", "str", True)),
              parent="service")
PROVIDERS = Sheet("providers", "provider", (
    C("id", "id", True), C("name", "text", True), C("url"), C("phone", "phone"), C("email")))
OFFICES = Sheet("offices", "office", (
    C("id", "id", True), C("provider", "id", True), C("name", "text", True), C("address", "text", True),
    C("area", "id", True), C("geo.lat", "number"), C("geo.lon", "number"), C("phone", "phone"),
    C("hours", "hours", True), C("accessibility", "text")))
AUDIENCES = Sheet("audiences", "audience", (C("id", "id", True), C("name", "text", True), C("description", "text")))
LIFE_EVENTS = Sheet("life-events", "life event", (
    C("id", "id", True), C("kind", "choice", True, EVENT_KINDS), C("name", "text", True), C("description", "text")))
LIFE_EVENT_STEPS = Sheet("life-event-steps", "journey step", (
    C("life_event", "id", True), C("title", "text", True), C("services", "ids", True)), parent="life_event")
DIRECTORY = Sheet("directory", "directory", (
    C("name", "text", True), C("base_url", "str", True), C("languages", "languages", True),
    C("timezone", "str", True), C("phone_region", "str", True), C("sms_signature", "text"),
    C("feedback.phone", "phone"), C("feedback.email"), C("feedback.url"), C("publisher.name", "text"),
    C("publisher.copyright", "text"), C("publisher.logo"), C("publisher.colors.primary"),
    C("publisher.colors.accent"), C("help_point", "text"), C("require", "choices", False, REQUIRABLE),
    C("repository.url"), C("repository.edit_url")))
SHEETS: tuple[Sheet, ...] = (SERVICES, CHANNELS, LINKS, PROVIDERS, OFFICES, AUDIENCES, LIFE_EVENTS,
                             LIFE_EVENT_STEPS, DIRECTORY)
_BY_NAME = {sheet.name: sheet for sheet in SHEETS}
_LIST_SHEETS = {"providers": PROVIDERS, "offices": OFFICES, "audiences": AUDIENCES, "life_events": LIFE_EVENTS}
# A service's fields in the order the catalogue writes them: channels and links come before related.
_SERVICE_KEYS = list(dict.fromkeys(c.path.split(".")[0] for c in SERVICES.columns))
_SERVICE_KEYS[_SERVICE_KEYS.index("related"):_SERVICE_KEYS.index("related")] = ["channels", "links"]


def _letter(index: int) -> str:
    """The spreadsheet name of the column at `index` (from 0): A, B, …, Z, AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


# Export ---------------------------------------------------------------------------------------------
@dataclass
class _Catalogue:
    """A catalogue's files as the loader read them."""

    directory: Document
    lists: dict[str, Document]
    services: list[Document]

    @property
    def languages(self) -> list[str]:
        languages = self.directory.data.get("languages")
        if not isinstance(languages, list) or not languages or not all(isinstance(x, str) for x in languages):
            raise InterchangeError(f"{_at(self.directory, ('languages',))}: the directory's languages decide the "
                                   f"spreadsheet's columns, and they are not a list of language codes; fix "
                                   f"directory.yml first (servicedir validate)")
        return languages


def _at(doc: Document, location: Iterable[str | int]) -> str:
    line, col = doc.where(tuple(location))
    return f"{doc.shown}:{line}:{col}"


def _load(path: Path, kind: type, optional: bool = False) -> Document:
    doc, problems = load(path, optional=optional)
    errors = [p for p in problems if p.level == "error"]
    if doc is None or errors:
        first = errors[0]
        raise InterchangeError(f"{first.path}:{first.line}:{first.col}: {first.message}; fix it first "
                               f"(servicedir validate)")
    if not isinstance(doc.data, kind) or (kind is list and not all(isinstance(e, dict) for e in doc.data)):
        what = "a list of entries" if kind is list else "a mapping of fields"
        raise InterchangeError(f"{doc.shown}:1:1: the file should hold {what}; fix it first (servicedir validate)")
    return doc


def _read_catalogue(catalog: Path, services: bool = True) -> _Catalogue:
    if not (catalog / "directory.yml").is_file():
        raise InterchangeError(f"{shown_path(catalog)}: not a catalogue folder (it has no directory.yml)")
    directory = _load(catalog / "directory.yml", dict)
    lists = {kind: _load(catalog / name, list, optional=True) for kind, name in LIST_FILES.items()}
    folder = catalog / "services"
    paths = sorted(p for p in folder.glob("*.yml") if not p.name.startswith(".")) \
        if services and folder.is_dir() else []
    return _Catalogue(directory, lists, [_load(p, dict) for p in paths])


def export(catalog: Path, out: Path, fmt: str) -> list[Path]:
    """Write the catalogue as a spreadsheet: fmt "xlsx", one workbook (`out`, or out/services.xlsx when `out`
    is a folder); fmt "csv", a folder `out` of one CSV file per sheet. A catalogue without services gives the
    template: the header rows only, with a column per language of its directory. Returns the files written."""
    fmt = fmt.lower()
    if fmt not in ("csv", "xlsx"):
        raise InterchangeError(f"cannot write a spreadsheet as '{fmt}'; use csv or xlsx")
    source = _read_catalogue(catalog)
    languages = source.languages
    tables = [(sheet, [h for h, _, _ in sheet.headers(languages)], rows)
              for sheet, rows in _export_rows(source, languages).items()]
    if fmt == "xlsx":
        path = out if out.suffix.lower() == ".xlsx" else out / "services.xlsx"
        _write_bytes(path, _xlsx(tables, languages))
        return [path]
    if out.exists() and not out.is_dir():
        raise InterchangeError(f"{shown_path(out)}: CSV files are written into a folder, and this is a file; "
                               f"name a folder")
    written = []
    for sheet, headers, rows in tables:
        path = out / f"{sheet.name}.csv"
        _write_bytes(path, _csv(headers, rows))
        written.append(path)
    return written


def _export_rows(source: _Catalogue, languages: list[str]) -> dict[Sheet, list[list[Any]]]:
    rows: dict[Sheet, list[list[Any]]] = {sheet: [] for sheet in SHEETS}
    if not source.services:  # the template: header rows only
        return rows
    for doc in source.services:
        service = doc.data
        rows[SERVICES].append(_flatten(doc, (), service, SERVICES, languages, nested=("channels", "links")))
        for kind, sheet in (("channels", CHANNELS), ("links", LINKS)):
            for i, part in enumerate(_parts(doc, service, kind)):
                rows[sheet].append(_flatten(doc, (kind, i), part, sheet, languages, parent=service.get("id")))
    for kind, sheet in _LIST_SHEETS.items():
        doc = source.lists[kind]
        for i, entry in enumerate(doc.data):
            rows[sheet].append(_flatten(doc, (i,), entry, sheet, languages,
                                        nested=("steps",) if sheet is LIFE_EVENTS else ()))
            if sheet is LIFE_EVENTS:
                for j, step in enumerate(_parts(doc, entry, "steps", (i,))):
                    rows[LIFE_EVENT_STEPS].append(_flatten(doc, (i, "steps", j), step, LIFE_EVENT_STEPS, languages,
                                                           parent=entry.get("id")))
    rows[DIRECTORY].append(_flatten(source.directory, (), source.directory.data, DIRECTORY, languages))
    return rows


def _parts(doc: Document, entry: dict[str, Any], key: str,
           location: tuple[str | int, ...] = ()) -> list[dict[str, Any]]:
    parts = entry.get(key) or []
    if not isinstance(parts, list) or not all(isinstance(p, dict) for p in parts):
        raise InterchangeError(f"{_at(doc, location + (key,))}: '{key}' should be a list of entries; fix it first "
                               f"(servicedir validate)")
    return parts


def _flatten(doc: Document, location: tuple[str | int, ...], entry: dict[str, Any], sheet: Sheet,
             languages: list[str], *, parent: Any = None, nested: tuple[str, ...] = ()) -> list[Any]:
    """One row: the entry's values in the sheet's columns, or an error at the field that has no column."""
    paths = {c.path for c in sheet.columns if c.path != sheet.parent}

    def cover(value: dict[str, Any], prefix: str, where: tuple[str | int, ...]) -> None:
        for key in value:
            path = f"{prefix}{key}"
            if path in paths or (not prefix and key in nested):
                continue
            if any(p.startswith(path + ".") for p in paths) and isinstance(value[key], dict):
                cover(value[key], path + ".", where + (key,))
                continue
            raise InterchangeError(f"{_at(doc, where + (key,))}: the field '{path}' has no column in the spreadsheet; "
                                   f"fix the entry first (servicedir validate)")

    cover(entry, "", location)
    row: list[Any] = []
    for column in sheet.columns:
        if column.path == sheet.parent:
            row.append(parent)
            continue
        value, where = entry, location
        for part in column.path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
            where += (part,)
        if not column.per_language:
            row.append(_cell_out(value, column, doc, where, languages))
            continue
        if value is not None and not isinstance(value, dict):
            raise InterchangeError(f"{_at(doc, where)}: '{column.path}' should be a text per language "
                                   f"({languages[0]}: …); fix it first (servicedir validate)")
        value = value or {}
        for lang in value:
            if lang not in languages:
                raise InterchangeError(f"{_at(doc, where + (lang,))}: '{lang}' is not one of the directory's "
                                       f"languages ({', '.join(languages)}), so it has no column; fix it first")
        row += [_cell_out(value.get(lang), column, doc, where + (lang,), languages) for lang in languages]
    return row


def _cell_out(value: Any, column: Column, doc: Document, where: tuple[str | int, ...], languages: list[str]) -> Any:
    """A YAML value as a cell holds it: text, a number, true, a date; lists one item per line."""
    if value is None:
        return None
    kind = column.kind
    if kind in ("texts", "ids", "choices", "languages"):
        if not isinstance(value, list):
            raise InterchangeError(f"{_at(doc, where)}: '{column.path}' should be a list; fix it first "
                                   f"(servicedir validate)")
        if not value:
            return EMPTY_LIST  # an empty cell leaves the field out; this keeps `life_events: []`
        items = [_scalar(item) for item in value]
        for i, item in enumerate(items):
            if "\n" in item:
                raise InterchangeError(f"{_at(doc, where + (i,))}: a list item with a line break cannot be written "
                                       f"in a cell, which holds one item per line; join its lines")
        return "\n".join(items)
    if kind == "hours":
        return _format_hours(value, doc, where, languages)
    if kind == "date" and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value  # written as it is; the import says what is wrong with it
    if kind in ("number", "stage") and isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if kind == "true" and value is True:
        return True
    return _scalar(value)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _format_days(days: list[str]) -> str:
    """mon-fri for three or more days in a row of the week, else the days joined by commas: sat,sun."""
    parts, i = [], 0
    while i < len(days):
        j = i
        while j + 1 < len(days) and days[j] in DAYS and days[j + 1] in DAYS and \
                DAYS.index(days[j + 1]) == DAYS.index(days[j]) + 1:
            j += 1
        if j - i >= 2:
            parts.append(f"{days[i]}-{days[j]}")
            i = j + 1
        else:
            parts.append(days[i])
            i += 1
    return ",".join(parts)


def _format_hours(hours: Any, doc: Document, where: tuple[str | int, ...], languages: list[str]) -> str:
    """Opening hours in the compact form: `mon-fri 08:30-12:00; sat 09:00-12:00 [en: Saturday: …]`."""
    if not isinstance(hours, list):
        raise InterchangeError(f"{_at(doc, where)}: 'hours' should be a list of periods; fix it first")
    periods = []
    for i, period in enumerate(hours):
        here = where + (i,)
        if not isinstance(period, dict) or not isinstance(period.get("days"), list) or \
                not all(isinstance(d, str) and d in DAYS for d in period["days"]) or \
                set(period) - {"days", "opens", "closes", "note"}:
            raise InterchangeError(f"{_at(doc, here)}: this period of opening hours cannot be written in the compact "
                                   f"form (days, opens, closes and a note); fix it first (servicedir validate)")
        text = f"{_format_days(period['days'])} {_scalar(period.get('opens'))}-{_scalar(period.get('closes'))}"
        note = period.get("note")
        if note is not None:
            if not isinstance(note, dict) or \
                    not all(lang in languages and isinstance(t, str) for lang, t in note.items()):
                raise InterchangeError(f"{_at(doc, here + ('note',))}: the note should be a text in the directory's "
                                       f"languages; fix it first (servicedir validate)")
            for lang, words in note.items():
                if any(mark in words for mark in ("[", "]", "|", "\n")):
                    raise InterchangeError(f"{_at(doc, here + ('note', lang))}: a note of opening hours cannot hold "
                                           f"'[', ']', '|' or a line break in a spreadsheet; reword it")
            text += " [" + " | ".join(f"{lang}: {note[lang]}" for lang in languages if lang in note) + "]"
        periods.append(text)
    return "; ".join(periods)


def _write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as any file the user writes, not mkstemp's 0600
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _csv(headers: list[str], rows: list[list[Any]]) -> bytes:
    """UTF-8 with a byte-order mark (Excel needs it to read anything but ASCII), CRLF between records."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else _csv_text(v.isoformat() if isinstance(v, dt.date) else _scalar(v))
                         for v in row])
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


def _csv_text(text: str) -> str:
    """A text that a spreadsheet program would run as a formula (=…, @…) gets a leading ' (read back off)."""
    return "'" + text if _CSV_FORMULA.match(text) else text


_WIDTHS = {"text": 40, "texts": 50, "hours": 44, "ids": 26, "id": 26, "date": 13, "choices": 20, "languages": 12}
_WRAPPED = frozenset({"text", "texts", "ids", "hours", "choices", "languages"})


def _xlsx(tables: list[tuple[Sheet, list[str], list[list[Any]]]], languages: list[str]) -> bytes:
    """The workbook, byte for byte the same for the same catalogue (fixed times in the file and the archive)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils.exceptions import IllegalCharacterError
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.writer.excel import ExcelWriter

    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.creator = "servicedir"
    workbook.properties.created = workbook.properties.modified = _FIXED_TIME
    bold, grey = Font(bold=True), PatternFill("solid", fgColor="DDDDDD")
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for sheet, headers, rows in tables:
        sheet_ws = workbook.create_sheet(sheet.name)
        columns = [column for _, column, _ in sheet.headers(languages)]
        for j, header in enumerate(headers, start=1):
            cell = sheet_ws.cell(row=1, column=j, value=header)
            cell.font, cell.fill = bold, grey
        for i, row in enumerate(rows, start=2):
            for j, (value, column) in enumerate(zip(row, columns), start=1):
                if value is None or value == "":
                    continue
                cell = sheet_ws.cell(row=i, column=j)
                try:
                    cell.value = value
                except IllegalCharacterError:
                    raise InterchangeError(f"{sheet.name} row {i}, {headers[j - 1]}: the text holds a control "
                                           f"character that a workbook cannot store; remove it") from None
                if isinstance(value, str):
                    if len(value) > XLSX_CELL_MAX:
                        raise InterchangeError(f"{sheet.name} row {i}, {headers[j - 1]}: the text is longer than "
                                               f"the {XLSX_CELL_MAX} characters a workbook cell holds; shorten it")
                    cell.data_type = "s"  # a text starting with = stays a text, never a formula
                elif isinstance(value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
                cell.alignment = wrap if column.kind in _WRAPPED else top
        for j, (header, column) in enumerate(zip(headers, columns), start=1):
            dimension = sheet_ws.column_dimensions[_letter(j - 1)]
            dimension.width = max(_WIDTHS.get(column.kind, 16), len(header) + 2)
            if column.kind not in ("date", "number", "stage", "true"):
                dimension.number_format = "@"  # what an editor types stays text: 0579… keeps its 0
            if column.choices and column.kind == "choice":
                check = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True)
                check.add(f"{_letter(j - 1)}2:{_letter(j - 1)}1048576")
                sheet_ws.add_data_validation(check)
        sheet_ws.freeze_panes = "B2" if sheet.columns[0].path in ("id", "service", "life_event") else "A2"
    raw = io.BytesIO()
    ExcelWriter(workbook, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type, fixed.create_system, fixed.external_attr = zipfile.ZIP_DEFLATED, 3, 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


# Import ---------------------------------------------------------------------------------------------
@dataclass
class _Table:
    """One sheet as read: its rows of raw cell values (row 1 the header), and how to name a cell."""

    sheet: Sheet
    shown: str  # "services.xlsx:Sheet1" or "channels.csv"
    rows: list[list[Any]]
    workbook: bool

    def cell(self, column: int, row: int) -> str:
        return f"{self.shown}{'!' if self.workbook else ':'}{_letter(column)}{row}"

    def header_row(self) -> str:
        return f"{self.shown}!1:1" if self.workbook else f"{self.shown}:1:1"


def _norm(name: str) -> str:
    return re.sub(r"[\s_]+", "-", name.strip().lower())


def _suggest(word: str, choices: Iterable[str]) -> str:
    choices = list(choices)
    lowered = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return f" (did you mean '{lowered[close[0]]}'?)" if close else ""


def _open(source: Path) -> dict[str, _Table]:
    """The sheets of a workbook, of a folder of CSV files, or of one CSV file (the services, with the other
    sheets' CSV files found beside it)."""
    shown = shown_path(source)
    if source.is_dir():
        tables: dict[str, _Table] = {}
        for path in sorted(source.iterdir()):
            if path.suffix.lower() != ".csv" or path.name.startswith("."):
                continue
            sheet = _BY_NAME.get(_norm(path.stem))
            if sheet is None:
                raise InterchangeError(f"{shown_path(path)}: a CSV file of no known sheet"
                                       f"{_suggest(path.stem, _BY_NAME)}; "
                                       f"the files are named {', '.join(s.name + '.csv' for s in SHEETS)}")
            tables[sheet.name] = _Table(sheet, shown_path(path), _read_csv(path), False)
        if "services" not in tables:
            raise InterchangeError(f"{shown}: no services.csv in this folder")
        return tables
    if not source.is_file():
        raise InterchangeError(f"{shown}: no such file or folder")
    suffix = source.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(source)
    if suffix in (".xls", ".ods", ".numbers"):
        raise InterchangeError(f"{shown}: a {suffix[1:].upper()} file cannot be read; save it as Excel Workbook "
                               f"(.xlsx) or as CSV UTF-8")
    first = _BY_NAME.get(_norm(source.stem), SERVICES)
    if first is not SERVICES:
        raise InterchangeError(f"{shown}: this is the {first.name} sheet; import the services (services.csv), "
                               f"or the folder that holds all the CSV files")
    tables = {SERVICES.name: _Table(SERVICES, shown, _read_csv(source), False)}
    for sheet in SHEETS[1:]:
        sibling = source.with_name(f"{sheet.name}.csv")
        if sibling.is_file():
            tables[sheet.name] = _Table(sheet, shown_path(sibling), _read_csv(sibling), False)
    return tables


def _read_csv(path: Path) -> list[list[Any]]:
    shown = shown_path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InterchangeError(f"{shown}: cannot read the file ({error.strerror or error})") from None
    if raw.startswith(b"PK\x03\x04"):
        raise InterchangeError(f"{shown}: this is a workbook, not CSV text; name it .xlsx, or save it as CSV UTF-8")
    for bom, name in ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                      (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16")):
        if raw.startswith(bom):
            raise InterchangeError(f"{shown}: the file is saved as {name} (\"Unicode text\"); save it as CSV UTF-8")
    raw = raw[len(codecs.BOM_UTF8):] if raw.startswith(codecs.BOM_UTF8) else raw
    if b"\0" in raw:
        raise InterchangeError(f"{shown}: the file holds binary data (NUL bytes), not CSV text; if it is UTF-16, "
                               f"save it as CSV UTF-8")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        start = max(raw.rfind(b"\n", 0, error.start) + 1, 0)
        line = raw.count(b"\n", 0, error.start) + 1
        col = len(raw[start:error.start].decode("utf-8", errors="replace")) + 1
        raise InterchangeError(
            f"{shown}:{line}:{col}: byte 0x{raw[error.start]:02x} is not UTF-8: the file is saved in another "
            f"encoding (Excel's plain \"CSV\" uses the computer's own, such as Windows-1252 or GBK); save it as "
            f"\"CSV UTF-8\" and import it again") from None
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=lambda d: (first_line.count(d), d == ","))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [[_uncsv(v) for v in row] for row in reader]
    except csv.Error as error:
        raise InterchangeError(f"{shown}:{reader.line_num}:1: the CSV cannot be read there ({error}); check the "
                               f"quotes around that cell") from None


def _uncsv(text: str) -> str:
    return text[1:] if text.startswith("'") and _CSV_FORMULA.match(text[1:]) else text


def _read_xlsx(path: Path) -> dict[str, _Table]:
    from openpyxl import load_workbook

    shown = shown_path(path)
    try:
        with warnings.catch_warnings():  # openpyxl warns of workbook features it drops, none of which are ours
            warnings.simplefilter("ignore")
            workbook = load_workbook(path, read_only=True, data_only=True)
            try:
                sheets = [(ws.title, [list(row) for row in ws.iter_rows(values_only=True)])
                          for ws in workbook.worksheets]
            finally:
                workbook.close()
    except Exception as error:  # a damaged or foreign file: zip, XML and openpyxl's own errors alike
        raise InterchangeError(f"{shown}: not a readable XLSX workbook ({type(error).__name__}: {error}); save it "
                               f"from your spreadsheet program as Excel Workbook (.xlsx)") from None
    tables: dict[str, _Table] = {}
    for title, rows in sheets:
        sheet = _BY_NAME.get(_norm(title))
        if sheet is None and len(sheets) == 1:
            sheet = SERVICES  # a workbook of one sheet, whatever its name: the services
        if sheet is None:
            raise InterchangeError(f"{shown}: the sheet '{title}' is none of {', '.join(_BY_NAME)}"
                                   f"{_suggest(title, _BY_NAME)}; rename or delete it")
        if sheet.name in tables:
            raise InterchangeError(f"{shown}: two sheets are named {sheet.name}; keep one")
        quoted = title if re.fullmatch(r"\w+", title) else "'" + title.replace("'", "''") + "'"
        tables[sheet.name] = _Table(sheet, f"{shown}:{quoted}", rows, True)
    if "services" not in tables:
        raise InterchangeError(f"{shown}: the workbook has no sheet named services")
    return tables


def _text(raw: Any) -> str:
    """A cell's value as text: as typed, trimmed, lines ended by \\n."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
    if isinstance(raw, (dt.date, dt.time)):
        return raw.isoformat()[:5] if isinstance(raw, dt.time) else raw.isoformat()
    if isinstance(raw, (int, float)):
        return _scalar(raw)
    return str(raw).replace("\r\n", "\n").replace("\r", "\n").strip()


class _Bad(Exception):
    """A cell's value that cannot be read: the sentence that says why."""


@dataclass
class _Row:
    """One entry's row as read: the values by field (texts by language) and where each column is."""

    table: _Table
    number: int
    values: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    failed: set[str] = field(default_factory=set)  # fields whose cell could not be read (reported once)

    def place(self, column: int) -> str:
        return self.table.cell(column, self.number)


class _Reader:
    """Reads the tables into catalogue entries, collecting every cell's error before giving up."""

    def __init__(self, tables: dict[str, _Table], options: ImportOptions, languages: list[str] | None):
        self.tables, self.options = tables, options
        self.known = languages is not None
        self.languages: list[str] = list(languages or ([options.language] if options.language else []))
        self.errors: list[str] = []
        self.columns: dict[str, list[tuple[Column, str | None] | None]] = {}

    @property
    def default(self) -> str:
        """The directory's first language, required in every text."""
        return self.languages[0]

    @property
    def untagged(self) -> str:
        """The language of a text column named without one (name, not name.en)."""
        return self.options.language or self.languages[0]

    def error(self, place: str, sentence: str) -> None:
        self.errors.append(f"{place}: {sentence}")

    # headers ------------------------------------------------------------------------------------
    def read_headers(self) -> None:
        if self.known and self.options.language and self.options.language not in self.languages:
            self.error("the language given", f"'{self.options.language}' is not one of the directory's languages "
                                             f"({', '.join(self.languages)})")
        for table in self.tables.values():
            self.columns[table.sheet.name] = self._header(table)

    def _header(self, table: _Table) -> list[tuple[Column, str | None] | None]:
        sheet = table.sheet
        names: dict[str, tuple[Column, str | None]] = {}
        for column in sheet.columns:
            names[column.path.lower()] = (column, None)
            for lang in self.languages if column.per_language else ():
                names[f"{column.path}.{lang}".lower()] = (column, lang)
        mapping: list[tuple[Column, str | None] | None] = []
        seen: dict[tuple[str, str | None], int] = {}
        header = table.rows[0] if table.rows else []
        for i, raw in enumerate(header):
            name = _text(raw)
            if not name:
                if any(i < len(row) and _text(row[i]) for row in table.rows[1:]):
                    self.error(table.cell(i, 1), "this column has values but no name in row 1; name it (for "
                                                 "example summary.en) or delete it")
                mapping.append(None)
                continue
            target = names.get(name.lower()) or self._language_column(table, i, name)
            if target is None:
                mapping.append(None)
                continue
            column, lang = target
            if column.per_language and lang is None:
                if not self.options.language and not self.known:
                    self.error(table.cell(i, 1), f"the column '{name}' has no language; name it {name}.en (the "
                                                 f"language code after a dot), or give the language of such columns")
                    mapping.append(None)
                    continue
                lang = self.untagged
            key = (column.path, lang)
            if key in seen:
                self.error(table.cell(i, 1), f"the column '{name}' repeats column {_letter(seen[key])}; keep one")
                mapping.append(None)
                continue
            seen[key] = i
            mapping.append((column, lang))
        return mapping

    def _language_column(self, table: _Table, index: int, name: str) -> tuple[Column, str | None] | None:
        """A text column in a language: a new language when the directory is not known, else an error."""
        for column in table.sheet.columns:
            if column.per_language and name.lower().startswith(column.path.lower() + "."):
                tag = name[len(column.path) + 1:]
                if _LANGUAGE.fullmatch(tag) and not self.known:
                    if tag not in self.languages:
                        self.languages.append(tag)
                    return column, tag
                if _LANGUAGE.fullmatch(tag):
                    self.error(table.cell(index, 1), f"the column '{name}' is in {tag}, which is not one of the "
                                                     f"directory's languages ({', '.join(self.languages)}); add it to "
                                                     f"languages in directory.yml first, or delete the column")
                    return None
        valid = [header for header, _, _ in table.sheet.headers(self.languages)]
        self.error(table.cell(index, 1), f"unknown column '{name}'{_suggest(name, valid)}")
        return None

    def column_index(self, sheet: Sheet, path: str, lang: str | None) -> int | None:
        for i, target in enumerate(self.columns.get(sheet.name, [])):
            if target is not None and target[0].path == path and target[1] == lang:
                return i
        return None

    # rows ---------------------------------------------------------------------------------------
    def rows(self, sheet: Sheet) -> list[_Row]:
        table = self.tables.get(sheet.name)
        if table is None:
            return []
        mapping = self.columns[sheet.name]
        out = []
        missing_reported: set[str] = set()
        for number, raw_row in enumerate(table.rows[1:], start=2):
            if not any(_text(v) for v in raw_row):
                continue
            row = _Row(table, number)
            for i, target in enumerate(mapping):
                if target is None or i >= len(raw_row) or not _text(raw_row[i]):
                    continue
                column, lang = target
                label = f"{column.path}.{lang}" if lang else column.path
                try:
                    value = self.parse(raw_row[i], column, label, row, row.place(i))
                except _Bad as bad:
                    self.error(row.place(i), str(bad))
                    row.failed.add(column.path)
                    continue
                if column.per_language:
                    row.values.setdefault(column.path, {})[lang] = value
                else:
                    row.values[column.path] = value
            self._required(sheet, table, row, missing_reported)
            out.append(row)
        return out

    def _required(self, sheet: Sheet, table: _Table, row: _Row, missing_reported: set[str]) -> None:
        for column in sheet.columns:
            if not column.required or column.path in row.failed:
                continue
            lang = self.default if column.per_language else None
            value = row.values.get(column.path)
            if value is not None and (lang is None or lang in value):
                continue
            label = f"{column.path}.{lang}" if lang else column.path
            why = f"every {sheet.entry} needs its {column.path} in {lang}, the default language" if lang else \
                f"it is required for every {sheet.entry}"
            index = self.column_index(sheet, column.path, lang)
            if index is not None:
                self.error(row.place(index), f"{label} is empty; {why}")
            elif label not in missing_reported:
                missing_reported.add(label)
                self.error(table.header_row(), f"the sheet has no column {label}; {why}")

    # values -------------------------------------------------------------------------------------
    def parse(self, raw: Any, column: Column, label: str, row: _Row, place: str) -> Any:
        kind, text = column.kind, _text(raw)
        if kind == "date":
            if isinstance(raw, dt.datetime):
                return raw.date()
            if isinstance(raw, dt.date):
                return raw
            try:
                if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
                    return dt.date.fromisoformat(text)
            except ValueError:
                pass
            raise _Bad(f"{label} '{text}' is not a date; write it YYYY-MM-DD, for example 2026-09-15")
        if kind == "number":
            if isinstance(raw, (int, float)) and not isinstance(raw, bool):
                return raw
            if _INT.match(text):
                return int(text)
            if _FLOAT.match(text):
                return float(text)
            raise _Bad(f"{label} '{text}' is not a number; write digits only, for example 20 or 12.50"
                       + (" (the currency goes in cost.currency)" if column.path == "cost.amount" else ""))
        if kind == "stage":
            number = raw if isinstance(raw, (int, float)) and not isinstance(raw, bool) else \
                int(text) if _INT.match(text) else None
            if number is None or number != int(number) or not 1 <= number <= 5:
                raise _Bad(f"{label} '{text}' is not an online stage; write a whole number from 1 to 5")
            return int(number)
        if kind == "true":
            if text.lower() in ("true", "yes", "x", "1"):
                return True
            if text.lower() in ("false", "no", "0"):
                return None
            raise _Bad(f"{label} '{text}': write true when the service costs nothing, or leave the cell empty")
        if kind == "choice":
            found = next((c for c in column.choices if c.lower() == text.lower()), None)
            if found is None:
                raise _Bad(f"{label} '{text}' is not allowed; use one of: {', '.join(column.choices)}"
                           f"{_suggest(text, column.choices)}")
            return found
        if kind in ("ids", "choices", "languages", "texts") and text == EMPTY_LIST:
            return []
        if kind in ("ids", "choices", "languages"):
            items = [item for item in _SPLIT.split(text) if item]
            for item in items:
                if kind == "ids" and not _ID.fullmatch(item):
                    raise _Bad(f"{label}: '{item}' is not an id; ids are lower-case letters and digits in words "
                               f"joined by single hyphens, for example birth-registration")
                if kind == "choices" and item not in column.choices:
                    raise _Bad(f"{label}: '{item}' is not allowed; use any of: {', '.join(column.choices)}"
                               f"{_suggest(item, column.choices)}")
                if kind == "languages" and not _LANGUAGE.fullmatch(item):
                    raise _Bad(f"{label}: '{item}' is not a language code such as zh-Hans, en or es-MX")
            return items
        if kind == "id":
            if not _ID.fullmatch(text):
                raise _Bad(f"{label} '{text}' is not an id; ids are lower-case letters and digits in words joined by "
                           f"single hyphens, for example birth-registration")
            return text
        if kind == "duration":
            if not _DURATION.fullmatch(text.upper()):
                raise _Bad(f"{label} '{text}' is not an ISO 8601 duration; write P20D for 20 days, P2W for 2 weeks, "
                           f"PT2H for 2 hours, P0D for on the spot")
            return text.upper()
        if kind == "currency":
            if not re.fullmatch(r"[A-Za-z]{3}", text):
                raise _Bad(f"{label} '{text}' is not a currency code; write its three letters, for example CNY or USD")
            return text.upper()
        if kind == "phone" and isinstance(raw, (int, float)) and not isinstance(raw, bool):
            row.warnings.append(f"{place}: {label} {text} was typed as a number, so a leading 0 or + would have "
                                f"been lost; check it (format the column as Text)")
            return text
        if kind == "texts":
            return [line.strip() for line in text.split("\n") if line.strip()]
        if kind == "hours":
            return self.hours(text, label)
        return text

    def hours(self, text: str, label: str) -> list[dict[str, Any]]:
        periods, depth, start = [], 0, 0
        for i, char in enumerate(text + ";"):
            depth += {"[": 1, "]": -1}.get(char, 0)
            if char in ";\n" and depth <= 0:
                if text[start:i].strip():
                    periods.append(text[start:i].strip())
                start, depth = i + 1, 0
        out = []
        for period in periods:
            match = _PERIOD.fullmatch(period)
            if not match or not match.group("days"):
                raise _Bad(f"{label}: '{period}' is not a period of opening hours; write days and times such as "
                           f"mon-fri 08:30-12:00; sat 09:00-11:00")
            entry: dict[str, Any] = {"days": self.days(match.group("days"), label, period),
                                     "opens": self.time(match.group("opens"), label),
                                     "closes": self.time(match.group("closes"), label)}
            if match.group("note") is not None:
                entry["note"] = self.note(match.group("note"), label)
            out.append(entry)
        return out

    def days(self, text: str, label: str, period: str) -> list[str]:
        days: list[str] = []
        for token in (t for t in re.split(r"[\s,]+", re.sub(r"\s*[-–—]\s*", "-", text.strip())) if t):
            ends = [self.day(end, label) for end in token.split("-", 1)]
            if len(ends) == 1:
                days.append(ends[0])
                continue
            first, last = DAYS.index(ends[0]), DAYS.index(ends[1])
            days += list(DAYS[first:last + 1]) if first <= last else list(DAYS[first:] + DAYS[:last + 1])
        for day in days:
            if days.count(day) > 1:
                raise _Bad(f"{label}: {day} is named twice in '{period}'; name each day once in a period")
        return days

    @staticmethod
    def day(word: str, label: str) -> str:
        word = word.lower()
        for short, name in zip(DAYS, _DAY_NAMES):
            if len(word) >= 2 and name.startswith(word) or word == short:
                return short
        raise _Bad(f"{label}: '{word}' is not a day; write mon, tue, wed, thu, fri, sat or sun")

    @staticmethod
    def time(text: str, label: str) -> str:
        match = _TIME.fullmatch(text)
        hours, minutes = (int(match.group(1)), int(match.group(2))) if match else (99, 99)
        if not (hours < 24 and minutes < 60 or (hours, minutes) == (24, 0)):
            raise _Bad(f"{label}: '{text}' is not a time; write HH:MM on the 24-hour clock, for example 08:30")
        return f"{hours:02d}:{minutes:02d}"

    def note(self, text: str, label: str) -> dict[str, str]:
        segments = [s.strip() for s in text.split("|") if s.strip()]
        note: dict[str, str] = {}
        for segment in segments:
            match = _TAGGED.fullmatch(segment)
            lang = next((x for x in self.languages if match and x.lower() == match.group(1).lower()), None)
            if lang and match:
                note[lang] = match.group(2).strip()
            elif len(segments) == 1:
                note[self.untagged] = segment
            else:
                raise _Bad(f"{label}: the note '{segment}' has no language; write the note of a period as "
                           f"[{self.default}: … | …: …]")
        return {lang: note[lang] for lang in self.languages if lang in note}

    # entries ------------------------------------------------------------------------------------
    def entry(self, sheet: Sheet, row: _Row, skip: Iterable[str] = ()) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for column in sheet.columns:
            if column.path in skip or column.path not in row.values:
                continue
            value = row.values[column.path]
            if column.per_language:
                value = {lang: value[lang] for lang in self.languages if lang in value}
            target = out
            *parents, last = column.path.split(".")
            for part in parents:
                target = target.setdefault(part, {})
            target[last] = value
        return out


def read(source: Path, options: ImportOptions, base: Path | None = None) -> Imported:
    """A spreadsheet (an XLSX workbook, a folder of CSV files or one services CSV) as a catalogue to write.
    With `base`, a catalogue folder, its directory and the providers, offices, audiences and life events that
    the spreadsheet does not hold are taken from there. Raises InterchangeError naming every bad cell."""
    tables = _open(source)
    existing = _read_catalogue(base, services=False) if base is not None else None
    reader = _Reader(tables, options, _sheet_languages(tables) or (existing.languages if existing else None))
    reader.read_headers()
    if not reader.languages:
        reader.error(shown_path(source), "no column names a language (name.en, summary.en…) and no directory gives "
                                         "one; name the text columns with their language, or give the language")
        _raise(reader.errors)
    imported = Imported(source=shown_path(source))
    services = _services(reader, imported)
    lists = {kind: _entries(reader, sheet, imported) for kind, sheet in _LIST_SHEETS.items()}
    _journeys(reader, lists["life_events"])
    directory = _directory(reader, imported)
    _raise(reader.errors)
    for kind, entries in lists.items():
        base_entries = existing.lists[kind].data if existing else []
        setattr(imported, kind, _merge(entries, base_entries))
    imported.services = services
    imported.directory = directory or (dict(existing.directory.data) if existing else _directory_from(options, reader,
                                                                                                       imported))
    _fill_from_options(imported.directory, options, reader.untagged)
    return imported


def _sheet_languages(tables: dict[str, _Table]) -> list[str] | None:
    """The languages in the directory sheet's row, read before anything else: they name the text columns."""
    table = tables.get("directory")
    if table is None or not table.rows:
        return None
    names = [_text(v).lower() for v in table.rows[0]]
    if "languages" not in names:
        return None
    index = names.index("languages")
    for row in table.rows[1:]:
        if index < len(row) and _text(row[index]):
            items = [i for i in _SPLIT.split(_text(row[index])) if i]
            return items if items and all(_LANGUAGE.fullmatch(i) for i in items) else None
    return None


def _raise(errors: list[str]) -> None:
    if errors:
        more = len(errors) - MAX_ERRORS
        raise InterchangeError("\n".join(errors[:MAX_ERRORS]) + (f"\n… and {more} more" if more > 0 else ""))


def _ids(reader: _Reader, sheet: Sheet, rows: list[_Row], key: str = "id") -> dict[str, _Row]:
    found: dict[str, _Row] = {}
    index = reader.column_index(sheet, key, None)
    for row in rows:
        ident = row.values.get(key)
        if ident is None:
            continue
        if ident in found:
            reader.error(row.place(index or 0), f"the id '{ident}' is already used in row {found[ident].number}; "
                                                f"every {sheet.entry} needs its own id")
            continue
        found[ident] = row
    return found


def _note(sheet: Sheet, row: _Row, entry: dict[str, Any], reader: _Reader) -> Note:
    return Note(f"{sheet.entry} {entry.get('id', '')}".strip(), row.place(reader.column_index(sheet, "id", None) or 0),
                mapped=list(entry), warnings=row.warnings)


def _services(reader: _Reader, imported: Imported) -> list[dict[str, Any]]:
    rows = _ids(reader, SERVICES, reader.rows(SERVICES))
    services = {ident: reader.entry(SERVICES, row) for ident, row in rows.items()}
    rejected: set[str] = set()  # services with a channel row in error: already reported, not "no channel"
    for sheet in (CHANNELS, LINKS):
        key = "channels" if sheet is CHANNELS else "links"
        for row in reader.rows(sheet):
            owner = row.values.get("service")
            if owner is None:
                continue
            if owner not in services:
                reader.error(row.place(reader.column_index(sheet, "service", None) or 0),
                             f"there is no service '{owner}' in the services sheet{_suggest(owner, services)}")
                continue
            if sheet is CHANNELS and not _channel_fits(reader, row):
                rejected.add(owner)
                continue
            services[owner].setdefault(key, []).append(reader.entry(sheet, row, skip=("service",)))
            rows[owner].warnings += row.warnings
    out = []
    for ident, service in services.items():
        if not service.get("channels") and ident not in rejected:
            reader.error(rows[ident].place(reader.column_index(SERVICES, "id", None) or 0),
                         f"the service '{ident}' has no channel; give it at least one row in the channels sheet")
        ordered = {key: service[key] for key in _SERVICE_KEYS if key in service}
        imported.report.append(_note(SERVICES, rows[ident], ordered, reader))
        out.append(ordered)
    return out


def _channel_fits(reader: _Reader, row: _Row) -> bool:
    kind = row.values.get("type")
    if kind is None:
        return False
    required, allowed = CHANNEL_FIELDS[kind]
    fits = True
    takes = [c.path for c in CHANNELS.columns[2:] if c.path in allowed]
    for column in CHANNELS.columns[2:]:
        if column.path in row.values and column.path not in allowed:
            langs = list(row.values[column.path]) if column.per_language else [None]
            reader.error(row.place(reader.column_index(CHANNELS, column.path, langs[0]) or 0),
                         f"a channel of type {kind} takes no {column.path}; it takes: {', '.join(takes)}")
            fits = False
    for name in required:
        column = next(c for c in CHANNELS.columns if c.path == name)
        value = row.values.get(name)
        if value is None or (column.per_language and reader.default not in value):
            label = f"{name}.{reader.default}" if column.per_language else name
            reader.error(row.place(reader.column_index(CHANNELS, "type", None) or 0),
                         f"a channel of type {kind} needs its {name}: fill in the {label} cell")
            fits = False
    return fits


def _entries(reader: _Reader, sheet: Sheet, imported: Imported) -> list[dict[str, Any]]:
    rows = _ids(reader, sheet, reader.rows(sheet))
    out = []
    for row in rows.values():
        entry = reader.entry(sheet, row)
        imported.report.append(_note(sheet, row, entry, reader))
        out.append(entry)
    return out


def _journeys(reader: _Reader, events: list[dict[str, Any]]) -> None:
    by_id = {event["id"]: event for event in events}
    for row in reader.rows(LIFE_EVENT_STEPS):
        owner = row.values.get("life_event")
        if owner is None:
            continue
        if owner not in by_id:
            reader.error(row.place(reader.column_index(LIFE_EVENT_STEPS, "life_event", None) or 0),
                         f"there is no life event '{owner}' in the life-events sheet{_suggest(owner, by_id)}")
            continue
        by_id[owner].setdefault("steps", []).append(reader.entry(LIFE_EVENT_STEPS, row, skip=("life_event",)))


def _directory(reader: _Reader, imported: Imported) -> dict[str, Any] | None:
    rows = reader.rows(DIRECTORY)
    for extra in rows[1:]:
        reader.error(extra.place(0), "the directory sheet holds one row, the directory; delete this one")
    if not rows:
        return None
    directory = reader.entry(DIRECTORY, rows[0])
    imported.report.append(Note("directory", rows[0].place(0), mapped=list(directory), warnings=rows[0].warnings))
    return directory


def _directory_from(options: ImportOptions, reader: _Reader, imported: Imported) -> dict[str, Any]:
    """The directory when neither the spreadsheet nor a base catalogue holds one: what the options say."""
    directory: dict[str, Any] = {}
    if options.name:
        directory["name"] = {reader.default: options.name}
    directory["languages"] = list(reader.languages)
    missing = [key for key, value in (("name", options.name), ("base_url", options.base_url),
                                      ("timezone", options.timezone), ("phone_region", options.phone_region))
               if not value] + ["feedback"]
    imported.report.append(Note("directory", imported.source, mapped=["languages"], warnings=[
        f"the spreadsheet has no directory row: fill in {', '.join(missing)} in directory.yml"]))
    return directory


def _fill_from_options(directory: dict[str, Any], options: ImportOptions, default: str) -> None:
    """What the command line gives and the directory lacks, in the directory's order of fields."""
    given = {"name": {default: options.name} if options.name else None, "base_url": options.base_url,
             "timezone": options.timezone, "phone_region": options.phone_region}
    if all(value is None or key in directory for key, value in given.items()):
        return
    order = [c.path.split(".")[0] for c in DIRECTORY.columns]
    merged = {**{k: v for k, v in given.items() if v is not None}, **directory}
    directory.clear()
    directory.update(sorted(merged.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order)))


def _merge(entries: list[dict[str, Any]], base: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The base catalogue's entries, each replaced by the spreadsheet's of the same id, then the new ones."""
    by_id = {entry["id"]: entry for entry in entries if "id" in entry}
    merged = [by_id.pop(entry["id"]) if entry.get("id") in by_id else entry for entry in base]
    return merged + [entry for entry in entries if entry.get("id") in by_id]
