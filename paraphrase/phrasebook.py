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
  a dialogue can start with ("hi, find me a flight"), "can you" before a verb;
- whole turns (``Template.whole``: said only as the whole turn, never joined to other
  pieces, where markers and hedges would pile up): a marker and one or two phrasings of the
  same act ("oh, yeah, sounds good", "nah, I'm good", "okay, thanks a lot,
  that's all, bye"), and the scenario's one-value phrasings as answers ("um, I'd say
  {origin}", "the destination is {destination}", "we'll be leaving {date}"), some also
  written with a capital and a full stop. The products are large; deterministic shares of
  them (by a hash of the text) keep markers and tails to a part of the turns.

Every phrasing says its act and nothing more (no value, no other act: "no, thanks" would
carry an unannotated THANK only if it meant thanks -- here it declines), so the labels stay
what the customer meant. ``VariationConfig.phrasebook`` switches it off, for a scenario in
another language or a developer who wants only their own words.
"""

from __future__ import annotations

import functools
import re
import zlib
from itertools import chain, islice
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Sequence

import attrs

from dialogsim.dialogue import Act
from dialogsim.graph import DependencyGraph
from dialogsim.schema import Scenario
from dialogsim.wording import words

if TYPE_CHECKING:
    from dialogsim.paraphrase.templates import Template

__all__ = ["phrasebook_phrasings", "PHRASES", "REVISION_CUES", "BARE_REVISION_CUES", "CUE_WORDS", "GREETING",
           "FILLERS", "YES_NO", "repeats_family", "stacks_fillers", "stacks_declines"]

#: A text that opens with a greeting ("hi there, find me a flight", "oh hi", "good day, ..."):
#: every greeting the phrasebook composes, and those a scenario's own phrasings may hold. A
#: time of day greets only when nothing follows it in its clause ("evening, find me a flight",
#: not "evening flights to Boston").
GREETING = re.compile(r"(?:oh,? )?(?:hi|hiya|heya|hey|hello|howdy|greetings|yo|good (?:morning|afternoon|evening|day)"
                      r"|(?:morning|afternoon|evening)(?=[,.!]|$| there| again))(?: there| again)?\b", re.IGNORECASE)
# Words of one family: said twice in a turn they repeat themselves ("right, alright, you've got
# it right", "alright, to Boston, if that's alright", "I'm pretty sure Boston for sure", "that
# works, Sunday works").
_FAMILY = re.compile(r"\b(?:(?P<right>(?:al)?right(?! now| away| here| there)|all right|righto)|(?P<okay>okay|ok|okey-dokey|okie)"
                     r"|(?P<sure>sure)|(?P<great>great)|(?P<good>good)|(?P<fine>fine)|(?P<perfect>perfect)"
                     r"|(?P<nice>nice)|(?P<cool>cool)|(?P<lovely>lovely)|(?P<please>please)|(?P<works>works)"
                     r"|(?P<yes>yes|yeah|yep|yup|ya|yea|yah))\b", re.IGNORECASE)


def repeats_family(text: str) -> bool:
    """Whether ``text`` says a word of one family twice (``_FAMILY``: "okay, ... if that's
    okay"); a restart marked with a hyphen ("fine- fine with me") is one word said once."""
    seen = set()
    for m in _FAMILY.finditer(text):
        if text[m.end():m.end() + 1] == "-":
            continue
        if m.lastgroup in seen:
            return True
        seen.add(m.lastgroup)
    return False


#: Fillers, hesitations and discourse markers (the words a speaker fills a pause with). One
#: may open a phrase ("um, to Boston"); two in a row ("so, um, erm, I want") or one against a
#: hedge ("er, probably 7", "hmm, let me think, I guess") pile up where a person says one.
FILLERS = ("um", "umm", "uh", "erm", "er", "hmm", "hm", "mm", "so", "well", "like,", "you know", "I mean",
           "let me think", "let me see", "let's see")
_HEDGE_WORDS = ("I'd say", "I guess", "I think", "maybe", "probably", "I'm thinking", "I suppose", "likely",
                "possibly", "I'm guessing", "let's say", "I believe", "perhaps", "I reckon", "most likely",
                "I'm pretty sure", "hopefully", "most probably", "I'd guess", "I'd imagine", "I'm fairly sure")


def _alternation(phrases) -> str:
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True))


_FILLER = _alternation(FILLERS)
_NEXT = _alternation(FILLERS + _HEDGE_WORDS)
# "so" and "like" are a filler only where nothing needs them: "I think so", "I'd like".
_STACKED = re.compile(rf"(?<![\w'-])(?:(?:{_FILLER})[\s,.;:!?]*(?:{_NEXT})"
                      rf"|(?:{_alternation(_HEDGE_WORDS)})[\s,.;:!?]*(?:{_alternation(f for f in FILLERS if f not in ('so', 'like,'))}))"
                      r"(?![\w'-])", re.IGNORECASE)


def stacks_fillers(text: str) -> bool:
    """Whether ``text`` says a filler right next to another filler or a hedge (``FILLERS``:
    "well, um", "uh, let's see", "um, I'd say"), where a person says one of them."""
    return _STACKED.search(text) is not None


# What declines an offer, each a decline of its own: a "no" may come with one of them ("no,
# I'm good"), two say it twice ("no, afraid not, I'm sorted, that's plenty"). Closings that
# decline count ("I'm all set"), those that only end the talk do not ("that's all").
_DECLINES = re.compile(
    r"\b(?:(?:I'm|we're) (?:all )?(?:good|set|sorted|covered|fine|okay|alright)|all (?:fine|good)|that's plenty"
    r"|(?:that's|it's) (?:okay|alright|fine)|I'll be fine|not really|afraid not|I'm afraid|(?:I )?don't think so"
    r"|not (?:right )?now|not today|not (?:for|at) (?:the moment|now|present|this (?:point|time))|not this (?:time|one)"
    r"|not (?:just|quite) yet|(?:maybe|perhaps) (?:later|another|next|some|down)|(?:another|some other) (?:time|day)"
    r"|I(?: think I)?'ll (?:pass|wait|skip|hold off|leave|give it a miss|do it later|think about|come back|manage|sort)"
    r"|let me think about it|I'd rather (?:not|leave)|let's skip|no need|not (?:needed|necessary|interested|for me)"
    r"|I don't need that|won't be necessary)\b", re.IGNORECASE)


# A "no" (not "no need", "no more questions"; "no- no" is one "no" said again).
_NOS = re.compile(r"\b(?:no|nope|nah)\b(?!-| (?:need|more|further|preference|particular|strong|real))", re.IGNORECASE)


def stacks_declines(text: str) -> bool:
    """Whether ``text`` says "no" twice ("nope, sorry, no, I'll be fine") or declines twice
    (``_DECLINES``: "nah, not really, I'll pass", "I'm good, I'm all set"), where a person
    declines once."""
    return len(_NOS.findall(text)) > 1 or len(_DECLINES.findall(text)) > 1


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
              "no preference at all", "either is fine", "I'm easy either way", "it's all the same to me", "any at all",
              "I'm not fussed", "whatever you think is best", "honestly, anything",
              "anything is fine", "I'm flexible", "doesn't matter to me", "either way is fine",
              "I'm not picky", "any will do", "I have no preference", "it doesn't matter", "up to you",
              "whichever", "I don't mind")
_DONT_CARE_SLOT = ("any {w} is fine", "I don't mind which {w}", "no preference on the {w}", "any {w} works",
                   "any {w}'ll do", "I'm fine with any {w}", "any {w} works for me", "I'll take any {w}",
                   "whichever {w} you find", "the {w} doesn't really matter", "I'm not particular about the {w}",
                   "honestly any {w}", "the {w} is whatever", "any {w} whatsoever", "no {w} preference",
                   "I'm not set on a {w}", "the {w}'s not important", "I don't need a particular {w}",
                   "the {w} doesn't matter", "I'm flexible on the {w}", "I don't care about the {w}",
                   "whatever {w}", "any {w} will do", "the {w} is up to you", "any {w} is okay",
                   "the {w} isn't important", "I'm not fussy about the {w}", "I don't have a preference on the {w}",
                   "any {w} at all", "the {w} really doesn't matter", "the {w} is not a concern",
                   "I'm open on the {w}", "no particular {w}", "any {w} you like", "the {w} can be anything",
                   "I have no {w} preference", "doesn't matter what {w}", "pick any {w}", "the {w} is your call",
                   "I'm happy with any {w}", "whichever {w} is fine", "I'm easy on the {w}",
                   "the {w} isn't a big deal", "I won't fuss over the {w}", "no {w} in mind",
                   "I'm not bothered about the {w}", "I don't need a specific {w}", "any old {w} is fine",
                   "the {w} makes no difference", "whatever {w} you can find", "I'm easy on {w}",
                   "any {w} you've got", "whichever {w} is going", "I'm open to any {w}", "no {w} in particular",
                   "I'll leave the {w} to you", "choose any {w}", "I'm relaxed about the {w}",
                   "the {w} is no big deal", "the {w} doesn't bother me", "not fussed about the {w}")
