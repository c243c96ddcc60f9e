"""The built-in English phrasebook of the system's generic responses.

A scenario author writes the responses whose wording matters to them (two variants is
typical) and the loader generates the rest; said thousands of times, either sounds like a
machine. ``response_variants`` composes, for one response, what the system may say in
each *context* the policy knows:

- ``Context.PLAIN`` (any turn): the scenario's own texts (``OWN_SHARE`` of the time), plus
  the phrasebook's for the generic acts: requests in words that fit what the slot holds (a
  place to leave from or go to, a travel date, a count of people, a city...), value
  confirmations, nothing found, a failure, "anything else?", generated offers and result
  fields; the scenario's own confirmations, offers and results reworded at a sentence's
  opening (``_LEADS``: "Shall I" / "Do you want me to"), its offers and confirmations asked
  with other leads and tails ("If you'd like, I can book it. Want me to?"), and any text's
  prepositional chunks reordered ("flights for {date} to {destination} from {origin}", a
  route and a trip's date in other words: "out of {origin}", "leaving {date}"); a list of
  results may be announced with its count (``Variants.counted``: "I found two flights:
  ...") or in other frames ("Here's what came up: ..."). Most wordings are composed, a
  lead, a body and a tail ("Could you tell me" + "where you're leaving from" + ", please?";
  "Just to be sure, " + "you're leaving from {origin}" + ", right?"). Requests,
  confirmations, results and "anything else?" may open with an acknowledgement that fits
  what they follow: a request may follow a "no", so never "Great." there; a confirmation
  follows a value just given, so "Thanks." fits; a field of a result in hand ("It's from
  the album After Hours.") makes no call, so never "One moment." or "Let me check.";
- ``IMPLICIT``: a confirmation that echoes the values and goes on ("Okay, booking Delta at
  9 am for 2."), where ``PLAIN`` asks ("Shall I book ...?"); it may wait for the call
  ("Looking for flights to Boston. One moment.": a closer, below);
- ``SEVERAL``: an offer after a list with nothing picked from it: never "book it";
- ``COMPLETED`` / ``THANKED`` / ``FAILED`` / ``ABANDONED``: the goodbye, by how the dialogue
  went ("Enjoy the movie!" only after it went well): a farewell opened with a word of
  thanks or regret; an answer to thanks ("You're welcome.", "My pleasure.") only where the
  customer thanked (``THANKED``).

A response may also end with a *closer* (``Variants.closers``), a sentence after its final
stop that changes nothing it means: "Take your time." after a list of results, "One
moment." after an echo, "A different search might turn something up." after nothing found.

Said 12,000 times in 2,000 flights dialogues, the system's turns were 38 % distinct; with
this variety about two thirds are (``bench/realism.py`` measures it). Its words between
values had a quarter of the customer's bigram types; the compositions bring them to about
half. Over equal budgets of bigrams, the system's distinct bigrams are 0.95 to 1.17 times the
customer's phrasing (noise off, 2,000 dialogues of each example scenario; real systems, SGD's,
1.10): the tables say each act in many registers, with new content words, as a concierge, a
call centre or a voice assistant would, not the same words recombined. Openers and closers are
read apart, so they multiply wordings without multiplying the texts the reply reader compiles
(flights: 26,000 texts and 6,000 openers and closers, built in under a second).

``said_texts`` gives what reads a system's text back (``dialogsim.testing``'s reply
reader) every text a response can be said with and, apart, the openers that may go before
them and the closers that may follow; ``all_texts`` lists texts and openers joined. Texts are templates with the response's
``{placeholders}``; a text ending in "?" asks.
"""

from __future__ import annotations

import itertools
import re
from typing import Mapping, NamedTuple

from dialogsim.booleans import BOOLEAN
from dialogsim.paraphrase.slot_kinds import (
    COUNT_WORDS,
    DESTINATIONS,
    ORIGINS,
    ROUTES,
    TRIP_DATES,
    slot_kind,
)
from dialogsim.paraphrase.system_context import contextual
from dialogsim.schema import ResponseAct, ResponseTemplate, Scenario
from dialogsim.state import Context
from dialogsim.wording import ABOUT, ACTING, acts, first_word, plural, spoken_list, words

__all__ = ["IMPLICIT", "SEVERAL", "COMPLETED", "THANKED", "FAILED", "ABANDONED", "OWN_SHARE", "GENERIC_SHARE", "OPENER_RATE",
           "COUNT_SHARE", "VALUED_SHARE", "REQUEST_OPENER_RATE", "CLOSER_RATE", "Variants",
           "response_variants", "with_opener", "mid_turn", "all_texts", "said_texts", "enjoyed"]

IMPLICIT, SEVERAL = Context.IMPLICIT, Context.SEVERAL
COMPLETED, THANKED, FAILED, ABANDONED = Context.COMPLETED, Context.THANKED, Context.FAILED, Context.ABANDONED

OWN_SHARE = 0.25  # how often a response with phrasebook variants says one of the scenario's own
# ... but for the generic acts ("anything else?", nothing found, a failure, the goodbye), where the
# author's words matter least, a third as often (``GENERIC_SHARE``): one "Anything else?" in three
# replies read as canned. (Sharing the own draw with six of the phrasebook's, as before, said those
# six a hundred times each in 2,000 dialogues.)
GENERIC_SHARE = OWN_SHARE / 3
_GENERIC = (ResponseAct.REQMORE, ResponseAct.NO_RESULTS, ResponseAct.FAILURE)
OPENER_RATE = 0.4  # how often a confirmation or a result opens with an acknowledgement
REQUEST_OPENER_RATE = 0.65  # ... and a request for a value: "Got it. And what day?" (never a pick among results)

# Openers by what they may follow. A request may follow a "no" (a value denied, asked
# again), so it opens only with words that fit after anything ("Okay, ", "No problem. "),
# never "Great." or "Perfect."; a confirmation always follows a value the customer just
# gave, so it may thank or approve; a result follows the call, so it may say "let me check".
_ACKS = ("Okay. ", "Got it. ", "Alright. ", "Sure. ", "No problem. ", "Right. ", "Sure thing. ", "Noted. ",
         "Understood. ", "Okay then. ", "Alright then. ", "Of course. ", "Certainly. ", "All right. ",
         "Sure, no problem. ", "I see. ", "Gotcha. ", "No worries. ", "Absolutely. ",
         "Alrighty. ", "Okay, I see. ", "Sure, of course. ", "Okay, understood. ", "Right you are. ", "Sure, got it. ",
         "Alright, got it. ", "Okay, noted. ", "Right, okay. ")
_JOINS = ("And ", "Now, ", "Next, ", "So ", "And now, ", "Okay, now ", "Also, ", "Then ", "Moving on, ", "Next up, ",
          "Let's see, ", "Just one thing: ", "One question: ", "Next question: ")
_NEUTRAL = _ACKS + _JOINS + ("Okay, ", "Sure, ", "Alright, ", "Right, ", "Okay then, ", "All right, ", "Okay, and ",
                              "Alright, and ", "Now then, ", "Okay, so ", "Alright, so ", "Right, and ") + tuple(
    a + j for a in _ACKS for j in _JOINS[:5])
_GIVEN = ("Okay, ", "Sure, ", "Alright, ", "Got it. ", "Thanks. ", "Great. ", "Perfect. ", "Okay. ", "Thank you. ",
          "Alright. ", "Sounds good. ", "Great, ", "Excellent. ", "Got it, ",
          "Okay, thanks. ", "Got it, thanks. ", "Great, thanks. ", "Noted. ", "Understood. ", "Thanks, ",
          "Okay, got it. ", "Right, ", "Sure thing. ", "Lovely. ", "Okay, great. ", "Great, thank you. ",
          "Perfect, thanks. ", "Thanks for that. ", "Got it, thank you. ", "Alright, thanks. ", "Wonderful. ",
          "Lovely, thanks. ", "Brilliant. ", "Cool. ", "Great stuff. ", "Super. ", "Fantastic. ", "Okay, lovely. ",
          "Thanks a lot. ", "Good stuff. ", "Awesome. ", "Sounds great. ", "Okay, perfect. ", "Thanks so much. ",
          "Lovely, got it. ", "Okay, noted. ", "Perfect, got it. ", "Great, that helps. ", "Okay, that works. ",
          "Great, noted. ", "Thanks, that's helpful. ", "Got it, noted. ", "Super, thanks. ", "Brilliant, thanks. ",
          "Cool, thanks. ", "Wonderful, thank you. ", "Excellent, thanks. ", "Nice, thanks. ")
# Before the scenario's own echo of a call ("Checking the weather in {city}."): it answers
# the request or a yes, so it may acknowledge; never "One moment.", which a result may open with.
_ECHO_OPENERS = ("Okay, ", "Sure, ", "Alright, ", "All right, ", "Got it, ", "Okay then, ", "Sure thing, ", "Right, ",
                 "Got it. ", "Okay. ", "Alright. ", "Sure. ", "Of course. ", "Okay, great. ", "No problem, ",
                 "Certainly, ", "Absolutely, ", "Of course, ", "Perfect, ", "Great, ", "Thanks, ", "Right then, ",
                 "Okay, thanks. ", "Sounds good. ", "Understood. ", "Great, thanks. ", "Okay, on it. ", "On it. ",
                 "You got it. ", "Coming right up. ", "Will do. ", "Sure, happy to. ", "Okay, no problem. ",
                 "Alright, on it. ", "Right away. ", "Okay, leave it with me. ", "Leave it with me. ", "Got it, thanks. ",
                 "Thanks for that. ", "Noted. ", "Sure, I can do that. ", "Okay, I can do that. ", "Happy to. ",
                 "With pleasure. ", "Sure, let's do it. ", "Okay, let's do it. ", "Alright, let's see. ",
                 "Great, let's go. ", "Okay, let's see. ", "Right, let's have a look. ", "Sure, leave it to me. ",
                 "No problem at all. ", "Of course, happy to. ", "Okay, will do. ", "Sounds good, ", "Perfect. ",
                 "Good idea. ", "Happy to help with that. ", "Let's take a look. ", "Sure, let's take a look. ",
                 "Okay, let's find out. ", "Let me help with that. ", "Right you are. ", "Very good. ",
                 "I can help with that. ", "Good thinking. ", "Sure, I'm on it. ", "Okay, I'll sort that. ",
                 "Great, let's get started. ", "Sure, let's get that sorted. ", "Okay, let's get going. ",
                 "Okay, leave that to me. ",
                 "Consider it in hand. ", "No trouble at all. ", "That's easy enough. ", "Okay, let's get to it. ")
# After an echo, before the call it announces ("Looking for flights to Boston. One moment."):
# what a person says while they look; the result then opens with no "One moment." (``mid_turn``).
_WAIT_TAILS = ("One moment.", "Just a second.", "Give me a moment.", "Bear with me.", "Hang on a second.",
               "This will only take a moment.", "One moment, please.", "Just a moment.", "Won't be a second.",
               "Hold on a moment.", "Give me just a second.", "This should be quick.", "Bear with me a moment.",
               "I'll have an answer in a second.", "Just a sec.", "Hang tight.", "This won't take long.",
               "One second, please.", "Just give me a moment.", "I'll be right back with that.",
               "It'll just take a moment.", "Hold tight.", "Please bear with me.", "Let me see what comes up.",
               "I'll let you know what I find.", "Results in a moment.", "Give me a few seconds.",
               "I'll be quick.", "Almost there.", "Just a couple of seconds.", "Shouldn't take long.",
               "I'll only be a moment.", "Back in a second.", "This takes just a moment.", "Bear with me for a second.",
               "Hang on a moment.", "Give me a second here.", "One moment while I look.", "Just a moment while I check.",
               "I'll have something for you shortly.", "It won't be long.", "Just bear with me.", "Nearly there.",
               "Hold on just a second.", "Let me see what I can find.", "Let's see what's out there.",
               "I'll see what turns up.", "Let's see what comes back.", "I'll tell you what I find.",
               "Just a few seconds.", "Only a moment.", "One sec.", "I won't keep you long.", "Please hold on a moment.",
               "Thanks for waiting.", "Thanks for your patience.", "I'll be right with you.", "Won't be long now.",
               "Give me two seconds.", "This should only take a second.", "Hang on while I look.",
               "I'm checking now.", "The search is running.", "I've started the search.",
               "Searching as we speak.", "Results are on the way.", "The results should be up shortly.",
               "I'll have results in a jiffy.", "I'm on it.", "Working on it.", "Just working on that now.",
               "Stay with me a moment.", "Please give me a moment.", "Just hold on a second.", "Two ticks.",
               "Back in a flash.", "It'll be ready in a second.", "Should be just a moment.",
               "Let me see what there is.", "I'll see what's out there.", "Let's see what I can dig up.",
               "Let's see what turns up.", "I'll get back to you in a moment.", "Just a tick.",
               "Hold on while I check.", "One moment while I search.", "I'm looking now.", "Let me dig around.",
               "I'll be just a moment.", "Give me one moment.", "Just a little moment.", "I'm pulling it up now.",
               "The system's checking now.", "Fetching that for you now.", "I'm just loading that.",
               "I'll have it on screen in a second.", "Loading it up now.", "Bear with me while it loads.",
               "I'm waiting on the results.", "Won't keep you waiting.",
               "It'll be ready in a few seconds.", "Just a few moments.", "Give me a few moments.", "I'll be done in a second.")
# Before an offer after a list with nothing picked (``SEVERAL``), now and then: the list is done
# (not "take your time": the list's closers say that, ``_BROWSE``, and both would say it twice).
_LIST_DONE = ("Those are all the options I have.", "Those are the ones available.", "Those are all the matches.",
              "Those are your choices.", "Those are the results.", "Those are the options right now.",
              "Those are all I could find.", "Those are what's available right now.",
              "Those are the choices I've got.", "That's the full list.",
              "That's everything that came up.", "That's all I could find.", "Those are the best matches.",
              "That's the lot.", "Those are the only ones.", "That's all there is right now.", "Those are what I've got.",
              "That covers everything.", "That's all of them.", "Those are all the ones that fit.",
              "Those are all the results.", "That's everything available.", "Those are the ones that match.",
              "I think that's all of them.", "That's the complete list.", "Those are all the ones I can see.",
              "That's all that came back.", "Those are all my options.", "That's it for options.",
              "I've gone through everything I found.", "Nothing else came up.", "I couldn't find any others.",
              "Those are all that fit what you asked for.", "I've listed everything that matched.",
              "There aren't any more than that.", "Those are your best bets.", "Those are all the ones on offer.")
