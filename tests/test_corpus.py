"""The corpus reader, manifest and writer, and the statistics, on hand-built dialogues.

The dialogues here are built by hand from ``dialogsim.dialogue`` so that each corruption
test starts from a known record; tests/test_generate.py covers simulated corpora.
"""

from __future__ import annotations

import json
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dialogsim.corpus import (
    MANIFEST,
    CorpusWarning,
    CorpusWriter,
    Manifest,
    ShardInfo,
    check_target,
    dumps_line,
    iter_records,
    read_corpus,
    read_manifest,
)
from dialogsim.dialogue import (
    FORMAT_VERSION,
    ApiCall,
    ApiRef,
    Arg,
    Dialogue,
    Response,
    Span,
    SpanRef,
    SystemTurn,
    UserAct,
    UserTurn,
)
from dialogsim.errors import CorpusError, DialogsimError
from dialogsim.goal import Goal
from dialogsim.patterns import PATTERNS
from dialogsim.stats import CorpusStats, DistinctCounter, corpus_stats

CITIES = ("Seattle", "Boston", "New York", "Denver")


def make_dialogue(index: int) -> Dialogue:
    """A small, valid flights dialogue that varies with ``index``."""
    city = CITIES[index % len(CITIES)]
    text = f"find me a flight to {city}"
    start = text.index(city)
    failed = index % 5 == 4
    turns = [
        UserTurn(text=text, acts=[UserAct(act="invoke", api="SearchFlight"), UserAct(act="inform", slot="destination")],
                 spans=[Span(start=start, end=start + len(city), slot="destination", type="City", value=city)]),
        SystemTurn(actions=[
            ApiCall(name="SearchFlight", args={"destination": Arg(value=city, ref=SpanRef(0, 0))},
                    status="empty" if failed else "ok",
                    result={} if failed else {"flights": [{"airline": "Delta", "price": "$120"}]}),
            Response(name="no_results_SearchFlight" if failed else "inform_SearchFlight",
                     args={} if failed else {"flights": Arg(value="Delta", ref=ApiRef(1, 0, 0))},
                     text="Nothing found." if failed else "There's a Delta flight for $120."),
        ]),
    ]
    if index % 2:
        turns += [UserTurn(text="thanks, bye", acts=[UserAct(act="thank"), UserAct(act="goodbye")]),
                  SystemTurn(actions=[Response(name="goodbye", text="Goodbye!")])]
    return Dialogue(id=f"flights-{index:07d}", scenario="flights",
                    goal=Goal(apis=["SearchFlight"], values={"destination": city}),
                    turns=turns, outcome="failed" if failed else "completed",
                    patterns=["empty_result", "gave_up"] if failed else ["happy_path"])


