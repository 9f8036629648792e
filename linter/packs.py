"""Custom rules without Python: rule packs of declarative checks.

A pack is a YAML file listed under ``rule-packs:``. It declares an id ``prefix`` (checked
for clashes with built-in categories and other packs), optional extra ``practices``, and
``rules`` in the same schema as ``rules/*.yaml`` plus a ``check`` built from:

``file_exists`` / ``file_absent`` (globs, ``mode: any|all``), ``file_contains`` /
``file_lacks`` (globs and a regular expression, run with a timeout on bounded input),
``yaml_query`` (files, a dotted path with ``*`` and ``[*]``, a comparison),
``markdown_sections`` (required headings, minimum words), ``ci_step`` (a ``uses`` or command
pattern matched against every CI system practicelint reads, optionally per change only),
``count`` (matching files, with bounds), and ``all_of`` / ``any_of`` / ``not``.

Globs of a service-scoped rule are relative to the service folder. A check never executes
repository content; regular expressions are compiled with the ``regex`` module, refused
when too costly to compile and searched within one budget per run (``linter.pack_regex``).

A pack is a channel out of the repository, so what it reports is bounded: evidence is a
location (path and line) and the pack's own words, never text a pattern captured (a
look-behind could spell out a credential file piece by piece), and a pack that comes from
the scanned repository reads only files git tracks there: not an untracked file someone
left in the clone, whose content its verdicts could otherwise leak bit by bit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass as stdlib_dataclass
from dataclasses import field as stdlib_field
from typing import Any, Callable, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from linter import pack_regex
from linter.catalog.loader import Catalog, CatalogError, format_validation_error
from linter.catalog.model import CATEGORY_PREFIX, ExtensionRule, Practice, RuleSpec
from linter.fast_dataclass import dataclass, field
from linter.repo.workspace import Workspace
from linter.repo.yamlio import YamlFile, line_of, load_yaml
from linter.results import Evidence, Finding, Status, counted, failed, passed

MAX_PATTERN_CHARS = 1_000
MAX_REGEX_INPUT = 256 * 1024
MAX_NESTING = 20
MAX_EVIDENCE = 20
#: Rules all packs of a run may add: results are rules times scopes, so a pack of thousands
#: of rules over a monorepo's services would make a run as long and a report as large as it
#: likes; real packs hold a handful.
MAX_PACK_RULES = 300


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _globs(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


class FileExists(_Strict):
    globs: str | list[str]
    mode: Literal["any", "all"] = "any"


def _safe_pattern(value: str) -> str:
    """A pattern that is cheap enough to compile (``pack_regex.problem``) and compiles."""
    reason = pack_regex.problem(value)
    if reason:
        raise ValueError(f"regular expression too costly to compile: {reason}")
    import regex

    try:
        regex.compile(value)
    except (regex.error, RecursionError) as exc:
        raise ValueError(f"invalid regular expression: {exc}") from None
    return value


class FileContains(_Strict):
    globs: str | list[str]
    pattern: str = Field(max_length=MAX_PATTERN_CHARS)
    ignore_case: bool = False

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        return _safe_pattern(value)


class YamlQuery(_Strict):
    files: str | list[str]
    path: str = Field(min_length=1, max_length=300)
    op: Literal["exists", "absent", "eq", "ne", "gt", "gte", "lt", "lte", "matches", "contains"] = "exists"
    value: Any = None
    mode: Literal["any", "all"] = "any"

    @model_validator(mode="after")
    def _pattern_compiles(self) -> "YamlQuery":
        if self.op == "matches":
            if not isinstance(self.value, str) or len(self.value) > MAX_PATTERN_CHARS:
                raise ValueError(f"op matches needs a regular expression of at most {MAX_PATTERN_CHARS} characters"
                                 " as value")
            _safe_pattern(self.value)
        return self


class MarkdownSections(_Strict):
    files: str | list[str]
    headings: list[str] = Field(min_length=1)
    min_words: int = Field(default=0, ge=0)


class CiStep(_Strict):
    uses: str | None = Field(default=None, max_length=MAX_PATTERN_CHARS)
    command: str | None = Field(default=None, max_length=MAX_PATTERN_CHARS)
    per_change: bool = True

    @model_validator(mode="after")
    def _one_pattern(self) -> "CiStep":
        if not self.uses and not self.command:
            raise ValueError("ci_step needs `uses` or `command`")
        for pattern in (self.uses, self.command):
            if pattern:
                _safe_pattern(pattern)
        return self


class Count(_Strict):
    globs: str | list[str]
    min: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=0)


class CheckSpec(_Strict):
    """Exactly one kind of check (or a combinator) per mapping."""

    file_exists: FileExists | None = None
    file_absent: FileExists | None = None
    file_contains: FileContains | None = None
    file_lacks: FileContains | None = None
    yaml_query: YamlQuery | None = None
    markdown_sections: MarkdownSections | None = None
    ci_step: CiStep | None = None
    count: Count | None = None
    all_of: list["CheckSpec"] | None = None
    any_of: list["CheckSpec"] | None = None
    not_: "CheckSpec | None" = Field(default=None, alias="not")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _exactly_one(self) -> "CheckSpec":
        kinds = [name for name in type(self).model_fields if getattr(self, name) is not None]
        if len(kinds) != 1:
            names = ", ".join(k.rstrip("_") for k in type(self).model_fields)
            raise ValueError(f"a check has exactly one of: {names}; got {', '.join(kinds) or 'none'}")
        return self

    @property
    def kind(self) -> str:
        return next(name for name in type(self).model_fields if getattr(self, name) is not None)


@stdlib_dataclass(frozen=True)
class PackRule(ExtensionRule):
    """A rule from a pack: the built-in schema plus its declarative ``check``."""

    check: CheckSpec = stdlib_field(kw_only=True, compare=False)


class Pack(_Strict):
    prefix: str = Field(pattern=r"^[A-Z]{2,5}$")
    practices: list[Practice] = Field(default_factory=list)
    rules: list[PackRule] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids_use_prefix(self) -> "Pack":
        for rule in self.rules:
            if not re.fullmatch(self.prefix + r"[0-9]{3}", rule.id):
                raise ValueError(f"rule {rule.id}: ids in this pack are {self.prefix} followed by three digits")
        return self


# ------------------------------------------------------------------------------------- loading
@dataclass
class LoadedPacks:
    rules: dict[str, RuleSpec] = field(default_factory=dict)
    practices: dict[str, Practice] = field(default_factory=dict)
    checks: dict[str, Callable[..., Finding]] = field(default_factory=dict)
    #: whether the packs come from the scanned repository (then they read tracked files only)
    from_repository: bool = True
    #: the time all their searches share in this run
    budget: pack_regex.Budget = field(default_factory=pack_regex.Budget)


def load_pack_text(text: str, source: str, catalog: Catalog, taken_prefixes: set[str],
                   into: LoadedPacks) -> None:
    """Validate one pack and add its rules, practices and checks to ``into`` (``CatalogError``)."""
    parsed = load_yaml(text)
    if parsed.errors:
        raise CatalogError(f"{source}: {parsed.errors[0]}")
    if len(parsed.documents) != 1 or not isinstance(parsed.documents[0].data, dict):
        raise CatalogError(f"{source}: a rule pack is one YAML mapping with prefix and rules")
    data = parsed.documents[0].data
    try:
        pack = Pack.model_validate(data)
    except ValidationError as exc:
        raise CatalogError(_naming_rules(format_validation_error(source, data, exc), data)) from None
    builtin = set(CATEGORY_PREFIX.values())
    if pack.prefix in builtin or pack.prefix in taken_prefixes:
        raise CatalogError(f"{source}:{line_of(data, 'prefix', 0)}: prefix: {pack.prefix} is already used "
                           + ("by built-in rules" if pack.prefix in builtin else "by another rule pack"))
    taken_prefixes.add(pack.prefix)
    for practice in pack.practices:
        if practice.id in catalog.practices or practice.id in into.practices:
            raise CatalogError(f"{source}: practices: {practice.id} is already defined")
        into.practices[practice.id] = practice
    names = {r.name for r in catalog.rules.values()} | {r.name for r in into.rules.values()}
    for index, rule in enumerate(pack.rules):
        where = f"{source}:{line_of(data.get('rules'), index, 0)}"
        if rule.practice not in catalog.practices and rule.practice not in into.practices:
            raise CatalogError(f"{where}: rules.{index}.practice: unknown practice {rule.practice!r}")
        if rule.id in into.rules:
            raise CatalogError(f"{where}: rules.{index}.id: duplicate rule id {rule.id}")
        if rule.name in names:
            raise CatalogError(f"{where}: rules.{index}.name: rule name {rule.name!r} is already used")
        names.add(rule.name)
        into.rules[rule.id] = rule
        into.checks[rule.id] = _make_check(rule.check, into)


def _naming_rules(message: str, data: Any) -> str:
    """``pack.yaml:14: rules.3.check...`` -> ``pack.yaml:14: ACME004: rules.3.check...``."""
    rules = data.get("rules") if isinstance(data, dict) else None

    def named(match: re.Match[str]) -> str:
        index = int(match.group(1))
        entry = rules[index] if isinstance(rules, list) and index < len(rules) else None
        rule_id = entry.get("id") if isinstance(entry, dict) else None
        return f": {rule_id}: rules.{index}." if isinstance(rule_id, str) and rule_id else match.group(0)

    return re.sub(r": rules\.(\d+)\.", named, message)


def load_packs(paths: list[str], reader: Callable[[str], str | None], catalog: Catalog,
               from_repository: bool = True) -> LoadedPacks:
    """The packs at ``paths``; ``from_repository``: they come from the scanned repository's
    own configuration (not ``--config``/``--policy``), so they read tracked files only."""
    loaded = LoadedPacks(from_repository=from_repository)
    prefixes: set[str] = set()
    for path in paths:
        text = reader(path)
        if text is None:
            raise CatalogError(f"rule-packs: {path}: not a readable file")
        load_pack_text(text, path, catalog, prefixes, loaded)
        if len(loaded.rules) > MAX_PACK_RULES:
            raise CatalogError(f"rule-packs: {path}: the packs add more than {MAX_PACK_RULES} rules")
    return loaded


def extend_catalog(catalog: Catalog, packs: LoadedPacks) -> Catalog:
    if not packs.rules:
        return catalog
    from linter.results import CATEGORIES

    rules = {**catalog.rules, **packs.rules}
    ordered = sorted(rules.items(), key=lambda kv: (CATEGORIES.index(kv[1].category), kv[0]))
    return Catalog(practices={**catalog.practices, **packs.practices}, rules=dict(ordered))


# ------------------------------------------------------------------------------------- evaluation
@dataclass
class Outcome:
    ok: bool
    reason: str
    evidence: list[Evidence] = field(default_factory=list)


class PackFiles:
    """The workspace as a pack's checks see it: indexed files only, and for a pack from the
    scanned repository, files git tracks only (``Workspace.untracked_files`` hidden); reads of
    anything else give ``None``. Carries the run's search ``budget``."""

    def __init__(self, ws: Workspace, packs: LoadedPacks) -> None:
        self._ws = ws
        self.budget = packs.budget
        self._hidden = ws.untracked_files if packs.from_repository else frozenset()

    def readable(self, path: str) -> bool:
        return path in self._ws.file_set and path not in self._hidden

    def glob(self, *patterns: str) -> list[str]:
        found = self._ws.glob(*patterns)
        return [p for p in found if p not in self._hidden] if self._hidden else found

    def read_text(self, path: str) -> str | None:
        return self._ws.read_text(path) if self.readable(path) else None

    def read_yaml(self, path: str) -> YamlFile | None:
        return self._ws.read_yaml(path) if self.readable(path) else None

    def facts(self, detector: Callable[[Workspace], Any]) -> Any:
        return self._ws.facts(detector)

    def note(self, path: str, reason: str) -> None:
        self._ws.note(path, reason)


