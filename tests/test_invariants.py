"""Every simulated dialogue passes ``check_dialogue``, and ``check_dialogue`` catches broken ones.

The first half is the headline property: dialogues of every example scenario, and of
random valid scenarios under random pattern settings, satisfy the corpus invariants. The
second half corrupts a sound dialogue one way at a time (a span offset, a ref, a missing
argument, an outcome, ...) and asserts that the checker names the damage: a checker that
never fails would make the first half worthless.
"""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest
from conftest import SCENARIOS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialogsim.config import PROBABILITIES, VALUE_CONFIRMATIONS
from dialogsim.dialogue import (
    Act,
    ApiCall,
    ApiRef,
    Arg,
    Dialogue,
    Outcome,
    Response,
    Span,
    SpanRef,
    SystemTurn,
    UserAct,
    UserTurn,
)
from dialogsim.invariants import DialogueChecker, check_dialogue
from dialogsim.loader import load_scenario
from dialogsim.simulation import Simulator
from dialogsim.testing.strategies import scenarios

EXAMPLES = sorted(p.stem for p in SCENARIOS.glob("*.yaml"))


@pytest.fixture(scope="module")
def simulators() -> dict[str, Simulator]:
    return {name: Simulator(load_scenario(SCENARIOS / f"{name}.yaml")) for name in EXAMPLES}


# -- every dialogue is sound ------------------------------------------------------------

@pytest.mark.parametrize("name", EXAMPLES)
def test_example_scenario_dialogues_pass(simulators, name):
    sim = simulators[name]
    checker = DialogueChecker(sim.scenario, catalogue=sim.catalogue)
    budget = sim.scenario.simulation.max_turns
    for index in range(300):
        dialogue = sim.dialogue(7, index)
        assert checker.check(dialogue) == [], dialogue.to_line()
        # A sound policy never needs the whole budget of an example scenario: no loops.
        assert len(dialogue.turns) < budget - 1, dialogue.to_line()


def test_example_scenarios_are_covered():
    assert {"flights", "movies", "music", "restaurants", "weather"} <= set(EXAMPLES)


_SETTINGS = st.fixed_dictionaries({
    "max_turns": st.integers(4, 14),  # odd budgets too: the loop must stay within them
    **{name: st.sampled_from((0.0, 0.5, 1.0)) for name in PROBABILITIES},
    "confirm_value": st.sampled_from(VALUE_CONFIRMATIONS),  # a setting now, no longer a probability
})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=scenarios(), changes=_SETTINGS, seed=st.integers(0, 2**32 - 1))
def test_random_scenarios_pass(scenario, changes, seed):
    config = attrs.evolve(scenario.simulation, **changes)
    scenario = attrs.evolve(scenario, simulation=config)
    sim = Simulator(scenario)
    checker = DialogueChecker(scenario, catalogue=sim.catalogue)
    for index in range(8):
        dialogue = sim.dialogue(seed, index)
        assert checker.check(dialogue) == [], dialogue.to_line()
        assert len(dialogue.turns) <= config.max_turns
        assert Dialogue.from_json(json.loads(dialogue.to_line())) == dialogue


def test_turn_budget_is_exact_for_odd_and_even_budgets(simulators):
    """Customers that never finish (empty results, no giving up) run into the budget,
    which the loop never exceeds, whatever its parity."""
    base = simulators["flights"].scenario
    for max_turns in (5, 6, 7, 8):
        config = attrs.evolve(base.simulation, max_turns=max_turns, empty_result=1.0, give_up=0.0,
                              under_inform=1.0)
        scenario = attrs.evolve(base, simulation=config)
        sim = Simulator(scenario)
        lengths = {len(sim.dialogue(0, i).turns) for i in range(40)}
        assert max(lengths) == max_turns - max_turns % 2, (max_turns, lengths)
        for i in range(40):
            assert check_dialogue(sim.dialogue(0, i), scenario, catalogue=sim.catalogue) == []


