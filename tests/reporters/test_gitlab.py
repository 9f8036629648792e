"""GitLab Code Quality: the fields the merge-request widget needs, stable fingerprints."""

from __future__ import annotations

import json
from dataclasses import replace

from linter.reporters import render
from linter.results import Evidence, Status
from tests.reporters.samples import SCRIPT, hostile_report, mini_catalog, result, sample_report


def test_issues_for_problems_only() -> None:
    issues = json.loads(render("gitlab", sample_report(), mini_catalog()))
    assert [i["check_name"] for i in issues] == ["PERF001 tail-latency-slo", "PERF001 tail-latency-slo",
                                                 "SEC007 threat-model", "ORG001 team-size"]
    first = issues[0]
    assert first["description"] == ("PERF001 tail-latency-slo [services/api]: latency objectives only at p90 "
                                    "(services/api/slo.yaml:10)")
    assert first["severity"] == "critical"
    assert first["location"] == {"path": "examples/sample/services/api/slo.yaml", "lines": {"begin": 10}}
    assert len(first["fingerprint"]) == 64
    assert issues[1]["location"] == {"path": "examples/sample/services/worker/README.md", "lines": {"begin": 1}}
    assert issues[2]["severity"] == "info" and "(waived)" in issues[2]["description"]  # still visible
    assert issues[3]["severity"] == "major" and "could not be checked" in issues[3]["description"]
    assert len({i["fingerprint"] for i in issues}) == 4


def test_severity_mapping_for_info() -> None:
    report = replace(sample_report(), results=[result("SEC007", "services/api", Status.FAIL, "no threat model")])
    assert json.loads(render("gitlab", report, mini_catalog()))[0]["severity"] == "info"


def test_fingerprint_survives_moved_lines() -> None:
    def fp(line: int) -> str:
        res = result("PERF001", "svc", Status.FAIL, f"p90 at slo.yaml:{line}", (Evidence("slo.yaml", line, "p90"),))
        return json.loads(render("gitlab", replace(sample_report(), results=[res]), mini_catalog()))[0]["fingerprint"]

    assert fp(3) == fp(30)


def test_hostile_report_is_valid_json_with_text_as_data() -> None:
    text = render("gitlab", hostile_report(long=True), mini_catalog())
    issues = json.loads(text)
    assert all(SCRIPT in i["description"] for i in issues)
    assert all(isinstance(i["location"]["lines"]["begin"], int) for i in issues)
    assert "\x00" not in text and "\x1b" not in text


def test_empty_report_is_an_empty_array() -> None:
    report = replace(sample_report(), results=[])
    assert json.loads(render("gitlab", report, mini_catalog())) == []
