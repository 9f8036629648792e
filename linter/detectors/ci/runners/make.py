"""The commands behind a ``make`` target a CI step runs, so ``make all`` that runs ``go test``
counts as running tests.

A CI step that runs ``make ci`` hands the real work to the Makefile. This reads its rules
(``target: prerequisites`` and the tab-indented recipe lines under them) and expands plain
variable references (``GO ?= go`` ... ``$(GO) test``). ``follow`` hands on a target's
prerequisites (as ``make <prerequisite>`` lines written on the rule's line, so each is a hop
of its own and a prerequisite named ``test`` counts by its name) and its recipe lines, which
the resolution layer reads as commands in turn (a recursive ``$(MAKE) x`` included).

It is a reading, not GNU make: conditionals count as if every branch applied; pattern rules,
``define`` blocks, included files and functions (``$(call ...)``, ``$(shell ...)``) are left
alone. So it only ever *adds* evidence: a command the tables already recognise by its name
(``make test``) is not second-guessed, and a target the file does not define stays unknown.
Nothing is executed, and the work is bounded (``MAX_RECIPES`` lines, ``MAX_DEPTH`` levels).
"""

from __future__ import annotations

import posixpath
import re
from typing import Iterator, Mapping

from linter.detectors.ci.runners import MAX_GROWTH_CHARS, Context, Work, bounded_sub, folder_of
from linter.fast_dataclass import dataclass, field

#: The names GNU make looks for, in its order.
MAKEFILE_NAMES = ("GNUmakefile", "makefile", "Makefile")
MAKE_PROGRAMS = frozenset({"make", "gmake"})
MAX_RECIPES = 300
MAX_DEPTH = 8
MAX_EXPANSIONS = 10

_ASSIGNMENT = re.compile(r"^(?:(?:export|override)\s+)*([A-Za-z_.][\w.-]*)\s*(:::=|::=|:=|\?=|\+=|!=|=)\s*(.*)$")
#: Targets (group 1, split on whitespace by the caller, so trailing blanks do not matter) and the
#: rest. Greedy, not ``[^:=#]*?\s*``: a lazy run before ``\s*`` tried every split of a line padded
#: with blanks (quadratic).
_RULE = re.compile(r"^([^:=#\t][^:=#]*)::?(?!=)\s*(.*)$")
_COMMENT = re.compile(r"(?<!\\)#.*$")
_REFERENCE = re.compile(r"\$(?:\(([A-Za-z_.][\w.-]*)\)|\{([A-Za-z_.][\w.-]*)\})")
_DIRECTIVES = ("include ", "-include ", "sinclude ", "ifeq", "ifneq", "ifdef ", "ifndef ", "else", "endif",
               "vpath", "unexport ", "export", "override ", "undefine ", "$(")


@dataclass(frozen=True)
class MakeRule:
    """One target: where it is defined, what it depends on, and its recipe lines (line, text)."""

    line: int
    prerequisites: tuple[str, ...]
    recipes: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class MakeFile:
    path: str
    rules: Mapping[str, MakeRule] = field(default_factory=dict, compare=False, hash=False)
    variables: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)
    default_goal: str | None = None


@dataclass(frozen=True)
class Invocation:
    """What a ``make`` command line asks for: the Makefile (repository path) and the targets."""

    makefile_candidates: tuple[str, ...]
    targets: tuple[str, ...]


