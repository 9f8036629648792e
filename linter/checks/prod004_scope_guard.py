"""PROD004 scope-guard: the PR/FAQ or design doc says what the first version leaves out.

Documents judged: the service's PR/FAQs (``linter.detectors.prfaq``, attributed as in
PROD001; a stand-alone product FAQ without a press release is not one) and its design documents (ADR/RFC/design folders, files named design*/rfc*/
proposal*/spec*). A statement is a heading with content, a labelled paragraph ("Out of
scope", "Non-goals", "Not in v1", "Future work", "Later versions", "What we will not build")
or an answered FAQ question about what is left out. Neither a PR/FAQ nor a design doc:
not applicable (PROD001 asks for the PR/FAQ).
"""

from __future__ import annotations

from linter.checks.attribution import docs_for_scope, scope_docs
from linter.checks.base import CheckContext
from linter.checks.rule import Placement, RuleCheck
from linter.detectors import docs, prfaq
from linter.detectors.prfaq import PrfaqDoc
from linter.results import Evidence, Finding, failed, not_applicable, passed

MAX_LISTED = 3


def working_backwards_docs(candidates: list[PrfaqDoc]) -> list[PrfaqDoc]:
    """The PR/FAQ documents proper: a lone ``faq.md`` is product documentation, not a Working
    Backwards FAQ, unless a press release sits beside it (teams split the two files)."""
    has_press = any(d.has_press_release or d.role in ("prfaq", "press_release") for d in candidates)
    return [d for d in candidates if has_press or d.role != "faq"]


def check(ctx: CheckContext) -> Finding:
    prfaqs = [d.path for d in working_backwards_docs(docs_for_scope(ctx)[0])]
    designs = [d.path for d in scope_docs(ctx) if d.is_design and d.has_text]
    judged = sorted(set(prfaqs) | set(designs))
    if not judged:
        return not_applicable(f"{ctx.scope.name} has neither a PR/FAQ nor a design document to state its scope")
    by_path = ctx.facts(docs.detect).by_path()
    evidence: list[Evidence] = []
    for path in judged:
        info = by_path.get(path)
        if info is not None:
            evidence += [Evidence(path, m.line, f"{m.kind}: {m.text}") for m in info.scope_statements]
    if evidence:
        first = sorted(evidence)[0]
        return passed(f"Scope of the first version is bounded: {first.detail} at {first.location()}", evidence)
    listed = ", ".join(judged[:MAX_LISTED]) + (f" and {len(judged) - MAX_LISTED} more" if len(judged) > MAX_LISTED else "")
    kinds = " and ".join(k for k, v in (("PR/FAQ", prfaqs), ("design docs", designs)) if v)
    return failed(f"The {kinds} of {ctx.scope.name} ({listed}) never say what is out of scope: add an 'Out of "
                  "scope' / 'Non-goals' / 'Not in v1' section or an answered FAQ question about what the first "
                  "version leaves out", [Evidence(p, 0, "no scope statement") for p in judged])


RULE = RuleCheck(
    id="PROD004",
    placement=Placement.SECOND,
    early_facts=(docs.detect, prfaq.detect,),
)
