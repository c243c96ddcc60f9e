"""convert-sgd: SGD dialogues as a corpus (spans, acts, API calls, resolved refs, unresolved
ones marked), and the round trip SGD -> import -> generate -> export sgd -> convert-sgd
giving back the generated corpus's labels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import dialogsim
from dialogsim.cli import main
from dialogsim.corpus import iter_records, read_corpus
from dialogsim.interop.export import export_corpus
from dialogsim.interop.sgd_dialogues import convert_sgd
from dialogsim.interop.sgd_format import SgdError
from dialogsim.interop.sgd_schema import import_sgd
from dialogsim.loader import load_scenario_text
from dialogsim.stats import corpus_stats

FIXTURES = Path(__file__).parent / "fixtures" / "sgd"
SCHEMA = FIXTURES / "schema.json"
DIALOGUES = FIXTURES / "dialogues_001.json"


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    out = tmp_path_factory.mktemp("convert") / "bakery"
    result = convert_sgd(SCHEMA, "Bakery_1", [DIALOGUES], out)
    return out, result, list(iter_records(out))


def test_every_dialogue_of_the_service_is_a_checked_corpus_line(converted):
    out, result, records = converted
    assert [r["id"] for r in records] == ["B_001", "B_002", "B_003"]
    assert result.manifest.n == 3 and result.manifest.scenario == "bakery_1"
    assert len(list(read_corpus(out))) == 3  # Dialogue values, every line checked
    assert corpus_stats(out)["dialogues"] == 3


def test_user_turns_have_spans_with_canonical_values_and_acts(converted):
    first = converted[2][0]["turns"][0]
    assert [(s["slot"], first["text"][s["start"]:s["end"]], s["value"]) for s in first["spans"]] == \
           [("flavour", "lemon", "lemon"), ("city", "Springfield", "Springfield")]
    assert first["acts"] == [{"act": "invoke", "api": "FindCakes"}, {"act": "inform", "slot": "flavour"},
                             {"act": "inform", "slot": "city"}]
    friday = converted[2][0]["turns"][6]
    assert friday["spans"][0]["value"] == "2024-05-03"  # "Friday", canonical as the service has it


def test_api_calls_carry_arguments_results_and_refs(converted):
    turns = converted[2][0]["turns"]
    search = turns[1]["actions"][0]
    assert search["name"] == "FindCakes" and search["status"] == "ok"
    assert search["args"]["city"] == {"value": "Springfield", "ref": [0, 1]}
    assert search["args"]["is_vegan"] == {"value": "dontcare", "ref": None}  # the optional default
    assert search["result"]["find_cakes"]["cake_name"] == "Lemon Drizzle"
    order = turns[9]["actions"][0]
    # the cake the customer picked was offered by the search, never said by the customer
    assert order["args"]["cake_name"] == {"value": "Lemon Drizzle", "ref": ["api", 1, 0]}
    assert order["args"]["pickup_date"] == {"value": "2024-05-03", "ref": [6, 0]}
    assert [a["name"] for a in turns[9]["actions"]] == ["OrderCake", "inform_OrderCake"]


def test_system_acts_become_responses(converted):
    names = [[a["name"] for a in t["actions"]] for t in converted[2][0]["turns"] if t["speaker"] == "system"]
    assert names == [["FindCakes", "inform_FindCakes"], ["inform_FindCakes_price"], ["offer_OrderCake"],
                     ["confirm_OrderCake"], ["OrderCake", "inform_OrderCake"], ["reqmore"], ["goodbye"]]
    failed = converted[2][1]["turns"][9]["actions"]
    assert (failed[0]["status"], failed[1]["name"]) == ("failure", "failure_OrderCake")
    assert converted[2][1]["outcome"] == "failed"


def test_what_cannot_be_converted_is_counted(converted):
    assert converted[1].skipped == {"user act REQUEST_ALTS (no dialogsim act)": 1}


def test_an_argument_from_nowhere_is_marked_not_invented(tmp_path):
    dialogues = json.loads(DIALOGUES.read_text())
    dialogues[0]["turns"][9]["frames"][0]["service_call"]["parameters"]["cake_name"] = "Mystery Cake"
    del dialogues[0]["turns"][11]["frames"][0]  # a system turn of another service only
    dialogues[0]["turns"][11]["frames"].append({"service": "Florist_1", "actions": [], "slots": []})
    dialogues[1]["turns"][9]["frames"][0]["service_call"]["parameters"]["cake_name"] = "Mystery Cake"
    path = tmp_path / "dialogues_001.json"
    path.write_text(json.dumps(dialogues))
    result = convert_sgd(SCHEMA, "Bakery_1", [path], tmp_path / "out")
    records = list(iter_records(tmp_path / "out"))
    assert [r["id"] for r in records] == ["B_001", "B_002", "B_003"]
    for record in records[:2]:
        assert record["turns"][9]["actions"][0]["args"]["cake_name"] == \
               {"value": "Mystery Cake", "ref": None, "unresolved": True}
    # the mark is part of the corpus format: read as Dialogue values, it survives
    dialogues = list(read_corpus(tmp_path / "out"))
    assert dialogues[0].turns[9].actions[0].args["cake_name"].unresolved
    assert not dialogues[0].turns[9].actions[0].args["pickup_date"].unresolved
    assert [d.to_json() for d in dialogues] == records
    # B_001 keeps its turns up to the one with no frame of the service, then alternates on
    assert [t["speaker"] for t in records[0]["turns"]] == ["user", "system"] * 6
    assert result.skipped["turns of other services (left out)"] == 2
    assert result.skipped["arguments whose source is not in the dialogue (marked unresolved)"] == 2


def _labels(record: dict) -> list:
    """What the models learn from: user acts and spans; system actions with their
    arguments, refs, statuses and results. Not the texts of system turns (SGD holds one
    utterance per turn, not one per response) nor the goal."""
    out = []
    for turn in record["turns"]:
        if turn["speaker"] == "user":
            out.append((turn["text"], turn["acts"], turn["spans"]))
        else:
            out.append([(a["kind"], a["name"], a["args"], a.get("status"), a.get("result"))
                        for a in turn["actions"]])
    return out


def test_round_trip_gives_the_same_labels(tmp_path):
    imported = import_sgd(SCHEMA, "Bakery_1", [DIALOGUES])
    scenario = load_scenario_text(imported.text, "bakery.yaml")
    dialogsim.generate(scenario, 60, tmp_path / "generated", seed=11)
    export_corpus(tmp_path / "generated", "sgd", tmp_path / "sgd", scenario=scenario)
    result = convert_sgd(tmp_path / "sgd" / "schema.json", scenario.name,
                         sorted((tmp_path / "sgd").glob("dialogues_*.json")), tmp_path / "back")
    generated = list(iter_records(tmp_path / "generated"))
    back = list(iter_records(tmp_path / "back"))
    assert [r["id"] for r in back] == [r["id"] for r in generated]
    for original, converted in zip(generated, back):
        assert _labels(converted) == _labels(original), original["id"]
    assert result.skipped == {}


# -- command line and errors --------------------------------------------------------------

def test_cli_converts_and_lists_what_it_dropped(tmp_path):
    result = CliRunner().invoke(main, ["convert-sgd", str(SCHEMA), "Bakery_1", str(FIXTURES), "-o",
                                       str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "wrote 3 dialogues of Bakery_1" in result.stdout
    assert "warning: Bakery_1: not converted: user act REQUEST_ALTS" in result.stderr


def test_malformed_dialogues_are_one_line_and_leave_no_corpus(tmp_path):
    dialogues = json.loads(DIALOGUES.read_text())
    dialogues[2]["turns"][3]["frames"][0]["service_call"]["parameters"]["cake_name"] = 7
    path = tmp_path / "dialogues_001.json"
    path.write_text(json.dumps(dialogues))
    with pytest.raises(SgdError, match=r"\[2\].turns\[3\]\.frames\[0\]\.service_call\.parameters\.cake_name: "
                                       "expected a string, got a number"):
        convert_sgd(SCHEMA, "Bakery_1", [path], tmp_path / "out")
    result = CliRunner().invoke(main, ["convert-sgd", str(SCHEMA), "Bakery_1", str(path), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert not (tmp_path / "out").exists() and not (tmp_path / "o").exists()


def test_a_categorical_value_said_in_words_gets_its_span(tmp_path):
    dialogues = json.loads(DIALOGUES.read_text())
    turn = dialogues[1]["turns"][6]  # "Then order Cloud Nine for 12 on Saturday."
    turn["utterance"] = turn["utterance"].replace("for 12", "for twelve")
    for span in turn["frames"][0]["slots"]:
        if span["start"] > turn["utterance"].index("twelve"):
            span["start"] += 4
            span["exclusive_end"] += 4
    path = tmp_path / "dialogues_001.json"
    path.write_text(json.dumps(dialogues))
    convert_sgd(SCHEMA, "Bakery_1", [path], tmp_path / "out")
    user = list(iter_records(tmp_path / "out"))[1]["turns"][6]
    servings = [s for s in user["spans"] if s["slot"] == "servings"]
    assert [(user["text"][s["start"]:s["end"]], s["value"]) for s in servings] == [("twelve", "12")]


def test_a_request_of_one_value_is_a_value_confirmation(tmp_path):
    """SGD's REQUEST with one value ("Is that in Springfield?") confirms the value:
    confirm_<slot>, its argument resolved like any other; import-sgd harvests its text."""
    dialogues = json.loads(DIALOGUES.read_text())
    turn = dialogues[0]["turns"][3]
    turn["utterance"] = "Is that in Springfield?"
    turn["frames"][0]["actions"] = [{"act": "REQUEST", "slot": "city", "values": ["Springfield"],
                                     "canonical_values": ["Springfield"]}]
    turn["frames"][0]["slots"] = [{"slot": "city", "start": 11, "exclusive_end": 22}]
    path = tmp_path / "dialogues_001.json"
    path.write_text(json.dumps(dialogues))
    convert_sgd(SCHEMA, "Bakery_1", [path], tmp_path / "out")
    actions = list(iter_records(tmp_path / "out"))[0]["turns"][3]["actions"]
    assert [(a["name"], a["args"]) for a in actions] == [("confirm_city", {"city": {"value": "Springfield",
                                                                                     "ref": [0, 1]}})]
    scenario = load_scenario_text(import_sgd(SCHEMA, "Bakery_1", [path]).text)
    assert "Is that in {city}?" in scenario.responses["confirm_city"].texts
