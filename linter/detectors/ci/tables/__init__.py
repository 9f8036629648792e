"""The tool tables: which packaged steps and commands are a dependency scanner, SAST, a secret
scanner, an IaC policy check, a test run, a deployment, a load test, a cost estimate or a
pre-commit run. Each table is data (``linter.detectors.ci.tables.shapes``); matching one
against the commands a job resolves to is ``linter.detectors.ci.judge``'s work.
"""

from __future__ import annotations

from linter.detectors.ci.tables.dependencies import DEPENDENCY_SCAN
from linter.detectors.ci.tables.deploys import DEPLOYS
from linter.detectors.ci.tables.other import COST, LOAD_TESTS, PRE_COMMIT_RUN
from linter.detectors.ci.tables.security import GOLANGCI_BY_CONFIG, IAC_POLICY, SAST, SECRETS
from linter.detectors.ci.tables.shapes import CommandRule, ReferenceRule, ToolTable
from linter.detectors.ci.tables.tests import TESTS

__all__ = ["COST", "DEPENDENCY_SCAN", "GOLANGCI_BY_CONFIG", "DEPLOYS", "IAC_POLICY", "LOAD_TESTS", "PRE_COMMIT_RUN", "SAST", "SECRETS",
           "TESTS", "CommandRule", "ReferenceRule", "ToolTable"]
