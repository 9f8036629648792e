"""Round trip: ``fix`` on each failing example, then ``check``: every rule it claims now passes.

The examples are copied out of this repository and committed on their own (so service ages
come from the copy's history, not from this repository's), with the clock pinned by
``PRACTICELINT_NOW``. A rule is only skipped while it is missing from the catalog, so the
test tightens by itself when the rule lands.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from linter.catalog import load_catalog
from linter.cli_scaffold import register
from linter.engine import RunOptions, run
from linter.results import Status
from linter.scaffold.fix import FixOutcome, fix
from linter.scaffold.fix import planners

PLANNERS = planners()
from tests.helpers import git_commit_all

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-12-01"
EXAMPLES = ("failing", "monorepo")
#: What each example is expected to get written (rule -> scopes), so a planner that silently
#: stops producing files fails here rather than making the round trip vacuous.
EXPECTED_CLAIMS = {
    "failing": {"PERF001": ["services/api", "services/worker"], "PROD001": ["services/api"], "REL001": ["."],
                "REL002": ["services/api", "services/worker"], "SEC001": ["."]},
    "monorepo": {"ORG002": ["."], "PERF001": ["services/search"], "PROD001": ["services/web"], "REL001": ["."],
                 "REL002": ["services/payments", "services/search", "services/web"], "SEC002": ["."],
                 "SEC006": ["."]},
}


@dataclass
class RoundTrip:
    root: Path
    outcome: FixOutcome
    cli_output: str
    results: dict[tuple[str, str], Status]


def copy_example(name: str, dest: Path) -> Path:
    root = dest / name
    shutil.copytree(ROOT / "examples" / name, root, ignore=shutil.ignore_patterns(".git"))
    git_commit_all(root, "example", date="2026-06-01T00:00:00")
    return root


@pytest.fixture(scope="module", params=EXAMPLES)
def round_trip(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> RoundTrip:
    name = request.param
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PRACTICELINT_NOW", NOW)
        root = copy_example(name, tmp_path_factory.mktemp("roundtrip"))
        dry = fix(root, dry_run=True)  # what would be claimed, to compare with the real run
        group = click.Group("practicelint")
        register(group)
        result = CliRunner().invoke(group, ["fix", str(root)])
        assert result.exit_code == 0, result.output
        outcome = fix(root, dry_run=True)  # after writing, the claimed rules have nothing left to write
        catalog_ids = [r for r in PLANNERS if r in load_catalog().rules]
        report, _ = run(root, RunOptions(select=catalog_ids))
    assert not [f for f in outcome.written if f.rule_id in dry.claims], "fix would write again after writing"
    return RoundTrip(root, dry, result.output, {(r.rule_id, r.scope): r.status for r in report.results})


@pytest.mark.parametrize("rule_id", sorted(PLANNERS))
def test_every_claimed_rule_passes_after_fix(round_trip: RoundTrip, rule_id: str) -> None:
    if rule_id not in load_catalog().rules:
        pytest.skip(f"{rule_id} is not in the rule catalog yet: nothing to check the scaffold against")
    claimed = round_trip.outcome.claims.get(rule_id, [])
    for scope in claimed:
        assert round_trip.results[(rule_id, scope)] == Status.PASS, (rule_id, scope, round_trip.cli_output)
    for scope in round_trip.outcome.failing.get(rule_id, []):
        if scope not in claimed:  # not addressed: fix must have said why
            assert f"{rule_id}: " in round_trip.cli_output or f"({rule_id})" in round_trip.cli_output


def test_claims_match_what_each_example_needs(round_trip: RoundTrip) -> None:
    name = round_trip.root.name
    expected = {r: s for r, s in EXPECTED_CLAIMS[name].items() if r in load_catalog().rules}
    assert round_trip.outcome.claims == expected
    for rule_id in expected:
        assert f"{rule_id} (" in round_trip.cli_output.split("addressed:", 1)[1]


def test_failing_example_explains_what_it_did_not_rewrite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Existing CODEOWNERS, SECURITY.md and dependabot.yml are left alone, with what to add instead."""
    monkeypatch.setenv("PRACTICELINT_NOW", NOW)
    root = copy_example("failing", tmp_path)
    before = {p: (root / p).read_bytes() for p in (".github/CODEOWNERS", "SECURITY.md", ".github/dependabot.yml")}
    outcome = fix(root)
    advice = {a.rule_id: a.text for a in outcome.advice}
    assert "ORG002" in advice and ".github/CODEOWNERS exists; not rewriting it" in advice["ORG002"]
    assert "SEC006" in advice and "SECURITY.md exists" in advice["SEC006"]
    if "SEC002" in load_catalog().rules:
        assert "package-ecosystem: 'terraform'" in advice["SEC002"] and "'/infra'" in advice["SEC002"]
    assert {p: (root / p).read_bytes() for p in before} == before
    assert not {"ORG002", "SEC006", "SEC002"} & set(outcome.claims)
