"""Realiser and TemplateIndex: user turns with exact spans, system responses, harvested templates."""

from __future__ import annotations

import re
import textwrap

import attrs
import numpy as np
import pytest
from conftest import FLIGHTS, SCENARIOS
from hypothesis import given, settings
from hypothesis import strategies as st

from dialogsim.catalogue import Catalogue
from dialogsim.dialogue import Act, Arg, Span, SpanRef, UserAct, UserTurn
from dialogsim.errors import ScenarioError
from dialogsim.loader import load_scenario, load_scenario_text
from dialogsim.paraphrase import Realiser, Template, TemplateIndex
from dialogsim.paraphrase.templates import delexicalise, ordinal
from dialogsim.schema import ResponseAct, SampleTurn, UtteranceSet
from dialogsim.testing.strategies import scenarios
from dialogsim.wording import words


def plain(scenario):
    """``scenario`` without the built-in phrasebook: the tests of phrasing below are about
    the scenario's own phrasings, the defaults and how the realiser joins them
    (tests/test_phrasebook.py covers the phrasebook)."""
    return attrs.evolve(scenario, variation=attrs.evolve(scenario.variation, phrasebook=False))


_FLIGHTS = plain(load_scenario(FLIGHTS))
_CATALOGUE = Catalogue(_FLIGHTS)
_REALISER = Realiser(_FLIGHTS, _CATALOGUE)

INVOKE = lambda api: UserAct(act=Act.INVOKE, api=api)  # noqa: E731
INFORM = lambda slot: UserAct(act=Act.INFORM, slot=slot)  # noqa: E731
SELECT = lambda item: UserAct(act=Act.SELECT, item=item)  # noqa: E731
AFFIRM, DENY, THANK, GOODBYE = (UserAct(act=a) for a in (Act.AFFIRM, Act.DENY, Act.THANK, Act.GOODBYE))


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def check_turn(turn: UserTurn, acts, values, catalogue: Catalogue, scenario) -> None:
    """The span invariants every realised turn must hold."""
    assert turn.text and turn.text == turn.text.strip()
    assert turn.acts == tuple(acts)
    informed = [a.slot for a in acts if a.act is Act.INFORM]
    assert sorted(s.slot for s in turn.spans) == sorted(informed)  # one span per INFORM, none else
    assert [s.start for s in turn.spans] == sorted(s.start for s in turn.spans)
    for left, right in zip(turn.spans, turn.spans[1:]):
        assert left.end <= right.start
    for span in turn.spans:
        surface = turn.text[span.start:span.end]
        assert span.type == scenario.slots[span.slot]
        assert span.value == values[span.slot]
        assert surface == span.value or catalogue.canonical(span.type, surface) == span.value


def all_acts(scenario, catalogue) -> list[UserAct]:
    """Every act the agents can produce in ``scenario``."""
    index = TemplateIndex(scenario)
    acts = [UserAct(act=a) for a in (Act.AFFIRM, Act.DENY, Act.THANK, Act.GOODBYE)]
    acts += [INVOKE(api) for api in scenario.apis]
    acts += [INFORM(slot) for slot in sorted(index.speakable)]
    acts += [UserAct(act=Act.DONT_CARE, slot=a.name) for api in scenario.apis.values() for a in api.args if a.optional]
    acts += [SELECT(i) for i in range(4)]
    for api in scenario.apis.values():
        if api.returns is not None and scenario.types[api.returns.type].is_entity:
            acts += [UserAct(act=Act.REQUEST, slot=f) for f in scenario.types[api.returns.type].fields]
    return acts


def values_for(scenario, catalogue, g) -> dict[str, str]:
    return {slot: catalogue.sample(type_name, g) for slot, type_name in scenario.slots.items()
            if not scenario.types[type_name].is_entity}


_ALL_ACTS = all_acts(_FLIGHTS, _CATALOGUE)


