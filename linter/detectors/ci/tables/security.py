"""Static analysis (SEC003), secret scanners (SEC004) and IaC policy scanners (SEC005).

Decisions written down here because rules depend on them:

* SAST: linters (eslint, even with ``eslint-plugin-security``; ruff; pylint) are not SAST;
  ``codeql-action/upload-sarif`` only uploads. CodeQL ``init`` counts (``analyze`` follows it).
* IaC policy: ``kubeconform``/``kubeval`` validate schemas only and do not count;
  ``kube-score``, ``kube-linter`` and ``polaris audit`` check security settings and do;
  ``opa eval`` is a generic evaluator and does not count, ``conftest test`` does.
"""

from __future__ import annotations

import re
from typing import Callable, Mapping

from linter.detectors.ci.model import text_of
from linter.detectors.ci.tables.shapes import (
    CommandRule, ToolTable, ToolMatch, gitlab_includes, named_workflow, ref, remote_workflow_named,
)
from linter.detectors.ci.tables.words import always, any_run, arg, flag, is_meta, option_value, short, verb, verbs


# --------------------------------------------------------------------------- SAST
def _snyk_code_action(args: Mapping[str, object], reference: str = "") -> ToolMatch:
    command = arg(args, "command") or "test"
    return ("snyk code test (action)", True) if "code" in command else None


def _semgrep(argv: tuple[str, ...]) -> ToolMatch:
    if is_meta(argv) or "--test" in argv:
        return None
    words = verbs(argv, frozenset({"--config", "-c", "--output", "-o", "--sarif-output", "--json-output",
                                    "--baseline-commit", "--severity", "--exclude", "--include", "--timeout",
                                    "-j", "--jobs", "--metrics", "-f", "--lang", "-l", "-e", "--pattern"}))
    if words[:1] in (["ci"], ["scan"]) or (option_value(argv, "--config", "-c", "-f") is not None
                                          and words[:1] not in (["login"], ["logout"], ["lsp"], ["publish"])):
        exit_zero = "--no-error" not in argv and words[:1] != ["ci"] and "--error" not in argv
        note = " (without --error findings do not fail the job)" if exit_zero and words[:1] != ["ci"] else ""
        return (short(argv) + note, not note)
    return None


def _bandit(argv: tuple[str, ...]) -> ToolMatch:
    if is_meta(argv) or argv[1:2] in (("-h",), ("--help",)):
        return None
    exit_zero = "--exit-zero" in argv
    return (short(argv) + (" (--exit-zero: reports only)" if exit_zero else ""), not exit_zero)


def _gosec(argv: tuple[str, ...]) -> ToolMatch:
    if is_meta(argv):
        return None
    lenient = any(a.startswith("-no-fail") for a in argv)
    return (short(argv) + (" (-no-fail: reports only)" if lenient else ""), not lenient)


#: golangci-lint options that take a value (``--enable gosec``, ``-c path``).
_GOLANGCI_VALUES = frozenset({"-E", "--enable", "-D", "--disable", "-c", "--config", "--timeout", "--out-format",
                              "--output.text.path", "-p", "--presets", "--new-from-rev", "--build-tags", "-j",
                              "--concurrency", "--path-prefix", "--enable-only"})


def golangci_gosec(words: tuple[str, ...]) -> str:
    """What golangci-lint's command-line options say of gosec: ``on`` (``-E gosec``,
    ``--enable-only gosec``, ``--enable-all``, ``-p bugs``), ``off`` (``-D gosec``, ``--enable-only``
    without it, ``--disable-all`` alone, ``--no-config`` leaving the default set), or ``config``
    (the configuration file decides: ``linter.detectors.golangci``)."""
    def values(*names: str) -> set[str]:
        found: set[str] = set()
        for index, word in enumerate(words):
            for name in names:
                if word == name and index + 1 < len(words):
                    found.update(v.strip().lower() for v in words[index + 1].split(","))
                elif word.startswith(name + "="):
                    found.update(v.strip().lower() for v in word[len(name) + 1:].split(","))
        return found

    only = values("--enable-only")
    if only:
        return "on" if "gosec" in only else "off"
    if "gosec" in values("-D", "--disable"):
        return "off"
    if "gosec" in values("-E", "--enable") or "--enable-all" in words or "bugs" in values("-p", "--presets"):
        return "on"
    if "--disable-all" in words or "--no-config" in words:
        return "off"
    return "config"


