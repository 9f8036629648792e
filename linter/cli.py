"""The ``practicelint`` command line.

Exit codes follow ruff and most linters: 0 clean, 1 failures at or above ``--fail-on``,
2 usage, configuration or internal errors. No traceback reaches a user.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from linter import __version__
from linter.results import counted
from linter.cli_output import fail, say, show
from linter.cli_style import MAX_HELP_WIDTH, Group
from linter.reporters import REPORTERS

CHECK_FORMATS = sorted(REPORTERS)


def _split(values: tuple[str, ...]) -> list[str]:
    """``--select A,B --select C`` -> ``[A, B, C]``."""
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def _use_color(stream: Any) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def _parse_reports(values: tuple[str, ...]) -> list[tuple[str, Path]]:
    """``("sarif=out.sarif", ...)`` -> ``[("sarif", Path("out.sarif")), ...]`` or a usage error."""
    parsed = []
    for value in values:
        fmt, sep, path = value.partition("=")
        if not sep or not path or fmt not in REPORTERS:
            raise click.BadParameter(
                f"expected FORMAT=PATH with FORMAT one of {', '.join(CHECK_FORMATS)}, got {value!r}",
                param_hint="--report")
        parsed.append((fmt, Path(path)))
    return parsed


def _write(path: Path, text: str, scanned: str | None = None, what: str = "report") -> None:
    """Write a report (or a baseline: ``what``); inside the ``scanned`` folder never through a
    link or FIFO planted there (``linter.outfiles``)."""
    from linter.outfiles import write_text

    try:
        write_text(path, text, Path(scanned) if scanned is not None else None)
    except OSError as exc:
        _fail(f"{path}: cannot write {what}: {exc.strerror or exc}")


_fail = fail


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"],
                                         "max_content_width": MAX_HELP_WIDTH})
@click.version_option(__version__, "-V", "--version", prog_name="practicelint")
def cli() -> None:
    """Check a repository against proven engineering practices."""


@cli.command()
@click.argument("path", default=".", type=click.Path(file_okay=False, path_type=str))
@click.option("--format", "fmt", type=click.Choice(CHECK_FORMATS), default="text", show_default=True,
              help="Report format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to this file instead of standard output.")
@click.option("--report", "reports", multiple=True, metavar="FORMAT=PATH",
              help="Also write a report in FORMAT to PATH (repeatable), e.g. --report sarif=results.sarif.")
@click.option("--select", multiple=True, help="Rule ids, prefixes or names to run (comma-separated, repeatable).")
@click.option("--ignore", multiple=True, help="Rule ids, prefixes or names to skip (comma-separated, repeatable).")
@click.option("--summary", is_flag=True,
              help="Text format: one line per rule with its results counted by status across services, "
                   "instead of every result.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None,
              help="Lowest severity whose failure gives exit code 1 [default: error, or the config's fail-on].")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Configuration file (default: .practicelint.yaml or [tool.practicelint] in the target).")
@click.option("--policy", "policy_path", type=click.Path(dir_okay=False, path_type=Path),
              help="A central policy: replaces the repository's configuration, which may only add waivers.")
@click.option("--ignore-repo-waivers", is_flag=True, help="With --policy, disregard the repository's waivers.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Known failures (from `practicelint baseline create`) do not fail the run.")
@click.option("--untracked", type=click.Choice(["auto", "all", "none"]), default=None,  # gitls.UNTRACKED_MODES
              help="Untracked, not ignored files: all, none, or auto (unless the index holds over "
                   "50,000 files) [default: the config's untracked, else auto].")
@click.option("--require-history", is_flag=True,
              help="Rules that read git history report error, not skipped, on a shallow clone, a grafted "
                   "history or a folder outside git (the config's history: required).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Processes for the checks: 2 runs the documentation rules in a second process "
                   "(Linux) [default: 2 with two or more CPUs, else 1].")
@click.option("--timeout", type=click.FloatRange(min=0), default=None, metavar="SECONDS",
              help="Stop with exit code 2 after this many seconds, saying what was running; 0: never "
                   "[default: the config's timeout, else $PRACTICELINT_TIMEOUT, else 600]. "
                   "A repository's own configuration may only lower it.")
def check(path: str, fmt: str, output: Path | None, reports: tuple[str, ...], select: tuple[str, ...],
          ignore: tuple[str, ...], summary: bool, fail_on: str | None, config_path: Path | None, policy_path: Path | None,
          ignore_repo_waivers: bool, baseline_path: Path | None, untracked: str | None,
          require_history: bool, jobs: int | None, timeout: float | None) -> None:
    """Check the repository at PATH (default: the current directory)."""
    if config_path is not None and policy_path is not None:
        _fail("--config and --policy cannot be used together")
    if summary and fmt != "text":
        _fail(f"--summary applies to the text format, not {fmt}")
    extra_reports = _parse_reports(reports)
    from linter import deadline

    deadline.start(*((timeout, "--timeout") if timeout is not None else deadline.default_seconds()))
    try:
        _check(path, fmt, output, extra_reports, select, ignore, fail_on, config_path, policy_path,
               ignore_repo_waivers, baseline_path, untracked, jobs, timeout, summary, require_history)
    except deadline.DeadlineExceeded as exc:
        deadline.stop()
        _fail(str(exc))
    except KeyboardInterrupt:
        if not deadline.expired():
            raise
        _fail(str(deadline.exceeded()))  # the fallback without SIGALRM interrupted the main thread
    finally:
        deadline.stop()  # whichever way ``check`` ends (a test calling it in-process lives on)


def _check(path: str, fmt: str, output: Path | None, extra_reports: list[tuple[str, Path]],
           select: tuple[str, ...], ignore: tuple[str, ...], fail_on: str | None, config_path: Path | None,
           policy_path: Path | None, ignore_repo_waivers: bool, baseline_path: Path | None,
           untracked: str | None, jobs: int | None, timeout: float | None, summary: bool = False,
           require_history: bool = False) -> None:
    """``check`` under its deadline."""
    from linter import deadline
    from linter.repo import commit_sizes
    from linter.runtime import verdicts
    from linter.repo import gitls

    gitls.prefetch(path)  # git lists the files and sizes commits on the other core while the checks import
    commit_sizes.prefetch(path)
    verdicts.prefetch(path)
    from linter.catalog import CatalogError, load_catalog
    from linter.runtime import executors
    from linter.engine import RunOptions, exit_code, run
    from linter.reporters import render

    options = RunOptions(config_path=config_path, select=_split(select) or None,
                         ignore=_split(ignore), fail_on=fail_on, policy_path=policy_path,
                         ignore_repo_waivers=ignore_repo_waivers, baseline_path=baseline_path,
                         untracked=untracked, jobs=jobs or executors.auto_jobs(), timeout=timeout,
                         require_history=require_history)
    try:
        report, config = run(path, options)
        catalog = report.catalog or load_catalog()
    except CatalogError as exc:
        _fail(str(exc))
        return
    color = output is None and fmt == "text" and _use_color(sys.stdout)
    with deadline.phase("writing the reports"):
        for extra_fmt, extra_path in extra_reports:
            _write(extra_path, render(extra_fmt, report, catalog), path)
        text = render(fmt, report, catalog, color=color, summary=summary)
    deadline.stop()  # nothing slow is left: the report goes out whole
    if output is not None:
        _write(output, text, path)
    else:
        click.echo(text, nl=False)
    global _quick_exit
    _quick_exit = True  # every report is written and closed: nothing is left for teardown
    sys.exit(exit_code(report, fail_on or config.fail_on))


#: Set by ``check`` once its reports are written: ``main`` then ends the process without the
#: interpreter's teardown (freeing every module and object), a measurable share of a small run,
#: on a big repository. Exit handlers still run and standard streams are flushed first.
_quick_exit = False


def _catalog(config_path: Path | None) -> Any:
    """The built-in catalog plus the rule packs of ``--config`` or of the current directory's config."""
    from linter import plugins
    from linter.catalog import CatalogError

    catalog = plugins.load_cached().catalog
    try:
        from linter.engine import RunOptions, current_time, resolve_config, with_rule_packs
        from linter.repo.workspace import Workspace

        ws = Workspace(".")
        options = RunOptions(config_path=config_path)
        config = resolve_config(ws, options, current_time()).config
        if config.rule_packs:
            catalog, _ = with_rule_packs(catalog, config, ws, options)
    except CatalogError as exc:
        _fail(str(exc))
    return catalog


