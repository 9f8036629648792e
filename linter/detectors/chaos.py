"""Chaos and game-day experiments written as code.

Recognised, each by its real shape rather than by its file name:

* Chaos Toolkit experiments (JSON or YAML): a ``method`` list of actions/probes together
  with a ``title`` or a ``steady-state-hypothesis``;
* LitmusChaos resources (``apiVersion: litmuschaos.io/...``: ChaosEngine, ChaosExperiment,
  ChaosSchedule...; ``ChaosResult`` is a run's output, not an experiment) and Argo
  ``Workflow``/``CronWorkflow`` documents that embed Litmus resources;
* Chaos Mesh resources (``apiVersion: chaos-mesh.org/...``: PodChaos, NetworkChaos,
  StressChaos, Schedule, Workflow...; the controller-internal ``Pod*Chaos`` kinds excluded);
* AWS FIS experiment templates in Terraform (``aws_fis_experiment_template``) and
  CloudFormation (``AWS::FIS::ExperimentTemplate``, YAML or JSON); Azure Chaos Studio
  experiments in Terraform (``azurerm_chaos_studio_experiment``) and ARM JSON
  (``Microsoft.Chaos/experiments``).

Comments never count: YAML comments are not data and the HCL reader skips comments. Files
under ``docs/``, ``doc/`` or ``documentation/`` are examples on a page, not experiments the
team runs (a chaos tool's own documentation holds hundreds).
"""

from __future__ import annotations

import re
from typing import Any

from linter.detectors import hcl
from linter.fast_dataclass import dataclass
from linter.repo.prefilters import Prefilter
from linter.repo.workspace import Workspace
from linter.repo.folders import outside_documentation
from linter.repo.yamlio import line_of

MAX_FILES = 5_000
#: YAML and JSON: each file is read once for every detector and only parsed when it has the
#: detector's marker, so the cap only guards against pathological trees.
MAX_YAML_FILES = 100_000
MAX_RESOURCES = 5_000
#: Lower-case text without which ``classify_manifest``, ``chaos_toolkit`` and ``_cloudformation``
#: find nothing: an API version (``litmuschaos.io/v1alpha1``; the group name alone, as in CRDs
#: and RBAC rules, is not one), a Litmus manifest embedded in an Argo workflow, a Chaos Toolkit
#: hypothesis, an AWS FIS resource type.
YAML_MARKERS = ("litmuschaos.io/", "chaos-mesh.org/", "kind: chaosengine", "steady-state-hypothesis", "aws::fis::")
#: A Chaos Toolkit ``method`` key: top level in block style (column 0), or in flow style. The
#: bare word is not enough, nor an indented key: CRD schemas and Istio routes have nested
#: ``method:`` keys and descriptions, and parsing those manifests was most of this detector's
#: time on argo-cd and istio.
_METHOD_KEY = re.compile(r"""^["']?method["']?[ \t]*:|[{,][ \t]*["']?method["']?[ \t]*:""", re.MULTILINE)
JSON_MARKERS = ("steady-state-hypothesis", '"method"', "AWS::FIS::", "Microsoft.Chaos/")
#: YAML that may hold an experiment: a tool's API group, or a Chaos Toolkit ``method`` key.
EXPERIMENT_YAML = Prefilter("chaos-yaml", lambda text: any(marker in text.lower() for marker in YAML_MARKERS)
                        or ("method" in text and _METHOD_KEY.search(text) is not None))
#: JSON that may hold an experiment (Chaos Toolkit, AWS FIS, Azure Chaos Studio).
EXPERIMENT_JSON = Prefilter("chaos-json", lambda text: any(marker in text for marker in JSON_MARKERS))
TF_TYPES = {"aws_fis_experiment_template": "AWS FIS experiment template",
            "azurerm_chaos_studio_experiment": "Azure Chaos Studio experiment"}
CFN_TYPES = {"aws::fis::experimenttemplate": "AWS FIS experiment template"}
ARM_TYPES = {"microsoft.chaos/experiments": "Azure Chaos Studio experiment"}
#: Chaos Mesh kinds the controller creates itself; teams never write them.
CHAOS_MESH_INTERNAL = frozenset({"podhttpchaos", "podnetworkchaos", "podiochaos", "workflownode"})
LITMUS_OUTPUTS = frozenset({"chaosresult"})


@dataclass(frozen=True, order=True)
class Experiment:
    """One experiment definition: where, which tool, and its name when it has one."""

    path: str
    line: int
    tool: str
    name: str = ""


@dataclass(frozen=True)
class ChaosFacts:
    experiments: tuple[Experiment, ...]


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _metadata_name(data: dict[str, Any]) -> str:
    metadata = data.get("metadata")
    return _str(metadata.get("name")) if isinstance(metadata, dict) else ""


def chaos_toolkit(data: Any) -> bool:
    """A Chaos Toolkit experiment: ``method`` holds actions/probes; a title or hypothesis sits beside it."""
    if not isinstance(data, dict):
        return False
    method = data.get("method")
    if not isinstance(method, list) or not method:
        return False
    activities = [a for a in method[:200] if isinstance(a, dict)
                  and (a.get("type") in ("action", "probe") or isinstance(a.get("ref"), str))]
    if not activities:
        return False
    return isinstance(data.get("title"), str) or isinstance(data.get("steady-state-hypothesis"), dict)


