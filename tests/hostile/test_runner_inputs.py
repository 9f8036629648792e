"""The newest readers on hostile repositories: the task runners CI commands hand work to
(make, just, Task, mise, Rake, psake, Docker), the expansion of CI variables and templates,
Woodpecker and Drone, JSON5 and the Meson and manifest kinds.

Two shapes broke them (red team 2026-12-06e, ``docs/security.md``): variables whose values
hold references to other variables, which multiplied at each level until the run ran out of
memory, and patterns that rescanned a run of blanks from every position of it. Each case
here failed before its fix: a ``MemoryError`` reported as an internal error, or minutes to
hours of CPU. Bounds are on CPU time (``tests.helpers.cpu_seconds``), never wall-clock time.
"""

from __future__ import annotations

import json
import os
import resource
import shlex
from pathlib import Path
from typing import Callable

import pytest

from linter.detectors.ci.runners import docker, mise, tasks
from linter.detectors.ci import expressions
from tests.helpers import cpu_seconds, write_tree
from tests.hostile.cli import assert_clean, check, check_json, errors, notes_of, result, run_cli
from tests.hostile.test_injection import FORMATS, _assert_inert as assert_inert

#: CPU seconds for one parse of a long line (each took seconds to hours before).
LINE_BOUND = 2
#: CPU seconds for a whole command-line run.
RUN_BOUND = 20
WOODPECKER = "steps:\n  test:\n    image: alpine\n    commands:\n      - {command}\n"


# --------------------------------------------------------------------------- long runs of blanks
LONG_LINES: dict[str, Callable[[], object]] = {
    # ``name params: deps``: a lazy parameter run before ``\s*:`` (cubic: 30 s at 4,000 blanks)
    "justfile recipe": lambda: tasks.parse_justfile("justfile", "a" + " " * 4000 + "x\n"),
    # ``exec { ... }`` with a lazy body before ``\s*\}`` (cubic: 30 s at 4,000)
    "psake exec": lambda: tasks.parse_psake("psakefile.ps1", "task a {\nexec {" + " " * 4000 + "x\n}\n"),
    # ``-depends`` list, lazy before ``\s+-\w`` (quadratic)
    "psake depends": lambda: tasks.parse_psake("psakefile.ps1", "task a -depends b" + " " * 60_000 + "x\n"),
    # ``task\s*\(?\s*`` before a name (quadratic), and the same in ``namespace``
    "Rakefile task": lambda: tasks.parse_rakefile("Rakefile", "task" + " " * 40_000 + "x\n"),
    "Rakefile namespace": lambda: tasks.parse_rakefile("Rakefile", "namespace" + " " * 40_000 + "x\n"),
    # ``FROM image AS name`` searched with ``\s+AS`` (quadratic)
    "Dockerfile FROM": lambda: docker.parse_dockerfile("Dockerfile", "FROM a" + " " * 80_000 + "b\n"),
    # ``{{ expression }}`` with ``\s*`` on both sides of a lazy group (quadratic per ``{{``)
    "mise template": lambda: mise._templated("{{" + " " * 8000 + "x", {}),
    "GitHub template": lambda: expressions.substitute(
        "github-actions", expressions.template("github-actions"), "${{" + " " * 8000 + "x", {}, [], ()),
}


@pytest.mark.parametrize("case", list(LONG_LINES))
def test_long_runs_of_blanks_in_runner_files_are_linear(case: str) -> None:
    start = cpu_seconds()
    LONG_LINES[case]()
    elapsed = cpu_seconds() - start
    assert elapsed < LINE_BOUND, f"{case}: {elapsed:.1f}s"


