"""A small, bounded HCL reader: enough to pull ``resource`` blocks and literal attributes.

Terraform files are not executed or fully evaluated: strings (with escapes and ``${}``
interpolation kept as text), heredocs, numbers and lists of literals are read; anything
else (function calls, references) is kept as its source text. Comments (``#``, ``//``,
``/* */``) are skipped by the tokenizer, so commented-out resources never count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAX_TOKENS = 200_000
MAX_DEPTH = 40


@dataclass(frozen=True)
class Token:
    kind: str  # ident | string | number | punct | newline | other
    text: str
    line: int


@dataclass
class Block:
    type: str
    labels: tuple[str, ...]
    line: int
    attributes: dict[str, Any] = field(default_factory=dict)
    attribute_lines: dict[str, int] = field(default_factory=dict)
    blocks: list["Block"] = field(default_factory=list)

    def children(self, block_type: str) -> list["Block"]:
        return [b for b in self.blocks if b.type == block_type]


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text``; stops quietly at ``MAX_TOKENS``."""
    tokens: list[Token] = []
    i, line, n = 0, 1, len(text)
    while i < n and len(tokens) < MAX_TOKENS:
        ch = text[i]
        if ch == "\n":
            tokens.append(Token("newline", "\n", line))
            line += 1
            i += 1
        elif ch in " \t\r":
            i += 1
        elif ch == "#" or text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            line += text.count("\n", i, end)
            i = end
        elif ch == '"':
            i, line = _string(text, i, line, tokens)
        elif text.startswith("<<", i):
            i, line = _heredoc(text, i, line, tokens)
        elif ch.isdigit() or (ch == "-" and i + 1 < n and text[i + 1].isdigit()):
            j = i + 1
            while j < n and (text[j].isdigit() or text[j] in ".eE+-"):
                j += 1
            tokens.append(Token("number", text[i:j], line))
            i = j
        elif ch.isalpha() or ch == "_":
            j = i + 1
            while j < n and (text[j].isalnum() or text[j] in "_-."):
                j += 1
            tokens.append(Token("ident", text[i:j], line))
            i = j
        elif ch in "{}[]()=,":
            tokens.append(Token("punct", ch, line))
            i += 1
        else:
            tokens.append(Token("other", ch, line))
            i += 1
    return tokens


def _string(text: str, i: int, line: int, tokens: list[Token]) -> tuple[int, int]:
    j, n, start_line = i + 1, len(text), line
    chars: list[str] = []
    while j < n and text[j] != '"':
        if text[j] == "\\" and j + 1 < n:
            chars.append(text[j + 1])
            j += 2
            continue
        if text[j] == "\n":  # unterminated on this line: HCL strings are single-line
            break
        chars.append(text[j])
        j += 1
    tokens.append(Token("string", "".join(chars), start_line))
    return (j + 1 if j < n and text[j] == '"' else j), line


def _heredoc(text: str, i: int, line: int, tokens: list[Token]) -> tuple[int, int]:
    """``<<EOT`` / ``<<-EOT`` up to a line holding only the marker."""
    newline = text.find("\n", i)
    marker = text[i + 2: newline if newline >= 0 else len(text)].lstrip("-").strip()
    if not marker.isidentifier() or newline < 0:
        tokens.append(Token("other", "<", line))
        return i + 1, line
    body: list[str] = []
    j, current = newline + 1, line + 1
    while j < len(text):
        end = text.find("\n", j)
        end = len(text) if end < 0 else end
        row = text[j:end]
        if row.strip() == marker:
            tokens.append(Token("string", "\n".join(body), line))
            return end, current
        body.append(row)
        j, current = end + 1, current + 1
    tokens.append(Token("string", "\n".join(body), line))
    return len(text), current


def parse(text: str) -> Block:
    """The file as a root ``Block`` (type ``""``) of attributes and nested blocks."""
    tokens = tokenize(text)
    root = Block("", (), 1)
    i = 0
    while i < len(tokens):  # a stray "}" ends _body early; carry on after it
        i = _body(tokens, i, root, 0)
    return root


def _body(tokens: list[Token], i: int, block: Block, depth: int) -> int:
    n = len(tokens)
    while i < n:
        token = tokens[i]
        if token.kind == "punct" and token.text == "}":
            return i + 1
        if token.kind != "ident":
            i += 1
            continue
        j = i + 1
        if j < n and tokens[j].kind == "punct" and tokens[j].text == "=":
            value, i = _value(tokens, j + 1)
            block.attributes.setdefault(token.text, value)
            block.attribute_lines.setdefault(token.text, token.line)
            continue
        labels: list[str] = []
        while j < n and tokens[j].kind in ("string", "ident"):
            labels.append(tokens[j].text)
            j += 1
        if j < n and tokens[j].kind == "punct" and tokens[j].text == "{":
            if depth >= MAX_DEPTH:
                i = _skip_block(tokens, j + 1)
                continue
            child = Block(token.text, tuple(labels), token.line)
            block.blocks.append(child)
            i = _body(tokens, j + 1, child, depth + 1)
            continue
        i = j if j > i else i + 1
    return i


def _skip_block(tokens: list[Token], i: int) -> int:
    """Past the ``}`` matching an already consumed ``{``, without recursion."""
    depth = 1
    while i < len(tokens) and depth:
        if tokens[i].kind == "punct" and tokens[i].text in "{}":
            depth += 1 if tokens[i].text == "{" else -1
        i += 1
    return i


def _value(tokens: list[Token], i: int) -> tuple[Any, int]:
    """A literal where possible, else the expression's source text; ends at a newline."""
    n = len(tokens)
    depth = 0
    parts: list[Token] = []
    while i < n:
        token = tokens[i]
        if token.kind == "newline" and depth == 0 and parts:
            break
        if token.kind == "punct" and token.text in "[({":
            depth += 1
        elif token.kind == "punct" and token.text in "])}":
            if depth == 0:
                break  # the enclosing block's closing brace
            depth -= 1
        if token.kind != "newline":
            parts.append(token)
        i += 1
    return _literal(parts), i


def _literal(parts: list[Token]) -> Any:
    if len(parts) == 1 and parts[0].kind == "string":
        return parts[0].text
    if len(parts) == 1 and parts[0].kind == "number":
        try:
            return float(parts[0].text)
        except ValueError:
            return parts[0].text
    if parts and parts[0].text == "[" and parts[-1].text == "]":
        return [float(p.text) if p.kind == "number" and _is_float(p.text) else p.text
                for p in parts[1:-1] if p.kind in ("string", "number")]
    return " ".join(p.text for p in parts)


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
