"""GoalSampler: API paths in the configured proportions, values from the catalogues, and
each pattern switched fully off at probability 0 and on at probability 1."""

from __future__ import annotations

import collections

import attrs
import numpy as np
import pytest
from conftest import FLIGHTS, SCENARIOS

from dialogsim.catalogue import Catalogue
from dialogsim.config import PROBABILITIES, SimulationConfig
from dialogsim.goal import Moment
from dialogsim.goals.sampler import GoalSampler, path_key
from dialogsim.graph import DependencyGraph
from dialogsim.loader import load_scenario

DRAWS = 2000
EXAMPLES = sorted(p.stem for p in SCENARIOS.glob("*.yaml"))


@pytest.fixture(scope="module")
def loaded():
    out = {}
    for name in EXAMPLES:
        scenario = load_scenario(SCENARIOS / f"{name}.yaml")
        out[name] = (scenario, DependencyGraph(scenario), Catalogue(scenario))
    return out


def sampler(loaded, name: str, **changes) -> GoalSampler:
    scenario, graph, catalogue = loaded[name]
    return GoalSampler(scenario, graph, catalogue, attrs.evolve(scenario.simulation, **changes))


def goals(s: GoalSampler, n: int = DRAWS, seed: int = 0):
    rng = np.random.default_rng(seed)
    return [s.sample(rng) for _ in range(n)]


def _all(value: float) -> dict[str, float]:
    return {name: value for name in PROBABILITIES}


# -- paths -------------------------------------------------------------------------------

def test_paths_follow_sample_graph_and_override_weights(loaded):
    """movies: its samples show FindMovies > GetShowtimes (weight 1.0) and the three-API
    chain, which ``path_weights`` raises to 2.0; the graph adds FindMovies alone (0.5)."""
    s = sampler(loaded, "movies", accept_offer=1.0)
    counts = collections.Counter(g.apis for g in goals(s))
    total = 1.0 + 2.0 + 0.5
    expected = {("FindMovies", "GetShowtimes"): 1.0 / total,
                ("FindMovies", "GetShowtimes", "BuyTickets"): 2.0 / total,
                ("FindMovies",): 0.5 / total}
    assert set(counts) == set(expected)
    for path, p in expected.items():
        assert abs(counts[path] / DRAWS - p) < 0.04, (path, counts[path] / DRAWS, p)


def test_sample_and_graph_weights(loaded):
    only_graph = sampler(loaded, "movies", accept_offer=1.0, sample_path_weight=0.0, path_weights={})
    assert {g.apis for g in goals(only_graph, 200)} == {("FindMovies",)}
    only_samples = sampler(loaded, "movies", accept_offer=1.0, graph_path_weight=0.0, path_weights={})
    counts = collections.Counter(g.apis for g in goals(only_samples))
    assert set(counts) == {("FindMovies", "GetShowtimes"), ("FindMovies", "GetShowtimes", "BuyTickets")}
    assert abs(counts[("FindMovies", "GetShowtimes")] / DRAWS - 0.5) < 0.04


def test_path_weights_override_and_switch_off_paths(loaded):
    s = sampler(loaded, "flights", accept_offer=1.0, path_weights={
        "SearchFlight": 3.0, path_key(("SearchFlight", "BookFlight")): 1.0})
    counts = collections.Counter(g.apis for g in goals(s))
    assert abs(counts[("SearchFlight",)] / DRAWS - 0.75) < 0.04
    s = sampler(loaded, "flights", accept_offer=1.0, path_weights={"SearchFlight": 0.0})
    assert {g.apis for g in goals(s, 300)} == {("SearchFlight", "BookFlight")}


def test_every_path_weight_zero_is_an_error(loaded):
    with pytest.raises(ValueError, match="weight 0"):
        sampler(loaded, "weather", sample_path_weight=0.0, graph_path_weight=0.0)


