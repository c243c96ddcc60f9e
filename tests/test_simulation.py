"""The simulator's contract with its callers: dialogue ids that never collide, language
variation that is really off when switched off, and dialogues checked against the
settings they were made with."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dialogsim
from dialogsim.config import VariationConfig
from dialogsim.dialogue import UserTurn
from dialogsim.invariants import check_dialogue
from dialogsim.simulation import Simulator

_FLIGHTS = dialogsim.load_scenario(dialogsim.scenarios.path("flights"))
_MOVIES = dialogsim.load_scenario(dialogsim.scenarios.path("movies"))


def test_dialogue_ids_differ_across_seeds_and_splits():
    train, test = Simulator(_FLIGHTS, holdout=0.2), Simulator(_FLIGHTS, holdout=0.2, split="test")
    ids = [sim.dialogue(seed, index).id for sim in (train, test) for seed in (0, 1) for index in range(3)]
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("scenario", [_FLIGHTS, _MOVIES], ids=lambda s: s.name)
def test_without_variation_every_value_is_said_in_its_canonical_form(scenario):
    sim = Simulator(scenario, variation=VariationConfig(enabled=False))
    for index in range(60):
        for turn in sim.dialogue(0, index).turns:
            if isinstance(turn, UserTurn):
                for span in turn.spans:
                    assert turn.text[span.start:span.end] == span.value, (index, turn.text)


def test_with_variation_some_values_are_said_otherwise():
    """The other side of the test above: flights has synonyms ("NYC") and numbers."""
    sim = Simulator(_FLIGHTS, variation=VariationConfig())
    said_otherwise = [span for index in range(60) for turn in sim.dialogue(0, index).turns
                      if isinstance(turn, UserTurn) for span in turn.spans
                      if turn.text[span.start:span.end] != span.value]
    assert said_otherwise


@pytest.mark.parametrize("max_turns", [6, 9])
def test_dialogues_keep_the_turn_budget_they_were_simulated_with(max_turns):
    config = attrs.evolve(_FLIGHTS.simulation, max_turns=max_turns)
    sim = Simulator(_FLIGHTS, config)
    for index in range(60):
        dialogue = sim.dialogue(0, index)
        assert check_dialogue(dialogue, _FLIGHTS, catalogue=sim.catalogue, config=config) == []


def test_a_dialogue_over_the_budget_it_was_simulated_with_is_reported():
    long_sim = Simulator(_FLIGHTS)
    dialogue = next(d for d in (long_sim.dialogue(0, i) for i in range(200)) if len(d.turns) > 6)
    short = attrs.evolve(_FLIGHTS.simulation, max_turns=6)
    problems = check_dialogue(dialogue, _FLIGHTS, catalogue=long_sim.catalogue, config=short)
    assert any("over the budget of 6" in p for p in problems)


@settings(max_examples=25, deadline=None)
@given(max_turns=st.integers(min_value=4, max_value=30), seed=st.integers(min_value=0, max_value=2**32),
       index=st.integers(min_value=0, max_value=10**6))
def test_any_turn_budget_is_kept_and_every_dialogue_checks_out(max_turns, seed, index):
    config = attrs.evolve(_MOVIES.simulation, max_turns=max_turns)
    sim = _simulators.setdefault(max_turns, Simulator(_MOVIES, config))
    dialogue = sim.dialogue(seed, index)
    assert len(dialogue.turns) <= max_turns
    assert check_dialogue(dialogue, _MOVIES, catalogue=sim.catalogue, config=config) == []


_simulators: dict[int, Simulator] = {}  # one per budget: building one costs more than a dialogue
