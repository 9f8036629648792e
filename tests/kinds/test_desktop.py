"""Desktop applications (rank ``INSTALLED``, a tool): Electron applications packaged by
electron-builder or Electron Forge, Tauri applications. Positives, near misses, hostile
files, and what each outranks (the ``package.json`` ``main`` of Electron's entry point)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.kinds.test_inference import kind_of

ELECTRON_MAIN = {"name": "marktext", "main": "./dist/electron/main.js", "devDependencies": {"electron": "^29"}}


def js(value: object) -> str:
    return json.dumps(value, indent=1)


@pytest.mark.parametrize(("files", "kind"), [
    # electron-builder's own file outranks the package.json main (marktext)
    ({"package.json": js(ELECTRON_MAIN), "electron-builder.yml": 'productName: "MarkText"\nappId: "com.x.marktext"\n'},
     "tool"),
    ({"package.json": js(ELECTRON_MAIN), "electron-builder.json": js({"appId": "com.x", "win": {"target": "nsis"}})},
     "tool"),
    ({"electron-builder.toml": 'appId = "com.x"\n[linux]\ntarget = "AppImage"\n'}, "tool"),
    # ... or its `build` key in package.json, in a package that depends on Electron
    ({"package.json": js({**ELECTRON_MAIN, "build": {"appId": "com.x", "mac": {"category": "x"}}})}, "tool"),
    # Electron Forge
    ({"package.json": js({"name": "app", "main": "main.js", "config": {"forge": {"packagerConfig": {}}}})}, "tool"),
    ({"package.json": js({"name": "app", "main": "main.js", "config": {"forge": "./forge.config.js"}})}, "tool"),
    # Tauri 2 and Tauri 1
    ({"src-tauri/tauri.conf.json": js({"productName": "App", "identifier": "com.x.app", "build": {}})}, "tool"),
    ({"src-tauri/tauri.conf.json": js({"tauri": {"bundle": {"identifier": "com.x.app"}}})}, "tool"),
    ({"src-tauri/Tauri.toml": 'identifier = "com.x.app"\n'}, "tool"),
    # near misses: a `build` key of some other tool, or without Electron; a config of nothing
    # electron-builder reads; a Tauri file without an identifier
    ({"package.json": js({**ELECTRON_MAIN, "build": {"outDir": "dist"}})}, "library"),
    ({"package.json": js({"name": "x", "main": "i.js", "build": {"appId": "com.x"}})}, "library"),
    ({"electron-builder.yml": "extends: null\n"}, "unknown"),
    ({"src-tauri/tauri.conf.json": js({"productName": "App", "build": {}})}, "unknown"),
    ({"package.json": js({"name": "x", "main": "i.js", "config": {"forge": {}}})}, "library"),
    # hostile: lists, wrong types, broken files
    ({"electron-builder.yml": "- appId\n- mac\n"}, "unknown"),
    ({"electron-builder.json": "{\"appId\": "}, "unknown"),
    ({"electron-builder.toml": "appId = [\n"}, "unknown"),
    ({"src-tauri/tauri.conf.json": js({"identifier": ["com.x"], "tauri": {"bundle": "x"}})}, "unknown"),
    ({"src-tauri/Tauri.toml": "identifier = \n"}, "unknown"),
    ({"package.json": js({"name": "x", "private": True, "config": {"forge": 3}, "build": ["appId"],
                          "devDependencies": ["electron"]})}, "unknown"),
])
def test_desktop_applications(tmp_path: Path, files: dict[str, str], kind: str) -> None:
    assert kind_of(tmp_path, files)[0] == kind


def test_a_deployed_service_outranks_a_desktop_client(tmp_path: Path) -> None:
    """A repository that runs a server and ships its desktop client is a service."""
    files = {"Dockerfile": "FROM node:20\nCOPY . /app\nEXPOSE 3000\nCMD [\"node\", \"server.js\"]\n",
             "desktop/electron-builder.yml": "appId: com.x.client\n"}
    assert kind_of(tmp_path, files)[0] == "service"
