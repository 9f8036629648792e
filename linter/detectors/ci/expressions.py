"""Expressions and variables in CI text, resolved the way each CI system documents them.

Two kinds of substitution, because the CI systems do two different things:

* **Templates**, replaced in the text before any shell sees it: GitHub Actions
  ``${{ matrix.os }}``, ``${{ env.CARGO }}``, ``${{ inputs.version }}``; Azure Pipelines
  ``${{ parameters.x }}``, ``${{ variables.x }}`` and the ``$(x)`` macro; CircleCI
  ``<< parameters.x >>`` and ``<< pipeline.parameters.x >>``; Cloud Build ``$_X``/``${_X}``
  substitutions; Buildkite ``{{matrix}}`` and ``{{matrix.os}}``. A value may hold another
  expression (an ``env`` value naming a matrix value): that is replaced too, a few levels
  deep, with cycles cut. ``expand`` does this, once per matrix combination, and keeps for
  every resulting line the hops of the values written into it.
* **Shell variables**, expanded by the shell word by word after the line is split into
  commands: ``$CARGO``/``${CARGO}`` read the job's environment (GitHub ``env:``, GitLab
  ``variables:``, CircleCI ``environment:``, Jenkins ``environment {}``); the resolution layer
  does that (``linter.detectors.ci.resolve``), since a value's ``;`` is not an operator there.

An expression whose value is not written in the repository (``${{ secrets.X }}``,
``${{ github.ref }}``, ``$(Build.SourceBranch)``, a ``fromJSON(...)`` call) stays as written
(without its padding, so that it stays one shell word: ``_opaque``), so the command it sits
in is recognised by nothing that depends on its value: unknown, never guessed.
"""

from __future__ import annotations

import re
from typing import Mapping

from linter.detectors.ci.model import Bindings, Hop, Value
from linter.fast_dataclass import dataclass
from linter.secrets import is_secret_name

MAX_DEPTH = 4
#: Distinct texts a step expands to across matrix combinations; more are not read.
MAX_VARIANTS = 32
MAX_VALUE_CHARS = 20_000
#: Characters the values written into one text may add to it, all levels together: values
#: holding values (``A: ${{ env.B }}${{ env.B }}...``) would otherwise multiply at each level
#: (four levels of 1,500 references ask for terabytes). Past it a template stays as written.
MAX_GROWTH_CHARS = 100_000

#: The expression between ``${{`` and ``}}``, blanks included (``key_of`` strips them): one
#: possessive run, so a ``${{`` followed by a long run of blanks is read once (``\s*`` on
#: both sides of a lazy group tried every split of the run).
_DOLLAR_BRACES = r"\$\{\{([^{}]{1,1000}+)\}\}"
_TEMPLATES: dict[str, re.Pattern[str]] = {
    "github-actions": re.compile(_DOLLAR_BRACES),
    "azure-pipelines": re.compile(_DOLLAR_BRACES + r"|\$\(([A-Za-z_][\w.-]{0,100})\)"),
    "circleci": re.compile(r"<<\s*([\w.-]{1,200})\s*>>"),
    "cloud-build": re.compile(r"\$\{(_[A-Z0-9_]{1,100})\}|\$(_[A-Z0-9_]{1,100})"),
    "buildkite": re.compile(r"\{\{\s*(matrix(?:\.[A-Za-z_][\w-]{0,100})?)\s*\}\}"),
}
_DOTTED = re.compile(r"[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*|\[\s*'[^']{1,100}'\s*\])*")


@dataclass(frozen=True)
class Expanded:
    """A text once its templates are replaced, with, for each of its lines, the line of the
    original text it comes from and the hops of the values written into it."""

    text: str
    origins: tuple[int, ...]
    hops: tuple[tuple[Hop, ...], ...]

    def line_of(self, offset: int) -> tuple[int, tuple[Hop, ...]]:
        """Original line offset and value hops of line ``offset`` of the expanded text."""
        if 0 <= offset < len(self.origins):
            return self.origins[offset], self.hops[offset]
        return (self.origins[-1] if self.origins else 0), ()


def template(system: str) -> re.Pattern[str]:
    """The template syntax of ``system`` (a pattern that matches nothing for the others)."""
    return _TEMPLATES.get(system, _NOTHING)


_NOTHING = re.compile(r"(?!)")


