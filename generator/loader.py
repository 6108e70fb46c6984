"""Load stage: catalogue YAML files -> plain data plus the node tree that knows every position."""
from __future__ import annotations

import codecs
import errno
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

from .problems import Problem

try:  # libyaml is ~10x faster; the pure-Python composer gives the same nodes
    from yaml import CBaseLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import BaseLoader as _BaseLoader  # type: ignore[assignment]

_PLAIN = "tag:servicedir,plain"  # a scalar without quotes or tag: typed by _Builder (true, 3, 1.5, null)
_KIND_TAGS = {yaml.ScalarNode: "tag:yaml.org,2002:str", yaml.SequenceNode: "tag:yaml.org,2002:seq",
              yaml.MappingNode: "tag:yaml.org,2002:map"}


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Composes nodes only; plain scalars are typed later by _Builder, so resolving is a lookup."""

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode and implicit[0]:
            return _PLAIN
        return _KIND_TAGS[kind]

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 40
_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\Z")
_NUMBER_START = frozenset("0123456789+-.")
_LINE_BREAK = re.compile(r"\r\n?|\n")  # where editors end a line
_LINE_BREAK_BYTES = re.compile(rb"\r\n?|\n")
_YAML_ONLY_BREAK = re.compile("[\x85\u2028\u2029]")  # YAML 1.1 line breaks that editors show inside a line
_PLAIN_CONSTANTS: dict[str, Any] = {
    "": None, "~": None, "null": None, "Null": None, "NULL": None,
    "true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False,
}
_STANDARD_TAGS = {
    "tag:servicedir,plain", "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
}
_SYNTAX_HINTS = {
    "mapping values are not allowed": "a value contains ': ' — put the value in quotes",
    "could not find expected ':'": "a line has no ':' after its key, or is indented differently from the lines around it",
    "did not find expected key": "a line is indented differently from the lines around it",
    "did not find expected '-' indicator": "a line is indented differently from the lines around it",
    "found unexpected end of stream": "a quote or bracket is opened but never closed",
    "found unknown escape character": "a backslash in double quotes — use single quotes or write \\\\",
}


@dataclass
class Document:
    """One catalogue file: its data as plain Python values and, on demand, the node tree for positions."""

    path: Path
    shown: str
    data: Any
    _node: yaml.Node | None = field(default=None, repr=False, compare=False)
    # Positions already known (line, col of a value), so that a problem there needs no node tree: those a
    # validation cache kept for the checks it makes again on every run (the dates).
    places: dict[tuple[str | int, ...], tuple[int, int]] | None = field(default=None, repr=False, compare=False)

    @property
    def node(self) -> yaml.Node | None:
        if self._node is None:  # dropped after a file's own checks; composed again only to place a problem
            self._node = _compose(self.path.read_bytes().decode("utf-8-sig"), self.shown)
        return self._node

    def forget_nodes(self) -> None:
        """Drop the node tree (memory); it is composed again if a later check needs a position."""
        self._node = None

    def where(self, location: Iterable[str | int] = (), *, key: bool = False) -> tuple[int, int]:
        """Line and column (from 1) of the value at `location`, or of its key when `key` is true."""
        if self.places and not key:
            known = self.places.get(tuple(location))
            if known is not None:
                return known
        return position(self.node, location, key=key)

    def raw(self, location: Iterable[str | int]) -> str | None:
        """The source text of the scalar at `location` (before YAML typed it: 0579 stays 0579)."""
        node = self.node
        for step in location:
            if isinstance(node, yaml.MappingNode):
                node = next((v for k, v in reversed(node.value) if k.value == step), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
                node = node.value[step]
            else:
                return None
        return node.value if isinstance(node, yaml.ScalarNode) else None

    def problem(self, location: Iterable[str | int], level: str, message: str, *, key: bool = False) -> Problem:
        line, col = self.where(location, key=key)
        return Problem(self.shown, line, col, level, message)  # type: ignore[arg-type]


class LoadError(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


def shown_path(path: Path) -> str:
    """The path as an editor should see it: relative to the working folder when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


def position(node: yaml.Node | None, location: Iterable[str | int], *, key: bool = False) -> tuple[int, int]:
    """Walk the node tree along `location`; the closest node found gives the position."""
    if node is None:
        return 1, 1
    mark = node.start_mark
    for step in location:
        found = None
        if isinstance(node, yaml.MappingNode):
            for k, v in reversed(node.value):  # the last of duplicate keys is the one in the data
                if k.value == step:
                    found, mark = v, (k.start_mark if key else v.start_mark)
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            found = node.value[step]
            mark = found.start_mark
        if found is None:
            break
        node = found
    return mark.line + 1, mark.column + 1


