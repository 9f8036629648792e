"""When a Buildkite step runs: its ``branches`` filter and ``if`` condition as triggers and refs.

Which builds a Buildkite pipeline creates is set in Buildkite (the pipeline's repository
settings), not in the repository; practicelint assumes the usual setup, builds of every
pushed branch and of every pull request, and no tag builds (``PER_CHANGE``). A step narrows
that with:

* ``branches`` - space-separated patterns (or a list), ``*`` any characters, ``!`` not:
  ``main`` runs on builds of ``main`` only (after the merge: a pull request's build is of its
  own branch), ``"!main"`` on every other branch and pull request;
* ``if`` - a C-like condition evaluated when the pipeline is uploaded. The parts read here,
  joined by ``&&`` (both) or ``||`` (either): ``build.branch`` compared (``==``, ``!=``,
  ``=~ /^literal$/``) with a name or ``pipeline.default_branch``; ``build.pull_request.id``
  against ``null`` (pull-request builds or not); ``build.tag`` (tag builds);
  ``build.source`` (``schedule``, ``ui``, ``api``, ``trigger_job``). Anything else, or a
  condition with parentheses, does not narrow the step: it may run.

A ``When`` combines as steps nest (a group's condition, the step that uploaded a pipeline).
"""

from __future__ import annotations

import re
from typing import Any

from linter.detectors.ci.model import as_list, text_of
from linter.detectors.ci.refs import ANY_BRANCH, ANY_TAG, DEFAULT_BRANCH, DEFAULT_BRANCH_NAMES, is_default_branch
from linter.fast_dataclass import dataclass

PER_CHANGE = frozenset({"push", "pull_request"})
#: A ref that is every branch but the default one (``branches: "!main"``).
NOT_DEFAULT = "branch:!default"
MAX_PATTERNS = 200
MAX_CONDITION_CHARS = 4_000


@dataclass(frozen=True)
class When:
    """Events that start a step and the refs its push builds run on (``linter.detectors.ci.refs``)."""

    triggers: frozenset[str] = PER_CHANGE
    refs: tuple[str, ...] = (ANY_BRANCH,)


DEFAULT = When()
#: A pipeline file this repository does not say how it is started (another Buildkite pipeline).
ELSEWHERE = When(frozenset({"other"}), ())


def combine(outer: When, inner: When) -> When:
    """A step's own ``inner`` condition inside ``outer`` (its group, the uploading step)."""
    special = (outer.triggers | inner.triggers) - PER_CHANGE
    triggers = special if special else outer.triggers & inner.triggers
    unnarrowed = ((ANY_BRANCH,), ())
    if inner.refs in unnarrowed:
        refs = outer.refs  # () stays (): a pipeline started by other events runs on any ref
    else:
        refs = inner.refs  # the step's own filter (inside the outer one: the narrower in practice)
    return When(frozenset(triggers), refs)


def either(a: When, b: When) -> When:
    return When(a.triggers | b.triggers, tuple(sorted(set(a.refs) | set(b.refs))))


def of_step(step: dict[Any, Any]) -> When:
    """The condition a step's ``branches`` and ``if`` write (``DEFAULT`` when neither narrows)."""
    when = DEFAULT
    if "branches" in step:
        when = combine(when, branches(step.get("branches")))
    condition = step.get("if")
    if isinstance(condition, str) and condition.strip():
        when = combine(when, condition_of(condition))
    return when


# --------------------------------------------------------------------------- branches
def branches(value: Any) -> When:
    """``branches: "main release/* !wip"`` (or a list) as a ``When``."""
    words: list[str] = []
    if isinstance(value, str):
        words = value.split()
    else:
        for item in as_list(value):
            words.extend(text_of(item).split())
    words = words[:MAX_PATTERNS]
    positive = [w for w in words if not w.startswith("!")]
    negative = [w[1:] for w in words if w.startswith("!") and len(w) > 1]
    if not positive:
        if not negative:
            return DEFAULT
        excludes_default = any(_matches_default(p) for p in negative)
        return When(PER_CHANGE, (NOT_DEFAULT,) if excludes_default else (ANY_BRANCH,))
    refs = tuple(sorted({_ref(p) for p in positive}))
    if ANY_BRANCH in refs:
        excludes_default = any(_matches_default(p) for p in negative)
        return When(PER_CHANGE, (NOT_DEFAULT,) if excludes_default else (ANY_BRANCH,))
    if all(is_default_branch(r) for r in refs):
        return When(frozenset({"push"}), refs)  # builds of the default branch: after the merge
    return When(PER_CHANGE, refs)


def _ref(pattern: str) -> str:
    """A Buildkite branch pattern as a ref; its ``*`` matches ``/`` too (``**`` in refs' globs)."""
    if pattern.strip("*") == "":
        return ANY_BRANCH
    return "branch:" + re.sub(r"\*+", "**", pattern[:200])


def _matches_default(pattern: str) -> bool:
    """The pattern matches a default branch name (``main``, ``ma*``, ``*``)."""
    return is_default_branch(_ref(pattern))


