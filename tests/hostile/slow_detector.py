"""Run ``practicelint`` with one detector made slow on purpose (a test seam outside the product).

``python tests/hostile/slow_detector.py MODULE.FUNCTION SECONDS ARGS...`` replaces
``linter.detectors.MODULE.FUNCTION`` by one that sleeps ``SECONDS`` (under the same name, so
messages name it as the real one) and runs the command line with ``ARGS``.
"""

from __future__ import annotations

import importlib
import sys
import time


def main() -> None:
    target, seconds, *args = sys.argv[1:]
    module_name, _, function = target.rpartition(".")
    module = importlib.import_module(f"linter.detectors.{module_name}")
    real = getattr(module, function)

    def slow(ws: object) -> object:
        time.sleep(float(seconds))
        return real(ws)

    slow.__module__, slow.__qualname__ = real.__module__, real.__qualname__
    setattr(module, function, slow)
    sys.argv = ["practicelint", *args]
    from linter.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
