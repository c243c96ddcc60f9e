"""What real services need in the format (#9 item 9): a per-argument ``volunteer:`` rate,
an argument the customer may say or take from a result, and words said around a value
that stay outside its span. Each is generated on in a small scenario: labels clean,
corpora byte-identical on a re-run and with two workers, and the feature happens at its
rate."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

from dialogsim.dialogue import Act, ApiCall, ApiRef, ApiStatus, Response, SpanRef, UserTurn
from dialogsim.errors import ScenarioError
from dialogsim.generation import generate, simulate
from dialogsim.graph import DependencyGraph
from dialogsim.interop.sgd_schema import import_sgd
from dialogsim.invariants import check_dialogue
from dialogsim.loader import load_scenario_text
from dialogsim.paraphrase.templates import GREETING

SGD = Path(__file__).parent / "fixtures" / "sgd"

TABLES = """\
name: tables
types:
  City:
    values: [Seattle, Portland, Chicago, Boston]
  Cuisine:
    values: [Thai, Italian, Mexican]
  PriceRange:
    values: [cheap, moderate, pricey]
  Party:
    values: ["2", "3", "4"]
apis:
  FindRestaurants:
    args:
      city: City
      cuisine: Cuisine
      price_range: {type: PriceRange, optional: true, default: any, volunteer: RATE}
samples:
  - name: find
    turns:
      - user: "find a [Thai](cuisine) place in [Seattle](city)"
        acts: [invoke FindRestaurants]
      - system: [FindRestaurants, inform_FindRestaurants]
"""


def _tables(rate: str = "0.5", text: str = TABLES):
    return load_scenario_text(text.replace("RATE", rate), "tables.yaml")


def _clean(scenario, n: int = 300) -> list:
    dialogues = list(simulate(scenario, n, seed=3))
    for d in dialogues:
        assert check_dialogue(d, scenario) == [], d.id
    return dialogues


def _same_corpus(scenario, tmp_path, n: int = 60) -> None:
    """The same corpus on a re-run and with two workers."""
    runs = [(tmp_path / "a", 1), (tmp_path / "b", 1), (tmp_path / "c", 2)]
    for out, workers in runs:
        generate(scenario, n, out, seed=5, workers=workers)
    for out, _ in runs[1:]:
        for name in ("part-00000.jsonl", "manifest.json"):
            assert filecmp.cmp(runs[0][0] / name, out / name, shallow=False), (out, name)


# -- volunteer: ------------------------------------------------------------------------

def _volunteered(dialogues, slot: str, api: str) -> tuple[int, int]:
    """(dialogues whose first turn invoking ``api`` says ``slot``, dialogues wanting it)."""
    said = wanted = 0
    for d in dialogues:
        if slot not in d.goal.values:
            continue
        first = next(t for t in d.turns if isinstance(t, UserTurn) and t.has(Act.INVOKE)
                     and any(a.api == api for a in t.acts))
        wanted += 1
        said += any(a.act is Act.INFORM and a.slot == slot for a in first.acts)
    return said, wanted


@pytest.mark.parametrize("rate, low, high", [("0", 0.0, 0.0), ("0.5", 0.38, 0.62), ("1", 1.0, 1.0)])
def test_a_declared_rate_is_how_often_the_value_comes_unasked(rate, low, high):
    scenario = _tables(rate)
    said, wanted = _volunteered(_clean(scenario, 400), "price_range", "FindRestaurants")
    assert wanted > 60
    assert low <= said / wanted <= high, (said, wanted)


def test_without_a_rate_the_old_rule_decides():
    """No declaration: how much the customer volunteers decides, neither never nor always."""
    text = TABLES.replace(", volunteer: RATE", "")
    said, wanted = _volunteered(_clean(_tables(text=text), 400), "price_range", "FindRestaurants")
    assert 0 < said < wanted


def test_the_goal_carries_what_it_volunteers(tmp_path):
    scenario = _tables("0.5")
    goals = [d.goal for d in simulate(scenario, 100, seed=1)]
    assert {("price_range" in g.behaviour.volunteer) for g in goals if "price_range" in g.values} == {True, False}
    assert all(not g.behaviour.volunteer for g in goals if "price_range" not in g.values)
    assert all("volunteer" not in d.goal.to_json()["behaviour"]
               for d in simulate(_tables(text=TABLES.replace(", volunteer: RATE", "")), 50))
    _same_corpus(scenario, tmp_path)


@pytest.mark.parametrize("rate, message", [
    ("1.5", "volunteer is a chance between 0 and 1, got 1.5"),
    ("often", "volunteer is a chance between 0 and 1, got 'often'"),
])
def test_a_bad_rate_is_an_error_at_its_line(rate, message):
    with pytest.raises(ScenarioError) as caught:
        _tables(rate)
    assert str(caught.value) == f"tables.yaml:16: apis.FindRestaurants.args.price_range.volunteer: {message}"


def test_a_rate_for_a_value_no_customer_says_is_an_error():
    text = TABLES.replace("""    values: ["2", "3", "4"]
