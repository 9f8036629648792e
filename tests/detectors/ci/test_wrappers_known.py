"""Wrappers peeled before judging, and well-known steps whose commands come from the table of
known steps (each with its public source), with positive cases and near misses."""

from __future__ import annotations

import shlex

import pytest

from linter.checks.del003_tests_on_every_change import check as del003
from linter.checks.sec003_static_analysis_in_ci import check as sec003
from linter.detectors.ci.known_table import KNOWN_STEPS
from linter.detectors.ci.tables import DEPENDENCY_SCAN, IAC_POLICY, SAST, SECRETS, TESTS
from linter.detectors.ci.wrappers import effective_argv, peel
from linter.results import Status
from tests.detectors.ci.helpers import hits
from tests.helpers import make_context

CI = ".github/workflows/ci.yml"


@pytest.mark.parametrize(("command", "expected"), [
    ("coverage run -m pytest -x", ("pytest", "-x")),
    ("coverage run --source=app manage.py test", ("python", "manage.py", "test")),
    ("python3 -m pytest", ("pytest",)),
    ("npx --yes jest --ci", ("jest", "--ci")),
    ("npx netlify-cli@17 deploy --prod", ("netlify", "deploy", "--prod")),
    ("pnpm dlx vitest run", ("vitest", "run")),
    ("bunx vitest", ("vitest",)),
    ("uv run --frozen pytest", ("pytest",)),
    ("poetry run pytest", ("pytest",)),
    ("pipenv run pytest", ("pytest",)),
    ("hatch run test:pytest -q", ("pytest", "-q")),
    ("pdm run pytest", ("pytest",)),
    ("bundle exec rspec", ("rspec",)),
    ("go run gotest.tools/gotestsum@latest ./...", ("gotestsum", "./...")),
    ("docker run --rm -v $PWD:/src aquasec/trivy:0.50 fs /src", ("trivy", "fs", "/src")),
    ("docker run --entrypoint pytest myimage -x", ("pytest", "-x")),
    ("devbox run cargo test", ("cargo", "test")),
    ("nix develop -c cargo test", ("cargo", "test")),
    ("timeout -s KILL 20m go test ./...", ("go", "test", "./...")),
    ("xvfb-run -a --server-args='-screen 0 1024x768x24' npm test", ("npm", "test")),
    ("env -u HOME CI=1 pytest", ("pytest",)),
    ("sudo -E -u runner make test", ("make", "test")),
    ("time ctest", ("ctest",)),
    ("nyc --reporter=lcov mocha", ("mocha",)),
    ("cross-env NODE_ENV=test jest", ("jest",)),
    ("richgo test ./...", ("go", "test", "./...")),
    ("cross test --target aarch64-unknown-linux-gnu", ("cargo", "test", "--target", "aarch64-unknown-linux-gnu")),
])
def test_wrappers_are_peeled(command: str, expected: tuple[str, ...]) -> None:
    assert effective_argv(shlex.split(command)) == expected


@pytest.mark.parametrize("command", ["command -v pytest", "timeout --help", "env", "docker run --rm", "npx", "coverage report"])
def test_wrappers_with_nothing_to_run(command: str) -> None:
    assert effective_argv(command.split())[:1] != ("pytest",) and len(peel(command.split())) <= 2


def test_every_known_step_names_its_public_source() -> None:
    assert KNOWN_STEPS and all(entry.source.startswith("https://") for entry in KNOWN_STEPS)


