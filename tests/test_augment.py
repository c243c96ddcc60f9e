"""The language-variation augmenters: spans stay exact, the rule-based edits do what they say,
the pipeline draws each augmenter with its probability and skips what cannot run here."""

from __future__ import annotations

import pickle
import re
import sys
import warnings

import attrs
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialogsim.config import AUGMENTERS, VariationConfig
from dialogsim.dialogue import Span, UserAct, UserTurn
from dialogsim.paraphrase import wordnet as wordnet_module
from dialogsim.paraphrase.augment import (
    PROTECTED,
    AsrStyle,
    CarrierPhrases,
    Fillers,
    KeyboardTypos,
    TokenView,
    VariationError,
    VariationWarning,
    WordDrop,
    WordSwap,
)
from dialogsim.paraphrase.phrasebook import stacks_fillers
from dialogsim.paraphrase.pipeline import VariationPipeline
from dialogsim.paraphrase.templates import ORDINALS
from dialogsim.spoken import number_words, ordinal_words, spoken_value, value_forms

RULE_BASED = ("carrier", "fillers", "word_swap", "word_drop", "asr", "typos")
CLASSES = {"carrier": CarrierPhrases, "fillers": Fillers, "word_swap": WordSwap, "word_drop": WordDrop,
           "asr": AsrStyle, "typos": KeyboardTypos}
OFF = {name: 0.0 for name in AUGMENTERS}


def _wordnet_available() -> bool:
    try:
        wordnet_module.load_wordnet()
    except wordnet_module.AugmenterUnavailable:
        return False
    return True


WORDNET = _wordnet_available()
NAMES = RULE_BASED + (("wordnet",) if WORDNET else ())


def only(*names: str, **extra) -> VariationConfig:
    """A config where exactly ``names`` run, always."""
    return VariationConfig(**{**OFF, **{n: 1.0 for n in names}, **extra})


def span(text: str, surface: str, slot: str = "city", value: str | None = None) -> Span:
    start = text.index(surface)
    return Span(start=start, end=start + len(surface), slot=slot, type="City", value=value or surface)


def turn_of(text: str, *surfaces: str) -> UserTurn:
    spans = [span(text, s, slot=f"slot{i}") for i, s in enumerate(surfaces)]
    return UserTurn(text=text, acts=[UserAct(act="inform", slot=s.slot) for s in spans], spans=spans)


# ------------------------------------------------------------------ the invariant

def assert_spans_exact(text: str, spans: tuple[Span, ...], new_text: str, new_spans: tuple[Span, ...]) -> None:
    assert len(new_spans) == len(spans)
    for old, new in zip(spans, new_spans):
        assert new_text[new.start:new.end] == text[old.start:old.end]
        assert (new.slot, new.type, new.value) == (old.slot, old.type, old.value)
    by_start = sorted(range(len(spans)), key=lambda k: spans[k].start)
    assert sorted(range(len(new_spans)), key=lambda k: new_spans[k].start) == by_start  # same order
    ordered = [new_spans[k] for k in by_start]
    assert all(a.end <= b.start for a, b in zip(ordered, ordered[1:]))
    assert all(0 <= s.start < s.end <= len(new_text) for s in new_spans)
    new_text.encode("utf-8")  # no lone surrogates
    if text.strip():
        assert new_text.strip()  # a turn never becomes empty


# ------------------------------------------------------------------ strategies

WORDS = st.one_of(
    st.sampled_from(["find", "me", "a", "cheap", "flight", "to", "please", "Book", "it", "the", "I", "I'm",
                     "no", "second", "morning", "want", "2", "$220", "$4.50", "9:30", "3rd", "20%", "1,200",
                     "4.5", "007", "&", "?", "!", ",", "Seattle,", "ok.", "don't", "“quoted”", "Straße", "café",
                     "東京", "ﬁne", "İstanbul", "e\u0301"]),
    st.text(alphabet=st.characters(categories=["L", "M", "N", "P", "S"]), min_size=1, max_size=8),
)
SEPARATORS = st.sampled_from([" ", " ", " ", " ", "  ", "\n", "\t", "\u00a0", "\u3000", ""])
SURFACES = st.one_of(
    st.sampled_from(["Seattle", "New York", "9:30 AM", "$220", "St. Louis", "O'Hare", "Zürich", "東京",
                     "2", "Book", "a", "?!", "José García", "🙂", "e\u0301"]),
    st.text(min_size=1, max_size=12).filter(lambda s: s.strip()),
)


