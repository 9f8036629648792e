"""More step tables beside ``DEPENDENCY_SCAN``: SAST, secrets, IaC policy, cost, tests, deploys, load.

Each table has the same two shapes as the dependency-scan table (``ReferenceRule`` for
packaged actions/templates/orbs/tasks/pipes, ``CommandRule`` for programs at a command
position of a script), so ``scanner_hits(facts, TABLE)`` answers "which jobs run X" for every
CI system. Decisions written down here because rules depend on them:

* SAST: linters (eslint, even with ``eslint-plugin-security``; ruff; pylint) are not SAST;
  ``codeql-action/upload-sarif`` only uploads. CodeQL ``init`` counts (``analyze`` follows it).
* IaC policy: ``kubeconform``/``kubeval`` validate schemas only and do not count;
  ``kube-score``, ``kube-linter`` and ``polaris audit`` check security settings and do;
  ``opa eval`` is a generic evaluator and does not count, ``conftest test`` does.
* Deploys: ``docker push`` (publishing an image) is not a deployment.
* Tests: ``mvn package``/``install``/``verify`` run the test phase unless tests are skipped;
  ``gradle build`` runs ``check``.
"""

from __future__ import annotations

import re
from typing import Callable, Mapping

from linter.detectors.ci.scanners import (
    PROJECT_INCLUDE, CommandRule, ReferenceRule, ScannerTable, Verdict, _always, _arg, _option_value, _ref, _short,
    _verbs,
)

ArgvJudge = Callable[[tuple[str, ...]], Verdict]
_META = frozenset({"--version", "--help", "-h", "version", "help"})


def _is_meta(argv: tuple[str, ...]) -> bool:
    """``tool --version`` / ``tool help``: installing or probing, not running."""
    return len(argv) >= 2 and argv[1] in _META or len(argv) == 2 and argv[1] == "-V"


def _any_run(note_if: Callable[[tuple[str, ...]], str] | None = None) -> ArgvJudge:
    """Every call counts except version/help probes; ``note_if`` names a non-blocking flag."""
    def judge(argv: tuple[str, ...]) -> Verdict:
        if _is_meta(argv):
            return None
        note = note_if(argv) if note_if else ""
        return (_short(argv) + (f" ({note}: reports only)" if note else ""), not note)
    return judge


def _verb(*verbs: str, value_options: frozenset[str] = frozenset(),
          note_if: Callable[[tuple[str, ...]], str] | None = None) -> ArgvJudge:
    """First non-option word is one of ``verbs`` (``a b`` matches two words)."""
    wanted = [tuple(v.split()) for v in verbs]

    def judge(argv: tuple[str, ...]) -> Verdict:
        words = tuple(_verbs(argv, value_options)) if value_options else tuple(_verbs(argv))
        if not any(words[: len(w)] == w for w in wanted):
            return None
        note = note_if(argv) if note_if else ""
        return (_short(argv) + (f" ({note}: reports only)" if note else ""), not note)
    return judge


def _flag(*flags: str) -> Callable[[tuple[str, ...]], str]:
    return lambda argv: next((f for f in flags if f in argv or any(a.startswith(f + "=") for a in argv)), "")


def _ref_args(kinds: str, pattern: str, tool: str,
              judge: Callable[[Mapping[str, object], str], Verdict]) -> ReferenceRule:
    return _ref(kinds, pattern, tool, judge)


def _gitlab(pattern: str, tool: str, detail: str) -> tuple[ReferenceRule, ...]:
    """A GitLab template (``Jobs/`` or ``Security/``), component and cross-project include."""
    return (
        _ref("include", rf"template:(?:(?:jobs|security)/)?{pattern}(?:\.latest|\.v\d)?\.gitlab-ci\.yml", tool,
             _always(f"GitLab {detail} template")),
        _ref("include", rf"component:.*/components/{pattern}(?:/[^@\s]*)?(?:@\S*)?", tool,
             _always(f"GitLab {detail} component")),
        _ref("include", PROJECT_INCLUDE + rf"{pattern}(?:\.latest|\.v\d)?\.gitlab-ci\.yml", tool,
             _always(f"{detail} file included from another project")),
    )


# =========================================================================== SAST
def _snyk_code_action(args: Mapping[str, object], reference: str = "") -> Verdict:
    command = _arg(args, "command") or "test"
    return ("snyk code test (action)", True) if "code" in command else None


def _semgrep(argv: tuple[str, ...]) -> Verdict:
    if _is_meta(argv) or "--test" in argv:
        return None
    words = _verbs(argv, frozenset({"--config", "-c", "--output", "-o", "--sarif-output", "--json-output",
                                    "--baseline-commit", "--severity", "--exclude", "--include", "--timeout",
                                    "-j", "--jobs", "--metrics", "-f", "--lang", "-l", "-e", "--pattern"}))
    if words[:1] in (["ci"], ["scan"]) or (_option_value(argv, "--config", "-c", "-f") is not None
                                          and words[:1] not in (["login"], ["logout"], ["lsp"], ["publish"])):
        exit_zero = "--no-error" not in argv and words[:1] != ["ci"] and "--error" not in argv
        note = " (without --error findings do not fail the job)" if exit_zero and words[:1] != ["ci"] else ""
        return (_short(argv) + note, not note)
    return None