# -- user turns: the invariants -----------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(data=st.data(), seed=st.integers(0, 2**32 - 1))
def test_spans_are_exact_for_any_act_combination(data, seed):
    acts = data.draw(st.lists(st.sampled_from(_ALL_ACTS), min_size=1, max_size=8, unique=True)
                     .flatmap(st.permutations))
    g = rng(seed)
    values = values_for(_FLIGHTS, _CATALOGUE, g)
    turn = _REALISER.user_turn(acts, values, g)
    check_turn(turn, acts, values, _CATALOGUE, _FLIGHTS)


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_scenario_realises_every_single_act_and_all_informs(path):
    scenario = load_scenario(path)
    catalogue = Catalogue(scenario, faker_pool=20)
    realiser = Realiser(scenario, catalogue)
    acts = all_acts(scenario, catalogue)
    informs = [a for a in acts if a.act is Act.INFORM]
    for seed in range(20):
        g = rng(seed)
        values = values_for(scenario, catalogue, g)
        for combination in [[a] for a in acts] + [informs, acts]:
            check_turn(realiser.user_turn(combination, values, g), combination, values, catalogue, scenario)


@settings(max_examples=40, deadline=None)
@given(scenario=scenarios(), data=st.data(), seed=st.integers(0, 2**32 - 1))
def test_random_scenarios_realise_any_act_combination(scenario, data, seed):
    catalogue = Catalogue(scenario)
    realiser = Realiser(scenario, catalogue)
    acts = data.draw(st.lists(st.sampled_from(all_acts(scenario, catalogue)), min_size=1, max_size=6, unique=True))
    g = rng(seed)
    values = values_for(scenario, catalogue, g)
    check_turn(realiser.user_turn(acts, values, g), acts, values, catalogue, scenario)


def test_same_seed_same_turn():
    acts = [INVOKE("SearchFlight"), INFORM("origin"), INFORM("destination"), INFORM("airline")]
    values = {"origin": "Boston", "destination": "New York", "airline": "Delta"}
    turns = [_REALISER.user_turn(acts, values, rng(s)) for s in range(30)]
    assert turns == [_REALISER.user_turn(acts, values, rng(s)) for s in range(30)]
    assert len({t.text for t in turns}) > 5  # and the seeds do vary the phrasing


def test_synonyms_keep_the_canonical_value():
    always = Realiser(_FLIGHTS, Catalogue(_FLIGHTS, synonym_rate=1.0))
    turn = always.user_turn([INFORM("destination"), INFORM("passengers")], {"destination": "New York",
                                                                             "passengers": "2"}, rng(1))
    said = {s.slot: turn.text[s.start:s.end] for s in turn.spans}
    assert said["destination"] in ("NYC", "New York City") and said["passengers"] in ("two", "two of us")
    assert {s.slot: s.value for s in turn.spans} == {"destination": "New York", "passengers": "2"}


# -- user turns: the phrasing -------------------------------------------------------------

AFFIRMS = "yes|yeah|sure|yes please|that's right|correct"
DENIES = "no|nope|no thanks|not really"


def texts(acts, values=None, n=40) -> set[str]:
    return {_REALISER.user_turn(acts, values or {}, rng(s)).text for s in range(n)}


def test_affirm_and_select_an_ordinal():
    for text in texts([AFFIRM, SELECT(1)]):
        assert re.fullmatch(rf"({AFFIRMS}), (book |I'll take )?the second one", text), text


def test_deny_then_a_value():
    for text in texts([DENY, INFORM("destination")], {"destination": "Boston"}):
        assert re.fullmatch(rf"({DENIES}), ((going )?to )?Boston(, MA|, Massachusetts)?", text), text  # where it is


def test_thank_then_goodbye():
    for text in texts([THANK, GOODBYE]):
        assert re.fullmatch(r"(thanks|thank you|great, thanks), (bye|goodbye|that's all)", text)
    # A goodbye alone thanks nobody: a thank would be an act the turn does not carry.
    assert texts([GOODBYE]) == {"bye", "goodbye", "that's all"}


def test_yes_and_no_fit_the_question():
    """"that's right" confirms and cannot accept an offer; "no thanks" declines an offer and
    cannot correct a confirmation. Without the prompt, any phrasing may come."""
    def said(acts, prompt):
        return {_REALISER.user_turn(acts, {}, rng(s), prompt=prompt).text for s in range(80)}

    offer, confirm = ResponseAct.OFFER, ResponseAct.CONFIRM_API
    assert not {"that's right", "correct"} & said([AFFIRM], offer)
    assert {"that's right", "correct", "yes"} <= said([AFFIRM], confirm)
    assert not {"no thanks", "not really"} & said([DENY], confirm)
    assert {"no thanks", "not really"} <= said([DENY], offer)
    assert {"that's right", "no thanks"} <= texts([AFFIRM], n=80) | texts([DENY], n=80)
    # The flights sample's "yes" answered a confirmation, its "no thanks" an offer.
    index = TemplateIndex(_FLIGHTS)
    harvested = {t.text: t.confirming for t in index if t.source == "sample" and len(t.acts) == 1}
    assert harvested["yes"] is True and harvested["no thanks"] is False