@st.composite
def texts_with_spans(draw, tidy: bool = False):
    """A text with spans anywhere: at the ends, glued to words, adjacent with no gap."""
    items = draw(st.lists(st.one_of(st.tuples(st.just("word"), WORDS), st.tuples(st.just("span"), SURFACES)),
                          min_size=1, max_size=10))
    text, spans = "", []
    for kind, piece in items:
        if text:
            text += " " if tidy else draw(SEPARATORS)
        if kind == "span":
            if tidy:
                piece = " ".join(piece.split()) or "x"
            value = draw(st.one_of(st.just(piece), st.text(max_size=6)))
            spans.append(Span(start=len(text), end=len(text) + len(piece), slot=f"s{len(spans)}",
                              type="T", value=value))
        elif tidy:
            piece = " ".join(piece.split()) or "x"
        text += piece
    if not tidy:
        lead, trail = draw(st.sampled_from(["", " ", "\n"])), draw(st.sampled_from(["", " ", "  "]))
        spans = [attrs.evolve(s, start=s.start + len(lead), end=s.end + len(lead)) for s in spans]
        text = lead + text + trail
    return text, tuple(spans)


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ------------------------------------------------------------------ properties

@PROPERTY
@given(texts_with_spans())
def test_token_view_joins_back_exactly(case):
    text, spans = case
    assert TokenView(text, spans).join() == (text, spans)


@pytest.mark.parametrize("name", NAMES)
@PROPERTY
@given(case=texts_with_spans(), seed=st.integers(0, 2**32 - 1))
def test_each_augmenter_keeps_spans_exact(name, case, seed):
    text, spans = case
    pipeline = VariationPipeline(only(name))
    turn = UserTurn(text=text, acts=[UserAct(act="inform", slot=s.slot) for s in spans], spans=spans)
    new, changed = pipeline.apply(turn, np.random.default_rng(seed))
    assert_spans_exact(text, spans, new.text, new.spans)
    assert new.acts == turn.acts
    assert changed in ((), (name,))
    assert (new.text != text) == bool(changed)


@PROPERTY
@given(case=texts_with_spans(), names=st.sets(st.sampled_from(NAMES), min_size=2), seed=st.integers(0, 2**32 - 1))
def test_combinations_keep_spans_exact_and_are_deterministic(case, names, seed):
    text, spans = case
    pipeline = VariationPipeline(only(*names))
    turn = UserTurn(text=text, acts=[UserAct(act="inform", slot=s.slot) for s in spans], spans=spans)
    new, changed = pipeline.apply(turn, np.random.default_rng(seed))
    assert_spans_exact(text, spans, new.text, new.spans)
    assert set(changed) <= names
    assert [n for n in AUGMENTERS if n in changed] == list(changed)  # the fixed order
    assert pipeline.apply(turn, np.random.default_rng(seed)) == (new, changed)


@PROPERTY
@given(case=texts_with_spans(tidy=True), names=st.sets(st.sampled_from(NAMES), min_size=1),
       seed=st.integers(0, 2**32 - 1))
def test_tidy_text_stays_tidy(case, names, seed):
    """Single-spaced text without leading or trailing space stays so: edits leave no
    double spaces or dangling whitespace behind."""
    text, spans = case
    rng = np.random.default_rng(seed)
    new_text, new_spans = text, spans
    for name in AUGMENTERS:
        if name in names:
            new_text, new_spans = VariationPipeline(only(name))._augmenters[0](new_text, new_spans, rng)
    assert_spans_exact(text, spans, new_text, new_spans)
    assert new_text == new_text.strip()
    assert "  " not in new_text


ACT_WORDS = sorted(PROTECTED)
SENTENCE = st.lists(st.one_of(st.sampled_from(ACT_WORDS), st.sampled_from(
    ["find", "me", "a", "the", "flight", "please", "tomorrow", "restaurant", "want", "I", "book", "just", "table",
     "really", "like", "so", "cheap", "leaving", "going", "Seattle,", "time", "price", "is", "it's", "um"])),
    min_size=1, max_size=12)


def _act_words(text: str, spans=()) -> list[str]:
    """The ``PROTECTED`` words outside the spans, in order, as the augmenters see them."""
    for s in sorted(spans, key=lambda s: -s.start):
        text = text[:s.start] + " " + text[s.end:]
    bare = (w.lower().strip(".,!?;:\"'()") for w in text.split())
    return [w for w in bare if w in PROTECTED]


