"""JSON5 (https://spec.json5.org/, version 1.0.0), read by translating it to JSON for ``json``.

Renovate's configuration files (``renovate.json5``, ``.renovaterc.json5``, and JSON files that
use its habits) are JSON5: comments, trailing commas, unquoted keys, single-quoted strings,
hexadecimal numbers, ``Infinity``. Stripping comments and trailing commas with a pattern (as
this project once did) misreads ``//`` inside a string (every URL) and fails on unquoted keys,
so a real reader is needed. The ``json5`` package on PyPI parses character by character in
Python and took 22 s on a 600 KB array; this module tokenizes once with one regular
expression (each token is matched at a known position, never searched for; strings are
possessive runs: a group repeated per character keeps a backtracking entry of hundreds of
bytes for every character it may give back, two hundred times the string), rewrites each
token as its JSON equivalent, and leaves parsing to the standard library's C decoder: linear
in the input, and every JSON5 text that is not valid gives ``ValueError``.

What is translated: comments (dropped), single-quoted strings and JSON5 escapes (``\\x41``,
``\\v``, ``\\0``, an escaped line break continuing the string), identifier keys, trailing commas,
numbers with a leading ``+``, a leading or trailing decimal point, or in hexadecimal, and
``Infinity``/``NaN`` (which ``json`` accepts). Not supported: ``\\u`` escapes inside unquoted
keys (no configuration format uses them); such a file is reported as unreadable.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["loads", "to_json"]

_TOKEN = re.compile(
    r"""(?P<space>[\s\ufeff]+)
      | (?P<comment>//[^\n\r\u2028\u2029]*|/\*.*?\*/)
      | (?P<string>"(?:[^"\\\n\r]++|\\(?:\r\n|.))*+"|'(?:[^'\\\n\r]++|\\(?:\r\n|.))*+')
      | (?P<number>[+-]?(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|Infinity|NaN))
      | (?P<name>(?:[^\W\d]|\$)[\w$]*)
      | (?P<punct>[{}\[\],:])
    """,
    re.VERBOSE | re.DOTALL,
)
#: JSON5 escapes beyond JSON's (a backslash before any other character stands for that character).
_ESCAPE = re.compile(r"\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|(\r\n|[\n\r\u2028\u2029])|(.))", re.DOTALL)
_SIMPLE = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "0": "\0"}
_LITERALS = frozenset({"true", "false", "null"})


def loads(text: str) -> Any:
    """The value of a JSON5 text; ``ValueError`` when it is not JSON5 (``RecursionError`` for
    absurdly deep nesting, as ``json.loads`` gives)."""
    return json.loads(to_json(text))


def to_json(text: str) -> str:
    """The JSON text with the same value as the JSON5 ``text``; ``ValueError`` when a token is
    not JSON5 (what is left, such as a misplaced identifier, ``json.loads`` then refuses)."""
    tokens: list[tuple[str, str]] = []
    at, end = 0, len(text)
    while at < end:
        match = _TOKEN.match(text, at)
        if match is None:
            raise ValueError(f"not JSON5 at character {at}")
        kind = match.lastgroup or ""
        if kind not in ("space", "comment"):
            tokens.append((kind, match.group()))
        at = match.end()
    out: list[str] = []
    for index, (kind, value) in enumerate(tokens):
        following = tokens[index + 1][1] if index + 1 < len(tokens) else ""
        if kind == "string":
            out.append(json.dumps(_unescape(value[1:-1])))
        elif kind == "number":
            out.append(_number(value))
        elif kind == "name":
            if following == ":":
                out.append(json.dumps(value))  # an unquoted key
            elif value in _LITERALS:
                out.append(value)
            else:
                raise ValueError(f"unexpected name {value[:40]!r}")
        elif value == "," and following in ("}", "]") and out and out[-1] not in ("[", "{", ","):
            continue  # a trailing comma (after an element: ``[,]`` stays wrong)
        else:
            out.append(value)
    return " ".join(out)


def _unescape(body: str) -> str:
    def one(match: re.Match[str]) -> str:
        hex2, hex4, line_break, char = match.groups()
        if hex2 or hex4:
            return chr(int(hex2 or hex4, 16))
        if line_break:
            return ""  # a line continuation
        return _SIMPLE.get(char, char)

    return _ESCAPE.sub(one, body) if "\\" in body else body


def _number(token: str) -> str:
    """A JSON5 number as JSON: no ``+``, no bare decimal point, hexadecimal in decimal. (Leading
    zeros, which neither allows, are dropped: a value is better read than refused over them.)"""
    sign = "-" if token.startswith("-") else ""
    digits = token.lstrip("+-")
    if digits in ("Infinity", "NaN"):
        return "NaN" if digits == "NaN" else sign + "Infinity"
    if digits[:2] in ("0x", "0X"):
        return sign + str(int(digits, 16))
    parts = _DECIMAL.fullmatch(digits)
    if parts is None:  # the token pattern admits nothing else
        raise ValueError(f"not a number: {token[:40]!r}")
    whole, fraction, exponent = parts.groups()
    return sign + (whole.lstrip("0") or "0") + (f".{fraction or 0}" if "." in digits else "") + (exponent or "")


_DECIMAL = re.compile(r"(\d*)(?:\.(\d*))?([eE][+-]?\d+)?")
