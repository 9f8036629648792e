"""What a rule that reads git history says when the checkout has none to give.

DEL002, PROD001 and PROD002 (the rules whose record says ``reads_history=True``) call
``unavailable`` first. On a shallow clone, a grafted history or a folder outside git their
answer would be made up (every service "new", the fetched commit "huge"), so they are
``skipped``: not scored, never failing the run, with a message that says what was missing,
why, and the setting that fetches it. An audit that must judge every rule sets
``history: required`` (or ``check --require-history``): the same result is then ``error``.
When git itself fails while reading a history that is there, the result is ``error`` too:
something is broken, and a guess would pass for a verdict.
"""

from __future__ import annotations

from linter.checks.base import CheckContext
from linter.results import Finding, Status

#: ``settings["history"]`` (the configuration's ``history``) that turns skipped into error.
REQUIRED = "required"


def unavailable(ctx: CheckContext, needs: str) -> Finding | None:
    """The finding when history is unavailable here (``needs``: what the rule reads it for,
    as a clause), else ``None``: ``skipped``, or ``error`` with ``history: required``."""
    gap = ctx.workspace.history_gap
    if gap is None:
        return None
    text = f"{needs}, and {gap.reason()}. {gap.remedy()}"
    if ctx.settings.get("history") == REQUIRED:
        return Finding(Status.ERROR, f"Could not be evaluated, and history is required (history: required): {text}")
    return Finding(Status.SKIPPED, f"Not evaluated: {text}")


def unreadable(what: str) -> Finding:
    """``error``: git failed while reading a history that is there (``what`` it was reading)."""
    return Finding(Status.ERROR, f"Could not be evaluated: git failed while reading {what} "
                                 "(a corrupt repository, or git timed out); the notes say more")
