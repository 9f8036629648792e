"""The shapes of a tool table: rules that recognise a packaged step or a program's command.

A table (``ToolTable``) holds, for one category of tool (dependency scanners, SAST, secret
scanners, IaC policy, tests, deploys, load tests, cost, pre-commit), two kinds of rule:

* ``ReferenceRule``: a step that references a packaged tool (GitHub action or reusable
  workflow, GitLab template/component, CircleCI orb command, Azure task, Bitbucket pipe);
* ``CommandRule``: a program at a command position, judged on its effective words
  (``poetry run pip-audit`` reads as ``pip-audit``).

Each rule's ``judge`` returns ``(detail, blocking)``, or ``None`` when the step is not that
kind of tool (``trivy config`` is an IaC scan, ``snyk code test`` is SAST). Tables are data:
matching them against what a job runs is ``linter.detectors.ci.judge``'s work.
"""

from __future__ import annotations

import re
from typing import Callable, Mapping

from linter.detectors.ci.model import Step
from linter.fast_dataclass import dataclass

#: What a table says of a step or command: ``(detail, blocking)`` when it is the tool, ``None``
#: when it is not (whether that passes a rule is the check's to say).
ToolMatch = tuple[str, bool] | None
ReferenceJudge = Callable[[Mapping[str, object], str], ToolMatch]
ArgvJudge = Callable[[tuple[str, ...]], ToolMatch]


@dataclass(frozen=True)
class ReferenceRule:
    """A packaged tool, matched on the normalised reference of a step."""

    kinds: frozenset[str]
    pattern: re.Pattern[str]
    tool: str
    judge: ReferenceJudge


@dataclass(frozen=True)
class CommandRule:
    """A program, matched on the first effective word of a shell command.

    ``script`` optionally matches the file name of a script the command runs
    (``./scripts/run_tests.sh``), for tools a repository wraps in its own scripts.
    """

    programs: frozenset[str]
    tool: str
    judge: ArgvJudge
    script: "re.Pattern[str] | None" = None

    def matches(self, program: str, script_path: str = "") -> bool:
        """``program`` is the normalised command word; ``script_path`` the script file it runs
        as written (``./scripts/test``, or the argument of ``bash ci/test.sh``)."""
        if program in self.programs:
            return True
        if self.script is None or not script_path or ("/" not in script_path and "." not in script_path):
            return False  # a bare word is a command, not a script file (`test -f x` is the builtin)
        return self.script.fullmatch(script_path.rsplit("/", 1)[-1]) is not None


_INTERPRETERS = frozenset({"bash", "sh", "zsh", "dash", "pwsh", "powershell", "python", "python3", "source", "."})


def script_path_of(raw: tuple[str, ...]) -> str:
    """The script file a command runs: ``./scripts/x.sh`` or the file after ``bash``/``python``."""
    if not raw:
        return ""
    first = raw[0]
    if first.rsplit("/", 1)[-1] in _INTERPRETERS:
        rest = [a for a in raw[1:] if not a.startswith("-")]
        return rest[0] if rest else ""
    return first


@dataclass(frozen=True)
class ToolTable:
    """The rules that recognise one category of tool (``category``: ``dependency-scan``, ``tests``...)."""

    category: str
    references: tuple[ReferenceRule, ...]
    commands: tuple[CommandRule, ...]


def ref(kinds: str, pattern: str, tool: str, judge: ReferenceJudge) -> ReferenceRule:
    """A ``ReferenceRule`` for the space-separated step ``kinds`` and a full-match pattern."""
    return ReferenceRule(frozenset(kinds.split()), re.compile(pattern), tool, judge)


def remote_workflow_named(tool_words: str) -> str:
    """A full-match pattern for another repository's reusable workflow whose file name has one
    of ``tool_words`` (an alternation) as a whole word: ``acme/ci/.github/workflows/govulncheck.yml``,
    ``reusable-semgrep-scan.yaml``; not ``notsemgrep.yml`` or ``semgrepper.yml``. Its steps cannot
    be read here, its name says what it runs. The word is found in a look-ahead (a separator or
    the extension's dot after it) with one backtracking run over the name, so a long hostile
    name costs time linear in its length."""
    return (r"[\w.-]+/[\w.-]+/\.github/workflows/"
            rf"(?=(?:[\w.-]*[-_.])?(?:{tool_words})[-_.])[\w.-]*\.ya?ml")


def named_workflow(detail: str) -> ReferenceJudge:
    """The judge of a rule matching a reusable workflow by its file name (``remote_workflow_named``):
    ``detail``, blocking; but not when the workflow is a well-known step
    (``linter.detectors.ci.known``), whose documented commands are judged below it instead."""
    def judge(_args: Mapping[str, object], reference: str) -> ToolMatch:
        from linter.detectors.ci.known import is_known

        return None if is_known("uses", reference) else (detail, True)

    return judge


#: The start of a cross-project GitLab include, ``project:<project>:<file>``, up to the file's
#: name (which holds no ``:``): "a ``:`` after ``project:``, then a ``:`` or ``/`` right before
#: the name". The same strings as ``project:.*:/?(?:.*/)?``, whose two ``.*`` tried every pair
#: of separators in a long hostile reference (quadratic); here one ``.*`` backtracks alone.
PROJECT_INCLUDE = r"project:(?=.*:).*[:/]"


def normalise_reference(step: Step) -> str:
    """Lower-case reference without version: ``Snyk/Actions/Node@v3`` -> ``snyk/actions/node``."""
    text = step.text.strip().lower()
    if step.kind in ("uses", "task"):
        text = text.split("@", 1)[0]
    elif step.kind == "pipe":
        text = text.split("docker://", 1)[-1].rsplit(":", 1)[0] if ":" in text else text
    return text


def gitlab_includes(pattern: str, tool: str, detail: str) -> tuple[ReferenceRule, ...]:
    """A GitLab template (``Jobs/`` or ``Security/``), component and cross-project include."""
    from linter.detectors.ci.tables.words import always

    return (
        ref("include", rf"template:(?:(?:jobs|security)/)?{pattern}(?:\.latest|\.v\d)?\.gitlab-ci\.yml", tool,
            always(f"GitLab {detail} template")),
        ref("include", rf"component:.*/components/{pattern}(?:/[^@\s]*)?(?:@\S*)?", tool,
            always(f"GitLab {detail} component")),
        ref("include", PROJECT_INCLUDE + rf"{pattern}(?:\.latest|\.v\d)?\.gitlab-ci\.yml", tool,
            always(f"{detail} file included from another project")),
    )
