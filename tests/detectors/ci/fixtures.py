"""Rebuild a fixture repository from ``tests/fixtures/ci/<case>`` (see its README)."""

from __future__ import annotations

from pathlib import Path

from linter.detectors.ci import CiFacts, detect
from linter.repo.workspace import Workspace
from tests.helpers import write_tree

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ci"


def fixture_files(case: str) -> dict[str, str]:
    files: dict[str, str] = {}
    for source in sorted((FIXTURES / case).iterdir()):
        encoded = source.name.removeprefix("repo__")
        parts = ["." + p[4:] if p.startswith("dot-") else p for p in encoded.split("__")]
        files["/".join(parts)] = source.read_text(encoding="utf-8")
    return files


def build(root: Path, case: str, extra: dict[str, str | bytes] | None = None) -> Path:
    return write_tree(root, {**fixture_files(case), **(extra or {})})


def facts_of(root: Path) -> tuple[CiFacts, Workspace]:
    ws = Workspace(root)
    return ws.facts(detect), ws


def job_named(facts: CiFacts, name: str):
    matches = [job for _, job in facts.jobs() if job.name == name]
    assert matches, f"no job {name!r} in {[j.name for _, j in facts.jobs()]}"
    return matches[0]
