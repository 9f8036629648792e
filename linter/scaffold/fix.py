"""``practicelint fix``: scaffold what failing rules lack, never touching an existing file.

The order is fixed: run the checks ``fix`` knows how to address (restricted by ``--rule``),
keep the scopes that failed, ask each rule's planner (``linter.scaffold.scaffolders``) for
files and advice, then write each file only if nothing exists at its path (or, with
``dry_run``, show it as a diff against ``/dev/null``). A rule counts as *addressed* for a
scope only when every file planned for that scope was written. A file written with
placeholders (``linter.placeholders``) does not make its rule pass: the rule fails with
"scaffold not filled in" until a person replaces them, and ``fix`` then says where they are
instead of writing anything; a file complete as written (dependabot.yml) passes. The
round-trip test holds ``fix`` to both.
"""

from __future__ import annotations

import difflib
import os
from datetime import datetime
from pathlib import Path

from linter import placeholders
from linter.catalog import Catalog, load_catalog
from linter.engine import RunOptions, current_time, run
from linter.fast_dataclass import dataclass, field
from linter.repo.workspace import Workspace
from linter.results import Scope, Status
from linter.scaffold import repo_facts
from linter.checks import REGISTRY
from linter.scaffold import scaffolders
from linter.scaffold.scaffolders import Advice, PlannedFile, Planner, RepoInfo


class FixUsageError(Exception):
    """A usage problem (exit code 2): an unknown rule, an unusable path."""


@dataclass
class FixOutcome:
    """What ``fix`` did (or would do, in a dry run), for the terminal and for tests."""

    dry_run: bool
    written: list[PlannedFile] = field(default_factory=list)
    skipped: list[tuple[PlannedFile, str]] = field(default_factory=list)
    advice: list[Advice] = field(default_factory=list)
    #: requested rules that this version's catalog does not have yet (nothing was checked)
    not_in_catalog: list[str] = field(default_factory=list)
    #: rule id -> scope paths where the rule failed (only rules ``fix`` knows)
    failing: dict[str, list[str]] = field(default_factory=dict)
    #: rule id -> scope paths for which every planned file was written
    claims: dict[str, list[str]] = field(default_factory=dict)
    #: rule id -> scope paths that fail on a scaffold still holding placeholders (nothing written)
    unfilled: dict[str, list[str]] = field(default_factory=dict)

    def diffs(self) -> list[str]:
        return [unified_diff(f) for f in self.written]


def planners() -> dict[str, Planner]:
    """Rule id -> planner, for every rule whose record names one (``RuleCheck.fix``)."""
    return {rule_id: getattr(scaffolders, entry.fix) for rule_id, entry in sorted(REGISTRY.items()) if entry.fix}


def fixable_rules(catalog: Catalog) -> dict[str, str]:
    """Rule id -> name for every rule ``fix`` can address."""
    return {rule_id: catalog.rules[rule_id].name for rule_id in planners() if rule_id in catalog.rules}


def resolve_rules(tokens: list[str], catalog: Catalog) -> list[str]:
    """``--rule`` values (ids, names, case-insensitive) -> rule ids; unknown ones are usage errors."""
    known = fixable_rules(catalog)
    by_token = {rule_id.lower(): rule_id for rule_id in known} | {name.lower(): rule_id for rule_id, name in known.items()}
    chosen: list[str] = []
    for token in tokens:
        rule_id = by_token.get(token.strip().lower())
        if rule_id is None:
            choices = ", ".join(f"{i} ({n})" for i, n in sorted(known.items()))
            raise FixUsageError(f"--rule {token}: fix cannot address this rule; it knows {choices}")
        if rule_id not in chosen:
            chosen.append(rule_id)
    return sorted(chosen)


