"""Sieve verdicts kept between runs (``linter.repo.sieves``): a file a sieve turned down is
skipped on the next run only while its identity is unchanged, and every answer is the one a
fresh read gives."""

from __future__ import annotations

import marshal
import os
from pathlib import Path
from typing import Iterator

import pytest

from linter.runtime import cachedir
from linter.detectors import backstage, docs
from linter.engine import RunOptions, run
from linter.repo import historycache, sieves
from linter.repo.workspace import Workspace
from tests.helpers import git_commit_all, write_tree

ENTITY = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {name}\nspec:\n  type: service\n"
NOW = "2026-12-01T00:00:00"


@pytest.fixture
def kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Caching on, as the command line sets it up, for repositories of any size; files count as
    settled however recently written (tests write them a moment before they run)."""
    folder = tmp_path / "cache"
    monkeypatch.setattr(cachedir, "_active", folder)
    monkeypatch.setattr(sieves, "MIN_FILES", 1)
    monkeypatch.setattr(sieves, "RACY_NS", -10**12)
    yield folder


def _repo(root: Path) -> Path:
    files: dict[str, str | bytes] = {f"svc{i}/catalog-info.yaml": ENTITY.format(name=f"svc{i}") for i in range(3)}
    files.update({f"conf/app{i}.yaml": f"replicas: {i}\n" for i in range(20)})
    files.update({f"notes/n{i}.md": f"# Note {i}\n\nNothing to see.\n" for i in range(20)})
    files["docs/broken.md"] = b"# Runbook\n\xff\xfe not UTF-8\n"
    write_tree(root, files)
    git_commit_all(root, "init", "2026-01-01T00:00:00")
    return root


class _Reads:
    """Counts the files a workspace really opens."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.paths: list[str] = []
        original = Workspace._read_raw

        def spy(ws: Workspace, rel: str, st: os.stat_result | None = None) -> str | None:
            self.paths.append(rel)
            return original(ws, rel, st)

        monkeypatch.setattr(Workspace, "_read_raw", spy)


def _entities(root: Path) -> tuple[str, ...]:
    ws = Workspace(root)
    names = tuple(e.name for e in ws.facts(backstage.detect).entities)
    ws.save_verdicts()
    return names


