"""When a Woodpecker or Drone step runs: its ``when`` (and the workflow's ``when``, Drone's
``trigger``) as the model's triggers and push refs.

Woodpecker forked from Drone and both write the same conditions: a mapping of filters that
must all hold (Woodpecker also takes a list of such mappings, any of which may hold). Without
one a step runs on every event the forge sends: pushes to any branch, pull requests, tags,
deployments, releases, cron jobs, manual runs. The filters read here:

* ``event`` - a name, a list, or ``include``/``exclude``: ``push`` (a branch push: its refs),
  ``pull_request``, ``tag`` (a release: started by ``other`` events, refs ``tag:*``, as
  Bitbucket's ``tags`` pipelines), ``cron`` (a schedule), ``manual``
  (Woodpecker) / ``custom`` (Drone) (by hand); ``deployment``, ``release``, ``promote``,
  ``rollback`` and the other pull request events are started by other events;
* ``branch`` - glob(s), a list or ``include``/``exclude``; for a pull request it is the
  target branch (both systems document this), so a filter the default branch (``main``,
  ``master``, ``trunk``, or the one git's ``origin/HEAD`` names) does not pass drops the pull
  requests that change it; ``${CI_REPO_DEFAULT_BRANCH}`` (Woodpecker) and
  ``${DRONE_REPO_BRANCH}`` (Drone) are the default branch; any other variable does not narrow;
* ``ref`` - git ref globs: ``refs/heads/..`` are branch pushes, ``refs/tags/..`` tags,
  ``refs/pull/..`` pull requests; an include list keeps only the kinds it names;
* ``status`` - a step only on ``failure`` does not run on a passing change (started by
  ``other`` events).

Anything else (``evaluate`` expressions, ``path``, ``repo``, ``platform``, ``matrix``,
``instance``, ``cron`` names, ``environment``/``target``) does not narrow the step: it may
run, as an unread GitHub ``if:`` does. A condition that is not a mapping or list of mappings
does not narrow either.
"""

from __future__ import annotations

import re
from typing import Any

from linter.detectors.ci.model import as_list, text_of
from linter.detectors.ci.refs import ANY_BRANCH, ANY_TAG, DEFAULT_BRANCH, is_default_branch
from linter.fast_dataclass import dataclass

#: Every event either system sends, in the names used here (Drone's ``custom`` is ``manual``).
ALL_EVENTS = frozenset({"push", "pull_request", "tag", "cron", "manual", "other"})
#: A ref that is every branch but the default one (``branch: {exclude: main}``).
NOT_DEFAULT = "branch:!default"
MAX_ALTERNATIVES = 32
MAX_PATTERNS = 200
_EVENT_NAMES = {"push": "push", "pull_request": "pull_request", "tag": "tag", "cron": "cron", "manual": "manual",
                "custom": "manual"}
_DEFAULT_VARIABLES = re.compile(r"\$\{?(?:CI_REPO_DEFAULT_BRANCH|DRONE_REPO_BRANCH)\}?")


@dataclass(frozen=True)
class Alternative:
    """One mapping of filters: the events it admits, the refs its branch pushes and tags run
    on, and whether pull requests into the default branch pass its branch filter."""

    events: frozenset[str] = ALL_EVENTS
    branches: tuple[str, ...] = (ANY_BRANCH,)
    tags: tuple[str, ...] = (ANY_TAG,)
    default_admitted: bool = True


#: A condition: any of its alternatives may hold.
Condition = tuple[Alternative, ...]
ALWAYS: Condition = (Alternative(),)


def condition_of(value: Any, default: str = "") -> Condition:
    """A ``when``/``trigger`` value as a condition (``ALWAYS`` when it does not narrow);
    ``default`` is the repository's default branch when git names it (``develop``)."""
    if isinstance(value, dict):
        return (_alternative(value, default),)
    items = [item for item in as_list(value)[:MAX_ALTERNATIVES] if isinstance(item, dict)]
    if not items or len(items) != len(as_list(value)[:MAX_ALTERNATIVES]):
        return ALWAYS  # not a condition either system reads: not narrowed
    return tuple(_alternative(item, default) for item in items)


def both(outer: Condition, inner: Condition) -> Condition:
    """A step's condition inside its workflow's: every pair of alternatives, both holding."""
    out: list[Alternative] = []
    for a in outer:
        for b in inner:
            if len(out) >= MAX_ALTERNATIVES:
                return tuple(out)
            out.append(Alternative(a.events & b.events, _narrower(a.branches, b.branches, ANY_BRANCH),
                                   _narrower(a.tags, b.tags, ANY_TAG), a.default_admitted and b.default_admitted))
    return tuple(out)


def _narrower(outer: tuple[str, ...], inner: tuple[str, ...], unnarrowed: str) -> tuple[str, ...]:
    return outer if inner == (unnarrowed,) else inner


