"""Run the selected checks over every scope and build the ``Report``.

This is the only place that knows the order of a run: configuration, index, scopes,
checks, results. Checks that raise are turned into ``error`` results so one broken check
never hides the others and no traceback reaches a user.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from linter import __version__, baseline, configload, deadline, parallel
from linter import waivers as waiver_rules
from linter.catalog import Catalog
from linter.checks import REGISTRY, CheckContext, module
from linter.checks.base import ScopeIndex
from linter.configload import EffectiveConfig
from linter.errors import ConfigError
from linter.records import dataclass, field
from linter.selection import resolve_rule_settings, select_rules
from linter.detectors.services import discover_scopes
from linter.repo.globs import matcher
from linter.repo.workspace import Workspace
from linter.results import Finding, Report, Result, Scope, Severity, Status

if TYPE_CHECKING:
    from linter.config import Config

NOW_ENV = "PRACTICELINT_NOW"


@dataclass
class RunOptions:
    """What the command line asked for; ``None`` means "use the configuration"."""

    config_path: Path | None = None
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    fail_on: str | None = None
    now: datetime | None = None
    #: a central policy (org audits): it replaces the repository's configuration, of which only
    #: the waivers are kept, unless ``ignore_repo_waivers`` is set
    policy_path: Path | None = None
    ignore_repo_waivers: bool = False
    baseline_path: Path | None = None
    untracked: str | None = None
    #: processes for the checks (``linter.parallel``); 1 runs everything in this process
    jobs: int = 1
    #: ``--timeout`` as given (the deadline itself is armed by the command, ``linter.deadline``)
    timeout: float | None = None


def current_time() -> datetime:
    """``PRACTICELINT_NOW`` (ISO date or datetime) pins the clock for reproducible runs."""
    pinned = os.environ.get(NOW_ENV)
    if pinned:
        try:
            value = datetime.fromisoformat(pinned)
        except ValueError:
            raise ConfigError(f"{NOW_ENV}: not an ISO date: {pinned!r}") from None
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return datetime.now(timezone.utc)


def resolve_config(ws: Workspace, options: RunOptions, now: datetime) -> EffectiveConfig:
    """The merged configuration for a run (command line > repository > parents > defaults)."""
    overrides: dict[str, Any] = {}
    if options.select is not None:
        overrides["select"] = options.select
    if options.fail_on is not None:
        overrides["fail_on"] = options.fail_on
    if options.untracked is not None:
        overrides["untracked"] = options.untracked
    effective = configload.load(ws, config_path=options.config_path, policy_path=options.policy_path,
                                ignore_repo_waivers=options.ignore_repo_waivers, overrides=overrides)
    configload.check_waiver_dates(effective, now.date())
    return effective


def run(target: str | os.PathLike[str], options: RunOptions | None = None,
        catalog: Catalog | None = None) -> tuple[Report, Config]:
    """Check ``target`` and return the report and the configuration used.

    Raises ``ConfigError`` for configuration problems (the CLI turns them into exit 2).
    """
    options = options or RunOptions()
    plugin_checks: dict[str, Any] = {}
    plugin_notes: list[Any] = []
    if catalog is None:
        from linter import plugins

        loaded = plugins.load_cached()
        catalog, plugin_checks, plugin_notes = loaded.catalog, loaded.checks, loaded.notes
    root = Path(target)
    if not root.exists():
        raise ConfigError(f"{target}: no such directory")
    if not root.is_dir():
        raise ConfigError(f"{target}: not a directory")
    now = options.now or current_time()
    ws = Workspace(root)
    with deadline.phase("reading the configuration"):
        effective = resolve_config(ws, options, now)
    config = effective.config
    apply_timeout(options, config.timeout, effective.provenance.get("timeout", "configuration"))
    ws.configure(max_file_size=config.max_file_size, exclude=config.exclude,
                 skip_sample_dirs=config.skip_sample_dirs, untracked=config.untracked)
    with deadline.phase("indexing the files"):
        ws.files  # noqa: B018
    with deadline.phase("loading rule packs"):
        catalog, custom_checks = with_rule_packs(catalog, config, ws, options)
    custom_checks = {**plugin_checks, **custom_checks}
    for note in plugin_notes:
        ws.note(note.path, note.reason)
    rule_options, severities = resolve_rule_settings(config, catalog)
    chosen = select_rules(catalog, config.select, [*config.ignore, *options.ignore], config.extend_select)
    path_ignores = _path_ignores(config, catalog)
    waivers = waiver_rules.resolve(config, catalog)

    repo_name = ws.root.name or str(target)
    repo_scope = Scope(".", repo_name, "repository")
    settings: dict[str, Any] = {"teams": config.teams_with_lines(), "config_source": config.source}
    in_child = parallel.child_rules(len(ws.files))
    offloaded_rules = [r for r in chosen if r in in_child and r not in custom_checks]
    dates_services = any(REGISTRY[r].dates_services for r in chosen if r in REGISTRY and r not in custom_checks)

    def plan(scopes: list[Scope]) -> _Plan:
        """The run's tasks for these scopes (the parent and its child build the same list)."""
        scope_index = ScopeIndex(scopes)
        tasks: list[tuple[str, Scope]] = []
        for rule_id in chosen:
            spec = catalog.rules[rule_id]
            for scope in ([repo_scope] if spec.scope == "repo" else scopes):
                if spec.scope == "service" and any(
                        regex.match(scope.path) and rule_id in ids for regex, ids in path_ignores):
                    continue
                tasks.append((rule_id, scope))

        def compute(index: int) -> Finding:
            rule_id, scope = tasks[index]
            values = rule_options.get(rule_id, catalog.rules[rule_id].default_options())
            custom = custom_checks.get(rule_id)
            try:
                check, options = (custom, values) if custom is not None else load_check(rule_id, values)
            except Exception as exc:  # noqa: BLE001 - a broken module is that rule's error, not the run's
                return Finding(Status.ERROR, f"internal error while loading the check: {type(exc).__name__}: {exc}")
            ctx = CheckContext(workspace=ws, scope=scope, scopes=scopes, options=options,
                               now=now, settings=settings, index=scope_index)
            with deadline.phase(f"running rule {rule_id} on {scope.path}"):
                return _run_one(check, ctx)

        def prepare_offloaded() -> None:
            if dates_services and len(scopes) > 1:
                # service ages need the whole addition log: start it now (unless kept at this HEAD)
                ws.prefetch_first_commits(scope.path for scope in scopes)

        offloaded = [i for i, (rule_id, _) in enumerate(tasks) if rule_id in offloaded_rules]
        return _Plan(tasks, compute, offloaded, prepare_offloaded)

    def child_share(scopes: list[Scope]) -> dict[int, Finding]:
        child = plan(scopes)
        child.prepare_offloaded()
        return {i: parallel.child_compute(child.compute, i) for i in child.offloaded}

    # the index (above) and HEAD before the fork, so both processes share them
    ws.head_commit  # noqa: B018
    mixed = 0 < len(offloaded_rules) < len(chosen)
    fork = parallel.start(ws, options.jobs if mixed else 1, parallel.warm_up_list(offloaded_rules), child_share)
    try:
        with deadline.phase("finding the services"):
            scopes = discover_scopes(ws, config.services, repo_name)
        if dates_services and len(scopes) == 1 and not ws.git_prefix:
            ws.first_commit_times(["."])  # the repository's age, from the root-commit walk the CLI started
        run_plan = plan(scopes)
        tasks = run_plan.tasks
        theirs: dict[int, Finding] | None = {}
        offloaded = set(run_plan.offloaded) if fork is not None else set()
        if fork is not None:
            fork.share(scopes)
        else:
            run_plan.prepare_offloaded()
        mine = {i: run_plan.compute(i) for i in range(len(tasks)) if i not in offloaded}
        if fork is not None:
            with deadline.phase("waiting for the second process"):
                theirs = fork.collect(offloaded)
        if theirs is None:  # the child failed: same answers, computed here
            run_plan.prepare_offloaded()
            theirs = {i: run_plan.compute(i) for i in sorted(offloaded)}
    finally:
        if fork is not None:
            fork.close()
    found = [mine[i] if i in mine else theirs[i] for i in range(len(tasks))]
    ws.save_verdicts()
    results: list[Result] = []
    for (rule_id, scope), finding in zip(tasks, found):
        spec = catalog.rules[rule_id]
        results.append(Result(
            rule_id=rule_id, name=spec.name, practice_id=spec.practice,
            category=spec.category, severity=Severity(severities.get(rule_id, spec.severity)),
            scope=scope.path, status=finding.status, message=finding.message,
            evidence=finding.evidence, remediation=spec.remediation, rule_scope=spec.scope,
        ))
    results, waiver_uses = waiver_rules.apply(results, waivers, now.date())
    results.sort(key=Result.sort_key)
    report = Report(
        tool_version=__version__, target_path=str(target), target_name=repo_name,
        commit=ws.head_commit, scopes=scopes, results=results, notes=ws.notes, waivers=waiver_uses,
        catalog=catalog,
    )
    if options.baseline_path is not None:
        report, _ = baseline.apply(report, baseline.load(options.baseline_path))
    return report, config


