"""A YAML reader that remembers where every value came from.

PyYAML's ``safe_load`` returns plain values with no line numbers, silently keeps the last
of two duplicate keys and turns ``yes`` or ``1.50`` into a bool or a float. The loader needs
the opposite: every error must name the line and the field path, a duplicate key is an
error, and text fields keep the characters the author typed. So we compose the YAML into
nodes (which carry marks) and read them through ``Node``, a small view that knows its field
path (``apis.BookFlight.args.seats``) and raises ``ScenarioError`` pointing at itself.
"""

from __future__ import annotations

import difflib
from typing import Any, Iterable

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from dialogsim.errors import ScenarioError

__all__ = ["Node", "compose", "suggest"]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is ~10x faster; marks are the same
_MERGE = "tag:yaml.org,2002:merge"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
# A scenario nests some eight levels; far deeper is a mistake, and would overflow the
# recursion of whatever reads it (PyYAML's constructor, ``freeze``, the merge of '<<' keys).
_MAX_DEPTH = 100
# Nodes that aliases and merge keys may add to what the text writes: enough to share any
# real catalogue a few times over, far too few for a "billion laughs" to slow the loader.
MAX_ALIAS_NODES = 200_000
# What the YAML core schema resolves untagged values to (plus '<<'); a tag outside it was
# written by hand, and the loader would silently read its value as plain text.
_PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in
                        ("str", "int", "float", "bool", "null", "seq", "map", "merge", "timestamp"))


def compose(text: str, path: str) -> "Node":
    """Parse ``text`` into a root ``Node``; malformed YAML becomes a located ``ScenarioError``."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or exc.context or "malformed YAML"
        if exc.context and exc.problem:
            context_line = f" at line {exc.context_mark.line + 1}" if exc.context_mark is not None else ""
            message = f"{exc.problem} ({exc.context}{context_line})"
        raise ScenarioError(path, None if mark is None else mark.line + 1, "", f"malformed YAML: {message}") from None
    except yaml.reader.ReaderError as exc:  # a control character: no mark, but a position
        line = text.count("\n", 0, exc.position) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise ScenarioError(path, line, "", f"malformed YAML: character #x{code:04x}: {exc.reason}") from None
    except yaml.YAMLError as exc:
        raise ScenarioError(path, None, "", f"malformed YAML: {exc}") from None
    except UnicodeEncodeError as exc:  # libyaml reads UTF-8: a lone surrogate (text decoded with surrogateescape)
        raise ScenarioError(path, text.count("\n", 0, exc.start) + 1, "", "not UTF-8 text") from None
    if root is None:
        raise ScenarioError(path, 1, "", "the file is empty; a scenario is a YAML mapping (name, types, apis, samples)")
    _check_structure(root, path)
    return Node(root, "", path)


def _check_structure(root: yaml.Node, path: str) -> None:
    """Refuse up front what would otherwise end, much later, in a ``RecursionError``, a
    long hang or a silent surprise: an alias inside its own anchor (``a: &x [*x]``), absurd
    nesting, aliases and merge keys (``<<: [*a, *b]``) that expand to far more nodes than
    the file holds, and tags (``!!python/object``, ``!foo``) that plain YAML does not have.
    Iterative, and each shared (aliased) node is walked once, so an alias bomb costs no more
    than its text: its expanded size is counted, never built."""
    _check_tag(root, path)
    done: set[int] = set()
    on_path: set[int] = {id(root)}
    sizes: dict[int, int] = {}  # node -> nodes it stands for, aliases expanded
    written = 1  # nodes as the text writes them, an alias counting as one
    stack = [(root, _children(root))]
    while stack:
        node, children = stack[-1]
        child = next(children, None)
        if child is not None:
            written += 1
            _check_tag(child, path)
        if child is None:
            stack.pop()
            on_path.discard(id(node))
            done.add(id(node))
            sizes[id(node)] = 1 + sum(sizes.get(id(c), 1) for c in _children(node))
        elif id(child) in on_path:
            raise ScenarioError(path, child.start_mark.line + 1, "",
                                "an alias refers to the anchor that contains it (a structure that contains itself)")
        elif id(child) not in done and not isinstance(child, yaml.ScalarNode):
            if len(stack) >= _MAX_DEPTH:
                raise ScenarioError(path, child.start_mark.line + 1, "", f"nested more than {_MAX_DEPTH} levels deep")
            on_path.add(id(child))
            stack.append((child, _children(child)))
    extra = sizes.get(id(root), 1) - written
    if extra > MAX_ALIAS_NODES:
        raise ScenarioError(path, None, "", f"aliases and merge keys expand to {extra:,} nodes more than the file "
                                            f"writes (at most {MAX_ALIAS_NODES:,}): write the values out, or "
                                            "share less")


def _check_tag(node: yaml.Node, path: str) -> None:
    if node.tag not in _PLAIN_TAGS:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        raise ScenarioError(path, node.start_mark.line + 1, "",
                            f"unsupported YAML tag {tag!r}: a scenario is plain YAML (text, numbers, "
                            "true/false, lists and mappings), and tags are never executed")


def _children(node: yaml.Node):
    if isinstance(node, yaml.MappingNode):
        return (child for pair in node.value for child in pair)
    return iter(node.value) if isinstance(node, yaml.SequenceNode) else iter(())


def suggest(word: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the choice closest to a misspelt ``word``, else ``""``."""
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def _join(parent: str, key: str) -> str:
    return f"{parent}.{key}" if parent else key


