"""The variation pipeline: the augmenters a ``VariationConfig`` switches on, run in order.

Its own module so that it can import every augmenter -- rule-based (augment.py), WordNet
(wordnet.py), nlpaug's misspellings (misspell.py), model-based (neural.py) -- at the top,
while those import only the shared base classes of augment.py: the imports run one way.
The heavy libraries (nltk, nlpaug, torch) are still imported only when an augmenter that
needs them is built.
"""

from __future__ import annotations

import warnings
from typing import Callable

import attrs
import numpy as np

from dialogsim.config import AUGMENTERS, VariationConfig
from dialogsim.corpus import _cuts_a_word as cuts_a_word  # the reader's own span check
from dialogsim.dialogue import UserTurn
from dialogsim.paraphrase.augment import (
    AsrStyle,
    Augmenter,
    AugmenterUnavailable,
    CarrierPhrases,
    Fillers,
    KeyboardTypos,
    VariationWarning,
    WordDrop,
    WordSwap,
)
from dialogsim.paraphrase.misspell import NlpaugMisspellings
from dialogsim.paraphrase.neural import MaskedLMSubstitution, TextToTextParaphrase
from dialogsim.paraphrase.wordnet import WordNetSynonyms

__all__ = ["VariationPipeline"]


_RULE_BASED: dict[str, Callable[[], Augmenter]] = {
    "carrier": CarrierPhrases,
    "fillers": Fillers,
    "word_swap": WordSwap,
    "word_drop": WordDrop,
    "asr": AsrStyle,
    "typos": KeyboardTypos,
}


def _build(name: str, config: VariationConfig) -> Augmenter:
    """The augmenter ``name``; raises ``AugmenterUnavailable`` when it must be skipped."""
    if name in _RULE_BASED:
        return _RULE_BASED[name]()
    if name == "wordnet":
        return WordNetSynonyms()
    if name == "misspell":
        return NlpaugMisspellings()
    if name == "mlm":
        if config.mlm_model is None:
            raise AugmenterUnavailable("mlm augmenter skipped: no mlm_model set (a fill-mask model directory)")
        return MaskedLMSubstitution(config.mlm_model, device=config.device)
    if name == "paraphrase":
        if config.paraphrase_model is None:
            raise AugmenterUnavailable(
                "paraphrase augmenter skipped: no paraphrase_model set (a text-to-text model directory)")
        return TextToTextParaphrase(config.paraphrase_model, prefix=config.paraphrase_prefix, device=config.device)
    raise ValueError(f"unknown augmenter {name!r}; known: {', '.join(AUGMENTERS)}")


class VariationPipeline:
    """Runs the augmenters ``config`` switches on over user turns.

    Each augmenter whose probability is above 0 runs in the order of ``AUGMENTERS`` and
    touches a turn with its probability: one uniform draw per augmenter per turn, taken in
    a single ``rng.random(n)`` call so that a turn most augmenters skip costs about a
    microsecond. An augmenter that cannot run here (WordNet data missing, no model path
    set) is skipped with one ``VariationWarning`` when the pipeline is built; a model path
    that does not work raises ``VariationError``.
    """

    def __init__(self, config: VariationConfig = VariationConfig()) -> None:
        self.config = config
        augmenters: list[Augmenter] = []
        probabilities: list[float] = []
        for name in AUGMENTERS if config.enabled else ():
            p = getattr(config, name)
            if p <= 0.0:
                continue
            try:
                augmenters.append(_build(name, config))
            except AugmenterUnavailable as skipped:
                warnings.warn(str(skipped), VariationWarning, stacklevel=2)
                continue
            probabilities.append(float(p))
        self._augmenters = tuple(augmenters)
        self._probabilities = tuple(probabilities)

    @property
    def names(self) -> tuple[str, ...]:
        """The augmenters that can touch a turn, in the order they run."""
        return tuple(a.name for a in self._augmenters)

    def apply(self, turn: UserTurn, rng: np.random.Generator) -> tuple[UserTurn, tuple[str, ...]]:
        """The turn with its text varied (same acts, spans recomputed, ``augmented`` naming
        the augmenters that changed it), and those names; the turn itself when none did."""
        if not self._augmenters:
            return turn, ()
        text, spans = turn.text, turn.spans
        changed: list[str] = []
        for augmenter, p, u in zip(self._augmenters, self._probabilities, rng.random(len(self._augmenters)).tolist()):
            if u < p:
                new_text, new_spans = augmenter(text, spans, rng)
                if new_text != text and not any(cuts_a_word(new_text, s.start) or cuts_a_word(new_text, s.end)
                                                for s in new_spans):  # the reader would reject the line
                    text, spans = new_text, new_spans
                    changed.append(augmenter.name)
        if not changed:
            return turn, ()
        names = tuple(changed)
        return attrs.evolve(turn, text=text, spans=spans, augmented=names), names

    def __repr__(self) -> str:
        return f"VariationPipeline({', '.join(f'{n}={p}' for n, p in zip(self.names, self._probabilities))})"
