"""DEL003: CI runs the tests on every proposed change, before it merges.

Test commands (pytest, unittest, tox/nox, npm/yarn/pnpm test scripts, jest/vitest/mocha,
go test, cargo test/nextest, mvn test|verify|package|install, gradle test|check|build,
dotnet test, rspec/rake test, phpunit, make test|check, ctest, bazel test, swift test,
mix test, terraform test...) are found with ``linter.detectors.ci.tables.TESTS``, as are Jenkins stages that
publish test results (``junit``, ``realtimeJUnit``, ``xunit``), which ran tests even when the
command hides in a shared-library step. Commands are read where the job really runs them
(matrix values, scripts, package.json scripts, make/just/task/rake targets, tox and nox
sessions, well-known shared steps: ``linter.detectors.ci.resolve``). When no command is a test
runner, a job named like a test job that runs a build tool's command, or that creates its
own cluster or Compose stack, counts as weaker evidence, and the message says so
(``linter.detectors.ci.weak``). A job counts when pull or
merge requests, the merge queue or pushes to any branch start it. GitLab, Jenkins, CircleCI,
Azure and Bitbucket pipelines run on branch pushes by default, so their push-started jobs
count (as in SEC001) unless their rules restrict them to the default branch. Tests that run
only on pushes to the default branch run after the merge: that fails, as do tests only on
pushes to release lines (``release/*``, ``stable``), tags, schedules or by hand.
"""

from __future__ import annotations

from linter.checks.base import CheckContext
from linter.checks.ci_runs import runs_of, weak_test_runs
from linter.checks.ci_wording import change_text, evidence, late_text, listed, nothing_fail, weak_text, where
from linter.checks.rule import RuleCheck
from linter.checks.unreadable import could_not_read
from linter.detectors import ci
from linter.detectors.ci.judge import JobHit
from linter.detectors.ci.stages import moment
from linter.detectors.ci.tables import TESTS
from linter.results import Finding, failed, passed

_MOMENT_WORDS = {"after-merge": "only on pushes to the default branch, after the merge",
                 "tags": "only on tag pushes or releases"}


def check(ctx: CheckContext) -> Finding:
    facts = ctx.facts(ci.detect)
    hits = ctx.owned(runs_of(ctx, facts, TESTS), "hit.path")
    review = [h for h in hits if moment(h.job) == "review"]
    if review:
        described = listed([f"{h.hit.tool} `{h.hit.detail}` on {_when(h)} ({where(h)})" for h in review])
        return passed(f"tests run on every change: {described}", [evidence(h, "on " + _when(h)) for h in review])
    weak = [h for h in ctx.owned(weak_test_runs(ctx, facts), "hit.path") if moment(h.job) == "review"]
    if weak:
        described = listed([f"job {h.job.title or h.job.name} runs `{h.hit.detail}` on {_when(h)} ({where(h)}): "
                            f"{weak_text(h.hit)}" for h in weak])
        return passed(f"tests run on every change, by weaker evidence: {described}",
                      [evidence(h, "on " + _when(h)) for h in weak])
    unread = could_not_read(ctx, facts.unusable, "no tests that run on every proposed change")
    if unread is not None:  # the test job may be in the file that could not be used
        return unread
    if hits:
        described = listed([f"`{h.hit.detail}` runs {_late(h)} ({where(h)})" for h in hits])
        return failed(f"tests do not run on proposed changes: {described}; run them on pull/merge requests so "
                      "a failing change is stopped before it merges", [evidence(h, _late(h)) for h in hits])
    return nothing_fail("no tests run in CI", facts,
                        "no test command (pytest, npm test, go test, mvn verify, gradle test, cargo test, "
                        "dotnet test, make test...) outside comments")


def _when(hit: JobHit) -> str:
    text = change_text(hit)
    if "push" in hit.job.triggers and hit.job.refs and not hit.job.triggers & {"pull_request", "merge_group"}:
        text += " to any branch"
    return text


def _late(hit: JobHit) -> str:
    when = moment(hit.job)
    if when == "some-branches":
        names = sorted(r.removeprefix("branch:") for r in hit.job.refs if r.startswith("branch:"))
        return "only on pushes to " + " or ".join(f"`{name}`" for name in names[:5]) + (" or others" if len(names) > 5 else "")
    return _MOMENT_WORDS.get(when) or late_text(hit)


RULE = RuleCheck(
    id="DEL003",
)