def test_a_bare_value_answers_a_question_for_it_only():
    destination = [INFORM("destination")]
    values = {"destination": "Boston"}
    asked = {_REALISER.user_turn(destination, values, rng(s), prompt=ResponseAct.REQUEST).text for s in range(60)}
    assert "Boston" in asked
    after_no_results = {_REALISER.user_turn(destination, values, rng(s), prompt=ResponseAct.NO_RESULTS).text
                        for s in range(60)}
    assert after_no_results and all(re.search(r" Boston(, MA|, Massachusetts)?$", t) for t in after_no_results)  # "to Boston"


_RESTAURANTS = plain(load_scenario(SCENARIOS / "restaurants.yaml"))


def test_a_closing_phrasing_is_said_last():
    """"{cuisine}, please" and "{price_range} is fine" end what the customer says."""
    realiser = Realiser(_RESTAURANTS, Catalogue(_RESTAURANTS))
    values = {"cuisine": "Thai", "city": "Boston", "price_range": "cheap"}
    acts = [INVOKE("FindRestaurants"), INFORM("cuisine"), INFORM("city"), INFORM("price_range")]
    found = {realiser.user_turn(acts[1:], values, rng(s)).text for s in range(300)}
    found |= {realiser.user_turn(acts, values, rng(s)).text for s in range(300)}
    for text in found:
        assert not re.search(r"(, please|please|is fine)\b.", text), text
    alone = {realiser.user_turn([INFORM("cuisine")], values, rng(s)).text for s in range(60)}
    assert "Thai, please" in alone


def test_a_clause_after_a_request_takes_a_comma():
    realiser = Realiser(_RESTAURANTS, Catalogue(_RESTAURANTS))
    acts = [INVOKE("FindRestaurants"), INFORM("cuisine")]
    found = {realiser.user_turn(acts, {"cuisine": "Thai"}, rng(s)).text for s in range(400)}
    clauses = [t for t in found if "let's do Thai" in t and not t.startswith("let's")]
    assert clauses and all(", let's do Thai" in t for t in clauses)
    assert any(t.endswith(" in Boston") for t in {realiser.user_turn(
        [INVOKE("FindRestaurants"), INFORM("city")], {"city": "Boston"}, rng(s)).text for s in range(200)})


def test_invoke_prefers_a_phrasing_holding_the_informed_slots():
    found = texts([INVOKE("SearchFlight"), INFORM("destination"), INFORM("date")],
                  {"destination": "Boston", "date": "Monday"}, n=200)
    assert "get me a flight to Boston Monday" in found  # a scenario phrasing with exactly those slots
    assert "find me a flight to Boston Monday" in found  # the sample's, delexicalised
    composed = found - {"get me a flight to Boston Monday", "find me a flight to Boston Monday"}
    assert any(t.startswith("find a flight to Boston ") for t in composed)  # sometimes composed


def test_select_of_a_later_item_never_says_it_or_that_one():
    for item in (1, 2, 5, 11):
        for text in texts([SELECT(item)]):
            assert ordinal(item) in text and text not in ("it", "that one")
    assert {"it", "that one"} <= texts([SELECT(0)], n=100)
    # Asked "which one?", "that one" points at nothing among several results.
    asked = {_REALISER.user_turn([SELECT(0)], {}, rng(s), prompt=ResponseAct.REQUEST).text for s in range(100)}
    assert asked == {"the first one", "I'll take the first one"}


def test_an_item_zero_only_sample_phrasing_is_kept_for_item_zero():
    acts = [INVOKE("BookFlight"), SELECT(0), INFORM("passengers"), INFORM("cabin")]
    values = {"passengers": "3", "cabin": "business"}
    assert "ok book it for 3 in business" in texts(acts, values, n=200)
    assert not any(t.startswith("ok book it for") for t in texts([INVOKE("BookFlight"), SELECT(1), *acts[2:]],
                                                                    values, n=200))


