"""How SGD names and annotations map onto dialogsim's: one place for both directions.

``import-sgd`` (``sgd_schema``), ``convert-sgd`` (``sgd_dialogues``) and ``export --format
sgd`` (``export_sgd``) must agree on every name -- the type of a slot, the API of an
intent, the output of an API, which dialogsim act an SGD act is -- or the round trip
SGD -> scenario -> corpus -> SGD -> corpus would not give the same labels. The rules:

- an SGD slot ``restaurant_name`` is the dialogsim slot of the same name, of the catalogue
  type ``RestaurantName``; an intent ``FindRestaurants`` is the API of the same name,
  whose one output ``find_restaurants`` is an entity of type ``FindRestaurantsResult``
  with the intent's ``result_slots`` as fields;
- ``locate_values`` finds each value a frame's ``INFORM`` / ``CONFIRM`` / ``OFFER`` actions
  carry in the utterance: the frame's span for a non-categorical slot, else the first
  whole-word, case-blind match of the spoken value or of its words (``four`` for ``4``:
  SGD gives no spans for categorical slots). A value it cannot find is reported, never
  guessed.
"""

from __future__ import annotations

import re
from typing import Any, Mapping, NamedTuple

from dialogsim.dialogue import Act
from dialogsim.spoken import spoken_value

__all__ = ["DONTCARE", "slot_name", "api_name", "type_name", "result_type", "output_name",
           "USER_ACT", "user_act", "Located", "locate_values", "scenario_name", "SGD_BOOLEAN", "is_boolean",
           "boolean_value"]

DONTCARE = "dontcare"  # SGD's value for "any", in states, actions and optional defaults
SGD_BOOLEAN = frozenset(("True", "False"))  # a categorical slot of these two values is a yes/no slot


def is_boolean(slot: Any) -> bool:
    """An SGD slot (``SgdSlot``) that is a yes/no slot: dialogsim's built-in ``Boolean``."""
    return bool(slot.categorical) and set(slot.possible_values) == SGD_BOOLEAN


def boolean_value(value: str) -> str:
    """SGD's "True" / "False" as dialogsim's canonical "true" / "false"; other values as they are."""
    return value.lower() if value in SGD_BOOLEAN else value

# SGD user act -> dialogsim act (``user_act`` reads SELECT); INFORM is a span (or dont_care),
# REQUEST_ALTS has no counterpart.
USER_ACT: Mapping[str, Act] = {
    "INFORM_INTENT": Act.INVOKE,
    "AFFIRM": Act.AFFIRM,
    "AFFIRM_INTENT": Act.AFFIRM,
    "NEGATE": Act.DENY,
    "NEGATE_INTENT": Act.DENY,
    "SELECT": Act.SELECT,
    "REQUEST": Act.REQUEST,
    "THANK_YOU": Act.THANK,
    "GOODBYE": Act.GOODBYE,
}


def user_act(act: str, values: list[str]) -> Act | None:
    """The dialogsim act of an SGD user act, None for one with no counterpart. SGD's SELECT
    takes the item the system offered, and an SGD service's result is that one entity
    here (``convert_sgd``, ``import_sgd``): taking it is agreeing to it, ``affirm`` -- a
    ``select`` picks from a list. A SELECT with an item number is a dialogsim export's
    pick from a list, and stays ``select``."""
    if act == "SELECT" and not (values and values[0].isdigit()):
        return Act.AFFIRM
    return USER_ACT.get(act)


def _clean(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", name)


def scenario_name(service: str) -> str:
    """``Restaurants_2`` -> ``restaurants_2``."""
    name = _clean(service).lower().strip("_") or "sgd"
    return name if name[0].isalpha() else f"sgd_{name}"


def slot_name(slot: str) -> str:
    """The dialogsim slot of an SGD slot: the same name when it is valid (SGD's always are)."""
    name = _clean(slot).lower()
    return name if name[:1].isalpha() else f"s_{name}"


def api_name(intent: str) -> str:
    name = _clean(intent)
    return name[0].upper() + name[1:] if name[:1].isalpha() else f"I{name}"


def type_name(slot: str) -> str:
    """``restaurant_name`` -> ``RestaurantName``."""
    return "".join(part[:1].upper() + part[1:] for part in slot_name(slot).split("_") if part) or "Slot"


def result_type(intent: str) -> str:
    return f"{api_name(intent)}Result"


def output_name(intent: str) -> str:
    """``FindRestaurants`` -> ``find_restaurants``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", api_name(intent)).lower()


class Located(NamedTuple):
    """A value of slot ``slot`` said at ``utterance[start:end]``; ``canonical`` is its
    service form (``11:30`` for "half past 11 in the morning")."""

    start: int
    end: int
    slot: str
    canonical: str


def _find(utterance: str, surface: str, taken: list[tuple[int, int]]) -> tuple[int, int] | None:
    if not surface.strip():
        return None
    pattern = re.compile(r"(?<!\w)" + re.escape(surface) + r"(?!\w)", re.IGNORECASE)
    for match in pattern.finditer(utterance):
        if not any(match.start() < e and s < match.end() for s, e in taken):
            return match.start(), match.end()
    return None


def locate_values(utterance: str, frame: Mapping, acts: tuple[str, ...] = ("INFORM",)
                  ) -> tuple[list[Located], list[tuple[str, str]]]:
    """The values the frame's ``acts`` actions carry, located in the utterance, in text
    order, and the (slot, value) pairs that could not be found. ``dontcare`` values are
    not words of the utterance and are left to the caller."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for span in frame.get("slots") or ():
        spans.setdefault(span["slot"], []).append((span["start"], span["exclusive_end"]))
    found: list[Located] = []
    missing: list[tuple[str, str]] = []
    taken: list[tuple[int, int]] = []
    for action in frame["actions"]:
        if action["act"] not in acts or not action.get("slot"):
            continue
        slot = action["slot"]
        values = action.get("values") or []
        canonical = action.get("canonical_values") or values
        for value, canon in zip(values, canonical):
            if value == DONTCARE:
                continue
            where = None
            for start, end in spans.get(slot, ()):
                if (start, end) not in taken and utterance[start:end].casefold() == value.casefold():
                    where = (start, end)
                    break
            if where is None:
                for start, end in spans.get(slot, ()):  # a span whose text differs from the value
                    if (start, end) not in taken:
                        where = (start, end)
                        break
            if where is None:
                where = _find(utterance, value, taken)
            spoken = spoken_value(value) if where is None else None
            if spoken is not None:  # "four" for 4 (SGD marks no span for it)
                where = _find(utterance, spoken, taken)
            if where is None:
                missing.append((slot, value))
                continue
            taken.append(where)
            found.append(Located(where[0], where[1], slot, canon))
    found.sort()
    return found, missing
