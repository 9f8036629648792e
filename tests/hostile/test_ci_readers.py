"""The newer CI readers on hostile repositories: Buildkite pipelines and the mise task runner.

Each case is a small file (well under the size cap) whose shape made a reader do work that
grew with the product of two counts, run through the real command line; the bound is on CPU
time (``tests.helpers.cpu_seconds``), never on wall-clock time.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from tests.helpers import cpu_seconds, write_tree
from tests.hostile.cli import assert_clean, check, check_json, errors, result
from tests.hostile.test_injection import FORMATS, _assert_inert as assert_inert

#: CPU seconds for a whole run over one of these repositories (each took minutes before).
BOUND = 20
WORKFLOW = ("on: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - uses: actions/checkout@v4\n      - run: mise run t0\n")


def _blocks_then_groups(inner: int) -> str:
    """1,000 ``block`` steps that hold nothing (tag builds only), then 1,000 aliases of a group
    of ``inner`` empty groups: each group asked every block before it whether it held it."""
    blocks = "".join(f"  - block: b{i}\n    if: build.tag != null\n" for i in range(1000))
    groups = "".join(f"      - group: i{j}\n" for j in range(inner))
    return ("steps:\n" + blocks + "  - &g\n    group: g\n    steps:\n" + groups + "  - *g\n" * 999
            + "  - command: make test\n")


def test_buildkite_blocks_before_thousands_of_groups_are_linear(tmp_path: Path) -> None:
    files = {".buildkite/pipeline.yml": _blocks_then_groups(60)}
    files.update({f".buildkite/pipeline.{name}.yml": _blocks_then_groups(60) for name in ("a", "b", "c")})
    repo = write_tree(tmp_path / "repo", files)
    start = cpu_seconds()
    report = check_json(repo, "--select", "DEL003", timeout=300)
    elapsed = cpu_seconds() - start
    assert elapsed < BOUND, f"{elapsed:.1f}s"
    assert errors(report) == []
    assert result(report, "DEL003")["status"] in ("pass", "fail")


def _inline_tasks(count: int, filler: int) -> str:
    """``count`` tasks in one inline table (no ``[tasks.x]`` line to find) above ``filler``
    comment lines: each task's table was searched for over every line."""
    names = ", ".join(f't{i} = "echo {i}"' for i in range(count))
    return f"tasks = {{ {names} }}\n" + "#\n" * filler


def _escaped_run_items(tasks: int, items: int) -> str:
    """Run items written with TOML escapes, so no line holds their text: each was looked for
    over the next 2,000 lines."""
    runs = ", ".join(f'"\\u0061{i}"' for i in range(items))
    names = ", ".join(f"t{i} = {{ run = [{runs}] }}" for i in range(tasks))
    return f"tasks = {{ {names} }}\n" + "#\n" * 4000


def test_mise_config_of_thousands_of_tasks_is_linear(tmp_path: Path) -> None:
    repo = write_tree(tmp_path / "repo", {
        ".github/workflows/ci.yml": WORKFLOW,
        "mise.toml": _inline_tasks(2000, 48_000),
        "a/mise.toml": _escaped_run_items(200, 400),
        ".github/workflows/a.yml": WORKFLOW.replace("mise run t0", "cd a && mise run t1"),
    })
    start = cpu_seconds()
    report = check_json(repo, "--select", "DEL003", timeout=300)
    elapsed = cpu_seconds() - start
    assert elapsed < BOUND, f"{elapsed:.1f}s"
    assert errors(report) == []


# --------------------------------------------------------------------------- inert strings
#: What CI files carry into messages and evidence: job labels, commands quoted in hops, task
#: names, file names of CI files that could not be used.
PAYLOAD = ("\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07\x1b[2J\u202egnp.exe::error::x\r\n::warning::y\n"
           "##vso[task.setvariable variable=X]1\u2028`tick`<script>alert(1)</script>|")


def _quoted(text: str) -> str:
    import json
    return json.dumps(text, ensure_ascii=True)


