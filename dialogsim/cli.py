"""The ``dialogsim`` command: a thin layer over the Python API.

``validate`` loads a scenario and lists its coverage warnings, ``generate`` writes a corpus,
``stats`` reads one back, ``graph`` draws the API dependency graph. Each command calls one
public function. A ``DialogsimError`` (bad scenario, corrupt corpus, refused overwrite)
becomes one line ``error: <message>`` on stderr and exit status 2 -- the same status as
a usage error -- so scripts can tell bad input from a crash; anything else is a bug and
keeps its traceback. Heavy modules are imported inside the commands so ``--help`` is quick.
"""

from __future__ import annotations

import contextlib
import json
import math
import signal
import sys
import time
import warnings
from pathlib import Path
from typing import Iterator

import click

import dialogsim
from dialogsim._layout import require_package
from dialogsim.errors import DialogsimError, locate

require_package()  # beside a clone named dialogsim: say so, not "no attribute '__version__'"

__all__ = ["main"]


class CliError(click.ClickException):
    """A domain error, shown as one ``error:`` line; exit status 2."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(str(message).split("\n")))

    def show(self, file=None) -> None:
        click.echo(f"error: {self.format_message()}", err=True, file=file)


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except DialogsimError as exc:
            raise CliError(str(exc)) from None


def _scenario_file(spec: str) -> Path:
    """A scenario argument: a file path, or else the name of a bundled example."""
    path = Path(spec)
    if path.is_file():
        return path
    if path.exists():
        raise CliError(f"{spec}: not a scenario file")
    from dialogsim import scenarios

    try:
        return scenarios.path(spec)
    except FileNotFoundError:
        raise CliError(f"{spec}: no such scenario file, and no bundled example of that name "
                       f"(examples: {', '.join(scenarios.names())})") from None


def _load(spec: str):
    from dialogsim.loader import load_scenario

    return load_scenario(_scenario_file(spec))


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(dialogsim.__version__, "--version", prog_name="dialogsim", message="%(prog)s %(version)s")
def main() -> None:
    """Simulate annotated dialogues from a scenario file.

    SCENARIO arguments take a path to a scenario YAML file or the name of a bundled
    example (e.g. "flights").
    """


@main.command()
@click.argument("scenario")
def validate(scenario: str) -> None:
    """Check a scenario file, and its sample dialogues against the system policy, and print
    what it declares; coverage warnings and samples the policy does not follow go to stderr."""
    from dialogsim.coverage import coverage_warnings
    from dialogsim.samples import check_samples

    loaded = _load(scenario)
    sample_warnings = check_samples(loaded)  # a sample that contradicts the scenario is an error
    generated = sum(1 for r in loaded.responses.values() if r.generated)
    click.echo(f"ok: {loaded.name}: {len(loaded.types)} types, {len(loaded.apis)} APIs, "
               f"{len(loaded.responses)} responses ({generated} generated), {len(loaded.samples)} samples")
    for w in coverage_warnings(loaded) + sample_warnings:  # "warning: FILE:LINE: FIELD: ...", like "error: ..."
        click.echo(f"warning: {locate(w.path, w.line, w.field, w.message)}", err=True)


@main.command()
@click.argument("scenario")
@click.option("-n", "--count", "n", type=click.IntRange(min=0), required=True, help="Dialogues to simulate.")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=str), required=True,
              help="Corpus directory to write (replaced atomically if it holds a corpus): a path, or an "
                   "fsspec URL such as s3://bucket/corpus.")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True, help="Random seed.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes; the corpus is identical for any number.")
@click.option("--shard-size", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Dialogues per part-NNNNN.jsonl shard.")
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar on stderr [default: when stderr is a terminal].")
@click.option("--holdout-values", "holdout", metavar="FRACTION", default="0", show_default=True,
              help="Reserve this fraction of each catalogue's values for a test corpus: the same "
                   "fraction with --split train and --split test gives corpora whose values never overlap.")
@click.option("--split", metavar="train|test", default="train", show_default=True,
              help="Draw the kept values (train) or only the held-out ones (test).")
@click.option("--variation", "variation_items", metavar="NAME=VALUE", multiple=True,
              help="Override a setting of the scenario's variation: section, e.g. typos=0.2 or "
                   "carrier=0 (repeatable).")
@click.option("--no-variation", is_flag=True, help="Switch language variation off (enabled=false).")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="local: worker processes on this machine. ray: one Ray task per shard (extra 'ray'); "
                   "the corpus is byte-identical.")
@click.option("--address", metavar="ADDR", default=None,
              help="Ray cluster to join (with --engine ray); without it a local Ray instance of "
                   "--workers CPUs is started.")
def generate(scenario: str, n: int, out_dir: str, seed: int, workers: int, shard_size: int,
             progress: bool | None, holdout: str, split: str, variation_items: tuple[str, ...],
             no_variation: bool, engine: str, address: str | None) -> None:
    """Simulate N dialogues of SCENARIO and write them to a corpus directory.

    Only a corpus dialogsim wrote is replaced, and only its shards and manifest: other
    files in the directory stay."""
    from dialogsim.generation import cpu_count, worker_count
    from dialogsim.generation import generate as generate_corpus

    fraction = _holdout(holdout, split)
    if address is not None and engine != "ray":
        raise CliError("--address is the Ray cluster to join: it needs --engine ray")
    if engine == "ray":
        from dialogsim.ray import require_ray

        require_ray()  # before any work: the install hint, not a half-started run
    loaded = _load(scenario)
    variation = loaded.variation
    overrides = list(variation_items) + (["enabled=false"] if no_variation else [])
    if overrides:
        try:
            variation = variation.with_overrides(overrides)
        except ValueError as exc:
            raise CliError(f"--variation: {exc}") from None
    if progress is None:
        progress = sys.stderr.isatty()
    if worker_count(workers, n) < workers:
        reason = "the CPUs available" if worker_count(workers, n) == min(workers, cpu_count()) else "one per dialogue"
        click.echo(f"note: --workers {workers} capped at {worker_count(workers, n)} ({reason})", err=True)
    options = dict(seed=seed, workers=workers, shard_size=shard_size, variation=variation,
                   holdout=fraction, split=split, engine=engine, address=address)
    started = time.perf_counter()
    try:
        with _warnings_once(), _stop_on_signals():
            if progress:
                with click.progressbar(length=n, label="simulating", file=sys.stderr, show_pos=True,
                                       show_eta=True) as bar:
                    manifest = generate_corpus(loaded, n, out_dir, progress=bar.update, **options)
            else:
                manifest = generate_corpus(loaded, n, out_dir, **options)
    except OSError as exc:  # disk full, permission denied: the user's to fix, not a bug
        raise CliError(f"{out_dir}: cannot write the corpus: {exc.strerror or exc}") from None
    except _Stopped as exc:
        raise CliError(f"stopped by {exc.args[0]}; {out_dir} is left as it was") from None
    seconds = time.perf_counter() - started
    rate = n / seconds if seconds > 0 else 0.0
    shards = len(manifest.shards)
    values = f"; {split} split, {100 * fraction:g}% of values held out" if fraction else ""
    click.echo(f"wrote {n} dialogues to {out_dir} ({shards} shard{'s' if shards != 1 else ''}{values}) "
               f"in {seconds:.2f} s: {rate:,.0f} dialogues/s")
    if fraction:  # how much each split holds: a held-out split of two values tests little
        from dialogsim.catalogue import Catalogue

        click.echo(str(Catalogue(loaded, holdout=fraction, split=split).split_sizes()))


class _Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP (``timeout``, ``docker stop``, a closed terminal): unwinds like
    Ctrl-C, so workers are stopped and the staging folder removed."""


