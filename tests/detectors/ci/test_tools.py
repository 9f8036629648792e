"""Step tables beside DEPENDENCY_SCAN: what counts as SAST, secrets, IaC policy, tests, deploys, load tests."""

from __future__ import annotations

import pytest

from linter.detectors.ci.model import Step
from linter.detectors.ci.judge import classify_step
from linter.detectors.ci.tables import COST, DEPLOYS, IAC_POLICY, LOAD_TESTS, PRE_COMMIT_RUN, SAST, SECRETS, TESTS


def run_hits(table, script: str):
    return classify_step(Step("ci.yml", 10, "run", script), table)


def uses_hits(table, reference: str, args: dict | None = None, kind: str = "uses"):
    return classify_step(Step("ci.yml", 5, kind, reference, args or {}), table)


@pytest.mark.parametrize(("table", "script", "tool"), [
    (SAST, "semgrep ci", "Semgrep"),
    (SAST, "semgrep scan --config p/owasp-top-ten --error", "Semgrep"),
    (SAST, "python -m bandit -r src", "Bandit"),
    (SAST, "gosec ./...", "gosec"),
    (SAST, "./mvnw -B verify sonar:sonar", "SonarQube/SonarCloud"),
    (SAST, "./gradlew sonar", "SonarQube/SonarCloud"),
    (SAST, "snyk code test", "Snyk Code"),
    (SAST, "codeql database analyze db --format=sarif-latest", "CodeQL"),
    (SAST, "mix sobelow --config", "Sobelow"),
    (SECRETS, "gitleaks detect --source . --redact", "gitleaks"),
    (SECRETS, "trufflehog git file://. --fail", "trufflehog"),
    (SECRETS, "detect-secrets scan --baseline .secrets.baseline", "detect-secrets"),
    (SECRETS, "ggshield secret scan ci", "ggshield"),
    (IAC_POLICY, "checkov -d infra", "checkov"),
    (IAC_POLICY, "trivy config --exit-code 1 .", "trivy config"),
    (IAC_POLICY, "tfsec infra", "tfsec"),
    (IAC_POLICY, "conftest test deploy/", "conftest"),
    (IAC_POLICY, "kics scan -p .", "kics"),
    (COST, "infracost diff --path=infra --compare-to base.json", "Infracost"),
    (TESTS, "pytest -v tests/", "pytest"),
    (TESTS, "python -m unittest discover", "unittest"),
    (TESTS, "npm run test:unit", "package script tests"),
    (TESTS, "yarn test", "package script tests"),
    (TESTS, "yarn backstage-cli repo test", "Backstage CLI tests"),
    (TESTS, "bats --tap --timing ./test/unit", "shell tests"),
    (TESTS, "helm unittest charts/app", "Helm chart tests"),
    (TESTS, "helm test my-release --timeout 5m", "Helm chart tests"),
    (TESTS, "ct install --config ct.yaml", "chart-testing"),
    (TESTS, "yarn jest --ci", "JavaScript tests"),
    (TESTS, "pnpm vitest run", "JavaScript tests"),
    (TESTS, "npx backstage-cli package test --coverage", "Backstage CLI tests"),
    (TESTS, "cft test run TestAll --verbose", "CFT blueprint tests"),
    (TESTS, "bundle exec kitchen test --destroy=always", "Test Kitchen"),
    (TESTS, "go test ./...", "go test"),
    (TESTS, "mix coveralls", "mix coveralls"),
    (TESTS, "MIX_ENV=test mix coveralls.json --umbrella", "mix coveralls"),
    (TESTS, "cargo nextest run", "cargo test"),
    (TESTS, "mvn -B verify", "maven"),
    (TESTS, "./gradlew build", "gradle"),
    (TESTS, "dotnet test", "dotnet test"),
    (TESTS, "bundle exec rspec", "Ruby tests"),
    (TESTS, "make test", "make test"),
    (TESTS, "make ci-test", "make test"),
    (TESTS, "./scripts/run_tests.sh", "test script"),
    (TESTS, "bash ci/unit-tests.sh --race", "test script"),
    (TESTS, "scripts/test", "test script"),
    (TESTS, "just unit-tests", "make test"),
    (DEPLOYS, "kubectl apply -f k8s/", "kubectl"),
    (DEPLOYS, "helm upgrade --install app ./chart", "helm"),
    (DEPLOYS, "terraform -chdir=infra apply -auto-approve", "terraform apply"),
    (DEPLOYS, "npx cdk deploy --require-approval never", "cdk deploy"),
    (DEPLOYS, "gcloud run deploy api --image x", "gcloud deploy"),
    (DEPLOYS, "aws ecs update-service --cluster c --service s --force-new-deployment", "aws deploy"),
    (DEPLOYS, "netlify deploy --prod --dir dist", "netlify deploy --prod"),
    (LOAD_TESTS, "k6 run loadtest/checkout.js", "k6"),
    (LOAD_TESTS, "locust -f locustfile.py --headless -u 50 -r 5", "Locust"),
    (LOAD_TESTS, "jmeter -n -t plan.jmx", "JMeter"),
    (LOAD_TESTS, "echo GET http://x | vegeta attack -duration=30s", "Vegeta"),
    (PRE_COMMIT_RUN, "pre-commit run --all-files", "pre-commit"),
])
def test_commands_are_recognised(table, script: str, tool: str) -> None:
    hits = run_hits(table, script)
    assert [h.tool for h in hits] == [tool]
    assert hits[0].line == 10


