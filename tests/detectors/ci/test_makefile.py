"""Reading the Makefile targets CI steps run (``linter.detectors.ci.runners.make``), and the
evidence it adds to the scanner tables."""

from __future__ import annotations

import pytest

from linter.checks.del003_tests_on_every_change import check as del003
from linter.checks.sec003_static_analysis_in_ci import check as sec003
from linter.detectors.ci.runners import make as makefile
from linter.results import Status
from tests.helpers import make_context

MAKEFILE = """\
# build and test
GO ?= go
GOFLAGS := -race
GOTEST = $(GO) test $(GOFLAGS)
export PATH := $(PATH):/usr/local/bin

.PHONY: all build test lint ci
all: build test

build:
\t@$(GO) build ./... \\
\t  -o bin/app

test: ; $(GOTEST) ./...

lint:
\t-golangci-lint run
\tgosec ./...

ci:
\t$(MAKE) lint
\t$(MAKE) -C docs html

docs-only: VAR = 1
%.o: %.c
\tcc -c $<

define HELP
\tpytest never runs from here
endef

loop: loop2
loop2: loop
\t$(MAKE) loop
"""


def test_rules_prerequisites_recipes_and_variables_are_read() -> None:
    parsed = makefile.parse_makefile("Makefile", MAKEFILE)
    assert parsed.default_goal == "all"
    assert parsed.rules["all"].prerequisites == ("build", "test")
    assert parsed.rules["build"].recipes == ((11, "@$(GO) build ./... -o bin/app"),)
    assert parsed.rules["test"].recipes == ((14, "$(GOTEST) ./..."),)
    assert "docs-only" not in parsed.rules and "%.o" not in parsed.rules  # target variable, pattern rule
    assert parsed.variables["GO"] == "go" and makefile.expand("$(GOTEST)", parsed.variables) == "go test -race"
    assert not any("pytest" in r for rule in parsed.rules.values() for _, r in rule.recipes)  # define block


def test_recipe_lines_follow_prerequisites_and_sub_makes_in_this_file_only() -> None:
    parsed = makefile.parse_makefile("Makefile", MAKEFILE)
    assert makefile.recipe_lines(parsed, ()) == [(11, "go build ./... -o bin/app"), (14, "go test -race ./...")]
    ci = [command for _, command in makefile.recipe_lines(parsed, ("ci",))]
    assert ci == ["make lint", "golangci-lint run", "gosec ./...", "make -C docs html"]  # docs/ not followed
    assert makefile.recipe_lines(parsed, ("loop",)) == [(34, "make loop")]  # cycles end
    assert makefile.recipe_lines(parsed, ("nowhere",)) == []


@pytest.mark.parametrize(("argv", "candidates", "targets"), [
    (("make",), ("GNUmakefile", "makefile", "Makefile"), ()),
    (("make", "-C", "svc", "test", "V=1", "-j", "4"), ("svc/GNUmakefile", "svc/makefile", "svc/Makefile"), ("test",)),
    (("gmake", "--directory=a/b", "-f", "ci.mk", "all"), ("a/b/ci.mk",), ("all",)),
    (("make", "-Csvc", "-fbuild.mk", "x"), ("svc/build.mk",), ("x",)),
])
def test_invocations(argv, candidates, targets) -> None:
    call = makefile.invocation(argv)
    assert call is not None and call.makefile_candidates == candidates and call.targets == targets


@pytest.mark.parametrize("argv", [("make", "-C", "../other"), ("make", "-f", "/etc/Makefile"), ("make", "-C", "$(DIR)")])
def test_invocations_leaving_the_repository_are_not_read(argv) -> None:
    assert makefile.invocation(argv) is None


def _workflow(cmd: str) -> str:
    return f"on: [pull_request]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: {cmd}\n"


def test_a_target_that_runs_tests_counts_with_the_makefile_line(make_repo) -> None:
    root = make_repo({".github/workflows/ci.yml": _workflow("make"), "Makefile": MAKEFILE})
    finding = del003(make_context(root))
    # the default goal `all` depends on `test`: a prerequisite named for tests counts by its name,
    # one hop down (ci.yml -> the rule line of `all`)
    assert finding.status is Status.PASS and "`make test`" in finding.message
    assert "(.github/workflows/ci.yml:6 -> Makefile:8)" in finding.message
    root = make_repo({".github/workflows/ci.yml": _workflow("make qa"),
                      "Makefile": MAKEFILE.replace("test: ;", "qa: ;")})
    finding = del003(make_context(root))  # a target not named for tests counts for what its recipe runs
    assert finding.status is Status.PASS and "go test -race ./..." in finding.message
    assert "ci.yml:6 -> Makefile:14" in finding.message
    root = make_repo({".github/workflows/ci.yml": _workflow("make ci"), "Makefile": MAKEFILE})
    finding = sec003(make_context(root))
    assert finding.status is Status.PASS and "gosec" in finding.message


def test_near_misses_add_nothing(make_repo) -> None:
    # a target that only builds; a Makefile in another folder than the one make reads
    root = make_repo({".github/workflows/ci.yml": _workflow("make build"), "Makefile": MAKEFILE})
    assert del003(make_context(root)).status is Status.FAIL
    root = make_repo({".github/workflows/ci.yml": _workflow("make all"), "svc/Makefile": MAKEFILE})
    assert del003(make_context(root)).status is Status.FAIL
    root = make_repo({".github/workflows/ci.yml": _workflow("echo make all"), "Makefile": MAKEFILE})
    assert del003(make_context(root)).status is Status.FAIL


def test_directory_and_file_options_pick_the_makefile(make_repo) -> None:
    root = make_repo({".github/workflows/ci.yml": _workflow("make -C svc all"), "svc/Makefile": MAKEFILE})
    assert del003(make_context(root)).status is Status.PASS
    root = make_repo({".github/workflows/ci.yml": _workflow("make -f build/ci.mk"), "build/ci.mk": MAKEFILE})
    assert del003(make_context(root)).status is Status.PASS


@pytest.mark.parametrize("text", [
    "all: all\n\t$(MAKE) all\n",  # a target that calls itself
    "".join(f"t{i}: t{i + 1}\n\techo {i}\n" for i in range(5000)) + "all: t0\n",  # a long chain
    "all:\n" + "\techo $(A)\n" * 2000 + "".join(f"A{i} = $(A{i + 1})\n" for i in range(100)),
    "\x00\x01 binary: \xff\n\t\x00\n",
    "all: ; \\\n",
    "define X\n",  # never ended
])
def test_degenerate_makefiles_are_survived(make_repo, text: str) -> None:
    root = make_repo({".github/workflows/ci.yml": _workflow("make all"), "Makefile": text})
    assert del003(make_context(root)).status in (Status.PASS, Status.FAIL)
    assert len(makefile.recipe_lines(makefile.parse_makefile("Makefile", text), ("all",))) <= makefile.MAX_RECIPES


def test_comments_after_a_rule_are_not_prerequisites() -> None:
    text = "lint: ## Runs the linter, not the tests\n\tgolangci-lint run # the test of style\nX = 1 # one\n"
    parsed = makefile.parse_makefile("Makefile", text)
    assert parsed.rules["lint"].prerequisites == () and parsed.variables["X"] == "1"
    assert parsed.rules["lint"].recipes == ((2, "golangci-lint run # the test of style"),)  # the shell's comment
