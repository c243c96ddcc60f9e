"""The interop commands of the ``dialogsim`` CLI: ``import-sgd``, ``convert-sgd``, ``export``.

Each calls one public function of ``dialogsim.interop``. They live here, not in
``dialogsim.cli``, so that the CLI module only registers them; like every command, a
``DialogsimError`` they raise becomes one ``error:`` line and exit status 2 (the group in
``dialogsim.cli`` does that), and heavy modules are imported inside the commands.
"""

from __future__ import annotations

from pathlib import Path

import click

from dialogsim.interop.errors import InteropError

__all__ = ["COMMANDS", "dialogue_files"]


def dialogue_files(specs: tuple[str, ...] | list[str]) -> list[Path]:
    """SGD dialogue files from paths: a file as given, a directory as its
    ``dialogues_*.json`` in name order."""
    files: list[Path] = []
    for spec in specs:
        path = Path(spec)
        if path.is_dir():
            found = sorted(path.glob("dialogues_*.json"))
            if not found:
                raise InteropError(f"{spec}: no dialogues_*.json files in this directory")
            files += found
        else:
            files.append(path)
    return files


@click.command("import-sgd")
@click.argument("schema_json", type=click.Path(dir_okay=False, path_type=str))
@click.argument("service")
@click.option("--dialogues", "dialogues", metavar="FILE|DIR", multiple=True,
              help="SGD dialogue files (or directories of dialogues_*.json) to draw catalogues, phrasings, "
                   "response texts and samples from (repeatable).")
@click.option("--samples", "samples", type=click.IntRange(1, 10), default=5, show_default=True,
              help="Sample dialogues to take from the dialogues.")
@click.option("-o", "--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Scenario YAML file to write.")
@click.option("--force", is_flag=True, help="Replace OUT if it exists.")
def import_sgd_command(schema_json: str, service: str, dialogues: tuple[str, ...], samples: int, out: Path,
                       force: bool) -> None:
    """Turn SGD service SERVICE of SCHEMA_JSON into a scenario file; what cannot be mapped
    is listed as warnings."""
    from dialogsim.interop.sgd_schema import import_sgd

    imported = import_sgd(schema_json, service, dialogue_files(dialogues), samples=samples)
    try:
        imported.write(out, force=force)
    except OSError as exc:
        raise InteropError(f"{out}: cannot write: {exc.strerror or exc}") from None
    for warning in imported.warnings:
        click.echo(f"warning: {service}: {warning}", err=True)
    click.echo(f"wrote scenario {imported.name} to {out} ({len(imported.warnings)} warnings)")


@click.command("export")
@click.argument("corpus", type=click.Path(path_type=str))
@click.option("--format", "fmt", type=click.Choice(["rasa", "conll", "sgd", "hf"]), required=True,
              help="rasa: Rasa 3.x domain, NLU and stories; conll: BIO tags; sgd: SGD schema and dialogues; "
                   "hf: a Hugging Face dataset folder.")
@click.option("-o", "--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write.")
@click.option("--scenario", "scenario", default=None,
              help="The corpus's scenario file or bundled example (needed by --format sgd).")
@click.option("--license", "license_", default="unknown", show_default=True,
              help="Licence stated in the Hugging Face dataset card.")
@click.option("--force", is_flag=True, help="Write into a non-empty OUT, replacing only the files the export writes.")
def export_command(corpus: str, fmt: str, out: Path, scenario: str | None, license_: str, force: bool) -> None:
    """Write CORPUS in another tool's format, streaming."""
    from dialogsim.interop.export import export_corpus

    loaded = None
    if scenario is not None:
        from dialogsim.cli import _load

        loaded = _load(scenario)
    try:
        exported = export_corpus(corpus, fmt, out, scenario=loaded, force=force, license=license_)
    except OSError as exc:
        raise InteropError(f"{out}: cannot write: {exc.strerror or exc}") from None
    click.echo(f"exported {exported.dialogues} dialogues as {fmt} to {out}: {', '.join(exported.files)}")


@click.command("convert-sgd")
@click.argument("schema_json", type=click.Path(dir_okay=False, path_type=str))
@click.argument("service")
@click.argument("dialogues", nargs=-1, required=True)
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Corpus directory to write (replaced atomically if it holds a corpus).")
@click.option("--shard-size", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Dialogues per part-NNNNN.jsonl shard.")
def convert_sgd_command(schema_json: str, service: str, dialogues: tuple[str, ...], out_dir: Path,
                        shard_size: int) -> None:
    """Write the SGD dialogues of SERVICE (DIALOGUES: files, or directories of
    dialogues_*.json) as a dialogsim corpus, so that stats and evaluate run on them."""
    from dialogsim.interop.sgd_dialogues import convert_sgd

    try:
        converted = convert_sgd(schema_json, service, dialogue_files(dialogues), out_dir, shard_size=shard_size)
    except OSError as exc:
        raise InteropError(f"{out_dir}: cannot write the corpus: {exc.strerror or exc}") from None
    for kind, count in converted.skipped.items():
        click.echo(f"warning: {service}: not converted: {kind}: {count}", err=True)
    click.echo(f"wrote {converted.manifest.n} dialogues of {service} to {out_dir}")


COMMANDS = (import_sgd_command, convert_sgd_command, export_command)
