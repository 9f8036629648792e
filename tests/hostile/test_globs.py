"""Globs from the scanned repository are matched in linear time, wherever they are matched.

Each case puts one pathological glob where the repository controls it, next to a path it
makes a backtracking regular expression crawl over: ``*a*a...*b`` (fourteen stars) against a
200-character name tries every way of cutting the name between the stars, and ``**/``
repeated sixty times nests sixty optional folder runs. With the old translation each case
ran for many minutes (the subprocess timeout below fails it); now each is milliseconds of
matching inside an ordinary run. ``tests/repo/test_globs.py`` proves the matcher itself is
linear by construction (merged wildcards or an NFA); these prove every caller goes through it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import git_commit_all, write_tree
from tests.hostile.cli import check_json, errors

STARS = "*a" * 14 + "*b"  # no b in the long name: the regex must give up on every split
DEEP = "/" + "**/" * 60  # GitHub/GitLab CODEOWNERS: sixty nested optional folders
LONG = "a" * 200  # a legal file or folder name
TIMEOUT = 60  # seconds for the whole run; the old matcher needed far longer for any case

PACK = """prefix: GLOB
rules:
  - id: GLOB001
    name: pathological-glob
    practice: small-teams
    category: teams
    severity: error
    scope: repo
    summary: A glob built to backtrack.
    rationale: Hostile input.
    evidence: none
    remediation: none
    check:
      file_exists: {globs: %s}
"""

WAIVER = ("waivers:\n  - rule: ORG002\n    reason: r\n    owner: a@example.com\n    expires: 2027-01-31\n"
          "    paths: [%s]\n")

CASES = {
    "exclude": {".practicelint.yaml": f"exclude: [{json.dumps(STARS)}, {json.dumps('**/' * 60 + STARS)}]\n"},
    "services": {".practicelint.yaml": f"services: [{json.dumps(STARS)}, {json.dumps('**/' * 60 + 'x')}]\n"},
    "per-path-ignores": {".practicelint.yaml": f"services: ['a*']\nper-path-ignores:\n  {json.dumps(STARS)}: [PROD001]\n"},
    "waiver paths": {".practicelint.yaml": WAIVER % json.dumps(STARS),
                     ".github/CODEOWNERS": "/docs/ @org/docs\n"},
    "rule-pack globs": {".practicelint.yaml": "rule-packs: [pack.yaml]\n", "pack.yaml": PACK % json.dumps(STARS)},
    "CODEOWNERS (GitHub)": {".github/CODEOWNERS": f"{DEEP} @org/a\n{STARS} @org/b\n/{STARS} @org/c\n"},
    "CODEOWNERS (GitLab)": {"CODEOWNERS": f"[Section] @org/a\n{DEEP}\n{STARS} @org/b\n!{STARS}\n",
                            ".gitlab-ci.yml": "test:\n  script: [make test]\n"},
    "Dependabot directories": {".github/dependabot.yml": "version: 2\nupdates:\n  - package-ecosystem: npm\n"
                                                         f"    directories: [{json.dumps('/' + STARS)}]\n"},
    "Renovate ignorePaths": {"renovate.json": json.dumps({"ignorePaths": [STARS, "**/" * 60 + STARS]})},
    "package.json workspaces": {"package.json": json.dumps({"name": "root", "workspaces": [STARS]})},
    "workflow branch filters": {".github/workflows/ci.yml": "on:\n  push:\n    branches: ['" + "**" * 99 + "x']\n"
                                "jobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n"},
}


@pytest.mark.parametrize("where", list(CASES))
def test_pathological_glob_is_matched_in_linear_time(tmp_path: Path, where: str) -> None:
    files = {f"{LONG}/{LONG}": "x\n", f"{LONG}/package.json": json.dumps({"name": "member"}),
             "README.md": "# r\n", **CASES[where]}
    write_tree(tmp_path, files)
    git_commit_all(tmp_path, "hostile globs", "2026-11-01T00:00:00")
    report = check_json(tmp_path, timeout=TIMEOUT)
    assert errors(report) == []


def test_pathological_gitignore_line_in_a_directory_walk_is_not_applied(tmp_path: Path) -> None:
    """Without git the index comes from a walk that reads ``.gitignore`` with pathspec, whose
    regular expressions backtrack like ours did: the line is left out, with a note."""
    write_tree(tmp_path, {".gitignore": f"*.log\n{STARS}\n**/a/**/a/**/a/**/a/**/b\n", f"{LONG}/{LONG}": "x\n",
                          "a/" * 40 + "c": "x\n", "debug.log": "x\n", "README.md": "# r\n"})
    report = check_json(tmp_path, timeout=TIMEOUT)
    notes = [n for n in report["notes"] if n["path"] == ".gitignore"]
    assert notes and notes[0]["reason"].startswith("2 patterns"), report["notes"]
    assert errors(report) == []
