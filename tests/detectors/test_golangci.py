"""gosec inside golangci-lint: the configuration file (versions 1 and 2, YAML/TOML/JSON), the
command line's options, and SEC003's verdict on both."""

from __future__ import annotations

import pytest

from linter.checks.sec003_static_analysis_in_ci import check
from linter.detectors.ci.tables.security import golangci_gosec
from linter.detectors.golangci import GolangciConfig, GolangciFacts, detect, judge_config
from linter.repo.workspace import Workspace
from linter.results import Status
from tests.helpers import make_context


@pytest.mark.parametrize(("config", "gosec"), [
    ({"version": "2", "linters": {"enable": ["gosec"]}}, True),
    ({"version": "2", "linters": {"default": "all"}}, True),
    ({"version": "2", "linters": {"default": "all", "disable": ["gosec"]}}, False),
    ({"version": "2", "linters": {"default": "standard"}}, False),
    ({"version": "2", "linters": {"default": "none", "enable": ["GoSec"]}}, True),  # names: any case
    ({"version": "2"}, False),  # the standard set has no gosec
    ({"linters": {"enable-all": True}}, True),
    ({"linters": {"enable-all": True, "disable": ["gosec"]}}, False),
    ({"linters": {"presets": ["bugs"]}}, True),  # gosec is in version 1's bugs preset
    ({"linters": {"presets": ["bugs"], "disable-all": True}}, False),
    ({"linters": {"disable-all": True, "enable": ["gosec"]}}, True),
    ({"version": "2", "linters": {"presets": ["bugs"]}}, False),  # version 2 has no presets
    ({"linters": {"enable": ["revive", "gocritic"]}}, False),
    ({"linters": "gosec"}, False),  # not a mapping
    ({"linters-settings": {"gosec": {"excludes": ["G104"]}}}, False),  # settings do not enable it
])
def test_judge_config(config: dict, gosec: bool) -> None:
    assert judge_config(".golangci.yml", config).gosec is gosec


@pytest.mark.parametrize(("words", "state"), [
    ("run ./...", "config"),
    ("run -E gosec", "on"),
    ("run --enable=revive,gosec", "on"),
    ("run --enable-only gosec", "on"),
    ("run --enable-only=revive", "off"),
    ("run --enable-all -D gosec", "off"),
    ("run --enable-all", "on"),
    ("run -p bugs", "on"),
    ("run --disable-all -E revive", "off"),
    ("run --no-config", "off"),
])
def test_command_line_options(words: str, state: str) -> None:
    assert golangci_gosec(tuple(words.split())) == state


WORKFLOW = ("on: [pull_request]\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - uses: actions/checkout@v4\n      - {step}\n")


def _sec003(make_repo, files: dict[str, str]) -> tuple[Status, str]:
    root = make_repo({"go.mod": "module example.com/x\n", ".practicelint.yaml": "kind: library\n", **files})
    finding = check(make_context(root, rule="SEC003"))
    return finding.status, finding.message


def test_the_action_with_gosec_in_the_configuration_passes(make_repo) -> None:
    status, message = _sec003(make_repo, {
        ".github/workflows/ci.yml": WORKFLOW.format(step="uses: golangci/golangci-lint-action@v8"),
        ".golangci.yml": "version: \"2\"\nlinters:\n  enable:\n    - errcheck\n    - gosec\n"})
    assert status is Status.PASS
    assert "gosec inside golangci-lint" in message and ".golangci.yml:5 (linters.enable lists gosec)" in message


@pytest.mark.parametrize(("files", "status"), [
    # the command with gosec on its command line needs no configuration
    ({".github/workflows/ci.yml": WORKFLOW.format(step="run: golangci-lint run -E gosec ./...")}, Status.PASS),
    # TOML and JSON configurations
    ({".github/workflows/ci.yml": WORKFLOW.format(step="run: golangci-lint run ./..."),
      ".golangci.toml": "[linters]\nenable-all = true\n"}, Status.PASS),
    ({".github/workflows/ci.yml": WORKFLOW.format(step="run: golangci-lint run"),
      ".golangci.json": '{"version": "2", "linters": {"default": "all"}}'}, Status.PASS),
    # near misses: gosec only in a comment; disabled on the command line; a schedule only;
    # the linter installed, not run; a configuration without a run
    ({".github/workflows/ci.yml": WORKFLOW.format(step="run: golangci-lint run ./..."),
      ".golangci.yml": "linters:\n  enable:\n    - revive\n    # - gosec\n"}, Status.FAIL),
    ({".github/workflows/ci.yml": WORKFLOW.format(step="run: golangci-lint run -D gosec"),
      ".golangci.yml": "linters:\n  enable: [gosec]\n"}, Status.FAIL),
    ({".github/workflows/ci.yml": WORKFLOW.format(step="run: golangci-lint run").replace(
        "on: [pull_request]", "on:\n  schedule:\n    - cron: '0 0 * * *'"),
      ".golangci.yml": "linters:\n  enable: [gosec]\n"}, Status.FAIL),
    ({".github/workflows/ci.yml": WORKFLOW.format(step="run: go install github.com/golangci/golangci-lint/cmd/golangci-lint@latest"),
      ".golangci.yml": "linters:\n  enable: [gosec]\n"}, Status.FAIL),
    ({".github/workflows/ci.yml": WORKFLOW.format(step="run: go test ./..."),
      ".golangci.yml": "linters:\n  enable: [gosec]\n"}, Status.FAIL),
])
def test_sec003_verdicts(make_repo, files: dict[str, str], status: Status) -> None:
    assert _sec003(make_repo, files)[0] is status


