"""dialogsim export: Rasa, CoNLL, SGD and Hugging Face outputs checked against the corpus
they came from, and the output folder rules (no half-written output, no overwrite without
--force, only our files replaced)."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import dialogsim
from dialogsim.cli import main
from dialogsim.corpus import iter_records
from dialogsim.interop.export import ExportError, export_corpus, tokens
from dialogsim.interop.sgd_dialogues import convert_sgd
from dialogsim.interop.sgd_format import iter_dialogues, load_schema
from dialogsim.loader import load_scenario

N = 40


@pytest.fixture(scope="module")
def scenario():
    return dialogsim.load_scenario(dialogsim.scenarios.path("flights"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, scenario):
    out = tmp_path_factory.mktemp("corpus") / "flights"
    dialogsim.generate(scenario, N, out, seed=5)
    return out


@pytest.fixture(scope="module")
def records(corpus):
    return list(iter_records(corpus))


def _user_turns(records):
    return [(r["id"], t, turn) for r in records for t, turn in enumerate(r["turns"]) if turn["speaker"] == "user"]


# -- rasa ------------------------------------------------------------------------------

_RASA_ENTITY = re.compile(r"\[([^\]]*)\](?:\((\w+)\)|(\{[^}]*\}))")


@pytest.fixture(scope="module")
def rasa(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("rasa") / "out"
    export_corpus(corpus, "rasa", out)
    return {name: yaml.safe_load((out / name).read_text()) for name in ("domain.yml", "data/nlu.yml",
                                                                       "data/stories.yml")}


def test_rasa_files_are_rasa_3_yaml(rasa):
    for data in rasa.values():
        assert data["version"] == "3.1"
    assert {"intents", "entities", "responses", "actions"} <= set(rasa["domain.yml"])


def test_rasa_nlu_examples_annotate_every_span(rasa, records):
    said = {}
    for _, _, turn in _user_turns(records):
        said.setdefault(" ".join(turn["text"].split()), []).append(
            {(turn["text"][s["start"]:s["end"]], s["slot"], s["value"]) for s in turn["spans"]})
    domain = rasa["domain.yml"]
    examples = 0
    for block in rasa["data/nlu.yml"]["nlu"]:
        assert block["intent"] in domain["intents"]
        for line in block["examples"].splitlines():
            example = line.removeprefix("- ")
            found = set()
            for surface, entity, meta in _RASA_ENTITY.findall(example):
                if meta:
                    meta = json.loads(meta)
                    found.add((surface, meta["entity"], meta["value"]))
                else:
                    found.add((surface, entity, surface))
            text = _RASA_ENTITY.sub(lambda m: m.group(1), example)
            assert found in said[text], example
            assert {entity for _, entity, _ in found} <= set(domain["entities"])
            examples += 1
    assert 0 < examples <= sum(map(len, said.values()))


def test_rasa_stories_use_only_what_the_domain_declares(rasa, records):
    domain = rasa["domain.yml"]
    actions = set(domain["actions"]) | set(domain["responses"])
    stories = rasa["data/stories.yml"]["stories"]
    assert 0 < len(stories) <= len(records)
    for story in stories:
        for step in story["steps"]:
            assert step.get("intent") in domain["intents"] or step.get("action") in actions or all(
                slot in domain.get("slots", {}) for set_ in step.get("slot_was_set", [{"": None}]) for slot in set_)


def test_rasa_data_passes_the_checks_of_rasa_data_validate(rasa):
    """What Rasa 3.x's ``rasa data validate`` (rasa.validator.Validator) checks, short of
    running it (Rasa needs Python <= 3.10): the domain is not empty; responses are named
    ``utter_*`` with a non-empty text; stories' custom actions are ``action_*`` listed under
    ``actions``; every domain intent has NLU examples and is used in a story, and the other
    way round; no example is labelled with two intents (each a warning Rasa fails on under
    --fail-on-warnings)."""
    domain, nlu, stories = rasa["domain.yml"], rasa["data/nlu.yml"]["nlu"], rasa["data/stories.yml"]["stories"]
    assert domain["intents"] and domain["responses"] and domain["actions"]
    for name, variants in domain["responses"].items():
        assert name.startswith("utter_") and variants and all(isinstance(v["text"], str) and v["text"]
                                                               for v in variants), name
    assert all(name.startswith("action_") for name in domain["actions"])
    story_intents = {step["intent"] for story in stories for step in story["steps"] if "intent" in step}
    story_actions = {step["action"] for story in stories for step in story["steps"] if "action" in step}
    nlu_intents = {block["intent"] for block in nlu}
    assert set(domain["intents"]) == nlu_intents == story_intents
    assert story_actions == set(domain["actions"]) | set(domain["responses"])
    labelled: dict[str, set] = {}
    for block in nlu:
        for line in block["examples"].splitlines():
            labelled.setdefault(_RASA_ENTITY.sub(lambda m: m.group(1), line), set()).add(block["intent"])
    assert all(len(intents) == 1 for intents in labelled.values())


@pytest.fixture(scope="module")
def booleans(tmp_path_factory):
    """A corpus whose yes/no values are labelled without a span (tests/fixtures/booleans.yaml)."""
    out = tmp_path_factory.mktemp("booleans") / "corpus"
    dialogsim.generate(load_scenario(_FIXTURES / "booleans.yaml"), 30, out, seed=1)
    return out


def _unspanned(turn) -> list[tuple[str, str]]:
    return [(a["slot"], a["value"]) for a in turn["acts"] if a["act"] == "inform" and "value" in a]


def test_rasa_sets_a_slot_for_every_value_without_a_span(booleans, tmp_path):
    """A boolean said "with outdoor seating" has no entity span; the export dropped it.
    Rasa 3.x writes such a value as a ``slot_was_set`` step after the user's intent, and
    the domain declares the slot (``bool``, a custom mapping)."""
    export_corpus(booleans, "rasa", tmp_path / "out")
    domain = yaml.safe_load((tmp_path / "out" / "domain.yml").read_text())
    stories = {s["story"]: s["steps"] for s in yaml.safe_load((tmp_path / "out" / "data" / "stories.yml").read_text())["stories"]}
    records = {r["id"]: r for r in iter_records(booleans)}
    checked = 0
    for story, steps in stories.items():
        expected = [[{slot: {"true": True, "false": False}.get(value, value)} for slot, value in _unspanned(turn)]
                    for turn in records[story]["turns"] if turn["speaker"] == "user" and _unspanned(turn)]
        assert [step["slot_was_set"] for step in steps if "slot_was_set" in step] == expected
        for n, step in enumerate(steps):
            if "slot_was_set" in step:
                assert "intent" in steps[n - 1]  # right after the user's message
                checked += 1
    assert checked > 0
    values: dict[str, set] = {}
    for record in records.values():
        for turn in record["turns"]:
            for slot, value in _unspanned(turn) if turn["speaker"] == "user" else ():
                values.setdefault(slot, set()).add(value)
    assert {slot: spec["type"] for slot, spec in domain["slots"].items()} == {
        slot: "bool" if said <= {"true", "false"} else "text" for slot, said in values.items()}
    assert {"bool", "text"} <= {spec["type"] for spec in domain["slots"].values()}  # a yes/no and a price range
    assert all(spec["mappings"] == [{"type": "custom"}] for spec in domain["slots"].values())


def test_conll_keeps_a_value_without_a_span_in_a_comment(booleans, tmp_path):
    """BIO tags cannot hold a value no token says: it goes in a ``# values =`` comment."""
    export_corpus(booleans, "conll", tmp_path / "out")
    blocks = (tmp_path / "out" / "dialogues.conll").read_text().strip().split("\n\n")
    said = {}
    for block in blocks:
        lines = block.splitlines()
        said[lines[0].removeprefix("# id = ")] = [json.loads(line.removeprefix("# values = ")) for line in lines
                                                  if line.startswith("# values = ")]
    expected = {f"{r['id']}/{t}": [dict(_unspanned(turn))] if _unspanned(turn) else []
                for r in iter_records(booleans) for t, turn in enumerate(r["turns"]) if turn["speaker"] == "user"}
    assert said == expected and any(expected.values())