def test_the_rewritten_runner_patterns_read_what_they_read_before() -> None:
    """Near misses and positives of the patterns rewritten for linear time."""
    just = tasks.parse_justfile("justfile", "x := 'v'\ntest  arg  other : build lint\n    pytest {{x}}\n"
                                             "build:\n    make\nname:=1\nbad(x): y\n")
    assert just.tasks["test"][1] == ["build", "lint"] and just.tasks["test"][2] == [(3, "pytest v")]
    assert "name" not in just.tasks and "bad" not in just.tasks
    psake = tasks.parse_psake("p.ps1", "task Test -depends Compile, Clean {\n  exec {  dotnet test  }\n}\n"
                                       "task Compile -depends A -description 'x' {\n}\n")
    assert psake.tasks["test"][1] == ["compile", "clean"] and psake.tasks["test"][2] == [(2, "dotnet test")]
    assert psake.tasks["compile"][1] == ["a"]
    rake = tasks.parse_rakefile("Rakefile", "namespace  :ci do\n  task( :test => [:lint]) do\n    sh 'rspec'\n"
                                            "  end\nend\n")
    assert rake.tasks["ci:test"][1] == ["lint"] and rake.tasks["ci:test"][2] == [(3, "rspec")]
    staged = docker.parse_dockerfile("Dockerfile", "FROM --platform=x python:3 AS Build\nENTRYPOINT [\"pytest\"]\n"
                                                   "FROM alpine as\nENTRYPOINT [\"sh\"]\n")
    assert staged.entrypoints["build"][1] == ("pytest",) and staged.entrypoints[""][1] == ("sh",)
    assert mise._templated("a {{ vars.x }} {{env.HOME}} {{ }} {{cwd}}", {"x": "1"}) == "a 1 ${HOME} ${MISE_TEMPLATE} ."


# --------------------------------------------------------------------------- variables holding variables
def _make_levels(levels: int, fan: int) -> str:
    """``A1 = $(A0)$(A0)...``, each level ``fan`` references to the one below: fan ** levels."""
    return "A0 := " + "x" * 1000 + "\n" + "".join(
        f"A{i} := " + f"$(A{i - 1})" * fan + "\n" for i in range(1, levels + 1))


BOMBS: dict[str, tuple[dict[str, str], str]] = {
    "make": ({"Makefile": _make_levels(5, 1000) + "test:\n\t$(A5) && pytest\n"}, "make test"),
    "mise": ({"mise.toml": '[vars]\nx = "' + "a" * 100_000 + '"\n[tasks.t]\nrun = "pytest && '
              + "{{vars.x}}" * 20_000 + '"\n'}, "mise run t"),
    "just": ({"justfile": 'x := "' + "a" * 100_000 + '"\nt:\n    ' + "{{x}}" * 20_000 + " && pytest\n"}, "just t"),
    "Task": ({"Taskfile.yml": 'version: "3"\nvars:\n  X: "' + "a" * 100_000 + '"\ntasks:\n  t:\n    cmds:\n'
              '      - "pytest && ' + "{{.X}}" * 20_000 + '"\n'}, "task t"),
}


@pytest.mark.parametrize("runner", list(BOMBS))
def test_runner_variables_cannot_multiply_a_line(tmp_path: Path, runner: str) -> None:
    """A value written thousands of times on one line (or variables of variables, make) asked
    for gigabytes: a ``MemoryError`` (an internal error, or the file left unread). The text
    now grows by ``runners.MAX_GROWTH_CHARS`` at most, and the test command on the line still counts."""
    files, command = BOMBS[runner]
    repo = write_tree(tmp_path / "repo", {**files, ".woodpecker.yaml": WOODPECKER.format(command=command)})
    start = cpu_seconds()
    report = check_json(repo, "--select", "DEL003")
    elapsed = cpu_seconds() - start
    assert elapsed < RUN_BOUND, f"{elapsed:.1f}s"
    assert errors(report) == []
    assert not any("MemoryError" in reason for reasons in notes_of(report).values() for reason in reasons)
    assert result(report, "DEL003")["status"] == "pass", result(report, "DEL003")["message"]


