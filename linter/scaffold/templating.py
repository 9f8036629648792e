"""Jinja2 rendering for scaffolded files, with filters that keep repository strings inert.

Templates are Markdown, YAML and plain text, so HTML autoescaping is off; instead every
string that comes from the repository (service names, folders, team names, remote paths) is
passed through a filter made for where it lands:

* ``yaml_str``: a quoted YAML scalar (``a: b``, quotes, ``#``, newlines, ``*`` stay text);
* ``promql_str``: the inside of a PromQL double-quoted label value;
* ``md``: one line of Markdown text (no newlines, Markdown punctuation escaped);
* ``yaml_comment``: text safe inside a ``#`` comment (one line).

``StrictUndefined`` turns a missing variable into an error in tests instead of an empty hole.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from typing import Any

import jinja2

from linter import placeholders

#: Characters YAML treats as line breaks or that are not printable: always escaped.
_YAML_UNSAFE = {"\u0085", "\u2028", "\u2029", "\ufeff"}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!~])")
_WHITESPACE = re.compile(r"\s+")


def yaml_str(value: Any) -> str:
    """A quoted YAML scalar for ``value``: single quotes when every character is printable
    (only ``'`` needs doubling there, so PromQL stays readable), else double quotes with
    escapes (JSON's string escapes are valid YAML)."""
    text = str(value)
    if not any(_needs_escape(ch) for ch in text):
        return "'" + text.replace("'", "''") + "'"
    return _double_quoted(text)


def _needs_escape(ch: str) -> bool:
    return ch in _YAML_UNSAFE or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")


def _double_quoted(value: str) -> str:
    text = json.dumps(value, ensure_ascii=False)
    out = []
    for ch in text:
        if _needs_escape(ch):
            out.append(f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}")
        else:
            out.append(ch)
    return "".join(out)


def promql_str(value: Any) -> str:
    """``value`` escaped for a PromQL double-quoted string (the quotes are the template's)."""
    return one_line(value).replace("\\", "\\\\").replace('"', '\\"')


def one_line(value: Any) -> str:
    """Collapse whitespace (including newlines) so a value cannot start a new line."""
    return _WHITESPACE.sub(" ", str(value)).strip()


def md(value: Any) -> str:
    """One line of Markdown text showing ``value`` literally."""
    return _MD_SPECIAL.sub(r"\\\1", one_line(value))


def yaml_comment(value: Any) -> str:
    """Text that stays inside a single ``#`` comment line (YAML rejects control characters
    even in comments, so they are dropped)."""
    return "".join(ch for ch in one_line(value) if not _needs_escape(ch))


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("linter.scaffold", "templates"),
        autoescape=False,  # Markdown and YAML, not HTML: strings are escaped per format by filters
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(yaml_str=yaml_str, promql_str=promql_str, md=md, yaml_comment=yaml_comment,
                       one_line=one_line, pad=lambda text, width: str(text).ljust(width))
    # the one prompt token every scaffold writes (``linter.placeholders``): what is left of it fails
    env.globals["TODO"] = placeholders.MARK
    return env


def render(template: str, **values: Any) -> str:
    """Render ``templates/<template>`` with ``values``."""
    return environment().get_template(template).render(**values)