def _config_may_add_rules(directory: Path) -> bool:
    """Whether the configuration in ``directory`` could add rules (rule packs, or parents that might)."""
    for name in (".practicelint.yaml", ".practicelint.yml", "pyproject.toml"):
        try:
            text = (directory / name).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if name == "pyproject.toml" and "[tool.practicelint" not in text:
            continue
        return any(word in text for word in ("rule-packs", "rule_packs", "extends"))
    return False


@cli.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Include the rule packs of this configuration (default: the current directory's).")
def rules_command(fmt: str, config_path: Path | None) -> None:
    """List the rule catalog (id, name, severity, scope, practice)."""
    import json

    from linter.plugins import third_party_plugins_present

    if config_path is None and not third_party_plugins_present() and not _config_may_add_rules(Path.cwd()):
        from linter.catalog import load_catalog

        catalog = load_catalog()  # the packaged catalog alone: no configuration to validate
    else:
        catalog = _catalog(config_path)
    rows = [{"id": r.id, "name": r.name, "category": r.category, "severity": r.severity, "scope": r.scope,
             "practice": r.practice, "summary": r.summary} for r in catalog.rules.values()]
    if fmt == "markdown":
        lines = ["| id | name | category | severity | scope | practice |", "|---|---|---|---|---|---|"]
        lines += [f"| {r['id']} | {r['name']} | {r['category']} | {r['severity']} | {r['scope']} | {r['practice']} |"
                  for r in rows]
        show("\n".join(lines) + "\n")
        return
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    for line in text_table(rows, RULES_COLUMNS):
        say(line)


#: ``rules``' text columns: (header, key). Adding one is adding an entry.
RULES_COLUMNS = (("ID", "id"), ("NAME", "name"), ("SEVERITY", "severity"), ("SCOPE", "scope"),
                 ("PRACTICE", "practice"))


def text_table(rows: list[dict[str, Any]], columns: tuple[tuple[str, str], ...]) -> list[str]:
    """A header row and one line per row, columns two spaces apart and as wide as their widest cell."""
    cells = [[header for header, _ in columns]] + [[str(row[key]) for _, key in columns] for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() for line in cells]


@cli.command()
@click.argument("rule")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True,
              help="text: laid out for a terminal; markdown: the Markdown of docs/rules.md.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Include the rule packs of this configuration (default: the current directory's).")
