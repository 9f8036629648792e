"""``python3 dev.py new-rule ID name`` (``linter.checks.new_rule``): the three files of a rule,
a rule that loads through the catalog and the registry, refusals that write nothing."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from linter.catalog.loader import load_catalog_from
from linter.checks.new_rule import PLACEHOLDER, ScaffoldError, main, paths, scaffold

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """The catalog folders of a checkout (what ``scaffold`` reads), copied."""
    for folder in ("rules", "practices"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_writes_the_rule_the_check_and_its_test(checkout: Path) -> None:
    written = scaffold(checkout, "SEC009", "sbom-published", practice="security-in-the-pipeline", scope="repo")
    assert [p.relative_to(checkout).as_posix() for p in written] == [
        "rules/SEC009.yaml", "linter/checks/sec009_sbom_published.py", "tests/checks/test_sec009_sbom_published.py"]
    rule = load_catalog_from(checkout / "practices", checkout / "rules", validate=True).rules["SEC009"]
    assert (rule.name, rule.category, rule.practice, rule.scope, rule.severity) == (
        "sbom-published", "security", "security-in-the-pipeline", "repo", "warning")
    for text in (rule.summary, rule.rationale, rule.evidence, rule.remediation, rule.example):
        assert text.startswith(PLACEHOLDER)  # a person must write each one
    check = written[1].read_text(encoding="utf-8")
    assert 'RULE = RuleCheck(\n    id="SEC009",' in check and "raise NotImplementedError" in check
    test = written[2].read_text(encoding="utf-8")
    assert "from linter.checks.sec009_sbom_published import check" in test and "Status.FAIL" in test


def test_a_category_with_one_practice_needs_no_practice(checkout: Path) -> None:
    scaffold(checkout, "PERF004", "latency-budget")
    assert "practice: tail-latency\n" in (checkout / "rules" / "PERF004.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("rule_id", "name", "practice", "words"), [
    ("SEC9", "x", None, "a category prefix and three digits"),
    ("perf004", "x", None, "a category prefix and three digits"),
    ("XYZ001", "x", None, "XYZ is no category's prefix; use one of ARCH (architecture)"),
    ("PERF000", "x", None, "rule numbers start at 001"),
    ("PERF004", "Bad_Name", None, "kebab-case"),
    ("PERF001", "x", None, "PERF001 is taken (tail-latency-slo); the next free id is PERF004"),
    ("PERF004", "tail-latency-slo", None, "the name tail-latency-slo is taken by PERF001"),
    ("SEC009", "x", None, "a security rule needs --practice, one of: continuous-compliance"),
    ("SEC009", "x", "tail-latency", "practice 'tail-latency' is not a security practice"),
])
def test_refusals_write_nothing(checkout: Path, rule_id: str, name: str, practice: str | None, words: str) -> None:
    before = _tree(checkout)
    with pytest.raises(ScaffoldError, match=words.replace("(", r"\(").replace(")", r"\)")):
        scaffold(checkout, rule_id, name, practice=practice)
    assert _tree(checkout) == before


def test_an_existing_file_is_never_overwritten(checkout: Path) -> None:
    target = paths(checkout, "PERF004", "latency-budget")["test"]
    target.parent.mkdir(parents=True)
    target.write_text("mine\n", encoding="utf-8")
    with pytest.raises(ScaffoldError, match="refusing to overwrite tests/checks/test_perf004_latency_budget.py"):
        scaffold(checkout, "PERF004", "latency-budget")
    assert target.read_text(encoding="utf-8") == "mine\n"
    assert not (checkout / "rules" / "PERF004.yaml").exists()


def test_command_line_errors_are_one_line_and_exit_2(checkout: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["PERF001", "x", "--root", str(checkout)]) == 2
    assert capsys.readouterr().err == "new-rule: error: PERF001 is taken (tail-latency-slo); the next free id is PERF004\n"
    assert main(["PERF004", "latency-budget", "--root", str(checkout)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "wrote rules/PERF004.yaml"


def test_the_scaffolded_rule_loads_through_the_registry_and_its_test_fails_until_written(tmp_path: Path) -> None:
    """In a copy of the checkout: scaffold, regenerate the registry as ``dev.py docs`` does,
    then the rule-record tests pass (catalog and registry agree, typed options, a check that
    takes a context) and the scaffolded test fails on the unwritten check."""
    copy = tmp_path / "checkout"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("linter", "rules", "practices"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=ignore)
    for name in ("__init__.py", "conftest.py", "helpers.py", "checks/__init__.py", "checks/facts.py",
                 "checks/test_rule_records.py"):
        (copy / "tests" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "tests" / name, copy / "tests" / name)

    def python(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, *args], cwd=copy, capture_output=True, text=True, timeout=300)

    made = python("-m", "linter.checks.new_rule", "SEC009", "sbom-published", "--practice",
                  "security-in-the-pipeline", "--root", str(copy))
    assert made.returncode == 0, made.stderr
    regenerated = python("-c", "import linter; assert linter.__file__.startswith('" + str(copy) + "'); "
                               "from linter.catalog import load_catalog; from linter.checks.registry_source import "
                               "render; open('linter/checks/registry.py', 'w').write(render(load_catalog()))")
    assert regenerated.returncode == 0, regenerated.stderr
    assert '"SEC009": Registered("sec009_sbom_published"),' in (copy / "linter/checks/registry.py").read_text()

    records = python("-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/checks/test_rule_records.py")
    assert records.returncode == 0, records.stdout[-3000:]
    assert "SEC009" in python("-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
                              "tests/checks/test_rule_records.py").stdout

    scaffolded = python("-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/checks/test_sec009_sbom_published.py")
    assert scaffolded.returncode == 1
    assert "2 failed" in scaffolded.stdout
    assert "NotImplementedError: SEC009 sbom-published: the check is not written yet" in scaffolded.stdout
