"""A one-line progress display on stderr: records, megabytes, rate and time left."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Redraws at most five times a second; silent unless ``enabled``."""

    def __init__(self, total_bytes: int | None, *, enabled: bool,
                 stream: TextIO | None = None) -> None:
        self.total = total_bytes
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.start = time.monotonic()
        self._last = 0.0

    @classmethod
    def for_terminal(cls, total_bytes: int | None, quiet: bool) -> Progress:
        return cls(total_bytes, enabled=not quiet and sys.stderr.isatty())

    def __call__(self, records: int, done_bytes: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < 0.2:
            return
        self._last = now
        elapsed = max(now - self.start, 1e-9)
        rate = done_bytes / elapsed
        line = f"{records:,} records  {done_bytes / 1e6:,.1f}"
        if self.total:
            line += f"/{self.total / 1e6:,.1f} MB  {rate / 1e6:,.1f} MB/s"
            if rate > 0 and done_bytes < self.total:
                left = int((self.total - done_bytes) / rate)
                line += f"  ETA {left // 60}:{left % 60:02d}"
        else:
            line += f" MB  {rate / 1e6:,.1f} MB/s"
        self.stream.write("\r" + line + "\x1b[K")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
