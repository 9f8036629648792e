"""SEC008: not applicable without a datastore; a store needs a classification statement."""

from __future__ import annotations

from functools import partial

import pytest

from linter.checks.sec008_data_classification import check
from linter.results import Status
from tests.helpers import make_context

make_context = partial(make_context, rule="SEC008")  # contexts for SEC008, with its typed options

COMPOSE = "services:\n  db:\n    image: postgres:16\n"


@pytest.mark.parametrize("files, status, text", [
    ({"README.md": "# App\n"}, Status.NOT_APPLICABLE, "stores no data"),
    ({"docker-compose.yml": COMPOSE}, Status.FAIL, "service db runs postgres:16"),
    ({"docker-compose.yml": COMPOSE, "README.md": "# App\n\n## Data classification\n\nEmails: confidential.\n"},
     Status.PASS, "section: Data classification at README.md:3"),
    ({"docker-compose.yml": COMPOSE, "README.md": "# App\n\n## PII\n\n"}, Status.FAIL, "does not say"),
    ({"migrations/0001_init.sql": "create table t();\n", "data-classification.yaml": "email: pii\n"},
     Status.PASS, "data classification file"),
])
def test_verdicts(make_repo, files, status, text) -> None:
    finding = check(make_context(make_repo(files)))
    assert finding.status is status and text in finding.message