def write_shard(path, records) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def corrupt(path, line: int, record) -> None:
    """Replace line ``line`` (1-based) of a shard; ``record`` is a dict or raw text."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[line - 1] = (record if isinstance(record, str) else json.dumps(record)) + "\n"
    path.write_text("".join(lines), encoding="utf-8")


@pytest.fixture
def shard(tmp_path):
    path = tmp_path / "part-00000.jsonl"
    write_shard(path, [make_dialogue(i).to_json() for i in range(6)])
    return path


def write_corpus(out, dialogues, shard_size=4) -> Manifest:
    """A corpus directory through the writer, as generate writes it."""
    stats = CorpusStats()
    with CorpusWriter(out) as writer:
        for i, d in enumerate(dialogues):
            writer.write(i // shard_size, d.to_line() + "\n")
            stats.add(d)
        manifest = Manifest(format=FORMAT_VERSION, dialogsim_version="0", scenario="flights", source_hash="h",
                            seed=0, n=len(dialogues), shard_size=shard_size, shards=writer.close_shards(),
                            stats=stats.to_json())
        writer.commit(manifest.dumps())
    return manifest


# -- reading ----------------------------------------------------------------------------


def test_read_corpus_round_trips_a_shard(shard):
    assert list(read_corpus(shard)) == [make_dialogue(i) for i in range(6)]


def test_dumps_line_is_the_dialogue_line():
    d = make_dialogue(3)
    assert dumps_line(d.to_json()) == d.to_line()


def test_read_corpus_reads_a_directory_without_manifest_in_file_order(tmp_path):
    write_shard(tmp_path / "b.jsonl", [make_dialogue(1).to_json()])
    write_shard(tmp_path / "a.jsonl", [make_dialogue(0).to_json()])
    with pytest.warns(CorpusWarning, match="no manifest.json"):  # nothing to check line counts against
        assert [d.id for d in read_corpus(tmp_path)] == ["flights-0000000", "flights-0000001"]


@pytest.mark.parametrize("line, field, message", [
    ("{not json", "", "invalid JSON"),
    ("", "", "empty line"),
    ("[1, 2]", "", "a dialogue must be a JSON object, got an array"),
])
def test_unparsable_lines_name_file_and_line(shard, line, field, message):
    corrupt(shard, 3, line)
    with pytest.raises(CorpusError) as info:
        list(read_corpus(shard))
    err = info.value
    assert (err.path, err.line, err.field) == (str(shard), 3, field)
    assert message in err.message
    assert str(err).startswith(f"{shard}:3: ")
    assert "\n" not in str(err)


def _record(index: int = 0) -> dict:
    return json.loads(make_dialogue(index).to_line())


def _without(record, *path):
    *parents, key = path
    target = record
    for p in parents:
        target = target[p]
    del target[key]
    return record


def _with(record, value, *path):
    *parents, key = path
    target = record
    for p in parents:
        target = target[p]
    target[key] = value
    return record


@pytest.mark.parametrize("record, field, message", [
    (_without(_record(), "id"), "", "missing field 'id'"),
    (_with(_record(), 7, "id"), "id", "expected a string, got a number"),
    (_with(_record(), 2, "format"), "format", "unsupported corpus format 2"),
    (_without(_record(), "format"), "", "missing field 'format'"),
    (_with(_record(), "won", "outcome"), "outcome", "must be one of completed, failed"),
    (_with(_record(), [], "goal", "apis"), "goal.apis", "non-empty array"),
    (_with(_record(), "x", "turns"), "turns", "expected an array, got a string"),
    (_with(_record(), "bot", "turns", 1, "speaker"), "turns[1].speaker", "must be 'user' or 'system'"),
    (_with(_record(), "shout", "turns", 0, "acts", 1, "act"), "turns[0].acts[1].act", "unknown act 'shout'"),
    (_with(_record(), "20", "turns", 0, "spans", 0, "start"), "turns[0].spans[0].start", "expected an integer"),
    (_with(_record(), 99, "turns", 0, "spans", 0, "end"), "turns[0].spans[0]",
     "end 99 is beyond the text (27 characters)"),
    (_with(_record(), 30, "turns", 0, "spans", 0, "start"), "turns[0].spans[0]", "0 <= start < end"),
    (_without(_record(), "turns", 1, "actions", 0, "args", "destination", "value"),
     "turns[1].actions[0].args.destination", "missing field 'value'"),
    (_with(_record(), [0, 3], "turns", 1, "actions", 0, "args", "destination", "ref"),
     "turns[1].actions[0].args.destination.ref", "turns[0].spans[3], which does not exist"),
    (_with(_record(), [1, 0], "turns", 1, "actions", 0, "args", "destination", "ref"),
     "turns[1].actions[0].args.destination.ref", "turns[1], which does not come before it"),
    (_with(_record(), ["api", 1, 1], "turns", 1, "actions", 1, "args", "flights", "ref"),
     "turns[1].actions[1].args.flights.ref", "does not come before it"),
    (_with(_record(), ["api", 0, 0], "turns", 1, "actions", 1, "args", "flights", "ref"),
     "turns[1].actions[1].args.flights.ref", "which is not an API call"),
    (_with(_record(), "maybe", "turns", 1, "actions", 0, "status"), "turns[1].actions[0].status", "must be one of"),
    (_with(_record(), "call", "turns", 1, "actions", 0, "kind"), "turns[1].actions[0].kind", "'api' or 'response'"),
    (_with(_record(), "typos", "turns", 0, "augmented"), "turns[0].augmented", "expected an array, got a string"),
    (_with(_record(), [3], "turns", 0, "augmented"), "turns[0].augmented[0]", "expected an augmenter name"),
    # an optional field may be left out, not be null: the readers take a present field to be of its type
    (_with(_record(), None, "patterns"), "patterns", "expected an array, got null"),
    (_with(_record(), None, "turns", 0, "spans"), "turns[0].spans", "expected an array, got null"),
    (_with(_record(), None, "turns", 1, "actions", 0, "args"), "turns[1].actions[0].args", "expected an object, got null"),
    (_with(_record(), None, "turns", 1, "actions", 0, "status"), "turns[1].actions[0].status",
     "expected a string, got null"),
])
def test_malformed_records_name_the_field(shard, record, field, message):
    corrupt(shard, 2, record)
    with pytest.raises(CorpusError) as info:
        list(read_corpus(shard))
    err = info.value
    assert (err.line, err.field) == (2, field)
    assert message in err.message
    assert str(err) == (f"{shard}:2: {field}: {err.message}" if field else f"{shard}:2: {err.message}")


def test_null_fields_are_corpus_errors_for_the_statistics_too(shard):
    corrupt(shard, 2, _with(_record(), None, "patterns"))
    with pytest.raises(CorpusError, match=r":2: patterns: expected an array, got null"):
        corpus_stats(shard)


def test_records_before_the_bad_line_are_yielded(shard):
    corrupt(shard, 4, "{")
    reader = read_corpus(shard)
    assert [next(reader).id for _ in range(3)] == [f"flights-000000{i}" for i in range(3)]
    with pytest.raises(CorpusError):
        next(reader)


def test_invalid_utf8_is_a_corpus_error(shard):
    shard.write_bytes(shard.read_bytes() + b'{"id": "\xff"}\n')
    with pytest.raises(CorpusError, match=r":7: not UTF-8"):
        list(read_corpus(shard))


def test_missing_path_is_a_corpus_error(tmp_path):
    with pytest.raises(CorpusError, match="no such corpus"):
        list(read_corpus(tmp_path / "nope"))
    with pytest.raises(CorpusError, match="not a corpus directory"):
        list(read_corpus(tmp_path))


# -- manifest and writer ----------------------------------------------------------------


def test_writer_shards_and_manifest(tmp_path):
    out = tmp_path / "corpus"
    dialogues = [make_dialogue(i) for i in range(10)]
    manifest = write_corpus(out, dialogues)
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "part-00000.jsonl", "part-00001.jsonl",
                                                     "part-00002.jsonl"]
    assert [s.lines for s in manifest.shards] == [4, 4, 2]
    assert read_manifest(out) == manifest
    assert list(read_corpus(out)) == dialogues == list(read_corpus(out / MANIFEST))
    assert corpus_stats(out) == dict(manifest.stats)
    assert [p.name for p in tmp_path.iterdir()] == ["corpus"]  # no temporary directory left


def test_manifest_text_is_deterministic_and_sorted(tmp_path):
    a = write_corpus(tmp_path / "a", [make_dialogue(i) for i in range(5)])
    b = write_corpus(tmp_path / "b", [make_dialogue(i) for i in range(5)])
    text = (tmp_path / "a" / MANIFEST).read_text()
    assert text == (tmp_path / "b" / MANIFEST).read_text() == a.dumps() == b.dumps()
    assert list(json.loads(text)) == sorted(json.loads(text))
    assert str(tmp_path) not in text


def test_truncated_or_edited_shard_is_detected(tmp_path):
    out = tmp_path / "corpus"
    write_corpus(out, [make_dialogue(i) for i in range(8)])
    part = out / "part-00001.jsonl"
    lines = part.read_text().splitlines(keepends=True)
    part.write_text("".join(lines[:-1]))
    with pytest.raises(CorpusError, match=r"part-00001.jsonl: has 3 lines but manifest.json lists 4"):
        list(read_corpus(out))
    part.write_text("".join(lines[:-1]) + make_dialogue(99).to_line() + "\n")
    with pytest.raises(CorpusError, match=r"part-00001.jsonl: sha256 does not match manifest.json"):
        list(read_corpus(out))
    part.unlink()
    with pytest.raises(CorpusError, match="part-00001.jsonl: shard listed in manifest.json is missing"):
        list(read_corpus(out))


@pytest.mark.parametrize("edit, match", [
    (lambda m: "{", r"manifest.json:1: invalid JSON"),
    (lambda m: json.dumps({**m, "format": 9}), r"manifest.json: format: unsupported corpus format 9"),
    (lambda m: json.dumps({k: v for k, v in m.items() if k != "seed"}), r"manifest.json: seed: missing field"),
    (lambda m: json.dumps({**m, "shards": [{"name": "../x.jsonl", "lines": 1, "sha256": ""}]}),
     r"shards\[0\].name: '../x.jsonl' is not a shard file name"),
    (lambda m: json.dumps({**m, "shards": m["shards"] * 2, "n": 2}),
     r"manifest.json: shards\[1\].name: 'part-00000.jsonl' is listed twice"),
    (lambda m: json.dumps({**m, "n": "10"}), r"manifest.json: n: expected an integer, got a string"),
    (lambda m: json.dumps({**m, "n": 10}), r"manifest.json: shards: the shards hold 1 lines but n is 10"),
])
def test_bad_manifest_is_a_corpus_error(tmp_path, edit, match):
    out = tmp_path / "corpus"
    write_corpus(out, [make_dialogue(0)])
    path = out / MANIFEST
    path.write_text(edit(json.loads(path.read_text())))
    with pytest.raises(CorpusError, match=match):
        read_manifest(out)


def test_writer_without_commit_leaves_previous_corpus(tmp_path):
    out = tmp_path / "corpus"
    write_corpus(out, [make_dialogue(i) for i in range(3)])
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(KeyboardInterrupt):
        with CorpusWriter(out) as writer:
            writer.write(0, make_dialogue(7).to_line() + "\n")
            raise KeyboardInterrupt
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["corpus"]


def test_writer_replaces_a_previous_corpus(tmp_path):
    out = tmp_path / "corpus"
    write_corpus(out, [make_dialogue(i) for i in range(9)])
    write_corpus(out, [make_dialogue(i) for i in range(2)])
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "part-00000.jsonl"]
    assert [p.name for p in tmp_path.iterdir()] == ["corpus"]


def test_writer_refuses_what_is_not_a_corpus(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("keep me")
    with pytest.raises(CorpusError, match="refusing to overwrite: the directory is not empty and has no manifest"):
        CorpusWriter(tmp_path / "notes")
    (tmp_path / "file").write_text("x")
    with pytest.raises(CorpusError, match="exists and is not a directory"):
        check_target(tmp_path / "file")
    (tmp_path / "empty").mkdir()
    assert check_target(tmp_path / "empty") == (tmp_path / "empty").absolute()
    (tmp_path / "link").symlink_to(tmp_path / "empty")
    with pytest.raises(CorpusError, match="is a symbolic link"):
        check_target(tmp_path / "link")
    assert (tmp_path / "notes" / "todo.txt").read_text() == "keep me"


def test_writer_rejects_shards_out_of_order(tmp_path):
    with CorpusWriter(tmp_path / "c") as writer:
        writer.write(1, "x\n")
        with pytest.raises(ValueError, match="shard 0 written after shard 1"):
            writer.write(0, "y\n")


def test_manifest_json_round_trip():
    manifest = Manifest(format=FORMAT_VERSION, dialogsim_version="0.1.0", scenario="flights", source_hash="abc",
                        seed=3, n=2, shard_size=10, shards=[ShardInfo(name="part-00000.jsonl", lines=2, sha256="0")],
                        simulation={"max_turns": 40}, variation={"typos": 0.1},
                        values={"holdout": 0.2, "split": "test"}, stats={"dialogues": 2})
    assert Manifest.from_json(json.loads(manifest.dumps())) == manifest
    assert json.loads(manifest.dumps())["values"] == {"holdout": 0.2, "split": "test"}


def test_manifest_without_values_reads_as_the_whole_catalogue():
    """Manifests written before the values split was recorded still load."""
    manifest = Manifest(format=FORMAT_VERSION, dialogsim_version="0.1.0", scenario="flights", source_hash="abc",
                        seed=3, n=0, shard_size=10, shards=[])
    raw = json.loads(manifest.dumps())
    del raw["values"]
    assert Manifest.from_json(raw).values == {"holdout": 0.0, "split": "train"} == manifest.values
    with pytest.raises(CorpusError, match="values: expected an object"):
        Manifest.from_json(dict(raw, values=[0.2, "test"]))


def test_corpus_errors_are_dialogsim_errors():
    assert issubclass(CorpusError, DialogsimError) and issubclass(CorpusError, ValueError)


# -- statistics -------------------------------------------------------------------------


def test_stats_report_every_pattern_even_at_zero():
    stats = CorpusStats()
    for i in range(10):
        stats.add(make_dialogue(i))
    figures = stats.to_json()
    assert list(figures["patterns"])[: len(PATTERNS)] == list(PATTERNS)
    assert figures["patterns"]["happy_path"] == {"count": 8, "share": 0.8}
    assert figures["patterns"]["anaphora"] == {"count": 0, "share": 0.0}
    assert figures["dialogues"] == 10
    assert figures["outcomes"] == {"completed": 8, "failed": 2}
    assert figures["turns"] == {"total": 30, "mean": 3.0, "min": 2, "max": 4, "histogram": {"2": 5, "4": 5}}
    assert figures["user_turns"] == 15
    assert figures["api_calls"] == {"SearchFlight": {"calls": 10, "ok": 8, "empty": 2}}
    # 4 distinct search requests + "thanks, bye"
    assert figures["distinct"]["user_utterances"] == {"count": 5, "exact": True}
    assert figures["unique_user_utterance_share"] == round(5 / 15, 6)


def test_stats_accept_dialogues_or_records():
    a, b = CorpusStats(), CorpusStats()
    for i in range(7):
        a.add(make_dialogue(i))
        b.add(json.loads(make_dialogue(i).to_line()))
    assert a.to_json() == b.to_json()


def test_stats_merge_equals_one_pass():
    whole, left, right = CorpusStats(), CorpusStats(), CorpusStats()
    for i in range(20):
        whole.add(make_dialogue(i))
        (left if i % 3 else right).add(make_dialogue(i))
    merged = pickle.loads(pickle.dumps(left)).merge(pickle.loads(pickle.dumps(right)))
    assert merged.to_json() == whole.to_json()


def test_stats_of_nothing():
    figures = CorpusStats().to_json()
    assert figures["dialogues"] == 0 and figures["turns"]["mean"] == 0.0
    assert all(p["share"] == 0.0 for p in figures["patterns"].values())


def test_unlisted_patterns_are_reported_after_the_listed_ones():
    stats = CorpusStats(patterns=("happy_path",))
    stats.add(make_dialogue(4))
    assert list(stats.to_json()["patterns"]) == ["happy_path", "empty_result", "gave_up"]


def test_distinct_counter_is_exact_below_k():
    counter = DistinctCounter(k=1000)
    for i in range(5000):
        counter.add(f"utterance {i % 999}")
    assert counter.exact and counter.count() == 999


def test_distinct_counter_estimates_above_k():
    counter = DistinctCounter(k=4096)
    for i in range(60_000):
        counter.add(f"utterance {i}")
        counter.add(f"utterance {i // 3}")
    assert not counter.exact
    assert abs(counter.count() - 60_000) / 60_000 < 0.05  # 1.6% standard error at k = 4096


def test_distinct_counter_is_stable_across_processes_and_pickling():
    counter = DistinctCounter(k=64)
    counter.update(f"u{i}" for i in range(1000))
    clone = pickle.loads(pickle.dumps(counter))
    assert clone.count() == counter.count()
    assert counter.count() == 898  # CRC-32/Adler-32 + SplitMix64, not the salted hash(): a fixed figure
    clone.update(f"u{i}" for i in range(1000, 2000))
    assert clone.count() != counter.count()


def test_distinct_counter_rejects_bad_k():
    with pytest.raises(ValueError):
        DistinctCounter(k=1)
    with pytest.raises(ValueError, match="cannot merge"):
        DistinctCounter(k=8).merge(DistinctCounter(k=16))


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.text(max_size=4), max_size=200), cuts=st.lists(st.integers(0, 200), max_size=4),
       k=st.integers(2, 40))
def test_distinct_counter_merge_is_independent_of_the_split(values, cuts, k):
    whole = DistinctCounter(k)
    whole.update(values)
    bounds = [0, *sorted(min(c, len(values)) for c in cuts), len(values)]
    parts = []
    for lo, hi in zip(bounds, bounds[1:]):
        part = DistinctCounter(k)
        part.update(reversed(values[lo:hi]))
        parts.append(part)
    merged = DistinctCounter(k)
    for part in reversed(parts):
        merged.merge(part)
    assert merged.count() == whole.count()
    if len(set(values)) < k:
        assert whole.exact and whole.count() == len(set(values))


def test_iter_records_yields_checked_json(shard):
    records = list(iter_records(shard))
    assert records == [json.loads(make_dialogue(i).to_line()) for i in range(6)]


def _with_unresolved(dialogue: Dialogue) -> Dialogue:
    """``dialogue`` with its first call's argument marked as of unknown source."""
    call = dialogue.turns[1].actions[0]
    arg = call.args["destination"]
    fixed = ApiCall(name=call.name, args={"destination": Arg(value=arg.value, unresolved=True)},
                    status=call.status, result=call.result)
    return Dialogue(id=dialogue.id, scenario=dialogue.scenario, goal=dialogue.goal,
                    turns=[dialogue.turns[0], SystemTurn(actions=[fixed, *dialogue.turns[1].actions[1:]]),
                           *dialogue.turns[2:]],
                    outcome=dialogue.outcome, patterns=dialogue.patterns)