def golangci_config(words: tuple[str, ...]) -> str | None:
    """The configuration file golangci-lint's options name (``-c path``, ``--config=path``; the
    last one given wins), or ``None``."""
    found = None
    for index, word in enumerate(words):
        if word in ("-c", "--config") and index + 1 < len(words):
            found = words[index + 1]
        elif word.startswith("--config="):
            found = word[len("--config="):]
    return found or None


def _golangci_with(state: str) -> Callable[[tuple[str, ...]], ToolMatch]:
    """A judge for ``golangci-lint run`` whose options leave gosec ``state`` (``golangci_gosec``)."""
    def judge(argv: tuple[str, ...]) -> ToolMatch:
        if is_meta(argv) or verbs(argv, _GOLANGCI_VALUES)[:1] != ["run"] or golangci_gosec(argv[1:]) != state:
            return None
        return (short(argv), True)
    return judge


def _golangci_action_with(state: str) -> Callable[[Mapping[str, object], str], ToolMatch]:
    """A judge for ``golangci/golangci-lint-action`` whose ``args`` input leaves gosec ``state``."""
    def judge(args: Mapping[str, object], reference: str = "") -> ToolMatch:
        if text_of(args.get("install-only")).strip().lower() == "true":
            return None  # the action only installs golangci-lint; a later command may run it
        words = tuple(text_of(args.get("args")).split())
        if golangci_gosec(words) != state:
            return None
        return ("golangci-lint action" + (f" ({short(words, 60)})" if words else ""), True)
    return judge


def _maven_sonar(argv: tuple[str, ...]) -> ToolMatch:
    return (short(argv), True) if any(re.search(r"(?:^|:)sonar(?::sonar)?$", w) for w in argv[1:]
                                        if not w.startswith("-")) else None


def _gradle_sonar(argv: tuple[str, ...]) -> ToolMatch:
    tasks = [w.rsplit(":", 1)[-1] for w in argv[1:] if not w.startswith("-")]
    return (short(argv), True) if any(t in ("sonar", "sonarqube") for t in tasks) else None


def _dotnet_sonar(argv: tuple[str, ...]) -> ToolMatch:
    words = verbs(argv)
    return (short(argv), True) if words[:2] in (["sonarscanner", "begin"], ["sonarscanner", "end"]) else None


def _sobelow_reports_only(argv: tuple[str, ...]) -> str:
    fails = any(a in ("--exit", "--config") or a.startswith("--exit=") for a in argv)
    return "" if fails else "no --exit or --config"


