"""`maliext association ...`: the register of diaspora associations and their
federations, up to the High Council of Malians Abroad."""

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
    RedactOption,
    ReportFormatOption,
    SearchOption,
    SortOption,
    UpsertOption,
    YesOption,
    field_options,
    filter_options,
)
from maliext_cli.i18n import _, ngettext
from maliext_cli.render import output
from maliext_cli.services import association_report as report_service
from maliext_cli.services import associations as service
from maliext_cli.services import federation_tree

NOUN = service.NOUN
app = typer.Typer(
    help="The register of diaspora associations, city federations, national councils and the High Council (HCME).",
    no_args_is_help=True,
)
Ref = Annotated[str, typer.Argument(help="The association: id, uid or its acronym.", metavar="REF")]


@app.command("add")
@field_options(NOUN.entity)
def association_add(
    db: DbOption = None, quiet: QuietOption = False, fmt: FormatOption = "table", *, values: dict
) -> None:
    """Add an association.

    \b
    Examples:
      maliext association add --name "Association des ressortissants de Kersignané en France" \\
          --acronym ARKF --level base --parent FAMM --country FR --city Montreuil \\
          --origin-region Kayes --origin-locality Kersignané --kind local-development --kind tontine \\
          --members 140 --founded 1987
    """
    fmt = common.format_name(fmt)
    common.prompt_missing(NOUN.entity, values)
    store = common.open_store(db)
    crud.print_added(NOUN, store, NOUN.add(store, values), quiet=quiet, fmt=fmt)


