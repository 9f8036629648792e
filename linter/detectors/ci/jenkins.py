"""Jenkinsfiles (declarative and scripted): shell steps per stage, and when they run.

A small Groovy tokenizer (strings, identifiers, punctuation; ``//`` and ``/* */`` comments
dropped, never inside strings) is enough to find ``sh``/``bat``/``powershell``/``pwsh``
steps in all their spellings (``sh 'x'``, ``sh '''x'''``, ``sh(script: "x")``,
``sh label: 'l', script: 'x'``) and the ``stage('name') { ... }`` they belong to.

Multibranch pipelines build every pushed branch and, with pull-request discovery (the
default of the GitHub and Bitbucket branch sources), every pull request, so stages are per
change unless their ``when`` block says ``triggeredBy 'TimerTrigger'`` (periodic) or
``'UserIdCause'`` (manual), ``branch 'main'`` (that branch's builds only: after the merge),
``changeRequest()`` (pull requests only) or ``buildingTag()``/``tag 'v*'`` (tags only); a
condition under ``not``/``anyOf`` is not read. ``returnStatus: true``, ``warnError`` and
``catchError(buildResult: 'SUCCESS')`` keep a failing scan from failing the build.

``environment { NAME = 'value' }`` (pipeline or stage) sets variables the shell steps read.
Shared-library and plugin steps that the table of well-known steps knows
(``linter.detectors.ci.known_table``: ``buildPlugin(...)`` of the Jenkins project's library...)
become ``task`` steps with their named arguments (``tests: [skip: true]`` as ``tests.skip``).
"""

from __future__ import annotations

from linter.fast_dataclass import dataclass, field

from linter.detectors.ci.model import MAX_STEPS_PER_JOB, Job, Pipeline, Step, Value
from linter.detectors.ci.refs import ANY_TAG
from linter.repo.workspace import Workspace

SYSTEM = "jenkins"
SHELL_STEPS = frozenset({"sh", "bat", "powershell", "pwsh"})
#: Jenkins plugin steps that run a dependency scanner, and those that publish test results
#: (JUnit plugin's ``junit`` and ``realtimeJUnit``, the xUnit plugin's ``xunit``): a stage
#: that publishes test reports ran tests, even through a shared-library step
#: (``infra.runMaven(...)``) or a wrapper script the tables cannot see into.
PLUGIN_STEPS = frozenset({"dependencyCheck", "snykSecurity", "junit", "realtimeJUnit", "xunit"})
MAX_TOKENS = 200_000
PER_CHANGE_TRIGGERS = frozenset({"push", "pull_request"})


@dataclass(frozen=True)
class Token:
    kind: str  # str | ident | punct
    value: str
    line: int


@dataclass
class _Context:
    kind: str  # stage | when | swallow | environment | negation
    depth: int
    name: str = ""
    causes: set[str] = field(default_factory=set)
    #: ``when`` conditions on the ref: ``branch:<glob>``, ``pull_request``, ``tag:<glob>``.
    refs: set[str] = field(default_factory=set)
    env: dict[str, Value] = field(default_factory=dict)


def jenkinsfile_paths(ws: Workspace) -> list[str]:
    return [p for p in ws.paths_containing("jenkinsfile") if _is_jenkinsfile(p.rsplit("/", 1)[-1])]


def _is_jenkinsfile(name: str) -> bool:
    lowered = name.lower()
    return lowered == "jenkinsfile" or lowered.startswith("jenkinsfile.") or lowered.endswith(".jenkinsfile")


def detect(ws: Workspace, asked: set[str] | None = None) -> tuple[list[Pipeline], list[str]]:
    """A pipeline per Jenkinsfile, and the files read; each joins ``asked``."""
    pipelines: list[Pipeline] = []
    paths = jenkinsfile_paths(ws)
    for path in paths:
        if asked is not None:
            asked.add(path)
        text = ws.read_text(path)
        if text is None:
            continue
        pipelines.append(Pipeline(SYSTEM, path, tuple(sorted(parse_jenkinsfile(path, text)))))
    return pipelines, paths


# --------------------------------------------------------------------------- tokenizer
def tokenize(text: str) -> list[Token]:
    """Groovy tokens with their 1-based line; linear time, comments removed."""
    tokens: list[Token] = []
    i, n, line = 0, len(text), 1
    while i < n and len(tokens) < MAX_TOKENS:
        ch = text[i]
        if ch == "\n":
            line += 1
            i += 1
        elif ch.isspace():
            i += 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end == -1 else end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end == -1 else end + 2
            line += text.count("\n", i, end)
            i = end
        elif text.startswith("'''", i) or text.startswith('"""', i):
            quote = text[i:i + 3]
            end = text.find(quote, i + 3)
            end = n if end == -1 else end
            tokens.append(Token("str", text[i + 3:end], line))
            line += text.count("\n", i, end)
            i = min(n, end + 3)
        elif ch in "'\"":
            j = i + 1
            while j < n and text[j] != ch and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            tokens.append(Token("str", text[i + 1:min(j, n)], line))
            i = j + 1
        elif ch.isalpha() or ch in "_$":
            j = i + 1
            while j < n and (text[j].isalnum() or text[j] in "_$"):
                j += 1
            tokens.append(Token("ident", text[i:j], line))
            i = j
        else:
            tokens.append(Token("punct", ch, line))
            i += 1
    return tokens


