"""Problems found by reading simulated dialogues aloud: a greeting after the opening turn or
after another word ("okay, good day, ..."), two greetings ("hi, hello, ..."), an answer that
echoes the question ("okay, the city? Boston"), a word family said twice ("right, alright,
you've got it right"), a decline said twice ("no, afraid not, I'm sorted, that's plenty"), a
phrase joined to praise ("that works, to Throwbacks"), a correction cue that piles up ("no
wait, no, Road Trip", "actually, right, so ...", "let's try let's do Greek") and a carrier
tail after a condition ("Reno if that's fine please")."""

from __future__ import annotations

import functools
import re

import numpy as np
import pytest

import dialogsim.scenarios
from dialogsim.catalogue import Catalogue
from dialogsim.dialogue import Act, Span, UserAct, UserTurn
from dialogsim.generation import simulate
from dialogsim.loader import load_scenario
from dialogsim.paraphrase.augment import CarrierPhrases, Fillers
from dialogsim.paraphrase.phrasebook import _GREETINGS, GREETING, YES_NO, repeats_family, stacks_declines
from dialogsim.paraphrase.realiser import Realiser
from dialogsim.paraphrase.templates import TemplateIndex
from dialogsim.schema import ResponseAct

SCENARIOS = ("flights", "restaurants", "movies", "music", "weather")
# A greeting where a clause starts, anywhere in a text (GREETING matches at the start only).
_ANY_GREETING = re.compile(r"(?:^|(?<=[,.!?] ))(?:" + GREETING.pattern + ")", re.IGNORECASE)


@pytest.fixture(scope="module", params=SCENARIOS)
def index(request) -> TemplateIndex:
    return TemplateIndex(load_scenario(dialogsim.scenarios.path(request.param)))


def test_every_greeting_of_the_phrasebook_is_one_greeting():
    for greeting in _GREETINGS:
        assert GREETING.fullmatch(greeting), greeting
        assert not GREETING.match(greeting[GREETING.match(greeting).end():].lstrip(", ")), greeting  # not two
    assert GREETING.match("oh hi, find me a flight") and GREETING.match("good day, I need a flight")
    assert GREETING.match("howdy") and GREETING.match("evening, play some jazz")
    assert not GREETING.match("evening flights to Boston") and not GREETING.match("high chairs")


def test_a_greeting_only_opens_a_phrasing_and_marks_it(index):
    """Every phrasing that greets says so (``greets``: kept for the opening turn), greets
    once, and nothing goes before its greeting ("okay, good day, ...", "actually, hi, ...")."""
    for t in index:
        greetings = list(_ANY_GREETING.finditer(t.text))
        assert t.greets == bool(greetings and greetings[0].start() == 0), t.text
        assert len(greetings) <= 1, t.text


def test_no_phrasing_echoes_the_question(index):
    """"okay, the city? Boston": an answer says the value, not the question again."""
    assert not [t.text for t in index if re.search(r"\?\s*\S", t.text)]


def test_no_composed_phrasing_says_a_word_family_twice(index):
    assert not [t.text for t in index if t.source == "phrasebook" and repeats_family(t.text)]


def test_word_families():
    assert repeats_family("right, alright, you've got it right")
    assert repeats_family("alright, I'll go with Mexico City, if that's alright")
    assert repeats_family("okay, for two, if that's ok") and repeats_family("I'm pretty sure Boston for sure")
    assert not repeats_family("nope, that's alright, not right now")  # "right now" is no approval
    assert not repeats_family("fine- fine with me")  # a restart says it once
    assert not repeats_family("yes, book the first one for 2, sounds good")


def test_declines():
    assert stacks_declines("no, afraid not, I'm sorted, that's plenty")
    assert stacks_declines("nah, I'm good, maybe later") and stacks_declines("I'll pass, I'm all set")
    assert stacks_declines("nope, sorry, no, I'll be fine")  # "no" twice
    assert not stacks_declines("no thanks, I'm good") and not stacks_declines("no, afraid not, that's all, bye")
    assert not stacks_declines("no- no thanks")  # a restart says it once
    assert not stacks_declines("no, no need") and not stacks_declines("nope, no more questions")


