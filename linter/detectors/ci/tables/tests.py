"""Test runners (DEL003): the commands and packaged steps that run a test suite.

Decisions written down here because the rule depends on them: ``mvn package``/``install``/
``verify`` run the test phase unless tests are skipped (``-DskipTests``); ``gradle build``
and ``check`` run ``test``; a make/just/task/mise target, package script or tox/nox environment
named for tests counts by its name, and otherwise by what it runs (the resolution layer
follows it); publishing test results (``junit``, ``PublishTestResults``) means tests ran.
CircleCI orb test jobs and Azure Maven/Gradle/.NET tasks are judged by the commands they run
(``linter.detectors.ci.known_table``), so ``-DskipTests`` in a task's options counts as well.
"""

from __future__ import annotations

import re

from linter.detectors.ci.tables.shapes import CommandRule, ToolTable, ToolMatch, ref
from linter.detectors.ci.tables.words import always, any_run, is_meta, option_value, short, verb, verbs


_TEST_VERBS = ("test", "t", "tst", "cit", "install-test", "it")
_NOT_TEST_ENVS = frozenset({"lint", "format", "fmt", "docs", "doc", "typecheck", "type", "mypy", "pre-commit",
                            "build", "release", "style", "flake8", "black", "isort", "pylint", "ruff", "check-manifest"})


def _script_is_test(name: str) -> bool:
    """``test``, ``test:unit``, ``test-ci``, ``unit-test``, ``e2e:test``: a package script that tests."""
    lowered = name.lower()
    return lowered in ("test", "tests", "check", "ci:test") or bool(
        re.match(r"^(?:test|tests)(?:[:_-][\w:-]{1,40})?$|^[\w-]{1,40}[:_-]tests?$", lowered))


#: JavaScript test runners a package manager can run by name (``yarn jest``, ``pnpm vitest run``).
_JS_TEST_RUNNERS = frozenset({"jest", "vitest", "mocha", "ava", "jasmine", "tap", "uvu"})


def _node_pm(argv: tuple[str, ...]) -> ToolMatch:
    """``npm test``, ``npm run test:unit``, ``yarn test``, ``pnpm -r test``, ``bun test``; and
    a test runner the package manager runs from ``node_modules/.bin`` when no script has its
    name (``yarn jest``, ``yarn backstage-cli repo test``)."""
    words = verbs(argv)
    if not words:
        return None
    if argv[0] in ("yarn", "pnpm") and (
            (words[0] in _JS_TEST_RUNNERS and words[1:2] not in (["bench"], ["init"]))
            or (words[0] == "backstage-cli" and words[1:3] in (["repo", "test"], ["package", "test"]))):
        return (short(argv), True)
    if words[0] in _TEST_VERBS and (argv[0] != "bun" or words[0] == "test"):
        return (short(argv), True)
    if words[0] in ("run", "run-script", "run-s") and len(words) > 1 and _script_is_test(words[1]):
        return (short(argv), True)
    if argv[0] in ("yarn", "pnpm", "bun") and _script_is_test(words[0]):
        return (short(argv), True)
    return None


#: Nx commands that are not a target name (``nx <target> <project>`` is the default command)
_NX_COMMANDS = frozenset({"run-many", "affected", "run", "graph", "dep-graph", "show", "list", "format", "format:check",
                          "format:write", "migrate", "report", "reset", "daemon", "watch", "release", "sync",
                          "sync:check", "generate", "g", "add", "init", "connect", "import", "exec", "repair",
                          "print-affected", "affected:graph", "affected:apps", "affected:libs", "login", "logout"})
#: Nx options whose value is the next word (a project list, git refs, a configuration...)
_NX_VALUE_OPTIONS = frozenset({"-p", "--projects", "--project", "--exclude", "--base", "--head", "--files", "-c",
                               "--configuration", "--output-style", "--parallel", "--runner", "--batch"})
_NX_TARGET_OPTIONS = frozenset({"-t", "--target", "--targets"})
_MAX_NX_TARGETS = 64