# Closers: a short sentence after a response's own final stop, read apart like openers (the
# reply reader strips a known closer of the response from a piece's end), so they multiply
# wordings without multiplying listed texts. Never a question (it would read as another
# act), nor what a text with a value may read as ("That's sorted." as "That's {time}."); each
# fits whatever the policy says next ("Want me to book one?", "Anything else?") and any count.
CLOSER_RATE = 0.45  # how often a response that has closers ends with one
LIST_DONE_RATE = 0.5  # how often an offer among several results first says the list is done
WAIT_RATE = 0.7  # ... and an echo with a word that waits for the call ("One moment.")
_BROWSE = ("Take your time.", "No rush.", "Have a look.", "There's no hurry.", "Have a think.", "No need to rush.",
           "Take as long as you need.", "See what you think.", "Feel free to take a moment.", "Have a good look.",
           "Have a browse.", "Take a moment to look.", "No pressure.", "Have a look and see what you think.",
           "Take all the time you need.", "Have a quick look.", "Have a look at the details.",
           "Give it some thought.", "Have a think about it.", "Let me know what catches your eye.",
           "Let me know what you think.", "See what works for you.", "Whatever suits you best.",
           "No hurry at all.", "Take a minute if you need it.", "I'm here when you're ready.",
           "Just let me know.", "Have a read through.", "Feel free to think it over.", "Have a look over the details.",
           "Mull it over if you like.", "Take a look at the details.", "Have a careful look.", "Look through at your own pace.",
           "No need to decide straight away.", "You can take a moment to decide.", "Think it over if you need to.",
           "Let me know your thoughts.", "Whenever you're ready.", "Tell me what you think.", "Go at your own pace.",
           "Have a good think.", "Have a proper look.", "Take a second to look.",
           "Let me know how that looks.", "See how that looks to you.", "Have a peek.", "I'm happy to wait.",
           "Let me know what appeals.", "I'll wait while you decide.", "Let me know if anything stands out.",
           # (said after a list of one too: never "Any of them could work.", "Compare them ...")
           "Your call.", "Weigh up what matters most to you.", "Go with whatever feels right.",
           "Think about what suits your schedule.", "Happy to tell you more.", "I can tell you more if you like.",
           "Ask me if you'd like more details.", "I can fill you in on the details.", "Just ask if anything's unclear.",
           "Let me know if you have questions.", "Happy to answer any questions.", "No need to decide right this second.")
_SORTED = ("You're all set.", "All taken care of.", "All sorted.", "Everything's in place.", "Everything's sorted.",
           "All done and dusted.", "Everything's taken care of.", "You're good to go.", "Everything's set.",
           "All good to go.", "Everything went through.", "It all went through fine.", "You're all sorted.",
           "Nothing more to do there.", "All finished.", "Job done.", "All wrapped up.", "Everything's ready.",
           "No further steps needed.", "All complete.", "You're all squared away.", "Consider it done.",
           "All in hand.", "Nothing else needed.", "Everything's gone through.", "All sorted on my end.", "You don't need to do anything else.", "Everything's in order.", "Mission accomplished.")  # after the result of a call that acts
_HOPE = ("Hope that helps.", "Hope that's useful.", "Hope that's what you needed.", "Hope that answers it.",
         "I hope that helps.", "Hope that's helpful.", "Hope that's useful to know.", "Hope that's what you were after.",
         "Hope that's the answer you needed.", "Hopefully that helps.", "Hopefully that's useful.",
         "Hope that's handy.", "Hope that helps you plan.", "Hopefully that answers it.", "Hope that clears it up.",
         "Hope that's good to know.", "Hopefully that's what you wanted.", "I hope that's useful.",
         "Hope that's what you were looking for.", "Hopefully that clears things up.", "Hope that gives you an idea.",
         "Hope that's a help.", "Hopefully that's handy to know.", "Hope that's the info you needed.",
         "Hopefully that's the detail you were after.", "Hope that fills in the picture.",
         "Hope that comes in useful.", "Hope that settles it.")  # after a looked-up answer that is no list
_RETRY = ("A different search might turn something up.", "Changing a detail or two might help.",
          "It might help to change a detail or two.", "We can always try a different search.",
          "A slightly different search might do better.", "Tweaking the details might help.",
          "Other details might work better.", "We can always look again with other details.",
          "Something a little different might work.", "Changing one detail could make a difference.",
          "A small change might turn something up.", "Different details could bring up more.",
          "I'm happy to search again.", "I can always search again.", "We could try again with other details.",
          "Loosening the criteria a little might help.", "A broader search could find more.",
          "I can widen the search if you like.", "We might have more luck with different details.",
          "Sometimes a small change does the trick.", "I'm glad to look again with something else.",
          "We can always adjust the search.", "Another search might have better luck.")  # after a search found nothing
_REGRET = ("Sorry about that.", "My apologies.", "I'm sorry about that.", "Apologies for that.",
           "Sorry for the trouble.", "I'm really sorry.", "Sorry about the inconvenience.", "Apologies for the trouble.",
           "My apologies for that.", "I'm sorry for the trouble.", "I know that's not what you wanted.",
           "I wish I had better news.", "Not the news you wanted, I know.", "Apologies for the inconvenience.",
           "I know that's frustrating.", "Sorry for the hassle.", "I'm sorry it didn't work out.",
           "Sorry I couldn't make it happen.", "I'm sorry for any inconvenience.")  # after a deed that could not be done
_PICKED = ("Great choice. ", "Good choice. ", "Nice pick. ", "Good pick. ", "Excellent choice. ", "Nice choice. ",
           "Good call. ", "Solid choice. ", "Great pick. ", "That's a good one. ", "Lovely choice. ", "Smart choice. ",
           "Nice one. ", "Good option. ", "Fine choice. ", "Popular choice. ", "Great option. ", "Sensible choice. ",
           "That one's a good pick. ", "I like that one. ", "Good one. ", "Wise choice. ", "Great selection. ",
           "Nice selection. ", "Top choice. ", "Ooh, good choice. ", "Can't go wrong with that one. ",
           "That's a popular one. ", "Excellent pick. ", "Good shout. ", "Lovely pick. ")  # before confirming a call that takes a picked item
# "anything else?" first in a turn follows a "no" to an offer or a thanks: "No problem." fits both.
_OPENED = {ResponseAct.REQUEST: _NEUTRAL, ResponseAct.REQMORE: ("So, ", "Now, ", "So ", "Okay. ", "Alright. ",
                                                               "No problem. ", "Sure thing. ", "Okay, so ", "Alright, so ",
                                                               "Okay then. ", "Alright then. ", "All right. ", "Well, ",
                                                               "Of course. ", "No worries. ", "Sure. ", "Okay, well, ",
                                                               "Alright, well, ", "Okay then, ", "Right. ", "Right, so ",
                                                               "Well then, ",
                                                               "So then, ", "Anyway, ", "Okay, anyway, ", "Right then. ",
                                                               "No problem at all. ", "Sure, no problem. ",
                                                               "Okay, no worries. ", "Alright, no problem. "), ResponseAct.CONFIRM_ARGS: _GIVEN, ResponseAct.CONFIRM_API: _GIVEN,
           ResponseAct.INFORM: ("Okay, ", "Alright, ", "Sure, ", "Let me see. ", "Let me check. ", "One moment. ",
                                "Let me look that up. ", "Just a second. ", "Okay, let me see. ",
                                "Alright, let me check. ", "Give me a moment. ", "Let me take a look. ",
                                "Okay, just a moment. ", "Just a sec. ", "Hang on. ", "Just a moment. ",
                                "Let me pull that up. ", "Alright, just a second. ", "Okay, let me look. ",
                                "Alright, let me see. ", "Okay, here we go. ", "Right, let me check. ",
                                "Let me have a look. ", "Okay, let me take a look. ",
                                "Here we go. ", "Alright, here we are. ", "Okay, checking now. ", "Let me see here. ",
                                "Alright then. ", "Right then. ", "Okay, here goes. ",
                                "Let me just check. ", "Okay, let me pull that up. ", "Alright, let me have a look. ",
                                "Right, let me see. ", "Let me see now. ", "Okay, I've got that for you. ",
                                "Right, I've got it. ", "Okay, got that. ", "Right, here goes. ",
                                # (after an echo, mid-turn: no acknowledgement, look-up or wait, so "Here we go. "
                                # alone was left, two in five results after an echo opened with it)
                                "Here we are. ", "There we go. ", "Now, ", "There we are. ", "Here you are. "),
           ResponseAct.OFFER: ("So, ", "And ", "Also, ", "So ", "By the way, ", "Oh, and ", "One more thing, ",
                               "Oh, by the way, ", "Before I forget, ", "And by the way, ", "Also, by the way, ", "Oh, also, ",
                               "And since we're here, ", "One other thing, ", "Now, ", "Now then, ", "Incidentally, ",
                               "On another note, ", "Oh, ", "Well, ", "So then, ", "Right, so ", "Anyway, ",
                               "Also, just so you know, ", "Oh, one more thing, ", "And also, ",
                               "Quick thought, ", "One last thing, ", "Just a thought, ", "Just one more idea, ",
                               "If it's useful, ", "Before you go, ", "Oh, and another thing, ")}
_LOOKING = re.compile(r"\b(?:see|check|look|pull)\b", re.IGNORECASE)  # openers that look something up
# Openers that wait for a look-up: not before a result an echo already waited for (``mid_turn``).
_WAITING = re.compile(r"^(?:one (?:moment|second)|just a (?:second|moment|sec)|give me a moment|hang on)\b", re.IGNORECASE)
# Before a field of a result in hand ("It's from the album After Hours."): no call is made, so
# no "One moment." or "Let me check."; it acknowledges the question.
_FIELD_OPENERS = ("Okay, ", "Alright, ", "Sure, ", "Sure. ", "Okay. ", "Sure thing. ", "Right, ", "Of course. ",
                  "Alright. ", "So, ")
# A text that already opens with an acknowledgement or a joining word gets no opener ("Sure, okay, ...").
# An acknowledgement: it answers what the customer said, so it opens the system's turn;
# after another response of the same turn ("...found nothing. Okay, where to?") it reads badly.
_ACK = re.compile(r"^(?:okay|ok|sure|alright|alrighty|all right|got it|gotcha|great|good|nice|perfect|thanks|thank you|"
                  r"right|no problem|no worries|sounds good|excellent|noted|understood|of course|certainly|absolutely|"
                  r"i see|lovely|brilliant|cool|super|fantastic|awesome|wonderful)\b", re.IGNORECASE)
_ACKNOWLEDGED = re.compile(r"^(?:okay|ok|sure|alright|alrighty|all right|got it|gotcha|great|perfect|thanks|thank you|"
                           r"and|now|right|no problem|no worries|so(?! long)|sounds good|excellent|noted|understood|of course|"
                           r"certainly|absolutely|let me|one moment|just a)\b", re.IGNORECASE)

_REQMORE = ("Can I help with anything else?", "Is there anything else I can do for you?", "Anything else?",
            "Is there anything else you need?", "What else can I do for you?", "Can I help you with something else?",
            "Do you need anything else?", "Anything else I can help you with?", "Is there something else I can help with?",
            "Would you like help with anything else?", "Anything else I can do?", "Need anything else?",
            "Is there anything else?", "Can I do anything else for you?", "Would you like anything else?",
            "Can I help you with anything else today?", "Anything more I can help with?", "Anything else today?",
            "Is there anything more I can do for you?", "Can I help with something else?", "Anything else for you?",
            "Is there anything else you'd like to do?", "Do you need help with anything else?",
            "Can I get you anything else?", "Is there anything else I can help you with?", "Anything else you need?",
            "Can I do anything more for you?", "Is there something else you need?", "Do you need help with anything else today?",
            "What else can I help you with?", "Anything else I can help with today?", "Is there anything else I can do?",
            "Would you like anything else today?", "Can I help you with anything more?", "How else can I help?",
            "How else can I help you today?", "Any other questions?", "Any other way I can help?",
            "Was there anything else?", "Was there something else you needed?", "Want help with anything else?",
            "Shall I look into anything else?", "Any other requests?", "Besides that, is there anything else?",
            "Other than that, can I help with anything?", "Apart from that, anything else I can do?",
            "What else is on your list?", "Is that everything?", "Is that all for now?", "Will that be all?",
            "Anything else on your mind?", "Is there more I can do?", "Can I help with one more thing?",
            "What else do you need?", "What would you like to do next?", "Did you need anything else?",
            "Is that it for today?", "Are you all set?", "Is that all you needed?", "Anything I can add?",
            "What else can I take care of?", "Is there one more thing I can do for you?", "What else would you like?",
            "Did you want anything else?", "Can I do one more thing for you?", "What else is on your mind?",
            "Are we all done here?", "Is there anything left to sort out?", "Anything left on your list?",
            "Is there anything else I can sort out for you?", "Anything else I can look up for you?",
            "Got any other questions for me?", "Anything else you'd like to check?", "Need help with something else?",
            "Is there anything further I can assist with?", "Can I assist you with anything further?",
            "How else may I assist you?", "Is there any other way I can be of assistance?",
            "Anything else you'd like to ask?", "What else would you like to know?", "Did you have any other requests?",
            "Is there anything else you were hoping to get done?", "Can I do anything else to help?",
            "Do you have everything you need?", "Have you got everything you need?", "Any more questions?",
            "Any other questions I can answer?", "What's next on your list?",
            "Is there anything else you'd like to go over?", "Can I be of any further help?",
            "Is there anything else I can help you track down?", "Any other errands for me?",
            "Is there anything else you'd like me to take a look at?", "Can I help you plan anything else?",
            "Are you after anything else?", "Should I look up anything else?", "Would you like to try something else?")
