"""SEC001: a dependency vulnerability scan runs in CI on every change.

Verdicts, most useful first:

* pass: a scanner runs in a job started by pull/merge requests or pushes (a scan whose
  failure is ignored still passes, and the message says it does not gate the change);
* fail: scanners exist but only run on a schedule, by hand, or in a reusable workflow that
  nothing calls - they find a vulnerable dependency after it merged;
* fail: only Dependabot/Renovate is configured - they propose upgrades, they gate nothing;
* fail: no scan at all, naming the CI files that were read (or that none was found);
* error instead of either failure when a CI configuration file of the scope could not be used
  (it does not parse, is binary, too large...): the scan may be in it
  (``linter.checks.unreadable``).
"""

from __future__ import annotations

from linter.checks.base import CheckContext
from linter.checks.ci_runs import runs_of
from linter.checks.ci_wording import LOOKED_FOR, MAX_LISTED, change_text, evidence, late_text, where
from linter.checks.rule import RuleCheck
from linter.checks.unreadable import could_not_read
from linter.detectors import ci
from linter.detectors.ci.judge import JobHit
from linter.detectors.ci.tables import DEPENDENCY_SCAN
from linter.results import Evidence, Finding, failed, passed


def check(ctx: CheckContext) -> Finding:
    facts = ctx.facts(ci.detect)
    hits = ctx.owned(runs_of(ctx, facts, DEPENDENCY_SCAN), "hit.path")
    per_change = [h for h in hits if h.job.per_change]
    if per_change:
        return _pass(per_change)
    unread = could_not_read(ctx, facts.unusable, "no dependency vulnerability scan that runs on every change")
    if unread is not None:  # the scan may be in the file that could not be used
        return unread
    if hits:
        return _only_late(hits)
    bots = ctx.owned(facts.bots)
    if bots:
        names = "; ".join(_bot_text(b) for b in bots)
        return failed(
            f"no dependency vulnerability scan in CI: only update bots are configured ({names}); "
            "they propose upgrades but do not gate a change that adds a vulnerable dependency",
            [Evidence(b.path, b.line, f"{b.tool} configuration") for b in bots],
        )
    return _nothing(facts, ctx)


def _pass(per_change: list[JobHit]) -> Finding:
    blocking = [h for h in per_change if h.hit.blocking]
    shown = (blocking or per_change)[:MAX_LISTED]
    described = "; ".join(f"{h.hit.tool} on {change_text(h)} ({where(h)})" for h in shown)
    more = len(blocking or per_change) - len(shown)
    message = f"dependency scan runs on every change: {described}" + (f" and {more} more" if more > 0 else "")
    if not blocking:
        message += ("; but it does not gate the change: a finding does not fail the job "
                    f"({per_change[0].hit.detail})")
    return passed(message, [evidence(h, change_text(h)) for h in per_change])


def _only_late(hits: list[JobHit]) -> Finding:
    shown = hits[:MAX_LISTED]
    described = "; ".join(f"{h.hit.tool} runs only {late_text(h)} ({where(h)})" for h in shown)
    more = len(hits) - len(shown)
    return failed(
        described + (f" and {more} more" if more > 0 else "")
        + ": a scan that runs only after a change is merged or released cannot stop a vulnerable "
        "dependency; run it on pull requests or branch pushes as well",
        [evidence(h, late_text(h)) for h in hits],
    )


def _nothing(facts: ci.CiFacts, ctx: CheckContext) -> Finding:
    files = [f for f in facts.files_read if ctx.owns(f)]
    if not files:
        return failed(f"no dependency vulnerability scan in CI: no CI configuration found (looked for {LOOKED_FOR})")
    systems = ", ".join(ci.SYSTEM_NAMES.get(s, s) for s in facts.systems) or "CI"
    listed = ", ".join(files[:10]) + (f" and {len(files) - 10} more" if len(files) > 10 else "")
    return failed(
        f"no dependency vulnerability scan in CI: read {systems} configuration ({listed}) and found no "
        "dependency scanner step, template or command outside comments",
        [Evidence(f, 0, "CI configuration read") for f in files],
    )


# --------------------------------------------------------------------------- wording
def _bot_text(bot: ci.UpdateBot) -> str:
    name = "Dependabot" if bot.tool == "dependabot" else "Renovate"
    ecosystems = f" for {', '.join(bot.ecosystems)}" if bot.ecosystems else ""
    return f"{name}{ecosystems} in {bot.path}"


RULE = RuleCheck(
    id="SEC001",
    fix="plan_dependency_scan",
)