def test_ci_templates_holding_templates_cannot_multiply(tmp_path: Path) -> None:
    """GitHub ``env`` values holding ``${{ env.X }}`` are expanded four levels deep: 1,500
    references at three levels over a 15 KB value asked for terabytes (a ``MemoryError``)."""
    env = "".join(f"      {name}: '" + f"${{{{ env.{below} }}}}" * 1500 + "'\n" for name, below in zip("ABC", "BCD"))
    workflow = ("on: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    env:\n" + env
                + "      D: '" + "x" * 15_000 + "'\n    steps:\n      - run: echo ${{ env.A }} && pytest\n")
    repo = write_tree(tmp_path / "repo", {".github/workflows/ci.yml": workflow})
    start = cpu_seconds()
    report = check_json(repo, "--select", "DEL003")
    elapsed = cpu_seconds() - start
    assert elapsed < RUN_BOUND, f"{elapsed:.1f}s"
    assert errors(report) == []
    assert result(report, "DEL003")["status"] == "pass"


SHELL_BOMBS = {
    # one 20 KB value of one-letter words, echoed by 2,000 aliased commands in 60 aliased steps
    # (a 42 KB file): 24 GB of words before the fix, the machine's memory without a limit
    "aliased commands": "steps:\n  t0: &s\n    image: alpine\n    environment:\n      A: '" + "x " * 10_000
                        + "'\n    commands:\n      - pytest\n      - &c echo $A\n" + "      - *c\n" * 1998
                        + "".join(f"  t{i}: *s\n" for i in range(1, 60)),
    # variables the script sets, each of 200 of the one before: 1000 * 200 ** 4 characters
    "script variables": "steps:\n  t:\n    image: alpine\n    commands:\n      - |\n"
                        + "".join(f"        {line}\n" for line in (
                            "A=" + "x" * 1000, "B=" + "$A" * 200, "C=" + "$B" * 200, "D=" + "$C" * 200,
                            "E=" + "$D" * 200, "echo $E && pytest")),
    # a 20 KB value written 10,000 times in one word, in 20 aliased steps: 4 GB
    "one word": "steps:\n  t0: &s\n    image: alpine\n    environment:\n      A: '" + "x" * 20_000 + "'\n"
                "    commands:\n      - pytest && echo " + "$A" * 10_000 + "\n"
                + "".join(f"  t{i}: *s\n" for i in range(1, 20)),
}


@pytest.mark.parametrize("case", list(SHELL_BOMBS))
def test_shell_variables_cannot_multiply_a_job(tmp_path: Path, case: str) -> None:
    """Shell variables were expanded word by word with no bound on what they added: each case
    ran out of memory (an internal error under the suite's limit). What they add to a job is
    now bounded (``resolve.MAX_EXPANSION_PER_JOB``, ``MAX_EXPANSION_PER_RUN``)."""
    repo = write_tree(tmp_path / "repo", {".woodpecker.yaml": SHELL_BOMBS[case]})
    start = cpu_seconds()
    report = check_json(repo, "--select", "DEL003")
    elapsed = cpu_seconds() - start
    assert elapsed < RUN_BOUND, f"{elapsed:.1f}s"
    assert errors(report) == []
    assert result(report, "DEL003")["status"] == "pass", result(report, "DEL003")["message"]


def test_shell_expansion_budget_is_shared_and_small_values_still_expand() -> None:
    from linter.detectors.ci.model import Value

    bindings = {"env.A": Value("x" * 1000, "w", 1), "env.T": Value("pytest", "w", 2)}
    room = [5000]
    first = expressions.shell_words("github-actions", ("echo", "$A$A$A"), bindings, {}, None, [], room)
    assert first == ("echo", "x" * 3000)
    second = expressions.shell_words("github-actions", ("echo", "$A$A$A"), bindings, {}, None, [], room)
    assert second[1].count("$A") >= 1 and room[0] == 0  # spent: the rest stays as written
    assert expressions.shell_words("github-actions", ("$T", "-q"), bindings, {}, None, [], [100]) == ("pytest", "-q")


