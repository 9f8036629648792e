"""How a run's checks are carried out: in one process, or shared by two (``check --jobs 2``).

The engine hands an executor a ``Plan``: the run's tasks (a rule and a scope each), how to
compute one, and which tasks belong to the second process. Both executors return the same
findings, in task order, whatever happens; the engine never knows which one ran.

Why two processes: the rules fall into two families that share little detector work (each
rule's ``placement``, ``linter.checks.rule.Placement``). Python runs one thread at a time, so
on a machine with two cores the documents family (everything that reads Markdown) runs in a
forked child while the parent runs the configuration family (CI, SLOs, infrastructure,
teams, history), and each process reads, imports and parses only what its rules need.

When: ``ForkedExecutor.start`` forks as soon as the file index is built, before the service
scopes are known. Finding the scopes means scanning every YAML file for Backstage entities;
the child does not wait: it computes the facts its rules need that do not depend on the
scopes (each rule's ``early_facts``), then receives the scopes and the parent's Backstage
facts (and which files the parent found unchanged since their kept verdicts, so that it need
not ``lstat`` them again), then runs its share of the tasks.

Guarantees:

* the same findings in the same order as one process: both processes build the same plan
  from the same scopes, and the parent assembles the findings by task index;
* notes the child records (a file it could not read) and what its prefilters learned
  (``linter.runtime.verdicts``) reach the parent;
* any failure of the child (no ``fork``, a crash, a broken message) makes the parent run the
  child's share itself, so the result never depends on the machine; a parent that stops
  early closes the pipes and kills the child;
* the child never touches git processes the parent started early (``gitls.forget``), and
  leaves with ``os._exit``, so it runs none of the parent's exit handlers.

Only Linux forks: elsewhere (and with ``--jobs 1``) ``SerialExecutor`` runs every task.
"""

from __future__ import annotations

import importlib
import os
import pickle
import sys
import threading
from typing import Any, Callable, Iterable, Protocol

from linter import deadline
from linter.checks.registry import REGISTRY
from linter.checks.rule import Placement
from linter.fast_dataclass import dataclass
from linter.repo import gitls
from linter.repo.workspace import Note, Workspace
from linter.results import Finding, Scope

#: Rules placed ``SECOND_WHEN_SMALL`` run in the child below this many indexed files: finding
#: datastores (SEC008) parses the same manifests as the infrastructure rules of the parent,
#: which balances the two processes better in the child on small repositories and in the
#: parent on large ones (``benchmarks/peer.py``).
SMALL_REPOSITORY_FILES = 50_000


@dataclass
class Plan:
    """One run's tasks for a list of scopes: what to compute, and where."""

    tasks: list[tuple[str, Scope]]
    #: the finding of task ``i``
    compute: Callable[[int], Finding]
    #: the tasks of rules placed in the second process
    second: list[int]
    #: starts the git reads the second process's tasks need (service ages), before they run
    prepare: Callable[[], None]


class Executor(Protocol):
    def start(self) -> None:
        """Called once the files are indexed, before the scopes are known."""

    def execute(self, plan: Plan, scopes: list[Scope]) -> list[Finding]:
        """Every task's finding, in task order."""

    def close(self) -> None:
        """Release what ``start`` took (always called, also after an error)."""


def can_fork() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def auto_jobs() -> int:
    """The default of ``--jobs``: two processes when there are two cores to run them."""
    return 2 if can_fork() and (os.cpu_count() or 1) >= 2 else 1


def second_process_rules(indexed_files: int) -> set[str]:
    """The built-in rules the second process runs for a repository of this many indexed files."""
    small = indexed_files < SMALL_REPOSITORY_FILES
    return {rule_id for rule_id, entry in REGISTRY.items()
            if entry.placement is Placement.SECOND or (small and entry.placement is Placement.SECOND_WHEN_SMALL)}


def warm_up_list(rules: Iterable[str]) -> list[str]:
    """The detectors the second process computes before the scopes arrive (``early_facts``)."""
    return list(dict.fromkeys(name for rule in rules if rule in REGISTRY for name in REGISTRY[rule].early_facts))


def for_run(ws: Workspace, jobs: int, chosen: list[str], second: list[str],
            child_plan: Callable[[list[Scope]], Plan]) -> Executor:
    """The executor for a run: two processes only when asked for, possible, and when both
    families have rules to run."""
    if jobs >= 2 and can_fork() and 0 < len(second) < len(chosen):
        return ForkedExecutor(ws, warm_up_list(second), child_plan)
    return SerialExecutor()


