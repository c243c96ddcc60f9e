"""The model-based augmenters, on tiny randomly initialised models the tests build and save
themselves (tests cannot download one). Random models write junk: what is tested is the
plumbing -- load from a directory, mask / generate, decode -- and that junk never reaches a
span: outputs that lose, repeat or reorder a placeholder are discarded, kept ones have exact spans."""

from __future__ import annotations

import os
import pickle
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")
tokenizers = pytest.importorskip("tokenizers")

from test_augment import assert_spans_exact, texts_with_spans  # noqa: E402

from dialogsim.config import AUGMENTERS, VariationConfig  # noqa: E402
from dialogsim.dialogue import Span, UserAct, UserTurn  # noqa: E402
from dialogsim.paraphrase.augment import VariationError  # noqa: E402
from dialogsim.paraphrase.neural import (  # noqa: E402
    MaskedLMSubstitution,
    TextToTextParaphrase,
    restore_placeholders,
)
from dialogsim.paraphrase.pipeline import VariationPipeline  # noqa: E402

WORDS = "find me a cheap flight to book please um the one ticket show hotel in for want i need Seattle".split()
OFF = {name: 0.0 for name in AUGMENTERS}
# The models run here on the CPU; DIALOGSIM_TEST_DEVICE=cuda runs the same tests on a GPU.
DEVICE = os.environ.get("DIALOGSIM_TEST_DEVICE", "cpu")


def _word_level(vocab: list[str], unk: str, template: str, specials: list[tuple[str, int]]):
    model = tokenizers.models.WordLevel({t: i for i, t in enumerate(vocab)}, unk_token=unk)
    tokenizer = tokenizers.Tokenizer(model)
    tokenizer.pre_tokenizer = tokenizers.pre_tokenizers.WhitespaceSplit()
    tokenizer.post_processor = tokenizers.processors.TemplateProcessing(single=template, special_tokens=specials)
    return tokenizer


@pytest.fixture(scope="module")
def bert_dir(tmp_path_factory):
    """A one-layer BERT fill-mask model with a word-level vocabulary."""
    path = tmp_path_factory.mktemp("tiny-bert")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + WORDS + ["##s"]
    tokenizer = transformers.PreTrainedTokenizerFast(
        tokenizer_object=_word_level(vocab, "[UNK]", "[CLS] $A [SEP]", [("[CLS]", 2), ("[SEP]", 3)]),
        pad_token="[PAD]", unk_token="[UNK]", cls_token="[CLS]", sep_token="[SEP]", mask_token="[MASK]")
    tokenizer.save_pretrained(path)
    torch.manual_seed(0)
    config = transformers.BertConfig(vocab_size=len(vocab), hidden_size=16, num_hidden_layers=1,
                                     num_attention_heads=2, intermediate_size=32, max_position_embeddings=128)
    transformers.BertForMaskedLM(config).save_pretrained(path)
    return str(path)


@pytest.fixture(scope="module")
def t5_dir(tmp_path_factory):
    """A one-layer T5 with T5's ``<extra_id_N>`` sentinels in a word-level vocabulary."""
    path = tmp_path_factory.mktemp("tiny-t5")
    sentinels = [f"<extra_id_{i}>" for i in range(12)]
    vocab = ["<pad>", "</s>", "<unk>"] + WORDS + sentinels
    tokenizer = transformers.PreTrainedTokenizerFast(
        tokenizer_object=_word_level(vocab, "<unk>", "$A </s>", [("</s>", 1)]),
        pad_token="<pad>", eos_token="</s>", unk_token="<unk>", additional_special_tokens=sentinels)
    tokenizer.save_pretrained(path)
    torch.manual_seed(0)
    config = transformers.T5Config(vocab_size=len(vocab), d_model=16, d_kv=8, d_ff=32, num_layers=1,
                                   num_decoder_layers=1, num_heads=2, decoder_start_token_id=0,
                                   pad_token_id=0, eos_token_id=1)
    transformers.T5ForConditionalGeneration(config).save_pretrained(path)
    return str(path)


def span(text: str, surface: str, slot: str = "city") -> Span:
    start = text.index(surface)
    return Span(start=start, end=start + len(surface), slot=slot, type="City", value=surface)


PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ------------------------------------------------------------------ masked LM

