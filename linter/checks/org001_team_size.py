"""ORG001 team-size: every team has at most ``max_team_size`` direct members.

Rosters come from Backstage (``linter.detectors.teams``) and from the ``teams:`` map of the
practicelint configuration. Groups whose ``spec.type`` names a larger unit (department,
business-unit, organization...) are not teams and are left out, but counted in the message.
"""

from __future__ import annotations

from typing import Any

from linter.checks.base import CheckContext
from linter.checks.rule import RuleCheck
from linter.checks.unreadable import could_not_read
from linter.detectors import backstage as backstage_detector
from linter.detectors import teams as teams_detector
from linter.fast_dataclass import dataclass
from linter.repo.yamlio import line_of
from linter.results import Evidence, Finding, counted, failed, not_applicable, passed

DEFAULT_CONFIG_SOURCE = ".practicelint.yaml"
MAX_NAMED = 10


@dataclass(frozen=True, order=True)
class Roster:
    """A team to judge, whatever its source."""

    name: str
    path: str
    line: int
    size: int
    origin: str  # "Backstage Group", "Backstage users' memberOf", "config teams:"

    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


def _backstage_rosters(ctx: CheckContext) -> tuple[list[Roster], list[str]]:
    rosters: list[Roster] = []
    skipped: list[str] = []
    for team in ctx.facts(teams_detector.detect).teams:
        if not team.is_team:
            skipped.append(f"{team.name} ({team.type})")
            continue
        label = team.name if team.ref.startswith("group:default/") else team.ref.removeprefix("group:")
        origin = "Backstage Group" if team.defined else "Backstage User memberOf (no Group entity)"
        rosters.append(Roster(label, team.path, team.line, team.size, origin))
    return rosters, sorted(skipped)


def _config_rosters(ctx: CheckContext) -> list[Roster]:
    """The ``teams:`` map: team name -> member names (other shapes are ignored)."""
    teams: Any = ctx.settings.get("teams")
    if not isinstance(teams, dict):
        return []
    source = ctx.settings.get("config_source") or DEFAULT_CONFIG_SOURCE
    rosters: list[Roster] = []
    for name, members in teams.items():
        if not isinstance(members, list):
            continue
        unique = {str(m).strip().lower() for m in members if isinstance(m, (str, int)) and str(m).strip()}
        rosters.append(Roster(str(name), str(source), line_of(teams, name, 0), len(unique), "config teams:"))
    return rosters


def check(ctx: CheckContext) -> Finding:
    limit = ctx.options.max_team_size
    backstage, skipped = _backstage_rosters(ctx)
    rosters = sorted(backstage + _config_rosters(ctx))
    skipped_note = (f"; {counted(len(skipped), 'larger group')} not judged as teams: {', '.join(skipped[:MAX_NAMED])}"
                    if skipped else "")
    if not rosters:
        unread = could_not_read(ctx, ctx.facts(backstage_detector.detect).unusable, "no team roster")
        if unread is not None:
            return unread
        return not_applicable(
            "No team roster found: looked for Backstage Group entities (spec.members) and User "
            f"entities (spec.memberOf) in YAML files, and a `teams:` map in .practicelint.yaml{skipped_note}")
    oversized = sorted((r for r in rosters if r.size > limit), key=lambda r: (-r.size, r.name, r.path))
    if oversized:
        named = ", ".join(f"{r.name} has {r.size} members ({r.where()})" for r in oversized[:MAX_NAMED])
        more = f" and {len(oversized) - MAX_NAMED} more" if len(oversized) > MAX_NAMED else ""
        evidence = [Evidence(r.path, r.line, f"{r.origin} {r.name}: {counted(r.size, 'direct member')} (limit {limit})")
                    for r in oversized]
        verb = "exceeds" if len(oversized) == 1 else "exceed"
        return failed(f"{len(oversized)} of {len(rosters)} teams {verb} {limit} members: {named}{more}"
                      f"{skipped_note}", evidence)
    largest = max(rosters, key=lambda r: (r.size, r.name))
    evidence = [Evidence(r.path, r.line, f"{r.origin} {r.name}: {counted(r.size, 'direct member')}") for r in rosters]
    teams = "1 team" if len(rosters) == 1 else f"{len(rosters)} teams"
    return passed(f"{teams}, largest {largest.name} has {largest.size} members "
                  f"(limit {limit}){skipped_note}", evidence[:50])


@dataclass(frozen=True)
class Options:
    """ORG001's options; their defaults and limits are in ``rules/ORG001.yaml``."""

    max_team_size: int


RULE = RuleCheck(
    id="ORG001",
    options=Options,
)
