"""``dataclass`` for the hot import path, at a fraction of the standard library's class cost.

Why: on Python 3.11 ``dataclasses.dataclass`` compiles every generated method with its own
``exec``, so defining a frozen, ordered class is costly. The detectors, checks and result model
define about 150 such classes, so every ``practicelint check`` paid for it
before looking at a single file, a quarter of a whole run on a small repository.

This decorator takes the same arguments that practicelint uses (``frozen``, ``order``,
``eq``, ``repr``) and the standard ``dataclasses.field`` options (``default``,
``default_factory``, ``compare``, ``hash``, ``repr``), and gives the same behaviour:

* ``__eq__``, ``__hash__`` and ordering compare the fields' values through one shared
  ``operator.attrgetter`` per class (C code; no per-class compilation);
* frozen instances refuse ``setattr``/``delattr`` with ``dataclasses.FrozenInstanceError``;
* ``__init__`` is generated like the standard one, but only when the class is first
  instantiated, so classes a run never builds cost nothing;
* ``dataclasses.fields``, ``asdict``, ``replace`` and ``is_dataclass`` work, because the
  class carries standard ``dataclasses.Field`` objects in ``__dataclass_fields__``; pydantic
  validates such a class as it does a standard dataclass (``__dataclass_params__`` says
  frozen, ordered and so on), which the catalog's model relies on.

``tests/test_records.py`` pins the equivalence with the standard decorator.
"""

from __future__ import annotations

import dataclasses
import operator
from dataclasses import MISSING, Field, FrozenInstanceError, field
from typing import Any, Callable, TypeVar

__all__ = ["dataclass", "field"]

C = TypeVar("C", bound=type)
_FIELD_MARK = dataclasses._FIELD  # type: ignore[attr-defined]  # what dataclasses.fields() filters on


def dataclass(cls: C | None = None, /, *, frozen: bool = False, order: bool = False, eq: bool = True,
              repr: bool = True) -> Any:  # noqa: A002 - the standard library's parameter name
    """Drop-in for ``dataclasses.dataclass`` with the options above (see the module docstring)."""

    def wrap(klass: C) -> C:
        return _process(klass, frozen=frozen, order=order, eq=eq, want_repr=repr)

    return wrap if cls is None else wrap(cls)


def _own_fields(cls: type) -> list[Field[Any]]:
    fields = []
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")
        if text.startswith(("ClassVar", "typing.ClassVar")):
            continue
        default = cls.__dict__.get(name, MISSING)
        spec = default if isinstance(default, Field) else field(default=default)
        spec.name = name
        spec.type = annotation
        spec._field_type = _FIELD_MARK  # type: ignore[attr-defined]
        fields.append(spec)
        if spec.default is not MISSING:
            setattr(cls, name, spec.default)
        elif name in cls.__dict__:  # a default_factory field: no class attribute, as in dataclasses
            delattr(cls, name)
    return fields


