"""Safe YAML mappings that remember the line of each top-level key.

Errors must name the line, and a value is only wrong at the line where it
stands. Timestamps are left as strings so that `dates` parses every date one
way, with its own messages (PyYAML would raise a bare ValueError for 2021-02-30),
and only true/false are booleans (YAML 1.1 would read a title "No" as false).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

import yaml

from generator.errors import DiagnosticError

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_BOOL = "tag:yaml.org,2002:bool"
# YAML 1.2 booleans only: a title such as "Yes" or "No" stays text.
_TRUE_FALSE = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


class _Loader(_Base):  # type: ignore[valid-type,misc]
    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, Any]]]] = {
        first: [(tag, _TRUE_FALSE if tag == _BOOL else regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


def load_mapping(
    text: str, path: Path, first_line: int, error: type[DiagnosticError]
) -> tuple[dict[str, Any], dict[str, int]]:
    """Parse `text`, which starts at `first_line` of `path`; return the mapping and its key lines."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
    except yaml.MarkedYAMLError as failure:
        raise error(path, *_describe(failure, first_line)) from None
    except yaml.YAMLError as failure:
        raise error(path, first_line, f"front matter is not valid YAML: {failure}") from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        kind = type(data).__name__
        raise error(path, first_line, f"front matter must be a mapping of keys to values, not a {kind}")
    lines = (
        {str(key.value): first_line + key.start_mark.line for key, _ in node.value if isinstance(key, yaml.ScalarNode)}
        if isinstance(node, yaml.MappingNode)
        else {}
    )
    mapping = {str(key): value for key, value in data.items()}
    for key, value in mapping.items():
        odd = _not_plain(value)
        if odd:
            raise error(path, lines.get(key, first_line), f"'{key}' holds {odd}; {_PLAIN_KINDS} are accepted")
    return mapping, lines


_PLAIN_KINDS = "only text, numbers, true/false, dates, lists and mappings"


def _not_plain(value: Any) -> str | None:
    """What in `value` is none of the plain kinds (a `!!set` would be published as Python's repr of
    it, in an order that changes from run to run), or None."""
    if value is None or isinstance(value, (str, int, float)):  # bool is an int
        return None
    if isinstance(value, (list, dict)):
        items = [*value, *value.values()] if isinstance(value, dict) else value
        return next(filter(None, map(_not_plain, items)), None)
    names: dict[type, str] = {set: "a set (!!set)", bytes: "binary data (!!binary)", tuple: "ordered pairs (!!omap)"}
    return names.get(type(value), f"a {type(value).__name__}")


# What PyYAML says, in the words of someone who wrote the file.
_PLAIN = {
    "found a tab character": "a tab character at column {column}: indent with spaces",
    "found character '\\t' that cannot start any token": "a tab character at column {column}: indent with spaces",
    "mapping values are not allowed here": "a ':' at column {column} where a value was expected: "
    "put a value with ': ' in quotes",
}


def _describe(failure: yaml.MarkedYAMLError, first_line: int) -> tuple[int, str]:
    """The failing line, with where the broken construct began when that was elsewhere."""
    mark = failure.problem_mark or failure.context_mark
    line = first_line + (mark.line if mark else 0)
    said = failure.problem or failure.context or ""
    plain = next((words for found, words in _PLAIN.items() if found in said), None)
    if plain and mark:
        return line, f"front matter is not valid YAML: {plain.format(column=mark.column + 1)}"
    message = f"front matter is not valid YAML: {said}"
    context = failure.context_mark
    if failure.context and context and first_line + context.line != line:
        message += f" ({failure.context} that starts on line {first_line + context.line})"
    return line, message
