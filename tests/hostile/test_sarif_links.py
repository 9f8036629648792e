"""SARIF message texts hold no embedded link a repository wrote.

SARIF 2.1.0 (3.11.6) gives plain-text messages one piece of syntax: ``[link text](target)`` is
an embedded link, which viewers render as a hyperlink (the VS Code SARIF viewer does; GitHub
code scanning renders message text as Markdown). A service folder, owner, file name or
rule-pack text holding ``[Fix it here](https://evil)`` came out as a link in the tool's own
voice. Every message text and a rule pack's descriptions now escape the ``]`` of each ``](``
(``\\]``, which the spec and Markdown read back as the character).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterator

from tests.helpers import write_tree
from tests.hostile.cli import assert_clean, check

LINK = "[Fix it here](https://evil.example/phish) \\[x](https://evil.example/2)"
#: An embedded link as a SARIF viewer finds one: an unescaped "[", text, an unescaped "]", "(".
EMBEDDED_LINK = re.compile(r"(?<!\\)(?:\\\\)*\[(?:[^\]\\]|\\.)*\]\(")

PACK = f"""prefix: EVIL
rules:
  - id: EVIL001
    name: evil-one
    practice: small-teams
    category: teams
    severity: error
    scope: repo
    summary: {json.dumps(LINK)}
    rationale: {json.dumps(LINK)}
    evidence: e
    remediation: {json.dumps(LINK)}
    check:
      file_exists: {{globs: 'nothing-*'}}
"""


def _texts(node: Any, key: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "text" and isinstance(v, str) and key != "markdown":
                yield key, v
            else:
                yield from _texts(v, k)
    elif isinstance(node, list):
        for item in node:
            yield from _texts(item, key)


def test_no_repository_string_becomes_an_embedded_link(tmp_path: Path) -> None:
    component = ("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc\nspec:\n"
                 "  type: service\n  owner: " + json.dumps("team " + LINK) + "\n")
    folder = "svc [Fix it here](https:__evil.example_phish)"
    repo = write_tree(tmp_path / "repo", {
        ".practicelint.yaml": "rule-packs: [pack.yaml]\nservices: ['svc*']\nkind: service\n",
        "pack.yaml": PACK, f"{folder}/catalog-info.yaml": component, "README.md": "# r\n",
        f"{folder}/x [a](https:__e).yml": "\x00binary"})
    proc = check(repo, "sarif")
    assert_clean(proc)
    sarif = json.loads(proc.stdout)
    texts = list(_texts(sarif))
    assert any("Fix it here" in text for _, text in texts)  # the strings did reach message texts
    links = [(where, text[:200]) for where, text in texts if EMBEDDED_LINK.search(text)]
    assert links == []
