"""Commands run in containers: ``docker compose run SERVICE CMD`` and ``docker run`` of an image
the pipeline builds from a Dockerfile of the repository (its ENTRYPOINT followed back to the
script COPY'd from the repository, with the arguments as its parameters)."""

from __future__ import annotations

from linter.detectors.ci.tables import DEPENDENCY_SCAN, SAST, TESTS
from tests.detectors.ci.helpers import hits, workflow

CI = ".github/workflows/ci.yml"
DOCKERFILE = """FROM python:3.12 AS base
WORKDIR /app
COPY backend/ /app/
COPY docker/entrypoint.sh /entrypoint.sh
FROM base AS dev
ENTRYPOINT ["/bin/bash", "/entrypoint.sh"]
"""
ENTRYPOINT = """#!/bin/bash
case "$1" in
  lint)
    exec bandit -r src
    ;;
  test)
    exec pytest "${@:2}"
    ;;
esac
"""


def test_docker_run_of_an_image_the_job_builds_follows_its_entrypoint(make_repo) -> None:
    cmd = "docker build -f Dockerfile --target dev -t ci/backend:dev . && docker run --rm ci/backend:dev lint"
    root = make_repo({CI: workflow(cmd), "Dockerfile": DOCKERFILE, "docker/entrypoint.sh": ENTRYPOINT})
    assert hits(root, SAST) == [("Bandit", "bandit -r src", f"{CI}:6 -> docker/entrypoint.sh:4")]
    assert hits(root, TESTS) == []


def test_an_image_built_in_another_job_of_the_pipeline(make_repo) -> None:
    gitlab = ("variables:\n  IMAGE: registry.example.com/app:$CI_COMMIT_SHA\n"
              "test:\n  script:\n    - docker run --rm $IMAGE test -x\n"
              "build:\n  script:\n    - docker build --target dev -t $IMAGE .\n")
    root = make_repo({".gitlab-ci.yml": gitlab, "Dockerfile": DOCKERFILE, "docker/entrypoint.sh": ENTRYPOINT})
    assert [h[:2] for h in hits(root, TESTS)] == [("pytest", "pytest -x")]


def test_an_image_without_entrypoint_runs_its_arguments(make_repo) -> None:
    cmd = "docker build -t app . && docker run app pip-audit -r requirements.txt"
    root = make_repo({CI: workflow(cmd), "Dockerfile": "FROM python:3.12\nCMD [\"python\"]\n"})
    assert [h[0] for h in hits(root, DEPENDENCY_SCAN)] == ["pip-audit"]


def test_near_misses(make_repo) -> None:
    # an image this job did not build is read as the tool it is named for, not followed
    root = make_repo({CI: workflow("docker run --rm ci/backend:dev lint"), "Dockerfile": DOCKERFILE,
                      "docker/entrypoint.sh": ENTRYPOINT})
    assert hits(root, SAST) == []
    # an entry point that is not in the repository stays unknown
    root = make_repo({CI: workflow("docker build -t x . && docker run x lint"),
                      "Dockerfile": "FROM tool\nENTRYPOINT [\"/usr/bin/tool\"]\n"})
    assert hits(root, SAST) == []


def test_compose_run_runs_the_command_in_the_service(make_repo) -> None:
    root = make_repo({CI: workflow("docker compose run --rm -e CI=1 web pytest -x")})
    assert [h[:2] for h in hits(root, TESTS)] == [("pytest", "pytest -x")]
    compose = "services:\n  web:\n    build: .\n    entrypoint: [\"./entrypoint.sh\"]\n"
    root = make_repo({CI: workflow("docker compose run web lint"), "compose.yaml": compose,
                      "entrypoint.sh": ENTRYPOINT})
    assert [h[:2] for h in hits(root, SAST)] == [("Bandit", "bandit -r src")]
