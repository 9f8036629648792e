"""Cost estimates (COST002), load tests (PERF003) and pre-commit runs (SEC004, SEC005)."""

from __future__ import annotations

from linter.detectors.ci.tables.shapes import CommandRule, ToolTable, ref
from linter.detectors.ci.tables.words import always, any_run, short, verb


# --------------------------------------------------------------------------- cost
COST = ToolTable(
    category="cost",
    references=(
        ref("uses", r"infracost/actions/comment", "Infracost", always("Infracost comment action")),
        ref("pipe", r"infracost/infracost-bitbucket-pipe|infracost/infracost", "Infracost", always("Infracost pipe")),
    ),
    commands=(
        CommandRule(frozenset({"infracost"}), "Infracost", verb("breakdown", "diff", "comment", "upload")),
    ),
)


# --------------------------------------------------------------------------- load tests
LOAD_TESTS = ToolTable(
    category="load-test",
    references=(
        ref("uses", r"grafana/(?:k6-action|run-k6-action)", "k6", always("k6 action")),
        ref("uses", r"artilleryio/action-cli", "Artillery", always("Artillery action")),
        ref("uses", r"apache/jmeter-action|rbhadti94/apache-jmeter-action", "JMeter", always("JMeter action")),
    ),
    commands=(
        CommandRule(frozenset({"k6"}), "k6", verb("run", "cloud")),
        CommandRule(frozenset({"locust"}), "Locust", lambda argv: (short(argv), True)
                    if "--headless" in argv or "--no-web" in argv else None),
        CommandRule(frozenset({"artillery"}), "Artillery", verb("run", "quick", "run-fargate", "run-lambda")),
        CommandRule(frozenset({"jmeter", "jmeter.sh"}), "JMeter", lambda argv: (short(argv), True)
                    if "-n" in argv or "--nongui" in argv else None),
        CommandRule(frozenset({"vegeta"}), "Vegeta", verb("attack")),
        CommandRule(frozenset({"wrk", "wrk2"}), "wrk", any_run()),
        CommandRule(frozenset({"gatling", "gatling.sh"}), "Gatling", any_run()),
        CommandRule(frozenset({"mvn", "mvnw", "mvnd"}), "Gatling", lambda argv: (short(argv), True)
                    if any(w.endswith("gatling:test") for w in argv) else None),
        CommandRule(frozenset({"gradle", "gradlew"}), "Gatling", lambda argv: (short(argv), True)
                    if any(w.rsplit(":", 1)[-1] == "gatlingRun" or w.startswith("gatlingRun") for w in argv)
                    else None),
    ),
)



# --------------------------------------------------------------------------- pre-commit in CI
PRE_COMMIT_RUN = ToolTable(
    category="pre-commit",
    references=(ref("uses", r"pre-commit/action|pre-commit-ci/lite-action", "pre-commit", always("pre-commit action")),),
    commands=(CommandRule(frozenset({"pre-commit", "prek"}), "pre-commit", verb("run")),),
)

