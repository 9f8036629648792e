"""``config show`` and ``schema config``: the effective configuration and its JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from linter.config import Config
from linter.config import schema as config_json_schema
from linter.engine import RunOptions, current_time, resolve_config
from linter.repo.workspace import Workspace


def show(target: str, *, config_path: Path | None = None, policy_path: Path | None = None) -> str:
    """YAML of every setting, each followed by a comment naming where its value came from."""
    ws = Workspace(target)
    effective = resolve_config(ws, RunOptions(config_path=config_path, policy_path=policy_path), current_time())
    from pydantic import TypeAdapter

    data = TypeAdapter(Config).dump_python(effective.config, mode="json")
    data.pop("extends", None)
    lines = ["# effective practicelint configuration for " + target]
    lines.append("# layers (lowest precedence first): " + (", ".join(effective.layers) or "none") + ", command line")
    for key, value in data.items():
        origin = effective.provenance.get(key)
        if origin is None:
            subs = sorted({v for k, v in effective.provenance.items() if k.startswith(key + ".")})
            origin = ", ".join(subs) if subs else "default"
        name = key.replace("_", "-")
        if isinstance(value, (dict, list)) and value:
            dumped = yaml.safe_dump({name: value}, sort_keys=False, default_flow_style=False).rstrip()
            lines.append(f"# {name}: from {origin}\n{dumped}")
        else:
            lines.append(f"{name}: {json.dumps(value)}  # from {origin}")
    return "\n".join(lines) + "\n"


def config_schema() -> dict[str, Any]:
    """JSON Schema with the documented kebab-case keys (``fail-on``), for yaml-language-server."""
    schema = config_json_schema()
    schema["properties"] = {k.replace("_", "-"): v for k, v in schema["properties"].items()}
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "practicelint configuration (.practicelint.yaml)"
    schema["description"] = ("Settings of .practicelint.yaml (or [tool.practicelint] in pyproject.toml); "
                             "keys may be written kebab-case or snake_case.")
    return schema


def config_schema_text() -> str:
    return json.dumps(config_schema(), indent=2, sort_keys=True) + "\n"