def ci_payload_repo(root: Path) -> Path:
    name = "wf-" + PAYLOAD.replace("/", "_").replace("\x00", "") + ".yml"
    pipeline = ("steps:\n"
                f"  - label: {_quoted('scan ' + PAYLOAD)}\n    command: {_quoted('osv-scanner -r . ' + shlex.quote(PAYLOAD))}\n"
                f"  - group: {_quoted(PAYLOAD)}\n    steps:\n      - label: {_quoted(PAYLOAD)}\n"
                f"        command: {_quoted('mise run ' + PAYLOAD.replace(chr(39), ''))}\n"
                f"  - trigger: {_quoted(PAYLOAD)}\n  - plugins:\n      - {_quoted(PAYLOAD + '#v1')}: {{}}\n")
    task = PAYLOAD.replace('"', "").replace("\\", "")
    mise = f'[tasks.{_quoted(task)}]\nrun = {_quoted("pytest -q " + shlex.quote(PAYLOAD))}\n'
    files: dict[str, str | bytes] = {
        ".buildkite/pipeline.yml": pipeline,
        "mise.toml": mise,
        ".practicelint.yaml": "kind: service\n",
        f".github/workflows/{name}": b"on: push\njobs: [\x00\x01",
        ".github/workflows/ci.yml": "on: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
                                    f"    steps:\n      - run: {_quoted('mise run ' + chr(39) + task + chr(39))}\n",
    }
    return write_tree(root, files)


@pytest.mark.parametrize("fmt", FORMATS)
def test_ci_strings_are_inert_in_every_format(tmp_path: Path, fmt: str) -> None:
    """Commands quoted in evidence (through a Buildkite step and a mise task), labels, and the
    name of a CI file that could not be used (an error message names it) come out inert."""
    repo = ci_payload_repo(tmp_path / "repo")
    proc = check(repo, fmt)
    assert_clean(proc)
    assert_inert(fmt, proc.stdout)
    assert "evil.example" in proc.stdout  # the payload did reach the report


def _matrix_of_long_scripts(jobs: int, commands: int) -> str:
    """``jobs`` steps, each a script of ``commands`` commands run once per value of a 256-value
    matrix (one list, aliased): about a megabyte asking for millions of resolved commands."""
    values = "".join(f"    - v{i}\n" for i in range(256))
    script = " && ".join(f"pytest t{{{{matrix}}}}{i}" for i in range(commands))
    steps = "".join(f"  - label: s{i}\n    command: \"{script}\"\n    matrix: *m\n" for i in range(jobs))
    return "x: &m\n" + values + "steps:\n" + steps


def test_ci_commands_of_a_whole_run_are_bounded(tmp_path: Path) -> None:
    """Each job stops at 2,000 commands, but 700 jobs of a matrix asked for 1.4 million: over
    2 GB, past the helper's address-space limit. The run now stops resolving jobs at
    ``MAX_COMMANDS_HARD`` commands, with a note."""
    from linter.detectors.ci.resolve import MAX_COMMANDS_HARD

    repo = write_tree(tmp_path / "repo", {".buildkite/pipeline.yml": _matrix_of_long_scripts(700, 60),
                                          ".practicelint.yaml": "kind: service\n"})
    start = cpu_seconds()
    report = check_json(repo, "--select", "DEL003,SEC001", timeout=300)
    assert cpu_seconds() - start < 60
    assert errors(report) == []
    assert result(report, "DEL003")["status"] == "pass"
    assert any(f"more than {MAX_COMMANDS_HARD} commands" in n["reason"] for n in report["notes"])


# --------------------------------------------------------------------------- secrets
#: Secrets a repository wrote into its CI files, each where evidence quotes commands.
SECRETS = ("ghp_SECRETaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "glpat-SECRETbbbbbbbbbbbbbbbb", "hunter2SECRETc",
           "SECRETdddd", "npm_SECRETeeeeeeeeeeeeeeeeeeeeeeeeeeee", "SECRETffff", "SECRETgggg")


