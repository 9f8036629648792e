"""CODEOWNERS files (GitHub and GitLab flavours): rules, sections and who owns a path.

Semantics, from the platforms' own documentation:

* GitHub ("About code owners", docs.github.com): the file is ``.github/CODEOWNERS``,
  ``CODEOWNERS`` or ``docs/CODEOWNERS``, searched in that order, and only the first one
  found is used. Patterns follow gitignore, except that escaping a leading ``#`` with
  ``\\``, ``!`` negation and ``[ ]`` ranges do not work. The last matching line wins, and
  a matching line with no owners leaves the path without owners (``/apps/github``).
  Owners are ``@user``, ``@org/team`` or an e-mail address; ``#`` starts a comment, also
  after the owners. "If any line in your CODEOWNERS file contains invalid syntax, that
  line will be skipped" (the current docs; older GitHub Enterprise versions ignored the
  whole file), so an invalid line is reported here and otherwise ignored.
* GitLab ("Syntax of CODEOWNERS file", docs.gitlab.com): the first of ``CODEOWNERS``,
  ``docs/CODEOWNERS``, ``.gitlab/CODEOWNERS`` is used. Sections ``[Name]``, optional
  ``^[Name]``, ``[Name][2]``, with default owners after the header; sections with the same
  name (case-insensitive) merge; each section is evaluated on its own (last match wins
  inside it) and entries before any section form one more, unnamed section. A path
  without a leading ``/`` matches at any depth, even when it contains a ``/``. ``!path``
  excludes matching files from the section. ``\\#`` escapes a leading ``#`` and ``\\ ``
  a space. Owners may also be roles (``@@maintainer``) and nested groups
  (``@group/sub/team``).

A path is *covered* when at least one section assigns it at least one owner.

Performance and safety: patterns are matched by ``linter.repo.globs`` (linear in the path
whatever the pattern: a line of sixty ``**/`` once took minutes per path). A section of up
to ``ALTERNATION_RULES`` rules is compiled into a single alternation, last rule first, with
one capturing group per rule; ``match.lastindex`` then names the rule that wins, so a path
costs one regex call per section. A larger section (a generated file of 20,000 rules) is
indexed by what each pattern's first segment must be (``_RuleIndex``), so a path is tested
against the few rules that can match it, never against every rule.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from linter.fast_dataclass import dataclass, field
from linter.repo import globs
from linter.repo.workspace import Workspace

GITHUB_LOCATIONS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")
GITLAB_LOCATIONS = ("CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS")
#: GitHub does not load a CODEOWNERS file of 3 MB or more.
MAX_CODEOWNERS_BYTES = 3 * 1024 * 1024
#: Lines beyond this are ignored (and noted); real files stay far below it.
MAX_RULES = 20_000
MAX_LINE_CHARS = 4_000

UNNAMED_SECTION = ""

_GITHUB_USER = re.compile(r"@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\Z")
_GITHUB_TEAM = re.compile(r"@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9_.-]{1,100}\Z")
_GITLAB_NAME = re.compile(r"@[A-Za-z0-9_.][A-Za-z0-9_.-]{0,254}\Z")
_GITLAB_GROUP = re.compile(r"@[A-Za-z0-9_.][A-Za-z0-9_.-]{0,254}(?:/[A-Za-z0-9_.][A-Za-z0-9_.-]{0,254}){1,20}\Z")
_GITLAB_ROLE = re.compile(r"@@(?:developer|developers|maintainer|maintainers|owner|owners)\Z", re.IGNORECASE)
_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,10}\Z")
_SECTION = re.compile(r"^(\^)?\[([^\]\n]{1,200})\](?:\[(\d{1,4})\])?(.*)\Z")


@dataclass(frozen=True, order=True)
class Owner:
    """One owner token; ``kind`` is ``team``, ``user``, ``email``, ``role`` or ``group-or-user``.

    GitLab addresses users and top-level groups the same way (``@name``), so a bare
    ``@name`` in a GitLab file is ``group-or-user``; ``@group/sub`` is a ``team``.
    """

    text: str
    kind: str

    @property
    def is_team(self) -> bool:
        return self.kind == "team"

    @property
    def team_name(self) -> str:
        """``@org/payments-team`` -> ``payments-team``; ``@name`` -> ``name``."""
        return self.text.lstrip("@").rsplit("/", 1)[-1]


@dataclass(frozen=True, order=True)
class Rule:
    """One pattern line: its owners (possibly none), section and whether it excludes."""

    line: int
    pattern: str
    owners: tuple[Owner, ...]
    section: str = UNNAMED_SECTION
    exclusion: bool = False


@dataclass(frozen=True, order=True)
class InvalidLine:
    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class Section:
    """A GitLab section (or the unnamed one), rules in file order."""

    name: str
    line: int
    rules: tuple[Rule, ...]
    optional: bool = False


@dataclass(frozen=True)
class Assignment:
    """Who a section assigns a path to, and by which rule (``None``: no rule matched)."""

    section: str
    rule: Rule | None

    @property
    def owners(self) -> tuple[Owner, ...]:
        if self.rule is None or self.rule.exclusion:
            return ()
        return self.rule.owners


class _CompiledSection:
    """A section's rules, ready to answer "which rule decides this path?"."""

    def __init__(self, section: Section, gitlab: bool) -> None:
        self.name = section.name
        self.includes = _rule_finder([r for r in section.rules if not r.exclusion], gitlab)
        excludes = [r for r in section.rules if r.exclusion]
        self.excludes = _rule_finder(excludes, gitlab) if excludes else None

    def assign(self, path: str) -> Assignment:
        excluded = self.excludes.last_match(path) if self.excludes is not None else None
        if excluded is not None:
            return Assignment(self.name, excluded)
        return Assignment(self.name, self.includes.last_match(path))


