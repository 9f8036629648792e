"""Markdown for a terminal: what ``practicelint explain`` prints unless ``--format markdown``.

Rule documentation is written once, as Markdown (``linter.ruledocs``), for ``docs/rules.md``
and ``explain --format markdown``. Printed as is, a terminal shows its syntax: ``##``, pipes
of tables, code fences and backticks. This module parses the Markdown with markdown-it
(CommonMark plus tables, the parser the documentation rules already use: a rule pack's text
is Markdown too, so nothing here guesses at syntax with patterns) and lays it out as plain
text: headings on their own lines, each section's paragraphs indented and wrapped to the
width, tables as aligned columns whose last column wraps, lists with hanging indents and
code blocks indented as they are (never wrapped), code spans and emphasis without their
markers.
"""

from __future__ import annotations

import textwrap
from typing import Any

#: Indentation of a section's text under its heading, and of code blocks.
INDENT = "  "
CODE_INDENT = "  "
#: Narrowest text column: below it tables turn into "header: value" lines.
MIN_COLUMN = 20


def _inline(token: Any) -> str:
    """The visible text of an inline token: code spans, emphasis and links without markers."""
    out: list[str] = []
    link_stack: list[str] = []
    for child in token.children or []:
        kind = child.type
        if kind in ("text", "code_inline", "html_inline"):
            out.append(child.content)
        elif kind == "softbreak":
            out.append(" ")
        elif kind == "hardbreak":
            out.append("\n")
        elif kind == "image":
            out.append(child.content or "")
        elif kind == "link_open":
            link_stack.append(str(child.attrs.get("href") or ""))
            out.append("\x00")  # where the link text starts
        elif kind == "link_close":
            href = link_stack.pop() if link_stack else ""
            start = len(out) - 1 - out[::-1].index("\x00")
            label = "".join(out[start + 1:])
            out[start:] = [label if not href or href == label else f"{label} ({href})"]
    return "".join(out)


def _wrap(text: str, width: int, first: str, rest: str) -> list[str]:
    lines: list[str] = []
    for part in text.split("\n"):
        lines += textwrap.wrap(part, width=max(width, len(first) + MIN_COLUMN), initial_indent=first,
                               subsequent_indent=rest, break_long_words=False, break_on_hyphens=False) or [first.rstrip()]
        first = rest
    return lines


def _table(rows: list[list[str]], width: int, indent: str) -> list[str]:
    """Aligned columns, the last one wrapped; "header: value" lines when that does not fit."""
    if not rows:
        return []
    columns = max(len(row) for row in rows)
    rows = [row + [""] * (columns - len(row)) for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(columns - 1)]
    lead = len(indent) + sum(w + 2 for w in widths)
    if width - lead < MIN_COLUMN:
        header, body = rows[0], rows[1:]
        out: list[str] = []
        for row in body:
            for i, (name, value) in enumerate(zip(header, row)):
                out += _wrap(f"{name}: {value}", width, indent + ("- " if i == 0 else "  "), indent + "    ")
        return out
    out = []
    for row in rows:
        head = indent + "".join(cell.ljust(w + 2) for cell, w in zip(row, widths))
        out += _wrap(row[-1], width, head, " " * lead) if row[-1] else [head.rstrip()]
    return out


def render(markdown: str, width: int = 80) -> str:
    """``markdown`` laid out for a terminal ``width`` columns wide (see the module)."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    blocks: list[list[str]] = []
    headings: set[int] = set()  # indexes of the blocks that are second-level (or deeper) headings
    indent = ""  # text under a second-level (or deeper) heading is indented
    lists: list[str] = []  # the marker of each open list ("-" or "1.") for list items
    item_first = False
    table: list[list[str]] | None = None
    i = 0
    while i < len(tokens):
        token = tokens[i]
        kind = token.type
        if kind == "heading_open":
            if token.tag != "h1":
                headings.add(len(blocks))
            blocks.append([_inline(tokens[i + 1])])
            indent = INDENT if token.tag != "h1" else ""
            i += 3
            continue
        if kind in ("bullet_list_open", "ordered_list_open"):
            lists.append("-" if kind == "bullet_list_open" else "1.")
            blocks.append([])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            item_first = True
        elif kind == "inline" and table is not None:
            table[-1].append(" ".join(_inline(token).split()))
        elif kind == "inline":
            depth = INDENT * max(len(lists) - 1, 0)
            if lists:
                marker = (lists[-1] + " ") if item_first else "  "
                lines = _wrap(_inline(token), width, indent + depth + marker, indent + depth + "  ")
                item_first = False
                blocks[-1] += lines
            else:
                blocks.append(_wrap(_inline(token), width, indent, indent))
        elif kind in ("fence", "code_block"):
            code = token.content.rstrip("\n").split("\n")
            blocks.append([(indent + CODE_INDENT + line).rstrip() for line in code])
        elif kind == "hr":
            blocks.append([indent + "-" * 20])
        elif kind == "html_block":
            blocks.append([indent + line for line in token.content.rstrip("\n").split("\n")])
        elif kind == "table_open":
            table = []
        elif kind == "tr_open" and table is not None:
            table.append([])
        elif kind == "table_close" and table is not None:
            blocks.append(_table(table, width, indent))
            table = None
        i += 1
    return _join(blocks, headings)


def _join(blocks: list[list[str]], headings: set[int]) -> str:
    """Blocks separated by one blank line; a section heading is followed directly by its text."""
    out: list[str] = []
    after_heading = False
    for index, block in enumerate(blocks):
        if not block:
            continue
        if out and not after_heading:
            out.append("")
        out += block
        after_heading = index in headings
    return "\n".join(out) + "\n"