def test_check_dialogue_without_a_catalogue(simulators):
    sim = simulators["flights"]  # a Faker-backed type (ConfirmationCode): its pool is rebuilt
    for index in range(50):
        assert check_dialogue(sim.dialogue(3, index), sim.scenario) == []


# -- the checker catches what is broken ------------------------------------------------

def _find(sim: Simulator, predicate, limit: int = 2000) -> Dialogue:
    for index in range(limit):
        dialogue = sim.dialogue(11, index)
        if predicate(dialogue):
            return dialogue
    raise AssertionError("no such dialogue in the first runs")


def _calls(dialogue: Dialogue, name: str) -> list[tuple[int, int, ApiCall]]:
    return [(t, a, action) for t, turn in enumerate(dialogue.turns) if isinstance(turn, SystemTurn)
            for a, action in enumerate(turn.actions) if isinstance(action, ApiCall) and action.name == name]


def _replace_action(dialogue: Dialogue, t: int, a: int, action) -> Dialogue:
    actions = list(dialogue.turns[t].actions)
    actions[a] = action
    return _replace_turn(dialogue, t, SystemTurn(actions=actions))


def _replace_turn(dialogue: Dialogue, t: int, turn) -> Dialogue:
    turns = list(dialogue.turns)
    turns[t] = turn
    return attrs.evolve(dialogue, turns=turns)


def _with_arg(call: ApiCall, name: str, arg: Arg | None) -> ApiCall:
    args = dict(call.args)
    if arg is None:
        del args[name]
    else:
        args[name] = arg
    return attrs.evolve(call, args=args)


@pytest.fixture(scope="module")
def booked(simulators) -> Dialogue:
    """A sound flights dialogue that searches and books, with spans and refs to corrupt."""
    sim = simulators["flights"]
    return _find(sim, lambda d: d.outcome is Outcome.COMPLETED and _calls(d, "BookFlight")
                 and len(_calls(d, "SearchFlight")) == 1 and "change_of_mind" not in d.patterns)


@pytest.fixture(scope="module")
def flights(simulators):
    return simulators["flights"].scenario


def _violations(dialogue, scenario, *needles: str) -> list[str]:
    found = check_dialogue(dialogue, scenario)
    assert found, "the corruption went unnoticed"
    for needle in needles:
        assert any(needle in line for line in found), (needle, found)
    return found


def test_the_uncorrupted_dialogue_passes(booked, flights):
    assert check_dialogue(booked, flights) == []


def _spanned_turn(dialogue: Dialogue) -> tuple[int, UserTurn]:
    return next((t, turn) for t, turn in enumerate(dialogue.turns) if isinstance(turn, UserTurn) and turn.spans)


def test_catches_a_shifted_span(booked, flights):
    t, turn = _spanned_turn(booked)
    span = turn.spans[0]
    shifted = attrs.evolve(span, start=span.start + 1, end=span.end + 1)
    broken = _replace_turn(booked, t, attrs.evolve(turn, spans=(shifted,) + turn.spans[1:]))
    _violations(broken, flights, f"turn {t} (user) span 0", "does not say")


def test_catches_a_span_past_the_text(booked, flights):
    t, turn = _spanned_turn(booked)
    span = turn.spans[0]
    past = attrs.evolve(span, end=len(turn.text) + 3)
    broken = _replace_turn(booked, t, attrs.evolve(turn, spans=(past,) + turn.spans[1:]))
    _violations(broken, flights, "outside the text")


def test_catches_overlapping_spans_and_a_missing_inform(booked, flights):
    t, turn = _spanned_turn(booked)
    broken = _replace_turn(booked, t, attrs.evolve(turn, spans=turn.spans + (turn.spans[0],)))
    _violations(broken, flights, "must not overlap", "inform act(s)")