def test_expansion_growth_is_bounded_and_small_values_still_expand() -> None:
    from linter.detectors.ci.model import Value
    from linter.detectors.ci.runners import MAX_GROWTH_CHARS, make

    variables = {f"A{i}": (f"$(A{i - 1})" * 100 if i else "x" * 100) for i in range(5)}
    assert len(make.expand("$(A4)", variables)) <= MAX_GROWTH_CHARS + 10
    assert make.expand("$(GO) test $(FLAGS) $(UNKNOWN)", {"GO": "go", "FLAGS": "-race"}) == "go test -race $(UNKNOWN)"
    assert len(tasks._just_interpolate("{{x}}" * 1000, {"x": "a" * 1000})) <= MAX_GROWTH_CHARS + 5000
    assert len(tasks._go_template("{{.X}}" * 1000, {"X": "a" * 1000})) <= MAX_GROWTH_CHARS + 6000
    bindings = {"env.A": Value("${{ env.B }}" * 100, "w", 1), "env.B": Value("y" * 1000, "w", 2)}
    [(expanded, _)] = expressions.expand("github-actions", "a ${{ env.A }}\nb ${{ env.A }}", (), bindings)
    assert len(expanded.text) <= expressions.MAX_GROWTH_CHARS + 100
    [(small, _)] = expressions.expand("github-actions", "go ${{ env.B }}", (), {"env.B": Value("test", "w", 2)})
    assert small.text == "go test"


# --------------------------------------------------------------------------- JSON5 memory
def _limit_to(megabytes: int) -> Callable[[], None]:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (megabytes << 20, megabytes << 20))
    return limit


def test_json5_strings_cost_no_memory_per_character(tmp_path: Path) -> None:
    """A JSON5 string was matched by a group repeated per character, which keeps a
    backtracking entry of hundreds of bytes for each: a 3.5 MB single-quoted string (allowed
    by a repository raising ``max-file-size`` to 4 MiB) needed about 700 MB, and a Renovate
    config, Flatpak manifest or any lenient JSON file of that shape failed the run under a
    memory limit. Strings are possessive runs now."""
    text = "{extends: ['config:recommended'], description: '" + "ab\\'" * 900_000 + "'}\n"
    repo = write_tree(tmp_path / "repo", {".practicelint.yaml": "max-file-size: 4194304\n", "renovate.json5": text,
                                          "package.json": '{"name": "x", "dependencies": {"a": "1"}}\n'})
    proc = run_cli(["check", str(repo), "--format", "json", "--select", "SEC002"], preexec=_limit_to(600))
    assert_clean(proc)
    report = json.loads(proc.stdout)
    assert errors(report) == []
    assert "renovate.json5" not in notes_of(report)
    assert result(report, "SEC002")["status"] == "pass", result(report, "SEC002")["message"]


# --------------------------------------------------------------------------- held: inert, secrets, outside
PAYLOAD = ("\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07\x1b[2J\u202egnp.exe::error::x\r\n::warning::y\n"
           "##vso[task.setvariable variable=X]1\u2028\u009b31m`tick`<script>alert(1)</script>|")
TOKEN = "ghp_" + "A1b2C3d4" * 5
SECRETS = ("sekritbearer", "sekritpass", "hunter2secret", "hunter3secret", "hunter4secret", "sekritdata", TOKEN)


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=True)


