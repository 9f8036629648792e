"""``linter.placeholders``: the scaffolds' placeholders found as parsed values (never in a
comment, a code span or a code block), with their lines, and passes resting on them failed."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.engine import RunOptions, run
from linter.placeholders import MARK, ORG, TEAM, Placeholder, find, left_in, unfilled
from linter.repo.workspace import Workspace
from linter.results import Evidence, Status, failed, not_applicable, passed
from tests.helpers import write_tree

MARKDOWN = f"""---
title: Runbook
owner: '{MARK}: the team'   # {MARK} in a front-matter comment
---
# Runbook

{MARK}: when to fail over.

Step one is known,
and step two is {MARK}: the command.

- done
- {MARK}: the check

> {MARK}: a quote

<!-- {MARK}: in an HTML comment -->

`{MARK}` in a code span, and a TODO of someone else's: TODO(alice).

```
{MARK} in a fenced block
```

    {MARK} in an indented block
"""


def test_markdown_visible_text_and_front_matter_values_only() -> None:
    assert [(p.line, p.text) for p in find("docs/runbook.md", MARKDOWN)] == [
        (3, f"{MARK}: the team"), (7, f"{MARK}: when to fail over."), (10, f"{MARK}: the command."),
        (13, f"{MARK}: the check"), (15, f"{MARK}: a quote")]


YAML = f"""# {MARK}: a comment is not a value
apiVersion: openslo/v1
spec:
  description: '{MARK}: say what the objective promises'
  owners:
    - real-team
    - "{ORG}"
  {TEAM}: key
"""


def test_yaml_values_and_keys_not_comments() -> None:
    found = find("slo/latency.yaml", YAML)
    assert [(p.line, p.text) for p in found] == [(4, f"{MARK}: say what the objective promises"), (7, ORG),
                                                 (8, TEAM)]


def test_codeowners_owner_tokens_not_comments() -> None:
    text = (f"# * @{ORG}/{TEAM} is what fix writes without an organisation\n"
            f"*  @{ORG}/{TEAM}\n/api/  @acme/api-team\n/web/  @acme/{TEAM} @acme/web\n"
            "/docs/  @acme/practicelint-team\n")
    assert [(p.line, p.text) for p in find(".github/CODEOWNERS", text)] == [
        (2, f"@{ORG}/{TEAM}"), (4, f"@acme/{TEAM}")]


def test_json_strings() -> None:
    text = '{\n  "extends": ["config:recommended"],\n  "labels": ["' + MARK + ': a label"]\n}\n'
    assert find("renovate.json", text) == (Placeholder("renovate.json", 3, f"{MARK}: a label"),)


@pytest.mark.parametrize("path, text", [
    ("notes.txt", f"{MARK}: prose of an unknown format"),
    ("main.py", f"# {MARK}: a comment\nx = '{MARK}'\n"),
    ("docs/a.md", "TODO: fill in. TODO(practicelint without the parenthesis; todo(practicelint): lower case\n"),
    ("broken.yaml", f"a: [{MARK}\n"),
    ("a.json", f'{{"a": "{MARK}"'),
])
def test_near_misses_and_other_formats(path: str, text: str) -> None:
    assert find(path, text) == ()


def test_hostile_sizes_are_bounded() -> None:
    deep = "a:\n" + "".join("  " * i + "- \n" for i in range(1, 300))
    assert find("deep.yaml", deep + f"b: {MARK}\n") == ()  # too deep: not parsed, nothing found
    long = ("x " * 200_000) + f"\n\n{MARK}: past the parsed prefix\n"
    assert find("long.md", long) == ()


def test_unfilled_turns_a_pass_on_a_scaffold_into_a_failure(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"docs/runbook.md": MARKDOWN, "docs/real.md": "# Real\n\nAll written.\n"})
    ws = Workspace(root)
    cache: dict = {}
    finding = passed("runbook found", [Evidence("docs/runbook.md", 5, "failover section"),
                                       Evidence("docs/real.md", 1, "other")])
    out = unfilled(ws, finding, cache)
    assert out.status is Status.FAIL
    assert out.message.startswith(f"Scaffold not filled in: docs/runbook.md:3 still holds the placeholder "
                                  f"'{MARK}: the team' (and 4 more), written by practicelint fix;")
    assert out.message.endswith("What the check found: runbook found")
    assert [e.location() for e in left_in(out.evidence)] == [f"docs/runbook.md:{n}" for n in (3, 7, 10, 13, 15)]
    assert Evidence("docs/real.md", 1, "other") in out.evidence  # the check's own evidence is kept
    assert cache["docs/runbook.md"]  # each file read and parsed once per run


@pytest.mark.parametrize("finding", [
    passed("fine", [Evidence("docs/real.md", 1)]),
    passed("no file", [Evidence(".", 0, "repository")]),
    passed("not indexed", [Evidence("missing.md", 1)]),
    failed("uncovered files", [Evidence("docs/runbook.md", 0, "no owner")]),  # a failure's evidence: what is wrong
    not_applicable("no services", [Evidence("docs/runbook.md", 0)]),
])
def test_unfilled_leaves_other_results_alone(tmp_path: Path, finding) -> None:
    root = write_tree(tmp_path, {"docs/runbook.md": MARKDOWN, "docs/real.md": "# Real\n\nAll written.\n"})
    assert unfilled(Workspace(root), finding, {}) == finding


def test_a_mention_of_the_token_in_code_does_not_fail_a_document(tmp_path: Path) -> None:
    """Documentation about practicelint names the token in code: that is no scaffold."""
    root = write_tree(tmp_path, {
        "SECURITY.md": "# Security policy\n\n## Reporting a vulnerability\n\nWrite to security@acme-corp.io.\n\n"
                       f"Our scaffolds mark prompts with `{MARK}`.\n"})
    report, _ = run(root, RunOptions(select=["SEC006"]))
    assert report.results[0].status is Status.PASS
