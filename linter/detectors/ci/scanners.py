"""Which CI steps are security scanners, and of what kind.

The pipeline model (``linter.detectors.ci``) says *what runs when*; this module says *what a
step is*. A ``ScannerTable`` holds two kinds of rule for one category of scan:

* ``ReferenceRule``: a step that references a packaged scanner (GitHub action or reusable
  workflow, GitLab template/component, CircleCI orb command, Azure task, Bitbucket pipe);
* ``CommandRule``: a program called from a shell script, judged on its effective words
  (``poetry run pip-audit`` reads as ``pip-audit``).

Each rule's ``judge`` returns ``(detail, blocking)`` or ``None`` when the step is not that kind
of scan (``trivy config`` is an IaC scan, ``snyk code test`` is SAST). Later tables (SAST,
secret scanning, IaC policy) reuse the same shapes and ``scanner_hits``.
"""

from __future__ import annotations

import re
from typing import Callable, Mapping

from linter.detectors.ci import makefile
from linter.detectors.ci.makefile import MakeFile
from linter.detectors.ci.model import CiFacts, Job, Step, is_true, text_of
from linter.detectors.ci.shell import effective_argv, shell_commands
from linter.fast_dataclass import dataclass

#: ``(detail, blocking)`` when a step is a scan, ``None`` when it is not.
Verdict = tuple[str, bool] | None


@dataclass(frozen=True, order=True)
class ScannerHit:
    """A step that runs a scanner: which tool, where, and whether a finding fails the job."""

    tool: str
    category: str
    path: str
    line: int
    detail: str
    blocking: bool = True


@dataclass(frozen=True)
class JobHit:
    """A scanner hit together with the job (and so the triggers) it runs in."""

    system: str
    job: Job
    hit: ScannerHit


@dataclass(frozen=True)
class ReferenceRule:
    """A packaged scanner, matched on the normalised reference of a step."""

    kinds: frozenset[str]
    pattern: re.Pattern[str]
    tool: str
    judge: Callable[[Mapping[str, object], str], Verdict]


@dataclass(frozen=True)
class CommandRule:
    """A scanner program, matched on the first effective word of a shell command.

    ``script`` optionally matches the file name of a script the command runs
    (``./scripts/run_tests.sh``), for tools a repository wraps in its own scripts.
    """

    programs: frozenset[str]
    tool: str
    judge: Callable[[tuple[str, ...]], Verdict]
    script: "re.Pattern[str] | None" = None

    def matches(self, program: str, script_path: str = "") -> bool:
        """``program`` is the normalised command word; ``script_path`` the script file it runs
        as written (``./scripts/test``, or the argument of ``bash ci/test.sh``)."""
        if program in self.programs:
            return True
        if self.script is None or not script_path or ("/" not in script_path and "." not in script_path):
            return False  # a bare word is a command, not a script file (`test -f x` is the builtin)
        return self.script.fullmatch(script_path.rsplit("/", 1)[-1]) is not None


_INTERPRETERS = frozenset({"bash", "sh", "zsh", "dash", "pwsh", "powershell", "python", "python3", "source", "."})


def script_path_of(raw: tuple[str, ...]) -> str:
    """The script file a command runs: ``./scripts/x.sh`` or the file after ``bash``/``python``."""
    if not raw:
        return ""
    first = raw[0]
    if first.rsplit("/", 1)[-1] in _INTERPRETERS:
        rest = [a for a in raw[1:] if not a.startswith("-")]
        return rest[0] if rest else ""
    return first


@dataclass(frozen=True)
class ScannerTable:
    category: str
    references: tuple[ReferenceRule, ...]
    commands: tuple[CommandRule, ...]


# --------------------------------------------------------------------------- normalising
def normalise_reference(step: Step) -> str:
    """Lower-case reference without version: ``Snyk/Actions/Node@v3`` -> ``snyk/actions/node``."""
    text = step.text.strip().lower()
    if step.kind in ("uses", "task"):
        text = text.split("@", 1)[0]
    elif step.kind == "pipe":
        text = text.split("docker://", 1)[-1].rsplit(":", 1)[0] if ":" in text else text
    return text


def _arg(args: Mapping[str, object], *names: str) -> str:
    """First present input among ``names`` as lower-case text (inputs are case-insensitive)."""
    lowered = {str(k).lower(): v for k, v in args.items()}
    for name in names:
        if name.lower() in lowered:
            return text_of(lowered[name.lower()]).strip().lower()
    return ""