def _process(cls: C, *, frozen: bool, order: bool, eq: bool, want_repr: bool) -> C:
    inherited: dict[str, Field[Any]] = {}
    for base in reversed(cls.__mro__[1:]):
        inherited.update(getattr(base, "__dataclass_fields__", {}))
    all_fields = {**inherited, **{f.name: f for f in _own_fields(cls)}}
    fields = list(all_fields.values())
    class_hash = cls.__dict__.get("__hash__", MISSING)
    explicit_hash = not (class_hash is MISSING or (class_hash is None and "__eq__" in cls.__dict__))
    cls.__dataclass_fields__ = all_fields  # type: ignore[attr-defined]
    # what pydantic (and ``dataclasses`` helpers) read of a dataclass besides its fields
    cls.__dataclass_params__ = dataclasses._DataclassParams(  # type: ignore[attr-defined]
        True, want_repr, eq, order, False, frozen)
    _set_new(cls, "__match_args__", tuple(f.name for f in fields if f.init))
    _set_new(cls, "__init__", _lazy_init(cls, fields, frozen))
    if want_repr:
        _set_new(cls, "__repr__", _make_repr(tuple(f.name for f in fields if f.repr)))
    compared = _getter(tuple(f.name for f in fields if f.compare))
    if eq:
        _set_new(cls, "__eq__", _make_eq(compared))
        if not explicit_hash:
            if frozen:
                hashed = _getter(tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash)))
                cls.__hash__ = lambda self: hash(hashed(self))  # type: ignore[assignment]
            else:
                cls.__hash__ = None  # type: ignore[assignment]  # mutable and comparable: unhashable
    if order:
        for name, op in (("__lt__", operator.lt), ("__le__", operator.le),
                         ("__gt__", operator.gt), ("__ge__", operator.ge)):
            if name in cls.__dict__:
                raise TypeError(f"cannot overwrite attribute {name} in class {cls.__name__}")
            setattr(cls, name, _make_order(compared, op))
    if frozen:
        cls.__setattr__ = _frozen_setattr  # type: ignore[assignment]
        cls.__delattr__ = _frozen_delattr  # type: ignore[assignment]
    return cls


def _set_new(cls: type, name: str, value: Any) -> None:
    """Add a generated attribute unless the class body defines its own (as dataclasses does)."""
    if name not in cls.__dict__:
        setattr(cls, name, value)


def _getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The compared values of an instance as a tuple (attrgetter is C; one name needs wrapping)."""
    if not names:
        return lambda self: ()
    if len(names) == 1:
        single = operator.attrgetter(names[0])
        return lambda self: (single(self),)
    return operator.attrgetter(*names)


def _make_eq(values: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any, Any], Any]:
    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented

    return __eq__


def _make_order(values: Callable[[Any], tuple[Any, ...]], op: Callable[[Any, Any], bool]) -> Callable[[Any, Any], Any]:
    def compare(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return op(values(self), values(other))
        return NotImplemented

    return compare


def _make_repr(names: tuple[str, ...]) -> Callable[[Any], str]:
    def __repr__(self: Any) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{self.__class__.__qualname__}({inner})"

    return __repr__


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _lazy_init(cls: type, fields: list[Field[Any]], frozen: bool) -> Callable[..., None]:
    """An ``__init__`` that compiles the real one on first use and replaces itself."""

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        real = _build_init(cls, fields, frozen)
        type.__setattr__(cls, "__init__", real)
        real(self, *args, **kwargs)

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


_FACTORY = object()  # marks "use the default factory" in generated signatures


def _build_init(cls: type, fields: list[Field[Any]], frozen: bool) -> Callable[..., None]:
    namespace: dict[str, Any] = {"_set": object.__setattr__, "_FACTORY": _FACTORY}
    params: list[str] = []
    body: list[str] = []
    for index, spec in enumerate(fields):
        value = spec.name
        if spec.default_factory is not MISSING:
            namespace[f"_factory{index}"] = spec.default_factory
            if spec.init:
                params.append(f"{spec.name}=_FACTORY")
                value = f"_factory{index}() if {spec.name} is _FACTORY else {spec.name}"
            else:
                value = f"_factory{index}()"
        elif spec.default is not MISSING:
            namespace[f"_default{index}"] = spec.default
            if spec.init:
                params.append(f"{spec.name}=_default{index}")
            else:
                value = f"_default{index}"
        elif spec.init:
            params.append(spec.name)
        else:
            continue
        body.append(f"  _set(self, {spec.name!r}, {value})" if frozen else f"  self.{spec.name} = {value}")
    if hasattr(cls, "__post_init__"):
        body.append("  self.__post_init__()")
    source = f"def __init__(self, {', '.join(params)}):\n" + ("\n".join(body) or "  pass") + "\n"
    exec(source, namespace)  # noqa: S102 - our own field names, as dataclasses itself does
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init  # type: ignore[no-any-return]
