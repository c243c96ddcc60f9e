"""The mock API backend the system agent calls.

``MockBackend`` answers an API call from the scenario's declared mock results or, without
them, with values drawn from the output type's catalogues -- deterministically, from the
dialogue's generator. Results agree with the call: an item's field takes the value of the
argument it answers (``echoes``: the argument of the field's name, else the only argument
of its type) wherever the customer gave one. Declared results are a consistent world (a song
has one artist), so the backend *filters* them on what was asked -- "Shallow by Taylor
Swift" finds nothing, an empty result the customer then recovers from -- and a generated
result *takes* every value asked for (an Alaska search finds Alaska flights); the fields
not asked for are drawn, and no list names one item twice.

The goal scripts the first answer of an API (``Goal.outcomes``: an empty result or a
failure) so that recoveries appear in the proportions the user asked for. Whether a call is
the first is the caller's to say (the system's state records the APIs it called). A failure
is transient: a second call succeeds, as a retried real service usually does. An empty
result is a fact of the dialogue's world, so the backend remembers, per dialogue, what found
nothing: the same call again finds nothing again, and no later result holds an item the
empty call would have found (after "no Thai places in Boston", a search of Boston never
lists a Thai one). Otherwise "try again" with nothing changed would find what was not there.

A list of results comes in the order a listener expects where it has one: showtimes and
flights by their time of day, earliest first (``_by_time``), never "7:15 pm, 1:30 pm".
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from dialogsim.booleans import BOOLEAN
from dialogsim.dialogue import ApiStatus, Arg
from dialogsim.goal import Goal
from dialogsim.schema import Argument, ResponseTemplate, Scenario
from dialogsim.spoken import clock_minutes
from dialogsim.wording import placeholders

__all__ = ["MockBackend", "echoes", "spoken_fields", "restated"]


def echoes(scenario: Scenario, api: str) -> tuple[tuple[str, Argument], ...]:
    """``(result field, argument)`` pairs of ``api``: a field answers the argument of its
    name, else the only argument of its type, so that a result agrees with the request."""
    spec = scenario.apis[api]
    if spec.returns is None:
        return ()
    pairs = []
    for field, field_type in scenario.types[spec.returns.type].fields.items():
        named = spec.arg(field)
        # A yes/no field (live music) answers only the argument of its name, not another
        # yes/no argument (outdoor seating).
        same = [named] if named is not None or field_type == BOOLEAN else [a for a in spec.args if a.type == field_type]
        same = [a for a in same if a is not None]
        if len(same) == 1:
            pairs.append((field, same[0]))
    return tuple(pairs)


def spoken_fields(scenario: Scenario, response: ResponseTemplate) -> frozenset[str]:
    """The entity fields ``response``'s texts can say: ``{arg.field}``, and for ``{arg}``
    the fields of its type's ``say`` (every field when it has none)."""
    out: set[str] = set()
    for text in response.texts:
        for placeholder in placeholders(text):
            arg, _, field = placeholder.partition(".")
            slot_type = scenario.types.get(response.args.get(arg, ""))
            if field:
                out.add(field)
            elif slot_type is not None and slot_type.is_entity:
                out.update(placeholders(slot_type.say) if slot_type.say is not None else slot_type.fields)
    return frozenset(out)


def restated(scenario: Scenario, api: str, response: ResponseTemplate) -> frozenset[str]:
    """The arguments of ``api`` whose values ``response`` (its result's) can say back: a
    field it says that answers one (``echoes``: "Playing Let It Be by The Beatles" says
    the song asked for)."""
    said = spoken_fields(scenario, response)
    return frozenset(arg.name for field, arg in echoes(scenario, api) if field in said)


