"""Wordings of a call's report that say the call's own values back.

Real systems name the search they report: "I found three flights from Boston to Denver
for Monday: ...", "In Denver, expect light rain ...", "Sorry, I couldn't find any Italian
restaurants in Boston." ``contextual`` gives, for a response that reports a whole result
(``INFORM`` with no slot) or nothing found (``NO_RESULTS``), such texts built from its
API's arguments by what they hold: a route (origin and destination, in the phrasebook's
route forms), a city (" in {~city}"), a date (" for {~date}": right before "today",
"tonight", "next Monday" and "the 15th" alike), a sort or price range said before the
result's noun ("cheap Italian restaurants"), a song and its artist, a playlist. Kinds
that no one preposition fits in every case are left out (never "for Italian").

The values are no arguments of the response: the system agent passes those the customer
gave as ``about`` (``{~origin}``: ``dialogsim.wording.ABOUT`` and the argument's name), and
a text is drawn only where every value it names was given (``fitting``), ``CONTEXT_SHARE``
of the time, so the scenario's own texts stay common; nothing found, only where it names
every value given (never "no flights from Boston to Denver" after a search for Monday's).
The agent leaves out the values its echo before the call said in the same turn ("Looking
for flights from Boston to Denver." is not followed by "I found three flights from Boston
to Denver"), so with the default echo a report names what the echo did not: a date for
the weather, a price range, an airline. ``placeholder_type`` is what a placeholder holds,
for the realiser and the reply reader alike.

The phrasebook (``system_phrases``) puts these texts in ``Variants.contextual``; the route
forms and slot kinds both say are in ``slot_kinds``.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from dialogsim.paraphrase.slot_kinds import COUNT_WORDS, ROUTES, TRIP_DATES, slot_kind
from dialogsim.schema import Api, ResponseAct, ResponseTemplate, Scenario
from dialogsim.wording import ABOUT, acts, placeholders, plural, words

__all__ = ["CONTEXT_SHARE", "EVERY", "Contextual", "contextual", "fitting", "placeholder_type"]

CONTEXT_SHARE = 0.35  # how often a report names the call's values where it may

#: texts that need the same values: (the ``{~name}`` values they name, the result count
#: they fit -- 0 for any, ``EVERY`` where they must name every value given -- and the texts)
Contextual = tuple[frozenset[str], int, tuple[str, ...]]
#: Nothing found for less than was asked is a claim the call did not make ("no flights from
#: Boston to Denver" after a search for Monday's): such a text names every value given.
EVERY = -1

# Slots said before a result's noun, where their values are words ("cheap", "Italian",
# "sci-fi", "Delta") the items do not say: a price range, then a sort.
_PRICED = frozenset(("price_range", "price_level", "budget"))
_SORTS = frozenset(("cuisine", "genre", "category", "style", "food", "food_type", "airline", "brand"))
_TITLES = frozenset(("song", "song_name", "track_name", "title"))
_BY = frozenset(("artist", "artist_name", "singer", "band", "performer"))
_WORDS = re.compile(r"[A-Za-z][A-Za-z -]*\Z")

# Results announced with their count and what was asked: ``{ns}`` the noun with its sorts
# ("cheap Italian restaurants"), ``{at}`` where and when (" in Boston for tonight").
_ONE = ("I found one {n}{at}: {x}.", "There's just one {n}{at}: {x}.", "Only one {n}{at} came up: {x}.",
        "I found just one {n}{at}: {x}.")
_MANY = ("I found {k} {ns}{at}: {x}.", "There are {k} {ns}{at}: {x}.", "{K} {ns}{at} came up: {x}.",
         "I see {k} {ns}{at}: {x}.", "I've found {k} {ns}{at}: {x}.", "Here are the {ns} I found{at}: {x}.")
_TWO = ("I found a couple of {ns}{at}: {x}.", "There are a couple of {ns}{at}: {x}.")
_FEW = ("I found a few {ns}{at}: {x}.", "There are several {ns}{at}: {x}.", "A few {ns}{at} came up: {x}.")
# ... said without a noun, for any count: only where and when ("Here's what I found for Monday: ...").
_FRAMES = ("Here's what I found{at}: {x}.", "Here's what came up{at}: {x}.", "Here's what's available{at}: {x}.",
           "Here's what I've got{at}: {x}.")
_NONE = ("Sorry, I couldn't find any {ns}{at}.", "I couldn't find any {ns}{at}, I'm afraid.",
         "Sorry, there are no {ns}{at}.", "Sorry, I'm not finding any {ns}{at}.", "I didn't find any {ns}{at}.",
         "I looked, but there are no {ns}{at}.")
# One result: the scenario's own text after where and when ("In Denver, expect light rain ..."),
# where it opens with a word that reads well after a comma; "Looks like" becomes "it looks like".
_LEADS = ("In {c}, ", "For {d}, ", "For {d} in {c}, ")
_LED = frozenset(("expect", "the", "it's", "there's", "i", "you", "looks"))
# ... or after a sentence that says it is for there and then, where the text does not name it too.
_HERE = ("Here's the {n} for {at}. ", "Here's what I have for {at}. ", "I've got the {n} for {at}. ")
_NONE_ONE = ("Sorry, I don't have {a} {n} for {at}.", "Sorry, I couldn't find {a} {n} for {at}.",
             "I couldn't get {a} {n} for {at}, I'm afraid.")
# A song and its artist, a playlist by name.
_NO_TITLE = ("Sorry, I couldn't find {t}.", "I couldn't find {t}, I'm afraid.", "Sorry, I don't have {t}.",
             "Sorry, {t} isn't available.")
_ADDED = ("Done, it's on your {p} playlist now.", "Added it to your {p} playlist.", "Added it to {p}.",
          "It's in your {p} playlist now.")
_NO_LIST = ("Sorry, I couldn't find a playlist called {p}.", "You don't seem to have a playlist called {p}.",
            "I don't see a playlist called {p}.")


def placeholder_type(scenario: Scenario, response: ResponseTemplate, arg: str) -> str | None:
    """The type placeholder ``{arg}`` of ``response`` holds: an argument's declared type,
    the scenario type an about-name says (``{~Flight}``), or else the type of the
    response's API argument it names (``{~origin}``: a City)."""
    declared = response.args.get(arg)
    if declared is not None or arg[:1] != ABOUT:
        return declared
    name = arg[1:]
    if name in scenario.types:
        return name
    api = scenario.apis.get(response.api or "")
    argument = api.arg(name) if api is not None else None
    return argument.type if argument is not None else None