def key_of(system: str, expression: str) -> str | None:
    """The binding name an expression reads, or ``None`` when it is not a plain reference."""
    expression = expression.strip()
    if system == "cloud-build":
        return f"sub.{expression}"
    if not _DOTTED.fullmatch(expression):
        return None
    expression = re.sub(r"\[\s*'([^']{1,100})'\s*\]", r".\1", expression)
    head, _, rest = expression.partition(".")
    if system == "github-actions":
        return expression if head in ("matrix", "env", "inputs") and rest else None
    if system == "azure-pipelines":
        if head == "parameters" and rest:
            return expression
        if head == "variables" and rest:
            return f"var.{rest.lower()}"
        return f"var.{expression.lower()}" if not rest or head not in ("parameters",) else None
    if system == "circleci":
        return expression if head in ("parameters", "pipeline") and rest else None
    if system == "buildkite":
        return expression if head == "matrix" else None
    return None


def expand(system: str, text: str, variants: tuple[Bindings, ...],
           bindings: Bindings) -> list[tuple[Expanded, Bindings]]:
    """``text`` with its templates replaced, once per matrix combination (``variants``; one
    pass when there is none), distinct results only, at most ``MAX_VARIANTS``; each with the
    bindings its shell variables read (a GitLab matrix sets variables, not templates)."""
    pattern = _TEMPLATES.get(system)
    lines = text.split("\n")
    if pattern is None or not pattern.search(text):
        plain = Expanded(text, tuple(range(len(lines))), ((),) * len(lines))
        if not variants or "$" not in text:
            return [(plain, bindings)]
        return [(plain, {**bindings, **variant}) for variant in variants[:MAX_VARIANTS]]
    found: dict[str, tuple[Expanded, Bindings]] = {}
    for variant in variants or ({},):
        merged = {**bindings, **variant} if variant else bindings
        expanded = _expand_lines(system, pattern, lines, merged)
        found.setdefault(expanded.text, (expanded, merged))
        if len(found) >= MAX_VARIANTS:
            break
    return list(found.values())


def _expand_lines(system: str, pattern: re.Pattern[str], lines: list[str], bindings: Mapping[str, Value]) -> Expanded:
    texts: list[str] = []
    origins: list[int] = []
    hops: list[tuple[Hop, ...]] = []
    room = [MAX_GROWTH_CHARS]  # one budget for the whole text: a value on each of its lines adds up
    for index, line in enumerate(lines):
        used: list[Hop] = []
        new = substitute(system, pattern, line, bindings, used, (), room) if pattern.search(line) else line
        for piece in new.split("\n"):
            texts.append(piece)
            origins.append(index)
            hops.append(tuple(used))
    return Expanded("\n".join(texts), tuple(origins), tuple(hops))


def substitute(system: str, pattern: re.Pattern[str], text: str, bindings: Mapping[str, Value],
               used: list[Hop], stack: tuple[str, ...], budget: list[int] | None = None) -> str:
    """``text`` with every known template replaced (values' own templates too, ``MAX_DEPTH``
    deep, a name never inside itself); ``used`` collects the hops of the values used.
    ``budget`` (one per outermost call) holds the characters values may still add, each
    value read charged before it is read: past it templates stay as written."""
    room = [MAX_GROWTH_CHARS] if budget is None else budget

    def replace(match: re.Match[str]) -> str:
        expression = next(g for g in match.groups() if g is not None) if match.groups() else match.group(0)
        key = key_of(system, expression)
        value = bindings.get(key) if key and not is_secret_name(key.rsplit(".", 1)[-1]) else None
        if value is None or key in stack or len(stack) >= MAX_DEPTH:
            return _opaque(match.group(0), expression)
        inner = value.text[:MAX_VALUE_CHARS]
        if len(inner) + 1 > room[0]:
            return _opaque(match.group(0), expression)
        room[0] -= len(inner) + 1
        hop = Hop(value.path, value.line, f"{key} = {_short(value.text)}")
        if hop not in used:
            used.append(hop)
        if pattern.search(inner):
            inner = substitute(system, pattern, inner, bindings, used, (*stack, key), room)  # type: ignore[arg-type]
        return inner
    return pattern.sub(replace, text)


