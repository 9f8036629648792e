"""REL001 game-days: failure is rehearsed, and the latest rehearsal is recent.

Two kinds of evidence. Experiments written as code (Chaos Toolkit, LitmusChaos, Chaos Mesh,
AWS FIS, Azure Chaos Studio; ``linter.detectors.chaos``) pass on their own: they carry no
date, but a definition kept in the repository is a rehearsal the team can run again, and
most of them run on a schedule. Dated game-day records (Markdown under game-day / chaos /
drill folders or names; ``linter.detectors.docs``) pass when the latest date is within
``max_age_days`` of ``ctx.now``. A record's date comes from its file name, else its front
matter, else the dates written in its headings and text; dates after ``now`` are plans, not
rehearsals, and are ignored.
"""

from __future__ import annotations

from datetime import date

from linter.checks.base import CheckContext
from linter.checks.rule import Placement, RuleCheck
from linter.detectors import chaos, docs
from linter.detectors.docs import DatedRecord, DocInfo
from linter.fast_dataclass import dataclass
from linter.results import Evidence, Finding, counted, failed, passed

MAX_LISTED = 3
LOOKED_FOR = ("chaos experiments as code (Chaos Toolkit, LitmusChaos, Chaos Mesh, AWS FIS, Azure Chaos Studio) "
              "and dated game-day records (Markdown under game-day/gameday/chaos/drills paths, dated in the "
              "file name, front matter or text)")


def record_date(doc: DocInfo, today: date) -> DatedRecord | None:
    """The date a record was held: file name first, then front matter, then the latest in its text."""
    past = [d for d in doc.dates if d.day <= today]
    for source in ("file name", "front matter"):
        chosen = [d for d in past if d.source == source]
        if chosen:
            return max(chosen)
    return max(past) if past else None


def check(ctx: CheckContext) -> Finding:
    max_age = ctx.options.max_age_days
    today = ctx.now.date()
    experiments = ctx.facts(chaos.detect).experiments
    records = [d for d in ctx.facts(docs.detect).docs if d.is_gameday and d.has_text]
    dated = sorted(((record_date(d, today), d) for d in records if record_date(d, today)),
                   key=lambda pair: (pair[0].day, pair[1].path), reverse=True)  # type: ignore[union-attr]
    latest = dated[0] if dated else None
    if experiments:
        evidence = [Evidence(e.path, e.line, e.tool + (f" {e.name}" if e.name else "")) for e in experiments]
        listed = ", ".join(f"{e.tool} in {e.path}:{e.line}" for e in experiments[:MAX_LISTED])
        more = f" and {len(experiments) - MAX_LISTED} more" if len(experiments) > MAX_LISTED else ""
        extra = ""
        if latest:
            record, doc = latest
            extra = f"; latest game-day record {record.day.isoformat()} in {doc.path}"
            evidence.append(Evidence(doc.path, record.line, f"game day held {record.day.isoformat()}"))
        return passed(f"Failure is rehearsed as code: {counted(len(experiments), 'chaos experiment')}: {listed}{more}{extra}",
                      evidence)
    if latest:
        record, doc = latest
        age = (today - record.day).days
        evidence = [Evidence(doc.path, record.line, f"game day held {record.day.isoformat()} ({record.source})")]
        if age <= max_age:
            return passed(f"Latest game day {record.day.isoformat()} ({age} days ago) recorded in {doc.path}", evidence)
        return failed(f"The latest game-day record is {record.day.isoformat()} in {doc.path}, {age} days ago: "
                      f"older than max_age_days={max_age}; rehearse failure again and record it", evidence)
    undated = [d for d in records if record_date(d, today) is None]
    if undated:
        evidence = [Evidence(d.path, d.title_line, "game-day document without a past date") for d in undated]
        names = ", ".join(d.path for d in undated[:MAX_LISTED])
        return failed(f"Game-day documents found ({names}) but none carries the date it was held "
                      f"(file name, `date:` front matter or an ISO date in the text); looked for {LOOKED_FOR}",
                      evidence)
    return failed(f"No rehearsal of failure found: looked for {LOOKED_FOR}")


@dataclass(frozen=True)
class Options:
    """REL001's options; their defaults and limits are in ``rules/REL001.yaml``."""

    max_age_days: int


RULE = RuleCheck(
    id="REL001",
    options=Options,
    placement=Placement.SECOND,
    early_facts=(docs.detect,),
    fix="plan_game_day",
)
