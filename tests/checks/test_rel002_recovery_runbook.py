"""REL002: runbooks must cover failover and the way back."""

from __future__ import annotations

from functools import partial

import pytest

from linter.checks.rel002_recovery_runbook import check
from linter.results import Scope, Status
from tests.helpers import make_context

make_context = partial(make_context, rule="REL002")  # contexts for REL002, with its typed options

FAILOVER = "# DB runbook\n\n## Failover\n\nPromote the standby in eu-west-2.\n"


@pytest.mark.parametrize("files, status, text", [
    ({"README.md": "# App\n\nWe fail over by hand.\n"}, Status.FAIL, "No runbook found"),
    ({"runbooks/db.md": FAILOVER}, Status.FAIL, "covers failover at runbooks/db.md:3 but not failback/restore"),
    ({"runbooks/db.md": FAILOVER + "\n```sh\n# failback\n```\n"}, Status.FAIL, "but not failback"),
    ({"runbooks/db.md": FAILOVER, "runbooks/back.md": "# Back\n\nResync the old primary, then return traffic.\n"},
     Status.PASS, "the way back (runbooks/back.md:3)"),
    ({"docs/disaster-recovery.md": "# DR\n\nRestore from the nightly snapshot.\n"}, Status.FAIL, "never failover"),
    ({"runbooks/deploy.md": "# Deploy\n\nRun make deploy.\n"}, Status.FAIL, "none covers failover"),
])
def test_verdicts(make_repo, files, status, text) -> None:
    finding = check(make_context(make_repo(files)))
    assert finding.status is status and text in finding.message


def test_runbooks_of_other_services_do_not_count(make_repo) -> None:
    root = make_repo({"services/a/runbooks/db.md": FAILOVER + "\n## Failback\n\nSwitch back.\n",
                      "services/b/README.md": "# B\n"})
    scopes = [Scope("services/a", "a"), Scope("services/b", "b")]
    assert check(make_context(root, scope=scopes[0], scopes=scopes)).status is Status.PASS
    assert check(make_context(root, scope=scopes[1], scopes=scopes)).status is Status.FAIL
