"""Path globs with the semantics users expect from CI tools and .gitignore, matched in linear time.

``*`` and ``?`` stay inside one path segment, ``**`` spans any number of segments,
``[abc]`` is a character class. Many patterns compile into one regular expression so a
pass over the file index tests each path once, not once per pattern.

Why not simply a regular expression per glob: globs come from the scanned repository (its
``exclude`` and ``services``, waivers, rule packs, CODEOWNERS, Dependabot and Renovate
files), and Python's ``re`` backtracks. ``*a*a*a*a*a*a*b`` becomes ``[^/]*a[^/]*a...``, which
tries every way of splitting a long file name between the stars: minutes for one path. So a
glob is first translated into a few *tokens* (one character, ``*``, ``**`` and its two
optional forms), runs of wildcards that mean the same are merged (``**/**/`` is ``**/``),
and then:

* when the tokens cannot make ``re`` backtrack more than linearly (``linear_for_re``: at
  most one ``*`` per ``/``-separated part, and at most one wildcard that crosses a ``/``,
  with nothing but fixed characters before it), they become a regular expression, as fast
  as before: that is every glob practicelint itself uses and nearly every one users write;
* otherwise they are matched by a Thompson NFA simulation (``_Nfa``): it follows every
  way of matching at once, one path character at a time, so its cost is at most
  ``len(path) x len(tokens)`` steps whatever the glob.

Paths are matched with ``.`` taking any character, newline included (a newline is a legal
character in a file name and must not change how wildcards behave).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Protocol, Sequence

#: Token kinds. ``CHAR`` carries the regular expression of one character (a literal, ``[^/]``
#: or a class); the others are the wildcards, rendered as in ``_RENDERED``.
CHAR, STAR, ANY, DIRS, TAIL = "char", "star", "any", "dirs", "tail"
Token = tuple[str, str]

_RENDERED = {
    STAR: "[^/]*",  # ``*``: any run inside one segment
    ANY: ".*",  # ``**`` inside a segment: anything, across segments
    DIRS: "(?:.*/)?",  # ``**/``: nothing, or whole segments ending with ``/``
    TAIL: "(?:/.*)?",  # a final ``/**``: nothing, or ``/`` and anything
}
STAR_TOKEN: Token = (STAR, "")
ANY_TOKEN: Token = (ANY, "")
DIRS_TOKEN: Token = (DIRS, "")
TAIL_TOKEN: Token = (TAIL, "")
ONE_TOKEN: Token = (CHAR, "[^/]")
SLASH: Token = (CHAR, "/")
#: Wildcards that may cross a ``/``.
_CROSSING = frozenset({ANY, DIRS, TAIL})


class PathMatcher(Protocol):
    """What ``matcher`` returns: a compiled regular expression or an ``_Nfa`` combination.
    ``match(path)`` is truthy when the whole path matches."""

    def match(self, path: str) -> object: ...


def literal(ch: str) -> Token:
    return (CHAR, re.escape(ch))


def translate(pattern: str) -> tuple[Token, ...]:
    """The tokens of one glob (see the module docstring); a class that does not compile
    (``[]``, ``[z-a]``) makes the whole pattern literal text: user globs never crash a run."""
    pattern = pattern.strip().strip("/") if pattern not in ("/", "") else ""
    out: list[Token] = []
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if pattern.startswith("**/", i):
            out.append(DIRS_TOKEN)
            i += 3
        elif pattern.startswith("/**", i) and i + 3 == n:
            out.append(TAIL_TOKEN)
            i += 3
        elif pattern.startswith("**", i):
            out.append(ANY_TOKEN)
            i += 2
        elif ch == "*":
            out.append(STAR_TOKEN)
            i += 1
        elif ch == "?":
            out.append(ONE_TOKEN)
            i += 1
        elif ch == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(literal(ch))
                i += 1
            else:
                body = pattern[i + 1:end].replace("\\", "\\\\").replace("[", "\\[")
                if body.startswith("!"):
                    body = "^" + body[1:]
                if not valid_class(f"[{body}]"):
                    return tuple(literal(c) for c in pattern)
                out.append((CHAR, f"[{body}]"))
                i = end + 1
        else:
            out.append(literal(ch))
            i += 1
    return normalise(out)


def valid_class(source: str) -> bool:
    try:
        re.compile(source)
    except re.error:
        return False
    return True


def normalise(tokens: Iterable[Token]) -> tuple[Token, ...]:
    """Merge adjacent wildcards that together match the same as one of them: ``**`` next to
    ``*`` or ``**/`` is ``**``; ``**/**/`` is ``**/``; ``/**/**`` at the end is ``/**``.
    Sixty ``**/`` in a row are then one token, not sixty nested choices."""
    out: list[Token] = []
    for token in tokens:
        kind = token[0]
        previous = out[-1][0] if out else None
        if kind == ANY:
            while out and out[-1][0] in (STAR, ANY, DIRS):
                out.pop()
        elif (kind == STAR and previous in (STAR, ANY)) or (kind == DIRS and previous in (DIRS, ANY)) \
                or (kind == TAIL and previous in (ANY, TAIL)):
            continue
        out.append(token)
    return tuple(out)


def render(tokens: Sequence[Token]) -> str:
    """The regular expression of ``tokens`` (to be compiled with ``re.DOTALL``, unanchored at the end)."""
    return "".join(src if kind == CHAR else _RENDERED[kind] for kind, src in tokens)


def linear_for_re(tokens: Sequence[Token]) -> bool:
    """Whether ``re`` matches ``render(tokens) + \\Z`` from the start of a path in time
    linear in the path (times the pattern's length).

    ``re`` only backtracks over the choices of the wildcards, so what matters is how many
    ways of choosing can be tried. A final ``/**`` costs one try (with ``re.DOTALL`` its
    ``.*`` jumps to the end). A ``*`` whose part (between two literal ``/``) holds no other
    wildcard has at most one choice that lets the rest of the part match up to the ``/``
    or the end, so failures further on never multiply with it. That leaves at most one
    wildcard that crosses ``/``: its choices are at most ``len(path)``, each followed by
    such forced parts; it must come first (only fixed characters before it), and an ``**``
    that is not a whole segment (``a**b``) must be the only wildcard. A class that can
    match ``/`` blurs the parts, so with one the glob may hold a single wildcard only.
    """
    body = list(tokens[:-1] if tokens and tokens[-1][0] == TAIL else tokens)
    wildcards = [i for i, (kind, _) in enumerate(body) if kind != CHAR]
    if len(wildcards) <= 1:
        return True
    if any(kind == CHAR and src != "/" and _can_match_slash(src) for kind, src in body):
        return False
    crossing = [i for i in wildcards if body[i][0] in _CROSSING]
    if crossing and (len(crossing) > 1 or body[crossing[0]][0] != DIRS or crossing[0] != wildcards[0]):
        return False
    star_in_part = False
    for kind, src in body:
        if kind == DIRS or (kind == CHAR and src == "/"):
            star_in_part = False
        elif kind == STAR:
            if star_in_part:
                return False
            star_in_part = True
    return True


@lru_cache(maxsize=512)
def _can_match_slash(source: str) -> bool:
    return re.fullmatch(source, "/", re.DOTALL) is not None


class _Nfa:
    """Thompson's construction over glob tokens: every way of matching is followed at once,
    so a path costs at most ``len(path) x len(program)`` steps, whatever the glob.

    The program: ``("char", test)`` consumes one character, ``("loop", test)`` consumes
    any number of them, ``("split", target)`` may jump ahead (the optional ``**`` forms).
    ``closure[i]``: the positions reachable from ``i`` without consuming a character.
    """

    def __init__(self, tokens: Sequence[Token]) -> None:
        program: list[tuple[str, object]] = []
        for kind, src in tokens:
            if kind == CHAR:
                program.append(("char", _char_test(src)))
            elif kind == STAR:
                program.append(("loop", _NOT_SLASH))
            elif kind == ANY:
                program.append(("loop", _EVERY))
            elif kind == DIRS:  # (?:.*/)?
                program += [("split", len(program) + 3), ("loop", _EVERY), ("char", _SLASH)]
            else:  # TAIL: (?:/.*)?
                program += [("split", len(program) + 3), ("char", _SLASH), ("loop", _EVERY)]
        self.program = program
        self.accept = len(program)
        self.closure = [self._close(i) for i in range(len(program) + 1)]

    def _close(self, start: int) -> frozenset[int]:
        seen = {start}
        todo = [start]
        while todo:
            i = todo.pop()
            if i == len(self.program):
                continue
            op, arg = self.program[i]
            nexts = [i + 1] if op == "loop" else [i + 1, arg] if op == "split" else []
            for j in nexts:
                if j not in seen:
                    seen.add(j)
                    todo.append(j)  # type: ignore[arg-type]
        return frozenset(seen)

    def match(self, path: str) -> bool:
        program, closure = self.program, self.closure
        current = closure[0]
        for ch in path:
            following: set[int] = set()
            for i in current:
                if i == self.accept:
                    continue
                op, test = program[i]
                if op == "split" or not test(ch):  # type: ignore[operator]
                    continue
                following |= closure[i + 1] if op == "char" else closure[i]
            if not following:
                return False
            current = following  # type: ignore[assignment]
        return self.accept in current