# --------------------------------------------------------------------------- structure
def parse_jenkinsfile(path: str, text: str) -> list[Job]:
    tokens = tokenize(text)
    stack: list[_Context] = []
    pending: _Context | None = None
    depth = 0
    by_stage: dict[tuple[str, frozenset[str], tuple[str, ...]], list[Step]] = {}
    stage_lines: dict[str, int] = {}
    env_top = _Context("environment", 0)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.kind == "punct" and token.value == "{":
            depth += 1
            if pending is not None:
                pending.depth = depth
                stack.append(pending)
                pending = None
        elif token.kind == "punct" and token.value == "}":
            while stack and stack[-1].depth >= depth:
                stack.pop()
            depth = max(0, depth - 1)
        elif token.kind == "ident":
            pending = _opening(tokens, index, stack, pending, stage_lines)
            _environment_entry(path, tokens, index, stack, env_top)
            step = _step_at(path, tokens, index, stack)
            if step is not None:
                stage = next((c for c in reversed(stack) if c.kind == "stage"), None)
                triggers, refs = _when(stack)
                key = (stage.name if stage else "(pipeline)", triggers, refs)
                env = {**env_top.env, **{k: v for c in stack if c.kind == "stage" for k, v in c.env.items()}}
                by_stage.setdefault(key, []).append(Step(step.path, step.line, step.kind, step.text, step.with_args,
                                                         step.non_blocking, env) if env else step)
        index += 1
    return [
        Job(name, path, stage_lines.get(name, steps[0].line), triggers, tuple(steps[:MAX_STEPS_PER_JOB]), refs=refs)
        for (name, triggers, refs), steps in by_stage.items()
    ]


def _environment_entry(path: str, tokens: list[Token], index: int, stack: list[_Context], top: _Context) -> None:
    """``NAME = 'value'`` directly in an ``environment {}`` block: a variable of the pipeline
    (top level) or of the stage the block belongs to."""
    if not stack or stack[-1].kind != "environment" or index + 2 >= len(tokens):
        return
    if tokens[index + 1].value != "=" or tokens[index + 2].kind != "str":
        return
    value = tokens[index + 2]
    owner = next((c for c in reversed(stack[:-1]) if c.kind == "stage"), top)
    owner.env[f"env.{tokens[index].value}"] = Value(value.value, path, value.line)


def _opening(tokens: list[Token], index: int, stack: list[_Context], pending: _Context | None,
             stage_lines: dict[str, int]) -> _Context | None:
    """Recognise constructs whose ``{`` opens a context: stage, when, error-swallowing wrappers."""
    word = tokens[index].value
    following = tokens[index + 1:index + 40]
    if word == "stage":
        name = next((t.value for t in following[:3] if t.kind == "str"), "")
        if name:
            stage_lines.setdefault(name, tokens[index].line)
            return _Context("stage", 0, name)
    elif word == "when" and following[:1] and following[0].value == "{":
        return _Context("when", 0)
    elif word == "environment" and following[:1] and following[0].value == "{":
        return _Context("environment", 0)
    elif word in ("not", "anyOf") and following[:1] and following[0].value == "{" \
            and any(c.kind == "when" for c in stack):
        return _Context("negation", 0)
    elif word in ("branch", "changeRequest", "buildingTag", "tag") and any(c.kind == "when" for c in stack) \
            and not any(c.kind == "negation" for c in stack):
        stage = next((c for c in reversed(stack) if c.kind == "stage"), None)
        if stage is not None:
            name = next((t.value for t in following[:6] if t.kind == "str"), "")
            if word == "branch" and name:
                stage.refs.add(f"branch:{name}")
            elif word == "changeRequest":
                stage.refs.add("pull_request")
            elif word in ("buildingTag", "tag"):
                stage.refs.add(f"tag:{name}" if word == "tag" and name else ANY_TAG)
    elif word == "triggeredBy":
        cause = next((t.value for t in following[:4] if t.kind == "str"), "")
        when = next((c for c in reversed(stack) if c.kind == "when"), None)
        stage = next((c for c in reversed(stack) if c.kind == "stage"), None)
        if cause and when is not None and stage is not None:
            stage.causes.add(cause)
    elif word == "warnError":
        return _Context("swallow", 0)
    elif word == "catchError":
        strings = []
        for t in following:
            if t.value == "{":
                break
            if t.kind == "str":
                strings.append(t.value.upper())
        if "SUCCESS" in strings or "UNSTABLE" in strings:
            return _Context("swallow", 0)
    return pending