@app.command("list")
@filter_options(NOUN.filters)
def association_list(
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
    """List associations, filtered.

    \b
    Examples:
      maliext association list --country FR --level base --origin-region kayes
      maliext association list --under CMF --kind tontine -f csv
      maliext association list --search "yelimane" -c id,name,acronym,city,members
    """
    fmt = common.format_name(fmt, output.LIST_FORMATS)
    rows = NOUN.query(common.open_store(db, create=False), filters, search=search, sort=sort, limit=limit)
    crud.print_list(NOUN, rows, fmt, columns, out, title=_("Diaspora associations"))


@app.command("show")
def association_show(
    ref: Ref, fmt: FormatOption = "table", columns: ColumnsOption = None, db: DbOption = None
) -> None:
    """Show one association with its children, projects.

    \b
    Examples:
      maliext association show CMF -f json
    """
    fmt = common.format_name(fmt)
    crud.print_record(NOUN, NOUN.get(common.open_store(db, create=False), ref), fmt, columns)


@app.command("edit")
@field_options(NOUN.entity, editing=True)
def association_edit(ref: Ref, db: DbOption = None, *, values: dict) -> None:
    """Change some fields of an association; the others stay as they are.

    \b
    Examples:
      maliext association edit ARKF --parent CMF          # move it (the parent rules are checked)
      maliext association edit ARKF --members 160 --status dormant
    """
    if not values:
        raise crud.nothing_to_change()
    crud.print_edited(NOUN.label, NOUN.edit(common.open_store(db, create=False), ref, values))


@app.command("import")
def association_import(
    file: ImportFile,
    input_format: InputFormatOption = None,
    encoding: EncodingOption = "utf-8",
    upsert: UpsertOption = False,
    dry_run: DryRunOption = False,
    quiet: QuietOption = False,
    db: DbOption = None,
) -> None:
    """Import associations from CSV, TSV, JSON or JSON lines: all rows or none.

    Headers are field names (or their French forms); every invalid row is reported with its line number.

    \b
    Examples:
      maliext association import associations.csv --dry-run
      maliext association export | maliext association import - --upsert --db bamako.db
    """
    with crud.import_source(file, input_format=input_format, encoding=encoding) as (source, progress):
        report = NOUN.import_source(common.open_store(db), source, upsert=upsert, dry_run=dry_run, progress=progress)
    crud.print_import_report(NOUN.label, report, quiet=quiet, dry_run=dry_run)


@app.command("export")
@filter_options(NOUN.filters)
def association_export(
    fmt: ExportFormatOption = "csv",
    out: OutputOption = None,
    redact: RedactOption = False,
    db: DbOption = None,
    *,
    filters: dict[str, list[str]],
) -> None:
    """Export associations with every field, in a form that `import` reads back.

    \b
    Examples:
      maliext association export -o associations.csv
      maliext association export --redact --country CI -f json
    """
    fmt = common.format_name(fmt)
    rows = NOUN.exported(common.open_store(db, create=False), filters)
    crud.write_export(NOUN, rows, fmt, out, redact=redact)


# `remove` has always worded it without "its".
RemovedRef = Annotated[str, typer.Argument(help="The association: id, uid or acronym.", metavar="REF")]
OptionalRef = Annotated[
    Optional[str],
    typer.Argument(help="The association at the top (id, uid or acronym); default: every root.", metavar="[REF]"),
]
Cascade = Annotated[
    bool,
    typer.Option("--cascade", help="Also remove every association below it and all their projects."),
]
By = Annotated[
    Optional[list[str]],
    typer.Option(
        "--by",
        help=f"Group by one or more of {', '.join(report_service.REPORT_KEYS)} (repeat or separate with ','). Default: country.",
        show_default=False,
    ),
]


@app.command("remove")
def association_remove(ref: RemovedRef, cascade: Cascade = False, yes: YesOption = False, db: DbOption = None) -> None:
    """Remove an association (asks first; --yes to skip); --cascade removes its whole subtree.

    Without --cascade, an association with associations under it or projects is kept.

    \b
    Examples:
      maliext association remove ARKF --yes
      maliext association remove FAMM --cascade --yes
    """
    store = common.open_store(db, create=False)
    row = NOUN.find(store, ref)
    record_id = row["id"]
    if not cascade:
        NOUN.removing(store, row)  # refuse before asking
        common.confirm(_("Remove association {id}?").format(id=record_id), yes)
        NOUN.remove(store, record_id)
        crud.print_removed(NOUN.label, record_id)
        return
    plan = service.cascade_plan(store, record_id)
    below, projects = len(plan["associations"]) - 1, len(plan["projects"])
    # One count per sentence, so that each takes its own plural form; what the question
    # is about, unless --yes (the outcome says it again).
    if not yes:
        output.message(
            ngettext(
                "{n} association is below association {id}.", "{n} associations are below association {id}.", below
            ).format(n=below, id=record_id)
        )
        output.message(
            ngettext("Its subtree holds {n} project.", "Its subtree holds {n} projects.", projects).format(n=projects)
        )
    common.confirm(_("Remove association {id} and its whole subtree?").format(id=record_id), yes)
    NOUN.remove(store, record_id, cascade=True)
    output.message(
        ngettext(
            "Removed association {id} and {n} association below it.",
            "Removed association {id} and {n} associations below it.",
            below,
        ).format(n=below, id=record_id)
    )
    output.message(
        ngettext("Removed {n} project of its subtree.", "Removed {n} projects of its subtree.", projects).format(
            n=projects
        )
    )


@app.command("tree")
def association_tree(
    ref: OptionalRef = None,
    country: Annotated[
        Optional[str],
        typer.Option("--country", help="Only the associations of this country (code or name).", show_default=False),
    ] = None,
    depth: Annotated[
        Optional[int],
        typer.Option(
            "--depth", help="Draw at most this many levels below the top (figures still count all).", show_default=False
        ),
    ] = None,
    fmt: FormatOption = "table",
    columns: ColumnsOption = None,
    db: DbOption = None,
) -> None:
    """The federation tree, with each association's members and its subtree's figures.

    Without REF, every association without a parent is a root; with --country, the roots
    are that country's associations whose parent is absent or abroad (its national
    council). Subtree figures count the association itself and everything below it.
    Table: a tree on a terminal, indented text when piped; CSV/TSV: one row per node.
    With -c, every format prints one row per node with those columns (-c all: every one).

    \b
    Examples:
      maliext association tree HCME --depth 1
      maliext association tree --country FR --depth 2
      maliext association tree CMF -f json
    """
    from maliext_cli.render.tree import FLAT_COLUMNS, flat
    from maliext_cli.render.tree import tree as draw

    fmt = common.format_name(fmt)
    chosen = output.choose_columns(FLAT_COLUMNS, columns, fmt)[0] if columns else None
    store = common.open_store(db, create=False)
    nodes = federation_tree.tree(store, ref, country=country, depth=depth)
    if not nodes and fmt == "table":
        output.message(_("No associations."))
        return
    if chosen is not None:
        output.records(list(flat(nodes)), fmt, columns=chosen)
        return
    draw(nodes, fmt, single=ref is not None)


@app.command("report")
@filter_options(NOUN.filters)
def association_report(
    by: By = None,
    search: SearchOption = None,
    fmt: ReportFormatOption = "table",
    columns: ColumnsOption = None,
    out: OutputOption = None,
    db: DbOption = None,
    *,
    filters: dict[str, list[str]],
) -> None:
    """Associations, members and co-development money, grouped by country, level, kind, origin_region, city or status.

    Figures per group: associations, members, projects, diaspora_contribution, subsidy, other_funding and total (each in EUR and XOF, at 655.957), and leverage (subsidy per unit of diaspora money). An association of several kinds is in each of their groups; the total row counts it once. Takes the filters of `list`.

    \b
    Examples:
      maliext association report --by country,level
      maliext association report --by kind --country FR -f csv
      maliext association report --by origin_region --under CMF -f json
    """
    fmt = common.format_name(fmt, allowed=output.REPORT_FORMATS)
    keys, rows, totals = report_service.report(common.open_store(db, create=False), by, filters, search=search)
    with common.output_stream(out) as stream:
        crud.print_report(_("Diaspora associations"), keys, rows, totals, fmt, columns, stream=stream)
    if out:
        output.message(_("Wrote {path}.").format(path=out))
