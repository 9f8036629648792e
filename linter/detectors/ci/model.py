"""Typed facts shared by every CI system: pipelines, jobs, steps, the commands they resolve to.

Each CI format is parsed once into the same small model so that rules about *what runs when*
(dependency scanning, SAST, tests on every change, deployment) can ask one question of every
system: "which commands run in a job triggered by which events?". Steps keep the file and line
they were written on; a ``ResolvedCommand`` keeps every hop from that line to the line that
really runs the command (a matrix value, a script, a package.json script, a make recipe...),
so evidence always points at the source.
"""

from __future__ import annotations

import re
from typing import Any, Iterator, Mapping

from linter.fast_dataclass import dataclass, field

#: Every trigger a job can carry. ``call`` = only when another workflow calls it.
TRIGGERS = frozenset({"pull_request", "push", "merge_group", "schedule", "manual", "call", "other"})
#: Triggers that run a job on each proposed or pushed change.
PER_CHANGE = frozenset({"pull_request", "push", "merge_group"})
#: Kinds of step the parsers produce.
STEP_KINDS = frozenset({"uses", "run", "include", "orb", "task", "pipe"})
#: Step kinds that name a packaged step (action, template, orb, task, pipe) rather than a script.
REFERENCE_KINDS = STEP_KINDS - {"run"}

#: Bounds that keep a hostile repository from stalling a run.
MAX_STEPS_PER_JOB = 2_000
MAX_JOBS_PER_PIPELINE = 2_000
MAX_SCRIPT_CHARS = 200_000


@dataclass(frozen=True, order=True)
class Value:
    """A value a variable, parameter or expression can take, and where it was written."""

    text: str
    path: str
    line: int


#: Names an expression or variable can refer to, with their values: ``matrix.os``,
#: ``env.CARGO``, ``inputs.version``, ``parameters.tests``, ``var.buildconfiguration``...
#: (see ``linter.detectors.ci.expressions`` for which syntax of which system reads which name).
Bindings = Mapping[str, Value]
NO_BINDINGS: Bindings = {}


@dataclass(frozen=True, order=True)
class Step:
    """One thing a job does: an action/template/orb/task/pipe reference or a shell script.

    ``text`` is the reference (``actions/dependency-review-action@v4``) or the script body;
    ``with_args`` holds the inputs (``with:``, ``inputs:``, ``variables:``) as plain values.
    ``non_blocking`` is set when the CI system is told to ignore the step's failure.
    ``bindings`` are the step's own variables (``env:``, a composite action's ``inputs``),
    ``workdir`` the folder it runs in (``working-directory``), ``shell`` the shell a script
    step names (``pwsh``, ``cmd``, ``python``...), ``name`` its display name.
    """

    path: str
    line: int
    kind: str
    text: str
    with_args: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)
    non_blocking: bool = False
    bindings: Bindings = field(default_factory=dict, compare=False, hash=False)
    workdir: str = field(default="", compare=False)
    shell: str = field(default="", compare=False)
    name: str = field(default="", compare=False)


@dataclass(frozen=True, order=True)
class Hop:
    """One link from a CI file to the command that runs: a file, a line, what is written there."""

    path: str
    line: int
    text: str


