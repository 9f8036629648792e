"""Values from a repository's configuration and rule packs: extreme numbers are configuration
errors (exit 2, one line), and pack texts never render as markup in SARIF's help."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.helpers import write_tree
from tests.hostile.cli import assert_clean, check

INJECTED = "![x](https://evil.example/p.png) [click](javascript:alert(1)) <img src=x onerror=alert(1)> @org/team `c` *b*"
PACK = f"""prefix: EVIL
rules:
  - id: EVIL001
    name: injected
    practice: small-teams
    category: teams
    severity: error
    scope: repo
    summary: s
    rationale: {json.dumps(INJECTED)}
    evidence: {json.dumps(INJECTED)}
    remediation: {json.dumps(INJECTED)}
    example: "```\\n</pre><script>alert(1)</script>\\n```"
    check:
      file_exists: {{globs: NOPE.md}}
"""


@pytest.mark.parametrize("value", ["99999999999", "1e309", "-1", "0", "3651"])
def test_extreme_max_waiver_days_is_a_configuration_error(tmp_path: Path, value: str) -> None:
    write_tree(tmp_path, {".practicelint.yaml": f"max-waiver-days: {value}\n", "README.md": "# r\n"})
    proc = check(tmp_path, "json")
    assert_clean(proc, codes=(2,))
    assert proc.stderr.startswith("practicelint: error: ") and proc.stderr.count("\n") == 1, proc.stderr
    assert "max_waiver_days" in proc.stderr or "max-waiver-days" in proc.stderr


def test_rule_pack_texts_are_inert_in_sarif_help(tmp_path: Path) -> None:
    write_tree(tmp_path, {".practicelint.yaml": "rule-packs: [pack.yaml]\n", "pack.yaml": PACK, "README.md": "# r\n"})
    proc = check(tmp_path, "sarif")
    assert_clean(proc)
    rules = json.loads(proc.stdout)["runs"][0]["tool"]["driver"]["rules"]
    help_markdown = next(rule["help"]["markdown"] for rule in rules if rule["id"] == "EVIL001")
    assert "![x](" not in help_markdown and "[click](" not in help_markdown
    outside_fence = help_markdown.split("````")[0]
    assert re.search(r"(?<!\\)<(img|script)", outside_fence) is None
    assert "@org/team" not in help_markdown  # no mention
    fence = help_markdown.split("**Example**")[1].strip().split("\n")[0]
    assert fence.startswith("````"), "the example's own fence cannot close ours"


def test_thousands_of_waivers_are_a_configuration_error(tmp_path: Path) -> None:
    """Each failing result was tested against every waiver's globs: 12,000 aliased waivers (a
    170 KB file) over 3,000 services added a minute of CPU. Past MAX_WAIVERS the run stops."""
    from linter import waivers

    entry = "  - &w {rule: PERF001, reason: x, owner: y, expires: 2026-12-31, paths: ['nomatch/**']}\n"
    body = entry + "  - *w\n" * waivers.MAX_WAIVERS
    write_tree(tmp_path, {".practicelint.yaml": "waivers:\n" + body, "README.md": "# r\n"})
    proc = check(tmp_path, "json")
    assert_clean(proc, codes=(2,))
    assert proc.stderr.startswith("practicelint: error: .practicelint.yaml") and proc.stderr.count("\n") == 1
    assert f"more than {waivers.MAX_WAIVERS} waivers" in proc.stderr
    write_tree(tmp_path, {".practicelint.yaml": "waivers:\n" + entry + "  - *w\n" * (waivers.MAX_WAIVERS - 1)})
    assert_clean(check(tmp_path, "json"))
