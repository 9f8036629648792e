"""One planner per rule ``fix`` can address: what files to write, or what to tell the user.

A planner receives the repository's facts and the scopes where its rule failed, and
returns ``PlannedFile``s (each naming the rule and the scopes it addresses) and ``Advice``
(text for the user when writing a file would mean rewriting one that exists, or would not
help on this platform). Planners never write; ``linter.scaffold.fix`` does, and never over
an existing file.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Callable

from linter import placeholders
from linter.checks.base import normalise_service_name
from linter.detectors import backstage, codeowners, ecosystems, security_policy, teams
from linter.detectors.backstage import normalise_ref
from linter.detectors.ci import woodpecker
from linter.fast_dataclass import dataclass
from linter.repo.workspace import Workspace
from linter.results import Scope
from linter.scaffold import repo_facts
from linter.scaffold.repo_facts import Remote
from linter.scaffold.templating import render, yaml_str

#: A CODEOWNERS path we write must be plain: GitHub skips lines with ``[ ]``, ``!`` or ``\#``.
_SAFE_CODEOWNERS_PATH = re.compile(r"^[A-Za-z0-9._/-]{1,500}$")
#: Names a person must choose (``linter.placeholders``: results resting on them fail).
ORG_PLACEHOLDER = placeholders.ORG
DEFAULT_TEAM_PLACEHOLDER = placeholders.TEAM
OTHER_CI_FILES = ("Jenkinsfile", ".circleci/config.yml", "azure-pipelines.yml", "bitbucket-pipelines.yml",
                  ".buildkite/pipeline.yml", ".woodpecker.yaml", ".woodpecker.yml", ".drone.yml")


@dataclass(frozen=True)
class PlannedFile:
    path: str  # POSIX, relative to the repository root
    content: str
    rule_id: str
    scopes: tuple[str, ...]  # scope paths this file addresses ("." for repository rules)


@dataclass(frozen=True)
class Advice:
    rule_id: str
    text: str


@dataclass
class RepoInfo:
    """Everything planners may use: the index, the scopes and what git says."""

    root: Path
    ws: Workspace
    scopes: list[Scope]
    today: date
    remote: Remote | None
    org: str | None = None  # --org

    @property
    def single_scope(self) -> bool:
        return len(self.scopes) <= 1

    @property
    def on_gitlab(self) -> bool:
        return self.ws.exists(".gitlab-ci.yml") or bool(self.remote and "gitlab" in self.remote.host.lower())

    @property
    def repo_name(self) -> str:
        return self.remote.name if self.remote else (self.root.name or "repository")


Plan = tuple[list[PlannedFile], list[Advice]]
#: ``planner(info, failing scopes, rule id)``: the files and advice that address the rule. Each
#: rule names its planner in its record (``RuleCheck.fix``).
Planner = Callable[[RepoInfo, list[Scope], str], Plan]


def join(folder: str, rel: str) -> str:
    return rel if folder in (".", "") else f"{folder}/{rel}"


def service_file(info: RepoInfo, scope: Scope, in_service: str, single: str) -> str:
    """``<service>/<in_service>`` in a multi-service repository, else ``single`` (``{slug}`` filled)."""
    if info.single_scope or scope.path == ".":
        return single.format(slug=repo_facts.slug(scope.name))
    return join(scope.path, in_service)


def plan_prfaq(info: RepoInfo, failing: list[Scope], rule_id: str) -> Plan:
    files = [PlannedFile(service_file(info, s, "docs/prfaq.md", "docs/prfaq.md"),
                         render("prfaq.md.j2", service=s.name, today=info.today.isoformat()),
                         rule_id, (s.path,)) for s in failing]
    return files, []


def plan_latency_slo(info: RepoInfo, failing: list[Scope], rule_id: str) -> Plan:
    files = []
    for scope in failing:
        service = slo_service_name(info, scope)
        files.append(PlannedFile(
            service_file(info, scope, "slo/latency.yaml", "slo/{slug}-latency.yaml"),
            render("latency-slo.yaml.j2", service=service, slug=repo_facts.slug(scope.name),
                   today=info.today.isoformat()),
            rule_id, (scope.path,)))
    return files, []


def slo_service_name(info: RepoInfo, scope: Scope) -> str:
    """``spec.service``: the scope's name, unless another scope shares it (``apps/web`` and
    ``services/web``). An SLO naming a service belongs to the first scope of that name, so
    then the folder is used: it names no scope, and the file's location decides."""
    key = normalise_service_name(scope.name)
    if any(s.path != scope.path and normalise_service_name(s.name) == key for s in info.scopes):
        return scope.path
    return scope.name


