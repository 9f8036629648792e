"""OPS001 operational-readiness: a runbook or on-call document AND alert definitions exist.

Runbook/on-call documents come from ``linter.detectors.docs`` (attributed like the PR/FAQ
rules); PagerDuty/Opsgenie configuration and a ``runbook_url`` on an alert also count as the
runbook half, because they show who is called and where the instructions live. Alerts come
from ``linter.detectors.alerts`` and belong to the scope via ``ctx.owns``.
"""

from __future__ import annotations

from linter.checks.attribution import RUNBOOK_PLACES, runbooks_of
from linter.checks.base import CheckContext
from linter.checks.rule import Placement, RuleCheck
from linter.detectors import alerts, docs
from linter.results import Evidence, Finding, counted, failed, passed

ALERT_FORMATS = ("Prometheus alerting rules or PrometheusRule, Grafana alert provisioning, Sloth/Pyrra SLO "
                 "alerts, Terraform datadog_monitor / aws_cloudwatch_metric_alarm / google_monitoring_alert_policy, "
                 "CloudFormation AWS::CloudWatch::Alarm")


def check(ctx: CheckContext) -> Finding:
    facts = ctx.facts(alerts.detect)
    scope_alerts = ctx.owned(facts.alerts, "path", "service")
    oncall = ctx.owned(facts.oncall, "path", "service")
    runbooks = runbooks_of(ctx)
    linked = [a for a in scope_alerts if a.runbook_url]
    evidence = [Evidence(d.path, d.title_line, "runbook / on-call document") for d in runbooks[:10]]
    evidence += [Evidence(o.path, o.line, o.kind) for o in oncall[:10]]
    evidence += [Evidence(a.path, a.line, f"{a.kind} {a.name}".strip()) for a in scope_alerts[:10]]
    half: list[str] = []
    if runbooks:
        half.append(f"runbook {runbooks[0].path}")
    if oncall:
        half.append(f"on-call config {oncall[0].kind} ({oncall[0].path}:{oncall[0].line})")
    if linked:
        half.append(f"runbook link on alert {linked[0].name} ({linked[0].path}:{linked[0].line})")
    first = scope_alerts[0] if scope_alerts else None
    alert_text = (f"{counted(len(scope_alerts), 'alert')}, first {first.kind} {first.name} at {first.path}:{first.line}"
                  if first else "")
    if half and scope_alerts:
        return passed(f"{ctx.scope.name} is ready to operate: {'; '.join(half)}; {alert_text}", evidence)
    if half:
        return failed(f"{ctx.scope.name} has a runbook/on-call side ({'; '.join(half)}) but no alert definitions: "
                      f"looked for {ALERT_FORMATS}", evidence)
    if scope_alerts:
        return failed(f"{ctx.scope.name} has alerts ({alert_text}) but no runbook or on-call document: looked for "
                      f"{RUNBOOK_PLACES}, PagerDuty/Opsgenie configuration, or runbook_url on alerts", evidence)
    return failed(f"{ctx.scope.name} has neither a runbook/on-call document nor alert definitions: looked for "
                  f"{RUNBOOK_PLACES} and {ALERT_FORMATS}")


RULE = RuleCheck(
    id="OPS001",
    placement=Placement.SECOND,
    early_facts=(docs.detect,),
)
