"""Which folders are services."""

from __future__ import annotations

from pathlib import Path

from linter.detectors.services import ScopeSettings, discover_scopes
from linter.repo.workspace import Workspace
from tests.helpers import write_tree

COMPONENT = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {name}\nspec:\n  type: {type}\n  owner: t\n"


def test_default_is_one_repository_scope(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.py": ""})
    scopes = discover_scopes(Workspace(tmp_path), ScopeSettings(), "repo")
    assert [(s.path, s.name, s.source) for s in scopes] == [(".", "repo", "default")]


def test_backstage_components_and_config_globs(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "svc/pay/catalog-info.yaml": COMPONENT.format(name="Payments", type="service"),
        "web/catalog-info.yaml": COMPONENT.format(name="web", type="website"),
        "lib/catalog-info.yaml": COMPONENT.format(name="lib", type="library"),
        "jobs/nightly/main.py": "", "jobs/hourly/main.py": "", "jobs/README.md": "",
        "svc/pay/extra/main.py": "",
    })
    scopes = discover_scopes(Workspace(tmp_path), ScopeSettings(entries=(("jobs/*", "", 0), ("svc/*", "", 0))), "repo")
    # every Component is a scope, of the kind its spec.type says; config globs are services
    assert [(s.path, s.name, s.source, s.kind, s.kind_source) for s in scopes] == [
        ("jobs/hourly", "hourly", "config", "service", "config"),
        ("jobs/nightly", "nightly", "config", "service", "config"),
        ("lib", "lib", "backstage", "library", "backstage"),
        ("svc/pay", "Payments", "backstage", "service", "backstage"),
        ("web", "web", "backstage", "website", "backstage"),
    ]


def test_component_at_root_is_the_repository_service(tmp_path: Path) -> None:
    write_tree(tmp_path, {"catalog-info.yaml": COMPONENT.format(name="checkout", type="service")})
    scopes = discover_scopes(Workspace(tmp_path), ScopeSettings(), "repo")
    assert [(s.path, s.name) for s in scopes] == [(".", "checkout")]


def test_scopes_past_the_cap_are_noted_not_judged(tmp_path: Path, monkeypatch) -> None:
    """`services: ["**"]` over a huge tree must not multiply every rule by every folder."""
    from linter.detectors import services

    write_tree(tmp_path, {f"svc/s{i}/main.py": "" for i in range(6)})
    monkeypatch.setattr(services, "MAX_SCOPES", 4)
    ws = Workspace(tmp_path)
    scopes = discover_scopes(ws, ScopeSettings(entries=(("svc/*", "", 0),)), "repo")
    assert [s.path for s in scopes] == ["svc/s0", "svc/s1", "svc/s2", "svc/s3"]
    assert [n.reason for n in ws.notes] == ["more than 4 service scopes (Backstage components and services: "
                                            "entries); only the first 4 by path are judged"]
    monkeypatch.setattr(services, "MAX_SCOPES", 6)
    assert len(discover_scopes(Workspace(tmp_path), ScopeSettings(entries=(("svc/*", "", 0),)), "repo")) == 6
