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
    ("load/app.js", "// import http from 'k6/http';\nconsole.log('k6');\n"),
    ("load/app.js", "const s = 'k6 is great';\n"),
    ("tests/load/test_api.py", "# from locust import HttpUser\nclass A(HttpUser):\n    pass\n"),
    ("tests/load/test_api.py", "from locust import HttpUser\n"),
    ("perf/Sim.scala", "class Sim extends Simulation {}\n"),
    ("plan.jmx", "<testPlan/>\n"),
    ("conf.yml", "config:\n  target: 3\nscenarios: []\n"),
    ("scripts/x.sh", "echo 'k6 run load.js'\n"),
    ("k6/bin.js", b"\x00\x01k6/http\x00"),
])
def test_near_misses(make_repo, path: str, text) -> None:
    assert Workspace(make_repo({path: text})).facts(loadtests.detect).tests == ()


@pytest.mark.parametrize(("path", "hinted"), [
    ("load/checkout.js", True), ("k6/script.js", True), ("locustfile.py", True),
    ("tests/locustfiles/api.py", True), ("tests/performance/checkout.ts", True),
    ("benchmarks/api.js", True), ("src/stressTest.ts", True), ("loadtests/Basic.java", True),
    ("src/test/scala/computerdatabase/BasicSimulation.scala", True), ("soak-tests/run.mjs", True),
    ("src/app.js", False), ("src/download.py", False), ("lib/payload_loader.py", False),
    ("scripts/smoke.js", False), ("services/svc0001/src/mod1.py", False),
])
def test_source_files_are_read_only_on_a_load_test_path(path: str, hinted: bool) -> None:
    assert loadtests.has_load_test_hint(path) is hinted


def test_unhinted_source_is_not_read_but_a_ci_run_of_it_still_counts(make_repo, monkeypatch) -> None:
    root = make_repo({"scripts/smoke.js": K6, "run-load.sh": "#!/bin/sh\nk6 run scripts/smoke.js\n"})
    ws = Workspace(root)
    read: list[str] = []
    original = ws.reader._read_raw
    monkeypatch.setattr(ws.reader, "_read_raw", lambda rel: read.append(rel) or original(rel))
    facts = ws.facts(loadtests.detect)
    assert "scripts/smoke.js" not in read
    assert [(t.path, t.tool) for t in facts.tests] == [("run-load.sh", "k6")]


def test_many_load_test_sources_are_capped_with_a_note_wherever_they_sort(make_repo, monkeypatch) -> None:
    monkeypatch.setattr(loadtests, "MAX_SOURCE_FILES", 2)
    files = {f"aaa/src/mod{i}.py": "x = 1\n" for i in range(50)}  # many ordinary files sort first
    files.update({"zz/load/a.js": K6, "zz/load/b.js": K6, "zz/load/c.js": K6})
    ws = Workspace(make_repo(files))
    facts = ws.facts(loadtests.detect)
    assert [t.path for t in facts.tests] == ["zz/load/a.js", "zz/load/b.js"]
    assert any("load-test-like source files" in n.reason for n in ws.notes)


def test_every_hint_word_passes_the_quick_fragment_test() -> None:
    assert all(loadtests._HINT_FRAGMENT.search(word) for word in loadtests.HINT_WORDS)


def test_load_test_examples_in_documentation_do_not_count(make_repo) -> None:
    """A k6 script in a tool's docs illustrates a page (litmuschaos/litmus keeps one under
    mkdocs/docs/); the same script beside the service is a load test."""
    script = "import http from 'k6/http';\nexport default function () { http.get('https://x'); }\n"
    root = make_repo({"mkdocs/docs/load/k6-loadgen/custom-script.js": script, "docs/perf/load.js": script,
                      "tests/load/k6-smoke.js": script})
    tests = Workspace(root).facts(loadtests.detect).tests
    assert [t.path for t in tests] == ["tests/load/k6-smoke.js"]