@dataclass
class _Plan:
    """One run's tasks (rule, scope), how to compute one, and which the child runs."""

    tasks: list[tuple[str, Scope]]
    compute: Any  # Callable[[int], Finding]
    offloaded: list[int]
    prepare_offloaded: Any  # Callable[[], None]: starts the git read the offloaded rules need


def apply_timeout(options: RunOptions, configured: float | None, source: str) -> None:
    """The configuration's ``timeout`` moves the deadline the command armed: any way from
    the user's own ``--config``/``--policy`` (unless ``--timeout`` was given), only down
    from the scanned repository's configuration, which must not buy itself more time."""
    if configured is None:
        return
    if options.config_path is not None or options.policy_path is not None:
        if options.timeout is None:
            deadline.set_to(configured, source)
    else:
        deadline.limit_to(configured, source)


def _path_ignores(config: Config, catalog: Catalog) -> list[tuple[Any, set[str]]]:
    """``per-path-ignores`` compiled: (scope glob regex, rule ids not run there)."""
    compiled = []
    for glob, tokens in config.per_path_ignores.items():
        ids = set(select_rules(catalog, tokens, []))
        compiled.append((matcher([glob]), ids))
    return compiled


def with_rule_packs(catalog: Catalog, config: Config, ws: Workspace,
                    options: RunOptions) -> tuple[Catalog, dict[str, Any]]:
    """Add the configuration's rule packs to the catalog (paths: repo-relative for a repository
    configuration, read through the safe workspace reader; file-relative for --config/--policy)."""
    if not config.rule_packs:
        return catalog, {}
    from linter import packs

    outside = options.policy_path or options.config_path
    if outside is not None:
        base = outside.parent

        def reader(name: str) -> str | None:
            try:
                return (base / name).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                return None
    else:
        def reader(name: str) -> str | None:
            rel = os.path.normpath(name).replace(os.sep, "/")
            if rel.startswith("../") or rel == ".." or os.path.isabs(name):
                raise ConfigError(f"rule-packs: {name}: only files inside the repository are allowed")
            return ws.read_tracked(rel)

    loaded = packs.load_packs(config.rule_packs, reader, catalog, from_repository=outside is None)
    return packs.extend_catalog(catalog, loaded), loaded.checks


def load_check(rule_id: str, values: dict[str, Any]) -> tuple[Any, Any]:
    """A built-in rule's ``check`` and its typed options (``RULE.make_options``)."""
    checks = module(rule_id)
    return checks.check, checks.RULE.make_options(values)


def _run_one(check: Any, ctx: CheckContext) -> Finding:
    try:
        return check(ctx)  # type: ignore[no-any-return]
    except Exception as exc:  # noqa: BLE001 - a broken check must not end the run
        return Finding(Status.ERROR, f"internal error while checking: {type(exc).__name__}: {exc}")


def exit_code(report: Report, fail_on: str) -> int:
    """1 when any failed (or errored) result is at or above ``fail_on``, else 0."""
    threshold = Severity(fail_on).rank
    for result in report.results:
        if result.baselined:
            continue
        if result.status in (Status.FAIL, Status.ERROR) and result.severity.rank >= threshold:
            return 1
    return 0
