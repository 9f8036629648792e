"""Applications that no package registry holds: Nx workspace applications, daemons Compose
keeps running, Vercel projects with server code, and the ``npm init`` leftovers beside
Lambda code that are no evidence of a published package. Positives, near misses, hostile."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.kinds.test_inference import DOCKER_SERVER, kind_of


def js(value: object) -> str:
    return json.dumps(value, indent=1)


def nx_app(executor: str = "@nx/angular:application", name: str = "shop", **options: object) -> str:
    return js({"name": name, "projectType": "application",
               "targets": {"build": {"executor": executor, "options": options}}})


LIB = js({"name": "ui", "projectType": "library", "targets": {"test": {"executor": "@nx/jest:jest"}}})
NPM_INIT = {"name": "lambdas", "version": "1.0.0", "description": "", "main": "index.js",
            "scripts": {"test": 'echo "Error: no test specified" && exit 1'}, "license": "ISC"}


@pytest.mark.parametrize(("files", "kind"), [
    # Nx: an application built for the browser is a website, also from a subfolder
    ({"apps/shop/project.json": nx_app(), "libs/ui/project.json": LIB}, "website"),
    ({"apps/shop/project.json": nx_app("@angular-devkit/build-angular:browser")}, "website"),
    # a Node server (a Node executor, or a bundle for Node; old @nrwl names too) is a service
    ({"apps/api/project.json": nx_app("@nx/webpack:webpack", target="node")}, "service"),
    ({"apps/api/project.json": js({"projectType": "application",
                                   "targets": {"serve": {"executor": "@nrwl/node:execute"}}})}, "service"),
    ({"apps/api/project.json": nx_app("@nx/esbuild:esbuild", platform="node")}, "service"),
    # a mobile application is a tool
    ({"apps/mobile/project.json": nx_app("@nx/expo:build")}, "tool"),
    # near misses: libraries, end-to-end test projects, an application of another tool's schema
    ({"libs/ui/project.json": LIB}, "unknown"),
    ({"apps/shop-e2e/project.json": js({"name": "shop-e2e", "projectType": "application"})}, "unknown"),
    ({"apps/check/project.json": nx_app("@nx/playwright:playwright", name="check")}, "unknown"),
    ({"project.json": js({"name": "x", "type": "application"})}, "unknown"),
    # hostile: targets that are not a mapping, an executor that is not a string
    ({"apps/a/project.json": js({"projectType": "application", "targets": ["build"]})}, "website"),
    ({"apps/a/project.json": js({"projectType": "application", "targets": {"b": {"executor": 7}}})}, "website"),
    # a published library beside a browser application in a subfolder stays a library (its docs site)
    ({"apps/docs/project.json": nx_app(), "package.json": js({"name": "lib", "main": "dist/i.js"})}, "library"),
    # Compose keeps a daemon running: a bot or a consumer with no port is a service
    ({"docker-compose.yml": "services:\n  bot:\n    build: .\n    restart: unless-stopped\n"}, "service"),
    ({"compose.yaml": "services:\n  worker:\n    build: .\n    restart: on-failure:5\n"}, "service"),
    # near misses: Compose's default policy, a restart policy of an image built elsewhere, no build
    ({"docker-compose.yml": "services:\n  job:\n    build: .\n    restart: \"no\"\n"}, "unknown"),
    ({"docker-compose.yml": "services:\n  db:\n    image: postgres:16\n    restart: always\n"}, "unknown"),
    ({"docker-compose.yml": "services:\n  bot:\n    build: .\n    restart: [always]\n"}, "unknown"),  # hostile
    # Vercel: a website, unless it runs the project's own server code
    ({"apps/web/vercel.json": js({"crons": [{"path": "/api/cron", "schedule": "0 * * * *"}]}),
      "packages/ui/package.json": js({"name": "@acme/ui", "main": "dist/index.js"})}, "service"),
    ({"vercel.json": js({"functions": {"api/*.ts": {"memory": 1024}}})}, "service"),
    ({"vercel.json": js({"crons": [], "redirects": []})}, "website"),
    ({"vercel.json": js({"functions": "all"})}, "website"),  # hostile: not a mapping
    # npm init leftovers are no evidence of publishing
    ({"lambda/package.json": js(NPM_INIT), "lambda/index.js": "exports.handler = async () => 1;\n"}, "unknown"),
    ({"lambda/package.json": js({**NPM_INIT, "scripts": {"build": "tsc"}}), "lambda/src/handler.ts": ""}, "unknown"),
    # ... beside Terraform, the Terraform decides
    ({"lambda/package.json": js(NPM_INIT), "lambda/index.js": "", "infra/main.tf": "resource \"x\" \"y\" {}\n"},
     "infrastructure"),
    # near misses: an index.js that is there and tested, or a package prepared for the registry
    ({"package.json": js({**NPM_INIT, "scripts": {"test": "node --test"}}), "index.js": ""}, "library"),
    ({"package.json": js({**NPM_INIT, "files": ["index.js"]}), "index.js": ""}, "library"),
    ({"package.json": js({**NPM_INIT, "bin": "cli.js"}), "cli.js": ""}, "tool"),
    # a deployed image still outranks everything above
    ({"Dockerfile": DOCKER_SERVER, "apps/docs/project.json": nx_app()}, "service"),
])
def test_applications_without_a_registry(tmp_path: Path, files: dict[str, str], kind: str) -> None:
    assert kind_of(tmp_path, files)[0] == kind
