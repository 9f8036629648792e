"""Run the selected checks over every scope and build the ``Report``.

This is the only place that knows the order of a run (``run``): configuration, file index,
rules, scopes, plan, execution (``linter.runtime.executors``), report. Checks that raise are
turned into ``error`` results, so one broken check never hides the others and no traceback
reaches a user.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from linter import __version__, baseline, configload, deadline, placeholders, record
from linter import waivers as waiver_rules
from linter.catalog import Catalog
from linter.checks import REGISTRY, CheckContext, module
from linter.checks.base import ScopeIndex
from linter.configload import EffectiveConfig
from linter.errors import ConfigError
from linter.fast_dataclass import dataclass, field
from linter.selection import resolve_rule_settings, select_rules
from linter.detectors.services import ScopeSettings, discover_scopes, kind_reason
from linter.repo.globs import matcher
from linter.repo.workspace import Workspace
from linter import kinds
from linter.results import Evidence, Finding, Report, Result, Scope, Severity, Status
from linter.runtime import executors, verdicts
from linter.runtime.executors import Plan

if TYPE_CHECKING:
    from linter.config import Config

NOW_ENV = record.NOW_ENV


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
    #: processes for the checks (``linter.runtime.executors``); 1 runs everything in this process
    jobs: int = 1
    #: ``--timeout`` as given (the deadline itself is armed by the command, ``linter.deadline``)
    timeout: float | None = None
    #: ``--require-history``: ``history: required`` for this run
    require_history: bool = False


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
    if options.require_history:
        overrides["history"] = "required"
    effective = configload.load(ws, config_path=options.config_path, policy_path=options.policy_path,
                                ignore_repo_waivers=options.ignore_repo_waivers, overrides=overrides)
    configload.check_waiver_dates(effective, now.date())
    record.check_docs_url(effective.config.docs_url, effective.provenance.get("docs_url", "configuration"))
    return effective


def run(target: str | os.PathLike[str], options: RunOptions | None = None,
        catalog: Catalog | None = None) -> tuple[Report, Config]:
    """Check ``target`` and return the report and the configuration used: configuration ->
    index -> rules -> scopes -> plan -> execute -> assemble.

    Raises ``ConfigError`` for configuration problems (the CLI turns them into exit 2).
    """
    options = options or RunOptions()
    now = options.now or current_time()
    catalog, plugin_checks, plugin_notes = _catalog_and_plugins(catalog)
    ws = _workspace(target)
    with deadline.phase("reading the configuration"):
        effective = resolve_config(ws, options, now)
    config = effective.config
    apply_timeout(options, config.timeout, effective.provenance.get("timeout", "configuration"))
    ws.configure(max_file_size=config.max_file_size, exclude=config.exclude,
                 skip_sample_dirs=config.skip_sample_dirs, untracked=config.untracked)
    with deadline.phase("indexing the files"):
        ws.files  # noqa: B018
        ws.reader.kept = verdicts.load(ws.root, ws.git, len(ws.files))
    with deadline.phase("loading rule packs"):
        catalog, pack_checks = with_rule_packs(catalog, config, ws, options)
    for note in plugin_notes:
        ws.note(note.path, note.reason)
    rules = _RunRules.resolve(catalog, config, options, {**plugin_checks, **pack_checks})
    repo_scope = _repository_scope(ws.root.name or str(target), config)
    settings: dict[str, Any] = {"teams": config.teams_with_lines(), "config_source": config.source,
                                "history": config.history}

    def make_plan(scopes: list[Scope]) -> Plan:
        return _plan(rules, scopes, repo_scope, ws, now, settings)

    ws.head_commit  # noqa: B018 - HEAD before a fork, so both processes share it
    second = [r for r in rules.chosen if r in executors.second_process_rules(len(ws.files)) and r not in rules.custom]
    executor = executors.for_run(ws, options.jobs, rules.chosen, second, make_plan)
    executor.start()
    try:
        with deadline.phase("finding the services"):
            scopes = discover_scopes(ws, ScopeSettings.of(config, _in_repository(config.source)), repo_scope.name)
        if rules.dates_services and len(scopes) == 1 and not ws.git_prefix:
            ws.first_commit_times(["."])  # the repository's age, from the root-commit walk the CLI started
        plan = make_plan(scopes)
        found = executor.execute(plan, scopes)
    finally:
        executor.close()
    if ws.reader.kept is not None:
        ws.reader.kept.save(ws.root)
    report = _assemble(plan.tasks, found, rules, catalog, ws, target, repo_scope.name, scopes, now)
    if options.baseline_path is not None:
        report, _ = baseline.apply(report, baseline.load(options.baseline_path))
    report.record = record.build(config, effective.layers, now, record.clock_source(options.now),
                                 ws.git.remote_url, str(options.baseline_path) if options.baseline_path else None)
    return report, config


def _catalog_and_plugins(catalog: Catalog | None) -> tuple[Catalog, dict[str, Any], list[Any]]:
    """The catalog to run (the packaged one with installed plugins, unless given) and the
    plugins' checks and notes."""
    if catalog is not None:
        return catalog, {}, []
    from linter import plugins

    loaded = plugins.load_cached()
    return loaded.catalog, loaded.checks, loaded.notes


