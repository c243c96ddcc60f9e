"""A trained dialogue manager as a bot: ``load_bot(model_dir) -> Bot``.

Orchestration: it wires the models' runtime (``dialogsim.models``) to something that
answers API calls -- the scenario's mock backend, or the user's own handlers -- and to the
realiser that speaks each response, so ``Bot.respond(text) -> Reply`` is a whole system
turn. That is the protocol ``dialogsim.testing`` drives, so a user's own bot and ours are
tested alike. Handlers map an API name to ``handler(args) -> output``: ``args`` maps each
argument to its value; the output value (``None`` or an empty list: nothing found,
``ApiStatus.FAILURE``: the service failed); APIs without a handler go to the mock backend.
"""

from __future__ import annotations

import os
from typing import Any, Callable, Mapping

import attrs
import numpy as np

from dialogsim.dialogue import Action, ApiCall, ApiStatus, Arg, Response

__all__ = ["Reply", "Bot", "load_bot"]

Handler = Callable[[Mapping[str, Any]], Any]


@attrs.frozen
class Reply:
    """One system turn: what the bot says, every action it took (``ApiCall`` and
    ``Response`` values, as in a corpus) and the API calls among them."""

    text: str
    actions: tuple = ()
    api_calls: tuple = ()


class Bot:
    """A conversation with a trained dialogue manager; ``reset()`` starts a new one."""

    def __init__(self, manager, handlers: Mapping[str, Handler] | None = None, *, seed: int = 0) -> None:
        from dialogsim.backend import MockBackend
        from dialogsim.catalogue import Catalogue
        from dialogsim.paraphrase.realiser import Realiser

        self.manager = manager
        scenario = manager.scenario
        unknown = sorted(set(handlers or {}) - set(scenario.apis))
        if unknown:
            raise ValueError(f"handlers for APIs the scenario {scenario.name!r} does not have: {', '.join(unknown)}")
        self.handlers = dict(handlers or {})
        catalogue = Catalogue(scenario)
        self._mock = MockBackend(scenario, catalogue)
        self._realiser = Realiser(scenario, catalogue)
        self._seed = seed
        self.reset()

    def reset(self) -> None:
        from dialogsim.models.runtime import Session

        self.session = Session(self.manager.scenario)
        self._rng = np.random.default_rng(self._seed)
        self._mock.reset()  # what an earlier conversation found nothing for is no fact of this one

    @property
    def interventions(self) -> int:
        """Proposals the consistency check has changed in this conversation."""
        return self.session.interventions

    def _call(self, api: str, args: Mapping[str, Arg]):
        handler = self.handlers.get(api)
        if handler is None:  # no goal scripts failures here: the mock answers every call
            return self._mock.call(api, args, self._rng)
        output = handler({k: a.value for k, a in args.items()})
        if output is ApiStatus.FAILURE:
            return ApiStatus.FAILURE, {}
        if output is None or (isinstance(output, (list, tuple)) and not output):
            return ApiStatus.EMPTY, {}
        returns = self.manager.scenario.apis[api].returns
        return ApiStatus.OK, ({} if returns is None else {returns.name: output})

    def respond(self, text: str) -> Reply:
        """The bot's turn after the customer says ``text``."""
        from dialogsim.models.runtime import to_arg

        if not isinstance(text, str):
            raise TypeError(f"respond() takes the customer's text, got {type(text).__name__}")
        result = self.manager.turn(self.session, text, self._call)
        state = self.session.state
        actions: list[Action] = []
        for proposal, answer in zip(result.actions, result.answers):
            args = {k: to_arg(state, c) for k, c in proposal.args.items()}
            if answer is None:
                said = self._realiser.system_text(proposal.name, args, self._rng)
                actions.append(Response(name=proposal.name, args=args, text=said))
            else:
                actions.append(ApiCall(name=proposal.name, args=args, status=answer[0], result=answer[1]))
        said = " ".join(a.text for a in actions if isinstance(a, Response) and a.text)
        return Reply(text=said, actions=tuple(actions), api_calls=tuple(a for a in actions if isinstance(a, ApiCall)))


def load_bot(model_dir: str | os.PathLike, handlers: Mapping[str, Handler] | None = None, *,
             device: str = "cpu", seed: int = 0) -> Bot:
    """The bot of a trained model directory; ``handlers`` answer API calls in place of the
    mock backend (module docstring). ``seed`` makes the mock results and the response
    variants reproducible."""
    from dialogsim.models.errors import require_torch

    require_torch()
    from dialogsim.models.runtime import load

    return Bot(load(model_dir, device=device), handlers, seed=seed)
