#!/usr/bin/env python3
"""Compare hand labels (``benchmarks/labels/*.yaml``) with practicelint's JSON reports.

Usage::

    python benchmarks/labels_compare.py REPORTS_DIR [--rules SEC001,DEL003] [--set tuned|held-out|all] [--markdown]

``REPORTS_DIR`` holds one ``<owner>+<name>.json`` per labelled repository, written by
``practicelint check CHECKOUT --format json`` on a local clone at the labelled commit (see
``benchmarks/real_repos.md`` for the commands). Each label file names the repository, the
commit, the kind a person read from its files, and a verdict per rule with the evidence. The
script prints every rule verdict that differs, the agreement rate per rule, and the kinds.
Nothing here needs the network once the clones exist.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import yaml

LABELS = Path(__file__).resolve().parent / "labels"
#: Repositories kept back while the CI resolution layer was built (issue 16), chosen before any
#: result was looked at (the first three of the non-GitHub-only and the first six of the
#: GitHub-only repositories in SHA-256 order of "holdout-2026:<owner>+<name>"); see
#: benchmarks/real_repos.md. ``--set tuned`` leaves them out, ``--set held-out`` shows only them.
HELD_OUT = frozenset({
    "jenkinsci/git-plugin", "pypa/cibuildwheel", "4Science/dspace-angular", "junegunn/fzf",
    "goreleaser/goreleaser", "tldr-pages/tldr", "excalidraw/excalidraw", "cli/cli",
    "terraform-aws-modules/terraform-aws-eks",
    # the later rounds' held-back sets (benchmarks/real-world-2026-12-06*.md, each chosen by
    # SHA-256 order of "holdout-2026-12-06<round>:<owner>+<name>" before any run)
    "jenkins-infra/uplink", "jenkinsci/plugin-installation-manager-tool", "cloudposse/terraform-aws-ecs-web-app",
    "langfuse/langfuse", "ansible-collections/community.docker", "softprops/action-gh-release",
    "thechangelog/changelog.com", "stefanprodan/podinfo", "jnunemaker/httparty",
    "mayan-edms/Mayan-EDMS", "CircleCI-Public/aws-ecr-orb", "dotnet/command-line-api",
    "go-task/task", "lobsters/lobsters", "pantsbuild/example-python",
    "20tab/django-uwsgi-template", "openstack/placement", "wellcomecollection/catalogue-api",
    "traefik/traefik-helm-chart", "jenkins-infra/incrementals-publisher", "tokio-rs/axum",
    # benchmarks/real-world-2026-12-07a.md (service-practice rules), "holdout-2026-12-07a:<owner>+<name>"
    "ministryofjustice/hmpps-prisoner-search", "pyrra-dev/pyrra", "instana/robot-shop",
})
#: practicelint statuses against a label's verdicts
SAME = {"pass": {"pass"}, "fail": {"fail"}, "not_applicable": {"not_applicable"}}


def load_labels() -> dict[str, dict]:
    labels = {}
    for path in sorted(LABELS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        labels[data["repo"].replace("/", "+")] = data
    return labels


def repo_result(report: dict, rule: str) -> dict | None:
    found = [r for r in report["results"] if r["rule_id"] == rule and r.get("scope", ".") == "."]
    return found[0] if found else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", type=Path)
    parser.add_argument("--rules", default="")
    parser.add_argument("--set", choices=("all", "tuned", "held-out"), default="all",
                        help="all repositories, those tuned on, or those held back (HELD_OUT)")
    parser.add_argument("--markdown", action="store_true", help="print the disagreements as a Markdown table")
    args = parser.parse_args()
    wanted = {r for r in args.rules.split(",") if r}
    agree: Counter[str] = Counter()
    total: Counter[str] = Counter()
    rows = []
    kinds = []
    for key, label in load_labels().items():
        if args.set != "all" and (label["repo"] in HELD_OUT) != (args.set == "held-out"):
            continue
        path = args.reports / f"{key}.json"
        if not path.is_file():
            print(f"missing report: {path}", file=sys.stderr)
            continue
        report = json.loads(path.read_text(encoding="utf-8"))
        scopes = {s.get("path", "."): s for s in report.get("scopes", [])}
        tool_kind = (scopes.get(".") or {}).get("kind", "-")
        kinds.append((label["repo"], label.get("kind"), tool_kind))
        for rule, verdict in sorted((label.get("rules") or {}).items()):
            if wanted and rule not in wanted:
                continue
            result = repo_result(report, rule)
            status = result["status"] if result else "absent"
            expected = verdict.get("verdict")
            total[rule] += 1
            if status in SAME.get(expected, set()):
                agree[rule] += 1
            else:
                rows.append((label["repo"], rule, expected, status, verdict.get("confidence", ""),
                             (result or {}).get("message", "")[:160]))
    if args.markdown:
        print("| repository | rule | label | practicelint | confidence | practicelint said |")
        print("|---|---|---|---|---|---|")
        for row in rows:
            print("| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |")
    else:
        for row in rows:
            print(f"{row[0]:<42} {row[1]:<7} label={row[2]:<15} tool={row[3]:<15} ({row[4]}) {row[5]}")
    print()
    for rule in sorted(total):
        print(f"{rule}: {agree[rule]}/{total[rule]} agree")
    print(f"all: {sum(agree.values())}/{sum(total.values())} agree")
    print()
    for repo, label_kind, tool_kind in kinds:
        mark = "" if label_kind == tool_kind else "  <- differs"
        print(f"kind {repo:<42} label={label_kind:<15} tool={tool_kind}{mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
