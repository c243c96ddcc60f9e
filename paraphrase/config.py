"""Language-variation settings: which augmenters run, and how often.

``VariationConfig`` is read from the scenario file's ``variation:`` section and can be
overridden on the CLI (``with_overrides(["typos=0.2"])``) or with ``attrs.evolve``. Each
probability is the chance that the augmenter touches one user turn; model-based augmenters
run only when a model path is set. ``AUGMENTERS`` is the order the pipeline runs them in:
meaning-level rewrites first, surface noise last, so that noise is never paraphrased away.
"""

from __future__ import annotations

from typing import Iterable

import attrs

from dialogsim._attrs import probability

__all__ = ["VariationConfig", "AUGMENTERS"]

#: Augmenter names (= probability fields) in the order ``VariationPipeline`` runs them.
AUGMENTERS = ("paraphrase", "mlm", "wordnet", "carrier", "fillers", "word_swap", "word_drop", "asr", "typos")

_BOOLS = {"true": True, "yes": True, "on": True, "1": True, "false": False, "no": False, "off": False, "0": False}


@attrs.frozen(kw_only=True)
class VariationConfig:
    """Per-turn chances of each augmenter; model paths switch on the model-based ones."""

    enabled: bool = attrs.field(default=True, validator=attrs.validators.instance_of(bool))
    typos: float = probability(0.04)  # keyboard typos outside slot values
    word_drop: float = probability(0.03)  # drop a non-slot word
    word_swap: float = probability(0.03)  # swap two neighbouring non-slot words
    fillers: float = probability(0.08)  # "um", "uh", "I mean" disfluencies
    asr: float = probability(0.1)  # speech-recogniser style: lower case, no punctuation, numbers as words
    carrier: float = probability(0.12)  # carrier phrases: "could you", "please"
    wordnet: float = probability(0.0)  # WordNet synonyms (needs nltk + WordNet data)
    mlm: float = probability(0.0)  # masked-language-model word substitution (needs mlm_model)
    paraphrase: float = probability(0.0)  # sentence paraphrase with a text-to-text model (needs paraphrase_model)
    mlm_model: str | None = attrs.field(default=None, validator=attrs.validators.optional(attrs.validators.instance_of(str)))
    paraphrase_model: str | None = attrs.field(default=None, validator=attrs.validators.optional(attrs.validators.instance_of(str)))
    paraphrase_prefix: str = attrs.field(default="paraphrase: ", validator=attrs.validators.instance_of(str))  # task prefix for the text-to-text model
    # Where the model-based augmenters run: "cpu" (the default keeps corpora identical
    # across machines: GPU kernels may round differently), "cuda", "cuda:N", or "auto".
    device: str = attrs.field(default="cpu", validator=attrs.validators.matches_re(r"cpu|cuda(:\d+)?|auto"))

    @property
    def active(self) -> bool:
        """Whether any augmenter can touch a turn (the pipeline is a no-op otherwise)."""
        return self.enabled and any(getattr(self, name) > 0.0 for name in AUGMENTERS)

    def with_overrides(self, items: Iterable[str]) -> "VariationConfig":
        """This config with ``name=value`` settings applied, as the CLI receives them
        (``typos=0.2``, ``enabled=false``, ``mlm_model=/path``, ``mlm_model=`` to unset)."""
        changes: dict = {}
        fields = attrs.fields_dict(VariationConfig)
        for item in items:
            name, sep, raw = item.partition("=")
            name, raw = name.strip(), raw.strip()
            if not sep or name not in fields:
                known = ", ".join(fields)
                raise ValueError(f"variation setting {item!r}: expected name=value with a name among {known}")
            if name == "enabled":
                if raw.lower() not in _BOOLS:
                    raise ValueError(f"variation setting {item!r}: enabled must be true or false")
                changes[name] = _BOOLS[raw.lower()]
            elif fields[name].metadata.get("probability"):
                try:
                    changes[name] = float(raw)
                except ValueError:
                    raise ValueError(f"variation setting {item!r}: {name} must be a number between 0 and 1") from None
            elif name in ("mlm_model", "paraphrase_model"):
                changes[name] = raw or None
            else:
                changes[name] = raw
        return attrs.evolve(self, **changes)