_MORE = ("anything else", "something else", "anything more", "anything further", "one more thing", "anything at all")
_MORE_FRAMES = ("Is there {x} I can help with{t}?", "Can I help with {x}{t}?", "Do you need {x}{t}?",
                "Is there {x} you need{t}?", "{X}{t}?", "Can I do {x} for you{t}?", "Would you like help with {x}{t}?",
                "Is there {x} you'd like to do{t}?", "Is there {x} I can look up{t}?", "Can I help you with {x}{t}?",
                "Is there {x} I can take care of{t}?", "Can I sort out {x} for you{t}?", "Is there {x} on your list{t}?",
                "Can I assist with {x}{t}?", "Is there {x} I can find for you{t}?", "Need a hand with {x}{t}?",
                "Can I look into {x} for you{t}?", "Is there {x} I can assist you with{t}?",
                "Is there {x} I can do to help{t}?", "Can I help out with {x}{t}?", "Is there {x} you'd like me to handle{t}?",
                "Is there {x} I can check on{t}?", "Can I be of help with {x}{t}?", "Is there {x} you'd like help with{t}?",
                "Is there {x} you want to take care of{t}?", "Should I look into {x}{t}?", "Can I handle {x} for you{t}?",
                "Would you like a hand with {x}{t}?", "Any chance I can help with {x}{t}?",
                "Do you have {x} for me{t}?", "Got {x} for me{t}?", "Is there {x} you'd like to know{t}?",
                "Is there {x} I can get for you{t}?", "Can I take care of {x}{t}?", "Shall I help with {x}{t}?",
                "Is there {x} on your mind{t}?", "Is there {x} you were hoping to do{t}?", "Do you want help with {x}{t}?",
                "Can I get you {x}{t}?", "Is there {x} I can sort out{t}?", "Is there {x} I should look at{t}?",
                "Is there {x} you'd like to go over{t}?", "Would you like me to look at {x}{t}?",
                "Is there {x} I can help you find{t}?", "Can I help you sort out {x}{t}?", "Do you need me to do {x}{t}?",
                "Is there {x} you'd like me to check{t}?", "Can I walk you through {x}{t}?", "Is there {x} you're after{t}?",
                "Can I lend a hand with {x}{t}?", "Is there {x} that needs doing{t}?", "Do you have {x} you need{t}?",
                "Is there {x} you wanted to ask{t}?", "Should we look at {x}{t}?",
                "Is there {x} you'd like a hand with{t}?", "Would you like me to take care of {x}{t}?",
                "Is there {x} you'd like me to look into{t}?", "Do you need a hand with {x}{t}?",
                "Is there {x} I can do for you{t}?", "Can I sort {x} out for you{t}?", "Is there {x} you're hoping to find{t}?",
                "Do you want me to look into {x}{t}?", "Is there {x} I can handle for you{t}?",
                "Would you like to do {x}{t}?", "Is there {x} I can arrange for you{t}?",
                "Can I help you get {x} done{t}?", "Was there {x} you needed{t}?", "Is there {x} I can pull up for you{t}?",
                "Are you after {x}{t}?", "Is there {x} left to do{t}?", "Is there {x} I can track down for you{t}?",
                "Can I help you figure out {x}{t}?", "Is there {x} I can set up for you{t}?", "Can I answer {x} for you{t}?",
                "Is there {x} you'd like me to find out{t}?", "Would you like to ask about {x}{t}?",
                "Is there {x} you'd like to add{t}?")
_REQMORE_COMPOSED = tuple(dict.fromkeys(
    f.replace("{X}", x.capitalize()).replace("{x}", x).replace("{t}", t)
    for f in _MORE_FRAMES for x in _MORE for t in ("", " today", " while you're here", " before you go", " right now",
                                                   " for now", " while we're at it", " while I'm here",
                                                   " before we wrap up", " before we finish",
                                                   " before you head off")))
_NO_RESULTS = ("Sorry, I couldn't find anything for that.", "Sorry, nothing matched that.",
               "I'm sorry, I didn't find anything that matches.", "Hmm, I couldn't find any matches for that.",
               "Unfortunately there's nothing available for that.", "Sorry, I came up empty on that one.",
               "I looked, but nothing came up for that.", "Sorry, I couldn't find anything like that.",
               "I'm afraid nothing matches that.", "Sorry, there's nothing that fits.",
               "I didn't find any matches, sorry.", "Sorry, I don't see anything for that.",
               "I'm sorry, there aren't any matches for that.", "No luck, I'm afraid. Nothing matched that.",
               "Sorry, I searched but found nothing for that.", "I'm sorry, I couldn't find a match for that.",
               "Sorry, that search came back empty.", "Unfortunately, I didn't find anything for that.",
               "I'm afraid I couldn't find anything.", "Sorry, I'm not finding anything for that.",
               "Nothing came up for that, I'm afraid.", "I checked, but there's nothing that matches.",
               "Sorry, there are no matches for that.", "I wasn't able to find anything for that, sorry.",
               "No matches for that, unfortunately.", "Hmm, that search didn't turn anything up.",
               "I'm sorry, my search came up empty.",
               "Sorry, I drew a blank on that.", "Hmm, no results for that, I'm afraid.",
               "That search didn't find anything, sorry.", "I'm sorry, nothing fits that.",
               "Sorry, there's nothing like that available.", "I couldn't track anything down for that, sorry.",
               "Sorry, no matches came back.", "No results, I'm afraid.", "I'm not seeing any matches, sorry.",
               "Sorry, my search didn't return anything.", "I had a good look, but nothing matched.")
# Nothing found by an API that acts rather than looks something up (``acts``): nothing to
# book, add or play, never "I didn't find anything that matches" (a search's words).
# (Never "I couldn't get that": after "Adding it to Throwbacks." it reads as a mishearing.)
_NOT_AVAILABLE = ("Sorry, that isn't available.", "Sorry, I couldn't do that one.", "I'm afraid that's not available.",
                  "Unfortunately that's not available.", "Sorry, that one isn't available.",
                  "Sorry, I wasn't able to do that.", "I'm sorry, that isn't available right now.",
                  "Unfortunately that didn't work out.", "Sorry, that's not an option, I'm afraid.",
                  "I'm afraid that isn't possible.", "Sorry, no luck with that one.",
                  "Sorry, that won't work, I'm afraid.", "Sorry, I can't do that one right now.",
                  "I'm afraid that one isn't possible.", "Unfortunately I couldn't do that.",
                  "Sorry, that's not something I can do right now.", "I'm sorry, that one's unavailable.",
                  "Sorry, that option isn't available.", "I'm afraid that's unavailable right now.",
                  "Hmm, I'm not able to do that one, sorry.",
                  "Sorry, that one's not possible right now.", "I'm afraid I can't do that at the moment.",
                  "Sorry, that didn't go through.", "Unfortunately that one's not an option.")
_NOT_BOOKED = ("Sorry, I couldn't get that booking.", "Sorry, there's no availability for that.",
               "I'm afraid that's not available to book.", "Unfortunately I couldn't book that.",
               "Sorry, that's fully booked, I'm afraid.", "Sorry, I wasn't able to get that booked.",
               "Unfortunately there's no availability for that.", "Sorry, nothing's available for that, I'm afraid.",
               "I'm sorry, I couldn't get that booked.", "Sorry, that couldn't be booked.",
               "Unfortunately that's not available to book.", "Sorry, I couldn't secure that booking.",
               "I'm afraid it's fully booked.", "Sorry, no availability there, I'm afraid.",
               "I'm sorry, that's booked up.", "Sorry, I couldn't reserve that.",
               "Unfortunately I wasn't able to book that.", "Sorry, there's no room for that booking.",
               "I'm afraid I couldn't make that booking.", "Sorry, that's unavailable to book right now.",
               "Sorry, there's no space left for that.", "I'm afraid there's nothing free for that.",
               "Unfortunately there's no space left for that.", "Sorry, I couldn't lock that in.")
_FAILURE = ("Sorry, something went wrong. Please try again later.", "Sorry, that didn't work. Please try again later.",
            "I'm sorry, I'm having trouble with that right now.", "Sorry, I wasn't able to do that just now.",
            "Something went wrong on my end, sorry.", "Sorry, the service isn't responding right now.",
            "Sorry, I ran into a problem with that.", "Sorry, I hit a snag. Please try again later.",
            "I'm afraid something went wrong.", "Sorry, I couldn't get that done right now.",
            "That didn't go through, sorry. Please try again in a bit.", "Sorry, there was a problem on my side.",
            "Hmm, something went wrong. Please try again shortly.", "Apologies, that didn't work just now.",
            "Sorry, I'm having some technical trouble.", "I'm sorry, the system isn't cooperating right now.",
            "Sorry, I couldn't complete that. Please try again later.", "Something's not working on my end, sorry.",
            "Sorry about this, there's a technical problem.", "I'm afraid I can't do that right now. Please try again soon.",
            "Sorry, I ran into an error with that.", "Apologies, something isn't working right now.",
            "Sorry, that request failed. Please try again in a little while.",
            "Sorry, the system's down at the moment.", "Apologies, I'm having connection trouble.",
            "Sorry, I couldn't connect just now. Please try again later.", "Sorry, there's a glitch on my side.",
            "Hmm, that didn't work. Something's wrong on my end.", "Sorry, the service timed out. Please try again shortly.")
# Closings by outcome: a few whole lines, and a word of thanks or regret before a farewell.
# Answers to a thank-you ("You're welcome.") only where the customer thanked (``THANKED``),
# never after the system's own thanks ("Thanks for chatting. My pleasure.").
_THANKED = ("You're welcome.", "You're very welcome.", "You're most welcome.", "My pleasure.", "Anytime.",
            "It was my pleasure.", "No trouble at all.", "That was my pleasure.", "Always a pleasure.",
            "Don't mention it.", "Not a problem.", "You bet.", "The pleasure was mine.", "No problem at all.",
            "Happy to do it.", "Any time at all.", "It's no trouble.", "Glad to do it.", "You're so welcome.",
            "Thank you too.", "Oh, it's my pleasure.", "Think nothing of it.", "No thanks needed.",
            "That's what I'm here for.", "The pleasure's all mine.", "No bother at all.", "You got it.",
            "Glad to be of service.", "It was nothing.", "Cheers, you're welcome.", "It was no bother.", "Not at all.", "Of course, anytime.")
_WELCOME = ("You're welcome", "You're very welcome", "My pleasure", "Anytime", "No problem", "Of course",
            "Not a problem", "No worries", "You bet", "Pleasure")
_HELPED = ("", "Happy to help.", "Glad I could help.", "Glad to help.", "Happy I could help.", "Glad that worked out.",
           "Always happy to help.", "It was a pleasure helping you.", "Glad we got that sorted.", "Happy to be of help.",
           "Glad I could be of help.", "Happy to assist.", "Glad I could sort that out.", "Glad to be of service.",
           "Happy to have helped.", "Glad that's taken care of.", "Happy that worked out.", "Glad I could lend a hand.",
           "Happy to sort that out for you.", "Glad that's all sorted.", "Hope that helps.", "Glad everything worked out.",
           "Happy I could be of service.", "Glad it all worked out.", "Good to have that done.",
           "Happy to have sorted that.", "Glad that's settled.", "Glad I was able to help.", "Pleased I could help.",
           "Always glad to help.", "Good to get that done.", "Hope that's everything you needed.",
           "Hope that was helpful.", "Glad I could make that easy.", "Happy to have been useful.",
           "Glad that went smoothly.", "Nice to get that sorted.", "I'm glad that all worked.",
           "Hope everything goes well.", "Good to have you sorted.", "That's what I'm here for.",
           "Hope that saved you some time.", "Glad that was quick and easy.",
           "Hope that made things a bit easier.", "Pleased to have helped.", "Happy to lend a hand.",
           "Glad that did the trick.", "Hope that was painless.", "Glad we could get that done together.",
           "Glad it was straightforward.", "Happy to take care of that for you.", "Glad that's one less thing to do.",
           "Hope that went smoothly for you.", "Glad to have been of some help.", "Delighted I could help.")
_FAREWELLS = ("Goodbye!", "Bye!", "Take care!", "Have a nice day!", "Have a great day!", "Enjoy your day!",
              "Have a good one!", "Bye for now!", "See you next time!", "Have a wonderful day!", "All the best!",
              "Enjoy the rest of your day!", "Have a lovely day!", "Cheers!", "Bye, take care!", "Have a good day!",
              "Goodbye, take care!", "Talk to you soon!", "Have a great evening!", "Take it easy!",
              "Have a fantastic day!", "Until next time!", "Catch you later!", "Have a good rest of your day!",
              "Have a great week!", "All the best, bye!", "Speak soon!", "Have a pleasant day!", "Bye, have a good one!",
              "Be well!", "Wishing you a great day!", "Have a great rest of your day!", "Bye-bye!", "Have a good night!",
              "Enjoy the rest of your evening!", "Talk soon!", "Till next time!", "Goodbye for now!", "Take care now!",
              "Have a great one!", "See you around!", "Stay well!", "All the best to you!", "Goodbye, and take care!",
              "Have a terrific day!", "Have a relaxing evening!", "Have a lovely evening!",
              "Have a good afternoon!", "Enjoy your evening!", "Take good care!", "Wishing you all the best!",
              "Have a wonderful evening!", "Enjoy the rest of your week!", "Have a good weekend!", "See you soon!",
              "Bye now!", "Come back soon!", "Have an amazing day!", "Best wishes!", "Keep well!",
              "Have a brilliant day!", "Hope to hear from you again!", "Look after yourself!", "Have a restful evening!",
              "Enjoy the day!", "Hope the rest of your day goes well!", "Stay safe!",
              "See you later!", "Goodbye and good luck!", "Wishing you a lovely day!", "Have a great afternoon!",
              "Take care of yourself!", "Enjoy the rest of your afternoon!", "Have a nice evening!", "Bye, all the best!",
              "Hope you have a great day!", "Hope to see you again soon!", "Enjoy your week!", "Have a splendid day!",
              "Bye, and have a good one!", "Hope your day goes well!", "Hope the rest of your week is great!",
              "Good luck with everything!", "Wishing you a pleasant evening!", "Have yourself a great day!",
              "Come back whenever you like!", "Cheerio!", "Take care, and all the best!", "Goodbye, and have a lovely day!",
              "Chat soon!", "Have a good rest of the day!", "Enjoy the evening!", "Take care out there!",
              "Hope the day treats you well!", "Wishing you a good evening!", "Have a nice one!",
              "Speak to you soon!", "Until we speak again!", "Bye, and take care of yourself!",
              "Have a beautiful day!", "Here whenever you need me. Bye!", "Have a good week ahead!",
              "Enjoy the rest of your weekend!", "Have a smashing day!", "Have a peaceful evening!", "Mind how you go!",
              "Have a cracking day!", "Have a super day!", "All the very best!", "Wishing you well!",
              "Have a marvellous day!", "Enjoy yourself!", "Take care, bye for now!", "Have a good one, bye!",
              "Best of luck!", "Good luck, and take care!", "Have a great time!", "Have a fab day!",
              "I'm here if you need anything else. Bye!", "Just get in touch if you need anything. Bye!",
              "Reach out whenever you need to. Take care!", "Have a lovely rest of your day!", "Look after yourself, bye!",
              "Have a safe day!", "Enjoy the rest of the day!", "Have a gorgeous day!", "So long!",
              "Have a productive day!", "Go well!", "Catch you next time!", "Talk to you later!", "Bye, speak soon!",
              "Wishing you a wonderful week!", "Hope you have a lovely week!", "Have a restful weekend!",
              "Keep smiling!", "Enjoy what's left of the day!", "All the best for the week ahead!",
              "Have a splendid evening!", "Ciao for now!", "Cheers, bye!", "Farewell for now!",
              "Drop by again soon!", "Pop back whenever you like!", "Don't be a stranger!", "You know where to find me!",
              "Here whenever you need a hand. Bye!", "Ping me whenever you need something. Bye!",
              "Have a relaxing weekend!", "Hope the week treats you well!", "Have a grand day!",
              "Have a chilled evening!")