@pytest.mark.parametrize(("step", "table", "tool"), [
    ("uses: actions/reusable-workflows/.github/workflows/basic-validation.yml@main", TESTS, "package script tests"),
    ("uses: actions/reusable-workflows/.github/workflows/basic-validation.yml@main", DEPENDENCY_SCAN, "npm audit"),
    ("uses: actions/reusable-workflows/.github/workflows/codeql-analysis.yml@main", SAST, "CodeQL"),
    ("uses: jenkins-infra/jenkins-security-scan/.github/workflows/jenkins-security-scan.yaml@v2\n        with:\n"
     "          java-cache: maven", SAST, "CodeQL"),
    ("uses: super-linter/super-linter/slim@v7\n        env:\n          VALIDATE_GITLEAKS: true", SECRETS, "gitleaks"),
    ("uses: super-linter/super-linter@v7", IAC_POLICY, "checkov"),
    ("uses: nick-fields/retry@v3\n        with:\n          command: go test ./...", TESTS, "go test"),
    ("uses: gradle/gradle-build-action@v2\n        with:\n          arguments: check", TESTS, "gradle"),
    ("uses: actions-rs/cargo@v1\n        with:\n          command: test\n          args: --all", TESTS, "cargo test"),
    ("uses: cypress-io/github-action@v6", TESTS, "Cypress"),
    ("uses: paambaati/codeclimate-action@v9\n        with:\n          coverageCommand: npx jest --coverage", TESTS,
     "JavaScript tests"),
])
def test_known_steps_run_what_their_documentation_says(make_repo, step: str, table, tool: str) -> None:
    wf = f"on: [pull_request]\njobs:\n  t:\n    runs-on: x\n    steps:\n      - {step}\n"
    found = hits(make_repo({CI: wf}), table)
    assert tool in [h[0] for h in found]
    assert "known step, not read here" in found[0][2]


@pytest.mark.parametrize(("step", "table"), [
    ("uses: actions/reusable-workflows/.github/workflows/basic-validation.yml@main\n        with:\n"
     "          enable-audit: false", DEPENDENCY_SCAN),
    ("uses: super-linter/super-linter@v7\n        env:\n          VALIDATE_MARKDOWN: true", SECRETS),  # others off
    ("uses: super-linter/super-linter@v7\n        env:\n          VALIDATE_GITLEAKS: false", SECRETS),
    ("uses: cypress-io/github-action@v6\n        with:\n          runTests: false", TESTS),
    ("uses: actions-rs/cargo@v1\n        with:\n          command: build", TESTS),
    ("uses: someone/reusable-workflows/.github/workflows/basic-validation.yml@main", TESTS),  # another owner
    # the Jenkins security scan runs CodeQL only: not a dependency scan, and only the Jenkins project's workflow
    ("uses: jenkins-infra/jenkins-security-scan/.github/workflows/jenkins-security-scan.yaml@v2", DEPENDENCY_SCAN),
    ("uses: someone/jenkins-security-scan/.github/workflows/jenkins-security-scan.yaml@v2", SAST),
])
def test_known_step_near_misses(make_repo, step: str, table) -> None:
    wf = f"on: [pull_request]\njobs:\n  t:\n    runs-on: x\n    steps:\n      - {step}\n"
    assert hits(make_repo({CI: wf}), table) == []


def test_known_step_near_misses_grafana(make_repo) -> None:
    """Grafana's plugin CI workflow runs tests, but no dependency scan and (for the repository)
    no secret scan; its cd.yml and another owner's ci.yml are not it."""
    for step, table in (("uses: grafana/plugin-ci-workflows/.github/workflows/ci.yml@ci-cd-workflows/v10.1.0",
                         DEPENDENCY_SCAN),
                        ("uses: grafana/plugin-ci-workflows/.github/workflows/ci.yml@main", SECRETS),
                        ("uses: grafana/plugin-ci-workflows/.github/workflows/cd.yml@main", TESTS),
                        ("uses: someone/plugin-ci-workflows/.github/workflows/ci.yml@main", TESTS)):
        wf = f"on: [pull_request]\njobs:\n  t:\n    runs-on: x\n    steps:\n      - {step}\n"
        assert hits(make_repo({CI: wf}), table) == [], step


