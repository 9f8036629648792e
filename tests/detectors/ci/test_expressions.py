"""Expressions and variables, resolved as each CI system documents them (GitHub matrix with
include/exclude, env at three levels, reusable-workflow and composite-action inputs; GitLab
variables through extends and parallel:matrix; Azure template parameters, variables and
matrices; CircleCI commands, parameters and matrices; Cloud Build substitutions; Jenkins
environment), and unknown ones left as written."""

from __future__ import annotations

from linter.detectors.ci.matrix import github_matrix
from linter.detectors.ci.tables import DEPENDENCY_SCAN, TESTS
from linter.repo.yamlio import load_yaml
from tests.detectors.ci.helpers import facts, hits, programs

CI = ".github/workflows/ci.yml"


def matrix_of(text: str) -> list[dict[str, str]]:
    data = load_yaml(text).documents[0].data
    return [{k: v.text for k, v in combo.items()} for combo in github_matrix(data, "ci.yml")]


# --------------------------------------------------------------------------- GitHub
def test_github_matrix_include_and_exclude_as_documented() -> None:
    # exclude first (partial match), then include extends combinations it does not overwrite,
    # else adds its own (docs.github.com, "Expanding or adding matrix configurations")
    combos = matrix_of("fruit: [apple, pear]\nanimal: [cat, dog]\nexclude:\n  - {fruit: pear, animal: cat}\n"
                       "include:\n  - color: green\n  - {color: pink, animal: cat}\n  - {fruit: apple, shape: circle}\n"
                       "  - {fruit: banana}\n  - {fruit: banana, animal: cat}\n")
    assert {"matrix.fruit": "apple", "matrix.animal": "cat", "matrix.color": "pink", "matrix.shape": "circle"} in combos
    assert {"matrix.fruit": "pear", "matrix.animal": "dog", "matrix.color": "green"} in combos
    assert not any(c.get("matrix.fruit") == "pear" and c.get("matrix.animal") == "cat" for c in combos)
    assert {"matrix.fruit": "banana"} in combos and {"matrix.fruit": "banana", "matrix.animal": "cat"} in combos
    assert matrix_of("os: ${{ fromJSON(needs.setup.outputs.os) }}\n") == []  # not known here
    assert len(matrix_of("a: [" + ",".join(map(str, range(40))) + "]\nb: [" + ",".join(map(str, range(40))) + "]\n")) \
        == 256  # bounded as GitHub bounds a run


def test_a_step_whose_command_is_a_matrix_value_runs_each_value(make_repo) -> None:
    wf = """on: [pull_request]
jobs:
  checks:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        include:
          - name: Lint
            run: make lint
          - name: Go
            run: make verify-go
    steps:
      - run: ${{ matrix.run }}
"""
    root = make_repo({CI: wf, "Makefile": "lint:\n\tgolangci-lint run\nverify-go:\n\tgo test ./...\n"})
    assert hits(root, TESTS) == [("go test", "go test ./...", f"{CI}:13 -> {CI}:11 (matrix.run) -> Makefile:4")]


def test_env_levels_and_nested_expressions(make_repo) -> None:
    wf = """on: [pull_request]
env:
  RUNNER: cargo
  SCAN: osv-scanner
jobs:
  t:
    runs-on: x
    strategy:
      matrix:
        tool: [nextest]
    env:
      RUNNER: ${{ matrix.tool == 'cross' && 'cross' || 'cargo' }}
      TESTER: cargo ${{ matrix.tool }} run
    steps:
      - run: ${{ env.TESTER }} --workspace
      - run: $SCAN -r .
        env:
          SCAN: pip-audit
      - run: ${{ env.RUNNER }} build && ${{ secrets.TOKEN }} audit
"""
    root = make_repo({CI: wf})
    assert hits(root, TESTS) == [("cargo test", "cargo nextest run --workspace",
                                  f"{CI}:15 -> {CI}:13 (env.TESTER) -> {CI}:10 (matrix.tool)")]
    assert [h[:2] for h in hits(root, DEPENDENCY_SCAN)] == [("pip-audit", "pip-audit -r .")]  # step env wins
    # an env value written as an expression GitHub evaluates stays unknown; so does a secret
    assert ("${{", "env.runner", "}}", "build") not in programs(root)
    assert not any(argv[:2] == ("cargo", "build") for argv in programs(root))


def test_reusable_workflow_and_composite_action_inputs(make_repo) -> None:
    caller = "on: [pull_request]\njobs:\n  call:\n    uses: ./.github/workflows/reusable.yml\n    with:\n      tool: pip-audit\n"
    reusable = ("on:\n  workflow_call:\n    inputs:\n      tool: {type: string, default: safety}\n"
                "      runner: {type: string, default: pytest}\n"
                "jobs:\n  inner:\n    runs-on: x\n    steps:\n      - run: ${{ inputs.tool }}\n"
                "      - uses: ./.github/actions/test\n        with:\n          args: -x\n")
    action = ("name: test\ninputs:\n  args: {default: ''}\n  command: {default: pytest}\n"
              "runs:\n  using: composite\n  steps:\n    - run: ${{ inputs.command }} ${{ inputs.args }}\n      shell: bash\n")
    root = make_repo({CI: caller, ".github/workflows/reusable.yml": reusable, ".github/actions/test/action.yml": action})
    assert [h[:2] for h in hits(root, DEPENDENCY_SCAN)] == [("pip-audit", "pip-audit")]  # the caller's with: wins
    # (once as called from ci.yml, once in reusable.yml's own pipeline, which only a call starts)
    assert set(hits(root, TESTS)) == {("pytest", "pytest -x", ".github/actions/test/action.yml:8 -> "
                                       ".github/actions/test/action.yml:4 (inputs.command) -> "
                                       ".github/workflows/reusable.yml:13 (inputs.args)")}