def _is_subsequence(small: list[str], big: list[str]) -> bool:
    rest = iter(big)
    return all(word in rest for word in small)


@pytest.mark.parametrize("name", NAMES)
@PROPERTY
@given(words=SENTENCE, surface=st.sampled_from(["Seattle", "two", "9:30 AM", "New York"]),
       at=st.integers(0, 12), seed=st.integers(0, 2**32 - 1))
def test_no_augmenter_touches_a_word_that_carries_an_act(name, words, surface, at, seed):
    """Negation, yes/no, question words, ordinals, "to"/"from", thanks: every one of the
    turn's act words is still there, in order (an augmenter may add a marker, never drop,
    change or move one), and no augmenter leaves an unmarked doubled word the turn did not
    have ("for for")."""
    at = min(at, len(words))
    text = " ".join(words[:at] + [surface] + words[at:])
    spans = (span(text, surface, slot="s0") if at == 0 else
             Span(start=len(" ".join(words[:at])) + 1, end=len(" ".join(words[:at])) + 1 + len(surface),
                  slot="s0", type="City", value=surface),)
    augmenter = VariationPipeline(only(name))._augmenters[0]
    new_text, new_spans = augmenter(text, spans, np.random.default_rng(seed))
    assert_spans_exact(text, spans, new_text, new_spans)
    before, after = _act_words(text, spans), _act_words(new_text, new_spans)
    assert _is_subsequence(before, after), (text, new_text)
    doubled = re.compile(r"\b(\w+)[\s,.;:!?]+\1\b", re.IGNORECASE)  # "I- I": a restart, marked
    assert doubled.search(new_text) is None or doubled.search(text), new_text


@PROPERTY
@given(case=texts_with_spans(), seed=st.integers(0, 2**32 - 1))
def test_unsorted_spans_keep_their_indices(case, seed):
    """Acts and system arguments refer to spans by index: the order given is the order returned."""
    text, spans = case
    spans = tuple(reversed(spans))
    new_text, new_spans = Fillers()(text, spans, np.random.default_rng(seed))
    assert_spans_exact(text, spans, new_text, new_spans)


# ------------------------------------------------------------------ token view

def test_token_view_rejects_overlapping_and_out_of_range_spans():
    text = "to New York"
    with pytest.raises(ValueError, match="overlaps"):
        TokenView(text, (span(text, "New York"), span(text, "New")))
    with pytest.raises(ValueError, match="past the text"):
        TokenView(text, (Span(start=3, end=40, slot="c", type="C", value="x"),))


def test_token_view_refuses_to_edit_a_span():
    text = "to Seattle"
    view = TokenView(text, (span(text, "Seattle"),))
    for edit in (lambda: view.replace(1, "x"), lambda: view.remove(1), lambda: view.swap(0, 1)):
        with pytest.raises(ValueError, match="slot values"):
            edit()


def test_removing_a_word_between_glued_spans_leaves_a_space():
    text = "10:30"
    spans = (Span(start=0, end=2, slot="h", type="H", value="10"), Span(start=3, end=5, slot="m", type="M", value="30"))
    view = TokenView(text, spans)
    view.remove(1)
    assert view.join() == ("10 30", (spans[0], attrs.evolve(spans[1], start=3, end=5)))


# ------------------------------------------------------------------ rule-based augmenters

def _runs(augmenter, text, *surfaces, n=200):
    spans = tuple(span(text, s, slot=f"s{i}") for i, s in enumerate(surfaces))
    out = []
    for seed in range(n):
        new_text, new_spans = augmenter(text, spans, np.random.default_rng(seed))
        assert_spans_exact(text, spans, new_text, new_spans)
        out.append(new_text)
    return out


def test_typos_change_one_letter_slip_in_one_word():
    text = "find me a cheap flight to Seattle"
    for new in _runs(KeyboardTypos(), text, "Seattle"):
        old_words, new_words = text.split(), new.split()
        assert len(new_words) == len(old_words)
        diff = [(a, b) for a, b in zip(old_words, new_words) if a != b]
        assert len(diff) == 1
        before, after = diff[0]
        assert before in ("find", "cheap", "flight") and abs(len(before) - len(after)) <= 1


