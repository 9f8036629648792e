"""``practicelint fix``: never overwrites, dry run, --rule, hostile names, per-platform choices."""

from __future__ import annotations

import os
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner, Result

from linter.catalog import load_catalog
from linter.cli_scaffold import register
from linter.engine import RunOptions, run
from linter.results import Status
from linter.scaffold.fix import fix
from tests.helpers import fill_placeholders, git, git_commit_all, write_tree

NOW = "2026-12-01"
COMMIT_DATE = "2026-06-01T00:00:00"


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRACTICELINT_NOW", NOW)


def invoke(*args: str) -> Result:
    group = click.Group("practicelint")
    register(group)
    return CliRunner().invoke(group, list(args))


def repo(tmp_path: Path, files: dict[str, str], remote: str | None = None) -> Path:
    root = write_tree(tmp_path / "repo", files)
    git_commit_all(root, "initial", date=COMMIT_DATE)
    if remote:
        git(root, "remote", "add", "origin", remote)
    return root


def status(root: Path, rule_id: str) -> dict[str, Status]:
    report, _ = run(root, RunOptions(select=[rule_id]))
    return {r.scope: r.status for r in report.results}


def unfilled_then_passing(root: Path, rule_id: str, paths: list[str]) -> dict[str, Status]:
    """Each scope of ``rule_id`` fails with "scaffold not filled in" while the written files
    hold their placeholders; the statuses once a person has replaced them."""
    report, _ = run(root, RunOptions(select=[rule_id]))
    for result in report.results:
        assert result.status == Status.FAIL, (result.scope, result.message)
        assert result.message.startswith("Scaffold not filled in: "), result.message
    fill_placeholders(root, *paths)
    return status(root, rule_id)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".git" not in p.relative_to(root).parts}


#: a one-service repository: the Dockerfile's EXPOSE makes it a service (docs/kinds.md)
SINGLE = {"README.md": "# Shop\n\nSells things.\n", "package.json": "{\"name\": \"shop\"}\n",
          "Dockerfile": "FROM node:20\nCOPY . .\nEXPOSE 8080\nCMD [\"node\", \"server.js\"]\n"}
TWO_SERVICES = {
    ".practicelint.yaml": "services:\n  - services/*\n",
    "services/cart/main.py": "print('cart')\n",
    "services/pay/main.py": "print('pay')\n",
}


# --------------------------------------------------------------------------- never overwrite
def test_existing_file_is_never_overwritten_and_the_rule_is_not_claimed(tmp_path: Path) -> None:
    stub = "# PR/FAQ\n"  # a candidate with no content: PROD001 still fails
    root = repo(tmp_path, {**SINGLE, "docs/prfaq.md": stub})
    assert status(root, "PROD001")["."] == Status.FAIL
    result = invoke("fix", str(root), "--rule", "PROD001")
    assert result.exit_code == 0, result.output
    assert "skipped docs/prfaq.md  (PROD001): exists; fix never overwrites a file" in result.output
    assert (root / "docs/prfaq.md").read_text() == stub
    assert "addressed" not in result.output


