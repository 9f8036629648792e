"""The SLO detector on real-world-shaped files of every supported format, and on hostile input."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable

import pytest

from linter.detectors.slo import SloFacts, detect
from linter.repo.workspace import Workspace

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "slo"


@pytest.fixture(scope="module")
def fixture_facts(tmp_path_factory: pytest.TempPathFactory) -> SloFacts:
    """All fixture formats in one repository (a copy, so the outer git repo is not involved)."""
    root = tmp_path_factory.mktemp("slo") / "repo"
    shutil.copytree(FIXTURES, root)
    return detect(Workspace(root))


def _detect(make_repo: Callable[[dict[str, str | bytes]], Path], files: dict[str, str | bytes]) -> tuple[SloFacts, Workspace]:
    ws = Workspace(make_repo(files))
    return detect(ws), ws


# ---------------------------------------------------------------- every format, exactly
EXPECTED_LATENCY = {
    # OpenSLO v1 inline ratio on a bucket: "99.9% under 500 ms" is p99.9
    ("openslo/checkout-latency.yaml", 31, 99.9, "OpenSLO ratio", "checkout"),
    # indicatorRef resolved across files; each objective counts (target and targetPercent)
    ("openslo/search-slo.yaml", 13, 95.0, "OpenSLO ratio", "search"),
    ("openslo/search-slo.yaml", 15, 99.0, "OpenSLO ratio", "search"),
    # threshold on histogram_quantile(0.99): the quantile, not the 95% time-slice target
    ("openslo/web-threshold.yaml", 21, 99.0, "OpenSLO threshold on a quantile", "web"),
    # occurrences shape: op lte + target on a latency metric
    ("openslo/api-occurrences.yaml", 21, 95.0, "OpenSLO threshold", "api"),
    ("openslo/api-occurrences.yaml", 25, 90.0, "OpenSLO threshold", "api"),
    # v1alpha: thresholdMetric with two objectives, and objectives[].ratioMetrics
    ("openslo/v1alpha.yaml", 20, 90.0, "OpenSLO threshold", "payments"),
    ("openslo/v1alpha.yaml", 24, 99.9, "OpenSLO threshold", "payments"),
    ("openslo/v1alpha.yaml", 41, 99.0, "OpenSLO ratio", "payments"),
    # Sloth plain (bucket in error_query despite code filters) and CRD (camelCase raw query)
    ("sloth/checkout.yaml", 22, 99.0, "Sloth", "checkout"),
    ("sloth/orders-crd.yaml", 11, 99.9, "Sloth PrometheusServiceLevel", "orders"),
    # Pyrra latency ("99" string), the p90 near miss, and latencyNative (number target)
    ("pyrra/api-latency.yaml", 11, 99.0, "Pyrra latency", "api"),
    ("pyrra/api-latency-p90.yaml", 7, 90.0, "Pyrra latency", "monitoring"),
    ("pyrra/api-native.yaml", 7, 99.5, "Pyrra latencyNative", "api"),
    # Prometheus rules: recording p50 (0.5) and p95 (.95), alert p99, CRD p99.9, summary
    ("prometheus/latency-rules.yml", 4, 50.0, "Prometheus recording rule", None),
    ("prometheus/latency-rules.yml", 6, 95.0, "Prometheus recording rule", None),
    ("prometheus/latency-rules.yml", 8, 99.0, "Prometheus alert", None),
    ("prometheus/median-only.yml", 4, 50.0, "Prometheus alert", None),
    ("prometheus/median-only.yml", 8, 95.0, "Prometheus recording rule", None),
    ("prometheus/prometheusrule.yaml", 12, 99.9, "PrometheusRule recording rule", "ledger"),
    ("prometheus/summary.yml", 4, 99.0, "Prometheus alert", None),
    ("prometheus/grafana-alerting.yaml", 8, 99.0, "Prometheus alert", None),
    # slo-generator v2 distribution_cut and basic latency, legacy v1 query_sli
    ("google/checkout-v2.yaml", 18, 99.9, "slo-generator distribution_cut", "checkout"),
    ("google/frontend-basic.yaml", 19, 95.0, "slo-generator basic", "frontend"),
    ("google/legacy-v1.yaml", 6, 99.0, "slo-generator query_sli", "prom"),
    # Datadog in Terraform: metric SLO (strictest threshold) and time_slice p95
    ("datadog/slos.tf", 2, 99.9, "Datadog metric SLO", "checkout"),
    ("datadog/slos.tf", 43, 95.0, "Datadog time-slice SLO", "search"),
}

EXPECTED_AVAILABILITY = {
    ("openslo/availability.yaml", 29, 99.9, "OpenSLO ratio"),  # bad = 5xx
    ("openslo/availability.yaml", 58, 99.5, "OpenSLO ratio"),  # named "latency", counts 2xx
    ("sloth/checkout.yaml", 7, 99.9, "Sloth"),  # code=~"5.." on a *_duration_seconds_count metric
    ("sloth/inventory-availability.yaml", 4, 99.95, "Sloth"),
    ("sloth/inventory-availability.yaml", 16, 99.9, "Sloth"),  # grpc_code != OK
    ("pyrra/api-errors.yaml", 7, 99.9, "Pyrra ratio"),
    ("pyrra/api-errors.yaml", 22, 99.99, "Pyrra bool_gauge"),
    ("google/frontend-availability.yaml", 21, 99.9, "slo-generator good_bad_ratio"),
    ("datadog/slos.tf", 22, 99.95, "Datadog metric SLO"),
}


def test_every_fixture_latency_objective_is_found_exactly(fixture_facts: SloFacts) -> None:
    found = {(o.path, o.line, o.percentile, o.kind, o.service) for o in fixture_facts.latency}
    assert found == EXPECTED_LATENCY


def test_availability_objectives_are_kept_apart(fixture_facts: SloFacts) -> None:
    found = {(o.path, o.line, o.target_percent, o.kind) for o in fixture_facts.availability}
    assert found == EXPECTED_AVAILABILITY


def test_size_histograms_and_go_gc_maximum_are_not_latency(fixture_facts: SloFacts) -> None:
    paths = {o.path for o in fixture_facts.latency}
    assert "prometheus/sizes.yml" not in paths
    assert not [o for o in fixture_facts.latency if o.path == "prometheus/summary.yml" and o.line != 4]


def test_commented_out_datadog_resource_is_ignored(fixture_facts: SloFacts) -> None:
    assert [o.line for o in fixture_facts.latency if o.path == "datadog/slos.tf"] == [2, 43]


def test_recognised_files_name_their_format(fixture_facts: SloFacts) -> None:
    formats = {f.path: f.format for f in fixture_facts.files}
    assert formats["openslo/search-sli.yaml"] == "OpenSLO"
    assert formats["prometheus/sizes.yml"] == "Prometheus rules"
    assert formats["sloth/orders-crd.yaml"] == "Sloth"
    assert formats["pyrra/api-errors.yaml"] == "Pyrra"
    assert formats["google/legacy-v1.yaml"] == "slo-generator"
    assert formats["datadog/slos.tf"] == "Datadog (Terraform)"


def test_results_are_sorted(fixture_facts: SloFacts) -> None:
    assert list(fixture_facts.latency) == sorted(fixture_facts.latency)
    assert list(fixture_facts.availability) == sorted(fixture_facts.availability)
    assert list(fixture_facts.files) == sorted(fixture_facts.files)


# ---------------------------------------------------------------- quantile spellings
@pytest.mark.parametrize(
    ("expr", "percentile"),
    [
        ("histogram_quantile(0.99, sum by (le) (rate(x_duration_seconds_bucket[5m])))", 99.0),
        ("histogram_quantile(.99, sum by (le) (rate(x_duration_seconds_bucket[5m])))", 99.0),
        ("histogram_quantile( 0.999 , sum by (le) (rate(x_duration_seconds_bucket[5m])))", 99.9),
        ("histogram_quantile(0.9999, rate(x_duration_seconds_bucket[5m])) > 1", 99.99),
        ("histogram_quantile(0.5, rate(x_duration_seconds_bucket[5m]))", 50.0),
        ("histogram_quantile(0.95, rate(x_duration_seconds_bucket[5m])) > 2 * histogram_quantile(0.5, rate(x_duration_seconds_bucket[5m]))", 95.0),
        ('api_latency_seconds{quantile="0.99"} > 0.3', 99.0),
        ("quantile_over_time(0.99, request_latency_seconds[10m]) > 1", 99.0),
    ],
)
def test_quantile_spellings_in_alert_expressions(make_repo, expr: str, percentile: float) -> None:
    rules = f"groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: '{expr}'\n"
    facts, _ = _detect(make_repo, {"rules.yml": rules})
    assert [(o.percentile, o.kind) for o in facts.latency] == [(percentile, "Prometheus alert")]


def test_rule_label_quantile_counts_for_a_latency_recording_rule(make_repo) -> None:
    rules = (
        "groups:\n  - name: g\n    rules:\n      - record: cluster_quantile:request_duration_seconds:p\n"
        "        expr: max by (le) (request_duration_seconds_p99)\n        labels:\n          quantile: \"0.99\"\n"
    )
    facts, _ = _detect(make_repo, {"rules.yml": rules})
    assert [(o.percentile, o.line) for o in facts.latency] == [(99.0, 4)]


def test_annotation_mentioning_p99_does_not_count(make_repo) -> None:
    rules = (
        "groups:\n  - name: g\n    rules:\n      - alert: Errors\n"
        "        expr: sum(rate(http_requests_total{code=~\"5..\"}[5m])) > 1\n"
        "        annotations:\n          summary: histogram_quantile(0.99, x) p99 latency too high\n"
    )
    facts, _ = _detect(make_repo, {"rules.yml": rules})
    assert facts.latency == ()
    assert [f.format for f in facts.files] == ["Prometheus rules"]


# ---------------------------------------------------------------- comments and prose never count
def test_slo_in_yaml_comment_or_markdown_prose_does_not_count(make_repo) -> None:
    facts, _ = _detect(make_repo, {
        "README.md": "# SLOs\n\n99.9% of requests under 500 ms (p99.9).\n\n```yaml\napiVersion: openslo/v1\n"
                     "kind: SLO\n```\n",
        "docs/slo.md": "histogram_quantile(0.99, rate(http_request_duration_seconds_bucket[5m]))\n",
        "slo.yaml": "# apiVersion: openslo/v1\n# kind: SLO\n# objectives:\n#   - target: 0.999\n"
                    "# query: histogram_quantile(0.99, x_bucket)\nname: placeholder\n",
    })
    assert facts.latency == () and facts.availability == () and facts.files == ()


# ---------------------------------------------------------------- OpenSLO details
OPENSLO_THRESHOLD = """\
apiVersion: {api}
kind: SLO
metadata:
  name: s
