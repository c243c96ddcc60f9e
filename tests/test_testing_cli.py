"""``dialogsim test-bot`` and the runnable example examples/test_my_bot.py."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from click.testing import CliRunner

from dialogsim.cli import main

BROKEN_BOT = '''
from dialogsim.testing import ReferenceBot


class TextOnly(ReferenceBot):
    def respond(self, turn):
        return super().respond(turn).text


def crashes(turn):
    raise RuntimeError("boom")
'''


def run(*args: str):
    return CliRunner().invoke(main, ["test-bot", *args])


def test_the_reference_bot_passes(tmp_path):
    result = run("weather", "--python", "dialogsim.testing:ReferenceBot", "-n", "20", "--seed", "4")
    assert result.exit_code == 0, result.output
    assert "weather: 20 conversations (seed 4): 20 passed, 0 failed" in result.output
    assert "no_reask" in result.output and "shortest failing conversation (" not in result.output


def test_a_failing_bot_exits_1_with_the_table_and_the_shortest_transcript(tmp_path, monkeypatch):
    (tmp_path / "my_bots.py").write_text(BROKEN_BOT)
    monkeypatch.syspath_prepend(str(tmp_path))
    result = run("weather", "--python", "my_bots:TextOnly", "-n", "5")
    assert result.exit_code == 1
    rows = {line.split()[0]: line.split()[1] for line in result.output.splitlines()[3:12]}
    assert rows["goal"] == "5" and rows["understood"] == "0"
    assert "shortest failing conversation" in result.output and "!! goal: GetWeather" in result.output
    result = run("weather", "--python", "my_bots:TextOnly", "-n", "5", "--skip", "goal")
    assert result.exit_code == 0, result.output


def test_json_report(tmp_path, monkeypatch):
    (tmp_path / "my_bots.py").write_text(BROKEN_BOT)
    monkeypatch.syspath_prepend(str(tmp_path))
    result = run("flights", "--python", "my_bots:crashes", "-n", "3", "--json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["n"] == 3 and report["passed"] == 0 and report["failed"]["bot_error"] == 3
    example = report["examples"]["bot_error"]
    assert example["findings"][0]["message"].startswith("RuntimeError: boom") and example["transcript"]


def test_bad_input_is_one_error_line():
    for args, words in [(["flights", "-n", "2"], "exactly one of"),
                        (["flights", "--python", "nosuchmodule:bot"], "cannot import 'nosuchmodule'"),
                        (["flights", "--http", "localhost:5005"], "http:// or https://"),
                        (["flights", "--python", "dialogsim.testing:ReferenceBot", "--skip", "gaol"], "no such oracle"),
                        (["nosuch", "--python", "dialogsim.testing:ReferenceBot"], "no such scenario")]:
        result = run(*args)
        assert result.exit_code == 2 and result.output.startswith("error: ") and words in result.output, result.output
        assert result.output.count("\n") == 1


def test_the_example_runs():
    path = Path(__file__).resolve().parent.parent / "examples" / "test_my_bot.py"
    spec = importlib.util.spec_from_file_location("example_test_my_bot", path)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    example.test_my_bot_over_http()
