"""The terminal report: failures first, grouped by category, with evidence and the fix.

Colour is used only when the caller says the stream is a terminal and ``NO_COLOR`` is
unset. Every string that came from the scanned repository goes through ``clean`` so a
hostile file name or message cannot move the cursor or rewrite the terminal.
"""

from __future__ import annotations

import textwrap
from typing import Any

from linter import inert
from linter.catalog import Catalog
from linter.results import CATEGORIES, Report, Result, Status, counted
from linter.scoring import repository_maturity

#: how textwrap cuts a word into pieces it may break between ("catalog-" "info.yaml")
_WORD_PIECES = textwrap.TextWrapper.wordsep_re
_STYLES = {"red": "31", "green": "32", "yellow": "33", "dim": "2", "bold": "1", "cyan": "36"}
_MARK = {Status.PASS: "✓", Status.FAIL: "✗", Status.NOT_APPLICABLE: "-", Status.WAIVED: "~", Status.ERROR: "!",
         Status.SKIPPED: "?"}
_STATUS_STYLE = {Status.PASS: "green", Status.FAIL: "red", Status.NOT_APPLICABLE: "dim",
                 Status.WAIVED: "cyan", Status.ERROR: "yellow", Status.SKIPPED: "dim"}


def clean(text: str) -> str:
    """A repository string as one inert line (``linter.inert.line``): no terminal escape, no CI
    log command."""
    return inert.line(text)


class _Painter:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, style: str) -> str:
        return f"\x1b[{_STYLES[style]}m{text}\x1b[0m" if self.enabled else text


WIDTH = 100


def _wrap(text: str, indent: str) -> list[str]:
    """``text`` cleaned and wrapped to ``WIDTH`` columns, every line indented: exactly what
    ``textwrap.wrap`` gives, which it still computes when a word is wider than a line, spaces run
    together or the text holds other Unicode spaces. Otherwise a greedy fill does it, with
    textwrap's own chunking of a hyphenated word that crosses the line's end: a check report wraps thousands of messages, and textwrap's chunking cost
    a noticeable share of a report of thousands of results (benchmarks/README.md)."""
    text = clean(text)
    lines = _fill(text, indent)
    if lines is None:
        lines = textwrap.wrap(text, width=WIDTH, initial_indent=indent, subsequent_indent=indent)
    return lines or [indent]


def _fill(text: str, indent: str) -> list[str] | None:
    """The greedy fill of ``text`` (after ``clean``, only ``' '`` separates words in printable
    text), or ``None`` when textwrap's own rules could differ from it (see ``_wrap``)."""
    if not text.isprintable():  # other Unicode spaces: textwrap drops them at line ends
        return None
    room = WIDTH - len(indent)
    if text[:1] == " " or text[-1:] == " " or "  " in text:  # textwrap keeps or drops these by rules
        return None
    lines: list[str] = []
    start = 0
    while len(text) - start > room:
        cut = text.rfind(" ", start, start + room + 1)  # the last space that leaves the line fitting
        if cut == -1:
            return None  # a word wider than the line: textwrap splits it
        following = text.find(" ", cut + 1)
        pushed = text[cut + 1:following if following != -1 else len(text)]
        if len(pushed) > room:  # a word wider than a line: textwrap splits it anywhere
            return None
        if "-" in pushed:  # textwrap moves only the part after the last hyphen break that fits
            taken = cut + 1
            for chunk in _WORD_PIECES.findall(pushed):
                if taken + len(chunk) - start > room:
                    break
                taken += len(chunk)
            if taken > cut + 1:
                lines.append(indent + text[start:taken])
                start = taken
                continue
        lines.append(indent + text[start:cut])
        start = cut + 1
    if start < len(text):
        lines.append(indent + text[start:])
    return lines


def _result_header(result: Result, paint: _Painter) -> str:
    scope = "" if result.scope == "." else f" [{clean(result.scope)}]"
    mark = paint(_MARK[result.status], _STATUS_STYLE[result.status])
    known = " (in baseline)" if result.baselined else ""
    return f"  {mark} {paint(result.rule_id, 'bold')} {result.name} ({result.severity.value}){scope}{known}"


