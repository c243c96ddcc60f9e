"""Label vocabularies and the feature vectors the three models read, computed from a
``DialogueState`` -- the same code for a corpus dialogue (training, evaluation) and a live
one (the runtime), so the models never see a feature built two ways.

``Vocab`` holds the scenario's slots, BIO tags, actions (APIs, responses, ``stop``),
argument names, APIs and the values of each slot said without a span (what the value
tracker chooses among); it is saved in the model directory. Numpy only: torch starts
at the networks.
"""

from __future__ import annotations

import copy
import re
from typing import Mapping, Sequence

import attrs
import numpy as np

from dialogsim.catalogue import Surfaces
from dialogsim.dialogue import ApiStatus, Span
from dialogsim.models.state import DEFAULT_KEY, STOP, Candidate, DialogueState
from dialogsim.schema import Scenario

__all__ = ["Vocab", "Features", "SHAPE_SIZE", "Gazetteer", "token_shapes", "token_features", "bio_labels",
           "decode_spans", "canonical"]

_STATUSES = (ApiStatus.OK, ApiStatus.EMPTY, ApiStatus.FAILURE)
_ITEMS = 10  # item positions told apart; later items share the last one
_TURNS_AGO = 10.0


@attrs.frozen
class Vocab:
    """The label sets of one scenario, in a fixed order (saved in ``config.json``)."""

    slots: tuple[str, ...]
    actions: tuple[str, ...]  # APIs, responses, then stop
    args: tuple[str, ...]
    apis: tuple[str, ...]
    # Slot -> its values, for each slot labelled without a span (Boolean, ``span: false``),
    # in slot order; none in a model directory from before them.
    values: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @classmethod
    def of(cls, scenario: Scenario) -> "Vocab":
        args = {a.name for api in scenario.apis.values() for a in api.args}
        args |= {name for r in scenario.responses.values() for name in r.args}
        types = scenario.types
        values = tuple((slot, tuple(dict.fromkeys((*types[scenario.slots[slot]].values,
                                                   *types[scenario.slots[slot]].synonyms))))
                       for slot in sorted(scenario.spanless))
        return cls(slots=tuple(sorted(scenario.slots)),
                   actions=(*scenario.apis, *scenario.responses, STOP),
                   args=tuple(sorted(args)),
                   apis=tuple(scenario.apis),
                   values=values)

    @property
    def value_outputs(self) -> int:
        """The value tracker's outputs: per spanless slot, "not said" and each value."""
        return sum(1 + len(v) for _, v in self.values)

    @property
    def tags(self) -> tuple[str, ...]:
        return ("O", *(f"{p}-{s}" for s in self.slots for p in ("B", "I")))

    def to_json(self) -> dict:
        return {"slots": list(self.slots), "actions": list(self.actions), "args": list(self.args), "apis": list(self.apis),
                "values": {slot: list(values) for slot, values in self.values}}

    @classmethod
    def from_json(cls, raw: Mapping) -> "Vocab":
        return cls(slots=tuple(raw["slots"]), actions=tuple(raw["actions"]), args=tuple(raw["args"]),
                   apis=tuple(raw["apis"]),
                   values=tuple((slot, tuple(values)) for slot, values in raw.get("values", {}).items()))


