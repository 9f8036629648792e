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


def window_unavailable(ctx: CheckContext, needs: str, window: int) -> Finding | None:
    """``unavailable`` for a rule that reads only the newest ``window`` commits (DEL002): a
    shallow clone deep enough that those commits lie strictly above its boundary
    (``linter.repo.shallow_window``) has them exactly, so nothing is withheld; a shallower
    one is withheld with how many of them it has and how to fetch more."""
    gap = ctx.workspace.history_gap
    if gap is None or gap.kind != "shallow":
        return unavailable(ctx, needs)
    from linter.repo import history_gap, shallow_window
    from linter.repo.commit_sizes import LOCKFILES, window_args

    git = ctx.workspace.git
    if history_gap.grafted(git):  # shallow and grafted: the listing itself is rewritten
        return unavailable(ctx, needs)
    verdict = shallow_window.judge(git, window_args(window, LOCKFILES), window)
    if verdict.exact:
        return None
    above = (f"{verdict.above} of the newest {window} commits that touch this folder lie above its boundary "
             f"({verdict.why})")
    text = f"{needs}, and {gap.reason()}: {above}. {history_gap.deepen_remedy(window)}"
    if ctx.settings.get("history") == REQUIRED:
        return Finding(Status.ERROR, f"Could not be evaluated, and history is required (history: required): {text}")
    return Finding(Status.SKIPPED, f"Not evaluated: {text}")


def unreadable(what: str) -> Finding:
    """``error``: git failed while reading a history that is there (``what`` it was reading)."""
    return Finding(Status.ERROR, f"Could not be evaluated: git failed while reading {what} "
                                 "(a corrupt repository, or git timed out); the notes say more")
