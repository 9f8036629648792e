"""Path globs with the semantics users expect from CI tools and .gitignore.

``*`` and ``?`` stay inside one path segment, ``**`` spans any number of segments,
``[abc]`` is a character class. Many patterns compile into one regular expression so a
pass over the file index tests each path once, not once per pattern.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable


def _translate(pattern: str) -> str:
    pattern = pattern.strip().strip("/") if pattern not in ("/", "") else ""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("/**", i) and i + 3 == n:
            out.append("(?:/.*)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif ch == "*":
            out.append("[^/]*")
            i += 1
        elif ch == "?":
            out.append("[^/]")
            i += 1
        elif ch == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape(ch))
                i += 1
            else:
                body = pattern[i + 1:end].replace("\\", "\\\\").replace("[", "\\[")
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = end + 1
        else:
            out.append(re.escape(ch))
            i += 1
    return "".join(out)


def _safe_translate(pattern: str) -> str:
    """A pattern's regex, or the pattern as literal text when it does not form a valid class
    (``[]``, ``[z-a]``): user globs must never crash a run."""
    translated = _translate(pattern)
    try:
        re.compile(translated)
    except re.error:
        return re.escape(pattern.strip().strip("/"))
    return translated


@lru_cache(maxsize=256)
def _compile(patterns: tuple[str, ...]) -> re.Pattern[str]:
    if not patterns:
        return re.compile(r"(?!)")
    # The anchor must close the whole alternation, or only the last pattern would be anchored.
    return re.compile("(?:" + "|".join(f"(?:{_safe_translate(p)})" for p in patterns) + r")\Z")


def matcher(patterns: Iterable[str]) -> re.Pattern[str]:
    """One compiled regex; use ``.match(path)`` on POSIX relative paths."""
    return _compile(tuple(patterns))


def match_any(path: str, patterns: Iterable[str]) -> bool:
    return matcher(patterns).match(path) is not None
