"""Document classification: runbook coverage, threat/classification sections, scope, words, dates, decks."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from linter.detectors import docs
from linter.detectors.docs import analyse, is_narrative_path, is_runbook_path, parse_iso_date
from linter.repo.workspace import Workspace


@pytest.mark.parametrize("path, expected", [
    ("runbooks/db.md", True), ("docs/ops/failover.md", True), ("ops/README.md", True),
    ("services/a/playbooks/x.md", True), ("docs/disaster-recovery.md", True), ("DR-plan.md", True),
    ("docs/ops-handbook/x.md", True), ("docs/operations-overview.md", False), ("docs/architecture.md", False), ("README.md", False),
])
def test_runbook_paths(path: str, expected: bool) -> None:
    assert is_runbook_path(path) is expected


@pytest.mark.parametrize("path, expected", [
    ("docs/adr/0001-use-postgres.md", True), ("docs/architecture/decisions/0002-x.md", True),
    ("doc/adr/0003.md", True), ("rfcs/0012-split.md", True), ("text/0042-const-generics.md", True),
    ("keps/sig-node/123/README.md", True), ("services/a/docs/design/cache.md", True),
    ("docs/guide.md", False), ("text/notes.md", False),
])
def test_narrative_paths(path: str, expected: bool) -> None:
    assert is_narrative_path(path) is expected


def test_adr_dir_file_adds_a_custom_folder(make_repo) -> None:
    root = make_repo({".adr-dir": "architecture/records\n", "architecture/records/0001-x.md": "# X\n\nWords here.\n"})
    facts = docs.detect(Workspace(root))
    assert [d.path for d in facts.docs if d.is_narrative] == ["architecture/records/0001-x.md"]


def test_failover_and_failback_come_from_visible_text_only() -> None:
    text = ("# DB runbook\n\n## Failover\n\nPromote the standby replica.\n\n"
            "<!-- ## Failback\nresync later -->\n\n```sh\npg_restore --failback\n```\n")
    info = analyse("runbooks/db.md", text)
    assert [m.line for m in info.failover] == [3, 5]  # the heading and "promote the standby"
    assert info.failback == ()
    full = analyse("runbooks/db.md", text + "\n## Fail back\n\nReturn traffic to the primary region.\n")
    assert [m.text for m in full.failback] == ["Fail back", "Return traffic to the primary region."]


@pytest.mark.parametrize("sentence", [
    "Resynchronise the old primary.", "Resync the replica.", "Restore from the latest snapshot.",
    "Switch back once healthy.", "Move back to the primary when it recovers.", "Failing back takes ten minutes.",
])
def test_way_back_vocabulary(sentence: str) -> None:
    assert analyse("runbooks/x.md", f"# R\n\n{sentence}\n").failback


def test_failback_is_not_failover() -> None:
    info = analyse("runbooks/x.md", "# R\n\nFail back to the primary.\n")
    assert info.failover == () and info.failback


def test_sections_need_content_under_the_heading() -> None:
    info = analyse("docs/security.md", "# Security\n\n## Threat model\n\n## Data classification\n\nTBD\n")
    assert info.threat_sections == () and info.classification_sections == ()
    info = analyse("docs/security.md", "# Security\n\n## STRIDE\n\nSpoofing: signed calls.\n\n"
                                       "## Personal data\n\nAddresses, kept in Postgres.\n")
    assert [m.line for m in info.threat_sections] == [3]
    assert [m.line for m in info.classification_sections] == [7]


@pytest.mark.parametrize("body, found", [
    ("## Out of scope\n\nSubscriptions.\n", True),
    ("## Non-goals\n\n- Mobile apps\n", True),
    ("**Not in v1:** offline mode.\n", True),
    ("Future work: bulk export.\n", True),
    ("**Q: What is out of scope for the first version?**\n\nA: Subscriptions wait.\n", True),
    ("### What will not be included at launch?\n\nGift cards.\n", True),
    ("## Out of scope\n\n", False),
    ("<!-- ## Non-goals\nMobile -->\n", False),
    ("## Goals\n\nFast checkout.\n", False),
    ("### What is out of scope?\n\n", False),
])
def test_scope_statements(body: str, found: bool) -> None:
    assert bool(analyse("docs/design/x.md", "# Design\n\nIntro.\n\n" + body).scope_statements) is found


def test_prose_words_skip_code_tables_front_matter_and_appendix() -> None:
    text = ("---\ntitle: one two three\n---\n# Title words\n\nOne two three four.\n\n```\ncode code code\n```\n\n"
            "| a | b |\n| - | - |\n| c | d |\n\n- five six\n\n## Appendix A\n\nseven eight nine\n\n### Sub\n\nten\n\n"
            "## Next\n\nlast word\n")
    assert analyse("docs/adr/1.md", text).prose_words == 8


@pytest.mark.parametrize("text, expected", [
    ("2026-03-14-gameday.md", date(2026, 3, 14)), ("on 2025/12/01 we", date(2025, 12, 1)),
    ("2026-13-01", None), ("2026-02-30", None), ("20260314", None), ("v12026-01-01x", None), ("on 2026-01-01.", date(2026, 1, 1)),
])
def test_iso_dates(text: str, expected: date | None) -> None:
    assert parse_iso_date(text) == expected


def test_game_day_record_dates_by_source() -> None:
    text = "---\ndate: 2026-05-02\n---\n# Game day 2026-05-03\n\nHeld with ops on 2026-05-04.\n"
    info = analyse("docs/game-days/2026-05-01-db.md", text)
    assert {(d.day.day, d.source) for d in info.dates} == {(1, "file name"), (2, "front matter"),
                                                           (3, "heading"), (4, "text")}
    assert analyse("docs/notes/x.md", text).dates == ()


def test_detect_prefilters_and_survives_hostile_files(make_repo) -> None:
    root = make_repo({
        "notes/shopping.md": "# Shopping\n\nMilk.\n",
        "notes/dr.md": "# Notes\n\nWe fail over by hand.\n",
        "runbooks/empty.md": "",
        "runbooks/binary.md": b"\x00\x01\x02",
        "runbooks/deep.md": "> " * 500 + "failover\n",
        "runbooks/weird.md": "---\n- not a mapping\n---\n# R\n\n" + "[" * 5000 + "\n",
    })
    paths = [d.path for d in docs.detect(Workspace(root)).docs]
    assert "notes/shopping.md" not in paths and "notes/dr.md" in paths
    assert {"runbooks/empty.md", "runbooks/deep.md", "runbooks/weird.md"} <= set(paths)


def test_detect_files_decks_threat_models_and_glossaries(make_repo) -> None:
    root = make_repo({
        "docs/design/review.pptx": b"PK\x03\x04", "talks/kubecon.key": b"PK", "certs/server.key": "-----BEGIN",
        "docs/tls.key": "x", "docs/pitch.key/Index.zip": b"PK", "docs/design/x.md": "# X\n",
        "security/checkout.tm7": b"<xml", "security/model.json":
            '{"summary": {"title": "Checkout"}, "detail": {"diagrams": []}}',
        "security/other.json": '{"summary": {}, "detail": {"diagrams": {}}}',
        "security/broken.json": '{"summary": "diagrams"',
        "tm/tm.py": "from pytm import TM, Server\n# tm = TM('commented')\ntm = TM('checkout')\n",
        "tm/notm.py": "from pytm import Server\n# TM('x')\n",
        "docs/GLOSSARY.rst": "Term\n",
    })
    facts = docs.detect_files(Workspace(root))
    assert [d.path for d in facts.slide_decks] == ["docs/design/review.pptx", "docs/pitch.key", "talks/kubecon.key"]
    assert [(t.path, t.line) for t in facts.threat_models] == [
        ("security/checkout.tm7", 0), ("security/model.json", 1), ("tm/tm.py", 3)]
    assert [g.path for g in facts.glossary_files] == ["docs/GLOSSARY.rst"]
    assert "docs/design/x.md" in facts.prose_files and "docs/design" in facts.design_dirs


def test_a_hyphenated_rule_name_heading_is_not_a_threat_model(tmp_path) -> None:
    from linter.detectors.docs import detect
    from linter.repo.workspace import Workspace
    from tests.helpers import write_tree

    write_tree(tmp_path, {"docs/rules.md": "# Rules\n\n## SEC007 threat-model\n\nChecks that a threat model exists.\n",
                          "docs/security.md": "# Security\n\n## Threat model\n\nSpoofing of the login form...\n"})
    facts = detect(Workspace(tmp_path))
    found = {d.path for d in facts.docs if d.threat_sections}
    assert found == {"docs/security.md"}


@pytest.mark.parametrize(("path", "narrative"), [
    ("docs/proposals/002-ui-extensions.md", True), ("proposals/cache.md", True), ("teps/0001-tep.md", True),
    ("keps/sig-node/123/README.md", True), ("docs/adr/0001-record.md", True),
    ("docs/proposal-notes.md", False), ("src/proposals.py", False), ("docs/guide.md", False),
])
def test_proposal_and_enhancement_folders_hold_design_narratives(path: str, narrative: bool) -> None:
    from linter.detectors.docs import is_narrative_path

    assert is_narrative_path(path) is narrative


# ------------------------------------------------------------------ path candidates, per folder
_SEGMENTS = st.sampled_from([
    "docs", "doc", "ops", "operations-guide", "runbooks", "text", "0001-idea.md", "adr", "architecture", "decisions",
    "game-day", "chaos", "drills", "design", "proposal.md", "src", "Docs", "RUNBOOK.md", "notes.md", "user-guide.md",
    "glossary.md", "threat-model.md", "customer-journey.md", "oncall.md", "dr-test", "x", "file1.md", "ops.md",
    "keps", "TEXT", "0002-b.MD", "my adr",
])


@given(st.lists(_SEGMENTS, min_size=1, max_size=5).map("/".join),
       st.sampled_from([(), ("my adr",), ("docs/adr",), ("src/x",)]))
@example("docs/ops.md", ())
@example("rfcs/text/0001-idea.md", ())
@example("a/" * 260 + "runbook.md", ())
def test_path_candidates_per_folder_match_the_direct_test(path: str, adr_dirs: tuple[str, ...]) -> None:
    candidates = docs._PathCandidates(adr_dirs)
    assert candidates(path) == docs._path_candidate(path, adr_dirs)
    assert candidates(path) == docs._path_candidate(path, adr_dirs)  # answered from the folder memo


def test_path_candidates_reuse_the_folder_answer() -> None:
    candidates = docs._PathCandidates(())
    assert candidates("services/a/runbooks/x.md") and candidates("services/a/runbooks/y.md")
    assert not candidates("services/a/src/notes.md")
    assert set(candidates.folders) == {"services/a/runbooks", "services/a/src"}


_WORDY = st.sampled_from([
    "GameDays", "game_day", "Drill", "drills", "DR_Test", "dr-tests", "failover-tests", "Failover", "Incident_Response",
    "On-Call", "on_call", "SRE", "sre-team", "user guide", "User-Docs", "handbook", "Manual", "-guide",
    "How our customers use it", "how users interact", "Interactions", "tech spec", "Technical Design", "spec",
    "disaster recovery", "dr_plan", "Customer Flows", "client-experience", "threat_model", "Glossary",
    "RFCs", "TEPs", "Decisions", "ADRs", "architecture", "playbooks", "operations", "Ops", "opsy", "text",
])
_ASCII_NAME = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_ .", max_size=12)


@given(st.lists(st.lists(st.one_of(_SEGMENTS, _WORDY, _ASCII_NAME), min_size=1, max_size=5).map("/".join),
                max_size=20),
       st.sampled_from([(), ("my adr",), ("docs/adr",), ("src/x",), ("Architecture/Records",)]))
@example(["docs/ops.md", "İ/runbook.md", "notes/x.md"], ())
@example(["ſre/x.md", "chaoſ/y.md"], ())  # case-insensitive matches beyond ASCII: judged in full
def test_the_path_word_prefilter_never_drops_a_candidate(paths: list[str], adr_dirs: tuple[str, ...]) -> None:
    expected = {i for i, path in enumerate(paths) if docs._path_candidate(path, adr_dirs)}
    assert docs.path_candidates(paths, adr_dirs) == expected


@pytest.mark.parametrize("path", [
    "x/Runbooks/a.md", "x/playbooks/a.md", "OPS/a.md", "x/operations/a.md", "x/on-call/a.md", "x/oncall/a.md",
    "x/on_call/a.md", "x/incident-response/a.md", "x/incident_response/a.md", "x/SRE/a.md", "docs/opsguide/a.md",
    "docs/ops-notes.md", "docs/adr/a.md", "doc/ADR/a.md", "docs/decisions/a.md", "docs/rfc/a.md", "design/a.md",
    "proposals/a.md", "keps/a.md", "teps/a.md", "text/0001-idea.md", "x/gameday/a.md", "x/chaos/a.md", "x/drills/a.md",
    "x/dr-test/a.md", "x/dr_tests/a.md", "x/failover-tests/a.md", "runbook.md", "Playbook-db.md",
    "disaster-recovery.md", "dr-plan.md", "dr_runbook.md", "oncall.md", "incident-response.md", "failover.md",
    "x/threat-model.md", "glossary.md", "user-guide.md", "manual.md", "handbook.md", "guide.md", "x/setup-guide.md",
    "design-doc.md", "rfc-12.md", "technical-design.md", "tech-spec.md", "architecture.md", "proposal.md", "spec.md",
    "customer-journey.md", "user_experience.md", "client-flows.md", "how our customers use it.md", "interactions.md",
])
def test_every_kind_of_path_candidate_passes_the_prefilter(path: str) -> None:
    assert docs._path_candidate(path, ()), path  # the case is a real candidate
    assert docs.path_candidates(["notes/other.md", path], ()) == {1}
    assert docs.path_candidates(["notes/other.md", "records/" + path], ("records",)) == {1}