_SELECT_ORDINAL = ("the {ordinal} one", "I'll take the {ordinal} one", "the {ordinal} one please",
                   "the {ordinal} one, I reckon", "the {ordinal} one if you would", "I'm thinking the {ordinal} one",
                   "the {ordinal} one ticks the boxes", "the {ordinal} one appeals",
                   "the {ordinal} one looks like the one", "that {ordinal} option", "I'll opt for the {ordinal} one",
                   "I fancy the {ordinal} one", "the {ordinal} looks ideal",
                   "I'd pick the {ordinal} one", "put me down for the {ordinal} one",
                   "mark me down for the {ordinal} one", "the {ordinal} will do", "the {ordinal} one does it for me",
                   "let's go with the {ordinal} one", "the {ordinal} sounds good", "I'd like the {ordinal} one",
                   "give me the {ordinal} one", "I'll go with the {ordinal}", "how about the {ordinal} one",
                   "the {ordinal} option", "let's do the {ordinal} one", "I want the {ordinal} one",
                   "the {ordinal} is fine", "I'll pick the {ordinal} one", "I'll go for the {ordinal} one",
                   "the {ordinal} one looks good", "can I get the {ordinal} one", "I'd go with the {ordinal} one",
                   "the {ordinal} one works for me", "I think the {ordinal} one", "probably the {ordinal} one",
                   "let me get the {ordinal} one", "the {ordinal} one sounds best", "I prefer the {ordinal} one",
                   "I'll have the {ordinal} one", "go for the {ordinal} one", "the {ordinal} one is good",
                   "the {ordinal} looks best", "I'm going with the {ordinal} one", "the {ordinal} one would be great",
                   "let's try the {ordinal} one", "I'd choose the {ordinal} one", "my pick is the {ordinal} one",
                   "the {ordinal} one seems good", "I like the {ordinal} one", "the {ordinal} one is perfect",
                   "can we do the {ordinal} one", "the {ordinal} would be my pick", "I'll settle for the {ordinal} one",
                   "let's go for the {ordinal}", "the {ordinal} one is the one", "put me on the {ordinal} one",
                   "the {ordinal} one is what I want", "go with the {ordinal} option", "I'll grab the {ordinal} one",
                   "the {ordinal} choice", "the {ordinal} option sounds good", "{ordinal} one please",
                   "the {ordinal} please", "I'd say the {ordinal} one", "let's pick the {ordinal} one",
                   "the {ordinal} one for sure", "definitely the {ordinal} one", "I'm leaning toward the {ordinal} one",
                   "the {ordinal} one suits me", "I'd rather have the {ordinal} one", "the {ordinal} one fits best",
                   "the {ordinal} one seems right", "I'll take the {ordinal} option", "that {ordinal} one sounds good",
                   "I think I'll go with the {ordinal}", "the {ordinal} of those", "the {ordinal} from the list",
                   "the {ordinal} you mentioned", "the {ordinal} one you said", "going with the {ordinal} one")
_SELECT_FIRST = ("that one", "that one sounds good", "I'll take that one", "that one please", "let's do that one",
                 "I'll go with that one", "that one works")
# Frames that ask for a field by name; none that could ask for the thing itself ("I need the
# theater", "can I get the title?").
_REQUEST_FRAMES = ("what's the {w}?", "what is the {w}?", "can you tell me the {w}?", "and the {w}?",
                   "do you know the {w}?", "what about the {w}?", "tell me the {w}", "what's its {w}?",
                   "could you tell me the {w}?", "and what's the {w}?", "I'd like to know the {w}",
                   "what would the {w} be?", "any idea what the {w} is?", "and its {w}?",
                   "what's the {w} on that?", "what was the {w} again?",
                   "what's the {w} for it?", "can you check the {w}?", "remind me of the {w}?",
                   "what did you say the {w} was?", "I want to know the {w}", "would you tell me the {w}?",
                   "could you let me know the {w}?", "do you happen to know the {w}?", "can you look up the {w}?",
                   "I'm curious about the {w}", "I was wondering about the {w}", "would you know the {w}?",
                   "please tell me the {w}", "what's the {w}, by the way?", "what {w} does it have?",
                   "mind telling me the {w}?", "and the {w}, please?", "I need the {w}", "can I ask the {w}?",
                   "what's the {w} looking like?", "is there a {w} listed?", "any info on the {w}?",
                   "let me know the {w}", "I'd need to know the {w}", "and what about the {w}?",
                   "what would the {w} be, then?", "check the {w} for me?", "tell me about the {w}",
                   "I'd love to know the {w}", "what's the {w} there?", "before I decide, what's the {w}?",
                   "one thing, what's the {w}?", "do you have the {w}?", "what's the exact {w}?",
                   "could you find out the {w}?", "can you confirm the {w}?", "any chance you know the {w}?",
                   "what's the {w} like?", "real quick, what's the {w}?", "how about the {w}?",
                   "I'd like the {w}, please", "do you know what the {w} is?", "and the {w} is?")

# -- whole-turn compositions ------------------------------------------------------------
# A whole turn may open with a discourse marker that fits its act ("oh, yes please",
# "okay, that's all, bye"; not "okay, no"), and say more than one thing of the same act
# ("yeah, sounds good", "nah, I'm good", "great, thanks for checking").
_OPENERS = {Act.AFFIRM: ("oh", "well", "hmm", "ah", "um", "oh great", "mm", "right", "oh nice",
                         "okay then", "oh good", "oh lovely", "ooh", "oh brilliant", "mm, okay",
                         "oh perfect", "oh wonderful", "ah, nice", "oh awesome", "uh"),
            Act.DENY: ("hmm", "well", "oh", "um", "uh", "ah", "honestly", "actually, hmm", "eh", "to be honest",
                       "let me think", "mm", "erm", "oh, um", "ah, well", "hm", "oh, hmm",
                       "thinking about it", "on reflection"),
            Act.GOODBYE: ("okay", "alright", "oh", "well", "ok", "cool", "great", "okay then", "alright then",
                          "right", "perfect", "okay great", "excellent", "brilliant", "lovely", "super",
                          "wonderful", "awesome", "fab", "nice", "sweet", "right then", "okay cool"),
            Act.THANK: ("oh", "okay", "ah", "ok", "alright", "oh wow", "right", "okay cool", "ooh",
                        "oh nice", "wow", "ah, great", "mm", "oh lovely"),
            Act.DONT_CARE: ("hmm", "well", "oh", "honestly", "um", "eh", "to be honest", "truthfully",
                            "let me think", "not sure", "oh, um", "good question"),
            Act.SELECT: ("hmm", "okay", "um", "let me see", "well", "uh", "let's see", "okay so", "right",
                         "oh", "let me think", "alright"),
            Act.REQUEST: ("oh", "okay", "hmm", "sorry", "quick question", "one more thing", "also", "oh and",
                          "and", "so", "by the way", "um"),
            Act.INFORM: ("um", "uh", "hmm", "oh", "well", "so", "okay", "ah", "er", "right", "alright", "oh, um",
                         "erm", "hm", "ooh", "let me see", "oh, well",
                         "okay, um", "right, um", "uh, okay", "ok", "mm, okay",
                         "let me think", "let's see", "okay so", "right, so", "oh, right", "hmm, okay",
                         "good question", "let me check", "mm")}
