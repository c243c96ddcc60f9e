"""Pattern detection, and the patterns the simulation actually produces.

``detect`` reads patterns off the turns; these tests check it on hand-built dialogues,
then check the simulation end to end: with every probability at 0 only happy paths come
out, a probability of 1 makes its pattern appear in every dialogue that can show it, and
every pattern of ``PATTERNS`` appears in a 2,000-dialogue run of the example scenario
named for it below.
"""

from __future__ import annotations

import collections
from pathlib import Path

import attrs
import pytest
from conftest import SCENARIOS
from system_talk import user_acts

from dialogsim.config import PROBABILITIES
from dialogsim.dialogue import (
    Act,
    ActRef,
    ApiCall,
    ApiRef,
    ApiStatus,
    Arg,
    Outcome,
    Response,
    Span,
    SpanRef,
    SystemTurn,
    UserAct,
    UserTurn,
)
from dialogsim.loader import load_scenario, load_scenario_text
from dialogsim.patterns import PATTERNS, detect
from dialogsim.simulation import Simulator

EXAMPLES = ("flights", "movies", "music", "restaurants", "weather")
# tests/fixtures/booleans.yaml, whose Reserve also takes the outdoor seating the search took:
# the only value both APIs take is one said without a span.
DINER = (Path(__file__).parent / "fixtures" / "booleans.yaml").read_text().replace(
    "      restaurant: Restaurant\n", "      restaurant: Restaurant\n      outdoor_seating: {type: Boolean, say: outdoor seating}\n")

# Which example scenario shows each pattern (default settings, 2,000 dialogues, seed 0).
SHOWN_BY = {
    "happy_path": "flights",
    "over_inform": "flights",
    "under_inform": "flights",
    "change_of_mind": "flights",
    "slot_confirmation": "music",  # confirm_playlist: the only `confirm: true` argument
    "api_confirmation_accepted": "flights",
    "api_confirmation_denied": "restaurants",
    "carryover": "movies",  # city: FindMovies -> GetShowtimes
    "dont_care": "restaurants",
    "anaphora": "movies",
    "offer_accepted": "music",
    "offer_declined": "flights",
    "multi_api": "movies",
    "request_field": "restaurants",  # flights and weather say every field of a result: nothing left to ask
    "empty_result": "flights",
    "api_failure": "restaurants",
    "recovery": "movies",
    "gave_up": "flights",
    "goodbye": "weather",
}
# What a single-API skill without `confirm: true` can never show (the system may still
# confirm a value it heard: SimulationConfig.confirm_value).
NEVER_IN_WEATHER = {"api_confirmation_accepted", "api_confirmation_denied", "carryover",
                    "anaphora", "offer_accepted", "offer_declined", "multi_api"}


@pytest.fixture(scope="module")
def scenarios():
    return {name: load_scenario(SCENARIOS / f"{name}.yaml") for name in EXAMPLES}


@pytest.fixture(scope="module")
def shown(scenarios) -> dict[str, collections.Counter]:
    out = {}
    for name in EXAMPLES:
        sim = Simulator(scenarios[name])
        counts = collections.Counter()
        for index in range(2000):
            counts.update(sim.dialogue(0, index).patterns)
        out[name] = counts
    return out


def run(scenario, n: int = 300, seed: int = 0, **changes):
    sim = Simulator(scenario, attrs.evolve(scenario.simulation, **changes))
    return [sim.dialogue(seed, index) for index in range(n)]


# -- the simulation ---------------------------------------------------------------------

def test_every_pattern_is_named_for_a_scenario():
    assert set(SHOWN_BY) == set(PATTERNS)


@pytest.mark.parametrize("pattern", PATTERNS)
def test_pattern_appears_in_its_scenario(shown, pattern):
    assert shown[SHOWN_BY[pattern]][pattern] > 0, (pattern, SHOWN_BY[pattern])


def test_weather_shows_no_multi_api_or_confirmation_pattern(shown):
    assert not NEVER_IN_WEATHER & set(shown["weather"])
    assert shown["weather"]["goodbye"] == 2000  # every dialogue ends with one
    for name in EXAMPLES:
        assert shown[name]["happy_path"] > 1000  # the defaults keep most dialogues happy