class MockBackend:
    def __init__(self, scenario: Scenario, catalogue) -> None:
        self.scenario = scenario
        self.catalogue = catalogue
        self._scripted: Mapping[str, ApiStatus] = {}
        self._echo = {name: echoes(scenario, name) for name in scenario.apis}
        # api -> the calls of this dialogue that found nothing: (their argument values, the
        # fields they asked for where those say every value the call was given, else None)
        self._empty: dict[str, list[tuple[dict[str, Any], dict[str, Any] | None]]] = {}

    def reset(self, goal: Goal | None = None) -> None:
        """Take the scripted first answers of a new dialogue's goal (none: a bot's
        conversation, whose goal it never sees); forget the old world."""
        self._scripted = goal.outcomes if goal is not None else {}
        self._empty = {}

    def call(self, api: str, args: Mapping[str, Arg], rng: np.random.Generator, *,
             first: bool = True) -> tuple[ApiStatus, Mapping[str, Any]]:
        """Answer a call of ``api``: its status and ``{output name: value}`` (empty unless OK).
        ``first``: no earlier call of ``api`` in this dialogue (the script applies). A value
        counts as asked for when the customer or an earlier result gave it, not a default.
        A call like one that found nothing in this dialogue finds nothing (module docstring)."""
        spec = self.scenario.apis[api]
        values = {name: arg.value for name, arg in args.items()}
        asked = {field: args[arg.name].value for field, arg in self._echo[api]
                 if arg.name in args and args[arg.name].ref is not None}
        empty = self._empty.setdefault(api, [])
        if any(values == before for before, _ in empty):
            return ApiStatus.EMPTY, {}
        # An item says what this call asked when every value it was given is one of its fields.
        nothing = (values, asked if asked and len(asked) == sum(a.ref is not None for a in args.values()) else None)
        status = self._scripted.get(api, ApiStatus.OK) if first else ApiStatus.OK
        if status is ApiStatus.EMPTY:
            empty.append(nothing)
        if status is not ApiStatus.OK or spec.returns is None:
            return status, {}
        name = spec.returns.name
        # What an earlier empty call would have found is not there now either; known only
        # where an item says all that call asked (a Thai place in Boston), not where it was
        # asked more than an item says (seats left on a flight). Records are left out before
        # the draw, so that another that matches is found; generated items after it.
        gone = [seen for _, seen in empty if seen is not None]
        records = self.catalogue.records(api)
        if records:
            found = [r for r in records if all(r.get(field) == value for field, value in asked.items())
                     and not any(_has(r, seen) for seen in gone)]
            result = self.catalogue.result(spec, rng, results=found) if found else ()
        else:
            result = self.catalogue.result(spec, rng, fixed=asked)
        if isinstance(result, tuple):
            result = _by_time(self.scenario, spec.returns.type, tuple(
                item for item in result if not any(_has(item, seen) for seen in gone)))
        elif result is not None and any(_has(result, seen) for seen in gone):
            result = ()
        if result == ():
            empty.append(nothing)
            return ApiStatus.EMPTY, {}
        return status, {name: result}


def _clock(value: Any) -> int | None:
    """A clock time's minutes after midnight (``spoken.clock_minutes``), None for anything else."""
    return clock_minutes(value) if isinstance(value, str) else None


def _has(item: Any, fields: Mapping[str, Any]) -> bool:
    """``item`` holds every value of ``fields``: one a call asking for them would find."""
    return isinstance(item, Mapping) and all(item.get(field) == value for field, value in fields.items())


def _by_time(scenario: Scenario, type_name: str, items: tuple) -> tuple:
    """A list of times, or of items with a time (the first field whose every value is a
    clock time: a flight's departure, a showing's start), earliest first, as a timetable
    reads; any other list as it was drawn. The sort is stable: items at one time keep
    their order."""
    if len(items) < 2:
        return items
    slot_type = scenario.types.get(type_name)
    fields = list(slot_type.fields) if slot_type is not None and slot_type.is_entity else [None]
    for field in fields:
        keys = [_clock(item if field is None else item.get(field)) for item in items]
        minutes = [key for key in keys if key is not None]
        if len(minutes) == len(items):
            order = sorted(range(len(items)), key=minutes.__getitem__)
            return tuple(items[i] for i in order)
    return items
