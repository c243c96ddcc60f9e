"""The two policies, driven turn by turn with hand-built turns.

``SystemAgent`` hears user turns realised by the real ``Realiser`` (so spans and refs are
real) and answers with a scripted backend whose statuses a test chooses; ``CustomerAgent``
hears hand-built system turns. Each test is one behaviour of the policy the corpus teaches:
what the system asks, when it confirms and calls, where each argument's value came from,
and how the customer answers.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import FLIGHTS, SCENARIOS
from system_talk import ROOM, Talk, names

from dialogsim.agents.customer import CustomerAgent
from dialogsim.agents.system import SystemAgent
from dialogsim.backend import MockBackend
from dialogsim.catalogue import Catalogue
from dialogsim.conversation import Agent, Conversation
from dialogsim.dialogue import (
    Act,
    ApiCall,
    ApiRef,
    ApiStatus,
    Arg,
    Dialogue,
    Outcome,
    Response,
    SpanRef,
    SystemTurn,
    UserAct,
    UserTurn,
)
from dialogsim.goal import Behaviour, Goal, Moment, Revision
from dialogsim.graph import DependencyGraph
from dialogsim.invariants import check_dialogue
from dialogsim.loader import load_scenario, load_scenario_text
from dialogsim.paraphrase.realiser import Realiser

_FLIGHTS = load_scenario(FLIGHTS)
_MOVIES = load_scenario(SCENARIOS / "movies.yaml")
_RESTAURANTS = load_scenario(SCENARIOS / "restaurants.yaml")


def call(turn: SystemTurn) -> ApiCall:
    calls = [a for a in turn.actions if isinstance(a, ApiCall)]
    assert len(calls) == 1, names(turn)
    return calls[0]


def response(turn: SystemTurn, name: str) -> Response:
    return next(a for a in turn.actions if isinstance(a, Response) and a.name == name)


def searched(talk: Talk) -> SystemTurn:
    return talk.say("invoke SearchFlight", origin="Boston", destination="Seattle", date="tomorrow")


# -- the system: requests ---------------------------------------------------------------

def test_both_agents_follow_the_protocol():
    catalogue = Catalogue(_FLIGHTS)
    realiser = Realiser(_FLIGHTS, catalogue)
    system = SystemAgent(_FLIGHTS, DependencyGraph(_FLIGHTS), MockBackend(_FLIGHTS, catalogue), realiser)
    assert isinstance(system, Agent)
    assert isinstance(CustomerAgent(_FLIGHTS, catalogue, realiser), Agent)


def test_system_requests_the_first_missing_required_argument():
    talk = Talk(_FLIGHTS)
    assert names(talk.say("invoke SearchFlight", destination="Seattle")) == ["request_origin"]
    assert names(talk.say(origin="Boston")) == ["request_date"]
    assert talk.backend.calls == []


def test_system_never_asks_again_for_a_value_it_holds():
    talk = Talk(_FLIGHTS)
    talk.say("invoke SearchFlight", date="tomorrow")
    given_date = talk.span("date")
    assert names(talk.say(origin="Boston")) == ["request_destination"]
    given_origin = talk.span("origin")
    reply = talk.say(destination="Seattle")
    assert names(reply) == ["SearchFlight", "inform_SearchFlight", "offer_BookFlight"]
    args = call(reply).args
    assert args["date"] == Arg(value="tomorrow", ref=given_date)
    assert args["origin"] == Arg(value="Boston", ref=given_origin)
    assert args["destination"] == Arg(value="Seattle", ref=talk.span("destination"))
    assert args["airline"] == Arg(value="any airline", ref=None)  # an optional default, no ref
    requests = [n for turn in talk.turns if isinstance(turn, SystemTurn)
                for n in names(turn) if n.startswith("request_")]
    assert requests == ["request_origin", "request_destination"]


def test_system_carries_a_value_over_to_the_next_api():
    """movies: the city said for FindMovies is not asked for GetShowtimes; the call's ref
    is the original span."""
    talk = Talk(_MOVIES)
    reply = talk.say("invoke FindMovies", genre="comedy", city="Chicago")
    assert names(reply) == ["FindMovies", "inform_FindMovies", "offer_GetShowtimes"]
    city = talk.span("city")
    reply = talk.say("affirm", "select 1", date="tomorrow")
    assert names(reply) == ["GetShowtimes", "inform_GetShowtimes", "offer_BuyTickets"]
    args = call(reply).args
    assert args["city"] == Arg(value="Chicago", ref=city)
    movies = call(talk.turns[1]).result["movies"]
    assert args["movie"] == Arg(value=movies[1], ref=ApiRef(1, 0, 1))


def test_system_asks_which_result_and_refs_the_pick():
    talk = Talk(_FLIGHTS)
    searched(talk)
    assert names(talk.say("affirm")) == ["request_flight"]  # offer accepted: three flights, which one?
    assert names(talk.say("select 2")) == ["request_passengers"]
    assert names(talk.say(passengers="2")) == ["request_cabin"]  # optional, but `ask: true`
    confirm = talk.say("dont_care cabin")
    assert names(confirm) == ["confirm_BookFlight"]
    flights = call(talk.turns[1]).result["flights"]
    assert response(confirm, "confirm_BookFlight").args["flight"] == Arg(value=flights[2], ref=ApiRef(1, 0, 2))


def test_system_calls_after_the_confirmation_is_accepted():
    talk = Talk(_FLIGHTS)
    searched(talk)
    assert names(talk.say("invoke BookFlight", "select 0", passengers="2", cabin="business")) == ["confirm_BookFlight"]
    passengers = talk.span("passengers")
    reply = talk.say("affirm")
    assert names(reply) == ["BookFlight", "inform_BookFlight", "reqmore"]
    args = call(reply).args
    assert args["passengers"] == Arg(value="2", ref=passengers)
    assert args["cabin"].value == "business"
    assert args["flight"].ref == ApiRef(1, 0, 0)
    inform = response(reply, "inform_BookFlight")
    assert inform.args["booking"] == Arg(value=call(reply).result["booking"], ref=ApiRef(len(talk.turns) - 1, 0))


def test_system_confirms_again_after_a_denial_with_a_correction():
    talk = Talk(_FLIGHTS)
    searched(talk)
    talk.say("invoke BookFlight", "select 0", passengers="2", cabin="economy")
    reply = talk.say("deny", passengers="3")
    assert names(reply) == ["confirm_BookFlight"]
    assert response(reply, "confirm_BookFlight").args["passengers"] == Arg(value="3", ref=talk.span("passengers"))
    corrected = talk.span("passengers")
    reply = talk.say("affirm")
    assert call(reply).args["passengers"] == Arg(value="3", ref=corrected)


def test_system_cancels_after_a_denial_without_a_correction():
    talk = Talk(_FLIGHTS)
    searched(talk)
    talk.say("invoke BookFlight", "select 0", passengers="2", cabin="economy")
    assert names(talk.say("deny")) == ["reqmore"]
    assert [api for api, _ in talk.backend.calls] == ["SearchFlight"]
    assert names(talk.say("goodbye")) == ["goodbye"]
    assert talk.system.finished


def test_system_answers_a_declined_offer_with_reqmore():
    talk = Talk(_FLIGHTS)
    searched(talk)
    assert names(talk.say("deny")) == ["reqmore"]
    assert names(talk.say("deny")) == ["goodbye"]  # "no" to "anything else?" ends the dialogue
    assert talk.system.finished


def test_system_reports_an_empty_result_and_calls_again_after_a_revision():
    talk = Talk(_FLIGHTS, script={"SearchFlight": [ApiStatus.EMPTY]})
    reply = searched(talk)
    assert names(reply) == ["SearchFlight", "no_results_SearchFlight"]
    assert call(reply).status is ApiStatus.EMPTY and call(reply).result == {}
    reply = talk.say(date="Monday")
    assert names(reply) == ["SearchFlight", "inform_SearchFlight", "offer_BookFlight"]
    assert call(reply).args["date"] == Arg(value="Monday", ref=talk.span("date"))
    assert call(reply).args["origin"].ref == SpanRef(0, talk.turns[0].span_for("origin"))


def test_system_searches_again_when_asked_with_another_value():
    talk = Talk(_FLIGHTS)
    searched(talk)
    reply = talk.say("invoke SearchFlight", date="Monday")  # "find me a flight for Monday"
    assert names(reply) == ["SearchFlight", "inform_SearchFlight", "offer_BookFlight"]
    args = call(reply).args
    assert args["date"] == Arg(value="Monday", ref=talk.span("date"))
    assert args["origin"].ref == SpanRef(0, talk.turns[0].span_for("origin"))  # the rest carries over


def _chain(api1_args: str) -> object:
    """Api0 > Api1 > Api2, the shape the random scenarios found the bug in: Api0 and Api2
    take s0; Api1 takes Api0's result (and the ``api1_args`` given)."""
    return load_scenario_text(f"""
name: chain
types:
  T0: {{values: [a, aa]}}
  E0: {{fields: {{s0: T0}}}}
  E1: {{fields: {{s0: T0}}}}
apis:
  Api0: {{args: {{s0: T0}}, returns: {{name: out0, type: E0}}}}
  Api1: {{args: {{{api1_args}e0: E0}}, returns: {{name: out1, type: E1}}}}
  Api2: {{args: {{s0: T0, e1: E1}}}}
utterances: {{Api0: ["do api 0 with {{s0}}"], Api1: [do api 1], Api2: [do api 2]}}
samples:
  - name: walk
    turns:
      - {{user: "do api 0 with [aa](s0)", acts: [invoke Api0]}}
      - {{system: [Api0, inform_Api0]}}
      - {{user: "do api 1", acts: [invoke Api1]}}
      - {{system: [Api1, inform_Api1]}}
      - {{user: "do api 2", acts: [invoke Api2]}}
      - {{system: [Api2, inform_Api2]}}
""")