def _make_check(spec: CheckSpec, packs: LoadedPacks) -> Callable[..., Finding]:
    def check(ctx: Any) -> Finding:
        files = PackFiles(ctx.workspace, packs)
        try:
            outcome = evaluate(spec, files, ctx.scope.path if ctx.scope.source != "repository" else ".", ctx)
        except pack_regex.BudgetSpent:
            files.note(".", packs.budget.note)
            return Finding(Status.ERROR, f"not evaluated: the {packs.budget.seconds:g} s this run gives rule-pack "
                                         "regular expressions were used up before this rule's searches")
        evidence = outcome.evidence[:MAX_EVIDENCE]
        return passed(outcome.reason, evidence) if outcome.ok else failed(outcome.reason, evidence)

    return check


def _scoped(globs: str | list[str], base: str) -> list[str]:
    return [g if base == "." else f"{base}/{g.lstrip('/')}" for g in _globs(globs)]


def _files(ws: PackFiles, globs: str | list[str], base: str) -> list[str]:
    return ws.glob(*_scoped(globs, base))


def evaluate(spec: CheckSpec, ws: PackFiles, base: str, ctx: Any, depth: int = 0) -> Outcome:
    if depth > MAX_NESTING:
        return Outcome(False, "check nested too deeply")
    kind = spec.kind
    value = getattr(spec, kind)
    handler = _HANDLERS[kind]
    return handler(value, ws, base, ctx, depth)