def test_mlm_substitutes_model_words_outside_the_spans(bert_dir):
    augmenter = MaskedLMSubstitution(bert_dir, device=DEVICE)
    text = "find me a cheap flight to Seattle please"
    spans = (span(text, "Seattle"),)
    outs = set()
    for seed in range(30):
        new_text, new_spans = augmenter(text, spans, np.random.default_rng(seed))
        assert_spans_exact(text, spans, new_text, new_spans)
        assert len(new_text.split()) == len(text.split())  # one word for one word
        assert all(w in WORDS for w in new_text.split())  # whole words from the vocabulary, no [UNK] / ##s
        outs.add(new_text)
    assert len(outs) > 1


def test_mlm_runs_in_the_pipeline_and_pickles(bert_dir):
    pipeline = VariationPipeline(VariationConfig(**{**OFF, "mlm": 1.0, "typos": 1.0}, mlm_model=bert_dir, device=DEVICE))
    assert pipeline.names == ("mlm", "typos")
    text = "book a cheap hotel in Seattle"
    turn = UserTurn(text=text, acts=[UserAct(act="inform", slot="city")], spans=[span(text, "Seattle")])
    new, changed = pipeline.apply(turn, np.random.default_rng(1))
    assert "mlm" in changed and new.acts == turn.acts
    assert_spans_exact(text, turn.spans, new.text, new.spans)
    clone = pickle.loads(pickle.dumps(pipeline))
    assert clone.apply(turn, np.random.default_rng(1)) == (new, changed)


@PROPERTY
@given(case=texts_with_spans(), seed=st.integers(0, 2**32 - 1))
def test_mlm_keeps_spans_exact(bert_dir, case, seed):
    text, spans = case
    new_text, new_spans = MaskedLMSubstitution(bert_dir, device=DEVICE)(text, spans, np.random.default_rng(seed))
    assert_spans_exact(text, spans, new_text, new_spans)


# ------------------------------------------------------------------ text-to-text paraphrase

EXTRA_ID = re.compile(r"<extra_id_(\d+)>")


def test_restore_placeholders_keeps_only_outputs_with_every_placeholder_once_in_order():
    text = "fly from Boston to Seattle"
    spans = (span(text, "Seattle", "to"), span(text, "Boston", "from"))  # given out of text order
    order = [1, 0]  # placeholder 0 is Boston, 1 is Seattle
    kept = restore_placeholders("I want to go from <extra_id_0> to<extra_id_1>, please", EXTRA_ID, text, spans, order)
    assert kept is not None
    new_text, new_spans = kept
    assert new_text == "I want to go from Boston to Seattle, please"
    assert_spans_exact(text, spans, new_text, new_spans)
    for bad in ("from <extra_id_0> to somewhere",  # lost one
                "<extra_id_0> <extra_id_0> <extra_id_1>",  # repeated
                "to <extra_id_1> from <extra_id_0>",  # reordered
                "<extra_id_0> <extra_id_1> <extra_id_2>",  # invented
                "<extra_id_0><extra_id_1>"):  # no words of its own
        assert restore_placeholders(bad, EXTRA_ID, text, spans, order) is None


def test_restore_placeholders_tidies_whitespace_without_spans():
    assert restore_placeholders("  hi   there \n", EXTRA_ID, "hello", (), []) == ("hi there", ())
    assert restore_placeholders("hi <extra_id_0>", EXTRA_ID, "hello", (), []) is None


def test_restore_placeholders_keeps_adjacent_spans_as_the_input_had_them():
    text = "$220"
    spans = (Span(start=0, end=1, slot="cur", type="C", value="$"), Span(start=1, end=4, slot="amt", type="A", value="220"))
    new_text, new_spans = restore_placeholders("costs <extra_id_0><extra_id_1> only", EXTRA_ID, text, spans, [0, 1])
    assert new_text == "costs $220 only"
    assert_spans_exact(text, spans, new_text, new_spans)


def test_paraphrase_generates_with_a_real_model_and_discards_junk(t5_dir):
    augmenter = TextToTextParaphrase(t5_dir, candidates=3, max_new_tokens=12, device=DEVICE)
    assert augmenter.placeholder(0) == "<extra_id_0>"
    outputs = augmenter.generate("find me a flight to <extra_id_0> please")
    assert outputs and all(isinstance(o, str) for o in outputs)
    assert not any("<pad>" in o or "</s>" in o for o in outputs)
    text = "find me a flight to Seattle please"
    spans = (span(text, "Seattle"),)
    for seed in range(5):
        new_text, new_spans = augmenter(text, spans, np.random.default_rng(seed))
        assert_spans_exact(text, spans, new_text, new_spans)
        if new_text != text:  # a kept output: the placeholder came back exactly once
            assert new_text.count("Seattle") == 1


