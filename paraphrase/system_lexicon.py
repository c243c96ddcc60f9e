"""Words a system turn may say another way: phrases that mean the same wherever the
system's wordings use them ("Would you like" / "Do you want", "I found" / "I came across",
"What's" / "What is").

Real assistants' turns in task-oriented corpora were written or paraphrased by many
people, and each says the same thing in their own words; a phrasebook alone, however
large, repeats its words at every junction. ``vary`` rewords a chosen template's literal
words (never a ``{placeholder}``, so never a value), each phrase ``RATE`` of the time, to
another of its ``CLASSES``. Every member of a class must fit every place any member of it
appears in a system wording: the classes are narrow on purpose ("book it" / "reserve it",
not "book" / "reserve", which a scenario about books would say as a noun).

``pattern`` is the other half: a literal as a pattern that matches it said in any of the
classes' words, so the reply reader (``dialogsim.testing.understanding``) reads every
variant without indexing each; ``openings`` gives the ways a literal may begin, which the
reader indexes its variants by.
"""

from __future__ import annotations

import functools
import itertools
import re
from typing import TYPE_CHECKING, Iterator, Sequence

from dialogsim.wording import PLACEHOLDER

if TYPE_CHECKING:
    import numpy as np

__all__ = ["CLASSES", "RATE", "vary", "vary_literals", "pattern", "openings", "spaced"]

RATE = 0.4  # how often a phrase of ``CLASSES`` is said with another member of its class (or itself)

# Contractions said in full, either way; people mostly contract in chat, so these are
# reworded a third as often as the rest ("This will not take long" now and then).
_CONTRACTIONS = (("what's", "what is"), ("it's", "it is"), ("here's", "here is"), ("there's", "there is"),
                 ("I'll", "I will"), ("isn't", "is not"), ("couldn't", "could not"), ("don't", "do not"),
                 ("you're", "you are"), ("wasn't", "was not"), ("won't", "will not"), ("didn't", "did not"),
                 ("I'm", "I am"), ("wouldn't", "would not"), ("aren't", "are not"))
CLASSES: tuple[tuple[str, ...], ...] = (
    # offers and confirmations, asked
    ("do you want me to", "would you like me to", "shall I", "should I", "want me to"),
    ("would you like", "do you want"),
    ("can I", "could I", "may I"),
    # results
    ("I found", "I've found", "I was able to find", "I managed to find", "I came across", "I turned up"),
    ("I've got", "I have"),
    ("here you go", "here it is", "there you go", "here we go"),
    ("all set", "all done"),
    # look-ups
    ("let me look for", "let me search for", "I'll look for", "I'll search for", "let me find"),
    ("looking for", "searching for"),
    ("the search", "my search", "your search"),
    ("take a look", "have a look"),
    # confirmations
    # (not "to confirm" alone: "Just to double-check" would be "Just just to be sure")
    ("just to confirm", "just to check", "just checking", "just to be sure", "just so I have it right"),
    ("is that right", "is that correct", "have I got that right"),
    ("leaving from", "departing from"),
    ("heading to", "headed to", "travelling to"),
    # nothing found, failures
    ("sorry,", "I'm sorry,", "apologies,", "my apologies,"),
    ("unfortunately", "sadly", "I'm afraid"),
    ("right now", "at the moment"),
    ("right away", "straight away", "immediately"),
    ("something went wrong", "something's gone wrong", "something has gone wrong"),
    ("couldn't find", "wasn't able to find", "couldn't track down"),
    ("try again later", "try again a bit later", "try again in a little while"),
    # "anything else?", goodbyes
    ("anything else", "something else"),
    ("happy to help", "glad to help", "happy to assist", "glad to be of help"),
    ("happy to", "glad to"),
    ("have a nice day", "have a good day", "have a great day"),
    ("book it", "reserve it"), ("book one", "reserve one"), ("book the", "reserve the"), ("book a", "reserve a"),
    ("confirmation code", "confirmation number", "booking reference", "reference number"),
    # offers, requests
    ("if you'd like", "if you like", "if you want", "if you wish"), ("if you'd like me to", "if you want me to"),
    ("let me know", "tell me"),
    ("go ahead", "proceed"),
    # contractions, either way (not "that's": "So that is tickets for 8" reads stiff)
    *_CONTRACTIONS,
    # kept as they are: a shorter phrase inside would be reworded wrongly ("Do you want for me
    # to", "It is looking like there's Kumo")
    ("would you like for me to",), ("it's looking like",), ("that's it",), ("here's hoping",),
    ("go ahead and",),  # never "proceed and book it"
)

# Said only where a sentence starts: "Should I book it?" is "Want me to book it?", but
# "Which one should I go with?" is not "Which one want me to go with?".
_AT_START = frozenset({CLASSES[0]})
_SHORTENED = frozenset(_CONTRACTIONS)
_CLASS_OF = {member.casefold(): members for members in CLASSES for member in members}
assert len(_CLASS_OF) == sum(map(len, CLASSES)), "a phrase in two classes"
# Longest first, so "do you want me to" wins over "do you want", "I'm sorry," over "I'm".
_WORD = re.compile(r"(?<![\w'])[\w']+")
_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+)\Z")
# The phrases by their first word, longest first: "do you want me to" before "do you want".
_BY_FIRST: dict[str, list[str]] = {}
for _member in sorted(_CLASS_OF, key=len, reverse=True):
    _first = _WORD.match(_member)
    assert _first is not None, f"{_member!r} does not begin a word"
    _BY_FIRST.setdefault(_first.group(0), []).append(_member)


