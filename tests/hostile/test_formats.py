"""Hostile but plausible practice files: broken CODEOWNERS, Chromium OWNERS, dangling refs, hollow PR/FAQs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import write_tree
from tests.hostile.cli import check_json, errors, result

GROUP = ("apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\n"
         "spec:\n  type: team\n  members: [alice, bob, carol]\n")

INVALID_CODEOWNERS = """# owners
* @example/platform
/docs/ @example/docs
[unclosed-section
/src/ not-an-owner
\\#escaped @example/escaped
/build/**/[abc] @example/build
!negated @example/x
/api/  @
/ui/ user@@example.com
/weird/ @org/team/extra
/trailing\\ space @example/t
""" + "/x" * 300 + " @example/long\n"


def test_codeowners_with_invalid_lines_names_them(tmp_path: Path) -> None:
    write_tree(tmp_path, {".github/CODEOWNERS": INVALID_CODEOWNERS, "src/app.py": "x = 1\n",
                          "docs/a.md": "# a\n"})
    report = check_json(tmp_path)
    assert errors(report) == []
    org002 = result(report, "ORG002")
    invalid = [e for e in org002["evidence"] if e["detail"].startswith("invalid line")]
    assert invalid and all(e["path"] == ".github/CODEOWNERS" and e["line"] > 1 for e in invalid), org002


@pytest.mark.parametrize("text", ["", "\n\n", "# only comments\n", "\x0c\x0b\n", "*\n", "@\n",
                                  "[Section][2] @a\n^[Optional]\n", "* @a " * 5000 + "\n"])
@pytest.mark.parametrize("where", [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS"])
def test_degenerate_codeowners_are_survived(tmp_path: Path, text: str, where: str) -> None:
    write_tree(tmp_path, {where: text, "src/a.py": "a = 1\n"})
    report = check_json(tmp_path)
    assert errors(report) == []


CHROMIUM_OWNERS = """# Chromium-style OWNERS: plain e-mails, directives, per-file rules
set noparent
file://components/OWNERS
include /base/OWNERS
per-file *.mojom=set noparent
per-file *.mojom=file://ipc/SECURITY_OWNERS
per-file BUILD.gn=*
alice@chromium.org
bob@chromium.org  # reviewer
*
"""


@pytest.mark.parametrize("path", ["OWNERS", "src/net/OWNERS", "third_party/OWNERS"])
def test_chromium_plain_text_owners_is_survived(tmp_path: Path, path: str) -> None:
    write_tree(tmp_path, {path: CHROMIUM_OWNERS, "src/net/socket.cc": "int x;\n", "catalog-info.yaml": GROUP})
    report = check_json(tmp_path)
    assert errors(report) == []
    assert result(report, "ORG001")["status"] == "pass"


def test_backstage_refs_to_nowhere_are_survived(tmp_path: Path) -> None:
    catalog = """apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: web
spec:
  type: service
  lifecycle: production
  owner: group:nowhere/ghost-team
  system: system:missing
  dependsOn: [component:default/nope, resource:void/db, "::::", "", 42, null, [nested]]
  providesApis: [api:missing-api]
  subcomponentOf: component:lost
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-a
spec:
  type: team
  parent: group:default/no-parent
  children: [group:default/ghost, "", 7]
  members: [user:default/alice, "user:", ":", bob, carol, null, {a: 1}]
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: dave
spec:
  memberOf: [group:default/ghost-team, team-a, "group:"]
---
apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: loc
spec:
  targets: [../../../etc/passwd, /etc/passwd, "https://example.com/catalog-info.yaml", ./missing.yaml]
"""
    write_tree(tmp_path, {"catalog-info.yaml": catalog})
    proc_report = check_json(tmp_path)
    assert errors(proc_report) == []
    assert result(proc_report, "ORG001")["status"] in ("pass", "fail")
    assert all(r["status"] != "error" for r in proc_report["results"])


@pytest.mark.parametrize("text", [
    "",
    "\n\n\n",
    "# PR/FAQ\n",
    "# PR/FAQ\n## Press release\n## Problem\n## Solution\n## Customer quote\n## Getting started\n## FAQ\n",
    "# Working backwards\n" + "#" * 7 + " not a heading\n" + "## FAQ\n### Q: ?\n### A:\n",
    "---\ntitle: PR/FAQ\n---\n",
    "---\ntitle: [unclosed\n---\n# FAQ\n",
    "---\n" + "a: &a [1]\n" * 1 + "---\n# PR/FAQ\n",
    "<!-- # PR/FAQ\n## Problem\nhidden -->\n",
    "```\n# PR/FAQ\n## Problem\nin a code block\n```\n",
    "# PR/FAQ\n" + "## Q: why?\n" * 5000,
    "# PR/FAQ\n" + "> " * 3000 + "deep quote\n",
    "# PR/FAQ\n" + "- " * 3000 + "deep list\n",
    "# PR/FAQ\n" + "[" * 5000 + "link" + "](x)" * 5000 + "\n",
    "# PR/FAQ\n" + "*" * 20000 + "\n",
    "# PR/FAQ\n" + "| a |" * 2000 + "\n|" + "---|" * 2000 + "\n",
])
@pytest.mark.parametrize("name", ["docs/prfaq.md", "PRFAQ.md", "docs/press-release.md", "docs/faq.md"])
def test_hollow_or_pathological_prfaqs_are_survived(tmp_path: Path, text: str, name: str) -> None:
    write_tree(tmp_path, {name: text})
    report = check_json(tmp_path, timeout=60)
    assert errors(report) == []
    assert result(report, "PROD002")["status"] != "pass"
