"""`maliext init` and `maliext db ...`: the database file itself."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from maliext_cli.cli import common
from maliext_cli.cli.options import DbOption, FormatOption
from maliext_cli.render import output

app = typer.Typer(help="The database file: where it is, copies, read-only SQL.", no_args_is_help=True)


def init(db: DbOption = None) -> None:
    """Create the database, or upgrade it to this version's schema (safe to run again).

    \b
    Example:
      maliext init --db ~/tokten/bamako.db
    """
    path, source = common.db_path(db)
    existed = path.exists()
    store = common.open_store(db)
    state = "is ready" if existed else "was created"
    output.message(f"Database {path} {state} (schema {store.schema_version}; from {source}).")


@app.command("path")
def path_(db: DbOption = None) -> None:
    """Print the database file that commands use, and where that choice came from.

    \b
    Example:
      MALIEXT_DB=/data/antenne-paris.db maliext db path
    """
    path, source = common.db_path(db)
    print(path)
    output.message(f"(from {source}{'' if path.exists() else '; the file does not exist yet'})")


@app.command("backup")
def backup(
    dest: Annotated[
        Path, typer.Argument(help="The copy to write (a new file, or a directory to put it in).", metavar="DEST")
    ],
    db: DbOption = None,
) -> None:
    """Write a consistent copy of the database, even while others are writing to it.

    The copy is readable by its owner only.

    \b
    Example:
      maliext db backup /media/usb/maliext-2026-11-27.db
    """
    from maliext_cli.services import maintenance

    store = common.open_store(db, create=False)
    written = maintenance.backup(store, dest)
    print(written)
    output.message(f"Backed up {store.path} to {written}.")


@app.command("sql")
def sql(
    query: Annotated[str, typer.Argument(help="One SELECT statement.", metavar="SQL")],
    fmt: FormatOption = "table",
    db: DbOption = None,
) -> None:
    """Run one read-only SQL query (the database is opened read-only).

    \b
    Example:
      maliext db sql "SELECT country, count(*) AS n FROM consultant GROUP BY country ORDER BY n DESC" -f csv
    """
    from maliext_cli.services import maintenance

    fmt = common.format_name(fmt)
    store = common.open_store(db, readonly=True)
    columns, rows = maintenance.read_only_query(store, query)
    output.records(rows, fmt, columns=columns)
