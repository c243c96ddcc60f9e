"""The built-in English phrasebook of the system's generic responses.

A scenario author writes the responses whose wording matters to them (two variants is
typical) and the loader generates the rest; said thousands of times, either sounds like a
machine. ``response_variants`` composes, for one response, what the system may say in
each *context* the policy knows:

- ``Context.PLAIN`` (any turn): the scenario's own texts, plus -- for the generic acts
  (asking for a value or a pick, confirming, nothing found, a failure, "anything
  else?", a generated offer) -- the phrasebook's, and now and then an opener ("Okay, ",
  "Got it. ", "Let me check. ") before a request, a confirmation or a result;
- ``IMPLICIT``: a confirmation that echoes the values and goes on ("Okay, booking Delta at
  9 am for 2."), where ``PLAIN`` asks ("Shall I book ...?");
- ``SEVERAL``: an offer after a list with nothing picked from it: never "book it";
- ``COMPLETED`` / ``FAILED`` / ``ABANDONED``: the goodbye, by how the dialogue went
  ("Enjoy the movie!" only after it went well).

``all_texts`` lists every text a response can be said with, so that what reads a
system's text back (``dialogsim.testing``'s reply reader) knows all of them. Texts are
templates with the response's ``{placeholders}``; a text ending in "?" asks.
"""

from __future__ import annotations

import re
from typing import Mapping, NamedTuple

from dialogsim.booleans import BOOLEAN
from dialogsim.schema import ResponseAct, ResponseTemplate, Scenario
from dialogsim.state import Context
from dialogsim.wording import spoken_list, words

__all__ = ["IMPLICIT", "SEVERAL", "COMPLETED", "FAILED", "ABANDONED", "OWN_SHARE", "OPENER_RATE", "Variants",
           "response_variants", "with_opener", "all_texts"]

IMPLICIT, SEVERAL = Context.IMPLICIT, Context.SEVERAL
COMPLETED, FAILED, ABANDONED = Context.COMPLETED, Context.FAILED, Context.ABANDONED

OWN_SHARE = 0.5  # how often a response with phrasebook variants says one of the scenario's own
OPENER_RATE = 0.25  # how often a request, a confirmation or a result opens with an acknowledgement

_OPENERS = ("Okay, ", "Sure, ", "Alright, ", "Got it. ", "Thanks. ", "Great. ", "Perfect. ", "Okay. ")
_OPENED = {ResponseAct.REQUEST: _OPENERS, ResponseAct.CONFIRM_ARGS: _OPENERS, ResponseAct.CONFIRM_API: _OPENERS,
           ResponseAct.INFORM: ("Okay, ", "Alright, ", "Sure, ", "Let me see. ", "Let me check. ")}

_REQMORE = ("Can I help with anything else?", "Is there anything else I can do for you?", "Anything else?",
            "Is there anything else you need?", "What else can I do for you?", "Can I help you with something else?",
            "Do you need anything else?", "Anything else I can help you with?", "Is there something else I can help with?",
            "Would you like help with anything else?")
_NO_RESULTS = ("Sorry, I couldn't find anything for that.", "Sorry, nothing matched that.",
               "I'm sorry, I didn't find anything that matches.", "Hmm, I couldn't find any matches for that.",
               "Unfortunately there's nothing available for that.", "Sorry, I came up empty on that one.",
               "I looked, but nothing came up for that.")
_FAILURE = ("Sorry, something went wrong. Please try again later.", "Sorry, that didn't work. Please try again later.",
            "I'm sorry, I'm having trouble with that right now.", "Sorry, I wasn't able to do that just now.",
            "Something went wrong on my end, sorry.", "Sorry, the service isn't responding right now.",
            "Sorry, I ran into a problem with that.")
