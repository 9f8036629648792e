"""Rule packs: declarative custom rules, their validation and every check kind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from linter.catalog import CatalogError, load_catalog
from linter.cli import cli
from linter.engine import RunOptions, run
from tests.helpers import write_tree, cpu_seconds

RULE = """  - id: {id}
    name: {name}
    practice: {practice}
    category: delivery
    severity: warning
    scope: {scope}
    summary: s
    rationale: r
    evidence: e
    remediation: fix it
    check:
{check}
"""


def _pack(checks: list[tuple[str, str]], prefix: str = "ACME", scope: str = "repo",
          practice: str = "continuous-deployment") -> str:
    rules = "".join(
        RULE.format(id=f"{prefix}{i + 1:03d}", name=name, practice=practice, scope=scope,
                    check="\n".join("      " + line for line in check.strip("\n").splitlines()))
        for i, (name, check) in enumerate(checks))
    return f"prefix: {prefix}\nrules:\n{rules}"


def _statuses(root: Path, pack: str, files: dict[str, str], extra_config: str = "") -> dict[str, str]:
    write_tree(root, {"pack.yaml": pack, ".practicelint.yaml": f"rule-packs: [pack.yaml]\nselect: [ACME]\n{extra_config}",
                      **files})
    report, _ = run(root, RunOptions())
    return {f"{r.rule_id}@{r.scope}": r.status.value for r in report.results}


CASES = [
    ("file_exists:\n  globs: [CHANGELOG.md, CHANGES.md]", {"CHANGES.md": "x"}, "pass"),
    ("file_exists:\n  globs: [CHANGELOG.md, LICENSE]\n  mode: all", {"CHANGELOG.md": "x"}, "fail"),
    ("file_absent:\n  globs: ['**/*.pptx']", {"docs/a.md": "x"}, "pass"),
    ("file_absent:\n  globs: ['**/*.pptx']", {"docs/deck.pptx": "x"}, "fail"),
    ("file_contains:\n  globs: Dockerfile\n  pattern: '^USER\\s+\\w+'", {"Dockerfile": "FROM x\nUSER app\n"}, "pass"),
    ("file_contains:\n  globs: Dockerfile\n  pattern: '^USER\\s+\\w+'", {"Dockerfile": "FROM x\n# USER app\n"}, "fail"),
    ("file_lacks:\n  globs: '**/*.py'\n  pattern: 'pdb\\.set_trace'", {"a.py": "print(1)\n"}, "pass"),
    ("file_lacks:\n  globs: '**/*.py'\n  pattern: 'pdb\\.set_trace'", {"a.py": "import pdb; pdb.set_trace()\n"}, "fail"),
    ("yaml_query:\n  files: 'k8s/*.yaml'\n  path: spec.template.spec.containers[*].resources.limits\n  op: exists",
     {"k8s/d.yaml": "spec:\n  template:\n    spec:\n      containers:\n        - resources:\n            limits: {cpu: 1}\n"}, "pass"),
    ("yaml_query:\n  files: 'k8s/*.yaml'\n  path: spec.replicas\n  op: gte\n  value: 2\n  mode: all",
     {"k8s/a.yaml": "spec:\n  replicas: 3\n", "k8s/b.yaml": "spec:\n  replicas: 1\n"}, "fail"),
    ("yaml_query:\n  files: '.github/workflows/*.yml'\n  path: on.pull_request\n  op: exists",
     {".github/workflows/ci.yml": "on:\n  pull_request:\njobs: {}\n"}, "pass"),
    ("markdown_sections:\n  files: 'docs/*.md'\n  headings: [Context, Decision]\n  min_words: 3",
     {"docs/adr.md": "# ADR\n## Context\nWe need a queue now.\n## Decision\nUse SQS for everything.\n"}, "pass"),
    ("markdown_sections:\n  files: 'docs/*.md'\n  headings: [Context, Decision]\n  min_words: 3",
     {"docs/adr.md": "# ADR\n## Context\nWe need a queue now.\n## Decision\n```\ncode only here\n```\n"}, "fail"),
    ("ci_step:\n  command: '\\bruff\\b'", {".github/workflows/l.yml": "on: [pull_request]\njobs:\n  l:\n    runs-on: x\n    steps:\n      - run: ruff check .\n"}, "pass"),
    ("ci_step:\n  command: '\\bruff\\b'", {".github/workflows/l.yml": "on:\n  schedule:\n    - cron: '0 0 * * *'\njobs:\n  l:\n    runs-on: x\n    steps:\n      - run: ruff check .\n"}, "fail"),
    ("ci_step:\n  uses: 'actions/checkout'", {".github/workflows/l.yml": "on: push\njobs:\n  l:\n    runs-on: x\n    steps:\n      # - uses: actions/checkout@v4\n      - run: echo hi\n"}, "fail"),
    # the command a step hands to a script counts, as it does for the built-in CI rules
    ("ci_step:\n  command: '\\bruff\\b'", {".github/workflows/l.yml": "on: [pull_request]\njobs:\n  l:\n    runs-on: x\n    steps:\n      - run: ./lint.sh\n", "lint.sh": "# ruff is not run here\nruff check .\n"}, "pass"),
    ("ci_step:\n  command: '\\bruff\\b'", {".github/workflows/l.yml": "on: [pull_request]\njobs:\n  l:\n    runs-on: x\n    steps:\n      - run: ./lint.sh\n", "lint.sh": "# ruff check .\necho done\n"}, "fail"),
    ("count:\n  globs: 'docs/adr/*.md'\n  min: 2", {"docs/adr/1.md": "a", "docs/adr/2.md": "b"}, "pass"),
    ("count:\n  globs: 'docs/adr/*.md'\n  max: 1", {"docs/adr/1.md": "a", "docs/adr/2.md": "b"}, "fail"),
    ("any_of:\n  - file_exists: {globs: a}\n  - file_exists: {globs: b}", {"b": "x"}, "pass"),
    ("all_of:\n  - file_exists: {globs: a}\n  - file_exists: {globs: b}", {"b": "x"}, "fail"),
    ("not:\n  file_exists: {globs: '*.pptx'}", {"a.md": "x"}, "pass"),
]


@pytest.mark.parametrize(("check", "files", "expected"), CASES)
def test_check_kinds(tmp_path: Path, check: str, files: dict[str, str], expected: str) -> None:
    assert _statuses(tmp_path, _pack([("custom-rule", check)]), files) == {"ACME001@.": expected}


def test_service_scoped_globs_are_relative_to_the_service(tmp_path: Path) -> None:
    pack = _pack([("has-readme", "file_exists:\n  globs: README.md")], scope="service")
    statuses = _statuses(tmp_path, pack, {"svc/a/README.md": "x", "svc/b/main.py": ""}, "services: ['svc/*']\n")
    assert statuses == {"ACME001@svc/a": "pass", "ACME001@svc/b": "fail"}


@pytest.mark.parametrize(
    ("pack", "message"),
    [
        (_pack([("x", "file_exists: {globs: a}")], prefix="SEC"), "prefix: SEC is already used by built-in rules"),
        (_pack([("x", "file_exists: {globs: a}")], practice="nope"), "rules.0.practice: unknown practice 'nope'"),
        (_pack([("tail-latency-slo", "file_exists: {globs: a}")]), "rule name 'tail-latency-slo' is already used"),
        (_pack([("x", "file_exists: {globs: a}\nfile_absent: {globs: b}")]), "a check has exactly one of"),
        (_pack([("x", "file_contains: {globs: a, pattern: '(unclosed'}")]), "invalid regular expression"),
        (_pack([("x", "yaml_query: {files: a, path: x, op: similar}")]), "rules.0.check.yaml_query.op"),
        (_pack([("x", "ci_step: {per_change: true}")]), "ci_step needs `uses` or `command`"),
        (_pack([("x", "file_exists: {mode: any}")]), "rules.0.check.file_exists.globs: Field required"),
        (_pack([("x", "file_absent: {globs: a, mode: some}")]), "rules.0.check.file_absent.mode"),
        (_pack([("x", "file_lacks: {globs: a}")]), "rules.0.check.file_lacks.pattern: Field required"),
        (_pack([("x", "markdown_sections: {files: a, headings: []}")]), "rules.0.check.markdown_sections.headings"),
        (_pack([("x", "count: {globs: a, min: -1}")]), "rules.0.check.count.min"),
        (_pack([("x", "yaml_query: {files: a, path: ''}")]), "rules.0.check.yaml_query.path"),
        (_pack([("x", "all_of: [{nope: 1}]")]), "rules.0.check.all_of.0"),
        (_pack([("x", "not: {}")]), "a check has exactly one of"),
        ("prefix: ACME\nrules:\n" + RULE.format(id="XYZ001", name="x", practice="continuous-deployment", scope="repo",
                                                 check="      file_exists: {globs: a}"),
         "ids in this pack are ACME followed by three digits"),
        ("prefix: ACME\nrules: [\n", "invalid YAML"),
    ],
)
def test_bad_packs_fail_with_file_line_and_field(tmp_path: Path, pack: str, message: str) -> None:
    write_tree(tmp_path, {"pack.yaml": pack, ".practicelint.yaml": "rule-packs: [pack.yaml]\n"})
    with pytest.raises(CatalogError) as info:
        run(tmp_path, RunOptions())
    assert message in str(info.value) and "pack.yaml" in str(info.value)


def test_pack_prefixes_cannot_clash_between_packs(tmp_path: Path) -> None:
    pack = _pack([("x", "file_exists: {globs: a}")])
    other = pack.replace("name: x", "name: y")
    write_tree(tmp_path, {"a.yaml": pack, "b.yaml": other, ".practicelint.yaml": "rule-packs: [a.yaml, b.yaml]\n"})
    with pytest.raises(CatalogError, match="b.yaml.*ACME is already used by another rule pack"):
        run(tmp_path, RunOptions())


def test_repository_packs_cannot_be_read_from_outside(tmp_path: Path) -> None:
    (tmp_path / "evil.yaml").write_text(_pack([("x", "file_exists: {globs: a}")]))
    repo = tmp_path / "repo"
    write_tree(repo, {".practicelint.yaml": "rule-packs: [../evil.yaml]\n"})
    with pytest.raises(CatalogError, match="only files inside the repository"):
        run(repo, RunOptions())


def test_catastrophic_regex_times_out_instead_of_hanging(tmp_path: Path) -> None:
    pack = _pack([("redos", "file_contains:\n  globs: a.txt\n  pattern: '(x+x+)+y'")])
    write_tree(tmp_path, {"pack.yaml": pack, "a.txt": "x" * 5000,
                          ".practicelint.yaml": "rule-packs: [pack.yaml]\nselect: [ACME]\n"})
    start = cpu_seconds()
    report, _ = run(tmp_path, RunOptions())
    assert cpu_seconds() - start < 30  # bounded: the regex engine gives up, the run goes on
    assert any("timed out" in n.reason for n in report.notes)
    assert report.results[0].status.value == "fail"


def test_custom_rules_appear_in_rules_explain_and_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, {"pack.yaml": _pack([("changelog-kept", "file_exists: {globs: CHANGELOG.md}")]),
                          ".practicelint.yaml": "rule-packs: [pack.yaml]\n"})
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert "ACME001  changelog-kept" in runner.invoke(cli, ["rules"]).output
    assert runner.invoke(cli, ["explain", "changelog-kept"]).output.startswith("ACME001 changelog-kept\n")
    data = json.loads(runner.invoke(cli, ["check", ".", "--format", "json", "--select", "ACME"]).output)
    assert [(r["rule_id"], r["status"]) for r in data["results"]] == [("ACME001", "fail")]
    assert "ACME001" not in load_catalog().rules  # the packaged catalog stays untouched


def test_pack_rules_declare_the_kinds_they_judge(tmp_path: Path) -> None:
    """``applies_to`` works for rule packs as for the catalog; the default is every kind."""
    pack = _pack([("changelog", "file_exists:\n  globs: [CHANGELOG.md]")]).replace(
        "    scope: repo\n", "    scope: repo\n    applies_to: [service]\n")
    library = {"pyproject.toml": "[project]\nname = \"lib\"\n"}
    assert _statuses(tmp_path / "lib", pack, library) == {"ACME001@.": "not_applicable"}
    assert _statuses(tmp_path / "svc", pack, library, "kind: service\n") == {"ACME001@.": "fail"}
    assert _statuses(tmp_path / "any", _pack([("changelog", "file_exists:\n  globs: [CHANGELOG.md]")]),
                     library) == {"ACME001@.": "fail"}
    bad = pack.replace("applies_to: [service]", "applies_to: [microservice]")
    write_tree(tmp_path / "bad", {"pack.yaml": bad, ".practicelint.yaml": "rule-packs: [pack.yaml]\n"})
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "bad")])
    assert result.exit_code == 2 and "applies_to" in result.output and "Traceback" not in result.output