def _workspace(target: str | os.PathLike[str]) -> Workspace:
    root = Path(target)
    if not root.exists():
        raise ConfigError(f"{target}: no such directory")
    if not root.is_dir():
        raise ConfigError(f"{target}: not a directory")
    return Workspace(root)


@dataclass
class _RunRules:
    """Which rules run, with what: resolved once from the catalog and the configuration."""

    catalog: Catalog
    chosen: list[str]
    #: checks of rule packs and plugins, by rule id (built-in checks load from the registry)
    custom: dict[str, Any]
    options: dict[str, dict[str, Any]]
    severities: dict[str, str]
    path_ignores: list[tuple[Any, set[str]]]
    waivers: list[Any]

    @classmethod
    def resolve(cls, catalog: Catalog, config: Config, options: RunOptions, custom: dict[str, Any]) -> _RunRules:
        rule_options, severities = resolve_rule_settings(config, catalog)
        chosen = select_rules(catalog, config.select, [*config.ignore, *options.ignore], config.extend_select)
        return cls(catalog, chosen, custom, rule_options, severities, _path_ignores(config, catalog),
                   waiver_rules.resolve(config, catalog))

    @property
    def dates_services(self) -> bool:
        """A chosen built-in rule asks for service ages (the run starts git's walk early)."""
        return any(REGISTRY[r].dates_services for r in self.chosen if r in REGISTRY and r not in self.custom)


def _plan(rules: _RunRules, scopes: list[Scope], repo_scope: Scope, ws: Workspace, now: datetime,
          settings: dict[str, Any]) -> Plan:
    """The run's tasks for these scopes (both processes of ``--jobs 2`` build the same one):
    each repo-scoped rule once, each service-scoped rule per scope not ignored by path."""
    catalog = rules.catalog
    scope_index = ScopeIndex(scopes)
    tasks: list[tuple[str, Scope]] = []
    outside: dict[int, Finding] = {}  # tasks whose rule does not judge the scope's kind
    for rule_id in rules.chosen:
        spec = catalog.rules[rule_id]
        for scope in ([repo_scope] if spec.scope == "repo" else scopes):
            if spec.scope == "service" and any(
                    regex.match(scope.path) and rule_id in ids for regex, ids in rules.path_ignores):
                continue
            finding = _outside_kinds(spec, scope, scopes)
            if finding is not None:
                outside[len(tasks)] = finding
            tasks.append((rule_id, scope))

    def compute(index: int) -> Finding:
        if index in outside:
            return outside[index]
        rule_id, scope = tasks[index]
        values = rules.options.get(rule_id, catalog.rules[rule_id].default_options())
        custom = rules.custom.get(rule_id)
        try:
            check, options = (custom, values) if custom is not None else load_check(rule_id, values)
        except Exception as exc:  # noqa: BLE001 - a broken module is that rule's error, not the run's
            return Finding(Status.ERROR, f"internal error while loading the check: {type(exc).__name__}: {exc}")
        ctx = CheckContext(workspace=ws, scope=scope, scopes=scopes, options=options,
                           now=now, settings=settings, index=scope_index)
        with deadline.phase(f"running rule {rule_id} on {scope.path}"):
            return _run_one(check, ctx)

    def prepare() -> None:
        if rules.dates_services and len(scopes) > 1:
            # service ages need the whole addition log: start it now (unless kept at this HEAD)
            ws.prefetch_first_commits(scope.path for scope in scopes)

    second = executors.second_process_rules(len(ws.files))
    in_second = [i for i, (rule_id, _) in enumerate(tasks) if rule_id in second and rule_id not in rules.custom]
    return Plan(tasks, compute, in_second, prepare)


