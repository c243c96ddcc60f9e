"""A built-in English phrasebook for the generic acts, composed with a scenario's own phrasings.

A scenario names its own invoke, inform and request phrasings; the generic acts -- yes,
no, thanks, goodbye, "any is fine", picking a result -- are the same in every skill, and a
developer should not have to write forty ways to say yes. ``phrasebook_templates`` adds,
to the phrasings ``TemplateIndex`` gathered:

- for affirm, deny, thank, goodbye, dont_care (generic and per optional argument) and
  select (by ordinal, and "that one" for the first item): a list of everyday phrasings,
  each marked with the kind of question it can answer (``confirming`` as ``Template``'s:
  "that's right" only answers a confirmation, "no thanks" only an offer);
- for request: a few frames around each result field ("can you tell me the price?") and
  carriers around the scenario's own request phrasings ("and when does it leave?");
- for invoke: carriers around the scenario's own invoke phrasings -- a greeting for an API
  a dialogue can start with ("hi, find me a flight"), "can you" before a verb.

Every phrasing says its act and nothing more (no value, no other act: "no, thanks" would
carry an unannotated THANK only if it meant thanks -- here it declines), so the labels stay
what the customer meant. ``VariationConfig.phrasebook`` switches it off, for a scenario in
another language or a developer who wants only their own words.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable, Iterator, Mapping

from dialogsim.dialogue import Act
from dialogsim.schema import Scenario
from dialogsim.wording import words

if TYPE_CHECKING:
    from dialogsim.paraphrase.templates import Template

__all__ = ["phrasebook_phrasings", "PHRASES", "REVISION_CUES", "BARE_REVISION_CUES", "CUE_WORDS"]

# (text, confirming): True answers only a confirmation, False only an offer or another
# question, None either.
_AFFIRM = (
    ("yes", None), ("yeah", None), ("yep", None), ("sure", None), ("okay", None), ("ok", None),
    ("yes please", None), ("sounds good", None), ("that works", None), ("perfect", None), ("great", None),
    ("alright", None), ("absolutely", None), ("definitely", None), ("yeah, that works", None),
    ("yes, that sounds good", None), ("sure thing", None), ("uh-huh", None), ("yup", None), ("of course", None),
    ("that's right", True), ("correct", True), ("exactly", True), ("yes, that's correct", True),
    ("yep, that's it", True), ("right", True), ("that's it", True), ("yes, that's right", True),
    ("all correct", True), ("yes, go ahead", True), ("go ahead", True), ("please do", True),
    ("yes, do it", True), ("let's do it", None),
    ("sure, sounds great", False), ("yes, I'd like that", False), ("that would be great", False),
    ("I'd love that", False), ("yes, please do that", False),
)
_DENY = (
    ("no", None), ("nope", None), ("nah", None), ("no, sorry", None),
    ("that's not right", True), ("no, that's wrong", True), ("not quite", True), ("that's incorrect", True),
    ("no, that's not it", True), ("wait, no", True), ("no, hold on", True),
    ("no thanks", False), ("not really", False), ("no thank you", False), ("I'm good", False),
    ("not now", False), ("maybe later", False), ("no, I'm fine", False), ("I'll pass", False),
    ("not right now", False), ("no need", False),
)
_THANK = ("thanks", "thank you", "great, thanks", "thanks a lot", "thank you so much", "cheers", "appreciate it",
          "thanks for your help", "awesome, thanks", "perfect, thank you", "much appreciated", "thanks a bunch",
          "thank you very much", "that's great, thanks", "nice, thanks")
_GOODBYE = ("bye", "goodbye", "that's all", "that's all for now", "that's everything", "bye now", "see you",
            "have a good day", "nothing else", "I'm all set", "that's it for today", "that'll be all",
            "I'm done", "that's all I needed", "talk to you later", "have a nice day")
_DONT_CARE = ("I don't care", "any is fine", "doesn't matter", "no preference", "whatever works",
              "anything is fine", "I'm flexible", "doesn't matter to me", "either way is fine",
              "I'm not picky", "any will do", "I have no preference", "it doesn't matter", "up to you",
              "whichever", "I don't mind")
_DONT_CARE_SLOT = ("any {w} is fine", "I don't mind which {w}", "no preference on the {w}", "any {w} works",
                   "the {w} doesn't matter", "I'm flexible on the {w}", "I don't care about the {w}",
                   "whatever {w}", "any {w} will do", "the {w} is up to you")
_SELECT_ORDINAL = ("the {ordinal} one", "I'll take the {ordinal} one", "the {ordinal} one please",
                   "let's go with the {ordinal} one", "the {ordinal} sounds good", "I'd like the {ordinal} one",
                   "give me the {ordinal} one", "I'll go with the {ordinal}", "how about the {ordinal} one",
                   "the {ordinal} option", "let's do the {ordinal} one", "I want the {ordinal} one",
                   "the {ordinal} is fine", "I'll pick the {ordinal} one")
_SELECT_FIRST = ("that one", "that one sounds good", "I'll take that one", "that one please", "let's do that one",
                 "I'll go with that one", "that one works")
_REQUEST_FRAMES = ("what's the {w}?", "what is the {w}?", "can you tell me the {w}?", "and the {w}?",
                   "do you know the {w}?", "what about the {w}?", "tell me the {w}", "what's its {w}?",
                   "could you tell me the {w}?", "and what's the {w}?", "I'd like to know the {w}",
                   "what would the {w} be?", "any idea what the {w} is?", "I need the {w}", "and its {w}?",
                   "what's the {w} on that?", "can I get the {w}?", "what was the {w} again?")
# Discourse markers a short answer may open with ("oh, yes please", "alright, bye"): by act,
# the ones that fit it ("okay, no" does not).
_LEAD_INS = {Act.AFFIRM: ("oh, ", "well, ", "hmm, ", "ah, "), Act.DENY: ("hmm, ", "well, ", "oh, ", "um, "),
             Act.GOODBYE: ("okay, ", "alright, ", "oh, ", "well, "), Act.THANK: ("oh, ", "okay, ", "ah, "),
             Act.DONT_CARE: ("hmm, ", "well, ", "oh, ", "honestly, "), Act.SELECT: ("hmm, ", "okay, ", "um, ")}
_REQUEST_CARRIERS = ("and {t}", "also, {t}", "okay, {t}", "quick question, {t}", "one more thing, {t}",
                     "oh, {t}")
_GREETINGS = ("hi, {t}", "hey, {t}", "hello, {t}", "hi there, {t}", "good morning, {t}", "hey there, {t}",
              "hi! {t}", "hello. {t}")
_INVOKE_CARRIERS = ("okay, {t}", "so {t}", "{t}, please", "{t} please")
_VERB_CARRIERS = ("can you {t}", "could you {t}", "please {t}", "would you {t}", "can you please {t}",
                  "I'd like you to {t}")
_INFORM_CARRIERS = ("{t}, please", "{t} please", "{t} if possible", "{t}, I think",
                    "I'd say {t}", "let's say {t}", "how about {t}", "I'm thinking {t}", "ideally {t}",
                    "I guess {t}", "maybe {t}", "probably {t}")
# Only around a bare value: "Monday works for me", not "for Monday works for me".
_BARE_CARRIERS = ("it's {t}", "{t} is fine", "{t} works", "{t} works for me", "{t} would be great")
# Two acts a customer says together: phrasings as one piece ("thanks, that's all").
_COMPOSITES = {
    (Act.THANK, Act.GOODBYE): ("thanks, bye", "thank you, goodbye", "great, thanks, bye", "thanks, that's all",
                               "thanks so much, have a good day", "cheers, bye", "thank you, that's everything",
                               "perfect, thanks, bye", "thanks a lot, see you", "thanks, I'm all set",
                               "awesome, thank you, bye", "thanks for the help, bye", "thank you, that's all I needed",
                               "thanks, have a nice day", "ok thanks, bye"),
    (Act.DENY, Act.GOODBYE): ("no, that's all", "nope, that's it", "no, bye", "no, I'm all set", "nah, I'm done",
                              "no, that's everything", "nope, that'll be all", "no, nothing else", "no, goodbye",
                              "no, that's all for now", "nope, bye", "no, I'm good, bye"),
}
#: What says that a phrasing already corrects ("actually, make it {time}"): no second cue.
CUE_WORDS = re.compile(r"\b(actually|wait|sorry|instead|meant|make (that|it)|change|correction|scratch that)\b",
                       re.IGNORECASE)
#: Cues that mark a changed value as a correction ("no, make that Boston", "actually, to
#: Boston"): before any phrasing, and before a bare value only.
REVISION_CUES = ("actually, ", "wait, ", "sorry, ", "on second thought, ", "hmm, actually, ", "oh wait, ",
                 "actually, sorry, ", "let me change that, ")
BARE_REVISION_CUES = ("make that ", "sorry, I meant ", "I meant ", "change that to ", "actually, make it ",
                      "let's make it ", "correction: ", "scratch that, ")
_VERBS = frozenset("find book get search show check reserve order buy play look make tell give set".split())

#: The built-in phrasings per act, for tests and the docs.
PHRASES: Mapping[Act, tuple] = {Act.AFFIRM: _AFFIRM, Act.DENY: _DENY, Act.THANK: _THANK, Act.GOODBYE: _GOODBYE,
                                Act.DONT_CARE: _DONT_CARE}


def phrasebook_phrasings(scenario: Scenario, templates: Iterable["Template"]) -> Iterator[dict]:
    """The phrasebook's phrasings for ``scenario``, as ``Template`` fields (``TemplateIndex``
    makes them templates: this module does not import it, the imports run one way), given
    the templates it already has (the scenario's own invoke, inform and request phrasings
    get carriers)."""
    own = list(templates)
    for phrasing in _phrases(scenario, own):
        yield phrasing
        acts = phrasing["acts"]
        if len(acts) == 1 and not phrasing.get("slots"):
            for lead in _LEAD_INS.get(acts[0][0], ()):
                yield {**phrasing, "text": lead + phrasing["text"]}
    yield from _carriers(scenario, own)


def _phrases(scenario: Scenario, own: list["Template"]) -> Iterator[dict]:
    """The built-in phrasings of the generic acts."""
    for act, phrases in ((Act.AFFIRM, _AFFIRM), (Act.DENY, _DENY)):
        for text, confirming in phrases:
            yield dict(text=text, acts=((act, None),), confirming=confirming)
    plain: tuple[tuple[Act, tuple[str, ...]], ...] = ((Act.THANK, _THANK), (Act.GOODBYE, _GOODBYE),
                                                      (Act.DONT_CARE, _DONT_CARE))
    for act, texts in plain:
        for text in texts:
            yield dict(text=text, acts=((act, None),))
    for slot in sorted({arg.name for api in scenario.apis.values() for arg in api.args if arg.optional}):
        for frame in _DONT_CARE_SLOT:
            yield dict(text=frame.format(w=words(slot)), acts=((Act.DONT_CARE, slot),))
    for frame in _SELECT_ORDINAL:
        yield dict(text=frame, acts=((Act.SELECT, None),))
    for text in _SELECT_FIRST:
        yield dict(text=text, acts=((Act.SELECT, None),), select_item=0)
    for acts, texts in _COMPOSITES.items():
        for text in texts:
            yield dict(text=text, acts=tuple((act, None) for act in acts))
    fields = sorted({t.acts[0][1] for t in own if len(t.acts) == 1 and t.acts[0][0] is Act.REQUEST})
    for field in fields:
        for frame in _REQUEST_FRAMES:
            yield dict(text=frame.format(w=words(field)), acts=((Act.REQUEST, field),))


def _carriers(scenario: Scenario, own: list["Template"]) -> Iterator[dict]:
    """The scenario's own one-act phrasings inside carrier phrases."""
    starters = _starting_apis(scenario)
    for t in own:
        if (t.acts and (len(t.acts) != 1 or not t.text[:1].isalpha())):
            continue
        if not t.acts and len(t.slots) != 1:
            continue
        act, target = t.acts[0] if t.acts else (Act.INFORM, None)
        if act is not Act.INFORM and t.source == "default":
            continue
        frames: tuple[str, ...]
        if act is Act.INFORM:  # a one-slot phrasing of the scenario's ("to {destination}")
            frames = _INFORM_CARRIERS + (_BARE_CARRIERS if t.bare else ())
        elif act is Act.REQUEST and not t.text.lower().startswith(("and ", "also ", "what about")):
            frames = _REQUEST_CARRIERS
        elif act is Act.INVOKE:
            first = t.text.split(None, 1)[0].lower()
            frames = _INVOKE_CARRIERS + (_VERB_CARRIERS if first in _VERBS else ())
            if target in starters:
                frames += _GREETINGS
        else:
            continue
        if t.polite:  # "sushi, please please"
            frames = tuple(f for f in frames if "please" not in f)
        if t.closing:  # "the 21st works works for me": nothing goes after what ends a turn
            frames = tuple(f for f in frames if not f.startswith("{t}"))
        inner = t.text if t.text.startswith(("I ", "I'", "{")) else t.text[:1].lower() + t.text[1:]
        for frame in frames:
            yield dict(text=frame.replace("{t}", inner), acts=t.acts, slots=t.slots,
                           select_item=t.select_item, confirming=t.confirming)


def _starting_apis(scenario: Scenario) -> frozenset[str]:
    """APIs a dialogue can open with: none of their arguments comes from another API's
    result ("hi, book it" greets in the middle of a conversation)."""
    outputs = {api.returns.type for api in scenario.apis.values() if api.returns is not None}
    return frozenset(api.name for api in scenario.apis.values()
                     if not any(arg.source is not None or arg.type in outputs for arg in api.args))