def _bandit(argv: tuple[str, ...]) -> Verdict:
    if _is_meta(argv) or argv[1:2] in (("-h",), ("--help",)):
        return None
    exit_zero = "--exit-zero" in argv
    return (_short(argv) + (" (--exit-zero: reports only)" if exit_zero else ""), not exit_zero)


def _gosec(argv: tuple[str, ...]) -> Verdict:
    if _is_meta(argv):
        return None
    lenient = any(a.startswith("-no-fail") for a in argv)
    return (_short(argv) + (" (-no-fail: reports only)" if lenient else ""), not lenient)


def _maven_sonar(argv: tuple[str, ...]) -> Verdict:
    return (_short(argv), True) if any(re.search(r"(?:^|:)sonar(?::sonar)?$", w) for w in argv[1:]
                                        if not w.startswith("-")) else None


def _gradle_sonar(argv: tuple[str, ...]) -> Verdict:
    tasks = [w.rsplit(":", 1)[-1] for w in argv[1:] if not w.startswith("-")]
    return (_short(argv), True) if any(t in ("sonar", "sonarqube") for t in tasks) else None


def _dotnet_sonar(argv: tuple[str, ...]) -> Verdict:
    words = _verbs(argv)
    return (_short(argv), True) if words[:2] in (["sonarscanner", "begin"], ["sonarscanner", "end"]) else None


SAST = ScannerTable(
    category="sast",
    references=(
        _ref("uses", r"github/codeql-action/(?:analyze|init)", "CodeQL", _always("CodeQL analysis")),
        _ref("uses", r"(?:returntocorp|semgrep)/semgrep-action", "Semgrep", _always("Semgrep action")),
        _ref("uses", r"sonarsource/(?:sonarcloud-github-action|sonarqube-scan-action)(?:/[\w.-]+)?",
             "SonarQube/SonarCloud", _always("Sonar scan action")),
        _ref("uses", r"securego/gosec", "gosec", _always("gosec action")),
        _ref("uses", r"pycqa/bandit-action|shundor/python-bandit-scan|tj-actions/bandit|mdegis/bandit-action",
             "Bandit", _always("Bandit action")),
        _ref("uses", r"snyk/actions/[\w.-]+", "Snyk Code", _snyk_code_action),
        _ref("uses", r"checkmarx/ast-github-action|checkmarx-ts/checkmarx-cxflow-github-action|checkmarx/cx-flow-action",
             "Checkmarx", _always("Checkmarx scan action")),
        _ref("uses", r"veracode/(?:veracode-uploadandscan-action|veracode-pipeline-scan-action|uploadandscan-action)",
             "Veracode", _always("Veracode scan action")),
        _ref("uses", r"bearer/bearer-action", "Bearer", _always("Bearer action")),
        _ref("uses", r"devmasx/brakeman-linter-action", "Brakeman", _always("Brakeman action")),
        _ref("orb", r"sonarsource/sonarcloud scan", "SonarQube/SonarCloud", _always("SonarCloud orb")),
        _ref("task", r"sonarqubeanalyze|sonarcloudanalyze", "SonarQube/SonarCloud", _always("Sonar analysis (Azure task)")),
        _ref("task", r"advancedsecurity-codeql-(?:analyze|init)", "CodeQL", _always("CodeQL (Azure Advanced Security task)")),
        _ref("pipe", r"sonarsource/(?:sonarcloud|sonarqube)-scan", "SonarQube/SonarCloud", _always("Sonar scan pipe")),
        *_gitlab(r"sast", "GitLab SAST", "SAST"),
        _ref("include", r"template:auto-devops\.gitlab-ci\.yml", "GitLab SAST", _always("Auto DevOps template (includes SAST)")),
    ),
    commands=(
        CommandRule(frozenset({"semgrep"}), "Semgrep", _semgrep),
        CommandRule(frozenset({"bandit"}), "Bandit", _bandit),
        CommandRule(frozenset({"gosec"}), "gosec", _gosec),
        CommandRule(frozenset({"sonar-scanner", "sonar-scanner-cli", "sonar-scanner.bat"}), "SonarQube/SonarCloud",
                    _any_run()),
        CommandRule(frozenset({"dotnet-sonarscanner"}), "SonarQube/SonarCloud", _verb("begin", "end")),
        CommandRule(frozenset({"dotnet"}), "SonarQube/SonarCloud", _dotnet_sonar),
        CommandRule(frozenset({"mvn", "mvnw", "mvnd"}), "SonarQube/SonarCloud", _maven_sonar),
        CommandRule(frozenset({"gradle", "gradlew"}), "SonarQube/SonarCloud", _gradle_sonar),
        CommandRule(frozenset({"codeql"}), "CodeQL", _verb("database analyze")),
        CommandRule(frozenset({"brakeman"}), "Brakeman", _any_run(_flag("--no-exit-on-warn"))),
        CommandRule(frozenset({"snyk"}), "Snyk Code", _verb("code test")),
        CommandRule(frozenset({"bearer"}), "Bearer", _verb("scan")),
        CommandRule(frozenset({"njsscan"}), "njsscan", _any_run()),
        CommandRule(frozenset({"horusec"}), "Horusec", _verb("start")),
        CommandRule(frozenset({"cx"}), "Checkmarx", _verb("scan create")),
    ),
)


