"""The layers of docs/architecture.md, held: what each package of ``linter`` may import.

Read from each module's syntax tree (every ``import`` and ``from ... import``, wherever it is
written, including the imports a function makes late), so a rule stated in the document
cannot quietly stop being true. (Checks never import each other: ``tests/checks/test_rule_records.py``.)
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

LINTER = Path(__file__).resolve().parents[1] / "linter"


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, and ``module.name`` for each name it imports from one."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _modules(package: str) -> list[Path]:
    """The modules of a package folder, or the one module ``package`` names (``engine.py``)."""
    path = LINTER / package
    return [path] if path.suffix == ".py" else sorted(path.rglob("*.py"))


def _within(name: str, modules: tuple[str, ...]) -> bool:
    """``name`` is one of ``modules`` or inside one (``linter.repo.git``, not ``linter.reporters``)."""
    return any(name == module or name.startswith(module + ".") for module in modules)


def _violations(package: str, forbidden: tuple[str, ...], allowed: tuple[str, ...] = ()) -> list[str]:
    bad = []
    for path in _modules(package):
        for name in sorted(_imports(path)):
            if _within(name, forbidden) and not _within(name, allowed):
                bad.append(f"{path.relative_to(LINTER.parent)} imports {name}")
    return bad


@pytest.mark.parametrize(("package", "forbidden", "allowed"), [
    # the repository model knows nothing of formats, rules or reports
    ("repo", ("linter.detectors", "linter.checks", "linter.engine", "linter.reporters", "linter.catalog"), ()),
    # detectors parse formats into facts: they never judge, plan, cache between runs or render
    ("detectors", ("linter.checks", "linter.engine", "linter.runtime", "linter.reporters", "linter.catalog"), ()),
    # checks judge facts: they never plan, execute, cache between runs or render
    ("checks", ("linter.engine", "linter.runtime", "linter.reporters", "linter.cli", "linter.audit"), ()),
    # reporters render a Report: they never look at the repository again
    ("reporters", ("linter.repo", "linter.detectors", "linter.checks", "linter.engine", "linter.runtime"),
     ("linter.checks.registry",)),
    # the runtime carries a run out: it knows where rules run (their records), never what they find
    ("runtime", ("linter.detectors", "linter.engine", "linter.reporters"), ()),
    # the pipeline ends with a Report; rendering it is the command's business
    ("engine.py", ("linter.reporters", "linter.cli"), ()),
])
def test_what_each_layer_may_import(package: str, forbidden: tuple[str, ...], allowed: tuple[str, ...]) -> None:
    assert _violations(package, forbidden, allowed) == []


def test_detectors_never_build_verdicts() -> None:
    """A detector says what is there; the words of a pass or a failure are the checks'."""
    verdicts = tuple(f"linter.results.{name}" for name in ("Finding", "Status", "passed", "failed",
                                                           "not_applicable", "counted"))
    assert _violations("detectors", verdicts + ("linter.checks.ci_wording",)) == []


def test_what_outlives_a_run_is_kept_by_the_runtime_only() -> None:
    """Serialised data (pickle, marshal) and the cache folder belong to ``linter.runtime``; the
    command's entry point only turns the folder on. Nothing patches the regex engine."""
    for path in sorted(LINTER.rglob("*.py")):
        rel = path.relative_to(LINTER).as_posix()
        imported = _imports(path)
        if not rel.startswith("runtime/"):
            assert not imported & {"pickle", "marshal", "shelve"}, rel
            if rel != "console.py":
                assert not any(_within(n, ("linter.runtime.cachedir",)) for n in imported), rel
        assert not any(_within(n, ("re._compiler", "sre_compile", "re._parser", "_sre")) for n in imported), rel
