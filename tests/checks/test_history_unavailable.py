"""Every rule that reads git history, on checkouts that do not have it: a real shallow clone
(``git clone --depth 1 file://...``), a grafted history, a folder outside git. They are
``skipped`` with what is missing, why and how to get it, never ``fail`` or
``not_applicable``; ``history: required`` / ``--require-history`` make them ``error``; the
exit code ignores them. When git fails on a history that is there, the result is ``error``.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from linter.checks import REGISTRY
from linter.cli import cli
from linter.engine import RunOptions, exit_code, run
from linter.results import Status
from linter.scoring import repository_maturity
from tests.helpers import git, git_commit_all, write_tree

HISTORY_RULES = sorted(rule_id for rule_id, entry in REGISTRY.items() if entry.reads_history)
NOW = "2026-12-01"
TREE = {
    ".practicelint.yaml": "services:\n  - services/*\n",
    "services/api/main.py": "print('api')\n",
    "services/worker/main.py": "print('worker')\n",
}


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRACTICELINT_NOW", NOW)


def test_the_history_rules_are_the_ones_expected() -> None:
    """A new rule that reads history must be added to the tests below, and to the docs."""
    assert HISTORY_RULES == ["DEL002", "PROD001", "PROD002"]


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three commits, the services months old, a PR/FAQ for the api."""
    root = write_tree(tmp_path_factory.mktemp("history") / "source", TREE)
    git_commit_all(root, "services", date="2026-01-01T00:00:00")
    write_tree(root, {"services/api/docs/prfaq.md": (Path(__file__).parent.parent / "fixtures" / "prfaq"
                                                      / "complete_prfaq.md").read_text(encoding="utf-8")})
    git_commit_all(root, "prfaq", date="2026-02-01T00:00:00")
    write_tree(root, {"services/worker/more.py": "x = 1\n" * 30})
    git_commit_all(root, "more", date="2026-03-01T00:00:00")
    return root


def clone(src: Path, dest: Path, *args: str) -> Path:
    subprocess.run(["git", "clone", "-q", *args, f"file://{src}", str(dest)], check=True, capture_output=True)
    return dest


def statuses(root: Path, **options: object) -> dict[tuple[str, str], tuple[Status, str]]:
    report, _ = run(root, RunOptions(select=HISTORY_RULES, **options))  # type: ignore[arg-type]
    return {(r.rule_id, r.scope): (r.status, r.message) for r in report.results}


def assert_all(found: dict[tuple[str, str], tuple[Status, str]], status: Status, *phrases: str) -> None:
    assert {rule for rule, _ in found} == set(HISTORY_RULES)
    for key, (got, message) in found.items():
        assert got is status, (key, message)
        for phrase in phrases:
            assert phrase in message, (key, phrase, message)


def test_full_clone_evaluates_every_history_rule(source: Path, tmp_path: Path) -> None:
    found = statuses(clone(source, tmp_path / "full"))
    assert not [key for key, (status, _) in found.items() if status in (Status.SKIPPED, Status.ERROR)]
    assert found[("PROD001", "services/api")][0] is Status.PASS
    assert found[("PROD001", "services/worker")][0] is Status.FAIL


def test_shallow_clone_skips_every_history_rule_saying_why_and_how(source: Path, tmp_path: Path) -> None:
    found = statuses(clone(source, tmp_path / "shallow", "--depth", "1"))
    assert_all(found, Status.SKIPPED, "Not evaluated: ", "this is a shallow clone with 1 commit of history",
               "`fetch-depth: 0` on actions/checkout", "`GIT_DEPTH: 0`", "`git fetch --unshallow`")
    assert "change sizes are measured over the last 200 commits" in found[("DEL002", ".")][1]
    assert ("whether api is a new service is judged from when its folder first appeared in the git history"
            in found[("PROD001", "services/api")][1])
    assert "whether worker is a new service" in found[("PROD002", "services/worker")][1]


def test_deeper_shallow_clone_says_how_many_commits(source: Path, tmp_path: Path) -> None:
    found = statuses(clone(source, tmp_path / "shallow", "--depth", "2"))
    assert_all(found, Status.SKIPPED, "this is a shallow clone with 2 commits of history")


def test_grafted_history_is_skipped(source: Path, tmp_path: Path) -> None:
    root = clone(source, tmp_path / "grafted")
    git(root, "replace", "--graft", git(root, "rev-parse", "HEAD~1").strip())
    assert_all(statuses(root), Status.SKIPPED, "the history is grafted with 2 commits of history",
               "`git replace -d <commit>`")


