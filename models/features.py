"""Label vocabularies and the feature vectors the three models read, computed from a
``DialogueState`` -- the same code for a corpus dialogue (training, evaluation) and a live
one (the runtime), so the models never see a feature built two ways.

``Vocab`` holds the scenario's slots, BIO tags, actions (APIs, responses, ``stop``),
argument names and APIs; it is saved in the model directory. Numpy only: torch starts
at the networks.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import attrs
import numpy as np

from dialogsim.dialogue import ApiStatus, Span
from dialogsim.models.state import DEFAULT_KEY, STOP, Candidate, DialogueState
from dialogsim.schema import Scenario

__all__ = ["Vocab", "Features", "SHAPE_SIZE", "token_shapes", "bio_labels", "decode_spans", "canonical"]

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

    @classmethod
    def of(cls, scenario: Scenario) -> "Vocab":
        args = {a.name for api in scenario.apis.values() for a in api.args}
        args |= {name for r in scenario.responses.values() for name in r.args}
        return cls(slots=tuple(sorted(scenario.slots)),
                   actions=(*scenario.apis, *scenario.responses, STOP),
                   args=tuple(sorted(args)),
                   apis=tuple(scenario.apis))

    @property
    def tags(self) -> tuple[str, ...]:
        return ("O", *(f"{p}-{s}" for s in self.slots for p in ("B", "I")))

    def to_json(self) -> dict:
        return {"slots": list(self.slots), "actions": list(self.actions), "args": list(self.args), "apis": list(self.apis)}

    @classmethod
    def from_json(cls, raw: Mapping) -> "Vocab":
        return cls(slots=tuple(raw["slots"]), actions=tuple(raw["actions"]), args=tuple(raw["args"]),
                   apis=tuple(raw["apis"]))


class Features:
    """Feature vectors over one ``Vocab``; sizes are properties the networks are built with."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self.slot = {s: i for i, s in enumerate(vocab.slots)}
        self.action = {a: i for i, a in enumerate(vocab.actions)}
        self.arg = {a: i for i, a in enumerate(vocab.args)}
        self.api = {a: i for i, a in enumerate(vocab.apis)}
        self.tag = {t: i for i, t in enumerate(vocab.tags)}
        S, A, P = len(vocab.slots), len(vocab.actions), len(vocab.apis)
        self.context_size = A + S
        self.turn_size = S + A + 3 * P
        self.step_size = A + (A + 1) + S + 2 * P + 3 * P
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

    # -- per model --------------------------------------------------------------------
    def context(self, state: DialogueState) -> np.ndarray:
        """NER context before a user turn: what the system just did (``request_origin`` makes
        a bare city an origin) and which slots are already held."""
        return np.concatenate([self._actions(state.last_system()), self._slots(state.held)])

    def turn(self, state: DialogueState) -> np.ndarray:
        """A user turn (just fed to ``state``) for the turn-level encoder, beside its
        utterance encoding: its slots, and the previous system turn's actions and API statuses."""
        spans = state.turns[-1][2]
        previous = state.last_system()
        return np.concatenate([self._slots(s.slot for s in spans), self._actions(previous), self._statuses(previous)])

    def step(self, state: DialogueState) -> np.ndarray:
        """One step of the action decoder: the actions taken so far this turn, the last one,
        the slots held, which APIs have results (and several items), this turn's statuses."""
        current = state.current
        last = np.zeros(len(self.vocab.actions) + 1, np.float32)
        last[self.action[current[-1][0]] if current else len(self.vocab.actions)] = 1.0
        have = np.zeros(len(self.vocab.apis), np.float32)
        several = np.zeros(len(self.vocab.apis), np.float32)
        for c in state.results:
            have[self.api[c.api]] = 1.0
            several[self.api[c.api]] = float(c.many)
        return np.concatenate([self._actions(current), last, self._slots(state.held), have, several,
                               self._statuses(current)])

    def candidate(self, state: DialogueState, cand: Candidate, arg: str) -> np.ndarray:
        """One argument candidate, relative to the argument and the state."""
        v = self.vocab
        out = np.zeros(self.candidate_size, np.float32)
        S, P = len(v.slots), len(v.apis)
        if cand.key == DEFAULT_KEY:
            out[3] = 1.0
            return out
        kind = 0 if cand.key[0] == "span" else (1 if cand.item is None else 2)
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


def decode_spans(text: str, offsets: np.ndarray, tags: Sequence[str], scenario: Scenario) -> list[Span]:
    """Spans from per-token tags, widened to whole words (a word piece never cuts a word)
    and given their canonical value (a synonym said means its value). Tokens of one slot
    separated by nothing but spaces are one span: a tagger that never saw "Salt Lake City"
    may begin each of its words, and no slot's value is two values side by side. For the
    same reason two slots of one type side by side ("Salt" origin, "Lake City" destination)
    are one value, of the first slot, and so are capitalised words with an untagged
    capitalised word between them ("Salt Lake City" with "Lake" untagged)."""
    slots = scenario.slots
    pieces: list[list] = []  # [slot, start, end]
    for (start, end), tag in zip(offsets, tags):
        start, end = int(start), int(end)
        if end <= start or tag == "O":
            continue
        prefix, slot = tag.split("-", 1)
        touching = False
        if pieces and slots.get(pieces[-1][0]) == slots.get(slot):
            between = text[pieces[-1][2]:start]
            touching = (not between.strip() or (prefix == "I" and pieces[-1][0] == slot)
                        or _capitalised_gap(text, pieces[-1][1], between, start))
        if touching:
            pieces[-1][2] = end
        else:
            pieces.append([slot, start, end])
    out: list[Span] = []
    for slot, start, end in pieces:
        while start > 0 and text[start - 1].isalnum():
            start -= 1
        while end < len(text) and text[end].isalnum():
            end += 1
        if out and start < out[-1].end:
            continue  # widened into the previous span: keep that one
        surface = text[start:end]
        out.append(Span(start=start, end=end, slot=slot, type=slots[slot], value=canonical(scenario, slots[slot], surface)))
    return out


def _capitalised_gap(text: str, first: int, between: str, start: int) -> bool:
    """One or two capitalised words, and nothing else, between two capitalised words."""
    words = between.split()
    return (0 < len(words) <= 2 and all(w[:1].isupper() and w.isalpha() for w in words)
            and text[first:first + 1].isupper() and text[start:start + 1].isupper())


def canonical(scenario: Scenario, type_name: str, surface: str) -> str:
    """The catalogue value ``surface`` says (case-insensitive, synonyms included), or the
    surface itself: a value outside the catalogue is still a value."""
    slot_type = scenario.types.get(type_name)
    if slot_type is None:
        return surface
    folded = surface.casefold()
    for value in slot_type.values:
        if value.casefold() == folded:
            return value
    for value, synonyms in slot_type.synonyms.items():
        if any(s.casefold() == folded for s in synonyms):
            return value
    return surface
