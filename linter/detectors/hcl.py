"""A small, bounded HCL reader that keeps structure: nested blocks, maps, lists and calls.

The one Terraform reader of the project: Datadog SLOs, chaos experiments (AWS FIS),
datastores, alerts and infrastructure rules all read the same parse, once per file per run
(``parsed``). Values it keeps: ``tags = { owner = "x" }`` maps, ``merge(local.tags, {...})``
calls, ``default_tags { tags = ... }`` nested blocks and references such as ``var.subnets``,
on top of ``hcl_tokens`` (comments skipped, strings and heredocs as text). Nothing is evaluated: a reference stays a ``Ref``, a call
stays a ``Call`` with its parsed arguments, anything else (conditionals, arithmetic, ``for``
expressions) stays an ``Expr`` holding its source text.
"""

from __future__ import annotations

import bisect
import json

from typing import TYPE_CHECKING, Any

from linter.detectors.hcl_tokens import Token, tokenize
from linter.fast_dataclass import dataclass, field

if TYPE_CHECKING:
    from linter.repo.workspace import Workspace

MAX_DEPTH = 40
MAX_TEXT = 400  # the longest source text an Expr/Ref keeps

_OPENERS = {"[": "]", "(": ")", "{": "}"}
_CLOSERS = frozenset("])}")


@dataclass(frozen=True)
class Ref:
    """A traversal such as ``var.subnets`` or ``local.tags["x"]``, kept as text."""

    text: str


@dataclass(frozen=True)
class Call:
    """A function call such as ``merge(local.tags, {...})`` with its parsed arguments."""

    name: str
    args: tuple[Any, ...]


@dataclass(frozen=True)
class Expr:
    """Any other expression, kept as (truncated) source text."""

    text: str


@dataclass
class Block:
    """``type "label" "label" { ... }`` with its attributes, their lines and child blocks."""

    type: str
    labels: tuple[str, ...]
    line: int
    attributes: dict[str, Any] = field(default_factory=dict)
    attribute_lines: dict[str, int] = field(default_factory=dict)
    blocks: list["Block"] = field(default_factory=list)

    def children(self, block_type: str) -> list["Block"]:
        return [b for b in self.blocks if b.type == block_type]

    def child(self, block_type: str) -> "Block | None":
        found = self.children(block_type)
        return found[0] if found else None

    def line_of(self, name: str) -> int:
        return self.attribute_lines.get(name, self.line)


def _parsed_files(ws: "Workspace") -> dict[str, Block | None]:
    """Per-run cache of parsed Terraform files (filled lazily by ``parsed``)."""
    return {}


def parsed(ws: "Workspace", path: str) -> Block | None:
    """``path`` parsed once per run, shared by every Terraform consumer (SLOs, chaos
    experiments, datastores, alerts, infrastructure); ``None`` when it cannot be read.

    ``*.tf.json`` files (Terraform's JSON configuration syntax) come back as the same blocks.
    """
    cache = ws.facts(_parsed_files)
    if path not in cache:
        text = ws.read_text(path)
        if text is None:
            cache[path] = None
        elif path.endswith(".tf.json"):
            data = ws.read_json(path)
            cache[path] = parse_json_config(data, text) if isinstance(data, dict) else None
        else:
            cache[path] = parse(text)
    return cache[path]


def terraform_files(ws: "Workspace") -> list[str]:
    """``*.tf`` and ``*.tf.json`` files in index order (the JSON ones from the ``.json`` bucket)."""
    return sorted([*ws.with_suffix(".tf"), *(p for p in ws.with_suffix(".json") if p.endswith(".tf.json"))])


#: Top-level keys of Terraform's JSON syntax whose objects are ``type -> name -> body``.
_TWO_LABELS = frozenset({"resource", "data"})
_ONE_LABEL = frozenset({"module", "provider", "variable", "output"})


def parse_json_config(data: dict[str, Any], text: str) -> Block:
    """A ``.tf.json`` document as HCL-shaped blocks.

    JSON cannot tell a nested block from a map attribute without the provider's schema, so
    an object value is kept as an attribute *and* offered as a child block (``tags`` reads as
    a map, ``lifecycle`` as a block). Lines are those of the block's name in the text.
    """
    root = Block("", (), 1)
    lines = _LineFinder(text)
    for kind, value in data.items():
        if kind in _TWO_LABELS and isinstance(value, dict):
            for type_name, named in value.items():
                for name, body in (named.items() if isinstance(named, dict) else ()):
                    for each in body if isinstance(body, list) else [body]:
                        root.blocks.append(_json_block(kind, (type_name, name), each, lines, lines.find(name)))
        elif kind in _ONE_LABEL and isinstance(value, dict):
            for name, body in value.items():
                for each in body if isinstance(body, list) else [body]:
                    root.blocks.append(_json_block(kind, (name,), each, lines, lines.find(name)))
        elif kind in ("locals", "terraform"):
            for each in value if isinstance(value, list) else [value]:
                root.blocks.append(_json_block(kind, (), each, lines, lines.find(kind)))
    return root