def test_no_composed_phrasing_declines_twice(index):
    assert not [t.text for t in index if stacks_declines(t.text)]


@functools.cache
def _user_turns(name: str) -> tuple[tuple[str, UserTurn], ...]:
    """The user turns of 300 dialogues, each with the response it answers ("" first)."""
    out = []
    for d in simulate(load_scenario(dialogsim.scenarios.path(name)), 300, seed=5):
        prompt = ""
        for turn in d.turns:
            if isinstance(turn, UserTurn):
                out.append((prompt, turn))
            else:
                prompt = turn.actions[-1].name
    return tuple(out)


@pytest.mark.parametrize("name", ["flights", "restaurants", "movies", "music"])  # weather offers nothing
def test_a_turn_declines_once(name):
    """One decline a turn: "no, I'm good", not "no, afraid not, I'm good, I'm all set"."""
    denials = [t for _, t in _user_turns(name) if any(a.act is Act.DENY for a in t.acts)]
    assert len(denials) > 50
    assert not [t.text for t in denials if stacks_declines(t.text)]


# Praise, a clause of its own, right before a phrase: the phrase would attach to it ("that
# works to Throwbacks" once the comma is lost; "the first one sounds good for 1").
_PRAISED = re.compile(r"\b(?:works|good|great|fine|perfect|ideal|best|that|(?<!yes )please|do it|boxes|appeals|want|reckon)"
                      r",? (?:to|for|at|in|around)\s*$", re.IGNORECASE)


@pytest.mark.parametrize("name, acts, values", [
    ("music", (Act.AFFIRM,), {"playlist": "Throwbacks"}),
    ("flights", (Act.AFFIRM,), {"passengers": "2"}),
    ("flights", (Act.AFFIRM, Act.SELECT), {"passengers": "2"}),
    ("movies", (Act.SELECT,), {"date": "tomorrow"})])
def test_a_phrase_follows_a_bare_yes_or_what_is_picked(name, acts, values):
    """"sure, to Throwbacks", "the first one for 2"; not "that works, to Throwbacks"."""
    scenario = load_scenario(dialogsim.scenarios.path(name))
    realiser = Realiser(scenario, Catalogue(scenario))
    said = [UserAct(act=act, item=0 if act is Act.SELECT else None) for act in acts]
    said += [UserAct(act=Act.INFORM, slot=slot) for slot in values]
    phrased = 0
    for seed in range(300):
        turn = realiser.user_turn(said, values, np.random.default_rng(seed), prompt=ResponseAct.OFFER)
        before = turn.text[:turn.spans[0].start]
        assert not _PRAISED.search(before), turn.text
        if acts == (Act.AFFIRM,) and re.search(r", (?:to|for) $", before):
            phrased += 1
            assert before.rsplit(",", 1)[0].lower() in YES_NO, turn.text
    assert phrased or acts != (Act.AFFIRM,)


@pytest.mark.parametrize("name", SCENARIOS)
def test_a_correction_cue_stands_alone(name):
    """A cue that marks a changed value is the turn's one marker ("actually, find me ...", not
    "actually, right, so find me ..."), leads only into a value or a phrase ("let's try
    Greek", not "let's try let's do Greek") and opens a turn with no "no" the acts do not say
    ("no wait, play Halo" after "anything else?")."""
    for _, turn in _user_turns(name):
        if not any(a.act in (Act.INFORM, Act.INVOKE) for a in turn.acts):
            continue  # "actually, hmm, no" declines
        text = turn.text.lower()
        assert not re.search(r"\b(?:actually|wait|sorry|on second thought),? (?:erm|er|right|yeah|so|um|uh|hmm)\b",
                             text), turn.text
        assert not re.search(r"\b(?:let's try|how about|make it|make that|I meant) (?:let's|ideally|preferably)\b",
                             text, re.IGNORECASE), turn.text
        if not any(a.act is Act.DENY for a in turn.acts):
            assert not re.match(r"\W*no(?: wait|, sorry|, make that)\b", text), turn.text


