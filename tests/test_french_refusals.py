"""Refusals of the services read in French (MALIEXT_LANG=fr): an import's invalid
rows, a mission that overlaps another, a reference to nothing, a line of `db check`,
the summary of `undo`. Each refusal leaves the database exactly as it was and exits
with its documented code; JSON and CSV outputs are the same bytes in both languages."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from .conftest import AMINATA, Cli, digest

FR = {"MALIEXT_LANG": "fr"}


def typeset(text: str) -> str:
    """French as printed: a narrow no-break space (U+202F) before : and ;."""
    return text.replace(" :", "\u202f:").replace(" ;", "\u202f;")


@pytest.fixture
def world(cli: Cli) -> Cli:
    """A faculty, a programme, a consultant with one mission (4 to 24 January 2027)."""
    cli.ok("institution", "add", "--name", "Faculté des Sciences et Techniques", "--acronym", "FAST", "-q")
    cli.ok("programme", "add", "--code", "TOKTEN", "-q")
    cli.ok("consultant", "add", *AMINATA, "-q")
    cli.ok("mission", "add", "--consultant", "aminata@example.org", "--institution", "FAST", "--programme", "TOKTEN",
           "--type", "lecture", "--start-date", "2027-01-04", "--end-date", "2027-01-24", "-q")  # fmt: skip
    return cli


def test_an_import_with_invalid_rows_lists_them_in_french_and_writes_nothing(cli, db, tmp_path):
    cli.ok("init")
    before = digest(db)
    source = tmp_path / "repertoire.csv"
    source.write_text(
        "nom,prénom,pays,diplôme,domaine,courriel,année de naissance\n"
        "Traoré,Aminata,CI,doctorat,0531,aminata@example.org,1968\n"
        "Diallo,,ML,doctorat,0531,,1970\n"
        "Keïta,Moussa,FR,master,0531,moussa@@example.org,1890\n"
        "Coulibaly,Awa,SN,doctorat,0531,AMINATA@example.org,1975\n",
        encoding="utf-8",
    )
    result = cli("consultant", "import", str(source), env=FR)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        typeset("Erreur : 3 lignes sur 4 sont invalides ; rien n'a été importé"),
        typeset("  ligne 3 : given_names : obligatoire"),
        typeset("  ligne 4 : email : 'moussa@@example.org' n'est pas une adresse électronique valide"),
        typeset("  ligne 4 : birth_year : doit être compris entre 1920 et 2011, et non 1890"),
        typeset("  ligne 5 : email AMINATA@example.org figure aussi à la ligne 2"),
    ]
    assert digest(db) == before


def test_an_import_of_one_invalid_row_in_a_json_array_counts_records(cli, db, tmp_path):
    cli.ok("init")
    before = digest(db)
    source = tmp_path / "repertoire.json"
    source.write_text('[{"family_name": "Traoré", "given_names": "Aminata"}]', encoding="utf-8")
    result = cli("consultant", "import", str(source), env=FR)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        typeset("Erreur : 1 enregistrement sur 1 est invalide ; rien n'a été importé"),
        typeset("  enregistrement 1 : country : obligatoire"),
        typeset("  enregistrement 1 : degree : obligatoire"),
        typeset("  enregistrement 1 : discipline : obligatoire"),
    ]
    assert digest(db) == before


def test_an_overlapping_mission_is_refused_in_french(world, db):
    before = digest(db)
    result = world("mission", "add", "--consultant", "aminata@example.org", "--institution", "FAST",
                   "--programme", "TOKTEN", "--type", "lecture", "--start-date", "2027-01-20",
                   "--end-date", "2027-02-05", env=FR)  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr == typeset(
        "Erreur : le consultant 1 a déjà la mission 1 (FAST, du 2027-01-04 au 2027-01-24), "
        "qui chevauche la période du 2027-01-20 au 2027-02-05\n"
    )
    assert digest(db) == before


def test_a_mission_too_short_is_refused_in_french_with_its_hint(world, db):
    before = digest(db)
    result = world("mission", "add", "--consultant", "1", "--institution", "FAST", "--programme", "TOKTEN",
                   "--type", "lecture", "--start-date", "2027-03-01", "--end-date", "2027-03-03", env=FR)  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        typeset("Erreur : une mission dure de 7 à 90 jours ; celle-ci dure 3 jours"),
        "Pour enregistrer une dérogation, donnez --force --reason TEXT.",
    ]
    assert digest(db) == before


def test_a_reference_to_nothing_exits_3_in_french(world, db):
    before = digest(db)
    result = world("mission", "add", "--consultant", "personne@example.org", "--institution", "FAST",
                   "--programme", "TOKTEN", "--type", "lecture", "--start-date", "2027-03-01",
                   "--end-date", "2027-03-21", env=FR)  # fmt: skip
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [
        typeset("Erreur : consultant : consultant 'personne@example.org' introuvable"),
        "Désignez un consultant par son id, son uid ou son adresse électronique.",
    ]
    result = world("institution", "show", "FSJP", env=FR)
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [
        typeset("Erreur : établissement 'FSJP' introuvable"),
        "Désignez un établissement par son id, son uid ou son sigle (FAST, FSJP...).",
    ]
    assert digest(db) == before


def test_removing_a_record_still_referred_to_is_refused_in_french(world, db):
    before = digest(db)
    result = world("programme", "remove", "TOKTEN", "--yes", env=FR)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        typeset("Erreur : 1 mission renvoie au programme 1"),
        "Supprimez ou modifiez d'abord cette mission.",
    ]
    assert digest(db) == before


def test_db_check_problem_lines_in_french(world, db):
    world.ok("mission", "add", "--consultant", "1", "--institution", "FAST", "--programme", "TOKTEN",
             "--type", "lecture", "--start-date", "2027-02-01", "--end-date", "2027-02-21", "-q")  # fmt: skip
    # Another tool writes to the file: the missions now overlap, and the second lasts 4 days.
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE mission SET start_date = '2027-01-20', end_date = '2027-01-23' WHERE id = 2")
    conn.close()
    before = digest(db)
    result = world("db", "check", env=FR)
    assert result.exit_code == 4
    assert result.stdout.splitlines() == [
        typeset("mission 1 : chevauche la mission 2 (du 2027-01-20 au 2027-01-23) du même consultant (1)"),
        typeset("mission 2 : dure 4 jours, hors de 7 à 90, et aucune justification n'est enregistrée"),
    ]
    # The same lines in English: the table and the ids are the same, only the words change.
    assert world("db", "check").stdout.splitlines() == [
        "mission 1: overlaps mission 2 (2027-01-20 to 2027-01-23) of the same consultant (1)",
        "mission 2: lasts 4 days, outside 7 to 90, and no reason is recorded",
    ]
    assert digest(db) == before


def test_undo_describes_the_command_in_french(world, db):
    world.ok("consultant", "edit", "1", "--city", "Orléans")
    result = world("undo", "--yes", env=FR)
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    assert lines[0].startswith("Dernière commande, le ") and lines[0].endswith("\u202f:")
    assert lines[2:6] == [
        "Elle a modifié 1 fiche\u202f:",
        typeset("  consultant : 1 modification"),
        "Par exemple\u202f:",
        typeset("  modification de la fiche consultant 1 (Aminata Traoré) : city null -> 'Orléans'"),
    ]
    assert world.json("consultant", "show", "1")["city"] is None


def test_an_undo_refused_in_french_changes_nothing(world, db):
    world.ok("consultant", "edit", "1", "--city", "Orléans")
    world.ok("consultant", "edit", "1", "--city", "Paris")
    first = world.json("history", "--limit", "2")[1]
    before = digest(db)
    from maliext_cli import i18n
    from maliext_cli.errors import Conflict
    from maliext_cli.services import history
    from maliext_cli.store import Store

    store = Store.open(db)
    command = store.value("SELECT command_id FROM change WHERE id = ?", (first["id"],))
    i18n.use("fr")
    with pytest.raises(Conflict) as refused:
        history.undo(store, command)
    store.close()
    assert refused.value.message.startswith("impossible d'annuler `")
    assert (
        typeset(
            ": 1 des fiches qu'elle a modifiées l'a été de nouveau par une commande ultérieure toujours en vigueur ; "
            "rien n'a été modifié"
        )
        in refused.value.message
    )
    assert digest(db) == before


# ---------------------------------------------------- outputs in both languages
@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    """The demo database (every kind of record), built once."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    result = Cli(path)("demo", "--db", str(path), db=False)
    assert result.exit_code == 0, result.stderr
    return path


OUTPUTS = [
    ("consultant", "list"),
    ("consultant", "show", "1"),
    ("consultant", "export"),
    ("institution", "list"),
    ("need", "list"),
    ("mission", "list"),
    ("mission", "report", "--by", "year,type"),
    ("programme", "list"),
    ("antenna", "list"),
    ("agreement", "list"),
    ("association", "list"),
    ("association", "tree"),
    ("association", "report", "--by", "country,level"),
    ("project", "list"),
    ("project", "report", "--by", "sector"),
    ("report", "summary"),
    ("history", "--limit", "30"),
]


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_outputs_are_the_same_bytes_in_both_languages(demo_file, tmp_path, fmt):
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_file, path)
    cli = Cli(path)
    for args in OUTPUTS:
        if fmt == "csv" and args[:2] in (("association", "tree"), ("report", "summary"), ("consultant", "show")):
            continue  # nested: JSON only
        english = cli(*args, "-f", fmt)
        french = cli(*args, "-f", fmt, env=FR)
        assert english.exit_code == french.exit_code == 0, (args, english.stderr, french.stderr)
        assert len(english.stdout) > 20, args
        assert french.stdout == english.stdout, args
