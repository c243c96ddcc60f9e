"""Catalogue: canonical values, Faker pools, synonyms, entities, mock results, holdout."""

from __future__ import annotations

import re
import sys
import textwrap
from datetime import date

import attrs
import numpy as np
import pytest
from conftest import FLIGHTS
from hypothesis import given, settings
from hypothesis import strategies as st

import dialogsim
from dialogsim.catalogue import Catalogue, speak_date
from dialogsim.errors import ScenarioError
from dialogsim.loader import load_scenario, load_scenario_text
from dialogsim.schema import SlotType
from dialogsim.testing.strategies import scenarios

SPOKEN_DATE = re.compile(r"(January|February|March|April|May|June|July|August|September|October|November|December)"
                         r" \d{1,2}(st|nd|rd|th)")

_FLIGHTS = load_scenario(FLIGHTS)
_CATALOGUE = Catalogue(_FLIGHTS)

SMALL = """
    name: small
    types:
      Colour:
        values: [red, green, blue]
        synonyms: {red: [crimson, scarlet]}
      Size:
        values: [large]
      Day:
        faker: date_this_year
      Weekday:
        faker: day_of_week
      Label:
        fields: {colour: Colour, size: Size}
      Box:
        fields: {label: Label, colour: Colour}
    apis:
      Pick:
        args: {colour: Colour, day: Day, weekday: Weekday}
        returns: {name: boxes, type: Box, many: true}
      Paint:
        args: {box: Box}
        returns: {name: colour, type: Colour}
      Name:
        args: {colour: Colour}
        returns: {name: size, type: Size}
        results: [large]
      Forget:
        args: {colour: Colour}
    samples:
      - name: one
        turns:
          - user: "pick [red](colour)"
            acts: [invoke Pick]
          - system: [Pick]
"""


@pytest.fixture(scope="module")
def small():
    return load_scenario_text(textwrap.dedent(SMALL), "small.yaml")


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


# -- values -------------------------------------------------------------------------------


def test_values_hold_declared_values_synonym_keys_and_the_faker_pool(flights):
    with_faker = attrs.evolve(flights, types={**flights.types, "City": attrs.evolve(flights.types["City"], faker="city")})
    catalogue = Catalogue(with_faker, faker_pool=50)
    cities = catalogue.values("City")
    assert cities[:10] == flights.types["City"].values[:10]
    assert "Los Angeles" in cities  # a synonym's key is a value too
    assert len(cities) == len(set(cities)) == len(set(flights.types["City"].values) | {"Los Angeles"}) + 50
    assert catalogue.values("Cabin") == ("economy", "premium economy", "business", "first class")


def test_faker_args_are_passed_to_the_provider(flights):
    codes = Catalogue(flights, faker_pool=30).values("ConfirmationCode")
    assert len(codes) == 30
    assert all(re.fullmatch(r"[A-HJ-NP-Z]{2}\d{4}", code) for code in codes)


def test_faker_pool_is_deterministic_across_instances(flights):
    a, b = Catalogue(flights, seed=3), Catalogue(flights, seed=3)
    assert a.values("City") == b.values("City")
    assert a.values("ConfirmationCode") == b.values("ConfirmationCode")
    assert Catalogue(flights, seed=4).values("ConfirmationCode") != a.values("ConfirmationCode")


def test_a_type_pool_does_not_depend_on_the_other_types(flights):
    """Each type is seeded from its own name: adding a type leaves the others' pools alone."""
    alone = attrs.evolve(flights, types={"ConfirmationCode": flights.types["ConfirmationCode"]}, apis={})
    assert Catalogue(alone).values("ConfirmationCode") == _CATALOGUE.values("ConfirmationCode")


def test_faker_dates_are_spoken(small):
    days = Catalogue(small, faker_pool=20).values("Day")
    assert days and all(SPOKEN_DATE.fullmatch(d) for d in days)


def test_a_provider_with_few_distinct_values_fills_what_it_can(small):
    assert sorted(Catalogue(small, faker_pool=200).values("Weekday")) == sorted(
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])


