"""Built-in place knowledge: the names people type for well-known cities.

A tagger trained on "Philadelphia" alone misses "Philly", and one trained on "Seattle"
alone misses "Seattle, WA". A scenario author could list every such form as a synonym;
this gazetteer knows them for ~165 US cities (the ~150 largest and some that travellers
name), 9 Canadian and ~65 world cities, so a scenario gets them without writing them.

``place_forms`` gives each place value the whole names it goes by: nicknames and short
names most people would type ("Philly", "Vegas", "NYC"), spellings ("St Louis", "Saint
Louis", "Ft. Lauderdale", "Cancun" for "Cancún"); ``spoken.value_forms`` makes them surfaces, so the
span covers the form: it names the place. ``place_contexts`` gives the words that say where
a place is ("{}, WA", "{}, Washington", "{}, Portugal") in the form of the scenario
format's ``contexts:``, which are said around the value, outside its span: a tagger should
learn that "Seattle" is the city in "Seattle, WA". The catalogue says them now and then
for a city without contexts of its own (``Catalogue.context``). Both apply only to a type whose values are mostly
known places (``is_places``): a type of band names with one "Boston" gets nothing.

A form must say one place. A name that two well-known places share gets forms only for
the one most people mean (Portland OR, not ME; Columbus OH; Kansas City MO; Vancouver BC;
London, England); where none is clearly meant, the name is known (it counts towards
``is_places``) but gets no forms at all (``_AMBIGUOUS``: Springfield, Birmingham AL or
England, Aurora CO or IL ...).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Sequence

import attrs

__all__ = ["Place", "lookup", "is_places", "place_forms", "place_contexts", "MIN_PLACES"]

MIN_PLACES = 3  # a type needs at least this many known places, and half its values, to get forms

# US states, DC, Puerto Rico and Canadian provinces: postal code, then name ("" where
# nobody says it after a city: "Washington, District of Columbia").
_REGIONS = dict(line.split(" ", 1) for line in """\
AL Alabama|AK Alaska|AZ Arizona|AR Arkansas|CA California|CO Colorado|CT Connecticut|DE Delaware|FL Florida|\
GA Georgia|HI Hawaii|ID Idaho|IL Illinois|IN Indiana|IA Iowa|KS Kansas|KY Kentucky|LA Louisiana|ME Maine|\
MD Maryland|MA Massachusetts|MI Michigan|MN Minnesota|MS Mississippi|MO Missouri|MT Montana|NE Nebraska|\
NV Nevada|NH New Hampshire|NJ New Jersey|NM New Mexico|NY New York|NC North Carolina|ND North Dakota|OH Ohio|\
OK Oklahoma|OR Oregon|PA Pennsylvania|RI Rhode Island|SC South Carolina|SD South Dakota|TN Tennessee|TX Texas|\
UT Utah|VT Vermont|VA Virginia|WA Washington|WV West Virginia|WI Wisconsin|WY Wyoming|DC |PR Puerto Rico|\
AB Alberta|BC British Columbia|MB Manitoba|NS Nova Scotia|ON Ontario|QC Quebec""".split("|"))
_CANADA = frozenset("AB BC MB NS ON QC".split())

# One place a line: name|where|other names. ``where`` is a region code above (US, Canada)
# or the country names said after the city, "/"-separated; other names are "/"-separated.
# Spellings of "Saint"/"St." and "Fort"/"Ft." are derived (``_spellings``), not listed.
_TABLE = """\
New York|NY|NYC/New York City
Los Angeles|CA|LA/L.A.
Chicago|IL|
Houston|TX|
Phoenix|AZ|
Philadelphia|PA|Philly
San Antonio|TX|
San Diego|CA|
Dallas|TX|
Jacksonville|FL|
Austin|TX|
Fort Worth|TX|
San Jose|CA|
Columbus|OH|
Charlotte|NC|
Indianapolis|IN|Indy
San Francisco|CA|SF/San Fran
Seattle|WA|
Denver|CO|
Oklahoma City|OK|OKC
Nashville|TN|
Washington|DC|DC/Washington DC
El Paso|TX|
Las Vegas|NV|Vegas
Boston|MA|
Detroit|MI|
Portland|OR|
Louisville|KY|
Memphis|TN|
Baltimore|MD|
Milwaukee|WI|
Albuquerque|NM|
Tucson|AZ|
Fresno|CA|
Sacramento|CA|
Mesa|AZ|
Atlanta|GA|
Kansas City|MO|KC
Colorado Springs|CO|
Omaha|NE|
Raleigh|NC|
Miami|FL|
Virginia Beach|VA|
Long Beach|CA|
Oakland|CA|
Minneapolis|MN|
Bakersfield|CA|
Tulsa|OK|
Tampa|FL|
Wichita|KS|
New Orleans|LA|NOLA
Cleveland|OH|
Honolulu|HI|
Anaheim|CA|
Henderson|NV|
Orlando|FL|
Lexington|KY|
Stockton|CA|
Riverside|CA|
Corpus Christi|TX|
Irvine|CA|
Cincinnati|OH|Cincy
Santa Ana|CA|
Newark|NJ|
Saint Paul|MN|
Pittsburgh|PA|
Greensboro|NC|
Lincoln|NE|
Jersey City|NJ|
Plano|TX|
Anchorage|AK|
North Las Vegas|NV|
St. Louis|MO|
Madison|WI|
Chandler|AZ|
Gilbert|AZ|
Reno|NV|
Buffalo|NY|
Chula Vista|CA|
Fort Wayne|IN|
Lubbock|TX|
Laredo|TX|
Irving|TX|
Chesapeake|VA|
Winston-Salem|NC|Winston Salem
Port St. Lucie|FL|
Scottsdale|AZ|
Garland|TX|
Boise|ID|
Norfolk|VA|
Spokane|WA|
Richmond|VA|
Fremont|CA|
Huntsville|AL|
Frisco|TX|
Cape Coral|FL|
Santa Clarita|CA|
San Bernardino|CA|
Tacoma|WA|
Hialeah|FL|
Baton Rouge|LA|
Modesto|CA|
Fontana|CA|
McKinney|TX|
Moreno Valley|CA|
Des Moines|IA|
Salt Lake City|UT|Salt Lake/SLC
Yonkers|NY|
Worcester|MA|
Sioux Falls|SD|
Little Rock|AR|
Amarillo|TX|
Tallahassee|FL|
Grand Prairie|TX|
Oxnard|CA|
Knoxville|TN|
Overland Park|KS|
Grand Rapids|MI|
Montgomery|AL|
Huntington Beach|CA|
Providence|RI|
Brownsville|TX|
Tempe|AZ|
Akron|OH|
Chattanooga|TN|
Fort Lauderdale|FL|
Newport News|VA|
Mobile|AL|
Clarksville|TN|
Cary|NC|
Elk Grove|CA|
Shreveport|LA|
Eugene|OR|
Santa Rosa|CA|
Rancho Cucamonga|CA|
Fort Collins|CO|
Oceanside|CA|
Murfreesboro|TN|
Palmdale|CA|
Salinas|CA|
Sunnyvale|CA|
Bellevue|WA|
Naperville|IL|
Savannah|GA|
Syracuse|NY|
Charleston|SC|
Bridgeport|CT|
Gainesville|FL|
Ann Arbor|MI|
Berkeley|CA|
Santa Barbara|CA|
Palm Springs|CA|
Key West|FL|
Myrtle Beach|SC|
Burlington|VT|
Bozeman|MT|
Jackson Hole|WY|
Juneau|AK|
Fairbanks|AK|
Missoula|MT|
Billings|MT|
Fargo|ND|
Cheyenne|WY|
Durham|NC|
Hartford|CT|
San Juan|PR|
Toronto|ON|
Montreal|QC|Montréal
Vancouver|BC|
Calgary|AB|
Ottawa|ON|
Edmonton|AB|
Quebec City|QC|
Winnipeg|MB|
Halifax|NS|
London|England/UK|
Manchester|England/UK|
Edinburgh|Scotland/UK|
Dublin|Ireland|
Paris|France|
Nice|France|
Rome|Italy|
Milan|Italy|
Venice|Italy|
Florence|Italy|
Madrid|Spain|
Barcelona|Spain|
Lisbon|Portugal|
Porto|Portugal|
Amsterdam|Netherlands|
Brussels|Belgium|
Berlin|Germany|
Munich|Germany|
Frankfurt|Germany|
Vienna|Austria|
Zurich|Switzerland|Zürich
Geneva|Switzerland|
Prague|Czech Republic|
Budapest|Hungary|
Warsaw|Poland|
Copenhagen|Denmark|
Stockholm|Sweden|
Oslo|Norway|
Helsinki|Finland|
Reykjavik|Iceland|
Athens|Greece|
Istanbul|Turkey|
Moscow|Russia|
Tel Aviv|Israel|
Dubai|UAE|
Cairo|Egypt|
Marrakech|Morocco|
Cape Town|South Africa|
Johannesburg|South Africa|Joburg
Nairobi|Kenya|
Lagos|Nigeria|
Tokyo|Japan|
Osaka|Japan|
Kyoto|Japan|
Seoul|South Korea/Korea|
Beijing|China|
Shanghai|China|
Hong Kong||
Singapore||
Bangkok|Thailand|
Mumbai|India|
New Delhi|India|
Sydney|Australia|
Melbourne|Australia|
Auckland|New Zealand|
Mexico City|Mexico|
Cancun|Mexico|Cancún
Guadalajara|Mexico|
Havana|Cuba|
Bogota|Colombia|Bogotá
Lima|Peru|
Santiago|Chile|
Buenos Aires|Argentina|
Rio de Janeiro|Brazil|Rio
Sao Paulo|Brazil|São Paulo
"""

# Names that two well-known places share with none clearly the one meant: known places
# (they count towards ``is_places``), but no form is derived from the bare name.
_AMBIGUOUS = """Springfield|Birmingham|Aurora|Arlington|Glendale|Pasadena|Peoria|Columbia|Rochester|Salem|\
Lancaster|Fayetteville|Augusta|Alexandria|Hollywood|Ontario|St. Petersburg|Toledo|Jackson|Wilmington|\
Greenville|Albany|Bloomington|Lafayette|Kingston|Cambridge|Hamilton|Victoria|Perth|Valencia|Cordoba"""


@attrs.frozen(kw_only=True)
class Place:
    """One known place: the other names it goes by and the words that say where it is."""

    name: str
    names: tuple[str, ...]
    wheres: tuple[str, ...]


def _plain(name: str) -> str:
    """``name`` without accents ("Montréal" -> "Montreal")."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def _key(name: str) -> str:
    """A name as looked up: no accents, no case, "Saint"/"St" as "st.", "Ft." as "fort"."""
    words = _plain(name).casefold().replace("-", " ").split()
    for i, word in enumerate(words):
        if word in ("st", "saint"):
            words[i] = "st."
        elif word in ("ft", "ft."):
            words[i] = "fort"
    return " ".join(words)


