"""dialogsim.testing: the simulated customer tests your own bot, the way hypothesis tests code.

- ``converse(bot, scenario, goal, seed=...) -> Report`` -- one conversation judged by the
  oracles (``ORACLES``); ``check(...)`` raises ``BotCheckFailed`` with the transcript, for
  ``@given(dst.goals(scenario))`` tests; ``run_many`` -- many conversations (``dialogsim
  test-bot``);
- the bot protocol (``protocol``): ``respond(BotTurn) -> str | BotReply | mapping``;
  adapters (``as_bot``, ``import_bot``, ``HttpBot`` for Rasa's REST channel);
- ``ReferenceBot(scenario)``: dialogsim's own system agent as a bot;
- ``strategies`` (``from dialogsim.testing import strategies as dst``): hypothesis strategies
  for scenarios, goals, dialogues and user turns. Importing this package registers
  ``st.from_type(Scenario)`` and ``st.from_type(Goal)`` when hypothesis is installed (the
  ``testing`` extra); everything else works without it.
"""

from dialogsim.testing.adapters import BotError, HttpBot, as_bot, import_bot
from dialogsim.testing.driver import BotCheckFailed, Report, check, converse
from dialogsim.testing.oracles import ORACLES, Finding
from dialogsim.testing.protocol import Bot, BotReply, BotTurn
from dialogsim.testing.reference import ReferenceBot
from dialogsim.testing.runner import RunSummary, run_many

try:
    from dialogsim.testing import strategies  # noqa: F401  (registers st.from_type(Scenario), (Goal))
except ModuleNotFoundError as error:  # pragma: no cover - only without hypothesis
    if error.name != "hypothesis":
        raise

__all__ = ["converse", "check", "Report", "BotCheckFailed", "Finding", "ORACLES", "Bot", "BotTurn", "BotReply",
           "as_bot", "import_bot", "HttpBot", "BotError", "ReferenceBot",
           "run_many", "RunSummary"]