def test_request_and_dont_care():
    assert texts([UserAct(act=Act.REQUEST, slot="price")]) == {"how much is it", "what does it cost"}
    assert texts([UserAct(act=Act.REQUEST, slot="airline")]) == {"what's the airline?"}  # generated default
    assert texts([UserAct(act=Act.DONT_CARE, slot="airline")]) == {"any airline is fine",
                                                                   "I don't mind which airline"}
    cabin = UserAct(act=Act.DONT_CARE, slot="cabin")
    assert texts([cabin]) == {"any cabin is fine", "I don't mind which cabin"}
    # Without phrasings of its own, a slot's dont_care says one of the scenario's generic ones.
    generic = attrs.evolve(_FLIGHTS, utterances=tuple(u for u in _FLIGHTS.utterances if u.target != "cabin"))
    realiser = Realiser(generic, _CATALOGUE)
    assert {realiser.user_turn([cabin], {}, rng(s)).text for s in range(40)} == {
        "I don't care", "doesn't matter", "whatever works"}
    assert texts([UserAct(act=Act.REQUEST, slot="departure_time"), THANK]) <= {
        f"{q} and {t}" for q in ("when does it leave", "what time does it depart")
        for t in ("thanks", "thank you", "great, thanks")} | {
        f"{q}, {t}" for q in ("when does it leave", "what time does it depart")
        for t in ("thanks", "thank you", "great, thanks")}


def test_a_sentence_ending_piece_is_followed_by_a_space():
    turn = _REALISER.user_turn([UserAct(act=Act.REQUEST, slot="code"), GOODBYE], {}, rng())
    assert turn.text.startswith("what's the code? ")


def test_bad_turns_are_caller_bugs():
    with pytest.raises(ValueError, match="at least one act"):
        _REALISER.user_turn([], {}, rng())
    with pytest.raises(ValueError, match="'flight'"):
        _REALISER.user_turn([INFORM("flight")], {"flight": "x"}, rng())
    with pytest.raises(ValueError, match="informed twice"):
        _REALISER.user_turn([INFORM("date"), INFORM("date")], {"date": "Monday"}, rng())
    with pytest.raises(ValueError, match="no value for informed slot 'date'"):
        _REALISER.user_turn([INFORM("date")], {}, rng())


def test_user_turn_takes_microseconds():
    """A guard against accidental slowness (the budget is ~20 µs; this allows 10x)."""
    import timeit

    acts = [INVOKE("SearchFlight"), INFORM("destination"), INFORM("date")]
    values = {"destination": "Boston", "date": "Monday"}
    g = rng()
    seconds = min(timeit.repeat(lambda: _REALISER.user_turn(acts, values, g), number=500, repeat=3)) / 500
    assert seconds < 200e-6


# -- system responses ---------------------------------------------------------------------

FLIGHT_A = {"airline": "Delta", "departure_time": "9 am", "price": "$89"}
FLIGHT_B = {"airline": "United", "departure_time": "noon", "price": "$120"}
FLIGHT_C = {"airline": "Alaska", "departure_time": "6 pm", "price": "$220"}


def system_texts(name, args, n=30) -> set[str]:
    return {_REALISER.system_text(name, args, rng(s)) for s in range(n)}


def test_entities_speak_through_say_and_lists_join():
    assert system_texts("inform_SearchFlight", {"flights": (FLIGHT_A,)}) == {
        "I found Delta at 9 am for $89.", "There's Delta at 9 am for $89."}
    assert "I found Delta at 9 am for $89 and United at noon for $120." in system_texts(
        "inform_SearchFlight", {"flights": (FLIGHT_A, FLIGHT_B)})
    assert "I found Delta at 9 am for $89, United at noon for $120 and Alaska at 6 pm for $220." in system_texts(
        "inform_SearchFlight", {"flights": [FLIGHT_A, FLIGHT_B, FLIGHT_C]})


def test_field_placeholders_and_strings():
    assert system_texts("inform_SearchFlight_price", {"flights": FLIGHT_B}) == {"The price is $120.", "It's $120."}
    assert "The price is $89 and $120." in system_texts("inform_SearchFlight_price", {"flights": (FLIGHT_A, FLIGHT_B)})
    assert "Shall I book Delta at 9 am for $89 for 2?" in system_texts(
        "confirm_BookFlight", {"flight": FLIGHT_A, "passengers": "2"})
    assert system_texts("inform_BookFlight", {"booking": {"code": "AB1234"}}) == {
        "You're booked. Here's your confirmation code AB1234.", "Done! Your confirmation code is AB1234."}


