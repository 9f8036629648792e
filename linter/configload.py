"""Find, layer and merge configuration: command line > repository > ``extends:`` parents > defaults.

Each layer is validated on its own first, so an error names the file and line that caused
it. ``extends:`` takes a path (relative to the file that names it) or a packaged preset
(``practicelint:strict``); cycles are errors. A configuration that lives in the scanned
repository may only extend files inside that repository or presets, and is read through the
workspace's safe reader, so it can never make practicelint read outside the repository.
"""

from __future__ import annotations

import posixpath
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable

from linter.errors import ConfigError
from linter.repo.gitls import UNTRACKED_MODES
from linter.fast_dataclass import dataclass, field
from linter.repo.workspace import Workspace
from linter.config import CONFIG_FILE_NAMES, Config, validated


PRESET_PREFIX = "practicelint:"
PRESETS_DIR = Path(__file__).resolve().parent / "presets"
#: keys whose values combine across layers instead of being replaced
_DICT_KEYS = ("rules", "severity", "teams", "per_path_ignores")
_LIST_APPEND_KEYS = ("extend_select", "waivers")


def _plainly_valid(overrides: dict[str, Any]) -> bool:
    """True for the command line's own overrides with valid values; anything else goes
    through the pydantic model, which explains what is wrong."""
    return (set(overrides) <= {"select", "fail_on", "untracked", "history"}
            and overrides.get("history", "required") in ("optional", "required")
            and overrides.get("fail_on", "error") in ("error", "warning", "info")
            and overrides.get("untracked", "auto") in UNTRACKED_MODES
            and isinstance(overrides.get("select", []), list)
            and all(isinstance(token, str) for token in overrides.get("select") or []))


#: The largest ``max-file-size`` a scanned repository's own configuration may set. Parsers
#: bound their own memory (YAML nodes, Markdown prefix), but reading and searching still grow
#: with the file; the user's ``--config`` or ``--policy`` may go up to the schema's 64 MiB.
REPOSITORY_MAX_FILE_SIZE = 4 * 1024 * 1024
#: Files read for one configuration chain, every path through ``extends:`` counted: real chains
#: have a handful.
MAX_LAYERS = 64


@dataclass
class Layer:
    config: Config
    source: str
    #: read from the scanned repository (untrusted), not from the user's own files
    in_repository: bool = False


@dataclass
class EffectiveConfig:
    """The merged configuration and, for ``config show``, where each value came from."""

    config: Config
    provenance: dict[str, str] = field(default_factory=dict)
    layers: list[str] = field(default_factory=list)


Reader = Callable[[str], tuple[str, str] | None]  # name -> (text, display source) or None


def preset_names() -> list[str]:
    return sorted(p.stem for p in PRESETS_DIR.glob("*.yaml"))


def _read_preset(name: str) -> tuple[str, str]:
    preset = name[len(PRESET_PREFIX):]
    path = PRESETS_DIR / f"{preset}.yaml"
    if not path.is_file():
        raise ConfigError(f"extends: unknown preset {name!r} (presets: "
                          + ", ".join(PRESET_PREFIX + n for n in preset_names()) + ")")
    return path.read_text(encoding="utf-8"), name


def _load_chain(text: str, source: str, resolve: Callable[[str, str], tuple[str, str, str]],
                stack: tuple[str, ...] = (), in_repository: bool = False, read: list[int] | None = None) -> list[Layer]:
    """Layers parents-first for the file ``source`` whose content is ``text``; ``read`` counts the
    files of the whole chain (a parent named many times by parents named many times is read once
    per path, so without a bound five small files could ask for millions)."""
    from linter.config import parse_config_text

    if source in stack:
        raise ConfigError("extends: cycle: " + " -> ".join([*stack, source]))
    read = [0] if read is None else read
    read[0] += 1
    if read[0] > MAX_LAYERS:
        raise ConfigError(f"{source}: extends: more than {MAX_LAYERS} configuration files in the chain")
    config = parse_config_text(text, source, toml=source.endswith(".toml"))
    parents = config.extends
    names = [parents] if isinstance(parents, str) else list(parents or [])
    layers: list[Layer] = []
    for name in names:
        if name.startswith(PRESET_PREFIX):
            parent_text, parent_source = _read_preset(name)
        else:
            parent_text, parent_source, _ = resolve(source, name)
        preset = name.startswith(PRESET_PREFIX)
        layers.extend(_load_chain(parent_text, parent_source, resolve, (*stack, source), in_repository and not preset,
                                  read))
    layers.append(Layer(config, source, in_repository))
    return layers


