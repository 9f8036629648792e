"""SEC002: Dependabot or Renovate keeps every package ecosystem in the repository up to date.

Ecosystems come from manifests in the file index (``linter.detectors.ecosystems``): pip/
Poetry/Pipenv/uv, npm/yarn/pnpm, Go modules, Cargo, Maven, Gradle, Bundler, Composer, NuGet,
Dockerfiles, GitHub Actions workflows, Terraform and Helm charts. A manifest is covered by a
Dependabot ``updates`` entry of its ecosystem whose ``directory`` is the manifest's folder
(or whose ``directories`` glob matches it), or by a Renovate config that is enabled, whose
``enabledManagers`` (if set) include the ecosystem's manager and whose ``ignorePaths`` do
not drop it. Fails naming each uncovered ecosystem with one manifest path.
"""

from __future__ import annotations

from linter.checks.base import CheckContext
from linter.checks.rule import RuleCheck
from linter.detectors import ecosystems
from linter.detectors.ecosystems import Manifest, dependabot_covers, renovate_covers
from linter.results import Evidence, Finding, failed, not_applicable, passed

MAX_NAMED = 8


def check(ctx: CheckContext) -> Finding:
    facts = ctx.facts(ecosystems.detect)
    manifests = ctx.owned(facts.manifests)
    if not manifests:
        return not_applicable("no package manifests found (requirements*.txt, pyproject.toml, package.json, go.mod, "
                              "Cargo.toml, pom.xml, build.gradle, Gemfile, composer.json, *.csproj, Dockerfile, "
                              ".github/workflows, *.tf, Chart.yaml)")
    bots = [f"Dependabot ({p})" for p in facts.dependabot_files] + [f"Renovate ({r.path})" for r in facts.renovate]
    if not bots:
        return failed(f"no dependency update bot: found {_ecosystem_list(manifests)} but no Dependabot "
                      "(.github/dependabot.yml) or Renovate (renovate.json...) configuration",
                      [Evidence(m.path, 0, f"{m.ecosystem} manifest") for m in _first_per_ecosystem(manifests)])
    uncovered = [m for m in manifests if not _covered(facts, m)]
    bot_evidence = [Evidence(u.path, u.line, f"Dependabot {u.ecosystem} for {', '.join(u.directories) or '(none)'}")
                    for u in facts.dependabot] + [Evidence(r.path, r.line, _renovate_text(r)) for r in facts.renovate]
    if not uncovered:
        return passed(f"{' and '.join(bots)} {'covers' if len(bots) == 1 else 'cover'} every ecosystem found: {_ecosystem_list(manifests)}", bot_evidence)
    missing = _first_per_ecosystem(uncovered)
    named = "; ".join(f"{m.ecosystem} ({m.path}{_more(uncovered, m)})" for m in missing[:MAX_NAMED])
    return failed(f"{' and '.join(bots)} {'leaves' if len(bots) == 1 else 'leave'} ecosystems without update automation: {named}; add an update entry "
                  "for each ecosystem and directory (Dependabot `directories` accepts globs)",
                  [Evidence(m.path, 0, f"{m.ecosystem} manifest not covered by an update bot") for m in missing]
                  + bot_evidence)


def _covered(facts: ecosystems.EcosystemFacts, manifest: Manifest) -> bool:
    root = facts.workspace_root(manifest)  # a workspace member is updated through its root's lockfile
    return any(dependabot_covers(u, manifest) or (root is not None and dependabot_covers(u, root))
               for u in facts.dependabot) or any(renovate_covers(r, manifest) for r in facts.renovate)


def _first_per_ecosystem(manifests: list[Manifest]) -> list[Manifest]:
    seen: dict[str, Manifest] = {}
    for manifest in sorted(manifests, key=lambda m: (m.ecosystem, m.path.count("/"), m.path)):
        seen.setdefault(manifest.ecosystem, manifest)
    return sorted(seen.values())


def _more(manifests: list[Manifest], shown: Manifest) -> str:
    others = sum(1 for m in manifests if m.ecosystem == shown.ecosystem) - 1
    return f" and {others} more" if others else ""


def _ecosystem_list(manifests: list[Manifest]) -> str:
    return ", ".join(sorted({m.ecosystem for m in manifests}))


def _renovate_text(config: ecosystems.RenovateConfig) -> str:
    if not config.enabled:
        return "Renovate configuration with enabled: false"
    managers = f"enabledManagers {', '.join(config.managers)}" if config.managers is not None else "all managers"
    return f"Renovate ({managers})"


RULE = RuleCheck(
    id="SEC002",
    fix="plan_update_automation",
)
