"""Load tests recognised by shape, read as text; near misses and comments never count."""

from __future__ import annotations

import pytest

from linter.detectors import loadtests
from linter.repo.workspace import Workspace

K6 = "// smoke\nimport http from 'k6/http';\nexport default function () { http.get('https://x'); }\n"
LOCUST = "from locust import HttpUser, task\n\n\nclass Shopper(HttpUser):\n    @task\n    def cart(self):\n        pass\n"
GATLING = ("import io.gatling.core.Predef._\nimport io.gatling.http.Predef._\n\n"
           "class CheckoutSimulation extends Simulation {\n}\n")
JMX = '<?xml version="1.0" encoding="UTF-8"?>\n<jmeterTestPlan version="1.2">\n</jmeterTestPlan>\n'
ARTILLERY = "config:\n  target: https://staging.example.com\n  phases:\n    - duration: 60\nscenarios:\n  - flow: []\n"


@pytest.mark.parametrize(("path", "text", "tool", "line"), [
    ("load/checkout.js", K6, "k6", 2),
    ("load/locustfile.py", LOCUST, "Locust", 4),
    ("perf/src/test/scala/CheckoutSimulation.scala", GATLING, "Gatling", 4),
    ("perf/plan.jmx", JMX, "JMeter", 2),
    ("perf/artillery.yml", ARTILLERY, "Artillery", 1),
    ("scripts/load.sh", "#!/bin/sh\nset -e\necho GET https://x | vegeta attack -duration=30s | vegeta report\n",
     "Vegeta", 3),
])
def test_load_tests_are_recognised(make_repo, path: str, text: str, tool: str, line: int) -> None:
    facts = Workspace(make_repo({path: text})).facts(loadtests.detect)
    assert [(t.path, t.tool, t.line) for t in facts.tests] == [(path, tool, line)]


@pytest.mark.parametrize(("path", "text"), [
    ("app.js", "// import http from 'k6/http';\nconsole.log('k6');\n"),
    ("app.js", "const s = 'k6 is great';\n"),
    ("tests/test_api.py", "# from locust import HttpUser\nclass A(HttpUser):\n    pass\n"),
    ("tests/test_api.py", "from locust import HttpUser\n"),
    ("Sim.scala", "class Sim extends Simulation {}\n"),
    ("plan.jmx", "<testPlan/>\n"),
    ("conf.yml", "config:\n  target: 3\nscenarios: []\n"),
    ("scripts/x.sh", "echo 'k6 run load.js'\n"),
    ("bin.js", b"\x00\x01k6/http\x00"),
])
def test_near_misses(make_repo, path: str, text) -> None:
    assert Workspace(make_repo({path: text})).facts(loadtests.detect).tests == ()