_CHAIN_API1 = {"optional s0": "s0: {type: T0, optional: true, default: a}, ", "no s0": ""}


@pytest.mark.parametrize("api1_args", _CHAIN_API1.values(), ids=_CHAIN_API1)
def test_system_runs_again_every_api_between_a_revised_value_and_its_use(api1_args):
    """Api1's result was found from Api0's result for the old s0: once the customer changes
    s0, Api1 runs again (on Api0's new result) before Api2 takes its output."""
    talk = Talk(_chain(api1_args))
    talk.say("invoke Api0", s0="aa")
    talk.say("affirm")  # Api1, offered
    talk.say("affirm")  # Api2, offered
    reply = talk.say("invoke Api0", s0="a")  # changes its mind after the result
    assert names(reply) == ["Api0", "inform_Api0", "reqmore"]  # Api1 done: not offered again
    found_again = ApiRef(talk.last_user + 1, 0)
    reply = talk.say("invoke Api2")
    assert names(reply) == ["Api1", "inform_Api1", "Api2", "inform_Api2", "reqmore"]
    assert reply.actions[0].args["e0"].ref == found_again
    assert reply.actions[2].args["e1"].ref == ApiRef(talk.last_user + 1, 0)
    assert reply.actions[2].args["s0"].value == "a"
    assert talk.system.state.results["Api1"].basis == {("s0", "a")}


