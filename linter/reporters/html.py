"""A single self-contained HTML report: for people, and for forwarding to people.

The page carries its own CSS, a per-category chart as inline SVG and a small inline script
for the filters. Nothing is fetched: a Content-Security-Policy ``<meta>`` forbids every
network load (``default-src 'none'``) and allows exactly one script, by its sha256 hash, so
even a ``<script>`` smuggled past escaping would not run. Without JavaScript every result is
visible and the filter controls stay hidden; printed, everything is expanded.

Rendering uses jinja2 with autoescaping on for every template (HTML, attributes and inline
SVG alike); repository strings are never marked safe. This module imports jinja2 itself so
the other formats never pay for it.
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
from functools import lru_cache
from importlib import resources
from typing import Any

from markupsafe import Markup, escape

from linter import inert
from linter.catalog import Catalog
from linter.fast_dataclass import dataclass, field
from linter.reporters.json_report import summary
from linter.reporters.sarif import help_uri
from linter.results import CATEGORIES, Report, Result, Severity, Status
from linter.scoring import MAX_LEVEL, maturity, repository_maturity, scope_maturities

STATUS_ORDER = (Status.FAIL, Status.ERROR, Status.WAIVED, Status.SKIPPED, Status.NOT_APPLICABLE, Status.PASS)
STATUS_LABELS = {Status.PASS: "Pass", Status.FAIL: "Fail", Status.ERROR: "Error",
                 Status.NOT_APPLICABLE: "Not applicable", Status.WAIVED: "Waived", Status.SKIPPED: "Skipped"}
LEVEL_MEANING = {
    1: "every error-severity rule passes",
    2: "every error- and warning-severity rule passes",
    3: "every rule passes, info-severity ones included",
}
MAX_EVIDENCE = 25
MAX_NOTES = 500
RING_RADIUS = 52
_HEX = re.compile(r"[0-9a-f]{7,64}")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: Longest repository string shown in full; the JSON report keeps everything.
MAX_TEXT = 5000


def visible(value: Any) -> Any:
    """jinja2 ``finalize``: a repository string escaped for HTML, its control characters shown as
    ``\\xNN``, long text cut, and nothing a CI log would obey if the page were printed there
    (``linter.inert.defuse_xml``: character references that display the same).

    Runs on every ``{{ }}`` value; our own markup (the script, ``Markup`` values) passes as is.
    """
    if not isinstance(value, str) or hasattr(value, "__html__"):
        return value
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    text = text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"
    return Markup(inert.defuse_xml(str(escape(text))))


@dataclass
class EvidenceView:
    location: str
    detail: str


@dataclass
class ResultView:
    anchor: str
    rule_id: str
    name: str
    status: str
    status_label: str
    severity: str
    category: str
    scope: str
    message: str
    evidence: list[EvidenceView]
    more_evidence: int
    remediation: str
    summary: str
    help_uri: str
    practice: dict[str, str] | None
    waiver: dict[str, str | None] | None
    failing: bool


@dataclass
class CategoryView:
    name: str
    score: int
    total: int
    counts: dict[str, int]
    segments: list[dict[str, Any]] = field(default_factory=list)
    results: list[ResultView] = field(default_factory=list)


def _category_names(report: Report) -> list[str]:
    present = {r.category for r in report.results}
    return [c for c in CATEGORIES if c in present] + sorted(present - set(CATEGORIES))


def _waiver(result: Result) -> dict[str, str | None] | None:
    """Waiver details when the result carries them (issue 6 adds ``result.waiver``)."""
    if result.status is not Status.WAIVED:
        return None
    waiver = getattr(result, "waiver", None)
    return {
        "reason": getattr(waiver, "reason", None),
        "owner": getattr(waiver, "owner", None),
        "expires": str(getattr(waiver, "expires", None) or "") or None,
    }


def _result_view(index: int, result: Result, catalog: Catalog) -> ResultView:
    spec = catalog.rules.get(result.rule_id)
    practice = catalog.practices.get(result.practice_id)
    return ResultView(
        anchor=f"result-{index}",
        rule_id=result.rule_id,
        name=result.name,
        status=result.status.value,
        status_label=STATUS_LABELS[result.status],
        severity=result.severity.value,
        category=result.category,
        scope="repository" if result.scope in ("", ".") else result.scope,
        message=result.message,
        evidence=[EvidenceView(ev.location(), ev.detail) for ev in result.evidence[:MAX_EVIDENCE]],
        more_evidence=max(len(result.evidence) - MAX_EVIDENCE, 0),
        remediation=result.remediation,
        summary=spec.summary if spec else "",
        help_uri=help_uri(result.rule_id, result.name),
        practice=None if practice is None else {
            "title": practice.title, "why": practice.why, "summary": practice.summary,
            "digest_section": practice.digest_section},
        waiver=_waiver(result),
        failing=result.status in (Status.FAIL, Status.ERROR),
    )


def _segments(counts: dict[str, int], total: int, width: float) -> list[dict[str, Any]]:
    """Stacked-bar segments (x, width) for the per-category chart, problems first."""
    out, x = [], 0.0
    for status in STATUS_ORDER:
        n = counts[status.value]
        if not n or not total:
            continue
        w = width * n / total
        out.append({"status": status.value, "label": STATUS_LABELS[status], "count": n,
                    "x": f"{x:.2f}", "width": f"{w:.2f}"})
        x += w
    return out


def _categories(report: Report, views: list[ResultView]) -> list[CategoryView]:
    out = []
    for name in _category_names(report):
        group = [r for r in report.results if r.category == name]
        counts = {s.value: sum(r.status is s for r in group) for s in Status}
        order = {status.value: i for i, status in enumerate(STATUS_ORDER)}
        members = sorted((v for v in views if v.category == name), key=lambda v: order[v.status])
        view = CategoryView(name=name, score=maturity(group, name).score, total=len(group), counts=counts,
                            results=members)
        view.segments = _segments(counts, len(group), 300.0)
        out.append(view)
    return out


def _ring(score: int) -> dict[str, str]:
    circumference = 2 * math.pi * RING_RADIUS
    filled = circumference * max(0, min(score, 100)) / 100
    return {"radius": str(RING_RADIUS), "dash": f"{filled:.2f} {circumference:.2f}",
            "tone": "good" if score >= 80 else "fair" if score >= 50 else "poor"}


def _blockers(results: tuple[Result, ...], anchors: dict[int, str], report: Report) -> list[dict[str, str]]:
    index = {id(r): i for i, r in enumerate(report.results)}
    return [{"rule_id": r.rule_id, "name": r.name, "severity": r.severity.value,
             "scope": "repository" if r.scope in ("", ".") else r.scope,
             "message": r.message, "anchor": anchors.get(index.get(id(r), -1), "")}
            for r in results]


def build_context(report: Report, catalog: Catalog) -> dict[str, Any]:
    """Everything the template shows, computed here so the template stays declarative."""
    views = [_result_view(i, r, catalog) for i, r in enumerate(report.results)]
    anchors = {i: v.anchor for i, v in enumerate(views)}
    repo = repository_maturity(report)
    scopes = []
    if len(report.scopes) > 1 or any(s.path != "." for s in report.scopes):
        for scope, m in zip(report.scopes, scope_maturities(report)):
            scopes.append({"name": scope.name, "path": scope.path, "source": scope.source, "score": m.score,
                           "level": m.level, "blockers": sorted({r.rule_id for r in m.blockers})})
    commit = report.commit or ""
    return {
        "report": report,
        "target_name": report.target_name,
        "target_path": report.target_path,
        "commit": commit,
        "commit_short": commit[:12] if _HEX.fullmatch(commit) else commit[:40],
        "tool_version": report.tool_version,
        "summary": summary(report),
        "score": repo.score,
        "level": repo.level,
        "max_level": MAX_LEVEL,
        "next_level": repo.next_level,
        "next_level_meaning": LEVEL_MEANING.get(repo.next_level or 0, ""),
        "blockers": _blockers(repo.blockers, anchors, report),
        "ring": _ring(repo.score),
        "categories": _categories(report, views),
        "scopes": scopes,
        "results": views,
        "waived": [v for v in views if v.status == Status.WAIVED.value],
        "declared_waivers": _declared_waivers(report),
        "notes": report.notes[:MAX_NOTES],
        "more_notes": max(len(report.notes) - MAX_NOTES, 0),
        "statuses": [(s.value, STATUS_LABELS[s]) for s in STATUS_ORDER],
        "severities": [s.value for s in Severity],
        "rule_count": len({r.rule_id for r in report.results}),
    }


def _declared_waivers(report: Report) -> list[dict[str, Any]]:
    """Waivers from the configuration and how they fared (active, expired, stale), when known."""
    out = []
    for use in getattr(report, "waivers", None) or []:
        waiver = getattr(use, "waiver", None)
        out.append({"rule": getattr(waiver, "rule", ""), "scope": getattr(waiver, "scope", None) or "all scopes",
                    "reason": getattr(waiver, "reason", ""), "owner": getattr(waiver, "owner", ""),
                    "expires": str(getattr(waiver, "expires", "") or ""), "state": getattr(use, "state", ""),
                    "matched": getattr(use, "matched", 0)})
    return out


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

    return jinja2.Environment(
        loader=jinja2.PackageLoader("linter.reporters", "templates"),
        autoescape=True,  # every template, whatever its extension
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=visible,
    )


def render(report: Report, catalog: Catalog, **_: Any) -> str:
    from markupsafe import Markup

    script = _script()
    context = build_context(report, catalog)
    context["script"] = Markup(script)  # our own static file, never repository content
    context["csp"] = (f"default-src 'none'; style-src 'unsafe-inline'; script-src '{script_hash(script)}'; "
                      "img-src 'none'; connect-src 'none'; font-src 'none'; base-uri 'none'; form-action 'none'")
    text = _environment().get_template("report.html.j2").render(context)
    return text.encode("utf-8", "replace").decode("utf-8")
