"""SEC001: a dependency vulnerability scan runs in CI on every change.

Verdicts, most useful first:

* pass: a scanner runs in a job started by pull/merge requests or pushes (a scan whose
  failure is ignored still passes, and the message says it does not gate the change);
* fail: scanners exist but only run on a schedule, by hand, or in a reusable workflow that
  nothing calls - they find a vulnerable dependency after it merged;
* fail: only Dependabot/Renovate is configured - they propose upgrades, they gate nothing;
* fail: no scan at all, naming the CI files that were read (or that none was found).
"""

from __future__ import annotations

from linter.checks.base import CheckContext
from linter.detectors import ci
from linter.detectors.ci.gitlab import SYSTEM as GITLAB
from linter.detectors.ci.scanners import DEPENDENCY_SCAN, JobHit, scanner_hits
from linter.results import Evidence, Finding, failed, passed

MAX_LISTED = 3
_CHANGE_WORDS = {"pull_request": "pull requests", "push": "pushes", "merge_group": "the merge queue"}
_LATE_WORDS = {
    "schedule": "on a schedule", "manual": "when started by hand",
    "call": "when another workflow calls it (none does)", "other": "on other events (tags, releases, API)",
}
LOOKED_FOR = (".github/workflows/*.yml, .gitlab-ci.yml, Jenkinsfile, .circleci/config.yml, "
              "azure-pipelines.yml, bitbucket-pipelines.yml")


def check(ctx: CheckContext) -> Finding:
    facts = ctx.facts(ci.detect)
    hits = [h for h in scanner_hits(facts, DEPENDENCY_SCAN) if _in_scope(ctx, h.hit.path)]
    per_change = [h for h in hits if h.job.per_change]
    if per_change:
        return _pass(per_change)
    if hits:
        return _only_late(hits)
    bots = [b for b in facts.bots if _in_scope(ctx, b.path)]
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
    described = "; ".join(f"{h.hit.tool} on {_change_text(h)} ({_where(h)})" for h in shown)
    more = len(blocking or per_change) - len(shown)
    message = f"dependency scan runs on every change: {described}" + (f" and {more} more" if more > 0 else "")
    if not blocking:
        message += ("; but it does not gate the change: a finding does not fail the job "
                    f"({per_change[0].hit.detail})")
    return passed(message, [_evidence(h, _change_text(h)) for h in per_change])


def _only_late(hits: list[JobHit]) -> Finding:
    shown = hits[:MAX_LISTED]
    described = "; ".join(f"{h.hit.tool} runs only {_late_text(h)} ({_where(h)})" for h in shown)
    more = len(hits) - len(shown)
    return failed(
        described + (f" and {more} more" if more > 0 else "")
        + ": a scan that runs after merge cannot stop a vulnerable dependency; "
        "run it on pull requests or pushes as well",
        [_evidence(h, _late_text(h)) for h in hits],
    )


def _nothing(facts: ci.CiFacts, ctx: CheckContext) -> Finding:
    files = [f for f in facts.files_read if _in_scope(ctx, f)]
    if not files:
        return failed(f"no dependency vulnerability scan in CI: no CI configuration found (looked for {LOOKED_FOR})")
    systems = ", ".join(ci.SYSTEM_NAMES.get(s, s) for s in facts.systems) or "CI"
    listed = ", ".join(files[:10]) + (f" and {len(files) - 10} more" if len(files) > 10 else "")
    return failed(
        f"no dependency vulnerability scan in CI: read {systems} configuration ({listed}) and found no "
        "dependency scanner step, template or command outside comments",
        [Evidence(f, 0, "CI configuration read") for f in files],
    )


def _in_scope(ctx: CheckContext, path: str) -> bool:
    """A repository-scope rule judges the whole repository: CI files live at its root."""
    return ctx.scope.contains(path)


# --------------------------------------------------------------------------- wording
def _where(hit: JobHit) -> str:
    where = f"{hit.hit.path}:{hit.hit.line}"
    return f"{where}, {hit.job.via}" if hit.job.via else where


def _change_text(hit: JobHit) -> str:
    words = dict(_CHANGE_WORDS)
    if hit.system == GITLAB:
        words["pull_request"] = "merge requests"
    return " and ".join(words[t] for t in sorted(hit.job.triggers & ci.PER_CHANGE))


def _late_text(hit: JobHit) -> str:
    if not hit.job.triggers:
        return "in a job that no trigger starts"
    order = list(_LATE_WORDS)
    ranked = sorted(hit.job.triggers, key=lambda t: (order.index(t) if t in order else len(order), t))
    return " or ".join(_LATE_WORDS.get(t, t) for t in ranked)


def _evidence(hit: JobHit, when: str) -> Evidence:
    blocking = "" if hit.hit.blocking else "; does not fail the job"
    return Evidence(hit.hit.path, hit.hit.line, f"{hit.hit.tool}: {hit.hit.detail}; runs {when}{blocking}")


def _bot_text(bot: ci.UpdateBot) -> str:
    name = "Dependabot" if bot.tool == "dependabot" else "Renovate"
    ecosystems = f" for {', '.join(bot.ecosystems)}" if bot.ecosystems else ""
    return f"{name}{ecosystems} in {bot.path}"
