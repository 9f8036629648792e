"""Hypothesis strategies: arbitrary text and YAML, and trees shaped like the files detectors read."""

from __future__ import annotations

import json
from typing import Any

import yaml
from hypothesis import strategies as st

#: Keys that real formats use, mixed with arbitrary ones so shapes are near-real.
KEYS = ["on", "jobs", "steps", "uses", "run", "with", "if", "needs", "runs-on", "name", "script", "stage",
        "stages", "rules", "only", "include", "image", "services", "spec", "kind", "metadata", "apiVersion",
        "members", "memberOf", "owner", "type", "children", "parent", "objectives", "target", "targetPercent",
        "indicator", "service", "query", "ratioMetric", "good", "total", "thresholdMetric", "op", "value",
        "budgetingMethod", "timeWindow", "slos", "objective", "sli", "events", "error_query", "total_query",
        "groups", "expr", "alert", "record", "labels", "annotations", "replicas", "template", "containers",
        "resources", "Resources", "Type", "Properties", "AWSTemplateFormatVersion", "version", "workflows",
        "pipelines", "trigger", "pool", "repos", "hooks", "id", "branches", "push", "pull_request", "schedule",
        "dependencies", "renovate", "updates", "package-ecosystem", "panels", "targets", "dashboard", "title",
        "description", "tags", "environment", "when", "default", True, 0, None]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**12, max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=40),
    st.sampled_from(["latest", "main", "p99", "99.9", "0.99", "5m", "actions/checkout@v4", "pip-audit",
                     "npm audit", "${{ github.ref }}", "$CI_COMMIT_BRANCH", "**/*.py", "@org/team", "user:alice",
                     "group:default/team-a", "histogram_quantile(0.99, rate(x_bucket[5m]))", ""]),
)
keys = st.one_of(st.sampled_from(KEYS), st.text(max_size=12))


def json_like(max_leaves: int = 25) -> st.SearchStrategy[Any]:
    return st.recursive(
        scalars,
        lambda children: st.one_of(st.lists(children, max_size=4),
                                   st.dictionaries(keys, children, max_size=5)),
        max_leaves=max_leaves,
    )


def dump_yaml(documents: list[Any]) -> str:
    """Serialise documents with the safe dumper (keys may be bool/None/int: YAML allows it)."""
    return yaml.safe_dump_all(documents, sort_keys=False, allow_unicode=True)


def step() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.fixed_dictionaries({"uses": scalars}, optional={"with": json_like(6), "if": scalars, "name": scalars}),
        st.fixed_dictionaries({"run": st.one_of(scalars, shell_script())}, optional={"name": scalars, "if": scalars}),
        json_like(5),
    )


def github_workflow() -> st.SearchStrategy[Any]:
    events = st.one_of(scalars, st.lists(st.sampled_from(["push", "pull_request", "schedule", "workflow_dispatch"])),
                       st.dictionaries(st.sampled_from(["push", "pull_request", "schedule", "release"]),
                                       st.one_of(st.none(), json_like(6),
                                                 st.fixed_dictionaries({"branches": st.lists(scalars, max_size=3)}))))
    job = st.one_of(json_like(8), st.fixed_dictionaries(
        {"runs-on": scalars, "steps": st.one_of(st.lists(step(), max_size=4), scalars)},
        optional={"if": scalars, "needs": scalars, "uses": scalars, "environment": scalars}))
    return st.fixed_dictionaries({"on": events, "jobs": st.one_of(st.dictionaries(keys, job, max_size=3), scalars)},
                                 optional={"name": scalars, "permissions": json_like(4)})


def gitlab_ci() -> st.SearchStrategy[Any]:
    job = st.one_of(json_like(8), st.fixed_dictionaries(
        {"script": st.one_of(st.lists(st.one_of(scalars, shell_script()), max_size=3), scalars)},
        optional={"stage": scalars, "rules": st.lists(json_like(4), max_size=3), "only": json_like(4),
                  "image": scalars, "environment": json_like(3), "extends": scalars}))
    return st.dictionaries(st.one_of(keys, st.sampled_from(["include", "stages", "variables", "default"])), job,
                           max_size=5)