spec:
  service: svc
  indicator:
    thresholdMetric:
      source: prometheus
      query: request_latency_ms
  objectives:
    - op: {op}
      value: 300
      target: 0.99
"""


@pytest.mark.parametrize("api", ["openslo/v1alpha", "openslo/v0.1.0-beta", "openslo.com/v2alpha", "OpenSLO/V1"])
def test_openslo_api_versions_are_tolerated(make_repo, api: str) -> None:
    facts, _ = _detect(make_repo, {"slo.yaml": OPENSLO_THRESHOLD.format(api=api, op="lte")})
    assert [(o.percentile, o.service) for o in facts.latency] == [(99.0, "svc")]


def test_openslo_threshold_with_gt_operator_is_not_a_latency_bound(make_repo) -> None:
    facts, _ = _detect(make_repo, {"slo.yaml": OPENSLO_THRESHOLD.format(api="openslo/v1", op="gte")})
    assert facts.latency == ()


def test_openslo_unresolved_indicator_ref_is_noted_not_counted(make_repo) -> None:
    slo = ("apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: s\nspec:\n  indicatorRef: missing-sli\n"
           "  objectives:\n    - target: 0.999\n")
    facts, ws = _detect(make_repo, {"slo.yaml": slo})
    assert facts.latency == ()
    assert any("missing-sli" in note.reason for note in ws.notes)


def test_openslo_objective_level_indicator_overrides_the_slo_one(make_repo) -> None:
    slo = """\
