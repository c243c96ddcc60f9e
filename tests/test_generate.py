"""simulate() and generate() end to end on the bundled flights scenario: determinism across
worker counts, the manifest, atomic replacement, refusal to overwrite. (``flights`` is the
shared fixture of conftest.py.)"""

from __future__ import annotations

import hashlib
import json
import warnings

import attrs
import pytest

import dialogsim
from dialogsim import generation
from dialogsim.corpus import MANIFEST, dumps_line, read_corpus, read_manifest
from dialogsim.errors import CorpusError, DialogsimError, ScenarioError
from dialogsim.stats import corpus_stats


def files(directory) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_simulate_yields_the_requested_indices(flights):
    eight = list(dialogsim.simulate(flights, 8, seed=4))
    assert [d.id for d in eight] == [f"flights-4-train-{i:07d}" for i in range(8)]
    assert list(dialogsim.simulate(flights, 3, seed=4, start=5)) == eight[5:]
    assert list(dialogsim.simulate(flights, 0)) == []


def test_simulate_checks_its_arguments(flights):
    with pytest.raises(ValueError, match="n must be an integer >= 0"):
        dialogsim.simulate(flights, -1)
    with pytest.raises(TypeError, match="load_scenario"):
        dialogsim.simulate("scenarios/flights.yaml", 1)


def test_dumps_line_matches_to_line(flights):
    for d in dialogsim.simulate(flights, 20, seed=2):
        assert dumps_line(d.to_json()) == d.to_line()


@pytest.fixture(scope="module")
def corpus_w1(flights, tmp_path_factory):
    out = tmp_path_factory.mktemp("w1") / "corpus"
    manifest = dialogsim.generate(flights, 600, out, seed=7, shard_size=250)
    return out, manifest


def test_corpus_is_byte_identical_for_any_worker_count(flights, corpus_w1, tmp_path):
    out, _ = corpus_w1
    for workers in (2, 3):
        other = tmp_path / f"w{workers}"
        dialogsim.generate(flights, 600, other, seed=7, shard_size=250, workers=workers)
        assert files(other) == files(out)


def test_shards_are_fixed_index_ranges(corpus_w1):
    out, manifest = corpus_w1
    assert [(s.name, s.lines) for s in manifest.shards] == [
        ("part-00000.jsonl", 250), ("part-00001.jsonl", 250), ("part-00002.jsonl", 100)]
    first = (out / "part-00001.jsonl").read_text(encoding="utf-8").splitlines()[0]
    assert json.loads(first)["id"] == "flights-7-train-0000250"