def _short(words: tuple[str, ...], limit: int = 90) -> str:
    text = " ".join(words)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------- reference judges
def _always(detail: str) -> Callable[[Mapping[str, object], str], Verdict]:
    return lambda args, reference="": (detail, True)


def _dependency_review(args: Mapping[str, object], reference: str = "") -> Verdict:
    return ("dependency review of the pull request", not is_true(args.get("warn-only")))


def _osv_action(args: Mapping[str, object], reference: str = "") -> Verdict:
    return ("OSV-Scanner action", _arg(args, "fail-on-vuln") != "false")


def _trivy_action(args: Mapping[str, object], reference: str = "") -> Verdict:
    scan_type = _arg(args, "scan-type") or "image"
    if scan_type not in ("fs", "filesystem", "repo", "repository", "rootfs", "image", "sbom", "vm"):
        return None
    scanners = _arg(args, "scanners", "security-checks")
    if scanners and "vuln" not in scanners:
        return None
    exit_code = _arg(args, "exit-code")
    blocking = bool(exit_code) and exit_code != "0"
    return (f"trivy {scan_type} scan" + ("" if blocking else " (exit-code 0: reports only)"), blocking)


def _snyk_action(reference: str, args: Mapping[str, object]) -> Verdict:
    flavour = reference.rsplit("/", 1)[-1]
    command = _arg(args, "command") or "test"
    if flavour in ("setup", "iac") or "code" in command or "iac" in command or "monitor" in command:
        return None
    what = "container image" if flavour == "docker" else flavour
    return (f"snyk {command} ({what})", True)


def _snyk_actions(args: Mapping[str, object], reference: str = "") -> Verdict:
    return _snyk_action(reference, args)


def _anchore(args: Mapping[str, object], reference: str = "") -> Verdict:
    return ("grype via anchore/scan-action", _arg(args, "fail-build") != "false")


def _dependency_check_action(args: Mapping[str, object], reference: str = "") -> Verdict:
    blocking = "--failoncvss" in _arg(args, "args")
    return ("OWASP dependency-check" + ("" if blocking else " (no --failOnCVSS: reports only)"), blocking)


def _govulncheck_action(args: Mapping[str, object], reference: str = "") -> Verdict:
    fmt = _arg(args, "output-format")
    blocking = fmt in ("", "text")
    return ("govulncheck action" + ("" if blocking else f" (output-format {fmt}: reports only)"), blocking)


def _cargo_deny_action(args: Mapping[str, object], reference: str = "") -> Verdict:
    command = _arg(args, "command") or "check"
    if not _deny_checks_advisories(tuple(command.split()) + tuple(_arg(args, "arguments").split())):
        return None
    return ("cargo-deny advisories", True)


def _snyk_orb(args: Mapping[str, object], reference: str = "") -> Verdict:
    command = _arg(args, "command") or "test"
    if "code" in command or "iac" in command:
        return None
    return (f"snyk {command} (CircleCI orb)", _arg(args, "fail-on-issues") != "false")


def _snyk_task(args: Mapping[str, object], reference: str = "") -> Verdict:
    test_type = _arg(args, "testType") or "app"
    if test_type not in ("app", "container"):
        return None
    return (f"Snyk {test_type} scan (Azure task)", _arg(args, "failOnIssues") != "false")


def _snyk_pipe(args: Mapping[str, object], reference: str = "") -> Verdict:
    language = _arg(args, "LANGUAGE")
    return (f"Snyk pipe{f' ({language})' if language else ''}", _arg(args, "DONT_BREAK_BUILD") != "true")


def _dependency_check_task(args: Mapping[str, object], reference: str = "") -> Verdict:
    blocking = bool(_arg(args, "failOnCVSS"))
    return ("OWASP dependency-check (Azure task)" + ("" if blocking else " (no failOnCVSS: reports only)"), blocking)


# --------------------------------------------------------------------------- command judges
_PM_VALUE_OPTIONS = frozenset({"--prefix", "-C", "--cwd", "--dir", "--filter", "-w", "--workspace",
                               "--registry", "--audit-level", "--level", "--groups"})


def _verbs(argv: tuple[str, ...], value_options: frozenset[str] = _PM_VALUE_OPTIONS) -> list[str]:
    """Non-option words after the program, skipping the values of known options."""
    words: list[str] = []
    skip = False
    for word in argv[1:]:
        if skip:
            skip = False
            continue
        if word.startswith("-"):
            skip = word in value_options
            continue
        words.append(word)
    return words


