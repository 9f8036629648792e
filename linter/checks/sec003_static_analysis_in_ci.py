"""SEC003: static application security testing (SAST) runs in CI on every change.

Recognised: CodeQL (``github/codeql-action/init|analyze``, ``codeql database analyze``),
Semgrep, Bandit, gosec, SonarQube/SonarCloud, GitLab SAST templates and components,
Brakeman, Snyk Code, Bearer, Checkmarx, Veracode, njsscan, Horusec (table in
``linter.detectors.ci.tables.SAST``), and gosec inside golangci-lint: enabled on its command
line (``-E gosec``), or by the configuration file a run leaves it to
(``linter.detectors.golangci``: the file it names with ``-c``/``--config``, else the nearest
by name from the folder it runs in).
Linters (eslint with security plugins, ruff) are not SAST.
GitHub's CodeQL *default setup* lives in repository settings, not in files, so a repository
that uses it fails here and says why: waive the rule for it.
"""

from __future__ import annotations

from linter.checks.base import CheckContext
from linter.checks.ci_runs import runs_of
from linter.checks.ci_wording import (
    change_text, evidence as evidence_of, listed, nothing_fail, only_late_fail, per_change_pass, where,
)
from linter.checks.rule import RuleCheck
from linter.checks.unreadable import could_not_read
from linter.detectors import ci, golangci
from linter.detectors.ci.judge import JobHit
from linter.detectors.ci.tables import GOLANGCI_BY_CONFIG, SAST
from linter.results import Evidence, Finding, passed

WHAT = "static application security testing"
DEFAULT_SETUP_NOTE = ("; GitHub's CodeQL default setup is switched on in repository settings and cannot be "
                      "seen in files: if it is on, waive this rule")


def check(ctx: CheckContext) -> Finding:
    facts = ctx.facts(ci.detect)
    hits = ctx.owned(runs_of(ctx, facts, SAST), "hit.path")
    per_change = [h for h in hits if h.job.per_change]
    if per_change:
        return per_change_pass("SAST", per_change)
    gosec = _gosec_by_config(ctx, facts)
    if gosec is not None:
        return gosec
    unread = could_not_read(ctx, facts.unusable, f"no {WHAT} that runs on every change")
    if unread is not None:  # the analysis may be in the file that could not be used
        return unread
    if hits:
        return only_late_fail(f"no {WHAT} on changes", hits,
                              "code is analysed only after it merged; run the analysis on pull requests too")
    finding = nothing_fail(f"no {WHAT} in CI", facts,
                           "no SAST step (CodeQL, Semgrep, Bandit, gosec, SonarQube, GitLab SAST...) outside comments")
    return type(finding)(finding.status, finding.message + DEFAULT_SETUP_NOTE, finding.evidence)


def _gosec_by_config(ctx: CheckContext, facts: ci.CiFacts) -> Finding | None:
    """Pass when golangci-lint runs on every change with a configuration that enables gosec:
    the file its command line names, else the nearest by name from the folder it runs in
    (where that folder is not known: the root's, else every one found must agree)."""
    runs = [h for h in ctx.owned(runs_of(ctx, facts, GOLANGCI_BY_CONFIG), "hit.path") if h.job.per_change]
    if not runs:
        return None
    config = ctx.facts(golangci.detect)
    enabling: list[tuple[JobHit, list[golangci.GolangciConfig]]] = []
    for run in runs:
        chosen = _configs_of(config, run)
        if chosen and all(c.gosec for c in chosen):
            enabling.append((run, chosen))
    if not enabling:
        return None
    used = sorted({c for _, chosen in enabling for c in chosen})
    described = listed([f"{h.hit.detail} on {change_text(h)} ({where(h)})" for h, _ in enabling])
    evidence = [Evidence(c.path, c.line, f"gosec enabled: {c.how}") for c in used]
    enabled = ", ".join(f"{c.path}:{c.line} ({c.how})" for c in used)
    return passed(f"SAST runs on every change: gosec inside golangci-lint, {described}; enabled in {enabled}",
                  evidence + [evidence_of(h, "on " + change_text(h)) for h, _ in enabling])


def _configs_of(config: golangci.GolangciFacts, run: JobHit) -> list[golangci.GolangciConfig]:
    """The configuration one golangci-lint run uses (``golangci.run_settings``); none when it
    names a file that is not in the repository or could not be read."""
    settings = golangci.run_settings(run.hit.command) if run.hit.command is not None else None
    folder, explicit = settings if settings is not None else (None, None)
    if folder is None and explicit is None:
        root = config.for_folder("")
        return [root] if root is not None else list(config.configs)
    found = config.for_run(folder or "", explicit)
    return [found] if found is not None else []


RULE = RuleCheck(
    id="SEC003",
)
