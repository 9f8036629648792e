"""``linter.fast_dataclass.dataclass`` behaves like ``dataclasses.dataclass`` for every option we use."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linter import fast_dataclass as records


def _pair(**options):
    """The same class body decorated by the standard library and by ``linter.fast_dataclass``."""

    def body():
        class Point:
            path: str
            line: int = 0
            tags: list[str] = dataclasses.field(default_factory=list)
            note: str = dataclasses.field(default="", compare=False)

            def location(self) -> str:
                return f"{self.path}:{self.line}"

        return Point

    return dataclasses.dataclass(**options)(body()), records.dataclass(**options)(body())


@pytest.mark.parametrize("options", [{}, {"frozen": True}, {"frozen": True, "order": True}, {"order": True}])
def test_same_behaviour_as_the_standard_library(options):
    std, ours = _pair(**options)
    a_std, a_ours = std("x", 3, ["t"], "n"), ours("x", 3, ["t"], "n")
    assert repr(a_ours) == repr(a_std).replace(std.__qualname__, ours.__qualname__)
    assert a_ours == ours("x", 3, ["t"], "other note")  # compare=False ignored
    assert a_ours != ours("x", 4, ["t"])
    assert a_ours.__eq__(a_std) is NotImplemented
    assert ours("y").tags == [] and ours("y").tags is not ours("y").tags  # fresh factory each time
    assert ours.line == 0 and not hasattr(ours, "tags")  # class attributes as dataclasses leaves them
    assert [f.name for f in dataclasses.fields(ours)] == [f.name for f in dataclasses.fields(std)]
    assert dataclasses.asdict(a_ours) == dataclasses.asdict(a_std)
    assert dataclasses.replace(a_ours, line=9).line == 9
    assert dataclasses.is_dataclass(ours)
    for param in ("init", "repr", "eq", "order", "unsafe_hash", "frozen"):  # what pydantic reads
        assert getattr(ours.__dataclass_params__, param) == getattr(std.__dataclass_params__, param), param
    assert ours.__match_args__ == std.__match_args__
    assert a_ours.location() == "x:3"
    with pytest.raises(TypeError):
        ours()  # a required field is missing
    if options.get("frozen"):
        with pytest.raises(TypeError):
            hash(ours("x", 1, []))  # a list field is unhashable, as with the standard library
        with pytest.raises(dataclasses.FrozenInstanceError):
            a_ours.line = 5
        with pytest.raises(dataclasses.FrozenInstanceError):
            del a_ours.line
    else:
        assert ours.__hash__ is None  # mutable and comparable: unhashable like the standard one
        a_ours.line = 5
        assert a_ours.line == 5
    if options.get("order"):
        assert ours("a", 2) < ours("b", 1) and ours("a", 2) > ours("a", 1) and ours("a") <= ours("a")
        with pytest.raises(TypeError):
            _ = ours("a") < std("a")


@records.dataclass(frozen=True, order=True)
class Evidence:
    path: str
    line: int = 0
    detail: str = dataclasses.field(default="", compare=False)


def test_frozen_hash_uses_compared_fields_and_copies_and_pickles():
    one, two = Evidence("a", 1, "x"), Evidence("a", 1, "y")
    assert hash(one) == hash(two) and len({one, two}) == 1
    assert sorted([Evidence("b"), Evidence("a", 2), Evidence("a", 1)]) == [Evidence("a", 1), Evidence("a", 2), Evidence("b")]
    assert copy.copy(one) == one and copy.deepcopy(one) == one
    assert pickle.loads(pickle.dumps(one)) == one


def test_inheritance_keeps_base_fields_first():
    @records.dataclass(frozen=True)
    class Base:
        path: str
        line: int = 0

    @records.dataclass(frozen=True)
    class Child(Base):
        extra: str = ""

    child = Child("p", 2, "e")
    assert (child.path, child.line, child.extra) == ("p", 2, "e")
    assert [f.name for f in dataclasses.fields(Child)] == ["path", "line", "extra"]
    assert Base("p") == Base("p") and Base("p").__eq__(Child("p")) is NotImplemented


def test_explicit_methods_in_the_class_body_win():
    @records.dataclass(frozen=True)
    class Custom:
        name: str

        def __repr__(self) -> str:
            return "custom"

        def __eq__(self, other: object) -> bool:
            return True

        __hash__ = object.__hash__

    assert repr(Custom("a")) == "custom" and Custom("a") == 1 and Custom.__hash__ is object.__hash__
    with pytest.raises(TypeError):
        @records.dataclass(order=True)
        class Clash:
            name: str

            def __lt__(self, other: object) -> bool:
                return True


def test_mutable_collector_with_factories():
    @records.dataclass
    class Collector:
        counts: Counter = dataclasses.field(default_factory=Counter)
        items: list[int] = dataclasses.field(default_factory=list)

    first, second = Collector(), Collector()
    first.items.append(1)
    first.counts["a"] += 1
    assert second.items == [] and second.counts == Counter()


@given(st.lists(st.tuples(st.text(max_size=5), st.integers(-5, 5)), max_size=20))
def test_ordering_matches_the_standard_library(rows):
    std = dataclasses.dataclass(frozen=True, order=True)(type("Row", (), {"__annotations__": {"path": "str", "line": "int"}}))
    ours = records.dataclass(frozen=True, order=True)(type("Row", (), {"__annotations__": {"path": "str", "line": "int"}}))
    assert [(r.path, r.line) for r in sorted(ours(*row) for row in rows)] == \
        [(r.path, r.line) for r in sorted(std(*row) for row in rows)]