def test_the_configuration_golangci_lint_would_use(make_repo) -> None:
    """The first name in golangci-lint's order in a folder, else the nearest parent's; a file
    that does not parse is noted, never a crash."""
    root = make_repo({".golangci.yaml": "linters:\n  enable: [gosec]\n", ".golangci.toml": "[linters]\n",
                      "tools/.golangci.yml": "version: '2'\n", "bad/.golangci.yml": "linters: [\n"})
    ws = Workspace(root)
    facts = ws.facts(detect)
    assert [c.path for c in facts.configs] == [".golangci.toml", ".golangci.yaml", "tools/.golangci.yml"]
    assert facts.for_folder("").path == ".golangci.yaml"
    assert facts.for_folder("tools/sub").path == "tools/.golangci.yml"
    assert facts.for_folder("cmd").path == ".golangci.yaml"
    assert any(note.path == "bad/.golangci.yml" for note in ws.notes)
    assert GolangciFacts((GolangciConfig("a/.golangci.yml", 1, True, ""),)).for_folder("") is None


def test_hostile_configuration_is_bounded(make_repo) -> None:
    names = "".join(f"    - linter{i}\n" for i in range(20_000))
    root = make_repo({".golangci.yml": "linters:\n  enable:\n" + names + "    - gosec\n"})
    (config,) = Workspace(root).facts(detect).configs
    assert config.gosec is False  # past the first MAX_NAMES names nothing is read


GOSEC = "version: \"2\"\nlinters:\n  enable: [gosec]\n"
NO_GOSEC = "version: \"2\"\nlinters:\n  enable: [revive]\n"


@pytest.mark.parametrize(("step", "files", "status"), [
    # a file named on the command line, with a name golangci-lint would not find by itself
    ("run: golangci-lint run --config build/lint.yml ./...", {"build/lint.yml": GOSEC}, Status.PASS),
    ("run: golangci-lint run -c=build/lint.yml", {"build/lint.yml": GOSEC, ".golangci.yml": NO_GOSEC}, Status.FAIL),
    ("run: golangci-lint run -c build/lint.yml", {"build/lint.yml": NO_GOSEC, ".golangci.yml": GOSEC}, Status.FAIL),
    # relative to the folder the command runs in, after a cd
    ("run: cd backend && golangci-lint run -c ../ci/lint.toml",
     {"ci/lint.toml": "[linters]\nenable = [\"gosec\"]\n"}, Status.PASS),
    # the nearest file from the folder it runs in: the step's working-directory, then a cd
    ("run: golangci-lint run\n        working-directory: api",
     {"api/.golangci.yml": GOSEC, ".golangci.yml": NO_GOSEC}, Status.PASS),
    ("run: cd api && golangci-lint run", {"api/.golangci.yml": NO_GOSEC, ".golangci.yml": GOSEC}, Status.FAIL),
    ("run: golangci-lint run", {"api/.golangci.yml": GOSEC, ".golangci.yml": NO_GOSEC}, Status.FAIL),
    # the action: its args and working-directory inputs
    ("uses: golangci/golangci-lint-action@v8\n        with:\n          args: --config=.github/golangci.yaml",
     {".github/golangci.yaml": GOSEC}, Status.PASS),
    ("uses: golangci/golangci-lint-action@v8\n        with:\n          working-directory: svc",
     {"svc/.golangci.yml": GOSEC}, Status.PASS),
    ("uses: golangci/golangci-lint-action@v8\n        with:\n          working-directory: svc",
     {"svc/.golangci.yml": NO_GOSEC, ".golangci.yml": GOSEC}, Status.FAIL),
    # the action that only installs golangci-lint runs nothing; the make target after it does
    ("uses: golangci/golangci-lint-action@v8\n        with:\n          install-only: 'true'",
     {".golangci.yml": GOSEC}, Status.FAIL),
    ("uses: golangci/golangci-lint-action@v8\n        with:\n          install-only: true\n      - run: make lint",
     {".golangci.yml": GOSEC, "Makefile": "lint:\n\tgolangci-lint run\n"}, Status.PASS),
    # named files outside the repository, or missing, are never read: nothing enables gosec
    ("run: golangci-lint run -c /etc/golangci.yml", {".golangci.yml": GOSEC}, Status.FAIL),
    ("run: golangci-lint run -c ../../outside.yml", {".golangci.yml": GOSEC}, Status.FAIL),
    ("run: golangci-lint run -c missing.yml", {".golangci.yml": GOSEC}, Status.FAIL),
    # a cd that cannot be followed: the root's file decides, as before
    ("run: cd \"$(mktemp -d)\" && golangci-lint run", {".golangci.yml": GOSEC}, Status.PASS),
])
def test_the_file_each_run_uses(make_repo, step: str, files: dict[str, str], status: Status) -> None:
    assert _sec003(make_repo, {".github/workflows/ci.yml": WORKFLOW.format(step=step), **files})[0] is status


def test_a_named_file_outside_the_repository_is_not_read(tmp_path, make_repo) -> None:
    outside = tmp_path / "outside.yml"
    outside.write_text(GOSEC)
    root = make_repo({".github/workflows/ci.yml": WORKFLOW.format(step=f"run: golangci-lint run -c {outside}")})
    assert Workspace(root).facts(detect).configs == ()


def test_a_named_symlink_leaving_the_repository_is_not_followed(tmp_path, make_repo) -> None:
    outside = tmp_path / "secret.yml"
    outside.write_text(GOSEC)
    root = make_repo({"go.mod": "module example.com/x\n", ".practicelint.yaml": "kind: library\n",
                      ".github/workflows/ci.yml": WORKFLOW.format(step="run: golangci-lint run -c lint.yml")})
    (root / "lint.yml").symlink_to(outside)
    assert Workspace(root).facts(detect).configs == ()
    assert check(make_context(root, rule="SEC003")).status is Status.FAIL
