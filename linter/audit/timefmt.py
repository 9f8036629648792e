"""Times as people read them: ``6 Dec 2026 14:03 UTC``, never a raw ISO 8601 string.

Month names are spelled here rather than by ``strftime("%b")``, which follows the C locale
of the process: the same audit must print the same page on every machine.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def as_utc(value: Any) -> datetime | None:
    """``value`` (a datetime or an ISO 8601 string) in UTC; a naive time is taken as UTC, as
    the audit clock writes it. ``None`` for anything else."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return None
    else:
        return None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def human_time(value: Any) -> str | None:
    """``"2026-12-06T14:03:27.123456+00:00"`` -> ``"6 Dec 2026 14:03 UTC"``; ``None`` for
    anything that is not a time."""
    moment = as_utc(value)
    if moment is None:
        return None
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year} {moment:%H:%M} UTC"


def human_day(value: Any) -> str | None:
    """``"6 Dec"``: a short date for chart axes."""
    moment = as_utc(value)
    return None if moment is None else f"{moment.day} {MONTHS[moment.month - 1]}"
