"""SEC003: static application security testing (SAST) runs in CI on every change.

Recognised: CodeQL (``github/codeql-action/init|analyze``, ``codeql database analyze``),
Semgrep, Bandit, gosec, SonarQube/SonarCloud, GitLab SAST templates and components,
Brakeman, Snyk Code, Bearer, Checkmarx, Veracode, njsscan, Horusec (table in
``linter.detectors.ci.tables.SAST``). Linters (eslint with security plugins, ruff) are not SAST.
GitHub's CodeQL *default setup* lives in repository settings, not in files, so a repository
that uses it fails here and says why: waive the rule for it.
"""

from __future__ import annotations

from linter.checks.base import CheckContext
from linter.checks.ci_runs import runs_of
from linter.checks.ci_wording import nothing_fail, only_late_fail, per_change_pass
from linter.checks.rule import RuleCheck
from linter.checks.unreadable import could_not_read
from linter.detectors import ci
from linter.detectors.ci.tables import SAST
from linter.results import Finding

WHAT = "static application security testing"
DEFAULT_SETUP_NOTE = ("; GitHub's CodeQL default setup is switched on in repository settings and cannot be "
                      "seen in files: if it is on, waive this rule")


def check(ctx: CheckContext) -> Finding:
    facts = ctx.facts(ci.detect)
    hits = ctx.owned(runs_of(ctx, facts, SAST), "hit.path")
    per_change = [h for h in hits if h.job.per_change]
    if per_change:
        return per_change_pass("SAST", per_change)
    unread = could_not_read(ctx, facts.unusable, f"no {WHAT} that runs on every change")
    if unread is not None:  # the analysis may be in the file that could not be used
        return unread
    if hits:
        return only_late_fail(f"no {WHAT} on changes", hits,
                              "code is analysed only after it merged; run the analysis on pull requests too")
    finding = nothing_fail(f"no {WHAT} in CI", facts,
                           "no SAST step (CodeQL, Semgrep, Bandit, gosec, SonarQube, GitLab SAST...) outside comments")
    return type(finding)(finding.status, finding.message + DEFAULT_SETUP_NOTE, finding.evidence)


RULE = RuleCheck(
    id="SEC003",
)
