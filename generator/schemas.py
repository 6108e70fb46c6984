"""Validate stage, part one: JSON Schema checks, each error turned into a plain sentence at its place."""
from __future__ import annotations

import ast
import difflib
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

import fastjsonschema

if TYPE_CHECKING:  # the full validator loads only when a file fails the fast one
    import jsonschema

from .loader import Document
from .problems import Problem

SCHEMA_DIR = Path(__file__).parent / "schemas"
MAX_PER_FILE = 50
_LANGUAGE = re.compile(json.loads((SCHEMA_DIR / "common.schema.json").read_text(encoding="utf-8"))
                       ["$defs"]["language"]["pattern"].strip("^$"))
KINDS = ("directory", "audiences", "life-events", "providers", "offices", "service")

# What a value of each titled definition must look like, for pattern errors.
_SHAPES = {
    "id": "an id: lower-case letters and digits in words joined by single hyphens, e.g. birth-registration",
    "language code": "a language code such as zh-Hans or en",
    "web address": "a web address starting with https:// (or http://)",
    "e-mail address": "an e-mail address such as help@example.org",
    "date": "a date written YYYY-MM-DD, e.g. 2026-03-01",
    "time": "a 24-hour time written HH:MM in quotes, e.g. \"08:30\"",
}
_FIELD_SHAPES = {
    "currency": "a three-letter currency code such as CNY",
    "processing_time": "an ISO 8601 duration such as P20D (20 days), P1M (a month) or PT2H (2 hours)",
    "timezone": "a time zone name such as Asia/Shanghai",
    "phone_region": "a two-letter country code such as CN",
    "number": "an SMS number such as 10690579",
    "edit_url": "a web address containing {path}",
}
_TYPE_NAMES = {
    "object": "a mapping of fields", "array": "a list", "string": "text in quotes or plain",
    "integer": "a whole number", "number": "a number", "boolean": "true or false", "null": "nothing",
}


@lru_cache(maxsize=None)
def validator(kind: str) -> "jsonschema.Draft202012Validator":
    """The compiled validator for one kind of catalogue file."""
    import jsonschema
    import referencing

    resources = [(p.name, referencing.Resource.from_contents(json.loads(p.read_text(encoding="utf-8"))))
                 for p in sorted(SCHEMA_DIR.glob("*.schema.json"))]
    registry = referencing.Registry().with_resources(resources)
    schema = registry[f"{kind}.schema.json"].contents
    strict = jsonschema.validators.extend(jsonschema.Draft202012Validator, {"pattern": _ecma_pattern})
    return strict(schema, registry=registry)


def _ecma_pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator["jsonschema.ValidationError"]:
    """JSON Schema patterns are ECMA-262: '$' is the very end, where Python's '$' also allows a final newline."""
    import jsonschema

    if validator.is_type(instance, "string") and not _compiled(pattern).search(instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


@lru_cache(maxsize=None)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"(?<!\\)\$", r"\\Z", pattern))




@lru_cache(maxsize=None)
def _fast(kind: str) -> Callable[[Any], Any]:
    """A compiled validator for the common case, a valid file (jsonschema then explains failures)."""
    schemas = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in SCHEMA_DIR.glob("*.schema.json")}
    common = schemas["common.schema.json"]["$defs"]

    def inline(node: Any, local: str) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("common.schema.json#/$defs/"):
                node = {**node, "$ref": "#/$defs/common." + ref.rsplit("/", 1)[1]}
            elif ref.startswith("#/$defs/"):
                node = {**node, "$ref": "#/$defs/" + local + ref.rsplit("/", 1)[1]}
            return {k: inline(v, local) for k, v in node.items() if k != "$schema"}
        if isinstance(node, list):
            return [inline(v, local) for v in node]
        return node

    schema = inline(schemas[f"{kind}.schema.json"], "")
    schema.setdefault("$defs", {}).update({f"common.{name}": inline(d, "common.") for name, d in common.items()})
    if "channel" in schema["$defs"]:  # compiled if/then raises an exception per failed `if`: checked by _channels_ok
        schema["$defs"]["channel"] = {k: v for k, v in schema["$defs"]["channel"].items() if k != "allOf"}
    return fastjsonschema.compile(schema)


@lru_cache(maxsize=None)
def _channel_rules() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """For each channel type, the fields it requires and the fields it allows, read from the schema's if/then."""
    channel = json.loads((SCHEMA_DIR / "service.schema.json").read_text(encoding="utf-8"))["$defs"]["channel"]
    rules = {}
    for branch in channel["allOf"]:
        then = branch["then"]
        rules[branch["if"]["properties"]["type"]["const"]] = (
            frozenset(then.get("required", ())), frozenset(then["propertyNames"]["enum"]))
    return rules


