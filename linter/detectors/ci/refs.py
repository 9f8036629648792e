"""Which git refs a push-started job runs on: every branch, the default branch, or tags only.

The pipeline model answers "is this job started by a change?"; deployment and test rules
also need "*which* pushes?": a workflow on ``push: branches: [main]`` runs after a merge,
not on the change under review, and one on ``push: tags: ['v*']`` deploys releases, not
merges. Refs are kept as short strings:

* ``branch:<glob>`` - pushes to matching branches (``branch:*`` = any branch);
* ``branch:$default`` - the default branch, however it is named (GitLab's
  ``$CI_DEFAULT_BRANCH``);
* ``tag:<glob>`` - tag pushes.

An empty tuple means the CI system's parser did not record refs: read it as "any ref".
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from linter.detectors.ci.model import as_dict, text_of
from linter.repo import globs

ANY_BRANCH = "branch:*"
ANY_TAG = "tag:*"
DEFAULT_BRANCH = "branch:$default"
#: Branch names that are a repository's default branch in practice.
DEFAULT_BRANCH_NAMES = frozenset({"main", "master", "trunk"})
MAX_FILTERS = 200

_GH_REF_EQ = re.compile(r"github\.ref\s*==\s*['\"]refs/(heads|tags)/([^'\"\s]{1,200})['\"]")
_GH_REF_NAME_EQ = re.compile(r"github\.ref_name\s*==\s*['\"]([^'\"\s]{1,200})['\"]")
_GH_TAG_PREFIX = re.compile(r"startsWith\(\s*github\.ref\s*,\s*['\"]refs/tags/")
_GH_REF_TYPE = re.compile(r"github\.ref_type\s*==\s*['\"](branch|tag)['\"]")
_GH_DEFAULT = re.compile(r"github\.ref_name\s*==\s*github\.event\.repository\.default_branch|"
                         r"github\.ref\s*==\s*format\(\s*['\"]refs/heads/\{0\}['\"]\s*,\s*"
                         r"github\.event\.repository\.default_branch\s*\)")

_GL_BRANCH_EQ = re.compile(r"\$\{?CI_COMMIT_(?:BRANCH|REF_NAME)\}?\s*==\s*(?:\$\{?CI_DEFAULT_BRANCH\}?|[\"']([^\"']{1,200})[\"'])")
_GL_DEFAULT_FIRST = re.compile(r"\$\{?CI_DEFAULT_BRANCH\}?\s*==\s*\$\{?CI_COMMIT_(?:BRANCH|REF_NAME)\}?")
_GL_BRANCH_RE = re.compile(r"\$\{?CI_COMMIT_(?:BRANCH|REF_NAME)\}?\s*=~\s*/\^?([A-Za-z0-9._/-]{1,100})")
_GL_TAG = re.compile(r"\$\{?CI_COMMIT_TAG\}?(?!\s*(?:==\s*null|!=|!~))")
_GL_NO_TAG = re.compile(r"\$\{?CI_COMMIT_TAG\}?\s*==\s*null")


def is_default_branch(ref: str) -> bool:
    """``branch:main``/``branch:master``/``branch:$default`` and globs that match them."""
    if not ref.startswith("branch:"):
        return False
    name = ref[len("branch:"):]
    if name in ("$default", "*", "**"):
        return True
    return any(_glob_match(name, branch) for branch in DEFAULT_BRANCH_NAMES)


def with_default_branch(refs: tuple[str, ...], name: str) -> tuple[str, ...]:
    """``refs`` with ``branch:<name>`` written ``branch:$default`` when ``name`` is the
    repository's default branch (``develop`` in a repository that merges into it)."""
    if not name or f"branch:{name}" not in refs:
        return refs
    return tuple(sorted({DEFAULT_BRANCH if r == f"branch:{name}" else r for r in refs}))


def runs_on_default_branch(refs: tuple[str, ...]) -> bool:
    return not refs or any(is_default_branch(ref) for ref in refs)


def only_default_branch(refs: tuple[str, ...]) -> bool:
    """True when pushes run the job only on the default branch (after a merge)."""
    branches = [r for r in refs if r.startswith("branch:")]
    if not branches:
        return False
    return all(r != ANY_BRANCH and r != "branch:**" and is_default_branch(r) for r in branches)


def _glob_match(pattern: str, name: str) -> bool:
    """GitHub branch filter globs (``*``, ``**``, ``?``) against a branch name."""
    return bool(_branch_glob(pattern[:200]).match(name))


