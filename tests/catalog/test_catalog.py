"""The packaged catalog: complete, consistent with the checks, validated with clear errors."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from linter.catalog import CatalogError, load_catalog
from linter.catalog.loader import catalog_dirs, load_catalog_from

DIGEST_DIR = Path(__file__).resolve().parents[3] / "shared" / "digest"
VENDORED_SHINGLES = Path(__file__).resolve().parents[1] / "vendor" / "digest-shingles.txt"


def test_catalog_cross_references_resolve() -> None:
    catalog = load_catalog()
    for rule in catalog.rules.values():
        assert rule.practice in catalog.practices
        assert catalog.rule(rule.name) is rule and catalog.rule(rule.id.lower()) is rule


def test_headline_rules_are_the_public_contract() -> None:
    rules = load_catalog().rules
    expected = {
        "PERF001": ("tail-latency-slo", "service", "error"),
        "SEC001": ("dependency-scanning-in-ci", "repo", "error"),
        "ORG001": ("team-size", "repo", "error"),
        "PROD001": ("prfaq-for-new-services", "service", "error"),
        "PROD002": ("prfaq-complete", "service", "warning"),
    }
    for rule_id, (name, scope, severity) in expected.items():
        rule = rules[rule_id]
        assert (rule.name, rule.scope, rule.severity) == (name, scope, severity)
    assert rules["PERF001"].options["min_percentile"].default == 99
    assert rules["ORG001"].options["max_team_size"].default == 12
    assert rules["PROD001"].options["new_service_days"].default == 365
    assert rules["PROD002"].options["min_questions"].default == 20


def test_no_rule_keeps_a_scaffold_placeholder() -> None:
    """``dev.py new-rule`` writes TODO where a person must write the rule's texts: none ships."""
    from linter.checks.new_rule import PLACEHOLDER

    for rule in load_catalog().rules.values():
        for field in ("summary", "rationale", "evidence", "remediation", "example"):
            assert PLACEHOLDER not in getattr(rule, field), f"rules/{rule.id}.yaml: {field} still says {PLACEHOLDER}"


def test_practices_cover_every_category_and_explain_uncheckable_ones() -> None:
    practices = load_catalog().practices.values()
    assert {p.category for p in practices} >= {
        "performance", "reliability", "cost", "architecture", "security",
        "delivery", "teams", "working-backwards", "narratives", "operations"}
    for practice in practices:
        assert practice.digest_section and practice.why
        if not practice.checkable:
            assert practice.not_checkable_reason


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def test_catalog_paraphrases_the_digest_rather_than_copying_it() -> None:
    """No run of eight words of a practice or rule appears in the digest (compared through the
    digest's vendored shingle hashes, ``tests/vendor/digest-shingles.txt``)."""
    from tests.vendor.shingles import WIDTH, words

    shingles = set(VENDORED_SHINGLES.read_text(encoding="utf-8").split())
    practices_dir, rules_dir = catalog_dirs()
    for path in [*practices_dir.glob("*.yaml"), *rules_dir.glob("*.yaml")]:
        found = words(path.read_text())
        copied = [" ".join(found[i:i + WIDTH]) for i in range(len(found) - WIDTH + 1)
                  if hashlib.sha256(" ".join(found[i:i + WIDTH]).encode("utf-8")).hexdigest() in shingles]
        assert not copied, f"{path.name} copies the digest: {copied[0]!r}"


@pytest.mark.skipif(not DIGEST_DIR.is_dir(), reason="the digest itself is not beside the checkout")
def test_vendored_shingles_match_the_digest() -> None:
    from tests.vendor.shingles import shingle_digests

    text = " ".join(p.read_text(encoding="utf-8") for p in DIGEST_DIR.glob("*.txt"))
    assert sorted(shingle_digests(text)) == VENDORED_SHINGLES.read_text(encoding="utf-8").split()


def _copy_catalog(tmp_path: Path) -> tuple[Path, Path]:
    practices, rules = catalog_dirs()
    shutil.copytree(practices, tmp_path / "practices")
    shutil.copytree(rules, tmp_path / "rules")
    return tmp_path / "practices", tmp_path / "rules"


