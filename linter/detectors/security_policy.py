"""Security policies (``SECURITY.md``) and the reporting channels they offer.

GitHub shows a ``SECURITY.md`` found in the repository root, ``.github/`` or ``docs/`` as
the project's security policy; the same places are searched here, with the name matched
case-insensitively and ``.markdown``, ``.rst`` and ``.txt`` variants accepted.

A policy is useful only if it says how to report a vulnerability privately. Recognised
channels, in visible text only (HTML comments, code blocks and raw HTML are dropped by the
Markdown parser, ``..`` comments in reStructuredText are skipped):

* an e-mail address (text or ``mailto:`` link), except reserved example domains;
* GitHub private vulnerability reporting (``/security/advisories/new``) or a repository's
  advisories page, a GitLab confidential-issue link;
* a bug-bounty or disclosure platform (HackerOne, Bugcrowd, Intigriti, YesWeHack, huntr,
  Immunefi, Open Bug Bounty) or a ``security.txt`` link;
* a section headed like "Reporting a vulnerability" / "Disclosure" / "Security contact"
  with content of its own.

GitHub's template text ("Use this section to tell people how to report a vulnerability...")
is a placeholder and never counts.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from linter.detectors.markdown import MarkdownDoc, has_words, parse_markdown, parsed
from linter.fast_dataclass import dataclass
from linter.repo.workspace import Workspace

POLICY_DIRS = ("", ".github/", "docs/")
POLICY_NAMES = frozenset({"security.md", "security.markdown", "security.rst", "security.txt"})
MAX_TEXT_CHARS = 200_000

_PARSER = MarkdownIt("commonmark", {"html": True}).enable("table")
_EMAIL = re.compile(r"(?<![\w.+-])([A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,63})(?![\w-])")
_URL = re.compile(r"https?://[^\s<>()\[\]\"'`]{1,500}", re.IGNORECASE)
_PLACEHOLDER_DOMAIN = re.compile(
    r"(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid|localhost|domain\.com|"
    r"your[-_]?(?:domain|company|org|project)[^.]*\.[a-z]+|email\.com)$", re.IGNORECASE)
_BOUNTY_HOSTS = ("hackerone.com", "bugcrowd.com", "intigriti.com", "yeswehack.com", "huntr.dev",
                 "huntr.com", "immunefi.com", "openbugbounty.org", "bugbounty.")
_REPORT_HEADING = re.compile(
    r"report(?:ing)?\b.{0,40}\b(?:vulnerab|security|issue|bug|problem)|"
    r"(?:vulnerab|security).{0,40}\breport|disclos|security\s+contact|contact(?:ing)?\s+(?:us|the\s+security)|"
    r"how\s+to\s+report", re.IGNORECASE)
#: A sentence that tells how to report a security problem: its links are the channel
#: ("To report a security issue, please use [our intake form](https://...)").
_REPORT_SENTENCE = re.compile(
    r"\b(?:report|disclos|submit|send)\w*\b.{0,80}\b(?:security|vulnerab)|"
    r"\b(?:security|vulnerab)\w*\b.{0,80}\b(?:report|disclos)", re.IGNORECASE | re.DOTALL)
_TEMPLATE = re.compile(r"^\s*(?:use this section to tell people|tell them where to go, how often)", re.IGNORECASE)
_RST_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+])\1{2,}\s*$")


@dataclass(frozen=True, order=True)
class Channel:
    """A way to report a vulnerability, where it is written and what it is."""

    path: str
    line: int
    kind: str  # email | advisory | bug-bounty | security.txt | confidential-issue | reporting-section | reporting-link
    detail: str


@dataclass(frozen=True, order=True)
class SecurityPolicy:
    path: str
    channels: tuple[Channel, ...]
    headings: tuple[str, ...]
    template_text: bool  # GitHub's unchanged placeholder sentences are present


@dataclass(frozen=True)
class SecurityPolicyFacts:
    policies: tuple[SecurityPolicy, ...]
    searched: tuple[str, ...] = ("SECURITY.md", ".github/SECURITY.md", "docs/SECURITY.md")


# --------------------------------------------------------------------------- classification
def url_channel(url: str) -> tuple[str, str] | None:
    """``(kind, detail)`` when ``url`` is a reporting channel, else ``None``."""
    lowered = url.lower().strip()
    if lowered.startswith("mailto:"):
        address = lowered[7:].split("?", 1)[0]
        return ("email", address) if email_ok(address) else None
    if "/security/advisories" in lowered:
        return "advisory", url
    if "issue[confidential]=true" in lowered or "issue%5bconfidential%5d=true" in lowered:
        return "confidential-issue", url
    if lowered.rstrip("/").endswith("security.txt"):
        return "security.txt", url
    host = re.sub(r"^[a-z]+://", "", lowered).split("/", 1)[0]
    if any(h in host for h in _BOUNTY_HOSTS):
        return "bug-bounty", url
    return None


def email_ok(address: str) -> bool:
    """A plausible address that is not a documentation placeholder or a git remote."""
    local, _, domain = address.rpartition("@")
    domain = domain.rstrip(".")
    if not local or local.lower() == "git" or "." not in domain:
        return False
    return not _PLACEHOLDER_DOMAIN.search(domain)


def text_channels(path: str, line: int, text: str) -> list[Channel]:
    found: list[Channel] = []
    for match in _EMAIL.finditer(text[:MAX_TEXT_CHARS]):
        address = match.group(1).rstrip(".")
        if email_ok(address):
            found.append(Channel(path, line, "email", address))
    instructs = bool(_REPORT_SENTENCE.search(text[:2000]))
    for match in _URL.finditer(text[:MAX_TEXT_CHARS]):
        url = match.group(0).rstrip(".,;:")
        hit = url_channel(url)
        if hit:
            found.append(Channel(path, line, *hit))
        elif instructs:
            found.append(Channel(path, line, "reporting-link", url[:200]))
    return found


# --------------------------------------------------------------------------- markdown
def _link_channels(path: str, tokens: list[Token]) -> list[Channel]:
    """Channels in link targets, which the visible text does not show."""
    found: list[Channel] = []
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        line = token.map[0] + 1 if token.map else 0
        instructs = bool(_REPORT_SENTENCE.search(token.content[:2000]))
        for child in token.children:
            if child.type == "link_open":
                href = str(child.attrs.get("href", ""))
                hit = url_channel(href)
                if hit:
                    found.append(Channel(path, line, *hit))
                elif instructs and href.lower().startswith(("https://", "http://")):
                    found.append(Channel(path, line, "reporting-link", href[:200]))
    return found


def _markdown_policy(path: str, text: str, doc: MarkdownDoc | None = None) -> SecurityPolicy:
    doc = doc if doc is not None else parse_markdown(path, text)
    channels: list[Channel] = []
    template = False
    for block in doc.blocks:
        if block.kind != "heading":
            channels += text_channels(path, block.line, block.text)
        if _TEMPLATE.match(block.text):
            template = True
    try:
        channels += _link_channels(path, _PARSER.parse(text))
    except Exception:  # markdown-it is robust; never let a policy file raise
        pass
    for index, block in enumerate(doc.blocks):
        if block.kind != "heading" or not _REPORT_HEADING.search(block.text[:200]):
            continue
        body = [b for b in doc.section(index) if b.kind != "heading" and not _TEMPLATE.match(b.text)]
        if any(has_words(b.text) for b in body):
            channels.append(Channel(path, block.line, "reporting-section", block.text[:120]))
    headings = tuple(b.text[:120] for b in doc.headings)
    return SecurityPolicy(path, tuple(sorted(set(channels))), headings, template)


# --------------------------------------------------------------------------- rst / txt
def _plain_policy(path: str, text: str) -> SecurityPolicy:
    lines = text.split("\n")
    channels: list[Channel] = []
    headings: list[tuple[int, str]] = []
    visible: list[tuple[int, str]] = []
    template = False
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("..") and not re.match(r"^\.\.\s+_[^:]{1,200}:\s*\S", stripped):
            continue  # reStructuredText comment or directive
        if _RST_UNDERLINE.match(stripped) and number >= 2 and lines[number - 2].strip():
            headings.append((number - 1, lines[number - 2].strip()))
            continue
        if _TEMPLATE.match(stripped):
            template = True
            continue
        visible.append((number, stripped))
        channels += text_channels(path, number, stripped)
    heading_lines = {n for n, _ in headings}
    for position, (number, title) in enumerate(headings):
        if not _REPORT_HEADING.search(title[:200]):
            continue
        end = headings[position + 1][0] if position + 1 < len(headings) else len(lines) + 1
        body = [t for n, t in visible if number < n < end and n not in heading_lines]
        if any(has_words(t) for t in body):
            channels.append(Channel(path, number, "reporting-section", title[:120]))
    return SecurityPolicy(path, tuple(sorted(set(channels))), tuple(t[:120] for _, t in headings), template)


# --------------------------------------------------------------------------- detect
def policy_paths(ws: Workspace) -> list[str]:
    found = []
    for path in ws.paths_containing("security."):
        directory, _, name = path.rpartition("/")
        prefix = directory + "/" if directory else ""
        if prefix in POLICY_DIRS and name.lower() in POLICY_NAMES:
            found.append(path)
    return sorted(found)


def detect(ws: Workspace) -> SecurityPolicyFacts:
    policies: list[SecurityPolicy] = []
    for path in policy_paths(ws):
        text = ws.read_text(path)
        if text is None:
            continue
        text = text[:MAX_TEXT_CHARS]
        if path.lower().endswith((".md", ".markdown")):
            policies.append(_markdown_policy(path, text, parsed(ws, path, text)))
        else:
            policies.append(_plain_policy(path, text))
    return SecurityPolicyFacts(tuple(policies))
