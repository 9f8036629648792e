"""Org-audit commands: ``audit``, ``report merge`` and ``diff``.

``register(cli)`` adds them to the main ``practicelint`` group. Exit codes: ``audit`` 0 when
every repository was audited, 1 when any became an error row, 2 for usage problems;
``report merge`` 0, or 2 for unreadable inputs; ``diff`` 1 when anything regressed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from linter import inert
from linter.cli_output import fail, say, warn

MERGE_FORMATS = ("html", "json", "csv", "markdown")
DIFF_FORMATS = ("text", "json", "markdown")


_fail = fail


def _outputs_for(output_dir: Path, shard: tuple[int, int] | None, history: Path | None):  # type: ignore[no-untyped-def]
    from linter.audit.publish import Outputs

    suffix = f"-shard-{shard[0]}-of-{shard[1]}" if shard else ""
    return Outputs(json=output_dir / f"audit{suffix}.json", html=output_dir / f"dashboard{suffix}.html",
                   csv=output_dir / f"results{suffix}.csv", history=history)


@click.command("audit")
@click.argument("targets", nargs=-1, metavar="[PATH_OR_URL]...")
@click.option("--repos-file", type=click.Path(dir_okay=False, path_type=Path),
              help="File with one path or git URL a line ('#' comments); relative paths are relative to it.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Repositories audited in parallel [default: the CPU count].")
@click.option("-o", "--output-dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("practicelint-audit"), show_default=True,
              help="Where the audit JSON, dashboard, CSV and per-repository reports are written.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Configuration file used for every repository instead of its own.")
@click.option("--policy", "policy_path", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Central policy for every repository; in-repo configuration may only add waivers.")
@click.option("--ignore-repo-waivers", is_flag=True, help="With --policy: disregard waivers declared in repositories.")
@click.option("--shard", metavar="K/N", help="Audit only shard K of N (stable hash of each repository's identity).")
@click.option("--timeout-per-repo", type=click.FloatRange(min=0, min_open=True), default=600.0, show_default=True,
              metavar="SECONDS", help="Kill and report as an error a repository that takes longer (clone included).")
@click.option("--history", "history_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Keep a dated snapshot here and show trends and regressions since the last one.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where URLs are cloned [default: $XDG_CACHE_HOME/practicelint/repos].")
@click.option("--repo-html/--no-repo-html", default=True, show_default=True,
              help="Write each repository's single-repo HTML report beside the dashboard.")
def audit_command(targets: tuple[str, ...], repos_file: Path | None, jobs: int | None, output_dir: Path,
                  config_path: Path | None, policy_path: Path | None, ignore_repo_waivers: bool, shard: str | None,
                  timeout_per_repo: float, history_dir: Path | None, cache_dir: Path | None, repo_html: bool) -> None:
    """Audit many repositories: local paths, directories of repositories, or git URLs."""
    from linter.audit.clone import default_cache_dir
    from linter.audit.inputs import InputError, collect, parse_shard, select_shard
    from linter.audit.progress import Progress
    from linter.audit.publish import publish
    from linter.audit.runner import AuditOptions, audit
    from linter.config import ConfigError
    from linter.engine import current_time

    if config_path and policy_path:
        raise click.UsageError("--config and --policy are exclusive: a policy already replaces repository configuration")
    try:
        selected = parse_shard(shard) if shard else None
        inputs = collect(list(targets), repos_file)
        now = current_time()
    except (InputError, ConfigError) as exc:
        _fail(str(exc))
        return
    if not targets and repos_file is None:
        raise click.UsageError("give repositories to audit (paths, directories or URLs) or --repos-file")
    total = len(inputs)
    if selected:
        inputs = select_shard(inputs, *selected)
    say(f"practicelint audit: {len(inputs)} repositories"
        + (f" (shard {selected[0]}/{selected[1]} of {total})" if selected else ""), err=True)
    options = AuditOptions(output_dir=output_dir.resolve(), cache_dir=(cache_dir or default_cache_dir()).resolve(),
                           now=now, jobs=jobs or os.cpu_count() or 1, timeout=timeout_per_repo,
                           config=config_path, policy=policy_path, ignore_repo_waivers=ignore_repo_waivers,
                           html=repo_html)
    collected = audit(inputs, options, Progress(len(inputs)))
    header = {
        "tool": _tool(), "started_at": now.isoformat(),
        "shard": {"index": selected[0], "count": selected[1]} if selected else None,
        "options": {"config": str(config_path) if config_path else None,
                    "policy": str(policy_path) if policy_path else None,
                    "ignore_repo_waivers": ignore_repo_waivers},
    }
    outputs = _outputs_for(options.output_dir, selected, history_dir)
    result = publish(collected.spool, collected.summary, header, outputs)
    collected.spool.close()
    for path in outputs.written:
        say(f"wrote {path}", err=True)
    if result["regressions"]:
        say(f"{len(result['regressions'])} repositories regressed since the last audit", err=True)
    sys.exit(1 if result["summary"]["errors"] else 0)


def _tool() -> dict[str, str]:
    from linter import __version__

    return {"name": "practicelint", "version": __version__}


@click.group("report")
def report_group() -> None:
    """Work with saved reports."""


@report_group.command("merge")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(MERGE_FORMATS), default="html", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--history", "history_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Keep a dated snapshot of the merged audit here; trends and regressions in the dashboard.")
def merge_command(inputs: tuple[Path, ...], fmt: str, output: Path, history_dir: Path | None) -> None:
    """Combine per-repository or per-shard JSON into one org report."""
    from linter.audit.document import DocumentError
    from linter.audit.merge import merge_files
    from linter.audit.publish import Outputs, publish

    import tempfile  # here: importing it with the CLI cost every `check` ~3 ms

    with tempfile.TemporaryDirectory(prefix="practicelint-merge-") as scratch:
        try:
            merged = merge_files(list(inputs), Path(scratch) / "rows.jsonl")
        except DocumentError as exc:
            _fail(str(exc))
            return
        for duplicate in merged.duplicates:
            warn(f"duplicate repository skipped: {duplicate}")
        outputs = Outputs(**{fmt: output}, history=history_dir)
        publish(merged.spool, merged.summary, merged.header, outputs)
        merged.spool.close()
    say(f"wrote {output}", err=True)


@click.command("diff")
@click.argument("old", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.argument("new", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(DIFF_FORMATS), default="text", show_default=True)
def diff_command(old: Path, new: Path, fmt: str) -> None:
    """Compare two audits or reports: new failures, fixed rules, level and score changes.

    Exits 1 when any repository regressed, so a scheduled audit can gate or alert.
    """
    from linter.audit.diff import RENDERERS, compare
    from linter.audit.document import DocumentError, load_document

    try:
        _, old_rows = load_document(old)
        _, new_rows = load_document(new)
    except DocumentError as exc:
        _fail(str(exc))
        return
    diff = compare(old_rows, new_rows)
    text = RENDERERS[fmt](diff)
    click.echo(text if fmt == "json" else inert.block(text), nl=False)
    sys.exit(1 if diff["regressed"] else 0)


def register(cli_group: click.Group) -> None:
    """Add ``audit``, ``report merge`` and ``diff`` to the main command group."""
    cli_group.add_command(audit_command, "audit")
    existing = cli_group.commands.get("report")
    if isinstance(existing, click.Group):
        existing.add_command(merge_command, "merge")
    else:
        cli_group.add_command(report_group, "report")
    cli_group.add_command(diff_command, "diff")
