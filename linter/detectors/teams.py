"""Team rosters from the Backstage catalog: Group entities joined with User entities.

Backstage records membership in two places, and real catalogs use either or both: a
Group's ``spec.members`` (User references) and a User's ``spec.memberOf`` (Group
references). Backstage's own example organisation lists members only through
``memberOf``. A team's roster is therefore the union of both, deduplicated on normalised
references (``Alice`` / ``user:alice`` / ``user:default/alice`` are one person). Only
*direct* members are counted: a Group's ``children`` are separate teams, not rolled up.

A ``memberOf`` that names a group with no Group entity is still a roster (a "team
referenced by users only") and is attributed to the first User that names it.
"""

from __future__ import annotations

from typing import Any

from linter.detectors import backstage
from linter.detectors.backstage import Entity, normalise_ref
from linter.fast_dataclass import dataclass
from linter.repo.workspace import Workspace
from linter.repo.yamlio import line_of

#: Group ``spec.type`` values judged as teams; an absent type is judged too. Larger units
#: (business-unit, department, organization, tribe...) legitimately hold many people.
TEAM_TYPES = frozenset({"team", "squad", "sub-team", "subteam", "sub_team", "pod", "crew"})
#: A roster longer than this is truncated (and noted); no catalog has teams this large.
MAX_MEMBERS = 10_000


@dataclass(frozen=True, order=True)
class Team:
    """One team's direct members (sorted ``user:namespace/name`` refs) and where it is defined."""

    ref: str
    name: str
    path: str
    line: int
    members: tuple[str, ...]
    type: str = ""  # Group spec.type, lower case; "" when absent or users-only
    defined: bool = True  # False: no Group entity, only users' memberOf name it

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def is_team(self) -> bool:
        """Whether ORG001 judges this group: a team-like ``spec.type`` or none at all."""
        return self.type in TEAM_TYPES or not self.type


@dataclass(frozen=True)
class TeamFacts:
    teams: tuple[Team, ...]


def _ref_list(entity: Entity, key: str, ws: Workspace) -> list[tuple[Any, int]]:
    """Items of ``spec.<key>`` with their lines; a non-list value is noted and ignored."""
    value = entity.spec.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        ws.note(entity.path, f"{entity.kind} {entity.name} (line {entity.line}): spec.{key} is not a list; ignored")
        return []
    return [(item, line_of(value, i, entity.line)) for i, item in enumerate(value[:MAX_MEMBERS])]


def _name_line(entity: Entity) -> int:
    """The line of ``metadata.name``: the most precise place that defines an entity."""
    return line_of(entity.metadata, "name", entity.line) or entity.line


def detect(ws: Workspace) -> TeamFacts:
    catalog = ws.facts(backstage.detect)
    groups: dict[str, Entity] = {}
    members: dict[str, set[str]] = {}
    for group in sorted(catalog.of_kind("group"), key=lambda e: (e.path, e.line)):
        if group.ref in groups:
            first = groups[group.ref]
            ws.note(group.path, f"Group {group.name} (line {group.line}) is also defined in "
                                f"{first.path}:{first.line}; the first definition is used")
            continue
        groups[group.ref] = group
        roster = members.setdefault(group.ref, set())
        for item, _ in _ref_list(group, "members", ws):
            ref = normalise_ref(item, "user", group.namespace)
            if ref and ref.startswith("user:"):
                roster.add(ref)

    users_only: dict[str, tuple[str, int]] = {}
    for user in sorted(catalog.of_kind("user"), key=lambda e: (e.path, e.line)):
        for item, item_line in _ref_list(user, "memberOf", ws):
            ref = normalise_ref(item, "group", user.namespace)
            if not ref or not ref.startswith("group:"):
                continue
            members.setdefault(ref, set()).add(user.ref)
            if ref not in groups:
                users_only.setdefault(ref, (user.path, item_line))

    teams: list[Team] = []
    for ref, roster in members.items():
        name = ref.split("/", 1)[1]
        group = groups.get(ref)
        if group is not None:
            kind = group.spec.get("type")
            teams.append(Team(ref, name, group.path, _name_line(group), tuple(sorted(roster)),
                              kind.strip().lower() if isinstance(kind, str) else ""))
        else:
            path, line = users_only[ref]
            teams.append(Team(ref, name, path, line, tuple(sorted(roster)), "", defined=False))
    return TeamFacts(tuple(sorted(teams)))
