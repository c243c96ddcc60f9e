"""The system phrasebook: many wordings for every generic response, each saying exactly
what the response says (its act, its placeholders), acknowledgements only where they fit,
and a corpus whose system side is no longer a handful of sentences."""

from __future__ import annotations

import re
from collections import Counter

import attrs
import pytest
from conftest import FLIGHTS

from dialogsim.defaults import default_responses
from dialogsim.dialogue import Act, Response, SystemTurn
from dialogsim.generation import simulate
from dialogsim.loader import load_scenario
from dialogsim.paraphrase import system_lexicon as lexicon
from dialogsim.paraphrase.system_phrases import (
    _NEUTRAL,
    _reworded,
    all_texts,
    response_variants,
    said_texts,
    with_opener,
)
from dialogsim.paraphrase.templates import parse
from dialogsim.scenarios import path
from dialogsim.schema import ResponseAct
from dialogsim.state import Context
from dialogsim.wording import acts

_NAMES = ("flights", "restaurants", "movies", "music", "weather")
_SCENARIOS = {name: load_scenario(path(name)) for name in _NAMES}
_ASKS = (ResponseAct.REQUEST, ResponseAct.CONFIRM_ARGS, ResponseAct.OFFER, ResponseAct.REQMORE)
_TELLS = (ResponseAct.NO_RESULTS, ResponseAct.FAILURE, ResponseAct.GOODBYE)


def _placeholders(text: str) -> frozenset[str]:
    return frozenset(parse(text)[1])


@pytest.mark.parametrize("name", _NAMES)
def test_every_wording_keeps_the_placeholders_and_asks_exactly_when_the_act_asks(name):
    scenario = _SCENARIOS[name]
    for response in scenario.responses.values():
        args = set(response.args)
        own = {_placeholders(t) for t in response.texts}
        for context, v in response_variants(scenario, response).items():
            for text in v.own + v.extra:
                said = _placeholders(text)
                assert {p.partition(".")[0] for p in said} <= args, (response.name, text)
                if response.act is ResponseAct.CONFIRM_ARGS:
                    assert "{" + response.slot + "}" in text, (response.name, text)
                if response.act is ResponseAct.CONFIRM_API and not response.generated and context == Context.PLAIN:
                    assert said in own, (response.name, text)  # the scenario's own, reworded
                if response.act in _ASKS or (response.act is ResponseAct.CONFIRM_API and context == Context.PLAIN
                                             and any(t.endswith("?") for t in response.texts)):
                    assert text.endswith("?"), (response.name, context, text)
                if (response.act in _TELLS or context == Context.IMPLICIT) and text not in response.texts:
                    assert not text.endswith("?"), (response.name, context, text)
                if response.act is ResponseAct.REQUEST:
                    assert not said, (response.name, text)  # a request names no value


@pytest.mark.parametrize("name", _NAMES)
def test_each_generic_act_has_many_wordings(name):
    scenario = _SCENARIOS[name]
    for response in scenario.responses.values():
        plain = response_variants(scenario, response)[Context.PLAIN]
        if response.act in (ResponseAct.REQMORE, ResponseAct.NO_RESULTS, ResponseAct.FAILURE):
            assert len(plain.own + plain.extra) >= 12, response.name
        elif response.act is ResponseAct.REQUEST and scenario.slots.get(response.slot) != "Boolean":
            assert len(plain.own + plain.extra) >= 8, response.name
            assert len(set(all_texts(scenario, response))) >= 100, response.name  # with the openers
        elif response.act is ResponseAct.CONFIRM_ARGS and scenario.slots.get(response.slot) != "Boolean":
            assert len(plain.own + plain.extra) >= 8, response.name
        elif response.act is ResponseAct.GOODBYE:
            for outcome in (Context.COMPLETED, Context.FAILED, Context.ABANDONED):
                v = response_variants(scenario, response)[outcome]  # a farewell, after a lead read apart
                assert len(v.own + v.extra) * (1 + len(v.openers)) >= 50, (response.name, outcome)


def test_requests_fit_what_the_slot_holds():
    flights = _SCENARIOS["flights"]
    said = {name: set(response_variants(flights, flights.responses[name])[Context.PLAIN].extra)
            for name in ("request_origin", "request_destination", "request_date", "request_passengers")}
    assert {"Where are you leaving from?", "Where are you flying from?"} <= said["request_origin"] | set(
        flights.responses["request_origin"].texts)
    assert {"Where to?", "Where are you headed?"} <= said["request_destination"]
    assert {"What day are you leaving?", "When do you want to fly out?"} <= said["request_date"]
    assert "How many people?" in said["request_passengers"]
    # origin and destination never share a wording: a reader could not tell them apart
    assert not said["request_origin"] & said["request_destination"]
    assert not [t for t in said["request_origin"] if re.search(r"\bto\?$|headed|destination", t)]
    assert not [t for t in said["request_destination"] if re.search(r"\bfrom\b", t)]
    weather = _SCENARIOS["weather"]  # no travel there: a date is just a day
    assert not [t for t in response_variants(weather, weather.responses["confirm_date"])[Context.PLAIN].extra
                if "leav" in t]


