"""Integration environments a job builds for itself: a throwaway cluster or a Compose stack.

A job that creates a kind, k3d, k3s, minikube or microk8s cluster (or starts a Docker
Compose stack) and then runs ``kubectl apply`` or ``helm install`` against it is testing the
software in an environment nobody else uses: its ``kubectl``/``helm`` commands are not a
deployment, and the job itself is a test job (weak evidence for DEL003, see
``linter.detectors.ci.weak``). Recognised from what the job resolves to: the actions that set
such a cluster up, and the commands that create one (in the CI file, a script or a make
target alike), by the programs' documented verbs, never by words in the text.

One Compose stack is not a throwaway: started detached (``up -d``) by a job on a
**self-hosted** runner that runs no tests and does not take the stack down again, it keeps
running on the team's own machine after the job ends. That is how many small teams deploy
(a runner on the server, ``docker compose up -d``): ``deployed_stack`` finds it, and
``linter.detectors.ci.stages.deploy_jobs`` counts it as a deployment.
"""

from __future__ import annotations

from typing import Callable

from linter.detectors.ci.model import Job, ResolvedCommand
from linter.detectors.ci.tables.shapes import normalise_reference
from linter.fast_dataclass import dataclass

#: Actions that create a local cluster in the job (GitHub Marketplace).
CLUSTER_ACTIONS = frozenset({
    "helm/kind-action", "engineerd/setup-kind", "container-tools/kind-action", "medyagh/setup-minikube",
    "manusa/actions-setup-minikube", "absaoss/k3d-action", "nolar/setup-k3d-k3s", "debianmaintainers/k3s",
    "balchua/microk8s-actions", "jupyterhub/action-k3s-helm", "rancher/setup-k3d",
})
#: ``(program, words)`` that create or load a local cluster: kind/k3d/minikube/ctlptl verbs.
_CLUSTER_VERBS = {
    "kind": (("create", "cluster"), ("load", "docker-image"), ("load", "image-archive")),
    "k3d": (("cluster", "create"), ("image", "import")),
    "minikube": (("start",), ("image", "load")),
    "ctlptl": (("create",), ("apply",)),
    "microk8s": (("status",), ("enable",), ("start",)),
    "k3s": (("server",),),
}
#: Installers piped to a shell that set a cluster up (``curl -sfL https://get.k3s.io | sh -``).
_INSTALLER_HOSTS = ("get.k3s.io",)


@dataclass(frozen=True)
class Environment:
    """What a job builds for itself, and where."""

    kind: str  # "cluster" or "stack"
    detail: str
    path: str
    line: int


def integration_environment(job: Job) -> Environment | None:
    """The first local cluster or Compose stack the job creates, if any."""
    for command in job.commands:
        found = _environment(command)
        if found is not None:
            hop = command.hops[0]
            return Environment(found[0], found[1], hop.path, hop.line)
    return None


def _environment(command: ResolvedCommand) -> tuple[str, str] | None:
    if command.is_reference:
        if command.step.kind == "uses" and normalise_reference(command.step) in CLUSTER_ACTIONS:
            return "cluster", command.step.text
        return None
    argv = command.argv
    if not argv:
        return None
    words = tuple(w for w in argv[1:] if not w.startswith("-"))
    for verbs in _CLUSTER_VERBS.get(argv[0], ()):
        if words[: len(verbs)] == verbs:
            return "cluster", " ".join(argv[:4])
    if argv[0] == "snap" and words[:2] == ("install", "microk8s"):
        return "cluster", " ".join(argv[:4])
    if argv[0] in ("curl", "wget") and any(host in word for word in argv[1:] for host in _INSTALLER_HOSTS):
        return "cluster", " ".join(argv[:4])
    if _compose_up(argv):
        return "stack", " ".join(argv[:4])
    return None


def _compose_up(argv: tuple[str, ...]) -> bool:
    """``docker compose up``/``docker-compose up``/``podman compose up`` (a stack it starts)."""
    return _compose_verb(argv)[:1] == ("up",)


def _compose_verb(argv: tuple[str, ...]) -> tuple[str, ...]:
    """The words of a Compose command from its verb on (``("up", "-d")``), or ``()``."""
    if not argv:
        return ()
    if argv[0] == "docker-compose" or argv[0] == "podman-compose":
        rest = argv[1:]
    elif argv[0] in ("docker", "podman") and len(argv) > 1 and argv[1] == "compose":
        rest = argv[2:]
    else:
        return ()
    index = 0
    while index < len(rest) and rest[index].startswith("-"):
        index += 2 if rest[index] in ("-f", "--file", "-p", "--project-name", "--env-file", "--profile") else 1
    return tuple(rest[index:])


def deployed_stack(job: Job, runs_tests: Callable[[Job], bool]) -> Environment | None:
    """A Compose stack the job leaves running on a self-hosted runner (see the module
    docstring); ``runs_tests`` says whether a job runs a test command (then the stack is what
    the tests run against), asked only of jobs on self-hosted runners."""
    if "self-hosted" not in job.runner or runs_tests(job):
        return None
    found: Environment | None = None
    for command in job.commands:
        words = _compose_verb(command.argv) if not command.is_reference else ()
        if words[:1] in (("down",), ("stop",), ("rm",)):
            return None  # taken down again: a throwaway after all
        if found is None and words[:1] == ("up",) and any(w in ("-d", "--detach") or (
                w.startswith("-") and not w.startswith("--") and "d" in w) for w in words[1:]):
            hop = command.hops[0]
            program = command.argv[:2] if command.argv[0] in ("docker", "podman") else command.argv[:1]
            found = Environment("stack", " ".join((*program, *words[:2])), hop.path, hop.line)
    return found