SAST = ToolTable(
    category="sast",
    references=(
        ref("uses", r"github/codeql-action/(?:analyze|init)", "CodeQL", always("CodeQL analysis")),
        ref("uses", r"(?:returntocorp|semgrep)/semgrep-action", "Semgrep", always("Semgrep action")),
        # another repository's reusable workflow named for a SAST tool (an organisation's shared
        # codeql.yml or semgrep.yml): its steps cannot be read here, its file name says what it runs
        ref("uses", remote_workflow_named(r"codeql|semgrep|gosec|bandit|brakeman|sonarcloud|sonarqube"),
             "SAST (reusable workflow)", named_workflow("another repository's reusable workflow named for a SAST tool")),
        ref("uses", r"sonarsource/(?:sonarcloud-github-action|sonarqube-scan-action)(?:/[\w.-]+)?",
             "SonarQube/SonarCloud", always("Sonar scan action")),
        ref("uses", r"securego/gosec", "gosec", always("gosec action")),
        ref("uses", r"pycqa/bandit-action|shundor/python-bandit-scan|tj-actions/bandit|mdegis/bandit-action",
             "Bandit", always("Bandit action")),
        ref("uses", r"snyk/actions/[\w.-]+", "Snyk Code", _snyk_code_action),
        ref("uses", r"checkmarx/ast-github-action|checkmarx-ts/checkmarx-cxflow-github-action|checkmarx/cx-flow-action",
             "Checkmarx", always("Checkmarx scan action")),
        ref("uses", r"veracode/(?:veracode-uploadandscan-action|veracode-pipeline-scan-action|uploadandscan-action)",
             "Veracode", always("Veracode scan action")),
        ref("uses", r"bearer/bearer-action", "Bearer", always("Bearer action")),
        ref("uses", r"devmasx/brakeman-linter-action", "Brakeman", always("Brakeman action")),
        ref("orb", r"sonarsource/sonarcloud scan", "SonarQube/SonarCloud", always("SonarCloud orb")),
        ref("task", r"sonarqubeanalyze|sonarcloudanalyze", "SonarQube/SonarCloud", always("Sonar analysis (Azure task)")),
        ref("task", r"advancedsecurity-codeql-(?:analyze|init)", "CodeQL", always("CodeQL (Azure Advanced Security task)")),
        ref("uses", r"golangci/golangci-lint-action", "gosec (golangci-lint)", _golangci_action_with("on")),
        ref("pipe", r"sonarsource/(?:sonarcloud|sonarqube)-scan", "SonarQube/SonarCloud", always("Sonar scan pipe")),
        ref("uses", r"aosapps/drone-sonar-plugin", "SonarQube/SonarCloud", always("SonarQube plugin (Drone/Woodpecker)")),
        *gitlab_includes(r"sast", "GitLab SAST", "SAST"),
        ref("include", r"template:auto-devops\.gitlab-ci\.yml", "GitLab SAST", always("Auto DevOps template (includes SAST)")),
    ),
    commands=(
        CommandRule(frozenset({"semgrep"}), "Semgrep", _semgrep),
        CommandRule(frozenset({"bandit"}), "Bandit", _bandit),
        CommandRule(frozenset({"gosec"}), "gosec", _gosec),
        CommandRule(frozenset({"golangci-lint"}), "gosec (golangci-lint)", _golangci_with("on")),
        CommandRule(frozenset({"sonar-scanner", "sonar-scanner-cli", "sonar-scanner.bat"}), "SonarQube/SonarCloud",
                    any_run()),
        CommandRule(frozenset({"dotnet-sonarscanner"}), "SonarQube/SonarCloud", verb("begin", "end")),
        CommandRule(frozenset({"dotnet"}), "SonarQube/SonarCloud", _dotnet_sonar),
        CommandRule(frozenset({"mvn", "mvnw", "mvnd"}), "SonarQube/SonarCloud", _maven_sonar),
        CommandRule(frozenset({"gradle", "gradlew"}), "SonarQube/SonarCloud", _gradle_sonar),
        CommandRule(frozenset({"codeql"}), "CodeQL", verb("database analyze")),
        CommandRule(frozenset({"brakeman"}), "Brakeman", any_run(flag("--no-exit-on-warn"))),
        # Sobelow, the security analyser for Phoenix (as Brakeman is for Rails), runs as a mix
        # task; it exits 0 on findings unless told to fail (`--exit`, or `exit:` in the
        # `.sobelow-conf` that `--config` reads)
        CommandRule(frozenset({"mix"}), "Sobelow", verb("sobelow", note_if=_sobelow_reports_only)),
        CommandRule(frozenset({"snyk"}), "Snyk Code", verb("code test")),
        CommandRule(frozenset({"bearer"}), "Bearer", verb("scan")),
        CommandRule(frozenset({"njsscan"}), "njsscan", any_run()),
        CommandRule(frozenset({"horusec"}), "Horusec", verb("start")),
        CommandRule(frozenset({"cx"}), "Checkmarx", verb("scan create")),
    ),
)


