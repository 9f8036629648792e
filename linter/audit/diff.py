"""Compare two audits (or two check reports): what regressed, what was fixed, per repository.

Repositories are matched by identity; two single-repository inputs are compared with each
other whatever their identities. A checkout that an older audit identified by its absolute
path matches the row whose ``source`` is that path (identities are now remotes), so the first
diff after the change does not report every checkout as removed and added.

When the new audit is a partial merge (``completion.partial``), a repository it lacks whose
shard is among the missing ones is ``missing``, not ``removed``: nothing is known about it.

A repository *regressed* when a (rule, scope) pair fails now that did not fail before (a new
rule or service that fails counts too), its level or score fell, or it can no longer be
audited. ``fixed`` lists pairs that failed before and pass or are not applicable now;
``waived`` those that failed before and are waived now: a waiver accepts a failure for a
while, it does not remove it, so a lead reading the diff sees it apart from the fixes (and a
repository whose only movement is a new waiver has ``changed``, not ``improved``, unless its
score or level rose with it). Pairs that simply disappeared (a rule deselected, a service
removed) are none of these.
"""

from __future__ import annotations

import json
from typing import Any

from linter.audit.rows import FAILING
from linter.reporters.markdown import md
from linter.inert import defuse_json
from linter.results import Status, counted

CHANGES = ("regressed", "improved", "changed", "unchanged", "added", "removed", "missing")


def _statuses(row: dict[str, Any]) -> dict[tuple[str, str], str]:
    out = {}
    for item in row.get("results") or []:
        if isinstance(item, list) and len(item) == 3:
            out[(str(item[0]), str(item[1]))] = str(item[2])
    return out


def _meta(row: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(str(f.get("rule_id")), str(f.get("scope"))): f for f in row.get("failing") or [] if isinstance(f, dict)}


def _entry(key: tuple[str, str], meta: dict[tuple[str, str], dict[str, Any]], old: str | None,
           new: str | None) -> dict[str, Any]:
    info = meta.get(key, {})
    return {"rule_id": key[0], "scope": key[1], "name": info.get("name", ""), "severity": info.get("severity", ""),
            "old_status": old, "new_status": new}


