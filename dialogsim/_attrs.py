"""Converters and validators shared by the frozen attrs classes.

``FrozenDict`` is the read-only mapping the data model uses instead of ``dict``: it is
hashable (frozen attrs classes hash their fields), picklable (worker processes) and, being
a ``dict`` subclass, ``json.dumps`` writes it without a conversion pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

__all__ = ["FrozenDict", "frozen_mapping", "frozen_tuple", "freeze", "optional_str", "optional_int", "probability"]


class FrozenDict(dict):
    """A dict that refuses mutation and can be hashed."""

    __slots__ = ()

    def _readonly(self, *args, **kwargs):
        raise TypeError("FrozenDict is read-only")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _readonly
    __ior__ = _readonly

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))  # like ==, blind to insertion order

    def __repr__(self) -> str:
        return f"FrozenDict({dict.__repr__(self)})"

    def __reduce__(self):
        return (FrozenDict, (dict(self),))


_EMPTY = FrozenDict()


def frozen_mapping(value: Mapping | Iterable | None) -> FrozenDict:
    """Converter: any mapping (or pairs) to a ``FrozenDict``; nested values are kept as given."""
    if type(value) is FrozenDict:
        return value
    if not value:
        return _EMPTY
    return FrozenDict(value)


def frozen_tuple(value: Iterable) -> tuple:
    """Converter: any iterable to a tuple."""
    return value if type(value) is tuple else tuple(value)


optional_str = attrs.validators.optional(attrs.validators.instance_of(str))
optional_int = attrs.validators.optional(attrs.validators.instance_of(int))


def freeze(value: Any) -> Any:
    """Deep-freeze plain JSON/YAML data: dicts to FrozenDict, lists to tuples."""
    if isinstance(value, Mapping):
        return FrozenDict({k: freeze(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(freeze(v) for v in value)
    return value


def _check_probability(instance, attribute, value):
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0.0 <= value <= 1.0:
        raise ValueError(f"{attribute.name} must be a probability between 0 and 1, got {value!r}")


def probability(default: float):
    """A config field holding a probability; ``metadata["probability"]`` lets a config list
    its probability fields (``PROBABILITIES``, CLI overrides)."""
    return attrs.field(default=default, validator=_check_probability, metadata={"probability": True})
