"""Language variation: from acts and values to text with exact spans (``dialogsim.paraphrase``).

``Catalogue`` (values.py) holds each type's canonical values, synonyms and Faker pool and
samples them; ``TemplateIndex`` (templates.py) gathers the user phrasings of a scenario;
``Realiser`` (realiser.py) turns user acts + values into a ``UserTurn`` with exact spans
and fills system response templates. ``VariationPipeline`` (augment.py) runs the
span-preserving augmenters that ``VariationConfig`` (config.py) switches on; the
model-based ones live in neural.py and wordnet.py and load only when configured. All of
them draw through draws.py, the cheap single draws from a dialogue's generator.
"""

from dialogsim.paraphrase.augment import (
    Augmenter,
    AugmenterUnavailable,
    TokenView,
    VariationError,
    VariationPipeline,
    VariationWarning,
    ViewAugmenter,
)
from dialogsim.paraphrase.config import AUGMENTERS, VariationConfig
from dialogsim.paraphrase.realiser import Realiser
from dialogsim.paraphrase.templates import Template, TemplateIndex
from dialogsim.paraphrase.values import Catalogue

__all__ = [
    "AUGMENTERS", "Augmenter", "AugmenterUnavailable", "Catalogue", "Realiser", "Template", "TemplateIndex",
    "TokenView", "VariationConfig", "VariationError", "VariationPipeline", "VariationWarning", "ViewAugmenter",
]