def test_typos_use_neighbouring_keys_and_keep_case():
    text = "Book"  # substitutions of B: v g h n
    outs = set(_runs(KeyboardTypos(), text, n=300))
    assert {"Vook", "Gook", "Hook", "Nook"} & outs
    assert all(o[0] in "BVGHNo" for o in outs)


def test_no_typo_makes_a_word_that_carries_an_act():
    """"you" -> "yo" greets, "now" -> "no" denies: a slip that makes such a word is not made."""
    outs = set(_runs(KeyboardTypos(), "you got it", n=300))
    assert len(outs) > 5 and not [o for o in outs if re.search(r"\b(?:yo|no|not|hi|hey)\b", o)]


def test_typos_leave_short_and_non_latin_words_alone():
    assert set(_runs(KeyboardTypos(), "a to I 東京タワー", n=20)) == {"a to I 東京タワー"}


def test_word_drop_drops_one_unprotected_word():
    text = "no I do not want the second flight to Seattle"
    for new in _runs(WordDrop(), text, "Seattle"):
        assert len(new.split()) == len(text.split()) - 1
        dropped = set(text.split()) - set(new.split())
        assert dropped and not dropped & PROTECTED


def test_word_drop_never_empties_a_turn():
    assert set(_runs(WordDrop(), "Seattle", "Seattle", n=10)) == {"Seattle"}
    assert set(_runs(WordDrop(), "please", n=10)) == {"please"}


def test_word_drop_keeps_thanks_and_goodbyes_and_leaves_no_comma_at_the_end():
    """Those words are acts (THANK, GOODBYE); a word dropped at the end takes no comma with it."""
    outs = set(_runs(WordDrop(), "that's all, great thanks, bye", n=100))
    assert all(o.endswith("thanks, bye") for o in outs)
    assert set(_runs(WordDrop(), "no thanks, Seattle really", "Seattle", n=50)) == {"no thanks, Seattle"}
    assert set(_runs(WordDrop(), "Seattle, really", "Seattle", n=20)) == {"Seattle"}


def test_word_swap_swaps_neighbouring_words_only():
    text = "Find me a flight to Seattle"
    outs = set(_runs(WordSwap(), text, "Seattle"))
    assert outs == {"Me find a flight to Seattle", "Find a me flight to Seattle", "Find me flight a to Seattle"}
    # "to" tells a destination from an origin: it never moves ("Find me a to flight Seattle")


def test_fillers_insert_a_disfluency():
    text = "Find me a flight to Seattle"
    outs = _runs(Fillers(), text, "Seattle")
    assert all(len(o.split()) > len(text.split()) for o in outs)
    assert any(o.startswith(("Um, find", "Uh, find", "Well, find")) for o in outs)
    assert not any(re.search(r"\b(actually|I mean)\b", o, re.IGNORECASE) for o in outs)  # they mark a correction
    assert any(" um to " in o or " uh to " in o for o in outs)  # a hesitation before a phrase
    assert not any(re.search(r"\b(me|a|flight|to) (um|uh|er|hmm) (a|flight|Seattle)", o) for o in outs)  # not inside
    assert "Find- find me a flight to Seattle" in outs  # a restart, marked
    assert not any(re.search(r"\b(\w+) \1\b", o, re.IGNORECASE) for o in outs)  # never an unmarked doubled word


@pytest.mark.parametrize("augmenter", [Fillers(), CarrierPhrases()])
@pytest.mark.parametrize("text", ["erm, I want Korean food for two", "I think Seattle", "hmm, let me see, the second one",
                                  "so I'd like Boston", "well, book it"])
def test_no_filler_goes_next_to_another_or_a_hedge(augmenter, text):
    """"so um erm i want moderate Korean": a carrier's "so, um," before the phrasebook's
    "erm, I want ..." stacked three fillers. An edit that would set a filler against
    another or against a hedge ("um, I think Seattle") is drawn again or left out."""
    value = next(v for v in ("Korean", "Seattle", "Boston", "second", "book") if v in text)
    outs = _runs(augmenter, text, value, n=200)
    assert not [o for o in outs if stacks_fillers(o) and not stacks_fillers(text)]
    if text.startswith("erm"):  # where a filler fits, one still goes: before a phrase
        assert set(outs) - {text}