# =========================================================================== secrets
def _trufflehog(argv: tuple[str, ...]) -> Verdict:
    words = _verbs(argv, frozenset({"--since-commit", "--branch", "--org", "--repo", "-j", "--concurrency",
                                    "--exclude-paths", "--include-paths", "--config"}))
    if _is_meta(argv) or not words or words[0] not in ("git", "github", "gitlab", "filesystem", "docker", "s3",
                                                       "gcs", "circleci", "travisci", "huggingface"):
        return None
    gates = "--fail" in argv
    return (_short(argv) + ("" if gates else " (no --fail: exits 0 on findings)"), gates)


def _gitleaks_note(argv: tuple[str, ...]) -> str:
    code = _option_value(argv, "--exit-code")
    return "--exit-code 0" if code == "0" else ""


def _git_secrets(argv: tuple[str, ...]) -> Verdict:
    words = _verbs(argv)
    scans = "--scan" in argv or "--scan-history" in argv
    return (_short(argv), True) if words[:1] == ["secrets"] and scans else None


def _git_secrets_cli(argv: tuple[str, ...]) -> Verdict:
    return (_short(argv), True) if "--scan" in argv or "--scan-history" in argv else None


SECRETS = ScannerTable(
    category="secret-scan",
    references=(
        _ref("uses", r"(?:gitleaks|zricethezav)/gitleaks-action", "gitleaks", _always("gitleaks action")),
        _ref("uses", r"trufflesecurity/trufflehog(?:/[\w.-]+)?", "trufflehog", _always("trufflehog action")),
        _ref("uses", r"gitguardian/ggshield-action|gitguardian/ggshield/actions/secret", "ggshield",
             _always("GitGuardian ggshield action")),
        _ref("uses", r"reviewdog/action-detect-secrets", "detect-secrets", _always("detect-secrets via reviewdog")),
        _ref("pipe", r"atlassian/git-secrets-scan", "git-secrets", _always("git-secrets scan pipe")),
        _ref("orb", r"gitguardian/ggshield scan", "ggshield", _always("GitGuardian orb")),
        *_gitlab(r"secret-detection", "GitLab Secret Detection", "Secret-Detection"),
        _ref("include", r"template:auto-devops\.gitlab-ci\.yml", "GitLab Secret Detection",
             _always("Auto DevOps template (includes secret detection)")),
    ),
    commands=(
        CommandRule(frozenset({"gitleaks"}), "gitleaks", _verb("detect", "protect", "git", "dir", "directory", "stdin",
                                                               note_if=_gitleaks_note)),
        CommandRule(frozenset({"trufflehog"}), "trufflehog", _trufflehog),
        CommandRule(frozenset({"detect-secrets"}), "detect-secrets", _verb("scan")),
        CommandRule(frozenset({"detect-secrets-hook"}), "detect-secrets", _any_run()),
        CommandRule(frozenset({"ggshield"}), "ggshield", _verb("secret scan", "scan")),
        CommandRule(frozenset({"git"}), "git-secrets", _git_secrets),
        CommandRule(frozenset({"git-secrets"}), "git-secrets", _git_secrets_cli),
        CommandRule(frozenset({"talisman"}), "talisman", _any_run()),
        CommandRule(frozenset({"noseyparker", "noseyparker-cli"}), "noseyparker", _verb("scan")),
    ),
)


# =========================================================================== IaC policy
def _trivy_config_action(args: Mapping[str, object], reference: str = "") -> Verdict:
    scan_type = _arg(args, "scan-type")
    scanners = _arg(args, "scanners", "security-checks")
    if scan_type == "config" or (scan_type in ("fs", "repo") and ("misconfig" in scanners or "config" in scanners)):
        return (f"trivy {scan_type} misconfiguration scan", True)
    return None


def _trivy_config(argv: tuple[str, ...]) -> Verdict:
    words = _verbs(argv, frozenset({"--cache-dir", "--config", "-c", "--format", "-f", "--output", "-o",
                                    "--severity", "-s", "--exit-code", "--scanners", "--timeout", "-t"}))
    scanners = _option_value(argv, "--scanners", "--security-checks") or ""
    if words[:1] in (["config"], ["conf"]) or (words[:1] in (["fs"], ["repo"]) and "misconfig" in scanners):
        return (_short(argv), True)
    return None


def _checkov(argv: tuple[str, ...]) -> Verdict:
    if _is_meta(argv) or "--list" in argv or "-l" in argv:
        return None
    soft = "--soft-fail" in argv
    return (_short(argv) + (" (--soft-fail: reports only)" if soft else ""), not soft)