@pytest.mark.parametrize("day, spoken", [(1, "March 1st"), (2, "March 2nd"), (3, "March 3rd"), (4, "March 4th"),
                                         (11, "March 11th"), (12, "March 12th"), (13, "March 13th"),
                                         (21, "March 21st"), (22, "March 22nd"), (23, "March 23rd"),
                                         (31, "March 31st")])
def test_speak_date(day, spoken):
    assert speak_date(date(2024, 3, day)) == spoken


def test_faker_is_not_imported_without_a_faker_type(small, monkeypatch):
    no_faker = attrs.evolve(small, types={k: v for k, v in small.types.items() if v.faker is None}, apis={})
    monkeypatch.setitem(sys.modules, "faker", None)  # any import of faker now fails
    assert Catalogue(no_faker).values("Colour") == ("red", "green", "blue")
    with pytest.raises(ImportError):
        Catalogue(small)


def test_unknown_faker_provider_is_a_located_scenario_error(small):
    bad = attrs.evolve(small, types={**small.types, "Day": SlotType(name="Day", faker="no_such_provider", line=7)})
    with pytest.raises(ScenarioError, match=r"types\.Day\.faker: unknown Faker provider 'no_such_provider'"):
        Catalogue(bad)


def test_wrong_faker_args_are_a_scenario_error(small):
    bad = attrs.evolve(small, types={**small.types,
                                     "Day": SlotType(name="Day", faker="date_this_year", faker_args={"nope": 1})})
    with pytest.raises(ScenarioError, match=r"types\.Day\.faker_args"):
        Catalogue(bad)


def test_entity_cycles_are_rejected(small):
    types = {**small.types,
             "Label": SlotType(name="Label", fields={"box": "Box"}),
             "Box": SlotType(name="Box", fields={"label": "Label"})}
    with pytest.raises(ScenarioError, match="entity types contain each other"):
        Catalogue(attrs.evolve(small, types=types))


@pytest.mark.parametrize("kwargs", [{"faker_pool": -1}, {"synonym_rate": 1.5}, {"holdout": 1.0}, {"split": "dev"}])
def test_bad_arguments(flights, kwargs):
    with pytest.raises(ValueError):
        Catalogue(flights, **kwargs)


def test_unknown_and_entity_types_are_not_catalogues():
    with pytest.raises(KeyError, match="Flight"):
        _CATALOGUE.values("Flight")
    with pytest.raises(KeyError, match="Nope"):
        _CATALOGUE.sample("Nope", rng())


# -- sampling -----------------------------------------------------------------------------


def test_sample_draws_every_value_and_is_reproducible():
    draws = [_CATALOGUE.sample("Cabin", rng(s)) for s in range(200)]
    assert set(draws) == set(_CATALOGUE.values("Cabin"))
    assert draws == [_CATALOGUE.sample("Cabin", rng(s)) for s in range(200)]


@given(seed=st.integers(0, 2**32 - 1), type_name=st.sampled_from(["City", "Date", "Passengers", "Cabin"]))
def test_sample_other_changes_the_value(seed, type_name):
    g = rng(seed)
    value = _CATALOGUE.sample(type_name, g)
    other = _CATALOGUE.sample_other(type_name, g, avoid=value)
    assert other != value and other in _CATALOGUE.values(type_name)


def test_sample_other_understands_a_synonym_and_keeps_a_lone_value(small):
    catalogue = Catalogue(small)
    assert all(catalogue.sample_other("Colour", rng(s), avoid="crimson") != "red" for s in range(50))
    assert catalogue.sample_other("Size", rng(), avoid="large") == "large"


# -- surfaces -----------------------------------------------------------------------------


def test_surface_says_synonyms_about_a_third_of_the_time():
    surfaces = [_CATALOGUE.surface("City", "New York", rng(s)) for s in range(600)]
    assert set(surfaces) == {"New York", "NYC", "New York City"}
    assert 0.25 < sum(s != "New York" for s in surfaces) / len(surfaces) < 0.42
    assert all(_CATALOGUE.canonical("City", s) == "New York" for s in surfaces)


