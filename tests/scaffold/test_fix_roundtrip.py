"""Round trip: ``fix`` (and ``init``) on copies of the examples, then ``check``.

Scaffolds never count as compliance: every rule ``fix`` claims for a scope fails with
"scaffold not filled in", pointing at a placeholder of a file it wrote, as long as that file
holds one; a file complete as written (dependabot.yml, a dependency-review workflow,
renovate.json) passes. Then the test does what a person does, replacing each placeholder with
content, and every claimed rule passes. ``init`` writes no placeholder a rule could read.

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

from linter import placeholders
from linter.catalog import load_catalog
from linter.cli_scaffold import register
from linter.engine import RunOptions, run
from linter.results import Result, Status
from linter.scaffold.fix import FixOutcome, fix, planners
from linter.scaffold.init import CONFIG_NAME
from tests.helpers import fill_placeholders, git_commit_all

PLANNERS = planners()
ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-12-01"
EXAMPLES = ("failing", "monorepo", "passing")
#: What each example is expected to get written (rule -> scopes), so a planner that silently
#: stops producing files fails here rather than making the round trip vacuous.
EXPECTED_CLAIMS = {
    "failing": {"PERF001": ["services/api", "services/worker"], "PROD001": ["services/api"], "REL001": ["."],
                "REL002": ["services/api", "services/worker"], "SEC001": ["."]},
    "monorepo": {"ORG002": ["."], "PERF001": ["services/search"], "PROD001": ["services/web"], "REL001": ["."],
                 "REL002": ["services/payments", "services/search", "services/web"], "SEC002": ["."],
                 "SEC006": ["."]},
    "passing": {},
}
#: Rules whose scaffold is complete as written: they pass at once.
COMPLETE_AS_WRITTEN = {"SEC001", "SEC002"}


@dataclass
class RoundTrip:
    root: Path
    outcome: FixOutcome
    cli_output: str
    after_fix: dict[tuple[str, str], Result]
    after_filling: dict[tuple[str, str], Result]
    second_fix: FixOutcome


def copy_example(name: str, dest: Path) -> Path:
    root = dest / name
    shutil.copytree(ROOT / "examples" / name, root, ignore=shutil.ignore_patterns(".git"))
    git_commit_all(root, "example", date="2026-06-01T00:00:00")
    return root


def results(root: Path) -> dict[tuple[str, str], Result]:
    catalog_ids = [r for r in PLANNERS if r in load_catalog().rules]
    report, _ = run(root, RunOptions(select=catalog_ids))
    return {(r.rule_id, r.scope): r for r in report.results}


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
        after_fix = results(root)
        second = fix(root)  # a second run writes nothing: it says which scaffolds to finish
        fill_placeholders(root, *(f.path for f in dry.written))
        after_filling = results(root)
    return RoundTrip(root, dry, result.output, after_fix, after_filling, second)


def _placeholders_written(trip: RoundTrip, rule_id: str, scope: str) -> list[placeholders.Placeholder]:
    return [p for f in trip.outcome.written if f.rule_id == rule_id and scope in f.scopes
            for p in placeholders.find(f.path, f.content)]


@pytest.mark.parametrize("rule_id", sorted(PLANNERS))
def test_claimed_rules_fail_until_the_scaffold_is_filled_in(round_trip: RoundTrip, rule_id: str) -> None:
    if rule_id not in load_catalog().rules:
        pytest.skip(f"{rule_id} is not in the rule catalog yet: nothing to check the scaffold against")
    claimed = round_trip.outcome.claims.get(rule_id, [])
    for scope in claimed:
        left = _placeholders_written(round_trip, rule_id, scope)
        result = round_trip.after_fix[(rule_id, scope)]
        if rule_id in COMPLETE_AS_WRITTEN:
            assert not left and result.status == Status.PASS, (rule_id, scope, result.message)
            continue
        assert left, f"{rule_id}'s scaffold has no placeholder: it would count as compliance"
        assert result.status == Status.FAIL, (rule_id, scope, result.message)
        assert result.message.startswith(f"Scaffold not filled in: {left[0].path}:"), result.message
        pointed = {(e.path, e.line) for e in placeholders.left_in(result.evidence)}
        assert pointed and pointed <= {(p.path, p.line) for p in left}, (pointed, left)
        filled = round_trip.after_filling[(rule_id, scope)]
        assert filled.status == Status.PASS, (rule_id, scope, filled.message)
    for scope in round_trip.outcome.failing.get(rule_id, []):
        if scope not in claimed:  # not addressed: fix must have said why
            assert f"{rule_id}: " in round_trip.cli_output or f"({rule_id})" in round_trip.cli_output


def test_claims_match_what_each_example_needs(round_trip: RoundTrip) -> None:
    name = round_trip.root.name
    expected = {r: s for r, s in EXPECTED_CLAIMS[name].items() if r in load_catalog().rules}
    assert round_trip.outcome.claims == expected
    if not expected:
        assert round_trip.cli_output.strip() == "nothing to do: no failing rule that fix can address"
        return
    for rule_id in expected:
        assert f"{rule_id} (" in round_trip.cli_output.split("addressed:", 1)[1]
    assert 'until then their rules fail with "scaffold not filled in"' in round_trip.cli_output


def test_second_fix_writes_nothing_and_points_at_the_placeholders(round_trip: RoundTrip) -> None:
    second = round_trip.second_fix
    assert second.written == [] and second.skipped == []
    unfinished = {r: s for r, s in round_trip.outcome.claims.items() if r not in COMPLETE_AS_WRITTEN}
    assert second.unfilled == unfinished
    texts = [a.text for a in second.advice if a.rule_id in unfinished]
    assert len(texts) == sum(len(scopes) for scopes in unfinished.values())
    assert all(t.startswith("scaffold not filled in (") for t in texts)


@pytest.mark.parametrize("name", ["monorepo", "passing"])
def test_init_writes_no_placeholder_a_rule_could_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      name: str) -> None:
    """``init``'s configuration is complete as written (its example waiver is a comment), and
    nothing ``check`` says afterwards rests on it as a scaffold."""
    monkeypatch.setenv("PRACTICELINT_NOW", NOW)
    root = copy_example(name, tmp_path)
    group = click.Group("practicelint")
    register(group)
    assert CliRunner().invoke(group, ["init", str(root)]).exit_code == 0
    text = (root / CONFIG_NAME).read_text(encoding="utf-8")
    assert placeholders.find(CONFIG_NAME, text) == ()
    report, _ = run(root, RunOptions())
    assert not [r for r in report.results if placeholders.left_in(r.evidence)]


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