def load(path: Path, *, optional: bool = False, raw: bytes | None = None,
         shown: str | None = None) -> tuple[Document | None, list[Problem]]:
    """Read one YAML file. Returns the document (None when unusable) and the problems met.
    An `optional` list file that is absent or holds nothing (comments only) is an empty list.
    `raw`: the file's bytes, already read (by read_bytes) — what is checked is exactly what was hashed;
    `shown`: shown_path(path), when the caller has it."""
    shown = shown_path(path) if shown is None else shown
    problems: list[Problem] = []
    try:
        if raw is None and optional and not os.path.lexists(path):
            return Document(path, shown, []), problems
        text = _decode(read_bytes(path, shown) if raw is None else raw, shown, problems)
        node = _compose(text, shown)
        if node is None and optional:
            return Document(path, shown, []), problems
        if node is None:
            raise LoadError(Problem(shown, 1, 1, "error", "the file is empty; it should hold the catalogue entry as YAML"))
        builder = _Builder(shown, text)
        data = builder.build(node)
        problems.extend(builder.problems)
    except LoadError as e:
        problems.append(e.problem)
        return None, problems
    return Document(path, shown, data, node), problems


_OPEN_ERRORS = {
    errno.ENOENT: "this catalogue file is missing",
    errno.EISDIR: "this catalogue file is not a file",
    errno.ELOOP: "the file is a symbolic link; catalogue files must be regular files in the catalogue",
}


def read_bytes(path: Path, shown: str | None = None) -> bytes:
    """The bytes of a catalogue file, as load reads them; LoadError (with the problem) when it cannot."""
    shown = shown_path(path) if shown is None else shown
    try:  # one open, one fstat, a read to the end; O_NOFOLLOW refuses a symbolic link (it could point anywhere)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        try:
            size = os.fstat(fd).st_size
            if size > MAX_BYTES:
                raise LoadError(Problem(shown, 1, 1, "error",
                                        f"the file is {size / 1e6:.1f} MB; a catalogue file may be at most {MAX_BYTES // 1024} KB"))
            raw = os.read(fd, size + 1)
            if len(raw) != size:  # it changed since fstat, or a short read: read to the end, as it is now
                parts = [raw]
                while parts[-1]:
                    parts.append(os.read(fd, 1 << 16))
                raw = b"".join(parts)
        finally:
            os.close(fd)
    except OSError as e:
        message = _OPEN_ERRORS.get(e.errno or 0, f"cannot read the file: {e.strerror or e}")
        raise LoadError(Problem(shown, 1, 1, "error", message)) from None
    return raw