def test_folder_outside_git_is_skipped(source: Path, tmp_path: Path) -> None:
    root = tmp_path / "export"
    shutil.copytree(source, root, ignore=shutil.ignore_patterns(".git"))
    assert_all(statuses(root), Status.SKIPPED, "the folder is not inside a git work tree",
               "Run practicelint in a git clone")


def test_require_history_option_makes_them_errors(source: Path, tmp_path: Path) -> None:
    root = clone(source, tmp_path / "shallow", "--depth", "1")
    assert_all(statuses(root, require_history=True), Status.ERROR,
               "Could not be evaluated, and history is required (history: required)",
               "this is a shallow clone with 1 commit of history", "`fetch-depth: 0`")


def test_history_required_in_the_configuration(source: Path, tmp_path: Path) -> None:
    root = clone(source, tmp_path / "shallow", "--depth", "1")
    (root / ".practicelint.yaml").write_text("services:\n  - services/*\nhistory: required\n", encoding="utf-8")
    assert_all(statuses(root), Status.ERROR, "history is required")


def test_history_required_changes_nothing_on_a_full_clone(source: Path, tmp_path: Path) -> None:
    root = clone(source, tmp_path / "full")
    assert statuses(root, require_history=True) == statuses(root)


def test_skipped_results_are_not_scored_and_never_fail_the_run(source: Path, tmp_path: Path) -> None:
    root = clone(source, tmp_path / "shallow", "--depth", "1")
    report, _ = run(root, RunOptions(select=HISTORY_RULES))
    assert exit_code(report, "info") == 0
    assert report.counts()["skipped"] == len(report.results) == 5
    whole = repository_maturity(report)
    # nothing judged: no score and no level; the skipped results are what level 3 waits for
    assert (whole.score, whole.level, whole.next_level) == (None, None, 3)
    assert whole.blockers == whole.unjudged and len(whole.blockers) == 5
    required, _ = run(root, RunOptions(select=HISTORY_RULES, require_history=True))
    assert exit_code(required, "error") == 1  # PROD001 is an error-severity rule


@pytest.mark.parametrize("args, code", [([], 0), (["--fail-on", "info"], 0), (["--require-history"], 1)])
def test_exit_code_from_the_command_line(source: Path, tmp_path: Path, args: list[str], code: int) -> None:
    root = clone(source, tmp_path / "shallow", "--depth", "1")
    result = CliRunner().invoke(cli, ["check", str(root), "--select", ",".join(HISTORY_RULES), *args])
    assert result.exit_code == code, result.output
    if code == 0:
        assert "0 errors, 5 skipped (not evaluated here)" in result.output


def test_git_failing_on_a_whole_history_is_an_error(source: Path, tmp_path: Path) -> None:
    """A corrupt repository (here: every object gone, HEAD and the index still there) or git's
    timeout: the rule could not run, and says so (never a guess that every service is new,
    never not applicable)."""
    full = clone(source, tmp_path / "full")
    for path in (full / ".git" / "objects").rglob("*"):
        if path.is_file() and path.parent.name != "info":
            path.unlink()
    report, _ = run(full, RunOptions(select=HISTORY_RULES, jobs=1))
    for result in report.results:
        assert result.status is Status.ERROR, (result.rule_id, result.message)
        assert "git failed while reading" in result.message
    assert any(note.reason == "git history could not be read" for note in report.notes)


def test_a_clone_deep_enough_for_del002_still_skips_the_service_ages(source: Path, tmp_path: Path) -> None:
    """DEL002 with a window of 1 on a depth-2 clone reads only HEAD, whose parent is there:
    judged. PROD001/PROD002 date services from their first commit, which no shallow clone
    shows: still skipped."""
    root = clone(source, tmp_path / "shallow", "--depth", "2")
    (root / ".practicelint.yaml").write_text("services:\n  - services/*\nrules:\n  DEL002:\n    window: 1\n",
                                             encoding="utf-8")
    found = statuses(root)
    assert found[("DEL002", ".")][0] is Status.PASS, found[("DEL002", ".")]
    assert {key: status for key, (status, _) in found.items() if key[0] != "DEL002"} == {
        ("PROD001", "services/api"): Status.SKIPPED, ("PROD001", "services/worker"): Status.SKIPPED,
        ("PROD002", "services/api"): Status.SKIPPED, ("PROD002", "services/worker"): Status.SKIPPED}
