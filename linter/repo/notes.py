"""What a run skipped or could not use: one ``Note`` per path and reason, in every report.

Every part of the repository model (the index, the reader, git) writes to the same
``Notes`` of a run, so a skipped file is explained once, wherever it was met.
"""

from __future__ import annotations

from linter.fast_dataclass import dataclass


@dataclass(frozen=True, order=True)
class Note:
    """Something the run skipped or could not use, shown in every report."""

    path: str
    reason: str


class Notes:
    """A run's notes, each recorded once (by path and reason); reports list them sorted."""

    def __init__(self) -> None:
        self._notes: dict[tuple[str, str], Note] = {}

    def note(self, path: str, reason: str) -> None:
        """Record a skipped file or a problem once."""
        self._notes.setdefault((path, reason), Note(path, reason))

    @property
    def notes(self) -> list[Note]:
        return sorted(self._notes.values())
