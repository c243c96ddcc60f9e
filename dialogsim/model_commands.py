"""The model commands of the ``dialogsim`` CLI: ``train``, ``evaluate``, ``chat``.

Each calls one public function (``dialogsim.models.train``, ``dialogsim.models.evaluate``,
``dialogsim.load_bot``). They live here, not in ``dialogsim.cli``, so that the CLI module
only registers them; torch is imported inside the commands, so ``dialogsim --help`` never
loads it, and without the ``models`` extra a command says how to install it (exit 2).
"""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path
from typing import Callable

import click

__all__ = ["COMMANDS"]

_DEVICE = click.option("--device", default="cpu", show_default=True, metavar="cpu|cuda",
                       help="Where the models run: cpu, cuda or cuda:N.")


def _prepare(device: str) -> None:
    """The extra is installed and the device exists: checked before any slow work."""
    from dialogsim.models.errors import require_torch

    require_torch()
    from dialogsim.models.encoder import resolve_device

    resolve_device(device)


def _figures(metrics) -> str:
    m = metrics.to_json()
    return (f"span F1 {m['span_f1']:.3f} · action acc {m['action_accuracy']:.3f} · "
            f"arg acc {m['argument_accuracy']:.3f} · turn EM {m['turn_exact_match']:.3f}")


@click.command()
@click.argument("scenario")
@click.argument("corpus", type=click.Path(path_type=str))
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Model directory to write (an existing model directory is replaced once training is done).")
@click.option("--epochs", type=click.IntRange(min=1), default=8, show_default=True)
@_DEVICE
@click.option("--encoder", default=None, metavar="NAME_OR_PATH",
              help="Hugging Face model directory or cached hub name [default: the packaged all-MiniLM-L6-v2].")
@click.option("--finetune", is_flag=True, help="Train the encoder too (slower; its outputs are then not cached).")
@click.option("--components", default="ner,ap,af", show_default=True, metavar="LIST",
              help="Which models learn: a comma-separated subset of ner, ap, af.")
@click.option("--batch-size", type=click.IntRange(min=1), default=16, show_default=True, help="Dialogues per batch.")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar on stderr [default: when stderr is a terminal].")
def train(scenario: str, corpus: str, out_dir: Path, epochs: int, device: str, encoder: str | None, finetune: bool,
          components: str, batch_size: int, seed: int, progress: bool | None) -> None:
    """Train the dialogue manager (NER, action prediction, argument filling) of SCENARIO
    on CORPUS and write it to a model directory; figures on a held-out slice each epoch."""
    from dialogsim.cli import CliError, _load

    _prepare(device)
    from dialogsim.models.training import TrainConfig
    from dialogsim.models.training import train as train_models

    chosen = tuple(c.strip() for c in components.split(",") if c.strip())
    try:
        config = TrainConfig(epochs=epochs, device=device, encoder=encoder, finetune=finetune, batch_size=batch_size,
                             seed=seed, components=chosen)
    except ValueError as exc:
        raise CliError(f"--components: {exc}") from None
    loaded = _load(scenario)
    show = sys.stderr.isatty() if progress is None else progress
    bars = contextlib.ExitStack()  # the bar starts with the first batch, when the total is known
    advance: Callable[[int], None] | None = None

    def on_batch(done: int, total: int) -> None:
        nonlocal advance
        if not show:
            return
        if advance is None:
            advance = bars.enter_context(click.progressbar(length=total, label="training", file=sys.stderr)).update
        advance(1)

    def on_epoch(report) -> None:
        figures = "" if report.validation is None else f" · held-out: {_figures(report.validation)}"
        line = f"epoch {report.epoch}/{epochs}: loss {report.loss:.3f}{figures} ({report.seconds:.1f} s)"
        click.echo(("\n" if show else "") + line, err=True)

    with bars:
        result = train_models(loaded, corpus, out_dir, config, on_batch=on_batch, on_epoch=on_epoch)
    click.echo(f"wrote {result.model_dir}: trained on {result.dialogues:,} dialogues in {result.seconds:.1f} s")


