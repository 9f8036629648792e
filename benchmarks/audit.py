"""Benchmark ``practicelint audit`` on real repositories, and its org outputs at 50,000.

Usage::

    python benchmarks/audit.py real [--labels DIR] [--mirrors DIR] [--jobs 2] [--transport file|http]
    python benchmarks/audit.py dashboard [--repos 50000]
    python benchmarks/audit.py history [--repos 50000]
    python benchmarks/audit.py synthetic [--repos 200]

``real``: the repositories named by ``--labels`` (YAML files with ``repo: owner/name`` and
``commit:``; default ``benchmarks/labels``) are read from bare mirrors at
``--mirrors/<owner>+<name>/repo``. Each is copied (``git clone --bare --mirror``, hard links, the
mirror is never touched) into a scratch folder with a branch at the labelled commit and
``uploadpack.allowFilter`` set, then served over ``file://`` (or over smart HTTP by
``tests/audit/githttp.py``, which also counts fetch requests). Four audits, each timed with the
parent's and workers' peak memory sampled from ``/proc``:

1. first run: URLs, an empty clone cache and an empty practicelint cache (blobless clone,
   one batched blob fetch, audit);
2. second run: the same URLs again (``git fetch`` finds nothing new, hard reset, audit);
3. ``--skip-unchanged``: the same URLs with the second run's audit.json (``git ls-remote`` only);
4. checkouts: the cached clones audited in place as local paths (no git network work).

``dashboard``: renders the dashboard of ``--repos`` synthetic rows (size, seconds) and, when
Playwright and Chromium are installed, opens it headless and times the first page. ``history``:
records ``--repos`` synthetic rows in a fresh SQLite history (seconds, bytes per run, query
times). ``synthetic``: the earlier benchmark of generated repositories (``benchmarks/run.py``).

Measurements only: nothing here is asserted by the test-suite.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

AUDIT = [sys.executable, "-m", "linter", "audit"]


# ------------------------------------------------------------------ measuring a run
def _hwm_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            out += [int(c) for c in task.read_text().split()]
        except OSError:
            pass
    return out


def run_audit(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Wall seconds, parent and largest worker peak RSS (MiB), exit code and per-repo times."""
    start = time.perf_counter()
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(AUDIT + args, stdout=subprocess.DEVNULL, stderr=log, env=env, cwd=ROOT)
    parent = worker = 0
    while proc.poll() is None:
        parent = max(parent, _hwm_kib(proc.pid))
        for child in _children(proc.pid):
            worker = max(worker, _hwm_kib(child))
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    log.seek(0)
    text = log.read().decode("utf-8", "replace")
    if proc.returncode not in (0, 1):
        raise SystemExit(f"audit exited {proc.returncode}: {text[-2000:]}")
    per_repo = [(m.group(1), float(m.group(2))) for m in re.finditer(r"^\[\s*\d+/\d+\] (\S+): .*\(([\d.]+)s\)$", text, re.M)]
    return {"seconds": seconds, "parent_mib": parent / 1024, "worker_mib": worker / 1024,
            "code": proc.returncode, "per_repo": per_repo,
            "errors": len(re.findall(r"^\[\s*\d+/\d+\] \S+: error", text, re.M))}


def _line(label: str, count: int, r: dict[str, Any], extra: str = "") -> str:
    rate = count / r["seconds"]
    return (f"{label:<26} {count:>5} {r['seconds']:>8.1f} {rate:>8.2f} {3600 * rate:>8.0f} {r['parent_mib']:>10.1f} "
            f"{r['worker_mib']:>10.1f} {r['errors']:>6}{extra}")


HEADER = (f"{'run':<26} {'repos':>5} {'seconds':>8} {'repos/s':>8} {'repos/h':>8} {'parent MiB':>10} "
          f"{'worker MiB':>10} {'errors':>6}")


# ------------------------------------------------------------------ real repositories
def read_labels(folder: Path) -> list[tuple[str, str]]:
    import yaml

    out = []
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("repo"), str) and isinstance(data.get("commit"), str):
            out.append((data["repo"], data["commit"]))
    return out