def test_a_restart_never_repeats_the_last_word():
    """"Mexican, please- please", "okay, yes, fab- fab": a restart stumbles into what comes
    next, so it goes before a word that more words follow."""
    outs = _runs(Fillers(), "sounds good, fab", n=300) + _runs(Fillers(), "Mexican, please", "Mexican", n=300)
    assert "sounds- sounds good, fab" in outs
    assert not [o for o in outs if re.search(r"\b(\w+)- \1$", o)]


def test_fillers_put_discourse_markers_only_where_a_clause_starts():
    """... of more than one word: not "let's try Indian, well, please"."""
    closing = _runs(Fillers(), "Indian, please", "Indian", n=300)
    assert not [o for o in closing if re.search(r", (well|so|like|you know), please", o)]
    outs = _runs(Fillers(), "yes please, for the second one", n=400)
    for marker in ("well", "so", "you know"):
        placed = [o for o in outs if marker in o.lower().split(",")[0] or f" {marker}" in o]
        assert placed, marker
        for o in placed:
            assert o.lower().startswith(f"{marker.lower()}, ") or f"please, {marker}, for" in o, o
    hesitant = [o for o in outs if re.search(r"\b(um|uh|er|hmm)\b", o.lower())]
    assert hesitant and all(o.lower().startswith(("um,", "uh,", "er,", "hmm,")) or ", um, for" in o or ", uh, for" in o
                            or ", er, for" in o or ", hmm, for" in o for o in hesitant)  # at the boundaries only


def test_asr_style_spells_out_outside_spans_and_keeps_spans_verbatim():
    text = "Book 2 tickets to New York for $220, please! Leave at 9:30 AM, the 3rd one."
    new, spans = AsrStyle()(text, (span(text, "New York"), span(text, "9:30 AM", slot="time")), np.random.default_rng(0))
    assert new == "book two tickets to New York for two hundred twenty dollars please leave at 9:30 AM the third one"
    assert new[spans[1].start:spans[1].end] == "9:30 AM"


@pytest.mark.parametrize("word, spoken", [
    ("1,200", "one thousand two hundred"), ("$4.50", "four dollars and fifty cents"), ("$1", "one dollar"),
    ("€30", "thirty euros"), ("20%", "twenty percent"), ("4.5", "four point five"), ("9:05", "nine oh five"),
    ("7pm", "seven pm"), ("10:00", "ten"), ("007", "zero zero seven"), ("21st", "twenty first"),
    ("&", "and"), ("a.m.", "am"), ("“Hello”", "hello"), ("dogs'", "dogs"), ("'til", "'til"), ("—", ""),
])
def test_asr_style_words(word, spoken):
    text = f"x {word} y"
    new, _ = AsrStyle()(text, (), np.random.default_rng(0))
    assert new == " ".join(w for w in ("x", spoken, "y") if w)


def test_a_marked_restart_stays_marked_through_asr_style():
    """A restart the fillers marked ("I- I") is no unmarked doubled word after ASR style."""
    assert AsrStyle()("I- I want a flight, please.", (), np.random.default_rng(0))[0] == "i- i want a flight please"


def test_asr_style_never_empties_a_turn():
    assert AsrStyle()("?!", (), np.random.default_rng(0)) == ("?!", ())


def test_values_with_digits_have_a_spoken_form():
    assert spoken_value("2") == "two"
    assert spoken_value("7:30 am") == "seven thirty am"
    assert spoken_value("$220") == "two hundred twenty dollars"
    assert spoken_value("December 3rd") == "December third"
    assert spoken_value("AB1234") is None  # a code is read as it is
    assert spoken_value("Seattle") is None


def test_values_have_the_written_forms_people_use():
    forms = value_forms(["December 3rd", "7:30 am", "2 pm", "noon", "this Saturday", "Saturday", "2", "Seattle"])
    assert {"December 3", "Dec 3rd", "Dec 3", "the 3rd of December", "December third"} <= set(forms["December 3rd"])
    assert {"7:30am", "7:30 a.m.", "7:30 in the morning", "half past seven in the morning"} <= set(forms["7:30 am"])
    assert "2 in the afternoon" in forms["2 pm"] and "12 pm" in forms["noon"]
    assert forms["2"] == ("two",) and "Seattle" not in forms
    # A form that is another value, or that two values share, says no one value: left out.
    # "Saturday" is a value of its own; "Sat" and "this coming Saturday" would say it too
    assert forms["this Saturday"] == ("this Sat", "Saturday this week")
    assert "7pm" not in value_forms(["7 pm", "7pm"]).get("7 pm", ())