def _char_test(source: str):  # type: ignore[no-untyped-def]
    if len(source) == 1:
        return source.__eq__
    if source.startswith("\\") and len(source) == 2:
        return source[1].__eq__
    compiled = re.compile(source, re.DOTALL)
    return lambda ch: compiled.match(ch) is not None


def _NOT_SLASH(ch: str) -> bool:
    return ch != "/"


def _EVERY(ch: str) -> bool:
    return True


_SLASH = "/".__eq__
_NOTHING = re.compile(r"(?!)")


class _Combined:
    """Globs of which some need the NFA: the regular expression of the others first."""

    def __init__(self, regex: re.Pattern[str] | None, slow: list[_Nfa]) -> None:
        self.regex = regex
        self.slow = slow

    def match(self, path: str) -> bool:
        if self.regex is not None and self.regex.match(path):
            return True
        return any(nfa.match(path) for nfa in self.slow)


def compile_tokens(alternatives: Iterable[Sequence[Token]]) -> PathMatcher:
    """One matcher for several token lists (any of them matching the whole path): a compiled
    regular expression when every list is ``linear_for_re``, else that plus NFAs."""
    fast: list[str] = []
    slow: list[_Nfa] = []
    for tokens in alternatives:
        if linear_for_re(tokens):
            fast.append(render(tokens))
        else:
            slow.append(_Nfa(tokens))
    # The anchor must close the whole alternation, or only the last pattern would be anchored.
    regex = re.compile("(?:" + "|".join(f"(?:{p})" for p in fast) + r")\Z", re.DOTALL) if fast else None
    if not slow:
        return regex or _NOTHING
    return _Combined(regex, slow)