_REGRETS = ("Sorry I couldn't help with that.", "Sorry that didn't work out.", "I'm sorry I couldn't do more.",
            "Apologies for the trouble.", "Sorry it didn't work out this time.", "Sorry again for the trouble.",
            "Sorry we couldn't sort that out.", "Sorry, I wish I could have helped more.", "Sorry about the trouble today.",
            "Sorry I couldn't get that done.", "Sorry it didn't go as planned.", "I'm sorry that didn't come through.",
            "Sorry I wasn't more help.", "Apologies that didn't work out.", "Sorry I couldn't make that happen.",
            "I'm sorry it didn't work out.", "Sorry I couldn't be more useful.", "Apologies I couldn't sort that out.", "Sorry that wasn't possible.",
            "My apologies for that.", "Sorry I couldn't get you what you needed.", "Sorry that fell through.",
            "Sorry that was a dead end.", "I'm sorry for the inconvenience.", "Sorry things didn't go smoothly.",
            "I really wish that had worked.", "Sorry that didn't come together.", "Apologies it didn't work this time.",
            "I'm sorry it ended up that way.", "Sorry we hit a wall there.", "Sorry, that's frustrating, I know.",
            "I'm sorry I couldn't sort it today.", "My apologies it didn't work out.", "Sorry I couldn't get further.",
            "I'm sorry this one didn't work.", "I'm sorry we couldn't get that done today.",
            "Apologies we couldn't make it work.", "Sorry I had no luck there.", "Sorry for the hassle.",
            "Apologies for the inconvenience.", "Sorry I couldn't find a way to do that.",
            "I'm sorry that wasn't more successful.", "Sorry this took so long for nothing.",
            "Sorry it wasn't better news.", "I'm sorry I couldn't get it over the line.")
_SAD_FAREWELLS = ("Goodbye.", "Take care.", "Bye.", "Please try again later. Bye!", "Maybe next time. Goodbye.",
                  "Take care, goodbye.", "Have a good day.", "Bye for now.", "Goodbye, and sorry again.",
                  "Hopefully next time. Bye.", "Take care, and sorry again.", "Talk soon.", "Goodbye for now.",
                  "I hope it works out next time. Bye.", "Feel free to try again later. Goodbye.", "All the best.",
                  "Better luck next time. Take care.", "Have a good one.", "Take care of yourself.",
                  "Goodbye, and good luck.", "Hopefully it works out. Bye.", "Wishing you better luck next time. Goodbye.",
                  "Do come back and try again. Goodbye.", "Hope I can help more next time. Bye.", "Bye, and good luck.",
                  "Give it another go later. Bye.", "Goodbye, and thank you for your patience.", "Look after yourself. Bye.",
                  "Good luck with it. Goodbye.", "Catch you another time.")
# (never an answer to thanks, "No problem at all.": a customer who left did not thank)
_LEFT = ("No problem.", "Okay.", "Alright.", "No worries.", "Sure thing.", "Okay, maybe another time.",
         "Alright, another time then.", "Sure.", "No worries at all.", "That's fine.",
         "Understood.", "Of course.", "Fair enough.", "Okay, no problem.", "That's okay.",
         "Alright, no worries.", "Okay, I understand.", "Perhaps another time.", "Whenever you're ready, then.",
         "Totally fine.", "Okay, some other time.", "No worries, another time.", "That's quite alright.",
         "Alright, I understand.", "Sure, another day then.", "Okay, we can pick it up later.", "Fine by me.",
         "No trouble.", "Okay, no rush.", "Alright, maybe later.", "Okay, not a problem.", "Not to worry.",
         "No bother.", "All good.", "That's no problem at all.", "Sure, maybe next time.", "Okay, that's fine.",
         "I'll be here if you change your mind.", "Just come back whenever you're ready.",
         "You can always come back to it.", "Whenever suits you.", "We can always pick this up again.",
         "Feel free to come back any time.", "Okay, it can wait.", "No pressure at all.", "Right you are.",
         "No harm done.", "Okay, let's leave it there.")
_SIGNED_OFF = ("", "Thanks for chatting. ", "Thanks for reaching out. ", "Thank you. ", "You're all set. ", "Thanks! ",
               "Thanks for stopping by. ", "Great talking with you. ", "Thanks for your time. ", "It's been a pleasure. ",
               "Thanks so much. ", "You're good to go. ", "Thanks for getting in touch. ", "Nice chatting with you. ",
               "Good talking to you. ", "Everything's taken care of. ", "That's all done. ", "Thanks for your patience. ",
               "Thanks again. ", "All done here. ", "Lovely chatting with you. ", "Thanks for the chat. ",
               "Pleasure chatting. ", "It was nice helping you. ", "We're all done. ", "That should be everything. ",
               "Thanks for using the service. ", "Appreciate you getting in touch. ", "Thanks for being so patient. ",
               "That wraps things up. ", "We're all finished here. ", "It was great to help. ", "Thanks for your help. ",
               "Really appreciate it. ", "Nice talking with you. ", "That's everything sorted. ", "Everything's in order. ",
               "Many thanks. ", "Thanks for the easy chat. ", "Glad you reached out. ", "Cheers for that. ",
               "Thanks for dropping by. ", "Much appreciated. ", "I appreciate your patience. ",
               "Thanks for bearing with me. ", "That's us done. ", "That's everything on my end. ",
               "Nothing left to do on my side. ", "It's been great helping you. ", "Thanks for the quick answers. ",
               "Thanks for making that easy. ", "Thanks for choosing us. ", "We appreciate your business. ",
               "That's all squared away. ", "Everything's wrapped up. ")


# Goodbyes by outcome: a farewell ("Have a great day!"), opened with a word of thanks or
# regret that the reply reader reads apart (``Variants.openers``): every lead before every
# farewell, in a few hundred strings instead of 20,000 listed texts.
# (never two sentences that open with one word: "Glad you reached out. Glad to help.")
_SIGNED_LEADS = tuple(f"{t}{h} ".replace("  ", " ").lstrip() for t in _SIGNED_OFF for h in _HELPED
                      if (t or h) and first_word(t) != first_word(h))
_CLOSINGS = {  # outcome: (farewells, the leads that may open them, how often one does)
    COMPLETED: (("Goodbye!", "Have a nice day!", "Have a great day!", "Take care!", "Bye for now!", "Enjoy your day!")
                + _FAREWELLS, _SIGNED_LEADS, 0.85),
    # the customer thanked: answered ("You're welcome, glad I could help. Bye!")
    THANKED: (_FAREWELLS, tuple(f"{a} " for a in _THANKED) + tuple(f"{w}, {h[0].lower()}{h[1:]} " for w in _WELCOME
                                                                   for h in _HELPED[1:]), 1.0),
    # always led: a farewell alone after a failure would not say sorry, nor tell a customer who left
    FAILED: (_SAD_FAREWELLS, tuple(f"{a} " for a in _REGRETS), 1.0),
    ABANDONED: (_FAREWELLS, tuple(f"{a} " for a in _LEFT), 1.0),
}
_PLAIN_CLOSINGS = {  # without the phrasebook: two each
    COMPLETED: ("Goodbye!", "Have a nice day!"),
    THANKED: ("You're welcome. Goodbye!", "My pleasure. Have a nice day!"),
    FAILED: ("Sorry I couldn't help with that. Goodbye.", "Sorry that didn't work out. Goodbye!"),
    ABANDONED: ("No problem. Goodbye!", "Okay, maybe another time. Bye!"),
}

# Requests, by what the slot holds. ``{w}``: the slot's words.
_REQUEST = ("What {w} would you like?", "Which {w}?", "What {w} do you have in mind?", "Could you tell me the {w}?",
            "What's the {w}?", "And the {w}?", "Which {w} do you want?", "What {w} are you looking for?",
            "Do you have a {w} in mind?", "Which {w} should I go with?", "What {w} would you prefer?",
            "Which {w} would you like?", "What {w} should I use?", "Can you tell me which {w} you'd like?",
            "Any preference for the {w}?", "What {w} do you prefer?", "Which {w} do you prefer?",
            "Do you have a preferred {w}?", "Which {w} are you after?", "Any particular {w}?",
            "Did you have a particular {w} in mind?", "Is there a {w} you'd like?", "What {w} were you thinking of?",
            "Which {w} works best for you?", "Do you know which {w} you'd like?", "What {w} should I go with?",
            "Which {w} are you thinking?", "What {w} did you want?", "Is there a {w} you prefer?",
            "What {w} are you hoping for?", "Have you got a {w} in mind?", "Which {w} would suit you?",
            "What's your preferred {w}?", "What {w} suits you?", "Which {w} would be best?",
            "What {w} are you going for?", "What {w} works for you?", "Got a {w} in mind?",
            "Is there a particular {w} you want?", "Any thoughts on the {w}?", "Which {w} shall I pick?")
_ORIGIN = ("Where are you leaving from?", "Where will you be leaving from?", "What city are you leaving from?",
           "Where are you starting from?", "Where are you departing from?", "And where from?", "Where from?",
           "Which city are you departing from?", "What's your departure city?", "Where are you coming from?",
           "Where will you be starting out?", "Where would you be leaving from?", "Which city will you leave from?",
           "And where are you leaving from?", "Where will you be departing from?", "What city are you starting from?",
           "What's your starting point?", "Where does your trip start?", "What city will you be leaving from?",
           "Where's your starting point?", "Which city is your starting point?", "Where are you setting off from?",
           "Where will your trip begin?", "Where are you traveling from?", "What city are you traveling from?",
           "Where would you be starting out?", "What city do you leave from?", "Where are you setting out from?",
         "Where's your departure point?", "Where will you be setting off from?",
         "Which city will you be starting in?", "Where's the trip starting from?", "Where do you leave from?",
         "What's your point of departure?", "Where will your journey start?", "Which city are you coming from?")
_DESTINATION = ("Where to?", "Where are you headed?", "Where are you going?", "Where do you want to go?",
                "What's your destination?", "And where to?", "Which city are you going to?", "Where are you off to?",
                "Where would you like to go?", "What city are you headed to?", "Where are you heading?",
                "And your destination?", "Where would you like to end up?", "Which city are you heading to?",
                "Where will you be going?", "What's the destination?", "Where does your trip take you?",
                "And where are you going?", "Where are you traveling to?", "Which city is your destination?",
                "Where's your trip taking you?", "What city are you traveling to?", "Where will you be heading?",
                "Where do you need to get to?", "Where are you looking to go?", "What's your final destination?",
                "What city do you want to get to?", "Where are you trying to get to?", "Where's your trip headed?",
            "What's your destination city?", "Where's your journey taking you?",
                "Where are you hoping to go?", "Which city do you want to go to?", "Where will you be arriving?",
                "Where are you bound for?", "Where's your final stop?", "Where do you want to travel to?")
_TRAVEL_DATE = ("What day are you leaving?", "When do you want to leave?", "When are you leaving?",
                "What day would you like to go?", "When would you like to travel?", "What's your travel date?",
                "Which day are you travelling?", "What date are you looking at?", "When do you want to go?",
                "And what day?", "What day works for you?", "When are you planning to go?",
                "What day would you like to leave?", "When will you be travelling?", "Which day would you like to go?",
                "When are you planning to leave?", "What date are you leaving?", "When do you plan to travel?",
                "When will you be leaving?", "What day do you plan to leave?", "What's your departure date?",
                "When are you looking to travel?", "What date would you like to leave?", "When's your trip?",
                "When would you like to head out?", "What day do you need to travel?",
                "When are you hoping to travel?", "What day were you hoping to leave?",
                "When's your departure?", "When do you set off?", "Which day will you set off?",
                "What date do you want to depart?", "When are you hoping to head off?", "What's the date of your trip?",
                "When would you be going?", "Which date works for your trip?", "What date will you be travelling?")
_FLYING = {"origin": ("Where are you flying from?", "Where are you flying out of?", "Which city are you flying from?",
                      "What city are you flying out of?", "Where will you be flying out of?"),
           "destination": ("Where are you flying to?", "Where are you flying?", "Which city are you flying to?",
                           "Where do you want to fly to?", "Where are you flying into?", "What city are you flying into?",
                           "Where would you like to fly to?"),
           "date": ("When do you want to fly out?", "What day are you flying?", "When would you like to fly?",
                    "What day do you want to fly out?", "When are you flying?", "What day would you like to fly?",
                    "When do you need to fly?", "Which day are you flying out?")}
_DATE = ("What day?", "Which day?", "What day works for you?", "What date would you like?", "Which date?",
         "What day did you have in mind?", "For which day?", "What day are you thinking?", "Which day works best?",
         "And what day?", "What date works for you?", "For what day?", "What day would you like?",
         "Which day would you like?", "What day were you thinking?", "What date did you have in mind?", "What date?",
         "What day should I go with?", "Which day suits you?", "Do you have a day in mind?", "Any particular day?",
         "What day are you after?",
         "What day are we looking at?", "Which date are you after?", "What day should I look at?",
         "Any day in particular?", "Which date do you need?", "Which day are you interested in?")
_TIME = ("What time?", "What time works for you?", "At what time?", "What time would you like?",
         "What time were you thinking?", "What time suits you?", "Which time works best?", "And what time?",
         "What time would be best?", "Around what time?", "What time should I go with?", "Do you have a time in mind?",
         "Any particular time?", "What time are you after?", "Which time suits you best?", "What time do you have in mind?",
         "What time are we looking at?", "Any preference on the time?", "What time should I aim for?",
         "Is there a time that suits you?", "What time is good for you?", "What time of day works best?")
_PEOPLE = ("How many people?", "How many of you are there?", "How many people in your party?", "For how many people?",
           "How many people is that for?", "And how many people?", "How many are in your group?",
           "How many people will there be?", "How many people are going?", "How many are in your party?",
           "And for how many people?", "How many people should I plan for?", "How big is your party?",
           "How many in your group?", "How many people are coming?", "How many will there be?",
           "What's the size of your party?", "How many of you will there be?", "How many people am I booking for?",
           "What's the headcount?", "How many people should I include?", "How many people do you need it for?",
           "How many people am I counting?", "How many are we talking about?", "How many of you are coming?")
