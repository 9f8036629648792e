"""DEL002 on shallow clones: judged exactly when its window lies strictly above the shallow
boundary (``linter.repo.shallow_window``), skipped with how many commits there were and how
to fetch more when it does not. Real clones (``git clone --depth N file://...``) of a linear
history of 30 commits, one day apart, the 28th of them a 1,000-line change."""

from __future__ import annotations

import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from linter.checks.del002_small_changes import check
from linter.repo import shallow_window
from linter.repo.commit_sizes import LOCKFILES, window_args
from linter.repo.workspace import Workspace
from linter.results import Finding, Status
from tests.helpers import git, git_commit_all, make_context, write_tree

COMMITS = 30
START = datetime(2026, 1, 1)


def _history(root: Path, dates: list[datetime]) -> Path:
    for i, when in enumerate(dates, start=1):
        lines = 1000 if i == 28 else 10
        write_tree(root, {f"src/f{i}.py": "x = 1\n" * lines})
        git_commit_all(root, f"change {i}", date=when.isoformat())
    return root


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _history(tmp_path_factory.mktemp("del002") / "source", [START + timedelta(days=i) for i in range(COMMITS)])


def clone(src: Path, dest: Path, *args: str) -> Path:
    subprocess.run(["git", "clone", "-q", *args, f"file://{src}", str(dest)], check=True, capture_output=True)
    return dest


def judge(root: Path, window: int, **settings: object) -> Finding:
    return check(make_context(root, rule="DEL002", options={"window": window, "max_lines": 400},
                              settings=dict(settings)))


def test_a_clone_deeper_than_the_window_is_judged_as_the_full_clone(source: Path, tmp_path: Path) -> None:
    full = clone(source, tmp_path / "full")
    shallow = clone(source, tmp_path / "shallow", "--depth", "20")
    assert Workspace(shallow).is_shallow and not Workspace(full).is_shallow
    for window in (5, 10, 19):
        assert judge(shallow, window) == judge(full, window), window
    assert judge(shallow, 5).status is Status.FAIL  # the 1,000-line commit is among the newest five
    assert judge(shallow, 19).status is Status.PASS


def test_a_clone_shallower_than_the_window_is_skipped_saying_how_many_and_how(source: Path, tmp_path: Path) -> None:
    shallow = clone(source, tmp_path / "shallow", "--depth", "5")
    finding = judge(shallow, 10)
    assert finding.status is Status.SKIPPED
    for phrase in ("Not evaluated: change sizes are measured over the last 10 commits",
                   "this is a shallow clone with 5 commits of history",
                   "4 of the newest 10 commits that touch this folder lie above its boundary",
                   "Fetch the whole history: `fetch-depth: 0` on actions/checkout",
                   "or at least more than 10 commits of it (a `fetch-depth` or `GIT_DEPTH` above 10",
                   "`git fetch --deepen=<n>`",
                   "lower the rule's `window`"):
        assert phrase in finding.message, phrase
    required = judge(shallow, 10, history="required")
    assert required.status is Status.ERROR and "history is required" in required.message
    assert judge(clone(source, tmp_path / "one", "--depth", "1"), 200).status is Status.SKIPPED  # CI's default


def test_exactly_at_the_boundary(source: Path, tmp_path: Path) -> None:
    """Depth 10: the 10th commit from HEAD is the boundary. A window of 9 ends just above it
    (its oldest commit's parent is the boundary, which is there): judged. A window of 10
    includes the boundary, whose "size" would be the whole tree: skipped."""
    shallow = clone(source, tmp_path / "shallow", "--depth", "10")
    full = clone(source, tmp_path / "full")
    assert judge(shallow, 9) == judge(full, 9)
    at = judge(shallow, 10)
    assert at.status is Status.SKIPPED and "9 of the newest 10 commits" in at.message
    assert "the window reaches the shallow boundary" in at.message


