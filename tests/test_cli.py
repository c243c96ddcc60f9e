"""The ``dialogsim`` command through click's test runner: output, exit codes, one-line errors."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import dialogsim
from dialogsim import scenarios
from dialogsim.cli import main
from dialogsim.corpus import MANIFEST
from dialogsim.paraphrase.augment import PROTECTED
from dialogsim.spoken import _STRIP
from dialogsim.stats import corpus_stats


@pytest.fixture
def run():
    def invoke(*args: str):
        return CliRunner().invoke(main, [str(a) for a in args])

    return invoke


def assert_one_line_error(result, *fragments: str) -> None:
    """Exit 2, a single ``error:`` line on stderr naming ``fragments``, no traceback."""
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0]
    assert "Traceback" not in result.output and result.stdout == ""


def test_version(run):
    result = run("--version")
    assert result.exit_code == 0 and result.stdout == f"dialogsim {dialogsim.__version__}\n"


def test_help_lists_the_commands(run):
    result = run("--help")
    assert result.exit_code == 0
    for command in ("validate", "generate", "stats", "graph"):
        assert command in result.stdout


def test_validate_a_bundled_example_by_name(run):
    result = run("validate", "flights")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: flights: ")
    for part in ("types", "APIs", "responses (", "generated)", "samples"):
        assert part in result.stdout
    assert all(line.startswith("warning: ") for line in result.stderr.splitlines())


def test_validate_a_file_path(run):
    result = run("validate", scenarios.path("flights"))
    assert result.exit_code == 0 and result.stdout.startswith("ok: flights: ")


def test_validate_bad_scenario_is_one_line_error(run, tmp_path):
    text = scenarios.path("flights").read_text(encoding="utf-8")
    assert "passengers: Passengers" in text
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("passengers: Passengers", "passengers: Seats"), encoding="utf-8")
    result = run("validate", bad)
    assert_one_line_error(result, f"{bad}:", "Seats")


def test_validate_prints_each_coverage_gap_as_one_warning_line(run, tmp_path):
    text = scenarios.path("flights").read_text(encoding="utf-8")
    bad = tmp_path / "gaps.yaml"
    assert text.count("\nresponses:") == 1
    bad.write_text(text.replace("\nresponses:", "\n  Ping:\n    description: unused\n\nresponses:"), encoding="utf-8")
    result = run("validate", bad)
    assert result.exit_code == 0, result.output
    line = next(i for i, line in enumerate(bad.read_text().splitlines(), 1) if line == "  Ping:")
    assert result.stderr.splitlines() == [
        f"warning: {bad}:{line}: apis.Ping: no sample dialogue uses Ping: goals reach it only through the "
        "dependency graph"]


def test_unknown_scenario_names_the_examples(run):
    result = run("validate", "no-such-thing")
    assert_one_line_error(result, "no-such-thing", "flights")


def test_usage_errors_exit_2(run):
    assert run("generate", "flights", "-o", "x").exit_code == 2  # missing -n
    assert run("generate", "flights", "-n", "-3", "-o", "x").exit_code == 2
    assert run("nonsense").exit_code == 2


def test_generate_writes_a_corpus_and_a_summary(run, tmp_path):
    out = tmp_path / "corpus"
    result = run("generate", "flights", "-n", 40, "-o", out, "--seed", 3, "--shard-size", 25)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"wrote 40 dialogues to {out} (2 shards) in ")
    assert "dialogues/s" in result.stdout
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "part-00000.jsonl", "part-00001.jsonl"]
    again = tmp_path / "again"
    result = run("generate", "flights", "-n", 40, "-o", again, "--seed", 3, "--shard-size", 25,
                 "--workers", 2, "--progress")
    assert result.exit_code == 0, result.output
    for name in (MANIFEST, "part-00000.jsonl", "part-00001.jsonl"):
        assert (again / name).read_bytes() == (out / name).read_bytes()


def test_generate_below_a_file_is_one_line_error(run, tmp_path):
    (tmp_path / "file").write_text("mine")
    result = run("generate", "flights", "-n", 5, "-o", tmp_path / "file" / "corpus", "--no-progress")
    assert_one_line_error(result, f"{tmp_path / 'file'} is not a directory")


def test_generate_refuses_to_overwrite_other_files(run, tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    result = run("generate", "flights", "-n", 5, "-o", tmp_path, "--no-progress")
    assert_one_line_error(result, "refusing to overwrite")
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


@pytest.fixture(scope="module")
def corpus(flights, tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "corpus"
    dialogsim.generate(flights, 60, out, seed=5)
    return out


def test_stats_table(run, corpus):
    result = run("stats", corpus)
    assert result.exit_code == 0, result.output
    figures = corpus_stats(corpus)
    assert f"dialogues                 {figures['dialogues']}" in result.stdout
    assert "distinct user utterances" in result.stdout and "mean" in result.stdout
    for name, pattern in figures["patterns"].items():
        assert any(line.split()[:2] == [name, str(pattern["count"])] for line in result.stdout.splitlines())
    assert "SearchFlight" in result.stdout


def test_stats_json(run, corpus):
    result = run("stats", corpus, "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == corpus_stats(corpus)


def test_stats_of_corrupt_corpus_names_file_and_line(run, flights, tmp_path):
    out = tmp_path / "corpus"
    dialogsim.generate(flights, 5, out)
    shard = out / "part-00000.jsonl"
    lines = shard.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2][:40] + "\n"
    shard.write_text("".join(lines), encoding="utf-8")
    assert_one_line_error(run("stats", out), f"{shard}:3: invalid JSON")


def test_stats_of_missing_directory(run, tmp_path):
    assert_one_line_error(run("stats", tmp_path / "nope"), "no such corpus")


def test_graph_dot_and_mermaid(run, tmp_path):
    dot = run("graph", "flights")
    assert dot.exit_code == 0
    assert dot.stdout.startswith('digraph "flights"')
    assert '"SearchFlight" -> "BookFlight" [label="Flight: flight"];' in dot.stdout
    mermaid = run("graph", "flights", "--format", "mermaid")
    assert mermaid.exit_code == 0
    assert "SearchFlight -->|Flight: flight| BookFlight" in mermaid.stdout
    out = tmp_path / "g.mmd"
    assert run("graph", "flights", "--format", "mermaid", "-o", out).stdout == ""
    assert out.read_text() == mermaid.stdout


def test_graph_png_without_matplotlib_says_what_to_install(run, tmp_path, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "matplotlib" else real(name, *a))
    assert_one_line_error(run("graph", "flights", "--format", "png", "-o", tmp_path / "g.png"), "dialogsim[plot]")
    assert not (tmp_path / "g.png").exists()


def test_graph_png_needs_an_output_file(run):
    result = run("graph", "flights", "--format", "png")
    assert result.exit_code == 2 and "-o FILE" in result.output


def test_graph_png_is_drawn_when_matplotlib_is_there(run, tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / "g.png"
    result = run("graph", "flights", "--format", "png", "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\x89PNG")


# -- generate: values split and language variation ----------------------------------------


def user_turns(out):
    for line in (out / "part-00000.jsonl").read_text(encoding="utf-8").splitlines():
        for turn in json.loads(line)["turns"]:
            if turn["speaker"] == "user":
                yield turn


def test_holdout_values_give_disjoint_train_and_test_corpora(run, tmp_path):
    from dialogsim.catalogue import Catalogue
    from dialogsim.loader import load_scenario

    catalogue = Catalogue(load_scenario(scenarios.path("flights")))
    for split in ("train", "test"):
        result = run("generate", "flights", "-n", 150, "-o", tmp_path / split, "--holdout-values", "0.3",
                     "--split", split, "--workers", 2)
        assert result.exit_code == 0, result.output
        assert f"{split} split, 30% of values held out" in result.stdout
        assert "values train/test: City " in result.stdout  # the split sizes, per type
        manifest = json.loads((tmp_path / split / MANIFEST).read_text(encoding="utf-8"))
        assert manifest["values"] == {"holdout": 0.3, "split": split}
    said = {split: {} for split in ("train", "test")}
    for split, by_type in said.items():
        for turn in user_turns(tmp_path / split):
            for span in turn["spans"]:
                by_type.setdefault(span["type"], set()).add(span["value"])
    checked = 0
    for type_name in said["train"].keys() & said["test"].keys():
        if len(catalogue.all_values(type_name)) >= 2:
            assert not said["train"][type_name] & said["test"][type_name], type_name
            checked += 1
    assert checked >= 3


def test_no_variation_leaves_every_turn_as_realised(run, tmp_path):
    result = run("generate", "flights", "-n", 60, "-o", tmp_path / "c", "--variation", "typos=1", "--no-variation")
    assert result.exit_code == 0, result.output
    turns = list(user_turns(tmp_path / "c"))
    assert turns and not any("augmented" in turn for turn in turns)
    manifest = json.loads((tmp_path / "c" / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["variation"]["enabled"] is False
    assert all(f["turns"] == 0 for f in manifest["stats"]["language"]["augmented"].values())


def words_outside_spans(turn) -> list[str]:
    text = turn["text"]
    for span in turn["spans"]:
        text = text[:span["start"]] + " " * (span["end"] - span["start"]) + text[span["end"]:]
    return text.split()


def test_variation_override_applies_to_every_turn_it_can(run, tmp_path):
    result = run("generate", "flights", "-n", 60, "-o", tmp_path / "c", "--variation", "typos=1",
                 "--variation", "carrier=0")
    assert result.exit_code == 0, result.output
    typable = 0
    for turn in user_turns(tmp_path / "c"):
        assert "carrier" not in turn.get("augmented", [])
        # the typos augmenter edits words of three ASCII letters or more, never a span and
        # never a word that carries an act ("not", "yep", "how")
        if any(sum(c.isascii() and c.isalpha() for c in word) >= 3 and word.lower().strip(_STRIP) not in PROTECTED
               for word in words_outside_spans(turn)):
            assert "typos" in turn["augmented"], turn["text"]
            typable += 1
    assert typable > 100
    manifest = json.loads((tmp_path / "c" / MANIFEST).read_text(encoding="utf-8"))
    assert (manifest["variation"]["typos"], manifest["variation"]["carrier"]) == (1.0, 0.0)


def test_a_skipped_augmenter_is_one_warning_line(run, tmp_path):
    result = run("generate", "flights", "-n", 40, "-o", tmp_path / "c", "--variation", "mlm=0.2", "--workers", 2)
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()  # two workers met it; it is said once
    assert len(lines) == 1 and lines[0].startswith("warning: mlm augmenter skipped: "), result.stderr


@pytest.mark.parametrize("args, fragments", [
    (["--holdout-values", "1"], ["--holdout-values", "[0, 1)", "'1'"]),
    (["--holdout-values", "-0.2"], ["--holdout-values"]),
    (["--holdout-values", "lots"], ["--holdout-values", "'lots'"]),
    (["--split", "dev"], ["--split", "train or test", "'dev'"]),
    (["--split", "test"], ["--split test needs --holdout-values"]),
    (["--variation", "typos=2"], ["--variation", "typos", "between 0 and 1"]),
    (["--variation", "typos=often"], ["--variation", "typos=often"]),
    (["--variation", "speling=0.1"], ["--variation", "speling", "typos"]),
    (["--variation", "typos"], ["--variation", "name=value"]),
    (["--variation", "enabled=maybe"], ["enabled must be true or false"]),
])
def test_bad_generate_options_are_one_line_errors(run, tmp_path, args, fragments):
    result = run("generate", "flights", "-n", 5, "-o", tmp_path / "c", *args)
    assert_one_line_error(result, *fragments)
    assert not (tmp_path / "c").exists()


def test_stats_shows_the_language_section(run, corpus):
    result = run("stats", corpus)
    figures = corpus_stats(corpus)
    language = figures["language"]
    lines = result.stdout.splitlines()
    assert f"  distinct-1 / 2 / 3        {language['distinct_1']:.3f} / {language['distinct_2']:.3f} / " \
           f"{language['distinct_3']:.3f}" in lines
    assert f"  delexicalised templates   {language['templates']}" in lines
    for name, share in language["augmented"].items():
        assert any(line.split()[:2] == [name, str(share["turns"])] for line in lines)
