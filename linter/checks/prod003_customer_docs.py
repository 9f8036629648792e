"""PROD003 customer-docs: a customer interaction document and a user manual with a glossary.

The interaction document is Markdown named or titled customer journey, user journey,
customer experience, "how customers use" or interaction, or a heading of that kind with
content. The manual half is a user guide/manual/handbook (by name or title) or any document
in a docs folder with a "Glossary" heading that has content, or a glossary file.
"""

from __future__ import annotations

from linter.checks.attribution import scope_docs
from linter.checks.base import CheckContext
from linter.checks.rule import Placement, RuleCheck
from linter.detectors import docs
from linter.detectors.docs import in_manual_dir
from linter.results import Evidence, Finding, failed, passed


def check(ctx: CheckContext) -> Finding:
    documents = scope_docs(ctx)
    journey = [Evidence(d.path, d.journey.line, f"customer interaction: {d.journey.text}")
               for d in documents if d.journey]
    glossary = [Evidence(d.path, m.line, f"glossary in {'user manual' if d.is_manual else 'documentation'}")
                for d in documents if d.is_manual or in_manual_dir(d.path) for m in d.glossary_sections]
    glossary += [Evidence(d.path, d.title_line, "glossary file")
                 for d in documents if d.is_glossary_file and d.has_text]
    glossary += [Evidence(a.path, a.line, a.kind) for a in ctx.facts(docs.detect_files).glossary_files
                 if ctx.owns(a.path)]
    manuals = [d for d in documents if d.is_manual and d.has_text]
    if journey and glossary:
        return passed(f"Customer docs found: interaction document {journey[0].location()} and a glossary at "
                      f"{glossary[0].location()}", journey + glossary)
    missing: list[str] = []
    if not journey:
        missing.append("a customer interaction document (customer/user journey, customer experience, how "
                       "customers use it)")
    if not glossary:
        hint = (f" ({manuals[0].path} is a manual without a Glossary section)" if manuals else "")
        missing.append("a user manual with a glossary (a 'Glossary' heading in a user guide or docs, or a "
                       f"glossary file){hint}")
    present = journey + glossary + [Evidence(d.path, d.title_line, "user manual without glossary") for d in manuals]
    return failed(f"{ctx.scope.name} is missing " + " and ".join(missing), present)


RULE = RuleCheck(
    id="PROD003",
    placement=Placement.SECOND,
    early_facts=(docs.detect, docs.detect_files,),
)
