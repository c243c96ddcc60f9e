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
failure) so that recoveries appear in the proportions the user asked for; a second call of
the same API succeeds, as a retried real service usually does. Whether a call is the first
is the caller's to say (the system's state records the APIs it called), so the backend
holds nothing per dialogue but that script.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from dialogsim.booleans import BOOLEAN
from dialogsim.dialogue import ApiStatus, Arg
from dialogsim.goal import Goal
from dialogsim.schema import Argument, ResponseTemplate, Scenario
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

    def reset(self, goal: Goal) -> None:
        """Take the scripted first answers of a new dialogue's goal."""
        self._scripted = goal.outcomes

    def call(self, api: str, args: Mapping[str, Arg], rng: np.random.Generator, *,
             first: bool = True) -> tuple[ApiStatus, Mapping[str, Any]]:
        """Answer a call of ``api``: its status and ``{output name: value}`` (empty unless OK).
        ``first``: no earlier call of ``api`` in this dialogue (the script applies). A value
        counts as asked for when the customer or an earlier result gave it, not a default."""
        status = self._scripted.get(api, ApiStatus.OK) if first else ApiStatus.OK
        spec = self.scenario.apis[api]
        if status is not ApiStatus.OK or spec.returns is None:
            return status, {}
        name = spec.returns.name
        asked = {field: args[arg.name].value for field, arg in self._echo[api]
                 if arg.name in args and args[arg.name].ref is not None}
        records = self.catalogue.records(api)
        if not records:
            return status, {name: self.catalogue.result(spec, rng, fixed=asked)}
        found = [r for r in records if all(r.get(field) == value for field, value in asked.items())]
        if not found:
            return ApiStatus.EMPTY, {}
        return status, {name: self.catalogue.result(spec, rng, results=found)}
