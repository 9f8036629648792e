"""The org summary as Markdown: for a wiki page, a PR comment or a CI job summary.

It must fit GitHub's job summary, which takes at most 1 MiB per step
(``$GITHUB_STEP_SUMMARY``): it lists the ``top`` worst repositories (not all of them),
rollups per team and per kind, the rules with the lowest pass rates, and a link to the full
report; every cell is capped, and the whole stays under ``MAX_BYTES`` whatever the
repositories are called (rows that would pass the budget are counted, not printed).
"""

from __future__ import annotations

from typing import Any, Iterable, TextIO

from linter.audit.aggregate import EXPIRING_DAYS, expiring_horizon, is_expiring
from linter.audit.merge import describe
from linter.audit.rows import kind_label
from linter.audit.timefmt import human_time
from linter.reporters.markdown import md
from linter.results import counted

MAX_TOP = 10
MAX_GROUPS = 20
MAX_RULES = 15
MAX_CELL = 200
MAX_WAIVERS = 20
MAX_ERRORS = 20
#: GitHub's limit is 1 MiB per step summary; leave room for what else a step appends.
MAX_BYTES = 900_000
_RESERVE = 2_500


def _cell(value: Any) -> str:
    """A table cell: repository names, owners and errors come from repositories, so they are
    escaped as the check report escapes them (``linter.reporters.markdown.md``): no link, image,
    mention, raw HTML or code span renders, and ``|`` cannot split the row. Long values are cut."""
    if value is None or value == "":
        return "–"
    text = str(value)
    if len(text) > MAX_CELL:
        text = text[: MAX_CELL - 1] + "…"
    return md(text)


def _repos(number: int) -> str:
    return counted(number, "repository", "repositories")


def _safe_url(url: str | None) -> str | None:
    """The report link: an http(s) URL given on the command line, with nothing that could
    close the Markdown link early."""
    if not url or not url.lower().startswith(("https://", "http://")) or len(url) > 2000:
        return None
    if any(c in url for c in " \t\r\n<>()[]`\"'") or any(ord(c) < 0x20 for c in url):
        return None
    return url


class _Budget:
    def __init__(self, out: TextIO, limit: int) -> None:
        self.out, self.left = out, limit

    def write(self, text: str) -> bool:
        size = len(text.encode("utf-8"))
        if size > self.left:
            return False
        self.out.write(text)
        self.left -= size
        return True


def write_markdown(out: TextIO, header: dict[str, Any], summary: dict[str, Any], rows: Iterable[dict[str, Any]],
                   top: int = 50, report_url: str | None = None, limit: int = MAX_BYTES) -> None:
    """Write the summary; ``rows`` come worst first (``RowSpool.rows(order="worst")``)."""
    budget = _Budget(out, limit - _RESERVE)
    w = budget.write
    categories = list(summary.get("categories") or {})
    waivers = summary.get("waivers") or {}
    w("# Engineering practices across the organisation\n\n")
    completion = header.get("completion") if isinstance(header.get("completion"), dict) else None
    if completion and completion.get("partial"):
        w(f"> **Partial audit** ({md(describe(completion))}): the figures below cover only the shards present.\n\n")
    w(f"Audit started {_cell(human_time(header.get('started_at')))}: {_repos(summary.get('repos', 0))}, "
      f"{summary.get('audited', 0)} audited, {summary.get('errors', 0)} could not be audited, "
      f"mean score {_cell(summary.get('mean_score'))}. Waivers: {waivers.get('active', 0)} active "
      f"({waivers.get('expiring', 0)} expiring within {EXPIRING_DAYS} days), {waivers.get('expired', 0)} expired, "
      f"{waivers.get('stale', 0)} stale.\n\n")
    link = _safe_url(report_url)
    if link:
        w(f"Full report: [{md(link)}]({link})\n\n")
    w("## Level distribution\n\n| Level | Repositories |\n|---|---|\n")
    for level, count in sorted((summary.get("levels") or {}).items()):
        w(f"| {level} | {count} |\n")
    if summary.get("no_level"):  # nothing judged: neither a 0 nor a 3, so a row of its own
        w(f"| – (nothing judged) | {summary['no_level']} |\n")
    _errors(w, summary.get("error_list") or [], int(summary.get("errors") or 0))
    _groups(w, "By team (lowest mean score first)", "Team", summary.get("by_team") or [], "team")
    _groups(w, "By kind", "Kind", summary.get("by_kind") or [], "kind")
    where = (summary.get("where_to_act") or [])[:MAX_TOP]
    if where:
        w("\n## Where to act first\n\nThe rules standing in front of the most repositories' next level; fixing a "
          "rule where it stands alone lifts that repository a level.\n\n"
          "| Rule | Alone in front of the next level | Among the rules in front of it |\n|---|---|---|\n")
        for r in where:
            w(f"| {_cell(r.get('rule_id'))} {_cell(r.get('name'))} | {r.get('alone')} | {r.get('blocked')} |\n")
    rules = [r for r in summary.get("rules") or [] if r.get("denominator")][:MAX_RULES]
    if rules:
        w("\n## Rules with the lowest pass rates\n\n| Rule | Passing / applicable | Pass rate | Waived | Not applicable |\n"
          "|---|---|---|---|---|\n")
        for r in rules:
            w(f"| {_cell(r['rule_id'])} {_cell(r.get('name'))} | {r['pass']} / {r['denominator']} | {r['pass_rate']}% "
              f"| {r['waived']} | {r['not_applicable']} |\n")
    practices = (summary.get("top_failing") or [])[:MAX_TOP]
    if practices:
        w("\n## Practices that fail most\n\n| Practice | Repositories failing | Rules |\n|---|---|---|\n")
        for item in practices:
            w(f"| {_cell(item.get('title'))} | {item.get('repos')} | {_cell(', '.join(item.get('rules') or []))} |\n")
    _waivers(w, summary.get("waiver_list") or [], header.get("started_at"))
    total = int(summary.get("repos") or 0)
    heads = ["Repository", "Owner", "Kind", "Status", "Level", "Score", *(_cell(c) for c in categories)]
    w(f"\n## Repositories, worst first (top {min(top, total)} of {total})\n\n| " + " | ".join(heads) + " |\n|"
      + "---|" * len(heads) + "\n")
    shown = 0
    for row in rows:
        if shown >= top:
            break
        cats = row.get("categories") or {}
        status = "ok" if row.get("status") == "ok" else f"error: {row.get('error')}"
        cells = [row.get("name"), row.get("owner"), kind_label(row), status, row.get("level"),
                 row.get("score")]
        cells += [cats.get(c) for c in categories]
        if not w("| " + " | ".join(_cell(c) for c in cells) + " |\n"):
            break
        shown += 1
    if shown < total:
        where = f"the [full report]({link})" if link else "the full report (dashboard.html, audit.json, results.csv)"
        budget.left += _RESERVE  # the closing line always fits: the budget kept that much in hand
        w(f"\n{total - shown} more {'repository is' if total - shown == 1 else 'repositories are'} in {where}.\n")


