"""REL002 recovery-runbook: the service's runbooks cover failover and the way back.

A runbook is Markdown under runbook(s)/, playbook(s)/, ops/, docs/ops*, on-call folders, or
named runbook*/playbook*/disaster-recovery*/dr-plan* (``linter.detectors.docs``). Coverage
is read from headings and paragraph text only; commands in code blocks and comments do not
count. The service's runbooks are judged together: failover in one file and failback in
another is fine.
"""

from __future__ import annotations

from linter.checks.attribution import RUNBOOK_PLACES, runbooks_of
from linter.checks.base import CheckContext
from linter.checks.rule import Placement, RuleCheck
from linter.detectors import docs
from linter.results import Evidence, Finding, failed, passed

MAX_LISTED = 3
def check(ctx: CheckContext) -> Finding:
    runbooks = runbooks_of(ctx)
    if not runbooks:
        return failed(f"No runbook found for {ctx.scope.name}: looked for {RUNBOOK_PLACES}")
    failover = [(d, m) for d in runbooks for m in d.failover]
    failback = [(d, m) for d in runbooks for m in d.failback]
    evidence = [Evidence(d.path, m.line, f"failover: {m.text}") for d, m in failover[:10]]
    evidence += [Evidence(d.path, m.line, f"way back: {m.text}") for d, m in failback[:10]]
    if failover and failback:
        (d1, m1), (d2, m2) = failover[0], failback[0]
        return passed(f"Runbooks cover failover ({d1.path}:{m1.line}) and the way back ({d2.path}:{m2.line})",
                      evidence)
    names = ", ".join(d.path for d in runbooks[:MAX_LISTED]) + (
        f" and {len(runbooks) - MAX_LISTED} more" if len(runbooks) > MAX_LISTED else "")
    if failover:
        d, m = failover[0]
        return failed(f"{ctx.scope.name}'s runbooks: covers failover at {d.path}:{m.line} but not failback/restore: "
                      f"no heading or paragraph about failing back, resynchronising, restoring or returning "
                      f"traffic to the primary in {names}", evidence)
    if failback:
        d, m = failback[0]
        return failed(f"Runbooks describe restoring at {d.path}:{m.line} but never failover: say how traffic "
                      f"leaves a failed site before how it comes back ({names})", evidence)
    listed = [Evidence(d.path, d.title_line, "runbook without failover or failback") for d in runbooks]
    return failed(f"Runbooks found ({names}) but none covers failover or the way back (failback, resync, "
                  "restore, returning traffic to the primary)", listed)


RULE = RuleCheck(
    id="REL002",
    placement=Placement.SECOND,
    early_facts=(docs.detect,),
    fix="plan_runbook",
)