IAC_POLICY = ScannerTable(
    category="iac-policy",
    references=(
        _ref("uses", r"bridgecrewio/checkov-action", "checkov", _always("checkov action")),
        _ref("uses", r"aquasecurity/trivy-action", "trivy config", _trivy_config_action),
        _ref("uses", r"aquasecurity/tfsec-(?:action|pr-commenter-action|sarif-action)", "tfsec", _always("tfsec action")),
        _ref("uses", r"checkmarx/kics-github-action|checkmarx/kics-action", "kics", _always("KICS action")),
        _ref("uses", r"(?:tenable|accurics)/terrascan-action", "terrascan", _always("terrascan action")),
        _ref("uses", r"snyk/actions/iac", "snyk iac", _always("snyk iac test (action)")),
        _ref("uses", r"stelligent/cfn_nag|minchao/cfn-nag-action", "cfn_nag", _always("cfn_nag action")),
        _ref("uses", r"open-policy-agent/conftest-action|instrumenta/conftest-action", "conftest",
             _always("conftest action")),
        _ref("uses", r"prowler-cloud/prowler", "prowler", _always("prowler action")),
        _ref("pipe", r"bridgecrewio/checkov|snyk/snyk-iac-scan", "checkov", _always("IaC scan pipe")),
        *_gitlab(r"sast-iac", "GitLab IaC scanning", "SAST-IaC"),
    ),
    commands=(
        CommandRule(frozenset({"checkov"}), "checkov", _checkov),
        CommandRule(frozenset({"trivy"}), "trivy config", _trivy_config),
        CommandRule(frozenset({"tfsec"}), "tfsec", _any_run(_flag("--soft-fail"))),
        CommandRule(frozenset({"kics"}), "kics", _verb("scan")),
        CommandRule(frozenset({"conftest"}), "conftest", _verb("test")),
        CommandRule(frozenset({"terrascan"}), "terrascan", _verb("scan")),
        CommandRule(frozenset({"prowler"}), "prowler", _any_run()),
        CommandRule(frozenset({"cfn_nag", "cfn_nag_scan"}), "cfn_nag", _any_run()),
        CommandRule(frozenset({"cfn-guard"}), "cfn-guard", _verb("validate")),
        CommandRule(frozenset({"snyk"}), "snyk iac", _verb("iac test")),
        CommandRule(frozenset({"kube-score"}), "kube-score", _verb("score")),
        CommandRule(frozenset({"kube-linter"}), "kube-linter", _verb("lint")),
        CommandRule(frozenset({"polaris"}), "polaris", _verb("audit")),
    ),
)


# =========================================================================== cost
COST = ScannerTable(
    category="cost",
    references=(
        _ref("uses", r"infracost/actions/comment", "Infracost", _always("Infracost comment action")),
        _ref("pipe", r"infracost/infracost-bitbucket-pipe|infracost/infracost", "Infracost", _always("Infracost pipe")),
    ),
    commands=(
        CommandRule(frozenset({"infracost"}), "Infracost", _verb("breakdown", "diff", "comment", "upload")),
    ),
)


# =========================================================================== load tests
LOAD_TESTS = ScannerTable(
    category="load-test",
    references=(
        _ref("uses", r"grafana/(?:k6-action|run-k6-action)", "k6", _always("k6 action")),
        _ref("uses", r"artilleryio/action-cli", "Artillery", _always("Artillery action")),
        _ref("uses", r"apache/jmeter-action|rbhadti94/apache-jmeter-action", "JMeter", _always("JMeter action")),
    ),
    commands=(
        CommandRule(frozenset({"k6"}), "k6", _verb("run", "cloud")),
        CommandRule(frozenset({"locust"}), "Locust", lambda argv: (_short(argv), True)
                    if "--headless" in argv or "--no-web" in argv else None),
        CommandRule(frozenset({"artillery"}), "Artillery", _verb("run", "quick", "run-fargate", "run-lambda")),
        CommandRule(frozenset({"jmeter", "jmeter.sh"}), "JMeter", lambda argv: (_short(argv), True)
                    if "-n" in argv or "--nongui" in argv else None),
        CommandRule(frozenset({"vegeta"}), "Vegeta", _verb("attack")),
        CommandRule(frozenset({"wrk", "wrk2"}), "wrk", _any_run()),
        CommandRule(frozenset({"gatling", "gatling.sh"}), "Gatling", _any_run()),
        CommandRule(frozenset({"mvn", "mvnw", "mvnd"}), "Gatling", lambda argv: (_short(argv), True)
                    if any(w.endswith("gatling:test") for w in argv) else None),
        CommandRule(frozenset({"gradle", "gradlew"}), "Gatling", lambda argv: (_short(argv), True)
                    if any(w.rsplit(":", 1)[-1] == "gatlingRun" or w.startswith("gatlingRun") for w in argv)
                    else None),
    ),
)


# =========================================================================== tests
_TEST_VERBS = ("test", "t", "tst", "cit", "install-test", "it")
_NOT_TEST_ENVS = frozenset({"lint", "format", "fmt", "docs", "doc", "typecheck", "type", "mypy", "pre-commit",
                            "build", "release", "style", "flake8", "black", "isort", "pylint", "ruff", "check-manifest"})


def _script_is_test(name: str) -> bool:
    """``test``, ``test:unit``, ``test-ci``, ``unit-test``, ``e2e:test``: a package script that tests."""
    lowered = name.lower()
    return lowered in ("test", "tests", "check", "ci:test") or bool(
        re.match(r"^(?:test|tests)(?:[:_-][\w:-]{1,40})?$|^[\w-]{1,40}[:_-]tests?$", lowered))


