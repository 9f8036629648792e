"""Latency-versus-availability classification of SLI queries, and quantile extraction."""

from __future__ import annotations


import pytest

from linter.detectors.slo_queries import classify, has_bucket_bound, label_quantile, quantile_percentiles
from tests.helpers import cpu_seconds


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('sum(rate(http_request_duration_seconds_bucket{le="0.3"}[5m]))', "latency"),
        ('sum(rate(x_duration_seconds_count{code!~"5.."}[5m])) - sum(rate(x_duration_seconds_bucket{le="0.4",code!~"5.."}[5m]))', "latency"),
        ("histogram_quantile(0.99, sum by (le) (rate(rpc_seconds_bucket[5m])))", "latency"),
        ('histogram_fraction(0, 0.2, rate(http_request_duration_seconds[5m]))', "latency"),
        ("1 - histogram_share(0.4, sum by (vmrange) (rate(grpc_seconds_bucket[5m])))", "latency"),
        ('sum(rate(http_request_duration_seconds_count{code=~"(5..|429)"}[5m]))', "availability"),
        ('sum(rate(http_requests_total{status=~"^5.*"}[5m]))', "availability"),
        ('sum(rate(grpc_server_handled_total{grpc_code!="OK"}[5m]))', "availability"),
        ("sum:trace.http.request.hits.by_http_status{http.status_class:2xx}.as_count()", "availability"),
        ('metric.type="run.googleapis.com/request_count" metric.labels.response_code_class="2xx"', "availability"),
        ("sum(rate(checkout_errors_total[5m]))", "availability"),
        ("probe_success_availability", "availability"),
        ('latency_west_c7{code="ALL",instance="localhost:3000"}', "latency"),
        ("api_request_latency_ms", "latency"),
        ('histogram_quantile(0.99, rate(http_response_size_bytes_bucket[5m]))', "unknown"),
        ("histogram_quantile(0.05, rate(apiserver_client_certificate_expiration_seconds_bucket[5m]))", "unknown"),
        ("histogram_quantile(0.99, rate(cache_entry_ttl_seconds_bucket[5m]))", "unknown"),
        ("histogram_quantile(0.99, rate(token_expiry_check_duration_seconds_bucket[5m]))", "latency"),
        ("sum(rate(orders_processed_total[5m]))", "unknown"),
        ("", "unknown"),
    ],
)
def test_classify(query: str, expected: str) -> None:
    assert classify(query) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("histogram_quantile(0.99, x)", [99.0]),
        ("histogram_quantile(.999, x)", [99.9]),
        ("histogram_quantile(1, x)", [100.0]),
        ("histogram_quantile(1.5, x)", []),
        ("histogram_quantile($q, x)", []),
        ('rpc_duration_seconds{quantile="0.95"}', [95.0]),
        ('go_gc_duration_seconds{quantile="1"}', []),
        ("p99:trace.http.request{service:web}", [99.0]),
        ("avg:trace.http.request.duration.by.service.99p{service:web}", [99.0]),
        ("metricStat: {stat: p99.9}", [99.9]),
        ("p99 latency in prose", []),
        ("histogram_quantile(0.5, a) / histogram_quantile(0.99, a)", [50.0, 99.0]),
    ],
)
def test_quantile_percentiles(text: str, expected: list[float]) -> None:
    assert quantile_percentiles(text) == expected


@pytest.mark.parametrize(("value", "expected"), [("0.99", 99.0), (0.999, 99.9), ("1", None), ("abc", None),
                                                 (True, None), (None, None), ([0.99], None)])
def test_label_quantile(value: object, expected: float | None) -> None:
    assert label_quantile(value) == expected


def test_bucket_bound_needs_both_bucket_and_le() -> None:
    assert has_bucket_bound('x_bucket{le="1"}')
    assert not has_bucket_bound("x_bucket")
    assert not has_bucket_bound('x{le="1"}')


def test_patterns_stay_linear_on_adversarial_text() -> None:
    text = ("code=~" * 5000) + ("histogram_quantile(" * 2000) + ("9" * 50_000) + ('quantile="' * 2000)
    start = cpu_seconds()
    classify(text)
    quantile_percentiles(text)
    assert cpu_seconds() - start < 2.0
