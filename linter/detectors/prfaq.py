"""Working Backwards PR/FAQ documents: where they are and what they contain.

A PR/FAQ is a Markdown press release (headline, problem, solution, customer quote, how to
get started) followed by customer and internal FAQs; teams also keep the press release
and the FAQ in two files. Candidates are Markdown files whose *name* says prfaq / pr-faq /
press-release / working-backwards / faq, or whose *title* (front-matter ``title:`` or first
heading) mentions PR/FAQ, press release, working backwards or FAQ. Each candidate is parsed
once (``linter.detectors.markdown``) into the parts and questions it really has; text in
HTML comments and code blocks never counts. Which service a document belongs to is the
check's business (it depends on the scopes), so this detector returns every candidate.
"""

from __future__ import annotations

import re

from linter.detectors.markdown import Block, MarkdownDoc, has_words, normalise_label, parse_markdown, parsed
from linter.fast_dataclass import dataclass
from linter.repo.path_search import any_of
from linter.repo.prefilters import Prefilter
from linter.repo.workspace import Workspace

#: At most this many Markdown files are parsed per run (candidates only).
MAX_CANDIDATES = 2_000
#: Cheap prefilter: a file that contains none of these (lower case) cannot be a candidate.
KEYWORDS = ("faq", "press release", "press-release", "working backwards", "working-backwards",
            "frequently asked")
_ANY_KEYWORD = any_of(KEYWORDS)
#: Markdown not named like a PR/FAQ is read further only when its text names a keyword.
KEYWORD_TEXT = Prefilter("prfaq-keyword", lambda text: _ANY_KEYWORD.search(text.lower()) is not None)

PART_NAMES = ("headline", "problem", "solution", "customer quote", "getting started")

_PRFAQ = re.compile(r"\bpr\s{0,3}[/&+_-]?\s{0,3}faqs?\b|\bworking[\s_-]{1,3}backwards?\b", re.IGNORECASE)
_PRESS = re.compile(r"\bpress[\s_-]{1,3}releases?\b", re.IGNORECASE)
_FAQ = re.compile(r"\bfaqs?\b|\bfrequently[\s-]{1,3}asked[\s-]{1,3}questions\b|\bq\s{0,2}&\s{0,2}a\b"
                  r"|\bquestions\s{1,3}(and|&)\s{1,3}answers\b", re.IGNORECASE)

_Q_PREFIX = re.compile(r"^\s{0,8}(?:q(?:uestion)?\s{0,3}\d{0,3}\s{0,3}[:.)]|q\s{0,3}[-–—])\s{0,8}", re.IGNORECASE)
_A_PREFIX = re.compile(r"^\s{0,8}a(?:nswer)?\s{0,3}\d{0,3}\s{0,3}[:.)]\s{0,8}", re.IGNORECASE)
_LABEL = re.compile(r"^(?:\[[ xX]\]\s{0,4})?([A-Za-z][A-Za-z0-9 '’&/()-]{0,40}?)\s{0,4}[:：]\s{0,8}(.*)$")
#: Quoted speech, which may wrap onto the paragraph's next lines (a paragraph holds no blank
#: line); the class stops at the next quote mark, so each quote is scanned once.
_QUOTED = re.compile(r"[\"“”][^\"“”]{3,1000}[\"“”]")
_ATTRIBUTION = re.compile(r"\b(said|says|explains|explained|added|adds|notes|noted|according to)\b"
                          r"|[\"”]\s{0,3}(?:—|–|--|-)\s{0,3}\w|^\s{0,3}(?:—|–|--)\s{0,3}\w", re.IGNORECASE | re.MULTILINE)
_ALERT = re.compile(r"^\s*(\[!\w+\]|(note|warning|todo|draft|tip|important)\b)", re.IGNORECASE)

