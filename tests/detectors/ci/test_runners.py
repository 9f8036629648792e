"""Task runners the resolution layer follows into the repository's own files, each in the
shapes its documentation shows: package.json scripts (npm, yarn, pnpm, bun, npm-run-all),
tox, nox, hatch/pdm/Poe scripts, just, Task, Rake, Mage, psake and devbox; positive cases,
near misses and broken or cyclic files."""

from __future__ import annotations

import json

import pytest

from linter.detectors.ci.tables import DEPENDENCY_SCAN, DEPLOYS, SAST, TESTS
from tests.detectors.ci.helpers import hits, workflow

CI = ".github/workflows/ci.yml"


def package(**scripts: str) -> str:
    return json.dumps({"name": "app", "scripts": scripts}, indent=2) + "\n"


# --------------------------------------------------------------------------- package.json
def test_npm_scripts_with_pre_and_post_hooks(make_repo) -> None:
    pkg = package(pretest="npm run lint", test="npm run unit", posttest="npm audit --audit-level=high",
                  lint="eslint .", unit="nyc mocha --use_strict")
    root = make_repo({CI: workflow("npm test"), "package.json": pkg})
    assert hits(root, TESTS)[0][:2] == ("package script tests", "npm test")  # by its name: not looked into
    assert hits(root, DEPENDENCY_SCAN) == [("npm audit", "npm audit --audit-level=high", f"{CI}:6 -> package.json:6")]
    root = make_repo({CI: workflow("npm run all"), "package.json": package(all="npm run unit", unit="nyc mocha")})
    assert hits(root, TESTS) == [("JavaScript tests", "mocha", f"{CI}:6 -> package.json:4 -> package.json:5")]


@pytest.mark.parametrize(("cmd", "extra", "found"), [
    ("npm it", {}, True),  # install-test runs the test script (counted by its name)
    ("npm --prefix web run verify", {"web/package.json": package(verify="jest")}, True),
    ("yarn verify", {}, True),
    ("yarn run verify", {}, True),
    ("pnpm verify", {}, True),
    ("bun run verify", {}, True),
    ("run-s lint verify", {}, True),
    ("npm-run-all --parallel 'ver*'", {}, True),
    ("npm run lint", {}, False),  # a script that does not test
    ("npm run missing", {}, False),
    ("yarn install", {}, False),  # yarn's own command, not the script of that name
    ("npm run verify --workspaces", {}, False),  # every workspace: not read
])
def test_package_managers_find_the_script(make_repo, cmd: str, extra: dict[str, str], found: bool) -> None:
    pkg = package(verify="jest --ci", lint="eslint .", install="jest", test="echo no tests")
    root = make_repo({CI: workflow(cmd), "package.json": pkg, **extra})
    assert bool(hits(root, TESTS)) is found


def test_hooks_run_as_each_manager_documents(make_repo) -> None:
    pkg = package(preverify="npm audit", verify="true")
    # yarn 1 runs pre/post scripts; yarn 2+ (a .yarnrc.yml) and pnpm (without enable-pre-post-scripts) do not
    assert hits(make_repo({CI: workflow("yarn verify"), "package.json": pkg}), DEPENDENCY_SCAN)
    assert not hits(make_repo({CI: workflow("yarn verify"), "package.json": pkg, ".yarnrc.yml": "nodeLinker: node-modules\n"}),
                    DEPENDENCY_SCAN)
    assert not hits(make_repo({CI: workflow("pnpm verify"), "package.json": pkg}), DEPENDENCY_SCAN)
    assert hits(make_repo({CI: workflow("pnpm verify"), "package.json": pkg, ".npmrc": "enable-pre-post-scripts=true\n"}),
                DEPENDENCY_SCAN)


def test_a_yarn_word_that_names_no_script_runs_the_package_binary(make_repo) -> None:
    root = make_repo({CI: workflow("yarn deploy:staging"),
                      "package.json": package(**{"deploy:staging": "yarn wrangler deploy --env staging"})})
    assert hits(root, DEPLOYS) == [("platform deploy", "wrangler deploy --env staging", f"{CI}:6 -> package.json:4")]


def test_bun_test_is_buns_runner_and_package_json_is_found_upwards(make_repo) -> None:
    root = make_repo({CI: workflow("cd web/app && npm run verify"), "web/package.json": package(verify="vitest run")})
    assert hits(root, TESTS) == [("JavaScript tests", "vitest run", f"{CI}:6 -> web/package.json:4")]
    assert hits(make_repo({CI: workflow("bun test"), "package.json": package(test="echo nothing")}), TESTS)[0][0] == \
        "package script tests"