def plan_update_automation(info: RepoInfo, failing: list[Scope], rule_id: str) -> Plan:
    facts = info.ws.facts(ecosystems.detect)
    scopes = tuple(s.path for s in failing)
    if facts.dependabot_files or facts.renovate:
        return [], [Advice(rule_id, _existing_bot_advice(facts))]
    if info.on_gitlab:
        text = render("renovate.json.j2", today=info.today.isoformat())
        return [PlannedFile("renovate.json", text, rule_id, scopes)], [Advice(
            rule_id, "GitLab has no Dependabot: renovate.json configures Renovate (run it as a scheduled "
                      "pipeline or through the Renovate GitLab app); it detects every package ecosystem itself")]
    found = repo_facts.detect_ecosystems(info.ws)
    if not found:
        return [], [Advice(rule_id, "no package manifests or workflows found: nothing for Dependabot to update")]
    text = render("dependabot.yml.j2", ecosystems=found, today=info.today.isoformat())
    return [PlannedFile(".github/dependabot.yml", text, rule_id, scopes)], []


def _existing_bot_advice(facts: ecosystems.EcosystemFacts) -> str:
    """What an existing Dependabot/Renovate configuration leaves out, as entries to add."""
    where = ", ".join(sorted({*facts.dependabot_files, *(r.path for r in facts.renovate)}))
    uncovered = [m for m in facts.manifests
                 if not any(ecosystems.dependabot_covers(u, m) for u in facts.dependabot)
                 and not any(ecosystems.renovate_covers(r, m) for r in facts.renovate)]
    if not uncovered:
        return f"update automation is configured ({where}) for every manifest found; not rewriting it"
    if facts.renovate:
        listed = ", ".join(m.path for m in uncovered[:10]) + (" ..." if len(uncovered) > 10 else "")
        return (f"Renovate is configured ({where}); not rewriting it. Its enabledManagers/ignorePaths leave out: "
                f"{listed}")
    folders: dict[str, set[str]] = {}
    for manifest in uncovered:
        folder = "" if manifest.ecosystem == "github-actions" else manifest.directory
        folders.setdefault(manifest.ecosystem, set()).add(f"/{folder}")
    entries = "\n".join(
        f"  - package-ecosystem: {yaml_str(name)}\n    directories:\n"
        + "".join(f"      - {yaml_str(d)}\n" for d in sorted(dirs))
        + "    schedule:\n      interval: \"weekly\"" for name, dirs in sorted(folders.items()))
    return f"Dependabot is configured ({where}); not rewriting it. Add under `updates:`:\n{entries}"


GITLAB_INCLUDE = "include:\n  - template: Jobs/Dependency-Scanning.gitlab-ci.yml"


def plan_dependency_scan(info: RepoInfo, failing: list[Scope], rule_id: str) -> Plan:
    scopes = tuple(s.path for s in failing)
    if info.on_gitlab:
        return [], [Advice(rule_id, "GitLab repository: not rewriting .gitlab-ci.yml. Add GitLab's dependency "
                                     f"scanning template to it (merge it into an existing `include:`):\n{GITLAB_INCLUDE}")]
    other_ci = [f for f in OTHER_CI_FILES if info.ws.exists(f)]
    if woodpecker.config_files(info.ws) and not any(f.startswith(".woodpecker") for f in other_ci):
        other_ci.append(f"{woodpecker.FOLDER}/")  # a folder of workflows
    on_github = info.ws.exists(".github") or any(f.startswith(".github/") for f in info.ws.files) or (
        info.remote is not None and info.remote.is_github)
    if other_ci and not on_github:
        return [], [Advice(rule_id, f"CI runs in {', '.join(other_ci)}: add a step that fails on known "
                                     "vulnerabilities on every change, for example `osv-scanner scan source -r .` "
                                     "(or pip-audit / npm audit for one ecosystem)")]
    text = render("dependency-review.yml.j2", today=info.today.isoformat())
    return [PlannedFile(".github/workflows/dependency-review.yml", text, rule_id, scopes)], []


def plan_security_policy(info: RepoInfo, failing: list[Scope], rule_id: str) -> Plan:
    existing = [f for f in info.ws.files if _is_policy_path(f)]
    if existing:
        return [], [Advice(rule_id, f"{existing[0]} exists; not rewriting it. Add a \"Reporting a vulnerability\" "
                                     "section with a private channel: " + _channel_hint(info))]
    values = _security_channels(info)
    text = render("SECURITY.md.j2", today=info.today.isoformat(), **values)
    return [PlannedFile("SECURITY.md", text, rule_id, tuple(s.path for s in failing))], []


def _is_policy_path(path: str) -> bool:
    """Where GitHub (and SEC006) look for a security policy, any case and suffix it accepts."""
    folder, _, name = path.rpartition("/")
    return (f"{folder}/" if folder else "") in security_policy.POLICY_DIRS and name.lower() in security_policy.POLICY_NAMES


def _security_channels(info: RepoInfo) -> dict[str, str]:
    remote = info.remote
    values = {"advisory_url": "", "confidential_issue_url": "", "email": ""}
    if remote is None:
        return values
    if remote.is_github:
        values["advisory_url"] = f"{remote.web_url}/security/advisories/new"
    elif info.on_gitlab:
        values["confidential_issue_url"] = f"{remote.web_url}/-/issues/new?issue%5Bconfidential%5D=true"
    domain = remote.organisation_domain()
    if domain:
        values["email"] = f"security@{domain}"
    return values


