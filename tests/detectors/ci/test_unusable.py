"""Which CI configuration files could not be used (``CiFacts.unusable``): every system's entry
files and the local files they include, extend or call, when they do not parse, are binary,
not UTF-8 or over the size cap. Near misses: GitHub expressions, YAML anchors and templated
YAML are valid input, and broken YAML that is not CI configuration is not listed here."""

from __future__ import annotations

import pytest

from linter.detectors import ci
from linter.detectors.ci import github, gitlab
from linter.repo.workspace import Workspace
from tests.detectors.ci.helpers import facts, workflow

BROKEN_YAML = "on: [pull_request\njobs: {\n"
PR_WORKFLOW = workflow("pytest")


@pytest.mark.parametrize(("files", "unusable"), [
    pytest.param({".github/workflows/ci.yml": BROKEN_YAML}, [".github/workflows/ci.yml"], id="github workflow"),
    pytest.param({".github/workflows/ci.yml": BROKEN_YAML + "  x: ${{ github.sha }}\n"},
                 [".github/workflows/ci.yml"], id="broken workflow with expressions is still broken"),
    pytest.param({".github/workflows/ci.yml": b"on: push\x00\x01"}, [".github/workflows/ci.yml"], id="binary"),
    pytest.param({".github/workflows/ci.yml": b"on: push\n# caf\xe9\n"}, [".github/workflows/ci.yml"],
                 id="not UTF-8"),
    pytest.param({".github/workflows/ci.yml": PR_WORKFLOW.replace("pytest", "uses: ./.github/actions/t").replace(
        "- run: uses:", "- uses:"), ".github/actions/t/action.yml": "runs:\n  using: composite\n  steps: [\n"},
        [".github/actions/t/action.yml"], id="local composite action"),
    pytest.param({".github/workflows/ci.yml": "on: [pull_request]\njobs:\n  t:\n    uses: ./.github/workflows/r.yml\n",
                  ".github/workflows/r.yml": "on: {workflow_call: \n"}, [".github/workflows/r.yml"],
                 id="reusable workflow"),
    pytest.param({".gitlab-ci.yml": "include:\n  - local: ci/tests.yml\nbuild:\n  script: make\n",
                  "ci/tests.yml": "test:\n  script: [pytest\n"}, ["ci/tests.yml"], id="gitlab local include"),
    pytest.param({".gitlab-ci.yml": "test: {script: pytest\n"}, [".gitlab-ci.yml"], id="gitlab root"),
    pytest.param({".circleci/config.yml": BROKEN_YAML}, [".circleci/config.yml"], id="circleci"),
    pytest.param({"azure-pipelines.yml": "trigger: [main]\nsteps:\n  - template: ci/steps.yml\n",
                  "ci/steps.yml": "steps: [\n"}, ["ci/steps.yml"], id="azure template"),
    pytest.param({"bitbucket-pipelines.yml": BROKEN_YAML}, ["bitbucket-pipelines.yml"], id="bitbucket"),
    pytest.param({"cloudbuild.yaml": "steps: [\n"}, ["cloudbuild.yaml"], id="cloud build"),
    pytest.param({"cloudbuild.json": '{"steps": [\n'}, ["cloudbuild.json"], id="cloud build json"),
    pytest.param({".woodpecker/test.yaml": BROKEN_YAML, ".woodpecker/ok.yaml": "steps: {t: {commands: [make]}}\n"},
                 [".woodpecker/test.yaml"], id="woodpecker workflow"),
    pytest.param({".woodpecker.yml": b"steps:\x00"}, [".woodpecker.yml"], id="binary woodpecker root file"),
    pytest.param({".drone.yml": "kind: pipeline\n---\nsteps: [\n"}, [".drone.yml"], id="drone"),
    pytest.param({"Jenkinsfile": b"pipeline {\x00}"}, ["Jenkinsfile"], id="binary Jenkinsfile"),
    pytest.param({"services/api/Jenkinsfile": b"pipeline { \xff }"}, ["services/api/Jenkinsfile"],
                 id="Jenkinsfile not UTF-8"),
])
def test_unusable_ci_files_are_listed(make_repo, files: dict[str, str | bytes], unusable: list[str]) -> None:
    found, ws = facts(make_repo(files))
    assert list(found.unusable) == unusable
    assert all(ws.unusable(p) for p in found.unusable)  # the reader says why


def test_files_over_the_size_cap_are_listed(make_repo) -> None:
    root = make_repo({".github/workflows/ci.yml": PR_WORKFLOW + "#" * 2000 + "\n"})
    ws = Workspace(root, max_file_size=1000)
    found = ws.facts(ci.detect)
    assert found.unusable == (".github/workflows/ci.yml",)
    assert "byte limit" in (ws.unusable(".github/workflows/ci.yml") or "")


