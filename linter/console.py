"""The ``practicelint`` command (and ``python -m linter``): the regex cache, then the CLI.

The cache (``linter.recache``) must be in place before the CLI's modules compile their
patterns at import, and only a command-line run installs it: importing ``linter.cli`` from a
program or a test leaves ``re`` untouched.
"""

from __future__ import annotations


def main() -> None:
    import atexit

    from linter import recache

    if recache.install():
        atexit.register(recache.save)
    from linter.cli import main as cli_main

    cli_main()