#: Sections of at most this many rules are matched with one alternation (a C-level pass per
#: path); larger ones through ``_RuleIndex``.
ALTERNATION_RULES = 200


class _Alternation:
    """Up to ``ALTERNATION_RULES`` rules in one regular expression, the last rule first; rules
    whose pattern ``re`` would backtrack on are matched by their own NFA instead."""

    def __init__(self, rules: list[Rule], tokens: list[tuple[globs.Token, ...]]) -> None:
        fast = [i for i in range(len(rules)) if globs.linear_for_re(tokens[i])]
        self.rules = rules
        self.order = list(reversed(fast))  # group k + 1 is rule self.order[k]
        self.regex = globs.quiet_compile("|".join(f"({globs.render(tokens[i])}\\Z)" for i in self.order),
                                         re.DOTALL) if fast else None
        linear = set(fast)
        self.slow = [(i, globs.compile_tokens([tokens[i]])) for i in reversed(range(len(rules))) if i not in linear]

    def last_match(self, path: str) -> Rule | None:
        best = self.last_index(path)
        return self.rules[best] if best >= 0 else None

    def last_index(self, path: str) -> int:
        """Index of the last rule matching ``path`` (-1: none)."""
        hit = self.regex.match(path) if self.regex is not None else None
        best = self.order[hit.lastindex - 1] if hit is not None and hit.lastindex else -1
        for i, nfa in self.slow:
            if i <= best:
                break
            if nfa.match(path):
                return i
        return best


