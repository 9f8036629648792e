"""The command line: formats, exit codes, selection, configuration errors, determinism."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from linter import __version__
from linter.catalog import load_catalog
from linter.cli import cli
from linter.results import Evidence, failed
from tests.helpers import write_tree


def _run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def test_all_pass_exits_zero(tmp_path: Path, fake_checks) -> None:
    result = _run("check", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "0 failed" in result.output


def test_error_severity_failure_exits_one(tmp_path: Path, fake_checks) -> None:
    fake_checks["SEC001"] = failed("no scan", [Evidence(".github/workflows/ci.yml", 3, "x")])
    result = _run("check", str(tmp_path))
    assert result.exit_code == 1
    assert "SEC001" in result.output and ".github/workflows/ci.yml:3" in result.output
    assert "fix:" in result.output


def test_fail_on_threshold(tmp_path: Path, fake_checks) -> None:
    fake_checks["PROD002"] = failed("incomplete")  # a warning-severity rule
    assert _run("check", str(tmp_path)).exit_code == 0
    assert _run("check", str(tmp_path), "--fail-on", "warning").exit_code == 1
    write_tree(tmp_path, {".practicelint.yaml": "fail-on: info\n"})
    assert _run("check", str(tmp_path)).exit_code == 1
    assert _run("check", str(tmp_path), "--fail-on", "error").exit_code == 0


def test_select_and_ignore(tmp_path: Path, fake_checks) -> None:
    fake_checks["SEC001"] = failed("no scan")
    assert _run("check", str(tmp_path), "--ignore", "SEC001").exit_code == 0
    out = _run("check", str(tmp_path), "--select", "PERF001,team-size", "--format", "json")
    ids = [r["rule_id"] for r in json.loads(out.output)["results"]]
    assert ids == ["PERF001", "ORG001"]


def test_json_report_shape_and_determinism(tmp_path: Path, fake_checks) -> None:
    fake_checks["PERF001"] = failed("p95 only", [Evidence("slo.yaml", 4, "p95"), Evidence("a.yaml", 1, "")])
    pinned = {"PRACTICELINT_NOW": "2026-12-01"}  # the record says when: byte-identical needs a pinned clock
    first = _run("check", str(tmp_path), "--format", "json", env=pinned).output
    second = _run("check", str(tmp_path), "--format", "json", env=pinned).output
    assert first == second
    data = json.loads(first)
    assert data["schema_version"] == 2
    assert data["tool"] == {"name": "practicelint", "version": __version__}
    assert set(data) == {"schema_version", "tool", "target", "record", "summary", "scopes", "results", "notes",
                         "waivers", "baseline_fixed"}
    assert set(data["scopes"][0]) >= {"kind", "kind_source", "kind_evidence", "score", "level"}
    perf = data["results"][0]
    assert set(perf) == {"rule_id", "name", "practice_id", "category", "severity", "scope", "status",
                         "message", "evidence", "remediation", "waiver", "baselined", "level"}
    assert perf["evidence"] == [{"path": "a.yaml", "line": 1, "detail": ""},
                                {"path": "slo.yaml", "line": 4, "detail": "p95"}]
    assert data["summary"]["fail"] == 1 and data["summary"]["failed_by_severity"]["error"] == 1


def test_results_are_sorted_by_category_then_rule(tmp_path: Path, fake_checks) -> None:
    data = json.loads(_run("check", str(tmp_path), "--format", "json").output)
    ids = [r["rule_id"] for r in data["results"]]
    assert ids == list(load_catalog().rules)
    order = ["performance", "reliability", "cost", "architecture", "security", "delivery", "teams",
             "working-backwards", "narratives", "operations"]
    categories = [order.index(r["category"]) for r in data["results"]]
    assert categories == sorted(categories)


def test_check_that_raises_becomes_an_error_result(tmp_path: Path, fake_checks) -> None:
    def boom(ctx):
        raise RecursionError("too deep")

    fake_checks["ORG001"] = boom
    result = _run("check", str(tmp_path), "--format", "json")
    org = next(r for r in json.loads(result.output)["results"] if r["rule_id"] == "ORG001")
    assert org["status"] == "error" and "RecursionError" in org["message"]
    assert result.exit_code == 1


def test_output_file(tmp_path: Path, fake_checks) -> None:
    out = tmp_path / "report.json"
    repo = tmp_path / "repo"
    repo.mkdir()
    result = _run("check", str(repo), "--format", "json", "-o", str(out))
    assert result.exit_code == 0 and result.output == ""
    assert json.loads(out.read_text())["schema_version"] == 2


@pytest.mark.parametrize(
    ("files", "args", "message"),
    [
        ({".practicelint.yaml": "fail_onn: error\n"}, [], ".practicelint.yaml:1: fail_onn: unknown setting"),
        ({".practicelint.yaml": "rules:\n  ORG001:\n    max_team_size: -1\n"}, [], "must be at least 1"),
        ({}, ["--select", "NOPE"], "select: NOPE: matches no rule"),
        ({".practicelint.yaml": "a: [\n"}, [], "invalid YAML"),
    ],
)
def test_configuration_errors_exit_two(tmp_path: Path, fake_checks, files, args, message) -> None:
    write_tree(tmp_path, files)
    result = CliRunner().invoke(cli, ["check", str(tmp_path), *args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_missing_path_and_bad_flag_exit_two(tmp_path: Path) -> None:
    assert CliRunner().invoke(cli, ["check", str(tmp_path / "nope")]).exit_code == 2
    assert CliRunner().invoke(cli, ["check", "--format", "pdf"]).exit_code == 2
    assert CliRunner().invoke(cli, ["check", str(tmp_path), "--config", str(tmp_path / "x.yaml")]).exit_code == 2


def test_text_has_no_colour_unless_a_terminal(tmp_path: Path, fake_checks) -> None:
    fake_checks["SEC001"] = failed("no scan \x1b[31mred\x1b]0;title\x07")
    output = _run("check", str(tmp_path)).output
    assert "\x1b" not in output and "\\x1b[31mred" in output


def test_python_dash_m_and_version() -> None:
    proc = subprocess.run([sys.executable, "-m", "linter", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and __version__ in proc.stdout


def test_rules_command_lists_catalog() -> None:
    result = _run("rules", "--format", "json")
    ids = [row["id"] for row in json.loads(result.output)]
    assert ids[0] == "PERF001" and set(ids) == set(load_catalog().rules)
    assert "tail-latency-slo" in _run("rules").output


def test_unexpected_exception_is_not_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = {**os.environ, "PRACTICELINT_NOW": "not-a-date"}
    proc = subprocess.run([sys.executable, "-m", "linter", "check", str(tmp_path)], capture_output=True,
                          text=True, env=env)
    assert proc.returncode == 2
    assert "PRACTICELINT_NOW" in proc.stderr and "Traceback" not in proc.stderr


def test_several_reports_from_one_run(tmp_path: Path, fake_checks) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    out = tmp_path / "out" / "r.json"
    result = _run("check", str(repo), "--report", f"json={out}")
    assert result.exit_code == 0
    assert "results:" in result.output  # the text summary still reaches the terminal
    assert json.loads(out.read_text())["schema_version"] == 2


@pytest.mark.parametrize("value", ["json", "pdf=x.pdf", "json="])
def test_bad_report_option_is_a_usage_error(tmp_path: Path, value: str) -> None:
    result = CliRunner().invoke(cli, ["check", str(tmp_path), "--report", value])
    assert result.exit_code == 2 and "FORMAT=PATH" in result.output


def test_check_ends_without_teardown_but_flushes_and_runs_exit_handlers(tmp_path: Path) -> None:
    """``main`` ends ``check`` with ``os._exit`` once reports are written: exit handlers still
    run (they stop prefetched git commands), piped standard output is complete, the exit code
    is kept, and report files are whole."""
    repo = tmp_path / "repo"
    write_tree(repo, {f"docs/adr/{i:03d}-decision.md": f"# Decision {i}\n\nWe chose {i}.\n" for i in range(40)})
    marker = tmp_path / "handlers-ran"
    code = ("import atexit, pathlib, sys\n"
            f"atexit.register(lambda: pathlib.Path({str(marker)!r}).write_text('yes'))\n"
            "from linter.cli import main\n"
            "sys.argv = ['practicelint', *sys.argv[1:]]\n"
            "main()\n")
    report = tmp_path / "report.json"
    piped = subprocess.run([sys.executable, "-c", code, "check", str(repo), "--format", "json", "--report",
                            f"json={report}"], capture_output=True, text=True, timeout=120)
    assert marker.read_text() == "yes"
    assert piped.returncode == 1 and piped.stderr == ""
    assert json.loads(piped.stdout) == json.loads(report.read_text())  # both complete
    assert piped.stdout == report.read_text()
    marker.unlink()
    ok = subprocess.run([sys.executable, "-c", code, "check", str(repo), "--select", "DOC002", "--format", "text"],
                        capture_output=True, text=True, timeout=120)
    assert ok.returncode in (0, 1) and marker.read_text() == "yes" and ok.stdout.strip()


def test_a_plain_check_leaves_heavy_modules_unimported(tmp_path: Path) -> None:
    """Modules only some paths need load there: pydantic and annotated_types (configuration
    files), jinja2 (HTML), hashlib (fingerprints for baselines and SARIF), tempfile (audit
    merge), difflib (did-you-mean hints). Each cost 1-40 ms on every run when imported with the
    CLI."""
    write_tree(tmp_path, {"README.md": "# x\n", ".github/workflows/ci.yml": "on: push\njobs: {}\n"})
    code = ("import sys; from linter.cli import cli\n"
            "try:\n    cli(['check', sys.argv[1], '--output', sys.argv[2]])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('pydantic', 'annotated_types', 'jinja2', 'hashlib', 'tempfile', 'difflib')"
            " if m in sys.modules),"
            " file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path), str(tmp_path / "out.txt")],
                          capture_output=True, text=True, timeout=120)
    assert done.stderr.strip().splitlines()[-1] == "[]", done.stderr


def test_summary_prints_one_line_per_rule(tmp_path: Path, fake_checks) -> None:
    from linter.catalog import load_catalog

    write_tree(tmp_path, {".practicelint.yaml": 'services: ["services/*"]\n', "services/a/x": "", "services/b/x": ""})
    fake_checks["PERF001"] = failed("no SLO")
    result = _run("check", str(tmp_path), "--summary")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    start = lines.index("RULES")
    assert lines[start + 1].split() == ["rule", "severity", "fail", "error", "pass", "waived", "n/a", "name"]
    rows = [line.split() for line in lines[start + 2:] if line.startswith("  ")]
    assert len(rows) == len(load_catalog().rules)
    assert rows[0] == ["PERF001", "error", "2", "0", "0", "0", "0", "tail-latency-slo"]  # most failures first
    assert "no SLO" not in result.output  # counts, not findings
    assert "2 services:" in result.output and lines[-1].startswith("score ")


def test_summary_is_for_the_text_format(tmp_path: Path) -> None:
    result = _run("check", str(tmp_path), "--summary", "--format", "json")
    assert result.exit_code == 2 and "--summary" in result.output


def test_version_and_rules_do_not_load_the_repository_model() -> None:
    """``--version`` and ``rules`` read no repository: importing the workspace, git, YAML and the
    reader for them cost tens of milliseconds a run (``linter.results`` once took ``Note`` from
    the workspace front instead of ``linter.repo.notes``)."""
    code = ("import sys; from linter.cli import cli\n"
            "for args in (['--version'], ['rules']):\n"
            "    try:\n        cli(args)\n    except SystemExit:\n        pass\n"
            "print(sorted(m for m in ('linter.repo.workspace', 'linter.repo.git', 'linter.repo.reader')"
            " if m in sys.modules), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stderr.strip().splitlines()[-1] == "[]", done.stderr
