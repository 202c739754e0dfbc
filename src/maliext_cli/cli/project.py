"""`maliext project ...`: the co-development projects of diaspora associations."""

from typing import Annotated, Optional

import typer

from maliext_cli.cli import crud
from maliext_cli.services import projects as service

app = typer.Typer(
    help="Co-development projects: the diaspora's savings and public co-funding invested in Mali.",
    no_args_is_help=True,
)

crud.build(
    app,
    service.NOUN,
    ref_help="The project: id or uid.",
    examples={
        "add": [
            'maliext project add --association ARKF --title "Forage et château d\'eau" --sector water \\',
            "    --locality Kersignané --region kayes --year 2005 --currency EUR \\",
            '    --diaspora-contribution 12000 --subsidy 18000 --subsidy-funder "FSP Codéveloppement Mali"',
        ],
        "list": [
            "maliext project list --association ARKF",
            "maliext project list --under CMF --sector health --year 2003-2007 -f csv",
            'maliext project list --funder codeveloppement --search "cscom"',
        ],
        "show": ["maliext project show 12 -f json"],
        "edit": ["maliext project edit 12 --status completed --other-funding 2500"],
        "remove": ["maliext project remove 12 --yes"],
        "import": [
            "maliext project import projets.csv --dry-run",
            "maliext project export | maliext project import - --upsert --db bamako.db",
        ],
        "export": ["maliext project export -o projets.csv", "maliext project export --region kayes -f json"],
    },
)

By = Annotated[
    Optional[list[str]],
    typer.Option(
        "--by",
        help=f"Group by one or more of {', '.join(service.REPORT_KEYS)} (repeat or separate with ','). Default: sector.",
        show_default=False,
    ),
]


crud.report_command(
    app,
    service.NOUN,
    service.report,
    "Co-development projects",
    By,
    "Projects and their money, grouped by sector, region, year, status, funder, currency, country or association.\n\n"
    "Figures per group: projects, associations, diaspora_contribution, subsidy, other_funding and total (each in "
    "EUR and XOF, at 655.957), and leverage (subsidy per unit of diaspora money). Takes the filters of `list`.",
    [
        "maliext project report --by sector,region",
        "maliext project report --by year --funder codeveloppement -f csv",
        "maliext project report --by funder --country FR -f html > bailleurs.html",
    ],
)
