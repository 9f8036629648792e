"""Elixir's Mix projects (``mix.exs``): what the keyword list ``def project`` returns says
what the project ships, by Mix's and Hex's documentation:

* ``escript:`` builds an escript, "an executable that can be invoked from the command line"
  (``mix escript.build``): a tool;
* ``package:`` is the Hex package metadata ``mix hex.publish`` reads: a library;
* ``releases:`` configures ``mix release``, the self-contained release Mix documents for
  "running live systems" (escripts are not "a deployment mechanism"); an application that
  depends on a web server (Phoenix, Plug's Cowboy adapter, Bandit) and publishes no Hex
  package is a web application too (``mix phx.new`` writes no ``releases:``): a service;
* an umbrella's root (``apps_path:``) says nothing itself: each of its apps has its own
  ``mix.exs``.

``mix.exs`` is Elixir code and is never run: a small tokenizer (comments, strings, heredocs,
charlists, sigils, atoms and keyword keys) finds the top-level keys of ``project``'s list and
the dependency tuples of ``deps``; anything it cannot follow says nothing.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from linter.detectors.kinds.signals import DEPLOY, PUBLISH, Signal
from linter.fast_dataclass import dataclass
from linter.repo.workspace import Workspace

#: The most of a ``mix.exs`` read (the project function comes first in every real one).
MAX_CHARS = 200_000
#: Hex packages that run a web server in the application that depends on them.
WEB_SERVERS = ("phoenix", "plug_cowboy", "bandit")
_CLOSERS = {"(": ")", "[": "]", "{": "}", "<": ">", "/": "/", "|": "|", '"': '"', "'": "'"}
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*[?!]?")
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*[?!]?):(?=[\s])")
_ATOM = re.compile(r":([A-Za-z_][A-Za-z0-9_]*[?!]?)")


@dataclass(frozen=True)
class Token:
    kind: str  # "ident", "key", "atom", "open", "close", "punct", "string"
    value: str
    line: int


def _skip_string(text: str, start: int, quote: str, closer: str = "") -> int:
    """The index after the string, heredoc or sigil opening with ``quote`` at ``start`` and
    ending with ``closer`` (the quote itself by default): ``#{}`` interpolation is skipped by
    brace depth, escapes are honoured."""
    if quote in "\"'" and text.startswith(quote * 3, start):
        end = text.find(quote * 3, start + 3)
        return len(text) if end < 0 else end + 3
    quote = closer or quote
    index, depth = start + 1, 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if depth == 0 and char == quote:
            return index + 1
        if char == "#" and text.startswith("#{", index):
            depth += 1
            index += 2
            continue
        if depth and char == "}":
            depth -= 1
        index += 1
    return len(text)


def tokens(text: str) -> Iterator[Token]:
    """The tokens of ``text``; comments and string contents are dropped."""
    index, line, size = 0, 1, len(text)
    while index < size:
        char = text[index]
        if char == "\n":
            line += 1
            index += 1
        elif char in " \t\r,;":
            index += 1
        elif char == "#":
            end = text.find("\n", index)
            index = size if end < 0 else end
        elif char in "\"'":
            end = _skip_string(text, index, char)
            line += text.count("\n", index, end)
            yield Token("string", "", line)
            index = end
        elif char == "~" and index + 1 < size and text[index + 1].isalpha():
            letters = index + 1
            while letters < size and text[letters].isalpha():
                letters += 1
            opener = text[letters] if letters < size else ""
            closer = _CLOSERS.get(opener)
            if closer is None:
                index = letters
                continue
            end = _skip_string(text, letters, opener, closer)
            line += text.count("\n", index, end)
            yield Token("string", "", line)
            index = end
        elif char in "([{":
            yield Token("open", char, line)
            index += 1
        elif char in ")]}":
            yield Token("close", char, line)
            index += 1
        elif char == ":" and index + 1 < size and text[index + 1] in "\"'":
            end = _skip_string(text, index + 1, text[index + 1])
            line += text.count("\n", index, end)
            yield Token("atom", "", line)
            index = end
        else:
            match = _KEY.match(text, index) or _ATOM.match(text, index) or _IDENT.match(text, index)
            if match is None:
                yield Token("punct", char, line)
                index += 1
                continue
            kind = "key" if match.re is _KEY else "atom" if match.re is _ATOM else "ident"
            yield Token(kind, match.group(1) if kind != "ident" else match.group(0), line)
            index = match.end()


def _function_body(found: list[Token], name: str) -> list[Token]:
    """The tokens of ``def name do ... end`` or ``def name, do: ...`` (``defp`` too)."""
    for index in range(len(found) - 2):
        head = found[index]
        if head.kind != "ident" or head.value not in ("def", "defp") or found[index + 1].value != name:
            continue
        start = index + 2
        if start < len(found) and found[start].kind == "open" and found[start].value == "(":
            while start < len(found) and not (found[start].kind == "close" and found[start].value == ")"):
                start += 1
            start += 1
        if start < len(found) and found[start].kind == "key" and found[start].value == "do":
            return _expression(found, start + 1)
        if start < len(found) and found[start].kind == "ident" and found[start].value == "do":
            body: list[Token] = []
            depth = 1
            for token in found[start + 1:]:
                if token.kind == "ident" and token.value in ("do", "fn"):
                    depth += 1
                elif token.kind == "ident" and token.value == "end":
                    depth -= 1
                    if depth == 0:
                        return body
                body.append(token)
            return []
    return []


def _expression(found: list[Token], start: int) -> list[Token]:
    """One bracketed expression from ``start`` (the ``do:`` form's body)."""
    depth = 0
    out: list[Token] = []
    for token in found[start:]:
        out.append(token)
        if token.kind == "open":
            depth += 1
        elif token.kind == "close":
            depth -= 1
            if depth <= 0:
                break
        elif depth == 0:
            break
    return out


def project_keys(found: list[Token]) -> dict[str, int]:
    """The keys of the keyword list ``project`` returns (at the first bracket level), by line."""
    keys: dict[str, int] = {}
    depth = 0
    for token in _function_body(found, "project"):
        if token.kind == "open":
            depth += 1
        elif token.kind == "close":
            depth -= 1
        elif token.kind == "key" and depth == 1:
            keys.setdefault(token.value, token.line)
    return keys


def dependencies(found: list[Token]) -> dict[str, int]:
    """The packages of ``deps``' tuples (``{:phoenix, "~> 1.7"}``), by line."""
    body = _function_body(found, "deps")
    names: dict[str, int] = {}
    for before, token in zip(body, body[1:]):
        if before.kind == "open" and before.value == "{" and token.kind == "atom":
            names.setdefault(token.value, token.line)
    return names


def _mix_signal(ws: Workspace, path: str) -> list[Signal]:
    text = ws.read_text(path)
    if text is None:
        return []
    found = list(tokens(text[:MAX_CHARS]))
    keys = project_keys(found)
    if "apps_path" in keys:
        return []
    if "escript" in keys:
        return [Signal(path, keys["escript"], "tool", PUBLISH, "the Mix project builds an escript (a command)")]
    if "package" in keys:
        return [Signal(path, keys["package"], "library", PUBLISH, "the Mix project publishes a Hex package")]
    if "releases" in keys:
        return [Signal(path, keys["releases"], "service", DEPLOY,
                       "the Mix project builds a release (what Mix deploys to run a live system)")]
    deps = dependencies(found) if keys else {}
    server = next((s for s in WEB_SERVERS if s in deps), None)
    if server:
        return [Signal(path, deps[server], "service", DEPLOY,
                       f"the Mix application depends on the web server {server} and publishes no Hex package")]
    return []


def signals(ws: Workspace, paths: Iterable[str]) -> list[Signal]:
    return [signal for path in paths if path.rsplit("/", 1)[-1] == "mix.exs" for signal in _mix_signal(ws, path)]
