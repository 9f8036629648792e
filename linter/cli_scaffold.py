"""``practicelint init`` and ``practicelint fix``: commands registered on the main group.

``register(cli)`` adds them, so the scaffolding code is imported only when one runs. Exit
codes follow the rest of the CLI: 0 when the command wrote something or had nothing to do,
2 for usage or configuration errors (with a message, never a traceback).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from linter import placeholders
from linter.cli_output import fail, say, show
from linter.cli_style import Command

if TYPE_CHECKING:
    from linter.scaffold.fix import FixOutcome
    from linter.scaffold.scaffolders import PlannedFile


_fail = fail


def _split(values: tuple[str, ...]) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


@click.command("init", cls=Command)
@click.argument("path", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Print the configuration instead of writing it.")
def init_command(path: Path, dry_run: bool) -> None:
    """Write a commented .practicelint.yaml for the repository at PATH (never overwrites one)."""
    from linter.config import ConfigError
    from linter.engine import current_time
    from linter.scaffold import init

    try:
        plan = init.plan(path, current_time().date())
        if not dry_run:
            init.write(plan)
    except (init.InitError, ConfigError) as exc:
        _fail(str(exc))
        return
    for line in plan.summary():
        say(f"found {line}")
    if dry_run:
        say(f"would write {plan.path}:")
        show(plan.text)
    else:
        say(f"wrote {plan.path}")


@click.command("fix", cls=Command)
@click.argument("path", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--rule", "rules", multiple=True,
              help="Only these rules (ids or names, comma-separated, repeatable).")
@click.option("--dry-run", is_flag=True, help="Show the files as a diff instead of writing them.")
@click.option("--org", help="Organisation for CODEOWNERS team handles (default: the git remote's owner, "
                            "else a marked placeholder).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Configuration file (default: .practicelint.yaml or [tool.practicelint] in the target).")
def fix_command(path: Path, rules: tuple[str, ...], dry_run: bool, org: str | None,
                config_path: Path | None) -> None:
    """Scaffold what failing rules lack at PATH (never overwrites a file)."""
    from linter.catalog import CatalogError
    from linter.scaffold.fix import FixUsageError, fix

    try:
        outcome = fix(path, rules=_split(rules) or None, dry_run=dry_run, org=org, config_path=config_path)
    except (FixUsageError, CatalogError) as exc:  # ConfigError is a CatalogError
        _fail(str(exc))
        return
    _report(outcome)


def _report(outcome: FixOutcome) -> None:
    """Tell the user what was written or skipped, what to do by hand, and what is addressed."""
    for rule_id in outcome.not_in_catalog:
        say(f"{rule_id}: not in this version's rule catalog; nothing checked, nothing written")
    verb = "would write" if outcome.dry_run else "wrote"
    for item in outcome.written:
        say(f"{verb} {item.path}  ({item.rule_id}: {', '.join(item.scopes)})")
        if outcome.dry_run:
            show(_diff(item))
    for item, reason in outcome.skipped:
        say(f"skipped {item.path}  ({item.rule_id}): {reason}")
    for advice in outcome.advice:
        show(f"{advice.rule_id}: {advice.text}\n")  # advice may hold a snippet to paste
    if outcome.claims:
        addressed = "; ".join(f"{rule} ({', '.join(scopes)})" for rule, scopes in sorted(outcome.claims.items()))
        say(f"{'would address' if outcome.dry_run else 'addressed'}: {addressed}. "
            f"Replace every {placeholders.MARK} prompt and {placeholders.ORG}/{placeholders.TEAM} name before "
            "committing: until then their rules fail with \"scaffold not filled in\".")
    elif not outcome.failing and outcome.unfilled:
        say("nothing written: " + ", ".join(sorted(outcome.unfilled)) + " fail on scaffolds not filled in yet; "
            "see above")
    elif not outcome.failing:
        say("nothing to do: no failing rule that fix can address")
    else:
        say("no file written: " + ", ".join(sorted(outcome.failing)) + " still fail; see above")


def _diff(item: PlannedFile) -> str:
    from linter.scaffold.fix import unified_diff

    return unified_diff(item)


def register(cli_group: click.Group) -> None:
    """Add ``init`` and ``fix`` to the main command group."""
    cli_group.add_command(init_command)
    cli_group.add_command(fix_command)
