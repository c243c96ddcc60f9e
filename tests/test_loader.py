"""The scenario loader: what a valid file becomes, and the located error for each mistake."""

from __future__ import annotations

import hashlib
import pickle
import statistics
import time
from pathlib import Path

import pytest
from hypothesis import given, settings

from dialogsim.config import SimulationConfig, VariationConfig
from dialogsim.dialogue import Act, Span, UserAct
from dialogsim.errors import ScenarioError
from dialogsim.loader import load_scenario, load_scenario_text
from dialogsim.schema import ResponseAct
from dialogsim.testing.strategies import scenario_texts

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
FLIGHTS = SCENARIOS / "flights.yaml"

SHOP = """\
name: shop
description: Find fruit, then buy it.
types:
  Fruit:
    values: [apple, pear]
    synonyms:
      apple: [apples, Granny Smith]
      plum: [plums]
  Count:
    values: ["1", "2", "3"]
  Code:
    faker: bothify
    faker_args: {text: "##??"}
  Offer:
    fields: {fruit: Fruit, price: Count}
  Receipt:
    fields: {code: Code}
apis:
  FindFruit:
    args:
      fruit: Fruit
    returns: {name: offers, type: Offer, many: true}
  BuyFruit:
    args:
      offer: Offer
      count: {type: Count, optional: true, default: "1", ask: true}
    returns: {name: receipt, type: Receipt}
    confirm: true
responses:
  request_fruit:
    text: Which fruit?
utterances:
  FindFruit:
    - find {fruit}
  inform:
    - "{count}"
samples:
  - name: buy
    turns:
      - user: find [apples](fruit)
        acts: [invoke FindFruit]
      - system: [FindFruit, inform_FindFruit, offer_BuyFruit]
      - user: yes, the first
        acts: [affirm, select 0]
      - system: [confirm_BuyFruit]
      - user: yes
        acts: [affirm]
      - system: [BuyFruit, inform_BuyFruit]
"""


def variant(old: str, new: str, text: str = SHOP) -> str:
    assert text.count(old) == 1, f"{old!r} must occur once"
    return text.replace(old, new)


def line_of(text: str, needle: str, nth: int = 0) -> int:
    """1-based line of the ``nth`` line that contains ``needle``."""
    lines = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    return lines[nth]


def error_of(text: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "shop.yaml")
    return info.value


# -- what a valid file becomes ---------------------------------------------------------

def test_shop_loads_with_types_apis_and_responses_in_file_order():
    s = load_scenario_text(SHOP, "shop.yaml")
    assert s.name == "shop" and s.description == "Find fruit, then buy it."
    assert list(s.types) == ["Fruit", "Count", "Code", "Offer", "Receipt"]
    assert list(s.apis) == ["FindFruit", "BuyFruit"]
    assert s.path == "shop.yaml"
    assert s.source_hash == hashlib.sha256(SHOP.encode()).hexdigest()
    buy = s.apis["BuyFruit"]
    assert buy.confirm and buy.returns.name == "receipt" and not buy.returns.many
    count = buy.arg("count")
    assert (count.optional, count.default, count.ask, count.confirm, count.source) == (True, "1", True, False, None)
    assert buy.arg("offer").required and s.apis["FindFruit"].returns.many
    assert s.slots == {"fruit": "Fruit", "offer": "Offer", "count": "Count", "price": "Count", "code": "Code"}


def test_synonym_values_join_the_catalogue():
    fruit = load_scenario_text(SHOP).types["Fruit"]
    assert fruit.values == ("apple", "pear", "plum")
    assert fruit.synonyms == {"apple": ("apples", "Granny Smith"), "plum": ("plums",)}


def test_a_value_may_be_annotated_in_its_spoken_form():
    """The catalogue says "2" as "two" too, so a sample may; digits in a code are not words."""
    text = variant("      - user: yes\n        acts: [affirm]", "      - user: yes, [two](count)\n        acts: [affirm]")
    turn = load_scenario_text(text).samples[0].turns[4]
    assert (turn.text, turn.spans[0].value) == ("yes, two", "2")
    with pytest.raises(ScenarioError, match="'four' is no value or synonym of Count"):
        load_scenario_text(variant("[two](count)", "[four](count)", text))


def test_catalogue_text_is_kept_as_written():
    text = variant('values: ["1", "2", "3"]', "values: [1, yes, 1.50]")
    text = variant('default: "1"', "default: 1", text)
    s = load_scenario_text(text)
    assert s.types["Count"].values == ("1", "yes", "1.50")
    assert s.apis["BuyFruit"].arg("count").default == "1"


def test_faker_type_and_entity_types():
    s = load_scenario_text(SHOP)
    assert s.types["Code"].faker == "bothify" and s.types["Code"].faker_args == {"text": "##??"}
    assert s.types["Code"].is_catalogue and not s.types["Code"].is_entity
    assert s.types["Offer"].fields == {"fruit": "Fruit", "price": "Count"} and s.types["Offer"].say is None