def _git(*args: str, cwd: Path | None = None) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def checkout_complete(repo: Path) -> bool:
    """Whether ``repo`` holds every blob of its HEAD tree. The mirrors are themselves partial
    snapshots: one that lacks blobs of its own HEAD cannot be cloned and checked out by anyone
    (``git clone`` fails as the audit does), so it would measure nothing but a failure."""
    listing = _git("ls-tree", "-r", "-z", "HEAD", cwd=repo)
    oids = [entry.split()[2] for entry in listing.split("\0") if entry and entry.split()[1] == "blob"]
    check = subprocess.run(["git", "cat-file", "--batch-check"], input="\n".join(oids) + "\n", cwd=repo,
                           capture_output=True, text=True, check=False)
    return check.returncode == 0 and " missing" not in check.stdout


def serve_copies(labels: list[tuple[str, str]], mirrors: Path, served: Path) -> list[tuple[str, str]]:
    """Bare copies of the mirrors at the labelled commits, ready to serve partial clones (those
    whose HEAD tree is incomplete are left out and named on stderr)."""
    ready = []
    for repo, commit in labels:
        mirror = mirrors / repo.replace("/", "+") / "repo"
        target = served / f"{repo}.git"
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            _git("clone", "-q", "--bare", "--mirror", str(mirror), str(target))
        _git("update-ref", "refs/heads/practicelint-bench", commit, cwd=target)
        _git("symbolic-ref", "HEAD", "refs/heads/practicelint-bench", cwd=target)
        for key, value in (("uploadpack.allowFilter", "true"), ("uploadpack.allowAnySHA1InWant", "true")):
            _git("config", key, value, cwd=target)
        if checkout_complete(target):
            ready.append((repo, commit))
        else:
            print(f"left out {repo}: its mirror lacks blobs of its own HEAD tree", file=sys.stderr)
    return ready


def real(args: argparse.Namespace) -> None:
    labels = read_labels(args.labels)
    if not labels:
        raise SystemExit(f"no labels in {args.labels}")
    work = args.workdir or Path(tempfile.mkdtemp(prefix="practicelint-audit-real-"))
    work.mkdir(parents=True, exist_ok=True)
    served = work / "served"
    t0 = time.perf_counter()
    repos = serve_copies(labels[: args.limit] if args.limit else labels, args.mirrors, served)
    print(f"prepared {len(repos)} served copies in {time.perf_counter() - t0:.0f}s", file=sys.stderr)
    cache, pl_cache = work / "clones", work / "plcache"
    for folder in (cache, pl_cache):
        shutil.rmtree(folder, ignore_errors=True)
    env = {**os.environ, "PRACTICELINT_CACHE_DIR": str(pl_cache), "PRACTICELINT_NOW": "2026-12-06T00:00:00"}
    server = None
    if args.transport == "http":
        from tests.audit.githttp import GitHttpServer

        server = GitHttpServer(served).__enter__()
        urls = [server.url(f"{repo}.git") for repo, _ in repos]
    else:
        urls = [(served / f"{repo}.git").as_uri() for repo, _ in repos]
    listing = work / "repos.txt"
    listing.write_text("\n".join(urls) + "\n")
    common = ["--repos-file", str(listing), "--cache-dir", str(cache), "--jobs", str(args.jobs), "--no-repo-html"]
    rows = []
    try:
        fetches = server.fetches() if server else 0
        first = run_audit([*common, "--output-dir", str(work / "out1")], env)
        rows.append(("first run (clone + audit)", first, server.fetches() - fetches if server else None))
        fetches = server.fetches() if server else 0
        second = run_audit([*common, "--output-dir", str(work / "out2")], env)
        rows.append(("second run (fetch + audit)", second, server.fetches() - fetches if server else None))
        fetches = server.fetches() if server else 0
        skip = run_audit([*common, "--output-dir", str(work / "out3"), "--skip-unchanged",
                          str(work / "out2" / "audit.json")], env)
        rows.append(("--skip-unchanged", skip, server.fetches() - fetches if server else None))
    finally:
        if server is not None:
            server.__exit__()
    checkouts = work / "checkouts.txt"
    checkouts.write_text("\n".join(str(p) for p in sorted(cache.iterdir()) if p.is_dir()
                                   and not p.name.startswith(".")) + "\n")
    local = run_audit(["--repos-file", str(checkouts), "--jobs", str(args.jobs), "--no-repo-html",
                       "--output-dir", str(work / "out4")], env)
    rows.append(("checkouts (no git I/O)", local, None))

    clone_bytes = sum(f.stat().st_size for f in cache.rglob("*") if f.is_file())
    unread = _history_unread(work / "out1" / "audit.json")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, git {_git('--version').split()[-1]}, "
          f"--jobs {args.jobs}, transport {args.transport}")
    print(HEADER + ("  fetches" if server else ""))
    for label, result, fetch_count in rows:
        extra = f"  {fetch_count:>7}" if fetch_count is not None else ""
        print(_line(label, len(repos), result, extra))
    print(f"clone cache after the runs: {clone_bytes / 2**20:.0f} MiB for {len(repos)} repositories")
    if unread:
        print(f"DEL002 not applicable (history window not all on the server, or too short): {', '.join(unread)}")
    slow = sorted(first["per_repo"], key=lambda kv: -kv[1])[:5]
    print("slowest on the first run: " + ", ".join(f"{name} {secs:.1f}s" for name, secs in slow))
    print("repositories (owner/name@commit):")
    for repo, commit in repos:
        print(f"  {repo}@{commit[:12]}")
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)


