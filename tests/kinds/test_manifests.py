"""Flatpak application manifests (a tool) and helmfiles (infrastructure): positives, near
misses and hostile files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.kinds.test_inference import kind_of

FLATPAK_JSON = ('{"id": "org.gnome.Calculator", "runtime": "org.gnome.Platform", "command": "gnome-calculator",\n'
                ' "modules": [{"name": "gnome-calculator", "buildsystem": "meson"}]}')
FLATPAK_YAML = "app-id: org.example.App\nruntime: org.freedesktop.Platform\nmodules:\n  - name: app\n"
HELMFILE = ("repositories:\n  - name: datadog\n    url: https://helm.datadoghq.com\nreleases:\n"
            "  - name: datadog\n    namespace: datadog\n    chart: datadog/datadog\n")


@pytest.mark.parametrize(("files", "kind"), [
    ({"org.gnome.Calculator.json": FLATPAK_JSON}, "tool"),
    ({"build-aux/flatpak/org.example.App.yml": FLATPAK_YAML}, "tool"),
    # a Flatpak app beside a Meson build of libraries and programs (which says nothing)
    ({"org.gnome.Calculator.json": FLATPAK_JSON,
      "meson.build": "project('c')\nlibrary('gcalc', 'a.vala')\nexecutable('gnome-calculator', 'm.vala')\n"}, "tool"),
    # near misses: no modules; not named for an application id; an app id in some other JSON
    ({"org.example.App.json": '{"id": "org.example.App", "runtime": "x"}'}, "unknown"),
    ({"flatpak.json": FLATPAK_JSON}, "unknown"),
    ({"com.example.settings.json": '{"id": 3, "modules": [], "runtime": "x"}'}, "unknown"),
    # hostile: not JSON, a list, a deep nest
    ({"org.example.App.json": "{\"id\": "}, "unknown"),
    ({"org.example.App.yaml": "- a\n- b\n"}, "unknown"),
    ({"org.example.App.json": "[" * 5000 + "]" * 5000}, "unknown"),
    # helmfiles: by name, in helmfile.d/, or a cluster file passed with -f (helmfile's own keys)
    ({"helmfile.yaml": "releases:\n  - name: web\n    chart: bitnami/nginx\n"}, "infrastructure"),
    ({"helmfile.d/10-apps.yaml": "releases:\n  - name: web\n    chart: ./charts/web\n"}, "infrastructure"),
    ({"clusters/publick8s.yaml": HELMFILE, "clusters/private.yaml": HELMFILE}, "infrastructure"),
    # near misses: `releases` that are not Helm releases; a releases list in an unrelated file
    ({"helmfile.yaml": "releases:\n  - name: web\n"}, "unknown"),
    ({"config/releases.yaml": "releases:\n  - name: v1\n    chart: up\n"}, "unknown"),
    ({"helmfile.yaml": "releases: {{ .Values.releases }}\n"}, "unknown"),  # a template: not YAML
])
def test_manifests(tmp_path: Path, files: dict[str, str], kind: str) -> None:
    assert kind_of(tmp_path, files)[0] == kind


def test_a_helmfile_beside_a_package_does_not_make_it_infrastructure(tmp_path: Path) -> None:
    files = {"pyproject.toml": "[project]\nname = \"lib\"\n", "deploy/helmfile.yaml": HELMFILE}
    assert kind_of(tmp_path, files) == ("library", ["pyproject.toml"])


def test_a_huge_helmfile_is_bounded(tmp_path: Path) -> None:
    big = "releases:\n" + "".join(f"  - name: r{i}\n    chart: c/r{i}\n" for i in range(200_000))
    assert kind_of(tmp_path, {"helmfile.yaml": big})[0] in ("infrastructure", "unknown")
