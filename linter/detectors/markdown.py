"""Markdown structure shared by the document rules (PR/FAQs, runbooks, design docs).

Rules about documents need the *shape* of a Markdown file, not its HTML: which headings
exist and where, what text follows them, which paragraphs open with a bold lead-in, what
sits inside a list item or a blockquote. This module parses a file once with
markdown-it-py (CommonMark plus tables) into a flat, ordered tuple of ``Block`` values with
1-based lines. What Markdown never shows a reader is dropped on purpose, so it can never
count as evidence: HTML comments and other raw HTML blocks, fenced and indented code.
YAML front matter is read (safely) for its ``title`` and blanked before parsing so that
line numbers stay those of the file.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from markdown_it import MarkdownIt
from markdown_it.token import Token

from linter.fast_dataclass import dataclass
from linter.repo.yamlio import load_yaml

#: Documents longer than this many blocks are truncated; no real document comes close.
MAX_BLOCKS = 20_000
#: Only this many characters of a Markdown file are parsed (cut at a line end). markdown-it
#: builds every token before a block can be looked at: a file of list items or table rows
#: costs hundreds of bytes of memory and microseconds per character, so the prefix bounds one
#: file's cost. Real design documents, runbooks and PR/FAQs are a small fraction of it.
MAX_PARSED_CHARS = 256 * 1024
#: Front matter longer than this many lines is not treated as front matter.
MAX_FRONT_MATTER_LINES = 200

_PARSER = MarkdownIt("commonmark", {"html": True}).enable("table")
_FRONT_MATTER_END = re.compile(r"^(---|\.\.\.)\s*$")


@dataclass(frozen=True)
class Block:
    """One leaf of a Markdown document, in reading order.

    ``kind`` is ``heading``, ``paragraph`` or ``table``. ``text`` is the visible text (inline
    markup removed, line breaks kept as ``\\n``). ``lead`` is the text of a bold/strong run
    that opens a paragraph (``**Problem:** ...`` -> ``Problem:``) and ``after_lead`` what
    follows it. ``items`` lists the ids of the list items that enclose the block, outermost
    first, and ``item_start`` says the block is the first one of its innermost list item.
    """

    kind: str
    text: str
    line: int
    end_line: int
    level: int = 0
    quote_depth: int = 0
    items: tuple[int, ...] = ()
    item_start: bool = False
    lead: str = ""
    after_lead: str = ""

    @property
    def first_line(self) -> str:
        return self.text.split("\n", 1)[0].strip()

    @property
    def rest(self) -> str:
        """Everything after the first line of the block's text."""
        parts = self.text.split("\n", 1)
        return parts[1].strip() if len(parts) > 1 else ""


@dataclass(frozen=True)
class MarkdownDoc:
    """A parsed Markdown file: its title (front matter or first heading) and its blocks."""

    path: str
    title: str
    title_line: int
    front_matter_title: str
    blocks: tuple[Block, ...]

    @property
    def headings(self) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if b.kind == "heading")

    def section(self, index: int) -> tuple[Block, ...]:
        """Blocks after heading ``index`` up to the next heading of the same or higher level."""
        heading = self.blocks[index]
        out: list[Block] = []
        for block in self.blocks[index + 1:]:
            if block.kind == "heading" and block.level <= heading.level:
                break
            out.append(block)
        return tuple(out)


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Return the YAML front matter mapping and ``text`` with those lines blanked.

    Blanking (instead of cutting) keeps every later line number true to the file.
    """
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    for end in range(1, min(len(lines), MAX_FRONT_MATTER_LINES)):
        if _FRONT_MATTER_END.match(lines[end]):
            parsed = load_yaml("\n".join(lines[1:end]))
            data = parsed.documents[0].data if parsed.documents and not parsed.errors else None
            blanked = [""] * (end + 1) + lines[end + 1:]
            return (data if isinstance(data, dict) else {}), "\n".join(blanked)
    return {}, text


def inline_text(children: Iterable[Token]) -> str:
    """Visible text of an inline token's children; raw HTML (comments included) dropped."""
    out: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append("\n")
        elif child.type == "image":
            out.append(inline_text(child.children or ()))
    return "".join(out)


def _lead_in(children: list[Token]) -> tuple[str, str]:
    """``**Problem:** rest`` -> (``Problem:``, ``rest``); ('', '') when no bold opener."""
    index = 0
    while index < len(children) and children[index].type == "text" and not children[index].content.strip():
        index += 1
    if index >= len(children) or children[index].type != "strong_open":
        return "", ""
    depth = 0
    for end in range(index, len(children)):
        kind = children[end].type
        depth += kind == "strong_open"
        depth -= kind == "strong_close"
        if depth == 0:
            lead = inline_text(children[index + 1:end]).strip()
            rest = inline_text(children[end + 1:]).strip()
            return lead, rest
    return "", ""


def _text_of(token: Token) -> tuple[str, list[Token]]:
    children = list(token.children or ())
    return inline_text(children), children


def _parsed_docs(ws: Any) -> dict[tuple[str, int], MarkdownDoc]:
    """Per-run cache of parsed Markdown documents (filled by ``parsed``)."""
    return {}