def test_dates_and_times_are_said_in_more_everyday_forms():
    forms = value_forms(["December 3rd", "the 21st", "today", "tomorrow", "next Tuesday", "4:45 pm", "8:05 am",
                         "7:30 pm", "6 pm"])
    assert {"12/3", "December the third", "3 December"} <= set(forms["December 3rd"])
    assert "the twenty-first" in forms["the 21st"] and forms["today"] == ("later today",)
    assert "tmrw" in forms["tomorrow"] and "next Tues" in forms["next Tuesday"]
    assert {"quarter to five in the afternoon", "16:45"} <= set(forms["4:45 pm"])
    assert "eight oh five in the morning" in forms["8:05 am"] and "08:05" not in forms["8:05 am"]
    assert {"seven thirty in the evening", "19:30"} <= set(forms["7:30 pm"])
    assert {"six in the evening", "18:00"} <= set(forms["6 pm"])


def test_number_and_ordinal_words():
    assert number_words(0) == "zero"
    assert number_words(220) == "two hundred twenty"
    assert number_words(1_000_001) == "one million one"
    assert number_words(999_999_999_999_999).startswith("nine hundred ninety nine trillion")
    assert [ordinal_words(n) for n in (1, 2, 3, 5, 12, 20, 21, 100)] == [
        "first", "second", "third", "fifth", "twelfth", "twentieth", "twenty first", "one hundredth"]
    with pytest.raises(ValueError):
        number_words(-1)


def test_carrier_phrases_fit_the_turn():
    verb = _runs(CarrierPhrases(), "Find me a flight to Seattle.", "Seattle")
    assert any(o.startswith(("Could you find", "Can you find", "I'd like to find", "Please find")) for o in verb)
    assert any(o.endswith(("Seattle please.", "Seattle if you can.")) for o in verb)  # before the full stop
    other = _runs(CarrierPhrases(), "Seattle", "Seattle")
    assert not any(o.lower().startswith(("could", "can", "i'd", "i want", "please")) for o in other)
    assert "Seattle please" in other and not any("thank" in o for o in other)  # a carrier adds no act
    polite = _runs(CarrierPhrases(), "book it please", n=50)
    assert all(o.count("please") == 1 for o in polite)  # no second "please"


def test_carrier_suffix_goes_before_a_glued_question_mark():
    text = "Seattle?"
    outs = set(_runs(CarrierPhrases(), text, "Seattle"))
    assert "Seattle please?" in outs


def test_carrier_suffixes_fit_what_the_turn_is():
    """"if you can" follows a request, "please" a request or a value; a turn that is neither
    ("nope") gets a prefix; no carrier says thanks (a THANK the acts would not carry)."""
    assert not any(o.startswith("nope ") for o in _runs(CarrierPhrases(), "nope"))
    value = {o[len("for Seattle "):] for o in _runs(CarrierPhrases(), "for Seattle", "Seattle")
             if o.startswith("for Seattle ")}
    assert value == {"please", "if possible"}
    question = set(_runs(CarrierPhrases(), "what's the price?"))
    assert not any("thank" in o for o in question)
    assert any(o.endswith("if you can.") for o in _runs(CarrierPhrases(), "Book it."))


# ------------------------------------------------------------------ pipeline

TURN = turn_of("Find me a flight to Seattle tomorrow, please.", "Seattle", "tomorrow")


def test_disabled_pipeline_returns_the_turn_itself():
    for config in (VariationConfig(enabled=False), VariationConfig(**OFF)):
        pipeline = VariationPipeline(config)
        assert pipeline.names == ()
        rng = np.random.default_rng(0)
        state = rng.bit_generator.state
        assert pipeline.apply(TURN, rng) == (TURN, ())
        assert pipeline.apply(TURN, rng)[0] is TURN
        assert rng.bit_generator.state == state  # no draws either


def test_default_pipeline_runs_the_rule_based_augmenters_in_order():
    pipeline = VariationPipeline()
    assert pipeline.names == ("carrier", "fillers", "word_drop", "asr", "typos")  # word_swap is off
    rng = np.random.default_rng(7)
    touched = 0
    for _ in range(2000):
        new, changed = pipeline.apply(TURN, rng)
        assert_spans_exact(TURN.text, TURN.spans, new.text, new.spans)
        assert new.acts == TURN.acts
        touched += bool(changed)
        assert (new is TURN) == (not changed)
    # 1 - prod(1 - p) = 0.34 of turns are touched with the default probabilities
    assert 0.28 < touched / 2000 < 0.40


