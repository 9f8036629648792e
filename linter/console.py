"""The ``practicelint`` command (and ``python -m linter``): the cache folder, then the CLI.

Only a command-line run keeps anything between runs (``linter.runtime.cachedir``): importing
``linter.cli`` from a program or a test keeps nothing.
"""

from __future__ import annotations


def main() -> None:
    import gc
    import os
    import sys

    # A run allocates millions of short-lived objects and few reference cycles: collecting
    # every 700 allocations (the default) cost 5-10% of a run. mypy's command does the same.
    gc.set_threshold(200_000, 30, 30)
    from linter.runtime import cachedir

    # never a cache inside a work tree this command reads: those of the folders named on the
    # command line, or of the working directory when none is (a scanned repository could plant
    # one). Running from the home folder on a repository elsewhere keeps the cache.
    named = [arg for arg in sys.argv[1:] if not arg.startswith("-") and os.path.isdir(arg)]
    cachedir.activate(named or [os.getcwd()])
    from linter.cli import main as cli_main

    cli_main()
