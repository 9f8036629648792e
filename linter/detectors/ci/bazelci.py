"""Bazel CI (Bazel's own Buildkite set-up, used by bazelbuild and many rule sets): the tasks of
``.bazelci/presubmit.yml``.

As documented in bazelbuild/continuous-integration (``buildkite/README.md``, "Configuring a
Pipeline"): a presubmit pipeline reads ``$PROJECT_DIR/.bazelci/presubmit.yml``, and "the
presubmit pipeline is triggered on every pull request" (the pipeline builds pushed commits as
well). A postsubmit configuration may live anywhere the Buildkite settings name: not known
here, so only the presubmit file is read. ``.bcr/presubmit.yml`` is the Bazel Central
Registry's test of a release, run on the registry's pull requests, not on this repository's
changes: not read.

The file's ``tasks`` mapping (or, in the legacy format, ``platforms``) holds one task per key;
each runs, in this order, its ``shell_commands`` (``batch_commands`` on Windows), ``bazel run``
of its ``run_targets``, ``bazel build`` of its ``build_targets``, ``bazel test`` of its
``test_targets`` and ``bazel coverage`` of its ``coverage_targets`` (with ``build_flags``,
``test_flags`` and ``coverage_flags``), in its ``working_directory``. A target list may be a
YAML list or a mapping whose keys are the targets (YAML's ``? target`` set syntax, which
merge keys extend). A ``matrix`` only repeats tasks on other platforms and Bazel versions;
``buildifier`` is a lint step.
"""

from __future__ import annotations

import shlex
from typing import Any

from linter.detectors.ci.model import (
    MAX_JOBS_PER_PIPELINE, MAX_STEPS_PER_JOB, Job, Pipeline, Step, as_dict, first_mapping, text_of,
)
from linter.detectors.ci.refs import ANY_BRANCH
from linter.repo.workspace import Workspace
from linter.repo.yamlio import line_of

SYSTEM = "bazelci"
CONFIG = ".bazelci/presubmit.yml"
#: Presubmit builds run on pull requests and on pushed commits (module docstring).
TRIGGERS = frozenset({"pull_request", "push"})
#: (task key, the bazel verb it runs, the flags key that goes with it)
TARGETS = (("run_targets", "run", "build_flags"), ("build_targets", "build", "build_flags"),
           ("test_targets", "test", "test_flags"), ("coverage_targets", "coverage", "coverage_flags"))
MAX_TARGETS = 500


def detect(ws: Workspace, asked: set[str] | None = None) -> tuple[list[Pipeline], list[str]]:
    """The pipeline of ``.bazelci/presubmit.yml`` (a job per task), and the file read."""
    if not ws.exists(CONFIG):
        return [], []
    data = first_mapping(ws, CONFIG, asked)
    if data is None:
        return [], [CONFIG]
    tasks = data.get("tasks") if isinstance(data.get("tasks"), dict) else as_dict(data.get("platforms"))
    jobs = [_job(key, body, line_of(tasks, key, 1)) for key, body in list(tasks.items())[:MAX_JOBS_PER_PIPELINE]
            if isinstance(body, dict)]
    return [Pipeline(SYSTEM, CONFIG, tuple(sorted(j for j in jobs if j.steps)))], [CONFIG]


def _job(key: Any, body: dict[Any, Any], line: int) -> Job:
    workdir = text_of(body.get("working_directory")).strip()
    steps: list[Step] = []
    for commands_key in ("shell_commands", "batch_commands"):
        value = body.get(commands_key)
        for index, command in enumerate(_items(value)):
            steps.append(Step(CONFIG, line_of(value, index, line_of(body, commands_key, line)), "run", command,
                              workdir=workdir))
    for targets_key, verb, flags_key in TARGETS:
        targets = _items(body.get(targets_key))
        if targets:
            flags = _items(body.get(flags_key))
            command = " ".join(shlex.quote(w) for w in ["bazel", verb, *flags, *targets])
            steps.append(Step(CONFIG, line_of(body, targets_key, line), "run", command, workdir=workdir))
    name = text_of(body.get("name")).strip()
    return Job(text_of(key) or f"task@{line}", CONFIG, line, TRIGGERS, tuple(steps[:MAX_STEPS_PER_JOB]),
               refs=(ANY_BRANCH,), title=name)


def _items(value: Any) -> list[str]:
    """A list of strings, or a mapping's keys (``? target``), non-empty and bounded."""
    items = value if isinstance(value, list) else list(value) if isinstance(value, dict) else []
    return [text_of(v).strip() for v in items[:MAX_TARGETS] if text_of(v).strip()]
