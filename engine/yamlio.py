"""The project's one strict YAML reader: safe tags only, a key written twice is an error, lines kept.

`StrictLoader` serves both kinds of YAML the project reads; what differs is a subclass's settings:

- rule packs, scenarios (`load_text`, `load_path`): YAML 1.2 booleans — only true/false, so keys like
  `on:` and `no:` stay strings; text is NFC; mappings and lists are `LineDict`/`LineList`, which
  remember their lines; the first key written twice raises `DuplicateKeyError`;
- dataset tables (`TextLoader`, read node by node by engine.loading.readers): only `null` is resolved
  implicitly, every other plain scalar stays text for the dataset model to convert (`grade: 01.003` is
  a code, not a float); every key written twice is recorded in `duplicates`, so that all are reported.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, ClassVar

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"


class LineDict(dict[Any, Any]):
    """A mapping that remembers the line it started on and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list[Any]):
    """A YAML list that knows its line and the line of each item."""

    line: int = 0
    item_lines: list[int]


class DuplicateKeyError(yaml.MarkedYAMLError):
    """A mapping gives one key twice."""


def _resolvers(keep: Callable[[str], bool]) -> dict[Any, list[tuple[str, re.Pattern[str]]]]:
    return {
        first: [(tag, regexp) for tag, regexp in resolvers if keep(tag)]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


class StrictLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans and strict mappings; see the module docstring."""

    # True: the first key written twice raises DuplicateKeyError; False: each is recorded in `duplicates`.
    raise_duplicates: ClassVar[bool] = True
    # True: text (keys and values) is NFC-normalised as it is read.
    normalise: ClassVar[bool] = True

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        # (line of the repeated key, key, line of its first occurrence), in reading order.
        self.duplicates: list[tuple[int, object, int]] = []

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        """The mapping as a LineDict; a key written twice is raised or recorded, as the class says.

        Raising stops at the first repeated key in reading order, values included (rule packs).
        Recording checks a mapping's scalar keys before any of its values is read, then builds it as
        SafeLoader does — the last value of a repeated key wins (dataset tables, which report them all).
        """
        if not self.raise_duplicates:
            self._record_duplicates(node, deep)
        if not isinstance(node, MappingNode):
            raise ConstructorError(None, None, f"expected a mapping node, but found {node.id}", node.start_mark)
        self.flatten_mapping(node)
        result = LineDict()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = self._key(key_node, deep)
            if not isinstance(key, Hashable):
                raise ConstructorError("while constructing a mapping", node.start_mark, "found unhashable key",
                                       key_node.start_mark)
            if key in result and self.raise_duplicates:
                raise DuplicateKeyError(
                    "while constructing a mapping", node.start_mark,
                    f"duplicate key {key!r} (first on line {result.key_lines.get(str(key), '?')})",
                    key_node.start_mark,
                )
            result[key] = self.construct_object(value_node, deep=deep)
            result.key_lines[str(key)] = key_node.start_mark.line + 1
        return result

    def _key(self, node: Any, deep: bool) -> Any:
        key = self.construct_object(node, deep=deep)
        return unicodedata.normalize("NFC", key) if self.normalise and isinstance(key, str) else key

    def _record_duplicates(self, node: MappingNode, deep: bool) -> None:
        first_line: dict[object, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, ScalarNode):
                continue  # an unhashable key, reported when the mapping is built
            key = self._key(key_node, deep)
            line = key_node.start_mark.line + 1
            if key in first_line:
                self.duplicates.append((line, key, first_line[key]))
            else:
                first_line[key] = line


StrictLoader.yaml_implicit_resolvers = _resolvers(lambda tag: tag != _BOOL)
StrictLoader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def _mapping(loader: StrictLoader, node: MappingNode) -> dict[Hashable, Any]:
    return loader.construct_mapping(node, deep=True)


def _sequence(loader: StrictLoader, node: SequenceNode) -> LineList:
    result = LineList(loader.construct_sequence(node, deep=True))
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _string(loader: StrictLoader, node: ScalarNode) -> str:
    return unicodedata.normalize("NFC", str(loader.construct_scalar(node)))


def _timestamp(loader: StrictLoader, node: ScalarNode) -> Any:
    """A date; one that does not exist (2025-02-30) is an error at its line, not a bare ValueError."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise ConstructorError(None, None, f"ngày không tồn tại / impossible date {node.value} ({exc})",
                               node.start_mark) from None


StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)
StrictLoader.add_constructor("tag:yaml.org,2002:str", _string)


class AliasRefused(yaml.composer.ComposerError):
    """An alias (`*name`) in a dataset table: refused, so a "billion laughs" cannot expand a few lines into
    gigabytes; the data have no use for them."""


class TextLoader(StrictLoader):
    """The dataset's reading: only null is implicit, text stays as written, every repeated key recorded,
    no alias.

    Mappings and lists are plain dicts and lists (SafeLoader's constructors); the dataset model and
    the loader's cleaning do the rest.
    """

    raise_duplicates = False
    normalise = False

    def compose_node(self, parent: Any, index: Any) -> Any:
        """A node of the document; an alias is refused where it is written (AliasRefused)."""
        if self.check_event(yaml.events.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise AliasRefused(None, None, f"alias *{event.anchor} refused: aliases are not accepted in data"
                               " tables (write each value out)", event.start_mark)
        return super().compose_node(parent, index)


TextLoader.yaml_implicit_resolvers = _resolvers(lambda tag: tag == _NULL)
# A subclass's constructors start as a copy of its parent's: put SafeLoader's own back.
TextLoader.yaml_constructors = {
    **StrictLoader.yaml_constructors,
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG: yaml.SafeLoader.construct_yaml_map,
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG: yaml.SafeLoader.construct_yaml_seq,
    "tag:yaml.org,2002:str": yaml.SafeLoader.construct_yaml_str,
}


def load_text(text: str) -> Any:
    """Parse YAML text; raises yaml.YAMLError (with a mark) on syntax errors and duplicate keys."""
    return yaml.load(text, Loader=StrictLoader)


def load_path(path: Path) -> Any:
    """The YAML file at `path`, with lines (LineDict, LineList)."""
    return load_text(path.read_text(encoding="utf-8-sig"))


def error_line(exc: yaml.YAMLError) -> int | None:
    """The line of a YAML error, if it names one."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + 1 if mark is not None else None


def line_at(data: Any, loc: tuple[int | str, ...]) -> int | None:
    """The line of the deepest node on the pydantic error path `loc` inside `data`."""
    line: int | None = getattr(data, "line", None)
    node = data
    for part in loc:
        if isinstance(node, LineDict) and isinstance(part, str) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            continue
        line = getattr(node, "line", line) if isinstance(node, LineDict | LineList) else line
    return line
