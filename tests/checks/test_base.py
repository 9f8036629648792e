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
