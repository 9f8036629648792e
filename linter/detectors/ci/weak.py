"""Weak evidence that a job runs tests, for DEL003 only: its name, or the environment it builds.

When no command of a job is a test runner the tables know, two things still say "this job
tests the change", more weakly than a command does:

* a job or step named like a test (``Unit tests``, ``test (3.12)``, ``e2e``, ``integration``)
  that runs a build tool's command (``cargo``, ``make``, ``./gradlew``, ``npm run``, a script
  of the repository...), other than installing dependencies;
* a job that creates its own cluster or Compose stack (``linter.detectors.ci.environments``)
  and runs commands against it: an integration test.

Never evidence of a scanner: a job named "security scan" that runs ``make`` proves nothing
about which scanner runs. Each hit says which it rests on (``ToolHit.weak``: ``name``,
``cluster`` or ``stack``, with ``weak_detail``), and the rule says why it counted.
"""

from __future__ import annotations

import re

from linter.detectors.ci.environments import integration_environment
from linter.detectors.ci.judge import JobHit, ToolHit, judge_commands
from linter.detectors.ci.model import CiFacts, Job, ResolvedCommand
from linter.detectors.ci.tables import TESTS
from linter.detectors.ci.tables.words import short
from linter.secrets import redact

#: Words of a job or step name that say it runs tests.
TEST_WORDS = frozenset({"test", "tests", "testing", "unittest", "unittests", "e2e", "integration", "acceptance",
                        "spec", "specs", "pytest"})
#: Programs whose commands build and run the project's own code.
BUILD_TOOLS = frozenset({
    "make", "gmake", "just", "task", "cargo", "go", "mvn", "mvnw", "mvnd", "gradle", "gradlew", "npm", "yarn", "pnpm",
    "bun", "dotnet", "bazel", "bazelisk", "sbt", "mix", "rake", "bundle", "tox", "nox", "ctest", "cmake", "meson",
    "ninja", "swift", "xcodebuild", "deno", "composer", "lein", "stack", "cabal", "flutter", "dart", "zig", "scons",
    "buck", "buck2", "pants", "earthly", "dagger", "nix", "cross",
})
#: First words after a build tool that only fetch or install (``npm ci``, ``go mod download``).
_SETUP_VERBS = frozenset({"install", "ci", "i", "add", "restore", "fetch", "download", "mod", "get", "version",
                          "--version", "-v", "config", "cache", "login", "setup", "init", "tool", "env", "clean",
                          "info", "list", "--help", "help"})
_WORD = re.compile(r"[a-z0-9]+")


def named_like_test(name: str) -> bool:
    """``Unit tests``, ``test (3.12)``, ``build-and-test``, ``e2e``; not ``contest``/``latest``."""
    return bool(set(_WORD.findall(name.lower())) & TEST_WORDS)


def weak_test_hits(facts: CiFacts) -> tuple[JobHit, ...]:
    """Jobs that test by their name or their environment, for jobs where no command is a test
    runner the tables know; sorted. (Checks ask through ``linter.checks.ci_runs``, which
    computes it once per run.)"""
    found: list[JobHit] = []
    for pipeline, job in facts.jobs():
        if judge_commands(job.commands, TESTS):
            continue
        hit = _by_environment(job) or _by_name(job)
        if hit is not None:
            found.append(JobHit(pipeline.system, job, hit))
    return tuple(sorted(found, key=lambda jh: (jh.hit, jh.system, jh.job.name, jh.job.path)))


def _by_name(job: Job) -> ToolHit | None:
    job_name = job.title or job.name.rsplit("/", 1)[-1]
    for command in job.commands:
        name = job_name if named_like_test(job_name) else command.step.name
        if named_like_test(name) and _builds(command):
            return _hit(command, "name", short((name,), 60))
    return None


def _by_environment(job: Job) -> ToolHit | None:
    environment = integration_environment(job)
    if environment is None:
        return None
    after = False
    for command in job.commands:
        if command.hops[0].line == environment.line and command.hops[0].path == environment.path:
            after = True
            continue
        if after and not command.is_reference and command.argv and command.parent < 0 and \
                command.argv[0] not in ("echo", "cat", "sleep", "true"):
            return _hit(command, environment.kind, f"{environment.detail}, {environment.path}:{environment.line}")
    return None


def _builds(command: ResolvedCommand) -> bool:
    if command.is_reference or not command.argv:
        return False
    program = command.argv[0]
    scripted = command.raw[:1] and ("/" in command.raw[0] or command.raw[0].endswith((".sh", ".ps1")))
    if program not in BUILD_TOOLS and not scripted:
        return False
    words = [w for w in command.argv[1:] if not w.startswith("-")]
    return not (words[:1] and words[0] in _SETUP_VERBS)


def _hit(command: ResolvedCommand, kind: str, detail: str) -> ToolHit:
    first = command.hops[0]
    return ToolHit("test job", "tests", first.path, first.line, redact(short(command.argv)), not command.non_blocking,
                   command.hops, command.known_step, kind, redact(detail))