def fitting(said: tuple[Contextual, ...], args: Mapping[str, Any], count: int) -> tuple[str, ...]:
    """The texts of ``said`` whose values ``args`` all hold and that fit a result of
    ``count`` items (0: not a list); those marked ``EVERY``, only where they name every
    ``ABOUT`` value of ``args``."""
    out: tuple[str, ...] = ()
    given = -1
    for needs, k, texts in said:
        if k == EVERY and given < 0:
            given = sum(1 for name in args if name[:1] == ABOUT)
        if (k == 0 or k == count or (k == EVERY and len(needs) == given)) and all(n in args for n in needs):
            out += texts
    return out


def contextual(scenario: Scenario, response: ResponseTemplate) -> tuple[Contextual, ...]:
    """The texts of ``response`` that name its call's values, grouped by the values they
    need and the count they fit; none for a response that reports no call."""
    api = scenario.apis.get(response.api or "")
    if api is None or response.slot is not None or response.act not in (ResponseAct.INFORM, ResponseAct.NO_RESULTS):
        return ()
    kinds = _kinds(scenario, response, api)
    if acts(api):
        texts = _deeds(response, kinds)
    elif api.returns is not None and api.returns.many:
        texts = _lists(response, api, kinds)
    else:
        texts = _single(response, api, kinds)
    groups: dict[tuple[frozenset[str], int], dict[str, None]] = {}
    for k, text in texts:
        needs = frozenset(p for p in placeholders(text) if p[:1] == ABOUT)
        if needs:
            groups.setdefault((needs, k), {})[text] = None
    return tuple((needs, k, tuple(ts)) for (needs, k), ts in groups.items())


def _kinds(scenario: Scenario, response: ResponseTemplate, api: Api) -> dict[str, str]:
    """What each argument the customer gives holds, by kind (the kinds of the phrasebook's
    requests, and the sorts, titles and playlists this module says): kind -> ``{~name}``."""
    out: dict[str, str] = {}
    result = scenario.types[api.returns.type] if api.returns is not None else None
    # the types each item of the result says: a sort they say is not said again ("two Delta
    # flights: Delta at 9 am ... and Delta at 2 pm ...")
    itemised = {result.fields.get(p) for p in placeholders(result.say)} if result is not None and result.say else set()
    for arg in scenario.customer_args(api.name):
        name, held = arg.name, scenario.types[arg.type]
        kind = slot_kind(scenario, name)
        worded = bool(held.values) and all(_WORDS.match(v) for v in held.values) and arg.type not in itemised
        if name in _PRICED and worded:
            kind = "price"
        elif name in _SORTS and worded:
            kind = "sort"
        elif name in _TITLES:
            kind = "title"
        elif name in _BY:
            kind = "by"
        elif name == "playlist":
            kind = "playlist"
        if kind in ("origin", "destination", "date", "city", "price", "sort", "title", "by", "playlist"):
            out.setdefault(kind, "{" + ABOUT + name + "}")
    return out