_YES = ("yes", "yeah", "yep", "yup", "sure", "okay", "ok", "alright", "absolutely", "definitely", "of course",
        "uh-huh", "sure thing", "yes please", "yeah sure", "oh yes", "certainly", "mm-hmm", "for sure", "totally",
        "indeed", "you bet", "oh yeah", "yes indeed", "sure, yeah", "okay, yes", "yeah, definitely", "yes, please",
        "oh definitely", "yes absolutely", "oh sure", "yeah okay", "right, yes",
        "yes, exactly", "yeah, sure thing", "mhm", "yeah, please", "okay, sure", "oh absolutely", "certainly, yes",
        "aye", "righto", "okey-dokey", "ya", "yea", "yah", "okie", "sure, yes", "yes, sure", "oh, definitely",
        "mhm, yes", "yes, of course", "oh, for sure", "yes, definitely", "yeah, of course", "oh yes please",
        "yep, sure", "sure, of course", "mm, yes", "ah, yes", "yes, certainly", "oh, absolutely", "yep, definitely",
        "uh, yeah", "um, yes", "erm, yes", "yeah, totally", "yes, yes indeed", "ok, sure",
        "yeah, for sure", "yeah, go on", "oh, go on then", "go on", "yes, go on")
_YES_MORE = (("sounds good", None), ("that works", None), ("that works for me", None), ("perfect", None),
             ("great", None), ("that's fine", None), ("fine by me", None), ("works for me", None),
             ("let's do it", None), ("let's do that", None), ("sounds great", None), ("sounds perfect", None),
             ("that's good", None), ("good with me", None), ("that'll work", None), ("happy with that", None),
             ("that'd be great", False), ("I'd like that", False), ("please", False), ("go on then", False),
             ("that would be nice", False), ("that'd be lovely", False),
             ("go ahead", True), ("go for it", True), ("that's right", True), ("that's correct", True),
             ("exactly", True), ("all correct", True), ("looks good", True), ("all good", True),
             ("please do", True), ("that's all correct", True), ("you got it", True), ("spot on", True),
             ("that's what I want", True), ("everything's right", True), ("that sounds right", True),
             ("that's the one", True), ("that's exactly it", True), ("that's what I said", True),
             ("good to go", True), ("all set", True), ("sounds about right", True),
             ("that's perfect", None), ("that's great", None), ("I'm happy with that", None), ("lovely", None),
             ("cool", None), ("nice", None), ("works great", None), ("that's ideal", None),
             ("sounds lovely", False), ("I'd like that very much", False), ("that would help", False),
             ("sounds like a plan", None), ("that sounds fine", None), ("that'd work", None), ("works nicely", None),
             ("I'm in", False), ("that would be handy", False), ("that'd be useful", False), ("let's go for it", False),
             ("I'd be up for that", False), ("yes, let's", False), ("that'd be perfect", False),
             ("that's accurate", True), ("you've got it right", True), ("nothing to change", True),
             ("that's all fine", True), ("all of that is right", True), ("that's how I want it", True),
             ("go right ahead", True), ("please go ahead", True), ("that's what I asked for", True),
             ("it all checks out", True), ("that's it exactly", True), ("bang on", True),
             ("just what I need", None), ("that's the plan", None), ("that suits me", None), ("fine with me", None),
             ("wonderful", None), ("brilliant", None), ("excellent", None), ("marvellous", None), ("super", None),
             ("awesome", None), ("fantastic", None), ("ideal", None), ("agreed", None), ("deal", None),
             ("count me in", False), ("do it", None), ("okay by me", None),
             ("alright by me", None), ("very good", None),
             ("exactly right", True), ("precisely", True), ("100 percent", True), ("correct on all counts", True),
             ("everything checks out", True), ("looks right to me", True), ("seems right", True),
             ("that matches", True), ("confirmed", True), ("looks fine", True),
             ("please proceed", True), ("proceed", True),
             ("I'd welcome that", False), ("sign me up", False),
             ("gladly", False), ("happily", False), ("with pleasure", False), ("I'm keen", False),
             ("suits me", None), ("that's fine with me", None), ("sounds ideal", None), ("by all means", None),
             ("I'm happy with it", None), ("that's exactly what I need", None), ("that'll do nicely", None),
             ("sweet", None), ("neat", None), ("nice one", None), ("fab", None), ("lovely stuff", None),
             ("that's what I was hoping for", None), ("I'm good with that", None), ("that's the ticket", None),
             ("works a treat", None), ("sounds excellent", None), ("that's brilliant", None), ("splendid", None),
             ("you read my mind", False), ("that would be wonderful", False),
             ("I'd be grateful", False), ("that'd be super", False), ("why, yes", False), ("I was hoping you'd ask", False),
             ("I'd like that a lot", False), ("that'd be a big help", False), ("I'm up for it", False),
             ("that works out", None), ("that's just the job", None), ("I can work with that", None),
             ("that'll suit me", None), ("sounds spot on", None), ("fine and dandy", None), ("just the thing", None),
             ("I'm on board", None), ("that's a yes from me", None), ("happy days", None), ("top notch", None),
             ("I'm sold", False), ("that'd be smashing", False), ("I'll take you up on that", False),
             ("you're a star", False), ("I'd really like that", False), ("please, that'd be great", False),
             ("that'd be amazing", False), ("that would be super helpful", False), ("yes, let's do that", False),
             ("you've got that right", True), ("every bit of it", True), ("all of it's right", True),
             ("that's all in order", True), ("that's what I told you", True),
             ("you've got it", True), ("that's precisely it", True), ("that's what I'm after", True),
             ("everything's in order", True), ("all spot on", True), ("that all sounds right", True),
             ("that's it to a tee", True), ("every detail's right", True), ("that's accurate, yes", True),
             ("looks great", True), ("checks out", True), ("that's correct, go on", True))
_NO = ("no", "nope", "nah", "no, sorry", "nope, sorry", "no, not really", "no, I don't think so", "nah, not really",
       "no, afraid not", "nope, not really", "uh, no", "nah, sorry", "I don't think so",
       "afraid not", "no, I'm afraid", "um, no", "mm, no", "ah, no", "erm, no", "no, not really, sorry", "sadly no",
       "nah, I don't think so")
#: Bare answers, yes or no ("sure", "nah"): a phrase may follow one ("sure, to Focus"), where
#: after praise ("that works, to Focus") it would attach to the praise.
YES_NO = frozenset(text.lower() for text in _YES + _NO)
_NO_MORE = (("I'm good", False), ("I'm fine", False), ("I'm okay", False), ("not right now", False),
            ("not now", False), ("not today", False), ("maybe later", False), ("maybe another time", False),
            ("that's okay", False), ("that's alright", False), ("it's fine", False), ("I'll pass", False),
            ("no need", False), ("not this time", False), ("I'm all good", False), ("I think I'll pass", False),
            ("I'll leave it for now", False), ("I don't need that", False), ("not at the moment", False),
            ("that's not right", True), ("that's wrong", True), ("not quite", True), ("that's not it", True),
            ("that's incorrect", True), ("that's not what I said", True), ("that's not what I want", True),
            ("hold on", True), ("something's off", True), ("that's not quite right", True),
            ("I'll skip it", False), ("let's skip that", False), ("maybe next time", False), ("not for now", False),
            ("not needed", False), ("no need for that", False), ("I'll hold off", False), ("I'm fine without it", False),
            ("I'll give it a miss", False), ("not this one", False), ("I'd rather not", False),
            ("not interested", False), ("I'm okay for now", False), ("I'm good for now", False),
            ("that's not correct", True), ("that's a mistake", True), ("you got that wrong", True),
            ("that's off", True), ("not what I asked for", True), ("that's not what I asked", True),
            ("that isn't right", True), ("some of that is wrong", True),
            ("let me stop you there", True), ("hang on a sec", True), ("wrong details", True),
            ("that's not accurate", True), ("doesn't look right", True),
            ("I'm set", False), ("all good here", False), ("perhaps later", False), ("another day", False),
            ("I'll manage", False), ("not just yet", False), ("not quite yet", False),
            ("I'll think about it", False), ("I'm covered", False), ("I'm sorted", False),
            ("I'm alright", False), ("not for me", False), ("that won't be necessary", False), ("I'll do it later", False),
            ("I'll sort that myself", False), ("not at this point", False), ("I'm fine as I am", False),
            ("I'll skip that", False), ("not necessary", False), ("I'll wait", False), ("let me think about it", False),
            ("I'll come back to it", False), ("not this time round", False),
            ("I'd rather leave it", False), ("I'll leave that", False), ("no, I'll be fine", False),
            ("all fine", False), ("all good", False), ("perhaps another day", False), ("maybe some other day", False),
            ("not for the moment", False), ("maybe down the line", False), ("another time maybe", False),
            ("not at present", False), ("some other day", False), ("some other time", False),
            ("that's a bit off", True), ("that's not the one", True), ("you misheard me", True), ("that's mixed up", True),
            ("one of those is wrong", True), ("that doesn't match", True), ("that's not quite it", True),
            ("let me correct that", True), ("I didn't say that", True), ("those aren't right", True))
