"""What a slot holds, told from its name and type, and how a trip is said.

Shared by the phrasebook's system wordings (``system_phrases``: "Where are you leaving
from?" for an origin, "How many people?" for a party) and the reports that name a call's
values (``system_context``: "I found three flights from Boston to Denver for Monday"), so
that neither imports the other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dialogsim.spoken import value_kind

if TYPE_CHECKING:
    from dialogsim.schema import Scenario

__all__ = ["ORIGINS", "DESTINATIONS", "PEOPLE_SLOTS", "COUNTED", "ROUTES", "TRIP_DATES", "COUNT_WORDS", "slot_kind"]

ORIGINS = frozenset(("origin", "from", "from_city", "origin_city", "departure_city", "source", "leaving_from"))
DESTINATIONS = frozenset(("destination", "to", "to_city", "destination_city", "arrival_city", "dest", "going_to"))
PEOPLE_SLOTS = frozenset(("party_size", "group_size", "people", "guests", "passengers", "travellers", "travelers",
                          "num_people", "number_of_people", "adults", "party"))
COUNTED = frozenset(("tickets", "seats", "rooms", "nights", "bags", "tables"))

#: A route in other words ("out of {a} into {b}"), and a trip's date ("leaving {}").
ROUTES = (" from {a} to {b}", " to {b} from {a}", " out of {a} to {b}", " from {a} into {b}", " between {a} and {b}",
          " from {a} going to {b}", " into {b} from {a}", " out of {a} into {b}", " to {b} out of {a}")
TRIP_DATES = (" for {}", " leaving {}", " departing {}")
COUNT_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def slot_kind(scenario: "Scenario", slot: str) -> str:
    """What ``slot`` holds: origin, destination, date, time, people, things, city, other."""
    type_name = scenario.slots.get(slot, "")
    if slot in ORIGINS:
        return "origin"
    if slot in DESTINATIONS:
        return "destination"
    held = value_kind(slot, type_name, scenario.types[type_name].values
                      if type_name in scenario.types and not scenario.types[type_name].is_entity else ())
    if held in ("date", "time"):
        return held
    if slot in PEOPLE_SLOTS:
        return "people"
    if slot in COUNTED:
        return "things"
    if type_name == "City" or slot == "city":
        return "city"
    return "other"