def test_dispatch_inputs_are_chosen_at_run_time_and_stay_unknown(make_repo) -> None:
    wf = "on:\n  workflow_dispatch:\n    inputs:\n      cmd: {default: pytest}\njobs:\n  t:\n    runs-on: x\n" \
         "    steps:\n      - run: ${{ inputs.cmd }}\n"
    assert hits(make_repo({CI: wf}), TESTS) == []


def test_self_referencing_values_end(make_repo) -> None:
    wf = "on: [pull_request]\nenv:\n  A: ${{ env.B }}\n  B: ${{ env.A }} x\njobs:\n  t:\n    runs-on: x\n" \
         "    steps:\n      - run: ${{ env.A }} && $A\n"
    root = make_repo({CI: wf})
    assert hits(root, TESTS) == [] and facts(root)[0].pipelines


# --------------------------------------------------------------------------- GitLab
GITLAB = """variables:
  RUNNER: pytest
  AUDIT:
    value: pip-audit
    description: the scanner
.base:
  variables:
    ARGS: -x
    RUNNER: tox
  script:
    - $RUNNER $ARGS
unit:
  extends: .base
  variables:
    RUNNER: pytest
audit:
  script: [$AUDIT --strict]
shards:
  parallel:
    matrix:
      - SUITE: [unit, integration]
        TOOL: go
  script:
    - $TOOL test ./$SUITE/...
"""


def test_gitlab_variables_extends_and_parallel_matrix(make_repo) -> None:
    root = make_repo({".gitlab-ci.yml": GITLAB})
    found = {(h[0], h[1]) for h in hits(root, TESTS)}
    assert ("pytest", "pytest -x") in found  # the job's RUNNER wins over .base's, .base's ARGS stays
    assert ("go test", "go test ./unit/...") in found and ("go test", "go test ./integration/...") in found
    assert [h[:2] for h in hits(root, DEPENDENCY_SCAN)] == [("pip-audit", "pip-audit --strict")]


# --------------------------------------------------------------------------- Azure Pipelines
def test_azure_template_parameters_variables_and_matrix(make_repo) -> None:
    pipeline = """trigger: none
variables:
  - name: scanner
    value: pip-audit
jobs:
  - job: test
    strategy:
      matrix:
        unit: {suite: unit}
        integration: {suite: integration}
    steps:
      - template: templates/test.yml
        parameters:
          runner: pytest
      - script: $(scanner) -r requirements.txt
      - ${{ if eq(variables['Build.Reason'], 'PullRequest') }}:
          - script: cargo test
"""
    template = "parameters:\n  - name: runner\n    default: tox\n  - name: args\n    default: -q\n" \
               "steps:\n  - script: ${{ parameters.runner }} ${{ parameters.args }} tests/$(suite)\n"
    root = make_repo({"azure-pipelines.yml": pipeline, "templates/test.yml": template})
    found = {(h[0], h[1]) for h in hits(root, TESTS)}
    assert {("pytest", "pytest -q tests/unit"), ("pytest", "pytest -q tests/integration"),
            ("cargo test", "cargo test")} <= found
    assert [h[:2] for h in hits(root, DEPENDENCY_SCAN)] == [("pip-audit", "pip-audit -r requirements.txt")]


# --------------------------------------------------------------------------- CircleCI
def test_circleci_commands_parameters_and_matrix(make_repo) -> None:
    config = """version: 2.1
parameters:
  scanner: {type: string, default: pip-audit}
commands:
  run-tests:
    parameters:
      runner: {type: string, default: pytest}
    steps:
      - run: << parameters.runner >> -x
jobs:
  test:
    parameters:
      python: {type: string, default: "3.12"}
    steps:
      - checkout
      - run-tests:
          runner: tox -e py
      - run: << pipeline.parameters.scanner >>
workflows:
  ci:
    jobs:
      - test:
          matrix:
            parameters:
              python: ["3.11", "3.12"]
"""
    root = make_repo({".circleci/config.yml": config})
    assert {h[:2] for h in hits(root, TESTS)} == {("tox", "tox -e py -x")}
    assert [h[:2] for h in hits(root, DEPENDENCY_SCAN)] == [("pip-audit", "pip-audit")]


# --------------------------------------------------------------------------- Cloud Build, Jenkins
def test_cloud_build_substitutions(make_repo) -> None:
    config = "substitutions:\n  _SCANNER: osv-scanner\nsteps:\n  - name: gcr.io/cloud-builders/docker\n" \
             "    entrypoint: bash\n    args: ['-c', '$_SCANNER -r . && ${_UNSET} test']\n"
    root = make_repo({"cloudbuild.yaml": config})
    assert [h[:2] for h in hits(root, DEPENDENCY_SCAN)] == [("osv-scanner", "osv-scanner -r .")]


def test_jenkins_environment_block(make_repo) -> None:
    jenkinsfile = "pipeline {\n  agent any\n  environment {\n    AUDIT = 'pip-audit'\n  }\n  stages {\n" \
                  "    stage('Scan') {\n      environment { FLAGS = '--strict' }\n      steps { sh '$AUDIT $FLAGS' }\n" \
                  "    }\n  }\n}\n"
    root = make_repo({"Jenkinsfile": jenkinsfile})
    assert [h[:2] for h in hits(root, DEPENDENCY_SCAN)] == [("pip-audit", "pip-audit --strict")]