def _spellings(name: str) -> list[str]:
    """The ways "St. Louis" and "Fort Lauderdale" are typed: "St Louis", "Saint Louis",
    "Ft. Lauderdale", "Ft Lauderdale"."""
    for short in ("St. ", "St ", "Saint "):
        if name.startswith(short) or f" {short}" in name:
            return [name.replace(short, other) for other in ("St. ", "St ", "Saint ") if other != short]
    if name.startswith("Fort "):
        return [name.replace("Fort ", "Ft. ", 1), name.replace("Fort ", "Ft ", 1)]
    return []


@lru_cache(maxsize=1)
def _gazetteer() -> dict[str, Place | None]:
    """The table parsed once, on first use: key -> Place, or None for an ambiguous name."""
    places: dict[str, Place | None] = {}
    for line in _TABLE.splitlines():
        name, where, others = line.split("|")
        if where in _REGIONS:
            wheres = [where, _REGIONS[where]] + (["Canada"] if where in _CANADA else [])
        else:
            wheres = where.split("/") if where else []
        names = (others.split("/") if others else []) + _spellings(name)
        places[_key(name)] = Place(name=name, names=tuple(dict.fromkeys(names)), wheres=tuple(w for w in wheres if w))
    for name in _AMBIGUOUS.split("|"):
        places[_key(name)] = None
    return places


