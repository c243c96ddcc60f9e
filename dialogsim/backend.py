"""The mock API backend the system agent calls.

``MockBackend`` answers an API call from the scenario's declared mock results or, without
them, with values drawn from the output type's catalogues -- deterministically, from the
dialogue's generator. Results agree with the request: a result field whose type is that of
exactly one argument the customer gave takes that value ("play Rise Up" plays Rise Up, an
Alaska search finds Alaska flights). Declared results are a consistent world (a song has
one artist), so among them the backend takes those that agree with the most values asked
for, required ones first: "Shallow by Taylor Swift" plays Lady Gaga's Shallow rather than
a pairing that does not exist; a generated result takes every value asked for.

The goal scripts the first answer of an API (``Goal.outcomes``: an empty result or a
failure) so that recoveries appear in the proportions the user asked for; a second call of
the same API succeeds, as a retried real service usually does. Whether a call is the first
is the caller's to say (the system's state records the APIs it called), so the backend
holds nothing per dialogue but that script.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from dialogsim._attrs import FrozenDict
from dialogsim.dialogue import ApiStatus, Arg
from dialogsim.goal import Goal
from dialogsim.schema import Argument, Scenario

__all__ = ["MockBackend", "echoes"]


def echoes(scenario: Scenario, api: str) -> tuple[tuple[str, Argument], ...]:
    """``(result field, argument)`` pairs of ``api``: a field whose type is that of exactly
    one argument, so that a result takes the value the customer asked for."""
    spec = scenario.apis[api]
    if spec.returns is None:
        return ()
    pairs = []
    for field, field_type in scenario.types[spec.returns.type].fields.items():
        same = [a for a in spec.args if a.type == field_type]
        if len(same) == 1:
            pairs.append((field, same[0]))
    return tuple(pairs)


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
        ``first``: no earlier call of ``api`` in this dialogue (the script applies)."""
        status = self._scripted.get(api, ApiStatus.OK) if first else ApiStatus.OK
        spec = self.scenario.apis[api]
        if status is not ApiStatus.OK or spec.returns is None:
            return status, {}
        name = spec.returns.name
        wanted = [(field, args[arg.name].value, arg.required) for field, arg in self._echo[api]
                  if arg.name in args and args[arg.name].ref is not None]
        if not wanted:
            return status, {name: self.catalogue.result(spec, rng)}
        if spec.results:
            best = _agreeing(spec.results, wanted)
            if best:
                return status, {name: self.catalogue.result(spec, rng, results=best)}
        value = self.catalogue.result(spec, rng)
        echoed = {field: asked for field, asked, _ in wanted}
        if isinstance(value, tuple):
            value = tuple(FrozenDict({**item, **echoed}) for item in value)
        else:
            value = FrozenDict({**value, **echoed})
        return status, {name: value}


def _agreeing(results, wanted) -> list:
    """The declared results that agree with the most ``(field, value, required)`` wanted,
    required values counting first; empty when none agrees with any."""
    best: list = []
    top = (0, 0)
    for result in results:
        score = (sum(required for field, value, required in wanted if result.get(field) == value),
                 sum(result.get(field) == value for field, value, _ in wanted))
        if score > top:
            best, top = [result], score
        elif score == top and score > (0, 0):
            best.append(result)
    return best