#: JavaScript test runners a package manager can run by name (``yarn jest``, ``pnpm vitest run``).
_JS_TEST_RUNNERS = frozenset({"jest", "vitest", "mocha", "ava", "jasmine", "tap", "uvu"})


def _node_pm(argv: tuple[str, ...]) -> Verdict:
    """``npm test``, ``npm run test:unit``, ``yarn test``, ``pnpm -r test``, ``bun test``; and
    a test runner the package manager runs from ``node_modules/.bin`` when no script has its
    name (``yarn jest``, ``yarn backstage-cli repo test``)."""
    words = _verbs(argv)
    if not words:
        return None
    if argv[0] in ("yarn", "pnpm") and (
            (words[0] in _JS_TEST_RUNNERS and words[1:2] not in (["bench"], ["init"]))
            or (words[0] == "backstage-cli" and words[1:3] in (["repo", "test"], ["package", "test"]))):
        return (_short(argv), True)
    if words[0] in _TEST_VERBS and (argv[0] != "bun" or words[0] == "test"):
        return (_short(argv), True)
    if words[0] in ("run", "run-script", "run-s") and len(words) > 1 and _script_is_test(words[1]):
        return (_short(argv), True)
    if argv[0] in ("yarn", "pnpm", "bun") and _script_is_test(words[0]):
        return (_short(argv), True)
    return None


def _tox(argv: tuple[str, ...]) -> Verdict:
    if _is_meta(argv) or "-l" in argv or "--listenvs" in argv or "-a" in argv:
        return None
    envs = _option_value(argv, "-e", "--envlist") or ""
    names = {e.strip().lower() for e in re.split(r"[,\s]", envs) if e.strip()}
    if names and names <= _NOT_TEST_ENVS:
        return None
    return (_short(argv), True)


def _maven_test(argv: tuple[str, ...]) -> Verdict:
    if any(a in ("-DskipTests", "-Dmaven.test.skip=true", "-DskipTests=true") for a in argv):
        return None
    goals = [w for w in argv[1:] if not w.startswith("-")]
    if any(g in ("test", "verify", "package", "install", "deploy", "integration-test") for g in goals):
        return (_short(argv), True)
    return None


def _gradle_test(argv: tuple[str, ...]) -> Verdict:
    excluded = {argv[i + 1] for i, a in enumerate(argv[:-1]) if a in ("-x", "--exclude-task")}
    tasks = [w.rsplit(":", 1)[-1] for w in argv[1:] if not w.startswith("-") and w not in excluded]
    if "test" in excluded:
        return None
    if any(t in ("test", "check", "build") or t.endswith("Test") or t.endswith("test") for t in tasks):
        return (_short(argv), True)
    return None


def _make_test(argv: tuple[str, ...]) -> Verdict:
    targets = [w for w in argv[1:] if not w.startswith("-") and "=" not in w]
    if any(re.match(r"^(?:test|tests|check|unit|unit-?tests?|integration-?tests?|test-[\w-]{1,40}|ci)$", t)
           or _script_is_test(t) for t in targets):  # also ci-test, go-test, test:unit
        return (_short(argv), True)
    return None


_GO_TEST_VERB = _verb("test")
_ANY_RUN = _any_run()


def _go_test(argv: tuple[str, ...]) -> Verdict:
    """``go test``, but not ``go test -c`` (compiles the test binary) or ``-list`` (names tests)."""
    if any(a in ("-c", "-list") or a.startswith(("-list=", "-c=")) for a in argv[2:]):
        return None
    return _GO_TEST_VERB(argv)


def _shell_tests(argv: tuple[str, ...]) -> Verdict:
    """A Bats or ShellSpec suite; ``bats -v`` only prints the version."""
    return None if argv[1:] == ("-v",) else _ANY_RUN(argv)


def _pytest(argv: tuple[str, ...]) -> Verdict:
    if _is_meta(argv) or "--collect-only" in argv or "--co" in argv:
        return None
    return (_short(argv), True)


def _django_test(argv: tuple[str, ...]) -> Verdict:
    """``python manage.py test`` (Django's test runner), not other management commands."""
    for index, word in enumerate(argv):
        if word.rsplit("/", 1)[-1] == "manage.py":
            rest = [a for a in argv[index + 1:] if not a.startswith("-")]
            return (_short(argv), True) if rest[:1] == ["test"] else None
    return None