@lru_cache(maxsize=256)
def _compile(patterns: tuple[str, ...]) -> PathMatcher:
    return compile_tokens(translate(p) for p in patterns)


def matcher(patterns: Iterable[str]) -> PathMatcher:
    """A matcher of POSIX relative paths: ``.match(path)`` is truthy when any glob matches."""
    return _compile(tuple(patterns))


def match_any(path: str, patterns: Iterable[str]) -> bool:
    return bool(matcher(patterns).match(path))


def gitignore_lines_in_linear_time(lines: Iterable[str]) -> tuple[list[str], int]:
    """The lines of a ``.gitignore`` whose pattern ``pathspec`` (the directory walk's
    matcher, a backtracking regular expression per line) matches in linear time, and how
    many were left out.

    Runs of ``*`` inside a segment mean one ``*`` in gitignore, so they are merged first;
    then a line is kept when its shape is ``linear_for_re`` (a pattern without a ``/`` but
    at its end matches at any depth: read as ``**/`` before it). A line left out is a file
    the walk indexes although the repository asked to ignore it, which the repository could
    have had anyway by not listing it: nothing is gained by writing such a line.
    """
    kept: list[str] = []
    dropped = 0
    for line in lines:
        pattern = line.strip()
        if not pattern or pattern.startswith("#") or "*" not in pattern:
            kept.append(line)
            continue
        segments = [s if s == "**" or "\\" in s else re.sub(r"\*+", "*", s) for s in line.split("/")]
        line = "/".join(segments)
        pattern = line.strip().removeprefix("!").rstrip("/")
        if "/" not in pattern and not pattern.startswith("**"):
            pattern = "**/" + pattern
        if linear_for_re(translate(pattern)):
            kept.append(line)
        else:
            dropped += 1
    return kept, dropped
