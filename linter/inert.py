"""Strings from a scanned repository, made inert before a person or a CI log sees them.

A repository controls file names, YAML values, Markdown text and configuration values, and
they reach error messages, progress lines, previews and every report. Printed raw, they
could drive the terminal (ANSI and OSC escapes: colours, titles, hyperlinks, clearing the
screen) or the CI system reading the log: GitHub Actions obeys a line that starts with
``::command::`` (``::add-mask::``, ``::error``, ``::stop-commands::``), and Azure Pipelines a
``##vso[...]`` or ``##[...]`` logging command. Every writer uses this module:

* ``line``: one line for a terminal or log: line breaks and tabs become spaces; C0 and C1
  control characters, DEL, the Unicode line and paragraph separators and the bidirectional
  overrides (which can make text read differently from what it is) are shown as ``\\xNN`` or
  ``\\uNNNN``; a ``::`` that opens the string and every ``##[`` / ``##vso[`` are shown with
  their first character escaped, so no log reads them as a command.
* ``block``: the same for text that keeps its line breaks (a file ``fix`` would write),
  line by line; ``visible`` escapes controls and Azure commands but leaves line breaks to
  the caller (GitHub's own workflow commands percent-encode them).
* ``defuse_json`` and ``defuse_xml``: for machine formats that may be printed to a log, the
  same markers written with the format's own escapes (``\\u0023``, ``&#35;``, ``&#10;``), which
  a parser reads back as the very same characters: the data is unchanged.

The escapes are visible on purpose: a reader sees that something odd was in the repository.
"""

from __future__ import annotations

import re

#: Controls a terminal or a log could obey, and characters that reorder what is displayed.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_LINE_KEEPING_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
#: Azure Pipelines logging commands, wherever they sit in a line (case-insensitive, as the agent).
_AZURE_COMMAND = re.compile(r"##(?=\[|vso\[)", re.IGNORECASE)
#: What JSON leaves raw but a terminal obeys (DEL, C1 such as the 8-bit CSI U+009B) or shows out of
#: order (bidirectional overrides, line separators); inside a JSON string each can be ``\\uNNNN``.
_JSON_RAW = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
#: A GitHub Actions workflow command: ``::`` opening a line, after optional blanks.
_WORKFLOW_COMMAND = re.compile(r"^([ \t]*):(?=:)", re.MULTILINE)
#: A line break (``\\n``, or a ``\\r`` a log reader also ends a line at) before a workflow command.
_XML_LINE_BREAK_BEFORE_COMMAND = re.compile(r"[\r\n](?=[ \t]*::)")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def line(text: str) -> str:
    """``text`` as one inert line (see the module docstring)."""
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")
    return _defuse_commands(_CONTROL.sub(_escape, text))


def block(text: str) -> str:
    """``text`` made inert line by line, keeping its line breaks (``\\r`` ones become ``\\n``)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _defuse_commands(_CONTROL.sub(_escape, text))


def visible(text: str) -> str:
    """Controls other than line breaks and tabs shown as escapes, Azure commands defused; line
    breaks are left for the caller to encode."""
    return _AZURE_COMMAND.sub(r"\\x23#", _LINE_KEEPING_CONTROL.sub(_escape, text))


def reveal(text: str) -> str:
    """Controls other than line breaks and tabs, and the characters that reorder display
    (bidirectional overrides and isolates, line and paragraph separators), shown as escapes;
    nothing else changed. For human-facing documents (HTML, JUnit, Markdown): a character
    reference would give a browser or a test viewer the very character back."""
    return _LINE_KEEPING_CONTROL.sub(_escape, text)


def _defuse_commands(text: str) -> str:
    text = _AZURE_COMMAND.sub(r"\\x23#", text)
    return _WORKFLOW_COMMAND.sub(r"\1\\x3a", text)


def defuse_line_starts(text: str) -> str:
    """``text`` with no line opening with ``::`` (after blanks): for a report whose own lines
    never do, so that a repository string that wrapping carried to a line's start stays inert."""
    return _WORKFLOW_COMMAND.sub(r"\1\\x3a", text)


def defuse_json(serialized: str) -> str:
    """A JSON document with every ``##[``/``##vso[`` written ``#\\u0023[``, and DEL, the C1
    controls and the characters that reorder display as ``\\uNNNN``: the same data for a parser,
    no command for a log or a terminal. (JSON escapes line breaks and the C0 controls inside
    strings already, so no string can start a line of its own.)"""
    serialized = _AZURE_COMMAND.sub(r"#\\u0023", serialized)
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", serialized)


def defuse_xml(serialized: str) -> str:
    """XML or HTML text that can no longer start a log line with ``::`` nor hold a ``##[``: the
    line break before such a line becomes ``&#10;`` and the first ``#`` ``&#35;``, character
    references a parser reads back as the same characters. For a whole document only when its
    own markup has neither shape (JUnit; not HTML with CSS, where ``::before`` is real): the
    HTML report applies it to each repository value instead. A lone carriage return counts as
    a line break: the Actions runner and the Azure agent read a log line by line the way .NET's
    ``ReadLine`` does, which ends a line at ``\\r`` too."""
    serialized = _AZURE_COMMAND.sub("&#35;#", serialized)
    return _XML_LINE_BREAK_BEFORE_COMMAND.sub(lambda m: f"&#{ord(m.group())};", serialized)