TESTS = ScannerTable(
    category="tests",
    references=(
        _ref("include", r"template:(?:jobs/)?test\.gitlab-ci\.yml", "GitLab Auto DevOps test", _always("Auto DevOps Test job")),
        _ref("include", r"template:auto-devops\.gitlab-ci\.yml", "GitLab Auto DevOps test",
             _always("Auto DevOps template (includes the test job)")),
        _ref("orb", r"circleci/(?:python|node|ruby|go|php|maven|gradle|rust) (?:test|run-tests)", "orb tests",
             _always("CircleCI orb test job")),
        _ref("task", r"vstest", "VSTest", _always("VSTest (Azure task)")),
        _ref("task", r"junit|realtimejunit|xunit", "test reports", _always("test results published")),
        _ref("task", r"dotnetcorecli", "dotnet test",
             lambda args, reference="": ("dotnet test (Azure task)", True) if _arg(args, "command") == "test" else None),
        _ref("task", r"maven", "maven",
             lambda args, reference="": (f"maven {_arg(args, 'goals')} (Azure task)", True)
             if re.search(r"\b(?:test|verify|package|install)\b", _arg(args, "goals") or "package") else None),
        _ref("task", r"gradle", "gradle",
             lambda args, reference="": (f"gradle {_arg(args, 'tasks')} (Azure task)", True)
             if re.search(r"\b(?:test|check|build)\b", _arg(args, "tasks") or "build") else None),
    ),
    commands=(
        CommandRule(frozenset({"pytest", "py.test"}), "pytest", _pytest),
        CommandRule(frozenset({"unittest"}), "unittest", _any_run()),
        CommandRule(frozenset({"tox"}), "tox", _tox),
        CommandRule(frozenset({"nox"}), "nox", _tox),
        CommandRule(frozenset({"npm", "yarn", "pnpm", "bun"}), "package script tests", _node_pm),
        CommandRule(frozenset({"jest", "vitest", "mocha", "ava", "jasmine", "tap", "uvu"}), "JavaScript tests",
                    lambda argv: None if _is_meta(argv) or argv[1:2] in (("bench",), ("init",)) else (_short(argv), True)),
        CommandRule(frozenset({"karma"}), "karma", _verb("start", "run")),
        CommandRule(frozenset({"playwright"}), "Playwright", _verb("test")),
        CommandRule(frozenset({"cypress"}), "Cypress", _verb("run")),
        CommandRule(frozenset({"go"}), "go test", _go_test),
        CommandRule(frozenset({"gotestsum"}), "go test", _any_run()),
        CommandRule(frozenset({"cargo"}), "cargo test", _verb("test", "nextest run", "tarpaulin", "llvm-cov")),
        CommandRule(frozenset({"cargo-nextest"}), "cargo test", _verb("run")),
        CommandRule(frozenset({"mvn", "mvnw", "mvnd"}), "maven", _maven_test),
        CommandRule(frozenset({"gradle", "gradlew"}), "gradle", _gradle_test),
        CommandRule(frozenset({"dotnet"}), "dotnet test", _verb("test", "vstest")),
        CommandRule(frozenset({"rspec", "minitest", "cucumber"}), "Ruby tests", _any_run()),
        CommandRule(frozenset({"rake", "rails", "bin/rails"}), "Ruby tests", _verb("test", "spec", "test:all")),
        CommandRule(frozenset({"phpunit", "pest", "paratest", "codecept"}), "PHP tests", _any_run()),
        CommandRule(frozenset({"composer"}), "PHP tests", _verb("test", "run-script test")),
        CommandRule(frozenset({"make", "gmake", "just", "task"}), "make test", _make_test),
        # the repository's own test runner script: ./scripts/run_tests.sh, ci/test.sh, bin/unit-tests
        CommandRule(frozenset(), "test script", lambda argv: (_short(argv), True), script=re.compile(
            r"(?:run[_-]?|ci[_-]?|start[_-]?)?(?:(?:unit|integration|e2e|acceptance|all|go|py)[_-]?)?tests?"
            r"(?:[_-](?:unit|all|ci|integration|e2e|acceptance|start|run|local))?(?:\.(?:sh|bash|py|ps1|cmd|bat))?",
            re.IGNORECASE)),
        CommandRule(frozenset({"ctest"}), "ctest", _any_run()),
        CommandRule(frozenset({"bazel", "bazelisk"}), "bazel test", _verb("test", "coverage")),
        CommandRule(frozenset({"swift"}), "swift test", _verb("test")),
        CommandRule(frozenset({"skaffold"}), "skaffold test", _verb("test")),  # the tests skaffold.yaml declares
        CommandRule(frozenset({"manage.py"}), "Django tests", _django_test, script=re.compile(r"manage\.py")),
        # Terraform's own test framework (*.tftest.hcl); validate and plan are not tests
        CommandRule(frozenset({"terraform", "tofu"}), "terraform test", _verb("test")),
        CommandRule(frozenset({"xcodebuild"}), "xcodebuild test", lambda argv: (_short(argv), True)
                    if "test" in argv[1:] else None),
        CommandRule(frozenset({"mix"}), "mix test", _verb("test")),
        CommandRule(frozenset({"flutter", "dart", "deno"}), "Dart/Deno tests", _verb("test")),
        CommandRule(frozenset({"sbt", "lein", "stack", "cabal"}), "build tool tests", _verb("test")),
        CommandRule(frozenset({"nx"}), "nx test", lambda argv: (_short(argv), True)
                    if "test" in argv[1:] or any(a in ("-t=test", "--target=test") for a in argv)
                    or _option_value(argv, "-t", "--target", "--targets") == "test" else None),
        CommandRule(frozenset({"turbo"}), "turbo test", lambda argv: (_short(argv), True)
                    if any(_script_is_test(w) for w in _verbs(argv)[:3] if w != "run") else None),
        CommandRule(frozenset({"hatch"}), "hatch test", _verb("test")),
        # shell test suites (Bats, ShellSpec), and Helm chart tests: unit tests of the templates
        # (helm-unittest), a release's test hooks, chart-testing's install-and-test
        CommandRule(frozenset({"bats", "shellspec"}), "shell tests", _shell_tests),
        CommandRule(frozenset({"helm"}), "Helm chart tests", _verb("unittest", "test")),
        CommandRule(frozenset({"ct"}), "chart-testing", _verb("install", "lint-and-install")),
        # Backstage's CLI runs Jest over the repository or one package
        CommandRule(frozenset({"backstage-cli"}), "Backstage CLI tests", _verb("repo test", "package test")),
    ),
)


