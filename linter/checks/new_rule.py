"""Scaffold a new built-in rule, as ruff's ``add_rule`` script does: ``python3 dev.py new-rule ID name``.

A built-in rule is three files a person writes, plus generated ones:

* ``rules/<ID>.yaml``: what users read (summary, rationale, evidence, remediation, example,
  options with their defaults), with ``TODO`` placeholders that the catalog tests refuse, so
  a rule cannot ship half described;
* ``linter/checks/<id>_<name>.py``: its ``check`` and its ``RULE`` record
  (``linter.checks.rule``); the check raises ``NotImplementedError`` until written, which a
  run reports as that rule's error;
* ``tests/checks/test_<id>_<name>.py``: a passing and a near-miss case, which fail until the
  check is written.

``dev.py`` then regenerates ``linter/checks/registry.py`` and the docs (``dev.py docs``).
Nothing is overwritten: the command refuses a taken id or name and an existing file, and
then writes nothing at all.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

from linter.catalog.model import CATEGORY_PREFIX

#: The mark of text a person must replace; ``tests/catalog/test_catalog.py`` refuses it in the catalog.
PLACEHOLDER = "TODO"
_ID = re.compile(r"([A-Z]{2,5})([0-9]{3})")
_NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
_CATEGORY = {prefix: category for category, prefix in CATEGORY_PREFIX.items()}


class ScaffoldError(ValueError):
    """The rule cannot be scaffolded as asked (a bad or taken id or name, an existing file)."""


def paths(root: Path, rule_id: str, name: str) -> dict[str, Path]:
    """The three files of a rule, by role (``yaml``, ``check``, ``test``)."""
    module = f"{rule_id.lower()}_{name.replace('-', '_')}"
    return {"yaml": root / "rules" / f"{rule_id}.yaml",
            "check": root / "linter" / "checks" / f"{module}.py",
            "test": root / "tests" / "checks" / f"test_{module}.py"}


def scaffold(root: Path, rule_id: str, name: str, *, practice: str | None = None, scope: str = "service",
             severity: str = "warning") -> list[Path]:
    """Write the three files of rule ``rule_id`` named ``name`` under ``root`` (a checkout)
    and return them; ``ScaffoldError`` (and nothing written) when anything is wrong."""
    category = _category_of(rule_id)
    if not _NAME.fullmatch(name):
        raise ScaffoldError(f"{name!r}: a rule name is kebab-case (lower-case words joined by '-')")
    if scope not in ("service", "repo"):
        raise ScaffoldError(f"scope {scope!r}: use service (judged per service) or repo (judged once)")
    if severity not in ("error", "warning", "info"):
        raise ScaffoldError(f"severity {severity!r}: use error, warning or info")
    rules = _catalog_rules(root)
    if rule_id in rules:
        raise ScaffoldError(f"{rule_id} is taken ({rules[rule_id]}); the next free id is {_next_free(rule_id, rules)}")
    taken = {rule_name: rid for rid, rule_name in rules.items()}
    if name in taken:
        raise ScaffoldError(f"the name {name} is taken by {taken[name]}")
    practice = _practice(root, category, practice)
    files = paths(root, rule_id, name)
    existing = [str(p.relative_to(root)) for p in files.values() if p.exists()]
    if existing:
        raise ScaffoldError(f"refusing to overwrite {', '.join(existing)}")
    module = files["check"].stem
    texts = {
        "yaml": _yaml(rule_id, name, practice, category, severity, scope),
        "check": _check(rule_id, name),
        "test": _test(rule_id, name, module),
    }
    for role, path in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
            handle.write(texts[role])
    return list(files.values())


def _category_of(rule_id: str) -> str:
    match = _ID.fullmatch(rule_id)
    if not match:
        raise ScaffoldError(f"{rule_id!r}: a rule id is a category prefix and three digits, like PERF004")
    prefix = match.group(1)
    if prefix not in _CATEGORY:
        raise ScaffoldError(f"{rule_id}: {prefix} is no category's prefix; use one of "
                            + ", ".join(f"{p} ({c})" for p, c in sorted(_CATEGORY.items())))
    if match.group(2) == "000":
        raise ScaffoldError(f"{rule_id}: rule numbers start at 001")
    return _CATEGORY[prefix]


def _catalog_rules(root: Path) -> dict[str, str]:
    """Rule id -> name of every rule in ``root/rules`` (read as plain data: the folder may hold
    a rule a person is still writing)."""
    rules: dict[str, str] = {}
    for path in sorted((root / "rules").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            rules[str(data.get("id", path.stem))] = str(data.get("name", ""))
    return rules


def _next_free(rule_id: str, rules: dict[str, str]) -> str:
    prefix = rule_id[:-3]
    number = 1
    while f"{prefix}{number:03d}" in rules:
        number += 1
    return f"{prefix}{number:03d}"


def _practice(root: Path, category: str, wanted: str | None) -> str:
    """The practice the rule evidences: ``wanted``, or the category's only checkable one."""
    practices: dict[str, dict] = {}
    for path in sorted((root / "practices").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("category") == category:
            practices[str(data.get("id"))] = data
    checkable = sorted(pid for pid, data in practices.items() if data.get("checkable", True))
    if wanted is None:
        if len(checkable) == 1:
            return checkable[0]
        raise ScaffoldError(f"a {category} rule needs --practice, one of: {', '.join(checkable)}")
    if wanted not in practices:
        raise ScaffoldError(f"practice {wanted!r} is not a {category} practice; use one of: {', '.join(checkable)}")
    return wanted


def _yaml(rule_id: str, name: str, practice: str, category: str, severity: str, scope: str) -> str:
    todo = PLACEHOLDER
    return f"""id: {rule_id}
name: {name}
practice: {practice}
category: {category}
severity: {severity}
scope: {scope}
# Replace every {todo} (the catalog tests fail while one is left). The texts are what
# `practicelint explain {rule_id}`, docs/rules.md and the reports show.
summary: "{todo}: one sentence, what a repository that follows the practice has."
rationale: >-
  {todo}: why the practice matters, in two or three sentences a sceptical engineer accepts.
evidence: >-
  {todo}: what the check reads (formats, files, keys) and what counts; say what does not
  count (comments, prose, placeholders).
remediation: >-
  {todo}: what to add or change to pass, concretely enough to act on.
example: |
  {todo}: the smallest file that passes.
# Options a user may set, each typed in the check's Options class (defaults are written here only):
# options:
#   max_something:
#     type: int
#     default: 10
#     minimum: 1
#     description: What it bounds.
"""


def _check(rule_id: str, name: str) -> str:
    todo = PLACEHOLDER
    return f'''"""{rule_id} {name}: {todo}: the verdicts, most useful first (what passes, each way it fails).

{todo}: which detector's facts this judges (``linter.detectors``: add one for a new format),
and why the near misses fail.
"""

from __future__ import annotations

from linter.checks.base import CheckContext
from linter.checks.rule import RuleCheck
from linter.results import Finding


def check(ctx: CheckContext) -> Finding:
    """{todo}: ask a detector for its facts (``ctx.facts(detector.detect)``), keep those of this
    scope (``ctx.owned(...)``) and return ``passed(...)`` or ``failed(...)`` with file:line
    ``Evidence``; the message names what was found, or what was looked for."""
    raise NotImplementedError("{rule_id} {name}: the check is not written yet")


RULE = RuleCheck(
    id="{rule_id}",
    # options=Options,             # a frozen dataclass typing the options of rules/{rule_id}.yaml
    # placement=Placement.SECOND,  # when the check reads Markdown (see linter.checks.rule)
)
'''


def _test(rule_id: str, name: str, module: str) -> str:
    todo = PLACEHOLDER
    return f'''"""{rule_id} {name}: {todo}: what these tests pin down."""

from __future__ import annotations

from functools import partial

from linter.checks.{module} import check
from linter.results import Status
from tests.helpers import make_context

make_context = partial(make_context, rule="{rule_id}")  # contexts for {rule_id}, with its typed options

# Facts can also be given directly, without a tree (table tests):
# make_context(facts={{some_detector.detect: ...}}), builders in tests/checks/facts.py.


def test_passes_when_the_practice_is_followed(make_repo) -> None:
    root = make_repo({{"{todo}.md": "{todo}: the smallest repository that follows the practice\\n"}})
    finding = check(make_context(root))
    assert finding.status is Status.PASS
    assert "{todo}" in finding.message  # what was found, and where (file:line)


def test_a_near_miss_fails(make_repo) -> None:
    root = make_repo({{"{todo}.md": "{todo}: almost, but not quite (a comment, the wrong event, a placeholder)\\n"}})
    assert check(make_context(root)).status is Status.FAIL
'''


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dev.py new-rule", description=__doc__.split("\n")[0])
    parser.add_argument("id", help="the rule id: its category's prefix and three digits (PERF004)")
    parser.add_argument("name", help="the rule name, kebab-case (tail-latency-budget)")
    parser.add_argument("--practice", help="the practice it evidences (needed when the category has several)")
    parser.add_argument("--scope", default="service", choices=("service", "repo"))
    parser.add_argument("--severity", default="warning", choices=("error", "warning", "info"))
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[2], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        written = scaffold(args.root, args.id, args.name, practice=args.practice, scope=args.scope,
                           severity=args.severity)
    except ScaffoldError as exc:
        print(f"new-rule: error: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path.relative_to(args.root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
