"""Org-audit commands: ``audit``, ``report merge|import|export`` and ``diff``.

``register(cli)`` adds them to the main ``practicelint`` group. Exit codes: ``audit`` 0 when
every repository was audited, 1 when any became an error row, 2 for usage problems;
``report merge`` 0, 1 when shards are missing (unless ``--min-completion`` accepts what is
there), 2 for unreadable inputs; ``diff`` 1 when anything regressed or the new audit is
partial. The work itself lives in ``linter.audit``; this module parses options and reports.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from linter import inert
from linter.cli_output import fail, say, warn
from linter.cli_style import Command, Group
from linter.results import counted

MERGE_FORMATS = ("html", "json", "csv", "markdown")
DIFF_FORMATS = ("text", "json", "markdown")
EXPORT_TABLES = ("results", "repositories", "runs")


_fail = fail


def _outputs_for(output_dir: Path, shard: tuple[int, int] | None, history: Path | None, top: int,
                 report_url: str | None):  # type: ignore[no-untyped-def]
    from linter.audit.publish import Outputs

    suffix = f"-shard-{shard[0]}-of-{shard[1]}" if shard else ""
    return Outputs(json=output_dir / f"audit{suffix}.json", html=output_dir / f"dashboard{suffix}.html",
                   csv=output_dir / f"results{suffix}.csv", markdown=output_dir / f"summary{suffix}.md",
                   history=history, markdown_top=top, report_url=report_url)


def _history_path(text: str | None) -> Path | None:
    """``--history``: a SQLite file; a directory (or a path ending in ``/``) holds ``audits.db``."""
    if not text:
        return None
    path = Path(text)
    if text.endswith(("/", os.sep)):
        path.mkdir(parents=True, exist_ok=True)
    return path


def _min_completion(_ctx: Any, _param: Any, value: str | None) -> float | None:
    from linter.audit.merge import parse_min_completion

    if value is None:
        return None
    try:
        return parse_min_completion(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc).removeprefix("--min-completion: ")) from None


_history_option = click.option(
    "--history", "history", metavar="PATH",
    help="Record the audit in this SQLite history file (a directory keeps audits.db in it and imports its "
         "old audit-*.json snapshots); the dashboard shows trends and regressions since the previous audit.")
_top_option = click.option("--summary-top", "summary_top", type=click.IntRange(min=0), default=50, show_default=True,
                           help="Repositories listed in the Markdown summary, worst first.")
_url_option = click.option("--report-url", metavar="URL",
                           help="Where the full report is published; the Markdown summary links to it.")


@click.command("audit", cls=Command)
@click.argument("targets", nargs=-1, metavar="[PATH_OR_URL]...")
@click.option("--repos-file", type=click.Path(dir_okay=False, path_type=Path),
              help="File with one path or git URL a line ('#' comments); relative paths are relative to it.")
@click.option("--github-org", "github_orgs", multiple=True, metavar="ORG",
              help="Audit the organisation's repositories (REST API at $GITHUB_API_URL, token $GITHUB_TOKEN).")
@click.option("--gitlab-group", "gitlab_groups", multiple=True, metavar="GROUP",
              help="Audit the group's projects and its subgroups' ($CI_API_V4_URL or $GITLAB_API_URL, $GITLAB_TOKEN).")
@click.option("--include-archived", is_flag=True, help="With --github-org/--gitlab-group: archived ones too.")
@click.option("--include-forks", is_flag=True, help="With --github-org/--gitlab-group: forks too.")
@click.option("--include-empty", is_flag=True, help="With --github-org/--gitlab-group: empty ones too.")
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
@_history_option
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where URLs are cloned [default: $XDG_CACHE_HOME/practicelint/repos].")
@click.option("--repo-html/--no-repo-html", default=True, show_default=True,
              help="Write each repository's single-repo HTML report beside the dashboard.")
@click.option("--retry-failed", type=click.Path(dir_okay=False, exists=True, path_type=Path), metavar="PREVIOUS.json",
              help="Audit again only the repositories that were error rows in PREVIOUS.json; keep the others' rows.")
@click.option("--skip-unchanged", type=click.Path(dir_okay=False, exists=True, path_type=Path), metavar="PREVIOUS.json",
              help="Keep PREVIOUS.json's row of a repository whose HEAD commit and configuration did not change.")
@click.option("--plan", "plan_only", is_flag=True,
              help="Only list the repositories and size the shards: write repos.txt and plan.json to --output-dir.")
@click.option("--repos-per-shard", type=click.IntRange(min=1), default=1000, show_default=True,
              help="With --plan: repositories per shard.")
@click.option("--max-shards", type=click.IntRange(min=1), default=256, show_default=True,
              help="With --plan: at most this many shards (256 is GitHub Actions' matrix limit).")
@_top_option
@_url_option
def audit_command(targets: tuple[str, ...], repos_file: Path | None, github_orgs: tuple[str, ...],
                  gitlab_groups: tuple[str, ...], include_archived: bool, include_forks: bool, include_empty: bool,
                  jobs: int | None, output_dir: Path, config_path: Path | None, policy_path: Path | None,
                  ignore_repo_waivers: bool, shard: str | None, timeout_per_repo: float, history: str | None,
                  cache_dir: Path | None, repo_html: bool, retry_failed: Path | None, skip_unchanged: Path | None,
                  plan_only: bool, repos_per_shard: int, max_shards: int, summary_top: int,
                  report_url: str | None) -> None:
    """Audit many repositories: local paths, directories of repositories, git URLs, or a
    GitHub organisation's or GitLab group's repositories."""
    from linter.audit.clone import default_cache_dir
    from linter.audit.document import DocumentError
    from linter.audit.inputs import InputError, collect, disambiguate, parse_shard, select_shard
    from linter.audit.progress import Progress
    from linter.audit.publish import publish
    from linter.audit.runner import AuditOptions, audit
    from linter.audit.store import HistoryError
    from linter.config import ConfigError
    from linter.engine import current_time

    if config_path and policy_path:
        raise click.UsageError("--config and --policy are exclusive: a policy already replaces repository configuration")
    if retry_failed and skip_unchanged:
        raise click.UsageError("--retry-failed and --skip-unchanged are exclusive")
    listing_given = bool(github_orgs or gitlab_groups)
    try:
        selected = parse_shard(shard) if shard else None
        inputs = collect(list(targets), repos_file)
        inputs = _with_listed(inputs, github_orgs, gitlab_groups,
                              {k for k, on in (("archived", include_archived), ("fork", include_forks),
                                               ("empty", include_empty)) if on})
        now = current_time()
    except (InputError, ConfigError) as exc:
        _fail(str(exc))
        return
    previous_path = retry_failed or skip_unchanged
    if not targets and repos_file is None and not listing_given and previous_path is None:
        raise click.UsageError("give repositories to audit (paths, directories, URLs, --repos-file, --github-org, "
                               "--gitlab-group) or --retry-failed/--skip-unchanged PREVIOUS.json")
    if plan_only:
        from linter.audit.plan import write_plan

        plan = write_plan(output_dir, inputs, repos_per_shard, max_shards)
        say(f"practicelint audit --plan: {_repos(plan['repos'])} in {counted(plan['shards'], 'shard')}; "
            f"wrote {output_dir / 'plan.json'} and {output_dir / 'repos.txt'}", err=True)
        return
    options = AuditOptions(output_dir=output_dir.resolve(), cache_dir=(cache_dir or default_cache_dir()).resolve(),
                           now=now, jobs=jobs or os.cpu_count() or 1, timeout=timeout_per_repo,
                           config=config_path, policy=policy_path, ignore_repo_waivers=ignore_repo_waivers,
                           html=repo_html, config_key=_config_key(config_path, policy_path, ignore_repo_waivers))
    reuse = None
    if previous_path is not None:
        from linter.audit import reuse as reuse_mod

        mode = reuse_mod.RETRY if retry_failed else reuse_mod.SKIP
        try:
            reuse = reuse_mod.load(mode, previous_path, options.output_dir / "logs", options.config_key or "", now)
        except DocumentError as exc:
            _fail(str(exc))
            return
        if selected and reuse.shard() and selected != reuse.shard():
            reuse.close()
            raise click.UsageError(f"--shard {selected[0]}/{selected[1]} but {previous_path} is shard "
                                   f"{reuse.shard()[0]}/{reuse.shard()[1]}")  # type: ignore[index]
        if not targets and repos_file is None and not listing_given:
            inputs = reuse.inputs()
        selected = selected or reuse.shard()  # a shard's retry is that shard
        options.reuse = reuse
    if selected and history:
        if reuse is not None:
            reuse.close()
        raise click.UsageError("--history records whole audits: give it to `report merge` of the shards, "
                               "not to one shard")
    inputs = disambiguate(inputs)  # with the listed and previous repositories, before a shard is picked
    total = len(inputs)
    if selected:
        inputs = select_shard(inputs, *selected)
    say(f"practicelint audit: {_repos(len(inputs))}"
        + (f" (shard {selected[0]}/{selected[1]} of {total})" if selected else ""), err=True)
    collected = audit(inputs, options, Progress(len(inputs)))
    header: dict[str, Any] = {
        "tool": _tool(), "started_at": now.isoformat(),
        "shard": {"index": selected[0], "count": selected[1], "repos": len(inputs), "total": total}
        if selected else None,
        "options": {"config": str(config_path) if config_path else None,
                    "policy": str(policy_path) if policy_path else None,
                    "ignore_repo_waivers": ignore_repo_waivers, "config_key": options.config_key},
    }
    if reuse is not None:
        header["previous"] = {"mode": reuse.mode, "path": str(previous_path), "kept": reuse.kept,
                              "started_at": reuse.header.get("started_at")}
        reuse.close()
    outputs = _outputs_for(options.output_dir, selected, _history_path(history), summary_top, report_url)
    try:
        result = publish(collected.spool, collected.summary, header, outputs)
    except (HistoryError, DocumentError) as exc:
        collected.spool.close()
        _fail(str(exc))
        return
    collected.spool.close()
    for path in outputs.written:
        say(f"wrote {path}", err=True)
    if reuse is not None:
        say(f"kept {counted(reuse.kept, 'row')} of {previous_path} ({reuse.mode})", err=True)
    if result["regressions"]:
        say(f"{_repos(len(result['regressions']))} regressed since the last audit", err=True)
    sys.exit(1 if result["summary"]["errors"] else 0)


def _with_listed(inputs: list[Any], github_orgs: tuple[str, ...], gitlab_groups: tuple[str, ...],
                 include: set[str]) -> list[Any]:
    """``inputs`` plus the repositories the hosts list (deduplicated by identity, sorted)."""
    if not github_orgs and not gitlab_groups:
        return inputs
    from linter.audit.hosts import ApiError, github_org, gitlab_group
    from linter.audit.inputs import InputError, make_input, url_identity

    found = {item.id: item for item in inputs}
    for host, names, lister in (("GitHub org", github_orgs, github_org), ("GitLab group", gitlab_groups, gitlab_group)):
        for name in names:
            try:
                listing = lister(name, include)
            except ApiError as exc:
                raise InputError(f"{host} {name}: {exc}") from None
            for repo in listing.repos:
                identity = url_identity(repo.clone_url)
                found.setdefault(identity, make_input(repo.clone_url, "url", identity))
            skipped = ", ".join(f"{n} {why}" for why, n in sorted(listing.skipped.items()))
            say(f"listed {_repos(len(listing.repos))} from {host} {name} in {counted(listing.pages, 'page')}"
                + (f"; skipped {skipped}" if skipped else "")
                + (f"; waited {listing.waited:.0f}s for rate limits" if listing.waited else ""), err=True)
    return sorted(found.values())


def _repos(number: int) -> str:
    return counted(number, "repository", "repositories")


def _config_key(config: Path | None, policy: Path | None, ignore_repo_waivers: bool) -> str:
    from linter import __version__
    from linter.audit.reuse import config_key

    from linter.catalog.loader import catalog_dirs

    practices, rules = catalog_dirs()
    code = code_digest(Path(__file__).resolve().parent, practices, rules)
    return config_key(f"{__version__}+{code}", config, policy, ignore_repo_waivers)


def code_digest(*folders: Path) -> str:
    """A digest of the code that judges: every ``.py`` and ``.yaml`` file under ``folders`` (the
    package, the catalog's practices and rules: path and bytes), so ``--skip-unchanged``
    re-audits a repository when practicelint's rules or checks changed, even within one
    version. Contents, not modification times: every CI job installs the same wheel afresh, and
    must still find the last job's rows reusable."""
    import hashlib

    digest = hashlib.sha256()
    for folder in folders:
        files = sorted(p for p in folder.rglob("*") if p.suffix in (".py", ".yaml") and "__pycache__" not in p.parts)
        for path in files:
            digest.update(f"{folder.name}/{path.relative_to(folder).as_posix()}".encode("utf-8", "surrogateescape"))
            digest.update(b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _tool() -> dict[str, str]:
    from linter import __version__

    return {"name": "practicelint", "version": __version__}


@click.group("report", cls=Group)
def report_group() -> None:
    """Work with saved reports."""


@report_group.command("merge", cls=Command)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(MERGE_FORMATS), default="html", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@_history_option
@click.option("--min-completion", callback=_min_completion, metavar="RATIO",
              help="Accept a merge with missing shards when at least this share of the repositories is "
                   "covered (0.99 or 99%); it is still marked partial.")
@_top_option
@_url_option
def merge_command(inputs: tuple[Path, ...], fmt: str, output: Path, history: str | None,
                  min_completion: float | None, summary_top: int, report_url: str | None) -> None:
    """Combine per-repository or per-shard JSON into one org report.

    Exits 1 when shards are missing (the result is written, marked partial) unless
    --min-completion accepts the share covered; a refused merge is not recorded in --history.
    """
    from linter.audit.document import DocumentError
    from linter.audit.merge import accepted, describe, merge_files
    from linter.audit.publish import Outputs, publish
    from linter.audit.store import HistoryError

    import tempfile  # here: importing it with the CLI would cost every `check` its import

    with tempfile.TemporaryDirectory(prefix="practicelint-merge-") as scratch:
        try:
            merged = merge_files(list(inputs), Path(scratch) / "rows.jsonl")
        except DocumentError as exc:
            _fail(str(exc))
            return
        for duplicate in merged.duplicates:
            warn(f"duplicate repository {duplicate}")
        ok = accepted(merged.completion, min_completion)
        if merged.completion and merged.completion.get("partial"):
            warn(f"{describe(merged.completion)}"
                 + ("" if ok else "; refused (exit 1)" + ("; not recorded in the history" if history else "")))
        outputs = Outputs(**{fmt: output}, history=_history_path(history) if ok else None,
                          markdown_top=summary_top, report_url=report_url)
        try:
            publish(merged.spool, merged.summary, merged.header, outputs)
        except HistoryError as exc:
            merged.spool.close()
            _fail(str(exc))
            return
        merged.spool.close()
    say(f"wrote {output}", err=True)
    if not ok:
        sys.exit(1)


@report_group.command("import", cls=Command)
@click.argument("snapshots", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--history", "history", required=True, metavar="FILE", help="The SQLite history to record them in.")
def import_command(snapshots: tuple[Path, ...], history: str) -> None:
    """Record audit documents (earlier --history JSON snapshots, or any audit.json) in the SQLite
    history; a directory stands for its audit-*.json files."""
    from linter.audit.document import DocumentError
    from linter.audit.history import import_documents, snapshots_in
    from linter.audit.publish import rule_metadata
    from linter.audit.store import History, HistoryError, resolve

    paths = [p for s in snapshots for p in (snapshots_in(s) if s.is_dir() else [s])]
    try:
        with History(resolve(Path(history))) as db:
            done = import_documents(db, paths, rule_metadata(), skip_recorded=True)
    except (DocumentError, HistoryError) as exc:
        _fail(str(exc))
        return
    say(f"imported {counted(len(done), 'audit')} into {resolve(Path(history))} ({len(paths) - len(done)} already there)",
        err=True)


@report_group.command("export", cls=Command)
@click.option("--history", "history", required=True, metavar="FILE", help="The SQLite history to read.")
@click.option("--table", type=click.Choice(EXPORT_TABLES), default="results", show_default=True,
              help="results: one row per repository, rule, scope and run; repositories: one per repository "
                   "and run; runs: one per run.")
@click.option("--all-runs", is_flag=True, help="Every run recorded, not only the latest.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The NDJSON file to write (one JSON object a line).")
def export_command(history: str, table: str, all_runs: bool, output: Path) -> None:
    """Export history rows as NDJSON that BigQuery and PostgreSQL load as is (docs/audit.md)."""
    from linter.audit.store import History, HistoryError, ndjson_line, resolve

    path = resolve(Path(history))
    if not path.is_file():
        _fail(f"{path}: no such history file")
    try:
        with History(path) as db:
            runs = db.run_ids(latest_only=not all_runs)
            output.parent.mkdir(parents=True, exist_ok=True)
            count = 0
            with open(output, "w", encoding="utf-8") as out:
                for record in db.export(table, runs):
                    out.write(inert.defuse_json(ndjson_line(record)))
                    count += 1
    except HistoryError as exc:
        _fail(str(exc))
        return
    say(f"wrote {counted(count, 'row')} of the {table} table ({counted(len(runs), 'run')}) to {output}", err=True)


@click.command("diff", cls=Command)
@click.argument("old", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.argument("new", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(DIFF_FORMATS), default="text", show_default=True)
@click.option("--min-completion", callback=_min_completion, metavar="RATIO",
              help="Accept a partial NEW audit covering at least this share of the repositories.")
def diff_command(old: Path, new: Path, fmt: str, min_completion: float | None) -> None:
    """Compare two audits or reports: new failures, fixed rules, level and score changes.

    Exits 1 when any repository regressed, or when NEW is a partial merge (repositories of its
    missing shards are reported as missing, not removed) below --min-completion, so a
    scheduled audit can gate or alert.
    """
    from linter.audit.diff import RENDERERS, compare
    from linter.audit.document import DocumentError, load_document
    from linter.audit.merge import accepted

    try:
        _, old_rows = load_document(old)
        new_header, new_rows = load_document(new)
    except DocumentError as exc:
        _fail(str(exc))
        return
    completion = new_header.get("completion") if isinstance(new_header.get("completion"), dict) else None
    diff = compare(old_rows, new_rows, completion)
    text = RENDERERS[fmt](diff)
    click.echo(text if fmt == "json" else inert.block(text), nl=False)
    sys.exit(1 if diff["regressed"] or not accepted(completion, min_completion) else 0)


def register(cli_group: click.Group) -> None:
    """Add ``audit``, ``report merge|import|export`` and ``diff`` to the main command group."""
    cli_group.add_command(audit_command, "audit")
    existing = cli_group.commands.get("report")
    if isinstance(existing, click.Group):
        for name, command in (("merge", merge_command), ("import", import_command), ("export", export_command)):
            existing.add_command(command, name)
    else:
        cli_group.add_command(report_group, "report")
    cli_group.add_command(diff_command, "diff")
