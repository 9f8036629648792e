"""Deployment of the code itself: evidence that a folder's program runs as a service.

Each reader follows its platform's documented format: Docker's Dockerfile reference, the
Compose specification (``build`` and published ``ports``), Heroku's Procfile and
``app.json``, Fly.io's ``fly.toml``, App Engine's ``app.yaml``, the Serverless Framework's
``serverless.yml``, AWS SAM's ``Transform: AWS::Serverless``, the Azure Developer CLI's
``azure.yaml``, Render's ``render.yaml``, Vercel, Netlify and Firebase Hosting
configuration, Kubernetes workloads and Helm charts (``Chart.yaml`` ``type``), and ko's
``.ko.yaml`` (images built from Go programs without a Dockerfile).
"""

from __future__ import annotations

from typing import Any, Iterable

from linter.detectors import infra_k8s
from linter.detectors.kinds import dockerfile
from linter.detectors.kinds.packages import first_document, line_of_text
from linter.detectors.kinds.signals import DEPLOY, PUBLISH, Signal
from linter.repo.workspace import Workspace
from linter.repo.yamlio import line_of

APP_ENGINE_RUNTIMES = ("python", "nodejs", "go", "java", "php", "ruby", "dotnet", "custom")
AZD_WEBSITE_HOSTS = frozenset({"staticwebapp"})
#: Kubernetes kinds that run a long-lived program (Jobs and CronJobs run to completion).
LONG_RUNNING = frozenset({"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Rollout", "Service",
                          "DeploymentConfig", "ReplicationController"})


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def dockerfile_signals(ws: Workspace, paths: Iterable[str]) -> tuple[list[Signal], list[str]]:
    """Server images (service), static-file images (website), and every shipped Dockerfile
    (the images this repository builds, which makes its Kubernetes workloads its own)."""
    found: list[Signal] = []
    builders: list[str] = []
    for path in paths:
        if not dockerfile.is_dockerfile(path):
            continue
        text = ws.read_text(path)
        image = dockerfile.read_image(text) if text is not None else None
        if image is None or not image.copies_context:
            continue  # someone else's program, repackaged: not what this repository is
        builders.append(path)
        if image.base in dockerfile.STATIC_SERVERS and not image.command_line:
            found.append(Signal(path, image.expose_line or 1, "website", DEPLOY,
                                f"the image serves static files from {image.base}"))
        elif image.command_line:
            found.append(Signal(path, image.command_line, "service", DEPLOY,
                                f"{_clip(image.command)}: the image starts a server"))
        elif image.expose_line:
            found.append(Signal(path, image.expose_line, "service", DEPLOY,
                                f"EXPOSE {_clip(image.expose)}: the image serves on a port"))
    return found, builders


#: ko's configuration (ko.build/configuration): ``.ko.yaml`` in the folder ko builds from,
#: setting the base images or the Go builds of the images it makes without a Dockerfile.
KO_CONFIG = ".ko.yaml"
KO_KEYS = frozenset({"defaultBaseImage", "baseImageOverrides", "builds", "defaultPlatforms", "defaultFlags",
                     "defaultLdflags", "defaultEnv"})


def ko_builders(ws: Workspace, paths: Iterable[str]) -> list[str]:
    """The ``.ko.yaml`` files among ``paths`` that configure ko: ko builds container images
    straight from the repository's Go programs, so its Kubernetes workloads and Helm charts
    deploy an image built here, as a Dockerfile's would."""
    found: list[str] = []
    for path in paths:
        if _name(path) != KO_CONFIG:
            continue
        data = first_document(ws, path)
        if isinstance(data, dict) and KO_KEYS & {k for k in data if isinstance(k, str)}:
            found.append(path)
    return found