def explain(rule: str, fmt: str, config_path: Path | None) -> None:
    """Explain RULE (an id such as PERF001, or a rule's name): what it checks, why, what counts
    as evidence, its options, how to fix and an example."""
    import difflib

    from linter.ruledocs import explain_text

    catalog = _catalog(config_path)
    spec = catalog.rule(rule)
    if spec is None:
        choices = list(catalog.rules) + [r.name for r in catalog.rules.values()]
        close = difflib.get_close_matches(rule, choices, n=1, cutoff=0.5)
        _fail(f"unknown rule {rule!r}" + (f" (did you mean '{close[0]}'?)" if close else ""))
        return
    markdown = explain_text(spec, catalog)
    if fmt == "markdown":
        show(markdown)
        return
    from linter.termdoc import render as terminal_text

    show(terminal_text(markdown, width=_text_width(sys.stdout)))


def _text_width(stream: Any) -> int:
    """The terminal's width (within 40..100 columns) when ``stream`` is one, else 80: piped
    output does not depend on the window it was run from."""
    if not getattr(stream, "isatty", lambda: False)():
        return 80
    import shutil

    return max(40, min(100, shutil.get_terminal_size((80, 24)).columns))


@cli.group("config")
def config_group() -> None:
    """Inspect the effective configuration."""