class _RuleIndex:
    """Many rules, filed by what their first segment must be, so that a path is tested only
    against rules that can match it (last rule first, so the first match wins):

    * rules anchored at the root, under the literal folders they start with (a trie: a
      path visits one node per leading segment);
    * other rules whose first segment is literal (``build/``, ``README.md``), under that
      name: a path looks up each of its segments;
    * other rules whose first segment is ``*`` and a literal extension (``*.js``), under the
      extension: a path looks up each segment's;
    * the rest (``*``, ``*foo*``), tried for every path, ``ALTERNATION_RULES`` at a time in
      one alternation each (a C-level pass per chunk rather than a call per rule).
    """

    def __init__(self, rules: list[Rule], tokens: list[tuple[globs.Token, ...]], gitlab: bool) -> None:
        self.rules = rules
        self.tokens = tokens
        self.matchers: dict[int, globs.PathMatcher] = {}
        self.trie: dict[str | None, Any] = {}  # segment -> node; None -> the rules ending there
        self.names: dict[str, list[int]] = {}
        self.extensions: dict[str, list[int]] = {}
        always: list[int] = []
        for i, rule in enumerate(rules):
            anchored, segments = _key_segments(rule.pattern, gitlab)
            literal = _literal_prefix(segments)
            if anchored and literal:
                node = self.trie
                for segment in literal:
                    node = node.setdefault(segment, {})
                node.setdefault(None, []).append(i)
            elif not anchored and literal:
                self.names.setdefault(literal[0], []).append(i)
            elif not anchored and segments and _extension_key(segments[0]):
                self.extensions.setdefault(_extension_key(segments[0]), []).append(i)
            else:
                always.append(i)
        chunks = [always[at:at + ALTERNATION_RULES] for at in range(0, len(always), ALTERNATION_RULES)]
        self.always = [(chunk, _Alternation([rules[i] for i in chunk], [tokens[i] for i in chunk]))
                       for chunk in reversed(chunks)]  # the chunk holding the last rules first

    def candidates(self, path: str) -> list[int]:
        """Indexes of the indexed rules that can match ``path``, last rule first (the rules
        tried for every path are not among them)."""
        parts = path.split("/")
        found: list[int] = []
        node = self.trie
        for part in parts:
            node = node.get(part)
            if node is None:
                break
            found.extend(node.get(None, ()))
        names, extensions = self.names, self.extensions
        for part in parts:
            found.extend(names.get(part, ()))
            dot = part.rfind(".")
            if dot >= 0:
                found.extend(extensions.get(part[dot:], ()))
        return sorted(set(found), reverse=True)

    def last_match(self, path: str) -> Rule | None:
        best = -1
        for i in self.candidates(path):
            compiled = self.matchers.get(i)
            if compiled is None:
                compiled = self.matchers[i] = globs.compile_tokens([self.tokens[i]])
            if compiled.match(path):
                best = i
                break
        for members, alternation in self.always:
            if members[-1] <= best:
                break
            local = alternation.last_index(path)
            if local >= 0:
                best = max(best, members[local])
                break
        return self.rules[best] if best >= 0 else None


def _rule_finder(rules: list[Rule], gitlab: bool) -> _Alternation | _RuleIndex:
    tokens = [pattern_tokens(r.pattern, gitlab) for r in rules]
    if len(rules) <= ALTERNATION_RULES:
        return _Alternation(rules, tokens)
    return _RuleIndex(rules, tokens, gitlab)


def _key_segments(pattern: str, gitlab: bool) -> tuple[bool, list[str]]:
    """Whether a pattern is anchored at the root, and its segments (leading ``**/`` dropped:
    ``**/logs`` finds ``logs`` at any depth)."""
    anchored = pattern.startswith("/")
    body = pattern.strip("/")
    if not gitlab and "/" in body:
        anchored = True
    segments = body.split("/") if body else []
    if segments and segments[0] == "**":
        while segments and segments[0] == "**":
            segments.pop(0)
        anchored = False
    return anchored, segments


def _literal_prefix(segments: list[str]) -> list[str]:
    """The leading segments without any wildcard or escape (each must equal a path segment)."""
    literal: list[str] = []
    for segment in segments:
        if not segment or any(c in segment for c in "*?[\\"):
            break
        literal.append(segment)
    return literal


def _extension_key(segment: str) -> str:
    """``.js`` for ``*.js`` or ``*.min.js`` (a segment ending so has that last extension);
    ``""`` when the segment is not ``*`` and a literal tail with a dot."""
    tail = segment[1:]
    if not segment.startswith("*") or "." not in tail or any(c in tail for c in "*?[\\"):
        return ""
    return tail[tail.rfind("."):]


