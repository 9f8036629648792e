"""DOC002 six-page-narratives: each design narrative stays within about six pages.

Design narratives are Markdown under ``docs/{adr,adrs,decisions,rfc,rfcs,design}/``,
``docs/architecture/decisions/``, ``doc/adr/`` (or the folder an ``.adr-dir`` names),
``rfcs/``, ``design/``, ``keps/`` and ``text/NNNN-*.md``. Words are counted in paragraphs
and list items only: code blocks, tables, front matter, headings and sections headed
Appendix/Appendices/FAQ/References do not count, because the limit is about the argument a
reader must follow, not the reference material beside it.
"""

from __future__ import annotations

from linter.checks.base import CheckContext
from linter.checks.rule import Placement, RuleCheck
from linter.detectors import docs
from linter.fast_dataclass import dataclass
from linter.results import Evidence, Finding, counted, failed, not_applicable, passed

MAX_LISTED = 20


def check(ctx: CheckContext) -> Finding:
    limit = ctx.options.max_words
    narratives = [d for d in ctx.owned(ctx.facts(docs.detect).docs) if d.is_narrative]
    if not narratives:
        return not_applicable("No design narratives (ADR, RFC, design or KEP folders) in the repository")
    long_docs = sorted((d for d in narratives if d.prose_words > limit), key=lambda d: (-d.prose_words, d.path))
    if long_docs:
        listed = ", ".join(f"{d.path} ({d.prose_words} words)" for d in long_docs[:MAX_LISTED])
        more = f" and {len(long_docs) - MAX_LISTED} more" if len(long_docs) > MAX_LISTED else ""
        verb = "exceeds" if len(long_docs) == 1 else "exceed"
        return failed(f"{len(long_docs)} of {counted(len(narratives), 'design narrative')} {verb} max_words={limit} "
                      f"(about six pages): {listed}{more}",
                      [Evidence(d.path, 0, f"{d.prose_words} prose words") for d in long_docs[:MAX_LISTED]])
    longest = max(narratives, key=lambda d: (d.prose_words, d.path))
    subject = ("The" if len(narratives) == 1 else "All") + f" {counted(len(narratives), 'design narrative')}"
    verb = "stays" if len(narratives) == 1 else "stay"
    return passed(f"{subject} {verb} within {limit} prose words; the longest is "
                  f"{longest.path} with {longest.prose_words}", [Evidence(longest.path, 0, f"{longest.prose_words} prose words")])


@dataclass(frozen=True)
class Options:
    """DOC002's options; their defaults and limits are in ``rules/DOC002.yaml``."""

    max_words: int


RULE = RuleCheck(
    id="DOC002",
    options=Options,
    placement=Placement.SECOND,
    early_facts=(docs.detect,),
)