def _option_value(argv: tuple[str, ...], *names: str) -> str | None:
    """Value of ``--name value`` / ``--name=value`` (``""`` if the flag has no value)."""
    for index, word in enumerate(argv):
        for name in names:
            if word == name:
                return argv[index + 1] if index + 1 < len(argv) else ""
            if word.startswith(name + "="):
                return word.split("=", 1)[1]
    return None


def _plain(argv: tuple[str, ...]) -> Verdict:
    return (_short(argv), True)


def _first_verb_is(*verbs: str) -> Callable[[tuple[str, ...]], Verdict]:
    def judge(argv: tuple[str, ...]) -> Verdict:
        words = _verbs(argv)
        return (_short(argv), True) if words and words[0] in verbs else None
    return judge


def _npm(argv: tuple[str, ...]) -> Verdict:
    words = _verbs(argv)
    if not words or words[0] != "audit" or (len(words) > 1 and words[1] in ("fix", "signatures")):
        return None
    return (_short(argv), True)


def _yarn(argv: tuple[str, ...]) -> Verdict:
    words = _verbs(argv)
    if words[:1] == ["audit"] or words[:2] == ["npm", "audit"]:
        return (_short(argv), True)
    return None


def _safety(argv: tuple[str, ...]) -> Verdict:
    words = _verbs(argv, frozenset({"--key", "-r", "--file", "--policy-file", "--output"}))
    if not words or words[0] not in ("check", "scan"):
        return None
    swallowed = "--continue-on-error" in argv or "--exit-zero" in argv
    return (_short(argv), not swallowed)


def _osv_scanner(argv: tuple[str, ...]) -> Verdict:
    words = _verbs(argv, frozenset({"--config", "--format", "--output", "-r", "-L", "--lockfile"}))
    if words and words[0] in ("fix", "update", "help"):
        return None
    if "--version" in argv or "--help" in argv:
        return None
    return (_short(argv), True)


_TRIVY_SCANS = frozenset({"fs", "filesystem", "repo", "repository", "rootfs", "image", "i", "sbom", "vm"})
_TRIVY_VALUE_OPTIONS = frozenset({"--cache-dir", "--config", "-c", "--format", "-f", "--output", "-o",
                                  "--severity", "-s", "--exit-code", "--scanners", "--timeout", "-t",
                                  "--template", "--ignorefile", "--skip-dirs", "--skip-files"})


def _trivy(argv: tuple[str, ...]) -> Verdict:
    words = _verbs(argv, _TRIVY_VALUE_OPTIONS)
    if not words or words[0] not in _TRIVY_SCANS:
        return None
    scanners = _option_value(argv, "--scanners", "--security-checks")
    if scanners is not None and "vuln" not in scanners:
        return None
    exit_code = _option_value(argv, "--exit-code")
    blocking = bool(exit_code) and exit_code != "0"
    return (_short(argv) + ("" if blocking else " (no --exit-code: reports only)"), blocking)


def _grype(argv: tuple[str, ...]) -> Verdict:
    words = _verbs(argv, frozenset({"-o", "--output", "-c", "--config", "-f", "--fail-on", "--file"}))
    if words and words[0] in ("db", "version", "completion", "config", "help"):
        return None
    blocking = _option_value(argv, "--fail-on", "-f") is not None
    return (_short(argv) + ("" if blocking else " (no --fail-on: reports only)"), blocking)


def _snyk(argv: tuple[str, ...]) -> Verdict:
    words = _verbs(argv, frozenset({"--org", "--file", "--severity-threshold", "--project-name"}))
    if words[:1] == ["test"] or words[:2] == ["container", "test"]:
        return (_short(argv), True)
    return None


_DENY_CHECKS = frozenset({"advisories", "bans", "licenses", "license", "sources", "all"})


def _deny_checks_advisories(words: tuple[str, ...]) -> bool:
    if "check" not in words:
        return False
    after = [w for w in words[words.index("check") + 1:] if w in _DENY_CHECKS]
    return not after or "advisories" in after or "all" in after


def _cargo(argv: tuple[str, ...]) -> Verdict:
    words = _verbs(argv, frozenset({"--manifest-path", "--config", "-c", "--target", "--format"}))
    if words[:1] == ["audit"] and words[1:2] != ["fix"]:
        return (_short(argv), True)
    if words[:1] == ["deny"] and _deny_checks_advisories(tuple(words)):
        return (_short(argv), True)
    return None


