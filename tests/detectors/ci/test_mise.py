"""mise tasks behind CI commands: ``mise run <task>`` followed into mise.toml and file tasks,
dependencies, cycles, unknown tasks, comments, and ``mise exec`` as a wrapper."""

from __future__ import annotations

import pytest

from linter.checks.del003_tests_on_every_change import check as del003
from linter.detectors.ci.tables import DEPENDENCY_SCAN, TESTS
from linter.results import Status
from tests.detectors.ci.helpers import hits, programs, workflow
from tests.helpers import make_context

CI = ".github/workflows/ci.yml"


def _repo(make_repo, command: str, files: dict[str, str]):
    return make_repo({CI: workflow(command), **files})


def test_task_that_runs_tests(make_repo) -> None:
    root = _repo(make_repo, "mise run suite", {"mise.toml": '[tools]\ngo = "1.26"\n\n[tasks.suite]\n'
                                                              'description = "Go tests"\nrun = "go test ./..."\n'})
    assert hits(root, TESTS) == [("go test", "go test ./...", f"{CI}:6 -> mise.toml:6")]
    assert del003(make_context(root, rule="DEL003")).status is Status.PASS


@pytest.mark.parametrize("command", ["mise r unit", "mise tasks run unit", "mise unit", "mise --jobs 2 run unit",
                                     "'mise run lint ::: unit'", "mise -C svc run unit"])
def test_spellings_of_running_a_task(make_repo, command: str) -> None:
    config = '[tasks.unit]\nrun = "pytest -q"\n[tasks.lint]\nrun = "ruff check ."\n'
    where = "svc/mise.toml" if "-C svc" in command else "mise.toml"
    root = _repo(make_repo, command, {where: config})
    assert ("pytest", "-q") in programs(root)


def test_depends_chain_runs_dependencies_first(make_repo) -> None:
    config = """[tasks.verify]
depends = ["build", "unit"]
run = ["echo done"]

[tasks.unit]
depends = "fixtures:*"
run = "pytest"

[tasks.build]
run = "python -m build"

[tasks."fixtures:db"]
run = "docker compose up -d db"
"""
    root = _repo(make_repo, "mise run verify", {".mise.toml": config})
    assert programs(root) == [("mise", "run", "verify"), ("mise", "run", "build"), ("build",),
                              ("mise", "run", "unit"), ("mise", "run", "fixtures:db"),
                              ("docker", "compose", "up", "-d", "db"), ("pytest",), ("echo", "done")]
    assert [chain for _, _, chain in hits(root, TESTS)] == [f"{CI}:6 -> .mise.toml:2"]  # by its name, no deeper


def test_skip_deps_and_structured_run_entries(make_repo) -> None:
    config = '[tasks]\naudit = "pip-audit"\nall = { run = [{ task = "audit" }, { tasks = ["x"] }], depends = ["x"] }\n' \
             'x = ["echo x"]\n'
    root = _repo(make_repo, "mise run --skip-deps all", {"mise.toml": config})
    assert programs(root)[:3] == [("mise", "run", "--skip-deps", "all"), ("mise", "run", "audit"), ("pip-audit",)]
    assert ("mise", "run", "x") in programs(root)


def test_cycle_terminates(make_repo) -> None:
    config = '[tasks.a]\ndepends = ["b"]\nrun = "pip-audit"\n[tasks.b]\ndepends = ["a"]\nrun = "mise run a"\n'
    root = _repo(make_repo, "mise run a", {"mise.toml": config})
    assert {tool for tool, _, _ in hits(root, DEPENDENCY_SCAN)} == {"pip-audit"}
    assert len(programs(root)) < 20


def test_unknown_task_and_mise_commands_are_not_followed(make_repo) -> None:
    config = '[tasks.audit]\nrun = "pip-audit"\n'
    for command in ("mise run audit-deps", "mise install", "mise audit-deps", "mise use node@22"):
        root = _repo(make_repo, command, {"mise.toml": config})
        assert hits(root, DEPENDENCY_SCAN) == [], command


def test_comments_and_non_shell_scripts_never_count(make_repo) -> None:
    config = '[tasks.scan]\nrun = """\n# pip-audit\necho "npm audit"\n"""\n' \
             '[tasks.py]\nrun = """#!/usr/bin/env python\nimport os; os.system("pip-audit")\n"""\n'
    for task in ("scan", "py"):
        root = _repo(make_repo, f"mise run {task}", {"mise.toml": config})
        assert hits(root, DEPENDENCY_SCAN) == [], task


