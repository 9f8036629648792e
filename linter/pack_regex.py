"""Rule-pack regular expressions: refused before compiling when too costly, and searched
within one time budget per run.

Rule packs may come from the scanned repository, so their patterns are hostile input. The
``regex`` module they are compiled with has per-search timeouts, but two costs escaped them:

* **compiling**: nested counted repeats are expanded, so the 42-byte
  ``(?:(?:(?:a{1000}){1000}){1000}){1000}`` asks for terabytes (a million states already
  take 270 MB), and 200 nested groups overflow the compiler's recursion. ``problem``
  measures a pattern's structure from its text, before any compiling: the states it
  expands to (each counted repeat multiplies what it repeats) and how deep its groups nest;
  the pack loader turns a problem into a configuration error (exit 2);
* **searching**: a 0.5 s timeout per search still let 40 files x 2 patterns take minutes.
  ``Budget`` gives all the pack searches of one run ``RUN_BUDGET_SECONDS`` between them;
  once they are spent, the searches left are skipped (``BudgetSpent``), which the pack's
  rule reports as status ``error`` and the run as a note.
"""

from __future__ import annotations

import re
import time
from typing import Any

#: States a pattern may expand to when compiled (about 270 bytes each: ~27 MB at the limit).
MAX_EXPANDED_STATES = 100_000
#: Group nesting (the ``regex`` compiler recurses per level and fails near 200).
MAX_GROUP_DEPTH = 50
#: Seconds one search may take before its file counts as not matching.
SEARCH_TIMEOUT_SECONDS = 0.5
#: Seconds all rule-pack searches of one run may take together.
RUN_BUDGET_SECONDS = 3.0

_COUNTED = re.compile(r"\{(\d+)(?:,(\d*))?\}|\{,(\d+)\}")


def problem(pattern: str) -> str:
    """Why ``pattern`` is too costly to compile, or ``""``. Reads the pattern's structure only
    (escapes, classes, groups, repeats), so it never compiles or runs anything; what it
    cannot read (a ``{`` that is no repeat) counts as plain characters, which only ever
    overestimates."""
    states, depth = _measure(pattern)
    if depth > MAX_GROUP_DEPTH:
        return f"groups nested {depth} deep (at most {MAX_GROUP_DEPTH})"
    if states > MAX_EXPANDED_STATES:
        return (f"counted repeats expand it to about {min(states, 10**12):,} states when compiled "
                f"(at most {MAX_EXPANDED_STATES:,}): nested {{n}} multiply")
    return ""


def _measure(pattern: str) -> tuple[int, int]:
    """(states after expanding counted repeats, deepest group nesting)."""
    stack: list[list[int]] = [[]]  # per open group, the sizes of its items so far
    deepest = 0
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            i = _after_escape(pattern, i)
            stack[-1].append(1)
        elif ch == "[":
            i = _after_class(pattern, i)
            stack[-1].append(1)
        elif ch == "(":
            stack.append([])
            deepest = max(deepest, len(stack) - 1)
            i += 1
        elif ch == ")":
            if len(stack) > 1:
                inner = stack.pop()
                stack[-1].append(max(1, sum(inner)))
            i += 1
        elif ch == "{" and (counted := _COUNTED.match(pattern, i)):
            low, high, only_high = counted.groups()
            factor = max(int(low or 0), int(high or 0), int(only_high or 0), 1)
            if stack[-1]:
                stack[-1][-1] *= factor
            i = counted.end()
        elif ch in "*+?|":  # unbounded or optional repeats and alternatives expand nothing
            i += 1
        else:
            stack[-1].append(1)
            i += 1
    while len(stack) > 1:
        inner = stack.pop()
        stack[-1].append(max(1, sum(inner)))
    return sum(stack[0]), deepest


def _after_escape(pattern: str, i: int) -> int:
    """Index after the escape at ``i`` (``\\p{L}``, ``\\N{...}``, ``\\x{...}``, ``\\g<n>`` whole)."""
    end = i + 2
    if end < len(pattern) and pattern[i + 1:i + 2] in ("p", "P", "N", "x", "g") and pattern[end] in "{<":
        close = pattern.find("}" if pattern[end] == "{" else ">", end)
        return len(pattern) if close == -1 else close + 1
    return end


def _after_class(pattern: str, i: int) -> int:
    """Index after the character class opening at ``i``: its first unescaped ``]`` after an
    optional ``^`` and a leading ``]``. (A nested set of ``regex``'s V1 mode ends later than
    that; reading what follows as pattern only overestimates.)"""
    j = i + 1
    if pattern.startswith("^", j):
        j += 1
    if pattern.startswith("]", j):
        j += 1
    while j < len(pattern):
        if pattern[j] == "\\":
            j += 2
        elif pattern[j] == "]":
            return j + 1
        else:
            j += 1
    return len(pattern)


class BudgetSpent(Exception):
    """The run's rule-pack searches have used ``RUN_BUDGET_SECONDS``: the rest are skipped."""


class Budget:
    """The time all rule-pack searches of one run share (``RUN_BUDGET_SECONDS``)."""

    def __init__(self, seconds: float | None = None) -> None:
        self.seconds = RUN_BUDGET_SECONDS if seconds is None else seconds
        self.spent = 0.0

    def search(self, compiled: Any, text: str) -> Any:
        """``compiled.search(text)`` within what is left: ``TimeoutError`` when this one search
        took ``SEARCH_TIMEOUT_SECONDS`` (the file counts as not matching), ``BudgetSpent``
        when the run's budget ran out first (now or before)."""
        left = self.seconds - self.spent
        if left <= 0:
            raise BudgetSpent
        limit = min(SEARCH_TIMEOUT_SECONDS, left)
        start = time.monotonic()
        try:
            return compiled.search(text, timeout=limit)
        except TimeoutError:
            if limit < SEARCH_TIMEOUT_SECONDS:
                self.spent = self.seconds
                raise BudgetSpent from None
            raise
        finally:
            self.spent += time.monotonic() - start

    @property
    def note(self) -> str:
        return (f"rule packs: the run's {self.seconds:g} s for regular-expression searches were used up; "
                "the rules still to search were not evaluated (status error)")
