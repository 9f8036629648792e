"""Security policy discovery and reporting channels: links, e-mail, sections, placeholders."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from linter.detectors.security_policy import detect, email_ok, url_channel
from linter.repo.workspace import Workspace

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "security_policy"


def _policy(make_repo: Callable[..., Path], name: str, target: str = "SECURITY.md"):
    root = make_repo({target: (FIXTURES / name).read_text(encoding="utf-8")})
    policies = detect(Workspace(root)).policies
    assert len(policies) == 1
    return policies[0]


def test_github_template_has_no_channel(make_repo) -> None:
    policy = _policy(make_repo, "template_unchanged.md")
    assert policy.channels == ()
    assert policy.template_text
    assert "Reporting a Vulnerability" in policy.headings


def test_advisory_link_and_reporting_section(make_repo) -> None:
    policy = _policy(make_repo, "advisories.md")
    kinds = {(c.kind, c.line) for c in policy.channels}
    assert ("advisory", 11) in kinds
    assert ("reporting-section", 7) in kinds


def test_comments_and_code_blocks_do_not_count(make_repo) -> None:
    policy = _policy(make_repo, "versions_only.md")
    assert policy.channels == ()
    assert not policy.template_text


def test_bug_bounty_and_security_txt(make_repo) -> None:
    policy = _policy(make_repo, "bounty.md", ".github/security.md")
    assert policy.path == ".github/security.md"
    assert {c.kind for c in policy.channels} == {"bug-bounty", "security.txt"}


def test_rst_policy_section_and_email_but_not_comment(make_repo) -> None:
    policy = _policy(make_repo, "policy.rst", "docs/SECURITY.rst")
    assert {(c.kind, c.detail) for c in policy.channels} == {
        ("email", "security@tern.dev"), ("reporting-section", "Reporting a vulnerability")}
    assert {c.line for c in policy.channels} == {11, 14}


def test_placeholder_email_does_not_count(make_repo) -> None:
    assert _policy(make_repo, "placeholder_email.md").channels == ()


@pytest.mark.parametrize("url, kind", [
    ("https://github.com/acme/app/security/advisories/new", "advisory"),
    ("https://github.com/acme/app/security/advisories", "advisory"),
    ("mailto:security@acme.io?subject=vuln", "email"),
    ("mailto:security@example.com", None),
    ("https://hackerone.com/acme", "bug-bounty"),
    ("https://bugcrowd.com/acme", "bug-bounty"),
    ("https://acme.io/.well-known/security.txt", "security.txt"),
    ("https://gitlab.com/acme/app/-/issues/new?issue[confidential]=true", "confidential-issue"),
    ("https://acme.io/about", None),
    ("https://github.com/acme/app/issues/new", None),
])
def test_url_classification(url: str, kind: str | None) -> None:
    hit = url_channel(url)
    assert (hit[0] if hit else None) == kind


@pytest.mark.parametrize("address, ok", [
    ("security@acme.io", True),
    ("sec@example.com", False),
    ("a@b.example", False),
    ("git@github.com", False),
    ("x@yourcompany.com", False),
])
def test_email_filter(address: str, ok: bool) -> None:
    assert email_ok(address) is ok


def test_locations_and_names(make_repo) -> None:
    root = make_repo({"SECURITY.md": "# S\n", "docs/Security.md": "# S\n", "src/SECURITY.md": "# S\n",
                      ".github/SECURITY.txt": "mail security@acme.io\n", "SECURITY-NOTES.md": "x"})
    paths = [p.path for p in detect(Workspace(root)).policies]
    assert paths == [".github/SECURITY.txt", "SECURITY.md", "docs/Security.md"]


@pytest.mark.parametrize("content", [b"", b"\x00\x01binary", "[" * 10000, "# " * 5000, "a@" * 20000,
                                     "<!--", "---\ntitle: [\n---\n# x\n"])
def test_hostile_content_never_raises(make_repo, content) -> None:
    root = make_repo({"SECURITY.md": content})
    detect(Workspace(root))


@pytest.mark.parametrize(("text", "kinds"), [
    ("# Security Policy\n\nTo report a security issue, please use [g.co/vulnz](https://g.co/vulnz).\n",
     {"reporting-link"}),
    ("# Security\n\nSecurity vulnerabilities can be reported at https://intake.acme.io/form today.\n",
     {"reporting-link"}),
    # near misses: a link that is not about reporting, a reporting sentence without a link
    ("# Security\n\nRead more about our product at [the site](https://acme.io).\n", set()),
    ("# Security\n\nPlease report security issues to the maintainers.\n", set()),
    ("# Security\n\n<!-- To report a vulnerability use https://intake.acme.io -->\n", set()),
    ("# Security\n\n```\nTo report a vulnerability use https://intake.acme.io\n```\n", set()),
])
def test_a_link_in_a_reporting_sentence_is_a_channel(make_repo, text: str, kinds: set[str]) -> None:
    policies = detect(Workspace(make_repo({"SECURITY.md": text}))).policies
    assert {c.kind for c in policies[0].channels} == kinds
