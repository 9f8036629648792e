"""Times as people read them: ``2026-11-27 10:00 UTC``, never a raw ISO 8601 string."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any


def human_time(value: Any) -> str | None:
    """``"2026-11-27T10:00:00+00:00"`` -> ``"2026-11-27 10:00 UTC"``; ``None`` for anything
    that is not an ISO time (a naive time is taken as UTC, as the audit clock writes it)."""
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
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