def test_manifest_describes_the_corpus(flights, corpus_w1):
    out, manifest = corpus_w1
    assert read_manifest(out) == manifest
    raw = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert raw["format"] == 1 and raw["dialogsim_version"] == dialogsim.__version__
    assert raw["scenario"] == {"name": "flights", "source_hash": flights.source_hash}
    assert (raw["seed"], raw["n"], raw["shard_size"]) == (7, 600, 250)
    assert raw["simulation"] == json.loads(json.dumps(attrs.asdict(flights.simulation)))
    assert raw["variation"] == json.loads(json.dumps(attrs.asdict(flights.variation)))
    assert raw["values"] == {"holdout": 0.0, "split": "train"}
    for shard in raw["shards"]:
        data = (out / shard["name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == shard["sha256"]
        assert data.count(b"\n") == shard["lines"]
    assert raw["stats"] == corpus_stats(out)
    assert raw["stats"]["dialogues"] == 600
    assert str(out.parent) not in (out / MANIFEST).read_text(encoding="utf-8")


def test_read_corpus_round_trips_simulate(flights, corpus_w1):
    out, _ = corpus_w1
    assert list(read_corpus(out)) == list(dialogsim.simulate(flights, 600, seed=7))


def test_another_seed_gives_another_corpus(flights, corpus_w1, tmp_path):
    out, _ = corpus_w1
    manifest = dialogsim.generate(flights, 600, tmp_path / "c", seed=8, shard_size=250)
    assert manifest.seed == 8
    for name in ("part-00000.jsonl", "part-00001.jsonl", "part-00002.jsonl"):
        assert (tmp_path / "c" / name).read_bytes() != (out / name).read_bytes()


def test_config_override_is_used_and_recorded(flights, tmp_path):
    config = attrs.evolve(flights.simulation, api_failure=1.0, give_up=1.0)
    manifest = dialogsim.generate(flights, 30, tmp_path / "c", config=config)
    assert manifest.simulation["api_failure"] == 1.0
    assert manifest.stats["patterns"]["api_failure"]["count"] == 30
    assert list(read_corpus(tmp_path / "c")) == list(dialogsim.simulate(flights, 30, config=config))


def test_empty_corpus(flights, tmp_path):
    manifest = dialogsim.generate(flights, 0, tmp_path / "c")
    assert manifest.shards == () and manifest.stats["dialogues"] == 0
    assert files(tmp_path / "c").keys() == {MANIFEST}
    assert list(read_corpus(tmp_path / "c")) == []


def test_progress_counts_every_dialogue(flights, tmp_path):
    seen = []
    dialogsim.generate(flights, 70, tmp_path / "c", workers=2, progress=seen.append)
    assert sum(seen) == 70 and len(seen) > 1


def test_generate_checks_its_arguments(flights, tmp_path):
    for kwargs, match in [({"workers": 0}, "workers"), ({"shard_size": 0}, "shard_size"), ({"seed": -1}, "seed"),
                          ({"holdout": 1.0}, "holdout"), ({"holdout": -0.1}, "holdout"),
                          ({"holdout": True}, "holdout"), ({"split": "dev"}, "split"),
                          ({"split": "test"}, "needs holdout > 0")]:
        with pytest.raises(ValueError, match=match):
            dialogsim.generate(flights, 5, tmp_path / "c", **kwargs)
    assert not (tmp_path / "c").exists()


class _Failing:
    """Wraps the real simulator; dialogue ``fail_at`` raises ``error``."""

    def __init__(self, simulator, fail_at, error):
        self.simulator, self.fail_at, self.error = simulator, fail_at, error

    def dialogue(self, seed, index):
        if index == self.fail_at:
            raise self.error
        return self.simulator.dialogue(seed, index)


@pytest.mark.parametrize("workers", [1, 2])
def test_failed_run_leaves_previous_corpus_intact(flights, tmp_path, monkeypatch, workers):
    out = tmp_path / "corpus"
    dialogsim.generate(flights, 40, out, seed=1, shard_size=10)
    before = files(out)
    real = generation._make_simulator
    monkeypatch.setattr(generation, "_make_simulator",
                        lambda *args: _Failing(real(*args), fail_at=170, error=RuntimeError("boom")))
    with pytest.raises(RuntimeError, match="boom"):
        dialogsim.generate(flights, 300, out, seed=2, shard_size=50, workers=workers)
    assert files(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["corpus"]  # no temporary directory left


@pytest.mark.parametrize("workers", [1, 2])
def test_interrupted_run_leaves_previous_corpus_intact(flights, tmp_path, workers):
    out = tmp_path / "corpus"
    dialogsim.generate(flights, 40, out, seed=1, shard_size=10)
    before = files(out)
    done = []

    def interrupt(count):  # Ctrl-C arrives in the parent while shards are being written
        done.append(count)
        if len(done) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        dialogsim.generate(flights, 300, out, seed=2, shard_size=50, workers=workers, progress=interrupt)
    assert files(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["corpus"]


def test_failing_worker_start_is_reported_not_hung(flights, tmp_path, monkeypatch):
    def broken(*args):
        raise ScenarioError("x.yaml", 3, "apis", "broken")

    monkeypatch.setattr(generation, "_make_simulator", broken)
    with pytest.raises(ScenarioError, match="x.yaml:3: apis: broken"):
        dialogsim.generate(flights, 50, tmp_path / "c", workers=2)
    assert list(tmp_path.iterdir()) == []


def test_replaces_a_previous_corpus(flights, tmp_path):
    out = tmp_path / "corpus"
    dialogsim.generate(flights, 30, out, shard_size=10)
    dialogsim.generate(flights, 5, out, shard_size=10, seed=3)
    assert files(out).keys() == {MANIFEST, "part-00000.jsonl"}
    assert [d.id for d in read_corpus(out)] == [f"flights-3-train-{i:07d}" for i in range(5)]
    assert [p.name for p in tmp_path.iterdir()] == ["corpus"]


def test_refuses_to_overwrite_what_is_not_a_corpus(flights, tmp_path):
    out = tmp_path / "thesis"
    out.mkdir()
    (out / "chapter1.tex").write_text("precious")
    with pytest.raises(CorpusError, match="refusing to overwrite") as info:
        dialogsim.generate(flights, 5, out)
    assert isinstance(info.value, DialogsimError)
    assert files(out) == {"chapter1.tex": b"precious"}
    assert [p.name for p in tmp_path.iterdir()] == ["thesis"]


def test_writes_into_an_empty_directory_and_creates_parents(flights, tmp_path):
    (tmp_path / "empty").mkdir()
    dialogsim.generate(flights, 3, tmp_path / "empty")
    dialogsim.generate(flights, 3, tmp_path / "a" / "b" / "c")
    assert files(tmp_path / "empty") == files(tmp_path / "a" / "b" / "c")


@pytest.mark.parametrize("name", dialogsim.scenarios.names())
def test_every_bundled_scenario_writes_a_valid_corpus(name, tmp_path):
    """Each line passes the reader's checks: spans inside their text, references to earlier
    spans and API calls that exist."""
    scenario = dialogsim.load_scenario(dialogsim.scenarios.path(name))
    manifest = dialogsim.generate(scenario, 150, tmp_path / name, seed=11, workers=2)
    assert sum(1 for _ in read_corpus(tmp_path / name)) == 150
    assert manifest.stats == corpus_stats(tmp_path / name)


def test_simulate_checks_the_values_split(flights):
    with pytest.raises(ValueError, match="holdout must be a fraction"):
        dialogsim.simulate(flights, 1, holdout=1.5)
    with pytest.raises(ValueError, match="needs holdout > 0"):
        dialogsim.simulate(flights, 1, split="test")


def span_values(dialogues) -> dict[str, set[str]]:
    """Type -> the canonical values the customer said."""
    out: dict[str, set[str]] = {}
    for d in dialogues:
        for turn in d.turns:
            for span in getattr(turn, "spans", ()):
                out.setdefault(span.type, set()).add(span.value)
    return out


def test_holdout_train_and_test_are_recorded_and_disjoint(flights, tmp_path):
    train = dialogsim.generate(flights, 200, tmp_path / "train", seed=3, holdout=0.3, workers=2)
    test = dialogsim.generate(flights, 200, tmp_path / "test", seed=3, holdout=0.3, split="test")
    assert train.values == {"holdout": 0.3, "split": "train"} and test.values == {"holdout": 0.3, "split": "test"}
    assert read_manifest(tmp_path / "test") == test
    seen_train, seen_test = span_values(read_corpus(tmp_path / "train")), span_values(read_corpus(tmp_path / "test"))
    assert seen_test["City"]  # the test corpus says values too
    for type_name in seen_train.keys() & seen_test.keys():
        assert not seen_train[type_name] & seen_test[type_name], type_name
    assert list(read_corpus(tmp_path / "test")) == list(dialogsim.simulate(flights, 200, seed=3, holdout=0.3,
                                                                          split="test"))


def test_holdout_corpus_is_byte_identical_for_any_worker_count(flights, tmp_path):
    dialogsim.generate(flights, 120, tmp_path / "w1", seed=5, holdout=0.25, split="test")
    dialogsim.generate(flights, 120, tmp_path / "w2", seed=5, holdout=0.25, split="test", workers=2)
    assert files(tmp_path / "w1") == files(tmp_path / "w2")


@pytest.mark.parametrize("workers", [1, 2])
def test_a_skipped_augmenter_warns_once_whatever_the_worker_count(flights, tmp_path, workers):
    from dialogsim.paraphrase.augment import VariationWarning

    variation = attrs.evolve(flights.variation, mlm=0.5)  # no mlm_model: skipped, with a warning
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        manifest = dialogsim.generate(flights, 80, tmp_path / "c", variation=variation, workers=workers)
    messages = [str(w.message) for w in caught if issubclass(w.category, VariationWarning)]
    assert len(messages) == 1 and "mlm" in messages[0]
    assert manifest.stats["language"]["augmented"]["mlm"] == {"turns": 0, "share": 0.0}
