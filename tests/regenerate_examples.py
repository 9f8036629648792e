"""Rewrite ``examples/reports/`` (``make examples``); review the diff after.

For each example repository: ``<name>.expected.json`` (the JSON report compared by
``tests/test_examples.py``) and the sample reports ``<name>.sarif`` and ``<name>.html``
(compared by ``tests/reporters/test_samples.py``).
"""

from __future__ import annotations

import json
from pathlib import Path

from linter.catalog import load_catalog
from linter.reporters import render
from tests.examples_support import (
    EXAMPLE_NAMES, REPORTS, example_report, example_report_object, expected_path,
)

#: Sample formats checked in next to the expected JSON: file suffix -> reporter name.
SAMPLE_FORMATS = {".sarif": "sarif", ".html": "html"}


def sample_reports(name: str) -> dict[Path, str]:
    """The sample reports of ``examples/<name>``, freshly rendered: path -> content."""
    report = example_report_object(name)
    catalog = load_catalog()
    return {REPORTS / f"{name}{suffix}": render(fmt, report, catalog) for suffix, fmt in SAMPLE_FORMATS.items()}


def write_samples(name: str) -> list[Path]:
    written = []
    for path, text in sample_reports(name).items():
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    REPORTS.mkdir(exist_ok=True)
    for name in EXAMPLE_NAMES:
        path = expected_path(name)
        path.write_text(json.dumps(example_report(name), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {path}")
        for sample in write_samples(name):
            print(f"wrote {sample}")


if __name__ == "__main__":
    main()
