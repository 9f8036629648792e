"""Small helpers for the resolution-layer tests: a repository, its jobs' resolved commands, and
the hits of a table with their hop chains."""

from __future__ import annotations

from pathlib import Path

from linter.checks.ci_wording import chain
from linter.detectors.ci import CiFacts, detect
from linter.detectors.ci.judge import job_hits
from linter.detectors.ci.tables import ToolTable
from linter.repo.workspace import Workspace

WORKFLOW = "on: [pull_request]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: {cmd}\n"


def workflow(cmd: str) -> str:
    """A pull-request workflow whose only step runs ``cmd`` (one line)."""
    return WORKFLOW.format(cmd=cmd)


def facts(root: Path) -> tuple[CiFacts, Workspace]:
    ws = Workspace(root)
    return ws.facts(detect), ws


def hits(root: Path, table: ToolTable) -> list[tuple[str, str, str]]:
    """``(tool, detail, chain)`` of every hit of ``table``."""
    found, _ = facts(root)
    return [(h.hit.tool, h.hit.detail, chain(h.hit.hops, h.hit.known_step)) for h in job_hits(found, table)]


def programs(root: Path) -> list[tuple[str, ...]]:
    """The effective words of every command every job resolves to."""
    found, _ = facts(root)
    return [c.argv for _, job in found.jobs() for c in job.commands if c.argv]