def _places(kinds: dict[str, str], *, single: bool = False) -> tuple[str, ...]:
    """Where and when a call looked, each said in the ways that fit every value: a route
    (and a trip's date), a city, a date."""
    a, b, c, d = (kinds.get(k) for k in ("origin", "destination", "city", "date"))
    out: list[str] = []
    if a and b:
        routes = [r.format(a=a, b=b) for r in ROUTES]
        out += routes
        if d:
            out += [r + t.format(d) for r in routes[:5] for t in TRIP_DATES]
    elif a:
        out.append(" from " + a)
    elif b:
        out.append(" to " + b)
    if c:
        out.append(" for " + c if single else " in " + c)
    if d:
        out.append(" for " + d)
        if c:
            out += [" for " + d + " in " + c] + ([] if single else [" in " + c + " for " + d])
    return tuple(out)


def _nouns(type_name: str) -> tuple[str, str]:
    """A result type's noun, one and many: "flight", "flights"; "city", "cities"."""
    noun = words(type_name).lower()
    return noun, plural(noun)


def _lists(response: ResponseTemplate, api: Api, kinds: dict[str, str]) -> list[tuple[int, str]]:
    """A list result announced with its count, where and when, and its sorts; nothing
    found said so."""
    assert api.returns is not None
    noun, many = _nouns(api.returns.type)
    x = "{" + api.returns.name + "}"
    sorts = [""] + [s for s in (kinds.get("sort"), " ".join(filter(None, (kinds.get("price"), kinds.get("sort")))),
                                kinds.get("price")) if s]
    sorts = list(dict.fromkeys(s + " " if s else s for s in sorts))
    places = ("",) + _places(kinds)
    out: list[tuple[int, str]] = []
    if response.act is ResponseAct.NO_RESULTS:
        return [(EVERY, t.format(ns=s + many, at=p)) for t in _NONE for s in sorts for p in places]
    for s in sorts:
        # with a sort, where and when in a few ways: the reply reader compiles every text
        for p in places if not s else [p for p in places if p.count("{") < 2] + [p for p in places if "{" in p][:2]:
            fill = dict(n=s + noun, ns=s + many, at=p, x=x)
            short = (s + p).count("{") < 3  # "came up" after a long subject reads as a list of its own
            out += [(1, t.format(**fill)) for t in _ONE if short or "came up" not in t]
            for k, word in enumerate(COUNT_WORDS[1:], start=2):
                said = _MANY + (_TWO if k == 2 else _FEW)
                out += [(k, t.format(k=word, K=word.capitalize(), **fill)) for t in said if short or "came up" not in t]
            if not s and p.startswith((" for ", " in ")):  # never "Here's what came up to Denver"
                out += [(0, t.format(at=p, x=x)) for t in _FRAMES]
    out += _led(response, kinds)
    return out


def _single(response: ResponseTemplate, api: Api, kinds: dict[str, str]) -> list[tuple[int, str]]:
    """One result after where and when ("In Denver, expect ..."); none found for there
    and then ("Sorry, I don't have a forecast for tomorrow in Denver.")."""
    assert api.returns is not None
    noun, _ = _nouns(api.returns.type)
    if response.act is ResponseAct.NO_RESULTS:
        an = "an" if noun[:1] in "aeiou" else "a"
        return [(EVERY, t.format(a=an, n=noun, at=p[len(" for "):])) for t in _NONE_ONE
                for p in _places(kinds, single=True) if p.startswith(" for ")]
    here = [(0, h.format(n=noun, at=p[len(" for "):]) + t) for t in response.texts
            if not t.endswith("?") and noun not in t.lower() for h in _HERE
            for p in _places(kinds, single=True) if p.startswith(" for ")]
    return _led(response, kinds) + here


def _led(response: ResponseTemplate, kinds: dict[str, str]) -> list[tuple[int, str]]:
    """The scenario's own texts after a lead that says where and when."""
    c, d = kinds.get("city"), kinds.get("date")
    leads = [lead.format(c=c, d=d) for lead in _LEADS if (c or "{c}" not in lead) and (d or "{d}" not in lead)]
    out = []
    for text in response.texts:
        first = text.split(" ", 1)[0].lower()
        if first not in _LED or text.endswith("?"):
            continue
        body = ("it " if first == "looks" else "") + (text if text.startswith("I ") else text[0].lower() + text[1:])
        out += [(0, lead + body) for lead in leads]
    return out


def _deeds(response: ResponseTemplate, kinds: dict[str, str]) -> list[tuple[int, str]]:
    """An API that acts: a song not found by its title (and artist), a playlist by name."""
    out: list[tuple[int, str]] = []
    if response.act is ResponseAct.NO_RESULTS:
        if "title" in kinds:
            titled = (kinds["title"],) + ((kinds["title"] + " by " + kinds["by"],) if "by" in kinds else ())
            out += [(EVERY, t.format(t=s)) for t in _NO_TITLE for s in titled]
        if "playlist" in kinds:
            out += [(EVERY, t.format(p=kinds["playlist"])) for t in _NO_LIST]
    elif "playlist" in kinds and not response.args:
        out += [(0, t.format(p=kinds["playlist"])) for t in _ADDED]
    return out
