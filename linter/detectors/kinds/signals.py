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
* ``PUBLISH``: publishing metadata (a Python, npm, Cargo, Go, Maven, Gradle, .NET, Ruby or
  PHP package; a GitHub Action; a Jsonnet mixin; a Helm library chart): library or tool.
* ``INFRA``: infrastructure below the root with no program of its own (Helm charts,
  Kubernetes manifests of images built elsewhere, CloudFormation templates).
* ``SHAPE``: the repository is mostly documents (a documentation site generator at the root,
  or Markdown making up most of the files).
"""

from __future__ import annotations

from linter.fast_dataclass import dataclass

DEPLOY = 40
INFRA_ROOT = 30
PUBLISH = 20
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
