"""PROD003: customer interaction document and a user manual with a glossary."""

from __future__ import annotations

from functools import partial

import pytest

from linter.checks.prod003_customer_docs import check
from linter.results import Status
from tests.helpers import make_context

make_context = partial(make_context, rule="PROD003")  # contexts for PROD003, with its typed options

JOURNEY = {"docs/customer-journey.md": "# Customer journey\n\nA customer signs up, then orders.\n"}
MANUAL = {"docs/user-guide.md": "# User guide\n\nStart here.\n\n## Glossary\n\nCart: items chosen.\n"}


@pytest.mark.parametrize("files, status, text", [
    ({**JOURNEY, **MANUAL}, Status.PASS, "interaction document docs/customer-journey.md:1"),
    (JOURNEY, Status.FAIL, "missing a user manual with a glossary"),
    (MANUAL, Status.FAIL, "missing a customer interaction document"),
    ({**JOURNEY, "docs/user-guide.md": "# User guide\n\nStart here.\n"}, Status.FAIL, "is a manual without a Glossary"),
    ({**JOURNEY, "docs/GLOSSARY.md": "# Glossary\n\nCart: items.\n"}, Status.PASS, "glossary"),
    ({"README.md": "# App\n\n## Glossary\n\nx: y\n"}, Status.FAIL, "and a user manual"),
])
def test_verdicts(make_repo, files, status, text) -> None:
    finding = check(make_context(make_repo(files)))
    assert finding.status is status and text in finding.message
