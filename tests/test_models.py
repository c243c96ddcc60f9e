"""The dialogue-manager models: training, the model directory, evaluation, the bot, the
encoder cache and the CLI commands, on a tiny randomly initialised BERT-style encoder the
test builds itself (a WordPiece vocabulary from the corpus's words), so no download and a
few seconds of CPU."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import types
from pathlib import Path

import attrs
import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

import dialogsim  # noqa: E402
from dialogsim.cli import main  # noqa: E402
from dialogsim.dialogue import (  # noqa: E402,E501
    Act,
    ActRef,
    ApiCall,
    ApiRef,
    ApiStatus,
    Arg,
    Dialogue,
    Response,
    Span,
    SpanRef,
    SystemTurn,
    UserAct,
    UserTurn,
)
from dialogsim.models.encoder import Encoder, resolve_device  # noqa: E402
from dialogsim.models.errors import ModelError  # noqa: E402
from dialogsim.models.features import Features, Vocab, bio_labels, decode_spans  # noqa: E402
from dialogsim.models.metrics import evaluate  # noqa: E402
from dialogsim.models.runtime import DialogueManager, Session, load  # noqa: E402
from dialogsim.models.state import Proposal  # noqa: E402
from dialogsim.models.training import TrainConfig, train  # noqa: E402

FLIGHTS = Path(dialogsim.scenarios.path("flights"))


@pytest.fixture(scope="module", autouse=True)
def _one_thread():
    """Tiny models gain nothing from threads, and the CI machine is shared."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def scenario():
    return dialogsim.load_scenario(FLIGHTS)


@pytest.fixture(scope="module")
def corpus(scenario, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "flights"
    dialogsim.generate(scenario, 40, out, seed=5)
    return out


@pytest.fixture(scope="module")
def tiny_encoder(corpus, tmp_path_factory) -> Path:
    return _tiny_encoder(corpus, tmp_path_factory.mktemp("encoder"))


def _tiny_encoder(corpus: Path, out: Path, layers: int = 1) -> Path:
    """A 1-layer (``layers``), 32-wide BERT with a WordPiece vocabulary of the corpus's
    words (plus single characters, so an unseen word still tokenises), saved as a model
    directory."""
    from transformers import BertConfig, BertModel, BertTokenizerFast

    words = set()
    for d in dialogsim.read_corpus(corpus):
        for t in d.turns:
            if isinstance(t, UserTurn):
                words.update(re.findall(r"\w+|[^\w\s]", t.text.lower()))
    chars = [chr(c) for c in range(ord("a"), ord("z") + 1)] + [str(i) for i in range(10)]
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *sorted(words), *chars, *(f"##{c}" for c in chars)]
    (out / "vocab.txt").write_text("\n".join(dict.fromkeys(vocab)) + "\n", encoding="utf-8")
    tokenizer = BertTokenizerFast(vocab_file=str(out / "vocab.txt"), do_lower_case=True)
    torch.manual_seed(0)
    model = BertModel(BertConfig(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=layers, num_attention_heads=2,
                                 intermediate_size=64, max_position_embeddings=160))
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


def _config(encoder: Path, **changes) -> TrainConfig:
    return TrainConfig(**{"epochs": 4, "batch_size": 8, "encoder": str(encoder), "validation": 0.1, "hidden": 32,
                          "learning_rate": 5e-3, **changes})


