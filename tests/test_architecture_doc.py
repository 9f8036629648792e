"""docs/architecture.md names only what exists: every repository path it cites (``linter/...``
and the tests, rules and docs beside it), every ``linter.`` module, every ``ws.``/``engine.``/
``executors.``/``ctx.`` member and every constant or class it names. A newcomer follows the
page to the code; a rename that leaves the page behind fails here.

The one exception is the example of ``dev.py new-rule``: the files it *would* write, which
must not exist (the example stays one of a new rule)."""

from __future__ import annotations

import ast
import importlib
import re
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "architecture.md"
#: What ``python3 dev.py new-rule SEC009 sbom-published`` writes, as the page's example.
NEW_RULE_EXAMPLE = frozenset({"rules/SEC009.yaml", "linter/checks/sec009_sbom_published.py",
                              "tests/checks/test_sec009_sbom_published.py"})
_PATH = re.compile(r"(?<![\w./-])((?:linter|tests|rules|docs|benchmarks|examples)/[\w./<>*-]*)")


def _text() -> str:
    return DOC.read_text(encoding="utf-8")


def cited_paths(text: str) -> set[str]:
    """Repository paths written in ``text`` (in code spans, the pipeline picture or prose),
    without the punctuation that ends a sentence."""
    return {match.rstrip(".,;:") for match in _PATH.findall(text)}


def missing_paths(text: str) -> list[str]:
    """Cited paths that name nothing: a ``*`` must match a file, a ``<name>`` placeholder
    needs its folder."""
    missing = []
    for path in sorted(cited_paths(text) - NEW_RULE_EXAMPLE):
        if "<" in path:
            found = (ROOT / path.split("<", 1)[0]).parent.is_dir()
        elif "*" in path:
            found = any(ROOT.glob(path))
        else:
            found = (ROOT / path).exists()
        if not found:
            missing.append(path)
    return missing


def test_every_path_the_page_cites_exists() -> None:
    text = _text()
    assert {p for p in cited_paths(text) if p.startswith("linter/")} >= {"linter/engine.py", "linter/repo/"}
    assert missing_paths(text) == []


def test_the_new_rule_example_is_of_a_rule_that_does_not_exist() -> None:
    assert NEW_RULE_EXAMPLE <= cited_paths(_text())
    assert not any((ROOT / path).exists() for path in NEW_RULE_EXAMPLE)


def test_the_path_checker_catches_a_stale_path() -> None:
    """Near misses: a renamed module, a glob matching nothing, a placeholder in a missing
    folder; and what must pass: a placeholder in a real folder, sentence punctuation."""
    text = ("`linter/repo/workspace.py`. See linter/detectors/ci/model.py, and `tests/detectors/test_<name>.py`; "
            "`linter/repo/hub.py`, `linter/detectors/*.toml`, `tests/nowhere/test_<name>.py`")
    assert missing_paths(text) == ["linter/detectors/*.toml", "linter/repo/hub.py", "tests/nowhere/test_<name>.py"]


@lru_cache(maxsize=1)
def _defined() -> frozenset[str]:
    """Every name a module of ``linter`` or ``tests`` defines at its top level or in a class:
    functions, classes, constants, enum members."""
    names: set[str] = set()
    for path in [*ROOT.joinpath("linter").rglob("*.py"), *ROOT.joinpath("tests").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Assign):
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names.add(node.target.id)
    return frozenset(names)


def _spans(text: str) -> list[str]:
    return re.findall(r"`([^`\n]+)`", text)


def test_every_module_the_page_names_imports() -> None:
    modules = sorted({m.rstrip(".") for m in re.findall(r"\blinter(?:\.\w+)+", _text())})
    assert "linter.runtime.cachedir" in modules
    for dotted in modules:
        try:
            importlib.import_module(dotted)
        except ImportError:  # ``linter.checks.registry``'s members, as ``linter.fast_dataclass``'s
            module, _, name = dotted.rpartition(".")
            assert hasattr(importlib.import_module(module), name), dotted


def test_every_member_the_page_names_exists() -> None:
    """``ws.passing``, ``engine._plan``, ``executors.for_run``, ``ctx.owned``,
    ``Workspace.facts``: the objects a reader is sent to."""
    from linter import engine
    from linter.checks.base import CheckContext
    from linter.detectors.ci.runners import Context as RunnerContext
    from linter.repo.workspace import Workspace
    from linter.runtime import executors

    owners: dict[str, tuple[object, ...]] = {"ws": (Workspace,), "Workspace": (Workspace,), "engine": (engine,),
                                             "executors": (executors,), "ctx": (CheckContext, RunnerContext)}
    cited = {(o, m) for o, m in re.findall(r"\b(ws|Workspace|engine|executors|ctx)\.(\w+)", _text()) if m != "py"}
    assert ("engine", "_plan") in cited and ("ws", "passing") in cited
    for owner, member in sorted(cited):
        assert any(hasattr(o, member) or member in getattr(o, "__dataclass_fields__", {}) for o in owners[owner]), \
            f"{owner}.{member}"


def test_every_constant_and_class_the_page_names_is_defined() -> None:
    """``PARSERS``, ``LOOKED_FOR``, ``REPORTERS``, ``RuleCheck``, ``Placement.SECOND``,
    ``Signal(...)``, ``readers()``: defined somewhere in the code or its tests."""
    names: set[str] = set()
    for span in _spans(_text()):
        span = _PATH.sub("", span)  # benchmarks/README.md is a file, not a name
        names.update(re.findall(r"(?<![\w.])([A-Z_][A-Za-z0-9_]*|[a-z_]\w*(?=\())", span))
        names.update(re.findall(r"\b[A-Z]\w*\.([A-Z_]+)\b", span))  # Placement.SECOND
    assert {"PARSERS", "RuleCheck", "readers", "SECOND"} <= names
    assert sorted(names - _defined() - PLACEHOLDERS) == []


#: Words of the page that stand for something the reader writes: a detector's facts type,
#: the new rule's id, ``make new-rule``'s variables.
PLACEHOLDERS = frozenset({"Facts", "None", "SEC009", "ID", "NAME", "ARGS"})


@pytest.mark.parametrize("stale", ["_PARSERS", "recording", "SafeReaderz"])
def test_a_renamed_name_is_caught(stale: str) -> None:
    """Near miss: names the code no longer defines (the CI recording context, the parsers'
    old private table) are not in ``_defined``."""
    assert stale not in _defined()