@dataclass(frozen=True)
class ResolvedCommand:
    """A command a job really runs, or a packaged step it references, with its provenance.

    ``argv`` holds the effective words (wrappers such as ``poetry run`` or ``timeout 10m``
    peeled off, the program name normalised); it is empty for a reference step, whose
    ``step`` says what it is. ``raw`` is the command as written (after expressions and
    variables were resolved). ``hops`` run from the CI file's line to the line that runs the
    command: ``ci.yml:40 -> scripts/ci/unit.sh:12``. ``parent`` is the index, in the job's
    commands, of the command that handed this one its work (a ``make`` or ``npm run`` line),
    or ``-1``: a judge that recognises a command by its own name does not look below it.
    ``known_step`` is set when the command stands for what a well-known step runs, a step
    that cannot be read here (``linter.detectors.ci.known``): where that was learned.
    ``cwd`` is the folder the command runs in, relative to the repository root (``""`` or
    ``.`` for the root), after the step's working directory and every ``cd`` before it;
    ``None`` when a ``cd`` went where it cannot be followed.
    """

    argv: tuple[str, ...]
    hops: tuple[Hop, ...]
    step: Step
    raw: tuple[str, ...] = ()
    parent: int = -1
    non_blocking: bool = False
    known_step: str = ""
    #: ``argv`` at each stage of peeling, outermost first (``yarn test`` then ``test``): a
    #: judge reads the innermost stage it knows.
    stages: tuple[tuple[str, ...], ...] = ()
    cwd: str | None = field(default="", compare=False)

    @property
    def is_reference(self) -> bool:
        return not self.argv and self.step.kind in REFERENCE_KINDS


@dataclass(frozen=True, order=True)
class Job:
    """A unit of work and the events that start it.

    ``via`` says how the job was reached when it is not written where it runs (a reusable
    workflow called from another file, a local include): evidence stays on the step's own
    file and line, the message can still name the caller.
    """

    name: str
    path: str
    line: int
    triggers: frozenset[str]
    steps: tuple[Step, ...] = ()
    non_blocking: bool = False
    via: str = ""
    #: Deployment environment the job declares (GitHub/GitLab ``environment:``), else ``""``.
    environment: str = field(default="", compare=False)
    #: GitLab ``stage`` (``deploy``...), else ``""``.
    stage: str = field(default="", compare=False)
    #: Refs a push runs the job on (see ``linter.detectors.ci.refs``); ``()`` = not recorded.
    refs: tuple[str, ...] = field(default=(), compare=False)
    #: The job's variables (``env``, ``variables``, parameters, reusable-workflow ``inputs``).
    bindings: Bindings = field(default_factory=dict, compare=False, hash=False)
    #: One binding set per matrix combination (``matrix.os``...); ``()`` = no matrix.
    variants: tuple[Bindings, ...] = field(default=(), compare=False, hash=False)
    #: Display name (GitHub ``name:``, Azure ``displayName``), else ``""``.
    title: str = field(default="", compare=False)
    #: What the job really runs, filled by ``linter.detectors.ci.resolve`` after parsing.
    commands: tuple[ResolvedCommand, ...] = field(default=(), compare=False, hash=False)
    #: Labels of the machine the job runs on (GitHub ``runs-on``, lower case), ``()`` = not
    #: recorded: ``self-hosted`` says the job runs on a machine the team keeps.
    runner: tuple[str, ...] = field(default=(), compare=False)

    @property
    def per_change(self) -> bool:
        """Whether the changes themselves start the job: a pull or merge request, the merge
        queue, or a push of a branch. A push trigger limited to tags (``on: push: tags: [v*]``,
        a ``refs/tags/*`` rule) runs on releases, not on every change; so does one limited to
        release lines (``branches: [release/*]``, ``release_line``)."""
        if self.triggers & (PER_CHANGE - {"push"}):
            return True
        return "push" in self.triggers and (not self.refs or any(
            r.startswith("branch:") and not release_line(r) for r in self.refs))


#: Branches that carry merged work onward (release lines, maintenance lines, environments),
#: never a change under review: as a name (``stable``) or a namespace (``release/*``).
RELEASE_LINES = frozenset({"release", "releases", "rel", "stable", "maintenance", "support", "lts",
                           "production", "prod", "staging", "deploy", "gh-pages"})


def release_line(ref: str) -> bool:
    """Whether a push filter names only a release line (``branch:release/*``, ``branch:stable``,
    ``branch:support/1.x``): changes reach those branches after they merge, so pushes there
    are not every change. Other namespaces (``feature/*``, ``tests/*``) may be where every
    change is pushed (git-flow), and ``branch:*``, ``branch:main`` or ``branch:develop`` may
    be the branch changes merge into: none of them is a release line."""
    name = ref.removeprefix("branch:")
    head = name.partition("/")[0].lower()
    return head in RELEASE_LINES and not any(c in name.partition("/")[0] for c in "*?[]{}!$")


