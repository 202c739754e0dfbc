"""The registry of nouns and what each noun declares: one list, read by everything."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from maliext_cli.services import consultants, missions, nouns, records
from maliext_cli.store import Store
from maliext_cli.store.schema import _V1, RECORD_TABLES

# A database with one record in each table that a mission needs, written through the
# store alone (no service module imported).
_SEED = """
from maliext_cli.store import Store

store = Store.open({path!r})
with store.transaction():
    c = store.insert("consultant", {{"family_name": "Traoré", "given_names": "Aminata", "country": "FR",
                                     "degree": "doctorat", "discipline": "0531", "email": "a@example.org"}})
    i = store.insert("institution", {{"name": "Faculté des Sciences et Techniques", "acronym": "FAST"}})
    p = store.insert("programme", {{"code": "TOKTEN"}})
    store.insert("mission", {{"consultant_id": c, "institution_id": i, "programme_id": p, "type": "lecture",
                              "start_date": "2027-01-04", "end_date": "2027-01-24", "travel_cost": 50000}})
"""

# Each service called from a fresh process that imports that module only: none may
# depend on the CLI (or anything else) having imported the nouns' modules first.
_CALLS = {
    "mission report": """
from maliext_cli.services import mission_report
from maliext_cli.store import Store

report = mission_report.build(Store.open({path!r}), [], institutions=["FAST"], programmes=["TOKTEN"])
assert report.totals["missions"] == 1 and report.totals["person_days"] == 21, report.totals
""",
    "history": """
from maliext_cli.services import history
from maliext_cli.store import Store

store = Store.open({path!r})
found = history.changes(store, record="FAST", table="institution")
assert [history.describe(c) for c in found] == ["added institution 1 (FAST)"], found
assert history.changes(store, record="consultant:a@example.org")[0]["action"] == "insert"
assert history.describe(history.changes(store, table="mission")[0]) == "added mission 1 (2027-01-04 to 2027-01-24)"
""",
    "db check": """
from maliext_cli.services import checks
from maliext_cli.store import Store

store = Store.open({path!r})
assert checks.run(store) == []
with store.transaction():
    store.conn.execute("UPDATE institution SET kind = 'castle'")
assert [str(p) for p in checks.run(store)] == ["institution 1: kind 'castle' is not a known institution kind"]
""",
}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("nouns") / "seeded.db"
    subprocess.run([sys.executable, "-c", _SEED.format(path=str(path))], check=True)
    return path


@pytest.mark.parametrize("service", sorted(_CALLS))
def test_a_service_works_without_the_cli(seeded: Path, service: str):
    result = subprocess.run(
        [sys.executable, "-c", _CALLS[service].format(path=str(seeded))], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_the_store_and_the_registry_know_the_same_record_tables():
    assert nouns.TABLES == RECORD_TABLES


def test_the_registry_lists_each_table_after_those_it_refers_to():
    order = {table: i for i, table in enumerate(nouns.TABLES)}
    for table, entity in nouns.ENTITIES.items():
        assert entity.table == table
        for f in entity.fields:
            if f.ref:
                assert order[f.ref] <= order[table], (table, f.name)


def test_a_periods_days_are_those_of_the_stored_mission_days():
    stored = re.search(r"days INTEGER GENERATED ALWAYS AS \((.*)\) STORED", _V1).group(1)
    assert missions.PERIOD.days().replace('"', "") == stored


def test_a_field_reads_input_with_its_vocabulary():
    status = missions.ENTITY.by_name["status"]
    assert status.parse == status.vocabulary.resolve
    assert records.Field("notes").parse is records.parse.line


def test_the_likely_duplicate_key_means_the_same_in_python_and_in_sql(tmp_path: Path):
    likely = consultants.LIKELY_DUPLICATE
    rows = [
        {"family_name": "Traoré", "given_names": "Aminata", "birth_year": 1968},
        {"family_name": "TRAORE", "given_names": "aminata ", "birth_year": 1968},
        {"family_name": "Traoré", "given_names": "Aminata", "birth_year": None},
        {"family_name": "Traoré", "given_names": "Aminata", "birth_year": 1969},
        {"family_name": "Keïta", "given_names": "Aminata", "birth_year": None},
    ]
    store = Store.open(tmp_path / "t.db")
    with store.transaction():
        ids = [
            store.insert("consultant", {**r, "country": "FR", "degree": "master", "discipline": "0531"}) for r in rows
        ]
    for row in rows:
        in_sql = {r["id"] for r in store.rows(f"SELECT id FROM consultant WHERE {likely.where()}", likely.key(row))}
        in_python = {i for i, other in zip(ids, rows) if likely.key(other) == likely.key(row)}
        assert in_sql == in_python, row


@pytest.mark.parametrize(
    "table, row, name",
    [
        ("consultant", {"given_names": "Aminata", "family_name": "Traoré", "email": "a@example.org"}, "Aminata Traoré"),
        ("consultant", {"email": "a@example.org"}, "a@example.org"),
        ("institution", {"acronym": "FAST", "name": "Faculté"}, "FAST"),
        ("institution", {"acronym": None, "name": "Faculté"}, "Faculté"),
        ("programme", {"code": "TOKTEN", "start": "2027-01-01"}, "TOKTEN"),
        ("availability", {"start": "2027-01-01", "end": "2027-03-31"}, "2027-01-01 to 2027-03-31"),
        ("mission", {"start_date": "2027-01-04", "end_date": None}, "2027-01-04 to ?"),
        ("need", {"title": "Cours de chimie", "window_start": "2027-01-01"}, "Cours de chimie"),
        ("agreement", {"title": "Accord-cadre", "signed_on": "2027-01-01"}, "Accord-cadre"),
        ("association", {"name": "Collectif", "acronym": "CMF"}, "CMF"),
        ("project", {"title": "Puits"}, "Puits"),
        ("antenna", {"code": "PARIS", "email": "p@example.org"}, "PARIS"),
        ("conflict", {"reason": "former employer"}, ""),
    ],
)
def test_a_record_is_named_as_its_noun_declares(table: str, row: dict, name: str):
    assert nouns.name_of(table, row) == name
