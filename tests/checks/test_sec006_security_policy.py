"""SEC006 security-policy: missing, template-only, versions-only and useful policies."""

from __future__ import annotations

from functools import partial

from pathlib import Path

from linter.checks.sec006_security_policy import check
from linter.results import Status
from tests.helpers import make_context

make_context = partial(make_context, rule="SEC006")  # contexts for SEC006, with its typed options

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "security_policy"


def _fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_missing_policy_says_where_it_looked(make_repo) -> None:
    root = make_repo({"README.md": "Report bugs to security@acme.io"})
    finding = check(make_context(root))
    assert finding.status is Status.FAIL
    assert "looked for SECURITY.md" in finding.message and "root, .github/ and docs/" in finding.message
    assert "organisation-wide SECURITY.md from the owner's .github repository" in finding.message


def test_template_policy_fails_naming_the_placeholder(make_repo) -> None:
    root = make_repo({"SECURITY.md": _fixture("template_unchanged.md")})
    finding = check(make_context(root))
    assert finding.status is Status.FAIL
    assert "SECURITY.md still has GitHub's template placeholder text" in finding.message
    assert "Supported Versions" in finding.message
    assert finding.message.endswith("if there is one, waive this rule")


def test_versions_table_only_fails(make_repo) -> None:
    root = make_repo({".github/SECURITY.md": _fixture("versions_only.md")})
    finding = check(make_context(root))
    assert finding.status is Status.FAIL
    assert ".github/SECURITY.md has no contact" in finding.message
    assert finding.evidence[0].path == ".github/SECURITY.md"


def test_advisory_link_passes_with_line(make_repo) -> None:
    root = make_repo({"SECURITY.md": _fixture("advisories.md")})
    finding = check(make_context(root))
    assert finding.status is Status.PASS
    assert finding.message == ("SECURITY.md says how to report a vulnerability: GitHub security advisories "
                               "https://github.com/tern-dev/tern-cli/security/advisories/new (line 11)")
    assert ("SECURITY.md", 7, 'section "Reporting a vulnerability"') in {
        (e.path, e.line, e.detail) for e in finding.evidence}


def test_reporting_section_alone_passes(make_repo) -> None:
    root = make_repo({"SECURITY.md": "# Security\n\n## How to report a security issue\n\n"
                                     "Use the private form in the project settings; we reply within 48 hours.\n"})
    finding = check(make_context(root))
    assert finding.status is Status.PASS
    assert 'section "How to report a security issue" (line 3)' in finding.message


def test_empty_reporting_section_fails(make_repo) -> None:
    root = make_repo({"SECURITY.md": "# Security\n\n## Reporting a vulnerability\n\n<!-- TODO -->\n\nTBD\n"})
    assert check(make_context(root)).status is Status.FAIL


def test_one_useful_policy_among_several_passes(make_repo) -> None:
    root = make_repo({"SECURITY.md": _fixture("template_unchanged.md"), "docs/SECURITY.rst": _fixture("policy.rst")})
    finding = check(make_context(root))
    assert finding.status is Status.PASS
    assert finding.message.startswith("docs/SECURITY.rst says how to report a vulnerability: e-mail security@tern.dev")
