"""pre-commit configuration: hooks with their repository, id and line; hostile shapes survive."""

from __future__ import annotations

import pytest

from linter.detectors import precommit
from linter.repo.workspace import Workspace

CONFIG = """\
ci:
  autofix_prs: false
repos:
  - repo: https://github.com/gitleaks/gitleaks.git
    rev: v8.24.2
    hooks:
      - id: gitleaks
  # - repo: https://github.com/Yelp/detect-secrets
  - repo: local
    hooks:
      - id: scan
        entry: trufflehog filesystem --fail .
        language: system
      - id: slow
        entry: checkov -d .
        stages: [manual]
"""


def test_hooks_lines_and_service(make_repo) -> None:
    facts = Workspace(make_repo({".pre-commit-config.yaml": CONFIG})).facts(precommit.detect)
    assert [(h.line, h.repo_name, h.id) for h in facts.hooks] == [
        (7, "gitleaks/gitleaks", "gitleaks"), (11, "local", "scan"), (14, "local", "slow")]
    assert facts.hooks[1].entry == "trufflehog filesystem --fail ."
    assert facts.hooks[2].manual_only
    assert facts.ci_service == (".pre-commit-config.yaml",)


@pytest.mark.parametrize("text", ["", "repos: 3\n", "- a\n- b\n", "repos:\n  - 1\n  - {hooks: {id: x}}\n",
                                  "repos: [{repo: x, hooks: [null, 3, {id: [1]}]}]\n", "repos: [: bad\n"])
def test_hostile_configs_give_no_hooks(make_repo, text: str) -> None:
    facts = Workspace(make_repo({".pre-commit-config.yaml": text})).facts(precommit.detect)
    assert facts.hooks == ()