def test_surface_without_synonyms_or_outside_the_catalogue_is_the_value(flights):
    assert {_CATALOGUE.surface("Cabin", "business", rng(s)) for s in range(50)} == {"business"}
    assert _CATALOGUE.surface("Airline", "any airline", rng()) == "any airline"
    never = Catalogue(flights, synonym_rate=0.0)
    assert {never.surface("City", "New York", rng(s)) for s in range(50)} == {"New York"}


def test_canonical_is_a_case_insensitive_reverse_lookup():
    assert _CATALOGUE.canonical("City", "nyc") == "New York"
    assert _CATALOGUE.canonical("City", "SEATTLE") == "Seattle"
    assert _CATALOGUE.canonical("Passengers", "two of us") == "2"
    assert _CATALOGUE.canonical("City", _CATALOGUE.values("City")[-1]) == _CATALOGUE.values("City")[-1]
    assert _CATALOGUE.canonical("City", "Atlantis") is None
    assert _CATALOGUE.canonical("Nope", "Seattle") is None


# -- entities and results -----------------------------------------------------------------


def test_entity_fills_every_field_recursively(small):
    catalogue = Catalogue(small)
    box = catalogue.entity("Box", rng(5))
    assert set(box) == {"label", "colour"} and set(box["label"]) == {"colour", "size"}
    assert box["colour"] in catalogue.values("Colour") and box["label"]["size"] == "large"
    hash(box)  # entities are values: usable in sets and frozen attrs classes
    assert catalogue.entity("Box", rng(5)) == box


@given(seed=st.integers(0, 2**32 - 1))
def test_many_results_are_one_to_three_distinct_entities(seed):
    flights = _CATALOGUE.result(_FLIGHTS.apis["SearchFlight"], rng(seed))
    assert isinstance(flights, tuple) and 1 <= len(flights) <= 3 and len(set(flights)) == len(flights)
    for flight in flights:
        assert set(flight) == {"airline", "departure_time", "price"}
        assert flight["price"] in _CATALOGUE.values("Price")


def test_result_count_and_lengths_vary():
    api = _FLIGHTS.apis["SearchFlight"]
    assert {len(_CATALOGUE.result(api, rng(s))) for s in range(60)} == {1, 2, 3}
    assert len(_CATALOGUE.result(api, rng(), count=3)) == 3
    with pytest.raises(ValueError):
        _CATALOGUE.result(api, rng(), count=0)


def test_results_of_every_output_kind(small):
    catalogue = Catalogue(small)
    assert catalogue.result(small.apis["Paint"], rng()) in ("red", "green", "blue")  # catalogue output
    assert catalogue.result(small.apis["Name"], rng()) == "large"  # declared results
    assert catalogue.result(small.apis["Forget"], rng()) is None  # returns nothing


def test_declared_results_are_drawn_distinct(flights):
    results = ({"airline": "Delta", "departure_time": "9 am", "price": "$89"},
               {"airline": "United", "departure_time": "noon", "price": "$120"})
    api = attrs.evolve(flights.apis["SearchFlight"], results=results)
    draws = [Catalogue(flights).result(api, rng(s), count=3) for s in range(30)]
    assert all(sorted(d, key=str) == sorted(results, key=str) for d in draws)  # capped at what exists
    assert len({d[0]["airline"] for d in draws}) == 2


# -- holdout ------------------------------------------------------------------------------


def test_holdout_splits_each_type_disjointly_and_deterministically(flights):
    train = Catalogue(flights, faker_pool=40, holdout=0.25, split="train")
    test = Catalogue(flights, faker_pool=40, holdout=0.25, split="test")
    for type_name in ("City", "Date", "Cabin", "ConfirmationCode", "Passengers"):
        a, b = set(train.values(type_name)), set(test.values(type_name))
        assert a and b and not a & b
        assert train.all_values(type_name) == test.all_values(type_name)
        assert a | b == set(train.all_values(type_name))
    assert 3 <= len(test.values("City")) <= len(train.all_values("City")) // 4 + 1  # a quarter
    assert Catalogue(flights, faker_pool=40, holdout=0.25).values("City") == train.values("City")


