"""REL001: experiments as code pass; dated records pass when recent; stale, undated, none fail."""

from __future__ import annotations

from functools import partial

from linter.checks.rel001_game_days import check
from linter.results import Status
from tests.helpers import make_context

make_context = partial(make_context, rule="REL001")  # contexts for REL001, with its typed options

MESH = "apiVersion: chaos-mesh.org/v1alpha1\nkind: PodChaos\nmetadata: {name: kill}\nspec: {action: pod-kill}\n"


def test_experiment_as_code_passes_without_a_date(make_repo) -> None:
    finding = check(make_context(make_repo({"chaos/kill.yaml": MESH})))
    assert finding.status is Status.PASS and "Chaos Mesh PodChaos in chaos/kill.yaml:1" in finding.message


def test_recent_record_passes_and_old_record_fails(make_repo) -> None:
    recent = make_repo({"docs/game-days/2026-10-01-db.md": "# DB zone loss\n\nStopped the primary.\n"})
    finding = check(make_context(recent))
    assert finding.status is Status.PASS and "2026-10-01 (57 days ago)" in finding.message
    old = make_repo({"docs/game-days/2025-01-10-db.md": "# DB\n\nStopped the primary.\n"})
    finding = check(make_context(old))
    assert finding.status is Status.FAIL and "2025-01-10" in finding.message and "686 days ago" in finding.message
    assert check(make_context(old, options={"max_age_days": 1000})).status is Status.PASS


def test_front_matter_and_heading_dates_and_future_plans(make_repo) -> None:
    root = make_repo({"gameday/log.md": "---\ndate: 2026-09-01\n---\n# Log\n\nNext one on 2027-02-01.\n"})
    finding = check(make_context(root))
    assert finding.status is Status.PASS and "2026-09-01" in finding.message
    planned = make_repo({"drills/plan.md": "# Plan\n\nWe will run it on 2027-02-01.\n"})
    finding = check(make_context(planned))
    assert finding.status is Status.FAIL and "none carries the date" in finding.message


def test_nothing_found_says_what_was_looked_for(make_repo) -> None:
    finding = check(make_context(make_repo({"README.md": "# Chaos\n\n<!-- game day 2026-11-01 -->\n"})))
    assert finding.status is Status.FAIL and "Chaos Toolkit" in finding.message
