"""`maliext db check`: silent on a sound file; one line per problem and exit code 4 otherwise.

Problems are made the way they happen in the field: by another tool writing to the
file directly (here sqlite3 with the CHECK and foreign-key constraints turned off).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from maliext_cli.services import checks, consultants, institutions, missions, needs
from maliext_cli.services.associations import NOUN as ASSOCIATIONS
from maliext_cli.services.projects import NOUN as PROJECTS
from maliext_cli.store import Store

from .conftest import digest


def build(db: Path) -> None:
    """A small database that keeps every rule, with a row in each kind of table."""
    store = Store.open(db)
    for i, (name, email, period) in enumerate(
        [("Traoré", "a@example.org", "2027-01-01/2027-03-31"), ("Keïta", "b@example.org", "2027-02-01/2027-02-28")]
    ):
        consultants.NOUN.add(
            store,
            {
                "family_name": name,
                "given_names": "Aminata",
                "country": "FR",
                "degree": "hdr",
                "discipline": "0531",
                "email": email,
                "languages": "fr;en",
                "availability": period,
                "birth_year": str(1960 + i),
            },
        )
    institutions.INSTITUTIONS.add(store, {"name": "Université de Bamako", "acronym": "UB", "kind": "university"})
    institutions.INSTITUTIONS.add(store, {"name": "FAST", "acronym": "FAST", "kind": "faculty", "parent": "UB"})
    institutions.PROGRAMMES.add(store, {"code": "TOKTEN"})
    needs.NOUN.add(
        store,
        {
            "institution": "FAST",
            "title": "Chimie organique",
            "discipline": "0531",
            "type": "lecture",
            "window_start": "2027-01-01",
            "window_end": "2027-03-31",
            "duration_days": "21",
        },
    )
    base = {"programme": "TOKTEN", "travel_cost": "650", "per_diem": "60", "currency": "EUR"}
    missions.NOUN.add(
        store, {**base, "consultant": "1", "need": "1", "start_date": "2027-01-10", "end_date": "2027-01-30"}
    )
    missions.NOUN.add(
        store,
        {
            **base,
            "consultant": "1",
            "institution": "UB",
            "type": "workshop",
            "start_date": "2027-02-01",
            "end_date": "2027-02-10",
        },
    )
    missions.NOUN.add(
        store,
        {
            **base,
            "consultant": "2",
            "institution": "UB",
            "type": "workshop",
            "start_date": "2027-02-01",
            "end_date": "2027-02-10",
        },
    )
    for values in (
        {"name": "Haut Conseil", "acronym": "HCME", "level": "hcme", "country": "ML"},
        {"name": "Conseil de France", "acronym": "CMF", "level": "national", "country": "FR", "parent": "HCME"},
        {"name": "Fédération de Montreuil", "acronym": "FAMM", "level": "city", "country": "FR", "parent": "CMF"},
        {
            "name": "Kersignané",
            "acronym": "ARKF",
            "level": "base",
            "country": "FR",
            "parent": "FAMM",
            "kind": "tontine",
        },
        {"name": "Conseil du Sénégal", "acronym": "CMS", "level": "national", "country": "SN", "parent": "HCME"},
    ):
        ASSOCIATIONS.add(store, values)
    PROJECTS.add(store, {"association": "ARKF", "title": "Forage", "subsidy": "18000", "sector": "water"})
    store.close()


@pytest.fixture
def sound(db: Path) -> Path:
    build(db)
    return db


def tamper(db: Path, *statements: str) -> None:
    """Write behind maliext's back, as another tool would."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("PRAGMA ignore_check_constraints = ON")
    for sql in statements:
        conn.execute(sql)
    conn.close()


def problems(cli) -> list[str]:
    result = cli("db", "check")
    assert result.exit_code == 4, result.stderr
    lines = result.stdout.splitlines()
    found = f"{len(lines)} problem" if len(lines) == 1 else f"{len(lines)} problems"
    assert result.stderr == f"Error: {found} found in {cli.db}\n"
    return lines


def test_a_sound_database_prints_nothing(cli, sound):
    before = digest(sound)
    result = cli("db", "check")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert digest(sound) == before


def test_the_demo_data_keeps_every_rule(cli, tmp_path):
    demo = tmp_path / "demo.db"
    assert cli("demo", "--db", str(demo), db=False).exit_code == 0
    assert cli("db", "check", "--db", str(demo), db=False).exit_code == 0


def test_a_missing_database_is_an_error(cli):
    result = cli("db", "check")
    assert result.exit_code == 1 and result.stderr.startswith("Error: no database at")
    assert not cli.db.exists()


