"""``decide`` as a table over signals (no files): ranks, agreement, nested scopes, image builders."""

from __future__ import annotations

from linter.detectors.kinds import KindFacts, decide
from linter.detectors.kinds.signals import DEPLOY, INFRA, PUBLISH, SHAPE, Signal


def facts(*signals: Signal, builders: tuple[str, ...] = ()) -> KindFacts:
    return KindFacts(tuple(sorted(signals)), builders)


def lib(path: str) -> Signal:
    return Signal(path, 1, "library", PUBLISH, "a package")


def tool(path: str) -> Signal:
    return Signal(path, 1, "tool", PUBLISH, "a command")


def test_nothing_is_unknown_and_says_so() -> None:
    decision = decide(facts(), ".")
    assert (decision.kind, decision.source, decision.evidence) == ("unknown", "none", ())
    assert "no deployment" in decision.reason


def test_deployment_outranks_publishing() -> None:
    served = Signal("Dockerfile", 5, "service", DEPLOY, "EXPOSE 80")
    decision = decide(facts(lib("pyproject.toml"), served), ".")
    assert decision.kind == "service" and [e.path for e in decision.evidence] == ["Dockerfile"]


def test_a_library_says_nothing_deploys_it() -> None:
    decision = decide(facts(lib("pyproject.toml")), ".")
    assert decision.kind == "library" and "nothing in it is deployed" in decision.reason


def test_workloads_are_the_scopes_service_only_when_it_builds_an_image() -> None:
    workload = Signal("deploy/app.yaml", 3, "workload", DEPLOY, "Kubernetes Deployment app")
    assert decide(facts(workload, builders=("Dockerfile",)), ".").kind == "service"
    assert decide(facts(workload), ".").kind == "infrastructure"  # someone else's image: platform configuration


def test_infrastructure_at_the_root_outranks_packages_but_not_below_it() -> None:
    module = Signal("main.tf", 1, "infrastructure", INFRA, "a reusable Terraform module")
    assert decide(facts(module, lib("scripts/package.json")), ".").kind == "infrastructure"
    deeper = Signal("deploy/main.tf", 1, "infrastructure", INFRA, "Terraform configuration")
    assert decide(facts(deeper, lib("pyproject.toml")), ".").kind == "library"


def test_packages_that_disagree_use_the_root_then_a_two_thirds_majority_else_unknown() -> None:
    assert decide(facts(tool("pyproject.toml"), lib("sub/pkg/package.json")), ".").kind == "tool"
    many = [lib(f"packages/l{i}/package.json") for i in range(5)] + [tool("packages/cli/package.json")]
    assert decide(facts(*many), ".").kind == "library"
    split = [lib("packages/a/package.json"), tool("packages/b/package.json")]
    decision = decide(facts(*split), ".")
    assert decision.kind == "unknown" and "disagree" in decision.reason and len(decision.evidence) == 2


def test_a_site_hosted_from_a_subfolder_is_not_what_the_scope_is() -> None:
    docs_site = Signal("packages/docs/vercel.json", 1, "website", DEPLOY, "deployed on Vercel")
    assert decide(facts(docs_site, lib("packages/zod/package.json")), ".").kind == "library"
    assert decide(facts(Signal("vercel.json", 1, "website", DEPLOY, "deployed on Vercel")), ".").kind == "website"


def test_service_and_website_the_roots_image_decides() -> None:
    static = Signal("Dockerfile", 1, "website", DEPLOY, "nginx")
    compose = Signal("docker-compose.yml", 2, "service", DEPLOY, "built here, publishes a port")
    assert decide(facts(static, compose), ".").kind == "website"
    server = Signal("Dockerfile", 3, "service", DEPLOY, "EXPOSE 3000")
    netlify = Signal("netlify.toml", 1, "website", DEPLOY, "deployed on Netlify")
    assert decide(facts(server, netlify), ".").kind == "service"


def test_scopes_see_only_their_folder_and_not_nested_scopes() -> None:
    signals = facts(Signal("services/api/Dockerfile", 2, "service", DEPLOY, "EXPOSE 80"), lib("libs/util/setup.py"))
    assert decide(signals, "services/api").kind == "service"
    assert decide(signals, "libs/util").kind == "library"
    assert decide(signals, ".", nested=("services/api",)).kind == "library"


def test_documents_decide_only_when_nothing_else_does() -> None:
    assert decide(facts(), ".", documents=lambda: (40, 50)).kind == "documentation"
    assert decide(facts(), ".", documents=lambda: (19, 20)).kind == "unknown"  # too few to say
    assert decide(facts(), ".", documents=lambda: (30, 100)).kind == "unknown"  # mostly not documents
    assert decide(facts(lib("pyproject.toml")), ".", documents=lambda: (90, 100)).kind == "library"
    site = Signal("mkdocs.yml", 1, "documentation", SHAPE, "a documentation site")
    assert decide(facts(site), ".").kind == "documentation"
