"""`init`, `db ...`, `ref ...`, `demo` and the example files."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from maliext_cli.services.demo import examples_dir

from .conftest import AMINATA, add_consultant, digest


def test_init_creates_then_is_idempotent(cli, db):
    first = cli.ok("init")
    assert "was created" in first.stderr
    before = digest(db)
    second = cli.ok("init")
    assert "is ready" in second.stderr
    assert digest(db) == before


def test_db_path_order(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    default = cli("db", "path", db=False, env={"MALIEXT_DB": None})
    assert default.stdout == f"{tmp_path / 'xdg' / 'maliext' / 'maliext.db'}\n"
    assert "default" in default.stderr
    env = cli("db", "path", db=False, env={"MALIEXT_DB": str(tmp_path / "env.db")})
    assert env.stdout == f"{tmp_path / 'env.db'}\n"
    option = cli("db", "path", env={"MALIEXT_DB": str(tmp_path / "env.db")})
    assert option.stdout == f"{cli.db}\n"


def test_backup_is_a_private_consistent_copy(cli, tmp_path):
    add_consultant(cli, *AMINATA)
    dest = tmp_path / "copy.db"
    result = cli.ok("db", "backup", str(dest))
    assert result.stdout == f"{dest}\n"
    assert stat.S_IMODE(os.stat(dest).st_mode) == 0o600
    copy = type(cli)(dest)
    assert copy.json("consultant", "list")[0]["family_name"] == "Traoré"
    again = cli("db", "backup", str(dest))
    assert again.exit_code == 1 and "already exists" in again.stderr
    into_dir = cli.ok("db", "backup", str(tmp_path))
    assert Path(into_dir.stdout.strip()).parent == tmp_path


def test_sql_is_read_only(cli, db):
    add_consultant(cli, *AMINATA)
    rows = cli.csv("db", "sql", "SELECT family_name, country FROM consultant")
    assert rows == [{"family_name": "Traoré", "country": "CI"}]
    empty = cli.ok("db", "sql", "SELECT id, uid FROM consultant WHERE 0", "-f", "csv")
    assert empty.stdout == "id,uid\n"
    before = digest(db)
    for statement in (
        "DELETE FROM consultant",
        "UPDATE consultant SET city = 'x'",
        "DROP TABLE consultant",
        "INSERT INTO programme (uid, created_at, updated_at, code) VALUES ('u', 'x', 'x', 'C')",
        "PRAGMA journal_mode = DELETE",
        "CREATE TABLE evil (a)",
    ):
        result = cli("db", "sql", statement)
        assert result.exit_code == 1, statement
        assert result.stderr.startswith("Error: "), statement
    assert digest(db) == before
    assert cli("db", "sql", "SELEC nonsense").exit_code == 1


def test_ref_disciplines_and_vocabularies(cli):
    rows = cli.csv("ref", "disciplines", "--search", "chimie")
    assert {r["code"] for r in rows} == {"0512", "0531"}
    broad = cli.csv("ref", "disciplines", "--level", "broad")
    assert len(broad) == 12 and broad[0] == {
        "code": "00",
        "level": "broad",
        "name": "Generic programmes and qualifications",
    }
    regions = cli.csv("ref", "regions")
    assert len(regions) == 20 and regions[0]["iso"] == "ML-1"
    assert [r["code"] for r in cli.csv("ref", "degrees")] == [
        "licence",
        "master",
        "dea",
        "dess",
        "ingenieur",
        "doctorat",
        "hdr",
    ]
    assert len(cli.csv("ref", "types")) == 7
    assert cli.csv("ref", "countries", "--search", "ivoire")[0]["code"] == "CI"
    assert cli.csv("ref", "languages", "--search", "bambara")[0]["code"] == "bm"


def test_demo_builds_and_tours(cli, tmp_path):
    target = tmp_path / "demo.db"
    result = cli("demo", "--db", str(target), db=False)
    assert result.exit_code == 0, result.stderr
    assert "$ maliext consultant list" in result.stdout
    assert f"export MALIEXT_DB={target}" in result.stdout
    demo = type(cli)(target)
    assert len(demo.json("consultant", "list")) >= 300
    # an earlier demo is replaced
    assert cli("demo", "--db", str(target), db=False).exit_code == 0


def test_demo_never_replaces_real_data(cli, db):
    add_consultant(cli, *AMINATA)
    before = digest(db)
    result = cli("demo", "--db", str(db), db=False)
    assert result.exit_code == 1
    assert "holds data that the demo did not make" in result.stderr
    assert digest(db) == before


def test_demo_default_location_is_beside_the_default_database(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("MALIEXT_DB", raising=False)
    result = cli("demo", db=False)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "xdg" / "maliext" / "demo.db").exists()
    assert not (tmp_path / "xdg" / "maliext" / "maliext.db").exists()


def test_example_files_are_what_the_seeded_generator_writes(tmp_path):
    generator = Path(__file__).resolve().parents[1] / "examples" / "generate.py"
    if not generator.exists():
        pytest.skip("runs from a source checkout")
    subprocess.run([sys.executable, str(generator), str(tmp_path)], check=True)
    for made in tmp_path.iterdir():
        assert made.read_bytes() == (generator.parent / made.name).read_bytes(), made.name


def test_example_repertory_is_realistic():
    rows = list(csv.DictReader(io.StringIO((examples_dir() / "consultants.csv").read_text(encoding="utf-8"))))
    assert len(rows) >= 300
    countries = {r["pays"] for r in rows}
    assert {"FR", "SN", "CI", "CA", "US"} <= countries
    assert any(any(ch in r["nom"] + r["prénom"] for ch in "éèïëô") for r in rows)
    assert sum(bool(r["disponibilités"]) for r in rows) > 150
    assert len({r["diplôme"] for r in rows}) == 7


def test_backup_of_a_database_being_written(cli, tmp_path):
    """A backup taken while another connection holds an open write transaction is the
    last committed state."""
    add_consultant(cli, *AMINATA)
    writer = sqlite3.connect(cli.db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE consultant SET city = 'pending'")
    dest = tmp_path / "during.db"
    cli.ok("db", "backup", str(dest))
    writer.execute("ROLLBACK")
    writer.close()
    assert type(cli)(dest).json("consultant", "show", "1")["city"] is None


def test_demo_takes_db_before_the_subcommand(cli, tmp_path):
    target = tmp_path / "before.db"
    result = cli.runner.invoke(__import__("maliext_cli.cli.app", fromlist=["app"]).app, ["--db", str(target), "demo"])
    assert result.exit_code == 0, result.stderr
    assert target.exists()


def test_ref_degrees_in_french_and_english(cli):
    """Codes stay; names follow the interface language; the same keys in every format."""
    english = cli.json("ref", "degrees")
    french = cli.json("ref", "degrees", env={"MALIEXT_LANG": "fr"})
    assert [list(r) for r in english] == [list(r) for r in french] == [["code", "name"]] * 7
    assert [r["code"] for r in english] == [r["code"] for r in french]
    assert {r["code"]: r["name"] for r in english}["doctorat"] == "Doctorate (PhD)"
    assert {r["code"]: r["name"] for r in french} == {
        "licence": "Licence",
        "master": "Master / Maîtrise",
        "dea": "DEA (diplôme d'études approfondies)",
        "dess": "DESS (diplôme d'études supérieures spécialisées)",
        "ingenieur": "Diplôme d'ingénieur",
        "doctorat": "Doctorat",
        "hdr": "HDR (habilitation à diriger des recherches)",
    }
    by_locale = cli.csv("ref", "degrees", env={"MALIEXT_LANG": "", "LC_ALL": "fr_FR.UTF-8"})
    assert by_locale[0] == {"code": "licence", "name": "Licence"}
    table = cli.ok("ref", "degrees", env={"MALIEXT_LANG": "fr"}).stdout
    assert "Diplôme d'ingénieur" in table and "Engineering degree" not in table


def test_ref_prints_names_in_the_interface_language_and_finds_them_in_any(cli):
    fr = {"MALIEXT_LANG": "fr"}
    assert cli.csv("ref", "need-statuses", env=fr) == [
        {"code": "open", "name": "ouvert"},
        {"code": "filled", "name": "pourvu"},
        {"code": "cancelled", "name": "annulé"},
    ]
    # The same English word, two vocabularies, two French words (pgettext's context).
    assert {r["code"]: r["name"] for r in cli.csv("ref", "consultant-statuses", env=fr)}["active"] == "actif"
    assert {r["code"]: r["name"] for r in cli.csv("ref", "association-statuses", env=fr)}["active"] == "active"
    assert {r["code"]: r["name"] for r in cli.csv("ref", "mission-statuses", env=fr)}["completed"] == "achevée"
    assert {r["code"]: r["name"] for r in cli.csv("ref", "project-statuses", env=fr)}["completed"] == "achevé"
    assert cli.csv("ref", "disciplines", "--search", "chemistry", env=fr)[1] == {
        "code": "0531",
        "level": "detailed",
        "name": "Chimie",
    }
    assert cli.csv("ref", "regions", "--search", "timbuktu", env=fr)[0]["name"] == "Tombouctou"
    assert cli.csv("ref", "regions", "--search", "tombouctou")[0]["name"] == "Timbuktu"
    assert cli.csv("ref", "countries", "--search", "allemagne")[0] == {"code": "DE", "name": "Germany"}
    assert cli.csv("ref", "countries", "--search", "germany", env=fr)[0] == {"code": "DE", "name": "Allemagne"}
    assert cli.csv("ref", "languages", "--search", "english", env=fr)[0] == {"code": "en", "name": "Anglais"}
    wrong = cli("ref", "disciplines", "--level", "fine", env=fr)
    assert wrong.exit_code == 2 and wrong.stderr.startswith("Erreur") and "niveau inconnu 'fine'" in wrong.stderr


# ----------------------------------------------------------------- in French
def test_init_path_backup_and_restore_in_french(cli, db, tmp_path, monkeypatch):
    import gc

    from maliext_cli.cli import common
    from maliext_cli.store.schema import MIGRATION_NAMES

    french = {"MALIEXT_LANG": "fr"}
    schema = MIGRATION_NAMES[-1]
    created = cli("init", env=french)
    assert created.exit_code == 0
    assert created.stderr.splitlines()[0] == (
        f"La base de données {db} a été créée (schéma {schema}\u202f; choisie par --db)."
    )
    ready = cli("init", env=french)
    assert ready.stderr == f"La base de données {db} est prête (schéma {schema}\u202f; choisie par --db).\n"
    assert cli("db", "path", env=french).stderr == "(choisie par --db)\n"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    default = cli("db", "path", db=False, env={**french, "MALIEXT_DB": None})
    assert default.stderr == "(emplacement par défaut\u202f; le fichier n'existe pas encore)\n"

    add_consultant(cli, *AMINATA)
    backup = tmp_path / "backup.db"
    saved = cli("db", "backup", str(backup), env=french)
    assert (saved.exit_code, saved.stderr) == (0, f"Sauvegarde de {db} écrite dans {backup}.\n")
    cli.ok("consultant", "edit", "1", "--city", "Kayes")
    monkeypatch.setattr(common, "interactive", lambda: True)
    gc.collect()  # stores of the commands above may linger, still connected (see test_safety.restore)
    before = digest(db)
    declined = cli("db", "restore", str(backup), input="non\n", env=french)
    assert declined.exit_code == 1 and digest(db) == before
    assert declined.stderr.startswith(
        f"{backup}\u202f: une base de données maliext (schéma {schema})\u202f; fiches\u202f: consultant 1.\n"
        f"Remplacer {db} par celle-ci\u202f? [o/N]"
    )
    gc.collect()
    restored = cli("db", "restore", str(backup), input="o\n", env=french)
    assert restored.exit_code == 0, restored.stderr
    kept = restored.stdout.splitlines()[-1]  # after the answer, which the test runner echoes
    assert restored.stderr.endswith(
        f"Base {db} restaurée à partir de {backup}\u202f; la base qu'elle remplace est conservée dans {kept}.\n"
    )
    assert cli.json("consultant", "show", "1")["city"] is None
