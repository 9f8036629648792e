"""Reading an SLI's queries: is it about latency or availability, and at which quantile?

Every SLO tool ultimately points at a query (PromQL, Datadog, Cloud Monitoring filters),
so the decision "latency or availability" is made here, once, from the query text and
never from the SLO's name: an SLO called ``latency`` whose SLI counts 5xx responses is an
availability objective.

All patterns are linear (no nested quantifiers) and run on text capped at
``MAX_QUERY_CHARS``.
"""

from __future__ import annotations

import re
from typing import Literal

from linter.detectors.slo_model import MAX_QUERY_CHARS

Kind = Literal["latency", "availability", "unknown"]

_NUMBER = r"([0-9]{0,3}\.?[0-9]{1,8})"
#: ``histogram_quantile(0.99, ...)`` and ``quantile_over_time(.99, ...)``.
_QUANTILE_FN = re.compile(r"\b(?:histogram_quantile|quantile_over_time)\s*\(\s*" + _NUMBER + r"\s*,")
#: A summary's quantile label: ``{quantile="0.99"}``.
_QUANTILE_LABEL = re.compile(r"\bquantile\s*=~?\s*[\"']" + _NUMBER + r"[\"']")
#: Datadog percentile aggregators (``p99:trace.http.request{...}``) and metrics (``.99p``).
_DATADOG_AGGREGATOR = re.compile(r"(?:^|[\s(\"',])p([0-9]{2}(?:\.[0-9]{1,4})?):[a-z]", re.IGNORECASE)
_DATADOG_SUFFIX = re.compile(r"\.([0-9]{2}(?:\.[0-9]{1,4})?)p\b")
#: CloudWatch / generic statistic fields: ``stat: p99``, ``"statistic": "p99.9"``.
_STAT_FIELD = re.compile(r"\b(?:stat|statistic|extendedstatistic)\b\W{0,6}p([0-9]{2}(?:\.[0-9]{1,4})?)\b",
                         re.IGNORECASE)

#: A histogram bucket bound: ``le="0.4"``, ``le=~"0.25|0.5"``.
_LE_LABEL = re.compile(r"\ble\s*=~?\s*[\"']")
_BUCKET = re.compile(r"_bucket\b")
_HISTOGRAM_FN = re.compile(r"\b(?:histogram_quantile|histogram_fraction|histogram_share)\s*\(")
#: Status-code filters that make an SLI about errors: ``code=~"5.."``, ``status!~"2.."``,
#: ``http.status_code:500``, ``response_code_class="2xx"``, ``status_class:5xx``.
_STATUS_FILTER = re.compile(
    r"\b(?:code|status|status_?code|response_?code(?:_class)?|status_class|http_status(?:_code)?|"
    r"http\.status_code|http\.status_class)\s*(?:=~|!~|!=|=|:)\s*[\"']?[\^(]?[2-5](?:[0-9x.]|\.\.|xx)",
    re.IGNORECASE,
)
_GRPC_CODE_FILTER = re.compile(r"\bgrpc_(?:status_)?code\s*(?:=~|!~|!=|=)")
_ERROR_WORDS = re.compile(r"(?:^|[^a-z])(?:errors?|failures?|failed|availability|uptime|5xx)(?:[^a-z]|$)",
                          re.IGNORECASE)
_LATENCY_WORDS = re.compile(
    r"latenc|duration|response_?time|responsetime|handling_seconds|request_time|elapsed|_ms_bucket",
    re.IGNORECASE,
)
_SIZE_WORDS = re.compile(r"bytes|_size|size_|_items|batch", re.IGNORECASE)


def quantile_percentiles(text: str) -> list[float]:
    """Percentiles named by quantile functions, labels and percentile aggregators."""
    text = text[:MAX_QUERY_CHARS]
    found: list[float] = []
    for match in _QUANTILE_FN.finditer(text):
        q = _to_float(match.group(1))
        if q is not None and 0 < q <= 1:
            found.append(round(q * 100, 6))
    for match in _QUANTILE_LABEL.finditer(text):
        q = _to_float(match.group(1))
        if q is not None and 0 < q < 1:  # quantile="1" is a summary's maximum, not a target
            found.append(round(q * 100, 6))
    for pattern in (_DATADOG_AGGREGATOR, _DATADOG_SUFFIX, _STAT_FIELD):
        for match in pattern.finditer(text):
            p = _to_float(match.group(1))
            if p is not None and 0 < p < 100:
                found.append(round(p, 6))
    return sorted(set(found))


def label_quantile(value: object) -> float | None:
    """A ``quantile: "0.99"`` rule label as a percentile."""
    q = _to_float(value) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else None
    if q is None or not 0 < q < 1:
        return None
    return round(q * 100, 6)


def has_bucket_bound(text: str) -> bool:
    """True when the query counts histogram buckets below a bound: a latency threshold."""
    text = text[:MAX_QUERY_CHARS]
    return bool(_LE_LABEL.search(text)) and (bool(_BUCKET.search(text)) or bool(_HISTOGRAM_FN.search(text)))


def looks_like_size(text: str) -> bool:
    """A histogram of sizes (bytes, items) rather than of time."""
    text = text[:MAX_QUERY_CHARS]
    return bool(_SIZE_WORDS.search(text)) and not _LATENCY_WORDS.search(text)


#: Histograms of time left, not of time taken: a low quantile of certificate expiry
#: (``apiserver_client_certificate_expiration_seconds``) warns before it runs out.
_TIME_LEFT = re.compile(r"expir|remaining|time_?to_?live|_ttl\b|_ttl_|until", re.IGNORECASE)


def looks_like_time_left(text: str) -> bool:
    """A histogram of time remaining (expiry, TTL) rather than of time taken."""
    text = text[:MAX_QUERY_CHARS]
    return bool(_TIME_LEFT.search(text)) and not _LATENCY_WORDS.search(text)


def mentions_latency(text: str) -> bool:
    """A latency/duration metric or field name appears (and not a size histogram)."""
    text = text[:MAX_QUERY_CHARS]
    return bool(_LATENCY_WORDS.search(text)) and not looks_like_size(text)


def classify(text: str) -> Kind:
    """Latency, availability or unknown, from the SLI's query text.

    Order matters: a bucket bound decides latency even when the query also filters
    status codes (good = fast *and* successful); then a status/error filter decides
    availability even on a ``..._duration_seconds_count`` metric (Sloth's availability
    example counts requests of a duration histogram); metric names come last.
    """
    text = text[:MAX_QUERY_CHARS]
    if has_bucket_bound(text) or (_HISTOGRAM_FN.search(text) and not looks_like_size(text)
                                  and not looks_like_time_left(text)):
        return "latency"
    if _STATUS_FILTER.search(text) or _GRPC_CODE_FILTER.search(text) or _ERROR_WORDS.search(text):
        return "availability"
    if _LATENCY_WORDS.search(text) and not looks_like_size(text):
        return "latency"
    return "unknown"


def _to_float(value: object) -> float | None:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None
