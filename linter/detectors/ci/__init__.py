"""CI pipelines of every system, as one model: which steps run in jobs started by which events.

``detect(ws)`` parses GitHub Actions, GitLab CI, Jenkinsfiles, CircleCI, Azure Pipelines,
Bitbucket Pipelines and Google Cloud Build (each in its own module) plus Dependabot/Renovate configuration, and
returns ``CiFacts``. Rules then classify steps with a ``ScannerTable`` from
``linter.detectors.ci.scanners`` (dependency scanning today; SAST, secrets and IaC later).
A parser that fails on some input records a note and the others still run.
"""

from __future__ import annotations

from typing import Callable

from linter.detectors.ci import azure, bitbucket, bots, circleci, cloudbuild, github, gitlab, jenkins, makefile
from linter.detectors.ci.model import (
    PER_CHANGE, STEP_KINDS, TRIGGERS, CiFacts, Job, Pipeline, Step, UpdateBot,
)
from linter.detectors.ci.shell import effective_argv, shell_commands
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
    return CiFacts(tuple(sorted(pipelines)), tuple(sorted(found_bots)), tuple(sorted(files)),
                   _makefiles(ws, pipelines))


#: Makefiles read for the ``make`` commands of CI steps (a monorepo's steps may name many).
MAX_MAKEFILES = 50


def _makefiles(ws: Workspace, pipelines: list[Pipeline]) -> dict[str, makefile.MakeFile]:
    """The Makefiles CI steps run ``make`` on, parsed once (the scanner tables then judge the
    commands behind a target). Paths are taken from the repository root, as most CI steps run."""
    found: dict[str, makefile.MakeFile] = {}
    for pipeline in pipelines:
        for job in pipeline.jobs:
            for step in job.steps:
                if step.kind != "run" or "make" not in step.text:
                    continue
                for command in shell_commands(step.text):
                    argv = effective_argv(command.argv)
                    if not argv or argv[0] not in makefile.MAKE_PROGRAMS:
                        continue
                    call = makefile.invocation(argv)
                    path = next((c for c in call.makefile_candidates if ws.exists(c)), None) if call else None
                    if path is None or path in found or len(found) >= MAX_MAKEFILES:
                        continue
                    text = ws.read_text(path)
                    if text is not None:
                        found[path] = makefile.parse_makefile(path, text)
    return found


__all__ = ["PER_CHANGE", "STEP_KINDS", "SYSTEM_NAMES", "TRIGGERS", "CiFacts", "Job", "Pipeline", "Step",
           "UpdateBot", "detect"]
