"""Corpus statistics' language figures: distinct-n, templates, augmenter shares.

Hand-made records whose figures are worked out by hand below, a brute-force reference on
a simulated corpus, and the property that makes parallel generation possible: any split
of the dialogues between accumulators, merged in any order, gives the same figures.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dialogsim
import dialogsim.stats as stats_module
from dialogsim.config import AUGMENTERS
from dialogsim.stats import CorpusStats, DistinctCounter, stable_hash64


def user(text: str, spans=(), augmented=()) -> dict:
    """A user turn record; ``spans`` as (surface, slot), found in the text left to right."""
    out = {"speaker": "user", "text": text, "acts": [], "spans": []}
    pos = 0
    for surface, slot in spans:
        start = text.index(surface, pos)
        pos = start + len(surface)
        out["spans"].append({"start": start, "end": pos, "slot": slot, "type": "City", "value": surface})
    if augmented:
        out["augmented"] = list(augmented)
    return out


def record(*turns: dict, outcome: str = "completed") -> dict:
    system = {"speaker": "system", "actions": [{"kind": "response", "name": "ok", "text": "OK."}]}
    interleaved = [t for turn in turns for t in (turn, system)]
    return {"id": "d", "scenario": "hand", "format": 1, "goal": {"apis": ["A"]}, "outcome": outcome,
            "patterns": [], "turns": interleaved}


# Seven user turns. Lower-cased tokens (16): fly to boston please | thanks bye | fly to
# denver please | boston | thanks bye | boston | thanks bye.
HAND = [
    record(user("Fly to Boston please", [("Boston", "destination")], ["carrier"]),
           user("thanks bye")),
    record(user("Fly to Denver please", [("Denver", "destination")], ["carrier"]),
           user("Boston", [("Boston", "origin")]),
           user("thanks bye")),
    record(user("Boston", [("Boston", "destination")], ["typos", "fillers"]),
           user("Thanks bye")),
]


def figures(records, **kwargs) -> dict:
    stats = CorpusStats(**kwargs)
    for r in records:
        stats.add(r)
    return stats.to_json()


def test_language_figures_of_a_hand_made_corpus():
    out = figures(HAND)
    assert out["user_turns"] == 7
    distinct = out["distinct"]
    # unigrams: fly to boston please thanks bye denver
    assert distinct["user_1grams"] == {"count": 7, "exact": True, "total": 16}
    # bigrams: fly-to to-boston boston-please thanks-bye to-denver denver-please; 3+1+3+0+1+0+1
    assert distinct["user_2grams"] == {"count": 6, "exact": True, "total": 9}
    # trigrams: fly-to-boston to-boston-please fly-to-denver to-denver-please; 2+2
    assert distinct["user_3grams"] == {"count": 4, "exact": True, "total": 4}
    # "Fly to {destination} please", "thanks bye", "{origin}", "{destination}", "Thanks bye"
    assert distinct["templates"] == {"count": 5, "exact": True}
    # exact texts: the two Fly-to turns, "thanks bye", "Boston", "Thanks bye"
    assert distinct["user_utterances"] == {"count": 5, "exact": True}
    assert out["unique_user_utterance_share"] == round(5 / 7, 6)
    language = out["language"]
    assert (language["distinct_1"], language["distinct_2"], language["distinct_3"]) == (
        round(7 / 16, 6), round(6 / 9, 6), 1.0)
    assert language["templates"] == 5
    assert list(language["augmented"]) == list(AUGMENTERS)
    assert language["augmented"]["carrier"] == {"turns": 2, "share": round(2 / 7, 6)}
    assert language["augmented"]["typos"] == language["augmented"]["fillers"] == {"turns": 1, "share": round(1 / 7, 6)}
    assert all(language["augmented"][name] == {"turns": 0, "share": 0.0}
               for name in AUGMENTERS if name not in ("carrier", "typos", "fillers"))


def test_template_replaces_every_span_whatever_their_order():
    text = "from Boston to Denver"
    in_order = user(text, [("Boston", "origin"), ("Denver", "destination")])
    reversed_spans = dict(in_order, spans=in_order["spans"][::-1])
    other_values = user("from Seattle to Austin", [("Seattle", "origin"), ("Austin", "destination")])
    out = figures([record(in_order), record(reversed_spans), record(other_values)])
    assert out["distinct"]["templates"]["count"] == 1  # "from {origin} to {destination}"
    assert out["distinct"]["user_utterances"]["count"] == 2


def test_an_empty_corpus_and_empty_turns():
    assert figures([])["language"]["distinct_1"] == 0.0
    out = figures([record(user(""), user("   "), user("hi"))])
    assert out["distinct"]["user_1grams"] == {"count": 1, "exact": True, "total": 1}
    assert out["distinct"]["user_2grams"]["total"] == 0 and out["language"]["distinct_2"] == 0.0


def test_unknown_augmenters_are_reported_after_the_known_ones():
    out = figures([record(user("hello there", augmented=["zzz", "typos"]))], augmenters=("typos",))
    assert out["language"]["augmented"] == {"typos": {"turns": 1, "share": 1.0}, "zzz": {"turns": 1, "share": 1.0}}


def brute_force(records) -> dict:
    """The language figures the slow, obvious way."""
    turns = [t for r in records for t in r["turns"] if t["speaker"] == "user"]
    out = {}
    for n in (1, 2, 3):
        grams = [tuple(words[i:i + n]) for t in turns
                 for words in [t["text"].lower().split()] for i in range(len(words) - n + 1)]
        out[n] = {"count": len(set(grams)), "exact": True, "total": len(grams)}
    templates = set()
    for t in turns:
        text = t["text"]
        for span in sorted(t["spans"], key=lambda s: s["start"], reverse=True):
            text = text[:span["start"]] + "{" + span["slot"] + "}" + text[span["end"]:]
        templates.add(text)
    out["templates"] = len(templates)
    out["utterances"] = len({t["text"] for t in turns})
    return out


@pytest.fixture(scope="module")
def simulated(flights):
    """600 flights dialogues with the default variation, as corpus records."""
    return [d.to_json() for d in dialogsim.simulate(flights, 600, seed=11)]


def test_figures_equal_a_brute_force_count(simulated):
    expected = brute_force(simulated)
    out = figures(simulated)
    for n in (1, 2, 3):
        assert out["distinct"][f"user_{n}grams"] == expected[n]
    assert out["distinct"]["templates"]["count"] == expected["templates"]
    assert out["distinct"]["user_utterances"]["count"] == expected["utterances"]
    assert any(share["turns"] for share in out["language"]["augmented"].values())  # variation is on


def test_small_caches_and_batches_change_nothing(simulated, monkeypatch):
    expected = figures(simulated)
    monkeypatch.setattr(stats_module, "_CACHE_LIMIT", 7)
    monkeypatch.setattr(stats_module, "_FLUSH_TOKENS", 5)
    monkeypatch.setattr(stats_module, "_token_hashes", stats_module._TokenHashes())
    assert figures(simulated) == expected


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_merging_any_split_in_any_order_gives_the_same_figures(simulated, data):
    records = simulated[:80]
    order = data.draw(st.permutations(range(len(records))))
    cuts = sorted(data.draw(st.lists(st.integers(0, len(records)), max_size=5)))
    bounds = [0, *cuts, len(records)]
    parts = []
    for lo, hi in zip(bounds, bounds[1:]):
        part = CorpusStats()
        for i in order[lo:hi]:
            part.add(records[i])
        parts.append(pickle.loads(pickle.dumps(part)) if data.draw(st.booleans()) else part)
    merged = CorpusStats()
    for i in data.draw(st.permutations(range(len(parts)))):
        merged.merge(parts[i])
    assert merged.to_json() == figures(records)


def test_pickled_stats_leave_the_cache_behind(simulated):
    stats = CorpusStats()
    for r in simulated[:200]:
        stats.add(r)
    clone = pickle.loads(pickle.dumps(stats))
    assert clone._texts == {} and stats._texts  # the cache is per process, not part of the result
    assert clone.to_json() == stats.to_json()
    for r in simulated[200:300]:  # the clone keeps counting correctly without it
        clone.add(r)
        stats.add(r)
    assert clone.to_json() == stats.to_json()


def test_distinct_counter_merges_many_small_counters_like_one():
    whole = DistinctCounter(k=256)
    merged = DistinctCounter(k=256)
    for part in range(50):
        small = DistinctCounter(k=256)
        for i in range(part * 20, part * 20 + 40):  # overlapping ranges
            small.add(f"value {i}")
            whole.add(f"value {i}")
        merged.merge(small)
    assert merged.count() == whole.count() and not merged.exact
    assert abs(whole.count() - 1020) / 1020 < 0.25


def test_stable_hash_is_the_same_in_another_process():
    here = [stable_hash64(t) for t in ("", "hello", "naïve café")]
    code = "from dialogsim.stats import stable_hash64; print([stable_hash64(t) for t in ('', 'hello', 'naïve café')])"
    there = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": "12345"}).stdout
    assert there.strip() == str(here)
    assert len(set(here)) == 3 and all(0 <= h < 2**64 for h in here)