def _clip(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def platform_signals(ws: Workspace, paths: Iterable[str]) -> list[Signal]:
    found: list[Signal] = []
    for path in paths:
        name = _name(path)
        reader = _READERS.get(name)
        if reader is not None:
            found.extend(reader(ws, path))
    return found


def _procfile(ws: Workspace, path: str) -> list[Signal]:
    text = ws.read_text(path) or ""
    for number, line in enumerate(text.splitlines()[:1000], start=1):
        process, sep, command = line.partition(":")
        if sep and process.strip() in ("web", "worker") and command.strip() and not line.lstrip().startswith("#"):
            return [Signal(path, number, "service", DEPLOY, f"a `{process.strip()}` process runs on the platform")]
    return []


def _fly(ws: Workspace, path: str) -> list[Signal]:
    data = _toml(ws, path)
    if data and ("http_service" in data or "services" in data or "processes" in data):
        return [Signal(path, 1, "service", DEPLOY, "a Fly.io application")]
    return []


def _toml(ws: Workspace, path: str) -> dict[str, Any] | None:
    loaded = ws.read_toml(path)
    return loaded[0] if loaded else None


def _app_engine(ws: Workspace, path: str) -> list[Signal]:
    data = first_document(ws, path)
    runtime = data.get("runtime") if isinstance(data, dict) else None
    if isinstance(runtime, str) and runtime.startswith(APP_ENGINE_RUNTIMES):
        return [Signal(path, line_of(data, "runtime", 1), "service", DEPLOY, f"an App Engine service ({runtime})")]
    return []


def _serverless(ws: Workspace, path: str) -> list[Signal]:
    data = first_document(ws, path)
    if isinstance(data, dict) and isinstance(data.get("functions"), dict) and data.get("functions") \
            and "provider" in data:
        return [Signal(path, line_of(data, "functions", 1), "service", DEPLOY, "Serverless Framework functions")]
    return []


def _azd(ws: Workspace, path: str) -> list[Signal]:
    data = first_document(ws, path)
    services = data.get("services") if isinstance(data, dict) else None
    if not isinstance(services, dict):
        return []
    hosts = {str(s.get("host")) for s in services.values() if isinstance(s, dict)}
    kind = "website" if hosts and hosts <= AZD_WEBSITE_HOSTS else "service"
    return [Signal(path, line_of(data, "services", 1), kind, DEPLOY,
                   f"Azure Developer CLI deploys {', '.join(sorted(str(k) for k in services)[:4])}")]


def _render(ws: Workspace, path: str) -> list[Signal]:
    data = first_document(ws, path)
    services = data.get("services") if isinstance(data, dict) else None
    if isinstance(services, list):
        types = {s.get("type") for s in services if isinstance(s, dict)}
        if types & {"web", "worker", "pserv", "cron"}:
            return [Signal(path, line_of(data, "services", 1), "service", DEPLOY, "Render services")]
        if "static" in types:
            return [Signal(path, line_of(data, "services", 1), "website", DEPLOY, "a Render static site")]
    return []


def _heroku_app(ws: Workspace, path: str) -> list[Signal]:
    data = ws.read_json(path, lenient=True)
    if isinstance(data, dict) and "expo" not in data and ({"formation", "buildpacks", "addons", "stack"} & set(data)):
        return [Signal(path, 1, "service", DEPLOY, "a Heroku application manifest")]
    return []


def _heroku_yml(ws: Workspace, path: str) -> list[Signal]:
    data = first_document(ws, path)
    if isinstance(data, dict) and isinstance(data.get("build"), dict):
        return [Signal(path, line_of(data, "build", 1), "service", DEPLOY, "Heroku builds and runs this image")]
    return []


def _vercel(ws: Workspace, path: str) -> list[Signal]:
    """Vercel: a website; a service when it configures the project's own server code
    (``crons``, which call its functions on a schedule, or ``functions`` settings)."""
    data = ws.read_json(path, lenient=True)
    if not isinstance(data, dict):
        return []
    for key, what in (("crons", "cron jobs that call its functions"), ("functions", "its serverless functions")):
        if isinstance(data.get(key), (list, dict)) and data[key]:
            return [Signal(path, line_of_text(ws.read_text(path), f'"{key}"'), "service", DEPLOY,
                           f"deployed on Vercel with {what} ({key})")]
    return [Signal(path, 1, "website", DEPLOY, "deployed on Vercel")]


def _netlify(ws: Workspace, path: str) -> list[Signal]:
    return [Signal(path, 1, "website", DEPLOY, "deployed on Netlify")] if _toml(ws, path) is not None else []


def _firebase(ws: Workspace, path: str) -> list[Signal]:
    data = ws.read_json(path, lenient=True)
    if isinstance(data, dict) and data.get("hosting"):
        return [Signal(path, 1, "website", DEPLOY, "Firebase Hosting serves it")]
    return []


_READERS = {
    "Procfile": _procfile, "fly.toml": _fly, "app.yaml": _app_engine, "app.yml": _app_engine,
    "serverless.yml": _serverless, "serverless.yaml": _serverless, "azure.yaml": _azd, "azure.yml": _azd,
    "render.yaml": _render, "app.json": _heroku_app, "heroku.yml": _heroku_yml, "vercel.json": _vercel,
    "netlify.toml": _netlify, "firebase.json": _firebase,
}
PLATFORM_FILES = frozenset(_READERS)


def sam_signals(ws: Workspace, paths: Iterable[str]) -> list[Signal]:
    """AWS SAM templates: ``Transform: AWS::Serverless-2016-10-31`` with a function or API."""
    found: list[Signal] = []
    for path in paths:
        data = first_document(ws, path)
        if not isinstance(data, dict):
            continue
        transform = data.get("Transform")
        transforms = transform if isinstance(transform, list) else [transform]
        if not any(isinstance(t, str) and t.startswith("AWS::Serverless") for t in transforms):
            continue
        resources = data.get("Resources")
        if isinstance(resources, dict) and any(
                isinstance(r, dict) and str(r.get("Type", "")).startswith("AWS::Serverless::") for r in resources.values()):
            found.append(Signal(path, line_of(data, "Transform", 1), "service", DEPLOY, "an AWS SAM application"))
    return found


#: Compose's ``restart`` policies that keep a container running (the specification's
#: ``always``, ``unless-stopped`` and ``on-failure[:max-retries]``; ``"no"`` is the default).
KEPT_RUNNING = ("always", "unless-stopped", "on-failure")


def compose_signals(ws: Workspace, paths: Iterable[str]) -> list[Signal]:
    """Compose services built from this repository (``build``) that publish a port, or that
    Compose keeps running (a ``restart`` policy): a daemon with no port, such as a bot or a
    queue consumer, is a long-running program too."""
    found: list[Signal] = []
    for path in paths:
        data = first_document(ws, path)
        services = data.get("services") if isinstance(data, dict) else None
        if not isinstance(services, dict):
            continue
        for name, spec in services.items():
            if not isinstance(spec, dict) or not spec.get("build"):
                continue
            restart = spec.get("restart")
            if spec.get("ports"):
                found.append(Signal(path, line_of(services, name, 1), "service", DEPLOY,
                                    f"Compose service {str(name)[:40]} is built here and publishes a port"))
                break
            if isinstance(restart, str) and restart.split(":", 1)[0] in KEPT_RUNNING:
                found.append(Signal(path, line_of(spec, "restart", 1), "service", DEPLOY,
                                    f"Compose service {str(name)[:40]} is built here and kept running "
                                    f"(restart: {restart[:20]})"))
                break
    return found


def workload_signals(ws: Workspace, product: frozenset[str]) -> list[Signal]:
    """Long-running Kubernetes workloads (``service`` when the scope builds an image, which
    ``decide`` checks; otherwise they are infrastructure someone else's images run on)."""
    found: list[Signal] = []
    for workload in ws.facts(infra_k8s.detect).workloads:
        if workload.kind in LONG_RUNNING and workload.path in product and not workload.engines:
            found.append(Signal(workload.path, workload.line, "workload", DEPLOY,
                                f"Kubernetes {workload.kind} {workload.name[:40]}"))
    return found


def helm_signals(ws: Workspace, paths: Iterable[str]) -> list[Signal]:
    """``Chart.yaml``: ``type: library`` charts are libraries; application charts deploy
    (their own image's, when the scope builds one, as ``decide`` checks)."""
    found: list[Signal] = []
    for path in paths:
        data = first_document(ws, path)
        if not isinstance(data, dict) or not isinstance(data.get("name"), str):
            continue
        if data.get("type") == "library":
            found.append(Signal(path, line_of(data, "type", 1), "library", PUBLISH, "a Helm library chart"))
        else:
            found.append(Signal(path, line_of(data, "name", 1), "workload", DEPLOY, f"Helm chart {data['name'][:40]}"))
    return found