class Node:
    """One YAML node, its field path and the line of the key that named it.

    ``line`` is where the value starts; ``key_line`` where its key is (the same for a
    sequence item), which is where errors about the entry as a whole point.
    """

    __slots__ = ("node", "path", "file", "key_line")

    def __init__(self, node: yaml.Node, path: str, file: str, key_line: int | None = None) -> None:
        self.node = node
        self.path = path
        self.file = file
        self.key_line = self.line if key_line is None else key_line

    @property
    def line(self) -> int:
        return self.node.start_mark.line + 1

    # -- errors -----------------------------------------------------------------------

    def error(self, message: str, *, at_key: bool = False, field: str | None = None) -> ScenarioError:
        """A ``ScenarioError`` at this node (``at_key``: at its key's line)."""
        return ScenarioError(self.file, self.key_line if at_key else self.line,
                             self.path if field is None else field, message)

    # -- shapes -----------------------------------------------------------------------

    @property
    def is_null(self) -> bool:
        return isinstance(self.node, yaml.ScalarNode) and self.node.tag == _NULL

    @property
    def is_scalar(self) -> bool:
        return isinstance(self.node, yaml.ScalarNode) and not self.is_null

    @property
    def is_mapping(self) -> bool:
        return isinstance(self.node, yaml.MappingNode)

    @property
    def is_sequence(self) -> bool:
        return isinstance(self.node, yaml.SequenceNode)

    def _kind(self) -> str:
        if self.is_null:
            return "nothing"
        if self.is_mapping:
            return "a mapping"
        if self.is_sequence:
            return "a list"
        return repr(self.node.value)

    def mapping(self, what: str = "a mapping", *, required: Iterable[str] = (),
                allowed: Iterable[str] | None = None) -> dict[str, "Node"]:
        """The entries of a mapping, in file order. Duplicate keys, keys outside ``allowed``
        (when given) and missing ``required`` keys are errors."""
        if not self.is_mapping:
            raise self.error(f"expected {what}, got {self._kind()}")
        entries: dict[str, Node] = {}
        merged: dict[str, Node] = {}
        for key_node, value_node in self.node.value:
            if key_node.tag == _MERGE:
                for name, child in self._merged(key_node, value_node).items():
                    merged.setdefault(name, child)
                continue
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                raise ScenarioError(self.file, key_line, self.path, "a key must be a plain name, not a list or mapping")
            key = key_node.value
            path = _join(self.path, key)
            if key in entries:
                raise ScenarioError(self.file, key_line, path,
                                    f"duplicate key {key!r} (first on line {entries[key].key_line})")
            if allowed is not None and key not in allowed:
                raise ScenarioError(self.file, key_line, path, _unknown_key(key, allowed))
            entries[key] = Node(value_node, path, self.file, key_line)
        for key, child in merged.items():  # explicit keys win over merged ones (YAML merge semantics)
            if key not in entries:
                if allowed is not None and key not in allowed:
                    raise ScenarioError(self.file, child.key_line, child.path, _unknown_key(key, allowed))
                entries[key] = child
        for key in required:
            if key not in entries:
                raise ScenarioError(self.file, self.key_line, _join(self.path, key), f"missing required key {key!r}")
        return entries

    def _merged(self, key_node: yaml.Node, value_node: yaml.Node) -> dict[str, "Node"]:
        sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        out: dict[str, Node] = {}
        for source in sources:
            if not isinstance(source, yaml.MappingNode):
                raise ScenarioError(self.file, key_node.start_mark.line + 1, self.path,
                                    "a merge key '<<' needs a mapping or a list of mappings")
            for name, child in Node(source, self.path, self.file).mapping().items():
                out.setdefault(name, child)
        return out

    def sequence(self, what: str = "a list") -> list["Node"]:
        """The items of a list, each with the path ``parent[i]``."""
        if not self.is_sequence:
            raise self.error(f"expected {what}, got {self._kind()}")
        return [Node(item, f"{self.path}[{i}]", self.file) for i, item in enumerate(self.node.value)]

    def items(self) -> list["Node"]:
        """The items of a list, or this node alone: for fields that take one value or a list."""
        return self.sequence() if self.is_sequence else [self]

    # -- scalars ----------------------------------------------------------------------

    def text(self, what: str = "text") -> str:
        """A scalar exactly as written (``1`` stays ``"1"``, ``yes`` stays ``"yes"``)."""
        if not self.is_scalar:
            raise self.error(f"expected {what}, got {self._kind()}")
        return self.node.value

    def texts(self, what: str = "text") -> list[tuple["Node", str]]:
        """One string or a list of strings, none empty, each with its node (for an error
        about that one string)."""
        items = self.items()
        if not items:
            raise self.error(f"expected {what}, got an empty list")
        out = []
        for item in items:
            value = item.text(what)
            if not value.strip():
                raise item.error(f"{what} must not be empty")
            out.append((item, value))
        return out

    def flag(self) -> bool:
        if not (isinstance(self.node, yaml.ScalarNode) and self.node.tag == _BOOL):
            raise self.error(f"expected true or false, got {self._kind()}")
        return self.plain()

    def plain(self) -> Any:
        """The value as ``yaml.safe_load`` would build it (numbers, bools, lists, dicts)."""
        try:
            return SafeConstructor().construct_document(self.node)
        except ConstructorError as exc:
            raise self.error(f"cannot read this value: {exc.problem}") from None


def _unknown_key(key: str, allowed: Iterable[str]) -> str:
    allowed = list(allowed)
    hint = suggest(key, allowed) or f" (expected one of: {', '.join(allowed)})"
    return f"unknown key {key!r}{hint}"
