"""Push refs and deploy/test moments: which pushes start a job, and when in a change's life it runs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.detectors import ci
from linter.detectors.ci import refs
from linter.detectors.ci.refs import (
    ANY_BRANCH, ANY_TAG, DEFAULT_BRANCH, github_push_refs, gitlab_condition_refs, gitlab_only_refs,
    narrow_github_refs, only_default_branch,
)
from linter.detectors.ci.stages import deploy_jobs, deploys_on_merge, moment
from linter.repo.workspace import Workspace
from tests.helpers import write_tree, cpu_seconds


@pytest.mark.parametrize(("on", "refs"), [
    ("push", (ANY_BRANCH, ANY_TAG)),
    (["push", "pull_request"], (ANY_BRANCH, ANY_TAG)),
    ({"push": None}, (ANY_BRANCH, ANY_TAG)),
    ({"push": {"branches": ["main"]}}, ("branch:main",)),
    ({"push": {"branches": "main"}}, ("branch:main",)),
    ({"push": {"tags": ["v*"]}}, ("tag:v*",)),
    ({"push": {"branches": ["main"], "tags": ["v*"]}}, ("branch:main", "tag:v*")),
    ({"push": {"branches-ignore": ["main"]}}, ("branch:!default",)),  # a branch filter alone drops tags
    ({"pull_request": None}, ()),
    (None, ()),
    (42, ()),
    ({"push": ["not", "a", "mapping"]}, (ANY_BRANCH, ANY_TAG)),
])
def test_github_push_refs(on, refs) -> None:
    assert github_push_refs(on) == tuple(sorted(refs))


@pytest.mark.parametrize(("condition", "refs"), [
    ("github.ref == 'refs/heads/main'", ("branch:main",)),
    ("${{ github.ref_name == 'release' }}", ("branch:release",)),
    ("startsWith(github.ref, 'refs/tags/')", (ANY_TAG,)),
    ("github.ref == 'refs/heads/main' || github.event_name == 'workflow_dispatch'", (ANY_BRANCH, ANY_TAG)),
    ("success()", (ANY_BRANCH, ANY_TAG)),
])
def test_job_if_narrows_github_refs(condition: str, refs) -> None:
    assert narrow_github_refs((ANY_BRANCH, ANY_TAG), condition) == refs


@pytest.mark.parametrize(("condition", "refs"), [
    ("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH", (DEFAULT_BRANCH,)),
    ('$CI_COMMIT_BRANCH == "main"', ("branch:main",)),
    ("$CI_COMMIT_TAG", (ANY_TAG,)),
    ('$CI_PIPELINE_SOURCE == "merge_request_event"', ()),
    ("$CI_COMMIT_TAG == null", ()),
])
def test_gitlab_condition_refs(condition: str, refs) -> None:
    assert gitlab_condition_refs(condition) == refs


@pytest.mark.parametrize(("only", "refs"), [
    (["main"], ("branch:main",)),
    (["tags"], (ANY_TAG,)),
    ({"refs": ["branches"]}, (ANY_BRANCH,)),
    (["merge_requests"], ()),
    ("main", ("branch:main",)),
    (None, ()),
])
def test_gitlab_only_refs(only, refs) -> None:
    assert gitlab_only_refs(only) == refs


@pytest.mark.parametrize(("refs", "expected"), [
    (("branch:main",), True), (("branch:master", "branch:trunk"), True), ((DEFAULT_BRANCH,), True),
    ((ANY_BRANCH,), False), (("branch:main", "branch:feature/*"), False), ((ANY_TAG,), False), ((), False),
])
def test_only_default_branch(refs, expected: bool) -> None:
    assert only_default_branch(refs) is expected


WORKFLOWS = {
    ".github/workflows/pr.yml": "on: [pull_request]\njobs:\n  t:\n    steps:\n      - run: pytest\n",
    ".github/workflows/main.yml": ("on:\n  push:\n    branches: [main]\njobs:\n  deploy:\n    environment: prod\n"
                                   "    steps:\n      - run: ./deploy.sh\n"),
    ".github/workflows/tags.yml": ("on:\n  push:\n    tags: ['v*']\njobs:\n  release:\n    steps:\n"
                                   "      - run: helm upgrade --install app ./chart\n"),
    ".github/workflows/manual.yml": ("on: workflow_dispatch\njobs:\n  ship:\n    steps:\n"
                                     "      - run: kubectl apply -f k8s/\n"),
    ".github/workflows/any.yml": "on: push\njobs:\n  t:\n    steps:\n      - run: go test ./...\n",
}


def test_moments_and_deploys_from_real_workflows(tmp_path) -> None:
    facts = Workspace(write_tree(tmp_path, WORKFLOWS)).facts(ci.detect)
    by_path = {job.path: job for _, job in facts.jobs()}
    assert moment(by_path[".github/workflows/pr.yml"]) == "review"
    assert moment(by_path[".github/workflows/any.yml"]) == "review"
    assert moment(by_path[".github/workflows/main.yml"]) == "after-merge"
    assert moment(by_path[".github/workflows/tags.yml"]) == "tags"
    assert moment(by_path[".github/workflows/manual.yml"]) == "late"
    deploys = {d.path: d for d in deploy_jobs(facts)}
    assert set(deploys) == {".github/workflows/main.yml", ".github/workflows/tags.yml", ".github/workflows/manual.yml"}
    assert deploys[".github/workflows/main.yml"].reason == "environment prod"
    assert [p for p, d in deploys.items() if deploys_on_merge(d.job)] == [".github/workflows/main.yml"]


def test_gitlab_environment_stage_and_default_branch_rules(tmp_path) -> None:
    gitlab = """
