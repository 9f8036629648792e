"""The maintained table of well-known steps (see ``linter.detectors.ci.known``): for each, the
commands it is documented to run, given its inputs, and where that was learned.

A line ``uses: <reference>`` stands for a packaged step the known step runs (a reusable
workflow's CodeQL action), so the tables judge it as a reference. Sources are the steps' own
public files and documentation, named in each entry.
"""

from __future__ import annotations

import re
import shlex
from typing import Mapping

from linter.detectors.ci.known import KnownStep, Runs
from linter.detectors.ci.model import text_of


def _arg(args: Mapping[str, object], name: str, default: str = "") -> str:
    lowered = {str(k).lower(): v for k, v in args.items()}
    value = lowered.get(name.lower())
    return text_of(value).strip() if value is not None else default


def _off(value: str) -> bool:
    return value.strip().lower() in ("false", "0", "no", "off")


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def _in(args: Mapping[str, object], folder_input: str, command: str) -> str:
    """``command`` run in the folder an input names (``cd DIR && command``)."""
    folder = _arg(args, folder_input)
    return f"cd {shlex.quote(folder)} && {command}" if folder and "$" not in folder else command


def _entry(kinds: str, pattern: str, source: str, runs: Runs) -> KnownStep:
    return KnownStep(frozenset(kinds.split()), re.compile(pattern), runs, source)


# --------------------------------------------------------------------------- Zuul: standard jobs
def _zuul_tox(args: Mapping[str, object]) -> list[str]:
    """zuul-jobs' ``tox`` job runs ``tox -e <tox_envlist>`` (default ``venv``); ``tox-<env>`` and
    openstack-zuul-jobs' ``openstack-tox-<env>`` set the envlist from their names
    (``openstack-tox-py3`` -> ``py3``, ``openstack-tox-functional-py311`` -> ``functional-py311``)."""
    envlist = _arg(args, "tox_envlist")
    if not envlist:
        name = _arg(args, "zuul_job").removeprefix("openstack-")
        envlist = name.removeprefix("tox-") if name.startswith("tox-") else "venv"
    if not re.fullmatch(r"[\w.,-]{1,200}", envlist):
        return []
    return [f"tox -e {envlist}"]


# --------------------------------------------------------------------------- GitHub: reusable workflows
def _actions_basic_validation(args: Mapping[str, object]) -> list[str]:
    lines = ["npm ci --ignore-scripts", "npm run format-check", "npm run lint", "npm run build", "npm test"]
    if not _off(_arg(args, "enable-audit", "true")):
        lines.append("npm audit --audit-level=high")
    return lines


def _actions_codeql(args: Mapping[str, object]) -> list[str]:
    return ["uses: github/codeql-action/init", *_lines(_arg(args, "build-command")), "uses: github/codeql-action/analyze"]


def _grafana_plugin_ci(args: Mapping[str, object]) -> list[str]:
    """Grafana's plugin CI workflow: its frontend action installs, lints, typechecks, runs the
    ``test:ci`` package script and builds, in ``plugin-directory``; its backend action (only
    when a Magefile exists, which cannot be judged from here) runs ``mage test``, and
    Playwright runs when ``run-playwright`` is true. Its trufflehog step scans the packaged
    build (``dist-artifacts``), not the repository, so it is not listed."""
    lines = [_in(args, "plugin-directory", "npm run test:ci")]
    if _arg(args, "run-playwright").lower() == "true":
        lines.append(_in(args, "plugin-directory", "npx playwright test"))
    return lines


# --------------------------------------------------------------------------- GitHub: actions that run a command
def _super_linter(args: Mapping[str, object]) -> list[str]:
    """super-linter runs a linter unless its ``VALIDATE_<X>`` is false; when any ``VALIDATE_<X>``
    is true, the ones left unset are off."""
    values = {str(k).upper(): _arg(args, str(k)).lower() for k in args if str(k).upper().startswith("VALIDATE_")}
    any_true = any(v == "true" for v in values.values())

    def enabled(name: str) -> bool:
        value = values.get(name)
        return value == "true" if value is not None and value in ("true", "false") else not any_true

    lines = []
    if enabled("VALIDATE_GITLEAKS"):
        lines.append("gitleaks detect --no-banner")
    if enabled("VALIDATE_CHECKOV"):
        lines.append("checkov --directory .")
    return lines


