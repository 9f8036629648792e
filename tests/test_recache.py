"""The regex cache between runs (``linter.recache``): same patterns, bounded, never trusted blindly.

Each case runs in a fresh interpreter: installing the cache changes ``re`` for the whole
process, which the test process itself must not get.
"""

from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import git_commit_all, write_tree

#: Patterns of every shape the compiler handles: groups, named groups, flags, bytes, look-arounds,
#: Unicode classes, inline flags, back-references, possessive-like repeats, alternations.
PROBE = r"""
import json, re, sys
from linter import recache
installed = recache.install()
patterns = [
    (r"(?P<key>[A-Za-z_][\w-]*)\s*[:=]\s*(?P<value>.+?)\s*$", re.M),
    (r"(?i)p(?:99|ninety[- ]?nine)\b", 0),
    (r"(?<=/)(docs?|design)/(?!draft)", 0),
    (r"^\s*#.*$|\"(?:[^\"\\]|\\.)*\"", re.M | re.S),
    (r"(\w+)\s+\1", 0),
    (r"[\u00e9\u0130-\u0131]+|\d{2,4}", re.I),
    (rb"\x00[\x01-\x7f]{3}", 0),
    (r"a{1000}|b*?c+?", 0),
    (r"(?x) \d+ (?: \. \d+ )?  # a version", 0),
]
samples = ["latency_p99: 250ms", "P99 = 1", "x/docs/y", "say \"hi\" # note", "the the cat", "\u00e9t\u00e9 2026",
           "abc", "bbbc"]
out = []
for text, flags in patterns:
    compiled = re.compile(text, flags)
    subject = b"\x00abc" if isinstance(text, bytes) else None
    found = [bool(compiled.search(subject))] if subject else [
        (m.group(0), m.groupdict(), m.span()) if (m := compiled.search(s)) else None for s in samples]
    out.append([compiled.pattern if isinstance(text, str) else text.decode(), compiled.flags, compiled.groups,
                dict(compiled.groupindex), found])
recache.save()
print(json.dumps({"installed": installed, "hits": recache.hits, "results": out}))
"""


def _probe(cache: Path, **env: str) -> dict:
    environ = {k: v for k, v in os.environ.items() if k != "PRACTICELINT_NO_CACHE"}
    environ.update(PRACTICELINT_CACHE_DIR=str(cache), **env)
    proc = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=environ, timeout=60,
                          check=True)
    return json.loads(proc.stdout)


def _baseline() -> list:
    proc = subprocess.run([sys.executable, "-c", PROBE.replace("installed = recache.install()", "installed = False")],
                          capture_output=True, text=True, timeout=60, check=True)
    return json.loads(proc.stdout)["results"]


def test_cached_patterns_behave_exactly_like_freshly_compiled_ones(tmp_path: Path) -> None:
    expected = _baseline()
    cold = _probe(tmp_path)
    assert cold["installed"] and cold["results"] == expected
    files = list(tmp_path.glob("regex-*.marshal"))
    assert len(files) == 1 and files[0].stat().st_size > 0
    warm = _probe(tmp_path)
    assert warm["results"] == expected and warm["hits"] >= len(expected)  # served from the cache


def test_a_corrupt_or_foreign_cache_file_is_ignored_and_replaced(tmp_path: Path) -> None:
    expected = _baseline()
    _probe(tmp_path)
    (cache_file,) = tmp_path.glob("regex-*.marshal")
    used = r"(\w+)\s+\1"  # a pattern the probe compiles: a bad entry for it must not be used
    for garbage in (b"not marshal at all", marshal.dumps([1, 2, 3]),
                    marshal.dumps({("a+", 0): (0, ["not", "ints"], 0, {}, ())}),
                    marshal.dumps({("a+", 0): (0, [1, 2], 0, {"g": "x"}, ())}),
                    marshal.dumps({(used, 0): (32, [999_999, 1, 2, 3], 1, {}, (None, None), 1)}),
                    marshal.dumps({(used, 0): (32, ["x"], 1, {}, (None, None), 1)})):
        cache_file.write_bytes(garbage)
        result = _probe(tmp_path)
        assert result["results"] == expected and result["hits"] == 0
        assert isinstance(marshal.loads(cache_file.read_bytes()), dict)  # rewritten whole


