"""`maliext agreement ...`: inter-university cooperation agreements."""

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
from maliext_cli.services.antennas import AGREEMENTS as NOUN

app = typer.Typer(
    help="Inter-university cooperation agreements between Malian institutions and partners abroad.",
    no_args_is_help=True,
)
Ref = Annotated[str, typer.Argument(help="The agreement: id or uid.", metavar="REF")]


@app.command("add")
@field_options(NOUN.entity)
def agreement_add(
    db: DbOption = None, quiet: QuietOption = False, fmt: FormatOption = "table", *, values: dict
) -> None:
    """Add an agreement.

    \b
    Examples:
      maliext agreement add --title "Accord-cadre FAST – Université d'Orléans" --institution FAST \\
          --partner "Université d'Orléans" --partner-country FR --status signed --signed-on 2003-05-12 \\
          --consultant aminata.traore@example.org
      maliext agreement add --title "Co-tutelle de thèses en droit public" --institution FSJP \\
          --partner "Université Cheikh Anta Diop" --partner-country Sénégal
    """
    fmt = common.format_name(fmt)
    common.prompt_missing(NOUN.entity, values)
    store = common.open_store(db)
    crud.print_added(NOUN, store, NOUN.add(store, values), quiet=quiet, fmt=fmt)


@app.command("list")
@filter_options(NOUN.filters)
def agreement_list(
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
    """List agreements, filtered.

    \b
    Examples:
      maliext agreement list --status signed
      maliext agreement list --institution FAST --partner-country CA -f json
    """
    fmt = common.format_name(fmt, output.LIST_FORMATS)
    rows = NOUN.query(common.open_store(db, create=False), filters, search=search, sort=sort, limit=limit)
    crud.print_list(NOUN, rows, fmt, columns, out, title=_("Cooperation agreements"))


@app.command("show")
def agreement_show(
    ref: Ref, fmt: FormatOption = "table", columns: ColumnsOption = None, db: DbOption = None
) -> None:
    """Show one agreement.

    \b
    Examples:
      maliext agreement show 3
    """
    fmt = common.format_name(fmt)
    crud.print_record(NOUN, NOUN.get(common.open_store(db, create=False), ref), fmt, columns)


@app.command("edit")
@field_options(NOUN.entity, editing=True)
def agreement_edit(ref: Ref, db: DbOption = None, *, values: dict) -> None:
    """Change some fields of an agreement; the others stay as they are.

    \b
    Examples:
      maliext agreement edit 3 --status signed --signed-on 2006-06-15
    """
    if not values:
        raise crud.nothing_to_change()
    crud.print_edited(NOUN.label, NOUN.edit(common.open_store(db, create=False), ref, values))


@app.command("remove")
def agreement_remove(ref: Ref, yes: YesOption = False, db: DbOption = None) -> None:
    """Remove an agreement (asks first; --yes to skip).

    \b
    Examples:
      maliext agreement remove 3 --yes
    """
    store = common.open_store(db, create=False)
    agreement_id = crud.confirm_removal(NOUN, store, ref, yes)
    NOUN.remove(store, agreement_id)
    crud.print_removed(NOUN.label, agreement_id)


@app.command("import")
def agreement_import(
    file: ImportFile,
    input_format: InputFormatOption = None,
    encoding: EncodingOption = "utf-8",
    upsert: UpsertOption = False,
    dry_run: DryRunOption = False,
    quiet: QuietOption = False,
    db: DbOption = None,
) -> None:
    """Import agreements from CSV, TSV, JSON or JSON lines: all rows or none.

    Headers are field names (or their French forms); every invalid row is reported with its line number.

    \b
    Examples:
      maliext agreement import accords.csv
    """
    with crud.import_source(file, input_format=input_format, encoding=encoding) as (source, progress):
        report = NOUN.import_source(common.open_store(db), source, upsert=upsert, dry_run=dry_run, progress=progress)
    crud.print_import_report(NOUN.label, report, quiet=quiet, dry_run=dry_run)


@app.command("export")
@filter_options(NOUN.filters)
def agreement_export(
    fmt: ExportFormatOption = "csv",
    out: OutputOption = None,
    db: DbOption = None,
    *,
    filters: dict[str, list[str]],
) -> None:
    """Export agreements with every field, in a form that `import` reads back.

    \b
    Examples:
      maliext agreement export -o accords.csv
    """
    fmt = common.format_name(fmt)
    rows = NOUN.exported(common.open_store(db, create=False), filters)
    crud.write_export(NOUN, rows, fmt, out)