EXPRESSIONS = ("on: [pull_request]\nenv:\n  REF: ${{ github.ref }}\njobs:\n  t:\n    runs-on: ${{ matrix.os }}\n"
               "    strategy:\n      matrix:\n        os: [ubuntu-latest]\n    steps:\n"
               "      - run: echo \"${{ github.event.pull_request.title }}\"\n      - run: pytest\n")
ANCHORS = ("on: [pull_request]\njobs:\n  a:\n    runs-on: ubuntu-latest\n    env: &env\n      A: 1\n"
           "    steps: &steps\n      - run: pytest\n  b:\n    runs-on: ubuntu-latest\n    env: *env\n"
           "    steps: *steps\n  c:\n    runs-on: ubuntu-latest\n    env: &env\n      A: 2\n    steps: *steps\n")


@pytest.mark.parametrize("files", [
    pytest.param({".github/workflows/ci.yml": EXPRESSIONS}, id="github expressions"),
    pytest.param({".github/workflows/ci.yml": ANCHORS}, id="anchors reused and redefined"),
    pytest.param({".gitlab-ci.yml": ".t: &t\n  script: [pytest]\ntest:\n  <<: *t\n"}, id="gitlab anchor merge"),
    pytest.param({".gitlab-ci.yml": "include:\n  - local: ci/t.yml\n",
                  "ci/t.yml": "{% for v in versions %}\ntest-{{ v }}:\n  script: [pytest\n{% endfor %}\n"},
                 id="jinja template include"),
    pytest.param({".github/workflows/ci.yml": PR_WORKFLOW, "k8s/deploy.yaml": "kind: [Deployment\n",
                  ".github/dependabot.yml": "updates: [\n"}, id="broken YAML that is not CI configuration"),
    pytest.param({".gitlab-ci.yml": "include:\n  - local: ci/missing.yml\ntest:\n  script: pytest\n"},
                 id="include of a file that does not exist"),
])
def test_valid_or_unrelated_files_are_not_listed(make_repo, files: dict[str, str]) -> None:
    found, _ = facts(make_repo(files))
    assert found.unusable == ()


@pytest.mark.parametrize("name", ["ci.yml", "anchors.yml"])
def test_valid_workflows_are_judged(make_repo, name: str) -> None:
    """Expressions and anchors parse: the test job is there."""
    found, _ = facts(make_repo({f".github/workflows/{name}": EXPRESSIONS if name == "ci.yml" else ANCHORS}))
    assert ("pytest",) in [c.argv for _, job in found.jobs() for c in job.commands]


def test_a_parser_that_fails_loses_every_file_it_read(make_repo) -> None:
    def failing(ws: Workspace, asked: set[str]) -> tuple[list[ci.Pipeline], list[str]]:
        github.detect(ws, asked)
        raise ValueError("boom")

    ws = Workspace(make_repo({".github/workflows/ci.yml": PR_WORKFLOW, ".gitlab-ci.yml": "t:\n  script: pytest\n"}))
    found = ci.detect(ws, ((github.SYSTEM, failing), *ci.PARSERS[1:]))
    assert found.unusable == (".github/workflows/ci.yml",)
    assert [p.system for p in found.pipelines] == [gitlab.SYSTEM]
    assert any("GitHub Actions configuration could not be read: ValueError" in n.reason for n in ws.notes)


COMPOSITE = {".github/workflows/ci.yml": PR_WORKFLOW.replace("- run: pytest", "- uses: ./.github/actions/t"),
             ".github/actions/t/action.yml": "runs:\n  using: composite\n  steps: [\n"}


def test_a_parser_adds_every_configuration_file_it_asks_for_to_the_set_it_is_given(make_repo) -> None:
    """The files a parser read reach ``ci.detect`` as data (the set it hands the parser), the
    called composite action included though the parser does not return it as read."""
    ws = Workspace(make_repo(COMPOSITE))
    asked: set[str] = set()
    _, read = github.detect(ws, asked)
    assert read == [".github/workflows/ci.yml"]
    assert asked == {".github/workflows/ci.yml", ".github/actions/t/action.yml"}


def test_the_facts_carry_the_unusable_files(make_repo) -> None:
    """``CiFacts.unusable`` is all a check needs: facts sent to another process (pickled, as
    the forked executor sends them) into a workspace that read nothing still make a CI rule
    say it could not judge, naming the file."""
    import pickle

    from linter.checks import del003_tests_on_every_change
    from linter.results import Status
    from tests.helpers import make_context

    found, _ = facts(make_repo(COMPOSITE))
    assert found.unusable == (".github/actions/t/action.yml",)
    carried = pickle.loads(pickle.dumps(found))
    assert carried.unusable == found.unusable
    finding = del003_tests_on_every_change.check(make_context(rule="DEL003", facts={ci.detect: carried}))
    assert finding.status is Status.ERROR
    assert ".github/actions/t/action.yml" in finding.message
