"""Benchmark: `servicedir build --only site` on synthetic catalogues; build time should grow linearly.

Run with `.venv/bin/python bench/site_speed.py [--runs N] [--sizes 250,1000]`; prints a Markdown table of
medians (figures in docs/benchmarks.md), and the heaviest service page's size.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.synthetic import generate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="250,1000")
    args = parser.parse_args()
    env = {**os.environ, "SERVICEDIR_TODAY": "2026-11-28", "PYTHONPATH": str(HERE.parent)}
    print(f"{os.cpu_count()} cores, {args.runs} runs each, median seconds, two languages\n")
    print("| services | build --only site | per service | heaviest service page |")
    print("| ---: | ---: | ---: | ---: |")
    for size in (int(s) for s in args.sizes.split(",")):
        catalog = generate(HERE / "out" / f"catalog-{size}", size)
        out = Path(tempfile.mkdtemp(prefix="servicedir-bench-"))
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "generator", "build", "--only", "site", "--catalog", str(catalog),
                            "--output", str(out)], env=env, check=True, capture_output=True)
            times.append(time.perf_counter() - started)
        heaviest = max(p.stat().st_size for p in (out / "site").glob("*/services/*/index.html"))
        median = statistics.median(times)
        print(f"| {size:,} | {median:.1f} s | {median / size * 1000:.1f} ms | {heaviest / 1000:.1f} KB |")
        shutil.rmtree(out)


if __name__ == "__main__":
    main()