def fix(target: str | os.PathLike[str], *, rules: list[str] | None = None, dry_run: bool = False,
        org: str | None = None, now: datetime | None = None, config_path: Path | None = None) -> FixOutcome:
    """Check ``target`` for the chosen rules and scaffold what the failing ones lack.

    Raises ``FixUsageError`` for bad arguments and ``linter.config.ConfigError`` for a broken
    configuration (both exit code 2 on the command line).
    """
    root = Path(target)
    if not root.is_dir():
        raise FixUsageError(f"{target}: not a directory")
    catalog = load_catalog()
    plans = planners()
    wanted = resolve_rules(rules, catalog) if rules else sorted(plans)
    outcome = FixOutcome(dry_run=dry_run)
    outcome.not_in_catalog = [r for r in wanted if r not in catalog.rules]
    checkable = [r for r in wanted if r in catalog.rules]
    if not checkable:
        return outcome
    now = now or current_time()
    report, config = run(root, RunOptions(select=checkable, now=now, config_path=config_path), catalog)
    scopes = {s.path: s for s in report.scopes}
    repo_scope = Scope(".", report.target_name, "repository")
    failing: dict[str, list[Scope]] = {}
    for result in report.results:
        if result.status == Status.FAIL and result.rule_id in plans:
            left = placeholders.left_in(result.evidence)
            if left:  # a scaffold is there already: a person finishes it, fix writes nothing more
                where = ", ".join(e.location() for e in left[:5]) + (" ..." if len(left) > 5 else "")
                outcome.advice.append(Advice(result.rule_id, f"scaffold not filled in ({result.scope}): replace "
                                                             f"the placeholders at {where}"))
                outcome.unfilled.setdefault(result.rule_id, []).append(result.scope)
                continue
            scope = repo_scope if result.rule_scope == "repo" else scopes.get(result.scope, repo_scope)
            failing.setdefault(result.rule_id, []).append(scope)
    outcome.failing = {rule: [s.path for s in found] for rule, found in sorted(failing.items())}
    if not failing:
        return outcome
    ws = Workspace(root)
    ws.configure(max_file_size=config.max_file_size, exclude=config.exclude)  # the same index check used
    info = RepoInfo(root=root, ws=ws, scopes=list(report.scopes), today=now.date(),
                    remote=repo_facts.git_remote(root), org=org)
    planned: list[PlannedFile] = []
    for rule_id, found in sorted(failing.items()):
        files, advice = plans[rule_id](info, found, rule_id)
        planned.extend(files)
        outcome.advice.extend(advice)
    _apply(root, planned, outcome)
    return outcome


def _apply(root: Path, planned: list[PlannedFile], outcome: FixOutcome) -> None:
    """Write (or, dry, list) each planned file that does not exist; record what each rule got."""
    seen: set[str] = set()
    incomplete: set[tuple[str, str]] = set()
    for item in planned:
        reason = _why_not_write(root, item.path, seen)
        seen.add(item.path)
        if reason:
            outcome.skipped.append((item, reason))
            incomplete.update((item.rule_id, s) for s in item.scopes)
            continue
        if not outcome.dry_run:
            try:
                _write(root, item)
            except OSError as exc:
                outcome.skipped.append((item, f"cannot write: {exc.strerror or exc}"))
                incomplete.update((item.rule_id, s) for s in item.scopes)
                continue
        outcome.written.append(item)
    for item in outcome.written:
        for scope in item.scopes:
            if (item.rule_id, scope) not in incomplete:
                claimed = outcome.claims.setdefault(item.rule_id, [])
                if scope not in claimed:
                    claimed.append(scope)
    for scopes in outcome.claims.values():
        scopes.sort()


def _why_not_write(root: Path, rel: str, seen: set[str]) -> str:
    """Why ``rel`` must not be written: it exists, a parent is a link or a file, or it was planned twice."""
    if rel in seen:
        return "planned twice; written once"
    target = root / rel
    if target.exists() or target.is_symlink():
        return "exists; fix never overwrites a file"
    current = root
    for part in Path(rel).parts[:-1]:
        current = current / part
        if current.is_symlink():
            return f"{current.relative_to(root).as_posix()} is a symbolic link; not writing through it"
        if current.exists() and not current.is_dir():
            return f"{current.relative_to(root).as_posix()} is a file, not a folder"
    return ""


def _write(root: Path, item: PlannedFile) -> None:
    target = root / item.path
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(item.content)


def unified_diff(item: PlannedFile) -> str:
    """The file as a creation diff (``/dev/null`` -> ``b/<path>``), as ``git diff`` shows one."""
    lines = item.content.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    return "".join(difflib.unified_diff([], lines, fromfile="/dev/null", tofile=f"b/{item.path}"))
