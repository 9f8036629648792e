"""The terminal report: failures first, grouped by category, then by rule, with evidence and
the fix.

A rule that fails in several scopes is said once: its scopes' findings under it, its fix
once (a monorepo of 30 services otherwise repeats the same paragraph 30 times). The header
carries the compliance record on one line and each scope's kind; ``--summary`` replaces the
results with one line per rule (its counts by status across scopes), in the spirit of
ruff's ``--statistics``.

Colour is used only when the caller says the stream is a terminal and ``NO_COLOR`` is
unset. Every string that came from the scanned repository goes through ``clean`` so a
hostile file name or message cannot move the cursor or rewrite the terminal.
"""

from __future__ import annotations

import textwrap
from typing import Any

from linter import inert, kinds
from linter.catalog import Catalog
from linter.reporters.facts import (RuleGroup, alike, baseline_counts, group_by_rule, kind_text, scope_names,
                                    waivers_text)
from linter.results import CATEGORIES, Report, Result, Status, counted
from linter.scoring import Maturity, level_text, needs_text, repository_maturity, scope_maturities, score_text

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


def _result_header(result: Result, paint: _Painter, *, scope: bool = True) -> str:
    where = "" if result.scope == "." or not scope else f" [{clean(result.scope)}]"
    mark = paint(_MARK[result.status], _STATUS_STYLE[result.status])
    known = " (in baseline)" if result.baselined and scope else ""
    return f"  {mark} {paint(result.rule_id, 'bold')} {result.name} ({result.severity.value}){where}{known}"


def _evidence(result: Result, indent: str) -> list[str]:
    out = []
    for ev in result.evidence[:10]:
        detail = f"  {ev.detail}" if ev.detail else ""
        out.append(f"{indent}→ {clean(ev.location())}{clean(detail)}")
    if len(result.evidence) > 10:
        out.append(f"{indent}→ … and {len(result.evidence) - 10} more")
    return out


def _scope_label(result: Result) -> str:
    return result.scope + (" (in baseline)" if result.baselined else "")


def _group(group: RuleGroup, paint: _Painter, names: dict[str, str], *, details: bool, tag: str = "") -> list[str]:
    """One rule's results of one status: the rule once (with ``tag``: the level it stands in
    front of), then each scope's finding (with its evidence when ``details``; scopes whose
    finding is the same sentence but for their own name share one line, ``likewise``), then
    the fix once."""
    first = group.first
    tag = paint(tag, "bold") if tag else ""
    if len(group.results) == 1:
        out = [_result_header(first, paint) + tag]
        out.extend(_wrap(first.message, "      "))
        if details:
            out.extend(_evidence(first, "      "))
    else:
        out = [_result_header(first, paint, scope=False) + f" · {group.scope_count()}" + tag]
        for members in alike(group.results, names):
            out.extend(_wrap(f"[{_scope_label(members[0])}] {members[0].message}", "      "))
            if details:
                out.extend(_evidence(members[0], "        "))
            if len(members) > 1:
                out.extend(_wrap("[" + ", ".join(_scope_label(r) for r in members[1:]) + "] likewise", "      "))
    if details and group.status is Status.FAIL:
        out.extend(_wrap("fix: " + first.remediation, "      "))
    return out


def _outside_their_kinds(results: list[Result]) -> tuple[list[tuple[str, list[Result]]], list[Result]]:
    """Not-applicable results that say the same thing about one scope (its kind, and why),
    grouped by that sentence when two or more share it; the rest as they were. A tool or a
    library is outside twenty rules' kinds: the sentence is said once, not twenty times."""
    by_reason: dict[tuple[str, str], list[Result]] = {}
    for result in results:
        reason = kinds.kind_reason_of(result.message, result.name) if result.status is Status.NOT_APPLICABLE else None
        if reason is not None:
            by_reason.setdefault((result.scope, reason), []).append(result)
    grouped = [(reason, members) for (_, reason), members in by_reason.items() if len(members) > 1]
    taken = {id(r) for _, members in grouped for r in members}
    return grouped, [r for r in results if id(r) not in taken]