def test_openers_fit_what_they_follow():
    """A request may follow a "no": it never opens with praise or thanks; a text that
    already acknowledges gets no second acknowledgement."""
    assert not [o for o in _NEUTRAL if re.search(r"great|perfect|thank|excellent|choice", o, re.IGNORECASE)]
    assert with_opener("Okay, ", "Sure, what song?") == "Sure, what song?"
    assert with_opener("Got it. And ", "Where to?") == "Got it. And where to?"
    assert with_opener("Okay, ", "I found {flights}.") == "Okay, I found {flights}."
    for scenario in _SCENARIOS.values():
        for response in scenario.responses.values():
            for text in all_texts(scenario, response):
                assert not re.search(r"\b(\w+),? \1\b", text.lower()), (response.name, text)
                assert not re.match(r"^(okay|sure|alright)[,.] (okay|sure|alright)\b", text.lower()), text


def test_the_scenarios_own_texts_are_reworded_in_words_of_the_same_meaning():
    reworded = _reworded("Shall I book {flight} for {passengers}?")
    assert "Do you want me to book {flight} for {passengers}?" in reworded
    assert all(t.endswith(" book {flight} for {passengers}?") for t in reworded)
    assert "Okay, let me look for {cuisine} places in {city}." in _reworded("Okay, let me find {cuisine} places in {city}.")
    assert "So that's a table. Is that correct?" in _reworded("So that's a table. Is that right?")
    several = response_variants(_SCENARIOS["flights"], _SCENARIOS["flights"].responses["offer_BookFlight"])
    assert "Want me to book one of them?" in several[Context.SEVERAL].extra
    assert not [t for v in several[Context.SEVERAL] if isinstance(v, tuple) for t in v if t.endswith(" it?")]


def test_an_implicit_confirmation_says_the_scenarios_own_question_as_going_ahead():
    flights = _SCENARIOS["flights"]
    echoes = response_variants(flights, flights.responses["confirm_BookFlight"])[Context.IMPLICIT]
    assert "Okay, I'll book {flight} for {passengers}." in echoes.own
    assert not [t for t in echoes.own + echoes.extra if "book flight" in t or t.endswith("?")]


def test_without_the_phrasebook_only_the_scenarios_texts_are_said():
    flights = _SCENARIOS["flights"]
    for response in flights.responses.values():
        plain = response_variants(flights, response, phrasebook=False)[Context.PLAIN]
        assert not plain.extra and not plain.openers


def _system_turns(scenario, n: int) -> Counter:
    return Counter(t.text for d in simulate(scenario, n, seed=0) for t in d.turns if isinstance(t, SystemTurn))


def test_the_system_side_of_a_corpus_is_varied():
    flights = _SCENARIOS["flights"]
    off = attrs.evolve(flights, variation=attrs.evolve(flights.variation, phrasebook=False))
    varied, plain = _system_turns(flights, 300), _system_turns(off, 300)
    share = len(varied) / sum(varied.values())
    assert share > 0.55 and share > 1.5 * len(plain) / sum(plain.values())
    assert sum(c for _, c in varied.most_common(10)) / sum(varied.values()) < 0.1


def test_every_simulated_system_text_is_listed():
    """``said_texts`` lists every wording a response is said with (the reply reader needs
    them), up to the system lexicon's other words for a phrase, maybe after one of the
    response's openers and before one of its closers."""
    flights = load_scenario(FLIGHTS)

    def around(said: tuple[str, ...]) -> str:
        return "(?:" + "|".join(re.escape(" ".join(o.split())) for o in said) + ")" if said else "(?!)"

    patterns = {}
    for name, r in flights.responses.items():
        texts, openers, closers = said_texts(flights, r)
        before, after = f"(?:{around(openers)} )?", f"(?: {around(closers)})?"
        patterns[name] = [re.compile(before + "".join(lexicon.pattern(lit) + (".+?" if k < len(parse(t)[1]) else "")
                                                      for k, lit in enumerate(parse(t)[0])) + after + r"\Z",
                                     re.DOTALL | re.IGNORECASE) for t in texts]
    for d in simulate(flights, 40, seed=1):
        for turn in d.turns:
            if isinstance(turn, SystemTurn):
                for action in turn.actions:
                    if isinstance(action, Response):
                        assert any(p.match(action.text) for p in patterns[action.name]), (action.name, action.text)