def cloudbuild_config() -> st.SearchStrategy[Any]:
    """Google Cloud Build: builder steps with args, an entrypoint or a script."""
    step = st.one_of(json_like(6), st.fixed_dictionaries(
        {"name": st.one_of(st.sampled_from(["gcr.io/cloud-builders/docker", "python:3.12", "gcr.io/k8s-skaffold/skaffold",
                                            "gcr.io/cloud-builders/gcloud"]), scalars)},
        optional={"args": st.one_of(st.lists(st.one_of(scalars, st.sampled_from(["-c", "pytest", "test"])), max_size=4),
                                    json_like(3)),
                  "entrypoint": st.one_of(st.sampled_from(["bash", "sh"]), scalars),
                  "script": st.one_of(shell_script(), scalars), "allowFailure": scalars, "id": scalars}))
    return st.fixed_dictionaries({"steps": st.one_of(st.lists(step, max_size=4), scalars)},
                                 optional={"images": json_like(3), "options": json_like(3)})


KINDS = ["Component", "Group", "User", "API", "System", "Domain", "Resource", "Location", "Template", "component"]


def backstage_entity() -> st.SearchStrategy[Any]:
    refs = st.one_of(scalars, st.lists(scalars, max_size=5))
    spec = st.one_of(json_like(10), st.fixed_dictionaries({}, optional={
        "type": st.one_of(st.sampled_from(["service", "team", "website", "library", "squad"]), scalars),
        "owner": scalars, "members": refs, "memberOf": refs, "children": refs, "parent": scalars,
        "lifecycle": scalars, "system": scalars, "dependsOn": refs, "providesApis": refs, "profile": json_like(4)}))
    metadata = st.one_of(json_like(6), st.fixed_dictionaries({"name": scalars}, optional={
        "namespace": scalars, "annotations": json_like(5), "tags": refs}))
    return st.fixed_dictionaries({
        "apiVersion": st.one_of(st.sampled_from(["backstage.io/v1alpha1", "backstage.io/v1beta1"]), scalars),
        "kind": st.one_of(st.sampled_from(KINDS), scalars), "metadata": metadata, "spec": spec})


def openslo_document() -> st.SearchStrategy[Any]:
    objective = st.one_of(json_like(6), st.fixed_dictionaries({}, optional={
        "target": scalars, "targetPercent": scalars, "op": st.one_of(st.sampled_from(["lt", "lte", "gt"]), scalars),
        "value": scalars, "displayName": scalars, "indicator": json_like(6), "indicatorRef": scalars}))
    spec = st.one_of(json_like(10), st.fixed_dictionaries({}, optional={
        "service": scalars, "objectives": st.one_of(st.lists(objective, max_size=4), scalars),
        "indicator": json_like(10), "indicatorRef": scalars, "budgetingMethod": scalars,
        "timeWindow": json_like(4), "ratioMetric": json_like(8), "thresholdMetric": json_like(6)}))
    return st.fixed_dictionaries({
        "apiVersion": st.one_of(st.sampled_from(["openslo/v1", "openslo/v1alpha"]), scalars),
        "kind": st.one_of(st.sampled_from(["SLO", "SLI", "Service", "AlertPolicy", "DataSource"]), scalars),
        "metadata": json_like(4), "spec": spec})


def sloth_or_prometheus() -> st.SearchStrategy[Any]:
    rule = st.one_of(json_like(6), st.fixed_dictionaries({}, optional={
        "alert": scalars, "record": scalars, "expr": st.one_of(scalars, promql()), "for": scalars,
        "labels": json_like(3)}))
    return st.one_of(
        st.fixed_dictionaries({"groups": st.lists(st.fixed_dictionaries(
            {"name": scalars, "rules": st.one_of(st.lists(rule, max_size=4), scalars)}), max_size=3)}),
        st.fixed_dictionaries({"version": st.sampled_from(["prometheus/v1", "v1"]), "service": scalars,
                               "slos": st.one_of(st.lists(json_like(10), max_size=3), scalars)}),
    )


def k8s_object() -> st.SearchStrategy[Any]:
    return st.fixed_dictionaries({
        "apiVersion": st.one_of(st.sampled_from(["apps/v1", "v1", "autoscaling/v2", "policy/v1"]), scalars),
        "kind": st.one_of(st.sampled_from(["Deployment", "StatefulSet", "Service", "HorizontalPodAutoscaler",
                                           "PodDisruptionBudget", "CronJob"]), scalars),
        "metadata": json_like(4),
        "spec": st.one_of(json_like(12), st.fixed_dictionaries({}, optional={
            "replicas": scalars, "template": json_like(10), "minReplicas": scalars, "maxReplicas": scalars}))})


