"""SEC004: committed secrets are caught: a secret scanner runs in CI on each change or as a pre-commit hook.

CI: gitleaks, trufflehog, detect-secrets, ggshield, git-secrets, talisman, noseyparker and
GitLab Secret Detection (``linter.detectors.ci.tables.SECRETS``). Pre-commit: hooks from the
gitleaks, detect-secrets, trufflehog, ggshield, git-secrets and talisman repositories, or
local hooks whose ``entry`` runs one of those programs. A hook is a pass either way, but the
message says whether anything enforces it (``pre-commit run`` in a per-change CI job or a
pre-commit.ci ``ci:`` section) or it relies on every developer installing pre-commit.
"""

from __future__ import annotations

from linter.checks.base import CheckContext
from linter.checks.ci_runs import runs_of
from linter.checks.ci_wording import listed, nothing_fail, only_late_fail, per_change_pass, where
from linter.checks.rule import RuleCheck
from linter.checks.unreadable import could_not_read
from linter.detectors import ci, precommit
from linter.detectors.ci.model import Step
from linter.detectors.ci.judge import classify_step
from linter.detectors.ci.tables import PRE_COMMIT_RUN, SECRETS
from linter.results import Evidence, Finding, passed

#: pre-commit hook repositories (owner/name, lower case) that scan for secrets, with hook ids.
SECRET_HOOK_REPOS = {
    "gitleaks/gitleaks": "gitleaks", "zricethezav/gitleaks": "gitleaks", "yelp/detect-secrets": "detect-secrets",
    "trufflesecurity/trufflehog": "trufflehog", "gitguardian/ggshield": "ggshield",
    "awslabs/git-secrets": "git-secrets", "thoughtworks/talisman": "talisman",
    "ibm/detect-secrets": "detect-secrets",
}


def secret_hooks(facts: precommit.PreCommitFacts) -> list[tuple[precommit.Hook, str]]:
    """Hooks that scan for secrets, with the tool name."""
    found: list[tuple[precommit.Hook, str]] = []
    for hook in facts.hooks:
        if hook.manual_only:
            continue
        tool = SECRET_HOOK_REPOS.get(hook.repo_name)
        if tool is None and hook.entry and hook.repo.strip().lower() == "local":
            hits = classify_step(Step(hook.path, hook.line, "run", hook.entry), SECRETS)
            tool = hits[0].tool if hits else None
        if tool is not None:
            found.append((hook, tool))
    return found


def check(ctx: CheckContext) -> Finding:
    facts = ctx.facts(ci.detect)
    hits = ctx.owned(runs_of(ctx, facts, SECRETS), "hit.path")
    per_change = [h for h in hits if h.job.per_change]
    if per_change:
        return per_change_pass("secret scanning", per_change)
    hooks = [(h, t) for h, t in secret_hooks(ctx.facts(precommit.detect)) if ctx.owns(h.path)]
    if hooks:
        return _hook_pass(ctx, facts, hooks)
    unread = could_not_read(ctx, facts.unusable, "no secret scanner that runs on every change and no "
                                                 "secret-scanning pre-commit hook")
    if unread is not None:  # the scanner may be in the file that could not be used
        return unread
    if hits:
        return only_late_fail("no secret scanning on changes", hits,
                              "a leaked credential is found only after it is in the history; scan each change")
    return nothing_fail("no secret scanning", facts,
                        "no secret scanner (gitleaks, trufflehog, detect-secrets, ggshield, GitLab Secret "
                        "Detection) in CI outside comments, and no secret-scanning pre-commit hook")


def _hook_pass(ctx: CheckContext, facts: ci.CiFacts, hooks: list[tuple[precommit.Hook, str]]) -> Finding:
    runs = [h for h in runs_of(ctx, facts, PRE_COMMIT_RUN) if h.job.per_change and ctx.owns(h.hit.path)]
    service = [p for p in ctx.facts(precommit.detect).ci_service if ctx.owns(p)]
    described = listed([f"{tool} ({hook.path}:{hook.line})" for hook, tool in hooks])
    if runs:
        enforced = f"; pre-commit runs in CI on every change ({where(runs[0])})"
    elif service:
        enforced = f"; pre-commit.ci is configured in {service[0]} (runs the hooks on pull requests once installed)"
    else:
        enforced = ("; but nothing runs pre-commit in CI, so only developers who installed the hooks are "
                    "protected (add `pre-commit run --all-files` to a pull-request job)")
    evidence = [Evidence(hook.path, hook.line, f"pre-commit hook {hook.id} ({tool})") for hook, tool in hooks]
    evidence += [Evidence(r.hit.path, r.hit.line, f"pre-commit in CI: {r.hit.detail}") for r in runs]
    return passed(f"secret scanning runs as a pre-commit hook: {described}{enforced}", evidence)


RULE = RuleCheck(
    id="SEC004",
)
