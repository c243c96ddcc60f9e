"""Faker providers: the one place that finds, checks and calls them.

A catalogue type may take its values from a Faker provider (``faker: city``,
``faker_args: {...}``). The loader checks the provider and its arguments while it reads the
file, so a mistake is one error naming the line; the catalogue calls the provider to fill
the type's value pool. Both go through these functions, so the two can never disagree on
what a provider is or how it is called. (Checks of what a provider returns belong here too.)
"""

from __future__ import annotations

import datetime
import decimal
import math
import re
from typing import Any, Callable, Mapping

from dialogsim._yaml import suggest

__all__ = ["is_provider_name", "new_faker", "provider", "call", "check", "depends_on_today", "TIME_DEPENDENT",
           "MAX_SIZE_ARG", "MAX_VALUE_CHARS"]

# Size arguments (pystr's min_chars, pylist's nb_elements, text's max_nb_chars, ...) beyond
# this make values no customer says, and can take gigabytes before the first one returns.
MAX_SIZE_ARG = 1000
_SIZE_ARG = re.compile(r"(^|_)(nb|count|length|digits|chars|elements|rows|files|words|sentences|texts|size)(_|$)")
MAX_VALUE_CHARS = 200  # a slot value is a few words
# What a value may be: text, or what reads as text (numbers, dates, which the catalogue speaks)
_VALUE_TYPES = (str, int, float, decimal.Decimal, datetime.date, datetime.time)
_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")

#: Providers whose values depend on the day they are drawn (they pick a moment between
#: fixed points and *now*), so the same seed gives another corpus tomorrow.
TIME_DEPENDENT = frozenset({
    "am_pm", "century", "date", "date_between", "date_between_dates", "date_object", "date_of_birth",
    "date_this_century", "date_this_decade", "date_this_month", "date_this_year", "date_time", "date_time_ad",
    "date_time_between", "date_time_between_dates", "date_time_this_century", "date_time_this_decade",
    "date_time_this_month", "date_time_this_year", "day_of_month", "day_of_week", "future_date",
    "future_datetime", "iso8601", "month", "month_name", "past_date", "past_datetime", "time", "time_delta",
    "time_object", "time_series", "unix_time", "year",
})
# ... unless given both bounds as fixed dates
_BOUNDS = {"date_between": ("start_date", "end_date"), "date_time_between": ("start_date", "end_date"),
           "date_between_dates": ("date_start", "date_end"),
           "date_time_between_dates": ("datetime_start", "datetime_end")}

# Faker attributes that are machinery, not value providers
_NOT_PROVIDERS = frozenset({"seed", "seed_instance", "seed_locale", "add_provider", "get_providers", "provider",
                            "format", "parse", "get_formatter", "set_formatter", "set_arguments",
                            "get_arguments", "del_arguments", "random", "locales", "weights", "factories",
                            "items", "unique", "optional"})


def is_provider_name(name: str) -> bool:
    """Whether ``name`` can name a value provider (not Faker's own machinery)."""
    return not name.startswith("_") and name not in _NOT_PROVIDERS


def new_faker(seed: int) -> Any:
    """A Faker seeded with ``seed``; Faker is slow to import, so only scenarios that use it pay."""
    from faker import Faker

    fake = Faker()
    fake.seed_instance(seed)
    return fake


def provider(fake: Any, name: str) -> Callable[..., Any]:
    """The provider ``name`` of ``fake``; ``ValueError`` (with a suggestion) when there is none."""
    func = getattr(fake, name, None) if is_provider_name(name) else None
    if not callable(func):
        raise ValueError(f"unknown Faker provider {name!r}{suggest(name, filter(is_provider_name, dir(fake)))}")
    return func


def call(func: Callable[..., Any], name: str, args: Mapping[str, Any]) -> Any:
    """One value from provider ``name``: text, a number or a date (the catalogue says it;
    it strips spaces around it and skips an empty one). ``ValueError`` carrying the
    provider's own complaint (the message an author needs) when it fails with these
    arguments, and naming what is wrong when a size argument is too large or the value is
    no text a customer could say (bytes, None, a list, a line break, hundreds of characters)."""
    for key, size in args.items():
        if _SIZE_ARG.search(key) and isinstance(size, int) and not isinstance(size, bool) and size > MAX_SIZE_ARG:
            raise ValueError(f"{key}: at most {MAX_SIZE_ARG} (a slot value is a few words), got {size}")
    try:
        value = func(**args)
    except Exception as exc:
        raise ValueError(f"Faker provider {name!r} fails with these arguments: {type(exc).__name__}: {exc}") from None
    if isinstance(value, bool) or not isinstance(value, _VALUE_TYPES) \
            or (isinstance(value, float) and not math.isfinite(value)):
        shown = repr(value)
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        raise ValueError(f"Faker provider {name!r} returned {type(value).__name__} {shown}, "
                         "not text, a number or a date")
    if isinstance(value, str):
        if len(value) > MAX_VALUE_CHARS:
            raise ValueError(f"Faker provider {name!r} returned {len(value)} characters; a value has at most "
                             f"{MAX_VALUE_CHARS}")
        if _BREAKS.search(value):
            raise ValueError(f"Faker provider {name!r} returned text with a line break or control character: "
                             f"{value[:40]!r}")
    return value


def check(func: Callable[..., Any], name: str, args: Mapping[str, Any], draws: int = 20) -> None:
    """Draw ``draws`` values as ``call`` does, for the loader: an error found now is one
    line at the type, not a failed generation. Refuses a provider that gives only empty
    values (the catalogue would have none to use)."""
    if not any(str(call(func, name, args)).strip() for _ in range(draws)):
        raise ValueError(f"Faker provider {name!r} gave only empty values in {draws} draws")


def depends_on_today(name: str, args: Mapping[str, Any]) -> bool:
    """Whether provider ``name`` with ``args`` draws relative to the current date (see
    ``TIME_DEPENDENT``): with fixed dates for both bounds, ``date_between`` and its kin
    do not."""
    bounds = _BOUNDS.get(name)
    if bounds is not None and all(isinstance(args.get(b), datetime.date) for b in bounds):
        return False
    return name in TIME_DEPENDENT
