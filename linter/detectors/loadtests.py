"""Load and performance tests in the repository, read as text and never executed.

* k6: JavaScript/TypeScript that imports ``k6`` or ``k6/http`` (ES ``import ... from`` or
  ``require``), comments stripped first;
* Locust: Python that imports ``locust`` and defines a class on ``HttpUser``/``FastHttpUser``/
  ``User``;
* Gatling: Scala/Java/Kotlin importing ``io.gatling`` with a class extending ``Simulation``;
* JMeter: ``*.jmx`` whose root element is ``jmeterTestPlan``;
* Artillery: YAML with ``config.target`` and a ``scenarios`` list;
* scripts (``*.sh``, ``Makefile``, ``justfile``) that run ``k6 run``, ``vegeta attack``,
  ``wrk``, ``locust --headless``, ``artillery run`` or ``jmeter -n`` at a command position.

Source files (JavaScript/TypeScript, Python, JVM languages) are read only when their path
says "load test": a folder or file-name word such as ``load``, ``loadtest``, ``perf``,
``performance``, ``stress``, ``soak``, ``spike``, ``bench``/``benchmark``, ``capacity``,
``k6``, ``locust``, ``gatling``, ``artillery`` or ``jmeter``, a ``locustfile*.py``, or a
Gatling-style ``*Simulation`` class file. That is where the tools' own docs put them
(``locustfile.py``, ``k6/script.js``, ``src/test/scala/...Simulation.scala``), and it spares
reading every source file of a monorepo. A load test elsewhere is still found when CI or a
script runs it (``k6 run scripts/smoke.js``).
"""

from __future__ import annotations

import re

from linter.detectors.ci.model import Step, as_dict
from linter.detectors.ci.judge import classify_step
from linter.detectors.ci.tables import LOAD_TESTS
from linter.fast_dataclass import dataclass
from linter.repo.folders import outside_documentation
from linter.repo.path_search import any_of, matching_indexes
from linter.repo.prefilters import Prefilter
from linter.repo.workspace import Workspace

#: Source files with a load-test path read at most (a note says when more were left out).
MAX_SOURCE_FILES = 5_000
MAX_CHARS = 400_000
#: An unterminated ``/*`` comments out the rest (as the compiler would refuse the file): without the
#: ``.*\Z`` branch every later ``/*`` scanned to the end again, quadratic in a file of ``/*``.
_JS_COMMENTS = re.compile(r"/\*(?:.*?\*/|.*\Z)|(?<![:\"'])//[^\n]*", re.S)
_K6_IMPORT = re.compile(r"""(?:\bfrom\s*|\brequire\s*\(\s*)['"]k6(?:/[\w./-]{1,60})?['"]""")
_PY_COMMENT = re.compile(r"#[^\n]*")
#: The XML declaration and comments before a JMeter plan's root (an unclosed comment runs to the end).
_XML_NOISE = re.compile(r"<\?xml[^>]{0,300}\?>|<!--(?:.*?-->|.*\Z)", re.S)
#: ``^[^\S\n]*``: see ``linter.detectors.docs._PYTM_IMPORT``.
_LOCUST_IMPORT = re.compile(r"^[^\S\n]*(?:from\s+locust(?:\.[\w.]+)?\s+import\b|import\s+locust\b)", re.M)
_LOCUST_USER = re.compile(r"^[ \t]*class\s+\w+\s*\(\s*(?:[\w.]+\.)?(?:HttpUser|FastHttpUser|User)\s*[,)]", re.M)
_GATLING_IMPORT = re.compile(r"^[^\S\n]*import\s+(?:static\s+)?io\.gatling\b", re.M)
_GATLING_CLASS = re.compile(r"\bclass\s+\w+[^{\n]{0,200}?(?:\bextends\s+Simulation\b|:\s*Simulation\s*\()")
_SCRIPT_NAMES = frozenset({"Makefile", "makefile", "GNUmakefile", "justfile", "Justfile", "Taskfile.yml"})
SOURCE_SUFFIXES = frozenset({"js", "mjs", "cjs", "ts", "py", "scala", "java", "kt"})
#: Words of a path (split at punctuation and camelCase) that mark load-test code.
HINT_WORDS = frozenset({
    "load", "loadtest", "loadtests", "loadtesting", "perf", "performance", "stress", "soak", "spike",
    "bench", "benchmark", "benchmarks", "capacity", "k6", "locust", "locustfile", "locustfiles",
    "gatling", "artillery", "jmeter", "simulation", "simulations",
})
_WORDS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


@dataclass(frozen=True, order=True)
class LoadTest:
    path: str
    line: int
    tool: str
    detail: str


@dataclass(frozen=True)
class LoadTestFacts:
    tests: tuple[LoadTest, ...] = ()


#: A path without any of these fragments cannot hold a hint word (one C-level search per path).
_HINT_FRAGMENTS = ("load", "perf", "stress", "soak", "spike", "bench", "capacity", "k6", "locust", "gatling",
                   "artillery", "jmeter", "simulation")
_HINT_FRAGMENT = re.compile("|".join(_HINT_FRAGMENTS))


def has_load_test_hint(path: str) -> bool:
    """True when a folder or the file name of ``path`` reads like load-test code."""
    lowered = path.lower()
    if not _HINT_FRAGMENT.search(lowered):
        return False
    if any(word in lowered for word in ("loadtest", "load-test", "load_test", "locust", "gatling", "k6")):
        return True
    return any(word.lower() in HINT_WORDS for word in _WORDS.findall(path.rsplit(".", 1)[0]))


_ANY_FRAGMENT = any_of(_HINT_FRAGMENTS)