def _when(stack: list[_Context]) -> tuple[frozenset[str], tuple[str, ...]]:
    """Triggers and refs of the innermost stages' ``when`` conditions."""
    triggers = _triggers(stack)
    conditions = {r for ctx in stack if ctx.kind == "stage" for r in ctx.refs}
    if not conditions or triggers != PER_CHANGE_TRIGGERS:
        return triggers, ()
    if conditions == {"pull_request"}:
        return frozenset({"pull_request"}), ()
    refs = tuple(sorted(r for r in conditions if r != "pull_request"))
    return frozenset({"push"}), refs  # a branch or tag condition: never a pull request's build (PR-123)


def _triggers(stack: list[_Context]) -> frozenset[str]:
    causes = " ".join(c for ctx in stack if ctx.kind == "stage" for c in ctx.causes)
    if not causes:
        return PER_CHANGE_TRIGGERS
    found: set[str] = set()
    if "TimerTrigger" in causes:
        found.add("schedule")
    if "UserIdCause" in causes:
        found.add("manual")
    if any(word in causes for word in ("BranchIndexingCause", "BranchEventCause", "SCMTrigger")):
        found.add("push")
    return frozenset(found or {"other"})


def _step_at(path: str, tokens: list[Token], index: int, stack: list[_Context]) -> Step | None:
    """A shell or plugin step starting at ``tokens[index]``, if there is one."""
    token = tokens[index]
    previous = tokens[index - 1] if index else None
    if previous is not None and previous.kind == "punct" and previous.value == ".":
        return None  # a method call like ``x.sh``
    swallowed = any(c.kind == "swallow" for c in stack)
    if token.value in _known_steps() and tokens[index + 1:index + 2] and tokens[index + 1].value == "(":
        return Step(path, token.line, "task", token.value, _named_args(tokens, index + 1), swallowed)
    if token.value in PLUGIN_STEPS:
        following = tokens[index + 1:index + 3]
        if not following or following[0].value in ("=", ":", ".", ")", ",", "]"):
            return None  # a variable, map key or property of that name, not a call
        return Step(path, token.line, "task", token.value, {}, swallowed)
    if token.value not in SHELL_STEPS:
        return None
    following = tokens[index + 1:index + 30]
    script, named = _script_argument(following)
    if script is None:
        return None
    returns_status = _named_true(following, "returnStatus")
    return Step(path, script.line if named else token.line, "run", script.value,
                {"shell": token.value}, swallowed or returns_status)


def _script_argument(following: list[Token]) -> tuple[Token | None, bool]:
    """The script string: the first argument, or the value of ``script:``."""
    position = 1 if following[:1] and following[0].value == "(" else 0
    if len(following) > position and following[position].kind == "str":
        after = following[position + 1] if len(following) > position + 1 else None
        if after is None or after.value != ":":
            return following[position], False
    for offset, token in enumerate(following[:-2]):
        if token.value in ("}", "{"):
            break
        if token.kind == "ident" and token.value == "script" and following[offset + 1].value == ":" \
                and following[offset + 2].kind == "str":
            return following[offset + 2], True
    return None, False


def _named_true(following: list[Token], name: str) -> bool:
    for offset, token in enumerate(following[:-2]):
        if token.value in ("}", "{"):
            break
        if token.kind == "ident" and token.value == name and following[offset + 1].value == ":":
            return following[offset + 2].value == "true"
    return False


def _known_steps() -> frozenset[str]:
    """Shared-library steps the table of well-known steps can say something about."""
    from linter.detectors.ci.known_table import JENKINS_STEPS

    return JENKINS_STEPS


MAX_ARGUMENT_TOKENS = 2_000


def _named_args(tokens: list[Token], start: int) -> dict[str, object]:
    """Named arguments of a call whose ``(`` is at ``start``: ``name: 'x'``, ``name: true``,
    ``name: [key: value]`` (as ``name.key``); lists and expressions are left out."""
    args: dict[str, object] = {}
    prefix: list[str] = []
    depth = 0
    end = min(len(tokens), start + MAX_ARGUMENT_TOKENS)
    for index in range(start, end):
        token = tokens[index]
        if token.value in ("(", "["):
            depth += 1
            continue
        if token.value in (")", "]"):
            depth -= 1
            if prefix and depth <= len(prefix):
                prefix.pop()
            if depth <= 0:
                break
            continue
        if token.kind != "ident" or index + 2 >= end or tokens[index + 1].value != ":":
            continue
        value = tokens[index + 2]
        name = ".".join([*prefix, token.value])
        if value.value == "[" and depth < 4:
            prefix.append(token.value)
        elif value.kind == "str" or value.value in ("true", "false") or value.value.isdigit():
            args[name] = True if value.value == "true" else False if value.value == "false" and value.kind != "str" \
                else value.value
    return args
