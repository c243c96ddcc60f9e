"""Language-variation settings: which augmenters run, and how often.

``VariationConfig`` is read from the scenario file's ``variation:`` section and can be
overridden on the CLI or with ``attrs.evolve``. Each probability is the chance that the
augmenter touches one user turn; model-based augmenters run only when a model path is set.
"""

from __future__ import annotations

import attrs

__all__ = ["VariationConfig"]


def _probability(instance, attribute, value):
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0.0 <= value <= 1.0:
        raise ValueError(f"{attribute.name} must be a probability between 0 and 1, got {value!r}")


def _p(default: float):
    return attrs.field(default=default, validator=_probability, metadata={"probability": True})


@attrs.frozen(kw_only=True)
class VariationConfig:
    """Per-turn chances of each augmenter; model paths switch on the model-based ones."""

    enabled: bool = True
    typos: float = _p(0.04)  # keyboard typos outside slot values
    word_drop: float = _p(0.03)  # drop a non-slot word
    word_swap: float = _p(0.03)  # swap two neighbouring non-slot words
    fillers: float = _p(0.08)  # "um", "uh", "I mean" disfluencies
    asr: float = _p(0.1)  # speech-recogniser style: lower case, no punctuation, numbers as words
    carrier: float = _p(0.12)  # carrier phrases: "could you", "please"
    wordnet: float = _p(0.0)  # WordNet synonyms (needs nltk + WordNet data)
    mlm: float = _p(0.0)  # masked-language-model word substitution (needs mlm_model)
    paraphrase: float = _p(0.0)  # sentence paraphrase with a text-to-text model (needs paraphrase_model)
    mlm_model: str | None = attrs.field(default=None, validator=attrs.validators.optional(attrs.validators.instance_of(str)))
    paraphrase_model: str | None = attrs.field(default=None, validator=attrs.validators.optional(attrs.validators.instance_of(str)))
