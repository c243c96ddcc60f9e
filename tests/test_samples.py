"""Sample dialogues replayed against the system policy (dialogsim.samples): calls before
their required arguments, skipped confirmations and picks beyond a result list are errors
that stop ``validate`` and ``generate``; a turn the policy would take otherwise is a warning."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

import dialogsim
from dialogsim import scenarios
from dialogsim.cli import main
from dialogsim.errors import ScenarioError
from dialogsim.loader import load_scenario, load_scenario_text
from dialogsim.samples import check_samples, sample_problems
from dialogsim.testing.strategies import scenarios as random_scenarios

FIXTURES = Path(__file__).parent / "fixtures"


def line_of(path: Path, text: str, after: str = "") -> int:
    """The 1-based line of the first line holding ``text`` after the first holding ``after``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if after in line)
    return next(i for i, line in enumerate(lines) if i >= start and text in line) + 1


def problems(name: str) -> tuple[Path, list[str], list[str]]:
    path = FIXTURES / name
    errors, warnings = sample_problems(load_scenario(path))
    return path, [str(e) for e in errors], [str(w) for w in warnings]


@pytest.mark.parametrize("name", scenarios.names())
def test_every_example_sample_is_what_the_policy_does(name):
    errors, warnings = sample_problems(load_scenario(scenarios.path(name)))
    assert (errors, warnings) == ([], [])


def test_a_sample_the_policy_follows_has_no_problem():
    assert problems("samples_hotels.yaml")[1:] == ([], [])


def test_calling_before_a_required_argument_is_an_error():
    path, errors, _ = problems("samples_call_before_args.yaml")
    assert errors == [
        f"{path}:{line_of(path, '- system:', 'no city')}: samples[0].turns[1].system: sample 'no city': calls "
        "FindHotel before its required argument 'city' is known: the customer has not said it, and the system "
        "policy asks for it first",
        f"{path}:{line_of(path, '- system: [BookHotel', 'no hotel')}: samples[1].turns[3].system: sample "
        "'no hotel': calls BookHotel before its required argument 'hotel' is known: no earlier call's result "
        "gives it (the system policy first calls FindHotel)",
    ]


def test_calling_without_the_required_confirmation_is_an_error():
    path, errors, _ = problems("samples_skip_confirmation.yaml")
    message = ("calls BookHotel without the confirmation it requires (confirm: true): the system policy says "
               "confirm_BookHotel first and calls it once the customer affirms")
    assert errors == [
        f"{path}:{line_of(path, '- system: [BookHotel', 'never asked')}: samples[0].turns[3].system: "
        f"sample 'never asked': {message}",
        # "yes, but 3 nights": the yes confirmed 2 nights; 3 were never confirmed
        f"{path}:{line_of(path, '- system: [BookHotel', 'changed at')}: samples[1].turns[5].system: "
        f"sample 'changed at the confirmation': {message}",
    ]


def test_select_beyond_the_results_is_an_error():
    path, errors, _ = problems("samples_select_beyond.yaml")
    assert errors == [
        f"{path}:{line_of(path, 'the third one')}: samples[0].turns[2]: sample 'the third of two': select 2 of "
        "the results of FindHotel, which hold at most 2 items (select counts from 0)",
        f"{path}:{line_of(path, 'book the first one')}: samples[1].turns[0]: sample 'a pick from nothing': "
        "select 0, but no list of results has been said before this turn",
    ]


def test_a_turn_the_policy_would_not_take_is_a_warning_at_the_first_difference():
    path, errors, warnings = problems("samples_policy_differs.yaml")
    assert errors == []
    # the sample's last turn differs too (no reqmore), but after the first difference the
    # policy's state is no longer the sample's: one warning per sample
    assert warnings == [
        f"{path}:{line_of(path, '- system:')}: warning: samples[0].turns[1].system: sample 'no offer' says "
        "[FindHotel, inform_FindHotel, reqmore], where the system policy says [FindHotel, inform_FindHotel, "
        "offer_BookHotel]: the corpus will not contain this sample's turn"]


def test_check_samples_raises_the_first_error_and_returns_the_warnings():
    with pytest.raises(ScenarioError, match=r"sample 'no city': calls FindHotel before"):
        check_samples(load_scenario(FIXTURES / "samples_call_before_args.yaml"))
    assert len(check_samples(load_scenario(FIXTURES / "samples_policy_differs.yaml"))) == 1


def test_validate_stops_at_an_error_with_one_line():
    path = FIXTURES / "samples_skip_confirmation.yaml"
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (f"error: {path}:{line_of(path, '- system: [BookHotel', 'never asked')}: "
                             "samples[0].turns[3].system: sample 'never asked': calls BookHotel without the "
                             "confirmation it requires (confirm: true): the system policy says confirm_BookHotel "
                             "first and calls it once the customer affirms\n")


def test_validate_prints_a_policy_difference_as_a_warning():
    path = FIXTURES / "samples_policy_differs.yaml"
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: hotels:")
    assert result.stderr.splitlines() == [
        f"warning: {path}:{line_of(path, '- system:')}: samples[0].turns[1].system: sample 'no offer' says "
        "[FindHotel, inform_FindHotel, reqmore], where the system policy says [FindHotel, inform_FindHotel, "
        "offer_BookHotel]: the corpus will not contain this sample's turn"]


def test_generate_refuses_a_scenario_whose_samples_have_an_error(tmp_path):
    scenario = load_scenario(FIXTURES / "samples_select_beyond.yaml")
    with pytest.raises(ScenarioError, match="select 2 of the results of FindHotel"):
        dialogsim.generate(scenario, 5, tmp_path / "corpus")
    assert not (tmp_path / "corpus").exists()
    result = CliRunner().invoke(main, ["generate", str(FIXTURES / "samples_select_beyond.yaml"), "-n", "5",
                                       "-o", str(tmp_path / "corpus")])
    assert result.exit_code == 2 and result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "corpus").exists()


def test_generate_takes_a_scenario_whose_samples_only_differ_from_the_policy(tmp_path):
    manifest = dialogsim.generate(load_scenario(FIXTURES / "samples_policy_differs.yaml"), 3, tmp_path / "corpus")
    assert manifest.n == 3


def test_a_booking_without_a_question_is_no_error_when_confirmations_are_implicit():
    # "Okay, booking the Grand for 3 nights." and on: nothing to wait for, so nothing skipped
    path = FIXTURES / "samples_skip_confirmation.yaml"
    text = path.read_text(encoding="utf-8") + "simulation:\n  confirmation: implicit\n"
    errors, warnings = sample_problems(load_scenario_text(text, path=str(path)))
    assert errors == []
    assert [w.message.partition(", where")[2] for w in warnings] == [
        " the system policy says [confirm_BookHotel, BookHotel, inform_BookHotel, reqmore]: the corpus will not "
        "contain this sample's turn"] * 2


def test_an_echo_before_a_call_matches_the_policy_which_says_it_only_by_chance():
    path = FIXTURES / "samples_hotels.yaml"
    text = path.read_text(encoding="utf-8")
    echoed = text.replace("- system: [FindHotel, inform_FindHotel", "- system: [confirm_FindHotel, FindHotel, "
                                                                      "inform_FindHotel")
    assert echoed != text
    assert sample_problems(load_scenario_text(echoed, path=str(path))) == ([], [])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_scenarios())
def test_any_scenario_replays_to_errors_and_warnings_never_a_crash(scenario):
    errors, warnings = sample_problems(scenario)
    assert all(isinstance(e, ScenarioError) and e.field.startswith("samples[") for e in errors)
    assert len(warnings) <= len(scenario.samples)
