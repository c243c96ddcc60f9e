"""nlpaug's real misspellings: reproducible from the dialogue's Generator (whatever the hash
seed), the global random states left as they were, act words and spans untouched."""

from __future__ import annotations

import random
import sys
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialogsim.config import AUGMENTERS, VariationConfig
from dialogsim.dialogue import Span
from dialogsim.paraphrase.augment import PROTECTED, VariationWarning
from dialogsim.paraphrase.pipeline import VariationPipeline

OFF = {name: 0.0 for name in AUGMENTERS}


def test_without_nlpaug_the_augmenter_is_skipped_with_one_clear_message(monkeypatch):
    monkeypatch.setitem(sys.modules, "nlpaug.augmenter.word", None)  # import fails
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pipeline = VariationPipeline(VariationConfig(**{**OFF, "misspell": 0.5}))
    assert pipeline.names == ()
    assert [str(w.message) for w in caught if w.category is VariationWarning] == [
        "misspell augmenter skipped: nlpaug is not installed; pip install 'dialogsim[variation]' (nlpaug==1.1.11)"]


nlpaug = pytest.importorskip("nlpaug")


@pytest.fixture(scope="module")
def misspell():
    return VariationPipeline(VariationConfig(**{**OFF, "misspell": 1.0}))._augmenters[0]


TEXT = "I want a flight to Boston tomorrow because the weather is really nice, not Monday"
SPAN = Span(start=TEXT.index("Boston"), end=TEXT.index("Boston") + 6, slot="destination", type="City", value="Boston")


def test_a_misspelling_is_one_people_make_and_not_another_word(misspell):
    known = {w.lower() for w in misspell._aug.model.dict}
    changed = set()
    for seed in range(60):
        text, spans = misspell(TEXT, (SPAN,), np.random.default_rng(seed))
        assert text[spans[0].start:spans[0].end] == "Boston"
        old, new = TEXT.split(), text.split()
        assert len(old) == len(new)
        diff = [(a, b) for a, b in zip(old, new) if a != b]
        assert len(diff) <= 1
        for before, after in diff:
            assert before.lower() not in PROTECTED and after.lower().strip(",") not in known
            changed.add(before)
    assert len(changed) > 2  # different words on different seeds


def test_global_random_states_are_left_as_they_were(misspell):
    random.seed(5)
    np.random.seed(5)
    before, np_before = random.getstate(), np.random.get_state()
    misspell(TEXT, (SPAN,), np.random.default_rng(0))
    assert random.getstate() == before
    after = np.random.get_state()
    assert all(np.array_equal(a, b) if isinstance(a, np.ndarray) else a == b for a, b in zip(np_before, after))


def test_the_same_seed_gives_the_same_text_whatever_order_nlpaug_lists_misspellings_in(misspell):
    """nlpaug keeps each word's misspellings in set order, which follows the interpreter's
    hash seed (PYTHONHASHSEED=1 and 2 gave different texts for one seed, measured): the
    augmenter's dictionary must not depend on that order. (In-process: a subprocess per
    hash seed would import nlpaug twice, about 8 s each here.)"""
    from nlpaug.model.word_dict import Spelling

    from dialogsim.paraphrase.misspell import _Dictionary

    source = Spelling(misspell._aug.dict_path, include_reverse=False).dict  # nlpaug's own lists
    reordered = _Dictionary({word: candidates[::-1] for word, candidates in source.items()})
    assert reordered.dict == _Dictionary(source).dict == misspell._aug.model.dict
    texts = [misspell(TEXT, (), np.random.default_rng(s))[0] for s in range(30)]
    assert texts == [misspell(TEXT, (), np.random.default_rng(s))[0] for s in range(30)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.sampled_from(sorted(PROTECTED) + ["tomorrow", "restaurant", "please", "weather", "table",
                                                           "really", "because", "people", "Boston"]),
                      min_size=1, max_size=10), seed=st.integers(0, 2**32 - 1))
def test_act_words_and_spans_stay(misspell, words, seed):
    text = " ".join(words)
    spans = ()
    if "Boston" in words:
        at = text.index("Boston")
        spans = (Span(start=at, end=at + 6, slot="city", type="City", value="Boston"),)
    new_text, new_spans = misspell(text, spans, np.random.default_rng(seed))
    assert [new_text[s.start:s.end] for s in new_spans] == [text[s.start:s.end] for s in spans]
    kept = [w for w in text.split() if w.lower() in PROTECTED]
    assert [w for w in new_text.split() if w.lower() in PROTECTED] == kept