def test_system_keeps_a_result_the_revised_value_did_not_feed():
    """Only results found from the old value go: a value Api0 never took leaves its result
    (and Api1's) in use."""
    talk = Talk(_chain("s0: {type: T0, optional: true, default: a}, "))
    talk.say("invoke Api0", s0="aa")
    talk.say("affirm")
    talk.say("affirm")
    found = dict(talk.system.state.results)
    talk.say("invoke Api0", s0="aa")  # the same value again: nothing is out of date
    assert talk.system.state.results["Api1"] == found["Api1"]
    assert names(talk.say("invoke Api2")) == ["Api2", "inform_Api2", "reqmore"]


@pytest.mark.parametrize("api1_args", _CHAIN_API1.values(), ids=_CHAIN_API1)
def test_a_change_of_mind_after_the_last_result_of_a_chain_leaves_no_stale_argument(api1_args):
    """The simulated customer asks again from Api0 and then for Api2; every dialogue passes
    the invariants, which follow each result up the chain to the values it was found with."""
    scenario = _chain(api1_args)
    catalogue = Catalogue(scenario)
    realiser = Realiser(scenario, catalogue)
    conversation = Conversation(
        CustomerAgent(scenario, catalogue, realiser),
        SystemAgent(scenario, DependencyGraph(scenario), MockBackend(scenario, catalogue), realiser), max_turns=40)
    g = Goal(apis=("Api0", "Api1", "Api2"), values={"s0": "aa"},
             revisions=(Revision(api="Api2", slot="s0", value="a", moment=Moment.AFTER_RESULT),))
    for seed in range(10):
        turns, outcome = conversation.run(g, customer_rng=np.random.default_rng(seed),
                                          system_rng=np.random.default_rng(seed + 100))
        dialogue = Dialogue(id=f"chain-{seed}", scenario="chain", goal=g, turns=turns, outcome=outcome)
        assert check_dialogue(dialogue, scenario, catalogue=catalogue) == []
        calls = [a.name for t in turns if isinstance(t, SystemTurn) for a in t.actions if isinstance(a, ApiCall)]
        assert calls == ["Api0", "Api1", "Api2"] * 2 and outcome is Outcome.COMPLETED


def test_system_reports_a_failure_and_retries_when_asked_again():
    talk = Talk(_FLIGHTS, script={"SearchFlight": [ApiStatus.FAILURE]})
    assert names(searched(talk)) == ["SearchFlight", "failure_SearchFlight"]
    reply = talk.say("invoke SearchFlight")
    assert names(reply) == ["SearchFlight", "inform_SearchFlight", "offer_BookFlight"]


def test_system_confirms_again_after_a_failed_confirmed_call():
    """A confirmation covers one call: a failed booking is confirmed again before a retry."""
    talk = Talk(_FLIGHTS, script={"BookFlight": [ApiStatus.FAILURE]})
    searched(talk)
    talk.say("invoke BookFlight", "select 0", passengers="2", cabin="economy")
    assert names(talk.say("affirm")) == ["BookFlight", "failure_BookFlight"]
    assert names(talk.say(passengers="2")) == ["confirm_BookFlight"]


def test_system_answers_a_result_question_then_offers_again():
    talk = Talk(_FLIGHTS)
    searched(talk)
    assert names(talk.say("request departure_time")) == ["request_flight"]  # three flights: which one?
    reply = talk.say("select 2")
    assert names(reply) == ["inform_SearchFlight_departure_time", "offer_BookFlight"]
    flights = call(talk.turns[1]).result["flights"]
    answer = response(reply, "inform_SearchFlight_departure_time")
    assert answer.args["flights"] == Arg(value=flights[2], ref=ApiRef(1, 0, 2))
    assert flights[2]["departure_time"] in answer.text
    reply = talk.say("select 1", "request price")  # "how much is the second one?"
    assert response(reply, "inform_SearchFlight_price").args["flights"].ref == ApiRef(1, 0, 1)
    assert names(talk.say("affirm")) == ["request_passengers"]  # the pick stands: no "which one?"


