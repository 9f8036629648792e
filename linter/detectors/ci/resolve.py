"""From CI steps to the commands a job really runs: the one resolution layer every CI rule reads.

The command that runs the tests or the scanner is often one step removed from the CI file:
in a matrix value, a shell script the job calls, a package.json script, a make target, a
tox environment, behind ``coverage run`` or ``poetry run``, or inside a well-known shared
step. For every job this produces ``ResolvedCommand``s: each command at a command position
of every text the job runs, with its wrappers peeled, and the hops from the CI line to the
line that runs it (``ci.yml:40 -> scripts/ci/unit.sh:12``).

How, for each step:

1. a packaged step (action, template, orb, task, pipe) is one command with no words; if it
   is a well-known step whose files are elsewhere (``linter.detectors.ci.known``), the
   commands it is documented to run follow it, marked "known step, not read here";
2. a script is expanded once per matrix combination (``linter.detectors.ci.expressions``),
   split into commands (``linter.detectors.ci.shell``), its shell variables and positional
   parameters expanded word by word, ``cd`` followed, ``case "$1"`` branches chosen;
3. each command's wrappers come off (``linter.detectors.ci.wrappers``) and the readers of
   ``linter.detectors.ci.runners`` say what work it hands on (a script file, recipe lines,
   package scripts...), which is read the same way, one hop deeper.

Bounds, because a scanned repository is hostile: ``MAX_DEPTH`` hops, ``MAX_COMMANDS_PER_JOB``
commands, the readers' file budget (``runners.MAX_FILES``), the tokenizer's text cap; a piece
of work already on the current chain (a script that runs itself, ``a.sh`` -> ``b.sh`` ->
``a.sh``) is not read again. Nothing is executed and only repository files are read, through
the workspace.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import posixpath

from linter.detectors.ci import expressions, known, runners
from linter.detectors.ci.model import Bindings, Hop, Job, ResolvedCommand, Step
from linter.detectors.ci.runners import Work, docker
from linter.detectors.ci.shell import shell_commands
from linter.detectors.ci.tables.shapes import normalise_reference
from linter.detectors.ci.wrappers import peel_as_written, program_name
from linter.repo.workspace import Workspace

MAX_DEPTH = 8
MAX_COMMANDS_PER_JOB = 2_000
#: Past this many commands in one run, jobs are read without following their commands
#: into other files (a monorepo of thousands of jobs stays linear and bounded in memory).
MAX_COMMANDS_PER_RUN = 200_000
#: Past this many commands in one run, further jobs are not resolved at all (a note says so):
#: aliases of one long script, or a matrix of hundreds of values, let a file of a megabyte
#: ask for millions of commands, gigabytes of memory, even read without following.
MAX_COMMANDS_HARD = 2 * MAX_COMMANDS_PER_RUN
#: What shell variables may add to the commands of one job, and of a run, in characters plus
#: ``expressions.WORD_COST`` per word (``expressions.shell_words``): past it variables stay
#: as written. Real jobs expand a few hundred characters.
MAX_EXPANSION_PER_JOB = 200_000
MAX_EXPANSION_PER_RUN = 20_000_000
HOP_TEXT = 160
#: Step ``shell:`` values whose script is not shell text (GitHub ``shell: python``).
_NOT_SHELL = frozenset({"python", "python3", "node", "ruby", "perl"})
_DIALECTS = {"pwsh": "pwsh", "powershell": "pwsh", "cmd": "cmd", "bat": "cmd"}


class Resolver:
    """Resolves the jobs of one run, sharing parsed files and the file budget between them."""

    def __init__(self, ws: Workspace | None) -> None:
        self.ctx = runners.Context(ws) if ws is not None else None
        self._images: dict[str, tuple[str, str]] = self.ctx.images if self.ctx is not None else {}
        self.ws = ws
        self._noted = False
        self._noted_run = False
        self._noted_hard = False
        self.total = 0
        #: What shell variables may still add to this run's commands, and to the job being read.
        self.expansion_left = MAX_EXPANSION_PER_RUN
        self.room = [MAX_EXPANSION_PER_JOB]

    @property
    def images(self) -> dict[str, tuple[str, str]]:
        """Images the pipeline being read builds (see ``linter.detectors.ci.runners.docker``)."""
        return self._images

    # ------------------------------------------------------------------ jobs and steps
    def job(self, system: str, job: Job) -> tuple[ResolvedCommand, ...]:
        """Every command of every step of ``job``, in order, children after their parent."""
        out: list[ResolvedCommand] = []
        ctx = self.ctx
        if self.total >= MAX_COMMANDS_HARD:
            self._note_hard_budget()
            return ()
        if self.total >= MAX_COMMANDS_PER_RUN and ctx is not None:
            self._note_run_budget()
            self.ctx = None  # the steps' own commands only
        self.room = [min(MAX_EXPANSION_PER_JOB, self.expansion_left)]
        given = self.room[0]
        try:
            for step in job.steps:
                if len(out) >= MAX_COMMANDS_PER_JOB:
                    break
                self.step(system, step, job.bindings, job.variants, out)
        finally:
            self.ctx = ctx
            self.expansion_left -= given - max(self.room[0], 0)
        if len(out) >= MAX_COMMANDS_PER_JOB:
            self._note_budget(job)
        self.total += min(len(out), MAX_COMMANDS_PER_JOB)
        return tuple(out[:MAX_COMMANDS_PER_JOB])

    def step(self, system: str, step: Step, bindings: Bindings, variants: tuple[Bindings, ...],
             out: list[ResolvedCommand]) -> None:
        """Append the commands of one step to ``out``."""
        merged: Bindings = {**bindings, **step.bindings} if step.bindings else bindings
        if step.kind != "run":
            if self.ctx is not None and normalise_reference(step) == "docker/build-push-action":
                self._record_action_build(step)
            hop = Hop(step.path, step.line, _short(step.text))
            index = len(out)
            out.append(ResolvedCommand((), (hop,), step, non_blocking=step.non_blocking))
            for command, source in known.commands(step):
                if command.startswith("uses: "):  # a packaged step the known step runs
                    inner = dataclasses.replace(step, kind="uses", text=command[6:].strip(), with_args={})
                    out.append(ResolvedCommand((), (hop, Hop(step.path, step.line, _short(command))), inner, (),
                                               index, step.non_blocking, source))
                    continue
                self._text(out, system, step, Work(step.path, step.line, command, step.workdir), merged,
                           (hop,), index, 1, frozenset(), step.non_blocking, source)
            return
        if step.shell.lower() in _NOT_SHELL:
            return
        dialect = _DIALECTS.get(step.shell.lower(), _DIALECTS.get(str(step.with_args.get("shell", "")).lower(), ""))
        for expanded, scope in expressions.expand(system, step.text, variants, merged):
            self._text(out, system, step, Work(step.path, step.line, expanded.text, step.workdir, shell=dialect),
                       scope, (), -1, 0, frozenset(), False, "", expanded)

    # ------------------------------------------------------------------ text
    def _text(self, out: list[ResolvedCommand], system: str, step: Step, work: Work, bindings: Bindings,
              base: tuple[Hop, ...], parent: int, depth: int, chain: frozenset[tuple[object, ...]],
              non_blocking: bool, known_step: str, expanded: expressions.Expanded | None = None) -> None:
        """Commands of one piece of shell text, and, below each, the work it hands on."""
        cwd = work.cwd
        local: dict[str, str] = dict(work.env)
        for command in shell_commands(work.text, 0, work.shell):
            if len(out) >= MAX_COMMANDS_PER_JOB:
                return
            used: list[Hop] = []
            offset, value_hops = expanded.line_of(command.line_offset) if expanded else (command.line_offset, ())
            words = expressions.shell_words(system, command.argv, bindings, local, work.args, used, self.room)
            if not _case_allows(system, command.cases, bindings, local, work.args, self.room):
                continue
            if not words:
                continue
            if _assignments_only(words):
                local.update(w.split("=", 1) for w in words if "=" in w)  # type: ignore[misc]
                continue
            if words[0] == "export" and len(words) > 1:
                local.update(w.split("=", 1) for w in words[1:] if "=" in w)  # type: ignore[misc]
                continue
            if words[0] in ("cd", "pushd"):
                cwd = _cd(cwd, words)
                continue
            stages = peel_as_written(words)
            if not stages:
                continue
            argv = (program_name(stages[-1][0]), *stages[-1][1:])
            hop = Hop(work.path, work.line + offset, _short(" ".join(command.argv)))
            hops = (*base, hop, *value_hops, *used)
            swallowed = non_blocking or command.non_blocking
            index = len(out)
            out.append(ResolvedCommand(argv, hops, step, tuple(words), parent, swallowed, known_step,
                                       tuple((program_name(s[0]), *s[1:]) for s in stages), cwd))
            if self.ctx is None or depth >= MAX_DEPTH or cwd is None:
                continue
            docker.record_build(self.ctx, words, cwd)
            for child in runners.follow(self.ctx, stages, cwd):
                key = (child.path, child.line, child.text[:2_000], child.cwd, child.args)
                if key in chain:
                    continue  # already being read on this chain: a cycle
                self._text(out, system, step, child, bindings, hops, index, depth + 1, chain | {key},
                           swallowed, known_step)

    def _record_action_build(self, step: Step) -> None:
        """``docker/build-push-action`` with ``tags``/``file``/``context``/``target`` builds an
        image a later ``docker run`` of the job may run."""
        args = {str(k).lower(): str(v) for k, v in step.with_args.items()}
        context = args.get("context", ".")
        words = ["docker", "build", *(w for tag in args.get("tags", "").replace(",", "\n").split("\n")
                                        if tag.strip() for w in ("-t", tag.strip()))]
        if args.get("file"):
            words += ["-f", args["file"]]
        if args.get("target"):
            words += ["--target", args["target"]]
        docker.record_build(self.ctx, (*words, context), step.workdir)  # type: ignore[arg-type]

    def _note_run_budget(self) -> None:
        if not self._noted_run and self.ws is not None:
            self._noted_run = True
            self.ws.note(".", f"CI jobs resolve to more than {MAX_COMMANDS_PER_RUN} commands; the rest are read "
                              "without following their scripts and task runners")

    def _note_hard_budget(self) -> None:
        if not self._noted_hard and self.ws is not None:
            self._noted_hard = True
            self.ws.note(".", f"CI jobs resolve to more than {MAX_COMMANDS_HARD} commands; the jobs read after that "
                              "were not resolved to commands")

    def _note_budget(self, job: Job) -> None:
        if not self._noted and self.ws is not None:
            self._noted = True
            self.ws.note(job.path, f"job {job.name} resolves to more than {MAX_COMMANDS_PER_JOB} commands; "
                                   "the rest were not read")


# --------------------------------------------------------------------------- helpers
def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= HOP_TEXT else text[: HOP_TEXT - 1] + "…"


def _assignments_only(words: tuple[str, ...]) -> bool:
    return all("=" in w and w.split("=", 1)[0].replace("_", "a").isalnum() and not w[0].isdigit() for w in words)


def _cd(cwd: str, words: tuple[str, ...]) -> str | None:
    """The folder after ``cd DIR``: ``None`` (unknown) when it cannot be told."""
    target = next((w for w in words[1:] if not w.startswith("-")), "")
    if not target or "$" in target or target.startswith(("/", "~")):
        name = target.lstrip("$").strip("{}") if target.startswith("$") else ""
        return "" if name in expressions.WORKSPACE_VARIABLES else None
    joined = posixpath.normpath(posixpath.join(cwd or ".", target.replace("\\", "/")))
    if joined == ".":
        return ""
    return None if joined.startswith("..") else joined


def _case_allows(system: str, cases: tuple[tuple[str, tuple[str, ...]], ...], bindings: Bindings,
                 local: dict[str, str], args: tuple[str, ...] | None, budget: list[int] | None = None) -> bool:
    """False when a ``case`` branch the command sits in cannot match its subject's known value."""
    for subject, patterns in cases:
        value = expressions.shell_words(system, (subject,), bindings, local, args, [], budget)
        if len(value) != 1 or "$" in value[0]:
            continue  # unknown subject: every branch may run
        if not any(len(p) > 200 or fnmatch.fnmatchcase(value[0], p.strip("\"'")) for p in patterns):
            return False
    return True


def resolve_step(step: Step) -> tuple[ResolvedCommand, ...]:
    """The commands of one step alone, nothing followed (a pre-commit hook's entry, a script
    a load-test detector reads): no workspace, no bindings."""
    out: list[ResolvedCommand] = []
    Resolver(None).step("", step, {}, (), out)
    return tuple(out)
