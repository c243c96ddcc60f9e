"""The mock API backend the system agent calls.

``MockBackend`` answers an API call from the scenario's declared mock results or, without
them, with values drawn from the output type's catalogues -- deterministically, from the
dialogue's generator. Results agree with the request: a result field whose type is that of
exactly one argument the customer gave takes that value ("play Rise Up" plays Rise Up, an
Alaska search finds Alaska flights), preferring declared results that already match.

The goal scripts the first answer of an API (``Goal.outcomes``: an empty result or a
failure) so that recoveries appear in the proportions the user asked for; a second call of
the same API succeeds, as a retried real service usually does.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np
from dialogsim.goals.goal import Goal

from dialogsim._attrs import FrozenDict
from dialogsim.dialogue import ApiStatus, Arg
from dialogsim.schema import Scenario

__all__ = ["MockBackend"]


class MockBackend:
    def __init__(self, scenario: Scenario, catalogue) -> None:
        self.scenario = scenario
        self.catalogue = catalogue
        self._scripted: Mapping[str, str] = {}
        self._called: set[str] = set()
        # Per API: result field -> the argument whose value it must echo.
        self._echo: dict[str, dict[str, str]] = {}
        for name, api in scenario.apis.items():
            fields = scenario.types[api.returns.type].fields if api.returns is not None else {}
            echo = {}
            for field, field_type in fields.items():
                same = [a.name for a in api.args if a.type == field_type]
                if len(same) == 1:
                    echo[field] = same[0]
            self._echo[name] = echo

    def reset(self, goal: Goal) -> None:
        self._scripted = goal.outcomes
        self._called = set()

    def call(self, api: str, args: Mapping[str, Arg], rng: np.random.Generator) -> tuple[ApiStatus, Mapping[str, Any]]:
        """Answer a call of ``api``: its status and ``{output name: value}`` (empty unless OK)."""
        first = api not in self._called
        self._called.add(api)
        status = ApiStatus(self._scripted.get(api, "ok")) if first else ApiStatus.OK
        spec = self.scenario.apis[api]
        if status is not ApiStatus.OK or spec.returns is None:
            return status, {}
        wanted = {field: args[arg].value for field, arg in self._echo[api].items()
                  if arg in args and args[arg].ref is not None}
        if not wanted:
            return status, {spec.returns.name: self.catalogue.result(spec, rng)}
        matching = tuple(r for r in spec.results if all(r.get(f) == v for f, v in wanted.items()))
        if matching:
            spec = spec.__class__(name=spec.name, args=spec.args, returns=spec.returns, results=matching)
            return status, {spec.returns.name: self.catalogue.result(spec, rng)}
        value = self.catalogue.result(spec, rng)
        if isinstance(value, tuple):
            value = tuple(FrozenDict({**item, **wanted}) for item in value)
        else:
            value = FrozenDict({**value, **wanted})
        return status, {spec.returns.name: value}
