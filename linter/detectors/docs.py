"""Engineering documents in Markdown: what each one is and which statements it really makes.

Several rules judge documents rather than configuration: runbooks that must cover the way
back after a failover (REL002, OPS001), threat models (SEC007), data classification
sections (SEC008), customer journeys and user manuals with a glossary (PROD003), scope
statements in PR/FAQs and design docs (PROD004), design narratives and their length
(DOC002) and dated game-day records (REL001). They all need the same thing: each candidate
Markdown file parsed once (``linter.detectors.markdown``) and classified. Only headings and
visible paragraph text count: code blocks, raw HTML and comments are dropped by the parser,
so a commented-out "Failback" heading or a ``restore`` command in a shell block is never
evidence.

Candidates are chosen cheaply before parsing: by path (runbook/playbook/ops folders, design
and ADR folders, game-day folders, telling file names) or, for any other Markdown file, by a
lower-case substring from ``KEYWORDS``. Which service a document belongs to is the checks'
business; this detector returns every document it classified.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Iterable, Sequence

from linter.detectors.markdown import (
    MarkdownDoc, has_words, normalise_label, parse_markdown, parsed, split_front_matter,
)
from linter.fast_dataclass import dataclass
from linter.repo import path_search
from linter.repo.path_search import any_of
from linter.repo.prefilters import Prefilter
from linter.repo.workspace import Workspace

#: At most this many Markdown files are parsed per run.
MAX_DOCS = 3_000
#: Statements of one kind kept per document (the first ones, in reading order).
MAX_MENTIONS = 20
#: Cheap content prefilter for Markdown files whose path says nothing.
KEYWORDS = (
    "failover", "fail over", "fail-over", "failback", "fail back", "runbook", "playbook", "on-call",
    "oncall", "threat", "stride", "classification", "pii", "personal data", "personally identifiable",
    "data inventory", "sensitive data", "data we ", "journey", "customer experience", "interaction",
    "glossary", "out of scope", "out-of-scope", "non-goal", "non goal", "nongoal", "future work",
    "not in v1", "later version", "future version", "will not build", "won't build", "game day",
    "gameday", "game-day", "chaos", "drill", "user guide", "user manual", "handbook", "faq", "press release",
    "working backwards",
)
_ANY_KEYWORD = any_of(KEYWORDS)
#: Markdown whose path says nothing is read further only when its text names a keyword.
KEYWORD_TEXT = Prefilter("docs-keyword", lambda text: _ANY_KEYWORD.search(text[:200_000].lower()) is not None)

# ------------------------------------------------------------------ path vocabulary
RUNBOOK_DIRS = frozenset({"runbook", "runbooks", "playbook", "playbooks", "ops", "operations",
                          "on-call", "oncall", "on_call", "incident-response", "incident_response",
                          "sre"})
_RUNBOOK_NAME = re.compile(r"^(runbook|playbook|disaster[-_ ]?recovery|dr[-_]plan|dr[-_]runbook"
                           r"|on[-_]?call|incident[-_]?response|failover)", re.IGNORECASE)
_ONCALL_NAME = re.compile(r"^(on[-_]?call|incident[-_]?response)", re.IGNORECASE)
DESIGN_DIRS = ("adr", "adrs", "decisions", "rfcs", "rfc", "design", "designs", "keps", "proposals")
_NARRATIVE_PATH = re.compile(
    r"(?:^|/)(?:docs?/(?:architecture/)?(?:adrs?|decisions|rfcs?|design|designs|proposals)"
    r"|rfcs|design|designs|keps|teps|proposals)/"
    r"|(?:^|/)text/\d{4}-[^/]*\.md$",
    re.IGNORECASE)
_DESIGN_NAME = re.compile(r"^(design|rfc|technical[-_ ]design|tech[-_ ]spec|architecture|proposal|spec)\b",
                          re.IGNORECASE)
_GAMEDAY_PATH = re.compile(r"game[-_ ]?days?|chaos|drills?\b|dr[-_]tests?|failover[-_]tests?", re.IGNORECASE)
_THREAT_NAME = re.compile(r"threat[-_ ]?model", re.IGNORECASE)
_GLOSSARY_NAME = re.compile(r"^glossary\b", re.IGNORECASE)
_MANUAL_NAME = re.compile(r"user[-_ ]?(guide|manual|docs?|handbook)|^manual\b|^handbook\b|^guide\b|-guide\b",
                          re.IGNORECASE)
_MANUAL_DIRS = frozenset({"docs", "doc", "documentation", "guide", "guides", "user-guide", "user_guide",
                          "userguide", "manual", "manuals", "handbook", "help", "user-docs", "website"})
_JOURNEY = re.compile(r"\b(customer|user|client)s?[-_ ]{1,3}(journey|experience|interactions?|flows?)"
                      r"|\bhow (our )?(customers|users) (use|interact)|\binteractions?\b", re.IGNORECASE)
_JOURNEY_HEADING = re.compile(r"\b(customer|user|client)s?[-_ ]{1,3}(journey|experience|interactions?)"
                              r"|\bhow (our )?(customers|users) (use|interact)", re.IGNORECASE)

# ------------------------------------------------------------------ statement vocabulary
_FAILOVER = re.compile(r"\bfail(?:ing|ed)?[- ]?overs?\b|\bswitch[- ]?over\b|\bpromot(?:e|ing|ion)\b[^.\n]{0,40}"
                       r"\b(replica|standby|secondary|follower)|\bevacuat(?:e|ing|ion)\b", re.IGNORECASE)
_FAILBACK = re.compile(r"\bfail(?:ing|ed)?[- ]?backs?\b|\bre-?sync(?:hroni[sz](?:e|ing|ation))?\b"
                       r"|\bresynchroni[sz](?:e|ing|ation)\b|\brestor(?:e|es|ing|ation)\b"
                       r"|\breturn(?:ing)? (the )?traffic\b|\bswitch(?:ing)?[- ]?back\b"
                       r"|\b(back|return|recover(?:y|ing)?|revert(?:ing)?)\b[^.\n]{0,20}\bto (the )?(original )?primary\b",
                       re.IGNORECASE)
_THREAT_HEADING = re.compile(r"\bthreat ?model(l?ing|s)?\b|\bstride\b|\bthreat (analysis|assessment)\b",
                             re.IGNORECASE)
_CLASSIFICATION = re.compile(
    r"\bdata[- ]classification\b|\bclassification of (customer |personal )?data\b|\bdata inventory\b"
    r"|\bpersonal(ly identifiable)? (data|information)\b|\bpii\b|\bdata (we|the service) (store|stores|hold|holds|keep|keeps|collect|collects)\b"
    r"|\bdata sensitivity\b|\bsensitive data\b|\bcustomer data\b|\bwhat data (we|it) (store|hold|keep)",
    re.IGNORECASE)
_GLOSSARY_HEADING = re.compile(r"^\W{0,3}(glossary|terminology|terms and definitions|definitions of terms)\b",
                               re.IGNORECASE)
_SCOPE = re.compile(
    r"\bout[- ]of[- ]scope\b|\bnon[- ]?goals?\b|\bnot in (v1|version 1|the first (version|release)|scope|mvp)\b"
    r"|\bfuture (work|versions?|releases?|iterations?)\b|\blater (versions?|releases?|phases?)\b"
    r"|\bwhat we (will not|won'?t|are not going to) (build|do|ship)\b|\bnot (building|doing)\b"
    r"|\bexplicitly excluded\b|\bdeferred\b",
    re.IGNORECASE)
_SCOPE_QUESTION = re.compile(r"\bout[- ]of[- ]scope\b|\bnot (be )?(in|included|supported|build|building|ship)"
                             r"|\bwon'?t\b|\bwill not\b|\bleft out\b|\bnon[- ]?goals?\b|\bexcluded\b"
                             r"|\bfirst version\b|\bv1\b|\blater\b", re.IGNORECASE)
_EXCLUDED_SECTION = re.compile(r"^\W{0,3}(appendix|appendices|faqs?|frequently asked questions|references"
                               r"|bibliography)\b", re.IGNORECASE)
_ISO_DATE = re.compile(r"(?<![0-9])(20\d\d|19\d\d)[-_/.](0[1-9]|1[0-2])[-_/.](0[1-9]|[12]\d|3[01])(?![0-9])")
_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")


@dataclass(frozen=True, order=True)
class Mention:
    """A heading or paragraph that makes a statement: where, and its text (clipped)."""

    line: int
    text: str
    kind: str = "paragraph"  # heading | paragraph | label | question


@dataclass(frozen=True, order=True)
class DatedRecord:
    """A date found in a game-day record and where it came from."""

    day: date
    line: int
    source: str  # "file name", "front matter", "heading", "text"


@dataclass(frozen=True)
class DocInfo:
    """One classified Markdown document and the statements the rules look for."""

    path: str
    title: str
    title_line: int
    has_text: bool
    is_runbook: bool
    is_oncall: bool
    is_design: bool
    is_narrative: bool
    is_gameday: bool
    is_manual: bool
    is_threat_model_file: bool
    is_glossary_file: bool
    journey: Mention | None
    failover: tuple[Mention, ...]
    failback: tuple[Mention, ...]
    threat_sections: tuple[Mention, ...]
    classification_sections: tuple[Mention, ...]
    glossary_sections: tuple[Mention, ...]
    scope_statements: tuple[Mention, ...]
    prose_words: int
    dates: tuple[DatedRecord, ...]


@dataclass(frozen=True)
class DocsFacts:
    docs: tuple[DocInfo, ...]

    def by_path(self) -> dict[str, DocInfo]:
        return {d.path: d for d in self.docs}


# ------------------------------------------------------------------ path helpers
def _segments(path: str) -> list[str]:
    return path.lower().split("/")


def _stem(path: str) -> str:
    base = path.rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[0] if "." in base else base


def is_runbook_path(path: str) -> bool:
    segments = _segments(path)
    if any(s in RUNBOOK_DIRS for s in segments[:-1]):
        return True
    if len(segments) >= 2 and segments[0] in ("docs", "doc") and segments[1].startswith("ops"):
        return True
    return bool(_RUNBOOK_NAME.match(_stem(path)))


def is_oncall_path(path: str) -> bool:
    segments = _segments(path)
    if any(s in ("on-call", "oncall", "on_call", "incident-response", "incident_response") for s in segments[:-1]):
        return True
    return bool(_ONCALL_NAME.match(_stem(path)))


def is_narrative_path(path: str, adr_dirs: tuple[str, ...] = ()) -> bool:
    """Design narratives: ADR/RFC/design/proposal/KEP/TEP folders, ``text/NNNN-*.md``, ``.adr-dir`` folders."""
    if _NARRATIVE_PATH.search(path) or path.lower().startswith("doc/adr/"):
        return True
    return any(path.startswith(d.rstrip("/") + "/") for d in adr_dirs if d)


def is_gameday_path(path: str) -> bool:
    return bool(_GAMEDAY_PATH.search(path[:500]))


def is_manual_path(path: str) -> bool:
    return bool(_MANUAL_NAME.search(_stem(path)))


def in_manual_dir(path: str) -> bool:
    return any(s in _MANUAL_DIRS for s in _segments(path)[:-1])


def _path_candidate(path: str, adr_dirs: tuple[str, ...]) -> bool:
    """Does the path alone make a Markdown file worth parsing? (``_PathCandidates`` answers
    the same question faster, a test holds them equal.)"""
    stem = _stem(path)
    return (is_runbook_path(path) or is_narrative_path(path, adr_dirs) or is_gameday_path(path)
            or bool(_THREAT_NAME.search(stem)) or bool(_GLOSSARY_NAME.match(stem)) or is_manual_path(path)
            or bool(_DESIGN_NAME.match(stem)) or bool(_JOURNEY.search(stem)))


#: ``_path_candidate``'s tests on the file's stem, as one pattern (anchored ones with ``^``)
_NAME_CANDIDATE = re.compile("|".join(f"(?:{p})" for p in (
    "^(?:" + _RUNBOOK_NAME.pattern + ")", _THREAT_NAME.pattern, "^(?:" + _GLOSSARY_NAME.pattern + ")",
    _MANUAL_NAME.pattern, "^(?:" + _DESIGN_NAME.pattern + ")", _JOURNEY.pattern)), re.IGNORECASE)


class _PathCandidates:
    """``_path_candidate`` split into what depends on the folder, answered once per folder,
    and what depends on the file name: a 200,000-file monorepo has tens of thousands of
    Markdown files in a few thousand folders.

    Every folder test (runbook and design folders, ADR folders, game-day words, which never
    span a ``/``) gives the same answer on ``folder + "/"`` as on the full path; the
    name tests run on the name. Paths over 500 characters (the game-day test reads only that
    much) and files at the root take the direct route.
    """

    def __init__(self, adr_dirs: tuple[str, ...]) -> None:
        self.adr_dirs = adr_dirs
        self.folders: dict[str, bool] = {}

    def __call__(self, path: str) -> bool:
        folder, _, name = path.rpartition("/")
        if not folder or len(path) > 500:
            return _path_candidate(path, self.adr_dirs)
        in_folder = self.folders.get(folder)
        if in_folder is None:
            in_folder = self.folders[folder] = self._folder(folder)
        return in_folder or self._name(folder, name)

    def _folder(self, folder: str) -> bool:
        segments = folder.lower().split("/")
        if any(s in RUNBOOK_DIRS for s in segments):
            return True
        if len(segments) >= 2 and segments[0] in ("docs", "doc") and segments[1].startswith("ops"):
            return True
        return is_narrative_path(folder + "/", self.adr_dirs) or is_gameday_path(folder)

    def _name(self, folder: str, name: str) -> bool:
        lowered = folder.lower()
        if lowered in ("docs", "doc") and name.lower().startswith("ops"):  # docs/ops*.md
            return True
        if (lowered == "text" or lowered.endswith("/text")) and _NARRATIVE_PATH.search(f"{folder}/{name}"):
            return True  # RFC repositories: text/0001-name.md
        stem = name.rsplit(".", 1)[0] if "." in name else name
        return bool(_GAMEDAY_PATH.search(name) or _NAME_CANDIDATE.search(stem))


#: Lower-case words at least one of which every path ``_path_candidate`` accepts contains,
#: whichever of its tests accepts it: runbook and on-call folders and names, ``docs/ops``,
#: design-narrative folders (``text/`` for RFC repositories), game-day words, threat-model,
#: glossary, manual, design-document and customer-journey names. (``tests`` holds a
#: property test: the prefilter never drops a path the full test accepts.)
_PATH_WORDS = (
    "runbook", "playbook", "ops", "operation", "on-call", "oncall", "on_call", "incident", "sre",
    "adr", "decision", "rfc", "design", "proposal", "keps", "teps", "text/",
    "game", "chaos", "drill", "dr-test", "dr_test", "failover", "disaster", "dr-plan", "dr_plan",
    "threat", "glossary", "guide", "manual", "handbook", "user", "architecture", "spec",
    "customer", "client", "interaction",
)
_PATH_WORD = any_of(_PATH_WORDS)


def path_candidates(paths: Sequence[str], adr_dirs: tuple[str, ...]) -> set[int]:
    """Indexes of the ``paths`` whose path alone makes them worth parsing (``_path_candidate``).

    Most Markdown in a monorepo is neither in a runbook/design folder nor named like an
    engineering document, so one pass over the joined paths finds the few that mention one
    of ``_PATH_WORDS`` (or an ``.adr-dir`` folder) and only those are judged in full.
    """
    words = _PATH_WORD
    if any(adr_dirs):
        words = any_of((*_PATH_WORDS, *(d.rstrip("/").lower() for d in adr_dirs if d.rstrip("/"))))
    mentioned = path_search.matching_indexes(paths, words)
    by_path = _PathCandidates(adr_dirs)
    if mentioned is None:  # not ASCII: every path judged in full
        return {i for i, path in enumerate(paths) if by_path(path)}
    return {i for i in mentioned if by_path(paths[i])}


# ------------------------------------------------------------------ statements
def _clip(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _section_has_words(doc: MarkdownDoc, index: int) -> bool:
    return any(has_words(b.text) for b in doc.section(index) if b.kind != "heading") or any(
        b.kind == "heading" and has_words(b.text) for b in doc.section(index))


def _mentions(doc: MarkdownDoc, pattern: re.Pattern[str]) -> tuple[Mention, ...]:
    """Headings and paragraphs whose visible text matches ``pattern``."""
    found: list[Mention] = []
    for block in doc.blocks:
        if block.kind not in ("heading", "paragraph"):
            continue
        match = pattern.search(block.text[:5000])
        if match:
            found.append(Mention(block.line, _clip(block.text), block.kind))
            if len(found) >= MAX_MENTIONS:
                break
    return tuple(found)


def _heading_sections(doc: MarkdownDoc, pattern: re.Pattern[str], anchored: bool = False) -> tuple[Mention, ...]:
    """Headings matching ``pattern`` that have something written under them."""
    found: list[Mention] = []
    for index, block in enumerate(doc.blocks):
        if block.kind != "heading":
            continue
        text = block.text[:300]
        hit = pattern.match(text) if anchored else pattern.search(text)
        if hit and _section_has_words(doc, index):
            found.append(Mention(block.line, _clip(block.text), "heading"))
            if len(found) >= MAX_MENTIONS:
                break
    return tuple(found)


def _labelled(doc: MarkdownDoc, pattern: re.Pattern[str]) -> list[Mention]:
    """``**Out of scope:** text`` or ``Non-goals: text`` paragraphs that say something."""
    found: list[Mention] = []
    for index, block in enumerate(doc.blocks):
        if block.kind != "paragraph":
            continue
        label, content = block.lead.rstrip(" :："), block.after_lead
        if not label and ":" in block.first_line[:80]:
            label, _, content = block.first_line.partition(":")
            content = "\n".join(x for x in (content, block.rest) if x.strip())
        if not label or len(label.split()) > 8 or not pattern.search(normalise_label(label)):
            continue
        if not has_words(content):
            following = doc.blocks[index + 1] if index + 1 < len(doc.blocks) else None
            if following is None or following.kind == "heading" or not has_words(following.text):
                continue
        found.append(Mention(block.line, _clip(label), "label"))
    return found


def _is_question(text: str) -> bool:
    return text.strip().rstrip("*_ ").endswith("?")


def _scope_questions(doc: MarkdownDoc) -> list[Mention]:
    """FAQ questions about what is left out, answered by the text that follows."""
    found: list[Mention] = []
    blocks = doc.blocks
    for index, block in enumerate(blocks):
        question = ""
        answer = ""
        if block.kind == "heading" and _is_question(block.text):
            question = block.text
            answer = " ".join(b.text for b in doc.section(index) if b.kind != "heading")
        elif block.kind == "paragraph":
            if block.lead and _is_question(block.lead):
                question, answer = block.lead, block.after_lead
                nxt = blocks[index + 1] if index + 1 < len(blocks) else None
                if not has_words(answer) and nxt is not None and nxt.kind == "paragraph" \
                        and not _is_question(nxt.lead or nxt.first_line):
                    answer = nxt.text
            elif _is_question(block.first_line) and block.first_line[:2].lower() in ("q:", "q."):
                question, answer = block.first_line, block.rest
            elif _is_question(block.text) and index + 1 < len(blocks) and blocks[index + 1].kind == "paragraph":
                question, answer = block.text, blocks[index + 1].text
        if not question or not _SCOPE_QUESTION.search(question[:300]):
            continue
        if not _SCOPE.search(question[:300]) and not re.search(r"\b(scope|won'?t|will not|not (be )?(in|included|build))",
                                                                question[:300], re.IGNORECASE):
            continue
        answer = re.sub(r"^\s*a(nswer)?\s*[:.]\s*", "", answer, flags=re.IGNORECASE)
        if has_words(answer):
            found.append(Mention(block.line, _clip(question), "question"))
    return found


def _scope_statements(doc: MarkdownDoc) -> tuple[Mention, ...]:
    found = list(_heading_sections(doc, _SCOPE)) + _labelled(doc, _SCOPE) + _scope_questions(doc)
    return tuple(sorted(set(found))[:MAX_MENTIONS])


def prose_words(doc: MarkdownDoc) -> int:
    """Words of paragraphs outside Appendix/FAQ/References sections; no code, tables or front matter."""
    excluded_level = 0
    words = 0
    for block in doc.blocks:
        if block.kind == "heading":
            if excluded_level and block.level <= excluded_level:
                excluded_level = 0
            if not excluded_level and _EXCLUDED_SECTION.match(block.text[:200]):
                excluded_level = block.level
            continue
        if excluded_level or block.kind != "paragraph":
            continue
        words += len(_WORD.findall(block.text))
    return words


# ------------------------------------------------------------------ dates
def parse_iso_date(text: str) -> date | None:
    match = _ISO_DATE.search(text[:400])
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _front_matter_date(text: str) -> date | None:
    front, _ = split_front_matter(text)
    for key in ("date", "held", "held_on", "when", "exercise_date", "day"):
        value = front.get(key)
        if isinstance(value, str):
            found = parse_iso_date(value)
            if found:
                return found
    return None


def _record_dates(path: str, text: str, doc: MarkdownDoc) -> tuple[DatedRecord, ...]:
    found: list[DatedRecord] = []
    from_name = parse_iso_date(path.rsplit("/", 1)[-1])
    if from_name:
        found.append(DatedRecord(from_name, 0, "file name"))
    from_front = _front_matter_date(text)
    if from_front:
        found.append(DatedRecord(from_front, 1, "front matter"))
    for block in doc.blocks:
        if len(found) >= MAX_MENTIONS:
            break
        for line_offset, row in enumerate(block.text.split("\n")[:50]):
            day = parse_iso_date(row)
            if day:
                source = "heading" if block.kind == "heading" else "text"
                found.append(DatedRecord(day, block.line + line_offset, source))
    return tuple(sorted(set(found)))


# ------------------------------------------------------------------ analysis
def analyse(path: str, text: str, adr_dirs: tuple[str, ...] = (), doc: MarkdownDoc | None = None) -> DocInfo:
    """Classify one Markdown file (``doc``: its shared parse, if known). Never raises on any text."""
    doc = doc if doc is not None else parse_markdown(path, text)
    stem = _stem(path)
    has_text = any(b.kind != "heading" and has_words(b.text) for b in doc.blocks)
    narrative = is_narrative_path(path, adr_dirs)
    journey_name = _JOURNEY.search(stem) or _JOURNEY.search(doc.title[:300])
    journey = (Mention(doc.title_line or 1, _clip(doc.title or stem), "title") if journey_name and has_text
               else next(iter(_heading_sections(doc, _JOURNEY_HEADING)), None))
    gameday = is_gameday_path(path)
    return DocInfo(
        path=path, title=_clip(doc.title, 200), title_line=doc.title_line, has_text=has_text,
        is_runbook=is_runbook_path(path), is_oncall=is_oncall_path(path),
        is_design=narrative or bool(_DESIGN_NAME.match(stem)), is_narrative=narrative,
        is_gameday=gameday, is_manual=is_manual_path(path) or bool(_MANUAL_NAME.search(doc.title[:200])),
        is_threat_model_file=bool(_THREAT_NAME.search(stem)), is_glossary_file=bool(_GLOSSARY_NAME.match(stem)),
        journey=journey,
        failover=_mentions(doc, _FAILOVER), failback=_mentions(doc, _FAILBACK),
        threat_sections=_heading_sections(doc, _THREAT_HEADING),
        classification_sections=_heading_sections(doc, _CLASSIFICATION),
        glossary_sections=_heading_sections(doc, _GLOSSARY_HEADING, anchored=True),
        scope_statements=_scope_statements(doc),
        prose_words=prose_words(doc) if narrative else 0,
        dates=_record_dates(path, text, doc) if gameday else (),
    )


def adr_dirs(ws: Workspace) -> tuple[str, ...]:
    """Folders named by ``.adr-dir`` files (adr-tools), relative to the repository root."""
    found: list[str] = []
    for path in ws.by_name(".adr-dir"):
        text = ws.read_text(path)
        if not text:
            continue
        value = text.strip().splitlines()[0].strip().strip("/") if text.strip() else ""
        if not value or value.startswith(("/", "..")) or "/../" in value or len(value) > 200:
            continue
        base = path.rsplit("/", 1)[0] if "/" in path else ""
        found.append(f"{base}/{value}" if base else value)
    return tuple(sorted(found))


def detect(ws: Workspace) -> DocsFacts:
    dirs = adr_dirs(ws)
    paths = ws.markdown_files
    by_path = path_candidates(paths, dirs)
    docs: list[DocInfo] = []
    for index, path in enumerate(paths):
        if len(docs) >= MAX_DOCS:
            ws.note(path, f"more than {MAX_DOCS} engineering documents; the rest were not read")
            break
        text = ws.read_text(path) if index in by_path else ws.text_passing(path, KEYWORD_TEXT)
        if text is None:
            continue
        try:
            docs.append(analyse(path, text, dirs, parsed(ws, path, text)))
        except (RecursionError, ValueError) as exc:  # defensive: never a traceback
            ws.note(path, f"Markdown could not be analysed: {exc.__class__.__name__}")
    return DocsFacts(tuple(sorted(docs, key=lambda d: d.path)))


# ------------------------------------------------------------------ non-Markdown artefacts
SLIDE_SUFFIXES = (".ppt", ".pptx", ".pptm", ".pps", ".ppsx", ".odp", ".key")
PROSE_SUFFIXES = (".md", ".markdown", ".mdx", ".rst", ".adoc", ".asciidoc", ".txt", ".org", ".docx", ".odt")
#: Folders whose decks stand in for design narratives (DOC001).
DESIGN_DOC_DIRS = frozenset({"docs", "doc", "documentation", "design", "designs", "rfc", "rfcs", "adr", "adrs",
                             "decisions", "proposal", "proposals", "architecture", "specs", "keps"})
#: ``.key`` is also the suffix of TLS/SSH private keys: names and folders that say so are not decks.
_KEY_FILE_HINT = re.compile(r"priv|server|tls|ssl|cert|rsa|ecdsa|ed25519|^id_|client|^ca\b|jwt|sign|secret"
                            r"|pem|localhost|token|api[-_]?key|^key$|dev|test", re.IGNORECASE)
_KEY_DIR_HINT = frozenset({"certs", "cert", "certificates", "ssl", "tls", "keys", "secrets", "pki", ".ssh", "ssh",
                           "credentials", "testdata", "fixtures"})
#: ``[^\S\n]*``, not ``\s*``: under ``re.M`` a ``\s*`` after ``^`` runs over every blank line below, from
#: every line start (quadratic in a file of blank lines); the lines that match are the same.
_PYTM_IMPORT = re.compile(r"^[^\S\n]*(from\s+pytm(\.\w+)*\s+import|import\s+pytm)\b", re.MULTILINE)
_PYTM_TM = re.compile(r"^[^#\n]*\bTM\s*\(", re.MULTILINE)
MAX_JSON_FILES = 100_000  # read once, parsed only with the Threat Dragon markers


@dataclass(frozen=True, order=True)
class Artefact:
    """A non-Markdown file that matters to a documentation rule."""

    path: str
    line: int
    kind: str  # slide deck | Microsoft Threat Modeling Tool model | Threat Dragon model | pytm model | ...


@dataclass(frozen=True)
class DocFileFacts:
    slide_decks: tuple[Artefact, ...]
    threat_models: tuple[Artefact, ...]
    glossary_files: tuple[Artefact, ...]
    prose_files: tuple[str, ...]  # prose documents under design/docs folders (DOC001)
    design_dirs: tuple[str, ...]  # folders named like docs/design/rfc/adr that exist


def _design_dirs(paths: Iterable[str]) -> set[str]:
    """Folders named like docs/design/rfc/adr that hold a file, straight from the file list
    (materialising every directory of a 200,000-file tree would cost tens of MB)."""
    found: set[str] = set()
    for path in paths:
        parts = path.split("/")[:-1]
        for i, part in enumerate(parts):
            if part.lower() in DESIGN_DOC_DIRS:
                found.add("/".join(parts[: i + 1]))
    return found


def in_design_dir(path: str) -> bool:
    return any(s in DESIGN_DOC_DIRS for s in _segments(path)[:-1])


def _keynote_deck(path: str) -> str | None:
    """The deck a path stands for: ``talk.key`` or a file inside a ``talk.key/`` bundle."""
    segments = path.split("/")
    for i, segment in enumerate(segments[:-1]):
        if segment.lower().endswith(".key") and len(segment) > 4:
            return "/".join(segments[: i + 1])
    if not path.lower().endswith(".key"):
        return None
    stem = _stem(path)
    if _KEY_FILE_HINT.search(stem) or any(s in _KEY_DIR_HINT for s in _segments(path)[:-1]):
        return None
    return path


def _slide_decks(ws: Workspace) -> list[Artefact]:
    decks: set[Artefact] = set()
    # decks by their extension, and files inside a Keynote bundle folder (``talk.key/...``)
    for path in sorted({*ws.with_suffix(*SLIDE_SUFFIXES), *ws.paths_containing(".key/")}):
        lowered = path.lower()
        if ".key" in lowered:
            deck = _keynote_deck(path)
            if deck is not None:
                decks.add(Artefact(deck, 0, "Keynote deck"))
                continue
        if lowered.endswith(SLIDE_SUFFIXES[:-1]):
            kind = "OpenDocument presentation" if lowered.endswith(".odp") else "PowerPoint deck"
            decks.add(Artefact(path, 0, kind))
    return sorted(decks)


def _is_threat_dragon(data: object) -> bool:
    if not isinstance(data, dict):
        return False
    summary, detail = data.get("summary"), data.get("detail")
    return isinstance(summary, dict) and isinstance(detail, dict) and isinstance(detail.get("diagrams"), list)


#: JSON that may be an OWASP Threat Dragon model.
THREAT_DRAGON_JSON = Prefilter("threat-dragon-json", lambda text: '"diagrams"' in text and '"summary"' in text)


def _json_threat_models(ws: Workspace) -> list[Artefact]:
    found: list[Artefact] = []
    candidates = [p for p in ws.with_suffix(".json") if not p.endswith(("package-lock.json", ".min.json"))]
    for path, _ in ws.passing(ws.bounded(candidates, MAX_JSON_FILES, "JSON files for Threat Dragon models"),
                              THREAT_DRAGON_JSON):
        data = ws.read_json(path)
        if data is None:
            ws.note(path, "looks like a Threat Dragon model but is not valid JSON; ignored")
            continue
        if _is_threat_dragon(data):
            found.append(Artefact(path, 1, "OWASP Threat Dragon model"))
    return found


def _other_threat_models(ws: Workspace) -> list[Artefact]:
    found: list[Artefact] = []
    suffixes = (".tm7", ".py", ".yaml", ".yml", ".json", ".txt", ".rst", ".adoc", ".pdf", ".docx", ".html")
    # only names that can qualify: every .tm7, and paths with "threat" or "tm.py" in them
    candidates = sorted({*ws.with_suffix(".tm7"), *ws.paths_containing("threat", "tm.py")})
    for path in candidates:
        lowered = path.lower()
        if not lowered.endswith(suffixes):
            continue
        if lowered.endswith(".tm7"):
            found.append(Artefact(path, 0, "Microsoft Threat Modeling Tool model"))
        elif lowered.endswith(".py") and (lowered.rsplit("/", 1)[-1] == "tm.py" or "threat" in lowered):
            text = ws.read_text(path)
            if text and _PYTM_IMPORT.search(text) and _PYTM_TM.search(text):
                line = text[: _PYTM_TM.search(text).start()].count("\n") + 1  # type: ignore[union-attr]
                found.append(Artefact(path, line, "pytm model"))
        elif lowered.endswith((".yaml", ".yml", ".json")) and _THREAT_NAME.search(_stem(path)):
            text = ws.read_text(path)
            if text and text.strip():
                kind = "Open Threat Model (OTM) file" if "otmVersion" in text else "threat model file"
                found.append(Artefact(path, 1, kind))
        elif lowered.endswith((".txt", ".rst", ".adoc", ".pdf", ".docx", ".html")) and _THREAT_NAME.search(_stem(path)):
            found.append(Artefact(path, 0, "threat model document"))
    return found


def detect_files(ws: Workspace) -> DocFileFacts:
    """Decks, threat-model tool files and glossary files, mostly from the file index alone."""
    glossary_suffixes = (".rst", ".adoc", ".txt", ".yaml", ".yml", ".json", ".csv", ".html")
    glossaries = [Artefact(p, 0, "glossary file") for p in ws.paths_containing("glossary")
                  if p.lower().endswith(glossary_suffixes) and _GLOSSARY_NAME.match(_stem(p))]
    in_design = ws.paths_in_folder_named(*DESIGN_DOC_DIRS)  # = [p for p in ws.files if in_design_dir(p)]
    in_design_set = set(in_design)
    prose = [p for p in ws.with_suffix(*PROSE_SUFFIXES) if p in in_design_set]
    design_dirs = sorted(_design_dirs(in_design))
    threat = sorted(set(_json_threat_models(ws) + _other_threat_models(ws)))
    return DocFileFacts(slide_decks=tuple(_slide_decks(ws)), threat_models=tuple(threat),
                        glossary_files=tuple(sorted(glossaries)), prose_files=tuple(sorted(prose)),
                        design_dirs=tuple(design_dirs))


MARKDOWN_LIKE = (".md", ".markdown", ".mdx")