def _decode(raw: bytes, shown: str, problems: list[Problem]) -> str:
    for bom, name in ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                      (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16")):
        if raw.startswith(bom):
            raise LoadError(Problem(shown, 1, 1, "error", f"the file is saved as {name}; save it as UTF-8"))
    if raw.startswith(codecs.BOM_UTF8):
        problems.append(Problem(shown, 1, 1, "warning",
                                "the file starts with a byte-order mark (BOM); save it as UTF-8 without BOM"))
        raw = raw[len(codecs.BOM_UTF8):]
    nul = raw.find(b"\0")
    if nul >= 0:
        line, col = _byte_position(raw, nul)
        raise LoadError(Problem(shown, line, col, "error", "the file contains binary data (a NUL byte), not text"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line, col = _byte_position(raw, e.start)
        raise LoadError(Problem(shown, line, col, "error",
                                f"byte 0x{raw[e.start]:02x} is not UTF-8; save the file as UTF-8")) from None
    return text


def _byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    line_start = max(raw.rfind(b"\n", 0, offset), raw.rfind(b"\r", 0, offset)) + 1
    column = len(raw[line_start:offset].decode("utf-8", errors="replace")) + 1
    return len(_LINE_BREAK_BYTES.findall(raw, 0, line_start)) + 1, column


def _place(text: str, mark: yaml.Mark) -> tuple[int, int]:
    """Line and column (from 1) of a YAML mark as editors count them. YAML also ends a line at U+0085,
    U+2028 and U+2029, which editors show inside a line: in a file with one of those, count from the index."""
    if not _YAML_ONLY_BREAK.search(text):
        return mark.line + 1, mark.column + 1
    line_start = max(text.rfind("\n", 0, mark.index), text.rfind("\r", 0, mark.index)) + 1
    return len(_LINE_BREAK.findall(text, 0, line_start)) + 1, mark.index - line_start + 1


def _editor_marks(node: yaml.Node, text: str) -> None:
    """Give every node the position an editor shows (see _place); only for files with YAML-only line breaks."""
    stack = [node]
    while stack:
        node = stack.pop()
        mark = node.start_mark
        line, col = _place(text, mark)
        node.start_mark = yaml.Mark(mark.name, mark.index, line - 1, col - 1, None, None)
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(item for pair in node.value for item in pair)


def _compose(text: str, shown: str) -> yaml.Node | None:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.composer.ComposerError as e:
        if "expected a single document" in f"{e.context} {e.problem}":
            line, col = _place(text, e.problem_mark)
            raise LoadError(Problem(shown, line, col, "error",
                                    "the file holds more than one YAML document ('---'); keep one entry per file")) from None
        raise LoadError(_syntax_problem(e, shown, text)) from None
    except yaml.MarkedYAMLError as e:
        raise LoadError(_syntax_problem(e, shown, text)) from None
    except yaml.reader.ReaderError as e:  # control characters and the like
        raw = text.encode("utf-8")  # libyaml counts the position in bytes
        line, col = _byte_position(raw, min(max(e.position, 0), len(raw)))
        char = e.character if isinstance(e.character, str) else chr(e.character)
        raise LoadError(Problem(shown, line, col, "error",
                                f"the file contains the control character U+{ord(char):04X}, which YAML does not allow; remove it")) from None
    except yaml.YAMLError as e:
        raise LoadError(Problem(shown, 1, 1, "error", f"not readable as YAML: {str(e).splitlines()[0]}")) from None
    finally:
        loader.dispose()
    if node is not None and _YAML_ONLY_BREAK.search(text):
        _editor_marks(node, text)
    return node


def _syntax_problem(e: yaml.MarkedYAMLError, shown: str, text: str = "") -> Problem:
    what = (e.problem or e.context or "not valid YAML").strip()
    mark = e.problem_mark
    if mark is not None and ("tab character" in what or text[mark.index:mark.index + 1] == "\t"):
        return Problem(shown, *_place(text, mark), "error", "a tab is used for indentation; indent with spaces")
    # At the end of the file, the place worth showing is where the unclosed quote or bracket began.
    mark = e.context_mark if what.startswith("found unexpected end of stream") and e.context_mark else \
        e.problem_mark or e.context_mark
    hint = next((h for k, h in _SYNTAX_HINTS.items() if what.startswith(k)), "")
    message = f"YAML syntax error: {what}" + (f" ({hint})" if hint else "")
    line, col = _place(text, mark) if mark else (1, 1)
    return Problem(shown, line, col, "error", message)


class _Builder:
    """Turns nodes into plain values; refuses duplicate keys, aliases, tags and deep nesting."""

    def __init__(self, shown: str, text: str):
        self.shown = shown
        self.text = text
        self.seen: set[int] = set()
        self.problems: list[Problem] = []

    def fail(self, mark: yaml.Mark, message: str) -> LoadError:
        return LoadError(Problem(self.shown, *_place(self.text, mark), "error", message))

    def build(self, node: yaml.Node, depth: int = 0) -> Any:
        seen = self.seen
        if id(node) in seen:
            raise self._alias_error()
        seen.add(id(node))
        if node.tag not in _STANDARD_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise self.fail(node.start_mark, f"YAML tags such as '{tag}' are not allowed in the catalogue")
        kind = type(node)
        if kind is yaml.ScalarNode:
            value = node.value
            if node.tag != _PLAIN:  # quoted, block or explicitly !!str: always text
                return value
            if value in _PLAIN_CONSTANTS:
                return _PLAIN_CONSTANTS[value]
            if value[0] in _NUMBER_START:
                if _INT.match(value):
                    return int(value)
                if _FLOAT.match(value):
                    return float(value)
            return value
        if depth >= MAX_DEPTH:
            raise self.fail(node.start_mark, f"the data is nested more than {MAX_DEPTH} levels deep")
        if kind is yaml.SequenceNode:
            return [self.build(item, depth + 1) for item in node.value]
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if type(key_node) is not yaml.ScalarNode:
                raise self.fail(key_node.start_mark, "a key must be a plain word, not a list or mapping")
            key = key_node.value
            if key == "<<" and not key_node.style:
                raise self.fail(key_node.start_mark, "YAML merge keys ('<<') are not allowed in the catalogue; write the fields out")
            if key in result:
                self.problems.append(self.fail(key_node.start_mark,
                                               f"the key '{key}' appears twice in the same mapping; keep one").problem)
            result[key] = self.build(value_node, depth + 1)
        return result

    def _alias_error(self) -> LoadError:
        for event in yaml.parse(self.text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                return self.fail(event.start_mark,
                                 f"YAML aliases ('*{event.anchor}') are not allowed in the catalogue; write the value out")
        return LoadError(Problem(self.shown, 1, 1, "error", "YAML aliases are not allowed in the catalogue"))