@pytest.mark.parametrize("text", ['{"scripts": {"verify": "npm run verify"}}', "not json", "[1, 2]",
                                  '{"scripts": ' * 5_000 + "1" + "}" * 5_000])
def test_broken_and_cyclic_package_json(make_repo, text: str) -> None:
    root = make_repo({CI: workflow("npm run verify"), "package.json": text})
    assert hits(root, TESTS) == []


# --------------------------------------------------------------------------- Python runners
TOX_INI = """[tox]
envlist = py{311,312}, lint

[testenv]
deps = pytest
commands =
    pytest {posargs:tests}

[testenv:lint]
commands =
    ruff check .
    bandit -r src
"""


def test_tox_environments(make_repo) -> None:
    root = make_repo({CI: workflow("tox -e lint"), "tox.ini": TOX_INI})
    assert hits(root, SAST) == [("Bandit", "bandit -r src", f"{CI}:6 -> tox.ini:12")]
    assert hits(root, TESTS) == []  # the lint environment does not test
    root = make_repo({CI: workflow("tox -e lint"), "setup.cfg": "[tox:tox]\nenvlist = lint\n" + TOX_INI.split("\n", 2)[2]})
    assert hits(root, SAST)[0][2] == f"{CI}:6 -> setup.cfg:12"
    toml = ('[tool.tox]\nlegacy_tox_ini = """\n' + TOX_INI + '"""\n')
    root = make_repo({CI: workflow("tox run -e lint"), "pyproject.toml": toml})
    assert hits(root, SAST)[0][0] == "Bandit"
    native = 'env_list = ["lint"]\n[env_run_base]\ncommands = [["pytest"]]\n[env.lint]\ncommands = [["bandit", "-r", "src"]]\n'
    root = make_repo({CI: workflow("tox"), "tox.toml": native})
    assert [h[0] for h in hits(root, SAST)] == ["Bandit"]


NOXFILE = '''import nox

nox.options.sessions = ["tests"]


@nox.session(python=["3.11", "3.12"])
def tests(session):
    session.install("-e", ".")
    session.run("pytest", "-x", *session.posargs)
    session.notify("audit")


@nox.session
def audit(session):
    session.run("pip-audit")


@nox.session(name="security-lint")
def lint(session):
    session.run("bandit", "-r", "src")
    os.system("semgrep scan")  # not a session.run call
'''


def test_nox_sessions_read_as_a_syntax_tree(make_repo) -> None:
    root = make_repo({CI: workflow("nox -s security-lint"), "noxfile.py": NOXFILE})
    assert hits(root, SAST) == [("Bandit", "bandit -r src", f"{CI}:6 -> noxfile.py:20")]
    root = make_repo({CI: workflow("nox"), "noxfile.py": NOXFILE})  # the default sessions, and what they notify
    assert hits(root, DEPENDENCY_SCAN) == [("pip-audit", "pip-audit", f"{CI}:6 -> noxfile.py:15")]
    root = make_repo({CI: workflow("nox -s audit"), "noxfile.py": "def broken(:\n"})
    assert hits(root, DEPENDENCY_SCAN) == []


PYPROJECT = """[tool.hatch.envs.default.scripts]
check = ["style", "pytest {args}"]
style = "ruff check ."

[tool.pdm.scripts]
pre_audit = "bandit -r src"
audit = {cmd = ["pip-audit", "--strict"]}
all = {composite = ["audit", "semgrep ci"]}

[tool.poe.tasks]
unit = "pytest tests/unit"
ci = ["unit", "safety check"]
"""


@pytest.mark.parametrize(("cmd", "table", "tool"), [
    ("hatch run check", TESTS, "pytest"),
    ("pdm run audit", DEPENDENCY_SCAN, "pip-audit"),
    ("pdm run audit", SAST, "Bandit"),  # pre_ script
    ("pdm run all", SAST, "Semgrep"),
    ("poetry run poe ci", TESTS, "pytest"),
    ("poe ci", DEPENDENCY_SCAN, "safety"),
])
def test_pyproject_scripts(make_repo, cmd: str, table, tool: str) -> None:
    root = make_repo({CI: workflow(cmd), "pyproject.toml": PYPROJECT})
    assert tool in [h[0] for h in hits(root, table)]