_CLOSINGS = {
    COMPLETED: ("Goodbye!", "Have a nice day!", "Have a great day!", "Glad I could help. Goodbye!", "Take care!",
                "Bye for now!", "Enjoy your day!", "Happy to help. Bye!"),
    FAILED: ("Sorry I couldn't help with that. Goodbye.", "Sorry that didn't work out. Goodbye!",
             "I'm sorry I couldn't do more. Take care.", "Sorry about that. Please try again later. Bye!",
             "Apologies for the trouble. Goodbye.", "Sorry it didn't work out this time. Bye."),
    ABANDONED: ("No problem. Goodbye!", "Okay, maybe another time. Bye!", "Alright, have a good day!",
                "No worries. Goodbye!", "Okay, bye for now!", "Sure thing. Take care!"),
}
_REQUEST = ("What {w} would you like?", "Which {w}?", "What {w} do you have in mind?", "Could you tell me the {w}?",
            "What's the {w}?", "And the {w}?")
_PICK = ("Which {w} would you like?", "Which one would you like?", "Which one?", "Which of those would you like?",
         "Which one do you want?", "Which of them?", "Which one sounds good?")
_CONFIRM_VALUE = ("Just to confirm, the {w} is {p}?", "Did you say {p} for the {w}?", "{p} for the {w}, is that right?",
                  "So that's {p} for the {w}?", "The {w} is {p}, correct?", "Was that {p}?")
_CONFIRM_API = ("Should I {w}{with_}?", "Do you want me to {w}{with_}?", "Shall I go ahead and {w}{with_}?",
                "Just to confirm: {w}{with_}?", "Can I go ahead and {w}{with_}?", "Is it okay to {w}{with_}?")
_ECHO = ("Okay, I'll {w}{with_}.", "Alright, {w}{with_}.", "Sure, let me {w}{with_}.", "Okay: {w}{with_}.",
         "Got it, {w}{with_}.", "One moment: {w}{with_}.")
_OFFER = ("Would you like me to {w}?", "Do you want me to {w} next?", "Shall I {w}?", "Want me to {w}?",
          "Should I {w} as well?", "I can {w} if you like.")
_OFFER_SEVERAL = ("Would you like me to {w} for one of them?", "Shall I {w} for one of these?",
                  "Want me to {w} for one of them?", "Do you want to {w} for one of those?")
# A text that points at one item: not said after several with none picked ("book it").
_ONE_ITEM = re.compile(r"\b(?:it|that one|this one|that|this)\b", re.IGNORECASE)


class Variants(NamedTuple):
    """What a response may be said with in one context: the scenario's texts, the
    phrasebook's, and the openers that may go before either."""

    own: tuple[str, ...]
    extra: tuple[str, ...] = ()
    openers: tuple[str, ...] = ()


def with_opener(opener: str, text: str) -> str:
    """``"Okay, " + "Where to?"`` -> "Okay, where to?" (a word that is not a name or "I"
    loses its capital after a comma)."""
    if opener.endswith(", ") and text[:1].isupper() and text[1:2].islower() and not text.startswith("I "):
        text = text[0].lower() + text[1:]
    return opener + text


def all_texts(scenario: Scenario, response: ResponseTemplate) -> tuple[str, ...]:
    """Every text ``response`` can be said with, in any context, openers included."""
    out: dict[str, None] = {}
    for v in response_variants(scenario, response).values():
        for text in v.own + v.extra:
            out[text] = None
            for opener in v.openers:
                out[with_opener(opener, text)] = None
    return tuple(out)