def secrets_repo(root: Path) -> Path:
    a, b, c, d, e, f, g = SECRETS
    workflow = ("on: [push, pull_request]\nenv:\n  SNYK_TOKEN: " + a + "\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
                "    env:\n      API: " + b + "\n      DB_PASSWORD: " + d + "\n    steps:\n"
                "      - run: snyk test --auth=$SNYK_TOKEN\n"
                "      - run: pytest --token=${{ env.API }} https://user:" + c + "@example.com/x $DB_PASSWORD\n"
                "      - run: gitleaks detect " + e + "\n"
                "      - run: DEPLOY_KEY=" + f + " semgrep ci --password " + g + "\n")
    pipeline = ("env:\n  NPM_TOKEN: " + e + "\nsteps:\n  - command: osv-scanner -r . $NPM_TOKEN --api-key=" + f
                + " https://x:" + c + "@h/r?private_token=" + g + "\n")
    deploy = ("on:\n  push:\n    branches: [main]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n"
              "      - run: make test\n      - run: kubectl --token=" + a + " apply -f k8s/\n"
              "      - run: helm upgrade --install app ./chart --set image.token=" + b + "\n"
              "      - run: terraform apply -auto-approve -var \"db_password=" + d + "\"\n"
              "      - run: curl -H \"Authorization: Bearer " + e + "\" https://deploy.example/hook\n")
    return write_tree(root, {
        ".github/workflows/ci.yml": workflow, ".buildkite/pipeline.yml": pipeline, ".github/workflows/cd.yml": deploy,
        ".practicelint.yaml": "kind: service\n",
        # a job counted as tests by its name quotes its command (linter.detectors.ci.weak)
        ".github/workflows/e2e.yml": "on: [push, pull_request]\njobs:\n  integration-tests:\n    runs-on: x\n"
                                     f"    steps:\n      - run: make e2e --password {g} https://u:{c}@h/x\n",
        "Makefile": f"test:\n\tcurl -H 'Authorization: token {a}' x && pytest -q --pw {g}\n",
        ".npmrc": f"//registry.npmjs.org/:_authToken={e}\n", ".pypirc": f"[pypi]\npassword = {f}\n",
        "Dockerfile": f"FROM python\nENV API_TOKEN={d}\nRUN pip install --extra-index-url https://u:{c}@pypi.example/simple x\n",
        ".pre-commit-config.yaml": f"repos:\n  - repo: https://x:{c}@github.com/gitleaks/gitleaks\n    rev: v8\n"
                                  "    hooks:\n      - id: gitleaks\n",
    })


@pytest.mark.parametrize("fmt", FORMATS)
def test_secrets_in_ci_files_reach_no_report(tmp_path: Path, fmt: str) -> None:
    """Evidence quotes the commands CI runs, with the job's env values expanded: a token in an
    ``env:`` value, a URL's password, a ``--password`` value or a well-known token shape in a
    command were copied into every report."""
    repo = secrets_repo(tmp_path / "repo")
    proc = check(repo, fmt)
    assert_clean(proc)
    leaked = [s for s in SECRETS if s in proc.stdout or s.replace("_", "\\_") in proc.stdout]
    assert leaked == [], leaked
    if fmt not in ("github", "gitlab"):  # those list failures only
        assert "snyk" in proc.stdout.lower() and "semgrep" in proc.stdout.lower()  # commands are still quoted