def _json_block(kind: str, labels: tuple[str, ...], body: Any, lines: "_LineFinder", line: int,
                depth: int = 0) -> Block:
    block = Block(kind, labels, line)
    if not isinstance(body, dict) or depth > 20:
        return block
    for key, value in body.items():
        if key == "//":  # Terraform JSON's comment property
            continue
        block.attributes[key] = value
        block.attribute_lines[key] = lines.find(key, line)
        for each in value if isinstance(value, list) else [value]:
            if isinstance(each, dict):
                block.blocks.append(_json_block(key, (), each, lines, block.attribute_lines[key], depth + 1))
    return block


class _LineFinder:
    """Line numbers of JSON keys: the first ``"key"`` at or after a starting line."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        at = text.find("\n")
        while at != -1:
            self.starts.append(at + 1)
            at = text.find("\n", at + 1)

    def find(self, key: str, from_line: int = 1) -> int:
        start = self.starts[min(max(from_line, 1), len(self.starts)) - 1]
        at = self.text.find(json.dumps(key), start)
        return from_line if at < 0 else bisect.bisect_right(self.starts, at)


def parse(text: str) -> Block:
    """The file as a root ``Block`` (type ``""``); never raises on any input."""
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
        if token.kind not in ("ident", "string"):
            i += 1
            continue
        j = i + 1
        if token.kind == "ident" and j < n and tokens[j].kind == "punct" and tokens[j].text == "=":
            end = _extent(tokens, j + 1, newline_ends=True)
            block.attributes.setdefault(token.text, interpret(tokens[j + 1:end]))
            block.attribute_lines.setdefault(token.text, token.line)
            i = end
            continue
        labels: list[str] = []
        while j < n and tokens[j].kind in ("string", "ident"):
            labels.append(tokens[j].text)
            j += 1
        if token.kind == "ident" and j < n and tokens[j].kind == "punct" and tokens[j].text == "{":
            if depth >= MAX_DEPTH:
                i = _skip_to_close(tokens, j + 1)
                continue
            child = Block(token.text, tuple(labels), token.line)
            block.blocks.append(child)
            i = _body(tokens, j + 1, child, depth + 1)
            continue
        i = j if j > i else i + 1
    return i


def _skip_to_close(tokens: list[Token], i: int) -> int:
    """Past the bracket matching an already consumed opener, without recursion."""
    depth = 1
    while i < len(tokens) and depth:
        if tokens[i].kind == "punct":
            if tokens[i].text in _OPENERS:
                depth += 1
            elif tokens[i].text in _CLOSERS:
                depth -= 1
        i += 1
    return i


def _extent(tokens: list[Token], i: int, *, newline_ends: bool) -> int:
    """Index just past an expression starting at ``i``.

    At bracket depth 0 an expression ends at a comma, an unmatched closer or (in a block
    body or object) a newline that follows some content.
    """
    n, depth, started = len(tokens), 0, False
    while i < n:
        token = tokens[i]
        if token.kind == "newline":
            if depth == 0 and newline_ends and started:
                return i
            i += 1
            continue
        if token.kind == "punct":
            if token.text in _OPENERS:
                depth += 1
            elif token.text in _CLOSERS:
                if depth == 0:
                    return i
                depth -= 1
            elif token.text == "," and depth == 0:
                return i
        started = True
        i += 1
    return i


def _significant(tokens: list[Token]) -> list[Token]:
    return [t for t in tokens if t.kind != "newline"]


def _matching(tokens: list[Token], start: int) -> int:
    """Index of the closer matching the opener at ``start`` (or ``len(tokens)``)."""
    depth = 0
    for k in range(start, len(tokens)):
        token = tokens[k]
        if token.kind != "punct":
            continue
        if token.text in _OPENERS:
            depth += 1
        elif token.text in _CLOSERS:
            depth -= 1
            if depth == 0:
                return k
    return len(tokens)


def source_text(tokens: list[Token]) -> str:
    text = " ".join(f'"{t.text}"' if t.kind == "string" else t.text for t in _significant(tokens))
    return text[:MAX_TEXT]


def interpret(tokens: list[Token], depth: int = 0) -> Any:
    """The value of an expression's tokens: literal, list, map, ``Call``, ``Ref`` or ``Expr``."""
    sig = _significant(tokens)
    if not sig:
        return None
    if depth > MAX_DEPTH:
        return Expr(source_text(sig))
    first = sig[0]
    if len(sig) == 1:
        return _scalar(first)
    if first.kind == "other" and first.text == "-" and len(sig) == 2 and sig[1].kind == "number":
        value = _scalar(sig[1])
        return -value if isinstance(value, (int, float)) else Expr(source_text(sig))
    if first.kind == "punct" and first.text in "[{" and _matching(sig, 0) == len(sig) - 1:
        inner = sig[1:-1]
        if inner and inner[0].kind == "ident" and inner[0].text == "for":
            return Expr(source_text(sig))
        # both keep their newlines: an object, alone or as a list element, may separate its
        # attributes by newlines instead of commas (HCL native syntax, "Collection Values")
        return _list(_strip_to_inner(tokens), depth) if first.text == "[" \
            else _object(_strip_to_inner(tokens), depth)
    if first.kind == "ident" and sig[1].kind == "punct" and sig[1].text == "(" \
            and _matching(sig, 1) == len(sig) - 1:
        return Call(first.text, tuple(_list(sig[2:-1], depth)))
    if first.kind == "ident" and _is_traversal(sig):
        return Ref(source_text(sig))
    return Expr(source_text(sig))