def test_sample_annotations_become_plain_text_spans_and_acts():
    s = load_scenario_text(SHOP)
    first, system = s.samples[0].turns[:2]
    assert first.speaker == "user" and first.text == "find apples"
    assert first.spans == (Span(start=5, end=11, slot="fruit", type="Fruit", value="apple"),)
    assert first.acts == (UserAct(act=Act.INVOKE, api="FindFruit"), UserAct(act=Act.INFORM, slot="fruit"))
    assert system.speaker == "system" and system.actions == ("FindFruit", "inform_FindFruit", "offer_BuyFruit")
    assert s.samples[0].turns[2].acts == (UserAct(act=Act.AFFIRM), UserAct(act=Act.SELECT, item=0))
    assert s.samples[0].api_path == ("FindFruit", "BuyFruit")
    assert s.samples[0].line == line_of(SHOP, "- name: buy")
    assert first.line == line_of(SHOP, "find [apples]")


@pytest.mark.parametrize("surface, value", [
    ("pear", "pear"), ("Pear", "pear"), ("Granny Smith", "apple"), ("granny smith", "apple"), ("plums", "plum"),
])
def test_span_value_is_the_canonical_value(surface, value):
    s = load_scenario_text(variant("find [apples](fruit)", f"I'd like [{surface}](fruit) please"))
    turn = s.samples[0].turns[0]
    span = turn.spans[0]
    assert turn.text[span.start:span.end] == surface
    assert span.value == value


def test_a_faker_type_takes_any_surface_and_every_act_kind_parses():
    text = variant("      fruit: Fruit\n", "      fruit: Fruit\n      store: Store\n")
    text = variant("  Count:\n", "  Store:\n    faker: city\n  Count:\n", text)
    text = variant("      - user: yes\n        acts: [affirm]\n",
                   "      - user: yes, at [Little Rock](store), any count, what does it cost\n"
                   "        acts: [affirm, dont_care count, request price, thank, goodbye, deny]\n", text)
    turn = load_scenario_text(text).samples[0].turns[4]
    assert turn.spans == (Span(start=8, end=19, slot="store", type="Store", value="Little Rock"),)
    assert [a.act for a in turn.acts] == [Act.AFFIRM, Act.DONT_CARE, Act.REQUEST, Act.THANK, Act.GOODBYE,
                                          Act.DENY, Act.INFORM]
    assert turn.acts[1].slot == "count" and turn.acts[2].slot == "price" and turn.acts[-1].slot == "store"


def test_utterance_keys_map_to_acts_and_targets():
    text = variant('    - "{count}"\n', '    - "{count}"\n  dont_care_count: [any number]\n'
                   "  request_price: [how much]\n  select: [\"the {ordinal} one\"]\n  affirm: sure\n")
    s = load_scenario_text(text)
    got = [(u.act, u.target, u.templates) for u in s.utterances]
    assert got == [(Act.INVOKE, "FindFruit", ("find {fruit}",)), (Act.INFORM, None, ("{count}",)),
                   (Act.DONT_CARE, "count", ("any number",)), (Act.REQUEST, "price", ("how much",)),
                   (Act.SELECT, None, ("the {ordinal} one",)), (Act.AFFIRM, None, ("sure",))]
    assert s.utterances_for(Act.INVOKE, "FindFruit")[0].line == line_of(text, "  FindFruit:", 1)