_SEARCHED = re.compile(r"\b(?:find|found|match|matched|matches|matching|search|searched|came up|fits)\b", re.IGNORECASE)


def test_nothing_found_is_worded_for_what_the_api_does():
    """A booking, a song or a playlist that could not be had is no search that found
    nothing: the phrasebook says "Sorry, I couldn't get that booking.", never "nothing
    matched that"; a search still says it found nothing."""
    for scenario in _SCENARIOS.values():
        for response in scenario.responses.values():
            if response.act is not ResponseAct.NO_RESULTS:
                continue
            plain = response_variants(scenario, response)[Context.PLAIN]
            mine = set(plain.own + plain.extra) - set(response.texts)
            assert len(mine) >= 10, response.name
            if acts(scenario.apis[response.api]):
                assert not [t for t in mine if _SEARCHED.search(t)], response.name
            else:
                assert [t for t in mine if _SEARCHED.search(t)], response.name
    books = _SCENARIOS["restaurants"].responses["no_results_ReserveTable"]
    assert "Sorry, I couldn't get that booking." in all_texts(_SCENARIOS["restaurants"], books)
    # the loader's defaults are worded for what the API does too: a booking is no search
    for scenario in _SCENARIOS.values():
        for name, default in default_responses(scenario).items():
            if default.act is ResponseAct.NO_RESULTS:
                searched = [t for t in default.texts if _SEARCHED.search(t)]
                assert bool(searched) is not acts(scenario.apis[default.api]), (scenario.name, name, default.texts)


def test_a_result_of_an_api_that_acts_never_opens_with_a_look_up():
    """"Alright, let me check. Putting on Shallow by Lady Gaga.": playing, adding and booking
    look nothing up; a search's or a forecast's result may still say "Let me check."."""
    looking = re.compile(r"\b(?:see|check|look)\b", re.IGNORECASE)
    for scenario in _SCENARIOS.values():
        for response in scenario.responses.values():
            if response.act is ResponseAct.INFORM and response.slot is None:
                openers = response_variants(scenario, response)[Context.PLAIN].openers
                assert openers, response.name
                assert bool([o for o in openers if looking.search(o)]) != acts(scenario.apis[response.api]), response.name


def test_an_offer_after_several_results_says_the_scenarios_own_less_often():
    flights = _SCENARIOS["flights"]
    several = response_variants(flights, flights.responses["offer_BookFlight"])[Context.SEVERAL]
    assert several.own == ("Would you like to book one?",) and several.own_share < 0.25 and len(several.extra) > 50


def test_the_scenarios_own_reqmore_is_asked_other_ways_and_you_is_named_once():
    music = _SCENARIOS["music"]
    more = response_variants(music, music.responses["reqmore"])[Context.PLAIN].extra
    assert {"Shall I play something else for you?", "Want me to play something else for you?"} <= set(more)
    assert not [t for t in more if t.endswith((" too?", " as well?", " while I'm at it?"))]
    for scenario in _SCENARIOS.values():  # never "I can book you a table for you if you'd like."
        for response in scenario.responses.values():
            for v in response_variants(scenario, response).values():
                assert not [t for t in v.own + v.extra if re.search(r"for you\b.*\bfor you\b|\byou (?:a|some) \w+ for you", t)]


_WAITS = re.compile(r"\b(?:moment|second|sec|see|check|look|pull)\b|^hang on\b", re.IGNORECASE)
_THANKS_ANSWERS = re.compile(r"\b(?:you're (?:very |most )?welcome|my pleasure|anytime(?=[.,])|it was my pleasure|no trouble at "
                             r"all|that was my pleasure|always a pleasure|don't mention it|the pleasure was mine)\b",
                             re.IGNORECASE)


def test_a_field_of_a_result_in_hand_opens_with_no_wait_or_look_up():
    """"Give me a moment. It's from the album After Hours.": no call is made for a field of a
    result the system has, so it only acknowledges the question."""
    for scenario in _SCENARIOS.values():
        for response in scenario.responses.values():
            if response.act is ResponseAct.INFORM and response.slot is not None:
                openers = response_variants(scenario, response)[Context.PLAIN].openers
                assert openers and not [o for o in openers if _WAITS.search(o)], response.name
    music = _SCENARIOS["music"]
    said = [a.text for d in simulate(music, 300, seed=0) for t in d.turns if isinstance(t, SystemTurn)
            for a in t.actions if isinstance(a, Response) and music.responses[a.name].slot is not None
            and music.responses[a.name].act is ResponseAct.INFORM]
    waited = re.compile(r"^(?:(?:okay|alright), )?(?:let me|one moment|one second|just a|give me|hang on)\b", re.IGNORECASE)
    assert said and not [t for t in said if waited.match(t)]