class Features:
    """Feature vectors over one ``Vocab``; sizes are properties the networks are built with.
    ``reworded``: the turn and step vectors say which slots the latest user turn gave in
    other words than the value (``DialogueState.reworded``); models trained before it
    existed read the vectors without it."""

    def __init__(self, vocab: Vocab, *, reworded: bool = True) -> None:
        self.vocab = vocab
        self.reworded = reworded
        self.slot = {s: i for i, s in enumerate(vocab.slots)}
        self.action = {a: i for i, a in enumerate(vocab.actions)}
        self.arg = {a: i for i, a in enumerate(vocab.args)}
        self.api = {a: i for i, a in enumerate(vocab.apis)}
        self.tag = {t: i for i, t in enumerate(vocab.tags)}
        # The value tracker's output, per spanless slot: (slot, first output, its values);
        # output ``first`` is "not said this turn", ``first + 1 + i`` value ``i``.
        self.value_slices: list[tuple[str, int, tuple[str, ...]]] = []
        first = 0
        for slot, values in vocab.values:
            self.value_slices.append((slot, first, values))
            first += 1 + len(values)
        S, A, P = len(vocab.slots), len(vocab.actions), len(vocab.apis)
        self.context_size = A + S
        R = S if reworded else 0
        self.turn_size = S + A + 3 * P + R
        self.step_size = A + (A + 1) + S + 2 * P + 3 * P + R
        self.candidate_size = 4 + S + 1 + 1 + 1 + 1 + P + _ITEMS + 1 + 1 + 1 + 1 + 2

    # -- pieces -----------------------------------------------------------------------
    def _actions(self, actions: Sequence[tuple]) -> np.ndarray:
        out = np.zeros(len(self.vocab.actions), np.float32)
        for name, _, _ in actions:
            if name in self.action:
                out[self.action[name]] = 1.0
        return out

    def _statuses(self, actions: Sequence[tuple]) -> np.ndarray:
        out = np.zeros((len(self.vocab.apis), 3), np.float32)
        for name, _, status in actions:
            if status is not None and name in self.api:
                out[self.api[name], _STATUSES.index(status)] = 1.0
        return out.ravel()

    def _slots(self, slots) -> np.ndarray:
        out = np.zeros(len(self.vocab.slots), np.float32)
        for s in slots:
            if s in self.slot:
                out[self.slot[s]] = 1.0
        return out

    def value_labels(self, values) -> np.ndarray:
        """Per spanless slot, the tracker's class of a user turn that said ``values``
        (``state.said``): 0 "not said", else 1 + the value's index (-100: a value outside
        the vocabulary, not learned)."""
        given = {slot: value for _, slot, value in values}
        out = np.zeros(len(self.value_slices), np.int64)
        for j, (slot, _, options) in enumerate(self.value_slices):
            if slot in given:
                out[j] = 1 + options.index(given[slot]) if given[slot] in options else -100
        return out

    # -- per model --------------------------------------------------------------------
    def context(self, state: DialogueState) -> np.ndarray:
        """NER context before a user turn: what the system just did (``request_origin`` makes
        a bare city an origin) and which slots are already held."""
        return np.concatenate([self._actions(state.last_system()), self._slots(state.held)])

    def turn(self, state: DialogueState) -> np.ndarray:
        """A user turn (just fed to ``state``) for the turn-level encoder, beside its
        utterance encoding: its slots, the previous system turn's actions and API statuses,
        and the slots it said in other words."""
        _, _, spans, values = state.turns[-1]
        previous = state.last_system()
        slots = [s.slot for s in spans] + [slot for _, slot, _ in values]
        parts = [self._slots(slots), self._actions(previous), self._statuses(previous)]
        if self.reworded:
            parts.append(self._slots(state.reworded))
        return np.concatenate(parts)

    def step(self, state: DialogueState) -> np.ndarray:
        """One step of the action decoder: the actions taken so far this turn, the last one,
        the slots held, which APIs have results (and several items), this turn's statuses,
        and the slots the user turn said in other words."""
        current = state.current
        last = np.zeros(len(self.vocab.actions) + 1, np.float32)
        last[self.action[current[-1][0]] if current else len(self.vocab.actions)] = 1.0
        have = np.zeros(len(self.vocab.apis), np.float32)
        several = np.zeros(len(self.vocab.apis), np.float32)
        for c in state.results:
            if c.api in self.api:  # every result is an API's
                have[self.api[c.api]] = 1.0
                several[self.api[c.api]] = float(c.many)
        parts = [self._actions(current), last, self._slots(state.held), have, several, self._statuses(current)]
        if self.reworded:
            parts.append(self._slots(state.reworded))  # "Did you say New York?" comes first
        return np.concatenate(parts)

    def candidate(self, state: DialogueState, cand: Candidate, arg: str) -> np.ndarray:
        """One argument candidate, relative to the argument and the state."""
        v = self.vocab
        out = np.zeros(self.candidate_size, np.float32)
        S, P = len(v.slots), len(v.apis)
        if cand.key == DEFAULT_KEY:
            out[3] = 1.0
            return out
        kind = 0 if cand.key[0] in ("span", "act") else (1 if cand.item is None else 2)  # said / result / item
        out[kind] = 1.0
        o = 4
        if cand.slot is not None and cand.slot in self.slot:
            out[o + self.slot[cand.slot]] = 1.0
        o += S
        out[o] = float(cand.slot == arg)
        out[o + 1] = float(cand.turn == state.index - 1 and kind == 0)
        out[o + 2] = min(max(state.index - cand.turn, 0), _TURNS_AGO) / _TURNS_AGO
        out[o + 3] = float(cand.slot is not None and state.held.get(cand.slot) == cand)
        o += 4
        if cand.api is not None and cand.api in self.api:
            out[o + self.api[cand.api]] = 1.0
        o += P
        if cand.item is not None:
            out[o + min(cand.item, _ITEMS - 1)] = 1.0
        o += _ITEMS
        latest = [c for c in state.results if c.api == cand.api]
        out[o] = float(kind > 0 and bool(latest) and latest[-1].key[:3] == cand.key[:3])
        out[o + 1] = float(kind > 0 and cand.turn == state.index)
        out[o + 2] = float(cand.many)
        out[o + 3] = float(cand.slot is not None and cand.slot in state.revised)
        # Used before: "book it" after "shall I book the second one?" means that one.
        out[o + 4] = float(any(cand.key in keys.values() for _, keys, _ in state.last_system()))
        out[o + 5] = float(any(cand.key in keys.values() for _, keys, _ in state.current))
        return out


