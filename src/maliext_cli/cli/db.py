"""`maliext init` and `maliext db ...`: the database file itself."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from maliext_cli.cli import common
from maliext_cli.cli.options import DbOption, FormatOption, YesOption
from maliext_cli.render import output

app = typer.Typer(
    help="The database file: where it is, checks, backups and restores, read-only SQL.", no_args_is_help=True
)


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


@app.command("check")
def check(db: DbOption = None) -> None:
    """Check the file (SQLite's integrity, references) and every rule the records keep.

    Prints nothing when all holds; else one line per problem, `table id: what is wrong`,
    and exits with code 4.

    \b
    Examples:
      maliext db check && echo "all good"
      maliext db check --db /media/usb/maliext-2026-11-27.db
    """
    from maliext_cli.errors import ProblemsFound
    from maliext_cli.services import checks

    store = common.open_store(db, readonly=True)
    problems = checks.run(store)
    if problems:
        sys.stdout.write("".join(f"{p}\n" for p in problems))
        raise ProblemsFound(f"{len(problems)} problem(s) found in {store.path}")


@app.command("restore")
def restore(
    src: Annotated[Path, typer.Argument(help="A copy made by `maliext db backup`.", metavar="SRC")],
    yes: YesOption = False,
    db: DbOption = None,
) -> None:
    """Replace the database with a backup (asks first; --yes to skip); the replaced one is kept.

    SRC must be a sound maliext database. The current database is first copied beside
    itself (NAME-before-restore-DATE-TIME.db, readable by its owner only); that path is
    printed.

    \b
    Example:
      maliext db restore /media/usb/maliext-2026-11-27.db
    """
    from maliext_cli.services import maintenance

    path, _ = common.db_path(db)
    source = maintenance.inspect_source(src, path)
    held = ", ".join(f"{table} {n}" for table, n in source.counts.items() if n) or "none"
    output.message(f"{source.path}: a maliext database (schema {source.schema}); records: {held}.")
    common.confirm(f"Replace {path} with it?", yes)
    kept = maintenance.restore(source.path, path)
    if kept is not None:
        print(kept)
        output.message(f"Restored {path} from {source.path}; the database it replaced is kept at {kept}.")
    else:
        output.message(f"Restored {path} from {source.path}.")


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
    output.records(rows, fmt, columns=columns, labels=False)  # the columns are named by the query
