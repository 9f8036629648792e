"""PERF001 tail-latency-slo: verdicts, messages and evidence, single-service and monorepo."""

from __future__ import annotations

from functools import partial

import shutil
from pathlib import Path

import pytest

from linter.checks.perf001_tail_latency_slo import check
from linter.detectors import slo
from linter.detectors.slo_model import SloFacts
from linter.repo.workspace import Workspace
from linter.results import Evidence, Scope, Status
from tests.checks.facts import availability, latency, slos
from tests.helpers import make_context

make_context = partial(make_context, rule="PERF001")  # contexts for PERF001, with its typed options

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "slo"


def fixture(*parts: str) -> str:
    return FIXTURES.joinpath(*parts).read_text(encoding="utf-8")


def rules(*alerts: tuple[str, str]) -> str:
    body = "".join(f"      - alert: {name}\n        expr: '{expr}'\n" for name, expr in alerts)
    return "groups:\n  - name: latency\n    rules:\n" + body


def quantile_expr(q: str) -> str:
    return f"histogram_quantile({q}, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) > 0.5"


# ---------------------------------------------------------------- pass
def test_pass_names_the_strictest_objective(make_repo) -> None:
    root = make_repo({"slo/checkout.yaml": fixture("openslo", "checkout-latency.yaml")})
    finding = check(make_context(root, options={"min_percentile": 99}))
    assert finding.status is Status.PASS
    assert finding.message == "p99.9 latency objective in slo/checkout.yaml:31 (OpenSLO ratio)"
    assert finding.evidence == (Evidence("slo/checkout.yaml", 31, "p99.9 latency objective (OpenSLO ratio): "
                                         "Checkout latency: 99.9% of checkouts under 500 ms"),)


def test_pass_lists_every_qualifying_objective_and_not_the_weaker_ones(make_repo) -> None:
    root = make_repo({"rules.yml": rules(("P50", quantile_expr("0.5")), ("P99", quantile_expr("0.99")),
                                         ("P999", quantile_expr("0.999")))})
    finding = check(make_context(root, options={"min_percentile": 99}))
    assert finding.status is Status.PASS
    assert finding.message == "p99.9 latency objective in rules.yml:8 (Prometheus alert); 1 more at the required percentile or stricter"
    assert [(e.line, e.detail.split()[0]) for e in finding.evidence] == [(6, "p99"), (8, "p99.9")]


@pytest.mark.parametrize(
    ("files", "label"),
    [
        ({"sloth.yaml": fixture("sloth", "checkout.yaml")}, "p99 latency objective in sloth.yaml:22 (Sloth)"),
        ({"crd.yaml": fixture("sloth", "orders-crd.yaml")}, "p99.9 latency objective in crd.yaml:11"),
        ({"pyrra.yaml": fixture("pyrra", "api-latency.yaml")}, "p99 latency objective in pyrra.yaml:11 (Pyrra latency)"),
        ({"rule.yaml": fixture("prometheus", "prometheusrule.yaml")}, "p99.9 latency objective in rule.yaml:12"),
        ({"slo.yaml": fixture("google", "checkout-v2.yaml")}, "p99.9 latency objective in slo.yaml:18"),
        ({"slo.yaml": fixture("google", "legacy-v1.yaml")}, "p99 latency objective in slo.yaml:6"),
        ({"dd.tf": fixture("datadog", "slos.tf")}, "p99.9 latency objective in dd.tf:2 (Datadog metric SLO)"),
        ({"sli.yaml": fixture("openslo", "search-sli.yaml"), "slo.yaml": fixture("openslo", "search-slo.yaml")},
         "p99 latency objective in slo.yaml:15 (OpenSLO ratio)"),
    ],
)
def test_pass_for_each_format(make_repo, files: dict[str, str], label: str) -> None:
    finding = check(make_context(make_repo(files), options={"min_percentile": 99}))
    assert finding.status is Status.PASS
    assert finding.message.startswith(label)


# ---------------------------------------------------------------- fail: only weaker percentiles
def test_fail_names_the_weaker_percentiles(make_repo) -> None:
    root = make_repo({"rules.yml": fixture("prometheus", "median-only.yml")})
    finding = check(make_context(root, options={"min_percentile": 99}))
    assert finding.status is Status.FAIL
    assert finding.message == (
        "latency objectives only at p95 (rules.yml:8), p50 (rules.yml:4): the median and p95 hide the "
        "slowest requests; add a p99 (or stricter) latency objective"
    )
    assert [e.line for e in finding.evidence] == [4, 8]


def test_pyrra_p90_target_fails(make_repo) -> None:
    root = make_repo({"pyrra/typical.yaml": fixture("pyrra", "api-latency-p90.yaml"),
                      "pyrra/errors.yaml": fixture("pyrra", "api-errors.yaml")})
    finding = check(make_context(root, options={"min_percentile": 99}))
    assert finding.status is Status.FAIL
    assert finding.message.startswith("latency objectives only at p90 (pyrra/typical.yaml:7): p90 hides")