def test_system_ends_on_goodbye():
    talk = Talk(_FLIGHTS)
    searched(talk)
    reply = talk.say("thank", "goodbye")
    assert names(reply) == ["goodbye"]
    assert talk.system.finished
    dialogue = Dialogue(id="flights-1", scenario="flights", goal=Goal(apis=["SearchFlight"]),
                        turns=talk.turns, outcome=Outcome.COMPLETED)
    assert check_dialogue(dialogue, _FLIGHTS, catalogue=talk.catalogue) == []


def test_system_confirms_an_argument_and_asks_again_after_a_bare_denial(load_text):
    text = FLIGHTS.read_text(encoding="utf-8").replace(
        "      destination: City\n", "      destination: {type: City, confirm: true}\n")
    scenario = load_text(text)
    talk = Talk(scenario)
    reply = searched(talk)
    assert names(reply) == ["confirm_destination"]
    asked = response(reply, "confirm_destination")
    assert asked.args["destination"] == Arg(value="Seattle", ref=talk.span("destination"))
    assert names(talk.say("deny")) == ["request_destination"]  # wrong, and no new value: ask
    assert names(talk.say(destination="Denver")) == ["confirm_destination"]
    reply = talk.say("affirm")
    assert call(reply).args["destination"] == Arg(value="Denver", ref=talk.span("destination", talk.last_user - 2))


# -- the backend -------------------------------------------------------------------------

_MUSIC = load_scenario(SCENARIOS / "music.yaml")


def _play(backend: MockBackend, seed: int, **values: str):
    args = {"artist": Arg(value="any artist")}
    args.update({slot: Arg(value=value, ref=SpanRef(0, i)) for i, (slot, value) in enumerate(values.items())})
    status, result = backend.call("PlayMusic", args, np.random.default_rng(seed))
    assert status is ApiStatus.OK
    return result["track"]


def test_backend_results_agree_with_the_request_and_with_each_other():
    """Declared results are a world where a song has one artist: the backend filters them
    on what was asked, so a song by someone else finds nothing, never a made-up pair."""
    backend = MockBackend(_MUSIC, Catalogue(_MUSIC))
    backend.reset(Goal(apis=("PlayMusic",)))
    assert _play(backend, 0, song="Halo", artist="Beyoncé")["artist"] == "Beyoncé"
    for seed in range(20):
        track = _play(backend, seed, song="Shallow")
        assert (track["title"], track["artist"]) == ("Shallow", "Lady Gaga")
        assert dict(track) in [dict(r) for r in _MUSIC.apis["PlayMusic"].results]
    asked = {"song": Arg(value="Shallow", ref=SpanRef(0, 0)), "artist": Arg(value="Taylor Swift", ref=SpanRef(0, 1))}
    assert backend.call("PlayMusic", asked, np.random.default_rng(0)) == (ApiStatus.EMPTY, {})
    # Generated results (no declared ones) take every value asked for: Alaska finds Alaska.
    flights = MockBackend(_FLIGHTS, Catalogue(_FLIGHTS))
    flights.reset(Goal(apis=("SearchFlight",)))
    args = {"airline": Arg(value="Alaska", ref=SpanRef(0, 0))}
    _, result = flights.call("SearchFlight", args, np.random.default_rng(0))
    assert {f["airline"] for f in result["flights"]} == {"Alaska"}


# -- the customer ------------------------------------------------------------------------

_VALUES = {"origin": "Boston", "destination": "Seattle", "date": "tomorrow", "passengers": "2"}


def customer(goal: Goal, seed: int = 0, scenario=_FLIGHTS) -> CustomerAgent:
    catalogue = Catalogue(scenario)
    agent = CustomerAgent(scenario, catalogue, Realiser(scenario, catalogue))
    agent.reset(goal, np.random.default_rng(seed))
    return agent


def goal(**changes) -> Goal:
    behaviour = changes.pop("behaviour", Behaviour())
    return Goal(**{"apis": ("SearchFlight", "BookFlight"), "values": _VALUES, **changes}, behaviour=behaviour)


def system(*actions) -> SystemTurn:
    """A system turn of responses (names) and ready-made API calls."""
    return SystemTurn(actions=[a if isinstance(a, ApiCall) else Response(name=a, text=a) for a in actions])


_FLIGHT = {"airline": "Delta", "departure_time": "9 am", "price": "$89"}
_SEARCH_OK = ApiCall(name="SearchFlight", args={}, result={"flights": (_FLIGHT, _FLIGHT)})


def kinds(turn: UserTurn) -> list[Act]:
    return [a.act for a in turn.acts]


def informed(turn: UserTurn) -> dict[str, str]:
    return {s.slot: s.value for s in turn.spans}


