"""The org summary as Markdown: for a wiki page, a PR comment or a CI job summary."""

from __future__ import annotations

from typing import Any, Iterable, TextIO

from linter.reporters.markdown import md

MAX_TOP = 10


def _cell(value: Any) -> str:
    """A table cell: repository names, owners and errors come from repositories, so they are
    escaped as the check report escapes them (``linter.reporters.markdown.md``): no link, image,
    mention, raw HTML or code span renders, and ``|`` cannot split the row."""
    return "–" if value is None or value == "" else md(str(value))


def write_markdown(out: TextIO, header: dict[str, Any], summary: dict[str, Any], rows: Iterable[dict[str, Any]]) -> None:
    categories = list(summary.get("categories") or {})
    waivers = summary.get("waivers") or {}
    out.write("# Engineering practices across the organisation\n\n")
    out.write(f"Audit started {_cell(header.get('started_at'))}: {summary.get('repos', 0)} repositories, "
              f"{summary.get('audited', 0)} audited, {summary.get('errors', 0)} could not be audited, "
              f"mean score {_cell(summary.get('mean_score'))}. Waivers: {waivers.get('active', 0)} active, "
              f"{waivers.get('expired', 0)} expired.\n\n")
    out.write("## Level distribution\n\n| Level | Repositories |\n|---|---|\n")
    for level, count in sorted((summary.get("levels") or {}).items()):
        out.write(f"| {level} | {count} |\n")
    top = (summary.get("top_failing") or [])[:MAX_TOP]
    if top:
        out.write("\n## Practices that fail most\n\n| Practice | Repositories failing | Rules |\n|---|---|---|\n")
        for item in top:
            out.write(f"| {_cell(item.get('title'))} | {item.get('repos')} | {_cell(', '.join(item.get('rules') or []))} |\n")
    out.write("\n## Repositories\n\n| Repository | Owner | Status | Level | Score | "
              + " | ".join(categories) + " |\n|" + "---|" * (5 + len(categories)) + "\n")
    for row in rows:
        cats = row.get("categories") or {}
        status = "ok" if row.get("status") == "ok" else f"error: {row.get('error')}"
        cells = [row.get("name"), row.get("owner"), status, row.get("level"), row.get("score")]
        cells += [cats.get(c) for c in categories]
        out.write("| " + " | ".join(_cell(c) for c in cells) + " |\n")
