"""ORG001 team-size: oversized teams named with count and file:line; config rosters too."""

from __future__ import annotations

from functools import partial

import pytest

from linter.checks.org001_team_size import check
from linter.detectors import backstage
from linter.detectors import teams as teams_detector
from linter.detectors.teams import TeamFacts
from linter.repo.yamlio import load_yaml
from linter.results import Status
from tests.checks import facts
from tests.helpers import make_context

#: a repository without Backstage entities (every file read)
NO_CATALOG = backstage.BackstageCatalog.of(())

make_context = partial(make_context, rule="ORG001")  # contexts for ORG001, with its typed options


def group(name: str, size: int, kind_type: str = "team", namespace: str = "") -> str:
    members = ", ".join(f"{name}-m{i}" for i in range(size))
    ns = f"\n  namespace: {namespace}" if namespace else ""
    return (f"apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: {name}{ns}\n"
            f"spec:\n  type: {kind_type}\n  children: []\n  members: [{members}]\n")


def test_thirteen_member_team_fails_with_count_and_location(make_repo) -> None:
    root = make_repo({"org/teams.yaml": group("small", 5) + "---\n" + group("platform", 13)})
    finding = check(make_context(root, options={"max_team_size": 12}))
    assert finding.status is Status.FAIL
    assert "1 of 2 teams exceeds 12 members: platform has 13 members (org/teams.yaml:13)" in finding.message
    assert [(e.path, e.line) for e in finding.evidence] == [("org/teams.yaml", 13)]


def test_twelve_members_pass_with_largest_team(make_repo) -> None:
    root = make_repo({"catalog-info.yaml": group("a", 12) + "---\n" + group("b", 3)})
    finding = check(make_context(root, options={"max_team_size": 12}))
    assert finding.status is Status.PASS
    assert finding.message == "2 teams, largest a has 12 members (limit 12)"


def test_option_override(make_repo) -> None:
    root = make_repo({"org.yaml": group("a", 8)})
    assert check(make_context(root, options={"max_team_size": 7})).status is Status.FAIL
    assert check(make_context(root, options={"max_team_size": 8})).status is Status.PASS


def test_default_limit_is_twelve_without_options(make_repo) -> None:
    root = make_repo({"org.yaml": group("a", 13)})
    assert check(make_context(root)).status is Status.FAIL


def test_every_oversized_team_has_evidence_largest_first(make_repo) -> None:
    root = make_repo({"a.yaml": group("big", 14), "b.yaml": group("bigger", 20, namespace="ops")})
    finding = check(make_context(root, options={"max_team_size": 12}))
    assert "ops/bigger has 20 members (b.yaml:4), big has 14 members (a.yaml:4)" in finding.message
    assert {e.path for e in finding.evidence} == {"a.yaml", "b.yaml"}


def test_large_departments_are_not_judged_but_mentioned(make_repo) -> None:
    root = make_repo({"org.yaml": group("eng", 200, kind_type="department") + "---\n" + group("squad-a", 6, "squad")})
    finding = check(make_context(root, options={"max_team_size": 12}))
    assert finding.status is Status.PASS
    assert "1 team, largest squad-a has 6 members (limit 12)" in finding.message
    assert "eng (department)" in finding.message


def test_missing_type_is_judged(make_repo) -> None:
    text = group("a", 13).replace("  type: team\n", "")
    root = make_repo({"org.yaml": text})
    assert check(make_context(root, options={"max_team_size": 12})).status is Status.FAIL


def test_users_only_team_counts_and_points_at_first_user(make_repo) -> None:
    users = "---\n".join(
        f"apiVersion: backstage.io/v1alpha1\nkind: User\nmetadata:\n  name: u{i}\nspec:\n  memberOf: [crowd]\n"
        for i in range(13))
    root = make_repo({"people.yaml": users})
    finding = check(make_context(root, options={"max_team_size": 12}))
    assert finding.status is Status.FAIL and "crowd has 13 members (people.yaml:6)" in finding.message
    assert "no Group entity" in finding.evidence[0].detail


def test_config_teams_map(make_repo) -> None:
    root = make_repo({"README.md": "# x\n"})
    teams = load_yaml("teams:\n  core: [a, b]\n  web: [" + ", ".join(f"w{i}" for i in range(13)) + ", W1]\n"
                      ).documents[0].data["teams"]
    finding = check(make_context(root, options={"max_team_size": 12},
                                 settings={"teams": teams, "config_source": ".practicelint.yaml"}))
    assert finding.status is Status.FAIL
    assert "web has 13 members (.practicelint.yaml:3)" in finding.message  # W1 == w1 counted once