@contextlib.contextmanager
def _stop_on_signals() -> Iterator[None]:
    """Turn the first SIGINT, SIGTERM or SIGHUP into an exception that unwinds the run, and
    ignore the ones after it: a second Ctrl-C must not interrupt the clean-up (it used to
    leave the command waiting forever on workers nobody stopped)."""
    stopping: list[int] = []

    def stop(signum: int, frame) -> None:
        if stopping:
            return
        stopping.append(signum)
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        raise _Stopped(signal.Signals(signum).name)

    wanted = [getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)]
    previous = {signum: signal.signal(signum, stop) for signum in wanted}
    try:
        yield
    except KeyboardInterrupt as exc:
        # Ray's wait re-raises whatever a signal handler raised as a plain KeyboardInterrupt.
        if stopping and stopping[0] != signal.SIGINT and not isinstance(exc, _Stopped):
            raise _Stopped(signal.Signals(stopping[0]).name) from None
        raise
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _holdout(raw: str, split: str) -> float:
    """The --holdout-values fraction, checked with --split by the catalogue's rule (one-line
    errors, not usage text)."""
    from dialogsim.catalogue import check_holdout

    try:
        fraction = float(raw)
    except ValueError:
        fraction = math.nan
    try:
        return check_holdout(fraction, split, holdout_name="--holdout-values", split_name="--split", given=raw)
    except ValueError as error:
        raise CliError(str(error)) from None


