"""The newer CI readers on hostile repositories: Buildkite pipelines and the mise task runner.

Each case is a small file (well under the size cap) whose shape made a reader do work that
grew with the product of two counts, run through the real command line; the bound is on CPU
time (``tests.helpers.cpu_seconds``), never on wall-clock time.
"""

from __future__ import annotations

from pathlib import Path

from tests.helpers import cpu_seconds, write_tree
from tests.hostile.cli import check_json, errors, result

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