""", """    values: ["2", "3", "4"]
  Table:
    fields: {city: City}
""").replace("""      price_range:""", """      table: {type: Table, optional: true, default: none, volunteer: 0.5}
      price_range:""")
    with pytest.raises(ScenarioError, match=r"tables.yaml:18: apis.FindRestaurants.args.table.volunteer: "
                                            r"volunteer is for values the customer says"):
        _tables(text=text)


# -- contexts: -------------------------------------------------------------------------

CONTEXTS = TABLES.replace("""    values: [Seattle, Portland, Chicago, Boston]
""", """    values: [Seattle, Portland, Chicago, Boston]
    contexts:
      Portland: ["{}, Oregon"]
      Chicago: ["the {} area", "greater {}"]
""").replace("""    values: [Thai, Italian, Mexican]
""", """    values: [Thai, Italian, Mexican]
    contexts: ["{} food"]
""")


def _mentions(dialogues, slot: str, value: str | None = None) -> list[tuple[str, str, str]]:
    """(text before, the span, text after) of each span of ``slot`` (``value``) said."""
    out = []
    for d in dialogues:
        for t in d.turns:
            if isinstance(t, UserTurn):
                out += [(t.text[:s.start], t.text[s.start:s.end], t.text[s.end:]) for s in t.spans
                        if s.slot == slot and (value is None or s.value == value)]
    return out


def test_words_around_a_value_stay_outside_its_span(tmp_path):
    scenario = load_scenario_text(CONTEXTS.replace("RATE", "0.5"), "tables.yaml")
    dialogues = _clean(scenario)
    portland = _mentions(dialogues, "city", "Portland")
    assert all(span == "Portland" for _, span, _ in portland)
    oregon = sum(after.startswith(", Oregon") for _, _, after in portland)
    assert 0.35 < oregon / len(portland) < 0.65, (oregon, len(portland))  # the context or the bare value
    chicago = _mentions(dialogues, "city", "Chicago")
    area = sum(before.endswith("the ") and after.startswith(" area") for before, _, after in chicago)
    greater = sum(before.endswith("greater ") for before, _, _ in chicago)
    assert all(span == "Chicago" for _, span, _ in chicago)
    assert area and greater and area + greater < len(chicago)
    assert not any(after.startswith((" area", ", Oregon")) for _, _, after in _mentions(dialogues, "city", "Seattle"))
    food = _mentions(dialogues, "cuisine")  # a context for every value of the type
    assert {span for _, span, after in food if after.startswith(" food")} == {"Thai", "Italian", "Mexican"}
    _same_corpus(scenario, tmp_path)


@pytest.mark.parametrize("contexts, line, field, message", [
    ('["the {} area", "{}s"]', 5, "types.City.contexts[1]", "'{}s': the words run into the value"),
    ('["the area"]', 5, "types.City.contexts[0]", "'the area': a context has one {} where the value goes"),
    ('["{} {}"]', 5, "types.City.contexts[0]", "'{} {}': a context has one {}"),
    ('["{}"]', 5, "types.City.contexts[0]", "'{}': a context needs words around the {}"),
    ('{Portlnd: ["{}, Oregon"]}', 5, "types.City.contexts.Portlnd",
     "'Portlnd' is no listed value of this type; did you mean 'Portland'?"),
])
def test_a_bad_context_is_an_error_at_its_line(contexts, line, field, message):
    text = TABLES.replace("""    values: [Seattle, Portland, Chicago, Boston]
