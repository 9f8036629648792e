"""DOC001 narratives-not-slides: design thinking is written as prose, not as slide decks.

From the file index only (binaries are never opened): PowerPoint/Keynote/OpenDocument decks
(``.ppt``, ``.pptx``, ``.pptm``, ``.pps``, ``.ppsx``, ``.key``, ``.odp``) inside docs, design,
RFC, ADR, proposal or architecture folders fail the rule. Decks elsewhere (talks/,
marketing/, conference material) are listed as evidence but do not fail it: presenting to an
audience is not how decisions are argued. ``.key`` files that look like TLS/SSH keys are
ignored. Exported PDFs are out of scope. No such folder at all: not applicable.
"""

from __future__ import annotations

from linter.checks.base import CheckContext
from linter.checks.rule import Placement, RuleCheck
from linter.detectors import docs
from linter.detectors.docs import in_design_dir
from linter.results import Evidence, Finding, counted, failed, not_applicable, passed

MAX_LISTED = 20


def check(ctx: CheckContext) -> Finding:
    facts = ctx.facts(docs.detect_files)
    in_design = [d for d in facts.slide_decks if in_design_dir(d.path)]
    elsewhere = [d for d in facts.slide_decks if not in_design_dir(d.path)]
    noted = [Evidence(d.path, 0, f"{d.kind} outside design folders (not counted)") for d in elsewhere[:MAX_LISTED]]
    if in_design:
        listed = ", ".join(d.path for d in in_design[:MAX_LISTED])
        more = f" (first {MAX_LISTED} of {len(in_design)})" if len(in_design) > MAX_LISTED else ""
        evidence = [Evidence(d.path, 0, d.kind) for d in in_design[:MAX_LISTED]] + noted
        decks = counted(len(in_design), "slide deck")
        return failed(f"{decks} in design/docs folders{more}: {listed}; write the argument "
                      "as a narrative document instead", evidence)
    if not facts.design_dirs:
        return not_applicable("No docs, design, RFC, ADR or proposal folder in the repository")
    if not facts.prose_files:
        return not_applicable(f"The design/docs folders ({', '.join(facts.design_dirs[:3])}) hold no prose documents "
                              "and no slide decks", noted)
    not_design = "is not a design document" if len(elsewhere) == 1 else "are not design documents"
    tail = f"; {counted(len(elsewhere), 'deck')} elsewhere {not_design}" if elsewhere else ""
    documents = counted(len(facts.prose_files), "document")
    return passed(f"Design documents are prose: {documents} under design/docs folders "
                  f"and no slide decks there{tail}", [Evidence(p, 0, "prose document") for p in facts.prose_files[:5]] + noted)


RULE = RuleCheck(
    id="DOC001",
    placement=Placement.SECOND,
    early_facts=(docs.detect_files,),
)
