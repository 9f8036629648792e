"""Facts computed once per run: a detector runs the first time a rule asks for its facts,
and every later rule shares the result (the detectors' typed, frozen facts)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, TypeVar

from linter import deadline

if TYPE_CHECKING:
    from linter.repo.workspace import Workspace

T = TypeVar("T")


class FactStore:
    """Each detector's facts, by detector function."""

    def __init__(self) -> None:
        self._facts: dict[Callable[..., Any], Any] = {}

    def facts(self, detector: Callable[[Workspace], T], ws: Workspace) -> T:
        """Run ``detector`` on ``ws`` once per run (under the run's deadline, named as a phase)."""
        if detector not in self._facts:
            name = (f"{getattr(detector, '__module__', '')}.{getattr(detector, '__qualname__', '?')}"
                    .removeprefix("linter.detectors.").replace(".<locals>", ""))
            with deadline.phase(f"detector {name}"):
                self._facts[detector] = detector(ws)
        return self._facts[detector]  # type: ignore[no-any-return]

    def computed_facts(self) -> dict[Callable[..., Any], Any]:
        """The facts computed so far, by detector (the forked executor sends some to its child)."""
        return dict(self._facts)

    def install_facts(self, facts: dict[Callable[..., Any], Any]) -> None:
        """Take facts another process of this run computed (``computed_facts``)."""
        for detector, value in facts.items():
            self._facts.setdefault(detector, value)