def response_variants(scenario: Scenario, response: ResponseTemplate, *,
                      phrasebook: bool = True) -> Mapping[str, Variants]:
    """The texts of ``response`` by context (module docstring). ``phrasebook=False``:
    the scenario's texts alone wherever they fit (the contexts that need other words --
    an echo, a closing after a failure, an offer among several -- still get them)."""
    act, own = response.act, tuple(response.texts)
    fill = _Fill(scenario, response)
    extra: tuple[str, ...] = ()
    if act is ResponseAct.REQMORE:
        extra = _REQMORE
    elif act is ResponseAct.NO_RESULTS:
        extra = _NO_RESULTS
    elif act is ResponseAct.FAILURE:
        extra = _FAILURE
    elif fill.boolean:
        extra = ()  # a yes/no question in the slot's own words, never "Which outdoor seating?"
    elif response.generated and act is ResponseAct.REQUEST and response.slot is not None:
        extra = fill(_PICK if fill.is_pick else _REQUEST)
    elif response.generated and act is ResponseAct.CONFIRM_ARGS and response.slot in response.args:
        extra = fill(_CONFIRM_VALUE)
    elif response.generated and act is ResponseAct.CONFIRM_API:
        extra = fill(_CONFIRM_API) if any(t.endswith("?") for t in own) else fill(_ECHO)
    elif response.generated and act is ResponseAct.OFFER:
        extra = fill(_OFFER)
    extra = tuple(t for t in extra if t not in own) if phrasebook else ()
    openers = _OPENED.get(act, ()) if phrasebook else ()
    out: dict[str, Variants] = {Context.PLAIN: Variants(own, extra, openers)}
    if act is ResponseAct.CONFIRM_API:
        asks = tuple(t for t in own + extra if t.endswith("?"))
        echoes = tuple(t for t in own + extra if not t.endswith("?"))
        out[Context.PLAIN] = Variants(tuple(t for t in own if t in asks) or own, tuple(t for t in extra if t in asks),
                                      openers)
        out[IMPLICIT] = Variants(echoes or fill(_ECHO))
    elif act is ResponseAct.OFFER:
        one = tuple(t for t in own + extra if not _ONE_ITEM.search(t))
        out[SEVERAL] = Variants(one, fill(_OFFER_SEVERAL) if phrasebook or not one else ())
    elif act is ResponseAct.GOODBYE:
        closings = _CLOSINGS if phrasebook else {k: v[:2] for k, v in _CLOSINGS.items()}
        # The scenario's own goodbye ("Enjoy the movie!") fits a dialogue that went well.
        mine = own if not response.generated else ()
        out[COMPLETED] = Variants(mine or closings[COMPLETED], closings[COMPLETED] if mine and phrasebook else ())
        out[FAILED] = Variants(closings[FAILED])
        out[ABANDONED] = Variants(closings[ABANDONED])
        out[Context.PLAIN] = out[COMPLETED]
    return out


class _Fill:
    """Fills the phrasebook's ``{w}`` (the words of the response's slot or API), ``{p}``
    (the slot's placeholder) and ``{with_}`` (" with " and the values confirmed)."""

    def __init__(self, scenario: Scenario, response: ResponseTemplate) -> None:
        self.response = response
        api = scenario.apis.get(response.api or "")
        if response.slot is not None:
            self.w = words(response.slot)
        elif api is not None:
            self.w = words(api.name)
        else:
            self.w = "that"
        self.boolean = scenario.slots.get(response.slot or "") == BOOLEAN and response.act in (
            ResponseAct.REQUEST, ResponseAct.CONFIRM_ARGS, ResponseAct.INFORM)
        self.is_pick = response.slot is not None and any(
            (arg := a.arg(response.slot)) is not None and scenario.types[arg.type].is_entity
            for a in scenario.apis.values())
        said = [name for name in response.args if api is None or getattr(api.arg(name), "required", True)]
        echoed = [("{" + n + "}" if scenario.types.get(response.args[n]) is not None
                   and (scenario.types[response.args[n]].is_entity or response.args[n] == BOOLEAN)
                   else f"{words(n)} {{{n}}}") for n in said]
        self.with_ = f" with {spoken_list(echoed)}" if echoed else ""

    def __call__(self, texts: tuple[str, ...]) -> tuple[str, ...]:
        p = "{" + (self.response.slot or "") + "}"
        return tuple(t.replace("{w}", self.w).replace("{p}", p).replace("{with_}", self.with_) for t in texts)