class SerialExecutor:
    """Every task in this process."""

    def start(self) -> None:
        pass

    def execute(self, plan: Plan, scopes: list[Scope]) -> list[Finding]:
        plan.prepare()
        return [plan.compute(i) for i in range(len(plan.tasks))]

    def close(self) -> None:
        pass


class ForkedExecutor:
    """The second process forked early; this one runs the rest and assembles both shares."""

    def __init__(self, ws: Workspace, warm: list[str], child_plan: Callable[[list[Scope]], Plan]) -> None:
        self._ws = ws
        self._warm = warm
        self._child_plan = child_plan
        self._fork: _Fork | None = None

    def start(self) -> None:
        self._fork = _start(self._ws, self._warm, self._child_share)

    def _child_share(self, scopes: list[Scope]) -> dict[int, Finding]:
        plan = self._child_plan(scopes)
        plan.prepare()
        return {i: child_compute(plan.compute, i) for i in plan.second}

    def execute(self, plan: Plan, scopes: list[Scope]) -> list[Finding]:
        fork = self._fork
        if fork is None:  # fork failed: everything here
            return SerialExecutor().execute(plan, scopes)
        second = set(plan.second)
        fork.share(scopes)
        mine = {i: plan.compute(i) for i in range(len(plan.tasks)) if i not in second}
        with deadline.phase("waiting for the second process"):
            theirs = fork.collect(second)
        if theirs is None:  # the child failed: the same answers, computed here
            plan.prepare()
            theirs = {i: plan.compute(i) for i in sorted(second)}
        return [mine[i] if i in mine else theirs[i] for i in range(len(plan.tasks))]

    def close(self) -> None:
        if self._fork is not None:
            self._fork.close()