_SELECT_TAILS = (", please", ", I think", " I guess", " if that's okay", " then", " for me", " if it's available",
                 " if I may", ", if it's free", " this time", ", if that works", " if there's room",
                 ", I suppose", " if you don't mind", " if possible", ", definitely", " I'd say", ", honestly")
# Declines that say no only after a "no" ("no, it's fine"): alone they could be a yes.
_AFTER_NO = frozenset(("it's fine", "that's okay", "that's alright", "I'm okay", "all fine", "all good"))
_THANKS = ("thanks", "thank you", "thanks a lot", "thank you so much", "thanks so much", "many thanks", "cheers",
           "thanks loads", "thanks heaps", "thanks very much", "thanks ever so much", "big thanks", "thanks so very much",
           "thank you for that",
           "much appreciated", "appreciate it", "thanks a bunch", "thank you very much", "thanks a ton",
           "I appreciate it", "thanks a million", "thank you kindly")
_THANKS_FOR = ("for your help", "for the help", "for that", "for checking", "for looking", "for sorting that out",
               "for your patience", "for making that easy", "for the update", "for getting back to me",
               "for digging that up", "for the quick answer", "for clearing that up", "for taking care of it",
               "for the info", "for all your help", "for your time", "for finding that", "for the quick help",
               "for being so quick", "for helping me out", "for looking into it", "for everything")
_THANKS_BEFORE = ("great", "perfect", "awesome", "nice", "cool", "wonderful", "excellent", "lovely", "brilliant",
                  "fab", "amazing", "superb", "that's ideal", "that's wonderful", "that's handy", "that's useful",
                  "marvellous", "that's amazing", "nice one", "that's fab", "good to know", "that's fantastic",
                  "that's great", "that's perfect", "fantastic", "that's helpful", "oh good", "super", "splendid",
                  "that's lovely", "sweet", "that helps", "good stuff", "very helpful", "that's brilliant")
_DONE = ("that's all", "that's everything", "that's it", "I'm all set", "I'm done", "nothing else",
         "that's me sorted", "that's all I'm after", "that's all I require", "I'm sorted now", "that's all for me",
         "I reckon that's it", "nothing else I need", "that's everything for now", "that's all taken care of",
         "I think I'm all set", "that's all, really", "that's plenty", "that's all I can think of",
         "that'll be all", "that's all I needed", "that's all for now", "that's it for today", "that should be it",
         "I think that's it", "I think that's everything", "that's all I need", "all done", "I'm set",
         "that's all for today", "that'll do", "nothing more", "I'm good for now", "that's about it",
         "that's all I wanted", "that covers it", "that's everything I needed", "we're done here", "all sorted",
         "I'm all sorted", "that's it from me", "nothing else for now", "that should do it", "I have everything",
         "that's all I had", "I'm good, that's all", "no more questions", "we're all set", "I think we're done",
         "that's it for me", "that's all from me", "I'm good to go", "that's me done", "that does it",
         "I'm finished", "that's all I was after", "that's all for the moment", "that's the lot",
         "I don't need anything else", "nothing further", "I'm all good now", "that wraps it up",
         "job done", "I've got what I need")
_CLOSERS = ("bye", "goodbye", "bye now", "see you", "see ya", "take care", "have a good day", "have a nice day",
            "bye bye", "bye for now then", "take care now", "have a good weekend", "have a good week",
            "have a lovely evening", "have a nice evening", "catch you soon", "peace out", "chat later",
            "have a wonderful day", "have a nice one", "all the best then",
            "have a good one", "talk to you later", "bye for now", "have a great day", "have a good night",
            "have a good evening", "catch you later", "enjoy your day", "so long", "take it easy",
            "have a lovely day", "good night", "have a great evening", "have a great one", "see you later",
            "all the best", "until next time", "speak soon", "cheerio", "ciao", "later", "goodnight",
            "enjoy the rest of your day", "be well", "stay safe", "adios", "laters")
_DONT_CARE_MORE = ("whatever works", "any is fine", "anything is fine", "whatever's easiest",
                   "I'm happy either way", "I'm not fussy", "whichever's easier", "whatever you think",
                   "no real preference", "either's fine", "I'm good with anything", "I'm not picky at all",
                   "just pick one", "you choose", "I trust you", "whatever's cheapest is fine",
                   "whatever you have", "either way", "it's up to you", "surprise me", "dealer's choice",
                   "any of them", "I'm easy", "whatever's available", "whatever you find", "anything works",
                   "your call", "I'll leave it to you", "go with whatever",
                   "any option is fine", "I'm open", "happy with anything", "no biggie", "not fussed",
                   "makes no odds", "can't say I mind", "all the same to me", "totally flexible",
                   "really, anything", "nothing specific", "no strong opinion")

# -- carriers around the scenario's own phrasings ----------------------------------------
_REQUEST_CARRIERS = ("and {t}", "also, {t}", "okay, {t}", "quick question, {t}", "one more thing, {t}",
                     "oh, {t}")
# One greeting each: "hi, hello" and "hey, good evening" say hello twice.
_GREETINGS = ("hi", "hey", "hello", "hi there", "good morning", "hey there", "good afternoon", "good evening",
              "morning", "hiya", "hello there", "good day", "evening", "afternoon", "oh hi", "hello again", "howdy",
              "heya", "oh hey", "oh hello", "hi again", "hey again")
_INVOKE_CARRIERS = ("okay, {t}", "so {t}", "okay so {t}", "alright, {t}", "right, {t}", "um, {t}",
                    "yeah, {t}", "well, {t}", "okay, um, {t}", "hmm, {t}", "oh, {t}", "uh, {t}", "right, so {t}",
                    "alright so {t}", "okay, well, {t}", "so basically {t}", "erm, {t}", "okay, so, {t}",
                    "oh, um, {t}", "so, {t}")
_VERB_CARRIERS = ("can you {t}", "could you {t}", "please {t}", "would you {t}", "can you please {t}",
                  "I'd like you to {t}", "could you please {t}", "would you please {t}", "I was hoping you could {t}",
                  "I need you to {t}", "any chance you could {t}", "do you think you could {t}", "could you maybe {t}",
                  "would you be able to {t}", "are you able to {t}", "will you {t}", "can you just {t}",
                  "could you just {t}", "I'd love it if you could {t}")
# Only as a whole turn (a question mark ends it; "I was wondering" does not join a value).
_VERB_QUESTIONS = ("can you {t}?", "could you {t}?", "would you {t}?", "can you please {t}?",
                   "could you please {t}?", "I was wondering if you could {t}", "would you be able to {t}?",
                   "are you able to {t}?", "I need you to {t}", "I was hoping you could {t}",
                   "do you think you could {t}?", "any chance you could {t}?", "I'd love it if you could {t}",
                   "is it possible to {t}?", "could you maybe {t}?",
                   "can I get you to {t}?", "I'd be grateful if you could {t}")
_WANT = ("I want to {t}", "I'd like to {t}", "I need to {t}", "I'm trying to {t}", "I'm looking to {t}",
         "I wanna {t}", "help me {t}", "I'm hoping to {t}", "I'd love to {t}", "I was hoping to {t}",
         "I'd like some help to {t}", "I was looking to {t}", "let's {t}", "I've been meaning to {t}",
         "I'd quite like to {t}", "I'm keen to {t}", "I gotta {t}", "I've got to {t}")  # before a verb without its own object pronoun ("I'd like to find a flight")
_INVOKE_TAILS = ("please", "for me", "if you can", "when you get a chance", "if that's possible", "if possible",
                 "when you can", "if you could", "real quick", "if you don't mind", "when you have a moment",
                 "if it's not too much trouble")
