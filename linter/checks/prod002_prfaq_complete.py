"""PROD002 prfaq-complete: the PR/FAQ has every press-release part and enough answers.

When a service has several documents, each press release is judged together with its FAQ
(in the same file, or FAQ-only files beside it, else anywhere in the service) and the most
complete combination is reported, so an unrelated draft cannot drag a good PR/FAQ down.
"""

from __future__ import annotations

from linter.checks.attribution import age_finding, docs_for_scope
from linter.checks.base import CheckContext
from linter.checks.rule import Placement, RuleCheck
from linter.detectors import prfaq
from linter.detectors.prfaq import PART_NAMES, Part, PrfaqDoc, Question
from linter.fast_dataclass import dataclass
from linter.results import Evidence, Finding, failed, not_applicable, passed

MAX_UNANSWERED_LISTED = 5


@dataclass(frozen=True)
class Assessment:
    """One press release (or none) judged with its FAQ documents."""

    press: PrfaqDoc | None
    faqs: tuple[PrfaqDoc, ...]
    found: dict[str, Part]
    empty: dict[str, Part]
    questions: tuple[Question, ...]

    @property
    def missing(self) -> list[str]:
        return [name for name in PART_NAMES if name not in self.found]

    @property
    def answered(self) -> int:
        return sum(q.answered for q in self.questions)

    @property
    def unanswered(self) -> list[Question]:
        return [q for q in self.questions if not q.answered]

    @property
    def paths(self) -> list[str]:
        docs = ([self.press] if self.press else []) + list(self.faqs)
        return sorted({d.path for d in docs})


def _directory(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else "."


def _assess(press: PrfaqDoc | None, faqs: list[PrfaqDoc]) -> Assessment:
    found: dict[str, Part] = {}
    empty: dict[str, Part] = {}
    for part in sorted(press.parts, key=lambda p: (p.line, p.name)) if press else ():
        if part.has_content:
            found.setdefault(part.name, part)
        else:
            empty.setdefault(part.name, part)
    docs = ([press] if press else []) + [d for d in faqs if d is not press]
    questions = sorted({q for d in docs for q in d.questions})
    return Assessment(press, tuple(d for d in docs if d.has_faq), found, empty, tuple(questions))


def _candidates(docs: list[PrfaqDoc]) -> list[Assessment]:
    press_docs = [d for d in docs if d.has_press_release]
    faq_only = [d for d in docs if d.has_faq and not d.has_press_release]
    if not press_docs:
        return [_assess(None, [d]) for d in faq_only]
    out = []
    for press in press_docs:
        beside = [d for d in faq_only if _directory(d.path) == _directory(press.path)]
        out.append(_assess(press, beside or faq_only))
    return out


def _best(candidates: list[Assessment], minimum: int) -> Assessment:
    return min(candidates, key=lambda a: (len(a.missing), -min(a.answered, minimum), -a.answered, a.paths))


def _missing_text(assessment: Assessment) -> str:
    parts = []
    for name in assessment.missing:
        hollow = assessment.empty.get(name)
        parts.append(f"{name} ('{hollow.label}' at {hollow.path}:{hollow.line} has no text)" if hollow else name)
    return ", ".join(parts)


def _evidence(assessment: Assessment) -> list[Evidence]:
    evidence = [Evidence(p.path, p.line, f"{name}: {p.label}") for name, p in assessment.found.items()]
    evidence += [Evidence(p.path, p.line, f"{name}: '{p.label}' has no text") for name, p in assessment.empty.items()
                 if name not in assessment.found]
    for doc in assessment.faqs:
        answered = len(doc.answered)
        evidence.append(Evidence(doc.path, doc.questions[0].line,
                                 f"FAQ: {answered} of {len(doc.questions)} questions answered"))
    evidence += [Evidence(q.path, q.line, f"unanswered question: {q.text}") for q in assessment.unanswered[:20]]
    return evidence


def check(ctx: CheckContext) -> Finding:
    age = age_finding(ctx)
    if isinstance(age, Finding):
        return age
    minimum = ctx.options.min_questions
    mine, _ = docs_for_scope(ctx)
    candidates = _candidates([d for d in mine if d.has_press_release or d.has_faq])
    if not candidates:
        return not_applicable(f"No PR/FAQ found for {ctx.scope.name}; see PROD001")
    best = _best(candidates, minimum)
    where = " + ".join(best.paths)
    problems: list[str] = []
    if best.press is None:
        problems.append("no press release (all of its parts are missing)")
    elif best.missing:
        problems.append(f"press release lacks {_missing_text(best)}")
    else:
        problems.append(f"all press-release parts found ({', '.join(PART_NAMES)})")
    if best.answered < minimum:
        problems.append(f"{best.answered} answered FAQ questions, {minimum} required")
    unanswered = best.unanswered
    if unanswered:
        listed = "; ".join(f"'{q.text}' ({q.path}:{q.line})" for q in unanswered[:MAX_UNANSWERED_LISTED])
        more = f" and {len(unanswered) - MAX_UNANSWERED_LISTED} more" if len(unanswered) > MAX_UNANSWERED_LISTED else ""
        problems.append(f"{len(unanswered)} unanswered: {listed}{more}")
    evidence = _evidence(best)
    if best.press is not None and not best.missing and best.answered >= minimum:
        tail = f"; {problems[-1]}" if unanswered else ""  # answered enough, still worth listing
        return passed(f"PR/FAQ {where} is complete: {', '.join(PART_NAMES)} found; {best.answered} answered "
                      f"FAQ questions (minimum {minimum}){tail}", evidence)
    return failed(f"PR/FAQ {where} is incomplete: {'; '.join(problems)}", evidence)


@dataclass(frozen=True)
class Options:
    """PROD002's options; their defaults and limits are in ``rules/PROD002.yaml``."""

    min_questions: int
    new_service_days: int


RULE = RuleCheck(
    id="PROD002",
    options=Options,
    placement=Placement.SECOND,
    early_facts=(prfaq.detect,),
    dates_services=True,
    reads_history=True,
)