def test_min_percentile_999_makes_a_p99_objective_fail(make_repo) -> None:
    root = make_repo({"pyrra.yaml": fixture("pyrra", "api-latency.yaml")})
    finding = check(make_context(root, options={"min_percentile": 99.9}))
    assert finding.status is Status.FAIL
    assert "p99 (pyrra.yaml:11)" in finding.message
    assert finding.message.endswith("add a p99.9 (or stricter) latency objective")


def test_min_percentile_95_accepts_a_p95_objective(make_repo) -> None:
    root = make_repo({"rules.yml": rules(("P95", quantile_expr("0.95")))})
    assert check(make_context(root, options={"min_percentile": 95})).status is Status.PASS


@pytest.mark.parametrize("bad", ["99", None, True, -1, 1000, 49])
def test_invalid_min_percentile_is_refused_before_the_check(make_repo, bad: object) -> None:
    root = make_repo({"rules.yml": rules(("P99", quantile_expr("0.99")))})
    with pytest.raises(ValueError):
        make_context(root, options={"min_percentile": bad})


# ---------------------------------------------------------------- fail: no latency objective
def test_fail_with_only_availability_objectives_says_so(make_repo) -> None:
    root = make_repo({"slo/avail.yaml": fixture("openslo", "availability.yaml"),
                      "sloth/inventory.yaml": fixture("sloth", "inventory-availability.yaml")})
    finding = check(make_context(root, options={"min_percentile": 99}))
    assert finding.status is Status.FAIL
    assert finding.message == (
        "no latency SLO found at p99 or any other percentile; only availability objectives "
        "(slo/avail.yaml:29, 99.9% availability, slo/avail.yaml:58, 99.5% availability, "
        "sloth/inventory.yaml:4, 99.95% availability, sloth/inventory.yaml:16, 99.9% availability), "
        "which say nothing about latency. Read: OpenSLO (1 file), Sloth (1 file)."
    )
    assert len(finding.evidence) == 4
    assert all("not a latency objective" in e.detail for e in finding.evidence)


def test_fail_with_nothing_found_lists_the_formats_looked_for(make_repo) -> None:
    root = make_repo({"README.md": "Our SLO: 99.9% of requests under 500 ms (p99.9).\n",
                      "slo.yaml": "# apiVersion: openslo/v1\n# target: 0.999\nname: x\n"})
    finding = check(make_context(root, options={"min_percentile": 99}))
    assert finding.status is Status.FAIL
    assert finding.message.startswith("no latency SLO found at p99 or any other percentile. Looked for OpenSLO, "
                                      "Sloth, Pyrra, Prometheus rules, slo-generator")
    assert finding.evidence == ()


def test_rule_files_without_percentiles_are_reported_as_read(make_repo) -> None:
    root = make_repo({"rules.yml": rules(("Errors", 'sum(rate(http_requests_total{code=~"5.."}[5m])) > 1'))})
    finding = check(make_context(root, options={"min_percentile": 99}))
    assert finding.status is Status.FAIL
    assert finding.message.endswith("Read: Prometheus rules (1 file).")


def test_many_availability_objectives_are_summarised(make_repo) -> None:
    slos = "".join(
        f"  - name: a{i}\n    objective: 99.9\n    sli:\n      events:\n"
        f"        error_query: sum(rate(x_total{{code=~\"5..\"}}[5m]))\n        total_query: sum(rate(x_total[5m]))\n"
        for i in range(6)
    )
    root = make_repo({"sloth.yaml": f"version: prometheus/v1\nservice: s\nslos:\n{slos}"})
    finding = check(make_context(root, options={"min_percentile": 99}))
    assert "and 2 more)" in finding.message
    assert len(finding.evidence) == 6


# ---------------------------------------------------------------- monorepos
def _central_slo_repo(make_repo) -> Path:
    """SLOs kept centrally in slo/, attributed by their ``spec.service``."""
    search_p95 = fixture("openslo", "search-slo.yaml").replace("targetPercent: 99", "targetPercent: 95")
    return make_repo({
        "services/checkout/main.go": "package main\n",
        "services/search/main.go": "package main\n",
        "slo/checkout.yaml": fixture("openslo", "checkout-latency.yaml"),
        "slo/search-sli.yaml": fixture("openslo", "search-sli.yaml"),
        "slo/search.yaml": search_p95,
    })


SCOPES = [Scope("services/checkout", "checkout", "config"), Scope("services/search", "search", "config")]


def test_monorepo_attribution_by_service_name(make_repo) -> None:
    root = _central_slo_repo(make_repo)
    ws = Workspace(root)
    checkout = check(make_context(root, scope=SCOPES[0], scopes=SCOPES, workspace=ws, options={"min_percentile": 99}))
    search = check(make_context(root, scope=SCOPES[1], scopes=SCOPES, workspace=ws, options={"min_percentile": 99}))
    assert checkout.status is Status.PASS
    assert checkout.message == "p99.9 latency objective in slo/checkout.yaml:31 (OpenSLO ratio)"
    assert search.status is Status.FAIL
    assert search.message.startswith("latency objectives only at p95 (slo/search.yaml:13), p95 (slo/search.yaml:15)")
    assert {e.path for e in search.evidence} == {"slo/search.yaml"}


