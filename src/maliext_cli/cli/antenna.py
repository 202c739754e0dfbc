"""`maliext antenna ...` and `maliext agreement ...`: relay antennas abroad and
inter-university cooperation agreements."""

from __future__ import annotations

import typer

from maliext_cli.cli import crud
from maliext_cli.services.antennas import AGREEMENTS, ANTENNAS

app = typer.Typer(
    help="Relay antennas abroad (PARIS, DAKAR, MONTREAL...) that keep in touch with Malians abroad.",
    no_args_is_help=True,
)
agreement_app = typer.Typer(
    help="Inter-university cooperation agreements between Malian institutions and partners abroad.",
    no_args_is_help=True,
)

crud.build(
    app,
    ANTENNAS,
    examples={
        "add": [
            'maliext antenna add --code PARIS --city Paris --country France --coordinator "Mamadou Keïta" \\',
            "    --email antenne.paris@example.org",
        ],
        "list": ["maliext antenna list", "maliext antenna list --country CA -f json"],
        "show": ["maliext antenna show PARIS"],
        "edit": ['maliext antenna edit DAKAR --coordinator "Awa Diallo"'],
        "remove": ["maliext antenna remove BERLIN --yes"],
        "import": ["maliext antenna import antennes.csv"],
        "export": ["maliext antenna export -o antennes.csv"],
    },
)

crud.build(
    agreement_app,
    AGREEMENTS,
    ref_help="The agreement: id or uid.",
    examples={
        "add": [
            'maliext agreement add --title "Accord-cadre FAST – Université d\'Orléans" --institution FAST \\',
            '    --partner "Université d\'Orléans" --partner-country FR --status signed --signed-on 2003-05-12 \\',
            "    --consultant aminata.traore@example.org",
            'maliext agreement add --title "Co-tutelle de thèses en droit public" --institution FSJP \\',
            '    --partner "Université Cheikh Anta Diop" --partner-country Sénégal',
        ],
        "list": [
            "maliext agreement list --status signed",
            "maliext agreement list --institution FAST --partner-country CA -f json",
        ],
        "show": ["maliext agreement show 3"],
        "edit": ["maliext agreement edit 3 --status signed --signed-on 2006-06-15"],
        "remove": ["maliext agreement remove 3 --yes"],
        "import": ["maliext agreement import accords.csv"],
        "export": ["maliext agreement export -o accords.csv"],
    },
)
