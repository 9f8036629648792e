"""SARIF 2.1.0 for GitHub code scanning and any other SARIF consumer.

Only failed and errored results become SARIF results (a passing check is not an alert).
Every rule of the catalog is described in ``tool.driver.rules`` so code scanning can show
the rationale and the fix next to an alert.

Two decisions shape this file, and the CI reporters (``github``, ``gitlab``) reuse them:

* **Where an alert lives** (:func:`anchor`). A finding with evidence points at its first
  piece of evidence. A finding with none (a service with no SLO at all) has no file of its
  own, but code scanning needs one; it is anchored to the file a fix would touch or a reader
  of the service opens first: the Backstage ``catalog-info.yaml`` of a Backstage service, the
  service's ``README.md`` otherwise, and the repository ``README.md`` for repository-wide
  rules. ``docs/sarif.md`` explains the choice to users.
* **Which alert is which across runs** (:func:`fingerprint`). A hash of the rule id, the
  scope and the evidence files, never line numbers or message text, so an alert survives
  edits above it and rewording of the message.

Paths are made relative to the directory practicelint ran in when the target was given as
a relative path inside it (``practicelint check services/api`` in a checkout), because code
scanning, workflow annotations and GitLab resolve paths from the repository root.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from linter.catalog import Catalog
from linter.checks.registry import REGISTRY
from linter.reporters.markdown import md
from linter.fast_dataclass import dataclass
from linter.results import Report, Result, Severity, Status

if TYPE_CHECKING:
    from linter.catalog.model import RuleSpec

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
#: GitHub shows at most 1024 characters of a rule's descriptions.
DESCRIPTION_LIMIT = 1024
#: Related locations kept per result; more evidence is summarised in the message.
MAX_RELATED = 20

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
#: GitHub ranks security alerts by this CVSS-like score (only for the ``security`` tag).
SECURITY_SEVERITY = {Severity.ERROR: "7.5", Severity.WARNING: "5.0", Severity.INFO: "2.0"}
PROBLEM_SEVERITY = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "recommendation"}

_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class Anchor:
    """The file (relative to the repository root) and line an alert is shown on."""

    path: str
    line: int  # 0 = the whole file
    fallback: bool  # True when the finding had no evidence and the path was chosen for it


def target_prefix(target_path: str) -> str:
    """The scanned folder relative to the working directory, or ``""`` when that is unknown.

    ``examples/monorepo`` -> ``examples/monorepo``; ``.`` and ``./`` -> ``""``; absolute
    paths and paths climbing out with ``..`` -> ``""`` (paths then stay relative to the target).
    """
    text = target_path.replace("\\", "/")
    if not text or text.startswith("/") or _DRIVE.match(text):
        return ""
    parts = [part for part in text.split("/") if part not in ("", ".")]
    if ".." in parts:
        return ""
    return "/".join(parts)


def repo_path(report: Report, rel: str) -> str:
    """A path from the report (relative to the scanned folder) relative to the repository root."""
    prefix = target_prefix(report.target_path)
    rel = rel.replace("\\", "/").lstrip("/")
    if rel in ("", "."):
        return prefix or "."
    return f"{prefix}/{rel}" if prefix else rel


def _scope_source(report: Report, scope: str) -> str:
    for candidate in report.scopes:
        if candidate.path == scope:
            return candidate.source
    return "default"


def fallback_file(report: Report, result: Result) -> str:
    """The file a finding without evidence is anchored to (relative to the scanned folder)."""
    if result.rule_scope == "repo" or result.scope in ("", "."):
        return "README.md"
    if _scope_source(report, result.scope) == "backstage":
        return f"{result.scope}/catalog-info.yaml"
    return f"{result.scope}/README.md"


def anchor(report: Report, result: Result) -> Anchor:
    """Where an alert for ``result`` is shown: its first evidence, or the fallback file."""
    for evidence in result.evidence:
        if evidence.path and evidence.path != ".":  # "." is the repository (e.g. a commit), not a file
            return Anchor(repo_path(report, evidence.path), max(evidence.line, 0), False)
    return Anchor(repo_path(report, fallback_file(report, result)), 0, True)


def fingerprint(result: Result) -> str:
    """A stable identity for a finding: rule, scope and evidence files (no lines, no text)."""
    files = sorted({evidence.path for evidence in result.evidence})
    key = "\x1f".join([result.rule_id, result.scope, *files])
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def rule_anchor(rule_id: str, name: str) -> str:
    """The GitHub heading anchor of ``## PERF001 tail-latency-slo`` in ``docs/rules.md``."""
    slug = re.sub(r"[^a-z0-9 -]", "", f"{rule_id} {name}".lower())
    return slug.replace(" ", "-")