def _channel_hint(info: RepoInfo) -> str:
    values = _security_channels(info)
    return (values["advisory_url"] or values["confidential_issue_url"] or values["email"]
            or "a monitored address such as security@ followed by your domain")


def plan_game_day(info: RepoInfo, failing: list[Scope], rule_id: str) -> Plan:
    path = f"docs/game-days/{info.today.isoformat()}-first-game-day.md"
    text = render("game-day.md.j2", today=info.today.isoformat(), repo=info.repo_name, services=info.scopes)
    return [PlannedFile(path, text, rule_id, tuple(s.path for s in failing))], []


def plan_runbook(info: RepoInfo, failing: list[Scope], rule_id: str) -> Plan:
    files = [PlannedFile(service_file(info, s, "runbooks/failover.md", "docs/runbooks/{slug}-failover.md"),
                         render("failover-runbook.md.j2", service=s.name, today=info.today.isoformat()),
                         rule_id, (s.path,)) for s in failing]
    return files, []


@dataclass(frozen=True)
class OwnerLine:
    pattern: str
    owner: str  # "" when unknown: written as a comment
    why: str = ""


def plan_codeowners(info: RepoInfo, failing: list[Scope], rule_id: str) -> Plan:
    facts = info.ws.facts(codeowners.detect)
    present = [p for p in dict.fromkeys(codeowners.GITHUB_LOCATIONS + codeowners.GITLAB_LOCATIONS)
               if info.ws.exists(p)]
    if present:
        return [], [Advice(rule_id, f"{present[0]} exists; not rewriting it. Put a catch-all first line such as "
                                     f"`*  @{_org(info)[0]}/{DEFAULT_TEAM_PLACEHOLDER}`, then one line per folder; "
                                     "fix or remove the lines `practicelint check` reports as invalid")]
    target = facts.searched[0]
    org, org_placeholder = _org(info)
    roster = info.ws.facts(teams.detect).teams
    team_names = [t.name for t in roster if t.defined and t.is_team]
    default_team = team_names[0] if len(team_names) == 1 else DEFAULT_TEAM_PLACEHOLDER
    default_owner = _team_owner(org, default_team)
    lines = _service_lines(info, org, default_owner)
    text = render("CODEOWNERS.j2", today=info.today.isoformat(), org=org, org_placeholder=org_placeholder,
                  default_owner=default_owner, default_placeholder=default_team == DEFAULT_TEAM_PLACEHOLDER,
                  teams=team_names, lines=lines,
                  width=max([1, *(len(line.pattern) for line in lines if line.owner)]))
    return [PlannedFile(target, text, rule_id, tuple(s.path for s in failing))], []


def _org(info: RepoInfo) -> tuple[str, bool]:
    """(organisation, is_placeholder): ``--org``, else the remote's owner, else a marked placeholder."""
    for candidate in (info.org, info.remote.owner.split("/", 1)[0] if info.remote else None):
        if candidate:
            cleaned = re.sub(r"[^A-Za-z0-9-]", "-", candidate).strip("-")[:39]
            if cleaned:
                return cleaned, False
    return ORG_PLACEHOLDER, True


def _team_owner(org: str, team: str) -> str:
    slug = re.sub(r"[^a-z0-9_.-]+", "-", team.lower()).strip("-.")[:100] or DEFAULT_TEAM_PLACEHOLDER
    return f"@{org}/{slug}"


def _user_owner(name: str) -> str | None:
    cleaned = re.sub(r"[^A-Za-z0-9-]", "-", name).strip("-")[:39]
    return f"@{cleaned}" if cleaned else None


def _component_owner(entity: backstage.Entity, org: str) -> str | None:
    ref = normalise_ref(entity.spec.get("owner"), "group", entity.namespace)
    if ref is None:
        return None
    kind, _, rest = ref.partition(":")
    name = rest.split("/", 1)[-1]
    if kind == "user":
        return _user_owner(name)
    return _team_owner(org, name) if kind == "group" else None


def _service_lines(info: RepoInfo, org: str, default_owner: str) -> list[OwnerLine]:
    """One line per service folder, owned by its Backstage component's owner."""
    components = {e.directory: e for e in info.ws.facts(backstage.detect).of_kind("component")}
    lines = []
    for scope in info.scopes:
        if scope.path == ".":
            continue
        pattern = f"/{scope.path}/"
        entity = components.get(scope.path)
        owner = _component_owner(entity, org) if entity is not None else None
        if not _SAFE_CODEOWNERS_PATH.match(scope.path):
            lines.append(OwnerLine(pattern, "", "the folder name needs escaping CODEOWNERS does not support; "
                                                "the catch-all covers it"))
        elif owner is None:
            why = "its Backstage component has no owner" if entity is not None else "no Backstage component"
            lines.append(OwnerLine(pattern, "", f"{why}; the catch-all {default_owner} covers it"))
        else:
            lines.append(OwnerLine(pattern, owner))
    return lines