def _filesystem_resolver(source: str, name: str) -> tuple[str, str, str]:
    base = Path(source).parent if not source.startswith(PRESET_PREFIX) else Path.cwd()
    path = (base / name)
    try:
        return path.read_text(encoding="utf-8"), str(path), str(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{source}: extends: cannot read {name}: {exc}") from None


def _workspace_resolver(ws: Workspace) -> Callable[[str, str], tuple[str, str, str]]:
    def resolve(source: str, name: str) -> tuple[str, str, str]:
        if source.startswith(PRESET_PREFIX):
            raise ConfigError(f"{source}: presets cannot extend repository files")
        if name.startswith("/") or "\\" in name:
            raise ConfigError(f"{source}: extends: {name}: only paths inside the repository are allowed")
        rel = posixpath.normpath(posixpath.join(posixpath.dirname(source), name))
        if rel.startswith("../") or rel == "..":
            raise ConfigError(f"{source}: extends: {name}: points outside the repository")
        text = ws.read_tracked(rel)
        if text is None:
            raise ConfigError(f"{source}: extends: {name}: not a file tracked in the repository "
                              "(symlinked folders, .git and untracked files are never read)")
        return text, rel, rel

    return resolve


def repo_config_layers(ws: Workspace) -> list[Layer]:
    """The scanned repository's own configuration chain (empty when it has none)."""
    for name in CONFIG_FILE_NAMES:
        text = ws.read_text(name)
        if text is not None:
            return _load_chain(text, name, _workspace_resolver(ws), in_repository=True)
    text = ws.read_text("pyproject.toml")
    if text is not None and "[tool.practicelint" in text:
        return _load_chain(text, "pyproject.toml", _workspace_resolver(ws), in_repository=True)
    return []


def file_config_layers(path: Path) -> list[Layer]:
    """A configuration named on the command line (``--config`` or ``--policy``)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from None
    return _load_chain(text, str(path), _filesystem_resolver)


def merge(layers: list[Layer], overrides: dict[str, Any] | None = None) -> EffectiveConfig:
    """Fold layers (parents first) and command-line ``overrides`` into one ``Config``."""
    if not layers and _plainly_valid(overrides or {}):
        # no configuration file: defaults plus simple command-line values, so nothing needs
        # pydantic (importing it costs more than a small run's checks)
        values = dict(overrides or {})
        return EffectiveConfig(Config(**values), dict.fromkeys(values, "command line"), [])
    command_line = validated(overrides or {}, "command line")
    values: dict[str, Any] = {}
    provenance: dict[str, str] = {}
    for layer in [*layers, Layer(command_line, "command line")]:
        config = layer.config
        for key in config.fields_set:
            if key == "extends":
                continue
            value = getattr(config, key)
            if key == "max_file_size" and layer.in_repository and value > REPOSITORY_MAX_FILE_SIZE:
                raise ConfigError(f"{layer.source}: max-file-size: {value} is more than a repository's own "
                                  f"configuration may set ({REPOSITORY_MAX_FILE_SIZE} bytes); a larger limit "
                                  "needs --config or --policy")
            if key in _DICT_KEYS:
                merged = dict(values.get(key, {}))
                merged.update(value)
                values[key] = merged
                for sub in value:
                    provenance[f"{key}.{sub}"] = layer.source
            elif key in _LIST_APPEND_KEYS:
                values[key] = [*values.get(key, []), *value]
                provenance[key] = ", ".join(dict.fromkeys(
                    [*filter(None, provenance.get(key, "").split(", ")), layer.source]))
            else:
                values[key] = value
                provenance[key] = layer.source
    effective = Config(**values)  # every layer was validated: the merge only combines them
    # keep the line-aware data and source of the nearest file layer for evidence and messages
    file_layers = [layer for layer in layers if not layer.source.startswith(PRESET_PREFIX)]
    if file_layers:
        effective._source = file_layers[-1].source
        effective._lines = file_layers[-1].config._lines
    return EffectiveConfig(effective, provenance, [layer.source for layer in layers])


def check_waiver_dates(effective: EffectiveConfig, today: date) -> None:
    """A waiver may expire at most ``max_waiver_days`` ahead (exit 2 otherwise)."""
    limit = today + timedelta(days=effective.config.max_waiver_days)
    for waiver in effective.config.waivers:
        if waiver.expires > limit:
            raise ConfigError(
                f"{effective.provenance.get('waivers', 'configuration')}: waivers: {waiver.rule}: expires "
                f"{waiver.expires.isoformat()} is more than max-waiver-days ({effective.config.max_waiver_days}) "
                f"ahead; the latest allowed date is {limit.isoformat()}")


def load(ws: Workspace, *, config_path: Path | None, policy_path: Path | None,
         ignore_repo_waivers: bool, overrides: dict[str, Any]) -> EffectiveConfig:
    """Resolve the configuration for one run.

    With a policy (org audits), the policy is the configuration and the repository may only
    add waivers, which ``ignore_repo_waivers`` disregards.
    """
    if policy_path is not None:
        layers = file_config_layers(policy_path)
        if not ignore_repo_waivers:
            repo_waivers = [w for layer in repo_config_layers(ws) for w in layer.config.waivers]
            if repo_waivers:
                repo_layer = Config(waivers=repo_waivers)
                repo_layer._set_keys = frozenset({"waivers"})
                layers.append(Layer(repo_layer, "repository waivers"))
        return merge(layers, overrides)
    layers = file_config_layers(config_path) if config_path is not None else repo_config_layers(ws)
    return merge(layers, overrides)