# --------------------------------------------------------------------------- nothing outside
def test_buildkite_and_mise_read_nothing_outside_the_repository(tmp_path: Path) -> None:
    """Pipeline uploads, mise config files, file tasks, ``-C`` and ``dir`` pointing out of the
    scanned folder (by ``..``, an absolute path or a symlink), and mise files in the folder
    above it: the only place a dependency scanner runs is outside, so SEC001 must not pass."""
    outside = tmp_path / "outside"
    write_tree(outside, {
        "pipeline.yml": "steps:\n  - label: OUTSIDE_MARKER\n    command: osv-scanner -r .\n",
        "mise.toml": '[tasks.scan]\nrun = "osv-scanner -r . # OUTSIDE_MARKER"\n',
        "tasks/scan": "#!/bin/sh\nosv-scanner -r . # OUTSIDE_MARKER\n",
    })
    parent = tmp_path / "checkouts"
    write_tree(parent, {"mise.toml": '[tasks.scan]\nrun = "osv-scanner -r . # OUTSIDE_MARKER"\n'})
    repo = write_tree(parent / "repo", {
        ".practicelint.yaml": "kind: service\n",
        ".buildkite/pipeline.yml": (
            "steps:\n"
            f"  - command: buildkite-agent pipeline upload ../../outside/pipeline.yml {outside}/pipeline.yml\n"
            "  - command: buildkite-agent pipeline upload .buildkite/linked.yml\n"
            "  - command: mise run scan\n"
            "  - command: mise -C .. run scan\n"
            f"  - command: mise --cd {outside} run scan\n"
            "  - command: cd sub && mise run scan\n"
            "  - command: mise run up\n"),
        "sub/.mise.toml": '[tasks.up]\ndir = "../.."\nfile = "outside/tasks/scan"\n',
        "mise.toml": '[tasks.up]\ndir = "../.."\nfile = "../outside/tasks/scan"\n',
    })
    (repo / ".buildkite" / "linked.yml").symlink_to(outside / "pipeline.yml")
    (repo / "sub" / "mise.toml").symlink_to(outside / "mise.toml")
    (repo / "mise-tasks").symlink_to(outside / "tasks", target_is_directory=True)
    for fmt in ("json", "text"):
        proc = check(repo, fmt)
        assert_clean(proc)
        assert "OUTSIDE_MARKER" not in proc.stdout and "OUTSIDE_MARKER" not in proc.stderr
    report = check_json(repo)
    assert result(report, "SEC001")["status"] != "pass"


def test_deeply_nested_buildkite_and_mise_files_are_bounded(tmp_path: Path) -> None:
    deep = 100_000
    repo = write_tree(tmp_path / "repo", {
        ".practicelint.yaml": "kind: service\n",
        "mise.toml": "[tasks.t0]\nrun = " + "[" * deep + "]" * deep + "\n[tasks.t1]\nrun = 'pytest'\n",
        ".mise.toml": "x = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n",
        "buildkite.json": '{"steps": ' + "[" * deep + "]" * deep + "}",
        ".buildkite/pipeline.yml": "steps:\n" + "".join("  " * i + "- group: g\n" + "  " * i + "  steps:\n"
                                                        for i in range(1, 150)),
        "mise-tasks/t2": "#MISE depends=" + "[" * 1500 + "]" * 1500 + "\n#MISE depends=[" + '"t1",' * 3000
                         + "]\npytest\n",
        ".github/workflows/ci.yml": WORKFLOW.replace("mise run t0", '"mise run t0 ::: t1 ::: t2"'),
    })
    start = cpu_seconds()
    report = check_json(repo)
    assert cpu_seconds() - start < BOUND
    assert errors(report) == []
    assert result(report, "DEL003")["status"] == "pass"  # the file task still counts
    assert "buildkite.json (not valid JSON)" in result(report, "SEC001")["message"]


def test_secrets_in_a_job_counted_as_tests_by_its_name_reach_no_report(tmp_path: Path) -> None:
    """With no test runner anywhere, DEL003 counts a job named like tests by weaker evidence and
    quotes the command it runs (``linter.detectors.ci.weak``): that quote is redacted too."""
    repo = write_tree(tmp_path / "repo", {
        ".practicelint.yaml": "kind: service\n",
        ".github/workflows/e2e.yml": "on: [push, pull_request]\njobs:\n  integration-tests:\n    runs-on: x\n"
                                     f"    steps:\n      - run: make e2e --password {SECRETS[6]} "
                                     f"https://u:{SECRETS[2]}@h/x\n"})
    for fmt in ("json", "text", "markdown"):
        proc = check(repo, fmt)
        assert_clean(proc)
        assert "make e2e" in proc.stdout.replace("\\", "")
        assert SECRETS[6] not in proc.stdout and SECRETS[2] not in proc.stdout