@dataclass(frozen=True)
class CodeOwnersFile:
    """The CODEOWNERS file the platform uses, parsed."""

    path: str
    style: str  # "github" | "gitlab"
    sections: tuple[Section, ...]
    invalid: tuple[InvalidLine, ...]
    _compiled: list[_CompiledSection] = field(default_factory=list, compare=False, hash=False, repr=False)

    @property
    def rules(self) -> tuple[Rule, ...]:
        return tuple(sorted(r for s in self.sections for r in s.rules))

    def assignments(self, path: str) -> tuple[Assignment, ...]:
        """Per section, the rule that decides ``path`` (a POSIX path relative to the root)."""
        if not self._compiled:
            self._compiled.extend(_CompiledSection(s, self.style == "gitlab") for s in self.sections)
        return tuple(c.assign(path) for c in self._compiled)

    def owners_of(self, path: str) -> tuple[Owner, ...]:
        """Every owner any section assigns to ``path``, sorted and deduplicated."""
        return tuple(sorted({o for a in self.assignments(path) for o in a.owners}))

    def covers(self, path: str) -> bool:
        return any(a.owners for a in self.assignments(path))


@dataclass(frozen=True)
class CodeOwnersFacts:
    """The file in use (if any), where it was looked for, and candidates it shadows."""

    file: CodeOwnersFile | None
    searched: tuple[str, ...]
    shadowed: tuple[str, ...] = ()


# --------------------------------------------------------------------------- patterns
def pattern_regex(pattern: str, gitlab: bool = False) -> str:
    """The regular expression of one CODEOWNERS pattern, matched against whole file paths
    (the semantics of ``pattern_tokens``, as text; files are matched through ``linter.repo.globs``)."""
    return "(?s)" + globs.render(pattern_tokens(pattern, gitlab)) + r"\Z"


def pattern_tokens(pattern: str, gitlab: bool = False) -> tuple[globs.Token, ...]:
    """Translate one CODEOWNERS pattern into ``linter.repo.globs`` tokens for whole file paths.

    * ``*`` and ``?`` stay inside one segment; ``**`` crosses segments;
    * a leading ``/`` anchors at the root; on GitHub (gitignore rules) so does a ``/``
      anywhere but at the end, while on GitLab only a leading ``/`` anchors;
    * a trailing ``/`` matches only what is inside the directory;
    * otherwise the pattern matches a file of that name or anything under a directory
      of that name, except that a last segment of exactly ``*`` (``docs/*``) matches only
      the directory's own files, as GitHub documents.
    """
    text = pattern
    anchored = text.startswith("/")
    body = text.strip("/")
    if (not gitlab and "/" in body) or body.startswith("**/"):
        anchored = True
    directory_only = text.endswith("/") and body != ""
    if body in ("", "**"):
        return (globs.ANY_TOKEN,)
    prefix = [] if anchored else [globs.DIRS_TOKEN]
    segments = body.split("/")
    if directory_only:
        suffix = [globs.SLASH, globs.ANY_TOKEN]
    elif segments[-1] == "*":
        suffix = []
    else:
        suffix = [globs.TAIL_TOKEN]
    return globs.normalise(prefix + _translate_body(body, gitlab) + suffix)


def _translate_body(body: str, gitlab: bool) -> list[globs.Token]:
    out: list[globs.Token] = []
    i, n = 0, len(body)
    while i < n:
        ch = body[i]
        at_segment_start = i == 0 or body[i - 1] == "/"
        if body.startswith("**/", i) and at_segment_start:
            out.append(globs.DIRS_TOKEN)  # (?:[^/]*/)*: the same strings as (?:.*/)?
            i += 3
        elif body.startswith("**", i) and at_segment_start and i + 2 == n:
            out.append(globs.ANY_TOKEN)
            i += 2
        elif body.startswith("**", i):
            out.append(globs.STAR_TOKEN)
            i += 2
        elif ch == "*":
            out.append(globs.STAR_TOKEN)
            i += 1
        elif ch == "?":
            out.append(globs.ONE_TOKEN)
            i += 1
        elif ch == "\\" and i + 1 < n:
            out.append(globs.literal(body[i + 1]))
            i += 2
        elif ch == "[" and gitlab:
            end = body.find("]", i + 2)
            inner = body[i + 1:end] if end != -1 else ""
            negate = inner[:1] in ("!", "^")
            inner = inner[1:] if negate else inner
            source = "[" + ("^" if negate else "") + "".join("\\" + c if c in "\\^[]" else c for c in inner) + "]"
            if end == -1 or not globs.valid_class(source):  # no class: a literal bracket
                out.append(globs.literal(ch))
                i += 1
            else:
                out.append((globs.CHAR, source))
                i = end + 1
        else:
            out.append(globs.literal(ch))
            i += 1
    return out


