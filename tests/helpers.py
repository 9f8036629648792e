"""Test helpers: build small repositories on disk, optionally with git history, and contexts."""

from __future__ import annotations

import os
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from linter.checks.base import CheckContext
from linter.repo.workspace import Workspace
from linter.results import Scope

FIXED_NOW = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``{relative path: content}`` under ``root`` and return ``root``."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def git(root: Path, *args: str, date: str | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    return subprocess.run(["git", *args], cwd=root, env=env, check=True,
                          capture_output=True, text=True).stdout


def git_commit_all(root: Path, message: str, date: str) -> None:
    """Commit everything in ``root`` with the given ISO date (``git init`` on first use)."""
    if not (root / ".git").exists():
        git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, "--allow-empty", date=date)


def make_context(
    root: Path,
    *,
    rule: str | None = None,
    options: dict | None = None,
    scope: Scope | None = None,
    scopes: list[Scope] | None = None,
    settings: dict | None = None,
    now: datetime = FIXED_NOW,
    workspace: Workspace | None = None,
) -> CheckContext:
    """A ``CheckContext`` for unit-testing one check against a tree on disk.

    With ``rule``, ``options`` overrides the catalog's defaults and the check receives its
    typed options as a run would build them (values validated as the configuration is)."""
    ws = workspace or Workspace(root)
    scope = scope or Scope(".", root.name)
    built: object = options or {}
    if rule is not None:
        built = typed_options(rule, options or {})
    return CheckContext(workspace=ws, scope=scope, scopes=scopes or [scope],
                        options=built, now=now, settings=settings or {})


def typed_options(rule: str, overrides: dict) -> object:
    """``rule``'s typed options: catalog defaults, then ``overrides`` coerced as the
    configuration would coerce them (a bad value raises ``ValueError``)."""
    from linter.catalog import load_catalog
    from linter.checks import rule_check

    spec = load_catalog().rules[rule]
    values = spec.default_options()
    values.update({name: spec.options[name].coerce(value) for name, value in overrides.items()})
    return rule_check(rule).make_options(values)


def fill_placeholders(root: Path, *paths: str) -> None:
    """Do what a person does with a scaffold: replace every placeholder (``linter.placeholders``)
    with content. A prompt becomes its own text, placeholder names become real ones."""
    from linter import placeholders

    for rel in paths:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        text = text.replace(placeholders.MARK + ": ", "").replace(placeholders.MARK, "")
        text = text.replace(placeholders.ORG, "acme").replace(placeholders.TEAM, "platform")
        path.write_text(text, encoding="utf-8")
