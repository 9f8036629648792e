"""Dockerfiles as Docker's reference reads them: only the final stage ships."""

from __future__ import annotations

import pytest

from linter.detectors.kinds.dockerfile import is_dockerfile, read_image, starts_server


@pytest.mark.parametrize(("path", "shipped"), [
    ("Dockerfile", True), ("api/Dockerfile", True), ("Dockerfile.api", True), ("api.Dockerfile", True),
    ("Containerfile", True), ("Dockerfile.dev", False), ("test.Dockerfile", False), ("Dockerfile.ci", False),
    ("Dockerfile-e2e.local", False), ("docker-compose.yml", False), ("Dockerfiles.md", False),
])
def test_which_files_are_shipped_dockerfiles(path: str, shipped: bool) -> None:
    assert is_dockerfile(path) is shipped


def test_expose_in_any_stage_serves_and_copying_the_context_makes_it_ours() -> None:
    image = read_image("FROM node:20 AS build\nCOPY . .\nRUN npm ci\n\nFROM node:20-slim\nEXPOSE 3000\n"
                       "CMD [\"node\", \"x.js\"]\n")
    assert image is not None and (image.base, image.expose_line, image.expose) == ("node", 6, "3000")
    assert image.serves and image.copies_context


def test_a_release_stage_that_is_not_last_still_counts() -> None:
    """``docker build --target release``: the shipped stage serves; a later upload stage does not."""
    image = read_image("FROM node:20 AS release\nCOPY . /app\nEXPOSE 3001\nCMD [\"node\", \"server.js\"]\n"
                       "FROM alpine AS upload\nCOPY --from=release /app/dist /dist\n")
    assert image is not None and image.serves and image.expose_line == 3


def test_a_repackaged_third_party_server_is_not_this_repositorys_program() -> None:
    image = read_image("FROM mongo:7\nADD https://example.com/mongod.conf /etc/\nEXPOSE 27017\n")
    assert image is not None and image.serves and not image.copies_context
    copied_from_stage = read_image("FROM golang:1.22 AS build\nFROM scratch\nCOPY --from=build /app /app\n")
    assert copied_from_stage is not None and not copied_from_stage.copies_context


def test_server_command_with_continuations_and_comments() -> None:
    text = "FROM python:3.12\n# serve\nCMD gunicorn \\\n  # a comment inside\n  --bind :8000 app:app\n"
    image = read_image(text)
    assert image is not None and image.command_line == 3 and "gunicorn" in image.command


@pytest.mark.parametrize(("argv", "server"), [
    (["gunicorn", "app:app"], True), (["/usr/local/bin/uvicorn", "main:app"], True),
    (["./bin/rails", "server"], True), (["bundle", "exec", "puma"], True), (["bundle", "exec", "rake"], False),
    (["npm", "start"], True), (["sh", "-c", "nginx -g 'daemon off;'"], True), (["python", "cli.py"], False),
    (["ruff"], False), (["node", "dist/index.js"], False), ([], False),
])
def test_server_commands(argv: list[str], server: bool) -> None:
    assert starts_server(argv) is server


def test_static_image_and_digests_and_registry_ports() -> None:
    assert read_image("FROM nginx:1.27-alpine@sha256:abc\nCOPY dist /usr/share/nginx/html\n").base == "nginx"
    assert read_image("FROM registry.example.com:5000/team/app:1.2\n").base == "registry.example.com:5000/team/app"
    assert read_image("# only a comment\n") is None