# -- conll -----------------------------------------------------------------------------

def test_conll_has_one_token_per_line_and_a_block_per_user_turn(corpus, records, tmp_path):
    export_corpus(corpus, "conll", tmp_path / "out")
    blocks = (tmp_path / "out" / "dialogues.conll").read_text().split("\n\n")
    assert blocks[-1] == ""
    blocks = blocks[:-1]
    turns = _user_turns(records)
    assert len(blocks) == len(turns)
    for block, (dialogue_id, t, turn) in zip(blocks, turns):
        lines = block.split("\n")
        assert lines[0] == f"# id = {dialogue_id}/{t}"
        rows = [line.split("\t") for line in lines[2:]]
        assert [token for token, _ in rows] == [turn["text"][s:e] for s, e in tokens(turn["text"])]
        assert sum(tag.startswith("B-") for _, tag in rows) == len(turn["spans"])
        for token, tag in rows:
            assert tag == "O" or tag[2:] in {s["slot"] for s in turn["spans"]}


# -- sgd -------------------------------------------------------------------------------

def test_sgd_export_reads_back_as_sgd(corpus, records, scenario, tmp_path):
    out = tmp_path / "sgd"
    export_corpus(corpus, "sgd", out, scenario=scenario)
    services = load_schema(out / "schema.json")
    assert set(services) == {"flights"}
    assert set(services["flights"].intents) == set(scenario.apis)
    assert services["flights"].intents["BookFlight"].transactional
    dialogues = [d for _, d in iter_dialogues(sorted(out.glob("dialogues_*.json")))]  # checked as read
    assert [d["dialogue_id"] for d in dialogues] == [r["id"] for r in records]
    for dialogue, record in zip(dialogues, records):
        for sgd_turn, turn in zip(dialogue["turns"], record["turns"]):
            frame = sgd_turn["frames"][0]
            if turn["speaker"] == "user":
                assert [(s["start"], s["exclusive_end"], s["slot"]) for s in frame["slots"]] == \
                       [(s["start"], s["end"], s["slot"]) for s in turn["spans"]]
            else:
                calls = [a["name"] for a in turn["actions"] if a["kind"] == "api"]
                assert [f["service_call"]["method"] for f in sgd_turn["frames"] if "service_call" in f] == calls


