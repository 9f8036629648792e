"""``linter.repo.json5``: JSON5 as its specification (spec.json5.org 1.0.0) defines it, read in
linear time by translating to JSON; anything else is ``ValueError``."""

from __future__ import annotations

import json
import math

import pytest

from linter.repo import json5
from tests.helpers import cpu_seconds

SPEC_EXAMPLE = """// This file is written in JSON5 syntax, naturally, but npm needs a regular
// JSON file, so compile via `npm run build`. Be sure to keep both in sync!

{
  // comments
  unquoted: 'and you can quote me on that',
  singleQuotes: 'I can use "double quotes" here',
  lineBreaks: "Look, Mom! \\
No \\\\n's!",
  hexadecimal: 0xdecaf,
  leadingDecimalPoint: .8675309, andTrailing: 8675309.,
  positiveSign: +1,
  trailingComma: 'in objects', andIn: ['arrays',],
  "backwardsCompatible": "with JSON",
  $dollar_key: 1, _under: 2,
}
"""


def test_the_specifications_example() -> None:
    assert json5.loads(SPEC_EXAMPLE) == {
        "unquoted": "and you can quote me on that", "singleQuotes": 'I can use "double quotes" here',
        "lineBreaks": "Look, Mom! No \\n's!", "hexadecimal": 0xDECAF, "leadingDecimalPoint": 0.8675309,
        "andTrailing": 8675309.0, "positiveSign": 1, "trailingComma": "in objects", "andIn": ["arrays"],
        "backwardsCompatible": "with JSON", "$dollar_key": 1, "_under": 2}


def test_a_renovate_config_with_urls_and_escapes() -> None:
    text = ("{\n  $schema: 'https://docs.renovatebot.com/renovate-schema.json', // a comment after a URL\n"
            "  extends: ['config:recommended', 'github>org/presets//base'],\n"
            "  /* block */ enabledManagers: ['npm', \"dockerfile\",],\n  note: 'it\\'s \\x41\\u0042\\v',\n}\n")
    assert json5.loads(text) == {"$schema": "https://docs.renovatebot.com/renovate-schema.json",
                                 "extends": ["config:recommended", "github>org/presets//base"],
                                 "enabledManagers": ["npm", "dockerfile"], "note": "it's AB\v"}


def test_numbers_and_literals() -> None:
    values = json5.loads("[-0x10, +.5, -5., 1e3, Infinity, -Infinity, NaN, true, false, null, 007]")
    assert values[:4] == [-16, 0.5, -5.0, 1000.0] and values[4] == math.inf and values[5] == -math.inf
    assert math.isnan(values[6]) and values[7:] == [True, False, None, 7]


def test_plain_json_reads_the_same() -> None:
    text = json.dumps({"a": [1, 2.5, "x\ny", {"b": None}], "c": "\u00e9\U0001f600"})
    assert json5.loads(text) == json.loads(text)


@pytest.mark.parametrize("text", [
    "{a: b}",  # a bare name is only a key or a literal
    "{'a' 1}", "[1 2]", "{a: 'unterminated}", "/* never closed", "{a: 1,,}", "[,]", "{a: 'line\nbreak'}",
    "#comment", "{a: undefined}", "", "{a: 1} trailing",
])
def test_what_is_not_json5_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        json5.loads(text)


@pytest.mark.parametrize("text", [
    "[" + "1," * 300_000 + "]",
    "'" + "\\\\" * 400_000 + "'",
    "{" + ",".join(f"k{i}: 'v{i}'" for i in range(60_000)) + "}",
    "{a: '" + "x" * 1_000_000,
    "/*" * 300_000,
    "[" + "'//'," * 100_000 + "]",
])
def test_hostile_texts_take_linear_time(text: str) -> None:
    """The ``json5`` package on PyPI took 22 s of CPU on the first of these."""
    before = cpu_seconds()
    try:
        json5.loads(text)
    except ValueError:
        pass
    assert cpu_seconds() - before < 5


def test_absurd_nesting_is_a_recursion_error_not_a_crash() -> None:
    with pytest.raises(RecursionError):
        json5.loads("[" * 100_000 + "]" * 100_000)
