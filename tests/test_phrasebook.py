"""The built-in phrasebook: far more ways to say the generic acts, each saying only its act,
fitting the question it answers; and off when a scenario switches it off."""

from __future__ import annotations

import re

import attrs
import numpy as np
import pytest
from conftest import FLIGHTS

from dialogsim.catalogue import Catalogue
from dialogsim.config import VariationConfig
from dialogsim.dialogue import Act, UserAct
from dialogsim.loader import load_scenario
from dialogsim.paraphrase import Realiser, TemplateIndex
from dialogsim.paraphrase.phrasebook import PHRASES, _reworded, phrasebook_phrasings, stacks_fillers
from dialogsim.schema import ResponseAct

_FLIGHTS = load_scenario(FLIGHTS)
_PLAIN = attrs.evolve(_FLIGHTS, variation=attrs.evolve(_FLIGHTS.variation, phrasebook=False))
_CATALOGUE = Catalogue(_FLIGHTS)
AFFIRM, DENY, THANK, GOODBYE = (UserAct(act=a) for a in (Act.AFFIRM, Act.DENY, Act.THANK, Act.GOODBYE))


def said(scenario, acts, prompt=None, n=300) -> set[str]:
    realiser = Realiser(scenario, _CATALOGUE)
    return {realiser.user_turn(acts, {}, np.random.default_rng(s), prompt=prompt).text for s in range(n)}


_YES = re.compile(r"\b(yes|yeah|yep|yup|sure|okay|ok|uh-huh|absolutely|definitely)\b")
_NO = re.compile(r"\b(no|nope|nah|not|wrong|incorrect|pass)\b")
_THANKS = re.compile(r"\b(thanks?|cheers|appreciated?)\b")


def _texts(act):
    return [p[0] if isinstance(p, tuple) else p for p in PHRASES[act]]


def test_a_phrasing_says_its_act_and_no_other():
    """A yes never negates, a no never says yes, and nothing but a thank (and the no of "no
    thanks", which declines) says thanks: the turn's acts are all it carries."""
    assert not [t for t in _texts(Act.AFFIRM) if _NO.search(t)]
    assert not [t for t in _texts(Act.DENY) if _YES.search(t)]
    for act in (Act.AFFIRM, Act.GOODBYE, Act.DONT_CARE):
        assert not [t for t in _texts(act) if _THANKS.search(t) or (act is not Act.AFFIRM and _YES.search(t))]
    assert not [t for t in _texts(Act.DENY) if _THANKS.search(t) and not t.startswith("no thank")]
    assert all(_THANKS.search(t) for t in _texts(Act.THANK))


@pytest.mark.parametrize("acts", [[AFFIRM], [DENY], [THANK, GOODBYE], [GOODBYE],
                                  [UserAct(act=Act.DONT_CARE, slot="airline")], [UserAct(act=Act.SELECT, item=1)],
                                  [UserAct(act=Act.REQUEST, slot="price")], [UserAct(act=Act.INVOKE, api="SearchFlight")]])
def test_the_phrasebook_says_each_act_in_more_ways(acts):
    plain, rich = said(_PLAIN, acts), said(_FLIGHTS, acts)
    assert len(rich) >= 2 * len(plain), (sorted(plain), sorted(rich))


def _wholes() -> dict[tuple, list[str]]:
    by_acts: dict[tuple, list[str]] = {}
    for t in TemplateIndex(_FLIGHTS):
        if t.whole:
            by_acts.setdefault(t.acts, []).append(t.text.lower())
    return by_acts


def test_no_phrasing_stacks_fillers():
    """"so um erm i want ...", "hmm, let me think, erm, no", "er, likely 7": an opener of
    two fillers, or one before a phrasing that opens with a filler or a hedge, says two
    where a person says one. Not one of the index's phrasings does."""
    assert [stacks_fillers(t) for t in ("so, um, erm, I want Korean", "hmm, let me think, erm, no", "er, likely 7",
                                        "well, let's see, Boston", "um, I'd say {origin}", "uh so find me a flight")] \
        == [True] * 6
    assert not any(stacks_fillers(t) for t in ("I think so", "I'd like a table", "okay, um, find me a flight",
                                               "um, to {destination}", "I guess so", "you know what, book it"))
    stacked = [t.text for t in TemplateIndex(_FLIGHTS) if stacks_fillers(t.text)]
    assert not stacked, stacked[:10]


