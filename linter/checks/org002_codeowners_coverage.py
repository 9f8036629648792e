"""ORG002 codeowners-coverage: a CODEOWNERS file assigns an owner to every indexed file.

The file in use is the one the hosting platform reads (see ``linter.detectors.codeowners``);
a path is covered when its deciding rule lists at least one owner (GitLab: in at least one
section). Invalid lines are named, because the platform skips them and they are a common
reason for a gap.
"""

from __future__ import annotations

from linter.checks.base import CheckContext
from linter.checks.rule import RuleCheck
from linter.checks.unreadable import could_not_read
from linter.detectors import codeowners
from linter.results import Evidence, Finding, counted, failed, passed

MAX_LISTED = 20
MAX_INVALID_EVIDENCE = 20


def _invalid_part(co: codeowners.CodeOwnersFile) -> tuple[str, list[Evidence]]:
    if not co.invalid:
        return "", []
    lines = ", ".join(str(i.line) for i in co.invalid[:MAX_LISTED])
    skipped = " (skipped by GitHub)" if co.style == "github" else ""
    evidence = [Evidence(co.path, i.line, f"invalid line: {i.reason}") for i in co.invalid[:MAX_INVALID_EVIDENCE]]
    return f"; {counted(len(co.invalid), 'invalid line')}{skipped} at line {lines}", evidence


def _shadowed_part(facts: codeowners.CodeOwnersFacts) -> str:
    if not facts.shadowed or facts.file is None:
        return ""
    return f"; ignored because {facts.file.path} takes precedence: {', '.join(facts.shadowed)}"


def check(ctx: CheckContext) -> Finding:
    facts = ctx.facts(codeowners.detect)
    co = facts.file
    if co is None:
        present = [p for p in facts.searched if p in ctx.workspace.file_set and ctx.workspace.unusable(p)]
        unread = could_not_read(ctx, present, "no usable CODEOWNERS file")
        if unread is not None:
            return unread
        where = ", ".join(facts.searched)
        extra = f" ({', '.join(facts.shadowed)} exists but is not read there)" if facts.shadowed else ""
        return failed(f"No usable CODEOWNERS file: looked in {where}{extra}")
    ws = ctx.workspace
    rules = co.rules
    uncovered = [p for p in ws.files if not co.covers(p)]
    invalid_msg, invalid_evidence = _invalid_part(co)
    shadowed_msg = _shadowed_part(facts)
    sections = [s.name for s in co.sections if s.name]
    section_msg = f" in {counted(len(sections), 'section')}" if sections else ""
    if uncovered:
        listed = ", ".join(uncovered[:MAX_LISTED])
        more = f" and {len(uncovered) - MAX_LISTED} more" if len(uncovered) > MAX_LISTED else ""
        evidence = [Evidence(p, 0, "no owner assigned by " + co.path) for p in uncovered[:MAX_LISTED]]
        evidence.append(Evidence(co.path, 0, f"{counted(len(rules), 'rule')} ({co.style} syntax)"))
        return failed(f"{len(uncovered)} of {len(ws.files)} files have no code owner in {co.path}: "
                      f"{listed}{more}{invalid_msg}{shadowed_msg}", evidence + invalid_evidence)
    evidence = [Evidence(co.path, 0, f"{counted(len(rules), 'rule')} ({co.style} syntax)")]
    return passed(f"{co.path} assigns an owner to all {len(ws.files)} files with {counted(len(rules), 'rule')}"
                  f"{section_msg}{invalid_msg}{shadowed_msg}", evidence + invalid_evidence)


RULE = RuleCheck(
    id="ORG002",
    fix="plan_codeowners",
)