def test_declined_offers_shorten_the_path(loaded):
    never = goals(sampler(loaded, "movies", accept_offer=0.0), 300)
    assert {g.apis for g in never} == {("FindMovies",)}
    half = goals(sampler(loaded, "flights", accept_offer=0.5, path_weights={"SearchFlight": 0.0}))
    share = sum(len(g.apis) == 2 for g in half) / DRAWS
    assert abs(share - 0.5) < 0.04


# -- values ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", EXAMPLES)
def test_values_come_from_the_catalogues_and_cover_the_path(loaded, name):
    scenario, _, catalogue = loaded[name]
    slots = scenario.slots
    for g in goals(sampler(loaded, name), 500):
        for slot, value in g.values.items():
            assert value in catalogue.values(slots[slot])
        for revision in g.revisions:
            assert revision.value in catalogue.values(slots[revision.slot])
            assert revision.value != g.values[revision.slot]  # a change of mind changes something
        for api in g.apis:
            for arg in scenario.apis[api].args:
                sayable = arg.source is None and scenario.types[arg.type].is_catalogue
                if sayable and arg.required:
                    assert arg.name in g.values and arg.name not in g.dont_care
        assert not set(g.values) & set(g.dont_care)


def test_a_shared_slot_has_one_value_that_both_apis_use(loaded):
    """movies: city is an argument of FindMovies and GetShowtimes."""
    from dialogsim.simulation import Simulator

    scenario = loaded["movies"][0]
    config = attrs.evolve(scenario.simulation, **{**_all(0.0), "accept_offer": 1.0})
    sim = Simulator(scenario, config)
    seen = 0
    for index in range(100):
        d = sim.dialogue(0, index)
        calls = {a.name: a for t in d.turns if t.speaker == "system" for a in t.actions if a.kind == "api"}
        if "GetShowtimes" in calls:
            seen += 1
            city = d.goal.values["city"]
            assert calls["FindMovies"].args["city"].value == city == calls["GetShowtimes"].args["city"].value
            assert calls["FindMovies"].args["city"].ref == calls["GetShowtimes"].args["city"].ref
    assert seen > 50


# The sample of the two-API scenarios below: A, then B.
_A_THEN_B = """
        samples:
          - name: both
            turns:
              - user: do a
                acts: [invoke A]
              - system: [A, inform_A]
              - user: do b
                acts: [invoke B]
              - system: [B, inform_B]
              - user: bye
                acts: [goodbye]
              - system: [goodbye]
"""


def test_optional_for_one_api_required_for_the_next_gets_a_value(load_text):
    """``s`` is optional for A (and may be left to its default) but required for B: the
    customer must hold a value for it, or B could never be called."""
    scenario = load_text("""
        name: shared
        types:
          T: {values: [a, b, c]}
          E: {fields: {s: T}}
        apis:
          A:
            args: {s: {type: T, optional: true, default: a}}
            returns: {name: e, type: E}
          B:
            args: {s: T, e: E}
        """ + _A_THEN_B)
    config = attrs.evolve(scenario.simulation, dont_care=1.0, accept_offer=1.0, path_weights={"A": 0.0})
    s = GoalSampler(scenario, DependencyGraph(scenario), Catalogue(scenario), config)
    for g in goals(s, 200):
        assert g.apis == ("A", "B")
        assert "s" in g.values and g.dont_care == ()


def test_sampling_is_deterministic_given_the_generator(loaded):
    s = sampler(loaded, "restaurants")
    assert goals(s, 50, seed=3) == goals(s, 50, seed=3)
    assert goals(s, 50, seed=3) != goals(s, 50, seed=4)


# -- pattern switches --------------------------------------------------------------------

@pytest.mark.parametrize("name", EXAMPLES)
def test_probability_zero_switches_every_pattern_off(loaded, name):
    for g in goals(sampler(loaded, name, **_all(0.0)), 500):
        assert g.revisions == () and g.outcomes == {} and g.requests == {} and g.dont_care == ()
        b = g.behaviour
        assert b.deny_confirm == () and not b.anaphora and not b.give_up
        assert b.informs_per_turn == 1
        assert len(g.apis) == 1  # accept_offer 0: every offer declined
        optional = {a.name for api in g.apis for a in loaded[name][0].apis[api].args if a.optional}
        assert not optional & set(g.values)  # optional_value 0: no optional values


