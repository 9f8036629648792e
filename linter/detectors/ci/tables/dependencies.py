"""Dependency vulnerability scanners (SEC001): packaged steps and commands.

The judges say whether a step scans dependencies for known vulnerabilities, and whether a
finding fails the job: ``trivy config`` is an IaC scan, ``snyk code test`` is SAST,
``npm audit fix`` changes the lock file; ``trivy`` without ``--exit-code`` only reports.
"""

from __future__ import annotations

import re
from typing import Mapping

from linter.detectors.ci.model import is_true
from linter.detectors.ci.tables.shapes import (
    PROJECT_INCLUDE, CommandRule, ToolTable, ToolMatch, named_workflow, ref, remote_workflow_named,
)
from linter.detectors.ci.tables.words import always, arg, first_verb_is, option_value, plain, short, verbs


def _dependency_review(args: Mapping[str, object], reference: str = "") -> ToolMatch:
    return ("dependency review of the pull request", not is_true(args.get("warn-only")))


def _osv_action(args: Mapping[str, object], reference: str = "") -> ToolMatch:
    return ("OSV-Scanner action", arg(args, "fail-on-vuln") != "false")


def _trivy_action(args: Mapping[str, object], reference: str = "") -> ToolMatch:
    scan_type = arg(args, "scan-type") or "image"
    if scan_type not in ("fs", "filesystem", "repo", "repository", "rootfs", "image", "sbom", "vm"):
        return None
    scanners = arg(args, "scanners", "security-checks")
    if scanners and "vuln" not in scanners:
        return None
    exit_code = arg(args, "exit-code")
    blocking = bool(exit_code) and exit_code != "0"
    return (f"trivy {scan_type} scan" + ("" if blocking else " (exit-code 0: reports only)"), blocking)


def _snyk_action(reference: str, args: Mapping[str, object]) -> ToolMatch:
    flavour = reference.rsplit("/", 1)[-1]
    command = arg(args, "command") or "test"
    if flavour in ("setup", "iac") or "code" in command or "iac" in command or "monitor" in command:
        return None
    what = "container image" if flavour == "docker" else flavour
    return (f"snyk {command} ({what})", True)


def _snyk_actions(args: Mapping[str, object], reference: str = "") -> ToolMatch:
    return _snyk_action(reference, args)


def _anchore(args: Mapping[str, object], reference: str = "") -> ToolMatch:
    return ("grype via anchore/scan-action", arg(args, "fail-build") != "false")


def _dependency_check_action(args: Mapping[str, object], reference: str = "") -> ToolMatch:
    blocking = "--failoncvss" in arg(args, "args")
    return ("OWASP dependency-check" + ("" if blocking else " (no --failOnCVSS: reports only)"), blocking)


def _govulncheck_action(args: Mapping[str, object], reference: str = "") -> ToolMatch:
    fmt = arg(args, "output-format")
    blocking = fmt in ("", "text")
    return ("govulncheck action" + ("" if blocking else f" (output-format {fmt}: reports only)"), blocking)


def _cargo_deny_action(args: Mapping[str, object], reference: str = "") -> ToolMatch:
    command = arg(args, "command") or "check"
    if not _deny_checks_advisories(tuple(command.split()) + tuple(arg(args, "arguments").split())):
        return None
    return ("cargo-deny advisories", True)


def _snyk_orb(args: Mapping[str, object], reference: str = "") -> ToolMatch:
    command = arg(args, "command") or "test"
    if "code" in command or "iac" in command:
        return None
    return (f"snyk {command} (CircleCI orb)", arg(args, "fail-on-issues") != "false")


def _snyk_task(args: Mapping[str, object], reference: str = "") -> ToolMatch:
    test_type = arg(args, "testType") or "app"
    if test_type not in ("app", "container"):
        return None
    return (f"Snyk {test_type} scan (Azure task)", arg(args, "failOnIssues") != "false")


def _snyk_pipe(args: Mapping[str, object], reference: str = "") -> ToolMatch:
    language = arg(args, "LANGUAGE")
    return (f"Snyk pipe{f' ({language})' if language else ''}", arg(args, "DONT_BREAK_BUILD") != "true")


def _dependency_check_task(args: Mapping[str, object], reference: str = "") -> ToolMatch:
    blocking = bool(arg(args, "failOnCVSS"))
    return ("OWASP dependency-check (Azure task)" + ("" if blocking else " (no failOnCVSS: reports only)"), blocking)