@contextlib.contextmanager
def _warnings_once() -> Iterator[None]:
    """Show each ``VariationWarning`` (an augmenter skipped, and why) once, as a
    ``warning:`` line on stderr, however many worker processes met it."""
    from dialogsim.paraphrase.augment import VariationWarning

    shown: set[str] = set()
    with warnings.catch_warnings():  # restores the filters and showwarning on the way out
        warnings.simplefilter("always", VariationWarning)  # deduplicated here, per command
        original = warnings.showwarning

        def show(message, category, filename, lineno, file=None, line=None):
            if not issubclass(category, VariationWarning):
                return original(message, category, filename, lineno, file, line)
            if str(message) not in shown:
                shown.add(str(message))
                click.echo(f"warning: {message}", err=True)

        warnings.showwarning = show
        yield


def _percent(share: float) -> str:
    return f"{100 * share:5.1f}%"


def _stats_table(path: str, stats: dict) -> str:
    from dialogsim.stats import NGRAMS

    n = stats["dialogues"]
    turns = stats["turns"]
    distinct = stats["distinct"]["user_utterances"]
    outcomes = ", ".join(f"{name} {count} ({100 * count / n:.1f}%)" for name, count in stats["outcomes"].items())
    lines = [
        f"corpus {path}",
        f"  dialogues                 {n}",
        f"  outcomes                  {outcomes or '-'}",
        f"  turns per dialogue        mean {turns['mean']:.1f}, min {turns['min']}, max {turns['max']}",
        f"  user turns                {stats['user_turns']}",
        f"  distinct user utterances  {distinct['count']}{'' if distinct['exact'] else ' (estimate)'}"
        f", {_percent(stats['unique_user_utterance_share']).strip()} of user turns",
    ]
    # user-turn language: how varied, and which augmenters made it so
    language = stats["language"]
    templates = stats["distinct"]["templates"]
    distinct_n = "distinct-" + " / ".join(map(str, NGRAMS))
    lines += [
        f"  {distinct_n:<26}" + " / ".join(f"{language[f'distinct_{k}']:.3f}" for k in NGRAMS),
        f"  delexicalised templates   {language['templates']}{'' if templates['exact'] else ' (estimate)'}",
        "",
        f"  {'augmenter':<28}{'user turns':>10}{'share':>9}",
    ]
    for name, figures in language["augmented"].items():
        lines.append(f"  {name:<28}{figures['turns']:>10}{_percent(figures['share']):>9}")
    lines += ["", f"  {'pattern':<28}{'dialogues':>10}{'share':>9}"]
    for name, figures in stats["patterns"].items():
        lines.append(f"  {name:<28}{figures['count']:>10}{_percent(figures['share']):>9}")
    if stats["api_calls"]:
        lines += ["", f"  {'API':<28}{'calls':>10}{'ok':>9}{'empty':>9}{'failure':>9}"]
        for api, figures in stats["api_calls"].items():
            lines.append(f"  {api:<28}{figures['calls']:>10}{figures.get('ok', 0):>9}"
                         f"{figures.get('empty', 0):>9}{figures.get('failure', 0):>9}")
    if turns["histogram"]:
        lines += ["", "  turns  dialogues"]
        top = max(turns["histogram"].values())
        for length, count in sorted(turns["histogram"].items(), key=lambda item: int(item[0])):
            bar = "#" * max(1, round(40 * count / top))
            lines.append(f"  {length:>5}  {count:>9}  {bar}")
    return "\n".join(lines)


