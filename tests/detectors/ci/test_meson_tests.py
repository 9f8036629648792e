"""``meson test`` is Meson's test runner (https://mesonbuild.com/Unit-tests.html): it runs the
suites ``meson.build`` declares; ``meson setup``/``meson compile`` only configure and build.
Written in the shape GitLab CI jobs of Meson projects use (``meson test -C _build``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.detectors.ci.tables import TESTS
from tests.detectors.ci.helpers import hits


def _gitlab(root: Path, script: str) -> Path:
    (root / ".gitlab-ci.yml").write_text(
        "build:\n  stage: build\n  script:\n    - meson setup _build\n" f"    - {script}\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("script", [
    "meson test -C _build",
    "meson test -C \"$BUILD_DIR\" --no-rebuild --print-errorlogs",
    "meson test -C _build --suite libadwaita:doc",
    "env ASAN_OPTIONS=halt_on_error=1 meson test -C build --setup=valgrind",
])
def test_meson_test_is_a_test_runner(tmp_path: Path, script: str) -> None:
    found = hits(_gitlab(tmp_path, script), TESTS)
    assert [h[0] for h in found] == ["meson test"] and found[0][2] == ".gitlab-ci.yml:5"


@pytest.mark.parametrize("script", [
    "meson compile -C _build",          # near miss: builds only
    "meson install -C _build",
    "echo meson test -C _build",         # hostile: text, not a command
    "meson setup test",                  # a build folder named test is not the test verb
])
def test_other_meson_commands_are_not_tests(tmp_path: Path, script: str) -> None:
    assert hits(_gitlab(tmp_path, script), TESTS) == []