# --------------------------------------------------------------------------- owners
def classify_owner(token: str, gitlab: bool) -> Owner | None:
    """An ``Owner`` for a valid token, ``None`` for anything else."""
    if token.startswith("@"):
        if gitlab:
            if _GITLAB_ROLE.match(token):
                return Owner(token, "role")
            if _GITLAB_GROUP.match(token):
                return Owner(token, "team")
            if _GITLAB_NAME.match(token):
                return Owner(token, "group-or-user")
            return None
        if _GITHUB_TEAM.match(token):
            return Owner(token, "team")
        if _GITHUB_USER.match(token):
            return Owner(token, "user")
        return None
    if _EMAIL.match(token):
        return Owner(token, "email")
    return None


# --------------------------------------------------------------------------- parsing
def _split_tokens(line: str, gitlab: bool) -> list[str]:
    """Whitespace-separated tokens; ``\\ `` keeps a space inside a path (GitLab documents it;
    GitHub's patterns follow gitignore, where a backslash escapes a space too)."""
    if "\\ " not in line and "\\\t" not in line:
        return line.split()
    tokens: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(line):
        ch = line[i]
        if ch == "\\" and i + 1 < len(line) and line[i + 1] in " \t":
            current.append(line[i + 1])
            i += 2
            continue
        if ch in " \t":
            if current:
                tokens.append("".join(current))
                current = []
        else:
            current.append(ch)
        i += 1
    if current:
        tokens.append("".join(current))
    return tokens


def _owner_tokens(tokens: list[str]) -> list[str]:
    """Tokens up to an inline ``#`` comment."""
    out: list[str] = []
    for token in tokens:
        if token.startswith("#"):
            break
        out.append(token)
    return out


@dataclass
class _Parser:
    gitlab: bool
    rules: dict[str, list[Rule]] = field(default_factory=dict)
    section_lines: dict[str, int] = field(default_factory=dict)
    section_names: dict[str, str] = field(default_factory=dict)
    optional: dict[str, bool] = field(default_factory=dict)
    defaults: dict[str, tuple[Owner, ...]] = field(default_factory=dict)
    invalid: list[InvalidLine] = field(default_factory=list)
    current: str = UNNAMED_SECTION

    def bad(self, number: int, text: str, reason: str) -> None:
        self.invalid.append(InvalidLine(number, text[:200], reason))

    def owners(self, number: int, raw: str, tokens: list[str]) -> tuple[tuple[Owner, ...], bool]:
        """Valid owners and whether every token was valid."""
        found: list[Owner] = []
        ok = True
        for token in tokens:
            owner = classify_owner(token, self.gitlab)
            if owner is None:
                ok = False
                self.bad(number, raw, f"invalid owner {token[:80]!r}")
            else:
                found.append(owner)
        return tuple(found), ok

    def section(self, number: int, raw: str, match: re.Match[str]) -> None:
        name = match.group(2).strip()
        if not name:
            self.bad(number, raw, "section header without a name")
            return
        key = name.lower()
        rest = _owner_tokens(match.group(4).split())
        owners, _ = self.owners(number, raw, rest)
        self.current = key
        self.section_names.setdefault(key, name)
        self.section_lines.setdefault(key, number)
        self.optional[key] = bool(match.group(1))
        if owners:
            self.defaults[key] = owners
        self.rules.setdefault(key, [])

    def entry(self, number: int, raw: str, stripped: str) -> None:
        tokens = _split_tokens(stripped, self.gitlab)
        pattern, owner_tokens = tokens[0], _owner_tokens(tokens[1:])
        exclusion = False
        if self.gitlab:
            if pattern.startswith("\\#"):
                pattern = pattern[1:]
            if pattern.startswith("!"):
                exclusion, pattern = True, pattern[1:]
                if not pattern:
                    self.bad(number, raw, "exclusion without a path")
                    return
        else:
            reason = _github_pattern_problem(pattern)
            if reason:
                self.bad(number, raw, reason)
                return
        owners, ok = self.owners(number, raw, owner_tokens)
        if not ok and not self.gitlab:
            return  # GitHub skips a line with invalid syntax entirely
        if exclusion:
            owners = ()
        elif not owner_tokens and self.gitlab:
            owners = self.defaults.get(self.current, ())
        self.rules.setdefault(self.current, []).append(
            Rule(number, pattern, owners, self.section_names.get(self.current, ""), exclusion))