def triggers_and_refs(condition: Condition) -> tuple[frozenset[str], tuple[str, ...]]:
    """The model's triggers and push refs of a condition (``linter.detectors.ci.model``)."""
    triggers: set[str] = set()
    refs: set[str] = set()
    for alt in condition:
        if "push" in alt.events and alt.branches:
            triggers.add("push")
            refs.update(alt.branches)
        if "tag" in alt.events and alt.tags:
            triggers.add("other")  # as Bitbucket's ``tags`` pipelines: a release, not a change
            refs.update(alt.tags)
        if "pull_request" in alt.events:
            triggers.add("pull_request" if alt.default_admitted else "other")
        if "cron" in alt.events:
            triggers.add("schedule")
        if "manual" in alt.events:
            triggers.add("manual")
        if "other" in alt.events:
            triggers.add("other")
    if not triggers:
        return frozenset({"other"}), ()  # no event the file names: started some other way, if ever
    return frozenset(triggers), tuple(sorted(refs))


# --------------------------------------------------------------------------- one mapping
def _alternative(when: dict[Any, Any], default: str) -> Alternative:
    alt = Alternative()
    if "event" in when:
        alt = Alternative(_events(when.get("event")), alt.branches, alt.tags, alt.default_admitted)
    if "branch" in when:
        branches, admitted = _branches(when.get("branch"), default)
        alt = Alternative(alt.events, branches, alt.tags, admitted)
    if "ref" in when:
        alt = _refs(alt, when.get("ref"), default)
    status = {text_of(s).strip().lower() for s in _names(when.get("status"))[0]}
    if status == {"failure"}:
        alt = Alternative(frozenset({"other"}) & alt.events, (), (), False)
    return alt


def _names(value: Any) -> tuple[list[str], list[str]]:
    """``value``'s included and excluded names: a string, a list or ``include``/``exclude``."""
    if isinstance(value, dict):
        return _plain(value.get("include")), _plain(value.get("exclude"))
    return _plain(value), []


def _plain(value: Any) -> list[str]:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        items: list[Any] = [value]
    else:
        items = as_list(value)
    out: list[str] = []
    for item in items[:MAX_PATTERNS]:
        text = text_of(item).strip()
        if text:
            out.append(text)
    return out


def _events(value: Any) -> frozenset[str]:
    include, exclude = _names(value)
    named = {_EVENT_NAMES.get(e.lower(), "other") for e in include} if include else set(ALL_EVENTS)
    excluded = {_EVENT_NAMES[e.lower()] for e in exclude if e.lower() in _EVENT_NAMES}  # "other" is many events
    return frozenset(named - excluded)


def _is_default(ref: str, default: str) -> bool:
    return is_default_branch(ref) or bool(default) and ref == f"branch:{default}"


def _branches(value: Any, default: str) -> tuple[tuple[str, ...], bool]:
    """Refs of a ``branch`` filter, and whether the default branch passes it."""
    include, exclude = _names(value)
    include = [_pattern(p) for p in include]
    exclude = [_pattern(p) for p in exclude]
    excludes_default = any(p is not None and p != ANY_BRANCH and _is_default(p, default) for p in exclude)
    if not include or any(p is None or p == ANY_BRANCH for p in include):
        return ((NOT_DEFAULT,), False) if excludes_default else ((ANY_BRANCH,), True)
    refs = tuple(sorted({p for p in include if p is not None}))
    return refs, any(_is_default(r, default) for r in refs) and not excludes_default


def _pattern(text: str) -> str | None:
    """A branch glob as a ref (``None`` when a variable makes it unknown)."""
    if _DEFAULT_VARIABLES.fullmatch(text):
        return DEFAULT_BRANCH
    if "$" in text:
        return None
    text = text.removeprefix("refs/heads/")[:200]
    return ANY_BRANCH if text.strip("*") == "" else f"branch:{text}"


def _refs(alt: Alternative, value: Any, default: str) -> Alternative:
    """A ``ref`` include list keeps the kinds of event it names (excludes do not narrow)."""
    include, _ = _names(value)
    if not include:
        return alt
    heads = [p[len("refs/heads/"):] for p in include if p.startswith("refs/heads/")]
    tags = [p[len("refs/tags/"):] for p in include if p.startswith("refs/tags/")]
    pulls = any(p.startswith("refs/pull") or p.startswith("refs/merge-requests") for p in include)
    if any(p == "*" or p == "**" or p == "refs/*" or p == "refs/**" or "$" in p for p in include):
        return alt
    events = set(alt.events)
    if not heads:
        events.discard("push")
    if not tags:
        events.discard("tag")
    if not pulls:
        events.discard("pull_request")
    branches = tuple(sorted({ANY_BRANCH if h.strip("*") == "" else f"branch:{h[:200]}" for h in heads})) \
        if heads else alt.branches
    tag_refs = tuple(sorted({ANY_TAG if t.strip("*") == "" else f"tag:{t[:200]}" for t in tags})) if tags else alt.tags
    admitted = alt.default_admitted and (not heads or any(_is_default(b, default) for b in branches))
    return Alternative(frozenset(events), _narrower(alt.branches, branches, ANY_BRANCH), tag_refs, admitted)