@pytest.mark.parametrize("accept_offer", [0.0, 1.0])
@pytest.mark.parametrize("name", EXAMPLES)
def test_probability_zero_gives_only_happy_paths(scenarios, name, accept_offer):
    off = {p: 0.0 for p in PROBABILITIES}
    off["accept_offer"] = accept_offer
    unhappy = {"change_of_mind", "api_confirmation_denied", "empty_result", "api_failure", "recovery", "gave_up",
               "over_inform", "under_inform", "request_field"}
    for d in run(scenarios[name], 200, **off):
        assert "happy_path" in d.patterns and not unhappy & set(d.patterns), d.to_line()
        assert d.outcome is Outcome.COMPLETED
        if accept_offer == 0.0:
            assert not {"multi_api", "offer_accepted", "carryover"} & set(d.patterns)


@pytest.mark.parametrize("name", EXAMPLES)
def test_change_of_mind_one_shows_in_every_dialogue(scenarios, name):
    """Every revision the goal holds is acted out: a value said, then changed."""
    for d in run(scenarios[name], change_of_mind=1.0, deny_confirmation=0.0, give_up=0.0):
        if name == "music" and not d.goal.revisions:
            # A song comes with its artist (a record constraint): with both named, neither
            # can change alone, and a PlayMusic-only goal says nothing else.
            assert d.goal.apis == ("PlayMusic",) and "artist" in d.goal.values, d.to_line()
            continue
        assert d.goal.revisions and "change_of_mind" in d.patterns, d.to_line()


@pytest.mark.parametrize("name", ["flights", "movies", "restaurants"])
def test_deny_confirmation_one_shows_in_every_dialogue_that_confirms(scenarios, name):
    # (no value confirmations: "Did you say 1?" would take the correction first)
    dialogues = run(scenarios[name], deny_confirmation=1.0, give_up=0.0, accept_offer=1.0, confirm_value="never")
    denied = [d for d in dialogues if d.goal.behaviour.deny_confirm]
    assert len(denied) > 100
    for d in denied:
        assert "api_confirmation_denied" in d.patterns and "change_of_mind" in d.patterns, d.to_line()


@pytest.mark.parametrize("name", ["movies", "music", "restaurants"])  # whose results leave a field unsaid
def test_request_field_one_shows_in_every_dialogue(scenarios, name):
    for d in run(scenarios[name], request_field=1.0, give_up=0.0, empty_result=0.0, api_failure=0.0):
        assert "request_field" in d.patterns, d.to_line()


@pytest.mark.parametrize("name", EXAMPLES)
def test_empty_results_are_recovered_from_unless_the_customer_gives_up(scenarios, name):
    for d in run(scenarios[name], 200, empty_result=1.0, api_failure=0.0, give_up=0.0):
        assert {"empty_result", "recovery"} <= set(d.patterns) and d.outcome is Outcome.COMPLETED, d.to_line()
    for d in run(scenarios[name], 200, api_failure=1.0, give_up=1.0):
        assert {"api_failure", "gave_up"} <= set(d.patterns) and d.outcome is Outcome.FAILED, d.to_line()
        assert "happy_path" not in d.patterns


# -- detect on hand-built dialogues -------------------------------------------------------

def user(text: str, *acts: str, **values: str) -> UserTurn:
    """A user turn (acts written as for ``system_talk.user_acts``); each keyword is an INFORM
    whose value is found in ``text``."""
    parsed = user_acts(*acts)
    spans = []
    for slot, value in values.items():
        start = text.index(value)
        spans.append(Span(start=start, end=start + len(value), slot=slot, type="City", value=value))
        parsed.append(UserAct(act=Act.INFORM, slot=slot))
    return UserTurn(text=text, acts=parsed, spans=sorted(spans, key=lambda s: s.start))


def spanless(text: str, *acts: str, **values: str) -> UserTurn:
    """A user turn whose keywords are INFORMs of values said without a span (on the act)."""
    parsed = user_acts(*acts) + [UserAct(act=Act.INFORM, slot=slot, value=value) for slot, value in values.items()]
    return UserTurn(text=text, acts=parsed)


def system(*actions) -> SystemTurn:
    return SystemTurn(actions=[a if isinstance(a, ApiCall) else Response(name=a, text=a) for a in actions])