def test_default_responses_fill_in_what_the_scenario_leaves_out():
    s = load_scenario_text(SHOP)
    got = {name: (r.act, dict(r.args), r.texts, r.api, r.slot, r.generated) for name, r in s.responses.items()}
    R = ResponseAct
    assert got == {
        "request_fruit": (R.REQUEST, {}, ("Which fruit?",), None, "fruit", False),
        "inform_FindFruit": (R.INFORM, {"offers": "Offer"}, ("Here's what I found: {offers}.", "I found {offers}."),
                             "FindFruit", None, True),
        "inform_FindFruit_fruit": (R.INFORM, {"offers": "Offer"},
                                   ("The fruit is {offers.fruit}.", "It's {offers.fruit}."), "FindFruit", "fruit", True),
        "inform_FindFruit_price": (R.INFORM, {"offers": "Offer"},
                                   ("The price is {offers.price}.", "It's {offers.price}."), "FindFruit", "price", True),
        "no_results_FindFruit": (R.NO_RESULTS, {}, ("Sorry, I couldn't find anything for that.",
                                                     "Sorry, nothing matched that."), "FindFruit", None, True),
        "failure_FindFruit": (R.FAILURE, {}, ("Sorry, something went wrong. Please try again later.",
                                               "Sorry, that didn't work. Please try again later."),
                              "FindFruit", None, True),
        "request_offer": (R.REQUEST, {}, ("Which offer would you like?", "Which one would you like?"),
                          None, "offer", True),
        "request_count": (R.REQUEST, {}, ("What count would you like?", "Which count?"), None, "count", True),
        "confirm_BuyFruit": (R.CONFIRM_API, {"offer": "Offer", "count": "Count"},
                             ("Should I buy fruit with {offer}?", "Do you want me to buy fruit with {offer}?"),
                             "BuyFruit", None, True),
        "inform_BuyFruit": (R.INFORM, {"receipt": "Receipt"},
                            ("Here's the receipt: {receipt}.", "Done. The receipt is {receipt}."),
                            "BuyFruit", None, True),
        "inform_BuyFruit_code": (R.INFORM, {"receipt": "Receipt"}, ("The code is {receipt.code}.",
                                                                     "It's {receipt.code}."), "BuyFruit", "code", True),
        "no_results_BuyFruit": (R.NO_RESULTS, {}, ("Sorry, that isn't available.",  # it buys: no search
                                                    "Sorry, I couldn't get that for you."), "BuyFruit", None, True),
        "failure_BuyFruit": (R.FAILURE, {}, ("Sorry, something went wrong. Please try again later.",
                                              "Sorry, that didn't work. Please try again later."),
                             "BuyFruit", None, True),
        "offer_BuyFruit": (R.OFFER, {}, ("Would you like me to buy fruit?", "Do you want me to buy fruit next?"),
                           "BuyFruit", None, True),
        "reqmore": (R.REQMORE, {}, ("Can I help with anything else?", "Is there anything else I can do for you?"),
                    None, None, True),
        "goodbye": (R.GOODBYE, {}, ("Goodbye!", "Have a nice day!"), None, None, True),
        # Any value the customer gives may be confirmed, and a call on its values echoed.
        "confirm_fruit": (R.CONFIRM_ARGS, {"fruit": "Fruit"}, ("Just to confirm, the fruit is {fruit}?",
                                                               "Did you say {fruit} for the fruit?"), None, "fruit", True),
        "confirm_FindFruit": (R.CONFIRM_API, {"fruit": "Fruit"}, ("Okay, I'll find fruit with {fruit}.",
                                                                  "Alright, find fruit with {fruit}."),
                              "FindFruit", None, True),
        "confirm_count": (R.CONFIRM_ARGS, {"count": "Count"}, ("Just to confirm, the count is {count}?",
                                                               "Did you say {count} for the count?"), None, "count", True),
    }
    assert list(s.responses)[0] == "request_fruit"  # declared first, generated after
    assert s.responses["request_fruit"].line == line_of(SHOP, "request_fruit:")


def test_default_texts_for_confirmed_arguments_and_apis_without_output():
    text = variant("      fruit: Fruit\n", "      fruit: {type: Fruit, confirm: true}\n")
    text = variant("    returns: {name: receipt, type: Receipt}\n", "", text)
    text = variant("  Receipt:\n    fields: {code: Code}\n", "", text)
    s = load_scenario_text(text)
    confirm = s.responses["confirm_fruit"]
    assert (confirm.act, dict(confirm.args), confirm.slot) == (ResponseAct.CONFIRM_ARGS, {"fruit": "Fruit"}, "fruit")
    assert confirm.texts == ("Just to confirm, the fruit is {fruit}?", "Did you say {fruit} for the fruit?")
    assert s.responses["inform_BuyFruit"].texts == ("Done.", "All done.")
    assert dict(s.responses["inform_BuyFruit"].args) == {}
    assert "offer_FindFruit" not in s.responses  # nothing feeds FindFruit


def test_a_default_confirmation_of_a_plural_count_says_the_count_with_its_noun():
    """"Just to confirm, 3 tickets?", never "the tickets is 3"."""
    movies = load_scenario(SCENARIOS / "movies.yaml")
    texts = movies.responses["confirm_tickets"].texts
    assert texts[0] == "Just to confirm, {tickets} tickets?" and not any(" tickets is " in t for t in texts)


def test_declared_responses_take_act_api_slot_and_default_args_from_their_name():
    text = variant("  request_fruit:\n", "  confirm_BuyFruit:\n    text: Buy {offer} x{count}?\n"
                   "  inform_FindFruit_price:\n    text: It costs {offers.price}.\n"
                   "  nudge:\n    act: other\n    args: {offer: Offer}\n    text: [\"Still want {offer}?\"]\n"
                   "  request_fruit:\n")
    r = load_scenario_text(text).responses
    assert (r["confirm_BuyFruit"].act, r["confirm_BuyFruit"].api) == (ResponseAct.CONFIRM_API, "BuyFruit")
    assert dict(r["confirm_BuyFruit"].args) == {"offer": "Offer", "count": "Count"}
    assert (r["inform_FindFruit_price"].api, r["inform_FindFruit_price"].slot) == ("FindFruit", "price")
    assert dict(r["inform_FindFruit_price"].args) == {"offers": "Offer"}
    assert (r["nudge"].act, r["nudge"].api, r["nudge"].slot, r["nudge"].generated) == (ResponseAct.OTHER, None,
                                                                                         None, False)
    assert list(r)[:4] == ["confirm_BuyFruit", "inform_FindFruit_price", "nudge", "request_fruit"]


def test_simulation_and_variation_sections():
    text = SHOP + ("simulation:\n  give_up: 0.1\n  max_turns: 12\n  path_weights: {'FindFruit > BuyFruit': 2}\n"
                   "variation:\n  enabled: false\n  typos: 0.5\n")
    s = load_scenario_text(text)
    assert s.simulation == SimulationConfig(give_up=0.1, max_turns=12, path_weights={"FindFruit > BuyFruit": 2})
    assert s.variation == VariationConfig(enabled=False, typos=0.5)
    assert load_scenario_text(SHOP).simulation == SimulationConfig()


