"""Rewrite ``examples/reports/*.expected.json`` (``make examples``); review the diff after."""

from __future__ import annotations

import json

from tests.examples_support import EXAMPLE_NAMES, REPORTS, example_report, expected_path


def main() -> None:
    REPORTS.mkdir(exist_ok=True)
    for name in EXAMPLE_NAMES:
        path = expected_path(name)
        path.write_text(json.dumps(example_report(name), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
