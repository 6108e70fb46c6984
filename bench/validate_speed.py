"""Benchmark: wall-clock time of `servicedir validate` on synthetic catalogues of 1,000 and 10,000 services.

Run with `make bench` (or `.venv/bin/python bench/validate_speed.py [--runs N] [--sizes 1000,10000]`).
Prints a Markdown table of medians for docs/benchmarks.md; all figures of one table come from one run.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.synthetic import generate  # noqa: E402


def timed(args: list[str], runs: int) -> list[float]:
    env = {**os.environ, "SERVICEDIR_TODAY": "2026-11-28", "PYTHONPATH": str(HERE.parent)}
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "generator", "validate", *args], env=env,
                                capture_output=True, text=True)
        times.append(time.perf_counter() - started)
        if result.returncode != 0:
            raise SystemExit(f"validate failed:\n{result.stdout}{result.stderr}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="1000,10000")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, {args.runs} runs each, median seconds\n")
    print("| services | validate, all cores | validate, 1 core (`--jobs 1`) | ratio | per service |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for size in (int(s) for s in args.sizes.split(",")):
        catalog = generate(HERE / "out" / f"catalog-{size}", size)
        both = statistics.median(timed(["--catalog", str(catalog)], args.runs))
        one = statistics.median(timed(["--catalog", str(catalog), "--jobs", "1"], args.runs))
        print(f"| {size:,} | {both:.2f} s | {one:.2f} s | {one / both:.2f}x | {both / size * 1000:.2f} ms |")


if __name__ == "__main__":
    main()