def test_probability_one_always_runs_and_reports_names():
    new, changed = VariationPipeline(only("asr", "carrier")).apply(TURN, np.random.default_rng(3))
    assert changed == ("carrier", "asr")
    outside = new.text[:new.spans[0].start] + new.text[new.spans[0].end:new.spans[1].start]
    assert outside == outside.lower() and "," not in new.text and new.text.endswith("Seattle tomorrow please")


def test_pipeline_is_deterministic_and_picklable():
    pipeline = VariationPipeline(only(*RULE_BASED))
    clone = pickle.loads(pickle.dumps(pipeline))
    assert clone.names == pipeline.names
    for seed in range(20):
        assert pipeline.apply(TURN, np.random.default_rng(seed)) == clone.apply(TURN, np.random.default_rng(seed))


def test_pipeline_reports_bad_spans():
    text = "to New York"
    bad = UserTurn(text=text, acts=[], spans=[span(text, "New York"), span(text, "York")])
    with pytest.raises(ValueError, match="overlaps"):
        VariationPipeline(only("asr")).apply(bad, np.random.default_rng(0))


def test_model_augmenters_without_a_model_path_are_skipped_with_a_message():
    with pytest.warns(VariationWarning, match="mlm augmenter skipped: no mlm_model set"):
        pipeline = VariationPipeline(only("mlm", "typos"))
    assert pipeline.names == ("typos",)
    with pytest.warns(VariationWarning, match="paraphrase augmenter skipped: no paraphrase_model set"):
        assert VariationPipeline(only("paraphrase")).names == ()


def test_a_model_path_that_is_not_a_model_is_an_error(tmp_path):
    with pytest.raises(VariationError, match="mlm_model"):
        VariationPipeline(only("mlm", mlm_model=str(tmp_path / "missing")))
    with pytest.raises(VariationError, match="paraphrase_model"):
        VariationPipeline(only("paraphrase", paraphrase_model=str(tmp_path)))


# ------------------------------------------------------------------ WordNet

@pytest.fixture
def no_wordnet_cache(monkeypatch):
    monkeypatch.setattr(wordnet_module, "_READERS", {})


def test_wordnet_without_nltk_is_skipped_with_one_clear_message(monkeypatch, no_wordnet_cache):
    monkeypatch.setitem(sys.modules, "nltk", None)  # import nltk -> ImportError
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pipeline = VariationPipeline(only("wordnet", "asr"))
    assert [str(w.message) for w in caught] == [wordnet_module.NO_NLTK]
    assert caught[0].category is VariationWarning
    assert pipeline.names == ("asr",)


def test_wordnet_without_data_is_skipped_with_one_clear_message(monkeypatch, no_wordnet_cache, tmp_path):
    pytest.importorskip("nltk")
    monkeypatch.setattr(wordnet_module, "_nltk_reader", lambda: None)
    monkeypatch.setattr(wordnet_module, "DEBIAN_WORDNET", str(tmp_path))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pipeline = VariationPipeline(only("wordnet"))
    assert [str(w.message) for w in caught] == [
        "wordnet augmenter skipped: nltk WordNet data not found; apt-get install wordnet-base "
        "or python -c \"import nltk; nltk.download('wordnet')\""]
    assert pipeline.names == ()
    assert pipeline.apply(TURN, np.random.default_rng(0)) == (TURN, ())


@pytest.mark.skipif(not WORDNET, reason="WordNet data not installed (apt-get install wordnet-base, "
                                        "or nltk.download('wordnet'))")
def test_wordnet_replaces_a_word_by_a_synonym():
    synonyms = wordnet_module.WordNetSynonyms()
    assert "inexpensive" in synonyms.synonyms("cheap")
    assert synonyms.synonyms("flights") == ()  # inflected: WordNet lemmas would not fit
    text = "I want a cheap flight to Seattle"
    outs = set(_runs(synonyms, text, "Seattle", n=40))
    assert "I want a inexpensive flight to Seattle" in outs
    assert all(o.endswith("to Seattle") and o.startswith("I ") for o in outs)
    assert pickle.loads(pickle.dumps(synonyms)).synonyms("cheap") == synonyms.synonyms("cheap")


