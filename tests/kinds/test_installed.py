"""Programs and plugins people install into a device or a host application (rank
``INSTALLED``): Android applications with a store listing, browser extensions, Grafana
plugins; and code built here that nothing publishes (rank ``BUILT``), which decides only when
nothing is published. Positives, near misses and what each outranks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linter.detectors.services import ScopeSettings, discover_scopes
from linter.repo.workspace import Workspace
from tests.helpers import write_tree
from tests.kinds.test_inference import kind_of

APP = "plugins {\n  id 'com.android.application'\n}\nandroid {\n  defaultConfig {\n    applicationId 'org.example.app'\n  }\n}\n"
LIBRARY = "plugins {\n  id 'com.android.library'\n}\n"
PUBLISHED = "plugins {\n  id 'com.android.library'\n  id 'com.vanniktech.maven.publish'\n}\n"
LISTING = {"fastlane/metadata/android/en-US/title.txt": "App\n",
           "fastlane/metadata/android/en-US/full_description.txt": "An app.\n"}
EXTENSION = {"manifest_version": 3, "name": "Refined", "version": "1.0", "permissions": ["storage"]}
PANEL = {"type": "panel", "name": "Clock", "id": "grafana-clock-panel", "info": {"version": "1.0"},
         "dependencies": {"grafanaDependency": ">=11"}}


def js(value: object) -> str:
    return json.dumps(value, indent=1)


@pytest.mark.parametrize(("files", "kind"), [
    # Android: an application module is a tool; a convention plugin's app is named by its applicationId
    ({"app/build.gradle": APP}, "tool"),
    ({"app/build.gradle.kts": "plugins {\n  alias(libs.plugins.nowinandroid.android.application)\n}\n"
                              "android {\n  defaultConfig {\n    applicationId = \"com.example.nia\"\n  }\n}\n"}, "tool"),
    # near misses: a suffix, a library module, a comment
    ({"app/build.gradle.kts": "android {\n  buildTypes {\n    debug { applicationIdSuffix = \".debug\" }\n  }\n}\n"},
     "unknown"),
    ({"lib/build.gradle": LIBRARY}, "unknown"),
    ({"app/build.gradle": "// applicationId 'org.example.app'\nplugins { }\n"}, "unknown"),
    # a published Android library outranks the sample and reproduction apps of its build
    ({"lottie/build.gradle": PUBLISHED, "sample/build.gradle": APP, "issue-repro/build.gradle": APP,
      "issue-repro-compose/build.gradle": APP}, "library"),
    # ... but an application released with a store listing is what the repository ships
    ({"app/build.gradle": APP, "libs/core/build.gradle.kts": PUBLISHED, "libs/index/build.gradle.kts": PUBLISHED,
      "libs/download/build.gradle.kts": PUBLISHED, **LISTING}, "tool"),
    ({"app/build.gradle": APP, "libs/core/build.gradle.kts": PUBLISHED,
      "app/src/main/play/listings/en-US/title.txt": "App\n"}, "tool"),  # Gradle Play Publisher
    # apps whose lint-check module is a java-library nobody publishes stay apps
    ({"app/build.gradle": APP, "catalog/build.gradle": APP,
      "lint/build.gradle.kts": "plugins {\n  `java-library`\n}\n"}, "tool"),
    # a java-library alone is still a library
    ({"build.gradle": "plugins {\n  id 'java-library'\n}\n"}, "library"),
    # browser extensions
    ({"source/manifest.json": js(EXTENSION), "package.json": js({"name": "x", "private": True})}, "tool"),
    # ... outrank the npm package beside them (an extension's page API)
    ({"src/manifest.json": js({**EXTENSION, "manifest_version": 2}),
      "package.json": js({"name": "darkreader", "main": "darkreader.js"})}, "tool"),
    # near misses: a web application manifest, a manifest_version that is not 2 or 3, or not a number
    ({"public/manifest.json": js({"name": "App", "short_name": "a", "start_url": "/", "display": "standalone"})},
     "unknown"),
    ({"manifest.json": js({**EXTENSION, "manifest_version": 1})}, "unknown"),
    ({"manifest.json": js({**EXTENSION, "manifest_version": "3"})}, "unknown"),
    ({"manifest.json": js({**EXTENSION, "manifest_version": True})}, "unknown"),
    # Grafana plugins: libraries, over the backend's go.mod and the development Compose file
    ({"src/plugin.json": js(PANEL)}, "library"),
    ({"src/plugin.json": js({**PANEL, "type": "datasource", "backend": True}),
      "go.mod": "module github.com/grafana/infinity\n", "pkg/main.go": "package main\n",
      ".config/docker-compose-base.yaml": "services:\n  grafana:\n    build:\n      context: .\n    ports: ['3000:3000']\n",
      ".config/Dockerfile": "FROM grafana/grafana\nCOPY entrypoint.sh /\nEXPOSE 3000\n"}, "library"),
    # near misses: another host's plugin.json, an unknown type, no info
    ({"plugin.json": js({"id": "com.mattermost.demo", "name": "Demo", "server": {"executables": {}}})}, "unknown"),
    ({"plugin.json": js({**PANEL, "type": "widget"})}, "unknown"),
    ({"plugin.json": js({**PANEL, "info": "v1"})}, "unknown"),
    # a service that ships a plugin of its own is still a service
    ({"Dockerfile": "FROM python:3.12\nCOPY . /app\nEXPOSE 8000\n", "plugins/panel/plugin.json": js(PANEL)}, "service"),
])
def test_installed_programs_and_plugins(tmp_path: Path, files: dict[str, str], kind: str) -> None:
    assert kind_of(tmp_path, files)[0] == kind


def test_evidence_names_the_manifest_and_the_listing(tmp_path: Path) -> None:
    write_tree(tmp_path / "a", {"source/manifest.json": js(EXTENSION)})
    [scope] = discover_scopes(Workspace(tmp_path / "a"), ScopeSettings(), "repo")
    assert [(e.location(), e.detail) for e in scope.kind_evidence] == [
        ("source/manifest.json:2", "a browser extension (Refined; manifest_version 3)")]
    # another module's listing is not this one's: only `other` is released to a store
    write_tree(tmp_path / "b", {"lib/build.gradle": PUBLISHED, "demo/build.gradle": APP, "other/build.gradle": APP,
                                "other/fastlane/metadata/android/en-US/title.txt": "x\n"})
    [scope] = discover_scopes(Workspace(tmp_path / "b"), ScopeSettings(), "repo")
    assert [(e.location(), e.detail) for e in scope.kind_evidence] == [
        ("other/build.gradle:2", "the Gradle build makes an Android application (com.android.application) released "
                                 "with the store listing other/fastlane/metadata/android")]
