"""The built-in gazetteer: which names a well-known city goes by, and when a type gets them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dialogsim.catalogue import Catalogue
from dialogsim.loader import load_scenario
from dialogsim.places import is_places, lookup, place_contexts, place_forms
from dialogsim.scenarios import path
from dialogsim.spoken import value_forms

_ROOT = Path(__file__).resolve().parent.parent
_FILES = [f for f in sorted((_ROOT / "scenarios").glob("*.yaml")) + [_ROOT / "bench" / "flights-small.yaml"]
          if "City" in yaml.safe_load(f.read_text())["types"]]
_US = ["Seattle", "Boston", "Philadelphia", "St. Louis", "Las Vegas", "Fort Lauderdale"]


@pytest.mark.parametrize("file", _FILES, ids=lambda p: p.name)
def test_every_city_of_the_example_scenarios_is_known(file):
    values = yaml.safe_load(file.read_text())["types"]["City"]["values"]
    assert is_places(values)
    assert {v for v in values if lookup(v) is None} <= {"Birmingham"}  # known, but AL or England


def test_a_city_goes_by_the_names_people_type():
    forms = place_forms(_US)
    assert forms["Philadelphia"] == ("Philly",) and forms["Las Vegas"] == ("Vegas",)
    assert forms["St. Louis"] == ("St Louis", "Saint Louis")
    assert forms["Fort Lauderdale"] == ("Ft. Lauderdale", "Ft Lauderdale")
    assert "Seattle" not in forms and "Boston" not in forms  # no nickname most people type
    assert {"SF", "San Fran"} <= set(place_forms(_US + ["San Francisco"])["San Francisco"])


def test_a_value_written_another_way_gets_the_table_spelling():
    forms = place_forms(["Cancún", "Saint Louis", "Montreal", "Tokyo"])
    assert forms["Cancún"] == ("Cancun",)
    assert "Montreal" not in forms  # never an accent the value lacks: people type it plain
    assert forms["Saint Louis"] == ("St. Louis", "St Louis")
    assert lookup("san francisco").name == lookup("San Francisco").name == "San Francisco"


def test_where_a_place_is_is_said_around_it():
    contexts = place_contexts(_US + ["Lisbon", "Vancouver", "Washington", "Singapore"])
    assert contexts["Seattle"] == ("{}, WA", "{}, Washington")
    assert contexts["Lisbon"] == ("{}, Portugal",)
    assert contexts["Vancouver"] == ("{}, BC", "{}, British Columbia", "{}, Canada")
    assert contexts["Washington"] == ("{}, DC",)  # never "District of Columbia"
    assert "Singapore" not in contexts


def test_a_shared_name_says_the_place_most_people_mean_or_nothing():
    contexts = place_contexts(["Portland", "Columbus", "Kansas City", "Springfield", "Birmingham", "Aurora"])
    assert contexts["Portland"][0] == "{}, OR" and contexts["Columbus"][0] == "{}, OH"
    assert contexts["Kansas City"][0] == "{}, MO"
    # no place clearly meant: known (they count as places) but said no other way
    assert {"Springfield", "Birmingham", "Aurora"}.isdisjoint(contexts)
    assert lookup("Springfield") is None and is_places(["Springfield", "Birmingham", "Aurora"])


def test_only_a_type_of_mostly_places_gets_forms():
    bands = ["Boston", "Chicago", "Radiohead", "Muse", "Oasis", "Blur", "Kansas", "Yes"]
    assert place_forms(bands) == {} and place_contexts(bands) == {}
    assert not is_places(["Philadelphia", "Las Vegas"])  # two places are no evidence
    assert place_forms(["Philadelphia", "Las Vegas", "Reno", "Jazz", "Blues", "Soul"])["Las Vegas"] == ("Vegas",)


def test_value_forms_keep_a_place_name_that_says_one_value():
    forms = value_forms(_US + ["Vegas", "Los Angeles", "L.A."])
    assert forms["Philadelphia"] == ("Philly",)
    assert "Las Vegas" not in forms  # "Vegas" is a value of its own
    assert forms["Los Angeles"] == ("LA",)


def test_the_catalogue_says_and_reads_a_city_by_its_other_names():
    catalogue = Catalogue(load_scenario(path("flights")))
    assert set(catalogue.synonyms("City", "St. Louis")) == {"St Louis", "Saint Louis"}
    assert catalogue.synonyms("City", "Philadelphia") == ("Philly",)  # the scenario's own, not twice
    assert catalogue.canonical("City", "saint louis") == "St. Louis"
    assert catalogue.canonical("City", "KC") == "Kansas City"
