"""Org audits: many repositories in one run, merged reports, diffs and an org dashboard.

The parent process never holds every repository's full result: workers write each
repository's JSON report to ``<output-dir>/repos/`` and hand back a compact *row* (scores,
levels, per-rule statuses), which the parent spools to disk and folds into bounded
aggregates. Everything here imports lazily so ``practicelint check`` never pays for it.
"""

from __future__ import annotations

AUDIT_KIND = "practicelint-audit"
AUDIT_SCHEMA_VERSION = 1
