"""SARIF 2.1.0: schema-valid for every example and for hostile input, stable fingerprints, anchors."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from linter.catalog import load_catalog
from linter.reporters import render
from linter.reporters.sarif import anchor, fingerprint, help_uri, rule_anchor, target_prefix
from linter.results import Evidence, Severity, Status
from tests.examples_support import EXAMPLE_NAMES, example_report_object
from tests.reporters.samples import HOSTILE_PATH, hostile_report, mini_catalog, result, sample_report

import jsonschema  # noqa: E402 - a test extra: never skipped


#: The official SARIF 2.1.0 schema, vendored (see tests/vendor/README.md for its origin and licence).
SCHEMA = Path(__file__).resolve().parents[1] / "vendor" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema)


def _errors(validator, data) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_every_example_validates(validator, name: str) -> None:
    report = example_report_object(name)
    data = json.loads(render("sarif", report, load_catalog()))
    assert _errors(validator, data) == []
    run = data["runs"][0]
    failing = [r for r in report.results if r.status in (Status.FAIL, Status.ERROR)]
    assert len(run["results"]) == len(failing)
    assert [d["id"] for d in run["tool"]["driver"]["rules"]] == sorted(load_catalog().rules)
    for res in run["results"]:
        uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri.startswith(f"examples/{name}/"), uri


@pytest.mark.parametrize("long", [False, True])
def test_hostile_report_validates_and_keeps_text_as_data(validator, long: bool) -> None:
    text = render("sarif", hostile_report(long), mini_catalog())
    data = json.loads(text)
    assert _errors(validator, data) == []
    assert "\x00" not in text and "\x1b" not in text  # escaped as \u0000 by JSON
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in data["runs"][0]["results"]]
    assert all(" " not in u and "\n" not in u and "|" not in u and "<" not in u for u in uris)


def test_rules_describe_everything_code_scanning_shows() -> None:
    catalog = mini_catalog()
    data = json.loads(render("sarif", sample_report(), catalog))
    rules = {r["id"]: r for r in data["runs"][0]["tool"]["driver"]["rules"]}
    perf = rules["PERF001"]
    assert perf["name"] == "tail-latency-slo"
    assert perf["shortDescription"]["text"] == "tail-latency-slo summary."
    assert perf["fullDescription"]["text"] == "tail-latency-slo rationale."
    assert "Fix tail-latency-slo." in perf["help"]["markdown"] and "Why tail-latency matters." in perf["help"]["markdown"]
    assert "helpUri" not in perf and "Rule reference" not in perf["help"]["markdown"]  # no docs-url configured
    assert perf["defaultConfiguration"]["level"] == "error"
    assert "performance" in perf["properties"]["tags"]
    assert rules["SEC007"]["defaultConfiguration"]["level"] == "note"
    assert rules["SEC007"]["properties"]["security-severity"] == "2.0"
    assert rules["ORG001"]["defaultConfiguration"]["level"] == "warning"


def test_results_for_fail_error_and_waived_with_levels_and_rule_index() -> None:
    data = json.loads(render("sarif", sample_report(), mini_catalog()))
    run = data["runs"][0]
    got = [(r["ruleId"], r["properties"]["scope"], r["level"], r["properties"]["status"]) for r in run["results"]]
    assert got == [("PERF001", "services/api", "error", "fail"), ("PERF001", "services/worker", "error", "fail"),
                   ("SEC007", "services/api", "note", "waived"), ("ORG001", ".", "warning", "error")]
    assert [bool(r.get("suppressions")) for r in run["results"]] == [False, False, True, False]
    for res in run["results"]:
        assert run["tool"]["driver"]["rules"][res["ruleIndex"]]["id"] == res["ruleId"]
    assert run["invocations"][0]["executionSuccessful"] is False  # ORG001 crashed
    levels = [n["level"] for n in run["invocations"][0]["toolExecutionNotifications"]]
    assert levels == ["note", "note", "error"]  # the skipped file, the skipped rule, then the crashed check
    skipped = run["invocations"][0]["toolExecutionNotifications"][1]
    assert skipped["descriptor"] == {"id": "DEL002"}
    assert skipped["message"]["text"].startswith("DEL002 [.] skipped: Not evaluated: change sizes")
    assert "DEL002" not in {r["ruleId"] for r in run["results"]}  # not a result: not a finding, not a failure


def test_run_metadata() -> None:
    run = json.loads(render("sarif", sample_report(), mini_catalog()))["runs"][0]
    assert run["tool"]["driver"]["version"] == "9.9.9"
    assert run["automationDetails"]["id"] == "practicelint/examples/sample/"
    assert "%SRCROOT%" in run["originalUriBaseIds"]
    assert run["properties"]["commit"] == "0123456789abcdef0123456789abcdef01234567"


def test_severity_override_sets_result_level() -> None:
    res = result("SEC007", "svc", Status.FAIL, "no threat model", severity=Severity.ERROR)
    report = replace(sample_report(), results=[res])
    assert json.loads(render("sarif", report, mini_catalog()))["runs"][0]["results"][0]["level"] == "error"


def test_evidence_location_and_related_locations() -> None:
    run = json.loads(render("sarif", sample_report(), mini_catalog()))["runs"][0]
    first = run["results"][0]
    physical = first["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "examples/sample/services/api/slo.yaml", "uriBaseId": "%SRCROOT%"}
    assert physical["region"] == {"startLine": 10}
    assert first["locations"][0]["message"]["text"] == "p90 latency objective"
    related = first["relatedLocations"][0]["physicalLocation"]
    assert (related["artifactLocation"]["uri"], related["region"]["startLine"]) == ("examples/sample/services/api/alerts.yaml", 3)


@pytest.mark.parametrize("rule_id,scope,source,expected", [
    ("SEC001", ".", "default", "examples/sample/README.md"),                      # repo rule
    ("PERF001", "services/api", "backstage", "examples/sample/services/api/catalog-info.yaml"),
    ("PERF001", "services/worker", "config", "examples/sample/services/worker/README.md"),
    ("PERF001", ".", "default", "examples/sample/README.md"),                     # single-service repo
])
def test_findings_without_evidence_are_anchored_to_the_file_a_fix_touches(rule_id, scope, source, expected) -> None:
    from linter.results import Scope
    report = sample_report()
    report = replace(report, scopes=[Scope(scope, "x", source)])
    res = result(rule_id, scope, Status.FAIL, "nothing found")
    where = anchor(report, res)
    assert (where.path, where.line, where.fallback) == (expected, 0, True)
    data = json.loads(render("sarif", replace(report, results=[res]), mini_catalog()))
    location = data["runs"][0]["results"][0]["locations"][0]
    assert location["physicalLocation"]["region"]["startLine"] == 1
    assert "No" in location["message"]["text"]


def test_fingerprint_ignores_lines_and_wording_but_not_rule_scope_or_files() -> None:
    base = result("PERF001", "svc", Status.FAIL, "p90 only (slo.yaml:10)", (Evidence("slo.yaml", 10, "p90"),))
    moved = result("PERF001", "svc", Status.FAIL, "p90 only (slo.yaml:42)", (Evidence("slo.yaml", 42, "p90!"),))
    assert fingerprint(base) == fingerprint(moved)
    assert fingerprint(base) != fingerprint(result("PERF001", "other", Status.FAIL, "x", (Evidence("slo.yaml", 10),)))
    assert fingerprint(base) != fingerprint(result("SEC007", "svc", Status.FAIL, "x", (Evidence("slo.yaml", 10),)))
    assert fingerprint(base) != fingerprint(result("PERF001", "svc", Status.FAIL, "x", (Evidence("other.yaml", 10),)))


def test_partial_fingerprints_are_in_the_form_github_uses() -> None:
    run = json.loads(render("sarif", sample_report(), mini_catalog()))["runs"][0]
    prints = run["results"][0]["partialFingerprints"]
    assert prints["primaryLocationLineHash"].endswith(":1") and len(prints["primaryLocationLineHash"]) == 18
    assert len({r["partialFingerprints"]["practicelint/v1"] for r in run["results"]}) == len(run["results"])


@pytest.mark.parametrize("target,prefix", [
    (".", ""), ("./", ""), ("", ""), ("examples/monorepo", "examples/monorepo"), ("./svc//api/", "svc/api"),
    ("/abs/repo", ""), ("../other", ""), ("a/../b", ""), ("C:\\work\\repo", ""), ("svc\\api", "svc/api"),
])
def test_target_prefix(target: str, prefix: str) -> None:
    assert target_prefix(target) == prefix


def test_uri_is_percent_encoded() -> None:
    res = result("PERF001", "svc", Status.FAIL, "x", (Evidence("my dir/a#b%c?.yaml", 2),))
    report = replace(sample_report(), target_path=".", results=[res])
    run = json.loads(render("sarif", report, mini_catalog()))["runs"][0]
    assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "my%20dir/a%23b%25c%3F.yaml"


def test_rule_anchor_matches_github_heading_slug() -> None:
    assert rule_anchor("PERF001", "tail-latency-slo") == "perf001-tail-latency-slo"


def _with_docs_url(template: str | None):
    report = sample_report()
    return replace(report, record=replace(report.record, docs_url=template))


def test_help_uri_only_from_a_configured_docs_url() -> None:
    assert help_uri(sample_report(), "SEC001", "dependency-scanning-in-ci") is None
    report = _with_docs_url("https://docs.example.com/rules.md#{anchor}")
    assert help_uri(report, "SEC001", "dependency-scanning-in-ci") == \
        "https://docs.example.com/rules.md#sec001-dependency-scanning-in-ci"
    report = _with_docs_url("https://wiki.example.com/practicelint/{rule}?name={name}")
    run = json.loads(render("sarif", report, mini_catalog()))["runs"][0]
    perf = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == "PERF001")
    assert perf["helpUri"] == "https://wiki.example.com/practicelint/PERF001?name=tail-latency-slo"
    assert "[Rule reference](https://wiki.example.com/practicelint/PERF001?name=tail-latency-slo)" in \
        perf["help"]["markdown"]


def test_no_made_up_home_page() -> None:
    text = render("sarif", sample_report(), mini_catalog())
    assert "informationUri" not in text and "github.com/practicelint" not in text


def test_record_as_provenance_invocation_and_run_properties(validator) -> None:
    data = json.loads(render("sarif", sample_report(), mini_catalog()))
    validator.validate(data)
    run = data["runs"][0]
    assert run["versionControlProvenance"] == [{"repositoryUri": "https://github.com/acme/sample.git",
                                                "revisionId": "0123456789abcdef0123456789abcdef01234567"}]
    invocation = run["invocations"][0]
    assert "startTimeUtc" not in invocation  # a pinned clock is not when the run started
    assert invocation["properties"]["generatedAt"] == "2026-12-01T09:30:00Z"
    assert invocation["properties"]["clock"] == "PRACTICELINT_NOW"
    props = run["properties"]
    assert props["configDigest"] == "sha256:" + "ab" * 32
    assert props["configFiles"] == ["practicelint:recommended", ".practicelint.yaml"]
    assert props["remote"] == "https://github.com/acme/sample.git" and props["toolVersion"] == "9.9.9"
    assert [(s["path"], s["kind"], s["kindSource"]) for s in props["scopes"]] == [
        ("services/api", "service", "backstage"), ("services/worker", "unknown", "none")]
    assert props["scopes"][0]["kindEvidence"] == [
        {"path": "services/api/catalog-info.yaml", "line": 6, "detail": "spec.type: service"}]
    system = replace(sample_report(), record=replace(sample_report().record, clock="system clock"))
    run = json.loads(render("sarif", system, mini_catalog()))["runs"][0]
    assert run["invocations"][0]["startTimeUtc"] == "2026-12-01T09:30:00Z"


@pytest.mark.parametrize(("remote", "expected"), [
    ("https://github.com/acme/api.git", "https://github.com/acme/api.git"),
    ("git@github.com:acme/api.git", "ssh://git@github.com/acme/api.git"),
    ("ssh://git@host:2222/acme/api", "ssh://git@host:2222/acme/api"),
    ("file:///srv/git/api", "file:///srv/git/api"),
    ("not a uri", None),
])
def test_repository_uri(remote: str, expected: str | None) -> None:
    from linter.repo.remotes import repository_uri

    assert repository_uri(remote) == expected


def test_no_provenance_without_a_remote() -> None:
    report = replace(sample_report(), record=replace(sample_report().record, remote=None))
    assert "versionControlProvenance" not in json.loads(render("sarif", report, mini_catalog()))["runs"][0]


def test_unknown_rule_gets_a_descriptor() -> None:
    res = replace(result("PERF001", "svc", Status.FAIL, "x"), rule_id="XYZ999", name="plugin-rule")
    data = json.loads(render("sarif", replace(sample_report(), results=[res]), mini_catalog()))
    run = data["runs"][0]
    assert run["tool"]["driver"]["rules"][run["results"][0]["ruleIndex"]]["id"] == "XYZ999"


def test_deterministic() -> None:
    assert render("sarif", hostile_report(), mini_catalog()) == render("sarif", hostile_report(), mini_catalog())


def test_hostile_path_stays_one_uri() -> None:
    data = json.loads(render("sarif", hostile_report(), mini_catalog()))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in data["runs"][0]["results"]}
    assert any("%0A" in u and "%7C" in u for u in uris), uris
    assert HOSTILE_PATH not in uris
