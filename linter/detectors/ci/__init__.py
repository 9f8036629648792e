"""CI pipelines of every system, as one model: which steps run in jobs started by which events.

``detect(ws)`` parses GitHub Actions, GitLab CI, Jenkinsfiles, CircleCI, Azure Pipelines,
Bitbucket Pipelines and Google Cloud Build (each in its own module) plus Dependabot/Renovate configuration, and
returns ``CiFacts``. Rules then classify steps with a ``ScannerTable`` from
``linter.detectors.ci.scanners`` (dependency scanning today; SAST, secrets and IaC later).
A parser that fails on some input records a note and the others still run.
"""

from __future__ import annotations

from typing import Callable

from linter.detectors.ci import azure, bitbucket, bots, circleci, cloudbuild, github, gitlab, jenkins
from linter.detectors.ci.model import (
    PER_CHANGE, STEP_KINDS, TRIGGERS, CiFacts, Job, Pipeline, Step, UpdateBot,
)
from linter.repo.workspace import Workspace

#: Human names of the systems, for messages.
SYSTEM_NAMES = {
    github.SYSTEM: "GitHub Actions", gitlab.SYSTEM: "GitLab CI", jenkins.SYSTEM: "Jenkins",
    circleci.SYSTEM: "CircleCI", azure.SYSTEM: "Azure Pipelines", bitbucket.SYSTEM: "Bitbucket Pipelines",
    cloudbuild.SYSTEM: "Google Cloud Build",
}
_PARSERS: tuple[tuple[str, Callable[[Workspace], tuple[list[Pipeline], list[str]]]], ...] = (
    (github.SYSTEM, github.detect), (gitlab.SYSTEM, gitlab.detect), (jenkins.SYSTEM, jenkins.detect),
    (circleci.SYSTEM, circleci.detect), (azure.SYSTEM, azure.detect), (bitbucket.SYSTEM, bitbucket.detect),
    (cloudbuild.SYSTEM, cloudbuild.detect),
)


def detect(ws: Workspace) -> CiFacts:
    """Every pipeline and update bot in the repository, sorted; never raises."""
    pipelines: list[Pipeline] = []
    files: set[str] = set()
    for system, parse in _PARSERS:
        try:
            found, read = parse(ws)
        except Exception as exc:  # noqa: BLE001 - one broken parser must not hide the others
            ws.note(".", f"{SYSTEM_NAMES[system]} configuration could not be read: {type(exc).__name__}")
            continue
        pipelines.extend(found)
        files.update(read)
    try:
        found_bots, _ = bots.detect(ws)
    except Exception as exc:  # noqa: BLE001
        ws.note(".", f"update bot configuration could not be read: {type(exc).__name__}")
        found_bots = []
    return CiFacts(tuple(sorted(pipelines)), tuple(sorted(found_bots)), tuple(sorted(files)))


__all__ = ["PER_CHANGE", "STEP_KINDS", "SYSTEM_NAMES", "TRIGGERS", "CiFacts", "Job", "Pipeline", "Step",
           "UpdateBot", "detect"]