def _outside_group(reason: str, results: list[Result], paint: _Painter) -> list[str]:
    """One line for the rules a scope's kind leaves out, then why, once."""
    mark = paint(_MARK[Status.NOT_APPLICABLE], _STATUS_STYLE[Status.NOT_APPLICABLE])
    scope = "" if results[0].scope == "." else f" [{clean(results[0].scope)}]"
    out = [f"  {mark} {counted(len(results), 'rule')} not judged for this kind{scope}:"]
    out.extend(_wrap(", ".join(r.rule_id for r in results), "      "))
    out.extend(_wrap(f"{reason}; each of these rules judges other kinds (the JSON report says which); set "
                     "`kind:` in .practicelint.yaml if that is wrong", "      "))
    return out


def _header(report: Report, paint: _Painter) -> list[str]:
    """Who and what: the tool, the target and commit, the record on one line, the scopes and
    their kinds."""
    commit = f" @ {report.commit[:12]}" if report.commit else ""
    out = [paint(f"practicelint {report.tool_version}", "bold") + f" · {clean(report.target_path)}{commit}"]
    record = report.record
    if record is not None:
        parts = [f"made {record.generated_text} ({record.clock})", f"remote {clean(record.remote or 'none')}",
                 f"config {record.digest_short}", f"waivers {waivers_text(report)}"]
        if record.baseline is not None:
            parts.append(f"baseline {clean(record.baseline)}")
        out.append("record: " + " · ".join(parts))
    if len(report.scopes) == 1 and report.scopes[0].path == ".":
        out.append(f"kind: {clean(kind_text(report.scopes[0]))}")
        return out
    # scopes are services unless their kinds say otherwise (a monorepo's libraries, tools...)
    noun = "service" if all(s.kind in ("service", "website", "unknown") for s in report.scopes) else "scope"
    out.append(f"{counted(len(report.scopes), noun)}:")
    for scope, m in zip(report.scopes, scope_maturities(report)):
        out.append(f"  {clean(scope.name)} ({clean(scope.path)}): {clean(kind_text(scope))}; "
                   f"score {score_text(m.score)}, level {level_text(m.level)}")
    return out


def _statistics(report: Report) -> list[str]:
    """``--summary``: one line per rule, its results counted by status across scopes, the rules
    with the most failures first."""
    rows: dict[str, dict[str, int]] = {}
    names: dict[str, tuple[str, str]] = {}
    for result in report.results:
        counts = rows.setdefault(result.rule_id, {status.value: 0 for status in Status})
        counts[result.status.value] += 1
        names.setdefault(result.rule_id, (result.name, result.severity.value))
    order = sorted(rows, key=lambda rule: (-(rows[rule]["fail"] + rows[rule]["error"]), rule))
    width = max([len(rule) for rule in order] + [4])
    out = [f"  {'rule':<{width}}  {'severity':<8} {'fail':>5} {'error':>5} {'pass':>5} {'waived':>6} {'n/a':>5}  name"]
    for rule in order:
        c = rows[rule]
        name, severity = names[rule]
        out.append(f"  {clean(rule):<{width}}  {severity:<8} {c['fail']:>5} {c['error']:>5} {c['pass']:>5} "
                   f"{c['waived']:>6} {c['not_applicable']:>5}  {clean(name)}")
    return out


