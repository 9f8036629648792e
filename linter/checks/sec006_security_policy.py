"""SEC006 security-policy: the repository says how to report a vulnerability privately.

Facts come from ``linter.detectors.security_policy``: the policy files GitHub would show
(root, ``.github/``, ``docs/``) and the reporting channels found in their visible text.
"""

from __future__ import annotations

from linter.checks.base import CheckContext
from linter.checks.rule import Placement, RuleCheck
from linter.checks.unreadable import could_not_read
from linter.detectors import security_policy
from linter.results import Evidence, Finding, failed, passed

KIND_LABELS = {
    "email": "e-mail",
    "advisory": "GitHub security advisories",
    "bug-bounty": "bug bounty",
    "security.txt": "security.txt",
    "confidential-issue": "confidential issue",
    "reporting-section": "reporting section",
}
MAX_EVIDENCE = 10
#: GitHub shows an organisation's default community files (a SECURITY.md in the owner's
#: ``.github`` repository) on every repository that has none of its own.
ORG_POLICY_HINT = ("; GitHub also uses an organisation-wide SECURITY.md from the owner's .github repository, "
                   "which cannot be seen here: if there is one, waive this rule")


def _describe(channel: security_policy.Channel) -> str:
    label = KIND_LABELS.get(channel.kind, channel.kind)
    return f"{label} {channel.detail}" if channel.kind != "reporting-section" else f'section "{channel.detail}"'


def check(ctx: CheckContext) -> Finding:
    facts = ctx.facts(security_policy.detect)
    if not facts.policies:
        candidates = security_policy.policy_paths(ctx.workspace)
        unread = could_not_read(ctx, [f for f in candidates if ctx.workspace.unusable(f)], "no security policy")
        if unread is not None:
            return unread
        return failed("No security policy: looked for SECURITY.md (any case; .md, .markdown, .rst or .txt) "
                      f"in the root, .github/ and docs/{ORG_POLICY_HINT}")
    with_channels = [p for p in facts.policies if p.channels]
    if not with_channels:
        reasons = []
        evidence = []
        for policy in facts.policies:
            why = "still has GitHub's template placeholder text" if policy.template_text else "has no contact"
            headings = f" (headings: {', '.join(policy.headings[:5])})" if policy.headings else ""
            reasons.append(f"{policy.path} {why}{headings}")
            evidence.append(Evidence(policy.path, 0, why))
        return failed("Security policy gives no way to report a vulnerability (no e-mail address, advisory or "
                      "bug-bounty link, security.txt, or filled-in reporting section): " + "; ".join(reasons)
                      + ORG_POLICY_HINT, evidence)
    policy = with_channels[0]
    channels = sorted(policy.channels, key=lambda c: (c.kind == "reporting-section", c.line, c.detail))
    evidence = [Evidence(c.path, c.line, _describe(c)) for c in channels[:MAX_EVIDENCE]]
    return passed(f"{policy.path} says how to report a vulnerability: {_describe(channels[0])} "
                  f"(line {channels[0].line})", evidence)


RULE = RuleCheck(
    id="SEC006",
    placement=Placement.SECOND,
    early_facts=(security_policy.detect,),
    fix="plan_security_policy",
)
