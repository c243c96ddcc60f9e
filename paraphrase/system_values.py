"""How the system says values: an entity and a list in more than one form.

A real assistant does not say every flight as "Delta at 9 am for $89": it says "a 9 am
Delta flight for $89", "Delta for $89 at 9 am", "Delta, 9:00 am, $89". ``system_forms``: a
date or a time written another way ("9:00 am", "the 3rd of December"). ``entity_forms``
derives such forms from an entity type's ``say`` alone, where its shape allows (a head
field, then prepositional chunks: "{airline} at {departure_time} for {price}"): the chunks
reordered, a comma form, a chunk in other words by what its field holds ("leaving at
{departure_time}", "costing {price}"), a frame with the type's noun ("a {airline} flight
...", "the song {title} by {artist}", "{title} from {artist}"; never "{artist}'s {title}",
which says "The Eagles's"), a place before a time that heads ("{theater} at {time}").
``ARTICLE`` stands for the article the frame needs: "a"/"an" where a result is announced, "the" where a known item is meant.
``LIST_JOINS`` are the ways to join a list ("A, B and C", "A, B, and C", "A; B; and C",
"A. You could also try B"). The scenario's ``say`` and "A, B and C" stay the most frequent
(``OWN_FORM_SHARE``); only the form changes, never a value. The reply reader builds its
patterns from the same tables (``entity_forms``, ``LIST_JOINS``).
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING, Sequence

from dialogsim.spoken import value_forms, value_kind
from dialogsim.wording import PLACEHOLDER, words

if TYPE_CHECKING:
    import numpy as np

    from dialogsim.schema import Scenario

__all__ = ["ARTICLE", "OWN_FORM_SHARE", "LIST_JOINS", "entity_forms", "system_forms", "article", "join"]

ARTICLE = "{@a}"  # the article a frame puts before the words that follow it
OWN_FORM_SHARE = 0.4  # how often an entity is said through the scenario's own ``say``, a list as "A, B and C"
_CHUNK = re.compile(r" (?P<prep>[a-z]+) ")  # " at ": a literal between two fields that opens a chunk
_NAMES = ("name", "title")  # a head field that names the item: "{title}, a song by {artist}"


def entity_forms(scenario: "Scenario", type_name: str) -> tuple[str, ...]:
    """The forms of an entity type's ``say``, its own first; only the own one where its
    shape is not a head field followed by prepositional chunks."""
    entity = scenario.types[type_name]
    say = entity.say
    if say is None:
        return ()
    pieces = PLACEHOLDER.split(say.strip())
    literals, names = pieces[0::2], pieces[1::2]
    if literals[0] or literals[-1] or not names or not all(_CHUNK.fullmatch(lit) for lit in literals[1:-1]):
        return (say,)
    head = "{" + names[0] + "}"
    chunks = [f"{lit.strip()} {{{name}}}" for lit, name in zip(literals[1:-1], names[1:])]
    noun = words(type_name).lower()
    fields = dict(entity.fields)
    out = [say]
    out += [" ".join([head, *order]) for order in itertools.permutations(chunks)][1:]
    if len(chunks) >= 2:
        out.append(", ".join([head] + ["{" + n + "}" for n in names[1:]]))
    if not chunks:
        return (say,)
    # each chunk in its other words, one at a time and all at once: "Delta leaving at 9 am for $89"
    worded = [[c, *_reworded(c, name, fields.get(name, ""))] for c, name in zip(chunks, names[1:])]
    rewordings = [chunks[:k] + [alt] + chunks[k + 1:] for k, alts in enumerate(worded) for alt in alts[1:]]
    if sum(len(alts) > 1 for alts in worded) > 1:
        rewordings.append([alts[1 + (k % (len(alts) - 1))] if len(alts) > 1 else alts[0]
                           for k, alts in enumerate(worded)])
    out += [" ".join([head, *said]) for said in rewordings]
    kind = value_kind(names[0], fields.get(names[0], ""))
    if names[0].lower() in _NAMES or names[0].lower().endswith(tuple("_" + n for n in _NAMES)):
        out.append(f"the {noun} {head} {' '.join(chunks)}")
        if len(chunks) == 1 and chunks[0].startswith("by "):
            out.append(f"{head} from {chunks[0][3:]}")
    elif kind != "time":
        out.append(f"{ARTICLE} {head} {noun} {' '.join(chunks)}")
        out += [f"{ARTICLE} {head} {noun} {' '.join(said)}" for said in rewordings]  # "a Delta flight costing $89 ..."
        for k, name in enumerate(names[1:]):
            if value_kind(name, fields.get(name, "")) in ("time", "price"):  # "a 9 am Delta flight"
                rest = chunks[:k] + chunks[k + 1:]
                out.append(" ".join([ARTICLE, "{" + name + "}", head, noun, *rest]))
    elif len(chunks) == 1 and chunks[0].startswith("at "):  # a time, then a place: "the Roxie at 7 pm"
        out.append(f"{chunks[0][3:]} at {head}")  # (never "a 7 pm showtime": "showing at a 7 pm showtime")
    return tuple(dict.fromkeys(out))


# Other words for a chunk, by what its field holds: a price ("for $89": "costing $89"), a
# departure or an arrival time ("at 9 am": "leaving at 9 am"). Only the words change.
_PRICED = ("costing {}", "priced at {}")
_LEAVING = ("leaving at {}", "departing at {}")
_ARRIVING = ("arriving at {}", "getting in at {}")


def _reworded(chunk: str, name: str, type_name: str) -> tuple[str, ...]:
    """``chunk`` ("for {price}") in its other words, by what field ``name`` holds; none for
    a field of another kind or another preposition."""
    prep, _, field = chunk.partition(" ")
    kind = value_kind(name, type_name)
    if kind == "price" and prep in ("for", "at"):
        return tuple(w.format(field) for w in _PRICED)
    if kind == "time" and prep == "at" and ("depart" in name.lower() or "arriv" in name.lower()):
        return tuple(w.format(field) for w in (_LEAVING if "depart" in name.lower() else _ARRIVING))
    return ()


# A date or time in the system's words: written as an assistant writes it ("9:00 am", "9 in
# the morning", "the 3rd of December"), never in number words, abbreviations or digits
# alone ("nine am", "Dec 3", "12/3", "19:30"): a form change only, read back by the catalogue.
_UNWRITTEN = re.compile(r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
                        r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|first|second|third|fourth|fifth|"
                        r"sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|\w+teenth|twentieth|thirtieth|o'clock|half|quarter|"
                        r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\b"
                        r"|/|\b(?:1[3-9]|2[0-3]):\d\d\b|\d(?:am|pm)\b|\b(?:later|tmrw|Weds)\b", re.IGNORECASE)


def system_forms(scenario: "Scenario", type_name: str) -> dict[str, tuple[str, ...]]:
    """The other forms the system may say a date's or a time's values in (``_UNWRITTEN``
    says which not); empty for any other type (``spoken.value_kind``)."""
    slot_type = scenario.types.get(type_name)
    if slot_type is None or slot_type.is_entity:
        return {}
    values = tuple(slot_type.values)
    if value_kind("", type_name, values) not in ("date", "time"):
        return {}
    return {v: kept for v, forms in value_forms(values).items()
            if (kept := tuple(f for f in forms if not _UNWRITTEN.search(f) and not _NO_THE.match(f)
                              and (f.startswith("the ") or not v.startswith("the "))))}  # never "for 21st"


# An ordinal day before "of" needs its article: "the 3rd of December", never "for 3rd of December".
_NO_THE = re.compile(r"\d+(?:st|nd|rd|th) of ")


_AN = re.compile(r"(?:[aeio]|u(?!ni|s[eu])|8|11(?!\d)|18(?!\d)|\$8|\$11(?!\d)|\$18(?!\d))", re.IGNORECASE)


def article(following: str, definite: bool) -> str:
    """"the", or "a"/"an" by how ``following`` sounds ("an 8 pm", "an Alaska")."""
    if definite:
        return "the"
    return "an" if _AN.match(following) else "a"


# Ways to join list items: (between two items, before the last, whether it ends a sentence).
# "A. You could also try B" only where the list ends a sentence; the first is the own one.
LIST_JOINS: tuple[tuple[str, str, bool], ...] = (
    (", ", " and ", False),
    (", ", ", and ", False),
    ("; ", "; and ", False),
    (", ", ", as well as ", False),
    (", ", ". You could also try ", True),
)


def join(items: Sequence[str], rng: "np.random.Generator", *, sentence_end: bool, commas: bool = False) -> str:
    """``items`` joined in one of the ``LIST_JOINS`` ("A, B and C" ``OWN_FORM_SHARE`` of the
    time). Items with commas of their own ("Delta, 9 am, $89") are joined by semicolons,
    or "and" for two."""
    if len(items) <= 1:
        return "".join(items)
    if commas:
        return f"{items[0]} and {items[1]}" if len(items) == 2 else "; ".join(items[:-1]) + "; and " + items[-1]
    joins = [j for j in LIST_JOINS if (sentence_end or not j[2]) and (len(items) > 2 or j[1] in (" and ", ", as well as "))
             or j[2] and sentence_end]
    between, last, sentence = joins[0] if rng.random() < OWN_FORM_SHARE else joins[int(rng.random() * len(joins))]
    if sentence:
        rest = items[1:]
        tail = rest[0] if len(rest) == 1 else f"{', '.join(rest[:-1])} and {rest[-1]}"
        return items[0] + last + tail
    return between.join(items[:-1]) + last + items[-1]
