"""The HCL tokenizer behind ``linter.detectors.hcl`` (Terraform files are never executed).

Strings (escapes and ``${}`` interpolation kept as text) and heredocs are single tokens;
comments (``#``, ``//``, ``/* */``) are dropped here, so a commented-out resource never
reaches a detector. Bounded: at most ``MAX_TOKENS`` tokens per file.
"""

from __future__ import annotations

from linter.fast_dataclass import dataclass

MAX_TOKENS = 200_000
MAX_DEPTH = 40


@dataclass(frozen=True)
class Token:
    kind: str  # ident | string | number | punct | newline | other
    text: str
    line: int


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