_THINGS = ("How many {w}?", "How many {w} do you need?", "How many {w} would you like?", "And how many {w}?",
           "How many {w} should I get?", "How many {w} are you after?", "How many {w} will you need?",
           "And how many {w} would you like?", "How many {w} are we talking?", "How many {w} should I go for?",
           "How many {w} are you looking for?", "How many {w} do you want?", "How many {w} will it be?")
_CITY = ("Which city?", "What city?", "Which city would that be?", "What city are we talking about?", "And which city?",
         "What city did you have in mind?", "Which city should I look in?", "In which city?", "What city is that?",
         "Which city do you mean?", "Which city are you asking about?", "Which city is it?", "What's the city?",
         "Which city are we looking at?",
         "Which town or city?", "What city should I check?", "Which city do you need?",
         "Which city are you interested in?", "What's the city you're after?", "Which city should I go with?")
# Requests asked indirectly ("Could you tell me where you're flying from?"): a lead, then what
# is asked as a clause or a noun phrase, by what the slot holds (as the direct ones above).
_ASK_LEADS = ("Could you tell me", "Can you tell me", "Can you let me know", "Could you let me know",
              "Would you let me know", "Would you mind telling me", "Do you mind telling me", "Mind telling me",
              "Would you be able to tell me", "Could you share", "Would you mind sharing")
_ASK_CLAUSE_LEADS = ("May I ask", "Can I ask", "Could I ask")  # a clause only: never "May I ask your party size?"
_ASK_NOUN_LEADS = ("Can I get", "Could I get", "Can I have", "Could I have")  # a noun phrase only
_ASKED_FOR: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {  # kind: (clauses, noun phrases)
    "origin": (("where you're leaving from", "where you'll be leaving from", "where you're starting from",
                "which city you're leaving from", "where you'd be departing from", "where your trip starts",
                "where you're traveling from"), ("your departure city", "your starting point", "your point of departure")),
    "destination": (("where you're headed", "where you're going", "where you'd like to go", "which city you're going to",
                     "where you're traveling to", "where you want to end up", "what your destination is"),
                    ("your destination", "your destination city")),
    "travel date": (("what day you're leaving", "when you'd like to travel", "which day you want to go",
                     "when you're planning to leave", "what date you're looking at"),
                    ("your travel date", "your departure date")),
    "date": (("what day you'd like", "which day works for you", "what date you have in mind", "which day you're thinking of"),
             ("the date", "your preferred date")),
    "time": (("what time works for you", "what time you'd like", "what time you have in mind"),
             ("the time", "your preferred time")),
    "people": (("how many people are coming", "how many people there will be", "how many are in your party",
                "how many people it's for", "how many of you there are"),
               ("the number of people", "the size of your party", "your party size")),
    "things": (("how many {w} you need", "how many {w} you'd like", "how many {w} you're after"), ("the number of {w}",)),
    "city": (("which city you mean", "what city you have in mind", "which city you're asking about"),
             ("the city", "the name of the city")),
    "other": (("which {w} you'd like", "what {w} you have in mind", "which {w} you prefer", "what {w} you're looking for"),
              ("the {w}", "your preferred {w}", "your choice of {w}")),
}
_ASKED_FLYING = {"origin": ("where you're flying from", "which city you're flying out of"),
                 "destination": ("where you're flying to", "which city you're flying into"),
                 "travel date": ("when you'd like to fly out", "what day you're flying")}


# A sentence that may go before a request for a value, whatever it follows: the system needs
# one. An opener, read apart ("Quick question. Where to?"), so every preface goes before every request.
_ASK_PREFACES = ("Quick question. ", "Just one question. ", "So I can carry on, one question. ",
                 "Before I continue, one question. ", "I'll need a bit more information. ", "Let me ask you this. ",
                 "There's one detail I need. ", "There's one thing I need to know. ", "A quick question for you. ", "I'm missing one detail. ",
                 "Just need one thing from you. ", "One thing before I go on. ", "I need a little more to go on. ",
                 "Let me just ask. ", "I'll need one detail from you. ", "Help me out with one thing. ",
                 "Let me get one detail from you. ", "Quick one for you. ", "I've got a quick question. ",
                 "To narrow it down, one question. ", "To get this right, one question. ",
                 "So I get this right, a quick question. ")


def _asked(clauses: tuple[str, ...], nouns: tuple[str, ...]) -> tuple[str, ...]:
    """Indirect requests: every lead before what it may take, asked with or without "please"."""
    said = [f"{lead} {c}" for lead in _ASK_LEADS + _ASK_CLAUSE_LEADS for c in clauses]
    said += [f"{lead} {n}" for lead in _ASK_LEADS + _ASK_NOUN_LEADS for n in nouns]
    return tuple(f"{t}{tail}" for t in said for tail in ("?", ", please?"))

_PICK = ("Which {w} would you like?", "Which one would you like?", "Which one?", "Which of those would you like?",
         "Which one do you want?", "Which of them?", "Which one sounds good?", "Which one works for you?",
         "Which one should I go with?", "Which one are you interested in?", "Which of those sounds best?")
_PICK_NAMED = ("Which {w} would you like?", "Which {w} do you want?", "Which {w} sounds good?",
               "Which {w} works for you?", "Which {w} are you interested in?", "Which {w} should I go with?")
# Value confirmations: the ones without the slot's words for slots whose values say what they are.
_CONFIRM_VALUE = ("Did you say {p} for the {w}?", "So that's {p} for the {w}?", "Was that {p} for the {w}?",
                  "Just checking: {p} for the {w}?", "So {p} for the {w}, right?", "I have {p} for the {w}. Is that right?",
                  "You'd like {p} for the {w}, correct?")
_CONFIRM_SINGULAR = ("Just to confirm, the {w} is {p}?", "The {w} is {p}, correct?", "So the {w} is {p}?",
                     "And the {w} is {p}, right?")
_CONFIRM_BARE = ("Just to confirm, {p}?", "Did you say {p}?", "That's {p}, right?", "So that's {p}?", "Was that {p}?",
                 "You said {p}, right?", "Just checking: {p}?", "Did I hear {p}?", "Let me make sure: {p}?",
                 "That was {p}, correct?")
_CONFIRM_COUNT = ("That's for {p}, right?", "So that's for {p}?", "Just to confirm, that's for {p}?",
                  "For {p}, is that right?", "Did you say {p}?", "You said {p}, right?", "Was that for {p}?",
                  "Just checking, that's for {p}?")
_CONFIRM_ORIGIN = ("Leaving from {p}, right?", "Just to confirm, you're leaving from {p}?", "So that's from {p}?",
                   "Did you say from {p}?", "You're departing from {p}, correct?", "From {p}, is that right?",
                   "Just checking, leaving from {p}?", "Starting from {p}, right?")
_CONFIRM_DESTINATION = ("Going to {p}, right?", "Just to confirm, you're headed to {p}?", "So that's to {p}?",
                        "Did you say to {p}?", "To {p}, is that right?", "And you're going to {p}, correct?",
                        "Just checking, heading to {p}?", "Your destination is {p}, right?")
# Confirmations composed: a lead, what is confirmed (by what the slot holds, as above), a tail.
_CHECK_LEADS = ("Just to confirm, ", "Just to be sure, ", "Just to double-check, ", "To double-check, ", "Quick check: ",
                "Let me make sure: ", "Just so I have it right, ", "Before I go on, ", "Just checking, ", "So ", "",
                "Let me just check: ", "Sorry, just to be clear, ")
_CHECK_TAILS = ("?", ", right?", ", correct?", ", is that right?", ", yes?", ", is that correct?")
_CHECKED = {  # kind: what is confirmed
    "origin": ("you're leaving from {p}", "you're departing from {p}", "you're starting from {p}", "that's from {p}",
               "you'll be leaving from {p}", "you're traveling from {p}"),
    "destination": ("you're going to {p}", "you're headed to {p}", "you're heading to {p}", "that's to {p}",
                    "you're traveling to {p}", "you'd like to go to {p}"),
    "count": ("that's for {p}", "this is for {p}", "you said {p}"),
    "when": ("that's {p}", "you said {p}", "you want {p}", "you'd like {p}", "you meant {p}", "we're looking at {p}"),
    "value": ("you'd like {p}", "you want {p}", "you said {p}", "that's {p}", "you meant {p}", "you'd like {p} for the {w}",
              "that's {p} for the {w}"),
}
_CHECKED_FLYING = {"origin": ("you're flying out of {p}", "you're flying from {p}"),
                   "destination": ("you're flying to {p}", "you're flying into {p}")}


def _checked(bodies: tuple[str, ...]) -> tuple[str, ...]:
    """Every lead before every body, asked with every tail ("Just to be sure, you're leaving
    from {p}, right?")."""
    said = (f"{lead}{b}{tail}" for lead in _CHECK_LEADS for b in bodies for tail in _CHECK_TAILS)
    return tuple(t[0].upper() + t[1:] for t in said)
_CONFIRM_API = ("Should I {w}{with_}?", "Do you want me to {w}{with_}?", "Shall I go ahead and {w}{with_}?",
                "Just to confirm: {w}{with_}?", "Can I go ahead and {w}{with_}?", "Is it okay to {w}{with_}?",
                "Would you like me to {w}{with_}?", "Want me to {w}{with_}?", "Should I go ahead and {w}{with_}?",
                "Okay to {w}{with_}?")
_ECHO = ("Okay, I'll {w}{with_}.", "Alright, {w}{with_}.", "Sure, let me {w}{with_}.", "Okay: {w}{with_}.",
         "Got it, {w}{with_}.", "One moment: {w}{with_}.", "Let me {w}{with_}.", "Sure, I'll {w}{with_}.")
_OFFER = ("Would you like me to {w}?", "Do you want me to {w} next?", "Shall I {w}?", "Want me to {w}?",
          "Should I {w} as well?", "I can {w} if you like.", "Can I {w} for you?", "Should I go ahead and {w}?",
          "Would you like me to {w} now?")
_OFFER_SEVERAL = ("Would you like me to {w} for one of them?", "Shall I {w} for one of these?",
                  "Want me to {w} for one of them?", "Do you want to {w} for one of those?",
                  "Should I {w} for one of them?", "Can I {w} for one of those?")
_FIELD = ("The {w} is {f}.", "It's {f}.", "That's {f}.", "Its {w} is {f}.", "That one's {f}.", "That would be {f}.",
          "The {w} for that one is {f}.", "For that one, the {w} is {f}.", "The {w} on that one is {f}.",
          "The {w} there is {f}.", "It shows {f} for the {w}.", "As for the {w}, it's {f}.")
_FIELD_SINGULAR = ("The {w}'s {f}.",)
# Offers composed from the scenario's own ("Want me to book it?"): its action ("book it")
# asked in other words, or said as what the system can do and then asked.
_OFFER_ASK = re.compile(r"(?:^|(?<=[.!?] ))(?:Shall I|Should I|Do you want me to|Would you like me to|Want me to|Can I|"
                        r"Would you like to|Do you want to|Want to|Shall we|Should we)(?: go ahead and)? "
                        r"(?P<rest>[^.!?]+)\?\Z")
_OFFER_LEADS = ("Shall I", "Should I", "Do you want me to", "Would you like me to", "Want me to", "Can I", "How about I",
                "Should I go ahead and", "Shall I go ahead and", "Would you like me to go ahead and",
                "Would you like to", "Do you want to", "Want to", "Shall we", "Should we",
                "Do you want to go ahead and", "Would you like to go ahead and", "Would you want me to",
                "Want me to go ahead and", "How about I go ahead and", "Shall I just", "Do you want me to just",
                "Can I go ahead and", "May I", "Would you be interested in having me", "Should I go ahead and just",
                "Do you want me to go ahead and", "Need me to", "You want me to", "Would you like for me to",
                "Any interest in having me", "What do you say I", "Is it okay if I",
                "Do you need me to", "Mind if I", "Should I just", "Is it alright if I", "Want me to quickly",
                "Should I quickly", "Can I quickly", "Do you want me to quickly")
_ME_LEADS = 10  # the first ten: what I would do, so "while I'm at it" may follow
# (never " today?": "set up a reservation today?" says a date the customer may not want)
_OFFER_TAILS = ("?", " now?", ", or are you all set?", ", or is that everything?", ", then?", ", or are you good for now?",
                " too?", " as well?", " right away?", ", maybe?", ", or not right now?", " next?",
                ", or would you rather not?", ", or shall we leave it there?", ", or is that all for now?",
                " at this point?", " while you're here?", ", or are we done?")
_OFFER_SAID = ("I can {} for you if you'd like. Shall I?", "If you'd like, I can {}. Want me to?",
               "I could {} next. Would you like that?", "If you want, I can {}. Should I?",
               "I can also {}. Interested?", "Next, I could {}. How does that sound?",
               "Happy to {}. Want me to?", "I'd be happy to {}. Shall I?", "I could {} too, if you like. Should I?",
               "It's no trouble to {}. Want me to?", "If it helps, I can {}. Should I go ahead?",
               "Say the word and I'll {}. Want me to?", "If you're interested, I can {}. Shall I?",
               "One option: I could {}. Interested?", "I'm able to {} as well. Want that?",
               "It only takes a moment to {}. Shall I?", "No pressure, but I can {}. Would you like that?",
               "I can {} right now if you want. Should I?", "Just so you know, I can {}. Want me to?",
               "I can {} whenever you're ready. Shall I?", "If that sounds good, I can {}. Want me to?",
               "From here, I could {}. Interested?", "I can {} in just a moment. Should I?",
               "If you'd like, I'm happy to {}. Shall I?", "It's quick to {}. Want me to?", "I'd be glad to {}. Should I?",
               "I can easily {}. Would you like that?", "If it's useful, I can {}. Want me to?",
               "Whenever you like, I can {}. Shall I?", "I could {} for you now. Interested?",
               "One more thing I can do is {}. Want me to?", "If you're up for it, I can {}. Should I?",
               "There's also the option to {}. Interested?", "It'd be easy to {}. Shall I?",
               "I'm able to {} right away. Would you like that?", "Should you want to, I can {}. Shall I?",
               "If you're ready, I can {}. Shall I go ahead?", "When you're ready, I can {}. Want me to?",
               "Whenever it suits you, I can {}. Shall I?", "I'd be more than happy to {}. Want me to?",
               "It's no problem for me to {}. Should I?", "If that's helpful, I can {}. Would you like that?",
               "I'd love to {} for you. Shall I?", "Just let me know and I'll {}. Shall I?",
               "I'm here if you'd like me to {}. Want me to?", "While you're here, I could {}. Interested?",
               "Another thing I can do is {}. Would you like that?", "If it'd help, I could {}. Want me to?",
               "There's time to {} now if you like. Shall I?", "I'd be delighted to {}. Should I?",
               "If you'd rather not wait, I can {} now. Shall I?",
               "What if I {}?", "Maybe I could {}. What do you think?", "I could {}. What do you say?",
               "Would you find it useful if I were to {}?", "I can {} in no time. Want me to?",
               "It'd take me a second to {}. Shall I?", "My suggestion would be to {} next. Shall I?",
               "The next thing I can do is {}. Want me to?", "Easy enough to {} now. Want me to?",
               "If you fancy it, I can {}. Shall I?", "I'm in a position to {}. Would you like me to?",
               "Would it be useful if I {}?", "I've got everything I need to {}. Interested?")
