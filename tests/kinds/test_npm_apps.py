"""package.json beyond publishing: VS Code extensions (tools) and Node applications whose
``npm start`` runs a server framework (services), with the libraries that only depend on one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.kinds.test_inference import kind_of


def manifest(**fields: object) -> dict[str, str]:
    return {"package.json": json.dumps({"name": "app", **fields}, indent=1)}


@pytest.mark.parametrize(("files", "kind"), [
    # VS Code extensions: a packaged program installed into the editor (private or not)
    (manifest(main="./dist/extension.js", engines={"vscode": "^1.92.0"}, publisher="ms-python"), "tool"),
    (manifest(private=True, engines={"vscode": "^1.80.0"}), "tool"),
    (manifest(main="i.js", engines={"node": ">=18"}), "library"),  # near miss: a Node engine
    (manifest(main="i.js", engines={"vscode": 1}), "library"),  # hostile: not a version range
    # a Node server: a framework dependency and `npm start` running a program
    (manifest(private=True, dependencies={"express": "^4"}, scripts={"start": "node server.js"}), "service"),
    (manifest(dependencies={"@nestjs/core": "^10"}, scripts={"start": "nest start"}), "service"),
    # a Vite front end with its API, started through other scripts (cypress-realworld-app)
    (manifest(devDependencies={"express": "^4", "vite": "^5"},
              scripts={"start": "cross-env NODE_ENV=development concurrently yarn:start:react yarn:start:api",
                       "start:react": "vite", "start:api": "yarn tsnode --files backend/app.ts"}), "service"),
    (manifest(dependencies={"fastify": "^4"}, scripts={"start": "npm run serve", "serve": "node dist/main.js"}),
     "service"),
    # near misses: a library that depends on express with no start script stays a library
    ({**manifest(main="index.js", dependencies={"express": "^4"}), "index.js": ""}, "library"),
    # ... or one that only tests against it, even when started (an example server)
    (manifest(main="index.js", devDependencies={"express": "^4"}, scripts={"start": "node example.js"}), "unknown"),
    # a documentation site's dev server is not a Node server (trpc's www/)
    (manifest(private=True, devDependencies={"fastify": "^4"}, scripts={"start": "docusaurus start"}), "unknown"),
    (manifest(private=True, devDependencies={"express": "^4"}, scripts={"start": "vite --config vite.config.ts"}),
     "unknown"),
    # a published package whose `start` script runs its development sandbox (axios): the
    # fields only a package prepared for the registry has say it is a library
    (manifest(main="index.js", exports={".": "./index.js"}, types="index.d.ts",
              scripts={"start": "node ./sandbox/server.js"}), "library"),
    (manifest(bin={"app": "cli.js"}, files=["cli.js"], scripts={"start": "node cli.js"}), "tool"),
    # near misses: a private application with an export map, an empty export map
    (manifest(private=True, exports={".": "./index.js"}, scripts={"start": "node s.js"}), "unknown"),
    (manifest(main="s.js", exports={}, files=[], scripts={"start": "node s.js"}), "unknown"),
    # a start script with no server framework says nothing
    (manifest(main="s.js", scripts={"start": "node s.js"}), "unknown"),
    # hostile: scripts that run each other in a loop, a start that is not a string
    (manifest(dependencies={"express": "^4"}, scripts={"start": "yarn a", "a": "yarn b", "b": "npm run start"}),
     "unknown"),
    (manifest(private=True, dependencies={"express": "^4"}, scripts={"start": ["node", "s.js"]}), "unknown"),
    (manifest(dependencies=["express"], scripts={"start": "node s.js"}), "unknown"),
])
def test_npm_applications(tmp_path: Path, files: dict[str, str], kind: str) -> None:
    assert kind_of(tmp_path, files)[0] == kind


NEXT_APP = {"name": "taxonomy", "private": True, "scripts": {"build": "next build", "start": "next start"},
            "dependencies": {"next": "13.3.2", "react": "18.2.0"}}
PRISMA = 'generator client {\n  provider = "prisma-client-js"\n}\n\ndatasource db {\n  provider = "mysql"\n' \
         '  url = env("DATABASE_URL") // "https://x"\n}\n'


def next_app(**fields: object) -> str:
    return json.dumps({**NEXT_APP, **fields}, indent=1)


@pytest.mark.parametrize(("files", "kind"), [
    # a Next.js application run by `next start`: deployed pages; with its own database a service
    ({"package.json": next_app()}, "website"),
    ({"package.json": next_app(scripts={"start": "NODE_OPTIONS=x next start -p 3000"})}, "website"),
    ({"package.json": next_app(), "prisma/schema.prisma": PRISMA}, "service"),
    ({"package.json": next_app(prisma={"schema": "db/main.prisma"}), "db/main.prisma": PRISMA}, "service"),
    # near misses: a schema without a datasource (or only a commented one); a development
    # server; no next dependency; a library's Next.js site in a subfolder
    ({"package.json": next_app(), "prisma/schema.prisma": "// datasource db {\n///  datasource x {\nmodel A {}\n"},
     "website"),
    ({"package.json": next_app(scripts={"start": "next dev"})}, "unknown"),
    ({"package.json": next_app(scripts={"build": "next build"})}, "unknown"),
    ({"package.json": next_app(dependencies={"react": "18"})}, "unknown"),
    ({"pyproject.toml": "[project]\nname = \"lib\"\n", "website/package.json": next_app()}, "library"),
    # hostile: a schema path out of the folder, a schema that is not a string, start not a string
    ({"app/package.json": next_app(prisma={"schema": "../prisma/schema.prisma"}),
      "prisma/schema.prisma": PRISMA}, "website"),
    ({"package.json": next_app(prisma={"schema": ["x.prisma"]})}, "website"),
    ({"package.json": next_app(scripts={"start": ["next", "start"]})}, "unknown"),
    ({"package.json": next_app(), "prisma/schema.prisma": '"' * 10_000 + "\ndatasource db {\n"}, "service"),
])
def test_next_applications(tmp_path: Path, files: dict[str, str], kind: str) -> None:
    assert kind_of(tmp_path, files)[0] == kind