def test_paraphrase_draws_among_valid_rewrites(t5_dir, monkeypatch):
    augmenter = TextToTextParaphrase(t5_dir, device=DEVICE)
    prompts = []
    rewrites = ["i need a flight to <extra_id_0> on <extra_id_1>",
                "a flight <extra_id_1> to <extra_id_0>",  # reordered: discarded
                "flight to <extra_id_0>",  # lost the date: discarded
                "book me a flight to <extra_id_0> for <extra_id_1>"]

    def fake_generate(prompt):
        prompts.append(prompt)
        return rewrites

    monkeypatch.setattr(augmenter, "generate", fake_generate)
    text = "find me a flight to Seattle on Friday"
    spans = (span(text, "Seattle"), span(text, "Friday", "date"))
    outs = set()
    for seed in range(20):
        new_text, new_spans = augmenter(text, spans, np.random.default_rng(seed))
        assert_spans_exact(text, spans, new_text, new_spans)
        outs.add(new_text)
    assert prompts[0] == "paraphrase: find me a flight to <extra_id_0> on <extra_id_1>"
    assert outs == {"i need a flight to Seattle on Friday", "book me a flight to Seattle for Friday"}
    monkeypatch.setattr(augmenter, "generate", lambda prompt: ["flight to <extra_id_0>"])
    assert augmenter(text, spans, np.random.default_rng(0)) == (text, spans)  # nothing valid: unchanged


def test_paraphrase_runs_in_the_pipeline(t5_dir):
    config = VariationConfig(**{**OFF, "paraphrase": 1.0, "asr": 1.0}, paraphrase_model=t5_dir, device=DEVICE)
    pipeline = VariationPipeline(config)
    assert pipeline.names == ("paraphrase", "asr")
    text = "Find me a flight to Seattle, please."
    turn = UserTurn(text=text, acts=[UserAct(act="inform", slot="city")], spans=[span(text, "Seattle")])
    new, changed = pipeline.apply(turn, np.random.default_rng(0))
    assert "asr" in changed
    assert_spans_exact(text, turn.spans, new.text, new.spans)


@PROPERTY
@given(case=texts_with_spans(), seed=st.integers(0, 2**32 - 1))
def test_paraphrase_keeps_spans_exact(t5_dir, case, seed):
    text, spans = case
    augmenter = TextToTextParaphrase(t5_dir, candidates=2, max_new_tokens=8, device=DEVICE)
    new_text, new_spans = augmenter(text, spans, np.random.default_rng(seed))
    assert_spans_exact(text, spans, new_text, new_spans)


def test_a_directory_without_a_model_is_a_clear_error(tmp_path):
    from dialogsim.paraphrase.augment import VariationError

    (tmp_path / "config.json").write_text("{}")
    augmenter = MaskedLMSubstitution(str(tmp_path))
    with pytest.raises(VariationError, match="cannot load the model"):
        augmenter("find me a flight", (), np.random.default_rng(0))


def test_the_models_run_where_the_device_says(bert_dir, t5_dir):
    mlm = MaskedLMSubstitution(bert_dir, device=DEVICE)
    mlm._ensure_loaded()
    paraphrase = TextToTextParaphrase(t5_dir, device=DEVICE)
    paraphrase._ensure_loaded()
    assert {mlm._model.device.type, paraphrase._model.device.type} == {torch.device(DEVICE).type}
    auto = MaskedLMSubstitution(bert_dir, device="auto")
    auto._ensure_loaded()
    assert auto._model.device.type == ("cuda" if torch.cuda.is_available() else "cpu")


def test_a_device_that_is_not_there_is_a_clear_error(bert_dir, monkeypatch):
    with pytest.raises(ValueError, match="device"):
        VariationConfig(device="gpu")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(VariationError, match="CUDA is not available"):
        MaskedLMSubstitution(bert_dir, device="cuda")("find a cheap flight", (), np.random.default_rng(0))
