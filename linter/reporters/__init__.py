"""Renderers: one module per output format, each ``render(report, catalog, **opts) -> str``.

Reporters only render; they never inspect the repository. The registry is an explicit dict
whose sorted keys feed the command line's ``--format`` choices.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:  # keep `practicelint --version` from importing the catalog and pydantic
    from linter.catalog import Catalog
    from linter.results import Report

#: format name -> module under ``linter.reporters`` (imported only when that format is used)
REPORTERS: dict[str, str] = {
    "github": "github",
    "gitlab": "gitlab",
    "html": "html",
    "json": "json_report",
    "junit": "junit",
    "markdown": "markdown",
    "sarif": "sarif",
    "text": "text",
}

Renderer = Callable[..., str]


def get_renderer(name: str) -> Renderer:
    module = import_module(f"linter.reporters.{REPORTERS[name]}")
    return module.render  # type: ignore[no-any-return]


#: Formats that may be printed to a CI log, and how each is made inert there as a whole
#: without changing its data (``linter.inert``), besides the escaping each reporter applies
#: to every repository string it writes.
_DEFUSED: dict[str, Callable[[str], str]] = {}


def render(name: str, report: "Report", catalog: "Catalog", **options: Any) -> str:
    """The report in format ``name``; every format goes through here, so none reaches a file, a
    terminal or a log with a CI command or a terminal escape in it."""
    text = get_renderer(name)(report, catalog, **options)
    if not _DEFUSED:
        from linter import inert

        _DEFUSED.update({"json": inert.defuse_json, "sarif": inert.defuse_json, "gitlab": inert.defuse_json,
                         "junit": inert.defuse_xml, "text": inert.defuse_line_starts,
                         "markdown": inert.defuse_line_starts})
    defuse = _DEFUSED.get(name)
    return defuse(text) if defuse is not None else text
