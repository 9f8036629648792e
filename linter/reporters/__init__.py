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


def render(name: str, report: "Report", catalog: "Catalog", **options: Any) -> str:
    return get_renderer(name)(report, catalog, **options)