def test_grafted_history_stays_skipped(source: Path, tmp_path: Path) -> None:
    grafted = clone(source, tmp_path / "grafted")
    git(grafted, "replace", "--graft", git(grafted, "rev-parse", "HEAD~15").strip())
    finding = judge(grafted, 5)
    assert finding.status is Status.SKIPPED and "the history is grafted" in finding.message
    both = clone(source, tmp_path / "both", "--depth", "20")  # deep enough, but grafted too
    git(both, "replace", "--graft", git(both, "rev-parse", "HEAD~15").strip())
    assert judge(both, 5).status is Status.SKIPPED


def test_a_boundary_dated_within_the_window_is_declined(tmp_path: Path) -> None:
    """Clock skew: the boundary commit (6th from HEAD) is dated after the newest commits, so
    git's date-ordered walk could reach it before finishing the window. Near miss: the same
    history with ordered dates is judged."""
    dates = [START + timedelta(days=i) for i in range(12)]
    dates[6] = START + timedelta(days=100)  # commit 7 of 12: the boundary of a depth-6 clone
    skewed = clone(_history(tmp_path / "skewed-src", dates), tmp_path / "skewed", "--depth", "6")
    finding = judge(skewed, 3)
    assert finding.status is Status.SKIPPED and "a shallow boundary commit is dated within the window" in finding.message
    ordered = clone(_history(tmp_path / "ordered-src", [START + timedelta(days=i) for i in range(12)]),
                    tmp_path / "ordered", "--depth", "6")
    assert judge(ordered, 3).status is not Status.SKIPPED


def test_dates_going_backwards_below_the_window_are_declined(tmp_path: Path) -> None:
    """A commit below the window dated before it, whose parent is dated within it: (c) of the
    proof does not hold, so the clone is declined even though a linear walk would be exact."""
    dates = [START + timedelta(days=i) for i in range(12)]
    dates[7] = START + timedelta(days=50)  # commit 8, below a window of the newest 3 (commits 10-12)
    root = clone(_history(tmp_path / "src", dates), tmp_path / "clone", "--depth", "6")
    finding = judge(root, 3)
    assert finding.status is Status.SKIPPED and "commit dates go backwards" in finding.message


def test_a_side_branch_reaching_the_boundary_is_declined(tmp_path: Path) -> None:
    """A merge whose side branch is shallow sooner: the walk takes the boundary commit on the
    way to the window's last commit, which would be sized as the whole tree."""
    root = tmp_path / "src"
    for i in range(1, 7):
        write_tree(root, {f"main{i}.txt": "m\n"})
        git_commit_all(root, f"main {i}", date=(START + timedelta(days=2 * i)).isoformat())
    git(root, "checkout", "-q", "-b", "side", "HEAD~4")
    write_tree(root, {"side.txt": "s\n"})
    git_commit_all(root, "side", date=(START + timedelta(days=13)).isoformat())
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "-m", "merge", "side", date=(START + timedelta(days=14)).isoformat())
    shallow = clone(root, tmp_path / "shallow", "--depth", "2")  # main 6 and side are boundaries
    verdict = shallow_window.judge(Workspace(shallow).git, window_args(2, LOCKFILES), 2)
    assert not verdict.exact and verdict.why == "the window reaches the shallow boundary"


def test_nothing_is_kept_for_a_shallow_clone_even_when_judged(source: Path, tmp_path: Path) -> None:
    """Caching on, as the command line sets it up: the full clone keeps its sizes, the shallow
    one, judged exactly, still keeps nothing (deepening it later must not meet stale facts)."""
    from linter.runtime import cachedir, historycache

    kept = tmp_path / "kept"
    with cachedir.kept_in(kept):
        shallow = clone(source, tmp_path / "shallow", "--depth", "20")
        assert judge(shallow, 5).status is Status.FAIL
        assert historycache.active() and not Workspace(shallow).keeps_history
        assert not historycache.exists(shallow, historycache.SIZES)
        full = clone(source, tmp_path / "full")
        assert judge(full, 5).status is Status.FAIL and historycache.exists(full, historycache.SIZES)  # near miss