@config_group.command("show")
@click.argument("path", default=".", type=click.Path(file_okay=False, path_type=str))
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--policy", "policy_path", type=click.Path(dir_okay=False, path_type=Path))
def config_show(path: str, config_path: Path | None, policy_path: Path | None) -> None:
    """Print the effective configuration for PATH and where each value came from."""
    from linter.catalog import CatalogError
    from linter.configshow import show as effective_configuration

    try:
        show(effective_configuration(path, config_path=config_path, policy_path=policy_path))
    except CatalogError as exc:
        _fail(str(exc))


@cli.group("schema")
def schema_group() -> None:
    """Print JSON Schemas (for editor completion)."""


@schema_group.command("config")
def schema_config() -> None:
    """The JSON Schema of .practicelint.yaml (use it with yaml-language-server)."""
    from linter.configshow import config_schema_text

    click.echo(config_schema_text(), nl=False)


@cli.group("baseline")
def baseline_group() -> None:
    """Record today's failures so only new ones fail the run, then ratchet down."""


def _baseline_report(path: str, config_path: Path | None) -> Any:
    from linter.catalog import CatalogError
    from linter.engine import RunOptions, run

    try:
        report, _ = run(path, RunOptions(config_path=config_path))
    except CatalogError as exc:
        _fail(str(exc))
    return report


@baseline_group.command("create")
@click.argument("path", default=".", type=click.Path(file_okay=False, path_type=str))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Baseline file [default: PATH/.practicelint-baseline.json].")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path))
def baseline_create(path: str, output: Path | None, config_path: Path | None) -> None:
    """Record the current failures of PATH."""
    from linter import baseline

    report = _baseline_report(path, config_path)
    entries = baseline.entries_for(report)
    target = output or Path(path) / baseline.DEFAULT_BASELINE
    _write(target, baseline.render(entries), path, "baseline")
    say(f"wrote {target}: {counted(len(entries), 'known failure')}")


@baseline_group.command("update")
@click.argument("path", default=".", type=click.Path(file_okay=False, path_type=str))
@click.option("-b", "--baseline", "baseline_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Baseline file [default: PATH/.practicelint-baseline.json].")
@click.option("--force", is_flag=True, help="Also add today's new failures (the baseline may grow).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path))
def baseline_update(path: str, baseline_path: Path | None, force: bool, config_path: Path | None) -> None:
    """Drop entries that no longer fail; never add new ones without --force."""
    from linter import baseline
    from linter.catalog import CatalogError

    target = baseline_path or Path(path) / baseline.DEFAULT_BASELINE
    try:
        old = baseline.load(target)
    except CatalogError as exc:
        _fail(str(exc))
        return
    new = baseline.update(_baseline_report(path, config_path), old, force=force)
    _write(target, baseline.render(new), path, "baseline")
    removed = len({e.fingerprint for e in old} - {e.fingerprint for e in new})
    added = len({e.fingerprint for e in new} - {e.fingerprint for e in old})
    say(f"wrote {target}: {counted(len(new), 'known failure')} ({removed} removed, {added} added)")


def _register_extensions() -> None:
    """Commands that live in their own modules (kept out of this file to keep it small)."""
    from linter import cli_scaffold

    cli_scaffold.register(cli)
    try:
        from linter import cli_audit
    except ImportError:  # pragma: no cover - the audit package is optional while it is built
        return
    cli_audit.register(cli)


_register_extensions()


def main() -> None:
    """Entry point: run the CLI and turn any unexpected exception into exit code 2."""
    try:
        cli(prog_name="practicelint")
    except SystemExit as exc:
        if _quick_exit and isinstance(exc.code, int):
            _exit_now(exc.code)
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - last line of defence: no traceback for users
        say(f"practicelint: internal error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(2)


def _exit_now(code: int) -> None:
    """Run the exit handlers (they stop prefetched git commands), flush the standard streams
    and end the process at once. A stream that cannot be flushed (a closed pipe) gives the
    exit code Python itself uses for that, 120."""
    import atexit

    run_handlers = getattr(atexit, "_run_exitfuncs", None)
    if run_handlers is None:  # not CPython: leave the ordinary way
        sys.exit(code)
    run_handlers()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            code = code or 120
    os._exit(code)
