"""Benchmark: a national-scale catalogue end to end, beside the bare engines on the same input.

Run with `.venv/bin/python bench/scale.py [--services 10000] [--sample 100] [--runs 1]` (`make bench-scale`).
For a synthetic catalogue of N services in two languages it times, in fresh processes: validate (cold, then
with one file changed), `build --only site` and bare MkDocs on the very pages and config servicedir generated,
leaflets for a sample of services and bare WeasyPrint on the very same leaflet HTML, and `build --only
radio,noticeboard,sms`. Prints a Markdown table: wall time (median), per service, peak memory of the largest
process. Figures are in docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench.synthetic import generate  # noqa: E402

ENV = {**os.environ, "SERVICEDIR_TODAY": "2026-11-28", "PYTHONPATH": str(ROOT)}


def run(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB: the largest process of the command's tree) of one command."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(command, env=ENV, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"{' '.join(command)} failed:\n{errors.read().decode(errors='replace')[-3000:]}")
    return elapsed, usage.ru_maxrss / 1024  # KB on Linux; the child's and those of its children it waited for


def servicedir(*args: str) -> list[str]:
    return [sys.executable, "-m", "generator", *args]


def median_of(runs: int, step: Callable[[], tuple[float, float]]) -> tuple[float, float]:
    results = [step() for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def bare_mkdocs(keep: Path) -> tuple[float, float]:
    """Every kept MkDocs build (one per language), one after the other, as the bare engine runs them."""
    total, peak = 0.0, 0.0
    for config in sorted(keep.glob("mkdocs/*/mkdocs.yml")):
        seconds, memory = run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", str(config)])
        total, peak = total + seconds, max(peak, memory)
    return total, peak


BARE_WEASYPRINT = """
import json, sys
from pathlib import Path
from weasyprint import CSS, HTML
for file in sorted(Path(sys.argv[1]).glob("*.json")):
    page = json.loads(file.read_text(encoding="utf-8"))
    sheets = [CSS(filename=page["stylesheet"])] + ([CSS(string=page["css"])] if page["css"] else [])
    HTML(string=page["html"], base_url=page["base"]).write_pdf(stylesheets=sheets, pdf_variant="pdf/ua-1")
"""


def sample_catalogue(catalog: Path, dest: Path, size: int) -> Path:
    """The first `size` services of `catalog`, with its taxonomies: the leaflet sample."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(catalog, dest, ignore=lambda folder, names: [] if Path(folder) != catalog / "services" else
                    sorted(names)[size:])
    for service in (dest / "services").glob("*.yml"):  # `related` may name a service left out
        text = service.read_text(encoding="utf-8")
        service.write_text("\n".join(line for line in text.splitlines() if not line.startswith("related:")) + "\n",
                           encoding="utf-8")
    return dest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=100, help="services whose leaflets are printed (both languages)")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    n = args.services
    work = Path(tempfile.mkdtemp(prefix="servicedir-scale-"))
    try:
        catalog = generate(work / "catalog", n)
        rows: list[tuple[str, float, float, int]] = []

        def row(label: str, result: tuple[float, float], count: int) -> None:
            rows.append((label, result[0], result[1], count))
            print(f"  {label}: {result[0]:.1f} s, {result[1]:.0f} MB", file=sys.stderr, flush=True)

        row("validate", median_of(args.runs, lambda: run(servicedir("validate", "--catalog", str(catalog)))), n)
        one = catalog / "services" / "example-service-00000.yml"

        def validate_after_edit() -> tuple[float, float]:
            one.write_text(one.read_text(encoding="utf-8").replace("number 0", "number zero", 1), encoding="utf-8")
            return run(servicedir("validate", "--catalog", str(catalog)))

        row("validate, one file changed", median_of(args.runs, validate_after_edit), n)
        keep = work / "engines"
        out = work / "out"

        def site() -> tuple[float, float]:
            shutil.rmtree(keep / "mkdocs", ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
            return run([sys.executable, str(HERE / "capture.py"), str(keep), "--", "build", "--only", "site",
                        "--catalog", str(catalog), "--output", str(out)])

        row("build --only site", median_of(args.runs, site), n)
        row("bare MkDocs, same pages and config", median_of(args.runs, lambda: bare_mkdocs(keep)), n)
        row("build --only radio,noticeboard,sms", median_of(args.runs, lambda: run(servicedir(
            "build", "--only", "radio,noticeboard,sms", "--catalog", str(catalog), "--output", str(out)))), n)
        sample = sample_catalogue(catalog, work / "sample", args.sample)

        def leaflets() -> tuple[float, float]:
            shutil.rmtree(keep / "weasyprint", ignore_errors=True)
            shutil.rmtree(work / "print-out", ignore_errors=True)
            return run([sys.executable, str(HERE / "capture.py"), str(keep), "--", "build", "--only", "leaflets",
                        "--jobs", "1", "--catalog", str(sample), "--output", str(work / "print-out")])

        printed = 2 * args.sample
        row("build --only leaflets --jobs 1 (sample)", median_of(args.runs, leaflets), printed)
        row("bare WeasyPrint, same leaflet HTML (sample)", median_of(args.runs, lambda: run(
            [sys.executable, "-c", BARE_WEASYPRINT, str(keep / "weasyprint")])), printed)
        print(f"{n:,} synthetic services, two languages; {os.cpu_count()} cores; median of {args.runs} run(s)\n")
        print("| step | wall time | per item | items | peak memory |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for label, seconds, memory, count in rows:
            print(f"| {label} | {seconds:.1f} s | {seconds / count * 1000:.2f} ms | {count:,} | {memory:.0f} MB |")
        print("\n" + json.dumps({label: round(seconds, 2) for label, seconds, _, _ in rows}))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