def _found(literal: str, reach: int | None = None) -> Iterator[tuple[int, int, tuple[str, ...]]]:
    """``(start, end, class)`` of each phrase of ``CLASSES`` in ``literal`` (whole words,
    up to case, the longest where several start at a word; none inside another), of those
    that start before ``reach``. A scan by first word: one expression of every phrase
    took the reply reader five times as long to build."""
    low, at = literal.casefold(), 0
    for word in _WORD.finditer(low):
        if reach is not None and word.start() >= reach:
            return
        if word.start() < at:
            continue
        for member in _BY_FIRST.get(word.group(0), ()):
            end = word.start() + len(member)
            if low.startswith(member, word.start()) and not (end < len(low) and (low[end].isalnum() or low[end] in "_'")):
                yield word.start(), end, _CLASS_OF[member]
                at = end
                break


def _cased(member: str, said: str, at_start: bool) -> str:
    """``member`` with the capital a sentence's first word needs; "I" and "OK" keep theirs."""
    if member[:2] in ("I ", "I'") or member == "I" or member[1:2].isupper():
        return member
    if at_start or (said[:1].isupper() and said[:2] not in ("I ", "I'")):
        return member[:1].upper() + member[1:]
    return member[:1].lower() + member[1:]


def _sayable(literal: str, before: str = "", reach: int | None = None) -> Iterator[tuple[int, int, tuple[str, ...], bool]]:
    """``_found``'s phrases that may be said another way where they stand (a lead only
    where a sentence starts), with whether one starts there."""
    for start, end, members in _found(literal, reach):
        first = bool(_SENTENCE_START.search(before + literal[:start]))
        if members not in _AT_START or first:
            yield start, end, members, first


def _vary_literal(literal: str, rng: "np.random.Generator", rate: float, before: str) -> str:
    out, at = [], 0
    for start, end, members, first in _sayable(literal, before):
        said = literal[start:end]
        if rng.random() < (rate / 3 if members in _SHORTENED else rate):
            said = _cased(members[int(rng.random() * len(members))], said, first)
        out += [literal[at:start], said]
        at = end
    return "".join(out) + literal[at:]


def vary_literals(literals: Sequence[str], rng: "np.random.Generator", *, skip: int = 0,
                  rate: float = RATE) -> list[str]:
    """A parsed template's literals (those around its placeholders) with some of their
    phrases said another way; the first ``skip`` characters (an opener the reply reader
    reads as it is) as they are."""
    out = [literals[0][:skip] + _vary_literal(literals[0][skip:], rng, rate, literals[0][:skip])]
    out += [_vary_literal(literal, rng, rate, "}") for literal in literals[1:]]
    return out


def vary(text: str, rng: "np.random.Generator", rate: float = RATE) -> str:
    """``text`` (a template) with some of its phrases said another way; its placeholders
    as they are."""
    pieces = PLACEHOLDER.split(text)  # literal, placeholder, literal, ...
    pieces[0::2] = vary_literals(pieces[0::2], rng, rate=rate)
    return "".join(p if k % 2 == 0 else "{" + p + "}" for k, p in enumerate(pieces))


def spaced(text: str) -> str:
    """Literal text as a pattern: any run of spaces matches any run of spaces."""
    return r"\s+".join(re.escape(part) for part in text.split(" "))


_ANY_OF = {members: "(?:" + "|".join(spaced(v) for v in sorted(members, key=len, reverse=True)) + ")"
           for members in CLASSES}


@functools.lru_cache(maxsize=65536)
def pattern(literal: str) -> str:
    """A regular expression (to compile case-insensitively) for ``literal`` said in any of
    the ``CLASSES``' words."""
    out, at = [], 0
    for start, end, members, _ in _sayable(literal):
        out += [spaced(literal[at:start]), _ANY_OF[members]]
        at = end
    out.append(spaced(literal[at:]))
    return "".join(out)


_OPENING_WORDS = 3  # a phrase that starts within a literal's first words may change its head


@functools.lru_cache(maxsize=65536)
def openings(literal: str) -> tuple[str, ...]:
    """``literal`` and the ways its first words may be said (``vary``): what an index of
    texts by their first words needs."""
    reach = len(" ".join(literal.split(" ", _OPENING_WORDS)[:_OPENING_WORDS]))
    found = list(_sayable(literal, reach=reach))
    if not found:
        return (literal,)
    out: dict[str, None] = {}
    for choice in itertools.product(*(members for _, _, members, _ in found)):
        said, at = [], 0
        for (start, end, _, _), member in zip(found, choice):
            said += [literal[at:start], member]
            at = end
        said.append(literal[at:])
        out["".join(said)] = None
    return tuple(out)