def payload_repo(root: Path) -> Path:
    woodpecker = (
        "steps:\n"
        f"  {_q('test ' + PAYLOAD)}:\n    image: golang\n    commands:\n      - {_q('pytest -q ' + shlex.quote(PAYLOAD))}\n"
        f"  scan:\n    image: plugins/trivy\n    settings:\n      token: {TOKEN}\n      password: hunter2secret\n"
        f"      severity: {_q(PAYLOAD)}\n    environment:\n      API_TOKEN: {TOKEN}\n      DB_PASSWORD: hunter3secret\n"
        f"  deploy:\n    image: alpine\n    environment:\n      DEPLOY_TOKEN: {TOKEN}\n    commands:\n"
        "      - curl -H 'Authorization: Bearer sekritbearer' https://user:sekritpass@example.com/x --token $DEPLOY_TOKEN"
        " && osv-scanner -r .\n")
    drone = (f"kind: pipeline\ntype: docker\nname: {_q(PAYLOAD)}\nsteps:\n  - name: {_q(PAYLOAD)}\n    image: python\n"
             f"    environment:\n      PYPI_TOKEN: {TOKEN}\n    commands:\n      - {_q('tox -e ' + shlex.quote(PAYLOAD))}\n"
             "      - pip install --index-url https://u:sekritpass2@pypi.example/simple -r r.txt && pytest\n"
             "---\nkind: secret\nname: token\ndata: sekritdata\n")
    renovate = ("{\n  // c\n  hostRules: [{matchHost: 'npm.example', token: '" + TOKEN + "', password: 'hunter4secret'}],\n"
                "  extends: ['config:recommended'],\n}\n")
    bad_name = PAYLOAD.replace("/", "_").replace("\n", "_").replace("\r", "_")
    return write_tree(root, {
        ".woodpecker/ci.yaml": woodpecker, f".woodpecker/{bad_name}.yaml": b"steps: [\x00\x01", ".drone.yml": drone,
        "renovate.json5": renovate, "package.json": '{"name": "x"}\n',
        "org.evil.App.json": json.dumps({"app-id": "org.evil.App" + PAYLOAD, "runtime": "r", "modules": []}),
        "meson.build": "project('x')\nlibrary('" + PAYLOAD.replace("'", "") + "')\n",
    })


@pytest.mark.parametrize("fmt", FORMATS)
def test_woodpecker_drone_renovate_strings_are_inert_and_secrets_absent(tmp_path: Path, fmt: str) -> None:
    """Step and pipeline names, commands quoted as evidence, a plugin's settings, the name of a
    workflow file that could not be used, a Flatpak id and a Meson call: inert in every
    format; tokens in ``environment:``, ``settings:``, commands, a Drone secret and Renovate
    ``hostRules``: in no report (held: no change was needed)."""
    proc = check(payload_repo(tmp_path / "repo"), fmt)
    assert_clean(proc)
    assert_inert(fmt, proc.stdout)
    assert "evil.example" in proc.stdout
    for secret in SECRETS:
        assert secret not in proc.stdout and secret not in proc.stderr, secret


def test_runners_and_ci_files_read_nothing_outside_the_repository(tmp_path: Path) -> None:
    """Commands that point a runner at ``../`` or an absolute path, runner files, a Drone and a
    Woodpecker file symlinked out, and ``subdir('../..')`` in Meson: nothing outside is read
    (each outside file runs a marked test command, which never appears). Held."""
    outside = write_tree(tmp_path / "outside", {
        "Makefile": "test:\n\tpytest --outside-make\n", "justfile": "test:\n    pytest --outside-just\n",
        "Taskfile.yml": 'version: "3"\ntasks:\n  test:\n    cmds: [pytest --outside-task]\n',
        "package.json": '{"scripts": {"test": "pytest --outside-npm"}}', "tox.ini": "[testenv]\ncommands = pytest --outside-tox\n",
        "Dockerfile": 'FROM python\nENTRYPOINT ["pytest", "--outside-docker"]\n',
        "wp.yaml": "steps:\n  t:\n    image: x\n    commands: [pytest --outside-wp]\n",
        "meson.build": "project('x')\nlibrary('outside')\n"})
    commands = [f"make -C {outside} test", "make -C ../../outside test", f"make -f {outside}/Makefile test",
                "just --justfile ../outside/justfile test", "task -d ../outside test", "npm --prefix ../outside test",
                "tox -c ../outside/tox.ini", "docker build -f ../outside/Dockerfile -t img ../outside && docker run img",
                "make -C linked test", "cd linked && just test", "cd linked && task test", "cd linked && npm test",
                "cd linked && tox"]
    steps = "".join(f"  s{i}:\n    image: alpine\n    commands: [{_q(c)}]\n" for i, c in enumerate(commands))
    repo = write_tree(tmp_path / "repo", {".woodpecker/ci.yaml": "steps:\n" + steps,
                                          "tools/meson.build": "subdir('../../outside')\n"})
    os.symlink(outside, repo / "linked")
    os.symlink(outside / "wp.yaml", repo / ".woodpecker" / "linked.yaml")
    os.symlink(outside / "wp.yaml", repo / ".drone.yml")
    for name in ("Makefile", "justfile", "Taskfile.yml", "tox.ini", "Dockerfile", "meson.build"):
        os.symlink(outside / name, repo / name)
    for fmt in ("json", "text"):
        proc = check(repo, fmt)
        assert_clean(proc)
        assert "--outside-" not in proc.stdout
        assert "library: the Meson project" not in proc.stdout


