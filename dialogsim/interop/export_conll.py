"""CoNLL BIO export: the user turns of a corpus as ``dialogues.conll``.

One token a line (``token<TAB>tag``), a blank line after each utterance, and before it a
comment naming it, ``# id = flights-0000042/2`` (dialogue id / turn index), and its text:
what every sequence tagger reads, with the way back to the dialogue kept.

A value given without a span (``UserTurn.unspanned``: a boolean "with outdoor seating", a
yes to "Do you want outdoor seating?") tags no token, so BIO cannot hold it; it is kept in
one more comment, ``# values = {"outdoor_seating": "true"}`` (a JSON object, slot to value,
by act order: a value may have spaces, "moderately priced"), which taggers skip like the
others and a reader of slot values can take.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

from dialogsim.interop.export import bio_tags, tokens, unspanned

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
                values = dict(unspanned(turn))
                if values:
                    lines.append(f"# values = {json.dumps(values, ensure_ascii=False)}")
                lines += [f"{text[s:e]}\t{tag}" for (s, e), tag in zip(spans, bio_tags(spans, turn.get("spans", [])))]
                handle.write("\n".join(lines) + "\n\n")
    return count