def lookup(value: str) -> Place | None:
    """The known place ``value`` names, or None (not a known place, or an ambiguous name)."""
    return _gazetteer().get(_key(value))


def is_places(values: Sequence[str]) -> bool:
    """Whether ``values`` (one type's) are mostly known places: at least ``MIN_PLACES`` of
    them and half, ambiguous names included."""
    known = sum(_key(v) in _gazetteer() for v in values)
    return known >= MIN_PLACES and 2 * known >= len(values)


def place_forms(values: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """The other names of each value that is a known place, where ``values`` are mostly
    places: nicknames, short names and spellings ("Philly", "San Fran", "Saint Louis",
    "Montreal" for "Montréal"); the table's own spelling where the value is written another
    way, never with an accent the value lacks."""
    if not is_places(values):
        return {}
    found: dict[str, tuple[str, ...]] = {}
    for value in values:
        place = lookup(value)
        if place is None:
            continue
        # never an accent the value lacks: people type "Cancun" for "Cancún", not the reverse
        names = [n for n in (place.name, *place.names) if n != value and _plain(n) != value]
        if names:
            found[value] = tuple(names)
    return found


def place_contexts(values: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """The words said after each value that is a known place to say where it is, as
    ``contexts:`` forms ("{}, WA", "{}, Washington", "{}, Portugal"), where ``values`` are
    mostly places. A place with no such words (Singapore) is left out."""
    if not is_places(values):
        return {}
    return {value: tuple(f"{{}}, {where}" for where in place.wheres)
            for value in values if (place := lookup(value)) is not None and place.wheres}
