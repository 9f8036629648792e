"""DOC001: decks in design folders fail; decks elsewhere are only noted."""

from __future__ import annotations

from functools import partial

import pytest

from linter.checks.doc001_narratives_not_slides import check
from linter.results import Status
from tests.helpers import make_context

make_context = partial(make_context, rule="DOC001")  # contexts for DOC001, with its typed options


@pytest.mark.parametrize("files, status, text", [
    ({"src/a.py": ""}, Status.NOT_APPLICABLE, "No docs"),
    ({"docs/adr/1.md": "# A\n"}, Status.PASS, "1 document under"),
    ({"docs/adr/1.md": "# A\n", "talks/intro.pptx": b"PK"}, Status.PASS, "1 deck elsewhere is not a design document"),
    ({"docs/design/plan.pptx": b"PK", "docs/x.md": "# x\n"}, Status.FAIL, "docs/design/plan.pptx"),
    ({"docs/images/a.png": b"\x89PNG"}, Status.NOT_APPLICABLE, "hold no prose"),
    ({"docs/certs/server.key": "-----BEGIN", "docs/x.md": "# x\n"}, Status.PASS, "no slide decks"),
])
def test_verdicts(make_repo, files, status, text) -> None:
    finding = check(make_context(make_repo(files)))
    assert finding.status is status and text in finding.message


def test_lists_first_twenty_and_counts(make_repo) -> None:
    root = make_repo({f"docs/rfc/{i:02}.ppt": b"x" for i in range(25)})
    finding = check(make_context(root))
    assert "25 slide decks" in finding.message and "first 20 of 25" in finding.message
    assert len(finding.evidence) == 20