def test_mission_rules(cli, sound):
    tamper(
        sound,
        # overlaps mission 1 of the same consultant
        "UPDATE mission SET start_date = '2027-01-20' WHERE id = 2",
        # 3 days without a reason
        "UPDATE mission SET end_date = '2027-02-03' WHERE id = 3",
        "UPDATE mission SET travel_cost = -500 WHERE id = 3",
    )
    assert problems(cli) == [
        "mission 1: overlaps mission 2 (2027-01-20 to 2027-02-10) of the same consultant (1)",
        "mission 3: lasts 3 days, outside 7 to 90, and no reason is recorded",
        "mission 3: travel_cost is negative (-5)",
    ]


def test_a_forced_reason_allows_any_duration_but_not_an_end_before_the_start(cli, sound):
    tamper(sound, "UPDATE mission SET end_date = '2027-02-03', forced_reason = 'atelier court' WHERE id = 3")
    assert cli("db", "check").exit_code == 0
    tamper(sound, "UPDATE mission SET end_date = '2027-01-31' WHERE id = 3")
    assert problems(cli) == ["mission 3: end_date 2027-01-31 is before start_date 2027-02-01"]


def test_need_rules(cli, sound):
    tamper(
        sound,
        "UPDATE mission SET need_id = 1, institution_id = 2, start_date = '2027-03-01', end_date = '2027-03-10' "
        "WHERE id = 3",
        "UPDATE need SET window_end = '2027-03-05' WHERE id = 1",
        "UPDATE need SET duration_days = 90 WHERE id = 1",
    )
    assert problems(cli) == [
        "need 1: has 2 non-cancelled missions for 1 seat",
        "need 1: duration_days 90 does not fit in its window of 64 days",
        "mission 3: 2027-03-01 to 2027-03-10 is outside the window of need 1 (2027-01-01 to 2027-03-05)",
    ]
    tamper(sound, "UPDATE mission SET institution_id = 1 WHERE id = 1")
    assert "mission 1: is at institution 1, but its need 1 is at institution 2" in problems(cli)


def test_cancelled_missions_take_no_seat_and_overlap_nothing(cli, sound):
    tamper(
        sound,
        "UPDATE mission SET status = 'cancelled', need_id = 1, institution_id = 2, start_date = '2027-01-10', "
        "end_date = '2027-01-30' WHERE id = 2",
    )
    assert cli("db", "check").exit_code == 0


def test_association_hierarchy(cli, sound):
    tamper(
        sound,
        "UPDATE association SET parent_id = 4 WHERE id = 4",  # ARKF under itself
        "UPDATE association SET parent_id = 1 WHERE id = 3",  # a city federation under the High Council
        "UPDATE association SET parent_id = 3 WHERE id = 1",  # the High Council under a federation
        "UPDATE association SET parent_id = 2 WHERE id = 5",  # a council under another country's council
    )
    assert problems(cli) == [
        "association 1: is the High Council (hcme), which has no parent, but sits under association 3",
        "association 1: is its own ancestor: its parents form a cycle",
        "association 3: a city federation sits under a national council, not under association 1 (hcme)",
        "association 3: is its own ancestor: its parents form a cycle",
        "association 4: a base association sits under a city federation or a national council, not under association 4 (base)",
        "association 4: is its own ancestor: its parents form a cycle",
        "association 5: a national council sits under the High Council (hcme), not under association 2 (national)",
        "association 5: is in SN but sits under association 2 in FR; only the High Council (hcme) may be the parent "
        "of an association in another country",
    ]


def test_institution_cycle(cli, sound):
    tamper(sound, "UPDATE institution SET parent_id = 2 WHERE id = 1")
    assert problems(cli) == [
        "institution 1: is its own ancestor: its parents form a cycle",
        "institution 2: is its own ancestor: its parents form a cycle",
    ]


def test_availability_rules(cli, sound):
    tamper(
        sound,
        "UPDATE availability SET consultant_id = 1 WHERE id = 2",
        """INSERT INTO availability (uid, created_at, updated_at, consultant_id, start, "end")
           VALUES ('x', 'x', 'x', 2, '2027-05-01', '2027-04-01')""",
    )
    assert problems(cli) == [
        "availability 1: overlaps availability 2 (2027-02-01 to 2027-02-28) of the same consultant (1)",
        "availability 3: end 2027-04-01 is before start 2027-05-01",
    ]