def test_arg_values_and_responses_without_placeholders():
    assert "It's $89." in system_texts("inform_SearchFlight_price",
                                       {"flights": Arg(value=FLIGHT_A, ref=SpanRef(0, 0))})
    assert system_texts("request_origin", {}) == {"Where are you flying from?", "Which city are you leaving from?"}


def test_missing_or_unknown_is_a_value_error():
    missing = r"response 'confirm_BookFlight': no value for placeholder \{(flight|passengers)\}"
    with pytest.raises(ValueError, match=missing):
        _REALISER.system_text("confirm_BookFlight", {}, rng())
    with pytest.raises(ValueError, match="unknown response 'nope'"):
        _REALISER.system_text("nope", {}, rng())
    with pytest.raises(ValueError, match="no field 'price'"):
        _REALISER.system_text("inform_SearchFlight_price", {"flights": {"airline": "Delta"}}, rng())


NESTED = """
    name: nested
    types:
      Word: {values: [alpha, beta]}
      Inner: {fields: {a: Word, b: Word}}
      Outer:
        fields: {inner: Inner, c: Word}
        say: "{c} with {inner}"
    apis:
      Get:
        args: {a: Word}
        returns: {name: outer, type: Outer}
    responses:
      inform_Get:
        args: {outer: Outer}
        text: "Got {outer}; inner {outer.inner}."
    samples:
      - name: one
        turns:
          - user: "get [alpha](a)"
            acts: [invoke Get]
          - system: [Get, inform_Get]
"""


def test_an_entity_without_say_joins_its_fields_and_nests():
    scenario = plain(load_scenario_text(textwrap.dedent(NESTED)))
    realiser = Realiser(scenario, Catalogue(scenario))
    outer = {"inner": {"b": "beta", "a": "alpha"}, "c": "beta"}
    assert realiser.system_text("inform_Get", {"outer": outer}, rng()) == "Got beta with alpha beta; inner alpha beta."
    # The only phrasing of Get is the sample's "get {a}": invoking without a value needs the default.
    assert {realiser.user_turn([INVOKE("Get")], {}, rng(s)).text for s in range(10)} == {"get"}
    assert realiser.user_turn([INVOKE("Get"), INFORM("a")], {"a": "beta"}, rng()).text in ("get beta", "get, beta")


# -- templates ----------------------------------------------------------------------------


def test_samples_are_delexicalised():
    turns = [turn for sample in _FLIGHTS.samples for turn in sample.turns if turn.speaker == "user"]
    harvested = {(t.text, t.acts, t.slots, t.select_item) for t in map(delexicalise, turns)}
    search, book = (Act.INVOKE, "SearchFlight"), (Act.INVOKE, "BookFlight")
    expected = {
        ("find me a flight to {destination} {date}", (search,), frozenset({"destination", "date"}), None),
        ("from {origin}", (), frozenset({"origin"}), None),
        ("yes, book the {ordinal} one", ((Act.AFFIRM, None), (Act.SELECT, None)), frozenset(), None),
        ("for {passengers}", (), frozenset({"passengers"}), None),
        ("thanks, bye", ((Act.THANK, None), (Act.GOODBYE, None)), frozenset(), None),
        ("I want to fly from {origin} to {destination} {date}", (search,),
         frozenset({"origin", "destination", "date"}), None),
        ("ok book it for {passengers} in {cabin}", (book, (Act.SELECT, None)),
         frozenset({"passengers", "cabin"}), 0),
        ("when does it leave", ((Act.REQUEST, "departure_time"),), frozenset(), None),
    }
    assert expected <= harvested and len(harvested) == len(turns)  # no sample turn is dropped
    indexed = {(t.text, t.acts, t.slots, t.select_item) for t in TemplateIndex(_FLIGHTS)}
    assert expected <= indexed
    assert not any("Seattle" in text or "first" in text for text, *_ in harvested)


