"""``.pre-commit-config.yaml``: which hooks a repository runs before each commit.

Only the ``repos[].hooks[]`` entries are read (``repo`` URL, hook ``id``, ``entry`` of local
hooks, ``stages``); YAML comments are not data, so a commented-out hook never counts. A
top-level ``ci:`` mapping is pre-commit.ci's configuration: the service runs the hooks on
every pull request when the app is installed (the file alone cannot prove it is).
"""

from __future__ import annotations

from linter.fast_dataclass import dataclass

from linter.detectors.ci.model import as_dict, as_list, first_mapping, text_of
from linter.repo.workspace import Workspace
from linter.repo.yamlio import line_of

CONFIG_NAMES = (".pre-commit-config.yaml", ".pre-commit-config.yml")
MAX_REPOS = 500
MAX_HOOKS = 500


@dataclass(frozen=True, order=True)
class Hook:
    path: str
    line: int
    repo: str
    id: str
    entry: str = ""
    manual_only: bool = False

    @property
    def repo_name(self) -> str:
        """``https://github.com/gitleaks/gitleaks.git`` -> ``gitleaks/gitleaks`` (lower case)."""
        name = self.repo.strip().lower().removesuffix("/").removesuffix(".git")
        for prefix in ("https://", "http://", "git@", "ssh://git@"):
            name = name.removeprefix(prefix)
        parts = name.replace(":", "/").split("/")
        return "/".join(parts[-2:]) if len(parts) >= 2 else name


@dataclass(frozen=True)
class PreCommitFacts:
    hooks: tuple[Hook, ...] = ()
    files: tuple[str, ...] = ()
    ci_service: tuple[str, ...] = ()  # files with a pre-commit.ci ``ci:`` section


def detect(ws: Workspace) -> PreCommitFacts:
    """Hooks of every pre-commit config in the repository (root or nested), sorted."""
    paths = ws.by_name(*CONFIG_NAMES)
    hooks: list[Hook] = []
    service: list[str] = []
    for path in paths:
        data = first_mapping(ws, path)
        if data is None:
            continue
        if isinstance(data.get("ci"), dict):
            service.append(path)
        repos = data.get("repos")
        if not isinstance(repos, list):
            ws.note(path, "pre-commit config has no 'repos' list")
            continue
        for repo in repos[:MAX_REPOS]:
            hooks.extend(_hooks_of(path, repo))
    return PreCommitFacts(tuple(sorted(hooks)), tuple(paths), tuple(service))


def _hooks_of(path: str, repo: object) -> list[Hook]:
    body = as_dict(repo)
    url = text_of(body.get("repo")).strip()
    hooks_node = body.get("hooks")
    found: list[Hook] = []
    for index, hook in enumerate(as_list(hooks_node)[:MAX_HOOKS]):
        hook_body = as_dict(hook)
        hook_id = text_of(hook_body.get("id")).strip()
        if not hook_id:
            continue
        stages = [text_of(s).strip() for s in as_list(hook_body.get("stages"))]
        found.append(Hook(path, line_of(hooks_node, index, 0), url, hook_id, text_of(hook_body.get("entry")).strip(),
                          bool(stages) and set(stages) <= {"manual"}))
    return found
