import pytest

import tinyjson


def test_loads() -> None:
    assert tinyjson.loads("[1, 2]") == [1, 2]


def test_error_says_where() -> None:
    with pytest.raises(tinyjson.Error, match="line 1"):
        tinyjson.loads("[1,")