def _file_exists(spec: FileExists, ws: PackFiles, base: str, ctx: Any, depth: int) -> Outcome:
    patterns = _scoped(spec.globs, base)
    if spec.mode == "all":
        missing = [p for p in patterns if not ws.glob(p)]
        found = [f for p in patterns for f in ws.glob(p)]
        if missing:
            return Outcome(False, "missing: " + ", ".join(missing), [Evidence(f) for f in found])
        return Outcome(True, "found every one of: " + ", ".join(patterns), [Evidence(f) for f in found])
    found = ws.glob(*patterns)
    if found:
        return Outcome(True, f"found {found[0]}" + (f" and {len(found) - 1} more" if len(found) > 1 else ""),
                       [Evidence(f) for f in found])
    return Outcome(False, "no file matches " + ", ".join(patterns))


def _file_absent(spec: FileExists, ws: PackFiles, base: str, ctx: Any, depth: int) -> Outcome:
    found = ws.glob(*_scoped(spec.globs, base))
    if found:
        return Outcome(False, f"{counted(len(found), 'file')} should not exist: " + ", ".join(found[:5]),
                       [Evidence(f) for f in found])
    return Outcome(True, "no file matches " + ", ".join(_scoped(spec.globs, base)))


def _search(spec: FileContains, ws: PackFiles, base: str) -> tuple[list[Evidence], list[str]]:
    import regex

    flags = regex.MULTILINE | (regex.IGNORECASE if spec.ignore_case else 0)  # ^ and $ per line
    compiled = regex.compile(spec.pattern, flags)
    hits: list[Evidence] = []
    scanned: list[str] = []
    for path in _files(ws, spec.globs, base):
        text = ws.read_text(path)
        if text is None:
            continue
        scanned.append(path)
        try:
            match = ws.budget.search(compiled, text[:MAX_REGEX_INPUT])
        except TimeoutError:
            ws.note(path, f"pattern {spec.pattern!r} timed out; file treated as not matching")
            continue
        if match:  # where, never what: the matched text could be any file's secret, piece by piece
            hits.append(Evidence(path, text.count("\n", 0, match.start()) + 1))
    return hits, scanned