def test_catches_a_wrong_span_type_and_a_non_canonical_value(booked, flights):
    t, turn = _spanned_turn(booked)
    span = turn.spans[0]
    wrong_type = attrs.evolve(span, type="Airline")
    broken = _replace_turn(booked, t, attrs.evolve(turn, spans=(wrong_type,) + turn.spans[1:]))
    _violations(broken, flights, "the slot's type is")
    text = turn.text[:span.start] + "Gotham" + turn.text[span.end:]
    made_up = attrs.evolve(span, end=span.start + len("Gotham"), value="Gotham")
    rest = tuple(attrs.evolve(s, start=s.start + len("Gotham") - len(turn.text[span.start:span.end]),
                              end=s.end + len("Gotham") - len(turn.text[span.start:span.end])) for s in turn.spans[1:])
    broken = _replace_turn(booked, t, UserTurn(text=text, acts=turn.acts, spans=(made_up,) + rest))
    _violations(broken, flights, "not a canonical")


def test_catches_a_span_ref_to_the_wrong_span(booked, flights):
    t, a, call = _calls(booked, "SearchFlight")[0]
    name, arg = next((n, g) for n, g in call.args.items() if isinstance(g.ref, SpanRef))
    user = booked.turns[arg.ref.turn]
    other = next(((arg.ref.turn, i) for i, s in enumerate(user.spans) if s.value != arg.value), None)
    bad_ref = SpanRef(*other) if other is not None else SpanRef(arg.ref.turn, len(user.spans))
    broken = _replace_action(booked, t, a, _with_arg(call, name, Arg(value=arg.value, ref=bad_ref)))
    _violations(broken, flights, f"argument {name!r}")


def test_catches_a_ref_to_a_later_turn(booked, flights):
    t, a, call = _calls(booked, "BookFlight")[0]
    flight = call.args["flight"]
    broken = _replace_action(booked, t, a, _with_arg(call, "flight", Arg(value=flight.value,
                                                                          ref=ApiRef(t + 2, 0, 0))))
    _violations(broken, flights, "is not an earlier system action")
    broken = _replace_action(booked, t, a, _with_arg(call, "flight", Arg(value=flight.value, ref=SpanRef(t + 1, 0))))
    _violations(broken, flights, "is not an earlier user turn")


def test_catches_an_api_ref_to_another_item(booked, flights):
    t, a, call = _calls(booked, "BookFlight")[0]
    flight = call.args["flight"]
    ref = flight.ref
    item_5 = Arg(value=flight.value, ref=ApiRef(ref.turn, ref.action, 5))
    broken = _replace_action(booked, t, a, _with_arg(call, "flight", item_5))
    _violations(broken, flights, "no item 5")
    whole_list = Arg(value=flight.value, ref=ApiRef(ref.turn, ref.action))
    broken = _replace_action(booked, t, a, _with_arg(call, "flight", whole_list))
    _violations(broken, flights, "one item of a list result")


def test_catches_a_result_found_with_other_values(simulators):
    """movies: showtimes asked in one city for a movie found in another."""
    sim = simulators["movies"]
    dialogue = _find(sim, lambda d: _calls(d, "GetShowtimes"))
    t, a, shows = _calls(dialogue, "GetShowtimes")[0]
    ref = shows.args["movie"].ref
    find = dialogue.turns[ref.turn].actions[ref.action]
    city = find.args["city"].value
    other = next(c for c in ("Boston", "Miami") if c != city)
    moved = _with_arg(find, "city", Arg(value=other, ref=find.args["city"].ref))
    broken = _replace_action(dialogue, ref.turn, ref.action, moved)
    _violations(broken, sim.scenario, f"found by FindMovies with city={other!r}, but this call has city={city!r}")


_FIXTURES = Path(__file__).parent / "fixtures"


