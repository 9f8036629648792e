"""Prefilter verdicts and parsed YAML kept between runs by content id (``linter.runtime.verdicts``):
content a prefilter turned down is not read again, whatever happened to the clone, and every
answer is the one a fresh read gives."""

from __future__ import annotations

from array import array
import marshal
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import pytest

from linter.detectors import backstage, docs
from linter.engine import RunOptions, run
from linter.repo.prefilters import NAMES, Prefilter
from linter.repo.reader import SafeReader
from linter.repo.workspace import Workspace
from linter.runtime import cachedir, executors, historycache, verdicts
from tests.helpers import git, git_commit_all, write_tree

ENTITY = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {name}\nspec:\n  type: service\n"
NOW = datetime(2026, 12, 1, tzinfo=timezone.utc)


@pytest.fixture
def kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Caching on, as the command line sets it up, for repositories of any size."""
    folder = tmp_path / "cache"
    monkeypatch.setattr(verdicts, "MIN_FILES", 1)
    with cachedir.kept_in(folder):
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
    """Counts the files workspaces really open."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.paths: list[str] = []
        original = SafeReader._read_raw

        def spy(reader: SafeReader, rel: str, st: os.stat_result | None = None) -> str | None:
            self.paths.append(rel)
            return original(reader, rel, st)

        monkeypatch.setattr(SafeReader, "_read_raw", spy)

    def under(self, folder: str) -> list[str]:
        return [p for p in self.paths if p.startswith(folder)]


def _clone_again(root: Path) -> None:
    """Replace the work tree at ``root`` by a fresh clone of it: new inodes and times, the same blobs."""
    bare = root.parent / "bare.git"
    git(root.parent, "clone", "-q", "--bare", str(root), str(bare))
    shutil.rmtree(root)
    git(root.parent, "clone", "-q", str(bare), str(root))


def _workspace(root: Path) -> Workspace:
    """A workspace set up as the engine sets it up (kept verdicts loaded after the index)."""
    ws = Workspace(root)
    ws.reader.kept = verdicts.load(ws.root, ws.git, len(ws.files))
    return ws


def _entities(root: Path) -> tuple[str, ...]:
    ws = _workspace(root)
    names = tuple(e.name for e in ws.facts(backstage.detect).entities)
    if ws.reader.kept is not None:
        ws.reader.kept.save(ws.root)
    return names


