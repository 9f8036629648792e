"""What a person sees from the command line: whole descriptions in ``--help``, one error shape
for every exit 2, the ``rules`` header, ``explain`` laid out for a terminal, plurals."""

from __future__ import annotations

import re
from dataclasses import replace
import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from linter.catalog import load_catalog
from linter.cli import cli
from linter.cli_style import first_paragraph
from linter.reporters import render
from linter.reporters.html import code_spans
from linter.results import Status, counted
from linter.termdoc import render as terminal_text
from tests.audit.support import make_git_repo, run_audit
from tests.reporters.samples import mini_catalog, sample_report


def _invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _groups() -> list[tuple[list[str], click.Group]]:
    found = [([], cli)]
    for name, command in sorted(cli.commands.items()):
        if isinstance(command, click.Group):
            found.append(([name], command))
    return found


@pytest.mark.parametrize(("path", "group"), _groups(), ids=lambda v: "-".join(v) if isinstance(v, list) else "")
def test_help_lists_every_command_with_its_whole_description(path: list[str], group: click.Group) -> None:
    result = _invoke(*path, "--help")
    assert result.exit_code == 0
    commands = result.output.split("Commands:", 1)[1]
    flat = " ".join(commands.split())
    assert "..." not in flat  # click's cut short help
    for name, command in group.commands.items():
        description = first_paragraph(command.help)
        assert description and f"{name} {description}" in flat, name


def test_long_descriptions_are_whole_not_cut() -> None:
    """Near miss of the above: the audit command's description is longer than click's 45-character cut."""
    description = first_paragraph(cli.commands["audit"].help)
    assert len(description) > 80 and description.endswith("GitLab group's repositories.")


USAGE_ERRORS = [
    (["check", "--format", "foo"], "invalid value for '--format'", "practicelint check"),
    (["explain"], "missing argument 'RULE'", "practicelint explain"),
    (["check", "--bogus"], "no such option '--bogus'", "practicelint check"),
    (["no-such-command"], "no such command 'no-such-command'", "practicelint"),
    (["report", "merge"], "missing argument", "practicelint report merge"),
    (["config", "show", "--nope"], "no such option '--nope'", "practicelint config show"),
    (["check", "--report", "nonsense"], "expected FORMAT=PATH", "practicelint check"),
    (["check", "-j", "0"], "0 is not in the range", "practicelint check"),
    (["audit"], "give repositories to audit", "practicelint audit"),  # a UsageError the command raises
    (["rules", "--format", "xml"], "invalid value for '--format'", "practicelint rules"),
]


