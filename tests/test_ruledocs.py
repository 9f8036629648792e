"""Rule documentation: generated from the catalog, ``explain``, and ``docs/rules.md`` freshness."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from linter.catalog import load_catalog
from linter.cli import cli
from linter.ruledocs import anchor, rules_document

DOCS = Path(__file__).resolve().parents[1] / "docs" / "rules.md"


def test_docs_rules_md_is_current() -> None:
    assert DOCS.read_text(encoding="utf-8") == rules_document(load_catalog()), "run `make docs`"


def test_every_rule_has_its_sections_and_anchor() -> None:
    catalog = load_catalog()
    text = rules_document(catalog)
    for rule in catalog.rules.values():
        assert f"## {rule.id} {rule.name}" in text
        assert f"(#{anchor(rule)})" in text
    for heading in ("### What it checks", "### Why it matters", "### What counts as evidence",
                    "### Options", "### How to fix"):
        assert text.count(heading) == len(catalog.rules)


def test_explain_by_id_or_name() -> None:
    runner = CliRunner()
    by_id = runner.invoke(cli, ["explain", "org001"])
    by_name = runner.invoke(cli, ["explain", "team-size"])
    assert by_id.exit_code == 0 and by_id.output == by_name.output
    out = by_id.output
    assert out.startswith("ORG001 team-size\n") and "max_team_size" in out and "How to fix" in out
    assert "Keep teams small" in out  # the practice behind the rule, with its digest section
    assert "Amazon's engineering culture" in " ".join(out.split())  # wrapped for the terminal


def test_explain_unknown_rule_suggests() -> None:
    result = CliRunner().invoke(cli, ["explain", "team-sise"])
    assert result.exit_code == 2 and "did you mean 'team-size'" in result.output


def test_rules_markdown_and_json_formats() -> None:
    runner = CliRunner()
    md = runner.invoke(cli, ["rules", "--format", "markdown"]).output
    assert md.startswith("| id | name |") and "| PERF001 | tail-latency-slo |" in md
    rows = json.loads(runner.invoke(cli, ["rules", "--format", "json"]).output)
    assert {"id", "name", "category", "severity", "scope", "practice", "summary"} == set(rows[0])


def test_readme_rules_table_is_current() -> None:
    from linter.ruledocs import with_readme_table

    readme = (DOCS.parents[1] / "README.md").read_text(encoding="utf-8")
    assert readme == with_readme_table(readme, load_catalog()), "run `make docs`"
    for rule_id in load_catalog().rules:
        assert f"| {rule_id} |" in readme