def _cargo_deny(argv: tuple[str, ...]) -> Verdict:
    return (_short(argv), True) if _deny_checks_advisories(tuple(_verbs(argv))) else None


def _govulncheck(argv: tuple[str, ...]) -> Verdict:
    fmt = _option_value(argv, "-format", "--format")
    blocking = fmt in (None, "text") and "-json" not in argv
    return (_short(argv) + ("" if blocking else " (machine-readable output exits 0: reports only)"), blocking)


def _bundle(argv: tuple[str, ...]) -> Verdict:
    words = _verbs(argv)
    if words[:1] == ["audit"] and words[1:2] != ["update"]:
        return (_short(argv), True)
    return None


def _bundle_audit(argv: tuple[str, ...]) -> Verdict:
    words = _verbs(argv)
    return None if words[:1] in (["update"], ["version"], ["help"]) else (_short(argv), True)


def _maven(argv: tuple[str, ...]) -> Verdict:
    if any(re.search(r"dependency-check(?:-maven)?(?::[\w.-]+)*:(?:check|aggregate)\b", w) for w in argv):
        return (_short(argv), True)
    return None


def _gradle(argv: tuple[str, ...]) -> Verdict:
    if any(w.rsplit(":", 1)[-1] in ("dependencyCheckAnalyze", "dependencyCheckAggregate") for w in argv):
        return (_short(argv), True)
    return None


def _dotnet(argv: tuple[str, ...]) -> Verdict:
    words = _verbs(argv)
    listing = ("list" in words and "package" in words) or words[:2] == ["package", "list"]
    if not listing or "--vulnerable" not in argv:
        return None
    return (_short(argv) + " (exits 0 even when vulnerable packages are listed)", False)


def _dependency_check_cli(argv: tuple[str, ...]) -> Verdict:
    if "--version" in argv or "--help" in argv or "--updateonly" in argv:
        return None
    blocking = _option_value(argv, "--failOnCVSS") is not None
    return (_short(argv) + ("" if blocking else " (no --failOnCVSS: reports only)"), blocking)


def _mix(argv: tuple[str, ...]) -> Verdict:
    words = _verbs(argv)
    return (_short(argv), True) if words[:1] in (["deps.audit"], ["hex.audit"]) else None


# --------------------------------------------------------------------------- the table
#: The start of a cross-project GitLab include, ``project:<project>:<file>``, up to the file's
#: name (which holds no ``:``): "a ``:`` after ``project:``, then a ``:`` or ``/`` right before
#: the name". The same strings as ``project:.*:/?(?:.*/)?``, whose two ``.*`` tried every pair
#: of separators in a long hostile reference (quadratic); here one ``.*`` backtracks alone.
PROJECT_INCLUDE = r"project:(?=.*:).*[:/]"


def _ref(kinds: str, pattern: str, tool: str, judge: Callable[[Mapping[str, object], str], Verdict]) -> ReferenceRule:
    return ReferenceRule(frozenset(kinds.split()), re.compile(pattern), tool, judge)