# Results announced with their count: by how many items (one, a couple, a few), ``{k}``
# the count in words, ``{n}`` / ``{ns}`` the type's noun, ``{x}`` the list.
COUNT_SHARE = 0.3  # how often a list of results is announced with its count
_COUNTED_ONE = ("I found one {n}: {x}.", "There's just one {n}: {x}.", "Only one {n} came up: {x}.",
                "I found just one: {x}.", "I've got one {n} for you: {x}.", "Just one match: {x}.",
                "Only one came up: {x}.", "There's only one option: {x}.", "I found a single {n}: {x}.",
                "Just one {n} fits: {x}.", "The only {n} I found is {x}.", "I've got just one option for you: {x}.",
                "There's exactly one {n}: {x}.", "Your only option is {x}.")
_COUNTED_MANY = ("I found {k} {ns}: {x}.", "There are {k} {ns}: {x}.", "I've got {k} {ns} for you: {x}.",
            "{K} {ns} came up: {x}.", "I see {k} {ns}: {x}.", "Here are {k} options: {x}.",
            "I found {k} options: {x}.", "There are {k} options: {x}.", "I have {k} {ns} for you: {x}.",
            "Your options are {x}.", "Here are your options: {x}.", "Here are the {ns} I found: {x}.",
            "You can choose from {x}.", "You can pick from {x}.", "There are {k} {ns} available: {x}.",
            "I came up with {k} options: {x}.", "I've got {k} options lined up: {x}.", "{K} {ns} fit: {x}.",
            "I found {k} {ns} that fit: {x}.", "The {ns} I found are {x}.", "These are the {ns} I found: {x}.",
            "You've got {k} options: {x}.", "{K} options came up: {x}.")
# Frames that say more than one ("These came up for you: ..."): for two and more only, never in ``_LISTED``.
_PLURAL_LISTED = ("These came up for you: {x}.", "These are the results I got: {x}.", "The options I found are {x}.",
                  "I found these for you: {x}.")
_COUNTED_TWO = ("Here are a couple: {x}.", "I found a couple of {ns}: {x}.", "There are a couple of options: {x}.",
                "You have two to choose from: {x}.", "Two came up: {x}.")
_COUNTED_FEW = ("Here are a few: {x}.", "I found a few {ns}: {x}.", "A few {ns} came up: {x}.",
                "There are a few options: {x}.", "You have a few choices: {x}.", "A few options came up: {x}.",
                "I've got a few {ns} for you: {x}.", "There are several {ns}: {x}.", "I found several options: {x}.")
# A result list said whole without its count, for any count (``_Fill.listed``).
_LISTED = ("Here's what I found: {x}.", "Here's what came up: {x}.", "Here's what I've got: {x}.",
           "This is what I found: {x}.", "Here's what's available: {x}.", "Here's what I was able to find: {x}.",
           "Here's what I see: {x}.", "I was able to find {x}.", "I managed to find {x}.", "My search turned up {x}.",
           "The search came back with {x}.", "I've pulled up {x}.", "I'm seeing {x}.", "Here's what I found for you: {x}.",
           "Here's what matches: {x}.", "Good news: I found {x}.", "Here's what turned up: {x}.",
           "Here's what I came up with: {x}.", "What I've got is {x}.", "Take a look: {x}.",
           "Okay, here's what's out there: {x}.", "Alright, this is what I've got: {x}.", "Here's what's on offer: {x}.",
           "Here's what I was able to pull up: {x}.", "So far I'm seeing {x}.",
           "Here's the list: {x}.", "The search found {x}.", "Looking at what's available, there's {x}.",
           "From what I can see, there's {x}.", "Right now there's {x}.", "I can see {x} at the moment.",
           "Here's what I dug up: {x}.", "Okay, I've got results: {x}.", "The results are in: {x}.",
           "Here's what the search shows: {x}.", "Here's what I could find: {x}.", "I've tracked down {x}.",
           "After a quick search, I found {x}.", "Here's what's showing up: {x}.", "Okay, so there's {x}.",
           "So here's what I found: {x}.", "Alright, I found {x}.", "Here's what looks available: {x}.",
           "It looks like there's {x}.", "Here's what I turned up: {x}.", "I have some results for you: {x}.",
          
           "Let me run through what I found: {x}.", "I've lined up {x}.", "Here's what I pulled up: {x}.",
           "In the results, there's {x}.", "On my end I'm seeing {x}.",
           "Results: {x}.", "Here's everything I found: {x}.", "This is what's available: {x}.",
           "Okay, I've found {x}.", "Right, I've got {x}.", "The system is showing {x}.", "I'm able to see {x}.",
           "Let's see, there's {x}.", "On the list, there's {x}.",
           "I've managed to track down {x}.", "After checking, I found {x}.", "So I found {x}.", "Well, there's {x}.",
           "Currently there's {x}.", "At the moment there's {x}.", "Here's the current list: {x}.",
           "What I'm seeing is {x}.", "Here's what's come up: {x}.", "The search shows {x}.",
           "Here's what's open: {x}.", "Here's what's currently available: {x}.",
           "Here's what popped up: {x}.", "Here's what the system shows: {x}.", "I checked, and there's {x}.",
           "Good news, there's {x}.", "Here's the rundown: {x}.",
           "Here's how it looks: {x}.", "Okay, the search turned up {x}.", "Alright, I've got {x}.",
           "What's available right now is {x}.", "Here's what's left: {x}.",
           "I was lucky enough to find {x}.", "Here's what I've come up with: {x}.",
           "Here's what you can choose from: {x}.", "Here's the shortlist: {x}.", "Here's what's out there right now: {x}.", "The search brought up {x}.",
           "Here's what I'm able to offer: {x}.", "My results show {x}.", "Looks like there's {x}.",
           "Here's what matched: {x}.", "I can offer you {x}.",
           "Here's what fits: {x}.", "Here's what's on the table: {x}.",
           "The search returned {x}.", "My search found {x}.", "Your search brought back {x}.",
           "Right now I'm showing {x}.", "What came back was {x}.", "Here's what the search found: {x}.",
           "I've dug out {x}.", "Going by the search, there's {x}.")
# Ways to open a sentence that say the same thing; the scenario's own texts are reworded
# with them ("Shall I book {flight}?" -> "Do you want me to book {flight}?"), one at a time.
_LEADS = (
    ("Shall I ", "Should I ", "Do you want me to ", "Would you like me to ", "Want me to ", "Should I go ahead and ",
     "Can I go ahead and "),
    ("Would you like to ", "Do you want to ", "Want to "),
    ("Would you like ", "Do you want ", "Want "),
    ("To confirm: ", "Just to confirm: ", "Just checking: ", "To double-check: "),
    ("Is that right?", "Is that correct?", "Does that sound right?", "Did I get that right?"),
    ("Go ahead?", "Shall I go ahead?", "Okay to go ahead?"),
    ("I found ", "I've found ", "I've got ", "There's ", "Here's what I found: ", "I was able to find ",
     "I managed to find ", "I came across ", "I'm seeing ", "I see ", "I've pulled up ", "My search turned up "),
    ("Looking for ", "Searching for ", "Let me look for ", "I'll look for ", "I'm looking for ", "Let me search for ",
     "I'll search for ", "I'm searching for ", "Checking for ", "Now looking for ", "Let me find you ", "I'll find you ",
     "Searching now for ", "Running a search for ", "Let me run a search for ", "Let me dig up ", "I'm hunting for ",
     "Let me see if I can find ", "I'll see if I can find ", "Doing a quick search for ", "On it, looking for ",
     "Let me check for ", "Checking availability for ", "Scanning for ", "Let me hunt down ", "Hunting down ",
     "Let me track down ", "Tracking down ", "I'll go look for ", "Let me go find ", "Going to look for ",
     "I'm checking for ", "Trying to find ", "Let me try to find ", "Let me see what I can find for ",
     "Seeing what I can find for ", "I'll hunt down ", "Time to look for "),
    ("Searching ", "Looking up "),
    # (never "Let me look at {origin} to ...": "at {origin}" would move as a chunk, ``_reordered``)
    ("Checking ", "Let me check ", "I'll check ", "Looking up ", "I'm checking ", "Let me quickly check ",
     "Let me look into ", "Looking into ", "I'll look into ", "I'm looking into ", "Now checking "),
    ("Let me look up ", "Looking up ", "I'll look up ", "I'm looking up ", "Let me quickly look up ", "Let me pull up ",
     "Pulling up ", "I'll pull up "),
    ("Let me see ", "Let me check "),
    ("Let me find ", "I'll find ", "Let me look for "),
    ("Adding ", "I'll add ", "Let me add ", "I'm adding ", "Saving ", "I'll save ", "Let me save ", "I'm saving "),
    ("Putting on ", "Playing ", "I'll put on ", "Starting ", "Let me put on ", "I'm putting on ", "Queuing up ",
     "Cueing up ", "Starting up ", "Firing up ", "Throwing on ", "Popping on ", "Spinning ", "Lining up "),
    ("Here's {", "Here you go: {", "Coming right up: {", "Here it is: {", "There you go: {", "Here we go: {",
     "Okay, here's {", "Coming up: {"),  # before the item itself only (never "Enjoy {": a goodbye)
    ("Now playing ", "Playing ", "Here comes ", "You're listening to ", "Coming up now: ", "Up now: ", "On now: ",
     "Playing for you now: ", "Now on: ", "Currently playing ", "Now streaming ", "Streaming ", "Now spinning ",
     "Playing right now: "),
    ("Done! ", "All done! ", "All set! ", "There we go! ", "That's done! ", "All sorted! ", "Good news! ", "Success! ",
     "Right, done! ", "Great news! "),
    ("Done, ", "All done, ", "All set, "),
    ("Added ", "I've added "),
    ("Saved. ", "Saved! ", "All saved. "),
    ("Done. ", "All done. ", "All set. "),
    ("You're booked. ", "You're all booked. ", "You're all set. ", "You're all booked in. ", "That's booked. ",
     "Your booking is done. ", "Booked! "),
    ("You're all set! ", "All set! ", "Done! "),
    ("You're all set. ", "All set. ", "Done. "),
    ("Your confirmation code is ", "Your code is ", "The confirmation code is ", "Here's your confirmation code: ",
     "The code for your booking is ", "Your booking code is ", "Make a note of your confirmation code: "),
    ("Expect ", "You can expect ", "Expect to see ", "You'll see ", "You're looking at ", "You'll get ",
     "You should expect ", "Plan on "),
    ("Looks like ", "It looks like ", "Seems like ", "It seems like ", "It's looking like "),
    ("The forecast calls for ", "The forecast says ", "They're calling for ", "The forecast shows ",
     "They're predicting ", "The forecast has ", "Forecasters expect "),
    ("The high will be ", "The high should be ", "The high is going to be "),
    ("The low will be ", "The low should be ", "The low is going to be "),
    ("It'll get up to ", "It'll reach ", "It'll top out at ", "It'll climb to "),
    ("It'll drop to ", "It'll dip to ", "It'll fall to ", "It'll go down to "),
    ("It's showing at ", "It plays at ", "It's on at "),
    ("I found showings at ", "There are showings at ", "I see showings at "),
    ("You could see ", "You could catch ", "You can see "),
    ("Playing now: ", "Now showing: ", "Showing now: "),
    ("How about ", "What about "),
)
# Phrases inside a sentence that say the same thing, swapped one at a time in the scenario's
# own texts ("with a high of {high}" -> "with a high near {high}"); a value stays as said.
_PHRASES = (
    ("for flights from ", "for a flight from ", "for available flights from "),
    ("the weather in ", "the forecast for ", "the weather for ", "the conditions in ", "what the weather's doing in "),
    (" restaurants in ", " places in ", " spots in ", " places to eat in ", " eateries in "),
    ("a high of ", "a high near ", "a high around "),
    ("a low of ", "a low near ", "a low around "),
    (" to a playlist", " to one of your playlists"),
    (" this song ", " this track "),
    (" add it to ", " put it on ", " save it to "),
    (" book it?", " reserve it?", " get it booked?"),
    (" book one?", " reserve one?", " get one booked?"),
    (" reserve a table?", " book a table?", " get you a table?", " grab a table?"),
    (" make a reservation?", " make a booking?", " set up a reservation?"),
    (" look up showtimes?", " find showtimes?", " check showtimes?", " pull up showtimes?"),
    (" check the showtimes?", " look up the showtimes?", " pull up the showtimes?"),
    (" get you some tickets?", " grab you some tickets?", " book you some tickets?"),
    ("Would you like tickets?", "Would you like some tickets?", "Do you want tickets?", "Want some tickets?"),
)
_LEAD_OF: dict[str, tuple[str, ...]] = {}
for _class in _LEADS:
    for _lead in _class:
        _LEAD_OF.setdefault(_lead.lower(), _class)
_LEAD = re.compile("|".join(re.escape(k) for k in sorted(_LEAD_OF, key=len, reverse=True)), re.IGNORECASE)
_SENTENCE = re.compile(r"(?:^(?:(?:Okay|Sure|Alright), )?|(?<=[.!?] ))")
_REWORDED = (ResponseAct.CONFIRM_API, ResponseAct.OFFER, ResponseAct.INFORM)
# A text that points at one item: not said after several with none picked ("book it").
_ONE_ITEM = re.compile(r"\b(?:it|that one|this one|that|this)\b", re.IGNORECASE)


_ASKED = re.compile(r"(?:^|(?<=[.!?] ))(?:Shall I|Should I|Do you want me to|Would you like me to|Want me to) "
                    r"(?P<rest>[^.!?]+)\?\Z")
_ECHOED = ("Okay, I'll {}.", "Alright, I'll {}.", "Sure, I'll {}.", "Okay, let me {}.", "Got it, I'll {}.",
           "Alright, let me {}.", "Sure, let me {}.", "Okay, I'll go ahead and {}.", "Great, I'll {}.",
           "Got it. I'll {} now.", "I'll {} now.", "Right, I'll {}.", "Okay, I'm going to {}.")


