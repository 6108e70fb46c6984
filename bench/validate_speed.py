"""Benchmark: wall-clock time of `servicedir validate` on synthetic catalogues of 1,000 and 10,000 services,
without the cache and with it (one service file changed since the previous run).

Run with `make bench` (or `.venv/bin/python bench/validate_speed.py [--runs N] [--sizes 1000,10000]`).
Prints Markdown tables of medians for docs/benchmarks.md; all figures of one table come from one run.
The cache goes to bench/out/cache (SERVICEDIR_CACHE_DIR), emptied first: the user's own is not touched.
"""
from __future__ import annotations

import argparse
import gc
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.synthetic import generate  # noqa: E402

CACHE = HERE / "out" / "cache"
TODAY = "2026-11-28"
ENV = {**os.environ, "SERVICEDIR_TODAY": TODAY, "PYTHONPATH": str(HERE.parent), "SERVICEDIR_CACHE_DIR": str(CACHE)}
NO_CACHE = {**ENV, "SERVICEDIR_NO_CACHE": "1"}
ENV.pop("SERVICEDIR_NO_CACHE", None)


CPU: list[float] = []  # CPU seconds (user + system) of the latest run, its worker processes included


def run(args: list[str], env: dict[str, str]) -> float:
    """Wall-clock seconds of one command (its CPU seconds go to CPU: on a loaded machine they say more)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "generator", "validate", *args], env=env,
                            capture_output=True, text=True)
    took = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU[:] = [after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime]
    if result.returncode != 0:
        raise SystemExit(f"validate failed:\n{result.stdout}{result.stderr}")
    return took


def timed(args: list[str], runs: int) -> list[float]:
    """The command without the cache, `runs` times."""
    return [run(args, NO_CACHE) for _ in range(runs)]


def change_one(catalog: Path, count: int, edit: int) -> None:
    """Change one service's English name (a different service and text each time), as an editor would."""
    number = (edit * 7919) % count
    path = catalog / "services" / f"example-service-{number:05d}.yml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  en: Example service number")
    end = text.index("\n", start)
    path.write_text(text[:start] + f"  en: Example service number {number} (edit {edit})" + text[end:], encoding="utf-8")


def uses_cache() -> bool:
    return any(CACHE.glob("validate/*.cache"))


def cached_rows(catalog: Path, size: int, runs: int) -> list[float] | None:
    """Medians: without the cache, with an empty cache (the run that fills it), with one file changed since the
    previous run, with nothing changed; then the CPU seconds of the first three. The runs alternate, so all see
    the same load on the machine."""
    args = ["--catalog", str(catalog)]
    times: list[list[float]] = [[] for _ in range(7)]
    for edit in range(runs):
        times[0].append(run(args, NO_CACHE))
        times[4].append(CPU[0])
        shutil.rmtree(CACHE, ignore_errors=True)
        times[1].append(run(args, ENV))
        times[5].append(CPU[0])
        if not uses_cache():
            return None
        change_one(catalog, size, edit)
        times[2].append(run(args, ENV))
        times[6].append(CPU[0])
        times[3].append(run(args, ENV))
    return [statistics.median(column) for column in times]


def in_process(catalog: Path, size: int, runs: int) -> tuple[float, float, float, float]:
    """validate() as `build` calls it (the full documents), in this process: medians without the cache and with
    it (one file changed), and the same for the lean documents `validate` uses."""
    from generator.validate import validate

    os.environ.update({"SERVICEDIR_TODAY": TODAY, "SERVICEDIR_CACHE_DIR": str(CACHE)})
    os.environ.pop("SERVICEDIR_NO_CACHE", None)

    def clock(call: Callable[[], object]) -> float:
        gc.collect()
        started = time.perf_counter()
        call()
        return time.perf_counter() - started

    figures = []
    for full in (True, False):
        validate(catalog, full=full, cache=True)  # fills the cache
        plain, cached = [], []
        for edit in range(runs):
            plain.append(clock(lambda: validate(catalog, full=full, cache=False)))
            change_one(catalog, size, 1000 + edit)
            cached.append(clock(lambda: validate(catalog, full=full, cache=True)))
        figures += [statistics.median(plain), statistics.median(cached)]
    return figures[0], figures[1], figures[2], figures[3]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="1000,10000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, {args.runs} runs each, median seconds\n")
    print("Without the cache (SERVICEDIR_NO_CACHE=1):\n")
    print("| services | validate, all cores | validate, 1 core (`--jobs 1`) | ratio | per service |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    catalogs = {}
    for size in sizes:
        catalogs[size] = catalog = generate(HERE / "out" / f"catalog-{size}", size)
        both = statistics.median(timed(["--catalog", str(catalog)], args.runs))
        one = statistics.median(timed(["--catalog", str(catalog), "--jobs", "1"], args.runs))
        print(f"| {size:,} | {both:.2f} s | {one:.2f} s | {one / both:.2f}x | {both / size * 1000:.2f} ms |")

    print("\nWith the cache (the command's default; all cores). CPU: user + system seconds, workers included:\n")
    print("| services | no cache | cache empty (fills it) | one file changed | nothing changed | "
          "no cache / one changed | CPU: no cache | CPU: cache empty | CPU: one changed |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size in sizes:
        rows = cached_rows(catalogs[size], size, args.runs)
        if rows is None:
            print(f"| {size:,} | the command line does not use the cache (generator/cli.py passes no cache=True) |"
                  " | | | | | | |")
            break
        plain, cold, changed, unchanged, cpu_plain, cpu_cold, cpu_changed = rows
        print(f"| {size:,} | {plain:.2f} s | {cold:.2f} s | {changed:.2f} s | {unchanged:.2f} s | "
              f"{plain / changed:.1f}x | {cpu_plain:.2f} s | {cpu_cold:.2f} s | {cpu_changed:.2f} s |")

    size = max(sizes)
    print(f"\nvalidate() in one process, {size:,} services, one file changed (no start-up; `build` uses the full "
          "documents):\n")
    print("| documents | no cache | cache | ratio |")
    print("| --- | ---: | ---: | ---: |")
    full_plain, full_cached, lean_plain, lean_cached = in_process(catalogs[size], size, args.runs)
    print(f"| full (`build`) | {full_plain:.2f} s | {full_cached:.2f} s | {full_plain / full_cached:.1f}x |")
    print(f"| lean (`validate`) | {lean_plain:.2f} s | {lean_cached:.2f} s | {lean_plain / lean_cached:.1f}x |")


if __name__ == "__main__":
    main()
