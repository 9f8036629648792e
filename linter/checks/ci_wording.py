"""Shared wording for the rules that ask "does tool X run in CI on each change?".

The detectors say what runs where and how it was reached (``linter.detectors.ci.judge``:
hits with their hops); the verdict text is built here, for SEC001, SEC003, SEC004, SEC005,
DEL001, DEL003, PERF003 and COST002, so every message names the tool, the file:line chain
from the CI line to the command, and the events that start the job in the same words.
"""

from __future__ import annotations

from linter.detectors import ci
from linter.detectors.ci.gitlab import SYSTEM as GITLAB
from linter.detectors.ci.judge import JobHit, ToolHit
from linter.detectors.ci.model import PER_CHANGE, CiFacts, Hop
from linter.results import Evidence, Finding, failed, passed

MAX_LISTED = 3
CHANGE_WORDS = {"pull_request": "pull requests", "push": "pushes", "merge_group": "the merge queue"}
LATE_WORDS = {
    "schedule": "on a schedule", "manual": "when started by hand",
    "call": "when another workflow calls it (none does)", "other": "on other events (tags, releases, API)",
}
LOOKED_FOR = ", ".join(ci.LOOKED_FOR)
KNOWN_STEP = "known step, not read here"


def chain(hops: tuple[Hop, ...], known_step: str = "") -> str:
    """``ci.yml:40 -> scripts/ci/unit.sh:12``: every hop from the CI line to the command
    (a value's hop says which value: ``ci.yml:70 (matrix.run)``)."""
    parts: list[str] = []
    for index, hop in enumerate(hops):
        if index and known_step and (hop.path, hop.line) == (hops[0].path, hops[0].line):
            parts[-1] += f" ({KNOWN_STEP})"
            continue
        name = hop.text.split(" = ", 1)[0] if " = " in hop.text and index else ""
        location = f"{hop.path}:{hop.line}" + (f" ({name})" if name else "")
        if not parts or parts[-1] != location:
            parts.append(location)
    return " -> ".join(parts)


def hit_location(hit: ToolHit) -> str:
    """Where a hit is: its file and line, or the chain of hops when it took more than one."""
    if len(hit.hops) > 1:
        return chain(hit.hops, hit.known_step)
    return f"{hit.path}:{hit.line}"


def where(hit: JobHit) -> str:
    location = hit_location(hit.hit)
    return f"{location}, {hit.job.via}" if hit.job.via else location


def change_text(hit: JobHit) -> str:
    words = dict(CHANGE_WORDS)
    if hit.system == GITLAB:
        words["pull_request"] = "merge requests"
    return " and ".join(words[t] for t in sorted(hit.job.triggers & PER_CHANGE)) or "changes"


def late_text(hit: JobHit) -> str:
    if not hit.job.triggers:
        return "in a job that never starts here (no event, or an `if:` false in this repository)"
    order = list(LATE_WORDS)
    ranked = sorted(hit.job.triggers, key=lambda t: (order.index(t) if t in order else len(order), t))
    # a push that is not per change pushes tags or release lines (``Job.per_change``)
    branches = [r for r in hit.job.refs if r.startswith("branch:")]
    words = {**LATE_WORDS, "push": "on pushes to release branches" if branches else "on tag pushes"}
    return " or ".join(words.get(t, t) for t in ranked)


def weak_text(hit: ToolHit) -> str:
    """Why a hit that rests on weaker evidence counted (DEL003: a job's name, its environment)."""
    if hit.weak == "name":
        return (f"counted as tests by its name ({hit.weak_detail}), since the command itself is not a test runner "
                "practicelint knows")
    if hit.weak in ("cluster", "stack"):
        what = "cluster" if hit.weak == "cluster" else "Compose stack"
        return f"counted as tests: the job creates its own {what} ({hit.weak_detail}) and runs commands against it"
    return ""


def provenance(hit: ToolHit) -> str:
    """What an evidence detail adds for a command reached through hops, a known step or a name."""
    text = ""
    if len(hit.hops) > 1:
        text += f"; via {chain(hit.hops, hit.known_step)}"
    if hit.known_step:
        text += f"; {KNOWN_STEP}: {hit.known_step}"
    if hit.weak:
        text += f"; {weak_text(hit)}"
    return text


def evidence(hit: JobHit, when: str) -> Evidence:
    blocking = "" if hit.hit.blocking else "; does not fail the job"
    return Evidence(hit.hit.path, hit.hit.line,
                    f"{hit.hit.tool}: {hit.hit.detail}; runs {when}{blocking}{provenance(hit.hit)}")


def listed(items: list[str], limit: int = MAX_LISTED) -> str:
    """The first ``limit`` distinct items (a matrix's jobs often run the same line) and a count."""
    items = list(dict.fromkeys(items))
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