def test_change_of_mind_one_gives_every_goal_a_revision(loaded):
    for name in EXAMPLES:
        for g in goals(sampler(loaded, name, change_of_mind=1.0, deny_confirmation=0.0), 300):
            if name == "music" and g.apis == ("PlayMusic",) and "artist" in g.values:
                # The song comes with its artist (a record): with the artist named, no
                # other song keeps the pair true, and nothing else is said.
                assert g.revisions == ()
                continue
            assert len(g.revisions) == 1, name  # every example has a value that can change
            (revision,) = g.revisions
            assert revision.api in g.apis and revision.slot in g.values


def test_revisions_are_about_values_the_customer_will_say(loaded):
    """Required values, or optional ones the system asks for; before the call only for an
    API with two values of its own (one to change, one still to be asked)."""
    scenario = loaded["flights"][0]
    moments = collections.Counter()
    for g in goals(sampler(loaded, "flights", change_of_mind=1.0, deny_confirmation=0.0, optional_value=1.0,
                           dont_care=0.0)):
        (revision,) = g.revisions
        arg = scenario.apis[revision.api].arg(revision.slot)
        assert arg.required or arg.ask, revision  # never 'airline': nobody asks for it
        if revision.moment is Moment.BEFORE_CALL:
            assert revision.api == "SearchFlight"  # BookFlight has one required value only
            assert g.behaviour.first_informs >= 1
        moments[revision.moment] += 1
    assert set(moments) == {Moment.BEFORE_CALL, Moment.AFTER_RESULT, Moment.AT_CONFIRMATION}


def test_a_confirmed_api_is_never_asked_again_after_its_result(loaded):
    """Confirmed APIs are transactions: changing a value after the booking would book twice."""
    for name in EXAMPLES:
        scenario = loaded[name][0]
        s = sampler(loaded, name, change_of_mind=1.0, deny_confirmation=0.0, accept_offer=1.0)
        after = {r.api for g in goals(s, 500) for r in g.revisions if r.moment is Moment.AFTER_RESULT}
        assert after and not {api for api in after if scenario.apis[api].confirm}, (name, after)


def test_values_that_belong_together_come_from_one_declared_result(loaded):
    """music: a customer who names the artist names the one who sings the song."""
    scenario = loaded["music"][0]
    tracks = {(r["title"], r["artist"]) for r in scenario.apis["PlayMusic"].results}
    with_artist = goals(sampler(loaded, "music", dont_care=0.0, optional_value=1.0), 300)
    assert with_artist and all((g.values["song"], g.values["artist"]) in tracks for g in with_artist)
    songs = {g.values["song"] for g in with_artist}
    assert len(songs) > 10  # and still every song


def test_confirmation_revisions_keep_values_an_earlier_api_used(load_text):
    """B takes A's result and A's value ``s``: denying B's confirmation to change ``s``
    would leave A's result out of date, so only B's own ``t`` changes there."""
    scenario = load_text("""
        name: chain
        types:
          T: {values: [a, b, c]}
          E: {fields: {s: T}}
        apis:
          A:
            args: {s: T}
            returns: {name: e, type: E, many: true}
          B:
            args: {s: T, t: T, e: E}
            confirm: true
        """ + _A_THEN_B)
    graph, catalogue = DependencyGraph(scenario), Catalogue(scenario)
    for changes in ({"deny_confirmation": 1.0}, {"deny_confirmation": 0.0, "change_of_mind": 1.0}):
        config = attrs.evolve(scenario.simulation, accept_offer=1.0, path_weights={"A": 0.0}, **changes)
        moments = collections.Counter()
        for g in goals(GoalSampler(scenario, graph, catalogue, config), 500):
            for revision in g.revisions:
                moments[revision.moment] += 1
                if revision.moment is not Moment.AFTER_RESULT and revision.api == "B":
                    assert revision.slot == "t", revision
        assert moments[Moment.AT_CONFIRMATION] > 50


