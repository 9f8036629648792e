"""SEC007 threat-model: the service has a threat model.

Counts a Markdown document named threat-model* (with text), a "Threat model"/STRIDE heading
with content in any of the service's documents (``linter.detectors.docs``), or a tool file
(``linter.detectors.docs.detect_files``): Microsoft Threat Modeling Tool ``*.tm7``, an OWASP
Threat Dragon JSON model (``summary`` plus ``detail.diagrams``), a pytm script that imports
pytm and builds ``TM(...)`` (read as text, never run), or a YAML/JSON/text file named
threat-model*.
"""

from __future__ import annotations

from linter.checks.attribution import scope_docs
from linter.checks.base import CheckContext
from linter.checks.rule import Placement, RuleCheck
from linter.detectors import docs
from linter.results import Evidence, Finding, failed, passed

LOOKED_FOR = ("files named threat-model*/threat_model*/threatmodel*, *.tm7, OWASP Threat Dragon JSON, pytm "
              "scripts, or a 'Threat model' / STRIDE heading with content in the service's Markdown")


def check(ctx: CheckContext) -> Finding:
    evidence: list[Evidence] = []
    for doc in scope_docs(ctx):
        if doc.is_threat_model_file and doc.has_text:
            evidence.append(Evidence(doc.path, doc.title_line, "threat model document"))
        evidence += [Evidence(doc.path, m.line, f"section: {m.text}") for m in doc.threat_sections]
    for artefact in ctx.owned(ctx.facts(docs.detect_files).threat_models):
        evidence.append(Evidence(artefact.path, artefact.line, artefact.kind))
    if evidence:
        first = sorted(set(evidence))[0]
        return passed(f"Threat model found for {ctx.scope.name}: {first.detail} at {first.location()}"
                      + (f" and {len(set(evidence)) - 1} more" if len(set(evidence)) > 1 else ""), evidence)
    return failed(f"No threat model found for {ctx.scope.name}: looked for {LOOKED_FOR}")


RULE = RuleCheck(
    id="SEC007",
    placement=Placement.SECOND,
    early_facts=(docs.detect, docs.detect_files,),
)
