"""An example practicelint plugin: `pip install examples/plugin`, then `practicelint rules`.

A plugin is a callable registered under the ``practicelint.plugins`` entry-point group that
returns ``linter.plugins.Plugin``. Its checks receive the same ``CheckContext`` as built-in
checks and must only look at facts (here: the file index), never run repository code.
"""

from __future__ import annotations

from linter.checks.base import CheckContext
from linter.plugins import Plugin
from linter.results import Evidence, Finding, failed, passed


def check_oncall_rotation(ctx: CheckContext) -> Finding:
    """ACME101: the repository names its on-call rotation in ONCALL.md."""
    found = ctx.workspace.by_name("ONCALL.md")
    if found:
        return passed(f"on-call rotation documented in {found[0]}", [Evidence(found[0])])
    return failed("no ONCALL.md naming the on-call rotation")


def plugin() -> Plugin:
    return Plugin(
        name="acme",
        prefix="ACME",
        rules=[{
            "id": "ACME101", "name": "oncall-rotation-documented", "practice": "operational-readiness",
            "category": "operations", "severity": "warning", "scope": "repo",
            "summary": "The on-call rotation is written down in ONCALL.md.",
            "rationale": "Responders need to know who is on call without asking around during an incident.",
            "evidence": "An ONCALL.md file anywhere in the repository.",
            "remediation": "Add ONCALL.md naming the rotation, its schedule and how to page it.",
        }],
        checks={"ACME101": check_oncall_rotation},
    )
