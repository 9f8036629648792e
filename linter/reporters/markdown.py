"""Markdown for pull-request comments and ``$GITHUB_STEP_SUMMARY``.

Layout: a headline with the score and level, the compliance record (when, commit, remote,
tool, configuration digest, waivers, baseline), what blocks the next level (each rule once,
with its scopes), the services with their kinds, a table per category, then each failing
rule inside a collapsible ``<details>``: its finding in every scope with evidence, the fix
and why it matters once, then the skipped files. The whole comment stays under GitHub's 65,536
character limit for a comment: sections that do not fit are left out and counted.

Every string that came from the scanned repository (messages, paths, evidence, scope and
service names, notes) goes through :func:`md` (Markdown context) or :func:`html_text`
(inside HTML tags): newlines become spaces, HTML is escaped, Markdown punctuation that could
start a link, emphasis, code span or table cell is backslash-escaped, and ``@`` is broken so
a CODEOWNERS team named in evidence is not pinged on every pull request.
"""

from __future__ import annotations

import html
import re
from typing import Any

from linter import inert
from linter.catalog import Catalog
from linter.reporters.facts import (RuleGroup, alike, baseline_counts, group_by_rule, kind_text, scope_names,
                                    waivers_text)
from linter.reporters.json_report import summary
from linter.results import CATEGORIES, Report, Result, Status
from linter.scoring import (MAX_LEVEL, Maturity, level_text, maturity, needs_text, repository_maturity,
                            scope_maturities, score_text)

#: GitHub rejects comments over 65,536 characters; keep a margin for the footer.
LIMIT = 65_000
MAX_FIELD = 600
MAX_EVIDENCE = 15
MAX_NOTES = 30
#: Scopes whose finding a failing rule's block lists; the rest are named only.
MAX_GROUP_FINDINGS = 50

STATUS_LABEL = {
    Status.PASS: "✅ pass", Status.FAIL: "❌ fail", Status.ERROR: "⚠️ error",
    Status.NOT_APPLICABLE: "➖ n/a", Status.WAIVED: "💤 waived", Status.SKIPPED: "⏭️ skipped",
}
#: Inline markup characters; repository strings never start a line, so block markers are inert.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~$])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ZERO_WIDTH = "&#8203;"
#: GitHub links ``#123`` and ``owner/repo#123`` to issues (and a comment that names one adds a
#: cross-reference to that issue's timeline): a zero-width space after ``#`` stops it, as after
#: ``@`` for mentions. Not in a character reference (``&#13;``, ours included).
_ISSUE_REFERENCE = re.compile(r"(?<!&)#(?=\d)")


def _unlinked(text: str) -> str:
    """No mention and no issue reference in ``text`` (already escaped)."""
    return _ISSUE_REFERENCE.sub("#" + _ZERO_WIDTH, text.replace("@", "@" + _ZERO_WIDTH))


def _flatten(text: str, limit: int = MAX_FIELD) -> str:
    """One line, no control characters (nor characters that reorder display), at most ``limit``
    characters."""
    text = _CONTROL.sub(" ", text.replace("\r\n", " ").replace("\n", " ").replace("\r", " "))
    text = inert.reveal(text)  # bidirectional overrides would reorder what the reader sees: \u202e
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def md(text: str, limit: int = MAX_FIELD) -> str:
    """A repository string made inert in Markdown (tables included)."""
    flat = _flatten(text, limit).replace("&", "&amp;")
    flat = _MD_SPECIAL.sub(r"\\\1", flat)
    return _unlinked(flat)


def html_text(text: str, limit: int = MAX_FIELD) -> str:
    """A repository string made inert inside an HTML element (``<summary>``)."""
    flat = inert.defuse_xml(html.escape(_flatten(text, limit), quote=True))  # no ##[ command for a log
    return _unlinked(flat).replace("|", "&#124;")


def _scope_label(result: Result) -> str:
    return "repository" if result.scope in ("", ".") else result.scope


def _score(score: int | None, repo: Maturity | None = None) -> str:
    """A score, or ``-`` and why there is none: nothing applies, or (for the repository, when a
    rule that applies was skipped) nothing was evaluated here."""
    if score is not None:
        return f"{score}/100"
    return f"{score_text(score)} ({'nothing evaluated here' if repo is not None and repo.unjudged else 'nothing applies'})"


def _level(level: int | None) -> str:
    return f"{level} of {MAX_LEVEL}" if level is not None else level_text(level)


