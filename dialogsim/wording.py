"""How code names and templates become words: shared by the default responses, the
template index and the realiser. A leaf module (no dialogsim imports), so every stage can
use it without import cycles.
"""

from __future__ import annotations

import re

__all__ = ["PLACEHOLDER", "ABOUT", "placeholders", "words", "spoken_list", "ordinal_suffix", "first_word",
           "plural", "sentences", "last_sentence", "last_first_word", "stutters", "apologises", "day_part", "ACTING", "acts"]

#: A ``{name}`` / ``{name.field}`` placeholder in a template. The loader checks the names;
#: everything after it splits templates with this one pattern.
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
#: Marks what a system response is about beyond its declared arguments: ``{~Flight}`` in a
#: wording is the flight the dialogue is about, which the system agent passes as ``~Flight``
#: where it knows one; the response records only the arguments it declares.
ABOUT = "~"

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")


def placeholders(template: str) -> list[str]:
    """The placeholders of a template, in order."""
    return PLACEHOLDER.findall(template)


def words(name: str) -> str:
    """Speakable words for a name: ``BookFlight`` -> "book flight", ``departure_time`` ->
    "departure time", ``FindATM`` -> "find ATM" (acronyms keep their capitals)."""
    return " ".join(w if len(w) > 1 and w.isupper() else w.lower() for w in _WORD.findall(name))


def plural(noun: str) -> str:
    """``noun`` for more than one: "flight" -> "flights", "city" -> "cities", "bus" -> "buses"."""
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "es" if noun.endswith(("s", "x", "ch", "sh")) else noun + "s"


def spoken_list(items) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def first_word(text: str) -> str:
    """A text's first word, without the mark after it, in lower case, "'s" folded: two
    sentences of one turn that open with one word read as a stutter ("Glad you reached
    out. Glad to help.", "Here we go. Here's what I found")."""
    word = text.split(" ", 1)[0].strip(",.!?:;").lower()
    return word[:-2] if word.endswith("'s") else word


_SENTENCE = re.compile(r"(?<=[.!?]) +(?=\S)")


def sentences(text: str) -> list[str]:
    """``text`` cut after each ".", "!" or "?" that a space follows."""
    return _SENTENCE.split(text.strip()) if text.strip() else []


def last_sentence(text: str) -> str:
    """``text``'s last sentence ("" for none)."""
    return (sentences(text) or [""])[-1]


def last_first_word(text: str) -> str:
    """The first word of ``text``'s last sentence: what a sentence said after it must not
    open with."""
    return first_word(last_sentence(text))


def stutters(text: str) -> bool:
    """Whether two sentences in a row of ``text`` open with one word ("Hope that helps. Hope
    to see you again!", "That's booked. That's $37.50"); "I" may open any number."""
    opened = [first_word(sentence) for sentence in sentences(text)]
    return any(a == b and a != "i" for a, b in zip(opened, opened[1:]))


_SORRY = re.compile(r"\b(?:sorry|apologi[sz]e|apologies)\b", re.IGNORECASE)


def apologises(text: str) -> bool:
    """Whether ``text`` says sorry: once a turn is enough ("Sorry, that's booked up. Sorry
    for the trouble.")."""
    return _SORRY.search(text) is not None


# A part of the day said in a greeting or a farewell ("good morning", "have a chilled evening",
# "wishing you a pleasant afternoon", "enjoy your night", "goodnight"); not a wish about the
# trip ("a morning flight", "in the morning").
_DAY_PART = re.compile(r"\bgood (morning|afternoon|evening|night)\b"
                       r"|\b(?:have|wish(?:ing)? you|enjoy) (?:an?|the rest of (?:your|the)|the)(?: \w+){0,2} "
                       r"(morning|afternoon|evening|night)\b|\byour (morning|afternoon|evening|night)\b"
                       r"|^\W*(?:(?:oh|hi|hey|well),? )?(morning|afternoon|evening)(?=[,.!]|$| there| again)"
                       r"|\b(goodnight|night night)\b", re.IGNORECASE)


def day_part(text: str) -> str | None:
    """The part of the day ``text`` greets or takes leave in -- "morning", "afternoon" or
    "evening" (a night is an evening) -- or None: a system that says "Have a lovely
    evening!" to a customer who said "good morning" was not listening."""
    found = None
    for m in _DAY_PART.finditer(text):
        found = next(g for g in m.groups() if g).lower()
    if found is None:
        return None
    return "evening" if found in ("night", "goodnight", "night night") else found


def ordinal_suffix(n: int) -> str:
    """The suffix that makes ``n`` an ordinal in digits: 1 -> "st", 12 -> "th", 23 -> "rd"."""
    return "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


# The first word of an API that acts: it books, adds, plays (an API that commits after a yes,
# or returns nothing, acts too; one that returns a list looks something up).
ACTING = frozenset(("add", "book", "buy", "cancel", "create", "delete", "make", "order", "pay", "play", "purchase",
                     "put", "queue", "register", "remove", "rent", "reserve", "save", "schedule", "send", "set",
                     "start", "stop", "subscribe", "transfer", "turn", "update"))


def acts(api) -> bool:
    """Whether ``api`` (a ``schema.Api``) acts (books, adds, plays) rather than looks
    something up: its result is no answer to look at ("Let me check." before it, or
    "nothing matched" when it finds nothing, read wrong)."""
    if api.confirm or api.returns is None:
        return True
    if api.returns.many:
        return False
    name = words(api.name).split()
    return bool(name) and name[0].lower() in ACTING
