"""Command line: parse arguments, call one pipeline function, return the exit code."""
from __future__ import annotations

import argparse
from datetime import date
import os
import re
import sys
from pathlib import Path
from typing import Sequence, TextIO

from . import __version__
from .problems import REPORTERS, CatalogueError, Problem, count, summary
from .render import DEFAULT_PARTS, PARTS, Options
from .validate import validate
from .interop.formats import EXPORTS, IMPORTS

EXIT_OK, EXIT_ERRORS, EXIT_WARNINGS = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="servicedir", description="Turn a catalogue of public services into a website, leaflets, radio scripts, noticeboard texts and SMS.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def catalogue_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--catalog", type=Path, default=Path("catalog"), metavar="DIR", help="the catalogue folder (default: catalog)")
        p.add_argument("--strict", action="store_true", help="treat warnings as errors")
        p.add_argument("--no-cache", action="store_true",
                       help="check every file again, without the cache of earlier runs (also: SERVICEDIR_NO_CACHE=1)")

    check = commands.add_parser("validate", help="check the catalogue and report every problem")
    catalogue_options(check)
    check.add_argument("--format", choices=sorted(REPORTERS), default=None,
                       help="text (default), github (annotations; the default when GITHUB_ACTIONS=true) or json")
    check.add_argument("--jobs", type=_positive, default=None, metavar="N", help="worker processes (default: all cores)")

    make = commands.add_parser("build", help="validate, then build site/ and print/")
    catalogue_options(make)
    make.add_argument("--only", type=_parts, default=DEFAULT_PARTS, metavar="PARTS",
                      help=f"comma-separated parts to build: {','.join(PARTS)} (default: all but offline)")
    make.add_argument("--offline", action="store_true",
                      help="also write print/offline/site-<lang>.zip, the site for a kiosk with no network")
    make.add_argument("--base-url", type=_base_url, metavar="URL", help="publish address, overriding base_url in directory.yml")
    make.add_argument("--jobs", type=_positive, default=None, metavar="N", help="worker processes (default: all cores)")
    make.add_argument("--output", type=Path, default=Path("."), metavar="DIR", help="where site/ and print/ go (default: .)")
    make.add_argument("--paper", choices=("a5", "a4"), default="a5", help="leaflet paper size (default: a5)")
    make.add_argument("--large-print", action="store_true", help="leaflets with body text a third larger (at least 16 pt), for older readers")
    make.add_argument("--verbose", "-v", action="store_true", help="also list notices (e.g. SMS shortened by rule)")

    scaffold = commands.add_parser("new", help="start a new catalogue entry with every field and TODO placeholders")
    scaffold.add_argument("kind", choices=("service", "audience", "life-event", "office"), help="what to add")
    scaffold.add_argument("id", help="its id: lower-case letters, digits and hyphens, e.g. register-a-birth")
    scaffold.add_argument("--catalog", type=Path, default=Path("catalog"), metavar="DIR", help="the catalogue folder (default: catalog)")

    compare = commands.add_parser("diff", help="what a change means in catalogue terms, against a git ref")
    compare.add_argument("ref", nargs="?", default="HEAD", help="a commit, branch or tag (default: HEAD, the last commit)")
    compare.add_argument("--catalog", type=Path, default=Path("catalog"), metavar="DIR", help="the catalogue folder (default: catalog)")
    compare.add_argument("--format", choices=("text", "markdown"), default=None,
                         help="text on a terminal, markdown otherwise (for a job summary)")

    planners = commands.add_parser("report", help="the coverage report for planners, or the stale entries alone")
    planners.add_argument("which", choices=("coverage", "stale"),
                          help="coverage: a page per language and a JSON file; stale: entries not reviewed for 12 months")
    planners.add_argument("--catalog", type=Path, default=Path("catalog"), metavar="DIR", help="the catalogue folder (default: catalog)")
    planners.add_argument("--output", type=Path, default=Path("report"), metavar="DIR",
                          help="coverage: where coverage.json and coverage.<lang>.md go (default: report)")
    planners.add_argument("--format", choices=("text", "json"), default="text", help="stale: text lines (default) or JSON")

    out = commands.add_parser("export", help="write the catalogue as open data: HSDS 3.0, CPSV-AP 3.2.0, or a spreadsheet")
    out.add_argument("format", choices=EXPORTS, help="hsds (JSON per language), cpsv-ap (Turtle and JSON-LD), csv or xlsx")
    out.add_argument("--catalog", type=Path, default=Path("catalog"), metavar="DIR", help="the catalogue folder (default: catalog)")
    out.add_argument("--output", type=Path, required=True, metavar="DIR", help="the folder to write into")

    into = commands.add_parser("import", help="read HSDS, CPSV-AP or a spreadsheet into a catalogue (new, or added to)")
    into.add_argument("format", choices=IMPORTS, help="hsds (JSON), cpsv-ap (Turtle, RDF/XML or JSON-LD), csv or xlsx")
    into.add_argument("source", type=Path, help="the file to read")
    into.add_argument("--catalog", type=Path, default=Path("catalog"), metavar="DIR",
                      help="the catalogue folder to write or add to (default: catalog); entries that exist are kept")
    into.add_argument("--language", metavar="LANG", help="the language of texts the source does not tag (default: en)")
    into.add_argument("--phone-region", metavar="CC", help="region of phone numbers written without +country code, e.g. CN")
    into.add_argument("--base-url", type=_base_url, metavar="URL", help="the directory's publish address")
    into.add_argument("--timezone", metavar="TZ", help="the directory's time zone, e.g. Asia/Shanghai")
    into.add_argument("--name", help="the directory's name (default: from the source)")

    serve = commands.add_parser("serve", help="build, serve site/ on localhost, rebuild and reload on every catalogue change")
    catalogue_options(serve)
    serve.add_argument("--port", type=int, default=8000)
    return parser