# Around one value phrasing answering a question ("from {origin}"): hedges, a subject,
# what ends it. A hedge goes once: "I'd say Boston", "Boston, I think", never both.
_HEDGES = ("I'd say", "I guess", "I think", "maybe", "probably", "ideally", "preferably", "I'm thinking", "I suppose",
           "likely", "possibly", "I'm guessing", "let's say", "say",
           "I believe", "perhaps", "I reckon", "most likely", "I'm pretty sure", "hopefully", "if possible,", "most probably", "I'd guess",
           "I'd imagine", "if I had to pick,", "off the top of my head,", "I'm fairly sure")
_BARE_FRAMES = ("it's {t}", "it'd be {t}", "that'd be {t}", "let's say {t}", "how about {t}", "let's go with {t}",
                "let's do {t}", "{t} works", "{t} is fine", "{t} works for me", "{t} would be great",
                "{t} would be good", "{t} is good", "{t} should work", "just {t}", "I'll go with {t}",
                "{t} is what I want", "{t} would be ideal", "{t} sounds right", "{t} is best", "{t} suits me",
                "{t} would be perfect", "{t} works best", "{t} would work", "I'm going with {t}", "I'll take {t}",
                "I'd go with {t}", "{t} is my choice", "I'd prefer {t}", "{t} for me", "let's try {t}", "try {t}",
                "definitely {t}", "go with {t}", "I'd pick {t}", "{t} is the one", "{t} would suit me", "{t} is ideal", "{t}, if you have it",
                "{t}, I'd say", "{t} probably", "{t} definitely", "we'd like {t}", "we'll take {t}",
                "we'll go with {t}", "we want {t}", "{t} is what we need", 
                "{t} is perfect", "{t} please, if possible", "oh, {t} for sure", "{t}, for sure", "{t} is great",
                "{t} works fine", "it should be {t}", "should be {t}", "it'll be {t}", "it will be {t}",
                "I'd want {t}", "I want {t}", "I need {t}", "I'd need {t}", "I'd choose {t}", "say {t}",
                "I'd opt for {t}", "I'll opt for {t}", "going with {t}", "probably just {t}", "honestly, {t}",
                "{t} is my pick", "{t} is my preference", "{t} is the plan", "{t} makes sense", "{t} would do",
                "{t} will do", "{t} is okay", "{t} is alright", "{t} would be nice", "{t} sounds good to me",
                "I'm good with {t}", "I'm fine with {t}", "happy with {t}", "I'd be happy with {t}",
                "{t} is good with me", "I'm thinking of {t}", "I was thinking {t}", "I was hoping for {t}",
                "hoping for {t}", "I'm looking at {t}", "aiming for {t}", "I'm aiming for {t}", "I'd settle for {t}",
                "{t} is the best option", "{t} is fine by me", "{t}, no question", "{t} if it's available",
                "put me down for {t}", "let's aim for {t}", "what about {t}", "shall we say {t}",
                "I'm leaning towards {t}", "make it {t}", "{t} ideally", "{t} if you can", "{t} would be lovely",
                "{t} is what I had in mind", "I had {t} in mind", "I'm hoping for {t}", "{t} makes the most sense",
                "it's got to be {t}", "has to be {t}", "{t}, hopefully", "I'd go for {t}", "mark down {t}",
                "{t}, that's the one", "{t} suits me best", "put down {t}", "I'll say {t}", "I'm going to say {t}",
                "{t}, I reckon", "I'd settle on {t}")
# Frames that name the slot ("the destination is {destination}"); a plural name ("tickets")
# only in "{w}: {t}". None echoes the question ("the city? Boston"): an answer says the value.
_NAMED_FRAMES = ("the {w} is {t}", "{w} is {t}", "{w}: {t}", "for the {w}, {t}", "the {w} would be {t}",
                 "as for the {w}, {t}", "{w} would be {t}", "the {w} should be {t}", "my {w} is {t}",
                 "our {w} is {t}", "put the {w} down as {t}", "set the {w} to {t}", "{w} should be {t}",
                 "the {w}'s {t}", "for the {w}, let's say {t}", "regarding the {w}, {t}", "the {w} will be {t}",
                 "for {w}, {t}", "put {t} for the {w}", "{t} for the {w}", "{t} as the {w}",
                 "the {w} I want is {t}", "{w}-wise, {t}", "in terms of {w}, {t}", "on the {w}, {t}",
                 "the {w} I need is {t}", "and the {w}, {t}", "for the {w} I'd say {t}", "the {w} I'm after is {t}")
_SUBJECTS = ("I'm {t}", "I'll be {t}", "we're {t}", "we'll be {t}", "I am {t}", "we are {t}", "I'd be {t}",
             "I'm planning on {t}", "I plan on {t}", "we'd be {t}", "I'd like to be {t}", "I'm going to be {t}",
             "we're planning on {t}", "I'm hoping to be {t}", "I should be {t}", "we'll probably be {t}",
             "I'll probably be {t}", "we should be {t}", "I'm definitely {t}", "we plan on {t}")
_FOR_FRAMES = ("it's {t}", "that's {t}", "I need it {t}", "we need it {t}", "it'd be {t}", "I'd like it {t}",
               "it's going to be {t}", "it should be {t}", "I want it {t}", "we'd like it {t}")
_TAILS = ("please", ", please", "if possible", "if that's possible", "ideally", ", preferably", ", I think",
          "I guess", "if that works", ", if that's okay", ", if you have it", "if there's one",
          ", if that's alright", "if that's doable", ", I believe", "for now", "if that's fine",
          "if it's available", ", ideally", ", if possible", "for sure")
_PREPOSITIONS = frozenset("to from in with at on near around".split())
_PREP_FRAMES = ("it'd be {t}", "something {t}", "I'd like something {t}",
                "I need something {t}", "I'm looking for something {t}", "preferably something {t}",
                "I'd prefer something {t}", "ideally one {t}", "one {t} would be good")
# Inside a longer turn, one value phrasing of the scenario's said another way (``_inform_parts``).
_PART_HEDGES = ("ideally", "preferably")
# The verb of a phrase in other words of the same meaning ("going to": "heading to").
_PHRASE_REWORDINGS = (
    (re.compile(r"^going to ", re.IGNORECASE), ("heading to ", "headed to ")),
    (re.compile(r"^leaving from ", re.IGNORECASE), ("departing from ", "setting off from ")),
    (re.compile(r"^leaving (?!from )", re.IGNORECASE), ("departing ",)),
)
# Hedges that also go before a phrase ("probably to Boston"; not "I'm fairly sure to Boston").
_PHRASE_HEDGES = frozenset(("I'd say", "I guess", "I think", "maybe", "probably", "ideally", "preferably", "I suppose",
                            "I believe", "perhaps", "most likely", "hopefully", "if possible,", "most probably"))
_NOUN_STARTS = frozenset("the a an some something somewhere anywhere just".split())
_HEDGE_TAILS = frozenset((", I believe", ", ideally", "ideally", ", preferably", ", I think", "I guess"))
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
# Shares of a family of compositions kept (deterministically, by the text's hash): the
# product of openers, cores and tails is large, and a turn should open with a marker or
# hedge now and then, not every time.
# A word said twice across a comma or a join ("for that, that's all"), as speech runs it on.
_DOUBLED = re.compile(r"\b(\w+)[\s,.;:!?]+\1\b", re.IGNORECASE)
_KEEP_OPENED = 0.12
# A yes said in three pieces at most ("oh, yes, that works", "yeah, sure, sounds good"): an
# opener before those made "mm, okay, yeah, for sure, I can work with that" (two in five of
# the restaurants' yeses had four pieces or more).
_PILED = 3


def _pieces(text: str) -> int:
    """How many comma-separated pieces ``text`` says: "oh, yes, sure" is three."""
    return text.count(",") + 1
_TYPED = 4  # in ten whole turns also written with a capital and a full stop ("Sounds good.")

#: The built-in phrasings per act, for tests and the docs.
PHRASES: Mapping[Act, tuple] = {Act.AFFIRM: _AFFIRM, Act.DENY: _DENY, Act.THANK: _THANK, Act.GOODBYE: _GOODBYE,
                                Act.DONT_CARE: _DONT_CARE}


