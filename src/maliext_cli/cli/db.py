"""`maliext init` and `maliext db ...`: the database file itself."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from maliext_cli.cli import common
from maliext_cli.cli.options import DbOption, FormatOption, YesOption
from maliext_cli.i18n import _, ngettext
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
    if existed:
        text = _("Database {path} is ready (schema {schema}; {origin}).")
    else:
        text = _("Database {path} was created (schema {schema}; {origin}).")
        common.State.created = None  # said here, with more: not again by cli/app.py
    output.message(text.format(path=path, schema=store.schema_version, origin=_origin(source)))


def _origin(source: str) -> str:
    """Where the choice of the database file came from (store/paths.py `resolve`), for a
    person: `--db` and `MALIEXT_DB` are named as they are typed."""
    if source == "default":
        # Translators: where the database file was chosen from, inside parentheses after its path.
        return _("the default location")
    # Translators: where the database file was chosen from (--db or MALIEXT_DB), inside parentheses.
    return _("chosen by {name}").format(name=source)


@app.command("path")
def path_(db: DbOption = None) -> None:
    """Print the database file that commands use, and where that choice came from.

    \b
    Example:
      MALIEXT_DB=/data/antenne-paris.db maliext db path
    """
    path, source = common.db_path(db)
    print(path)
    if path.exists():
        output.message(_("({origin})").format(origin=_origin(source)))
    else:
        output.message(_("({origin}; the file does not exist yet)").format(origin=_origin(source)))


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
    output.message(_("Backed up {database} to {copy}.").format(database=store.path, copy=written))


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
        n = len(problems)
        raise ProblemsFound(
            ngettext("{n} problem found in {path}", "{n} problems found in {path}", n).format(n=n, path=store.path)
        )


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

    path = common.db_path(db)[0]
    source = maintenance.inspect_source(src, path)
    # Table names are codes (as in `history --table`): they stay as they are in every language.
    held = ", ".join(f"{table} {n}" for table, n in source.counts.items() if n)
    if held:
        text = _("{path}: a maliext database (schema {schema}); records: {counts}.")
    else:
        text = _("{path}: a maliext database (schema {schema}) without records.")
    output.message(text.format(path=source.path, schema=source.schema, counts=held))
    common.confirm(_("Replace {path} with it?").format(path=path), yes)
    kept = maintenance.restore(source.path, path)
    if kept is not None:
        print(kept)
        output.message(
            _("Restored {path} from {backup}; the database it replaced is kept at {kept}.").format(
                path=path, backup=source.path, kept=kept
            )
        )
    else:
        output.message(_("Restored {path} from {backup}.").format(path=path, backup=source.path))


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