def _parts(value: str) -> tuple[str, ...]:
    names = tuple(p.strip() for p in value.split(",") if p.strip())
    unknown = [n for n in names if n not in PARTS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"unknown part {', '.join(unknown) or value!r}; choose from {', '.join(PARTS)}")
    return names


def _base_url(value: str) -> str:
    if not re.fullmatch(r"https?://[^\s/]+(/\S*)?", value):
        raise argparse.ArgumentTypeError("must be a web address starting with https:// (or http://)")
    return value


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError("must be a whole number of 1 or more")
    return int(value)


def _show(problems: list[Problem], fmt: str | None, verbose: bool = True, stream: TextIO | None = None) -> None:
    """Report problems; notices (informative, such as an SMS shortened by rule) only when `verbose`."""
    fmt = fmt or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    (stream or sys.stdout).write(REPORTERS[fmt]([p for p in problems if verbose or p.level != "notice"]))


def _exit_code(problems: list[Problem], strict: bool) -> int:
    errors, warnings = count(problems)
    if errors:
        return EXIT_ERRORS
    return EXIT_WARNINGS if strict and warnings else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    sys.stdout.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]  # odd bytes in file names
    today = os.environ.get("SERVICEDIR_TODAY")
    if today:
        try:
            date.fromisoformat(today)
        except ValueError:
            print(f"servicedir: SERVICEDIR_TODAY must be a date written YYYY-MM-DD, not {today!r}", file=sys.stderr)
            return EXIT_WARNINGS
    try:
        if args.command == "validate":
            return _validate(args)
        if args.command == "build":
            return _build(args)
        if args.command == "new":
            return _new(args)
        if args.command == "diff":
            return _diff(args)
        if args.command == "report":
            return _report(args)
        if args.command == "export":
            return _export(args)
        if args.command == "import":
            return _import(args)
        return _serve(args)
    except KeyboardInterrupt:
        print("servicedir: interrupted; site/ and print/ are as they were", file=sys.stderr)
        return 130


def _export(args: argparse.Namespace) -> int:
    from .interop.common import InterchangeError
    from .interop.formats import export

    try:
        files = export(args.format, args.catalog, args.output)
    except CatalogueError as error:
        _show(error.problems, None)
        print(f"servicedir: {summary(error.problems)}; nothing was exported", file=sys.stderr)
        return EXIT_ERRORS
    except (InterchangeError, OSError) as error:
        print(f"servicedir: {error}; nothing was exported", file=sys.stderr)
        return EXIT_ERRORS
    print(f"servicedir: wrote {len(files)} {'file' if len(files) == 1 else 'files'} of {args.format} into {args.output}")
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from .interop.common import ImportOptions, InterchangeError
    from .interop.formats import import_

    options = ImportOptions(language=args.language, phone_region=args.phone_region and args.phone_region.upper(),
                            base_url=args.base_url, timezone=args.timezone, name=args.name)
    try:
        lines, problems = import_(args.format, args.source, args.catalog, options)
    except (InterchangeError, OSError) as error:
        print(f"servicedir: {error}; the catalogue was not changed", file=sys.stderr)
        return EXIT_ERRORS
    for line in lines:
        print(line)
    _show(problems, None, verbose=False)
    print(f"{args.catalog}: {summary(problems)}")
    return _exit_code(problems, False)


def _validate(args: argparse.Namespace) -> int:
    problems, loaded = validate(args.catalog, jobs=args.jobs, full=False, cache=not args.no_cache)
    _show(problems, args.format)
    if args.format != "json":
        files = loaded.service_files
        print(f"{args.catalog}: {files} service{'' if files == 1 else 's'} checked, {summary(problems)}", file=sys.stderr)
    return _exit_code(problems, args.strict)


