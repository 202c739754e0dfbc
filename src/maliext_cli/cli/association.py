"""`maliext association ...`: the register of diaspora associations and their
federations, up to the High Council of Malians Abroad."""

from typing import Annotated, Optional

import typer

from maliext_cli.cli import common, crud
from maliext_cli.cli.options import (
    DbOption,
    FormatOption,
    YesOption,
)
from maliext_cli.render import output
from maliext_cli.services import associations as service

app = typer.Typer(
    help="The register of diaspora associations, city federations, national councils and the High Council (HCME).",
    no_args_is_help=True,
)

crud.build(
    app,
    service.NOUN,
    commands=("add", "list", "show", "edit", "import", "export"),
    examples={
        "add": [
            'maliext association add --name "Association des ressortissants de Kersignané en France" \\',
            "    --acronym ARKF --level base --parent FAMM --country FR --city Montreuil \\",
            "    --origin-region Kayes --origin-locality Kersignané --kind local-development --kind tontine \\",
            "    --members 140 --founded 1987",
        ],
        "list": [
            "maliext association list --country FR --level base --origin-region kayes",
            "maliext association list --under CMF --kind tontine -f csv",
            'maliext association list --search "yelimane" -c id,name,acronym,city,members',
        ],
        "show": ["maliext association show CMF -f json"],
        "edit": [
            "maliext association edit ARKF --parent CMF          # move it (the parent rules are checked)",
            "maliext association edit ARKF --members 160 --status dormant",
        ],
        "import": [
            "maliext association import associations.csv --dry-run",
            "maliext association export | maliext association import - --upsert --db bamako.db",
        ],
        "export": [
            "maliext association export -o associations.csv",
            "maliext association export --redact --country CI -f json",
        ],
    },
)

Ref = Annotated[str, typer.Argument(help="The association: id, uid or acronym.", metavar="REF")]
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
        help=f"Group by one or more of {', '.join(service.REPORT_KEYS)} (repeat or separate with ','). Default: country.",
        show_default=False,
    ),
]


@app.command("remove")
def remove(ref: Ref, cascade: Cascade = False, yes: YesOption = False, db: DbOption = None) -> None:
    """Remove an association (asks first; --yes to skip); --cascade removes its whole subtree.

    Without --cascade, an association with associations under it or projects is kept.

    \b
    Examples:
      maliext association remove ARKF --yes
      maliext association remove FAMM --cascade --yes
    """
    store = common.open_store(db, create=False)
    row = service.NOUN.find(store, ref)
    if cascade:
        plan = service.cascade_plan(store, row["id"])
        below, projects = len(plan["associations"]) - 1, len(plan["projects"])
        question = f"Remove association {row['id']}, {below} association(s) below it and {projects} project(s)?"
    else:
        service.NOUN.removing(store, row)  # refuse before asking
        question = f"Remove association {row['id']}?"
    common.confirm(question, yes)
    service.NOUN.remove(store, row["id"], cascade=cascade)
    if cascade:
        output.message(f"Removed association {row['id']}, {below} association(s) below it and {projects} project(s).")
    else:
        output.message(f"Removed association {row['id']}.")


@app.command("tree")
def tree(
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
    db: DbOption = None,
) -> None:
    """The federation tree, with each association's members and its subtree's figures.

    Without REF, every association without a parent is a root; with --country, the roots
    are that country's associations whose parent is absent or abroad (its national
    council). Subtree figures count the association itself and everything below it.
    Table: a tree on a terminal, indented text when piped; CSV/TSV: one row per node.

    \b
    Examples:
      maliext association tree HCME --depth 1
      maliext association tree --country FR --depth 2
      maliext association tree CMF -f json
    """
    from maliext_cli.render.tree import tree as draw

    fmt = common.format_name(fmt)
    store = common.open_store(db, create=False)
    nodes = service.tree(store, ref, country=country, depth=depth)
    if not nodes and fmt == "table":
        output.message("No associations.")
        return
    draw(nodes, fmt, single=ref is not None)


crud.report_command(
    app,
    service.NOUN,
    service.report,
    "Diaspora associations",
    By,
    "Associations, members and co-development money, grouped by country, level, kind, origin_region, city or status.\n\n"
    "Figures per group: associations, members, projects, diaspora_contribution, subsidy, other_funding and total "
    "(each in EUR and XOF, at 655.957), and leverage (subsidy per unit of diaspora money). An association of several "
    "kinds is in each of their groups; the total row counts it once. Takes the filters of `list`.",
    [
        "maliext association report --by country,level",
        "maliext association report --by kind --country FR -f csv",
        "maliext association report --by origin_region --under CMF -f json",
    ],
)