""", f"""    values: [Seattle, Portland, Chicago, Boston]
    contexts: {contexts}
""").replace("RATE", "0.5")
    with pytest.raises(ScenarioError) as caught:
        load_scenario_text(text, "tables.yaml")
    assert str(caught.value).startswith(f"tables.yaml:{line}: {field}: {message}"), str(caught.value)


# -- from: [customer, Api.field] ---------------------------------------------------------

BOOKING = """\
name: booking
types:
  City:
    values: [Seattle, Portland, Chicago, Boston]
  Cuisine:
    values: [Thai, Italian, Mexican]
  RestaurantName:
    values: [Juniper, Olive Tree, Saffron, Blue Door, Sage, Copper Pot]
  Party:
    values: ["2", "3", "4"]
  Restaurant:
    fields: {restaurant_name: RestaurantName, city: City, cuisine: Cuisine}
    say: "{restaurant_name}"
apis:
  FindRestaurants:
    args:
      city: City
      cuisine: Cuisine
    returns: {name: restaurants, type: Restaurant, many: true}
  ReserveTable:
    args:
      restaurant_name: {type: RestaurantName, from: [customer, FindRestaurants.restaurant_name]}
      party_size: Party
    confirm: true
samples:
  - name: search
    turns:
      - user: "find a [Thai](cuisine) place in [Seattle](city)"
        acts: [invoke FindRestaurants]
      - system: [confirm_FindRestaurants, FindRestaurants, inform_FindRestaurants, offer_ReserveTable]
  - name: book by name
    turns:
      - user: "book a table at [Juniper](restaurant_name) for [2](party_size)"
        acts: [invoke ReserveTable]
      - system: [confirm_ReserveTable]
"""


def _booking(text: str = BOOKING):
    return load_scenario_text(text, "booking.yaml")


def test_the_graph_knows_both_sources():
    scenario = _booking()
    graph = DependencyGraph(scenario)
    arg = scenario.apis["ReserveTable"].arg("restaurant_name")
    assert (arg.source, arg.field, arg.customer) == ("FindRestaurants", "restaurant_name", True)
    assert graph.feeders("ReserveTable", "restaurant_name") == ("FindRestaurants",)
    assert set(graph.roots()) == {"FindRestaurants", "ReserveTable"}  # callable without the search
    assert {("ReserveTable",), ("FindRestaurants", "ReserveTable")} <= set(graph.paths())
    assert '"FindRestaurants" -> "ReserveTable" [label="Restaurant.restaurant_name: restaurant_name"]' in graph.to_dot()
    assert not graph.blocked()


def test_named_without_a_search_or_picked_from_its_result(tmp_path):
    scenario = _booking()
    named = picked = 0
    for d in _clean(scenario, 300):
        searched = "FindRestaurants" in d.goal.apis
        assert ("restaurant_name" in d.goal.values) is not searched  # the goal decides, by its path
        for t, turn in enumerate(d.turns):
            for call in (a for a in getattr(turn, "actions", ()) if isinstance(a, ApiCall)):
                if call.name != "ReserveTable" or call.status is not ApiStatus.OK:
                    continue
                given = call.args["restaurant_name"]
                if isinstance(given.ref, SpanRef):  # "book a table at Juniper": the span
                    named += 1
                    assert not searched
                    assert d.turns[given.ref.turn].spans[given.ref.span].value == given.value
                else:  # "book that one": the picked item of the search
                    picked += 1
                    assert searched and isinstance(given.ref, ApiRef)
                    found = d.turns[given.ref.turn].actions[given.ref.action]
                    items = found.result["restaurants"]
                    item = items[given.ref.item or 0]
                    assert found.name == "FindRestaurants" and item["restaurant_name"] == given.value
    assert named > 20 and picked > 20, (named, picked)
    _same_corpus(scenario, tmp_path)


def test_asked_which_one_the_customer_picks_rather_than_naming():
    """After a search with several results the system asks "which restaurant?"
    (request_restaurant_name); a customer without a name of its own picks from the list."""
    scenario = _booking()
    asked = 0
    for d in simulate(scenario, 300, seed=4):
        for t, turn in enumerate(d.turns[:-1]):
            names = [a.name for a in getattr(turn, "actions", ()) if isinstance(a, Response)]
            if names and names[-1] == "request_restaurant_name" and "restaurant_name" not in d.goal.values:
                asked += 1
                assert d.turns[t + 1].has(Act.SELECT), d.turns[t + 1].text
    assert asked > 5


def test_an_api_the_customer_can_open_with_greets_like_any_opening():
    """"hi, book a table at Juniper for 2": ReserveTable opens a dialogue when the customer
    names the restaurant, and its opening turn may greet like a search's."""
    openings: dict[str, list[bool]] = {}
    for d in simulate(_booking(), 400, seed=1):
        openings.setdefault(d.goal.apis[0], []).append(GREETING.match(d.turns[0].text) is not None)
    assert sum(openings["FindRestaurants"]) > 10  # searches greet
    assert len(openings["ReserveTable"]) > 50 and sum(openings["ReserveTable"]) > 3


