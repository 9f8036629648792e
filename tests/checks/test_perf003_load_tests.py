"""PERF003 verdicts: tests run in CI, tests only, nothing; service attribution."""

from __future__ import annotations

from functools import partial

from linter.checks.perf003_load_tests import check
from linter.results import Scope, Status
from tests.helpers import make_context

make_context = partial(make_context, rule="PERF003")  # contexts for PERF003, with its typed options

K6 = "import http from 'k6/http';\nexport default function () { http.get('https://x'); }\n"


def test_k6_run_in_ci_passes(make_repo) -> None:
    root = make_repo({"load/cart.js": K6, ".github/workflows/load.yml": (
        "on:\n  schedule:\n    - cron: '0 2 * * *'\njobs:\n  load:\n    steps:\n      - run: k6 run load/cart.js\n")})
    finding = check(make_context(root))
    assert finding.status is Status.PASS and "run in CI" in finding.message


def test_tests_without_ci_pass_with_note(make_repo) -> None:
    finding = check(make_context(make_repo({"load/cart.js": K6})))
    assert finding.status is Status.PASS and "not run in CI" in finding.message


def test_nothing_fails(make_repo) -> None:
    assert check(make_context(make_repo({"app.js": "console.log('k6/http')\n"}))).status is Status.FAIL


def test_monorepo_scope_owns_its_tests(make_repo) -> None:
    root = make_repo({"services/a/load/cart.js": K6, "services/b/app.py": "print(1)\n"})
    scopes = [Scope("services/a", "a"), Scope("services/b", "b")]
    assert check(make_context(root, scope=scopes[0], scopes=scopes)).status is Status.PASS
    assert check(make_context(root, scope=scopes[1], scopes=scopes)).status is Status.FAIL
