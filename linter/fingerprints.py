"""Stable identities for findings, shared by baselines and machine report formats.

A fingerprint names *what* is wrong, not *where on which line*: the rule, the scope and the
set of evidence paths. Editing an unrelated line of a file does not change it, so a
baseline entry or a code-scanning alert follows the finding across runs.
"""

from __future__ import annotations

from linter.results import Result


def evidence_key(result: Result) -> str:
    return "\n".join(sorted({e.path for e in result.evidence}))


def fingerprint(result: Result) -> str:
    import hashlib  # here, not at import: loading OpenSSL costs time on runs that never ask

    text = "\0".join((result.rule_id, result.scope, evidence_key(result)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
