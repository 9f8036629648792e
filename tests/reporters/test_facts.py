"""The words every format shares: kinds, the record's items, baseline counts, findings alike."""

from __future__ import annotations

from dataclasses import replace

from linter.reporters.facts import alike, baseline_counts, kind_text, waivers_text
from linter.results import Evidence, Scope, Status
from tests.reporters.samples import result, sample_report


def test_kind_text() -> None:
    assert kind_text(Scope(".", "r")) == "unknown (no signal)"
    evidence = tuple(Evidence(f"k8s/{i}.yaml", i + 1, "Deployment") for i in range(5))
    scope = Scope(".", "r", kind="service", kind_source="inferred", kind_evidence=evidence)
    assert kind_text(scope) == "service (inferred: k8s/0.yaml:1, k8s/1.yaml:2, k8s/2.yaml:3, 2 more)"
    config = Scope("a", "a", kind="library", kind_source="config", kind_evidence=(Evidence(".practicelint.yaml", 4),))
    assert kind_text(config) == "library (from the configuration: .practicelint.yaml:4)"


def _names(*names: str) -> dict[str, str]:
    return {f"services/{n}": n for n in names}


def test_alike_takes_the_scope_name_out_as_a_word() -> None:
    ads = result("PERF001", "services/ads", Status.FAIL, "no deploy configuration for ads: looked for workloads")
    api = result("PERF001", "services/api", Status.FAIL, "no deploy configuration for api: looked for workloads")
    odd = result("PERF001", "services/odd", Status.FAIL, "no deploy configuration for odd: looked for workl")
    runs = alike((ads, api, odd), _names("ads", "api", "odd"))
    assert [[r.scope for r in run] for run in runs] == [["services/ads", "services/api"], ["services/odd"]]


def test_alike_compares_evidence_in_each_scopes_own_folder() -> None:
    def finding(name: str, line: int):
        return result("PERF001", f"services/{name}", Status.FAIL, f"p90 only for {name}",
                      (Evidence(f"services/{name}/slo.yaml", line, f"{name}-latency: p90"),))

    runs = alike((finding("a", 21), finding("b", 21), finding("c", 9)), _names("a", "b", "c"))
    assert [[r.scope for r in run] for run in runs] == [["services/a", "services/b"], ["services/c"]]


def test_baseline_counts_only_when_a_baseline_is_in_use() -> None:
    report = sample_report()
    assert baseline_counts(report) is None
    in_use = replace(report, record=replace(report.record, baseline="b.json"))
    assert baseline_counts(in_use).text() == "3 new, 0 baselined, 0 fixed"  # 2 failures and 1 error
    results = [replace(r, baselined=True) if r.status is Status.ERROR else r for r in report.results]
    assert baseline_counts(replace(in_use, results=results)).text() == "2 new, 1 baselined, 0 fixed"


def test_waivers_text() -> None:
    assert waivers_text(sample_report()) == "none declared"


def test_waivers_text_counts_states() -> None:
    from datetime import date

    from linter.results import Waiver, WaiverUse

    w = Waiver("PERF001", "r", "o", date(2026, 12, 20))
    uses = [WaiverUse(w, "active", 1), WaiverUse(w, "active", 2), WaiverUse(w, "expired"), WaiverUse(w, "stale")]
    assert waivers_text(replace(sample_report(), waivers=uses)) == "2 in effect (1 expired, 1 stale)"