def test_a_symlinked_parent_folder_is_not_written_through(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    root = repo(tmp_path, SINGLE)
    os.symlink(outside, root / "docs")
    outcome = fix(root, rules=["PROD001"])
    assert [(f.path, why) for f, why in outcome.skipped] == [("docs/prfaq.md", "docs is a symbolic link; not writing through it")]
    assert list(outside.iterdir()) == []


def test_running_fix_twice_writes_nothing_the_second_time(tmp_path: Path) -> None:
    root = repo(tmp_path, TWO_SERVICES)
    first = fix(root)
    assert first.written
    snapshot = tree(root)
    second = fix(root)
    assert {f.rule_id for f in second.written} & set(first.claims) == set()
    assert all(tree(root)[p] == snapshot[p] for p in snapshot)


# --------------------------------------------------------------------------- dry run
def test_dry_run_writes_nothing_and_prints_a_creation_diff(tmp_path: Path) -> None:
    root = repo(tmp_path, TWO_SERVICES)
    before = tree(root)
    result = invoke("fix", str(root), "--dry-run")
    assert result.exit_code == 0, result.output
    assert tree(root) == before
    assert "would write services/cart/slo/latency.yaml  (PERF001: services/cart)" in result.output
    assert "--- /dev/null\n+++ b/services/cart/slo/latency.yaml\n@@ -0,0 +1,36 @@\n+# OpenSLO" in result.output
    assert "+  service: 'cart'" in result.output
    assert "would address: " in result.output


# --------------------------------------------------------------------------- --rule
@pytest.mark.parametrize("option", [["--rule", "PERF001"], ["--rule", "tail-latency-slo"], ["--rule", "perf001"]])
def test_rule_option_restricts_to_that_rule(tmp_path: Path, option: list[str]) -> None:
    root = repo(tmp_path, TWO_SERVICES)
    result = invoke("fix", str(root), *option)
    assert result.exit_code == 0, result.output
    written = sorted(p for p in tree(root) if p not in TWO_SERVICES)
    assert written == ["services/cart/slo/latency.yaml", "services/pay/slo/latency.yaml"]


def test_rule_option_takes_comma_separated_and_repeated_values(tmp_path: Path) -> None:
    root = repo(tmp_path, TWO_SERVICES)
    result = invoke("fix", str(root), "--rule", "PERF001,REL002", "--rule", "game-days")
    assert result.exit_code == 0, result.output
    written = sorted(p for p in tree(root) if p not in TWO_SERVICES)
    assert written == ["docs/game-days/2026-12-01-first-game-day.md", "services/cart/runbooks/failover.md",
                       "services/cart/slo/latency.yaml", "services/pay/runbooks/failover.md",
                       "services/pay/slo/latency.yaml"]


@pytest.mark.parametrize("rule", ["NOPE001", "ORG001", "team-size"])
def test_rule_fix_cannot_address_is_a_usage_error(tmp_path: Path, rule: str) -> None:
    root = repo(tmp_path, SINGLE)
    result = invoke("fix", str(root), "--rule", rule)
    assert result.exit_code == 2
    assert f"--rule {rule}: fix cannot address this rule; it knows" in result.output
    assert "PERF001 (tail-latency-slo)" in result.output
    assert sorted(tree(root)) == sorted(SINGLE)


def test_nothing_to_do_exits_zero(tmp_path: Path) -> None:
    root = repo(tmp_path, {**SINGLE, ".github/workflows/deps.yml": (
        "on: [pull_request]\njobs:\n  review:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/dependency-review-action@v4\n")})
    result = invoke("fix", str(root), "--rule", "SEC001")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "nothing to do: no failing rule that fix can address"


def test_not_a_directory_and_broken_config_are_usage_errors(tmp_path: Path) -> None:
    missing = invoke("fix", str(tmp_path / "missing"))
    assert missing.exit_code == 2
    root = repo(tmp_path, {**SINGLE, ".practicelint.yaml": "servces: []\n"})
    broken = invoke("fix", str(root))
    assert broken.exit_code == 2
    assert "servces: unknown setting (did you mean 'services'?)" in broken.output
    assert sorted(tree(root)) == sorted({**SINGLE, ".practicelint.yaml": ""})


# --------------------------------------------------------------------------- single-service layout
def test_single_service_repository_gets_repository_level_paths(tmp_path: Path) -> None:
    root = repo(tmp_path, SINGLE)
    outcome = fix(root, rules=["PROD001", "PERF001", "REL002", "REL001"])
    assert sorted(f.path for f in outcome.written) == [
        "docs/game-days/2026-12-01-first-game-day.md", "docs/prfaq.md", "docs/runbooks/repo-failover.md",
        "slo/repo-latency.yaml"]
    for rule_id in ("PROD001", "PERF001", "REL002", "REL001"):
        paths = [f.path for f in outcome.written if f.rule_id == rule_id]
        assert unfilled_then_passing(root, rule_id, paths) == {".": Status.PASS}, rule_id


def test_prfaq_is_a_skeleton_that_neither_prod001_nor_prod002_accepts(tmp_path: Path) -> None:
    """Every part has a prompt where the text goes: PROD001 fails on it as a scaffold not
    filled in, pointing at the first prompt; PROD002 finds it incomplete (no attributed quote,
    7 of 20 questions) and would call it a scaffold if it were not."""
    root = repo(tmp_path, SINGLE)
    outcome = fix(root, rules=["PROD001"])
    assert outcome.claims == {"PROD001": ["."]}
    text = (root / "docs/prfaq.md").read_text()
    for heading in ("## Press release", "### Heading", "### Subheading", "### Problem", "### Solution",
                    "### Customer quote", "### Getting started", "## Customer FAQ", "## Internal FAQ"):
        assert f"\n{heading}\n" in text
    assert "\n> TODO(practicelint): a quote from a (hypothetical) customer" in text
    report, _ = run(root, RunOptions(select=["PROD001", "PROD002"]))
    prod001, prod002 = sorted(report.results, key=lambda r: r.rule_id)
    assert prod001.status == Status.FAIL
    assert prod001.message.startswith("Scaffold not filled in: docs/prfaq.md:11 still holds the placeholder "
                                      "'TODO(practicelint): announce the launch")
    assert prod002.status == Status.FAIL and "7 answered FAQ questions, 20 required" in prod002.message


def test_game_day_file_is_named_after_the_pinned_clock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRACTICELINT_NOW", "2027-02-03")
    root = repo(tmp_path, SINGLE)
    outcome = fix(root, rules=["REL001"])
    assert [f.path for f in outcome.written] == ["docs/game-days/2027-02-03-first-game-day.md"]
    assert (root / outcome.written[0].path).read_text().startswith("---\ndate: 2027-02-03\nstatus: planned\n---\n")


# --------------------------------------------------------------------------- hostile names
BACKSTAGE_ODD_NAMES = {
    "services/colon/catalog-info.yaml": (
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: 'a: b'\n"
        "spec:\n  type: service\n  owner: group:team-a\n"),
    "services/quotes/catalog-info.yaml": (
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: \"it's \\\"q\\\" #1\\\\x\"\n"
        "spec:\n  type: service\n  owner: user:ana\n"),
    "services/lines/catalog-info.yaml": (
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: \"two\\nlines: - *x\"\n"
        "spec:\n  type: service\n"),
}
ODD_NAMES = {"services/colon": "a: b", "services/quotes": "it's \"q\" #1\\x", "services/lines": "two\nlines: - *x"}


def test_yaml_special_service_names_give_valid_yaml_naming_the_service(tmp_path: Path) -> None:
    root = repo(tmp_path, BACKSTAGE_ODD_NAMES)
    outcome = fix(root, rules=["PERF001"])
    assert sorted(outcome.claims["PERF001"]) == sorted(ODD_NAMES)
    for folder, name in ODD_NAMES.items():
        doc = yaml.safe_load((root / folder / "slo/latency.yaml").read_text())
        assert doc["spec"]["service"] == name
        assert doc["kind"] == "SLO" and doc["spec"]["objectives"][0]["target"] == 0.99
        query = doc["spec"]["indicator"]["spec"]["ratioMetric"]["good"]["metricSource"]["spec"]["query"]
        assert query.count('le="0.5"') == 1 and "\n" not in query
    written = [f.path for f in outcome.written]
    assert unfilled_then_passing(root, "PERF001", written) == {folder: Status.PASS for folder in ODD_NAMES}


def test_services_sharing_a_name_each_get_an_slo_of_their_own(tmp_path: Path) -> None:
    root = repo(tmp_path, {".practicelint.yaml": "services: ['*/*']\n", "apps/web/main.py": "x\n",
                           "services/web/main.py": "x\n", "services/api/main.py": "x\n"})
    outcome = fix(root, rules=["PERF001"])
    assert outcome.claims == {"PERF001": ["apps/web", "services/api", "services/web"]}
    services = {f.path: yaml.safe_load(f.content)["spec"]["service"] for f in outcome.written}
    assert services == {"apps/web/slo/latency.yaml": "apps/web", "services/api/slo/latency.yaml": "api",
                        "services/web/slo/latency.yaml": "services/web"}
    assert unfilled_then_passing(root, "PERF001", list(services)) == {
        "apps/web": Status.PASS, "services/api": Status.PASS, "services/web": Status.PASS}


def test_markdown_from_odd_names_stays_on_one_heading_line(tmp_path: Path) -> None:
    root = repo(tmp_path, BACKSTAGE_ODD_NAMES)
    outcome = fix(root, rules=["PROD001", "REL002"])
    prfaq = (root / "services/lines/docs/prfaq.md").read_text()
    assert prfaq.splitlines()[0] == "# PR/FAQ: two lines: - \\*x"
    runbook = (root / "services/quotes/runbooks/failover.md").read_text()
    assert runbook.splitlines()[0] == "# it's \"q\" \\#1\\\\x runbook: failover and failback"
    for rule_id in ("PROD001", "REL002"):
        written = [f.path for f in outcome.written if f.rule_id == rule_id]
        assert unfilled_then_passing(root, rule_id, written) == {folder: Status.PASS for folder in ODD_NAMES}


def test_folder_names_with_yaml_characters_give_valid_dependabot_yaml(tmp_path: Path) -> None:
    if "SEC002" not in load_catalog().rules:
        pytest.skip("SEC002 is not in the rule catalog yet")
    root = repo(tmp_path, {"apps/a: b/package.json": "{}\n", "apps/it's/go.mod": "module x\n",
                           "package.json": "{}\n", ".github/workflows/ci.yml": "on: push\njobs: {}\n"})
    outcome = fix(root, rules=["SEC002"])
    assert [f.path for f in outcome.written] == [".github/dependabot.yml"]
    config = yaml.safe_load((root / ".github/dependabot.yml").read_text())
    entries = {e["package-ecosystem"]: e.get("directories") or [e["directory"]] for e in config["updates"]}
    assert entries == {"github-actions": ["/"], "gomod": ["/apps/it's"], "npm": ["/", "/apps/a: b"]}
    assert status(root, "SEC002") == {".": Status.PASS}


# --------------------------------------------------------------------------- SEC006 channels
@pytest.mark.parametrize("remote, expected", [
    ("git@github.com:acme/shop.git", "[GitHub private vulnerability reporting](https://github.com/acme/shop/security/advisories/new)"),
    ("https://git.acme-corp.io/team/shop.git", "Or write to security@acme-corp.io."),
    (None, "TODO(practicelint): say where to report privately: a monitored address such as security@"),
])
def test_security_policy_offers_a_channel_and_passes_once_filled_in(tmp_path: Path, remote: str | None,
                                                                    expected: str) -> None:
    """The supported versions are the maintainers' to say (and, without a remote, the address):
    SEC006 fails on the scaffold until they are written."""
    root = repo(tmp_path, SINGLE, remote=remote)
    outcome = fix(root, rules=["SEC006"])
    assert [f.path for f in outcome.written] == ["SECURITY.md"]
    text = (root / "SECURITY.md").read_text()
    assert expected in text
    assert "TODO(practicelint): which versions receive security fixes" in text
    assert unfilled_then_passing(root, "SEC006", ["SECURITY.md"]) == {".": Status.PASS}


def test_gitlab_remote_gets_a_confidential_issue_link(tmp_path: Path) -> None:
    root = repo(tmp_path, {**SINGLE, ".gitlab-ci.yml": "test:\n  script: [make]\n"},
                remote="https://gitlab.com/acme/platform/shop.git")
    fix(root, rules=["SEC006"])
    text = (root / "SECURITY.md").read_text()
    assert "(https://gitlab.com/acme/platform/shop/-/issues/new?issue%5Bconfidential%5D=true)" in text
    assert "security@gitlab.com" not in text  # a public forge's domain is not the organisation's
    fill_placeholders(root, "SECURITY.md")
    report, _ = run(root, RunOptions(select=["SEC006"]))
    assert report.results[0].status == Status.PASS
    assert "confidential issue" in report.results[0].message


# --------------------------------------------------------------------------- SEC001 per platform
def test_github_repository_gets_a_dependency_review_workflow(tmp_path: Path) -> None:
    root = repo(tmp_path, SINGLE)
    fix(root, rules=["SEC001"])
    workflow = yaml.safe_load((root / ".github/workflows/dependency-review.yml").read_text())
    assert workflow[True] == {"pull_request": None}  # PyYAML reads `on:` as True
    steps = workflow["jobs"]["dependency-review"]["steps"]
    assert steps[-1]["uses"] == "actions/dependency-review-action@v4"
    assert status(root, "SEC001") == {".": Status.PASS}


def test_gitlab_repository_gets_the_include_to_add_and_no_file(tmp_path: Path) -> None:
    ci = "stages: [test]\nunit:\n  stage: test\n  script: [pytest]\n"
    root = repo(tmp_path, {**SINGLE, ".gitlab-ci.yml": ci})
    result = invoke("fix", str(root), "--rule", "SEC001")
    assert result.exit_code == 0, result.output
    assert "SEC001: GitLab repository: not rewriting .gitlab-ci.yml" in result.output
    assert "include:\n  - template: Jobs/Dependency-Scanning.gitlab-ci.yml" in result.output
    assert result.output.rstrip().endswith("no file written: SEC001 still fail; see above")
    assert (root / ".gitlab-ci.yml").read_text() == ci
    assert sorted(tree(root)) == sorted({**SINGLE, ".gitlab-ci.yml": ""})


@pytest.mark.parametrize(("path", "text"), [
    ("Jenkinsfile", "pipeline { agent any\n stages { stage('t') { steps { sh 'make' } } } }\n"),
    (".buildkite/pipeline.yml", "steps:\n  - command: make\n"),
    (".woodpecker/", "steps:\n  test:\n    image: golang\n    commands: [make]\n"),
    (".drone.yml", "kind: pipeline\nsteps:\n  - name: t\n    commands: [make]\n"),
])
def test_jenkins_or_buildkite_only_repository_gets_advice_not_a_github_workflow(tmp_path: Path, path: str,
                                                                                 text: str) -> None:
    root = repo(tmp_path, {**SINGLE, (path + "ci.yaml" if path.endswith("/") else path): text})
    outcome = fix(root, rules=["SEC001"])
    assert outcome.written == []
    assert "osv-scanner scan source -r ." in outcome.advice[0].text and path in outcome.advice[0].text


# --------------------------------------------------------------------------- ORG002
ORG_CATALOG = {
    "catalog/org.yaml": (
        "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: Cart Team\nspec:\n  type: team\n"
        "  children: []\n  members: [ana]\n---\napiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n"
        "  name: pay-team\nspec:\n  type: team\n  children: []\n  members: [ben]\n"),
    "services/cart/catalog-info.yaml": (
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: cart\n"
        "spec:\n  type: service\n  owner: group:default/Cart Team\n"),
    "services/pay/catalog-info.yaml": (
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: pay\n"
        "spec:\n  type: service\n  owner: pay-team\n"),
    "services/odd [v2]/catalog-info.yaml": (
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: odd\n"
        "spec:\n  type: service\n  owner: pay-team\n"),
    "services/orphan/catalog-info.yaml": (
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: orphan\nspec:\n  type: service\n"),
}


def test_codeowners_from_the_catalog_with_an_org_option(tmp_path: Path) -> None:
    root = repo(tmp_path, ORG_CATALOG)
    result = invoke("fix", str(root), "--rule", "ORG002", "--org", "acme")
    assert result.exit_code == 0, result.output
    lines = (root / ".github/CODEOWNERS").read_text().splitlines()
    rules = [line.split() for line in lines if line and not line.startswith("#")]
    assert rules == [["*", "@acme/todo-practicelint-team"], ["/services/cart/", "@acme/cart-team"],
                     ["/services/pay/", "@acme/pay-team"]]
    assert "# /services/odd [v2]/  (no owner found: the folder name needs escaping" in "\n".join(lines)
    assert any(line.startswith("# /services/orphan/  (no owner found: its Backstage component has no owner")
               for line in lines)
    assert not any("todo-practicelint-org" in line for line in lines)
    assert "# Teams in the catalog: cart team, pay-team" in lines
    assert unfilled_then_passing(root, "ORG002", [".github/CODEOWNERS"]) == {".": Status.PASS}


def test_codeowners_org_comes_from_the_remote_else_a_marked_placeholder(tmp_path: Path) -> None:
    root = repo(tmp_path / "a", SINGLE, remote="git@github.com:acme-shop/shop.git")
    fix(root, rules=["ORG002"])
    assert "*  @acme-shop/todo-practicelint-team" in (root / ".github/CODEOWNERS").read_text()
    bare = repo(tmp_path / "b", SINGLE)
    fix(bare, rules=["ORG002"])
    text = (bare / ".github/CODEOWNERS").read_text()
    assert '# TODO: "todo-practicelint-org" is a placeholder' in text
    assert "*  @todo-practicelint-org/todo-practicelint-team" in text
    report, _ = run(bare, RunOptions(select=["ORG002"]))
    assert report.results[0].message.startswith(
        "Scaffold not filled in: .github/CODEOWNERS:9 still holds the placeholder "
        "'@todo-practicelint-org/todo-practicelint-team'")
    assert unfilled_then_passing(bare, "ORG002", [".github/CODEOWNERS"]) == {".": Status.PASS}


def test_single_team_roster_becomes_the_default_owner_on_gitlab(tmp_path: Path) -> None:
    root = repo(tmp_path, {**SINGLE, ".gitlab-ci.yml": "t:\n  script: [make]\n",
                           "org.yaml": ORG_CATALOG["catalog/org.yaml"].split("---\n")[1]})
    outcome = fix(root, rules=["ORG002"], org="acme")
    assert [f.path for f in outcome.written] == ["CODEOWNERS"]  # GitLab reads the root file first
    assert "*  @acme/pay-team" in (root / "CODEOWNERS").read_text()
    assert status(root, "ORG002") == {".": Status.PASS}


# --------------------------------------------------------------------------- SEC002
def test_dependabot_covers_every_ecosystem_found(tmp_path: Path) -> None:
    if "SEC002" not in load_catalog().rules:
        pytest.skip("SEC002 is not in the rule catalog yet")
    root = repo(tmp_path, {"package.json": "{}\n", "services/api/requirements.txt": "flask\n",
                           "services/web/package.json": "{}\n", "infra/main.tf": "terraform {}\n",
                           "Dockerfile": "FROM python:3.12\n", ".github/workflows/ci.yml": "on: push\njobs: {}\n",
                           "tools/uv.lock": "version = 1\n", "tools/pyproject.toml": "[project]\ndependencies = []\n"})
    fix(root, rules=["SEC002"])
    config = yaml.safe_load((root / ".github/dependabot.yml").read_text())
    assert config["version"] == 2
    entries = {e["package-ecosystem"]: e.get("directories") or [e["directory"]] for e in config["updates"]}
    assert entries == {"docker": ["/"], "github-actions": ["/"], "npm": ["/", "/services/web"],
                       "pip": ["/services/api"], "terraform": ["/infra"], "uv": ["/tools"]}
    assert all(e["schedule"] == {"interval": "weekly"} for e in config["updates"])
    assert status(root, "SEC002") == {".": Status.PASS}


def test_existing_renovate_config_is_not_rewritten(tmp_path: Path) -> None:
    if "SEC002" not in load_catalog().rules:
        pytest.skip("SEC002 is not in the rule catalog yet")
    renovate = '{"enabledManagers": ["npm"]}\n'
    root = repo(tmp_path, {"package.json": "{}\n", "go.mod": "module x\n", "renovate.json": renovate})
    outcome = fix(root, rules=["SEC002"])
    assert outcome.written == []
    assert "Renovate is configured (renovate.json); not rewriting it" in outcome.advice[0].text
    assert "go.mod" in outcome.advice[0].text
    assert (root / "renovate.json").read_text() == renovate
