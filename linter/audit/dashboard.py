"""The org dashboard: one self-contained HTML page for an audit (or merged shards).

Like the single-repository report it fetches nothing: a Content-Security-Policy ``<meta>``
forbids every network load and allows exactly one inline script, by hash.

What it answers first: the repositories furthest from the practices (worst first: lowest
level, then lowest score), per team and per kind rollups, each rule's pass rate with its
denominator, and the rules (not only the practices) that fail most.

Scale: every repository is one compact array in a JSON data block (``<script
type="application/json">``, never executed), and the script draws the repository table a page
at a time, sorting and filtering in memory; 50,000 repositories are a few megabytes and the
first page is drawn at once (``benchmarks/audit.py --dashboard`` measures it in Chromium).
Without JavaScript the table shows the ``STATIC_ROWS`` worst repositories (every one when
there are at most that many) and says where the rest are; printed, the controls disappear.

Rendering streams rows from disk (jinja2 ``generate``); only the first ``STATIC_ROWS`` are held.
jinja2 autoescapes everything and every value also goes through ``inert.defuse_xml``;
repository strings are never marked safe. The data block is JSON with ``<``, ``>``, ``&``
written as ``\\u`` escapes (so nothing in it can close the element) and made inert by
``inert.defuse_json``.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import datetime
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Iterator, TextIO

from linter.audit.aggregate import EXPIRING_DAYS, expiring_horizon, is_expiring
from linter.audit.merge import describe
from linter.audit.rows import kind_group, kind_label
from linter.audit.timefmt import human_day, human_time
from linter.results import CATEGORIES

TOP_PRACTICES = 15
#: Regressions the page lists (each with its new failures); the rest are counted, and
#: ``practicelint diff`` lists them all. Thousands would make the page as long as they are.
MAX_REGRESSIONS = 200
STATIC_ROWS = 500
PAGE_SIZE = 100
GROUPS_SHOWN = 25
CHART_W, CHART_H, PAD_L, PAD_B, PAD_T, PAD_R = 640, 220, 36, 28, 10, 12
#: Okabe & Ito's colour-blind-safe palette (yellow left out: unreadable on white), each colour
#: also drawn with its own dash pattern and point marker, so no two lines look alike.
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000")
DASHES = ("", "7 4", "2 3")
MARKERS = ("circle", "square", "diamond")


def tone(score: Any) -> str:
    """A heatmap class; the number is always printed too, colour is never the only signal."""
    if not isinstance(score, (int, float)):
        return "s-na"
    return "s0" if score < 25 else "s1" if score < 50 else "s2" if score < 75 else "s3" if score < 90 else "s4"


def _name_parts(name: str) -> list[str]:
    """``acme/api`` -> ``["acme", "api"]``: the page allows a line break after each ``/`` and
    nowhere inside a word."""
    return name.split("/")


def _row_view(row: dict[str, Any], categories: list[str]) -> dict[str, Any]:
    cats = row.get("categories") or {}
    link = row.get("report_html") or row.get("report_json")
    return {
        "name": str(row.get("name") or ""), "name_parts": _name_parts(str(row.get("name") or "")),
        "id": row.get("id"), "link": link,
        "link_kind": "HTML report" if row.get("report_html") else "JSON report",
        "owner": row.get("owner") or "", "kind": kind_label(row), "kind_note": kind_note(row),
        "status": row.get("status"), "error": row.get("error"),
        "level": row.get("level"), "score": row.get("score"),
        "cells": [{"category": c, "score": cats.get(c), "tone": tone(cats.get(c))} for c in categories],
        "fails": sum(1 for _ in row.get("failing") or []),
        "waivers": len(row.get("waivers") or []),
    }


class _Tables:
    """Interned strings for the data block: link folders, teams, kinds and where the kinds came
    from repeat across rows."""

    def __init__(self) -> None:
        self.values: dict[str, dict[str, int]] = {"dirs": {}, "teams": {}, "kinds": {}, "kindNotes": {}}

    def index(self, table: str, value: str) -> int:
        found = self.values[table]
        if value not in found:
            found[value] = len(found)
        return found[value]

    def lists(self) -> dict[str, list[str]]:
        return {name: list(found) for name, found in self.values.items()}


def kind_note(row: dict[str, Any]) -> str:
    """Where a repository's kind came from, for the kind cell's tooltip: ``inferred from
    pyproject.toml:3``, ``declared in the configuration``, ``its scopes' kinds``."""
    source = str(row.get("kind_source") or "none")
    evidence = [str(e) for e in row.get("kind_evidence") or []]
    said = {"config": "declared in the configuration", "backstage": "the Backstage catalog's spec.type",
            "inferred": "inferred", "scopes": "its scopes' kinds", "none": "nothing says"}.get(source, source)
    return said + (" from " + ", ".join(evidence) if evidence else "")


