"""Safe, line-aware YAML loading.

Every detector needs to point at the file *and line* that is evidence, so mappings and
sequences are built as ``LineDict``/``LineList``: plain ``dict``/``list`` subclasses that
remember the 1-based line of each key or item. Only the safe loader is ever used (the C
one when libyaml is present), so tags such as ``!!python/object`` are rejected, never
constructed. Alias bombs are refused before construction by measuring the expanded size
of the node graph, and runaway nesting becomes a clean error instead of a RecursionError.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

import yaml

from linter.fast_dataclass import dataclass

try:  # libyaml is several times faster; fall back silently when it is absent.
    _BaseLoader = yaml.CSafeLoader  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _BaseLoader = yaml.SafeLoader  # type: ignore[misc]

#: Upper bound on the number of nodes a document may expand to through aliases.
MAX_EXPANDED_NODES = 200_000
#: Upper bound on nesting depth; real configuration files stay far below it.
MAX_DEPTH = 200


class LineDict(dict):
    """A mapping that remembers where it and each of its keys were written."""

    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        """Line of ``key`` in the source, or the mapping's own line when unknown."""
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A sequence that remembers the line of each item."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        try:
            return self.item_lines[index]
        except IndexError:
            return self.line


#: Tags of plain scalars already resolved (``resolve`` runs PyYAML's implicit-type regular
#: expressions in Python for every scalar; keys and values repeat a lot across manifests).
_PLAIN_SCALAR_TAGS: dict[str, str] = {}
_MAX_REMEMBERED_SCALARS = 50_000


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader whose containers carry line numbers.

    libyaml scans and parses; the document's nodes are composed here, in Python, so they can
    be counted as they are made: a document of more than ``MAX_EXPANDED_NODES`` nodes or
    deeper than ``MAX_DEPTH`` stops loading at that node, and memory stays bounded whatever
    the file's size (libyaml's own composer builds the whole graph before anything can look
    at it). Aliases reuse nodes, so their expansion is checked after (``_check_node_graph``).
    """

    compose_document = yaml.composer.Composer.compose_document
    compose_scalar_node = yaml.composer.Composer.compose_scalar_node
    compose_sequence_node = yaml.composer.Composer.compose_sequence_node
    compose_mapping_node = yaml.composer.Composer.compose_mapping_node
    check_node = yaml.composer.Composer.check_node
    get_node = yaml.composer.Composer.get_node

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.anchors: dict[str, yaml.Node] = {}
        self._composed = 0
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        if parent is None:  # a new document: its own budget
            self._composed = 0
        # YAML 1.2 (section 3.2.2.2): "an alias node refers to the most recent node in the
        # serialization having the specified anchor", so anchors need not be unique. PyYAML
        # refuses a reused anchor and so lost whole files GitLab and others read (a
        # `.gitlab-ci.yml` defining `&rules` on several jobs); forgetting the earlier node
        # lets the new one take the name, and aliases already composed keep the old one.
        if not self.check_event(yaml.AliasEvent):
            anchor = self.peek_event().anchor
            if anchor is not None:
                self.anchors.pop(anchor, None)
        self._composed += 1
        if self._composed > MAX_EXPANDED_NODES:
            raise YamlTooComplex(f"more than {MAX_EXPANDED_NODES} nodes in one document")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise YamlTooComplex(f"nesting deeper than {MAX_DEPTH} levels")
            return yaml.composer.Composer.compose_node(self, parent, index)
        finally:
            self._depth -= 1

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        # A plain scalar's tag depends only on its text for this resolver (it has no path
        # resolvers), so remember it; everything else goes the ordinary way.
        if kind is yaml.ScalarNode and implicit[0] and type(value) is str and len(value) <= 200:
            tag = _PLAIN_SCALAR_TAGS.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(_PLAIN_SCALAR_TAGS) >= _MAX_REMEMBERED_SCALARS:
                    _PLAIN_SCALAR_TAGS.clear()
                _PLAIN_SCALAR_TAGS[value] = tag
            return tag
        return super().resolve(kind, value, implicit)


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            key = str(key)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    children: list[yaml.Node] = []
    for child in node.value:
        children.extend(_merged_sequence(child) or (child,))
    result = LineList(loader.construct_object(child, deep=True) for child in children)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in children]
    return result


def _merged_sequence(child: yaml.Node) -> list[yaml.Node] | None:
    """The items of a list merged into a list, ``- <<: *paths``, as Woodpecker CI's YAML reader
    allows (its "merge sequences" extension); ``None`` for any other item. Only a merge of a
    list that holds something other than mappings, which standard YAML rejects, is spliced:
    a merge of mappings keeps its standard meaning."""
    if not isinstance(child, yaml.MappingNode) or len(child.value) != 1:
        return None
    key, value = child.value[0]
    if key.tag != "tag:yaml.org,2002:merge" or not isinstance(value, yaml.SequenceNode):
        return None
    if all(isinstance(item, yaml.MappingNode) for item in value.value):
        return None
    return list(value.value)


def _construct_timestamp_as_text(loader: _LineLoader, node: yaml.ScalarNode) -> str:
    """Keep dates (and YAML 1.1's ``=``) as the text the author wrote; detectors parse what they need."""
    return str(node.value)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)
