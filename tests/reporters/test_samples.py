"""The sample reports checked in under ``examples/reports/`` are what the code renders today.

Rules change while the project grows, so the comparison is always against freshly rendered
output; ``make examples`` (``python -m tests.regenerate_examples``) rewrites the samples.
"""

from __future__ import annotations

import pytest

from tests.examples_support import EXAMPLE_NAMES
from tests.regenerate_examples import SAMPLE_FORMATS, sample_reports


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_checked_in_samples_are_current(name: str) -> None:
    fresh = sample_reports(name)
    assert len(fresh) == len(SAMPLE_FORMATS)
    for path, text in fresh.items():
        assert path.exists(), f"{path} is missing: run `make examples`"
        assert path.read_bytes().decode("utf-8") == text, f"{path} is stale: run `make examples` and review the diff"