def _strip_to_inner(tokens: list[Token]) -> list[Token]:
    """Tokens between the outer braces of an object whose text starts after newlines."""
    start = next(k for k, t in enumerate(tokens) if t.kind != "newline")
    end = max(k for k, t in enumerate(tokens) if t.kind != "newline")
    return tokens[start + 1:end]


def _scalar(token: Token) -> Any:
    if token.kind == "string":
        return token.text
    if token.kind == "number":
        try:
            number = float(token.text)
        except ValueError:
            return Expr(token.text)
        return int(number) if number.is_integer() and "." not in token.text and "e" not in token.text.lower() \
            else number
    if token.kind == "ident":
        lowered = token.text
        if lowered == "true":
            return True
        if lowered == "false":
            return False
        if lowered == "null":
            return None
        return Ref(token.text)
    return Expr(token.text)


def _is_traversal(sig: list[Token]) -> bool:
    """``a.b[0].c["x"]``: an identifier followed only by index brackets (and attributes)."""
    k = 1
    while k < len(sig):
        token = sig[k]
        if token.kind == "punct" and token.text == "[":
            k = _matching(sig, k) + 1
            continue
        if token.kind == "other" and token.text in ".*":
            k += 1
            continue
        if token.kind in ("ident", "number") and sig[k - 1].kind == "other" and sig[k - 1].text == ".":
            k += 1
            continue
        return False
    return True


def _list(inner: list[Token], depth: int) -> list[Any]:
    items: list[Any] = []
    k = 0
    while k < len(inner):
        end = _extent(inner, k, newline_ends=False)
        if end > k:
            part = inner[k:end]
            if _significant(part):
                items.append(interpret(part, depth + 1))
        k = end + 1
    return items


def _object(inner: list[Token], depth: int) -> dict[str, Any] | Expr:
    """``{ key = value, "key" = value, key: value }`` entries, separated by commas or newlines."""
    result: dict[str, Any] = {}
    k, n = 0, len(inner)
    while k < n:
        token = inner[k]
        if token.kind == "newline" or (token.kind == "punct" and token.text == ","):
            k += 1
            continue
        key_end = k
        while key_end < n and not (inner[key_end].kind in ("punct", "other") and inner[key_end].text in "=:"):
            if inner[key_end].kind == "newline":
                break
            key_end += 1
        if key_end >= n or inner[key_end].kind == "newline":
            return Expr(source_text(inner))
        key_tokens = [t for t in inner[k:key_end] if t.text not in "()"]
        key = " ".join(t.text for t in key_tokens)
        end = _extent(inner, key_end + 1, newline_ends=True)
        result.setdefault(key, interpret(inner[key_end + 1:end], depth + 1))
        k = end
    return result


def iter_blocks(root: Block, block_type: str) -> list[Block]:
    """Top-level blocks of ``block_type`` (``resource``, ``provider``, ``locals``...)."""
    return root.children(block_type)