def render(report: Report, catalog: Catalog, *, color: bool = False, summary: bool = False, **_: Any) -> str:
    """The terminal report; ``summary`` (``--summary``) prints one line per rule instead of the
    results."""
    paint = _Painter(color)
    out = _header(report, paint)
    if summary:
        out.append("")
        out.append(paint("RULES", "bold"))
        out.extend(_statistics(report))
        return "\n".join(out + _footer(report, paint)) + "\n"
    problems = [r for r in report.results if r.status in (Status.FAIL, Status.ERROR)]
    others = [r for r in report.results if r.status not in (Status.FAIL, Status.ERROR)]
    names = scope_names(report)

    repo = repository_maturity(report)
    blocking = {r.rule_id for r in repo.blockers}
    for category in CATEGORIES:
        group = [r for r in problems if r.category == category]
        if not group:
            continue
        out.append("")
        out.append(paint(category.upper(), "bold"))
        for rule_group in group_by_rule(group):
            tag = f" · blocks level {repo.next_level}" if rule_group.first.rule_id in blocking else ""
            out.extend(_group(rule_group, paint, names, details=True, tag=tag))

    if others:
        out.append("")
        title = ("PASSED, NOT APPLICABLE, WAIVED AND SKIPPED" if any(r.status is Status.SKIPPED for r in others)
                 else "PASSED, NOT APPLICABLE AND WAIVED")
        out.append(paint(title, "bold"))
        outside, others = _outside_their_kinds(others)
        for rule_group in group_by_rule(others):
            out.extend(_group(rule_group, paint, names, details=False))
        for reason, results in outside:
            out.extend(_outside_group(reason, results, paint))

    if report.waivers:
        out.append("")
        out.append(paint("WAIVERS", "bold"))
        for use in report.waivers:
            w = use.waiver
            where = f" [{clean(w.scope)}]" if w.scope else (f" [{clean(', '.join(w.paths))}]" if w.paths else "")
            state = {"active": paint("active", "cyan"), "expired": paint("EXPIRED", "red"),
                     "stale": paint("stale: matches no failure, remove it", "yellow")}[use.state]
            out.append(f"  {w.rule}{where} until {w.expires.isoformat()}, {clean(w.owner)}: {clean(w.reason)} ({state})")

    if report.notes:
        out.append("")
        out.append(paint(f"NOTES ({len(report.notes)})", "bold"))
        for note in report.notes[:50]:
            out.append(f"  {clean(note.path)}: {clean(note.reason)}")
        if len(report.notes) > 50:
            out.append(f"  … and {len(report.notes) - 50} more (see the JSON report)")
    return "\n".join(out + _footer(report, paint)) + "\n"


def _why_none(repo: Maturity) -> str:
    """Why there is no score: nothing applies, or what applies was not evaluated here."""
    return "nothing evaluated here" if repo.unjudged else "nothing applies"


def _footer(report: Report, paint: _Painter) -> list[str]:
    """The counts, the baseline's three numbers when one is in use, the score and the level."""
    out = [""]
    counts = report.counts()
    failed = [r for r in report.results if r.status is Status.FAIL]
    by_sev = {s: sum(1 for r in failed if r.severity.value == s) for s in ("error", "warning", "info")}
    sev_text = ", ".join(f"{n} {s}" for s, n in by_sev.items() if n)
    rules = len({r.rule_id for r in report.results})
    summary = (f"{counted(rules, 'rule')}, {counted(len(report.results), 'result')}: {counts['pass']} passed, "
               f"{counts['fail']} failed" + (f" ({sev_text})" if sev_text else "")
               + f", {counts['not_applicable']} not applicable, {counts['waived']} waived, "
               f"{counts['error']} errors"
               + (f", {counts['skipped']} skipped (not evaluated here)" if counts["skipped"] else ""))
    out.append(paint(summary, "red" if counts["fail"] or counts["error"] else "green"))
    known = baseline_counts(report)
    if known is not None:
        line = f"baseline: {known.text()}: only new failures set the exit code"
        if known.fixed:
            line += "; run `practicelint baseline update` to drop the fixed ones"
        out.append(line)
    repo = repository_maturity(report)
    level = f"score {score_text(repo.score)}" + ("/100" if repo.score is not None else f" ({_why_none(repo)})")
    level += f", level {level_text(repo.level)}"
    if repo.blockers:
        level += f"; level {repo.next_level} needs {needs_text(repo)}"
    out.append(level)
    return out
