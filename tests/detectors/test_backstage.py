"""Backstage entities from any YAML file with a backstage.io apiVersion."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.detectors.backstage import detect, normalise_ref
from linter.repo.workspace import Workspace
from tests.helpers import write_tree


def test_entities_from_odd_file_names_and_multi_documents(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "org/people.yml": (
            "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: Team-A\n  namespace: Ops\n"
            "spec:\n  type: team\n  children: []\n---\n"
            "apiVersion: backstage.io/v1alpha1\nkind: User\nmetadata:\n  name: ana\nspec:\n  memberOf: [team-a]\n"
        ),
        "k8s/deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n",
        "notes.yaml": "# apiVersion: backstage.io/v1alpha1 in a comment only\nkind: Group\n",
    })
    catalog = detect(Workspace(tmp_path))
    assert [(e.kind, e.ref, e.path, e.line) for e in catalog.entities] == [
        ("group", "group:ops/team-a", "org/people.yml", 1),
        ("user", "user:default/ana", "org/people.yml", 10),
    ]


@pytest.mark.parametrize(
    ("ref", "kind", "namespace", "expected"),
    [
        ("team-a", "group", "default", "group:default/team-a"),
        ("Group:Ops/Team-A", "group", "default", "group:ops/team-a"),
        ("user:bob", "group", "default", "user:default/bob"),
        ("bob", "user", "payments", "user:payments/bob"),
        ({"kind": "Group", "name": "x"}, "group", "default", "group:default/x"),
        ("", "group", "default", None),
        (None, "group", "default", None),
        (42, "group", "default", None),
        ("group:", "group", "default", None),
    ],
)
def test_normalise_ref(ref, kind, namespace, expected) -> None:
    assert normalise_ref(ref, kind, namespace) == expected


def test_hostile_entities_are_skipped_with_notes(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "a.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: [oops]\n",
        "b.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  title: no name\n",
        "c.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: c\nspec: [1, 2]\n",
        "d.yaml": "apiVersion: backstage.io/v1alpha1\n: [\n",
        "e.yaml": b"apiVersion: backstage.io/v1alpha1\n\x00\x01",
    })
    ws = Workspace(tmp_path)
    catalog = detect(ws)
    assert [(e.name, e.spec) for e in catalog.entities] == [("c", {})]
    noted = {n.path for n in ws.notes}
    assert {"a.yaml", "b.yaml", "d.yaml", "e.yaml"} <= noted