def _hinted_sources(ws: Workspace) -> list[str]:
    """Source files whose path holds a hint fragment, in index order: one pass over the joined
    paths of source files only (a monorepo's index is mostly other files)."""
    files = ws.with_suffix(*(f".{suffix}" for suffix in sorted(SOURCE_SUFFIXES)))
    hinted = matching_indexes(files, _ANY_FRAGMENT)
    if hinted is None:  # not ASCII: path by path
        return [p for p in files if any(fragment in p.lower() for fragment in _HINT_FRAGMENTS)]
    return [files[i] for i in sorted(hinted)]


def detect(ws: Workspace) -> LoadTestFacts:
    found: list[LoadTest] = []
    sources_read = 0
    # source files only where a path fragment can make a hint (one substring search per
    # fragment over the whole index, not a check per source file)
    sources = _hinted_sources(ws)
    candidates = ws.with_suffix(".jmx", ".yml", ".yaml", ".sh")
    # a load-test script under docs/ is an example on a page, as for chaos experiments
    for path in outside_documentation(sorted({*sources, *candidates, *ws.by_name(*_SCRIPT_NAMES)})):
        name = path.rsplit("/", 1)[-1]
        suffix = _suffix(path)
        if suffix in SOURCE_SUFFIXES:
            if not has_load_test_hint(path):
                continue
            if sources_read >= MAX_SOURCE_FILES:
                ws.note(path, f"more than {MAX_SOURCE_FILES} load-test-like source files; the rest were not read")
                continue
            sources_read += 1
        try:
            if suffix in ("js", "mjs", "cjs", "ts"):
                _k6(ws, path, found)
            elif suffix == "py":
                _locust(ws, path, found)
            elif suffix in ("scala", "java", "kt"):
                _gatling(ws, path, found)
            elif suffix == "jmx":
                _jmeter(ws, path, found)
            elif suffix in ("yml", "yaml") and name != "Taskfile.yml":
                _artillery(ws, path, found)
            if suffix == "sh" or name in _SCRIPT_NAMES:
                _script(ws, path, found)
        except Exception as exc:  # noqa: BLE001 - a detector never raises
            ws.note(path, f"load test file could not be read: {type(exc).__name__}")
    return LoadTestFacts(tuple(sorted(set(found))))


def _suffix(path: str) -> str:
    """Lower-case extension of the file name, without the dot (``""`` when it has none)."""
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _text(ws: Workspace, path: str, marker: str) -> str | None:
    text = ws.read_text(path)
    if not text or marker not in text:
        return None
    return text[:MAX_CHARS]


def _line_at(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _blank_comments(text: str, pattern: re.Pattern[str]) -> str:
    """Comments replaced by spaces (newlines kept) so match positions still give lines."""
    return pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def _k6(ws: Workspace, path: str, found: list[LoadTest]) -> None:
    text = _text(ws, path, "k6")
    if text is None:
        return
    match = _K6_IMPORT.search(_blank_comments(text, _JS_COMMENTS))
    if match:
        found.append(LoadTest(path, _line_at(text, match.start()), "k6", "k6 script"))


def _locust(ws: Workspace, path: str, found: list[LoadTest]) -> None:
    text = _text(ws, path, "locust")
    if text is None:
        return
    code = _blank_comments(text, _PY_COMMENT)
    user = _LOCUST_USER.search(code)
    if _LOCUST_IMPORT.search(code) and user:
        found.append(LoadTest(path, _line_at(text, user.start()),
                              "Locust", "Locust user class"))


def _gatling(ws: Workspace, path: str, found: list[LoadTest]) -> None:
    text = _text(ws, path, "gatling")
    if text is None:
        return
    code = _blank_comments(text, _JS_COMMENTS)
    match = _GATLING_CLASS.search(code)
    if _GATLING_IMPORT.search(code) and match:
        found.append(LoadTest(path, _line_at(text, match.start()), "Gatling", "Gatling simulation"))


def _jmeter(ws: Workspace, path: str, found: list[LoadTest]) -> None:
    text = _text(ws, path, "jmeterTestPlan")
    if text is None:
        return
    head = _XML_NOISE.sub("", text[:5_000]).lstrip()
    if head.startswith("<jmeterTestPlan"):
        found.append(LoadTest(path, _line_at(text, text.find("<jmeterTestPlan")), "JMeter", "JMeter test plan"))


#: YAML that may be an Artillery script (the marker anywhere, its target within the part read).
ARTILLERY_YAML = Prefilter("artillery-yaml", lambda text: "scenarios" in text and "target" in text[:MAX_CHARS])


def _artillery(ws: Workspace, path: str, found: list[LoadTest]) -> None:
    if ws.text_passing(path, ARTILLERY_YAML) is None:
        return
    parsed = ws.read_yaml(path)
    for doc in parsed.documents if parsed else ():
        data = as_dict(doc.data)
        config = as_dict(data.get("config"))
        if isinstance(config.get("target"), str) and isinstance(data.get("scenarios"), list):
            line = data.line_of("config") if hasattr(data, "line_of") else doc.line
            found.append(LoadTest(path, line, "Artillery", f"Artillery scenarios against {config['target'][:80]}"))
            return


def _script(ws: Workspace, path: str, found: list[LoadTest]) -> None:
    text = ws.read_text(path)
    if not text or not any(w in text for w in ("k6", "vegeta", "wrk", "locust", "artillery", "jmeter", "gatling")):
        return
    for hit in classify_step(Step(path, 1, "run", text[:MAX_CHARS]), LOAD_TESTS):
        found.append(LoadTest(path, hit.line, hit.tool, f"script runs {hit.detail}"))