def test_only_a_goodbye_after_thanks_answers_thanks():
    """"My pleasure." answers a thank-you: said after "thanks, bye", never after a plain "bye"."""
    for scenario in _SCENARIOS.values():
        variants = response_variants(scenario, scenario.responses["goodbye"])
        for context in (Context.COMPLETED, Context.FAILED, Context.ABANDONED, Context.PLAIN):
            v = variants[context]
            assert not [t for t in v.own + v.extra + v.valued + v.openers if _THANKS_ANSWERS.search(t)
                        and t not in scenario.responses["goodbye"].texts], (scenario.name, context)
        thanked = variants[Context.THANKED]  # an answer to thanks opens a farewell
        answers = [o for o in thanked.openers if _THANKS_ANSWERS.search(o)]
        assert len(answers) * len(thanked.own + thanked.extra) > 500 and thanked.opener_rate >= 0.9, scenario.name
    music = _SCENARIOS["music"]
    answered = 0
    for d in simulate(music, 300, seed=0):
        for before, turn in zip(d.turns, d.turns[1:]):
            if isinstance(turn, SystemTurn) and any(isinstance(a, Response) and a.name == "goodbye" for a in turn.actions):
                if _THANKS_ANSWERS.search(turn.text):
                    assert before.has(Act.THANK), turn.text
                    answered += 1
    assert answered  # a customer who thanked is answered, sometimes


# The fewest wordings (texts without openers) a response of each kind has in the five
# scenarios, a little under what the compositions give: many more than the two a scenario
# writes (a request had 11 to 37, a value confirmation 10 to 21, an echo 5 to 240).
_FLOORS = {"request": 300, "confirm value": 240, "echo": 40, "field": 12, "listed": 65, "offer": 1800,
           "reqmore": 2500, "no results": 20, "failure": 20, "completed": 12000, "thanked": 3000, "failed": 400,
           "abandoned": 1500}


@pytest.mark.parametrize("name", _NAMES)
def test_each_kind_of_response_keeps_its_many_wordings(name):
    scenario = _SCENARIOS[name]

    def count(response, context=Context.PLAIN):
        """Its texts, with the closers that may follow them; a goodbye's after its leads, and a
        request's after its prefaces ("Quick question. "), which are openers too."""
        v = response_variants(scenario, response)[context]
        led = 1 + len(v.openers) if response.act is ResponseAct.GOODBYE else (
            1 + len(set(v.openers) - set(_NEUTRAL)) if response.act is ResponseAct.REQUEST else 1)
        return len(set(v.own + v.extra)) * (1 + len(v.closers)) * led

    for response in scenario.responses.values():
        act, slot = response.act, response.slot
        if scenario.slots.get(slot or "") == "Boolean":
            continue
        plain = response_variants(scenario, response)[Context.PLAIN]
        kinds = []
        if act is ResponseAct.REQUEST and not scenario.types[scenario.slots[slot]].is_entity:
            kinds = [("request", Context.PLAIN)]
        elif act is ResponseAct.CONFIRM_ARGS:
            kinds = [("confirm value", Context.PLAIN)]
        elif act is ResponseAct.CONFIRM_API and not any(t.endswith("?") for t in response.texts):
            kinds = [("echo", Context.IMPLICIT)]
        elif act is ResponseAct.INFORM and slot is not None and response.generated:
            kinds = [("field", Context.PLAIN)]
        elif act is ResponseAct.INFORM and plain.counted is not None:
            kinds = [("listed", Context.PLAIN)]
        elif act is ResponseAct.OFFER:
            kinds = [("offer", Context.PLAIN)]
        elif act is ResponseAct.REQMORE:
            kinds = [("reqmore", Context.PLAIN)]
        elif act is ResponseAct.NO_RESULTS:
            kinds = [("no results", Context.PLAIN)]
        elif act is ResponseAct.FAILURE:
            kinds = [("failure", Context.PLAIN)]
        elif act is ResponseAct.GOODBYE:
            kinds = [(c.value, c) for c in (Context.COMPLETED, Context.THANKED, Context.FAILED, Context.ABANDONED)]
        for kind, context in kinds:
            assert count(response, context) >= _FLOORS[kind], (response.name, kind, count(response, context))