# -- NER labels and decoding ------------------------------------------------------------
SHAPE_SIZE = 4


def token_shapes(text: str, offsets: np.ndarray) -> np.ndarray:
    """Per token: its word is capitalised, the token is in capitals, it holds a digit, it
    starts a word. The encoder is uncased; "Salt Lake City" in capitals is a name even
    when the model has never seen it (held-out values are exactly that)."""
    out = np.zeros((len(offsets), SHAPE_SIZE), np.float32)
    for i, (start, end) in enumerate(offsets):
        start, end = int(start), int(end)
        if end <= start:
            continue
        word = start
        while word > 0 and text[word - 1].isalnum():
            word -= 1
        piece = text[start:end]
        out[i] = (text[word].isupper(), piece.isupper(), any(c.isdigit() for c in piece), word == start)
    return out


_WORD = re.compile(r"\w+")
_MAX_WORDS = 10  # words in the longest catalogue surface looked for
_MEMO = 100_000  # remembered surfaces, before the memo starts again


class Gazetteer:
    """Which tokens of an utterance lie in a surface of a slot's catalogue type (a value,
    a synonym or its spoken form, up to case, at word boundaries). The catalogue is the
    scenario the model was trained for, which the model directory holds, so the runtime
    has it too: a listed value the training dialogues never used is still recognised.
    Values outside the catalogue (open classes, Faker pools) get no help from it; the
    tagger learns to do without it too (training drops it for some utterances).

    ``features`` gives per token: for each slot, whether the token is inside a match of
    the slot's type; and whether it begins a match."""

    def __init__(self, scenario: Scenario, slots: Sequence[str]) -> None:
        self.surfaces = {name: _surfaces(t) for name, t in scenario.types.items()
                         if not t.is_entity and not t.spanless and (t.values or t.synonyms)}
        self.slots: dict[str, list[int]] = {}  # type -> indices of the slots of that type
        for i, slot in enumerate(slots):
            type_name = scenario.slots.get(slot)
            if type_name in self.surfaces:
                self.slots.setdefault(type_name, []).append(i)
        self.size = len(slots) + 1
        self.names = tuple(slots)
        self._memo: dict[str, tuple[str, ...]] = {}

    def relabel(self, slot: str, type_name: str, exact: Sequence[str]) -> str:
        """The slot of a span tagged ``slot`` (of type ``type_name``) whose text is exactly a
        listed value of the types ``exact``: another slot when the text is a value of one
        other type only, which only that slot has, and not a value of its own type."""
        if type_name in exact or len(set(exact)) != 1:
            return slot
        owners = self.slots.get(exact[0], [])
        return self.names[owners[0]] if len(owners) == 1 else slot

    def blind(self) -> "Gazetteer":
        """The same features that never match: how a tagger does on values outside the
        catalogue (what ``bench/models.py`` measures besides)."""
        other = copy.copy(self)
        other.slots, other._memo = {}, {}
        return other

    def matches(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, type)`` of every word sequence of ``text`` that says a value of a type."""
        if not self.slots:
            return []
        words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
        out: list[tuple[int, int, str]] = []
        for i, (start, _) in enumerate(words):
            for j in range(i, min(i + _MAX_WORDS, len(words))):
                end = words[j][1]
                ends = [end]
                while end < len(text) and not text[end].isspace() and not text[end].isalnum():
                    end += 1  # "Where Do We Go?", "I Am... Sasha Fierce"
                    ends.append(end)
                for stop in ends:
                    out.extend((start, stop, type_name) for type_name in self._types_of(text[start:stop]))
        return out

    def _types_of(self, surface: str) -> tuple[str, ...]:
        """The types ``surface`` says a value of; remembered per folded surface (matching is
        up to case), since utterances repeat their words."""
        folded = surface.casefold()
        types = self._memo.get(folded)
        if types is None:
            if len(self._memo) > _MEMO:
                self._memo.clear()
            types = self._memo[folded] = tuple(t for t in self.slots if self.surfaces[t].canonical(folded) is not None)
        return types

    def features(self, text: str, offsets: np.ndarray) -> np.ndarray:
        out = np.zeros((len(offsets), self.size), np.float32)
        for start, end, type_name in self.matches(text):
            for t, (a, b) in enumerate(offsets):
                a, b = int(a), int(b)
                if b > a and a >= start and b <= end:
                    out[t, self.slots[type_name]] = 1.0
                    out[t, -1] = max(out[t, -1], float(a == start))
        return out


def token_features(text: str, offsets: np.ndarray, gazetteer: Gazetteer | None) -> np.ndarray:
    """The tagger's per-token features: ``token_shapes``, then (when the model uses one) the
    gazetteer's."""
    shapes = token_shapes(text, offsets)
    return shapes if gazetteer is None else np.concatenate([shapes, gazetteer.features(text, offsets)], axis=1)


