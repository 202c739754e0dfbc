"""The `maliext` command: the root app, its global options, and the one place where
errors become messages and exit codes."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from maliext_cli import __version__
from maliext_cli.cli import common
from maliext_cli.cli.options import DbOption
from maliext_cli.errors import EXIT_INTERNAL, EXIT_REFUSED, MaliextError

ISSUES_URL = "https://github.com/maliext/maliext/issues"

# SQLite failures that are the machine's state, not a bug: what to tell the user.
_SQLITE_MESSAGES = {
    "database is locked": "the database is busy: another maliext command kept it locked for too long; nothing was written",
    "database or disk is full": "the disk is full; nothing was written",
    "disk i/o error": "the disk could not be read or written; nothing was written",
    "attempt to write a readonly database": "the database file is read-only for you; nothing was written",
    "unable to open database file": "the database file cannot be opened (check the path and its permissions)",
    "file is not a database": "the file is not a maliext (SQLite) database",
}


def _fail(message: str, hint: str | None = None, details: list[str] | None = None) -> None:
    print(f"Error: {message}", file=sys.stderr)
    for line in details or ():
        print(f"  {line}", file=sys.stderr)
    if hint:
        print(hint, file=sys.stderr)


class MaliextGroup(TyperGroup):
    """Runs every command; turns domain errors into `Error: ...` and the documented
    exit code, and anything unexpected into exit code 70 without a traceback (unless
    --debug). A database file that a failed command created is removed again."""

    def invoke(self, ctx: Any) -> Any:
        common.State.created = None
        try:
            result = self._invoke(ctx)
        except BaseException:
            created, common.State.created = common.State.created, None
            if created is not None:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{created}{suffix}").unlink(missing_ok=True)
            raise
        if common.State.created is not None:
            print(f"Created a new database at {common.State.created}", file=sys.stderr)
            common.State.created = None
        return result

    def _invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except MaliextError as exc:
            _fail(exc.message, exc.hint, exc.details)
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except sqlite3.OperationalError as exc:
            known = next((m for key, m in _SQLITE_MESSAGES.items() if key in str(exc).lower()), None)
            if known is None:
                self._internal(exc)
            _fail(known)
            raise typer.Exit(EXIT_REFUSED) from None
        except BrokenPipeError:
            # `maliext consultant list | head`: the reader left; not an error.
            sys.stderr = open(os.devnull, "w")  # noqa: SIM115
            raise typer.Exit(0) from None
        except Exception as exc:
            if hasattr(exc, "exit_code") and hasattr(exc, "show"):
                raise  # a usage error, printed by Typer with exit code 2
            self._internal(exc)

    @staticmethod
    def _internal(exc: BaseException) -> None:
        if common.State.debug:
            import traceback

            traceback.print_exc()
        _fail(
            f"internal error ({type(exc).__name__}: {exc})",
            f"This is a bug in maliext {__version__}; please report it at {ISSUES_URL} with the command you ran."
            + ("" if common.State.debug else " Run it again with --debug to see the traceback."),
        )
        raise typer.Exit(EXIT_INTERNAL) from None


app = typer.Typer(
    cls=MaliextGroup,
    name="maliext",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"maliext {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    db: DbOption = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the traceback of an internal error.", envvar="MALIEXT_DEBUG")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", help="Print the version and exit.", callback=_version, is_eager=True)
    ] = False,
) -> None:
    """Repertory, missions, matching and reports for Mali's diaspora-expertise programmes
    (TOKTEN, TALMALI), and the register of diaspora associations.

    Start with `maliext demo` for a tour on sample data, or `maliext init` for your own
    file. Every command takes --db and -h/--help.
    """
    common.State.db = db
    common.State.debug = debug


def _register() -> None:
    from maliext_cli.cli import (
        agreement,
        antenna,
        association,
        consultant,
        db,
        demo,
        history,
        institution,
        match,
        merge,
        mission,
        need,
        programme,
        project,
        ref,
        report,
    )

    app.command("init")(db.init)
    app.command("demo")(demo.demo)
    app.add_typer(db.app, name="db")
    app.add_typer(ref.app, name="ref")
    app.add_typer(consultant.app, name="consultant")
    app.add_typer(institution.app, name="institution")
    app.add_typer(need.app, name="need")
    app.add_typer(mission.app, name="mission")
    app.add_typer(programme.app, name="programme")
    app.add_typer(match.app, name="match")
    app.add_typer(association.app, name="association")
    app.add_typer(project.app, name="project")
    app.add_typer(antenna.app, name="antenna")
    app.add_typer(agreement.app, name="agreement")
    app.add_typer(report.app, name="report")
    app.command("history")(history.history)
    app.command("undo")(history.undo)
    app.add_typer(merge.app, name="merge")
    app.command("export")(merge.export)


_register()


def main() -> None:
    app(prog_name="maliext")