@pytest.mark.parametrize("first_informs", [0, 1, 2, 3])
def test_customer_first_turn_invokes_the_first_api_with_its_first_informs(first_informs):
    agent = customer(goal(behaviour=Behaviour(first_informs=first_informs)))
    turn = agent.act(ROOM)
    assert turn.acts[0] == UserAct(act=Act.INVOKE, api="SearchFlight")
    said = informed(turn)
    assert len(said) == first_informs
    assert all(_VALUES[slot] == value for slot, value in said.items())
    assert set(said) <= {"origin", "destination", "date"}  # only SearchFlight's values


def test_customer_answers_a_request_with_its_value():
    agent = customer(goal(behaviour=Behaviour(first_informs=0)))
    agent.act(ROOM)
    agent.observe(system("request_origin"))
    turn = agent.act(ROOM)
    assert kinds(turn) == [Act.INFORM] and informed(turn) == {"origin": "Boston"}


def test_customer_over_informs_when_asked():
    agent = customer(goal(behaviour=Behaviour(first_informs=0, informs_per_turn=2)))
    agent.act(ROOM)
    agent.observe(system("request_origin"))
    said = informed(agent.act(ROOM))
    assert len(said) == 2 and said["origin"] == "Boston"


def test_customer_does_not_care_about_an_optional_value():
    agent = customer(goal(dont_care=("cabin",), behaviour=Behaviour(first_informs=3)))
    agent.act(ROOM)
    agent.observe(system(_SEARCH_OK, "inform_SearchFlight", "offer_BookFlight"))
    accept = agent.act(ROOM)
    assert kinds(accept)[:1] == [Act.AFFIRM]
    agent.observe(system("request_cabin"))
    assert agent.act(ROOM).acts == (UserAct(act=Act.DONT_CARE, slot="cabin"),)


def test_customer_picks_a_result_when_asked_which():
    agent = customer(goal(behaviour=Behaviour(first_informs=3, select=1)))
    agent.act(ROOM)
    agent.observe(system(_SEARCH_OK, "inform_SearchFlight", "offer_BookFlight"))
    agent.act(ROOM)
    agent.observe(system("request_flight"))
    assert agent.act(ROOM).acts == (UserAct(act=Act.SELECT, item=1),)


def test_customer_picks_an_item_the_latest_list_has():
    """The system reads "the third one" against the latest list: asked which Api1 result,
    after Api0 found three and Api1 two, the customer picks the second, not the third."""
    scenario = load_scenario_text("""
name: lists
types:
  T0: {values: [a, b]}
  E0: {fields: {s0: T0}}
  E1: {fields: {s0: T0}}
apis:
  Api0: {args: {s0: T0}, returns: {name: out0, type: E0, many: true}}
  Api1: {args: {e0: E0}, returns: {name: out1, type: E1, many: true}}
  Api2: {args: {e0: E0, e1: E1}}
utterances: {Api0: ["do api 0 with {s0}"], Api1: [do api 1], Api2: [do api 2]}
samples:
  - name: walk
    turns:
      - {user: "do api 0 with [a](s0)", acts: [invoke Api0]}
      - {system: [Api0, inform_Api0]}
      - {user: "do api 1", acts: [invoke Api1]}
      - {system: [Api1, inform_Api1]}
      - {user: "do api 2", acts: [invoke Api2]}
      - {system: [Api2, inform_Api2]}
""")
    agent = customer(Goal(apis=("Api0", "Api1", "Api2"), values={"s0": "a"}, behaviour=Behaviour(select=2)),
                     scenario=scenario)
    agent.act(ROOM)
    item = {"s0": "a"}
    agent.observe(system(ApiCall(name="Api0", result={"out0": (item,) * 3}), "inform_Api0", "offer_Api1"))
    agent.act(ROOM)
    agent.observe(system(ApiCall(name="Api1", result={"out1": (item,) * 2}), "inform_Api1", "request_e1"))
    assert agent.act(ROOM).acts == (UserAct(act=Act.SELECT, item=1),)


def test_customer_refers_back_by_anaphora_when_accepting_an_offer():
    agent = customer(goal(behaviour=Behaviour(first_informs=3, anaphora=True, select=2)))
    agent.act(ROOM)
    agent.observe(system(_SEARCH_OK, "inform_SearchFlight", "offer_BookFlight"))
    turn = agent.act(ROOM)
    assert kinds(turn)[0] is Act.AFFIRM
    assert UserAct(act=Act.SELECT, item=1) in turn.acts  # item 2 of a two-item list: the last one


def test_customer_declines_an_offer_outside_its_goal():
    agent = customer(goal(apis=("SearchFlight",), behaviour=Behaviour(first_informs=3)))
    agent.act(ROOM)
    agent.observe(system(_SEARCH_OK, "inform_SearchFlight", "offer_BookFlight"))
    turn = agent.act(ROOM)
    assert kinds(turn)[0] is Act.DENY
    agent.observe(system("reqmore"))
    assert Act.GOODBYE in kinds(agent.act(ROOM))
    assert agent.outcome is Outcome.COMPLETED


def _at_booking_confirmation(g: Goal) -> CustomerAgent:
    agent = customer(g)
    agent.act(ROOM)
    agent.observe(system(_SEARCH_OK, "inform_SearchFlight", "offer_BookFlight"))
    assert "passengers" in informed(agent.act(ROOM))  # accepts, and says how many
    agent.observe(system("confirm_BookFlight"))
    return agent


