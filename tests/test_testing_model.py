"""``dialogsim test-bot SCENARIO --model DIR``: the simulated customer tests a trained
dialogsim model end to end. The model is tiny and barely trained (a randomly initialised
one-layer encoder, one epoch on a dozen dialogues), so it fails oracles: what is checked is
that its failures come back as a report -- the table, the JSON, exit status 1 -- and never
as a traceback."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import dialogsim
from dialogsim.cli import main
from dialogsim.dialogue import UserTurn

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from dialogsim.models.training import TrainConfig, train  # noqa: E402
from dialogsim.testing import ORACLES  # noqa: E402


@pytest.fixture(scope="module")
def model(tmp_path_factory) -> Path:
    """A weather model on a 1-layer, 16-wide BERT whose WordPiece vocabulary is the
    corpus's words plus single characters (so an unseen word still tokenises)."""
    scenario = dialogsim.load_scenario(dialogsim.scenarios.path("weather"))
    dialogues = list(dialogsim.simulate(scenario, 12, seed=3))
    words = {w for d in dialogues for t in d.turns if isinstance(t, UserTurn)
             for w in re.findall(r"\w+|[^\w\s]", t.text.lower())}
    chars = [chr(c) for c in range(ord("a"), ord("z") + 1)] + [str(i) for i in range(10)]
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *sorted(words), *chars, *(f"##{c}" for c in chars)]
    encoder = tmp_path_factory.mktemp("encoder")
    (encoder / "vocab.txt").write_text("\n".join(dict.fromkeys(vocab)) + "\n", encoding="utf-8")
    tokenizer = transformers.BertTokenizerFast(vocab_file=str(encoder / "vocab.txt"), do_lower_case=True)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # a tiny model gains nothing from threads; the CI machine is shared
    try:
        torch.manual_seed(0)
        bert = transformers.BertModel(transformers.BertConfig(
            vocab_size=len(tokenizer), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
            intermediate_size=32, max_position_embeddings=128))
        bert.save_pretrained(encoder)
        tokenizer.save_pretrained(encoder)
        config = TrainConfig(epochs=1, batch_size=6, encoder=str(encoder), validation=0.0, hidden=16)
        out = tmp_path_factory.mktemp("models") / "weather-model"
        report = train(scenario, dialogues, out, config, cache_dir=tmp_path_factory.mktemp("cache"))
    finally:
        torch.set_num_threads(threads)
    return Path(report.model_dir)


def run(*args: str):
    return CliRunner().invoke(main, ["test-bot", "weather", "--model", *args])


def test_a_model_directory_is_tested_end_to_end(model):
    # Seed 0: a short conversation (a long one runs to the turn cap, ~40 model turns).
    result = run(str(model), "-n", "1", "--json")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    report = json.loads(result.output)
    assert report["scenario"] == "weather" and report["n"] == 1 and report["seed"] == 0
    assert set(report["failed"]) == set(ORACLES) and report["passed"] in (0, 1)
    assert result.exit_code == 1 - report["passed"]
    for example in report["examples"].values():
        assert not example["passed"] and example["findings"] and example["transcript"][0]["customer"]

    # The same conversation as a table, with the transcript if it failed.
    result = run(str(model), "-n", "1")
    assert "Traceback" not in result.output and result.output.startswith("weather: 1 conversations (seed 0): ")
    failed = "0 passed" in result.output
    assert result.exit_code == failed and ("shortest failing conversation (" in result.output) == failed


def test_a_directory_that_is_not_a_model_is_one_error_line(tmp_path):
    result = run(str(tmp_path))
    assert result.exit_code == 2 and result.output.startswith("error: ") and result.output.count("\n") == 1, \
        result.output




def test_a_model_of_another_scenario_is_one_error_line(model):
    result = CliRunner().invoke(main, ["test-bot", "flights", "--model", str(model), "-n", "1"])
    assert result.exit_code == 2 and result.output.count("\n") == 1, result.output
    assert result.output == f"error: {model}: the model was trained for scenario 'weather', not 'flights'\n"
