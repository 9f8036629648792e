"""Configuration from the scanned repository cannot run code, read outside it, or run forever."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import write_tree, cpu_seconds
from tests.hostile.cli import assert_clean, check, errors, limit_memory

SECRET = "OUTSIDE-SECRET-9f2c"

PACK_HEAD = """prefix: EVIL
rules:
  - id: EVIL001
    name: catastrophic
    practice: small-teams
    category: teams
    severity: error
    scope: repo
    summary: A regex built to backtrack forever.
    rationale: Hostile input.
    evidence: none
    remediation: none
    check:
"""


def _outside(tmp_path: Path) -> Path:
    out = tmp_path / "outside"
    write_tree(out, {"base.yaml": f"select: [{SECRET}]\nrule-packs: [pack.yaml]\n",
                     "pack.yaml": PACK_HEAD.replace("EVIL", "LEAK") + f"      file_exists: {{globs: {SECRET}}}\n"})
    return out


def _run(repo: Path, *extra: str, timeout: float = 90):
    proc = check(repo, "json", *extra, timeout=timeout)
    assert_clean(proc, codes=(0, 1, 2))
    assert SECRET not in proc.stdout, "content from outside the repository reached the report"
    return proc


@pytest.mark.parametrize("config", [
    "extends: ../outside/base.yaml\n",
    "extends: [{outside}/base.yaml]\n",
    "extends: /etc/passwd\n",
    "extends: ../../../../../../../../etc/passwd\n",
    "extends: link.yaml\n",
    "extends: file:///etc/passwd\n",
    "extends: https://example.com/evil.yaml\n",
    "rule-packs: [/etc/passwd]\n",
    "rule-packs: [../outside/pack.yaml]\n",
    "rule-packs: [{outside}/pack.yaml]\n",
    "rule-packs: [link.yaml]\n",
    "rule-packs: [pack-dir]\n",
    "rule-packs: [fifo.yaml]\n",
])
def test_config_never_reads_outside_the_repository(tmp_path: Path, config: str) -> None:
    out = _outside(tmp_path)
    repo = tmp_path / "repo"
    write_tree(repo, {".practicelint.yaml": config.format(outside=out), "pack-dir/x": "x"})
    (repo / "link.yaml").symlink_to(out / "base.yaml")
    import os

    os.mkfifo(repo / "fifo.yaml")
    proc = _run(repo, timeout=60)
    if proc.returncode == 2:
        assert proc.stderr.startswith("practicelint: error: "), proc.stderr
        assert "root:x" not in proc.stderr


@pytest.mark.parametrize("payload", [
    "!!python/object/apply:os.system ['touch {pwned}']",
    "!!python/object/new:subprocess.Popen [['touch', '{pwned}']]",
])
@pytest.mark.parametrize("where", [".practicelint.yaml", "pack.yaml"])
def test_config_and_rule_packs_never_construct_objects(tmp_path: Path, payload: str, where: str) -> None:
    pwned = tmp_path / "PWNED"
    repo = tmp_path / "repo"
    evil = payload.format(pwned=pwned)
    files = {".practicelint.yaml": f"select: {evil}\n"} if where == ".practicelint.yaml" else {
        ".practicelint.yaml": "rule-packs: [pack.yaml]\n", "pack.yaml": PACK_HEAD + f"      file_exists: {evil}\n"}
    write_tree(repo, files)
    _run(repo)
    assert not pwned.exists()


def test_pyproject_tool_section_cannot_run_code(tmp_path: Path) -> None:
    pwned = tmp_path / "PWNED"
    repo = tmp_path / "repo"
    write_tree(repo, {"pyproject.toml": f'[tool.practicelint]\nplugins = ["os:system"]\nextends = "../outside"\n'
                                        f'select = ["__import__(\'os\').system(\'touch {pwned}\')"]\n',
                      "setup.py": f"open({str(pwned)!r}, 'w').write('x')\n",
                      "conftest.py": f"open({str(pwned)!r}, 'w').write('x')\n",
                      "linter/__init__.py": f"open({str(pwned)!r}, 'w').write('x')\n",
                      "click.py": f"open({str(pwned)!r}, 'w').write('x')\n",
                      "yaml.py": f"open({str(pwned)!r}, 'w').write('x')\n"})
    _run(repo)
    assert not pwned.exists()
    # From inside the hostile repository, the installed console script must not import the
    # repository's click.py/yaml.py/linter/ (``python -m linter`` would: Python puts the
    # current directory first on sys.path for -m, so CI should call ``practicelint``).
    script = Path(sys.executable).with_name("practicelint")
    if not script.exists():
        pytest.skip("practicelint console script not installed next to this interpreter")
    proc = subprocess.run([str(script), "check", ".", "--format", "json"], cwd=repo, capture_output=True,
                          text=True, timeout=90, preexec_fn=limit_memory, check=False,
                          env={**os.environ, "PRACTICELINT_NOW": "2026-12-01"})
    assert_clean(proc, codes=(0, 1, 2))
    assert not pwned.exists()


CATASTROPHIC = [r"^(a+)+$", r"(a|aa)+b", r"(x+x+)+y", r"^(\w+\s?)*$", r"(.*a){20}"]


@pytest.mark.parametrize("pattern", CATASTROPHIC)
@pytest.mark.parametrize("kind", ["file_contains", "file_lacks"])
def test_catastrophic_regex_in_a_rule_pack_is_bounded(tmp_path: Path, pattern: str, kind: str) -> None:
    repo = tmp_path / "repo"
    bait = "a" * 5000 + "!"  # the classic input that makes these patterns exponential
    files = {f"docs/f{i}.md": bait + "\n" for i in range(20)}
    files[".practicelint.yaml"] = "rule-packs: [pack.yaml]\nselect: [EVIL]\n"
    files["pack.yaml"] = PACK_HEAD + f"      {kind}: {{globs: 'docs/*.md', pattern: {json.dumps(pattern)}}}\n"
    write_tree(repo, files)
    start = cpu_seconds()
    proc = _run(repo, timeout=60)
    elapsed = cpu_seconds() - start
    assert elapsed < 30, f"{elapsed:.1f}s for 20 files"
    if proc.returncode != 2:
        report = json.loads(proc.stdout)
        # the run's budget for pack searches (linter.pack_regex) may run out: then, and only
        # then, the rule is an error that says so
        assert all(rule == "EVIL001" and "were used up" in message for rule, message in errors(report))
        assert any(r["rule_id"] == "EVIL001" for r in report["results"])


def test_huge_max_file_size_in_repository_config_still_bounds_memory(tmp_path: Path) -> None:
    """The repository may raise the size cap; a 300 MB sparse file must still not be read whole."""
    repo = tmp_path / "repo"
    write_tree(repo, {".practicelint.yaml": "max-file-size: 100000000000\n"})
    (repo / "docs").mkdir()
    with open(repo / "docs" / "prfaq.md", "wb") as handle:
        handle.truncate(300 * 1024 * 1024)
    proc = _run(repo)  # under the 1.5 GB address-space limit of the helper
    assert proc.returncode == 2 and "max_file_size" in proc.stderr  # the cap is bounded (64 MiB)


def test_exclude_patterns_cannot_blow_up(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    globs = ", ".join(json.dumps("**/" * 50 + f"x{i}*" * 20) for i in range(200))
    write_tree(repo, {".practicelint.yaml": f"exclude: [{globs}]\n",
                      **{f"a/b/c/d/e/f/x{i}.md": "# x\n" for i in range(200)}})
    start = cpu_seconds()
    _run(repo, timeout=60)
    assert cpu_seconds() - start < 30


@pytest.mark.parametrize("glob", [
    "[]",
    "[z-a]",
    "[",
    "**/**/**/**",
])
def test_malformed_exclude_glob_is_a_config_error_or_ignored(tmp_path: Path, glob: str) -> None:
    repo = tmp_path / "repo"
    write_tree(repo, {".practicelint.yaml": f"exclude: [{json.dumps(glob)}]\n", "README.md": "# r\n"})
    proc = _run(repo)
    assert "internal error" not in proc.stderr, proc.stderr