@pytest.fixture(scope="module")
def trained(scenario, corpus, tiny_encoder, tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache")
    out = tmp_path_factory.mktemp("models") / "flights-model"
    return train(scenario, str(corpus), out, _config(tiny_encoder), cache_dir=cache), cache


def _run(manager, dialogues):
    """Every user turn of ``dialogues`` through ``manager``: spans, actions and argument keys."""
    out = []
    for d in dialogues:
        session = Session(manager.scenario)
        for t in d.turns:
            if isinstance(t, UserTurn):
                result = manager.turn(session, t.text, lambda name, args: (ApiStatus.OK, {}))
                out.append(([(s.start, s.end, s.slot, s.value) for s in result.spans], result.values,
                            [(p.name, {k: c.key for k, c in p.args.items()}) for p in result.actions]))
    return out


# -- training ---------------------------------------------------------------------------
def test_training_loss_falls(trained):
    report, _ = trained
    losses = report.losses
    assert len(report.epochs) == 4
    assert sum(losses[-3:]) / 3 < sum(losses[:3]) / 3
    assert report.epochs[-1].loss < report.epochs[0].loss
    assert all(e.validation is not None and e.validation.dialogues == 4 for e in report.epochs)


def test_save_then_load_gives_identical_predictions(trained, corpus):
    report, cache = trained
    loaded = load(report.model_dir, cache_dir=cache)
    dialogues = list(dialogsim.read_corpus(corpus))[:6]
    assert _run(loaded, dialogues) == _run(report.manager, dialogues)
    assert evaluate(loaded, dialogues) == evaluate(report.manager, dialogues)


def test_training_is_reproducible(scenario, corpus, tiny_encoder, tmp_path, trained):
    report, cache = trained
    again = train(scenario, str(corpus), tmp_path / "again", _config(tiny_encoder), cache_dir=cache)
    assert again.losses == report.losses
    first = report.manager.networks.state_dict()
    assert all(torch.equal(first[k], v) for k, v in again.manager.networks.state_dict().items())


def test_ner_alone_trains_from_dialogue_values(scenario, corpus, tiny_encoder, tmp_path, trained):
    _, cache = trained
    dialogues = list(dialogsim.read_corpus(corpus))
    report = train(scenario, dialogues, tmp_path / "ner", _config(tiny_encoder, epochs=2, components=("ner",)),
                   cache_dir=cache)
    config = json.loads((report.model_dir / "config.json").read_text())
    assert config["components"] == ["ner"]
    assert report.losses[-1] < report.losses[0]


def test_the_tagger_reads_catalogue_matches_unless_trained_without(scenario, corpus, tiny_encoder, tmp_path,
                                                                  trained):
    report, cache = trained
    assert load(report.model_dir, cache_dir=cache).gazetteer is not None
    plain = train(scenario, str(corpus), tmp_path / "plain",
                  _config(tiny_encoder, epochs=1, components=("ner",), gazetteer=False), cache_dir=cache)
    config_path = plain.model_dir / "config.json"
    config = json.loads(config_path.read_text())
    assert config["sizes"]["token"] == 4 and config["training"]["gazetteer"] is False
    # a model directory from before the catalogue matches (no "token" size) and the values
    # said without a span (no "values" size or vocabulary) still loads
    del config["sizes"]["token"], config["sizes"]["values"], config["vocab"]["values"]
    config_path.write_text(json.dumps(config))
    old = load(plain.model_dir, cache_dir=cache)
    assert old.gazetteer is None
    dialogues = list(dialogsim.read_corpus(corpus))[:2]
    assert _run(old, dialogues) == _run(plain.manager, dialogues)


def test_a_model_from_before_the_reworded_feature_still_loads_and_runs(trained, corpus, tmp_path):
    """Model directories written before the action model read which slots were said in
    other words (smaller turn and step vectors) load and answer with vectors of their size."""
    from safetensors.torch import save_file

    from dialogsim.models.networks import Networks

    report, cache = trained
    assert report.manager.features.reworded
    old_dir = tmp_path / "old"
    shutil.copytree(report.model_dir, old_dir)
    config = json.loads((old_dir / "config.json").read_text())
    slots = len(config["vocab"]["slots"])
    config["sizes"]["turn_size"] -= slots
    config["sizes"]["step_size"] -= slots
    (old_dir / "config.json").write_text(json.dumps(config))
    torch.manual_seed(0)
    save_file(Networks(**config["sizes"]).state_dict(), str(old_dir / "weights.safetensors"))
    old = load(old_dir, cache_dir=cache)
    assert not old.features.reworded and old.features.turn_size == config["sizes"]["turn_size"]
    runs = _run(old, list(dialogsim.read_corpus(corpus))[:2])
    assert runs and all(actions for _, _, actions in runs)


def test_finetuned_encoder_is_saved_and_reloaded(scenario, corpus, tiny_encoder, tmp_path):
    dialogues = list(dialogsim.read_corpus(corpus))[:12]
    report = train(scenario, dialogues, tmp_path / "ft", _config(tiny_encoder, epochs=1, finetune=True, validation=0.0))
    assert (report.model_dir / "encoder" / "config.json").is_file()
    loaded = load(report.model_dir)
    assert _run(loaded, dialogues[:3]) == _run(report.manager, dialogues[:3])


def test_training_refuses_to_overwrite_what_is_not_a_model(scenario, corpus, tiny_encoder, tmp_path):
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    with pytest.raises(ModelError, match="refusing to overwrite"):
        train(scenario, str(corpus), target, _config(tiny_encoder))
    assert (target / "notes.txt").read_text() == "keep me"


def test_a_corpus_of_another_scenario_is_refused(scenario, tiny_encoder, tmp_path):
    weather = dialogsim.load_scenario(dialogsim.scenarios.path("weather"))
    with pytest.raises(ModelError, match="scenario 'weather'"):
        train(scenario, list(dialogsim.simulate(weather, 2, seed=1)), tmp_path / "m", _config(tiny_encoder))


# -- the model directory ----------------------------------------------------------------
@pytest.mark.parametrize("damage, message", [
    (lambda d: (d / "weights.safetensors").unlink(), "weights.safetensors: missing"),
    (lambda d: (d / "config.json").unlink(), "config.json: missing"),
    (lambda d: (d / "config.json").write_text(
        (d / "config.json").read_text().replace('"format": 1', '"format": 99')), "model format 99"),
    (lambda d: (d / "scenario.yaml").write_text((d / "scenario.yaml").read_text() + "\n# edited\n"),
     "does not match the hash"),
    (lambda d: (d / "weights.safetensors").write_bytes(b"not safetensors"), "weights.safetensors: unreadable"),
])
def test_a_damaged_model_directory_is_one_clear_error(trained, tmp_path, damage, message):
    report, cache = trained
    copy = tmp_path / "copy"
    shutil.copytree(report.model_dir, copy)
    damage(copy)
    with pytest.raises(ModelError, match=re.escape(message)):
        load(copy, cache_dir=cache)


def test_cli_errors_are_one_line_and_exit_2(trained, tmp_path, runner):
    report, _ = trained
    weather = tmp_path / "weather"
    dialogsim.generate(dialogsim.load_scenario(dialogsim.scenarios.path("weather")), 2, weather, seed=1)
    for args, expected in [
        (["evaluate", str(report.model_dir), str(weather)], "is of scenario 'weather'"),
        (["evaluate", str(tmp_path), str(weather)], "config.json: missing"),
        (["chat", str(report.model_dir), "--device", "cuda:7"], "cuda:7"),
    ]:
        result = runner.invoke(main, args)
        assert result.exit_code == 2, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and expected in lines[0]


# -- evaluation on a hand-made corpus with known errors -----------------------------------
def _hand_made(scenario) -> list[Dialogue]:
    goal = next(iter(dialogsim.simulate(scenario, 1, seed=1))).goal
    flights = ({"airline": "Delta", "departure_time": "9 am", "price": "$89"},
               {"airline": "United", "departure_time": "noon", "price": "$120"})

    def dialogue(name, turns):
        return Dialogue(id=name, scenario="flights", goal=goal, turns=turns, outcome="completed")

    a = dialogue("a", [
        UserTurn(text="Denver to Boston Monday", acts=[UserAct(act="invoke", api="SearchFlight")],
                 spans=[Span(start=0, end=6, slot="origin", type="City", value="Denver"),
                        Span(start=10, end=16, slot="destination", type="City", value="Boston"),
                        Span(start=17, end=23, slot="date", type="Date", value="Monday")]),
        SystemTurn(actions=[
            ApiCall(name="SearchFlight", args={"origin": Arg(value="Denver", ref=SpanRef(0, 0)),
                                               "destination": Arg(value="Boston", ref=SpanRef(0, 1)),
                                               "date": Arg(value="Monday", ref=SpanRef(0, 2)),
                                               "airline": Arg(value="any airline", ref=None)},
                    result={"flights": flights}),
            Response(name="inform_SearchFlight", args={"flights": Arg(value=flights, ref=ApiRef(1, 0))}),
            Response(name="offer_BookFlight")]),
        UserTurn(text="no thanks", acts=[UserAct(act="deny")]),
        SystemTurn(actions=[Response(name="reqmore")]),
    ])
    b = dialogue("b", [
        UserTurn(text="to Boston", acts=[UserAct(act="inform", slot="destination")],
                 spans=[Span(start=3, end=9, slot="destination", type="City", value="Boston")]),
        SystemTurn(actions=[Response(name="request_origin")]),
        UserTurn(text="from Denver", acts=[UserAct(act="inform", slot="origin")],
                 spans=[Span(start=5, end=11, slot="origin", type="City", value="Denver")]),
        SystemTurn(actions=[Response(name="request_date")]),
    ])
    c = dialogue("c", [UserTurn(text="hi", acts=[]), SystemTurn(actions=[Response(name="reqmore")])])
    return [a, b, c]


class _Scripted(DialogueManager):
    """A manager whose 'models' are scripts: known spans, actions and argument choices,
    so that every figure of ``evaluate`` can be worked out by hand."""

    SPANS = {  # the NER misses "Monday" and tags a spurious "from"
        "Denver to Boston Monday": [("origin", 0, 6), ("destination", 10, 16)],
        "to Boston": [("destination", 3, 9)],
        "from Denver": [("destination", 0, 4), ("origin", 5, 11)],
    }
    ACTIONS = {  # by utterance, then by the number of actions already in the turn
        "Denver to Boston Monday": ["SearchFlight", "inform_SearchFlight", "offer_BookFlight", "stop"],
        "no thanks": ["reqmore", "stop"],
        "to Boston": ["request_origin", "stop"],
        "from Denver": ["request_date", "request_cabin", "stop"],  # request_cabin: the stop was wrong
        "hi": ["reqmore", "stop"],
    }

    def __init__(self, scenario):
        self.scenario = scenario
        self.vocab = Vocab.of(scenario)
        self.encoder = types.SimpleNamespace(encode=lambda texts, persist=True: [None for _ in texts])

    def encode(self, texts):
        return [None for _ in texts]

    def tag(self, state, text, encoded):
        return [Span(start=s, end=e, slot=slot, type="City", value=text[s:e]) for slot, s, e in self.SPANS.get(text, [])]

    def recognise(self, state, encoded):
        return ()

    def begin(self, session, text, spans, encoded, values=()):
        session.state.user(text, spans, values)
        return None, text, True

    def propose(self, state, hidden, utterance, affirmed):
        name = self.ACTIONS[utterance][len(state.current)]
        if name == "stop":
            return Proposal(name="stop"), name
        return Proposal(name=name, args=self.fill(state, hidden, utterance, name),
                        intervened=name == "request_cabin"), name

    def fill(self, state, hidden, utterance, name):
        out = {}
        for arg in state.arg_names(name):
            pool = [c for c in state.candidates(name, arg) if c.item is None]
            if pool:
                out[arg] = pool[-1]  # the latest span, the latest whole result, or the default
        return out


def test_evaluate_figures_on_a_hand_made_corpus(scenario):
    metrics = evaluate(_Scripted(scenario), _hand_made(scenario))
    # spans: gold 3+0+1+1+0 = 5, predicted 2+0+1+2+0 = 5, right 2+1+1 = 4
    assert (metrics.span_gold, metrics.span_predicted, metrics.span_tp) == (5, 5, 4)
    assert metrics.span_f1 == pytest.approx(0.8)
    # steps along the corpus (stop included): a0 4/4, a1 2/2, b0 2/2, b1 1/2 (request_cabin for stop), c0 2/2
    assert (metrics.actions_right, metrics.actions) == (11, 12)
    # arguments: SearchFlight's four and inform's one; the date has no candidate (the NER missed it)
    assert (metrics.args_right, metrics.args) == (4, 5)
    # turns: a0 has the right actions but not the date; b1 has one action too many
    assert (metrics.sequences_right, metrics.turns_right, metrics.turns) == (4, 3, 5)
    assert (metrics.dialogues_right, metrics.dialogues) == (1, 3)
    assert metrics.interventions == 1
    figures = metrics.to_json()
    assert figures["turn_exact_match"] == pytest.approx(0.6)
    assert figures["action_sequence_exact_match"] == pytest.approx(0.8)
    assert figures["dialogue_success"] == pytest.approx(1 / 3)


def test_evaluate_leaves_unresolved_arguments_unscored(scenario):
    """convert-sgd marks an argument whose source the real dialogue does not show: neither
    the argument nor its turn is counted wrong, whatever the models filled."""
    a, b, c = _hand_made(scenario)
    system = a.turns[1]
    call = attrs.evolve(system.actions[0], args={**system.actions[0].args,
                                                 "date": Arg(value="Monday", ref=None, unresolved=True)})
    a = attrs.evolve(a, turns=[a.turns[0], attrs.evolve(system, actions=[call, *system.actions[1:]]), *a.turns[2:]])
    metrics = evaluate(_Scripted(scenario), [a, b, c])
    assert (metrics.args_right, metrics.args) == (4, 4)  # the date, missed by the NER, is not scored
    assert (metrics.turns_right, metrics.turns) == (4, 5) and (metrics.dialogues_right, metrics.dialogues) == (2, 3)


# -- the bot ----------------------------------------------------------------------------
def test_bot_sends_api_calls_to_the_users_handlers(scenario):
    from dialogsim.bot import Bot

    seen = []

    def search(args):
        seen.append(dict(args))
        return ({"airline": "Delta", "departure_time": "9 am", "price": "$89"},)

    bot = Bot(_Scripted(scenario), {"SearchFlight": search})
    reply = bot.respond("Denver to Boston Monday")
    assert [a.name for a in reply.actions] == ["SearchFlight", "inform_SearchFlight", "offer_BookFlight"]
    assert seen == [{"origin": "Denver", "destination": "Boston", "airline": "any airline"}]
    assert reply.api_calls == reply.actions[:1] and reply.api_calls[0].status is ApiStatus.OK
    assert "Delta" in reply.text and reply.text.startswith(reply.actions[1].text)
    bot.reset()
    assert bot.session.state.index == 0
    with pytest.raises(ValueError, match="NoSuchApi"):
        Bot(_Scripted(scenario), {"NoSuchApi": search})


def test_load_bot_answers_with_the_mock_backend(trained, monkeypatch):
    report, cache = trained
    monkeypatch.setenv("DIALOGSIM_CACHE", str(cache))
    bot = dialogsim.load_bot(report.model_dir)
    reply = bot.respond("find me a flight to Boston")
    assert reply.actions and isinstance(reply.text, str)
    assert all(isinstance(a, (ApiCall, Response)) for a in reply.actions)
    assert bot.session.state.index == 2


# -- encoder, device, NER alignment -------------------------------------------------------
def test_encodings_are_cached_on_disk_and_never_recomputed(tiny_encoder, tmp_path):
    first = Encoder(tiny_encoder, cache_dir=tmp_path)
    encoded = first.encode(["find me a flight", "to Boston"])
    assert list((tmp_path / "encodings" / first.identity).glob("part-*.safetensors"))
    second = Encoder(tiny_encoder, cache_dir=tmp_path)

    def broken(*args, **kwargs):
        raise AssertionError("encoded again")

    second.model.forward = broken
    again = second.encode(["to Boston", "find me a flight"])
    assert torch.equal(again[0].states, encoded[1].states) and torch.equal(again[1].states, encoded[0].states)


def test_device_switch(monkeypatch):
    assert resolve_device("cpu") == torch.device("cpu")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(ModelError, match="no CUDA device"):
        resolve_device("cuda")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    assert resolve_device("cuda") == torch.device("cuda")
    with pytest.raises(ModelError, match="only 1 CUDA"):
        resolve_device("cuda:1")
    with pytest.raises(ModelError, match="must be 'cpu' or 'cuda'"):
        resolve_device("tpu")


def test_bio_labels_decode_back_to_the_corpus_spans(scenario, corpus, tiny_encoder):
    encoder = Encoder(tiny_encoder)
    features = Features(Vocab.of(scenario))
    turns = [t for d in dialogsim.read_corpus(corpus) for t in d.turns if isinstance(t, UserTurn) and t.spans]
    for turn, offsets in zip(turns, encoder.offsets([t.text for t in turns])):
        labels = bio_labels(offsets, turn.spans, features.tag)
        tags = [features.vocab.tags[i] if i >= 0 else "O" for i in labels]
        decoded = decode_spans(turn.text, offsets, tags, scenario)
        assert [(s.start, s.end, s.slot) for s in decoded] == [(s.start, s.end, s.slot) for s in turn.spans]


# -- CLI --------------------------------------------------------------------------------
@pytest.fixture
def runner():
    from click.testing import CliRunner

    return CliRunner()


def test_cli_train_evaluate_chat(corpus, tiny_encoder, trained, tmp_path, runner, monkeypatch):
    _, cache = trained
    monkeypatch.setenv("DIALOGSIM_CACHE", str(cache))
    out = tmp_path / "model"
    result = runner.invoke(main, ["train", str(FLIGHTS), str(corpus), "-o", str(out), "--epochs", "1",
                                  "--encoder", str(tiny_encoder), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "epoch 1/1: loss" in result.output and "held-out: span F1" in result.output
    result = runner.invoke(main, ["evaluate", str(out), str(corpus), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["counts"]["dialogues"] == 40 and 0.0 <= figures["turn_exact_match"] <= 1.0
    result = runner.invoke(main, ["chat", str(out)], input="find me a flight\n/reset\n/quit\n")
    assert result.exit_code == 0, result.output
    assert "bot> " in result.output and "(new conversation)" in result.output


def test_chat_sends_api_calls_to_handlers_given_on_the_command_line(trained, runner, tmp_path, monkeypatch):
    report, cache = trained
    monkeypatch.setenv("DIALOGSIM_CACHE", str(cache))
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "my_handlers.py").write_text("HANDLERS = {'SearchFlight': lambda args: None}\nBAD = 3\n")
    result = runner.invoke(main, ["chat", str(report.model_dir), "--handlers", "my_handlers:HANDLERS"], input="/quit\n")
    assert result.exit_code == 0, result.output
    for spec, expected in [("my_handlers:BAD", "not a mapping"), ("my_handlers", "MODULE:NAME"),
                           ("no_such_module:X", "no_such_module")]:
        result = runner.invoke(main, ["chat", str(report.model_dir), "--handlers", spec])
        assert result.exit_code == 2 and expected in result.output, result.output


def test_without_the_models_extra_the_cli_says_how_to_install_it(corpus, tmp_path, runner, monkeypatch):
    monkeypatch.setitem(sys.modules, "transformers", None)
    result = runner.invoke(main, ["train", str(FLIGHTS), str(corpus), "-o", str(tmp_path / "m")])
    assert result.exit_code == 2
    assert "pip install torch==2.13.0 && pip install 'dialogsim[models]'" in result.output
    assert not (tmp_path / "m").exists()


def test_importing_dialogsim_and_its_cli_does_not_import_torch():
    code = ("import sys, dialogsim, dialogsim.cli, dialogsim.bot, dialogsim.models; "
            "dialogsim.load_bot; assert 'torch' not in sys.modules, 'torch imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


# -- values said without a span ----------------------------------------------------------
def _hourly_scenario(directory: Path):
    """Weather with a boolean the system asks for: "with hourly detail" / "without ...", or
    a yes / no to "Do you want hourly detail?" (the built-in ``Boolean``, labelled without
    a span; optional, so the samples, which never give it, stay valid)."""
    text = Path(dialogsim.scenarios.path("weather")).read_text(encoding="utf-8")
    optional_date = "      date: {type: Date, optional: true, default: today}\n"
    assert optional_date in text
    text = text.replace(optional_date, optional_date + "      hourly: {type: Boolean, say: hourly detail, optional: true, "
                                                       "default: 'false', ask: true}\n")
    text += "\nsimulation: {dont_care: 0.0, optional_value: 0.5}\n"  # every customer gives it, half unasked
    path = directory / "weather_hourly.yaml"
    path.write_text(text.replace("name: weather", "name: weather_hourly", 1), encoding="utf-8")
    return dialogsim.load_scenario(path)


@pytest.fixture(scope="module")
def hourly(tmp_path_factory):
    """The scenario, its corpus (every dialogue gives the boolean: an inform act with a
    value and no span), a tiny encoder, and a model trained on it."""
    work = tmp_path_factory.mktemp("hourly")
    scenario = _hourly_scenario(work)
    corpus = work / "corpus"
    dialogsim.generate(scenario, 60, corpus, seed=3)
    encoder = _tiny_encoder(corpus, tmp_path_factory.mktemp("hourly_encoder"))
    report = train(scenario, str(corpus), work / "model", _config(encoder, epochs=20, batch_size=4, validation=0.0),
                   cache_dir=work / "cache")
    return scenario, corpus, report, work / "cache"


def test_a_boolean_said_without_a_span_is_learned_and_fills_its_argument(hourly):
    scenario, corpus, report, _ = hourly
    dialogues = list(dialogsim.read_corpus(corpus))
    informs = [(a.value, t.spans) for d in dialogues for t in d.turns if isinstance(t, UserTurn) for a in t.acts
               if a.slot == "hourly" and a.act is Act.INFORM]
    assert {v for v, _ in informs} == {"true", "false"}
    assert all(s.slot != "hourly" for _, spans in informs for s in spans)
    manager = report.manager
    assert manager.vocab.values == (("hourly", ("true", "false")),)
    metrics = evaluate(manager, dialogues)
    assert metrics.categorical and metrics.categorical[0][0] == "hourly" and metrics.categorical[0][2] >= len(informs)
    # The tiny random encoder's word states make the value slow to learn (0.0 after 8 epochs,
    # 0.6 after 30, when the spans are already all right): 20 epochs, a loose bar.
    assert metrics.categorical_accuracy >= 0.4, metrics.categorical
    assert metrics.to_json()["categorical_accuracy_hourly"] == metrics.categorical_accuracy
    assert metrics.args_right / metrics.args > 0.9


def test_the_argument_of_a_spanless_value_points_at_its_act(hourly):
    scenario, corpus, report, _ = hourly
    calls = []

    def call(name, args):
        calls.append(args)
        return ApiStatus.OK, {}

    session = Session(scenario)
    result = report.manager.turn(session, "weather in Boston with hourly detail", call,
                                 spans=[Span(start=11, end=17, slot="city", type="City", value="Boston")],
                                 values=((0, "hourly", "true"),))
    assert result.values == ((0, "hourly", "true"),)
    called = [p for p in result.actions if p.name == "GetWeather"]
    assert called and called[0].args["hourly"].key == ("act", 0, "hourly", "true")
    assert calls[0]["hourly"] == Arg(value="true", ref=ActRef(0, 0))


def test_spanless_values_save_and_load_with_identical_predictions(hourly):
    scenario, corpus, report, cache = hourly
    config = json.loads((report.model_dir / "config.json").read_text())
    assert config["vocab"]["values"] == {"hourly": ["true", "false"]} and config["sizes"]["values"] == 3
    loaded = load(report.model_dir, cache_dir=cache)
    dialogues = list(dialogsim.read_corpus(corpus))[:8]
    runs = _run(loaded, dialogues)
    assert runs == _run(report.manager, dialogues)
    assert any(values for _, values, _ in runs)
    assert evaluate(loaded, dialogues) == evaluate(report.manager, dialogues)