def _file_contains(spec: FileContains, ws: PackFiles, base: str, ctx: Any, depth: int) -> Outcome:
    hits, scanned = _search(spec, ws, base)
    if hits:
        return Outcome(True, f"/{spec.pattern}/ found in {hits[0].location()}", hits)
    where = ", ".join(_scoped(spec.globs, base))
    return Outcome(False, f"/{spec.pattern}/ not found in {counted(len(scanned), 'file')} matching {where}")


def _file_lacks(spec: FileContains, ws: PackFiles, base: str, ctx: Any, depth: int) -> Outcome:
    hits, scanned = _search(spec, ws, base)
    if hits:
        return Outcome(False, f"/{spec.pattern}/ found in {hits[0].location()}", hits)
    return Outcome(True, f"/{spec.pattern}/ absent from {counted(len(scanned), 'file')}")


_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\*|\d+)\]|\.")


def _query(data: Any, path: str) -> list[tuple[Any, int]]:
    """Values at a dotted path (``spec.template.spec.containers[*].image``, ``jobs.*.steps``)."""
    parts = [m.group(1) or m.group(2) for m in _PATH_PART.finditer(path) if m.group(1) or m.group(2)]
    current: list[tuple[Any, int]] = [(data, getattr(data, "line", 0))]
    for part in parts:
        nxt: list[tuple[Any, int]] = []
        for value, line in current:
            if isinstance(value, dict):
                keys = list(value) if part == "*" else ([part] if part in value else [])
                if part == "on" and True in value:  # GitHub Actions `on:` read as a boolean key
                    keys.append(True)
                nxt.extend((value[k], line_of(value, k, line)) for k in keys)
            elif isinstance(value, list):
                if part == "*":
                    nxt.extend((v, line_of(value, i, line)) for i, v in enumerate(value))
                elif part.isdigit() and int(part) < len(value):
                    nxt.append((value[int(part)], line_of(value, int(part), line)))
        current = nxt[:10_000]
    return current


