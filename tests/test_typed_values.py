"""Names and statuses are parsed once at the edges into typed values."""

from __future__ import annotations

import pytest

import dialogsim
from dialogsim.dialogue import ApiStatus
from dialogsim.goal import Goal
from dialogsim.loader import load_scenario, load_scenario_text
from dialogsim.responses import responses_by_meaning
from dialogsim.schema import ResponseAct


def test_a_goals_scripted_outcomes_are_api_statuses():
    goal = Goal(apis=("SearchFlight", "BookFlight"), outcomes={"SearchFlight": "empty"})
    assert goal.outcomes["SearchFlight"] is ApiStatus.EMPTY
    assert goal.to_json()["outcomes"] == {"SearchFlight": "empty"}
    assert Goal.from_json(goal.to_json()) == goal
    with pytest.raises(ValueError):
        Goal(apis=("SearchFlight",), outcomes={"SearchFlight": "timeout"})


def test_sample_api_calls_are_told_from_responses_by_the_declarations():
    scenario = load_scenario(dialogsim.scenarios.path("flights"))
    for sample in scenario.samples:
        for turn in sample.turns:
            assert set(turn.calls) == {a for a in turn.actions if a in scenario.apis}
            assert not set(turn.calls) & set(scenario.responses)
        assert sample.api_path == tuple(dict.fromkeys(c for t in sample.turns for c in t.calls))


def test_the_system_says_responses_by_their_typed_meaning():
    text = dialogsim.scenarios.path("flights").read_text(encoding="utf-8").replace(
        "responses:\n", "responses:\n  anything_else:\n    act: reqmore\n    text: Anything else at all?\n", 1)
    scenario = load_scenario_text(text)
    said = responses_by_meaning(scenario)
    assert said[ResponseAct.REQMORE, None, None].name == "reqmore"  # the standard one, not the author's own
    assert said[ResponseAct.REQUEST, None, "origin"].texts == ("Where are you flying from?",
                                                                "Which city are you leaving from?")
    assert said[ResponseAct.INFORM, "SearchFlight", None].name == "inform_SearchFlight"
