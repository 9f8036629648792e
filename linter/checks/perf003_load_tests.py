"""PERF003: the service has load or performance tests, ideally run by CI.

Tests are recognised by shape (``linter.detectors.loadtests``: k6, Locust, Gatling, JMeter,
Artillery, scripts running vegeta/wrk/k6/locust) and CI runs by
``linter.detectors.ci.tables.LOAD_TESTS`` (``grafana/k6-action``, ``k6 run``,
``locust --headless``, ``artillery run``, ``jmeter -n``, ``vegeta attack``, ``wrk``...).
Decision: tests that exist and run in CI pass; tests that exist but no CI job runs pass too,
with a message saying they are not run in CI (the practice asks for tests, the pipeline is
a bonus); no load test at all fails.
"""

from __future__ import annotations

from linter.checks.base import CheckContext
from linter.checks.ci_runs import runs_of
from linter.checks.ci_wording import listed, where
from linter.checks.rule import RuleCheck
from linter.checks.unreadable import could_not_read
from linter.detectors import ci, loadtests
from linter.detectors.ci.judge import JobHit
from linter.detectors.ci.tables import LOAD_TESTS
from linter.results import Evidence, Finding, failed, passed


def check(ctx: CheckContext) -> Finding:
    tests = ctx.owned(ctx.facts(loadtests.detect).tests)
    pipelines = ctx.facts(ci.detect)
    runs = [h for h in runs_of(ctx, pipelines, LOAD_TESTS) if _relevant(ctx, h, tests)]
    if not tests and not runs:
        unread = could_not_read(ctx, pipelines.unusable, "no load or performance tests")
        if unread is not None:  # a CI job in the file that could not be used may run them
            return unread
        return failed("no load or performance tests found: no k6 script (imports k6/http), Locust user class, "
                      "Gatling simulation, JMeter .jmx plan, Artillery scenario or script/CI job running "
                      "k6, locust, vegeta, wrk, artillery or jmeter")
    described = listed([f"{t.detail} ({t.path}:{t.line})" for t in tests]) if tests else ""
    evidence = [Evidence(t.path, t.line, f"{t.tool}: {t.detail}") for t in tests]
    evidence += [Evidence(h.hit.path, h.hit.line, f"{h.hit.tool} in CI job {h.job.name}: {h.hit.detail}") for h in runs]
    if runs:
        ran = listed([f"{h.hit.tool} in job {h.job.name} ({where(h)})" for h in runs])
        prefix = f"load tests exist ({described}) and run in CI" if tests else "load tests run in CI"
        return passed(f"{prefix}: {ran}", evidence)
    return passed(f"load tests exist ({described}) but are not run in CI; run them from a pipeline job "
                  "(scheduled or before release) so regressions are caught", evidence)


def _relevant(ctx: CheckContext, hit: JobHit, tests: list[loadtests.LoadTest]) -> bool:
    """A CI run belongs to this scope when its file does or it names one of the scope's tests."""
    if ctx.owns(hit.hit.path):
        return True
    return any(t.path in hit.hit.detail or t.path.rsplit("/", 1)[0] in hit.hit.detail for t in tests)


RULE = RuleCheck(
    id="PERF003",
)
