"""Allow ``python -m linter``.

``python -m`` puts the working directory first on ``sys.path``. Run inside a scanned
repository, a folder there named ``json/``, ``yaml/`` or ``click/`` would then be imported
as Python the moment practicelint imports that module. The interpreter has imported only its
own start-up modules when this file runs, so dropping that entry here keeps every later
import out of the scanned tree; so is an empty entry (``PYTHONPATH=/x:`` means "and the
working directory").
``linter`` itself is already imported, and its submodules load from the package's own
folder, so running from a source checkout still works.
"""

import os
import sys

_here = os.getcwd()
sys.path[:] = [entry for entry in sys.path if entry not in ("", ".") and os.path.abspath(entry) != _here]

from linter.console import main  # noqa: E402 - only after sys.path is safe

if __name__ == "__main__":  # pragma: no cover - exercised through subprocess tests
    main()