_FIXTURES = Path(__file__).parent / "fixtures"


def test_sgd_export_keeps_every_call_of_a_system_turn(tmp_path):
    """A changed s0 makes the system run Api1 again on Api0's new result and then Api2 in
    one turn: each call gets a frame of its own, and convert-sgd reads the turn back whole."""
    scenario = load_scenario(_FIXTURES / "chain.yaml")
    dialogsim.generate(scenario, 60, tmp_path / "corpus", seed=3)
    export_corpus(tmp_path / "corpus", "sgd", tmp_path / "sgd", scenario=scenario)
    convert_sgd(tmp_path / "sgd" / "schema.json", "chain", sorted((tmp_path / "sgd").glob("dialogues_*.json")),
                tmp_path / "back")
    records, back = list(iter_records(tmp_path / "corpus")), list(iter_records(tmp_path / "back"))
    dialogues = [d for _, d in iter_dialogues(sorted((tmp_path / "sgd").glob("dialogues_*.json")))]
    multi = 0
    for record, dialogue, converted in zip(records, dialogues, back, strict=True):
        for turn, sgd_turn, again in zip(record["turns"], dialogue["turns"], converted["turns"], strict=True):
            if turn["speaker"] != "system":
                continue
            calls = [a for a in turn["actions"] if a["kind"] == "api"]
            multi += len(calls) > 1
            assert [f["service_call"]["method"] for f in sgd_turn["frames"] if "service_call" in f] == \
                   [c["name"] for c in calls]
            # (an SGD result is named after its intent, not after the scenario's output)
            assert [(a["kind"], a["name"], a.get("status"), list((a.get("result") or {}).values()))
                    for a in again["actions"]] == \
                   [(a["kind"], a["name"], a.get("status"), list((a.get("result") or {}).values()))
                    for a in turn["actions"]]
            for original, read in zip(turn["actions"], again["actions"]):  # the result of either call said
                if original["name"].startswith("inform_"):
                    assert [a["ref"] for a in read["args"].values()] == [a["ref"] for a in original["args"].values()]
    assert multi >= 1  # the corpus has a turn of two calls


def test_sgd_export_needs_the_scenario(corpus, tmp_path):
    with pytest.raises(ExportError, match="--scenario"):
        export_corpus(corpus, "sgd", tmp_path / "out")
    assert not (tmp_path / "out").exists()