def _input(name: str, prefix: str = "", default: str = "") -> Runs:
    """The command (lines) an input holds, run as it is (or after ``prefix``)."""
    return lambda args: [f"{prefix}{line}" for line in _lines(_arg(args, name, default))]


def _gradle_arguments(args: Mapping[str, object]) -> list[str]:
    arguments = _arg(args, "arguments")
    return [_in(args, "build-root-directory", f"./gradlew {arguments}")] if arguments else []


def _actions_rs_cargo(args: Mapping[str, object]) -> list[str]:
    command = _arg(args, "command")
    program = "cross" if _arg(args, "use-cross").lower() == "true" else "cargo"
    return [f"{program} {command} {_arg(args, 'args')}".strip()] if command else []


def _cypress(args: Mapping[str, object]) -> list[str]:
    if _off(_arg(args, "runTests", "true")):
        return []
    command = _arg(args, "command")
    return [_in(args, "working-directory", command or "npx cypress run")]


def _codeclimate(args: Mapping[str, object]) -> list[str]:
    return _lines(_arg(args, "coverageCommand"))


# --------------------------------------------------------------------------- CircleCI orbs
def _node_test(args: Mapping[str, object]) -> list[str]:
    manager = _arg(args, "pkg-manager", "npm")
    command = _arg(args, "run-command", "test")
    return [_in(args, "app-dir", f"{'yarn' if manager.startswith('yarn') else manager} run {command}")]


def _python_test(args: Mapping[str, object]) -> list[str]:
    tool = _arg(args, "test-tool", "pytest")
    runner = "python -m unittest" if tool == "unittest" else "pytest"
    return [_in(args, "app-dir", f"{runner} {_arg(args, 'args')}".strip())]


# --------------------------------------------------------------------------- Azure Pipelines tasks
def _npm_task(args: Mapping[str, object]) -> list[str]:
    command = _arg(args, "command", "install")
    line = f"npm {_arg(args, 'customCommand')}" if command == "custom" else f"npm {command}"
    return [_in(args, "workingDir", line)]


def _maven_task(args: Mapping[str, object]) -> list[str]:
    pom = _arg(args, "mavenPomFile", _arg(args, "mavenPOMFile", "pom.xml"))
    return [f"mvn -f {shlex.quote(pom)} {_arg(args, 'goals', 'package')} {_arg(args, 'options')}".strip()]


def _gradle_task(args: Mapping[str, object]) -> list[str]:
    wrapper = _arg(args, "wrapperScript", _arg(args, "gradleWrapperFile", "gradlew"))
    return [_in(args, "workingDirectory", f"./{wrapper.lstrip('./')} {_arg(args, 'tasks', 'build')} "
                                          f"{_arg(args, 'options')}".strip())]


def _dotnet_task(args: Mapping[str, object]) -> list[str]:
    command = _arg(args, "command", "build")
    verb = _arg(args, "custom") if command == "custom" else command
    return [_in(args, "workingDirectory", f"dotnet {verb} {_arg(args, 'projects')} {_arg(args, 'arguments')}".strip())]


def _script_file(interpreter: str, path_input: str, type_input: str = "targetType") -> Runs:
    """A shell task run on a script file of the repository (``targetType: filePath``)."""
    def runs(args: Mapping[str, object]) -> list[str]:
        kind = _arg(args, type_input).lower()
        path = _arg(args, path_input)
        if not path or (kind and kind not in ("filepath", "scriptpath")):
            return []
        return [_in(args, "workingDirectory", f"{interpreter} {shlex.quote(path)} {_arg(args, 'arguments')}".strip())]
    return runs


def _azure_cli(args: Mapping[str, object]) -> list[str]:
    if _arg(args, "scriptLocation").lower() != "scriptpath":
        return []
    shell = "pwsh -File" if _arg(args, "scriptType").lower() in ("ps", "pscore") else "bash"
    return _script_file(shell, "scriptPath", "scriptLocation")(args)


