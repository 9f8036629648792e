"""Org-wide aggregates, built one row at a time with bounded memory.

Counters grow with the catalog (rules, practices, categories) and the number of teams and
kinds, never with the number of repositories: per practice only the first ``MAX_NAMES``
failing repositories are named, only the ``MAX_WAIVERS`` most urgent waivers are listed
(expired first, then active ones by expiry date, soonest first, then stale ones), and
teams beyond ``MAX_GROUPS`` are rolled up together as ``(other teams)``.

What a VP asks, answered here: the level distribution; per team and per kind of repository
(service, library, tool..., ``mixed`` for a monorepo whose scopes differ: ``linter.audit.rows``)
how many repositories, their mean and median score, level distribution and the rules that
fail most; and per rule its pass rate *with its denominator*: a repository
passes a rule when every scope it applies to passes, fails it when any scope fails (or could
not be evaluated); repositories where it does not apply or is waived are counted apart and
left out of the rate. A repository without a score or level (nothing was judged in it) is
counted, but left out of means, medians and the level distribution: it is neither a 0 nor a
3; ``no_level`` counts those apart.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from linter.fast_dataclass import dataclass, field
from linter.results import CATEGORIES
from linter.audit.rows import kind_group

#: Expired waivers first (the failure they hid is back), then active ones, then stale ones
#: (they match nothing: cleanup).
WAIVER_STATES = ("expired", "active", "stale")


def waiver_urgency(waiver: dict[str, Any]) -> tuple[int, int, str, str, str, str]:
    """Where a waiver comes in the list a lead acts on: by state (``WAIVER_STATES``), then by
    expiry date, soonest first (one without a date last), then repository, rule and scope, so
    the order, and which waivers a capped list keeps, never depend on the order rows arrived."""
    state = str(waiver.get("state") or "active")
    rank = WAIVER_STATES.index(state) if state in WAIVER_STATES else len(WAIVER_STATES)
    expires = str(waiver.get("expires") or "")
    return (rank, 0 if expires else 1, expires, str(waiver.get("repo")), str(waiver.get("rule")),
            str(waiver.get("scope")))


MAX_NAMES = 100
MAX_WAIVERS = 1000
#: Repositories that could not be audited, named with their error (the first by name; the rest counted).
MAX_ERRORS = 1000
#: Rules listed under "where to act" (the rest are in each repository's row).
MAX_WHERE = 25
#: An active waiver that expires within this many days of the audit's start is "expiring".
EXPIRING_DAYS = 30
MAX_GROUPS = 2000
TOP_GROUP_RULES = 5
LEVELS = (0, 1, 2, 3)
NO_TEAM = "(no owner)"
OTHER_TEAMS = "(other teams)"
RULE_OUTCOMES = ("pass", "fail", "waived", "not_applicable", "skipped")


@dataclass
class _Practice:
    repos: int = 0
    names: list[str] = field(default_factory=list)
    rules: Counter[str] = field(default_factory=Counter)


def _number(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def expiring_horizon(started_at: Any) -> str | None:
    """The last expiry date (``YYYY-MM-DD``) counted as expiring soon for an audit that started
    at ``started_at``; ``None`` when the start is unknown."""
    from datetime import date, timedelta

    try:
        return (date.fromisoformat(str(started_at)[:10]) + timedelta(days=EXPIRING_DAYS)).isoformat()
    except ValueError:
        return None


def is_expiring(waiver: dict[str, Any], horizon: str | None) -> bool:
    """An active waiver whose expiry date falls within ``horizon`` (``expiring_horizon``)."""
    expires = str(waiver.get("expires") or "")[:10]
    return bool(horizon and expires and str(waiver.get("state") or "active") == "active" and expires <= horizon)


def median(scores: Counter[int]) -> float | None:
    """The median of scores kept as a histogram (memory bounded by the 101 possible scores)."""
    total = sum(scores.values())
    if not total:
        return None
    wanted = [(total - 1) // 2, total // 2]  # the middle one, or the middle two, 0-based
    found: list[int] = []
    seen = 0
    for score in sorted(scores):
        while len(found) < 2 and wanted[len(found)] < seen + scores[score]:
            found.append(score)
        seen += scores[score]
    return round((found[0] + found[1]) / 2, 1)


@dataclass
class _Group:
    """A rollup of repositories sharing a team or a kind."""

    repos: int = 0
    audited: int = 0
    errors: int = 0
    scores: Counter[int] = field(default_factory=Counter)
    levels: Counter[int] = field(default_factory=Counter)
    failing: Counter[str] = field(default_factory=Counter)

    def add(self, row: dict[str, Any], failing_rules: set[str]) -> None:
        self.repos += 1
        if row.get("status") != "ok":
            self.errors += 1
            return
        self.audited += 1
        add_score_and_level(self.scores, self.levels, row)
        self.failing.update(failing_rules)

    def as_dict(self, key: str, value: str) -> dict[str, Any]:
        return {key: value, "repos": self.repos, "audited": self.audited, "errors": self.errors,
                "mean_score": mean(self.scores), "median_score": median(self.scores),
                "levels": {str(level): self.levels.get(level, 0) for level in LEVELS},
                "no_level": self.audited - sum(self.levels.values()),
                "top_failing_rules": [{"rule_id": rid, "repos": n} for rid, n in
                                      sorted(self.failing.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_GROUP_RULES]]}


def add_score_and_level(scores: Counter[int], levels: Counter[int], row: dict[str, Any]) -> None:
    score, level = _number(row.get("score")), _number(row.get("level"))
    if score is not None:
        scores[score] += 1
    if level is not None:
        levels[level] += 1


def mean(scores: Counter[int]) -> float | None:
    total = sum(scores.values())
    return round(sum(score * n for score, n in scores.items()) / total, 1) if total else None


def rule_outcome(statuses: list[str]) -> str:
    """One repository's outcome for one rule from the statuses of its scopes."""
    if any(s in ("fail", "error") for s in statuses):
        return "fail"
    if "pass" in statuses:
        return "pass"
    if "waived" in statuses:
        return "waived"
    if "skipped" in statuses:  # not evaluated there (no history in a shallow clone): not a verdict
        return "skipped"
    return "not_applicable"