@pytest.mark.skipif(not WORDNET, reason="WordNet data not installed (apt-get install wordnet-base, "
                                        "or nltk.download('wordnet'))")
def test_wordnet_keeps_to_a_dominant_sense_and_the_part_of_speech_the_context_allows():
    """"find" has no dominant sense (its synonyms run to "bump"); "book" after "can you" is a
    verb, and its dominant sense is the noun ("volume"); "rain" is a noun after "the" only."""
    synonyms = wordnet_module.WordNetSynonyms()
    assert synonyms.synonyms("find") == () and synonyms.synonyms("need") == ()
    assert synonyms.synonyms("rain", frozenset("nas")) and not synonyms.synonyms("rain", frozenset("v"))
    assert synonyms.synonyms("rain") == ()  # a noun and a verb: without context, no guess
    assert set(_runs(synonyms, "can you book it", n=40)) == {"can you book it"}
    outs = set(_runs(synonyms, "I need the rain forecast for Seattle", "Seattle", n=60))
    assert "I need the rainfall forecast for Seattle" in outs
    assert all(o.startswith("I need the ") for o in outs)


def test_wordnet_is_off_by_default():
    assert VariationConfig().wordnet == 0.0 and "wordnet" not in VariationPipeline().names


def test_every_ordinal_a_pick_says_is_protected():
    assert set(ORDINALS) <= PROTECTED and {"yes", "no", "not", "what", "which"} <= PROTECTED


@pytest.mark.skipif(not WORDNET, reason="WordNet data not installed (apt-get install wordnet-base, "
                                        "or nltk.download('wordnet'))")
def test_forked_workers_read_wordnet_through_their_own_files(tmp_path):
    """Workers forked from a process that has read WordNet share its open files (and their
    offset) unless they reopen them: reads interleave and a synset comes back as None."""
    import dialogsim

    assert wordnet_module.WordNetSynonyms().synonyms("cheap")  # the parent opens its files
    flights = dialogsim.load_scenario(dialogsim.scenarios.path("flights"))
    variation = flights.variation.with_overrides(["wordnet=0.5"])
    for workers in (1, 2):
        dialogsim.generate(flights, 1000, tmp_path / str(workers), variation=variation, workers=workers)
    assert [p.read_bytes() for p in sorted((tmp_path / "2").glob("*.jsonl"))] == \
        [p.read_bytes() for p in sorted((tmp_path / "1").glob("*.jsonl"))]


# ------------------------------------------------------------------ config

def test_config_overrides_from_the_command_line():
    config = VariationConfig().with_overrides(["typos=0.5", "enabled=false", "mlm_model=/m", "asr = 0"])
    assert (config.typos, config.enabled, config.mlm_model, config.asr) == (0.5, False, "/m", 0.0)
    assert config.with_overrides(["mlm_model="]).mlm_model is None
    assert not config.active and VariationConfig().active and not VariationConfig(**OFF).active
    for bad, message in (("typos", "name=value"), ("typo=0.1", "name=value"), ("typos=x", "typos must be a number"),
                         ("typos=2", "probability between 0 and 1"), ("enabled=maybe", "true or false")):
        with pytest.raises(ValueError, match=message):
            VariationConfig().with_overrides([bad])


def test_augmenter_order_names_every_probability():
    probabilities = {a.name for a in attrs.fields(VariationConfig) if a.metadata.get("probability")}
    assert set(AUGMENTERS) == probabilities and len(AUGMENTERS) == len(probabilities)


def test_the_core_imports_neither_torch_nor_nlpaug():
    """Building and running the default pipeline (and one with model paths set, which
    loads nothing until a model is used) must not import torch, transformers or nlpaug."""
    import subprocess

    code = ("import sys, numpy as np; from dialogsim.paraphrase.pipeline import VariationPipeline; "
            "from dialogsim.config import VariationConfig; "
            "from dialogsim.dialogue import UserTurn; "
            "VariationPipeline(VariationConfig(asr=1.0)).apply(UserTurn(text='Find 2 flights', acts=[]), "
            "np.random.default_rng(0)); "
            "heavy = sorted(m for m in ('torch', 'transformers', 'nlpaug', 'pandas', 'nltk') if m in sys.modules); "
            "print(heavy); sys.exit(bool(heavy))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