# --------------------------------------------------------------------------- task runners
def test_just_recipes_dependencies_first(make_repo) -> None:
    justfile = 'go := "go"\n\ndefault: all\n\nall: lint unit-go\n\nlint:\n    golangci-lint run\n\nunit-go:\n    @{{go}} test ./...\n'
    root = make_repo({CI: workflow("just"), "justfile": justfile})
    # `just unit-go` is not named for tests: its recipe is read (make/just/task names like `test`,
    # `check` or `ci` count by their name, one hop down)
    assert hits(root, TESTS) == [("go test", "go test ./...", f"{CI}:6 -> justfile:3 -> justfile:5 -> justfile:11")]


def test_taskfile_tasks(make_repo) -> None:
    taskfile = "version: '3'\nvars:\n  PKG: ./...\ntasks:\n  all:\n    deps: [lint]\n    cmds:\n      - task: go\n" \
               "  lint: golangci-lint run\n  go:\n    cmds:\n      - cmd: go test {{.PKG}}\n"
    root = make_repo({CI: workflow("task all"), "Taskfile.yml": taskfile})
    assert hits(root, TESTS) == [("go test", "go test ./...", f"{CI}:6 -> Taskfile.yml:8 -> Taskfile.yml:12")]


RAKEFILE = """require "rake/testtask"

task default: :ci

task ci: %w[audit test:all]

task :audit do
  sh "bundle exec bundle-audit check --update"
end

namespace :test do
  Rake::TestTask.new(:all) do |t|
    t.pattern = "test/**/*_test.rb"
  end
end
"""


def test_rake_tasks(make_repo) -> None:
    root = make_repo({CI: workflow("bundle exec rake"), "Rakefile": RAKEFILE})
    assert hits(root, DEPENDENCY_SCAN) == [("bundler-audit", "bundle-audit check --update",
                                            f"{CI}:6 -> Rakefile:3 -> Rakefile:5 -> Rakefile:8")]
    assert hits(root, TESTS) == [("Ruby tests", "rake test:all", f"{CI}:6 -> Rakefile:3 -> Rakefile:5")]


def test_mage_targets(make_repo) -> None:
    magefile = ('//go:build mage\npackage main\n\nvar Default = CI\n\nfunc CI() error {\n\tmg.Deps(Vet)\n'
                '\treturn sh.RunV("go", "test", "-race", "./...")\n}\n\nfunc Vet() error {\n\treturn sh.Run("go", "vet")\n}\n')
    root = make_repo({CI: workflow("mage"), "magefile.go": magefile})
    assert hits(root, TESTS) == [("go test", "go test -race ./...", f"{CI}:6 -> magefile.go:8")]


def test_psake_tasks(make_repo) -> None:
    build = "Task Default -Depends Test\n\nTask Test -Depends Compile {\n  exec { dotnet test src/App.Tests }\n}\n\n" \
            "Task Compile {\n  dotnet build\n}\n"
    wf = "on: [pull_request]\njobs:\n  t:\n    runs-on: windows-latest\n    steps:\n      - shell: pwsh\n" \
         "        run: Invoke-psake build.ps1\n"
    root = make_repo({CI: wf, "build.ps1": build})
    assert hits(root, TESTS) == [("dotnet test", "dotnet test src/App.Tests", f"{CI}:7 -> build.ps1:1 -> build.ps1:4")]


def test_devbox_scripts(make_repo) -> None:
    devbox = json.dumps({"shell": {"scripts": {"ci": ["cargo test --locked"]}}}, indent=2)
    root = make_repo({CI: workflow("devbox run ci"), "devbox.json": devbox})
    assert hits(root, TESTS)[0][:2] == ("cargo test", "cargo test --locked")
    root = make_repo({CI: workflow("devbox run cargo test"), "devbox.json": devbox})  # a command, peeled
    assert hits(root, TESTS)[0][:2] == ("cargo test", "cargo test")


@pytest.mark.parametrize(("name", "text", "cmd"), [
    ("justfile", "a: a\n    just a\n", "just a"),
    ("Taskfile.yml", "tasks:\n  a:\n    deps: [a]\n    cmds: [task a]\n", "task a"),
    ("Rakefile", "task a: :a\ntask :a do\n  sh 'rake a'\nend\n", "rake a"),
    ("justfile", "recipe:\n" + "    echo x\n" * 20_000, "just"),
    ("Rakefile", "task :a do\n" * 5_000, "rake a"),
    ("Taskfile.yml", "tasks: [1, 2, 3]\n", "task"),
    ("magefile.go", "func A() error {\n\tmg.Deps(A)\n" * 2_000, "mage a"),
])
def test_cyclic_huge_and_odd_runner_files_end(make_repo, name: str, text: str, cmd: str) -> None:
    root = make_repo({CI: workflow(cmd), name: text})
    assert hits(root, TESTS) == []
