"""Index lookups that avoid whole-index scans give exactly what a scan would.

``Workspace.glob`` tests each glob only on the paths it can match (a folder prefix range of
the sorted index, or an extension bucket) and ``by_name`` looks in extension buckets; both
must agree with the plain scan for any tree and any glob shape.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from linter.repo.globs import matcher
from linter.repo.workspace import Workspace

SEGMENTS = st.sampled_from(["a", "b", "ab", "a.b", "a-b", "a0", ".github", "workflows", "ci.yml", "x.YML",
                            "Dockerfile", "Dockerfile.dev", "c.yaml", "d.tar.gz", "[x]", "e f", "é.md", "a/"])
PATHS = st.lists(st.lists(SEGMENTS, min_size=1, max_size=4).map(lambda s: "/".join(s).strip("/")),
                 max_size=40).map(lambda ps: sorted({p for p in ps if p and "//" not in p}))
GLOBS = st.sampled_from([
    "a/*", "a/**", "a/**/*.yml", ".github/workflows/*.yml", "**/*.yml", "**/ci.yml", "*.yml", "a", "a.b",
    "**/Dockerfile*", "**/*.gz", "a/b/**", "a-b/*", "**", "*", "a?/*", "[ab]/*", "**/x.y[m]l", "a/[x]/*",
    "**/é.md", "e f/**", "/a/", "", "**/a.b/**", "a*/ci.yml", "**/[z-a].yml", "**/ci[.]yml",
])


def _workspace(tmp_path: Path, files: list[str]) -> Workspace:
    ws = Workspace(tmp_path)
    ws.index.__dict__["files"] = tuple(files)  # the index as git would list it (sorted, unique)
    return ws


@settings(max_examples=300, deadline=None)
@given(files=PATHS, patterns=st.lists(GLOBS, min_size=1, max_size=3))
def test_glob_equals_a_full_scan(tmp_path_factory, files: list[str], patterns: list[str]) -> None:
    ws = _workspace(tmp_path_factory.mktemp("g"), files)
    regex = matcher(patterns)
    assert ws.glob(*patterns) == [p for p in files if regex.match(p)]


@settings(max_examples=200, deadline=None)
@given(files=PATHS, names=st.lists(st.sampled_from(["ci.yml", "x.YML", "Dockerfile", "a", "a.b", "[x]", "é.md",
                                                    "Dockerfile.dev", "c.yaml", "missing"]), min_size=1, max_size=3))
def test_by_name_equals_a_full_scan(tmp_path_factory, files: list[str], names: list[str]) -> None:
    ws = _workspace(tmp_path_factory.mktemp("n"), files)
    assert ws.by_name(*names) == [p for p in files if p.rpartition("/")[2] in set(names)]


def test_prefix_range_stops_at_sibling_names(tmp_path: Path) -> None:
    """``a/`` must not take ``a-b/x`` or ``a0/x`` (they sort around ``a/``)."""
    ws = _workspace(tmp_path, sorted(["a-b/x", "a.txt", "a/x", "a/y/z", "a0/x", "ab/x"]))
    assert ws.glob("a/**") == ["a/x", "a/y/z"]
    assert ws.index._glob_pool("a/*") == ["a/x", "a/y/z"]
    assert ws.index._glob_pool("**/*.txt") == ["a.txt"] and ws.index._glob_pool("**/x*") is None


def test_edge_shapes(tmp_path: Path) -> None:
    """``dir/**`` also matches a file named ``dir``; a dot inside a class is no extension."""
    ws = _workspace(tmp_path, sorted(["a", "a/b", "ci.yml", "sub/ci.yml", "x.gz"]))
    assert ws.glob("a/**") == ["a", "a/b"]
    assert ws.glob("**/ci[.]yml") == ["ci.yml", "sub/ci.yml"]
    assert ws.glob("**/[z-a].yml", "*.gz") == ["x.gz"]


@settings(max_examples=200, deadline=None)
@given(files=PATHS, needles=st.lists(st.sampled_from(["a", "A.B", "dockerfile.", "/", "ci.y", "É", "x.yml", "[x",
                                                      "zz", "B/C"]), min_size=1, max_size=3))
def test_paths_containing_equals_a_full_scan(tmp_path_factory, files: list[str], needles: list[str]) -> None:
    ws = _workspace(tmp_path_factory.mktemp("c"), files)
    assert ws.paths_containing(*needles) == [p for p in files if any(n.lower() in p.lower() for n in needles)]


def test_paths_containing_falls_back_when_lower_casing_moves_characters(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, ["a/\u0130stanbul.md", "b/jenkinsfile", "c/JenkinsFile.prod"])  # İ lowers to 2 chars
    assert ws.index._path_text[0] is None
    assert ws.paths_containing("JENKINSFILE") == ["b/jenkinsfile", "c/JenkinsFile.prod"]
    assert ws.paths_containing("i\u0307stanbul") == ["a/\u0130stanbul.md"]
    assert ws.paths_in_folder_named("B", "a") == ["a/\u0130stanbul.md", "b/jenkinsfile"]


@settings(max_examples=200, deadline=None)
@given(files=PATHS, names=st.lists(st.sampled_from(["a", "A", "ab", ".github", "a.b", "workflows", "b/", "É",
                                                    "[x]", "zz"]), min_size=1, max_size=8))
def test_paths_in_folder_named_equals_a_full_scan(tmp_path_factory, files: list[str], names: list[str]) -> None:
    ws = _workspace(tmp_path_factory.mktemp("f"), files)
    wanted = {n.lower().strip("/") for n in names}
    assert ws.paths_in_folder_named(*names) == [
        p for p in files if wanted & {s.lower() for s in p.split("/")[:-1]}]  # up to 8 names: both ways of searching
