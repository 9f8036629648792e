"""SEC008 data-classification: a service that stores data says what it holds and how sensitive it is.

Whether the service stores data comes from ``linter.detectors.datastores`` (Backstage
resources it depends on, compose/Kubernetes database images, Terraform/CloudFormation
stores, SQL migrations) attributed with ``ctx.owns``. The statement is a Markdown heading
such as "Data classification", "Data inventory", "Personal data", "PII" or "Data we store"
with content (``linter.detectors.docs``), a data-classification file, or a Backstage
annotation/label about classification. No datastore: not applicable.
"""

from __future__ import annotations

from linter.checks.attribution import scope_docs
from linter.checks.base import CheckContext
from linter.checks.rule import Placement, RuleCheck
from linter.detectors import datastores
from linter.results import Evidence, Finding, failed, not_applicable, passed

MAX_LISTED = 3
LOOKED_FOR = ("a Markdown section 'Data classification', 'Data inventory', 'Personal data', 'PII' or 'Data we "
              "store', a data-classification.yaml, or a Backstage data-classification annotation or label")


def check(ctx: CheckContext) -> Finding:
    facts = ctx.facts(datastores.detect)
    stores = ctx.owned(facts.stores, "path", "service")
    if not stores:
        return not_applicable(f"{ctx.scope.name} stores no data as far as its configuration shows: no datastore "
                              "resource, database image, managed store or SQL migrations found")
    store_text = ", ".join(f"{s.what} ({s.path}{':' + str(s.line) if s.line else ''})" for s in stores[:MAX_LISTED])
    store_text += f" and {len(stores) - MAX_LISTED} more" if len(stores) > MAX_LISTED else ""
    store_evidence = [Evidence(s.path, s.line, f"{s.kind}: {s.what}") for s in stores[:10]]
    found = [Evidence(r.path, r.line, r.detail) for r in ctx.owned(facts.records, "path", "service")]
    for doc in scope_docs(ctx):
        found += [Evidence(doc.path, m.line, f"section: {m.text}") for m in doc.classification_sections]
    if found:
        first = sorted(set(found))[0]
        return passed(f"{ctx.scope.name} stores data ({store_text}) and documents it: {first.detail} at "
                      f"{first.location()}", found + store_evidence)
    return failed(f"{ctx.scope.name} stores data ({store_text}) but does not say what customer data it holds or "
                  f"how sensitive it is: looked for {LOOKED_FOR}", store_evidence)


RULE = RuleCheck(
    id="SEC008",
    placement=Placement.SECOND_WHEN_SMALL,
)