def bio_labels(offsets: np.ndarray, spans: Sequence[Span], tag: Mapping[str, int]) -> np.ndarray:
    """One tag id per token (-100 for special tokens): B on the first token that overlaps a
    span, I on the following ones, O elsewhere."""
    labels = np.full(len(offsets), -100, np.int64)
    inside: dict[int, bool] = {}
    for i, (start, end) in enumerate(offsets):
        if end <= start:
            continue
        labels[i] = tag["O"]
        for j, span in enumerate(spans):
            if start < span.end and end > span.start:
                labels[i] = tag[f"{'I' if inside.get(j) else 'B'}-{span.slot}"]
                inside[j] = True
                break
    return labels


def decode_spans(text: str, offsets: np.ndarray, tags: Sequence[str], scenario: Scenario,
                 gazetteer: Gazetteer | None = None) -> list[Span]:
    """Spans from per-token tags, widened to whole words (a word piece never cuts a word)
    and given their canonical value (a synonym said means its value). Tokens of one slot
    separated by nothing but spaces are one span: a tagger that never saw "Salt Lake City"
    may begin each of its words, and no slot's value is two values side by side. For the
    same reason two slots of one type side by side ("Salt" origin, "Lake City" destination)
    are one value, of the first slot, and so are capitalised words with an untagged
    capitalised word between them ("Salt Lake City" with "Lake" untagged), or, when both
    are of one slot, a small word that names hold ("Locked Out" and "Heaven" of "Locked
    Out of Heaven"; not "Boston" to "Denver", an origin and a destination). With a
    ``gazetteer``, a span inside a catalogue value of its type grows to the whole value
    ("Locked Out" of "Locked Out of Heaven", "Taylor" of "Taylor Swift") unless that would
    swallow a span of another slot (one the tagger began: an I- tag that goes on from a token
    of another slot, "Dancing" B-song "Queen" I-artist, is the same span, its slot
    wavering; and the slots are those relabelled below): a tagger that found part of a
    listed value meant it all; a span that holds a listed value of its type and stray words beside it is that value;
    and a span that is exactly a listed value of another slot's type, and none of its own,
    is that slot's (``Gazetteer.relabel``: "tapas" tagged a city is the cuisine)."""
    slots = scenario.slots
    pieces = _pieces(text, offsets, tags, slots)
    matches = gazetteer.matches(text) if gazetteer is not None and pieces else []
    for piece in pieces:
        piece[1], piece[2] = _whole_words(text, piece[1], piece[2])
        if gazetteer is not None and piece[2] > piece[1]:
            piece[0] = gazetteer.relabel(piece[0], slots[piece[0]],
                                         [t for a, b, t in matches if (a, b) == (piece[1], piece[2])])
    out: list[Span] = []
    for i, (slot, start, end, _) in enumerate(pieces):
        if end <= start:
            continue
        around = [(a, b) for a, b, type_name in matches if type_name == slots[slot] and a <= start and b >= end
                  and not _swallows(pieces, i, a, b)]
        inside = [(a, b) for a, b, type_name in matches if type_name == slots[slot] and start <= a and b <= end]
        if around:
            start, end = max(around, key=lambda m: m[1] - m[0])
        elif inside:
            start, end = max(inside, key=lambda m: m[1] - m[0])  # "hear Shallow" is "Shallow"
        while out and start < out[-1].end and out[-1].slot == slot and start <= out[-1].start:
            out.pop()  # grown over an earlier piece of the same value
        if out and start < out[-1].end:
            continue  # widened into the previous span: keep that one
        surface = text[start:end]
        out.append(Span(start=start, end=end, slot=slot, type=slots[slot],
                        value=canonical(scenario, slots[slot], surface, gazetteer)))
    return out


