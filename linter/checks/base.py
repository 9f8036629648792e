"""What a check receives: one scope, its options, the shared workspace and a clock."""

from __future__ import annotations

from datetime import datetime
from operator import attrgetter
from typing import Any, Callable, Protocol, Sequence, TypeVar

from linter.fast_dataclass import dataclass, field
from linter.repo.workspace import Workspace
from linter.results import Finding, Scope

T = TypeVar("T")


def normalise_service_name(name: str) -> str:
    """``Checkout_API`` and ``checkout-api`` name the same service."""
    return "".join(ch for ch in name.lower() if ch.isalnum())


class ScopeIndex:
    """Answers "which scope owns this fact?" in O(depth of the path), not O(number of scopes).

    Built once per run and shared by every check: with hundreds of services and thousands of
    facts, scanning every scope for every fact dominated large runs.
    """

    def __init__(self, scopes: list[Scope]) -> None:
        self.scopes = scopes
        self.by_path = {scope.path: scope for scope in scopes}
        self.by_name: dict[str, Scope] = {}
        for scope in scopes:  # the first scope with a name wins, as a linear scan would
            self.by_name.setdefault(normalise_service_name(scope.name), scope)
        self._cache: dict[tuple[str, str | None], Scope | None] = {}
        self.memo: dict[Any, Any] = {}  # per-run results that depend only on facts and scopes

    def owner_of(self, path: str, service: str | None = None) -> Scope | None:
        if len(self.scopes) == 1:
            return self.scopes[0]
        key = (path, service)
        if key not in self._cache:
            self._cache[key] = self._find(path, service)
        return self._cache[key]

    def _find(self, path: str, service: str | None) -> Scope | None:
        if service:
            named = self.by_name.get(normalise_service_name(service))
            if named is not None:
                return named
        if path in self.by_path:  # a fact about the service folder itself
            return self.by_path[path]
        directory = path
        while "/" in directory:
            directory = directory.rsplit("/", 1)[0]
            if directory in self.by_path:
                return self.by_path[directory]
        return self.by_path.get(".")


@dataclass
class CheckContext:
    """Everything a check may look at. Checks never open files: they ask for facts."""

    workspace: Workspace
    scope: Scope
    scopes: list[Scope]
    #: the rule's typed options (``ctx.options.min_percentile``: the ``Options`` class its
    #: ``RULE`` record names, defaults from ``rules/<ID>.yaml``); a plain dict for plugin checks
    options: Any
    now: datetime
    settings: dict[str, Any] = field(default_factory=dict)
    index: ScopeIndex | None = None

    def facts(self, detector: Callable[[Workspace], T]) -> T:
        return self.workspace.facts(detector)

    def owner_of(self, path: str, service: str | None = None) -> Scope | None:
        """The scope a fact belongs to.

        A fact that names a service (OpenSLO ``spec.service``, Sloth ``service``...) belongs
        to the scope with that name; otherwise to the deepest scope whose folder holds the
        file. With a single scope everything belongs to it.
        """
        if self.index is None or self.index.scopes is not self.scopes:
            self.index = ScopeIndex(self.scopes)
        return self.index.owner_of(path, service)

    def memoised(self, key: Any, compute: Callable[[], T]) -> T:
        """``compute()`` once per run for ``key`` (shared by every scope's check).

        For work that depends on the facts and the list of scopes but not on the scope being
        judged, so a rule over N services does not redo it N times.
        """
        if self.index is None or self.index.scopes is not self.scopes:
            self.index = ScopeIndex(self.scopes)
        memo = self.index.memo
        if key not in memo:
            memo[key] = compute()
        return memo[key]  # type: ignore[no-any-return]

    def owned(self, items: Sequence[T], path: str = "path", service: str | None = None) -> list[T]:
        """The ``items`` that belong to this check's scope (``owns``), in their order.

        ``path`` and ``service`` name the attributes (dotted, like ``"hit.path"``) that
        ``owns`` would be given. A tuple (what detectors' frozen facts hold) is grouped by
        owner once per run, so a rule judging N services costs O(facts), not O(N x facts);
        any other sequence is grouped on each call. The answer is the same either way.
        """
        if self.scope.source == "repository":
            return list(items)
        get_path = attrgetter(path)
        get_service = attrgetter(service) if service else None

        def group() -> tuple[Sequence[T], dict[Scope, list[T]]]:
            index = self._index()
            groups: dict[Scope, list[T]] = {}
            for item in items:
                owner = index.owner_of(get_path(item), get_service(item) if get_service else None)
                if owner is not None:
                    groups.setdefault(owner, []).append(item)
            return items, groups  # holding the tuple keeps its id from being reused this run

        if isinstance(items, tuple):  # immutable: its identity names its content for the run
            _, groups = self.memoised(("owned", id(items), path, service), group)
        else:
            _, groups = group()
        return list(groups.get(self.scope, ()))

    def _index(self) -> ScopeIndex:
        if self.index is None or self.index.scopes is not self.scopes:
            self.index = ScopeIndex(self.scopes)
        return self.index

    def owns(self, path: str, service: str | None = None) -> bool:
        """True when a fact at ``path`` (naming ``service``) belongs to this check's scope.

        Repo-scoped rules judge the whole repository, so every fact belongs to them.
        """
        if self.scope.source == "repository":
            return True
        return self.owner_of(path, service) == self.scope


class Check(Protocol):
    def __call__(self, ctx: CheckContext) -> Finding: ...
