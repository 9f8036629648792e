"""Shared wording and verdict shapes for rules that ask "does tool X run in CI on each change?".

SEC001 grew its own phrasing; the later pipeline rules (SAST, secret scanning, IaC policy,
cost, load tests) share it from here so every message names the tool, the file:line and the
events that start the job in the same words.
"""

from __future__ import annotations

from linter.detectors.ci.gitlab import SYSTEM as GITLAB
from linter.detectors.ci.model import PER_CHANGE, CiFacts
from linter.detectors.ci.scanners import JobHit
from linter.results import Evidence, Finding, failed, passed

MAX_LISTED = 3
CHANGE_WORDS = {"pull_request": "pull requests", "push": "pushes", "merge_group": "the merge queue"}
LATE_WORDS = {
    "schedule": "on a schedule", "manual": "when started by hand",
    "call": "when another workflow calls it (none does)", "other": "on other events (tags, releases, API)",
}
LOOKED_FOR = (".github/workflows/*.yml, .gitlab-ci.yml, Jenkinsfile, .circleci/config.yml, "
              "azure-pipelines.yml, bitbucket-pipelines.yml")


def where(hit: JobHit) -> str:
    location = f"{hit.hit.path}:{hit.hit.line}"
    return f"{location}, {hit.job.via}" if hit.job.via else location


def change_text(hit: JobHit) -> str:
    words = dict(CHANGE_WORDS)
    if hit.system == GITLAB:
        words["pull_request"] = "merge requests"
    return " and ".join(words[t] for t in sorted(hit.job.triggers & PER_CHANGE)) or "changes"


def late_text(hit: JobHit) -> str:
    if not hit.job.triggers:
        return "in a job that no trigger starts"
    order = list(LATE_WORDS)
    ranked = sorted(hit.job.triggers, key=lambda t: (order.index(t) if t in order else len(order), t))
    return " or ".join(LATE_WORDS.get(t, t) for t in ranked)


def evidence(hit: JobHit, when: str) -> Evidence:
    blocking = "" if hit.hit.blocking else "; does not fail the job"
    return Evidence(hit.hit.path, hit.hit.line, f"{hit.hit.tool}: {hit.hit.detail}; runs {when}{blocking}")


def listed(items: list[str], limit: int = MAX_LISTED) -> str:
    shown = "; ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def per_change_pass(what: str, hits: list[JobHit], gate_note: bool = True) -> Finding:
    """Pass naming the per-change runs; a note when none of them fails the job on a finding."""
    blocking = [h for h in hits if h.hit.blocking]
    shown = blocking or hits
    message = f"{what} runs on every change: " + listed([f"{h.hit.tool} on {change_text(h)} ({where(h)})" for h in shown])
    if gate_note and not blocking:
        message += f"; but it does not gate the change: a finding does not fail the job ({hits[0].hit.detail})"
    return passed(message, [evidence(h, "on " + change_text(h)) for h in hits])


def only_late_fail(what: str, hits: list[JobHit], why: str) -> Finding:
    described = listed([f"{h.hit.tool} runs only {late_text(h)} ({where(h)})" for h in hits])
    return failed(f"{what}: {described}: {why}", [evidence(h, late_text(h)) for h in hits])


def nothing_fail(what: str, facts: CiFacts, missing: str) -> Finding:
    """Fail that names the CI files read (or says none was found)."""
    files = list(facts.files_read)
    if not files:
        return failed(f"{what}: no CI configuration found (looked for {LOOKED_FOR})")
    names = ", ".join(files[:10]) + (f" and {len(files) - 10} more" if len(files) > 10 else "")
    return failed(f"{what}: read {names} and found {missing}",
                  [Evidence(f, 0, "CI configuration read") for f in files])
