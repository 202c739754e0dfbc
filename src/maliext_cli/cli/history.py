"""`maliext history` and `maliext undo`: the change log, and taking the last command back."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from maliext_cli.cli import common, crud
from maliext_cli.cli.options import (
    ColumnsOption,
    DbOption,
    LimitOption,
    ListFormatOption,
    OutputOption,
    YesOption,
)
from maliext_cli.i18n import _
from maliext_cli.render import output

TableOption = Annotated[
    Optional[str],
    typer.Option(
        "--table", help="Only changes to this table (consultant, mission, association...).", show_default=False
    ),
]
RecordOption = Annotated[
    Optional[str],
    typer.Option(
        "--record",
        help="Only changes to this record: a uid, TABLE:REF (consultant:12, institution:FAST), "
        "or a REF (id, uid or natural key) of --table. Removed records are found too.",
        show_default=False,
        metavar="REF",
    ),
]
FullOption = Annotated[
    bool,
    typer.Option(
        "--full", help="In the table and html formats, every column, with the rows before and after each change."
    ),
]
SinceOption = Annotated[
    Optional[str],
    typer.Option(
        "--since", help="Only changes on or after this date (YYYY-MM-DD) or time.", show_default=False, metavar="DATE"
    ),
]


def history(
    table: TableOption = None,
    record: RecordOption = None,
    since: SinceOption = None,
    limit: LimitOption = None,
    full: FullOption = False,
    fmt: ListFormatOption = "table",
    columns: ColumnsOption = None,
    out: OutputOption = None,
    db: DbOption = None,
) -> None:
    """List changes, newest first: when, who, the command, the record and what was done.

    The table shows one line per change; --full (and every other format: csv, json...)
    adds its id, the record's uid and the row before and after, as stored (reference
    columns such as consultant_id, amounts in hundredths, lists as JSON text).

    \b
    Examples:
      maliext history --limit 20
      maliext history --record consultant:aminata.traore@example.org --full
      maliext history --record consultant:aminata.traore@example.org -f json
      maliext history --table mission --since 2027-01-01 -c at,user,command,uid,action
    """
    from maliext_cli.services import history as service

    fmt = common.format_name(fmt, output.LIST_FORMATS)
    store = common.open_store(db, readonly=True)
    rows = service.changes(store, table=table, record=record, since=since, limit=limit)
    shown, brief = output.choose_columns(
        service.COLUMNS, columns, fmt, brief=() if full else service.BRIEF, extra=("record",)
    )
    if "record" in shown:
        rows = [{**r, "record": service.record_name(r)} for r in rows]
    crud.print_rows(rows, fmt, shown, out, title=_("History"), fit=brief)


def undo(yes: YesOption = False, db: DbOption = None) -> None:
    """Take back the last command that changed data, exactly (asks first; --yes to skip).

    Run it again to take back the command before. It is refused when a later command
    changed the same rows.

    \b
    Examples:
      maliext undo
      maliext undo --yes --db ~/tokten/bamako.db
    """
    from maliext_cli.services import history as service

    store = common.open_store(db, create=False)
    shown = service.plan(store)
    if shown is None:
        output.message(_("Nothing to undo."))
        return
    for line in service.summary_lines(shown):
        output.message(line)
    common.confirm(_("Undo this command?"), yes)
    service.undo(store, shown.command["id"])
    # Translators: followed by the command line that was taken back, as it was typed.
    output.message(_("Undone: {command}").format(command=shown.command["command"]))