def _compare(op: str, actual: Any, expected: Any, budget: pack_regex.Budget) -> bool:
    try:
        if op == "eq":
            return actual == expected
        if op == "ne":
            return actual != expected
        if op in ("gt", "gte", "lt", "lte"):
            if isinstance(actual, bool) or not isinstance(actual, (int, float)):
                return False
            return {"gt": actual > expected, "gte": actual >= expected,
                    "lt": actual < expected, "lte": actual <= expected}[op]
        if op == "contains":
            return isinstance(actual, (list, str, dict)) and expected in actual
        if op == "matches":
            import regex

            return isinstance(actual, str) and budget.search(regex.compile(str(expected)),
                                                             actual[:MAX_REGEX_INPUT]) is not None
    except (TypeError, TimeoutError):
        return False
    return False


def _yaml_query(spec: YamlQuery, ws: PackFiles, base: str, ctx: Any, depth: int) -> Outcome:
    files = _files(ws, spec.files, base)
    results: list[tuple[str, bool, int]] = []
    for path in files:
        parsed = ws.read_yaml(path)
        if parsed is None:
            continue
        for doc in parsed.documents:
            values = _query(doc.data, spec.path)
            if spec.op == "exists":
                results.append((path, bool(values), values[0][1] if values else doc.line))
            elif spec.op == "absent":
                results.append((path, not values, values[0][1] if values else doc.line))
            else:
                good = [line for value, line in values if _compare(spec.op, value, spec.value, ws.budget)]
                results.append((path, bool(good), good[0] if good else (values[0][1] if values else doc.line)))
    if not results:
        return Outcome(False, "no YAML document matches " + ", ".join(_scoped(spec.files, base)))
    ok = [r for r in results if r[1]]
    bad = [r for r in results if not r[1]]
    describe = f"{spec.path} {spec.op}" + ("" if spec.value is None else f" {spec.value!r}")
    if (spec.mode == "any" and ok) or (spec.mode == "all" and not bad):
        return Outcome(True, f"{describe}: holds in {ok[0][0]}:{ok[0][2]}", [Evidence(p, line) for p, _, line in ok])
    return Outcome(False, f"{describe}: does not hold in {bad[0][0]}:{bad[0][2]}"
                   + (f" and {len(bad) - 1} more" if len(bad) > 1 else ""), [Evidence(p, line) for p, _, line in bad])


def _markdown_sections(spec: MarkdownSections, ws: PackFiles, base: str, ctx: Any, depth: int) -> Outcome:
    from linter.detectors.markdown import parsed

    wanted = {h.strip().lower(): h for h in spec.headings}
    best: tuple[int, str, list[str], list[Evidence]] | None = None
    for path in _files(ws, spec.files, base):
        text = ws.read_text(path)
        if text is None:
            continue
        doc = parsed(ws, path, text)
        found: dict[str, Evidence] = {}
        for index, block in enumerate(doc.blocks):
            if block.kind != "heading":
                continue
            key = block.text.strip().lower().rstrip(":")
            if key in wanted and key not in found:
                words = sum(len(b.text.split()) for b in doc.section(index) if b.kind != "heading")
                if words >= spec.min_words:
                    found[key] = Evidence(path, block.line, wanted[key])  # the pack's words, not the file's
        missing = [wanted[k] for k in wanted if k not in found]
        candidate = (len(found), path, missing, list(found.values()))
        if best is None or candidate[0] > best[0]:
            best = candidate
    if best is None:
        return Outcome(False, "no Markdown file matches " + ", ".join(_scoped(spec.files, base)))
    _, path, missing, evidence = best
    if missing:
        need = f" with at least {spec.min_words} words" if spec.min_words else ""
        return Outcome(False, f"{path} lacks section(s){need}: " + ", ".join(missing), evidence or [Evidence(path)])
    return Outcome(True, f"{path} has every required section", evidence)


