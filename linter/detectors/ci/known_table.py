"""The maintained table of well-known steps (see ``linter.detectors.ci.known``)."""

from __future__ import annotations

from linter.detectors.ci.known import KnownStep

KNOWN_STEPS: tuple[KnownStep, ...] = ()

#: Jenkins shared-library steps the table knows (the Jenkinsfile parser makes them steps).
JENKINS_STEPS: frozenset[str] = frozenset()