def _echoes(text: str) -> tuple[str, ...]:
    """A question that offers to act, said as going ahead: "Shall I book {flight}?" ->
    "Okay, I'll book {flight}."; none for a question of another shape."""
    m = _ASKED.search(text)
    if m is None:
        return ()
    return tuple(text[:m.start()] + e.format(m.group("rest")) for e in _ECHOED)


def _rephrased(text: str) -> tuple[str, ...]:
    """``text`` with one phrase said another way of the same meaning (``_PHRASES``)."""
    out: dict[str, None] = {}
    for phrases in _PHRASES:
        for phrase in phrases:
            at = text.find(phrase)
            if at < 0:
                continue
            for other in phrases:
                out[text[:at] + other + text[at + len(phrase):]] = None
    out.pop(text, None)
    return tuple(out)


def _reworded(text: str) -> tuple[str, ...]:
    """``text`` with one sentence opening said another way of the same meaning (``_LEADS``)."""
    out: dict[str, None] = {}
    for start in _SENTENCE.finditer(text):
        at = start.end()
        m = _LEAD.match(text, at)
        if m is None:
            continue
        lead = m.group()
        for other in _LEAD_OF[lead.lower()]:
            if other.lower() == lead.lower() or (other.endswith(": ") and text[m.end():m.end() + 1] != "{"):
                continue  # "Here's what I found: " before a list alone, not "... found: three flights for you"
            if lead[0].islower() or text[:at].endswith(", "):  # after "Okay, ": keep it in the sentence
                other = other[0].lower() + other[1:] if not other.startswith("I ") and not other.startswith("I'") else other
            out[text[:at] + other + text[m.end():]] = None
    out.pop(text, None)
    return tuple(out)


_CONFIRM_LEADS = ("Shall I", "Should I", "Do you want me to", "Would you like me to", "Want me to", "Can I go ahead and",
                  "Should I go ahead and", "Shall I go ahead and", "Okay to", "Is it okay to", "Are you ready for me to",
                  "Shall we", "Should we", "Is it alright if I", "Would it be okay to", "Ready for me to", "Can I",
                  "Would you like me to go ahead and", "Do you want me to go ahead and", "Okay if I", "Is it alright to")
_CONFIRM_TAILS = ("?", " now?", ", then?", " right away?", " for you?")
# A confirmation said, then asked: "I'm ready to book {flight}. Shall I go ahead?"
_CONFIRM_SAID = ("I'm ready to {}. Shall I go ahead?", "I can {} now. Should I?", "Next step is to {}. Shall I?",
                 "All I need is your okay to {}. Go ahead?", "Just say the word and I'll {}. Shall I?",
                 "I'll {}. Is that right?", "You'd like me to {}, correct?", "Just to be sure, you want me to {}?",
                 "Before I do anything: you'd like me to {}?", "I'm all set to {}. Okay to go ahead?",
                 "Everything's ready to {}. Should I go ahead?", "So the plan is to {}. Sound good?",
                 "I'll {} if that's okay. Shall I?", "Just confirming: you want me to {}?",
                 "Am I right that you'd like me to {}?", "If I've got this right, you want me to {}?",
                 "Ready when you are. Shall I {}?", "Okay, so I'll {}. Does that sound right?",
                 "I've got everything I need to {}. Shall I go ahead?",
                 "One last check before I {}. Okay to proceed?",
                 "Do I have your go-ahead to {}?", "Are you happy for me to {}?", "Can you confirm you'd like me to {}?",
                 "I'll {} if you're good to go. Okay?", "Just need your okay: shall I {}?",
                 "Are you sure you'd like me to {}?", "Can I get a yes to {}?",
                 "Before I {}, can you confirm that's right?", "Okay for me to {}?",
                 "Once you confirm, I'll {}. Okay?", "I just need a yes to {}. Go ahead?",
                 "So, to be clear, you want me to {}?", "I'm about to {}. Is that okay?", "Last step: I'll {}. Confirm?",
                 "My plan is to {}. Does that work for you?", "Would you like me to proceed and {}?",
                 "Are we good to {}?", "Give me the nod and I'll {}. Shall I?")


def _confirmations(text: str) -> tuple[str, ...]:
    """A confirmation of the scenario's that asks to act ("Shall I book {flight}?") asked
    with another lead or tail ("Is it okay to book {flight} now?"); none for another shape."""
    m = _ASKED.search(text)
    if m is None:
        return ()
    rest = m.group("rest")
    # " for you?" after what I would do, and never "book you ... for you?" or "for {passengers} for you?"
    asked = [f"{lead} {rest}{tail}" for lead in _CONFIRM_LEADS for tail in _CONFIRM_TAILS
             if tail != " for you?" or (_ME.search(lead) and " for " not in rest and not _YOU.search(rest))]
    return tuple(text[:m.start()] + t for t in asked + [said.format(rest) for said in _CONFIRM_SAID])


_YOU, _ME = re.compile(r"\byou\b"), re.compile(r"\b(?:I|me)\b")


def _offers(text: str) -> tuple[str, ...]:
    """An offer of the scenario's ("Want me to book it?") asked in other words ("Shall I
    book it now?", "If you'd like, I can book it. Want me to?"); none for another shape."""
    m = _OFFER_ASK.search(text)
    if m is None:
        return ()
    before, rest = text[:m.start()], m.group("rest")
    # "book you a table": asked only by what I would do ("Shall I", never "Do you want to").
    leads = [lead for lead in _OFFER_LEADS if not _YOU.search(rest) or _ME.search(lead)]
    asked = [f"{lead} {rest}{tail}" for lead in leads for tail in _OFFER_TAILS]
    asked += [f"{lead} {rest} for you?" for lead in _OFFER_LEADS[:_ME_LEADS] if " for " not in rest and " you" not in rest]
    asked += [f"{lead} {rest} while I'm at it?" for lead in _OFFER_LEADS[:_ME_LEADS]]
    # never "I can book you a table for you": a rest that names "you" takes no second one
    said = [s.format(rest) for s in _OFFER_SAID if not (_YOU.search(rest) and "{} for you" in s)]
    return tuple(before + t for t in asked + said)


_MORE_LEADS = _OFFER_LEADS[:6]  # "Shall I" ... "Can I": what I would do, before "How about I"


def _more(text: str) -> tuple[str, ...]:
    """The scenario's own "anything else?" that offers to act ("Can I play something else
    for you?") asked with the leads that ask what I would do ("Want me to play ..."), never
    "How about I help with anything else?"; none for another shape."""
    m = _OFFER_ASK.search(text)
    if m is None or not _ME.search(m.group()) or m.group("rest").startswith("help"):  # "Shall I help ...?"
        return ()
    return tuple(text[:m.start()] + f"{lead} {m.group('rest')}{tail}" for lead in _MORE_LEADS
                 for tail in ("?", " now?", ", then?"))


_CHUNKS = re.compile(r"(?<!})(?: (?:from|to|for|in|at|on|with) \{[^{}]+\}){2,}(?![\w{])")
_ONE_CHUNK = re.compile(r" (?:from|to|for|in|at|on|with) \{[^{}]+\}")


# A route and a trip's date in other words, in ``_reordered``.
_DATED = re.compile(r" for (\{(?:date|\w+_date)\})")


def _reordered(text: str) -> tuple[str, ...]:
    """``text`` with a run of prepositional chunks in another order: "flights from {origin}
    to {destination} for {date}" -> "flights for {date} to {destination} from {origin}"
    ("from" and "to" stay next to each other)."""
    out: dict[str, None] = {}
    for run in _CHUNKS.finditer(text):
        units: list[tuple[str, ...]] = []
        for chunk in _ONE_CHUNK.findall(run.group()):
            if chunk.startswith(" to ") and units and units[-1][0].startswith(" from "):
                a, b = units[-1][0][len(" from "):], chunk[len(" to "):]  # "from A to B" stays together
                units[-1] = tuple(route.format(a=a, b=b) for route in ROUTES)
            else:
                units.append((chunk,))
        if any(len(u) > 1 for u in units):  # a trip: its date said as a trip's ("leaving {date}")
            units = [tuple(d.format(_DATED.fullmatch(u[0]).group(1)) for d in TRIP_DATES)  # type: ignore[union-attr]
                     if len(u) == 1 and _DATED.fullmatch(u[0]) else u for u in units]
        for order in itertools.permutations(units):
            for said in itertools.product(*order):
                out[text[:run.start()] + "".join(said) + text[run.end():]] = None
    out.pop(text, None)
    return tuple(out)


class Variants(NamedTuple):
    """What a response may be said with in one context: the scenario's texts, the
    phrasebook's, the openers that may go before either and the closers that may follow."""

    own: tuple[str, ...]
    extra: tuple[str, ...] = ()
    openers: tuple[str, ...] = ()
    opener_rate: float = OPENER_RATE
    #: a result list announced with its count: (the list's argument, texts by count - 1)
    counted: tuple[str, tuple[tuple[str, ...], ...]] | None = None
    own_share: float = OWN_SHARE  # how often ``own`` is drawn where ``extra`` has texts
    #: texts that also name what the response is about (``ABOUT``): said ``VALUED_SHARE`` of
    #: the time where the caller gives that value as argument ``about``
    valued: tuple[str, ...] = ()
    about: str | None = None
    #: sentences that may follow any text, after its final stop ("Take your time."): read
    #: apart by the reply reader, as openers are
    closers: tuple[str, ...] = ()
    closer_rate: float = CLOSER_RATE
    #: texts that name the values of the call a result or nothing found reports ("I found
    #: three flights from {~origin} to {~destination}: ..."): ``system_context.Contextual``
    contextual: tuple = ()


VALUED_SHARE = 0.4  # how often an offer names the item where it may
# An offer's "it" after what it would do to it ("book it", "add it to"): the item named there.
_IT = re.compile(r"\b(?:" + "|".join(sorted(ACTING | {"get", "grab", "keep", "store"})) + r") (it)\b(?! \w+ing\b)")


_ENDS_FOR = re.compile(r"\b(tickets|showtimes|a table|a reservation|a booking)\?\Z")


_ENJOY = re.compile(r"\bEnjoy (?:(the \w+)|your (\w+))!")


def enjoyed(scenario: Scenario) -> str | None:
    """The entity type a dialogue that went well is enjoyed for ("Enjoy Dune!"): the first
    API's result, where it is one item or one is picked (a song, a movie, a restaurant)."""
    first = next(iter(scenario.apis.values()), None)
    returns = first.returns if first is not None else None
    return returns.type if returns is not None and scenario.types[returns.type].is_entity else None


def _enjoy(text: str, item: str) -> str | None:
    """The scenario's own "Enjoy the movie!" naming it ("Enjoy {~Movie}!"), "Enjoy your
    meal!" where ("Enjoy your meal at {~Restaurant}!"); None for another text."""
    m = _ENJOY.search(text)
    if m is None:
        return None
    said = f"Enjoy {item}!" if m.group(1) else f"Enjoy your {m.group(2)} at {item}!"
    return text[:m.start()] + said + text[m.end():]


def _named(text: str, item: str) -> str | None:
    """``text`` with the item it offers to act on named ("Want me to add it to a playlist?"
    -> "Want me to add {~Track} to a playlist?"), or None where it says no "it" so."""
    m = _IT.search(text)
    if m is None:  # "Would you like tickets?" -> "... tickets for {~Showtime}?", "... a table at {~Restaurant}?"
        end = _ENDS_FOR.search(text)
        return text[:end.end(1)] + (" at " if end.group(1).startswith("a ") else " for ") + item + "?" if end else None
    if "while I'm at it" in text or text.count(" it") > 1 + text.count(" it's"):
        return None
    return text[:m.start(1)] + item + text[m.end(1):]


def with_opener(opener: str, text: str) -> str:
    """``"Okay, " + "Where to?"`` -> "Okay, where to?" (a word that is not a name or "I"
    loses its capital after a comma). A text that already opens with an acknowledgement
    ("Sure, what song?") is said as it is: never "Okay, sure, what song?"."""
    if _ACKNOWLEDGED.match(text):
        return text
    if ((opener.endswith(", ") or opener.rstrip()[-1:].isalpha()) and text[:1].isupper()
            and (text[1:2].islower() or text.startswith("A ")) and not text.startswith(("I ", "I'"))):
        text = text[0].lower() + text[1:]  # "Now then, a good next step ..."
    return opener + text


def mid_turn(variants: Variants) -> Variants:
    """``variants`` for a response that follows another in the same turn: no opener or
    text that acknowledges ("Okay, ", "Got it. ") where others remain, nor "Let me check. "
    (after "Looking for flights ..." it says it twice), nor "One moment. " (the echo before
    may have waited already); a joining word ("And ", "So ") may still open it. Never a text of its own: cut from
    "Okay, putting on {song}.", "Putting on {song}." would read as the result."""
    own = tuple(t for t in variants.own if not _ACK.match(t))
    extra = tuple(t for t in variants.extra if not _ACK.match(t))
    if not own and not extra:
        own, extra = variants.own, variants.extra
    return variants._replace(own=own, extra=extra, valued=tuple(t for t in variants.valued if not _ACK.match(t)),
                             openers=tuple(o for o in variants.openers if not _ACK.match(o)
                                           and not o.startswith("Let me") and not _WAITING.match(o)))


def _texts(v: Variants) -> tuple[str, ...]:
    """Every text of ``v``, without openers: its own, the phrasebook's, those that name what
    it is about, its counted lists and those that name the call's values."""
    return (v.own + v.extra + v.valued + tuple(t for ts in (v.counted or ("", ()))[1] for t in ts)
            + tuple(t for _, _, ts in v.contextual for t in ts))