def _history_unread(document: Path) -> list[str]:
    rows = json.loads(document.read_text(encoding="utf-8"))["repos"]
    return sorted(r["name"] for r in rows if r["status"] == "ok"
                  and any(rule == "DEL002" and status == "not_applicable" for rule, _s, status in r["results"]))


# ------------------------------------------------------------------ 50,000 repositories
def synthetic_row(i: int, week: int = 0) -> dict[str, Any]:
    """A compact row of realistic shape (33 rules' statuses, 10 category scores); ``week``
    reshuffles one repository in ten, as a week of changes would."""
    rnd = random.Random(i + (1_000_003 * week if i % 10 == 0 else 0))
    statuses = ("pass", "pass", "fail", "not_applicable", "waived", "error")
    rules = [f"R{k:03d}" for k in range(33)]
    results = [[rule, ".", rnd.choice(statuses)] for rule in rules]
    failing = [{"rule_id": r, "name": r.lower(), "scope": ".", "severity": "warning", "category": "delivery",
                "practice_id": "p" + r[1:3]} for r, _, s in results if s in ("fail", "error")]
    cats = ["performance", "reliability", "cost", "architecture", "security", "delivery", "teams",
            "working-backwards", "narratives", "operations"]
    score = rnd.randint(0, 100)
    return {"id": f"github.com/org/repo-{i}", "name": f"org/repo-{i}", "source": "x", "slug": f"repo-{i}",
            "status": "ok" if i % 97 else "error", "error": None if i % 97 else "clone failed: timeout",
            "commit": f"{i:040x}", "audited_at": "2026-12-06T00:00:00+00:00",
            "kind": ("service", "library", "tool", "unknown")[i % 4], "owner": f"team-{i % 600}",
            "owners": [f"team-{i % 600}"], "score": score, "level": min(score // 30, 3),
            "categories": {c: rnd.choice([None, rnd.randint(0, 100)]) for c in cats}, "counts": {},
            "results": results, "severities": {r: "warning" for r in rules}, "failing": failing, "waivers": [],
            "report_json": f"shards/audit-shard-{i % 50}/repos/repo-{i}.json",
            "report_html": f"shards/audit-shard-{i % 50}/repos/repo-{i}.html"}


def _spool(count: int, folder: Path, week: int = 0) -> tuple[Any, Any]:
    from linter.audit.aggregate import OrgSummary
    from linter.audit.document import RowSpool

    spool, summary = RowSpool(folder / f"rows-{week}.jsonl"), OrgSummary()
    for i in range(count):
        row = synthetic_row(i, week)
        spool.put(row)
        summary.add(row)
    return spool, summary


def dashboard(args: argparse.Namespace) -> None:
    from linter.audit.publish import Outputs, publish

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        spool, summary = _spool(args.repos, folder)
        page = folder / "dashboard.html"
        start = time.perf_counter()
        publish(spool, summary, {"started_at": "2026-12-06T00:00:00+00:00"}, Outputs(html=page))
        rendered = time.perf_counter() - start
        md = folder / "summary.md"
        publish(spool, summary, {"started_at": "2026-12-06T00:00:00+00:00"}, Outputs(markdown=md))
        print(f"{args.repos} repositories: dashboard {page.stat().st_size / 1e6:.1f} MB rendered in {rendered:.1f} s; "
              f"Markdown summary {md.stat().st_size / 1024:.0f} KiB")
        opened = _open_in_chromium(page)
        if opened is not None:
            print(f"headless Chromium: first page of 100 rows drawn {opened[0]:.2f} s after navigation; "
                  f"next page {opened[1] * 1000:.0f} ms; sort by score {opened[2] * 1000:.0f} ms")


def _open_in_chromium(page: Path) -> tuple[float, float, float] | None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        return None
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            tab = browser.new_page()
            start = time.perf_counter()
            tab.goto(page.as_uri(), timeout=300_000)
            tab.wait_for_function("document.querySelectorAll('#repo-table tbody tr').length === 100")
            first = time.perf_counter() - start
            start = time.perf_counter()
            tab.click("#p-next")
            tab.wait_for_function("document.getElementById('p-where').textContent.startsWith('Page 2')")
            paged = time.perf_counter() - start
            start = time.perf_counter()
            tab.locator('#repo-table thead th[data-key="score"] button').click()
            tab.wait_for_function("document.querySelector('#repo-table thead th[data-key=\"score\"]')"
                                  ".getAttribute('aria-sort') === 'ascending'")
            sorted_in = time.perf_counter() - start
            return first, paged, sorted_in
        finally:
            browser.close()


def history(args: argparse.Namespace) -> None:
    from linter.audit.store import History

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        db_path = folder / "audits.db"
        times = []
        with History(db_path) as db:
            for week in range(2):
                spool, summary = _spool(args.repos, folder, week)
                start = time.perf_counter()
                run = db.record({"started_at": f"2026-12-{6 + 7 * week:02d}T00:00:00+00:00"}, summary.as_dict(),
                                spool.rows(), source="benchmark")
                times.append(time.perf_counter() - start)
            start = time.perf_counter()
            db.trends(run)
            trend_s = time.perf_counter() - start
            start = time.perf_counter()
            regressions = db.regressions(run, db.previous_run(run))  # type: ignore[arg-type]
            regress_s = time.perf_counter() - start
        size = db_path.stat().st_size
        results = args.repos * 33
        print(f"{args.repos} repositories x 33 rules: record a run {min(times):.1f}-{max(times):.1f} s; "
              f"{size / 2 / 2**20:.0f} MiB per run ({size / 2 / results:.0f} bytes per result row); "
              f"trends {trend_s * 1000:.0f} ms; regressions {regress_s:.2f} s ({len(regressions)} found)")


# ------------------------------------------------------------------ the earlier synthetic benchmark
def synthetic(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(HERE))
    from run import synthetic_repo  # noqa: E402

    work = Path(tempfile.mkdtemp(prefix="practicelint-audit-bench-"))
    try:
        rnd = random.Random(42)
        repos = []
        for i in range(args.repos):
            parent = work / "repos" / f"r{i:04d}"
            parent.mkdir(parents=True, exist_ok=True)
            repos.append(synthetic_repo(parent, rnd.randint(50, 200), services=rnd.randint(1, 4)))
        listing = work / "repos.txt"
        listing.write_text("\n".join(str(r) for r in repos) + "\n")
        env = dict(os.environ)
        print(HEADER)
        for jobs in (1, 2):
            result = run_audit(["--repos-file", str(listing), "--jobs", str(jobs), "--output-dir", str(work / "out")],
                               env)
            print(_line(f"synthetic, jobs {jobs}", len(repos), result))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("real", help="first and second runs on real repositories")
    r.add_argument("--labels", type=Path, default=HERE / "labels")
    r.add_argument("--mirrors", type=Path, default=Path(os.environ.get("PRACTICELINT_MIRRORS", "/work/.mirror")))
    r.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    r.add_argument("--transport", choices=("file", "http"), default="file")
    r.add_argument("--limit", type=int, default=0, help="only the first N labelled repositories")
    r.add_argument("--workdir", type=Path, help="keep the served copies and clones here")
    r.set_defaults(run=real)
    d = sub.add_parser("dashboard", help="dashboard size and drawing time at scale")
    d.add_argument("--repos", type=int, default=50_000)
    d.set_defaults(run=dashboard)
    h = sub.add_parser("history", help="SQLite history at scale")
    h.add_argument("--repos", type=int, default=50_000)
    h.set_defaults(run=history)
    s = sub.add_parser("synthetic", help="generated repositories (benchmarks/run.py)")
    s.add_argument("--repos", type=int, default=200)
    s.set_defaults(run=synthetic)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