@pytest.mark.parametrize(("table", "script"), [
    (SAST, "echo semgrep ci"),
    (SAST, "# semgrep ci"),
    (SAST, "semgrep --version"),
    (SAST, "semgrep --test rules/"),
    (SAST, "eslint --plugin security ."),
    (SAST, "snyk test"),
    (SAST, "mix credo --strict"),
    (TESTS, "mix compile"),
    (TESTS, "mix deps.get coveralls"),
    (SECRETS, "gitleaks version"),
    (SECRETS, "detect-secrets audit .secrets.baseline"),
    (IAC_POLICY, "kubeconform -strict k8s/"),
    (TESTS, "make lint"),
    (TESTS, "test -f go.mod"),
    (TESTS, "./scripts/run_lints.sh"),
    (TESTS, "./scripts/build_test_images.sh"),
    (TESTS, "make build-test-image"),
    (IAC_POLICY, "opa eval -d policy.rego 'data'"),
    (IAC_POLICY, "trivy image app:latest"),
    (COST, "infracost --version"),
    (TESTS, "pytest --collect-only"),
    (TESTS, "npm run build"),
    (TESTS, "go test -c -o bin/e2e.test ./e2e"),
    (TESTS, "bats --version"),
    (TESTS, "bats -v"),
    (TESTS, "helm lint charts/app"),
    (TESTS, "helm template charts/app"),
    (TESTS, "ct lint --config ct.yaml"),
    (TESTS, "go test -list . ./..."),
    (TESTS, "yarn backstage-cli repo lint"),
    (TESTS, "cft test list"),
    (TESTS, "cft blueprint lint"),
    (TESTS, "kitchen converge"),
    (TESTS, "yarn vitest bench"),
    (TESTS, "npm jest"),
    (TESTS, "mvn -B package -DskipTests"),
    (TESTS, "./gradlew assemble"),
    (TESTS, "tox -e lint"),
    (TESTS, "go build ./..."),
    (DEPLOYS, "docker push registry/app:1.2"),
    (DEPLOYS, "terraform plan"),
    (DEPLOYS, "kubectl apply --dry-run=client -f k8s/"),
    (DEPLOYS, "helm template ./chart"),
    (DEPLOYS, "vercel build"),
    (LOAD_TESTS, "locust -f locustfile.py"),
    (LOAD_TESTS, "jmeter -t plan.jmx"),
])
def test_near_misses_are_not_recognised(table, script: str) -> None:
    assert run_hits(table, script) == []


