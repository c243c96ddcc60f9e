"""import-sgd: every mapping rule on a hand-written SGD service (tests/fixtures/sgd, a
made-up bakery, not SGD data), the result loading and generating unedited, and one-line
errors for malformed SGD files."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import dialogsim
from dialogsim.cli import main
from dialogsim.interop.sgd_format import SgdError
from dialogsim.interop.sgd_schema import import_sgd
from dialogsim.loader import load_scenario_text

FIXTURES = Path(__file__).parent / "fixtures" / "sgd"
SCHEMA = FIXTURES / "schema.json"
DIALOGUES = FIXTURES / "dialogues_001.json"


@pytest.fixture(scope="module")
def imported():
    return import_sgd(SCHEMA, "Bakery_1", [DIALOGUES])


@pytest.fixture(scope="module")
def doc(imported):
    return yaml.safe_load(imported.text)


@pytest.fixture(scope="module")
def scenario(imported):
    return load_scenario_text(imported.text, "bakery.yaml")


def test_result_loads_and_generates_unedited(scenario, tmp_path):
    assert dialogsim.generate(scenario, 20, tmp_path / "corpus", seed=3).n == 20  # samples replayed first
    dialogues = list(dialogsim.read_corpus(tmp_path / "corpus"))
    assert {api for d in dialogues for api in d.goal.apis} <= {"FindCakes", "OrderCake"}


def _naming_the_cake(dialogue: dict, dialogue_id: str) -> dict:
    """B_001 with the customer naming the cake it picks, so the order has its cake_name
    from the customer (B_001 takes it from the search's offer, which the scenario's
    system policy cannot: the replay refuses that sample)."""
    out = copy.deepcopy(dialogue)
    out["dialogue_id"] = dialogue_id
    text = "Great, I'll take the Lemon Drizzle."
    start = text.index("Lemon Drizzle")
    out["turns"][4]["utterance"] = text
    out["turns"][4]["frames"][0]["actions"] = [{"act": "INFORM", "slot": "cake_name", "values": ["Lemon Drizzle"],
                                                 "canonical_values": ["Lemon Drizzle"]}]
    out["turns"][4]["frames"][0]["slots"] = [{"slot": "cake_name", "start": start, "exclusive_end": start + 13}]
    return out


def test_schema_alone_loads_and_generates():
    imported = import_sgd(SCHEMA, "Bakery_1")
    scenario = load_scenario_text(imported.text)
    assert len(list(dialogsim.simulate(scenario, 5))) == 5
    assert any("no dialogue maps completely" in w for w in imported.warnings)
    # non-categorical slots with no values anywhere get a Faker catalogue, with a warning
    assert any("'bakery_phone' has no values" in w for w in imported.warnings)
    assert "faker" in yaml.safe_load(imported.text)["types"]["BakeryPhone"]


def test_intents_become_apis_and_transactional_ones_are_confirmed(scenario):
    assert set(scenario.apis) == {"FindCakes", "OrderCake"}
    assert scenario.apis["OrderCake"].confirm and not scenario.apis["FindCakes"].confirm


def test_required_and_optional_slots_become_arguments_with_sgd_defaults(scenario):
    find = scenario.apis["FindCakes"]
    assert [a.name for a in find.required] == ["city", "flavour"]
    assert find.arg("is_vegan").optional and find.arg("is_vegan").default == "dontcare"
    assert scenario.apis["OrderCake"].arg("servings").default == "8"


def test_result_slots_become_the_output_entity(scenario):
    out = scenario.apis["FindCakes"].returns
    assert out.name == "find_cakes" and not out.many
    assert list(scenario.types[out.type].fields) == ["cake_name", "city", "flavour", "is_vegan", "price",
                                                     "bakery_phone"]


def test_categorical_slots_take_possible_values_only(scenario):
    assert scenario.types["Flavour"].values == ("chocolate", "vanilla", "lemon")
    assert scenario.types["Servings"].values == ("4", "8", "12")


def test_non_categorical_catalogues_come_from_the_dialogues(scenario):
    cakes = scenario.types["CakeName"]
    assert set(cakes.values) == {"Lemon Drizzle", "Sunny Sponge", "Cloud Nine"}  # results count too
    assert scenario.types["City"].values[0] == "Springfield"  # the schema's sample value first
    # a spoken form that differs from the canonical value is its synonym
    assert scenario.types["PickupDate"].synonyms["2024-05-03"] == ("Friday",)


def test_user_phrasings_are_delexicalised_per_act(doc):
    phrasings = doc["utterances"]
    assert "I'd like a {flavour} cake in {city}." in phrasings["FindCakes"]
    assert "How much is it?" in phrasings["request_price"]
    assert "In {city}, vegan or not doesn't matter." in phrasings["dont_care_is_vegan"]
    assert "Great, I'll take that one." in phrasings["affirm"]  # SELECT of the one result offered
    # a turn that also speaks to another service (the florist) is not harvested
    assert not any("roses" in text for texts in phrasings.values() for text in texts)


@pytest.mark.parametrize("response, text", [
    ("request_city", "Which city?"),  # REQUEST
    ("confirm_OrderCake", "Please confirm: {cake_name} for {servings} people, collected {pickup_date}."),  # CONFIRM
    ("inform_FindCakes", "How about {find_cakes.cake_name} in {find_cakes.city}?"),  # OFFER + INFORM_COUNT
    ("inform_FindCakes_price", "It costs {find_cakes.price}."),  # INFORM
    ("offer_OrderCake", "Do you want to order it?"),  # OFFER_INTENT
    ("inform_OrderCake", "Your cake is ordered."),  # NOTIFY_SUCCESS
    ("failure_OrderCake", "Sorry, the order did not go through."),  # NOTIFY_FAILURE
    ("reqmore", "Anything else?"),  # REQ_MORE
    ("goodbye", "Bye!"),  # GOODBYE
])
def test_system_acts_become_response_texts(scenario, response, text):
    template = scenario.responses[response]
    assert text in template.texts and not template.generated


def test_samples_are_single_service_dialogues_that_map_completely(tmp_path):
    dialogues = json.loads(DIALOGUES.read_text())
    path = tmp_path / "dialogues_001.json"
    path.write_text(json.dumps([*dialogues, _naming_the_cake(dialogues[0], "B_004")]))
    imported = import_sgd(SCHEMA, "Bakery_1", [path])
    scenario = load_scenario_text(imported.text)
    # B_002 asks for alternatives (REQUEST_ALTS: no dialogsim act), B_003 also talks to the
    # florist; B_001 orders the cake the search offered without naming it, which cake_name's
    # from: [customer, FindCakes.cake_name] allows, so the replay keeps it whole
    assert [s.name for s in scenario.samples] == ["B_001", "B_004"]
    assert len(scenario.samples[0].turns) == 14 and len(scenario.samples[1].turns) == 14
    assert not any("sample cut" in w for w in imported.warnings)
    sample = scenario.samples[1]
    assert sample.api_path == ("FindCakes", "OrderCake")
    first = sample.turns[0]
    assert first.text == "I'd like a lemon cake in Springfield."
    assert [(s.slot, s.value) for s in first.spans] == [("flavour", "lemon"), ("city", "Springfield")]
    assert any("REQUEST_ALTS" in w for w in imported.warnings)


def test_a_sample_refused_at_its_first_turn_gives_way_to_the_next(tmp_path):
    first = _naming_the_cake(json.loads(DIALOGUES.read_text())[0], "B_0")
    unsaid = copy.deepcopy(first)  # the search takes a flavour the customer never said
    unsaid["dialogue_id"] = "B_1"
    unsaid["turns"][0]["utterance"] = "I'd like a cake in Springfield."
    frame = unsaid["turns"][0]["frames"][0]
    frame["actions"] = [a for a in frame["actions"] if a["slot"] != "flavour"]
    frame["slots"] = [{"slot": "city", "start": 19, "exclusive_end": 30}]
    path = tmp_path / "dialogues_001.json"
    path.write_text(json.dumps([unsaid, first]))
    imported = import_sgd(SCHEMA, "Bakery_1", [path])
    assert [s.name for s in load_scenario_text(imported.text).samples] == ["B_0"]
    assert any(w.startswith("not mapped: sample dropped: calls FindCakes before its required argument 'flavour'")
               for w in imported.warnings)


def test_samples_option_limits_the_samples(tmp_path):
    first = json.loads(DIALOGUES.read_text())[0]
    again = [_naming_the_cake(first, f"B_{i}") for i in range(4)]
    path = tmp_path / "dialogues_001.json"
    path.write_text(json.dumps(again))
    scenario = load_scenario_text(import_sgd(SCHEMA, "Bakery_1", [path], samples=2).text)
    assert [s.name for s in scenario.samples] == ["B_0", "B_1"]


def test_same_input_gives_the_same_file(imported):
    assert import_sgd(SCHEMA, "Bakery_1", [DIALOGUES]).text == imported.text


def test_optional_slot_the_system_asks_for_is_asked(tmp_path):
    dialogues = json.loads(DIALOGUES.read_text())
    turn = dialogues[1]["turns"][1]  # "Which city?": make it a question about servings
    turn["frames"][0]["actions"][0]["slot"] = "servings"
    path = tmp_path / "dialogues_001.json"
    path.write_text(json.dumps(dialogues))
    scenario = load_scenario_text(import_sgd(SCHEMA, "Bakery_1", [path]).text)
    assert scenario.apis["OrderCake"].arg("servings").ask


# -- errors ------------------------------------------------------------------------------

def _broken(tmp_path, source: Path, change) -> Path:
    raw = json.loads(source.read_text())
    change(raw)
    path = tmp_path / source.name
    path.write_text(json.dumps(raw))
    return path


@pytest.mark.parametrize("change, field, message", [
    (lambda s: s[0]["intents"][1]["required_slots"].append("colour"), "[0].intents[1].required_slots[2]",
     "unknown slot 'colour'"),
    (lambda s: s[0]["slots"][0].pop("is_categorical"), "[0].slots[0]", "missing field 'is_categorical'"),
    (lambda s: s[0].update(intents="none"), "[0].intents", "expected an array, got a string"),
    (lambda s: s[0]["intents"][0]["optional_slots"].update(is_vegan=1), "[0].intents[0].optional_slots.is_vegan",
     "expected a default value string"),
])
def test_malformed_schema_is_one_located_error(tmp_path, change, field, message):
    path = _broken(tmp_path, SCHEMA, change)
    with pytest.raises(SgdError) as info:
        import_sgd(path, "Bakery_1")
    assert info.value.field == field and message in info.value.message
    assert str(info.value).startswith(f"{path}: {field}: ")


@pytest.mark.parametrize("change, field, message", [
    (lambda d: d[0]["turns"][0]["frames"][0]["slots"][0].update(exclusive_end=400),
     "[0].turns[0].frames[0].slots[0]", "beyond the utterance"),
    (lambda d: d[0]["turns"][1].update(speaker="USER"), "[0].turns[1].speaker", "this one is SYSTEM"),
    (lambda d: d[1]["turns"][0]["frames"][0]["actions"][0].update(act="WISH"),
     "[1].turns[0].frames[0].actions[0].act", "unknown USER act 'WISH'"),
    (lambda d: d[0].pop("turns"), "[0]", "missing field 'turns'"),
])
def test_malformed_dialogues_are_one_located_error(tmp_path, change, field, message):
    path = _broken(tmp_path, DIALOGUES, change)
    with pytest.raises(SgdError) as info:
        import_sgd(SCHEMA, "Bakery_1", [path])
    assert info.value.field == field and message in info.value.message


def test_invalid_json_names_the_line(tmp_path):
    path = tmp_path / "schema.json"
    path.write_text('[\n {"service_name": "x",\n }\n]')
    with pytest.raises(SgdError) as info:
        import_sgd(path, "x")
    assert info.value.line == 3 and "invalid JSON" in info.value.message


# -- command line ------------------------------------------------------------------------

def test_cli_writes_the_scenario_and_lists_warnings(tmp_path):
    out = tmp_path / "bakery.yaml"
    result = CliRunner().invoke(main, ["import-sgd", str(SCHEMA), "Bakery_1", "--dialogues", str(FIXTURES),
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "warning: Bakery_1: not mapped: user act REQUEST_ALTS" in result.stderr
    assert dialogsim.load_scenario(out).name == "bakery_1"


def test_cli_refuses_to_overwrite_without_force(tmp_path):
    out = tmp_path / "bakery.yaml"
    out.write_text("mine")
    args = ["import-sgd", str(SCHEMA), "Bakery_1", "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and result.stderr.startswith("error: ") and "--force" in result.stderr
    assert out.read_text() == "mine"
    assert CliRunner().invoke(main, [*args, "--force"]).exit_code == 0
    assert out.read_text() != "mine"


@pytest.mark.parametrize("args, message", [
    (["Nope"], "no service 'Nope' (services: Bakery_1, Florist_1)"),
    (["Bakery_1", "--dialogues", "missing.json"], "missing.json: no such file"),
])
def test_cli_errors_are_one_line_with_status_2(tmp_path, args, message):
    result = CliRunner().invoke(main, ["import-sgd", str(SCHEMA), *args, "-o", str(tmp_path / "x.yaml")])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert not (tmp_path / "x.yaml").exists()


def test_value_dialogues_add_catalogue_values_only(tmp_path):
    dialogues = json.loads(DIALOGUES.read_text())
    other = copy.deepcopy(dialogues[:1])
    other[0]["services"] = ["Patisserie_1"]
    for turn in other[0]["turns"]:
        turn["frames"][0]["service"] = "Patisserie_1"
        turn["utterance"] = turn["utterance"].replace("Springfield", "Ogdenville")
        for action in turn["frames"][0]["actions"]:
            action["values"] = [v.replace("Springfield", "Ogdenville") for v in action["values"]]
            action["canonical_values"] = [v.replace("Springfield", "Ogdenville") for v in action["canonical_values"]]
    path = tmp_path / "dialogues_001.json"
    path.write_text(json.dumps(other))
    imported = import_sgd(SCHEMA, "Bakery_1", value_dialogues=[path], value_services=["Patisserie_1"])
    doc = yaml.safe_load(imported.text)
    assert "Ogdenville" in doc["types"]["City"]["values"]
    assert "utterances" not in doc  # nothing but values comes from them


def _saying_vegan(dialogue: dict) -> tuple[dict, dict]:
    """B_002 with the words "vegan" where no act carries is_vegan (the customer's request, the
    system's question for the city, its offer: SGD texts do this, "It has outdoor seating."
    after an OFFER of the name alone); and B_002 asking about is_vegan instead of the city."""

    def say(turn: dict, text: str) -> None:
        turn["utterance"] = text
        frame = turn["frames"][0]
        for span in frame["slots"]:
            value = next(a["values"][0] for a in frame["actions"] if a["slot"] == span["slot"])
            span["start"] = text.index(value)
            span["exclusive_end"] = span["start"] + len(value)

    states, asks = copy.deepcopy(dialogue), copy.deepcopy(dialogue)
    states["dialogue_id"], asks["dialogue_id"] = "B_vegan", "B_asks"
    say(states["turns"][0], "Find me a vegan vanilla cake please.")
    say(states["turns"][1], "Which city should the vegan cake come from?")
    say(states["turns"][3], "Cloud Nine is a vegan vanilla cake in Shelbyville.")
    say(asks["turns"][1], "Should it be vegan?")
    asks["turns"][1]["frames"][0]["actions"][0]["slot"] = "is_vegan"
    return states, asks


def test_texts_that_state_a_yes_no_value_in_words_are_not_harvested(tmp_path):
    dialogues = json.loads(DIALOGUES.read_text())
    path = tmp_path / "dialogues_001.json"
    path.write_text(json.dumps([*dialogues, *_saying_vegan(dialogues[1])]))
    imported = import_sgd(SCHEMA, "Bakery_1", [path])
    doc = yaml.safe_load(imported.text)
    texts = [t for name, spec in doc["responses"].items() if name != "request_is_vegan" for t in spec["text"]]
    phrasings = [t for key, said in doc["utterances"].items() if key != "dont_care_is_vegan" for t in said]
    # "a vegan cake" of the one cake that was, said of every cake the scenario offers: not harvested
    assert not any("vegan" in t for t in texts + phrasings), imported.text
    assert "Find me a {flavour} cake please." in doc["utterances"]["FindCakes"]  # the same turns without it are
    # asking about is_vegan, or not caring about it, states no value
    assert doc["responses"]["request_is_vegan"]["text"] == ["Should it be vegan?"]
    assert "In {city}, vegan or not doesn't matter." in doc["utterances"]["dont_care_is_vegan"]
    assert sum(int(w.rsplit(": ", 1)[1]) for w in imported.warnings if "yes/no value (is_vegan)" in w) == 3
    load_scenario_text(imported.text)
