"""The result model every check produces and every reporter renders.

Plain frozen dataclasses, not pydantic: thousands of these are built per audit and they
need no validation, only a stable, sortable shape.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any

from linter.fast_dataclass import dataclass, field
from linter.repo.notes import Note


class Status(str, Enum):
    """A result's verdict.

    ``error``: the rule could not be evaluated because something in the repository is broken
    or unreadable (a file, git's own data) or the check crashed; it counts as a failure.
    ``skipped``: the rule could not be evaluated *here* because the environment withholds its
    input (a shallow clone, a grafted history, a folder outside git has no history to read);
    it is not scored and never sets the exit code, and its message says what is missing, why
    and how to get it (``history: required`` turns it into ``error``). ``not_applicable``:
    the rule was evaluated and does not apply. The three are never interchanged.
    """

    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "not_applicable"
    WAIVED = "waived"
    ERROR = "error"
    SKIPPED = "skipped"


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is more severe; used for ``--fail-on`` thresholds."""
        return {"error": 3, "warning": 2, "info": 1}[self.value]


from linter.results_order import CATEGORIES  # noqa: E402 - re-exported for reporters and checks


@dataclass(frozen=True, order=True)
class Evidence:
    """A place in the repository that supports a verdict (``line`` 0 = whole file)."""

    path: str
    line: int = 0
    detail: str = ""

    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True)
class Finding:
    """What a check returns: a verdict, a sentence saying why, and the evidence."""

    status: Status
    message: str
    evidence: tuple[Evidence, ...] = ()


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """``1 rule``, ``3 rules``: a count with its noun in the right number; ``plural`` for the
    irregular ones (``counted(n, "repository", "repositories")``)."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def passed(message: str, evidence: list[Evidence] | tuple[Evidence, ...] = ()) -> Finding:
    return Finding(Status.PASS, message, tuple(sorted(set(evidence))))


def failed(message: str, evidence: list[Evidence] | tuple[Evidence, ...] = ()) -> Finding:
    return Finding(Status.FAIL, message, tuple(sorted(set(evidence))))


def not_applicable(message: str, evidence: list[Evidence] | tuple[Evidence, ...] = ()) -> Finding:
    return Finding(Status.NOT_APPLICABLE, message, tuple(sorted(set(evidence))))


def skipped(message: str, evidence: list[Evidence] | tuple[Evidence, ...] = ()) -> Finding:
    return Finding(Status.SKIPPED, message, tuple(sorted(set(evidence))))


@dataclass(frozen=True)
class Waiver:
    """A deliberate, owned and expiring exception to a rule (``waivers:`` in the config)."""

    rule: str  # rule id
    reason: str
    owner: str
    expires: date
    scope: str | None = None  # a scope path; None with no paths means every scope
    paths: tuple[str, ...] = ()  # globs of evidence paths (or scopes) it covers
    source: str = ""  # file that declared it
    line: int = 0


@dataclass(frozen=True)
class WaiverUse:
    """How a declared waiver fared in a run: ``active``, ``expired`` or ``stale`` (matched nothing)."""

    waiver: Waiver
    state: str
    matched: int = 0


@dataclass(frozen=True)
class Result:
    """One rule's verdict for one scope, with everything a reporter needs."""

    rule_id: str
    name: str
    practice_id: str
    category: str
    severity: Severity
    scope: str
    status: Status
    message: str
    evidence: tuple[Evidence, ...]
    remediation: str
    rule_scope: str = "service"  # where the rule runs: "repo" (once) or "service" (per scope)
    level: int = 3  # the maturity level the rule belongs to (``linter.scoring``)
    waiver: Waiver | None = None  # set when waived, or when an expired waiver matched a failure
    baselined: bool = False  # a known failure recorded in the baseline: reported, not gating

    def sort_key(self) -> tuple[int, str, str]:
        return (CATEGORIES.index(self.category), self.rule_id, self.scope)


@dataclass(frozen=True)
class Scope:
    """A unit that service-scoped rules judge separately: ``.`` is the whole repository."""

    path: str
    name: str
    source: str = "default"  # default | backstage | config
    #: What the scope is (``linter.kinds.KINDS``: service, website, library, tool,
    #: infrastructure, documentation, or unknown), where that came from (config, backstage,
    #: inferred, none) and the files that say so.
    kind: str = "unknown"
    kind_source: str = "none"
    kind_evidence: tuple[Evidence, ...] = ()

    def contains(self, rel: str) -> bool:
        return self.path == "." or rel == self.path or rel.startswith(self.path + "/")


@dataclass
class Report:
    """Everything one ``check`` run found; reporters render only this."""

    tool_version: str
    target_path: str
    target_name: str
    commit: str | None
    scopes: list[Scope]
    results: list[Result]
    notes: list[Note] = field(default_factory=list)
    waivers: list[WaiverUse] = field(default_factory=list)
    baseline_fixed: list[Any] = field(default_factory=list)  # baseline entries that now pass
    catalog: Any = field(default=None, repr=False, compare=False)  # the catalog used (with rule packs)
    #: when, from where and under which configuration (``linter.record.Record``); None for a
    #: report built by hand (tests), which then shows no record
    record: Any = None

    def counts(self) -> dict[str, int]:
        counts = {status.value: 0 for status in Status}
        for result in self.results:
            counts[result.status.value] += 1
        return counts
