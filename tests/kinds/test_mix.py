"""Elixir Mix projects: ``project``'s keys (``escript``, ``package``, ``releases``) and a web
server among ``deps``, read by a tokenizer (never run). Positives, near misses (keys in
comments, strings and other functions), hostile files."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.detectors.kinds import mix
from tests.kinds.test_inference import kind_of

PHOENIX = '''defmodule Shop.MixProject do
  use Mix.Project

  def project do
    [
      app: :shop,
      version: "0.1.0",
      elixirc_paths: elixirc_paths(Mix.env()),
      start_permanent: Mix.env() == :prod,
      aliases: aliases(),
      deps: deps()
    ]
  end

  def application do
    [mod: {Shop.Application, []}, extra_applications: [:logger, :runtime_tools]]
  end

  defp elixirc_paths(:test), do: ["lib", "test/support"]
  defp elixirc_paths(_), do: ["lib"]

  defp deps do
    [
      {:phoenix, "~> 1.7.14"},
      {:phoenix_ecto, "~> 4.5"},
      {:bandit, "~> 1.5"}
    ]
  end
end
'''
LIBRARY = '''defmodule Jason.Mixfile do
  use Mix.Project
  @version "1.4.4"

  def project() do
    [
      app: :jason,
      version: @version,
      deps: deps(),
      # releases: [jason: []] is not for libraries
      description: """
      A blazing fast JSON parser and generator. releases: nothing
      """,
      package: package()
    ]
  end

  defp deps(), do: [{:decimal, "~> 1.0 or ~> 2.0", optional: true}, {:plug_cowboy, "~> 2.0", only: :test}]

  defp package() do
    [maintainers: ["x"], licenses: ["Apache-2.0"]]
  end
end
'''


def project(keys: str, deps: str = "[]") -> dict[str, str]:
    return {"mix.exs": f"defmodule X.MixProject do\n  use Mix.Project\n  def project do\n    [{keys}]\n  end\n"
                       f"  defp deps do\n    {deps}\n  end\nend\n"}


@pytest.mark.parametrize(("files", "kind"), [
    ({"mix.exs": PHOENIX}, "service"),  # mix phx.new: no releases key, a web server among deps
    (project("app: :hexpm, releases: releases()"), "service"),
    (project("app: :cli, escript: [main_module: Cli], package: package()"), "tool"),
    ({"mix.exs": LIBRARY}, "library"),  # a web server only for tests does not make it one
    (project("app: :lib, package: [licenses: [~s(MIT)]]", "[{:phoenix, \"~> 1.7\"}]"), "library"),
    # near misses: keys in a comment, a string, a sigil, a nested list, another function
    (project("app: :x, # releases: []\n deps: deps()"), "unknown"),
    (project("app: :x, description: \"escript: no\", d: ~S(package: x)"), "unknown"),
    (project("app: :x, docs: [releases: [], package: []]"), "unknown"),
    ({"mix.exs": "defmodule X do\n  def other do\n    [releases: []]\n  end\nend\n"}, "unknown"),
    (project("app: :x, deps: deps()", "[{:plug, \"~> 1.0\"}]"), "unknown"),
    # an umbrella's root says nothing (its apps/*/mix.exs do)
    (project("apps_path: \"apps\", releases: [all: []]"), "unknown"),
    # hostile: unterminated strings, heredocs and sigils, brackets that never close, no `end`
    ({"mix.exs": "def project do\n  [app: \"x, releases: ["}, "unknown"),
    ({"mix.exs": "def project do\n  [description: \"\"\"\n releases: x\n"}, "unknown"),
    ({"mix.exs": "def project do\n  [d: ~w(a b, releases: x\n"}, "unknown"),
    ({"mix.exs": "def project do\n" + "[" * 5000}, "unknown"),
    ({"mix.exs": "def project, do: releases()\ndefp deps, do: [{:phoenix}]\n"}, "unknown"),
    ({"mix.exs": "\x00\xff def project do [releases: x] end"}, "unknown"),  # binary: not read
])
def test_mix_projects(tmp_path: Path, files: dict[str, str], kind: str) -> None:
    assert kind_of(tmp_path, files)[0] == kind


def test_project_keys_and_lines() -> None:
    found = list(mix.tokens(PHOENIX))
    assert list(mix.project_keys(found)) == ["app", "version", "elixirc_paths", "start_permanent", "aliases", "deps"]
    assert mix.dependencies(found) == {"phoenix": 24, "phoenix_ecto": 25, "bandit": 26}


def test_a_published_package_outranks_nothing_deployed(tmp_path: Path) -> None:
    """A release beside a Dockerfile that only builds it: the release is the evidence."""
    files = {**project("app: :hexpm, releases: releases()"),
             "Dockerfile": "FROM elixir AS build\nCOPY . .\nRUN mix release\nFROM debian\nCOPY --from=build /app .\n"}
    kind, evidence = kind_of(tmp_path, files)
    assert (kind, evidence) == ("service", ["mix.exs"])
