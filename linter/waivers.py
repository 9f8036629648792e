"""Waivers: owned, reasoned, expiring exceptions applied to a run's results.

A waiver applies to failing (or errored) results of its rule, in its scope or paths. While
it is active (up to and including its ``expires`` date) the result becomes ``waived``; once
expired it no longer applies and the failure says so. A waiver that matched no failing
result is ``stale``, which usually means the rule passes now and the waiver can go.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from linter.catalog import Catalog
from linter.errors import ConfigError
from linter.repo.globs import matcher
from linter.results import Result, Status, Waiver, WaiverUse

if TYPE_CHECKING:
    from linter.config import Config


#: Waivers of one run: each failing result is tested against every one (its globs included),
#: so thousands over thousands of services cost minutes; real configurations have dozens.
MAX_WAIVERS = 2_000


def resolve(config: Config, catalog: Catalog) -> list[Waiver]:
    """Turn ``waivers:`` entries into ``Waiver`` objects keyed by rule id (exit 2 on unknown rules
    and on more than ``MAX_WAIVERS``)."""
    if len(config.waivers) > MAX_WAIVERS:
        source = config.waivers[MAX_WAIVERS]._source or "configuration"
        raise ConfigError(f"{source}: waivers: more than {MAX_WAIVERS} waivers")
    waivers = []
    for entry in config.waivers:
        rule = catalog.rule(entry.rule)
        where = f"{entry._source}:{entry._line}" if entry._line else (entry._source or "configuration")
        if rule is None:
            choices = list(catalog.rules) + [r.name for r in catalog.rules.values()]
            import difflib  # only for a waiver naming an unknown rule

            close = difflib.get_close_matches(entry.rule, choices, n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ConfigError(f"{where}: waivers: {entry.rule}: unknown rule{hint}")
        scope = entry.scope.strip("/") or "." if entry.scope is not None else None
        waivers.append(Waiver(rule=rule.id, reason=entry.reason.strip(), owner=entry.owner.strip(),
                              expires=entry.expires, scope=scope, paths=tuple(entry.paths),
                              source=entry._source, line=entry._line))
    return waivers


def _covers(waiver: Waiver, result: Result) -> bool:
    if waiver.rule != result.rule_id:
        return False
    if waiver.scope is not None and waiver.scope != result.scope:
        return False
    if waiver.paths:
        regex = matcher(waiver.paths)
        return bool(regex.match(result.scope) or any(regex.match(e.path) for e in result.evidence))
    return True


def apply(results: list[Result], waivers: list[Waiver], today: date) -> tuple[list[Result], list[WaiverUse]]:
    """Waive or annotate failing results; report how each waiver fared."""
    matched = [0] * len(waivers)
    # a waiver covering a result skipped in this checkout (a history rule on a shallow clone)
    # may well be needed: it is not stale, whatever it matched
    unknown = [False] * len(waivers)
    out: list[Result] = []
    for result in results:
        if result.status is Status.SKIPPED:
            for i, waiver in enumerate(waivers):
                unknown[i] = unknown[i] or _covers(waiver, result)
        if result.status not in (Status.FAIL, Status.ERROR):
            out.append(result)
            continue
        hits = [i for i, w in enumerate(waivers) if _covers(w, result)]
        if not hits:
            out.append(result)
            continue
        for i in hits:
            matched[i] += 1
        active = [i for i in hits if waivers[i].expires >= today]
        if active:
            waiver = waivers[max(active, key=lambda i: waivers[i].expires)]
            message = (f"waived until {waiver.expires.isoformat()} by {waiver.owner}: {waiver.reason} "
                       f"(finding: {result.message})")
            out.append(replace(result, status=Status.WAIVED, message=message, waiver=waiver))
        else:
            waiver = waivers[max(hits, key=lambda i: waivers[i].expires)]
            message = (f"waiver expired on {waiver.expires.isoformat()} ({waiver.owner}: {waiver.reason}); "
                       f"{result.message}")
            out.append(replace(result, message=message, waiver=waiver))
    uses = []
    for waiver, count, maybe in zip(waivers, matched, unknown):
        state = "stale" if count == 0 and not maybe else ("active" if waiver.expires >= today else "expired")
        uses.append(WaiverUse(waiver=waiver, state=state, matched=count))
    return out, uses
