"""SEC003 verdicts: per-change SAST passes, schedule-only and absent fail with the reason."""

from __future__ import annotations

from functools import partial

from linter.checks.sec003_static_analysis_in_ci import check
from linter.results import Status
from tests.helpers import make_context

make_context = partial(make_context, rule="SEC003")  # contexts for SEC003, with its typed options

PR = "on: [pull_request]\njobs:\n  sast:\n    steps:\n      - uses: actions/checkout@v4\n{step}"
NIGHTLY = "on:\n  schedule:\n    - cron: '0 3 * * *'\njobs:\n  sast:\n    steps:\n{step}"


def test_codeql_on_pull_requests_passes(make_repo) -> None:
    root = make_repo({".github/workflows/codeql.yml": PR.format(step="      - uses: github/codeql-action/analyze@v3\n")})
    finding = check(make_context(root))
    assert finding.status is Status.PASS
    assert "CodeQL on pull requests (.github/workflows/codeql.yml:6)" in finding.message


def test_semgrep_on_schedule_only_fails(make_repo) -> None:
    root = make_repo({".github/workflows/n.yml": NIGHTLY.format(step="      - run: semgrep ci\n")})
    finding = check(make_context(root))
    assert finding.status is Status.FAIL
    assert "Semgrep runs only on a schedule" in finding.message
    assert finding.evidence[0].line == 7


def test_commented_or_echoed_sast_fails_and_mentions_default_setup(make_repo) -> None:
    step = "      # - uses: github/codeql-action/analyze@v3\n      - run: echo 'semgrep ci'\n"
    root = make_repo({".github/workflows/ci.yml": PR.format(step=step)})
    finding = check(make_context(root))
    assert finding.status is Status.FAIL
    assert "default setup" in finding.message and ".github/workflows/ci.yml" in finding.message


def test_gitlab_sast_template_passes(make_repo) -> None:
    root = make_repo({".gitlab-ci.yml": "include:\n  - template: Jobs/SAST.gitlab-ci.yml\n"})
    assert check(make_context(root)).status is Status.PASS


def test_no_ci_fails(make_repo) -> None:
    finding = check(make_context(make_repo({"README.md": "# x\n"})))
    assert finding.status is Status.FAIL and "no CI configuration found" in finding.message