def test_anchors_and_merge_keys():
    text = variant("  Count:\n    values: [\"1\", \"2\", \"3\"]\n",
                   "  Count: &counted\n    values: [\"1\", \"2\", \"3\"]\n  Amount:\n    <<: *counted\n")
    assert load_scenario_text(text).types["Amount"].values == ("1", "2", "3")


# -- files ------------------------------------------------------------------------------

def test_load_scenario_reads_a_file_and_hashes_its_bytes(write_scenario):
    path = write_scenario(SHOP, "shop.yaml")
    s = load_scenario(path)
    assert s.path == str(path)
    assert s.source_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert s == load_scenario_text(SHOP)


def test_errors_name_the_path_as_given(write_scenario, monkeypatch):
    path = write_scenario(variant("      fruit: Fruit\n", "      fruit: Fruit\n      seats: Seat\n"), "shop.yaml")
    monkeypatch.chdir(path.parent)
    with pytest.raises(ScenarioError) as info:
        load_scenario("shop.yaml")
    line = line_of(path.read_text(), "seats: Seat")
    assert str(info.value) == f"shop.yaml:{line}: apis.FindFruit.args.seats: unknown type 'Seat'"
    assert isinstance(info.value, ValueError)


def test_missing_file(tmp_path):
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "nope.yaml")
    assert info.value.line is None and info.value.message == "no such file"
    assert str(info.value) == f"{tmp_path / 'nope.yaml'}: no such file"


