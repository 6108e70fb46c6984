"""Editors' change summary: what a change to the catalogue means, against a git ref, and which outputs it touches."""
from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .loader import load
from .spoken import speaks

LISTS = {"audiences.yml": "audience", "life-events.yml": "life event", "offices.yml": "office", "providers.yml": "provider"}


class DiffError(Exception):
    """The comparison cannot be made; the message says why in one sentence."""


@dataclass
class Change:
    kind: str  # "service", "audience", "life event", "office", "provider", "directory"
    ident: str
    how: str  # "added", "removed", "changed"
    fields: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # field, languages ("" = all)


@dataclass
class Report:
    ref: str
    changes: list[Change]
    outputs: dict[str, list[str]]  # family -> paths


def snapshot(catalog: Path, ref: str) -> dict[str, Any]:
    """The catalogue as it is in git at `ref` (files loaded with the catalogue's own loader)."""
    try:
        try:
            top = _git(catalog, "rev-parse", "--show-toplevel").strip()
        except DiffError:
            raise DiffError(f"{catalog} is not in a git repository; `servicedir diff` compares with a git commit") from None
        inside = catalog.resolve().relative_to(Path(top).resolve()).as_posix()
        _git(catalog, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
        names = _git(Path(top), "ls-tree", "-r", "--name-only", ref, "--", inside or ".").splitlines()
    except DiffError:
        raise
    except ValueError:
        raise DiffError(f"{catalog} is not inside the git repository") from None
    with tempfile.TemporaryDirectory(prefix="servicedir-diff-") as tmp:
        root = Path(tmp)
        for name in names:
            if not name.endswith(".yml"):
                continue
            target = root / Path(name).relative_to(inside) if inside else root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(_git(Path(top), "show", f"{ref}:{name}", binary=True))
        return current(root)


def current(catalog: Path) -> dict[str, Any]:
    """The catalogue's files as data: directory, each list by id, services by file name."""
    out: dict[str, Any] = {"directory": _data(catalog / "directory.yml") or {}, "services": {}}
    for name in LISTS:
        entries = _data(catalog / name)
        out[name] = {e["id"]: e for e in entries if isinstance(e, dict) and isinstance(e.get("id"), str)} \
            if isinstance(entries, list) else {}
    for path in sorted((catalog / "services").glob("*.yml")) if (catalog / "services").is_dir() else []:
        out["services"][path.stem] = _data(path)
    return out


def compare(old: dict[str, Any], new: dict[str, Any], ref: str) -> Report:
    """Services and entries added, removed and changed (which fields, in which languages); outputs touched."""
    changes: list[Change] = []
    languages = set(map(str, new["directory"].get("languages") or [])) | set(map(str, old["directory"].get("languages") or []))
    for kind, before, after in [("service", old["services"], new["services"])] + \
            [(label, old[name], new[name]) for name, label in LISTS.items()]:
        for ident in sorted(before.keys() | after.keys()):
            if ident not in before:
                changes.append(Change(kind, ident, "added"))
            elif ident not in after:
                changes.append(Change(kind, ident, "removed"))
            elif before[ident] != after[ident]:
                changes.append(Change(kind, ident, "changed", _fields(before[ident], after[ident], languages)))
    if old["directory"] != new["directory"]:
        changes.append(Change("directory", "directory.yml", "changed", _fields(old["directory"], new["directory"], languages)))
    return Report(ref, changes, _outputs(changes, old, new))


def _fields(before: Any, after: Any, languages: set[str]) -> list[tuple[str, tuple[str, ...]]]:
    if not isinstance(before, dict) or not isinstance(after, dict):
        return [("(whole entry)", ())]
    out = []
    for key in list(dict.fromkeys([*before, *after])):
        a, b = before.get(key), after.get(key)
        if a == b:
            continue
        if _is_text(a, languages) and _is_text(b, languages):
            out.append((key, tuple(sorted(lang for lang in a.keys() | b.keys() if a.get(lang) != b.get(lang)))))
        else:
            out.append((key, ()))
    return out


def _is_text(value: Any, languages: set[str]) -> bool:
    """A text in several languages: a mapping whose keys are all language codes of the directory."""
    return isinstance(value, dict) and bool(value) and all(key in languages for key in value)


def _outputs(changes: list[Change], old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[str]]:
    """The output files a change touches, by family (paths as `servicedir build` writes them)."""
    languages = [str(lang) for lang in (new["directory"].get("languages") or old["directory"].get("languages") or [])]
    out: dict[str, set[str]] = {family: set() for family in
                                ("pages", "leaflets", "booklets", "radio", "noticeboard", "sms")}
    if any(change.kind == "directory" for change in changes):  # name, languages, phones: everything
        return {family: ["every page" if family == "pages" else "every file"] for family in out}
    for change in changes:
        langs = _languages(change, languages)
        for lang in langs:
            code = lang.lower()
            if change.kind == "service":
                sid = change.ident
                out["pages"].add(f"site/{code}/services/{sid}/")
                for family, path in (("leaflets", f"print/leaflets/{code}/{sid}.pdf"), ("radio", f"print/radio/{code}/{sid}.txt"),
                                     ("noticeboard", f"print/noticeboard/{code}/{sid}.txt"), ("sms", f"print/sms/{code}/{sid}.txt")):
                    out[family].add(path)
                for entry in (old["services"].get(sid), new["services"].get(sid)):
                    if not isinstance(entry, dict):
                        continue
                    for audience in entry.get("audiences") or []:
                        out["pages"].add(f"site/{code}/audiences/{audience}/")
                        out["booklets"].add(f"print/booklets/{code}/audience-{audience}.pdf")
                    for event in entry.get("life_events") or []:
                        out["pages"].add(f"site/{code}/life-events/{event}/")
                        out["booklets"].add(f"print/booklets/{code}/life-event-{event}.pdf")
                        out["radio"].add(f"print/radio/{code}/life-event-{event}.txt")
                    names_places = change.how != "changed" or {f for f, _ in change.fields} & {"name", "channels", "status"}
                    for channel in (entry.get("channels") or []) if names_places else []:
                        office = channel.get("office") if isinstance(channel, dict) else None
                        area = (new["offices.yml"].get(office) or old["offices.yml"].get(office) or {}).get("area")
                        if area:
                            out["noticeboard"].add(f"print/noticeboard/{code}/area-{area}.txt")
            elif change.kind == "audience":
                out["pages"].add(f"site/{code}/audiences/{change.ident}/")
                out["booklets"].add(f"print/booklets/{code}/audience-{change.ident}.pdf")
            elif change.kind == "life event":
                out["pages"].add(f"site/{code}/life-events/{change.ident}/")
                out["booklets"].add(f"print/booklets/{code}/life-event-{change.ident}.pdf")
                out["radio"].add(f"print/radio/{code}/life-event-{change.ident}.txt")
            elif change.kind == "office":
                out["pages"].add(f"site/{code}/offices/")
                area = (new["offices.yml"].get(change.ident) or old["offices.yml"].get(change.ident) or {}).get("area")
                if area:
                    out["noticeboard"].add(f"print/noticeboard/{code}/area-{area}.txt")
                for sid, entry in new["services"].items():  # every service offered there shows its hours
                    if isinstance(entry, dict) and any(isinstance(c, dict) and c.get("office") == change.ident
                                                       for c in entry.get("channels") or []):
                        out["pages"].add(f"site/{code}/services/{sid}/")
                        out["leaflets"].add(f"print/leaflets/{code}/{sid}.pdf")
                        out["noticeboard"].add(f"print/noticeboard/{code}/{sid}.txt")
            elif change.kind == "provider":
                out["pages"].add(f"site/{code}/ (services of provider {change.ident})")
    out["radio"] = {path for path in out["radio"] if speaks(path.split("/")[2])}  # no radio where numbers cannot be said
    return {family: sorted(paths) for family, paths in out.items() if paths}


def _languages(change: Change, languages: list[str]) -> list[str]:
    """A change only to some languages' texts touches only those languages' outputs."""
    if change.how != "changed" or not change.fields or any(not langs for _, langs in change.fields):
        return languages
    touched = {lang for _, langs in change.fields for lang in langs}
    return [lang for lang in languages if lang in touched] or languages


FAMILIES = {"pages": "Web pages", "leaflets": "Leaflets", "booklets": "Booklets", "radio": "Radio scripts",
            "noticeboard": "Noticeboard texts", "sms": "SMS texts"}


def _what(change: Change) -> str:
    return ", ".join(f"{name} ({', '.join(langs)})" if langs else name for name, langs in change.fields)


def markdown(report: Report) -> str:
    """For a pull request's job summary."""
    lines = [f"## Catalogue changes against `{report.ref}`", ""]
    if not report.changes:
        return "\n".join(lines + ["No change to the catalogue.", ""])
    lines += [_count(report), "", "| change | entry | what changed |", "| --- | --- | --- |"]
    lines += [f"| {c.how} | {c.kind} `{c.ident}` | {_what(c)} |" for c in report.changes]
    lines += ["", "### Outputs that change", ""]
    for family, paths in report.outputs.items():
        shown = ", ".join(f"`{p}`" for p in paths[:20]) + (f" and {len(paths) - 20} more" if len(paths) > 20 else "")
        lines.append(f"- **{FAMILIES[family]}** ({len(paths)}): {shown}")
    return "\n".join(lines) + "\n"


def text(report: Report) -> str:
    """For a terminal."""
    if not report.changes:
        return f"No change to the catalogue against {report.ref}.\n"
    lines = [f"Catalogue changes against {report.ref}: {_count(report)}", ""]
    width = max(len(f"{c.kind} {c.ident}") for c in report.changes)
    lines += [f"  {c.how:<8} {(c.kind + ' ' + c.ident):<{width}}  {_what(c)}".rstrip() for c in report.changes]
    lines += ["", "Outputs that change:"]
    for family, paths in report.outputs.items():
        lines.append(f"  {FAMILIES[family]} ({len(paths)}):")
        lines += [f"    {p}" for p in paths[:20]] + ([f"    and {len(paths) - 20} more"] if len(paths) > 20 else [])
    return "\n".join(lines) + "\n"


def _count(report: Report) -> str:
    services = [c for c in report.changes if c.kind == "service"]
    parts = [f"{sum(c.how == how for c in services)} {how}" for how in ("added", "changed", "removed")]
    others = len(report.changes) - len(services)
    return f"services: {', '.join(parts)}" + (f"; {others} other entr{'y' if others == 1 else 'ies'} changed" if others else "")


def _data(path: Path) -> Any:
    if not path.is_file():
        return None
    doc, _ = load(path)
    return doc.data if doc is not None else None


def _git(catalog: Path, *args: str, binary: bool = False) -> Any:
    cwd = catalog if catalog.is_dir() else catalog.parent
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise DiffError("git is not installed") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        if args[:2] == ("rev-parse", "--verify"):
            raise DiffError(f"'{args[-1][:-len('^{commit}')]}' is not a commit, branch or tag in this repository")
        raise DiffError(f"git {args[0]} failed: {message[-1] if message else 'no message'}")
    return done.stdout if binary else done.stdout.decode("utf-8")
