"""Dockerfiles as Docker's reference reads them: only the final stage ships."""

from __future__ import annotations

import pytest

from linter.detectors.kinds.dockerfile import final_stage, is_dockerfile, starts_server


@pytest.mark.parametrize(("path", "shipped"), [
    ("Dockerfile", True), ("api/Dockerfile", True), ("Dockerfile.api", True), ("api.Dockerfile", True),
    ("Containerfile", True), ("Dockerfile.dev", False), ("test.Dockerfile", False), ("Dockerfile.ci", False),
    ("Dockerfile-e2e.local", False), ("docker-compose.yml", False), ("Dockerfiles.md", False),
])
def test_which_files_are_shipped_dockerfiles(path: str, shipped: bool) -> None:
    assert is_dockerfile(path) is shipped


def test_expose_in_the_final_stage_serves() -> None:
    stage = final_stage("FROM node:20 AS build\nRUN npm ci\n\nFROM node:20-slim\nEXPOSE 3000\nCMD [\"node\", \"x.js\"]\n")
    assert stage is not None and (stage.base, stage.expose_line, stage.expose) == ("node", 5, "3000")


def test_expose_in_a_build_stage_only_does_not_count() -> None:
    stage = final_stage("FROM golang:1.22 AS build\nEXPOSE 8080\nFROM scratch\nCOPY --from=build /app /app\n"
                        "ENTRYPOINT [\"/app\"]\n")
    assert stage is not None and stage.expose_line == 0 and stage.command_line == 0 and stage.base == "scratch"


def test_server_command_with_continuations_and_comments() -> None:
    text = "FROM python:3.12\n# serve\nCMD gunicorn \\\n  # a comment inside\n  --bind :8000 app:app\n"
    stage = final_stage(text)
    assert stage is not None and stage.command_line == 3 and "gunicorn" in stage.command


@pytest.mark.parametrize(("argv", "server"), [
    (["gunicorn", "app:app"], True), (["/usr/local/bin/uvicorn", "main:app"], True),
    (["./bin/rails", "server"], True), (["bundle", "exec", "puma"], True), (["bundle", "exec", "rake"], False),
    (["npm", "start"], True), (["sh", "-c", "nginx -g 'daemon off;'"], True), (["python", "cli.py"], False),
    (["ruff"], False), (["node", "dist/index.js"], False), ([], False),
])
def test_server_commands(argv: list[str], server: bool) -> None:
    assert starts_server(argv) is server


def test_static_image_and_digests_and_registry_ports() -> None:
    assert final_stage("FROM nginx:1.27-alpine@sha256:abc\nCOPY dist /usr/share/nginx/html\n").base == "nginx"
    assert final_stage("FROM registry.example.com:5000/team/app:1.2\n").base == "registry.example.com:5000/team/app"
    assert final_stage("# only a comment\n") is None
