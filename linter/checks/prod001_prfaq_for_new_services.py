"""PROD001 prfaq-for-new-services: a new service has a press release (a PR/FAQ).

"New" is judged from git: the scope folder's first commit is within ``new_service_days`` of
``ctx.now``. A folder git knows nothing of yet (files not committed) counts as new, because
that is exactly when a PR/FAQ should exist. Without the whole history (a shallow clone, a
grafted history, no git) the age would be made up, so the rule is skipped (``history_needed``). Which documents belong to a service, and
its age, come from ``linter.checks.attribution`` (shared with PROD002 and PROD004).
"""

from __future__ import annotations

from linter.checks.attribution import age_finding, docs_for_scope, where_looked
from linter.checks.base import CheckContext
from linter.checks.rule import Placement, RuleCheck
from linter.detectors import prfaq
from linter.detectors.prfaq import PrfaqDoc
from linter.fast_dataclass import dataclass
from linter.results import Evidence, Finding, failed, passed

LOOKED_FOR = ("Markdown files named prfaq / pr-faq / press-release / working-backwards / faq, "
              "or titled PR/FAQ, press release, working backwards or FAQ")
MAX_LISTED = 3


def _paths(docs: list[PrfaqDoc]) -> str:
    listed = ", ".join(d.path for d in docs[:MAX_LISTED])
    return listed + (f" and {len(docs) - MAX_LISTED} more" if len(docs) > MAX_LISTED else "")


def check(ctx: CheckContext) -> Finding:
    age = age_finding(ctx)
    if isinstance(age, Finding):
        return age
    mine, others = docs_for_scope(ctx)
    subject = f"new service {ctx.scope.name} ({age.describe()})"
    press = [d for d in mine if d.has_press_release]
    faqs = [d for d in mine if d.has_faq]
    if press:
        evidence = [Evidence(d.path, d.title_line, f"press release ({d.matched_by})") for d in press]
        evidence += [Evidence(d.path, d.questions[0].line, f"FAQ: {len(d.questions)} questions") for d in faqs]
        if faqs:
            combined = {d.path for d in faqs} <= {d.path for d in press}
            faq_text = "FAQ in the same document" if combined else f"FAQ in {_paths(faqs)}"
            return passed(f"PR/FAQ found for {subject}: press release in {_paths(press)}, {faq_text}", evidence)
        return passed(f"Press release found for {subject} in {_paths(press)}; the FAQ is missing "
                      "(PROD002 judges it)", evidence)
    looked = f"looked for {LOOKED_FOR}, {where_looked(ctx)}"
    if faqs:
        evidence = [Evidence(d.path, d.questions[0].line, f"FAQ only: {len(d.questions)} questions") for d in faqs]
        return failed(f"Only an FAQ found for {subject} ({_paths(faqs)}): the press release is missing; "
                      "write the customer announcement (headline, problem, solution, quote, how to start)",
                      evidence)
    if mine:
        evidence = [Evidence(d.path, d.title_line, "PR/FAQ candidate without content") for d in mine]
        return failed(f"No PR/FAQ content for {subject}: {_paths(mine)} has no press-release text and "
                      f"no FAQ questions ({looked})", evidence)
    elsewhere = [d for d in others if d.has_press_release or d.has_faq]
    hint = (f"; PR/FAQ documents elsewhere that do not name this service: {_paths(elsewhere)}"
            if elsewhere else "")
    return failed(f"No PR/FAQ found for {subject}: {looked}{hint}")


@dataclass(frozen=True)
class Options:
    """PROD001's options; their defaults and limits are in ``rules/PROD001.yaml``."""

    new_service_days: int


RULE = RuleCheck(
    id="PROD001",
    options=Options,
    placement=Placement.SECOND,
    early_facts=(prfaq.detect,),
    dates_services=True,
    reads_history=True,
    fix="plan_prfaq",
)