def test_types_with_one_value_are_never_revised(load_text):
    scenario = load_text("""
        name: single
        types:
          Only: {values: [same]}
          Many: {values: [x, y, z]}
        apis:
          A: {args: {one: Only, many: Many}}
        samples:
          - name: a
            turns:
              - user: do a
                acts: [invoke A]
              - system: [A, inform_A]
              - user: bye
                acts: [goodbye]
              - system: [goodbye]
        """)
    config = attrs.evolve(scenario.simulation, change_of_mind=1.0)
    s = GoalSampler(scenario, DependencyGraph(scenario), Catalogue(scenario), config)
    assert {r.slot for g in goals(s, 300) for r in g.revisions} == {"many"}


def test_deny_confirmation_one(loaded):
    for g in goals(sampler(loaded, "flights", deny_confirmation=1.0, accept_offer=1.0,
                           path_weights={"SearchFlight": 0.0}), 300):
        assert g.behaviour.deny_confirm == ("BookFlight",)
        (revision,) = g.revisions
        assert revision.api == "BookFlight" and revision.moment is Moment.AT_CONFIRMATION
        assert revision.slot == "passengers" or (revision.slot == "cabin" and "cabin" in g.values)


def test_outcome_switches(loaded):
    assert all(g.outcomes == {} for g in goals(sampler(loaded, "flights", empty_result=0.0, api_failure=0.0), 300))
    for g in goals(sampler(loaded, "flights", api_failure=1.0), 300):
        assert g.outcomes == {api: "failure" for api in g.apis}
    for g in goals(sampler(loaded, "flights", api_failure=0.0, empty_result=1.0), 300):
        assert g.outcomes == {api: "empty" for api in g.apis}
    mixed = goals(sampler(loaded, "weather", api_failure=0.25, empty_result=0.25))
    share = collections.Counter(g.outcomes.get("GetWeather", "ok") for g in mixed)
    assert abs(share["failure"] / DRAWS - 0.25) < 0.04 and abs(share["empty"] / DRAWS - 0.25) < 0.04


def test_behaviour_switches(loaded):
    for g in goals(sampler(loaded, "flights", over_inform=1.0, under_inform=0.0, change_of_mind=0.0,
                           deny_confirmation=0.0), 300):
        first = [a for a in ("origin", "destination", "date", "airline") if a in g.values]
        assert g.behaviour.first_informs == len(first) and g.behaviour.informs_per_turn == 2
    for g in goals(sampler(loaded, "flights", under_inform=1.0, change_of_mind=0.0, deny_confirmation=0.0), 300):
        assert g.behaviour.first_informs == 0
    assert all(g.behaviour.give_up and g.behaviour.anaphora
               for g in goals(sampler(loaded, "flights", give_up=1.0, anaphora=1.0), 300))


def test_optional_argument_switches(loaded):
    for g in goals(sampler(loaded, "flights", dont_care=1.0), 300):
        assert "airline" in g.dont_care and "airline" not in g.values
    for g in goals(sampler(loaded, "flights", dont_care=0.0, optional_value=1.0), 300):
        assert "airline" in g.values and g.dont_care == ()


def test_request_field_one_asks_about_every_result(loaded):
    for g in goals(sampler(loaded, "flights", request_field=1.0), 300):
        assert set(g.requests) == set(g.apis)
        assert g.requests.get("SearchFlight", ("price",))[0] in ("airline", "departure_time", "price")


def test_default_config_is_the_scenarios():
    scenario = load_scenario(FLIGHTS)
    s = GoalSampler(scenario, DependencyGraph(scenario), Catalogue(scenario))
    assert s.config is scenario.simulation
    assert SimulationConfig().change_of_mind == pytest.approx(0.15)