@lru_cache(maxsize=256)
def _branch_glob(pattern: str) -> globs.PathMatcher:
    """``**`` any text, ``*`` any text without ``/``, ``?`` one character, the rest literal;
    matched by ``linter.repo.globs``, linear in the name whatever the pattern (a filter of a hundred
    ``**`` must not backtrack)."""
    tokens: list[globs.Token] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            tokens.append(globs.ANY_TOKEN)
            i += 2
            continue
        ch = pattern[i]
        tokens.append(globs.STAR_TOKEN if ch == "*" else (globs.CHAR, "[^\\n]") if ch == "?" else globs.literal(ch))
        i += 1
    return globs.compile_tokens([globs.normalise(tokens)])


# --------------------------------------------------------------------------- GitHub
def github_push_refs(on: Any) -> tuple[str, ...]:
    """Refs of a workflow's ``push`` event; ``()`` when the workflow has no push event."""
    if isinstance(on, str):
        return (ANY_BRANCH, ANY_TAG) if on.strip() == "push" else ()
    if isinstance(on, list):
        return (ANY_BRANCH, ANY_TAG) if "push" in [text_of(e).strip() for e in on] else ()
    if not isinstance(on, dict) or "push" not in on:
        return ()
    push = as_dict(on.get("push"))
    branches = _filter_list(push.get("branches"))
    ignored = _filter_list(push.get("branches-ignore"))
    tags = _filter_list(push.get("tags"))
    tags_ignored = "tags-ignore" in push
    refs: list[str] = []
    has_branch_filter = "branches" in push or "branches-ignore" in push
    has_tag_filter = "tags" in push or tags_ignored
    if "branches" in push:
        refs.extend(f"branch:{b}" for b in branches if not b.startswith("!"))
    elif "branches-ignore" in push:
        refs.append(ANY_BRANCH if not any(b in DEFAULT_BRANCH_NAMES for b in ignored) else "branch:!default")
    elif not has_tag_filter:
        refs.append(ANY_BRANCH)
    if "tags" in push:
        refs.extend(f"tag:{t}" for t in tags if not t.startswith("!"))
    elif tags_ignored or not has_branch_filter:
        refs.append(ANY_TAG)
    return tuple(sorted(set(refs)))


