"""Well-known steps whose files cannot be read here, and what each is documented to run.

A job that calls another repository's reusable workflow, a GitLab CI/CD catalog component, a
Jenkins shared-library step or a command-running action does its work in files that are not
in the scanned repository. For the widely used ones, this table says which commands they
run (given the step's inputs), and the public source that was learned from; the resolution
layer adds those commands below the step, marked "known step, not read here", so the tool
tables judge them like any other command (an ``npm test`` a reusable workflow runs is
followed into this repository's package.json, as the workflow runs in its checkout).

Entries are matched on the step's kind and normalised reference (lower case, no version).
A line ``uses: <reference>`` stands for a packaged step the known step runs.
"""

from __future__ import annotations

import re
from typing import Callable, Mapping

from linter.detectors.ci.model import Step
from linter.detectors.ci.tables.shapes import normalise_reference
from linter.fast_dataclass import dataclass

#: (command lines, given the step's inputs) for one well-known step.
Runs = Callable[[Mapping[str, object]], list[str]]


@dataclass(frozen=True)
class KnownStep:
    """A step that runs commands this repository cannot show: what, and where that is written."""

    kinds: frozenset[str]
    pattern: re.Pattern[str]
    runs: Runs
    source: str


def commands(step: Step) -> list[tuple[str, str]]:
    """``(command line, source)`` for each command a well-known step runs; ``[]`` otherwise."""
    from linter.detectors.ci.known_table import KNOWN_STEPS

    reference = normalise_reference(step)
    for entry in KNOWN_STEPS:
        if step.kind in entry.kinds and entry.pattern.fullmatch(reference):
            # inputs, and the step's env (super-linter reads VALIDATE_* from env)
            args = {**{k[4:]: v.text for k, v in step.bindings.items() if k.startswith("env.")}, **step.with_args}
            try:
                lines = entry.runs(args)
            except (TypeError, ValueError):
                return []
            return [(line, entry.source) for line in lines if line.strip()]
    return []


def is_known(kind: str, reference: str) -> bool:
    """Whether a step of ``kind`` with the normalised ``reference`` is a well-known step (its
    commands are then added below it and judged; a table that would recognise the reference by
    its name alone must leave it to them)."""
    from linter.detectors.ci.known_table import KNOWN_STEPS

    return any(kind in entry.kinds and entry.pattern.fullmatch(reference) for entry in KNOWN_STEPS)
