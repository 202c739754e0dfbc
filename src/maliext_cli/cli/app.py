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

from maliext_cli import __version__, i18n
from maliext_cli.cli import common
from maliext_cli.cli.entry import EXIT_INTERRUPTED, announce_interrupt
from maliext_cli.cli.options import DbOption
from maliext_cli.errors import EXIT_INTERNAL, EXIT_REFUSED, MaliextError
from maliext_cli.i18n import N_, _

ISSUES_URL = "https://github.com/maliext/maliext/issues"

# SQLite failures that are the machine's state, not a bug: what to tell the user.
_SQLITE_MESSAGES = {
    "database is locked": N_(
        "the database is busy: another maliext command kept it locked for too long; nothing was written"
    ),
    "database or disk is full": N_("the disk is full; nothing was written"),
    "disk i/o error": N_("the disk could not be read or written; nothing was written"),
    "attempt to write a readonly database": N_("the database file is read-only for you; nothing was written"),
    "unable to open database file": N_("the database file cannot be opened (check the path and its permissions)"),
    "file is not a database": N_("the file is not a maliext (SQLite) database"),
}


def _fail(message: str, hint: str | None = None, details: list[str] | None = None) -> None:
    print(_("Error: {message}").format(message=message), file=sys.stderr)
    for line in details or ():
        print(f"  {line}", file=sys.stderr)
    if hint:
        print(hint, file=sys.stderr)


class MaliextGroup(TyperGroup):
    """Runs every command; turns domain errors into `Error: ...` and the documented
    exit code, and anything unexpected into exit code 70 without a traceback (unless
    --debug). A database file that a failed command created is removed again."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        # The language of this command (MALIEXT_LANG, else the locale), for its messages,
        # its help and the words of Click; `--lang` of a command may change it later.
        i18n.use(i18n.from_environment())
        i18n.install_into_click()
        i18n.translate_commands(self)
        return super().main(*args, **kwargs)

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
            print(_("Created a new database at {path}").format(path=common.State.created), file=sys.stderr)
            common.State.created = None
        return result

    def _invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except MaliextError as exc:
            _fail(exc.message, exc.hint, exc.details)
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort):
            raise
        except KeyboardInterrupt:
            announce_interrupt()
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except sqlite3.OperationalError as exc:
            known = next((m for key, m in _SQLITE_MESSAGES.items() if key in str(exc).lower()), None)
            if known is None:
                self._internal(exc)
            _fail(_(known))
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
        hint = _("This is a bug in maliext {version}; please report it at {url} with the command you ran.").format(
            version=__version__, url=ISSUES_URL
        )
        if not common.State.debug:
            hint += " " + _("Run it again with --debug to see the traceback.")
        _fail(_("internal error ({kind}: {error})").format(kind=type(exc).__name__, error=exc), hint)
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
        print(f"maliext {__version__}")  # also answered before Typer loads (cli/entry.py)
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
        agenda,
        agreement,
        antenna,
        association,
        consultant,
        db,
        demo,
        evaluation,
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
    app.add_typer(evaluation.app, name="evaluation")
    app.add_typer(programme.app, name="programme")
    app.add_typer(match.app, name="match")
    app.add_typer(association.app, name="association")
    app.add_typer(project.app, name="project")
    app.add_typer(antenna.app, name="antenna")
    app.add_typer(agreement.app, name="agreement")
    app.add_typer(report.app, name="report")
    app.command("agenda")(agenda.agenda)
    app.command("history")(history.history)
    app.command("undo")(history.undo)
    app.add_typer(merge.app, name="merge")
    app.command("export")(merge.export)


_register()


def run() -> None:
    app(prog_name="maliext")


def main() -> None:
    """The executable (cli/entry.py), kept under its old name for scripts that import it."""
    from maliext_cli.cli.entry import main as entry

    entry()