def search(status: ApiStatus = ApiStatus.OK, **refs: SpanRef) -> ApiCall:
    args = {slot: Arg(value="x", ref=ref) for slot, ref in refs.items()}
    return ApiCall(name="SearchFlight", args=args, status=status,
                   result={"flights": ({"airline": "Delta"},)} if status is ApiStatus.OK else {})


def test_detect_a_happy_path(scenarios):
    turns = [user("from Boston to Seattle today", "invoke SearchFlight", origin="Boston", destination="Seattle",
                  date="today"),
             system(search(origin=SpanRef(0, 0)), "inform_SearchFlight", "reqmore"),
             user("bye", "goodbye"),
             system("goodbye")]
    assert detect(turns, scenarios["flights"], True) == ("happy_path", "over_inform", "goodbye")
    assert detect(turns, scenarios["flights"], False) == ("over_inform", "gave_up", "goodbye")


def test_detect_under_inform_and_change_of_mind(scenarios):
    turns = [user("find me a flight", "invoke SearchFlight"),
             system("request_origin"),
             user("Boston", origin="Boston"),
             system("request_destination"),
             user("Seattle, no, from Denver", destination="Seattle", origin="Denver"),
             system(search(), "inform_SearchFlight", "reqmore")]
    assert detect(turns, scenarios["flights"], True) == ("over_inform", "under_inform", "change_of_mind")
    # Saying the same value again is no change of mind.
    again = turns[:4] + [user("Boston to Seattle", origin="Boston", destination="Seattle")] + turns[5:]
    assert "change_of_mind" not in detect(again, scenarios["flights"], True)


def test_detect_confirmations(scenarios):
    flights = scenarios["flights"]
    book = ApiCall(name="BookFlight", args={}, result={"booking": {"code": "AB1234"}})
    accepted = [user("book it", "invoke BookFlight"), system("confirm_BookFlight"),
                user("yes", "affirm"), system(book, "inform_BookFlight", "reqmore")]
    assert "api_confirmation_accepted" in detect(accepted, flights, True)
    denied = [user("book it", "invoke BookFlight"), system("confirm_BookFlight"),
              user("no", "deny"), system("reqmore")]
    found = detect(denied, flights, True)
    assert "api_confirmation_denied" in found and "happy_path" not in found
    music = scenarios["music"]
    slot = [user("add it to Workout", "invoke AddToPlaylist", playlist="Workout"), system("confirm_playlist"),
            user("yes", "affirm")]
    assert detect(slot, music, True) == ("happy_path", "slot_confirmation")


def test_detect_offers(scenarios):
    flights = scenarios["flights"]
    offered = [user("flights from Boston", "invoke SearchFlight", origin="Boston"),
               system(search(), "inform_SearchFlight", "offer_BookFlight")]
    assert "offer_accepted" in detect(offered + [user("yes", "affirm")], flights, True)
    assert "offer_declined" in detect(offered + [user("no", "deny")], flights, True)
    # A "yes" to something that is not an offer accepts no offer.
    assert not {"offer_accepted", "offer_declined"} & set(detect(
        offered + [user("hm", "thank"), system("reqmore"), user("yes", "affirm")], flights, True))


def test_detect_empty_result_failure_and_recovery(scenarios):
    flights = scenarios["flights"]
    turns = [user("flights from Boston", "invoke SearchFlight", origin="Boston"),
             system(search(ApiStatus.EMPTY), "no_results_SearchFlight"),
             user("from Denver then", origin="Denver"),
             system(search(ApiStatus.FAILURE), "failure_SearchFlight")]
    assert detect(turns, flights, False) == ("change_of_mind", "empty_result", "api_failure", "gave_up")
    recovered = turns + [user("try again", "invoke SearchFlight"), system(search(), "inform_SearchFlight")]
    found = detect(recovered, flights, True)
    assert "recovery" in found and "happy_path" not in found