def test_whole_turns_say_their_act_and_no_other():
    """The composed turns ("oh, yeah, sounds good", "nah, I'm good, maybe later") carry what
    the plain phrasings carry: a yes never negates, a no never says yes, only a thank thanks,
    and no word comes twice in a row ("yes please, please")."""
    wholes = _wholes()
    affirm, deny = wholes[((Act.AFFIRM, None),)], wholes[((Act.DENY, None),)]
    assert len(affirm) > 500 and not [t for t in affirm if _NO.search(t)]
    assert len(deny) > 500 and not [t for t in deny if re.search(r"\b(yes|yeah|yep|yup|sure|absolutely)\b", t)]
    assert all(_THANKS.search(t) for t in wholes[((Act.THANK, None),)])
    assert not [t for acts, ts in wholes.items() if (Act.THANK, None) not in acts for t in ts if _THANKS.search(t)]
    doubled = re.compile(r"\b(\w+)[\s,.;:!?]+\1\b")
    assert not [t.text for t in TemplateIndex(_FLIGHTS) if t.source == "phrasebook" and doubled.search(t.text.lower())]


def test_a_yes_is_said_in_three_pieces_at_most():
    """"oh, yes, that works" and "yeah, sure, sounds good", never "mm, okay, yeah, for sure,
    I can work with that": an opener goes only before a yes short enough to take it."""
    affirm = _wholes()[((Act.AFFIRM, None),)]
    assert not [t for t in affirm if t.count(",") >= 3]
    assert [t for t in affirm if t.count(",") == 2] and [t for t in affirm if t.startswith("oh, ")]


def test_a_whole_turn_phrasing_is_never_joined_to_another():
    """Markers and hedges open a turn said alone ("um, I'd say Boston"); inside a longer turn
    they would pile up ("uh-huh, I'd say economy, I'd say 5 please")."""
    index = TemplateIndex(_FLIGHTS)
    assert not [t for _, ts in index.entries(((Act.AFFIRM, None),)) for t in ts if t.whole]
    assert [t for _, ts in index.entries(((Act.AFFIRM, None),), whole=True) for t in ts if t.whole]
    realiser = Realiser(_FLIGHTS, _CATALOGUE)
    acts = [AFFIRM, UserAct(act=Act.INFORM, slot="passengers"), UserAct(act=Act.INFORM, slot="cabin")]
    joined = {realiser.user_turn(acts, {"passengers": "2", "cabin": "economy"}, np.random.default_rng(s)).text
              for s in range(300)}
    piled = re.compile(r"^(oh|well|hmm|ah|um), |\b(I'd say|I guess|maybe|probably|I'm thinking)\b")
    assert not [t for t in joined if piled.search(t)]
    alone = {realiser.user_turn(acts[1:2], {"passengers": "2"}, np.random.default_rng(s),
                                prompt=ResponseAct.REQUEST).text for s in range(300)}
    assert [t for t in alone if piled.search(t)] and len(alone) > 60  # said alone, an answer varies


def test_yes_and_no_fit_the_question_they_answer():
    """Every yes or no phrasing, the composed ones too, is said only to the kind of question
    it fits ("that's right" to a confirmation, "no thanks" to an offer)."""
    yes_no = [t for t in TemplateIndex(_FLIGHTS) if t.acts in (((Act.AFFIRM, None),), ((Act.DENY, None),))]
    confirming = {t.text for t in yes_no if t.confirming is True}
    declining = {t.text for t in yes_no if t.confirming is False}
    at_offer = said(_FLIGHTS, [AFFIRM], ResponseAct.OFFER) | said(_FLIGHTS, [DENY], ResponseAct.OFFER)
    at_confirmation = (said(_FLIGHTS, [AFFIRM], ResponseAct.CONFIRM_API)
                       | said(_FLIGHTS, [DENY], ResponseAct.CONFIRM_API))
    assert {t for t, c in PHRASES[Act.AFFIRM] if c is True} <= confirming
    assert not at_offer & confirming and not at_confirmation & declining
    assert at_confirmation & confirming and at_offer & declining


def test_a_greeting_opens_only_an_api_a_dialogue_starts_with():
    index = TemplateIndex(_FLIGHTS)
    greeting = re.compile(r"^(hi|hey|hello|good morning)\b", re.IGNORECASE)
    greeted = {t.acts[0][1] for t in index if t.acts and t.acts[0][0] is Act.INVOKE and greeting.match(t.text)}
    assert greeted == {"SearchFlight"}  # BookFlight needs a flight found first: "hi, book it" is never said


