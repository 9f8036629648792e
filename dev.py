#!/usr/bin/env python3
"""Developer entry points that need nothing but Python 3.11+ and git.

    python3 dev.py demo       set up .venv and check the bundled example repositories
    python3 dev.py test       set up .venv and run the self-check and the whole test suite
    python3 dev.py test --fast
                              the everyday tier only: no hostile, fuzz, packaging, browser or other
                              slow tests (see [tool.pytest.ini_options] markers in pyproject.toml)
    python3 dev.py selfcheck  practicelint on itself and the examples (reports in build/reports)
    python3 dev.py examples   regenerate examples/reports/* after an intended change
    python3 dev.py docs       regenerate docs/rules.md, docs/config.schema.json, the README rules table and
                              linter/checks/registry.py (from each check module's RULE record)
    python3 dev.py new-rule ID name [--practice P] [--scope repo|service] [--severity S]
                              scaffold a rule's YAML, check module and test, then regenerate the docs
    python3 dev.py bench      print the performance figures (benchmarks/run.py)

Other arguments of `test` go to pytest (`python3 dev.py test --fast tests/checks -x`).

The Makefile offers the same targets for those who have make.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
STAMP = VENV / ".installed"


def run(*args: str | Path, check: bool = True) -> int:
    code = subprocess.call([str(a) for a in args], cwd=ROOT)
    if check and code != 0:
        sys.exit(code)
    return code


def setup() -> None:
    """Create .venv and install practicelint with its test extras (again when pyproject changes)."""
    pyproject = ROOT / "pyproject.toml"
    if STAMP.exists() and STAMP.stat().st_mtime >= pyproject.stat().st_mtime:
        return
    if not PY.exists():
        run(sys.executable, "-m", "venv", VENV)
    run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PY, "-m", "pip", "install", "--quiet", "-e", ".[test]")
    STAMP.touch()


def demo() -> None:
    for target, words in (("examples/passing", "every rule that applies passes"),
                          ("examples/library", "a library: judged only by the practices that apply to libraries"),
                          ("examples/failing", "the headline rules fail, each for a different reason; most others too"),
                          ("examples/monorepo", "several services")):
        print(f"== {target} ({words})", flush=True)
        run(BIN / "practicelint", "check", target, check=False)
        print(flush=True)


def selfcheck() -> None:
    """Rule failures are expected (exit 1); a crash or configuration error (exit 2) fails."""
    reports = ROOT / "build" / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    for target in (".", "examples/passing", "examples/failing", "examples/monorepo", "examples/library",
                   "examples/tool", "examples/iac-module"):
        name = "practicelint" if target == "." else target.replace("/", "_")
        code = run(BIN / "practicelint", "check", target, "--format", "markdown", "-o", reports / f"{name}.md",
                   "--report", f"html={reports / (name + '.html')}", "--report",
                   f"sarif={reports / (name + '.sarif')}", check=False)
        if code > 1:
            sys.exit(f"selfcheck: {target} exited {code}")
        print(f"selfcheck: {target} -> build/reports/{name}.{{html,sarif,md}} (exit {code})", flush=True)


def docs() -> None:
    run(PY, "-c", "from linter.catalog import load_catalog; from linter.checks.registry_source import render; "
                  "open('linter/checks/registry.py', 'w').write(render(load_catalog()))")
    run(PY, "-c", "from linter.catalog import load_catalog; from linter.ruledocs import rules_document; "
                  "open('docs/rules.md', 'w').write(rules_document(load_catalog()))")
    with open(ROOT / "docs" / "config.schema.json", "w", encoding="utf-8") as handle:
        subprocess.check_call([str(BIN / "practicelint"), "schema", "config"], cwd=ROOT, stdout=handle)
    run(PY, "-c", "from pathlib import Path; from linter.catalog import load_catalog; "
                  "from linter.ruledocs import with_readme_table; p = Path('README.md'); "
                  "p.write_text(with_readme_table(p.read_text(), load_catalog()))")


#: The markers of the slow tiers (registered in pyproject.toml, applied in tests/conftest.py);
#: ``test --fast`` leaves them out, ``test`` and ``.ci/run`` run everything.
SLOW_TIERS = ("hostile", "fuzz", "packaging", "browser", "slow")


def test() -> None:
    args = sys.argv[2:]
    if "--fast" in args:
        args = [a for a in args if a != "--fast"]
        run(PY, "-m", "pytest", "-m", "not (" + " or ".join(SLOW_TIERS) + ")", *args)
        return
    selfcheck()
    run(PY, "-m", "pytest", *args)


def new_rule() -> None:
    """Scaffold the rule's three files (refusing to overwrite), then the generated ones."""
    run(PY, "-m", "linter.checks.new_rule", *sys.argv[2:])
    docs()
    print("next: replace every TODO in the three files, write the check until its test passes, then run\n"
          "      python3 dev.py docs && python3 dev.py examples && python3 dev.py test --fast", flush=True)


COMMANDS = {
    "demo": demo,
    "test": test,
    "new-rule": new_rule,
    "selfcheck": selfcheck,
    "examples": lambda: run(PY, "-m", "tests.regenerate_examples"),
    "docs": docs,
    "bench": lambda: run(PY, "benchmarks/run.py", *sys.argv[2:]),
}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    setup()
    COMMANDS[sys.argv[1]]()


if __name__ == "__main__":
    main()
