"""The layers of docs/architecture.md, held: what each package of ``linter`` may import.

Read from each module's syntax tree (every ``import`` and ``from ... import``, wherever it is
written, including the imports a function makes late, relative ones resolved), so a rule
stated in the document cannot quietly stop being true.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

LINTER = Path(__file__).resolve().parents[1] / "linter"


def _imports(path: Path, text: str | None = None) -> set[str]:
    """Every module ``path`` imports, and ``module.name`` for each name it imports from one
    (``from linter.checks import sec001_...`` is ``linter.checks.sec001_...``); a relative
    import counts as the absolute name it stands for."""
    package = path.relative_to(LINTER.parent).with_suffix("").parts
    package = package[:-1] if package[-1] != "__init__" else package[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8") if text is None else text)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[:len(package) - node.level + 1]) if node.level else ""
            module = ".".join(p for p in (base, node.module or "") if p)
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
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


def _rule_modules() -> set[str]:
    """``linter.checks.<module>`` of every rule's check (the modules the registry names)."""
    from linter.checks import REGISTRY

    return {f"linter.checks.{entry.module}" for entry in REGISTRY.values()}


def test_checks_never_import_other_checks() -> None:
    """Questions several rules ask live in shared modules (``attribution``, ``ci_wording``,
    ``unreadable``), never in another rule's check: each rule reads on its own."""
    rules = _rule_modules()
    assert len(rules) >= 30
    bad = []
    for path in _modules("checks"):
        this = "linter.checks." + path.relative_to(LINTER / "checks").with_suffix("").as_posix().replace("/", ".")
        if this not in rules:
            continue
        bad.extend(f"{path.name} imports {name}" for name in sorted(_imports(path))
                   if any(_within(name, (other,)) for other in rules - {this}))
    assert bad == []


def test_the_import_reader_sees_every_form_of_import() -> None:
    """Near misses the layer rules must not let through: a rule module named from its package,
    a relative import, an import made late inside a function."""
    text = ("from linter.checks import sec001_dependency_scanning_in_ci\n"
            "from . import del003_tests_on_every_change\n"
            "from .sec003_static_analysis_in_ci import check\n"
            "def late():\n    import linter.detectors.ci.judge\n")
    assert _imports(LINTER / "checks" / "probe.py", text) >= {"linter.checks.sec001_dependency_scanning_in_ci",
                                "linter.checks.del003_tests_on_every_change",
                                "linter.checks.sec003_static_analysis_in_ci", "linter.detectors.ci.judge"}


def test_detectors_keep_no_state_of_their_own_between_calls() -> None:
    """What a detector learns about a repository lives in the workspace (its reader, its fact
    store), never in the detector's module: no weak-keyed or context-variable caches, no
    ``global`` rebinding, and no ``functools`` cache on a function of a workspace (a cache of
    a constant's function, as a compiled pattern, is fine)."""
    bad = []
    for path in _modules("detectors"):
        rel = path.relative_to(LINTER).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = _imports(path)
        bad.extend(f"{rel} imports {name}" for name in sorted(imported) if _within(name, ("weakref", "contextvars")))
        for node in ast.walk(tree):
            if isinstance(node, ast.Global):
                bad.append(f"{rel}:{node.lineno} rebinds a global")
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
                    "cache" in ast.unparse(d) for d in node.decorator_list):
                arguments = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
                if any(a.arg in ("ws", "workspace") or (a.annotation is not None
                                                          and "Workspace" in ast.unparse(a.annotation))
                       for a in arguments):
                    bad.append(f"{rel}:{node.lineno} caches {node.name}, a function of a workspace")
    assert bad == []


def test_nothing_caches_inside_frozen_facts() -> None:
    """Facts are frozen values: a detector or check that stashed results in a fact's
    ``__dict__`` (as ``job_hits`` once did) would make them something else. Per-run answers
    live in the check context (``CheckContext.memoised``, ``linter.checks.ci_runs``)."""
    bad = []
    for layer in ("detectors", "checks"):
        for path in _modules(layer):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            bad.extend(f"{path.relative_to(LINTER).as_posix()}:{node.lineno}" for node in ast.walk(tree)
                       if isinstance(node, ast.Attribute) and node.attr == "__dict__")
    assert bad == []