def _state(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {"status": row.get("status"), "score": row.get("score"), "level": row.get("level"), "error": row.get("error")}


def compare_repo(old: dict[str, Any] | None, new: dict[str, Any] | None) -> dict[str, Any]:
    base = new or old or {}
    out: dict[str, Any] = {"id": base.get("id"), "name": base.get("name"), "owner": base.get("owner"),
                           "old": _state(old), "new": _state(new), "new_failures": [], "fixed": [], "waived": [], "reasons": []}
    if old is None or new is None:
        out["change"] = "added" if old is None else "removed"
        return out
    before, after = _statuses(old), _statuses(new)
    out["new_failures"] = [_entry(k, _meta(new), before.get(k), s) for k, s in sorted(after.items())
                           if s in FAILING and before.get(k) not in FAILING]
    no_longer_failing = [(k, s) for k, s in sorted(before.items()) if s in FAILING and k in after and after[k] not in FAILING]
    out["fixed"] = [_entry(k, _meta(old), s, after[k]) for k, s in no_longer_failing if after[k] != Status.WAIVED.value]
    out["waived"] = [_entry(k, _meta(old), s, after[k]) for k, s in no_longer_failing if after[k] == Status.WAIVED.value]
    reasons, gains = _movements(old, new)
    if out["new_failures"]:
        reasons.insert(0, counted(len(out['new_failures']), "new failure"))
    if out["fixed"]:
        gains.insert(0, f"{len(out['fixed'])} fixed")
    out["reasons"] = reasons
    out["gains"] = gains
    out["notes"] = [f"{len(out['waived'])} newly waived"] if out["waived"] else []
    out["change"] = "regressed" if reasons else "improved" if gains else (
        "unchanged" if before == after and _state(old) == _state(new) else "changed")
    return out


def _movements(old: dict[str, Any], new: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Human-readable reasons for regressions and gains in status, level and score."""
    worse: list[str] = []
    better: list[str] = []
    if old.get("status") == "ok" and new.get("status") != "ok":
        worse.append(f"can no longer be audited: {new.get('error')}")
    elif old.get("status") != "ok" and new.get("status") == "ok":
        better.append("audited again")
    if old.get("status") != "ok" or new.get("status") != "ok":
        return worse, better
    for key in ("level", "score"):
        a, b = _number(old.get(key)), _number(new.get(key))
        if a is not None and b is not None and a != b:
            (worse if b < a else better).append(f"{key} {a} -> {b}")
        elif (a is None) != (b is None):  # nothing judged now, or again judged: the evidence changed
            (worse if b is None else better).append(f"{key} {'-' if a is None else a} -> {'-' if b is None else b}")
    return worse, better


def _number(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _rekey_moved(old_by_id: dict[str, dict[str, Any]], new_by_id: dict[str, dict[str, Any]]) -> None:
    """Old rows keyed by a checkout's path, matched to new rows of the same checkout (``source``)."""
    unmatched_new = {str(r.get("source")): i for i, r in new_by_id.items() if i not in old_by_id and r.get("source")}
    for old_id in [i for i in old_by_id if i not in new_by_id]:
        new_id = unmatched_new.get(old_id) or unmatched_new.get(str(old_by_id[old_id].get("source") or ""))
        if new_id and new_id not in old_by_id and old_id.startswith("/"):
            old_by_id[new_id] = old_by_id.pop(old_id)


def compare(old_rows: list[dict[str, Any]], new_rows: list[dict[str, Any]],
            completion: dict[str, Any] | None = None) -> dict[str, Any]:
    """The diff document: per-repository changes (regressions first) and a summary;
    ``completion`` is the new audit's (``linter.audit.merge``) when it is a merge of shards."""
    from linter.audit.inputs import shard_of

    old_by_id = {str(r["id"]): r for r in old_rows}
    new_by_id = {str(r["id"]): r for r in new_rows}
    if len(old_rows) == 1 and len(new_rows) == 1 and not set(old_by_id) & set(new_by_id):
        old_by_id = {str(new_rows[0]["id"]): old_rows[0]}
    _rekey_moved(old_by_id, new_by_id)
    partial = completion if completion and completion.get("partial") else None
    missing_shards = set(partial.get("shards_missing") or []) if partial else set()
    count = int(partial.get("shards_expected") or 0) if partial else 0
    repos = []
    for ident in sorted(set(old_by_id) | set(new_by_id)):
        entry = compare_repo(old_by_id.get(ident), new_by_id.get(ident))
        if entry["change"] == "removed" and count and shard_of(ident, count) in missing_shards:
            entry["change"] = "missing"
            entry["reasons"] = [f"shard {shard_of(ident, count)} of {count} is missing from the new audit"]
        repos.append(entry)
    repos.sort(key=lambda r: (CHANGES.index(r["change"]), str(r["name"]).lower(), str(r["id"])))
    counts = {change: sum(r["change"] == change for r in repos) for change in CHANGES}
    return {"summary": {"compared": len(repos), **counts}, "regressed": counts["regressed"] > 0,
            "partial": partial, "repos": repos}


def render_json(diff: dict[str, Any]) -> str:
    return defuse_json(json.dumps(diff, indent=2, ensure_ascii=False)) + "\n"


def _headline(diff: dict[str, Any]) -> str:
    s = diff["summary"]
    text = (f"{counted(s['compared'], 'repository', 'repositories')} compared: {s['regressed']} regressed, {s['improved']} improved, "
            f"{s['changed']} changed, {s['unchanged']} unchanged, {s['added']} added, {s['removed']} removed")
    if diff.get("partial"):
        from linter.audit.merge import describe

        text += f", {s['missing']} missing (the new audit is {describe(diff['partial'])})"
    return text


def render_text(diff: dict[str, Any]) -> str:
    lines = [f"practicelint diff: {_headline(diff)}"]
    for repo in diff["repos"]:
        if repo["change"] == "unchanged":
            continue
        owner = f" ({repo['owner']})" if repo.get("owner") else ""
        why = "; ".join(_why(repo))
        lines.append(f"{repo['change'].upper():<10} {repo['name']}{owner}" + (f": {why}" if why else ""))
        for item in repo["new_failures"]:
            lines.append(f"  + {item['rule_id']} {item['name']} [{item['scope']}]: "
                         f"{item['old_status'] or 'absent'} -> {item['new_status']}")
        for item in repo["fixed"]:
            lines.append(f"  - {item['rule_id']} {item['name']} [{item['scope']}]: "
                         f"{item['old_status']} -> {item['new_status']}")
        for item in repo.get("waived", []):
            lines.append(f"  ~ {item['rule_id']} {item['name']} [{item['scope']}]: "
                         f"{item['old_status']} -> {item['new_status']}")
    return "\n".join(lines) + "\n"


def _why(repo: dict[str, Any]) -> list[str]:
    """Regressions, then gains, then what is neither (new waivers)."""
    return repo.get("reasons", []) + repo.get("gains", []) + repo.get("notes", [])


def _md(text: Any) -> str:
    """Escaped as the check report escapes repository strings (``linter.reporters.markdown.md``)."""
    return md(str(text if text is not None else ""))


def render_markdown(diff: dict[str, Any]) -> str:
    lines = ["# practicelint diff", "", _headline(diff) + ".", ""]
    changed = [r for r in diff["repos"] if r["change"] != "unchanged"]
    if not changed:
        return "\n".join(lines + ["No changes."]) + "\n"
    lines += ["| Repository | Owner | Change | Details | New failures | Fixed | Newly waived |",
              "|---|---|---|---|---|---|---|"]
    for repo in changed:
        new, fixed, waived = (", ".join(f"{i['rule_id']} ({i['scope']})" for i in repo.get(key, []))
                              for key in ("new_failures", "fixed", "waived"))
        lines.append(f"| {_md(repo['name'])} | {_md(repo.get('owner'))} | {repo['change']} | {_md('; '.join(_why(repo)))} "
                     f"| {_md(new)} | {_md(fixed)} | {_md(waived)} |")
    return "\n".join(lines) + "\n"


RENDERERS = {"text": render_text, "json": render_json, "markdown": render_markdown}
