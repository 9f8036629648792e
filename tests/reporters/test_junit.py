"""JUnit XML: parses, follows the common JUnit XSD (Jenkins/GitLab), counts add up, escaping."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from linter.catalog import load_catalog
from linter.reporters import render
from tests.examples_support import EXAMPLE_NAMES, example_report_object
from tests.reporters.samples import SCRIPT, hostile_report, mini_catalog, sample_report

# The JUnit XSD Jenkins and GitLab read (junit-4.xsd): allowed attributes and child order.
ATTRIBUTES = {
    "testsuites": {"name", "time", "tests", "failures", "disabled", "errors"},
    "testsuite": {"name", "tests", "failures", "errors", "time", "disabled", "skipped", "timestamp",
                  "hostname", "id", "package"},
    "testcase": {"name", "assertions", "time", "classname", "status"},
    "failure": {"type", "message"}, "error": {"type", "message"},
    "skipped": set(), "system-out": set(), "system-err": set(),
    "properties": set(), "property": {"name", "value"},
}
REQUIRED = {"testsuite": {"name", "tests"}, "testcase": {"name"}, "property": {"name", "value"}}
CHILD_ORDER = {
    "testsuites": ["testsuite"],
    "testsuite": ["properties", "testcase", "system-out", "system-err"],
    "testcase": ["skipped", "error", "failure", "system-out", "system-err"],
    "properties": ["property"],
}


def assert_junit_xsd(element: ET.Element) -> None:
    """A structural check equivalent to junit-4.xsd (no XSD library is needed)."""
    assert set(element.attrib) <= ATTRIBUTES[element.tag], (element.tag, element.attrib)
    assert REQUIRED.get(element.tag, set()) <= set(element.attrib), element.tag
    order = CHILD_ORDER.get(element.tag)
    children = list(element)
    if order is None:
        assert children == [], f"{element.tag} is text-only"
        return
    positions = [order.index(child.tag) for child in children]
    assert positions == sorted(positions), (element.tag, [c.tag for c in children])
    if element.tag == "testcase":
        assert sum(c.tag == "skipped" for c in children) <= 1
    for child in children:
        assert_junit_xsd(child)


def _parse(text: str) -> ET.Element:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(text.encode("utf-8"))


def _counts(element: ET.Element) -> dict[str, int]:
    cases = element.iter("testcase")
    out = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for case in cases:
        out["tests"] += 1
        out["failures"] += case.find("failure") is not None
        out["errors"] += case.find("error") is not None
        out["skipped"] += case.find("skipped") is not None
    return out


def test_structure_of_the_sample_report() -> None:
    root = _parse(render("junit", sample_report(), mini_catalog()))
    assert_junit_xsd(root)
    assert [s.get("name") for s in root] == ["performance", "security", "delivery", "teams"]
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert set(cases) == {"PERF001 tail-latency-slo [services/api]", "PERF001 tail-latency-slo [services/worker]",
                          "SEC001 dependency-scanning-in-ci [.]", "SEC007 threat-model [services/api]",
                          "SEC007 threat-model [services/worker]", "ORG001 team-size [.]",
                          "DEL002 small-changes [.]"}
    assert all(c.get("classname") in ("performance", "security", "delivery", "teams") for c in cases.values())
    failure = cases["PERF001 tail-latency-slo [services/api]"].find("failure")
    assert failure.get("message") == "latency objectives only at p90 (services/api/slo.yaml:10)"
    assert failure.get("type") == "error"
    assert "services/api/slo.yaml:10  p90 latency objective" in failure.text
    assert "fix: Fix tail-latency-slo." in failure.text
    assert cases["ORG001 team-size [.]"].find("error") is not None
    assert cases["SEC007 threat-model [services/api]"].find("skipped").text.startswith("waived:")
    assert cases["SEC007 threat-model [services/worker]"].find("skipped").text.startswith("not_applicable:")
    # not evaluated here: a JUnit skip with its reason, never a failure or an error
    skipped = cases["DEL002 small-changes [.]"]
    assert [c.tag for c in skipped] == ["skipped", "system-out"]
    assert skipped.find("skipped").text.startswith("skipped: Not evaluated: change sizes")
    delivery = next(s for s in root if s.get("name") == "delivery")
    assert (delivery.get("skipped"), delivery.get("failures"), delivery.get("errors")) == ("1", "0", "0")
    passing = cases["SEC001 dependency-scanning-in-ci [.]"]
    assert [c.tag for c in passing] == ["system-out"]


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_counts_add_up_for_every_example(name: str) -> None:
    report = example_report_object(name)
    root = _parse(render("junit", report, load_catalog()))
    assert_junit_xsd(root)
    total = _counts(root)
    assert int(root.get("tests")) == total["tests"] == len(report.results)
    assert int(root.get("failures")) == total["failures"]
    assert int(root.get("errors")) == total["errors"]
    for suite in root:
        counts = _counts(suite)
        assert {k: int(suite.get(k)) for k in counts} == counts


@pytest.mark.parametrize("long", [False, True])
def test_hostile_strings_parse_and_stay_text(long: bool) -> None:
    text = render("junit", hostile_report(long), mini_catalog())
    assert "\x00" not in text and "\x1b" not in text
    root = _parse(text)
    assert_junit_xsd(root)
    failure = next(root.iter("failure"))
    assert SCRIPT in failure.get("message")  # data, round-tripped through escaping
    assert "\\x00nul" in failure.get("message") and "\\x1b[31m" in failure.get("message")
    assert "<script>" not in text  # escaped on the wire


def test_deterministic() -> None:
    assert render("junit", sample_report(), mini_catalog()) == render("junit", sample_report(), mini_catalog())


def test_every_suite_carries_the_record_and_the_kinds() -> None:
    root = _parse(render("junit", sample_report(), mini_catalog()))
    suites = list(root)
    values = [{p.get("name"): p.get("value") for p in suite.find("properties")} for suite in suites]
    assert all(v == values[0] for v in values)  # the same in every suite
    props = values[0]
    assert props["practicelint.generated_at"] == "2026-12-01T09:30:00Z"
    assert props["practicelint.clock"] == "PRACTICELINT_NOW"
    assert props["practicelint.commit"] == "0123456789abcdef0123456789abcdef01234567"
    assert props["practicelint.remote"] == "https://github.com/acme/sample.git"
    assert props["practicelint.config_digest"] == "sha256:" + "ab" * 32
    assert props["practicelint.version"] == "9.9.9"
    assert props["practicelint.kind:services/api"] == \
        "service (from the Backstage catalog: services/api/catalog-info.yaml:6)"
    assert props["practicelint.kind:services/worker"] == "unknown (no signal)"
    assert "practicelint.baseline" not in props  # no baseline in use


def test_hostile_kind_evidence_stays_an_attribute() -> None:
    root = _parse(render("junit", hostile_report(), mini_catalog()))
    props = {p.get("name"): p.get("value") for p in next(iter(root)).find("properties")}
    kind = next(v for k, v in props.items() if k.startswith("practicelint.kind:svc/<i>"))
    assert kind.startswith("service (from the configuration: svc/<b>x</b>|y`z`")
