"""What a user tunes: how often each conversational pattern appears, and how the language varies.

``SimulationConfig`` shapes the dialogues -- in the scenario file's ``simulation:`` section,
on the CLI, or with ``attrs.evolve`` in Python: the chance that a dialogue over-informs,
changes its mind, denies a confirmation, gets an empty result, and so on, plus the weight
of each API path and the turn budget. The manifest reports both these settings and the
proportions the generated corpus actually shows.

``VariationConfig`` is read from the ``variation:`` section and can be overridden on the CLI
(``with_overrides(["typos=0.2"])``) or with ``attrs.evolve``. Each probability is the chance
that the augmenter touches one user turn; model-based augmenters run only when a model
path is set. ``AUGMENTERS`` is the order the pipeline runs them in: meaning-level rewrites
first, surface noise last, so that noise is never paraphrased away.

Both are core values: the schema holds them, the stages read them.
"""

from __future__ import annotations

import math
from typing import Iterable, Mapping

import attrs

from dialogsim._attrs import FrozenDict, frozen_mapping, probability

__all__ = ["SimulationConfig", "CONFIRMATIONS", "VALUE_CONFIRMATIONS", "reworded", "PROBABILITIES", "VariationConfig", "AUGMENTERS"]

#: How the system confirms what a scenario marks ``confirm: true``: ask and wait for a yes;
#: echo the values and go on ("Okay, booking Delta at 9 am for two."); or not at all.
CONFIRMATIONS = ("explicit", "implicit", "none")

#: When the system asks "Did you say Seattle?" about a value the customer gave: when the
#: customer said it in other words than the catalogue's value ("Philly", "NYC", "half past
#: seven": a voice assistant confirms what it resolved), never, or always.
VALUE_CONFIRMATIONS = ("reworded", "never", "always")


def reworded(surface: str, value: str) -> bool:
    """Whether a value was said in other words than its own (up to case): the span's text
    ``surface`` is a synonym, abbreviation or spoken form of ``value``. The system agent
    confirms such a value (``confirm_value: reworded``) and the models read the same test,
    on the corpus's spans when training and on the recognised ones at runtime."""
    return surface.casefold() != value.casefold()


def _non_negative_weights(instance, attribute, value):
    for path, weight in value.items():
        if not isinstance(weight, (int, float)) or isinstance(weight, bool) or not 0 <= weight < math.inf:
            raise ValueError(f"{attribute.name}[{path!r}] must be a finite non-negative number, got {weight!r}")


def _finite_non_negative(instance, attribute, value: float) -> None:
    if not 0 <= value < math.inf:  # NaN and infinity make no distribution
        raise ValueError(f"{attribute.name} must be a finite non-negative number, got {value!r}")


@attrs.frozen(kw_only=True)
class SimulationConfig:
    """Per-dialogue chances of each pattern, and the turn budget.

    Probabilities are per dialogue (per optional argument for ``dont_care``, per API call
    for ``empty_result`` / ``api_failure`` / ``echo``).
    ``confirmation`` is how the system confirms what the scenario marks ``confirm: true``
    (``CONFIRMATIONS``); ``confirm_value`` which values the customer gives it confirms
    (``VALUE_CONFIRMATIONS``). ``path_weights`` maps an API path written
    ``"SearchFlight > BookFlight"`` to its relative weight; paths the sample dialogues show
    weigh ``sample_path_weight`` and other paths through the dependency graph
    ``graph_path_weight`` unless named there.
    """

    max_turns: int = attrs.field(default=40, validator=attrs.validators.and_(
        attrs.validators.instance_of(int), attrs.validators.ge(4)))
    over_inform: float = probability(0.35)  # volunteer several values in one turn
    under_inform: float = probability(0.25)  # ask for an API without giving any value
    change_of_mind: float = probability(0.15)  # revise a value: before the call, at a confirmation, after a result
    deny_confirmation: float = probability(0.2)  # deny an API confirmation (then cancel or correct)
    dont_care: float = probability(0.5)  # per optional argument: "any airline is fine" instead of a value
    optional_value: float = probability(0.3)  # per optional argument the customer does care about: gives a value
    anaphora: float = probability(0.6)  # pick a result by "it" / "that one" / "the second one"
    accept_offer: float = probability(0.75)  # the goal continues along an offered next API
    request_field: float = probability(0.3)  # ask about a result field ("when does it leave?")
    empty_result: float = probability(0.08)  # per API call: the backend finds nothing
    api_failure: float = probability(0.04)  # per API call: the backend fails
    give_up: float = probability(0.35)  # after an empty result or failure, end instead of recovering
    # The system's confirmations. Real assistants confirm often -- a quarter of the system
    # acts of Google's Schema-Guided Dialogue test set -- mostly by echoing what they heard.
    confirmation: str = attrs.field(default="explicit", validator=attrs.validators.in_(CONFIRMATIONS))
    # "Did you say Seattle?" before a value is used. Not by chance: a confirmation drawn at
    # random is one no model can predict (music, 1,000 dialogues: half a point of action
    # accuracy at 0.08 per value); a value said in other words is one the models can see.
    confirm_value: str = attrs.field(default="reworded", validator=attrs.validators.in_(VALUE_CONFIRMATIONS))
    # Per call on the customer's values needing no confirmation: echo them first. Always, by
    # default: an echo said by chance is a draw the action-prediction model cannot learn
    # (music, 1,000 dialogues: action accuracy 0.973 at 0.85, 0.992 at 1.0). Never before an
    # API whose result says the echoed values back ("Playing Let It Be": agents/system.py).
    echo: float = probability(1.0)
    sample_path_weight: float = attrs.field(default=1.0, validator=_finite_non_negative, converter=float)
    graph_path_weight: float = attrs.field(default=0.5, validator=_finite_non_negative, converter=float)
    path_weights: Mapping[str, float] = attrs.field(factory=FrozenDict, converter=frozen_mapping,
                                                    validator=_non_negative_weights)


PROBABILITIES = tuple(a.name for a in attrs.fields(SimulationConfig) if a.metadata.get("probability"))


#: Augmenter names (= probability fields) in the order ``VariationPipeline`` runs them.
AUGMENTERS = ("paraphrase", "mlm", "wordnet", "carrier", "fillers", "word_swap", "word_drop", "asr", "misspell",
              "typos")

_BOOLS = {"true": True, "yes": True, "on": True, "1": True, "false": False, "no": False, "off": False, "0": False}


@attrs.frozen(kw_only=True)
class VariationConfig:
    """Per-turn chances of each augmenter; model paths switch on the model-based ones."""

    enabled: bool = attrs.field(default=True, validator=attrs.validators.instance_of(bool))
    # The built-in English phrasebook for yes, no, thanks, goodbye, "any is fine", picks and
    # carriers around the scenario's invoke and request phrasings (paraphrase/phrasebook.py).
    phrasebook: bool = attrs.field(default=True, validator=attrs.validators.instance_of(bool))
    typos: float = probability(0.04)  # typos outside slot values: common misspellings, keyboard slips
    misspell: float = probability(0.0)  # real misspellings from nlpaug's dictionary (needs nlpaug)
    word_drop: float = probability(0.03)  # drop a non-slot word
    word_swap: float = probability(0.0)  # swap two neighbouring non-slot words (off: people seldom do)
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
            if name in ("enabled", "phrasebook"):
                if raw.lower() not in _BOOLS:
                    raise ValueError(f"variation setting {item!r}: {name} must be true or false")
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