class _Fork:
    """The parent's end of the child: send it the scopes, collect its findings.

    Leaving without ``collect`` (an exception in the parent) closes the pipes, so a child
    waiting for the scopes leaves at once, and reaps it.
    """

    def __init__(self, pid: int, to_child: int, from_child: int, ws: Workspace, known: set[Any]) -> None:
        self.pid: int | None = pid
        self._to_child: int | None = to_child
        self._from_child: int | None = from_child
        self._ws = ws
        self._known = known  # facts computed before the fork: the child has them already

    def share(self, scopes: list[Scope]) -> None:
        """Send the child the scopes, the facts computed since the fork (Backstage), the
        service ages known and the files found unchanged since their kept verdicts
        (``KeptVerdicts.found_true``), by a thread: the message may exceed the pipe's buffer
        while the child is still busy."""
        fd, self._to_child = self._to_child, None
        if fd is None:
            return
        facts = {detector: value for detector, value in self._ws.fact_store.computed_facts().items()
                 if detector not in self._known and _module_level(detector)}
        ages = self._ws.git.history_state()
        kept = self._ws.reader.kept
        found_true = kept.found_true() if kept is not None else None
        try:
            payload = pickle.dumps((scopes, facts, ages, found_true), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - facts that do not pickle: the child computes them again
            try:
                payload = pickle.dumps((scopes, {}, ages, found_true), protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:  # noqa: BLE001 - nothing to send: the child leaves, the parent takes over
                os.close(fd)
                return
        threading.Thread(target=_write_and_close, args=(fd, payload), daemon=True).start()

    def collect(self, expected: set[int]) -> dict[int, Finding] | None:
        """The child's findings for ``expected`` tasks, with its notes and what its prefilters
        learned merged here; ``None`` when it failed (the caller then runs those tasks)."""
        fd, self._from_child = self._from_child, None
        if fd is None:
            return None
        chunks = []
        with os.fdopen(fd, "rb") as pipe:
            while chunk := pipe.read(1 << 16):
                chunks.append(chunk)
        status = self._reap()
        if status != 0:
            return None
        try:  # our own child's bytes, never repository content
            message = pickle.loads(b"".join(chunks))
            if isinstance(message, tuple) and len(message) == 3 and message[0] == _DEADLINE:
                raise deadline.DeadlineExceeded(message[1], message[2])
            out, notes, learned = message
        except deadline.DeadlineExceeded:
            raise
        except Exception:  # noqa: BLE001 - a truncated message means the child failed
            return None
        if not isinstance(out, dict) or set(out) != expected or not all(isinstance(f, Finding) for f in out.values()):
            return None
        for note in notes:
            if isinstance(note, Note):
                self._ws.note(note.path, note.reason)
        kept = self._ws.reader.kept
        if kept is not None and learned is not None:
            kept.merge(learned)
        return out

    def close(self) -> None:
        if self._from_child is not None and self.pid is not None:  # leaving without collecting
            try:
                os.kill(self.pid, 9)  # not a moment longer than the parent (its deadline, its error)
            except OSError:
                pass
        for name in ("_to_child", "_from_child"):
            fd = getattr(self, name)
            if fd is not None:
                setattr(self, name, None)
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._reap()

    def _reap(self) -> int | None:
        if self.pid is None:
            return None
        pid, self.pid = self.pid, None
        try:
            return os.waitpid(pid, 0)[1]
        except ChildProcessError:
            return None


def _start(ws: Workspace, warm: list[str], child_share: Callable[[list[Scope]], dict[int, Finding]]) -> _Fork | None:
    """Fork the child now; ``None`` when fork fails. The child computes the ``warm``
    detectors, waits for the scopes, runs ``child_share(scopes)`` and sends the findings
    back; it never returns from here."""
    known = set(ws.fact_store.computed_facts())
    to_child_r, to_child_w = os.pipe()
    from_child_r, from_child_w = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        for fd in (to_child_r, to_child_w, from_child_r, from_child_w):
            os.close(fd)
        return None
    if pid == 0:
        os.close(to_child_w)
        os.close(from_child_r)
        _child(ws, warm, to_child_r, from_child_w, child_share)
    os.close(to_child_r)
    os.close(from_child_w)
    return _Fork(pid, to_child_w, from_child_r, ws, known)


def _child(ws: Workspace, warm: list[str], read_fd: int, write_fd: int,
           child_share: Callable[[list[Scope]], dict[int, Finding]]) -> None:
    code = 1
    try:
        gitls.forget()
        deadline.rearm_in_child("in the second process")
        for name in warm:
            warm_up(ws, name)
        with os.fdopen(read_fd, "rb") as pipe:
            message = pipe.read()
        scopes, facts, ages, found_true = pickle.loads(message)  # our parent's bytes, never repository content
        ws.fact_store.install_facts(facts)
        ws.git.install_history_state(ages)
        if ws.reader.kept is not None and found_true is not None:
            ws.reader.kept.take_found_true(*found_true)
        out = child_share(scopes)
        kept = ws.reader.kept
        payload = pickle.dumps((out, ws.notes, kept.export() if kept is not None else None),
                               protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_fd, "wb") as pipe:
            pipe.write(payload)
        code = 0
    except deadline.DeadlineExceeded as exc:  # tell the parent what was running; it stops the run
        try:
            with os.fdopen(write_fd, "wb", closefd=False) as pipe:
                pipe.write(pickle.dumps((_DEADLINE, str(exc), exc.what)))
            code = 0
        except BaseException:  # noqa: BLE001 - the parent's own deadline follows anyway
            pass
    except BaseException:  # noqa: BLE001 - the parent notices the exit code and takes over
        pass
    finally:
        os._exit(code)


#: First item of the message a child sends when the run's deadline passed in it.
_DEADLINE = "deadline"


def warm_up(ws: Workspace, name: str) -> None:
    """Compute one detector's facts ahead of the checks (``module.function`` under
    ``linter.detectors``); a detector that raises is left for its checks to report."""
    module, _, function = name.rpartition(".")
    try:
        ws.facts(getattr(importlib.import_module(f"linter.detectors.{module}"), function))
    except Exception:  # noqa: BLE001 - the check calling it turns the error into a result
        pass


def child_compute(compute: Callable[[int], Finding], index: int) -> Finding:
    """One task in the child (a seam for tests that make the child fail)."""
    return compute(index)


def _module_level(detector: Any) -> bool:
    """Whether pickle can name ``detector`` (a detector module's function, not a closure)."""
    module = sys.modules.get(getattr(detector, "__module__", None) or "")
    return module is not None and getattr(module, getattr(detector, "__qualname__", ""), None) is detector


def _write_and_close(fd: int, payload: bytes) -> None:
    try:
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view):]
    except OSError:  # the child is gone: the parent will notice when it collects
        pass
    finally:
        os.close(fd)