def test_not_utf8(write_scenario):
    path = write_scenario("name: shop\n")
    path.write_bytes(b"name: shop\ndescription: caf\xe9\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert (info.value.line, info.value.message) == (2, "not UTF-8 text")


def test_text_with_a_lone_surrogate():
    err = error_of("name: shop\ndescription: caf\udce9\n")  # as surrogateescape decodes b"caf\xe9"
    assert (err.line, err.message) == (2, "not UTF-8 text")


def test_flights_loads_fast(flights):
    times = []
    for _ in range(5):
        start = time.perf_counter()
        load_scenario(FLIGHTS)
        times.append(time.perf_counter() - start)
    assert statistics.median(times) < 0.1


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_every_example_scenario_loads(path):
    s = load_scenario(path)
    assert s.apis and s.samples and s.responses
    for sample in s.samples:
        for turn in sample.turns:
            for span in turn.spans:
                assert span.value in s.types[span.type].values or s.types[span.type].faker is not None


def test_flights_reference_example(flights):
    two = flights.samples[0].turns[6]
    assert (two.text, two.spans[0].value) == ("for two", "2")
    assert flights.samples[1].turns[0].spans[1].value == "New York"
    assert "Los Angeles" in flights.types["City"].values
    assert flights.responses["request_flight"].texts == ("Which flight would you like?", "Which one would you like?")
    assert flights.responses["inform_SearchFlight_departure_time"].texts[0] == (
        "The departure time is {flights.departure_time}.")
    assert not flights.responses["request_origin"].generated and flights.responses["goodbye"].generated


@settings(max_examples=60, deadline=None)
@given(scenario_texts())
def test_generated_scenarios_load(text):
    s = load_scenario_text(text)
    assert list(s.apis) == [f"Api{j}" for j in range(len(s.apis))]
    assert s.samples[0].api_path == tuple(s.apis)
    for turn in s.samples[0].turns:
        for span in turn.spans:
            assert turn.text[span.start:span.end] == span.value
    for name in s.apis:
        assert f"inform_{name}" in s.responses and f"failure_{name}" in s.responses


# -- errors: (old text, new text, field, the line's needle, words of the message) ------

CASES = {
    # structure
    "top level not a mapping": (SHOP, "- just\n- a list\n", "", "- just", "expected a mapping"),
    "unknown top-level key": ("description:", "descrption:", "descrption", "descrption:",
                              "did you mean 'description'?"),
    "unknown api key": ("    confirm: true\n", "    confrim: true\n", "apis.BuyFruit.confrim", "confrim:",
                        "unknown key 'confrim'"),
    "unknown arg key": ("ask: true}", "asks: true}", "apis.BuyFruit.args.count.asks", "asks: true",
                        "unknown key 'asks'"),
    "unknown type key": ("    faker_args:", "    faker_arg:", "types.Code.faker_arg", "faker_arg:",
                         "did you mean 'faker_args'?"),
    "unknown turn key": ("        acts: [affirm]\n", "        act: [affirm]\n", "samples[0].turns[4].act",
                         "act: [affirm]", "did you mean 'acts'?"),
    "duplicate key": ("  BuyFruit:\n", "  FindFruit:\n    args: {fruit: Fruit}\n  BuyFruit:\n",
                      "apis.FindFruit", ("  FindFruit:", 1), "duplicate key 'FindFruit' (first on line 19)"),
    "list where a mapping belongs": ("    faker: bothify\n    faker_args: {text: \"##??\"}\n", "    - bothify\n", "types.Code",
                                     "- bothify", "expected a mapping"),
    # names
    "bad scenario name": ("name: shop", "name: Shop", "name", "name: Shop", "not a valid scenario name"),
    "bad type name": ("  Count:\n", "  Count:\n    values: [x]\n  bad_type:\n", "types.bad_type", "bad_type:",
                      "'bad_type' is not a valid type name"),
    "bad argument name": ("      fruit: Fruit\n", "      fruit: Fruit\n      Colour: Fruit\n",
                          "apis.FindFruit.args.Colour", "Colour: Fruit", "not a valid argument name"),
    "bad response name": ("  request_fruit:", "  Request_fruit:", "responses.Request_fruit", "Request_fruit:",
                          "not a valid response name"),
    # types
    "unknown arg type": ("      fruit: Fruit\n", "      fruit: Fruti\n", "apis.FindFruit.args.fruit", "fruit: Fruti",
                         "unknown type 'Fruti'; did you mean 'Fruit'?"),
    "unknown field type": ("price: Count}", "price: Cost}", "types.Offer.fields.price", "price: Cost",
                           "unknown type 'Cost'"),
    "unknown returns type": ("type: Receipt}", "type: Reciept}", "apis.BuyFruit.returns.type", "Reciept",
                             "unknown type 'Reciept'"),
    "unknown response arg type": ("    text: Which fruit?\n", "    args: {fruit: Fruits}\n    text: Which fruit?\n",
                                  "responses.request_fruit.args.fruit", "Fruits}", "unknown type 'Fruits'"),
    "type with nothing": ("  Count:\n", "  Empty: {}\n  Count:\n", "types.Empty", "Empty: {}",
                          "type 'Empty' has no values, faker or fields"),
    "type with empty values": ('values: ["1", "2", "3"]', "values: []", "types.Count", "  Count:",
                               "no values, faker or fields"),
    "catalogue and entity at once": ("    fields: {code: Code}\n", "    fields: {code: Code}\n    values: [x]\n",
                                     "types.Receipt", "Receipt:", "not both"),
    "entity containing itself": ("price: Count}", "price: Offer}", "types.Offer.fields.price", "price: Offer",
                                 "cannot contain itself"),
    "say naming no field": ("    fields: {code: Code}\n", "    fields: {code: Code}\n    say: code {cod}\n",
                            "types.Receipt.say", "say: code", "placeholder {cod} names no field of Receipt; did you mean 'code'?"),
    "unknown faker provider": ("faker: bothify", "faker: bothifyy", "types.Code.faker", "bothifyy",
                               "unknown Faker provider 'bothifyy'"),
    "faker args the provider rejects": ('{text: "##??"}', '{txt: "##??"}', "types.Code.faker_args", "txt:",
                                        "Faker provider 'bothify' fails with these arguments"),
    "ambiguous synonym": ("      plum: [plums]\n", "      plum: [plums, apples]\n", "types.Fruit.synonyms.plum[1]",
                          "plum: [plums", "synonym 'apples' already means 'apple'"),
    # arguments
    "optional without default": ('count: {type: Count, optional: true, default: "1", ask: true}',
                                 "count: {type: Count, optional: true, ask: true}", "apis.BuyFruit.args.count",
                                 "count: {", "optional argument needs a default"),
    "default without optional": ("      fruit: Fruit\n", "      fruit: {type: Fruit, default: apple}\n",
                                 "apis.FindFruit.args.fruit.default", "fruit: {type", "add optional: true"),
    "ask on a required argument": ("      fruit: Fruit\n", "      fruit: {type: Fruit, ask: true}\n",
                                   "apis.FindFruit.args.fruit.ask", "fruit: {type", "for optional arguments"),
    "flag that is not a bool": ("    confirm: true\n", "    confirm: often\n", "apis.BuyFruit.confirm",
                                "confirm: often", "expected true or false, got 'often'"),
    "from an unknown API": ("      offer: Offer\n", "      offer: {type: Offer, from: FindFruits}\n",
                            "apis.BuyFruit.args.offer.from", "from: FindFruits",
                            "unknown API 'FindFruits'; did you mean 'FindFruit'?"),
    "from an API of another output type": (
        "  BuyFruit:\n    args:\n      offer: Offer\n",
        "  Ping:\n    returns: {name: code, type: Code}\n  BuyFruit:\n    args:\n      offer: {type: Offer, from: Ping}\n",
        "apis.BuyFruit.args.offer.from", "from: Ping", "Ping returns Code, not Offer"),
    "from an API that returns nothing": (
        "  BuyFruit:\n    args:\n      offer: Offer\n",
        "  Ping:\n    description: ping\n  BuyFruit:\n    args:\n      offer: {type: Offer, from: Ping}\n",
        "apis.BuyFruit.args.offer.from", "from: Ping", "argument with no possible source: Ping returns nothing"),
    "entity argument no API returns": ("    returns: {name: offers, type: Offer, many: true}\n", "",
                                       "apis.BuyFruit.args.offer", "offer: Offer",
                                       "argument with no possible source: no other API returns Offer"),
    "one slot, two types": ("      count: {type", "      fruit: Count\n      count: {type",
                            "apis.BuyFruit.args.fruit", "fruit: Count", "slot 'fruit' is Count here but Fruit at "
                            "apis.FindFruit.args.fruit (line 21)"),
    "field and argument of different types": ("      fruit: Fruit\n", "      fruit: Fruit\n      price: Fruit\n",
                                              "types.Offer.fields.price", "price: Count}",
                                              "slot 'price' is Count here but Fruit"),
    "results of the wrong shape": ("    confirm: true\n", "    confirm: true\n    results: [{code: X1, colour: red}]\n",
                                   "apis.BuyFruit.results[0].colour", "results:", "unknown key 'colour'"),
    # responses
    "response placeholder naming no argument": ("text: Which fruit?", "text: Which {fruits}?",
                                                "responses.request_fruit.text", "Which {fruits}",
                                                "placeholder {fruits} names no declared argument"),
    "response placeholder naming no field": (
        "  request_fruit:\n", "  inform_FindFruit:\n    text: [\"Found {offers.colour}\"]\n  request_fruit:\n",
        "responses.inform_FindFruit.text[0]", "Found {offers", "placeholder {offers.colour}: Offer has no field 'colour'"),
    "response placeholder the system does not give": (
        "    text: Which fruit?\n", "    args: {fruit: Fruit}\n    text: Which {fruit}?\n",
        "responses.request_fruit.text", "Which {fruit}", "placeholder {fruit}: the system says this response "
        "without arguments"),
    "inform placeholder naming no output": (
        "  request_fruit:\n", "  inform_FindFruit:\n    args: {offer: Offer}\n    text: Found {offer}.\n"
        "  request_fruit:\n", "responses.inform_FindFruit.text", "Found {offer}",
        "the system says this response with offers (Offer), not offer (Offer)"),
    "unbalanced brace": ("text: Which fruit?", "text: Which {fruit?", "responses.request_fruit.text", "Which {fruit",
                         "unbalanced brace"),
    "unknown response act": ("    text: Which fruit?\n", "    act: requets\n    text: Which fruit?\n",
                             "responses.request_fruit.act", "act: requets", "unknown act 'requets'; did you mean 'request'?"),
    "act contradicting the name": ("    text: Which fruit?\n", "    act: inform\n    text: Which fruit?\n",
                                   "responses.request_fruit.act", "act: inform",
                                   "the name 'request_fruit' says act 'request', not 'inform'"),
    "custom response without act": ("  request_fruit:\n", "  hello:\n    text: Hi!\n  request_fruit:\n",
                                    "responses.hello", "hello:", "response 'hello' needs an act"),
    "table name with a typo": ("  request_fruit:\n", "  request_colour:\n    text: Colour?\n  request_fruit:\n",
                               "responses.request_colour", "request_colour:",
                               "response 'request_colour': no API argument 'colour' (request_<arg> names an argument); "
                               "a response of your own needs an act:"),
    "response without text": ("    text: Which fruit?\n", "    act: request\n", "responses.request_fruit.text",
                              "request_fruit:", "missing required key 'text'"),
    # utterances
    "utterance key that is nothing": ("  inform:\n", "  infrom:\n", "utterances.infrom", "infrom:",
                                      "unknown utterance key 'infrom' (expected an API name"),
    "dont_care of no argument": ("  inform:\n", "  dont_care_colour: [any]\n  inform:\n",
                                 "utterances.dont_care_colour", "dont_care_colour", "no API argument 'colour'"),
    "request of no result field": ("  inform:\n", "  request_colour: [what colour]\n  inform:\n",
                                   "utterances.request_colour", "request_colour", "no result field 'colour'"),
    "utterance placeholder naming no slot": ("- find {fruit}", "- find {fruits}", "utterances.FindFruit[0]",
                                             "find {fruits}", "placeholder {fruits} names no slot"),
    "utterance placeholder naming an entity": ("- find {fruit}", "- find {offer}", "utterances.FindFruit[0]",
                                               "find {offer}", "placeholder {offer} names no slot"),
    "ordinal outside select": ("- find {fruit}", "- find the {ordinal}", "utterances.FindFruit[0]",
                               "find the {ordinal}", "placeholder {ordinal} names no slot"),
    # samples
    "system turn first": ("      - user: find [apples](fruit)\n        acts: [invoke FindFruit]\n", "",
                          "samples[0].turns[0].system", "- system: [FindFruit",
                          "system turn out of order: a sample starts with a user turn"),
    "two user turns in a row": ("      - system: [confirm_BuyFruit]\n", "", "samples[0].turns[3].user",
                                ("- user: yes", 1), "user turn out of order: turns alternate, so this is a system turn"),
    "unclosed annotation": ("find [apples](fruit)", "find [apples(fruit)", "samples[0].turns[0].user",
                            "find [apples(", "annotation syntax error near 'find [apples(fruit)': write [surface](slot)"),
    "annotated slot unknown": ("find [apples](fruit)", "find [apples](fruits)", "samples[0].turns[0].user",
                               "find [apples]", "'fruits' is not a slot the customer can say"),
    "annotated surface not in the catalogue": ("find [apples](fruit)", "find [bananas](fruit)",
                                               "samples[0].turns[0].user", "find [bananas]",
                                               "'bananas' is no value or synonym of Fruit"),
    "unknown act word": ("[invoke FindFruit]", "[invok FindFruit]", "samples[0].turns[0].acts[0]", "invok",
                         "unknown act 'invok'; did you mean 'invoke'?"),
    "invoke of an unknown API": ("[invoke FindFruit]", "[invoke FindFruits]", "samples[0].turns[0].acts[0]",
                                 "invoke FindFruits", "invoke of unknown API 'FindFruits'"),
    "select without a number": ("select 0]", "select first]", "samples[0].turns[2].acts[1]", "select first",
                                "select takes a 0-based item number"),
    "request of no field": ("[affirm, select 0]", "[affirm, request colour]", "samples[0].turns[2].acts[1]",
                            "request colour", "request of 'colour', which is no field"),
    "bare act with an argument": ("[affirm, select 0]", "[affirm it, select 0]", "samples[0].turns[2].acts[0]",
                                  "affirm it", "'affirm' takes nothing after it"),
    "explicit inform": ("[affirm, select 0]", "[inform fruit]", "samples[0].turns[2].acts[0]", "inform fruit",
                        "inform comes from annotations"),
    "system action naming nothing": ("inform_FindFruit, offer", "inform_FindFruits, offer",
                                     "samples[0].turns[1].system[1]", "inform_FindFruits",
                                     "unknown action 'inform_FindFruits': neither an API nor a response"),
    "user turn with no act": ("      - user: yes\n        acts: [affirm]\n", "      - user: yes\n",
                              "samples[0].turns[4].user", ("- user: yes", 1), "must express at least one act"),
    # simulation / variation
    "simulation probability out of range": ("samples:\n", "simulation:\n  give_up: 1.5\nsamples:\n",
                                            "simulation.give_up", "give_up: 1.5",
                                            "must be a probability between 0 and 1, got 1.5"),
    "simulation unknown field": ("samples:\n", "simulation:\n  giveup: 0.5\nsamples:\n", "simulation.giveup",
                                 "giveup:", "did you mean 'give_up'?"),
    "simulation max_turns of the wrong type": ("samples:\n", "simulation:\n  max_turns: 4.5\nsamples:\n",
                                               "simulation.max_turns", "max_turns", "must be int, got 4.5"),
    "path weight naming an unknown API": ("samples:\n", "simulation:\n  path_weights:\n    FindFruit > Buy: 2\n"
                                          "samples:\n", "simulation.path_weights.FindFruit > Buy", "FindFruit > Buy",
                                          "unknown API 'Buy' in path 'FindFruit > Buy'"),
    "variation probability out of range": ("samples:\n", "variation: {typos: -1}\nsamples:\n", "variation.typos",
                                           "variation:", "must be a probability between 0 and 1, got -1"),
    "variation flag that is not a bool": ("samples:\n", "variation: {enabled: maybe}\nsamples:\n",
                                          "variation.enabled", "variation:", "expected true or false"),
}


@pytest.mark.parametrize("old, new, field, needle, words", CASES.values(), ids=CASES.keys())
def test_error_names_field_line_and_problem(old, new, field, needle, words):
    text = new if old is SHOP else variant(old, new)
    err = error_of(text)
    needle, nth = needle if isinstance(needle, tuple) else (needle, 0)
    assert (err.field, err.line) == (field, line_of(text, needle, nth)), str(err)
    assert words in err.message, str(err)
    assert err.path == "shop.yaml"


def test_missing_required_key_at_top_level():
    text = SHOP[:SHOP.index("samples:")]
    err = error_of(text)
    assert (err.field, err.line, err.message) == ("samples", 1, "missing required key 'samples'")


def test_missing_required_key_inside_a_mapping():
    text = variant("{name: receipt, type: Receipt}", "{name: receipt}")
    err = error_of(text)
    assert (err.field, err.line) == ("apis.BuyFruit.returns.type", line_of(text, "{name: receipt}"))
    assert err.message == "missing required key 'type'"


def test_malformed_yaml_reports_the_parser_line():
    err = error_of("name: shop\ntypes: {City: [a, b}\napis: {}\n")
    assert (err.field, err.line) == ("", 2)
    assert err.message.startswith("malformed YAML: ")
    assert str(err).startswith("shop.yaml:2: malformed YAML")


def test_malformed_yaml_bad_indentation():
    err = error_of(variant("    returns: {name: offers", "   returns: {name: offers"))
    assert err.field == "" and err.line is not None and "malformed YAML" in err.message


def test_empty_file_and_control_characters():
    assert "empty" in error_of("").message
    err = error_of("name: shop\ndescription: a\x07b\n")
    assert (err.line, err.field) == (2, "") and "#x0007" in err.message


@pytest.mark.parametrize("old, new, needle, words", [
    ('faker_args: {text: "##??"}', "faker_args: &args {text: x, more: *args}", "&args",
     "an alias refers to the anchor that contains it"),
    ("  Count:\n", "  Count: &count\n    <<: *count\n", "&count", "an alias refers to the anchor that contains it"),
    ('faker_args: {text: "##??"}', "faker_args: {text: x, more: " + "[" * 200 + "]" * 200 + "}", "more:",
     "nested more than 100 levels deep"),
])
def test_self_containing_or_absurdly_deep_yaml_is_an_error_not_a_crash(old, new, needle, words):
    text = variant(old, new)
    err = error_of(text)
    assert (err.field, err.line) == ("", line_of(text, needle))
    assert words in err.message


def test_an_alias_bomb_is_refused_before_it_expands():
    bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 12))
    err = error_of(bomb)  # 10**12 leaves if expanded; counted, never built
    assert "aliases and merge keys expand to" in err.message