DEPENDENCY_SCAN = ScannerTable(
    category="dependency-scan",
    references=(
        _ref("uses", r"actions/dependency-review-action", "dependency-review-action", _dependency_review),
        _ref("uses", r"pypa/gh-action-pip-audit", "pip-audit", _always("pip-audit action")),
        _ref("uses", r"google/osv-scanner-action(?:/osv-scanner-action)?", "osv-scanner", _osv_action),
        _ref("uses", r"google/osv-scanner-action/\.github/workflows/osv-scanner-reusable(?:-pr)?\.ya?ml",
             "osv-scanner", _osv_action),
        # another repository's reusable workflow: its steps cannot be read here, its file name
        # says what it runs (sigstore/community/.github/workflows/reusable-dependency-review.yml);
        # the words in a look-ahead, so a long name is not re-scanned after every place they occur
        _ref("uses", r"[\w.-]+/[\w.-]+/\.github/workflows/(?=[\w.-]*?(?:dependency[-_]?review|dependency[-_]?scan"
                     r"(?:ning)?|deps?[-_]review|vulnerability[-_]scan))[\w.-]*\.ya?ml",
             "dependency review (reusable workflow)",
             _always("another repository's reusable workflow named for dependency review")),
        _ref("uses", r"aquasecurity/trivy-action", "trivy", _trivy_action),
        _ref("uses", r"snyk/actions/[\w.-]+", "snyk", _snyk_actions),
        _ref("uses", r"anchore/scan-action", "grype", _anchore),
        _ref("uses", r"dependency-check/dependency-check_action", "OWASP dependency-check", _dependency_check_action),
        _ref("uses", r"golang/govulncheck-action", "govulncheck", _govulncheck_action),
        _ref("uses", r"(?:rustsec|actions-rs)/audit-check", "cargo audit", _always("cargo audit action")),
        _ref("uses", r"embarkstudios/cargo-deny-action", "cargo deny", _cargo_deny_action),
        _ref("orb", r"snyk/snyk scan", "snyk", _snyk_orb),
        _ref("task", r"snyksecurityscan", "snyk", _snyk_task),
        _ref("task", r"dependency-check-build-task", "OWASP dependency-check", _dependency_check_task),
        _ref("task", r"advancedsecurity-dependency-scanning", "GitHub Advanced Security dependency scanning",
             _always("Advanced Security dependency scanning (Azure task)")),
        _ref("task", r"dependencycheck", "OWASP dependency-check", _always("OWASP dependency-check (Jenkins plugin)")),
        _ref("task", r"snyksecurity", "snyk", _always("Snyk (Jenkins plugin)")),
        _ref("pipe", r"snyk/snyk-scan", "snyk", _snyk_pipe),
        _ref("include", r"template:(?:(?:jobs|security)/)?dependency-scanning(?:\.latest|\.v2)?\.gitlab-ci\.yml",
             "GitLab dependency scanning", _always("GitLab Dependency-Scanning template")),
        _ref("include", r"template:(?:(?:jobs|security)/)?container-scanning(?:\.latest)?\.gitlab-ci\.yml",
             "GitLab container scanning", _always("GitLab Container-Scanning template")),
        _ref("include", r"template:auto-devops\.gitlab-ci\.yml", "GitLab dependency scanning",
             _always("Auto DevOps template (includes dependency scanning)")),
        _ref("include", r"component:.*/components/dependency-scanning(?:/[^@\s]*)?(?:@\S*)?",
             "GitLab dependency scanning", _always("GitLab dependency-scanning component")),
        _ref("include", PROJECT_INCLUDE + r"dependency-scanning(?:\.latest|\.v2)?\.gitlab-ci\.yml",
             "GitLab dependency scanning", _always("Dependency-Scanning file included from another project")),
    ),
    commands=(
        CommandRule(frozenset({"pip-audit", "pip_audit"}), "pip-audit", _plain),
        CommandRule(frozenset({"safety"}), "safety", _safety),
        CommandRule(frozenset({"npm"}), "npm audit", _npm),
        CommandRule(frozenset({"yarn"}), "yarn audit", _yarn),
        CommandRule(frozenset({"pnpm"}), "pnpm audit", _first_verb_is("audit")),
        CommandRule(frozenset({"bun"}), "bun audit", _first_verb_is("audit")),
        CommandRule(frozenset({"audit-ci", "better-npm-audit", "improved-yarn-audit"}), "npm audit", _plain),
        CommandRule(frozenset({"osv-scanner"}), "osv-scanner", _osv_scanner),
        CommandRule(frozenset({"trivy"}), "trivy", _trivy),
        CommandRule(frozenset({"grype"}), "grype", _grype),
        CommandRule(frozenset({"snyk"}), "snyk", _snyk),
        CommandRule(frozenset({"cargo"}), "cargo audit", _cargo),
        CommandRule(frozenset({"cargo-audit"}), "cargo audit", _plain),
        CommandRule(frozenset({"cargo-deny"}), "cargo deny", _cargo_deny),
        CommandRule(frozenset({"govulncheck"}), "govulncheck", _govulncheck),
        CommandRule(frozenset({"bundle", "bundler"}), "bundler-audit", _bundle),
        CommandRule(frozenset({"bundle-audit", "bundler-audit"}), "bundler-audit", _bundle_audit),
        CommandRule(frozenset({"mvn", "mvnw", "mvnd"}), "OWASP dependency-check", _maven),
        CommandRule(frozenset({"gradle", "gradlew"}), "OWASP dependency-check", _gradle),
        CommandRule(frozenset({"dotnet"}), "dotnet list package --vulnerable", _dotnet),
        CommandRule(frozenset({"composer"}), "composer audit", _first_verb_is("audit")),
        CommandRule(frozenset({"dependency-check", "dependency-check.sh"}), "OWASP dependency-check",
                    _dependency_check_cli),
        CommandRule(frozenset({"nancy"}), "nancy", _first_verb_is("sleuth")),
        CommandRule(frozenset({"mix"}), "mix deps.audit", _mix),
    ),
)