def _compact(row: dict[str, Any], categories: list[str], tables: _Tables) -> list[Any]:
    """One repository as the script reads it: ``[name, dir, file, team, kind, ok, level,
    score, [category scores], failing, waivers, error, kind label, kind note]`` (indexes into
    the tables; the label, ``mixed (service 3, library 2)``, only when it says more than the
    kind; the note says where the kind came from, ``kind_note``)."""
    link = str(row.get("report_html") or row.get("report_json") or "")
    folder, _, file = link.rpartition("/")
    cats = row.get("categories") or {}
    ok = row.get("status") == "ok"
    return [str(row.get("name") or ""), tables.index("dirs", folder) if link else -1, file,
            tables.index("teams", str(row.get("owner") or "")), tables.index("kinds", kind_group(row)),
            1 if ok else 0, row.get("level") if ok else None, row.get("score") if ok else None,
            [cats.get(c) if isinstance(cats.get(c), int) else None for c in categories],
            len(row.get("failing") or []), len(row.get("waivers") or []),
            None if ok else str(row.get("error") or "")[:500],
            kind_label(row) if kind_label(row) != kind_group(row) else None,
            tables.index("kindNotes", kind_note(row))]


def script_json(value: Any) -> str:
    """JSON safe inside a ``<script type="application/json">`` element and in a log."""
    from linter.inert import defuse_json

    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return defuse_json(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _data_chunks(first: list[dict[str, Any]], rest: Iterator[dict[str, Any]], categories: list[str]) -> Iterator[Any]:
    """The data block, streamed: rows first (all of them), then the tables they index."""
    from markupsafe import Markup

    tables = _Tables()
    yield Markup('{"rows":[')
    count = 0
    batch: list[str] = []
    for row in _chain(first, rest):
        batch.append(script_json(_compact(row, categories, tables)))
        count += 1
        if len(batch) >= 500:
            yield Markup(("," if count > len(batch) else "") + ",".join(batch))  # escaped by script_json
            batch = []
    if batch:
        yield Markup(("," if count > len(batch) else "") + ",".join(batch))
    yield Markup('],"categories":' + script_json(categories) + ',"tables":' + script_json(tables.lists())
                 + ',"pageSize":' + str(PAGE_SIZE) + "}")


def _chain(first: list[dict[str, Any]], rest: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    yield from first
    yield from rest


def _levels(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """The level distribution's bars, with one for the repositories where nothing was judged
    (``no_level``: no level, neither 0 nor 3) when there are any."""
    return _bars(summary.get("levels") or {}, summary.get("no_level"))


def _bars(levels: dict[str, int], no_level: Any) -> list[dict[str, Any]]:
    counts = [(k, v) for k, v in sorted(levels.items())]
    if isinstance(no_level, int) and not isinstance(no_level, bool) and no_level > 0:
        counts.append(("none", no_level))
    total = max(sum(v for _, v in counts), 1)
    return [{"level": k, "count": v, "width": f"{100 * v / total:.1f}"} for k, v in counts]


def _group_views(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**g, "bars": _bars(g.get("levels") or {}, g.get("no_level"))} for g in groups]


def trend_chart(points: list[tuple[datetime, dict[str, Any]]]) -> dict[str, Any] | None:
    """Inline-SVG geometry: one polyline per category, x evenly spaced by audit, y = mean score;
    each line has its own colour, dash pattern and marker."""
    if len(points) < 2:
        return None
    categories = [c for c in CATEGORIES if any(c in (s.get("categories") or {}) for _, s in points)]
    extra = sorted({c for _, s in points for c in (s.get("categories") or {})} - set(categories))
    categories += extra
    inner_w, inner_h = CHART_W - PAD_L - PAD_R, CHART_H - PAD_T - PAD_B
    step = inner_w / (len(points) - 1)

    def y(value: float) -> float:
        return PAD_T + inner_h * (1 - value / 100)

    lines = []
    for i, category in enumerate(categories):
        coords = []
        for j, (_, summary) in enumerate(points):
            entry = (summary.get("categories") or {}).get(category)
            if isinstance(entry, dict) and isinstance(entry.get("mean"), (int, float)):
                coords.append((f"{PAD_L + step * j:.1f}", f"{y(entry['mean']):.1f}"))
        if coords:
            lines.append({"category": category, "points": " ".join(f"{x},{yy}" for x, yy in coords),
                          "coords": coords, "color": PALETTE[i % len(PALETTE)],
                          "dash": DASHES[i % len(DASHES)], "marker": MARKERS[i % len(MARKERS)]})
    table = [{"date": human_time(when),
              "values": [((s.get("categories") or {}).get(c) or {}).get("mean") for c in categories],
              "mean": s.get("mean_score")} for when, s in points]
    return {"width": CHART_W, "height": CHART_H, "lines": lines, "categories": categories, "table": table,
            "grid": [{"y": f"{y(v):.1f}", "label": v} for v in (0, 25, 50, 75, 100)],
            "x_labels": [{"x": f"{PAD_L + step * j:.1f}", "label": human_day(when), "anchor": _anchor(j, len(points))}
                         for j, (when, _) in enumerate(points)],
            "pad_l": PAD_L, "right": CHART_W - PAD_R, "bottom": CHART_H - PAD_B + 16}


def _anchor(index: int, count: int) -> str:
    """The first date starts at its point and the last ends at it: centred, both stuck out of
    the chart and the last one was cut (``13 De``)."""
    return "start" if index == 0 else "end" if index == count - 1 else "middle"


@lru_cache(maxsize=1)
def _script() -> str:
    return (resources.files("linter.reporters") / "templates" / "dashboard.js.j2").read_text(encoding="utf-8")


def _csp(script: str) -> str:
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return (f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'; img-src 'none'; "
            "connect-src 'none'; font-src 'none'; base-uri 'none'; form-action 'none'")


def _inert(value: Any) -> Any:
    """jinja2 ``finalize``: every printed value escaped, then made inert for logs."""
    from markupsafe import Markup, escape

    from linter.inert import defuse_xml

    from linter.inert import reveal

    if isinstance(value, Markup):
        return value
    text = reveal(value) if isinstance(value, str) else value  # controls and bidi overrides shown, not obeyed
    return Markup(defuse_xml(str(escape("" if text is None else text))))


@lru_cache(maxsize=1)
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(loader=jinja2.PackageLoader("linter.reporters", "templates"), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                              finalize=_inert)


def _waiver_view(waiver: dict[str, Any], horizon: str | None) -> dict[str, Any]:
    """A waiver as the table prints it: every field present (a merged document written by another
    version may leave one out) and whether it expires within ``EXPIRING_DAYS`` of the audit."""
    view = {key: waiver.get(key) for key in ("repo", "rule", "scope", "state", "owner", "reason", "expires")}
    return {**view, "expiring": is_expiring(waiver, horizon)}


def render(out: TextIO, *, header: dict[str, Any], summary: dict[str, Any], rows: Iterable[dict[str, Any]],
           trends: list[tuple[datetime, dict[str, Any]]] | None = None,
           regressions: list[dict[str, Any]] | None = None, previous: str | None = None,
           membership: dict[str, Any] | None = None) -> None:
    """Write the dashboard to ``out``; ``rows`` come worst first (``RowSpool.rows("worst")``)."""
    from markupsafe import Markup

    from linter import __version__

    categories = list(summary.get("categories") or {})
    script = _script()
    stream = iter(rows)
    first = [row for _, row in zip(range(STATIC_ROWS), stream)]
    shard = header.get("shard")
    completion = header.get("completion") if isinstance(header.get("completion"), dict) else None
    total = int(summary.get("repos") or 0)
    horizon = expiring_horizon(header.get("started_at"))
    context = {
        "csp": _csp(script), "script": Markup(script),  # our own static file, never repository content
        "tool_version": __version__, "started_at": human_time(header.get("started_at")) or "",
        "shard": shard if isinstance(shard, dict) else None,
        "partial": describe(completion) if completion and completion.get("partial") else None,
        "summary": summary, "categories": categories, "levels": _levels(summary),
        "top": (summary.get("top_failing") or [])[:TOP_PRACTICES],
        "failing_rules": summary.get("failing_rules") or [],
        "where_to_act": summary.get("where_to_act") or [],
        "rules": summary.get("rules") or [],
        "by_team": _group_views(summary.get("by_team") or []), "by_kind": _group_views(summary.get("by_kind") or []),
        "groups_shown": GROUPS_SHOWN,
        "waivers": summary.get("waivers") or {}, "expiring_days": EXPIRING_DAYS,
        "waiver_list": [_waiver_view(w, horizon) for w in summary.get("waiver_list") or [] if isinstance(w, dict)],
        "error_list": summary.get("error_list") or [],
        "teams": summary.get("teams") or [], "kinds": [g["kind"] for g in summary.get("by_kind") or []],
        "rows": [_row_view(row, categories) for row in first], "total": total,
        "data": _data_chunks(first, stream, categories),
        "trend": trend_chart(trends or []), "previous": previous,
        "regressions": None if regressions is None else regressions[:MAX_REGRESSIONS],
        "more_regressions": max(len(regressions or []) - MAX_REGRESSIONS, 0),
        "membership": membership,
    }
    for chunk in _environment().get_template("dashboard.html.j2").generate(context):
        out.write(chunk)
