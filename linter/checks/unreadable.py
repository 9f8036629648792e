"""What a rule says when it found nothing, but some of its input could not be read.

"No deploy configuration found" is a verdict only if every file that could hold one was
read. When a Kubernetes manifest does not parse, a Terraform file cannot be read, a
SECURITY.md is binary or a CODEOWNERS is not UTF-8, the rule could not run on it: the result
is ``error``, naming the file and why (the reader's note), never ``not_applicable`` and never
a failure for something that may well be there. Detectors list such files in their facts
(``unusable``); the workspace says why (``Workspace.unusable``).
"""

from __future__ import annotations

from typing import Iterable

from linter.checks.base import CheckContext
from linter.results import Evidence, Finding, Status

MAX_NAMED = 5


def could_not_read(ctx: CheckContext, paths: Iterable[str], looked_for: str) -> Finding | None:
    """``error`` when any of ``paths`` (files the rule reads that could not be used) belongs
    to this scope, else ``None``; ``looked_for`` says what the rule did not find elsewhere."""
    mine = sorted({p for p in paths if ctx.owns(p)})
    if not mine:
        return None
    why = {p: ctx.workspace.unusable(p) or "could not be read or parsed" for p in mine}
    named = "; ".join(f"{p} ({why[p]})" for p in mine[:MAX_NAMED])
    more = f" and {len(mine) - MAX_NAMED} more" if len(mine) > MAX_NAMED else ""
    return Finding(Status.ERROR,
                   f"Could not be evaluated: {looked_for} in the files that could be read, and these could not be "
                   f"used: {named}{more}. Fix them (or exclude them) and check again.",
                   tuple(Evidence(p, 0, f"could not be used: {why[p]}") for p in mine[:MAX_NAMED * 4]))
