"""GitHub Actions workflow commands: one annotation per failed or errored result, and one
notice for all the results that were skipped (not evaluated in this checkout).

``::error file=F,line=L,title=T::message`` makes GitHub show the finding on the file in the
pull request and in the run summary. Error-severity rules become ``error`` annotations,
warnings ``warning`` and info ``notice``. Results without evidence get no ``file``
property: GitHub then lists them on the run without pointing at a file that may not exist.

Escaping follows the runner's own rules (``toolkit/packages/core/src/command.ts``): in the
message ``%`` ``\\r`` ``\\n`` are percent-encoded; in properties ``:`` and ``,`` are too. As
every newline is encoded, a repository string can never start a command of its own; other
control characters (ANSI colour codes, NUL) are shown as ``\\xNN`` so the log does not obey them.
"""

from __future__ import annotations

from typing import Any

from linter import inert
from linter.catalog import Catalog
from linter.reporters.sarif import anchor
from linter.results import Report, Result, Severity, Status

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
#: GitHub truncates long annotations; keep the message to a readable size.
MAX_MESSAGE = 4000


def escape_data(text: str) -> str:
    """Control characters (ANSI escapes, NUL...) and Azure commands made visible
    (``linter.inert.visible``), then the runner's own percent-encoding of line breaks."""
    return inert.visible(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _message(result: Result) -> str:
    scope = "" if result.scope in ("", ".") else f"[{result.scope}] "
    text = result.message.strip() or f"{result.rule_id} failed"
    if result.status is Status.ERROR:
        text = f"could not be checked: {text}"
    lines = [scope + text]
    for ev in result.evidence[1:6]:
        lines.append(f"also: {ev.location()}" + (f" {ev.detail}" if ev.detail else ""))
    if len(result.evidence) > 6:
        lines.append(f"... and {len(result.evidence) - 6} more pieces of evidence")
    if result.status is Status.FAIL and result.remediation:
        lines.append("fix: " + result.remediation.strip())
    message = "\n".join(lines)
    return message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 1] + "…"


def annotation(report: Report, result: Result) -> str:
    properties: list[tuple[str, str]] = []
    if any(ev.path for ev in result.evidence):
        where = anchor(report, result)
        properties.append(("file", where.path))
        if where.line > 0:
            properties.append(("line", str(where.line)))
    properties.append(("title", f"{result.rule_id} {result.name}"))
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    command = "notice" if result.status is Status.WAIVED else COMMANDS[result.severity]
    return f"::{command} {props}::{escape_data(_message(result))}"


def skipped_notice(report: Report) -> str | None:
    """One ``notice`` for every result not evaluated in this checkout (``skipped``: no history
    in a shallow clone), with the first one's reason and remedy; ``None`` when there are none.
    A notice, not a warning: nothing is wrong with the repository."""
    skipped = [r for r in report.results if r.status is Status.SKIPPED]
    if not skipped:
        return None
    rules = ", ".join(sorted({r.rule_id for r in skipped}))
    title = f"practicelint: {len(skipped)} result{'' if len(skipped) == 1 else 's'} skipped (not scored, not failing)"
    text = f"{rules}: {skipped[0].message.strip()}"
    text = text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"
    return f"::notice title={escape_property(title)}::{escape_data(text)}"


def render(report: Report, catalog: Catalog, **_: Any) -> str:
    # waived findings stay visible as notices carrying the waiver's reason, owner and expiry
    lines = [annotation(report, r) for r in report.results
             if r.status in (Status.FAIL, Status.ERROR, Status.WAIVED)]
    notice = skipped_notice(report)
    if notice is not None:
        lines.append(notice)
    text = "\n".join(lines) + ("\n" if lines else "")
    return text.encode("utf-8", "replace").decode("utf-8")