def _record(report: Report) -> list[str]:
    """The compliance record: when, which commit of which remote, which tool, which settings."""
    record = report.record
    if report.commit and re.fullmatch(r"[0-9a-f]{7,64}", report.commit):
        commit = f" at `{report.commit[:12]}`"
    else:
        commit = f" at {md(report.commit, 80)}" if report.commit else " (commit not recorded)"
    parts = [f"Target {md(report.target_path, 300)}{commit}"]
    if record is not None:  # the clock is one of linter.record's own labels
        parts.insert(0, f"Made {record.generated_text} ({record.clock})")
        parts.append(f"remote {md(record.remote, 300) if record.remote else 'none'}")
    parts.append(f"practicelint {md(report.tool_version, 40)}")
    if record is not None:
        files = ", ".join(md(f, 200) for f in record.config_files) or "defaults"
        parts.append(f"configuration `{record.digest_short}` ({files})")
    parts.append(f"waivers: {waivers_text(report)}")
    if record is not None and record.baseline is not None:
        parts.append(f"baseline {md(record.baseline, 200)}")
    return [" · ".join(parts), ""]


def _blocker_text(group: RuleGroup) -> str:
    first = group.first
    scopes = ", ".join(md(_scope_label(r), 120) for r in group.results)
    return f"{md(first.rule_id, 20)} {md(first.name, 80)} ({scopes})"


def _headline(report: Report) -> list[str]:
    data = summary(report)
    repo = repository_maturity(report)
    lines = [f"## practicelint: {md(report.target_name, 200)} scores {_score(repo.score, repo)}, level {_level(repo.level)}",
             "", *_record(report)]
    if len(report.scopes) == 1 and report.scopes[0].path == ".":
        lines += [f"Kind: {md(kind_text(report.scopes[0]), 400)}", ""]
    failed = data["failed_by_severity"]
    by_sev = ", ".join(f"{n} {s}" for s, n in failed.items() if n)
    known = baseline_counts(report)
    baseline = f" · baseline: {known.text()}" if known is not None else ""
    lines.append(f"**{data['pass']} passed · {data['fail']} failed{f' ({by_sev})' if by_sev else ''} · "
                 f"{data['error']} could not be checked · {data['not_applicable']} not applicable · "
                 f"{data['waived']} waived"
                 + (f" · {data['skipped']} skipped (not evaluated here)" if data["skipped"] else "") + f"{baseline}**")
    lines.append("")
    if known is not None:
        lines += [f"Only the {known.new} new failures set the exit code; the {known.baselined} baselined ones are "
                  "known and recorded in the baseline.", ""]
    lines += _skipped_note(report)
    lines += _next_level(repo)
    return lines


def _next_level(repo: Maturity) -> list[str]:
    """What stands between the repository and its next level, or why nothing does."""
    if repo.blockers:
        names = ", ".join(_blocker_text(g) for g in group_by_rule(list(repo.blockers)))
        unjudged = sorted({r.rule_id for r in repo.unjudged})
        note = f" ({', '.join(unjudged)} not evaluated here)" if unjudged else ""
        return ["> [!IMPORTANT]", f"> Level {repo.next_level} needs these to pass: {names}{note}.", ""]
    if repo.level is None:
        return ["> [!NOTE]", "> No level: no rule was judged here (every one not applicable, waived or skipped).", ""]
    if repo.level < MAX_LEVEL:
        return ["> [!TIP]", f"> Every rule that applies passes; no rule above level {repo.level} applies to this "
                "repository, so no higher level can be claimed.", ""]
    return ["> [!TIP]", "> Every rule passes: this repository is at the top level.", ""]


def _skipped_note(report: Report) -> list[str]:
    """Results not evaluated in this checkout (no history in a shallow clone): said once, with
    the first one's reason and remedy, so a CI summary never hides that rules did not run."""
    skipped = [r for r in report.results if r.status is Status.SKIPPED]
    if not skipped:
        return []
    rules = ", ".join(sorted({r.rule_id for r in skipped}))
    return ["> [!NOTE]", f"> Not evaluated here, and not scored: {rules}. {md(skipped[0].message, 600)}", ""]


def _scopes_table(report: Report) -> list[str]:
    if len(report.scopes) <= 1 and all(s.path == "." for s in report.scopes):
        return []
    lines = ["### Services", "", "| Service | Path | Kind | Score | Level | Next level needs |",
             "| --- | --- | --- | ---: | ---: | --- |"]
    for scope, m in zip(report.scopes, scope_maturities(report)):
        lines.append(f"| {md(scope.name, 120)} | {md(scope.path, 200)} | {md(kind_text(scope), 300)} | "
                     f"{score_text(m.score)} | {level_text(m.level)} | {_needs_cell(m)} |")
    return lines + [""]


def _needs_cell(m: Maturity) -> str:
    if m.blockers:
        return needs_text(m, verb="")
    if m.level is None:
        return "nothing judged"
    return "nothing: top level" if m.level == MAX_LEVEL else "nothing: no higher level applies"


def _categories(report: Report) -> list[str]:
    present = {r.category for r in report.results}
    return [c for c in CATEGORIES if c in present] + sorted(present - set(CATEGORIES))