def parse_makefile(path: str, text: str) -> MakeFile:
    """The rules and plain variables of a Makefile's text (never raises)."""
    rules: dict[str, MakeRule] = {}
    variables: dict[str, str] = {}
    first_goal: str | None = None
    current: list[str] = []  # the targets the following recipe lines belong to
    in_define = False
    for line_no, line in _logical_lines(text):
        if in_define:
            in_define = line.strip() != "endef"
            continue
        if line.startswith("\t"):
            if current:
                recipe = line[1:].strip()
                if recipe:
                    for target in current:
                        rule = rules[target]
                        rules[target] = MakeRule(rule.line, rule.prerequisites, (*rule.recipes, (line_no, recipe)))
            continue
        stripped = _COMMENT.sub("", line).strip()  # outside recipes, "#" starts a comment
        if not stripped:
            continue
        if stripped.startswith("define ") or stripped == "define":
            in_define, current = True, []
            continue
        assignment = _ASSIGNMENT.match(stripped)
        if assignment:
            _assign(variables, *assignment.groups())
            current = []
            continue
        if stripped.startswith(_DIRECTIVES):
            continue
        rule = _RULE.match(stripped)
        if not rule:
            current = []
            continue
        names = [t for t in rule.group(1).split() if t]
        rest, _, inline = rule.group(2).partition(";")
        if "=" in rest or any("%" in t for t in names):  # a target-specific variable, a pattern rule
            current = []
            continue
        prerequisites = tuple(p for p in rest.replace("|", " ").split() if p)
        current = []
        for name in names:
            known = rules.get(name)
            if known is None:
                rules[name] = MakeRule(line_no, prerequisites, ())
            else:  # more prerequisites for a target named again
                rules[name] = MakeRule(known.line, (*known.prerequisites, *prerequisites), known.recipes)
            if first_goal is None and not name.startswith("."):
                first_goal = name
            current.append(name)
        if inline.strip():
            for name in names:
                rule_now = rules[name]
                rules[name] = MakeRule(rule_now.line, rule_now.prerequisites, (*rule_now.recipes, (line_no, inline.strip())))
    goal = variables.get(".DEFAULT_GOAL", "").strip() or first_goal
    return MakeFile(path, rules, variables, goal)


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(first line number, line) with backslash-newline continuations joined."""
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not pending:
            start = number
        if raw.endswith("\\"):
            pending.append(raw[:-1])
            continue
        pending.append(raw)
        yield start, " ".join(part.strip() if i else part.rstrip() for i, part in enumerate(pending))
        pending = []
    if pending:
        yield start, " ".join(pending)


def _assign(variables: dict[str, str], name: str, operator: str, value: str) -> None:
    if operator == "?=":
        variables.setdefault(name, value)
    elif operator == "+=":
        variables[name] = f"{variables[name]} {value}".strip() if name in variables else value
    elif operator != "!=":  # a shell assignment is never run
        variables[name] = value


def expand(text: str, variables: Mapping[str, str]) -> str:
    """``text`` with plain ``$(NAME)``/``${NAME}`` references replaced (unknown ones stay), up
    to ``MAX_EXPANSIONS`` levels; the text grows by ``MAX_GROWTH_CHARS`` at most over all of them
    (``A2 = $(A1)$(A1)...`` of a thousand references, ``A3`` of ``A2``s, asks for gigabytes)."""
    start = len(text)
    for _ in range(MAX_EXPANSIONS):
        replaced = bounded_sub(_REFERENCE, lambda m: variables.get(m.group(1) or m.group(2), m.group(0)), text,
                               MAX_GROWTH_CHARS - (len(text) - start))
        if replaced == text:
            break
        text = replaced
    return text.replace("$$", "$")


def invocation(argv: tuple[str, ...]) -> Invocation | None:
    """The Makefile and targets of ``make [-C dir] [-f file] [VAR=value] [targets]``, or ``None``
    when it leaves the repository or cannot be read that way."""
    directory, makefile = "", ""
    targets: list[str] = []
    words = list(argv[1:])
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if word in ("-C", "--directory", "-f", "--file", "--makefile") and index < len(words):
            value = words[index]
            index += 1
            if word in ("-C", "--directory"):
                directory = posixpath.join(directory, value)
            else:
                makefile = value
        elif word.startswith(("--directory=", "--file=", "--makefile=")):
            option, _, value = word.partition("=")
            if option == "--directory":
                directory = posixpath.join(directory, value)
            else:
                makefile = value
        elif word.startswith("-C") and len(word) > 2:
            directory = posixpath.join(directory, word[2:])
        elif word.startswith("-f") and len(word) > 2:
            makefile = word[2:]
        elif word in ("-j", "--jobs", "-l", "--load-average") and index < len(words) and words[index].isdigit():
            index += 1
        elif word.startswith("-") or "=" in word:
            continue
        else:
            targets.append(word)
    base = posixpath.normpath(directory) if directory else "."
    names = (makefile,) if makefile else MAKEFILE_NAMES
    candidates = tuple(posixpath.normpath(posixpath.join(base, name)) for name in names)
    if any(c.startswith(("../", "/")) or c == ".." or "$" in c for c in candidates):
        return None
    return Invocation(candidates, tuple(targets))


def recipe_lines(makefile: MakeFile, targets: tuple[str, ...]) -> list[tuple[int, str]]:
    """The (line, command) lines ``make targets`` runs from this file, prerequisites first,
    following ``$(MAKE) target`` within the file; variables expanded, ``@``/``-``/``+`` dropped."""
    found: list[tuple[int, str]] = []
    seen: set[str] = set()
    variables = {"MAKE": "make", **makefile.variables}  # make's own variable, for recursive calls

    def visit(target: str, depth: int) -> None:
        if target in seen or depth > MAX_DEPTH or len(found) >= MAX_RECIPES:
            return
        seen.add(target)
        rule = makefile.rules.get(target)
        if rule is None:
            return
        for prerequisite in rule.prerequisites:
            visit(expand(prerequisite, variables), depth + 1)
        for line, recipe in rule.recipes:
            command = expand(recipe, variables).lstrip("@-+ \t")
            if not command or len(found) >= MAX_RECIPES:
                continue
            found.append((line, command))
            for called in _sub_make_targets(command):
                visit(called, depth + 1)

    goals = targets or ((makefile.default_goal,) if makefile.default_goal else ())
    for goal in goals:
        visit(goal, 0)
    return found


def _sub_make_targets(command: str) -> list[str]:
    """Targets of a recursive ``$(MAKE) x`` / ``make x`` in a recipe that stays in this file."""
    words = command.split()
    targets: list[str] = []
    for index, word in enumerate(words):
        if word not in MAKE_PROGRAMS:
            continue
        call = invocation(tuple(words[index:index + 20]))
        if call is None or call.makefile_candidates != tuple(
                posixpath.normpath(name) for name in MAKEFILE_NAMES):
            continue  # another directory or file: not followed
        for target in call.targets:
            if target in ("&&", "||", ";", "|"):
                break
            targets.append(target)
    return targets


def follow(ctx: Context, words: tuple[str, ...], cwd: str) -> list[Work] | None:
    """Prerequisites and recipe lines of the targets a ``make`` command asks for."""
    from linter.detectors.ci.wrappers import program_name

    if program_name(words[0]) not in MAKE_PROGRAMS:
        return None
    call = invocation((program_name(words[0]), *words[1:]))
    if call is None:
        return []
    path = next((p for c in call.makefile_candidates if (p := ctx.repo_path(cwd, c)) is not None), None)
    if path is None:
        return []
    parsed = ctx.parse("make", path, parse_makefile)
    if parsed is None:
        return []
    folder = folder_of(path)
    name = path.rsplit("/", 1)[-1]
    prefix = "make" if name in MAKEFILE_NAMES else f"make -f {name}"
    variables = {"MAKE": "make", **parsed.variables}
    work: list[Work] = []
    for target in call.targets or ((parsed.default_goal,) if parsed.default_goal else ()):
        rule = parsed.rules.get(target)
        if rule is None:
            continue
        for prerequisite in rule.prerequisites[:MAX_RECIPES]:
            target_name = expand(prerequisite, variables)
            if target_name in parsed.rules:  # a file prerequisite is not a command
                work.append(Work(path, rule.line, f"{prefix} {target_name}", folder))
        for line, recipe in rule.recipes[:MAX_RECIPES]:
            command = _UNRESOLVED.sub(r"${\1}", expand(recipe, variables)).lstrip("@-+ \t")
            if command:
                work.append(Work(path, line, command, folder))
    return work


#: A make variable this file does not define (set in the environment or an included file):
#: written ``${NAME}`` for the shell, one word the job's environment may still resolve.
_UNRESOLVED = re.compile(r"\$\(([A-Za-z_][\w]{0,100})\)")
