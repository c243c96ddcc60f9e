"""The system's lexicon: phrases said in other words, never a value, always read back."""

import re
from collections import Counter

import numpy as np
import pytest

from dialogsim.dialogue import Response, SystemTurn
from dialogsim.generation import simulate
from dialogsim.loader import load_scenario
from dialogsim.paraphrase.system_lexicon import CLASSES, openings, pattern, vary
from dialogsim.paraphrase.system_phrases import said_texts
from dialogsim.paraphrase.templates import parse
from dialogsim.scenarios import path
from dialogsim.testing.understanding import ReplyReader

_NAMES = ("flights", "music", "restaurants")
_SCENARIOS = {name: load_scenario(path(name)) for name in _NAMES}


def _template_pattern(text: str) -> re.Pattern:
    literals, names = parse(text)
    return re.compile("".join(pattern(lit) + (".+?" if k < len(names) else "") for k, lit in enumerate(literals)),
                      re.IGNORECASE | re.DOTALL)


@pytest.mark.parametrize("name", _NAMES)
def test_a_varied_wording_keeps_its_placeholders_and_reads_as_its_template(name):
    scenario, rng = _SCENARIOS[name], np.random.default_rng(0)
    changed = 0
    for response in scenario.responses.values():
        for text in said_texts(scenario, response)[0][::5]:
            said = vary(text, rng, rate=1.0)
            changed += said != text
            assert parse(said)[1] == parse(text)[1], (text, said)
            assert _template_pattern(text).fullmatch(said), (text, said)
    assert changed > 100


def test_each_phrase_may_be_said_as_every_member_of_its_class():
    rng = np.random.default_rng(1)
    said = Counter(vary("Sorry, I found {n} flights. Would you like to book one?", rng, rate=1.0) for _ in range(400))
    assert all(any(m in s for s in said) for m in ("Sorry,", "Apologies,", "I came across", "Do you want", "reserve one"))
    assert all(s.count("{n}") == 1 for s in said)


def test_a_lead_is_reworded_only_where_a_sentence_starts_and_capitals_follow_the_sentence():
    rng = np.random.default_rng(2)
    for _ in range(200):
        assert vary("Which one should I go with?", rng, rate=1.0) == "Which one should I go with?"
        said = vary("Sorry, that won't work, I'm afraid. Should I try {x}?", rng, rate=1.0)
        assert not re.search(r", (?:Unfortunately|Sadly)\b", said), said
        assert re.search(r"\. (?:Shall I|Should I|Do you want me to|Would you like me to|Want me to) try \{x\}\?$", said)


def test_a_phrase_inside_a_word_or_a_longer_phrase_is_left_alone():
    rng = np.random.default_rng(3)
    for _ in range(100):
        assert vary("Would you like for me to book {x}?", rng, rate=1.0).startswith("Would you like for me to ")
        assert vary("The bookshop is open.", rng, rate=1.0) == "The bookshop is open."


def test_the_same_draws_say_the_same_words():
    text = "I found {n} flights. Would you like me to book one? There's no rush."
    a = [vary(text, np.random.default_rng(7)) for _ in range(3)]
    assert len(set(a)) == 1


def test_openings_list_every_way_a_text_may_begin():
    said = openings("Would you like me to book it?")
    assert {s.split()[0].lower() for s in said} == {"would", "do", "shall", "should", "want"}
    assert openings("Noted. Where to?") == ("Noted. Where to?",)


def test_the_reader_reads_a_reply_said_in_the_lexicons_other_words():
    """A bot that says "Do you want me to" where the phrasebook says "Would you like me
    to" is read the same: the reader's patterns take every member of a class."""
    flights = _SCENARIOS["flights"]
    reader = ReplyReader(flights)
    for text in ("Do you want me to look into something else?", "Apologies, I came up empty on that one.",
                 "Sadly there is nothing available for that."):
        reading = reader.responses(text)
        assert reading is not None, text
    # the lexicon's words that no wording of the phrasebook has: said only through the lexicon
    listed = "\n".join(t for r in flights.responses.values() for t in said_texts(flights, r)[0]).casefold()
    only = re.compile("|".join(rf"(?<!\w){re.escape(m)}(?!\w)" for c in CLASSES for m in c if m.casefold() not in listed),
                      re.IGNORECASE)
    turns = [t for d in simulate(flights, 30, seed=5) for t in d.turns if isinstance(t, SystemTurn)]
    reworded = 0
    for turn in turns:
        reading = reader.responses(turn.text)
        assert reading is not None, turn.text
        assert [r.name for r in reading] == [a.name for a in turn.actions if isinstance(a, Response)], turn.text
        reworded += bool(only.search(turn.text))
    assert reworded > 5


def test_no_phrase_is_in_two_classes():
    members = [m.casefold() for c in CLASSES for m in c]
    assert len(members) == len(set(members))
