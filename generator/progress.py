"""Progress of long runs: a bar on a terminal, a count line now and then in CI logs."""
from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO


class Progress:
    """Counts done items out of `total`; use as a context manager around the work."""

    def __init__(self, label: str, total: int, stream: TextIO | None = None, every: float = 5.0):
        self.label, self.total, self.done = label, total, 0
        self.stream = stream or sys.stderr
        self.every = every  # seconds between count lines when not on a terminal
        self.bar = None
        self.last = 0.0
        self.note = ""  # said after the count when the run ends, e.g. how many were unchanged

    def __enter__(self) -> "Progress":
        if self.total and self.stream.isatty():
            from tqdm import tqdm
            self.bar = tqdm(total=self.total, desc=self.label, unit="file", file=self.stream, leave=False)
        self.last = time.monotonic()
        return self

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self.bar is not None:
            self.bar.update(n)
        elif time.monotonic() - self.last >= self.every and self.done < self.total:
            self.last = time.monotonic()
            print(f"{self.label}: {self.done}/{self.total}", file=self.stream, flush=True)

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.bar is not None:
            self.bar.close()
        if kind is None:
            print(f"{self.label}: {self.done}/{self.total}{self.note}", file=self.stream, flush=True)
