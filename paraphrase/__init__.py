"""Language variation: from acts and values to text with exact spans (``dialogsim.paraphrase``).

``TemplateIndex`` (templates.py) gathers the user phrasings of a scenario;
``Realiser`` (realiser.py) turns user acts + values into a ``UserTurn`` with exact spans
and fills system response templates. ``VariationPipeline`` (pipeline.py) runs the
span-preserving augmenters that ``dialogsim.config.VariationConfig`` switches on; the
model-based ones live in neural.py and wordnet.py and load only when configured. The
values they speak come from the core ``dialogsim.catalogue.Catalogue``; every draw goes
through ``dialogsim.draws``.
"""

from dialogsim._layout import require_name

require_name(__name__, "dialogsim.paraphrase")

from dialogsim.paraphrase.augment import (
    Augmenter,
    AugmenterUnavailable,
    TokenView,
    VariationError,
    VariationWarning,
    ViewAugmenter,
)
from dialogsim.paraphrase.pipeline import VariationPipeline
from dialogsim.paraphrase.realiser import Realiser
from dialogsim.paraphrase.templates import Template, TemplateIndex

__all__ = [
    "Augmenter", "AugmenterUnavailable", "Realiser", "Template", "TemplateIndex",
    "TokenView", "VariationError", "VariationPipeline", "VariationWarning", "ViewAugmenter",
]