def test_vocabularies_countries_disciplines_and_lists(cli, sound):
    tamper(
        sound,
        "UPDATE consultant SET degree = 'phd', country = 'XX', discipline = '05', languages = '[\"fr\", \"xx\", 3]', "
        "sex = 'female' WHERE id = 1",
        "UPDATE consultant SET specialities = 'not json', languages = 'not json' WHERE id = 2",
        "UPDATE need SET status = 'filled', type = 'cours' WHERE id = 1",
        "UPDATE mission SET currency = 'USD', status = 'done' WHERE id = 1",
        "UPDATE association SET kind = '[\"tontine\", \"bogus\"]', level = 'village' WHERE id = 4",
        "UPDATE project SET sector = 'roads', status = 'lost', region = 'paris' WHERE id = 1",
        "UPDATE institution SET kind = 'school', region = 'dakar' WHERE id = 1",
    )
    assert problems(cli) == [
        "consultant 1: sex 'female' is not a known sex",
        "consultant 1: country 'XX' is not a known country code",
        "consultant 1: degree 'phd' is not a known degree",
        "consultant 1: discipline '05' is not a known ISCED-F detailed field",
        "consultant 1: languages 'xx' is not a known language code",
        "consultant 1: languages 3 is not a known language code",
        "consultant 2: languages is not a valid JSON list",
        "institution 1: kind 'school' is not a known institution kind",
        "institution 1: region 'dakar' is not a known Mali region",
        "need 1: type 'cours' is not a known mission type",
        "need 1: status 'filled' is not a known stored need status",
        "mission 1: status 'done' is not a known mission status",
        "mission 1: currency 'USD' is not a known currency",
        "association 4: level 'village' is not a known association level",
        "association 4: kind 'bogus' is not a known association kind",
        "project 1: sector 'roads' is not a known project sector",
        "project 1: region 'paris' is not a known Mali region",
        "project 1: status 'lost' is not a known project status",
    ]


def test_dates_that_are_not_dates(cli, sound):
    tamper(sound, "UPDATE programme SET start = '31/12/1998' WHERE id = 1", "UPDATE need SET window_end = '2027-02-30'")
    assert problems(cli) == [
        "programme 1: start '31/12/1998' is not a date YYYY-MM-DD",
        "need 1: window_end '2027-02-30' is not a date YYYY-MM-DD",
    ]


def test_broken_references(cli, sound):
    tamper(sound, "UPDATE mission SET programme_id = 99 WHERE id = 2", "DELETE FROM consultant WHERE id = 2")
    lines = problems(cli)
    assert "availability 2: consultant_id 2 refers to consultant 2, which does not exist" in lines
    assert "mission 2: programme_id 99 refers to programme 99, which does not exist" in lines
    assert "mission 3: consultant_id 2 refers to consultant 2, which does not exist" in lines


def test_integrity_failure_first(cli, sound):
    tamper(
        sound,
        "PRAGMA writable_schema = ON",
        "UPDATE sqlite_master SET sql = 'CREATE INDEX mission_start ON mission(end_date)' WHERE name = 'mission_start'",
    )
    lines = problems(cli)
    assert lines[:3] == [f"database: integrity: row {i} missing from index mission_start" for i in (1, 2, 3)]


def test_money_negative_everywhere(cli, sound):
    tamper(sound, "UPDATE project SET diaspora_contribution = -1, other_funding = -250 WHERE id = 1")
    assert problems(cli) == [
        "project 1: diaspora_contribution is negative (-0.01)",
        "project 1: other_funding is negative (-2.5)",
    ]


def test_the_service_returns_problems_and_can_leave_structure_out(sound):
    tamper(sound, "UPDATE mission SET programme_id = 99, fees = -100 WHERE id = 2")
    store = Store.open(sound, readonly=True)
    found = checks.run(store)
    assert [str(p) for p in found] == [
        "mission 2: programme_id 99 refers to programme 99, which does not exist",
        "mission 2: fees is negative (-1)",
    ]
    assert [(p.table, p.id) for p in found] == [("mission", 2), ("mission", 2)]
    assert [str(p) for p in checks.run(store, structure=False)] == ["mission 2: fees is negative (-1)"]


def test_problems_are_counted_in_french(cli, sound):
    french = {"MALIEXT_LANG": "fr"}
    tamper(sound, "UPDATE mission SET travel_cost = -500 WHERE id = 3")
    one = cli("db", "check", env=french)
    assert (one.exit_code, len(one.stdout.splitlines())) == (4, 1)
    assert one.stderr == f"Erreur\u202f: 1 problème trouvé dans {cli.db}\n"
    tamper(sound, "UPDATE mission SET travel_cost = -700 WHERE id = 2")
    two = cli("db", "check", env=french)
    assert (two.exit_code, len(two.stdout.splitlines())) == (4, 2)
    assert two.stderr == f"Erreur\u202f: 2 problèmes trouvés dans {cli.db}\n"