@click.command()
@click.argument("model_dir", type=click.Path(path_type=str))
@click.argument("corpus", type=click.Path(path_type=str))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@_DEVICE
def evaluate(model_dir: str, corpus: str, as_json: bool, device: str) -> None:
    """Score a trained model on CORPUS: span P/R/F1, action and argument accuracy, exact
    matches per turn, dialogue success and consistency interventions."""
    _prepare(device)
    from dialogsim.models.metrics import evaluate as evaluate_models
    from dialogsim.models.runtime import load
    from dialogsim.models.training import read_dialogues

    manager = load(model_dir, device=device)
    metrics = evaluate_models(manager, read_dialogues(manager.scenario, corpus)).to_json()
    if as_json:
        click.echo(json.dumps(metrics, indent=2))
        return
    counts = metrics.pop("counts")
    click.echo(f"{corpus}: {counts['dialogues']:,} dialogues, {counts['turns']:,} turns")
    for name, value in metrics.items():
        shown = f"{value:,}" if isinstance(value, int) else f"{value:.4f}"
        click.echo(f"  {name.replace('_', ' '):<30} {shown}")


def _say_call(call) -> str:
    args = ", ".join(f"{k}={_short(a.value)}" for k, a in call.args.items())
    return f"  [{call.name}({args}) -> {call.status.value}]"


def _short(value) -> str:
    if isinstance(value, (tuple, list)):
        return f"[{len(value)} items]"
    if isinstance(value, dict) or hasattr(value, "items"):
        return "{" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "}"
    return str(value)


@click.command()
@click.argument("model_dir", type=click.Path(path_type=str))
@_DEVICE
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="Seed of the mock backend's results and the response wording.")
@click.option("--show-actions/--hide-actions", default=True, show_default=True,
              help="Print the API calls and response names under each reply.")
@click.option("--handlers", "handlers_spec", metavar="MODULE:NAME", default=None,
              help="A mapping of API name to handler function (see dialogsim.load_bot) that answers "
                   "those APIs instead of the mock backend; MODULE is looked for in the current directory too.")
def chat(model_dir: str, device: str, seed: int, show_actions: bool, handlers_spec: str | None) -> None:
    """Talk to a trained model in the terminal; API calls go to the scenario's mock
    backend or to your --handlers. '/reset' starts over, '/quit' (or end of input) leaves."""
    from dialogsim.cli import CliError

    _prepare(device)
    from dialogsim.bot import load_bot

    handlers = None if handlers_spec is None else _import_handlers(handlers_spec)
    try:
        bot = load_bot(model_dir, handlers, device=device, seed=seed)
    except ValueError as exc:  # handlers for APIs the scenario does not have
        raise CliError(f"--handlers: {exc}") from None
    click.echo(f"{bot.manager.scenario.name}: say something ('/reset' starts over, '/quit' leaves)")
    while True:
        try:
            text = click.prompt("you", prompt_suffix="> ", default="", show_default=False)
        except click.Abort:  # end of input
            click.echo()
            return
        text = text.strip()
        if text == "/quit":
            return
        if text == "/reset":
            bot.reset()
            click.echo("(new conversation)")
            continue
        if not text:
            continue
        reply = bot.respond(text)
        click.echo(f"bot> {reply.text}")
        if show_actions:
            for call in reply.api_calls:
                click.echo(_say_call(call))
            click.echo("  (" + ", ".join(a.name for a in reply.actions) + ")")


def _import_handlers(spec: str):
    import importlib
    import sys
    from collections.abc import Mapping

    from dialogsim.cli import CliError

    module_name, _, name = spec.partition(":")
    if not module_name or not name:
        raise CliError(f"--handlers {spec}: give MODULE:NAME")
    if "" not in sys.path:
        sys.path.insert(0, "")  # a module next to where the command runs, as python -m finds it
    try:
        handlers = getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError) as exc:
        raise CliError(f"--handlers {spec}: {exc}") from None
    if not isinstance(handlers, Mapping) or not all(callable(h) for h in handlers.values()):
        raise CliError(f"--handlers {spec}: not a mapping of API names to functions")
    return handlers


COMMANDS = (train, evaluate, chat)
