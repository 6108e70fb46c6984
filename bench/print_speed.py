"""Benchmark: leaflets of the demo county on one core and on all cores, a rebuild with nothing changed,
and the size of each leaflet.

Run with `.venv/bin/python bench/print_speed.py [--runs N]`; prints Markdown tables of medians (figures in
docs/benchmarks.md). Runs on one and on all cores alternate, so both see the same machine load.
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

ROOT = Path(__file__).resolve().parent.parent


def leaflets(out: Path, jobs: int, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "generator", "build", "--only", "leaflets", "--catalog", str(ROOT / "catalog"),
                    "--output", str(out), "--jobs", str(jobs)], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    env = {**os.environ, "SERVICEDIR_TODAY": "2026-11-28", "PYTHONPATH": str(ROOT)}
    cores = os.cpu_count() or 1
    times: dict[int, list[float]] = {1: [], cores: []}
    rebuild: list[float] = []
    for _ in range(args.runs):
        for jobs in times:
            out = Path(tempfile.mkdtemp(prefix="servicedir-bench-"))
            try:
                times[jobs].append(leaflets(out, jobs, env))
                if jobs == cores:
                    rebuild.append(leaflets(out, jobs, env))
                    sizes = {lang.name: sorted(p.stat().st_size for p in lang.glob("*.pdf"))
                             for lang in (out / "print" / "leaflets").iterdir() if lang.is_dir()}
            finally:
                shutil.rmtree(out)
    count = sum(len(s) for s in sizes.values())
    one, many = statistics.median(times[1]), statistics.median(times[cores])
    print(f"{count} leaflets (demo county, A5), {args.runs} runs each, medians; {cores} cores\n")
    print("| build --only leaflets | whole run | per leaflet |")
    print("| --- | ---: | ---: |")
    print(f"| --jobs 1 | {one:.1f} s | {one / count:.2f} s |")
    print(f"| --jobs {cores} | {many:.1f} s | {many / count:.2f} s |")
    print(f"| --jobs {cores}, nothing changed | {statistics.median(rebuild):.1f} s | (0 rendered) |")
    print(f"\nspeed-up on {cores} cores: {one / many:.2f}x\n")
    print("| language | leaflets | median size | largest |")
    print("| --- | ---: | ---: | ---: |")
    for lang, s in sorted(sizes.items()):
        print(f"| {lang} | {len(s)} | {statistics.median(s) / 1000:.0f} KB | {s[-1] / 1000:.0f} KB |")


if __name__ == "__main__":
    main()
