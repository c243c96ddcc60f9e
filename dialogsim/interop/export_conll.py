"""CoNLL BIO export: the user turns of a corpus as ``dialogues.conll``.

One token a line (``token<TAB>tag``), a blank line after each utterance, and before it a
comment naming it, ``# id = flights-0000042/2`` (dialogue id / turn index), and its text:
what every sequence tagger reads, with the way back to the dialogue kept.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from dialogsim.interop.export import bio_tags, tokens

__all__ = ["write_conll", "FILE"]

FILE = "dialogues.conll"


def write_conll(records: Iterable[dict], out: Path) -> int:
    count = 0
    with open(out / FILE, "w", encoding="utf-8", newline="\n") as handle:
        for record in records:
            count += 1
            for t, turn in enumerate(record["turns"]):
                if turn["speaker"] != "user":
                    continue
                text = " ".join(turn["text"].split("\n"))
                spans = tokens(text)
                lines = [f"# id = {record['id']}/{t}", f"# text = {text}"]
                lines += [f"{text[s:e]}\t{tag}" for (s, e), tag in zip(spans, bio_tags(spans, turn.get("spans", [])))]
                handle.write("\n".join(lines) + "\n\n")
    return count