def render(report: Report, catalog: Catalog, *, color: bool = False, **_: Any) -> str:
    paint = _Painter(color)
    out: list[str] = []
    commit = f" @ {report.commit[:12]}" if report.commit else ""
    out.append(paint(f"practicelint {report.tool_version}", "bold") + f" · {clean(report.target_path)}{commit}")
    if len(report.scopes) > 1 or report.scopes[0].path != ".":
        names = ", ".join(f"{clean(s.name)} ({clean(s.path)})" for s in report.scopes)
        out.append(f"services: {names}")
    problems = [r for r in report.results if r.status in (Status.FAIL, Status.ERROR)]
    others = [r for r in report.results if r.status not in (Status.FAIL, Status.ERROR)]

    for category in CATEGORIES:
        group = [r for r in problems if r.category == category]
        if not group:
            continue
        out.append("")
        out.append(paint(category.upper(), "bold"))
        for result in group:
            out.append(_result_header(result, paint))
            out.extend(_wrap(result.message, "      "))
            for ev in result.evidence[:10]:
                detail = f"  {ev.detail}" if ev.detail else ""
                out.append(f"      → {clean(ev.location())}{clean(detail)}")
            if len(result.evidence) > 10:
                out.append(f"      → … and {len(result.evidence) - 10} more")
            if result.status is Status.FAIL:
                out.extend(_wrap("fix: " + result.remediation, "      "))

    if others:
        out.append("")
        title = ("PASSED, NOT APPLICABLE, WAIVED AND SKIPPED" if any(r.status is Status.SKIPPED for r in others)
                 else "PASSED, NOT APPLICABLE AND WAIVED")
        out.append(paint(title, "bold"))
        for result in others:
            out.append(_result_header(result, paint))
            out.extend(_wrap(result.message, "      "))

    if report.waivers:
        out.append("")
        out.append(paint("WAIVERS", "bold"))
        for use in report.waivers:
            w = use.waiver
            where = f" [{clean(w.scope)}]" if w.scope else (f" [{clean(', '.join(w.paths))}]" if w.paths else "")
            state = {"active": paint("active", "cyan"), "expired": paint("EXPIRED", "red"),
                     "stale": paint("stale: matches no failure, remove it", "yellow")}[use.state]
            out.append(f"  {w.rule}{where} until {w.expires.isoformat()}, {clean(w.owner)}: {clean(w.reason)} ({state})")

    baselined = sum(1 for r in report.results if r.baselined)
    if baselined or report.baseline_fixed:
        out.append("")
        out.append(f"baseline: {baselined} known failures do not fail the run; "
                   f"{len(report.baseline_fixed)} baseline entries now pass"
                   + ("; run `practicelint baseline update` to drop them" if report.baseline_fixed else ""))

    if report.notes:
        out.append("")
        out.append(paint(f"NOTES ({len(report.notes)})", "bold"))
        for note in report.notes[:50]:
            out.append(f"  {clean(note.path)}: {clean(note.reason)}")
        if len(report.notes) > 50:
            out.append(f"  … and {len(report.notes) - 50} more (see the JSON report)")

    counts = report.counts()
    failed = [r for r in report.results if r.status is Status.FAIL]
    by_sev = {s: sum(1 for r in failed if r.severity.value == s) for s in ("error", "warning", "info")}
    sev_text = ", ".join(f"{n} {s}" for s, n in by_sev.items() if n)
    rules = len({r.rule_id for r in report.results})
    out.append("")
    summary = (f"{counted(rules, 'rule')}, {counted(len(report.results), 'result')}: {counts['pass']} passed, "
               f"{counts['fail']} failed" + (f" ({sev_text})" if sev_text else "")
               + f", {counts['not_applicable']} not applicable, {counts['waived']} waived, "
               f"{counts['error']} errors"
               + (f", {counts['skipped']} skipped (not evaluated here)" if counts["skipped"] else ""))
    out.append(paint(summary, "red" if counts["fail"] or counts["error"] else "green"))
    repo = repository_maturity(report)
    level = f"score {repo.score}/100, level {repo.level}"
    if repo.blockers:
        names = ", ".join(sorted({r.rule_id for r in repo.blockers}))
        level += f"; level {repo.level + 1} needs {names} to pass"
    out.append(level)
    return "\n".join(out) + "\n"