def _npm(argv: tuple[str, ...]) -> ToolMatch:
    words = verbs(argv)
    if not words or words[0] != "audit" or (len(words) > 1 and words[1] in ("fix", "signatures")):
        return None
    return (short(argv), True)


def _yarn(argv: tuple[str, ...]) -> ToolMatch:
    words = verbs(argv)
    if words[:1] == ["audit"] or words[:2] == ["npm", "audit"]:
        return (short(argv), True)
    return None


def _safety(argv: tuple[str, ...]) -> ToolMatch:
    words = verbs(argv, frozenset({"--key", "-r", "--file", "--policy-file", "--output"}))
    if not words or words[0] not in ("check", "scan"):
        return None
    swallowed = "--continue-on-error" in argv or "--exit-zero" in argv
    return (short(argv), not swallowed)


def _osv_scanner(argv: tuple[str, ...]) -> ToolMatch:
    words = verbs(argv, frozenset({"--config", "--format", "--output", "-r", "-L", "--lockfile"}))
    if words and words[0] in ("fix", "update", "help"):
        return None
    if "--version" in argv or "--help" in argv:
        return None
    return (short(argv), True)


_TRIVY_SCANS = frozenset({"fs", "filesystem", "repo", "repository", "rootfs", "image", "i", "sbom", "vm"})
_TRIVY_VALUE_OPTIONS = frozenset({"--cache-dir", "--config", "-c", "--format", "-f", "--output", "-o",
                                  "--severity", "-s", "--exit-code", "--scanners", "--timeout", "-t",
                                  "--template", "--ignorefile", "--skip-dirs", "--skip-files"})


def _trivy(argv: tuple[str, ...]) -> ToolMatch:
    words = verbs(argv, _TRIVY_VALUE_OPTIONS)
    if not words or words[0] not in _TRIVY_SCANS:
        return None
    scanners = option_value(argv, "--scanners", "--security-checks")
    if scanners is not None and "vuln" not in scanners:
        return None
    exit_code = option_value(argv, "--exit-code")
    blocking = bool(exit_code) and exit_code != "0"
    return (short(argv) + ("" if blocking else " (no --exit-code: reports only)"), blocking)


def _grype(argv: tuple[str, ...]) -> ToolMatch:
    words = verbs(argv, frozenset({"-o", "--output", "-c", "--config", "-f", "--fail-on", "--file"}))
    if words and words[0] in ("db", "version", "completion", "config", "help"):
        return None
    blocking = option_value(argv, "--fail-on", "-f") is not None
    return (short(argv) + ("" if blocking else " (no --fail-on: reports only)"), blocking)


def _snyk(argv: tuple[str, ...]) -> ToolMatch:
    words = verbs(argv, frozenset({"--org", "--file", "--severity-threshold", "--project-name"}))
    if words[:1] == ["test"] or words[:2] == ["container", "test"]:
        return (short(argv), True)
    return None


_DENY_CHECKS = frozenset({"advisories", "bans", "licenses", "license", "sources", "all"})


def _deny_checks_advisories(words: tuple[str, ...]) -> bool:
    if "check" not in words:
        return False
    after = [w for w in words[words.index("check") + 1:] if w in _DENY_CHECKS]
    return not after or "advisories" in after or "all" in after


def _cargo(argv: tuple[str, ...]) -> ToolMatch:
    words = verbs(argv, frozenset({"--manifest-path", "--config", "-c", "--target", "--format"}))
    if words[:1] == ["audit"] and words[1:2] != ["fix"]:
        return (short(argv), True)
    if words[:1] == ["deny"] and _deny_checks_advisories(tuple(words)):
        return (short(argv), True)
    return None


def _cargo_deny(argv: tuple[str, ...]) -> ToolMatch:
    return (short(argv), True) if _deny_checks_advisories(tuple(verbs(argv))) else None


def _govulncheck(argv: tuple[str, ...]) -> ToolMatch:
    fmt = option_value(argv, "-format", "--format")
    blocking = fmt in (None, "text") and "-json" not in argv
    return (short(argv) + ("" if blocking else " (machine-readable output exits 0: reports only)"), blocking)


def _bundle(argv: tuple[str, ...]) -> ToolMatch:
    words = verbs(argv)
    if words[:1] == ["audit"] and words[1:2] != ["update"]:
        return (short(argv), True)
    return None