# =========================================================================== deploys
def _with_command(field_name: str, *commands: str, default: str = "") -> Callable[[Mapping[str, object], str], Verdict]:
    def judge(args: Mapping[str, object], reference: str = "") -> Verdict:
        value = _arg(args, field_name) or default
        return (f"{reference} {value}".strip(), True) if any(c in value.split() for c in commands) else None
    return judge


def _kubectl(argv: tuple[str, ...]) -> Verdict:
    if "--dry-run" in argv or any(a.startswith("--dry-run=") and a != "--dry-run=none" for a in argv):
        return None
    words = _verbs(argv, frozenset({"-n", "--namespace", "-f", "--filename", "-k", "--kustomize", "--context",
                                    "-l", "--selector", "-o", "--output", "--kubeconfig", "--timeout"}))
    if words[:1] in (["apply"], ["replace"]) or words[:2] in (["set", "image"], ["rollout", "restart"]) \
            or (words[:1] == ["create"] and _option_value(argv, "-f", "--filename") is not None):
        return (_short(argv), True)
    return None


def _helm(argv: tuple[str, ...]) -> Verdict:
    if "--dry-run" in argv or any(a.startswith("--dry-run") for a in argv):
        return None
    words = _verbs(argv, frozenset({"-n", "--namespace", "-f", "--values", "--set", "--version", "--kube-context",
                                    "--timeout", "--repo", "--set-string", "--set-file"}))
    return (_short(argv), True) if words[:1] in (["upgrade"], ["install"]) else None


def _terraform(argv: tuple[str, ...]) -> Verdict:
    words = [w for w in _verbs(argv) if not w.startswith("-chdir")]
    if words[:1] == ["apply"] or words[:2] in (["run-all", "apply"], ["apply-all"]):
        return (_short(argv), True)
    return None


def _gcloud(argv: tuple[str, ...]) -> Verdict:
    words = _verbs(argv, frozenset({"--project", "--region", "--image", "--source", "--platform", "--zone"}))
    return (_short(argv), True) if "deploy" in words[:4] or words[:3] == ["run", "services", "update"] else None


def _aws(argv: tuple[str, ...]) -> Verdict:
    words = _verbs(argv, frozenset({"--region", "--profile", "--cluster", "--service", "--stack-name",
                                    "--function-name", "--template-file", "--s3-bucket", "--output"}))
    deploys = (["ecs", "update-service"], ["cloudformation", "deploy"], ["cloudformation", "update-stack"],
               ["lambda", "update-function-code"], ["deploy", "create-deployment"],
               ["apprunner", "start-deployment"], ["elasticbeanstalk", "update-environment"])
    return (_short(argv), True) if words[:2] in [list(d) for d in deploys] else None


def _az(argv: tuple[str, ...]) -> Verdict:
    words = _verbs(argv, frozenset({"-g", "--resource-group", "-n", "--name", "--src-path", "--image",
                                    "--template-file", "-f", "--slot"}))
    if words[:2] in (["webapp", "deploy"], ["containerapp", "update"], ["functionapp", "deploy"],
                     ["staticwebapp", "deploy"]) or words[:3] in (["webapp", "deployment", "source"],
                                                                  ["deployment", "group", "create"],
                                                                  ["functionapp", "deployment", "source"]):
        return (_short(argv), True)
    return None


def _vercel(argv: tuple[str, ...]) -> Verdict:
    return (_short(argv), True) if "--prod" in argv or "--production" in argv else None


def _netlify(argv: tuple[str, ...]) -> Verdict:
    words = _verbs(argv)
    return (_short(argv), True) if words[:1] == ["deploy"] and ("--prod" in argv or "--prodIfUnlocked" in argv) else None


