"""Editors' scaffolds: `servicedir new KIND ID` writes an entry with every field, in every language,
and placeholders that validation rejects until they are filled."""
from __future__ import annotations

import re
from pathlib import Path

from .checks import today_in
from .loader import load
from .render import environment

KINDS = {"service": None, "audience": "audiences.yml", "life-event": "life-events.yml", "office": "offices.yml"}
_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


class ScaffoldError(Exception):
    """A scaffold that cannot be written; the message says why in one sentence."""


def new(catalog: Path, kind: str, ident: str) -> tuple[Path, int]:
    """Write the scaffold; return the file and the line its entry starts on."""
    if not _ID.fullmatch(ident):
        raise ScaffoldError(f"'{ident}' is not a valid id: use lower-case letters, digits and single hyphens, "
                            f"e.g. register-a-birth")
    directory, _ = load(catalog / "directory.yml")
    if directory is None or not isinstance(directory.data, dict):
        raise ScaffoldError(f"{catalog / 'directory.yml'}: cannot read the directory's languages; run "
                            f"`servicedir validate --catalog {catalog}`")
    languages = [lang for lang in directory.data.get("languages", []) if isinstance(lang, str)]
    today = today_in(str(directory.data.get("timezone", "UTC")))
    text = environment("new", html=False).get_template(f"{kind}.yml").render(id=ident, languages=languages,
                                                                             today=today.isoformat())
    if kind == "service":
        target = catalog / "services" / f"{ident}.yml"
        if target.exists():
            raise ScaffoldError(f"{target} already exists; edit it, or choose another id")
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8") as out:
            out.write(text)
        return target, 1
    target = catalog / KINDS[kind]  # type: ignore[operator]
    existing = target.read_text(encoding="utf-8") if target.exists() else ""
    if re.search(rf"^-\s+id:\s*['\"]?{re.escape(ident)}['\"]?\s*$", existing, re.M):
        raise ScaffoldError(f"{target} already has an entry with id '{ident}'")
    if existing and not existing.endswith("\n"):
        existing += "\n"
    if not existing:
        existing = f"# yaml-language-server: $schema=../generator/schemas/{KINDS[kind].replace('.yml', '.schema.json')}\n"  # type: ignore[union-attr]
    target.write_text(existing + text, encoding="utf-8")
    return target, existing.count("\n") + 1