def test_woodpecker_yaml_merge_bombs_are_refused(tmp_path: Path) -> None:
    """Woodpecker's list merge (``- <<: *list``) and mapping merges, ten to a level eleven
    levels deep: refused as alias bombs, a note and an unusable file, not a hang. Held."""
    lists = ["x0: &l0 [" + ", ".join(["pytest"] * 10) + "]"] + [
        f"x{i}: &l{i}\n" + f"  - <<: *l{i - 1}\n" * 10 for i in range(1, 12)]
    maps = ["y0: &m0 {" + ", ".join(f"k{j}: v" for j in range(10)) + "}"] + [
        f"y{i}: &m{i}\n  <<: [" + ", ".join([f"*m{i - 1}"] * 10) + "]" for i in range(1, 12)]
    repo = write_tree(tmp_path / "repo", {
        ".woodpecker/lists.yaml": "\n".join(lists) + "\nsteps:\n  t:\n    image: a\n    commands: *l11\n",
        ".woodpecker/maps.yaml": "\n".join(maps) + "\nsteps:\n  t:\n    image: a\n    environment: *m11\n"
                                 "    commands: [pytest]\n"})
    start = cpu_seconds()
    report = check_json(repo, "--select", "DEL003")
    assert cpu_seconds() - start < RUN_BOUND
    notes = notes_of(report)
    assert all(any("alias expansion" in r for r in notes[f".woodpecker/{n}.yaml"]) for n in ("lists", "maps"))


SONAR = ("squ_0123456789abcdef0123456789abcdef01234567", "sekritlogin", "sekritdotnet", "sekritbearer", "sekritapikey")


@pytest.mark.parametrize("fmt", FORMATS)
def test_sonar_tokens_and_authorization_headers_reach_no_report(tmp_path: Path, fmt: str) -> None:
    """A SonarQube token passed as ``-Dsonar.login=`` (Maven, Gradle) or ``/d:sonar.token=`` (the
    .NET scanner) was quoted in the evidence of the analysis step, in every format, as was an
    ``Authorization`` header of a quoted command; all are redacted now."""
    commands = [f"mvn -B verify sonar:sonar -Dsonar.login={SONAR[0]}", "gradle sonar -Dsonar.login=sekritlogin",
                "dotnet sonarscanner begin /k:proj /d:sonar.token=sekritdotnet",
                "pytest --header 'Authorization: Bearer sekritbearer' -H 'X-Api-Key: sekritapikey'"]
    steps = "".join(f"  s{i}:\n    image: alpine\n    commands: [{_q(c)}]\n" for i, c in enumerate(commands))
    repo = write_tree(tmp_path / "repo", {".woodpecker.yaml": "steps:\n" + steps, ".practicelint.yaml": "kind: service\n"})
    proc = check(repo, fmt)
    assert_clean(proc)
    assert "sonar:sonar" in proc.stdout or fmt in ("github", "gitlab")  # quoted (those two list failures only)
    for secret in SONAR:
        assert secret not in proc.stdout, secret