def _bundle_audit(argv: tuple[str, ...]) -> ToolMatch:
    words = verbs(argv)
    return None if words[:1] in (["update"], ["version"], ["help"]) else (short(argv), True)


def _maven(argv: tuple[str, ...]) -> ToolMatch:
    if any(re.search(r"dependency-check(?:-maven)?(?::[\w.-]+)*:(?:check|aggregate)\b", w) for w in argv):
        return (short(argv), True)
    return None


def _gradle(argv: tuple[str, ...]) -> ToolMatch:
    if any(w.rsplit(":", 1)[-1] in ("dependencyCheckAnalyze", "dependencyCheckAggregate") for w in argv):
        return (short(argv), True)
    return None


def _dotnet(argv: tuple[str, ...]) -> ToolMatch:
    words = verbs(argv)
    listing = ("list" in words and "package" in words) or words[:2] == ["package", "list"]
    if not listing or "--vulnerable" not in argv:
        return None
    return (short(argv) + " (exits 0 even when vulnerable packages are listed)", False)


def _dependency_check_cli(argv: tuple[str, ...]) -> ToolMatch:
    if "--version" in argv or "--help" in argv or "--updateonly" in argv:
        return None
    blocking = option_value(argv, "--failOnCVSS") is not None
    return (short(argv) + ("" if blocking else " (no --failOnCVSS: reports only)"), blocking)


def _mix(argv: tuple[str, ...]) -> ToolMatch:
    words = verbs(argv)
    return (short(argv), True) if words[:1] in (["deps.audit"], ["hex.audit"]) else None



