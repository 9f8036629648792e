"""The repository model: indexing, safe reads, notes and git history."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from linter.repo.workspace import Workspace
from tests.helpers import git, git_commit_all, write_tree


def test_git_index_has_tracked_and_untracked_but_not_ignored(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.txt": "a", ".gitignore": "ignored.txt\nbuild/\n", "build/x": "x"})
    git_commit_all(tmp_path, "init", "2026-01-01T00:00:00")
    write_tree(tmp_path, {"new.txt": "n", "ignored.txt": "i", "node_modules/p/package.json": "{}"})
    files = Workspace(tmp_path).files
    assert files == (".gitignore", "a.txt", "new.txt")


def test_walk_without_git_honours_gitignore_and_prunes(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        ".gitignore": "*.log\n/secret/\n", "keep.md": "k", "debug.log": "x", "secret/a": "s",
        "sub/.gitignore": "local.txt\n", "sub/local.txt": "l", "sub/other.txt": "o",
        "node_modules/x/index.js": "", ".venv/lib/a.py": "", ".git/config": "",
    })
    ws = Workspace(tmp_path)
    assert not ws.git_dir_ok
    assert ws.files == (".gitignore", "keep.md", "sub/.gitignore", "sub/other.txt")


def test_exclude_globs(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a/x.yaml": "", "b/x.yaml": ""})
    ws = Workspace(tmp_path)
    ws.configure(max_file_size=100, exclude=["a/**"])
    assert ws.files == ("b/x.yaml",)


def test_reads_are_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, {"a.yaml": "k: v\n"})
    ws = Workspace(tmp_path)
    calls: list[str] = []
    real = ws.reader._read_raw
    monkeypatch.setattr(ws.reader, "_read_raw", lambda rel: calls.append(rel) or real(rel))
    assert ws.read_text("a.yaml") == "k: v\n"
    ws.read_yaml("a.yaml")
    ws.read_yaml("a.yaml")
    assert calls == ["a.yaml"]


def test_lines_are_split_once_per_run_and_none_for_an_unusable_file(tmp_path: Path) -> None:
    """``read_lines`` keeps the split with the text (CI parsers ask for one file's lines per
    script), ends with the text's last, possibly empty, line, and says ``None`` as
    ``read_text`` does: a detector needs no cache of its own."""
    write_tree(tmp_path, {"ci.yml": "run: |\r\n  make\r\n", "bin.yml": b"\x00\x01"})
    ws = Workspace(tmp_path)
    lines = ws.read_lines("ci.yml")
    assert lines == ("run: |", "  make", "")
    assert ws.read_lines("ci.yml") is lines
    assert ws.read_lines("bin.yml") is None and ws.unusable("bin.yml")
    assert ws.read_lines("missing.yml") is None


def test_bom_and_crlf_are_normalised(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.yaml": b"\xef\xbb\xbfa: 1\r\nb: 2\r\n"})
    assert Workspace(tmp_path).read_text("a.yaml") == "a: 1\nb: 2\n"


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"\x00\x01binary", "binary"), (b"caf\xe9 latin-1", "not valid UTF-8"), (b"x" * 2048, "larger than")],
)
def test_unusable_files_become_notes(tmp_path: Path, content: bytes, reason: str) -> None:
    write_tree(tmp_path, {"f.yaml": content})
    ws = Workspace(tmp_path, max_file_size=1024)
    assert ws.read_text("f.yaml") is None
    assert any(reason in n.reason and n.path == "f.yaml" for n in ws.notes)


def test_symlink_out_of_the_repository_is_never_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("secret")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "link.yaml").symlink_to(outside)
    (repo / "inner.yaml").write_text("ok: 1\n")
    (repo / "good-link.yaml").symlink_to(repo / "inner.yaml")
    (repo / "loop.yaml").symlink_to(repo / "loop.yaml")
    ws = Workspace(repo)
    assert ws.read_text("link.yaml") is None
    assert ws.read_text("good-link.yaml") == "ok: 1\n"
    assert ws.read_text("loop.yaml") is None
    reasons = {n.path: n.reason for n in ws.notes}
    assert "outside the repository" in reasons["link.yaml"]
    assert "symlink" in reasons["loop.yaml"]


def test_fifo_and_socket_are_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo.yaml")
    sock = socket.socket(socket.AF_UNIX)
    sock_path = tmp_path / "s.yaml"
    try:
        sock.bind(str(sock_path))
    except OSError:  # pragma: no cover - path too long on some systems
        sock_path = None
    ws = Workspace(tmp_path)
    assert ws.read_text("fifo.yaml") is None  # would hang forever if opened for reading
    if sock_path:
        assert ws.read_text("s.yaml") is None
    assert any(n.path == "fifo.yaml" and "not a regular file" in n.reason for n in ws.notes)
    sock.close()


def test_permission_denied_is_a_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, {"a.yaml": "a: 1"})
    real_open = os.open

    def deny(path, flags, *args):  # root ignores chmod, so simulate the OS refusing
        if str(path).endswith("a.yaml"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", deny)
    ws = Workspace(tmp_path)
    assert ws.read_text("a.yaml") is None
    assert ws.notes[0].reason == "cannot open: Permission denied"


def test_missing_file_is_none_without_note(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    assert ws.read_text("nope.yaml") is None and ws.notes == []


def test_yaml_errors_are_noted_once(tmp_path: Path) -> None:
    write_tree(tmp_path, {"bad.yaml": "a: [\n"})
    ws = Workspace(tmp_path)
    ws.read_yaml("bad.yaml")
    ws.read_yaml("bad.yaml")
    assert len(ws.notes) == 1 and "invalid YAML" in ws.notes[0].reason


def test_facts_are_computed_once(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    calls = []

    def detect(w: Workspace) -> int:
        calls.append(1)
        return 42

    assert ws.facts(detect) == ws.facts(detect) == 42 and len(calls) == 1


def test_first_commit_times_per_directory(tmp_path: Path) -> None:
    write_tree(tmp_path, {"old/a.txt": "a"})
    git_commit_all(tmp_path, "old", "2024-01-01T00:00:00+00:00")
    write_tree(tmp_path, {"new/b.txt": "b", "old/c.txt": "c"})
    git_commit_all(tmp_path, "new", "2026-06-01T00:00:00+00:00")
    write_tree(tmp_path, {"untracked/x.txt": "x"})
    times = Workspace(tmp_path).first_commit_times([".", "old", "new", "untracked"])
    assert times["old"] == times["."] == 1704067200
    assert times["new"] == 1780272000
    assert times["untracked"] is None


def test_first_commit_times_from_a_subdirectory_and_without_git(tmp_path: Path) -> None:
    write_tree(tmp_path, {"sub/svc/a.txt": "a"})
    git_commit_all(tmp_path, "c", "2025-01-01T00:00:00+00:00")
    assert Workspace(tmp_path / "sub").first_commit_times(["svc"])["svc"] == 1735689600
    plain = tmp_path.parent / (tmp_path.name + "-plain")
    plain.mkdir()
    assert Workspace(plain).first_commit_times(["."]) == {".": None}


def test_repository_without_commits_and_corrupt_head(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    write_tree(tmp_path, {"a.txt": "a"})
    ws = Workspace(tmp_path)
    assert ws.files == ("a.txt",) and ws.head_commit is None
    (tmp_path / ".git" / "HEAD").write_text("garbage\n")
    ws2 = Workspace(tmp_path)
    assert ws2.files == ("a.txt",)  # falls back to a walk when git refuses the tree
    assert any("git cannot read" in n.reason for n in ws2.notes)


def test_first_commit_times_use_one_git_log_and_handle_out_of_order_dates(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, {"a/x/1.txt": "1"})
    git_commit_all(tmp_path, "newer date first", "2026-05-01T00:00:00+00:00")
    write_tree(tmp_path, {"a/y/2.txt": "2"})
    git_commit_all(tmp_path, "older date later (rebased)", "2025-01-01T00:00:00+00:00")
    ws = Workspace(tmp_path)
    calls: list[tuple[str, ...]] = []
    real = ws.git.git_pieces
    monkeypatch.setattr(ws.git, "git_pieces", lambda *a, **k: calls.append(a) or real(*a, **k))
    both = ws.first_commit_times(["a/x", "a", "a/y", "."])
    first = {"a/x": both["a/x"]}
    second = ws.first_commit_times(["a", "a/y", "."])  # already known: no second pass
    assert sum(1 for c in calls if c[0] == "log") == 1
    assert first["a/x"] == 1777593600
    assert second["a"] == second["a/y"] == second["."] == 1735689600


def test_sample_and_test_data_folders_are_not_indexed_by_default(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "deploy/app.yaml": "", "examples/tutorial/schema.sql": "", "pkg/testdata/deploy.yaml": "",
        "tests/fixtures/slo.yaml": "", "tests/load/locustfile.py": "", "docs/Examples.md": "",
        "pkg/model/mocks/chaos_engine.yaml": "", "mockserver/app.yaml": "",
    })
    ws = Workspace(tmp_path)
    assert ws.files == ("deploy/app.yaml", "docs/Examples.md", "mockserver/app.yaml", "tests/load/locustfile.py")
    assert any("4 files in sample or test-data folders (examples, fixtures, mocks, testdata)" in n.reason
               for n in ws.notes)
    everything = Workspace(tmp_path)
    everything.configure(max_file_size=1024, exclude=(), skip_sample_dirs=False)
    assert len(everything.files) == 8


def test_helm_templates_are_not_parsed_as_yaml(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "chart/Chart.yaml": "apiVersion: v2\nname: app\nversion: 1.0.0\n",
        "chart/templates/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: {{ .Values.replicas }}\n",
        "other/templates/page.yaml": "a: 1\n",
    })
    ws = Workspace(tmp_path)
    assert ws.read_yaml("chart/templates/deployment.yaml") is None
    assert ws.read_yaml("other/templates/page.yaml").documents[0].data == {"a": 1}
    assert [n.reason for n in ws.notes] == ["Helm chart templates are not YAML until rendered; they were not parsed"]


def test_with_suffix_index_matches_a_scan(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.YAML": "", "b/c.yml": "", "d.tar.gz": "", ".yaml": "", "e.md": "", "f.min.js": ""})
    ws = Workspace(tmp_path)
    for suffixes in ((".yaml",), (".yml", ".yaml"), (".md",), (".tar.gz",), (".min.js", ".md"), (".nope",)):
        lowered = tuple(s.lower() for s in suffixes)
        assert ws.with_suffix(*suffixes) == [p for p in ws.files if p.lower().endswith(lowered)], suffixes


def test_git_output_splits_odd_names_and_reports_failure(tmp_path: Path) -> None:
    from linter.detectors.history import commit_sizes
    from linter.repo import gitls
    from linter.repo.gitls import GitFailed

    write_tree(tmp_path, {"a b.txt": "1", "c\nd.txt": "2"})
    git_commit_all(tmp_path, "c", "2026-01-01T00:00:00+00:00")
    ws = Workspace(tmp_path)
    assert sorted(gitls.read_all(gitls.start(str(tmp_path), "ls-files", "-z"), b"\0")) == ["a b.txt", "c\nd.txt"]
    with pytest.raises(GitFailed):
        list(ws.git_pieces("log", "--no-such-option"))
    (size,) = commit_sizes(ws.git_log_numstat_text(5))  # the quoted "c\nd.txt" row counts too
    assert size.lines == 2


def test_read_json_is_parsed_once_lenient_on_request_and_never_raises(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json as json_module

    write_tree(tmp_path, {"a.json": '{"x": 1}', "renovate.json5": '{\n  // comment\n  "extends": ["base"],\n}\n',
                          "deep.json": "[" * 100_000 + "]" * 100_000, "bad.json": "{nope"})
    ws = Workspace(tmp_path)
    calls = []
    real = json_module.loads
    monkeypatch.setattr(json_module, "loads", lambda text: calls.append(1) or real(text))
    assert ws.read_json("a.json") == {"x": 1} and ws.read_json("a.json") == {"x": 1}
    assert len(calls) == 1
    assert ws.read_json("renovate.json5") is None
    assert ws.read_json("renovate.json5", lenient=True) == {"extends": ["base"]}
    assert ws.read_json("deep.json") is None and ws.read_json("bad.json") is None
    assert ws.read_json("missing.json") is None


def test_read_toml_is_parsed_once_and_never_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Several detectors read the same pyproject.toml or Cargo.toml: one parse serves them."""
    import tomllib

    write_tree(tmp_path, {"pyproject.toml": "[project]\nname = \"a\"\n", "bad.toml": "x = [",
                          "deep.toml": "x = " + "[" * 100_000 + "]" * 100_000})
    ws = Workspace(tmp_path)
    calls = []
    real = tomllib.loads
    monkeypatch.setattr(tomllib, "loads", lambda text: calls.append(1) or real(text))
    expected = ({"project": {"name": "a"}}, "[project]\nname = \"a\"\n")
    assert ws.read_toml("pyproject.toml") == expected and ws.read_toml("pyproject.toml") == expected
    assert len(calls) == 1
    assert ws.read_toml("bad.toml") is None and ws.read_toml("deep.toml") is None
    assert ws.read_toml("missing.toml") is None