# --------------------------------------------------------------------------- if
_STRING = r"""(?:"([^"\\]{0,200})"|'([^'\\]{0,200})')"""
_BRANCH_EQ = re.compile(rf"^build\.branch\s*(==|!=)\s*(?:{_STRING}|(pipeline\.default_branch))$")
_BRANCH_EQ_REVERSED = re.compile(rf"^(?:{_STRING}|(pipeline\.default_branch))\s*(==|!=)\s*build\.branch$")
_BRANCH_RE = re.compile(r"^build\.branch\s*(=~|!~)\s*/(.{0,200})/[a-z]{0,3}$")
_LITERAL = re.compile(r"\^((?:[A-Za-z0-9_.-]|\\/|/){1,200})(\$\$?)?")
_PULL_REQUEST = re.compile(r"^(!)?\s*build\.pull_request\.id(?:\s*(==|!=)\s*null)?$")
_PULL_REQUEST_ENV = re.compile(rf"^build\.env\(\s*{_STRING}\s*\)\s*(==|!=)\s*{_STRING}$")
_TAG = re.compile(rf"^(!)?\s*build\.tag(?:\s*(==|!=|=~|!~)\s*(null|{_STRING}|/.{{0,200}}/))?$")
_SOURCE = re.compile(rf"^build\.source\s*(==|!=)\s*{_STRING}$")
_SOURCES = {"schedule": "schedule", "ui": "manual", "api": "other", "trigger_job": "other"}
#: Quoted strings and regular expression literals, blanked before splitting on ``&&``/``||``.
_LITERALS = re.compile(r""""[^"\\\n]{0,200}"|'[^'\\\n]{0,200}'|(?<![\w)])/(?:[^/\\\n]|\\.){0,200}/""")


def condition_of(text: str) -> When:
    """An ``if`` condition as a ``When``; parts that are not read do not narrow it."""
    text = _without_comments(text[:MAX_CONDITION_CHARS])
    masked = _LITERALS.sub(lambda m: "x" * len(m.group(0)), text)
    if "(" in masked.replace("build.env(", "build.env_"):
        return DEFAULT  # grouping: not read
    result: When | None = None
    start = 0
    for match in list(re.finditer(r"\|\|", masked)) + [None]:  # type: ignore[list-item]
        end = match.start() if match is not None else len(text)
        conjunct = _conjunction(text[start:end], masked[start:end])
        result = conjunct if result is None else either(result, conjunct)
        start = match.end() if match is not None else start
    return result or DEFAULT


def _without_comments(text: str) -> str:
    return "\n".join(re.sub(r"(?:^|(?<=\s))//.*$", "", line) for line in text.split("\n"))


def _conjunction(text: str, masked: str) -> When:
    when = DEFAULT
    start = 0
    for match in list(re.finditer(r"&&", masked)) + [None]:  # type: ignore[list-item]
        end = match.start() if match is not None else len(text)
        atom = _atom(" ".join(text[start:end].split()))
        if atom is not None:
            when = combine(when, atom)
        start = match.end() if match is not None else start
    return when


def _atom(text: str) -> When | None:
    """One comparison as a ``When``; ``None`` when it says nothing about events or refs."""
    match = _BRANCH_EQ.match(text)
    if match:
        return _branch_is(match.group(1), match.group(2) or match.group(3), bool(match.group(4)))
    match = _BRANCH_EQ_REVERSED.match(text)
    if match:
        return _branch_is(match.group(4), match.group(1) or match.group(2), bool(match.group(3)))
    match = _BRANCH_RE.match(text)
    if match:
        return _branch_matches(match.group(1), match.group(2))
    match = _PULL_REQUEST.match(text)
    if match:
        negated = bool(match.group(1)) != (match.group(2) == "==")
        return When(frozenset({"push"})) if negated else When(frozenset({"pull_request"}))
    match = _PULL_REQUEST_ENV.match(text)
    if match and (match.group(1) or match.group(2)) == "BUILDKITE_PULL_REQUEST":
        value = match.group(4) if match.group(4) is not None else match.group(5)
        if value == "false":
            return When(frozenset({"push"})) if match.group(3) == "==" else When(frozenset({"pull_request"}))
        return None
    match = _TAG.match(text)
    if match:
        operator, value = match.group(2), match.group(3)
        if match.group(1) or operator in ("!=", "!~") and value != "null" or operator == "==" and value == "null":
            return None  # not a tag build, or any build but one tag's
        return When(frozenset({"push"}), (ANY_TAG,))
    match = _SOURCE.match(text)
    if match:
        source = _SOURCES.get(match.group(2) or match.group(3) or "")
        if match.group(1) == "==" and source:
            return When(frozenset({source}), ())
        return None
    return None


def _branch_is(operator: str, name: str | None, default: bool) -> When:
    """``build.branch == "main"`` / ``!= pipeline.default_branch``..."""
    is_default = default or (name or "") in DEFAULT_BRANCH_NAMES
    if operator == "==":
        if is_default:
            return When(frozenset({"push"}), (DEFAULT_BRANCH if default else f"branch:{name}",))
        return When(PER_CHANGE, (f"branch:{name}",))
    return When(PER_CHANGE, (NOT_DEFAULT,) if is_default else (ANY_BRANCH,))


def _branch_matches(operator: str, pattern: str) -> When | None:
    """``build.branch =~ /^main$/`` (a literal) or ``/^release\\//`` (a prefix)."""
    literal = _LITERAL.fullmatch(pattern)
    if literal is None:
        return None if operator == "=~" else When(PER_CHANGE, (ANY_BRANCH,))
    name = literal.group(1).replace("\\/", "/")
    if operator == "!~":
        exact = bool(literal.group(2))
        return When(PER_CHANGE, (NOT_DEFAULT,) if exact and name in DEFAULT_BRANCH_NAMES else (ANY_BRANCH,))
    if literal.group(2):
        return _branch_is("==", name, False)
    return When(PER_CHANGE, (f"branch:{name}**",))