#: golangci-lint runs whose command line leaves gosec to the configuration file: SEC003 counts
#: them when that file enables gosec (``linter.detectors.golangci``).
GOLANGCI_BY_CONFIG = ToolTable(
    category="go-lint",
    references=(ref("uses", r"golangci/golangci-lint-action", "golangci-lint", _golangci_action_with("config")),),
    commands=(CommandRule(frozenset({"golangci-lint"}), "golangci-lint", _golangci_with("config")),),
)


# --------------------------------------------------------------------------- secrets
def _trufflehog(argv: tuple[str, ...]) -> ToolMatch:
    words = verbs(argv, frozenset({"--since-commit", "--branch", "--org", "--repo", "-j", "--concurrency",
                                    "--exclude-paths", "--include-paths", "--config"}))
    if is_meta(argv) or not words or words[0] not in ("git", "github", "gitlab", "filesystem", "docker", "s3",
                                                       "gcs", "circleci", "travisci", "huggingface"):
        return None
    gates = "--fail" in argv
    return (short(argv) + ("" if gates else " (no --fail: exits 0 on findings)"), gates)


def _gitleaks_note(argv: tuple[str, ...]) -> str:
    code = option_value(argv, "--exit-code")
    return "--exit-code 0" if code == "0" else ""


def _git_secrets(argv: tuple[str, ...]) -> ToolMatch:
    words = verbs(argv)
    scans = "--scan" in argv or "--scan-history" in argv
    return (short(argv), True) if words[:1] == ["secrets"] and scans else None


def _git_secrets_cli(argv: tuple[str, ...]) -> ToolMatch:
    return (short(argv), True) if "--scan" in argv or "--scan-history" in argv else None


SECRETS = ToolTable(
    category="secret-scan",
    references=(
        ref("uses", r"(?:gitleaks|zricethezav)/gitleaks-action", "gitleaks", always("gitleaks action")),
        ref("uses", r"trufflesecurity/trufflehog(?:/[\w.-]+)?", "trufflehog", always("trufflehog action")),
        ref("uses", r"gitguardian/ggshield-action|gitguardian/ggshield/actions/secret", "ggshield",
             always("GitGuardian ggshield action")),
        ref("uses", r"reviewdog/action-detect-secrets", "detect-secrets", always("detect-secrets via reviewdog")),
        ref("pipe", r"atlassian/git-secrets-scan", "git-secrets", always("git-secrets scan pipe")),
        ref("orb", r"gitguardian/ggshield scan", "ggshield", always("GitGuardian orb")),
        *gitlab_includes(r"secret-detection", "GitLab Secret Detection", "Secret-Detection"),
        ref("include", r"template:auto-devops\.gitlab-ci\.yml", "GitLab Secret Detection",
             always("Auto DevOps template (includes secret detection)")),
    ),
    commands=(
        CommandRule(frozenset({"gitleaks"}), "gitleaks", verb("detect", "protect", "git", "dir", "directory", "stdin",
                                                               note_if=_gitleaks_note)),
        CommandRule(frozenset({"trufflehog"}), "trufflehog", _trufflehog),
        CommandRule(frozenset({"detect-secrets"}), "detect-secrets", verb("scan")),
        CommandRule(frozenset({"detect-secrets-hook"}), "detect-secrets", any_run()),
        CommandRule(frozenset({"ggshield"}), "ggshield", verb("secret scan", "scan")),
        CommandRule(frozenset({"git"}), "git-secrets", _git_secrets),
        CommandRule(frozenset({"git-secrets"}), "git-secrets", _git_secrets_cli),
        CommandRule(frozenset({"talisman"}), "talisman", any_run()),
        CommandRule(frozenset({"noseyparker", "noseyparker-cli"}), "noseyparker", verb("scan")),
    ),
)