@pytest.mark.parametrize(("args", "says", "command"), USAGE_ERRORS, ids=lambda v: " ".join(v) if isinstance(v, list) else None)
def test_every_usage_error_is_one_line_in_our_shape(args: list[str], says: str, command: str) -> None:
    result = _invoke(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("practicelint: error: ") and says in lines[0]
    assert lines[0].endswith(f"(see {command} --help)")
    assert "Usage:" not in result.stderr and "Error:" not in result.stderr and "Try '" not in result.stderr


def test_errors_of_our_own_keep_their_shape_without_a_hint() -> None:
    """Not a usage error (the command understood the request): no ``--help`` hint."""
    result = _invoke("explain", "team-sise")
    assert result.exit_code == 2
    assert result.stderr.startswith("practicelint: error: unknown rule 'team-sise'") and "--help" not in result.stderr


def test_rules_prints_a_header_row_over_aligned_columns() -> None:
    lines = _invoke("rules").output.splitlines()
    assert lines[0].split() == ["ID", "NAME", "SEVERITY", "SCOPE", "PRACTICE"]
    starts = [lines[0].index(h) for h in ("NAME", "SEVERITY", "SCOPE", "PRACTICE")]
    catalog = load_catalog()
    assert len(lines) == len(catalog.rules) + 1
    for line, spec in zip(lines[1:], catalog.rules.values()):
        assert line.startswith(spec.id + " ")
        assert [line[s:].split()[0] for s in starts] == [spec.name, spec.severity, spec.scope, spec.practice]


def test_explain_text_is_laid_out_for_a_terminal() -> None:
    result = _invoke("explain", "PERF001")
    assert result.exit_code == 0
    out = result.output
    assert "`" not in out and "```" not in out and "|---" not in out and "**" not in out
    assert not re.search(r"^#", out, re.M)  # no Markdown headings
    lines = out.splitlines()
    assert lines[0] == "PERF001 tail-latency-slo"
    assert "What it checks" in lines and "How to fix" in lines
    example = lines.index("Example")
    assert lines[example + 1] == "    apiVersion: openslo/v1"  # indented, not fenced
    prose = lines[:example]
    assert all(len(line) <= 80 for line in prose), [line for line in prose if len(line) > 80]
    assert any(line.startswith("  min_percentile  float") for line in lines)  # the options table, aligned
    assert "histogram bucket le=\"0.5\"" in " ".join(out.split())  # a code span keeps its text


def test_explain_markdown_format_is_the_documentation_markdown() -> None:
    out = _invoke("explain", "PERF001", "--format", "markdown").output
    assert out.startswith("# PERF001 tail-latency-slo\n") and "```yaml" in out and "`min_percentile`" in out


def test_terminal_text_lists_links_and_narrow_tables() -> None:
    text = terminal_text("# T\n\n## Part\n- one `a`\n- two [docs](https://x.example/d)\n\n"
                         "| name | meaning |\n|---|---|\n| `k` | a long meaning of several words |\n", width=24)
    lines = text.splitlines()
    assert lines[:4] == ["T", "", "Part", "  - one a"]
    assert "  - two docs" in lines and "    (https://x.example/d)" in lines
    assert "  - name: k" in lines  # too narrow for columns: one "header: value" line each
    assert not any("`" in line or "|" in line for line in lines)


def test_counted_plurals() -> None:
    assert counted(1, "rule") == "1 rule" and counted(2, "rule") == "2 rules" and counted(0, "rule") == "0 rules"
    assert counted(1, "repository", "repositories") == "1 repository"
    assert counted(3, "repository", "repositories") == "3 repositories"


def test_cli_and_audit_sources_have_no_hand_made_plurals() -> None:
    """``(s)`` plurals in what the commands and audits print."""
    import io
    import tokenize

    root = Path(__file__).resolve().parents[1] / "linter"
    plural = re.compile(r"[a-z]\(s\)")
    offenders = []
    for path in [*root.glob("cli*.py"), *(root / "audit").glob("*.py")]:
        tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
        offenders += [f"{path.name}:{t.start[0]}" for t in tokens if t.type == tokenize.STRING
                      and not t.string.startswith('"""') and plural.search(t.string.replace("http(s)", ""))]
    template = (root / "reporters/templates/dashboard.html.j2").read_text(encoding="utf-8")
    assert offenders == [] and not plural.search(template)


def test_audit_of_one_repository_says_repository(tmp_path: Path) -> None:
    repo = make_git_repo(tmp_path / "svc")
    result = run_audit(tmp_path / "out", str(repo))
    assert result.exit_code == 0
    assert "practicelint audit: 1 repository\n" in result.stderr and "audited 1 repository in" in result.stderr


def test_audit_of_a_folder_without_repositories_is_a_usage_error(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    (plain / "docs").mkdir(parents=True)
    (plain / "README.md").write_text("# not a repository\n", encoding="utf-8")
    result = run_audit(tmp_path / "out", str(plain))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"practicelint: error: {plain}: no git repository")
    assert not (tmp_path / "out" / "audit.json").exists()


def test_a_folder_without_repositories_in_a_repos_file_is_an_error_row_and_the_others_are_audited(
        tmp_path: Path) -> None:
    """It was a usage error (exit 2) naming the file: one empty folder (an interrupted clone) in a
    committed list of thousands stopped the whole audit. Now it is that line's error row (exit 1);
    on the command line it stays a usage error (the test above)."""
    make_git_repo(tmp_path / "good")
    (tmp_path / "empty").mkdir()
    listing = tmp_path / "repos.txt"
    listing.write_text("good\nempty\n", encoding="utf-8")
    result = run_audit(tmp_path / "out", "--repos-file", str(listing))
    assert result.exit_code == 1 and "empty: error  not a git repository (no .git here)" in result.stderr
    rows = {r["name"]: r for r in json.loads((tmp_path / "out" / "audit.json").read_text(encoding="utf-8"))["repos"]}
    assert rows["good"]["status"] == "ok" and rows["empty"]["status"] == "error"


def test_a_folder_of_repositories_is_still_audited(tmp_path: Path) -> None:
    """Near miss: the folder holds repositories one level down."""
    make_git_repo(tmp_path / "org" / "a")
    result = run_audit(tmp_path / "out", str(tmp_path / "org"))
    assert result.exit_code == 0, result.output


def test_html_how_to_fix_renders_code_spans() -> None:
    catalog = mini_catalog()
    spec = catalog.rules["PERF001"]
    catalog.rules["PERF001"] = replace(spec, remediation="Set `fetch-depth: 0` and ``a ` b``; a lone ` stays.")
    report = sample_report()
    report.results = [replace(r, remediation=catalog.rules["PERF001"].remediation)
                      if r.rule_id == "PERF001" else r for r in report.results]
    assert any(r.status is Status.FAIL and r.rule_id == "PERF001" for r in report.results)
    page = render("html", report, catalog)
    assert "<dd>Set <code>fetch-depth: 0</code> and <code>a ` b</code>; a lone ` stays.</dd>" in page


def test_code_spans_escape_what_they_hold() -> None:
    assert str(code_spans("`<script>` & <b>")) == "<code>&lt;script&gt;</code> &amp; &lt;b&gt;"
    assert str(code_spans("no `closing")) == "no `closing"


@pytest.mark.parametrize("args", [[], ["report"], ["config"]])
def test_a_group_without_its_command_prints_its_help(args: list[str]) -> None:
    """Near miss of the usage errors: nothing to complain about, the help is the answer."""
    result = _invoke(*args)
    assert result.exit_code == 2 and "practicelint: error" not in result.output
    assert result.stderr.startswith("Usage: ") and "Commands:" in result.stderr  # (the test runner names it cli)
