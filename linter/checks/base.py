"""What a check receives: one scope, its options, the shared workspace and a clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Protocol, TypeVar

from linter.repo.workspace import Workspace
from linter.results import Finding, Scope

T = TypeVar("T")


def normalise_service_name(name: str) -> str:
    """``Checkout_API`` and ``checkout-api`` name the same service."""
    return "".join(ch for ch in name.lower() if ch.isalnum())


@dataclass
class CheckContext:
    """Everything a check may look at. Checks never open files: they ask for facts."""

    workspace: Workspace
    scope: Scope
    scopes: list[Scope]
    options: dict[str, Any]
    now: datetime
    settings: dict[str, Any] = field(default_factory=dict)

    def facts(self, detector: Callable[[Workspace], T]) -> T:
        return self.workspace.facts(detector)

    def owner_of(self, path: str, service: str | None = None) -> Scope | None:
        """The scope a fact belongs to.

        A fact that names a service (OpenSLO ``spec.service``, Sloth ``service``...) belongs
        to the scope with that name; otherwise to the deepest scope whose folder holds the
        file. With a single scope everything belongs to it.
        """
        if len(self.scopes) == 1:
            return self.scopes[0]
        if service:
            wanted = normalise_service_name(service)
            for scope in self.scopes:
                if normalise_service_name(scope.name) == wanted:
                    return scope
        holders = [s for s in self.scopes if s.contains(path)]
        if not holders:
            return None
        return max(holders, key=lambda s: 0 if s.path == "." else s.path.count("/") + 1)

    def owns(self, path: str, service: str | None = None) -> bool:
        """True when a fact at ``path`` (naming ``service``) belongs to this check's scope.

        Repo-scoped rules judge the whole repository, so every fact belongs to them.
        """
        if self.scope.source == "repository":
            return True
        return self.owner_of(path, service) == self.scope


class Check(Protocol):
    def __call__(self, ctx: CheckContext) -> Finding: ...
