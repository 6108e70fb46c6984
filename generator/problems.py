"""Problems found in a catalogue, and the reporters that show them (text, github, json)."""
from __future__ import annotations

import json
import logging
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Callable, Iterable, Iterator, Literal

Level = Literal["error", "warning", "notice"]  # a notice informs; it never fails a build, even --strict
_ONE_LINE = str.maketrans({ch: repr(ch)[1:-1] for ch in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"})  # \n, \x85...


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the catalogue, at a place counted from 1 (1:1 for the file as a whole)."""

    path: str
    line: int
    col: int
    level: Level
    message: str

    def __str__(self) -> str:
        """One line, even when the path or the message quotes a value with a line break in it."""
        return f"{self.path}:{self.line}:{self.col}: {self.level}: {self.message}".translate(_ONE_LINE)


class CatalogueError(Exception):
    """Raised when a catalogue cannot be built because it has errors."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Order by file, then position; drop exact repeats."""
    return sorted(set(problems))


def count(problems: Iterable[Problem]) -> tuple[int, int]:
    """Return (errors, warnings)."""
    errors = warnings = 0
    for p in problems:
        if p.level == "error":
            errors += 1
        elif p.level == "warning":
            warnings += 1
    return errors, warnings


def summary(problems: list[Problem]) -> str:
    errors, warnings = count(problems)
    notices = sum(p.level == "notice" for p in problems)
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    text = ", ".join(parts) or "no problems"
    return text + (f" ({notices} notice{'s' if notices != 1 else ''})" if notices else "")


def report_text(problems: list[Problem]) -> str:
    return "".join(f"{p}\n" for p in problems)


def _github_escape(value: str, *, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def report_github(problems: list[Problem]) -> str:
    """GitHub Actions workflow commands: one inline annotation per problem."""
    lines = []
    for p in problems:
        where = f"file={_github_escape(p.path, prop=True)}"
        if p.line:
            where += f",line={p.line},col={p.col}"
        lines.append(f"::{p.level} {where}::{_github_escape(p.message)}\n")
    return "".join(lines)


def report_json(problems: list[Problem]) -> str:
    errors, warnings = count(problems)
    doc = {"errors": errors, "warnings": warnings, "notices": sum(p.level == "notice" for p in problems),
           "problems": [asdict(p) for p in problems]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


REPORTERS: dict[str, Callable[[list[Problem]], str]] = {
    "text": report_text,
    "github": report_github,
    "json": report_json,
}


@contextmanager
def logged_warnings(logger_name: str) -> Iterator[list[str]]:
    """Collect what a library logs at WARNING or above while the block runs (to report, or to fail on)."""
    messages: list[str] = []

    class Collector(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    handler = Collector(logging.WARNING)
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
