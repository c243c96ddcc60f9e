"""Boolean slots and slots labelled without a span, end to end: the scenario format (the
built-in ``Boolean``, ``say:``, ``span: false``), generation (asked, volunteered, answered
yes/no, filtered on, rendered in words), the corpus contract (``UserAct.value``, ``ActRef``)
in the reader and the label check, the exports and SGD import / conversion. The test
scenario is tests/fixtures/booleans.yaml."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
import yaml

import dialogsim
from dialogsim import booleans
from dialogsim.backend import MockBackend
from dialogsim.catalogue import Catalogue
from dialogsim.config import VariationConfig
from dialogsim.corpus import iter_records, read_corpus
from dialogsim.dialogue import ActRef, Arg, Dialogue, SpanRef, UserAct
from dialogsim.errors import CorpusError, ScenarioError
from dialogsim.interop.export import export_corpus
from dialogsim.interop.sgd_dialogues import convert_sgd
from dialogsim.interop.sgd_schema import import_sgd
from dialogsim.invariants import check_dialogue
from dialogsim.loader import load_scenario, load_scenario_text
from dialogsim.paraphrase.realiser import Realiser
from dialogsim.simulation import Simulator

FIXTURES = Path(__file__).parent / "fixtures"
DINER = FIXTURES / "booleans.yaml"
SGD = FIXTURES / "sgd_booleans"
N = 80
_TRUE_FALSE = re.compile(r"\b(?:true|false)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def diner():
    return load_scenario(DINER)


@pytest.fixture(scope="module")
def simulator(diner):
    return Simulator(diner)


@pytest.fixture(scope="module")
def dialogues(simulator):
    return [simulator.dialogue(3, i) for i in range(N)]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, diner):
    out = tmp_path_factory.mktemp("diner") / "corpus"
    dialogsim.generate(diner, N, out, seed=3)
    return out


def _user_acts(dialogues):
    for d in dialogues:
        for t, turn in enumerate(d.turns):
            if turn.speaker == "user":
                for i, act in enumerate(turn.acts):
                    yield d, t, turn, i, act


# -- the scenario format -----------------------------------------------------------------

def test_boolean_is_built_in_and_spanless(diner):
    boolean = diner.types["Boolean"]
    assert boolean.values == ("true", "false") and boolean.spanless and boolean.is_boolean
    assert diner.types["PriceRange"].spanless and not diner.types["City"].spanless
    assert diner.spanless == {"outdoor_seating", "quiet", "live_music", "price_range"}
    find = diner.apis["FindRestaurants"]
    assert find.arg("outdoor_seating").say == booleans.BooleanWords(feature="outdoor seating")
    assert find.arg("quiet").say == booleans.BooleanWords(true="quiet", false="lively")
    # a slot with no declared words speaks its name
    assert booleans.boolean_words(diner)["live_music"] == booleans.BooleanWords(feature="live music")


def test_a_scenario_without_booleans_gets_no_boolean_type(flights):
    assert "Boolean" not in flights.types and flights.spanless == frozenset()


def _line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize("old, new, needle, field, message", [
    ("  Code:\n", "  Boolean:\n    values: [yes, no]\n  Code:\n", "  Boolean:", "types.Boolean",
     "Boolean is a built-in type"),
    ("      city: City\n", "      city: {type: City, say: the city}\n", "type: City, say", "apis.FindRestaurants.args.city.say",
     "say is for Boolean arguments"),
    ("say: {true: quiet, false: lively}", "say: {true: quiet}", "say: {true: quiet}",
     "apis.FindRestaurants.args.quiet.say.false", "missing required key 'false'"),
    ("say: {true: quiet, false: lively}", "say: {true: quiet, false: quiet}", "false: quiet",
     "apis.FindRestaurants.args.quiet.say.false", "true and false are said alike"),
    ("say: outdoor seating}", "say: ' outdoor seating'}", "' outdoor seating'",
     "apis.FindRestaurants.args.outdoor_seating.say", "without spaces"),
    ("    say: \"{name}\"\n", "    say: \"{name}\"\n    span: false\n", "span: false\n    fields",
     "types.Restaurant.span", "span is for catalogue types"),
    ("    span: false\n", "    span: maybe\n", "span: maybe", "types.PriceRange.span", ""),
    ('"find me a [Thai](cuisine) place in [Boston](city)"',
     '"find me a [Thai](cuisine) place in [Boston](city) [outside](outdoor_seating)"', "[outside]",
     "samples[0].turns[0].user", "is a Boolean"),
])
def test_bad_declarations_are_one_line_errors_at_their_line(old, new, needle, field, message):
    text = DINER.read_text()
    assert old in text
    text = text.replace(old, new, 1)
    if needle == "span: false\n    fields":  # the entity's span line
        needle = "span: false"
        line = [i for i, row in enumerate(text.splitlines(), 1) if needle in row][-1]
    else:
        line = _line(text, needle)
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "diner.yaml")
    error = info.value
    assert (error.line, error.field) == (line, field), str(error)
    assert message in error.message and "\n" not in str(error)
    assert str(error).startswith(f"diner.yaml:{line}: {field}: ")


def test_validate_exits_2_on_a_bad_declaration(tmp_path):
    from click.testing import CliRunner

    from dialogsim.cli import main
    bad = tmp_path / "diner.yaml"
    bad.write_text(DINER.read_text().replace("say: outdoor seating}", "say: [outdoor seating]}"))
    result = CliRunner().invoke(main, ["validate", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:" in result.output and "apis.FindRestaurants.args.outdoor_seating.say" in result.output


# -- generation -----------------------------------------------------------------------------

def test_labels_check_clean(diner, simulator, dialogues):
    for d in dialogues:
        assert check_dialogue(d, diner, catalogue=simulator.catalogue) == [], d.id


def test_spanless_values_ride_on_their_inform_acts(diner, dialogues):
    carried = {}
    for _, _, turn, _, act in _user_acts(dialogues):
        assert not any(span.slot in diner.spanless for span in turn.spans)
        if act.value is not None:
            assert act.act.value == "inform" and act.slot in diner.spanless
            carried.setdefault(act.slot, set()).add(act.value)
        elif act.act.value == "inform":
            assert act.slot not in diner.spanless
    assert carried["outdoor_seating"] == carried["quiet"] == {"true", "false"}
    assert len(carried["price_range"]) >= 2


def test_arguments_point_at_the_act_that_carried_their_value(dialogues):
    refs = 0
    for d in dialogues:
        for turn in d.turns:
            if turn.speaker != "system":
                continue
            for action in turn.actions:
                for name, arg in action.args.items():
                    if isinstance(arg.ref, ActRef):
                        act = d.turns[arg.ref.turn].acts[arg.ref.act]
                        assert (act.slot, act.value) == (name, arg.value)
                        refs += 1
    assert refs > 20


def test_no_text_says_true_or_false(dialogues):
    for d in dialogues:
        for turn in d.turns:
            assert not _TRUE_FALSE.search(turn.text), (d.id, turn.text)


def test_booleans_are_said_in_words_asked_or_volunteered(diner, dialogues):
    words = booleans.boolean_words(diner)
    answered = volunteered = 0
    for d, t, turn, _, act in _user_acts(dialogues):
        if act.slot not in words or act.value is None:
            continue
        prompt = d.turns[t - 1].actions[-1].name if t else None
        answers = booleans.answers(act.value)
        phrases = booleans.customer_phrases(words[act.slot], act.value)
        if prompt == f"request_{act.slot}" and turn.acts[0] is act:
            assert any(re.search(rf"(?<!\w){re.escape(a)}(?!\w)", turn.text, re.IGNORECASE) for a in answers), turn.text
            answered += 1
        else:
            assert any(p in turn.text for p in phrases), turn.text
            volunteered += 1
    assert answered >= 5 and volunteered >= 5


def test_the_system_asks_a_yes_no_question(diner, dialogues):
    asked = [a.text for d in dialogues for turn in d.turns if turn.speaker == "system" for a in turn.actions
             if a.kind == "response" and a.name == "request_outdoor_seating"]
    assert asked and all(re.search(r"(?:Do you want|Would you like) outdoor seating\?", text, re.IGNORECASE)
                         for text in asked)
    assert diner.responses["request_outdoor_seating"].texts == ("Do you want outdoor seating?",
                                                                "Would you like outdoor seating?")


def test_system_responses_say_booleans_in_words(diner):
    realiser = Realiser(diner, Catalogue(diner))
    rng = np.random.default_rng(0)
    item = {"name": "Juniper", "outdoor_seating": "true", "quiet": "false", "live_music": "false"}
    said = {realiser.system_text("inform_FindRestaurants_outdoor_seating", {"restaurants": item}, rng)
            for _ in range(30)}
    assert "It has outdoor seating." in said  # and after an opener: "Sure, it has outdoor seating."
    # After an opener or two ("Alright, let me check."), before a closer ("Hope that helps."),
    # never "true" and never another value.
    assert all(re.fullmatch(r"(?:[A-Za-z][\w' ]*[,.!] ){0,2}[Ii]t has outdoor seating\.(?: [A-Z][\w' ]*[.!])?", s)
               for s in said), said
    assert realiser.system_text("inform_FindRestaurants_live_music", {"restaurants": item}, rng).endswith(
        "doesn't have live music.")
    assert realiser.system_text("inform_FindRestaurants_quiet", {"restaurants": item}, rng).endswith("It's lively.")
    confirm = realiser.system_text("confirm_outdoor_seating", {"outdoor_seating": "false"}, rng)
    assert "without outdoor seating" in confirm and not _TRUE_FALSE.search(confirm)


def test_the_backend_filters_on_booleans(diner):
    backend = MockBackend(diner, Catalogue(diner))
    rng = np.random.default_rng(1)
    for value in ("true", "false"):
        for _ in range(10):
            status, result = backend.call("FindRestaurants", {
                "city": Arg(value="Boston", ref=SpanRef(0, 0)), "cuisine": Arg(value="Thai", ref=SpanRef(0, 1)),
                "outdoor_seating": Arg(value=value, ref=ActRef(2, 0))}, rng)
            items = result["restaurants"]
            assert items and all(item["outdoor_seating"] == value for item in items)
    # live music is no argument: another yes/no argument does not fix it
    lists = [backend.call("FindRestaurants", {"city": Arg(value="Boston", ref=SpanRef(0, 0)),
                                              "cuisine": Arg(value="Thai", ref=SpanRef(0, 1)),
                                              "outdoor_seating": Arg(value="true", ref=ActRef(2, 0))}, rng)[1]
             for _ in range(20)]
    assert {item["live_music"] for r in lists for item in r["restaurants"]} == {"true", "false"}


def test_generated_calls_find_what_was_asked(dialogues):
    calls = 0
    for d in dialogues:
        for turn in d.turns:
            for action in getattr(turn, "actions", ()):
                if action.kind == "api" and action.name == "FindRestaurants" and action.result:
                    for slot in ("outdoor_seating", "quiet"):
                        if action.args[slot].ref is not None:
                            calls += 1
                            assert all(item[slot] == action.args[slot].value for item in action.result["restaurants"])
    assert calls > 10


def test_corpus_bytes_are_the_same_on_rerun_and_with_two_workers(tmp_path, diner, corpus):
    again, two = tmp_path / "again", tmp_path / "two"
    dialogsim.generate(diner, N, again, seed=3)
    dialogsim.generate(diner, N, two, seed=3, workers=2)
    first = b"".join(p.read_bytes() for p in sorted(corpus.glob("*.jsonl")))
    assert first == b"".join(p.read_bytes() for p in sorted(again.glob("*.jsonl")))
    assert first == b"".join(p.read_bytes() for p in sorted(two.glob("*.jsonl")))
    assert b'"value":"true"' in first and b'["act",' in first


def test_noise_never_touches_the_words_of_a_boolean(diner):
    noisy = VariationConfig(typos=0.9, word_drop=0.9, fillers=0.9, word_swap=0.9)
    sim = Simulator(diner, variation=noisy)
    words = booleans.boolean_words(diner)
    seen = 0
    for i in range(40):
        d = sim.dialogue(9, i)
        assert check_dialogue(d, diner, catalogue=sim.catalogue) == [], d.id
        for turn in d.turns:
            if turn.speaker != "user":
                continue
            for act in turn.acts:
                if act.slot in words and act.value is not None:
                    said = booleans.answers(act.value) + booleans.customer_phrases(words[act.slot], act.value)
                    assert any(p in turn.text for p in said), turn.text
                    seen += 1
    assert seen > 10


# -- the corpus contract ----------------------------------------------------------------------

def test_user_act_value_is_written_only_when_set():
    assert UserAct(act="inform", slot="city").to_json() == {"act": "inform", "slot": "city"}
    act = UserAct(act="inform", slot="quiet", value="true")
    assert act.to_json() == {"act": "inform", "slot": "quiet", "value": "true"}
    assert UserAct.from_json(act.to_json()) == act
    with pytest.raises(ValueError):
        UserAct(act="affirm", value="true")
    assert ActRef(2, 1).to_json() == ["act", 2, 1]


def test_dialogues_round_trip_through_json(dialogues):
    for d in dialogues[:20]:
        assert Dialogue.from_json(json.loads(d.to_line())) == d


def _first_act_ref(record):
    for t, turn in enumerate(record["turns"]):
        for a, action in enumerate(turn.get("actions", ())):
            for name, arg in action["args"].items():
                if isinstance(arg["ref"], list) and arg["ref"][:1] == ["act"]:
                    return t, a, name
    raise AssertionError("no act ref")


def _plain_act(record):
    """The first user act that carries no value (an invoke, a spanned inform)."""
    return next((t, i) for t, turn in enumerate(record["turns"]) if turn["speaker"] == "user"
                for i, act in enumerate(turn["acts"]) if "value" not in act)


@pytest.mark.parametrize("change, message", [
    (lambda ref, record: ["act", ref[1], 99], "which does not exist"),
    (lambda ref, record: ["act", ref[1] + 1, ref[2]], "which does not come before it"),
    (lambda ref, record: ["act", *_plain_act(record)], "which is no inform carrying a value"),
    (lambda ref, record: ["act", ref[1]], "expected ['act', turn, act]"),
    (lambda ref, record: ["acts", ref[1], ref[2]], "must be [turn, span], ['act', turn, act]"),
    (lambda ref, record: ["act", -1, 0], "indices >= 0"),
])
def test_the_reader_rejects_a_bad_act_ref_in_one_line(tmp_path, corpus, change, message):
    records = list(iter_records(corpus))
    record = next(r for r in records if any(
        isinstance(arg["ref"], list) and arg["ref"][:1] == ["act"] and arg["ref"][1] > 0
        for turn in r["turns"] for action in turn.get("actions", ()) for arg in action["args"].values()))
    t, a, name = _first_act_ref(record)
    arg = record["turns"][t]["actions"][a]["args"][name]
    arg["ref"] = change(arg["ref"], record)
    shard = tmp_path / "part-00000.jsonl"
    shard.write_text(json.dumps(records[0]) + "\n" + json.dumps(record) + "\n")
    with pytest.raises(CorpusError) as info:
        list(read_corpus(shard))
    error = info.value
    assert (error.line, error.field) == (2, f"turns[{t}].actions[{a}].args.{name}.ref")
    assert message in error.message and "\n" not in str(error)


def test_the_reader_rejects_an_act_ref_whose_act_has_another_value(tmp_path, corpus):
    record = next(r for r in iter_records(corpus) if '"act",' in json.dumps(r))
    t, a, name = _first_act_ref(record)
    arg = record["turns"][t]["actions"][a]["args"][name]
    act = record["turns"][arg["ref"][1]]["acts"][arg["ref"][2]]
    act["value"] = "somewhere else"
    shard = tmp_path / "part-00000.jsonl"
    shard.write_text(json.dumps(record) + "\n")
    with pytest.raises(CorpusError, match=r":1: turns\[\d+\]\.actions\[\d+\]\.args\.\w+\.ref: .* informs "
                                          r"'somewhere else', not "):
        list(read_corpus(shard))
    del act["value"]
    act["act"] = "affirm"
    act["value"] = "true"
    shard.write_text(json.dumps(record) + "\n")
    with pytest.raises(CorpusError, match=r"\.value: only an inform of a slot carries a value"):
        list(read_corpus(shard))


def test_old_corpora_without_values_still_read(tmp_path, flights):
    out = tmp_path / "flights"
    dialogsim.generate(flights, 5, out, seed=1)
    text = "".join(p.read_text() for p in out.glob("*.jsonl"))
    assert '"value":"' not in text.replace('{"value":"', "") or '"act",' not in text
    assert len(list(read_corpus(out))) == 5


def test_the_label_check_verifies_the_value_was_conveyed(diner, simulator, dialogues):
    import attrs
    d = next(d for d in dialogues if any(isinstance(arg.ref, ActRef) for turn in d.turns
                                         for action in getattr(turn, "actions", ()) for arg in action.args.values()))
    t, turn = next((t, turn) for t, turn in enumerate(d.turns) if turn.speaker == "user"
                   and any(act.value is not None for act in turn.acts))
    i = next(i for i, act in enumerate(turn.acts) if act.value is not None)
    other = {"true": "false", "false": "true"}.get(turn.acts[i].value, "cheap" if turn.acts[i].value != "cheap"
                                                   else "moderate")
    acts = list(turn.acts)
    acts[i] = attrs.evolve(acts[i], value=other)
    changed = attrs.evolve(d, turns=d.turns[:t] + (attrs.evolve(turn, acts=tuple(acts)),) + d.turns[t + 1:])
    problems = check_dialogue(changed, diner, catalogue=simulator.catalogue)
    assert any(f"informs {other!r}" in p for p in problems), problems
    acts[i] = attrs.evolve(acts[i], value=None)
    dropped = attrs.evolve(d, turns=d.turns[:t] + (attrs.evolve(turn, acts=tuple(acts)),) + d.turns[t + 1:])
    problems = check_dialogue(dropped, diner, catalogue=simulator.catalogue)
    assert any("labelled without a span, carries no value" in p for p in problems), problems


# -- exports ----------------------------------------------------------------------------

def test_sgd_export_writes_spanless_values_as_categorical_values(tmp_path, diner, corpus):
    export_corpus(corpus, "sgd", tmp_path / "sgd", scenario=diner)
    schema = json.loads((tmp_path / "sgd" / "schema.json").read_text())[0]
    slots = {s["name"]: s for s in schema["slots"]}
    assert slots["outdoor_seating"]["is_categorical"] and slots["outdoor_seating"]["possible_values"] == ["True", "False"]
    assert slots["price_range"]["is_categorical"]
    informs = [(turn, action) for path in sorted((tmp_path / "sgd").glob("dialogues_*.json"))
               for d in json.loads(path.read_text()) for turn in d["turns"] if turn["speaker"] == "USER"
               for action in turn["frames"][0]["actions"]
               if action["act"] == "INFORM" and action["slot"] in ("outdoor_seating", "quiet", "price_range")]
    assert informs
    for turn, action in informs:
        assert action["slot"] not in {s["slot"] for s in turn["frames"][0]["slots"]}
        if action["slot"] != "price_range":
            assert action["values"] in (["True"], ["False"], ["dontcare"])
    calls = [f["service_call"]["parameters"] for path in (tmp_path / "sgd").glob("dialogues_*.json")
             for d in json.loads(path.read_text()) for turn in d["turns"] for f in turn["frames"] if "service_call" in f]
    assert {c.get("outdoor_seating") for c in calls} >= {"True", "False"}


def test_sgd_round_trip_keeps_act_values_and_act_refs(tmp_path, diner, corpus):
    export_corpus(corpus, "sgd", tmp_path / "sgd", scenario=diner)
    convert_sgd(tmp_path / "sgd" / "schema.json", "diner", sorted((tmp_path / "sgd").glob("dialogues_*.json")),
                tmp_path / "back")
    back = {d.id: d for d in read_corpus(tmp_path / "back")}
    for original in read_corpus(corpus):
        converted = back[original.id]
        for a, b in zip(original.turns, converted.turns):
            if a.speaker == "user":  # a price range said in its own words is found in them: a span again
                said = {(x.slot, x.value) for x in b.acts if x.value} | {(s.slot, s.value) for s in b.spans}
                assert {(x.slot, x.value) for x in a.acts if x.value} <= said
                assert [(x.slot, x.value) for x in a.acts if x.value and x.slot != "price_range"] == [
                    (x.slot, x.value) for x in b.acts if x.value and x.slot != "price_range"]


def test_conll_rasa_and_hf_tag_no_token_for_what_has_no_span_and_keep_the_value(tmp_path, corpus):
    for fmt in ("conll", "rasa", "hf"):
        export_corpus(corpus, fmt, tmp_path / fmt)
    conll = "".join(p.read_text() for p in (tmp_path / "conll").rglob("*") if p.is_file())
    assert not re.search(r"[BI]-(?:outdoor_seating|price_range)\b", conll) and "B-city" in conll
    assert re.search(r'^# values = \{"(?:outdoor_seating|price_range)": ', conll, re.MULTILINE)  # kept beside the tags
    nlu = (tmp_path / "rasa" / "data" / "nlu.yml").read_text()
    assert "(outdoor_seating)" not in nlu and "(price_range)" not in nlu
    assert "outdoor_seating" not in yaml.safe_load((tmp_path / "rasa" / "domain.yml").read_text()).get("entities", [])
    rows = [json.loads(line) for line in (tmp_path / "hf" / "data" / "train.jsonl").read_text().splitlines()]
    acts = {act for row in rows for act in row["acts"]}
    assert {"inform outdoor_seating=true", "inform outdoor_seating=false"} <= acts
    assert not any(span["slot"] in ("outdoor_seating", "price_range") for row in rows for span in row["spans"])


# -- import-sgd / convert-sgd ---------------------------------------------------------------

def test_import_sgd_makes_booleans_and_spanless_categorical_slots():
    imported = import_sgd(SGD / "schema.json", "Diner_1", [SGD / "dialogues_001.json"])
    doc = yaml.safe_load(imported.text)
    assert "HasOutdoorSeating" not in doc["types"]
    assert doc["types"]["PriceRange"]["span"] is False  # users said it in other words twice, in its words once
    assert "span" not in doc["types"]["City"]
    seating = doc["apis"]["FindRestaurants"]["args"]["has_outdoor_seating"]
    assert (seating["type"], seating["say"]) == ("Boolean", "outdoor seating")
    assert doc["types"]["FindRestaurantsResult"]["fields"]["has_outdoor_seating"] == "Boolean"
    scenario = load_scenario_text(imported.text, "diner_1.yaml")
    assert scenario.spanless == {"price_range", "has_outdoor_seating"}
    sim = Simulator(scenario)
    for i in range(20):
        d = sim.dialogue(1, i)
        assert check_dialogue(d, scenario, catalogue=sim.catalogue) == [], d.id
        assert not any(_TRUE_FALSE.search(turn.text) for turn in d.turns)


def test_import_sgd_of_a_boolean_without_dialogues():
    imported = import_sgd(FIXTURES / "sgd" / "schema.json", "Bakery_1")
    vegan = yaml.safe_load(imported.text)["apis"]["FindCakes"]["args"]["is_vegan"]
    assert vegan["type"] == "Boolean" and vegan["say"] == {"true": "vegan", "false": "not vegan"}
    load_scenario_text(imported.text)


def test_convert_sgd_puts_unspanned_categorical_values_on_the_act(tmp_path):
    convert_sgd(SGD / "schema.json", "Diner_1", [SGD / "dialogues_001.json"], tmp_path / "out")
    dialogues = {d.id: d for d in read_corpus(tmp_path / "out")}  # the reader checks every ref
    first = dialogues["D_001"]
    answer = first.turns[2]
    assert [(a.slot, a.value) for a in answer.acts] == [("has_outdoor_seating", "true"), ("price_range", "moderate")]
    assert answer.spans == ()
    call = first.turns[3].actions[0]
    assert call.args["has_outdoor_seating"] == Arg(value="true", ref=ActRef(2, 0))
    assert call.args["price_range"] == Arg(value="moderate", ref=ActRef(2, 1))
    assert call.result["find_restaurants"]["has_outdoor_seating"] == "true"
    # in its own words, a categorical value keeps its span
    second = dialogues["D_002"]
    assert [s.slot for s in second.turns[0].spans] == ["price_range", "city"]
    assert second.turns[1].actions[0].args["price_range"].ref == SpanRef(0, 0)
    third = dialogues["D_003"].turns[0]
    assert ("has_outdoor_seating", "false") in [(a.slot, a.value) for a in third.acts]


def test_the_user_turns_strategy_follows_the_contract(diner):
    from hypothesis import given, settings

    from dialogsim.testing.strategies import user_turns
    carried = []

    @settings(max_examples=60, deadline=None, database=None)
    @given(user_turns(diner, variation=True))
    def check(turn):
        assert not any(span.slot in diner.spanless for span in turn.spans)
        carried.extend((act.slot, act.value) for act in turn.acts if act.value is not None)

    check()
    assert carried and all(slot in diner.spanless for slot, _ in carried)


def test_the_customer_asks_about_a_yes_no_field_with_a_yes_no_question(diner, dialogues):
    words = booleans.boolean_words(diner)
    asked = [(act.slot, turn.text) for _, _, turn, _, act in _user_acts(dialogues)
             if act.act.value == "request" and act.slot in words and not turn.augmented]  # typos aside
    assert len({slot for slot, _ in asked}) >= 2
    for slot, text in asked:
        assert booleans.asks_yes_no(text, words[slot]), text
        assert not re.search(r"\bwhat\b", text, re.IGNORECASE), text