def _category_table(report: Report, category: str) -> list[str]:
    group = [r for r in report.results if r.category == category]
    score = maturity(group, category).score
    failing = sum(r.status in (Status.FAIL, Status.ERROR) for r in group)
    lines = [f"### {md(category, 60)}: {_score(score)}" + (f", {failing} failing" if failing else ""), "",
             "| Status | Rule | Scope | Severity | Finding |", "| --- | --- | --- | --- | --- |"]
    for r in group:
        lines.append(f"| {STATUS_LABEL[r.status]} | {md(r.rule_id, 20)} {md(r.name, 80)} | "
                     f"{md(_scope_label(r), 120)} | {r.severity.value} | {md(r.message, 300)} |")
    return lines + [""]


def _evidence(result: Result, indent: str = "") -> list[str]:
    lines = []
    for ev in result.evidence[:MAX_EVIDENCE]:
        detail = f": {md(ev.detail, 300)}" if ev.detail else ""
        lines.append(f"{indent}- {md(ev.location(), 300)}{detail}")
    if len(result.evidence) > MAX_EVIDENCE:
        lines.append(f"{indent}- … and {len(result.evidence) - MAX_EVIDENCE} more")
    return lines


def _details(group: RuleGroup, catalog: Catalog, names: dict[str, str]) -> list[str]:
    """One failing rule: its finding in each scope (with evidence), then the fix and why it
    matters once."""
    result = group.first
    where = (html_text(_scope_label(result), 120) if len(group.results) == 1
             else html_text(group.scope_count(), 40))
    title = (f"{STATUS_LABEL[result.status]} <b>{html_text(result.rule_id, 20)} {html_text(result.name, 80)}</b>"
             f" · {where} · {result.severity.value}")
    lines = ["<details>", f"<summary>{title}</summary>", ""]
    if len(group.results) == 1:
        lines += [f"**Finding.** {md(result.message, 2000)}", ""]
        if result.evidence:
            lines += ["**Evidence**", "", *_evidence(result), ""]
    else:
        lines += ["**Findings**", ""]
        runs = alike(group.results, names)
        for members in runs[:MAX_GROUP_FINDINGS]:
            first = members[0]
            lines.append(f"- **{md(_scope_label(first), 120)}**: {md(first.message, 2000)}")
            lines += _evidence(first, "  ")
            if len(members) > 1:
                lines.append("- " + ", ".join(f"**{md(_scope_label(r), 120)}**" for r in members[1:]) + ": likewise")
        rest = [r for members in runs[MAX_GROUP_FINDINGS:] for r in members]
        if rest:
            lines.append(f"- … and {len(rest)} more (see the JSON report): "
                         + ", ".join(md(_scope_label(r), 120) for r in rest))
        lines.append("")
    if result.status is Status.FAIL and result.remediation:
        lines += [f"**Fix.** {md(result.remediation, 2000)}", ""]
    practice = catalog.practices.get(result.practice_id)
    if practice is not None:
        lines += [f"**Why it matters.** {md(practice.why, 1000)} _({md(practice.title, 200)})_", ""]
    return lines + ["</details>", ""]


def _notes(report: Report) -> list[str]:
    if not report.notes:
        return []
    lines = ["<details>", f"<summary>Skipped files ({len(report.notes)})</summary>", ""]
    for note in report.notes[:MAX_NOTES]:
        lines.append(f"- {md(note.path, 300)}: {md(note.reason, 300)}")
    if len(report.notes) > MAX_NOTES:
        lines.append(f"- … and {len(report.notes) - MAX_NOTES} more (see the JSON or HTML report)")
    return lines + ["", "</details>", ""]


def render(report: Report, catalog: Catalog, *, limit: int = LIMIT, **_: Any) -> str:
    """The Markdown report; blocks that would push it past ``limit`` are left out and counted."""
    head = "\n".join(_headline(report) + _scopes_table(report))
    blocks: list[tuple[str, int]] = [("\n".join(_category_table(report, c)), 0) for c in _categories(report)]
    failing = [r for r in report.results if r.status in (Status.FAIL, Status.ERROR)]
    if failing:
        blocks.append(("### What to fix\n", 0))
        # the second element: how many failing results the block holds (0: not a failing block)
        names = scope_names(report)
        blocks += [("\n".join(_details(g, catalog, names)), len(g.results)) for g in group_by_rule(failing)]
    notes = _notes(report)
    if notes:
        blocks.append(("\n".join(notes), 0))
    out = [head]
    used = len(head)
    left_out_tables = left_out_details = 0
    reserve = 300  # room for the truncation footer
    for text, failing_results in blocks:
        if used + len(text) + 1 + reserve <= limit:
            out.append(text)
            used += len(text) + 1
        elif failing_results:
            left_out_details += failing_results
        else:
            left_out_tables += 1
    if left_out_tables or left_out_details:
        parts = []
        if left_out_tables:
            parts.append(f"{left_out_tables} sections")
        if left_out_details:
            parts.append(f"{left_out_details} failing results")
        out.append(f"_{' and '.join(parts)} left out to stay under GitHub's comment size limit; "
                   "the SARIF, JSON and HTML reports have everything._\n")
    text = "\n".join(out).rstrip("\n") + "\n"
    return text.encode("utf-8", "replace").decode("utf-8")