def test_unknown_faker_provider_suggests_only_providers():
    err = error_of(variant("faker: bothify", "faker: seed_instance"))
    assert err.message.startswith("unknown Faker provider 'seed_instance'")
    assert "did you mean 'seed_instance'" not in err.message
    assert "did you mean 'bothify'" in error_of(variant("faker: bothify", "faker: bothfy")).message


def test_an_empty_list_of_texts_says_what_was_expected():
    text = variant("  inform:\n", "  thank: []\n  inform:\n")
    err = error_of(text)
    assert (err.field, err.line, err.message) == ("utterances.thank", line_of(text, "thank: []"),
                                                  "expected a phrasing, got an empty list")


def test_inform_field_responses_of_apis_whose_names_share_a_prefix():
    text = variant("  BuyFruit:\n", "  Find_x:\n    returns: {name: found, type: Tip}\n  BuyFruit:\n")
    text = variant("  Count:\n", "  Tip:\n    fields: {price: Count}\n  Count:\n", text)
    text = variant("  request_fruit:\n", "  inform_Find_x_price:\n    text: It is {found.price}.\n"
                   "  request_fruit:\n", text)
    text = text.replace("FindFruit", "Find")  # APIs Find and Find_x: inform_Find_x_price could be either
    s = load_scenario_text(text)
    response = s.responses["inform_Find_x_price"]
    assert (response.api, response.slot, dict(response.args)) == ("Find_x", "price", {"found": "Tip"})
    err = error_of(text.replace("inform_Find_x_price:", "inform_Find_x_colour:"))
    assert "the output of Find has no field 'x_colour'" in err.message