def test_catches_a_result_found_from_a_result_with_other_values():
    """Api2 takes Api1's result, found from Api0's: Api0 must have been called with the
    value Api2 uses, though Api1 never took that value itself."""
    chain = load_scenario(_FIXTURES / "chain.yaml")
    sim = Simulator(chain)
    dialogue = _find(sim, lambda d: _calls(d, "Api2"))
    t, a, last = _calls(dialogue, "Api2")[0]
    ref = last.args["e1"].ref
    found = dialogue.turns[ref.turn].actions[ref.action]
    ref = found.args["e0"].ref
    first = dialogue.turns[ref.turn].actions[ref.action]
    mine = last.args["s0"].value
    other = next(v for v in ("a", "aa") if v != mine)
    moved = _with_arg(first, "s0", Arg(value=other, ref=first.args["s0"].ref))
    broken = _replace_action(dialogue, ref.turn, ref.action, moved)
    _violations(broken, chain, f"found by Api1 from Api0 with s0={other!r}, but this call has s0={mine!r}")


def test_catches_a_dropped_required_argument(booked, flights):
    t, a, call = _calls(booked, "SearchFlight")[0]
    broken = _replace_action(booked, t, a, _with_arg(call, "destination", None))
    _violations(broken, flights, "required argument 'destination' missing")


def test_catches_a_wrong_value_type_and_a_bad_default(booked, flights):
    t, a, call = _calls(booked, "BookFlight")[0]
    flight = call.args["flight"]
    broken = _replace_action(booked, t, a, _with_arg(call, "flight", Arg(value="Seattle", ref=flight.ref)))
    _violations(broken, flights, "expected a Flight entity")
    t, a, call = _calls(booked, "SearchFlight")[0]
    broken = _replace_action(booked, t, a, _with_arg(call, "airline", Arg(value="Delta", ref=None)))
    _violations(broken, flights, "must be the default 'any airline'")
    broken = _replace_action(booked, t, a, _with_arg(call, "origin", Arg(value=call.args["origin"].value, ref=None)))
    _violations(broken, flights, "needs a ref")


def test_catches_an_unknown_response_and_a_repeated_request(booked, flights):
    last = len(booked.turns) - 1
    broken = _replace_action(booked, last, 0, Response(name="farewell", text="Bye!"))
    _violations(broken, flights, "unknown response")
    t, a, _ = _calls(booked, "SearchFlight")[0]
    actions = booked.turns[t].actions[:a] + (Response(name="request_origin", text="From where?"),)
    broken = _replace_turn(booked, t, SystemTurn(actions=actions))
    _violations(broken, flights, "asks for 'origin', which the customer already gave")


def test_catches_a_call_the_customer_did_not_confirm(booked, flights):
    t, _, _ = _calls(booked, "BookFlight")[0]
    answer = booked.turns[t - 1]
    assert answer.has(Act.AFFIRM)
    broken = _replace_turn(booked, t - 1, UserTurn(text="thanks", acts=[UserAct(act=Act.THANK)]))
    _violations(broken, flights, "before the customer affirmed")


def test_catches_a_wrong_outcome(simulators, booked, flights):
    _violations(attrs.evolve(booked, outcome=Outcome.FAILED), flights, "FAILED needs")
    gave_up = _find(simulators["flights"], lambda d: d.outcome is Outcome.FAILED)
    assert check_dialogue(gave_up, flights) == []
    _violations(attrs.evolve(gave_up, outcome=Outcome.COMPLETED), flights, "never succeeded")


def test_catches_a_bad_ending_and_a_broken_alternation(booked, flights):
    _violations(attrs.evolve(booked, turns=booked.turns[:-1]), flights, "ends with a user turn")
    _violations(attrs.evolve(booked, turns=booked.turns[:-2]), flights, "goodbye")
    swapped = (booked.turns[1], booked.turns[0]) + booked.turns[2:]
    _violations(attrs.evolve(booked, turns=swapped), flights, "expected a user turn")


def test_catches_a_dialogue_over_budget(booked, flights):
    small = attrs.evolve(flights, simulation=attrs.evolve(flights.simulation, max_turns=4))
    assert len(booked.turns) > 4
    _violations(booked, small, "over the budget of 4")