def said_texts(scenario: Scenario,
               response: ResponseTemplate) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Every text ``response`` can be said with, in any context, without openers or closers;
    every opener that may go before one of them; and every closer that may follow one: what
    a reader needs, in a tenth of ``all_texts``'s strings (each opener goes before thousands
    of texts)."""
    texts: dict[str, None] = {}
    openers: dict[str, None] = {}
    closers: dict[str, None] = {}
    for v in response_variants(scenario, response).values():
        texts.update(dict.fromkeys(_texts(v)))
        openers.update(dict.fromkeys(v.openers))
        closers.update(dict.fromkeys(v.closers))
    return tuple(texts), tuple(openers), tuple(closers)


def all_texts(scenario: Scenario, response: ResponseTemplate) -> tuple[str, ...]:
    """Every text ``response`` can be said with, in any context, openers included (not the
    closers that may follow: ``said_texts``)."""
    out: dict[str, None] = {}
    for v in response_variants(scenario, response).values():
        for text in _texts(v):
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
        extra = _REQMORE + _REQMORE_COMPOSED
    elif act is ResponseAct.NO_RESULTS:  # by what the API does: found nothing, or nothing to book
        extra = _NO_RESULTS if not fill.acts else _NOT_BOOKED if fill.books else _NOT_AVAILABLE
    elif act is ResponseAct.FAILURE:
        extra = _FAILURE
    elif fill.boolean:
        extra = ()  # a yes/no question in the slot's own words, never "Which outdoor seating?"
    elif act is ResponseAct.REQUEST and response.slot is not None:
        extra = fill.requests()
    elif act is ResponseAct.CONFIRM_ARGS and response.slot is not None and response.slot in response.args:
        extra = fill.confirmations()
    elif response.generated and act is ResponseAct.CONFIRM_API:
        extra = fill(_CONFIRM_API) if any(t.endswith("?") for t in own) else fill(_ECHO)
    elif response.generated and act is ResponseAct.OFFER:
        extra = fill(_OFFER)
    elif response.generated and act is ResponseAct.INFORM and response.slot is not None:
        extra = fill.field()
    if act is ResponseAct.INFORM and (listed := fill.listed()):  # "Here's what came up: {flights}."
        extra += listed
    if act in _REWORDED and not fill.boolean:
        extra += tuple(r for t in own for r in _rephrased(t))
        extra += tuple(r for t in own + extra for r in _reworded(t))
    if act is ResponseAct.OFFER and not response.generated:  # its own and their rephrasings asked other ways
        extra += tuple(o for t in own for r in (t, *_rephrased(t)) for o in _offers(r))
    if act is ResponseAct.CONFIRM_API and not response.generated:
        extra += tuple(c for t in own for c in _confirmations(t))
    if act is ResponseAct.REQMORE and not response.generated:  # "Can I play something else for you?" asked other ways
        extra += tuple(o for t in own for o in _more(t))
    extra += tuple(r for t in own + extra for r in _reordered(t))
    extra = tuple(dict.fromkeys(t for t in extra if t not in own)) if phrasebook else ()
    share = GENERIC_SHARE if act in _GENERIC else OWN_SHARE
    openers = _OPENED.get(act, ()) if phrasebook else ()
    if act is ResponseAct.INFORM and fill.acts:  # "Let me check. Done!", "Let me see. Putting on Shallow."
        openers = tuple(o for o in openers if not _LOOKING.search(o))
    if act is ResponseAct.INFORM and response.slot is not None and phrasebook:  # a field of a result in hand
        openers = _FIELD_OPENERS
    if act is ResponseAct.REQUEST and phrasebook and response.slot is not None and not fill.is_pick and not fill.boolean:
        openers = openers + _ASK_PREFACES  # "Quick question. Where to?"
    if act is ResponseAct.CONFIRM_API and phrasebook and fill.takes_pick:
        openers = openers + _PICKED
    rate = {ResponseAct.REQUEST: REQUEST_OPENER_RATE, ResponseAct.REQMORE: 0.35, ResponseAct.OFFER: 0.35}.get(act, OPENER_RATE)
    counted = fill.counted() if act is ResponseAct.INFORM and phrasebook else None
    closers: tuple[str, ...] = ()
    if phrasebook and act is ResponseAct.INFORM:  # "Take your time.", "You're all set.", "Hope that helps."
        closers = _SORTED if fill.acts and response.slot is None else _BROWSE if counted else _HOPE
    elif phrasebook and act is ResponseAct.NO_RESULTS:  # "A different search might turn something up."
        closers = _REGRET if fill.acts else _RETRY
    out: dict[str, Variants] = {Context.PLAIN: Variants(own, extra, openers, rate, counted, share, closers=closers)}
    if act is ResponseAct.CONFIRM_API:
        asks = tuple(t for t in own + extra if t.endswith("?"))
        echoes = tuple(t for t in own + extra if not t.endswith("?"))
        out[Context.PLAIN] = Variants(tuple(t for t in own if t in asks) or own, tuple(t for t in extra if t in asks),
                                      openers, rate)
        mine = tuple(t for t in own if t in echoes)
        if not phrasebook:
            out[IMPLICIT] = Variants(echoes or fill(_ECHO))
        elif mine:
            others = tuple(t for t in echoes if t not in mine)
            out[IMPLICIT] = Variants(mine, others, _ECHO_OPENERS, closers=_WAIT_TAILS, closer_rate=WAIT_RATE)
        else:  # the scenario's own question said as an echo: "Shall I book {flight}?" -> "Okay, I'll book {flight}."
            said = tuple(e for t in own for e in _echoes(t)) or fill(_ECHO)
            out[IMPLICIT] = Variants(said, closers=_WAIT_TAILS, closer_rate=WAIT_RATE)
    elif act is ResponseAct.OFFER:
        taken = fill.item_type
        if phrasebook and taken is not None:  # "Want me to book it?" naming it: "... book the 9 am Delta flight?"
            plain = out[Context.PLAIN]
            named = tuple(dict.fromkeys(n for t in own + extra if (n := _named(t, "{" + ABOUT + taken + "}"))))
            out[Context.PLAIN] = plain._replace(valued=named, about=ABOUT + taken)
        one = tuple(t for t in own + extra if not _ONE_ITEM.search(t))
        # "Want me to book it?" said of several: "Want me to book one of them?"
        several = tuple(dict.fromkeys(t[:-len(" it?")] + tail for t in own + extra if t.endswith(" it?")
                                      and not t.endswith(" at it?")  # "while I'm at it": no item
                                      and not _ONE_ITEM.search(t[:-len(" it?")])
                                      for tail in (" one of them?", " one of those?")))
        if phrasebook:
            mine = tuple(t for t in own if t in one)
            more = tuple(t for t in one if t not in mine) + several + (
                fill(_OFFER_SEVERAL) if response.generated or not one + several else ())
            # the scenario's own that happen to fit several, at half OWN_SHARE: the one fitting
            # text ("Would you like to book one?") was said after a third of flights' searches;
            # the list done first, read apart ("Those are all the matches. Want me to book one?")
            out[SEVERAL] = Variants(mine or more, more if mine else (), tuple(f"{d} " for d in _LIST_DONE), LIST_DONE_RATE,
                                    own_share=OWN_SHARE / 2)
        else:
            out[SEVERAL] = Variants(one, fill(_OFFER_SEVERAL) if not one else ())
    elif act is ResponseAct.GOODBYE:
        # The scenario's own goodbye ("Enjoy the movie!") fits a dialogue that went well,
        # alone or after a word of thanks ("Happy to help. Enjoy the movie!").
        mine = own if not response.generated else ()
        if phrasebook:
            # ... naming what it was about: "Enjoy the music!" -> "Enjoy Let It Be by The Beatles!"
            taken = enjoyed(scenario) if mine else None
            named = () if taken is None else tuple(dict.fromkeys(
                n for t in mine if (n := _enjoy(t, "{" + ABOUT + taken + "}"))))
            about = ABOUT + taken if named and taken else None
            for context in (COMPLETED, THANKED):
                farewells, leads, led = _CLOSINGS[context]
                out[context] = Variants(mine or farewells, farewells if mine else (), leads, led,
                                        own_share=GENERIC_SHARE, valued=named, about=about)
            for context in (FAILED, ABANDONED):
                farewells, leads, led = _CLOSINGS[context]
                out[context] = Variants(farewells, (), leads, led)
        else:
            out[COMPLETED] = Variants(mine or _PLAIN_CLOSINGS[COMPLETED])
            out[THANKED] = Variants(mine or _PLAIN_CLOSINGS[THANKED])
            out[FAILED] = Variants(_PLAIN_CLOSINGS[FAILED])
            out[ABANDONED] = Variants(_PLAIN_CLOSINGS[ABANDONED])
        out[Context.PLAIN] = out[COMPLETED]
    if phrasebook and act in (ResponseAct.INFORM, ResponseAct.NO_RESULTS):
        if naming := contextual(scenario, response):  # "Sorry, I couldn't find any flights from {~origin} ..."
            out[Context.PLAIN] = out[Context.PLAIN]._replace(contextual=naming)
    return out


class _Fill:
    """Fills the phrasebook's ``{w}`` (the words of the response's slot or API), ``{p}``
    (the slot's placeholder), ``{f}`` (the result field's placeholder) and ``{with_}``
    (" with " and the values confirmed); and picks the wordings that fit what the slot
    holds (a city to leave from, a travel date, a count of people...)."""

    def __init__(self, scenario: Scenario, response: ResponseTemplate) -> None:
        self.response = response
        self.scenario = scenario
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
        self.takes_pick = api is not None and any(scenario.types[a.type].is_entity for a in api.args)
        # the item of a result the API acts on ("book it": a Flight), where it takes one
        self.item_type = next((a.type for a in api.args if scenario.types[a.type].is_entity), None) if api else None
        self.acts = api is not None and acts(api)  # its result reports a deed, not a look-up
        self.books = api is not None and api.confirm  # ... committed after the customer's yes
        said = [name for name in response.args if api is None or getattr(api.arg(name), "required", True)]
        echoed = [("{" + n + "}" if scenario.types.get(response.args[n]) is not None
                   and (scenario.types[response.args[n]].is_entity or response.args[n] == BOOLEAN)
                   else f"{words(n)} {{{n}}}") for n in said]
        self.with_ = f" with {spoken_list(echoed)}" if echoed else ""

    def __call__(self, texts: tuple[str, ...]) -> tuple[str, ...]:
        p = "{" + (self.response.slot or "") + "}"
        f = ""
        if self.response.slot is not None and self.response.args:
            f = "{" + next(iter(self.response.args)) + "." + self.response.slot + "}"
        return tuple(t.replace("{w}", self.w).replace("{p}", p).replace("{f}", f).replace("{with_}", self.with_)
                     for t in texts)

    @property
    def _kind(self) -> str:
        """What the slot holds (``slot_kinds.slot_kind``)."""
        return slot_kind(self.scenario, self.response.slot or "")

    def _travel(self) -> tuple[bool, bool]:
        """Whether an API taking the slot also takes a place to leave from or go to, and
        whether it is about flying."""
        slot = self.response.slot
        apis = [a for a in self.scenario.apis.values() if slot is not None and a.arg(slot) is not None]
        travel = any(a.arg(n) is not None for a in apis for n in ORIGINS | DESTINATIONS)
        return travel, any("flight" in a.name.lower() or "fly" in a.name.lower() for a in apis)

    def requests(self) -> tuple[str, ...]:
        """Ways to ask for the slot (for a pick among results: which one)."""
        if self.is_pick:
            return self(_PICK if self.response.generated else _PICK_NAMED)
        kind = self._kind
        travel, flying = self._travel()
        texts: tuple[str, ...] = {"origin": _ORIGIN, "destination": _DESTINATION, "time": _TIME, "people": _PEOPLE,
                                  "things": _THINGS, "city": _CITY}.get(kind, ())
        if kind == "date":
            texts = _TRAVEL_DATE + _DATE if travel else _DATE
        if flying and kind in _FLYING:
            texts = texts + _FLYING[kind]
        asked = ("travel date", "date") if kind == "date" and travel else (kind,)
        clauses = tuple(c for k in asked for c in _ASKED_FOR[k][0]) + (_ASKED_FLYING.get(asked[0], ()) if flying else ())
        texts = texts + _asked(clauses, tuple(n for k in asked for n in _ASKED_FOR[k][1]))
        if kind in ("other", "time"):  # not a count: never "Which tickets do you prefer?"
            texts = texts + tuple(t for t in _REQUEST if kind == "other" or "{w} " in t.replace("{w}?", "{w} "))
        return self(texts)

    def confirmations(self) -> tuple[str, ...]:
        """Ways to confirm the slot's value, each naming it by ``{p}``."""
        kind = self._kind
        singular = not self.w.endswith("s") or self.w.endswith("ss")
        texts: tuple[str, ...]
        if kind == "origin":
            texts = _CONFIRM_ORIGIN
        elif kind == "destination":
            texts = _CONFIRM_DESTINATION
        elif kind in ("people", "things"):
            texts = _CONFIRM_COUNT + _CONFIRM_VALUE
        elif kind in ("date", "time"):
            texts = _CONFIRM_BARE + _CONFIRM_VALUE
        else:
            texts = _CONFIRM_VALUE + (_CONFIRM_SINGULAR if singular else ()) + _CONFIRM_BARE[:4]
        if singular and kind not in ("origin", "destination"):
            texts = texts + _CONFIRM_SINGULAR
        checked = "count" if kind in ("people", "things") else "when" if kind in ("date", "time") else (
            kind if kind in _CHECKED else "value")
        bodies = _CHECKED[checked] + (_CHECKED_FLYING.get(kind, ()) if self._travel()[1] else ())
        if checked == "value" and singular:
            bodies = bodies + ("the {w} is {p}", "the {w} you want is {p}")
        return self(tuple(dict.fromkeys(texts + _checked(bodies))))

    def counted(self) -> tuple[str, tuple[tuple[str, ...], ...]] | None:
        """A result list announced with its count ("I found three flights: {flights}."), for
        an API's list output said whole; None for any other response."""
        api = self.scenario.apis.get(self.response.api or "")
        output = api.returns if api is not None else None
        if (output is None or not output.many or self.response.slot is not None
                or tuple(self.response.args) != (output.name,)):
            return None
        noun = words(output.type).lower()
        nouns = plural(noun)
        x = "{" + output.name + "}"
        by_count = []
        for k, word in enumerate(COUNT_WORDS, start=1):
            texts = _COUNTED_ONE if k == 1 else _COUNTED_MANY + (_COUNTED_TWO if k == 2 else _COUNTED_FEW) + _PLURAL_LISTED
            by_count.append(tuple(t.replace("{k}", word).replace("{K}", word.capitalize()).replace("{ns}", nouns)
                                  .replace("{n}", noun).replace("{x}", x) for t in texts))
        return output.name, tuple(by_count)

    def listed(self) -> tuple[str, ...]:
        """A result list said whole in other frames, any count ("Here's what came up:
        {flights}."); none for another response (``counted``)."""
        counted = self.counted()
        return tuple(t.replace("{x}", "{" + counted[0] + "}") for t in _LISTED) if counted else ()

    def field(self) -> tuple[str, ...]:
        """Ways to say one field of a result."""
        singular = not self.w.endswith("s") or self.w.endswith("ss")
        return self(_FIELD + (_FIELD_SINGULAR if singular else ()))