def _channels_ok(data: Any) -> bool:
    rules = _channel_rules()
    for channel in data.get("channels", ()):
        required, allowed = rules[channel["type"]]
        if not required <= channel.keys() or not channel.keys() <= allowed:
            return False
    return True


def prepare(kind: str) -> None:
    """Compile the validator for `kind` now (e.g. before forking workers that would each compile it)."""
    _fast(kind)
    _channel_rules()


def check(doc: Document, kind: str) -> list[Problem]:
    """Every schema problem of one document: a fast yes for a valid file, jsonschema's full account otherwise."""
    fast_error = None
    try:
        _fast(kind)(doc.data)
        if kind != "service" or _channels_ok(doc.data):
            return []
    except fastjsonschema.JsonSchemaValueException as e:
        fast_error = e
    problems: list[Problem] = []
    for error in validator(kind).iter_errors(doc.data):
        problems.extend(_explain(doc, error))
        if len(problems) >= MAX_PER_FILE:
            problems = problems[:MAX_PER_FILE]
            problems.append(doc.problem((), "error", "more problems in this file are not shown; fix these first"))
            break
    if not problems and fast_error is not None:  # never pass a file one of the two validators refused
        where = [step for step in (fast_error.path or [])[1:]]
        problems.append(doc.problem(where, "error", f"this value is not allowed here ({fast_error.message})"))
    return problems


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return f"the text {_short(value)}"


def _short(value: Any) -> str:
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _field(path: list[str | int]) -> str:
    for step in reversed(path):
        if isinstance(step, str):
            return step
    return ""


def _explain(doc: Document, error: jsonschema.ValidationError) -> Iterator[Problem]:
    path = list(error.absolute_path)
    kind = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    title = schema.get("title", "")
    value = error.instance
    field = _field(path)
    if "propertyNames" in error.schema_path:
        bad = _bad_key(doc, path, str(value), kind)
        if bad:
            yield bad
        return
    schema_path = list(error.schema_path)
    in_text = (kind != "additionalProperties" and len(schema_path) >= 2 and schema_path[-2] == "additionalProperties"
               and bool(path) and isinstance(path[-1], str))
    if in_text and not _is_language_key(path):
        return  # the value of a key that is not a language code: the key itself is reported
    if in_text and value in (None, "") and kind in ("type", "minLength"):
        yield doc.problem(path, "error", f"'{_field(path[:-1])}' has an empty '{path[-1]}' text; "
                                         f"write the text or remove '{path[-1]}:'", key=True)
        return
    if not path and kind == "type":
        yield doc.problem(path, "error", _top_level(schema.get("type"), value))
        return
    if kind == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        for name in _unexpected(error):
            yield doc.problem([*path, name], "error", f"unknown field '{name}'{_suggest(name, allowed)}", key=True)
        return
    if kind == "required":
        missing = re.match(r"'([^']+)'", error.message)
        name = missing.group(1) if missing else error.message
        what = f"missing required field '{name}'"
        if len(path) >= 2 and path[-2] == "channels" and isinstance(value, dict) and "type" in value:
            what += f" for {_channel(value.get('type'))}"
        yield doc.problem(path, "error", what)
        return
    if kind == "type":
        if title in ("text", "list of texts"):
            example = "{zh-Hans: ..., en: ...}" if title == "text" else "{zh-Hans: [...], en: [...]}"
            message = f"'{field}' must be given per language, like {field}: {example}; found {_describe(value)}"
        elif schema.get("type") == "string" and isinstance(value, (int, float)) and not isinstance(value, bool):
            raw = doc.raw(path) or str(value)
            message = f"write {raw} in quotes (\"{raw}\"): without them YAML reads it as the number {value}"
        else:
            expected = schema.get("type")
            names = " or ".join(_TYPE_NAMES.get(t, t) for t in (expected if isinstance(expected, list) else [expected]))
            message = f"expected {names}, found {_describe(value)}"
        yield doc.problem(path, "error", message)
        return
    if kind == "pattern":
        shape = _SHAPES.get(title) or _FIELD_SHAPES.get(field, f"in the expected form ({schema.get('pattern')})")
        if isinstance(value, str) and value.startswith("TODO"):  # left by `servicedir new`
            yield doc.problem(path, "error", f"{_short(value)} is a placeholder: replace it with {shape}")
            return
        yield doc.problem(path, "error", f"{_short(value)} is not {shape}")
        return
    if kind == "const" and field == "free":
        message = ("write true without quotes" if value == "true" else
                   "'free' can only be true; for a service that costs money give 'amount' and 'currency' instead")
        yield doc.problem(path, "error", message)
        return
    if kind in ("enum", "const"):
        choices = [str(c).lower() if isinstance(c, bool) else str(c) for c in (schema["enum"] if kind == "enum" else [schema["const"]])]
        hint = _suggest(str(value), choices) if isinstance(value, str) else ""
        yield doc.problem(path, "error", f"{_describe(value)} is not allowed here; use {' or '.join(choices) if len(choices) < 3 else 'one of: ' + ', '.join(choices)}{hint}")
        return
    if kind == "oneOf" and field == "cost":
        if isinstance(value, dict):  # otherwise the type error says it all
            yield doc.problem(path, "error", "cost must be either 'free: true' or an 'amount' with a 'currency' (and not both)")
        return
    if kind == "minItems":
        yield doc.problem(path, "error", f"'{field}' is an empty list; give at least {schema['minItems']} item{'s' if schema['minItems'] > 1 else ''}")
        return
    if kind == "minLength":
        yield doc.problem(path, "error", "this text is empty" if schema["minLength"] == 1 else f"{_short(value)} is too short")
        return
    if kind == "maxLength":
        yield doc.problem(path, "error", f"{_short(value)} is longer than {schema['maxLength']} characters")
        return
    if kind == "minProperties":
        names = sorted(schema.get("properties", {}))
        need = f"give at least one of: {', '.join(names)}" if names else "give the text in at least the default language"
        yield doc.problem(path, "error", f"'{field}' is empty; {need}")
        return
    if kind == "uniqueItems":
        seen: set[str] = set()
        for index, item in enumerate(value):
            key = json.dumps(item, sort_keys=True)
            if key in seen:
                yield doc.problem([*path, index], "error", f"{_describe(item)} is listed twice in '{field}'")
            seen.add(key)
        return
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        low, high = schema.get("minimum"), schema.get("maximum")
        if low is not None and high is not None:
            message = f"{value} is out of range; use a number from {low} to {high}"
        elif "exclusiveMinimum" in schema:
            message = f"{value} is too small; it must be more than {schema['exclusiveMinimum']}"
        else:
            message = f"{value} is out of range"
        yield doc.problem(path, "error", message)
        return
    yield doc.problem(path, "error", error.message)  # pragma: no cover - a keyword the schemas do not use yet