def _opaque(written: str, expression: str) -> str:
    """An expression whose value is unknown, as one shell word: ``${{ secrets.X }}`` becomes
    ``${{secrets.X}}``. The CI system replaces the whole expression before the shell splits
    the line, so its padding must not split it into three words (``--project-name ${{`` would
    take ``${{`` as the option's value and ``secrets.X`` as the command's verb)."""
    inner = expression.strip()
    if written.startswith("${{") and inner and " " not in inner and "\t" not in inner:
        return "${{" + inner + "}}"
    return written


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------- shell variables
_SHELL_VAR = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]{0,100}|[0-9@*])\}|([A-Za-z_][A-Za-z0-9_]{0,100}|[0-9@*]))")
_SLICE = re.compile(r"^\$\{@:([0-9])\}$")
#: Variables every CI system sets to the folder the repository is checked out in.
WORKSPACE_VARIABLES = frozenset({"GITHUB_WORKSPACE", "CI_PROJECT_DIR", "BUILD_SOURCESDIRECTORY", "WORKSPACE",
                                 "CIRCLE_WORKING_DIRECTORY", "BITBUCKET_CLONE_DIR", "PWD"})


#: What a word costs beside its characters, in the expansion budget of ``shell_words``: a
#: value of a thousand one-letter words holds a thousand objects.
WORD_COST = 16


def shell_words(system: str, words: tuple[str, ...], bindings: Mapping[str, Value], local: Mapping[str, str],
                args: tuple[str, ...] | None, used: list[Hop], budget: list[int] | None = None) -> tuple[str, ...]:
    """``words`` with shell variables expanded: positional parameters from ``args`` (when the
    text is a script run with known arguments), then variables the script set (``local``),
    then the job's environment (``env.NAME`` bindings). Unknown variables stay as written.

    ``budget`` (shared by the caller's calls: ``linter.detectors.ci.resolve`` gives one per
    job) holds what expansions may still add, characters plus ``WORD_COST`` per word: a
    20 KB value written in thousands of commands (YAML aliases make that a small file) asked
    for tens of gigabytes. Once a value does not fit, the budget is spent and no variable is
    expanded any more: each stays as written, unknown."""
    room = budget if budget is not None else [1 << 62]
    out: list[str] = []
    for word in words:
        if "$" not in word:
            out.append(word)
            continue
        if args is not None and word in ("$@", "$*", "${@}", "${*}"):
            out.extend(args)
            continue
        sliced = _SLICE.match(word)
        if args is not None and sliced:
            out.extend(args[int(sliced.group(1)) - 1:])
            continue
        whole = _SHELL_VAR.fullmatch(word)

        def value_of(name: str) -> str | None:
            if room[0] <= 0:
                return None
            found = _value_of(name)
            if found is not None:
                cost = len(found) + WORD_COST * (found.count(" ") + 1)
                if cost > room[0]:
                    room[0] = 0
                    return None
                room[0] -= cost
            return found

        def _value_of(name: str) -> str | None:
            if name.isdigit():
                if args is None:
                    return None
                position = int(name)
                return args[position - 1] if 0 < position <= len(args) else ""
            if is_secret_name(name):
                return None  # a secret's value never decides the tool, and must not be quoted (linter.secrets)
            if name in local:
                return local[name]
            value = bindings.get(f"env.{name}") or (bindings.get(f"var.{name.lower()}") if system == "azure-pipelines"
                                                    else None)
            if value is None:
                return None
            text = value.text[:MAX_VALUE_CHARS]
            pattern = template(system)
            if pattern.search(text):  # a value written as an expression: its own templates first
                inner: list[Hop] = []
                text = substitute(system, pattern, text, bindings, inner, (f"env.{name}",))
                if pattern.search(text):
                    return None  # an expression whose value is not in the repository: unknown
                used.extend(h for h in inner if h not in used)
            hop = Hop(value.path, value.line, f"env.{name} = {_short(value.text)}")
            if hop not in used:
                used.append(hop)
            return text

        if whole:
            value = value_of(whole.group(1) or whole.group(2))
            if value is None:
                out.append(word)
            else:
                out.extend(value.split())  # an unquoted expansion is split into words
            continue
        out.append(_SHELL_VAR.sub(lambda m: _or_same(value_of(m.group(1) or m.group(2)), m.group(0)), word))
    return tuple(out)


def _or_same(value: str | None, same: str) -> str:
    return same if value is None else value