@main.command()
@click.argument("corpus", type=click.Path(path_type=str))
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON.")
def stats(corpus: str, as_json: bool) -> None:
    """Statistics of a corpus directory: outcomes, pattern shares, turns, and how varied the
    user turns are (distinct-n, templates, augmenters)."""
    from dialogsim.stats import corpus_stats

    with warnings.catch_warnings(record=True) as caught:  # what could not be checked (no manifest)
        warnings.simplefilter("always")
        figures = corpus_stats(corpus)
    for warning in caught:
        click.echo(f"warning: {warning.message}", err=True)
    if as_json:
        click.echo(json.dumps(figures, indent=2, sort_keys=True, ensure_ascii=False))
    else:
        click.echo(_stats_table(corpus, figures))


def _draw_png(graph, out: Path) -> None:
    """Draw the dependency graph with networkx and matplotlib's Agg backend."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import networkx as nx

    g = graph.nx.copy()  # the layers below are drawing data, not the scenario's graph
    if nx.is_directed_acyclic_graph(g):
        for layer, nodes in enumerate(nx.topological_generations(g)):
            for node in nodes:
                g.nodes[node]["layer"] = layer
        pos = nx.multipartite_layout(g, subset_key="layer")
    else:
        pos = nx.spring_layout(g, seed=0)
    fig, ax = plt.subplots(figsize=(max(4, 2.5 * len(g)), 3 + 0.5 * len(g)))
    nx.draw_networkx(g, pos, ax=ax, node_shape="s", node_size=2500, node_color="#dde8f6",
                     font_size=9, arrows=True, arrowsize=18)
    nx.draw_networkx_edge_labels(
        g, pos, ax=ax, font_size=8,
        edge_labels={(a, b): f"{d['type']}: {', '.join(d['args'])}" for a, b, d in g.edges(data=True)})
    ax.set_title(graph.scenario.name)
    ax.axis("off")
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)


@main.command()
@click.argument("scenario")
@click.option("--format", "fmt", type=click.Choice(["dot", "mermaid", "png"]), default="dot", show_default=True)
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write [default: stdout; required for png].")
def graph(scenario: str, fmt: str, out: Path | None) -> None:
    """Draw the API dependency graph of SCENARIO as DOT, Mermaid or PNG."""
    from dialogsim.graph import DependencyGraph

    png: Path | None = None  # the file to draw, checked before the scenario is read
    if fmt == "png":
        if out is None:
            raise click.UsageError("--format png needs -o FILE")
        import importlib.util

        if importlib.util.find_spec("matplotlib") is None:
            raise CliError("--format png needs matplotlib: pip install 'dialogsim[plot]'")
        png = out
    dependency_graph = DependencyGraph(_load(scenario))
    try:
        if png is not None:
            _draw_png(dependency_graph, png)
            return
        text = dependency_graph.to_dot() if fmt == "dot" else dependency_graph.to_mermaid()
        if out is None:
            click.echo(text, nl=False)
        else:
            out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CliError(f"{out}: cannot write: {exc.strerror or exc}") from None


# -- test-bot: the simulated customer tests a bot (dialogsim.testing) --------------------
@main.command("test-bot")
@click.argument("scenario")
@click.option("--http", "url", metavar="URL", help="A bot behind Rasa's REST channel (POST {sender, message}).")
@click.option("--python", "python_bot", metavar="MODULE:NAME",
              help="A Python bot: an object with respond(turn), a function, or a class (given the scenario).")
@click.option("--model", "model_dir", metavar="DIR", type=click.Path(file_okay=False, path_type=str),
              help="A trained dialogsim model directory (dialogsim train).")
@click.option("-n", "n", type=click.IntRange(min=1), default=100, show_default=True, help="Conversations to hold.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the goals and the customer.")
@click.option("--skip", "skip", metavar="ORACLE", multiple=True, help="An oracle to switch off (repeatable).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=10.0, show_default=True,
              help="Seconds the bot may take per reply.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def test_bot(scenario: str, url: str | None, python_bot: str | None, model_dir: str | None, n: int, seed: int,
             skip: tuple[str, ...], timeout: float, as_json: bool) -> None:
    """Have the simulated customer hold N conversations with a bot and check each against
    the oracles; exit status 1 when any conversation fails."""
    from dialogsim.testing import Bot, HttpBot, import_bot, run_many
    from dialogsim.testing.oracles import ORACLES

    if sum(x is not None for x in (url, python_bot, model_dir)) != 1:
        raise CliError("give the bot with exactly one of --http URL, --python MODULE:NAME, --model DIR")
    unknown = sorted(set(skip) - set(ORACLES))
    if unknown:
        raise CliError(f"--skip {unknown[0]}: no such oracle (the oracles: {', '.join(ORACLES)})")
    loaded = _load(scenario)
    bot: Bot
    if url is not None:
        bot = HttpBot(url, timeout=timeout)
    elif python_bot is not None:
        if "" not in sys.path and str(Path.cwd()) not in sys.path:
            sys.path.insert(0, str(Path.cwd()))  # MODULE is looked for where the command runs, as python -m does
        bot = import_bot(python_bot, loaded)
    elif model_dir is not None:  # exactly one of the three is given (checked above)
        model_bot = dialogsim.load_bot(model_dir)
        trained_for = model_bot.manager.scenario.name
        if trained_for != loaded.name:  # else every conversation fails as not understood
            raise CliError(f"{model_dir}: the model was trained for scenario {trained_for!r}, not {loaded.name!r}")
        bot = model_bot
    # A progress bar where a person watches (a terminal); nothing in logs and pipes.
    with click.progressbar(length=n, label="conversations", file=sys.stderr, hidden=not sys.stderr.isatty()) as bar:
        summary = run_many(bot, loaded, n, seed=seed, oracles=[o for o in ORACLES if o not in skip],
                           timeout=timeout, progress=lambda report: bar.update(1))
    if as_json:
        click.echo(json.dumps(summary.to_json(), indent=2, ensure_ascii=False))
    else:
        click.echo(summary.table())
        shortest = min(summary.examples.values(), key=lambda r: r.turns, default=None)
        if shortest is not None:
            click.echo(f"\nshortest failing conversation (dialogsim.testing.converse(..., seed={seed}, "
                       f"index={shortest.index})):\n{shortest.render()}")
    if not summary.ok:
        sys.exit(1)


# -- interop: import-sgd, convert-sgd, export (dialogsim.interop.commands) -------------
def _add_interop_commands() -> None:
    from dialogsim.interop.commands import COMMANDS

    for command in COMMANDS:
        main.add_command(command)


_add_interop_commands()


# -- models: train, evaluate, chat (dialogsim.model_commands) ---------------------------
def _add_model_commands() -> None:
    from dialogsim.model_commands import COMMANDS

    for command in COMMANDS:
        main.add_command(command)


_add_model_commands()


if __name__ == "__main__":  # python -m dialogsim.cli
    main()
