"""How code names and templates become words: shared by the default responses, the
template index and the realiser. A leaf module (no dialogsim imports), so every stage can
use it without import cycles.
"""

from __future__ import annotations

import re

__all__ = ["PLACEHOLDER", "ABOUT", "placeholders", "words", "spoken_list", "ordinal_suffix", "first_word", "ACTING",
           "acts"]

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


def spoken_list(items) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def first_word(text: str) -> str:
    """A text's first word, without the mark after it, in lower case: two sentences of one
    turn that open with one word read as a stutter ("Glad you reached out. Glad to help.")."""
    return text.split(" ", 1)[0].strip(",.!?:;").lower()


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
