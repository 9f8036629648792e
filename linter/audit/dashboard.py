"""The org dashboard: one self-contained HTML page for an audit (or merged shards).

Like the single-repository report it fetches nothing: a Content-Security-Policy ``<meta>``
forbids every network load and allows exactly one inline script, by hash. Without
JavaScript the whole table is visible (sorted by name) and the sort/filter controls stay
hidden; printed, controls disappear and colours are kept. Rendering streams rows from disk
into the page (jinja2 ``generate``), so the parent never holds every repository at once.
jinja2 autoescapes everything; repository strings are never marked safe.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Iterator, TextIO

from linter.results import CATEGORIES

TOP_PRACTICES = 15
CHART_W, CHART_H, PAD_L, PAD_B, PAD_T, PAD_R = 640, 220, 36, 28, 10, 12
PALETTE = ("#2e5bff", "#d92d20", "#12b76a", "#dc6803", "#7a5af8", "#0e9384", "#c11574", "#475467",
           "#b54708", "#175cd3", "#6941c6", "#3b7c0f")


def tone(score: Any) -> str:
    """A heatmap class; the number is always printed too, colour is never the only signal."""
    if not isinstance(score, (int, float)):
        return "s-na"
    return "s0" if score < 25 else "s1" if score < 50 else "s2" if score < 75 else "s3" if score < 90 else "s4"


def _row_view(row: dict[str, Any], categories: list[str]) -> dict[str, Any]:
    cats = row.get("categories") or {}
    link = row.get("report_html") or row.get("report_json")
    return {
        "name": row.get("name"), "id": row.get("id"), "link": link,
        "link_kind": "HTML report" if row.get("report_html") else "JSON report",
        "owner": row.get("owner") or "", "status": row.get("status"), "error": row.get("error"),
        "level": row.get("level"), "score": row.get("score"),
        "cells": [{"category": c, "score": cats.get(c), "tone": tone(cats.get(c))} for c in categories],
        "fails": sum(1 for _ in row.get("failing") or []),
        "waivers": len(row.get("waivers") or []),
    }


def _levels(summary: dict[str, Any]) -> list[dict[str, Any]]:
    levels = summary.get("levels") or {}
    total = max(sum(levels.values()), 1)
    return [{"level": k, "count": v, "width": f"{100 * v / total:.1f}"} for k, v in sorted(levels.items())]


def trend_chart(points: list[tuple[datetime, dict[str, Any]]]) -> dict[str, Any] | None:
    """Inline-SVG geometry: one polyline per category, x evenly spaced by audit, y = mean score."""
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
                coords.append(f"{PAD_L + step * j:.1f},{y(entry['mean']):.1f}")
        if coords:
            lines.append({"category": category, "points": " ".join(coords), "color": PALETTE[i % len(PALETTE)]})
    table = [{"date": when.strftime("%Y-%m-%d %H:%M"),
              "values": [((s.get("categories") or {}).get(c) or {}).get("mean") for c in categories],
              "mean": s.get("mean_score")} for when, s in points]
    return {"width": CHART_W, "height": CHART_H, "lines": lines, "categories": categories, "table": table,
            "grid": [{"y": f"{y(v):.1f}", "label": v} for v in (0, 25, 50, 75, 100)],
            "x_labels": [{"x": f"{PAD_L + step * j:.1f}", "label": when.strftime("%m-%d")}
                         for j, (when, _) in enumerate(points)],
            "pad_l": PAD_L, "right": CHART_W - PAD_R, "bottom": CHART_H - PAD_B + 16}


@lru_cache(maxsize=1)
def _script() -> str:
    return (resources.files("linter.reporters") / "templates" / "dashboard.js.j2").read_text(encoding="utf-8")


def _csp(script: str) -> str:
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return (f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'; img-src 'none'; "
            "connect-src 'none'; font-src 'none'; base-uri 'none'; form-action 'none'")


@lru_cache(maxsize=1)
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(loader=jinja2.PackageLoader("linter.reporters", "templates"), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render(out: TextIO, *, header: dict[str, Any], summary: dict[str, Any], rows: Iterable[dict[str, Any]],
           trends: list[tuple[datetime, dict[str, Any]]] | None = None,
           regressions: list[dict[str, Any]] | None = None, previous: str | None = None) -> None:
    """Write the dashboard to ``out``, streaming the repository table."""
    from markupsafe import Markup

    from linter import __version__

    categories = list(summary.get("categories") or {})
    script = _script()
    views: Iterator[dict[str, Any]] = (_row_view(row, categories) for row in rows)
    shard = header.get("shard")
    context = {
        "csp": _csp(script), "script": Markup(script),  # our own static file, never repository content
        "tool_version": __version__, "started_at": header.get("started_at") or "",
        "shard": shard if isinstance(shard, dict) else None,
        "sources": header.get("sources") or [],
        "summary": summary, "categories": categories, "levels": _levels(summary),
        "top": (summary.get("top_failing") or [])[:TOP_PRACTICES],
        "waivers": summary.get("waivers") or {}, "waiver_list": summary.get("waiver_list") or [],
        "teams": summary.get("teams") or [], "rows": views,
        "trend": trend_chart(trends or []), "regressions": regressions, "previous": previous,
    }
    for chunk in _environment().get_template("dashboard.html.j2").generate(context):
        out.write(chunk)