# --------------------------------------------------------------------------- IaC policy
def _trivy_config_action(args: Mapping[str, object], reference: str = "") -> ToolMatch:
    scan_type = arg(args, "scan-type")
    scanners = arg(args, "scanners", "security-checks")
    if scan_type == "config" or (scan_type in ("fs", "repo") and ("misconfig" in scanners or "config" in scanners)):
        return (f"trivy {scan_type} misconfiguration scan", True)
    return None


def _trivy_config(argv: tuple[str, ...]) -> ToolMatch:
    words = verbs(argv, frozenset({"--cache-dir", "--config", "-c", "--format", "-f", "--output", "-o",
                                    "--severity", "-s", "--exit-code", "--scanners", "--timeout", "-t"}))
    scanners = option_value(argv, "--scanners", "--security-checks") or ""
    if words[:1] in (["config"], ["conf"]) or (words[:1] in (["fs"], ["repo"]) and "misconfig" in scanners):
        return (short(argv), True)
    return None


def _checkov(argv: tuple[str, ...]) -> ToolMatch:
    if is_meta(argv) or "--list" in argv or "-l" in argv:
        return None
    soft = "--soft-fail" in argv
    return (short(argv) + (" (--soft-fail: reports only)" if soft else ""), not soft)


IAC_POLICY = ToolTable(
    category="iac-policy",
    references=(
        ref("uses", r"bridgecrewio/checkov-action", "checkov", always("checkov action")),
        ref("uses", r"aquasecurity/trivy-action", "trivy config", _trivy_config_action),
        ref("uses", r"aquasecurity/tfsec-(?:action|pr-commenter-action|sarif-action)", "tfsec", always("tfsec action")),
        ref("uses", r"checkmarx/kics-github-action|checkmarx/kics-action", "kics", always("KICS action")),
        ref("uses", r"(?:tenable|accurics)/terrascan-action", "terrascan", always("terrascan action")),
        ref("uses", r"snyk/actions/iac", "snyk iac", always("snyk iac test (action)")),
        ref("uses", r"stelligent/cfn_nag|minchao/cfn-nag-action", "cfn_nag", always("cfn_nag action")),
        ref("uses", r"open-policy-agent/conftest-action|instrumenta/conftest-action", "conftest",
             always("conftest action")),
        ref("uses", r"prowler-cloud/prowler", "prowler", always("prowler action")),
        ref("pipe", r"bridgecrewio/checkov|snyk/snyk-iac-scan", "checkov", always("IaC scan pipe")),
        *gitlab_includes(r"sast-iac", "GitLab IaC scanning", "SAST-IaC"),
    ),
    commands=(
        CommandRule(frozenset({"checkov"}), "checkov", _checkov),
        CommandRule(frozenset({"trivy"}), "trivy config", _trivy_config),
        CommandRule(frozenset({"tfsec"}), "tfsec", any_run(flag("--soft-fail"))),
        CommandRule(frozenset({"kics"}), "kics", verb("scan")),
        CommandRule(frozenset({"conftest"}), "conftest", verb("test")),
        CommandRule(frozenset({"terrascan"}), "terrascan", verb("scan")),
        CommandRule(frozenset({"prowler"}), "prowler", any_run()),
        CommandRule(frozenset({"cfn_nag", "cfn_nag_scan"}), "cfn_nag", any_run()),
        CommandRule(frozenset({"cfn-guard"}), "cfn-guard", verb("validate")),
        CommandRule(frozenset({"snyk"}), "snyk iac", verb("iac test")),
        CommandRule(frozenset({"kube-score"}), "kube-score", verb("score")),
        CommandRule(frozenset({"kube-linter"}), "kube-linter", verb("lint")),
        CommandRule(frozenset({"polaris"}), "polaris", verb("audit")),
    ),
)

