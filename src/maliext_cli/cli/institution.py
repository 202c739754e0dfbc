"""`maliext institution ...`: host institutions in Mali."""

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
from maliext_cli.services.institutions import INSTITUTIONS as NOUN

app = typer.Typer(
    help="Host institutions in Mali: faculties, grandes écoles, hospitals, research centres, ministries.",
    no_args_is_help=True,
)
Ref = Annotated[str, typer.Argument(help="The institution: id, uid or its acronym (FAST, FSJP...).", metavar="REF")]


@app.command("add")
@field_options(NOUN.entity)
def institution_add(
    db: DbOption = None, quiet: QuietOption = False, fmt: FormatOption = "table", *, values: dict
) -> None:
    """Add an institution.

    \b
    Examples:
      maliext institution add --name "Université de Bamako" --acronym UB --kind university --city Bamako --region bamako
      maliext institution add --name "Faculté des Sciences et Techniques" --acronym FAST --kind faculty --parent UB
    """
    fmt = common.format_name(fmt)
    common.prompt_missing(NOUN.entity, values)
    store = common.open_store(db)
    crud.print_added(NOUN, store, NOUN.add(store, values), quiet=quiet, fmt=fmt)


@app.command("list")
@filter_options(NOUN.filters)
def institution_list(
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
    """List institutions, filtered.

    \b
    Examples:
      maliext institution list --kind faculty
      maliext institution list --parent UB -f json
      maliext institution list --search hopital
    """
    fmt = common.format_name(fmt, output.LIST_FORMATS)
    rows = NOUN.query(common.open_store(db, create=False), filters, search=search, sort=sort, limit=limit)
    crud.print_list(NOUN, rows, fmt, columns, out, title=_("Institutions"))


@app.command("show")
def institution_show(
    ref: Ref, fmt: FormatOption = "table", columns: ColumnsOption = None, db: DbOption = None
) -> None:
    """Show one institution with its children, needs, missions.

    \b
    Examples:
      maliext institution show FAST
    """
    fmt = common.format_name(fmt)
    crud.print_record(NOUN, NOUN.get(common.open_store(db, create=False), ref), fmt, columns)


@app.command("edit")
@field_options(NOUN.entity, editing=True)
def institution_edit(ref: Ref, db: DbOption = None, *, values: dict) -> None:
    """Change some fields of an institution; the others stay as they are.

    \b
    Examples:
      maliext institution edit FAST --city Bamako
    """
    if not values:
        raise crud.nothing_to_change()
    crud.print_edited(NOUN.label, NOUN.edit(common.open_store(db, create=False), ref, values))


@app.command("remove")
def institution_remove(ref: Ref, yes: YesOption = False, db: DbOption = None) -> None:
    """Remove an institution (asks first; --yes to skip).

    \b
    Examples:
      maliext institution remove 12 --yes
    """
    store = common.open_store(db, create=False)
    institution_id = crud.confirm_removal(NOUN, store, ref, yes)
    NOUN.remove(store, institution_id)
    crud.print_removed(NOUN.label, institution_id)


@app.command("import")
def institution_import(
    file: ImportFile,
    input_format: InputFormatOption = None,
    encoding: EncodingOption = "utf-8",
    upsert: UpsertOption = False,
    dry_run: DryRunOption = False,
    quiet: QuietOption = False,
    db: DbOption = None,
) -> None:
    """Import institutions from CSV, TSV, JSON or JSON lines: all rows or none.

    Headers are field names (or their French forms); every invalid row is reported with its line number.

    \b
    Examples:
      maliext institution import etablissements.csv
    """
    with crud.import_source(file, input_format=input_format, encoding=encoding) as (source, progress):
        report = NOUN.import_source(common.open_store(db), source, upsert=upsert, dry_run=dry_run, progress=progress)
    crud.print_import_report(NOUN.label, report, quiet=quiet, dry_run=dry_run)


@app.command("export")
@filter_options(NOUN.filters)
def institution_export(
    fmt: ExportFormatOption = "csv",
    out: OutputOption = None,
    db: DbOption = None,
    *,
    filters: dict[str, list[str]],
) -> None:
    """Export institutions with every field, in a form that `import` reads back.

    \b
    Examples:
      maliext institution export -o etablissements.csv
    """
    fmt = common.format_name(fmt)
    rows = NOUN.exported(common.open_store(db, create=False), filters)
    crud.write_export(NOUN, rows, fmt, out)