def test_customer_denies_a_confirmation_with_a_correction_once():
    revision = Revision(api="BookFlight", slot="passengers", value="3", moment=Moment.AT_CONFIRMATION)
    agent = _at_booking_confirmation(goal(revisions=(revision,), behaviour=Behaviour(
        first_informs=3, deny_confirm=("BookFlight",))))
    turn = agent.act(ROOM)
    assert kinds(turn) == [Act.DENY, Act.INFORM] and informed(turn) == {"passengers": "3"}
    agent.observe(system("confirm_BookFlight"))
    assert kinds(agent.act(ROOM)) == [Act.AFFIRM]


def test_customer_affirms_a_confirmation_it_does_not_deny():
    agent = _at_booking_confirmation(goal(behaviour=Behaviour(first_informs=3)))
    assert kinds(agent.act(ROOM)) == [Act.AFFIRM]


def test_customer_changes_its_mind_after_a_result():
    """It asks again, with the new value ("find me a flight for Monday"): a bare value
    would answer no question of the system's."""
    revision = Revision(api="SearchFlight", slot="date", value="Monday", moment=Moment.AFTER_RESULT)
    agent = customer(goal(revisions=(revision,), behaviour=Behaviour(first_informs=3)))
    agent.act(ROOM)
    agent.observe(system(_SEARCH_OK, "inform_SearchFlight", "offer_BookFlight"))
    turn = agent.act(ROOM)
    assert turn.acts == (UserAct(act=Act.INVOKE, api="SearchFlight"), UserAct(act=Act.INFORM, slot="date"))
    assert informed(turn) == {"date": "Monday"}


def test_customer_asks_again_from_the_first_api_that_takes_the_changed_value():
    """movies: showtimes in another city need movies found there, so the customer asks for
    movies in the new city ("what's playing in Portland"), not for showtimes."""
    revision = Revision(api="GetShowtimes", slot="city", value="Portland", moment=Moment.AFTER_RESULT)
    movie = {"title": "Neon Tide", "rating": "PG-13", "runtime": "2 hours"}
    showing = {"time": "8 pm", "theater": "Roxy Theater", "format": "2D"}
    agent = customer(Goal(apis=("FindMovies", "GetShowtimes"), revisions=(revision,),
                          values={"genre": "comedy", "city": "Boston", "date": "tomorrow"},
                          behaviour=Behaviour(first_informs=3)), scenario=_MOVIES)
    agent.act(ROOM)
    agent.observe(system(ApiCall(name="FindMovies", result={"movies": (movie,)}), "inform_FindMovies",
                         "offer_GetShowtimes"))
    agent.act(ROOM)
    agent.observe(system(ApiCall(name="GetShowtimes", result={"showtimes": (showing,)}), "inform_GetShowtimes",
                         "offer_BuyTickets"))
    turn = agent.act(ROOM)
    assert turn.acts == (UserAct(act=Act.INVOKE, api="FindMovies"), UserAct(act=Act.INFORM, slot="city"))
    assert informed(turn) == {"city": "Portland"}


def test_customer_changes_its_mind_before_the_call():
    """The value to change is said first, and a required one is left for the system to
    ask: answering it, the customer revises the first."""
    revision = Revision(api="SearchFlight", slot="date", value="Monday", moment=Moment.BEFORE_CALL)
    for seed in range(20):
        agent = customer(goal(revisions=(revision,), behaviour=Behaviour(first_informs=3)), seed=seed)
        first = informed(agent.act(ROOM))
        assert first["date"] == "tomorrow" and len(first) == 2
        missing = ({"origin", "destination"} - set(first)).pop()
        agent.observe(system(f"request_{missing}"))
        assert informed(agent.act(ROOM)) == {missing: _VALUES[missing], "date": "Monday"}


def test_customer_asks_about_a_result_field():
    agent = customer(goal(requests={"SearchFlight": ("price",)}, behaviour=Behaviour(first_informs=3)))
    agent.act(ROOM)
    agent.observe(system(_SEARCH_OK, "inform_SearchFlight", "offer_BookFlight"))
    assert agent.act(ROOM).acts == (UserAct(act=Act.REQUEST, slot="price"),)
    agent.observe(system("inform_SearchFlight_price", "offer_BookFlight"))
    assert kinds(agent.act(ROOM))[0] is Act.AFFIRM  # asked once, then goes on


_EMPTY = ApiCall(name="SearchFlight", args={}, status=ApiStatus.EMPTY)
_FAILED = ApiCall(name="SearchFlight", args={}, status=ApiStatus.FAILURE)


def test_customer_gives_up_after_an_empty_result_when_its_goal_says_so():
    agent = customer(goal(behaviour=Behaviour(first_informs=3, give_up=True)))
    agent.act(ROOM)
    agent.observe(system(_EMPTY, "no_results_SearchFlight"))
    assert agent.act(ROOM).acts == (UserAct(act=Act.GOODBYE),)
    assert agent.outcome is Outcome.FAILED