# --------------------------------------------------------------------------- Jenkins shared library
def _build_plugin(args: Mapping[str, object]) -> list[str]:
    skip = " -DskipTests" if str(args.get("tests.skip", "")).lower() == "true" else ""
    return [f"mvn --update-snapshots -Dmaven.test.failure.ignore{skip} clean install"]


def _build_plugin_gradle(args: Mapping[str, object]) -> list[str]:
    skip = " -x test" if str(args.get("tests.skip", "")).lower() == "true" else ""
    return [f"./gradlew --no-daemon cleanTest build{skip}"]


_GITHUB = "https://github.com/"
_AZURE_TASKS = "https://learn.microsoft.com/azure/devops/pipelines/tasks/reference/"
_CIRCLECI_ORBS = "https://circleci.com/developer/orbs/orb/"

KNOWN_STEPS: tuple[KnownStep, ...] = (
    # reusable workflows of another repository (job-level or step-level `uses:`)
    _entry("uses", r"actions/reusable-workflows/\.github/workflows/basic-validation\.ya?ml",
           _GITHUB + "actions/reusable-workflows/blob/main/.github/workflows/basic-validation.yml",
           _actions_basic_validation),
    _entry("uses", r"actions/reusable-workflows/\.github/workflows/codeql-analysis\.ya?ml",
           _GITHUB + "actions/reusable-workflows/blob/main/.github/workflows/codeql-analysis.yml", _actions_codeql),
    # the Jenkins project's security scan for plugins: CodeQL with its Jenkins query pack
    # (https://www.jenkins.io/doc/developer/security/scan/); no dependency scan
    _entry("uses", r"jenkins-infra/jenkins-security-scan/\.github/workflows/jenkins-security-scan\.ya?ml",
           _GITHUB + "jenkins-infra/jenkins-security-scan/blob/main/.github/workflows/jenkins-security-scan.yaml",
           lambda args: ["uses: github/codeql-action/init", "uses: github/codeql-action/analyze"]),
    # the CI workflow Grafana's plugins share (create-plugin scaffolds it)
    _entry("uses", r"grafana/plugin-ci-workflows/\.github/workflows/ci\.ya?ml",
           _GITHUB + "grafana/plugin-ci-workflows/blob/main/.github/workflows/ci.yml (actions/internal/plugins/"
           "frontend: test:ci; run-playwright)", _grafana_plugin_ci),
    # Zuul jobs of the public job libraries a project's job inherits from (linter.detectors.ci.zuul)
    _entry("uses", r"zuul-jobs/(?:openstack-)?tox(?:-[\w.-]+)?",
           "https://zuul-ci.org/docs/zuul-jobs/latest/python-jobs.html#job-tox (tox_envlist); "
           "https://opendev.org/openstack/openstack-zuul-jobs/src/branch/master/zuul.d/jobs.yaml (openstack-tox-*)",
           _zuul_tox),
    # actions that run the command (or linters) their inputs name
    _entry("uses", r"(?:super-linter|github)/super-linter(?:/slim)?",
           _GITHUB + "super-linter/super-linter#configure-super-linter (VALIDATE_GITLEAKS, VALIDATE_CHECKOV)",
           _super_linter),
    _entry("uses", r"(?:nick-fields|nick-invision)/retry|wandalen/wretry\.action",
           _GITHUB + "nick-fields/retry#inputs (command)", _input("command")),
    _entry("uses", r"gradle/gradle-build-action|eskatos/gradle-command-action|burrunan/gradle-cache-action",
           _GITHUB + "gradle/gradle-build-action#readme (arguments)", _gradle_arguments),
    _entry("uses", r"actions-rs/cargo", _GITHUB + "actions-rs/cargo#inputs (command, args, use-cross)",
           _actions_rs_cargo),
    _entry("uses", r"cypress-io/github-action", _GITHUB + "cypress-io/github-action#readme (runTests, command)",
           _cypress),
    _entry("uses", r"reactivecircus/android-emulator-runner",
           _GITHUB + "ReactiveCircus/android-emulator-runner#configurations (script)", _input("script")),
    _entry("uses", r"gabrielbb/xvfb-action|coactions/setup-xvfb", _GITHUB + "coactions/setup-xvfb#inputs (run)",
           _input("run")),
    _entry("uses", r"addnab/docker-run-action|uraimo/run-on-arch-action",
           _GITHUB + "uraimo/run-on-arch-action#inputs (run)", _input("run")),
    _entry("uses", r"paambaati/codeclimate-action", _GITHUB + "paambaati/codeclimate-action#inputs (coverageCommand)",
           _codeclimate),
    _entry("uses", r"borales/actions-yarn", _GITHUB + "borales/actions-yarn#readme (cmd)", _input("cmd", "yarn ")),
    # CircleCI orb jobs and commands (`<orb> <command>`)
    _entry("orb", r"circleci/node (?:test|run-tests)", _CIRCLECI_ORBS + "circleci/node (test: run-command)",
           _node_test),
    _entry("orb", r"circleci/python (?:test|run-tests)", _CIRCLECI_ORBS + "circleci/python (test: test-tool)",
           _python_test),
    _entry("orb", r"circleci/go (?:test|run-tests)", _CIRCLECI_ORBS + "circleci/go (test)",
           lambda args: [f"go test {_arg(args, 'packages', './...')}"]),
    _entry("orb", r"circleci/ruby (?:rspec-test|test)", _CIRCLECI_ORBS + "circleci/ruby (rspec-test)",
           lambda args: ["bundle exec rspec"]),
    _entry("orb", r"circleci/maven (?:test|run-tests)", _CIRCLECI_ORBS + "circleci/maven (test: command)",
           lambda args: [f"mvn {_arg(args, 'command', 'verify')}"]),
    _entry("orb", r"circleci/gradle (?:test|run-tests)", _CIRCLECI_ORBS + "circleci/gradle (test: test_command)",
           lambda args: [f"./gradlew {_arg(args, 'test_command', 'test')}"]),
    # Azure Pipelines tasks that run a command or a script file of the repository
    _entry("task", r"npm", _AZURE_TASKS + "npm-v1 (command, customCommand, workingDir)", _npm_task),
    _entry("task", r"maven", _AZURE_TASKS + "maven-v4 (goals, options, mavenPOMFile)", _maven_task),
    _entry("task", r"gradle", _AZURE_TASKS + "gradle-v3 (tasks, options, wrapperScript)", _gradle_task),
    _entry("task", r"dotnetcorecli", _AZURE_TASKS + "dotnet-core-cli-v2 (command, custom, arguments)", _dotnet_task),
    _entry("task", r"bash", _AZURE_TASKS + "bash-v3 (targetType: filePath, filePath, arguments)",
           _script_file("bash", "filePath")),
    _entry("task", r"shellscript", _AZURE_TASKS + "shell-script-v2 (scriptPath, args)",
           lambda args: _script_file("bash", "scriptPath", "")({**args, "arguments": _arg(args, "args")})),
    _entry("task", r"powershell", _AZURE_TASKS + "powershell-v2 (targetType: filePath, filePath, arguments)",
           _script_file("pwsh -File", "filePath")),
    _entry("task", r"azurecli", _AZURE_TASKS + "azure-cli-v2 (scriptLocation: scriptPath, scriptPath)", _azure_cli),
    # Jenkins shared-library steps (jenkins-infra/pipeline-library, used by Jenkins plugins)
    _entry("task", r"buildplugin|buildplugin2", _GITHUB + "jenkins-infra/pipeline-library/blob/master/vars/"
           "buildPlugin.groovy (tests: [skip: true])", _build_plugin),
    _entry("task", r"buildpluginwithgradle", _GITHUB + "jenkins-infra/pipeline-library/blob/master/vars/"
           "buildPluginWithGradle.groovy (tests: [skip: true])", _build_plugin_gradle),
)

#: Jenkins shared-library steps the table knows (the Jenkinsfile parser makes them steps).
JENKINS_STEPS: frozenset[str] = frozenset({"buildPlugin", "buildPlugin2", "buildPluginWithGradle"})