# YAML 1.1's "value" type: PyYAML resolves a plain ``=`` to it and the safe loader has no
# constructor, which failed whole documents (a CRD whose enum lists ``=``, an operator list)
_LineLoader.add_constructor("tag:yaml.org,2002:value", _construct_timestamp_as_text)
# Tags outside the YAML core schema (e.g. CloudFormation's !Ref, GitLab's !reference) are
# read as their plain value rather than failing the whole document.
_LineLoader.add_multi_constructor("!", lambda loader, suffix, node: _construct_unknown(loader, node))


def _construct_unknown(loader: _LineLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return _construct_mapping(loader, node)
    if isinstance(node, yaml.SequenceNode):
        return _construct_sequence(loader, node)
    return str(node.value)


@dataclass(frozen=True)
class YamlDocument:
    """One document of a (possibly multi-document) YAML file."""

    index: int
    line: int
    data: Any


@dataclass(frozen=True)
class YamlFile:
    """Every document of a file that parsed, and a reason for each part that did not."""

    documents: tuple[YamlDocument, ...]
    errors: tuple[str, ...] = ()


class YamlTooComplex(ValueError):
    """Raised when a document is too deep or expands too far through aliases."""


def _check_node_graph(node: yaml.Node) -> None:
    """Refuse alias bombs and deep nesting in linear time over distinct nodes."""
    sizes: dict[int, int] = {}
    # Iterative post-order walk; aliases share node objects, so memoise by identity.
    stack: list[tuple[yaml.Node, int, bool]] = [(node, 1, False)]
    while stack:
        current, depth, expanded = stack.pop()
        if depth > MAX_DEPTH:
            raise YamlTooComplex(f"nesting deeper than {MAX_DEPTH} levels")
        key = id(current)
        if key in sizes:
            continue
        children: list[yaml.Node]
        if isinstance(current, yaml.MappingNode):
            children = [n for pair in current.value for n in pair]
        elif isinstance(current, yaml.SequenceNode):
            children = list(current.value)
        else:
            sizes[key] = 1
            continue
        if expanded:
            total = 1 + sum(sizes.get(id(child), 1) for child in children)
            if total > MAX_EXPANDED_NODES:
                raise YamlTooComplex("alias expansion too large (possible 'billion laughs' document)")
            sizes[key] = total
            continue
        stack.append((current, depth, True))
        for child in children:
            if id(child) not in sizes:
                stack.append((child, depth + 1, False))


_DOCUMENT_START = re.compile(r"^---(?=[ \t]|$)", re.MULTILINE)


def load_yaml(text: str) -> YamlFile:
    """Parse every document of ``text``; a broken document does not hide the others.

    Never raises: problems are returned as human-readable strings in ``errors``. When the
    stream has a syntax error, the text is split at its ``---`` document markers and each
    document is parsed on its own, so documents after the broken one still count.
    """
    documents, errors, stream_broken = _load_stream(text)
    if stream_broken and _DOCUMENT_START.search(text):
        documents, errors = _load_documents_separately(text)
    return YamlFile(documents=tuple(documents), errors=tuple(errors))


def _load_documents_separately(text: str) -> tuple[list[YamlDocument], list[str]]:
    starts = [0] + [m.start() for m in _DOCUMENT_START.finditer(text) if m.start() > 0]
    documents: list[YamlDocument] = []
    errors: list[str] = []
    for number, (begin, finish) in enumerate(zip(starts, [*starts[1:], len(text)])):
        chunk = text[begin:finish]
        offset = text.count("\n", 0, begin)
        # pad with newlines so marks (and so evidence lines) match the whole file
        docs, errs, _ = _load_stream("\n" * offset + chunk, first_index=len(documents))
        if docs or not chunk.strip(" \t\n-"):
            documents.extend(docs)
        errors.extend(f"document {number + 1}: {e}" if not e.startswith("document") else e for e in errs)
    return documents, errors


def _load_stream(text: str, first_index: int = 0) -> tuple[list[YamlDocument], list[str], bool]:
    """Documents of one stream, the errors met, and whether the stream itself broke."""
    documents: list[YamlDocument] = []
    errors: list[str] = []
    broken = False
    loader = _LineLoader(text)
    index = first_index
    aliases = "*" in text  # without one, the nodes form a tree, counted while composing
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:  # pragma: no cover - defensive, check_node said there was one
                break
            line = node.start_mark.line + 1
            try:
                if aliases:
                    _check_node_graph(node)
                data = loader.construct_document(node)
            except YamlTooComplex as exc:
                errors.append(f"document {index + 1} (line {line}): {exc}")
            except RecursionError:
                errors.append(f"document {index + 1} (line {line}): nesting too deep")
            except yaml.YAMLError as exc:
                errors.append(f"document {index + 1} (line {line}): {_one_line(exc)}")
            except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError) as exc:
                # PyYAML's core-tag constructors raise these for impossible values (`!!int x`)
                errors.append(f"document {index + 1} (line {line}): cannot build a value: {_one_line(exc)}")
            else:
                documents.append(YamlDocument(index=index, line=line, data=data))
            index += 1
    except YamlTooComplex as exc:  # raised while composing: the stream stops here, as on a syntax error
        errors.append(f"document {index + 1}: {exc}")
        broken = True
    except yaml.YAMLError as exc:
        errors.append(f"invalid YAML: {_one_line(exc)}")
        broken = True
    except RecursionError:
        errors.append("invalid YAML: nesting too deep")
        broken = True
    finally:
        loader.dispose()
    return documents, errors, broken


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text.replace(' in "<unicode string>",', "")


def line_of(container: Any, key: Any, default: int = 0) -> int:
    """Line of ``key`` in a ``LineDict``/``LineList``; ``default`` for plain values."""
    if isinstance(container, (LineDict, LineList)):
        return container.line_of(key)
    return default


def line(container: Any, default: int = 0) -> int:
    """The line a container starts on, or ``default``."""
    return getattr(container, "line", default) or default


def walk_strings(value: Any, limit: int = 100_000) -> Iterator[tuple[str, int]]:
    """Yield every string scalar under ``value`` with the best line known for it.

    Bounded by ``limit`` items so a pathological document cannot stall a detector.
    """
    stack: list[tuple[Any, int]] = [(value, line(value))]
    seen = 0
    while stack and seen < limit:
        current, current_line = stack.pop()
        seen += 1
        if isinstance(current, str):
            yield current, current_line
        elif isinstance(current, dict):
            for key, child in current.items():
                stack.append((child, line_of(current, key, current_line)))
        elif isinstance(current, list):
            for i, child in enumerate(current):
                stack.append((child, line_of(current, i, current_line)))
