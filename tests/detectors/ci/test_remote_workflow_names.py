"""Another repository's reusable workflow counts by its file name when the name is a scanner's:
its steps cannot be read here (charmbracelet/meta's ``govulncheck.yml`` and ``semgrep.yml``,
called by every Charm repository, run ``govulncheck ./...`` and ``semgrep scan``)."""

from __future__ import annotations

import re
import time

import pytest

from linter.detectors.ci.judge import job_hits
from linter.detectors.ci.tables import DEPENDENCY_SCAN, SAST
from linter.detectors.ci.tables.shapes import remote_workflow_named
from tests.detectors.ci.fixtures import facts_of


def _tools(make_repo, reference: str, table, on: str = "[push, pull_request]") -> set[str]:
    root = make_repo({".github/workflows/ci.yml": f"on: {on}\njobs:\n  scan:\n    uses: {reference}\n"})
    facts, _ = facts_of(root)
    return {h.hit.tool for h in job_hits(facts, table)}


@pytest.mark.parametrize(("reference", "counted"), [
    ("charmbracelet/meta/.github/workflows/govulncheck.yml@main", True),
    ("acme/ci/.github/workflows/reusable-govulncheck.yaml@v1", True),
    ("acme/ci/.github/workflows/osv-scanner.yml@v1", True),
    ("acme/ci/.github/workflows/pip-audit.yml@v2", True),
    ("acme/ci/.github/workflows/cargo_deny.yml@v2", True),
    ("acme/ci/.github/workflows/bundler-audit.yml@v2", True),
    ("acme/ci/.github/workflows/grype-scan.yml@v2", True),
    # near misses: another word that contains a scanner's name, a scanner that as often scans
    # configuration or code, a folder rather than the file, a local workflow (read, not named)
    ("acme/ci/.github/workflows/govulncheckx.yml@v1", False),
    ("acme/ci/.github/workflows/notgrype.yml@v1", False),
    ("acme/ci/.github/workflows/trivy.yml@v1", False),
    ("acme/ci/.github/workflows/audit.yml@v1", False),
    ("acme/govulncheck/.github/workflows/build.yml@v1", False),
    ("./.github/workflows/govulncheck.yml", False),
])
def test_remote_workflow_named_for_a_dependency_scanner(make_repo, reference: str, counted: bool) -> None:
    tools = _tools(make_repo, reference, DEPENDENCY_SCAN)
    assert ("dependency scanner (reusable workflow)" in tools) is counted


@pytest.mark.parametrize(("reference", "counted"), [
    ("charmbracelet/meta/.github/workflows/semgrep.yml@main", True),
    ("acme/.github/.github/workflows/codeql.yml@main", True),
    ("acme/ci/.github/workflows/codeql-analysis.yaml@v3", True),
    ("acme/ci/.github/workflows/reusable_gosec.yml@v1", True),
    ("acme/ci/.github/workflows/sonarcloud.yml@v1", True),
    ("acme/ci/.github/workflows/ruleguard.yml@v1", False),  # a linter, not SAST
    ("acme/ci/.github/workflows/semgrepper.yml@v1", False),
    ("acme/codeql/.github/workflows/lint.yml@v1", False),
])
def test_remote_workflow_named_for_a_sast_tool(make_repo, reference: str, counted: bool) -> None:
    tools = _tools(make_repo, reference, SAST)
    assert ("SAST (reusable workflow)" in tools) is counted


def test_a_named_workflow_still_needs_a_per_change_trigger(make_repo) -> None:
    root = make_repo({".github/workflows/weekly.yml":
                      "on:\n  schedule:\n    - cron: '0 0 * * 0'\njobs:\n  scan:\n"
                      "    uses: charmbracelet/meta/.github/workflows/govulncheck.yml@main\n"})
    facts, _ = facts_of(root)
    (hit,) = job_hits(facts, DEPENDENCY_SCAN)
    assert hit.job.triggers == {"schedule"}


def test_a_long_hostile_name_is_judged_in_linear_time() -> None:
    pattern = re.compile(remote_workflow_named(r"govulncheck|semgrep"))
    for name in ("govulncheck-" * 5_000 + "x", "-" * 60_000 + "govulncheckx.yml", "a." * 30_000):
        started = time.perf_counter()
        assert pattern.fullmatch(f"acme/ci/.github/workflows/{name}") is None
        assert time.perf_counter() - started < 0.5
    assert pattern.fullmatch("acme/ci/.github/workflows/" + "x-" * 30_000 + "semgrep.yml")


def test_a_well_known_workflow_is_judged_by_what_it_runs_not_by_its_name(make_repo) -> None:
    """actions/reusable-workflows' codeql-analysis.yml is a known step: its CodeQL commands
    are the evidence, the name-only rule leaves it alone."""
    tools = _tools(make_repo, "actions/reusable-workflows/.github/workflows/codeql-analysis.yml@main", SAST)
    assert tools == {"CodeQL"}