def phrasebook_phrasings(scenario: Scenario, templates: Iterable["Template"],
                         make: Callable[[dict], Any] = dict) -> Iterator[Any]:
    """The phrasebook's phrasings for ``scenario``, each as ``make`` makes it of its
    ``Template`` fields (``TemplateIndex`` passes a maker of templates: this module does not
    import it, the imports run one way), given the templates it already has (the scenario's
    own invoke, inform and request phrasings get carriers). The whole turns of the generic
    acts, the same for every scenario, are made once a process for each ``make``."""
    own = list(templates)
    yield from map(make, _phrases(scenario, own))
    variants = [attrs.evolve(t, text=text, source="phrasebook") for t in own
                if len(t.acts) == 1 and t.acts[0][0] is Act.INVOKE and t.source != "default"
                for text in _reworded(t.text)]
    for t in variants:
        yield make(dict(text=t.text, acts=t.acts, slots=t.slots, select_item=t.select_item, confirming=t.confirming))
    own += variants
    yield from _closings_and_fillers(make)
    yield from map(make, _said(_slot_dont_cares(scenario)))
    yield from _selects(make)
    yield from map(make, _said(_requests(own)))
    yield from map(make, _said(_carriers(scenario, own)))


def _said(phrasings: Iterable[dict]) -> Iterator[dict]:
    """``phrasings`` without those that say a word twice or stack fillers, each whole turn
    also written with care now and then (``_TYPED``)."""
    for phrasing in phrasings:
        text = phrasing["text"]
        if _DOUBLED.search(text) or repeats_family(text) or stacks_fillers(text) or stacks_declines(text):
            continue  # "yes please, please", "okay, for two, if that's okay", "um, I'd say Boston", "no, afraid not, I'm good"
        yield phrasing
        if phrasing.get("whole") and zlib.crc32(phrasing["text"].encode()) % 10 < _TYPED:
            yield {**phrasing, "text": _typed(phrasing["text"], phrasing["acts"])}


def _phrases(scenario: Scenario, own: list["Template"]) -> Iterator[dict]:
    """The built-in phrasings of the generic acts: each fits anywhere in a turn."""
    for act, phrases in ((Act.AFFIRM, _AFFIRM), (Act.DENY, _DENY)):
        for text, confirming in phrases:
            yield dict(text=text, acts=((act, None),), confirming=confirming)
    plain: tuple[tuple[Act, tuple[str, ...]], ...] = ((Act.THANK, _THANK), (Act.GOODBYE, _GOODBYE),
                                                      (Act.DONT_CARE, _DONT_CARE))
    for act, texts in plain:
        for text in texts:
            yield dict(text=text, acts=((act, None),))
    for slot in _optional_slots(scenario):
        for frame in _DONT_CARE_SLOT:
            yield dict(text=frame.format(w=words(slot)), acts=((Act.DONT_CARE, slot),))
    for frame in _SELECT_ORDINAL:
        yield dict(text=frame, acts=((Act.SELECT, None),))
    for text in _SELECT_FIRST:
        yield dict(text=text, acts=((Act.SELECT, None),), select_item=0)
    for field in _request_fields(own):
        for frame in _REQUEST_FRAMES:
            yield dict(text=frame.format(w=words(field)), acts=((Act.REQUEST, field),))


# The same request in other everyday words, by how a phrasing opens ("find me a flight":
# "get me a flight"; "I need a flight": "I'm looking for a flight"): verbs of the same
# meaning only ("book" never becomes "find").
_REWORDINGS = (
    (re.compile(r"^find (me|us) ", re.IGNORECASE), ("get {0} ", "grab {0} ", "see if you can find {0} ")),
    (re.compile(r"^find (?!me |us )", re.IGNORECASE), ("look for ", "search for ", "look up ", "track down ",
                                                      "see if you can find ", "check for ")),
    (re.compile(r"^search (?!for )", re.IGNORECASE), ("search for ", "look for ", "find ", "check ", "look up ",
                                                     "pull up ")),
    (re.compile(r"^get (me|us) ", re.IGNORECASE), ("find {0} ", "grab {0} ")),
    (re.compile(r"^get (me|us) (?=a |an |some |tickets )", re.IGNORECASE), ("set {0} up with ", "sort {0} out with ")),
    (re.compile(r"^book (?!me |us )", re.IGNORECASE), ("reserve ",)),
    (re.compile(r"^reserve ", re.IGNORECASE), ("book ",)),
    (re.compile(r"^make a reservation ", re.IGNORECASE), ("make a booking ", "book a table ")),
    (re.compile(r"^buy ", re.IGNORECASE), ("get ", "purchase ")),
    (re.compile(r"^play ", re.IGNORECASE), ("put on ", "let me hear ", "throw on ")),
    (re.compile(r"^let's hear ", re.IGNORECASE), ("let me hear ", "I'd like to hear ")),
    (re.compile(r"^show (me|us) ", re.IGNORECASE), ("pull up ", "find {0} ")),
    (re.compile(r"^give (me|us) ", re.IGNORECASE), ("get {0} ", "tell {0} ")),
    (re.compile(r"^add (it|this|this track|this song) to ", re.IGNORECASE), ("put {0} on ", "save {0} to ")),
    (re.compile(r"^I need (?=a |an |some )", re.IGNORECASE), ("I'm looking for ", "I'd like ", "I want ", "I could use ",
                                                              "I'm after ", "I'm trying to find ", "I'd like to find ",
                                                              "I'm searching for ", "I'm in need of ")),
    (re.compile(r"^I'm looking for (?=a |an |some )", re.IGNORECASE), ("I'm after ", "I need ", "I'm trying to find ",
                                                                      "I'd like to find ", "I'm searching for ")),
    (re.compile(r"^I want (?=a |an |some |tickets )", re.IGNORECASE), ("I'd like ", "I need ")),
    (re.compile(r"^I need to ", re.IGNORECASE), ("I have to ", "I'd like to ", "I've got to ", "I'm trying to ")),
    (re.compile(r"^I want to ", re.IGNORECASE), ("I'd like to ", "I'm hoping to ", "I'm looking to ", "I wanna ",
                                                 "I plan to ", "I'd love to ")),
    (re.compile(r"^I'd like to ", re.IGNORECASE), ("I want to ", "I'd love to ", "I'm hoping to ", "I wanna ",
                                                   "I'm looking to ")),
    (re.compile(r"^are there any ", re.IGNORECASE), ("do you have any ", "can you find any ", "do you know of any ",
                                                     "are there some ", "I'm wondering if there are any ",
                                                     "do you see any ")),
    (re.compile(r"^any good ", re.IGNORECASE), ("are there any good ", "know any good ")),
    (re.compile(r"^is there anywhere that serves ", re.IGNORECASE), ("is there a place that serves ",
                                                                    "is there anywhere serving ")),
    (re.compile(r"^where can I get ", re.IGNORECASE), ("where can I find ", "where could I get ")),
    (re.compile(r"^what's the (?!.* like\b)", re.IGNORECASE), ("can you tell me the ", "tell me the ",
                                                              "do you know the ")),
    (re.compile(r"^how's the weather looking ", re.IGNORECASE), ("how's the weather ",
                                                                "what's the weather looking like ")),
    (re.compile(r"^do I need ", re.IGNORECASE), ("will I need ", "should I take ")),
    (re.compile(r"^can you ", re.IGNORECASE), ("could you ", "would you ")),
    (re.compile(r"^can I get ", re.IGNORECASE), ("could I get ", "can I have ")),
)


def _wants(inner: str) -> tuple[str, ...]:
    """``_WANT`` frames that fit ``inner``: not "I'm looking to look for a flight"."""
    look = inner.lower().startswith(("look", "search"))
    return tuple(f for f in _WANT if not (look and "looking" in f))


def _reworded(text: str) -> list[str]:
    """``text`` with its opening said in other words of the same meaning (``_REWORDINGS``)."""
    out = []
    for pattern, replacements in _REWORDINGS:
        m = pattern.match(text)
        if m is None:
            continue
        for replacement in replacements:
            out.append(replacement.format(*m.groups()) + text[m.end():])
    return out


# Whole turns composed of the phrasebook's pieces: a marker, one or two phrasings of the same
# act, the two acts of a closing ("thanks, that's all, bye"). Those of the generic acts are
# the same for every scenario, some 68,000 after the checks of ``_said``: composed and made
# into templates once a process (``functools.cache``), where every realiser of another
# scenario composed, checked and parsed them anew (a random scenario's index: 2.6 s -> 0.6 s).


