"""Where a tool table meets what CI runs: which of a job's resolved commands are a dependency
scanner, SAST, a secret scanner, an IaC policy check, a test run, a deployment...

The tables (``linter.detectors.ci.tables``) say what a command or packaged step is; the
resolution layer (``linter.detectors.ci.resolve``) says what each job runs. This module
matches the two, the same way for every rule:

* a packaged step is matched on its reference and inputs;
* a command is matched on each stage of its wrappers, innermost first (``yarn test`` is
  judged as ``test``, then as ``yarn test``), and on the script file it runs by name;
* a command recognised by its own words is not looked below: ``make test`` counts as tests
  by its name, and the recipe lines it hands on are not judged again. Otherwise the commands
  it hands on are judged, one hop deeper, with every hop kept as evidence.
"""

from __future__ import annotations

import dataclasses
from typing import Iterable

from linter.detectors.ci.model import CiFacts, Hop, Job, ResolvedCommand, Step
from linter.detectors.ci.tables.shapes import ToolTable, normalise_reference, script_path_of
from linter.fast_dataclass import dataclass, field
from linter.secrets import redact


@dataclass(frozen=True, order=True)
class ToolHit:
    """A command or step that runs a tool: which tool, where, whether a finding fails the job,
    and how it was reached (``hops``: the CI line first), a well-known step's source, or, when
    the hit rests on weaker evidence (``linter.detectors.ci.weak``), what kind (``name``,
    ``cluster``, ``stack``) and its particulars (``weak_detail``: the name, or what creates the
    environment and where). ``command`` is the resolved command the hit was judged from, for a
    check that reads more of it (the configuration file golangci-lint is given, the folder
    it runs in)."""

    tool: str
    category: str
    path: str
    line: int
    detail: str
    blocking: bool = True
    hops: tuple[Hop, ...] = field(default=(), compare=False)
    known_step: str = field(default="", compare=False)
    weak: str = field(default="", compare=False)
    weak_detail: str = field(default="", compare=False)
    command: ResolvedCommand | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class JobHit:
    """A tool hit together with the job (and so the triggers) it runs in."""

    system: str
    job: Job
    hit: ToolHit


def judge(command: ResolvedCommand, table: ToolTable) -> ToolHit | None:
    """The hit when ``command`` is a tool of ``table``, else ``None``."""
    step = command.step
    if command.is_reference:
        reference = normalise_reference(step)
        for rule in table.references:
            if step.kind in rule.kinds and rule.pattern.fullmatch(reference):
                found = rule.judge(step.with_args, reference)
                if found is None:
                    return None
                detail, blocking = found
                return _hit(command, rule.tool, table.category, f"{detail} ({step.text})", blocking)
        return None
    script = script_path_of(command.raw)
    for stage in reversed(command.stages or (command.argv,)):
        if not stage:
            continue
        if "/" not in script and "." not in script:
            script = script_path_of(stage)
        for rule in table.commands:
            if not rule.matches(stage[0], script):
                continue
            found = rule.judge(stage)
            if found is None:
                continue
            detail, blocking = found
            if command.non_blocking:
                detail += " (failure ignored with ||)"
            return _hit(command, rule.tool, table.category, detail, blocking and not command.non_blocking)
    return None


def _hit(command: ResolvedCommand, tool: str, category: str, detail: str, blocking: bool) -> ToolHit:
    first = command.hops[0]
    detail = redact(detail)  # the command as quoted in evidence: no token the repository wrote into it
    return ToolHit(tool, category, first.path, first.line, detail, blocking and not command.step.non_blocking,
                   command.hops, command.known_step, command=command)


def judge_commands(commands: Iterable[ResolvedCommand] | tuple[ResolvedCommand, ...], table: ToolTable) -> list[ToolHit]:
    """Hits among ``commands`` (a job's, in order); below a recognised command nothing is judged."""
    commands = tuple(commands)
    stop = [False] * len(commands)  # True: this command or one above it was recognised
    found: list[ToolHit] = []
    seen: set[tuple[object, ...]] = set()
    for index, command in enumerate(commands):
        if 0 <= command.parent < index and stop[command.parent]:
            stop[index] = True
            continue
        hit = judge(command, table)
        if hit is None:
            continue
        stop[index] = True
        key = (hit.tool, hit.path, hit.line, hit.detail, hit.blocking, hit.hops)
        if key not in seen:
            seen.add(key)
            found.append(hit)
    return found


def classify_step(step: Step, table: ToolTable) -> list[ToolHit]:
    """Hits of one step on its own, nothing followed (a pre-commit hook's ``entry``)."""
    from linter.detectors.ci.resolve import resolve_step

    return judge_commands(resolve_step(step), table)


def job_hits(facts: CiFacts, table: ToolTable) -> tuple[JobHit, ...]:
    """Every tool of ``table`` in every job, with the job it runs in; sorted. (Checks ask
    through ``linter.checks.ci_runs``, which computes it once per run.)"""
    found: list[JobHit] = []
    for pipeline, job in facts.jobs():
        for hit in judge_commands(job.commands, table):
            if job.non_blocking and hit.blocking:
                hit = dataclasses.replace(hit, blocking=False)
            found.append(JobHit(pipeline.system, job, hit))
    return tuple(sorted(found, key=lambda jh: (jh.hit, jh.system, jh.job.name, jh.job.path)))


__all__ = ["JobHit", "ToolHit", "classify_step", "job_hits", "judge", "judge_commands"]
