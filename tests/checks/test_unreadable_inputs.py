"""A rule that found nothing because its input could not be read says so: ``error`` naming the
file and why, never ``not_applicable`` (nor a failure for something that may be there). The
near misses keep their verdict: files that are templates, belong to another schema or to
another service, or input that was readable elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.engine import RunOptions, run
from linter.results import Status
from tests.helpers import write_tree

#: the fixtures are services: the rules under test judge services (docs/kinds.md)
SERVICE = "kind: service\n"

BROKEN_DEPLOYMENT = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api\n"
DEPLOYMENT = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  template:\n"
              "    spec:\n      containers:\n        - name: web\n          image: web:1\n")
BROKEN_GROUP = "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: team\n"
INFRA_RULES = ("ARCH003", "ARCH004", "COST001", "REL003")


def results(root: Path, rules: tuple[str, ...]) -> dict[tuple[str, str], tuple[Status, str]]:
    report, _ = run(root, RunOptions(select=list(rules)))
    return {(r.rule_id, r.scope): (r.status, r.message) for r in report.results}


def test_broken_manifest_is_an_error_for_the_infrastructure_rules(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"k8s/deploy.yaml": BROKEN_DEPLOYMENT, ".practicelint.yaml": SERVICE})
    for (rule_id, _), (status, message) in results(root, INFRA_RULES).items():
        assert status is Status.ERROR, (rule_id, message)
        assert message.startswith("Could not be evaluated: "), message
        assert "these could not be used: k8s/deploy.yaml (invalid YAML: " in message


def test_unreadable_terraform_is_an_error(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"infra/main.tf": b"\x00\x01\x02binary", ".practicelint.yaml": SERVICE})
    status, message = results(root, ("ARCH004",))[("ARCH004", ".")]
    assert status is Status.ERROR and "infra/main.tf (binary content; skipped)" in message


@pytest.mark.parametrize("files", [
    {},  # nothing at all: not applicable
    {"catalog-info.yaml": BROKEN_GROUP},  # a broken Backstage file is no manifest
    {"k8s/deploy.yaml": "{% if enabled %}\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x\n{% endif %}\n"},  # a template
    {"docs/example.yaml": BROKEN_DEPLOYMENT},  # documentation is not read for infrastructure
])
def test_near_misses_stay_not_applicable(tmp_path: Path, files: dict[str, str]) -> None:
    root = write_tree(tmp_path / "repo", {"README.md": "# r\n", ".practicelint.yaml": SERVICE, **files})
    for key, (status, message) in results(root, INFRA_RULES).items():
        assert status is Status.NOT_APPLICABLE, (key, message)


def test_readable_configuration_elsewhere_gives_a_verdict(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"k8s/broken.yaml": BROKEN_DEPLOYMENT, "k8s/web.yaml": DEPLOYMENT,
                                 ".practicelint.yaml": SERVICE})
    status, _ = results(root, ("ARCH003",))[("ARCH003", ".")]
    assert status in (Status.PASS, Status.FAIL)


def test_only_the_scope_owning_the_broken_file_errs(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {".practicelint.yaml": "services: ['services/*']\n",
                                 "services/a/k8s.yaml": BROKEN_DEPLOYMENT, "services/b/main.py": "x\n"})
    found = results(root, ("ARCH003",))
    assert found[("ARCH003", "services/a")][0] is Status.ERROR
    assert found[("ARCH003", "services/b")][0] is Status.NOT_APPLICABLE


def test_broken_team_catalog_is_an_error_for_team_size(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"catalog-info.yaml": BROKEN_GROUP})
    status, message = results(root, ("ORG001",))[("ORG001", ".")]
    assert status is Status.ERROR and "no team roster" in message and "catalog-info.yaml (invalid YAML" in message
    plain = write_tree(tmp_path / "plain", {"config.yaml": "a: [1\n"})  # broken, but no catalog file
    assert results(plain, ("ORG001",))[("ORG001", ".")][0] is Status.NOT_APPLICABLE


@pytest.mark.parametrize("path, content, why", [
    ("SECURITY.md", b"\x00\x01binary", "binary content; skipped"),
    (".github/SECURITY.md", b"# Security\n\xff\xfe", "not valid UTF-8"),
])
def test_unreadable_security_policy_is_an_error_not_a_missing_one(tmp_path: Path, path: str, content: bytes,
                                                                  why: str) -> None:
    root = write_tree(tmp_path, {path: content})
    status, message = results(root, ("SEC006",))[("SEC006", ".")]
    assert status is Status.ERROR and "no security policy in the files that could be read" in message
    assert f"{path} ({why}" in message


def test_unreadable_codeowners_is_an_error_not_a_missing_one(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {".github/CODEOWNERS": b"* @acme/team\n\xff\xfe\n"})
    status, message = results(root, ("ORG002",))[("ORG002", ".")]
    assert status is Status.ERROR and ".github/CODEOWNERS (not valid UTF-8" in message
    missing = write_tree(tmp_path / "none", {"README.md": "# r\n"})
    assert results(missing, ("ORG002",))[("ORG002", ".")][0] is Status.FAIL  # absent is absent
