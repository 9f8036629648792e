"""Every relative link in README.md and docs/*.md leads somewhere: the file exists in the
repository and, for ``file.md#anchor``, the heading does (as GitHub names heading anchors).

Links are read with markdown-it, the CommonMark parser the documentation rules use, so a
link inside a code block or a code span is not a link, and one written across lines is."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _tokens(path: Path):  # type: ignore[no-untyped-def]
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").parse(path.read_text(encoding="utf-8"))


def _inline_text(token) -> str:  # type: ignore[no-untyped-def]
    return "".join(child.content for child in token.children or [] if child.type in ("text", "code_inline"))


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation other than ``-`` and ``_``
    dropped, spaces made hyphens."""
    text = heading.strip().lower()
    text = "".join(c for c in text if c in " -_" or unicodedata.category(c)[0] in "LN")
    return text.replace(" ", "-")


@lru_cache(maxsize=None)
def anchors(path: Path) -> frozenset[str]:
    tokens = _tokens(path)
    seen: dict[str, int] = {}
    found = set()
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        base = github_anchor(_inline_text(tokens[i + 1]))
        count = seen.get(base, 0)
        found.add(base if count == 0 else f"{base}-{count}")  # GitHub numbers repeated headings
        seen[base] = count + 1
    return frozenset(found)


def links(path: Path) -> list[str]:
    out = []
    for token in _tokens(path):
        for child in token.children or []:
            if child.type == "link_open":
                out.append(str(child.attrs.get("href") or ""))
            elif child.type == "image":
                out.append(str(child.attrs.get("src") or ""))
    return out


def problems(path: Path, root: Path = ROOT) -> list[str]:
    found = []
    for href in links(path):
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            continue  # a web address: not checked here (no network in the tests)
        target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
        if not target.is_relative_to(root):
            found.append(f"{href}: outside the repository")
        elif not target.exists():
            found.append(f"{href}: no such file")
        elif parts.fragment and target.suffix == ".md" and unquote(parts.fragment) not in anchors(target):
            found.append(f"{href}: no heading with that anchor in {target.relative_to(root)}")
    return found


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(path: Path) -> None:
    assert problems(path) == []


def test_the_checker_catches_broken_links(tmp_path: Path) -> None:
    """Near misses: a missing file, a missing anchor, a link out of the repository; and what
    is not a link (a code span, an indented code block) is not checked."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "b.md").write_text("# B\n\n## `init [PATH]` and fix\n\n## Waivers\n## Waivers\n",
                                            encoding="utf-8")
    page = tmp_path / "a.md"
    page.write_text("[ok](docs/b.md#init-path-and-fix) [ok](docs/b.md#waivers-1) [ok](#a) "
                    "[gone](docs/c.md) [bad](docs/b.md#waivers-2) [up](../x.md) [web](https://e.example/x)\n\n"
                    "# A\n\n`[code](nowhere.md)`\n\n    [indented](nowhere.md)\n", encoding="utf-8")
    assert problems(page, tmp_path) == ["docs/c.md: no such file",
                                        "docs/b.md#waivers-2: no heading with that anchor in docs/b.md",
                                        "../x.md: outside the repository"]


def test_readme_keeps_the_generated_table_and_the_test_command() -> None:
    """``python3 dev.py docs`` rewrites the table between the markers; ``.ci/run`` runs the
    README's test command."""
    from linter.ruledocs import README_END, README_START

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.count(README_START) == 1 and readme.count(README_END) == 1
    assert "python3 dev.py test" in readme and "python3 dev.py test" in (ROOT / ".ci" / "run").read_text()


def test_readme_is_for_users() -> None:
    """No internals and no history of the work (they live in docs/ and benchmarks/)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8").lower()
    for word in ("recache", "sieve", "parallel.py", "probe", "session ", "issue 7", "repolinter"):
        assert word not in readme, word
    assert not re.search(r"\b\d+\.\d+ s\b", readme)  # no timings


def test_readme_gives_the_two_set_up_commands_first() -> None:
    """A newcomer's first section: run the linter on the examples, run the tests."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = readme.index("\n## ")
    assert readme[first:].startswith("\n## Set up\n")
    section = readme[first:readme.index("\n## ", first + 1)]
    assert "python3 dev.py demo" in section and "python3 dev.py test" in section
    # and the plain commands they wrap: the linter on an example that exists, pytest on the tests
    example = re.search(r"practicelint check (examples/[\w-]+)", section)
    assert example and (ROOT / example.group(1)).is_dir()
    assert "-m pytest tests" in section