def promql() -> st.SearchStrategy[str]:
    parts = st.sampled_from(["histogram_quantile(", "0.99", "0.5", ", ", "sum(", "rate(", "x_bucket", "{le=\"0.3\"}",
                             "[5m]", ")", " by (le)", " > ", "quantile=\"0.99\"", "p99", "latency", "(", "{", "}",
                             "\"", "\\", "le", "_count", "_sum", "/", "*", " "])
    return st.lists(parts, max_size=30).map("".join)


def shell_script() -> st.SearchStrategy[str]:
    words = st.sampled_from(["pip-audit", "npm", "audit", "snyk", "test", "trivy", "fs", ".", "&&", "||", "|", ";",
                             "$(", ")", "`", "'", "\"", "\\\n", "\n", "sudo", "env", "A=1", "bash", "-c", "sh",
                             "<<EOF\n", "\nEOF\n", "#", "{", "}", "(", ")", "if", "then", "fi", "for", "do", "done",
                             "npx", "semgrep", "--config", "auto", "python", "-m", "pytest", "exec", "time", " ",
                             "${VAR:-x}", "$((1+2))", "<(cat)", "2>&1", "*", "~"])
    return st.one_of(st.lists(words, max_size=40).map(" ".join), st.text(max_size=200))


def codeowners_text() -> st.SearchStrategy[str]:
    line = st.one_of(
        st.lists(st.sampled_from(["*", "/src/", "docs/**", "*.py", "\\#file", "[Section]", "^[Optional][2]",
                                  "@org/team", "@user", "user@example.com", "!neg", "/a b", "\\ ", "#", "@",
                                  "[", "]", "**", "/**/x", "?", "[abc]", "\t", " "]), max_size=6).map(" ".join),
        st.text(max_size=60))
    return st.lists(line, max_size=12).map("\n".join)


def markdown_prfaq() -> st.SearchStrategy[str]:
    labels = st.sampled_from(["PR/FAQ", "Press release", "Working backwards", "FAQ", "Problem", "Solution",
                              "Customer quote", "Getting started", "Headline", "Q: why?", "A: because",
                              "Internal FAQ", "External FAQ", "Frequently asked questions", "Non-goals", ""])
    block = st.one_of(
        st.tuples(st.integers(1, 7), labels).map(lambda t: "#" * t[0] + " " + t[1]),
        st.text(max_size=80), labels.map(lambda s: f"**{s}:** text"), labels.map(lambda s: f"- {s}"),
        st.just("> \"Great,\" said a customer."), st.just("```\n# PR/FAQ\n```"), st.just("<!-- ## Problem -->"),
        st.just("---\ntitle: PR/FAQ\n---"), st.just("| a | b |\n|---|---|\n| 1 | 2 |"), st.just("<details>"),
        st.just("Q: what?\nA: this."),
    )
    return st.lists(block, max_size=15).map("\n\n".join)


def hcl_snippet() -> st.SearchStrategy[str]:
    tokens = st.sampled_from(['resource "aws_instance" "web" {', 'variable "x" {', "module \"m\" {", "}", "{", "=",
                              "tags = {", 'Name = "x"', "count = 3", "[", "]", ",", '"${var.x}"', "${", "<<EOF\n",
                              "\nEOF\n", "<<-EOT\n", "\nEOT", "# comment\n", "// c\n", "/* ", " */", "\n",
                              'provider "aws" {', "for_each = toset([\"a\"])", "dynamic \"x\" {", "content {",
                              "lifecycle {", "data \"d\" \"e\" {", "\"", "\\", "%{ if x }", "%{ endif }",
                              "slo {", "target = 0.99", "latency = 300", 'datadog_service_level_objective "s" {'])
    return st.one_of(st.lists(tokens, max_size=40).map(" ".join), st.text(max_size=200))


def jenkinsfile() -> st.SearchStrategy[str]:
    tokens = st.sampled_from(["pipeline {", "agent any", "stages {", "stage('x') {", "steps {", "sh '", "'", "\"",
                              "\"\"\"", "'''", "}", "{", "sh 'pip-audit'", "sh \"npm audit\"", "when {",
                              "branch 'main'", "// c\n", "/* ", "*/", "\n", "node {", "script {", "$", "${x}", "\\",
                              "(", ")", "parallel {", "post {", "always {"])
    return st.one_of(st.lists(tokens, max_size=40).map(" ".join), st.text(max_size=200))


def json_text() -> st.SearchStrategy[str]:
    return json_like(20).map(lambda v: json.dumps(v, default=str))