def _build(args: argparse.Namespace) -> int:
    from .build import build
    try:
        parts = args.only + (("offline",) if args.offline and "offline" not in args.only else ())
        result = build(args.catalog, args.output, parts=parts, base_url=args.base_url, strict=args.strict,
                       jobs=args.jobs, options=Options(paper=args.paper, large_print=args.large_print),
                       cache=not args.no_cache)
    except CatalogueError as e:
        _show(e.problems, None)
        print(f"servicedir: {summary(e.problems)}; nothing was written", file=sys.stderr)
        return _exit_code(e.problems, args.strict) or EXIT_WARNINGS
    except OSError as e:
        print(f"servicedir: cannot write the outputs in {args.output}: {e.strerror or e}"
              f"{' (' + e.filename + ')' if isinstance(e.filename, str) else ''}; nothing was changed", file=sys.stderr)
        return EXIT_ERRORS
    _show(result.problems, None, args.verbose)
    hidden = "" if args.verbose or not any(p.level == "notice" for p in result.problems) else "; --verbose lists the notices"
    print(f"servicedir: built {', '.join(result.parts)} for {len(result.catalogue.services)} services "
          f"in {len(result.catalogue.directory.languages)} languages into {args.output}; {summary(result.problems)}{hidden}",
          file=sys.stderr)
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    import json

    from . import report
    from .build import load_catalogue
    from .checks import today_in
    try:
        catalogue, problems = load_catalogue(args.catalog)
    except CatalogueError as e:
        _show(e.problems, None)
        print(f"servicedir: {summary(e.problems)}; no report was written", file=sys.stderr)
        return EXIT_ERRORS
    today = today_in(catalogue.directory.timezone)
    if args.which == "stale":
        rows = report.stale(catalogue, today)
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n" if args.format == "json"
                         else report.stale_text(rows, catalogue.directory.default_language))
        print(f"servicedir: {len(rows)} entr{'y' if len(rows) == 1 else 'ies'} not reviewed for 12 months", file=sys.stderr)
        return EXIT_OK
    data = report.coverage(catalogue, today)
    try:
        written = [report.write(args.output / "coverage.json", json.dumps(data, ensure_ascii=False, indent=1) + "\n")]
        written += [report.write(args.output / f"coverage.{lang.lower()}.md", report.coverage_markdown(data, catalogue, lang))
                    for lang in catalogue.directory.languages]
    except OSError as e:
        print(f"servicedir: cannot write the report in {args.output}: {e.strerror or e}", file=sys.stderr)
        return EXIT_ERRORS
    print(f"servicedir: wrote {', '.join(str(p) for p in written)}", file=sys.stderr)
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    from . import diff
    if not (args.catalog / "directory.yml").is_file():
        print(f"servicedir: {args.catalog} is not a catalogue folder (no directory.yml)", file=sys.stderr)
        return EXIT_ERRORS
    try:
        report = diff.compare(diff.snapshot(args.catalog, args.ref), diff.current(args.catalog), args.ref)
    except diff.DiffError as e:
        print(f"servicedir: {e}", file=sys.stderr)
        return EXIT_ERRORS
    fmt = args.format or ("text" if sys.stdout.isatty() and os.environ.get("GITHUB_ACTIONS") != "true" else "markdown")
    sys.stdout.write(diff.markdown(report) if fmt == "markdown" else diff.text(report))
    return EXIT_OK


def _new(args: argparse.Namespace) -> int:
    from .scaffold import ScaffoldError, new
    try:
        path, line = new(args.catalog, args.kind, args.id)
    except (ScaffoldError, OSError) as e:
        print(f"servicedir: {e}", file=sys.stderr)
        return EXIT_ERRORS
    print(f"{path}:{line}: new {args.kind} '{args.id}'; replace every TODO, then run `servicedir validate"
          f"{'' if args.catalog == Path('catalog') else ' --catalog ' + str(args.catalog)}` to see what is left",
          file=sys.stderr)
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from .build import build
    from .serve import Preview, run

    def rebuild() -> bool:
        """Build the site again; on errors keep the previous one and say what is wrong."""
        try:
            result = build(args.catalog, Path("."), parts=("site",), strict=args.strict, cache=not args.no_cache)
        except CatalogueError as e:
            _show(e.problems, None, verbose=False, stream=sys.stderr)  # the preview's log is one stream
            print(f"servicedir: {summary(e.problems)}; still showing the previous build", file=sys.stderr, flush=True)
            return False
        _show(result.problems, None, verbose=False, stream=sys.stderr)
        print(f"servicedir: rebuilt the site; {summary(result.problems)}", file=sys.stderr, flush=True)
        return True

    try:
        build(args.catalog, Path("."), strict=args.strict, cache=not args.no_cache)
    except CatalogueError as e:
        _show(e.problems, None)
        return _exit_code(e.problems, args.strict) or EXIT_WARNINGS
    run(Path("site"), Preview(args.catalog, rebuild), args.port)
    return EXIT_OK  # pragma: no cover