def test_a_warm_run_stats_rejected_files_instead_of_reading_them(tmp_path: Path, kept: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    root = _repo(tmp_path / "repo")
    reads = _Reads(monkeypatch)
    cold = _entities(root)
    assert sorted(cold) == ["svc0", "svc1", "svc2"]
    assert len([p for p in reads.paths if p.startswith("conf/")]) == 20
    reads.paths.clear()
    assert _entities(root) == cold
    assert not [p for p in reads.paths if p.startswith("conf/")]  # turned down before: not opened
    assert sorted(reads.paths) == [f"svc{i}/catalog-info.yaml" for i in range(3)]  # accepted: read again


def test_a_changed_file_is_read_again_and_can_pass(tmp_path: Path, kept: Path) -> None:
    root = _repo(tmp_path / "repo")
    _entities(root)
    (root / "conf/app3.yaml").write_text(ENTITY.format(name="late"))  # same path, new content
    assert "late" in _entities(root)
    # the same size and mtime, but the change time moved: still read again
    path = root / "conf/app4.yaml"
    before = path.stat()
    path.write_text("replicas: 9\n")  # same length as "replicas: 4"
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    ws = Workspace(root)
    verdicts = ws._verdicts
    assert verdicts is not None
    state = verdicts.state("conf/app4.yaml", sieves.key_of(path.stat()), ws.max_file_size)
    assert not state & backstage.ENTITY_FILES.bit


def test_recently_modified_files_are_never_kept(tmp_path: Path, kept: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sieves, "RACY_NS", 2_000_000_000)  # the real rule: files written just now are racy
    root = _repo(tmp_path / "repo")
    _entities(root)
    assert not historycache.exists(root, sieves.KIND)  # nothing learnable, nothing written
    reads = _Reads(monkeypatch)
    _entities(root)
    assert len([p for p in reads.paths if p.startswith("conf/")]) == 20


def test_unreadable_and_oversized_files_are_noted_every_run(tmp_path: Path, kept: Path) -> None:
    root = _repo(tmp_path / "repo")
    write_tree(root, {"notes/big.md": "# Big\n\n" + "word " * 400})
    git_commit_all(root, "big", "2026-01-02T00:00:00")

    def notes(max_size: int) -> set[tuple[str, str]]:
        ws = Workspace(root)
        ws.configure(max_file_size=max_size, exclude=())
        ws.facts(docs.detect)
        ws.save_verdicts()
        return {(n.path, n.reason) for n in ws.notes}

    first = notes(1_000_000)
    assert any(p == "docs/broken.md" and "UTF-8" in r for p, r in first)
    assert notes(1_000_000) == first  # kept rejections do not hide the broken file
    small = notes(500)  # a smaller cap: the kept rejection of big.md is not used, it is noted
    assert any(p == "notes/big.md" and "byte limit" in r for p, r in small)


def test_reports_are_identical_cold_warm_and_without_cache(tmp_path: Path, kept: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.examples_support import EXAMPLES
    import shutil

    root = tmp_path / "monorepo"
    shutil.copytree(EXAMPLES / "monorepo", root)
    git_commit_all(root, "copy", "2026-01-01T00:00:00")
    from datetime import datetime, timezone

    now = datetime.fromisoformat(NOW).replace(tzinfo=timezone.utc)
    cold, _ = run(root, RunOptions(now=now, jobs=2))
    assert historycache.exists(root, sieves.KIND)
    warm, _ = run(root, RunOptions(now=now, jobs=2))
    serial, _ = run(root, RunOptions(now=now, jobs=1))
    monkeypatch.setattr(cachedir, "_active", None)
    fresh, _ = run(root, RunOptions(now=now, jobs=1))
    assert cold.results == warm.results == serial.results == fresh.results
    assert cold.notes == warm.notes == serial.notes == fresh.notes


def test_the_childs_verdicts_are_kept_by_the_parent(tmp_path: Path, kept: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from linter import parallel

    if not parallel.can_fork():
        pytest.skip("needs fork")
    root = _repo(tmp_path / "repo")
    run(root, RunOptions(jobs=2))  # the Markdown keyword sieve runs only in the child
    reads = _Reads(monkeypatch)
    run(root, RunOptions(jobs=1))
    assert not [p for p in reads.paths if p.startswith("notes/")]  # kept from the child's verdicts


def test_other_code_or_a_corrupt_file_means_nothing_is_kept(tmp_path: Path, kept: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    root = _repo(tmp_path / "repo")
    expected = _entities(root)
    path = historycache.cache_file(root, sieves.KIND)
    assert path is not None and path.is_file()
    reads = _Reads(monkeypatch)
    monkeypatch.setattr(sieves, "_STAMP", ("another", "build"))  # an edited sieve: another stamp
    assert _entities(root) == expected
    assert len([p for p in reads.paths if p.startswith("conf/")]) == 20
    for payload in (b"not marshal", marshal.dumps([1, 2]),
                    marshal.dumps((historycache.VERSION, os.path.realpath(root), (sieves.code_stamp(),),
                                   {"verdicts": (("x",), "a\0b", b"short")})),
                    marshal.dumps((historycache.VERSION, os.path.realpath(root), (sieves.code_stamp(),),
                                   {"verdicts": "not a tuple"}))):
        path.write_bytes(payload)
        reads.paths.clear()
        assert _entities(root) == expected
        assert len([p for p in reads.paths if p.startswith("conf/")]) == 20


def test_deleted_files_are_dropped_and_small_repositories_keep_nothing(tmp_path: Path, kept: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    root = _repo(tmp_path / "repo")
    _entities(root)
    (root / "conf/app0.yaml").unlink()
    write_tree(root, {"conf/new.yaml": "replicas: 1\n"})
    git_commit_all(root, "rm", "2026-01-03T00:00:00")
    _entities(root)
    path = historycache.cache_file(root, sieves.KIND)
    assert path is not None
    payload = marshal.loads(path.read_bytes())[3]["verdicts"]
    kept_paths = set(payload[1].split("\0"))
    assert "conf/app0.yaml" not in kept_paths and "conf/new.yaml" in kept_paths
    monkeypatch.setattr(sieves, "MIN_FILES", 10_000)
    assert Workspace(root)._verdicts is None


def test_verdicts_merge_only_well_formed_entries() -> None:
    import array

    verdicts = sieves.Verdicts([], array.array("q"), started_ns=10**19)
    bit = backstage.ENTITY_FILES.bit
    good = array.array("q", [1, 2, 3, 4, bit, 5, 6, 7, 8, bit])
    verdicts.merge((["a.yaml", 3], good.tobytes(), {}))  # a path that is not a string is skipped
    for junk in ("junk", (["a"], b"short", {}), (["a", "b"], b"x" * 81, {}), ("a", good.tobytes(), {}),
                 (["a", "b"], good.tobytes())):
        verdicts.merge(junk)
    assert set(verdicts.states) == {"a.yaml"} and verdicts.states["a.yaml"] & bit
    assert verdicts.key("a.yaml") == (1, 2, 3, 4)


def test_sieves_must_be_registered_and_bits_fit_a_word() -> None:
    with pytest.raises(ValueError):
        sieves.Sieve("made-up", lambda text: True)
    assert len(sieves.NAMES) == len(set(sieves.NAMES)) and sieves.FIRST_BIT << len(sieves.NAMES) < 2**63


def test_settled_states_pass_to_another_process_without_learning_flags() -> None:
    import array

    words = array.array("q", [10, 20, 30, 40, backstage.ENTITY_FILES.bit])
    parent = sieves.Verdicts(["a.yaml"], words, started_ns=10**19)
    parent.state("a.yaml", (10, 20, 30, 40), 1 << 20)  # the kept identity
    parent.state("b.yaml", (1, 2, 3, 4), 1 << 20)  # a new identity: not passed on (its key lives here only)
    parent.states["a.yaml"] |= sieves.DIRTY
    settled = parent.settled_states()
    assert set(settled) == {"a.yaml"} and not settled["a.yaml"] & sieves.DIRTY
    child = sieves.Verdicts(["a.yaml"], words, started_ns=10**19)
    child.states["c.yaml"] = 7
    child.take_states({**settled, "c.yaml": 0, 5: 1, "d.yaml": "x"})
    assert child.states == {"a.yaml": settled["a.yaml"], "c.yaml": 7}  # its own states win
    assert child.states["a.yaml"] & backstage.ENTITY_FILES.bit  # skipped there without an lstat


def test_the_child_takes_the_files_the_parent_already_stat_ed(tmp_path: Path, kept: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from linter import parallel

    if not parallel.can_fork():
        pytest.skip("needs fork")
    root = _repo(tmp_path / "repo")
    run(root, RunOptions(jobs=2))
    log = tmp_path / "taken.log"
    original = Workspace.install_sift_states

    def spy(ws: Workspace, states: dict[str, int] | None) -> None:
        log.write_text(" ".join(sorted(states or ())))
        original(ws, states)

    monkeypatch.setattr(Workspace, "install_sift_states", spy)
    warm, _ = run(root, RunOptions(jobs=2))
    taken = set(log.read_text().split())
    assert {f"conf/app{i}.yaml" for i in range(20)} <= taken  # the Backstage scan stat-ed every YAML file
    monkeypatch.setattr(cachedir, "_active", None)
    fresh, _ = run(root, RunOptions(jobs=1))
    assert warm.results == fresh.results and warm.notes == fresh.notes


# ------------------------------------------------------------------ parsed YAML kept
class _Parses:
    """Counts the YAML texts a workspace really parses."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from linter.repo import workspace

        self.count = 0
        original = workspace.load_yaml

        def spy(text: str):
            self.count += 1
            return original(text)

        monkeypatch.setattr(workspace, "load_yaml", spy)


def _catalog(root: Path) -> tuple[object, ...]:
    ws = Workspace(root)
    entities = ws.facts(backstage.detect).entities
    ws.save_verdicts()
    return tuple((e.name, e.line, e.metadata, e.spec) for e in entities)


def test_accepted_yaml_is_parsed_once_and_kept_while_unchanged(tmp_path: Path, kept: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    root = _repo(tmp_path / "repo")
    parses = _Parses(monkeypatch)
    cold = _catalog(root)
    assert parses.count == 3  # the three catalog files
    parses.count = 0
    assert _catalog(root) == cold and parses.count == 0  # loaded back, equal to the parse
    (root / "svc1/catalog-info.yaml").write_text(ENTITY.format(name="renamed") + "  owner: team-a\n")
    warm = _catalog(root)
    assert parses.count == 1 and ("renamed" in {e[0] for e in warm})  # the changed file only
    monkeypatch.setattr(cachedir, "_active", None)
    assert _catalog(root) == warm


def test_yaml_with_errors_is_not_kept_so_its_notes_come_back(tmp_path: Path, kept: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    root = _repo(tmp_path / "repo")
    write_tree(root, {"svc9/catalog-info.yaml": ENTITY.format(name="svc9") + "---\nkey: [unclosed\n"})
    git_commit_all(root, "broken", "2026-01-02T00:00:00")

    def notes() -> set[tuple[str, str]]:
        ws = Workspace(root)
        ws.facts(backstage.detect)
        ws.save_verdicts()
        return {(n.path, n.reason) for n in ws.notes if n.path == "svc9/catalog-info.yaml"}

    first = notes()
    assert first and notes() == first


def test_kept_yaml_loads_only_yaml_classes(tmp_path: Path) -> None:
    import array
    import pickle

    class Boom:
        def __reduce__(self):
            return (os.system, ("echo pwned > " + str(tmp_path / "pwned"),))

    verdicts = sieves.Verdicts(["a.yaml", "b.yaml"], array.array("q", [1, 2, 3, 4, 0, 5, 6, 7, 8, 0]), 10**19,
                               {"a.yaml": pickle.dumps(Boom()), "b.yaml": b"not a pickle"})
    for path, key in (("a.yaml", (1, 2, 3, 4)), ("b.yaml", (5, 6, 7, 8))):
        verdicts.state(path, key, 1 << 20)
        assert verdicts.parsed_yaml(path) is None
    assert not (tmp_path / "pwned").exists()


def test_the_childs_parsed_yaml_is_kept_by_the_parent(tmp_path: Path, kept: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from linter import parallel

    if not parallel.can_fork():
        pytest.skip("needs fork")
    root = _repo(tmp_path / "repo")
    experiment = ("title: kill a pod\ndescription: x\nsteady-state-hypothesis:\n  title: up\n  probes: []\n"
                  "method:\n  - type: action\n    name: kill\n    provider:\n      type: python\n"
                  "      module: chaosk8s.pod.actions\n      func: terminate_pods\n")
    write_tree(root, {"chaos/kill-pod.yaml": experiment})
    git_commit_all(root, "chaos", "2026-01-02T00:00:00")
    cold, _ = run(root, RunOptions(jobs=2))  # chaos experiments are parsed in the child only
    parses = _Parses(monkeypatch)
    warm, _ = run(root, RunOptions(jobs=1))
    assert parses.count == 0  # everything parsed last time was kept, the child's share included
    assert warm.results == cold.results


def test_unrejected_drops_only_files_known_to_be_turned_down(tmp_path: Path, kept: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    root = _repo(tmp_path / "repo")
    _entities(root)  # remembers which YAML files hold no entity
    ws = Workspace(root)
    yaml_files = list(ws.yaml_files)
    assert ws.unrejected(yaml_files, backstage.ENTITY_FILES) == yaml_files  # nothing stat-ed yet in this run
    for path in yaml_files:
        ws.sifted(path, backstage.ENTITY_FILES)
    assert ws.unrejected(yaml_files, backstage.ENTITY_FILES) == [f"svc{i}/catalog-info.yaml" for i in range(3)]
    assert ws.unrejected(yaml_files, docs.KEYWORD_TEXT) == yaml_files  # another sieve's verdicts do not count
    monkeypatch.setattr(cachedir, "_active", None)
    plain = Workspace(root)
    assert plain.unrejected(iter(yaml_files), backstage.ENTITY_FILES) == yaml_files


def test_the_cache_file_stays_within_its_byte_budget(tmp_path: Path, kept: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _repo(tmp_path / "repo")
    monkeypatch.setattr(sieves, "MAX_BYTES", 600)  # room for about ten entries
    monkeypatch.setattr(sieves, "MAX_PARSED_BYTES", 1)  # no parsed YAML at all
    expected = _entities(root)
    path = historycache.cache_file(root, sieves.KIND)
    assert path is not None
    _, joined, packed, parsed = marshal.loads(path.read_bytes())[3]["verdicts"]
    assert 5 <= len(joined.split("\0")) <= 15 and parsed == {}
    assert len(packed) == len(joined.split("\0")) * 40
    assert _entities(root) == expected  # what did not fit is simply read again