def test_customer_recovers_from_an_empty_result_with_another_value():
    agent = customer(goal(behaviour=Behaviour(first_informs=3)))
    agent.act(ROOM)
    agent.observe(system(_EMPTY, "no_results_SearchFlight"))
    turn = agent.act(ROOM)
    assert kinds(turn) == [Act.INFORM]
    ((slot, value),) = informed(turn).items()
    assert value != _VALUES[slot]


def test_customer_gives_up_when_no_value_it_said_can_change(load_text):
    """After an empty result a customer tries another value -- of a type that has one;
    with none, it gives up: the same search again would find nothing again (the backend's
    world is consistent), and "changing" to the same value is no change."""
    scenario = load_text("""
        name: single
        types:
          Only: {values: [same]}
        apis:
          A: {args: {one: Only}}
        samples:
          - name: a
            turns:
              - user: do a with [same](one)
                acts: [invoke A]
              - system: [A, inform_A]
              - user: bye
                acts: [goodbye]
              - system: [goodbye]
        """)
    agent = customer(Goal(apis=("A",), values={"one": "same"}, behaviour=Behaviour(first_informs=1)),
                     scenario=scenario)
    assert informed(agent.act(ROOM)) == {"one": "same"}
    agent.observe(system(ApiCall(name="A", args={}, status=ApiStatus.EMPTY), "no_results_A"))
    assert agent.act(ROOM).acts == (UserAct(act=Act.GOODBYE),)
    assert agent.outcome is Outcome.FAILED


def test_customer_asks_for_something_else_when_no_secondary_value_can_bend():
    """restaurants: nothing found, no price range set and no day or time to bend: the
    customer asks for another cuisine or city ("what about Italian instead?"), one the
    world has; it never repeats the search that found nothing."""
    changed = set()
    wants = Goal(apis=("FindRestaurants",), values={"cuisine": "Thai", "city": "Boston"}, dont_care=("price_range",),
                 behaviour=Behaviour(first_informs=2))
    agent = customer(wants, scenario=_RESTAURANTS)
    for seed in range(12):
        agent.reset(wants, np.random.default_rng(seed))
        agent.act(ROOM)
        agent.observe(system(ApiCall(name="FindRestaurants", status=ApiStatus.EMPTY), "no_results_FindRestaurants"))
        turn = agent.act(ROOM)
        ((slot, value),) = informed(turn).items()
        assert kinds(turn) == [Act.INFORM] and slot in ("cuisine", "city")
        assert value != {"cuisine": "Thai", "city": "Boston"}[slot]
        assert agent.values == {**{"cuisine": "Thai", "city": "Boston"}, slot: value}
        assert any(r["cuisine"] == agent.values["cuisine"] and r["city"] == agent.values["city"]
                   for r in _RESTAURANTS.apis["FindRestaurants"].results)
        changed.add(slot)
    assert changed == {"cuisine", "city"}


def test_customer_changes_values_a_constraint_ties_together():
    """music: "Bohemian Rhapsody" found nothing and its artist is tied to it (a record):
    neither changes alone, so another song comes with its own artist ("what about Halo by
    Beyoncé, then?"), a pair the world has; the old one is never asked for again."""
    records = {(r["title"], r["artist"]) for r in _MUSIC.apis["PlayMusic"].results}
    wants = Goal(apis=("PlayMusic",), values={"song": "Bohemian Rhapsody", "artist": "Queen"},
                 behaviour=Behaviour(first_informs=2))
    agent = customer(wants, scenario=_MUSIC)
    for seed in range(8):
        agent.reset(wants, np.random.default_rng(seed))
        agent.act(ROOM)
        agent.observe(system(ApiCall(name="PlayMusic", status=ApiStatus.EMPTY), "no_results_PlayMusic"))
        turn = agent.act(ROOM)
        new = informed(turn)
        assert kinds(turn) == [Act.INFORM, Act.INFORM] and set(new) == {"song", "artist"}
        assert (new["song"], new["artist"]) in records and new["song"] != "Bohemian Rhapsody"


def test_a_recovery_keeps_a_change_of_mind_to_come_possible():
    """restaurants: the goal will switch to Vietnamese, drawn to fit Austin; nothing found,
    the customer may move the search to another city, but only to one with a Vietnamese
    place, so the change of mind comes as the goal records it (issue #9: 4 of 427 revisions
    in restaurants were said as another cuisine than recorded)."""
    results = _RESTAURANTS.apis["FindRestaurants"].results
    revision = Revision(api="FindRestaurants", slot="cuisine", value="Vietnamese", moment=Moment.AFTER_RESULT)
    wants = Goal(apis=("FindRestaurants",), values={"cuisine": "Indian", "city": "Austin"},
                 dont_care=("price_range",), revisions=(revision,), behaviour=Behaviour(first_informs=2))
    agent = customer(wants, scenario=_RESTAURANTS)
    cities = set()
    for seed in range(12):
        agent.reset(wants, np.random.default_rng(seed))
        agent.act(ROOM)
        agent.observe(system(ApiCall(name="FindRestaurants", status=ApiStatus.EMPTY), "no_results_FindRestaurants"))
        city = informed(agent.act(ROOM)).get("city")
        if city is not None:
            cities.add(city)
            assert any((r["cuisine"], r["city"]) == ("Vietnamese", city) for r in results)
        found = ApiCall(name="FindRestaurants", args={}, result={"restaurants": ({"name": "Taj Palace"},)})
        agent.observe(system(found, "inform_FindRestaurants"))
        said = informed(agent.act(ROOM))  # nothing, where the recovery already chose Vietnamese
        assert said.get("cuisine", "Vietnamese") == "Vietnamese" == agent.values["cuisine"]
    assert cities - {"Austin"}