def test_file_tasks_with_headers_arguments_and_defaults(make_repo) -> None:
    files = {
        "mise-tasks/test/unit": '#!/usr/bin/env bash\n#MISE description="unit tests"\n#MISE depends=["lint"]\n'
                                'pytest "$@"\n',
        "mise-tasks/lint.sh": "#!/bin/sh\nruff check .\n",
        ".mise/tasks/audit/_default": "osv-scanner -r .\n",
        "mise-tasks/report": "#!/usr/bin/env python3\nimport subprocess\nsubprocess.run(['pip-audit'])\n",
        "mise-tasks/more.toml": "[scan]\nrun = 'pip-audit'\n",
    }
    root = _repo(make_repo, "mise run test:unit -- -x", files)
    assert programs(root) == [("mise", "run", "test:unit", "--", "-x"), ("mise", "run", "lint"),
                              ("ruff", "check", "."), ("pytest", "-x")]
    assert [t for t, _, _ in hits(_repo(make_repo, "mise run audit", files), DEPENDENCY_SCAN)] == ["osv-scanner"]
    assert hits(_repo(make_repo, "mise run report", files), DEPENDENCY_SCAN) == []
    assert programs(_repo(make_repo, "mise run more", files)) == [("mise", "run", "more")]  # TOML, not shell


def test_nearer_config_wins_and_file_and_dir(make_repo) -> None:
    files = {"mise.toml": '[tasks.scan]\nrun = "npm audit"\n[tasks.release]\nfile = "scripts/release.sh"\n',
             "web/mise.toml": '[tasks.scan]\nrun = "pnpm audit"\ndir = "app"\n',
             "scripts/release.sh": "#!/bin/sh\ntrivy fs --exit-code 1 .\n"}
    root = make_repo({CI: workflow("cd web && mise run scan && mise run release"), **files})
    assert ("pnpm", "audit") in programs(root) and ("npm", "audit") not in programs(root)
    assert ("trivy", "fs", "--exit-code", "1", ".") in programs(root)


def test_vars_and_unknown_templates(make_repo) -> None:
    config = '[vars]\nflags = "--strict"\n[tasks.scan]\nrun = "pip-audit {{vars.flags}} -r {{arg(name=\'file\')}}"\n'
    root = _repo(make_repo, "mise run scan", {"mise.toml": config})
    assert ("pip-audit", "--strict", "-r", "${MISE_TEMPLATE}") in programs(root)


def test_mise_exec_is_a_wrapper(make_repo) -> None:
    root = _repo(make_repo, "mise exec python@3.12 -- pip-audit -r requirements.txt", {})
    assert [t for t, _, _ in hits(root, DEPENDENCY_SCAN)] == ["pip-audit"]
    assert _repo(make_repo, "mise x -- echo pip-audit", {}) and \
        hits(_repo(make_repo, "mise x -- echo pip-audit", {}), DEPENDENCY_SCAN) == []


def test_task_named_for_tests_counts_by_name_like_a_make_target(make_repo) -> None:
    assert [t for t, _, _ in hits(_repo(make_repo, "mise run test", {}), TESTS)] == ["mise run test"]
    for command in ("mise test-tool node", "mise run lint", "mise exec -- ./check.sh test"):
        assert hits(_repo(make_repo, command, {}), TESTS) == [], command


@pytest.mark.parametrize("config", [
    "[tasks\nbroken", "tasks = 5\n", "[tasks.a]\nrun = 5\ndepends = {x = 1}\nalias = 3\n",
    "[tasks.a]\nrun = [[1], {task = 5}, {tasks = 'x'}]\nfile = 7\ndir = '../../..'\n",
])
def test_malformed_configs_do_not_raise(make_repo, config: str) -> None:
    root = _repo(make_repo, "mise run a", {"mise.toml": config})
    assert programs(root)[0] == ("mise", "run", "a")


def test_a_config_that_does_not_parse_is_noted_not_followed(make_repo) -> None:
    """A mise.toml that is not TOML hides its tasks: the run says so (a note naming the file and
    the parser's error class, never the file's text) instead of staying silent."""
    from linter.detectors import ci
    from linter.repo.workspace import Workspace

    root = _repo(make_repo, "mise run suite", {"mise.toml": '[tasks.suite\nrun = "pytest \x1b[31m"\n'})
    assert hits(root, TESTS) == []
    ws = Workspace(root)
    ci.detect(ws)
    notes = [n for n in ws.notes if n.path == "mise.toml"]
    assert len(notes) == 1 and "could not be parsed (TOMLDecodeError)" in notes[0].reason
    assert "\x1b" not in notes[0].reason and "pytest" not in notes[0].reason
