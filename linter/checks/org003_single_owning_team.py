"""Placeholder: being written (issue 3)."""

from linter.checks.base import CheckContext
from linter.results import Finding


def check(ctx: CheckContext) -> Finding:
    raise NotImplementedError