@dataclass
class OrgSummary:
    repos: int = 0
    audited: int = 0
    errors: int = 0
    scores: Counter[int] = field(default_factory=Counter)
    levels: Counter[int] = field(default_factory=Counter)
    category_sums: dict[str, list[int]] = field(default_factory=dict)
    waiver_states: Counter[str] = field(default_factory=Counter)
    waivers: list[dict[str, Any]] = field(default_factory=list)
    #: active waivers per expiry date, so "expiring within 30 days" counts them all, not only
    #: the ``MAX_WAIVERS`` listed (one counter per date: bounded by the calendar)
    active_expiry: Counter[str] = field(default_factory=Counter)
    error_list: list[dict[str, Any]] = field(default_factory=list)
    practices: dict[str, _Practice] = field(default_factory=dict)
    rule_meta: dict[str, dict[str, str]] = field(default_factory=dict)
    rule_repos: Counter[str] = field(default_factory=Counter)
    #: per rule, the repositories whose next level it blocks, and those it alone blocks
    blocking: Counter[str] = field(default_factory=Counter)
    blocking_alone: Counter[str] = field(default_factory=Counter)
    rule_outcomes: dict[str, Counter[str]] = field(default_factory=dict)
    teams: set[str] = field(default_factory=set)
    team_groups: dict[str, _Group] = field(default_factory=dict)
    kind_groups: dict[str, _Group] = field(default_factory=dict)

    def add(self, row: dict[str, Any]) -> None:
        self.repos += 1
        if row.get("owner"):
            self.teams.add(str(row["owner"]))
        failing_rules = {str(item.get("rule_id")) for item in row.get("failing") or [] if isinstance(item, dict)}
        self._group(self.team_groups, str(row.get("owner") or NO_TEAM), limit=True).add(row, failing_rules)
        self._group(self.kind_groups, kind_group(row), limit=False).add(row, failing_rules)
        if row.get("status") != "ok":
            self.errors += 1
            self._add_error(row)
            return
        self.audited += 1
        add_score_and_level(self.scores, self.levels, row)
        for category, score in (row.get("categories") or {}).items():
            if score is not None:
                pair = self.category_sums.setdefault(category, [0, 0])
                pair[0] += int(score)
                pair[1] += 1
        self._add_failures(row)
        self._add_outcomes(row)
        self._add_blockers(row)
        for waiver in row.get("waivers") or []:
            self.waiver_states[str(waiver.get("state") or "active")] += 1
            if str(waiver.get("state") or "active") == "active" and waiver.get("expires"):
                self.active_expiry[str(waiver["expires"])[:10]] += 1
            self.waivers.append({"repo": row["name"], "repo_id": row["id"], **waiver})
            if len(self.waivers) >= 2 * MAX_WAIVERS:
                self.waivers = sorted(self.waivers, key=waiver_urgency)[:MAX_WAIVERS]

    def _add_error(self, row: dict[str, Any]) -> None:
        """Name the repository with its error: a count alone sent the lead to the last page of
        the table (unauditable repositories sort last) to find which ones."""
        self.error_list.append({"repo": str(row.get("name") or row.get("id")), "repo_id": str(row.get("id")),
                                "owner": row.get("owner"), "error": str(row.get("error") or "")[:500]})
        if len(self.error_list) >= 2 * MAX_ERRORS:
            self.error_list = sorted(self.error_list, key=_error_order)[:MAX_ERRORS]

    @staticmethod
    def _group(groups: dict[str, _Group], key: str, limit: bool) -> _Group:
        if key not in groups and limit and len(groups) >= MAX_GROUPS:
            key = OTHER_TEAMS
        return groups.setdefault(key, _Group())

    def _add_outcomes(self, row: dict[str, Any]) -> None:
        by_rule: dict[str, list[str]] = {}
        for item in row.get("results") or []:
            if isinstance(item, list) and len(item) >= 3:
                by_rule.setdefault(str(item[0]), []).append(str(item[2]))
        for rule_id, statuses in by_rule.items():
            self.rule_outcomes.setdefault(rule_id, Counter())[rule_outcome(statuses)] += 1

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

    def _add_blockers(self, row: dict[str, Any]) -> None:
        blockers = [str(b) for b in row.get("blockers") or [] if b]
        self.blocking.update(blockers)
        if len(blockers) == 1:
            self.blocking_alone[blockers[0]] += 1

    def _where_to_act(self, rule_info: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
        """The rules whose fixing lifts the most repositories a level: first those that alone
        stand in front of a repository's next level, then those among several."""
        ranked = sorted(self.blocking, key=lambda rid: (-self.blocking_alone[rid], -self.blocking[rid], rid))
        return [{"rule_id": rid, "name": self._meta(rid, rule_info).get("name", ""),
                 "alone": self.blocking_alone[rid], "blocked": self.blocking[rid]} for rid in ranked[:MAX_WHERE]]

    def _meta(self, rule_id: str, rule_info: dict[str, dict[str, str]]) -> dict[str, str]:
        """A rule's name, category...: the catalog's, overridden by what the reports said."""
        return {**rule_info.get(rule_id, {}), **self.rule_meta.get(rule_id, {})}

    def _rules(self, rule_info: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
        out = []
        for rule_id, counts in self.rule_outcomes.items():
            meta = self._meta(rule_id, rule_info)
            denominator = counts["pass"] + counts["fail"]
            out.append({"rule_id": rule_id, "name": meta.get("name", ""), "category": meta.get("category", ""),
                        **{k: counts.get(k, 0) for k in RULE_OUTCOMES}, "denominator": denominator,
                        "pass_rate": round(100 * counts["pass"] / denominator, 1) if denominator else None})
        return sorted(out, key=lambda r: (r["pass_rate"] is None, r["pass_rate"] or 0, -r["denominator"], r["rule_id"]))

    def as_dict(self, practice_titles: dict[str, str] | None = None,
                rule_info: dict[str, dict[str, str]] | None = None, started_at: Any = None) -> dict[str, Any]:
        """The summary; ``started_at`` (the audit's start) dates "expiring within
        ``EXPIRING_DAYS`` days" (``waivers.expiring``, 0 when the start is unknown)."""
        titles = practice_titles or {}
        horizon = expiring_horizon(started_at)
        categories = sorted(self.category_sums, key=lambda c: (CATEGORIES.index(c) if c in CATEGORIES else 99, c))
        top = sorted(self.practices.items(), key=lambda kv: (-kv[1].repos, kv[0]))

        def worst_first(item: tuple[str, _Group]) -> tuple[bool, float, str]:
            average = mean(item[1].scores)
            return (average is None, average or 0.0, item[0])

        return {
            "repos": self.repos, "audited": self.audited, "errors": self.errors,
            "mean_score": mean(self.scores), "median_score": median(self.scores),
            "levels": {str(level): self.levels.get(level, 0) for level in LEVELS},
            "no_level": self.audited - sum(self.levels.values()),
            "categories": {c: {"mean": round(self.category_sums[c][0] / self.category_sums[c][1], 1),
                               "repos": self.category_sums[c][1]} for c in categories},
            "waivers": {**{state: self.waiver_states.get(state, 0) for state in ("active", "expired", "stale")},
                        "expiring": sum(n for day, n in self.active_expiry.items() if horizon and day <= horizon)},
            "top_failing": [
                {"practice_id": pid, "title": titles.get(pid, pid), "repos": p.repos,
                 "rules": sorted(p.rules), "repo_names": sorted(p.names),
                 "more": max(p.repos - len(p.names), 0)}
                for pid, p in top],
            "failing_rules": [{"rule_id": rid, "repos": n, **self.rule_meta.get(rid, {})}
                              for rid, n in sorted(self.rule_repos.items(), key=lambda kv: (-kv[1], kv[0]))],
            "rules": self._rules(rule_info or {}),
            "where_to_act": self._where_to_act(rule_info or {}),
            "by_team": [g.as_dict("team", name) for name, g in sorted(self.team_groups.items(), key=worst_first)],
            "by_kind": [g.as_dict("kind", name) for name, g in sorted(self.kind_groups.items(), key=worst_first)],
            "teams": sorted(self.teams),
            "waiver_list": sorted(self.waivers, key=waiver_urgency)[:MAX_WAIVERS],
            "error_list": sorted(self.error_list, key=_error_order)[:MAX_ERRORS],
        }


def _error_order(entry: dict[str, Any]) -> tuple[str, str]:
    return (entry["repo"].lower(), entry["repo_id"])
