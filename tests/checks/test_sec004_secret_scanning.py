"""SEC004 verdicts: CI scanners, pre-commit hooks (enforced or not), late scans, nothing."""

from __future__ import annotations

from functools import partial

from linter.checks.sec004_secret_scanning import check
from linter.results import Status
from tests.helpers import make_context

make_context = partial(make_context, rule="SEC004")  # contexts for SEC004, with its typed options

HOOK = "repos:\n  - repo: https://github.com/Yelp/detect-secrets\n    rev: v1.5.0\n    hooks:\n      - id: detect-secrets\n"
PR_PRECOMMIT = "on: [pull_request]\njobs:\n  lint:\n    steps:\n      - uses: pre-commit/action@v3.0.1\n"


def test_gitleaks_action_on_pull_requests_passes(make_repo) -> None:
    root = make_repo({".github/workflows/s.yml": "on: [pull_request]\njobs:\n  s:\n    steps:\n"
                                                 "      - uses: gitleaks/gitleaks-action@v2\n"})
    finding = check(make_context(root))
    assert finding.status is Status.PASS and "gitleaks" in finding.message


def test_hook_enforced_by_ci(make_repo) -> None:
    root = make_repo({".pre-commit-config.yaml": HOOK, ".github/workflows/l.yml": PR_PRECOMMIT})
    finding = check(make_context(root))
    assert finding.status is Status.PASS
    assert "detect-secrets (.pre-commit-config.yaml:5)" in finding.message
    assert "pre-commit runs in CI on every change" in finding.message


def test_hook_not_enforced_passes_with_note(make_repo) -> None:
    finding = check(make_context(make_repo({".pre-commit-config.yaml": HOOK})))
    assert finding.status is Status.PASS and "nothing runs pre-commit in CI" in finding.message


def test_commented_hook_and_scheduled_scan_fail(make_repo) -> None:
    root = make_repo({
        ".pre-commit-config.yaml": "repos:\n  # - repo: https://github.com/gitleaks/gitleaks\n  - repo: local\n"
                                   "    hooks:\n      - id: fmt\n        entry: black .\n",
        ".github/workflows/n.yml": "on:\n  schedule:\n    - cron: '0 1 * * *'\njobs:\n  s:\n    steps:\n"
                                  "      - run: trufflehog git file://. --fail\n",
    })
    finding = check(make_context(root))
    assert finding.status is Status.FAIL and "trufflehog runs only on a schedule" in finding.message


def test_gitlab_secret_detection_template_passes(make_repo) -> None:
    root = make_repo({".gitlab-ci.yml": "include:\n  - template: Security/Secret-Detection.gitlab-ci.yml\n"})
    assert check(make_context(root)).status is Status.PASS