def test_a_change_of_mind_that_no_longer_fits_is_not_said():
    """restaurants: a planned switch to Vietnamese that the city now held cannot have is
    dropped, not said as another cuisine: the goal records the value, so one said must be it."""
    revision = Revision(api="FindRestaurants", slot="cuisine", value="Vietnamese", moment=Moment.AFTER_RESULT)
    wants = Goal(apis=("FindRestaurants",), values={"cuisine": "Indian", "city": "Austin"},
                 dont_care=("price_range",), revisions=(revision,), behaviour=Behaviour(first_informs=2))
    agent = customer(wants, scenario=_RESTAURANTS)
    agent.act(ROOM)
    agent.values["city"] = agent.said["city"] = "Chicago"  # no Vietnamese place there
    assert not any((r["cuisine"], r["city"]) == ("Vietnamese", "Chicago")
                   for r in _RESTAURANTS.apis["FindRestaurants"].results)
    found = ApiCall(name="FindRestaurants", args={}, result={"restaurants": ({"name": "Taj Palace"},)})
    agent.observe(system(found, "inform_FindRestaurants"))
    assert "cuisine" not in informed(agent.act(ROOM)) and agent.values["cuisine"] == "Indian"


def test_customer_recovers_without_changing_a_value_an_earlier_api_used():
    """movies: showtimes found nothing; the city the movies were found in stays, the day
    changes (another city would need another movie search)."""
    movie = {"title": "Neon Tide", "rating": "PG-13", "runtime": "2 hours"}
    for seed in range(10):
        agent = customer(Goal(apis=("FindMovies", "GetShowtimes"),
                              values={"genre": "comedy", "city": "Boston", "date": "tomorrow"},
                              behaviour=Behaviour(first_informs=2)), seed=seed, scenario=_MOVIES)
        agent.act(ROOM)
        agent.observe(system(ApiCall(name="FindMovies", result={"movies": (movie,)}), "inform_FindMovies",
                             "offer_GetShowtimes"))
        assert informed(agent.act(ROOM)) == {"date": "tomorrow"}
        agent.observe(system(ApiCall(name="GetShowtimes", status=ApiStatus.EMPTY), "no_results_GetShowtimes"))
        turn = agent.act(ROOM)
        assert list(informed(turn)) == ["date"] and informed(turn)["date"] != "tomorrow"


def test_customer_retries_after_a_failure():
    agent = customer(goal(behaviour=Behaviour(first_informs=3)))
    agent.act(ROOM)
    agent.observe(system(_FAILED, "failure_SearchFlight"))
    assert agent.act(ROOM).acts == (UserAct(act=Act.INVOKE, api="SearchFlight"),)


def test_customer_says_goodbye_when_out_of_time():
    agent = customer(goal(behaviour=Behaviour(first_informs=0)))
    agent.act(ROOM)
    agent.observe(system("request_origin"))
    assert agent.act(3).acts == (UserAct(act=Act.GOODBYE),)  # no room for another exchange
    assert agent.finished
    assert agent.outcome is Outcome.FAILED


# -- the two together --------------------------------------------------------------------

def test_conversation_alternates_and_ends_with_the_systems_goodbye():
    catalogue = Catalogue(_FLIGHTS)
    realiser = Realiser(_FLIGHTS, catalogue)
    system_agent = SystemAgent(_FLIGHTS, DependencyGraph(_FLIGHTS), MockBackend(_FLIGHTS, catalogue), realiser)
    conversation = Conversation(CustomerAgent(_FLIGHTS, catalogue, realiser), system_agent, max_turns=40)
    g = goal(behaviour=Behaviour(first_informs=3, select=1))
    turns, outcome = conversation.run(g, customer_rng=np.random.default_rng(5), system_rng=np.random.default_rng(6))
    assert [t.speaker for t in turns] == ["user", "system"] * (len(turns) // 2)
    assert outcome is Outcome.COMPLETED
    assert [a.name for a in turns[-1].actions] == ["goodbye"]
    booked = [a for t in turns if isinstance(t, SystemTurn) for a in t.actions
              if isinstance(a, ApiCall) and a.name == "BookFlight"]
    assert len(booked) == 1 and booked[0].args["passengers"].value == "2"
    dialogue = Dialogue(id="flights-0", scenario="flights", goal=g, turns=turns, outcome=outcome)
    assert check_dialogue(dialogue, _FLIGHTS, catalogue=catalogue) == []