def _github_pattern_problem(pattern: str) -> str:
    if pattern.startswith("\\#"):
        return "escaping a leading # with \\ does not work on GitHub"
    if pattern.startswith("!"):
        return "! negation does not work on GitHub"
    if "[" in pattern or "]" in pattern:
        return "[ ] character ranges do not work on GitHub"
    return ""


def parse_codeowners(text: str, gitlab: bool) -> tuple[tuple[Section, ...], tuple[InvalidLine, ...], bool]:
    """Sections, invalid lines and whether the rule cap truncated the file."""
    parser = _Parser(gitlab)
    count = 0
    truncated = False
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if len(stripped) > MAX_LINE_CHARS:
            parser.bad(number, raw, "line too long; ignored")
            continue
        count += 1
        if count > MAX_RULES:
            truncated = True
            break
        header = _SECTION.match(stripped) if gitlab else None
        if header is not None:
            parser.section(number, raw, header)
        else:
            parser.entry(number, raw, stripped)
    sections = []
    for key, rules in parser.rules.items():
        sections.append(Section(parser.section_names.get(key, ""), parser.section_lines.get(key, 0),
                                tuple(rules), parser.optional.get(key, False)))
    sections.sort(key=lambda s: (s.line, s.name))
    return tuple(sections), tuple(sorted(parser.invalid)), truncated


_SECTION_HINT = re.compile(r"^\^?\[[^\]\n]{1,200}\](?:\[\d{1,4}\])?(?:\s|$)", re.MULTILINE)


def _is_gitlab(ws: Workspace, chosen: str, text: str) -> bool:
    if chosen.startswith(".gitlab/") or ws.exists(".gitlab-ci.yml"):
        return True
    return _SECTION_HINT.search(text) is not None


def _platform_locations(ws: Workspace) -> tuple[str, ...]:
    """GitLab's search order when the repository is evidently on GitLab, else GitHub's."""
    on_gitlab = ws.exists(".gitlab-ci.yml") or (
        ws.exists(".gitlab/CODEOWNERS") and not ws.exists(".github/CODEOWNERS"))
    return GITLAB_LOCATIONS if on_gitlab else GITHUB_LOCATIONS


def detect(ws: Workspace) -> CodeOwnersFacts:
    locations = _platform_locations(ws)
    searched = locations
    every = dict.fromkeys(GITHUB_LOCATIONS + GITLAB_LOCATIONS)
    present = [p for p in locations if ws.exists(p)]
    others = [p for p in every if p not in locations and ws.exists(p)]
    if not present:
        if others:
            ws.note(others[0], "CODEOWNERS in a location this platform does not read; not used")
        return CodeOwnersFacts(None, searched, tuple(others))
    chosen = present[0]
    shadowed = tuple(present[1:]) + tuple(others)
    for path in shadowed:
        ws.note(path, f"CODEOWNERS ignored: {chosen} takes precedence")
    text = ws.read_text(chosen)
    if text is None:
        return CodeOwnersFacts(None, searched, shadowed)
    if len(text.encode("utf-8", "replace")) >= MAX_CODEOWNERS_BYTES:
        ws.note(chosen, "CODEOWNERS of 3 MB or more is not loaded by GitHub; ignored")
        return CodeOwnersFacts(None, searched, shadowed)
    gitlab = _is_gitlab(ws, chosen, text)
    sections, invalid, truncated = parse_codeowners(text, gitlab)
    if truncated:
        ws.note(chosen, f"more than {MAX_RULES} rules; the rest were not read")
    return CodeOwnersFacts(CodeOwnersFile(chosen, "gitlab" if gitlab else "github", sections, invalid),
                           searched, shadowed)


def team_owners(owners: Iterable[Owner]) -> list[Owner]:
    return sorted({o for o in owners if o.is_team})
