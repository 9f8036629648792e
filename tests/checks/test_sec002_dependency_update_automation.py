"""SEC002 verdicts: no manifests, no bot, partial coverage naming ecosystems, full coverage."""

from __future__ import annotations

from functools import partial

from linter.checks.sec002_dependency_update_automation import check
from linter.results import Status
from tests.helpers import make_context

make_context = partial(make_context, rule="SEC002")  # contexts for SEC002, with its typed options

DEPENDABOT = "version: 2\nupdates:\n{entries}"
PIP_ROOT = "  - package-ecosystem: pip\n    directory: /\n    schedule: {interval: weekly}\n"


def test_no_manifests_is_not_applicable(make_repo) -> None:
    assert check(make_context(make_repo({"README.md": "x\n"}))).status is Status.NOT_APPLICABLE


def test_no_bot_fails(make_repo) -> None:
    finding = check(make_context(make_repo({"requirements.txt": "httpx\n"})))
    assert finding.status is Status.FAIL and "no dependency update bot" in finding.message


def test_uncovered_ecosystems_are_named_with_a_path(make_repo) -> None:
    root = make_repo({"requirements.txt": "httpx\n", "web/package.json": "{}", "services/api/requirements.txt": "x\n",
                      ".github/dependabot.yml": DEPENDABOT.format(entries=PIP_ROOT)})
    finding = check(make_context(root))
    assert finding.status is Status.FAIL
    assert "npm (web/package.json)" in finding.message
    assert "pip (services/api/requirements.txt)" in finding.message
    assert finding.message.startswith("Dependabot (.github/dependabot.yml) leaves ecosystems without")


def test_directories_glob_covers_nested(make_repo) -> None:
    entries = PIP_ROOT + "  - package-ecosystem: pip\n    directories: ['/services/*']\n    schedule: {interval: weekly}\n"
    root = make_repo({"requirements.txt": "httpx\n", "services/api/requirements.txt": "x\n",
                      ".github/dependabot.yml": DEPENDABOT.format(entries=entries)})
    finding = check(make_context(root))
    assert finding.status is Status.PASS
    assert finding.message.startswith("Dependabot (.github/dependabot.yml) covers every ecosystem found")


def test_renovate_default_covers_everything_but_enabled_managers_restrict(make_repo) -> None:
    files = {"go.mod": "module x\n", "Dockerfile": "FROM alpine\n"}
    assert check(make_context(make_repo({**files, "renovate.json": "{}"}))).status is Status.PASS
    finding = check(make_context(make_repo({**files, "renovate.json": '{"enabledManagers": ["gomod"]}'})))
    assert finding.status is Status.FAIL and "docker (Dockerfile)" in finding.message


WORKSPACE_BOTS = (DEPENDABOT.format(entries="  - package-ecosystem: bun\n    directory: /\n    schedule: {interval: weekly}\n"
                                            "  - package-ecosystem: uv\n    directory: /\n    schedule: {interval: weekly}\n"
                                            "  - package-ecosystem: cargo\n    directory: /rust\n    schedule: {interval: weekly}\n"))


def test_workspace_members_are_updated_through_the_root(make_repo) -> None:
    """bun/npm/yarn workspaces, pnpm workspaces, uv and Cargo workspaces keep one lockfile at
    the root: an update entry for the root covers the members (full-stack-fastapi-template)."""
    root = make_repo({
        ".github/dependabot.yml": WORKSPACE_BOTS,
        "package.json": '{"private": true, "workspaces": ["frontend", "packages/*"]}',
        "frontend/package.json": '{"name": "frontend"}', "packages/ui/package.json": '{"name": "ui"}',
        "pyproject.toml": "[project]\nname = 'root'\ndependencies = []\n[tool.uv.workspace]\nmembers = ['backend']\n",
        "backend/pyproject.toml": "[project]\nname = 'backend'\ndependencies = ['fastapi']\n",
        "rust/Cargo.toml": "[workspace]\nmembers = ['crates/*']\n", "rust/crates/core/Cargo.toml": "[package]\nname = 'core'\n",
    })
    finding = check(make_context(root))
    assert finding.status is Status.PASS, finding.message


def test_a_package_outside_the_workspace_is_not_covered(make_repo) -> None:
    root = make_repo({
        ".github/dependabot.yml": WORKSPACE_BOTS,
        "package.json": '{"private": true, "workspaces": {"packages": ["apps/*"]}}',
        "apps/web/package.json": "{}", "tools/scripts/package.json": "{}",
        "pnpm-workspace.yaml": "packages: ['libs/*']\n", "libs/a/package.json": "{}",
    })
    finding = check(make_context(root))
    assert finding.status is Status.FAIL
    assert "npm (tools/scripts/package.json)" in finding.message and "apps/web" not in finding.message


SELF_HOSTED = ("on:\n  schedule: [{{cron: '0 3 * * *'}}]\njobs:\n  renovate:\n    runs-on: ubuntu-latest\n    steps:\n"
               "      - uses: actions/checkout@v4\n      - uses: renovatebot/github-action@v43\n        with:\n"
               "          configurationFile: {config}\n          token: ${{{{ secrets.TOKEN }}}}\n")


