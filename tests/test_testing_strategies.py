"""dialogsim.testing.strategies: what the drawn values are, how they shrink, and that a bad
argument fails at the call."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

import dialogsim
from dialogsim.dialogue import Dialogue, UserTurn
from dialogsim.goal import Goal, Moment
from dialogsim.invariants import check_dialogue
from dialogsim.loader import load_scenario
from dialogsim.schema import Scenario
from dialogsim.simulation import Simulator
from dialogsim.testing import ReferenceBot, converse
from dialogsim.testing import strategies as dst

FLIGHTS = dialogsim.load_scenario(dialogsim.scenarios.path("flights"))
MOVIES = dialogsim.load_scenario(dialogsim.scenarios.path("movies"))


@pytest.mark.parametrize("call", [
    lambda: dst.scenarios(max_apis=0),
    lambda: dst.scenario_texts(max_types=10),
    lambda: dst.scenarios(max_types=True),
    lambda: dst.goals("flights.yaml"),
    lambda: dst.goals(FLIGHTS, config={"change_of_mind": 1.0}),
    lambda: dst.dialogues(FLIGHTS, variation="typos"),
    lambda: dst.user_turns(None),
], ids=["max_apis", "max_types", "bool", "goals-path", "goals-config", "variation", "user_turns"])
def test_bad_arguments_fail_at_the_call(call):
    with pytest.raises((ValueError, TypeError)):
        call()


def test_from_type_resolves_scenarios_and_goals():
    assert isinstance(find(st.from_type(Scenario), lambda s: True), Scenario)
    assert isinstance(find(st.from_type(Goal), lambda g: True), Goal)


def test_scenarios_shrink_to_one_type_and_one_api():
    smallest = find(dst.scenarios(), lambda s: True)
    assert len(smallest.apis) == 1 and len([t for t in smallest.types.values() if not t.is_entity]) == 1
    chain = find(dst.scenarios(), lambda s: len(s.apis) >= 2)
    assert len(chain.apis) == 2


def test_goals_shrink_toward_the_plain_case():
    plain = find(dst.goals(MOVIES), lambda g: True)
    assert len(plain.apis) == 1 and not plain.revisions and not plain.outcomes and not plain.requests
    # ... said all at once: the shortest conversation, not one value a turn
    first = [a.name for a in MOVIES.customer_args(plain.apis[0]) if a.name in plain.values]
    assert plain.behaviour.first_informs == len(first) >= 1 and plain.behaviour.informs_per_turn == 2
    assert find(dst.goals(MOVIES), lambda g: g.behaviour.first_informs == 0).behaviour.informs_per_turn == 1
    revised = find(dst.goals(MOVIES), lambda g: any(r.moment is Moment.AFTER_RESULT for r in g.revisions))
    assert len(revised.apis) == 1 and len(revised.revisions) == 1 and not revised.outcomes
    longest = max(len(p) for p in Simulator(MOVIES).goals.paths)
    chained = find(dst.goals(MOVIES), lambda g: len(g.apis) == longest)
    assert not chained.revisions and not chained.behaviour.deny_confirm


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_drawn_dialogues_are_sound_and_round_trip(data):
    # Three APIs: one can then take items of two list results, and a pick must be read
    # against the list the system asked about (test_a_pick_from_the_older_of_two_lists).
    scenario = data.draw(dst.scenarios(max_apis=3))
    dialogue = data.draw(dst.dialogues(scenario))
    assert check_dialogue(dialogue, scenario) == []
    assert Dialogue.from_json(json.loads(dialogue.to_line())) == dialogue


@settings(max_examples=30, deadline=None)
@given(dst.dialogues(FLIGHTS, variation=False))
def test_dialogues_without_variation_are_plain(dialogue):
    assert all(not t.augmented for t in dialogue.turns if isinstance(t, UserTurn))
    assert check_dialogue(dialogue, FLIGHTS) == []


def test_noisy_dialogues_shrink_to_plain_ones():
    dialogue = find(dst.dialogues(FLIGHTS), lambda d: len(d.turns) >= 4)
    assert all(not t.augmented for t in dialogue.turns if isinstance(t, UserTurn))


@settings(max_examples=60, deadline=None)
@given(dst.user_turns(FLIGHTS, variation=True))
def test_user_turns_have_exact_spans(turn):
    assert turn.acts
    for span in turn.spans:
        assert FLIGHTS.slots[span.slot] == span.type
        assert span.end <= len(turn.text)


def test_a_customer_drawn_by_hypothesis_talks_like_a_seeded_one():
    """Every decision of the customer, noise included, can come from hypothesis (that it
    shrinks away: test_testing_broken_bots.py's test under ``@given``)."""
    bot = ReferenceBot(FLIGHTS)
    noisy = []

    @settings(max_examples=25, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(dst.goals(FLIGHTS), dst.customer_rngs())
    def talks(goal, rng):
        report = converse(bot, FLIGHTS, goal, rng=rng)
        assert report.passed and report.drawn, report.render()
        noisy.extend(e.user.augmented for e in report.exchanges if e.user.augmented)

    talks()
    assert noisy


def test_a_pick_from_the_older_of_two_lists_is_read_against_it():
    """Api2 needs an item of Api0's list and one of Api1's; asked "which e0?", the customer's
    "the first one" must pick from Api0's list, and the dialogue must not loop."""
    scenario = load_scenario(Path(__file__).parent / "fixtures" / "two_lists_one_api.yaml")
    scenario = attrs.evolve(scenario, simulation=attrs.evolve(scenario.simulation, change_of_mind=0.15))
    sim = Simulator(scenario)
    dialogue = sim.dialogue(7, 4)
    assert check_dialogue(dialogue, scenario, catalogue=sim.catalogue) == []