def test_turned_off_or_unwritable_means_ordinary_compilation(tmp_path: Path) -> None:
    expected = _baseline()
    off = _probe(tmp_path / "off", PRACTICELINT_NO_CACHE="1")
    assert not off["installed"] and off["results"] == expected and not (tmp_path / "off").exists()
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    result = _probe(blocked / "cache")
    assert result["results"] == expected


def test_bounded_size(tmp_path: Path) -> None:
    code = ("import re, sys\nfrom linter import recache\nrecache.MAX_ENTRIES = 5\nrecache.install()\n"
            "for i in range(20): re.compile(f'x{i}y+')\n"
            "re.compile('z' * (recache.MAX_PATTERN_CHARS + 1))\nrecache.save()\n")
    env = {**os.environ, "PRACTICELINT_CACHE_DIR": str(tmp_path)}
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60)
    (cache_file,) = tmp_path.glob("regex-*.marshal")
    stored = marshal.loads(cache_file.read_bytes())
    assert len(stored) <= 5 and all(len(pattern) <= 20_000 for pattern, _ in stored)


def test_reports_are_identical_with_a_cold_warm_or_disabled_cache(tmp_path: Path) -> None:
    """The command installs the cache; the scanned repository never receives it."""
    repo = write_tree(tmp_path / "repo", {
        ".github/workflows/ci.yml": "on: push\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: pytest\n",
        "docs/adr/001-db.md": "# Use one database per service\n\nContext and decision.\n",
        "slo.yaml": "apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: a}\nspec: {}\n",
    })
    # history for DEL002 (commit sizes) and two services for PROD001 (first-addition times)
    for i, service in enumerate(("billing", "search")):
        write_tree(repo, {f"services/{service}/catalog-info.yaml":
                          "apiVersion: backstage.io/v1alpha1\nkind: Component\n"
                          f"metadata: {{name: {service}}}\nspec: {{type: service, owner: team-a}}\n",
                          f"services/{service}/main.py": "print(1)\n" * (i + 3)})
        git_commit_all(repo, f"add {service}", f"2026-0{i + 1}-01T00:00:00")
    home = tmp_path / "home"
    reports = []
    for env in ({}, {}, {"PRACTICELINT_NO_CACHE": "1"}):
        environ = {k: v for k, v in os.environ.items() if k not in ("PRACTICELINT_CACHE_DIR", "XDG_CACHE_HOME")}
        environ.update(HOME=str(home), **env)
        proc = subprocess.run([sys.executable, "-m", "linter", "check", str(repo), "--format", "json"],
                              capture_output=True, text=True, env=environ, timeout=120)
        assert proc.returncode in (0, 1), proc.stderr
        reports.append(proc.stdout)
    assert reports[0] == reports[1] == reports[2]
    assert list((home / ".cache" / "practicelint").glob("regex-*.marshal"))
    assert list((home / ".cache" / "practicelint").glob("catalog-yaml-*.marshal"))  # parsed catalog files
    kept = sorted(p.name.split("-")[0] for p in (home / ".cache" / "practicelint" / "history").iterdir())
    assert kept == ["ages", "sizes"]  # history kept, and the warm run gave the same report
    assert '"DEL002"' in reports[0] and '"PROD001"' in reports[0]
    assert not [p for p in repo.rglob("*") if "regex-" in p.name]