def _nx_targets(argv: tuple[str, ...]) -> list[str]:
    """The targets an ``nx`` command runs, read as Nx's CLI does: ``-t``/``--targets`` take an
    array (``-t lint test``, ``-t lint,test``, ``--targets=lint,test``); ``nx run proj:target[:conf]``
    and ``nx proj:target``; the legacy ``nx affected:test``; and otherwise the default command,
    ``nx <target> [project]``. A project list (``--exclude test``) is not a target."""
    targets: list[str] = []
    positionals: list[str] = []
    words = argv[1:]
    index = 0
    while index < len(words) and len(targets) < _MAX_NX_TARGETS:
        word = words[index]
        name, has_value, value = word.partition("=")
        if name in _NX_TARGET_OPTIONS:
            values = [value] if has_value else []
            if not has_value:
                while index + 1 < len(words) and not words[index + 1].startswith("-"):
                    index += 1
                    values.append(words[index])
            targets.extend(t for v in values for t in v.split(",") if t)
        elif word.startswith("-"):
            if (not has_value and name in _NX_VALUE_OPTIONS and index + 1 < len(words)
                    and not words[index + 1].startswith("-")):
                index += 1
        else:
            positionals.append(word)
        index += 1
    command = positionals[0] if positionals else ""
    if command.startswith("affected:") and command not in _NX_COMMANDS:
        targets.append(command.split(":", 1)[1])
    elif command == "run" and len(positionals) > 1 and ":" in positionals[1]:
        targets.append(positionals[1].split(":")[1])
    elif command and command not in _NX_COMMANDS:
        targets.append(command.split(":")[1] if ":" in command else command)
    return [target for target in targets if target][:_MAX_NX_TARGETS]


def _nx_test(argv: tuple[str, ...]) -> ToolMatch:
    """An Nx command that runs a target named for tests (``test``, ``test:ci``, ``e2e``,
    ``e2e-ci``: Nx's generated end-to-end targets run Cypress or Playwright)."""
    if any(_script_is_test(t) or re.match(r"^e2e(?:[:_-][\w:-]{1,40})?$", t.lower())
           for t in _nx_targets(argv)):
        return (short(argv), True)
    return None


def _tox(argv: tuple[str, ...]) -> ToolMatch:
    if is_meta(argv) or "-l" in argv or "--listenvs" in argv or "-a" in argv:
        return None
    envs = option_value(argv, "-e", "--envlist") or ""
    names = {e.strip().lower() for e in re.split(r"[,\s]", envs) if e.strip()}
    if names and names <= _NOT_TEST_ENVS:
        return None
    return (short(argv), True)


def _maven_test(argv: tuple[str, ...]) -> ToolMatch:
    if any(a in ("-DskipTests", "-Dmaven.test.skip=true", "-DskipTests=true") for a in argv):
        return None
    goals = [w for w in argv[1:] if not w.startswith("-")]
    if any(g in ("test", "verify", "package", "install", "deploy", "integration-test") for g in goals):
        return (short(argv), True)
    return None


def _gradle_test(argv: tuple[str, ...]) -> ToolMatch:
    excluded = {argv[i + 1] for i, a in enumerate(argv[:-1]) if a in ("-x", "--exclude-task")}
    tasks = [w.rsplit(":", 1)[-1] for w in argv[1:] if not w.startswith("-") and w not in excluded]
    if "test" in excluded:
        return None
    if any(t in ("test", "check", "build") or t.endswith("Test") or t.endswith("test") for t in tasks):
        return (short(argv), True)
    return None


def _make_test(argv: tuple[str, ...]) -> ToolMatch:
    targets = [w for w in argv[1:] if not w.startswith("-") and "=" not in w]
    if any(re.match(r"^(?:test|tests|check|unit|unit-?tests?|integration-?tests?|test-[\w-]{1,40}|ci)$", t)
           or _script_is_test(t) for t in targets):  # also ci-test, go-test, test:unit
        return (short(argv), True)
    return None