def test_repository_age_comes_from_the_root_commit_without_walking_every_addition(tmp_path: Path,
                                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, {"a.txt": "1"})
    git_commit_all(tmp_path, "first", "2025-03-01T00:00:00+00:00")
    write_tree(tmp_path, {"svc/b.txt": "2"})
    git_commit_all(tmp_path, "second", "2026-01-01T00:00:00+00:00")
    walked = Workspace(tmp_path).first_commit_times([".", "svc"])  # the full addition log
    streamed: list[tuple[str, ...]] = []
    ws = Workspace(tmp_path)
    original = ws.git.git_pieces
    monkeypatch.setattr(ws.git, "git_pieces", lambda *a, **k: streamed.append(a) or original(*a, **k))
    assert ws.first_commit_times(["."]) == {".": walked["."]}
    assert streamed == []  # answered by `git log --max-parents=0`, no walk
    assert walked["svc"] is not None and walked["svc"] > walked["."]


def test_several_services_start_the_addition_log_early(tmp_path: Path) -> None:
    from linter.engine import RunOptions, run
    from linter.repo import gitls
    from linter.repo.git import FIRST_ADDED_ARGS

    write_tree(tmp_path, {"services/a/x.txt": "1", "services/b/y.txt": "2",
                          ".practicelint.yaml": "services: ['services/*']\n"})
    git_commit_all(tmp_path, "init", "2026-01-01T00:00:00+00:00")
    started: list[tuple[str, ...]] = []
    original = gitls.prefetch_command
    gitls.prefetch_command = lambda root, args: started.append(tuple(args)) or original(root, args)
    try:
        report, _ = run(tmp_path, RunOptions(jobs=1))
    finally:
        gitls.prefetch_command = original
    assert FIRST_ADDED_ARGS in started
    assert {s.path for s in report.scopes} == {"services/a", "services/b"}
    assert (str(tmp_path.resolve()), FIRST_ADDED_ARGS) not in gitls._commands  # taken by PROD001


