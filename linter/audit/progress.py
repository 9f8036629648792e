"""Progress on stderr: a redrawn bar on a terminal, one plain line per repository otherwise.

The bar shows the count, the rate, an ETA and the failures so far; CI logs get a line per
repository instead, which survives being captured and grepped.
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from linter import inert
from linter.results import counted

BAR_WIDTH = 24
REDRAW_SECONDS = 0.1


def _clock(seconds: float) -> str:
    seconds = max(int(seconds), 0)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _shown(value: Any) -> str:
    """A score or level, or "–" when there is none (nothing applied)."""
    return "–" if value is None else str(value)


class Progress:
    def __init__(self, total: int, stream: TextIO | None = None, tty: bool | None = None,
                 clock: Any = time.monotonic) -> None:
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)()) if tty is None else tty
        self.total = total
        self.done = 0
        self.failures = 0
        self._clock = clock
        self._start = clock()
        self._last_draw = 0.0

    def rate(self) -> float:
        elapsed = self._clock() - self._start
        return self.done / elapsed if elapsed > 0 else 0.0

    def line(self) -> str:
        """The bar's text: ``[#####.....]  37/200  4.1 repos/s  ETA 0:40  2 failed``."""
        filled = BAR_WIDTH * self.done // self.total if self.total else BAR_WIDTH
        rate = self.rate()
        eta = _clock((self.total - self.done) / rate) if rate > 0 else "--:--"
        return (f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {self.done}/{self.total} "
                f"{rate:.1f} repos/s ETA {eta} {self.failures} failed")

    def update(self, row: dict[str, Any], seconds: float) -> None:
        self.done += 1
        if row.get("status") != "ok":
            self.failures += 1
        if self.tty:
            now = self._clock()
            if now - self._last_draw >= REDRAW_SECONDS or self.done == self.total:
                self._last_draw = now
                self.stream.write("\r\x1b[2K" + self.line())
                self.stream.flush()
            return
        width = len(str(self.total))
        if row.get("reused"):
            outcome = f"kept   score {_shown(row.get('score'))} level {_shown(row.get('level'))} (previous audit)"
        elif row.get("status") == "ok":
            outcome = f"ok     score {_shown(row.get('score'))} level {_shown(row.get('level'))}"
        else:
            outcome = f"error  {row.get('error')}"
        self.stream.write(inert.line(f"[{self.done:>{width}}/{self.total}] {row.get('name')}: {outcome} "
                                     f"({seconds:.1f}s)") + "\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\r\x1b[2K" + self.line() + "\n")
        elapsed = self._clock() - self._start
        self.stream.write(f"audited {counted(self.done, 'repository', 'repositories')} in {_clock(elapsed)} "
                          f"({self.rate():.2f} repos/s), {self.failures} could not be audited\n")
        self.stream.flush()