def test_broken_rule_file_names_file_line_and_field(tmp_path: Path) -> None:
    practices, rules = _copy_catalog(tmp_path)
    path = rules / "PERF001.yaml"
    path.write_text(path.read_text().replace("severity: error", "severity: fatal"))
    with pytest.raises(CatalogError) as info:
        load_catalog_from(practices, rules)
    message = str(info.value)
    assert "PERF001.yaml:5: severity:" in message


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("name: tail-latency-slo", "name: Tail_Latency", "name: rule names are kebab-case"),
        ("id: PERF001", "id: SEC099", "a performance rule id starts with PERF"),
        ("practice: tail-latency", "practice: nope", "unknown practice 'nope'"),
        ("severity: error", "severity: error\nsurprise: 1", "surprise: unknown key"),
        ("    default: 99\n", "    default: lots\n", "expected a number"),
        ("id: PERF001", "id: PERF001\n  bad: [", "invalid YAML"),
    ],
)
def test_catalog_errors(tmp_path: Path, old: str, new: str, expected: str) -> None:
    practices, rules = _copy_catalog(tmp_path)
    path = rules / "PERF001.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(CatalogError, match=re.escape(expected)):
        load_catalog_from(practices, rules)


def test_practice_without_reason_when_not_checkable(tmp_path: Path) -> None:
    practices, rules = _copy_catalog(tmp_path)
    (practices / "x.yaml").write_text(
        "id: x\ntitle: X\ncategory: teams\ndigest_section: s\nsummary: s\nwhy: w\ncheckable: false\n")
    with pytest.raises(CatalogError, match="x.yaml.*not_checkable_reason: required"):
        load_catalog_from(practices, rules)


def test_plugin_scan_ignores_the_builtin_entry_point(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from linter.plugins import third_party_plugins_present

    info = tmp_path / "x-1.0.dist-info"
    info.mkdir()
    (info / "entry_points.txt").write_text("[practicelint.plugins]\npracticelint = linter.plugins:builtin\n")
    monkeypatch.setattr(sys, "path", [str(tmp_path)])
    assert not third_party_plugins_present()
    (info / "entry_points.txt").write_text("[console_scripts]\nx = y:z\n[practicelint.plugins]\nacme = acme:plugin\n")
    assert third_party_plugins_present()


def test_trusted_fast_load_equals_full_validation() -> None:
    """The hot path skips pydantic validation of the packaged catalog; this test is the validation."""
    from dataclasses import asdict

    validated = load_catalog_from(*catalog_dirs(), validate=True)
    trusted = load_catalog_from(*catalog_dirs(), validate=False)
    assert list(validated.rules) == list(trusted.rules)
    for rule_id, rule in validated.rules.items():
        assert asdict(rule) == asdict(trusted.rules[rule_id]), rule_id
    for practice_id, practice in validated.practices.items():
        assert asdict(practice) == asdict(trusted.practices[practice_id]), practice_id


def test_one_model_refuses_the_same_data_whether_pydantic_validates_it_or_not() -> None:
    """The packaged catalog is built without pydantic; data from elsewhere is validated by
    pydantic against the same classes: both paths refuse what the classes' own checks refuse."""
    from pydantic import ValidationError

    from linter.catalog.model import OptionSpec, Practice, RuleSpec, validate

    good = {"id": "PERF009", "name": "p-nine", "practice": "tail-latency", "category": "performance",
            "severity": "error", "scope": "service", "summary": "s", "rationale": "r", "evidence": "e",
            "remediation": "f", "options": {"n": {"type": "int", "default": 3, "description": "d", "minimum": 1}}}
    assert RuleSpec.from_data(good) == validate(RuleSpec, good)
    assert validate(RuleSpec, good).options["n"] == OptionSpec("int", 3, "d", 1)
    for bad in ({**good, "id": "SEC009"}, {**good, "name": "Not Kebab"}, {**good, "id": "perf9"},
                {**good, "options": {"n": {"type": "int", "default": 0, "description": "d", "minimum": 1}}}):
        with pytest.raises((ValueError, TypeError)):
            RuleSpec.from_data(bad)
        with pytest.raises(ValidationError):
            validate(RuleSpec, bad)
    for bad in ({**good, "unknown": 1}, {**good, "severity": "fatal"}, {**good, "summary": 5}):
        with pytest.raises(ValidationError):  # types and unknown keys: pydantic's part
            validate(RuleSpec, bad)
    with pytest.raises(ValidationError):
        validate(Practice, {"id": "x", "title": "t", "category": "cost", "summary": "s", "why": "w",
                            "digest_section": "d", "checkable": False})


def test_a_check_run_without_configuration_never_imports_pydantic(tmp_path: Path) -> None:
    import subprocess
    import sys

    (tmp_path / "README.md").write_text("# x\n")
    code = ("import sys; from linter.cli import cli\n"
            "try:\n    cli(['check', sys.argv[1], '--format', 'json'])\nexcept SystemExit:\n    pass\n"
            "print('pydantic' in sys.modules, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert done.stderr.strip().splitlines()[-1] == "False", done.stderr
