"""Issue-level check of the language-variation stage: from a handful of sample dialogues,
a 5,000-dialogue corpus says things in many more ways, and every annotation stays exact."""

from __future__ import annotations

import re

import numpy as np
import pytest

from dialogsim.config import AUGMENTERS, VariationConfig
from dialogsim.corpus import _cuts_a_word
from dialogsim.dialogue import Act, Span, UserAct, UserTurn
from dialogsim.generation import simulate
from dialogsim.invariants import DialogueChecker
from dialogsim.loader import load_scenario
from dialogsim.paraphrase.augment import AsrStyle, Fillers
from dialogsim.paraphrase.pipeline import VariationPipeline
from dialogsim.paraphrase.realiser import Realiser
from dialogsim.paraphrase.templates import Template
from dialogsim.scenarios import path

N = 5000


@pytest.fixture(scope="module")
def corpus():
    scenario = load_scenario(path("flights"))
    return scenario, list(simulate(scenario, N, seed=11))


def test_a_corpus_says_far_more_than_its_samples(corpus):
    scenario, dialogues = corpus
    sample_texts = {t.text for s in scenario.samples for t in s.turns if t.speaker == "user"}
    user_turns = [t for d in dialogues for t in d.turns if isinstance(t, UserTurn)]
    distinct = {t.text for t in user_turns}
    print(f"\n{len(sample_texts)} distinct sample user turns -> {len(distinct)} distinct user "
          f"utterances in {len(user_turns)} user turns of {N} dialogues")
    assert len(distinct) >= 100 * len(sample_texts)
    # Not only new values in the same frames: the delexicalised texts differ too.
    frames = set()
    for turn in user_turns:
        text = turn.text
        for span in reversed(turn.spans):
            text = text[:span.start] + "{" + span.slot + "}" + text[span.end:]
        frames.add(text)
    assert len(frames) >= 20 * len(sample_texts)


def test_every_annotation_stays_exact(corpus):
    scenario, dialogues = corpus
    checker = DialogueChecker(scenario)
    violations = [v for d in dialogues for v in checker.check(d)]
    assert violations == []
    touched = {name for d in dialogues for t in d.turns if isinstance(t, UserTurn) for name in t.augmented}
    defaults = {name for name in AUGMENTERS if getattr(scenario.variation, name) > 0}
    assert touched == defaults  # every default augmenter ran, and still no span broke


def test_no_dialogue_repeats_a_user_turn_word_for_word(corpus):
    _, dialogues = corpus
    repeated = 0
    for d in dialogues:
        texts = [t.text for t in d.turns if isinstance(t, UserTurn)]
        repeated += len(texts) != len(set(texts))
    assert repeated <= N // 500  # only acts with a single phrasing can repeat


def test_most_user_turns_are_said_only_once(corpus):
    """Issue #9's target on flights at default settings: at least 70 % of the user
    utterances of 5,000 dialogues are distinct (SGD's test set: 92 %; 25 % before the
    phrasebook, 53 % with its plain phrasings)."""
    _, dialogues = corpus
    texts = [t.text for d in dialogues for t in d.turns if isinstance(t, UserTurn)]
    assert len(set(texts)) >= 0.70 * len(texts)


# A phrasing harvested from a schema-guided dataset: the value is glued to the next sentence
# by a full stop alone. Dropping the stop (speech-recogniser style) ran "Los Angeles" into
# "find", and the corpus reader then rejected the line: a span that ends inside a word.
GLUED = "I like {category} events and it should be around {city_of_event}.Find whether any events happening?"


def _glued_turn(city: str = "Los Angeles") -> tuple[str, tuple[Span, ...]]:
    text = GLUED.replace("{category}", "Music")
    start = text.index("{city_of_event}")
    text = text.replace("{city_of_event}", city)
    music = text.index("Music")
    return text, (Span(start=music, end=music + 5, slot="category", type="category", value="Music"),
                  Span(start=start, end=start + len(city), slot="city_of_event", type="city", value=city))


def test_dropping_punctuation_never_runs_a_value_into_the_next_word():
    text, spans = _glued_turn()
    new, new_spans = AsrStyle()(text, spans, np.random.default_rng(0))
    assert "Los Angeles find whether" in new
    assert [new[s.start:s.end] for s in new_spans] == ["Music", "Los Angeles"]
    assert not any(_cuts_a_word(new, s.start) or _cuts_a_word(new, s.end) for s in new_spans)


@pytest.mark.parametrize("name", sorted(n for n in AUGMENTERS if n in ("carrier", "fillers", "word_swap",
                                                                        "word_drop", "asr", "typos")))
def test_no_augmenter_writes_a_span_the_reader_rejects(name):
    """Every rule-based augmenter at probability 1, over the glued phrasing with many seeds:
    each turn is one the corpus reader accepts (every span on word boundaries)."""
    pipeline = VariationPipeline(VariationConfig(**{**{n: 0.0 for n in AUGMENTERS}, name: 1.0}))
    text, spans = _glued_turn()
    turn = UserTurn(text=text, acts=(UserAct(act=Act.INFORM, slot="category"),
                                     UserAct(act=Act.INFORM, slot="city_of_event")), spans=spans)
    changed = 0
    for seed in range(200):
        new, _ = pipeline.apply(turn, np.random.default_rng(seed))
        changed += new.text != text
        for span in new.spans:
            assert new.text[span.start:span.end] == span.value
            assert not _cuts_a_word(new.text, span.start) and not _cuts_a_word(new.text, span.end), new.text
    assert changed  # the augmenter did run


def test_the_realiser_refuses_a_value_run_into_a_word():
    from dialogsim.catalogue import Catalogue

    scenario = load_scenario(path("flights"))
    realiser = Realiser(scenario, Catalogue(scenario))
    glued = Template(text="{origin}bound", slots=frozenset(("origin",)))
    with pytest.raises(ValueError, match="runs into a word"):
        realiser._render([(0, glued, None)], (UserAct(act=Act.INFORM, slot="origin"),), {"origin": "Boston"},
                         np.random.default_rng(0))


def test_no_filler_goes_before_a_greeting():
    """"actually, good evening, find me a flight" corrects before anything was said."""
    for seed in range(300):
        new, _ = Fillers()("good evening, find me a flight", (), np.random.default_rng(seed))
        assert new.lower().startswith(("good evening", "good- good")), new


def test_user_turns_differ_in_words_not_only_in_case_and_punctuation(corpus):
    """Issue #9's targets on flights, 5,000 dialogues: at least 70 % of the user turns are
    distinct also ignoring case and punctuation ("Sounds good." is "sounds good"; 65 %
    before), and distinct-2 (distinct user bigrams of lower-cased whitespace tokens / all
    of them; 0.062 before the larger phrasebook, 0.079 after, 0.095 with the larger
    flights catalogue) at least 0.093, double what the issue measured."""
    _, dialogues = corpus
    texts = [t.text for d in dialogues for t in d.turns if isinstance(t, UserTurn)]
    folded = {" ".join(re.sub(r"[^\w\s'-]+", " ", t.lower()).split()) for t in texts}
    assert len(folded) >= 0.70 * len(texts)
    bigrams, total = set(), 0
    for text in texts:
        tokens = text.lower().split()
        total += max(0, len(tokens) - 1)
        bigrams.update(zip(tokens, tokens[1:]))
    assert len(bigrams) >= 0.093 * total