# -- hugging face ----------------------------------------------------------------------

def test_hf_folder_has_a_row_per_user_turn_and_a_card(corpus, records, tmp_path):
    out = tmp_path / "hf"
    export_corpus(corpus, "hf", out, license="cc-by-4.0")
    rows = [json.loads(line) for line in (out / "data" / "train.jsonl").read_text().splitlines()]
    assert len(rows) == len(_user_turns(records))
    assert all(len(r["tokens"]) == len(r["tags"]) for r in rows)
    card = (out / "README.md").read_text()
    assert "license: cc-by-4.0" in card and "scenario: `flights`" in card and "seed: 5" in card


def test_hf_folder_loads_with_datasets(corpus, records, tmp_path, monkeypatch):
    datasets = pytest.importorskip("datasets", reason="Hugging Face datasets not installed (pip install "
                                                      "'dialogsim[hf]')")
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "cache"))
    export_corpus(corpus, "hf", tmp_path / "hf")
    loaded = datasets.load_dataset(str(tmp_path / "hf"), cache_dir=str(tmp_path / "cache"))
    assert loaded["train"].num_rows == len(_user_turns(records))
    assert loaded["train"][0]["dialogue_id"] == records[0]["id"]


# -- the output folder -----------------------------------------------------------------

def test_a_non_empty_folder_is_refused_without_force_and_kept_with_it(corpus, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    result = CliRunner().invoke(main, ["export", str(corpus), "--format", "conll", "-o", str(out)])
    assert result.exit_code == 2 and result.stderr.startswith("error: ") and "--force" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
    result = CliRunner().invoke(main, ["export", str(corpus), "--format", "conll", "-o", str(out), "--force"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["dialogues.conll", "notes.txt"]
    assert not list(tmp_path.glob(".*export-tmp*"))


def test_a_corrupt_corpus_leaves_no_output(corpus, tmp_path):
    bad = tmp_path / "bad.jsonl"
    lines = (corpus / "part-00000.jsonl").read_text().splitlines()
    bad.write_text(lines[0] + "\n{not json\n")
    result = CliRunner().invoke(main, ["export", str(bad), "--format", "rasa", "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "bad.jsonl:2" in result.stderr
    assert not (tmp_path / "out").exists() and not list(tmp_path.glob(".*export-tmp*"))


def test_same_corpus_gives_the_same_files(corpus, tmp_path):
    for fmt in ("rasa", "conll", "hf"):
        export_corpus(corpus, fmt, tmp_path / f"a-{fmt}")
        export_corpus(corpus, fmt, tmp_path / f"b-{fmt}")
        for path in sorted((tmp_path / f"a-{fmt}").rglob("*")):
            if path.is_file():
                twin = tmp_path / f"b-{fmt}" / path.relative_to(tmp_path / f"a-{fmt}")
                assert path.read_bytes() == twin.read_bytes(), path


# -- a corpus at a URL -----------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["rasa", "conll", "sgd", "hf"])
def test_a_url_corpus_exports_as_its_local_copy_does(corpus, scenario, tmp_path, fmt):
    """Every format reads a corpus at an fsspec URL as the reader does, the manifest too
    (the Hugging Face card states the scenario and seed from it)."""
    fsspec = pytest.importorskip("fsspec")
    fs = fsspec.filesystem("memory")
    folder = f"/export-{uuid.uuid4().hex}"
    for path in sorted(corpus.iterdir()):
        fs.pipe_file(f"{folder}/corpus/{path.name}", path.read_bytes())
    try:
        for source, out in ((f"memory://{folder}/corpus", tmp_path / "from-url"), (corpus, tmp_path / "local")):
            export_corpus(source, fmt, out, scenario=scenario)
    finally:
        fs.rm(folder, recursive=True)
    files = {p.relative_to(tmp_path / "local"): p.read_bytes() for p in (tmp_path / "local").rglob("*")
             if p.is_file()}
    assert {p.relative_to(tmp_path / "from-url"): p.read_bytes() for p in (tmp_path / "from-url").rglob("*")
            if p.is_file()} == files
    if fmt == "hf":
        assert b"- seed: 5" in files[Path("README.md")]