def help_uri(report: Report, rule_id: str, name: str) -> str | None:
    """The rule's documentation URL from the configuration's ``docs-url``, or ``None``: without
    one a descriptor has no ``helpUri`` (its ``help`` carries the explanation), never a link
    to a page that may not exist."""
    from linter.record import docs_link

    return docs_link(report.record.docs_url if report.record is not None else None, rule_id, name)


def uri(path: str) -> str:
    """A relative path as a URI reference (spaces, ``%``, ``#`` and ``?`` percent-encoded)."""
    return quote(path, safe="/-._~!$&'()*+,;=:@")


def _clip(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


#: Where an embedded link (or a Markdown link or image) would be: ``]`` right before ``(``,
#: with any backslashes before it.
_LINK_CLOSE = re.compile(r"(\\*)\]\(")


def plain(text: str) -> str:
    """A plain-text message with no embedded link in it. SARIF 2.1.0 (3.11.6) reads
    ``[text](target)`` in a message as a link, which viewers render as one (and code scanning
    renders message text as Markdown); a message quotes repository strings (folder and file
    names, owners, a rule pack's words), so ``[Fix it here](https://...)`` would be a link in the
    tool's voice. Each ``](`` gets its ``]`` escaped with a backslash (the spec's and Markdown's
    escape, read back as the character), after doubling the backslashes before it; brackets
    that open no link are left as written."""
    return _LINK_CLOSE.sub(lambda m: m.group(1) * 2 + "\\](", text)


# --- rules -------------------------------------------------------------------------------

def _help_markdown(spec: RuleSpec, catalog: Catalog, link: str | None) -> str:
    """The rule's help as Markdown. The packaged catalog's texts are our own Markdown; a rule
    pack's may come from the scanned repository, so its texts are escaped (``md``) and its
    example fenced with more backticks than it holds, so nothing in them renders as markup."""
    own = spec.id in REGISTRY  # built-in ids come from the packaged catalog only

    def text(value: str) -> str:
        return value.strip() if own else md(value, 4000)

    parts = [f"**Fix.** {text(spec.remediation)}", "",
             f"**What counts as evidence.** {text(spec.evidence)}", "",
             f"**Why.** {text(spec.rationale)}"]
    if spec.example.strip():
        fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", spec.example)), default=0))
        parts += ["", "**Example**", "", fence + "yaml", spec.example.rstrip(), fence]
    practice = catalog.practices.get(spec.practice)
    if practice is not None:
        parts += ["", f"**Practice:** {text(practice.title)} ({text(practice.digest_section)}). {text(practice.why)}"]
    if link is not None:
        parts += ["", f"[Rule reference]({link})"]
    return "\n".join(parts)


def _descriptor(spec: RuleSpec, catalog: Catalog, report: Report) -> dict[str, Any]:
    severity = Severity(spec.severity)
    link = help_uri(report, spec.id, spec.name)
    properties: dict[str, Any] = {
        "tags": sorted({spec.category, "practicelint", spec.scope + "-scope"}),
        "precision": "high",
        "problem.severity": PROBLEM_SEVERITY[severity],
        "practice": spec.practice,
        "scope": spec.scope,
    }
    if spec.category == "security":
        properties["security-severity"] = SECURITY_SEVERITY[severity]
    own = spec.id in REGISTRY  # the packaged catalog's texts are ours; a rule pack's may be the repository's
    text = (lambda value: value) if own else plain
    out: dict[str, Any] = {
        "id": spec.id,
        "name": spec.name,
        "shortDescription": {"text": text(_clip(spec.summary))},
        "fullDescription": {"text": text(_clip(spec.rationale))},
        "help": {"text": text(_clip(spec.remediation, 4000)), "markdown": _help_markdown(spec, catalog, link)},
        "defaultConfiguration": {"level": LEVELS[severity]},
        "properties": properties,
    }
    if link is not None:
        out["helpUri"] = link
    return out


def _descriptor_from_result(result: Result, report: Report) -> dict[str, Any]:
    """A rule the catalog does not know (a plugin, a test report): describe it from the result."""
    out: dict[str, Any] = {
        "id": result.rule_id,
        "name": result.name or result.rule_id,
        "shortDescription": {"text": plain(_clip(result.name or result.rule_id))},
        "fullDescription": {"text": plain(_clip(result.name or result.rule_id))},
        "help": {"text": plain(_clip(result.remediation or "See the rule reference.", 4000)),
                 "markdown": f"**Fix.** {md(result.remediation or 'See the rule reference.', 4000)}"},
        "defaultConfiguration": {"level": LEVELS[result.severity]},
        "properties": {"tags": sorted({result.category, "practicelint"}), "precision": "high"},
    }
    link = help_uri(report, result.rule_id, result.name)
    if link is not None:
        out["helpUri"] = link
    return out


def rule_descriptors(report: Report, catalog: Catalog) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Every catalog rule (sorted by id), plus any rule only the report knows, and their indexes."""
    descriptors = [_descriptor(spec, catalog, report) for spec in sorted(catalog.rules.values(), key=lambda s: s.id)]
    known = {d["id"] for d in descriptors}
    extra: dict[str, Result] = {}
    for result in report.results:
        if result.rule_id not in known:
            extra.setdefault(result.rule_id, result)
    descriptors += [_descriptor_from_result(extra[rule_id], report) for rule_id in sorted(extra)]
    return descriptors, {d["id"]: index for index, d in enumerate(descriptors)}


# --- results -----------------------------------------------------------------------------

def _physical(path: str, line: int) -> dict[str, Any]:
    return {"artifactLocation": {"uri": uri(path), "uriBaseId": SRCROOT},
            "region": {"startLine": max(line, 1)}}


def _message(report: Report, result: Result, where: Anchor) -> str:
    text = result.message.strip() or f"{result.rule_id} {result.name} failed"
    if result.status is Status.ERROR:
        text = f"{result.rule_id} could not be checked: {text}"
    scope = "" if result.scope in ("", ".") else f"[{result.scope}] "
    extra = ""
    if len(result.evidence) > MAX_RELATED:
        extra = f" ({len(result.evidence) - MAX_RELATED} more pieces of evidence in the JSON report)"
    return f"{scope}{text}{extra}"


def _location_note(report: Report, result: Result, where: Anchor) -> str:
    if not where.fallback:
        detail = result.evidence[0].detail.strip()
        return detail or "evidence"
    if result.rule_scope == "repo" or result.scope in ("", "."):
        return "No single file holds this finding; shown on the repository README, where readers start."
    return (f"No file in {result.scope} holds this finding; shown on the service's "
            f"{where.path.rsplit('/', 1)[-1]}, the file that describes the service.")


def _result(report: Report, result: Result, rule_index: int) -> dict[str, Any]:
    where = anchor(report, result)
    location = {"physicalLocation": _physical(where.path, where.line),
                "message": {"text": plain(_location_note(report, result, where))}}
    digest = fingerprint(result)
    out: dict[str, Any] = {
        "ruleId": result.rule_id,
        "ruleIndex": rule_index,
        "level": LEVELS[result.severity],
        "kind": "fail",
        "message": {"text": plain(_message(report, result, where))},
        "locations": [location],
        # GitHub matches alerts across runs on primaryLocationLineHash only; ours is content-free.
        "partialFingerprints": {"primaryLocationLineHash": f"{digest[:16]}:1",
                                "practicelint/v1": digest},
        "properties": {"scope": result.scope, "status": result.status.value,
                       "category": result.category, "practice": result.practice_id,
                       "severity": result.severity.value},
    }
    if result.status is Status.WAIVED:
        # SARIF's own vocabulary for an accepted exception: code scanning shows the alert as
        # dismissed, with the justification, instead of dropping it.
        waiver = result.waiver
        suppression: dict[str, Any] = {"kind": "external", "status": "accepted", "justification": result.message}
        if waiver is not None:
            suppression["justification"] = (f"{waiver.reason} (owner {waiver.owner}, "
                                             f"expires {waiver.expires.isoformat()})")
            suppression["properties"] = {"owner": waiver.owner, "expires": waiver.expires.isoformat(),
                                         "source": waiver.source, "line": waiver.line}
        out["suppressions"] = [suppression]
    related = [
        {"id": index, "physicalLocation": _physical(repo_path(report, ev.path), ev.line),
         "message": {"text": plain(ev.detail.strip() or "evidence")}}
        for index, ev in enumerate(result.evidence[1:MAX_RELATED], start=1) if ev.path
    ]
    if related:
        out["relatedLocations"] = related
    return out


def _notifications(report: Report) -> list[dict[str, Any]]:
    """Skipped files, checks that crashed and rules not evaluated in this checkout (``skipped``:
    no history in a shallow clone), as tool execution notifications. Skipped rules are not
    results, as not-applicable ones are not: they are not findings, and not failures."""
    out: list[dict[str, Any]] = []
    for note in report.notes:
        out.append({
            "level": "note",
            "message": {"text": plain(f"skipped {note.path}: {note.reason}")},
            "locations": [{"physicalLocation": {"artifactLocation": {
                "uri": uri(repo_path(report, note.path)), "uriBaseId": SRCROOT}}}],
        })
    for result in report.results:
        if result.status is Status.ERROR:
            out.append({"level": "error",
                        "message": {"text": plain(f"{result.rule_id} [{result.scope}]: {result.message}")},
                        "descriptor": {"id": result.rule_id}})
        elif result.status is Status.SKIPPED:
            out.append({"level": "note",
                        "message": {"text": plain(f"{result.rule_id} [{result.scope}] skipped: {result.message}")},
                        "descriptor": {"id": result.rule_id}})
    return out


def _scopes(report: Report) -> list[dict[str, Any]]:
    from linter.reporters.facts import KIND_SOURCES

    return [{"path": s.path, "name": s.name, "kind": s.kind, "kindSource": s.kind_source,
             "kindSourceText": KIND_SOURCES.get(s.kind_source, s.kind_source),
             "kindEvidence": [{"path": e.path, "line": e.line, "detail": e.detail} for e in s.kind_evidence]}
            for s in report.scopes]


def _invocation(report: Report) -> dict[str, Any]:
    """The run as an invocation: whether it went through, what it could not read, and the
    record of when and under which configuration (``startTimeUtc`` only from the system clock:
    a pinned time is not when the run started)."""
    invocation: dict[str, Any] = {
        "executionSuccessful": not any(r.status is Status.ERROR for r in report.results),
        "toolExecutionNotifications": _notifications(report),
    }
    record = report.record
    if record is not None:
        from linter.record import CLOCK_SYSTEM

        if record.clock == CLOCK_SYSTEM:
            invocation["startTimeUtc"] = record.generated_iso
        invocation["properties"] = {"generatedAt": record.generated_iso, "clock": record.clock,
                                    "configDigest": record.config_digest,
                                    "configFiles": list(record.config_files), "baseline": record.baseline}
    return invocation


def _run_properties(report: Report, prefix: str) -> dict[str, Any]:
    from linter.reporters.facts import in_effect
    from linter.scoring import repository_maturity

    repo = repository_maturity(report)
    properties: dict[str, Any] = {"target": report.target_name, "commit": report.commit,
                                  "targetPath": prefix or ".", "score": repo.score, "level": repo.level,
                                  "scopes": _scopes(report)}
    record = report.record
    if record is not None:
        properties.update({
            "generatedAt": record.generated_iso, "clock": record.clock, "remote": record.remote,
            "toolVersion": report.tool_version, "configDigest": record.config_digest,
            "configFiles": list(record.config_files),
            "waiversInEffect": [{"ruleId": u.waiver.rule, "scope": u.waiver.scope, "paths": list(u.waiver.paths),
                                 "owner": u.waiver.owner, "expires": u.waiver.expires.isoformat()}
                                for u in in_effect(report)],
            "baseline": record.baseline,
        })
    return properties


def as_dict(report: Report, catalog: Catalog) -> dict[str, Any]:
    descriptors, index = rule_descriptors(report, catalog)
    results = [_result(report, r, index[r.rule_id]) for r in report.results
               if r.status in (Status.FAIL, Status.ERROR, Status.WAIVED)]
    prefix = target_prefix(report.target_path)
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "practicelint",
            "version": report.tool_version,
            "semanticVersion": report.tool_version,
            "rules": descriptors,
        }},
        "automationDetails": {"id": f"practicelint/{prefix + '/' if prefix else ''}"},
        "originalUriBaseIds": {SRCROOT: {"description": {
            "text": "The directory practicelint ran in (the repository checkout root in CI)."}}},
        "invocations": [_invocation(report)],
        "results": results,
        "columnKind": "unicodeCodePoints",
        "properties": _run_properties(report, prefix),
    }
    remote = report.record.remote_uri if report.record is not None else None
    if remote is not None:
        provenance: dict[str, Any] = {"repositoryUri": remote}
        if report.commit:
            provenance["revisionId"] = report.commit
        run["versionControlProvenance"] = [provenance]
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render(report: Report, catalog: Catalog, **_: Any) -> str:
    text = json.dumps(as_dict(report, catalog), indent=2, ensure_ascii=False) + "\n"
    return text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates cannot be written