def _ci_step(spec: CiStep, ws: PackFiles, base: str, ctx: Any, depth: int) -> Outcome:
    import regex

    from linter.detectors import ci

    facts = ws.facts(ci.detect)
    uses = regex.compile(spec.uses) if spec.uses else None
    command = regex.compile(spec.command) if spec.command else None
    hits: list[Evidence] = []
    late: list[Evidence] = []
    for _, job in facts.jobs():
        # the steps as written, then the commands they resolve to (scripts, package scripts,
        # make targets, matrix values... linter.detectors.ci.resolve), which a step's text hides
        written = [(step.path, step.line, step.kind, step.text) for step in job.steps]
        resolved = [(c.hops[0].path, c.hops[0].line, "run", " ".join(c.raw)) for c in job.commands
                    if c.raw and (len(c.hops) > 1 or c.known_step)]
        for path, line, kind, text in written + resolved:
            pattern = uses if kind in ("uses", "include", "orb", "task", "pipe") else command
            if pattern is None or not ws.readable(path):
                continue
            try:
                found = ws.budget.search(pattern, text[:MAX_REGEX_INPUT])
            except TimeoutError:
                continue
            if found:
                target = hits if (job.per_change or not spec.per_change) else late
                target.append(Evidence(path, line))  # a location, never matched text
    if hits:
        return Outcome(True, f"CI step found at {hits[0].location()}", hits)
    if late:
        return Outcome(False, f"the matching CI step at {late[0].location()} does not run on every change", late)
    return Outcome(False, "no CI step matches" + (f" uses /{spec.uses}/" if spec.uses else "")
                   + (f" command /{spec.command}/" if spec.command else ""))


def _count(spec: Count, ws: PackFiles, base: str, ctx: Any, depth: int) -> Outcome:
    found = _files(ws, spec.globs, base)
    n = len(found)
    matching = f"{counted(n, 'file')} {'matches' if n == 1 else 'match'}"
    if spec.min is not None and n < spec.min:
        return Outcome(False, f"{matching}, at least {spec.min} required", [Evidence(f) for f in found])
    if spec.max is not None and n > spec.max:
        return Outcome(False, f"{matching}, at most {spec.max} allowed", [Evidence(f) for f in found])
    return Outcome(True, matching, [Evidence(f) for f in found])


def _all_of(specs: list[CheckSpec], ws: PackFiles, base: str, ctx: Any, depth: int) -> Outcome:
    outcomes = [evaluate(s, ws, base, ctx, depth + 1) for s in specs]
    failed_parts = [o for o in outcomes if not o.ok]
    evidence = [e for o in outcomes for e in o.evidence]
    if failed_parts:
        return Outcome(False, "; ".join(o.reason for o in failed_parts), evidence)
    return Outcome(True, "; ".join(o.reason for o in outcomes), evidence)


def _any_of(specs: list[CheckSpec], ws: PackFiles, base: str, ctx: Any, depth: int) -> Outcome:
    outcomes = [evaluate(s, ws, base, ctx, depth + 1) for s in specs]
    good = [o for o in outcomes if o.ok]
    if good:
        return Outcome(True, good[0].reason, good[0].evidence)
    return Outcome(False, "none of the alternatives holds: " + "; ".join(o.reason for o in outcomes),
                   [e for o in outcomes for e in o.evidence])


def _not(spec: CheckSpec, ws: PackFiles, base: str, ctx: Any, depth: int) -> Outcome:
    inner = evaluate(spec, ws, base, ctx, depth + 1)
    return Outcome(not inner.ok, ("not: " if inner.ok else "") + inner.reason, inner.evidence)


_HANDLERS: dict[str, Callable[..., Outcome]] = {
    "file_exists": _file_exists, "file_absent": _file_absent, "file_contains": _file_contains,
    "file_lacks": _file_lacks, "yaml_query": _yaml_query, "markdown_sections": _markdown_sections,
    "ci_step": _ci_step, "count": _count, "all_of": _all_of, "any_of": _any_of, "not_": _not,
}