def _filter_list(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return [text_of(item).strip() for item in items[:MAX_FILTERS] if text_of(item).strip()]


def narrow_github_refs(refs: tuple[str, ...], condition: str) -> tuple[str, ...]:
    """Refs left after a job ``if:`` that tests ``github.ref`` (only a plain conjunction)."""
    if not condition or "||" in condition:
        return refs
    expression = condition.replace("${{", "").replace("}}", "")
    if _GH_DEFAULT.search(expression):
        return (DEFAULT_BRANCH,)
    match = _GH_REF_EQ.search(expression)
    if match:
        return (f"{'branch' if match.group(1) == 'heads' else 'tag'}:{match.group(2)}",)
    match = _GH_REF_NAME_EQ.search(expression)
    if match:
        return (f"branch:{match.group(1)}",)
    if _GH_TAG_PREFIX.search(expression):
        return tuple(r for r in refs if r.startswith("tag:")) or (ANY_TAG,)
    match = _GH_REF_TYPE.search(expression)
    if match:
        kept = tuple(r for r in refs if r.startswith(match.group(1) + ":"))
        return kept or ((ANY_TAG,) if match.group(1) == "tag" else (ANY_BRANCH,))
    return refs


# --------------------------------------------------------------------------- GitLab
def gitlab_condition_refs(condition: str) -> tuple[str, ...]:
    """Refs a GitLab ``rules: if:`` can be true for; ``()`` when it does not test the ref."""
    refs: set[str] = set()
    for part in condition.split("||"):
        part_refs: set[str] = set()
        for match in _GL_BRANCH_EQ.finditer(part):
            part_refs.add(f"branch:{match.group(1)}" if match.group(1) else DEFAULT_BRANCH)
        if _GL_DEFAULT_FIRST.search(part):
            part_refs.add(DEFAULT_BRANCH)
        for match in _GL_BRANCH_RE.finditer(part):
            part_refs.add(f"branch:{match.group(1)}*")
        if _GL_TAG.search(part) and not _GL_NO_TAG.search(part):
            part_refs.add(ANY_TAG)
        if not part_refs:
            return ()
        refs |= part_refs
    return tuple(sorted(refs))


def gitlab_rules_refs(rules: list[Any]) -> tuple[str, ...]:
    """Union of refs over the rules that can run the job (``when: never`` rules excluded)."""
    refs: set[str] = set()
    for rule in rules[:MAX_FILTERS]:
        if not isinstance(rule, dict):
            continue
        if text_of(rule.get("when")).strip().lower() == "never":
            continue
        condition = text_of(rule.get("if"))
        found = gitlab_condition_refs(condition) if condition.strip() else ()
        if not found:
            return (ANY_BRANCH, ANY_TAG)
        refs.update(found)
    return tuple(sorted(refs))


def gitlab_only_refs(only: Any) -> tuple[str, ...]:
    """Refs of ``only:`` (``[main]``, ``[tags]``, ``refs: [branches]``); ``()`` = unrestricted."""
    refs = as_dict(only).get("refs") if isinstance(only, dict) else only
    if isinstance(refs, str):
        refs = [refs]
    if not isinstance(refs, list) or not refs:
        return ()
    out: set[str] = set()
    for item in refs[:MAX_FILTERS]:
        name = text_of(item).strip()
        if name in ("branches", "pushes"):
            out.add(ANY_BRANCH)
        elif name == "tags":
            out.add(ANY_TAG)
        elif name.startswith("/") and name.endswith("/"):
            out.add("branch:" + name.strip("/^$").replace(".*", "*")[:100])
        elif name and name not in ("merge_requests", "schedules", "web", "api", "triggers", "pipelines",
                                   "external_pull_requests", "chat"):
            out.add(f"branch:{name}")
    return tuple(sorted(out))


# --------------------------------------------------------------------------- CircleCI
def circleci_filter_refs(filters: Any) -> tuple[str, ...]:
    """Refs of a workflow job's ``filters``: every branch and no tag by default (CircleCI
    builds tags only for jobs whose filters name them); ``branches: only`` names branches,
    ``ignore`` leaves every other one, ``tags: only`` adds tags. Regular expressions
    (``/^release-.*/``) become globs."""
    branches = as_dict(as_dict(filters).get("branches"))
    tags = as_dict(as_dict(filters).get("tags"))
    refs: set[str] = set()
    only = _filter_list(branches.get("only"))
    ignored = _filter_list(branches.get("ignore"))
    if only:
        refs.update(f"branch:{_circle_glob(b)}" for b in only)
    elif ignored and any(_circle_glob(b) in ("*", "**") for b in ignored):
        pass  # every branch ignored: tags only, if any
    elif ignored:
        refs.add(ANY_BRANCH if not any(_circle_glob(b) in DEFAULT_BRANCH_NAMES for b in ignored) else "branch:!default")
    else:
        refs.add(ANY_BRANCH)
    tag_only = _filter_list(tags.get("only"))
    if tag_only:
        refs.update(f"tag:{_circle_glob(t)}" for t in tag_only)
    return tuple(sorted(refs))


def _circle_glob(value: str) -> str:
    """``/^release-.*/`` -> ``release-*``; a plain name stays."""
    if len(value) > 1 and value.startswith("/") and value.endswith("/"):
        value = value[1:-1].lstrip("^").rstrip("$")
        value = value.replace(".*", "*").replace(".+", "*").replace("\\.", ".")
    return value[:200]


# --------------------------------------------------------------------------- Azure Pipelines
def azure_trigger_refs(trigger: Any) -> tuple[str, ...]:
    """Refs a CI ``trigger:`` runs on: any branch when absent (Azure's default), the listed
    branches (``trigger: [main, releases/*]``, ``branches: include:``; ``exclude`` alone leaves
    every other branch), ``tags: include`` adds tags; ``()`` for ``trigger: none``."""
    if trigger is None or trigger == "default":
        return (ANY_BRANCH,)
    if isinstance(trigger, str):
        return () if trigger.strip().lower() == "none" else (f"branch:{_azure_ref(trigger)}",)
    if isinstance(trigger, list):
        return tuple(sorted({f"branch:{_azure_ref(text_of(b))}" for b in trigger[:MAX_FILTERS] if text_of(b).strip()}))
    if not isinstance(trigger, dict):
        return (ANY_BRANCH,)
    refs: set[str] = set()
    branches = trigger.get("branches")
    include = _filter_list(as_dict(branches).get("include")) if isinstance(branches, dict) else []
    exclude = _filter_list(as_dict(branches).get("exclude")) if isinstance(branches, dict) else []
    if include:
        refs.update(f"branch:{_azure_ref(b)}" for b in include)
    elif exclude:
        refs.add(ANY_BRANCH if not any(_azure_ref(b) in DEFAULT_BRANCH_NAMES for b in exclude) else "branch:!default")
    elif "tags" not in trigger:
        refs.add(ANY_BRANCH)
    if _filter_list(as_dict(trigger.get("tags")).get("include")):
        refs.add(ANY_TAG)
    return tuple(sorted(refs))


def _azure_ref(name: str) -> str:
    """``refs/heads/main`` -> ``main``; a branch name stays."""
    name = name.strip()
    return name.removeprefix("refs/heads/")[:200]
