"""Variables as each CI system writes them, and the combinations a matrix runs.

``values_of`` turns a mapping of variables (``env:``, ``variables:``, ``inputs`` defaults...)
into bindings that remember where each value was written. The matrix readers follow each
system's documentation:

* GitHub Actions ``strategy.matrix``: the product of the list-valued keys; ``exclude``
  entries (partial matches) removed first; then each ``include`` entry extends every
  combination whose original values it does not overwrite, or becomes a combination of its
  own when it extends none. Nested objects are read as dotted names (``matrix.config.os``).
* GitLab ``parallel:matrix``: a list of items, each the product of its values.
* Azure Pipelines ``strategy.matrix``: named entries, each a set of variables.
* CircleCI ``matrix.parameters`` (product) with ``exclude``.

Every product is bounded (``MAX_COMBINATIONS``, GitHub's own limit per workflow run is 256),
and a matrix written as an expression (``${{ fromJSON(...) }}``) has no known combination.
"""

from __future__ import annotations

from itertools import product
from typing import Any, Iterable

from linter.detectors.ci.model import Bindings, Value, text_of
from linter.repo.yamlio import line_of

MAX_COMBINATIONS = 256
MAX_NESTING = 4


def scalar_text(value: Any) -> str | None:
    """A YAML scalar as the text a CI system substitutes (``None`` for a container)."""
    if value is None:
        return ""
    if isinstance(value, (str, int, float, bool)):
        return text_of(value)
    return None


def values_of(node: Any, path: str, prefix: str, *, lower: bool = False) -> dict[str, Value]:
    """Bindings ``<prefix><name>`` for the scalar values of a mapping, with their lines."""
    out: dict[str, Value] = {}
    if not isinstance(node, dict):
        return out
    for key, value in list(node.items())[:2_000]:
        text = scalar_text(value)
        if text is None:
            continue
        name = str(key).lower() if lower else str(key)
        out[f"{prefix}{name}"] = Value(text, path, line_of(node, key, 0))
    return out


def flatten(node: Any, path: str, prefix: str, line: int, depth: int = 0) -> dict[str, Value]:
    """A matrix value as bindings: a scalar is ``prefix``; an object adds ``prefix.key``."""
    text = scalar_text(node)
    if text is not None:
        return {prefix: Value(text, path, line)}
    out: dict[str, Value] = {}
    if isinstance(node, dict) and depth < MAX_NESTING:
        for key, value in node.items():
            out.update(flatten(value, path, f"{prefix}.{key}", line_of(node, key, line), depth + 1))
    return out


# --------------------------------------------------------------------------- GitHub Actions
def github_matrix(matrix: Any, path: str) -> tuple[Bindings, ...]:
    """The combinations of a GitHub ``strategy.matrix``, as ``matrix.*`` bindings."""
    if not isinstance(matrix, dict):
        return ()
    axes: list[tuple[str, list[tuple[Any, int]]]] = []
    for key, values in matrix.items():
        if key in ("include", "exclude") or not isinstance(values, list):
            continue
        axes.append((str(key), [(v, line_of(values, i, 0)) for i, v in enumerate(values[:MAX_COMBINATIONS])]))
    combos: list[dict[str, tuple[Any, int]]] = [{}] if axes else []
    for name, values in axes:
        combos = [{**c, name: v} for c in combos for v in values][:MAX_COMBINATIONS]
    excludes = [e for e in matrix.get("exclude") or [] if isinstance(e, dict)] \
        if isinstance(matrix.get("exclude"), list) else []
    combos = [c for c in combos if not any(_partial_match(c, e) for e in excludes)]
    original = {name for name, _ in axes}
    originals = len(combos)  # includes extend these only, never a combination an include added
    includes = matrix.get("include") if isinstance(matrix.get("include"), list) else []
    for index, entry in enumerate(includes[:MAX_COMBINATIONS]):
        if not isinstance(entry, dict):
            continue
        line = line_of(includes, index, 0)
        extra = {str(k): (v, line_of(entry, k, line)) for k, v in entry.items()}
        extended = False
        for combo in combos[:originals]:
            if all(combo[k][0] == v for k, (v, _) in extra.items() if k in original and k in combo):
                combo.update(extra)
                extended = True
        if not extended and len(combos) < MAX_COMBINATIONS:
            combos.append(dict(extra))
    return tuple(_bindings(c, path, "matrix") for c in combos[:MAX_COMBINATIONS])


def _partial_match(combo: dict[str, tuple[Any, int]], exclude: dict[Any, Any]) -> bool:
    return all(str(k) in combo and combo[str(k)][0] == v for k, v in exclude.items())


def _bindings(combo: dict[str, tuple[Any, int]], path: str, prefix: str) -> Bindings:
    out: dict[str, Value] = {}
    for name, (value, line) in combo.items():
        out.update(flatten(value, path, f"{prefix}.{name}", line))
    return out


# --------------------------------------------------------------------------- other systems
def product_of(items: dict[str, tuple[list[Any], int]], path: str, prefix: str) -> list[Bindings]:
    """Every combination of list-valued variables (a GitLab matrix item, CircleCI parameters)."""
    names = list(items)
    pools = [[(v, items[n][1]) for v in items[n][0][:MAX_COMBINATIONS]] for n in names]
    out: list[Bindings] = []
    for chosen in product(*pools):
        if len(out) >= MAX_COMBINATIONS:
            break
        bindings: dict[str, Value] = {}
        for name, (value, line) in zip(names, chosen):
            text = scalar_text(value)
            if text is not None:
                bindings[f"{prefix}{name}"] = Value(text, path, line)
        out.append(bindings)
    return out


def gitlab_matrix(parallel: Any, path: str) -> tuple[Bindings, ...]:
    """``parallel: matrix:``: each item is the product of its values, as ``env.*`` bindings."""
    matrix = parallel.get("matrix") if isinstance(parallel, dict) else None
    if not isinstance(matrix, list):
        return ()
    combos: list[Bindings] = []
    for item in matrix[:MAX_COMBINATIONS]:
        if not isinstance(item, dict):
            continue
        axes = {str(k): (v if isinstance(v, list) else [v], line_of(item, k, 0)) for k, v in item.items()}
        combos.extend(product_of(axes, path, "env."))
        if len(combos) >= MAX_COMBINATIONS:
            break
    return tuple(combos[:MAX_COMBINATIONS])


def merge_variants(*groups: Iterable[Bindings]) -> tuple[Bindings, ...]:
    """Combinations of independent matrices (rarely more than one), bounded."""
    out: list[Bindings] = [{}]
    for group in groups:
        group = list(group)
        if group:
            out = [{**a, **b} for a in out for b in group][:MAX_COMBINATIONS]
    return tuple(out) if out != [{}] else ()
