"""Prefilters: the cheap content test each detector puts in front of its parser.

Most files a detector reads are not what it looks for: Backstage entities, Grafana
dashboards, chaos experiments and engineering documents hide among tens of thousands of
ordinary YAML, JSON and Markdown files. So each detector reads its candidates through
``Workspace.passing(paths, prefilter)`` and parses only the few whose text passes a named
test (``apiVersion: backstage.io`` in the text, a ``"panels"`` key, one of the document
keywords). A prefilter must depend on the text alone: then what it turned down can be
remembered for that content (``linter.runtime.verdicts``) and skipped unread next time.
"""

from __future__ import annotations

from typing import Callable

#: Every prefilter's name, in the order of its bit in the kept verdicts. A new prefilter is
#: added at the end; the verdicts are keyed by the installed code, so an edited test starts
#: afresh anyway.
NAMES = (
    "backstage-entity", "docs-keyword", "prfaq-keyword", "threat-dragon-json", "dashboards-alert-rules",
    "dashboards-grafana", "chaos-yaml", "chaos-json", "alerts-yaml", "slo-yaml", "k8s-manifest", "gitops-yaml",
    "gitops-cloudformation-json", "api-spec", "datastores-yaml", "cloudformation-template", "artillery-yaml",
    "sam-transform", "helmfile-releases",
)


class Prefilter:
    """A named test over a file's text: does it deserve parsing by one detector?

    The name (one of ``NAMES``) fixes ``bit``, the same in every process and run.
    """

    __slots__ = ("name", "test", "bit")

    def __init__(self, name: str, test: Callable[[str], bool]) -> None:
        if name not in NAMES:
            raise ValueError(f"prefilter {name!r} is not registered in linter.repo.prefilters.NAMES")
        self.name = name
        self.test = test
        self.bit = 1 << NAMES.index(name)

    def __repr__(self) -> str:
        return f"Prefilter({self.name!r})"
