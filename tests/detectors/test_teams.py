"""Backstage rosters: Group.spec.members joined with User.spec.memberOf."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.detectors.teams import Team, detect
from linter.repo.workspace import Workspace

FIXTURES = Path(__file__).parent.parent / "fixtures" / "teams"


def group(name: str, members: str = "", extra: str = "", kind_type: str = "team") -> str:
    lines = ["apiVersion: backstage.io/v1alpha1", "kind: Group", "metadata:", f"  name: {name}", extra,
             "spec:", f"  type: {kind_type}", "  children: []"]
    if members:
        lines.append(f"  members: {members}")
    return "\n".join(line for line in lines if line) + "\n"


def user(name: str, member_of: str, namespace: str = "") -> str:
    ns = f"\n  namespace: {namespace}" if namespace else ""
    return (f"apiVersion: backstage.io/v1alpha1\nkind: User\nmetadata:\n  name: {name}{ns}\n"
            f"spec:\n  memberOf: {member_of}\n")


def teams_of(root: Path) -> dict[str, Team]:
    return {t.ref: t for t in detect(Workspace(root)).teams}


def test_users_only_through_member_of_like_backstage_example(make_repo) -> None:
    root = make_repo({"catalog/org.yaml": (FIXTURES / "org.yaml").read_text()})
    teams = teams_of(root)
    lockers = teams["group:default/lockers"]
    assert lockers.members == ("user:default/ana", "user:default/chidi")  # mixed-case refs normalised
    assert lockers.path == "catalog/org.yaml" and lockers.line == 13 and lockers.type == "team"
    payments = teams["group:finance/payments"]
    # members + memberOf, across namespaces, counted once each
    assert payments.members == ("user:default/ana", "user:finance/ben") and payments.type == "squad"
    assert teams["group:default/engineering"].is_team is False  # a department is not judged
    assert teams["group:default/engineering"].members == ()


def test_duplicates_across_members_and_member_of_count_once(make_repo) -> None:
    root = make_repo({"org.yaml": group("team-a", "[alice, user:alice, User:default/Alice, bob]") + "---\n"
                      + user("alice", "[team-a, Team-A]")})
    assert teams_of(root)["group:default/team-a"].members == ("user:default/alice", "user:default/bob")


def test_namespaced_group_is_a_different_team(make_repo) -> None:
    root = make_repo({"a.yaml": group("team-a", "[alice]") + "---\n" + group("team-a", "[bob]", "  namespace: ops")})
    teams = teams_of(root)
    assert teams["group:default/team-a"].members == ("user:default/alice",)
    assert teams["group:ops/team-a"].members == ("user:ops/bob",)  # member namespace defaults to the group's


def test_team_referenced_by_users_only_is_attributed_to_the_first_user(make_repo) -> None:
    root = make_repo({"people/b.yaml": user("bob", "[ghosts]"), "people/a.yaml": user("amy", "\n    - ghosts")})
    ghosts = teams_of(root)["group:default/ghosts"]
    assert ghosts.defined is False and ghosts.path == "people/a.yaml" and ghosts.line == 7
    assert ghosts.members == ("user:default/amy", "user:default/bob")


def test_group_with_no_members_is_a_team_of_zero(make_repo) -> None:
    root = make_repo({"g.yaml": group("empty")})
    assert teams_of(root)["group:default/empty"].size == 0


def test_children_are_not_rolled_up(make_repo) -> None:
    parent = group("parent", "[lead]").replace("children: []", "children: [child]")
    root = make_repo({"g.yaml": parent + "---\n" + group("child", "[a, b, c]")})
    assert teams_of(root)["group:default/parent"].members == ("user:default/lead",)


def test_catalog_files_under_any_name_and_multi_document(make_repo) -> None:
    root = make_repo({"infra/backstage/people-and-teams.yml": "---\n" + group("x", "[a]") + "---\n" + group("y", "[b]")})
    assert set(teams_of(root)) == {"group:default/x", "group:default/y"}


def test_member_refs_of_other_kinds_are_ignored(make_repo) -> None:
    root = make_repo({"g.yaml": group("x", "[group:other, alice]") + "---\n" + user("bob", "[user:x, x]")})
    assert teams_of(root)["group:default/x"].members == ("user:default/alice", "user:default/bob")


@pytest.mark.parametrize("spec", [
    "spec: []", "spec: null", "spec:\n  members: alice", "spec:\n  members: 7", "spec:\n  memberOf: null",
    "spec:\n  memberOf: team-a", "spec:\n  members: [null, 3, {name: bob}, [x]]", "spec:\n  type: [team]",
])
def test_hostile_shapes_never_raise(make_repo, spec: str) -> None:
    for kind in ("Group", "User"):
        root = make_repo({"org.yaml": f"apiVersion: backstage.io/v1alpha1\nkind: {kind}\nmetadata:\n  name: n\n{spec}\n",
                          "bad.yaml": "apiVersion: backstage.io/v1alpha1\nkind: [\n"})
        ws = Workspace(root)
        facts = detect(ws)
        assert all(isinstance(t.members, tuple) for t in facts.teams)


def test_lone_string_members_is_noted_not_counted(make_repo) -> None:
    root = make_repo({"org.yaml": group("x", '"alice"')})
    ws = Workspace(root)
    assert detect(ws).teams[0].members == ()
    assert any("spec.members is not a list" in n.reason for n in ws.notes)


def test_compound_member_ref_is_read(make_repo) -> None:
    root = make_repo({"g.yaml": group("x", "[{kind: user, name: Zed}]")})
    assert teams_of(root)["group:default/x"].members == ("user:default/zed",)


def test_duplicate_group_definition_is_noted(make_repo) -> None:
    root = make_repo({"a.yaml": group("x", "[a]"), "b.yaml": group("x", "[b, c]")})
    ws = Workspace(root)
    (team,) = detect(ws).teams
    assert team.path == "a.yaml" and team.members == ("user:default/a",)
    assert any("also defined" in n.reason for n in ws.notes)


def test_no_backstage_no_teams(make_repo) -> None:
    root = make_repo({"k8s.yaml": "apiVersion: v1\nkind: Group\nmetadata: {name: x}\nspec: {members: [a]}\n"})
    assert detect(Workspace(root)).teams == ()