apiVersion: openslo/v1
kind: SLO
metadata: {name: composite}
spec:
  service: shop
  objectives:
    - displayName: fast pages
      target: 0.999
      indicator:
        metadata: {name: fast}
        spec:
          ratioMetric:
            good: {metricSource: {type: Prometheus, spec: {query: 'sum(rate(page_duration_seconds_bucket{le="1"}[5m]))'}}}
            total: {metricSource: {type: Prometheus, spec: {query: 'sum(rate(page_duration_seconds_count[5m]))'}}}
    - displayName: ok pages
      target: 0.99
      indicator:
        metadata: {name: ok}
        spec:
          ratioMetric:
            bad: {metricSource: {type: Prometheus, spec: {query: 'sum(rate(page_requests_total{status=~"5.."}[5m]))'}}}
            total: {metricSource: {type: Prometheus, spec: {query: 'sum(rate(page_requests_total[5m]))'}}}
"""
    facts, _ = _detect(make_repo, {"slo.yaml": slo})
    assert [(o.percentile, o.line) for o in facts.latency] == [(99.9, 7)]
    assert [(o.target_percent, o.line) for o in facts.availability] == [(99.0, 15)]


def test_openslo_timeslices_ratio_uses_time_slice_target(make_repo) -> None:
    slo = """\
