"""ORG003 single-owning-team: Backstage owner, CODEOWNERS owners, agreement and failures."""

from __future__ import annotations

from functools import partial

import pytest

from linter.checks.org003_single_owning_team import check
from linter.results import Scope, Status
from tests.helpers import make_context

make_context = partial(make_context, rule="ORG003")  # contexts for ORG003, with its typed options


def component(name: str, owner: str | None) -> str:
    owner_line = f"\n  owner: {owner}" if owner is not None else ""
    return (f"apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {name}\n"
            f"spec:\n  type: service\n  lifecycle: production{owner_line}\n")


SCOPES = [Scope("services/checkout", "checkout", "backstage"), Scope("services/search", "search", "backstage")]


def _ctx(root, scope_index: int = 0):
    return make_context(root, scope=SCOPES[scope_index], scopes=SCOPES)


def test_backstage_and_codeowners_agree(make_repo) -> None:
    root = make_repo({
        "services/checkout/catalog-info.yaml": component("checkout", "group:default/Checkout_Team"),
        "services/search/catalog-info.yaml": component("search", "search"),
        ".github/CODEOWNERS": "* @acme/platform\n*.md @acme/docs\n/services/checkout/ @acme/checkout-team\n",
    })
    finding = check(_ctx(root))
    assert finding.status is Status.PASS
    assert finding.message == ("services/checkout is owned by one team, checkout_team: Backstage spec.owner "
                               "group:default/checkout_team and .github/CODEOWNERS @acme/checkout-team")
    assert ("services/checkout/catalog-info.yaml", 8) in {(e.path, e.line) for e in finding.evidence}
    assert (".github/CODEOWNERS", 3) in {(e.path, e.line) for e in finding.evidence}


def test_disagreement_names_both(make_repo) -> None:
    root = make_repo({
        "services/checkout/catalog-info.yaml": component("checkout", "group:payments"),
        ".github/CODEOWNERS": "/services/ @acme/platform\n",
    })
    finding = check(_ctx(root))
    assert finding.status is Status.FAIL
    assert ("Backstage owner group:default/payments and .github/CODEOWNERS owner @acme/platform disagree"
            in finding.message)


def test_user_owner_is_not_a_team(make_repo) -> None:
    root = make_repo({"services/checkout/catalog-info.yaml": component("checkout", "user:jdoe")})
    finding = check(_ctx(root))
    assert finding.status is Status.FAIL
    assert "Backstage names user:default/jdoe as owner, which is not a team" in finding.message


def test_several_teams_on_the_directory_rule(make_repo) -> None:
    root = make_repo({"CODEOWNERS": "/services/checkout/ @acme/checkout @acme/payments\n"})
    finding = check(_ctx(root))
    assert finding.status is Status.FAIL
    assert "CODEOWNERS assigns services/checkout to 2 teams: @acme/checkout, @acme/payments" in finding.message


def test_only_individuals_in_codeowners(make_repo) -> None:
    root = make_repo({"CODEOWNERS": "/services/checkout/ @alice bob@example.org\n"})
    finding = check(_ctx(root))
    assert finding.status is Status.FAIL
    assert "only to individuals (@alice, bob@example.org), not a team" in finding.message


def test_file_type_rules_do_not_own_the_service(make_repo) -> None:
    root = make_repo({"CODEOWNERS": "*.md @acme/docs\n/services/search/ @acme/search\n"})
    finding = check(_ctx(root))
    assert finding.status is Status.FAIL
    assert finding.message.startswith("No owning team found for services/checkout")
    assert "(CODEOWNERS has no rule for services/checkout)" in finding.message
    assert check(_ctx(root, 1)).status is Status.PASS


def test_no_owner_anywhere(make_repo) -> None:
    root = make_repo({"services/checkout/catalog-info.yaml": component("checkout", None)})
    finding = check(_ctx(root))
    assert finding.status is Status.FAIL
    assert "looked for a Backstage Component spec.owner and CODEOWNERS" in finding.message
    assert "(1 Component without a usable spec.owner)" in finding.message
    assert finding.evidence[0].detail == "Component checkout has no spec.owner"


def test_codeowners_alone_passes_for_single_scope_repo(make_repo) -> None:
    root = make_repo({".github/CODEOWNERS": "* @acme/web\n", "index.html": "<p>"})
    finding = check(make_context(root))
    assert finding.status is Status.PASS
    assert finding.message == "the repository is owned by one team, @acme/web: .github/CODEOWNERS @acme/web"


def test_gitlab_sections_combine(make_repo) -> None:
    root = make_repo({".gitlab-ci.yml": "t:\n  script: [x]\n",
                      "CODEOWNERS": "[Backend] @shop/backend\n/services/checkout/\n[Ops]\n/services/ @shop/ops\n"})
    finding = check(_ctx(root))
    assert finding.status is Status.FAIL
    assert "2 teams: @shop/backend, @shop/ops" in finding.message


@pytest.mark.parametrize("owner", ["[group:a, group:b]", "{kind: Group}", "42", "''"])
def test_odd_owner_values_never_crash(make_repo, owner: str) -> None:
    root = make_repo({"services/checkout/catalog-info.yaml": component("checkout", owner)})
    finding = check(_ctx(root))
    assert finding.status is Status.FAIL
    assert "without a usable spec.owner" in finding.message
