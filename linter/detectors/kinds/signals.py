"""What a file says about the kind of code around it: one ``Signal`` per piece of evidence.

Signals are ranked by how directly they say what the code *is*:

* ``DEPLOY``: the code itself is deployed as a running program (a Dockerfile whose image
  serves on a port, a Procfile ``web`` process, a Compose service built from this folder
  that publishes a port, a serverless function, a platform's app configuration, a Kubernetes
  workload or Helm chart beside the Dockerfile that builds its image, a build that produces a
  web application). A service repository often publishes a client package too; a library
  is rarely deployed, so deployment outranks publishing.
* ``INFRA_ROOT``: infrastructure code at the scope's root (a Terraform module or root
  configuration, a Pulumi project): the scope *is* infrastructure.
* ``INSTALLED``: a program or plugin packaged for people to install into a device or a host
  application, as a whole: an Android application with its store listing, a browser
  extension, a Grafana plugin. What such a repository ships is that package; the library
  modules, ``package.json`` or ``go.mod`` beside it are how it is built (the Grafana plugin's
  backend, an extension's page API), so it outranks publishing metadata.
* ``PUBLISH``: publishing metadata (a Python, npm, Cargo, Go, Maven, Gradle, .NET, Ruby or
  PHP package; a GitHub Action; a Jsonnet mixin; a Helm library chart): library or tool.
* ``BUILT``: code built here that nothing in the repository publishes or releases: a Gradle
  ``java-library`` without a publishing plugin, an Android application without a store
  listing. It decides only when nothing is published (an app's own lint-check module beside
  it); a published library outranks the sample and reproduction apps in its build.
* ``INFRA``: infrastructure below the root with no program of its own (Helm charts,
  Kubernetes manifests of images built elsewhere, CloudFormation templates).
* ``SHAPE``: the repository is mostly documents (a documentation site generator at the root,
  or Markdown making up most of the files).
"""

from __future__ import annotations

from linter.fast_dataclass import dataclass

DEPLOY = 40
INFRA_ROOT = 30
INSTALLED = 25
PUBLISH = 20
BUILT = 15
INFRA = 10
SHAPE = 0


@dataclass(frozen=True, order=True)
class Signal:
    """One file's evidence that the code around it is of ``kind``."""

    path: str
    line: int
    kind: str
    rank: int
    detail: str  # a short clause: "EXPOSE 3000: the image serves on a port"

    @property
    def directory(self) -> str:
        return self.path.rsplit("/", 1)[0] if "/" in self.path else "."

    def depth(self) -> int:
        return self.path.count("/")