def test_holdout_never_samples_the_other_split(flights):
    train = Catalogue(flights, holdout=0.2, split="train")
    held = set(Catalogue(flights, holdout=0.2, split="test").values("City"))
    assert not {train.sample("City", rng(s)) for s in range(300)} & held
    assert not {f["price"] for s in range(100) for f in train.result(flights.apis["SearchFlight"], rng(s))} & set(
        Catalogue(flights, holdout=0.2, split="test").values("Price"))


def test_a_lone_value_is_never_held_out(small):
    assert Catalogue(small, holdout=0.5, split="test").values("Size") == ("large",)
    assert Catalogue(small, holdout=0.5, split="train").values("Size") == ("large",)


@settings(max_examples=30, deadline=None)
@given(scenario=scenarios(), seed=st.integers(0, 2**32 - 1))
def test_catalogues_of_random_scenarios(scenario, seed):
    """Any valid scenario: every type samples its own values and every API has a result."""
    catalogue = Catalogue(scenario)
    g = rng(seed)
    for name, slot_type in scenario.types.items():
        if slot_type.is_entity:
            assert set(catalogue.entity(name, g)) == set(slot_type.fields)
        else:
            assert set(catalogue.values(name)) >= set(slot_type.values)
            assert catalogue.sample(name, g) in slot_type.values
    for api in scenario.apis.values():
        result = catalogue.result(api, g)
        if api.returns is None:
            assert result is None
        elif api.returns.many:
            assert isinstance(result, tuple) and 1 <= len(result) <= 3


def test_values_with_digits_are_also_said_in_words(flights):
    catalogue = Catalogue(flights)
    assert "seven thirty am" in catalogue.synonyms("Time", "7:30 am")
    assert catalogue.canonical("Time", "seven thirty am") == "7:30 am"
    assert catalogue.synonyms("Passengers", "2").count("two") == 1  # declared already: not added twice
    said = {catalogue.surface("Price", "$220", rng(s)) for s in range(60)}
    assert said == {"$220", "two hundred twenty dollars"}


# -- one home for each rule the loader and the catalogue share ------------------------------

def test_the_catalogue_reports_faker_mistakes_as_the_loader_does(small, tmp_path):
    typo = attrs.evolve(small, types={**small.types, "Day": SlotType(name="Day", faker="date_this_yeer", line=7)})
    with pytest.raises(ScenarioError, match=r"unknown Faker provider 'date_this_yeer'; did you mean 'date_this_year'"):
        Catalogue(typo)
    wrong = attrs.evolve(small, types={**small.types,
                                       "Day": SlotType(name="Day", faker="date_this_year", faker_args={"nope": 1})})
    with pytest.raises(ScenarioError, match=r"Faker provider 'date_this_year' fails with these arguments: TypeError"):
        Catalogue(wrong)


def test_the_catalogue_names_an_entity_cycle_as_the_loader_does(small):
    types = {**small.types,
             "Label": SlotType(name="Label", fields={"box": "Box"}),
             "Box": SlotType(name="Box", fields={"label": "Label"})}
    with pytest.raises(ScenarioError, match="entity types contain each other: Label > Box > Label"):
        Catalogue(attrs.evolve(small, types=types))


@pytest.mark.parametrize("name", ["flights", "restaurants", "music", "movies", "weather"])
def test_every_surface_the_customer_may_say_means_its_value(name):
    """Synonyms and spoken forms, read back through the one surface index (Surfaces)."""
    scenario = load_scenario(dialogsim.scenarios.path(name))
    catalogue = Catalogue(scenario, faker_pool=10)
    for type_name, slot_type in scenario.types.items():
        if slot_type.is_entity or not slot_type.is_catalogue:
            continue
        for value in catalogue.all_values(type_name):
            for surface in (value, value.upper(), *catalogue.synonyms(type_name, value)):
                assert catalogue.canonical(type_name, surface) == value, (type_name, surface)