def _mise_test(argv: tuple[str, ...]) -> ToolMatch:
    """``mise run test`` (``mise r``, ``mise tasks run``, ``mise test``): a task named for tests,
    as a make target is; the words after its name are its arguments, not tasks."""
    from linter.detectors.ci.runners.mise import task_names

    if any(_make_test(("mise", name)) for name in task_names(argv)):
        return (short(argv), True)
    return None


_GO_TEST_VERB = verb("test")
_ANY_RUN = any_run()


def _go_test(argv: tuple[str, ...]) -> ToolMatch:
    """``go test``, but not ``go test -c`` (compiles the test binary) or ``-list`` (names tests)."""
    if any(a in ("-c", "-list") or a.startswith(("-list=", "-c=")) for a in argv[2:]):
        return None
    return _GO_TEST_VERB(argv)


def _shell_tests(argv: tuple[str, ...]) -> ToolMatch:
    """A Bats or ShellSpec suite; ``bats -v`` only prints the version."""
    return None if argv[1:] == ("-v",) else _ANY_RUN(argv)


def _pytest(argv: tuple[str, ...]) -> ToolMatch:
    if is_meta(argv) or "--collect-only" in argv or "--co" in argv:
        return None
    return (short(argv), True)


def _django_test(argv: tuple[str, ...]) -> ToolMatch:
    """``python manage.py test`` (Django's test runner), not other management commands."""
    for index, word in enumerate(argv):
        if word.rsplit("/", 1)[-1] == "manage.py":
            rest = [a for a in argv[index + 1:] if not a.startswith("-")]
            return (short(argv), True) if rest[:1] == ["test"] else None
    return None