def test_an_unresolved_argument_round_trips(tmp_path):
    dialogue = _with_unresolved(make_dialogue(0))
    assert dialogue.to_json()["turns"][1]["actions"][0]["args"]["destination"] == \
           {"value": "Seattle", "ref": None, "unresolved": True}
    write_corpus(tmp_path / "c", [dialogue, make_dialogue(1)])
    back = list(read_corpus(tmp_path / "c"))
    assert back == [dialogue, make_dialogue(1)]
    assert back[0].turns[1].actions[0].args["destination"].unresolved
    assert back[0].to_line() == dialogue.to_line()


def test_a_resolved_argument_writes_no_unresolved_key():
    assert "unresolved" not in make_dialogue(0).to_line()  # simulated corpora keep their bytes
    with pytest.raises(ValueError, match="unresolved argument has no ref"):
        Arg(value="Seattle", ref=SpanRef(0, 0), unresolved=True)


@pytest.mark.parametrize("arg, message", [
    ({"value": "Seattle", "ref": [0, 0], "unresolved": True}, 'must have "ref": null'),
    ({"value": "Seattle", "ref": None, "unresolved": "yes"}, "expected a boolean, got a string"),
])
def test_a_bad_unresolved_flag_names_its_field(shard, arg, message):
    record = make_dialogue(2).to_json()
    record["turns"][1]["actions"][0]["args"]["destination"] = arg
    corrupt(shard, 3, record)
    with pytest.raises(CorpusError) as info:
        list(read_corpus(shard))
    assert (info.value.line, info.value.field) == (3, "turns[1].actions[0].args.destination.unresolved")
    assert message in info.value.message