stages: [test, deploy]
workflow:
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
test:
  script: [pytest]
production:
  stage: deploy
  environment:
    name: production
  script: [./ship.sh]
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
stop:
  stage: deploy
  environment: {name: review, action: stop}
  script: [./stop.sh]
  when: manual
"""
    facts = Workspace(write_tree(tmp_path, {".gitlab-ci.yml": gitlab})).facts(ci.detect)
    jobs = {job.name: job for _, job in facts.jobs()}
    assert jobs["production"].environment == "production"
    assert jobs["production"].triggers == frozenset({"push"})
    assert jobs["production"].refs == (DEFAULT_BRANCH,)
    assert deploys_on_merge(jobs["production"])
    assert jobs["stop"].environment == ""
    assert moment(jobs["test"]) == "review"


# ----------------------------------------------------------------- linear-time branch globs (issue 14)
def _reference_branch_glob(pattern: str, name: str) -> bool:
    """The backtracking translation used before, as the definition of the semantics."""
    import re

    regex = re.escape(pattern[:200]).replace(r"\*\*", ".*").replace(r"\*", "[^/]*").replace(r"\?", ".")
    return re.fullmatch(regex, name) is not None


@settings(max_examples=800, deadline=None)
@given(st.text(alphabet=st.sampled_from("*?/ma\\.[]"), max_size=12),
       st.text(alphabet=st.sampled_from("ma/.\\*?"), max_size=10))
def test_branch_globs_mean_what_they_meant(pattern: str, name: str) -> None:
    assert refs._glob_match(pattern, name) is _reference_branch_glob(pattern, name)


def test_a_filter_of_a_hundred_double_stars_is_linear() -> None:
    """``"**" * 99 + "x"`` made the old regex try every way of spreading ``master`` over 99
    ``.*``: tens of seconds for ``trunk``, minutes for ``master``."""

    start = cpu_seconds()
    assert not refs.is_default_branch("branch:" + "**" * 99 + "x")
    assert not refs.is_default_branch("branch:" + "*?" * 99)
    assert refs.is_default_branch("branch:" + "**" * 99)
    assert cpu_seconds() - start < 10
