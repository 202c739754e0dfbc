"""A small world of missions for the tests of papers, evaluations, the calendar and the
agenda: built once per module through the CLI, copied for each test (`world` fixtures)."""

from __future__ import annotations

import shutil
from pathlib import Path

from .conftest import Cli, add_consultant

LETTERHEAD = (
    "Ministère de l'Enseignement supérieur et de la Recherche scientifique\n"
    "Programme TOKTEN-Mali\n"
    "\n"
    "République du Mali\n"
    "Un Peuple – Un But – Une Foi"
)
ADDRESS = "Cité administrative, bâtiment 7, BP E 1234, Bamako\nTél. +223 20 22 00 00"


def build(cli: Cli) -> None:
    """Institutions, two programmes (one with every letter field), three consultants, a
    need and three missions: 1 completed with outcomes (1 to 21 February 2027, on the
    need, in euros), 2 planned (5 to 18 July 2027, in FCFA), 3 cancelled."""
    cli.ok("institution", "add", "--name", "Université de Bamako", "--acronym", "UB", "--kind", "university", "-q")
    cli.ok(
        "institution", "add", "--name", "Faculté des Sciences et Techniques", "--acronym", "FAST",
        "--kind", "faculty", "--parent", "UB", "--city", "Bamako", "--region", "bamako", "-q",
    )
    cli.ok(
        "programme", "add", "--code", "TOKTEN", "--name", "Transfert des connaissances par les expatriés",
        "--funders", "PNUD", "--letterhead", LETTERHEAD, "--address", ADDRESS, "--city", "Bamako",
        "--email", "tokten@example.org", "--signatory", "Dr Amadou Diarra",
        "--signatory-title", "Coordonnateur national du programme TOKTEN-Mali", "-q",
    )
    cli.ok("programme", "add", "--code", "TALMALI", "--reference-prefix", "MESRS/TALMALI", "-q")
    add_consultant(
        cli, family_name="Traoré", given_names="Aminata", sex="F", country="FR", city="Orléans", degree="hdr",
        discipline="0531", employer="CNRS", email="a@example.org",
    )
    add_consultant(
        cli, family_name="Keïta", given_names="Moussa", sex="M", country="SN", city="Dakar", degree="master",
        discipline="0541", email="m@example.org",
    )
    add_consultant(
        cli, family_name="Diallo", given_names="Awa", country="CA", degree="master", discipline="0311",
        email="w@example.org",
    )
    cli.ok(
        "need", "add", "--institution", "FAST", "--title", "DEA de chimie organique", "--discipline", "chimie",
        "--keywords", "chimie organique;catalyse", "--type", "supervision", "--level", "dea",
        "--window-start", "2027-01-10", "--window-end", "2027-03-31", "--duration-days", "21", "--seats", "2",
        "--priority", "1", "--notes", "Le laboratoire ouvre un DEA de chimie organique.", "-q",
    )
    cli.ok(
        "mission", "add", "--consultant", "a@example.org", "--need", "1", "--programme", "TOKTEN",
        "--start-date", "2027-02-01", "--end-date", "2027-02-21", "--travel-cost", "650", "--per-diem", "60",
        "--fees", "100", "--currency", "EUR", "--funder", "PNUD", "-q",
    )
    cli.ok(
        "mission", "complete", "1", "--hours-taught", "40", "--people-trained", "12", "--theses-supervised", "2",
        "--rating", "5",
    )
    cli.ok(
        "mission", "add", "--consultant", "m@example.org", "--institution", "FAST", "--programme", "TOKTEN",
        "--type", "lecture", "--start-date", "2027-07-05", "--end-date", "2027-07-18", "--travel-cost", "450000",
        "--per-diem", "25000", "-q",
    )
    cli.ok(
        "mission", "add", "--consultant", "w@example.org", "--institution", "FAST", "--programme", "TALMALI",
        "--type", "workshop", "--start-date", "2027-03-01", "--end-date", "2027-03-10", "-q",
    )
    cli.ok("mission", "cancel", "3")


def template(folder: Path) -> Path:
    """The world, built once in `folder`."""
    path = folder / "world.db"
    build(Cli(path))
    return path


def copy(template_path: Path, db: Path) -> Cli:
    """A fresh copy of the world at `db` (the WAL folded in first)."""
    import sqlite3

    conn = sqlite3.connect(template_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    shutil.copyfile(template_path, db)
    return Cli(db)