@dataclass(frozen=True, order=True)
class Pipeline:
    """One CI configuration file (or entry point) of one CI system."""

    system: str
    path: str
    jobs: tuple[Job, ...] = ()


@dataclass(frozen=True, order=True)
class UpdateBot:
    """Dependabot or Renovate configuration: proposes upgrades, never gates a change."""

    tool: str
    path: str
    line: int
    ecosystems: tuple[str, ...] = ()


@dataclass(frozen=True)
class CiFacts:
    """Everything the CI detectors found in one repository, sorted."""

    pipelines: tuple[Pipeline, ...] = ()
    bots: tuple[UpdateBot, ...] = ()
    files_read: tuple[str, ...] = ()
    #: CI configuration files (entry files and the local files they include, extend or call:
    #: composite actions, templates...) that could not be used: too large, binary, not UTF-8,
    #: YAML that does not parse. A rule that did not find what it looks for cannot say it is
    #: absent while one of these belongs to its scope (``linter.checks.unreadable``).
    unusable: tuple[str, ...] = ()

    def jobs(self) -> Iterator[tuple[Pipeline, Job]]:
        for pipeline in self.pipelines:
            for job in pipeline.jobs:
                yield pipeline, job

    @property
    def systems(self) -> tuple[str, ...]:
        return tuple(sorted({p.system for p in self.pipelines}))


# --------------------------------------------------------------------------- helpers
def as_dict(value: Any) -> dict[Any, Any]:
    """``value`` when it is a mapping, else an empty one: YAML may hold anything anywhere."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    """``value`` when it is a list, else an empty one."""
    return value if isinstance(value, list) else []


def is_true(value: Any) -> bool:
    """YAML ``true`` or the string ``"true"``; expressions like ``${{ x }}`` are not certain."""
    if isinstance(value, bool):
        return value
    return isinstance(value, str) and value.strip().lower() == "true"


def text_of(value: Any) -> str:
    """A scalar as text (numbers and booleans included), or ``""`` for containers/None."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    return ""


def plain_args(value: Any) -> dict[str, Any]:
    """Inputs of a step as a plain ``{str: scalar-or-text}`` mapping (containers dropped)."""
    out: dict[str, Any] = {}
    for key, item in as_dict(value).items():
        if isinstance(item, (str, int, float, bool)):
            out[str(key)] = item
    return out


_BLOCK_SCALAR = re.compile(r"[|>][0-9+-]{0,3}[ \t]*(?:#.*)?$")


def content_line(ws: Any, path: str, line: int) -> int:
    """Line where a scalar written on ``line`` starts: the next one for ``|``/``>`` blocks.

    Script evidence must point at the first command, not at ``run: |``.
    """
    lines = ws.read_lines(path) if line > 0 else None
    if lines and line <= len(lines) and _BLOCK_SCALAR.search(lines[line - 1]):
        return line + 1
    return line


def yaml_documents(ws: Any, path: str, asked: set[str] | None = None) -> list[Any]:
    """Data of every document of a YAML file that parsed (parse errors are noted by ``ws``).

    A CI parser passes ``asked``, the set of configuration files it has asked for, which its
    caller (``linter.detectors.ci.detect``) owns: ``path`` joins it before it is read, so the
    files a pipeline includes, extends or calls, and whatever a parser read before it failed,
    are known without each parser listing them.
    """
    if asked is not None:
        asked.add(path)
    parsed = ws.read_yaml(path)
    if parsed is None:
        return []
    return [doc.data for doc in parsed.documents]


def first_mapping(ws: Any, path: str, asked: set[str] | None = None) -> dict[Any, Any] | None:
    """The first document that is a mapping; CI files hold one document in practice
    (``asked`` as for ``yaml_documents``)."""
    for data in yaml_documents(ws, path, asked):
        if isinstance(data, dict):
            return data
    return None