@pytest.mark.parametrize(("table", "reference", "args", "kind", "tool"), [
    (SAST, "github/codeql-action/analyze@v3", {}, "uses", "CodeQL"),
    (SAST, "github/codeql-action/init@v3", {}, "uses", "CodeQL"),
    (SAST, "SonarSource/sonarqube-scan-action@v5", {}, "uses", "SonarQube/SonarCloud"),
    (SAST, "snyk/actions/node@master", {"command": "code test"}, "uses", "Snyk Code"),
    (SAST, "template:Jobs/SAST.gitlab-ci.yml", {}, "include", "GitLab SAST"),
    (SAST, "template:Security/SAST.gitlab-ci.yml", {}, "include", "GitLab SAST"),
    (SAST, "SonarQubeAnalyze@6", {}, "task", "SonarQube/SonarCloud"),
    (SECRETS, "gitleaks/gitleaks-action@v2", {}, "uses", "gitleaks"),
    (SECRETS, "trufflesecurity/trufflehog@main", {}, "uses", "trufflehog"),
    (SECRETS, "template:Jobs/Secret-Detection.gitlab-ci.yml", {}, "include", "GitLab Secret Detection"),
    (SECRETS, "component:gitlab.com/components/secret-detection/secret-detection@1.0", {}, "include",
     "GitLab Secret Detection"),
    (IAC_POLICY, "bridgecrewio/checkov-action@v12", {}, "uses", "checkov"),
    (IAC_POLICY, "aquasecurity/trivy-action@0.28.0", {"scan-type": "config"}, "uses", "trivy config"),
    (IAC_POLICY, "template:Jobs/SAST-IaC.gitlab-ci.yml", {}, "include", "GitLab IaC scanning"),
    (DEPLOYS, "aws-actions/amazon-ecs-deploy-task-definition@v2", {}, "uses", "AWS deploy action"),
    (DEPLOYS, "google-github-actions/deploy-cloudrun@v2", {}, "uses", "Google Cloud deploy action"),
    (DEPLOYS, "pulumi/actions@v5", {"command": "up"}, "uses", "Pulumi"),
    (LOAD_TESTS, "grafana/run-k6-action@v1", {}, "uses", "k6"),
    (PRE_COMMIT_RUN, "pre-commit/action@v3.0.1", {}, "uses", "pre-commit"),
])
def test_references_are_recognised(table, reference: str, args: dict, kind: str, tool: str) -> None:
    assert [h.tool for h in uses_hits(table, reference, args, kind)] == [tool]


@pytest.mark.parametrize(("table", "reference", "args"), [
    (SAST, "github/codeql-action/upload-sarif@v3", {}),
    (SAST, "snyk/actions/node@master", {}),
    (IAC_POLICY, "aquasecurity/trivy-action@0.28.0", {"scan-type": "fs"}),
    (IAC_POLICY, "aquasecurity/trivy-action@0.28.0", {}),
    (DEPLOYS, "docker/build-push-action@v6", {}),
    (DEPLOYS, "pulumi/actions@v5", {"command": "preview"}),
    (LOAD_TESTS, "grafana/setup-k6-action@v1", {}),
])
def test_reference_near_misses(table, reference: str, args: dict) -> None:
    assert uses_hits(table, reference, args) == []


@pytest.mark.parametrize(("table", "script", "blocking"), [
    (SAST, "bandit -r src --exit-zero", False),
    (SAST, "bandit -r src", True),
    (SAST, "mix sobelow", False),
    (SAST, "mix sobelow --exit medium", True),
    (SAST, "semgrep scan --config auto", False),
    (SECRETS, "trufflehog filesystem .", False),
    (SECRETS, "gitleaks detect --exit-code 0", False),
    (IAC_POLICY, "checkov -d . --soft-fail", False),
    (IAC_POLICY, "checkov -d . || true", False),
])
def test_reporting_only_runs_do_not_gate(table, script: str, blocking: bool) -> None:
    hits = run_hits(table, script)
    assert len(hits) == 1 and hits[0].blocking is blocking
