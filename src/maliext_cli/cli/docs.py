"""The command reference, docs/cli.md: the `--help` of every command, in the order
`--help` lists them. tests/test_cli_reference.py fails when the file is not what
this writes, so that the reference never drifts from the commands. It is written in
English, the language of the repository, whatever the locale of the machine.

    python -m maliext_cli.cli.docs            # from the repository's root: rewrites docs/cli.md
    python -m maliext_cli.cli.docs OTHER.md
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

DEFAULT_PATH = Path("docs/cli.md")
REGENERATE = "python -m maliext_cli.cli.docs"
# What `--help` prints on any terminal of 80 columns or more (click wraps at 80
# columns less a margin of 2), whatever the terminal of the machine that writes it.
WIDTH = 78


def command_paths(command: Any) -> Iterator[list[str]]:
    """`command` and every command and group below it, as the words that name them
    after `maliext`, in the order --help lists them."""

    def walk(command: Any, path: list[str]) -> Iterator[list[str]]:
        yield path
        for name, sub in getattr(command, "commands", {}).items():
            if not sub.hidden:
                yield from walk(sub, [*path, name])

    return walk(command, [])


def help_text(command: Any, path: list[str]) -> str:
    """What `maliext PATH --help` prints (no colours: it is not a terminal)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = command.main([*path, "--help"], prog_name="maliext", standalone_mode=False, terminal_width=WIDTH)
    if code != 0:
        raise RuntimeError(f"maliext {' '.join(path)} --help exited with {code}:\n{out.getvalue()}")
    return out.getvalue()


@contextlib.contextmanager
def _in_english() -> Iterator[None]:
    """Every command run inside speaks English (its language is chosen from the
    environment each time it runs: maliext_cli/i18n.py)."""
    before = os.environ.get("MALIEXT_LANG")
    os.environ["MALIEXT_LANG"] = "en"
    try:
        yield
    finally:
        if before is None:
            del os.environ["MALIEXT_LANG"]
        else:
            os.environ["MALIEXT_LANG"] = before


def render() -> str:
    """The Markdown text of the reference."""
    with _in_english():
        return _render()


def _render() -> str:
    from typer.main import get_command

    from maliext_cli.cli.app import app

    command = get_command(app)
    paths = list(command_paths(command))
    lines = [
        "# Command reference",
        "",
        f"<!-- Written by `{REGENERATE}` from the --help of every command; do not edit by hand. -->",
        "",
        "Every `maliext` command, as `maliext COMMAND --help` prints it.",
        "",
    ]
    lines += [f"{'  ' * (len(p) - 1)}- [{title(p)}](#{anchor(p)})" for p in paths if p]
    for path in paths:
        lines += ["", f"## {title(path)}", "", "```text", help_text(command, path).rstrip("\n"), "```"]
    return "\n".join(lines) + "\n"


def title(path: list[str]) -> str:
    return " ".join(["maliext", *path])


def anchor(path: list[str]) -> str:
    """The id GitHub gives the heading of `path` (lower case, spaces as hyphens)."""
    return "-".join(["maliext", *path]).lower()


def main(argv: list[str]) -> None:
    path = Path(argv[0]) if argv else DEFAULT_PATH
    path.write_text(render(), encoding="utf-8")
    print(f"Wrote {path}.")


if __name__ == "__main__":
    main(sys.argv[1:])
