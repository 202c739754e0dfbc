"""What the noun modules share: opening the store, confirmation, input and output files."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import typer

from maliext_cli.errors import MaliextError, UsageProblem
from maliext_cli.i18n import _
from maliext_cli.render import output
from maliext_cli.services.records import Entity
from maliext_cli.store import Store, paths


class State:
    """Options given before the subcommand (`maliext --db X consultant list`)."""

    db: Path | None = None
    debug: bool = False
    # A database file this command created: announced if the command succeeds, removed
    # if it fails, so that a failed command leaves the disk as it was.
    created: Path | None = None


def db_path(db: Path | None) -> tuple[Path, str]:
    return paths.resolve(db or State.db)


def open_store(db: Path | None, *, create: bool = True, readonly: bool = False) -> Store:
    """The database of this command: `--db` (after or before the subcommand), else
    MALIEXT_DB, else the user's data directory."""
    path, _ = db_path(db)
    existed = path.exists()
    store = Store.open(path, create=create, readonly=readonly)
    if not existed:
        State.created = path
    return store


def read_input(file: str) -> tuple[bytes, str | None]:
    """The bytes of FILE or of stdin (`-`), and a name for format detection."""
    if file == "-":
        return sys.stdin.buffer.read(), None
    path = Path(file)
    try:
        return path.read_bytes(), path.name
    except FileNotFoundError:
        raise MaliextError(_("no file {file}").format(file=file)) from None
    except IsADirectoryError:
        raise MaliextError(_("{file} is a directory").format(file=file)) from None
    except OSError as exc:
        raise MaliextError(_("cannot read {file}: {reason}").format(file=file, reason=exc.strerror)) from None


@contextlib.contextmanager
def output_stream(path: Path | None, *, binary: bool = False) -> Iterator[IO]:
    """stdout, or the file `path` written only once the output is complete (text in
    UTF-8, or bytes if `binary`).

    The file is made new beside `path`, under a name no one else holds (O_EXCL, never
    through a symbolic link), readable by its owner only (0600: exports, reports and
    papers carry personal data), then renamed onto `path`: a link or a file already at
    `path` is replaced, never followed or written through, and a failed or interrupted
    command leaves no half-written file behind.
    """
    if path is None:
        yield sys.stdout.buffer if binary else sys.stdout
        return
    import tempfile

    tmp: Path | None = None
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        tmp = Path(name)
        if binary:
            with open(fd, "wb") as handle:
                yield handle
        else:
            with open(fd, "w", encoding="utf-8", newline="") as handle:
                yield handle
        os.replace(tmp, path)
    except OSError as exc:
        raise MaliextError(_("cannot write {path}: {reason}").format(path=path, reason=exc.strerror)) from None
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


def interactive() -> bool:
    """Whether someone can be asked: stdin is a terminal."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def confirm(question: str, yes: bool) -> None:
    """Go on if `--yes` or the user agrees; refuse when nobody can be asked."""
    if yes:
        return
    if not interactive():
        raise MaliextError(
            _("this command changes data and needs confirmation, but stdin is not a terminal"),
            hint=_("Add --yes to confirm."),
        )
    if not ask(question):
        raise MaliextError(_("cancelled; nothing was changed"))


def answers() -> tuple[set[str], set[str]]:
    """The answers read as yes and as no: the interface language's (o, oui / n, non in
    French) and English ones, which people type in any language."""
    # Translators: the short and long answers meaning yes, separated by "/" (o/oui).
    yes = {"y", "yes", *_("y/yes").split("/")}
    # Translators: the short and long answers meaning no, separated by "/" (n/non).
    no = {"n", "no", *_("n/no").split("/")}
    return {w.strip().casefold() for w in yes if w.strip()}, {w.strip().casefold() for w in no if w.strip()}


def prompt(text: str, **options: Any) -> str:
    """Ask on stderr and read the answer. A Ctrl-C while waiting for it is one like any
    other (one line, exit code 130: cli/entry.py), not Click's `Aborted!`."""
    import click

    from maliext_cli.cli.entry import Interrupt

    try:
        return typer.prompt(text, err=True, **options)
    except click.exceptions.Abort:
        if Interrupt.came:
            typer.echo(err=True)  # off the question's line, as a shell does
            raise KeyboardInterrupt from None
        raise


def ask(question: str) -> bool:
    """Ask a yes-or-no question on stderr; no unless the answer is yes. Click's own
    confirm understands only y and yes."""
    yes, no = answers()
    # Translators: a yes-or-no question and the answers it shows, the default (no) in capitals;
    # French puts a narrow no-break space before ":".
    text = _("{question} [y/N]:").format(question=question)
    while True:
        answer = prompt(text, default="", show_default=False, prompt_suffix=" ").strip().casefold()
        if answer in yes:
            return True
        if answer in no or not answer:
            return False
        typer.echo(_("Answer {yes} or {no}.").format(yes=_("yes"), no=_("no")), err=True)


def format_name(fmt: str, allowed: Sequence[str] = output.BUILTIN_FORMATS) -> str:
    return output.check_format(fmt, allowed=allowed)


def prompt_missing(entity: Entity, values: dict) -> None:
    """On a terminal, ask for the required fields that were not given."""
    if not interactive():
        return
    for f in entity.fields:
        if f.required and not values.get(f.name):
            # Translators: asks for a required field, e.g. "--family-name (Family name, as written):".
            question = _("{option} ({help}):").format(option=f.option, help=_(f.help).rstrip("."))
            values[f.name] = prompt(question, prompt_suffix=" ")


def print_ids(ids: Sequence[int]) -> None:
    sys.stdout.write("".join(f"{i}\n" for i in ids))


def usage(message: str, hint: str | None = None) -> UsageProblem:
    return UsageProblem(message, hint=hint)
