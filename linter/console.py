"""The ``practicelint`` command (and ``python -m linter``): the regex cache, then the CLI.

The cache (``linter.recache``) must be in place before the CLI's modules compile their
patterns at import, and only a command-line run installs it: importing ``linter.cli`` from a
program or a test leaves ``re`` untouched.
"""

from __future__ import annotations


def main() -> None:
    import atexit
    import gc
    import os
    import sys

    # A run allocates millions of short-lived objects and few reference cycles: collecting
    # every 700 allocations (the default) cost 5-10% of a run. mypy's command does the same.
    gc.set_threshold(200_000, 30, 30)
    from linter import recache

    # never a cache inside what this command reads: the folders named on the command line, or
    # the working directory when none is (a scanned repository could plant one). Running from
    # the home folder on a repository elsewhere keeps the cache.
    named = [arg for arg in sys.argv[1:] if not arg.startswith("-") and os.path.isdir(arg)]
    if recache.install(avoid=named or [os.getcwd()]):
        atexit.register(recache.save)
    from linter.cli import main as cli_main

    cli_main()