def test_catches_bad_user_acts(booked, flights):
    turn = booked.turns[0]
    for act, needle in ((UserAct(act=Act.INVOKE, api="BookHotel"), "unknown API 'BookHotel'"),
                        (UserAct(act=Act.REQUEST, slot="colour"), "not a field of any API result"),
                        (UserAct(act=Act.DONT_CARE, slot="origin"), "not an optional argument"),
                        (UserAct(act=Act.SELECT, item=0), "no list result to pick from")):
        broken = _replace_turn(booked, 0, attrs.evolve(turn, acts=turn.acts + (act,)))
        _violations(broken, flights, needle)


def test_catches_a_select_past_the_list(simulators, flights):
    dialogue = _find(simulators["flights"], lambda d: any(
        isinstance(t, UserTurn) and t.has(Act.SELECT) for t in d.turns) and not any(
        isinstance(t, UserTurn) and any(a.act is Act.SELECT and a.item for a in t.acts) for t in d.turns))
    t = next(i for i, turn in enumerate(dialogue.turns) if isinstance(turn, UserTurn) and turn.has(Act.SELECT))
    turn = dialogue.turns[t]
    acts = tuple(UserAct(act=Act.SELECT, item=7) if a.act is Act.SELECT else a for a in turn.acts)
    _violations(_replace_turn(dialogue, t, attrs.evolve(turn, acts=acts)), flights, "select of item 7")


def test_messages_name_the_dialogue_turn_and_action(booked, flights):
    t, a, call = _calls(booked, "SearchFlight")[0]
    found = check_dialogue(_replace_action(booked, t, a, _with_arg(call, "date", None)), flights)
    assert found == [f"{booked.id}: turn {t} (system) action {a} SearchFlight: required argument 'date' missing"]


def test_a_hand_built_dialogue(flights):
    """The smallest sound dialogue, written out: the checker needs no simulator."""
    from dialogsim.goal import Goal

    turns = [
        UserTurn(text="find flights from Boston to NYC today",
                 acts=[UserAct(act=Act.INVOKE, api="SearchFlight"), UserAct(act=Act.INFORM, slot="origin"),
                       UserAct(act=Act.INFORM, slot="destination"), UserAct(act=Act.INFORM, slot="date")],
                 spans=[Span(start=18, end=24, slot="origin", type="City", value="Boston"),
                        Span(start=28, end=31, slot="destination", type="City", value="New York"),
                        Span(start=32, end=37, slot="date", type="Date", value="today")]),
        SystemTurn(actions=[
            ApiCall(name="SearchFlight", args={
                "origin": Arg(value="Boston", ref=SpanRef(0, 0)),
                "destination": Arg(value="New York", ref=SpanRef(0, 1)),
                "date": Arg(value="today", ref=SpanRef(0, 2)),
                "airline": Arg(value="any airline")},
                result={"flights": [{"airline": "Delta", "departure_time": "9 am", "price": "$89"}]}),
            Response(name="inform_SearchFlight", text="I found Delta at 9 am for $89.",
                     args={"flights": Arg(value=[{"airline": "Delta", "departure_time": "9 am", "price": "$89"}],
                                          ref=ApiRef(1, 0))}),
            Response(name="reqmore", text="Anything else?")]),
        UserTurn(text="no, bye", acts=[UserAct(act=Act.DENY), UserAct(act=Act.GOODBYE)]),
        SystemTurn(actions=[Response(name="goodbye", text="Goodbye!")]),
    ]
    dialogue = Dialogue(id="hand-1", scenario="flights", goal=Goal(apis=["SearchFlight"]), turns=turns,
                        outcome=Outcome.COMPLETED)
    assert check_dialogue(dialogue, flights) == []
    # "NYC" says New York; "Nyc" does not (surfaces are case-sensitive).
    lower = attrs.evolve(turns[0], text=turns[0].text.replace("NYC", "Nyc"))
    _violations(_replace_turn(dialogue, 0, lower), flights, "text 'Nyc' does not say 'New York'")
