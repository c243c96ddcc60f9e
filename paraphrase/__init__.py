"""Language variation: from acts and values to text with exact spans (``dialogsim.paraphrase``).

``Catalogue`` (values.py) holds each type's canonical values, synonyms and Faker pool and
samples them; ``TemplateIndex`` (templates.py) gathers the user phrasings of a scenario;
``Realiser`` (realiser.py) turns user acts + values into a ``UserTurn`` with exact spans
and fills system response templates. ``VariationConfig`` (config.py) sets the augmenters.
"""

from dialogsim.paraphrase.config import VariationConfig
from dialogsim.paraphrase.realiser import Realiser
from dialogsim.paraphrase.templates import Template, TemplateIndex
from dialogsim.paraphrase.values import Catalogue

__all__ = ["Catalogue", "Realiser", "Template", "TemplateIndex", "VariationConfig"]
