"""How code names and templates become words: shared by the default responses, the
template index and the realiser. A leaf module (no dialogsim imports), so every stage can
use it without import cycles.
"""

from __future__ import annotations

import re

__all__ = ["PLACEHOLDER", "ABOUT", "placeholders", "words", "spoken_list", "ordinal_suffix"]

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


def ordinal_suffix(n: int) -> str:
    """The suffix that makes ``n`` an ordinal in digits: 1 -> "st", 12 -> "th", 23 -> "rd"."""
    return "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
