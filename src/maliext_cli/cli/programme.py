"""`maliext programme ...`: the funding programmes of missions."""

from typing import Annotated

import typer

from maliext_cli.cli import common, crud
from maliext_cli.cli.options import (
    ColumnsOption,
    DbOption,
    DryRunOption,
    EncodingOption,
    ExportFormatOption,
    FormatOption,
    ImportFile,
    InputFormatOption,
    LimitOption,
    ListFormatOption,
    OutputOption,
    QuietOption,
    SearchOption,
    SortOption,
    UpsertOption,
    YesOption,
    field_options,
    filter_options,
)
from maliext_cli.i18n import _
from maliext_cli.render import output
from maliext_cli.services.institutions import PROGRAMMES as NOUN

app = typer.Typer(help="Funding programmes (TOKTEN, TALMALI...).", no_args_is_help=True)
Ref = Annotated[str, typer.Argument(help="The programme: id, uid or its code (TOKTEN...).", metavar="REF")]


@app.command("add")
@field_options(NOUN.entity)
def programme_add(
    db: DbOption = None, quiet: QuietOption = False, fmt: FormatOption = "table", *, values: dict
) -> None:
    """Add a programme.

    \b
    Examples:
      maliext programme add --code TOKTEN --name "Transfer of Knowledge Through Expatriate Nationals" \\
          --funders "PNUD;Coopération française" --start 1998-10-01
    """
    fmt = common.format_name(fmt)
    common.prompt_missing(NOUN.entity, values)
    store = common.open_store(db)
    crud.print_added(NOUN, store, NOUN.add(store, values), quiet=quiet, fmt=fmt)


@app.command("list")
@filter_options(NOUN.filters)
def programme_list(
    search: SearchOption = None,
    sort: SortOption = None,
    limit: LimitOption = None,
    fmt: ListFormatOption = "table",
    columns: ColumnsOption = None,
    out: OutputOption = None,
    db: DbOption = None,
    *,
    filters: dict[str, list[str]],
) -> None:
    """List programmes, filtered.

    \b
    Examples:
      maliext programme list
      maliext programme list --search unesco -f json
    """
    fmt = common.format_name(fmt, output.LIST_FORMATS)
    rows = NOUN.query(common.open_store(db, create=False), filters, search=search, sort=sort, limit=limit)
    crud.print_list(NOUN, rows, fmt, columns, out, title=_("Programmes"))


@app.command("show")
def programme_show(
    ref: Ref, fmt: FormatOption = "table", columns: ColumnsOption = None, db: DbOption = None
) -> None:
    """Show one programme with its missions.

    \b
    Examples:
      maliext programme show TOKTEN
    """
    fmt = common.format_name(fmt)
    crud.print_record(NOUN, NOUN.get(common.open_store(db, create=False), ref), fmt, columns)


@app.command("edit")
@field_options(NOUN.entity, editing=True)
def programme_edit(ref: Ref, db: DbOption = None, *, values: dict) -> None:
    """Change some fields of a programme; the others stay as they are.

    \b
    Examples:
      maliext programme edit TALMALI --end 2009-12-31
    """
    if not values:
        raise crud.nothing_to_change()
    crud.print_edited(NOUN.label, NOUN.edit(common.open_store(db, create=False), ref, values))


@app.command("remove")
def programme_remove(ref: Ref, yes: YesOption = False, db: DbOption = None) -> None:
    """Remove a programme (asks first; --yes to skip).

    \b
    Examples:
      maliext programme remove TEST --yes
    """
    store = common.open_store(db, create=False)
    programme_id = crud.confirm_removal(NOUN, store, ref, yes)
    NOUN.remove(store, programme_id)
    crud.print_removed(NOUN.label, programme_id)


@app.command("import")
def programme_import(
    file: ImportFile,
    input_format: InputFormatOption = None,
    encoding: EncodingOption = "utf-8",
    upsert: UpsertOption = False,
    dry_run: DryRunOption = False,
    quiet: QuietOption = False,
    db: DbOption = None,
) -> None:
    """Import programmes from CSV, TSV, JSON or JSON lines: all rows or none.

    Headers are field names (or their French forms); every invalid row is reported with its line number.

    \b
    Examples:
      maliext programme import programmes.csv
    """
    with crud.import_source(file, input_format=input_format, encoding=encoding) as (source, progress):
        report = NOUN.import_source(common.open_store(db), source, upsert=upsert, dry_run=dry_run, progress=progress)
    crud.print_import_report(NOUN.label, report, quiet=quiet, dry_run=dry_run)


@app.command("export")
@filter_options(NOUN.filters)
def programme_export(
    fmt: ExportFormatOption = "csv",
    out: OutputOption = None,
    db: DbOption = None,
    *,
    filters: dict[str, list[str]],
) -> None:
    """Export programmes with every field, in a form that `import` reads back.

    \b
    Examples:
      maliext programme export -f json
    """
    fmt = common.format_name(fmt)
    rows = NOUN.exported(common.open_store(db, create=False), filters)
    crud.write_export(NOUN, rows, fmt, out)
