"""Attributing facts to services in monorepos."""

from __future__ import annotations

from pathlib import Path

from linter.results import Scope
from tests.helpers import make_context


def test_single_scope_owns_everything(tmp_path: Path) -> None:
    ctx = make_context(tmp_path)
    assert ctx.owns("anywhere/x.yaml", service="someone-else")


def test_service_name_then_deepest_folder(tmp_path: Path) -> None:
    root = Scope(".", "platform")
    pay = Scope("services/payments", "payments")
    web = Scope("services/web", "Web_Frontend")
    ctx = make_context(tmp_path, scope=pay, scopes=[root, pay, web])
    assert ctx.owner_of("services/payments/slo.yaml") == pay
    assert ctx.owner_of("slos/web.yaml", service="web-frontend") == web
    assert ctx.owner_of("slos/unknown.yaml", service="nobody") == root
    assert ctx.owner_of("services/payments/x.yaml", service="web_frontend") == web
    assert ctx.owns("services/payments/deep/a.yaml")
    no_root = make_context(tmp_path, scope=pay, scopes=[pay, web])
    assert no_root.owner_of("elsewhere/a.yaml") is None


def test_repository_scope_owns_every_fact(tmp_path: Path) -> None:
    pay = Scope("services/payments", "payments")
    web = Scope("services/web", "web")
    ctx = make_context(tmp_path, scope=Scope(".", "repo", "repository"), scopes=[pay, web])
    assert ctx.owns(".github/workflows/ci.yml") and ctx.owns("services/web/x.yaml", service="payments")


def test_scope_index_agrees_with_a_linear_scan_on_nested_services(tmp_path: Path) -> None:
    from linter.checks.base import ScopeIndex

    scopes = [Scope(".", "platform"), Scope("apps", "apps"), Scope("apps/web", "web"),
              Scope("apps/web/admin", "admin"), Scope("svc", "dup"), Scope("svc2", "dup")]
    index = ScopeIndex(scopes)
    assert index.owner_of("apps/web/admin/x.yaml").path == "apps/web/admin"
    assert index.owner_of("apps/web/x.yaml").path == "apps/web"
    assert index.owner_of("apps/webby/x.yaml").path == "apps"
    assert index.owner_of("apps/web").path == "apps/web"
    assert index.owner_of("other/x.yaml").path == "."
    assert index.owner_of("other/x.yaml", service="DUP").path == "svc"  # first scope of that name
    assert index.owner_of("x.yaml", service="unknown").path == "."
    assert ScopeIndex(scopes[1:]).owner_of("elsewhere/x.yaml") is None


def test_owned_gives_exactly_what_owns_would_and_groups_a_tuple_once(tmp_path) -> None:
    from dataclasses import dataclass as std_dataclass

    from linter.checks.base import CheckContext, ScopeIndex
    from linter.repo.workspace import Workspace
    from linter.results import Scope

    @std_dataclass(frozen=True)
    class Hit:
        path: str
        service: str | None = None

    @std_dataclass(frozen=True)
    class Wrapped:
        hit: Hit

    scopes = [Scope("services/a", "a", "backstage"), Scope("services/b", "billing", "backstage"),
              Scope("services/a/inner", "inner", "default")]
    items = (Hit("services/a/x.yaml"), Hit("services/b/y.yaml"), Hit("services/a/inner/z.yaml"),
             Hit("ops/slo.yaml", "Billing"), Hit("README.md"), Hit("services/a/q.yaml", "nobody"))
    ws = Workspace(tmp_path)
    index = ScopeIndex(scopes)
    for scope in scopes:
        ctx = CheckContext(workspace=ws, scope=scope, scopes=scopes, options={}, now=None, settings={}, index=index)
        assert ctx.owned(items, "path", "service") == [i for i in items if ctx.owns(i.path, i.service)]
        wrapped = [Wrapped(i) for i in items]  # a fresh list each time: grouped each time, same answer
        assert [w.hit for w in ctx.owned(wrapped, "hit.path")] == [i for i in items if ctx.owns(i.path)]
        assert ctx.owned(list(items), "path", "service") == ctx.owned(items, "path", "service")
    groupings = [key for key in index.memo if key[0] == "owned"]
    assert len(groupings) == 1 and groupings[0][1] == id(items)  # one grouping of the tuple, shared
    repo = CheckContext(workspace=ws, scope=Scope(".", "r", "repository"), scopes=scopes, options={},
                        now=None, settings={}, index=index)
    assert repo.owned(items) == list(items)  # a repository-scoped rule owns everything