def test_too_many_samples():
    sample = SHOP[SHOP.index("  - name: buy"):]
    text = SHOP[:SHOP.index("  - name: buy")] + "".join(
        sample.replace("name: buy", f"name: buy {i}") for i in range(11))
    err = error_of(text)
    assert (err.field, err.line) == ("samples", line_of(text, "name: buy 10"))
    assert "too many sample dialogues (11); at most 10" in err.message


def test_no_samples():
    text = SHOP[:SHOP.index("samples:")] + "samples: []\n"
    err = error_of(text)
    assert (err.field, err.line) == ("samples", line_of(text, "samples: []"))
    assert "at least one sample dialogue" in err.message


def test_duplicate_sample_names():
    sample = SHOP[SHOP.index("  - name: buy"):]
    err = error_of(SHOP + sample)
    assert (err.field, err.line) == ("samples[1].name", line_of(SHOP + sample, "name: buy", 1))
    assert "duplicate sample name 'buy'" in err.message


def test_entity_types_containing_each_other():
    text = variant("    fields: {code: Code}\n", "    fields: {code: Code, offer: Offer}\n")
    text = variant("price: Count}", "price: Count, receipt: Receipt}", text)
    err = error_of(text)
    assert err.field == "types.Offer" and "entity types contain each other: Offer > Receipt > Offer" in err.message


