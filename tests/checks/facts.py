"""Facts written down for table tests (``make_context(facts={detector: facts})``).

Each builder makes one of the detectors' frozen facts with what its parser would fill in for
the simplest case, so a row of a table test reads as the situation it judges: "pip-audit
runs on pull requests", "a team of 13", "an availability objective only". Whatever a row
needs beyond that is a keyword argument.
"""

from __future__ import annotations

from typing import Iterable

from linter.detectors.ci.model import CiFacts, Hop, Job, Pipeline, ResolvedCommand, Step, UpdateBot
from linter.detectors.slo_model import AvailabilityObjective, LatencyObjective, RecognisedFile, SloFacts
from linter.detectors.teams import Team, TeamFacts

WORKFLOW = ".github/workflows/ci.yml"


def run(command: str, *, path: str = WORKFLOW, line: int = 10, non_blocking: bool = False) -> ResolvedCommand:
    """A ``run:`` step of one plain command, as the resolution layer gives it (words split
    on spaces: write commands without quotes)."""
    words = tuple(command.split())
    step = Step(path, line, "run", command, non_blocking=non_blocking)
    return ResolvedCommand(words, (Hop(path, line, command),), step, raw=words, stages=(words,))


def uses(reference: str, *, path: str = WORKFLOW, line: int = 10, **inputs: str) -> ResolvedCommand:
    """A packaged step (a GitHub ``uses:`` action) with its inputs."""
    step = Step(path, line, "uses", reference, with_args=dict(inputs))
    return ResolvedCommand((), (Hop(path, line, reference),), step)


def job(*commands: ResolvedCommand, triggers: Iterable[str] = ("pull_request",), refs: Iterable[str] = (),
        name: str = "build", path: str = WORKFLOW, line: int = 3, **fields: object) -> Job:
    """A job started by ``triggers`` (on pushes to ``refs``: ``branch:main``, ``tag:v*``...)
    that runs ``commands``."""
    return Job(name, path, line, frozenset(triggers), tuple(c.step for c in commands), refs=tuple(refs),
               commands=tuple(commands), **fields)  # type: ignore[arg-type]


def ci(*jobs: Job, system: str = "github-actions", bots: Iterable[UpdateBot] = (),
       files_read: Iterable[str] | None = None) -> CiFacts:
    """CI facts of ``system``: one pipeline per file the jobs are in; the files read are those
    files unless given."""
    paths = sorted({j.path for j in jobs})
    pipelines = tuple(Pipeline(system, p, tuple(j for j in jobs if j.path == p)) for p in paths)
    read = tuple(sorted(files_read if files_read is not None else paths))
    return CiFacts(pipelines, tuple(sorted(bots)), read)


def team(name: str, size: int, *, type: str = "team", path: str = "org/teams.yaml", line: int = 4,
         defined: bool = True) -> Team:
    """A Backstage Group ``name`` (``group:default/name``) with ``size`` direct members."""
    members = tuple(sorted(f"user:default/{name}-m{i}" for i in range(size)))
    return Team(f"group:default/{name}", name, path, line, members, type, defined)


def teams(*found: Team) -> TeamFacts:
    return TeamFacts(tuple(sorted(found)))


def latency(percentile: float, *, path: str = "slo/api.yaml", line: int = 5, kind: str = "OpenSLO ratio",
            service: str | None = None) -> LatencyObjective:
    return LatencyObjective(path, line, percentile, kind, service)


def availability(target: float | None, *, path: str = "slo/api.yaml", line: int = 5, kind: str = "OpenSLO ratio",
                 service: str | None = None) -> AvailabilityObjective:
    return AvailabilityObjective(path, line, target, kind, service)


def slos(*objectives: LatencyObjective | AvailabilityObjective, formats: dict[str, str] | None = None) -> SloFacts:
    """SLO facts holding ``objectives``; the files recognised are theirs, in ``formats`` (path ->
    format name, OpenSLO unless given)."""
    formats = dict(formats or {})
    for objective in objectives:
        formats.setdefault(objective.path, "OpenSLO")
    return SloFacts(tuple(sorted(o for o in objectives if isinstance(o, LatencyObjective))),
                    tuple(sorted(o for o in objectives if isinstance(o, AvailabilityObjective))),
                    tuple(sorted(RecognisedFile(p, f) for p, f in formats.items())))
