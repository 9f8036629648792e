"""A single self-contained HTML report: for people, and for forwarding to people.

The page carries its own CSS, a per-category chart as inline SVG and a small inline script
for the filters and the sortable services table. Nothing is fetched: a
Content-Security-Policy ``<meta>`` forbids every network load (``default-src 'none'``) and
allows exactly one script, by its sha256 hash, so even a ``<script>`` smuggled past escaping
would not run. Without JavaScript the filter controls stay hidden and the table keeps its
worst-first order; printed, everything is expanded.

Layout: the compliance record in the masthead; the score, level and what blocks the next
level (each rule once, with its scopes); for a monorepo the services table (worst first,
sortable) before anything long; the categories; the result cards, by category for one
scope, else repository-wide first and then one collapsed ``<details>`` per service; an
appendix explaining each rule once (what it checks, why, what counts, how to fix, the
practice), which the cards link to instead of repeating it; waivers; skipped files.

What the page shows is computed in ``linter.reporters.html_context``. Rendering uses jinja2
with autoescaping on for every template (HTML, attributes and inline SVG alike); repository
strings are never marked safe. This module imports jinja2 itself so
the other formats never pay for it.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from importlib import resources
from typing import Any

from markupsafe import Markup, escape

from linter import inert
from linter.catalog import Catalog
from linter.reporters.html_context import build_context
from linter.results import Report

#: Longest repository string shown in full; the JSON report keeps everything.
MAX_TEXT = 5000


def visible(value: Any) -> Any:
    """jinja2 ``finalize``: a repository string escaped for HTML, its control characters and the
    characters that reorder display (bidirectional overrides) shown as ``\\xNN`` / ``\\uNNNN``, long text cut, and nothing a CI log would obey if the page were printed there
    (``linter.inert.defuse_xml``: character references that display the same).

    Runs on every ``{{ }}`` value; our own markup (the script, ``Markup`` values) passes as is.
    """
    if not isinstance(value, str) or hasattr(value, "__html__"):
        return value
    text = inert.reveal(value)
    text = text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"
    return Markup(inert.defuse_xml(str(escape(text))))


def code_spans(value: Any) -> Any:
    """jinja2 filter ``code_spans``: text whose Markdown code spans (`` `like this` ``, any run of
    backticks closed by a run of the same length, as CommonMark reads them) become ``<code>``
    elements; every other character is shown as ``visible`` shows it, and a backtick without
    its closing run stays a backtick. Rule texts write commands and file names that way; a
    rule pack's texts may come from the scanned repository, so nothing else becomes markup.
    """
    if not isinstance(value, str) or hasattr(value, "__html__"):
        return value
    text = value if len(value) <= MAX_TEXT else value[: MAX_TEXT - 1] + "…"
    runs = _backtick_runs(text)
    next_same = [-1] * len(runs)  # the next run of the same length: one pass from the end (linear)
    last: dict[int, int] = {}
    for j in range(len(runs) - 1, -1, -1):
        next_same[j] = last.get(runs[j][1], -1)
        last[runs[j][1]] = j
    out: list[Any] = []
    plain = 0
    index = 0
    while index < len(runs):
        start, length = runs[index]
        close = next_same[index]
        if close < 0:
            index += 1  # no closing run of the same length: these backticks are literal
            continue
        code = text[start + length:runs[close][0]].replace("\n", " ")
        if len(code) >= 2 and code[0] == code[-1] == " " and code.strip():
            code = code[1:-1]
        out += [visible(text[plain:start]), Markup("<code>"), visible(code), Markup("</code>")]
        plain = runs[close][0] + length
        index = close + 1
    out.append(visible(text[plain:]))
    return Markup("").join(out)


def _backtick_runs(text: str) -> list[tuple[int, int]]:
    """(start, length) of every run of backticks, in order."""
    runs: list[tuple[int, int]] = []
    i = text.find("`")
    while i >= 0:
        end = i
        while end < len(text) and text[end] == "`":
            end += 1
        runs.append((i, end - i))
        i = text.find("`", end)
    return runs


@lru_cache(maxsize=1)
def _script() -> str:
    return (resources.files("linter.reporters") / "templates" / "report.js").read_text(encoding="utf-8")


def script_hash(script: str) -> str:
    """The CSP source allowing exactly this inline script."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


@lru_cache(maxsize=1)
def _environment() -> Any:
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("linter.reporters", "templates"),
        autoescape=True,  # every template, whatever its extension
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=visible,
    )
    environment.filters["code_spans"] = code_spans
    return environment


def render(report: Report, catalog: Catalog, **_: Any) -> str:
    from markupsafe import Markup

    script = _script()
    context = build_context(report, catalog)
    context["script"] = Markup(script)  # our own static file, never repository content
    context["csp"] = (f"default-src 'none'; style-src 'unsafe-inline'; script-src '{script_hash(script)}'; "
                      "img-src 'none'; connect-src 'none'; font-src 'none'; base-uri 'none'; form-action 'none'")
    text = _environment().get_template("report.html.j2").render(context)
    return text.encode("utf-8", "replace").decode("utf-8")
