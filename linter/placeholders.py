"""The placeholders practicelint's scaffolds write, and the rule that they never count.

``practicelint fix`` writes files a person must finish: a PR/FAQ of prompts, a runbook of
steps to write, a game day to plan, a SECURITY.md without a contact, a CODEOWNERS without a
team. Written as they are, several of them would satisfy their rule (a "Reporting a
vulnerability" section, a Failover heading...), and a scaffold would pass for compliance.
So every prompt the scaffolds leave is one of the tokens below, and a passing result whose
evidence holds one is ``fail``, "scaffold not filled in", pointing at the placeholder
(``unfilled``, applied by the engine to every result). A scaffold complete as written (a
dependabot.yml listing the ecosystems found) holds none, and its rule may pass.

The tokens are distinctive, so a person's own ``TODO`` never matches, and they are found as
parsed values, never by searching the raw text: in Markdown, visible text only (HTML
comments, code spans and code blocks are not what a reader sees); in YAML (and Markdown
front matter), scalar values and keys (comments are not values); in CODEOWNERS, owner
tokens of rule lines (comment lines are not rules); in JSON, strings. A placeholder in a
comment therefore neither fails nor passes anything. Other formats are not looked at.

This module imports nothing from ``linter.scaffold`` or ``linter.checks``: both the
scaffolds (which write the tokens) and the engine (which finds them) import it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from linter.fast_dataclass import dataclass

if TYPE_CHECKING:
    from linter.repo.workspace import Workspace
    from linter.results import Finding

#: Prose still to write: a Markdown paragraph, a list item, a YAML description. Scaffolds
#: write ``TODO(practicelint): <what to write>``.
MARK = "TODO(practicelint)"
#: Names still to choose where a name must be a name (GitHub organisation and team slugs):
#: CODEOWNERS owners ``@todo-practicelint-org/todo-practicelint-team``.
ORG = "todo-practicelint-org"
TEAM = "todo-practicelint-team"
NAMES = (ORG, TEAM)
#: What the files are searched for before they are parsed (every token contains it).
NEEDLE = "practicelint"
#: Placeholders listed as evidence per result; the count says how many more.
MAX_LISTED = 20
#: The detail of the evidence that points at a placeholder (``left_in``).
EVIDENCE_DETAIL = "scaffold placeholder: "
MAX_SNIPPET = 80

MARKDOWN_SUFFIXES = (".md", ".markdown")
YAML_SUFFIXES = (".yaml", ".yml")
CODEOWNERS_NAME = "CODEOWNERS"


def prompt(text: str) -> str:
    """A prose placeholder: ``TODO(practicelint): <text>``."""
    return f"{MARK}: {text}"


@dataclass(frozen=True, order=True)
class Placeholder:
    """A placeholder a file still holds, where (1-based ``line``; 0 when not known)."""

    path: str
    line: int
    text: str

    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


def in_text(value: str) -> bool:
    """Whether a parsed string value is, or holds, a placeholder."""
    return MARK in value or any(name in value for name in NAMES)


def readable(path: str) -> bool:
    """Whether ``find`` reads files of this name (the formats the scaffolds write)."""
    name = path.rsplit("/", 1)[-1]
    return name == CODEOWNERS_NAME or name.lower().endswith((*MARKDOWN_SUFFIXES, *YAML_SUFFIXES, ".json"))


def find(path: str, text: str) -> tuple[Placeholder, ...]:
    """Every placeholder in ``text`` (the file at ``path``), in file order, by its format."""
    if NEEDLE not in text:
        return ()
    name = path.rsplit("/", 1)[-1]
    lowered = name.lower()
    if lowered.endswith(MARKDOWN_SUFFIXES):
        found = list(_markdown(path, text))
    elif lowered.endswith(YAML_SUFFIXES):
        found = list(_yaml(path, text, 0))
    elif name == CODEOWNERS_NAME:
        found = list(_codeowners(path, text))
    elif lowered.endswith(".json"):
        found = list(_json(path, text))
    else:
        return ()
    return tuple(sorted(set(found)))


def _snippet(value: str) -> str:
    line = " ".join(value.split())
    start = max(0, min((line.find(token) for token in (MARK, *NAMES) if token in line), default=0))
    cut = line[start:]
    return cut if len(cut) <= MAX_SNIPPET else cut[: MAX_SNIPPET - 1] + "…"


# --------------------------------------------------------------------------- formats
def _markdown(path: str, text: str) -> Iterator[Placeholder]:
    from markdown_it import MarkdownIt

    from linter.detectors.markdown import MAX_FRONT_MATTER_LINES, MAX_PARSED_CHARS

    lines = text.split("\n")
    body = text
    if lines[0].strip() == "---":  # front matter is YAML: its values count, its comments do not
        end = next((i for i in range(1, min(len(lines), MAX_FRONT_MATTER_LINES))
                    if lines[i].rstrip() in ("---", "...")), 0)
        if end:
            yield from _yaml(path, "\n".join(lines[1:end]), 1)
            body = "\n" * (end + 1) + "\n".join(lines[end + 1:])  # blanked: lines stay the file's

    parser = MarkdownIt("commonmark", {"html": True}).enable("table")
    for token in parser.parse(body[:MAX_PARSED_CHARS]):
        if token.type != "inline" or token.map is None:
            continue
        line = token.map[0] + 1
        for child in token.children or ():
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "text" and MARK in child.content:
                yield Placeholder(path, line, _snippet(child.content))


def _yaml(path: str, text: str, offset: int) -> Iterator[Placeholder]:
    from linter.repo.yamlio import load_yaml

    for document in load_yaml(text).documents:
        yield from _values(path, document.data, document.line, offset)


def _values(path: str, data: Any, line: int, offset: int) -> Iterator[Placeholder]:
    stack: list[tuple[Any, int]] = [(data, line)]
    while stack:
        value, where = stack.pop()
        if isinstance(value, str):
            if in_text(value):
                yield Placeholder(path, where + offset if where else 0, _snippet(value))
        elif isinstance(value, dict):
            line_of = getattr(value, "line_of", lambda _key: where)
            for key, item in value.items():
                stack.append((item, line_of(key)))
                if isinstance(key, str):
                    stack.append((key, line_of(key)))
        elif isinstance(value, list):
            line_of = getattr(value, "line_of", lambda _index: where)
            stack.extend((item, line_of(index)) for index, item in enumerate(value))


def _codeowners(path: str, text: str) -> Iterator[Placeholder]:
    from linter.detectors.codeowners import parse_codeowners

    sections, _, _ = parse_codeowners(text, gitlab=False)
    for section in sections:
        for rule in section.rules:
            for owner in rule.owners:
                segments = owner.text.lstrip("@").split("/")
                if any(segment in NAMES for segment in segments):
                    yield Placeholder(path, rule.line, owner.text[:MAX_SNIPPET])


def _json(path: str, text: str) -> Iterator[Placeholder]:
    try:
        data = json.loads(text)
    except ValueError:
        return
    raw = text.split("\n")
    for found in _values(path, data, 0, 0):
        # JSON has no comments: the first line holding the value's placeholder is the place
        token = next((t for t in (MARK, *NAMES) if t in found.text), NEEDLE)
        line = next((i for i, content in enumerate(raw, start=1) if token in content), 0)
        yield Placeholder(path, line, found.text)


# --------------------------------------------------------------------------- results
def in_files(ws: Workspace, paths: Iterable[str], cache: dict[str, tuple[Placeholder, ...]]) -> list[Placeholder]:
    """The placeholders in the indexed files among ``paths`` (each file read and parsed once
    per ``cache``; only files of the formats ``find`` reads, which detectors have read already)."""
    out: list[Placeholder] = []
    for path in dict.fromkeys(paths):
        if path not in cache:
            text = ws.read_text(path) if readable(path) and path in ws.file_set else None
            cache[path] = find(path, text) if text else ()
        out.extend(cache[path])
    return out


def unfilled(ws: Workspace, finding: Finding, cache: dict[str, tuple[Placeholder, ...]]) -> Finding:
    """``finding``, or ``fail`` "scaffold not filled in" when it passes on evidence from a
    file that still holds a placeholder: a pass resting on a scaffold is no pass (whatever
    else it rests on: fill the scaffold in or delete it). Only passes are looked at: the
    evidence of a failure names what is wrong (the files CODEOWNERS leaves without an owner),
    not what the verdict rests on."""
    from linter.results import Evidence, Status, failed

    if finding.status is not Status.PASS or not finding.evidence:
        return finding
    found = in_files(ws, (e.path for e in finding.evidence), cache)
    if not found:
        return finding
    first = found[0]
    more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
    files = sorted({p.path for p in found})
    message = (f"Scaffold not filled in: {first.location()} still holds the placeholder '{first.text}'{more}, "
               f"written by practicelint fix; replace every {MARK} prompt and {ORG}/{TEAM} name in "
               f"{', '.join(files)} with the real content. What the check found: {finding.message}")
    evidence = [Evidence(p.path, p.line, EVIDENCE_DETAIL + p.text) for p in found[:MAX_LISTED]]
    return failed(message, [*evidence, *finding.evidence])


def left_in(evidence: Iterable[Any]) -> list[Any]:
    """The evidence of a result that points at placeholders left in a scaffold (``unfilled``)."""
    return [e for e in evidence if e.detail.startswith(EVIDENCE_DETAIL)]
