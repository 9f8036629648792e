"""ORG003 single-owning-team: each service is owned by exactly one team.

Two sources name an owner, and real repositories use either or both:

* the Backstage ``Component`` that describes the service (``spec.owner``, one reference;
  a ``user:`` reference is a person, not a team);
* CODEOWNERS: the owners of the service's directory, i.e. who would review a new file
  created there. That is the rule deciding a probe path inside the directory, so rules
  for particular file types (``*.md``) do not count as owning the service. GitLab
  sections are combined.

Names are compared normalised (``group:default/Payments_Team`` and
``@acme/payments-team`` agree).
"""

from __future__ import annotations

from linter.checks.base import CheckContext, normalise_service_name
from linter.checks.rule import RuleCheck
from linter.detectors import backstage, codeowners
from linter.detectors.backstage import Entity, normalise_ref
from linter.fast_dataclass import dataclass
from linter.results import Evidence, Finding, counted, failed, passed

#: A file name nobody writes: only directory-wide rules match it.
PROBE_NAME = "__practicelint_new_file__"
MAX_NAMED = 10


@dataclass(frozen=True)
class BackstageOwner:
    ref: str
    kind: str
    name: str
    entity: Entity

    @property
    def evidence(self) -> Evidence:
        return Evidence(self.entity.path, self.entity.spec_line("owner"),
                        f"Component {self.entity.name} spec.owner: {self.ref}")


def _components(ctx: CheckContext) -> list[Entity]:
    """Components describing this scope: those in its folder if any, else all it owns."""
    components = ctx.owned(ctx.facts(backstage.detect).of_kind("component"), "path", "name")
    at_root = [e for e in components if e.directory == ctx.scope.path]
    return sorted(at_root or components, key=lambda e: (e.path, e.line))


def _backstage_owners(ctx: CheckContext) -> tuple[list[BackstageOwner], list[Evidence]]:
    owners: list[BackstageOwner] = []
    missing: list[Evidence] = []
    for entity in _components(ctx):
        raw = entity.spec.get("owner")
        ref = normalise_ref(raw, "group", entity.namespace)
        if ref is None:
            problem = "has no spec.owner" if raw in (None, "") else "spec.owner is not one entity reference"
            missing.append(Evidence(entity.path, entity.spec_line("owner"), f"Component {entity.name} {problem}"))
            continue
        kind, _, rest = ref.partition(":")
        owners.append(BackstageOwner(ref, kind, rest.rsplit("/", 1)[-1], entity))
    return owners, missing


def _probe(scope_path: str) -> str:
    return PROBE_NAME if scope_path == "." else f"{scope_path}/{PROBE_NAME}"


def _codeowners(ctx: CheckContext) -> tuple[codeowners.CodeOwnersFile | None, tuple[codeowners.Owner, ...], list[int]]:
    co = ctx.facts(codeowners.detect).file
    if co is None:
        return None, (), []
    assignments = co.assignments(_probe(ctx.scope.path))
    lines = sorted({a.rule.line for a in assignments if a.rule is not None and a.owners})
    return co, co.owners_of(_probe(ctx.scope.path)), lines


def _names(items: list[str]) -> str:
    shown = ", ".join(items[:MAX_NAMED])
    return shown + (f" and {len(items) - MAX_NAMED} more" if len(items) > MAX_NAMED else "")


def check(ctx: CheckContext) -> Finding:
    where = "the repository" if ctx.scope.path == "." else ctx.scope.path
    bs_owners, missing = _backstage_owners(ctx)
    co, co_owners, co_lines = _codeowners(ctx)
    evidence = [o.evidence for o in bs_owners] + missing
    if co is not None:
        evidence += [Evidence(co.path, line, "rule owning " + where) for line in co_lines]

    problems: list[str] = []
    bs_refs = sorted({o.ref for o in bs_owners})
    bs_teams = sorted({o.name for o in bs_owners if o.kind == "group"})
    people = sorted({o.ref for o in bs_owners if o.kind != "group"})
    if people:
        problems.append(f"Backstage names {_names(people)} as owner, which is not a team (use a Group)")
    if len(bs_refs) > 1:
        problems.append(f"Backstage components name {len(bs_refs)} different owners: {_names(bs_refs)}")

    co_teams = sorted({o.text for o in co_owners if o.kind in ("team", "group-or-user")})
    co_people = sorted({o.text for o in co_owners if o.kind in ("user", "email")})
    if co is not None and co_owners:
        if len(co_teams) > 1:
            problems.append(f"{co.path} assigns {where} to {len(co_teams)} teams: {_names(co_teams)}")
        elif not co_teams:
            problems.append(f"{co.path} assigns {where} only to individuals ({_names(co_people)}), not a team")

    if len(bs_teams) == 1 and len(co_teams) == 1 and not problems:
        bs_name, co_team = bs_teams[0], co_teams[0]
        co_name = co_team.lstrip("@").rsplit("/", 1)[-1]
        if normalise_service_name(bs_name) != normalise_service_name(co_name):
            problems.append(f"Backstage owner {bs_refs[0]} and {co.path if co else 'CODEOWNERS'} owner "
                            f"{co_team} disagree")

    if problems:
        return failed(f"{where} does not have exactly one owning team: " + "; ".join(problems), evidence)
    if not bs_teams and not co_teams:
        looked = ", ".join(ctx.facts(codeowners.detect).searched)
        found = ""
        if missing:
            found = f" ({counted(len(missing), 'Component')} without a usable spec.owner)"
        elif co is not None:
            found = f" ({co.path} has no rule for {where})"
        return failed(f"No owning team found for {where}: looked for a Backstage Component spec.owner "
                      f"and CODEOWNERS ({looked}){found}", evidence)
    sources = []
    if bs_teams:
        sources.append(f"Backstage spec.owner {bs_refs[0]}")
    if co_teams and co is not None:
        sources.append(f"{co.path} {co_teams[0]}")
    team = bs_teams[0] if bs_teams else co_teams[0]
    return passed(f"{where} is owned by one team, {team}: " + " and ".join(sources), evidence)


RULE = RuleCheck(
    id="ORG003",
)