def test_a_warm_run_does_not_read_content_turned_down_before(tmp_path: Path, kept: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    root = _repo(tmp_path / "repo")
    reads = _Reads(monkeypatch)
    cold = _entities(root)
    assert sorted(cold) == ["svc0", "svc1", "svc2"]
    assert len(reads.under("conf/")) == 20
    reads.paths.clear()
    assert _entities(root) == cold
    assert reads.under("conf/") == []  # turned down before: not opened
    assert sorted(reads.paths) == [f"svc{i}/catalog-info.yaml" for i in range(3)]  # accepted: read again


def test_a_fresh_clone_at_the_same_place_reuses_what_was_learned(tmp_path: Path, kept: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A CI job restoring its cache on a new checkout: new inodes and times, the same blobs."""
    root = _repo(tmp_path / "repo")
    expected = _entities(root)
    _clone_again(root)
    reads = _Reads(monkeypatch)
    assert _entities(root) == expected
    assert reads.under("conf/") == []


def test_modified_and_untracked_files_are_always_read(tmp_path: Path, kept: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    root = _repo(tmp_path / "repo")
    _entities(root)
    (root / "conf/app3.yaml").write_text(ENTITY.format(name="late"))  # modified, not committed
    write_tree(root, {"conf/untracked.yaml": ENTITY.format(name="loose")})
    reads = _Reads(monkeypatch)
    found = _entities(root)
    assert "late" in found and "loose" in found
    assert sorted(reads.under("conf/")) == ["conf/app3.yaml", "conf/untracked.yaml"]
    git_commit_all(root, "commit them", "2026-01-02T00:00:00")  # committed: ids again, learned anew
    _entities(root)
    reads.paths.clear()
    assert "late" in _entities(root) and reads.under("conf/") == ["conf/app3.yaml", "conf/untracked.yaml"]


def test_unreadable_and_oversized_files_are_noted_every_run(tmp_path: Path, kept: Path) -> None:
    root = _repo(tmp_path / "repo")
    write_tree(root, {"notes/big.md": "# Big\n\n" + "word " * 400})
    git_commit_all(root, "big", "2026-01-02T00:00:00")

    def notes(max_size: int) -> set[tuple[str, str]]:
        ws = Workspace(root)
        ws.configure(max_file_size=max_size, exclude=())
        ws.reader.kept = verdicts.load(ws.root, ws.git, len(ws.files))
        ws.facts(docs.detect)
        ws.reader.kept.save(ws.root)
        return {(n.path, n.reason) for n in ws.notes}

    first = notes(1_000_000)
    assert any(p == "docs/broken.md" and "UTF-8" in r for p, r in first)
    assert notes(1_000_000) == first  # kept rejections do not hide the broken file
    small = notes(500)  # a smaller cap: big.md was accepted, so it is read and noted
    assert any(p == "notes/big.md" and "byte limit" in r for p, r in small)


def test_reports_are_identical_cold_warm_and_without_cache(tmp_path: Path, kept: Path) -> None:
    from tests.examples_support import EXAMPLES

    root = tmp_path / "monorepo"
    shutil.copytree(EXAMPLES / "monorepo", root)
    git_commit_all(root, "copy", "2026-01-01T00:00:00")
    cold, _ = run(root, RunOptions(now=NOW, jobs=2))
    assert historycache.exists(root, verdicts.KIND)
    warm, _ = run(root, RunOptions(now=NOW, jobs=2))
    serial, _ = run(root, RunOptions(now=NOW, jobs=1))
    with cachedir.kept_in(None):
        fresh, _ = run(root, RunOptions(now=NOW, jobs=1))
    assert cold.results == warm.results == serial.results == fresh.results
    assert cold.notes == warm.notes == serial.notes == fresh.notes


def test_what_the_second_process_learned_is_kept(tmp_path: Path, kept: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not executors.can_fork():
        pytest.skip("needs fork")
    root = _repo(tmp_path / "repo")
    run(root, RunOptions(now=NOW, jobs=2))  # the Markdown keyword prefilter runs only in the child
    reads = _Reads(monkeypatch)
    run(root, RunOptions(now=NOW, jobs=1))
    assert reads.under("notes/") == []  # kept from the child's verdicts


def test_other_code_or_a_corrupt_file_means_nothing_is_kept(tmp_path: Path, kept: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    root = _repo(tmp_path / "repo")
    expected = _entities(root)
    path = historycache.cache_file(root, verdicts.KIND)
    assert path is not None and path.is_file()
    reads = _Reads(monkeypatch)
    monkeypatch.setattr(verdicts, "_STAMP", ("another", "build"))  # an edited prefilter: another stamp
    assert _entities(root) == expected
    assert len(reads.under("conf/")) == 20
    monkeypatch.setattr(verdicts, "_STAMP", None)
    stamp = (verdicts.code_stamp(),)
    for payload in (b"not marshal", marshal.dumps([1, 2]),
                    marshal.dumps((historycache.VERSION, os.path.realpath(root), stamp, {"rejected": "x"})),
                    marshal.dumps((historycache.VERSION, os.path.realpath(root), stamp,
                                   {"rejected": {1: "a"}, "parsed": {"b": 3}}))):
        path.write_bytes(payload)
        reads.paths.clear()
        assert _entities(root) == expected
        assert len(reads.under("conf/")) == 20


def test_small_repositories_and_folders_outside_git_keep_nothing(tmp_path: Path, kept: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    root = _repo(tmp_path / "repo")
    monkeypatch.setattr(verdicts, "MIN_FILES", 10_000)
    assert _workspace(root).reader.kept is None
    monkeypatch.setattr(verdicts, "MIN_FILES", 1)
    plain = tmp_path / "plain"
    write_tree(plain, {"a.yaml": "x: 1\n"})
    assert _workspace(plain).reader.kept is None
    with cachedir.kept_in(None):
        assert _workspace(root).reader.kept is None


def test_the_code_is_stamped_only_where_verdicts_were_kept(tmp_path: Path, kept: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Stamping the installed code stats every module; a repository that never had verdicts
    kept (every one below MIN_FILES) must not pay for it on each run."""
    root = _repo(tmp_path / "repo")
    stamped: list[bool] = []
    real_stamp = verdicts.code_stamp
    monkeypatch.setattr(verdicts, "code_stamp", lambda: stamped.append(True) or real_stamp())
    verdicts.prefetch(root)
    assert stamped == [] and not historycache.exists(root, verdicts.KIND)
    _entities(root)  # a run that keeps verdicts stamps them
    assert historycache.exists(root, verdicts.KIND) and stamped
    stamped.clear()
    verdicts.prefetch(root)
    assert stamped == [True]
    assert verdicts.load(root, _workspace(root).git, 100) is not None


def test_only_the_contents_the_repository_holds_now_are_kept(tmp_path: Path, kept: Path) -> None:
    root = _repo(tmp_path / "repo")
    _entities(root)
    gone = git(root, "rev-parse", "HEAD:conf/app0.yaml").strip()
    (root / "conf/app0.yaml").unlink()
    write_tree(root, {"conf/new.yaml": "replicas: 100\n"})
    git_commit_all(root, "rm", "2026-01-03T00:00:00")
    _entities(root)
    new = git(root, "rev-parse", "HEAD:conf/new.yaml").strip()
    payload = marshal.loads(historycache.cache_file(root, verdicts.KIND).read_bytes())[3]
    kept_ids = payload["rejected"][0]  # content ids, then their verdicts packed
    assert gone not in kept_ids and new in kept_ids


def _store(ids: dict[str, str], parsed: dict[str, bytes] | None = None) -> verdicts.KeptVerdicts:
    kept = {"rejected": {}, "parsed": parsed or {}, "identities": {}, "sample": []}
    return verdicts.KeptVerdicts("/nonexistent", kept, ids, settled_before=0)


def test_merge_takes_only_well_formed_entries() -> None:
    store = _store({"a.yaml": "b1"})
    v = verdicts.verdict(8, 10)
    store.merge(({"b1": v, 3: verdicts.verdict(1, 1), "b2": "x", "b4": (8, 10), "b5": -1, "b6": True},
                 {"b1": b"p", "b3": 5},
                 {7: "b1", "x": "b2", 8: 9}, {"a.yaml": 7, "b.yaml": "x"}))
    store._git_ids["a.yaml"] = "b1"
    store._content["a.yaml"] = "b1"  # what an lstat would have found
    assert store.worth_reading(["a.yaml", "b.yaml"], 8, 100) == ["b.yaml"]
    assert store.worth_reading(["a.yaml"], 16, 100) == ["a.yaml"]
    assert store.worth_reading(["a.yaml"], 8, 9) == ["a.yaml"]  # over this run's size cap: read, so it is noted
    assert store.turned_down("a.yaml", 8, 100) and not store.turned_down("a.yaml", 16, 100)
    assert not store.turned_down("a.yaml", 8, 9)
    store.merge("garbage")
    store.merge(({}, [], {}, {}))
    store.merge(({}, {}, {}))
    assert store.export() == ({"b1": v}, {"b1": b"p"}, {7: "b1"}, {"a.yaml": 7})


def test_prefilters_must_be_registered_and_have_distinct_bits() -> None:
    with pytest.raises(ValueError):
        Prefilter("not-registered", lambda text: True)
    bits = [Prefilter(name, lambda text: True).bit for name in NAMES]
    assert len(set(bits)) == len(NAMES) and all(bit & (bit - 1) == 0 for bit in bits)
    assert all(bit <= verdicts.BITS for bit in bits)  # a kept verdict holds them below the size


def test_a_verdict_keeps_bits_and_size_apart() -> None:
    v = verdicts.verdict(0b101, verdicts.MAX_KEPT_SIZE)
    assert v & verdicts.BITS == 0b101 and v >> verdicts.SIZE_SHIFT == verdicts.MAX_KEPT_SIZE and v < 1 << 63
    store = _store({"a.yaml": "b1"})
    store._content["a.yaml"] = "b1"
    store.reject("a.yaml", 4, verdicts.MAX_KEPT_SIZE + 1)  # too large to keep: read again next time
    assert store.export()[0] == {}
    store.reject("a.yaml", 4, 10)
    store.reject("a.yaml", 1, 10)
    assert store.export()[0] == {"b1": verdicts.verdict(5, 10)}


class _Parses:
    """Counts the YAML texts really parsed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from linter.repo import reader

        self.count = 0
        original = reader.load_yaml

        def spy(text: str):  # noqa: ANN202
            self.count += 1
            return original(text)

        monkeypatch.setattr(reader, "load_yaml", spy)


def test_accepted_yaml_is_parsed_once_and_kept_for_its_content(tmp_path: Path, kept: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    root = _repo(tmp_path / "repo")
    parses = _Parses(monkeypatch)
    expected = _entities(root)
    assert parses.count == 3
    assert _entities(root) == expected and parses.count == 3  # loaded back, not parsed
    (root / "svc1/catalog-info.yaml").write_text(ENTITY.format(name="renamed"))
    assert "renamed" in _entities(root) and parses.count == 4  # modified: parsed again


def test_yaml_with_errors_is_not_kept_so_its_notes_come_back(tmp_path: Path, kept: Path) -> None:
    root = _repo(tmp_path / "repo")
    write_tree(root, {"svc9/catalog-info.yaml": ENTITY.format(name="svc9") + "---\nkind: [broken\n"})
    git_commit_all(root, "broken", "2026-01-02T00:00:00")

    def notes() -> list[str]:
        ws = _workspace(root)
        ws.facts(backstage.detect)
        ws.reader.kept.save(ws.root)
        return [n.path for n in ws.notes]

    assert "svc9/catalog-info.yaml" in notes()
    assert "svc9/catalog-info.yaml" in notes()


def test_kept_yaml_loads_only_yaml_classes(tmp_path: Path) -> None:
    import pickle

    class Evil:
        def __reduce__(self):  # noqa: ANN204
            return (os.system, ("true",))

    store = _store({}, {"b1": pickle.dumps(Evil())})
    store._content["a.yaml"] = "b1"
    assert store.parsed_yaml("a.yaml") is None


class _GitAsked:
    """Counts the runs that asked git for content ids."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        original = verdicts.content_ids

        def spy(repo):  # noqa: ANN001, ANN202
            self.count += 1
            return original(repo)

        monkeypatch.setattr(verdicts, "content_ids", spy)


def test_a_warm_run_on_a_settled_work_tree_knows_contents_by_identity_without_git(
        tmp_path: Path, kept: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(verdicts, "RACY_NS", 0)  # files written by this test count as settled
    root = _repo(tmp_path / "repo")
    asked = _GitAsked(monkeypatch)
    expected = _entities(root)
    assert asked.count == 0  # a first run has nothing to look up
    reads = _Reads(monkeypatch)
    assert _entities(root) == expected
    assert asked.count == 0 and reads.under("conf/") == []


def test_a_file_rewritten_with_its_old_size_and_modification_time_is_read_again(
        tmp_path: Path, kept: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The change time is part of the identity: restoring ``mtime`` does not hide an edit."""
    monkeypatch.setattr(verdicts, "RACY_NS", 0)
    root = _repo(tmp_path / "repo")
    _entities(root)
    path = root / "conf/app3.yaml"
    before = path.stat()
    path.write_text("kind: X\n"[: before.st_size].ljust(before.st_size - 1, "#") + "\n")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    reads = _Reads(monkeypatch)
    _entities(root)
    assert reads.under("conf/") == ["conf/app3.yaml"]


def test_files_changed_just_before_the_run_get_no_kept_identity(tmp_path: Path, kept: Path) -> None:
    root = _repo(tmp_path / "repo")  # written a moment ago: within RACY_NS of the run
    _entities(root)
    payload = marshal.loads(historycache.cache_file(root, verdicts.KIND).read_bytes())[3]
    assert payload["rejected"] and payload["identities"] == (b"", []) and payload["sample"] == []


def test_after_a_fresh_clone_git_is_asked_once_then_identities_take_over(
        tmp_path: Path, kept: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(verdicts, "RACY_NS", 0)
    root = _repo(tmp_path / "repo")
    expected = _entities(root)
    _clone_again(root)
    asked = _GitAsked(monkeypatch)
    reads = _Reads(monkeypatch)
    assert _entities(root) == expected
    assert asked.count == 1 and reads.under("conf/") == []  # the identities were stale: git's ids
    assert _entities(root) == expected
    assert asked.count == 1 and reads.under("conf/") == []  # git vouched for them: kept by identity


def test_content_ids_are_gits_blob_ids(tmp_path: Path) -> None:
    data = "kind: Component\r\nname: \u00e9\n".encode()
    (tmp_path / "f").write_bytes(data)
    assert verdicts.content_id(data) == git(tmp_path, "hash-object", str(tmp_path / "f")).strip()


def test_a_whole_run_drops_what_left_the_work_tree_a_partial_run_keeps_it(tmp_path: Path, kept: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(verdicts, "RACY_NS", 0)
    root = _repo(tmp_path / "repo")
    _entities(root)
    gone = git(root, "rev-parse", "HEAD:conf/app0.yaml").strip()

    def kept_ids() -> list[str]:
        return marshal.loads(historycache.cache_file(root, verdicts.KIND).read_bytes())[3]["rejected"][0]

    assert gone in kept_ids()
    (root / "conf/app0.yaml").unlink()
    write_tree(root, {"conf/new.yaml": "replicas: 100\n"})  # something to learn, so the run saves
    ws = _workspace(root)  # a partial run: one file looked at
    ws.reader.text_passing("conf/new.yaml", backstage.ENTITY_FILES)
    ws.reader.kept.save(ws.root)
    assert gone in kept_ids()
    write_tree(root, {"conf/newer.yaml": "replicas: 101\n"})
    _entities(root)  # a whole run
    assert gone not in kept_ids()


def test_the_child_takes_what_the_parent_found_true_without_looking_again() -> None:
    parent = _store({})
    parent._identities.update({11: "c1", 12: "c2"})
    parent._confirmed.update({"a.yaml": 11, "b.yaml": 12, "new.yaml": 13})  # 13: learned after the fork
    child = _store({})
    child._identities.update({11: "c1", 12: "c2"})
    child._content["b.yaml"] = "c-own"  # the child looked at this one itself: its answer stands
    child.take_found_true(*parent.found_true())
    assert child._content == {"a.yaml": "c1", "b.yaml": "c-own"}
    assert child._content_of("a.yaml") == "c1"  # no lstat: /nonexistent would find nothing
    assert "new.yaml" not in child._content


@pytest.mark.parametrize("joined, packed", [(["a.yaml"], b"x"), (["a.yaml", "b.yaml"], array("q", [11]).tobytes()),
                                            (3, b""), ([], b""), (["a.yaml"], "not bytes"),
                                            ([3], array("q", [11]).tobytes()), ("a.yaml", array("q", [11]).tobytes())])
def test_what_the_parent_found_true_is_ignored_when_malformed(joined: object, packed: object) -> None:
    child = _store({})
    child._identities[11] = "c1"
    child.take_found_true(joined, packed)
    assert child._content == {}