def test_scenarios_and_errors_pickle_for_worker_processes(flights):
    assert pickle.loads(pickle.dumps(flights)) == flights and hash(flights) == hash(load_scenario(FLIGHTS))
    err = error_of(variant("faker: bothify", "faker: bothifyy"))
    again = pickle.loads(pickle.dumps(err))
    assert (again.path, again.line, again.field, again.message) == (err.path, err.line, err.field, err.message)


def test_frozen_mappings_hash_as_they_compare():
    from dialogsim._attrs import FrozenDict

    a, b = FrozenDict({"x": 1, "y": 2}), FrozenDict({"y": 2, "x": 1})
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1


def test_faker_is_not_imported_by_importing_dialogsim():
    import subprocess
    import sys

    code = "import sys, dialogsim.loader, dialogsim.coverage; print('faker' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_mock_results_and_an_api_with_an_empty_body():
    text = variant("    confirm: true\n", "    confirm: true\n    results:\n      - {code: AB12}\n      - code: 7\n"
                   "  Ping:\n")
    s = load_scenario_text(text)
    assert s.apis["BuyFruit"].results == ({"code": "AB12"}, {"code": "7"})
    assert s.apis["Ping"].args == () and s.apis["Ping"].returns is None and s.apis["Ping"].line == line_of(text, "Ping:")
    err = error_of(variant("    confirm: true\n", "    confirm: true\n    results: [{}]\n"))
    assert (err.field, err.message) == ("apis.BuyFruit.results[0].code", "missing required key 'code'")