apiVersion: openslo/v1
kind: SLO
metadata: {name: s}
spec:
  budgetingMethod: Timeslices
  indicator:
    metadata: {name: i}
    spec:
      ratioMetric:
        good: {metricSource: {type: Prometheus, spec: {query: 'x_duration_seconds_bucket{le="0.2"}'}}}
        total: {metricSource: {type: Prometheus, spec: {query: 'x_duration_seconds_count'}}}
  objectives:
    - target: 0.9
      timeSliceTarget: 0.995
      timeSliceWindow: 1m
"""
    facts, _ = _detect(make_repo, {"slo.yaml": slo})
    assert [o.percentile for o in facts.latency] == [99.5]


OPAQUE_QUERY_SLO = """\
apiVersion: openslo/v1
kind: SLO
metadata:
  name: {slo_name}
spec:
  service: web-shop
  indicator:
    metadata:
      name: {sli_name}
    spec:
      {metric}:
        metricSource:
          type: Any
          spec:
            query: Any
  objectives:
    - op: lt
      value: 500
      target: 0.99
"""


def test_opaque_query_falls_back_to_the_sli_name_not_the_slo_name(make_repo) -> None:
    facts, _ = _detect(make_repo, {
        "a.yaml": OPAQUE_QUERY_SLO.format(slo_name="search-slo", sli_name="search-latency", metric="thresholdMetric"),
        "b.yaml": OPAQUE_QUERY_SLO.format(slo_name="checkout-latency", sli_name="response-codes", metric="thresholdMetric"),
        "c.yaml": OPAQUE_QUERY_SLO.format(slo_name="latency", sli_name="web-availability", metric="ratioMetric"),
    })
    assert [(o.path, o.percentile, o.kind) for o in facts.latency] == [
        ("a.yaml", 99.0, "OpenSLO threshold, judged by the SLI's name")]
    assert [(o.path, o.kind) for o in facts.availability] == [("c.yaml", "OpenSLO ratio, judged by the SLI's name")]


def test_openslo_top_level_list_of_objects(make_repo) -> None:
    text = ("- apiVersion: openslo/v1alpha\n  kind: Service\n  metadata: {name: s}\n"
            "- apiVersion: openslo/v1alpha\n  kind: SLO\n  metadata: {name: x}\n  spec:\n"
            "    indicator: {thresholdMetric: {query: 'latency_ms'}}\n"
            "    objectives:\n      - {op: lt, value: 100, target: 0.999}\n")
    facts, _ = _detect(make_repo, {"all.yaml": text})
    assert [(o.percentile, o.line) for o in facts.latency] == [(99.9, 10)]


# ---------------------------------------------------------------- hostile input never raises
HOSTILE = {
    "spec-list.yaml": "apiVersion: openslo/v1\nkind: SLO\nspec: []\n",
    "objectives-str.yaml": "apiVersion: openslo/v1\nkind: SLO\nspec:\n  objectives: x\n  indicator: 3\n",
    "objective-items.yaml": "apiVersion: openslo/v1\nkind: SLO\nspec:\n  indicatorRef: [a]\n  objectives: [1, null, [], {target: abc}]\n",
    "kind-int.yaml": "apiVersion: openslo/v1\nkind: 7\nmetadata: [x]\n",
    "pyrra-abc.yaml": "apiVersion: pyrra.dev/v1alpha1\nkind: ServiceLevelObjective\nspec:\n  target: abc\n  indicator: {latency: {}}\n",
    "pyrra-huge.yaml": "apiVersion: pyrra.dev/v1alpha1\nkind: ServiceLevelObjective\nspec:\n  target: 1e400\n  indicator: {latency: {}}\n",
    "pyrra-spec-str.yaml": "apiVersion: pyrra.dev/v1alpha1\nkind: ServiceLevelObjective\nspec: hello\n",
    "sloth.yaml": "version: prometheus/v1\nservice: [1]\nslos:\n  - objective: 1e999\n  - objective: .inf\n  - 5\n  - {objective: 99, sli: []}\n",
    "sloth-crd.yaml": "apiVersion: sloth.slok.dev/v1\nkind: PrometheusServiceLevel\nspec:\n  slos: {a: 1}\n",
    "rules.yml": "groups:\n  - rules: [1, {expr: 5}, {expr: [histogram_quantile]}, {alert: x, expr: 'histogram_quantile(99999999999999999999, y)'}]\n  - 7\n",
    "rules-crd.yaml": "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nspec: {groups: {a: b}}\n",
    "google.yaml": "apiVersion: sre.google.com/v2\nkind: ServiceLevelObjective\nspec:\n  goal: -3\n  method: [distribution_cut]\n",
    "google-v1.yaml": "slo_target: .nan\nbackend: {method: basic, measurement: {latency: []}}\n",
    "quantile-only.yaml": "quantile: 0.99\n",
    "binary.yaml": b"openslo\0\x01\x02",
    "empty.yaml": "",
    "nulls.yaml": "---\n---\nnull\n",
    "deep.yaml": "groups: " + "[" * 300 + "]" * 300 + "\n",
    "main.tf": 'resource "datadog_service_level_objective" "x" {\n  type = "metric"\n  query {\n'
               '    numerator = "sum:latency{*}\n  thresholds { target = "abc" }\n'
               '  thresholds { target = 1e500 }\n  tags = [1, "service:"]\n' + "{" * 500,
    "other.tf": 'resource "datadog_service_level_objective" { type = "time_slice" }}}} "unterminated',
}


def test_hostile_shapes_never_raise_and_count_nothing(make_repo) -> None:
    facts, ws = _detect(make_repo, HOSTILE)
    assert facts.latency == ()
    assert facts.availability == ()
    assert not [n for n in ws.notes if "could not read" in n.reason]


def test_hostile_targets_are_noted(make_repo) -> None:
    _, ws = _detect(make_repo, {k: HOSTILE[k] for k in ("pyrra-abc.yaml", "google.yaml")})
    reasons = " ".join(n.reason for n in ws.notes)
    assert "Pyrra SLO at line 4 has no usable target" in reasons
    assert "slo-generator SLO at line 4 has no usable goal" in reasons


def test_malformed_yaml_next_to_a_valid_slo(make_repo) -> None:
    facts, ws = _detect(make_repo, {
        "slo/broken.yaml": "apiVersion: openslo/v1\nkind: SLO\nspec: {objectives: [\n",
        "slo/good.yaml": (FIXTURES / "openslo" / "checkout-latency.yaml").read_text(),
    })
    assert [(o.path, o.percentile) for o in facts.latency] == [("slo/good.yaml", 99.9)]
    assert any(n.path == "slo/broken.yaml" for n in ws.notes)


def test_broken_second_document_keeps_the_first(make_repo) -> None:
    text = (FIXTURES / "pyrra" / "api-latency.yaml").read_text() + "---\nkey: [unclosed\n"
    facts, _ = _detect(make_repo, {"pyrra.yaml": text})
    assert [o.percentile for o in facts.latency] == [99.0]


def test_unmarked_yaml_is_not_parsed(make_repo) -> None:
    """The prefilter: YAML without any format marker is never handed to the parser."""
    root = make_repo({"config.yaml": "a: [unclosed\n"})
    ws = Workspace(root)
    detect(ws)
    assert ws.notes == []


def test_sloth_alert_windows_are_not_slo_specs(make_repo) -> None:
    """``kind: AlertWindows`` (sloth.slok.dev) sets burn-rate windows; it holds no SLO, so it is
    not read as a Sloth spec (a file of SLOs the rule could judge)."""
    windows = ("apiVersion: sloth.slok.dev/v1\nkind: AlertWindows\nspec:\n  sloPeriod: 28d\n  page:\n"
               "    quick: {errorBudgetPercent: 2, shortWindow: 5m, longWindow: 1h}\n")
    crd = ("apiVersion: sloth.slok.dev/v1\nkind: PrometheusServiceLevel\nmetadata: {name: api}\nspec:\n"
           "  service: api\n  slos:\n    - name: latency\n      objective: 99\n      sli:\n        events:\n"
           "          error_query: sum(rate(http_request_duration_seconds_count[{{.window}}]))"
           " - sum(rate(http_request_duration_seconds_bucket{le=\"0.3\"}[{{.window}}]))\n"
           "          total_query: sum(rate(http_request_duration_seconds_count[{{.window}}]))\n")
    facts, _ = _detect(make_repo, {"windows/28d.yaml": windows, "slos/api.yaml": crd})
    assert [f.path for f in facts.files] == ["slos/api.yaml"]
    assert [o.path for o in facts.latency] == ["slos/api.yaml"]


# ------------------------------------------------------------------ the cheap text prefilter
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
import yaml as _yaml  # noqa: E402

from linter.detectors import slo_prometheus  # noqa: E402

_NAMES = st.text(alphabet="abcXYZ_-:", min_size=1, max_size=8)
_RULE = st.fixed_dictionaries({"alert": _NAMES, "expr": st.just("histogram_quantile(0.99, x) > 1")})
_GROUP = st.fixed_dictionaries({"name": _NAMES, "rules": st.lists(_RULE, max_size=2)})


@settings(max_examples=150, deadline=None)
@given(st.lists(_GROUP, min_size=1, max_size=2), st.booleans(), st.booleans(), st.sampled_from(["", "---\n", "# c\n"]),
       st.dictionaries(_NAMES, _NAMES, max_size=2))
def test_prefilter_never_drops_a_rule_file(groups, flow: bool, crd: bool, lead: str, extra) -> None:
    """Whatever the style (block, flow, JSON-like), key order or leading comment, a document
    the parsers read as rules passes ``may_hold_rules``."""
    body = {**extra, "groups": groups}
    data = {"apiVersion": "monitoring.coreos.com/v1", "kind": "PrometheusRule", "spec": body} if crd else body
    assert slo_prometheus.is_prometheus_rule_crd(data) or slo_prometheus.looks_like_rule_file(data)
    for text in (_yaml.safe_dump(data, default_flow_style=flow, sort_keys=False),
                 __import__("json").dumps(data), __import__("json").dumps(data, indent=2)):
        assert slo_prometheus.may_hold_rules((lead + text).lower()), text


def test_prefilter_skips_nested_groups_keys() -> None:
    role = "kind: ClusterRole\nrules:\n- apiGroups: ['']\n  resources: [pods]\n"
    crd = "kind: CustomResourceDefinition\nspec:\n  versions:\n  - schema:\n      properties:\n        groups:\n"
    pod = "kind: Pod\nspec:\n  securityContext:\n    supplementalGroups: [1]\n"
    for text in (role, crd, pod):
        assert not slo_prometheus.may_hold_rules(text.lower())