def test_delexicalise_uses_the_ordinal_of_the_selected_item_only():
    turn = SampleTurn(speaker="user", text="not the first, the second one to [Boston]",
                      acts=(SELECT(1), INFORM("destination")),
                      spans=(Span(start=33, end=39, slot="destination", type="City", value="Boston"),))
    template = delexicalise(attrs.evolve(turn, text="not the first, the second one to Boston"))
    assert template.text == "not the first, the {ordinal} one to {destination}"
    assert template.select_item is None and template.slots == frozenset({"destination"})
    no_ordinal = SampleTurn(speaker="user", text="that one", acts=(SELECT(2),))
    assert delexicalise(no_ordinal).select_item == 2
    overlapping = SampleTurn(speaker="user", text="to Boston", acts=(INFORM("origin"), INFORM("destination")),
                             spans=(Span(start=3, end=9, slot="origin", type="City", value="Boston"),
                                    Span(start=5, end=9, slot="destination", type="City", value="Boston")))
    assert delexicalise(overlapping) is None


def test_defaults_fill_only_what_the_scenario_leaves_out():
    index = TemplateIndex(_FLIGHTS)
    by_acts = {}
    for t in index:
        by_acts.setdefault(t.acts, set()).add(t.text)
    assert {"thanks", "thank you", "great, thanks"} <= by_acts[((Act.THANK, None),)]
    assert "no preference" not in by_acts[((Act.DONT_CARE, None),)]  # the scenario phrases dont_care
    assert "search flight" not in by_acts[((Act.INVOKE, "SearchFlight"),)]  # it phrases invoking too
    assert by_acts[((Act.REQUEST, "code"),)] == {"what's the code?"}
    assert "{code}" in by_acts[()]  # every speakable slot has a one-slot inform phrasing


def test_looking_up_a_fallback_leaves_the_index_as_it_was():
    index = TemplateIndex(_FLIGHTS)
    size = len(index)
    (entry,) = index.single((Act.REQUEST, "colour"))
    assert entry[1][0].text == "what's the colour?"
    assert len(index) == size and index.single((Act.REQUEST, "colour")) is index.single((Act.REQUEST, "colour"))


def test_a_scenario_without_utterances_gets_every_default():
    index = TemplateIndex(attrs.evolve(_FLIGHTS, utterances=(), samples=()))
    texts_of = {t.acts: set() for t in index}
    for t in index:
        texts_of[t.acts].add(t.text)
    assert texts_of[((Act.INVOKE, "SearchFlight"),)] == {"search flight"}
    assert texts_of[((Act.REQUEST, "departure_time"),)] == {"what's the departure time?"}
    assert "no preference" in texts_of[((Act.DONT_CARE, None),)]
    realiser = Realiser(attrs.evolve(_FLIGHTS, utterances=(), samples=()), _CATALOGUE)
    turn = realiser.user_turn([INVOKE("SearchFlight"), INFORM("origin")], {"origin": "Boston"}, rng())
    assert re.fullmatch(r"search flight, Boston(, MA|, Massachusetts)?", turn.text), turn.text  # where it is, now and then
    assert (turn.spans[0].start, turn.spans[0].end) == (15, 21)


def test_template_errors_name_the_utterance():
    twice = attrs.evolve(_FLIGHTS, utterances=(UtteranceSet(act=Act.INVOKE, target="SearchFlight",
                                                            templates=("from {origin} or {origin}",), line=9),))
    with pytest.raises(ScenarioError, match=r":9: utterances.SearchFlight: .*\{origin\} appears twice"):
        TemplateIndex(twice)
    entity = attrs.evolve(_FLIGHTS, utterances=(UtteranceSet(act=Act.INFORM, templates=("{flight}",)),))
    with pytest.raises(ScenarioError, match=r"\{flight\} is not a slot the customer can say"):
        TemplateIndex(entity)


def test_template_parsing():
    t = Template(text="  from {origin} to {destination}!  ", slots=frozenset({"origin", "destination"}))
    assert t.literals == ("from ", " to ", "!") and t.names == ("origin", "destination")
    assert t.ends_sentence and not t.leads_with_value and not t.bare and t.kind is Act.INFORM
    assert t.continues and not t.closing
    assert Template(text="{origin}", slots=frozenset({"origin"})).bare
    assert not Template(text="let's do {cuisine}", slots=frozenset({"cuisine"})).continues
    closing = ("{genre}, please", "{date} works", "{price} is fine", "{x} please")
    assert all(Template(text=text, slots=frozenset({text[1:text.index("}")]})).closing for text in closing)
    assert not any(Template(text=text, slots=frozenset({"n"})).closing
                   for text in ("{n} people", "there will be {n} of us", "for {n}"))
    assert words("SearchFlight") == "search flight" and words("departure_time") == "departure time"
    assert [ordinal(i) for i in (0, 1, 9, 10, 11, 20, 21, 22)] == [
        "first", "second", "tenth", "11th", "12th", "21st", "22nd", "23rd"]


