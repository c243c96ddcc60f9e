"""Numbers, amounts, ordinals and clock times in words, as a speech recogniser writes them.

``value_kind`` says what a slot or field holds (a date, a time of day, a price), the one
test that the catalogue's day-part rule, the system's value forms and its requests share;
``clock_minutes`` reads a clock time.

The ASR-style augmenter speaks the words around the slot values with ``spoken_word``; the
catalogue gives every value with digits a spoken surface form with ``spoken_value``
("7:30 am" -> "seven thirty am", "$220" -> "two hundred twenty dollars"), so the corpus
has both "2" and "two" for the same canonical value.
"""

from __future__ import annotations

import re
from typing import Sequence

from dialogsim.places import place_forms

__all__ = ["number_words", "ordinal_words", "spoken_word", "spoken_value", "value_forms", "value_kind", "clock_minutes"]


_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
         "fifteen sixteen seventeen eighteen nineteen").split()
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (10**3, "thousand"))
_ORDINAL = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
            "nine": "ninth", "twelve": "twelfth"}


def number_words(n: int) -> str:
    """``n`` (0 <= n < 10**15) in words, as a speech recogniser writes it: 220 -> "two
    hundred twenty" (no "and", no hyphens)."""
    if not 0 <= n < 10**15:
        raise ValueError(f"number_words needs 0 <= n < 10**15, got {n}")
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (" " + _ONES[ones] if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return _ONES[hundreds] + " hundred" + (" " + number_words(rest) if rest else "")
    for scale, name in _SCALES:
        if n >= scale:
            high, rest = divmod(n, scale)
            return number_words(high) + " " + name + (" " + number_words(rest) if rest else "")
    raise AssertionError("unreachable")


def ordinal_words(n: int) -> str:
    """``n`` as an ordinal in words: 2 -> "second", 21 -> "twenty first", 40 -> "fortieth"."""
    head, _, last = number_words(n).rpartition(" ")
    if last in _ORDINAL:
        last = _ORDINAL[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return f"{head} {last}" if head else last


def _digits_words(digits: str) -> str:
    return " ".join(_ONES[int(d)] for d in digits)


_CURRENCY = {"$": ("dollar", "dollars", "cents"), "€": ("euro", "euros", "cents"), "£": ("pound", "pounds", "pence")}
_STRIP = "!\"()*,-./:;<=>?[\\]^_`{|}~¡¿«»“”„…–—·"
_QUOTES = "'’"
_INTEGER = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
_DECIMAL = re.compile(r"(\d+)\.(\d+)")
_MONEY = re.compile(r"([$€£])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d\d))?")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)%")
_ORDINAL_DIGITS = re.compile(r"(\d+)(?:st|nd|rd|th)")
_CLOCK = re.compile(r"(\d{1,2}):(\d\d)(am|pm)?")
_HOUR = re.compile(r"(\d{1,2})(am|pm)")
_SYMBOLS = {"&": "and", "+": "plus", "@": "at", "a.m": "am", "p.m": "pm"}


def _cardinal(digits: str) -> str:
    digits = digits.replace(",", "")
    if (len(digits) > 1 and digits[0] == "0") or len(digits) > 15:
        return _digits_words(digits)  # codes and long numbers are read digit by digit
    return number_words(int(digits))


def spoken_word(word: str) -> str:
    """An outside-span word as a recogniser writes it: lower case, no punctuation at its
    ends, numbers, amounts, percentages, ordinals and clock times in words."""
    core = word.lower().strip(_STRIP).rstrip(_QUOTES)
    if core[:1] in _QUOTES and not core[1:2].isalpha():
        core = core.lstrip(_QUOTES).strip(_STRIP)
    if not core or not any(c.isdigit() for c in core):
        return _SYMBOLS.get(core, core)
    if _INTEGER.fullmatch(core):
        return _cardinal(core)
    if m := _MONEY.fullmatch(core):
        one, many, cents = _CURRENCY[m.group(1)]
        amount = m.group(2).replace(",", "")
        said = f"{_cardinal(amount)} {one if amount == '1' else many}"
        if m.group(3) and m.group(3) != "00":
            said += f" and {number_words(int(m.group(3)))} {cents}"
        return said
    if m := _DECIMAL.fullmatch(core):
        return f"{_cardinal(m.group(1))} point {_digits_words(m.group(2))}"
    if m := _PERCENT.fullmatch(core):
        return f"{spoken_word(m.group(1))} percent"
    if m := _ORDINAL_DIGITS.fullmatch(core):
        return ordinal_words(int(m.group(1))) if len(m.group(1)) < 16 else core
    if m := _CLOCK.fullmatch(core):
        hour, minute = int(m.group(1)), int(m.group(2))
        said = number_words(hour)
        if minute:
            said += (" oh " if minute < 10 else " ") + number_words(minute)
        return said + (" " + m.group(3) if m.group(3) else "")
    if m := _HOUR.fullmatch(core):
        return f"{number_words(int(m.group(1)))} {m.group(2)}"
    return core


def spoken_value(value: str) -> str | None:
    """``value`` with every word that holds digits spoken ("December 3rd" -> "December
    third"), or None when it has no digits or some of them cannot be spoken (codes such as
    "AB1234" are read as they are)."""
    if not any(c.isdigit() for c in value):
        return None
    words = []
    for word in value.split():
        if any(c.isdigit() for c in word):
            word = spoken_word(word)
            if not word or any(c.isdigit() for c in word):
                return None
        words.append(word)
    said = " ".join(words)
    return said if said and said != value else None


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_DATE = re.compile(r"(" + "|".join(_MONTHS) + r") (\d{1,2})(st|nd|rd|th)")
_TIME = re.compile(r"(\d{1,2})(?::(\d\d))? ?(am|pm)")
_DAY_OF_MONTH = re.compile(r"the (\d{1,2})(st|nd|rd|th)")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DAY_SHORT = {"Tuesday": ("Tue", "Tues"), "Wednesday": ("Wed", "Weds"), "Thursday": ("Thu", "Thurs")}
# Days said relative to today, in other words of the same day ("later today", "tmrw").
_RELATIVE = {"today": ("later today",), "tomorrow": ("tmrw",), "tonight": ("later tonight", "this evening"),
             "tomorrow night": ("tomorrow evening", "tmrw night"), "this weekend": ("the weekend", "this coming weekend")}
# A clock's minutes as people say them before the hour or after it ("twenty past eight").
_PAST = {"05": "five past", "10": "ten past", "15": "quarter past", "20": "twenty past", "30": "half past"}
_TO = {"40": "twenty to", "45": "quarter to", "50": "ten to", "55": "five to"}


def _part_of_day(hour: int, half: str) -> str:
    """What a clock hour is said with instead of am/pm: 7 am -> "in the morning"."""
    if half == "am":
        return "in the morning"
    return "in the afternoon" if hour == 12 or hour < 5 else "in the evening" if hour < 9 else "at night"


def _written_forms(value: str) -> list[str]:
    """Other ways people write ``value``: a date without its suffix, with its month short
    or as numbers ("December 3", "Dec 3rd", "the 3rd of December", "12/3"), a time as
    ``_clock_forms`` lists them, "noon" as "12 pm", "this Saturday" as "Saturday", "Sat" or
    "Saturday this week", "Monday" as "this Monday", "the 21st" as "21st" or "the
    twenty-first", "today" as "later today" (``_RELATIVE``)."""
    forms: list[str] = []
    if m := _DATE.fullmatch(value):
        month, day, suffix = m.groups()
        short = month[:3]
        forms += [f"{month} {day}", f"{short} {day}{suffix}", f"{short} {day}", f"the {day}{suffix} of {month}",
                  f"{day}{suffix} {month}", f"{month} the {day}{suffix}"]
        forms += [f"the {ordinal_words(int(day))} of {month}", f"{month} {ordinal_words(int(day))}",
                  f"{day} {short}", f"{day}{suffix} of {month}"]
        forms += [f"{_MONTHS.index(month) + 1}/{day}",
                  f"{month} the {ordinal_words(int(day))}", f"{day} {month}", f"{short} {ordinal_words(int(day))}"]
        if short != month:  # "Dec. 3", never "May. 19"
            forms += [f"{short}. {day}", f"{short}. {day}{suffix}"]
    elif m := _DAY_OF_MONTH.fullmatch(value):  # "the 21st": "21st", "the twenty first"
        day, suffix = m.groups()
        forms += [f"{day}{suffix}", f"the {ordinal_words(int(day))}", f"the {day}{suffix} of the month",
                  f"the {ordinal_words(int(day)).replace(' ', '-')}", f"the {day}{suffix} of this month"]
    elif value in _DAYS:  # "Monday": "this Monday", "Mon"
        forms += [f"this {value}", value[:3], f"this coming {value}", *_DAY_SHORT.get(value, ())[1:]]
    elif m := _TIME.fullmatch(value):
        forms += _clock_forms(int(m.group(1)), m.group(2), m.group(3))
    elif value == "noon":
        forms += ["12 pm", "midday", "12 noon", "12:00 pm", "twelve noon"]
    elif value.startswith("this ") and value[5:] in _DAYS:
        day = value[5:]
        forms += [day, f"this coming {day}", day[:3], f"this {day[:3]}", f"{day} this week"]
    elif value.startswith("next ") and value[5:] in _DAYS:
        day = value[5:]
        forms += [f"{day} next week", f"next {day[:3]}", f"{day} of next week",
                  *(f"next {short}" for short in _DAY_SHORT.get(day, ())[1:])]
    elif value in _RELATIVE:
        forms += _RELATIVE[value]
    return forms


def _clock_forms(hour: int, minute: str | None, half: str) -> list[str]:
    """A clock time as people write and say it: "7:30am", "7:30 a.m.", "7:30 in the
    evening", "half past seven in the evening", "seven thirty in the evening", "19:30";
    "quarter to five in the afternoon" for 4:45 pm; "six o'clock in the evening" for 6 pm."""
    if not 1 <= hour <= 12:
        return []
    clock = f"{hour}:{minute}" if minute else str(hour)
    part = _part_of_day(hour, half)
    forms = [f"{clock}{half}", f"{clock} {half[0]}.m.", f"{clock} {part}"]
    if minute is None:
        forms += [f"{hour}:00 {half}", f"{number_words(hour)} o'clock {part}", f"{number_words(hour)} {part}"]
    else:
        if minute in _PAST:
            forms.append(f"{_PAST[minute]} {number_words(hour)} {part}")
        elif minute in _TO:
            forms.append(f"{_TO[minute]} {number_words(hour % 12 + 1)} {part}")
        minutes = number_words(int(minute)) if minute[0] != "0" else f"oh {number_words(int(minute))}"
        forms.append(f"{number_words(hour)} {minutes} {part}")
    if half == "pm" and hour != 12:  # a 24-hour clock
        forms.append(f"{hour + 12}:{minute or '00'}")
    return forms


def value_forms(values: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """The surface forms of each of ``values`` (one type's) besides itself: its spoken form
    and the ways people write it (``spoken_value``, then dates and times as
    ``_written_forms`` lists them, a well-known city's other names as ``places.place_forms``
    lists them: "Philly", "St Louis"). A form that is another value of the type, or that two
    values would share, is left out: a surface says one value."""
    taken = {v.casefold() for v in values}
    found: dict[str, list[str]] = {}
    owner: dict[str, str | None] = {}
    names = place_forms(values)
    for value in values:
        spoken = spoken_value(value)
        forms = ([spoken] if spoken is not None else []) + _written_forms(value) + list(names.get(value, ()))
        for form in dict.fromkeys(forms):
            key = form.casefold()
            if key in taken or form == value:
                continue
            if key in owner and owner[key] != value:
                owner[key] = None  # two values would share it
            else:
                owner[key] = value
            found.setdefault(value, []).append(form)
    return {value: kept for value, forms in found.items()
            if (kept := tuple(f for f in forms if owner[f.casefold()] == value))}


_CLOCK_TIME = re.compile(r"(\d{1,2})(?::(\d\d))? ?([ap])\.?m\.?", re.IGNORECASE)
_CLOCK_WORDS = {"noon": 12 * 60, "midday": 12 * 60, "midnight": 0}
_PRICES = frozenset(("price", "cost", "fare"))


def clock_minutes(value: str) -> int | None:
    """``value`` as minutes after midnight when it is a clock time ("7:30 pm", "noon"), or None."""
    text = value.strip().lower()
    if text in _CLOCK_WORDS:
        return _CLOCK_WORDS[text]
    match = _CLOCK_TIME.fullmatch(text)
    if match is None or not 1 <= int(match.group(1)) <= 12:
        return None
    hour = int(match.group(1)) % 12 + (12 if match.group(3).lower() == "p" else 0)
    return hour * 60 + int(match.group(2) or 0)


def value_kind(name: str, type_name: str = "", values: Sequence[str] = ()) -> str | None:
    """What slot or field ``name`` of type ``type_name`` holds: "time" (a time of day: the
    type or the name says so -- ``Time``, ``DepartureTime``, ``time``, ``departure_time``,
    never ``runtime`` -- or every one of ``values`` is a clock time), "date", "price", or
    None. Wording that depends on it asks "What time?", says "a 9 am flight", writes "9:00
    am", and keeps "tonight" with an evening time."""
    name = name.lower()
    if type_name.endswith("Time") or name == "time" or name.endswith("_time") or (
            values and all(clock_minutes(v) is not None for v in values)):
        return "time"
    if type_name.endswith("Date") or name == "date" or name.endswith("_date"):
        return "date"
    if type_name.endswith("Price") or name in _PRICES:
        return "price"
    return None