def test_grafana_plugin_ci_runs_the_plugins_test_script(make_repo) -> None:
    """The frontend action's ``test:ci`` package script, and Playwright only when asked."""
    wf = ("on:\n  push:\n    branches: [main]\n  pull_request:\njobs:\n  ci:\n"
          "    uses: grafana/plugin-ci-workflows/.github/workflows/ci.yml@ci-cd-workflows/v10.1.0\n"
          "    with:\n      run-playwright: true\n")
    root = make_repo({CI: wf, "package.json": '{"scripts": {"test:ci": "jest --passWithNoTests"}}'})
    finding = del003(make_context(root, rule="DEL003"))
    assert finding.status is Status.PASS and "known step, not read here" in finding.message
    assert "npm run test:ci" in finding.message and "playwright test" in finding.message
    quiet = make_repo({CI: wf.replace("run-playwright: true", "run-playwright: false"),
                       "package.json": '{"scripts": {"test:ci": "jest"}}'})
    message = del003(make_context(quiet, rule="DEL003")).message
    assert "npm run test:ci" in message and "playwright" not in message.lower().replace("run-playwright", "")


def test_a_known_step_is_followed_into_this_repository(make_repo) -> None:
    wf = "on: [pull_request]\njobs:\n  v:\n    uses: actions/reusable-workflows/.github/workflows/basic-validation.yml@main\n"
    root = make_repo({CI: wf, "package.json": '{\n  "scripts": {\n    "lint": "semgrep ci"\n  }\n}\n'})
    finding = sec003(make_context(root, rule="SEC003"))
    assert finding.status is Status.PASS and "known step, not read here" in finding.message
    assert "package.json:3" in finding.message


def test_jenkins_shared_library_build_plugin(make_repo) -> None:
    root = make_repo({"Jenkinsfile": "buildPlugin(useContainerAgent: true, configurations: [\n"
                                     "  [platform: 'linux', jdk: 21],\n])\n"})
    finding = del003(make_context(root, rule="DEL003"))
    assert finding.status is Status.PASS and "mvn" in finding.message and "known step" in finding.evidence[0].detail
    root = make_repo({"Jenkinsfile": "buildPlugin(tests: [skip: true])\n"})
    assert del003(make_context(root, rule="DEL003")).status is Status.FAIL
    root = make_repo({"Jenkinsfile": "def buildPlugin = 1\necho buildPlugin\n"})  # a variable, not the step
    assert del003(make_context(root, rule="DEL003")).status is Status.FAIL


@pytest.mark.parametrize(("task", "found"), [
    ("Maven@4\n    inputs:\n      goals: verify", True),
    ("Maven@4\n    inputs:\n      goals: package\n      options: -DskipTests", False),
    ("Gradle@3\n    inputs:\n      tasks: check", True),
    ("DotNetCoreCLI@2\n    inputs:\n      command: test", True),
    ("DotNetCoreCLI@2\n    inputs:\n      command: build", False),
    ("Npm@1\n    inputs:\n      command: custom\n      customCommand: run test", True),
    ("Bash@3\n    inputs:\n      targetType: filePath\n      filePath: ci/run.sh", True),
])
def test_azure_tasks_are_judged_by_the_commands_they_run(make_repo, task: str, found: bool) -> None:
    root = make_repo({"azure-pipelines.yml": f"steps:\n  - task: {task}\n", "ci/run.sh": "go test ./...\n"})
    assert bool(hits(root, TESTS)) is found


def test_circleci_orb_test_jobs(make_repo) -> None:
    config = "version: 2.1\norbs:\n  node: circleci/node@5\nworkflows:\n  ci:\n    jobs:\n      - node/test:\n" \
             "          run-command: lint\n"
    package = '{"scripts": {"lint": "eslint . && semgrep scan --config auto --error"}}'
    root = make_repo({".circleci/config.yml": config, "package.json": package})
    assert hits(root, TESTS) == [] and [h[0] for h in hits(root, SAST)] == ["Semgrep"]
    root = make_repo({".circleci/config.yml": config.replace("run-command: lint", "pkg-manager: yarn"),
                      "package.json": package})
    assert hits(root, TESTS)[0][1] == "yarn run test"