def _top_level(expected: Any, value: Any) -> str:
    if expected == "object":
        found = "a list" if isinstance(value, list) else _describe(value)
        return (f"the file holds {found}, but it must hold the fields of one entry (id: ..., name: ...) "
                "without '- ' in front")
    return f"the file must hold a list of entries, each starting with '- ', but it holds {_describe(value)}"


def _unexpected(error: jsonschema.ValidationError) -> list[str]:
    match = re.search(r"\((.*) (?:was|were) unexpected\)", error.message)
    if not match:
        return []
    names = ast.literal_eval(f"({match.group(1)},)")
    return [str(n) for n in names]


def _channel(kind: Any) -> str:
    article = "an" if str(kind)[:1] in "aeiou" else "a"
    return f"{article} '{kind}' channel"


def _value_at(data: Any, path: list[str | int]) -> Any:
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _is_language_key(path: list[str | int]) -> bool:
    return bool(path) and isinstance(path[-1], str) and _LANGUAGE.fullmatch(path[-1]) is not None


def _canonical_language(tag: str) -> str:
    """zh-hans -> zh-Hans, en-gb -> en-GB: BCP 47's usual letter case."""
    parts = tag.replace("_", "-").split("-")
    fixed = [parts[0].lower()] + [p.title() if len(p) == 4 else p.upper() if len(p) == 2 else p for p in parts[1:]]
    return "-".join(fixed)


def _bad_key(doc: Document, path: list[str | int], name: str, kind: str) -> Problem | None:
    """A key refused by propertyNames: a text's language code, or a field of another channel type."""
    if kind == "enum":
        parent: Any = _value_at(doc.data, path)
        if name not in validator("service").schema["$defs"]["channel"]["properties"]:
            return None  # an unknown field: reported as such
        message = f"the field '{name}' does not belong to {_channel(parent.get('type'))}"
    else:
        message = f"{_short(name)} is not {_SHAPES['language code']}"
        canonical = _canonical_language(name)
        if canonical != name and _LANGUAGE.fullmatch(canonical):
            message += f" (did you mean '{canonical}'?)"
        if " " in name or _value_at(doc.data, [*path, name]) is None:
            message += " (a comma inside { } starts a new field: put the text in quotes)"
    return doc.problem([*path, name], "error", message, key=True)