@pytest.mark.parametrize("source, message", [
    ("[customer, FindRestaurant.restaurant_name]", "unknown API 'FindRestaurant'; did you mean 'FindRestaurants'?"),
    ("[customer, FindRestaurants.name]", "FindRestaurants returns Restaurant, which has no field 'name'"),
    ("[customer, FindRestaurants.city]", "Restaurant.city is City, not RestaurantName"),
    ("[customer, customer]", "customer is named twice"),
    ("[FindRestaurants.restaurant_name, ReserveTable]", "an argument comes from one API's result at most"),
    ("[customer, FindRestaurants.]", "'FindRestaurants.': write Api.field"),
    ("[customer, ReserveTable.restaurant_name]", "ReserveTable cannot feed its own argument"),
])
def test_a_bad_source_is_an_error_at_its_line(source, message):
    text = BOOKING.replace("from: [customer, FindRestaurants.restaurant_name]", f"from: {source}")
    with pytest.raises(ScenarioError) as caught:
        _booking(text)
    assert str(caught.value).startswith("booking.yaml:22: apis.ReserveTable.args.restaurant_name.from"), \
        str(caught.value)
    assert message in str(caught.value)


def test_the_customer_cannot_say_an_entity():
    text = BOOKING.replace("      party_size: Party\n", "      party_size: Party\n"
                           "      place: {type: Restaurant, from: [customer, FindRestaurants]}\n")
    with pytest.raises(ScenarioError, match=r"booking.yaml:24: apis.ReserveTable.args.place.from: the customer "
                                            r"cannot say a Restaurant"):
        _booking(text)


def test_a_result_field_alone_makes_the_search_come_first():
    """``from: Api.field`` without the customer: the API waits for the search."""
    scenario = _booking(BOOKING.replace("from: [customer, FindRestaurants.restaurant_name]",
                                        "from: FindRestaurants.restaurant_name").replace(
        "book a table at [Juniper](restaurant_name) for [2](party_size)", "book it for [2](party_size)"))
    graph = DependencyGraph(scenario)
    assert graph.roots() == ("FindRestaurants",)
    assert ("ReserveTable",) not in set(graph.paths())
    for d in _clean(scenario, 100):
        assert "restaurant_name" not in d.goal.values


def test_import_sgd_lets_the_customer_name_or_pick_a_result_slot():
    """SGD's OrderCake requires cake_name, which FindCakes's results hold: the customer
    names the cake, or orders the one the search offered."""
    imported = import_sgd(SGD / "schema.json", "Bakery_1", [SGD / "dialogues_001.json"])
    scenario = load_scenario_text(imported.text, "bakery.yaml")
    arg = scenario.apis["OrderCake"].arg("cake_name")
    assert (arg.source, arg.field, arg.customer) == ("FindCakes", "cake_name", True)
    assert scenario.apis["OrderCake"].arg("pickup_date").source is None  # no search finds it
    refs = set()
    for d in _clean(scenario, 150):
        for turn in d.turns:
            refs.update(type(a.args["cake_name"].ref) for a in getattr(turn, "actions", ())
                        if isinstance(a, ApiCall) and a.name == "OrderCake" and a.status is ApiStatus.OK)
    assert refs == {SpanRef, ApiRef}


