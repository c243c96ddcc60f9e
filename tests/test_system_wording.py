"""The system's wording in more words (#9 item 6): the lexicon's new classes keep the longer
phrases they would break, a reworded lead after "Okay, " stays in its sentence, and a result
after an echo may open in more ways than one."""

import re

import numpy as np

from dialogsim.loader import load_scenario
from dialogsim.paraphrase.system_lexicon import vary
from dialogsim.paraphrase.system_phrases import _reworded, mid_turn, response_variants
from dialogsim.scenarios import path
from dialogsim.state import Context
from dialogsim.testing.understanding import ReplyReader

_FLIGHTS = load_scenario(path("flights"))


def test_a_phrase_that_a_longer_one_holds_is_said_with_the_longer_ones_words():
    """"go ahead" may be "proceed", never in "go ahead and book" ("proceed and book");
    "if you'd like me to" is never "if you like me to"."""
    rng = np.random.default_rng(4)
    said = [vary("Should I go ahead and book it? Okay to go ahead? I'm here if you'd like me to book one.", rng, rate=1.0)
            for _ in range(300)]
    assert not [s for s in said if "proceed and" in s or re.search(r"if you (?:like|wish) me", s)]
    assert any(s.endswith("Okay to proceed? I'm here if you want me to book one.") for s in said)


def test_a_lead_reworded_after_an_acknowledgement_stays_in_its_sentence():
    reworded = _reworded("Okay, I found {flights}.")
    assert "Okay, my search turned up {flights}." in reworded
    assert not [t for t in reworded if re.match(r"Okay, (?!I\b|I')[A-Z]", t)]


def test_a_result_after_an_echo_opens_in_many_ways():
    """After "Looking for flights ... One moment." a result opens with no acknowledgement, look-up
    or wait: those left were one ("Here we go."), said before two in five results."""
    plain = response_variants(_FLIGHTS, _FLIGHTS.responses["inform_SearchFlight"])[Context.PLAIN]
    assert len(mid_turn(plain).openers) >= 6


def test_the_reader_reads_the_lexicons_new_words():
    reader = ReplyReader(_FLIGHTS)
    for text, name in (("Something's gone wrong on my end, sorry.", "failure_SearchFlight"),
                       ("Apologies, I wasn't able to find anything like that.", "no_results_SearchFlight")):
        reading = reader.responses(text)
        assert reading is not None and [r.name for r in reading] == [name], text


def test_a_goodbye_says_anytime_once_at_most():
    """"Anytime, glad I could help. Come back anytime!": the words that answer thanks or leave
    the door open are said by the lead or the farewell, never both."""
    for name in ("flights", "music"):
        scenario = load_scenario(path(name))
        for context, v in response_variants(scenario, scenario.responses["goodbye"]).items():
            if any(re.search(r"\bany ?time\b", o, re.IGNORECASE) for o in v.openers):
                assert not [t for t in v.own + v.extra if re.search(r"\bany ?time\b", t, re.IGNORECASE)], (name, context)


def test_the_closers_after_a_list_fit_a_list_of_one():
    """A result list may hold one item ("I found a single flight: ..."): what follows it never
    says "them", "those" or "any of", nor weighs up options."""
    plain = response_variants(_FLIGHTS, _FLIGHTS.responses["inform_SearchFlight"])[Context.PLAIN]
    assert plain.closers
    assert not [c for c in plain.closers
                if re.search(r"\b(?:them|those|these|any of|whichever|options|choices)\b", c, re.IGNORECASE)]