DEPLOYS = ScannerTable(
    category="deploy",
    references=(
        _ref("uses", r"aws-actions/(?:amazon-ecs-deploy-task-definition|aws-cloudformation-github-deploy|"
                     r"amazon-ecs-deploy-express-service)", "AWS deploy action", _always("AWS deploy action")),
        _ref("uses", r"azure/(?:webapps-deploy|functions-action|k8s-deploy|arm-deploy|container-apps-deploy-action|"
                     r"static-web-apps-deploy|aci-deploy)", "Azure deploy action", _always("Azure deploy action")),
        _ref("uses", r"google-github-actions/(?:deploy-cloudrun|deploy-appengine|deploy-cloud-functions|deploy-gke)",
             "Google Cloud deploy action", _always("Google Cloud deploy action")),
        _ref("uses", r"actions/deploy-pages|peaceiris/actions-gh-pages|jamesives/github-pages-deploy-action",
             "GitHub Pages", _always("publishes to GitHub Pages")),
        _ref("uses", r"amondnet/vercel-action", "Vercel", _always("Vercel deploy action")),
        _ref("uses", r"cloudflare/wrangler-action|cloudflare/pages-action", "Cloudflare", _always("Cloudflare deploy action")),
        _ref("uses", r"akhileshns/heroku-deploy", "Heroku", _always("Heroku deploy action")),
        _ref("uses", r"serverless/github-action", "Serverless", _with_command("args", "deploy")),
        _ref("uses", r"superfly/flyctl-actions(?:/[\w.-]+)?", "Fly.io", _with_command("args", "deploy")),
        _ref("uses", r"pulumi/actions", "Pulumi", _with_command("command", "up", "update")),
        _ref("uses", r"hashicorp/tfc-workflows-github/actions/apply-run", "Terraform Cloud", _always("Terraform Cloud apply")),
        _ref("uses", r"dflook/terraform-apply", "terraform apply", _always("terraform apply action")),
        _ref("task", r"azurewebapp|azurermwebappdeployment|azurefunctionapp|kubernetesmanifest|helmdeploy|"
                     r"azureresourcemanagertemplatedeployment|azurecontainerapps|kubernetes",
             "Azure deploy task", _always("deploy task (Azure Pipelines)")),
        _ref("pipe", r"atlassian/(?:aws-ecs-deploy|aws-elasticbeanstalk-deploy|aws-lambda-deploy|aws-code-deploy|"
                     r"azure-web-apps-deploy|google-cloud-run-deploy|google-app-engine-deploy|heroku-deploy|"
                     r"aws-cloudformation-deploy|aws-sam-deploy|azure-aks-deploy|google-gke-kubectl-run|"
                     r"kubectl-run|firebase-deploy|aws-s3-deploy|ssh-run)",
             "Bitbucket deploy pipe", _always("deploy pipe")),
        _ref("orb", r"circleci/(?:aws-ecs|aws-ecr|kubernetes|helm|gcp-cloud-run|heroku|aws-cli|azure-cli|serverless-framework) "
                    r"(?:deploy[\w-]*|update-service|install-helm-chart|upgrade-helm-chart|deploy-service-update|"
                    r"create-or-update-resource|push-image-and-deploy)",
             "CircleCI deploy orb", _always("deploy orb command")),
        _ref("include", r"template:(?:jobs/)?deploy(?:\.latest)?\.gitlab-ci\.yml", "GitLab Auto Deploy",
             _always("Auto DevOps Deploy job")),
    ),
    commands=(
        CommandRule(frozenset({"kubectl", "oc"}), "kubectl", _kubectl),
        CommandRule(frozenset({"helm"}), "helm", _helm),
        CommandRule(frozenset({"helmfile"}), "helmfile", _verb("apply", "sync")),
        CommandRule(frozenset({"terraform", "tofu", "terragrunt"}), "terraform apply", _terraform),
        CommandRule(frozenset({"pulumi"}), "pulumi up", _verb("up", "update")),
        CommandRule(frozenset({"serverless", "sls", "sst"}), "serverless deploy", _verb("deploy")),
        CommandRule(frozenset({"sam"}), "sam deploy", _verb("deploy", "sync")),
        CommandRule(frozenset({"cdk", "cdktf"}), "cdk deploy", _verb("deploy")),
        CommandRule(frozenset({"flyctl", "fly"}), "flyctl deploy", _verb("deploy")),
        CommandRule(frozenset({"vercel"}), "vercel --prod", _vercel),
        CommandRule(frozenset({"netlify"}), "netlify deploy --prod", _netlify),
        CommandRule(frozenset({"gcloud"}), "gcloud deploy", _gcloud),
        CommandRule(frozenset({"aws"}), "aws deploy", _aws),
        CommandRule(frozenset({"az"}), "az deploy", _az),
        # Azure Developer CLI: provision (infrastructure), deploy (code) or both (up)
        CommandRule(frozenset({"azd"}), "azd deploy", _verb("deploy", "up", "provision")),
        CommandRule(frozenset({"eb", "copilot", "kamal", "firebase", "wrangler", "railway", "cap", "dpl", "fastapi"}),
                    "platform deploy", _verb("deploy", "up", "publish", "svc deploy", "production deploy",
                                             "staging deploy")),
        CommandRule(frozenset({"argocd"}), "argocd app sync", _verb("app sync")),
        CommandRule(frozenset({"skaffold"}), "skaffold", _verb("run", "deploy")),
        CommandRule(frozenset({"gh-pages"}), "gh-pages", _any_run()),
        CommandRule(frozenset({"docker"}), "docker stack deploy", _verb("stack deploy")),
        CommandRule(frozenset({"heroku"}), "heroku", _verb("container:release", "releases:promote")),
    ),
)

# =========================================================================== pre-commit in CI
PRE_COMMIT_RUN = ScannerTable(
    category="pre-commit",
    references=(_ref("uses", r"pre-commit/action|pre-commit-ci/lite-action", "pre-commit", _always("pre-commit action")),),
    commands=(CommandRule(frozenset({"pre-commit", "prek"}), "pre-commit", _verb("run")),),
)

__all__ = ["PRE_COMMIT_RUN", "COST", "DEPLOYS", "IAC_POLICY", "LOAD_TESTS", "SAST", "SECRETS", "TESTS"]