@functools.cache
def _closings_and_fillers(make: Callable[[dict], Any]) -> tuple:
    """Whole turns of yes, no, thanks, goodbye and don't care, checked (``_said``), made."""
    return tuple(map(make, _said(_generic_wholes())))


def _generic_wholes() -> Iterator[dict]:
    """The whole turns of ``_closings_and_fillers``, unchecked."""
    listed = {text for text, _ in _AFFIRM + _DENY}  # said already, with the fit they have
    affirm = [(f"{yes}, {more}", c) for yes in _YES for more, c in _YES_MORE
              if f"{yes}, {more}" not in listed and _pieces(yes) + _pieces(more) <= _PILED]
    yield from _whole_acts(Act.AFFIRM, [(t, None) for t in _YES] + _kept(affirm, 0.35))
    # One decline a turn: "no, I'm good", "no, afraid not", not "no, afraid not, I'm good".
    deny = [(f"{no}, {more}", c) for no in _NO for more, c in _NO_MORE
            if f"{no}, {more}" not in listed and not stacks_declines(f"{no}, {more}")]
    alone = [m for m in _NO_MORE if m[1] is False and m[0] not in _AFTER_NO]  # "it's fine" alone reads as a yes
    no: list[tuple[str, bool | None]] = [(t, None) for t in _NO]
    yield from _whole_acts(Act.DENY, [*no, *alone, *deny])
    thanks = _thanks()
    yield from _whole_acts(Act.THANK, [(t, None) for t in thanks])
    done = _done()
    yield from _whole_acts(Act.GOODBYE, [(t, None) for t in done])
    for first, rest in ((Act.THANK, thanks), (Act.DENY, [t for t, c in deny if c is False] + list(_NO))):
        pairs = _paired(rest, done, 1000)
        yield from _whole_acts((first, Act.GOODBYE), [(t, False if first is Act.DENY else None) for t in pairs])
    generic = list(_DONT_CARE) + [f"{a}, {b}" for a in _DONT_CARE for b in _DONT_CARE_MORE if not _overlap(a, b)]
    yield from _whole_acts(Act.DONT_CARE, [(t, None) for t in generic])


_SHORT_DONT_CARE = ("I don't mind", "no preference", "I'm flexible", "doesn't matter", "I don't care", "either way",
                    "it's all the same to me", "whatever", "no strong feelings", "I'm easy", "anything goes")


def _slot_dont_cares(scenario: Scenario) -> Iterator[dict]:
    """Whole turns that do not mind one optional slot's value ("any airline is fine")."""
    for slot in _optional_slots(scenario):
        frames = [frame.format(w=words(slot)) for frame in _DONT_CARE_SLOT]
        texts = frames + _kept([f"{a}, {f}" for a in _SHORT_DONT_CARE for f in frames if not _overlap(a, f)], 0.4)
        yield from _whole_acts(Act.DONT_CARE, [(t, None) for t in texts], target=slot)


@functools.cache
def _selects(make: Callable[[dict], Any]) -> tuple:
    """Whole turns that pick a result, by ordinal or as the only one, checked (``_said``), made."""
    select = list(_SELECT_ORDINAL) + _kept([f"{f}{tail}" for f in _SELECT_ORDINAL for tail in _SELECT_TAILS
                                            if not ("please" in f and "please" in tail)
                                            and not (("think" in f or "probably" in f) and "I " in tail)], 0.4)
    that = list(_SELECT_FIRST) + ["that one, please", "that one's fine", "that one, I think"]
    return tuple(map(make, _said(chain(_whole_acts(Act.SELECT, [(t, None) for t in select]),
                                       _whole_acts(Act.SELECT, [(t, None) for t in that], select_item=0)))))


def _requests(own: list["Template"]) -> Iterator[dict]:
    """Whole turns that ask for a result's field, after an opener ("so, what's the price?")."""
    for field in _request_fields(own):
        w = words(field)
        texts = [frame.format(w=w) for frame in _REQUEST_FRAMES if not frame.startswith(("and ", "what about"))]
        texts += [t.text + "?" for t in own if t.acts == ((Act.REQUEST, field),) and not t.slots
                  and t.text[-1:].isalpha()]
        yield from _whole_acts(Act.REQUEST, [(t, None) for t in texts], target=field, bare=False)


def _whole_acts(act, texts: Sequence[tuple[str, bool | None]], *, target: str | None = None,
                select_item: int | None = None, bare: bool = True) -> Iterator[dict]:
    """``texts`` as whole turns of ``act`` (or of two acts, a tuple), each also after an
    opener that fits the first act (a share of them: most turns open plainly); ``bare``
    False: the texts are said only after an opener (they are also parts already)."""
    acts = tuple((a, target if n == 0 else None) for n, a in enumerate(act if isinstance(act, tuple) else (act,)))
    first = acts[0][0]
    fields = dict(acts=acts, whole=True)
    if select_item is not None:
        fields["select_item"] = select_item
    for text, confirming in texts:
        if bare:
            yield dict(text=text, confirming=confirming, **fields)
        openers = [o for o in _OPENERS[first] if not text.lower().startswith(o.split()[0].lower())
                   and not (first is Act.AFFIRM and _pieces(o) + _pieces(text) > _PILED)]
        for opener in _kept([f"{o}, {_lower(text)}" if o not in ("and", "so", "oh and") else f"{o} {_lower(text)}"
                             for o in openers], _KEEP_OPENED if bare else 0.3):
            yield dict(text=opener, confirming=confirming, **fields)


def _thanks() -> list[str]:
    """Thanks said many ways: "thanks", "great, thanks for checking", "thank you so much"."""
    heads = list(_THANKS) + [f"{h} {f}" for h in ("thanks", "thank you", "thanks so much", "thank you so much",
                                                   "thanks a lot") for f in _THANKS_FOR]
    return heads + _kept([f"{b}, {_lower(h)}" for b in _THANKS_BEFORE for h in heads], 0.4)


def _done() -> list[str]:
    """A closing: "that's all", "bye", "okay, that's everything, have a good day"."""
    return list(_DONE) + list(_CLOSERS) + _kept([f"{d}, {c}" for d in _DONE for c in _CLOSERS], 0.5)


def _kept(texts: list, share: float) -> list:
    """A deterministic ``share`` of ``texts`` (each kept by its own hash: the same in every
    process and whatever else is listed)."""
    if share >= 1:
        return list(texts)
    limit = int(share * 10_000)
    return [t for t in texts if zlib.crc32((t if isinstance(t, str) else t[0]).encode()) % 10_000 < limit]


def _paired(firsts: list[str], seconds: list[str], n: int) -> list[str]:
    """About ``n`` "a, b" of two lists ("thanks, that's all"), each first kept by its own hash
    and given seconds by it: the same in every process, without composing every pair (two
    lists of 2,000 make four million, of which a thousand are kept)."""
    per = max(1, round(n / len(firsts)))
    limit = int(n / (per * len(firsts)) * 10_000)
    out: list[str] = []
    for a in firsts:
        # salted: a first may itself have been kept by ``_kept``'s unsalted hash
        h = zlib.crc32(f"paired {a}".encode())
        if h % 10_000 < limit:
            # the next second along where one would decline again ("no, afraid not, I'm all set")
            pairs = (f"{a}, {seconds[(h // 10_000 + k * 7919) % len(seconds)]}" for k in range(len(seconds)))
            out += islice((pair for pair in pairs if not stacks_declines(pair)), per)
    return out


def _typed(text: str, acts) -> str:
    """A whole turn as someone typing with care writes it: a capital, a full stop ("Sounds
    good.", "Thanks a lot!"); a question keeps its mark, a value its own case."""
    if text[:1].isalpha():
        text = text[:1].upper() + text[1:]
    if text[-1:] in ".?!":
        return text
    glad = acts and acts[0][0] in (Act.THANK, Act.GOODBYE, Act.AFFIRM)
    return text + ("!" if glad and zlib.crc32(text.encode()) % 3 == 0 else ".")