def test_a_carrier_tail_never_follows_a_condition_or_a_hedge():
    """Not "Reno if that's fine please", "Rome, ideally if possible"."""
    for text, value in (("Reno if that's fine", "Reno"), ("Rome, ideally", "Rome"), ("for two, I think", "two")):
        span = Span(start=text.index(value), end=text.index(value) + len(value), slot="x", type="X", value=value)
        for seed in range(100):
            new, _ = CarrierPhrases()(text, (span,), np.random.default_rng(seed))
            assert new.endswith(text), new


@pytest.mark.parametrize("text", ["good evening, find me a flight", "oh hi, find me a flight",
                                  "good day, I need a flight", "howdy, get me a flight", "hi there, book it"])
def test_nothing_goes_before_a_greeting(text):
    for seed in range(100):
        rng = np.random.default_rng(seed)
        new, _ = Fillers()(text, (), rng)
        assert GREETING.match(re.sub(r"^(\w+)- ", "", new)), new  # a restart ("good- good evening") is fine
        new, _ = CarrierPhrases()(text, (), rng)
        assert GREETING.match(new), new


def test_a_carrier_phrase_says_no_word_family_twice():
    for seed in range(100):
        new, _ = CarrierPhrases()("for two, if that's okay", (), np.random.default_rng(seed))
        assert not repeats_family(new), new


@pytest.mark.parametrize("name", SCENARIOS)
def test_only_the_opening_turn_greets(name):
    """No later turn greets: the phrasings that greet (``Template.greets``) are kept for the
    opening turn, and nothing strips a greeting afterwards."""
    greeted = 0
    for d in simulate(load_scenario(dialogsim.scenarios.path(name)), 300, seed=5):
        user = [t for t in d.turns if isinstance(t, UserTurn)]
        for n, turn in enumerate(user):
            text = turn.text
            for span in turn.spans:  # a value may hold a greeting word ("Sunday Morning"), where it is too ("Honolulu, HI")
                end = span.end + len(m.group()) if (m := re.match(r", [A-Z]{2}\b", text[span.end:])) else span.end
                text = text[:span.start] + "x" * (end - span.start) + text[end:]
            found = [m for m in _ANY_GREETING.finditer(text) if text[m.end():m.end() + 1] != "-"]
            if n:
                assert not found, turn.text
            elif found:
                greeted += 1
                assert len(found) == 1 and found[0].start() == 0, turn.text
    assert greeted > 30  # the opening turn does greet, often


@pytest.mark.parametrize("name", ["flights", "movies"])
def test_no_pleased_words_after_a_failure_or_nothing_found(name):
    """After "Sorry, something went wrong" the customer says goodbye or tries again, but not
    "awesome, I've got what I need" (a wish for the day, "have a great day", is fine)."""
    from dialogsim.dialogue import Response, SystemTurn
    from dialogsim.paraphrase.realiser import _UPBEAT
    from dialogsim.schema import ResponseAct

    scenario = load_scenario(dialogsim.scenarios.path(name))
    answers, pleased = 0, []
    for d in simulate(scenario, 600, seed=3):
        for before, turn in zip(d.turns, d.turns[1:]):
            if not isinstance(before, SystemTurn) or not isinstance(turn, UserTurn):
                continue
            last = [a for a in before.actions if isinstance(a, Response)][-1]
            if scenario.responses[last.name].act in (ResponseAct.FAILURE, ResponseAct.NO_RESULTS):
                answers += 1
                if _UPBEAT.search(turn.text):
                    pleased.append(turn.text)
    assert answers > 50
    assert len(pleased) <= answers // 50, pleased  # a typo may hide a wish ("have a great wvening")