def test_config_teams_plain_dict_and_hostile_values(make_repo) -> None:
    root = make_repo({"README.md": "# x\n"})
    settings = {"teams": {"core": ["a", "b", "b"], "odd": "alice", "none": None}}
    finding = check(make_context(root, options={"max_team_size": 12}, settings=settings))
    assert finding.status is Status.PASS and finding.message == "1 team, largest core has 2 members (limit 12)"
    assert finding.evidence[0].path == ".practicelint.yaml"


def test_zero_member_group_is_a_team(make_repo) -> None:
    root = make_repo({"org.yaml": group("a", 0).replace("  members: []\n", "")})
    finding = check(make_context(root, options={"max_team_size": 12}))
    assert finding.status is Status.PASS and "largest a has 0 members" in finding.message


def test_no_roster_is_not_applicable(make_repo) -> None:
    root = make_repo({"README.md": "# Team\n\nWe are 30 people.\n", "org.yaml": "# members: [a, b]\nkind: Group\n"})
    finding = check(make_context(root, options={"max_team_size": 12}, settings={"teams": "oops"}))
    assert finding.status is Status.NOT_APPLICABLE
    assert "Backstage Group" in finding.message and "teams:" in finding.message


def test_only_departments_is_not_applicable(make_repo) -> None:
    root = make_repo({"org.yaml": group("eng", 40, kind_type="organization")})
    finding = check(make_context(root, options={"max_team_size": 12}))
    assert finding.status is Status.NOT_APPLICABLE and "eng (organization)" in finding.message


# --------------------------------------------------------------------------- table tests on facts
# Each row gives the rosters the teams detector would find (no Backstage YAML written).
@pytest.mark.parametrize(("given", "limit", "status", "message"), [
    pytest.param(facts.teams(facts.team("a", 12)), 12, Status.PASS, "1 team, largest a has 12 members (limit 12)",
                 id="at the limit"),
    pytest.param(facts.teams(facts.team("a", 13), facts.team("b", 2)), 12, Status.FAIL,
                 "1 of 2 teams exceeds 12 members: a has 13 members (org/teams.yaml:4)", id="near miss: one over"),
    pytest.param(facts.teams(facts.team("a", 13)), 13, Status.PASS, "1 team, largest a has 13 members (limit 13)",
                 id="option raises the limit"),
    pytest.param(facts.teams(facts.team("ops", 14, defined=False)), 12, Status.FAIL,
                 "1 of 1 teams exceeds 12 members: ops has 14 members (org/teams.yaml:4)",
                 id="team named only by users' memberOf"),
    pytest.param(facts.teams(facts.team("eng", 200, type="department"), facts.team("squad-a", 6, type="squad")), 12,
                 Status.PASS, "1 team, largest squad-a has 6 members (limit 12); 1 larger group not judged as "
                 "teams: eng (department)", id="a department is not a team"),
    pytest.param(facts.teams(facts.team("eng", 200, type="department")), 12, Status.NOT_APPLICABLE,
                 "No team roster found", id="only larger groups"),
    pytest.param(facts.teams(), 12, Status.NOT_APPLICABLE, "No team roster found", id="no roster at all"),
])
def test_table_of_facts(given: TeamFacts, limit: int, status: Status, message: str) -> None:
    finding = check(make_context(facts={teams_detector.detect: given, backstage.detect: NO_CATALOG},
                                 options={"max_team_size": limit}))
    assert finding.status is status
    assert finding.message == message if status is not Status.NOT_APPLICABLE else finding.message.startswith(message)


def test_table_evidence_names_the_origin_and_the_limit_message_the_largest_first() -> None:
    given = facts.teams(facts.team("a", 13, path="catalog/groups.yaml", line=7), facts.team("b", 14, defined=False))
    finding = check(make_context(facts={teams_detector.detect: given, backstage.detect: NO_CATALOG}))
    assert "b has 14 members (org/teams.yaml:4), a has 13 members (catalog/groups.yaml:7)" in finding.message
    assert [(e.path, e.line, e.detail) for e in finding.evidence] == [
        ("catalog/groups.yaml", 7, "Backstage Group a: 13 direct members (limit 12)"),
        ("org/teams.yaml", 4, "Backstage User memberOf (no Group entity) b: 14 direct members (limit 12)"),
    ]
