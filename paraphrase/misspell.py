"""Real misspellings from nlpaug's dictionary (``NlpaugMisspellings``), when nlpaug is installed.

nlpaug (``pip install dialogsim[variation]``, pinned at 1.1.11) ships a dictionary of
spelling mistakes people made (after the natural-noise lists of Belinkov and Bisk:
"tomorrow" -> "tommorow", "tmorrow", ...) and its ``SpellingAug`` draws from it. Three
things stand between it and a reproducible, correctly labelled corpus, and this module
handles them:

- it draws from the global ``random`` and ``numpy.random`` states: each call runs with both
  seeded from the dialogue's own Generator and restored afterwards, so the corpus depends
  on (scenario, seed, index) only and no other code's randomness is disturbed;
- its dictionary lists each word's misspellings in ``set`` order, which changes with the
  interpreter's hash seed: the lists are sorted here, or two runs would differ;
- many of its "misspellings" are other words ("not" -> "no", "nor"; "the" -> "they",
  "there"; "how" -> "who") or junk ("[[th", "5the"): those would change a turn's meaning
  while its labels stay. Kept: candidates of letters (and apostrophes) only, that are not
  themselves a word the dictionary knows and within two letters of the word's length, for
  words of four letters or more outside ``PROTECTED`` ("me" -> "e" is no slip).

It touches one word between the spans per call, chosen with the dialogue's Generator, and
hands nlpaug only that word. Measured here: importing nlpaug takes seconds (it imports
pandas), a call about 0.2 ms against a few µs for ``KeyboardTypos``, whose common-misspelling
table covers the frequent cases; hence off by default (``variation: misspell: 0.05``).
"""

from __future__ import annotations

import random
import re

import numpy as np

from dialogsim.draws import pick
from dialogsim.paraphrase.augment import PROTECTED, AugmenterUnavailable, TokenView, ViewAugmenter
from dialogsim.spoken import _STRIP

__all__ = ["NlpaugMisspellings", "NO_NLPAUG"]

NO_NLPAUG = "misspell augmenter skipped: nlpaug is not installed; pip install 'dialogsim[variation]' (nlpaug==1.1.11)"

_CANDIDATE = re.compile(r"[a-z]+(?:'[a-z]+)?")


class _Dictionary:
    """The part of nlpaug's ``Spelling`` model that ``SpellingAug`` reads: ``dict`` and
    ``predict``, over the sorted, filtered lists."""

    def __init__(self, source: dict[str, list[str]]) -> None:
        known = {word.lower() for word in source}
        self.dict: dict[str, list[str]] = {}
        for word, misspellings in source.items():
            if len(word) < 4 or word.lower() in PROTECTED or not _CANDIDATE.fullmatch(word.lower()):
                continue  # "me" -> "e", "I" -> "Ai": no slip of a short word reads as one
            kept = sorted({m for m in misspellings
                           if _CANDIDATE.fullmatch(m.lower()) and m.lower() not in known and m.lower() != word.lower()
                           and abs(len(m) - len(word)) <= 2})  # not "flight" -> "airflight"
            if kept:
                self.dict[word] = kept

    def predict(self, word: str) -> list[str] | None:
        return self.dict.get(word)


class NlpaugMisspellings(ViewAugmenter):
    """One word outside the spans misspelt the way people misspell it, by nlpaug's
    ``SpellingAug`` seeded from the dialogue's Generator (see the module docstring)."""

    name = "misspell"

    def __init__(self) -> None:
        try:
            import nlpaug.augmenter.word as naw
        except ImportError:
            raise AugmenterUnavailable(NO_NLPAUG) from None
        state, np_state = random.getstate(), np.random.get_state()
        try:  # building draws nothing today; restored all the same
            self._aug = naw.SpellingAug(aug_min=1, aug_max=1, aug_p=1.0, include_reverse=False)
        finally:
            random.setstate(state)
            np.random.set_state(np_state)
        self._aug.model = _Dictionary(self._aug.model.dict)

    def edit(self, view: TokenView, rng: np.random.Generator) -> bool:
        known = self._aug.model.dict
        candidates = [i for i in view.words() if view.tokens[i].strip(_STRIP) in known]
        if not candidates:
            return False
        i = pick(rng, candidates)
        token = view.tokens[i]
        word = token.strip(_STRIP)
        seed = int(rng.integers(2**32))
        state, np_state = random.getstate(), np.random.get_state()
        random.seed(seed)
        np.random.seed(seed)
        try:
            out = self._aug.augment(word)
        finally:
            random.setstate(state)
            np.random.set_state(np_state)
        said = out[0] if isinstance(out, list) else out
        if not said or said == word or " " in said:
            return False
        at = token.index(word)
        view.replace(i, token[:at] + said + token[at + len(word):])
        return True

    def __getstate__(self) -> dict:
        return {"rebuild": True}  # rebuilt in the worker (a falsy state would skip __setstate__)

    def __setstate__(self, state: dict) -> None:
        self.__init__()  # type: ignore[misc]
