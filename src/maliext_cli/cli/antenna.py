"""`maliext antenna ...`: relay antennas abroad."""

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
    RedactOption,
    SearchOption,
    SortOption,
    UpsertOption,
    YesOption,
    field_options,
    filter_options,
)
from maliext_cli.i18n import _
from maliext_cli.render import output
from maliext_cli.services.antennas import ANTENNAS as NOUN

app = typer.Typer(
    help="Relay antennas abroad (PARIS, DAKAR, MONTREAL...) that keep in touch with Malians abroad.",
    no_args_is_help=True,
)
Ref = Annotated[str, typer.Argument(help="The antenna: id, uid or its code (PARIS, DAKAR...).", metavar="REF")]


@app.command("add")
@field_options(NOUN.entity)
def antenna_add(db: DbOption = None, quiet: QuietOption = False, fmt: FormatOption = "table", *, values: dict) -> None:
    """Add an antenna.

    \b
    Examples:
      maliext antenna add --code PARIS --city Paris --country France --coordinator "Mamadou Keïta" \\
          --email antenne.paris@example.org
    """
    fmt = common.format_name(fmt)
    common.prompt_missing(NOUN.entity, values)
    store = common.open_store(db)
    crud.print_added(NOUN, store, NOUN.add(store, values), quiet=quiet, fmt=fmt)


@app.command("list")
@filter_options(NOUN.filters)
def antenna_list(
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
    """List antennas, filtered.

    \b
    Examples:
      maliext antenna list
      maliext antenna list --country CA -f json
    """
    fmt = common.format_name(fmt, output.LIST_FORMATS)
    rows = NOUN.query(common.open_store(db, create=False), filters, search=search, sort=sort, limit=limit)
    crud.print_list(NOUN, rows, fmt, columns, out, title=_("Relay antennas"))


@app.command("show")
def antenna_show(
    ref: Ref, fmt: FormatOption = "table", columns: ColumnsOption = None, db: DbOption = None
) -> None:
    """Show one antenna with its consultants.

    \b
    Examples:
      maliext antenna show PARIS
    """
    fmt = common.format_name(fmt)
    crud.print_record(NOUN, NOUN.get(common.open_store(db, create=False), ref), fmt, columns)


@app.command("edit")
@field_options(NOUN.entity, editing=True)
def antenna_edit(ref: Ref, db: DbOption = None, *, values: dict) -> None:
    """Change some fields of an antenna; the others stay as they are.

    \b
    Examples:
      maliext antenna edit DAKAR --coordinator "Awa Diallo"
    """
    if not values:
        raise crud.nothing_to_change()
    crud.print_edited(NOUN.label, NOUN.edit(common.open_store(db, create=False), ref, values))


@app.command("remove")
def antenna_remove(ref: Ref, yes: YesOption = False, db: DbOption = None) -> None:
    """Remove an antenna (asks first; --yes to skip).

    \b
    Examples:
      maliext antenna remove BERLIN --yes
    """
    store = common.open_store(db, create=False)
    antenna_id = crud.confirm_removal(NOUN, store, ref, yes)
    NOUN.remove(store, antenna_id)
    crud.print_removed(NOUN.label, antenna_id)


@app.command("import")
def antenna_import(
    file: ImportFile,
    input_format: InputFormatOption = None,
    encoding: EncodingOption = "utf-8",
    upsert: UpsertOption = False,
    dry_run: DryRunOption = False,
    quiet: QuietOption = False,
    db: DbOption = None,
) -> None:
    """Import antennas from CSV, TSV, JSON or JSON lines: all rows or none.

    Headers are field names (or their French forms); every invalid row is reported with its line number.

    \b
    Examples:
      maliext antenna import antennes.csv
    """
    with crud.import_source(file, input_format=input_format, encoding=encoding) as (source, progress):
        report = NOUN.import_source(common.open_store(db), source, upsert=upsert, dry_run=dry_run, progress=progress)
    crud.print_import_report(NOUN.label, report, quiet=quiet, dry_run=dry_run)


@app.command("export")
@filter_options(NOUN.filters)
def antenna_export(
    fmt: ExportFormatOption = "csv",
    out: OutputOption = None,
    redact: RedactOption = False,
    db: DbOption = None,
    *,
    filters: dict[str, list[str]],
) -> None:
    """Export antennas with every field, in a form that `import` reads back.

    \b
    Examples:
      maliext antenna export -o antennes.csv
    """
    fmt = common.format_name(fmt)
    rows = NOUN.exported(common.open_store(db, create=False), filters)
    crud.write_export(NOUN, rows, fmt, out, redact=redact)
