"""Boolean slots: the built-in ``Boolean`` type and the words that say its values.

Real services have yes/no slots (outdoor seating, non-stop, live music) that no one says
as "true". A scenario gives an argument of type ``Boolean`` its words (``say:``) and
everything else is derived here, in one place, so the customer, the system and the
default responses say a boolean alike:

- a *feature* (``say: outdoor seating``, the default: the slot's name as words): the
  customer says "somewhere with outdoor seating" / "I don't need outdoor seating", the
  system asks "Do you want outdoor seating?" and says "with outdoor seating" inside a
  sentence, "It has outdoor seating." / "It doesn't have outdoor seating." as one;
- a *quality* (``say: {true: non-stop, false: with stops}``): the words of each value, said
  as they are ("non-stop only"), asked as "Should it be non-stop?", stated "It's non-stop.".

Values are the canonical strings ``"true"`` / ``"false"``; a boolean is labelled without a
span (``UserAct.value``), because no span of "yes" or "I don't need it" holds the value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping

import attrs

from dialogsim.wording import words

if TYPE_CHECKING:
    from dialogsim.schema import Scenario

__all__ = ["BOOLEAN", "TRUE", "FALSE", "BooleanWords", "boolean_words", "customer_phrases", "answers",
           "asked", "question", "inline", "clause", "asks_yes_no"]

BOOLEAN = "Boolean"
TRUE, FALSE = "true", "false"
VALUES = (TRUE, FALSE)

# What the customer says, by the form of the words and the value ({w}: the words).
_FEATURE_SAID = {
    TRUE: ("with {w}", "somewhere with {w}", "I'd like {w}", "{w}, please", "I want {w}", "with {w} if possible",
           "it should have {w}"),
    FALSE: ("without {w}", "I don't need {w}", "no {w} needed", "I don't want {w}", "without {w}, please"),
}
_QUALITY_SAID = ("{w}", "{w} only", "{w}, please", "I'd like it {w}", "make it {w}", "ideally {w}")
# A yes or no to the system's question about the slot ("Do you want outdoor seating?").
_ANSWERS = {
    TRUE: ("yes", "yes, please", "yeah", "yes, I'd like that", "sure, yes", "yes please", "yeah, that would be nice"),
    FALSE: ("no", "no, thanks", "nope", "not really", "no, I don't need it", "no thanks"),
}


@attrs.frozen(kw_only=True)
class BooleanWords:
    """How a boolean slot is said: a ``feature`` noun phrase ("outdoor seating"), or the
    ``true`` and ``false`` words of a quality ("non-stop" / "with stops")."""

    feature: str | None = None
    true: str | None = None
    false: str | None = None

    def __attrs_post_init__(self) -> None:
        if (self.feature is None) == (self.true is None or self.false is None):
            raise ValueError("boolean words are a feature phrase, or the words of true and of false")

    def of(self, value: str) -> str:
        """The quality words of ``value``."""
        return (self.true if value == TRUE else self.false) or ""


def boolean_words(scenario: "Scenario") -> Mapping[str, BooleanWords]:
    """Slot -> its words, for every ``Boolean`` slot of ``scenario``: an argument's ``say``
    where one declares it, else the slot's name as a feature ("live_music": "live music")."""
    out: dict[str, BooleanWords] = {}
    for api in scenario.apis.values():
        for arg in api.args:
            if arg.say is not None:
                out.setdefault(arg.name, arg.say)
    for slot, type_name in scenario.slots.items():
        if type_name == BOOLEAN:
            out.setdefault(slot, BooleanWords(feature=words(slot)))
    return out


def customer_phrases(said: BooleanWords, value: str) -> tuple[str, ...]:
    """The ways the customer informs ``value`` unprompted: "somewhere with outdoor seating",
    "I don't need wifi", "non-stop only"."""
    if said.feature is not None:
        return tuple(p.format(w=said.feature) for p in _FEATURE_SAID[value])
    return tuple(p.format(w=said.of(value)) for p in _QUALITY_SAID)


def answers(value: str) -> tuple[str, ...]:
    """A yes or a no that answers the system's question about the slot."""
    return _ANSWERS[value]


def asked(said: BooleanWords) -> tuple[str, ...]:
    """How the customer asks about the slot of a result: "does it have outdoor seating?",
    "is it quiet?" (never "what's the outdoor seating?")."""
    if said.feature is not None:
        return tuple(p.format(w=said.feature) for p in ("does it have {w}?", "is there {w}?", "do they have {w}?",
                                                         "does it offer {w}?", "any {w} there?"))
    return (f"is it {said.true}?", f"would it be {said.true}?", f"is it {said.true} or {said.false}?")


def question(said: BooleanWords) -> tuple[str, ...]:
    """The system's request for the slot: "Do you want outdoor seating?"."""
    if said.feature is not None:
        return (f"Do you want {said.feature}?", f"Would you like {said.feature}?")
    return (f"Should it be {said.true}?", f"Do you want it {said.true}?")


def inline(said: BooleanWords, value: str) -> str:
    """The value inside a sentence: "with outdoor seating", "without wifi", "non-stop"; a
    value that is neither (an optional argument's default, "any") as it is."""
    if value not in VALUES:
        return value
    if said.feature is not None:
        return f"{'with' if value == TRUE else 'without'} {said.feature}"
    return said.of(value)


def clause(said: BooleanWords, value: str) -> str:
    """The value as a sentence of its own: "It has outdoor seating", "It's non-stop"."""
    if value not in VALUES:
        return f"It's {value}"
    if said.feature is not None:
        verb = "has" if value == TRUE else "doesn't have"
        return f"It {verb} {said.feature}"
    return f"It's {said.of(value)}"



def asks_yes_no(text: str, said: BooleanWords) -> bool:
    """The request phrasing asks the yes/no question (``asked``), maybe inside a carrier
    ("quick question, does it have outdoor seating?"), not for a value ("what's the
    outdoor seating?", "what quiet does it have?"), which no one says of a yes/no slot."""
    lowered = text.lower()
    return any(question.rstrip("?").lower() in lowered for question in asked(said))