# --------------------------------------------------------------------------- classifying
def classify_step(step: Step, table: ScannerTable, makefiles: Mapping[str, MakeFile] | None = None) -> list[ScannerHit]:
    """Scanner hits of one step (a script may run several scanners); ``makefiles`` (parsed,
    by path) let a ``make`` command the table does not know by name count for its recipes."""
    if step.kind == "run":
        return _classify_script(step, table, makefiles)
    reference = normalise_reference(step)
    for rule in table.references:
        if step.kind in rule.kinds and rule.pattern.fullmatch(reference):
            verdict = rule.judge(step.with_args, reference)
            if verdict is None:
                return []
            detail, blocking = verdict
            return [ScannerHit(rule.tool, table.category, step.path, step.line,
                               f"{detail} ({step.text})", blocking and not step.non_blocking)]
    return []


def _classify_script(step: Step, table: ScannerTable,
                     makefiles: Mapping[str, MakeFile] | None = None) -> list[ScannerHit]:
    hits: list[ScannerHit] = []
    for command in shell_commands(step.text):
        argv = effective_argv(command.argv)
        if not argv:
            continue
        # the script as written, or behind a wrapper (``pipenv run python manage.py test``)
        script = script_path_of(tuple(command.argv))
        if "/" not in script and "." not in script:
            script = script_path_of(tuple(argv))
        found = None
        for rule in table.commands:
            if not rule.matches(argv[0], script):
                continue
            verdict = rule.judge(argv)
            if verdict is None:
                continue
            found = (rule.tool, *verdict)
            break
        if found is None and makefiles and argv[0] in makefile.MAKE_PROGRAMS:
            found = _through_makefile(argv, table, makefiles)
        if found is None:
            continue
        tool, detail, blocking = found
        if command.non_blocking:
            detail += " (failure ignored with ||)"
        hits.append(ScannerHit(tool, table.category, step.path, step.line + command.line_offset,
                               detail, blocking and not command.non_blocking and not step.non_blocking))
    return hits


def _through_makefile(argv: tuple[str, ...], table: ScannerTable,
                      makefiles: Mapping[str, MakeFile]) -> tuple[str, str, bool] | None:
    """(tool, detail, blocking) of the first recipe line a ``make`` command runs that ``table``
    recognises: ``make all`` whose ``all`` depends on ``test: go test ./...``."""
    call = makefile.invocation(argv)
    parsed = next((makefiles[c] for c in call.makefile_candidates if c in makefiles), None) if call else None
    if parsed is None:
        return None
    for line, command in makefile.recipe_lines(parsed, call.targets):  # type: ignore[union-attr]
        for hit in _classify_script(Step(parsed.path, line, "run", command), table):
            shown = " ".join(argv[:6])
            return hit.tool, f"{shown} runs {hit.detail} ({parsed.path}:{hit.line})", hit.blocking
    return None


def scanner_hits(facts: CiFacts, table: ScannerTable) -> list[JobHit]:
    """Every scanner of ``table`` in every job, with the job it runs in; sorted.

    Computed once per facts and table (rules ask once per service scope) and returned as
    the same list each time, which callers must not modify.
    """
    cache = facts.__dict__.setdefault("_scanner_hits", {})  # not a field: eq and hash ignore it
    if id(table) not in cache:
        cache[id(table)] = (table, _scanner_hits(facts, table))
    return cache[id(table)][1]  # type: ignore[no-any-return]


def _scanner_hits(facts: CiFacts, table: ScannerTable) -> list[JobHit]:
    found: list[JobHit] = []
    for pipeline, job in facts.jobs():
        for step in job.steps:
            for hit in classify_step(step, table, facts.makefiles):
                if job.non_blocking and hit.blocking:
                    hit = ScannerHit(hit.tool, hit.category, hit.path, hit.line, hit.detail, False)
                found.append(JobHit(pipeline.system, job, hit))
    return sorted(found, key=lambda jh: (jh.hit, jh.system, jh.job.name, jh.job.path))


__all__ = ["DEPENDENCY_SCAN", "CommandRule", "JobHit", "ReferenceRule", "ScannerHit", "ScannerTable",
           "classify_step", "scanner_hits"]