def test_carriers_keep_the_scenarios_slots_and_phrasing():
    own = list(TemplateIndex(_PLAIN))
    reworded = 0
    for fields in phrasebook_phrasings(_FLIGHTS, own):
        if fields.get("slots"):
            # a carrier wraps one of the scenario's own phrasings, or one reworded at its
            # opening ("search flights from {origin}": "look for flights from {origin}")
            base = [t for t in own if t.acts == fields["acts"] and t.slots == fields["slots"]
                    and any(text.lower() in fields["text"].lower() for text in [t.text, *_reworded(t.text)])]
            assert base, fields["text"]
            reworded += not any(t.text.lower() in fields["text"].lower() for t in base)
    assert reworded


@pytest.mark.parametrize("text, some", [
    ("find me a flight to {destination}", "get me a flight to {destination}"),
    ("find a flight to {destination}", "look for a flight to {destination}"),
    ("I need a flight", "I'm looking for a flight"),
    ("search flights from {origin}", "search for flights from {origin}"),
    ("are there any {airline} flights", "do you have any {airline} flights"),
    ("play {song} by {artist}", "let me hear {song} by {artist}"),
    ("what's the forecast for {date}", "can you tell me the forecast for {date}"),
    ("get me a flight", "set me up with a flight"),
])
def test_a_request_is_reworded_in_words_of_the_same_meaning(text, some):
    assert some in _reworded(text)
    assert not any(w.startswith(("book", "reserve")) for w in _reworded(text))  # never another act


def test_a_rewording_keeps_the_sentence_whole():
    assert not any("tell me the weather like" in w for w in _reworded("what's the weather like in {city}"))
    assert not _reworded("get me the showtimes") or "set me up with the showtimes" not in _reworded(
        "get me the showtimes")


def test_switched_off_the_index_is_the_scenarios_own():
    assert {t.text for t in TemplateIndex(_PLAIN)} == {t.text for t in TemplateIndex(_FLIGHTS)
                                                        if t.source != "phrasebook"}
    assert VariationConfig().with_overrides(["phrasebook=off"]).phrasebook is False
    with pytest.raises(ValueError, match="phrasebook must be true or false"):
        VariationConfig().with_overrides(["phrasebook=maybe"])


_CUE = re.compile(r"\b(actually|wait|sorry|second thought|change that|meant|make (that|it)|correction|scratch that)\b")


def test_a_revised_value_is_said_as_a_correction():
    """A changed value carries a cue, in answer to a confirmation too ("no, make that
    Boston"); the spans stay exact; an unrevised value gets none (a no to a confirmation
    may say "wait, no" of itself)."""
    realiser = Realiser(_FLIGHTS, _CATALOGUE)
    values = {"destination": "Boston"}
    acts = [DENY, UserAct(act=Act.INFORM, slot="destination")]
    corrected = {realiser.user_turn(acts, values, np.random.default_rng(s), prompt=ResponseAct.CONFIRM_API,
                                    revised=frozenset({"destination"})) for s in range(80)}
    for turn in corrected:
        assert _CUE.search(turn.text) and turn.text[turn.spans[0].start:turn.spans[0].end] in ("Boston", "BOS")
    assert len({_CUE.search(t.text).group() for t in corrected}) > 3  # in varied forms
    inform = acts[1:]
    revised = {realiser.user_turn(inform, values, np.random.default_rng(s), revised=frozenset({"destination"})).text
               for s in range(80)}
    plain = {realiser.user_turn(inform, values, np.random.default_rng(s)).text for s in range(80)}
    assert all(_CUE.search(t) for t in revised) and not any(_CUE.search(t) for t in plain)


def test_simulated_changes_of_mind_sound_like_corrections():
    from dialogsim.dialogue import UserTurn
    from dialogsim.generation import simulate

    changes = 0
    for d in simulate(_FLIGHTS, 300, seed=3, variation=VariationConfig(enabled=False)):
        said: dict[str, str] = {}
        for turn in d.turns:
            if isinstance(turn, UserTurn):
                changed = [s for s in turn.spans if said.get(s.slot, s.value) != s.value]
                if changed:
                    changes += 1
                    assert _CUE.search(turn.text), turn.text
                said.update({s.slot: s.value for s in turn.spans})
    assert changes > 0
