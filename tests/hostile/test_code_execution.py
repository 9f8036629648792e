"""No code from a scanned repository ever runs.

A folder named like a module practicelint imports (``json/``, ``yaml/``, ``click/``...) with an
``__init__.py`` would run as Python if the interpreter looked in the scanned tree first: the
case for ``python -m`` started inside it, and for audit workers started with the folder of
checkouts as their working directory. Each planted module writes a marker file on import; no
marker may appear.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import git_commit_all
from tests.hostile.cli import ROOT, assert_clean, run_cli

#: Modules practicelint (or its dependencies) imports after start-up.
PLANTED = ("json", "yaml", "click", "jinja2", "pydantic", "markdown_it", "pathspec", "regex", "tomllib",
           "subprocess", "signal", "pickle", "marshal", "zlib", "csv", "sqlite3", "linter_evil")


def plant(root: Path, marker_dir: Path) -> None:
    """One package per module name, each writing ``marker_dir/<name>`` when imported."""
    for name in PLANTED:
        package = root / name
        package.mkdir(parents=True, exist_ok=True)
        (package / "__init__.py").write_text(
            f"open({str(marker_dir / name)!r}, 'w').write('imported')\n", encoding="utf-8")


def test_python_m_linter_inside_a_hostile_repository_imports_nothing_from_it(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    markers = tmp_path / "markers"
    markers.mkdir()
    plant(repo, markers)
    (repo / "README.md").write_text("# repo\n", encoding="utf-8")
    for args in (["--version"], ["check", ".", "--format", "json"], ["rules"]):
        proc = run_cli(args, cwd=repo)
        assert_clean(proc)
    assert sorted(os.listdir(markers)) == []


def test_audit_workers_never_import_the_audited_checkouts(tmp_path: Path) -> None:
    """``practicelint audit .`` run from the folder of checkouts: each checkout is named like a
    module the worker imports, and the worker's working directory is that folder."""
    folder = tmp_path / "checkouts"
    markers = tmp_path / "markers"
    markers.mkdir()
    for name in ("json", "yaml", "click"):
        checkout = folder / name
        checkout.mkdir(parents=True)
        (checkout / "__init__.py").write_text(
            f"open({str(markers / name)!r}, 'w').write('imported')\n", encoding="utf-8")
        (checkout / "README.md").write_text(f"# {name}\n", encoding="utf-8")
        git_commit_all(checkout, "init", date="2026-01-01T00:00:00")
    env = {**os.environ, "PRACTICELINT_NOW": "2026-12-01", "NO_COLOR": "1",
           "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.run([sys.executable, "-P", "-m", "linter", "audit", ".", "--jobs", "2", "--no-repo-html",
                           "--output-dir", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "cache")],
                          cwd=folder, env=env, capture_output=True, text=True, timeout=180, check=False,
                          stdin=subprocess.DEVNULL)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    assert (tmp_path / "out" / "audit.json").is_file()
    assert sorted(os.listdir(markers)) == []


def test_a_doctored_git_config_runs_nothing(tmp_path: Path) -> None:
    """A scanned tree may come with its own ``.git`` (an unpacked archive, a prepared CI
    workspace): hooks, fsmonitor, diff drivers, pagers and filters it names never run."""
    repo = tmp_path / "repo"
    repo.mkdir()
    markers = tmp_path / "markers"
    markers.mkdir()
    (repo / ".gitattributes").write_text("* diff=evil filter=evil\n", encoding="utf-8")
    (repo / "f.txt").write_text("a\n", encoding="utf-8")
    git_commit_all(repo, "one", date="2026-01-01T00:00:00")
    (repo / "f.txt").write_text("a\nb\n", encoding="utf-8")
    git_commit_all(repo, "two", date="2026-01-02T00:00:00")
    config = repo / ".git" / "config"
    config.write_text(config.read_text(encoding="utf-8") + "".join(
        f"[{section}]\n\t{key} = touch {markers / name}\n" for section, key, name in (
            ("core", "fsmonitor", "fsmonitor"), ("core", "pager", "pager"), ("diff", "external", "external"),
            ('diff "evil"', "textconv", "textconv"), ('filter "evil"', "clean", "clean"),
            ('filter "evil"', "process", "process"), ("core", "sshCommand", "ssh"))), encoding="utf-8")
    hooks = repo / ".git" / "hooks"
    for hook in ("post-checkout", "pre-commit", "post-index-change", "reference-transaction"):
        (hooks / hook).write_text(f"#!/bin/sh\ntouch {markers / hook}\n", encoding="utf-8")
        (hooks / hook).chmod(0o755)
    for args in (["check", str(repo), "--format", "json"], ["init", str(repo), "--dry-run"],
                 ["fix", str(repo), "--dry-run"]):
        proc = run_cli(args, env={"PRACTICELINT_NO_CACHE": "1"})
        assert_clean(proc, codes=(0, 1, 2))
    assert sorted(os.listdir(markers)) == []