def test_detect_carryover_and_multi_api(scenarios):
    movies = scenarios["movies"]
    find = ApiCall(name="FindMovies", args={"city": Arg(value="Boston", ref=SpanRef(0, 0))},
                   result={"movies": ({"title": "Neon Tide"},)})
    shows = ApiCall(name="GetShowtimes", args={"city": Arg(value="Boston", ref=SpanRef(0, 0)),
                                               "movie": Arg(value={"title": "Neon Tide"}, ref=ApiRef(1, 0, 0))},
                    result={"showtimes": ({"time": "8 pm"},)})
    turns = [user("movies in Boston", "invoke FindMovies", city="Boston"),
             system(find, "inform_FindMovies", "offer_GetShowtimes"),
             user("yes, the first one", "affirm", "select 0"),
             system(shows, "inform_GetShowtimes", "reqmore")]
    found = detect(turns, movies, True)
    assert {"carryover", "multi_api", "anaphora", "offer_accepted"} <= set(found)
    # The same API called twice with the same span is a repeat, not a carryover.
    again = turns[:2] + [user("again", "invoke FindMovies"), system(find, "inform_FindMovies")]
    assert not {"carryover", "multi_api"} & set(detect(again, movies, True))


def test_detect_user_act_patterns(scenarios):
    flights = scenarios["flights"]
    turns = [user("flights from Boston, any airline", "invoke SearchFlight", "dont_care airline", origin="Boston"),
             system(search(), "inform_SearchFlight", "offer_BookFlight"),
             user("how much is it", "request price")]
    assert {"dont_care", "request_field"} <= set(detect(turns, flights, True))
    assert "goodbye" not in detect(turns, flights, True)


def test_detect_returns_patterns_in_declared_order(scenarios):
    turns = [user("bye", "goodbye"), system("goodbye")]
    assert detect(turns, scenarios["weather"], True) == ("happy_path", "goodbye")
    assert detect([], scenarios["weather"], True) == ("happy_path",)


@pytest.fixture(scope="module")
def diner():
    scenario = load_scenario_text(DINER)
    assert [a.name for a in scenario.apis["Reserve"].args] == ["restaurant", "outdoor_seating"]
    return scenario


def test_detect_reads_values_said_without_a_span_as_spans(diner):
    """A value on its INFORM act (ActRef) counts as the same value said in a span would:
    carried over, changed, given with the request."""
    restaurant = {"name": "Juniper", "outdoor_seating": "true", "quiet": "true", "live_music": "false"}
    find = ApiCall(name="FindRestaurants", args={"outdoor_seating": Arg(value="true", ref=ActRef(0, 1))},
                   result={"restaurants": (restaurant,)})
    reserve = ApiCall(name="Reserve", args={"restaurant": Arg(value=restaurant, ref=ApiRef(1, 0, 0)),
                                            "outdoor_seating": Arg(value="true", ref=ActRef(0, 1))},
                      result={"reservation": {"code": "AB12"}})
    turns = [spanless("find a place with outdoor seating", "invoke FindRestaurants", outdoor_seating="true"),
             system(find, "inform_FindRestaurants", "offer_Reserve"),
             user("yes, the first one", "affirm", "select 0"),
             system(reserve, "inform_Reserve")]
    found = detect(turns, diner, True)
    assert {"carryover", "multi_api", "anaphora"} <= set(found)
    assert "under_inform" not in found  # the request came with a value
    # An act ref and a span ref of the same indices are different things said.
    other = attrs.evolve(reserve, args={**reserve.args, "outdoor_seating": Arg(value="true", ref=SpanRef(0, 1))})
    assert "carryover" not in detect(turns[:3] + [system(other, "inform_Reserve")], diner, True)
    # "with outdoor seating", then "without": a change of mind, as with spans.
    changed = turns[:2] + [spanless("actually without outdoor seating", outdoor_seating="false")]
    assert "change_of_mind" in detect(changed, diner, True)
    same = turns[:2] + [spanless("yes, with outdoor seating", outdoor_seating="true")]
    assert "change_of_mind" not in detect(same, diner, True)
    bare = [spanless("find a restaurant", "invoke FindRestaurants")] + turns[1:]
    assert "under_inform" in detect(bare, diner, True)


def test_values_said_without_a_span_carry_over_in_the_simulation(diner):
    """Reserve takes the outdoor seating the search took, by the same act ref: carryover."""
    dialogues = run(diner, 200)
    shared = 0
    for d in dialogues:
        refs = collections.defaultdict(set)
        for turn in d.turns:
            for action in getattr(turn, "actions", ()):
                if isinstance(action, ApiCall):
                    for arg in action.args.values():
                        if isinstance(arg.ref, ActRef):
                            refs[arg.ref].add(action.name)
        if any(len(apis) > 1 for apis in refs.values()):
            shared += 1
            assert "carryover" in d.patterns, d.to_line()
    assert shared > 10