def test_bounded_says_when_a_cap_leaves_files_out(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    assert ws.bounded(["a", "b"], 5, "YAML files") == ["a", "b"] and ws.notes == []
    assert ws.bounded(["a", "b", "c"], 2, "YAML files") == ["a", "b"]
    assert [n.reason for n in ws.notes] == ["3 YAML files; only the first 2 were read (the rest sort later)"]


def test_detector_caps_are_visible_in_the_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from linter.detectors import alerts

    rule = ("groups:\n  - name: api\n    rules:\n      - alert: HighLatency\n"
            "        expr: histogram_quantile(0.99, rate(http_request_duration_seconds_bucket[5m])) > 0.5\n")
    write_tree(tmp_path, {"a/noise.yaml": "x: 1\n", "z/alerts.yaml": rule})
    monkeypatch.setattr(alerts, "MAX_YAML_FILES", 1)
    ws = Workspace(tmp_path)
    facts = ws.facts(alerts.detect)
    assert facts.alerts == ()  # the alert sorts after the cap ...
    assert any("2 YAML files; only the first 1 were read" in n.reason for n in ws.notes)  # ... and the report says so
    monkeypatch.setattr(alerts, "MAX_YAML_FILES", 100_000)
    assert [a.path for a in Workspace(tmp_path).facts(alerts.detect).alerts] == ["z/alerts.yaml"]


def test_first_commit_times_bulk_parse_matches_a_walk_per_file(tmp_path: Path) -> None:
    """Folders at several depths, quoted unusual names, a subfolder workspace: the per-depth
    regular expressions give what splitting every added path would."""
    write_tree(tmp_path, {"svc/a/x.txt": "1", "top.txt": "t"})
    git_commit_all(tmp_path, "one", "2024-01-01T00:00:00+00:00")
    write_tree(tmp_path, {"svc/b/y.txt": "2", "svc/a/z.txt": "3", "caf\u00e9/q.txt": "4", "tab\tdir/r.txt": "5",
                          "deep/er/still/s.txt": "6"})
    git_commit_all(tmp_path, "two", "2025-01-01T00:00:00+00:00")
    write_tree(tmp_path, {"svc/c/w.txt": "7", "line\nbreak/l.txt": "8"})
    git_commit_all(tmp_path, "three", "2026-01-01T00:00:00+00:00")
    one, two, three = 1704067200, 1735689600, 1767225600
    times = Workspace(tmp_path).first_commit_times(
        [".", "svc", "svc/a", "svc/b", "svc/c", "caf\u00e9", "tab\tdir", "deep/er/still", "line\nbreak", "nope"])
    assert times == {".": one, "svc": one, "svc/a": one, "svc/b": two, "svc/c": three, "caf\u00e9": two,
                     "tab\tdir": two, "deep/er/still": two, "line\nbreak": three, "nope": None}
    assert Workspace(tmp_path / "svc").first_commit_times(["b", "c", "a"]) == {"a": one, "b": two, "c": three}


def test_templated_yaml_gets_one_note_not_one_per_broken_document(tmp_path: Path) -> None:
    """Go/Helm or Jinja templates outside a chart's templates/ are not YAML until rendered:
    one note per file says so; a plainly broken file (or one whose only braces are GitHub
    expressions) keeps its detailed parse errors; documents that parse still count."""
    write_tree(tmp_path, {
        "files/gateway.yaml": ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\n"
                               "{{- if .Values.enabled }}\nkind: Deployment\n{{- end }}\n---\n"
                               "spec: {{ toYaml .Values.spec | nindent 2 }}\n  x: [\n"),
        "deploy/play.yml": "- hosts: all\n  tasks:\n{% for t in tasks %}\n  - {{ t }}\n{% endfor %}\n",
        "broken.yaml": "a: [1, 2\nb: 3\n",
        ".github/workflows/ci.yml": "on: push\njobs:\n  a:\n    steps: [\n      - run: echo ${{ github.sha }}\n",
    })
    ws = Workspace(tmp_path)
    gateway = ws.read_yaml("files/gateway.yaml")
    assert gateway is not None and gateway.documents[0].data["metadata"]["name"] == "ok"
    ws.read_yaml("deploy/play.yml")
    ws.read_yaml("broken.yaml")
    ws.read_yaml(".github/workflows/ci.yml")
    by_path: dict[str, list[str]] = {}
    for note in ws.notes:
        by_path.setdefault(note.path, []).append(note.reason)
    assert len(by_path["files/gateway.yaml"]) == 1 and "template syntax" in by_path["files/gateway.yaml"][0]
    assert len(by_path["deploy/play.yml"]) == 1 and "template syntax" in by_path["deploy/play.yml"][0]
    assert "invalid YAML" in by_path["broken.yaml"][0]
    assert all("template" not in reason for reason in by_path[".github/workflows/ci.yml"])
    assert any("invalid YAML" in reason for reason in by_path[".github/workflows/ci.yml"])