def test_monorepo_attribution_by_folder(make_repo) -> None:
    root = make_repo({
        "services/checkout/alerts/latency.yml": rules(("CheckoutP99", quantile_expr("0.99"))),
        "services/search/alerts/latency.yml": rules(("SearchP50", quantile_expr("0.5"))),
    })
    ws = Workspace(root)
    verdicts = {s.name: check(make_context(root, scope=s, scopes=SCOPES, workspace=ws,
                                           options={"min_percentile": 99})) for s in SCOPES}
    assert verdicts["checkout"].status is Status.PASS
    assert verdicts["checkout"].evidence[0].path == "services/checkout/alerts/latency.yml"
    assert verdicts["search"].status is Status.FAIL
    assert "p50 (services/search/alerts/latency.yml:4)" in verdicts["search"].message
    assert "the median hides the slowest requests" in verdicts["search"].message


def test_service_name_that_matches_no_scope_falls_back_to_the_folder(make_repo) -> None:
    root = make_repo({"services/checkout/pyrra.yaml": fixture("pyrra", "api-latency-p90.yaml").replace('"90"', '"99.5"')})
    finding = check(make_context(root, scope=SCOPES[0], scopes=SCOPES, options={"min_percentile": 99}))
    assert finding.status is Status.PASS  # namespace "monitoring" is no scope: the folder decides


def test_whole_fixture_set_passes_at_99(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES, root)
    finding = check(make_context(root, options={"min_percentile": 99}))
    assert finding.status is Status.PASS
    assert finding.message.startswith("p99.9 latency objective in datadog/slos.tf:2 (Datadog metric SLO)")


def test_monorepo_service_without_objectives_is_told_what_was_read_elsewhere(make_repo) -> None:
    root = make_repo({
        "services/checkout/alerts/latency.yml": rules(("CheckoutP99", quantile_expr("0.99"))),
        "services/search/main.go": "package main\n",
    })
    finding = check(make_context(root, scope=SCOPES[1], scopes=SCOPES, options={"min_percentile": 99}))
    assert finding.status is Status.FAIL
    assert finding.message == (
        "no latency SLO found at p99 or any other percentile. SLO files read in the repository: "
        "Prometheus rules (1 file); none holds a latency objective for search."
    )


# --------------------------------------------------------------------------- table tests on facts
# Each row gives the objectives the SLO detector would find, whatever format they came from.
@pytest.mark.parametrize(("given", "options", "status", "message"), [
    pytest.param(slos(latency(99)), {}, Status.PASS, "p99 latency objective in slo/api.yaml:5 (OpenSLO ratio)",
                 id="p99"),
    pytest.param(slos(latency(99.9), latency(99, line=9)), {}, Status.PASS,
                 "p99.9 latency objective in slo/api.yaml:5 (OpenSLO ratio); 1 more at the required percentile or "
                 "stricter", id="the strictest named first"),
    pytest.param(slos(latency(98.99)), {}, Status.FAIL,
                 "latency objectives only at p98.99 (slo/api.yaml:5): p98.99 hides the slowest requests; add a p99 "
                 "(or stricter) latency objective", id="near miss: just below p99"),
    pytest.param(slos(latency(95), latency(50, line=9)), {}, Status.FAIL,
                 "latency objectives only at p95 (slo/api.yaml:5), p50 (slo/api.yaml:9): the median and p95 hide the "
                 "slowest requests", id="near miss: p95 and the median"),
    pytest.param(slos(latency(95)), {"min_percentile": 95}, Status.PASS,
                 "p95 latency objective in slo/api.yaml:5 (OpenSLO ratio)", id="option lowers the bar"),
    pytest.param(slos(availability(99.99)), {}, Status.FAIL,
                 "no latency SLO found at p99 or any other percentile; only availability objectives (slo/api.yaml:5, "
                 "99.99% availability), which say nothing about latency. Read: OpenSLO (1 file).",
                 id="near miss: availability at 99.99%"),
    pytest.param(slos(), {}, Status.FAIL,
                 "no latency SLO found at p99 or any other percentile. Looked for OpenSLO, Sloth, Pyrra, Prometheus "
                 "rules, slo-generator, Datadog SLOs in Terraform; the repository holds none.", id="nothing read"),
])
def test_table_of_facts(given: SloFacts, options: dict, status: Status, message: str) -> None:
    finding = check(make_context(facts={slo.detect: given}, options=options))
    assert finding.status is status
    assert finding.message.startswith(message)


def test_table_objective_naming_a_service_belongs_to_it_wherever_it_is_written() -> None:
    api, web = Scope("services/api", "api", "config"), Scope("services/web", "web", "config")
    given = slos(latency(99, path="slo/all.yaml", service="api"))
    assert check(make_context(facts={slo.detect: given}, scope=api, scopes=[api, web])).status is Status.PASS
    finding = check(make_context(facts={slo.detect: given}, scope=web, scopes=[api, web]))
    assert finding.status is Status.FAIL
    assert finding.message.endswith("SLO files read in the repository: OpenSLO (1 file); none holds a latency "
                                    "objective for web.")