def _pieces(text: str, offsets: np.ndarray, tags: Sequence[str], slots: Mapping[str, str]) -> list[list]:
    """``[slot, start, end, continues]`` per run of tagged tokens (joined as
    ``decode_spans`` says); ``continues``: the run begins with an I- tag right after a
    token of the previous run, of another slot -- the tagger went on with one span and
    wavered over its slot ("Dancing" B-song, "Queen" I-artist)."""
    pieces: list[list] = []
    previous = "O"
    for (start, end), tag in zip(offsets, tags):
        start, end = int(start), int(end)
        if end <= start:
            continue
        if tag == "O":
            previous = tag
            continue
        prefix, slot = tag.split("-", 1)
        touching = False
        if pieces and slots.get(pieces[-1][0]) == slots.get(slot):
            between = text[pieces[-1][2]:start]
            same = pieces[-1][0] == slot
            touching = (not between.strip() or (prefix == "I" and same)
                        or _capitalised_gap(text, pieces[-1][1], between, start, joiners=same))
        if touching:
            pieces[-1][2] = end
        else:
            pieces.append([slot, start, end, prefix == "I" and previous != "O"])
        previous = tag
    return pieces


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """``start:end`` widened to whole words, without ``_TRIM`` at either end."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    while start < end and text[start] in _TRIM:
        start += 1
    return start, end


def _swallows(pieces: Sequence[list], i: int, a: int, b: int) -> bool:
    """Whether growing piece ``i`` to ``a:b`` takes in a span of another slot, by the slots
    the pieces ended with (``Gazetteer.relabel``): not piece ``i`` itself (tagged a song,
    "Chill" became the playlist, and "Chill Vibes" is one), nor a piece that continues it
    or that it continues (``_pieces``)."""
    return any(j != i and q[0] != pieces[i][0] and q[1] < b and q[2] > a and q[2] > q[1]
               and not (j == i + 1 and q[3]) and not (j == i - 1 and pieces[i][3])
               for j, q in enumerate(pieces))


_TRIM = " ,;:"  # never at either end of a value ("Portland," is "Portland")
_JOINERS = frozenset({"of", "the", "in", "on", "a", "an", "at", "to", "for", "de", "la", "le", "del", "von", "van"})


def _capitalised_gap(text: str, first: int, between: str, start: int, *, joiners: bool = False) -> bool:
    """One or two capitalised words (or, with ``joiners``, small words names hold), and
    nothing else, between two capitalised words."""
    words = between.split()
    return (0 < len(words) <= 2
            and all((w[:1].isupper() and w.isalpha()) or (joiners and w in _JOINERS) for w in words)
            and text[first:first + 1].isupper() and text[start:start + 1].isupper())


def canonical(scenario: Scenario, type_name: str, surface: str, gazetteer: Gazetteer | None = None) -> str:
    """The catalogue value ``surface`` says (up to case; synonyms and spoken forms, "seven
    thirty" for ``7:30 pm``, included: ``catalogue.Surfaces``, the one index of them), or
    the surface itself: a value outside the catalogue is still a value."""
    surfaces = gazetteer.surfaces.get(type_name) if gazetteer is not None else None
    if surfaces is None:
        slot_type = scenario.types.get(type_name)
        if slot_type is None or slot_type.is_entity:
            return surface
        surfaces = _surfaces(slot_type)
    value = surfaces.canonical(surface)
    return surface if value is None else value


def _surfaces(slot_type) -> Surfaces:
    """A type's surface index, its synonyms' keys counted as values (as the catalogue does)."""
    return Surfaces(tuple(dict.fromkeys((*slot_type.values, *slot_type.synonyms))), slot_type.synonyms)