def parsed(ws: Any, path: str, text: str) -> MarkdownDoc:
    """``path`` parsed once per run and shared by every detector that reads Markdown
    (PR/FAQs, engineering documents, security policies, rule packs)."""
    cache = ws.facts(_parsed_docs)
    key = (path, len(text))  # a detector that reads only a bounded prefix gets its own parse
    if key not in cache:
        if len(text) > MAX_PARSED_CHARS:
            ws.note(path, f"Markdown longer than {MAX_PARSED_CHARS} characters; only the start was read")
        cache[key] = parse_markdown(path, text)
    return cache[key]


def parse_markdown(path: str, text: str) -> MarkdownDoc:
    """Parse ``text`` (its first ``MAX_PARSED_CHARS``) into a ``MarkdownDoc``. Never raises on
    any input."""
    if len(text) > MAX_PARSED_CHARS:
        end = text.rfind("\n", 0, MAX_PARSED_CHARS)
        text = text[: end + 1 if end > 0 else MAX_PARSED_CHARS]
    front, body = split_front_matter(text)
    fm_title = front.get("title") if isinstance(front.get("title"), str) else ""
    try:
        tokens = _PARSER.parse(body)
    except Exception:  # markdown-it is robust; this is a last line of defence
        tokens = []
    blocks = _blocks(tokens)
    first_heading = next((b for b in blocks if b.kind == "heading"), None)
    if fm_title.strip():
        title, title_line = fm_title.strip(), 1
    elif first_heading is not None:
        title, title_line = first_heading.text.strip(), first_heading.line
    else:
        title, title_line = "", 0
    return MarkdownDoc(path=path, title=title, title_line=title_line,
                       front_matter_title=fm_title.strip(), blocks=tuple(blocks))


def _blocks(tokens: list[Token]) -> list[Block]:
    """Flatten block tokens into ``Block`` leaves, tracking list items and blockquotes."""
    blocks: list[Block] = []
    items: list[int] = []
    item_fresh: list[bool] = []
    quote_depth = 0
    next_item = 0
    pending: dict[str, Any] | None = None
    table_rows: list[str] = []
    table_start = 0
    in_table = False
    for token in tokens:
        if len(blocks) >= MAX_BLOCKS:
            break
        kind = token.type
        if kind == "list_item_open":
            next_item += 1
            items.append(next_item)
            item_fresh.append(True)
        elif kind == "list_item_close":
            if items:
                items.pop()
                item_fresh.pop()
        elif kind == "blockquote_open":
            quote_depth += 1
        elif kind == "blockquote_close":
            quote_depth = max(0, quote_depth - 1)
        elif kind in ("heading_open", "paragraph_open"):
            pending = {"kind": "heading" if kind == "heading_open" else "paragraph",
                       "level": int(token.tag[1]) if kind == "heading_open" else 0,
                       "map": token.map}
        elif kind == "table_open":
            in_table, table_rows, table_start = True, [], (token.map[0] + 1 if token.map else 0)
        elif kind == "table_close":
            in_table = False
            end = (token.map[1] if token.map else table_start)
            blocks.append(_make_block("table", "\n".join(table_rows), table_start, end,
                                      0, quote_depth, items, item_fresh))
        elif kind == "inline" and in_table:
            table_rows.append(inline_text(token.children or ()))
        elif kind == "inline" and pending is not None:
            text, children = _text_of(token)
            start = pending["map"][0] + 1 if pending["map"] else 0
            end = pending["map"][1] if pending["map"] else start
            lead, after = _lead_in(children) if pending["kind"] == "paragraph" else ("", "")
            blocks.append(_make_block(pending["kind"], text, start, end, pending["level"],
                                      quote_depth, items, item_fresh, lead, after))
            pending = None
    return blocks


def _make_block(kind: str, text: str, start: int, end: int, level: int, quote_depth: int,
                items: list[int], item_fresh: list[bool], lead: str = "", after: str = "") -> Block:
    item_start = bool(item_fresh) and item_fresh[-1]
    if item_fresh:
        item_fresh[-1] = False
    return Block(kind=kind, text=text.strip(), line=start, end_line=max(start, end), level=level,
                 quote_depth=quote_depth, items=tuple(items), item_start=item_start,
                 lead=lead, after_lead=after)


_PLACEHOLDER = re.compile(r"^\s*(\[[^\]\n]{0,300}\]|tbd|tbc|todo|fixme|xxx|n/?a|\.{3}|…|-+|\?+)\s*[.:]?\s*$",
                          re.IGNORECASE)


def has_words(text: str) -> bool:
    """True when ``text`` says something: not blank, not a template placeholder or TODO."""
    stripped = text.strip()
    if not stripped or not any(ch.isalnum() for ch in stripped):
        return False
    return not _PLACEHOLDER.match(stripped[:400]) if len(stripped) <= 400 else True


def normalise_label(text: str) -> str:
    """``**The Problem:**`` -> ``the problem``: lower case words, punctuation as spaces."""
    words = re.sub(r"[^0-9a-z?&/]+", " ", text.lower()[:200]).split()
    return " ".join(words)
