"""Coherent worlds: constraints between arguments, a backend that agrees with the call,
held-out splits of values and records, and weights between listed and Faker values."""

from __future__ import annotations

import collections

import attrs
import numpy as np
import pytest
from conftest import SCENARIOS

from dialogsim.backend import MockBackend, _clock
from dialogsim.catalogue import Catalogue, held_count
from dialogsim.dialogue import Act, ApiCall, ApiStatus, Arg, SpanRef
from dialogsim.errors import ScenarioError
from dialogsim.generation import simulate
from dialogsim.goal import Goal
from dialogsim.goals.sampler import GoalSampler
from dialogsim.graph import DependencyGraph
from dialogsim.loader import load_scenario, load_scenario_text
from dialogsim.schema import DIFFER, RECORD, Constraint
from dialogsim.simulation import Simulator

FLIGHTS = load_scenario(SCENARIOS / "flights.yaml")
MUSIC = load_scenario(SCENARIOS / "music.yaml")
RESTAURANTS = load_scenario(SCENARIOS / "restaurants.yaml")
MOVIES = load_scenario(SCENARIOS / "movies.yaml")

WORLD = """\
name: world
types:
  City:
    values: [Boston, Denver, Austin]
  Song:
    values: [Halo, Shallow, Africa]
  Artist:
    values: [Beyonce, Gaga, Toto]
  Track:
    fields: {title: Song, artist: Artist}
apis:
  Fly:
    args:
      origin: City
      destination: City
      track: {type: Track, optional: true, default: none, from: Play}
    constraints:
      - differ: [origin, destination]
  Play:
    args:
      song: Song
      artist: {type: Artist, optional: true, default: anyone}
    returns: {name: track, type: Track}
    constraints:
      - record: {song: title, artist: artist}
    results:
      - {title: Halo, artist: Beyonce}
      - {title: Shallow, artist: Gaga}
      - {title: Africa, artist: Toto}
samples:
  - name: fly
    turns:
      - user: fly from [Boston](origin) to [Denver](destination)
        acts: [invoke Fly]
      - system: [Fly, inform_Fly]
"""


def variant(old: str, new: str, text: str = WORLD) -> str:
    assert text.count(old) == 1, f"{old!r} must occur once"
    return text.replace(old, new)


def sampler(scenario, catalogue=None, **changes) -> GoalSampler:
    catalogue = catalogue or Catalogue(scenario)
    return GoalSampler(scenario, DependencyGraph(scenario), catalogue, attrs.evolve(scenario.simulation, **changes))


