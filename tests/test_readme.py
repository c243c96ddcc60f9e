"""README.md runs as written: every command and Python example is executed, in order, in a
scratch directory, and the output it shows is the output it prints.

How README blocks are read (also in README's Development section):

- ```` ```bash ```` -- each line is a command; it must exit 0.
- ```` ```console ```` -- lines starting ``$ `` are commands, the lines after one are its
  output. Shown output must match what the command prints (stdout and stderr, trailing
  spaces ignored); a command whose output starts ``error:`` must exit 2, others 0.
- ```` ```python ```` -- run as a script; it must exit 0.
- Other blocks (json, yaml, ...) are data and are not run.

An HTML comment on the line before a block changes that:

- ``<!-- readme-test: skip: REASON -->`` -- do not run the block (it needs a network, a
  trained model, a Ray cluster ...); the reason is required.
- ``<!-- readme-test: file NAME -->`` -- write the block's text to ``NAME`` first, so later
  commands can use it (the broken scenario ``dialogsim validate`` reports on).

Commands run in a scratch directory where ``scenarios/`` is the repository's, with the
test environment's ``dialogsim`` and ``python`` first on ``PATH``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

README = Path(__file__).parent.parent / "README.md"
_FENCE = re.compile(r"^```(\w*)\s*$")
_DIRECTIVE = re.compile(r"^<!--\s*readme-test:\s*(skip|file)\b:?\s*(.*?)\s*-->\s*$")


@attrs.frozen
class Block:
    lang: str
    text: str
    line: int  # of the opening fence
    directive: tuple[str, str] | None  # ("skip", reason) or ("file", name)


def blocks(markdown: str) -> list[Block]:
    """The fenced blocks of ``markdown``, with the directive comment just before each."""
    out: list[Block] = []
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if m is None:
            i += 1
            continue
        start, body = i, []
        i += 1
        while i < len(lines) and not lines[i].startswith("```"):
            body.append(lines[i])
            i += 1
        before = lines[start - 1] if start else ""
        d = _DIRECTIVE.match(before)
        out.append(Block(m.group(1), "\n".join(body) + "\n", start + 1, (d.group(1), d.group(2)) if d else None))
        i += 1
    return out


def console_steps(text: str) -> list[tuple[str, str]]:
    """``(command, shown output)`` pairs of a console block."""
    steps: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif steps:
            steps[-1][1].append(line)
    return [(command, "\n".join(shown).rstrip()) for command, shown in steps]


def _normalise(output: str) -> str:
    return "\n".join(line.rstrip() for line in output.strip().splitlines())


def test_the_reader_of_readme_blocks():
    md = ("text\n<!-- readme-test: skip: needs a GPU -->\n```bash\nrun me\n```\n"
          "```console\n$ a\nout 1\nout 2\n$ b\n```\n<!-- readme-test: file x.yaml -->\n```yaml\nk: v\n```\n")
    got = blocks(md)
    assert [(b.lang, b.directive) for b in got] == [
        ("bash", ("skip", "needs a GPU")), ("console", None), ("yaml", ("file", "x.yaml"))]
    assert console_steps(got[1].text) == [("a", "out 1\nout 2"), ("b", "")]


_BLOCKS = blocks(README.read_text(encoding="utf-8"))


def test_every_skip_gives_a_reason():
    assert [b.line for b in _BLOCKS if b.directive and b.directive[0] == "skip" and not b.directive[1]] == []


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("readme")
    (root / "scenarios").symlink_to(README.parent / "scenarios", target_is_directory=True)
    return root


def _run(command: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


# One test that walks the README in order: later blocks use what earlier ones made.
def test_readme_runs_as_written(scratch):
    ran = 0
    for block in _BLOCKS:
        where = f"README.md:{block.line}"
        if block.directive and block.directive[0] == "skip":
            continue
        if block.directive and block.directive[0] == "file":
            (scratch / block.directive[1]).write_text(block.text, encoding="utf-8")
            continue
        if block.lang == "bash":
            for command in block.text.splitlines():
                if command.strip():
                    done = _run(command, scratch)
                    assert done.returncode == 0, f"{where}: {command}\n{done.stdout}{done.stderr}"
                    ran += 1
        elif block.lang == "console":
            for command, shown in console_steps(block.text):
                done = _run(command, scratch)
                expected = 2 if shown.startswith("error:") else 0
                assert done.returncode == expected, f"{where}: {command}\n{done.stdout}{done.stderr}"
                if shown:
                    assert _normalise(done.stdout + done.stderr) == _normalise(shown), f"{where}: {command}"
                ran += 1
        elif block.lang == "python":
            script = scratch / f"readme_{block.line}.py"
            script.write_text(block.text, encoding="utf-8")
            done = subprocess.run([sys.executable, str(script)], cwd=scratch, capture_output=True, text=True,
                                  timeout=300)
            assert done.returncode == 0, f"{where}\n{done.stdout}{done.stderr}"
            ran += 1
    assert ran > 0
