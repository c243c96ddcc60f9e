"""Simulation settings: how often each conversational pattern appears.

``SimulationConfig`` is what a user tunes -- in the scenario file's ``simulation:`` section,
on the CLI, or with ``attrs.evolve`` in Python -- to shape the corpus: the chance that a
dialogue over-informs, changes its mind, denies a confirmation, gets an empty result,
and so on, plus the weight of each API path. The manifest reports both these settings
and the proportions the generated corpus actually shows.
"""

from __future__ import annotations

from typing import Mapping

import attrs

from dialogsim._attrs import FrozenDict, frozen_mapping, probability

__all__ = ["SimulationConfig", "PROBABILITIES"]


def _non_negative_weights(instance, attribute, value):
    for path, weight in value.items():
        if not isinstance(weight, (int, float)) or isinstance(weight, bool) or weight < 0:
            raise ValueError(f"{attribute.name}[{path!r}] must be a non-negative number, got {weight!r}")


@attrs.frozen(kw_only=True)
class SimulationConfig:
    """Per-dialogue chances of each pattern, and the turn budget.

    Probabilities are per dialogue (per optional argument for ``dont_care``, per API call
    for ``empty_result`` / ``api_failure``). ``path_weights`` maps an API path written
    ``"SearchFlight > BookFlight"`` to its relative weight; paths the sample dialogues show
    weigh ``sample_path_weight`` and other paths through the dependency graph
    ``graph_path_weight`` unless named there.
    """

    max_turns: int = attrs.field(default=40, validator=attrs.validators.and_(
        attrs.validators.instance_of(int), attrs.validators.ge(4)))
    over_inform: float = probability(0.35)  # volunteer several values in one turn
    under_inform: float = probability(0.25)  # ask for an API without giving any value
    change_of_mind: float = probability(0.15)  # revise a value: before the call, at a confirmation, after a result
    deny_confirmation: float = probability(0.2)  # deny an API confirmation (then cancel or correct)
    dont_care: float = probability(0.5)  # per optional argument: "any airline is fine" instead of a value
    optional_value: float = probability(0.3)  # per optional argument the customer does care about: gives a value
    anaphora: float = probability(0.6)  # pick a result by "it" / "that one" / "the second one"
    accept_offer: float = probability(0.75)  # the goal continues along an offered next API
    request_field: float = probability(0.3)  # ask about a result field ("when does it leave?")
    empty_result: float = probability(0.08)  # per API call: the backend finds nothing
    api_failure: float = probability(0.04)  # per API call: the backend fails
    give_up: float = probability(0.35)  # after an empty result or failure, end instead of recovering
    sample_path_weight: float = attrs.field(default=1.0, validator=attrs.validators.ge(0.0), converter=float)
    graph_path_weight: float = attrs.field(default=0.5, validator=attrs.validators.ge(0.0), converter=float)
    path_weights: Mapping[str, float] = attrs.field(factory=FrozenDict, converter=frozen_mapping,
                                                    validator=_non_negative_weights)


PROBABILITIES = tuple(a.name for a in attrs.fields(SimulationConfig) if a.metadata.get("probability"))