def test_a_value_only_results_give_can_block_an_api_the_customer_unblocks():
    """Validation knows both sources: two APIs that each need a field of the other's result
    can never be called, unless the customer may say one of the values."""
    cycle = BOOKING.replace("""      city: City
      cuisine: Cuisine
    returns""", """      city: City
      cuisine: Cuisine
      party_size: {type: Party, from: ReserveTable.party_size}
    returns""").replace("""      party_size: Party
    confirm: true""", """      party_size: Party
    returns: {name: booking, type: Booking}
    confirm: true""").replace("""  Restaurant:""", """  Booking:
    fields: {party_size: Party}
  Restaurant:""").replace("from: [customer, FindRestaurants.restaurant_name]",
                          "from: FindRestaurants.restaurant_name")
    with pytest.raises(ScenarioError, match=r"apis.FindRestaurants.args.party_size: FindRestaurants can never be "
                                            r"called: a dependency cycle"):
        _booking(cycle)
    unblocked = _booking(cycle.replace("from: ReserveTable.party_size", "from: [customer, ReserveTable.party_size]"))
    assert not DependencyGraph(unblocked).blocked()


# -- constraints on an argument the customer may say or take from a result ---------------

def _constrained(constraint: str, extra_arg: str = "      backup: RestaurantName\n", text: str = BOOKING):
    """BOOKING with ``extra_arg`` and ``constraint`` on ReserveTable."""
    text = text.replace("      party_size: Party\n    confirm: true\n",
                        f"      party_size: Party\n{extra_arg}    confirm: true\n"
                        f"    constraints:\n      - {constraint}\n")
    if "backup" not in extra_arg:
        return text
    return text.replace("book a table at [Juniper](restaurant_name) for [2](party_size)",
                        "book a table at [Juniper](restaurant_name) for [2](party_size), or [Sage](backup)")


def test_differ_holds_for_a_named_value_and_a_picked_one_is_what_the_search_found(tmp_path):
    """differ: [restaurant_name, backup] with restaurant_name from: [customer, ...]: a
    customer who names the restaurant never names it as its backup too; one who picks it
    from the search gets what the search found (the constraint filters no result)."""
    scenario = _booking(_constrained("differ: [restaurant_name, backup]"))
    assert scenario.apis["ReserveTable"].constraints[0].args == ("restaurant_name", "backup")
    named = picked = 0
    for d in _clean(scenario, 300):
        values = d.goal.values
        if "restaurant_name" in values:
            named += 1
            assert values["restaurant_name"] != values["backup"]
        elif "ReserveTable" in d.goal.apis:
            picked += 1
    assert named > 20 and picked > 20, (named, picked)
    _same_corpus(scenario, tmp_path)


def test_a_record_holds_for_a_named_value():
    """record: {restaurant_name: restaurant_name} on ReserveTable's own results: a named
    restaurant is one that takes bookings; after a search, the backend filters the
    bookable ones by the restaurant picked (an empty result when it takes none)."""
    text = _constrained("record: {restaurant_name: restaurant_name}", extra_arg="").replace(
        "    confirm: true\n", "    returns: {name: booking, type: Booking}\n    confirm: true\n"
        "    results:\n      - {restaurant_name: Juniper, party_size: \"2\"}\n"
        "      - {restaurant_name: Sage, party_size: \"4\"}\n").replace(
        "  Restaurant:", "  Booking:\n    fields: {restaurant_name: RestaurantName, party_size: Party}\n  Restaurant:")
    scenario = _booking(text)
    named = 0
    for d in _clean(scenario, 200):
        if "restaurant_name" in d.goal.values:
            named += 1
            assert d.goal.values["restaurant_name"] in ("Juniper", "Sage")
    assert named > 20


def test_a_constraint_on_a_value_only_a_result_gives_is_an_error_at_its_line():
    text = _constrained("differ: [restaurant_name, backup]").replace(
        "from: [customer, FindRestaurants.restaurant_name]", "from: FindRestaurants.restaurant_name").replace(
        "book a table at [Juniper](restaurant_name) for [2](party_size), or [Sage](backup)",
        "book it for [2](party_size), or [Sage](backup)")
    with pytest.raises(ScenarioError) as caught:
        _booking(text)
    assert str(caught.value).startswith("booking.yaml:27: apis.ReserveTable.constraints[0].differ[0]: argument "
                                        "'restaurant_name' comes from an API's result only"), str(caught.value)
