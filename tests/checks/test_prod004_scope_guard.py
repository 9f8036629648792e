"""PROD004: scope statements in the PR/FAQ or design docs."""

from __future__ import annotations

from functools import partial

import pytest

from linter.checks.prod004_scope_guard import check
from linter.results import Status
from tests.helpers import make_context

make_context = partial(make_context, rule="PROD004")  # contexts for PROD004, with its typed options

PRFAQ = "# PR/FAQ: Reorder\n\n## Press release\n\nCustomers can reorder.\n\n## FAQ\n\n### Who is it for?\n\nShoppers.\n"


@pytest.mark.parametrize("files, status, text", [
    ({"README.md": "# App\n"}, Status.NOT_APPLICABLE, "neither a PR/FAQ nor a design document"),
    ({"docs/prfaq.md": PRFAQ}, Status.FAIL, "PR/FAQ of"),
    ({"docs/prfaq.md": PRFAQ + "\n### What is out of scope for v1?\n\nSubscriptions.\n"}, Status.PASS, "out of scope for v1? at docs/prfaq.md:13"),
    ({"docs/prfaq.md": PRFAQ + "\n**Q: What will not be included in v1?**\n\nA: Gift cards.\n"}, Status.PASS, "question"),
    ({"docs/design/reorder.md": "# Reorder\n\nPlan.\n\n## Non-goals\n\nMobile.\n"}, Status.PASS, "heading: Non-goals"),
    ({"docs/design/reorder.md": "# Reorder\n\nPlan.\n\n<!-- ## Non-goals -->\n"}, Status.FAIL, "design docs"),
    # a product FAQ is not a Working Backwards FAQ: nothing to judge
    ({"docs/faq.md": "# FAQ\n\n## How do I log in?\n\nWith SSO.\n"}, Status.NOT_APPLICABLE, "neither"),
    # ... unless a press release sits beside it (the split PR/FAQ): then both are judged
    ({"docs/press-release.md": "# Press release: Reorder\n\nCustomers can reorder.\n",
      "docs/faq.md": "# FAQ\n\n## Is gift wrap out of scope for v1?\n\nYes, later.\n"}, Status.PASS, "docs/faq.md"),
    ({"docs/proposals/reorder.md": "# Reorder\n\nPlan.\n\n## Non-Goals\n\nMobile.\n"}, Status.PASS, "Non-Goals"),
])
def test_verdicts(make_repo, files, status, text) -> None:
    finding = check(make_context(make_repo(files)))
    assert finding.status is status and text in finding.message