def _outside_kinds(spec: Any, scope: Scope, scopes: list[Scope]) -> Finding | None:
    """``not_applicable`` (with the reason and the override) when the rule does not judge
    the scope's kind; ``None`` when it does. A repository-wide rule judges a repository whose
    scopes include one of its kinds (a monorepo of services and libraries gets the services'
    repository practices)."""
    # a repository-wide rule: the scopes, and the repository's configured kind when "." is not a scope
    declared = scope.kind_source == "config" and all(s.path != "." for s in scopes)
    judged = [scope] if spec.scope == "service" else [*scopes, *([scope] if declared else [])]
    if any(kinds.applies(spec.applies_to, s.kind) for s in judged):
        return None
    if len(judged) != 1:
        found = ", ".join(sorted({s.kind for s in judged}))
        return Finding(Status.NOT_APPLICABLE,
                       f"no scope of this repository is of a kind {spec.name} judges (they are: {found}); it is "
                       f"judged for {kinds.describe_kinds(spec.applies_to)}; set each scope's kind in "
                       f".practicelint.yaml (services: entries with a kind) if that is wrong")
    [subject] = judged
    if subject.path != ".":
        override = f"on a services: entry for {subject.path}"
    elif subject.kind_source == "backstage" and subject.kind_evidence:
        override = f"in .practicelint.yaml (or change spec.type in {subject.kind_evidence[0].path})"
    else:
        override = "in .practicelint.yaml"
    message = kinds.not_applicable_message(subject.name if subject.path == "." else subject.path, subject.kind,
                                           kind_reason(subject), spec.name, spec.applies_to, override)
    return Finding(Status.NOT_APPLICABLE, message, subject.kind_evidence)


def _repository_scope(name: str, config: Config) -> Scope:
    """The scope repository-wide rules run on; of the configured ``kind:`` if there is one
    (known before ``--jobs 2`` forks, so both processes plan alike)."""
    if config.kind is None:
        return Scope(".", name, "repository")
    source = _in_repository(config.source)
    line = config._lines.line_of("kind") if hasattr(config._lines, "line_of") else 0
    evidence = (Evidence(source, line, f"kind: {config.kind}"),) if source else ()
    return Scope(".", name, "repository", config.kind, "config", evidence)


def _in_repository(source: str | None) -> str:
    """The configuration file as evidence: its path when it is inside the repository."""
    return source if source and not os.path.isabs(source) and not source.startswith("..") else ""


def _assemble(tasks: list[tuple[str, Scope]], found: list[Finding], rules: _RunRules, catalog: Catalog,
              ws: Workspace, target: str | os.PathLike[str], name: str, scopes: list[Scope],
              now: datetime) -> Report:
    """The report: one result per task (the catalog's words, the configured severity), a
    pass resting on an unfilled scaffold failed (``linter.placeholders``), waivers applied,
    sorted."""
    results: list[Result] = []
    scaffolds: dict[str, Any] = {}
    for (rule_id, scope), finding in zip(tasks, found):
        finding = placeholders.unfilled(ws, finding, scaffolds)
        spec = catalog.rules[rule_id]
        results.append(Result(
            rule_id=rule_id, name=spec.name, practice_id=spec.practice,
            category=spec.category, severity=Severity(rules.severities.get(rule_id, spec.severity)),
            scope=scope.path, status=finding.status, message=finding.message,
            evidence=finding.evidence, remediation=spec.remediation, rule_scope=spec.scope, level=spec.level,
        ))
    results, waiver_uses = waiver_rules.apply(results, rules.waivers, now.date())
    results.sort(key=Result.sort_key)
    return Report(
        tool_version=__version__, target_path=str(target), target_name=name,
        commit=ws.head_commit, scopes=scopes, results=results, notes=ws.notes, waivers=waiver_uses,
        catalog=catalog,
    )


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
