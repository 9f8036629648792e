"""Rule packs from the scanned repository: bounded regex time and memory, and no way out for file content.

* one time budget for every pack search of a run (``linter.pack_regex.Budget``): a
  catastrophic pattern over many files costs seconds, not minutes, and the rules it could
  not finish are errors that say so;
* patterns whose compiled form would be huge are a configuration error before compiling;
* evidence is a location, never matched text, and a repository's pack does not see files
  git does not track: neither a tracked nor an untracked credential reaches any report.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linter import pack_regex
from tests.helpers import git, git_commit_all, write_tree, cpu_seconds
from tests.hostile.cli import assert_clean, check, errors, notes_of

RULE = """  - id: {id}
    name: {name}
    practice: small-teams
    category: teams
    severity: error
    scope: repo
    summary: A hostile rule.
    rationale: Hostile input.
    evidence: none
    remediation: none
    check:
      {check}
"""


def _pack(*checks: str) -> str:
    return "prefix: EVIL\nrules:\n" + "".join(
        RULE.format(id=f"EVIL{i + 1:03d}", name=f"hostile-{i + 1}", check=c) for i, c in enumerate(checks))


def _repo(root: Path, pack: str, files: dict[str, str]) -> Path:
    write_tree(root, {".practicelint.yaml": "rule-packs: [pack.yaml]\nselect: [EVIL]\n", "pack.yaml": pack, **files})
    return root


# ----------------------------------------------------------------- item 4: one budget per run
def test_many_files_and_patterns_share_one_budget(tmp_path: Path) -> None:
    """100 files x 2 catastrophic patterns took 100 s at 0.5 s a search; now the run's
    searches stop after RUN_BUDGET_SECONDS, and both rules say they were not evaluated."""
    bait = "x" * 5000 + "!\n"
    files = {f"docs/f{i:03d}.txt": bait for i in range(100)}
    pack = _pack("file_contains: {globs: 'docs/*.txt', pattern: '(x+x+)+y'}",
                 "file_lacks: {globs: 'docs/*.txt', pattern: '(x+x+)+z'}")
    start = cpu_seconds()
    proc = check(_repo(tmp_path, pack, files), "json", timeout=90)
    elapsed = cpu_seconds() - start
    assert_clean(proc)
    assert elapsed < 30, f"{elapsed:.1f}s"
    report = json.loads(proc.stdout)
    assert sorted(rule for rule, _ in errors(report)) == ["EVIL001", "EVIL002"]
    assert all("regular expressions were used up" in message for _, message in errors(report))
    assert any("were used up" in reason for reason in notes_of(report)["."])


def test_budget_spent_skips_the_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [0.0]

    class Slow:  # a search that uses all the time it is given (on a fake clock: no flakiness)
        def search(self, text: str, timeout: float) -> None:
            clock[0] += timeout
            raise TimeoutError

    monkeypatch.setattr(pack_regex.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(pack_regex, "SEARCH_TIMEOUT_SECONDS", 0.5)
    budget = pack_regex.Budget(1.2)
    with pytest.raises(TimeoutError):
        budget.search(Slow(), "x")  # one search's own timeout: the file counts as not matching
    with pytest.raises(TimeoutError):
        budget.search(Slow(), "x")
    with pytest.raises(pack_regex.BudgetSpent):
        budget.search(Slow(), "x")  # 0.2 s left: the budget, not the search, ran out
    with pytest.raises(pack_regex.BudgetSpent):
        budget.search(Slow(), "x")  # and stays spent
    assert clock[0] == pytest.approx(1.2)


# ----------------------------------------------------------------- item 5: compile-time memory
BOMB = "(?:(?:(?:a{1000}){1000}){1000}){1000}"


@pytest.mark.parametrize("check_text", [
    "file_contains: {globs: '*.md', pattern: '%s'}" % BOMB,
    "file_lacks: {globs: '*.md', pattern: '%s'}" % BOMB,
    "ci_step: {uses: '%s'}" % BOMB,
    "ci_step: {command: '%s'}" % BOMB,
    "yaml_query: {files: '*.yaml', path: a, op: matches, value: '%s'}" % BOMB,
    "file_contains: {globs: '*.md', pattern: '%s'}" % ("(?:" * 200 + "a" + ")" * 200),
    "file_contains: {globs: '*.md', pattern: '%s'}" % ("[ab]{65535}" * 20),
])
def test_patterns_too_costly_to_compile_are_a_configuration_error(tmp_path: Path, check_text: str) -> None:
    """A 42-byte pattern asked for terabytes when compiled (the helper caps the process at
    1.5 GB, so before this change the run died); now it is refused from its text alone."""
    filler = _pack("file_exists: {globs: README.md}")
    pack = filler + RULE.format(id="EVIL002", name="bomb", check=check_text)
    proc = check(_repo(tmp_path, pack, {"README.md": "# r\n", "a.yaml": "a: b\n"}), "json", timeout=60)
    assert_clean(proc, codes=(2,))
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("practicelint: error: pack.yaml:") and ": EVIL002: rules.1.check." in lines[0]
    assert "too costly" in lines[0] or "nested" in lines[0]


@pytest.mark.parametrize("pattern", [r"^USER\s+\w+", r"(?:\d{1,3}\.){3}\d{1,3}", r"[^\]]{0,200}x", r"\p{L}{2,40}",
                                     r"(?<=version: )\d+", "a{1000}" * 20])
def test_ordinary_patterns_are_accepted(pattern: str) -> None:
    assert pack_regex.problem(pattern) == ""


# ----------------------------------------------------------------- item 6: no exfiltration
SECRET_TRACKED = "hunter2-TRACKED-0f5e"
SECRET_UNTRACKED = "hunter2-UNTRACKED-9a1c"
LEAKY = _pack(
    "file_contains: {globs: '**/*.txt', pattern: '(?<=KEY=).+'}",
    "file_lacks: {globs: '**/*.txt', pattern: '(?<=KEY=)h.*'}",
    "file_contains: {globs: 'local.txt', pattern: 'KEY'}",
    "file_exists: {globs: 'local.txt'}",
    "ci_step: {command: '(?<=echo ).+'}",
    "markdown_sections: {files: 'notes.md', headings: ['hunter2-tracked-0f5e']}",  # the file's own case unsaid
    "yaml_query: {files: 'conf.yaml', path: key, op: matches, value: 'hunter2.*'}",
)


@pytest.fixture(scope="module")
def leaky_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("leaky")
    _repo(root, LEAKY, {"secrets.txt": f"KEY={SECRET_TRACKED}\n", "conf.yaml": f"key: {SECRET_TRACKED}\n",
                        "notes.md": f"# Notes\n\n## {SECRET_TRACKED.upper()}\n\ntext\n",
                        ".github/workflows/ci.yml": "on: [pull_request]\njobs:\n  t:\n    runs-on: x\n    steps:\n"
                                                   f"      - run: echo {SECRET_TRACKED}\n"})
    git_commit_all(root, "tracked", "2026-11-01T00:00:00")
    write_tree(root, {"local.txt": f"KEY={SECRET_UNTRACKED}\n",  # untracked, not ignored: indexed
                      ".github/workflows/local.yml": "on: [pull_request]\njobs:\n  t:\n    runs-on: x\n"
                                                    f"    steps:\n      - run: echo {SECRET_UNTRACKED}\n"})
    assert "local.txt" in git(root, "status", "--porcelain")
    return root


@pytest.mark.parametrize("fmt", ["json", "text", "sarif", "markdown", "html", "junit", "github", "gitlab"])
def test_pack_evidence_never_carries_file_content(leaky_repo: Path, fmt: str) -> None:
    proc = check(leaky_repo, fmt, timeout=60)
    assert_clean(proc)
    for secret in (SECRET_TRACKED, SECRET_UNTRACKED, SECRET_TRACKED.upper()):
        assert secret not in proc.stdout and secret not in proc.stderr, fmt


def test_repository_packs_do_not_see_untracked_files(leaky_repo: Path) -> None:
    proc = check(leaky_repo, "json", timeout=60)
    report = json.loads(proc.stdout)
    by_rule = {r["rule_id"]: r for r in report["results"]}
    assert by_rule["EVIL001"]["status"] == "pass"  # the tracked file matched, at a location
    assert [(e["path"], e["line"]) for e in by_rule["EVIL001"]["evidence"]] == [("secrets.txt", 1)]
    assert by_rule["EVIL003"]["status"] == "fail" and by_rule["EVIL004"]["status"] == "fail"  # local.txt unseen
    assert all(e["path"] != ".github/workflows/local.yml" for e in by_rule["EVIL005"]["evidence"])


def test_packs_of_too_many_rules_are_a_configuration_error(tmp_path: Path) -> None:
    """Results are rules times scopes: a 999-rule pack over 200 folders made 200,000 results
    (746 MB, 20 s). Past MAX_PACK_RULES the run stops with one line."""
    from linter.packs import MAX_PACK_RULES

    too_many = _pack(*["file_exists: {globs: README.md}"] * (MAX_PACK_RULES + 1))
    proc = check(_repo(tmp_path, too_many, {"README.md": "# r\n"}), "json", timeout=120)
    assert_clean(proc, codes=(2,))
    assert proc.stderr.startswith("practicelint: error: ") and proc.stderr.count("\n") == 1
    assert f"more than {MAX_PACK_RULES} rules" in proc.stderr
    enough = _pack(*["file_exists: {globs: README.md}"] * MAX_PACK_RULES)
    assert_clean(check(_repo(tmp_path, enough, {"README.md": "# r\n"}), "json", timeout=120))