def _groups(w: Any, title: str, label: str, groups: list[dict[str, Any]], key: str) -> None:
    if not groups:
        return
    w(f"\n## {title}\n\n| {label} | Repositories | Mean score | Median score | Level 0 | Level 1 | Level 2 | Level 3 "
      "| Fails most |\n|---|---|---|---|---|---|---|---|---|\n")
    for g in groups[:MAX_GROUPS]:
        levels = g.get("levels") or {}
        rules = ", ".join(f"{r['rule_id']} ({r['repos']})" for r in g.get("top_failing_rules") or [])
        repos = f"{g.get('repos')}" + (f" ({g['errors']} not audited)" if g.get("errors") else "")
        w(f"| {_cell(g.get(key))} | {repos} | {_cell(g.get('mean_score'))} | {_cell(g.get('median_score'))} | "
          + " | ".join(str(levels.get(str(level), 0)) for level in range(4)) + f" | {_cell(rules)} |\n")
    if len(groups) > MAX_GROUPS:
        w(f"\n{len(groups) - MAX_GROUPS} more in the full report.\n")


def _waivers(w: Any, waivers: list[dict[str, Any]], started_at: Any) -> None:
    """The waivers to act on: expired ones (the failure they hid is back) and active ones that
    expire within ``EXPIRING_DAYS`` of the audit, in the dashboard's order (expired first, then
    soonest). Counts alone, all a summary used to say, named no repository to chase."""
    horizon = expiring_horizon(started_at)
    due = [x for x in waivers if x.get("state") == "expired" or is_expiring(x, horizon)]
    if not due:
        return
    w(f"\n## Waivers expired or expiring within {EXPIRING_DAYS} days\n\n| Repository | Rule | State | Owner | Expires |\n"
      "|---|---|---|---|---|\n")
    for x in due[:MAX_WAIVERS]:
        rule = str(x.get("rule") or "") + (f" [{x['scope']}]" if x.get("scope") else "")
        w(f"| {_cell(x.get('repo'))} | {_cell(rule)} | {_cell(x.get('state'))} | {_cell(x.get('owner'))} "
          f"| {_cell(x.get('expires'))} |\n")
    if len(due) > MAX_WAIVERS:
        w(f"\n{len(due) - MAX_WAIVERS} more in the full report.\n")


def _errors(w: Any, errors: list[dict[str, Any]], count: int) -> None:
    """The repositories that could not be audited, by name, with their errors: they sort last
    among the worst-first repositories, so beyond ``top`` the summary only counted them."""
    if not count:
        return
    w(f"\n## Could not be audited ({count})\n\n| Repository | Owner | Error |\n|---|---|---|\n")
    for x in errors[:MAX_ERRORS]:
        w(f"| {_cell(x.get('repo'))} | {_cell(x.get('owner'))} | {_cell(x.get('error'))} |\n")
    if count > min(len(errors), MAX_ERRORS):
        w(f"\n{count - min(len(errors), MAX_ERRORS)} more in the full report.\n")