_PART_LABELS: dict[str, re.Pattern[str]] = {
    "headline": re.compile(r"^(press release )?(headline|heading|title)( \w+)?$"),
    "problem": re.compile(r"\b(problems?|pains?|pain points?)\b"),
    "solution": re.compile(r"\b(solutions?|how it works)\b"),
    "customer quote": re.compile(r"\b(quotes?|testimonials?|testimony)\b"),
    "getting started": re.compile(r"\b(get(ting)? started|call to action|availability"
                                  r"|how to (start|use|try|buy|sign up|access|join))\b"),
}
_HEADLINE_FILLER = re.compile(r"\bpr\s{0,3}[/&+_-]?\s{0,3}faqs?\b|\bworking[\s_-]{1,3}backwards?\b"
                              r"|\bpress[\s_-]{1,3}releases?\b|\bfaqs?\b|\bdraft\b|\btemplate\b", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Part:
    """A press-release part as written: where, under which label, and whether it has text."""

    name: str
    path: str
    line: int
    label: str
    has_content: bool


@dataclass(frozen=True, order=True)
class Question:
    """An FAQ question and whether a non-empty answer follows it."""

    path: str
    line: int
    text: str
    answered: bool


@dataclass(frozen=True)
class PrfaqDoc:
    """One candidate document and what it really holds."""

    path: str
    title: str
    title_line: int
    role: str  # prfaq | press_release | faq: what its name/title claims
    matched_by: str  # "file name", "title" or "file name and title"
    has_press_release: bool
    has_faq: bool
    parts: tuple[Part, ...]
    questions: tuple[Question, ...]

    def found(self, part: str) -> Part | None:
        """The first occurrence of ``part`` that has content."""
        return next((p for p in self.parts if p.name == part and p.has_content), None)

    @property
    def answered(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.answered)

    @property
    def unanswered(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if not q.answered)


@dataclass(frozen=True)
class PrfaqFacts:
    docs: tuple[PrfaqDoc, ...]


# ---------------------------------------------------------------------- classification
def role_from_name(path: str) -> str:
    """``docs/Checkout-PR_FAQ.md`` -> ``prfaq``; '' when the name says nothing."""
    base = path.rsplit("/", 1)[-1].lower()
    stem = base.rsplit(".", 1)[0] if "." in base else base
    compact = re.sub(r"[^a-z0-9]", "", stem)
    if "prfaq" in compact or "workingbackward" in compact:
        return "prfaq"
    has_press, has_faq = "pressrelease" in compact, "faq" in compact
    if has_press and has_faq:
        return "prfaq"
    return "press_release" if has_press else "faq" if has_faq else ""


def role_from_title(title: str) -> str:
    text = title[:300]
    if _PRFAQ.search(text):
        return "prfaq"
    has_press, has_faq = bool(_PRESS.search(text)), bool(_FAQ.search(text))
    if has_press and has_faq:
        return "prfaq"
    return "press_release" if has_press else "faq" if has_faq else ""


def _combine(first: str, second: str) -> str:
    roles = {first, second} - {""}
    if "prfaq" in roles or roles == {"press_release", "faq"}:
        return "prfaq"
    return roles.pop() if roles else ""


def ends_with_question(text: str) -> bool:
    return text.strip()[-12:].rstrip(" *_`\"'”’)]").endswith(("?", "？"))


def is_faq_heading(text: str) -> bool:
    return bool(_FAQ.search(text[:200])) and not _PRFAQ.search(text[:200]) and not ends_with_question(text)


def is_press_release_heading(text: str) -> bool:
    return bool(_PRESS.search(text[:200])) and not _FAQ.search(text[:200]) and not ends_with_question(text)


# ---------------------------------------------------------------------- regions
def _regions(doc: MarkdownDoc, role: str) -> tuple[set[int], set[int]]:
    """Indices of FAQ blocks and of press-release blocks.

    A section under an FAQ heading is FAQ; in a file that is only an FAQ (by name or title)
    everything is FAQ except sections under a "Press release" heading.
    """
    blocks = doc.blocks
    faq: set[int] = set()
    press: set[int] = set()
    for i, block in enumerate(blocks):
        if block.kind != "heading":
            continue
        if is_faq_heading(block.text):
            faq.update(range(i + 1, i + 1 + len(doc.section(i))))
        elif is_press_release_heading(block.text):
            press.update(range(i, i + 1 + len(doc.section(i))))
    everything = set(range(len(blocks)))
    if role == "faq":
        press -= faq
        return everything - press, press
    return faq, everything - faq


# ---------------------------------------------------------------------- questions
def _question_start(block: Block) -> tuple[str, str] | None:
    """(question text, inline answer) when ``block`` opens a question, else ``None``."""
    if block.kind == "heading":
        if ends_with_question(block.text) or _Q_PREFIX.match(block.text):
            return _Q_PREFIX.sub("", block.text, count=1).strip(), ""
        return None
    if block.kind != "paragraph":
        return None
    if block.lead:
        lead = block.lead.strip()
        bare_prefix = _Q_PREFIX.match(lead)
        if bare_prefix and not lead[bare_prefix.end():].strip():  # **Q:** text
            question, _, answer = block.after_lead.partition("\n")
            return question.strip(), _strip_answer(answer)
        if ends_with_question(lead) or bare_prefix:
            return _Q_PREFIX.sub("", lead, count=1).strip(), _strip_answer(block.after_lead)
    first = block.first_line
    if _Q_PREFIX.match(first):
        return _split_q_and_a(block.text)
    if block.items and block.item_start and ends_with_question(first):
        return first, _strip_answer(block.rest)
    return None


def _split_q_and_a(text: str) -> tuple[str, str]:
    """``Q: ...\\n...\\nA: ...`` -> the question lines and the answer lines."""
    lines = text.split("\n")
    for i, line in enumerate(lines[1:], start=1):
        if _A_PREFIX.match(line):
            question = " ".join(part.strip() for part in lines[:i])
            return _Q_PREFIX.sub("", question, count=1).strip(), _strip_answer("\n".join(lines[i:]))
    return _Q_PREFIX.sub("", lines[0], count=1).strip(), _strip_answer("\n".join(lines[1:]))


def _strip_answer(text: str) -> str:
    return _A_PREFIX.sub("", text.strip(), count=1).strip()


def _find_questions(doc: MarkdownDoc, faq: set[int]) -> list[Question]:
    blocks = doc.blocks
    starts: list[tuple[int, str, str]] = []
    for i in sorted(faq):
        found = _question_start(blocks[i])
        if found is not None and found[0]:
            starts.append((i, found[0], found[1]))
    start_set = {i for i, _, _ in starts}
    questions: list[Question] = []
    for i, text, inline_answer in starts:
        answered = has_words(inline_answer) or _answer_follows(blocks, i, start_set, faq)
        questions.append(Question(doc.path, blocks[i].line, text[:200], answered))
    return questions


def _answer_follows(blocks: tuple[Block, ...], i: int, starts: set[int], faq: set[int]) -> bool:
    """True when a block with words follows question ``i`` before its answer region ends."""
    question = blocks[i]
    item = question.items[-1] if question.items and question.kind != "heading" else None
    for j in range(i + 1, len(blocks)):
        block = blocks[j]
        if j in starts or j not in faq:
            return False
        if item is not None and item not in block.items:
            return False
        if block.kind == "heading":
            if question.kind != "heading" or block.level <= question.level:
                return False
            continue
        if has_words(_strip_answer(block.text)):
            return True
    return False


# ---------------------------------------------------------------------- parts
def _labelled_units(doc: MarkdownDoc, region: set[int]) -> list[tuple[str, int, str, bool]]:
    """(label, line, content, has_content) for headings, bold lead-ins and ``Label:`` lines."""
    blocks = doc.blocks
    units: list[tuple[str, int, str, bool]] = []
    for i in sorted(region):
        block = blocks[i]
        if block.kind == "heading":
            section = doc.section(i)
            body = "\n".join(b.text for b in section if b.kind != "heading" and has_words(b.text))
            nested = any(b.kind == "heading" and has_words(b.text) for b in section)
            units.append((block.text, block.line, body, bool(body) or nested))
            continue
        if block.kind != "paragraph":
            continue
        label, content = "", ""
        if block.lead:
            label, content = block.lead, block.after_lead
        else:
            match = _LABEL.match(block.first_line[:200])
            if match and len(match.group(1).split()) <= 5:
                label, content = match.group(1), "\n".join(x for x in (match.group(2), block.rest) if x)
        if not label:
            continue
        if not has_words(content) and i + 1 < len(blocks) and i + 1 in region:
            following = blocks[i + 1]
            if following.kind != "heading" and not following.lead and not _LABEL.match(following.first_line[:200]):
                content = following.text
        units.append((label.rstrip(" :："), block.line, content, has_words(content)))
    return units


def _is_quote_text(text: str) -> bool:
    return bool(_QUOTED.search(text[:5000]))


def _is_attributed_quote(text: str) -> bool:
    sample = text[:5000]
    return bool(_QUOTED.search(sample)) and bool(_ATTRIBUTION.search(sample))


def _headline_from_title(doc: MarkdownDoc) -> Part | None:
    """The document title is a headline when, without the PR/FAQ words, it still says something."""
    if not doc.title or ends_with_question(doc.title):
        return None
    rest = _HEADLINE_FILLER.sub(" ", doc.title[:300])
    words = [w for w in re.split(r"[\s:/|—–-]+", rest) if any(ch.isalnum() for ch in w)]
    if len(words) < 3 or not has_words(rest):
        return None
    return Part("headline", doc.path, doc.title_line, doc.title[:120], True)


def _find_parts(doc: MarkdownDoc, region: set[int]) -> list[Part]:
    parts: list[Part] = []
    for label, line, content, has_content in _labelled_units(doc, region):
        normal = normalise_label(label)
        if not normal or ends_with_question(label):
            continue
        for name, pattern in _PART_LABELS.items():
            if not pattern.search(normal):
                continue
            ok = has_content and (name != "customer quote" or _is_quote_text(content))
            parts.append(Part(name, doc.path, line, label[:80], ok))
    title_headline = _headline_from_title(doc)
    if title_headline is not None:
        parts.append(title_headline)
    parts.extend(_headline_under_press_release(doc, region))
    parts.extend(_free_quotes(doc, region))
    return parts


def _headline_under_press_release(doc: MarkdownDoc, region: set[int]) -> list[Part]:
    """``# Press release`` then ``## Acme launches one-click reorders``: the first sub-heading,
    or the heading right after it whatever its level (people use levels loosely: a headline
    written one level above the ``## Press release`` that introduces it)."""
    blocks = doc.blocks
    for i in sorted(region):
        block = blocks[i]
        if block.kind == "heading" and is_press_release_heading(block.text):
            following = blocks[i + 1] if i + 1 < len(blocks) else None
            candidates = [following] if following is not None and following.kind == "heading" else \
                [b for b in doc.section(i) if b.kind == "heading"][:1]
            for sub in candidates:
                label = normalise_label(sub.text)
                known = any(p.search(label) for p in _PART_LABELS.values()) or label in ("summary", "subheading")
                if not known and not ends_with_question(sub.text) and len(sub.text.split()) >= 3 and has_words(sub.text):
                    return [Part("headline", doc.path, sub.line, sub.text[:120], True)]
    return []


def _free_quotes(doc: MarkdownDoc, region: set[int]) -> list[Part]:
    """Blockquotes and quoted, attributed speech anywhere in the press release."""
    found: list[Part] = []
    for i in sorted(region):
        block = doc.blocks[i]
        if block.kind != "paragraph" or not has_words(block.text):
            continue
        if block.quote_depth > 0 and not _ALERT.match(block.text):
            found.append(Part("customer quote", doc.path, block.line, "blockquote", True))
        elif _is_attributed_quote(block.text):
            found.append(Part("customer quote", doc.path, block.line, "quoted speech", True))
    return found[:20]


# ---------------------------------------------------------------------- detector
def analyse(path: str, text: str, doc: MarkdownDoc | None = None) -> PrfaqDoc | None:
    """Parse ``text`` (unless ``doc`` is its parse) and return its PR/FAQ facts, or ``None``."""
    doc = doc if doc is not None else parse_markdown(path, text)
    name_role = role_from_name(path)
    title_role = _combine(role_from_title(doc.front_matter_title), role_from_title(doc.title))
    role = _combine(name_role, title_role)
    if not role:
        return None
    matched_by = " and ".join(x for x, r in (("file name", name_role), ("title", title_role)) if r)
    faq, press = _regions(doc, role)
    questions = _find_questions(doc, faq)
    parts = sorted(set(_find_parts(doc, press)))
    with_content = {p.name for p in parts if p.has_content}
    prose = any(doc.blocks[i].kind != "heading" and has_words(doc.blocks[i].text) for i in press)
    claims_press = role in ("prfaq", "press_release") or any(
        b.kind == "heading" and is_press_release_heading(b.text) for b in doc.blocks)
    has_press = (claims_press and prose) or len(with_content - {"headline"}) >= 2
    return PrfaqDoc(
        path=path, title=doc.title[:200], title_line=doc.title_line, role=role, matched_by=matched_by,
        has_press_release=has_press, has_faq=bool(questions), parts=tuple(parts),
        questions=tuple(sorted(questions)),
    )


def detect(ws: Workspace) -> PrfaqFacts:
    docs: list[PrfaqDoc] = []
    candidates = 0
    for path in ws.markdown_files:
        if candidates >= MAX_CANDIDATES:
            ws.note(path, f"more than {MAX_CANDIDATES} possible PR/FAQ documents; the rest were not read")
            break
        by_name = bool(role_from_name(path))
        text = ws.read_text(path) if by_name else ws.text_passing(path, KEYWORD_TEXT)
        if text is None:
            continue
        candidates += 1
        try:
            found = analyse(path, text, parsed(ws, path, text))
        except (RecursionError, ValueError) as exc:  # defensive: never a traceback
            ws.note(path, f"Markdown could not be analysed: {exc.__class__.__name__}")
            continue
        if found is not None:
            docs.append(found)
    return PrfaqFacts(tuple(sorted(docs, key=lambda d: d.path)))