def _overlap(a: str, b: str) -> bool:
    """Whether two phrasings share a word pair ("I don't mind, I don't mind which cabin")."""
    pairs = set(zip(a.lower().split(), a.lower().split()[1:]))
    return bool(pairs & set(zip(b.lower().split(), b.lower().split()[1:]))) or a.split()[0] == b.split()[0]


def _lower(text: str) -> str:
    """``text`` as the rest of a sentence ("Find me" -> "find me"; "I" stays)."""
    return text if text.startswith(("I ", "I'", "{")) else text[:1].lower() + text[1:]


def _optional_slots(scenario: Scenario) -> list[str]:
    return sorted({arg.name for api in scenario.apis.values() for arg in api.args if arg.optional})


def _request_fields(own: list["Template"]) -> list[str]:
    return sorted({t.acts[0][1] for t in own if len(t.acts) == 1 and t.acts[0][0] is Act.REQUEST})


def _carriers(scenario: Scenario, own: list["Template"]) -> Iterator[dict]:
    """The scenario's own one-act phrasings inside carrier phrases: joinable ones ("can you
    find me a flight to {destination}") and whole turns ("hi, could you find me a flight?",
    "um, I'd say from {origin}")."""
    starters = _starting_apis(scenario)
    for t in own:
        if (t.acts and (len(t.acts) != 1 or not t.text[:1].isalpha())) or GREETING.match(t.text):
            continue  # nothing goes before a greeting: not "okay, hi, ...", nor "hello, hi, ..."
        if not t.acts and len(t.slots) != 1:
            continue
        act, target = t.acts[0] if t.acts else (Act.INFORM, None)
        if act is not Act.INFORM and t.source == "default":
            continue
        inner = _lower(t.text)
        fields = dict(acts=t.acts, slots=t.slots, select_item=t.select_item, confirming=t.confirming)
        if act is Act.INFORM:
            for text in _inform_wholes(t, inner):
                yield dict(text=text, whole=True, **fields)
            for text in _inform_parts(t, inner):
                yield dict(text=text, **fields)
            continue
        frames: tuple[str, ...]
        wholes: list[str] = []
        if act is Act.REQUEST and not t.text.lower().startswith(("and ", "also ", "what about")):
            frames = _REQUEST_CARRIERS
        elif act is Act.INVOKE:
            words_ = t.text.split()
            verb = words_[0].lower() in _VERBS
            frames = _INVOKE_CARRIERS + (_VERB_CARRIERS if verb else ())
            if verb and (len(words_) < 2 or words_[1].lower() not in ("me", "us")):
                frames += _wants(inner)  # "I'd like to find a flight to {destination}"
            cores = [inner] + [f.replace("{t}", inner) for f in (_VERB_CARRIERS if verb else ())]
            if verb and not t.slots:
                cores += [f.replace("{t}", inner) for f in _VERB_QUESTIONS]
            if verb and (len(words_) < 2 or words_[1].lower() not in ("me", "us")):
                cores += [f.replace("{t}", inner) for f in _wants(inner)]
            if not t.slots:
                cores += [f"{inner}, please", f"{inner} please"]  # whole: not "a flight, please leaving Monday"
                tailed = [f"{c} {tail}" for c in cores if not c.endswith("?") for tail in _INVOKE_TAILS
                          if not ("please" in tail and "please" in c) and not (tail == "for me" and " me" in c)]
                wholes += _kept(tailed, 0.6 * len(cores) / max(1, len(tailed)))
            wholes += cores[1:]
            if target in starters:
                greeted = _kept([f"{g}, {_lower(c)}" for g in _GREETINGS for c in cores], 0.4)
                wholes += greeted
                frames += tuple(f"{g}, {{t}}" for g in _GREETINGS)
                if verb:  # "hi, could you find me a flight to {destination}"
                    wants = _wants(inner) if not (words_[1:2] and words_[1].lower() in ("me", "us")) else ()
                    frames += tuple(_kept([f"{g}, {f}" for g in _GREETINGS for f in _VERB_CARRIERS + wants],
                                          0.2))
        else:
            continue
        if t.polite:  # "sushi, please please"
            frames = tuple(f for f in frames if "please" not in f)
            wholes = [w for w in wholes if w.count("please") < 2]
        if t.closing:  # "the 21st works works for me": nothing goes after what ends a turn
            frames = tuple(f for f in frames if not f.startswith("{t}"))
        for frame in frames:
            yield dict(text=frame.replace("{t}", inner), **fields)
        if t.slots:  # a whole turn with a value would also have to say all the others
            wholes = []
        for text in wholes:
            yield dict(text=text, whole=True, **fields)


def _inform_wholes(t: "Template", inner: str) -> list[str]:
    """One value phrasing of the scenario's as a whole answer: hedged, with a subject, a
    named slot or a tail, maybe after a marker ("um, I'd say from {origin}", "the
    destination is {destination}", "leaving {date} if possible"). Most answers are plain
    or framed; tails and markers are kept to a share of them."""
    (slot,) = t.slots
    w = words(slot)
    first = inner.split(None, 1)[0].lower()
    cores: list[tuple[str, bool]] = [(inner, False)]  # (core, hedged)
    if t.bare or t.leads_with_value or first in _NOUN_STARTS:
        cores += [(f"{h} {inner}", True) for h in _HEDGES]  # not "maybe let's do {cuisine}"
    elif t.continues:  # "ideally from {origin}": a few, else most answers would hedge
        cores += [(f"{h} {inner}", True) for h in _HEDGES
                  if h in _PHRASE_HEDGES and zlib.crc32((h + inner).encode()) % 3 == 0]
    if t.bare:
        cores += [(f.replace("{t}", inner), False) for f in _BARE_FRAMES]
        singular = not w.endswith("s") or w.endswith("ss")
        cores += [(f.format(w=w, t=inner), False) for f in _NAMED_FRAMES if singular or f.startswith("{w}:")]
    elif first.endswith("ing"):  # "leaving from {origin}": "I'm leaving from Boston"
        cores += [(f.replace("{t}", inner), False) for f in _SUBJECTS]
    elif first == "for":
        cores += [(f.replace("{t}", inner), False) for f in _FOR_FRAMES]
    elif first in _PREPOSITIONS:  # "to {destination}": "it'd be to Boston", "something with Delta"
        cores += [(f.replace("{t}", inner), "ideally" in f or "prefer" in f) for f in _PREP_FRAMES]
    tailed = []
    for core, hedged in cores:
        if not core.endswith("}") or (t.closing and core.endswith(inner)):
            continue  # "Boston works please": a tail only after the value
        for tail in _TAILS:
            if (hedged and tail in _HEDGE_TAILS) or (t.polite and "please" in tail):
                continue
            tailed.append(core + tail if tail.startswith(",") else f"{core} {tail}")
    plain = [core for core, _ in cores[1:]]
    tailed = _kept(tailed, 0.8 * len(cores) / max(1, len(tailed)))
    opened = _kept([f"{o}, {c}" for o in _OPENERS[Act.INFORM] for c in [inner] + plain + tailed
                    if not c.startswith(f"{w}:")],  # "um, destination: Boston" is no one's answer
                   1.0 * (len(cores) + len(tailed)) / (len(_OPENERS[Act.INFORM]) * (len(cores) + len(tailed))))
    return plain + tailed + opened


def _inform_parts(t: "Template", inner: str) -> list[str]:
    """One value phrasing of the scenario's said another way that also fits inside a longer
    turn: its verb in other words of the same meaning ("heading to Denver" for "going to
    Denver"), or after one hedge ("find me a flight, ideally with Delta"). Nothing after the
    value: what follows it is the next piece."""
    if t.bare:
        return []
    first = inner.split(None, 1)[0].lower()
    out = [replacement + inner[m.end():] for pattern, replacements in _PHRASE_REWORDINGS
           if (m := pattern.match(inner)) for replacement in replacements]
    if first in _PREPOSITIONS or first.endswith("ing"):
        out.append(f"{_PART_HEDGES[zlib.crc32(inner.encode()) % len(_PART_HEDGES)]} {inner}")
    return out


def _starting_apis(scenario: Scenario) -> frozenset[str]:
    """APIs a dialogue can open with (the dependency graph's roots: no required argument
    only another API's result gives): "hi, book a table at Juniper" greets, "hi, book it"
    would greet in the middle of a conversation."""
    return frozenset(DependencyGraph(scenario).roots())
