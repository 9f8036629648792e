"""Test helpers: build small repositories on disk, optionally with git history, and contexts
(on a tree, or on facts given directly: see ``make_context``)."""

from __future__ import annotations

import os
import resource
import subprocess
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from linter.checks.base import CheckContext
from linter.repo.facts import FactStore
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
    root: Path | None = None,
    *,
    rule: str | None = None,
    options: dict | None = None,
    scope: Scope | None = None,
    scopes: list[Scope] | None = None,
    settings: dict | None = None,
    now: datetime = FIXED_NOW,
    workspace: Workspace | None = None,
    facts: dict[Callable[..., Any], Any] | None = None,
) -> CheckContext:
    """A ``CheckContext`` for unit-testing one check, against a tree on disk or facts given.

    With ``rule``, ``options`` overrides the catalog's defaults and the check receives its
    typed options as a run would build them (values validated as the configuration is).

    ``facts`` (``{detector: its facts}``, e.g. ``{ci.detect: CiFacts(...)}``) installs facts in
    the workspace's fact store, so a test can judge exactly the facts it writes down, row by
    row, as OpenSSF Scorecard's table tests judge raw results. Without ``root`` no tree
    exists at all: a detector the test did not give is an error (``FactsOnly``), never a
    silent run over an empty folder. With ``root``, the given facts replace those detectors
    and any other runs on the tree."""
    if root is None and workspace is None:
        ws = facts_only(facts or {})
    else:
        ws = workspace or Workspace(root)  # type: ignore[arg-type]
        if facts:
            ws.fact_store.install_facts(facts)
    scope = scope or Scope(".", root.name if root is not None else "repo" if workspace is None else ws.root.name)
    built: object = options or {}
    if rule is not None:
        built = typed_options(rule, options or {})
    return CheckContext(workspace=ws, scope=scope, scopes=scopes or [scope],
                        options=built, now=now, settings=settings or {})


class FactsOnly(FactStore):
    """The facts a table test gives, and nothing else: asking for any other detector's facts
    fails the test (the check reads something the table does not say)."""

    def __init__(self, facts: dict[Callable[..., Any], Any]) -> None:
        super().__init__()
        self.install_facts(facts)
        self.given = frozenset(facts)

    def facts(self, detector: Callable[..., Any], ws: Workspace) -> Any:
        if detector not in self.given:
            name = f"{detector.__module__}.{detector.__qualname__}"
            raise AssertionError(f"the table test gives no facts for {name}: add them to facts={{...}}")
        return super().facts(detector, ws)


#: The root of a facts-only workspace: a folder that does not exist, so nothing can be read.
NO_TREE = Path("/nonexistent/practicelint-table-test")


def facts_only(facts: dict[Callable[..., Any], Any]) -> Workspace:
    """A workspace with no files whose fact store holds ``facts`` and nothing else."""
    ws = Workspace(NO_TREE)
    ws.fact_store = FactsOnly(facts)
    return ws


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


def cpu_seconds() -> float:
    """CPU time used so far by this process and by the child processes it has waited for.

    Hang guards in tests bound this, never wall-clock time, which the load of other processes
    on a shared CI machine moves."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime

