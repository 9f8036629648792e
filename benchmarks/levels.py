"""Distribution of kinds, levels and scores over local clones of real repositories.

    python benchmarks/levels.py CLONES_DIR [--labels benchmarks/labels] [--markdown]

``CLONES_DIR`` holds one clone per repository (any folder names). Nothing is fetched: the
script runs ``practicelint`` in-process on each clone with a pinned clock and prints, per
repository, its commit, the kind practicelint inferred (and the hand label's kind when
``benchmarks/labels/<owner>__<name>.yaml`` exists, matched by the clone's ``origin`` or its
folder name ``owner+name``), score, level and what blocks the next level; then the level
distribution per kind. ``docs/levels.md`` quotes its output.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import datetime, timezone
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from linter.engine import RunOptions, run  # noqa: E402
from linter.scoring import level_text, repository_maturity, score_text  # noqa: E402

NOW = datetime(2026, 12, 6, tzinfo=timezone.utc)


def _label_kind(labels: Path, clone: Path) -> str:
    name = clone.name.replace("+", "__")
    path = labels / f"{name}.yaml"
    if not path.is_file():
        return ""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return str(data.get("kind", ""))


def _commit(clone: Path) -> str:
    try:
        return subprocess.run(["git", "-C", str(clone), "rev-parse", "--short=12", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "-"


def survey(clones: list[Path], labels: Path) -> list[dict[str, object]]:
    rows = []
    for clone in clones:
        report, _ = run(clone, RunOptions(now=NOW))
        whole = repository_maturity(report)
        kinds = Counter(scope.kind for scope in report.scopes)
        kind = next(iter(kinds)) if len(kinds) == 1 else ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
        rows.append({
            "repo": clone.name.replace("+", "/"), "commit": _commit(clone), "kind": kind,
            "label": _label_kind(labels, clone), "score": whole.score, "level": whole.level,
            "blockers": sorted({r.rule_id for r in whole.blockers}),
            "applicable": sum(1 for r in report.results if r.status.value != "not_applicable"),
        })
    return rows


def render(rows: list[dict[str, object]]) -> str:
    lines = ["| repository | commit | kind (label) | score | level | next level needs | rules judged |",
             "|---|---|---|---|---|---|---|"]
    def level_of(row: dict[str, object]) -> int:  # no level (nothing judged) after level 0, as -1
        return -1 if row["level"] is None else int(row["level"])  # type: ignore[call-overload]

    for row in sorted(rows, key=lambda r: (str(r["kind"]), -level_of(r), str(r["repo"]))):
        label = row["label"]
        kind = f"{row['kind']}" + (f" ({label})" if label and label != row["kind"] else "")
        lines.append(f"| {row['repo']} | `{row['commit']}` | {kind} | {score_text(row['score'])} | "  # type: ignore[arg-type]
                     f"{level_text(row['level'])} | {', '.join(row['blockers']) or '-'} | "  # type: ignore[arg-type]
                     f"{row['applicable']} |")
    by_kind: dict[str, Counter[int]] = defaultdict(Counter)
    for row in rows:
        by_kind[str(row["kind"])][level_of(row)] += 1
        by_kind["all"][level_of(row)] += 1
    steps = ([-1] if by_kind["all"][-1] else []) + list(range(4))
    lines += ["", "| kind | repositories | " + " | ".join("no level" if n < 0 else f"level {n}" for n in steps) + " |",
              "|---|---|" + "---|" * len(steps)]
    for kind in sorted(by_kind, key=lambda k: (k == "all", k)):
        counts = by_kind[kind]
        lines.append(f"| {kind} | {sum(counts.values())} | " + " | ".join(str(counts[n]) for n in steps) + " |")
    agreed = [r for r in rows if r["label"]]
    if agreed:
        same = sum(1 for r in agreed if r["label"] == r["kind"])
        lines += ["", f"Kind agrees with the hand label on {same} of {len(agreed)} labelled repositories."]
    blockers = Counter(b for row in rows for b in row["blockers"])  # type: ignore[union-attr]
    lines += ["", "Most common blockers: " + ", ".join(f"{rule} ({n})" for rule, n in blockers.most_common(8))]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clones", type=Path)
    parser.add_argument("--labels", type=Path, default=ROOT / "benchmarks" / "labels")
    args = parser.parse_args()
    clones = sorted(p for p in args.clones.iterdir() if p.is_dir() and (p / ".git").exists())  # symlinks to clones too
    if not clones:
        sys.exit(f"levels.py: error: no git clones in {args.clones}")
    sys.stdout.write(render(survey(clones, args.labels)))


if __name__ == "__main__":
    main()