def test_no_cache_inside_the_scanned_repository_or_the_working_directory(tmp_path: Path) -> None:
    """A CI job whose HOME is its checkout must not read a cache the repository planted, nor
    write one into it."""
    repo = write_tree(tmp_path / "repo", {"README.md": "# r\n", "home/.keep": ""})
    planted = repo / "home" / ".cache" / "practicelint"
    planted.mkdir(parents=True)
    (planted / "catalog-yaml-planted.marshal").write_bytes(b"x")
    before = sorted(p.name for p in planted.iterdir())
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    for cwd, target in ((outside, str(repo)), (repo, ".")):
        environ = {k: v for k, v in os.environ.items() if k not in ("PRACTICELINT_CACHE_DIR", "XDG_CACHE_HOME")}
        environ["HOME"] = str(repo / "home")
        proc = subprocess.run([sys.executable, "-m", "linter", "check", target, "--format", "json"], cwd=cwd,
                              capture_output=True, text=True, env=environ, timeout=120)
        assert proc.returncode in (0, 1), proc.stderr
        assert sorted(p.name for p in planted.iterdir()) == before  # nothing written there
    code = "import sys; from linter import recache\nprint(recache.install(avoid=[sys.argv[1]]))\n"
    environ = {**os.environ, "PRACTICELINT_CACHE_DIR": str(planted)}
    done = subprocess.run([sys.executable, "-c", code, str(repo)], capture_output=True, text=True, env=environ,
                          timeout=60, check=True)
    assert done.stdout.split()[0] == "False"


def test_a_fifo_or_symlink_in_place_of_the_cache_file_is_ignored_without_hanging(tmp_path: Path) -> None:
    expected = _baseline()
    _probe(tmp_path)
    (cache_file,) = tmp_path.glob("regex-*.marshal")
    cache_file.unlink()
    os.mkfifo(cache_file)  # nobody writes to it: reading it would block forever
    result = _probe(tmp_path)  # _probe has a 60 s timeout: a hang fails the test
    assert result["results"] == expected and result["hits"] == 0
    cache_file.unlink()
    (tmp_path / "elsewhere.marshal").write_bytes(b"")
    cache_file.symlink_to(tmp_path / "elsewhere.marshal")
    assert _probe(tmp_path)["results"] == expected


def test_a_warm_run_writes_nothing_and_old_unused_entries_are_forgotten(tmp_path: Path) -> None:
    """The clock advances only when a run writes: a run that finds every pattern leaves the
    file alone; entries unused for FORGET_AFTER ticks go at the next write, used ones stay."""
    from linter import recache

    expected = _baseline()
    _probe(tmp_path)
    (cache_file,) = tmp_path.glob("regex-*.marshal")
    before = cache_file.stat().st_mtime_ns
    assert _probe(tmp_path)["results"] == expected
    assert cache_file.stat().st_mtime_ns == before  # nothing new: not rewritten
    entries = marshal.loads(cache_file.read_bytes())
    now = max(value[5] for value in entries.values())
    entries[("stale[0-9]+", 0)] = (*next(iter(entries.values()))[:5], now - recache.FORGET_AFTER - 5)
    entries[("fresh[0-9]+", 0)] = (*next(iter(entries.values()))[:5], now)
    used_old = next(k for k in entries if k[0] == r"(\w+)\s+\1")
    entries[used_old] = (*entries[used_old][:5], now - recache.REFRESH_AFTER - 5)  # in use, due for confirming
    cache_file.write_bytes(marshal.dumps(entries))
    assert _probe(tmp_path)["results"] == expected  # confirming writes, and the write prunes
    after = marshal.loads(cache_file.read_bytes())
    assert ("stale[0-9]+", 0) not in after and ("fresh[0-9]+", 0) in after
    assert after[used_old][5] == now + 1


def test_the_cache_stays_on_when_run_from_home_on_a_repository_elsewhere(tmp_path: Path) -> None:
    """Only the scanned folders are avoided: ``practicelint check ~/src/repo`` from ``~`` caches."""
    home = tmp_path / "home"
    repo = write_tree(tmp_path / "src" / "repo", {"README.md": "# r\n"})
    home.mkdir()
    environ = {k: v for k, v in os.environ.items() if k not in ("PRACTICELINT_CACHE_DIR", "XDG_CACHE_HOME",
                                                                "PRACTICELINT_NO_CACHE")}
    environ["HOME"] = str(home)
    proc = subprocess.run([sys.executable, "-m", "linter", "check", str(repo)], cwd=home, capture_output=True,
                          text=True, env=environ, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    assert list((home / ".cache" / "practicelint").glob("regex-*.marshal"))