def test_self_hosted_renovate_reads_the_actions_configuration_file(make_repo) -> None:
    """renovatebot/github-action runs Renovate with the file its ``configurationFile`` input names
    (jenkinsci/helm-charts): that file is the configuration, enabledManagers and all."""
    files = {"go.mod": "module x\n", "Dockerfile": "FROM alpine\n"}
    workflow = ".github/workflows/renovate.yml"
    root = make_repo({**files, workflow: SELF_HOSTED.format(config=".github/renovate-config.json5"),
                      ".github/renovate-config.json5": "{\n  // self-hosted\n  repositories: ['acme/x'],\n}\n"})
    assert check(make_context(root)).status is Status.PASS
    root = make_repo({**files, workflow: SELF_HOSTED.format(config="./ci/renovate.json"),
                      "ci/renovate.json": '{"enabledManagers": ["gomod"]}'})
    finding = check(make_context(root))
    assert finding.status is Status.FAIL and "docker (Dockerfile)" in finding.message and "ci/renovate.json" in finding.message


def test_self_hosted_renovate_near_misses_and_hostile_paths(make_repo) -> None:
    files = {"go.mod": "module x\n"}
    workflow = ".github/workflows/renovate.yml"
    for config in ("missing.json", "../outside.json", "/etc/renovate.json", "${{ env.CONFIG }}", "config.js"):
        root = make_repo({**files, workflow: SELF_HOSTED.format(config=config), "config.js": "module.exports = {}\n"})
        assert check(make_context(root)).status is Status.FAIL, config
    other = SELF_HOSTED.replace("renovatebot/github-action", "someone/renovate-like")
    root = make_repo({**files, workflow: other.format(config="r.json"), "r.json": "{}"})
    assert check(make_context(root)).status is Status.FAIL


CHART = "apiVersion: v2\nname: app\nversion: 1.0.0\nappVersion: 2.1.0\n"


def _renovate_with(managers: str, custom: str) -> dict[str, str]:
    return {"charts/app/Chart.yaml": CHART, ".github/workflows/ci.yml": "on: push\njobs: {}\n",
            "renovate.json5": "{\n  // JSON5: unquoted keys, single quotes, a URL with //\n"
                              "  $schema: 'https://docs.renovatebot.com/renovate-schema.json',\n"
                              f"  enabledManagers: [{managers}],\n  customManagers: [{custom}],\n}}\n"}


def test_a_custom_regex_manager_covers_the_files_it_names(make_repo) -> None:
    """Renovate's custom managers read the files their ``fileMatch`` (or ``managerFilePatterns``)
    name, whatever the ecosystem: the chart's appVersion is kept up to date by one."""
    for pattern in ("'^charts/app/Chart\\\\.yaml$'", "'(^|/)Chart\\\\.yaml$'"):
        custom = f"{{customType: 'regex', fileMatch: [{pattern}], matchStrings: ['appVersion: (?<currentValue>.*)']}}"
        finding = check(make_context(make_repo(_renovate_with("'github-actions', 'regex'", custom))))
        assert finding.status is Status.PASS, (pattern, finding.message)
    globbed = "{customType: 'regex', managerFilePatterns: ['**/Chart.yaml'], matchStrings: ['x']}"
    assert check(make_context(make_repo(_renovate_with("'github-actions', 'custom.regex'", globbed)))).status \
        is Status.PASS


def test_custom_manager_near_misses(make_repo) -> None:
    other = "{customType: 'regex', fileMatch: ['^charts/other/Chart\\\\.yaml$'], matchStrings: ['x']}"
    finding = check(make_context(make_repo(_renovate_with("'github-actions', 'regex'", other))))
    assert finding.status is Status.FAIL and "helm (charts/app/Chart.yaml)" in finding.message
    named = "{customType: 'regex', fileMatch: ['(^|/)Chart\\\\.yaml$'], matchStrings: ['x']}"
    # custom managers not enabled: enabledManagers names only github-actions
    assert check(make_context(make_repo(_renovate_with("'github-actions'", named)))).status is Status.FAIL


def test_a_repositorys_regular_expression_is_never_run(make_repo) -> None:
    """A ``fileMatch`` that is more than a plain path (here one that backtracks exponentially)
    is not evaluated: such a file is not counted as covered, and the run does not hang."""
    hostile = "{customType: 'regex', fileMatch: ['^(c+)+harts/app/Chart\\\\.yaml!$'], matchStrings: ['x']}"
    root = make_repo(_renovate_with("'github-actions', 'regex'", hostile))
    (root / "charts" / ("c" * 40)).mkdir()
    assert check(make_context(root)).status is Status.FAIL


def test_renovate_include_paths_leave_other_manifests_uncovered(make_repo) -> None:
    """Renovate reads only the files ``includePaths`` names: a chart and a requirements file
    outside it are not kept current, whatever the presets say."""
    config = ('{"extends": ["config:recommended"],'
              ' "includePaths": ["**/charts/app/Chart.yaml", ".github/workflows/*.yml"]}')
    root = make_repo({"renovate.json": config, "charts/app/Chart.yaml": "name: app\n",
                      "charts/apps/Chart.yaml": "name: apps\n", "scripts/requirements.txt": "x\n",
                      ".github/workflows/ci.yml": "on: push\n"})
    finding = check(make_context(root))
    assert finding.status is Status.FAIL
    assert "helm (charts/apps/Chart.yaml)" in finding.message and "pip (scripts/requirements.txt)" in finding.message
    assert "charts/app/Chart.yaml" not in finding.message.replace("charts/apps/", "")
    covered = make_repo({"renovate.json": config.replace('"**/charts/app/Chart.yaml"', '"charts/**"')
                         .replace('".github/workflows/*.yml"', '".github/workflows/*.yml", "scripts/*.txt"'),
                         "charts/apps/Chart.yaml": "name: apps\n", "scripts/requirements.txt": "x\n",
                         ".github/workflows/ci.yml": "on: push\n"})
    assert check(make_context(covered)).status is Status.PASS
