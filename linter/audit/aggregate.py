"""Org-wide aggregates, built one row at a time with bounded memory.

Counters grow with the catalog (rules, practices, categories) and the number of teams, never
with the number of repositories: per practice only the first ``MAX_NAMES`` failing
repositories are named, and only the first ``MAX_WAIVERS`` waivers are listed.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from linter.records import dataclass, field
from linter.results import CATEGORIES

MAX_NAMES = 100
MAX_WAIVERS = 1000
LEVELS = (0, 1, 2, 3)


@dataclass
class _Practice:
    repos: int = 0
    names: list[str] = field(default_factory=list)
    rules: Counter[str] = field(default_factory=Counter)


@dataclass
class OrgSummary:
    repos: int = 0
    audited: int = 0
    errors: int = 0
    score_sum: int = 0
    levels: Counter[int] = field(default_factory=Counter)
    category_sums: dict[str, list[int]] = field(default_factory=dict)
    waiver_states: Counter[str] = field(default_factory=Counter)
    waivers: list[dict[str, Any]] = field(default_factory=list)
    practices: dict[str, _Practice] = field(default_factory=dict)
    rule_meta: dict[str, dict[str, str]] = field(default_factory=dict)
    rule_repos: Counter[str] = field(default_factory=Counter)
    teams: set[str] = field(default_factory=set)

    def add(self, row: dict[str, Any]) -> None:
        self.repos += 1
        if row.get("owner"):
            self.teams.add(str(row["owner"]))
        if row.get("status") != "ok":
            self.errors += 1
            return
        self.audited += 1
        self.score_sum += int(row.get("score") or 0)
        self.levels[int(row.get("level") or 0)] += 1
        for category, score in (row.get("categories") or {}).items():
            if score is not None:
                pair = self.category_sums.setdefault(category, [0, 0])
                pair[0] += int(score)
                pair[1] += 1
        self._add_failures(row)
        for waiver in row.get("waivers") or []:
            self.waiver_states[str(waiver.get("state") or "active")] += 1
            if len(self.waivers) < MAX_WAIVERS:
                self.waivers.append({"repo": row["name"], "repo_id": row["id"], **waiver})

    def _add_failures(self, row: dict[str, Any]) -> None:
        practices_hit: dict[str, set[str]] = {}
        rules_hit: set[str] = set()
        for item in row.get("failing") or []:
            rule_id = str(item.get("rule_id"))
            self.rule_meta.setdefault(rule_id, {k: str(item.get(k, "")) for k in
                                                ("name", "category", "severity", "practice_id")})
            practices_hit.setdefault(str(item.get("practice_id") or rule_id), set()).add(rule_id)
            rules_hit.add(rule_id)
        for rule_id in rules_hit:
            self.rule_repos[rule_id] += 1
        for practice_id, rules in practices_hit.items():
            entry = self.practices.setdefault(practice_id, _Practice())
            entry.repos += 1
            entry.rules.update(rules)
            if len(entry.names) < MAX_NAMES:
                entry.names.append(str(row["name"]))

    def as_dict(self, practice_titles: dict[str, str] | None = None) -> dict[str, Any]:
        titles = practice_titles or {}
        categories = sorted(self.category_sums, key=lambda c: (CATEGORIES.index(c) if c in CATEGORIES else 99, c))
        top = sorted(self.practices.items(), key=lambda kv: (-kv[1].repos, kv[0]))
        return {
            "repos": self.repos, "audited": self.audited, "errors": self.errors,
            "mean_score": round(self.score_sum / self.audited, 1) if self.audited else None,
            "levels": {str(level): self.levels.get(level, 0) for level in LEVELS},
            "categories": {c: {"mean": round(self.category_sums[c][0] / self.category_sums[c][1], 1),
                               "repos": self.category_sums[c][1]} for c in categories},
            "waivers": {state: self.waiver_states.get(state, 0) for state in ("active", "expired", "stale")},
            "top_failing": [
                {"practice_id": pid, "title": titles.get(pid, pid), "repos": p.repos,
                 "rules": sorted(p.rules), "repo_names": sorted(p.names),
                 "more": max(p.repos - len(p.names), 0)}
                for pid, p in top],
            "failing_rules": [{"rule_id": rid, "repos": n, **self.rule_meta.get(rid, {})}
                              for rid, n in sorted(self.rule_repos.items(), key=lambda kv: (-kv[1], kv[0]))],
            "teams": sorted(self.teams),
            "waiver_list": sorted(self.waivers, key=lambda w: (str(w.get("repo")), str(w.get("rule")),
                                                               str(w.get("scope")))),
        }