DEPENDENCY_SCAN = ToolTable(
    category="dependency-scan",
    references=(
        ref("uses", r"actions/dependency-review-action", "dependency-review-action", _dependency_review),
        ref("uses", r"pypa/gh-action-pip-audit", "pip-audit", always("pip-audit action")),
        ref("uses", r"google/osv-scanner-action(?:/osv-scanner-action)?", "osv-scanner", _osv_action),
        ref("uses", r"google/osv-scanner-action/\.github/workflows/osv-scanner-reusable(?:-pr)?\.ya?ml",
             "osv-scanner", _osv_action),
        # another repository's reusable workflow: its steps cannot be read here, its file name
        # says what it runs (sigstore/community/.github/workflows/reusable-dependency-review.yml);
        # the words in a look-ahead, so a long name is not re-scanned after every place they occur
        ref("uses", r"[\w.-]+/[\w.-]+/\.github/workflows/(?=[\w.-]*?(?:dependency[-_]?review|dependency[-_]?scan"
                     r"(?:ning)?|deps?[-_]review|vulnerability[-_]scan))[\w.-]*\.ya?ml",
             "dependency review (reusable workflow)",
             always("another repository's reusable workflow named for dependency review")),
        # ... or named for a dependency scanner (charmbracelet/meta/.github/workflows/govulncheck.yml);
        # not trivy or snyk, whose workflows as often scan configuration or code
        ref("uses", remote_workflow_named(r"govulncheck|osv[-_]?scan(?:ner)?|pip[-_]audit|npm[-_]audit|yarn[-_]audit"
                                          r"|pnpm[-_]audit|cargo[-_]audit|cargo[-_]deny|bundler?[-_]audit"
                                          r"|composer[-_]audit|dependency[-_]check|grype"),
             "dependency scanner (reusable workflow)",
             named_workflow("another repository's reusable workflow named for a dependency scanner")),
        ref("uses", r"aquasecurity/trivy-action", "trivy", _trivy_action),
        ref("uses", r"snyk/actions/[\w.-]+", "snyk", _snyk_actions),
        ref("uses", r"anchore/scan-action", "grype", _anchore),
        ref("uses", r"dependency-check/dependency-check_action", "OWASP dependency-check", _dependency_check_action),
        ref("uses", r"golang/govulncheck-action", "govulncheck", _govulncheck_action),
        ref("uses", r"(?:rustsec|actions-rs)/audit-check", "cargo audit", always("cargo audit action")),
        ref("uses", r"embarkstudios/cargo-deny-action", "cargo deny", _cargo_deny_action),
        ref("orb", r"snyk/snyk scan", "snyk", _snyk_orb),
        ref("task", r"snyksecurityscan", "snyk", _snyk_task),
        ref("task", r"dependency-check-build-task", "OWASP dependency-check", _dependency_check_task),
        ref("task", r"advancedsecurity-dependency-scanning", "GitHub Advanced Security dependency scanning",
             always("Advanced Security dependency scanning (Azure task)")),
        ref("task", r"dependencycheck", "OWASP dependency-check", always("OWASP dependency-check (Jenkins plugin)")),
        ref("task", r"snyksecurity", "snyk", always("Snyk (Jenkins plugin)")),
        ref("pipe", r"snyk/snyk-scan", "snyk", _snyk_pipe),
        # Woodpecker/Drone plugins are images (``linter.detectors.ci.drone_steps``): the Trivy
        # plugin of the Woodpecker plugin index scans the workspace's files (trivy fs)
        ref("uses", r"woodpeckerci/plugin-trivy|woodpecker-plugins/trivy", "trivy",
             always("Trivy plugin (Woodpecker CI): trivy fs")),
        ref("include", r"template:(?:(?:jobs|security)/)?dependency-scanning(?:\.latest|\.v2)?\.gitlab-ci\.yml",
             "GitLab dependency scanning", always("GitLab Dependency-Scanning template")),
        ref("include", r"template:(?:(?:jobs|security)/)?container-scanning(?:\.latest)?\.gitlab-ci\.yml",
             "GitLab container scanning", always("GitLab Container-Scanning template")),
        ref("include", r"template:auto-devops\.gitlab-ci\.yml", "GitLab dependency scanning",
             always("Auto DevOps template (includes dependency scanning)")),
        ref("include", r"component:.*/components/dependency-scanning(?:/[^@\s]*)?(?:@\S*)?",
             "GitLab dependency scanning", always("GitLab dependency-scanning component")),
        ref("include", PROJECT_INCLUDE + r"dependency-scanning(?:\.latest|\.v2)?\.gitlab-ci\.yml",
             "GitLab dependency scanning", always("Dependency-Scanning file included from another project")),
    ),
    commands=(
        CommandRule(frozenset({"pip-audit", "pip_audit"}), "pip-audit", plain),
        CommandRule(frozenset({"safety"}), "safety", _safety),
        CommandRule(frozenset({"npm"}), "npm audit", _npm),
        CommandRule(frozenset({"yarn"}), "yarn audit", _yarn),
        CommandRule(frozenset({"pnpm"}), "pnpm audit", first_verb_is("audit")),
        CommandRule(frozenset({"bun"}), "bun audit", first_verb_is("audit")),
        CommandRule(frozenset({"audit-ci", "better-npm-audit", "improved-yarn-audit"}), "npm audit", plain),
        CommandRule(frozenset({"osv-scanner"}), "osv-scanner", _osv_scanner),
        CommandRule(frozenset({"trivy"}), "trivy", _trivy),
        CommandRule(frozenset({"grype"}), "grype", _grype),
        CommandRule(frozenset({"snyk"}), "snyk", _snyk),
        CommandRule(frozenset({"cargo"}), "cargo audit", _cargo),
        CommandRule(frozenset({"cargo-audit"}), "cargo audit", plain),
        CommandRule(frozenset({"cargo-deny"}), "cargo deny", _cargo_deny),
        CommandRule(frozenset({"govulncheck"}), "govulncheck", _govulncheck),
        CommandRule(frozenset({"bundle", "bundler"}), "bundler-audit", _bundle),
        CommandRule(frozenset({"bundle-audit", "bundler-audit"}), "bundler-audit", _bundle_audit),
        CommandRule(frozenset({"mvn", "mvnw", "mvnd"}), "OWASP dependency-check", _maven),
        CommandRule(frozenset({"gradle", "gradlew"}), "OWASP dependency-check", _gradle),
        CommandRule(frozenset({"dotnet"}), "dotnet list package --vulnerable", _dotnet),
        CommandRule(frozenset({"composer"}), "composer audit", first_verb_is("audit")),
        CommandRule(frozenset({"dependency-check", "dependency-check.sh"}), "OWASP dependency-check",
                    _dependency_check_cli),
        CommandRule(frozenset({"nancy"}), "nancy", first_verb_is("sleuth")),
        CommandRule(frozenset({"mix"}), "mix deps.audit", _mix),
        # importmap-rails: `bin/importmap audit` checks the pinned JavaScript packages against
        # the npm advisory database and exits non-zero on a vulnerable pin
        CommandRule(frozenset({"importmap"}), "importmap audit", first_verb_is("audit")),
    ),
)


