"""The test tiers: ``dev.py test --fast`` leaves out only the slow tiers, and keeps every check,
detector and reporter test and the byte-identical example reports; CI runs everything."""

from __future__ import annotations

import importlib.util
import re
import tomllib

from tests.conftest import TESTS, TIERS, tier_of

ROOT = TESTS.parent


def _dev() -> object:
    spec = importlib.util.spec_from_file_location("dev", ROOT / "dev.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_every_tier_path_names_a_test_that_exists() -> None:
    for path in TIERS:
        file, _, name = path.partition("::")
        assert (TESTS / file).exists(), f"TIERS names {file}, which is gone"
        if name:
            assert re.search(rf"^def {re.escape(name)}\(", (TESTS / file).read_text(encoding="utf-8"), re.M), path


def test_the_tiers_are_the_registered_markers_and_the_ones_fast_leaves_out() -> None:
    registered = {line.split(":", 1)[0] for line in
                  tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]
                  ["ini_options"]["markers"]}
    assert set(TIERS.values()) == registered == set(_dev().SLOW_TIERS)  # type: ignore[attr-defined]


def test_tiers_by_folder_file_and_single_test() -> None:
    assert tier_of("hostile/test_yaml.py::test_anything[x]") == "hostile"
    assert tier_of("fuzz/test_parsers.py::test_x") == "fuzz"
    assert tier_of("test_packaging.py::test_wheel_installs_and_runs_from_a_temporary_directory") == "packaging"
    assert tier_of("reporters/test_html_browser.py::test_x") == "browser"
    assert tier_of("detectors/test_codeowners.py::test_twenty_thousand_rules_over_five_thousand_files_take_seconds"
                   "[True]") == "slow"
    assert tier_of("detectors/test_codeowners.py::test_twenty_thousand_rules_over_five_thousand_files_take_"
                   "secondsX") is None  # a near miss of the name is another test
    assert tier_of("hostileX/test_y.py::test_z") is None


def test_the_everyday_tier_keeps_checks_detectors_reporters_and_example_reports() -> None:
    everyday = ["test_examples.py", "test_scoring.py", "catalog/test_catalog.py", "checks/test_new_rule.py"]
    for folder in ("checks", "detectors", "reporters", "repo", "runtime"):
        everyday += [p.relative_to(TESTS).as_posix() for p in (TESTS / folder).rglob("test_*.py")
                     if "browser" not in p.name]
    for file in everyday:
        assert tier_of(file) is None, file


def test_ci_and_the_default_command_run_every_tier() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line for line in ci.splitlines() if "dev.py" in line and not line.lstrip().startswith("#")]
    assert commands == ["python3 dev.py test"]
    assert "PRACTICELINT_REQUIRE_BROWSER=1" in ci
    addopts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"][
        "addopts"]
    assert "-m" not in addopts.split() and "-k" not in addopts.split()


def test_dev_test_runs_everything_and_fast_leaves_out_the_slow_tiers(monkeypatch) -> None:
    dev = _dev()
    calls: list[tuple] = []
    monkeypatch.setattr(dev, "run", lambda *args, **kw: calls.append(args) or 0)
    monkeypatch.setattr(dev, "selfcheck", lambda: calls.append(("selfcheck",)))
    monkeypatch.setattr("sys.argv", ["dev.py", "test", "-x"])
    dev.test()  # type: ignore[attr-defined]
    assert calls == [("selfcheck",), (dev.PY, "-m", "pytest", "-x")]  # type: ignore[attr-defined]
    calls.clear()
    monkeypatch.setattr("sys.argv", ["dev.py", "test", "--fast", "tests/checks"])
    dev.test()  # type: ignore[attr-defined]
    assert calls == [(dev.PY, "-m", "pytest", "-m", "not (hostile or fuzz or packaging or browser or slow)",  # type: ignore[attr-defined]
                      "tests/checks")]