def classify_manifest(data: Any) -> tuple[str, str] | None:
    """(tool, name) for a Kubernetes-style chaos resource, else ``None``."""
    if not isinstance(data, dict):
        return None
    api, kind = _str(data.get("apiVersion")).lower(), _str(data.get("kind"))
    if api.startswith("litmuschaos.io/") and kind and kind.lower() not in LITMUS_OUTPUTS:
        return f"LitmusChaos {kind}", _metadata_name(data)
    if api.startswith("chaos-mesh.org/") and kind and kind.lower() not in CHAOS_MESH_INTERNAL:
        return f"Chaos Mesh {kind}", _metadata_name(data)
    if api.startswith("argoproj.io/") and kind.lower() in ("workflow", "cronworkflow", "workflowtemplate"):
        if _mentions_litmus(data):
            return f"LitmusChaos workflow ({kind})", _metadata_name(data)
    return None


def _mentions_litmus(value: Any, budget: int = 20_000) -> bool:
    """True when a string under ``value`` embeds a Litmus resource (Litmus workflows do)."""
    stack = [value]
    while stack and budget > 0:
        budget -= 1
        current = stack.pop()
        if isinstance(current, str):
            if "litmuschaos.io/" in current or "kind: ChaosEngine" in current:
                return True
        elif isinstance(current, dict):
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
    return False


def _cloudformation(data: Any, fallback_line: int) -> list[tuple[int, str, str]]:
    """(line, tool, logical id) for FIS templates in a CloudFormation ``Resources`` mapping."""
    resources = data.get("Resources") if isinstance(data, dict) else None
    found: list[tuple[int, str, str]] = []
    if not isinstance(resources, dict):
        return found
    for logical_id, resource in list(resources.items())[:MAX_RESOURCES]:
        if not isinstance(resource, dict):
            continue
        tool = CFN_TYPES.get(_str(resource.get("Type")).lower())
        if tool:
            found.append((line_of(resources, logical_id, fallback_line), tool, str(logical_id)))
    return found


def _arm(data: Any) -> list[tuple[str, str]]:
    resources = data.get("resources") if isinstance(data, dict) else None
    found: list[tuple[str, str]] = []
    for resource in resources[:MAX_RESOURCES] if isinstance(resources, list) else []:
        if isinstance(resource, dict):
            tool = ARM_TYPES.get(_str(resource.get("type")).lower())
            if tool:
                found.append((tool, _str(resource.get("name"))))
    return found


def _from_yaml(ws: Workspace, path: str, out: list[Experiment]) -> None:
    parsed = ws.read_yaml(path)
    for doc in parsed.documents if parsed else ():
        data = doc.data
        manifest = classify_manifest(data)
        if manifest:
            out.append(Experiment(path, doc.line, manifest[0], manifest[1]))
        elif chaos_toolkit(data):
            out.append(Experiment(path, doc.line, "Chaos Toolkit experiment", _str(data.get("title"))))
        for line, tool, name in _cloudformation(data, doc.line):
            out.append(Experiment(path, line, tool, name))


def _json_line(text: str, needle: str) -> int:
    index = text.find(needle)
    return text[:index].count("\n") + 1 if index >= 0 else 1


def _from_json(ws: Workspace, path: str, text: str, out: list[Experiment]) -> None:
    data = ws.read_json(path)
    if data is None:
        ws.note(path, "JSON could not be parsed; not read for chaos experiments")
        return
    if chaos_toolkit(data):
        out.append(Experiment(path, _json_line(text, '"method"'), "Chaos Toolkit experiment", _str(data.get("title"))))
    resources = data.get("Resources") if isinstance(data, dict) else None
    if isinstance(resources, dict):
        for logical_id, resource in list(resources.items())[:MAX_RESOURCES]:
            if isinstance(resource, dict) and _str(resource.get("Type")).lower() in CFN_TYPES:
                out.append(Experiment(path, _json_line(text, f'"{logical_id}"'), "AWS FIS experiment template",
                                      str(logical_id)))
    for tool, name in _arm(data):
        out.append(Experiment(path, _json_line(text, "Microsoft.Chaos/"), tool, name))


def terraform_resources(ws: Workspace, path: str, types: dict[str, str]) -> list[tuple[int, str, str, hcl.Block]]:
    """(line, label for the type, resource name, block) of ``resource`` blocks of the given types."""
    text = ws.read_text(path)
    if text is None or not any(t in text for t in types):
        return []
    try:
        root = hcl.parsed(ws, path)  # parsed once per run, shared with every Terraform reader
    except (RecursionError, ValueError) as exc:  # defensive: the reader is bounded already
        ws.note(path, f"Terraform could not be read: {exc.__class__.__name__}")
        return []
    if root is None:
        return []
    found = []
    for block in root.children("resource"):
        if len(block.labels) >= 2 and block.labels[0] in types:  # a real resource has a type and a name
            found.append((block.line, types[block.labels[0]], block.labels[1], block))
    return found


def detect(ws: Workspace) -> ChaosFacts:
    found: list[Experiment] = []
    # experiments under docs/ illustrate a page (a tool's own documentation is full of them)
    yaml_files = ws.bounded(outside_documentation(ws.yaml_files), MAX_YAML_FILES, "YAML files")
    for path, _ in ws.passing(yaml_files, EXPERIMENT_YAML):
        _from_yaml(ws, path, found)
    json_files = [p for p in outside_documentation(ws.with_suffix(".json")) if not p.endswith("package-lock.json")]
    for path, text in ws.passing(ws.bounded(json_files, MAX_YAML_FILES, "JSON files for chaos experiments"),
                                 EXPERIMENT_JSON):
        _from_json(ws, path, text, found)
    for path in ws.bounded(outside_documentation(hcl.terraform_files(ws)), MAX_FILES, "Terraform files"):
        for line, tool, name, _ in terraform_resources(ws, path, TF_TYPES):
            found.append(Experiment(path, line, tool, name))
    return ChaosFacts(tuple(sorted(set(found))))
