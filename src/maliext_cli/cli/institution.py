"""`maliext institution ...` and `maliext programme ...`: host institutions and funding programmes."""

from __future__ import annotations

import typer

from maliext_cli.cli import crud
from maliext_cli.services.institutions import INSTITUTIONS, PROGRAMMES

app = typer.Typer(
    help="Host institutions in Mali: faculties, grandes écoles, hospitals, research centres, ministries.",
    no_args_is_help=True,
)
programme_app = typer.Typer(help="Funding programmes (TOKTEN, TALMALI...).", no_args_is_help=True)

crud.build(
    app,
    INSTITUTIONS,
    examples={
        "add": [
            'maliext institution add --name "Université de Bamako" --acronym UB --kind university --city Bamako --region bamako',
            'maliext institution add --name "Faculté des Sciences et Techniques" --acronym FAST --kind faculty --parent UB',
        ],
        "list": [
            "maliext institution list --kind faculty",
            "maliext institution list --parent UB -f json",
            "maliext institution list --search hopital",
        ],
        "show": ["maliext institution show FAST"],
        "edit": ["maliext institution edit FAST --city Bamako"],
        "remove": ["maliext institution remove 12 --yes"],
        "import": ["maliext institution import etablissements.csv"],
        "export": ["maliext institution export -o etablissements.csv"],
    },
)

crud.build(
    programme_app,
    PROGRAMMES,
    examples={
        "add": [
            'maliext programme add --code TOKTEN --name "Transfer of Knowledge Through Expatriate Nationals" \\',
            '    --funders "PNUD;Coopération française" --start 1998-10-01',
        ],
        "list": ["maliext programme list", "maliext programme list --search unesco -f json"],
        "show": ["maliext programme show TOKTEN"],
        "edit": ["maliext programme edit TALMALI --end 2009-12-31"],
        "remove": ["maliext programme remove TEST --yes"],
        "import": ["maliext programme import programmes.csv"],
        "export": ["maliext programme export -f json"],
    },
)