TESTS = ToolTable(
    category="tests",
    references=(
        ref("include", r"template:(?:jobs/)?test\.gitlab-ci\.yml", "GitLab Auto DevOps test", always("Auto DevOps Test job")),
        ref("include", r"template:auto-devops\.gitlab-ci\.yml", "GitLab Auto DevOps test",
             always("Auto DevOps template (includes the test job)")),
        ref("task", r"vstest", "VSTest", always("VSTest (Azure task)")),
        ref("task", r"junit|realtimejunit|xunit|publishtestresults", "test reports", always("test results published")),
    ),
    commands=(
        CommandRule(frozenset({"pytest", "py.test"}), "pytest", _pytest),
        CommandRule(frozenset({"unittest"}), "unittest", any_run()),
        CommandRule(frozenset({"tox"}), "tox", _tox),
        CommandRule(frozenset({"nox"}), "nox", _tox),
        CommandRule(frozenset({"npm", "yarn", "pnpm", "bun"}), "package script tests", _node_pm),
        CommandRule(frozenset({"jest", "vitest", "mocha", "ava", "jasmine", "tap", "uvu"}), "JavaScript tests",
                    lambda argv: None if is_meta(argv) or argv[1:2] in (("bench",), ("init",)) else (short(argv), True)),
        CommandRule(frozenset({"karma"}), "karma", verb("start", "run")),
        CommandRule(frozenset({"playwright"}), "Playwright", verb("test")),
        CommandRule(frozenset({"cypress"}), "Cypress", verb("run")),
        CommandRule(frozenset({"go"}), "go test", _go_test),
        CommandRule(frozenset({"gotestsum"}), "go test", any_run()),
        CommandRule(frozenset({"cargo"}), "cargo test", verb("test", "nextest run", "tarpaulin", "llvm-cov")),
        CommandRule(frozenset({"cargo-nextest"}), "cargo test", verb("run")),
        CommandRule(frozenset({"mvn", "mvnw", "mvnd"}), "maven", _maven_test),
        CommandRule(frozenset({"gradle", "gradlew"}), "gradle", _gradle_test),
        CommandRule(frozenset({"dotnet"}), "dotnet test", verb("test", "vstest")),
        CommandRule(frozenset({"rspec", "minitest", "cucumber"}), "Ruby tests", any_run()),
        CommandRule(frozenset({"rake", "rails", "bin/rails"}), "Ruby tests", verb("test", "spec", "test:all")),
        CommandRule(frozenset({"phpunit", "pest", "paratest", "codecept"}), "PHP tests", any_run()),
        CommandRule(frozenset({"composer"}), "PHP tests", verb("test", "run-script test")),
        CommandRule(frozenset({"make", "gmake", "just", "task"}), "make test", _make_test),
        CommandRule(frozenset({"mise"}), "mise run test", _mise_test),
        # the repository's own test runner script: ./scripts/run_tests.sh, ci/test.sh, bin/unit-tests
        CommandRule(frozenset(), "test script", lambda argv: (short(argv), True), script=re.compile(
            r"(?:run[_-]?|ci[_-]?|start[_-]?)?(?:(?:unit|integration|e2e|acceptance|all|go|py)[_-]?)?tests?"
            r"(?:[_-](?:unit|all|ci|integration|e2e|acceptance|start|run|local))?(?:\.(?:sh|bash|py|ps1|cmd|bat))?",
            re.IGNORECASE)),
        CommandRule(frozenset({"ctest"}), "ctest", any_run()),
        # Meson's own test runner (`meson test -C builddir`); `meson setup`/`compile` only build
        CommandRule(frozenset({"meson"}), "meson test", verb("test", value_options=frozenset({"-C"}))),
        CommandRule(frozenset({"bazel", "bazelisk"}), "bazel test", verb("test", "coverage")),
        CommandRule(frozenset({"swift"}), "swift test", verb("test")),
        CommandRule(frozenset({"skaffold"}), "skaffold test", verb("test")),  # the tests skaffold.yaml declares
        CommandRule(frozenset({"manage.py"}), "Django tests", _django_test, script=re.compile(r"manage\.py")),
        # Terraform's own test framework (*.tftest.hcl); validate and plan are not tests
        CommandRule(frozenset({"terraform", "tofu"}), "terraform test", verb("test")),
        CommandRule(frozenset({"xcodebuild"}), "xcodebuild test", lambda argv: (short(argv), True)
                    if "test" in argv[1:] else None),
        CommandRule(frozenset({"mix"}), "mix test", verb("test")),
        # ExCoveralls' tasks run the ExUnit suite with coverage (`mix coveralls`, `.html`, `.json`...)
        CommandRule(frozenset({"mix"}), "mix coveralls", lambda argv: (short(argv), True)
                    if (verbs(argv)[:1] or [""])[0].split(".")[0] == "coveralls" else None),
        CommandRule(frozenset({"flutter", "dart", "deno"}), "Dart/Deno tests", verb("test")),
        CommandRule(frozenset({"sbt", "lein", "stack", "cabal"}), "build tool tests", verb("test")),
        CommandRule(frozenset({"nx"}), "nx test", _nx_test),
        CommandRule(frozenset({"turbo"}), "turbo test", lambda argv: (short(argv), True)
                    if any(_script_is_test(w) for w in verbs(argv)[:3] if w != "run") else None),
        CommandRule(frozenset({"hatch"}), "hatch test", verb("test")),
        # shell test suites (Bats, ShellSpec), and Helm chart tests: unit tests of the templates
        # (helm-unittest), a release's test hooks, chart-testing's install-and-test
        CommandRule(frozenset({"bats", "shellspec"}), "shell tests", _shell_tests),
        CommandRule(frozenset({"helm"}), "Helm chart tests", verb("unittest", "test")),
        CommandRule(frozenset({"ct"}), "chart-testing", verb("install", "lint-and-install")),
        # Backstage's CLI runs Jest over the repository or one package
        CommandRule(frozenset({"backstage-cli"}), "Backstage CLI tests", verb("repo test", "package test")),
        # infrastructure code's integration tests: Google's Cloud Foundation Toolkit runs a
        # blueprint's tests (`cft test run`), Test Kitchen converges and verifies (`kitchen test`)
        CommandRule(frozenset({"cft"}), "CFT blueprint tests", verb("test run")),
        CommandRule(frozenset({"kitchen"}), "Test Kitchen", verb("test", "verify")),
    ),
)

