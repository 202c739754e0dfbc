"""`maliext project ...`: the co-development projects of diaspora associations."""

from typing import Annotated, Optional

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
    ReportFormatOption,
    SearchOption,
    SortOption,
    UpsertOption,
    YesOption,
    field_options,
    filter_options,
)
from maliext_cli.i18n import _
from maliext_cli.render import output
from maliext_cli.services import projects as service

NOUN = service.NOUN
app = typer.Typer(
    help="Co-development projects: the diaspora's savings and public co-funding invested in Mali.",
    no_args_is_help=True,
)
Ref = Annotated[str, typer.Argument(help="The project: id or uid.", metavar="REF")]
By = Annotated[
    Optional[list[str]],
    typer.Option(
        "--by",
        help=f"Group by one or more of {', '.join(service.REPORT_KEYS)} (repeat or separate with ','). Default: sector.",
        show_default=False,
    ),
]


@app.command("add")
@field_options(NOUN.entity)
def project_add(db: DbOption = None, quiet: QuietOption = False, fmt: FormatOption = "table", *, values: dict) -> None:
    """Add a project.

    \b
    Examples:
      maliext project add --association ARKF --title "Forage et château d'eau" --sector water \\
          --locality Kersignané --region kayes --year 2005 --currency EUR \\
          --diaspora-contribution 12000 --subsidy 18000 --subsidy-funder "FSP Codéveloppement Mali"
    """
    fmt = common.format_name(fmt)
    common.prompt_missing(NOUN.entity, values)
    store = common.open_store(db)
    crud.print_added(NOUN, store, NOUN.add(store, values), quiet=quiet, fmt=fmt)


@app.command("list")
@filter_options(NOUN.filters)
def project_list(
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
    """List projects, filtered.

    \b
    Examples:
      maliext project list --association ARKF
      maliext project list --under CMF --sector health --year 2003-2007 -f csv
      maliext project list --funder codeveloppement --search "cscom"
    """
    fmt = common.format_name(fmt, output.LIST_FORMATS)
    rows = NOUN.query(common.open_store(db, create=False), filters, search=search, sort=sort, limit=limit)
    crud.print_list(NOUN, rows, fmt, columns, out, title=_("Co-development projects"))


@app.command("show")
def project_show(
    ref: Ref, fmt: FormatOption = "table", columns: ColumnsOption = None, db: DbOption = None
) -> None:
    """Show one project.

    \b
    Examples:
      maliext project show 12 -f json
    """
    fmt = common.format_name(fmt)
    crud.print_record(NOUN, NOUN.get(common.open_store(db, create=False), ref), fmt, columns)


@app.command("edit")
@field_options(NOUN.entity, editing=True)
def project_edit(ref: Ref, db: DbOption = None, *, values: dict) -> None:
    """Change some fields of a project; the others stay as they are.

    \b
    Examples:
      maliext project edit 12 --status completed --other-funding 2500
    """
    if not values:
        raise crud.nothing_to_change()
    crud.print_edited(NOUN.label, NOUN.edit(common.open_store(db, create=False), ref, values))


@app.command("remove")
def project_remove(ref: Ref, yes: YesOption = False, db: DbOption = None) -> None:
    """Remove a project (asks first; --yes to skip).

    \b
    Examples:
      maliext project remove 12 --yes
    """
    store = common.open_store(db, create=False)
    project_id = crud.confirm_removal(NOUN, store, ref, yes)
    NOUN.remove(store, project_id)
    crud.print_removed(NOUN.label, project_id)


@app.command("import")
def project_import(
    file: ImportFile,
    input_format: InputFormatOption = None,
    encoding: EncodingOption = "utf-8",
    upsert: UpsertOption = False,
    dry_run: DryRunOption = False,
    quiet: QuietOption = False,
    db: DbOption = None,
) -> None:
    """Import projects from CSV, TSV, JSON or JSON lines: all rows or none.

    Headers are field names (or their French forms); every invalid row is reported with its line number.

    \b
    Examples:
      maliext project import projets.csv --dry-run
      maliext project export | maliext project import - --upsert --db bamako.db
    """
    with crud.import_source(file, input_format=input_format, encoding=encoding) as (source, progress):
        report = NOUN.import_source(common.open_store(db), source, upsert=upsert, dry_run=dry_run, progress=progress)
    crud.print_import_report(NOUN.label, report, quiet=quiet, dry_run=dry_run)


@app.command("export")
@filter_options(NOUN.filters)
def project_export(
    fmt: ExportFormatOption = "csv",
    out: OutputOption = None,
    db: DbOption = None,
    *,
    filters: dict[str, list[str]],
) -> None:
    """Export projects with every field, in a form that `import` reads back.

    \b
    Examples:
      maliext project export -o projets.csv
      maliext project export --region kayes -f json
    """
    fmt = common.format_name(fmt)
    rows = NOUN.exported(common.open_store(db, create=False), filters)
    crud.write_export(NOUN, rows, fmt, out)


@app.command("report")
@filter_options(NOUN.filters)
def project_report(
    by: By = None,
    search: SearchOption = None,
    fmt: ReportFormatOption = "table",
    columns: ColumnsOption = None,
    db: DbOption = None,
    *,
    filters: dict[str, list[str]],
) -> None:
    """Projects and their money, grouped by sector, region, year, status, funder, currency, country or association.

    Figures per group: projects, associations, diaspora_contribution, subsidy, other_funding and total (each in EUR and XOF, at 655.957), and leverage (subsidy per unit of diaspora money). Takes the filters of `list`.

    \b
    Examples:
      maliext project report --by sector,region
      maliext project report --by year --funder codeveloppement -f csv
      maliext project report --by funder --country FR -f html > bailleurs.html
    """
    fmt = common.format_name(fmt, allowed=output.REPORT_FORMATS)
    keys, rows, totals = service.report(common.open_store(db, create=False), by, filters, search=search)
    crud.print_report(_("Co-development projects"), keys, rows, totals, fmt, columns)
