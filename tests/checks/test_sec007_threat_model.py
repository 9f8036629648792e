"""SEC007: threat model documents, sections and tool files."""

from __future__ import annotations

from functools import partial

import pytest

from linter.checks.sec007_threat_model import check
from linter.results import Scope, Status
from tests.helpers import make_context

make_context = partial(make_context, rule="SEC007")  # contexts for SEC007, with its typed options


@pytest.mark.parametrize("files, status", [
    ({"docs/threat-model.md": "# Threat model\n\nAttackers want card tokens.\n"}, Status.PASS),
    ({"docs/threat-model.md": "# Threat model\n"}, Status.FAIL),
    ({"SECURITY.md": "# Security\n\n## STRIDE analysis\n\nSpoofing: mTLS.\n"}, Status.PASS),
    ({"SECURITY.md": "# Security\n\n<!-- ## Threat model -->\nReport bugs to sec@example.com.\n"}, Status.FAIL),
    ({"sec/model.tm7": b"\x00"}, Status.PASS),
    ({"tm.py": "from pytm import TM\ntm = TM('x')\n"}, Status.PASS),
    ({"README.md": "# App\n\nWe should write a threat model.\n"}, Status.FAIL),
])
def test_verdicts(make_repo, files, status) -> None:
    assert check(make_context(make_repo(files))).status is status


def test_other_service_threat_model_does_not_count(make_repo) -> None:
    root = make_repo({"services/a/threat-model.md": "# TM\n\nThreats.\n", "services/b/x.py": ""})
    scopes = [Scope("services/a", "a"), Scope("services/b", "b")]
    finding = check(make_context(root, scope=scopes[1], scopes=scopes))
    assert finding.status is Status.FAIL and "No threat model found for b" in finding.message