def test_a_repeated_request_from_a_sample_is_not_harvested_as_an_opener():
    """music.yaml's "play it again" leans on the turns before it; as a general invoke
    phrasing it would open dialogues with "play it again"."""
    from dialogsim.paraphrase.templates import TemplateIndex
    from dialogsim.scenarios import path

    index = TemplateIndex(plain(load_scenario(path("music"))))
    invokes = {t.text for _, templates in index.entries(((Act.INVOKE, "PlayMusic"),)) for t in templates}
    assert invokes and "play it again" not in invokes
    assert "play {song} by {artist}" in invokes  # the sample's opening turn is kept


def test_a_value_never_repeats_the_word_before_it():
    """flights says one passenger as "just me" too: "just {passengers}" then says another
    form ("just one", "just 1"), never "just just me"."""
    just = Template(text="just {passengers}", slots=frozenset(("passengers",)))
    said = {_REALISER._render([(0, just, None)], (INFORM("passengers"),), {"passengers": "1"}, rng(s)).text
            for s in range(60)}
    assert said and not any("just just" in t for t in said), said
    assert len(said) > 1  # the other forms still come


def test_a_correction_drops_the_greeting_of_the_phrasing_it_opens():
    """A cue goes at the head of a turn that asks again: "actually, find me a flight to
    Denver", never "actually, hi, find me ..." (a correction is no opening)."""
    greeted = Template(text="hi there, find me a flight to {destination}", acts=((Act.INVOKE, "SearchFlight"),),
                       slots=frozenset(("destination",)))
    date = Template(text="for {date}", slots=frozenset(("date",)))
    for seed in range(30):
        pieces = [(0, greeted, None), (1, date, None)]
        _REALISER._cue(pieces, frozenset(("date",)), None, rng(seed))
        head = pieces[0][1].text
        assert not re.search(r"\b(hi|there)\b", head) and "find me a flight" in head, head


def test_dates_have_more_of_the_forms_people_write():
    from dialogsim.spoken import value_forms

    forms = value_forms(["the 21st", "Monday", "next Friday", "this Saturday", "December 3rd", "May 19th"])
    assert {"21st", "the twenty first"} <= set(forms["the 21st"])
    assert {"this Monday", "Mon"} <= set(forms["Monday"])
    assert {"next Fri", "Friday next week"} <= set(forms["next Friday"])
    assert {"Sat", "this coming Saturday"} <= set(forms["this Saturday"])
    assert {"December third", "3 Dec", "Dec. 3"} <= set(forms["December 3rd"])
    assert "May 19" in forms["May 19th"] and not [f for f in forms["May 19th"] if "May." in f]  # May is no abbreviation
    # each form still says one value: the catalogue reads it back
    catalogue = Catalogue(_FLIGHTS)
    assert catalogue.canonical("Date", "Mon") == "Monday" and catalogue.canonical("Date", "21st") == "the 21st"


def test_only_the_opening_turn_greets():
    """A new request in the middle of a conversation ("oh wait, I want action movies")
    greets no one: the phrasebook's greeted invoke phrasings ("good day, ...", "hey, hi,
    ...") are for the turn that opens the dialogue."""
    movies = load_scenario(SCENARIOS / "movies.yaml")
    realiser = Realiser(movies, Catalogue(movies))
    acts = [INVOKE("FindMovies"), INFORM("genre")]
    greets = re.compile(r"^\W*(hi|hiya|hey|hello|good (day|morning|afternoon|evening)|morning|afternoon|evening)\b",
                        re.IGNORECASE)
    opening = [realiser.user_turn(acts, {"genre": "action"}, rng(s)).text for s in range(300)]
    later = [realiser.user_turn(acts, {"genre": "action"}, rng(s), prompt=ResponseAct.OFFER).text for s in range(300)]
    assert sum(bool(greets.match(t)) for t in opening) > 20
    assert not [t for t in later if greets.match(t)]