def goals(s: GoalSampler, n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    return [s.sample(rng) for _ in range(n)]


def without_constraints(scenario):
    return attrs.evolve(scenario, apis={name: attrs.evolve(api, constraints=()) for name, api in scenario.apis.items()})


def revised(goal: Goal) -> list[dict]:
    """The goal's values after each of its changes of mind."""
    return [{**goal.values, r.slot: r.value} for r in goal.revisions]


# -- the format ---------------------------------------------------------------------------


def test_constraints_load_from_the_file():
    world = load_scenario_text(WORLD)
    assert world.apis["Fly"].constraints == (Constraint(kind=DIFFER, args=("origin", "destination")),)
    assert world.apis["Play"].constraints == (Constraint(kind=RECORD, args=("song", "artist"),
                                                         fields=("title", "artist")),)
    assert FLIGHTS.apis["SearchFlight"].constraints[0].args == ("origin", "destination")
    assert MUSIC.apis["PlayMusic"].constraints[0].fields == ("title", "artist")


@pytest.mark.parametrize("old, new, line, field, message", [
    ("differ: [origin, destination]", "differ: [origin, destinaton]", 18, "apis.Fly.constraints[0].differ[1]",
     "unknown argument 'destinaton' of Fly; did you mean 'destination'?"),
    ("differ: [origin, destination]", "differ: [origin]", 18, "apis.Fly.constraints[0].differ",
     "two or more"),
    ("differ: [origin, destination]", "differ: [origin, origin]", 18, "apis.Fly.constraints[0].differ[1]",
     "named twice"),
    ("differ: [origin, destination]", "differ: [origin, track]", 18, "apis.Fly.constraints[0].differ[1]",
     "comes from an API's result"),
    ("      - differ: [origin, destination]", "      - same: [origin, destination]", 18,
     "apis.Fly.constraints[0].same", "unknown key 'same'"),
    ("      - differ: [origin, destination]", "      - {differ: [origin, destination], record: {origin: x}}", 18,
     "apis.Fly.constraints[0]", "exactly one of differ: or record:"),
    ("record: {song: title, artist: artist}", "record: {song: title, singer: artist}", 25,
     "apis.Play.constraints[0].record.singer", "unknown argument 'singer' of Play"),
    ("record: {song: title, artist: artist}", "record: {song: name, artist: artist}", 25,
     "apis.Play.constraints[0].record.song", "Track has no field 'name'"),
    ("record: {song: title, artist: artist}", "record: {song: artist}", 25,
     "apis.Play.constraints[0].record.song", "argument 'song' is Song but field 'artist' is Artist"),
    ("      - {title: Africa, artist: Toto}", "      - {title: Africa, artist: Toto Band}", 29,
     "apis.Play.results[2].artist", "'Toto Band' is no listed value of Artist"),
])
def test_constraint_mistakes_are_located(old, new, line, field, message):
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(variant(old, new), "world.yaml")
    error = info.value
    assert (error.line, error.field) == (line, field), str(error)
    assert message in str(error)
    assert str(error).startswith(f"world.yaml:{line}: {field}: ")


def test_a_record_needs_declared_results():
    text = variant("""    results:
      - {title: Halo, artist: Beyonce}
      - {title: Shallow, artist: Gaga}
      - {title: Africa, artist: Toto}
""", "")
    with pytest.raises(ScenarioError, match="declared results: add results:"):
        load_scenario_text(text)


@pytest.mark.parametrize("old, new, message", [
    ("    values: [Boston, Denver, Austin]", "    values: [Boston, Denver, Austin]\n    faker_share: 0.5",
     "faker_share needs a faker provider"),
    ("    values: [Boston, Denver, Austin]",
     "    values: [Boston, Denver, Austin]\n    faker: city\n    faker_share: 1.5", "between 0 and 1, got 1.5"),
    ("    values: [Boston, Denver, Austin]", "    faker: city\n    faker_share: 0.5", "list some values"),
    ("    values: [Boston, Denver, Austin]", "    values: [Boston, Denver, Austin]\n    weights: {Bostn: 2}",
     "'Bostn' is no listed value of this type; did you mean 'Boston'?"),
    ("    values: [Boston, Denver, Austin]", "    values: [Boston, Denver, Austin]\n    weights: {Boston: 0}",
     "a weight is a number above 0, got 0"),
])
def test_weight_mistakes_are_located(old, new, message):
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(variant(old, new), "world.yaml")
    assert message in str(info.value)
    assert str(info.value).startswith("world.yaml:")
    assert "types.City" in info.value.field


# -- goals keep the constraints ----------------------------------------------------------


@pytest.mark.parametrize("split", ["train", "test"])
def test_origin_and_destination_differ_in_goals_and_changes_of_mind(split):
    """flights' test split holds 14 cities: without the constraint one goal in fourteen flies
    from a city to itself (25 % when the split held 4, before constraints existed)."""
    catalogue = Catalogue(FLIGHTS, holdout=0.2, split=split)
    drawn = goals(sampler(FLIGHTS, catalogue, change_of_mind=0.5), 2000)
    assert not [g for g in drawn if g.values.get("origin") == g.values["destination"]]
    changed = [v for g in drawn for v in revised(g) if {r.slot for r in g.revisions} & {"origin", "destination"}]
    assert len(changed) > 100
    assert not [v for v in changed if v.get("origin") == v["destination"]]
    if split == "test":
        loose = without_constraints(FLIGHTS)
        before = goals(sampler(loose, Catalogue(loose, holdout=0.2, split=split)), 1000)
        assert sum(g.values.get("origin") == g.values["destination"] for g in before) > 30


@pytest.mark.parametrize("split", ["train", "test"])
def test_a_song_comes_with_its_artist_even_after_a_change_of_mind(split):
    catalogue = Catalogue(MUSIC, holdout=0.2, split=split)
    tracks = {(r["title"], r["artist"]) for r in catalogue.records("PlayMusic")}
    drawn = goals(sampler(MUSIC, catalogue, dont_care=0.0, optional_value=0.5, change_of_mind=1.0), 600)
    pairs = [v for g in drawn for v in [dict(g.values), *revised(g)] if "artist" in v]
    assert len(pairs) > 200 and all((v["song"], v["artist"]) in tracks for v in pairs)
    song_changes = [r for g in drawn for r in g.revisions if r.slot == "song"]
    assert song_changes and all(r.value in {t for t, _ in tracks} for r in song_changes)


@pytest.mark.parametrize("split", ["train", "test"])
def test_a_restaurant_search_asks_for_what_one_restaurant_has(split):
    """Cuisine, city and price range come from one restaurant of the split, also after a
    change of mind, so a search finds what the customer wants; a name is in one city."""
    catalogue = Catalogue(RESTAURANTS, holdout=0.2, split=split)
    records = catalogue.records("FindRestaurants")
    wanted = {(r["cuisine"], r["city"], r["price"]) for r in records}
    drawn = goals(sampler(RESTAURANTS, catalogue, dont_care=0.0, optional_value=0.5, change_of_mind=1.0), 600)
    searches = [v for g in drawn for v in [dict(g.values), *revised(g)]]
    assert sum("price_range" in v for v in searches) > 200
    assert all(any((c, city) == (v["cuisine"], v["city"]) and p == v.get("price_range", p) for c, city, p in wanted)
               for v in searches)
    assert len({v["city"] for v in searches}) >= 3 and len({v["cuisine"] for v in searches}) >= 3
    cities = collections.defaultdict(set)
    for r in RESTAURANTS.apis["FindRestaurants"].results:
        cities[r["name"]].add(r["city"])
    assert all(len(c) == 1 for c in cities.values())


def test_alternatives_keep_the_constraints():
    world = load_scenario_text(WORLD)
    catalogue = Catalogue(world)
    assert catalogue.alternatives("origin", {"origin": "Boston", "destination": "Denver"}) == ("Austin",)
    assert catalogue.alternatives("song", {"song": "Halo", "artist": "Beyonce"}) == ()
    assert catalogue.alternatives("song", {"song": "Halo"}) == ("Shallow", "Africa")
    assert catalogue.allowed("artist", {"song": "Shallow"}) == ("Gaga",)
    assert catalogue.allowed("date", {}) is None  # no constraint about it


# -- a part of the day and a time agree (built in) ---------------------------------------

DAY = """\
name: day
types:
  Day:
    values: [today, tonight, tomorrow night, this afternoon, tomorrow morning, this morning, Monday]
  Clock:
    values: [9 am, 10:30 am, noon, 2 pm, 3:30 pm, 6 pm, 8 pm]
apis:
  Book:
    args:
      day: Day
      at: Clock
samples:
  - name: book
    turns:
      - user: book [Monday](day) at [2 pm](at)
        acts: [invoke Book]
      - system: [Book, inform_Book]
"""

_PARTS = {"tonight": "evening", "tomorrow night": "evening", "this afternoon": "afternoon",
          "tomorrow morning": "morning", "this morning": "morning"}
_HOURS = {"9 am": "morning", "10:30 am": "morning", "noon": "noon", "2 pm": "afternoon", "3:30 pm": "afternoon",
          "6 pm": "evening", "8 pm": "evening", "12:30 pm": "afternoon", "1 pm": "afternoon", "5:45 pm": "evening",
          "6:30 pm": "evening", "7 pm": "evening", "7:30 pm": "evening", "8:30 pm": "evening", "9 pm": "evening"}


def _agree(values: dict, day: str = "day", at: str = "at") -> bool:
    part = _PARTS.get(values.get(day, ""))
    return part is None or at not in values or _HOURS[values[at]] == part


def test_a_part_of_the_day_and_a_time_agree_in_goals_and_changes_of_mind():
    """Built in, by the words of the values: "tonight" comes with an evening time, "this
    afternoon" with an afternoon one, whichever is drawn or changed; a part no time fits
    is never drawn (the scenario has times for each part here)."""
    scenario = load_scenario_text(DAY)
    drawn = goals(sampler(scenario, change_of_mind=1.0), 2000)
    every = [v for g in drawn for v in [dict(g.values), *revised(g)]]
    assert all(_agree(v) for v in every), [v for v in every if not _agree(v)][:3]
    assert {v["day"] for v in every} == set(scenario.types["Day"].values)  # every value still comes
    changed = {r.slot for g in drawn for r in g.revisions}
    assert changed == {"day", "at"}
    catalogue = Catalogue(scenario)
    assert set(catalogue.alternatives("at", {"day": "tonight", "at": "6 pm"})) == {"8 pm"}
    assert set(catalogue.alternatives("day", {"day": "today", "at": "2 pm"})) == {"this afternoon", "Monday"}
    assert catalogue.allowed("day", {}) == scenario.types["Day"].values  # each part has a time


def test_a_part_no_time_fits_is_never_drawn():
    scenario = load_scenario_text(DAY.replace("values: [9 am, 10:30 am, noon, 2 pm, 3:30 pm, 6 pm, 8 pm]",
                                              "values: [2 pm, 3:30 pm, 6 pm, 8 pm]"))
    catalogue = Catalogue(scenario)
    assert "tomorrow morning" not in catalogue.allowed("day", {})
    assert all(_agree(g.values) and "morning" not in g.values["day"] for g in goals(sampler(scenario), 500))


def test_restaurants_tables_tonight_are_in_the_evening():
    """restaurants: "a table tonight at 1 pm" came one goal in a hundred."""
    drawn = goals(sampler(RESTAURANTS, change_of_mind=1.0), 3000)
    every = [v for g in drawn for v in [dict(g.values), *revised(g)]]
    assert sum(v.get("date") == "tonight" and "time" in v for v in every) > 50
    assert all(_agree(v, "date", "time") for v in every)
    assert Catalogue(MOVIES).allowed("date", {}) is None  # no time the customer says: nothing to agree with


# -- the backend agrees with the call -----------------------------------------------------


def said(**values: str) -> dict[str, Arg]:
    return {slot: Arg(value=value, ref=SpanRef(0, i)) for i, (slot, value) in enumerate(values.items())}


def backend(scenario, catalogue=None, goal: Goal | None = None) -> MockBackend:
    out = MockBackend(scenario, catalogue or Catalogue(scenario))
    out.reset(goal or Goal(apis=(next(iter(scenario.apis)),)))
    return out


def test_declared_results_are_filtered_on_what_was_asked():
    music = backend(MUSIC)
    assert music.call("PlayMusic", said(song="Shallow", artist="Taylor Swift"), np.random.default_rng(0)) == (
        ApiStatus.EMPTY, {})
    status, result = music.call("PlayMusic", said(song="Shallow"), np.random.default_rng(0))
    assert status is ApiStatus.OK and result["track"]["artist"] == "Lady Gaga"
    restaurants = backend(RESTAURANTS)
    thai = [r for r in RESTAURANTS.apis["FindRestaurants"].results if (r["cuisine"], r["city"]) == ("Thai", "Boston")]
    assert len({r["price"] for r in thai}) == 2
    price = thai[0]["price"]
    found = set()
    for seed in range(40):
        args = said(cuisine="Thai", city="Boston", price_range=price)
        status, result = restaurants.call("FindRestaurants", args, np.random.default_rng(seed))
        assert status is ApiStatus.OK
        found |= {r["name"] for r in result["restaurants"]}
    assert found == {r["name"] for r in thai if r["price"] == price}
    # A default (the customer gave no price range) filters nothing.
    args = {**said(cuisine="Thai", city="Boston"), "price_range": Arg(value="any price")}
    found = {r["name"] for seed in range(40)
             for r in restaurants.call("FindRestaurants", args, np.random.default_rng(seed))[1]["restaurants"]}
    assert found == {r["name"] for r in thai}
    # Boston has no Greek restaurant: nothing found, not Thai ones.
    assert restaurants.call("FindRestaurants", said(cuisine="Greek", city="Boston"), np.random.default_rng(0)) == (
        ApiStatus.EMPTY, {})


@pytest.mark.parametrize("split", ["train", "test"])
def test_movies_find_what_was_asked_and_a_total_counts_the_tickets(split):
    """movies: the customer wants a genre some film of the split is, a city with showings
    and a ticket count some order is for, also after a change of mind, so every search finds
    films of that genre, showings at that city's theaters, and an order whose total is the
    count times a ticket price. A family film is never rated R; a theater is in one city."""
    catalogue = Catalogue(MOVIES, holdout=0.2, split=split)
    shop = backend(MOVIES, catalogue)
    drawn = goals(sampler(MOVIES, catalogue, change_of_mind=1.0), 300)
    searches = [v for g in drawn for v in [dict(g.values), *revised(g)]]
    assert sum("tickets" in v for v in searches) > 50
    for i, values in enumerate(searches):
        rng = np.random.default_rng(i)
        status, found = shop.call("FindMovies", said(genre=values["genre"], city=values["city"]), rng)
        assert status is ApiStatus.OK and {m["genre"] for m in found["movies"]} == {values["genre"]}
        status, found = shop.call("GetShowtimes", said(city=values["city"]), rng)
        assert status is ApiStatus.OK and {s["city"] for s in found["showtimes"]} == {values["city"]}
        if "tickets" in values:
            status, found = shop.call("BuyTickets", said(tickets=values["tickets"]), rng)
            cents = round(float(found["order"]["total"].lstrip("$")) * 100)
            assert status is ApiStatus.OK and found["order"]["tickets"] == values["tickets"]
            assert cents / int(values["tickets"]) in {1250, 1500, 1850}
    genres, cities = {v["genre"] for v in searches}, {v["city"] for v in searches}
    if split == "train":
        assert len(genres) >= 5 and len(cities) >= 8
    else:  # whole genres and cities held out: films and showings the models never saw
        train = Catalogue(MOVIES, holdout=0.2, split="train")
        assert len(genres) >= 3 and not genres & set(train.values("Genre"))
        assert len(cities) >= 3 and not cities & set(train.values("City"))
    films = MOVIES.apis["FindMovies"].results
    assert {f["rating"] for f in films if f["genre"] in ("family", "animated")} == {"G", "PG"}
    cities = collections.defaultdict(set)
    for s in MOVIES.apis["GetShowtimes"].results:
        cities[s["theater"]].add(s["city"])
    assert all(len(c) == 1 for c in cities.values()) and len(set().union(*cities.values())) == 12


def test_generated_results_take_what_was_asked_and_never_repeat_an_item():
    flights = backend(FLIGHTS)
    for seed in range(200):
        status, result = flights.call("SearchFlight", said(origin="Boston", destination="Denver", date="today",
                                                           airline="Alaska"), np.random.default_rng(seed))
        items = result["flights"]
        assert status is ApiStatus.OK and {f["airline"] for f in items} == {"Alaska"}
        assert len(set(items)) == len(items)
    restaurants = backend(RESTAURANTS)
    for seed in range(200):
        _, result = restaurants.call("FindRestaurants", said(cuisine="Thai", city="Boston"), np.random.default_rng(seed))
        names = [r["name"] for r in result["restaurants"]]
        assert len(set(names)) == len(names)


def test_a_scripted_answer_comes_first_and_results_follow_the_generator():
    music = backend(MUSIC, goal=Goal(apis=("PlayMusic",), outcomes={"PlayMusic": "failure"}))
    assert music.call("PlayMusic", said(song="Halo"), np.random.default_rng(0)) == (ApiStatus.FAILURE, {})
    assert music.call("PlayMusic", said(song="Halo"), np.random.default_rng(0), first=False)[0] is ApiStatus.OK
    flights = backend(FLIGHTS)
    args = said(origin="Boston", destination="Denver", date="today")
    assert flights.call("SearchFlight", args, np.random.default_rng(7)) == flights.call(
        "SearchFlight", args, np.random.default_rng(7))


def test_an_empty_result_stays_empty_for_the_same_call_in_one_dialogue():
    """A scripted empty result is a fact of the dialogue's world: the same call finds
    nothing again (restaurants' "try again" with nothing changed found Shiro), a changed
    one finds what the world has, and no later result lists what the empty call would
    have found; a new dialogue starts afresh. A failure is transient: a retry succeeds."""
    goal = Goal(apis=("FindRestaurants",), outcomes={"FindRestaurants": "empty"})
    restaurants = backend(RESTAURANTS, goal=goal)
    thai = said(cuisine="Thai", city="Boston")
    assert restaurants.call("FindRestaurants", thai, np.random.default_rng(0)) == (ApiStatus.EMPTY, {})
    for seed in range(5):
        assert restaurants.call("FindRestaurants", thai, np.random.default_rng(seed), first=False) == (
            ApiStatus.EMPTY, {})
    status, result = restaurants.call("FindRestaurants", said(cuisine="Italian", city="Boston"),
                                      np.random.default_rng(0), first=False)
    assert status is ApiStatus.OK and {r["cuisine"] for r in result["restaurants"]} == {"Italian"}
    # Narrower than the empty search (a price range too): no Thai place in Boston either.
    price = said(cuisine="Thai", city="Boston", price_range="expensive")
    assert restaurants.call("FindRestaurants", price, np.random.default_rng(0), first=False)[0] is ApiStatus.EMPTY
    restaurants.reset(goal)
    assert restaurants.call("FindRestaurants", thai, np.random.default_rng(0), first=False)[0] is ApiStatus.OK
    # Generated results: a search that found nothing finds nothing again.
    flights = backend(FLIGHTS, goal=Goal(apis=("SearchFlight",), outcomes={"SearchFlight": "empty"}))
    trip = said(origin="Boston", destination="Denver", date="today")
    assert flights.call("SearchFlight", trip, np.random.default_rng(0))[0] is ApiStatus.EMPTY
    assert flights.call("SearchFlight", trip, np.random.default_rng(1), first=False)[0] is ApiStatus.EMPTY
    monday = said(origin="Boston", destination="Denver", date="Monday")
    assert flights.call("SearchFlight", monday, np.random.default_rng(1), first=False)[0] is ApiStatus.OK


def test_simulated_dialogues_never_find_what_an_identical_call_did_not():
    """Over simulated dialogues: after an empty result the customer changes a value or
    leaves (never the same search again), and no call repeats an empty one's arguments
    with another outcome."""
    found_after = retried = empties = 0
    for d in _restaurant_dialogues():
        outcomes = {}
        for i, turn in enumerate(d.turns):
            for call in (a for a in getattr(turn, "actions", ()) if isinstance(a, ApiCall)):
                key = (call.name, tuple(sorted((k, str(a.value)) for k, a in call.args.items())))
                found_after += outcomes.get(key) is ApiStatus.EMPTY and call.status is not ApiStatus.EMPTY
                outcomes[key] = call.status
                if call.status is ApiStatus.EMPTY and i + 1 < len(d.turns):
                    empties += 1
                    acts = {a.act for a in d.turns[i + 1].acts}
                    retried += not acts & {Act.INFORM, Act.GOODBYE}
    assert empties > 10 and found_after == 0 and retried == 0


_DIALOGUES: list = []


def _restaurant_dialogues() -> list:
    if not _DIALOGUES:
        config = attrs.evolve(RESTAURANTS.simulation, empty_result=0.5, give_up=0.0)
        _DIALOGUES.extend(simulate(RESTAURANTS, 60, seed=0, config=config))
    return _DIALOGUES


def test_a_list_of_showings_or_flights_comes_in_time_order():
    """"7:15 pm, 1:30 pm and 4 pm" reads unsorted: a list whose items have a time is
    listed earliest first, as a timetable is; other lists stay as drawn."""
    movies = backend(MOVIES)
    orders = set()
    for seed in range(30):
        status, result = movies.call("GetShowtimes", said(movie="Neon Tide", city="Boston", date="today"),
                                     np.random.default_rng(seed))
        times = [_clock(item["time"]) for item in result["showtimes"]]
        assert status is ApiStatus.OK and None not in times and times == sorted(times)
        orders.add(len(times))
    assert max(orders) > 1
    flights = backend(FLIGHTS)
    for seed in range(30):
        _, result = flights.call("SearchFlight", said(origin="Boston", destination="Denver", date="today"),
                                 np.random.default_rng(seed))
        times = [_clock(item["departure_time"]) for item in result["flights"]]
        assert None not in times and times == sorted(times)
    assert [_clock(t) for t in ("7:15 pm", "1:30 pm", "4 pm", "noon", "9 a.m.", "12 am")] == [
        1155, 810, 960, 720, 540, 0]
    assert _clock("Delta") is None and _clock(None) is None


# -- held-out splits ----------------------------------------------------------------------


@pytest.mark.parametrize("holdout, n, held", [
    (0.2, 1, 0), (0.2, 2, 1), (0.2, 4, 2), (0.2, 5, 2), (0.2, 6, 3), (0.2, 18, 4), (0.2, 200, 40), (0.5, 6, 3),
    (0.9, 10, 9), (0.0, 18, 0),
])
def test_held_count(holdout, n, held):
    assert held_count(holdout, n) == held


def test_every_type_large_enough_holds_out_three_values():
    sizes = Catalogue(FLIGHTS, holdout=0.2, split="test").split_sizes()
    for name, values in FLIGHTS.types.items():
        if values.is_catalogue and len(Catalogue(FLIGHTS).values(name)) >= 6:
            assert sizes.types[name][1] >= 3, name
    assert sizes.types["Airline"] == (9, 3) and sizes.types["City"] == (58, 14)
    assert "City 58/14" in str(sizes)


def test_results_are_split_as_records_with_their_values():
    train = Catalogue(MUSIC, holdout=0.2, split="train")
    test = Catalogue(MUSIC, holdout=0.2, split="test")
    held = test.records("PlayMusic")
    assert len(held) == 3 and not set(held) & set(train.records("PlayMusic"))
    assert len(held) + len(train.records("PlayMusic")) == len(MUSIC.apis["PlayMusic"].results)
    for record in held:
        assert record["title"] in test.values("SongName") and record["title"] not in train.values("SongName")
        assert record["album"] not in train.values("AlbumName")
    assert train.split_sizes().results == {"PlayMusic": (12, 3)}
    # A value kept and held-out records share stays in both splits.
    rtrain = Catalogue(RESTAURANTS, holdout=0.2, split="train")
    rtest = Catalogue(RESTAURANTS, holdout=0.2, split="test")
    shared = {r["price"] for r in rtest.records("FindRestaurants")} & {
        r["price"] for r in rtrain.records("FindRestaurants")}
    assert shared and shared <= set(rtrain.values("PriceRange")) & set(rtest.values("PriceRange"))


def test_held_out_titles_never_reach_training_text():
    held = Catalogue(MUSIC, holdout=0.2, split="test").records("PlayMusic")
    words = {r["title"] for r in held} | {r["album"] for r in held} | {r["artist"] for r in held}
    simulator = Simulator(MUSIC, holdout=0.2, split="train")
    texts = [turn.text for i in range(150) for turn in simulator.dialogue(0, i).turns if turn.text]
    assert len(texts) > 500
    assert not [t for t in texts if any(w in t for w in words)]
    test_texts = " ".join(turn.text for i in range(60) for turn in Simulator(MUSIC, holdout=0.2, split="test")
                          .dialogue(0, i).turns if turn.text)
    assert any(w in test_texts for w in words)


# -- weights ------------------------------------------------------------------------------

CITIES = """\
name: cities
types:
  City:
    values: [Philadelphia, Boston]
    synonyms: {Philadelphia: [Philly]}
    faker: city
apis:
  Go:
    args: {city: City}
samples:
  - name: go
    turns:
      - user: go to [Philly](city)
        acts: [invoke Go]
      - system: [Go, inform_Go]
"""


def listed_share(text: str, draws: int = 4000) -> collections.Counter:
    catalogue = Catalogue(load_scenario_text(text))
    rng = np.random.default_rng(0)
    return collections.Counter(catalogue.sample("City", rng) for _ in range(draws))


def test_faker_share_and_weights_decide_how_often_listed_values_come():
    default = listed_share(CITIES)
    assert default["Philadelphia"] + default["Boston"] < 100  # 2 of 202 values: drowned
    shared = listed_share(variant("    faker: city\n", "    faker: city\n    faker_share: 0.4\n", CITIES))
    listed = shared["Philadelphia"] + shared["Boston"]
    assert abs(listed / 4000 - 0.6) < 0.03
    weighted = listed_share(variant("    faker: city\n",
                                    "    faker: city\n    faker_share: 0.4\n    weights: {Philadelphia: 3}\n", CITIES))
    assert abs(weighted["Philadelphia"] / 4000 - 0.45) < 0.03 and abs(weighted["Boston"] / 4000 - 0.15) < 0.03
    only_listed = listed_share(variant("    faker: city\n", "    faker: city\n    faker_share: 0\n", CITIES))
    assert set(only_listed) == {"Philadelphia", "Boston"}


def test_weights_without_a_provider_and_in_a_change_of_mind():
    text = variant("    faker: city\n", "    weights: {Boston: 4}\n", CITIES)
    counts = listed_share(text)
    assert abs(counts["Boston"] / 4000 - 0.8) < 0.03
    catalogue = Catalogue(load_scenario_text(text))
    rng = np.random.default_rng(1)
    assert {catalogue.sample_other("City", rng, avoid="Philly") for _ in range(50)} == {"Boston"}


@pytest.mark.parametrize("old, new, message", [
    ("fly from [Boston](origin) to [Denver](destination)", "fly from [Boston](origin) to [Boston](destination)",
     "origin and destination are both 'Boston', but Fly's constraint says they differ"),
    ("fly from [Boston](origin) to [Denver](destination)",
     "fly from [Boston](origin) to [Denver](destination) with [Halo](song) by [Toto](artist)",
     "no result of Play has song 'Halo', artist 'Toto', as its record constraint needs"),
])
def test_a_sample_that_breaks_a_constraint_is_located(old, new, message):
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(variant(old, new), "world.yaml")
    assert str(info.value) == f"world.yaml:33: samples[0].turns[0].user: {message}"


@pytest.mark.parametrize("scenario, api, fields", [(RESTAURANTS, "FindRestaurants", ("city", "cuisine")),
                                                   (MOVIES, "GetShowtimes", ("city",))])
def test_records_grouped_by_what_is_asked_are_held_out_by_whole_groups(scenario, api, fields):
    """Records that share a searched value (the restaurants of a city) are held out a whole
    city or cuisine at a time: at least three of each are only in the test split, so the
    models meet cities and cuisines they never saw, and every record is in one split."""
    train = Catalogue(scenario, holdout=0.2, split="train")
    test = Catalogue(scenario, holdout=0.2, split="test")
    kept, held = train.records(api), test.records(api)
    assert kept and held and not set(map(repr, kept)) & set(map(repr, held))
    assert len(kept) + len(held) == len(scenario.apis[api].results)
    for field in fields:
        unseen = {r[field] for r in held} - {r[field] for r in kept}
        assert len(unseen) >= 3, field
        assert not unseen & set(train.values(scenario.types[scenario.apis[api].returns.type].fields[field]))


def test_what_an_empty_search_ruled_out_never_hides_another_match():
    """After nothing cheap and Mexican in San Francisco, any price finds the other Mexican
    places there every time: the ruled-out records are left out before the draw, not after
    it (which found nothing when the draw picked only ruled-out ones)."""
    for seed in range(60):
        world = backend(RESTAURANTS)
        world._scripted = {"FindRestaurants": ApiStatus.EMPTY}
        rng = np.random.default_rng(seed)
        first, _ = world.call("FindRestaurants", said(cuisine="Mexican", city="San Francisco", price_range="cheap"), rng)
        wider = {**said(cuisine="Mexican", city="San Francisco"), "price_range": Arg(value="any price")}
        status, result = world.call("FindRestaurants", wider, rng, first=False)
        assert first is ApiStatus.EMPTY and status is ApiStatus.OK, seed
        assert result["restaurants"] and all(item["price"] != "cheap" for item in result["restaurants"])
    world.reset()  # a new conversation (a bot's: no goal) forgets what found nothing
    assert not world._empty and not world._scripted


def test_a_booking_not_available_never_asks_for_more():
    """'Sorry, I couldn't book that.' is no reason to want five tickets instead of two: the
    customer asks for fewer, changes another value or says goodbye (it once answered
    'actually, for five'); only a party of one, with nothing else to change, tries two."""
    changed = []
    for d in simulate(MOVIES, 400, seed=0):
        for before, after in zip(d.turns, d.turns[1:]):
            call = next((a for a in getattr(before, "actions", ()) if getattr(a, "name", "") == "BuyTickets"
                         and a.status is ApiStatus.EMPTY), None)
            if call is not None:
                changed += [(int(call.args["tickets"].value), int(s.value)) for s in after.spans if s.slot == "tickets"]
    assert changed and all(new < old for old, new in changed if old > 1), changed  # one may try two
